package sqlitestore

import (
	"context"
	"iter"
	"strings"

	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

// historyChunk is the number of conversations ConversationHistories reads
// per query. Every query has exactly this many placeholders (a short last
// chunk repeats its last ID), so that one prepared statement serves all.
const historyChunk = 256

// ConversationHistories implements [storage.HistoryReader] with one query
// for the conversations in the range (a scan of the tenant's time index)
// and one per historyChunk conversations, each a run of lookups in the
// (tenant_id, conversation_id, occurred_at DESC, id DESC) index already in
// the order yielded. A chunk's rows are read and decoded before any is
// yielded, so no statement is open while the caller's loop body runs.
func (r reader) ConversationHistories(ctx context.Context, tenant dealer.Tenant, q storage.HistoryQuery) iter.Seq2[[]interaction.Interaction, error] {
	const op = "sqlitestore.ConversationHistories"
	return func(yield func([]interaction.Interaction, error) bool) {
		if err := r.run.enter(ctx, op); err != nil {
			yield(nil, err)
			return
		}
		var sb strings.Builder
		sb.WriteString("SELECT DISTINCT conversation_id FROM interactions WHERE tenant_id = ? AND conversation_id IS NOT NULL")
		args := inList(&sb, "rooftop", q.Rooftops, []any{string(tenant)})
		if !q.Since.IsZero() {
			sb.WriteString(" AND occurred_at >= ?")
			args = append(args, ceilMicros(q.Since))
		}
		if !q.Until.IsZero() {
			sb.WriteString(" AND occurred_at < ?")
			args = append(args, ceilMicros(q.Until))
		}
		convs, err := queryIDs[interaction.ConversationID](ctx, r.run, op, sb.String(), args...)
		if err != nil {
			yield(nil, err)
			return
		}
		sb.Reset()
		sb.WriteString("SELECT occurred_at, id, doc FROM interactions WHERE tenant_id = ? AND conversation_id IN (")
		placeholders(&sb, historyChunk)
		sb.WriteString(") AND occurred_at < ? ORDER BY conversation_id, occurred_at DESC, id DESC")
		chunkSQL := sb.String()
		until := int64(maxInt64)
		if !q.Until.IsZero() {
			until = ceilMicros(q.Until)
		}
		args = make([]any, 0, historyChunk+2)
		// One array serves every chunk: the runs of a chunk are yielded
		// before the next is read, and HistoryReader's callers do not keep
		// a run past their loop body.
		var buf []interaction.Interaction
		for len(convs) > 0 {
			chunk := convs[:min(historyChunk, len(convs))]
			convs = convs[len(chunk):]
			args = append(args[:0], string(tenant))
			for k := range historyChunk {
				args = append(args, idBytes(chunk[min(k, len(chunk)-1)]))
			}
			args = append(args, until)
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

const maxInt64 = int64(^uint64(0) >> 1)
