package rapport

import (
	"context"
	"slices"
	"strings"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/storage"
)

// customerTx is what upserting a customer reads and writes in its
// transaction: the storage.Tx itself, or an import batch's customerBatch
// in front of it.
type customerTx interface {
	GetCustomer(ctx context.Context, tenant dealer.Tenant, id customer.ID) (customer.Customer, error)
	CustomersByAddress(ctx context.Context, tenant dealer.Tenant, addr channel.Address) ([]customer.ID, error)
	CustomersByExternalID(ctx context.Context, tenant dealer.Tenant, system, value string) ([]customer.ID, error)
	CreateCustomer(ctx context.Context, c customer.Customer) error
	UpdateCustomer(ctx context.Context, c customer.Customer) (int64, error)
}

// customerBatch is the customerTx of an import batch whose transaction has
// storage.CustomerBatcher. It reads, in two queries before the batch, the
// customers holding any address line or external ID of the batch's
// customers, and answers the lookups of those keys from what it read, kept
// up to date with the batch's own creates and updates (which is all that
// changes customers during an import). It holds the creates back and
// writes them together at the next flush: before any other read or write
// of a customer it cannot answer, and before the transaction is used for
// anything else (a row's vehicle, consent or interaction, the end of the
// batch), so that the transaction receives the writes in the order the
// single-record path makes them.
type customerBatch struct {
	tx      storage.Tx
	batcher storage.CustomerBatcher
	tenant  dealer.Tenant

	byAddress  map[channel.Address][]customer.ID     // every line read, with its holders (none: nil)
	byExternal map[storage.ExternalKey][]customer.ID // every key read, with its holders
	addresses  map[customer.ID][]channel.Address     // the lines each known holder is listed under
	externals  map[customer.ID][]storage.ExternalKey // the keys each known holder is listed under

	pending []customer.Customer // created, not yet written
	held    map[customer.ID]bool
}

// newCustomerBatch reads the holders of every address line and external ID
// of the batch's customers (rows rejected before writing are left out).
func newCustomerBatch(ctx context.Context, tx storage.Tx, batcher storage.CustomerBatcher, tenant dealer.Tenant, rows []importRow) (*customerBatch, error) {
	cb := &customerBatch{tx: tx, batcher: batcher, tenant: tenant,
		byAddress: map[channel.Address][]customer.ID{}, byExternal: map[storage.ExternalKey][]customer.ID{},
		addresses: map[customer.ID][]channel.Address{}, externals: map[customer.ID][]storage.ExternalKey{},
		held: map[customer.ID]bool{}}
	var lines []channel.Address
	var keys []storage.ExternalKey
	for i := range rows {
		c := rows[i].customer
		if rows[i].err != nil || c == nil {
			continue
		}
		for _, l := range customerLines(c) {
			if _, ok := cb.byAddress[l]; !ok {
				cb.byAddress[l] = nil
				lines = append(lines, l)
			}
		}
		for _, k := range externalKeys(c) {
			if _, ok := cb.byExternal[k]; !ok {
				cb.byExternal[k] = nil
				keys = append(keys, k)
			}
		}
	}
	if len(lines) > 0 {
		found, err := batcher.CustomersByAddresses(ctx, tenant, lines)
		if err != nil {
			return nil, err
		}
		for l, ids := range found {
			if _, asked := cb.byAddress[l]; !asked {
				continue
			}
			cb.byAddress[l] = ids
			for _, id := range ids {
				cb.addresses[id] = append(cb.addresses[id], l)
			}
		}
	}
	if len(keys) > 0 {
		found, err := batcher.CustomersByExternalIDs(ctx, tenant, keys)
		if err != nil {
			return nil, err
		}
		for k, ids := range found {
			if _, asked := cb.byExternal[k]; !asked {
				continue
			}
			cb.byExternal[k] = ids
			for _, id := range ids {
				cb.externals[id] = append(cb.externals[id], k)
			}
		}
	}
	return cb, nil
}

// customerLines returns the distinct address lines c is found by.
func customerLines(c *customer.Customer) []channel.Address {
	var out []channel.Address
	for _, cp := range c.ContactPoints {
		if l := cp.Address.Line(); !cp.Address.IsZero() && !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out
}

// externalKeys returns the distinct external IDs c is found by.
func externalKeys(c *customer.Customer) []storage.ExternalKey {
	var out []storage.ExternalKey
	for _, x := range c.ExternalIDs {
		if k := (storage.ExternalKey{System: strings.ToLower(x.System), Value: x.Value}); !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

// GetCustomer reads through the transaction, after writing a held create
// of that customer.
func (cb *customerBatch) GetCustomer(ctx context.Context, tenant dealer.Tenant, id customer.ID) (customer.Customer, error) {
	if cb.held[id] {
		if err := cb.flush(ctx); err != nil {
			return customer.Customer{}, err
		}
	}
	return cb.tx.GetCustomer(ctx, tenant, id)
}

// CustomersByAddress answers from what was read for the batch, or reads
// through the transaction after a flush.
func (cb *customerBatch) CustomersByAddress(ctx context.Context, tenant dealer.Tenant, addr channel.Address) ([]customer.ID, error) {
	if ids, ok := cb.byAddress[addr.Line()]; ok && tenant == cb.tenant && !addr.IsZero() {
		return slices.Clone(ids), nil
	}
	if err := cb.flush(ctx); err != nil {
		return nil, err
	}
	return cb.tx.CustomersByAddress(ctx, tenant, addr)
}

// CustomersByExternalID answers from what was read for the batch, or
// reads through the transaction after a flush.
func (cb *customerBatch) CustomersByExternalID(ctx context.Context, tenant dealer.Tenant, system, value string) ([]customer.ID, error) {
	if ids, ok := cb.byExternal[storage.ExternalKey{System: strings.ToLower(system), Value: value}]; ok && tenant == cb.tenant {
		return slices.Clone(ids), nil
	}
	if err := cb.flush(ctx); err != nil {
		return nil, err
	}
	return cb.tx.CustomersByExternalID(ctx, tenant, system, value)
}

// CreateCustomer holds the create for the next flush; its errors are the
// flush's.
func (cb *customerBatch) CreateCustomer(ctx context.Context, c customer.Customer) error {
	if c.Tenant != cb.tenant {
		if err := cb.flush(ctx); err != nil {
			return err
		}
		return cb.tx.CreateCustomer(ctx, c)
	}
	c = c.Clone()
	cb.pending = append(cb.pending, c)
	cb.held[c.ID] = true
	cb.list(&c)
	return nil
}

// UpdateCustomer writes the held creates, then the update, and lists the
// customer under its new keys.
func (cb *customerBatch) UpdateCustomer(ctx context.Context, c customer.Customer) (int64, error) {
	if err := cb.flush(ctx); err != nil {
		return 0, err
	}
	rev, err := cb.tx.UpdateCustomer(ctx, c)
	if err != nil || c.Tenant != cb.tenant {
		return rev, err
	}
	for _, l := range cb.addresses[c.ID] {
		cb.byAddress[l] = slices.DeleteFunc(cb.byAddress[l], func(id customer.ID) bool { return id == c.ID })
	}
	for _, k := range cb.externals[c.ID] {
		cb.byExternal[k] = slices.DeleteFunc(cb.byExternal[k], func(id customer.ID) bool { return id == c.ID })
	}
	delete(cb.addresses, c.ID)
	delete(cb.externals, c.ID)
	cb.list(&c)
	return rev, nil
}

// list adds c under each of its keys that the batch knows, in ID order.
func (cb *customerBatch) list(c *customer.Customer) {
	for _, l := range customerLines(c) {
		if ids, ok := cb.byAddress[l]; ok {
			cb.byAddress[l] = insertID(ids, c.ID)
			cb.addresses[c.ID] = append(cb.addresses[c.ID], l)
		}
	}
	for _, k := range externalKeys(c) {
		if ids, ok := cb.byExternal[k]; ok {
			cb.byExternal[k] = insertID(ids, c.ID)
			cb.externals[c.ID] = append(cb.externals[c.ID], k)
		}
	}
}

// insertID inserts id into the ID-ordered ids, once.
func insertID(ids []customer.ID, id customer.ID) []customer.ID {
	i, found := slices.BinarySearchFunc(ids, id, compareIDs)
	if found {
		return ids
	}
	return slices.Insert(ids, i, id)
}

// flush writes the held creates, in order: one CreateCustomer for a single
// customer (so that a batch retried row by row fails as the single-record
// path does), else one CreateCustomers. A nil customerBatch holds nothing.
func (cb *customerBatch) flush(ctx context.Context) error {
	if cb == nil || len(cb.pending) == 0 {
		return nil
	}
	var err error
	if len(cb.pending) == 1 {
		err = cb.tx.CreateCustomer(ctx, cb.pending[0])
	} else {
		err = cb.batcher.CreateCustomers(ctx, cb.pending)
	}
	cb.pending = cb.pending[:0]
	clear(cb.held)
	return err
}
