package memstore

import (
	"context"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/storage"
)

// CustomersByAddresses implements [storage.CustomerBatcher]: a map lookup
// per line, as CustomersByAddress does.
func (x *txn) CustomersByAddresses(ctx context.Context, tenant dealer.Tenant, addrs []channel.Address) (map[channel.Address][]customer.ID, error) {
	out := make(map[channel.Address][]customer.ID, len(addrs))
	for _, a := range addrs {
		ids, err := x.CustomersByAddress(ctx, tenant, a)
		if err != nil {
			return nil, err
		}
		if len(ids) > 0 {
			out[a.Line()] = ids
		}
	}
	return out, nil
}

// CustomersByExternalIDs implements [storage.CustomerBatcher], as
// CustomersByAddresses does.
func (x *txn) CustomersByExternalIDs(ctx context.Context, tenant dealer.Tenant, keys []storage.ExternalKey) (map[storage.ExternalKey][]customer.ID, error) {
	out := make(map[storage.ExternalKey][]customer.ID, len(keys))
	for _, k := range keys {
		ids, err := x.CustomersByExternalID(ctx, tenant, k.System, k.Value)
		if err != nil {
			return nil, err
		}
		if len(ids) > 0 {
			out[k] = ids
		}
	}
	return out, nil
}

// CreateCustomers implements [storage.CustomerBatcher]: CreateCustomer for
// each, in order (memstore has no per-statement cost to save).
func (x *txn) CreateCustomers(ctx context.Context, cs []customer.Customer) error {
	for _, c := range cs {
		if err := x.CreateCustomer(ctx, c); err != nil {
			return err
		}
	}
	return nil
}
