package channel

import "errors"

// Errors wrapped by the parsers and validators of this package. Match them
// with errors.Is; the message around them says why the input was refused but
// never repeats the input itself, so errors can be logged without leaking a
// customer's contact details.
var (
	ErrInvalidPhone   = errors.New("invalid phone number")
	ErrInvalidEmail   = errors.New("invalid email address")
	ErrInvalidAddress = errors.New("invalid address")
	ErrInvalidKind    = errors.New("invalid channel kind")
	ErrInvalidWindow  = errors.New("invalid contact window")
	ErrInvalidZone    = errors.New("invalid time zone")
)

// ValidationError reports which field of the input was refused and why. Err
// wraps one of the package's sentinel errors, so both
//
//	errors.Is(err, channel.ErrInvalidPhone)
//	errors.As(err, &ve) // ve *channel.ValidationError
//
// work on any error returned by this package.
type ValidationError struct {
	Field string // the field or argument, e.g. "phone", "email", "windows[2].start"
	Err   error  // wraps a sentinel of this package
}

func (e *ValidationError) Error() string {
	return "channel: " + e.Field + ": " + e.Err.Error()
}

func (e *ValidationError) Unwrap() error { return e.Err }

// FieldPath returns Field. With Unwrap, it gives ValidationError the shape
// rapport.FieldError describes, shared by every package's ValidationError,
// so that a form can map an error to its input without knowing the package.
func (e *ValidationError) FieldPath() string { return e.Field }

func invalid(field string, err error) error {
	return &ValidationError{Field: field, Err: err}
}
