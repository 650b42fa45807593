package memstore

import (
	"bytes"
	"cmp"
	"slices"
	"sort"

	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/storage"
)

// idType is what every record ID of the domain packages is: 16 bytes with a
// canonical text form.
type idType interface {
	~[16]byte
	String() string
}

func cmpID[K ~[16]byte](a, b K) int { return bytes.Compare(a[:], b[:]) }

// table describes one kind of revisioned record (customers, interactions,
// …) so that create, update and get are written once. The descriptors are
// package-level values that are never changed.
type table[K idType, V any] struct {
	name   string // "Customer", for op names: "memstore.CreateCustomer"
	entity storage.Entity
	// rows returns the tenant's records of this kind.
	rows func(t *tenant) map[K]*V
	// ident returns the record's tenant, its ID and a pointer to its
	// revision.
	ident func(v *V) (dealer.Tenant, K, *int64)
	// clone returns a deep copy of v with every time in UTC.
	clone func(v *V) V
	// index keeps the secondary indexes in step when the record with this
	// ID changes from old to new (either may be nil: a create or a
	// rollback of one). It may be nil.
	index func(t *tenant, old, new *V)
}

// set stores new under id (removing the record when new is nil) and updates
// the indexes. old is the record stored before.
func (tb *table[K, V]) set(t *tenant, id K, old, new *V) {
	rows := tb.rows(t)
	if new == nil {
		delete(rows, id)
	} else {
		rows[id] = new
	}
	if tb.index != nil {
		tb.index(t, old, new)
	}
}

// key orders records by a time (in microseconds since the Unix epoch, as
// storage cursors hold it) and then by ID. Lists ordered by ID alone use
// at == 0.
type key struct {
	at int64
	id [16]byte
}

func (k key) cmp(o key) int {
	if c := cmp.Compare(k.at, o.at); c != 0 {
		return c
	}
	return bytes.Compare(k.id[:], o.id[:])
}

type entry[V any] struct {
	k key
	v *V
}

// ordered is a list of records sorted by ascending key, kept in blocks of
// at most maxBlock entries so that an insert or a removal anywhere costs
// O(log n) to find the place plus a copy of at most one block and an update
// of the block offsets, not a copy of the whole tail: loading a million
// interactions out of time order (an import of history) stays n log n
// instead of quadratic. Records that arrive in key order (new interactions,
// time-ordered IDs) land at the end of the last block. Entries are
// addressed by their position in the whole list (at, len), which is what
// cursors seek to.
type ordered[V any] struct {
	blocks [][]entry[V]
	starts []int // starts[b] is the position of blocks[b][0]
	n      int
}

// maxBlock bounds a block; a full block splits in two.
const maxBlock = 512

func (o *ordered[V]) len() int { return o.n }

// at returns the entry at position i (0 <= i < len).
func (o *ordered[V]) at(i int) entry[V] {
	b := o.blockOf(i)
	return o.blocks[b][i-o.starts[b]]
}

// blockOf returns the block holding position i.
func (o *ordered[V]) blockOf(i int) int {
	b, found := slices.BinarySearch(o.starts, i)
	if !found {
		b--
	}
	return b
}

// locate returns the block where k is or belongs, and its index there.
func (o *ordered[V]) locate(k key) (b, j int, found bool) {
	if len(o.blocks) == 0 {
		return 0, 0, false
	}
	// The first block whose last key is >= k; past the end means the
	// last block.
	b = sort.Search(len(o.blocks), func(b int) bool {
		blk := o.blocks[b]
		return blk[len(blk)-1].k.cmp(k) >= 0
	})
	if b == len(o.blocks) {
		b--
	}
	j, found = slices.BinarySearchFunc(o.blocks[b], k, func(e entry[V], k key) int { return e.k.cmp(k) })
	return b, j, found
}

// search returns the position of k in the list, or where it would be
// inserted, and whether it is there.
func (o *ordered[V]) search(k key) (int, bool) {
	if o.n == 0 {
		return 0, false
	}
	b, j, found := o.locate(k)
	return o.starts[b] + j, found
}

// put inserts v at k, or replaces the record stored at k.
func (o *ordered[V]) put(k key, v *V) {
	if len(o.blocks) == 0 {
		o.blocks = [][]entry[V]{{{k, v}}}
		o.starts = []int{0}
		o.n = 1
		return
	}
	b, j, found := o.locate(k)
	if found {
		o.blocks[b][j].v = v
		return
	}
	o.blocks[b] = slices.Insert(o.blocks[b], j, entry[V]{k, v})
	o.n++
	for c := b + 1; c < len(o.starts); c++ {
		o.starts[c]++
	}
	if blk := o.blocks[b]; len(blk) > maxBlock {
		half := len(blk) / 2
		right := append([]entry[V](nil), blk[half:]...)
		o.blocks[b] = slices.Clip(blk[:half])
		o.blocks = slices.Insert(o.blocks, b+1, right)
		o.starts = slices.Insert(o.starts, b+1, o.starts[b]+half)
	}
}

// remove deletes the record at k, if any.
func (o *ordered[V]) remove(k key) {
	if o.n == 0 {
		return
	}
	b, j, found := o.locate(k)
	if !found {
		return
	}
	o.blocks[b] = slices.Delete(o.blocks[b], j, j+1)
	o.n--
	for c := b + 1; c < len(o.starts); c++ {
		o.starts[c]--
	}
	if len(o.blocks[b]) == 0 {
		o.blocks = slices.Delete(o.blocks, b, b+1)
		o.starts = slices.Delete(o.starts, b, b+1)
	}
}

// after returns the position of the first entry with a key greater than k.
func (o *ordered[V]) after(k key) int {
	i, found := o.search(k)
	if found {
		i++
	}
	return i
}

// below returns the position of the last entry with a key less than k, or
// -1.
func (o *ordered[V]) below(k key) int {
	i, _ := o.search(k)
	return i - 1
}

// orderedIndex maps a scope (a customer, a household) to its ordered
// records, dropping a scope when its list empties.
type orderedIndex[M comparable, V any] map[M]*ordered[V]

func (m orderedIndex[M, V]) put(scope M, k key, v *V) {
	o := m[scope]
	if o == nil {
		o = new(ordered[V])
		m[scope] = o
	}
	o.put(k, v)
}

func (m orderedIndex[M, V]) remove(scope M, k key) {
	o := m[scope]
	if o == nil {
		return
	}
	o.remove(k)
	if o.len() == 0 {
		delete(m, scope)
	}
}

// multiIndex maps a lookup key (an address line, a VIN) to the IDs of the
// records that hold it, each set kept sorted by ID.
type multiIndex[M comparable, K ~[16]byte] map[M][]K

func (m multiIndex[M, K]) add(k M, id K) {
	ids := m[k]
	i, found := slices.BinarySearchFunc(ids, id, cmpID[K])
	if !found {
		m[k] = slices.Insert(ids, i, id)
	}
}

func (m multiIndex[M, K]) remove(k M, id K) {
	ids := m[k]
	i, found := slices.BinarySearchFunc(ids, id, cmpID[K])
	if !found {
		return
	}
	if len(ids) == 1 {
		delete(m, k)
		return
	}
	m[k] = slices.Delete(ids, i, i+1)
}

// get returns a copy of the IDs under k (nil when none).
func (m multiIndex[M, K]) get(k M) []K {
	return slices.Clone(m[k])
}

// reindex moves id from the keys in old to the keys in new, touching only
// the keys that differ.
func (m multiIndex[M, K]) reindex(id K, old, new []M) {
	for _, k := range old {
		if !slices.Contains(new, k) {
			m.remove(k, id)
		}
	}
	for _, k := range new {
		if !slices.Contains(old, k) {
			m.add(k, id)
		}
	}
}

// pageSize applies the storage limit rules: zero or less means 100, and a
// page holds at most 1000 records.
func pageSize(limit int) int {
	switch {
	case limit <= 0:
		return defaultLimit
	case limit > maxLimit:
		return maxLimit
	}
	return limit
}

const (
	defaultLimit = 100
	maxLimit     = 1000
)
