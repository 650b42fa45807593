package interaction

import (
	"slices"
	"time"

	"github.com/rapportcim/rapport/dealer"
)

// LifecycleEvent is one step in a conversation's lifecycle, as returned by
// the lifecycle methods of [Conversation] and recorded in the timeline as an
// interaction of [KindLifecycle] (see [Interaction.Lifecycle]). [Meter]
// reads these events to know when a conversation was escalated, resolved or
// re-opened.
//
// Which fields are set depends on the Action:
//
//	Action            From                 To                  Team            Reason            By        Until
//	opened            –                    owner, or handler   team            –                 –         –
//	escalated         handler              new owner           new team        why (required)    –         –
//	assigned          previous owner       new owner           new team        –                 –         –
//	handoff_offered   owner                offered to          offered to      why (required)    –         –
//	handoff_accepted  previous owner       new owner (= By)    new team        the offer's why   accepter  –
//	handoff_declined  offering owner       offered to          offered to      why not           decliner  –
//	snoozed           –                    –                   –               –                 –         wake time
//	woke, resolved, reopened, closed: only Action, At and Status.
//
// A zero staff or team field means none (an unassigned owner, a team left
// unchanged). By is set by the methods only where the change names its
// actor; a Book may set it for the others (the manager who assigned).
type LifecycleEvent struct {
	// Action is the step. Required.
	Action Action `json:"action"`
	// At is when it happened. Required.
	At time.Time `json:"at,omitzero"`
	// Status is the conversation's status after the step.
	Status ConversationStatus `json:"status,omitempty"`
	// By is who made the change, when known.
	By dealer.Staff `json:"by,omitempty"`
	// From and To are the owner (or handler) before and after, or the
	// parties of a handoff; Team is the team after, or the team offered to.
	From dealer.Staff `json:"from,omitempty"`
	To   dealer.Staff `json:"to,omitempty"`
	Team dealer.Team  `json:"team,omitempty"`
	// Reason says why, in staff's words; one line.
	Reason string `json:"reason,omitempty"`
	// Until is when a snoozed conversation wakes; zero means until the
	// customer writes. Only for [ActionSnoozed].
	Until time.Time `json:"until,omitzero"`
}

func (e LifecycleEvent) validate(errs []error, prefix string) []error {
	errs = checkRequiredToken(errs, prefix+".action", string(e.Action))
	if e.At.IsZero() {
		errs = append(errs, invalid(prefix+".at", ErrMissing))
	}
	errs = checkToken(errs, prefix+".status", string(e.Status))
	errs = checkStaff(errs, prefix+".by", e.By)
	errs = checkStaff(errs, prefix+".from", e.From)
	errs = checkStaff(errs, prefix+".to", e.To)
	errs = checkTeam(errs, prefix+".team", e.Team)
	errs = checkLine(errs, prefix+".reason", e.Reason, MaxTextLen)
	if !e.Action.Known() {
		return errs
	}
	if (e.Action == ActionEscalated || e.Action == ActionHandoffOffered) && e.Reason == "" {
		errs = append(errs, problem(prefix+".reason", ErrMissing, "action is "+string(e.Action)))
	}
	if e.Action != ActionSnoozed && !e.Until.IsZero() {
		errs = append(errs, problem(prefix+".until", ErrNotApplicable, "action is "+string(e.Action)))
	}
	return errs
}

// activeStatus is the status of a conversation that is not set aside:
// pending while only an automated handler owns it, open otherwise.
func (c *Conversation) activeStatus() ConversationStatus {
	if c.Handler != "" && c.Owner == "" {
		return ConversationStatusPending
	}
	return ConversationStatusOpen
}

func (c *Conversation) refuse(a Action, detail string, sentinels ...error) error {
	return refusal("conversation", showConversationStatus(c.Status), string(a), detail, sentinels...)
}

func showConversationStatus(s ConversationStatus) string {
	if s == ConversationStatusUnknown {
		return "none"
	}
	return string(s)
}

// check refuses a change a from c's status unless it is one of allowed, and
// a change with an unusable time.
func (c *Conversation) check(a Action, at time.Time, allowed ...ConversationStatus) error {
	switch {
	case c.Status == ConversationStatusClosed:
		return c.refuse(a, "a closed conversation never changes")
	case c.Status != ConversationStatusUnknown && !c.Status.Known():
		return c.refuse(a, "", ErrUnknownStatus)
	case !slices.Contains(allowed, c.Status):
		return c.refuse(a, "not allowed from this status")
	case at.IsZero():
		return c.refuse(a, "no time", ErrMissing)
	case !c.OpenedAt.IsZero() && at.Before(c.OpenedAt):
		return c.refuse(a, "before the conversation opened", ErrInvalid)
	}
	return nil
}

// checkArgs refuses malformed identifiers and reasons, and a missing reason
// when needReason is set.
func (c *Conversation) checkArgs(a Action, to dealer.Staff, team dealer.Team, reason string, needReason bool) error {
	if to.Validate() != nil || team.Validate() != nil {
		return c.refuse(a, "malformed staff or team identifier", ErrInvalid)
	}
	if needReason && reason == "" {
		return c.refuse(a, "a reason is required", ErrMissing)
	}
	if checkLine(nil, "reason", reason, MaxTextLen) != nil {
		return c.refuse(a, "the reason is not one line of at most 4096 bytes", ErrInvalid)
	}
	return nil
}

// setOwner makes to the owner; the previous owner, a person, becomes a
// follower, so nobody is dropped from a conversation they worked on. The
// followers are rebuilt in a new slice, never in one another copy of c may
// share.
func (c *Conversation) setOwner(to dealer.Staff) {
	prev := c.Owner
	fs := make([]dealer.Staff, 0, len(c.Followers)+1)
	for _, f := range c.Followers {
		if f != to {
			fs = append(fs, f)
		}
	}
	if prev != "" && prev != to && !slices.Contains(fs, prev) {
		fs = append(fs, prev)
	}
	if len(fs) == 0 {
		fs = nil
	}
	c.Owner, c.Followers = to, fs
}

// Open starts a new conversation, at its first touch: c must have no status
// yet. The status becomes pending when an automated handler owns it from
// the start (Handler set, Owner not), open otherwise; OpenedAt becomes at.
// Record the first interaction with [Conversation.Touch] next.
func (c *Conversation) Open(at time.Time) (LifecycleEvent, error) {
	if err := c.check(ActionOpened, at, ConversationStatusUnknown); err != nil {
		return LifecycleEvent{}, err
	}
	if err := c.checkArgs(ActionOpened, c.Owner, c.Team, "", false); err != nil {
		return LifecycleEvent{}, err
	}
	c.Status, c.OpenedAt = c.activeStatus(), at
	to := c.Owner
	if c.Status == ConversationStatusPending {
		to = c.Handler
	}
	return LifecycleEvent{Action: ActionOpened, At: at, Status: c.Status, To: to, Team: c.Team}, nil
}

// Escalate passes a pending conversation from its automated handler to a
// person (to), a team, or both, for a reason ("customer asked for a
// person", "trade-in question"), which is required. The conversation
// becomes open and owned by to (by nobody, in the team's queue, when to is
// zero); Team becomes team when team is set; Handler is cleared and so is
// any PendingHandoff.
//
// The person's response clock starts now: when the customer is waiting
// (WaitingSince set), WaitingSince moves to at, so that time spent with the
// handler does not count against the person.
func (c *Conversation) Escalate(to dealer.Staff, team dealer.Team, reason string, at time.Time) (LifecycleEvent, error) {
	if err := c.check(ActionEscalated, at, ConversationStatusPending); err != nil {
		return LifecycleEvent{}, err
	}
	if err := c.checkArgs(ActionEscalated, to, team, reason, true); err != nil {
		return LifecycleEvent{}, err
	}
	if to == "" && team == "" {
		return LifecycleEvent{}, c.refuse(ActionEscalated, "escalate to a member of staff or a team", ErrMissing)
	}
	ev := LifecycleEvent{Action: ActionEscalated, At: at, From: c.Handler, To: to, Team: team, Reason: reason}
	c.setOwner(to)
	if team != "" {
		c.Team = team
	}
	c.Handler, c.PendingHandoff = "", nil
	c.Status = ConversationStatusOpen
	if !c.WaitingSince.IsZero() && c.WaitingSince.Before(at) {
		c.WaitingSince = at
	}
	ev.Status = c.Status
	return ev, nil
}

// Assign makes to the owner and, when team is set, team the team, directly
// (a manager assigning, or someone taking an unassigned conversation from
// the team's queue). A zero to leaves the conversation to the team with no
// person. The previous owner becomes a follower; a pending handoff is
// withdrawn. Allowed while open, snoozed or resolved; a pending
// conversation is escalated instead ([Conversation.Escalate]), with a
// reason. Assigning the current owner and team again is refused (also
// ErrMismatch), as is assigning nobody (also ErrMissing).
func (c *Conversation) Assign(to dealer.Staff, team dealer.Team, at time.Time) (LifecycleEvent, error) {
	a := ActionAssigned
	if err := c.check(a, at, ConversationStatusOpen, ConversationStatusSnoozed, ConversationStatusResolved); err != nil {
		return LifecycleEvent{}, err
	}
	if err := c.checkArgs(a, to, team, "", false); err != nil {
		return LifecycleEvent{}, err
	}
	switch {
	case to == "" && team == "":
		return LifecycleEvent{}, c.refuse(a, "assign a member of staff or a team", ErrMissing)
	case to == c.Owner && (team == "" || team == c.Team):
		return LifecycleEvent{}, c.refuse(a, "already assigned", ErrMismatch)
	}
	ev := LifecycleEvent{Action: a, At: at, From: c.Owner, To: to, Team: team, Status: c.Status}
	c.setOwner(to)
	if team != "" {
		c.Team = team
	}
	c.PendingHandoff = nil
	return ev, nil
}

// OfferHandoff offers the conversation to another member of staff (to), a
// team, or both, for a reason, which is required ("customer is ready for
// F&I"). The offer waits in PendingHandoff until it is accepted or
// declined; the owner keeps the conversation meanwhile. Allowed while open
// or snoozed and no other offer is pending. Offering it to its own owner is
// refused (also ErrMismatch).
func (c *Conversation) OfferHandoff(to dealer.Staff, team dealer.Team, reason string, at time.Time) (LifecycleEvent, error) {
	a := ActionHandoffOffered
	if err := c.check(a, at, ConversationStatusOpen, ConversationStatusSnoozed); err != nil {
		return LifecycleEvent{}, err
	}
	if err := c.checkArgs(a, to, team, reason, true); err != nil {
		return LifecycleEvent{}, err
	}
	switch {
	case c.PendingHandoff != nil:
		return LifecycleEvent{}, c.refuse(a, "another handoff is pending")
	case to == "" && team == "":
		return LifecycleEvent{}, c.refuse(a, "offer it to a member of staff or a team", ErrMissing)
	case to != "" && to == c.Owner:
		return LifecycleEvent{}, c.refuse(a, "offered to its own owner", ErrMismatch)
	}
	c.PendingHandoff = &Handoff{From: c.Owner, To: to, Team: team, Reason: reason, At: at}
	return LifecycleEvent{Action: a, At: at, Status: c.Status, From: c.Owner, To: to, Team: team, Reason: reason}, nil
}

// AcceptHandoff takes the pending handoff: by becomes the owner (and the
// offer's team, if it named one, the team), and the previous owner becomes
// a follower, so nobody is abandoned mid-process. by is required, and must
// be the member of staff the offer named, if it named one, and not the one
// who made the offer (a team handoff is taken by someone else in the team);
// else ErrMismatch.
// Allowed while open, snoozed or resolved, with a handoff pending.
func (c *Conversation) AcceptHandoff(by dealer.Staff, at time.Time) (LifecycleEvent, error) {
	a := ActionHandoffAccepted
	if err := c.check(a, at, ConversationStatusOpen, ConversationStatusSnoozed, ConversationStatusResolved); err != nil {
		return LifecycleEvent{}, err
	}
	if err := c.checkArgs(a, by, "", "", false); err != nil {
		return LifecycleEvent{}, err
	}
	h := c.PendingHandoff
	switch {
	case h == nil:
		return LifecycleEvent{}, c.refuse(a, "no handoff is pending")
	case by == "":
		return LifecycleEvent{}, c.refuse(a, "who accepts it is required", ErrMissing)
	case h.To != "" && by != h.To:
		return LifecycleEvent{}, c.refuse(a, "offered to another member of staff", ErrMismatch)
	case h.From != "" && by == h.From:
		return LifecycleEvent{}, c.refuse(a, "the member of staff who offered it cannot accept it", ErrMismatch)
	}
	ev := LifecycleEvent{Action: a, At: at, Status: c.Status, By: by, From: c.Owner, To: by, Team: h.Team, Reason: h.Reason}
	c.setOwner(by)
	if h.Team != "" {
		c.Team = h.Team
	}
	c.PendingHandoff = nil
	return ev, nil
}

// DeclineHandoff declines the pending handoff (by the member of staff it
// was offered to, or anyone when it was offered to a team) or withdraws it
// (by the owner who offered it); reason, optional, says why. The owner
// keeps the conversation. by is required, and must be one of those (else
// ErrMismatch). Allowed while open, snoozed or resolved, with a handoff
// pending.
func (c *Conversation) DeclineHandoff(by dealer.Staff, reason string, at time.Time) (LifecycleEvent, error) {
	a := ActionHandoffDeclined
	if err := c.check(a, at, ConversationStatusOpen, ConversationStatusSnoozed, ConversationStatusResolved); err != nil {
		return LifecycleEvent{}, err
	}
	if err := c.checkArgs(a, by, "", reason, false); err != nil {
		return LifecycleEvent{}, err
	}
	h := c.PendingHandoff
	switch {
	case h == nil:
		return LifecycleEvent{}, c.refuse(a, "no handoff is pending")
	case by == "":
		return LifecycleEvent{}, c.refuse(a, "who declines it is required", ErrMissing)
	case h.To != "" && by != h.To && by != h.From:
		return LifecycleEvent{}, c.refuse(a, "neither offered to nor by this member of staff", ErrMismatch)
	}
	c.PendingHandoff = nil
	return LifecycleEvent{Action: a, At: at, Status: c.Status, By: by, From: h.From, To: h.To, Team: h.Team, Reason: reason}, nil
}

// Snooze sets the conversation aside until until, or, when until is zero,
// until the customer writes. until, when set, must be after at (else
// ErrInvalid). Allowed while open or snoozed (snoozing again moves the wake
// time). Snoozing does not stop a response clock: a customer who wrote is
// still waiting.
func (c *Conversation) Snooze(until, at time.Time) (LifecycleEvent, error) {
	a := ActionSnoozed
	if err := c.check(a, at, ConversationStatusOpen, ConversationStatusSnoozed); err != nil {
		return LifecycleEvent{}, err
	}
	if !until.IsZero() && !until.After(at) {
		return LifecycleEvent{}, c.refuse(a, "wake time not after the snooze", ErrInvalid)
	}
	c.Status, c.SnoozedUntil = ConversationStatusSnoozed, until
	return LifecycleEvent{Action: a, At: at, Status: c.Status, Until: until}, nil
}

// SnoozeOver reports whether c is snoozed until a time that has come by at:
// a Book's sweeper wakes such conversations with [Conversation.Wake]. A
// conversation snoozed until the customer writes (zero SnoozedUntil) is
// never over.
func (c Conversation) SnoozeOver(at time.Time) bool {
	return c.Status == ConversationStatusSnoozed && !c.SnoozedUntil.IsZero() && !at.Before(c.SnoozedUntil)
}

// Wake returns a snoozed conversation to open, and clears SnoozedUntil.
// [Conversation.Touch] wakes it too when the customer writes.
func (c *Conversation) Wake(at time.Time) (LifecycleEvent, error) {
	if err := c.check(ActionWoke, at, ConversationStatusSnoozed); err != nil {
		return LifecycleEvent{}, err
	}
	c.Status, c.SnoozedUntil = ConversationStatusOpen, time.Time{}
	return LifecycleEvent{Action: ActionWoke, At: at, Status: c.Status}, nil
}

// Resolve marks the conversation done for now: ResolvedAt becomes at,
// SnoozedUntil and WaitingSince are cleared (nothing waits on a resolved
// conversation; a customer message left unanswered counts as unanswered in
// [Meter]'s figures). Allowed while open, pending (the automated handler
// resolved it) or snoozed. A pending handoff stays pending.
func (c *Conversation) Resolve(at time.Time) (LifecycleEvent, error) {
	if err := c.check(ActionResolved, at, ConversationStatusOpen, ConversationStatusPending, ConversationStatusSnoozed); err != nil {
		return LifecycleEvent{}, err
	}
	c.Status, c.ResolvedAt = ConversationStatusResolved, at
	c.SnoozedUntil, c.WaitingSince = time.Time{}, time.Time{}
	return LifecycleEvent{Action: ActionResolved, At: at, Status: c.Status}, nil
}

// Reopen makes a resolved conversation active again: pending when only an
// automated handler owns it (it resolved it), open otherwise. ResolvedAt is
// kept. A re-opened conversation starts a new response clock: the time it
// spent resolved never counts. [Conversation.Touch] re-opens it when the
// customer writes.
func (c *Conversation) Reopen(at time.Time) (LifecycleEvent, error) {
	if err := c.check(ActionReopened, at, ConversationStatusResolved); err != nil {
		return LifecycleEvent{}, err
	}
	c.Status = c.activeStatus()
	return LifecycleEvent{Action: ActionReopened, At: at, Status: c.Status}, nil
}

// Close ends the conversation for good: ClosedAt becomes at; SnoozedUntil,
// WaitingSince and any pending handoff are cleared. A closed conversation is
// immutable: every later lifecycle change and Touch is refused, and new
// traffic from the customer starts a new conversation. Allowed from every
// other status this version knows.
func (c *Conversation) Close(at time.Time) (LifecycleEvent, error) {
	if err := c.check(ActionClosed, at, ConversationStatusOpen, ConversationStatusPending, ConversationStatusSnoozed, ConversationStatusResolved); err != nil {
		return LifecycleEvent{}, err
	}
	c.Status, c.ClosedAt = ConversationStatusClosed, at
	c.SnoozedUntil, c.WaitingSince, c.PendingHandoff = time.Time{}, time.Time{}, nil
	return LifecycleEvent{Action: ActionClosed, At: at, Status: c.Status}, nil
}

// Touch records interaction i on c: it applies the status change i implies
// and moves the anchors. The returned event's Action is zero when the
// status did not change.
//
// Status: an inbound message, call, email or chat ([Kind.Conversational])
// wakes a snoozed conversation ([ActionWoke]) and re-opens a resolved one
// ([ActionReopened], as [Conversation.Reopen]). Nothing else changes the
// status; in particular a person answering a pending conversation does not
// escalate it (call [Conversation.Escalate]).
//
// Anchors: LastInboundAt and LastOutboundAt move forward to i's time.
// WaitingSince is set by an interaction that awaits an answer (an inbound
// message, email, chat or a call no person answered) when nothing was
// waiting, or moved back to it when it is older, and cleared by one that
// answers ([Interaction.Responds]) at or after it; FirstHumanReplyAt is set
// by the first such answer.
//
// Touch refuses (with a *TransitionError) a closed conversation, one never
// opened, and an interaction with a zero OccurredAt. It applies only the
// anchors to a status this version does not know.
func (c *Conversation) Touch(i Interaction) (LifecycleEvent, error) {
	const a = "touched"
	from := showConversationStatus(c.Status)
	switch {
	case c.Status == ConversationStatusClosed:
		return LifecycleEvent{}, refusal("conversation", from, a, "a closed conversation takes no new interactions")
	case c.Status == ConversationStatusUnknown:
		return LifecycleEvent{}, refusal("conversation", from, a, "not opened")
	case i.OccurredAt.IsZero():
		return LifecycleEvent{}, refusal("conversation", from, a, "no time", ErrMissing)
	}
	var ev LifecycleEvent
	if i.Direction == DirectionInbound && i.Kind.Conversational() {
		at := i.OccurredAt
		switch c.Status {
		case ConversationStatusSnoozed:
			c.Status, c.SnoozedUntil = ConversationStatusOpen, time.Time{}
			ev = LifecycleEvent{Action: ActionWoke, At: at, Status: c.Status}
		case ConversationStatusResolved:
			c.Status = c.activeStatus()
			ev = LifecycleEvent{Action: ActionReopened, At: at, Status: c.Status}
		}
	}
	c.anchor(i)
	return ev, nil
}

// anchor moves c's SLA anchors for i.
func (c *Conversation) anchor(i Interaction) {
	t := i.OccurredAt
	switch i.Direction {
	case DirectionInbound:
		if t.After(c.LastInboundAt) {
			c.LastInboundAt = t
		}
	case DirectionOutbound:
		if t.After(c.LastOutboundAt) {
			c.LastOutboundAt = t
		}
	}
	switch {
	case i.awaitsAnswer():
		if c.WaitingSince.IsZero() || t.Before(c.WaitingSince) {
			c.WaitingSince = t
		}
	case i.Responds():
		if !c.WaitingSince.IsZero() && !t.Before(c.WaitingSince) {
			if c.FirstHumanReplyAt.IsZero() {
				c.FirstHumanReplyAt = t
			}
			c.WaitingSince = time.Time{}
		}
	}
}

// UnacceptedHandoffs returns the conversations of cs that have a handoff
// waiting for acceptance and are not closed, oldest offer first (ties keep
// the order of cs). The result is a new slice; the conversations in it share
// their Followers and PendingHandoff with cs.
func UnacceptedHandoffs(cs []Conversation) []Conversation {
	var out []Conversation
	for _, c := range cs {
		if c.PendingHandoff != nil && c.Status != ConversationStatusClosed {
			out = append(out, c)
		}
	}
	slices.SortStableFunc(out, func(a, b Conversation) int {
		return a.PendingHandoff.At.Compare(b.PendingHandoff.At)
	})
	return out
}
