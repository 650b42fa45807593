package interaction

import (
	"github.com/rapportcim/rapport/internal/idtext"
)

// ID identifies an interaction within a tenant. It is a UUID (version 7, so
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

// ConversationID identifies a conversation within a tenant. It is a UUID
// (version 7, so time-ordered, when rapport generates it); the zero
// ConversationID means "not assigned" (or, on an interaction, "in no
// conversation"). Its text form is the canonical 36-character lower-case
// UUID string, and "" for the zero ConversationID.
type ConversationID [16]byte

// NewConversationID returns a new time-ordered ConversationID. It fails only
// if the system's source of randomness fails.
func NewConversationID() (ConversationID, error) {
	u, err := idtext.New()
	return ConversationID(u), err
}

// ParseConversationID parses the text form of a ConversationID. The error
// wraps [ErrInvalidID].
func ParseConversationID(s string) (ConversationID, error) {
	u, err := idtext.Parse(s)
	if err != nil {
		return ConversationID{}, &ValidationError{Field: "conversation_id", Err: errInvalidID(err)}
	}
	return ConversationID(u), nil
}

// IsZero reports whether id is the zero ConversationID.
func (id ConversationID) IsZero() bool { return id == ConversationID{} }

// String returns the canonical text form.
func (id ConversationID) String() string { return idtext.String(id) }

// MarshalText implements encoding.TextMarshaler.
func (id ConversationID) MarshalText() ([]byte, error) { return []byte(id.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler; see
// [ParseConversationID].
func (id *ConversationID) UnmarshalText(b []byte) error {
	v, err := ParseConversationID(string(b))
	if err != nil {
		return err
	}
	*id = v
	return nil
}

// CommitmentID identifies a commitment within a tenant. It is a UUID
// (version 7, so time-ordered, when rapport generates it); the zero
// CommitmentID means "not assigned". Its text form is the canonical
// 36-character lower-case UUID string, and "" for the zero CommitmentID.
type CommitmentID [16]byte

// NewCommitmentID returns a new time-ordered CommitmentID. It fails only if
// the system's source of randomness fails.
func NewCommitmentID() (CommitmentID, error) {
	u, err := idtext.New()
	return CommitmentID(u), err
}

// ParseCommitmentID parses the text form of a CommitmentID. The error wraps
// [ErrInvalidID].
func ParseCommitmentID(s string) (CommitmentID, error) {
	u, err := idtext.Parse(s)
	if err != nil {
		return CommitmentID{}, &ValidationError{Field: "commitment_id", Err: errInvalidID(err)}
	}
	return CommitmentID(u), nil
}

// IsZero reports whether id is the zero CommitmentID.
func (id CommitmentID) IsZero() bool { return id == CommitmentID{} }

// String returns the canonical text form.
func (id CommitmentID) String() string { return idtext.String(id) }

// MarshalText implements encoding.TextMarshaler.
func (id CommitmentID) MarshalText() ([]byte, error) { return []byte(id.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler; see
// [ParseCommitmentID].
func (id *CommitmentID) UnmarshalText(b []byte) error {
	v, err := ParseCommitmentID(string(b))
	if err != nil {
		return err
	}
	*id = v
	return nil
}
