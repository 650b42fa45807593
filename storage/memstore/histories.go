package memstore

import (
	"context"
	"iter"

	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

// ConversationHistories implements [storage.HistoryReader]. It walks the
// tenant's timeline over the range once, under one read lock, to find the
// conversations, then copies each conversation's list under a read lock of
// its own, so that no lock is held while the caller's loop body runs.
func (r *reader) ConversationHistories(ctx context.Context, tenant dealer.Tenant, q storage.HistoryQuery) iter.Seq2[[]interaction.Interaction, error] {
	const op = "memstore.ConversationHistories"
	return func(yield func([]interaction.Interaction, error) bool) {
		convs, err := r.conversationsIn(ctx, op, tenant, &q)
		if err != nil {
			yield(nil, err)
			return
		}
		until := storage.InteractionQuery{Until: q.Until}
		var history []interaction.Interaction
		for _, c := range convs {
			if err := r.lock(ctx, op); err != nil {
				yield(nil, err)
				return
			}
			history = history[:0]
			if t := r.tenant(tenant); t != nil {
				if o := t.byConversation[c]; o != nil {
					for p := o.below(untilBound(&until)); p >= 0; p-- {
						if e := o.at(p); matches(e.v, &until) {
							history = append(history, cloneInteraction(e.v))
						}
					}
				}
			}
			r.unlock()
			if len(history) > 0 && !yield(history, nil) {
				return
			}
		}
	}
}

// conversationsIn returns the conversations with an interaction matching
// q, in the order of their newest such interaction.
func (r *reader) conversationsIn(ctx context.Context, op string, tenant dealer.Tenant, q *storage.HistoryQuery) ([]interaction.ConversationID, error) {
	if err := r.lock(ctx, op); err != nil {
		return nil, err
	}
	defer r.unlock()
	t := r.tenant(tenant)
	if t == nil {
		return nil, nil
	}
	iq := storage.InteractionQuery{Rooftops: q.Rooftops, Since: q.Since, Until: q.Until}
	var sinceMicro int64
	if !q.Since.IsZero() {
		sinceMicro = q.Since.UnixMicro()
	}
	seen := map[interaction.ConversationID]bool{}
	var out []interaction.ConversationID
	for p := t.timeline.below(untilBound(&iq)); p >= 0; p-- {
		e := t.timeline.at(p)
		if !q.Since.IsZero() && e.k.at < sinceMicro {
			break
		}
		if c := e.v.Conversation; !c.IsZero() && !seen[c] && matches(e.v, &iq) {
			seen[c] = true
			out = append(out, c)
		}
	}
	return out, nil
}

// untilBound is the key below which every interaction with OccurredAt
// before q.Until lies: rows in a later microsecond than Until's all fail
// OccurredAt < Until (matches checks the rest exactly).
func untilBound(q *storage.InteractionQuery) key {
	if q.Until.IsZero() {
		return key{at: maxInt64}
	}
	return key{at: q.Until.UnixMicro() + 1}
}
