package sqlitestore_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
	"github.com/rapportcim/rapport/storage/sqlitestore"
)

func TestMigrateIsIdempotentAndExplicit(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "r.db")
	b, err := sqlitestore.Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Open does not migrate: the tables are not there yet.
	if _, err := b.GetCustomer(ctx, tenant, customer.ID(seqID(1, 1))); err == nil || errors.Is(err, storage.ErrNotFound) {
		t.Errorf("GetCustomer before Migrate: %v, want a failure (no schema)", err)
	}
	for range 3 {
		if err := b.Migrate(ctx); err != nil {
			t.Fatalf("Migrate: %v", err)
		}
	}
	if _, err := b.GetCustomer(ctx, tenant, customer.ID(seqID(1, 1))); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("GetCustomer after Migrate: %v, want ErrNotFound", err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}

	// A file from a newer version is refused.
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if b, err := sqlitestore.Open(ctx, path, nil); err == nil {
		b.Close()
		t.Error("Open of a file with schema version 99 succeeded, want an error")
	}
}

func TestOpenOptions(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	for _, o := range []sqlitestore.Options{
		{Synchronous: "OFF"},
		{ReadConns: -1},
		{BusyTimeout: -time.Second},
	} {
		if b, err := sqlitestore.Open(ctx, filepath.Join(dir, "x.db"), &o); !errors.Is(err, storage.ErrInvalidArgument) {
			if b != nil {
				b.Close()
			}
			t.Errorf("Open(%+v): %v, want ErrInvalidArgument", o, err)
		}
	}
	// The pragmas in force on the writer.
	for _, tc := range []struct {
		sync sqlitestore.Synchronous
		want int // PRAGMA synchronous: 1 NORMAL, 2 FULL
	}{{"", 2}, {sqlitestore.SynchronousFull, 2}, {sqlitestore.SynchronousNormal, 1}} {
		path := filepath.Join(t.TempDir(), "p.db")
		b, err := sqlitestore.Open(ctx, path, &sqlitestore.Options{Synchronous: tc.sync})
		if err != nil {
			t.Fatal(err)
		}
		got := sqlitestore.WriterPragmas(t, b)
		if got["synchronous"] != int64(tc.want) || got["busy_timeout"] != int64(5000) {
			t.Errorf("Synchronous %q: pragmas %v, want synchronous=%d busy_timeout=5000", tc.sync, got, tc.want)
		}
		if got["journal_mode"] != "wal" {
			t.Errorf("journal_mode = %v, want wal", got["journal_mode"])
		}
		b.Close()
	}
}

func TestConsentLedgerIsAppendOnlyInTheEngine(t *testing.T) {
	b := newTestBackend(t, nil)
	ctx := t.Context()
	addr := testPhone(1)
	e := testOptOut(1, addr, customer.ID{}, t0)
	if err := b.Update(ctx, func(tx storage.Tx) error { return tx.AppendConsent(ctx, e) }); err != nil {
		t.Fatal(err)
	}
	// Even SQL that bypasses the package cannot rewrite the ledger.
	for _, q := range []string{
		`UPDATE consent_events SET doc = x'00'`,
		`DELETE FROM consent_events`,
	} {
		if err := sqlitestore.ExecWriter(t, b, q); err == nil {
			t.Errorf("%s: succeeded, want the trigger's error", q)
		}
	}
	got, err := b.ConsentByAddress(ctx, tenant, addr)
	if err != nil || len(got) != 1 || !reflect.DeepEqual(got[0], e) {
		t.Errorf("ConsentByAddress = %v, %v; want the one event", got, err)
	}
}

func TestTimesComeBackUTC(t *testing.T) {
	b := newTestBackend(t, nil)
	ctx := t.Context()
	zone := time.FixedZone("EST", -5*3600)
	c := testCustomer(1, testPhone(1))
	c.CreatedAt = t0.In(zone)
	c.ContactPoints[0].VerifiedAt = t0.In(zone)
	c.ContactPoints[0].Verified = true
	c.Referrals = []customer.Referral{{Customer: customer.ID(seqID(1, 2)), Role: customer.ReferralRole("teleport"), At: t0.In(zone)}}
	c.Attributes = map[string]string{"dms": "42"}
	if err := b.Update(ctx, func(tx storage.Tx) error { return tx.CreateCustomer(ctx, c) }); err != nil {
		t.Fatal(err)
	}
	got, err := b.GetCustomer(ctx, tenant, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	for name, tm := range map[string]time.Time{
		"created_at":                  got.CreatedAt,
		"contact_points[0].verified":  got.ContactPoints[0].VerifiedAt,
		"referrals[0].at":             got.Referrals[0].At,
		"updated_at (written in UTC)": got.UpdatedAt,
	} {
		if tm.Location() != time.UTC || !tm.Equal(t0) {
			t.Errorf("%s = %v (%v), want %v in UTC", name, tm, tm.Location(), t0)
		}
	}
	if got.Referrals[0].Role != "teleport" {
		t.Errorf("unknown enum value: %q, want kept", got.Referrals[0].Role)
	}
}

func TestUpdateRollsBackOnErrorAndPanic(t *testing.T) {
	b := newTestBackend(t, nil)
	ctx := t.Context()
	boom := errors.New("boom")
	c := testCustomer(1, testPhone(1))
	err := b.Update(ctx, func(tx storage.Tx) error {
		if err := tx.CreateCustomer(ctx, c); err != nil {
			return err
		}
		return boom
	})
	if err != boom {
		t.Errorf("Update = %v, want fn's error unchanged", err)
	}
	func() {
		defer func() {
			if r := recover(); r != "panic in fn" {
				t.Errorf("recovered %v, want fn's panic re-raised", r)
			}
		}()
		b.Update(ctx, func(tx storage.Tx) error {
			tx.CreateCustomer(ctx, c)
			panic("panic in fn")
		})
	}()
	if _, err := b.GetCustomer(ctx, tenant, c.ID); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("GetCustomer after rolled back creates: %v, want ErrNotFound", err)
	}
	if ids, err := b.CustomersByAddress(ctx, tenant, testPhone(1)); err != nil || len(ids) != 0 {
		t.Errorf("CustomersByAddress after rollback: %v, %v", ids, err)
	}
	chs, _, err := b.Changes(ctx, tenant, "", 0)
	if err != nil || len(chs) != 0 {
		t.Errorf("Changes after rollback: %v, %v", chs, err)
	}
	// The writer is usable again.
	if err := b.Update(ctx, func(tx storage.Tx) error { return tx.CreateCustomer(ctx, c) }); err != nil {
		t.Errorf("Update after rollbacks: %v", err)
	}
}

func TestTxUsedAfterUpdateFails(t *testing.T) {
	b := newTestBackend(t, nil)
	ctx := t.Context()
	var kept storage.Tx
	if err := b.Update(ctx, func(tx storage.Tx) error { kept = tx; return nil }); err != nil {
		t.Fatal(err)
	}
	if err := kept.CreateCustomer(ctx, testCustomer(1)); !errors.Is(err, storage.ErrClosed) {
		t.Errorf("CreateCustomer on a finished Tx: %v, want ErrClosed", err)
	}
}

func TestBulkCreate(t *testing.T) {
	b := newTestBackend(t, nil)
	ctx := t.Context()
	var cs []customer.Customer
	for n := range 600 {
		c := testCustomer(uint64(n+1), testPhone(n))
		c.ExternalIDs = []customer.ExternalID{{System: "cdk", Value: "D" + string(rune('a'+n%26))}}
		cs = append(cs, c)
	}
	if err := b.BulkCreateCustomers(ctx, cs); err != nil {
		t.Fatal(err)
	}
	ids, err := b.CustomersByAddress(ctx, tenant, testPhone(599))
	if err != nil || len(ids) != 1 || ids[0] != cs[599].ID {
		t.Errorf("CustomersByAddress after bulk = %v, %v", ids, err)
	}
	is := make([]interaction.Interaction, 0, 700)
	for n := range 700 {
		is = append(is, testInteraction(uint64(n+1), cs[n%3].ID, t0.Add(time.Duration(n)*time.Minute)))
	}
	if err := b.BulkCreateInteractions(ctx, is); err != nil {
		t.Fatal(err)
	}
	// A batch with one taken ID stores nothing.
	dup := []interaction.Interaction{testInteraction(10_000, cs[0].ID, t0), is[5]}
	if err := b.BulkCreateInteractions(ctx, dup); !errors.Is(err, storage.ErrAlreadyExists) {
		t.Errorf("bulk with a taken ID: %v, want ErrAlreadyExists", err)
	}
	if _, err := b.GetInteraction(ctx, tenant, dup[0].ID); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("bulk with a taken ID left %v behind (err %v)", dup[0].ID, err)
	}
	// Seqs count the tenant's changes: 1..1300, in commit order.
	var n int64
	for cur := storage.Cursor(""); ; {
		chs, next, err := b.Changes(ctx, tenant, cur, 1000)
		if err != nil {
			t.Fatal(err)
		}
		for _, ch := range chs {
			n++
			if ch.Seq != n {
				t.Fatalf("change %d has seq %d", n, ch.Seq)
			}
		}
		if len(chs) == 0 {
			break
		}
		cur = next
	}
	if n != 1300 {
		t.Errorf("%d changes, want 1300", n)
	}
	page, _, err := b.Interactions(ctx, tenant, storage.InteractionQuery{Customers: []customer.ID{cs[1].ID}}, "", 1)
	if err != nil || len(page) != 1 || page[0].ID != is[697].ID || page[0].Revision != 1 {
		t.Errorf("newest interaction of customer 2 = %+v, %v; want %v at revision 1", page, err, is[697].ID)
	}
}

func TestContextCanceledIsReturnedAsIs(t *testing.T) {
	b := newTestBackend(t, nil)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := b.GetCustomer(ctx, tenant, customer.ID(seqID(1, 1))); err != context.Canceled {
		t.Errorf("GetCustomer: %v, want context.Canceled itself", err)
	}
	if err := b.Update(ctx, func(storage.Tx) error { return nil }); err != context.Canceled {
		t.Errorf("Update: %v, want context.Canceled itself", err)
	}
}
