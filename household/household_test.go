package household

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
)

func TestTransliteration(t *testing.T) {
	// 49 CFR 565.15(c), as written in the regulation.
	const table = "A1 B2 C3 D4 E5 F6 G7 H8 J1 K2 L3 M4 N5 P7 R9 S2 T3 U4 V5 W6 X7 Y8 Z9"
	for _, p := range strings.Fields(table) {
		if got := charValue(p[0]); got != int(p[1]-'0') {
			t.Errorf("charValue(%c) = %d, want %c", p[0], got, p[1])
		}
		if got := charValue(p[0] + 'a' - 'A'); got != int(p[1]-'0') {
			t.Errorf("charValue(%c) = %d, want %c", p[0]+'a'-'A', got, p[1])
		}
	}
	for c := byte('0'); c <= '9'; c++ {
		if got := charValue(c); got != int(c-'0') {
			t.Errorf("charValue(%c) = %d", c, got)
		}
	}
	if len(letterValues) != 26 || len(weights) != 17 {
		t.Fatalf("table sizes %d, %d", len(letterValues), len(weights))
	}
	want := []int{8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2}
	for i, w := range want {
		if int(weights[i]) != w {
			t.Errorf("weight of position %d = %d, want %d", i+1, weights[i], w)
		}
	}
}

// Fixed IDs and times keep the tests deterministic.
var (
	alice = customer.ID{0x01, 0x90, 1}
	bob   = customer.ID{0x01, 0x90, 2}
	carol = customer.ID{0x01, 0x90, 3}
	car1  = VehicleID{0x01, 0x90, 0x11}
	car2  = VehicleID{0x01, 0x90, 0x12}

	t2019 = time.Date(2019, 6, 1, 0, 0, 0, 0, time.UTC)
	t2021 = time.Date(2021, 3, 15, 12, 0, 0, 0, time.UTC)
	t2023 = time.Date(2023, 9, 30, 8, 30, 0, 123456789, time.UTC)
)

func validHousehold() Household {
	return Household{
		ID:     ID{0x01, 0x90, 0x21},
		Tenant: "acme-auto-group",
		Name:   "The Rivera household",
		Members: []Member{
			{Customer: alice, Role: MemberRolePrimary, From: t2019},
			{Customer: bob, Role: MemberRoleSpouse, From: t2019, To: t2023},
			{Customer: carol, Role: MemberRoleDependent},
		},
		Vehicles: []VehicleID{car1, car2},
		Address: PostalAddress{
			Lines:      []string{"123 Main St", "Apt 4"},
			City:       "Springfield",
			Region:     "IL",
			PostalCode: "62701",
			Country:    "US",
		},
		Source:     "dms",
		CreatedAt:  t2019,
		UpdatedAt:  t2023,
		Revision:   7,
		Attributes: map[string]string{"cdk_household_no": "H-0042"},
	}
}

func TestHouseholdValidateOK(t *testing.T) {
	h := validHousehold()
	if err := h.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	// Unknown but well-formed roles are fine, and so is an unknown role.
	h.Members[2].Role = "grandparent"
	h.Members = append(h.Members, Member{Customer: customer.ID{9}})
	// The same person again, in a later span, with another role.
	h.Members = append(h.Members, Member{Customer: bob, Role: MemberRolePartner, From: t2023})
	// A second primary after the first one's span ended; bob's spouse span
	// ends when he becomes primary.
	h.Members[0].To = t2021
	h.Members[1].To = t2021
	h.Members = append(h.Members, Member{Customer: bob, Role: MemberRolePrimary, From: t2021, To: t2023})
	if err := h.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
}

func TestHouseholdValidateProblems(t *testing.T) {
	h := Household{
		Name: "bad\x07name",
		Members: []Member{
			{Customer: alice, Role: MemberRolePrimary},                       // 0
			{Role: MemberRoleSpouse},                                         // 1: no customer
			{Customer: customer.ID{7}, Role: "Not A Token"},                  // 2: malformed role
			{Customer: carol, From: t2023, To: t2019},                        // 3: to before from
			{Customer: alice, Role: MemberRoleOther, From: t2021},            // 4: alice twice at once
			{Customer: bob, Role: MemberRolePrimary, From: t2019, To: t2021}, // 5: second primary
			{Customer: carol, From: t2021, To: t2021},                        // 6: empty span
		},
		Vehicles:   []VehicleID{car1, {}, car1},
		Address:    PostalAddress{Country: "usa", Lines: []string{"ok", "bad\nline"}},
		CreatedAt:  t2023,
		UpdatedAt:  t2019,
		Revision:   -1,
		Attributes: map[string]string{"": "x", "k": "\xff"},
	}
	err := h.Validate()
	if err == nil {
		t.Fatal("Validate() = nil, want errors")
	}
	want := []struct {
		field string
		is    error
	}{
		{"tenant", ErrMissing},
		{"name", ErrInvalid},
		{"address.lines[1]", ErrInvalid},
		{"address.country", ErrInvalid},
		{"members[1].customer", ErrMissing},
		{"members[2].role", ErrInvalid},
		{"members[3].to", ErrInvalid},
		{"members[6].to", ErrInvalid},
		{"members[4].customer", ErrDuplicate},
		{"members[5].role", ErrTooMany},
		{"vehicles[1]", ErrMissing},
		{"vehicles[2]", ErrDuplicate},
		{"updated_at", ErrInvalid},
		{"revision", ErrInvalid},
		{"attributes", ErrInvalid},
		{"attributes.k", ErrInvalid},
	}
	got := validationErrors(t, err)
	if len(got) != len(want) {
		t.Errorf("got %d problems, want %d:\n%v", len(got), len(want), err)
	}
	for i, w := range want {
		if i >= len(got) {
			break
		}
		if got[i].Field != w.field || !errors.Is(got[i], w.is) {
			t.Errorf("problem %d = %v, want field %q wrapping %v", i, got[i], w.field, w.is)
		}
	}
	for _, sentinel := range []error{ErrMissing, ErrInvalid, ErrDuplicate, ErrTooMany} {
		if !errors.Is(err, sentinel) {
			t.Errorf("errors.Is(err, %v) = false", sentinel)
		}
	}
	var ve *ValidationError
	if !errors.As(err, &ve) || ve.Field != "tenant" {
		t.Errorf("errors.As found %v, want the tenant problem first", ve)
	}
	if s := err.Error(); !strings.Contains(s, "household: members[5].role: too many values: second primary member at the same time as members[0]") ||
		!strings.Contains(s, "household: members[4].customer: duplicate value: same customer as members[0] at the same time") {
		t.Errorf("messages:\n%s", s)
	}
}

func TestHouseholdValidateTenant(t *testing.T) {
	h := validHousehold()
	h.Tenant = "acme group"
	err := h.Validate()
	if !errors.Is(err, ErrInvalid) || !errors.Is(err, dealer.ErrInvalid) {
		t.Errorf("Validate() = %v, want ErrInvalid and dealer.ErrInvalid", err)
	}
}

// validationErrors flattens the errors.Join returned by Validate.
func validationErrors(t *testing.T, err error) []*ValidationError {
	t.Helper()
	j, ok := err.(interface{ Unwrap() []error })
	if !ok {
		t.Fatalf("%T is not a joined error", err)
	}
	var out []*ValidationError
	for _, e := range j.Unwrap() {
		ve, ok := e.(*ValidationError)
		if !ok {
			t.Fatalf("%T (%v) is not a *ValidationError", e, e)
		}
		out = append(out, ve)
	}
	return out
}

func TestMembersAt(t *testing.T) {
	h := validHousehold()
	names := map[customer.ID]string{alice: "alice", bob: "bob", carol: "carol"}
	at := func(tm time.Time) []string {
		var s []string
		for _, m := range h.MembersAt(tm) {
			s = append(s, names[m.Customer])
		}
		return s
	}
	tests := []struct {
		t    time.Time
		want []string
	}{
		{time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), []string{"carol"}}, // zero From: since always
		{t2019.Add(-time.Nanosecond), []string{"carol"}},
		{t2019, []string{"alice", "bob", "carol"}}, // From is inclusive
		{t2021, []string{"alice", "bob", "carol"}},
		{t2023.Add(-time.Nanosecond), []string{"alice", "bob", "carol"}},
		{t2023, []string{"alice", "carol"}}, // To is exclusive
		{time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC), []string{"alice", "carol"}},
		{t2021.In(time.FixedZone("EST", -5*3600)), []string{"alice", "bob", "carol"}},
	}
	for _, tc := range tests {
		if got := at(tc.t); !slices.Equal(got, tc.want) {
			t.Errorf("MembersAt(%v) = %v, want %v", tc.t, got, tc.want)
		}
	}
	if got := (&Household{}).MembersAt(t2021); got != nil {
		t.Errorf("empty household: MembersAt = %v, want nil", got)
	}
	// The result is a copy.
	got := h.MembersAt(t2021)
	got[0].Role = MemberRoleOther
	if h.Members[0].Role != MemberRolePrimary {
		t.Error("MembersAt aliases h.Members")
	}
}

func TestOverlaps(t *testing.T) {
	z := time.Time{}
	y := func(n int) time.Time { return time.Date(n, 1, 1, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		spans []span
		want  []overlap
	}{
		{[]span{{z, z, 0}}, nil},
		{[]span{{z, z, 0}, {z, z, 1}}, []overlap{{1, 0}}},
		{[]span{{y(2000), y(2010), 0}, {y(2010), y(2020), 1}}, nil}, // adjacent
		{[]span{{y(2010), z, 0}, {z, y(2010), 1}}, nil},             // adjacent, unbounded
		{[]span{{y(2010), z, 0}, {z, y(2011), 1}}, []overlap{{0, 1}}},
		{[]span{{y(2000), y(2020), 0}, {y(2005), y(2006), 1}, {y(2010), y(2011), 2}}, []overlap{{1, 0}, {2, 0}}},
		{[]span{{y(2000), y(2001), 0}, {y(2002), y(2003), 1}, {y(2004), z, 2}, {y(2030), y(2031), 3}}, []overlap{{3, 2}}},
	}
	for i, tc := range tests {
		got := overlaps(tc.spans)
		sortOverlaps(got)
		if !slices.Equal(got, tc.want) {
			t.Errorf("case %d: overlaps = %v, want %v", i, got, tc.want)
		}
	}
}

func TestHouseholdJSON(t *testing.T) {
	h := validHousehold()
	h.Members[1].Role = "teleport" // unknown to this version: must survive
	b, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	var got Household
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, h) {
		t.Errorf("round trip:\n got %+v\nwant %+v\njson %s", got, h, b)
	}
	if got.Members[1].Role.Known() || got.Members[1].Role != "teleport" {
		t.Errorf("unknown role = %q", got.Members[1].Role)
	}
	for _, key := range []string{`"tenant":"acme-auto-group"`, `"role":"teleport"`, `"postal_code":"62701"`, `"created_at":"2019-06-01T00:00:00Z"`, `"updated_at":"2023-09-30T08:30:00.123456789Z"`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("json lacks %s: %s", key, b)
		}
	}

	// The zero household has only its tenant key.
	b, err = json.Marshal(Household{})
	if err != nil || string(b) != `{"tenant":""}` {
		t.Errorf("zero household: %s, %v", b, err)
	}

	// Enum text is trimmed and lower-cased; non-token text is refused.
	var m Member
	if err := json.Unmarshal([]byte(`{"role":" Co_Buyer "}`), &m); err != nil || m.Role != MemberRoleCoBuyer {
		t.Errorf("role = %q, %v", m.Role, err)
	}
	err = json.Unmarshal([]byte(`{"role":"co buyer"}`), &m)
	if !errors.Is(err, ErrInvalid) {
		t.Errorf("role with a space: %v, want ErrInvalid", err)
	}
	err = json.Unmarshal([]byte(`{"customer":"not-a-uuid"}`), &m)
	if !errors.Is(err, customer.ErrInvalidID) {
		t.Errorf("bad customer id: %v", err)
	}
	err = json.Unmarshal([]byte(`{"vehicles":["nope"]}`), &h)
	if !errors.Is(err, ErrInvalidID) {
		t.Errorf("bad vehicle id: %v", err)
	}
}

func TestMemberJSON(t *testing.T) {
	for _, m := range []Member{
		{},
		{Customer: alice},
		{Customer: alice, Role: MemberRoleCoBuyer, From: t2019, To: t2023},
		{Customer: bob, Role: "teleport", To: t2021},
	} {
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		var got Member
		if err := json.Unmarshal(b, &got); err != nil || got != m {
			t.Errorf("round trip of %+v: %+v, %v (json %s)", m, got, err, b)
		}
	}
}

func TestIDs(t *testing.T) {
	id, err := NewID()
	if err != nil || id.IsZero() {
		t.Fatalf("NewID() = %v, %v", id, err)
	}
	p, err := ParseID(id.String())
	if err != nil || p != id {
		t.Errorf("ParseID(%q) = %v, %v", id, p, err)
	}
	vid, err := NewVehicleID()
	if err != nil || vid.IsZero() {
		t.Fatalf("NewVehicleID() = %v, %v", vid, err)
	}
	pv, err := ParseVehicleID(strings.ToUpper(vid.String()))
	if err != nil || pv != vid {
		t.Errorf("ParseVehicleID(%q) = %v, %v", vid, pv, err)
	}
	if z, err := ParseID(""); err != nil || !z.IsZero() || z.String() != "" {
		t.Errorf(`ParseID("") = %v, %v`, z, err)
	}
	for _, bad := range []string{"x", "0190a0b0-0000-7000-8000-00000000000", "{0190a0b0-0000-7000-8000-000000000000}"} {
		_, err := ParseID(bad)
		var ve *ValidationError
		if !errors.Is(err, ErrInvalidID) || !errors.As(err, &ve) || ve.Field != "id" {
			t.Errorf("ParseID(%q) = %v", bad, err)
		}
		_, err = ParseVehicleID(bad)
		if !errors.Is(err, ErrInvalidID) || !errors.As(err, &ve) || ve.Field != "vehicle_id" {
			t.Errorf("ParseVehicleID(%q) = %v", bad, err)
		}
	}
	b, _ := json.Marshal(map[string]any{"h": id, "v": vid})
	var back struct {
		H ID
		V VehicleID
	}
	if err := json.Unmarshal(b, &back); err != nil || back.H != id || back.V != vid {
		t.Errorf("json: %+v, %v", back, err)
	}
}

func TestEnums(t *testing.T) {
	for _, r := range MemberRoles() {
		if !r.Known() || r.String() == "" {
			t.Errorf("member role %q", r)
		}
		if p, err := ParseMemberRole(" " + strings.ToUpper(string(r)) + " "); err != nil || p != r {
			t.Errorf("ParseMemberRole(%q) = %q, %v", r, p, err)
		}
	}
	for _, r := range StakeholderRoles() {
		if !r.Known() || r.String() == "" {
			t.Errorf("stakeholder role %q", r)
		}
		if p, err := ParseStakeholderRole(strings.ToUpper(string(r))); err != nil || p != r {
			t.Errorf("ParseStakeholderRole(%q) = %q, %v", r, p, err)
		}
	}
	if MemberRoleUnknown.Known() || StakeholderRoleUnknown.Known() || DistanceUnitUnknown.Known() {
		t.Error("a zero enum is known")
	}
	if r, err := ParseMemberRole("step_child"); err != nil || r.Known() || r != "step_child" {
		t.Errorf(`ParseMemberRole("step_child") = %q, %v`, r, err)
	}
	if u, err := ParseDistanceUnit("KM"); err != nil || u != DistanceUnitKilometers || !u.Known() {
		t.Errorf(`ParseDistanceUnit("KM") = %q, %v`, u, err)
	}
	for _, bad := range []string{"co buyer", "spouse!", "é", strings.Repeat("a", 33)} {
		if _, err := ParseMemberRole(bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("ParseMemberRole(%q) = %v, want ErrInvalid", bad, err)
		}
		if _, err := ParseStakeholderRole(bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("ParseStakeholderRole(%q) = %v, want ErrInvalid", bad, err)
		}
		if _, err := ParseDistanceUnit(bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("ParseDistanceUnit(%q) = %v, want ErrInvalid", bad, err)
		}
	}
	// The lists are copies.
	MemberRoles()[0] = "x"
	if MemberRoles()[0] != MemberRolePrimary {
		t.Error("MemberRoles returns shared storage")
	}
}
