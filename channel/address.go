package channel

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Scheme is the kind of identifier an [Address] holds: the part of its URN
// before the colon. Schemes persist as these lower-case strings.
type Scheme string

// The schemes rapport validates. An address with any other well-formed
// scheme ("telegram:…", written by a newer version) is kept as it is, with
// only generic checks.
const (
	SchemeTel       Scheme = "tel"       // a telephone number in E.164 form, optionally ";ext=…"
	SchemeMailto    Scheme = "mailto"    // a canonical email address
	SchemeWhatsApp  Scheme = "whatsapp"  // a WhatsApp account, by its E.164 number
	SchemeFacebook  Scheme = "facebook"  // a Messenger page-scoped user ID
	SchemeInstagram Scheme = "instagram" // an Instagram-scoped user ID
	SchemeWebChat   Scheme = "webchat"   // a web chat widget's visitor or session ID
)

// Known reports whether s is one of the schemes this version validates.
func (s Scheme) Known() bool {
	switch s {
	case SchemeTel, SchemeMailto, SchemeWhatsApp, SchemeFacebook, SchemeInstagram, SchemeWebChat:
		return true
	}
	return false
}

// maxPathLen bounds opaque identifiers (webchat sessions, social IDs).
const maxPathLen = 256

// Address is a normalized contact point in URN form: "tel:+12125550123",
// "mailto:jane.doe@example.com", "whatsapp:+12125550123",
// "facebook:4410009876", "webchat:3f1c…". Two Addresses are equal exactly when
// they reach the same contact point, so Address works as a map key and is how
// rapport matches an inbound message to a customer and keys consent.
//
// An Address is built only by [ParseAddress], [Phone.Address],
// [Email.Address] or [NewAddress]; its text form is the URN,
// and unmarshalling re-validates it. The zero Address means "none".
type Address struct {
	urn string
}

// ParseAddress parses the URN form of an address and normalizes it. The
// scheme is case-insensitive. For tel: and whatsapp: the path is parsed as
// an international phone number (so "tel:+1 (212) 555-0123" becomes
// "tel:+12125550123"); mailto: paths are parsed by [ParseEmail] (display
// names are dropped); facebook:, instagram: and webchat: paths are opaque IDs
// of at most 256 printable, non-space characters. A well-formed URN with a
// scheme this version does not know is kept with the same generic checks.
//
// Errors are *ValidationError values wrapping [ErrInvalidAddress] and, for
// phones and emails, also [ErrInvalidPhone] or [ErrInvalidEmail].
func ParseAddress(s string) (Address, error) {
	s = strings.TrimSpace(s)
	i := strings.IndexByte(s, ':')
	if i <= 0 {
		return Address{}, invalid("address", fmt.Errorf("%w: no scheme", ErrInvalidAddress))
	}
	return NewAddress(Scheme(s[:i]), s[i+1:])
}

// NewAddress builds an address from a scheme and a path, with the rules of
// [ParseAddress].
func NewAddress(scheme Scheme, path string) (Address, error) {
	scheme = Scheme(strings.ToLower(strings.TrimSpace(string(scheme))))
	if !isScheme(string(scheme)) {
		return Address{}, invalid("address", fmt.Errorf("%w: malformed scheme", ErrInvalidAddress))
	}
	switch scheme {
	case SchemeTel, SchemeWhatsApp:
		p, err := ParsePhone(path, "")
		if err != nil {
			return Address{}, invalid("address", fmt.Errorf("%w: %w", ErrInvalidAddress, cause(err)))
		}
		if scheme == SchemeWhatsApp {
			return Address{urn: "whatsapp:" + p.e164}, nil
		}
		return p.Address(), nil
	case SchemeMailto:
		e, err := ParseEmail(path)
		if err != nil {
			return Address{}, invalid("address", fmt.Errorf("%w: %w", ErrInvalidAddress, cause(err)))
		}
		return e.Address(), nil
	}
	path = strings.TrimSpace(path)
	if reason := checkOpaque(path); reason != "" {
		return Address{}, invalid("address", fmt.Errorf("%w: %s", ErrInvalidAddress, reason))
	}
	return Address{urn: string(scheme) + ":" + path}, nil
}

// cause returns the reason inside a *ValidationError, so that a nested
// error reads "invalid address: invalid phone number: too short" rather
// than repeating the package and field.
func cause(err error) error {
	if ve, ok := err.(*ValidationError); ok {
		return ve.Err
	}
	return err
}

// isScheme reports whether s is a URN scheme: a lower-case letter followed by
// at most 31 lower-case letters, digits, '+', '-' or '.'.
func isScheme(s string) bool {
	if s == "" || len(s) > 32 || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

func checkOpaque(path string) string {
	if path == "" {
		return "empty identifier"
	}
	if len(path) > maxPathLen {
		return "identifier longer than 256 bytes"
	}
	if !utf8.ValidString(path) {
		return "identifier is not valid UTF-8"
	}
	for _, r := range path {
		if unicode.IsSpace(r) || !unicode.IsPrint(r) {
			return "identifier contains space or control characters"
		}
	}
	return ""
}

// Address returns the tel: address of p, "tel:+12125550123" (with ";ext=45"
// when p has an extension). The zero Phone gives the zero Address.
func (p Phone) Address() Address {
	if p.e164 == "" {
		return Address{}
	}
	return Address{urn: "tel:" + p.String()}
}

// Address returns the mailto: address of e, "mailto:jane.doe@example.com",
// without its display name. The zero Email gives the zero Address. Like
// [Phone.Address], it is how an Email becomes a contact point.
func (e Email) Address() Address {
	if e.addr == "" {
		return Address{}
	}
	return Address{urn: "mailto:" + e.addr}
}

// IsZero reports whether a is the zero Address.
func (a Address) IsZero() bool { return a.urn == "" }

// String returns the URN, or "" for the zero Address.
func (a Address) String() string { return a.urn }

// Scheme returns the scheme, or "" for the zero Address.
func (a Address) Scheme() Scheme {
	i := strings.IndexByte(a.urn, ':')
	if i < 0 {
		return ""
	}
	return Scheme(a.urn[:i])
}

// Path returns the part after the scheme: "+12125550123",
// "jane.doe@example.com", a session ID.
func (a Address) Path() string {
	i := strings.IndexByte(a.urn, ':')
	if i < 0 {
		return ""
	}
	return a.urn[i+1:]
}

// Phone returns the phone number of a tel: or whatsapp: address.
func (a Address) Phone() (Phone, bool) {
	switch a.Scheme() {
	case SchemeTel, SchemeWhatsApp:
		p, err := ParsePhone(a.Path(), "")
		return p, err == nil
	}
	return Phone{}, false
}

// Email returns the email address of a mailto: address.
func (a Address) Email() (Email, bool) {
	if a.Scheme() != SchemeMailto {
		return Email{}, false
	}
	// A mailto: Address holds a canonical address: no need to re-parse.
	return Email{addr: a.Path()}, true
}

// Line returns a without a telephone extension: the line that consent,
// suppression and inbound matching are keyed on (a STOP from a switchboard
// number covers every extension behind it). Other addresses are returned
// unchanged.
func (a Address) Line() Address {
	if a.Scheme() == SchemeTel {
		if i := strings.Index(a.urn, ";ext="); i > 0 {
			return Address{urn: a.urn[:i]}
		}
	}
	return a
}

// Supports reports whether contact of kind k can be made through a. A tel:
// address supports SMS, voice and video calls; mailto: supports email;
// whatsapp:, facebook:, instagram: and webchat: support their own kind. An
// address whose scheme this version does not know supports nothing.
func (a Address) Supports(k Kind) bool {
	switch a.Scheme() {
	case SchemeTel:
		return k == KindSMS || k == KindVoice || k == KindVideo
	case SchemeMailto:
		return k == KindEmail
	case SchemeWhatsApp:
		return k == KindWhatsApp
	case SchemeFacebook:
		return k == KindFacebook
	case SchemeInstagram:
		return k == KindInstagram
	case SchemeWebChat:
		return k == KindWebChat
	}
	return false
}

// MarshalText implements encoding.TextMarshaler with the URN.
func (a Address) MarshalText() ([]byte, error) { return []byte(a.urn), nil }

// UnmarshalText implements encoding.TextUnmarshaler. Empty text gives the
// zero Address. A tel: or whatsapp: address already in the canonical form
// MarshalText writes ("tel:+12125550123", "tel:+12125550123;ext=45") is
// taken by its form alone — '+', a first digit 1–9 and at most 15 digits in
// all, an extension of digits — without consulting the numbering-plan
// metadata: a stored record stays readable when a newer metadata version
// drops the number's range, and reading a record never depends on the
// metadata the program was built with. Any other text is parsed and
// validated by [ParseAddress]. To validate input against the current
// metadata, parse it with [ParseAddress] or [ParsePhone].
func (a *Address) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*a = Address{}
		return nil
	}
	if canonicalPhoneURN(b) {
		*a = Address{urn: string(b)}
		return nil
	}
	v, err := ParseAddress(string(b))
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// canonicalPhoneURN reports whether b is a tel: or whatsapp: URN in the
// form this package writes: "+" and 2 to 15 digits, the first not 0, and
// for tel: an optional ";ext=" with 1 to 20 digits.
func canonicalPhoneURN(b []byte) bool {
	var rest []byte
	tel := false
	switch {
	case len(b) > 4 && string(b[:4]) == "tel:":
		rest, tel = b[4:], true
	case len(b) > 9 && string(b[:9]) == "whatsapp:":
		rest = b[9:]
	default:
		return false
	}
	if len(rest) < 3 || rest[0] != '+' || rest[1] < '1' || rest[1] > '9' {
		return false
	}
	i := 1
	for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
		i++
	}
	if digits := i - 1; digits < 2 || digits > 15 {
		return false
	}
	if i == len(rest) {
		return true
	}
	const ext = ";ext="
	if !tel || len(rest)-i <= len(ext) || string(rest[i:i+len(ext)]) != ext {
		return false
	}
	e := rest[i+len(ext):]
	if len(e) > 20 {
		return false
	}
	for _, c := range e {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
