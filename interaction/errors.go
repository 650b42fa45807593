package interaction

import (
	"errors"
	"fmt"
)

// Errors wrapped by Validate, the parsers and [Delivery.Apply]. Match them
// with errors.Is. The messages around them say what is wrong and where, but
// never repeat a message body, a subject, an address or any other text the
// customer wrote, so errors can be logged as they are.
var (
	ErrInvalidID = errors.New("invalid id")
	// ErrMissing: a required value is zero.
	ErrMissing = errors.New("required value missing")
	// ErrInvalid: a value is malformed (not a token, not UTF-8, too long,
	// negative, out of order).
	ErrInvalid = errors.New("invalid value")
	// ErrOutOfRange: a number lies outside the range its record allows (a
	// survey score above its scale, a finding past the end of the body).
	ErrOutOfRange = errors.New("value out of range")
	// ErrDuplicate: a list names the same thing twice.
	ErrDuplicate = errors.New("duplicate value")
	// ErrMismatch: two values of one record disagree (a channel the address
	// cannot carry, a template on a human-written message).
	ErrMismatch = errors.New("values disagree")
	// ErrNotApplicable: a value is set that does not apply to the record as
	// it is (call data on an email, a delivery status on an inbound message,
	// a done time on an open commitment).
	ErrNotApplicable = errors.New("value does not apply")

	// ErrInvalidTransition is wrapped by every error of [Delivery.Apply]: the
	// update cannot be applied to the delivery as it is.
	ErrInvalidTransition = errors.New("invalid status transition")
	// ErrUnknownStatus is wrapped, together with [ErrInvalidTransition], when
	// [Delivery.Apply] meets a well-formed status this version does not know
	// (one written by a newer version), as the current status or as the
	// update's.
	ErrUnknownStatus = errors.New("unknown status")
)

// ValidationError reports one problem with one field. Field is a JSON path
// into the value, such as "participants[1].role" or "call.duration_ns"; Err
// wraps one of this package's sentinels (for a tenant, rooftop or staff
// identifier, also the dealer package's), so errors.Is and errors.As both see
// through it.
type ValidationError struct {
	Field string
	Err   error
}

func (e *ValidationError) Error() string { return "interaction: " + e.Field + ": " + e.Err.Error() }

func (e *ValidationError) Unwrap() error { return e.Err }

func errInvalidID(cause error) error { return fmt.Errorf("%w: %v", ErrInvalidID, cause) }

func invalid(field string, err error) error { return &ValidationError{Field: field, Err: err} }

// problem wraps sentinel with a detail message: "<sentinel>: <detail>".
func problem(field string, sentinel error, detail string) error {
	return &ValidationError{Field: field, Err: fmt.Errorf("%w: %s", sentinel, detail)}
}
