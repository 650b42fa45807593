package pgstore_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
	"github.com/rapportcim/rapport/storage/pgstore"
)

// TestLineTouchesBackfill: a schema upgraded to the line_touches version
// gives the same line state as one whose interactions were written with
// the table in place (migration 5's backfill, run again here on a schema
// taken back to version 4), and the state holds the sends and staff
// contacts written.
func TestLineTouchesBackfill(t *testing.T) {
	ctx := t.Context()
	schema := newSchema(t)
	b, err := pgstore.Open(ctx, dsn, &pgstore.Options{Schema: schema})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	const tn = "line-tenant"
	c1, c2 := newCustomer(tn, 1), newCustomer(tn, 2)
	line := phone(1)
	c2.ContactPoints = append(c2.ContactPoints, customer.ContactPoint{Address: line, Rank: 3})
	err = b.Update(ctx, func(tx storage.Tx) error {
		for _, c := range []customer.Customer{c1, c2} {
			if err := tx.CreateCustomer(ctx, c); err != nil {
				return err
			}
		}
		if err := tx.AppendConsent(ctx, newEvent(tn, line, c1.ID, t0)); err != nil {
			return err
		}
		for n := range 12 {
			cust := c1.ID
			if n%3 == 0 {
				cust = c2.ID
			}
			i := newInteraction(tn, cust, interaction.ConversationID{}, [16]byte{}, t0.Add(time.Duration(n)*time.Hour))
			i.Address = line
			if n%2 == 0 {
				i.Direction, i.Authorship = interaction.DirectionOutbound, interaction.AuthorshipHuman
				i.Participants = []interaction.Participant{{Staff: "sam", Role: interaction.RoleSalesperson}}
				if n%4 == 0 {
					i.Consent = &interaction.ConsentCheck{Purpose: string(consent.PurposeService), Allowed: true, CheckedAt: i.OccurredAt}
				}
			}
			if err := tx.CreateInteraction(ctx, i); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	qs := []storage.LineQuery{{Line: line}, {Line: line, Customer: c2.ID, Since: t0.Add(3 * time.Hour), Until: t0.Add(9 * time.Hour)}}
	before, err := b.LineStates(ctx, tn, qs)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(before[0].Sends); got != 6 {
		t.Errorf("%d sends to the line, want 6", got)
	}
	if got := len(before[1].Contacts); got != 1 { // c2's outbound at hour 6
		t.Errorf("%d staff contacts of customer 2 in hours 3–9, want 1: %+v", got, before[1].Contacts)
	}
	if len(before[0].Ledger) != 1 || len(before[0].Holders) != 2 || len(before[0].Recipients) != 2 {
		t.Errorf("ledger %d, holders %d, recipients %d; want 1, 2, 2", len(before[0].Ledger), len(before[0].Holders), len(before[0].Recipients))
	}
	pool := schemaPool(t, schema)
	for _, q := range []string{`DROP TABLE line_touches`, `DELETE FROM rapport_migrations WHERE version = 5`} {
		if _, err := pool.Exec(context.Background(), q); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	after, err := b.LineStates(ctx, tn, qs)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(before, after) {
		t.Errorf("after the backfill:\n %+v\nwant\n %+v", after, before)
	}
}
