package pgstore

import (
	"context"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

var (
	interactionColumns = []string{"tenant_id", "id", "customer_id", "household_id", "conversation_id",
		"occurred_at", "channel", "kind", "rooftop", "awaiting_review", "revision", "doc"}
	changeColumns           = []string{"tenant_id", "seq", "entity", "id", "op", "revision"}
	customerColumns         = []string{"tenant_id", "id", "revision", "doc"}
	customerAddressColumns  = []string{"tenant_id", "address_line", "customer_id"}
	customerExternalColumns = []string{"tenant_id", "system", "value", "customer_id"}
)

// bulk runs fn in an Update that has locked every tenant in tenants, in
// sorted order (so that two bulk loads over the same tenants cannot
// deadlock).
func (b *Backend) bulk(ctx context.Context, op string, tenants []dealer.Tenant, fn func(t *tx) error) error {
	slices.Sort(tenants)
	tenants = slices.Compact(tenants)
	return b.Update(ctx, func(stx storage.Tx) error {
		t := stx.(*tx)
		for _, tenant := range tenants {
			if err := t.enter(ctx, op, tenant); err != nil {
				return err
			}
		}
		return fn(t)
	})
}

// copyRows writes rows into table with COPY, mapping its error.
func (t *tx) copyRows(ctx context.Context, op, table string, columns []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	if _, err := t.pgTx.CopyFrom(ctx, pgx.Identifier{table}, columns, pgx.CopyFromRows(rows)); err != nil {
		return t.mapErr(ctx, op, err)
	}
	return nil
}

// changeRows numbers the change records of created records (in slice
// order, each tenant's next seqs) and returns them as rows of changes.
func (t *tx) changeRows(entity storage.Entity, tenants []dealer.Tenant, ids []string) [][]any {
	rows := make([][]any, len(ids))
	for k, id := range ids {
		rows[k] = []any{string(tenants[k]), t.nextSeq(tenants[k]), string(entity), id, string(storage.OpCreate), int64(1)}
	}
	return rows
}

// BulkCreateInteractions implements storage.BulkWriter: one transaction of
// two COPYs (the interactions, then their change records, in slice order).
// Each interaction is stored with Revision 1, as by CreateInteraction; the
// call fails with ErrAlreadyExists, storing nothing, when any ID is taken
// or repeated.
func (b *Backend) BulkCreateInteractions(ctx context.Context, is []interaction.Interaction) error {
	const op = "pgstore.BulkCreateInteractions"
	if err := b.check(ctx, op); err != nil {
		return err
	}
	if len(is) == 0 {
		return nil
	}
	rows := make([][]any, len(is))
	var touches [][]any
	tenants := make([]dealer.Tenant, len(is))
	ids := make([]string, len(is))
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
		rows[k] = interactionRow(&i, doc)
		if row := touchRow(&i); row != nil {
			touches = append(touches, row)
		}
		tenants[k], ids[k] = i.Tenant, i.ID.String()
	}
	return b.bulk(ctx, op, slices.Clone(tenants), func(t *tx) error {
		if err := t.copyRows(ctx, op, "interactions", interactionColumns, rows); err != nil {
			return err
		}
		if err := t.copyRows(ctx, op, "line_touches", touchColumns, touches); err != nil {
			return err
		}
		return t.copyRows(ctx, op, "changes", changeColumns, t.changeRows(storage.EntityInteraction, tenants, ids))
	})
}

// BulkCreateCustomers implements storage.BulkWriter, as
// BulkCreateInteractions does for interactions, with the customers' lookup
// rows (addresses, external IDs).
func (b *Backend) BulkCreateCustomers(ctx context.Context, cs []customer.Customer) error {
	const op = "pgstore.BulkCreateCustomers"
	if err := b.check(ctx, op); err != nil {
		return err
	}
	if len(cs) == 0 {
		return nil
	}
	rows, err := newCustomerRows(op, cs)
	if err != nil {
		return err
	}
	return b.bulk(ctx, op, slices.Clone(rows.tenants), func(t *tx) error { return t.copyCustomers(ctx, op, rows) })
}

// customerRows are the rows of new customers in every table they touch,
// and the tenants and IDs of their change records.
type customerRows struct {
	customers, addrs, extIDs [][]any
	tenants                  []dealer.Tenant
	ids                      []string
}

// newCustomerRows checks and encodes new customers (Revision 1) as
// CreateCustomer does.
func newCustomerRows(op string, cs []customer.Customer) (*customerRows, error) {
	r := &customerRows{customers: make([][]any, len(cs)), tenants: make([]dealer.Tenant, len(cs)), ids: make([]string, len(cs))}
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
		tenant, id := string(c.Tenant), uid(c.ID)
		r.customers[k] = []any{tenant, id, int64(1), doc}
		r.tenants[k], r.ids[k] = c.Tenant, c.ID.String()
		lines, systems, values := customerKeys(c)
		for _, l := range lines {
			r.addrs = append(r.addrs, []any{tenant, l, id})
		}
		for j := range systems {
			r.extIDs = append(r.extIDs, []any{tenant, systems[j], values[j], id})
		}
	}
	return r, nil
}

// copyCustomers writes the rows with COPY: the customers, their lookup
// rows, then their change records, numbered in slice order. Every tenant
// of rows must have been entered.
func (t *tx) copyCustomers(ctx context.Context, op string, rows *customerRows) error {
	for _, w := range []struct {
		table   string
		columns []string
		rows    [][]any
	}{
		{"customers", customerColumns, rows.customers},
		{"customer_addresses", customerAddressColumns, rows.addrs},
		{"customer_external_ids", customerExternalColumns, rows.extIDs},
		{"changes", changeColumns, t.changeRows(storage.EntityCustomer, rows.tenants, rows.ids)},
	} {
		if err := t.copyRows(ctx, op, w.table, w.columns, w.rows); err != nil {
			return err
		}
	}
	return nil
}
