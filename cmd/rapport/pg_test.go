package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// TestPostgres runs the command on a PostgreSQL book: -db given a
// postgres:// DSN (RAPPORT_PG_DSN, which .ci/run provides; the test skips
// without it), in a schema of its own named by the DSN's search_path.
func TestPostgres(t *testing.T) {
	dsn := os.Getenv("RAPPORT_PG_DSN")
	if dsn == "" {
		t.Skip("RAPPORT_PG_DSN is not set")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var raw [6]byte
	rand.Read(raw[:])
	schema := "rapport_cli_" + hex.EncodeToString(raw[:])
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { // runs before the Close above
		if _, err := conn.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("DROP SCHEMA: %v", err)
		}
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	db := u.String()

	dir := t.TempDir()
	write(t, filepath.Join(dir, "customers.jsonl"), `{"name":{"given":"Jane","family":"Doe"},"contact_points":[{"address":"tel:+12125550123"}]}
{"name":{"given":"Sam","family":"Roe"},"contact_points":[{"address":"mailto:sam@example.com"}]}
`)
	if out, errOut, code := runCLI(t, dir, "import", "-db", db, "customers.jsonl"); code != 0 || !strings.Contains(out, "2 rows: 2 written") {
		t.Fatalf("import: exit %d: %s%s", code, out, errOut)
	}
	if out, _, code := runCLI(t, dir, "import", "-db", db, "customers.jsonl"); code != 0 || !strings.Contains(out, "0 written, 2 matched") {
		t.Errorf("re-import: exit %d: %s", code, out)
	}
	out, errOut, code := runCLI(t, dir, "stats", "-db", db, "-json")
	var st struct{ Records map[string]int }
	if err := json.Unmarshal([]byte(out), &st); code != 0 || err != nil || st.Records["customer"] != 2 {
		t.Errorf("stats: exit %d, %v: %s%s", code, err, out, errOut)
	}
	var n int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM "+schema+".customers").Scan(&n); err != nil || n != 2 {
		t.Errorf("customers in the schema: %d, %v", n, err)
	}
}
