package storage

import (
	"context"

	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
)

// EntityErasure is the entity of a change that records an erasure
// (customer.Erasure); its ID is the erasure ID.
const EntityErasure Entity = "erasure"

// ErasedPrefix starts every erased address key: the keyed hash that
// replaces an address in the consent ledger when the person it belonged
// to is erased.
const ErasedPrefix = "erased:"

// ErasureReader reads erasure records, the consent events kept under an
// erased address's keyed hash, and the merge records naming a customer.
type ErasureReader interface {
	// GetErasure returns the erasure record, ErrNotFound, or ErrCorrupt.
	GetErasure(ctx context.Context, tenant dealer.Tenant, id customer.ErasureID) (customer.Erasure, error)
	// ConsentByKey returns the events erased under key (an ErasedPrefix
	// key), in the order they were appended; none is not an error. Their
	// Subject.Address is zero.
	ConsentByKey(ctx context.Context, tenant dealer.Tenant, key string) ([]consent.Event, error)
	// MergesByCustomer returns the IDs of the merge records naming the
	// customer as survivor or merged, in ID order.
	MergesByCustomer(ctx context.Context, tenant dealer.Tenant, id customer.ID) ([]customer.MergeID, error)
}

// ErasureWriter is the one way personal data leaves records that are
// otherwise never changed: the consent ledger (append-only) and merge
// records (write-once). It is narrow by design:
//
//   - RecordErasure stores the erasure record (write-once, ErrAlreadyExists)
//     with a change record (EntityErasure, OpCreate, revision 0);
//   - EraseConsent rewrites one ledger event in place, and only to erase
//     it: the erasure record must have been recorded (else
//     ErrInvalidArgument), key must start with ErasedPrefix (else
//     ErrInvalidArgument), the event must exist (ErrNotFound) and must not
//     be erased already (ErrConflict), and e must keep its ID and tenant.
//     The stored event becomes e, found by ConsentByKey(key) and no longer
//     by address or customer. SQL backends enforce this in the engine too:
//     their append-only triggers let an UPDATE of a ledger row through only
//     when an erasure names the event and the row moves to an erased key,
//     once; a DELETE never;
//   - EraseMerge replaces a merge record's stored form by m (same ID and
//     tenant; ErrNotFound).
//
// EraseConsent and EraseMerge each append a change record (OpUpdate,
// revision 0).
type ErasureWriter interface {
	RecordErasure(ctx context.Context, e customer.Erasure) error
	EraseConsent(ctx context.Context, erasure customer.ErasureID, e consent.Event, key string) error
	EraseMerge(ctx context.Context, m customer.MergeRecord) error
}
