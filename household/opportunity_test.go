package household

import (
	"errors"
	"slices"
	"testing"
	"time"
)

func TestOpportunities(t *testing.T) {
	at := time.Date(2026, 11, 2, 14, 0, 0, 0, time.UTC)
	day := func(d int) time.Time { return at.AddDate(0, 0, d) }
	brands := OpportunityRules{Brands: []string{" mazda "}}
	kinds := func(os []Opportunity) []OpportunityKind {
		var out []OpportunityKind
		for _, o := range os {
			out = append(out, o.Kind)
		}
		return out
	}
	for _, tc := range []struct {
		name  string
		v     Vehicle
		r     OpportunityRules
		want  []OpportunityKind
		facts [][]string
	}{
		{"no facts, no opportunity", Vehicle{Make: "Mazda"}, brands, nil, nil},
		{"unknown make is not off-brand", Vehicle{Model: "CX-5"}, brands, nil, nil},
		{"no brands configured", Vehicle{Make: "Honda"}, OpportunityRules{}, nil, nil},
		{"off-brand", Vehicle{Make: "Honda"}, brands, []OpportunityKind{OpportunityOffBrandMaintenance}, [][]string{{"make"}}},
		{"warranty in 90 days, inclusive", Vehicle{WarrantyEnds: day(90)}, OpportunityRules{}, []OpportunityKind{OpportunityWarrantyEnding}, [][]string{{"warranty_ends"}}},
		{"warranty in 91 days", Vehicle{WarrantyEnds: day(91)}, OpportunityRules{}, nil, nil},
		{"warranty ended", Vehicle{WarrantyEnds: day(-1)}, OpportunityRules{}, nil, nil},
		{"warranty rule off", Vehicle{WarrantyEnds: day(1)}, OpportunityRules{WarrantyWithin: -1}, nil, nil},
		{"lease in 180 days", Vehicle{LeaseEnds: day(180)}, OpportunityRules{}, []OpportunityKind{OpportunityLeaseEnding}, [][]string{{"lease_ends"}}},
		{"lease in 30 days with a 20-day window", Vehicle{LeaseEnds: day(30)}, OpportunityRules{LeaseWithin: 20}, nil, nil},
		{"serviced 6 months ago", Vehicle{LastService: Odometer{ReadAt: at.AddDate(0, -6, 0)}}, OpportunityRules{}, []OpportunityKind{OpportunityServiceDue}, [][]string{{"last_service"}}},
		{"serviced 5 months ago, no miles known", Vehicle{LastService: Odometer{ReadAt: at.AddDate(0, -5, 0)}}, OpportunityRules{}, nil, nil},
		{"5,000 miles since a visit 2 months ago", Vehicle{LastService: Odometer{Value: 30000, Unit: DistanceUnitMiles, ReadAt: at.AddDate(0, -2, 0)},
			Odometer: Odometer{Value: 35000, Unit: DistanceUnitMiles, ReadAt: day(-1)}}, OpportunityRules{}, []OpportunityKind{OpportunityServiceDue}, [][]string{{"last_service", "odometer"}}},
		// 8,000 km is 4,970.97 miles: not yet due.
		{"8,000 km since the visit", Vehicle{LastService: Odometer{Value: 10000, Unit: DistanceUnitKilometers, ReadAt: at.AddDate(0, -2, 0)},
			Odometer: Odometer{Value: 18000, Unit: DistanceUnitKilometers, ReadAt: day(-1)}}, OpportunityRules{}, nil, nil},
		// 8,047 km is 5,000.2 miles.
		{"8,047 km since the visit", Vehicle{LastService: Odometer{Value: 10000, Unit: DistanceUnitKilometers, ReadAt: at.AddDate(0, -2, 0)},
			Odometer: Odometer{Value: 18047, Unit: DistanceUnitKilometers, ReadAt: day(-1)}}, OpportunityRules{}, []OpportunityKind{OpportunityServiceDue}, [][]string{{"last_service", "odometer"}}},
		{"odometer read before the visit", Vehicle{LastService: Odometer{Value: 30000, Unit: DistanceUnitMiles, ReadAt: at.AddDate(0, -2, 0)},
			Odometer: Odometer{Value: 90000, Unit: DistanceUnitMiles, ReadAt: at.AddDate(0, -3, 0)}}, OpportunityRules{}, nil, nil},
		{"every rule", Vehicle{Make: "Honda", WarrantyEnds: day(10), LeaseEnds: day(10), LastService: Odometer{ReadAt: at.AddDate(-1, 0, 0)}}, brands,
			[]OpportunityKind{OpportunityWarrantyEnding, OpportunityLeaseEnding, OpportunityServiceDue, OpportunityOffBrandMaintenance}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.v.ID = VehicleID{9}
			got := Opportunities(tc.v, at, tc.r)
			if !slices.Equal(kinds(got), tc.want) {
				t.Fatalf("got %v, want %v", kinds(got), tc.want)
			}
			for k, o := range got {
				if o.Vehicle != tc.v.ID || o.Detail == "" {
					t.Errorf("opportunity %d names no vehicle or detail: %+v", k, o)
				}
				if tc.facts != nil && !slices.Equal(o.Facts, tc.facts[k]) {
					t.Errorf("opportunity %d facts = %v, want %v", k, o.Facts, tc.facts[k])
				}
			}
		})
	}
	got := Opportunities(Vehicle{WarrantyEnds: day(40)}, at, OpportunityRules{})
	if want := "warranty ends 2026-12-12 (in 40 days)"; got[0].Detail != want || !got[0].Date.Equal(day(40)) || got[0].Department != DepartmentService {
		t.Errorf("detail %q, date %v, department %q; want %q", got[0].Detail, got[0].Date, got[0].Department, want)
	}
}

func TestVehicleLastServiceValidation(t *testing.T) {
	v := Vehicle{Tenant: "t1", Make: "Mazda", LastService: Odometer{Value: -3}}
	err := v.Validate()
	var ve *ValidationError
	if !errors.As(err, &ve) || !errors.Is(err, ErrInvalid) || !errors.Is(err, ErrMissing) {
		t.Fatalf("a negative reading without a unit: %v", err)
	}
	for _, f := range []string{"last_service.value", "last_service.unit"} {
		found := false
		for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
			if errors.As(e, &ve) && ve.Field == f {
				found = true
			}
		}
		if !found {
			t.Errorf("no problem named %s in %v", f, err)
		}
	}
	v.LastService = Odometer{Value: 12000, Unit: DistanceUnitMiles, ReadAt: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)}
	if err := v.Validate(); err != nil {
		t.Errorf("a dated reading in miles is valid: %v", err)
	}
}
