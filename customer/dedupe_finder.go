package customer

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// DuplicateFinder proposes duplicate candidates among a set of customers:
// [DuplicateFinder.Add] each customer, then call
// [DuplicateFinder.Candidates].
//
// It compares only customers that share a block: an external ID, a phone
// line, an email match key, the same last name with a phone number that is
// the same up to two swapped digits among its last four, or the same last
// name and postal code.
// Inside a last-name block customers are compared with their Window nearest
// neighbours in first-name order (nicknames sort with their formal name),
// and no customer takes part in more than MaxComparisons comparisons, so the
// work grows with the number of customers, not with its square. A value
// held by more than Guards.SharedLimit customers forms no block: it is
// shared, not evidence.
//
// The finder keeps the match keys of each customer it was given (not the
// customers), so memory grows linearly. A DuplicateFinder is not safe for
// concurrent use.
type DuplicateFinder struct {
	rules    DuplicateRules
	profiles chunks[stored]
	entries  chunks[blockEntry]
	stats    DuplicateStats
	// scratch is the profile Add fills; its keys are then copied into
	// the pools, where the stored profiles find them.
	scratch profile
	pools   profilePools
}

// stored is a profile as the finder keeps it: 12 bytes without pointers,
// naming where its record and its holder counts are. The record (see
// profilePools.store) holds the profile's ID and keys, their text
// included, in one string (76 bytes on average in the generated test
// corpus), so that scoring a pair reads two or three cache lines for a
// profile rather than one in each of five key pools and one more for
// each key's text.
type stored struct {
	rec, holders           uint32
	nPhones, nEmails, nExt uint8
}

// chunkBits sets the size of a chunk of profiles: 4,096.
const chunkBits = 12

// chunks is an append-only sequence kept in chunks of 1<<chunkBits, so
// that growing it never copies what it holds: a single slice of a million
// profiles or block entries would be copied about twenty times over as it
// grew, and leave as much garbage as it finally takes.
type chunks[T any] struct {
	parts [][]T
	n     int
}

func (c *chunks[T]) push(v T) {
	if len(c.parts) == 0 || len(c.parts[len(c.parts)-1]) == cap(c.parts[len(c.parts)-1]) {
		c.parts = append(c.parts, make([]T, 0, 1<<chunkBits))
	}
	last := &c.parts[len(c.parts)-1]
	*last = append(*last, v)
	c.n++
}

// at returns the i-th value; only for a sequence built by push alone,
// whose parts all hold 1<<chunkBits values.
func (c *chunks[T]) at(i uint32) *T { return &c.parts[i>>chunkBits][i&(1<<chunkBits-1)] }

// profilePools hold the records and holder counts of the stored
// profiles, so that a profile costs no allocation of its own.
type profilePools struct {
	recs    recordArena
	holders pool[int32]
	// systems interns external-ID systems, which candidates' reasons
	// name: a reason must not keep a part of the arena alive.
	systems   map[string]int
	systemIDs []string
	// buf is where store encodes a record; held to be reused.
	buf  []byte
	hbuf []int32
}

// recordBits sets the size of a part of a recordArena: 256 KiB.
const recordBits = 18

// recordArena is an append-only store of records in parts of
// 1<<recordBits bytes (a longer record takes a part of its own). A
// strings.Builder only ever appends to its buffer, so a record cut from
// it stays valid and unchanged.
type recordArena struct {
	parts []*strings.Builder
}

// reserve returns the part to write a record of n bytes to and where the
// record will be: the part in the top bits, the offset in the low
// recordBits. It fails when the part index would not fit.
func (a *recordArena) reserve(n int) (*strings.Builder, uint32, bool) {
	k := len(a.parts) - 1
	if k < 0 || a.parts[k].Len() >= 1<<recordBits || a.parts[k].Cap()-a.parts[k].Len() < n {
		if uint64(k+2)<<recordBits > math.MaxUint32 {
			return nil, 0, false
		}
		b := new(strings.Builder)
		b.Grow(max(1<<recordBits, n))
		a.parts = append(a.parts, b)
		k++
	}
	return a.parts[k], uint32(k)<<recordBits | uint32(a.parts[k].Len()), true
}

// get returns the record at at and what follows it in its part.
func (a *recordArena) get(at uint32) string {
	return a.parts[at>>recordBits].String()[at&(1<<recordBits-1):]
}

// poolBits sets the size of a part of a pool: 4,096 values, more than a
// profile has (see fillProfile's bounds).
const poolBits = 12

// pool is an append-only store of values in parts of 1<<poolBits. The
// values of one profile are added at once and never straddle two parts,
// so they are found by the index of the first and their number.
type pool[T any] struct {
	parts [][]T
}

// add copies src (at most 1<<poolBits values) into the pool and returns
// where it is. It fails when the index would pass 2³²−1.
func (p *pool[T]) add(src []T) (at uint32, ok bool) {
	if len(src) == 0 {
		return 0, true
	}
	if k := len(p.parts); k == 0 || len(p.parts[k-1])+len(src) > 1<<poolBits {
		if uint64(k+1)<<poolBits > math.MaxUint32 {
			return 0, false
		}
		p.parts = append(p.parts, make([]T, 0, 1<<poolBits))
	}
	last := &p.parts[len(p.parts)-1]
	at = uint32(len(p.parts)-1)<<poolBits | uint32(len(*last))
	*last = append(*last, src...)
	return at, true
}

// at returns the value at i.
func (p *pool[T]) at(i uint32) *T { return &p.parts[i>>poolBits][i&(1<<poolBits-1)] }

// get returns the n values at at.
func (p *pool[T]) get(at uint32, n int) []T {
	if n == 0 {
		return nil
	}
	part, o := p.parts[at>>poolBits], int(at&(1<<poolBits-1))
	return part[o : o+n : o+n]
}

// suffixes are the generational suffixes suffixKey returns.
var suffixes = [...]string{"", "jr", "sr", "2", "3", "4"}

// store encodes p as a record and copies it into the arena, and p's
// holder counts (phones', emails', external IDs') into their pool. A
// record is the ID; the number of names, phones, emails, external IDs
// and postal codes (a byte each: fillProfile's bounds keep them under
// 256); each name as its suffix's index in suffixes and its given,
// family and middle names; each phone's digits (8 bytes) and a byte, 1
// if mobile; each email's match key; each external ID's system (its
// index among the interned systems) and value; each postal code. A
// string is its length as a uvarint, then its bytes.
func (ps *profilePools) store(p *profile) (stored, bool) {
	r := append(ps.buf[:0], p.id[:]...)
	r = append(r, uint8(len(p.names)), uint8(len(p.phones)), uint8(len(p.emails)), uint8(len(p.ext)), uint8(len(p.postal)))
	str := func(s string) {
		r = binary.AppendUvarint(r, uint64(len(s)))
		r = append(r, s...)
	}
	for _, n := range p.names {
		r = append(r, uint8(max(slices.Index(suffixes[:], n.suffix), 0)))
		str(n.given)
		str(n.family)
		str(n.middle)
	}
	h := ps.hbuf[:0]
	for _, x := range p.phones {
		r = binary.LittleEndian.AppendUint64(r, x.digits)
		if x.mobile {
			r = append(r, 1)
		} else {
			r = append(r, 0)
		}
		h = append(h, x.holders)
	}
	for _, x := range p.emails {
		str(x.key)
		h = append(h, x.holders)
	}
	for _, x := range p.ext {
		r = binary.AppendUvarint(r, uint64(ps.systemIndex(x.system)))
		str(x.value)
		h = append(h, x.holders)
	}
	for _, code := range p.postal {
		str(code)
	}
	ps.buf, ps.hbuf = r, h
	b, at, ok := ps.recs.reserve(len(r))
	if ok {
		b.Write(r)
	}
	hat, hok := ps.holders.add(h)
	return stored{rec: at, holders: hat, nPhones: uint8(len(p.phones)), nEmails: uint8(len(p.emails)), nExt: uint8(len(p.ext))}, ok && hok
}

// systemIndex returns the index of an external-ID system among the
// interned ones, interning a copy of it.
func (ps *profilePools) systemIndex(s string) int {
	if k, ok := ps.systems[s]; ok {
		return k
	}
	if ps.systems == nil {
		ps.systems = make(map[string]int)
	}
	v := strings.Clone(s)
	ps.systems[v] = len(ps.systemIDs)
	ps.systemIDs = append(ps.systemIDs, v)
	return len(ps.systemIDs) - 1
}

// load puts the profile s in p, reusing p's slices; its strings are
// parts of the record.
func (ps *profilePools) load(s *stored, p *profile) {
	loadRecord(ps.recs.get(s.rec), ps.holders.get(s.holders, int(s.nPhones)+int(s.nEmails)+int(s.nExt)), ps.systemIDs, p)
}

// loadRecord decodes the record r (see profilePools.store; what follows
// it is ignored) with its holder counts h into p, reusing p's slices.
func loadRecord(r string, h []int32, systemIDs []string, p *profile) {
	*p = profile{names: p.names[:0], phones: p.phones[:0], emails: p.emails[:0], ext: p.ext[:0], postal: p.postal[:0]}
	copy(p.id[:], r)
	nNames, nPhones, nEmails, nExt, nPostal := int(r[16]), int(r[17]), int(r[18]), int(r[19]), int(r[20])
	r = r[21:]
	num := func() int {
		var v uint64
		for k := uint(0); ; k += 7 {
			c := r[0]
			r = r[1:]
			v |= uint64(c&0x7f) << k
			if c < 0x80 {
				return int(v)
			}
		}
	}
	str := func() string {
		n := num()
		v := r[:n]
		r = r[n:]
		return v
	}
	for range nNames {
		n := nameKeys{suffix: suffixes[r[0]]}
		r = r[1:]
		n.given, n.family, n.middle = str(), str(), str()
		p.names = append(p.names, n)
	}
	for k := range nPhones {
		var d uint64
		for j := 7; j >= 0; j-- {
			d = d<<8 | uint64(r[j])
		}
		p.phones = append(p.phones, phoneKey{digits: d, mobile: r[8] == 1, holders: h[k]})
		r = r[9:]
	}
	h = h[nPhones:]
	for k := range nEmails {
		p.emails = append(p.emails, valueKey{key: str(), holders: h[k]})
	}
	h = h[nEmails:]
	for k := range nExt {
		sys := systemIDs[num()]
		p.ext = append(p.ext, extKey{system: sys, value: str(), holders: h[k]})
	}
	for range nPostal {
		p.postal = append(p.postal, str())
	}
}

// DuplicateStats says how much work a [DuplicateFinder] did.
type DuplicateStats struct {
	Customers int `json:"customers"`
	// Compared counts the distinct pairs scored.
	Compared int `json:"compared"`
	// MostComparisons is the largest number of comparisons one customer
	// took part in (at most MaxComparisons).
	MostComparisons int `json:"most_comparisons"`
	// Capped counts customers whose comparison budget ran out.
	Capped int `json:"capped"`
	// SharedValues counts phone lines, emails and external IDs held by more
	// customers than the shared limit.
	SharedValues int `json:"shared_values"`
	// FromIdentifiers and FromNames count the pairs taken from shared
	// identifiers and from last-name blocks (same postal code, or phone
	// numbers with the same digits), before pairs found twice are merged.
	FromIdentifiers int `json:"from_identifiers"`
	FromNames       int `json:"from_names"`
}

// blockEntry puts one customer in one block.
type blockEntry struct {
	hash uint64 // the block key
	sec  uint64 // order inside a window block
	idx  uint32 // index into profiles
	kind uint8
	slot uint8 // which phone, email or external ID of the profile
}

// Block kinds, in the order their pairs are taken: identifiers first, so
// that a customer's comparison budget is spent on the strongest evidence.
const (
	blockExternalID uint8 = iota
	blockPhone
	blockEmail
	blockTransposed
	blockNamePostal
)

// ErrTooManyCustomers is returned by [DuplicateFinder.Add] past 2³²−1
// customers.
var ErrTooManyCustomers = errors.New("customer: too many customers for one duplicate scan")

// NewDuplicateFinder returns an empty finder using rules (nil means
// DefaultDuplicateRules). The rules are copied.
func NewDuplicateFinder(rules *DuplicateRules) *DuplicateFinder {
	return &DuplicateFinder{rules: *rulesOrDefault(rules)}
}

// Add records c's match keys: names, phone lines, email match keys,
// external IDs and the postal codes of its postal addresses. Blocked values
// (see [Guards]) are left out. Add keeps no reference to c.
func (f *DuplicateFinder) Add(c *Customer) error {
	if f.profiles.n >= math.MaxUint32 {
		return ErrTooManyCustomers
	}
	p := &f.scratch
	f.rules.fillProfile(c, p)
	st, ok := f.pools.store(p)
	if !ok {
		return ErrTooManyCustomers
	}
	idx := uint32(f.profiles.n)
	for i, x := range p.ext {
		f.entries.push(blockEntry{hash: hashKey(blockExternalID, x.system, x.value), idx: idx, kind: blockExternalID, slot: uint8(i)})
	}
	for i, x := range p.phones {
		f.entries.push(blockEntry{hash: hashKey(blockPhone, "", "") ^ x.digits*0x9e3779b97f4a7c15, idx: idx, kind: blockPhone, slot: uint8(i)})
	}
	for i, x := range p.emails {
		f.entries.push(blockEntry{hash: hashKey(blockEmail, x.key, ""), idx: idx, kind: blockEmail, slot: uint8(i)})
	}
	var buf [5]string
	families := buf[:0]
	for _, n := range p.names {
		if n.family == "" || slices.Contains(families, n.family) {
			continue
		}
		families = append(families, n.family)
		for _, ph := range p.phones {
			var digits [20]byte
			f.entries.push(blockEntry{hash: hashKey(blockTransposed, n.family, sortedDigits(digits[:0], ph.digits)), sec: ph.digits, idx: idx, kind: blockTransposed})
		}
		for _, code := range p.postal {
			f.entries.push(blockEntry{hash: hashKey(blockNamePostal, n.family, code), sec: givenOrder(n.given), idx: idx, kind: blockNamePostal})
		}
	}
	f.profiles.push(st)
	f.stats.Customers++
	return nil
}

// Candidates compares the customers added so far and returns the pairs of
// tier min or better (TierNone is read as TierPossible), most sure first:
// by tier, then score, then IDs. It may be called again after more Adds.
func (f *DuplicateFinder) Candidates(min Tier) []Candidate {
	if min < TierPossible {
		min = TierPossible
	}
	entries := sortEntries(&f.entries)
	f.entries = chunks[blockEntry]{parts: [][]blockEntry{entries}, n: len(entries)}
	limit := f.rules.sharedLimit()
	budget := f.rules.maxComparisons()
	window := f.rules.window()
	used := make([]uint16, f.profiles.n)
	f.stats.SharedValues, f.stats.Capped, f.stats.MostComparisons = 0, 0, 0
	f.stats.FromIdentifiers, f.stats.FromNames = 0, 0
	var pairs []uint64
	var counter *int
	take := func(i, j uint32) {
		if i == j || int(used[i]) >= budget || int(used[j]) >= budget {
			return
		}
		*counter++
		used[i]++
		used[j]++
		if int(used[i]) == budget {
			f.stats.Capped++
		}
		if int(used[j]) == budget {
			f.stats.Capped++
		}
		if i > j {
			i, j = j, i
		}
		pairs = append(pairs, uint64(i)<<32|uint64(j))
	}
	for lo := 0; lo < len(entries); {
		hi := lo + 1
		for hi < len(entries) && entries[hi].kind == entries[lo].kind && entries[hi].hash == entries[lo].hash {
			hi++
		}
		block := entries[lo:hi]
		lo = hi
		switch kind := block[0].kind; kind {
		case blockExternalID, blockPhone, blockEmail:
			counter = &f.stats.FromIdentifiers
			f.setHolders(block)
			if len(block) > limit {
				f.stats.SharedValues++
				continue
			}
			for x := range block {
				for y := x + 1; y < len(block); y++ {
					take(block[x].idx, block[y].idx)
				}
			}
		default:
			counter = &f.stats.FromNames
			for x := range block {
				for y := x + 1; y < len(block) && y <= x+window; y++ {
					take(block[x].idx, block[y].idx)
				}
			}
		}
	}
	pairs = sortPairs(pairs, f.profiles.n)
	f.stats.Compared = len(pairs)
	for _, u := range used {
		f.stats.MostComparisons = max(f.stats.MostComparisons, int(u))
	}
	load := func(i uint32, p *profile) { f.pools.load(f.profiles.at(i), p) }
	if c, ok := f.byBlock(entries, pairs); ok {
		load = c.load
	}
	var out []Candidate
	var reasons []Reason
	var a, b profile
	for k, p := range pairs {
		// Pairs are in order of their first customer, whose profile is
		// loaded once for all its partners.
		if lo := uint32(p >> 32); k == 0 || lo != uint32(pairs[k-1]>>32) {
			load(lo, &a)
		}
		load(uint32(p), &b)
		c := f.rules.score(&a, &b, reasons)
		reasons = c.Reasons
		if c.Tier >= min {
			c.Reasons = slices.Clone(c.Reasons)
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b Candidate) int {
		return cmp.Or(cmp.Compare(b.Tier, a.Tier), cmp.Compare(b.Score, a.Score), cmpID(a.A, b.A), cmpID(a.B, b.B))
	})
	return out
}

// blockCopy is a copy of the profiles that take part in a Candidates
// call's pairs, numbered in the order byBlock gives them: index[k] says
// where the k-th profile's record is in recs (the part in the top bits,
// the offset in the low recordBits) and its holder counts in holders.
type blockCopy struct {
	recs      recordArena
	holders   []int32
	index     []stored
	systemIDs []string
}

func (c *blockCopy) load(k uint32, p *profile) {
	s := &c.index[k]
	loadRecord(c.recs.get(s.rec), c.holders[s.holders:s.holders+uint32(s.nPhones)+uint32(s.nEmails)+uint32(s.nExt)], c.systemIDs, p)
}

// byBlock returns a copy of the profiles that take part in pairs, in the
// order of the first last-name block (same postal code) each is in, then
// of the first other block, and renumbers pairs to match them, sorted.
// It returns false, pairs unchanged, when the copy would not fit the
// store's bounds.
//
// Most pairs are of customers in one last-name block, which sit next to
// each other in that order: scoring them reads profiles close to each
// other, not profiles anywhere in the book. The copy reads the profiles
// in the order they were added, as they lie in memory (reading them in
// the new order would wait on memory for each one at a million
// customers), and appends each to the part of the copy that holds its
// stretch of the new order: about 3,000 consecutive profiles to a part of
// at most 256 KiB, small enough for the processor's cache while their
// pairs are scored. Inside a part the records keep the order they were
// added in. The copy is for one Candidates call: later Adds go on
// numbering the profiles as before.
func (f *DuplicateFinder) byBlock(entries []blockEntry, pairs []uint64) (*blockCopy, bool) {
	// rank is 1 + the profile's place in the new order; 0 for a profile
	// in no pair, none for one not placed yet.
	const none = math.MaxUint32
	rank := make([]uint32, f.profiles.n)
	for _, p := range pairs {
		rank[p>>32], rank[uint32(p)] = none, none
	}
	n := 0
	visit := func(i uint32) {
		if rank[i] == none {
			n++
			rank[i] = uint32(n)
		}
	}
	for _, e := range entries {
		if e.kind == blockNamePostal {
			visit(e.idx)
		}
	}
	for _, e := range entries {
		visit(e.idx)
	}
	// The size of each record (in rec, for now) and where its holder
	// counts go.
	index := make([]stored, n)
	for i := range f.profiles.n {
		if k := rank[i]; k > 0 {
			s := f.profiles.at(uint32(i))
			index[k-1] = stored{rec: uint32(len(f.record(uint32(i)))), nPhones: s.nPhones, nEmails: s.nEmails, nExt: s.nExt}
		}
	}
	// part[k] is the part of the copy the k-th profile's record goes to:
	// a new part when the record would take the current one past
	// 1<<recordBits bytes (a longer record takes a part of its own).
	var hsize uint64
	part := make([]uint32, n)
	var sizes []int
	for k := range index {
		s := &index[k]
		if len(sizes) == 0 || sizes[len(sizes)-1] > 0 && sizes[len(sizes)-1]+int(s.rec) > 1<<recordBits {
			sizes = append(sizes, 0)
		}
		part[k] = uint32(len(sizes) - 1)
		sizes[len(sizes)-1] += int(s.rec)
		s.holders, hsize = uint32(hsize), hsize+uint64(s.nPhones)+uint64(s.nEmails)+uint64(s.nExt)
	}
	if uint64(len(sizes))<<recordBits > math.MaxUint32 || hsize > math.MaxUint32 {
		return nil, false
	}
	c := &blockCopy{holders: make([]int32, hsize), index: index, systemIDs: f.pools.systemIDs}
	c.recs.parts = make([]*strings.Builder, len(sizes))
	for k, size := range sizes {
		c.recs.parts[k] = new(strings.Builder)
		c.recs.parts[k].Grow(size)
	}
	for i := range f.profiles.n {
		if k := rank[i]; k > 0 {
			s, to, b := f.profiles.at(uint32(i)), &index[k-1], c.recs.parts[part[k-1]]
			to.rec = part[k-1]<<recordBits | uint32(b.Len())
			b.WriteString(f.record(uint32(i)))
			copy(c.holders[to.holders:], f.pools.holders.get(s.holders, int(s.nPhones)+int(s.nEmails)+int(s.nExt)))
		}
	}
	for k, p := range pairs {
		i, j := rank[p>>32]-1, rank[uint32(p)]-1
		pairs[k] = uint64(min(i, j))<<32 | uint64(max(i, j))
	}
	// rank numbers the paired profiles one to one: no pair is lost as
	// a duplicate, and the sorted pairs fill pairs again.
	copy(pairs, sortPairs(pairs, n))
	return c, true
}

// record returns the i-th profile's record: it ends where the next
// profile's begins, or with its part.
func (f *DuplicateFinder) record(i uint32) string {
	at := f.profiles.at(i).rec
	end := f.pools.recs.parts[at>>recordBits].Len()
	if int(i)+1 < f.profiles.n {
		if next := f.profiles.at(i + 1).rec; next>>recordBits == at>>recordBits {
			end = int(next & (1<<recordBits - 1))
		}
	}
	return f.pools.recs.get(at)[:end-int(at&(1<<recordBits-1))]
}

// setHolders records in each profile how many customers hold the value.
func (f *DuplicateFinder) setHolders(block []blockEntry) {
	n := int32(min(len(block), math.MaxInt32))
	for _, e := range block {
		s := f.profiles.at(e.idx)
		at := s.holders + uint32(e.slot)
		switch e.kind {
		case blockEmail:
			at += uint32(s.nPhones)
		case blockExternalID:
			at += uint32(s.nPhones) + uint32(s.nEmails)
		}
		*f.pools.holders.at(at) = n
	}
}

// Stats reports the work of the last Candidates call.
func (f *DuplicateFinder) Stats() DuplicateStats { return f.stats }

// String summarises the stats for a log line.
func (s DuplicateStats) String() string {
	return fmt.Sprintf("%d customers, %d pairs compared (%d from identifiers, %d from names), at most %d per customer, %d capped, %d shared values",
		s.Customers, s.Compared, s.FromIdentifiers, s.FromNames, s.MostComparisons, s.Capped, s.SharedValues)
}

// hashKey is 64-bit FNV-1a over the kind and two strings, with a separator
// byte so that ("ab", "c") and ("a", "bc") differ. A collision only adds a
// pair to score; scoring compares the values themselves.
func hashKey[B string | []byte](kind uint8, a string, b B) uint64 {
	const prime = 1099511628211
	h := uint64(14695981039346656037)
	h = (h ^ uint64(kind)) * prime
	for i := 0; i < len(a); i++ {
		h = (h ^ uint64(a[i])) * prime
	}
	h = (h ^ 0xff) * prime
	for i := 0; i < len(b); i++ {
		h = (h ^ uint64(b[i])) * prime
	}
	return h
}

// sortedDigits appends to dst the digits of d with its last four in
// ascending order: two numbers that differ by two swapped digits of the
// line number (where typing slips land; a slip in the area code or
// exchange makes another number altogether) share it, and numbers of
// other exchanges do not.
func sortedDigits(dst []byte, d uint64) []byte {
	s := strconv.AppendUint(dst, d, 10)
	if len(s) > len(dst)+4 {
		slices.Sort(s[len(s)-4:])
	}
	return s
}

// givenOrder maps a first name to a sort position inside a last-name
// block: the formal name for a known nickname ("bob" sorts as "robert"),
// else the name itself, by its first eight bytes.
func givenOrder(given string) uint64 {
	if roots := nicknameIndex()[given]; len(roots) > 0 {
		given = roots[0]
	}
	var u uint64
	for i := 0; i < 8; i++ {
		u <<= 8
		if i < len(given) {
			u |= uint64(given[i])
		}
	}
	return u
}

// sortEntries orders the entries by kind, then block key, then sec and
// idx, in time linear in their number and in two passes that each write
// to few places at once, so that at a million customers (five million
// entries, 160 MB) the writes stream rather than miss the cache: a
// counting pass distributes the entries into 1,280 buckets by kind and
// the top eight bits of the key; each bucket, small enough to stay in the
// processor's cache, is distributed again by the next bits of the key,
// about eight entries to a sub-bucket, and only the sub-buckets are
// sorted. A comparison sort of the whole slice would grow as n log n.
// Each part of entries is dropped once it is distributed, so the entries
// are not held twice over.
func sortEntries(entries *chunks[blockEntry]) []blockEntry {
	const topBits = 8
	n := (int(blockNamePostal) + 1) << topBits
	bucket := func(e *blockEntry) int { return int(e.kind)<<topBits | int(e.hash>>(64-topBits)) }
	start := make([]int, n+1)
	for _, part := range entries.parts {
		for i := range part {
			start[bucket(&part[i])+1]++
		}
	}
	for i := 1; i <= n; i++ {
		start[i] += start[i-1]
	}
	out := make([]blockEntry, entries.n)
	next := slices.Clone(start[:n])
	for k, part := range entries.parts {
		for i := range part {
			b := bucket(&part[i])
			out[next[b]] = part[i]
			next[b]++
		}
		entries.parts[k] = nil
	}
	var tmp []blockEntry
	var sub []int
	for b := 0; b < n; b++ {
		part := out[start[b]:start[b+1]]
		if len(part) < 2 {
			continue
		}
		bits := 0
		for 1<<bits < len(part)/8 && bits < 16 {
			bits++
		}
		// The key's bits after the top eight, as many as there are
		// sub-buckets (none when bits is 0: a shift by 64 gives 0).
		subBucket := func(e *blockEntry) int { return int(e.hash << topBits >> (64 - bits)) }
		m := 1 << bits
		sub = slices.Grow(sub[:0], m+1)[:m+1]
		clear(sub)
		for i := range part {
			sub[subBucket(&part[i])+1]++
		}
		for i := 1; i <= m; i++ {
			sub[i] += sub[i-1]
		}
		tmp = append(tmp[:0], part...)
		for i := range tmp {
			k := subBucket(&tmp[i])
			part[sub[k]] = tmp[i]
			sub[k]++
		}
		// sub[k] is now where sub-bucket k ends.
		from := 0
		for _, to := range sub[:m] {
			if to-from > 1 {
				slices.SortFunc(part[from:to], func(a, b blockEntry) int {
					return cmp.Or(cmp.Compare(a.hash, b.hash), cmp.Compare(a.sec, b.sec), cmp.Compare(a.idx, b.idx))
				})
			}
			from = to
		}
	}
	return out
}

// sortPairs sorts and de-duplicates pairs (i<<32 | j, i < j < n) in time
// linear in their number: a counting pass groups them by i, and each
// customer's few partners are sorted in place.
func sortPairs(pairs []uint64, n int) []uint64 {
	start := make([]int32, n+1)
	for _, p := range pairs {
		start[p>>32+1]++
	}
	for i := 1; i <= n; i++ {
		start[i] += start[i-1]
	}
	out := make([]uint64, len(pairs))
	next := slices.Clone(start[:n])
	for _, p := range pairs {
		out[next[p>>32]] = p
		next[p>>32]++
	}
	w := 0
	for i := 0; i < n; i++ {
		part := out[start[i]:start[i+1]]
		slices.Sort(part)
		for k, p := range part {
			if k > 0 && p == part[k-1] {
				continue
			}
			out[w] = p
			w++
		}
	}
	return out[:w]
}
