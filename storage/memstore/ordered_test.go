package memstore

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestOrderedAgainstSortedSlice drives the blocked list through random
// inserts, replacements and removals (enough to split blocks many times and
// empty some) and compares every position, search and seek with a plain
// sorted slice.
func TestOrderedAgainstSortedSlice(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var o ordered[int]
	var ref []key
	val := map[key]int{}
	check := func(step int) {
		if o.len() != len(ref) {
			t.Fatalf("step %d: len %d, want %d", step, o.len(), len(ref))
		}
		for i, k := range ref {
			if e := o.at(i); e.k != k || *e.v != val[k] {
				t.Fatalf("step %d: at(%d) = %v/%d, want %v/%d", step, i, e.k, *e.v, k, val[k])
			}
		}
	}
	for step := 0; step < 20000; step++ {
		k := key{at: int64(rng.IntN(3000)), id: [16]byte{byte(rng.IntN(4))}}
		switch op := rng.IntN(10); {
		case op < 7:
			v := step
			o.put(k, &v)
			val[k] = v
			if i, found := slices.BinarySearchFunc(ref, k, key.cmp); !found {
				ref = slices.Insert(ref, i, k)
			}
		default:
			o.remove(k)
			if i, found := slices.BinarySearchFunc(ref, k, key.cmp); found {
				ref = slices.Delete(ref, i, i+1)
				delete(val, k)
			}
		}
		probe := key{at: int64(rng.IntN(3000)), id: [16]byte{byte(rng.IntN(4))}}
		wantI, wantFound := slices.BinarySearchFunc(ref, probe, key.cmp)
		if i, found := o.search(probe); i != wantI || found != wantFound {
			t.Fatalf("step %d: search = %d,%v, want %d,%v", step, i, found, wantI, wantFound)
		}
		wantAfter := wantI
		if wantFound {
			wantAfter++
		}
		if got := o.after(probe); got != wantAfter {
			t.Fatalf("step %d: after = %d, want %d", step, got, wantAfter)
		}
		if got := o.below(probe); got != wantI-1 {
			t.Fatalf("step %d: below = %d, want %d", step, got, wantI-1)
		}
		if step%997 == 0 {
			check(step)
		}
	}
	check(-1)
	if len(o.blocks) < 3 {
		t.Fatalf("only %d blocks: the test did not exercise splitting", len(o.blocks))
	}
	// Drain: every block empties and is dropped.
	for _, k := range slices.Clone(ref) {
		o.remove(k)
	}
	if o.len() != 0 || len(o.blocks) != 0 || len(o.starts) != 0 {
		t.Fatalf("after draining: len %d, %d blocks", o.len(), len(o.blocks))
	}
}
