package customer

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/internal/idtext"
	"golang.org/x/text/language"
)

// Field names a single-valued field of a customer that survivorship rules
// choose between merged records. Lists (contact points, postal addresses,
// aliases, external IDs, life events, referrals, tags) are never chosen
// between: a merge keeps every entry of every record.
type Field string

// The fields a [Survivorship] rule can name.
const (
	FieldName       Field = "name"
	FieldParty      Field = "party"
	FieldOrigin     Field = "source" // Customer.Source
	FieldPreference Field = "preference"
	// FieldPrimary is the primary contact point of each scheme (one for
	// phones, one for email).
	FieldPrimary Field = "primary"
)

// Rule says how a merge picks one value of a field among the merged
// records. Records whose value is unknown (zero) never win.
type Rule string

// Rules.
const (
	// RuleMostRecent takes the value of the record updated last
	// (Customer.UpdatedAt). It is the default.
	RuleMostRecent Rule = "most_recent"
	// RulePriority takes the value of the record whose Source ranks
	// highest in Survivorship.Sources (a source not listed ranks after
	// every listed one); ties go to the most recent.
	RulePriority Rule = "priority"
	// RuleMostComplete takes the value with the most parts known (name
	// parts, preference kinds and windows); ties go to the most recent.
	RuleMostComplete Rule = "most_complete"
)

// Survivorship is the data that decides a merge: which record's value of
// each single-valued field survives. The zero value (and nil) means
// RuleMostRecent for every field.
//
// Whatever the rule, a verified value is never overwritten: a primary
// contact point that is verified stays primary over one that is not, and a
// contact point's verification is kept (see [Merge]).
type Survivorship struct {
	// Sources ranks source systems (Customer.Source), highest first, for
	// RulePriority.
	Sources []string `json:"sources,omitempty"`
	// Fields sets the rule of a field; a field not listed uses Default.
	Fields map[Field]Rule `json:"fields,omitempty"`
	// Default is the rule of fields not in Fields; zero means
	// RuleMostRecent.
	Default Rule `json:"default,omitempty"`
}

// FieldSource says which merged record a surviving field's value came from.
type FieldSource struct {
	Field Field `json:"field"`
	// Scheme is the contact scheme, for FieldPrimary; empty otherwise.
	Scheme channel.Scheme `json:"scheme,omitempty"`
	From   ID             `json:"from"`
	Rule   Rule           `json:"rule"`
}

// Survive merges the records cs into one, keeping the identity and record
// fields (ID, Tenant, CreatedAt, Revision) of cs[survivor] and every entry
// of every list, and choosing each single-valued field by rules (nil means
// the defaults). A name that does not survive is kept as an alias. It
// returns the merged record and, for every chosen field that some record
// knew, where its value came from. Survive is pure: it changes nothing in
// cs and the result shares no slice or map with it. It panics if survivor
// is not an index of cs (a programming error).
func Survive(cs []Customer, survivor int, rules *Survivorship) (Customer, []FieldSource) {
	if rules == nil {
		rules = &Survivorship{}
	}
	base := cs[survivor]
	// Lists: fold the others into the survivor, lowest-ranked first, so
	// that for an attribute key held by several the best-ranked value wins.
	order := rank(cs, RulePriority, rules.Sources, func(*Customer) int { return 1 })
	m := base.Clone()
	for i := len(order) - 1; i >= 0; i-- {
		if j := order[i]; j != survivor {
			m, _ = Merge(m, cs[j])
		}
	}
	m.UpdatedAt = base.UpdatedAt
	var from []FieldSource
	pick := func(f Field, known func(*Customer) int) int {
		r := rules.rule(f)
		for _, i := range rank(cs, r, rules.Sources, known) {
			if known(&cs[i]) > 0 {
				from = append(from, FieldSource{Field: f, From: cs[i].ID, Rule: r})
				return i
			}
		}
		return -1
	}
	if w := pick(FieldName, func(c *Customer) int { return nameParts(c.Name) }); w >= 0 && cs[w].Name != m.Name {
		old := m.Name
		m.Name = cs[w].Name
		m.Aliases = slices.DeleteFunc(m.Aliases, func(a Name) bool { return a == m.Name })
		if !old.IsZero() && !hasName(m, old) {
			m.Aliases = append(m.Aliases, old)
		}
	}
	if w := pick(FieldParty, func(c *Customer) int { return b2i(c.Party != PartyUnknown) }); w >= 0 {
		m.Party = cs[w].Party
	}
	if w := pick(FieldOrigin, func(c *Customer) int { return b2i(c.Source != "") }); w >= 0 {
		m.Source = cs[w].Source
	}
	if w := pick(FieldPreference, func(c *Customer) int { return prefParts(c.Preference) }); w >= 0 {
		m.Preference = cs[w].Clone().Preference
	}
	for _, s := range schemes(m.ContactPoints) {
		primaryOf := func(c *Customer) (ContactPoint, bool) {
			i := slices.IndexFunc(c.ContactPoints, func(cp ContactPoint) bool { return cp.Primary && cp.Address.Scheme() == s })
			if i < 0 {
				return ContactPoint{}, false
			}
			return c.ContactPoints[i], true
		}
		// A verified primary is never replaced by an unverified one: only
		// records whose primary is verified compete when any is.
		anyVerified := slices.ContainsFunc(cs, func(c Customer) bool { cp, ok := primaryOf(&c); return ok && cp.Verified })
		n := len(from)
		w := pick(FieldPrimary, func(c *Customer) int {
			cp, ok := primaryOf(c)
			return b2i(ok && (cp.Verified || !anyVerified))
		})
		if w < 0 {
			continue
		}
		from[n].Scheme = s
		cp, _ := primaryOf(&cs[w])
		for i := range m.ContactPoints {
			if m.ContactPoints[i].Address.Scheme() == s {
				m.ContactPoints[i].Primary = m.ContactPoints[i].Address.Line() == cp.Address.Line()
			}
		}
	}
	return m, from
}

// Validate reports, as *ValidationError values (joined) wrapping
// ErrInvalid, a field or rule Survive does not know, naming it
// ("rules.fields[nickname]", "rules.default"), and wrapping ErrDuplicate a
// source ranked twice.
func (r *Survivorship) Validate() error {
	var errs []error
	known := func(x Rule) bool { return x == RuleMostRecent || x == RulePriority || x == RuleMostComplete }
	if r.Default != "" && !known(r.Default) {
		errs = append(errs, &ValidationError{Field: "rules.default", Err: fmt.Errorf("%w: unknown rule %q", ErrInvalid, r.Default)})
	}
	fields := make([]Field, 0, len(r.Fields))
	for f := range r.Fields {
		fields = append(fields, f)
	}
	slices.Sort(fields)
	for _, f := range fields {
		switch f {
		case FieldName, FieldParty, FieldOrigin, FieldPreference, FieldPrimary:
		default:
			errs = append(errs, &ValidationError{Field: "rules.fields[" + string(f) + "]", Err: fmt.Errorf("%w: unknown field", ErrInvalid)})
			continue
		}
		if x := r.Fields[f]; x != "" && !known(x) {
			errs = append(errs, &ValidationError{Field: "rules.fields[" + string(f) + "]", Err: fmt.Errorf("%w: unknown rule %q", ErrInvalid, x)})
		}
	}
	for i, src := range r.Sources {
		if slices.Contains(r.Sources[:i], src) {
			errs = append(errs, &ValidationError{Field: fmt.Sprintf("rules.sources[%d]", i), Err: ErrDuplicate})
		}
	}
	return errors.Join(errs...)
}

func (r *Survivorship) rule(f Field) Rule {
	if x, ok := r.Fields[f]; ok && x != "" {
		return x
	}
	if r.Default != "" {
		return r.Default
	}
	return RuleMostRecent
}

// rank returns the indexes of cs best first under rule r; known scores a
// record's value for RuleMostComplete.
func rank(cs []Customer, r Rule, sources []string, known func(*Customer) int) []int {
	idx := make([]int, len(cs))
	for i := range idx {
		idx[i] = i
	}
	prio := func(c *Customer) int {
		if i := slices.Index(sources, c.Source); i >= 0 {
			return i
		}
		return len(sources)
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		ca, cb := &cs[a], &cs[b]
		switch r {
		case RulePriority:
			if d := prio(ca) - prio(cb); d != 0 {
				return d
			}
		case RuleMostComplete:
			if d := known(cb) - known(ca); d != 0 {
				return d
			}
		}
		if d := cb.UpdatedAt.Compare(ca.UpdatedAt); d != 0 {
			return d
		}
		return bytes.Compare(ca.ID[:], cb.ID[:])
	})
	return idx
}

func nameParts(n Name) int {
	k := 0
	for _, s := range []string{n.Prefix, n.Given, n.Middle, n.Family, n.Suffix, n.Preferred, n.Full} {
		if s != "" {
			k++
		}
	}
	return k
}

func prefParts(p channel.Preference) int {
	k := len(p.Kinds) + len(p.Windows)
	if p.Zone != "" {
		k++
	}
	if p.Language != (language.Tag{}) {
		k++
	}
	return k
}

func schemes(cps []ContactPoint) []channel.Scheme {
	var out []channel.Scheme
	for _, cp := range cps {
		if s := cp.Address.Scheme(); !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// MergeID identifies a merge record within a tenant; a UUID like [ID].
type MergeID [16]byte

// IsZero reports whether id is the zero ID.
func (id MergeID) IsZero() bool { return id == MergeID{} }

// String returns the canonical text form.
func (id MergeID) String() string { return idtext.String(id) }

// MarshalText implements encoding.TextMarshaler.
func (id MergeID) MarshalText() ([]byte, error) { return []byte(id.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler; the error wraps
// [ErrInvalidID].
func (id *MergeID) UnmarshalText(b []byte) error {
	v, err := ParseID(string(b))
	if err != nil {
		return err
	}
	*id = MergeID(v)
	return nil
}

// Moved is one record a merge moved from a merged customer to the
// survivor. Entity names the kind of record as the storage change feed
// does ("interaction", "conversation", "commitment", "household",
// "vehicle", "consent"); ID is its text form. For "consent", ID is the
// event appended for the survivor and Of the event it repeats.
//
// For a household membership or a vehicle stakeholder role, Role, Since
// and Until are the entry's role and span as they were, and Dropped says
// the entry was removed rather than given to the survivor, because the
// survivor already held an overlapping one there.
type Moved struct {
	Entity  string    `json:"entity"`
	ID      string    `json:"id"`
	From    ID        `json:"from"`
	Of      string    `json:"of,omitempty"`
	Role    string    `json:"role,omitempty"`
	Since   time.Time `json:"since,omitzero"`
	Until   time.Time `json:"until,omitzero"`
	Dropped bool      `json:"dropped,omitempty"`
}

// MergeRecord says what a merge did: which customers it merged into which,
// each as it was before, what the survivor became and where each chosen
// value came from, and every record it moved. It is written once, with the
// merge, and is what an unmerge reads.
//
// The record of an unmerge has the same shape, with Undoes naming the
// merge it undid (rapport.Book.Unmerge).
type MergeRecord struct {
	ID     MergeID       `json:"id"`
	Tenant dealer.Tenant `json:"tenant"`
	// Undoes is, on the record of an unmerge, the merge it undid; zero on
	// a merge.
	Undoes MergeID `json:"undoes,omitzero"`
	// Survivor is the customer the others were merged into; Merged are the
	// others, which the merge removed.
	Survivor ID   `json:"survivor"`
	Merged   []ID `json:"merged"`
	// Before holds every customer (the survivor first) as it was.
	Before []Customer `json:"before"`
	// After is the survivor as the merge wrote it.
	After  Customer      `json:"after"`
	Fields []FieldSource `json:"fields,omitempty"`
	Moved  []Moved       `json:"moved,omitempty"`
	Rules  Survivorship  `json:"rules,omitzero"`
	By     dealer.Staff  `json:"by,omitempty"`
	At     time.Time     `json:"at"`
	Reason string        `json:"reason,omitempty"`
}
