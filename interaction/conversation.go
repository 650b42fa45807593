package interaction

import (
	"errors"
	"strconv"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
)

// Terminal reports whether c is final: true only for
// [ConversationStatusClosed]. A closed conversation is never re-opened or
// changed; new traffic from the customer starts a new one. Unknown statuses
// are not terminal as far as this version knows.
func (c ConversationStatus) Terminal() bool { return c == ConversationStatusClosed }

// Conversation is a thread of interactions between the dealership and one
// customer, owned by one member of staff (or, while pending, by an automated
// handler), with the anchors that response-time metrics are computed from.
// Its interactions point to it through [Interaction.Conversation]; they may
// use several channels.
//
// # Lifecycle
//
// The methods with a pointer receiver apply the lifecycle, each checking
// that the change is allowed and returning the [LifecycleEvent] to record in
// the timeline:
//
//	method           from                          to
//	Open             (new: no status)              open, or pending when only a Handler owns it
//	Escalate         pending                       open (the handler hands over to a person or team, with a reason)
//	Assign           open, snoozed, resolved       unchanged (new owner; the previous one follows)
//	OfferHandoff     open, snoozed                 unchanged (PendingHandoff set)
//	AcceptHandoff    open, snoozed, resolved       unchanged (new owner; the previous one follows)
//	DeclineHandoff   open, snoozed, resolved       unchanged (PendingHandoff cleared)
//	Snooze           open, snoozed                 snoozed
//	Wake             snoozed                       open
//	Resolve          open, pending, snoozed        resolved
//	Reopen           resolved                      open, or pending when only a Handler owns it
//	Close            any but closed                closed: final, immutable
//	Touch            any but closed                woke / reopened when the customer writes
//
// A refused change returns a *[TransitionError] wrapping
// [ErrInvalidTransition] and leaves c unchanged. Every method refuses,
// whatever its arguments: a closed conversation; a status this version
// does not know (also [ErrUnknownStatus]); a zero time (also [ErrMissing])
// or one before OpenedAt (also [ErrInvalid]); a malformed staff or team
// identifier, or a reason that is not one line of at most MaxTextLen bytes
// (also [ErrInvalid]). A Book stores the conversation and, for each event,
// an interaction of [KindLifecycle] carrying it.
//
// # Concurrency
//
// A Conversation is a plain value: it is not safe to modify it (or to call
// its pointer methods) while another goroutine reads it, but any number of
// goroutines may call its value methods, which only read, at once. The
// lifecycle methods never modify a Followers slice or Handoff that another
// copy of the conversation may share: they replace them.
type Conversation struct {
	// ID is assigned when the conversation is first stored; zero until then.
	ID ConversationID `json:"id,omitzero"`
	// Tenant owns the record. Required.
	Tenant dealer.Tenant `json:"tenant"`
	// Rooftop is the dealership location the conversation is with; zero when
	// not named.
	Rooftop dealer.Rooftop `json:"rooftop,omitempty"`
	// Customer is the customer the conversation is with. Required.
	Customer customer.ID `json:"customer"`
	// Channel is the primary channel: the one the conversation started on,
	// or the one replies go to by default. Zero when unknown.
	Channel channel.Kind `json:"channel,omitempty"`
	// Status is where the conversation stands. Required.
	Status ConversationStatus `json:"status"`
	// SnoozedUntil is when a snoozed conversation wakes up; zero means until
	// the customer writes. Only for [ConversationStatusSnoozed].
	SnoozedUntil time.Time `json:"snoozed_until,omitzero"`
	// Owner is the member of staff who owns the conversation; zero when
	// unassigned.
	Owner dealer.Staff `json:"owner,omitempty"`
	// Team is the team the conversation is assigned to; zero when none.
	Team dealer.Team `json:"team,omitempty"`
	// Followers are other staff watching the conversation (a manager, the
	// salesperson's BDC partner); each at most once, never the Owner.
	Followers []dealer.Staff `json:"followers,omitempty"`
	// Handler is the automated handler (a bot, as its staff identifier)
	// that owns the conversation while it is pending; zero when none.
	Handler dealer.Staff `json:"handler,omitempty"`
	// WaitingSince is when the oldest inbound interaction not yet answered
	// by a person arrived: the anchor of response-time SLAs. Zero when
	// nothing is waiting.
	WaitingSince time.Time `json:"waiting_since,omitzero"`
	// FirstHumanReplyAt is when a person first replied (automated replies
	// do not count); zero until then.
	FirstHumanReplyAt time.Time `json:"first_human_reply_at,omitzero"`
	// LastInboundAt and LastOutboundAt are the times of the latest inbound
	// and outbound interactions; zero when there were none.
	LastInboundAt  time.Time `json:"last_inbound_at,omitzero"`
	LastOutboundAt time.Time `json:"last_outbound_at,omitzero"`
	// OpenedAt is when the conversation started. Required.
	OpenedAt time.Time `json:"opened_at,omitzero"`
	// ResolvedAt is when it was last resolved; zero if it never was. It is
	// kept when the conversation re-opens, and required while the status is
	// resolved.
	ResolvedAt time.Time `json:"resolved_at,omitzero"`
	// ClosedAt is when it was closed: set exactly when the status is
	// closed.
	ClosedAt time.Time `json:"closed_at,omitzero"`
	// PendingHandoff is a handoff offered and not yet accepted; nil when
	// none.
	PendingHandoff *Handoff `json:"pending_handoff,omitempty"`
	// CreatedAt and UpdatedAt are set by the Book; zero until stored.
	CreatedAt time.Time `json:"created_at,omitzero"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
	// Revision is incremented by the storage layer on every write and used
	// for optimistic concurrency; zero until stored.
	Revision int64 `json:"revision,omitempty"`
}

// Handoff is a transfer of a conversation from one owner to another
// member of staff or team: a person handing over, or an automated handler
// escalating to a human.
type Handoff struct {
	// From is the owner handing over (a person or an automated handler);
	// zero when it was unowned.
	From dealer.Staff `json:"from,omitempty"`
	// To is the member of staff taking over; Team the team taking over. At
	// least one is required.
	To   dealer.Staff `json:"to,omitempty"`
	Team dealer.Team  `json:"team,omitempty"`
	// Reason says why, in words for the person taking over ("customer asked
	// for a person", "trade-in question"). Required.
	Reason string `json:"reason"`
	// At is when it was offered. Required.
	At time.Time `json:"at,omitzero"`
}

// Validate reports every problem with c, as errors.Join of *ValidationError
// values (nil when c is valid). Each wraps one of this package's sentinels;
// for a malformed tenant, rooftop, staff or team identifier, also the dealer
// package's.
//
// Tenant, Customer, Status and OpenedAt are required. A status this version
// does not know is accepted (it was written by a newer version), and the
// rules that depend on the status are then skipped.
func (c Conversation) Validate() error {
	var errs []error
	errs = checkTenant(errs, c.Tenant)
	errs = checkRooftop(errs, c.Rooftop)
	if c.Customer.IsZero() {
		errs = append(errs, invalid("customer", ErrMissing))
	}
	errs = checkToken(errs, "channel", string(c.Channel))
	errs = checkRequiredToken(errs, "status", string(c.Status))
	known := c.Status.Known()
	if known && c.Status != ConversationStatusSnoozed && !c.SnoozedUntil.IsZero() {
		errs = append(errs, problem("snoozed_until", ErrNotApplicable, "status is "+string(c.Status)))
	}
	errs = checkStaff(errs, "owner", c.Owner)
	errs = checkTeam(errs, "team", c.Team)
	seen := make(map[dealer.Staff]int, len(c.Followers))
	for n, f := range c.Followers {
		field := "followers[" + strconv.Itoa(n) + "]"
		switch first, dup := seen[f]; {
		case f == "":
			errs = append(errs, invalid(field, ErrMissing))
		case dup:
			errs = append(errs, problem(field, ErrDuplicate, "same as followers["+strconv.Itoa(first)+"]"))
		case f == c.Owner:
			errs = append(errs, problem(field, ErrDuplicate, "the owner"))
		default:
			seen[f] = n
			errs = checkStaff(errs, field, f)
		}
	}
	errs = checkStaff(errs, "handler", c.Handler)
	if c.OpenedAt.IsZero() {
		errs = append(errs, invalid("opened_at", ErrMissing))
	}
	if known && c.Status == ConversationStatusResolved && c.ResolvedAt.IsZero() {
		errs = append(errs, problem("resolved_at", ErrMissing, "status is resolved"))
	}
	errs = checkOrder(errs, "resolved_at", c.OpenedAt, c.ResolvedAt, "opened_at")
	switch {
	case known && c.Status == ConversationStatusClosed && c.ClosedAt.IsZero():
		errs = append(errs, problem("closed_at", ErrMissing, "status is closed"))
	case known && c.Status != ConversationStatusClosed && !c.ClosedAt.IsZero():
		errs = append(errs, problem("closed_at", ErrNotApplicable, "status is "+string(c.Status)))
	}
	errs = checkOrder(errs, "closed_at", c.OpenedAt, c.ClosedAt, "opened_at")
	if h := c.PendingHandoff; h != nil {
		errs = h.validate(errs, "pending_handoff")
	}
	errs = checkRecord(errs, c.CreatedAt, c.UpdatedAt, c.Revision)
	errs = checkAllText(errs, c)
	return errors.Join(errs...)
}

func (h Handoff) validate(errs []error, prefix string) []error {
	errs = checkStaff(errs, prefix+".from", h.From)
	errs = checkStaff(errs, prefix+".to", h.To)
	errs = checkTeam(errs, prefix+".team", h.Team)
	switch {
	case h.To == "" && h.Team == "":
		errs = append(errs, problem(prefix+".to", ErrMissing, "a handoff goes to a member of staff or a team"))
	case h.To != "" && h.To == h.From:
		errs = append(errs, problem(prefix+".to", ErrMismatch, "same as from"))
	}
	if h.Reason == "" {
		errs = append(errs, invalid(prefix+".reason", ErrMissing))
	}
	errs = checkLine(errs, prefix+".reason", h.Reason, MaxTextLen)
	if h.At.IsZero() {
		errs = append(errs, invalid(prefix+".at", ErrMissing))
	}
	return errs
}
