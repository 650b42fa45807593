package consent

import (
	"errors"
	"fmt"

	"github.com/rapportcim/rapport/internal/textcheck"
)

// Errors wrapped by [Event.Validate] and the parsers of this package. Match
// them with errors.Is. Problems with a tenant, rooftop or staff identifier
// also wrap the dealer package's sentinels (dealer.ErrInvalid). Messages say
// why a value was refused but never repeat it, so they can be logged without
// leaking a customer's contact details or message text.
var (
	// ErrInvalidID: an ID is not a canonical UUID.
	ErrInvalidID = errors.New("invalid id")
	// ErrMissing: a required value is zero.
	ErrMissing = errors.New("required value missing")
	// ErrInvalid: a value is malformed, or contradicts another field.
	ErrInvalid = errors.New("invalid value")
	// ErrInvalidText: a string is not valid UTF-8 or contains NUL, so it
	// could not be stored and read back unchanged on every backend. It is
	// wrapped together with ErrInvalid, or with the sentinel of the field's
	// own check when that check failed too.
	ErrInvalidText = errors.New("text is not valid UTF-8 or contains NUL")
	// ErrUnknown: a well-formed enum value this version does not know, in a
	// field whose meaning decides what an event does (action, channel,
	// purpose). Such a value read from storage is kept, but this version
	// refuses to write one: a mistyped purpose on a revocation would
	// otherwise suppress nothing.
	ErrUnknown = errors.New("value unknown to this version")
	// ErrUnsupportedChannel: the subject's address cannot be reached on the
	// event's channel (an email address with channel sms).
	ErrUnsupportedChannel = errors.New("channel not supported by the address")
	// ErrInvalidWindow: the effective window is empty or reversed.
	ErrInvalidWindow = errors.New("invalid effective window")
)

// ValidationError reports one problem with one field. Field is a JSON path
// into the value, such as "subject.address" or "evidence.method"; Err wraps
// one of this package's sentinels (and for dealer identifiers, the dealer
// package's), so both
//
//	errors.Is(err, consent.ErrMissing)
//	errors.As(err, &ve) // ve *consent.ValidationError
//
// work on any error returned by this package, including the errors.Join of
// several problems that [Event.Validate] returns.
type ValidationError struct {
	Field string // e.g. "basis", "evidence.source_system"
	Err   error  // wraps a sentinel of this package
}

func (e *ValidationError) Error() string { return "consent: " + e.Field + ": " + e.Err.Error() }

func (e *ValidationError) Unwrap() error { return e.Err }

// FieldPath returns Field. With Unwrap, it gives ValidationError the shape
// rapport.FieldError describes, shared by every package's ValidationError,
// so that a form can map an error to its input without knowing the package.
func (e *ValidationError) FieldPath() string { return e.Field }

func errInvalidID(cause error) error { return fmt.Errorf("%w: %v", ErrInvalidID, cause) }

// problem returns a *ValidationError for field wrapping sentinel, with why
// (which must not quote the input) appended when it is not empty.
func problem(field string, sentinel error, why string) error {
	if why == "" {
		return &ValidationError{Field: field, Err: sentinel}
	}
	return &ValidationError{Field: field, Err: fmt.Errorf("%w: %s", sentinel, why)}
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
