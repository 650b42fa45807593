package pgstore

import (
	"bytes"
	"cmp"
	"context"
	"slices"
	"strings"
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
// can be planned as a scan comparing every row with every element. They
// have no ORDER BY: the rows are put in order by lineStatesBatch, which
// costs less than a sort of wide rows in the server (the order of a
// nested loop over the array is the usual one, and is checked before any
// sorting).
const (
	sqlBatchLedgers = `SELECT c.address_line, c.seq, c.id, c.doc FROM unnest($2::text[]) AS l(line)` +
		` JOIN consent_events c ON c.tenant_id = $1 AND c.address_line = l.line COLLATE "C"`
	// The holders come with what a check reads of their customers (the
	// recipient column, migration 0006): most recipients are holders,
	// which then need no query of their own.
	sqlBatchHolders = `SELECT a.address_line, a.customer_id, c.recipient FROM unnest($2::text[]) AS l(line)` +
		` JOIN customer_addresses a ON a.tenant_id = $1 AND a.address_line = l.line COLLATE "C"` +
		` LEFT JOIN customers c ON c.tenant_id = $1 AND c.id = a.customer_id`
	sqlBatchCustomers = `SELECT c.id, c.recipient FROM unnest($2::uuid[]) AS i(id) JOIN customers c ON c.tenant_id = $1 AND c.id = i.id`
	sqlBatchSends     = `SELECT t.line, t.customer_id, t.interaction_id, t.occurred_at, t.channel, t.rooftop, t.purpose, t.confirmation FROM unnest($2::text[]) AS l(line)` +
		` JOIN line_touches t ON t.tenant_id = $1 AND t.line = l.line COLLATE "C" AND t.line <> ''` +
		` WHERE t.occurred_at >= $3 AND t.occurred_at < $4`
	sqlBatchContacts = `SELECT t.customer_id, t.interaction_id, t.occurred_at, t.staff, t.conversation_id FROM unnest($2::uuid[]) AS i(id)` +
		` JOIN line_touches t ON t.tenant_id = $1 AND t.customer_id = i.id AND t.staff <> ''` +
		` WHERE t.occurred_at >= $3 AND t.occurred_at < $4 ORDER BY t.customer_id, t.occurred_at DESC, t.interaction_id DESC`
	sqlBatchConversations = `SELECT c.id, c.doc FROM unnest($2::uuid[]) AS i(id) JOIN conversations c ON c.tenant_id = $1 AND c.customer_id = i.id` +
		` WHERE c.status IN ('open', 'pending', 'snoozed') AND c.owner <> '' ORDER BY c.customer_id, c.opened_at, c.id`
)

// Rows of the batch queries, put in order before they are used.
type (
	ledgerRow struct {
		line string
		seq  int64
		id   pgtype.UUID
		doc  []byte
	}
	holderRow struct {
		line string
		id   customer.ID
		doc  []byte // the recipient column; nil when the customer has no row
	}
	sendRow struct {
		line string
		iid  pgtype.UUID
		send storage.CustomerSend
	}
)

// lineStatesBatch reads the state of several lines in two round trips of
// pipelined queries (pgx.Batch): first the ledgers, the holders with their
// customers' documents and the sends to the lines in the widest window;
// then the recipients that hold none of the lines, and the recipients'
// staff contacts (from line_touches: no interaction decoded) and open
// conversations. storage.LineParts hands each query what its own calls
// would have read. A recipient is read from the customers' recipient
// column, not the whole document. Only the recipients are decoded; a
// record that cannot be decoded fails the whole batch with ErrCorrupt.
func (r reader) lineStatesBatch(ctx context.Context, op string, tenant dealer.Tenant, qs []storage.LineQuery, out []storage.LineState) error {
	lines, byText := storage.BatchLines(qs)
	p := storage.LineParts{
		Ledgers: make(map[channel.Address][]consent.Event, len(lines)), Holders: make(map[channel.Address][]customer.ID, len(lines)),
		Customers: make(map[customer.ID]*customer.Customer, len(qs)), Sends: make(map[channel.Address][]storage.CustomerSend, len(lines)),
		Contacts: map[customer.ID][]interaction.StaffContact{}, Conversations: map[customer.ID][]interaction.Conversation{},
	}
	slices.Sort(lines) // the index's order: neighbouring lookups, rows in order
	since, until := window(storage.BatchWindow(qs))
	db := r.run.db()
	t := string(tenant)
	// scanErr keeps the first error of a row callback as it is (a corrupt
	// record's), so that it is not taken for the server's.
	var scanErr error
	each := func(row func(pgx.Rows) error) func(pgx.Rows) error {
		return func(rows pgx.Rows) error {
			for rows.Next() {
				if err := row(rows); err != nil {
					scanErr = err
					return err
				}
			}
			return rows.Err()
		}
	}
	send := func(b *pgx.Batch) error {
		if err := db.SendBatch(ctx, b).Close(); err != nil {
			if scanErr != nil {
				return scanErr
			}
			return r.run.mapErr(ctx, op, err)
		}
		return nil
	}

	ledgers := make([]ledgerRow, 0, len(lines))
	holders := make([]holderRow, 0, len(lines))
	sends := make([]sendRow, 0, len(lines))
	first := &pgx.Batch{}
	first.Queue(sqlBatchLedgers, t, lines).Query(each(func(rows pgx.Rows) error {
		var l ledgerRow
		if err := rows.Scan(&l.line, &l.seq, &l.id, &l.doc); err != nil {
			return r.run.mapErr(ctx, op, err)
		}
		ledgers = append(ledgers, l)
		return nil
	}))
	first.Queue(sqlBatchHolders, t, lines).Query(each(func(rows pgx.Rows) error {
		var h holderRow
		var id pgtype.UUID
		if err := rows.Scan(&h.line, &id, &h.doc); err != nil {
			return r.run.mapErr(ctx, op, err)
		}
		h.id = customer.ID(id.Bytes)
		holders = append(holders, h)
		return nil
	}))
	first.Queue(sqlBatchSends, t, lines, since, until).Query(each(func(rows pgx.Rows) error {
		s, err := scanSend(rows)
		if err != nil {
			return r.run.mapErr(ctx, op, err)
		}
		sends = append(sends, s)
		return nil
	}))
	if err := send(first); err != nil {
		return err
	}

	// The ledgers in append order, the holders in ID order, the sends
	// newest first (then by interaction ID, descending).
	sortRows(ledgers, func(a, b ledgerRow) int { return cmp.Or(strings.Compare(a.line, b.line), cmp.Compare(a.seq, b.seq)) })
	sortRows(holders, func(a, b holderRow) int { return cmp.Or(strings.Compare(a.line, b.line), cmpUUID(a.id, b.id)) })
	sortRows(sends, cmpSends)
	for _, l := range ledgers {
		var e consent.Event
		if err := decodeInto(l.doc, &e); err != nil {
			return storage.E(op, storage.ErrCorrupt, corrupt[consent.Event](l.id.Bytes, err))
		}
		p.Ledgers[byText[l.line]] = append(p.Ledgers[byText[l.line]], e)
	}
	docs := make(map[customer.ID][]byte, len(holders))
	for _, h := range holders {
		p.Holders[byText[h.line]] = append(p.Holders[byText[h.line]], h.id)
		if h.doc != nil {
			docs[h.id] = h.doc
		}
	}
	for _, s := range sends {
		p.Sends[byText[s.line]] = append(p.Sends[byText[s.line]], s.send)
	}

	// The recipients: decoded from the holders' documents, or read.
	var ids, missing []pgtype.UUID
	for _, id := range storage.BatchRecipients(qs, p.Holders) {
		ids = append(ids, uid(id))
		doc, ok := docs[id]
		if !ok {
			missing = append(missing, uid(id))
			continue
		}
		cu, err := storage.DecodeRecipientCustomer(doc)
		if err != nil {
			return storage.E(op, storage.ErrCorrupt, corrupt[customer.Customer](id, err))
		}
		cu.ID = id
		p.Customers[id] = cu
	}
	second := &pgx.Batch{}
	if len(missing) > 0 {
		second.Queue(sqlBatchCustomers, t, missing).Query(each(func(rows pgx.Rows) error {
			var id pgtype.UUID
			var doc []byte
			if err := rows.Scan(&id, &doc); err != nil {
				return r.run.mapErr(ctx, op, err)
			}
			cu, err := storage.DecodeRecipientCustomer(doc)
			if err != nil {
				return storage.E(op, storage.ErrCorrupt, corrupt[customer.Customer](id.Bytes, err))
			}
			cu.ID = id.Bytes
			p.Customers[cu.ID] = cu
			return nil
		}))
	}
	second.Queue(sqlBatchContacts, t, ids, since, until).Query(each(func(rows pgx.Rows) error {
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
	}))
	second.Queue(sqlBatchConversations, t, ids).Query(each(func(rows pgx.Rows) error {
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
	}))
	if err := send(second); err != nil {
		return err
	}
	for k := range qs {
		out[k] = p.State(qs[k])
	}
	return nil
}

// scanSend reads a row of sqlBatchSends.
func scanSend(rows pgx.Rows) (sendRow, error) {
	var (
		s                 sendRow
		ch, rooftop, purp string
		cid               pgtype.UUID
		at                time.Time
		confirmation      bool
	)
	if err := rows.Scan(&s.line, &cid, &s.iid, &at, &ch, &rooftop, &purp, &confirmation); err != nil {
		return s, err
	}
	s.send = storage.CustomerSend{Customer: customer.ID(cid.Bytes), Send: consent.Send{At: at.UTC(), Channel: channel.Kind(ch),
		Rooftop: dealer.Rooftop(rooftop), Purpose: consent.Purpose(purp), Confirmation: confirmation}}
	return s, nil
}

// cmpSends orders sends by line, then newest first (then by interaction
// ID, descending).
func cmpSends(a, b sendRow) int {
	return cmp.Or(strings.Compare(a.line, b.line), b.send.Send.At.Compare(a.send.Send.At), cmpUUID(b.iid.Bytes, a.iid.Bytes))
}

// sortRows sorts rows by cmp unless they already are in order (as a
// nested loop over the batch's sorted array returns them).
func sortRows[T any](rows []T, cmp func(a, b T) int) {
	if !slices.IsSortedFunc(rows, cmp) {
		slices.SortStableFunc(rows, cmp)
	}
}

func cmpUUID(a, b [16]byte) int { return bytes.Compare(a[:], b[:]) }
