package customer

import (
	"time"

	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/internal/idtext"
)

// ErasureID identifies an erasure record within a tenant; a UUID like
// [ID].
type ErasureID [16]byte

// IsZero reports whether id is the zero ID.
func (id ErasureID) IsZero() bool { return id == ErasureID{} }

// String returns the canonical text form.
func (id ErasureID) String() string { return idtext.String(id) }

// MarshalText implements encoding.TextMarshaler.
func (id ErasureID) MarshalText() ([]byte, error) { return []byte(id.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler; the error wraps
// [ErrInvalidID].
func (id *ErasureID) UnmarshalText(b []byte) error {
	v, err := ParseID(string(b))
	if err != nil {
		return err
	}
	*id = ErasureID(v)
	return nil
}

// Erased names one record an erasure rewrote or removed: its entity (as the
// storage change feed names it: "customer", "interaction", "consent",
// "household", "vehicle", "commitment", "conversation", "merge",
// "suggestion_decision") and ID in text form (a suggestion decision's ID is
// its key).
type Erased struct {
	Entity string `json:"entity"`
	ID     string `json:"id"`
}

// Erasure records the erasure of a person's personal data
// (rapport.Book.Erase): whose, on whose request, by whom, when, and which
// records were rewritten. It holds no personal data itself: the person's
// addresses appear only as their keyed hashes (Keys), the form under which
// their suppression facts were kept.
type Erasure struct {
	ID       ErasureID     `json:"id"`
	Tenant   dealer.Tenant `json:"tenant"`
	Customer ID            `json:"customer"`
	// OnRequestOf says whose request it was ("the customer, by email",
	// "counsel for the customer"); required.
	OnRequestOf string `json:"on_request_of"`
	// Keys are the keyed hashes of the erased addresses.
	Keys   []string     `json:"keys,omitempty"`
	Erased []Erased     `json:"erased,omitempty"`
	By     dealer.Staff `json:"by,omitempty"`
	At     time.Time    `json:"at"`
	Reason string       `json:"reason,omitempty"`
}
