package household

import (
	"reflect"
	"testing"
	"time"

	"github.com/rapportcim/rapport/customer"
)

func TestMerge(t *testing.T) {
	jane, john := customer.ID{1}, customer.ID{2}
	v1, v2 := VehicleID{1}, VehicleID{2}
	stored := Household{ID: ID{7}, Tenant: "t1", Revision: 2,
		Members:    []Member{{Customer: jane, Role: MemberRolePrimary}},
		Vehicles:   []VehicleID{v1},
		Attributes: map[string]string{"dms": "H-1"},
	}
	in := Household{ID: ID{8}, Tenant: "t2", Name: "Doe household", Source: "dms",
		Members:    []Member{{Customer: jane, Role: MemberRolePrimary}, {Customer: john, Role: MemberRoleSpouse}},
		Vehicles:   []VehicleID{v2, v1},
		Address:    PostalAddress{Lines: []string{"1 Main St"}, City: "Springfield", Region: "IL", Country: "US"},
		Attributes: map[string]string{"dms": "H-1", "route": "7"},
	}
	m, changed := Merge(stored, in)
	want := Household{ID: ID{7}, Tenant: "t1", Revision: 2, Name: "Doe household", Source: "dms",
		Members:    []Member{{Customer: jane, Role: MemberRolePrimary}, {Customer: john, Role: MemberRoleSpouse}},
		Vehicles:   []VehicleID{v1, v2},
		Address:    in.Address,
		Attributes: map[string]string{"dms": "H-1", "route": "7"},
	}
	if !changed || !reflect.DeepEqual(m, want) {
		t.Fatalf("Merge = %+v (changed %v), want %+v", m, changed, want)
	}
	m.Vehicles[0], m.Address.Lines[0], m.Attributes["dms"] = VehicleID{9}, "changed", "changed"
	if stored.Vehicles[0] != v1 || in.Address.Lines[0] != "1 Main St" || stored.Attributes["dms"] != "H-1" {
		t.Error("the merged household aliases an argument")
	}
	if again, changed := Merge(want, in); changed || !reflect.DeepEqual(again, want) {
		t.Errorf("a repeated merge reports a change (%v): %+v", changed, again)
	}
	if _, changed := Merge(want, Household{Name: "Another name", Address: PostalAddress{City: "Elsewhere"}}); changed {
		t.Error("a known name or address was replaced")
	}
}

func TestMergeVehicle(t *testing.T) {
	vin, err := ParseVIN("1HGCM82633A004352")
	if err != nil {
		t.Fatal(err)
	}
	t1 := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	owner := Stakeholder{Customer: customer.ID{1}, Role: StakeholderRoleOwner}
	stored := Vehicle{ID: VehicleID{1}, Tenant: "t1", Make: "Honda", Household: ID{7}, Revision: 4,
		Odometer: Odometer{Value: 80000, Unit: DistanceUnitMiles, ReadAt: t1}, Stakeholders: []Stakeholder{owner}}
	tests := []struct {
		name    string
		in      Vehicle
		changed bool
		check   func(Vehicle) bool
	}{
		{"fills in what is unknown", Vehicle{VIN: vin, Year: 2003, Make: "Acura", Model: "Accord", Trim: "EX"}, true,
			func(m Vehicle) bool {
				return m.VIN == vin && m.Year == 2003 && m.Make == "Honda" && m.Model == "Accord" && m.Trim == "EX"
			}},
		{"a later odometer reading wins", Vehicle{Odometer: Odometer{Value: 81000, Unit: DistanceUnitMiles, ReadAt: t1.Add(time.Hour)}}, true,
			func(m Vehicle) bool { return m.Odometer.Value == 81000 }},
		{"an earlier one does not", Vehicle{Odometer: Odometer{Value: 79000, Unit: DistanceUnitMiles, ReadAt: t1.Add(-time.Hour)}}, false,
			func(m Vehicle) bool { return m.Odometer.Value == 80000 }},
		{"a stakeholder is added once", Vehicle{Stakeholders: []Stakeholder{owner, {Customer: customer.ID{2}, Role: StakeholderRoleDriver}}}, true,
			func(m Vehicle) bool { return len(m.Stakeholders) == 2 }},
		{"another household: the vehicle moved", Vehicle{Household: ID{8}}, true,
			func(m Vehicle) bool { return m.Household == ID{8} }},
		{"no household: the link stays", Vehicle{Make: "Honda"}, false,
			func(m Vehicle) bool { return m.Household == ID{7} }},
		{"identity and record fields are stored's", Vehicle{ID: VehicleID{9}, Tenant: "t2", Revision: 1}, false,
			func(m Vehicle) bool { return m.ID == VehicleID{1} && m.Tenant == "t1" && m.Revision == 4 }},
	}
	for _, tt := range tests {
		m, changed := MergeVehicle(stored, tt.in)
		if changed != tt.changed || !tt.check(m) {
			t.Errorf("%s: changed %v (want %v): %+v", tt.name, changed, tt.changed, m)
		}
	}
	m, _ := MergeVehicle(stored, Vehicle{Stakeholders: []Stakeholder{{Customer: customer.ID{3}}}})
	m.Stakeholders[0].Customer = customer.ID{5}
	if stored.Stakeholders[0] != owner {
		t.Error("the merged vehicle aliases the stored one")
	}
}
