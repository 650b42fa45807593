package customer

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/rapportcim/rapport/channel"
)

func surviveAddr(t *testing.T, s string) channel.Address {
	t.Helper()
	a, err := channel.ParseAddress(s)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// surviveFixture: a DMS record updated long ago with a verified primary
// phone, and a web lead updated since with a fuller name and another,
// unverified primary phone.
func surviveFixture(t *testing.T) []Customer {
	t0 := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	p1, p2 := surviveAddr(t, "tel:+12125550123"), surviveAddr(t, "tel:+12125550145")
	mail := surviveAddr(t, "mailto:ana@example.com")
	return []Customer{
		{ID: ID{1}, Name: Name{Given: "Ana", Family: "Lima"}, Source: "dms", Party: PartyIndividual, UpdatedAt: t0,
			ContactPoints: []ContactPoint{{Address: p1, Primary: true, Verified: true, VerifiedAt: t0}},
			Attributes:    map[string]string{"tier": "gold"}},
		{ID: ID{2}, Name: Name{Given: "Ana", Middle: "María", Family: "Lima"}, Source: "web", UpdatedAt: t0.Add(48 * time.Hour),
			ContactPoints: []ContactPoint{{Address: p2, Primary: true}, {Address: mail, Primary: true}},
			Tags:          []string{"lead"}, Attributes: map[string]string{"tier": "silver"}},
	}
}

func TestSurviveDefaultsMostRecent(t *testing.T) {
	cs := surviveFixture(t)
	got, from := Survive(cs, 0, nil)
	if got.ID != cs[0].ID || got.UpdatedAt != cs[0].UpdatedAt {
		t.Errorf("identity not the survivor's: ID %v UpdatedAt %v", got.ID, got.UpdatedAt)
	}
	if want := cs[1].Name; got.Name != want {
		t.Errorf("Name = %+v, want the most recent %+v", got.Name, want)
	}
	if !slices.Contains(got.Aliases, cs[0].Name) {
		t.Errorf("Aliases = %+v, want the survivor's old name kept", got.Aliases)
	}
	if got.Source != "web" || got.Party != PartyIndividual {
		t.Errorf("Source, Party = %q, %q; want web (most recent), person (the only one known)", got.Source, got.Party)
	}
	if len(got.ContactPoints) != 3 || !slices.Contains(got.Tags, "lead") {
		t.Errorf("lists not unioned: %d contact points, tags %v", len(got.ContactPoints), got.Tags)
	}
	// The verified primary phone stays primary though the newer record's
	// primary is another number.
	for _, cp := range got.ContactPoints {
		wantPrimary := cp.Address.Line().String() == "tel:+12125550123" || cp.Address.Scheme() == channel.SchemeMailto
		if cp.Primary != wantPrimary {
			t.Errorf("%s primary = %v, want %v", cp.Address, cp.Primary, wantPrimary)
		}
	}
	if !slices.ContainsFunc(from, func(f FieldSource) bool {
		return f.Field == FieldPrimary && f.Scheme == channel.SchemeTel && f.From == cs[0].ID
	}) {
		t.Errorf("field sources %+v lack the phone primary from the DMS record", from)
	}
	if cs[0].Name.Middle != "" || len(cs[0].ContactPoints) != 1 {
		t.Error("Survive changed its input")
	}
}

func TestSurviveRules(t *testing.T) {
	cs := surviveFixture(t)
	rules := &Survivorship{
		Sources: []string{"dms", "web"},
		Fields:  map[Field]Rule{FieldName: RulePriority, FieldOrigin: RulePriority},
		Default: RuleMostComplete,
	}
	got, from := Survive(cs, 1, rules)
	if got.ID != cs[1].ID {
		t.Fatalf("ID = %v, want the survivor %v", got.ID, cs[1].ID)
	}
	if got.Name != cs[0].Name || got.Source != "dms" {
		t.Errorf("Name, Source = %+v, %q; want the DMS record's by priority", got.Name, got.Source)
	}
	if got.Attributes["tier"] != "gold" {
		t.Errorf("tier = %q, want the best-ranked source's gold", got.Attributes["tier"])
	}
	for _, f := range from {
		if f.Field == FieldName && (f.From != cs[0].ID || f.Rule != RulePriority) {
			t.Errorf("name source = %+v, want from %v by priority", f, cs[0].ID)
		}
	}
	// Most complete name wins when the rule says so.
	rules.Fields = nil
	got, _ = Survive(cs, 0, rules)
	if got.Name.Middle != "María" {
		t.Errorf("most complete name = %+v", got.Name)
	}
}

func TestSurvivorshipValidate(t *testing.T) {
	if err := (&Survivorship{Sources: []string{"dms", "web"}, Fields: map[Field]Rule{FieldName: RuleMostComplete}, Default: RulePriority}).Validate(); err != nil {
		t.Errorf("valid rules: %v", err)
	}
	for _, tc := range []struct {
		rules Survivorship
		field string
		want  error
	}{
		{Survivorship{Default: "loudest"}, "rules.default", ErrInvalid},
		{Survivorship{Fields: map[Field]Rule{"nickname": RulePriority}}, "rules.fields[nickname]", ErrInvalid},
		{Survivorship{Fields: map[Field]Rule{FieldName: "longest"}}, "rules.fields[name]", ErrInvalid},
		{Survivorship{Sources: []string{"dms", "dms"}}, "rules.sources[1]", ErrDuplicate},
	} {
		err := tc.rules.Validate()
		var ve *ValidationError
		if !errors.As(err, &ve) || ve.Field != tc.field || !errors.Is(err, tc.want) {
			t.Errorf("Validate(%+v) = %v, want %v on %q", tc.rules, err, tc.want, tc.field)
		}
	}
}
