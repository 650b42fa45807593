package pgstore_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
	"github.com/rapportcim/rapport/storage/pgstore"
)

// TestManyConnectionsOneTenant: 16 connections write one tenant at once
// (creates, and read-modify-write cycles on one customer retried on
// ErrConflict); nothing is lost, and the tenant's feed is numbered 1..n
// without a gap or a repeat.
func TestManyConnectionsOneTenant(t *testing.T) {
	b := newTestBackend(t, &pgstore.Options{MaxConns: 16})
	ctx := t.Context()
	const tenant dealer.Tenant = "tenant-many-connections"
	shared := seedStory(t, b, tenant, 1)[0]
	before := len(allChanges(t, b, tenant))

	const writers, rounds = 16, 10
	var wg sync.WaitGroup
	var conflicts sync.Map
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range rounds {
				// A create of its own.
				i := newInteraction(tenant, shared.ID, interaction.ConversationID{}, household.ID{}, t0.Add(time.Duration(w*rounds+r)*time.Second))
				if err := b.Update(ctx, func(tx storage.Tx) error { return tx.CreateInteraction(ctx, i) }); err != nil {
					t.Errorf("writer %d: CreateInteraction: %v", w, err)
					return
				}
				// A read-modify-write of the shared customer, read outside
				// the transaction (as a form a person edits), retried on
				// ErrConflict.
				for {
					c, err := b.GetCustomer(ctx, tenant, shared.ID)
					if err != nil {
						t.Errorf("writer %d: GetCustomer: %v", w, err)
						return
					}
					c.Tags = append(c.Tags, "edit")
					err = b.Update(ctx, func(tx storage.Tx) error {
						_, err := tx.UpdateCustomer(ctx, c)
						return err
					})
					if errors.Is(err, storage.ErrConflict) {
						conflicts.Store(w, true)
						continue
					}
					if err != nil {
						t.Errorf("writer %d: UpdateCustomer: %v", w, err)
						return
					}
					break
				}
			}
		}()
	}
	wg.Wait()
	got, err := b.GetCustomer(ctx, tenant, shared.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := int64(1 + writers*rounds); got.Revision != want || len(got.Tags) != writers*rounds {
		t.Errorf("after %d accepted updates: Revision %d with %d tags, want %d with %d", writers*rounds, got.Revision, len(got.Tags), want, writers*rounds)
	}
	changes := allChanges(t, b, tenant)
	if want := before + 2*writers*rounds; len(changes) != want {
		t.Errorf("the feed has %d changes, want %d", len(changes), want)
	}
	for k, c := range changes {
		if c.Seq != int64(k+1) {
			t.Fatalf("change %d has seq %d, want %d: the tenant's seqs are 1, 2, 3, … in commit order", k, c.Seq, k+1)
		}
	}
	n := 0
	conflicts.Range(func(any, any) bool { n++; return true })
	t.Logf("%d of %d writers met ErrConflict and retried", n, writers)
}

// TestConflictUnderRace: writers that read the same revision and write at
// once: exactly one wins, every other gets ErrConflict, and the stored
// record is the winner's.
func TestConflictUnderRace(t *testing.T) {
	b := newTestBackend(t, &pgstore.Options{MaxConns: 12})
	ctx := t.Context()
	const tenant dealer.Tenant = "tenant-race"
	c := seedStory(t, b, tenant, 1)[0]
	const writers = 12
	start := make(chan struct{})
	results := make(chan error, writers)
	for w := range writers {
		go func() {
			mine := c
			mine.Source = "writer " + string(rune('a'+w))
			<-start
			results <- b.Update(ctx, func(tx storage.Tx) error {
				_, err := tx.UpdateCustomer(ctx, mine)
				return err
			})
		}()
	}
	close(start)
	wins := 0
	for range writers {
		err := <-results
		switch {
		case err == nil:
			wins++
		case !errors.Is(err, storage.ErrConflict):
			t.Errorf("a losing writer got %v, want storage.ErrConflict", err)
		}
	}
	if wins != 1 {
		t.Errorf("%d writers won at revision 1, want exactly 1", wins)
	}
	got, err := b.GetCustomer(ctx, tenant, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Revision != 2 || got.Source == c.Source {
		t.Errorf("stored Revision %d Source %q, want revision 2 written by the winner", got.Revision, got.Source)
	}
}

// TestCancelRollsBackAndReleases: an Update whose context is cancelled
// while the server makes it wait (for the tenant's lock, held by another
// transaction) returns the context's error, writes nothing, and gives its
// connection back; the other transaction and later ones go on.
func TestCancelRollsBackAndReleases(t *testing.T) {
	b := newTestBackend(t, &pgstore.Options{MaxConns: 4})
	ctx := t.Context()
	const tenant dealer.Tenant = "tenant-cancel"
	seedStory(t, b, tenant, 1)

	holding, release := make(chan struct{}), make(chan struct{})
	held := make(chan error, 1)
	go func() {
		held <- b.Update(ctx, func(tx storage.Tx) error {
			if err := tx.CreateCustomer(ctx, newCustomer(tenant, 50)); err != nil {
				return err
			}
			close(holding)
			<-release
			return nil
		})
	}()
	<-holding

	cctx, cancel := context.WithCancel(ctx)
	victim := newCustomer(tenant, 51)
	done := make(chan error, 1)
	go func() {
		done <- b.Update(cctx, func(tx storage.Tx) error { return tx.CreateCustomer(cctx, victim) })
	}()
	time.Sleep(200 * time.Millisecond) // let it reach the server and wait there
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled Update returned %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a cancelled Update still waits after 10s")
	}
	close(release)
	if err := <-held; err != nil {
		t.Fatalf("the transaction holding the lock: %v", err)
	}
	if _, err := b.GetCustomer(ctx, tenant, victim.ID); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("GetCustomer of the cancelled Update's customer: %v, want ErrNotFound", err)
	}
	// The connection is back (or closed and replaced): none is in use.
	deadline := time.Now().Add(5 * time.Second)
	for b.Pool().Stat().AcquiredConns() != 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := b.Pool().Stat().AcquiredConns(); n != 0 {
		t.Errorf("%d connections still acquired after the cancelled Update returned", n)
	}
	// The tenant is not locked: a new write goes through at once.
	wctx, wcancel := context.WithTimeout(ctx, 5*time.Second)
	defer wcancel()
	if err := b.Update(wctx, func(tx storage.Tx) error { return tx.CreateCustomer(wctx, newCustomer(tenant, 52)) }); err != nil {
		t.Errorf("a write after the cancellation: %v", err)
	}

	// Cancelled between statements: the next call returns ctx's error and
	// the transaction rolls back.
	cctx2, cancel2 := context.WithCancel(ctx)
	lost := newCustomer(tenant, 53)
	err := b.Update(cctx2, func(tx storage.Tx) error {
		if err := tx.CreateCustomer(cctx2, lost); err != nil {
			return err
		}
		cancel2()
		return tx.CreateCustomer(cctx2, newCustomer(tenant, 54))
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Update cancelled part-way returned %v, want context.Canceled", err)
	}
	if _, err := b.GetCustomer(ctx, tenant, lost.ID); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("a write before the cancellation is visible: %v", err)
	}
}

// TestServerRestart stops a server abruptly in the middle of a run and
// starts it again: every write acknowledged before is there, and the same
// Backend (its pool) serves reads and writes again without being reopened.
// The server is one of its own (RAPPORT_PG_RESTART_DSN, restarted by the
// shell command RAPPORT_PG_RESTART; .ci/postgres.sh starts it and sets
// both), never the one RAPPORT_PG_DSN names: other packages' tests use that
// one at the same time, and a restart under them would fail them.
func TestServerRestart(t *testing.T) {
	restartDSN, restart := os.Getenv("RAPPORT_PG_RESTART_DSN"), os.Getenv("RAPPORT_PG_RESTART")
	if restartDSN == "" || restart == "" {
		t.Skip("RAPPORT_PG_RESTART_DSN and RAPPORT_PG_RESTART (a server of its own, and the shell command that restarts it) are not set; .ci/postgres.sh sets them")
	}
	b := newTestBackendOn(t, restartDSN, &pgstore.Options{MaxConns: 4})
	ctx := t.Context()
	const tenant dealer.Tenant = "tenant-restart"
	var acked []customer.Customer
	for k := range 20 {
		c := newCustomer(tenant, k)
		if err := b.Update(ctx, func(tx storage.Tx) error { return tx.CreateCustomer(ctx, c) }); err != nil {
			t.Fatal(err)
		}
		acked = append(acked, c)
	}
	// Writers keep going while the server goes down; their errors are
	// expected, their successes must survive.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	for w := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 0; ; k++ {
				select {
				case <-stop:
					return
				default:
				}
				c := newCustomer(tenant, 100+w*1000+k)
				if err := b.Update(ctx, func(tx storage.Tx) error { return tx.CreateCustomer(ctx, c) }); err == nil {
					mu.Lock()
					acked = append(acked, c)
					mu.Unlock()
				}
				time.Sleep(5 * time.Millisecond)
			}
		}()
	}
	time.Sleep(100 * time.Millisecond)
	out, err := exec.CommandContext(ctx, "sh", "-c", restart).CombinedOutput()
	if err != nil {
		close(stop)
		wg.Wait()
		t.Fatalf("restarting the server: %v\n%s", err, out)
	}
	time.Sleep(100 * time.Millisecond)
	close(stop)
	wg.Wait()

	// The pool recovers: within a few attempts a read succeeds.
	deadline := time.Now().Add(30 * time.Second)
	for {
		_, err := b.GetCustomer(ctx, tenant, acked[0].ID)
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no successful read 30s after the restart: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	for _, c := range acked {
		if _, err := b.GetCustomer(ctx, tenant, c.ID); err != nil {
			t.Errorf("acknowledged customer %s after the restart: %v", c.ID, err)
		}
	}
	after := newCustomer(tenant, 99)
	if err := b.Update(ctx, func(tx storage.Tx) error { return tx.CreateCustomer(ctx, after) }); err != nil {
		t.Errorf("a write after the restart: %v", err)
	}
	// A write whose COMMIT was under way when the server went down may
	// have committed without being acknowledged: the feed may hold more,
	// never less, and exactly one create per acknowledged customer.
	creates := map[string]int{}
	for _, c := range allChanges(t, b, tenant) {
		creates[c.ID]++
	}
	for _, c := range append(acked, after) {
		if n := creates[c.ID.String()]; n != 1 {
			t.Errorf("the feed has %d creates of acknowledged customer %s, want 1", n, c.ID)
		}
	}
	t.Logf("%d writes acknowledged around the restart", len(acked))
}
