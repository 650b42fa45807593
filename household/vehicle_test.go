package household

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rapportcim/rapport/dealer"
)

func mustVIN(t testing.TB, s string) VIN {
	t.Helper()
	v, err := ParseVINLenient(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func validVehicle(t testing.TB) Vehicle {
	return Vehicle{
		ID:     car1,
		Tenant: "acme-auto-group",
		VIN:    mustVIN(t, "1HGCM82633A004352"),
		Year:   2003,
		Make:   "Honda",
		Model:  "Accord",
		Trim:   "EX",
		Odometer: Odometer{
			Value:  84211,
			Unit:   DistanceUnitMiles,
			ReadAt: t2021,
		},
		Stakeholders: []Stakeholder{
			{Customer: alice, Role: StakeholderRoleOwner, From: t2019},
			{Customer: alice, Role: StakeholderRoleDriver, From: t2019},
			{Customer: bob, Role: StakeholderRoleDriver, From: t2019, To: t2021},
			{Customer: carol, Role: StakeholderRoleDriver, From: t2021},
		},
		PurchasedAt:   t2019,
		PurchasedFrom: "springfield-honda",
		Household:     ID{0x01, 0x90, 0x21},
		CreatedAt:     t2019,
		UpdatedAt:     t2023,
		Revision:      3,
		Attributes:    map[string]string{"stock_no": "A1234", "color": "Blue\nmetallic"},
	}
}

func TestVehicleValidateOK(t *testing.T) {
	v := validVehicle(t)
	if err := v.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	for _, v := range []Vehicle{
		{Tenant: "t", Make: "Ford"},                                                       // no VIN
		{Tenant: "t", VIN: mustVIN(t, "1Q87H5L123456"), Year: 1976},                       // pre-1981
		{Tenant: "t", VIN: mustVIN(t, "WBA71DC010CH14720"), Year: 2012},                   // non-NA: year not checked
		{Tenant: "t", VIN: mustVIN(t, "1J9RP1A36A1644345"), Year: 1980},                   // the other candidate
		{Tenant: "t", Model: "Model T", Odometer: Odometer{Unit: DistanceUnitKilometers}}, // a zero reading
		{Tenant: "t", Make: "VW", Odometer: Odometer{Value: 10, Unit: "furlong"}},         // unknown unit kept
		{Tenant: "t", Make: "VW", Stakeholders: []Stakeholder{{Customer: alice, Role: "teleport"}}},
	} {
		if err := v.Validate(); err != nil {
			t.Errorf("Validate(%+v): %v", v, err)
		}
	}
}

func TestVehicleValidateProblems(t *testing.T) {
	v := Vehicle{
		PurchasedFrom: "bad rooftop",
		Year:          1850,
		Trim:          "\x00",
		Odometer:      Odometer{Value: -5},
		Stakeholders: []Stakeholder{
			{Role: StakeholderRoleOwner},                                         // 0: no customer
			{Customer: alice, Role: "Owner!", From: t2019},                       // 1: malformed role
			{Customer: bob, Role: StakeholderRoleLessee, From: t2021, To: t2019}, // 2: to before from
			{Customer: alice, Role: StakeholderRoleOwner, From: t2019},           // 3
			{Customer: alice, Role: StakeholderRoleOwner, From: t2021},           // 4: duplicate of 3
		},
		CreatedAt: t2023,
		UpdatedAt: t2021,
		Revision:  -2,
	}
	err := v.Validate()
	want := []struct {
		field string
		is    error
	}{
		{"tenant", ErrMissing},
		{"purchased_from", dealer.ErrInvalid},
		{"vin", ErrMissing},
		{"year", ErrInvalid},
		{"trim", ErrInvalid},
		{"odometer.value", ErrInvalid},
		{"odometer.unit", ErrMissing},
		{"stakeholders[0].customer", ErrMissing},
		{"stakeholders[1].role", ErrInvalid},
		{"stakeholders[2].to", ErrInvalid},
		{"stakeholders[4]", ErrDuplicate},
		{"updated_at", ErrInvalid},
		{"revision", ErrInvalid},
	}
	got := validationErrors(t, err)
	if len(got) != len(want) {
		t.Errorf("got %d problems, want %d:\n%v", len(got), len(want), err)
	}
	for i, w := range want {
		if i < len(got) && (got[i].Field != w.field || !errors.Is(got[i], w.is)) {
			t.Errorf("problem %d = %v, want field %q wrapping %v", i, got[i], w.field, w.is)
		}
	}
}

func TestVehicleYearMismatch(t *testing.T) {
	v := validVehicle(t)
	v.Year = 2004
	err := v.Validate()
	if !errors.Is(err, ErrMismatch) {
		t.Fatalf("Validate() = %v, want ErrMismatch", err)
	}
	const want = "household: year: values disagree: VIN position 10 means 2003 or 2033"
	if err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
	if strings.Contains(err.Error(), v.VIN.String()) {
		t.Error("error repeats the VIN")
	}
}

func TestStakeholdersAt(t *testing.T) {
	v := validVehicle(t)
	count := func(tm time.Time) int { return len(v.StakeholdersAt(tm)) }
	if n := count(t2019.Add(-time.Second)); n != 0 {
		t.Errorf("before purchase: %d stakeholders", n)
	}
	if n := count(t2019); n != 3 {
		t.Errorf("at purchase: %d stakeholders, want 3", n)
	}
	got := v.StakeholdersAt(t2021)
	if len(got) != 3 || got[2].Customer != carol || got[0].Role != StakeholderRoleOwner {
		t.Errorf("StakeholdersAt(2021) = %+v", got)
	}
	if !v.Stakeholders[3].ActiveAt(t2023) || v.Stakeholders[2].ActiveAt(t2021) {
		t.Error("ActiveAt")
	}
}

func TestVehicleJSON(t *testing.T) {
	for _, v := range []Vehicle{
		validVehicle(t),
		{Tenant: "t", VIN: mustVIN(t, "WBA71DC010CH14720"), Stakeholders: []Stakeholder{{Customer: bob, Role: "teleport"}}},
		{Tenant: "t", VIN: mustVIN(t, "1Q87H5L123456"), Odometer: Odometer{Unit: DistanceUnitKilometers}},
		{Tenant: "t", Odometer: Odometer{Value: 12, Unit: "furlong"}},
		{},
	} {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		var got Vehicle
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatalf("unmarshal %s: %v", b, err)
		}
		if !reflect.DeepEqual(got, v) {
			t.Errorf("round trip:\n got %+v\nwant %+v\njson %s", got, v, b)
		}
		if got.VIN.Standard() != v.VIN.Standard() {
			t.Errorf("standard flag lost for %q", v.VIN)
		}
	}
	b, _ := json.Marshal(validVehicle(t))
	for _, key := range []string{`"vin":"1HGCM82633A004352"`, `"odometer":{"value":84211,"unit":"mi","read_at":"2021-03-15T12:00:00Z"}`, `"purchased_from":"springfield-honda"`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("json lacks %s: %s", key, b)
		}
	}
	if b, _ := json.Marshal(Vehicle{}); string(b) != `{"tenant":""}` {
		t.Errorf("zero vehicle: %s", b)
	}
	var v Vehicle
	if err := json.Unmarshal([]byte(`{"vin":"1HGCM82633AO04352"}`), &v); !errors.Is(err, ErrInvalidVIN) {
		t.Errorf("bad VIN in JSON: %v", err)
	}
}

func TestStakeholderJSON(t *testing.T) {
	for _, s := range []Stakeholder{
		{},
		{Customer: alice, Role: StakeholderRoleCoOwner, From: t2019, To: t2023},
		{Customer: bob, Role: "teleport", From: t2021},
	} {
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		var got Stakeholder
		if err := json.Unmarshal(b, &got); err != nil || got != s {
			t.Errorf("round trip of %+v: %+v, %v (json %s)", s, got, err, b)
		}
	}
}
