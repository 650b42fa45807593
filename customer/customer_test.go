package customer

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/rapportcim/rapport/channel"
	"golang.org/x/text/language"
)

func mustAddr(t testing.TB, s string) channel.Address {
	t.Helper()
	a, err := channel.ParseAddress(s)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestNameKey(t *testing.T) {
	tests := []struct{ a, b string }{
		{"José Núñez", "JOSE NUNEZ"},
		{"José Núñez", "  jose   nuñez "},
		{"Jose\u0301 Nu\u0301n\u0303ez", "José Núñez"}, // decomposed accents
		{"O'Brien", "OBRIEN"},
		{"Ｊｏｓｅ", "jose"}, // full-width letters (NFKC)
		{"Müller-Lüdenscheidt", "muller ludenscheidt"},
		{"STRASSE", "strasse"},
		{"김민준", "\u1100\u1175\u11b7\u1106\u1175\u11ab\u110c\u116e\u11ab"}, // Hangul, composed and as jamo
		{"ΣΊΣΥΦΟΣ", "σίσυφος"},                                            // final sigma folds with sigma
		{"ᏣᎳᎩ", "ꮳꮃꭹ"},                                                    // Cherokee, both cases
	}
	for _, tt := range tests {
		if ka, kb := NameKey(tt.a), NameKey(tt.b); ka != kb {
			t.Errorf("NameKey(%q) = %q, NameKey(%q) = %q; want equal", tt.a, ka, tt.b, kb)
		}
	}
	if got := NameKey("José Núñez"); got != "jose nunez" {
		t.Errorf("NameKey = %q", got)
	}
	if NameKey("Ana") == NameKey("Anna") {
		t.Error("different names must not share a key")
	}
	n := Name{Prefix: "Dr.", Given: "José", Middle: "A.", Family: "Núñez", Suffix: "Jr."}
	if n.Display() != "Dr. José A. Núñez Jr." {
		t.Errorf("Display = %q", n.Display())
	}
	if n.Key() != (Name{Full: "JOSE NUNEZ"}).Key() {
		t.Errorf("split and unsplit names should share a key: %q vs %q", n.Key(), (Name{Full: "JOSE NUNEZ"}).Key())
	}
}

func TestNameKeyAllocations(t *testing.T) {
	if a := testing.AllocsPerRun(100, func() { _ = NameKey("jose nunez") }); a != 0 {
		t.Errorf("NameKey on an already-folded ASCII key allocated %v times, want 0", a)
	}
	if a := testing.AllocsPerRun(100, func() { _ = NameKey("Jose Nunez") }); a > 1 {
		t.Errorf("NameKey on ASCII allocated %v times, want at most 1", a)
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	c := Customer{
		Tenant: "bad tenant",
		Name:   Name{Given: "Jane\x00"},
		ContactPoints: []ContactPoint{
			{Address: mustAddr(t, "tel:+12125550123"), Primary: true},
			{Address: mustAddr(t, "tel:+12125550123;ext=4"), Primary: true},
			{Address: mustAddr(t, "mailto:jane@example.com"), SMS: CapabilityYes, Rank: -1},
			{Zone: "Nowhere City", BestTime: []channel.Window{{Day: time.Monday, Start: 600, End: 2000}}},
		},
		ExternalIDs: []ExternalID{{System: "CDK", Value: "1001"}, {System: "cdk", Value: " 1001"}, {System: "", Value: "x"}},
		LifeEvents:  []LifeEvent{{Date: Date{Month: 2, Day: 30}}},
		Referrals:   []Referral{{}},
		Tags:        []string{" "},
		Preference:  channel.Preference{Kinds: []channel.Kind{channel.KindSMS, channel.KindSMS}},
	}
	err := c.Validate()
	if err == nil {
		t.Fatal("Validate() = nil")
	}
	want := map[string]error{
		"tenant":                             nil,
		"name.given":                         ErrInvalidName,
		"contact_points[1].address":          ErrDuplicate,
		"contact_points[1].primary":          ErrDuplicate,
		"contact_points[2].sms":              ErrInvalidContact,
		"contact_points[2].rank":             ErrInvalidContact,
		"contact_points[3].address":          ErrMissing,
		"contact_points[3].zone":             channel.ErrInvalidZone,
		"contact_points[3].best_time[0].end": channel.ErrInvalidWindow,
		"external_ids[1]":                    ErrDuplicate,
		"external_ids[2].system":             ErrMissing,
		"life_events[0].kind":                ErrMissing,
		"life_events[0].date":                ErrInvalid,
		"referrals[0].customer":              ErrMissing,
		"referrals[0].role":                  ErrMissing,
		"tags[0]":                            ErrMissing,
		"preference":                         channel.ErrInvalidKind,
	}
	got := map[string]error{}
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var ve *ValidationError
		if !errors.As(e, &ve) {
			t.Fatalf("problem %v is not a *ValidationError", e)
		}
		got[ve.Field] = e
	}
	for field, sentinel := range want {
		e, ok := got[field]
		if !ok {
			t.Errorf("no problem reported for %s; got %v", field, err)
			continue
		}
		if sentinel != nil && !errors.Is(e, sentinel) {
			t.Errorf("%s: %v does not wrap %v", field, e, sentinel)
		}
	}
	if len(got) != len(want) {
		t.Errorf("got %d problems, want %d:\n%v", len(got), len(want), err)
	}
}

func TestValidateAcceptsMinimalAndFutureValues(t *testing.T) {
	for _, c := range []Customer{
		{Name: Name{Full: "Jane Doe"}},
		{ContactPoints: []ContactPoint{{Address: mustAddr(t, "tel:+12125550123")}}},
		{Name: Name{Given: "Jane"}, Party: "trust", ContactPoints: []ContactPoint{{Address: mustAddr(t, "tel:+12125550123"), Usage: "pager", SMS: "maybe"}},
			LifeEvents: []LifeEvent{{Kind: "promotion"}}},
	} {
		if err := c.Validate(); err != nil {
			t.Errorf("Validate(%+v) = %v", c, err)
		}
	}
	if err := (&Customer{}).Validate(); !errors.Is(err, ErrMissing) {
		t.Errorf("empty customer: %v", err)
	}
}

func sample(t testing.TB) Customer {
	ref, _ := ParseID("01939a2b-3c4d-7e5f-8a9b-0c1d2e3f4a5b")
	id, _ := ParseID("01939a2b-3c4d-7e5f-8a9b-0c1d2e3f4a5c")
	at := time.Date(2026, 11, 22, 15, 4, 5, 123456000, time.UTC)
	return Customer{
		ID: id, Tenant: "group-7", Party: PartyIndividual,
		Name:    Name{Given: "José", Family: "Núñez", Preferred: "Pepe"},
		Aliases: []Name{{Full: "JOSE NUNEZ"}},
		ContactPoints: []ContactPoint{
			{Address: mustAddr(t, "tel:+12125550123"), Usage: UsageMobile, Primary: true, Rank: 1, Verified: true, VerifiedAt: at,
				SMS: CapabilityYes, Source: "web-form", BestTime: channel.Every(channel.Clock(17, 0), channel.Clock(20, 0)), Zone: "America/New_York"},
			{Address: mustAddr(t, "mailto:jose@example.com"), Usage: UsageWork, UndeliverableAt: at, UndeliverableReason: "550 mailbox unavailable"},
		},
		Preference:  channel.Preference{Kinds: []channel.Kind{channel.KindSMS, "hologram"}, Language: language.Spanish},
		ExternalIDs: []ExternalID{{System: "cdk", Value: "C-1001"}},
		LifeEvents:  []LifeEvent{{Kind: LifeEventBirthday, Date: Date{Month: 7, Day: 14}}, {Kind: "quinceanera", Date: Date{Year: 2027, Month: 3, Day: 1}, Note: "daughter"}},
		Referrals:   []Referral{{Customer: ref, Role: ReferralReferredBy, At: at}},
		Tags:        []string{"vip", "service"},
		Source:      "cars.com",
		Attributes:  map[string]string{"dms.salesman": "0042"},
		CreatedAt:   at, UpdatedAt: at.Add(time.Hour), Revision: 3,
	}
}

func TestCustomerJSONRoundTrip(t *testing.T) {
	in := sample(t)
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var out Customer
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in, out) {
		t.Errorf("round trip lost data:\n in: %+v\nout: %+v\njson: %s", in, out, b)
	}
	// Unknown enum values written by a newer version survive.
	if out.Preference.Kinds[1] != "hologram" || out.LifeEvents[1].Kind != "quinceanera" {
		t.Errorf("unknown enum values dropped: %s", b)
	}
	var zero Customer
	b, _ = json.Marshal(zero)
	if string(b) != "{}" {
		t.Errorf("zero customer = %s", b)
	}
}

func TestContact(t *testing.T) {
	c := sample(t)
	cp, ok := c.Contact(channel.KindSMS)
	if !ok || cp.Address.String() != "tel:+12125550123" {
		t.Errorf("Contact(sms) = %v, %v", cp.Address, ok)
	}
	if _, ok := c.Contact(channel.KindEmail); ok {
		t.Error("the only email is undeliverable")
	}
	c.ContactPoints = append(c.ContactPoints,
		ContactPoint{Address: mustAddr(t, "tel:+12125550188"), Rank: 2},
		ContactPoint{Address: mustAddr(t, "tel:+12125550177"), Rank: 1})
	c.ContactPoints[0].Primary = false
	c.ContactPoints[0].Rank = 0
	if cp, _ := c.Contact(channel.KindVoice); cp.Address.String() != "tel:+12125550177" {
		t.Errorf("lowest rank should win, got %v", cp.Address)
	}
	if !c.HasAddress(mustAddr(t, "tel:+12125550123;ext=9")) || c.HasAddress(mustAddr(t, "tel:+12125550199")) {
		t.Error("HasAddress")
	}
	if c.ExternalID("CDK") != "C-1001" || c.ExternalID("reynolds") != "" {
		t.Error("ExternalID")
	}
}

func TestCloneIsDeep(t *testing.T) {
	c := sample(t)
	d := c.Clone()
	d.ContactPoints[0].BestTime[0].Start = 1
	d.Tags[0] = "changed"
	d.Attributes["dms.salesman"] = "x"
	d.Preference.Kinds[0] = channel.KindEmail
	if c.ContactPoints[0].BestTime[0].Start == 1 || c.Tags[0] == "changed" || c.Attributes["dms.salesman"] == "x" || c.Preference.Kinds[0] == channel.KindEmail {
		t.Error("Clone shares memory with the original")
	}
}

func TestNormalize(t *testing.T) {
	c := Customer{Name: Name{Given: "  Jose\u0301 ", Family: "Nu\u0301n\u0303ez  "}, Tags: []string{" vip", "vip", ""}, ExternalIDs: []ExternalID{{System: " CDK ", Value: " 1 "}}}
	c.Normalize()
	if c.Name.Given != "José" || c.Name.Family != "Núñez" {
		t.Errorf("name = %+v", c.Name)
	}
	if !reflect.DeepEqual(c.Tags, []string{"vip"}) || c.ExternalIDs[0] != (ExternalID{System: "cdk", Value: "1"}) {
		t.Errorf("tags %v ext %v", c.Tags, c.ExternalIDs)
	}
}

func TestDate(t *testing.T) {
	for _, s := range []string{"1984-07-14", "--07-14", "--02-29", "2024-02-29"} {
		d, err := ParseDate(s)
		if err != nil || d.String() != s {
			t.Errorf("ParseDate(%q) = %v, %v", s, d, err)
		}
	}
	for _, s := range []string{"2023-02-29", "--13-01", "1984-7-14", "+984-07-14", "0000-01-01", "yesterday"} {
		if _, err := ParseDate(s); !errors.Is(err, ErrInvalid) {
			t.Errorf("ParseDate(%q) accepted", s)
		}
	}
	ny, _ := time.LoadLocation("America/New_York")
	next := Date{Month: 2, Day: 29}.Next(time.Date(2026, 11, 22, 12, 0, 0, 0, ny), ny)
	if next.Format("2006-01-02") != "2027-03-01" {
		t.Errorf("Next(--02-29) = %v (29 Feb falls on 1 March in common years)", next)
	}
}

func TestEnumsKeepUnknownValues(t *testing.T) {
	var u Usage
	if err := json.Unmarshal([]byte(`"Satellite"`), &u); err != nil || u != "satellite" || u.Known() {
		t.Errorf("usage = %q, %v", u, err)
	}
	if err := json.Unmarshal([]byte(`"two words"`), &u); !errors.Is(err, ErrInvalid) {
		t.Errorf("malformed enum accepted: %v", err)
	}
}
