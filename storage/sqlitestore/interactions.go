package sqlitestore

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

const listInteractions = "interactions"

// maxUnionScopes is the largest number of scopes (customers, household,
// conversation) a timeline query reads as a UNION of per-scope index range
// scans; beyond it one query filters the tenant's time index.
const maxUnionScopes = 64

var (
	sqlGetInteraction = static(`SELECT occurred_at, id, doc FROM interactions WHERE tenant_id = ? AND id = ?`)

	sqlInsertInteraction   = static(`INSERT INTO interactions (tenant_id, id, customer_id, household_id, conversation_id, occurred_at, channel, kind, rooftop, awaiting_review, revision, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)`)
	sqlUpdateInteraction   = static(`UPDATE interactions SET customer_id = ?, household_id = ?, conversation_id = ?, occurred_at = ?, channel = ?, kind = ?, rooftop = ?, awaiting_review = ?, revision = revision + 1, doc = ? WHERE tenant_id = ? AND id = ? AND revision = ?`)
	sqlInteractionRevision = static(`SELECT revision FROM interactions WHERE tenant_id = ? AND id = ?`)
)

// GetInteraction implements storage.InteractionReader.
func (r reader) GetInteraction(ctx context.Context, tenant dealer.Tenant, id interaction.ID) (interaction.Interaction, error) {
	const op = "sqlitestore.GetInteraction"
	if err := r.run.enter(ctx, op); err != nil {
		return interaction.Interaction{}, err
	}
	return getDoc[interaction.Interaction](ctx, r.run, op, sqlGetInteraction, string(tenant), idBytes(id))
}

// scope is one alternative of an InteractionQuery: column = value.
type scope struct {
	column string
	id     [16]byte
}

// timelineQuery builds the SQL and arguments of an Interactions page:
// limit rows after the cursor position (at, id) when hasAfter.
//
// A query with one scope (a customer, a household or a conversation) is a
// range scan of that scope's (tenant_id, <scope>, occurred_at DESC, id DESC)
// index, already in order. Several scopes are read as a union of such scans,
// each limited to the page size, whose rows are then sorted; a query with no
// scope scans the tenant's
// (tenant_id, occurred_at DESC, id DESC) index.
func timelineQuery(tenant dealer.Tenant, q *storage.InteractionQuery, after *[2]any, limit int) (string, []any, bool) {
	var scopes []scope
	seen := make(map[[16]byte]bool, len(q.Customers))
	for _, c := range q.Customers {
		if c.IsZero() || seen[c] {
			continue
		}
		seen[c] = true
		scopes = append(scopes, scope{"customer_id", c})
	}
	if !q.Household.IsZero() {
		scopes = append(scopes, scope{"household_id", q.Household})
	}
	if !q.Conversation.IsZero() {
		scopes = append(scopes, scope{"conversation_id", q.Conversation})
	}
	if len(scopes) == 0 && len(q.Customers) > 0 {
		// Only zero customer IDs: a scope that matches nothing.
		return "", nil, false
	}

	// A cursor below Until bounds the range by itself. Given both, SQLite
	// takes occurred_at < Until as the index range and only filters on the
	// cursor, so that every page of a long range would scan down from
	// Until again; the cursor then replaces Until (a cursor at or past
	// Until, which no page of this query returns, leaves Until in place).
	until := !q.Until.IsZero()
	if at, ok := cursorMicros(after); ok && until && at < ceilMicros(q.Until) {
		until = false
	}

	// filters appends the filter terms and their arguments.
	filters := func(sb *strings.Builder, args []any) []any {
		args = inList(sb, "channel", q.Channels, args)
		args = inList(sb, "kind", q.Kinds, args)
		args = inList(sb, "rooftop", q.Rooftops, args)
		if !q.Since.IsZero() {
			sb.WriteString(" AND occurred_at >= ?")
			args = append(args, ceilMicros(q.Since))
		}
		if until {
			sb.WriteString(" AND occurred_at < ?")
			args = append(args, ceilMicros(q.Until))
		}
		if q.AwaitingReview {
			// A literal, so that the interactions_awaiting_review partial
			// index applies.
			sb.WriteString(" AND awaiting_review = 1")
		}
		if after != nil {
			sb.WriteString(" AND (occurred_at, id) < (?, ?)")
			args = append(args, after[0], after[1])
		}
		return args
	}
	const order = " ORDER BY occurred_at DESC, id DESC LIMIT ?"

	var sb strings.Builder
	var args []any
	switch {
	case len(scopes) == 1:
		sb.WriteString("SELECT occurred_at, id, doc FROM interactions WHERE tenant_id = ? AND ")
		sb.WriteString(scopes[0].column)
		sb.WriteString(" = ?")
		args = append(args, string(tenant), idBytes(scopes[0].id))
		args = filters(&sb, args)
		sb.WriteString(order)
		args = append(args, limit)
	case len(scopes) > 1 && len(scopes) <= maxUnionScopes:
		// Each scope's first limit keys come from its own index; UNION
		// merges them without duplicates (an interaction may match several
		// scopes), and the page is the first limit of those, at most
		// len(scopes)*limit rows to sort. CROSS JOIN keeps the keys as the
		// outer loop, so the records are read by primary key.
		sb.WriteString("SELECT i.occurred_at, i.id, i.doc FROM (")
		for k, s := range scopes {
			if k > 0 {
				sb.WriteString(" UNION ")
			}
			sb.WriteString("SELECT occurred_at, id FROM (SELECT occurred_at, id FROM interactions WHERE tenant_id = ? AND ")
			sb.WriteString(s.column)
			sb.WriteString(" = ?")
			args = append(args, string(tenant), idBytes(s.id))
			args = filters(&sb, args)
			sb.WriteString(order)
			sb.WriteString(")")
			args = append(args, limit)
		}
		sb.WriteString(") AS page CROSS JOIN interactions AS i ON i.tenant_id = ? AND i.id = page.id" +
			" ORDER BY page.occurred_at DESC, page.id DESC LIMIT ?")
		args = append(args, string(tenant), limit)
	default:
		sb.WriteString("SELECT occurred_at, id, doc FROM interactions WHERE tenant_id = ?")
		args = append(args, string(tenant))
		if len(scopes) > 0 {
			sb.WriteString(" AND (")
			byColumn := map[string][]any{}
			var columns []string
			for _, s := range scopes {
				if byColumn[s.column] == nil {
					columns = append(columns, s.column)
				}
				byColumn[s.column] = append(byColumn[s.column], idBytes(s.id))
			}
			for k, c := range columns {
				if k > 0 {
					sb.WriteString(" OR ")
				}
				sb.WriteString(c)
				sb.WriteString(" IN (")
				placeholders(&sb, len(byColumn[c]))
				sb.WriteString(")")
				args = append(args, byColumn[c]...)
			}
			sb.WriteString(")")
		}
		args = filters(&sb, args)
		sb.WriteString(order)
		args = append(args, limit)
	}
	return sb.String(), args, true
}

// inList appends " AND column IN (?, …)" for a non-empty list.
func inList[T ~string](sb *strings.Builder, column string, values []T, args []any) []any {
	if len(values) == 0 {
		return args
	}
	sb.WriteString(" AND ")
	sb.WriteString(column)
	sb.WriteString(" IN (")
	placeholders(sb, len(values))
	sb.WriteString(")")
	for _, v := range values {
		args = append(args, string(v))
	}
	return args
}

func placeholders(sb *strings.Builder, n int) {
	for i := range n {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString("?")
	}
}

// Interactions implements storage.InteractionReader: newest first, by
// (OccurredAt desc, ID desc), keyset-paged.
func (r reader) Interactions(ctx context.Context, tenant dealer.Tenant, q storage.InteractionQuery, after storage.Cursor, limit int) ([]interaction.Interaction, storage.Cursor, error) {
	return timeline[interaction.Interaction](ctx, r, "sqlitestore.Interactions", tenant, q, after, limit)
}

// InteractionHeads implements storage.HeadReader: the Interactions query,
// each row's document decoded into its head only.
func (r reader) InteractionHeads(ctx context.Context, tenant dealer.Tenant, q storage.InteractionQuery, after storage.Cursor, limit int) ([]interaction.Head, storage.Cursor, error) {
	return timeline[interaction.Head](ctx, r, "sqlitestore.InteractionHeads", tenant, q, after, limit)
}

// timeline reads a page of the interactions matching q, decoded as T.
func timeline[T any](ctx context.Context, r reader, op string, tenant dealer.Tenant, q storage.InteractionQuery, after storage.Cursor, limit int) ([]T, storage.Cursor, error) {
	if err := r.run.enter(ctx, op); err != nil {
		return nil, "", err
	}
	at, id, ok, err := storage.ParseTimeIDCursor(after, tenant, listInteractions)
	if err != nil {
		return nil, "", err
	}
	var pos *[2]any
	if ok {
		pos = &[2]any{micros(at), idBytes(id)}
	}
	n := pageLimit(limit)
	sqlText, args, matches := timelineQuery(tenant, &q, pos, n+1)
	if !matches {
		return nil, "", nil
	}
	is, more, last, err := queryPage[T](ctx, r.run, op, nil, n, sqlText, args...)
	if !more || (err != nil && !errors.Is(err, storage.ErrCorrupt)) {
		return is, "", err
	}
	return is, storage.TimeIDCursor(tenant, listInteractions, time.UnixMicro(last.at).UTC(), last.id), err
}

// CreateInteraction implements storage.InteractionWriter.
func (t *tx) CreateInteraction(ctx context.Context, i interaction.Interaction) error {
	const op = "sqlitestore.CreateInteraction"
	if err := t.enter(ctx, op); err != nil {
		return err
	}
	if err := checkNew(op, i.Tenant, i.ID, i.Revision); err != nil {
		return err
	}
	i.Revision = 1
	doc, err := encode(i)
	if err != nil {
		return storage.E(op, storage.ErrInvalidArgument, err)
	}
	if _, err := t.exec(ctx, sqlInsertInteraction, string(i.Tenant), idBytes(i.ID),
		idArg(i.Customer), idArg(i.Household), idArg(i.Conversation),
		micros(i.OccurredAt), string(i.Channel), string(i.Kind), string(i.Rooftop), flag(i.AwaitingReview()), doc); err != nil {
		return mapErr(ctx, op, err)
	}
	if err := t.touch(ctx, &i, false); err != nil {
		return mapErr(ctx, op, err)
	}
	return t.record(ctx, op, i.Tenant, storage.EntityInteraction, i.ID.String(), storage.OpCreate, 1)
}

// UpdateInteraction implements storage.InteractionWriter.
func (t *tx) UpdateInteraction(ctx context.Context, i interaction.Interaction) (int64, error) {
	const op = "sqlitestore.UpdateInteraction"
	if err := t.enter(ctx, op); err != nil {
		return 0, err
	}
	if err := checkKey(op, i.Tenant, i.ID); err != nil {
		return 0, err
	}
	given := i.Revision
	i.Revision++
	doc, err := encode(i)
	if err != nil {
		return 0, storage.E(op, storage.ErrInvalidArgument, err)
	}
	res, err := t.exec(ctx, sqlUpdateInteraction,
		idArg(i.Customer), idArg(i.Household), idArg(i.Conversation),
		micros(i.OccurredAt), string(i.Channel), string(i.Kind), string(i.Rooftop), flag(i.AwaitingReview()), doc,
		string(i.Tenant), idBytes(i.ID), given)
	if err != nil {
		return 0, mapErr(ctx, op, err)
	}
	if err := t.revised(ctx, op, res, sqlInteractionRevision, i.Tenant, i.ID); err != nil {
		return 0, err
	}
	if err := t.touch(ctx, &i, true); err != nil {
		return 0, mapErr(ctx, op, err)
	}
	if err := t.record(ctx, op, i.Tenant, storage.EntityInteraction, i.ID.String(), storage.OpUpdate, i.Revision); err != nil {
		return 0, err
	}
	return i.Revision, nil
}

// cursorMicros returns the time of a page cursor (after[0], as micros
// makes it).
func cursorMicros(after *[2]any) (int64, bool) {
	if after == nil {
		return 0, false
	}
	at, ok := after[0].(int64)
	return at, ok
}
