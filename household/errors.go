package household

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/rapportcim/rapport/internal/textcheck"
)

// Errors wrapped by Validate and the parsers of this package. Match them with
// errors.Is. The messages around them say what is wrong and where, but never
// repeat a VIN, a name or an address, so errors can be logged as they are.
var (
	ErrInvalidID = errors.New("invalid id")
	ErrMissing   = errors.New("required value missing")
	ErrInvalid   = errors.New("invalid value")
	// ErrInvalidText: a string is not valid UTF-8 or contains NUL, so it
	// could not be stored and read back unchanged on every backend. It is
	// wrapped together with ErrInvalid, or with the sentinel of the field's
	// own check when that check failed too.
	ErrInvalidText = errors.New("text is not valid UTF-8 or contains NUL")
	ErrDuplicate   = errors.New("duplicate value")
	ErrTooMany     = errors.New("too many values")
	ErrMismatch    = errors.New("values disagree")

	// ErrInvalidVIN is wrapped by every VIN parse failure, whatever its
	// reason. The four errors below it name the reason; each of them wraps
	// ErrInvalidVIN, so errors.Is(err, ErrInvalidVIN) holds for all of them.
	ErrInvalidVIN = errors.New("invalid VIN")

	// ErrVINLength: the identifier is too short or too long.
	ErrVINLength = fmt.Errorf("%w: wrong length", ErrInvalidVIN)
	// ErrVINCharacter: a character that no VIN uses (I, O, Q, punctuation,
	// space, non-ASCII).
	ErrVINCharacter = fmt.Errorf("%w: character not allowed", ErrInvalidVIN)
	// ErrVINCheckDigit: position 9 is not the check digit computed from the
	// other sixteen characters (49 CFR 565.15(c)).
	ErrVINCheckDigit = fmt.Errorf("%w: check digit mismatch", ErrInvalidVIN)
	// ErrVINYearCode: position 10 is not a model-year code (U, Z and 0 never
	// are).
	ErrVINYearCode = fmt.Errorf("%w: not a model-year code", ErrInvalidVIN)
)

// ValidationError reports one problem with one field. Field is a path into
// the value, such as "members[1].role" or "stakeholders[0].to"; Err wraps one
// of this package's sentinels (for a tenant or rooftop, also the dealer
// package's), so errors.Is and errors.As both see through it.
type ValidationError struct {
	Field string
	Err   error
}

func (e *ValidationError) Error() string { return "household: " + e.Field + ": " + e.Err.Error() }

func (e *ValidationError) Unwrap() error { return e.Err }

// FieldPath returns Field. With Unwrap, it gives ValidationError the shape
// rapport.FieldError describes, shared by every package's ValidationError,
// so that a form can map an error to its input without knowing the package.
func (e *ValidationError) FieldPath() string { return e.Field }

// VINError says why and where a VIN was refused. Every error from [ParseVIN]
// and [ParseVINLenient] is a *[ValidationError] with Field "vin" whose Err is
// a *VINError, so
//
//	var ve *household.VINError
//	if errors.As(err, &ve) { highlight(ve.Pos) }
//
// finds the position, and errors.Is(err, household.ErrVINCheckDigit) (or
// any of the other reasons, or [ErrInvalidVIN]) tells what went wrong.
type VINError struct {
	// Pos is the 1-based position of the offending character in the input
	// after surrounding white space is trimmed, counted in characters; 0 when
	// the problem is the length.
	Pos int
	// Err is ErrVINLength, ErrVINCharacter, ErrVINCheckDigit or
	// ErrVINYearCode.
	Err error
	// Detail says what is wrong in words, such as "letter I is never used in
	// a VIN" or "check digit is 4, want 6". It never repeats the VIN.
	Detail string
}

// Error returns "invalid VIN: position <Pos>: <Detail>", without the
// position part when Pos is 0.
func (e *VINError) Error() string {
	s0 := ErrInvalidVIN.Error()
	s := s0
	if e.Pos > 0 {
		s += ": position " + strconv.Itoa(e.Pos)
	}
	detail := e.Detail
	if detail == "" && e.Err != nil {
		detail = strings.TrimPrefix(e.Err.Error(), s0+": ")
	}
	if detail == "" || detail == s0 {
		return s
	}
	return s + ": " + detail
}

// Unwrap returns Err, or [ErrInvalidVIN] when Err is nil.
func (e *VINError) Unwrap() error {
	if e.Err == nil {
		return ErrInvalidVIN
	}
	return e.Err
}

func errInvalidID(cause error) error { return fmt.Errorf("%w: %v", ErrInvalidID, cause) }

func invalid(field string, err error) error { return &ValidationError{Field: field, Err: err} }

// problem wraps sentinel with a detail message: "<sentinel>: <detail>".
func problem(field string, sentinel error, detail string) error {
	return &ValidationError{Field: field, Err: fmt.Errorf("%w: %s", sentinel, detail)}
}

// checkAllText reports, as ErrInvalid and ErrInvalidText, every string of
// the record v (at any depth: fields, list elements, map keys and values)
// that is not valid UTF-8 or contains NUL, naming its JSON path. A problem
// the field-by-field checks already reported for the same field ("contains
// control characters") is reported once, in its place, wrapping both
// ErrInvalidText and that check's sentinel.
func checkAllText(errs []error, v any) []error {
	textcheck.Walk(v, func(path, problem string) {
		ve := &ValidationError{Field: path, Err: fmt.Errorf("%w: %w: %s", ErrInvalid, ErrInvalidText, problem)}
		for i, e := range errs {
			if old, ok := e.(*ValidationError); ok && old.Field == path {
				errs[i] = &ValidationError{Field: path, Err: fmt.Errorf("%w: %w", ErrInvalidText, old.Err)}
				return
			}
		}
		errs = append(errs, ve)
	})
	return errs
}
