package sqlitestore_test

import (
	"context"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/storage"
	"github.com/rapportcim/rapport/storage/sqlitestore"
)

// TestMergeCustomersBackfill: version 5 indexes the merge records stored
// before it by the customers they name (its INSERT … SELECT, run again
// here on an emptied index).
func TestMergeCustomersBackfill(t *testing.T) {
	ctx := context.Background()
	b, err := sqlitestore.Open(ctx, filepath.Join(t.TempDir(), "t.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	m := customer.MergeRecord{ID: customer.MergeID{9}, Tenant: "t1", Survivor: customer.ID{1}, Merged: []customer.ID{{2}, {3}}}
	if err := b.Update(ctx, func(tx storage.Tx) error { return tx.RecordMerge(ctx, m) }); err != nil {
		t.Fatal(err)
	}
	if err := sqlitestore.ExecWriter(t, b, `DELETE FROM merge_customers`); err != nil {
		t.Fatal(err)
	}
	sqlText, err := fs.ReadFile(sqlitestore.Migrations, "migrations/0005_erasures.sql")
	if err != nil {
		t.Fatal(err)
	}
	stmt := string(sqlText)
	stmt = stmt[strings.Index(stmt, "INSERT OR IGNORE INTO merge_customers"):]
	stmt = stmt[:strings.Index(stmt, ";")+1]
	if err := sqlitestore.ExecWriter(t, b, stmt); err != nil {
		t.Fatal(err)
	}
	for _, c := range []customer.ID{{1}, {2}, {3}} {
		got, err := b.MergesByCustomer(ctx, "t1", c)
		if err != nil || len(got) != 1 || got[0] != m.ID {
			t.Errorf("MergesByCustomer(%v) after the backfill = %v, %v", c, got, err)
		}
	}
}
