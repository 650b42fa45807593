package household

import (
	"errors"
	"strconv"
	"time"

	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
)

// Household groups the people who share a home and the vehicles around
// them, so that a dealership sees the second car in the driveway and one
// timeline for the family. Membership and vehicles change over time, so each
// member carries effective dates.
//
// The zero Household is empty and not valid (it names no tenant). A
// Household is a plain value: it is not safe to modify it while another
// goroutine reads it, but any number of goroutines may call its methods,
// which only read, at once.
type Household struct {
	// ID is assigned when the household is first stored; zero until then.
	ID ID `json:"id,omitzero"`
	// Tenant owns the record. Required.
	Tenant dealer.Tenant `json:"tenant"`
	// Name is how staff refer to the household ("The Smith household");
	// optional, one line.
	Name string `json:"name,omitempty"`
	// Members lists who belongs or belonged to the household, each with a
	// role and effective dates. Order is kept but has no meaning.
	Members []Member `json:"members,omitempty"`
	// Vehicles lists the vehicle records linked to the household, each at
	// most once. Each linked [Vehicle] names this household in its
	// Household field; the Book keeps the two ends in agreement.
	Vehicles []VehicleID `json:"vehicles,omitempty"`
	// Address is the household's postal address; zero when unknown.
	Address PostalAddress `json:"address,omitzero"`
	// Source names where the record came from ("dms", "adf", "crm:acme", …);
	// free text, optional.
	Source string `json:"source,omitempty"`
	// CreatedAt and UpdatedAt are set by the Book; zero until stored.
	CreatedAt time.Time `json:"created_at,omitzero"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
	// Revision is incremented by the storage layer on every write and used
	// for optimistic concurrency; zero until stored.
	Revision int64 `json:"revision,omitempty"`
	// Attributes keeps fields from other systems that rapport has no place
	// for, so imports drop nothing. Keys must be non-empty; keys and values
	// valid UTF-8. Optional.
	Attributes map[string]string `json:"attributes,omitempty"`
}

// Member is one person's membership of a household over a span of time.
//
// The span is half-open, [From, To): the member belongs from From (a zero
// From means "since always", or since an unknown date) up to but not
// including To (a zero To means "still a member"). A person who left and
// came back, or whose role changed, appears once per span.
type Member struct {
	// Customer is the person. Required.
	Customer customer.ID `json:"customer"`
	// Role is the part the person plays; zero means unknown. At most one
	// member at a time may have [MemberRolePrimary].
	Role MemberRole `json:"role,omitempty"`
	From time.Time  `json:"from,omitzero"`
	To   time.Time  `json:"to,omitzero"`
}

// ActiveAt reports whether m is in effect at t: From is zero or not after
// t, and To is zero or after t.
func (m Member) ActiveAt(t time.Time) bool { return activeAt(m.From, m.To, t) }

// PostalAddress is a postal address. Every field is optional; the zero
// PostalAddress means unknown.
type PostalAddress struct {
	// Lines holds the street lines, first line first.
	Lines []string `json:"lines,omitempty"`
	// City is the city, town or locality.
	City string `json:"city,omitempty"`
	// Region is the state, province or other subdivision, in the form the
	// country uses ("NY", "Ontario").
	Region     string `json:"region,omitempty"`
	PostalCode string `json:"postal_code,omitempty"`
	// Country is the ISO 3166-1 alpha-2 code, upper-case ("US", "CA").
	Country string `json:"country,omitempty"`
}

// IsZero reports whether a is the zero PostalAddress (unknown).
func (a PostalAddress) IsZero() bool {
	return len(a.Lines) == 0 && a.City == "" && a.Region == "" && a.PostalCode == "" && a.Country == ""
}

// MembersAt returns the members in effect at t (see [Member.ActiveAt]), in
// the order of h.Members, as a new slice; nil when there are none.
func (h *Household) MembersAt(t time.Time) []Member {
	var out []Member
	for _, m := range h.Members {
		if m.ActiveAt(t) {
			out = append(out, m)
		}
	}
	return out
}

// Validate reports every problem with h, as errors.Join of
// *[ValidationError] values whose Field names the place ("members[1].to"),
// or nil when h is valid. It checks that:
//
//   - Tenant is set and well-formed (dealer.Tenant.Validate);
//   - Name, Source and the address are valid UTF-8 without control
//     characters, and Address.Country, when set, is two upper-case letters;
//   - every member names a customer ([ErrMissing]), has a well-formed role
//     (an unknown but well-formed role is fine) and, when both dates are
//     set, a To after its From ([ErrInvalid]);
//   - no customer is a member twice at the same time ([ErrDuplicate]);
//     separate spans for the same person are fine;
//   - no two primary members overlap in time ([ErrTooMany]);
//   - every vehicle ID is non-zero ([ErrMissing]) and listed once
//     ([ErrDuplicate]);
//   - UpdatedAt is not before CreatedAt, Revision is not negative, and
//     attribute keys are non-empty and valid UTF-8 ([ErrInvalid]).
func (h *Household) Validate() error {
	var errs []error
	errs = checkTenant(errs, h.Tenant)
	errs = checkLine(errs, "name", h.Name)
	errs = checkLine(errs, "source", h.Source)
	errs = h.Address.check(errs, "address")

	customers := make(map[customer.ID][]span, len(h.Members))
	var primaries []span
	for i, m := range h.Members {
		field := "members[" + strconv.Itoa(i) + "]"
		if m.Customer.IsZero() {
			errs = append(errs, invalid(field+".customer", ErrMissing))
		}
		errs = checkToken(errs, field+".role", string(m.Role))
		var ok bool
		errs, ok = checkSpan(errs, field, m.From, m.To)
		if !ok {
			continue
		}
		s := span{from: m.From, to: m.To, idx: i}
		if !m.Customer.IsZero() {
			customers[m.Customer] = append(customers[m.Customer], s)
		}
		if m.Role == MemberRolePrimary {
			primaries = append(primaries, s)
		}
	}
	var dups []overlap
	for _, spans := range customers {
		dups = append(dups, overlaps(spans)...)
	}
	sortOverlaps(dups)
	for _, o := range dups {
		errs = append(errs, problem("members["+strconv.Itoa(o.idx)+"].customer", ErrDuplicate,
			"same customer as members["+strconv.Itoa(o.other)+"] at the same time"))
	}
	for _, o := range overlaps(primaries) {
		errs = append(errs, problem("members["+strconv.Itoa(o.idx)+"].role", ErrTooMany,
			"second primary member at the same time as members["+strconv.Itoa(o.other)+"]"))
	}

	seen := make(map[VehicleID]int, len(h.Vehicles))
	for i, v := range h.Vehicles {
		field := "vehicles[" + strconv.Itoa(i) + "]"
		if v.IsZero() {
			errs = append(errs, invalid(field, ErrMissing))
			continue
		}
		if j, dup := seen[v]; dup {
			errs = append(errs, problem(field, ErrDuplicate, "same vehicle as vehicles["+strconv.Itoa(j)+"]"))
			continue
		}
		seen[v] = i
	}

	errs = checkRecord(errs, h.CreatedAt, h.UpdatedAt, h.Revision)
	errs = checkAttributes(errs, h.Attributes)
	errs = checkAllText(errs, h)
	return errors.Join(errs...)
}

func (a *PostalAddress) check(errs []error, field string) []error {
	for i, l := range a.Lines {
		errs = checkLine(errs, field+".lines["+strconv.Itoa(i)+"]", l)
	}
	errs = checkLine(errs, field+".city", a.City)
	errs = checkLine(errs, field+".region", a.Region)
	errs = checkLine(errs, field+".postal_code", a.PostalCode)
	if c := a.Country; c != "" && (len(c) != 2 || !isUpperASCII(c[0]) || !isUpperASCII(c[1])) {
		errs = append(errs, problem(field+".country", ErrInvalid, "not an ISO 3166-1 alpha-2 code (two upper-case letters)"))
	}
	return errs
}

func isUpperASCII(c byte) bool { return 'A' <= c && c <= 'Z' }
