package sqlitestore

import (
	"cmp"
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

// lineBatch reads the state of several lines with one query per table
// (IN lists of the batch's lines and customers, the sends and contacts of
// the widest window) into storage.LineParts, which hands each query what
// its own calls would have read. A record that cannot be decoded fails the
// whole batch with ErrCorrupt.
type lineBatch struct {
	r      reader
	op     string
	tenant dealer.Tenant
	byText map[string]channel.Address // the batch's lines by their text
	storage.LineParts
}

func (r reader) lineStatesBatch(ctx context.Context, op string, tenant dealer.Tenant, qs []storage.LineQuery, out []storage.LineState) error {
	lb := &lineBatch{r: r, op: op, tenant: tenant}
	var lines []string
	lines, lb.byText = storage.BatchLines(qs)
	lo, hi := windowMicros(storage.BatchWindow(qs))
	if err := lb.readLedgers(ctx, lines); err != nil {
		return err
	}
	if err := lb.readHolders(ctx, lines); err != nil {
		return err
	}
	ids := storage.BatchRecipients(qs, lb.Holders)
	if err := lb.readCustomers(ctx, ids); err != nil {
		return err
	}
	if err := lb.readSends(ctx, lines, lo, hi); err != nil {
		return err
	}
	if err := lb.readContacts(ctx, ids, lo, hi); err != nil {
		return err
	}
	if err := lb.readConversations(ctx, ids); err != nil {
		return err
	}
	for k := range qs {
		out[k] = lb.State(qs[k])
	}
	return nil
}

// query runs head + " IN (…)" over values, then tail.
func (lb *lineBatch) query(ctx context.Context, head string, values []any, tail string, args ...any) (*sql.Rows, error) {
	var sb strings.Builder
	sb.WriteString(head)
	sb.WriteString(" IN (")
	placeholders(&sb, len(values))
	sb.WriteString(")")
	sb.WriteString(tail)
	rows, err := lb.r.run.query(ctx, sb.String(), append(append([]any{string(lb.tenant)}, values...), args...)...)
	if err != nil {
		return nil, mapErr(ctx, lb.op, err)
	}
	return rows, nil
}

func (lb *lineBatch) readLedgers(ctx context.Context, lines []string) error {
	lb.Ledgers = map[channel.Address][]consent.Event{}
	rows, err := lb.query(ctx, `SELECT address_line, id, doc FROM consent_events WHERE tenant_id = ? AND address_line`, anys(lines), ` ORDER BY address_line, seq`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var line string
		var id, doc sql.RawBytes
		if err := rows.Scan(&line, &id, &doc); err != nil {
			return mapErr(ctx, lb.op, err)
		}
		var e consent.Event
		if err := decodeInto(doc, &e); err != nil {
			return storage.E(lb.op, storage.ErrCorrupt, corrupt[consent.Event](id, err))
		}
		l := lb.byText[line]
		lb.Ledgers[l] = append(lb.Ledgers[l], e)
	}
	return lb.done(ctx, rows)
}

func (lb *lineBatch) readHolders(ctx context.Context, lines []string) error {
	lb.Holders = map[channel.Address][]customer.ID{}
	rows, err := lb.query(ctx, `SELECT address_line, customer_id FROM customer_addresses WHERE tenant_id = ? AND address_line`, anys(lines), ` ORDER BY address_line, customer_id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var line string
		var cid sql.RawBytes
		if err := rows.Scan(&line, &cid); err != nil {
			return mapErr(ctx, lb.op, err)
		}
		id, err := scanID(cid)
		if err != nil {
			return storage.E(lb.op, storage.ErrCorrupt, err)
		}
		l := lb.byText[line]
		lb.Holders[l] = append(lb.Holders[l], customer.ID(id))
	}
	return lb.done(ctx, rows)
}

func (lb *lineBatch) readCustomers(ctx context.Context, ids []customer.ID) error {
	lb.Customers = map[customer.ID]*customer.Customer{}
	if len(ids) == 0 {
		return nil
	}
	rows, err := lb.query(ctx, `SELECT id, doc FROM customers WHERE tenant_id = ? AND id`, idAnys(ids), ``)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, doc sql.RawBytes
		if err := rows.Scan(&id, &doc); err != nil {
			return mapErr(ctx, lb.op, err)
		}
		cu := new(customer.Customer)
		if err := decodeInto(doc, cu); err != nil {
			return storage.E(lb.op, storage.ErrCorrupt, corrupt[customer.Customer](id, err))
		}
		lb.Customers[cu.ID] = cu
	}
	return lb.done(ctx, rows)
}

func (lb *lineBatch) readSends(ctx context.Context, lines []string, lo, hi int64) error {
	lb.Sends = map[channel.Address][]storage.CustomerSend{}
	rows, err := lb.query(ctx, `SELECT line, customer_id, occurred_at, channel, rooftop, purpose, confirmation FROM line_touches WHERE tenant_id = ? AND line`, anys(lines),
		` AND line <> '' AND occurred_at >= ? AND occurred_at < ? ORDER BY line, occurred_at DESC, interaction_id DESC`, lo, hi)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			line, ch, rooftop, purpose string
			cid                        sql.RawBytes
			at, confirmation           int64
		)
		if err := rows.Scan(&line, &cid, &at, &ch, &rooftop, &purpose, &confirmation); err != nil {
			return mapErr(ctx, lb.op, err)
		}
		id, err := scanID(cid)
		if err != nil {
			return storage.E(lb.op, storage.ErrCorrupt, err)
		}
		l := lb.byText[line]
		lb.Sends[l] = append(lb.Sends[l], storage.CustomerSend{Customer: customer.ID(id), Send: consent.Send{At: time.UnixMicro(at).UTC(), Channel: channel.Kind(ch),
			Rooftop: dealer.Rooftop(rooftop), Purpose: consent.Purpose(purpose), Confirmation: confirmation != 0}})
	}
	return lb.done(ctx, rows)
}

func (lb *lineBatch) readContacts(ctx context.Context, ids []customer.ID, lo, hi int64) error {
	lb.Contacts = map[customer.ID][]interaction.StaffContact{}
	if len(ids) == 0 {
		return nil
	}
	rows, err := lb.query(ctx, `SELECT customer_id, interaction_id, occurred_at, staff, conversation_id FROM line_touches WHERE tenant_id = ? AND customer_id`, idAnys(ids),
		` AND staff <> '' AND occurred_at >= ? AND occurred_at < ? ORDER BY customer_id, occurred_at DESC, interaction_id DESC`, lo, hi)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			cid, iid, conv sql.RawBytes
			at             int64
			staff          string
		)
		if err := rows.Scan(&cid, &iid, &at, &staff, &conv); err != nil {
			return mapErr(ctx, lb.op, err)
		}
		c, err1 := scanID(cid)
		i, err2 := scanID(iid)
		v, err3 := scanID(conv)
		if err := cmp.Or(err1, err2, err3); err != nil {
			return storage.E(lb.op, storage.ErrCorrupt, err)
		}
		lb.Contacts[c] = append(lb.Contacts[c], interaction.StaffContact{Staff: dealer.Staff(staff), Customer: c, At: time.UnixMicro(at).UTC(),
			Interaction: interaction.ID(i), Conversation: interaction.ConversationID(v)})
	}
	return lb.done(ctx, rows)
}

func (lb *lineBatch) readConversations(ctx context.Context, ids []customer.ID) error {
	lb.Conversations = map[customer.ID][]interaction.Conversation{}
	if len(ids) == 0 {
		return nil
	}
	rows, err := lb.query(ctx, `SELECT id, doc FROM conversations WHERE tenant_id = ? AND customer_id`, idAnys(ids),
		` AND status IN ('open', 'pending', 'snoozed') AND owner <> '' ORDER BY customer_id, opened_at, id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, doc sql.RawBytes
		if err := rows.Scan(&id, &doc); err != nil {
			return mapErr(ctx, lb.op, err)
		}
		var c interaction.Conversation
		if err := decodeInto(doc, &c); err != nil {
			return storage.E(lb.op, storage.ErrCorrupt, corrupt[interaction.Conversation](id, err))
		}
		lb.Conversations[c.Customer] = append(lb.Conversations[c.Customer], c)
	}
	return lb.done(ctx, rows)
}

func (lb *lineBatch) done(ctx context.Context, rows *sql.Rows) error {
	if err := rows.Err(); err != nil {
		return mapErr(ctx, lb.op, err)
	}
	return nil
}

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for k, s := range ss {
		out[k] = s
	}
	return out
}

func idAnys(ids []customer.ID) []any {
	out := make([]any, len(ids))
	for k, id := range ids {
		out[k] = idBytes(id)
	}
	return out
}
