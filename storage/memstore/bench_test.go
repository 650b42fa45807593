package memstore_test

import (
	"sync"
	"testing"
	"time"

	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
	"github.com/rapportcim/rapport/storage/memstore"
)

// benchInteraction returns the n-th interaction of a deterministic stream:
// sequential IDs, one a second, spread over 1000 customers.
func benchInteraction(n int) interaction.Interaction {
	i := sampleInteraction(tenantA, n+1, id[customer.ID](n%1000+1), base.Add(time.Duration(n)*time.Second))
	return i
}

// BenchmarkAppendInteraction measures one CreateInteraction per Update
// (lock, deep copy in, four index insertions, undo log, change record)
// against the floor: a copied struct put in a map under a mutex.
func BenchmarkAppendInteraction(b *testing.B) {
	b.Run("baseline", func(b *testing.B) {
		type key struct {
			t  dealer.Tenant
			id interaction.ID
		}
		var mu sync.Mutex
		m := make(map[key]*interaction.Interaction)
		b.ReportAllocs()
		for n := 0; b.Loop(); n++ {
			i := benchInteraction(n)
			mu.Lock()
			v := i
			m[key{v.Tenant, v.ID}] = &v
			mu.Unlock()
		}
	})
	b.Run("rapport", func(b *testing.B) {
		s := memstore.New(nil)
		defer s.Close()
		b.ReportAllocs()
		for n := 0; b.Loop(); n++ {
			i := benchInteraction(n)
			err := s.Update(ctx, func(tx storage.Tx) error { return tx.CreateInteraction(ctx, i) })
			if err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkTimelinePage reads a page of 50 from the timeline of one
// customer with 20,000 interactions: the first page, and the page after
// row 10,000. Keyset cursors make both a binary search plus the page.
func BenchmarkTimelinePage(b *testing.B) {
	const rows, depth, page = 20_000, 10_000, 50
	s := memstore.New(nil)
	defer s.Close()
	cust := id[customer.ID](1)
	is := make([]interaction.Interaction, rows)
	for n := range is {
		is[n] = sampleInteraction(tenantA, n+1, cust, base.Add(time.Duration(n)*time.Second))
	}
	if err := s.BulkCreateInteractions(ctx, is); err != nil {
		b.Fatal(err)
	}
	q := storage.InteractionQuery{Customers: []customer.ID{cust}}
	var deep storage.Cursor
	for range depth / 1000 {
		_, next, err := s.Interactions(ctx, tenantA, q, deep, 1000)
		if err != nil {
			b.Fatal(err)
		}
		deep = next
	}
	for _, bc := range []struct {
		name  string
		after storage.Cursor
	}{{"first", ""}, {"deep", deep}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				got, _, err := s.Interactions(ctx, tenantA, q, bc.after, page)
				if err != nil || len(got) != page {
					b.Fatal(len(got), err)
				}
			}
		})
	}
}
