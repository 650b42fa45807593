package customer

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/dealer"
)

// Limits Validate enforces, so that one bad import row cannot bloat storage.
const (
	MaxContactPoints = 32
	MaxExternalIDs   = 32
	MaxTags          = 64
	MaxTextLen       = 1024 // bytes, for names, tags, sources and other short text
)

// Customer is a person or business the dealership deals with.
//
// A Customer is a value: copying it copies the slices' headers, not their
// elements, so use [Customer.Clone] before changing a copy's slices. The
// storage layer always returns fresh copies.
//
// ID, Tenant, CreatedAt, UpdatedAt and Revision are set by the Book and the
// storage backend; callers building a new customer leave them zero.
type Customer struct {
	ID     ID            `json:"id,omitzero"`
	Tenant dealer.Tenant `json:"tenant,omitempty"`
	Party  Party         `json:"party,omitempty"`

	Name    Name   `json:"name,omitzero"`
	Aliases []Name `json:"aliases,omitempty"` // other names: maiden names, spellings from other systems

	// ContactPoints are the customer's addresses, each at most once.
	ContactPoints []ContactPoint `json:"contact_points,omitempty"`
	// PostalAddresses are where the customer lives, works or is billed.
	// Consent rules of the state or province of every address that is not
	// a billing address apply to contact with the customer, with those of
	// the phone number's area code (rapport.Book.Check).
	PostalAddresses []PostalAddress    `json:"postal_addresses,omitempty"`
	Preference      channel.Preference `json:"preference,omitzero"`
	ExternalIDs     []ExternalID       `json:"external_ids,omitempty"`
	LifeEvents      []LifeEvent        `json:"life_events,omitempty"`
	Referrals       []Referral         `json:"referrals,omitempty"`
	Tags            []string           `json:"tags,omitempty"`
	Source          string             `json:"source,omitempty"`     // where the customer first came from: "walk-in", "cars.com", "dms-import"
	Attributes      map[string]string  `json:"attributes,omitempty"` // fields from other systems with no place here, kept verbatim

	CreatedAt time.Time `json:"created_at,omitzero"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
	// Revision counts writes; storage rejects a write whose Revision is not
	// the stored one (optimistic concurrency). Zero means never stored.
	Revision int64 `json:"revision,omitempty"`
}

// ContactPoint is one way to reach the customer.
type ContactPoint struct {
	Address channel.Address `json:"address"`
	Usage   Usage           `json:"usage,omitempty"`
	// Primary marks the preferred address of its scheme (one primary phone,
	// one primary email).
	Primary bool `json:"primary,omitempty"`
	// Rank orders addresses of one scheme, lowest first, after the primary.
	// Zero means unranked (after every ranked one).
	Rank       int       `json:"rank,omitempty"`
	Verified   bool      `json:"verified,omitempty"`
	VerifiedAt time.Time `json:"verified_at,omitzero"`
	// SMS says whether a phone line can receive texts: unknown until a
	// carrier lookup or a delivery says so.
	SMS    Capability `json:"sms,omitempty"`
	Source string     `json:"source,omitempty"` // which system or form supplied it
	// BestTime lists when contact through this address is welcome, read in
	// Zone (an IANA name). Empty means no stated time.
	BestTime []channel.Window `json:"best_time,omitempty"`
	Zone     string           `json:"zone,omitempty"`
	// UndeliverableAt is when a hard bounce or a permanent carrier failure
	// was last seen; zero means none. Reason says what the provider said.
	UndeliverableAt     time.Time `json:"undeliverable_at,omitzero"`
	UndeliverableReason string    `json:"undeliverable_reason,omitempty"`
}

// Undeliverable reports whether the address is marked as unable to receive.
func (cp ContactPoint) Undeliverable() bool { return !cp.UndeliverableAt.IsZero() }

// ExternalID is the customer's identifier in another system.
type ExternalID struct {
	System string `json:"system"` // "cdk", "reynolds", "dealertrack", "vinsolutions", "autotrader"
	Value  string `json:"value"`
}

// LifeEvent is a moment in the customer's life: a birthday, a purchase
// anniversary, a new job.
type LifeEvent struct {
	Kind   LifeEventKind `json:"kind"`
	Date   Date          `json:"date,omitzero"`
	Note   string        `json:"note,omitempty"`
	Source string        `json:"source,omitempty"`
}

// Referral links this customer with one they referred or were referred by.
type Referral struct {
	Customer ID           `json:"customer"`
	Role     ReferralRole `json:"role"`
	At       time.Time    `json:"at,omitzero"`
	Note     string       `json:"note,omitempty"`
}

// Clone returns a deep copy of c.
func (c Customer) Clone() Customer {
	c.Aliases = append([]Name(nil), c.Aliases...)
	c.ContactPoints = append([]ContactPoint(nil), c.ContactPoints...)
	for i := range c.ContactPoints {
		c.ContactPoints[i].BestTime = append([]channel.Window(nil), c.ContactPoints[i].BestTime...)
	}
	c.PostalAddresses = append([]PostalAddress(nil), c.PostalAddresses...)
	for i := range c.PostalAddresses {
		c.PostalAddresses[i].Lines = append([]string(nil), c.PostalAddresses[i].Lines...)
	}
	c.Preference.Kinds = append([]channel.Kind(nil), c.Preference.Kinds...)
	c.Preference.Windows = append([]channel.Window(nil), c.Preference.Windows...)
	c.ExternalIDs = append([]ExternalID(nil), c.ExternalIDs...)
	c.LifeEvents = append([]LifeEvent(nil), c.LifeEvents...)
	c.Referrals = append([]Referral(nil), c.Referrals...)
	c.Tags = append([]string(nil), c.Tags...)
	if c.Attributes != nil {
		m := make(map[string]string, len(c.Attributes))
		for k, v := range c.Attributes {
			m[k] = v
		}
		c.Attributes = m
	}
	return c
}

// Normalize puts c in its stored form: name parts and aliases trimmed and in
// NFC, tags trimmed and de-duplicated, external ID systems lower-cased,
// postal addresses normalized (see [PostalAddress]). It is
// idempotent, and the Book applies it before every write.
func (c *Customer) Normalize() {
	c.Name = c.Name.normalized()
	for i := range c.Aliases {
		c.Aliases[i] = c.Aliases[i].normalized()
	}
	for i := range c.ExternalIDs {
		c.ExternalIDs[i].System = strings.ToLower(strings.TrimSpace(c.ExternalIDs[i].System))
		c.ExternalIDs[i].Value = strings.TrimSpace(c.ExternalIDs[i].Value)
	}
	if len(c.Tags) > 0 {
		seen := make(map[string]bool, len(c.Tags))
		tags := c.Tags[:0]
		for _, t := range c.Tags {
			t = strings.TrimSpace(t)
			if t != "" && !seen[t] {
				seen[t] = true
				tags = append(tags, t)
			}
		}
		c.Tags = tags
	}
	c.Source = strings.TrimSpace(c.Source)
	for i := range c.PostalAddresses {
		c.PostalAddresses[i] = c.PostalAddresses[i].normalized()
	}
}

// Contact returns the best contact point for reaching the customer by kind
// k: among the addresses that support k and are not marked undeliverable,
// the primary one, else the lowest Rank, else the first listed.
func (c *Customer) Contact(k channel.Kind) (ContactPoint, bool) {
	best := -1
	for i, cp := range c.ContactPoints {
		if !cp.Address.Supports(k) || cp.Undeliverable() {
			continue
		}
		if best < 0 || better(cp, c.ContactPoints[best]) {
			best = i
		}
	}
	if best < 0 {
		return ContactPoint{}, false
	}
	return c.ContactPoints[best], true
}

func better(a, b ContactPoint) bool {
	if a.Primary != b.Primary {
		return a.Primary
	}
	ra, rb := a.Rank, b.Rank
	if ra == 0 {
		ra = int(^uint(0) >> 1)
	}
	if rb == 0 {
		rb = int(^uint(0) >> 1)
	}
	return ra < rb
}

// HasAddress reports whether a (compared as a whole line, see
// channel.Address.Line) is one of the customer's contact points.
func (c *Customer) HasAddress(a channel.Address) bool {
	line := a.Line()
	for _, cp := range c.ContactPoints {
		if cp.Address.Line() == line {
			return true
		}
	}
	return false
}

// ExternalID returns the customer's identifier in system (compared without
// case), or "".
func (c *Customer) ExternalID(system string) string {
	for _, x := range c.ExternalIDs {
		if strings.EqualFold(x.System, system) {
			return x.Value
		}
	}
	return ""
}

// Validate returns every problem with c, joined with errors.Join, or nil.
// Each problem is a *ValidationError naming its field ("contact_points[1].zone")
// and wrapping a sentinel of this package (ErrMissing, ErrInvalid,
// ErrDuplicate, ErrTooMany, ErrInvalidName, ErrInvalidContact) and, where the
// channel package found the problem, its sentinel too. Enum values this
// version does not know are accepted: a newer version may have written them.
//
// A customer needs a name or at least one contact point.
func (c *Customer) Validate() error {
	var v validator
	if c.Tenant != "" {
		if err := c.Tenant.Validate(); err != nil {
			v.add("tenant", err)
		}
	}
	if c.Name.IsZero() && len(c.ContactPoints) == 0 {
		v.add("name", fmt.Errorf("%w: a customer needs a name or a contact point", ErrMissing))
	}
	v.name("name", c.Name)
	for i, n := range c.Aliases {
		field := fmt.Sprintf("aliases[%d]", i)
		if n.IsZero() {
			v.add(field, fmt.Errorf("%w: empty alias", ErrInvalidName))
		}
		v.name(field, n)
	}
	if len(c.ContactPoints) > MaxContactPoints {
		v.add("contact_points", fmt.Errorf("%w: more than %d", ErrTooMany, MaxContactPoints))
	}
	seen := make(map[channel.Address]int, len(c.ContactPoints))
	primary := make(map[channel.Scheme]int)
	for i, cp := range c.ContactPoints {
		field := fmt.Sprintf("contact_points[%d]", i)
		v.contact(field, cp)
		if cp.Address.IsZero() {
			continue
		}
		if j, dup := seen[cp.Address.Line()]; dup {
			v.add(field+".address", fmt.Errorf("%w: same line as contact_points[%d]", ErrDuplicate, j))
		} else {
			seen[cp.Address.Line()] = i
		}
		if cp.Primary {
			if j, dup := primary[cp.Address.Scheme()]; dup {
				v.add(field+".primary", fmt.Errorf("%w: contact_points[%d] is already primary for %s", ErrDuplicate, j, cp.Address.Scheme()))
			} else {
				primary[cp.Address.Scheme()] = i
			}
		}
	}
	if len(c.PostalAddresses) > MaxPostalAddresses {
		v.add("postal_addresses", fmt.Errorf("%w: more than %d", ErrTooMany, MaxPostalAddresses))
	}
	for i, a := range c.PostalAddresses {
		v.postal(fmt.Sprintf("postal_addresses[%d]", i), a)
	}
	if err := c.Preference.Validate(); err != nil {
		v.add("preference", err)
	}
	if len(c.ExternalIDs) > MaxExternalIDs {
		v.add("external_ids", fmt.Errorf("%w: more than %d", ErrTooMany, MaxExternalIDs))
	}
	ext := make(map[ExternalID]int, len(c.ExternalIDs))
	for i, x := range c.ExternalIDs {
		field := fmt.Sprintf("external_ids[%d]", i)
		v.text(field+".system", x.System, true)
		v.text(field+".value", x.Value, true)
		key := ExternalID{System: strings.ToLower(strings.TrimSpace(x.System)), Value: strings.TrimSpace(x.Value)}
		if j, dup := ext[key]; dup {
			v.add(field, fmt.Errorf("%w: same as external_ids[%d]", ErrDuplicate, j))
		} else {
			ext[key] = i
		}
	}
	for i, e := range c.LifeEvents {
		field := fmt.Sprintf("life_events[%d]", i)
		if e.Kind == LifeEventUnknown {
			v.add(field+".kind", fmt.Errorf("%w: kind", ErrMissing))
		}
		if !e.Date.IsZero() && !e.Date.Valid() {
			v.add(field+".date", fmt.Errorf("%w: not a calendar date", ErrInvalid))
		}
		v.text(field+".note", e.Note, false)
	}
	for i, r := range c.Referrals {
		field := fmt.Sprintf("referrals[%d]", i)
		if r.Customer.IsZero() {
			v.add(field+".customer", fmt.Errorf("%w: customer", ErrMissing))
		} else if r.Customer == c.ID {
			v.add(field+".customer", fmt.Errorf("%w: a customer cannot refer themself", ErrInvalid))
		}
		if r.Role == ReferralUnknown {
			v.add(field+".role", fmt.Errorf("%w: role", ErrMissing))
		}
	}
	if len(c.Tags) > MaxTags {
		v.add("tags", fmt.Errorf("%w: more than %d", ErrTooMany, MaxTags))
	}
	for i, t := range c.Tags {
		v.text(fmt.Sprintf("tags[%d]", i), t, true)
	}
	v.text("source", c.Source, false)
	if c.Revision < 0 {
		v.add("revision", fmt.Errorf("%w: negative", ErrInvalid))
	}
	v.errs = checkAllText(v.errs, c)
	return errors.Join(v.errs...)
}

type validator struct{ errs []error }

func (v *validator) add(field string, err error) {
	v.errs = append(v.errs, &ValidationError{Field: field, Err: err})
}

func (v *validator) text(field, s string, required bool) {
	switch {
	case strings.TrimSpace(s) == "":
		if required {
			v.add(field, fmt.Errorf("%w: empty", ErrMissing))
		}
	case len(s) > MaxTextLen:
		v.add(field, fmt.Errorf("%w: longer than %d bytes", ErrInvalid, MaxTextLen))
	case !utf8.ValidString(s):
		v.add(field, fmt.Errorf("%w: not valid UTF-8", ErrInvalid))
	}
}

func (v *validator) name(field string, n Name) {
	for _, p := range [...]struct{ name, s string }{
		{"prefix", n.Prefix}, {"given", n.Given}, {"middle", n.Middle}, {"family", n.Family},
		{"suffix", n.Suffix}, {"preferred", n.Preferred}, {"full", n.Full},
	} {
		if p.s == "" {
			continue
		}
		if len(p.s) > MaxTextLen || !utf8.ValidString(p.s) || strings.ContainsFunc(p.s, isControl) {
			v.add(field+"."+p.name, fmt.Errorf("%w: too long, not UTF-8, or has control characters", ErrInvalidName))
		}
	}
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) }

func (v *validator) contact(field string, cp ContactPoint) {
	if cp.Address.IsZero() {
		v.add(field+".address", fmt.Errorf("%w: address", ErrMissing))
	}
	if cp.Rank < 0 {
		v.add(field+".rank", fmt.Errorf("%w: negative rank", ErrInvalidContact))
	}
	if cp.SMS == CapabilityYes && !cp.Address.IsZero() && !cp.Address.Supports(channel.KindSMS) {
		v.add(field+".sms", fmt.Errorf("%w: only a tel: address can receive texts", ErrInvalidContact))
	}
	if cp.VerifiedAt.After(time.Time{}) && !cp.Verified {
		v.add(field+".verified", fmt.Errorf("%w: verified_at set on an unverified address", ErrInvalidContact))
	}
	if len(cp.BestTime) > 0 || cp.Zone != "" {
		p := channel.Preference{Windows: cp.BestTime, Zone: cp.Zone}
		if err := p.Validate(); err != nil {
			var ve *channel.ValidationError
			for _, e := range unwrapAll(err) {
				f := field
				if errors.As(e, &ve) {
					f += "." + strings.Replace(ve.Field, "windows", "best_time", 1)
				}
				v.add(f, fmt.Errorf("%w: %w", ErrInvalidContact, e))
			}
		}
	}
	v.text(field+".source", cp.Source, false)
	v.text(field+".undeliverable_reason", cp.UndeliverableReason, false)
}

func unwrapAll(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
