package channel

import (
	"regexp"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/nyaruka/phonenumbers"
)

// This file decides whether a parsed number is valid, with the same rules
// and metadata as phonenumbers.IsValidNumber, but with each number-type
// pattern compiled once per region instead of looked up (and, for every
// pattern, matched twice) on every call. That check costs as much as parsing
// itself in phonenumbers v1.8.1, and ParsePhone runs it on every number.
//
// The compiled patterns are derived from the library's embedded metadata,
// which never changes while a process runs: they are built on first use of
// a region and only read afterwards. No caller-visible state is kept.

// numberDesc is one number-type description of a region: its possible
// national number lengths and its full-match pattern (nil: matches nothing).
type numberDesc struct {
	re      *regexp.Regexp
	lengths []int32
}

func compileDesc(d *phonenumbers.PhoneNumberDesc) numberDesc {
	if d == nil || d.GetNationalNumberPattern() == "" {
		return numberDesc{}
	}
	return numberDesc{
		re:      regexp.MustCompile("^(?:" + d.GetNationalNumberPattern() + ")$"),
		lengths: slices.Clone(d.PossibleLength),
	}
}

func (d numberDesc) match(nsn []byte) bool {
	if d.re == nil {
		return false
	}
	if len(d.lengths) > 0 && !slices.Contains(d.lengths, int32(len(nsn))) {
		return false
	}
	return d.re.Match(nsn)
}

// regionRules are the compiled rules of one region (or non-geographic
// calling code).
type regionRules struct {
	general numberDesc
	types   []numberDesc // premium rate, toll free, …, fixed line, mobile
	leading *regexp.Regexp
}

// valid reports whether the national significant number is a number of some
// type in the region (getNumberTypeHelper(...) != UNKNOWN in the library).
func (r *regionRules) valid(nsn []byte) bool {
	if !r.general.match(nsn) {
		return false
	}
	for _, d := range r.types {
		if d.match(nsn) {
			return true
		}
	}
	return false
}

var (
	metadataOnce sync.Once
	metadataByID map[string]*phonenumbers.PhoneMetadata // geographic regions, by region code
	metadataByCC map[int32]*phonenumbers.PhoneMetadata  // non-geographic entities ("001"), by calling code

	// rules holds the compiled regions as an immutable map, replaced (copy
	// on write, under rulesMu) when a region is compiled for the first
	// time, so that lookups take no lock and allocate nothing.
	rules   atomic.Pointer[map[rulesKey]*regionRules]
	rulesMu sync.Mutex
)

type rulesKey struct {
	region string
	cc     int32
}

func loadMetadata() {
	metadataByID = map[string]*phonenumbers.PhoneMetadata{}
	metadataByCC = map[int32]*phonenumbers.PhoneMetadata{}
	coll, err := phonenumbers.MetadataCollection()
	if err != nil || coll == nil {
		return // every lookup then falls back to the library
	}
	for _, m := range coll.GetMetadata() {
		if m.GetId() == "001" {
			metadataByCC[m.GetCountryCode()] = m
		} else {
			metadataByID[m.GetId()] = m
		}
	}
}

// rulesFor returns the compiled rules of a region ("001" with its calling
// code for non-geographic entities), or nil when the metadata has none.
func rulesFor(region string, cc int32) *regionRules {
	key := rulesKey{region: region}
	if region == "001" {
		key.cc = cc
	}
	if m := rules.Load(); m != nil {
		if r, ok := (*m)[key]; ok {
			return r
		}
	}
	rulesMu.Lock()
	defer rulesMu.Unlock()
	old := rules.Load()
	if old != nil {
		if r, ok := (*old)[key]; ok {
			return r
		}
	}
	metadataOnce.Do(loadMetadata)
	m := metadataByID[region]
	if region == "001" {
		m = metadataByCC[cc]
	}
	if m == nil {
		return nil
	}
	r := &regionRules{general: compileDesc(m.GetGeneralDesc())}
	// Validity does not depend on the order the types are tried in, so
	// the common ones go first.
	for _, d := range []*phonenumbers.PhoneNumberDesc{
		m.GetFixedLine(), m.GetMobile(), m.GetTollFree(), m.GetVoip(), m.GetPremiumRate(),
		m.GetSharedCost(), m.GetPersonalNumber(), m.GetPager(), m.GetUan(), m.GetVoicemail(),
	} {
		if c := compileDesc(d); c.re != nil {
			r.types = append(r.types, c)
		}
	}
	if ld := m.GetLeadingDigits(); ld != "" {
		r.leading = regexp.MustCompile("^(?:" + ld + ")")
	}
	next := make(map[rulesKey]*regionRules, 1)
	if old != nil {
		next = make(map[rulesKey]*regionRules, len(*old)+1)
		for k, v := range *old {
			next[k] = v
		}
	}
	next[key] = r
	rules.Store(&next)
	return r
}

// validNumber returns the region of a parsed number and whether the number
// is valid there: phonenumbers.GetRegionCodeForNumber and IsValidNumber in
// one pass.
func validNumber(n *phonenumbers.PhoneNumber) (string, bool) {
	cc := n.GetCountryCode()
	regions := phonenumbers.GetRegionCodesForCountryCode(int(cc))
	if len(regions) == 0 {
		return "", false
	}
	var buf [24]byte
	nsn := appendNSN(buf[:0], n)
	region := regions[0]
	if len(regions) > 1 {
		region = ""
		for _, rc := range regions {
			r := rulesFor(rc, cc)
			if r == nil {
				continue
			}
			if r.leading != nil {
				if r.leading.Match(nsn) {
					region = rc
					break
				}
			} else if r.valid(nsn) {
				region = rc
				break
			}
		}
		if region == "" {
			return "", false
		}
	}
	r := rulesFor(region, cc)
	if r == nil {
		return "", false
	}
	return region, r.valid(nsn)
}

// maxNSNLen is the longest national significant number (the library's
// MAX_LENGTH_FOR_NSN).
const maxNSNLen = 17

// appendNSN appends the national significant number of n to b, as
// phonenumbers.GetNationalSignificantNumber writes it (leading zeros kept
// for the regions that have them, as in Italy), without allocating.
func appendNSN(b []byte, n *phonenumbers.PhoneNumber) []byte {
	if n.GetItalianLeadingZero() && n.GetNumberOfLeadingZeros() > 0 {
		for z := min(int(n.GetNumberOfLeadingZeros()), maxNSNLen); z > 0; z-- {
			b = append(b, '0')
		}
	}
	return strconv.AppendUint(b, n.GetNationalNumber(), 10)
}
