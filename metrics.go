package rapport

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"time"

	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

// Metrics measures how the dealership answered its customers over a range:
// first response, each next response and resolution times, unanswered
// inbound messages (in wall-clock time and in business hours), outbound
// share and customer reply rate by authorship, per member of staff, team,
// rooftop and channel. The definitions are interaction.Meter's: time an
// automated handler spends before escalating does not count against the
// person, and a reopened conversation starts a new response clock.
//
// opts are the Meter's own options (nil measures everything, with no
// business hours): the range, the rooftops, the reply window, and the
// rooftops' business clocks (interaction.Calendar.Load builds one). It
// reads every conversation with an interaction in the range, from its
// beginning up to To, one conversation at a time, and feeds it to the Meter
// in interaction.Chronological order. A backend with a
// storage.HistoryReader reads those conversations in bulk; any other is
// asked for the interactions in the range, then for each conversation's.
// Both give the same Metrics.
func (b *Book) Metrics(ctx context.Context, opts *interaction.MetricsOptions) (interaction.Metrics, error) {
	var o interaction.MetricsOptions
	if opts != nil {
		o = *opts
	}
	o.From, o.To = stamp(o.From), stamp(o.To)
	m := interaction.NewMeter(&o)
	for history, err := range b.histories(ctx, storage.HistoryQuery{Rooftops: o.Rooftops, Since: o.From, Until: o.To}) {
		if err != nil {
			return interaction.Metrics{}, err
		}
		chronological(history)
		for k := range history {
			m.Add(&history[k])
		}
	}
	return m.Result(), nil
}

// histories yields the history of every conversation q selects, newest
// first, as storage.HistoryReader defines it: through the backend's
// HistoryReader when it has one, else with one Interactions query for the
// range and one per conversation found. A failure ends the sequence with
// one (nil, err).
func (b *Book) histories(ctx context.Context, q storage.HistoryQuery) iter.Seq2[[]interaction.Interaction, error] {
	const op = "Metrics"
	if hr, ok := b.backend.(storage.HistoryReader); ok {
		return func(yield func([]interaction.Interaction, error) bool) {
			for history, err := range hr.ConversationHistories(ctx, b.tenant, q) {
				if err != nil {
					yield(nil, fail(op, err))
					return
				}
				if !yield(history, nil) {
					return
				}
			}
		}
	}
	return func(yield func([]interaction.Interaction, error) bool) {
		convs := map[interaction.ConversationID]bool{}
		var order []interaction.ConversationID
		for i, err := range b.interactions(ctx, op, storage.InteractionQuery{Rooftops: q.Rooftops, Since: q.Since, Until: q.Until}) {
			if err != nil {
				yield(nil, err)
				return
			}
			if !i.Conversation.IsZero() && !convs[i.Conversation] {
				convs[i.Conversation] = true
				order = append(order, i.Conversation)
			}
		}
		var history []interaction.Interaction
		for _, id := range order {
			history = history[:0]
			for i, err := range b.interactions(ctx, op, storage.InteractionQuery{Conversation: id, Until: q.Until}) {
				if err != nil {
					yield(nil, err)
					return
				}
				history = append(history, i)
			}
			if !yield(history, nil) {
				return
			}
		}
	}
}

// chronological puts a conversation's timeline, read newest first by
// (time, ID), in interaction.Chronological order: reversed, then each run
// of interactions at one instant (rare, and short) sorted by what its
// lifecycle steps do rather than by their IDs.
func chronological(history []interaction.Interaction) {
	slices.Reverse(history)
	for lo := 0; lo < len(history); {
		hi := lo + 1
		for hi < len(history) && history[hi].OccurredAt.Equal(history[lo].OccurredAt) {
			hi++
		}
		if hi-lo > 1 {
			slices.SortStableFunc(history[lo:hi], func(a, b interaction.Interaction) int { return interaction.Chronological(&a, &b) })
		}
		lo = hi
	}
}

// Reviews is the handle for manager review of interactions, from
// [Book.Reviews]. It holds nothing but the Book.
//
// The zero Reviews is not usable: get one from [Book.Reviews].
type Reviews struct{ b *Book }

// Reviews returns the handle for manager review: the queue of flagged
// interactions, manual flags, and completed reviews.
func (b *Book) Reviews() Reviews { return Reviews{b: b} }

// Awaiting yields the interactions with a review flag not yet reviewed
// (sensitive data found, a watched phrase, a manual flag), at the given
// rooftops (all when none is given), newest first.
func (rs Reviews) Awaiting(ctx context.Context, rooftops ...dealer.Rooftop) iter.Seq2[interaction.Interaction, error] {
	return rs.b.interactions(ctx, "Reviews.Awaiting", storage.InteractionQuery{Rooftops: rooftops, AwaitingReview: true})
}

// Flag adds a manual review flag to an interaction: by act.By, at act.At
// (now when zero), with act.Reason as its note.
func (rs Reviews) Flag(ctx context.Context, id interaction.ID, act Act) (interaction.Interaction, error) {
	out, err := rs.b.changeInteraction(ctx, id, act, func(i *interaction.Interaction, at time.Time) error {
		i.Flags = append(i.Flags, interaction.Flag{Reason: interaction.FlagReasonManual, FlaggedBy: act.By, FlaggedAt: at, Note: act.Reason})
		return nil
	})
	return out, fail("Reviews.Flag", err)
}

// ErrNoFlag is wrapped by the *interaction.ValidationError that
// Reviews.Complete returns for a flag index the interaction does not have:
// a caller's mistake, not a missing record.
var ErrNoFlag = errors.New("rapport: no such review flag")

// Complete records a manager's review of an interaction's flag (its index
// in Interaction.Flags): by act.By, at act.At (now when zero), with
// act.Reason as the review note. An index out of range is an
// *interaction.ValidationError for the field "flags" wrapping ErrNoFlag
// and interaction.ErrInvalid; nothing is written.
func (rs Reviews) Complete(ctx context.Context, id interaction.ID, flag int, act Act) (interaction.Interaction, error) {
	out, err := rs.b.changeInteraction(ctx, id, act, func(i *interaction.Interaction, at time.Time) error {
		if flag < 0 || flag >= len(i.Flags) {
			return &interaction.ValidationError{Field: fmt.Sprintf("flags[%d]", flag),
				Err: fmt.Errorf("%w: %w: the interaction has %d", interaction.ErrInvalid, ErrNoFlag, len(i.Flags))}
		}
		return i.Flags[flag].Review(act.By, act.Reason, at)
	})
	return out, fail("Reviews.Complete", err)
}

// changeInteraction applies a change to a stored interaction, validates
// and stores it, in one transaction.
func (b *Book) changeInteraction(ctx context.Context, id interaction.ID, act Act, change func(*interaction.Interaction, time.Time) error) (interaction.Interaction, error) {
	now := b.clock()
	at := act.when(now)
	var out interaction.Interaction
	err := b.backend.Update(ctx, func(tx storage.Tx) error {
		i, err := tx.GetInteraction(ctx, b.tenant, id)
		if err != nil {
			return err
		}
		if at.After(now) || at.Before(i.OccurredAt) {
			return &interaction.TransitionError{Record: "interaction", From: "recorded", Action: "changed",
				Err: fmt.Errorf("%w: %w: dated in the future or before the interaction", interaction.ErrInvalidTransition, ErrStepTime)}
		}
		if err := change(&i, at); err != nil {
			return err
		}
		i.UpdatedAt = now
		if err := i.Validate(); err != nil {
			return err
		}
		rev, err := tx.UpdateInteraction(ctx, i)
		if err != nil {
			return err
		}
		i.Revision, out = rev, i
		return nil
	})
	return out, err
}
