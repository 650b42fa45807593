package customer

import (
	"errors"
	"fmt"
)

// Errors wrapped by Validate and the parsers of this package. Match them with
// errors.Is. Problems with a contact point's address also wrap the channel
// package's sentinels (channel.ErrInvalidPhone, …).
var (
	ErrInvalidID      = errors.New("invalid id")
	ErrMissing        = errors.New("required value missing")
	ErrInvalid        = errors.New("invalid value")
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

func errInvalidID(cause error) error { return fmt.Errorf("%w: %v", ErrInvalidID, cause) }
