package rapport_test

import (
	"context"
	"iter"
	"testing"

	"github.com/rapportcim/rapport"
	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dms"
)

// TestUpsertIgnoresGuardedValues: a placeholder email, a placeholder
// number, a placeholder DMS ID and the dealership's own number (in
// Options.Guards) never attach a record to the customer who holds them,
// whether the record comes through UpsertCustomer or a batched Import,
// while a real shared value still matches. The records keep the values.
func TestUpsertIgnoresGuardedValues(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		store := addr(t, "tel:+12125550100") // the showroom's main line
		guards := customer.DefaultGuards()
		guards.Addresses = []channel.Address{store}
		guards.PhoneEndings = append(guards.PhoneEndings, "5550199") // a placeholder this dealership's staff type
		book, err := rapport.New(f.backend, "group-1", &rapport.Options{Now: f.clock, NewID: f.newID, Guards: &guards})
		if err != nil {
			t.Fatal(err)
		}
		guards.Addresses, guards.PhoneEndings = nil, nil // the Book keeps its own copy
		noEmail := addr(t, "mailto:no.email@example.com")
		mobile := addr(t, "tel:+12125550142")
		placeholder := addr(t, "tel:+13055550199")
		first, err := book.UpsertCustomer(ctx, customer.Customer{
			Name:          customer.Name{Given: "Jane", Family: "Doe"},
			ContactPoints: []customer.ContactPoint{{Address: noEmail}, {Address: store}, {Address: placeholder}, {Address: mobile}},
			ExternalIDs:   []customer.ExternalID{{System: "cdk", Value: "0"}},
		})
		if err != nil {
			t.Fatal(err)
		}
		// Another Jane Doe, or a record with no name, that shares only
		// guarded values is a new customer, not Jane's record.
		for _, in := range []customer.Customer{
			{Name: customer.Name{Given: "Jane", Family: "Doe"}, ContactPoints: []customer.ContactPoint{{Address: noEmail}}},
			{ContactPoints: []customer.ContactPoint{{Address: store}}},
			{ContactPoints: []customer.ContactPoint{{Address: placeholder}}},
			{Name: customer.Name{Given: "Jane", Family: "Doe"}, ExternalIDs: []customer.ExternalID{{System: "cdk", Value: " n/a "}}},
			{Name: customer.Name{Given: "Janet", Family: "Doe"}, ExternalIDs: []customer.ExternalID{{System: "CDK", Value: "0"}}},
		} {
			up, err := book.UpsertCustomer(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			if !up.Created || up.Record.ID == first.Record.ID || len(up.MatchedBy) > 0 || len(up.SharedWith) > 0 {
				t.Errorf("record %+v: created %v, matched by %v, shared with %v; want a new customer, no match", in, up.Created, up.MatchedBy, up.SharedWith)
			}
			if len(up.Record.ContactPoints) != len(in.ContactPoints) || len(up.Record.ExternalIDs) != len(in.ExternalIDs) {
				t.Errorf("record %+v stored as %+v: the guarded values are not kept", in, up.Record)
			}
		}
		// A value that is not guarded still matches.
		again, err := book.UpsertCustomer(ctx, customer.Customer{Name: customer.Name{Given: "Jane", Family: "Doe"}, ContactPoints: []customer.ContactPoint{{Address: mobile}}})
		if err != nil {
			t.Fatal(err)
		}
		if again.Created || again.Record.ID != first.Record.ID {
			t.Errorf("a real number: created %v, ID %v; want Jane's record %v", again.Created, again.Record.ID, first.Record.ID)
		}
		// The same through Import (its batched matching).
		rows := []*dms.Row{
			{Row: 2, Customer: &customer.Customer{Name: customer.Name{Given: "Jane", Family: "Doe"}, ContactPoints: []customer.ContactPoint{{Address: noEmail}}, ExternalIDs: []customer.ExternalID{{System: "cdk", Value: "0"}}}},
			{Row: 3, Customer: &customer.Customer{Name: customer.Name{Given: "Jane", Family: "Doe"}, ContactPoints: []customer.ContactPoint{{Address: mobile}}}},
		}
		rep, err := book.Import(ctx, iter.Seq2[*dms.Row, error](func(yield func(*dms.Row, error) bool) {
			for _, r := range rows {
				if !yield(r, nil) {
					return
				}
			}
		}), nil)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Read != 2 || rep.Matched != 1 || rep.Rejected != 0 {
			t.Errorf("Import: %d read, %d matched, %d rejected; want 2, 1 (the real number's row: Jane's), 0: %+v", rep.Read, rep.Matched, rep.Rejected, rep)
		}
	})
}
