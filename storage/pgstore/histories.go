package pgstore

import (
	"context"
	"iter"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

// historyChunk is the number of conversations ConversationHistories reads
// per query.
const historyChunk = 1000

// ConversationHistories implements [storage.HistoryReader] with one query
// for the conversations in the range (a scan of the tenant's time index)
// and one per historyChunk conversations, each a backward scan of the
// (tenant_id, conversation_id, occurred_at, id) index per conversation. A
// chunk's rows are read and decoded before any is yielded, so no query is
// open while the caller's loop body runs.
func (r reader) ConversationHistories(ctx context.Context, tenant dealer.Tenant, q storage.HistoryQuery) iter.Seq2[[]interaction.Interaction, error] {
	const op = "pgstore.ConversationHistories"
	return func(yield func([]interaction.Interaction, error) bool) {
		if err := r.run.enter(ctx, op, tenant); err != nil {
			yield(nil, err)
			return
		}
		var b sqlBuilder
		b.WriteString("SELECT DISTINCT conversation_id FROM interactions WHERE tenant_id = ")
		b.arg(string(tenant))
		b.WriteString(" AND conversation_id IS NOT NULL")
		anyOf(&b, "rooftop", q.Rooftops)
		if !q.Since.IsZero() {
			b.WriteString(" AND occurred_at >= ")
			b.arg(ceilTime(q.Since))
		}
		if !q.Until.IsZero() {
			b.WriteString(" AND occurred_at < ")
			b.arg(ceilTime(q.Until))
		}
		convs, err := queryIDs[interaction.ConversationID](ctx, r.run, op, b.String(), b.args...)
		if err != nil {
			yield(nil, err)
			return
		}
		until := ""
		if !q.Until.IsZero() {
			until = " AND occurred_at < $3"
		}
		chunkSQL := "SELECT occurred_at, id, doc FROM interactions WHERE tenant_id = $1 AND conversation_id = ANY($2::uuid[])" + until +
			" ORDER BY conversation_id DESC, occurred_at DESC, id DESC"
		ids := make([]pgtype.UUID, 0, historyChunk)
		// One array serves every chunk: the runs of a chunk are yielded
		// before the next is read, and HistoryReader's callers do not keep
		// a run past their loop body.
		var buf []interaction.Interaction
		for len(convs) > 0 {
			chunk := convs[:min(historyChunk, len(convs))]
			convs = convs[len(chunk):]
			ids = ids[:0]
			for _, c := range chunk {
				ids = append(ids, uid(c))
			}
			args := []any{string(tenant), ids}
			if until != "" {
				args = append(args, ceilTime(q.Until))
			}
			is, _, _, err := queryPage(ctx, r.run, op, buf, -1, chunkSQL, args...)
			if err != nil {
				yield(nil, err)
				return
			}
			buf = is
			for run := range storage.ConversationRuns(is) {
				if !yield(run, nil) {
					return
				}
			}
		}
	}
}
