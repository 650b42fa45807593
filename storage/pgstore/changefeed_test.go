package pgstore_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/storage"
	"github.com/rapportcim/rapport/storage/pgstore"
)

// TestChangeFeedHeldTransaction holds a writing transaction open while
// later ones try to commit and a follower polls. With numbers handed out
// at write time and no lock, the later transactions would commit higher
// seqs first, the follower would move its cursor past the held
// transaction's lower seqs, and never see them. Here the later writes of
// the tenant wait for the held one; the follower sees nothing of them
// until it commits, then everything, each change once, in seq order, with
// no gap. Another tenant's writes do not wait.
func TestChangeFeedHeldTransaction(t *testing.T) {
	b := newTestBackend(t, &pgstore.Options{MaxConns: 12})
	ctx := t.Context()
	const tenant, other dealer.Tenant = "tenant-feed", "tenant-feed-other"
	seedStory(t, b, tenant, 1)
	var cursor storage.Cursor
	seen := map[int64]storage.Change{}
	var order []int64
	poll := func() int {
		t.Helper()
		n := 0
		for {
			page, next, err := b.Changes(ctx, tenant, cursor, 7)
			if err != nil {
				t.Fatalf("Changes: %v", err)
			}
			for _, c := range page {
				if _, dup := seen[c.Seq]; dup {
					t.Errorf("change %d seen twice", c.Seq)
				}
				seen[c.Seq] = c
				order = append(order, c.Seq)
				n++
			}
			cursor = next
			if len(page) == 0 {
				return n
			}
		}
	}
	poll()

	// The held transaction writes first (taking the tenant's next seqs)
	// and stays open.
	holding, release := make(chan struct{}), make(chan struct{})
	heldIDs := make([]string, 3)
	held := make(chan error, 1)
	go func() {
		held <- b.Update(ctx, func(tx storage.Tx) error {
			for k := range heldIDs {
				c := newCustomer(tenant, 10+k)
				heldIDs[k] = c.ID.String()
				if err := tx.CreateCustomer(ctx, c); err != nil {
					return err
				}
			}
			close(holding)
			<-release
			return nil
		})
	}()
	<-holding

	// Later transactions of the tenant start; they must not commit first.
	const later = 8
	laterIDs := make([][2]string, later)
	var wg sync.WaitGroup
	laterErrs := make(chan error, later)
	for k := range later {
		wg.Add(1)
		go func() {
			defer wg.Done()
			laterErrs <- b.Update(ctx, func(tx storage.Tx) error {
				for m := range 2 {
					c := newCustomer(tenant, 20+2*k+m)
					laterIDs[k][m] = c.ID.String()
					if err := tx.CreateCustomer(ctx, c); err != nil {
						return err
					}
				}
				return nil
			})
		}()
	}
	// Another tenant commits meanwhile.
	octx, ocancel := context.WithTimeout(ctx, 5*time.Second)
	defer ocancel()
	if err := b.Update(octx, func(tx storage.Tx) error { return tx.CreateCustomer(octx, newCustomer(other, 1)) }); err != nil {
		t.Fatalf("another tenant's write while the held transaction is open: %v", err)
	}
	for range 10 {
		if n := poll(); n != 0 {
			t.Fatalf("the follower saw %d changes while the first writer's transaction was open", n)
		}
		time.Sleep(20 * time.Millisecond)
	}
	close(release)
	if err := <-held; err != nil {
		t.Fatalf("held transaction: %v", err)
	}
	// Poll while the later ones commit, then to the end.
	for range 5 {
		poll()
		time.Sleep(5 * time.Millisecond)
	}
	wg.Wait()
	close(laterErrs)
	for err := range laterErrs {
		if err != nil {
			t.Errorf("later transaction: %v", err)
		}
	}
	poll()

	want := len(heldIDs) + 2*later
	all := allChanges(t, b, tenant)
	if len(seen) != len(all) {
		t.Errorf("the follower saw %d changes, the feed holds %d", len(seen), len(all))
	}
	for k, seq := range order {
		if seq != int64(k+1) {
			t.Fatalf("the follower's %dth change has seq %d, want %d (seqs in order, no gap)", k+1, seq, k+1)
		}
	}
	// The held transaction's changes come right after the seed, before
	// every later one.
	first := len(all) - want
	for k, id := range heldIDs {
		if got := all[first+k].ID; got != id {
			t.Errorf("change %d is %s, want the held transaction's %s", first+k+1, got, id)
		}
	}
	// Each later transaction's two changes are consecutive.
	pairs := map[[2]string]bool{}
	for _, p := range laterIDs {
		pairs[p] = true
	}
	for k := first + len(heldIDs); k+1 < len(all); k += 2 {
		if p := [2]string{all[k].ID, all[k+1].ID}; !pairs[p] {
			t.Errorf("changes %d and %d are not the two writes of one later transaction", all[k].Seq, all[k+1].Seq)
		}
	}
}
