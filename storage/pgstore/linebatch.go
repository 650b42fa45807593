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

// The batch queries join the arrays of lines or customers (unnest) to the
// tables, so that each element is an index lookup: a plain "= ANY($2)"
// can be planned as a scan comparing every row with every element.
const (
	sqlBatchLedgers = `SELECT c.address_line, c.id, c.doc FROM unnest($2::text[]) AS l(line)` +
		` JOIN consent_events c ON c.tenant_id = $1 AND c.address_line = l.line COLLATE "C" ORDER BY c.address_line, c.seq`
	sqlBatchHolders = `SELECT a.address_line, a.customer_id FROM unnest($2::text[]) AS l(line)` +
		` JOIN customer_addresses a ON a.tenant_id = $1 AND a.address_line = l.line COLLATE "C" ORDER BY a.address_line, a.customer_id`
	sqlBatchCustomers = `SELECT c.id, c.doc FROM unnest($2::uuid[]) AS i(id) JOIN customers c ON c.tenant_id = $1 AND c.id = i.id`
	sqlBatchSends     = `SELECT t.line, t.customer_id, t.occurred_at, t.channel, t.rooftop, t.purpose, t.confirmation FROM unnest($2::text[]) AS l(line)` +
		` JOIN line_touches t ON t.tenant_id = $1 AND t.line = l.line COLLATE "C" AND t.line <> ''` +
		` WHERE t.occurred_at >= $3 AND t.occurred_at < $4 ORDER BY t.line, t.occurred_at DESC, t.interaction_id DESC`
	sqlBatchContacts = `SELECT t.customer_id, t.interaction_id, t.occurred_at, t.staff, t.conversation_id FROM unnest($2::uuid[]) AS i(id)` +
		` JOIN line_touches t ON t.tenant_id = $1 AND t.customer_id = i.id AND t.staff <> ''` +
		` WHERE t.occurred_at >= $3 AND t.occurred_at < $4 ORDER BY t.customer_id, t.occurred_at DESC, t.interaction_id DESC`
	sqlBatchConversations = `SELECT c.id, c.doc FROM unnest($2::uuid[]) AS i(id) JOIN conversations c ON c.tenant_id = $1 AND c.customer_id = i.id` +
		` WHERE c.status IN ('open', 'pending', 'snoozed') AND c.owner <> '' ORDER BY c.customer_id, c.opened_at, c.id`
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
	lines, byText := storage.BatchLines(qs)
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
		p.Ledgers[byText[s]] = append(p.Ledgers[byText[s]], e)
		return nil
	})
	if err == nil {
		err = scan(sqlBatchHolders, []any{t, lines}, func(rows pgx.Rows) error {
			var s string
			var id pgtype.UUID
			if err := rows.Scan(&s, &id); err != nil {
				return r.run.mapErr(ctx, op, err)
			}
			p.Holders[byText[s]] = append(p.Holders[byText[s]], customer.ID(id.Bytes))
			return nil
		})
	}
	if err != nil {
		return err
	}
	var ids []pgtype.UUID
	for _, id := range storage.BatchRecipients(qs, p.Holders) {
		ids = append(ids, uid(id))
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
			l := byText[s]
			p.Sends[l] = append(p.Sends[l], storage.CustomerSend{Customer: customer.ID(cid.Bytes), Send: consent.Send{At: at.UTC(), Channel: channel.Kind(ch),
				Rooftop: dealer.Rooftop(rooftop), Purpose: consent.Purpose(purpose), Confirmation: confirmation}})
			return nil
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
