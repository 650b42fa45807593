package sqlitestore_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
	"github.com/rapportcim/rapport/storage/sqlitestore"
)

// TestLineTouchesBackfill: a file upgraded to the line_touches version
// gives the same line state as one whose interactions were written with
// the table in place (migration 6's backfill, run again here on a file
// taken back to version 5), and the state holds the sends and staff
// contacts written.
func TestLineTouchesBackfill(t *testing.T) {
	ctx := t.Context()
	b := newTestBackend(t, nil)
	line := testPhone(1)
	c1, c2 := testCustomer(1, line), testCustomer(2, line)
	err := b.Update(ctx, func(tx storage.Tx) error {
		if err := tx.CreateCustomer(ctx, c1); err != nil {
			return err
		}
		if err := tx.CreateCustomer(ctx, c2); err != nil {
			return err
		}
		if err := tx.AppendConsent(ctx, testOptOut(1, line, c1.ID, t0)); err != nil {
			return err
		}
		for n := range uint64(12) {
			cust := c1.ID
			if n%3 == 0 {
				cust = c2.ID
			}
			i := testInteraction(n+1, cust, t0.Add(time.Duration(n)*time.Hour))
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
	before, err := b.LineStates(ctx, tenant, qs)
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
	// Back to version 5: migration 7's column goes too, so that Migrate
	// applies 6 and 7 again.
	for _, q := range []string{`DROP TABLE line_touches`, `DROP INDEX commitments_done`, `ALTER TABLE commitments DROP COLUMN done_at`, `PRAGMA user_version = 5`} {
		if err := sqlitestore.ExecWriter(t, b, q); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	after, err := b.LineStates(ctx, tenant, qs)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(before, after) {
		t.Errorf("after the backfill:\n %+v\nwant\n %+v", after, before)
	}
}
