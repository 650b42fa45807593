package storagetest

import (
	"errors"
	"fmt"
	"maps"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/storage"
)

const (
	writers          = 8
	updatesPerWriter = 20
	maxAttempts      = 10000
)

func checkConcurrentWriters(t *testing.T, b storage.Backend) {
	g := new(ids)
	c := newCustomer(tenantA, g.customer(), phone(60))
	seed(t, b, c)
	ctx := t.Context()

	// withTag returns c with one more attribute, leaving c's map alone.
	withTag := func(c customer.Customer, tag string) customer.Customer {
		m := maps.Clone(c.Attributes)
		if m == nil {
			m = make(map[string]string)
		}
		m[tag] = "set"
		c.Attributes = m
		return c
	}

	var successes atomic.Int64
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for u := range updatesPerWriter {
				tag := fmt.Sprintf("w%d-u%02d", w, u)
				for attempt := 0; ; attempt++ {
					if attempt == maxAttempts {
						t.Errorf("writer %d: update %d still conflicting after %d attempts", w, u, maxAttempts)
						return
					}
					var err error
					if w%2 == 0 {
						// Read and write in one transaction.
						err = b.Update(ctx, func(tx storage.Tx) error {
							cur, err := tx.GetCustomer(ctx, tenantA, c.ID)
							if err != nil {
								return err
							}
							_, err = tx.UpdateCustomer(ctx, withTag(cur, tag))
							return err
						})
					} else {
						// Read outside, write inside: the classic optimistic
						// cycle, which conflicts whenever another writer got in
						// between.
						cur, rerr := b.GetCustomer(ctx, tenantA, c.ID)
						if rerr != nil {
							t.Errorf("writer %d: GetCustomer: %v", w, rerr)
							return
						}
						next := withTag(cur, tag)
						err = b.Update(ctx, func(tx storage.Tx) error {
							_, err := tx.UpdateCustomer(ctx, next)
							return err
						})
					}
					if err == nil {
						successes.Add(1)
						break
					}
					if !errors.Is(err, storage.ErrConflict) {
						t.Errorf("writer %d: update %d: %v (only ErrConflict may be retried)", w, u, err)
						return
					}
				}
			}
		})
	}
	wg.Wait()

	got, err := b.GetCustomer(ctx, tenantA, c.ID)
	if !wantNoErr(t, "GetCustomer after the writers", err) {
		return
	}
	if want := 1 + successes.Load(); got.Revision != want {
		t.Errorf("after %d successful updates, Revision = %d, want %d", successes.Load(), got.Revision, want)
	}
	if successes.Load() != writers*updatesPerWriter {
		t.Errorf("%d updates succeeded, want %d", successes.Load(), writers*updatesPerWriter)
	}
	for w := range writers {
		for u := range updatesPerWriter {
			if tag := fmt.Sprintf("w%d-u%02d", w, u); got.Attributes[tag] != "set" {
				t.Errorf("update %s was lost: a later write overwrote it without a conflict", tag)
			}
		}
	}
	if n := len(got.Attributes); n != writers*updatesPerWriter {
		t.Errorf("the customer has %d attributes, want %d", n, writers*updatesPerWriter)
	}
	var updates int
	for _, ch := range allChanges(t, b, tenantA) {
		if ch.Entity == storage.EntityCustomer && ch.Op == storage.OpUpdate && ch.ID == c.ID.String() {
			updates++
		}
	}
	if updates != writers*updatesPerWriter {
		t.Errorf("the change feed holds %d updates of the customer, want %d", updates, writers*updatesPerWriter)
	}
}
