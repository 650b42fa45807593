package rapport_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/rapportcim/rapport"
	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/household"
)

func mustPhone(t testing.TB, s string) channel.Address {
	t.Helper()
	p, err := channel.ParsePhone(s, "US")
	if err != nil {
		t.Fatal(err)
	}
	return p.Address()
}

func mustEmail(t testing.TB, s string) channel.Address {
	t.Helper()
	e, err := channel.ParseEmail(s)
	if err != nil {
		t.Fatal(err)
	}
	return e.Address()
}

func TestBookDuplicates(t *testing.T) {
	for _, bk := range backends {
		t.Run(bk.name, func(t *testing.T) {
			ctx := context.Background()
			f := newFixture(t, bk.open, "dup-test")
			upsert := func(c customer.Customer) customer.ID {
				t.Helper()
				res, err := f.book.UpsertCustomer(ctx, c)
				if err != nil {
					t.Fatal(err)
				}
				if !res.Created {
					t.Fatalf("%v was matched to an existing customer: the test needs a new record", c.Name)
				}
				return res.Record.ID
			}
			landline := mustPhone(t, "+1 212 555 0150")
			store := mustPhone(t, "+1 212 555 0100")
			mobile := mustPhone(t, "+1 212 555 0123")
			robert := upsert(customer.Customer{
				Name: customer.Name{Given: "Robert", Family: "Núñez"},
				ContactPoints: []customer.ContactPoint{
					{Address: landline, Usage: customer.UsageHome},
					{Address: mobile, Usage: customer.UsageMobile},
				},
			})
			// The same man, typed at the service desk: a nickname, no
			// accents, and the store's own number as his work phone. The
			// import does not recognise him (the first names differ), so
			// the book has a duplicate.
			bob := upsert(customer.Customer{
				Name: customer.Name{Given: "Bob", Family: "Nunez"},
				ContactPoints: []customer.ContactPoint{
					{Address: landline, Usage: customer.UsageHome},
					{Address: mobile, Usage: customer.UsageMobile},
					{Address: store, Usage: customer.UsageWork},
					{Address: mustEmail(t, "bob.nunez@example.com")},
				},
			})
			// His wife shares the landline: a different person.
			maria := upsert(customer.Customer{
				Name:          customer.Name{Given: "Maria", Family: "Núñez"},
				ContactPoints: []customer.ContactPoint{{Address: landline, Usage: customer.UsageHome}},
			})
			// Five walk-ins registered at the showroom kiosk with its email
			// and the store's number: neither is evidence.
			for i, n := range []string{"Ann Lee", "Raj Patel", "Li Wei", "Sam Ortiz", "Kim Cruz"} {
				upsert(customer.Customer{
					Name: customer.Name{Full: n},
					ContactPoints: []customer.ContactPoint{
						{Address: mustEmail(t, "kiosk@dealer.example.com")},
						{Address: store, Usage: customer.UsageWork},
						{Address: mustPhone(t, fmt.Sprintf("+1 646 555 01%02d", 60+i)), Usage: customer.UsageMobile},
					},
				})
			}
			if _, err := f.book.UpsertHousehold(ctx, household.Household{
				Name:    "Núñez",
				Address: household.PostalAddress{PostalCode: "10001"},
				Members: []household.Member{{Customer: robert}, {Customer: bob}, {Customer: maria}},
			}); err != nil {
				t.Fatal(err)
			}

			rules := customer.DefaultDuplicateRules()
			rules.Guards.Addresses = []channel.Address{store}
			var stats customer.DuplicateStats
			var got []customer.Candidate
			for c, err := range f.book.Duplicates(ctx, &rapport.DuplicatesOptions{Rules: &rules, Stats: &stats}) {
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, c)
			}
			if len(got) != 1 {
				t.Fatalf("candidates = %+v, want Robert/Bob only", got)
			}
			first := got[0]
			wantPair := []customer.ID{robert, bob}
			slices.SortFunc(wantPair, func(a, b customer.ID) int { return slices.Compare(a[:], b[:]) })
			if first.A != wantPair[0] || first.B != wantPair[1] {
				t.Errorf("first candidate = %v/%v, want Robert and Bob", first.A, first.B)
			}
			if first.Tier != customer.TierSafe || first.Score != 16 {
				t.Errorf("Robert/Bob tier = %v, score %d; want safe, 16", first.Tier, first.Score)
			}
			var words []string
			for _, r := range first.Reasons {
				words = append(words, r.String())
			}
			// The landline is shared with his wife: it weighs less, and as a
			// second matching line only half of that.
			want := []string{"same mobile number", "first names are a nickname and its full form",
				"same last name and postal code", "same phone number (held by 3 customers)"}
			if !slices.Equal(words, want) {
				t.Errorf("reasons = %q, want %q", words, want)
			}
			if stats.Customers != 8 || stats.SharedValues != 1 {
				t.Errorf("stats = %+v, want 8 customers and 1 shared value (the kiosk email)", stats)
			}

			// Only the likely tier and up.
			n := 0
			for _, err := range f.book.Duplicates(ctx, &rapport.DuplicatesOptions{Rules: &rules, MinTier: customer.TierLikely}) {
				if err != nil {
					t.Fatal(err)
				}
				n++
			}
			if n != 1 {
				t.Errorf("MinTier likely gave %d candidates, want 1", n)
			}
			n = 0
			for _, err := range f.book.Duplicates(ctx, &rapport.DuplicatesOptions{Rules: &rules, MinTier: customer.TierSafe}) {
				if err != nil {
					t.Fatal(err)
				}
				n++
			}
			if n != 1 {
				t.Errorf("MinTier safe gave %d candidates, want 1", n)
			}
		})
	}
}
