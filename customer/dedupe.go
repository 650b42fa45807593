package customer

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rapportcim/rapport/channel"
)

// Guards are the values that never count as evidence that two customers are
// one person, and the limit above which a value is shared rather than
// personal. They are data: a dealership adds its own numbers and the
// placeholders its staff type.
type Guards struct {
	// Addresses are never evidence, compared as lines: the dealership's own
	// phone numbers (staff type them when the customer has none), a
	// showroom kiosk's email.
	Addresses []channel.Address
	// EmailLocalParts are placeholder mailbox names ("noemail", "none"),
	// compared as match keys with dots, dashes and underscores removed, at
	// any domain: "no.email@example.com" is blocked by "noemail".
	EmailLocalParts []string
	// EmailDomains are placeholder domains ("none.com"): every address at
	// them is blocked.
	EmailDomains []string
	// PhoneEndings are digit runs that mark a placeholder phone number
	// when its E.164 digits end with one ("5555555", "0000000").
	PhoneEndings []string
	// ExternalIDs are placeholder identifier values ("0", "n/a"), compared
	// without case, in any system.
	ExternalIDs []string
	// SharedLimit is the most customers that may hold one phone number,
	// email or external ID for it to count as evidence. A value held by
	// more (a kiosk email, a dealership switchboard, an office line) is
	// reported as shared and neither scores nor proposes pairs. Zero means
	// 4; a value held by 3 or 4 customers (a family's landline) scores less
	// than one held by 2.
	SharedLimit int
}

// DefaultGuards returns the placeholders seen in dealership imports:
// "noemail@", "none@", "na@", "declined@" and similar mailboxes; the domains
// none.com, noemail.com and nomail.com; numbers ending in seven equal
// digits or in 1234567; and external IDs such as "0" and "n/a". It has no
// dealership addresses: add your own.
func DefaultGuards() Guards {
	g := Guards{
		EmailLocalParts: []string{
			"noemail", "nomail", "none", "no", "na", "nobody", "noreply", "donotreply",
			"donotemail", "declined", "refused", "unknown", "null", "test", "email",
			"customer", "x", "xx", "xxx", "abc", "asdf",
		},
		EmailDomains: []string{"none.com", "noemail.com", "nomail.com", "noreply.com", "donotreply.com"},
		PhoneEndings: []string{"1234567", "7654321"},
		ExternalIDs:  []string{"0", "00", "000", "-", "n/a", "na", "none", "unknown", "null", "tbd"},
	}
	for d := '0'; d <= '9'; d++ {
		g.PhoneEndings = append(g.PhoneEndings, strings.Repeat(string(d), 7))
	}
	return g
}

// DuplicateRules configure duplicate detection: the guards, and the bounds
// that keep the work near-linear in the number of customers.
type DuplicateRules struct {
	Guards Guards
	// MaxComparisons is the most candidate pairs examined for one
	// customer. Pairs from shared identifiers come first, then pairs from
	// the same last name and postal code. Zero means 50.
	MaxComparisons int
	// Window is how many neighbours, in first-name order, each customer is
	// compared with inside a group of customers with the same last name and
	// postal code. Zero means 8.
	Window int
}

// DefaultDuplicateRules returns DefaultGuards with the default bounds.
func DefaultDuplicateRules() DuplicateRules { return DuplicateRules{Guards: DefaultGuards()} }

func (r *DuplicateRules) sharedLimit() int {
	if r.Guards.SharedLimit > 0 {
		return r.Guards.SharedLimit
	}
	return 4
}

func (r *DuplicateRules) maxComparisons() int {
	if r.MaxComparisons > 0 {
		return min(r.MaxComparisons, 1<<15)
	}
	return 50
}

func (r *DuplicateRules) window() int {
	if r.Window > 0 {
		return min(r.Window, 1<<10)
	}
	return 8
}

// Tier says how sure a duplicate candidate is. The zero Tier means none:
// the pair is not a candidate.
type Tier int

// Tiers, from least to most sure.
const (
	TierNone Tier = iota
	// TierPossible: some evidence (one identifier, or a name and postal
	// code); worth a look when cleaning the book.
	TierPossible
	// TierLikely: strong evidence; a person should confirm before merging.
	TierLikely
	// TierSafe: safe to merge without a person: at least two independent
	// pieces of evidence, agreeing names, and nothing against. Measured
	// precision on the labelled corpus is in BENCHMARKS.md.
	TierSafe
)

// String returns "none", "possible", "likely" or "safe".
func (t Tier) String() string {
	switch t {
	case TierPossible:
		return "possible"
	case TierLikely:
		return "likely"
	case TierSafe:
		return "safe"
	case TierNone:
		return "none"
	}
	return "tier(" + strconv.Itoa(int(t)) + ")"
}

// ReasonCode names one piece of evidence for or against two customers being
// one person. Codes are stable lower-case strings.
type ReasonCode string

// Reason codes. Weights are log-odds in points: positive for evidence that
// the customers are one person, negative against.
const (
	ReasonSameExternalID      ReasonCode = "same_external_id"
	ReasonDifferentExternalID ReasonCode = "different_external_id"
	ReasonSameMobile          ReasonCode = "same_mobile"
	ReasonSamePhone           ReasonCode = "same_phone"
	ReasonSameEmail           ReasonCode = "same_email"
	ReasonSharedValue         ReasonCode = "shared_value"
	ReasonTransposedDigits    ReasonCode = "transposed_digits"
	ReasonSameName            ReasonCode = "same_name"
	ReasonNickname            ReasonCode = "nickname"
	ReasonNameTypo            ReasonCode = "name_typo"
	ReasonInitial             ReasonCode = "initial"
	ReasonSamePostalCode      ReasonCode = "same_postal_code"
	ReasonDifferentGivenName  ReasonCode = "different_given_name"
	ReasonDifferentFamilyName ReasonCode = "different_family_name"
	ReasonDifferentSuffix     ReasonCode = "different_suffix"
	ReasonDifferentMiddle     ReasonCode = "different_middle_initial"
)

// Reason is one piece of evidence about a candidate pair.
type Reason struct {
	Code ReasonCode `json:"code"`
	// Weight is what the reason adds to the score (negative: evidence
	// against). A shared value weighs zero.
	Weight int `json:"weight"`
	// System names the external system for the external-ID reasons.
	System string `json:"system,omitempty"`
	// Holders is how many customers hold the value, for phone, email and
	// external-ID reasons.
	Holders int `json:"holders,omitempty"`
}

// String says the reason in a manager's words, without customer data:
// "same mobile number", "same customer number in cdk", "first names are a
// nickname and its full form".
func (r Reason) String() string {
	switch r.Code {
	case ReasonSameExternalID:
		return "same customer number in " + r.System
	case ReasonDifferentExternalID:
		return "different customer numbers in " + r.System
	case ReasonSameMobile:
		return "same mobile number" + held(r.Holders)
	case ReasonSamePhone:
		return "same phone number" + held(r.Holders)
	case ReasonSameEmail:
		return "same email address" + held(r.Holders)
	case ReasonSharedValue:
		return fmt.Sprintf("share a number or email that %d customers hold (not evidence)", r.Holders)
	case ReasonTransposedDigits:
		return "phone numbers differ only by two swapped digits"
	case ReasonSameName:
		return "same name"
	case ReasonNickname:
		return "first names are a nickname and its full form"
	case ReasonNameTypo:
		return "names differ by one typing mistake"
	case ReasonInitial:
		return "same last name, and the first name is given as its initial"
	case ReasonSamePostalCode:
		return "same last name and postal code"
	case ReasonDifferentGivenName:
		return "different first names"
	case ReasonDifferentFamilyName:
		return "different last names"
	case ReasonDifferentSuffix:
		return "different suffixes (Jr., Sr.)"
	case ReasonDifferentMiddle:
		return "different middle initials"
	}
	return string(r.Code)
}

func held(n int) string {
	if n > 2 {
		return fmt.Sprintf(" (held by %d customers)", n)
	}
	return ""
}

// Candidate is a pair of customers that may be one person.
type Candidate struct {
	// A and B are the customers, A < B in byte order.
	A     ID   `json:"a"`
	B     ID   `json:"b"`
	Score int  `json:"score"`
	Tier  Tier `json:"tier"`
	// Reasons list the evidence, strongest first.
	Reasons []Reason `json:"reasons"`
}

// Points and tier thresholds. They were set on the labelled corpus in
// dedupe_corpus_test.go so that TierSafe keeps precision of at least 0.99.
const (
	wExternalID     = 12
	wDiffExternalID = -10
	wMobile         = 8
	wMobileFamily   = 4
	wPhone          = 5
	wPhoneFamily    = 2
	wEmail          = 8
	wEmailFamily    = 4
	wTransposed     = 4
	wSameName       = 6
	wNickname       = 4
	wTypo           = 3
	wInitial        = 2
	wPostal         = 3
	wDiffGiven      = -12
	wDiffFamily     = -4
	wDiffBoth       = -14
	wDiffSuffix     = -12
	wDiffMiddle     = -5

	thresholdSafe     = 16
	thresholdLikely   = 12
	thresholdPossible = 6
)

// profile is what duplicate detection keeps of a customer: match keys only.
type profile struct {
	id     ID
	names  []nameKeys
	phones []phoneKey
	emails []valueKey
	ext    []extKey
	postal []string // postal codes, folded by postalKey
}

type nameKeys struct {
	given, family, middle, suffix string
}

type phoneKey struct {
	digits  uint64 // E.164 digits
	mobile  bool
	holders int32
}

type valueKey struct {
	key     string
	holders int32
}

type extKey struct {
	system, value string
	holders       int32
}

// newProfile extracts c's match keys, leaving out blocked values (see
// fillProfile).
func (r *DuplicateRules) newProfile(c *Customer) profile {
	var p profile
	r.fillProfile(c, &p)
	return p
}

// fillProfile puts c's match keys in p, reusing p's slices. At most
// MaxContactPoints addresses and MaxExternalIDs identifiers are read, so a
// record that failed validation cannot make the profile unbounded.
func (r *DuplicateRules) fillProfile(c *Customer, p *profile) {
	*p = profile{id: c.ID, names: p.names[:0], phones: p.phones[:0], emails: p.emails[:0], ext: p.ext[:0], postal: p.postal[:0]}
	for i, a := range c.PostalAddresses {
		if i == MaxPostalAddresses {
			break
		}
		if k := postalKey(a.PostalCode); k != "" && !slices.Contains(p.postal, k) {
			p.postal = append(p.postal, k)
		}
	}
	if k, ok := nameKeysOf(c.Name); ok {
		p.names = append(p.names, k)
	}
	for i, a := range c.Aliases {
		if i == 4 {
			break
		}
		if k, ok := nameKeysOf(a); ok && !slices.Contains(p.names, k) {
			p.names = append(p.names, k)
		}
	}
	for i, cp := range c.ContactPoints {
		if i == MaxContactPoints {
			break
		}
		line := cp.Address.Line()
		if r.Guards.blockedAddress(line) {
			continue
		}
		switch line.Scheme() {
		case channel.SchemeTel, channel.SchemeWhatsApp:
			d, ok := e164Digits(line.Path())
			if !ok || r.Guards.blockedPhone(line.Path()) {
				continue
			}
			mobile := cp.Usage == UsageMobile || cp.SMS == CapabilityYes || line.Scheme() == channel.SchemeWhatsApp
			if j := slices.IndexFunc(p.phones, func(x phoneKey) bool { return x.digits == d }); j >= 0 {
				p.phones[j].mobile = p.phones[j].mobile || mobile
				continue
			}
			p.phones = append(p.phones, phoneKey{digits: d, mobile: mobile})
		case channel.SchemeMailto:
			e, _ := line.Email()
			key := e.MatchKey()
			if key == "" || r.Guards.blockedEmail(key) || slices.ContainsFunc(p.emails, func(v valueKey) bool { return v.key == key }) {
				continue
			}
			p.emails = append(p.emails, valueKey{key: key})
		}
	}
	for i, x := range c.ExternalIDs {
		if i == MaxExternalIDs {
			break
		}
		sys := strings.ToLower(strings.TrimSpace(x.System))
		val := strings.TrimSpace(x.Value)
		if sys == "" || val == "" || r.Guards.blockedExternalID(val) {
			continue
		}
		if !slices.ContainsFunc(p.ext, func(e extKey) bool { return e.system == sys && e.value == val }) {
			p.ext = append(p.ext, extKey{system: sys, value: val})
		}
	}
}

func nameKeysOf(n Name) (nameKeys, bool) {
	k := nameKeys{given: NameKey(n.Given), family: NameKey(n.Family), middle: NameKey(n.Middle), suffix: suffixKey(n.Suffix)}
	if k.given == "" && k.family == "" {
		full := strings.Fields(NameKey(n.Full))
		switch len(full) {
		case 0:
			return nameKeys{}, false
		case 1:
			k.family = full[0]
		default:
			k.given, k.family = full[0], full[len(full)-1]
			if s := suffixKey(k.family); s != "" && len(full) > 2 {
				k.suffix, k.family = s, full[len(full)-2]
			}
		}
	}
	return k, true
}

// suffixKey folds a generational suffix: "Jr.", "JR" → "jr"; "II", "2nd" →
// "2"; "III", "3rd" → "3". Other suffixes (academic, professional) are
// not generational and give "".
func suffixKey(s string) string {
	switch NameKey(s) {
	case "jr", "junior":
		return "jr"
	case "sr", "senior":
		return "sr"
	case "ii", "2nd":
		return "2"
	case "iii", "3rd":
		return "3"
	case "iv", "4th":
		return "4"
	}
	return ""
}

// postalKey folds a postal code for comparison: upper case, without spaces
// and dashes, a US ZIP+4 cut to its five digits.
func postalKey(s string) string {
	if len(s) > 16 {
		return ""
	}
	s = strings.Map(func(r rune) rune {
		switch {
		case r == ' ' || r == '-':
			return -1
		case 'a' <= r && r <= 'z':
			return r - 'a' + 'A'
		}
		return r
	}, s)
	if len(s) == 9 && isDigits(s) {
		s = s[:5]
	}
	return s
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// e164Digits reads "+12125550123" as 12125550123.
func e164Digits(s string) (uint64, bool) {
	if len(s) < 2 || len(s) > 16 || s[0] != '+' || !isDigits(s[1:]) {
		return 0, false
	}
	d, err := strconv.ParseUint(s[1:], 10, 64)
	return d, err == nil
}

// BlocksAddress reports whether a is never evidence that two records
// describe one person: one of Addresses (compared as lines), a phone or
// WhatsApp number whose E.164 digits end with one of PhoneEndings, or an
// email address whose match key has a placeholder mailbox name
// (EmailLocalParts) or domain (EmailDomains). Addresses of other schemes
// are never blocked. A [DuplicateFinder] does not compare customers by a
// blocked address, and rapport's Book.UpsertCustomer does not match by
// one.
func (g *Guards) BlocksAddress(a channel.Address) bool {
	line := a.Line()
	if g.blockedAddress(line) {
		return true
	}
	switch line.Scheme() {
	case channel.SchemeTel, channel.SchemeWhatsApp:
		return g.blockedPhone(line.Path())
	case channel.SchemeMailto:
		e, ok := line.Email()
		if !ok {
			return false
		}
		key := e.MatchKey()
		return key != "" && g.blockedEmail(key)
	}
	return false
}

// BlocksExternalID reports whether value (without surrounding white space)
// is a placeholder identifier (ExternalIDs), in any system: never
// evidence that two records describe one person.
func (g *Guards) BlocksExternalID(value string) bool {
	return g.blockedExternalID(strings.TrimSpace(value))
}

func (g *Guards) blockedAddress(line channel.Address) bool {
	for _, a := range g.Addresses {
		if a.Line() == line {
			return true
		}
	}
	return false
}

func (g *Guards) blockedPhone(e164 string) bool {
	for _, end := range g.PhoneEndings {
		if end != "" && strings.HasSuffix(e164, end) {
			return true
		}
	}
	return false
}

func (g *Guards) blockedEmail(key string) bool {
	at := strings.LastIndexByte(key, '@')
	if at < 0 {
		return true
	}
	local, domain := key[:at], key[at+1:]
	for _, l := range g.EmailLocalParts {
		if equalSkipping(local, l) {
			return true
		}
	}
	for _, d := range g.EmailDomains {
		if strings.EqualFold(domain, d) {
			return true
		}
	}
	return false
}

// equalSkipping reports whether a, with its dots, dashes and underscores
// left out, equals b without regard to ASCII case.
func equalSkipping(a, b string) bool {
	j := 0
	for i := 0; i < len(a); i++ {
		c := a[i]
		if c == '.' || c == '-' || c == '_' {
			continue
		}
		if j >= len(b) || lower(c) != lower(b[j]) {
			return false
		}
		j++
	}
	return j == len(b)
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func (g *Guards) blockedExternalID(v string) bool {
	for _, b := range g.ExternalIDs {
		if strings.EqualFold(v, b) {
			return true
		}
	}
	return false
}

// CompareDuplicates scores one pair of customers with rules (nil means
// DefaultDuplicateRules). It treats every value as held by these two
// customers only; use a [DuplicateFinder] to see values shared across a
// book. The candidate's Tier is TierNone when the pair is not worth
// proposing.
func CompareDuplicates(a, b *Customer, rules *DuplicateRules) Candidate {
	r := rulesOrDefault(rules)
	pa, pb := r.newProfile(a), r.newProfile(b)
	for _, p := range []*profile{&pa, &pb} {
		for i := range p.phones {
			p.phones[i].holders = 2
		}
		for i := range p.emails {
			p.emails[i].holders = 2
		}
		for i := range p.ext {
			p.ext[i].holders = 2
		}
	}
	return r.score(&pa, &pb, nil)
}

func rulesOrDefault(rules *DuplicateRules) *DuplicateRules {
	if rules == nil {
		d := DefaultDuplicateRules()
		return &d
	}
	r := *rules
	return &r
}

// score compares two profiles whose holder counts are known. The reasons
// are appended to buf[:0] (nil: a new slice), which a caller scoring many
// pairs reuses, keeping (copying) only the reasons of the candidates it
// keeps: most pairs scored are not candidates.
func (r *DuplicateRules) score(a, b *profile, buf []Reason) Candidate {
	if cmpID(a.id, b.id) > 0 {
		a, b = b, a
	}
	c := Candidate{A: a.id, B: b.id, Reasons: buf[:0]}
	limit := int32(r.sharedLimit())
	add := func(x Reason) { c.Reasons = append(c.Reasons, x) }

	// External IDs: one reason per system both customers have.
	for _, x := range a.ext {
		same, other := false, false
		holders := x.holders
		for _, y := range b.ext {
			if y.system != x.system {
				continue
			}
			if y.value == x.value {
				same = true
			} else {
				other = true
			}
		}
		switch {
		case same && holders > limit:
			add(Reason{Code: ReasonSharedValue, System: x.system, Holders: int(holders)})
		case same:
			add(Reason{Code: ReasonSameExternalID, Weight: wExternalID, System: x.system, Holders: int(holders)})
		case other && !slices.ContainsFunc(c.Reasons, func(r Reason) bool { return r.Code == ReasonDifferentExternalID && r.System == x.system }):
			// Two records in one system: usually two people (a DMS holds
			// duplicates too, which is why this weighs less than a match).
			add(Reason{Code: ReasonDifferentExternalID, Weight: wDiffExternalID, System: x.system})
		}
	}

	// Phones: the strongest matching line counts, each further one half.
	var lineBuf [4]Reason
	lines := lineBuf[:0]
	samePhone := false
	for _, x := range a.phones {
		for _, y := range b.phones {
			if x.digits != y.digits {
				continue
			}
			samePhone = true
			h := max(x.holders, y.holders)
			if h > limit {
				add(Reason{Code: ReasonSharedValue, Holders: int(h)})
				continue
			}
			mobile := x.mobile || y.mobile
			rs := Reason{Code: ReasonSamePhone, Weight: wPhone, Holders: int(h)}
			switch {
			case mobile && h <= 2:
				rs.Code, rs.Weight = ReasonSameMobile, wMobile
			case mobile:
				rs.Code, rs.Weight = ReasonSameMobile, wMobileFamily
			case h > 2:
				rs.Weight = wPhoneFamily
			}
			lines = append(lines, rs)
		}
	}
	c.Reasons = appendDiminishing(c.Reasons, lines)
	if !samePhone {
	transposed:
		for _, x := range a.phones {
			for _, y := range b.phones {
				if transposedDigits(x.digits, y.digits) {
					add(Reason{Code: ReasonTransposedDigits, Weight: wTransposed})
					break transposed
				}
			}
		}
	}

	// Emails, compared by match key.
	var mailBuf [4]Reason
	mails := mailBuf[:0]
	for _, x := range a.emails {
		for _, y := range b.emails {
			if x.key != y.key {
				continue
			}
			h := max(x.holders, y.holders)
			if h > limit {
				add(Reason{Code: ReasonSharedValue, Holders: int(h)})
				continue
			}
			rs := Reason{Code: ReasonSameEmail, Weight: wEmail, Holders: int(h)}
			if h > 2 {
				rs.Weight = wEmailFamily
			}
			mails = append(mails, rs)
		}
	}
	c.Reasons = appendDiminishing(c.Reasons, mails)

	// Names: the best-agreeing pair of names (a name or an alias each).
	nameAgrees := false
	if len(a.names) > 0 && len(b.names) > 0 {
		var bestBuf, rsBuf [4]Reason
		best, bestW, found := bestBuf[:0], 0, false
		for i := range a.names {
			for j := range b.names {
				rs := compareNames(rsBuf[:0], &a.names[i], &b.names[j])
				w := 0
				for _, x := range rs {
					w += x.Weight
				}
				if !found || w > bestW {
					best, bestW, found = append(best[:0], rs...), w, true
				}
			}
		}
		for _, x := range best {
			if x.Code == ReasonSameName || x.Code == ReasonNickname {
				nameAgrees = true
			}
		}
		c.Reasons = append(c.Reasons, best...)
		if bestW > 0 && slices.ContainsFunc(a.postal, func(k string) bool { return slices.Contains(b.postal, k) }) {
			add(Reason{Code: ReasonSamePostalCode, Weight: wPostal})
		}
	}

	against, evidence := false, 0
	for _, x := range c.Reasons {
		c.Score += x.Weight
		switch {
		case x.Weight < 0:
			against = true
		case x.Code == ReasonSameExternalID, x.Code == ReasonSameMobile, x.Code == ReasonSamePhone,
			x.Code == ReasonSameEmail, x.Code == ReasonSamePostalCode:
			evidence++
		}
	}
	switch {
	case c.Score >= thresholdSafe && nameAgrees && !against && evidence >= 2:
		c.Tier = TierSafe
	case c.Score >= thresholdLikely:
		c.Tier = TierLikely
	case c.Score >= thresholdPossible:
		c.Tier = TierPossible
	}
	slices.SortStableFunc(c.Reasons, func(x, y Reason) int { return cmp.Compare(abs(y.Weight), abs(x.Weight)) })
	return c
}

// appendDiminishing appends rs strongest first, every one after the first
// at half its weight: a second shared number says less than the first.
func appendDiminishing(dst, rs []Reason) []Reason {
	slices.SortStableFunc(rs, func(x, y Reason) int { return cmp.Compare(y.Weight, x.Weight) })
	for i := range rs {
		if i > 0 {
			rs[i].Weight /= 2
		}
	}
	return append(dst, rs...)
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// compareNames appends to rs the reasons two names give.
func compareNames(rs []Reason, a, b *nameKeys) []Reason {
	givenKnown := a.given != "" && b.given != ""
	famSame := a.family == b.family && a.family != ""
	famTypo := !famSame && a.family != "" && b.family != "" && oneEditApart(a.family, b.family)
	var given ReasonCode // "" unknown, same, nickname, typo, initial, different
	switch {
	case !givenKnown:
	case a.given == b.given:
		given = ReasonSameName
	case IsNickname(a.given, b.given):
		given = ReasonNickname
	case isInitialOf(a.given, b.given) || isInitialOf(b.given, a.given):
		given = ReasonInitial
	case oneEditApart(a.given, b.given):
		given = ReasonNameTypo
	default:
		given = ReasonDifferentGivenName
	}
	switch {
	case famSame && given == ReasonSameName:
		rs = append(rs, Reason{Code: ReasonSameName, Weight: wSameName})
	case famSame && given == ReasonNickname:
		rs = append(rs, Reason{Code: ReasonNickname, Weight: wNickname})
	case famSame && given == ReasonNameTypo, famTypo && given == ReasonSameName:
		rs = append(rs, Reason{Code: ReasonNameTypo, Weight: wTypo})
	case famSame && given == ReasonInitial:
		rs = append(rs, Reason{Code: ReasonInitial, Weight: wInitial})
	case famSame && given == ReasonDifferentGivenName:
		rs = append(rs, Reason{Code: ReasonDifferentGivenName, Weight: wDiffGiven})
	case famSame || famTypo:
		// same family, no first name to compare
	case given == ReasonSameName || given == ReasonNickname:
		// A new last name (marriage) or a different person with a common
		// first name: weak evidence against.
		rs = append(rs, Reason{Code: ReasonDifferentFamilyName, Weight: wDiffFamily})
	case given != "":
		rs = append(rs, Reason{Code: ReasonDifferentGivenName, Weight: wDiffBoth})
	case a.family != "" && b.family != "":
		rs = append(rs, Reason{Code: ReasonDifferentFamilyName, Weight: wDiffFamily})
	}
	if a.suffix != b.suffix && (a.suffix != "" || b.suffix != "") && (famSame || famTypo) {
		// Jr. and Sr. (or a suffix on one record only when the other
		// record's person may be the parent) are two people.
		if a.suffix != "" && b.suffix != "" {
			rs = append(rs, Reason{Code: ReasonDifferentSuffix, Weight: wDiffSuffix})
		}
	}
	if a.middle != "" && b.middle != "" && a.middle[0] != b.middle[0] {
		rs = append(rs, Reason{Code: ReasonDifferentMiddle, Weight: wDiffMiddle})
	}
	return rs
}

// isInitialOf reports whether a is the initial of b ("j" and "jane").
func isInitialOf(a, b string) bool {
	return len(a) == 1 && len(b) > 1 && a[0] == b[0]
}

// oneEditApart reports whether a and b (of at least 4 runes) differ by one
// insertion, deletion, substitution or swap of two adjacent runes.
func oneEditApart(a, b string) bool {
	if a == b {
		return false
	}
	if !isASCII(a) || !isASCII(b) {
		return oneEditRunes([]rune(a), []rune(b))
	}
	return oneEditRunes([]byte(a), []byte(b))
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func oneEditRunes[T rune | byte](a, b []T) bool {
	if len(a) < 4 || len(b) < 4 {
		return false
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	switch len(b) - len(a) {
	case 0:
		i := 0
		for i < len(a) && a[i] == b[i] {
			i++
		}
		if i == len(a) {
			return false
		}
		if slices.Equal(a[i+1:], b[i+1:]) {
			return true // substitution
		}
		return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && slices.Equal(a[i+2:], b[i+2:])
	case 1:
		i := 0
		for i < len(a) && a[i] == b[i] {
			i++
		}
		return slices.Equal(a[i:], b[i+1:])
	}
	return false
}

// transposedDigits reports whether two numbers differ only by a swap of two
// adjacent digits.
func transposedDigits(x, y uint64) bool {
	if x == y {
		return false
	}
	var bx, by [20]byte
	sx := strconv.AppendUint(bx[:0], x, 10)
	sy := strconv.AppendUint(by[:0], y, 10)
	if len(sx) != len(sy) {
		return false
	}
	i := 0
	for i < len(sx) && sx[i] == sy[i] {
		i++
	}
	return i+1 < len(sx) && sx[i] == sy[i+1] && sx[i+1] == sy[i] && string(sx[i+2:]) == string(sy[i+2:])
}

func cmpID(a, b ID) int {
	return cmp.Or(cmp.Compare(binary.BigEndian.Uint64(a[:8]), binary.BigEndian.Uint64(b[:8])),
		cmp.Compare(binary.BigEndian.Uint64(a[8:]), binary.BigEndian.Uint64(b[8:])))
}
