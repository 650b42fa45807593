package interaction

import (
	"errors"
	"time"

	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
)

// Terminal reports whether s is final: done, handed off or cancelled. Only
// an open commitment is still owed. Unknown statuses are not terminal as far
// as this version knows.
func (s CommitmentStatus) Terminal() bool {
	return s == CommitmentStatusDone || s == CommitmentStatusHandedOff || s == CommitmentStatusCancelled
}

// Commitment is something the dealership promised a customer ("I'll call
// you back with the trade-in number by 5 pm"): what, who owes it, by when,
// and what became of it.
//
// A Commitment is a plain value: it is not safe to modify it while another
// goroutine reads it, but any number of goroutines may call its methods,
// which only read, at once.
type Commitment struct {
	// ID is assigned when the commitment is first stored; zero until then.
	ID CommitmentID `json:"id,omitzero"`
	// Tenant owns the record. Required.
	Tenant dealer.Tenant `json:"tenant"`
	// Rooftop is the dealership location that made the promise; zero when
	// not named.
	Rooftop dealer.Rooftop `json:"rooftop,omitempty"`
	// Customer is the customer it was promised to. Required.
	Customer customer.ID `json:"customer"`
	// Conversation is the conversation it was made in; zero when none.
	Conversation ConversationID `json:"conversation,omitzero"`
	// Source is the interaction it was made in; zero when not recorded.
	Source ID `json:"source,omitzero"`
	// What is the promise in a line, as staff would read it in a list.
	// Required.
	What string `json:"what"`
	// Owner is the member of staff who owes it; Team the team that owes it.
	// At least one is required.
	Owner dealer.Staff `json:"owner,omitempty"`
	Team  dealer.Team  `json:"team,omitempty"`
	// Due is when it is owed by. Required.
	Due time.Time `json:"due,omitzero"`
	// Status is where it stands. Required.
	Status CommitmentStatus `json:"status"`
	// DoneAt is when it was kept: set exactly when the status is done.
	DoneAt time.Time `json:"done_at,omitzero"`
	// HandedOffTo is who it was passed to: set exactly when the status is
	// handed_off, and different from Owner.
	HandedOffTo dealer.Staff `json:"handed_off_to,omitempty"`
	// CancelReason says why it is no longer needed: set exactly when the
	// status is cancelled.
	CancelReason string `json:"cancel_reason,omitempty"`
	// CreatedAt and UpdatedAt are set by the Book; zero until stored.
	CreatedAt time.Time `json:"created_at,omitzero"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
	// Revision is incremented by the storage layer on every write and used
	// for optimistic concurrency; zero until stored.
	Revision int64 `json:"revision,omitempty"`
}

// Overdue reports whether c is still owed at time at and was due before it:
// its status is open and at is after Due. A commitment is not overdue at
// the very instant it is due, nor when Due is zero or the status is one this
// version does not know.
func (c Commitment) Overdue(at time.Time) bool {
	return c.Status == CommitmentStatusOpen && !c.Due.IsZero() && at.After(c.Due)
}

// Validate reports every problem with c, as errors.Join of *ValidationError
// values (nil when c is valid). Each wraps one of this package's sentinels;
// for a malformed tenant, rooftop, staff or team identifier, also the dealer
// package's.
//
// Tenant, Customer, What, an Owner or Team, Due and Status are required.
// DoneAt, HandedOffTo and CancelReason are required with the status they
// belong to and refused with the others ([ErrNotApplicable]). A status this
// version does not know is accepted (it was written by a newer version),
// and those rules are then skipped.
func (c Commitment) Validate() error {
	var errs []error
	errs = checkTenant(errs, c.Tenant)
	errs = checkRooftop(errs, c.Rooftop)
	if c.Customer.IsZero() {
		errs = append(errs, invalid("customer", ErrMissing))
	}
	if c.What == "" {
		errs = append(errs, invalid("what", ErrMissing))
	}
	errs = checkLine(errs, "what", c.What, MaxTextLen)
	if c.Owner == "" && c.Team == "" {
		errs = append(errs, problem("owner", ErrMissing, "a commitment is owed by a member of staff or a team"))
	}
	errs = checkStaff(errs, "owner", c.Owner)
	errs = checkTeam(errs, "team", c.Team)
	if c.Due.IsZero() {
		errs = append(errs, invalid("due", ErrMissing))
	}
	errs = checkRequiredToken(errs, "status", string(c.Status))
	known := c.Status.Known()
	errs = checkBelongs(errs, "done_at", !c.DoneAt.IsZero(), known, c.Status, CommitmentStatusDone)
	errs = checkBelongs(errs, "handed_off_to", c.HandedOffTo != "", known, c.Status, CommitmentStatusHandedOff)
	errs = checkStaff(errs, "handed_off_to", c.HandedOffTo)
	if c.HandedOffTo != "" && c.HandedOffTo == c.Owner {
		errs = append(errs, problem("handed_off_to", ErrMismatch, "same as owner"))
	}
	errs = checkBelongs(errs, "cancel_reason", c.CancelReason != "", known, c.Status, CommitmentStatusCancelled)
	errs = checkLine(errs, "cancel_reason", c.CancelReason, MaxTextLen)
	errs = checkRecord(errs, c.CreatedAt, c.UpdatedAt, c.Revision)
	return errors.Join(errs...)
}

// checkBelongs checks a field that is set exactly when the status is want,
// when this version knows the status.
func checkBelongs(errs []error, field string, set, known bool, status, want CommitmentStatus) []error {
	switch {
	case !known:
	case status == want && !set:
		errs = append(errs, problem(field, ErrMissing, "status is "+string(status)))
	case status != want && set:
		errs = append(errs, problem(field, ErrNotApplicable, "status is "+string(status)))
	}
	return errs
}
