package customer

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestByBlockCopiesEveryPairedProfile checks the copy Candidates scores
// from: every pair, renumbered, names the same two customers as before,
// and every profile reads back from the copy as it reads from the
// finder's own store, across many parts of the copy and a record longer
// than a part.
func TestByBlockCopiesEveryPairedProfile(t *testing.T) {
	f := NewDuplicateFinder(nil)
	rng := rand.New(rand.NewPCG(7, 11))
	givens := []string{"Ana", "Bob", "Robert", "Carla", "Dmitri", "Eve", "Farah", "Gus"}
	long := strings.Repeat("Longname", 40_000) // a record of more than 1<<recordBits bytes
	const n = 20_000
	for i := range n {
		c := Customer{
			ID:              ID{byte(i >> 16), byte(i >> 8), byte(i), 0x70},
			Name:            Name{Given: givens[rng.IntN(len(givens))], Family: fmt.Sprintf("Family%d", rng.IntN(60))},
			PostalAddresses: []PostalAddress{{PostalCode: fmt.Sprintf("%05d", 10000+rng.IntN(200))}},
		}
		if i%5 == 0 {
			c.ContactPoints = []ContactPoint{{Address: mustAddr(t, fmt.Sprintf("tel:+1202555%04d", rng.IntN(100))), Usage: UsageMobile}}
		}
		if i == 100 || i == n-100 {
			c.Name.Family, c.PostalAddresses[0].PostalCode = long, "99999"
		}
		if err := f.Add(&c); err != nil {
			t.Fatal(err)
		}
	}
	entries := sortEntries(&f.entries)
	// Pair each entry with the next one of its block.
	var pairs []uint64
	for k := 1; k < len(entries); k++ {
		a, b := entries[k-1], entries[k]
		if a.kind == b.kind && a.hash == b.hash && a.idx != b.idx {
			pairs = append(pairs, uint64(min(a.idx, b.idx))<<32|uint64(max(a.idx, b.idx)))
		}
	}
	pairs = sortPairs(pairs, f.profiles.n)
	profiles := map[ID]profile{}
	want := map[[2]ID]bool{}
	for _, p := range pairs {
		var a, b profile
		f.pools.load(f.profiles.at(uint32(p>>32)), &a)
		f.pools.load(f.profiles.at(uint32(p)), &b)
		profiles[a.id], profiles[b.id] = a, b
		want[[2]ID{a.id, b.id}] = true
	}
	if len(pairs) < n/2 {
		t.Fatalf("%d pairs among %d customers: the test book is not the one the test expects", len(pairs), n)
	}

	c, ok := f.byBlock(entries, pairs)
	if !ok {
		t.Fatal("byBlock refused a copy well within its bounds")
	}
	if len(c.recs.parts) < 4 {
		t.Fatalf("the copy has %d parts; the test needs several", len(c.recs.parts))
	}
	if len(c.index) != len(profiles) {
		t.Errorf("the copy holds %d profiles, want the %d paired ones", len(c.index), len(profiles))
	}
	if !slices.IsSorted(pairs) {
		t.Error("renumbered pairs are not sorted")
	}
	got := map[[2]ID]bool{}
	for k, p := range pairs {
		i, j := uint32(p>>32), uint32(p)
		if i >= j || int(j) >= len(c.index) || k > 0 && p == pairs[k-1] {
			t.Fatalf("pair %d = (%d, %d): not i < j < %d, or repeated", k, i, j, len(c.index))
		}
		var a, b profile
		c.load(i, &a)
		c.load(j, &b)
		for _, x := range []*profile{&a, &b} {
			if !reflect.DeepEqual(*x, profiles[x.id]) {
				t.Fatalf("profile %x from the copy = %+v, want %+v", x.id, *x, profiles[x.id])
			}
		}
		key := [2]ID{a.id, b.id}
		if cmpID(a.id, b.id) > 0 {
			key = [2]ID{b.id, a.id}
		}
		// The finder's profiles were added in ID order, so its pairs
		// name the lower ID first.
		got[key] = true
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("the renumbered pairs name %d pairs of customers, want the same %d as before", len(got), len(want))
	}
	var sawLong bool
	for k := range c.index {
		var p profile
		c.load(uint32(k), &p)
		sawLong = sawLong || len(p.names) > 0 && len(p.names[0].family) > 1<<recordBits
	}
	if !sawLong {
		t.Error("the long record is not in the copy")
	}
}
