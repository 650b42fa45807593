package storage

import (
	"context"

	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/interaction"
)

// EntityErasure is the entity of a change that records an erasure
// (customer.Erasure); its ID is the erasure ID.
const EntityErasure Entity = "erasure"

// ErasedPrefix starts every erased address key: the keyed hash that
// replaces an address in the consent ledger when the person it belonged
// to is erased.
const ErasedPrefix = "erased:"

// Mentions are the records outside a customer's own (those keyed by the
// customer) that name the customer: what an erasure must also rewrite.
type Mentions struct {
	// Vehicles are the vehicles listing the customer as a stakeholder, in
	// ID order.
	Vehicles []household.VehicleID
	// Referrals are the interactions whose Referral names the customer as
	// referrer or referred, in ID order.
	Referrals []interaction.ID
	// Decisions are the keys of the household-suggestion decisions listing
	// the customer among their members, in key order.
	Decisions []string
}

// ErasureReader reads erasure records, the consent events kept under an
// erased address's keyed hash, the merge records naming a customer, and
// the other records that mention one.
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
	// MentionsOf returns the records outside the customer's own that name
	// it; none is not an error. No index serves it: it reads the tenant's
	// vehicles, referral interactions (interaction.KindReferral, the only
	// kind that carries a Referral) and suggestion decisions, which an
	// erasure, being rare, can afford.
	MentionsOf(ctx context.Context, tenant dealer.Tenant, id customer.ID) (Mentions, error)
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
//     tenant; ErrNotFound);
//   - EraseDecision replaces a household-suggestion decision's stored form
//     by d (same tenant and key; ErrNotFound, and ErrInvalidArgument when
//     d has no tenant or key).
//
// EraseConsent, EraseMerge and EraseDecision each append a change record
// (OpUpdate, revision 0).
type ErasureWriter interface {
	RecordErasure(ctx context.Context, e customer.Erasure) error
	EraseConsent(ctx context.Context, erasure customer.ErasureID, e consent.Event, key string) error
	EraseMerge(ctx context.Context, m customer.MergeRecord) error
	EraseDecision(ctx context.Context, d household.Decision) error
}
