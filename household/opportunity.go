package household

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// OpportunityKind names a rule of [OpportunityRules]. The strings are
// stable.
type OpportunityKind string

// The opportunities [Opportunities] derives.
const (
	// OpportunityWarrantyEnding: the factory warranty ends within
	// OpportunityRules.WarrantyWithin days (fact: warranty_ends).
	OpportunityWarrantyEnding OpportunityKind = "warranty_ending"
	// OpportunityLeaseEnding: the lease matures within
	// OpportunityRules.LeaseWithin days (fact: lease_ends).
	OpportunityLeaseEnding OpportunityKind = "lease_ending"
	// OpportunityServiceDue: the last service visit was at least
	// OpportunityRules.ServiceMonths months ago (fact: last_service), or
	// the odometer has gone at least OpportunityRules.ServiceMiles miles
	// since it (facts: last_service, odometer).
	OpportunityServiceDue OpportunityKind = "service_due"
	// OpportunityOffBrandMaintenance: a vehicle of a make the dealership
	// does not sell still needs tires and oil, which its service
	// department can do (fact: make).
	OpportunityOffBrandMaintenance OpportunityKind = "off_brand_maintenance"
)

// Department is the part of the dealership an opportunity is for.
type Department string

// Departments.
const (
	DepartmentSales   Department = "sales"
	DepartmentService Department = "service"
)

// OpportunityRules are the thresholds of [Opportunities], as data. A zero
// field means its default (documented on the field); a negative one turns
// its rule off.
type OpportunityRules struct {
	// WarrantyWithin is how many days ahead a warranty end is an
	// opportunity; default 90.
	WarrantyWithin int `json:"warranty_within_days,omitempty"`
	// LeaseWithin is how many days ahead a lease end is an opportunity;
	// default 180.
	LeaseWithin int `json:"lease_within_days,omitempty"`
	// ServiceMonths is how many whole months after the last service visit
	// a vehicle is due; default 6.
	ServiceMonths int `json:"service_months,omitempty"`
	// ServiceMiles is how many miles after the last service visit's reading
	// a vehicle is due (kilometres are converted); default 5000.
	ServiceMiles int64 `json:"service_miles,omitempty"`
	// Brands are the makes the dealership sells, compared without regard
	// to case and surrounding space. A vehicle whose Make is none of them
	// is off-brand. None means the makes are not known, and the
	// off-brand rule makes no opportunity.
	Brands []string `json:"brands,omitempty"`
}

// Default thresholds of OpportunityRules.
const (
	DefaultWarrantyWithin = 90
	DefaultLeaseWithin    = 180
	DefaultServiceMonths  = 6
	DefaultServiceMiles   = 5000
)

// Opportunity is a reason, found in a vehicle's own facts, to contact its
// people.
type Opportunity struct {
	Kind       OpportunityKind `json:"kind"`
	Department Department      `json:"department"`
	// Vehicle is the vehicle it is about.
	Vehicle VehicleID `json:"vehicle"`
	// Facts names the Vehicle fields it rests on, by their JSON names
	// ("warranty_ends", "last_service", "odometer", "make").
	Facts []string `json:"facts"`
	// Date is the date the opportunity turns on: the warranty or lease
	// end, or the last service visit; zero for the off-brand rule.
	Date time.Time `json:"date,omitzero"`
	// Detail says it in a line staff can read.
	Detail string `json:"detail"`
}

const kmPerMile = 1.609344

func orDefault[N int | int64](v, def N) N {
	if v == 0 {
		return def
	}
	return v
}

// Opportunities returns the opportunities the rules find in v's facts at
// time at, in the order of the kinds above. It never guesses: a fact v does
// not hold (a zero WarrantyEnds, a LastService without a date, a reading in
// a unit other than miles or kilometres, an unknown Make) makes no
// opportunity. A warranty or lease end counts from at (inclusive) to at
// plus the window (inclusive); one already past is none. Service is due
// when the last visit is at least ServiceMonths calendar months before at,
// or when the odometer, read after the visit, is at least ServiceMiles
// beyond the visit's reading (both readings in a known unit).
func Opportunities(v Vehicle, at time.Time, r OpportunityRules) []Opportunity {
	var out []Opportunity
	add := func(k OpportunityKind, d Department, date time.Time, detail string, facts ...string) {
		out = append(out, Opportunity{Kind: k, Department: d, Vehicle: v.ID, Facts: facts, Date: date, Detail: detail})
	}
	ending := func(end time.Time, days int) (int, bool) {
		if end.IsZero() || days < 0 || end.Before(at) || end.After(at.AddDate(0, 0, days)) {
			return 0, false
		}
		return int(end.Sub(at).Hours() / 24), true
	}
	if n, ok := ending(v.WarrantyEnds, orDefault(r.WarrantyWithin, DefaultWarrantyWithin)); ok {
		add(OpportunityWarrantyEnding, DepartmentService, v.WarrantyEnds,
			fmt.Sprintf("warranty ends %s (in %d days)", v.WarrantyEnds.Format(time.DateOnly), n), "warranty_ends")
	}
	if n, ok := ending(v.LeaseEnds, orDefault(r.LeaseWithin, DefaultLeaseWithin)); ok {
		add(OpportunityLeaseEnding, DepartmentSales, v.LeaseEnds,
			fmt.Sprintf("lease ends %s (in %d days)", v.LeaseEnds.Format(time.DateOnly), n), "lease_ends")
	}
	if last := v.LastService; !last.ReadAt.IsZero() && !last.ReadAt.After(at) {
		months := orDefault(r.ServiceMonths, DefaultServiceMonths)
		miles := orDefault(r.ServiceMiles, DefaultServiceMiles)
		since, known := milesSince(last, v.Odometer)
		switch {
		case months >= 0 && !last.ReadAt.AddDate(0, months, 0).After(at):
			add(OpportunityServiceDue, DepartmentService, last.ReadAt,
				fmt.Sprintf("last service %s, %d months ago", last.ReadAt.Format(time.DateOnly), monthsBetween(last.ReadAt, at)), "last_service")
		case miles >= 0 && known && since >= miles:
			add(OpportunityServiceDue, DepartmentService, last.ReadAt,
				fmt.Sprintf("%d miles since the last service on %s", since, last.ReadAt.Format(time.DateOnly)), "last_service", "odometer")
		}
	}
	if len(r.Brands) > 0 && strings.TrimSpace(v.Make) != "" && !slices.ContainsFunc(r.Brands, func(b string) bool {
		return strings.EqualFold(strings.TrimSpace(b), strings.TrimSpace(v.Make))
	}) {
		add(OpportunityOffBrandMaintenance, DepartmentService, time.Time{},
			fmt.Sprintf("%s is not a make the dealership sells: tires and oil", strings.TrimSpace(v.Make)), "make")
	}
	return out
}

// milesSince returns how many whole miles now is beyond then, when both are
// readings in a known unit and now was read after then.
func milesSince(then, now Odometer) (int64, bool) {
	if !then.Unit.Known() || !now.Unit.Known() || now.ReadAt.IsZero() || !now.ReadAt.After(then.ReadAt) {
		return 0, false
	}
	d := miles(now) - miles(then)
	if d < 0 {
		return 0, false
	}
	return int64(math.Floor(d)), true
}

func miles(o Odometer) float64 {
	if o.Unit == DistanceUnitKilometers {
		return float64(o.Value) / kmPerMile
	}
	return float64(o.Value)
}

// monthsBetween counts the whole calendar months from a to b.
func monthsBetween(a, b time.Time) int {
	n := (b.Year()-a.Year())*12 + int(b.Month()-a.Month())
	if n > 0 && a.AddDate(0, n, 0).After(b) {
		n--
	}
	return n
}
