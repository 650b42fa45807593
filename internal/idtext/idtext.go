// Package idtext holds the text form shared by every typed ID in rapport:
// a UUID (version 7 when rapport generates it) written as the canonical
// 36-character lower-case string, with the empty string meaning the zero ID.
package idtext

import (
	"errors"
	"fmt"

	"github.com/google/uuid"
)

// ErrSyntax is wrapped by every parse failure.
var ErrSyntax = errors.New("not a canonical UUID")

// String returns the canonical form of u, or "" for the zero UUID.
func String(u [16]byte) string {
	if u == ([16]byte{}) {
		return ""
	}
	return uuid.UUID(u).String()
}

// Parse parses s. The empty string gives the zero UUID. Only the 36-character
// hyphenated form is accepted (either case), so an ID has exactly one text
// form apart from letter case.
func Parse(s string) ([16]byte, error) {
	if s == "" {
		return [16]byte{}, nil
	}
	if len(s) != 36 {
		return [16]byte{}, fmt.Errorf("%w: length %d, want 36", ErrSyntax, len(s))
	}
	u, err := uuid.Parse(s)
	if err != nil {
		return [16]byte{}, fmt.Errorf("%w: %v", ErrSyntax, err)
	}
	return u, nil
}

// ParseBytes is Parse of the text in b, without copying it.
func ParseBytes(b []byte) ([16]byte, error) {
	if len(b) == 0 {
		return [16]byte{}, nil
	}
	if len(b) != 36 {
		return [16]byte{}, fmt.Errorf("%w: length %d, want 36", ErrSyntax, len(b))
	}
	u, err := uuid.ParseBytes(b)
	if err != nil {
		return [16]byte{}, fmt.Errorf("%w: %v", ErrSyntax, err)
	}
	return u, nil
}

// New returns a new version 7 (time-ordered) UUID read from the reader
// that google/uuid uses (crypto/rand). It fails only when that reader fails.
func New() ([16]byte, error) {
	u, err := uuid.NewV7()
	if err != nil {
		return [16]byte{}, err
	}
	return u, nil
}
