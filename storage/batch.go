package storage

import (
	"context"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
)

// ExternalKey is an external identifier as the customer lookups compare it:
// System lower-cased, Value exact.
type ExternalKey struct {
	System string
	Value  string
}

// CustomerBatcher is an optional capability of a [Tx] for importing many
// customers in one transaction: the lookups a batch of upserts needs, and
// the creates it makes, in a few statements rather than a few per record.
// rapport's Book.Import takes it when the backend's Tx has it, and
// otherwise makes the same calls one record at a time; both give the same
// records, change records and report.
type CustomerBatcher interface {
	// CustomersByAddresses returns, for every line in lines (each a
	// channel.Address.Line, as CustomersByAddress looks addresses up),
	// what CustomersByAddress returns for it: the IDs in ID order. A line
	// no customer holds has no entry.
	CustomersByAddresses(ctx context.Context, tenant dealer.Tenant, lines []channel.Address) (map[channel.Address][]customer.ID, error)
	// CustomersByExternalIDs returns, for every key in keys (System
	// already lower-cased), what CustomersByExternalID returns for it: the
	// IDs in ID order. A key no customer holds has no entry.
	CustomersByExternalIDs(ctx context.Context, tenant dealer.Tenant, keys []ExternalKey) (map[ExternalKey][]customer.ID, error)
	// CreateCustomers stores cs as CreateCustomer would one after the
	// other: the same records, lookup entries and change records, in slice
	// order, with the same errors (ErrAlreadyExists when an ID is taken or
	// repeated, ErrInvalidArgument). After an error, what was stored of cs
	// is unspecified: the caller fails the transaction.
	CreateCustomers(ctx context.Context, cs []customer.Customer) error
}
