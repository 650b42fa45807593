package rapport

import (
	"sync"

	"errors"
	"fmt"
	"github.com/rapportcim/rapport/consent"
	"log/slog"
	"time"

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
	policies   consent.Policies
	classifier consent.Classifier
	collision  interaction.CollisionPolicy
	phrases    *interaction.ReviewPhrases
	locs       sync.Map // time zone name → *time.Location
}

// Options configure a Book. The zero Options (or nil) means the defaults.
type Options struct {
	// Now returns the current time; nil means time.Now. Tests inject a fixed
	// clock.
	Now func() time.Time
	// NewID returns a new unique ID for a record; nil means UUIDv7 from
	// crypto/rand. Tests inject a counter for reproducible output.
	NewID func() ([16]byte, error)
	// Logger receives diagnostics (never customer data); nil means none.
	Logger *slog.Logger
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
}

// ErrTenant is returned by New for an unusable tenant identifier.
var ErrTenant = errors.New("rapport: invalid tenant")

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
	b := &Book{backend: backend, tenant: tenant, now: o.Now, newID: o.NewID, log: o.Logger, policies: o.Policies}
	b.collision = o.Collision
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

// Backend returns the backend the Book was made with.
func (b *Book) Backend() storage.Backend { return b.backend }

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
		return id, fmt.Errorf("rapport: new id: %w", err)
	}
	if id == ([16]byte{}) {
		return id, errors.New("rapport: ID generator returned the zero ID")
	}
	return id, nil
}
