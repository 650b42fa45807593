package household

import (
	"cmp"
	"fmt"
	"slices"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/rapportcim/rapport/dealer"
)

// activeAt reports whether the half-open span [from, to) contains t; a zero
// from is unbounded below and a zero to unbounded above.
func activeAt(from, to, t time.Time) bool {
	return (from.IsZero() || !t.Before(from)) && (to.IsZero() || t.Before(to))
}

// span is the effective span of the entry at index idx of a list.
type span struct {
	from, to time.Time
	idx      int
}

// overlap says that entry idx is in effect at the same time as entry other.
type overlap struct{ idx, other int }

// overlaps reports each span that overlaps an earlier-starting one, naming
// the earlier span that reaches furthest. Each span is reported at most
// once. It sorts spans in place and runs in O(n log n).
func overlaps(spans []span) []overlap {
	if len(spans) < 2 {
		return nil
	}
	slices.SortFunc(spans, func(a, b span) int {
		// A zero from is -infinity.
		switch {
		case a.from.IsZero() && !b.from.IsZero():
			return -1
		case !a.from.IsZero() && b.from.IsZero():
			return 1
		}
		if c := a.from.Compare(b.from); c != 0 {
			return c
		}
		return cmp.Compare(a.idx, b.idx)
	})
	var out []overlap
	reach := spans[0] // the span seen so far whose end is latest
	for _, s := range spans[1:] {
		// s starts before reach ends (s.from is never before the starts
		// seen so far, so this is the overlap test).
		if reach.to.IsZero() || s.from.IsZero() || s.from.Before(reach.to) {
			out = append(out, overlap{idx: s.idx, other: reach.idx})
		}
		if !reach.to.IsZero() && (s.to.IsZero() || s.to.After(reach.to)) {
			reach = s
		}
	}
	return out
}

func sortOverlaps(o []overlap) {
	slices.SortFunc(o, func(a, b overlap) int { return cmp.Compare(a.idx, b.idx) })
}

// checkSpan checks that to is after from when both are set, and reports
// whether the span is usable.
func checkSpan(errs []error, field string, from, to time.Time) ([]error, bool) {
	if !from.IsZero() && !to.IsZero() && !to.After(from) {
		return append(errs, problem(field+".to", ErrInvalid, "not after from")), false
	}
	return errs, true
}

func checkTenant(errs []error, t dealer.Tenant) []error {
	if t == "" {
		return append(errs, invalid("tenant", ErrMissing))
	}
	if err := t.Validate(); err != nil {
		return append(errs, invalid("tenant", fmt.Errorf("%w: %w", ErrInvalid, err)))
	}
	return errs
}

func checkToken(errs []error, field, tok string) []error {
	if !isToken(tok, maxTokenLen) {
		return append(errs, problem(field, ErrInvalid, "not a lower-case token of letters, digits, '_' and '-'"))
	}
	return errs
}

// checkLine checks a one-line text field: valid UTF-8 (so that it survives
// JSON) with no control characters.
func checkLine(errs []error, field, s string) []error {
	if !utf8.ValidString(s) {
		return append(errs, problem(field, ErrInvalid, "not valid UTF-8"))
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return append(errs, problem(field, ErrInvalid, "contains control characters"))
		}
	}
	return errs
}

func checkRecord(errs []error, created, updated time.Time, rev int64) []error {
	if !created.IsZero() && !updated.IsZero() && updated.Before(created) {
		errs = append(errs, problem("updated_at", ErrInvalid, "before created_at"))
	}
	if rev < 0 {
		errs = append(errs, problem("revision", ErrInvalid, "negative"))
	}
	return errs
}

func checkAttributes(errs []error, attrs map[string]string) []error {
	keys := make([]string, 0, len(attrs))
	for k := range attrs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		switch {
		case k == "":
			errs = append(errs, problem("attributes", ErrInvalid, "empty key"))
		case !utf8.ValidString(k):
			errs = append(errs, problem("attributes", ErrInvalid, "key is not valid UTF-8"))
		case !utf8.ValidString(attrs[k]):
			errs = append(errs, problem("attributes."+k, ErrInvalid, "not valid UTF-8"))
		}
	}
	return errs
}
