package sqlitestore_test

import (
	"slices"
	"testing"
	"time"

	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
	"github.com/rapportcim/rapport/storage/sqlitestore"
)

// TestDoneAtBackfill: a file upgraded to the done_at version (migration 7's
// backfill, run again here on a file taken back to version 6) finds by
// DoneSince exactly the commitments kept since then, as one written with
// the column in place does.
func TestDoneAtBackfill(t *testing.T) {
	ctx := t.Context()
	b := newTestBackend(t, nil)
	c := testCustomer(1)
	var cms []interaction.Commitment
	for n := range uint64(6) {
		cm := interaction.Commitment{ID: interaction.CommitmentID(seqID(4, n+1)), Tenant: tenant, Rooftop: "north", Customer: c.ID,
			What: "Call back", Owner: "ana", Team: "bdc", Due: t0, Status: interaction.CommitmentStatusOpen, CreatedAt: t0, UpdatedAt: t0}
		if n%3 != 0 {
			cm.Status, cm.DoneAt = interaction.CommitmentStatusDone, t0.Add(time.Duration(n)*time.Hour)
		}
		cms = append(cms, cm)
	}
	err := b.Update(ctx, func(tx storage.Tx) error {
		if err := tx.CreateCustomer(ctx, c); err != nil {
			return err
		}
		for _, cm := range cms {
			if err := tx.CreateCommitment(ctx, cm); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	q := storage.CommitmentQuery{Rooftop: "north", DoneSince: t0.Add(2 * time.Hour)}
	list := func() []interaction.CommitmentID {
		t.Helper()
		page, _, err := b.Commitments(ctx, tenant, q, "", 100)
		if err != nil {
			t.Fatal(err)
		}
		var ids []interaction.CommitmentID
		for _, cm := range page {
			ids = append(ids, cm.ID)
		}
		return ids
	}
	want := []interaction.CommitmentID{cms[2].ID, cms[4].ID, cms[5].ID} // done at hours 2, 4 and 5
	before := list()
	if !slices.Equal(before, want) {
		t.Fatalf("kept since hour 2: %v, want %v", before, want)
	}
	for _, s := range []string{`DROP INDEX commitments_done`, `ALTER TABLE commitments DROP COLUMN done_at`, `PRAGMA user_version = 6`} {
		if err := sqlitestore.ExecWriter(t, b, s); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if after := list(); !slices.Equal(after, want) {
		t.Errorf("after the backfill, kept since hour 2: %v, want %v", after, want)
	}
}
