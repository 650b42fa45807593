package customer

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/rapportcim/rapport/channel"
	"golang.org/x/text/language"
)

func TestCompatibleNames(t *testing.T) {
	tests := []struct {
		a, b Name
		want bool
	}{
		{Name{Given: "Jane", Family: "Doe"}, Name{Given: "JANE", Family: "doe"}, true},
		{Name{Given: "José", Family: "Núñez"}, Name{Given: "Jose", Family: "Nunez"}, true},
		{Name{Given: "J.", Family: "Doe"}, Name{Given: "Jane", Family: "Doe"}, true},
		{Name{Given: "John", Family: "Doe"}, Name{Given: "Jane", Family: "Doe"}, true}, // same initial: may be one person
		{Name{Given: "Ana", Family: "Doe"}, Name{Given: "Jane", Family: "Doe"}, false},
		{Name{Given: "Jane", Family: "Doe"}, Name{Given: "Jane", Family: "Roe"}, false},
		{Name{Full: "Jane Doe"}, Name{Full: "jane  doe"}, true},
		{Name{Full: "Jane Doe"}, Name{Given: "Jane", Family: "Doe"}, true}, // the match keys agree
		{Name{Full: "J Doe"}, Name{Given: "Jane", Family: "Doe"}, false},   // an unsplit name is compared whole
	}
	for _, tt := range tests {
		if got := CompatibleNames(tt.a, tt.b); got != tt.want {
			t.Errorf("CompatibleNames(%+v, %+v) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
		if got := CompatibleNames(tt.b, tt.a); got != tt.want {
			t.Errorf("CompatibleNames is not symmetric for %+v, %+v", tt.a, tt.b)
		}
	}
}

func TestSamePerson(t *testing.T) {
	jane := Customer{Name: Name{Given: "Jane", Family: "Doe"}, Aliases: []Name{{Given: "Janie", Family: "Smith"}},
		ExternalIDs: []ExternalID{{System: "cdk", Value: "C-1"}}}
	tests := []struct {
		name string
		in   Customer
		want bool
	}{
		{"compatible name", Customer{Name: Name{Given: "J.", Family: "Doe"}}, true},
		{"an alias matches", Customer{Name: Name{Given: "Janie", Family: "Smith"}}, true},
		{"unknown name", Customer{}, true},
		{"another family name", Customer{Name: Name{Given: "Ana", Family: "Roe"}}, false},
		{"same system, same ID", Customer{Name: Name{Given: "Jane", Family: "Doe"}, ExternalIDs: []ExternalID{{System: "cdk", Value: "C-1"}}}, true},
		{"same system, another ID", Customer{Name: Name{Given: "Jane", Family: "Doe"}, ExternalIDs: []ExternalID{{System: "cdk", Value: "C-2"}}}, false},
		{"another system", Customer{Name: Name{Given: "Jane", Family: "Doe"}, ExternalIDs: []ExternalID{{System: "crm", Value: "9"}}}, true},
	}
	for _, tt := range tests {
		if got := SamePerson(&jane, &tt.in); got != tt.want {
			t.Errorf("%s: SamePerson = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestMerge(t *testing.T) {
	mobile, email := mustAddr(t, "tel:+12125550123"), mustAddr(t, "mailto:jane@example.com")
	work := mustAddr(t, "tel:+12125550188")
	verified := time.Date(2026, 11, 2, 14, 0, 0, 0, time.UTC)
	stored := Customer{
		ID: ID{1}, Tenant: "t1", Name: Name{Given: "Jane", Family: "Doe"}, Revision: 3,
		ContactPoints: []ContactPoint{{Address: mobile, Primary: true}},
		Preference:    channel.Preference{Zone: "America/New_York"},
		ExternalIDs:   []ExternalID{{System: "cdk", Value: "C-1"}},
		Tags:          []string{"vip"},
		Attributes:    map[string]string{"color": "blue"},
	}
	in := Customer{
		ID: ID{2}, Tenant: "t2", Name: Name{Given: "Janie", Family: "Doe"}, Revision: 9, Party: PartyIndividual,
		ContactPoints: []ContactPoint{
			{Address: mobile, Usage: UsageMobile, Verified: true, VerifiedAt: verified, SMS: CapabilityYes, Source: "web-form"},
			{Address: email, Primary: true},
			{Address: work, Primary: true},
		},
		Preference:  channel.Preference{Zone: "America/Chicago", Language: language.Spanish, Kinds: []channel.Kind{channel.KindSMS}},
		ExternalIDs: []ExternalID{{System: "cdk", Value: "C-1"}, {System: "crm", Value: "77"}},
		Tags:        []string{"vip", "service"},
		Attributes:  map[string]string{"color": "red", "trim": "EX"},
		Source:      "adf",
	}
	storedCopy, inCopy := stored.Clone(), in.Clone()
	m, changed := Merge(stored, in)
	if !changed {
		t.Fatal("Merge added things but reports no change")
	}
	if !reflect.DeepEqual(stored, storedCopy) || !reflect.DeepEqual(in, inCopy) {
		t.Fatal("Merge modified its arguments")
	}
	want := Customer{
		ID: ID{1}, Tenant: "t1", Name: Name{Given: "Jane", Family: "Doe"}, Revision: 3, Party: PartyIndividual,
		Aliases: []Name{{Given: "Janie", Family: "Doe"}},
		ContactPoints: []ContactPoint{
			{Address: mobile, Primary: true, Usage: UsageMobile, Verified: true, VerifiedAt: verified, SMS: CapabilityYes, Source: "web-form"},
			{Address: email, Primary: true},
			{Address: work}, // stored already has a primary phone
		},
		Preference:  channel.Preference{Zone: "America/New_York", Language: language.Spanish, Kinds: []channel.Kind{channel.KindSMS}},
		ExternalIDs: []ExternalID{{System: "cdk", Value: "C-1"}, {System: "crm", Value: "77"}},
		Tags:        []string{"vip", "service"},
		Attributes:  map[string]string{"color": "red", "trim": "EX"},
		Source:      "adf",
	}
	if !reflect.DeepEqual(m, want) {
		t.Errorf("Merge =\n%+v\nwant\n%+v", m, want)
	}
	// The result shares nothing with stored.
	m.Tags[0], m.Attributes["color"] = "changed", "changed"
	if stored.Tags[0] != "vip" || stored.Attributes["color"] != "blue" {
		t.Error("the merged record aliases the stored one")
	}

	// Merging again adds nothing, and says so.
	again, changed := Merge(want, in)
	if changed || !reflect.DeepEqual(again, want) {
		t.Errorf("a repeated merge reports a change (%v) or differs: %+v", changed, again)
	}
	if _, changed := Merge(want, Customer{}); changed {
		t.Error("merging an empty record reports a change")
	}
	// Nothing stored is ever removed.
	if m, _ := Merge(want, Customer{Name: Name{Given: "Jane", Family: "Doe"}}); !slices.Equal(m.Tags, want.Tags) || len(m.ContactPoints) != 3 {
		t.Errorf("Merge removed something: %+v", m)
	}
}

func TestMergeKeepsAnExtensionAndALaterBounce(t *testing.T) {
	line := mustAddr(t, "tel:+12125550188")
	ext := mustAddr(t, "tel:+12125550188;ext=12")
	bounced := time.Date(2026, 11, 3, 9, 0, 0, 0, time.UTC)
	stored := Customer{ContactPoints: []ContactPoint{{Address: line, UndeliverableAt: bounced.Add(-time.Hour), UndeliverableReason: "old"}}}
	m, changed := Merge(stored, Customer{ContactPoints: []ContactPoint{{Address: ext, UndeliverableAt: bounced, UndeliverableReason: "mailbox full"}}})
	if !changed || m.ContactPoints[0].Address != ext || m.ContactPoints[0].UndeliverableReason != "mailbox full" {
		t.Errorf("extension or later bounce not kept: %+v", m.ContactPoints)
	}
	m, changed = Merge(m, Customer{ContactPoints: []ContactPoint{{Address: line, UndeliverableAt: bounced.Add(-2 * time.Hour), UndeliverableReason: "older"}}})
	if changed || m.ContactPoints[0].Address != ext || m.ContactPoints[0].UndeliverableReason != "mailbox full" {
		t.Errorf("an older bounce or a bare line replaced what is known (changed=%v): %+v", changed, m.ContactPoints)
	}
}
