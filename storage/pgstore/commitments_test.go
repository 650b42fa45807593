package pgstore_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

// TestDoneAtBackfill: a schema upgraded to the done_at version (migration
// 7's backfill, run again here on a schema taken back to version 6) finds
// by DoneSince exactly the commitments kept since then, as one written with
// the column in place does.
func TestDoneAtBackfill(t *testing.T) {
	ctx := t.Context()
	needServer(t)
	b, schema := newTestBackendSchema(t, dsn, nil)
	const tn = "done-tenant"
	c := newCustomer(tn, 1)
	var cms []interaction.Commitment
	for n := range 6 {
		cm := newCommitment(tn, c.ID, t0)
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
		page, _, err := b.Commitments(ctx, tn, q, "", 100)
		if err != nil {
			t.Fatal(err)
		}
		var ids []interaction.CommitmentID
		for _, cm := range page {
			ids = append(ids, cm.ID)
		}
		slices.SortFunc(ids, func(x, y interaction.CommitmentID) int { return strings.Compare(x.String(), y.String()) })
		return ids
	}
	want := []interaction.CommitmentID{cms[2].ID, cms[4].ID, cms[5].ID} // done at hours 2, 4 and 5
	slices.SortFunc(want, func(x, y interaction.CommitmentID) int { return strings.Compare(x.String(), y.String()) })
	if before := list(); !slices.Equal(before, want) {
		t.Fatalf("kept since hour 2: %v, want %v", before, want)
	}
	pool := schemaPool(t, schema)
	for _, s := range []string{`ALTER TABLE commitments DROP COLUMN done_at`, `DELETE FROM rapport_migrations WHERE version >= 7`} {
		if _, err := pool.Exec(ctx, s); err != nil {
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
