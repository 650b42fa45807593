package household_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/household"
)

func landline(t *testing.T, s string) customer.ContactPoint {
	t.Helper()
	p, err := channel.ParsePhone(s, "US")
	if err != nil {
		t.Fatal(err)
	}
	return customer.ContactPoint{Address: p.Address(), Usage: customer.UsageHome}
}

func TestSuggesterGroups(t *testing.T) {
	line := landline(t, "+1 212 555 0150")
	mobileOnly := line
	mobileOnly.Usage = customer.UsageMobile
	hhA, hhB := household.ID{0xa}, household.ID{0xb}
	c := func(id byte, cps ...customer.ContactPoint) customer.Customer {
		return customer.Customer{ID: customer.ID{id}, Name: customer.Name{Given: fmt.Sprint("P", id), Family: "Doe"}, ContactPoints: cps}
	}
	tests := []struct {
		name   string
		add    func(s *household.Suggester)
		want   int
		target household.ID
	}{
		{"two on a home line", func(s *household.Suggester) {
			a, b := c(1, line), c(2, line)
			s.Add(&a, nil)
			s.Add(&b, nil)
		}, 1, household.ID{}},
		{"a shared mobile is one person's, not a household's", func(s *household.Suggester) {
			a, b := c(1, mobileOnly), c(2, mobileOnly)
			s.Add(&a, nil)
			s.Add(&b, nil)
		}, 0, household.ID{}},
		{"one of them already in a household: join it", func(s *household.Suggester) {
			a, b := c(1, line), c(2, line)
			s.Add(&a, []household.ID{hhA})
			s.Add(&b, nil)
		}, 1, hhA},
		{"both already in the household", func(s *household.Suggester) {
			a, b := c(1, line), c(2, line)
			s.Add(&a, []household.ID{hhA})
			s.Add(&b, []household.ID{hhA})
		}, 0, household.ID{}},
		{"in two different households: left to a person", func(s *household.Suggester) {
			a, b := c(1, line), c(2, line)
			s.Add(&a, []household.ID{hhA})
			s.Add(&b, []household.ID{hhB})
		}, 0, household.ID{}},
		{"more holders than the limit: an office line", func(s *household.Suggester) {
			for i := range 7 {
				x := c(byte(i+1), line)
				s.Add(&x, nil)
			}
		}, 0, household.ID{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := household.NewSuggester(nil)
			tt.add(s)
			got := s.Suggestions()
			if len(got) != tt.want {
				t.Fatalf("suggestions = %+v, want %d", got, tt.want)
			}
			if tt.want == 1 && got[0].Household != tt.target {
				t.Errorf("target household = %v, want %v", got[0].Household, tt.target)
			}
		})
	}
}

func TestSuggestionKeyIgnoresOrder(t *testing.T) {
	a, b := customer.ID{1}, customer.ID{2}
	if household.SuggestionKey([]customer.ID{a, b}) != household.SuggestionKey([]customer.ID{b, a, b}) {
		t.Error("the key depends on order or repeats")
	}
	if household.SuggestionKey([]customer.ID{a, b}) == household.SuggestionKey([]customer.ID{a}) {
		t.Error("different members share a key")
	}
}

func TestDecisionValidate(t *testing.T) {
	members := []customer.ID{{1}, {2}}
	ok := household.Decision{Tenant: "t1", Key: household.SuggestionKey(members), Members: members,
		Outcome: household.OutcomeRejected, At: time.Date(2026, 11, 2, 14, 0, 0, 0, time.UTC)}
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid decision: %v", err)
	}
	for _, tc := range []struct {
		field    string
		sentinel error
		edit     func(d *household.Decision)
	}{
		{"key", household.ErrInvalid, func(d *household.Decision) { d.Key = "not-a-key" }},
		{"key", household.ErrMismatch, func(d *household.Decision) { d.Key = household.SuggestionKey(d.Members[:1]) }},
		{"members", household.ErrMissing, func(d *household.Decision) { d.Members = d.Members[:1] }},
		{"outcome", household.ErrInvalid, func(d *household.Decision) { d.Outcome = "" }},
		{"household", household.ErrMissing, func(d *household.Decision) { d.Outcome = household.OutcomeAccepted }},
		{"at", household.ErrMissing, func(d *household.Decision) { d.At = time.Time{} }},
		{"note", household.ErrInvalid, func(d *household.Decision) { d.Note = "two\nlines" }},
	} {
		d := ok
		d.Members = append([]customer.ID(nil), ok.Members...)
		tc.edit(&d)
		err := d.Validate()
		var ve *household.ValidationError
		if !errors.As(err, &ve) || !errors.Is(err, tc.sentinel) {
			t.Errorf("%s: err = %v, want a *ValidationError wrapping %v", tc.field, err, tc.sentinel)
			continue
		}
		found := false
		for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
			if errors.As(e, &ve) && ve.Field == tc.field && errors.Is(e, tc.sentinel) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: no problem names the field: %v", tc.field, err)
		}
	}
}
