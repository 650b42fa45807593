package rapport

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/internal/idtext"
	"github.com/rapportcim/rapport/storage"
)

// Book is a tenant's book of customer interaction records: the type vendors
// use. It wraps a storage backend and does once, identically for every
// integration, what each would otherwise re-implement: normalization and
// validation before writes, IDs, timestamps and revisions, duplicate
// recognition on import, attaching messages to conversations, timelines and
// the change feed.
//
// A Book is bound to one tenant when it is made: no call on it can read or
// write another tenant's records. Several Books (one per tenant) may share a
// backend. A Book is safe for concurrent use.
type Book struct {
	backend    storage.Backend
	tenant     dealer.Tenant
	now        func() time.Time
	newID      func() ([16]byte, error)
	log        *slog.Logger
	observer   func(context.Context, Operation)
	policies   consent.Policies
	classifier consent.Classifier
	collision  interaction.CollisionPolicy
	lookback   time.Duration // see lookback
	phrases    *interaction.ReviewPhrases
	locs       sync.Map // time zone name → *time.Location
	zoneSets   sync.Map // time zone name → []*time.Location of that one zone, shared read-only by checks
	erasureKey []byte   // see Options.ErasureKey
	guards     customer.Guards
}

// Options configure a Book. The zero Options (or nil) means the defaults.
type Options struct {
	// Now returns the current time; nil means time.Now. Tests inject a fixed
	// clock.
	Now func() time.Time
	// ErasureKey is the tenant's secret key for the keyed hashes under
	// which [Book.Erase] keeps an erased person's suppression facts (an
	// HMAC-SHA-256 of the tenant and the address). Keep it secret and
	// stable: with the same key, [Book.Check] and [Book.ConsentLedger] find
	// those facts for the address again (a number that said STOP stays
	// opted out when it is imported again); with none, Erase fails with
	// [ErrNoErasureKey]. It must be at least 32 bytes; the Book copies it.
	ErasureKey []byte
	// NewID returns a new unique ID for a record; nil means UUIDv7 from
	// crypto/rand. Tests inject a counter for reproducible output.
	NewID func() ([16]byte, error)
	// Logger receives diagnostics, never customer data: one record per
	// write and per Check (Receive, Send, Check, RecordInteraction,
	// UpsertCustomer, UpdateCustomer, RecordConsent, UpdateDelivery,
	// Unsubscribe, ImportLead, Import, and each conversation step as
	// "conversation assigned", "conversation resolved", …) with the call,
	// the tenant, its duration and its
	// outcome — at Debug level on success, Warn for invalid input or a
	// refusal, Error otherwise — and warnings about configuration. nil
	// means none.
	Logger *slog.Logger
	// Observe, when set, is called after each of the calls the Logger
	// reports, with its timing and outcome (see Operation), on the
	// caller's goroutine: to feed a metrics or tracing system without the
	// Book importing one. It must be quick and safe for concurrent use.
	Observe func(context.Context, Operation)
	// Policies are the consent rules per rooftop. The zero Policies means
	// the US preset (consent.US()) for every rooftop.
	Policies consent.Policies
	// Classifier reads inbound texts for STOP, START and HELP; nil means
	// consent.DefaultClassifier() (English and French keywords).
	Classifier *consent.Classifier
	// Collision says when Check warns that another member of staff is
	// already on the customer, and whether that refuses the contact. The
	// zero value warns about contacts in the last 24 hours and never
	// refuses.
	Collision interaction.CollisionPolicy
	// ReviewPhrases are the words that flag an outbound message or note for
	// manager review ("guarantee", "I'll waive the fee"); nil means
	// interaction.DefaultReviewPhrases(), and an empty non-nil slice
	// watches no phrase. Sensitive data found in a message always flags it.
	ReviewPhrases []string
	// Guards are the values that are never evidence that two records
	// describe one person: the dealership's own phone numbers and kiosk
	// emails, placeholder emails ("noemail@…"), numbers and identifiers
	// ("000-000-0000", DMS ID "0"). UpsertCustomer, ImportLead and Import
	// do not match a record to a stored customer by them (the record keeps
	// them), and Duplicates uses them when its options give no rules. nil
	// means customer.DefaultGuards(); add the dealership's own addresses to
	// those. The Book copies them.
	Guards *customer.Guards
}

// ErrTenant is returned by New for an unusable tenant identifier.
var ErrTenant = errors.New("rapport: invalid tenant")

// The errors callers match on when a Book reads or writes records, with
// errors.Is. They are the storage contract's sentinels, re-exported so that
// applications never need to import the storage package (as database/sql
// applications never import its driver package).
var (
	// ErrNotFound: no record with that ID exists in the Book's tenant.
	ErrNotFound = storage.ErrNotFound
	// ErrConflict: the record changed since it was read (a stale
	// Revision); read it again and retry.
	ErrConflict = storage.ErrConflict
	// ErrAlreadyExists: a record with that ID exists already.
	ErrAlreadyExists = storage.ErrAlreadyExists
	// ErrClosed: the backend was closed.
	ErrClosed = storage.ErrClosed
	// ErrInvalidCursor: a cursor is malformed, or came from another list or
	// another tenant.
	ErrInvalidCursor = storage.ErrInvalidCursor
	// ErrCorrupt: a stored record cannot be decoded (its stored form was
	// damaged outside rapport). Reading that record fails with it; a
	// sequence yields the other records and, in place of the damaged ones,
	// a (zero, err) pair with err matching ErrCorrupt and naming them (a
	// *CorruptError per record, with errors.As), then goes on: the
	// caller may skip it (continue) or stop (break). The slices the Book
	// returns whole (customers by address, consent ledgers) fail with it.
	ErrCorrupt = storage.ErrCorrupt
)

// CorruptError names a stored record that cannot be decoded: its kind
// (Entity) and ID. errors.As finds one per damaged record inside an error
// matching ErrCorrupt.
type CorruptError = storage.CorruptError

// Cursor is an opaque position in a list ([Book.Changes],
// [Book.TimelinePage]); the empty Cursor is the beginning. Store it as a
// string and pass it back unchanged.
type Cursor = storage.Cursor

// Change is one record of the change feed ([Book.Changes]): which record
// was written, how, and the cursor to resume after it.
type Change = storage.Change

// Error is how a Book reports a failure of one of its calls: the call
// (Op, "UpsertCustomer") and the cause. Match the cause, never the text:
// errors.Is with [ErrNotFound] and the other sentinels, and errors.As with
// a *customer.ValidationError and the other error types of the domain
// packages, all see through it.
type Error struct {
	Op  string
	Err error
}

func (e *Error) Error() string { return "rapport: " + e.Op + ": " + e.Err.Error() }

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// fail is the Book's one wrapping helper: every exported Book call returns
// its error through it, so each failure names the call once. nil stays nil,
// an error the Book already wrapped passes unchanged, and so do context
// cancellations (a cancelled call reports exactly ctx.Err()).
func fail(op string, err error) error {
	if err == nil {
		return nil
	}
	var be *Error
	if errors.As(err, &be) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return &Error{Op: op, Err: err}
}

// Act says who takes a workflow step, when, and why. Every lifecycle call
// on a conversation, a commitment or a review takes one, and records it.
//
// The zero Act is the system (a sweeper, a job), now, with no reason.
type Act struct {
	// By is the member of staff who acted; zero means the system.
	By dealer.Staff
	// At is when the step happened; zero means now (the Book's clock). Set
	// it when importing history: it may not lie in the future, nor before
	// the record's own timeline allows (a conversation's latest lifecycle
	// step, an interaction's OccurredAt; a commitment recorded today may
	// have been kept yesterday), else the call fails with an
	// *interaction.TransitionError wrapping ErrStepTime and writes
	// nothing.
	At time.Time
	// Reason says why, in staff's words; one line. Some steps require one
	// (escalating, offering a handoff, cancelling a commitment).
	Reason string
}

// when returns the time of an act in its stored form: a.At, or now.
func (a Act) when(now time.Time) time.Time {
	if a.At.IsZero() {
		return now
	}
	return stamp(a.At)
}

// New returns a Book over backend for tenant. It does not take ownership of
// the backend: closing it is the caller's job.
func New(backend storage.Backend, tenant dealer.Tenant, opts *Options) (*Book, error) {
	if backend == nil {
		return nil, errors.New("rapport: nil backend")
	}
	if err := tenant.Validate(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrTenant, err)
	}
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.ErasureKey != nil && len(o.ErasureKey) < minErasureKey {
		return nil, fmt.Errorf("%w: erasure key of %d bytes, want at least %d", ErrNoErasureKey, len(o.ErasureKey), minErasureKey)
	}
	b := &Book{backend: backend, tenant: tenant, now: o.Now, newID: o.NewID, log: o.Logger, observer: o.Observe, policies: o.Policies,
		erasureKey: slices.Clone(o.ErasureKey)}
	b.collision = o.Collision
	b.guards = customer.DefaultGuards()
	if o.Guards != nil {
		g := *o.Guards
		g.Addresses, g.EmailLocalParts, g.EmailDomains = slices.Clone(g.Addresses), slices.Clone(g.EmailLocalParts), slices.Clone(g.EmailDomains)
		g.PhoneEndings, g.ExternalIDs = slices.Clone(g.PhoneEndings), slices.Clone(g.ExternalIDs)
		b.guards = g
	}
	phrases := o.ReviewPhrases
	if phrases == nil {
		phrases = interaction.DefaultReviewPhrases()
	}
	rp, err := interaction.NewReviewPhrases(phrases)
	if err != nil {
		return nil, fmt.Errorf("rapport: review phrases: %w", err)
	}
	b.phrases = rp
	b.classifier = consent.DefaultClassifier()
	if o.Classifier != nil {
		b.classifier = *o.Classifier
	}
	if b.policies.Default.Name == "" && len(b.policies.Default.Rules) == 0 {
		b.policies.Default = consent.US()
	}
	if err := b.policies.Default.Validate(); err != nil {
		return nil, fmt.Errorf("rapport: default consent policy: %w", err)
	}
	for r, p := range b.policies.Rooftops {
		if err := p.Validate(); err != nil {
			return nil, fmt.Errorf("rapport: consent policy for rooftop %q: %w", r, err)
		}
	}
	b.lookback = lookback(b.policies, b.collision)
	if b.now == nil {
		b.now = time.Now
	}
	if b.newID == nil {
		b.newID = idtext.New
	}
	if b.log == nil {
		b.log = slog.New(slog.DiscardHandler)
	}
	return b, nil
}

// Tenant returns the tenant the Book is bound to.
func (b *Book) Tenant() dealer.Tenant { return b.tenant }

// clock returns the current time as stored: UTC, microsecond precision.
func (b *Book) clock() time.Time { return stamp(b.now()) }

// stamp puts t in its stored form: UTC at microsecond precision (what
// PostgreSQL keeps). The zero time stays zero.
func stamp(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC().Truncate(time.Microsecond)
}

func (b *Book) id() ([16]byte, error) {
	id, err := b.newID()
	if err != nil {
		return id, fmt.Errorf("new record ID: %w", err)
	}
	if id == ([16]byte{}) {
		return id, errors.New("the ID generator returned the zero ID")
	}
	return id, nil
}
