package storagetest

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/storage"
)

func changeKey(c storage.Change) string {
	return fmt.Sprintf("%s %s %s rev %d", c.Entity, c.Op, c.ID, c.Revision)
}

// wantIncreasingSeq reports changes whose Seq does not increase.
func wantIncreasingSeq(t *testing.T, what string, cs []storage.Change) {
	t.Helper()
	for i := 1; i < len(cs); i++ {
		if cs[i].Seq <= cs[i-1].Seq {
			t.Errorf("%s: change %d (%s) has Seq %d after Seq %d: Seq must increase in commit order",
				what, i, changeKey(cs[i]), cs[i].Seq, cs[i-1].Seq)
		}
	}
}

func checkChangeFeed(t *testing.T, b storage.Backend) {
	g := new(ids)

	t.Run("EveryWrite", func(t *testing.T) {
		tenant := dealer.Tenant("tenant-feed")
		ctx := t.Context()
		w := newWorld(g, tenant, 90)
		var want []storage.Change

		// One transaction creating a record of every kind, and appending
		// consent.
		seed(t, b, w.records()...)
		for _, r := range w.records() {
			want = append(want, changeOf(r))
		}
		// One transaction per update.
		for _, r := range w.records() {
			a, ok := aggregateOf(r)
			if !ok {
				continue
			}
			mustUpdate(t, b, func(ctx context.Context, tx storage.Tx) error {
				_, err := a.update(ctx, tx, a.touch(a.withRev(r, 1), "feed update"))
				return err
			})
			want = append(want, storage.Change{Entity: a.entity, ID: a.id(r), Op: storage.OpUpdate, Revision: 2})
		}
		// An update and an append together.
		e2 := newEvent(tenant, g.event(), w.addr, w.cust.ID, at(5))
		mustUpdate(t, b, func(ctx context.Context, tx storage.Tx) error {
			c := w.cust
			c.Revision = 2
			c.Source = "third write"
			if _, err := tx.UpdateCustomer(ctx, c); err != nil {
				return err
			}
			return tx.AppendConsent(ctx, e2)
		})
		want = append(want,
			storage.Change{Entity: storage.EntityCustomer, ID: w.cust.ID.String(), Op: storage.OpUpdate, Revision: 3},
			changeOf(e2))
		// Transactions that write nothing, or fail.
		mustUpdate(t, b, func(ctx context.Context, tx storage.Tx) error {
			_, err := tx.GetCustomer(ctx, tenant, w.cust.ID)
			return err
		})
		_ = b.Update(ctx, func(tx storage.Tx) error {
			_ = tx.CreateCustomer(ctx, newCustomer(tenant, g.customer(), phone(91)))
			return errBoom
		})
		_ = b.Update(ctx, func(tx storage.Tx) error {
			c := w.cust
			c.Revision = 1
			_, err := tx.UpdateCustomer(ctx, c)
			return err
		})
		// A delete.
		mustUpdate(t, b, func(ctx context.Context, tx storage.Tx) error {
			return tx.DeleteCustomer(ctx, tenant, w.cust.ID, 3)
		})
		want = append(want, storage.Change{Entity: storage.EntityCustomer, ID: w.cust.ID.String(), Op: storage.OpDelete})

		got, cursor := changesAfter(t, b, tenant, "", 1000)
		wantIncreasingSeq(t, "Changes", got)
		if gotC := withoutSeq(t, tenant, got); !slices.Equal(gotC, want) {
			t.Errorf("Changes:%s\nwant (one per write, in commit order, writes of one transaction in write order):%s",
				showChanges(gotC), showChanges(want))
		}

		// Paging in small steps gives the same feed.
		for _, limit := range []int{1, 2, 5} {
			paged, _ := changesAfter(t, b, tenant, "", limit)
			if !slices.Equal(paged, got) {
				t.Errorf("Changes in pages of %d:%s\nwant the feed read at once:%s", limit, showChanges(paged), showChanges(got))
			}
		}

		// Polling at the end: nothing, and the same cursor.
		page, next, err := b.Changes(ctx, tenant, cursor, 10)
		if wantNoErr(t, "Changes at the end of the feed", err) {
			if len(page) != 0 {
				t.Errorf("Changes at the end of the feed returned%s", showChanges(page))
			}
			if next != cursor {
				t.Errorf("Changes with nothing new returned cursor %q, want the one it was given (%q)", next, cursor)
			}
		}
		// A new write appears exactly once to the poller.
		c := newCustomer(tenant, g.customer(), phone(92))
		seed(t, b, c)
		page, next, err = b.Changes(ctx, tenant, cursor, 10)
		if wantNoErr(t, "Changes after a new write", err) {
			if gotC := withoutSeq(t, tenant, page); !slices.Equal(gotC, []storage.Change{changeOf(c)}) {
				t.Errorf("polling after one new write returned%s\nwant%s", showChanges(gotC), showChanges([]storage.Change{changeOf(c)}))
			}
			if len(page) == 1 && len(got) > 0 && page[0].Seq <= got[len(got)-1].Seq {
				t.Errorf("the new change has Seq %d, not after the last one seen (%d)", page[0].Seq, got[len(got)-1].Seq)
			}
			page, _, err = b.Changes(ctx, tenant, next, 10)
			if wantNoErr(t, "Changes after reading the new write", err) && len(page) != 0 {
				t.Errorf("polling again returned%s, want nothing", showChanges(page))
			}
		}

		// Starting from the middle returns the rest.
		full := allChanges(t, b, tenant)
		if len(full) > 3 {
			_, mid, err := b.Changes(ctx, tenant, "", 3)
			if wantNoErr(t, "Changes(limit 3)", err) {
				rest, _ := changesAfter(t, b, tenant, mid, 1000)
				if !slices.Equal(rest, full[3:]) {
					t.Errorf("Changes after the first 3:%s\nwant%s", showChanges(rest), showChanges(full[3:]))
				}
			}
		}
	})

	t.Run("ConcurrentCommitters", func(t *testing.T) {
		tenant := dealer.Tenant("tenant-feed-concurrent")
		ctx := t.Context()
		const nWriters, perWriter = 4, 25
		// Precomputed records: writer w's i-th Update creates recs[w][i]
		// (a customer and an interaction).
		recs := make([][][2]any, nWriters)
		expected := make(map[string]bool)
		for w := range nWriters {
			for range perWriter {
				c := newCustomer(tenant, g.customer(), phone(93))
				i := newInteraction(tenant, g.interaction(), c.ID, at(w))
				recs[w] = append(recs[w], [2]any{c, i})
				expected[changeKey(changeOf(c))] = true
				expected[changeKey(changeOf(i))] = true
			}
		}

		var done atomic.Bool
		var writers sync.WaitGroup
		for w := range nWriters {
			writers.Go(func() {
				for _, pair := range recs[w] {
					err := b.Update(ctx, func(tx storage.Tx) error {
						if err := put(ctx, tx, pair[0]); err != nil {
							return err
						}
						return put(ctx, tx, pair[1])
					})
					if err != nil {
						t.Errorf("writer %d: %v", w, err)
						return
					}
				}
			})
		}
		followed := make(chan map[string]int)
		go func() {
			seen := make(map[string]int)
			defer func() { followed <- seen }()
			var cursor storage.Cursor
			lastSeq := int64(math.MinInt64)
			received := 0
			for {
				finished := done.Load()
				page, next, err := b.Changes(ctx, tenant, cursor, 7)
				if err != nil {
					t.Errorf("follower: Changes: %v", err)
					return
				}
				for _, c := range page {
					if c.Seq <= lastSeq {
						t.Errorf("follower: %s has Seq %d after Seq %d", changeKey(c), c.Seq, lastSeq)
					}
					lastSeq = c.Seq
					seen[changeKey(c)]++
				}
				received += len(page)
				if received > 10*len(expected) {
					t.Errorf("follower: received %d changes for %d writes; giving up", received, len(expected))
					return
				}
				cursor = next
				if len(page) == 0 {
					if finished {
						return
					}
					runtime.Gosched()
				}
			}
		}()
		writers.Wait()
		done.Store(true)
		seen := <-followed

		for k := range expected {
			if seen[k] != 1 {
				t.Errorf("the follower saw %q %d times, want once", k, seen[k])
			}
		}
		for k, n := range seen {
			if !expected[k] {
				t.Errorf("the follower saw %q (%d times), which no writer wrote", k, n)
			}
		}
	})
}
