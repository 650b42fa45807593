package memstore

import (
	"context"
	"errors"
	"sync/atomic"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

// Compile-time checks that Backend implements the contract and the bulk
// capability.
var (
	_ storage.Backend    = (*Backend)(nil)
	_ storage.BulkWriter = (*Backend)(nil)
	_ storage.HeadReader = (*Backend)(nil)
	_ storage.Tx         = (*txn)(nil)

	_ storage.LineStateReader = (*Backend)(nil)
	_ storage.LineStateReader = (*txn)(nil)
)

// Causes kept inside the *storage.Error of an ErrInvalidArgument.
var (
	errTxDone         = errors.New("memstore: transaction has finished")
	errNoKey          = errors.New("memstore: record has no tenant or no id")
	errCreateRevision = errors.New("memstore: a new record must have revision 0")
)

// Options configures a Backend. It has no fields yet: nil and &Options{}
// mean the same, the defaults.
type Options struct{}

// Backend is an in-memory [storage.Backend]: the embedded default for
// programs that need no durability, and the fake for tests. Everything is
// lost when the process exits or the Backend is closed.
//
// A Backend is safe for concurrent use by many goroutines. Reads run in
// parallel; an Update excludes every other call while it runs (see the
// package documentation). The zero Backend is not usable: call [New].
type Backend struct {
	reader // the storage.Reader methods, taking the read lock

	mu      rwLock
	closed  bool
	tenants map[dealer.Tenant]*tenant
}

// New returns an empty Backend. opts may be nil.
func New(opts *Options) *Backend {
	b := &Backend{tenants: make(map[dealer.Tenant]*tenant)}
	b.reader = reader{b: b}
	return b
}

// tenant holds one tenant's records and indexes. Keeping each tenant apart
// makes isolation structural: a read looks only in its tenant's maps.
type tenant struct {
	customers        map[customer.ID]*customer.Customer
	customerOrder    ordered[customer.Customer] // by ID, for ListCustomers
	customersByLine  multiIndex[channel.Address, customer.ID]
	customersByExtID multiIndex[externalKey, customer.ID]

	consent       map[consent.ID]*consent.Event
	consentByLine map[channel.Address][]*consent.Event // append order
	// ledgers holds each line's events as values, in append order, for
	// LineStates to hand out without copying: appends extend a slice in
	// place past the length readers were given, and every other change
	// replaces it (setLedger), so a slice once handed out never changes.
	ledgers           map[channel.Address][]consent.Event
	consentByCustomer map[customer.ID][]*consent.Event // append order

	interactions   map[interaction.ID]*interaction.Interaction
	timeline       ordered[interaction.Interaction] // every interaction, by (OccurredAt, ID)
	byCustomer     orderedIndex[customer.ID, interaction.Interaction]
	byHousehold    orderedIndex[household.ID, interaction.Interaction]
	byConversation orderedIndex[interaction.ConversationID, interaction.Interaction]
	awaitingReview ordered[interaction.Interaction]                       // those with a flag not yet reviewed, by (OccurredAt, ID)
	sendsByLine    orderedIndex[channel.Address, interaction.Interaction] // outbound ones by address line; see linestate.go

	conversations           map[interaction.ConversationID]*interaction.Conversation
	conversationsByCustomer multiIndex[customer.ID, interaction.ConversationID]
	conversationOrder       ordered[interaction.Conversation] // by (OpenedAt, ID), for Conversations
	pendingHandoffs         ordered[interaction.Conversation] // those with a PendingHandoff, by (OpenedAt, ID)

	commitments     map[interaction.CommitmentID]*interaction.Commitment
	commitmentOrder ordered[interaction.Commitment] // by (Due, ID)

	households         map[household.ID]*household.Household
	householdsByMember multiIndex[customer.ID, household.ID]
	vehicles           map[household.VehicleID]*household.Vehicle
	vehiclesByVIN      multiIndex[household.VIN, household.VehicleID]

	decisions    map[string]*household.Decision     // by suggestion key; see suggestions.go
	merges       map[customer.MergeID][]byte        // merge records, JSON-encoded (a deep copy); see merges.go
	mergesOf     map[customer.ID][]customer.MergeID // merge records by the customers they name
	erasures     map[customer.ErasureID][]byte      // erasure records, JSON-encoded; see erasures.go
	consentByKey map[string][]*consent.Event        // erased events by erased address key

	changes []storage.Change // in commit order
	seq     int64            // the last change sequence number handed out in this tenant
}

func newTenant() *tenant {
	return &tenant{
		customers:               make(map[customer.ID]*customer.Customer),
		customersByLine:         make(multiIndex[channel.Address, customer.ID]),
		customersByExtID:        make(multiIndex[externalKey, customer.ID]),
		consent:                 make(map[consent.ID]*consent.Event),
		consentByLine:           make(map[channel.Address][]*consent.Event),
		ledgers:                 make(map[channel.Address][]consent.Event),
		consentByCustomer:       make(map[customer.ID][]*consent.Event),
		interactions:            make(map[interaction.ID]*interaction.Interaction),
		byCustomer:              make(orderedIndex[customer.ID, interaction.Interaction]),
		byHousehold:             make(orderedIndex[household.ID, interaction.Interaction]),
		byConversation:          make(orderedIndex[interaction.ConversationID, interaction.Interaction]),
		sendsByLine:             make(orderedIndex[channel.Address, interaction.Interaction]),
		conversations:           make(map[interaction.ConversationID]*interaction.Conversation),
		conversationsByCustomer: make(multiIndex[customer.ID, interaction.ConversationID]),
		commitments:             make(map[interaction.CommitmentID]*interaction.Commitment),
		households:              make(map[household.ID]*household.Household),
		householdsByMember:      make(multiIndex[customer.ID, household.ID]),
		vehicles:                make(map[household.VehicleID]*household.Vehicle),
		vehiclesByVIN:           make(multiIndex[household.VIN, household.VehicleID]),
	}
}

// reader implements storage.Reader once for both the Backend (tx == nil:
// each call takes the read lock) and a transaction (the write lock is
// already held).
type reader struct {
	b  *Backend
	tx *txn
}

// lock checks ctx and the backend's state on entry to a read, and takes the
// read lock when reading outside a transaction. On success the caller must
// call unlock.
func (r *reader) lock(ctx context.Context, op string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if r.tx != nil {
		if r.tx.done.Load() {
			return storage.E(op, storage.ErrInvalidArgument, errTxDone)
		}
		return nil
	}
	if err := r.b.mu.rlock(ctx); err != nil {
		return err
	}
	if r.b.closed {
		r.b.mu.runlock()
		return storage.E(op, storage.ErrClosed, nil)
	}
	return nil
}

func (r *reader) unlock() {
	if r.tx == nil {
		r.b.mu.runlock()
	}
}

// tenant returns the tenant's data, or nil when it has none.
func (r *reader) tenant(t dealer.Tenant) *tenant { return r.b.tenants[t] }

// txn is the storage.Tx that Update passes to fn. It writes straight into
// the backend's maps (Update holds the write lock, so nobody else can see
// them) and keeps an undo log to roll back. Changes are buffered and given
// their sequence numbers at commit.
type txn struct {
	reader
	undo    []func()
	changes []storage.Change
	done    atomic.Bool
}

// enter checks ctx and the transaction's state on entry to a write.
func (x *txn) enter(ctx context.Context, op string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if x.done.Load() {
		return storage.E(op, storage.ErrInvalidArgument, errTxDone)
	}
	return nil
}

// tenantForWrite returns the tenant's data, creating it when needed. An
// empty tenant left behind by a rollback is harmless.
func (x *txn) tenantForWrite(t dealer.Tenant) *tenant {
	d := x.b.tenants[t]
	if d == nil {
		d = newTenant()
		x.b.tenants[t] = d
	}
	return d
}

func (x *txn) record(t dealer.Tenant, e storage.Entity, id string, op storage.Op, rev int64) {
	x.changes = append(x.changes, storage.Change{Tenant: t, Entity: e, ID: id, Op: op, Revision: rev})
}

func (x *txn) rollback() {
	for i := len(x.undo) - 1; i >= 0; i-- {
		x.undo[i]()
	}
	x.undo, x.changes = nil, nil
}

func (x *txn) commit() {
	b := x.b
	for _, c := range x.changes {
		t := b.tenants[c.Tenant] // created by the write that made the change
		t.seq++
		c.Seq = t.seq
		t.changes = append(t.changes, c)
	}
	x.undo, x.changes = nil, nil
}

// Update runs fn in a transaction; see [storage.Backend.Update].
//
// The transaction holds the Backend's write lock from start to end, so
// transactions are serializable and run one at a time, and no read outside
// the transaction sees its writes before it commits. Writes go straight to
// the stored maps with an undo log: when fn returns an error or panics, the
// log is replayed and nothing is left (a panic continues after the
// rollback). When ctx is done by the time fn returns nil, the transaction
// is rolled back too and Update returns ctx.Err().
//
// fn must do all its work through tx. A call on the Backend itself from
// inside fn (a read, or a nested Update) waits for this Update, which waits
// for fn: it fails with its ctx's error once that ctx is done, as the
// contract ([storage.Backend.Update]) allows; Close from inside fn
// deadlocks. Using tx after fn returns fails with
// [storage.ErrInvalidArgument].
func (b *Backend) Update(ctx context.Context, fn func(tx storage.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := b.mu.lock(ctx); err != nil {
		return err
	}
	defer b.mu.unlock()
	if b.closed {
		return storage.E("memstore.Update", storage.ErrClosed, nil)
	}
	x := &txn{}
	x.reader = reader{b: b, tx: x}
	committed := false
	defer func() {
		x.done.Store(true)
		if !committed {
			x.rollback() // fn failed or panicked; a panic resumes after this
		}
	}()
	if err := fn(x); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	x.commit()
	committed = true
	return nil
}

// Close discards every record. Later calls on the Backend fail with
// [storage.ErrClosed]. Close waits for a running Update to finish, is
// idempotent and always returns nil.
func (b *Backend) Close() error {
	b.mu.lock(context.Background()) // cannot fail: the context is never done
	defer b.mu.unlock()
	b.closed = true
	b.tenants = nil
	return nil
}

// BulkCreateCustomers creates every customer in one transaction, as if by
// CreateCustomer (same errors): all are stored, with their change records,
// or none.
func (b *Backend) BulkCreateCustomers(ctx context.Context, cs []customer.Customer) error {
	return b.Update(ctx, func(tx storage.Tx) error {
		for i := range cs {
			if err := tx.CreateCustomer(ctx, cs[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

// BulkCreateInteractions creates every interaction in one transaction, as
// if by CreateInteraction (same errors): all are stored, with their change
// records, or none.
func (b *Backend) BulkCreateInteractions(ctx context.Context, is []interaction.Interaction) error {
	return b.Update(ctx, func(tx storage.Tx) error {
		for i := range is {
			if err := tx.CreateInteraction(ctx, is[i]); err != nil {
				return err
			}
		}
		return nil
	})
}
