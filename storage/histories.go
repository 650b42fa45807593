package storage

import (
	"context"
	"iter"
	"time"

	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/interaction"
)

// HistoryQuery selects the conversations [HistoryReader] reads: those with
// at least one interaction at one of Rooftops (any rooftop when none is
// listed) whose OccurredAt lies in [Since, Until) (zero = unbounded).
type HistoryQuery struct {
	Rooftops []dealer.Rooftop
	Since    time.Time
	Until    time.Time
}

// HistoryReader is an optional capability of a [Backend] for measuring
// conversations in bulk (rapport's Book.Metrics takes it when the backend
// has it, and otherwise reads the same through
// [InteractionReader.Interactions], one query per conversation).
//
// ConversationHistories yields, once for each conversation of the tenant
// that q selects, that conversation's interactions with OccurredAt before
// q.Until (all of them when Until is zero) — from its beginning, whatever
// their rooftop, not only those in the range — as one slice ordered newest
// first by (OccurredAt, ID), exactly as Interactions with
// InteractionQuery{Conversation: id, Until: q.Until} pages them.
// Interactions without a conversation are not yielded. Conversations come
// in no particular order.
//
// The yielded slice and its interactions are copies the caller may reorder
// or change; the backend may reuse the slice's array for the next
// conversation once the loop body returns, so a caller keeping a slice past
// that copies it. Each conversation's slice is read in one consistent
// snapshot; different conversations may be read at different moments, as
// with paging.
//
// A failure ends the sequence with one (nil, err): the errors of
// [InteractionReader.Interactions], and ErrCorrupt when a stored
// interaction cannot be decoded.
type HistoryReader interface {
	ConversationHistories(ctx context.Context, tenant dealer.Tenant, q HistoryQuery) iter.Seq2[[]interaction.Interaction, error]
}

// ConversationRuns yields the runs of is that each hold one conversation's
// interactions, in order, for a backend implementing [HistoryReader] from a
// query grouped by conversation. Each run is a subslice of is with its
// capacity capped at its length.
func ConversationRuns(is []interaction.Interaction) iter.Seq[[]interaction.Interaction] {
	return func(yield func([]interaction.Interaction) bool) {
		for len(is) > 0 {
			n := 1
			for n < len(is) && is[n].Conversation == is[0].Conversation {
				n++
			}
			if !yield(is[:n:n]) {
				return
			}
			is = is[n:]
		}
	}
}
