package interaction

import (
	"fmt"
	"slices"
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/rapportcim/rapport/dealer"
)

// Length limits checked by Validate, in bytes.
const (
	// MaxBodyLen bounds the long texts: an interaction's body, a survey
	// comment, a review flag's note.
	MaxBodyLen = 1 << 20
	// MaxTextLen bounds every other text: subjects, reasons, template
	// names, references, attribute values.
	MaxTextLen = 4096
	// MaxKeyLen bounds the keys of ExternalRefs and Attributes.
	MaxKeyLen = 128
)

func checkTenant(errs []error, t dealer.Tenant) []error {
	if t == "" {
		return append(errs, invalid("tenant", ErrMissing))
	}
	if err := t.Validate(); err != nil {
		return append(errs, invalid("tenant", fmt.Errorf("%w: %w", ErrInvalid, err)))
	}
	return errs
}

func checkRooftop(errs []error, r dealer.Rooftop) []error {
	if err := r.Validate(); err != nil {
		return append(errs, invalid("rooftop", fmt.Errorf("%w: %w", ErrInvalid, err)))
	}
	return errs
}

// checkStaff checks an optional staff identifier.
func checkStaff(errs []error, field string, s dealer.Staff) []error {
	if err := s.Validate(); err != nil {
		return append(errs, invalid(field, fmt.Errorf("%w: %w", ErrInvalid, err)))
	}
	return errs
}

// checkTeam checks an optional team identifier.
func checkTeam(errs []error, field string, t dealer.Team) []error {
	if err := t.Validate(); err != nil {
		return append(errs, invalid(field, fmt.Errorf("%w: %w", ErrInvalid, err)))
	}
	return errs
}

// checkToken checks that an enum value is well-formed (it may be unknown to
// this version, or zero).
func checkToken(errs []error, field, tok string) []error {
	if !isToken(tok, maxTokenLen) {
		return append(errs, problem(field, ErrInvalid, "not a lower-case token of letters, digits, '_' and '-' of at most 32 bytes"))
	}
	return errs
}

// checkText checks a free text that may span lines: valid UTF-8 (so that it
// survives JSON) and at most max bytes.
func checkText(errs []error, field, s string, max int) []error {
	if len(s) > max {
		return append(errs, problem(field, ErrInvalid, "longer than "+strconv.Itoa(max)+" bytes"))
	}
	if !utf8.ValidString(s) {
		return append(errs, problem(field, ErrInvalid, "not valid UTF-8"))
	}
	return errs
}

// checkLine checks a one-line text: as checkText, and no control characters.
func checkLine(errs []error, field, s string, max int) []error {
	n := len(errs)
	if errs = checkText(errs, field, s, max); len(errs) > n {
		return errs
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return append(errs, problem(field, ErrInvalid, "contains control characters"))
		}
	}
	return errs
}

// checkOrder checks that later is not before earlier when both are set.
func checkOrder(errs []error, field string, earlier, later time.Time, earlierName string) []error {
	if !earlier.IsZero() && !later.IsZero() && later.Before(earlier) {
		return append(errs, problem(field, ErrInvalid, "before "+earlierName))
	}
	return errs
}

func checkRecord(errs []error, created, updated time.Time, rev int64) []error {
	errs = checkOrder(errs, "updated_at", created, updated, "created_at")
	if rev < 0 {
		errs = append(errs, problem("revision", ErrInvalid, "negative"))
	}
	return errs
}

// checkMap checks the keys and values of ExternalRefs or Attributes: keys
// are one word of at most MaxKeyLen bytes; values are texts of at most
// MaxTextLen bytes, and, when refs is set, non-empty single lines. Problems
// are reported in key order, so that Validate's result is deterministic.
func checkMap(errs []error, field string, m map[string]string, refs bool) []error {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for i, k := range keys {
		switch {
		case k == "":
			errs = append(errs, problem(field, ErrInvalid, "empty key"))
			continue
		case len(k) > MaxKeyLen || !utf8.ValidString(k) || hasSpaceOrControl(k):
			// The key may be outside input: name it by position, not by value.
			errs = append(errs, problem(field, ErrInvalid, "key "+strconv.Itoa(i+1)+" in sorted order is not a one-word key of at most "+strconv.Itoa(MaxKeyLen)+" bytes"))
			continue
		}
		v := m[k]
		switch {
		case !refs:
			errs = checkText(errs, field+"."+k, v, MaxTextLen)
		case v == "":
			errs = append(errs, problem(field+"."+k, ErrMissing, "empty value"))
		default:
			errs = checkLine(errs, field+"."+k, v, MaxTextLen)
		}
	}
	return errs
}

func hasSpaceOrControl(s string) bool {
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			return true
		}
	}
	return false
}
