package pgstore_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/rapportcim/rapport/storage/pgstore"
)

// dsn is the server the tests run against: RAPPORT_PG_DSN, or "" to skip
// them.
var dsn = os.Getenv("RAPPORT_PG_DSN")

func TestMain(m *testing.M) {
	flag.Parse()
	if dsn == "" {
		fmt.Println("pgstore: RAPPORT_PG_DSN is not set: skipping the tests that need a PostgreSQL server (README, \"PostgreSQL\")")
		// The examples print what a server returns; without one they
		// cannot run (only compile).
		flag.Set("test.skip", "^Example")
	}
	os.Exit(m.Run())
}

// needServer skips t (silently: TestMain said why) without a server.
func needServer(t testing.TB) {
	t.Helper()
	if dsn == "" {
		t.SkipNow()
	}
}

// newSchema creates a fresh schema on the test server and drops it when t
// ends.
func newSchema(t testing.TB) string {
	t.Helper()
	needServer(t)
	return newSchemaOn(t, dsn)
}

// newSchemaOn creates a fresh schema on the server at dsn and drops it when
// t ends.
func newSchemaOn(t testing.TB, dsn string) string {
	t.Helper()
	var raw [6]byte
	rand.Read(raw[:])
	schema := "rapport_test_" + hex.EncodeToString(raw[:])
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatalf("connecting to the test server: %v", err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("CREATE SCHEMA: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			t.Errorf("cleanup: connecting: %v", err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("cleanup: DROP SCHEMA %s: %v", schema, err)
		}
	})
	return schema
}

// newTestBackend opens a migrated Backend over a fresh schema.
func newTestBackend(t testing.TB, opts *pgstore.Options) *pgstore.Backend {
	t.Helper()
	needServer(t)
	return newTestBackendOn(t, dsn, opts)
}

// newTestBackendOn opens a migrated Backend over a fresh schema on the
// server at dsn.
func newTestBackendOn(t testing.TB, dsn string, opts *pgstore.Options) *pgstore.Backend {
	t.Helper()
	b, _ := newTestBackendSchema(t, dsn, opts)
	return b
}

// newTestBackendSchema is newTestBackendOn, also returning the schema's
// name, for tests that look at the tables themselves (schemaPool).
func newTestBackendSchema(t testing.TB, dsn string, opts *pgstore.Options) (*pgstore.Backend, string) {
	t.Helper()
	schema := newSchemaOn(t, dsn)
	var o pgstore.Options
	if opts != nil {
		o = *opts
	}
	o.Schema = schema
	b, err := pgstore.Open(context.Background(), dsn, &o)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { b.Close() })
	if err := b.Migrate(context.Background()); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	return b, schema
}

// schemaPool opens a pool of its own on schema (outside any Backend).
func schemaPool(t testing.TB, schema string) *pgxpool.Pool {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	cfg.ConnConfig.RuntimeParams["search_path"] = schema
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}
