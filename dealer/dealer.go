// Package dealer names the dealership side of every record: the tenant that
// owns the data, the rooftops (dealership locations) inside it, and its staff
// and teams.
//
// A [Tenant] is the data owner: a dealer group, or a vendor's account for one.
// Every record in rapport belongs to exactly one tenant, and a rapport.Book is
// bound to one tenant when it is constructed. A [Rooftop] is one dealership
// location inside a tenant; interactions, conversations and consent name the
// rooftop they concern, because a customer's consent to texts from one store
// is not consent to texts from its sister store.
//
// Both are opaque identifiers chosen by the integrator (a DMS dealer number, a
// CRM account ID, a UUID). rapport never interprets them beyond [Tenant.Validate]
// and [Rooftop.Validate]. The zero value of each means "not named".
package dealer

import (
	"errors"
	"fmt"
	"unicode"
	"unicode/utf8"
)

// MaxIDLen is the longest tenant or rooftop identifier accepted, in bytes.
const MaxIDLen = 128

// Errors wrapped by Validate. Match them with errors.Is.
var (
	ErrEmpty   = errors.New("empty identifier")
	ErrInvalid = errors.New("invalid identifier")
)

// Tenant identifies the owner of a set of records.
type Tenant string

// Rooftop identifies one dealership location inside a tenant. The zero
// Rooftop means "every rooftop of the tenant" where a record allows that
// (a consent event that names no rooftop applies to all of them).
type Rooftop string

// Staff identifies a member of the dealership's staff (a salesperson, BDC
// agent, manager, service advisor, F&I manager) or an automated handler (a
// bot), as the integrator's user directory names them. The zero Staff means
// "nobody" (unassigned, or not recorded).
type Staff string

// Team identifies a group of staff that can own work together ("bdc",
// "sales-floor", "service"). The zero Team means "no team".
type Team string

// Validate reports whether s is a usable staff identifier; the zero Staff is
// valid, otherwise the rules of [Tenant.Validate] apply.
func (s Staff) Validate() error { return validateID("staff", string(s), false) }

// Validate reports whether t is a usable team identifier; the zero Team is
// valid, otherwise the rules of [Tenant.Validate] apply.
func (t Team) Validate() error { return validateID("team", string(t), false) }

// Validate reports whether t is a usable tenant identifier: non-empty, at
// most MaxIDLen bytes of valid UTF-8 with no control or space characters.
func (t Tenant) Validate() error { return validateID("tenant", string(t), true) }

// Validate reports whether r is a usable rooftop identifier. The zero
// Rooftop is valid (it means "not named"); otherwise the rules of
// [Tenant.Validate] apply.
func (r Rooftop) Validate() error { return validateID("rooftop", string(r), false) }

func validateID(kind, s string, required bool) error {
	if s == "" {
		if required {
			return fmt.Errorf("dealer: %s: %w", kind, ErrEmpty)
		}
		return nil
	}
	if len(s) > MaxIDLen {
		return fmt.Errorf("dealer: %s: %w: longer than %d bytes", kind, ErrInvalid, MaxIDLen)
	}
	if !utf8.ValidString(s) {
		return fmt.Errorf("dealer: %s: %w: not valid UTF-8", kind, ErrInvalid)
	}
	for _, r := range s {
		if unicode.IsControl(r) || unicode.IsSpace(r) {
			return fmt.Errorf("dealer: %s: %w: contains space or control characters", kind, ErrInvalid)
		}
	}
	return nil
}
