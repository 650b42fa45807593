package memstore

import (
	"context"
	"strings"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/storage"
)

const listCustomers = "customers"

// externalKey is an external identifier as the index holds it: the system
// lower-cased, the value verbatim.
type externalKey struct{ system, value string }

var customers = &table[customer.ID, customer.Customer]{
	name:   "Customer",
	entity: storage.EntityCustomer,
	rows:   func(t *tenant) map[customer.ID]*customer.Customer { return t.customers },
	ident: func(c *customer.Customer) (dealer.Tenant, customer.ID, *int64) {
		return c.Tenant, c.ID, &c.Revision
	},
	clone: cloneCustomer,
	index: indexCustomer,
}

func indexCustomer(t *tenant, old, new *customer.Customer) {
	var id customer.ID
	var oldLines, newLines []channel.Address
	var oldExt, newExt []externalKey
	if old != nil {
		id = old.ID
		oldLines, oldExt = customerKeys(old)
		if new == nil {
			t.customerOrder.remove(key{id: id})
		}
	}
	if new != nil {
		id = new.ID
		newLines, newExt = customerKeys(new)
		t.customerOrder.put(key{id: id}, new)
	}
	t.customersByLine.reindex(id, oldLines, newLines)
	t.customersByExtID.reindex(id, oldExt, newExt)
}

// customerKeys returns the distinct address lines and external IDs the
// customer is found by.
func customerKeys(c *customer.Customer) ([]channel.Address, []externalKey) {
	lines := make([]channel.Address, 0, len(c.ContactPoints))
	for _, cp := range c.ContactPoints {
		if l := cp.Address.Line(); !l.IsZero() && !containsAddr(lines, l) {
			lines = append(lines, l)
		}
	}
	ext := make([]externalKey, 0, len(c.ExternalIDs))
	for _, x := range c.ExternalIDs {
		k := externalKey{strings.ToLower(x.System), x.Value}
		if !containsExt(ext, k) {
			ext = append(ext, k)
		}
	}
	return lines, ext
}

func containsAddr(s []channel.Address, a channel.Address) bool {
	for _, x := range s {
		if x == a {
			return true
		}
	}
	return false
}

func containsExt(s []externalKey, k externalKey) bool {
	for _, x := range s {
		if x == k {
			return true
		}
	}
	return false
}

// GetCustomer implements [storage.CustomerReader].
func (r *reader) GetCustomer(ctx context.Context, tenant dealer.Tenant, id customer.ID) (customer.Customer, error) {
	return get(r, ctx, customers, tenant, id)
}

// CustomersByAddress implements [storage.CustomerReader]: the customers
// with a contact point on addr's line, in ID order, from an index.
func (r *reader) CustomersByAddress(ctx context.Context, tenant dealer.Tenant, addr channel.Address) ([]customer.ID, error) {
	if err := r.lock(ctx, "memstore.CustomersByAddress"); err != nil {
		return nil, err
	}
	defer r.unlock()
	t := r.tenant(tenant)
	if t == nil {
		return nil, nil
	}
	return t.customersByLine.get(addr.Line()), nil
}

// CustomersByExternalID implements [storage.CustomerReader]: system is
// compared lower-cased, value exactly.
func (r *reader) CustomersByExternalID(ctx context.Context, tenant dealer.Tenant, system, value string) ([]customer.ID, error) {
	if err := r.lock(ctx, "memstore.CustomersByExternalID"); err != nil {
		return nil, err
	}
	defer r.unlock()
	t := r.tenant(tenant)
	if t == nil {
		return nil, nil
	}
	return t.customersByExtID.get(externalKey{strings.ToLower(system), value}), nil
}

// ListCustomers implements [storage.CustomerReader]. Its cursors belong to
// the list "customers".
func (r *reader) ListCustomers(ctx context.Context, tenant dealer.Tenant, after storage.Cursor, limit int) ([]customer.Customer, storage.Cursor, error) {
	const op = "memstore.ListCustomers"
	if err := r.lock(ctx, op); err != nil {
		return nil, "", err
	}
	defer r.unlock()
	last, ok, err := storage.ParseIDCursor(after, tenant, listCustomers)
	if err != nil {
		return nil, "", storage.E(op, storage.ErrInvalidCursor, nil)
	}
	t := r.tenant(tenant)
	if t == nil {
		return nil, "", nil
	}
	o := &t.customerOrder
	i := 0
	if ok {
		i = o.after(key{id: last})
	}
	n := min(pageSize(limit), o.len()-i)
	out := make([]customer.Customer, n)
	for k := range out {
		out[k] = cloneCustomer(o.at(i + k).v)
	}
	if i+n == o.len() {
		return out, "", nil
	}
	return out, storage.IDCursor(tenant, listCustomers, o.at(i+n-1).k.id), nil
}

// CreateCustomer implements [storage.CustomerWriter]. It fails with
// [storage.ErrInvalidArgument] when c has no Tenant or ID or a non-zero
// Revision, and with [storage.ErrAlreadyExists].
func (x *txn) CreateCustomer(ctx context.Context, c customer.Customer) error {
	return create(x, ctx, customers, &c)
}

// UpdateCustomer implements [storage.CustomerWriter].
func (x *txn) UpdateCustomer(ctx context.Context, c customer.Customer) (int64, error) {
	return update(x, ctx, customers, &c)
}

// DeleteCustomer implements [storage.CustomerWriter].
func (x *txn) DeleteCustomer(ctx context.Context, tenant dealer.Tenant, id customer.ID, revision int64) error {
	return remove(x, ctx, customers, tenant, id, revision)
}
