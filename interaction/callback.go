package interaction

import (
	"slices"
	"strconv"
	"time"

	"github.com/rapportcim/rapport/channel"
)

// Callback is what a callback request adds to its commitment: the customer
// asked, on some channel, to be called back ("they'll call you when it's
// your turn"). A commitment whose Callback is set is a callback request; it
// queues with the other open callbacks of its rooftop and team until it is
// kept (done) or cancelled.
type Callback struct {
	// Address is the number to call. Required.
	Address channel.Address `json:"address"`
	// RequestedOn is the channel the customer asked on (sms, webchat,
	// voice, …); zero when not recorded.
	RequestedOn channel.Kind `json:"requested_on,omitempty"`
	// Windows are the weekly times the customer asked to be called in,
	// read in Zone; none means the request named no time (the customer's
	// stated contact windows then apply).
	Windows []channel.Window `json:"windows,omitempty"`
	// Zone is the IANA time zone of Windows; required with them.
	Zone string `json:"zone,omitempty"`
	// TakenAt is when a member of staff took the request (it is then the
	// commitment's Owner); zero while nobody has.
	TakenAt time.Time `json:"taken_at,omitzero"`
	// Attempts are the unanswered calls made for it, oldest first: the
	// IDs of the outbound voice interactions recorded for them.
	Attempts []ID `json:"attempts,omitempty"`
}

// problems checks a callback: an address, windows with a well-formed zone,
// attempts that name interactions.
func (cb *Callback) problems(errs []error) []error {
	if cb.Address.IsZero() {
		errs = append(errs, problem("callback.address", ErrMissing, "the number to call"))
	}
	if err := (channel.Preference{Windows: cb.Windows, Zone: cb.Zone}).Validate(); err != nil {
		errs = append(errs, invalid("callback.windows", err))
	}
	for i, a := range cb.Attempts {
		if a.IsZero() {
			errs = append(errs, invalid("callback.attempts["+strconv.Itoa(i)+"]", ErrMissing))
		}
	}
	return errs
}

// clone returns a copy of cb sharing no slice with it; nil for nil.
func (cb *Callback) clone() *Callback {
	if cb == nil {
		return nil
	}
	out := *cb
	out.Windows = slices.Clone(cb.Windows)
	out.Attempts = slices.Clone(cb.Attempts)
	return &out
}
