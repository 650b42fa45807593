package pgstore_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/storage"
)

// TestUpdateStatistics: after a bulk load the planner's statistics do not
// count the new rows; UpdateStatistics brings them up to date, and
// analyzes every table of the schema (a table added by a later migration
// and left out of the list fails here). A closed backend refuses it.
func TestUpdateStatistics(t *testing.T) {
	ctx := t.Context()
	needServer(t)
	b, schema := newTestBackendSchema(t, dsn, nil)
	const tn, n = "stats-tenant", 300
	var cs []customer.Customer
	for k := range n {
		cs = append(cs, newCustomer(tn, k))
	}
	if err := b.BulkCreateCustomers(ctx, cs); err != nil {
		t.Fatal(err)
	}
	pool := schemaPool(t, schema)
	reltuples := func() float64 {
		var v float64
		if err := pool.QueryRow(ctx, `SELECT reltuples FROM pg_class WHERE oid = 'customers'::regclass`).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	if got := reltuples(); got == n {
		t.Fatalf("the planner counts %v customers before any ANALYZE: the test cannot tell", got)
	}
	if err := b.UpdateStatistics(ctx); err != nil {
		t.Fatal(err)
	}
	if got := reltuples(); got != n {
		t.Errorf("after UpdateStatistics the planner counts %v customers, want %d", got, n)
	}
	// Every table of the schema but the migrations ledger was analyzed
	// (the statistics views are updated shortly after the ANALYZE).
	var missing []string
	for deadline := time.Now().Add(10 * time.Second); ; {
		rows, err := pool.Query(ctx, `SELECT relname FROM pg_stat_user_tables WHERE schemaname = $1 AND last_analyze IS NULL AND relname <> 'rapport_migrations' ORDER BY relname`, schema)
		if err != nil {
			t.Fatal(err)
		}
		missing = missing[:0]
		for rows.Next() {
			var name string
			if err := rows.Scan(&name); err != nil {
				t.Fatal(err)
			}
			missing = append(missing, name)
		}
		rows.Close()
		if len(missing) == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if len(missing) > 0 {
		t.Errorf("tables not analyzed by UpdateStatistics: %v", slices.Clip(missing))
	}
	b.Close()
	if err := b.UpdateStatistics(context.Background()); !errors.Is(err, storage.ErrClosed) {
		t.Errorf("UpdateStatistics on a closed backend: %v, want ErrClosed", err)
	}
}
