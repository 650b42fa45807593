package rapport_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/rapportcim/rapport/storage"
	"github.com/rapportcim/rapport/storage/pgstore"
)

// openPG opens a pgstore backend on a fresh schema of the server
// RAPPORT_PG_DSN names (CI starts one: .ci/postgres.sh), dropped when the
// test ends.
func openPG(t testing.TB) storage.Backend {
	b, _ := openPGSchema(t)
	return b
}

// openPGSchema is openPG, returning the schema's name too.
func openPGSchema(t testing.TB) (storage.Backend, string) {
	dsn := os.Getenv("RAPPORT_PG_DSN")
	ctx := context.Background()
	var raw [6]byte
	rand.Read(raw[:])
	schema := "rapport_import_" + hex.EncodeToString(raw[:])
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connecting to RAPPORT_PG_DSN: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if conn, err := pgx.Connect(ctx, dsn); err == nil {
			conn.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE")
			conn.Close(ctx)
		}
	})
	b, err := pgstore.Open(ctx, dsn, &pgstore.Options{Schema: schema})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	if err := b.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return b, schema
}

// forEachImportBackend runs fn on every backend of forEachBackend and, when
// RAPPORT_PG_DSN is set, on pgstore.
func forEachImportBackend(t *testing.T, fn func(t *testing.T, f *fixture)) {
	forEachBackend(t, fn)
	if os.Getenv("RAPPORT_PG_DSN") == "" {
		t.Run("pgstore", func(t *testing.T) { t.Skip("RAPPORT_PG_DSN is not set") })
		return
	}
	t.Run("pgstore", func(t *testing.T) {
		fn(t, newFixture(t, func(t *testing.T) storage.Backend { return openPG(t) }, "group-1"))
	})
}
