package rapport

import (
	"context"
	"errors"
	"time"

	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

// Conversation workflows. Each call loads the conversation, applies one
// lifecycle step (interaction.Conversation's methods decide what is legal:
// an illegal step fails with an *interaction.TransitionError wrapping
// interaction.ErrInvalidTransition and changes nothing), stores it with its
// revision checked, and records the step as a lifecycle interaction on the
// customer's timeline, all in one transaction. They return the conversation
// as stored.

// Escalate hands a conversation owned by an automated handler (pending) to
// a person or team, with the reason the customer needs a human. The
// person's response clock starts now.
func (b *Book) Escalate(ctx context.Context, id interaction.ConversationID, to dealer.Staff, team dealer.Team, reason string) (interaction.Conversation, error) {
	return b.transition(ctx, id, func(c *interaction.Conversation, at time.Time) (interaction.LifecycleEvent, error) {
		return c.Escalate(to, team, reason, at)
	})
}

// Assign gives a conversation an owner (and team); a previous owner stays
// on as a follower.
func (b *Book) Assign(ctx context.Context, id interaction.ConversationID, to dealer.Staff, team dealer.Team) (interaction.Conversation, error) {
	return b.transition(ctx, id, func(c *interaction.Conversation, at time.Time) (interaction.LifecycleEvent, error) {
		return c.Assign(to, team, at)
	})
}

// OfferHandoff offers the conversation to another member of staff or team,
// with a reason ("F&I takes over for the paperwork"). The handoff awaits
// acceptance; until then the current owner keeps it, and it is listed by
// UnacceptedHandoffs.
func (b *Book) OfferHandoff(ctx context.Context, id interaction.ConversationID, to dealer.Staff, team dealer.Team, reason string) (interaction.Conversation, error) {
	return b.transition(ctx, id, func(c *interaction.Conversation, at time.Time) (interaction.LifecycleEvent, error) {
		return c.OfferHandoff(to, team, reason, at)
	})
}

// AcceptHandoff completes a pending handoff: by becomes the owner and the
// previous owner stays on as a follower, so nobody is dropped mid-process.
func (b *Book) AcceptHandoff(ctx context.Context, id interaction.ConversationID, by dealer.Staff) (interaction.Conversation, error) {
	return b.transition(ctx, id, func(c *interaction.Conversation, at time.Time) (interaction.LifecycleEvent, error) {
		return c.AcceptHandoff(by, at)
	})
}

// DeclineHandoff declines (or withdraws) a pending handoff, with a reason.
func (b *Book) DeclineHandoff(ctx context.Context, id interaction.ConversationID, by dealer.Staff, reason string) (interaction.Conversation, error) {
	return b.transition(ctx, id, func(c *interaction.Conversation, at time.Time) (interaction.LifecycleEvent, error) {
		return c.DeclineHandoff(by, reason, at)
	})
}

// Snooze sets a conversation aside until a time; a message from the
// customer wakes it earlier.
func (b *Book) Snooze(ctx context.Context, id interaction.ConversationID, until time.Time) (interaction.Conversation, error) {
	return b.transition(ctx, id, func(c *interaction.Conversation, at time.Time) (interaction.LifecycleEvent, error) {
		return c.Snooze(stamp(until), at)
	})
}

// Wake brings a snoozed conversation back.
func (b *Book) Wake(ctx context.Context, id interaction.ConversationID) (interaction.Conversation, error) {
	return b.transition(ctx, id, func(c *interaction.Conversation, at time.Time) (interaction.LifecycleEvent, error) {
		return c.Wake(at)
	})
}

// Resolve marks a conversation done for now; a new inbound message re-opens
// it, with a new response clock.
func (b *Book) Resolve(ctx context.Context, id interaction.ConversationID) (interaction.Conversation, error) {
	return b.transition(ctx, id, func(c *interaction.Conversation, at time.Time) (interaction.LifecycleEvent, error) {
		return c.Resolve(at)
	})
}

// CloseConversation closes a conversation for good: it is immutable
// afterwards, and new messages from the customer start a new conversation.
func (b *Book) CloseConversation(ctx context.Context, id interaction.ConversationID) (interaction.Conversation, error) {
	return b.transition(ctx, id, func(c *interaction.Conversation, at time.Time) (interaction.LifecycleEvent, error) {
		return c.Close(at)
	})
}

// WakeDue wakes every snoozed conversation whose time has come, for a
// periodic job. It returns the conversations it woke.
func (b *Book) WakeDue(ctx context.Context) ([]interaction.Conversation, error) {
	now := b.clock()
	var woke []interaction.Conversation
	var after storage.Cursor
	for {
		page, next, err := b.backend.Conversations(ctx, b.tenant, storage.ConversationQuery{
			Statuses: []interaction.ConversationStatus{interaction.ConversationStatusSnoozed}}, after, 200)
		if err != nil {
			return woke, err
		}
		for _, c := range page {
			if !c.SnoozeOver(now) {
				continue
			}
			w, err := b.Wake(ctx, c.ID)
			var te *interaction.TransitionError
			if errors.As(err, &te) || errors.Is(err, storage.ErrConflict) {
				continue // woken or changed meanwhile
			}
			if err != nil {
				return woke, err
			}
			woke = append(woke, w)
		}
		if next == "" {
			return woke, nil
		}
		after = next
	}
}

// UnacceptedHandoffs lists the conversations with a handoff offered and
// not yet accepted, at the given rooftops (all when none is given), oldest
// offer first.
func (b *Book) UnacceptedHandoffs(ctx context.Context, rooftops ...dealer.Rooftop) ([]interaction.Conversation, error) {
	var all []interaction.Conversation
	var after storage.Cursor
	for {
		page, next, err := b.backend.Conversations(ctx, b.tenant, storage.ConversationQuery{Rooftops: rooftops, PendingHandoff: true}, after, 500)
		if err != nil {
			return nil, err
		}
		all = append(all, page...)
		if next == "" {
			return interaction.UnacceptedHandoffs(all), nil
		}
		after = next
	}
}

// transition applies one lifecycle step in a transaction.
func (b *Book) transition(ctx context.Context, id interaction.ConversationID, step func(*interaction.Conversation, time.Time) (interaction.LifecycleEvent, error)) (interaction.Conversation, error) {
	now := b.clock()
	var out interaction.Conversation
	err := b.backend.Update(ctx, func(tx storage.Tx) error {
		c, err := tx.GetConversation(ctx, b.tenant, id)
		if err != nil {
			return err
		}
		ev, err := step(&c, now)
		if err != nil {
			return err
		}
		c.UpdatedAt = now
		rev, err := tx.UpdateConversation(ctx, c)
		if err != nil {
			return err
		}
		c.Revision = rev
		out = c
		return b.recordLifecycle(ctx, tx, c, ev, now)
	})
	if err != nil {
		return interaction.Conversation{}, err
	}
	return out, nil
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
