package pgstore_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/rapportcim/rapport/storage/pgstore"
)

// untenanted lists, for the tables of the pool's current schema, every
// index, primary key, unique constraint and foreign key (both sides) whose
// first column is not tenant_id.
func untenanted(t *testing.T, pool *pgxpool.Pool) []string {
	t.Helper()
	const q = `
SELECT 'index ' || i.indexrelid::regclass::text
FROM pg_index i
JOIN pg_class c ON c.oid = i.indrelid
LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
WHERE c.relnamespace = current_schema()::regnamespace
  AND COALESCE(a.attname, '') <> 'tenant_id'
UNION ALL
SELECT 'constraint ' || con.conname || ' on ' || con.conrelid::regclass::text
FROM pg_constraint con
LEFT JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = con.conkey[1]
LEFT JOIN pg_attribute fa ON fa.attrelid = con.confrelid AND fa.attnum = con.confkey[1]
WHERE con.connamespace = current_schema()::regnamespace
  AND con.contype IN ('p', 'u', 'f', 'x')
  AND (COALESCE(a.attname, '') <> 'tenant_id' OR (con.contype = 'f' AND COALESCE(fa.attname, '') <> 'tenant_id'))
ORDER BY 1`
	rows, err := pool.Query(t.Context(), q)
	if err != nil {
		t.Fatalf("reading the catalog: %v", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// queryStrings runs q and returns its single text column.
func queryStrings(t *testing.T, pool *pgxpool.Pool, q string) []string {
	t.Helper()
	rows, err := pool.Query(t.Context(), q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCatalogLeadsWithTenant reads the catalog after Migrate: every key
// and index leads with tenant_id (so that the schema distributes by
// tenant), there is no sequence, and every time column is timestamptz.
func TestCatalogLeadsWithTenant(t *testing.T) {
	b := newTestBackend(t, nil)
	pool := b.Pool()

	indexes := queryStrings(t, pool, `SELECT indexrelid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
		WHERE c.relnamespace = current_schema()::regnamespace`)
	if len(indexes) < 20 {
		t.Fatalf("the schema has %d indexes, want the full schema (is the catalog query looking at the right schema?)", len(indexes))
	}
	if bad := untenanted(t, pool); len(bad) > 0 {
		t.Errorf("keys and indexes that do not lead with tenant_id:\n  %s", strings.Join(bad, "\n  "))
	}

	// Every table but the migrations ledger has a primary key.
	tables := queryStrings(t, pool, `SELECT c.relname::text FROM pg_class c WHERE c.relkind = 'r'
		AND c.relnamespace = current_schema()::regnamespace
		AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conrelid = c.oid AND con.contype = 'p') ORDER BY 1`)
	if !slices.Equal(tables, []string{"rapport_migrations"}) {
		t.Errorf("tables without a primary key: %v, want only the migrations ledger", tables)
	}
	if seqs := queryStrings(t, pool, `SELECT relname::text FROM pg_class WHERE relkind = 'S'
		AND relnamespace = current_schema()::regnamespace`); len(seqs) > 0 {
		t.Errorf("the schema has sequences %v; change numbers must come from per-tenant counters", seqs)
	}
	if cols := queryStrings(t, pool, `SELECT table_name || '.' || column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND data_type IN ('timestamp without time zone', 'time without time zone', 'json')
		ORDER BY 1`); len(cols) > 0 {
		t.Errorf("columns %v: times are timestamptz and documents jsonb", cols)
	}

	// The check itself fails on a key that does not lead with tenant_id.
	if _, err := pool.Exec(t.Context(), `CREATE INDEX bad_by_time ON interactions (occurred_at, tenant_id)`); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(t.Context(), `CREATE TABLE bad_table (id uuid PRIMARY KEY, tenant_id text)`); err != nil {
		t.Fatal(err)
	}
	bad := untenanted(t, pool)
	want := []string{"constraint bad_table_pkey on bad_table", "index bad_by_time", "index bad_table_pkey"}
	if !slices.Equal(bad, want) {
		t.Errorf("the catalog check found %v in a schema with a bad index and a bad table, want %v", bad, want)
	}
}

// TestAppendOnlyInDatabase: the server itself refuses to change or remove
// consent events and change records, whatever client connects.
func TestAppendOnlyInDatabase(t *testing.T) {
	b := newTestBackend(t, nil)
	ctx := t.Context()
	seedStory(t, b, "tenant-append-only", 1)
	for _, stmt := range []string{
		`UPDATE consent_events SET address_line = 'tel:+12125550199'`,
		// Moving an event to an erased key needs an erasure naming it.
		`UPDATE consent_events SET address_line = 'erased:hmac-sha256:00'`,
		`DELETE FROM consent_events`,
		`TRUNCATE consent_events`,
		`UPDATE changes SET op = 'delete'`,
		`DELETE FROM changes WHERE seq = 1`,
		`TRUNCATE changes`,
	} {
		_, err := b.Pool().Exec(ctx, stmt)
		if code := pgCode(err); code != "23001" {
			t.Errorf("%s: error %v (code %q), want the restrict_violation (23001) the append-only triggers raise", stmt, err, code)
		}
	}
	var n int
	if err := b.Pool().QueryRow(ctx, `SELECT (SELECT count(*) FROM consent_events) + (SELECT count(*) FROM changes)`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Error("the ledger and the feed are empty after the refused statements")
	}
}

// TestMigrateConcurrently: several processes (here, Backends with pools of
// their own) migrating one empty schema at once all succeed, and the
// schema is migrated once.
func TestMigrateConcurrently(t *testing.T) {
	schema := newSchema(t)
	ctx := t.Context()
	const n = 4
	errs := make(chan error, n)
	for range n {
		go func() {
			b, err := pgstore.Open(ctx, dsn, &pgstore.Options{Schema: schema, MaxConns: 2})
			if err != nil {
				errs <- err
				return
			}
			defer b.Close()
			errs <- b.Migrate(ctx)
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Errorf("concurrent Migrate: %v", err)
		}
	}
	pool := schemaPool(t, schema)
	versions := queryStrings(t, pool, `SELECT version::text FROM rapport_migrations ORDER BY version`)
	if len(versions) != pgstore.KnownVersion() {
		t.Errorf("rapport_migrations holds versions %v, want each of the %d migrations once", versions, pgstore.KnownVersion())
	}

	// Idempotent.
	b, err := pgstore.Open(ctx, dsn, &pgstore.Options{Schema: schema})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.Migrate(ctx); err != nil {
		t.Errorf("Migrate of a migrated schema: %v", err)
	}

	// A schema newer than this package is refused by Open and Migrate.
	if _, err := pool.Exec(ctx, `INSERT INTO rapport_migrations (version) VALUES (999)`); err != nil {
		t.Fatal(err)
	}
	if err := b.Migrate(ctx); err == nil {
		t.Error("Migrate of a schema at version 999 succeeded")
	}
	if b2, err := pgstore.Open(ctx, dsn, &pgstore.Options{Schema: schema}); err == nil {
		b2.Close()
		t.Error("Open of a schema at version 999 succeeded")
	}
}

// TestMigrateWaitsForLock: a Migrate waiting on the advisory lock gives up
// with its context, and releases nothing it did not take.
func TestMigrateWaitsForLock(t *testing.T) {
	schema := newSchema(t)
	pool := schemaPool(t, schema)
	conn, err := pool.Acquire(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	if _, err := conn.Exec(t.Context(), `SELECT pg_advisory_lock($1, hashtext(current_schema()))`, 0x72617070); err != nil {
		t.Fatal(err)
	}
	b, err := pgstore.Open(t.Context(), dsn, &pgstore.Options{Schema: schema})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 300e6)
	defer cancel()
	if err := b.Migrate(ctx); err != context.DeadlineExceeded {
		t.Errorf("Migrate while another session holds the lock: %v, want context.DeadlineExceeded", err)
	}
	if _, err := conn.Exec(t.Context(), `SELECT pg_advisory_unlock($1, hashtext(current_schema()))`, 0x72617070); err != nil {
		t.Fatal(err)
	}
	if err := b.Migrate(t.Context()); err != nil {
		t.Errorf("Migrate after the lock is released: %v", err)
	}
}
