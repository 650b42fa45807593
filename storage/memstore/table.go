package memstore

import (
	"bytes"
	"cmp"
	"slices"

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

// ordered is a list of records sorted by ascending key. Inserting and
// removing are O(log n) to find the place plus a copy of the tail; records
// that arrive in key order (new interactions, time-ordered IDs) land at the
// end, so the copy is empty. Seeking a cursor is O(log n).
type ordered[V any] struct {
	s []entry[V]
}

func (o *ordered[V]) search(k key) (int, bool) {
	return slices.BinarySearchFunc(o.s, k, func(e entry[V], k key) int { return e.k.cmp(k) })
}

// put inserts v at k, or replaces the record stored at k.
func (o *ordered[V]) put(k key, v *V) {
	i, found := o.search(k)
	if found {
		o.s[i].v = v
		return
	}
	o.s = slices.Insert(o.s, i, entry[V]{k, v})
}

// remove deletes the record at k, if any.
func (o *ordered[V]) remove(k key) {
	if i, found := o.search(k); found {
		o.s = slices.Delete(o.s, i, i+1)
	}
}

// after returns the index of the first entry with a key greater than k.
func (o *ordered[V]) after(k key) int {
	i, found := o.search(k)
	if found {
		i++
	}
	return i
}

// below returns the index of the last entry with a key less than k, or -1.
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
	if len(o.s) == 0 {
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
