package interaction

import (
	"errors"
	"fmt"

	"github.com/rapportcim/rapport/internal/textcheck"
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
	// ErrInvalidText: a string is not valid UTF-8 or contains NUL, so it
	// could not be stored and read back unchanged on every backend. It is
	// wrapped together with ErrInvalid, or with the sentinel of the field's
	// own check when that check failed too.
	ErrInvalidText = errors.New("text is not valid UTF-8 or contains NUL")
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

	// ErrInvalidTransition is wrapped by every error of [Delivery.Apply], of
	// the lifecycle methods of [Conversation] and [Commitment], and of
	// [Flag.Review]: the change cannot be applied to the record as it is
	// (a closed conversation, a commitment already kept, a flag already
	// reviewed), or its arguments are wrong (then [ErrMissing], [ErrInvalid]
	// or [ErrMismatch] is wrapped too).
	ErrInvalidTransition = errors.New("invalid status transition")
	// ErrUnknownStatus is wrapped, together with [ErrInvalidTransition], when
	// [Delivery.Apply] meets a well-formed status this version does not know
	// (one written by a newer version), as the current status or as the
	// update's.
	ErrUnknownStatus = errors.New("unknown status")

	// ErrCollision is wrapped by [Collision.Err] when the policy refuses a
	// contact that collides with another member of staff's.
	ErrCollision = errors.New("contact collides with another member of staff")
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

// FieldPath returns Field. With Unwrap, it gives ValidationError the shape
// rapport.FieldError describes, shared by every package's ValidationError,
// so that a form can map an error to its input without knowing the package.
func (e *ValidationError) FieldPath() string { return e.Field }

func errInvalidID(cause error) error { return fmt.Errorf("%w: %v", ErrInvalidID, cause) }

func invalid(field string, err error) error { return &ValidationError{Field: field, Err: err} }

// problem wraps sentinel with a detail message: "<sentinel>: <detail>".
func problem(field string, sentinel error, detail string) error {
	return &ValidationError{Field: field, Err: fmt.Errorf("%w: %s", sentinel, detail)}
}

// TransitionError reports a lifecycle change that was refused: a
// conversation escalated when no automated handler owns it, anything done
// to a closed conversation, a commitment kept twice, a flag reviewed twice.
// Err wraps [ErrInvalidTransition], and also [ErrMissing], [ErrInvalid],
// [ErrMismatch] or [ErrUnknownStatus] when one of those is the cause, so
//
//	errors.Is(err, interaction.ErrInvalidTransition)
//	var te *interaction.TransitionError
//	errors.As(err, &te) // te.From == "closed"
//
// both work. The message names the record, its status and the change, never
// a reason, note or other free text.
type TransitionError struct {
	// Record names the kind of record: "conversation", "commitment" or
	// "flag".
	Record string
	// From is the record's status when the change was tried ("closed",
	// "done", "reviewed"; "none" for a conversation never opened).
	From string
	// Action is the change tried: an [Action] for a conversation
	// ("escalated"), or "touched" for [Conversation.Touch]; the status a
	// commitment was to move to ("done", "handed_off", "cancelled");
	// "reviewed" for a flag.
	Action string
	// Err wraps the sentinels, with a detail message.
	Err error
}

func (e *TransitionError) Error() string {
	return "interaction: " + e.Record + ": " + e.Action + " from " + e.From + ": " + e.Err.Error()
}

func (e *TransitionError) Unwrap() error { return e.Err }

// refusal builds a *TransitionError whose Err wraps ErrInvalidTransition and
// the further sentinels given, followed by detail.
func refusal(record, from, action, detail string, sentinels ...error) error {
	err := ErrInvalidTransition
	for _, s := range sentinels {
		err = fmt.Errorf("%w: %w", err, s)
	}
	if detail != "" {
		err = fmt.Errorf("%w: %s", err, detail)
	}
	return &TransitionError{Record: record, From: from, Action: action, Err: err}
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
