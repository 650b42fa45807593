package interaction

import (
	"errors"
	"slices"
	"time"

	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
)

// Terminal reports whether c is final: done, handed off or cancelled. Only
// an open commitment is still owed. Unknown statuses are not terminal as far
// as this version knows.
func (c CommitmentStatus) Terminal() bool {
	return c == CommitmentStatusDone || c == CommitmentStatusHandedOff || c == CommitmentStatusCancelled
}

// Commitment is something the dealership promised a customer ("I'll call
// you back with the trade-in number by 5 pm"): what, who owes it, by when,
// and what became of it.
//
// [Commitment.Done], [Commitment.HandOff] and [Commitment.Cancel] change
// it; each is allowed only while it is open (a kept, handed-off or
// cancelled commitment is final). A refused change returns a
// *[TransitionError] wrapping [ErrInvalidTransition] (and [ErrUnknownStatus]
// for a status this version does not know, or [ErrMissing], [ErrInvalid]
// or [ErrMismatch] for a bad argument) and leaves c unchanged.
//
// A Commitment is a plain value: it is not safe to modify it while another
// goroutine reads it (or call its pointer methods then), but any number of
// goroutines may call its value methods, which only read, at once.
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
	// ClosedBy is the member of staff who kept, handed off or cancelled
	// the commitment; zero while open, or when the system closed it.
	ClosedBy dealer.Staff `json:"closed_by,omitempty"`
	// Callback, when set, makes the commitment a callback request: the
	// customer asked to be called back (see [Callback]).
	Callback *Callback `json:"callback,omitempty"`
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
// A Callback needs an address, and windows only with a well-formed zone.
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
	errs = checkStaff(errs, "closed_by", c.ClosedBy)
	if c.ClosedBy != "" && known && !c.Status.Terminal() {
		errs = append(errs, problem("closed_by", ErrNotApplicable, "status is "+string(c.Status)))
	}
	if c.Callback != nil {
		errs = c.Callback.problems(errs)
	}
	errs = checkRecord(errs, c.CreatedAt, c.UpdatedAt, c.Revision)
	errs = checkAllText(errs, c)
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

func (c *Commitment) refuse(to CommitmentStatus, detail string, sentinels ...error) error {
	from := string(c.Status)
	if from == "" {
		from = "none"
	}
	return refusal("commitment", from, string(to), detail, sentinels...)
}

func (c *Commitment) checkOpen(to CommitmentStatus) error {
	switch {
	case c.Status == CommitmentStatusOpen:
		return nil
	case c.Status != CommitmentStatusUnknown && !c.Status.Known():
		return c.refuse(to, "", ErrUnknownStatus)
	case c.Status.Terminal():
		return c.refuse(to, "the commitment is final")
	}
	return c.refuse(to, "not open")
}

// Done records that the commitment was kept at at: the status becomes done
// and DoneAt at. at is required.
func (c *Commitment) Done(at time.Time) error {
	if err := c.checkOpen(CommitmentStatusDone); err != nil {
		return err
	}
	if at.IsZero() {
		return c.refuse(CommitmentStatusDone, "no time", ErrMissing)
	}
	c.Status, c.DoneAt = CommitmentStatusDone, at
	return nil
}

// HandOff passes the commitment to another member of staff, to, who is
// required and must differ from the owner (else ErrMismatch): c becomes
// handed_off with HandedOffTo set, and the returned commitment is the one
// to carries from now on: open, owed by to, with c's tenant, rooftop,
// customer, conversation, source, promise, team, due time and callback
// request, and no ID or
// record fields (a Book stores it as a new commitment).
func (c *Commitment) HandOff(to dealer.Staff) (Commitment, error) {
	const s = CommitmentStatusHandedOff
	if err := c.checkOpen(s); err != nil {
		return Commitment{}, err
	}
	switch {
	case to == "":
		return Commitment{}, c.refuse(s, "hand it off to a member of staff", ErrMissing)
	case to.Validate() != nil:
		return Commitment{}, c.refuse(s, "malformed staff identifier", ErrInvalid)
	case to == c.Owner:
		return Commitment{}, c.refuse(s, "handed off to its own owner", ErrMismatch)
	}
	next := Commitment{
		Tenant:       c.Tenant,
		Rooftop:      c.Rooftop,
		Customer:     c.Customer,
		Conversation: c.Conversation,
		Source:       c.Source,
		What:         c.What,
		Owner:        to,
		Team:         c.Team,
		Due:          c.Due,
		Status:       CommitmentStatusOpen,
		Callback:     c.Callback.clone(),
	}
	c.Status, c.HandedOffTo = s, to
	return next, nil
}

// Cancel records that the commitment is no longer needed, for reason
// ("customer bought elsewhere"), which is required and one line of at most
// MaxTextLen bytes.
func (c *Commitment) Cancel(reason string) error {
	const s = CommitmentStatusCancelled
	if err := c.checkOpen(s); err != nil {
		return err
	}
	switch {
	case reason == "":
		return c.refuse(s, "a reason is required", ErrMissing)
	case checkLine(nil, "cancel_reason", reason, MaxTextLen) != nil:
		return c.refuse(s, "the reason is not one line of at most 4096 bytes", ErrInvalid)
	}
	c.Status, c.CancelReason = s, reason
	return nil
}

// DueSoon reports whether c is still owed and falls due within the next
// within after at: its status is open and at <= Due <= at+within. An
// overdue commitment is not due soon (see [Commitment.Overdue]); neither is
// one with a zero Due.
func (c Commitment) DueSoon(at time.Time, within time.Duration) bool {
	return c.Status == CommitmentStatusOpen && !c.Due.IsZero() && !c.Due.Before(at) && !c.Due.After(at.Add(within))
}

// OverdueCommitments returns the commitments of cs overdue at at
// ([Commitment.Overdue]), most overdue (earliest Due) first; ties keep the
// order of cs. The result is a new slice.
func OverdueCommitments(cs []Commitment, at time.Time) []Commitment {
	return sortedByDue(cs, func(c Commitment) bool { return c.Overdue(at) })
}

// CommitmentsDueSoon returns the commitments of cs due soon at at
// ([Commitment.DueSoon] with within), earliest Due first; ties keep the
// order of cs. The result is a new slice.
func CommitmentsDueSoon(cs []Commitment, at time.Time, within time.Duration) []Commitment {
	return sortedByDue(cs, func(c Commitment) bool { return c.DueSoon(at, within) })
}

func sortedByDue(cs []Commitment, keep func(Commitment) bool) []Commitment {
	var out []Commitment
	for _, c := range cs {
		if keep(c) {
			out = append(out, c)
		}
	}
	slices.SortStableFunc(out, func(a, b Commitment) int { return a.Due.Compare(b.Due) })
	return out
}

// CommitmentsByOwner groups cs by Owner, keeping their order in each group;
// commitments owed by a team only are under the zero Staff.
func CommitmentsByOwner(cs []Commitment) map[dealer.Staff][]Commitment {
	return groupCommitments(cs, func(c Commitment) dealer.Staff { return c.Owner })
}

// CommitmentsByTeam groups cs by Team, keeping their order in each group;
// commitments with no team are under the zero Team.
func CommitmentsByTeam(cs []Commitment) map[dealer.Team][]Commitment {
	return groupCommitments(cs, func(c Commitment) dealer.Team { return c.Team })
}

// CommitmentsByRooftop groups cs by Rooftop, keeping their order in each
// group; commitments naming no rooftop are under the zero Rooftop.
func CommitmentsByRooftop(cs []Commitment) map[dealer.Rooftop][]Commitment {
	return groupCommitments(cs, func(c Commitment) dealer.Rooftop { return c.Rooftop })
}

func groupCommitments[K comparable](cs []Commitment, key func(Commitment) K) map[K][]Commitment {
	m := make(map[K][]Commitment)
	for _, c := range cs {
		k := key(c)
		m[k] = append(m[k], c)
	}
	return m
}
