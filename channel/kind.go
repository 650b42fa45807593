package channel

import (
	"strings"
)

// Kind is a channel of contact. The zero Kind means unknown.
//
// Kinds persist as the stable lower-case strings below. A Kind read from
// storage or JSON that this version does not know (written by a newer
// version) is kept as it is, so it survives a read-modify-write; [Kind.Known]
// tells the two apart.
type Kind string

// The kinds rapport knows. The strings are stable: they are stored.
const (
	KindUnknown   Kind = ""
	KindSMS       Kind = "sms" // SMS and MMS text messages
	KindVoice     Kind = "voice"
	KindEmail     Kind = "email"
	KindWebChat   Kind = "webchat"
	KindWhatsApp  Kind = "whatsapp"
	KindFacebook  Kind = "facebook" // Facebook Messenger
	KindInstagram Kind = "instagram"
	KindInPerson  Kind = "in_person"
	KindVideo     Kind = "video"
	KindPost      Kind = "post" // postal mail
	// KindWebForm is a form on a website (the dealer's own site, a lead
	// provider's, a manufacturer's): a lead, a quote or a test-drive
	// request. It only ever reaches the dealership; nobody is contacted
	// through it, so no address supports it ([Address.Supports]).
	KindWebForm Kind = "web_form"
)

var knownKinds = [...]Kind{KindSMS, KindVoice, KindEmail, KindWebChat, KindWhatsApp, KindFacebook, KindInstagram, KindInPerson, KindVideo, KindPost, KindWebForm}

// Kinds returns every Kind this version knows, in a stable order.
func Kinds() []Kind { return append([]Kind(nil), knownKinds[:]...) }

// Known reports whether k is one of the kinds this version of rapport knows.
// The zero Kind is not known.
func (k Kind) Known() bool {
	for _, c := range knownKinds {
		if k == c {
			return true
		}
	}
	return false
}

// String returns the stored form of k ("" for unknown).
func (k Kind) String() string { return string(k) }

// ParseKind reads a kind from text, ignoring surrounding space and case.
// The empty string gives [KindUnknown]. A well-formed kind this version does not
// know is returned as it is, with no error (see [Kind.Known]); an error
// wrapping [ErrInvalidKind] is returned only for text that cannot be a kind
// (anything but lower-case ASCII letters, digits and underscores, or more
// than 32 bytes).
func ParseKind(s string) (Kind, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if !isToken(s, 32) {
		return KindUnknown, invalid("kind", ErrInvalidKind)
	}
	return Kind(s), nil
}

// UnmarshalText implements encoding.TextUnmarshaler with [ParseKind].
func (k *Kind) UnmarshalText(b []byte) error {
	v, err := ParseKind(string(b))
	if err != nil {
		return err
	}
	*k = v
	return nil
}

// isToken reports whether s is empty or a stored enum token: lower-case
// ASCII letters, digits, '_' and '-', at most max bytes.
func isToken(s string, max int) bool {
	if len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}
