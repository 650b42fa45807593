package rapport

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"time"

	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

// MetricsOptions say what Book.Metrics measures.
type MetricsOptions struct {
	// From and To bound the range [From, To); a zero bound is open.
	From, To time.Time
	// Rooftops narrows the measure to conversations at these rooftops;
	// none means all.
	Rooftops []dealer.Rooftop
	// Calendars are the rooftops' business hours and holidays, for the
	// figures in business hours; a rooftop without one gets wall-clock
	// figures only.
	Calendars map[dealer.Rooftop]interaction.Calendar
	// ReplyWindow is how soon a customer's message must follow an outbound
	// one to count as a reply to it; zero means 48 hours.
	ReplyWindow time.Duration
}

// Metrics measures how the dealership answered its customers over a range:
// first response, each next response and resolution times, unanswered
// inbound messages (in wall-clock time and in business hours), outbound
// share and customer reply rate by authorship, per member of staff, team,
// rooftop and channel. The definitions are interaction.Meter's: time an
// automated handler spends before escalating does not count against the
// person, and a reopened conversation starts a new response clock.
//
// It reads every conversation with an interaction in the range, from its
// beginning up to To, one conversation at a time.
func (b *Book) Metrics(ctx context.Context, o MetricsOptions) (interaction.Metrics, error) {
	opts := &interaction.MetricsOptions{From: stamp(o.From), To: stamp(o.To), ReplyWindow: o.ReplyWindow}
	if len(o.Calendars) > 0 {
		opts.Calendars = make(map[dealer.Rooftop]*interaction.BusinessClock, len(o.Calendars))
		for r, cal := range o.Calendars {
			clock, err := cal.Load()
			if err != nil {
				return interaction.Metrics{}, fmt.Errorf("rapport: calendar of rooftop %q: %w", r, err)
			}
			opts.Calendars[r] = clock
		}
	}
	m := interaction.NewMeter(opts)
	convs := map[interaction.ConversationID]bool{}
	var order []interaction.ConversationID
	for i, err := range b.interactions(ctx, storage.InteractionQuery{Rooftops: o.Rooftops, Since: opts.From, Until: opts.To}) {
		if err != nil {
			return interaction.Metrics{}, err
		}
		if !i.Conversation.IsZero() && !convs[i.Conversation] {
			convs[i.Conversation] = true
			order = append(order, i.Conversation)
		}
	}
	var history []interaction.Interaction
	for _, id := range order {
		history = history[:0]
		for i, err := range b.interactions(ctx, storage.InteractionQuery{Conversation: id, Until: opts.To}) {
			if err != nil {
				return interaction.Metrics{}, err
			}
			history = append(history, i)
		}
		slices.Reverse(history) // the timeline is newest first; the meter wants time order
		for k := range history {
			m.Add(&history[k])
		}
	}
	return m.Result(), nil
}

// AwaitingReview yields the interactions with a review flag not yet
// reviewed (sensitive data found, a watched phrase, a manual flag), at the
// given rooftops (all when none is given), newest first.
func (b *Book) AwaitingReview(ctx context.Context, rooftops ...dealer.Rooftop) iter.Seq2[interaction.Interaction, error] {
	return b.interactions(ctx, storage.InteractionQuery{Rooftops: rooftops, AwaitingReview: true})
}

// FlagForReview adds a manual review flag to an interaction, with a note.
func (b *Book) FlagForReview(ctx context.Context, id interaction.ID, by dealer.Staff, note string) (interaction.Interaction, error) {
	return b.changeInteraction(ctx, id, func(i *interaction.Interaction, now time.Time) error {
		i.Flags = append(i.Flags, interaction.Flag{Reason: interaction.FlagReasonManual, FlaggedBy: by, FlaggedAt: now, Note: note})
		return nil
	})
}

// Review records a manager's review of an interaction's flag (its index in
// Interaction.Flags), with a note.
func (b *Book) Review(ctx context.Context, id interaction.ID, flag int, by dealer.Staff, note string) (interaction.Interaction, error) {
	return b.changeInteraction(ctx, id, func(i *interaction.Interaction, now time.Time) error {
		if flag < 0 || flag >= len(i.Flags) {
			return fmt.Errorf("rapport: interaction has no flag %d: %w", flag, storage.ErrNotFound)
		}
		return i.Flags[flag].Review(by, note, now)
	})
}

func (b *Book) changeInteraction(ctx context.Context, id interaction.ID, change func(*interaction.Interaction, time.Time) error) (interaction.Interaction, error) {
	now := b.clock()
	var out interaction.Interaction
	err := b.backend.Update(ctx, func(tx storage.Tx) error {
		i, err := tx.GetInteraction(ctx, b.tenant, id)
		if err != nil {
			return err
		}
		if err := change(&i, now); err != nil {
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
