package consent

import (
	"github.com/rapportcim/rapport/internal/idtext"
)

// ID identifies a consent event within a tenant. It is a UUID (version 7, so
// time-ordered, when rapport generates it); the zero ID means "not assigned".
// Its text form is the canonical 36-character lower-case UUID string, and ""
// for the zero ID.
type ID [16]byte

// NewID returns a new time-ordered ID. It fails only if the system's source
// of randomness fails. A rapport.Book takes its ID generator as an option, so
// tests can make IDs deterministic.
func NewID() (ID, error) {
	u, err := idtext.New()
	return ID(u), err
}

// ParseID parses the text form of an ID. The error wraps [ErrInvalidID].
func ParseID(s string) (ID, error) {
	u, err := idtext.Parse(s)
	if err != nil {
		return ID{}, &ValidationError{Field: "id", Err: errInvalidID(err)}
	}
	return ID(u), nil
}

// IsZero reports whether id is the zero ID.
func (id ID) IsZero() bool { return id == ID{} }

// String returns the canonical text form.
func (id ID) String() string { return idtext.String(id) }

// MarshalText implements encoding.TextMarshaler.
func (id ID) MarshalText() ([]byte, error) { return []byte(id.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler; see [ParseID].
func (id *ID) UnmarshalText(b []byte) error {
	v, err := ParseID(string(b))
	if err != nil {
		return err
	}
	*id = v
	return nil
}
