package storagetest_test

import (
	"path/filepath"
	"testing"

	"github.com/rapportcim/rapport/storage"
	"github.com/rapportcim/rapport/storage/sqlitestore"
	"github.com/rapportcim/rapport/storage/storagetest"
)

func TestScratchSQLite(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) storage.Backend {
		ctx := t.Context()
		b, err := sqlitestore.Open(ctx, filepath.Join(t.TempDir(), "r.db"), &sqlitestore.Options{Synchronous: sqlitestore.SynchronousNormal})
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		t.Cleanup(func() { b.Close() })
		if err := b.Migrate(ctx); err != nil {
			t.Fatalf("Migrate: %v", err)
		}
		return b
	})
}
