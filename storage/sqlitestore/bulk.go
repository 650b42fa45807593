package sqlitestore

import (
	"context"
	"strings"

	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

// bulkRows is the number of rows per multi-row INSERT: large enough to
// amortize the per-statement cost, small enough to stay far below SQLite's
// limit on bound parameters (32766).
const bulkRows = 256

// multiInsert returns "<head> VALUES <row>, <row>, …" with n rows.
func multiInsert(head, row string, n int) string {
	var sb strings.Builder
	sb.Grow(len(head) + 8 + n*(len(row)+2))
	sb.WriteString(head)
	sb.WriteString(" VALUES ")
	for i := range n {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(row)
	}
	return sb.String()
}

// bulkTable is a multi-row INSERT into one table: its full-chunk statement
// is prepared once (it is in staticSQL); a shorter last chunk runs as plain
// SQL.
type bulkTable struct {
	head, row string
	full      string
}

func newBulkTable(head, row string) bulkTable {
	return bulkTable{head: head, row: row, full: static(multiInsert(head, row, bulkRows))}
}

// insert writes rows (each a slice of the row's arguments) in chunks.
func (b *bulkTable) insert(ctx context.Context, t *tx, rows [][]any) error {
	var args []any
	for len(rows) > 0 {
		n := min(len(rows), bulkRows)
		args = args[:0]
		for _, r := range rows[:n] {
			args = append(args, r...)
		}
		q := b.full
		if n < bulkRows {
			q = multiInsert(b.head, b.row, n)
		}
		if _, err := t.exec(ctx, q, args...); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

// numberChanges fills in the seq (second value) of change rows whose first
// value is the tenant: each tenant's next seqs, in slice order.
func (t *tx) numberChanges(ctx context.Context, changes [][]any) error {
	next := map[string]int64{}
	for _, c := range changes {
		tenant := c[0].(string)
		seq, ok := next[tenant]
		if !ok {
			if err := t.queryRow(ctx, sqlNextSeq, tenant).Scan(&seq); err != nil {
				return err
			}
		}
		c[1] = seq
		next[tenant] = seq + 1
	}
	return nil
}

var (
	bulkInteractions = newBulkTable(
		`INSERT INTO interactions (tenant_id, id, customer_id, household_id, conversation_id, occurred_at, channel, kind, rooftop, awaiting_review, revision, doc)`,
		`(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)`)
	bulkInteractionChanges = newBulkTable(
		`INSERT INTO changes (tenant_id, seq, entity, id, op, revision)`,
		`(?, ?, 'interaction', ?, 'create', 1)`)
	bulkCustomers = newBulkTable(
		`INSERT INTO customers (tenant_id, id, revision, doc)`,
		`(?, ?, 1, ?)`)
	bulkCustomerAddresses = newBulkTable(
		`INSERT OR IGNORE INTO customer_addresses (tenant_id, address_line, customer_id)`,
		`(?, ?, ?)`)
	bulkCustomerExtIDs = newBulkTable(
		`INSERT OR IGNORE INTO customer_external_ids (tenant_id, system, value, customer_id)`,
		`(?, ?, ?, ?)`)
	bulkCustomerChanges = newBulkTable(
		`INSERT INTO changes (tenant_id, seq, entity, id, op, revision)`,
		`(?, ?, 'customer', ?, 'create', 1)`)
)

// BulkCreateInteractions implements storage.BulkWriter: one write
// transaction of multi-row INSERTs (interactions, then their change
// records, in slice order). Each interaction is stored with Revision 1, as
// by CreateInteraction; the call fails with ErrAlreadyExists, storing
// nothing, when any ID is taken or repeated.
func (b *Backend) BulkCreateInteractions(ctx context.Context, is []interaction.Interaction) error {
	const op = "sqlitestore.BulkCreateInteractions"
	if err := b.check(ctx, op); err != nil {
		return err
	}
	rows := make([][]any, len(is))
	changes := make([][]any, len(is))
	var touches [][]any
	for k := range is {
		i := is[k] // a copy: the caller's slice is not changed
		if err := checkNew(op, i.Tenant, i.ID, i.Revision); err != nil {
			return err
		}
		i.Revision = 1
		doc, err := encode(i)
		if err != nil {
			return storage.E(op, storage.ErrInvalidArgument, err)
		}
		rows[k] = []any{string(i.Tenant), idBytes(i.ID), idArg(i.Customer), idArg(i.Household), idArg(i.Conversation),
			micros(i.OccurredAt), string(i.Channel), string(i.Kind), string(i.Rooftop), flag(i.AwaitingReview()), doc}
		changes[k] = []any{string(i.Tenant), nil, i.ID.String()}
		if row := touchRow(&i); row != nil {
			touches = append(touches, row)
		}
	}
	if len(rows) == 0 {
		return nil
	}
	return b.Update(ctx, func(stx storage.Tx) error {
		t := stx.(*tx)
		if err := bulkInteractions.insert(ctx, t, rows); err != nil {
			return mapErr(ctx, op, err)
		}
		if err := bulkTouches.insert(ctx, t, touches); err != nil {
			return mapErr(ctx, op, err)
		}
		if err := t.numberChanges(ctx, changes); err != nil {
			return mapErr(ctx, op, err)
		}
		if err := bulkInteractionChanges.insert(ctx, t, changes); err != nil {
			return mapErr(ctx, op, err)
		}
		return nil
	})
}

// BulkCreateCustomers implements storage.BulkWriter, as
// BulkCreateInteractions does for interactions, with the customers' lookup
// rows (addresses, external IDs).
func (b *Backend) BulkCreateCustomers(ctx context.Context, cs []customer.Customer) error {
	const op = "sqlitestore.BulkCreateCustomers"
	if err := b.check(ctx, op); err != nil {
		return err
	}
	rows, err := newCustomerRows(op, cs)
	if err != nil || len(cs) == 0 {
		return err
	}
	return b.Update(ctx, func(stx storage.Tx) error {
		return stx.(*tx).insertCustomers(ctx, op, rows)
	})
}

// customerRows are the rows of new customers in every table they touch.
type customerRows struct {
	customers, changes, addrs, extIDs [][]any
}

// newCustomerRows checks and encodes new customers (Revision 1) as
// CreateCustomer does, leaving the change records' seqs to number.
func newCustomerRows(op string, cs []customer.Customer) (*customerRows, error) {
	r := &customerRows{customers: make([][]any, len(cs)), changes: make([][]any, len(cs))}
	for k := range cs {
		c := &cs[k]
		if err := checkNew(op, c.Tenant, c.ID, c.Revision); err != nil {
			return nil, err
		}
		stored := *c
		stored.Revision = 1
		doc, err := encode(stored)
		if err != nil {
			return nil, storage.E(op, storage.ErrInvalidArgument, err)
		}
		tenant, id := string(c.Tenant), idBytes(c.ID)
		r.customers[k] = []any{tenant, id, doc}
		r.changes[k] = []any{tenant, nil, c.ID.String()}
		for _, cp := range c.ContactPoints {
			if !cp.Address.IsZero() {
				r.addrs = append(r.addrs, []any{tenant, cp.Address.Line().String(), id})
			}
		}
		for _, x := range c.ExternalIDs {
			r.extIDs = append(r.extIDs, []any{tenant, strings.ToLower(x.System), x.Value, id})
		}
	}
	return r, nil
}

// insertCustomers writes the rows in multi-row INSERTs: the customers,
// their lookup rows, then their change records, numbered in slice order.
func (t *tx) insertCustomers(ctx context.Context, op string, r *customerRows) error {
	if err := t.numberChanges(ctx, r.changes); err != nil {
		return mapErr(ctx, op, err)
	}
	for _, w := range []struct {
		table *bulkTable
		rows  [][]any
	}{
		{&bulkCustomers, r.customers},
		{&bulkCustomerAddresses, r.addrs},
		{&bulkCustomerExtIDs, r.extIDs},
		{&bulkCustomerChanges, r.changes},
	} {
		if err := w.table.insert(ctx, t, w.rows); err != nil {
			return mapErr(ctx, op, err)
		}
	}
	return nil
}
