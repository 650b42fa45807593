package rapport

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

// Callbacks is the handle for callback requests, from [Book.Callbacks]: a
// customer asks, on any channel, to be called back, and the request waits
// in the queue of a rooftop and team until it is kept or cancelled.
//
// A callback request is a commitment (interaction.Commitment) whose
// Callback is set: it is stored, listed, kept (Commitments.Keep), handed
// off (Commitments.HandOff) and cancelled (Commitments.Cancel) as one, it
// is in the change feed as one, and when it is past due it is listed with
// the overdue commitments (Commitments.Overdue, Brief.Commitments).
//
// The zero Callbacks is not usable: get one from [Book.Callbacks].
type Callbacks struct{ b *Book }

// Callbacks returns the handle for callback requests.
func (b *Book) Callbacks() Callbacks { return Callbacks{b: b} }

// DefaultCallbackDue is how long after the request a callback is due when
// the request names no due time.
const DefaultCallbackDue = 2 * time.Hour

// CallbackRequest is a customer's request to be called back.
type CallbackRequest struct {
	// Customer is who asked. Required unless Source names an interaction
	// with a customer.
	Customer customer.ID
	// Source is the interaction in which they asked (a text, a chat, a
	// missed call); its customer, conversation, rooftop and channel fill in
	// what the request leaves zero.
	Source interaction.ID
	// Rooftop and Team name the queue; both required (Rooftop may come
	// from Source).
	Rooftop dealer.Rooftop
	Team    dealer.Team
	// Address is the number to call; zero means the customer's primary
	// deliverable phone number, else their first one.
	Address channel.Address
	// RequestedOn is the channel they asked on; zero means Source's.
	RequestedOn channel.Kind
	// Windows are the times they asked to be called in, read in Zone
	// (required with them); none means their stated contact windows apply.
	Windows []channel.Window
	Zone    string
	// Due is when the callback is owed by; zero means DefaultCallbackDue
	// after now.
	Due time.Time
	// What is the promise as staff read it; zero means "Call back".
	What string
}

// Request queues a callback request: a commitment of r.Team at r.Rooftop,
// owed to the customer, with its callback details. It returns the
// commitment as stored. A request without a team, a rooftop or a number to
// call fails with an *interaction.ValidationError naming the field.
func (cs Callbacks) Request(ctx context.Context, r CallbackRequest) (interaction.Commitment, error) {
	b := cs.b
	cm, err := b.callbackCommitment(ctx, r)
	if err != nil {
		return interaction.Commitment{}, fail("Callbacks.Request", err)
	}
	out, err := b.Commitments().Make(ctx, cm)
	if err != nil {
		return interaction.Commitment{}, fail("Callbacks.Request", err)
	}
	return out, nil
}

func (b *Book) callbackCommitment(ctx context.Context, r CallbackRequest) (interaction.Commitment, error) {
	if !r.Source.IsZero() {
		i, err := b.backend.GetInteraction(ctx, b.tenant, r.Source)
		if err != nil {
			return interaction.Commitment{}, fmt.Errorf("the request's source interaction: %w", err)
		}
		if r.Customer.IsZero() {
			r.Customer = i.Customer
		}
		if r.Rooftop == "" {
			r.Rooftop = i.Rooftop
		}
		if r.RequestedOn == channel.KindUnknown {
			r.RequestedOn = i.Channel
		}
		if r.Address.IsZero() && i.Address.Supports(channel.KindVoice) {
			r.Address = i.Address
		}
	}
	if r.Address.IsZero() && !r.Customer.IsZero() {
		c, err := b.backend.GetCustomer(ctx, b.tenant, r.Customer)
		if err != nil {
			return interaction.Commitment{}, fmt.Errorf("the request's customer: %w", err)
		}
		r.Address = phoneOf(c)
	}
	switch {
	case r.Team == "":
		return interaction.Commitment{}, &interaction.ValidationError{Field: "team", Err: fmt.Errorf("%w: a callback queues for a team", interaction.ErrMissing)}
	case r.Rooftop == "":
		return interaction.Commitment{}, &interaction.ValidationError{Field: "rooftop", Err: fmt.Errorf("%w: a callback queues at a rooftop", interaction.ErrMissing)}
	case !r.Address.IsZero() && !r.Address.Supports(channel.KindVoice):
		return interaction.Commitment{}, &interaction.ValidationError{Field: "callback.address", Err: fmt.Errorf("%w: not a phone number", interaction.ErrMismatch)}
	}
	if r.Due.IsZero() {
		r.Due = b.clock().Add(DefaultCallbackDue)
	}
	if r.What == "" {
		r.What = "Call back"
	}
	return interaction.Commitment{
		Rooftop: r.Rooftop, Customer: r.Customer, Source: r.Source, What: r.What, Team: r.Team, Due: r.Due,
		Callback: &interaction.Callback{Address: r.Address, RequestedOn: r.RequestedOn,
			Windows: slices.Clone(r.Windows), Zone: r.Zone},
	}, nil
}

// phoneOf returns the customer's primary deliverable phone number, else
// their first deliverable one; zero when they have none.
func phoneOf(c customer.Customer) channel.Address {
	var first channel.Address
	for _, cp := range c.ContactPoints {
		if cp.Undeliverable() || !cp.Address.Supports(channel.KindVoice) {
			continue
		}
		if cp.Primary {
			return cp.Address
		}
		if first.IsZero() {
			first = cp.Address
		}
	}
	return first
}

// Take assigns an open callback request to act.By (required), who will
// make the call: it becomes the commitment's Owner, and Callback.TakenAt
// act.At (now when zero). A request taken by someone else is refused with
// an *interaction.TransitionError wrapping ErrMismatch (hand it off
// instead); taking it again is allowed and changes nothing but the time.
func (cs Callbacks) Take(ctx context.Context, id interaction.CommitmentID, act Act) (interaction.Commitment, error) {
	b := cs.b
	var out interaction.Commitment
	err := b.changeCallback(ctx, id, act, func(tx storage.Tx, c *interaction.Commitment, at, now time.Time) error {
		return take(c, act.By, at)
	})
	if err == nil {
		out, err = b.backend.GetCommitment(ctx, b.tenant, id)
	}
	return out, fail("Callbacks.Take", err)
}

func take(c *interaction.Commitment, by dealer.Staff, at time.Time) error {
	refuse := func(detail string, sentinel error) error {
		return &interaction.TransitionError{Record: "callback", From: string(c.Status), Action: "taken",
			Err: fmt.Errorf("%w: %w: %s", interaction.ErrInvalidTransition, sentinel, detail)}
	}
	switch {
	case by == "":
		return refuse("who takes it (Act.By)", interaction.ErrMissing)
	case c.Owner != "" && c.Owner != by:
		return refuse("taken by another member of staff", interaction.ErrMismatch)
	}
	c.Owner, c.Callback.TakenAt = by, at
	return nil
}

// NoAnswer records an unanswered attempt on a callback request by act.By
// (required) at act.At (now when zero): an outbound voice call to the
// request's number with outcome no_answer, in the request's conversation,
// whose ID is added to Callback.Attempts. The call is judged as Send
// judges one, as a service call: a refusal fails with a *RefusedError
// (ErrRefused) and records nothing; the decision is kept on the call
// (Interaction.Consent). The
// request is taken by act.By if nobody had it (see Take) and stays queued
// until it is kept or cancelled. Everything is written in one transaction.
// It returns the request and the call as stored.
func (cs Callbacks) NoAnswer(ctx context.Context, id interaction.CommitmentID, act Act) (interaction.Commitment, Recorded, error) {
	b := cs.b
	var rec Recorded
	err := b.changeCallback(ctx, id, act, func(tx storage.Tx, c *interaction.Commitment, at, now time.Time) error {
		if err := take(c, act.By, at); err != nil {
			return err
		}
		if c.Callback.TakenAt.After(at) || c.Callback.TakenAt.IsZero() {
			c.Callback.TakenAt = at
		}
		v, err := b.check(ctx, tx, Contact{Address: c.Callback.Address, Channel: channel.KindVoice, Purpose: consent.PurposeService,
			Rooftop: c.Rooftop, Customer: c.Customer, Staff: act.By, At: at})
		if err != nil {
			return err
		}
		if !v.Allowed() {
			return &RefusedError{Verdict: v}
		}
		call, err := b.prepare(interaction.Interaction{
			Rooftop: c.Rooftop, Customer: c.Customer, Conversation: c.Conversation,
			Channel: channel.KindVoice, Address: c.Callback.Address, Direction: interaction.DirectionOutbound,
			Kind: interaction.KindCall, Authorship: interaction.AuthorshipHuman, OccurredAt: at,
			Participants: []interaction.Participant{{Staff: act.By}},
			Call:         &interaction.Call{Outcome: interaction.CallOutcomeNoAnswer},
			Consent:      consentRecord(v.Consent, consent.PurposeService, false, "", at),
		}, now)
		if err != nil {
			return err
		}
		if rec, err = b.record(ctx, tx, call, "", now); err != nil {
			return err
		}
		c.Callback.Attempts = append(c.Callback.Attempts, rec.Interaction.ID)
		return nil
	})
	if err != nil {
		return interaction.Commitment{}, Recorded{}, fail("Callbacks.NoAnswer", err)
	}
	out, err := b.backend.GetCommitment(ctx, b.tenant, id)
	return out, rec, fail("Callbacks.NoAnswer", err)
}

// changeCallback applies a step to an open callback request and stores it,
// with its revision checked, in one transaction.
func (b *Book) changeCallback(ctx context.Context, id interaction.CommitmentID, act Act, step func(storage.Tx, *interaction.Commitment, time.Time, time.Time) error) error {
	now := b.clock()
	at := act.when(now)
	return b.backend.Update(ctx, func(tx storage.Tx) error {
		c, err := tx.GetCommitment(ctx, b.tenant, id)
		if err != nil {
			return err
		}
		refuse := func(detail string, sentinels ...error) error {
			return &interaction.TransitionError{Record: "callback", From: string(c.Status), Action: "changed",
				Err: fmt.Errorf("%w: %w: %s", interaction.ErrInvalidTransition, sentinelOr(sentinels), detail)}
		}
		switch {
		case c.Callback == nil:
			return refuse("not a callback request", interaction.ErrMismatch)
		case c.Status != interaction.CommitmentStatusOpen:
			return refuse("the request is not open")
		case at.After(now):
			return refuse("dated in the future", ErrStepTime)
		}
		if err := step(tx, &c, at, now); err != nil {
			return err
		}
		c.UpdatedAt = now
		if err := c.Validate(); err != nil {
			return err
		}
		_, err = tx.UpdateCommitment(ctx, c)
		return err
	})
}

func sentinelOr(errs []error) error {
	if len(errs) > 0 {
		return errs[0]
	}
	return interaction.ErrInvalidTransition
}

// CallbackQueueOptions configure [Callbacks.Queue]. nil means the
// defaults.
type CallbackQueueOptions struct {
	// PaceWindow is how far back the pace is measured; zero means
	// DefaultPaceWindow.
	PaceWindow time.Duration
}

// DefaultPaceWindow is how far back Callbacks.Queue measures the pace.
const DefaultPaceWindow = 7 * 24 * time.Hour

// CallbackQueue is the queue of open callback requests of a rooftop and
// team.
type CallbackQueue struct {
	Rooftop dealer.Rooftop `json:"rooftop"`
	Team    dealer.Team    `json:"team"`
	At      time.Time      `json:"at"`
	// Pace is the median time between consecutive kept callbacks of the
	// queue (by Commitment.DoneAt) within the pace window; zero when fewer
	// than two were kept in it (the pace is unknown, and so are ETAs).
	Pace time.Duration `json:"pace_ns,omitempty"`
	// PaceSources are the kept callbacks the pace was measured on.
	PaceSources []Source `json:"pace_sources,omitempty"`
	// Waiting are the open requests, first come first served (by
	// CreatedAt, then ID), taken ones included until they are kept or
	// cancelled.
	Waiting []QueuedCallback `json:"waiting,omitempty"`
}

// QueuedCallback is a request in its queue.
type QueuedCallback struct {
	Commitment interaction.Commitment `json:"commitment"`
	// Position is its place in the queue, from 1.
	Position int `json:"position"`
	// Overdue says it is past its due time.
	Overdue bool `json:"overdue,omitempty"`
	// CallableNow says the customer may be called now: the time is inside
	// the windows they asked for (else their stated contact windows, if
	// any), outside the quiet hours of the rooftop's policy for calls (the
	// Hours of each of its rules for voice, whatever the purpose, in each
	// of the customer's time zones as Book.Check finds them), and
	// Book.Check allows a service call to the number now.
	CallableNow bool `json:"callable_now"`
	// OutsideWindows says now is outside the customer's windows;
	// QuietHours that it is inside the policy's quiet hours for calls.
	OutsideWindows bool `json:"outside_windows,omitempty"`
	QuietHours     bool `json:"quiet_hours,omitempty"`
	// Verdict is Book.Check's verdict for a service call to the number now.
	Verdict Verdict `json:"verdict"`
	// NextCallable is the first time from now on when the customer may be
	// called, as CallableNow judges it; zero when none within the next
	// week, or when consent refuses for a reason time does not cure.
	NextCallable time.Time `json:"next_callable,omitzero"`
	// ETA is when the call can be expected: Position times the pace from
	// now, moved to the first callable time at or after it. Zero when the
	// pace is unknown or no callable time is found.
	ETA time.Time `json:"eta,omitzero"`
	// Sources are the request (and its source interaction and attempts).
	Sources []Source `json:"sources"`
}

// Queue returns the open callback requests of a rooftop and team, in order,
// with each one's position, whether the customer may be called now, the
// next time they may be, and an estimated time from the recent pace.
func (cs Callbacks) Queue(ctx context.Context, rooftop dealer.Rooftop, team dealer.Team, opts *CallbackQueueOptions) (CallbackQueue, error) {
	b := cs.b
	var o CallbackQueueOptions
	if opts != nil {
		o = *opts
	}
	if o.PaceWindow <= 0 {
		o.PaceWindow = DefaultPaceWindow
	}
	now := b.clock()
	q := CallbackQueue{Rooftop: rooftop, Team: team, At: now}
	list := func(s interaction.CommitmentStatus, doneSince time.Time) ([]interaction.Commitment, error) {
		var out []interaction.Commitment
		cq := storage.CommitmentQuery{Rooftop: rooftop, Team: team, Statuses: []interaction.CommitmentStatus{s}, DoneSince: doneSince}
		for cm, err := range pages("Callbacks.Queue", func(after storage.Cursor) ([]interaction.Commitment, storage.Cursor, error) {
			return b.backend.Commitments(ctx, b.tenant, cq, after, listPage)
		}) {
			if err != nil {
				return nil, err
			}
			if cm.Callback != nil && cm.Rooftop == rooftop && cm.Team == team {
				out = append(out, cm)
			}
		}
		return out, nil
	}
	// Only the callbacks kept within the pace window are read, however
	// many the rooftop has kept before.
	done, err := list(interaction.CommitmentStatusDone, now.Add(-o.PaceWindow))
	if err != nil {
		return CallbackQueue{}, fail("Callbacks.Queue", err)
	}
	q.Pace, q.PaceSources = pace(done, now.Add(-o.PaceWindow), now)
	open, err := list(interaction.CommitmentStatusOpen, time.Time{})
	if err != nil {
		return CallbackQueue{}, fail("Callbacks.Queue", err)
	}
	slices.SortFunc(open, func(x, y interaction.Commitment) int {
		if c := x.CreatedAt.Compare(y.CreatedAt); c != 0 {
			return c
		}
		return bytes.Compare(x.ID[:], y.ID[:])
	})
	for k, cm := range open {
		it := QueuedCallback{Commitment: cm, Position: k + 1, Overdue: cm.Overdue(now), Sources: commitmentItem(cm, now).Sources}
		cal, err := b.callable(ctx, cm)
		if err != nil {
			return CallbackQueue{}, fail("Callbacks.Queue", err)
		}
		w, err := cal.at(ctx, now)
		if err != nil {
			return CallbackQueue{}, fail("Callbacks.Queue", err)
		}
		it.CallableNow, it.Verdict, it.OutsideWindows, it.QuietHours = w.ok, w.verdict, w.outside, w.quietTime
		var ok bool
		if it.NextCallable, ok, err = cal.next(ctx, now); err != nil {
			return CallbackQueue{}, fail("Callbacks.Queue", err)
		}
		if q.Pace > 0 && ok {
			eta, found, err := cal.next(ctx, now.Add(time.Duration(it.Position)*q.Pace))
			if err != nil {
				return CallbackQueue{}, fail("Callbacks.Queue", err)
			}
			if found {
				it.ETA = eta
			}
		}
		q.Waiting = append(q.Waiting, it)
	}
	return q, nil
}

// pace returns the median gap between consecutive DoneAt times of the
// callbacks kept in [since, now], and those callbacks.
func pace(done []interaction.Commitment, since, now time.Time) (time.Duration, []Source) {
	var kept []interaction.Commitment
	for _, c := range done {
		if !c.DoneAt.Before(since) && !c.DoneAt.After(now) {
			kept = append(kept, c)
		}
	}
	if len(kept) < 2 {
		return 0, nil
	}
	slices.SortFunc(kept, func(x, y interaction.Commitment) int { return x.DoneAt.Compare(y.DoneAt) })
	gaps := make([]time.Duration, 0, len(kept)-1)
	srcs := make([]Source, 0, len(kept))
	for k, c := range kept {
		srcs = append(srcs, src(storage.EntityCommitment, c.ID))
		if k > 0 {
			gaps = append(gaps, c.DoneAt.Sub(kept[k-1].DoneAt))
		}
	}
	slices.Sort(gaps)
	m := len(gaps) / 2
	if len(gaps)%2 == 1 {
		return gaps[m], srcs
	}
	return gaps[m-1] + (gaps[m]-gaps[m-1])/2, srcs
}

// callable judges when a callback's customer may be called: inside every
// gate, and with Check's consent.
type callable struct {
	b     *Book
	cm    interaction.Commitment
	gates []gate
}

// gate is a set of weekly windows read in one time zone; quiet says they
// are the policy's hours rather than the customer's windows.
type gate struct {
	ws    []channel.Window
	loc   *time.Location
	quiet bool
}

// callable gathers what limits the time of a callback: the windows of the
// request, else the customer's stated ones; and the quiet hours of the
// rooftop's policy for calls, in each of the customer's time zones.
func (b *Book) callable(ctx context.Context, cm interaction.Commitment) (*callable, error) {
	cal := &callable{b: b, cm: cm}
	c, err := b.backend.GetCustomer(ctx, b.tenant, cm.Customer)
	if err != nil {
		return nil, err
	}
	ws, zone := cm.Callback.Windows, cm.Callback.Zone
	if len(ws) == 0 {
		ws, zone = c.Preference.Windows, c.Preference.Zone
	}
	if len(ws) > 0 {
		loc, err := b.location(zone)
		if err != nil {
			return nil, &customer.ValidationError{Field: "preference.zone", Err: fmt.Errorf("%w: %q is not in the time zone database", channel.ErrInvalidZone, zone)}
		}
		cal.gates = append(cal.gates, gate{ws, loc, false})
	}
	policy := b.policies.For(cm.Rooftop)
	hours := callHours(policy)
	if len(hours) > 0 {
		line := cm.Callback.Address.Line()
		zones := b.zones([]storage.Recipient{storage.RecipientOf(&c, line)}, line, policy)
		if len(zones) == 0 {
			return nil, &customer.ValidationError{Field: "preference.zone", Err: fmt.Errorf("%w: the customer's time zone is unknown", channel.ErrInvalidZone)}
		}
		for _, h := range hours {
			for _, z := range zones {
				cal.gates = append(cal.gates, gate{h, z, true})
			}
		}
	}
	return cal, nil
}

// callHours returns the quiet hours a callback keeps: the Hours of every
// rule of p for voice calls, whatever its purpose (a callback is a service
// call, which the law may not restrict by time, but nobody wants one at
// six in the morning).
func callHours(p consent.Policy) [][]channel.Window {
	var out [][]channel.Window
	for _, r := range p.Rules {
		if len(r.Hours) > 0 && (len(r.Channels) == 0 || slices.Contains(r.Channels, channel.KindVoice)) {
			out = append(out, r.Hours)
		}
	}
	return out
}

// when is what callable.at finds about a time.
type when struct {
	ok                 bool
	verdict            Verdict
	outside, quietTime bool
}

// at reports whether the customer may be called at t, why not, and
// Check's verdict for a service call then.
func (cal *callable) at(ctx context.Context, t time.Time) (when, error) {
	v, err := cal.b.check(ctx, cal.b.backend, Contact{Address: cal.cm.Callback.Address, Channel: channel.KindVoice,
		Purpose: consent.PurposeService, Rooftop: cal.cm.Rooftop, Customer: cal.cm.Customer, Staff: cal.cm.Owner, At: t})
	if err != nil {
		return when{}, err
	}
	w := when{verdict: v}
	for _, g := range cal.gates {
		if !channel.InWindows(g.ws, t.In(g.loc)) {
			if g.quiet {
				w.quietTime = true
			} else {
				w.outside = true
			}
		}
	}
	w.ok = !w.outside && !w.quietTime && v.Consent.Allowed
	return w, nil
}

// next returns the first time at or after t when the customer may be
// called, looking a week ahead.
func (cal *callable) next(ctx context.Context, t time.Time) (time.Time, bool, error) {
	limit := t.Add(7 * 24 * time.Hour)
	for range 32 {
		moved := false
		for _, g := range cal.gates {
			n, ok := nextInWindows(g.ws, g.loc, t)
			if !ok {
				return time.Time{}, false, nil
			}
			if n.After(t) {
				t, moved = n, true
			}
		}
		if t.After(limit) {
			return time.Time{}, false, nil
		}
		if moved {
			continue // every gate again, at the new time
		}
		w, err := cal.at(ctx, t)
		if err != nil || w.ok {
			return t, w.ok, err
		}
		if !w.verdict.Consent.NextAllowed.After(t) {
			return time.Time{}, false, nil
		}
		t = w.verdict.Consent.NextAllowed
	}
	return time.Time{}, false, nil
}

// nextInWindows returns the first instant at or after t inside one of ws,
// read in loc, within eight days.
func nextInWindows(ws []channel.Window, loc *time.Location, t time.Time) (time.Time, bool) {
	lt := t.In(loc)
	if channel.InWindows(ws, lt) {
		return t, true
	}
	var best time.Time
	for d := range 9 {
		day := time.Date(lt.Year(), lt.Month(), lt.Day()+d, 0, 0, 0, 0, loc)
		for _, w := range ws {
			if w.Day != day.Weekday() {
				continue
			}
			start := time.Date(day.Year(), day.Month(), day.Day(), w.Start.Hour(), w.Start.Minute(), 0, 0, loc)
			if start.After(t) && (best.IsZero() || start.Before(best)) {
				best = start
			}
		}
		if !best.IsZero() {
			return best.UTC(), true
		}
	}
	return time.Time{}, false
}
