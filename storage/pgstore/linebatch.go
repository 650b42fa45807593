package pgstore

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

const (
	sqlBatchLedgers   = `SELECT address_line, id, doc FROM consent_events WHERE tenant_id = $1 AND address_line = ANY($2) ORDER BY address_line, seq`
	sqlBatchHolders   = `SELECT address_line, customer_id FROM customer_addresses WHERE tenant_id = $1 AND address_line = ANY($2) ORDER BY address_line, customer_id`
	sqlBatchCustomers = `SELECT id, doc FROM customers WHERE tenant_id = $1 AND id = ANY($2)`
	sqlBatchSends     = `SELECT line, customer_id, occurred_at, channel, rooftop, purpose, confirmation FROM line_touches` +
		` WHERE tenant_id = $1 AND line = ANY($2) AND line <> '' AND occurred_at >= $3 AND occurred_at < $4 ORDER BY line, occurred_at DESC, interaction_id DESC`
	sqlBatchContacts = `SELECT customer_id, interaction_id, occurred_at, staff, conversation_id FROM line_touches` +
		` WHERE tenant_id = $1 AND customer_id = ANY($2) AND staff <> '' AND occurred_at >= $3 AND occurred_at < $4 ORDER BY customer_id, occurred_at DESC, interaction_id DESC`
	sqlBatchConversations = `SELECT id, doc FROM conversations WHERE tenant_id = $1 AND customer_id = ANY($2)` +
		` AND status IN ('open', 'pending', 'snoozed') AND owner <> '' ORDER BY customer_id, opened_at, id`
)

// lineStatesBatch reads the state of several lines with one query per
// table (arrays of the batch's lines and customers, the sends and contacts
// of the widest window) into storage.LineParts, which hands each query
// what its own calls would have read. A record that cannot be decoded
// fails the whole batch with ErrCorrupt.
func (r reader) lineStatesBatch(ctx context.Context, op string, tenant dealer.Tenant, qs []storage.LineQuery, out []storage.LineState) error {
	p := storage.LineParts{
		Ledgers: map[channel.Address][]consent.Event{}, Holders: map[channel.Address][]customer.ID{},
		Customers: map[customer.ID]*customer.Customer{}, Sends: map[channel.Address][]storage.CustomerSend{},
		Contacts: map[customer.ID][]interaction.StaffContact{}, Conversations: map[customer.ID][]interaction.Conversation{},
	}
	var lines []string
	seen := map[channel.Address]bool{}
	for _, q := range qs {
		if l := q.Line.Line(); !seen[l] {
			seen[l] = true
			lines = append(lines, l.String())
		}
	}
	since, until := window(storage.BatchWindow(qs))
	db := r.run.db()
	t := string(tenant)
	scan := func(q string, args []any, row func(pgx.Rows) error) error {
		rows, err := db.Query(ctx, q, args...)
		if err != nil {
			return r.run.mapErr(ctx, op, err)
		}
		defer rows.Close()
		for rows.Next() {
			if err := row(rows); err != nil {
				return err
			}
		}
		if err := rows.Err(); err != nil {
			return r.run.mapErr(ctx, op, err)
		}
		return nil
	}
	line := func(s string) (channel.Address, error) {
		l, err := channel.ParseAddress(s)
		if err != nil {
			return l, storage.E(op, storage.ErrCorrupt, err)
		}
		return l, nil
	}
	err := scan(sqlBatchLedgers, []any{t, lines}, func(rows pgx.Rows) error {
		var s string
		var id pgtype.UUID
		var doc []byte
		if err := rows.Scan(&s, &id, &doc); err != nil {
			return r.run.mapErr(ctx, op, err)
		}
		var e consent.Event
		if err := decodeInto(doc, &e); err != nil {
			return storage.E(op, storage.ErrCorrupt, corrupt[consent.Event](id.Bytes, err))
		}
		l, err := line(s)
		p.Ledgers[l] = append(p.Ledgers[l], e)
		return err
	})
	if err == nil {
		err = scan(sqlBatchHolders, []any{t, lines}, func(rows pgx.Rows) error {
			var s string
			var id pgtype.UUID
			if err := rows.Scan(&s, &id); err != nil {
				return r.run.mapErr(ctx, op, err)
			}
			l, err := line(s)
			p.Holders[l] = append(p.Holders[l], customer.ID(id.Bytes))
			return err
		})
	}
	if err != nil {
		return err
	}
	var ids []pgtype.UUID
	seenID := map[customer.ID]bool{}
	for _, q := range qs {
		for _, id := range storage.RecipientIDs(q, p.Holders[q.Line.Line()]) {
			if !seenID[id] {
				seenID[id] = true
				ids = append(ids, uid(id))
			}
		}
	}
	err = scan(sqlBatchCustomers, []any{t, ids}, func(rows pgx.Rows) error {
		var id pgtype.UUID
		var doc []byte
		if err := rows.Scan(&id, &doc); err != nil {
			return r.run.mapErr(ctx, op, err)
		}
		cu := new(customer.Customer)
		if err := decodeInto(doc, cu); err != nil {
			return storage.E(op, storage.ErrCorrupt, corrupt[customer.Customer](id.Bytes, err))
		}
		p.Customers[cu.ID] = cu
		return nil
	})
	if err == nil {
		err = scan(sqlBatchSends, []any{t, lines, since, until}, func(rows pgx.Rows) error {
			var (
				s, ch, rooftop, purpose string
				cid                     pgtype.UUID
				at                      time.Time
				confirmation            bool
			)
			if err := rows.Scan(&s, &cid, &at, &ch, &rooftop, &purpose, &confirmation); err != nil {
				return r.run.mapErr(ctx, op, err)
			}
			l, err := line(s)
			p.Sends[l] = append(p.Sends[l], storage.CustomerSend{Customer: customer.ID(cid.Bytes), Send: consent.Send{At: at.UTC(), Channel: channel.Kind(ch),
				Rooftop: dealer.Rooftop(rooftop), Purpose: consent.Purpose(purpose), Confirmation: confirmation}})
			return err
		})
	}
	if err == nil {
		err = scan(sqlBatchContacts, []any{t, ids, since, until}, func(rows pgx.Rows) error {
			var (
				cid, iid, conv pgtype.UUID
				at             time.Time
				staff          string
			)
			if err := rows.Scan(&cid, &iid, &at, &staff, &conv); err != nil {
				return r.run.mapErr(ctx, op, err)
			}
			c := customer.ID(cid.Bytes)
			p.Contacts[c] = append(p.Contacts[c], interaction.StaffContact{Staff: dealer.Staff(staff), Customer: c, At: at.UTC(),
				Interaction: interaction.ID(iid.Bytes), Conversation: interaction.ConversationID(conv.Bytes)})
			return nil
		})
	}
	if err == nil {
		err = scan(sqlBatchConversations, []any{t, ids}, func(rows pgx.Rows) error {
			var id pgtype.UUID
			var doc []byte
			if err := rows.Scan(&id, &doc); err != nil {
				return r.run.mapErr(ctx, op, err)
			}
			var c interaction.Conversation
			if err := decodeInto(doc, &c); err != nil {
				return storage.E(op, storage.ErrCorrupt, corrupt[interaction.Conversation](id.Bytes, err))
			}
			p.Conversations[c.Customer] = append(p.Conversations[c.Customer], c)
			return nil
		})
	}
	if err != nil {
		return err
	}
	for k := range qs {
		out[k] = p.State(qs[k])
	}
	return nil
}
