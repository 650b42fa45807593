package interaction

import (
	"fmt"
	"time"
)

// Terminal reports whether Apply never moves a delivery away from s: true for
// [StatusRead] (later reports are late and ignored) and [StatusFailed]
// (later reports are refused). Unknown statuses are not terminal as far as
// this version knows.
func (s Status) Terminal() bool { return s == StatusRead || s == StatusFailed }

// progress ranks the statuses of the normal path; 0 for the others.
func (s Status) progress() int {
	switch s {
	case StatusQueued:
		return 1
	case StatusSent:
		return 2
	case StatusDelivered:
		return 3
	case StatusRead:
		return 4
	}
	return 0
}

// Delivery is the delivery state of an outbound interaction: the latest
// status, when it was reached and, for errored and failed, why. The zero
// Delivery means no status recorded (an inbound message, a note, a call, or
// an outbound message not yet queued).
//
// Change a Delivery with [Delivery.Apply], which keeps it consistent when
// provider callbacks arrive late, twice or out of order. Delivery is a
// plain comparable value, safe to copy and to read from several goroutines.
type Delivery struct {
	// Status is the latest status; zero when none is recorded.
	Status Status `json:"status,omitempty"`
	// At is when Status was reached (as the provider reports it, else as
	// recorded). Required when Status is set.
	At time.Time `json:"at,omitzero"`
	// Reason says why the message errored or failed, in words safe to show
	// staff ("carrier rejected: unknown subscriber", "contact opted out"):
	// valid UTF-8 of at most MaxTextLen bytes. Required when Status is
	// failed; empty for the other statuses. Never put the message body or
	// the address in it.
	Reason string `json:"reason,omitempty"`
	// ErrorCode is the provider's code for the error or failure ("30003"
	// from Twilio, "131026" from WhatsApp), one line; empty for the other
	// statuses.
	ErrorCode string `json:"error_code,omitempty"`
	// Attempts counts the attempts to send: 1 once the message is first
	// queued or sent (or first reported in any status but failed), plus one
	// for each time an errored message is queued or sent again. A message
	// that failed before any attempt (the customer had opted out) has 0.
	Attempts int `json:"attempts,omitempty"`
}

// DeliveryUpdate is one report about an outbound interaction's delivery: the
// sender queuing or re-queuing it, or a provider's status callback.
type DeliveryUpdate struct {
	// Status is the reported status. Required.
	Status Status `json:"status"`
	// At is when it happened. Required.
	At time.Time `json:"at,omitzero"`
	// Reason and ErrorCode describe an errored or failed status (see
	// [Delivery]); Reason is required for [StatusFailed]. Both are ignored
	// for the other statuses.
	Reason    string `json:"reason,omitempty"`
	ErrorCode string `json:"error_code,omitempty"`
}

// Apply returns d updated by u, following the delivery lifecycle:
//
//	queued → sent → delivered → read
//
// Any step along that path may be skipped (a provider may report delivered
// with no sent before it). The rules, with d.Status as "from" and u.Status as
// "to":
//
//   - From none (the zero Status) any status is accepted.
//   - The same status again is a no-op: d is returned unchanged, so the
//     first report's time and reason are kept.
//   - errored (retryable) may be reported from none, queued or sent; from
//     errored the message may be queued or sent again, which adds one to
//     Attempts, or be reported delivered, read or failed.
//   - failed (terminal) may be reported from any status but delivered and
//     read, and needs a reason. Nothing may follow it: every later update is
//     refused.
//   - Late reports are ignored: sent or delivered after a later step of the
//     path (delivered after read, sent after delivered), and errored or
//     failed once the message is delivered or read (the customer has it; the
//     report is stale, and re-sending would duplicate the message). Apply
//     returns d unchanged and a nil error.
//   - queued may follow only none or errored: moving a sent, delivered or
//     read message back to queued is refused.
//
// Refusals are errors wrapping [ErrInvalidTransition], and d is returned
// unchanged with them. An update with a zero status or time, a status that
// is not a well-formed token, a failure without a reason, or a Reason or
// ErrorCode that [Delivery] does not allow (not UTF-8, too long, a line
// break in the code) is refused too, whatever d is; the error then also
// wraps [ErrMissing] or [ErrInvalid]. Sanitize provider text before
// applying it.
//
// Statuses this version does not know (written by a newer version): Apply
// cannot tell where they sit in the lifecycle, so it refuses an update to
// one, or from one to a different status, with an error wrapping both
// [ErrInvalidTransition] and [ErrUnknownStatus]. The same unknown status
// again is a no-op like any other. A caller that knows better may set the
// fields of a Delivery directly.
//
// On success the result has Status and At from u; Reason and ErrorCode
// from u for errored and failed, empty otherwise; Attempts as described on
// [Delivery]. Apply does not modify d.
func (d Delivery) Apply(u DeliveryUpdate) (Delivery, error) {
	from, to := d.Status, u.Status
	switch {
	case to == StatusUnknown:
		return d, fmt.Errorf("interaction: delivery: %w: %w: no status", ErrInvalidTransition, ErrMissing)
	case !isToken(string(to), maxTokenLen):
		return d, fmt.Errorf("interaction: delivery: %w: %w: malformed status", ErrInvalidTransition, ErrInvalid)
	case u.At.IsZero():
		return d, fmt.Errorf("interaction: delivery: %w: %w: no time", ErrInvalidTransition, ErrMissing)
	case to == StatusFailed && u.Reason == "":
		return d, fmt.Errorf("interaction: delivery: %w: %w: failed needs a reason", ErrInvalidTransition, ErrMissing)
	}
	if errs := checkText(nil, "reason", u.Reason, MaxTextLen); errs != nil {
		return d, fmt.Errorf("interaction: delivery: %w: %w", ErrInvalidTransition, errs[0])
	}
	if errs := checkLine(nil, "error_code", u.ErrorCode, MaxTextLen); errs != nil {
		return d, fmt.Errorf("interaction: delivery: %w: %w", ErrInvalidTransition, errs[0])
	}
	if to == from {
		return d, nil
	}
	if !to.Known() || (from != StatusUnknown && !from.Known()) {
		return d, fmt.Errorf("interaction: delivery: %s to %s: %w: %w", show(from), show(to), ErrInvalidTransition, ErrUnknownStatus)
	}
	next := d
	switch from {
	case StatusUnknown:
		if to != StatusFailed && next.Attempts == 0 {
			next.Attempts = 1
		}
	case StatusFailed:
		return d, refuse(from, to)
	case StatusQueued, StatusSent:
		if to.progress() != 0 && to.progress() < from.progress() {
			return d, refuse(from, to)
		}
	case StatusDelivered, StatusRead:
		if to == StatusQueued {
			return d, refuse(from, to)
		}
		if to.progress() <= from.progress() {
			return d, nil // late: sent or delivered after a later step, errored or failed after delivery
		}
	case StatusErrored:
		if to == StatusQueued || to == StatusSent {
			next.Attempts++
		}
	}
	next.Status, next.At = to, u.At
	next.Reason, next.ErrorCode = "", ""
	if to == StatusErrored || to == StatusFailed {
		next.Reason, next.ErrorCode = u.Reason, u.ErrorCode
	}
	return next, nil
}

func refuse(from, to Status) error {
	return fmt.Errorf("interaction: delivery: %s to %s: %w", show(from), show(to), ErrInvalidTransition)
}

// show names a status in an error message.
func show(s Status) string {
	if s == StatusUnknown {
		return "none"
	}
	return string(s)
}

// validate reports the problems of d, with field names under prefix.
func (d Delivery) validate(errs []error, prefix string) []error {
	errs = checkToken(errs, prefix+".status", string(d.Status))
	if d.Status != StatusUnknown && d.At.IsZero() {
		errs = append(errs, invalid(prefix+".at", ErrMissing))
	}
	if d.Status == StatusFailed && d.Reason == "" {
		errs = append(errs, problem(prefix+".reason", ErrMissing, "a failed delivery needs a reason"))
	}
	errs = checkText(errs, prefix+".reason", d.Reason, MaxTextLen)
	errs = checkLine(errs, prefix+".error_code", d.ErrorCode, MaxTextLen)
	if d.Attempts < 0 {
		errs = append(errs, problem(prefix+".attempts", ErrInvalid, "negative"))
	}
	return errs
}
