package sqlitestore

import (
	"testing"
)

// WriterPragmas reads the pragmas in force on the writer connection.
func WriterPragmas(t testing.TB, b *Backend) map[string]any {
	t.Helper()
	out := map[string]any{}
	for _, p := range []string{"synchronous", "busy_timeout", "journal_mode", "foreign_keys"} {
		var v any
		if err := b.writer.QueryRowContext(t.Context(), "PRAGMA "+p).Scan(&v); err != nil {
			t.Fatalf("PRAGMA %s: %v", p, err)
		}
		out[p] = v
	}
	return out
}

// ExecWriter runs q on the writer connection, bypassing the package.
func ExecWriter(t testing.TB, b *Backend, q string) error {
	_, err := b.writer.ExecContext(t.Context(), q)
	return err
}

// IntegrityCheck runs PRAGMA integrity_check on the writer.
func IntegrityCheck(t testing.TB, b *Backend) string {
	t.Helper()
	var s string
	if err := b.writer.QueryRowContext(t.Context(), "PRAGMA integrity_check").Scan(&s); err != nil {
		t.Fatalf("integrity_check: %v", err)
	}
	return s
}

// RowCounts counts the rows of every table.
func RowCounts(t testing.TB, b *Backend) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, table := range []string{"customers", "consent_events", "interactions", "changes"} {
		var n int64
		if err := b.writer.QueryRowContext(t.Context(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
			t.Fatalf("count %s: %v", table, err)
		}
		out[table] = n
	}
	return out
}
