package rapport

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

// Conversations is the handle for conversation lifecycles, from
// [Book.Conversations]. It holds nothing but the Book: make one whenever it
// is needed.
//
// Each lifecycle call loads the conversation, applies one step
// (interaction.Conversation's methods decide what is legal: an illegal step
// fails with an *interaction.TransitionError wrapping
// interaction.ErrInvalidTransition), validates the result, stores it with
// its revision checked, and records the step, with who took it, as a
// lifecycle interaction on the customer's timeline, all in one
// transaction; on any failure nothing is written. The step happens at
// act.At (see [Act]): a time before the conversation's latest lifecycle
// step, or in the future, is refused. A call that ends a pending handoff
// without answering it (Assign, Close, Escalate) records how it ended: a
// handoff_declined step, by act.By, naming the call. The calls return the
// conversation as stored.
//
// The zero Conversations is not usable: get one from [Book.Conversations].
type Conversations struct{ b *Book }

// Conversations returns the handle for conversation lifecycles: escalation,
// assignment, handoffs, snoozing, resolving and closing.
func (b *Book) Conversations() Conversations { return Conversations{b: b} }

// Escalate hands a conversation owned by an automated handler (pending) to
// a person or team, with the reason the customer needs a human
// (act.Reason, required). The person's response clock starts at the
// escalation.
func (cs Conversations) Escalate(ctx context.Context, id interaction.ConversationID, to dealer.Staff, team dealer.Team, act Act) (interaction.Conversation, error) {
	out, err := cs.b.transition(ctx, id, act, "escalated", func(c *interaction.Conversation, at time.Time) (interaction.LifecycleEvent, error) {
		return c.Escalate(to, team, act.Reason, at)
	})
	return out, fail("Conversations.Escalate", err)
}

// Assign gives a conversation an owner (and team); a previous owner stays
// on as a follower.
func (cs Conversations) Assign(ctx context.Context, id interaction.ConversationID, to dealer.Staff, team dealer.Team, act Act) (interaction.Conversation, error) {
	out, err := cs.b.transition(ctx, id, act, "assigned", func(c *interaction.Conversation, at time.Time) (interaction.LifecycleEvent, error) {
		return c.Assign(to, team, at)
	})
	return out, fail("Conversations.Assign", err)
}

// OfferHandoff offers the conversation to another member of staff or team,
// with a reason (act.Reason, required: "F&I takes over for the
// paperwork"). The handoff awaits acceptance; until then the current owner
// keeps it, and it is listed by UnacceptedHandoffs.
func (cs Conversations) OfferHandoff(ctx context.Context, id interaction.ConversationID, to dealer.Staff, team dealer.Team, act Act) (interaction.Conversation, error) {
	out, err := cs.b.transition(ctx, id, act, "handoff_offered", func(c *interaction.Conversation, at time.Time) (interaction.LifecycleEvent, error) {
		return c.OfferHandoff(to, team, act.Reason, at)
	})
	return out, fail("Conversations.OfferHandoff", err)
}

// AcceptHandoff completes a pending handoff: act.By (required) becomes the
// owner and the previous owner stays on as a follower, so nobody is
// dropped mid-process. An offer to a person can be accepted only by that
// person, an offer to a team by anyone but the member who offered it.
func (cs Conversations) AcceptHandoff(ctx context.Context, id interaction.ConversationID, act Act) (interaction.Conversation, error) {
	out, err := cs.b.transition(ctx, id, act, "handoff_accepted", func(c *interaction.Conversation, at time.Time) (interaction.LifecycleEvent, error) {
		return c.AcceptHandoff(act.By, at)
	})
	return out, fail("Conversations.AcceptHandoff", err)
}

// DeclineHandoff declines (by the one offered it) or withdraws (by the one
// who offered it) a pending handoff; act.By is required.
func (cs Conversations) DeclineHandoff(ctx context.Context, id interaction.ConversationID, act Act) (interaction.Conversation, error) {
	out, err := cs.b.transition(ctx, id, act, "handoff_declined", func(c *interaction.Conversation, at time.Time) (interaction.LifecycleEvent, error) {
		return c.DeclineHandoff(act.By, act.Reason, at)
	})
	return out, fail("Conversations.DeclineHandoff", err)
}

// Snooze sets a conversation aside until a time (zero: until the customer
// writes); a message from the customer wakes it earlier.
func (cs Conversations) Snooze(ctx context.Context, id interaction.ConversationID, until time.Time, act Act) (interaction.Conversation, error) {
	out, err := cs.b.transition(ctx, id, act, "snoozed", func(c *interaction.Conversation, at time.Time) (interaction.LifecycleEvent, error) {
		return c.Snooze(stamp(until), at)
	})
	return out, fail("Conversations.Snooze", err)
}

// Wake brings a snoozed conversation back.
func (cs Conversations) Wake(ctx context.Context, id interaction.ConversationID, act Act) (interaction.Conversation, error) {
	out, err := cs.b.transition(ctx, id, act, "woke", func(c *interaction.Conversation, at time.Time) (interaction.LifecycleEvent, error) {
		return c.Wake(at)
	})
	return out, fail("Conversations.Wake", err)
}

// Resolve marks a conversation done for now; a new inbound message re-opens
// it, with a new response clock. A pending handoff stays pending.
func (cs Conversations) Resolve(ctx context.Context, id interaction.ConversationID, act Act) (interaction.Conversation, error) {
	out, err := cs.b.transition(ctx, id, act, "resolved", func(c *interaction.Conversation, at time.Time) (interaction.LifecycleEvent, error) {
		return c.Resolve(at)
	})
	return out, fail("Conversations.Resolve", err)
}

// Close closes a conversation for good: it is immutable afterwards, and new
// messages from the customer start a new conversation.
func (cs Conversations) Close(ctx context.Context, id interaction.ConversationID, act Act) (interaction.Conversation, error) {
	out, err := cs.b.transition(ctx, id, act, "closed", func(c *interaction.Conversation, at time.Time) (interaction.LifecycleEvent, error) {
		return c.Close(at)
	})
	return out, fail("Conversations.Close", err)
}

// WakeDue wakes every snoozed conversation whose time has come, for a
// periodic job, as the system (the zero Act). It returns the conversations
// it woke: the result of the job, not a list to page through.
func (cs Conversations) WakeDue(ctx context.Context) ([]interaction.Conversation, error) {
	b := cs.b
	now := b.clock()
	var woke []interaction.Conversation
	var after storage.Cursor
	for {
		page, next, err := b.backend.Conversations(ctx, b.tenant, storage.ConversationQuery{
			Statuses: []interaction.ConversationStatus{interaction.ConversationStatusSnoozed}}, after, 200)
		if err != nil {
			return woke, fail("Conversations.WakeDue", err)
		}
		for _, c := range page {
			if !c.SnoozeOver(now) {
				continue
			}
			w, err := b.transition(ctx, c.ID, Act{}, "woke", func(c *interaction.Conversation, at time.Time) (interaction.LifecycleEvent, error) {
				return c.Wake(at)
			})
			var te *interaction.TransitionError
			if errors.As(err, &te) || errors.Is(err, storage.ErrConflict) {
				continue // woken or changed meanwhile
			}
			if err != nil {
				return woke, fail("Conversations.WakeDue", err)
			}
			woke = append(woke, w)
		}
		if next == "" {
			return woke, nil
		}
		after = next
	}
}

// UnacceptedHandoffs yields the conversations with a handoff offered and
// not yet accepted, at the given rooftops (all when none is given), oldest
// offer first. It reads them all before yielding the first, since the
// order is by offer time.
func (cs Conversations) UnacceptedHandoffs(ctx context.Context, rooftops ...dealer.Rooftop) iter.Seq2[interaction.Conversation, error] {
	b := cs.b
	return func(yield func(interaction.Conversation, error) bool) {
		var all []interaction.Conversation
		var after storage.Cursor
		for {
			page, next, err := b.backend.Conversations(ctx, b.tenant, storage.ConversationQuery{Rooftops: rooftops, PendingHandoff: true}, after, 500)
			if err != nil {
				yield(interaction.Conversation{}, fail("Conversations.UnacceptedHandoffs", err))
				return
			}
			all = append(all, page...)
			if next == "" {
				break
			}
			after = next
		}
		for _, c := range interaction.UnacceptedHandoffs(all) {
			if !yield(c, nil) {
				return
			}
		}
	}
}

// OfCustomer returns the customer's conversations with one of the given
// statuses (all when none is given), oldest first. A customer has few, so
// they come as a slice, read in one call.
func (cs Conversations) OfCustomer(ctx context.Context, id customer.ID, statuses ...interaction.ConversationStatus) ([]interaction.Conversation, error) {
	out, err := cs.b.backend.ConversationsByCustomer(ctx, cs.b.tenant, id, statuses...)
	return out, fail("Conversations.OfCustomer", err)
}

// ErrStepTime is wrapped (with interaction.ErrInvalidTransition, in an
// *interaction.TransitionError) when an Act's time is in the future or
// before the record's latest step.
var ErrStepTime = errors.New("rapport: step time out of order")

// transition applies one lifecycle step in a transaction. verb names the
// step for the record of a handoff it ends ("assigned").
func (b *Book) transition(ctx context.Context, id interaction.ConversationID, act Act, verb string, step func(*interaction.Conversation, time.Time) (interaction.LifecycleEvent, error)) (_ interaction.Conversation, err error) {
	defer b.observe(ctx, "conversation "+verb, time.Now(), &err)
	now := b.clock()
	at := act.when(now)
	var out interaction.Conversation
	err = b.backend.Update(ctx, func(tx storage.Tx) error {
		c, err := tx.GetConversation(ctx, b.tenant, id)
		if err != nil {
			return err
		}
		if err := b.checkStepTime(ctx, tx, c, verb, at, now); err != nil {
			return err
		}
		pending := c.PendingHandoff
		ev, err := step(&c, at)
		if err != nil {
			return err
		}
		if ev.By == "" {
			ev.By = act.By
		}
		if ev.Reason == "" {
			ev.Reason = act.Reason
		}
		c.UpdatedAt = now
		if err := c.Validate(); err != nil {
			return err
		}
		rev, err := tx.UpdateConversation(ctx, c)
		if err != nil {
			return err
		}
		c.Revision = rev
		out = c
		if pending != nil && c.PendingHandoff == nil && ev.Action != interaction.ActionHandoffAccepted && ev.Action != interaction.ActionHandoffDeclined {
			ended := interaction.LifecycleEvent{
				Action: interaction.ActionHandoffDeclined, At: at, Status: c.Status, By: act.By,
				From: pending.From, To: pending.To, Team: pending.Team,
				Reason: "withdrawn: the conversation was " + verb,
			}
			if err := b.recordLifecycle(ctx, tx, c, ended, now); err != nil {
				return err
			}
		}
		return b.recordLifecycle(ctx, tx, c, ev, now)
	})
	if err != nil {
		return interaction.Conversation{}, err
	}
	return out, nil
}

// checkStepTime refuses a step dated in the future or before the
// conversation's latest lifecycle step (its timeline's order).
func (b *Book) checkStepTime(ctx context.Context, r storage.Reader, c interaction.Conversation, verb string, at, now time.Time) error {
	refuse := func(detail string) error {
		return &interaction.TransitionError{Record: "conversation", From: string(c.Status), Action: verb,
			Err: fmt.Errorf("%w: %w: %s", interaction.ErrInvalidTransition, ErrStepTime, detail)}
	}
	if at.After(now) {
		return refuse("dated in the future")
	}
	page, _, err := r.Interactions(ctx, b.tenant, storage.InteractionQuery{Conversation: c.ID, Kinds: []interaction.Kind{interaction.KindLifecycle}}, "", 1)
	if err != nil {
		return err
	}
	if len(page) == 1 && at.Before(page[0].OccurredAt) {
		return refuse(fmt.Sprintf("dated before the conversation's latest step (%s)", page[0].Lifecycle.Action))
	}
	return nil
}

// recordLifecycle writes a lifecycle step as an internal interaction on the
// conversation, so that it appears in the timeline and feeds the metrics.
func (b *Book) recordLifecycle(ctx context.Context, tx storage.Tx, c interaction.Conversation, ev interaction.LifecycleEvent, now time.Time) error {
	if ev.Action == "" {
		return nil
	}
	ev.At, ev.Until = stamp(ev.At), stamp(ev.Until)
	id, err := b.id()
	if err != nil {
		return err
	}
	i := interaction.Interaction{
		ID: interaction.ID(id), Tenant: b.tenant, Rooftop: c.Rooftop, Customer: c.Customer, Conversation: c.ID,
		Channel: c.Channel, Direction: interaction.DirectionInternal, Kind: interaction.KindLifecycle,
		OccurredAt: ev.At, Lifecycle: &ev, CreatedAt: now, UpdatedAt: now,
	}
	hs, err := tx.HouseholdsByMember(ctx, b.tenant, c.Customer)
	if err != nil {
		return err
	}
	if len(hs) == 1 {
		i.Household = hs[0]
	}
	if err := i.Validate(); err != nil {
		return err
	}
	return tx.CreateInteraction(ctx, i)
}
