package interaction

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
// What is found (digits are ASCII '0'–'9'; a number is a maximal run of
// digit groups joined by single spaces or dashes, not touching a letter,
// digit, '_', non-ASCII character, '+', '$', '@' or '*', nor continuing as
// a decimal, a thousands group, a date or a time):
//
//   - US Social Security numbers, [FindingKindSSN]: 123-45-6789 or
//     123 45 6789 anywhere (the dashed form also beside other numbers, set
//     off by spaces), and 123456789 only right after a word such as "SSN",
//     "SS#", "social" or "social security number"; valid ones only:
//     the area (first three digits) is not 000, 666 or 900–999, the group
//     (next two) not 00, the serial (last four) not 0000.
//   - Payment card numbers, [FindingKindCard]: 13 to 19 digits passing the
//     Luhn check, starting with 2, 3, 4, 5 or 6 (the payment networks'
//     prefixes), written as one run or in groups of four (the last of one
//     to four digits), or as 4-6-5 and 4-6-4 (American Express, Diners),
//     with spaces or dashes, one kind of separator per number. A card
//     number may sit inside a longer run (a card followed by its security
//     code).
//   - Bank routing numbers, [FindingKindRoutingNumber]: nine digits right
//     after "routing", "ABA" or "RTN", with a valid ABA checksum
//     (3·(d1+d4+d7) + 7·(d2+d5+d8) + (d3+d6+d9) divisible by 10) and a
//     Federal Reserve prefix (00–12, 21–32, 61–72, 80).
//   - Bank account numbers, [FindingKindBankAccount]: 6 to 17 digits right
//     after "account", "acct" or "acc".
//
// "Right after" means that only these words may stand between the keyword
// and the number, with spaces and the punctuation ":#-=.,()'\"": number,
// numbers, num, nbr, no, is, it, s, my, our, your, his, her, the,
// security, sec; so "account number is 12345678" and "SSN: 123456789"
// count, "account manager at 2125550123" does not. Keywords and those words
// are matched case-insensitively, as whole words.
//
// Phone numbers, dates, ZIP codes, prices, mileages, VINs and stock numbers
// are not sensitive: a plain ten-digit phone number, a 5+4 ZIP code or a
// 17-character VIN never matches these rules (see the package tests for
// the corpora). Digits joined to '*' count as already masked, so redacting
// redacted text finds nothing new.
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

const maxGroups = 16

// group is one group of digits of a run, as offsets into the text.
type group struct {
	start, end int
}

// run is a maximal run of digit groups joined by single spaces or dashes.
type run struct {
	groups [maxGroups]group
	n      int             // groups recorded
	seps   [maxGroups]byte // seps[k] joins groups k and k+1
	masked bool            // contains or touches '*'
	cut    bool            // more groups follow: the run goes on after end
	end    int             // end of the last group recorded
	next   int             // when cut, where to read on: an overlap of a few groups
}

func (g group) len() int { return g.end - g.start }

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

// parse reads the run of digit groups starting at the digit s[start]. A
// run of more than maxGroups groups is cut after maxGroups; the next read
// starts a few groups back, so that every number of up to five groups lies
// whole in one of the pieces.
func (r *run) parse(s string, start int) {
	r.n, r.masked, r.cut = 0, false, false
	if start > 0 {
		p := s[start-1]
		if p == '*' || ((p == ' ' || p == '-') && start > 1 && s[start-2] == '*') {
			r.masked = true
		}
	}
	j := start
	for {
		gs := j
		for j < len(s) && (isDigit(s[j]) || s[j] == '*') {
			if s[j] == '*' {
				r.masked = true
			}
			j++
		}
		r.groups[r.n] = group{gs, j}
		r.n++
		if j+1 < len(s) && (s[j] == ' ' || s[j] == '-') && (isDigit(s[j+1]) || s[j+1] == '*') {
			if r.n == maxGroups {
				r.cut, r.next = true, r.groups[maxGroups-5].start
				break
			}
			r.seps[r.n-1] = s[j]
			j++
			continue
		}
		break
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
	first, last := r.groups[0], r.groups[r.n-1]
	left, right := startOK(s, first.start), r.cut || endOK(s, last.end)
	if r.n == 1 {
		if !left || !right {
			return
		}
		d := first.len()
		if d > 19 {
			return
		}
		switch ctx := contextBefore(s, first.start); {
		case ctx == ctxSSN && d == 9 && validSSN(s[first.start:first.end]):
			report(first.start, first.end, FindingKindSSN)
		case ctx == ctxRouting && d == 9 && validABA(s[first.start:first.end]):
			report(first.start, first.end, FindingKindRoutingNumber)
		case ctx == ctxAccount && d <= 17:
			report(first.start, first.end, FindingKindBankAccount)
		case d >= 13 && validCard(s, first.start, first.end):
			report(first.start, first.end, FindingKindCard)
		}
		return
	}
	// Several groups: Social Security numbers and card numbers, left to
	// right; a card number may sit inside a longer run (followed by its
	// security code), the longest valid one starting at a group wins.
	for a := 0; a < r.n; a++ {
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

// ssnAt reports whether groups a to a+2 are a valid Social Security number
// written 123-45-6789, or 123 45 6789 when they are the whole run. Inside a
// longer run the number must be dashed and set off by spaces.
func (r *run) ssnAt(s string, a int, left, right bool) bool {
	b := a + 2
	if b >= r.n || r.groups[a].len() != 3 || r.groups[a+1].len() != 2 || r.groups[b].len() != 4 || r.seps[a] != r.seps[a+1] {
		return false
	}
	if r.n > 3 && (r.seps[a] != '-' || (a > 0 && r.seps[a-1] != ' ') || (b < r.n-1 && r.seps[b] != ' ')) {
		return false
	}
	if (a == 0 && !left) || (b == r.n-1 && !right) {
		return false
	}
	g0, g1, g2 := r.groups[a], r.groups[a+1], r.groups[b]
	return ssnParts(number(s, g0.start, g0.end), number(s, g1.start, g1.end), number(s, g2.start, g2.end))
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
		if total > 19 || !r.cardFormat(a, b) || (a == 0 && !left) || (b == r.n-1 && !right) {
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
		if r.seps[k] != r.seps[a] {
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

// startOK reports whether a number may start at s[start]: it does not
// continue a word, an international phone number, a price, an e-mail
// address, a decimal or an identifier.
func startOK(s string, start int) bool {
	if start == 0 {
		return true
	}
	p := s[start-1]
	if isWordByte(p) {
		return false
	}
	switch p {
	case '+', '$', '@', '/', '\\', '*', '%', '&':
		return false
	case '.', ',':
		return start < 2 || !isDigit(s[start-2])
	case '-':
		return start < 2 || !isWordByte(s[start-2])
	}
	return true
}

// endOK reports whether a number may end at s[end]: it is not followed by
// a word, an e-mail domain, a percent sign, or more digits after a
// decimal point, comma, slash or colon.
func endOK(s string, end int) bool {
	if end == len(s) {
		return true
	}
	q := s[end]
	if isWordByte(q) {
		return false
	}
	switch q {
	case '@', '%', '*':
		return false
	case '.', ',', '/', ':':
		return end+1 >= len(s) || !isDigit(s[end+1])
	case '-':
		return end+1 >= len(s) || !isWordByte(s[end+1])
	}
	return true
}

// ctxKind is the sort of number a keyword announces.
type ctxKind uint8

const (
	ctxNone ctxKind = iota
	ctxSSN
	ctxRouting
	ctxAccount
)

// contextBefore looks back from pos, over at most 64 bytes, for a keyword
// announcing the number at pos, with only connecting words and punctuation
// between.
func contextBefore(s string, pos int) ctxKind {
	lim := max(pos-64, 0)
	j := pos
	for range 6 {
		for j > lim && isContextPunct(s[j-1]) {
			j--
		}
		e := j
		for j > lim && classes[s[j-1]] == clsLetter {
			j--
		}
		if j == e || (j > 0 && isWordByte(s[j-1])) {
			return ctxNone
		}
		var low [12]byte
		if e-j > len(low) {
			return ctxNone
		}
		for k := j; k < e; k++ {
			low[k-j] = s[k] | 0x20
		}
		switch w := low[:e-j]; string(w) {
		case "ssn", "ssns", "social":
			return ctxSSN
		case "ss":
			if e < len(s) && s[e] == '#' {
				return ctxSSN
			}
			return ctxNone
		case "routing", "aba", "rtn":
			return ctxRouting
		case "account", "acct", "acc", "accnt", "acnt":
			return ctxAccount
		case "number", "numbers", "num", "nbr", "no", "is", "it", "s", "my", "our", "your", "his", "her", "the", "security", "sec":
		default:
			return ctxNone
		}
	}
	return ctxNone
}

func isContextPunct(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', ':', '#', '-', '=', '.', ',', '(', ')', '\'', '"':
		return true
	}
	return false
}

// validSSN reports whether nine digits are a Social Security number the
// SSA could have issued.
func validSSN(d string) bool {
	return ssnParts(number(d, 0, 3), number(d, 3, 5), number(d, 5, 9))
}

// ssnParts reports whether area, group and serial make a valid SSN.
func ssnParts(area, group, serial int) bool {
	return area != 0 && area != 666 && area < 900 && group != 0 && serial != 0
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
// skipped) are a card number: a payment network's first digit and the
// Luhn check.
func validCard(s string, start, end int) bool {
	if c := s[start]; c < '2' || c > '6' {
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
