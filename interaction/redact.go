package interaction

import (
	"unicode"
	"unicode/utf8"
)

// Redact finds sensitive numbers in text and masks them. It returns the
// redacted text and one Finding per number, in order of position; when
// nothing is found it returns text itself and nil, without allocating.
//
// Each digit of a number is replaced by '*', except its last four digits
// when it has at least nine ("***-**-6789", "**** **** **** 1111",
// "*****6789"); shorter account numbers are masked whole. Separators stay.
// The redacted text therefore has exactly the length of text, in bytes and
// in runes, every other byte is unchanged, and a Finding's Start and End
// are byte offsets valid in both. Finding.Last4 holds the digits left
// visible ("" when none); Finding.Field is left empty for the caller to set
// ([Interaction.Redact] does).
//
// # Numbers
//
// Digits are ASCII '0'–'9'. A number is a run of digit groups joined by
// separators the way people type on phones: one to four spaces, tabs, line
// breaks, no-break or thin spaces, dots, hyphens or Unicode dashes (a dash
// or dots may have spaces around them: "4111 - 1111"). Each joint is of one
// of three sorts: blank (white space only), dash or dot; the joints inside
// one number are all of one sort ("4111 1111\n1111 1111" is one number,
// "4111-1111 1111-1111" is not).
//
// A number must be set off from the text around it: not touching a letter,
// a digit, '+', '$', '@', '%', '&', '/' or '\\', nor continuing a decimal or a
// thousands group ("4111111111111111.50"), a date or a time, nor joined to
// a word by an ASCII hyphen ("ref-12345678"). Spaces and punctuation
// outside ASCII count as setting it off (curly quotes, em dashes, ellipses,
// no-break spaces, «», ¿¡), and so does the abbreviation "Nº" or "N°";
// other letters, marks and symbols outside ASCII do not ("€4111…",
// "º4111…"). Messaging emphasis is
// looked through: "*4111 1111 1111 1111*", "**123-45-6789**", "_…_" and
// "~…~". A card number may be followed by its expiry, "/MM/YY" or
// "/MM/YYYY".
//
// What is found:
//
//   - US Social Security numbers and ITINs, [FindingKindSSN]: 123-45-6789,
//     123 45 6789 or 123.45.6789 (the dashed or dotted form also beside
//     other numbers, set off by blank joints; the blank form when it stands
//     alone or on a line of its own), and nine digits in any grouping right
//     after a keyword (below). Valid numbers only: an SSN's area (first three
//     digits) is not 000, 666 or 900–999, its group (next two) not 00, its
//     serial (last four) not 0000; an ITIN starts with 9 and its group is in
//     50–65, 70–88, 90–92 or 94–99.
//   - Payment card numbers, [FindingKindCard]: 13 to 19 digits passing the
//     Luhn check, starting with a payment network's prefix (2200–2204,
//     2221–2720, 30, 34–39, 4, 5 or 6; so a list of model years is not a
//     card), written as one run or in groups of four (the last of one
//     to four digits), or as 4-6-5 and 4-6-4 (American Express, Diners);
//     right after a card keyword, in any grouping. A card number may sit
//     inside a longer run, set off by blank joints (a card followed by its
//     security code).
//   - Bank routing numbers, [FindingKindRoutingNumber]: nine digits in any
//     grouping right after a routing keyword, with a valid ABA checksum
//     (3·(d1+d4+d7) + 7·(d2+d5+d8) + (d3+d6+d9) divisible by 10) and a
//     Federal Reserve prefix (00–12, 21–32, 61–72, 80).
//   - Bank account numbers, [FindingKindBankAccount]: 6 to 17 digits right
//     after an account keyword, in one group or in groups joined by one sort
//     of separator ("1234-5678-90").
//
// # Keywords
//
// The keywords, in English and Spanish, matched case-insensitively as
// whole words, accents ignored:
//
//   - SSN and ITIN: "SSN", "SS#", "social" (so "social security number",
//     "seguro social", "número de seguro social"), "soc", "ITIN".
//   - routing: "routing", "ABA", "RTN", "ruta" ("número de ruta"),
//     "tránsito".
//   - account: "account", "acct", "accnt", "acnt", "cuenta", "cta". Not
//     "acc", which on a dealership's lot is adaptive cruise control.
//   - card: "card", "cc", "visa", "mastercard", "amex", "discover",
//     "tarjeta", "tdc".
//
// "Right after" means that only these words may stand between the keyword
// and the number, with spaces and punctuation: number, numbers, num, nbr,
// no, is, it, s, my, our, your, his, her, the, security, sec, transit,
// checking, savings, bank, credit, debit, and número (numero), num, nro, n,
// no, nº, es, son, mi, mis, su, sus, tu, de, del, el, la, bancaria,
// bancario, cheques, ahorro, ahorros, corriente, crédito, débito. So
// "account number is 12345678", "SSN: 123456789" and "mi número de cuenta
// es 1234-5678-90" count; "account manager at 2125550123" does not.
//
// Phone numbers, dates, ZIP codes, prices, mileages, VINs and stock numbers
// are not sensitive: a plain ten-digit phone number, a 5+4 ZIP code or a
// 17-character VIN never matches these rules (see the package tests and
// the labelled corpus in testdata/redact). Digits joined to '*' count as
// already masked (emphasis is one or two stars set off from other stars
// and digits), so redacting redacted text finds nothing new.
//
// Redact makes a single pass over the bytes of text, looking back at most
// 64 bytes for a keyword before a candidate number. It never logs and
// never returns the numbers it found.
func Redact(text string) (string, []Finding) {
	return redact(text, "")
}

// Redact redacts i's Subject and Body in place with [Redact], appends a
// Finding for each number found to i.Findings (with Field set to
// [FindingFieldSubject] or [FindingFieldBody]), and returns the new
// findings. Redaction keeps every byte offset, so findings recorded before
// stay valid; a text already redacted yields nothing new. Other texts
// (a survey comment, attributes) are not redacted.
func (i *Interaction) Redact() []Finding {
	var found []Finding
	var fs []Finding
	i.Subject, fs = redact(i.Subject, FindingFieldSubject)
	found = append(found, fs...)
	i.Body, fs = redact(i.Body, FindingFieldBody)
	found = append(found, fs...)
	if len(found) > 0 {
		i.Findings = append(i.Findings, found...)
	}
	return found
}

// Byte classes.
const (
	clsOther = iota
	clsDigit
	clsLetter
	clsWord // '_' and every byte of a non-ASCII character
)

var classes = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		switch {
		case '0' <= c && c <= '9':
			t[c] = clsDigit
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
			t[c] = clsLetter
		case c == '_' || c >= 0x80:
			t[c] = clsWord
		}
	}
	return t
}()

func isDigit(c byte) bool    { return c-'0' < 10 }
func isWordByte(c byte) bool { return classes[c] != clsOther }

// isDigitOrMask reports whether c is a digit or a masked one: the text
// around a number reads the same before and after redaction.
func isDigitOrMask(c byte) bool { return isDigit(c) || c == '*' }

const (
	maxGroups       = 16
	maxJointRunes   = 4  // separators in one joint
	maxEmphasis     = 2  // '*' or "**" around a number is emphasis, more is a mask
	maxCardDigits   = 19 // longest card number (ISO/IEC 7812)
	contextLookBack = 64
)

// Sorts of joint between two groups of digits.
const (
	jointBlank byte = ' '
	jointDash  byte = '-'
	jointDot   byte = '.'
)

// group is one group of digits of a run, as offsets into the text.
type group struct {
	start, end int
}

func (g group) len() int { return g.end - g.start }

// run is a maximal run of digit groups joined by separators.
type run struct {
	groups [maxGroups]group
	n      int             // groups recorded
	joints [maxGroups]byte // joints[k] joins groups k and k+1: jointBlank, jointDash or jointDot
	breaks [maxGroups]bool // joints[k] holds a line break
	masked bool            // contains or touches a mask ('*' joined to digits)
	cut    bool            // more groups follow: the run goes on after end
	end    int             // end of the last group recorded
	next   int             // when cut, where to read on: an overlap of a few groups
}

func redact(s, field string) (string, []Finding) {
	var buf []byte
	var found []Finding
	var r run
	reported := 0 // end of the last finding
	for i := 0; i < len(s); {
		if !isDigit(s[i]) {
			i++
			continue
		}
		r.parse(s, i)
		i = r.end
		if r.cut {
			i = r.next
		}
		if r.masked || r.digits() < 6 {
			continue
		}
		r.find(s, func(start, end int, kind FindingKind) {
			if start < reported {
				return // found in the overlap of a cut run already
			}
			if buf == nil {
				buf = []byte(s)
			}
			found = append(found, mask(buf, start, end, kind, field))
			reported = end
		})
	}
	if buf == nil {
		return s, nil
	}
	return string(buf), found
}

// separator reports whether a separator character starts at s[j]: its
// sort and its length in bytes, or 0, 0.
func separator(s string, j int) (byte, int) {
	switch c := s[j]; c {
	case ' ', '\t', '\n', '\r', '\v', '\f':
		return jointBlank, 1
	case '-':
		return jointDash, 1
	case '.':
		return jointDot, 1
	case 0xC2: // U+00A0 no-break space
		if j+1 < len(s) && s[j+1] == 0xA0 {
			return jointBlank, 2
		}
	case 0xE2:
		if j+2 >= len(s) {
			return 0, 0
		}
		switch c1, c2 := s[j+1], s[j+2]; {
		case c1 == 0x80 && (c2 == 0x87 || c2 == 0x89 || c2 == 0x8A || c2 == 0xAF):
			return jointBlank, 3 // figure, thin, hair and narrow no-break spaces
		case c1 == 0x80 && 0x90 <= c2 && c2 <= 0x95:
			return jointDash, 3 // U+2010–U+2015: hyphens and dashes
		case c1 == 0x80 && c2 == 0xA6:
			return jointDot, 3 // U+2026 horizontal ellipsis
		case c1 == 0x88 && c2 == 0x92:
			return jointDash, 3 // U+2212 minus sign
		}
	case 0xE3: // U+3000 ideographic space
		if j+2 < len(s) && s[j+1] == 0x80 && s[j+2] == 0x80 {
			return jointBlank, 3
		}
	}
	return 0, 0
}

// separatorBefore is separator for the character ending at s[j-1].
func separatorBefore(s string, j int) (byte, int) {
	if j <= 0 {
		return 0, 0
	}
	if s[j-1] < utf8.RuneSelf {
		return separator(s, j-1)
	}
	for n := 2; n <= 3 && j-n >= 0; n++ {
		if k, size := separator(s, j-n); size == n {
			return k, n
		}
	}
	return 0, 0
}

// joint reads the separators after a group ending at j: their sort,
// whether they hold a line break, and where they end; ok is false when
// there is no joint (no separator, too many, dashes mixed with dots).
func joint(s string, j int) (kind byte, brk bool, end int, ok bool) {
	end = j
	for range maxJointRunes {
		if end >= len(s) {
			break
		}
		k, n := separator(s, end)
		if n == 0 {
			break
		}
		if s[end] == '\n' {
			brk = true
		}
		switch {
		case k == jointBlank:
		case kind == 0 || kind == jointBlank || kind == k:
			kind = k
		default:
			return 0, false, j, false // dashes and dots mixed
		}
		end += n
	}
	if end == j {
		return 0, false, j, false
	}
	if kind == 0 {
		kind = jointBlank
	}
	return kind, brk, end, true
}

// stars returns the number of '*' from s[j] on.
func stars(s string, j int) int {
	n := 0
	for j+n < len(s) && s[j+n] == '*' {
		n++
	}
	return n
}

// starsBefore returns the number of '*' ending at s[j-1].
func starsBefore(s string, j int) int {
	n := 0
	for j-n > 0 && s[j-n-1] == '*' {
		n++
	}
	return n
}

// maskBefore reports whether a mask ('*') ends at s[j-1], or just before
// the separators (one joint's worth) that end there.
func maskBefore(s string, j int) bool {
	k := j
	for range maxJointRunes {
		_, n := separatorBefore(s, k)
		if n == 0 {
			break
		}
		k -= n
	}
	if k == j || k == 0 || s[k-1] != '*' {
		return false
	}
	// Masking never leaves a digit right before '*': one or two stars
	// there close the emphasis of another number ("*12* *4111…*").
	n := starsBefore(s, k)
	return n > maxEmphasis || k-n == 0 || !isDigit(s[k-n-1])
}

// maskedBefore reports whether the digit at s[start] continues a mask: it
// follows '*' directly (unless one or two stars open an emphasis), or
// across a joint.
func maskedBefore(s string, start int) bool {
	if start > 0 && s[start-1] == '*' {
		n := starsBefore(s, start)
		if n > maxEmphasis {
			return true
		}
		k := start - n
		return k > 0 && (isDigit(s[k-1]) || maskBefore(s, k))
	}
	return maskBefore(s, start)
}

// parse reads the run of digit groups starting at the digit s[start]. A
// run of more than maxGroups groups is cut after maxGroups; the next read
// starts a few groups back, so that every number of up to five groups lies
// whole in one of the pieces.
func (r *run) parse(s string, start int) {
	r.n, r.cut = 0, false
	r.masked = maskedBefore(s, start)
	j := start
	for {
		gs := j
		digits, starred := 0, false
	group:
		for j < len(s) {
			switch c := s[j]; {
			case isDigit(c):
				digits++
				j++
			case c == '*':
				n := stars(s, j)
				if digits > 0 && !starred && n <= maxEmphasis && (j+n == len(s) || !isDigit(s[j+n])) {
					break group // closing emphasis
				}
				starred = true
				j += n
			default:
				break group
			}
		}
		if starred {
			r.masked = true
		}
		r.groups[r.n] = group{gs, j}
		r.n++
		kind, brk, next, ok := joint(s, j)
		if !ok || next >= len(s) {
			break
		}
		if c := s[next]; c == '*' {
			// A mask continues the run; one or two stars before digits,
			// after unmasked digits, open the emphasis of another number.
			n := stars(s, next)
			if n <= maxEmphasis && !(r.masked && next+n < len(s) && isDigit(s[next+n])) {
				break
			}
		} else if !isDigit(c) {
			break
		}
		if r.n == maxGroups {
			r.cut, r.next = true, r.groups[maxGroups-5].start
			break
		}
		r.joints[r.n-1], r.breaks[r.n-1] = kind, brk
		j = next
	}
	r.end = j
}

func (r *run) digits() int {
	n := 0
	for _, g := range r.groups[:r.n] {
		n += g.len()
	}
	return n
}

// find reports each sensitive number of the run.
func (r *run) find(s string, report func(start, end int, kind FindingKind)) {
	left, right := startOK(s, r.groups[0].start), r.cut || endOK(s, r.end)
	a := 0
	if left {
		if ctx := contextBefore(s, r.groups[0].start); ctx != ctxNone {
			if b, kind := r.keyed(s, ctx, right); b >= 0 {
				report(r.groups[0].start, r.groups[b].end, kind)
				a = b + 1
			}
		}
	}
	// Social Security numbers and card numbers, left to right; a card
	// number may sit inside a longer run (followed by its security code),
	// the longest valid one starting at a group wins.
	for ; a < r.n; a++ {
		if r.ssnAt(s, a, left, right) {
			report(r.groups[a].start, r.groups[a+2].end, FindingKindSSN)
			a += 2
			continue
		}
		if b := r.cardAt(s, a, left, right); b >= 0 {
			report(r.groups[a].start, r.groups[b].end, FindingKindCard)
			a = b
		}
	}
}

// keyed returns the last group of the longest number starting the run
// that the keyword before it announces, and its kind, or -1. Its groups
// are joined by one sort of separator; it ends the run or a blank joint
// follows it.
func (r *run) keyed(s string, ctx ctxKind, right bool) (int, FindingKind) {
	var d [maxCardDigits]byte
	nd := 0
	best, kind := -1, FindingKindUnknown
	for b := 0; b < r.n; b++ {
		if b > 0 && r.joints[b-1] != r.joints[0] {
			break
		}
		g := r.groups[b]
		if nd+g.len() > len(d) {
			break
		}
		nd += copy(d[nd:], s[g.start:g.end])
		if b == r.n-1 && !right || b < r.n-1 && r.joints[b] != jointBlank {
			continue
		}
		digits := string(d[:nd]) // does not escape: no allocation
		switch ctx {
		case ctxSSN:
			if nd == 9 && (validSSN(digits) || validITIN(digits)) {
				best, kind = b, FindingKindSSN
			}
		case ctxRouting:
			if nd == 9 && validABA(digits) {
				best, kind = b, FindingKindRoutingNumber
			}
		case ctxAccount:
			if 6 <= nd && nd <= 17 {
				best, kind = b, FindingKindBankAccount
			}
		case ctxCard:
			if nd >= 13 && validCard(digits, 0, nd) {
				best, kind = b, FindingKindCard
			}
		}
	}
	return best, kind
}

// setOff reports whether groups a to b of the run are set off from the rest
// of it: at each end, the run ends (and the text there allows it: left,
// right) or a blank joint (a line break, when lines is set) separates them
// from other groups.
func (r *run) setOff(a, b int, left, right, lines bool) bool {
	if a == 0 && !left || b == r.n-1 && !right {
		return false
	}
	if a > 0 && (r.joints[a-1] != jointBlank || lines && !r.breaks[a-1]) {
		return false
	}
	if b < r.n-1 && (r.joints[b] != jointBlank || lines && !r.breaks[b]) {
		return false
	}
	return true
}

// ssnAt reports whether groups a to a+2 are a valid Social Security number
// or ITIN written 123-45-6789, 123.45.6789 or 123 45 6789: the dashed or
// dotted forms set off by blank joints, the blank form alone on its run or
// its line.
func (r *run) ssnAt(s string, a int, left, right bool) bool {
	b := a + 2
	if b >= r.n || r.groups[a].len() != 3 || r.groups[a+1].len() != 2 || r.groups[b].len() != 4 || r.joints[a] != r.joints[a+1] {
		return false
	}
	if !r.setOff(a, b, left, right, r.joints[a] == jointBlank) {
		return false
	}
	g0, g1, g2 := r.groups[a], r.groups[a+1], r.groups[b]
	area, grp, serial := number(s, g0.start, g0.end), number(s, g1.start, g1.end), number(s, g2.start, g2.end)
	return ssnParts(area, grp, serial) || itinParts(area, grp)
}

// cardAt returns the last group of the longest valid card number starting
// at group a, or -1.
func (r *run) cardAt(s string, a int, left, right bool) int {
	hi := min(r.n-1, a+5)
	total := 0
	for b := a; b <= hi; b++ {
		total += r.groups[b].len()
	}
	for b := hi; b >= a; b-- {
		if b < hi {
			total -= r.groups[b+1].len()
		}
		if total < 13 {
			return -1
		}
		if total > maxCardDigits || !r.cardFormat(a, b) || !r.setOff(a, b, left, right, false) {
			continue
		}
		if validCard(s, r.groups[a].start, r.groups[b].end) {
			return b
		}
	}
	return -1
}

// cardFormat reports whether groups a to b are laid out as a card number
// is written.
func (r *run) cardFormat(a, b int) bool {
	if a == b {
		return true
	}
	for k := a + 1; k < b; k++ {
		if r.joints[k] != r.joints[a] {
			return false
		}
	}
	g := r.groups[a : b+1]
	if b-a == 2 && g[0].len() == 4 && g[1].len() == 6 && (g[2].len() == 4 || g[2].len() == 5) {
		return true
	}
	for _, x := range g[:len(g)-1] {
		if x.len() != 4 {
			return false
		}
	}
	return g[len(g)-1].len() <= 4
}

// boundaryRune reports whether a non-ASCII character sets a number off:
// white space or punctuation.
func boundaryRune(r rune) bool {
	return r != utf8.RuneError && (unicode.IsSpace(r) || unicode.IsPunct(r))
}

// startOK reports whether a number may start at s[start]: it does not
// continue a word, an international phone number, a price, an e-mail
// address, a decimal or an identifier.
func startOK(s string, start int) bool {
	if start == 0 {
		return true
	}
	p := s[start-1]
	if p >= utf8.RuneSelf {
		r, n := utf8.DecodeLastRuneInString(s[:start])
		if (r == 'º' || r == '°') && start-n > 0 && s[start-n-1]|0x20 == 'n' {
			return start-n-1 == 0 || !isWordByte(s[start-n-2]) // "Nº12345678"
		}
		return boundaryRune(r)
	}
	switch p {
	case '*':
		return openOK(s, start-starsBefore(s, start))
	case '_':
		return openOK(s, start-1)
	case '+', '$', '@', '/', '\\', '%', '&':
		return false
	case '.', ',':
		return start < 2 || !isDigitOrMask(s[start-2])
	case '-':
		return start < 2 || !isWordByte(s[start-2])
	}
	return !isWordByte(p)
}

// openOK reports whether emphasis may open at s[k]: at the start of the
// text or after white space or punctuation.
func openOK(s string, k int) bool {
	if k == 0 {
		return true
	}
	p := s[k-1]
	if p >= utf8.RuneSelf {
		r, _ := utf8.DecodeLastRuneInString(s[:k])
		return boundaryRune(r)
	}
	return !isWordByte(p) && p != '*'
}

// endOK reports whether a number may end at s[end]: it is not followed by
// a word, an e-mail domain, a percent sign, or more digits after a
// decimal point, comma, slash or colon (but a card's expiry may follow).
func endOK(s string, end int) bool {
	if end == len(s) {
		return true
	}
	q := s[end]
	if q >= utf8.RuneSelf {
		r, _ := utf8.DecodeRuneInString(s[end:])
		return boundaryRune(r)
	}
	switch q {
	case '*':
		n := stars(s, end)
		return n <= maxEmphasis && closeOK(s, end+n)
	case '_':
		return closeOK(s, end+1)
	case '@', '%':
		return false
	case '/':
		return end+1 >= len(s) || !isDigitOrMask(s[end+1]) || expiry(s, end)
	case '.', ',', ':':
		return end+1 >= len(s) || !isDigitOrMask(s[end+1])
	case '-':
		return end+1 >= len(s) || !isWordByte(s[end+1])
	}
	return !isWordByte(q)
}

// closeOK reports whether emphasis may close before s[k]: at the end of the
// text or before white space or punctuation.
func closeOK(s string, k int) bool {
	if k == len(s) {
		return true
	}
	q := s[k]
	if q >= utf8.RuneSelf {
		r, _ := utf8.DecodeRuneInString(s[k:])
		return boundaryRune(r)
	}
	return !isWordByte(q) && q != '@'
}

// expiry reports whether s[slash:] is a card's expiry after the number,
// "/MM/YY" or "/MM/YYYY", set off from what follows.
func expiry(s string, slash int) bool {
	k := slash + 1
	if k+5 > len(s) || !isDigit(s[k]) || !isDigit(s[k+1]) || s[k+2] != '/' {
		return false
	}
	if m := number(s, k, k+2); m < 1 || m > 12 {
		return false
	}
	k += 3
	n := 0
	for k+n < len(s) && isDigit(s[k+n]) {
		n++
	}
	if n != 2 && n != 4 {
		return false
	}
	k += n
	return k == len(s) || (s[k] != '/' && endOK(s, k))
}

// ctxKind is the sort of number a keyword announces.
type ctxKind uint8

const (
	ctxNone ctxKind = iota
	ctxSSN
	ctxRouting
	ctxAccount
	ctxCard
)

// contextBefore looks back from pos, over at most 64 bytes, for a keyword
// announcing the number at pos, with only connecting words and punctuation
// between.
func contextBefore(s string, pos int) ctxKind {
	lim := max(pos-contextLookBack, 0)
	j := pos
	for range 6 {
		// Punctuation and space.
		for j > lim {
			if c := s[j-1]; c < utf8.RuneSelf {
				if c == '*' && starsBefore(s, j) > maxEmphasis {
					return ctxNone // a masked number stands between
				}
				if !isContextPunct(c) {
					break
				}
				j--
				continue
			}
			r, n := utf8.DecodeLastRuneInString(s[lim:j])
			if !boundaryRune(r) && r != '°' {
				break
			}
			j -= n
		}
		// A word, read backwards, folded to lower-case ASCII.
		var w [12]byte
		n := 0
		for j > lim {
			var f byte
			size := 1
			if c := s[j-1]; c < utf8.RuneSelf {
				if classes[c] != clsLetter {
					break
				}
				f = c | 0x20
			} else {
				var r rune
				r, size = utf8.DecodeLastRuneInString(s[lim:j])
				if f = foldLatin(r); f == 0 {
					break
				}
			}
			if n == len(w) {
				return ctxNone
			}
			w[n] = f
			n++
			j -= size
		}
		if n == 0 || (j > 0 && !wordStart(s, j)) {
			return ctxNone
		}
		for x, y := 0, n-1; x < y; x, y = x+1, y-1 {
			w[x], w[y] = w[y], w[x]
		}
		switch string(w[:n]) {
		case "ssn", "ssns", "social", "soc", "itin":
			return ctxSSN
		case "ss":
			if pos := j + n; pos < len(s) && s[pos] == '#' {
				return ctxSSN
			}
			return ctxNone
		case "routing", "aba", "rtn", "ruta", "transito":
			return ctxRouting
		case "account", "acct", "accnt", "acnt", "cuenta", "cta":
			return ctxAccount
		case "card", "cc", "visa", "mastercard", "amex", "discover", "tarjeta", "tdc":
			return ctxCard
		case "number", "numbers", "num", "nbr", "no", "is", "it", "s", "my", "our", "your", "his", "her", "the",
			"security", "sec", "transit", "checking", "savings", "bank", "credit", "debit",
			"numero", "nro", "n", "es", "son", "mi", "mis", "su", "sus", "tu", "de", "del", "el", "la",
			"bancaria", "bancario", "cheques", "ahorro", "ahorros", "corriente", "credito", "debito":
		default:
			return ctxNone
		}
	}
	return ctxNone
}

// wordStart reports whether a word may start at s[j]: what precedes it is
// not a letter, digit or '_'.
func wordStart(s string, j int) bool {
	if c := s[j-1]; c < utf8.RuneSelf {
		return !isWordByte(c)
	}
	r, _ := utf8.DecodeLastRuneInString(s[:j])
	return boundaryRune(r) || r == '°'
}

// foldLatin returns the lower-case ASCII base letter of a Latin-1 letter
// ('Ú' and 'ú' give 'u', 'Ñ' 'n', 'º' 'o'), or 0.
func foldLatin(r rune) byte {
	const from = "ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿºª"
	const to = "aaaaaaceeeeiiiinooooouuuuyaaaaaaceeeeiiiinooooouuuuyyoa"
	if r < 0xAA || r > 0xFF {
		return 0
	}
	k := 0
	for _, x := range from {
		if x == r {
			return to[k]
		}
		k++
	}
	return 0
}

func isContextPunct(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', ':', '#', '-', '=', '.', ',', '(', ')', '[', ']', '\'', '"', '*', '_', '~':
		return true
	}
	return false
}

// validSSN reports whether nine digits are a Social Security number the
// SSA could have issued.
func validSSN(d string) bool {
	return ssnParts(number(d, 0, 3), number(d, 3, 5), number(d, 5, 9))
}

// validITIN reports whether nine digits are an IRS Individual Taxpayer
// Identification Number.
func validITIN(d string) bool {
	return itinParts(number(d, 0, 3), number(d, 3, 5))
}

// ssnParts reports whether area, group and serial make a valid SSN.
func ssnParts(area, group, serial int) bool {
	return area != 0 && area != 666 && area < 900 && group != 0 && serial != 0
}

// itinParts reports whether area and group make a valid ITIN: 9XX-GG-XXXX
// with GG in 50–65, 70–88, 90–92 or 94–99.
func itinParts(area, group int) bool {
	return area >= 900 && area <= 999 &&
		(50 <= group && group <= 65 || 70 <= group && group <= 88 || 90 <= group && group <= 92 || 94 <= group && group <= 99)
}

// number returns the value of the ASCII digits s[start:end].
func number(s string, start, end int) int {
	n := 0
	for k := start; k < end; k++ {
		n = n*10 + int(s[k]-'0')
	}
	return n
}

// validABA reports whether nine digits are a routing number: a Federal
// Reserve prefix and the ABA checksum.
func validABA(d string) bool {
	p := int(d[0]-'0')*10 + int(d[1]-'0')
	if !(p <= 12 || 21 <= p && p <= 32 || 61 <= p && p <= 72 || p == 80) || d == "000000000" {
		return false
	}
	sum := 0
	for k := 0; k < 9; k++ {
		w := [3]int{3, 7, 1}[k%3]
		sum += w * int(d[k]-'0')
	}
	return sum%10 == 0
}

// validCard reports whether the digits of s[start:end] (separators
// skipped) are a card number: a payment network's prefix and the Luhn
// check.
func validCard(s string, start, end int) bool {
	iin, n := 0, 0 // the first four digits
	for k := start; k < end && n < 4; k++ {
		if isDigit(s[k]) {
			iin = iin*10 + int(s[k]-'0')
			n++
		}
	}
	if n < 4 || !cardPrefix(iin) {
		return false
	}
	sum, double := 0, false
	for k := end - 1; k >= start; k-- {
		c := s[k]
		if !isDigit(c) {
			continue
		}
		d := int(c - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

// cardPrefix reports whether the first four digits of a number are in a
// payment network's range: 2200–2204 (Mir), 2221–2720 (Mastercard), 30 and
// 36–39 (Diners Club), 34 and 37 (American Express), 35 (JCB), 4 (Visa),
// 5 (Mastercard, Maestro), 6 (Discover, UnionPay, Maestro, RuPay). Years
// ("2024 2025 2026 2027") and numbers starting 0, 1, 7, 8 or 9 are not.
func cardPrefix(iin int) bool {
	switch {
	case 2200 <= iin && iin <= 2204, 2221 <= iin && iin <= 2720:
		return true
	case 3000 <= iin && iin <= 3099, 3400 <= iin && iin <= 3999:
		return true
	case 4000 <= iin && iin <= 6999:
		return true
	}
	return false
}

// mask replaces the digits of buf[start:end] by '*', but the last four
// when there are at least nine, and returns the Finding.
func mask(buf []byte, start, end int, kind FindingKind, field string) Finding {
	digits := 0
	for _, c := range buf[start:end] {
		if isDigit(c) {
			digits++
		}
	}
	keep := 0
	if digits >= 9 {
		keep = 4
	}
	f := Finding{Kind: kind, Field: field, Start: start, End: end}
	var last [4]byte
	n := 0
	for k := end - 1; k >= start; k-- {
		if !isDigit(buf[k]) {
			continue
		}
		if n < keep {
			last[3-n] = buf[k]
			n++
			continue
		}
		buf[k] = '*'
	}
	if keep > 0 {
		f.Last4 = string(last[:])
	}
	return f
}
