package storage

import (
	"context"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/interaction"
)

// Backend is what a storage engine implements. Application code uses
// rapport.Book, which wraps a Backend; only backends and their tests use
// this interface directly.
//
// Reads through the Backend see committed data. Writes happen only inside
// [Backend.Update], through the [Tx] it passes, so that every multi-record
// workflow is atomic.
//
// # Errors
//
// Every method of Backend, [Reader] and [Tx] may fail with:
//   - ctx.Err() itself (context.Canceled, context.DeadlineExceeded), not
//     wrapped, when ctx is done on entry or while the call waits;
//   - [ErrClosed] after [Backend.Close] (and, for a Tx, after its Update
//     returned: [ErrClosed] or [ErrInvalidArgument], the backend's choice);
//   - [ErrInvalidArgument] for a request the backend cannot serve (an empty
//     tenant, a record without a tenant or ID, text [CheckText] refuses);
//   - an *[Error] with a nil Kind for a failure of the engine itself (a
//     full disk, a lost connection), keeping the native cause.
//
// The method documents below list the sentinels particular to each method.
// Every failure is an *[Error] (made with [E]) except ctx's own errors.
type Backend interface {
	Reader

	// Update runs fn in a read-write transaction. Everything fn writes
	// through tx is committed together when fn returns nil, with one change
	// record per write (see [ChangeReader]); nothing is committed when fn
	// returns an error or panics (the panic is re-raised after rollback).
	// Reads through tx see the transaction's own writes and data committed
	// before it began; no other transaction's writes become visible part-way.
	// Update returns fn's error unchanged, or the commit's error (an *Error),
	// ctx.Err() when ctx is done before the commit, or [ErrClosed].
	//
	// fn runs once: backends never retry it. tx must not be used after fn
	// returns, nor by another goroutine while fn runs.
	//
	// Calls on the Backend itself from inside fn — rather than on tx — are
	// outside the transaction, as if made by another goroutine, and fn must
	// not make them (pass tx down instead). What they do is defined so that
	// the mistake is found rather than hung on:
	//   - they never see fn's uncommitted writes;
	//   - a read either serves committed data (a backend whose readers run
	//     beside its writer, such as sqlitestore) or waits for the running
	//     Update (such as memstore), which waits for fn: it then fails with
	//     its ctx's error once that ctx is done;
	//   - a nested Update is another transaction: on a backend with one
	//     writer (memstore, sqlitestore) it waits for the running one and
	//     fails with its ctx's error once that ctx is done, without running
	//     its fn; on a backend with concurrent writers it may run beside
	//     it, as another goroutine's Update would, seeing none of fn's
	//     uncommitted writes (and may then wait on the same rows; pgstore
	//     waits at fn's first call about a tenant the running one holds).
	// No backend blocks such a call past its ctx. The conformance suite's
	// CallsFromInsideUpdate check holds backends to this.
	Update(ctx context.Context, fn func(tx Tx) error) error

	// Close releases the backend's resources. Calls after Close fail with
	// [ErrClosed]. Close is idempotent.
	Close() error
}

// Reader reads every aggregate.
type Reader interface {
	CustomerReader
	ConsentReader
	InteractionReader
	ConversationReader
	CommitmentReader
	HouseholdReader
	SuggestionReader
	MergeReader
	ErasureReader
	ChangeReader
}

// Tx is a read-write transaction; see [Backend.Update].
type Tx interface {
	Reader
	CustomerWriter
	ConsentWriter
	InteractionWriter
	ConversationWriter
	CommitmentWriter
	HouseholdWriter
	SuggestionWriter
	MergeWriter
	ErasureWriter
}

// CustomerReader reads customers.
type CustomerReader interface {
	// GetCustomer returns the customer: ErrNotFound when the tenant has
	// none with that ID, ErrCorrupt when its stored form cannot be decoded.
	GetCustomer(ctx context.Context, tenant dealer.Tenant, id customer.ID) (customer.Customer, error)
	// CustomersByAddress returns the IDs of the customers with a contact
	// point on addr's line (extensions ignored, see channel.Address.Line),
	// in ID order; none is not an error. A shared family number gives
	// several.
	CustomersByAddress(ctx context.Context, tenant dealer.Tenant, addr channel.Address) ([]customer.ID, error)
	// CustomersByExternalID returns the IDs of the customers holding the
	// identifier (system compared lower-cased), in ID order.
	CustomersByExternalID(ctx context.Context, tenant dealer.Tenant, system, value string) ([]customer.ID, error)
	// ListCustomers pages through the tenant's customers in ID order
	// (ErrInvalidCursor for a cursor of another list or tenant; ErrCorrupt
	// beside the page, as [ErrCorrupt] describes, for records that cannot
	// be decoded).
	ListCustomers(ctx context.Context, tenant dealer.Tenant, after Cursor, limit int) ([]customer.Customer, Cursor, error)
}

// CustomerWriter writes customers.
type CustomerWriter interface {
	// CreateCustomer stores a new customer with Revision 1. It fails with
	// ErrAlreadyExists when the ID is taken in the tenant, and with
	// ErrInvalidArgument when c.Revision is not 0.
	CreateCustomer(ctx context.Context, c customer.Customer) error
	// UpdateCustomer replaces the customer if its stored revision is
	// c.Revision, storing c with Revision c.Revision+1, which it returns.
	// It fails with ErrNotFound or ErrConflict.
	UpdateCustomer(ctx context.Context, c customer.Customer) (int64, error)
	// DeleteCustomer removes the customer if its stored revision is
	// revision (ErrNotFound, ErrConflict). Its interactions and consent
	// events are kept.
	DeleteCustomer(ctx context.Context, tenant dealer.Tenant, id customer.ID, revision int64) error
}

// ConsentReader reads the consent ledger.
type ConsentReader interface {
	// ConsentByAddress returns every event about addr's line, in the order
	// they were appended; none is not an error (ErrCorrupt beside the
	// others for events that cannot be decoded).
	ConsentByAddress(ctx context.Context, tenant dealer.Tenant, addr channel.Address) ([]consent.Event, error)
	// ConsentByCustomer returns every event whose subject names the
	// customer, in the order they were appended.
	ConsentByCustomer(ctx context.Context, tenant dealer.Tenant, id customer.ID) ([]consent.Event, error)
	// GetConsent returns the event with the ID in the tenant, as it is
	// stored now (an erased event with its address replaced by its keyed
	// hash), or ErrNotFound; ErrCorrupt when it cannot be decoded.
	GetConsent(ctx context.Context, tenant dealer.Tenant, id consent.ID) (consent.Event, error)
}

// ConsentWriter appends to the consent ledger. The ledger is append-only:
// there is deliberately no method to change or remove an event.
type ConsentWriter interface {
	// AppendConsent stores e (ErrAlreadyExists when its ID is taken in the
	// tenant).
	AppendConsent(ctx context.Context, e consent.Event) error
}

// InteractionQuery selects interactions for a timeline. The scope fields
// are alternatives: an interaction matches when its customer is one of
// Customers, or its household is Household, or its conversation is
// Conversation; with no scope field set, every interaction of the tenant
// matches. The filter fields narrow that: Channels, Kinds and Rooftops
// match any listed value (none listed = all), and OccurredAt must lie in
// [Since, Until) (zero = unbounded).
type InteractionQuery struct {
	Customers    []customer.ID
	Household    household.ID
	Conversation interaction.ConversationID

	Channels []channel.Kind
	Kinds    []interaction.Kind
	Rooftops []dealer.Rooftop
	Since    time.Time
	Until    time.Time
	// AwaitingReview, when true, keeps only interactions with a flag not
	// yet reviewed (interaction.Interaction.AwaitingReview).
	AwaitingReview bool
}

// InteractionReader reads interactions.
type InteractionReader interface {
	// GetInteraction returns the interaction, or ErrNotFound, or
	// ErrCorrupt.
	GetInteraction(ctx context.Context, tenant dealer.Tenant, id interaction.ID) (interaction.Interaction, error)
	// Interactions pages through the interactions matching q, newest first:
	// ordered by OccurredAt descending, then ID descending
	// (ErrInvalidCursor, and ErrCorrupt beside the page).
	Interactions(ctx context.Context, tenant dealer.Tenant, q InteractionQuery, after Cursor, limit int) ([]interaction.Interaction, Cursor, error)
}

// InteractionWriter writes interactions.
type InteractionWriter interface {
	// CreateInteraction stores a new interaction with Revision 1
	// (ErrAlreadyExists when its ID is taken; ErrInvalidArgument when its
	// Revision is not 0).
	CreateInteraction(ctx context.Context, i interaction.Interaction) error
	// UpdateInteraction replaces it if its stored revision is i.Revision
	// (delivery receipts, review flags), storing Revision i.Revision+1,
	// which it returns (ErrNotFound, ErrConflict).
	UpdateInteraction(ctx context.Context, i interaction.Interaction) (int64, error)
}

// ConversationQuery selects conversations. Set fields must all match;
// Rooftops and Statuses match any listed value (none listed = all);
// PendingHandoff, when true, keeps only conversations with a handoff
// offered and not yet accepted.
type ConversationQuery struct {
	Rooftops       []dealer.Rooftop
	Owner          dealer.Staff
	Team           dealer.Team
	Statuses       []interaction.ConversationStatus
	PendingHandoff bool
}

// CommitmentQuery selects commitments. Set fields must all match; Statuses
// matches any listed status (none = all); DueBefore, when set, keeps those
// due strictly before it; DoneSince, when set, keeps those kept at or
// after it (DoneAt ≥ DoneSince: done ones only). Times are compared at
// microsecond precision, as the backends index them.
type CommitmentQuery struct {
	Owner     dealer.Staff
	Team      dealer.Team
	Rooftop   dealer.Rooftop
	Customer  customer.ID
	Statuses  []interaction.CommitmentStatus
	DueBefore time.Time
	DoneSince time.Time
}

// ConversationReader reads conversations.
type ConversationReader interface {
	// GetConversation returns the conversation, or ErrNotFound, or
	// ErrCorrupt.
	GetConversation(ctx context.Context, tenant dealer.Tenant, id interaction.ConversationID) (interaction.Conversation, error)
	// ConversationsByCustomer returns the customer's conversations whose
	// status is one of statuses (all of them when none is given), oldest
	// first: by OpenedAt, then ID (ErrCorrupt beside the others).
	ConversationsByCustomer(ctx context.Context, tenant dealer.Tenant, id customer.ID, statuses ...interaction.ConversationStatus) ([]interaction.Conversation, error)
	// Conversations pages through the tenant's conversations matching q,
	// oldest first: by OpenedAt, then ID (ErrInvalidCursor, and ErrCorrupt
	// beside the page).
	Conversations(ctx context.Context, tenant dealer.Tenant, q ConversationQuery, after Cursor, limit int) ([]interaction.Conversation, Cursor, error)
}

// ConversationWriter writes conversations.
type ConversationWriter interface {
	// CreateConversation stores a new conversation with Revision 1
	// (ErrAlreadyExists, ErrInvalidArgument as for CreateCustomer).
	CreateConversation(ctx context.Context, c interaction.Conversation) error
	// UpdateConversation replaces it if its stored revision is c.Revision,
	// storing and returning c.Revision+1 (ErrNotFound, ErrConflict).
	UpdateConversation(ctx context.Context, c interaction.Conversation) (int64, error)
}

// CommitmentReader reads commitments.
type CommitmentReader interface {
	// GetCommitment returns the commitment, or ErrNotFound, or ErrCorrupt.
	GetCommitment(ctx context.Context, tenant dealer.Tenant, id interaction.CommitmentID) (interaction.Commitment, error)
	// Commitments pages through the commitments matching q, ordered by Due
	// ascending, then ID ascending (ErrInvalidCursor, and ErrCorrupt beside
	// the page).
	Commitments(ctx context.Context, tenant dealer.Tenant, q CommitmentQuery, after Cursor, limit int) ([]interaction.Commitment, Cursor, error)
}

// CommitmentWriter writes commitments.
type CommitmentWriter interface {
	// CreateCommitment stores a new commitment with Revision 1
	// (ErrAlreadyExists, ErrInvalidArgument as for CreateCustomer).
	CreateCommitment(ctx context.Context, c interaction.Commitment) error
	// UpdateCommitment replaces it if its stored revision is c.Revision,
	// storing and returning c.Revision+1 (ErrNotFound, ErrConflict).
	UpdateCommitment(ctx context.Context, c interaction.Commitment) (int64, error)
}

// HouseholdReader reads households and vehicles.
type HouseholdReader interface {
	// GetHousehold returns the household, or ErrNotFound, or ErrCorrupt.
	GetHousehold(ctx context.Context, tenant dealer.Tenant, id household.ID) (household.Household, error)
	// HouseholdsByMember returns the IDs of the households listing the
	// customer as a member (at any time), in ID order.
	HouseholdsByMember(ctx context.Context, tenant dealer.Tenant, id customer.ID) ([]household.ID, error)
	// GetVehicle returns the vehicle, or ErrNotFound, or ErrCorrupt.
	GetVehicle(ctx context.Context, tenant dealer.Tenant, id household.VehicleID) (household.Vehicle, error)
	// VehiclesByVIN returns the IDs of the vehicles with that VIN, in ID
	// order.
	VehiclesByVIN(ctx context.Context, tenant dealer.Tenant, vin household.VIN) ([]household.VehicleID, error)
}

// HouseholdWriter writes households and vehicles.
type HouseholdWriter interface {
	// CreateHousehold and CreateVehicle store a new record with Revision 1
	// (ErrAlreadyExists, ErrInvalidArgument as for CreateCustomer).
	CreateHousehold(ctx context.Context, h household.Household) error
	// UpdateHousehold and UpdateVehicle replace the record if its stored
	// revision is the given one, storing and returning the next
	// (ErrNotFound, ErrConflict). Backends store the household ↔ vehicle
	// link as given on each side; keeping the two sides in agreement is
	// the Book's work.
	UpdateHousehold(ctx context.Context, h household.Household) (int64, error)
	CreateVehicle(ctx context.Context, v household.Vehicle) error
	UpdateVehicle(ctx context.Context, v household.Vehicle) (int64, error)
}

// ChangeReader reads the change feed.
type ChangeReader interface {
	// Changes returns the tenant's change records after the cursor, in
	// commit order, at most limit of them, and the cursor to continue from
	// (which is after's value when there is nothing new, so a follower can
	// poll with it). Every committed write appears exactly once, and a
	// change becomes visible only after every change ordered before it.
	// The writes of one transaction appear in the order they were made.
	// A cursor of another list or tenant fails with ErrInvalidCursor.
	Changes(ctx context.Context, tenant dealer.Tenant, after Cursor, limit int) ([]Change, Cursor, error)
}

// ChangesList is the list name of the change feed's cursors: backends make
// them with SeqCursor(tenant, ChangesList, seq), so that [Change.Cursor]
// gives a follower the position just after any change it has processed.
const ChangesList = "changes"

// Cursor returns the change feed position just after c, for a follower to
// store and resume from.
func (c Change) Cursor() Cursor { return SeqCursor(c.Tenant, ChangesList, c.Seq) }

// Entity names the kind of record a change is about.
type Entity string

// Entities, as stored.
const (
	EntityCustomer     Entity = "customer"
	EntityConsent      Entity = "consent"
	EntityInteraction  Entity = "interaction"
	EntityConversation Entity = "conversation"
	EntityCommitment   Entity = "commitment"
	EntityHousehold    Entity = "household"
	EntityVehicle      Entity = "vehicle"
)

// Op is what a write did.
type Op string

// Ops, as stored.
const (
	OpCreate Op = "create"
	OpUpdate Op = "update"
	OpDelete Op = "delete"
)

// Change records one committed write.
type Change struct {
	// Seq orders a tenant's changes in commit order. It increases but
	// need not be contiguous. It is numbered per tenant: another tenant's
	// writes never change it, so it reveals nothing about other tenants.
	Seq      int64         `json:"seq"`
	Tenant   dealer.Tenant `json:"tenant"`
	Entity   Entity        `json:"entity"`
	ID       string        `json:"id"` // the record's ID in canonical text form
	Op       Op            `json:"op"`
	Revision int64         `json:"revision,omitempty"` // the revision written; 0 for deletes and consent events
}

// HeadReader is an optional capability for reading many interactions
// cheaply: InteractionHeads pages through the interactions matching q like
// [InteractionReader.Interactions] (same order, filters, page size rules,
// errors and cursors, a cursor of one serving the other) but returns only
// their heads (interaction.Head), which a backend can read without decoding
// whole records.
//
// What uses it: Book.Brief, for the responsiveness of a customer with a long
// history. A caller finding a backend without it reads Interactions and
// takes each one's Head, which is what memstore's implementation does.
type HeadReader interface {
	InteractionHeads(ctx context.Context, tenant dealer.Tenant, q InteractionQuery, after Cursor, limit int) ([]interaction.Head, Cursor, error)
}

// StatisticsUpdater is an optional capability of a Backend whose query
// planner works from statistics about the stored rows (pgstore: PostgreSQL
// keeps them per table). Right after a bulk load the statistics still
// describe the tables as they were, and until they are refreshed
// (PostgreSQL's autovacuum does it in the background, a minute or more
// later) the planner may choose to read whole tables where an index lookup
// would do: the first campaign checked after an import can run many times
// slower than the next. UpdateStatistics refreshes the statistics of the
// tables the backend writes, now (ErrClosed; ctx's error).
//
// What uses it: rapport's Book.Import, after an import that wrote at least
// 10,000 rows. Code loading records through [BulkWriter] should call it
// when done.
type StatisticsUpdater interface {
	UpdateStatistics(ctx context.Context) error
}

// BulkWriter is an optional capability for loading many records at once
// (imports, migrations). Each call is atomic: all records are stored, with
// their change records, or none, with the errors of the Tx method it
// repeats (CreateInteraction, CreateCustomer).
//
// What uses it: nothing in the Book, which writes through [Backend.Update]
// only (Book.Import batches inside transactions with [CustomerBatcher]).
// It serves loaders of existing records (a migration from another system,
// the benchmarks' books); code calling it must do what the Book does
// before a write (validation, IDs, times), and on a backend with
// [StatisticsUpdater] call UpdateStatistics when done. A caller finding a
// backend without it does the same work with the Tx's Create methods
// inside one [Backend.Update], which is what memstore's implementation
// does.
type BulkWriter interface {
	BulkCreateInteractions(ctx context.Context, is []interaction.Interaction) error
	BulkCreateCustomers(ctx context.Context, cs []customer.Customer) error
}
