package customer

import (
	"errors"
	"fmt"

	"github.com/rapportcim/rapport/internal/textcheck"
)

// Errors wrapped by Validate and the parsers of this package. Match them with
// errors.Is. Problems with a contact point's address also wrap the channel
// package's sentinels (channel.ErrInvalidPhone, …).
var (
	ErrInvalidID = errors.New("invalid id")
	ErrMissing   = errors.New("required value missing")
	ErrInvalid   = errors.New("invalid value")
	// ErrInvalidText: a string is not valid UTF-8 or contains NUL, so it
	// could not be stored and read back unchanged on every backend. It is
	// wrapped together with ErrInvalid, or with the sentinel of the field's
	// own check when that check failed too.
	ErrInvalidText    = errors.New("text is not valid UTF-8 or contains NUL")
	ErrDuplicate      = errors.New("duplicate value")
	ErrTooMany        = errors.New("too many values")
	ErrInvalidName    = errors.New("invalid name")
	ErrInvalidContact = errors.New("invalid contact point")
	// ErrInvalidPostalCode, ErrInvalidRegion and ErrInvalidCountry are
	// wrapped by the postal parsers and by Validate for a postal address's
	// fields.
	ErrInvalidPostalCode = errors.New("invalid postal code")
	ErrInvalidRegion     = errors.New("invalid region")
	ErrInvalidCountry    = errors.New("invalid country")
)

// ValidationError reports one problem with one field. Field is a path into
// the value, such as "names[0].given" or "contact_points[2].address"; Err
// wraps one of this package's sentinels (and, for addresses, the channel
// package's), so errors.Is and errors.As both see through it.
type ValidationError struct {
	Field string
	Err   error
}

func (e *ValidationError) Error() string { return "customer: " + e.Field + ": " + e.Err.Error() }

func (e *ValidationError) Unwrap() error { return e.Err }

// FieldPath returns Field. With Unwrap, it gives ValidationError the shape
// rapport.FieldError describes, shared by every package's ValidationError,
// so that a form can map an error to its input without knowing the package.
func (e *ValidationError) FieldPath() string { return e.Field }

func errInvalidID(cause error) error { return fmt.Errorf("%w: %v", ErrInvalidID, cause) }

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
