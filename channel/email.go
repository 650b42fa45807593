package channel

import (
	"fmt"
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"

	"github.com/rapportcim/rapport/internal/textnorm"
)

// Email is a validated email address: the canonical address (NFC,
// lower-cased, an internationalized domain in its Unicode form) and, kept
// apart, the display name it was written with. Two
// Emails are equal when address and name are; compare [Email.Address] (or
// [Email.AddrSpec]) to ask whether they reach the same mailbox.
//
// An Email is built only by [ParseEmail] (or by unmarshalling, which calls
// it). The zero Email means "no address".
type Email struct {
	addr string // "jane.doe@example.com"
	name string // "Jane Doe", or ""
}

// Limits from RFC 5321 §4.5.3.1.
const (
	maxLocalLen  = 64
	maxDomainLen = 253
	maxLabelLen  = 63
)

// ParseEmail normalizes an email address as people write it: a bare address
// ("Jane.Doe@Example.COM") or one with a display name
// ("Jane Doe <Jane.Doe@Example.COM>", `"Doe, Jane" <jane@example.com>`).
// Surrounding white space is trimmed, the text is put in Unicode NFC, and
// the canonical address is lower-cased (local part included: no dealership
// system treats Jane.Doe and jane.doe as two people). The display name is kept
// apart, trimmed, in NFC and with its case.
//
// The local part must be an RFC 5322 dot-atom (quoted local parts are
// refused: no customer has one, and every one seen in practice is a typo);
// letters outside ASCII are allowed (RFC 6531). The domain must have at least
// two labels of letters, digits and hyphens. Malformed input gives a
// *ValidationError with Field "email" wrapping [ErrInvalidEmail], saying
// why but never repeating the input.
//
// Internationalized domains are one address however they are written:
// "jane@bücher.de", "jane@BÜCHER.de" and "jane@xn--bcher-kva.de" all give
// "jane@bücher.de". A domain with a character outside ASCII or a label
// starting "xn--" goes through IDNA (UTS #46 lookup mapping, non-transitional,
// with the IDNA2008 validity, bidi and DNS length rules, as
// golang.org/x/net/idna implements them), and the canonical form keeps its
// Unicode labels (U-labels), lower-cased and in NFC: what the customer typed
// and reads, what earlier versions stored for Unicode domains, and the same
// bytes whether the address came from a web form or from a mail header's
// A-labels. [Email.ASCIIDomain] gives the A-label form a mail server without
// SMTPUTF8 needs. ASCII domains without "xn--" labels are kept as they are
// (lower-cased), with the checks above.
//
// ParseEmail allocates nothing beyond its result for input that is already a
// canonical bare address with an ASCII domain, and is safe for concurrent
// use.
func ParseEmail(raw string) (Email, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return Email{}, invalid("email", fmt.Errorf("%w: empty", ErrInvalidEmail))
	}
	if len(s) > 1024 {
		return Email{}, invalid("email", fmt.Errorf("%w: longer than 1024 bytes", ErrInvalidEmail))
	}
	if !utf8.ValidString(s) {
		return Email{}, invalid("email", fmt.Errorf("%w: not valid UTF-8", ErrInvalidEmail))
	}
	var name, addr string
	if isBareAddress(s) {
		addr = s
	} else {
		a, err := mail.ParseAddress(textnorm.NFC(s))
		if err != nil {
			return Email{}, invalid("email", fmt.Errorf("%w: %s", ErrInvalidEmail, mailReason(s)))
		}
		name, addr = textnorm.Display(a.Name), a.Address
	}
	if !textnorm.IsASCII(addr) {
		addr = textnorm.NFC(addr)
	}
	addr = strings.ToLower(addr)
	idn := false
	if at := strings.LastIndexByte(addr, '@'); at >= 0 && isIDN(addr[at+1:]) {
		domain, err := unicodeDomain(addr[at+1:])
		if err != nil {
			return Email{}, invalid("email", fmt.Errorf("%w: domain is not a valid internationalized domain name", ErrInvalidEmail))
		}
		addr, idn = addr[:at+1]+domain, true
	}
	if reason := checkAddrSpec(addr, idn); reason != "" {
		return Email{}, invalid("email", fmt.Errorf("%w: %s", ErrInvalidEmail, reason))
	}
	return Email{addr: addr, name: name}, nil
}

// idnaProfile is the IDNA profile for email domains: UTS #46 mapping for
// lookup (case, width and compatibility variants mapped, non-transitional:
// "ß" stays), IDNA2008 validity with the bidi and joiner rules, and DNS
// lengths checked on the A-label form. A Profile is immutable and safe for
// concurrent use.
var idnaProfile = idna.New(idna.MapForLookup(), idna.BidiRule(), idna.VerifyDNSLength(true), idna.Transitional(false))

// isIDN reports whether a lower-cased domain needs IDNA processing: it has a
// character outside ASCII or an A-label ("xn--…").
func isIDN(domain string) bool {
	for i := 0; i < len(domain); i++ {
		switch c := domain[i]; {
		case c >= utf8.RuneSelf:
			return true
		case c == 'x' && (i == 0 || domain[i-1] == '.') && strings.HasPrefix(domain[i:], "xn--"):
			return true
		}
	}
	return false
}

// unicodeDomain returns the canonical Unicode form of an internationalized
// domain, validated on its A-label form.
func unicodeDomain(domain string) (string, error) {
	ascii, err := idnaProfile.ToASCII(domain)
	if err != nil {
		return "", err
	}
	u, err := idnaProfile.ToUnicode(ascii)
	if err != nil {
		return "", err
	}
	return textnorm.NFC(u), nil
}

// isBareAddress reports whether s can be checked as a bare addr-spec, without
// the mail parser: no display name, brackets, quotes, comments or spaces.
func isBareAddress(s string) bool {
	return !strings.ContainsAny(s, "<>\"() \t,;:\\[]")
}

func mailReason(s string) string {
	switch {
	case !strings.Contains(s, "@"):
		return "no @"
	case strings.Count(s, "<") != strings.Count(s, ">"):
		return "unbalanced angle brackets"
	case strings.Contains(s, ","):
		return "more than one address"
	default:
		return "malformed address"
	}
}

// checkAddrSpec validates a lower-cased addr-spec and returns why it is not
// acceptable, or "". When idn is set the domain has been validated by IDNA
// already (its lengths on the A-label form): only its label count is
// checked.
func checkAddrSpec(a string, idn bool) string {
	at := strings.LastIndexByte(a, '@')
	if at < 0 {
		return "no @"
	}
	local, domain := a[:at], a[at+1:]
	switch {
	case local == "":
		return "empty local part"
	case len(local) > maxLocalLen:
		return "local part longer than 64 bytes"
	case domain == "":
		return "empty domain"
	case len(domain) > maxDomainLen && !idn:
		return "domain longer than 253 bytes"
	}
	if local[0] == '.' || local[len(local)-1] == '.' || strings.Contains(local, "..") {
		return "misplaced dot in local part"
	}
	for _, r := range local {
		if !isAtext(r) && r != '.' {
			return "character not allowed in local part"
		}
	}
	labels := 0
	for label := range strings.SplitSeq(domain, ".") {
		labels++
		if label == "" {
			return "empty domain label"
		}
		if idn {
			continue
		}
		if len(label) > maxLabelLen {
			return "domain label longer than 63 bytes"
		}
		if label[0] == '-' || label[len(label)-1] == '-' {
			return "domain label starts or ends with a hyphen"
		}
		for _, r := range label {
			if !(r == '-' || 'a' <= r && r <= 'z' || '0' <= r && r <= '9' ||
				r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r))) {
				return "character not allowed in domain"
			}
		}
	}
	if labels < 2 {
		return "domain has no top-level part"
	}
	return ""
}

// isAtext reports whether r may appear in an RFC 5322 atom (RFC 6531 adds
// every non-ASCII letter).
func isAtext(r rune) bool {
	switch {
	case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9':
		return true
	case r >= utf8.RuneSelf:
		return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
	}
	return strings.ContainsRune("!#$%&'*+-/=?^_`{|}~", r)
}

// IsZero reports whether e is the zero Email.
func (e Email) IsZero() bool { return e.addr == "" }

// AddrSpec returns the canonical address without display name or scheme,
// "jane.doe@example.com" (an RFC 5322 addr-spec): the path of
// [Email.Address].
func (e Email) AddrSpec() string { return e.addr }

// Name returns the display name the address was written with, or "".
func (e Email) Name() string { return e.name }

// Domain returns the part after the '@'.
func (e Email) Domain() string {
	return e.addr[strings.LastIndexByte(e.addr, '@')+1:]
}

// ASCIIDomain returns the domain in its ASCII form, each internationalized
// label as an A-label: "xn--bcher-kva.de" for "jane@bücher.de", the domain
// unchanged when it is ASCII. It is what a mail server without SMTPUTF8
// support needs; the zero Email gives "".
func (e Email) ASCIIDomain() string {
	d := e.Domain()
	if textnorm.IsASCII(d) {
		return d
	}
	a, err := idnaProfile.ToASCII(d)
	if err != nil {
		return d // not reached: ParseEmail validated the domain
	}
	return a
}

// WithoutName returns e without its display name.
func (e Email) WithoutName() Email { return Email{addr: e.addr} }

// MatchKey returns a key for suggesting that two addresses may belong to the
// same person: the canonical address with any "+tag" removed from the local
// part, and, for Gmail (gmail.com, googlemail.com), dots removed and the
// domain written gmail.com. "Jane.Doe+cars@gmail.com" and
// "janedoe@googlemail.com" share a key.
//
// A match key is never an identity: two addresses with one key may still be
// two mailboxes, so rapport uses it only to propose duplicates for review.
func (e Email) MatchKey() string {
	if e.addr == "" {
		return ""
	}
	at := strings.LastIndexByte(e.addr, '@')
	local, domain := e.addr[:at], e.addr[at+1:]
	if i := strings.IndexByte(local, '+'); i > 0 {
		local = local[:i]
	}
	if domain == "gmail.com" || domain == "googlemail.com" {
		local = strings.ReplaceAll(local, ".", "")
		domain = "gmail.com"
	}
	return local + "@" + domain
}

// String returns the address with its display name when there is one, the
// name as an RFC 5322 quoted string (`"Jane Doe" <jane.doe@example.com>`),
// else the bare address. ParseEmail reads it back to an equal Email.
func (e Email) String() string {
	if e.name == "" {
		return e.addr
	}
	return quoteName(e.name) + " <" + e.addr + ">"
}

// MarshalText implements encoding.TextMarshaler with the [Email.String] form.
func (e Email) MarshalText() ([]byte, error) { return []byte(e.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler with [ParseEmail], so the
// text is re-validated. Empty text gives the zero Email.
func (e *Email) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*e = Email{}
		return nil
	}
	v, err := ParseEmail(string(b))
	if err != nil {
		return err
	}
	*e = v
	return nil
}

// quoteName writes a display name as an RFC 5322 quoted-string.
func quoteName(name string) string {
	var b strings.Builder
	b.Grow(len(name) + 2)
	b.WriteByte('"')
	for i := 0; i < len(name); i++ {
		if name[i] == '"' || name[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(name[i])
	}
	b.WriteByte('"')
	return b.String()
}
