package rapport_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/rapportcim/rapport"
	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/household"
)

func TestHouseholdSuggestions(t *testing.T) {
	for _, bk := range backends {
		t.Run(bk.name, func(t *testing.T) {
			ctx := context.Background()
			f := newFixture(t, bk.open, "hh-test")
			add := func(c customer.Customer) customer.ID {
				t.Helper()
				res, err := f.book.UpsertCustomer(ctx, c)
				if err != nil {
					t.Fatal(err)
				}
				if !res.Created {
					t.Fatalf("%v matched an existing customer", c.Name)
				}
				return res.Record.ID
			}
			home := func(s string) customer.ContactPoint {
				return customer.ContactPoint{Address: mustPhone(t, s), Usage: customer.UsageHome}
			}
			oak := func(line, zip string) []customer.PostalAddress {
				return []customer.PostalAddress{{Lines: []string{line}, Locality: "New York", Region: "NY", PostalCode: zip, Country: "US"}}
			}
			store := mustPhone(t, "+1 212 555 0100")
			maria := add(customer.Customer{Name: customer.Name{Given: "María", Family: "García"}, PostalAddresses: oak("12 Oak Street", "10001")})
			jose := add(customer.Customer{Name: customer.Name{Full: "JOSE GARCIA"}, PostalAddresses: oak("12 OAK ST.", "10001-2345")})
			// A neighbour in the same building line but another family: not
			// a household on the address alone.
			add(customer.Customer{Name: customer.Name{Given: "Tom", Family: "Reed"}, PostalAddresses: oak("12 Oak Street", "10001")})
			// A couple with different last names sharing a home line.
			ann := add(customer.Customer{Name: customer.Name{Given: "Ann", Family: "Lee"}, ContactPoints: []customer.ContactPoint{home("+1 646 555 0150")}})
			raj := add(customer.Customer{Name: customer.Name{Given: "Raj", Family: "Patel"}, ContactPoints: []customer.ContactPoint{home("+1 646 555 0150")}})
			// The dealership's number typed as two strangers' home phone.
			add(customer.Customer{Name: customer.Name{Given: "Li", Family: "Wei"}, ContactPoints: []customer.ContactPoint{{Address: store, Usage: customer.UsageHome}}})
			add(customer.Customer{Name: customer.Name{Given: "Sam", Family: "Ortiz"}, ContactPoints: []customer.ContactPoint{{Address: store, Usage: customer.UsageHome}}})

			opts := &rapport.SuggestOptions{Rules: &household.SuggestRules{Blocked: []channel.Address{store}}}
			suggestions := func() []household.Suggestion {
				t.Helper()
				var out []household.Suggestion
				for s, err := range f.book.HouseholdSuggestions(ctx, opts) {
					if err != nil {
						t.Fatal(err)
					}
					out = append(out, s)
				}
				return out
			}
			find := func(ss []household.Suggestion, ids ...customer.ID) (household.Suggestion, bool) {
				key := household.SuggestionKey(ids)
				i := slices.IndexFunc(ss, func(s household.Suggestion) bool { return s.Key == key })
				if i < 0 {
					return household.Suggestion{}, false
				}
				return ss[i], true
			}

			got := suggestions()
			if len(got) != 2 {
				t.Fatalf("suggestions = %+v, want the Garcías and Ann/Raj", got)
			}
			garcia, ok := find(got, maria, jose)
			if !ok {
				t.Fatalf("no suggestion for María and José García: %+v", got)
			}
			if len(garcia.Reasons) != 1 || garcia.Reasons[0].String() != "same street address and last name" || !garcia.Household.IsZero() {
				t.Errorf("García suggestion = %+v, want a new household for the same address and last name", garcia)
			}
			if garcia.Address.PostalCode != "10001" || len(garcia.Address.Lines) != 1 {
				t.Errorf("García suggestion address = %+v, want the shared address", garcia.Address)
			}
			couple, ok := find(got, ann, raj)
			if !ok || len(couple.Reasons) != 1 || couple.Reasons[0].Code != household.ReasonSharedLandline {
				t.Fatalf("Ann/Raj suggestion = %+v (found %v), want one for the shared home line", couple, ok)
			}

			// Rejected: recorded, with a change, and not suggested again.
			before := lastChange(t, f.book)
			if err := f.book.RejectSuggestion(ctx, couple, rapport.Act{By: "manager-1", Reason: "lodgers, not family"}); err != nil {
				t.Fatal(err)
			}
			if _, ok := find(suggestions(), ann, raj); ok {
				t.Error("a rejected suggestion was made again")
			}
			if err := f.book.RejectSuggestion(ctx, couple, rapport.Act{}); !errors.Is(err, rapport.ErrAlreadyExists) {
				t.Errorf("second decision: err = %v, want ErrAlreadyExists", err)
			}
			var changes []rapport.Change
			for c, err := range f.book.Changes(ctx, before) {
				if err != nil {
					t.Fatal(err)
				}
				changes = append(changes, c)
			}
			if len(changes) != 1 || changes[0].ID != couple.Key || changes[0].Entity != "suggestion_decision" {
				t.Errorf("changes after the rejection = %+v, want one suggestion_decision", changes)
			}

			// Accepted: the household is made with both members and the
			// address, and the suggestion is gone.
			hh, err := f.book.AcceptSuggestion(ctx, garcia, rapport.Act{By: "bdc-2"})
			if err != nil {
				t.Fatal(err)
			}
			stored, err := f.book.Household(ctx, hh.ID)
			if err != nil {
				t.Fatal(err)
			}
			if ms := memberIDs(stored); !slices.Equal(ms, sortedIDs(maria, jose)) || stored.Address.PostalCode != "10001" {
				t.Errorf("household = members %v, address %+v; want María and José at the shared address", ms, stored.Address)
			}
			if got := suggestions(); len(got) != 0 {
				t.Errorf("suggestions after deciding both = %+v, want none", got)
			}

			// A third García moves in: the suggestion is to join the household.
			lupe := add(customer.Customer{Name: customer.Name{Given: "Lupe", Family: "Garcia"}, PostalAddresses: oak("12 Oak St", "10001")})
			got = suggestions()
			join, ok := find(got, maria, jose, lupe)
			if len(got) != 1 || !ok || join.Household != hh.ID {
				t.Fatalf("suggestions = %+v, want the three Garcías to join household %v", got, hh.ID)
			}
			if _, err := f.book.AcceptSuggestion(ctx, join, rapport.Act{}); err != nil {
				t.Fatal(err)
			}
			stored, err = f.book.Household(ctx, hh.ID)
			if err != nil {
				t.Fatal(err)
			}
			if ms := memberIDs(stored); !slices.Equal(ms, sortedIDs(maria, jose, lupe)) || len(stored.Members) != 3 {
				t.Errorf("household members = %v, want the three Garcías once each", ms)
			}

			// A suggestion whose key does not match its members is refused.
			bad := join
			bad.Members = bad.Members[:2]
			var ve *household.ValidationError
			if _, err := f.book.AcceptSuggestion(ctx, bad, rapport.Act{}); !errors.As(err, &ve) || !errors.Is(err, household.ErrMismatch) {
				t.Errorf("tampered suggestion: err = %v, want a *household.ValidationError wrapping ErrMismatch", err)
			}
		})
	}
}

func lastChange(t *testing.T, b *rapport.Book) rapport.Cursor {
	t.Helper()
	var cur rapport.Cursor
	for c, err := range b.Changes(context.Background(), "") {
		if err != nil {
			t.Fatal(err)
		}
		cur = c.Cursor()
	}
	return cur
}

func memberIDs(h household.Household) []customer.ID {
	var ids []customer.ID
	for _, m := range h.Members {
		ids = append(ids, m.Customer)
	}
	return sortedIDs(ids...)
}

func sortedIDs(ids ...customer.ID) []customer.ID {
	s := slices.Clone(ids)
	slices.SortFunc(s, func(a, b customer.ID) int { return slices.Compare(a[:], b[:]) })
	return s
}
