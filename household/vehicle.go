package household

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
)

// Vehicle is a vehicle the dealership knows about: one a customer owns,
// leases or drives, whether or not the dealership sold it.
//
// The zero Vehicle is not valid (it names no tenant). A Vehicle is a plain
// value: it is not safe to modify it while another goroutine reads it, but
// any number of goroutines may call its methods, which only read, at once.
type Vehicle struct {
	// ID is assigned when the vehicle is first stored; zero until then.
	ID VehicleID `json:"id,omitzero"`
	// Tenant owns the record. Required.
	Tenant dealer.Tenant `json:"tenant"`
	// VIN identifies the car; zero when unknown. A vehicle needs a VIN or at
	// least a make or model.
	VIN VIN `json:"vin,omitzero"`
	// Year is the model year; zero when unknown.
	Year int `json:"year,omitempty"`
	// Make, Model and Trim describe the vehicle ("Honda", "Accord", "EX-L");
	// each optional, one line.
	Make  string `json:"make,omitempty"`
	Model string `json:"model,omitempty"`
	Trim  string `json:"trim,omitempty"`
	// Odometer is the latest reading known; zero when none.
	Odometer Odometer `json:"odometer,omitzero"`
	// Stakeholders lists the people with a part in the vehicle (owner,
	// co-owner, driver, lessee), each over a span of time.
	Stakeholders []Stakeholder `json:"stakeholders,omitempty"`
	// PurchasedAt is when the current owner bought or leased it; zero when
	// unknown.
	PurchasedAt time.Time `json:"purchased_at,omitzero"`
	// PurchasedFrom is the tenant's rooftop that sold or leased it; zero
	// when unknown or when it was bought elsewhere.
	PurchasedFrom dealer.Rooftop `json:"purchased_from,omitempty"`
	// WarrantyEnds is the day the vehicle's factory (basic) warranty ends;
	// zero when unknown.
	WarrantyEnds time.Time `json:"warranty_ends,omitzero"`
	// LeaseEnds is the day the current lease matures; zero when the vehicle
	// is not leased or the date is unknown.
	LeaseEnds time.Time `json:"lease_ends,omitzero"`
	// LastService is the last service visit known: its date (ReadAt) and the
	// odometer reading taken then (Value, Unit); zero when none is known. A
	// visit with a date but no reading has no Unit; the rules of Odometer
	// apply.
	LastService Odometer `json:"last_service,omitzero"`
	// Household is the household whose Vehicles list names this vehicle;
	// zero when it belongs to none.
	Household ID `json:"household,omitzero"`
	// CreatedAt and UpdatedAt are set by the Book; zero until stored.
	CreatedAt time.Time `json:"created_at,omitzero"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
	// Revision is incremented by the storage layer on every write and used
	// for optimistic concurrency; zero until stored.
	Revision int64 `json:"revision,omitempty"`
	// Attributes keeps fields from other systems (a DMS stock number,
	// colour codes, …) that rapport has no place for. The rules of
	// Household.Attributes apply.
	Attributes map[string]string `json:"attributes,omitempty"`
}

// Odometer is an odometer reading. The zero Odometer means no reading; a
// reading of 0 (a new car) has a Unit.
type Odometer struct {
	// Value is the distance shown, in whole Units; never negative.
	Value int64 `json:"value"`
	// Unit is required when Value is not zero.
	Unit DistanceUnit `json:"unit,omitempty"`
	// ReadAt is when it was read; zero when unknown.
	ReadAt time.Time `json:"read_at,omitzero"`
}

// IsZero reports whether o is the zero Odometer (no reading).
func (o Odometer) IsZero() bool { return o.Value == 0 && o.Unit == "" && o.ReadAt.IsZero() }

// Stakeholder is one person's part in a vehicle over a span of time. The
// span is half-open, [From, To), with zero meaning unbounded, as for
// [Member].
type Stakeholder struct {
	// Customer is the person. Required.
	Customer customer.ID `json:"customer"`
	// Role is the part the person plays; zero means unknown.
	Role StakeholderRole `json:"role,omitempty"`
	From time.Time       `json:"from,omitzero"`
	To   time.Time       `json:"to,omitzero"`
}

// ActiveAt reports whether s is in effect at t: From is zero or not after
// t, and To is zero or after t.
func (s Stakeholder) ActiveAt(t time.Time) bool { return activeAt(s.From, s.To, t) }

// StakeholdersAt returns the stakeholders in effect at t (see
// [Stakeholder.ActiveAt]), in the order of v.Stakeholders, as a new slice;
// nil when there are none.
func (v *Vehicle) StakeholdersAt(t time.Time) []Stakeholder {
	var out []Stakeholder
	for _, s := range v.Stakeholders {
		if s.ActiveAt(t) {
			out = append(out, s)
		}
	}
	return out
}

// Earliest and latest model years [Vehicle.Validate] accepts.
const (
	MinModelYear = 1886
	MaxModelYear = 2100
)

// Validate reports every problem with v, as errors.Join of
// *[ValidationError] values whose Field names the place
// ("stakeholders[0].to"), or nil when v is valid. It checks that:
//
//   - Tenant is set and well-formed; PurchasedFrom, when set, is a
//     well-formed rooftop;
//   - there is a VIN, a Make or a Model ([ErrMissing] on "vin");
//   - Year, when set, is between [MinModelYear] and [MaxModelYear]
//     ([ErrInvalid]) and, for a standard VIN, is one of
//     [VIN.ModelYears] ([ErrMismatch]);
//   - Make, Model and Trim are valid UTF-8 without control characters;
//   - the odometer value (and that of LastService) is not negative and
//     has a well-formed unit when it is not zero (an unknown but
//     well-formed unit is fine);
//   - every stakeholder names a customer ([ErrMissing]), has a well-formed
//     role and, when both dates are set, a To after its From;
//   - no customer holds the same role twice at the same time
//     ([ErrDuplicate]); one person may be owner and driver at once;
//   - UpdatedAt is not before CreatedAt, Revision is not negative, and
//     attribute keys are non-empty and valid UTF-8.
//
// A non-standard VIN is not a problem: it is stored, and flagged by
// [VIN.Standard].
func (v *Vehicle) Validate() error {
	var errs []error
	errs = checkTenant(errs, v.Tenant)
	if v.PurchasedFrom != "" {
		if err := v.PurchasedFrom.Validate(); err != nil {
			errs = append(errs, invalid("purchased_from", fmt.Errorf("%w: %w", ErrInvalid, err)))
		}
	}
	if v.VIN.IsZero() && v.Make == "" && v.Model == "" {
		errs = append(errs, problem("vin", ErrMissing, "a vehicle needs a VIN, a make or a model"))
	}
	if v.Year != 0 {
		if v.Year < MinModelYear || v.Year > MaxModelYear {
			errs = append(errs, problem("year", ErrInvalid, "out of range "+strconv.Itoa(MinModelYear)+" to "+strconv.Itoa(MaxModelYear)))
		} else if v.VIN.Standard() {
			if ys := v.VIN.ModelYears(); !slices.Contains(ys, v.Year) {
				errs = append(errs, problem("year", ErrMismatch, fmt.Sprintf("VIN position 10 means %d or %d", ys[0], ys[1])))
			}
		}
	}
	errs = checkLine(errs, "make", v.Make)
	errs = checkLine(errs, "model", v.Model)
	errs = checkLine(errs, "trim", v.Trim)
	errs = checkOdometer(errs, "odometer", v.Odometer)
	errs = checkOdometer(errs, "last_service", v.LastService)

	type key struct {
		c customer.ID
		r StakeholderRole
	}
	groups := make(map[key][]span, len(v.Stakeholders))
	for i, s := range v.Stakeholders {
		field := "stakeholders[" + strconv.Itoa(i) + "]"
		if s.Customer.IsZero() {
			errs = append(errs, invalid(field+".customer", ErrMissing))
		}
		errs = checkToken(errs, field+".role", string(s.Role))
		var ok bool
		errs, ok = checkSpan(errs, field, s.From, s.To)
		if ok && !s.Customer.IsZero() {
			k := key{s.Customer, s.Role}
			groups[k] = append(groups[k], span{from: s.From, to: s.To, idx: i})
		}
	}
	var dups []overlap
	for _, spans := range groups {
		dups = append(dups, overlaps(spans)...)
	}
	sortOverlaps(dups)
	for _, o := range dups {
		errs = append(errs, problem("stakeholders["+strconv.Itoa(o.idx)+"]", ErrDuplicate,
			"same customer and role as stakeholders["+strconv.Itoa(o.other)+"] at the same time"))
	}

	errs = checkRecord(errs, v.CreatedAt, v.UpdatedAt, v.Revision)
	errs = checkAttributes(errs, v.Attributes)
	errs = checkAllText(errs, v)
	return errors.Join(errs...)
}

// checkOdometer checks a reading: a value that is not negative, with a
// well-formed unit when it is not zero.
func checkOdometer(errs []error, field string, o Odometer) []error {
	if o.Value < 0 {
		errs = append(errs, problem(field+".value", ErrInvalid, "negative"))
	}
	if o.Unit == "" && o.Value != 0 {
		errs = append(errs, invalid(field+".unit", ErrMissing))
	}
	return checkToken(errs, field+".unit", string(o.Unit))
}
