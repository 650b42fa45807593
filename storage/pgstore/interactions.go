package pgstore

import (
	"context"
	"strconv"
	"strings"

	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

const listInteractions = "interactions"

// maxUnionScopes is the largest number of scopes (customers, household,
// conversation) a timeline query reads as a UNION of per-scope index range
// scans; beyond it one query filters the tenant's time index.
const maxUnionScopes = 64

const (
	sqlGetInteraction = `SELECT occurred_at, id, doc FROM interactions WHERE tenant_id = $1 AND id = $2`

	sqlInsertInteraction = `INSERT INTO interactions (tenant_id, id, customer_id, household_id, conversation_id, occurred_at, channel, kind, rooftop, awaiting_review, revision, doc)` +
		` VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11) ON CONFLICT DO NOTHING`
	sqlUpdateInteraction = `UPDATE interactions SET customer_id = $1, household_id = $2, conversation_id = $3, occurred_at = $4, channel = $5, kind = $6, rooftop = $7,` +
		` awaiting_review = $8, revision = revision + 1, doc = $9 WHERE tenant_id = $10 AND id = $11 AND revision = $12`
	sqlInteractionRevision = `SELECT revision FROM interactions WHERE tenant_id = $1 AND id = $2`
)

// GetInteraction implements storage.InteractionReader.
func (r reader) GetInteraction(ctx context.Context, tenant dealer.Tenant, id interaction.ID) (interaction.Interaction, error) {
	const op = "pgstore.GetInteraction"
	if err := r.run.enter(ctx, op, tenant); err != nil {
		return interaction.Interaction{}, err
	}
	return getDoc[interaction.Interaction](ctx, r.run, op, sqlGetInteraction, string(tenant), uid(id))
}

// sqlBuilder writes SQL with numbered placeholders.
type sqlBuilder struct {
	strings.Builder
	args []any
}

// arg appends v and writes its placeholder.
func (b *sqlBuilder) arg(v any) {
	b.args = append(b.args, v)
	b.WriteString("$")
	b.WriteString(strconv.Itoa(len(b.args)))
}

// anyOf writes " AND column = ANY($n)" for a non-empty list.
func anyOf[T ~string](b *sqlBuilder, column string, values []T) {
	if len(values) == 0 {
		return
	}
	if len(values) == 1 {
		b.WriteString(" AND " + column + " = ")
		b.arg(string(values[0]))
		return
	}
	vs := make([]string, len(values))
	for i, v := range values {
		vs[i] = string(v)
	}
	b.WriteString(" AND " + column + " = ANY(")
	b.arg(vs)
	b.WriteString(")")
}

// scope is one alternative of an InteractionQuery: column = value.
type scope struct {
	column string
	id     [16]byte
}

// timelineQuery builds the SQL and arguments of an Interactions page:
// limit rows after the cursor position (at, id) when after is set; false
// when the query matches nothing.
//
// A query with one scope (a customer, a household or a conversation) is a
// backward range scan of that scope's (tenant_id, <scope>, occurred_at, id)
// index, already in order: no sort, and a page deep in the timeline costs
// what the first does. Several scopes are read as a union of such scans,
// each limited to the page size, whose rows are then sorted; a query with
// no scope scans the tenant's (tenant_id, occurred_at, id) index.
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

	filters := func(b *sqlBuilder) {
		anyOf(b, "channel", q.Channels)
		anyOf(b, "kind", q.Kinds)
		anyOf(b, "rooftop", q.Rooftops)
		if !q.Since.IsZero() {
			b.WriteString(" AND occurred_at >= ")
			b.arg(ceilTime(q.Since))
		}
		if !q.Until.IsZero() {
			b.WriteString(" AND occurred_at < ")
			b.arg(ceilTime(q.Until))
		}
		if q.AwaitingReview {
			// A literal, so that the partial indexes apply.
			b.WriteString(" AND awaiting_review")
		}
		if after != nil {
			b.WriteString(" AND (occurred_at, id) < (")
			b.arg(after[0])
			b.WriteString(", ")
			b.arg(after[1])
			b.WriteString(")")
		}
	}
	order := func(b *sqlBuilder, prefix string) {
		b.WriteString(" ORDER BY " + prefix + "occurred_at DESC, " + prefix + "id DESC LIMIT ")
		b.arg(limit)
	}

	var b sqlBuilder
	switch {
	case len(scopes) == 1:
		b.WriteString("SELECT occurred_at, id, doc FROM interactions WHERE tenant_id = ")
		b.arg(string(tenant))
		b.WriteString(" AND " + scopes[0].column + " = ")
		b.arg(uid(scopes[0].id))
		filters(&b)
		order(&b, "")
	case len(scopes) > 1 && len(scopes) <= maxUnionScopes:
		// Each scope's first limit keys come from its own index; UNION
		// merges them without duplicates (an interaction may match several
		// scopes), and the page is the first limit of those, at most
		// len(scopes)*limit keys to sort; the documents are then read by
		// primary key.
		b.WriteString("SELECT i.occurred_at, i.id, i.doc FROM (")
		for k, s := range scopes {
			if k > 0 {
				b.WriteString(" UNION ")
			}
			b.WriteString("(SELECT occurred_at, id FROM interactions WHERE tenant_id = ")
			b.arg(string(tenant))
			b.WriteString(" AND " + s.column + " = ")
			b.arg(uid(s.id))
			filters(&b)
			order(&b, "")
			b.WriteString(")")
		}
		b.WriteString(") AS page JOIN interactions AS i ON i.tenant_id = ")
		b.arg(string(tenant))
		b.WriteString(" AND i.id = page.id")
		order(&b, "page.")
	default:
		b.WriteString("SELECT occurred_at, id, doc FROM interactions WHERE tenant_id = ")
		b.arg(string(tenant))
		if len(scopes) > 0 {
			byColumn := map[string][]any{}
			var columns []string
			for _, s := range scopes {
				if byColumn[s.column] == nil {
					columns = append(columns, s.column)
				}
				byColumn[s.column] = append(byColumn[s.column], uid(s.id))
			}
			b.WriteString(" AND (")
			for k, c := range columns {
				if k > 0 {
					b.WriteString(" OR ")
				}
				b.WriteString(c + " = ANY(")
				b.arg(byColumn[c])
				b.WriteString("::uuid[])")
			}
			b.WriteString(")")
		}
		filters(&b)
		order(&b, "")
	}
	return b.String(), b.args, true
}

// Interactions implements storage.InteractionReader: newest first, by
// (OccurredAt desc, ID desc), keyset-paged.
func (r reader) Interactions(ctx context.Context, tenant dealer.Tenant, q storage.InteractionQuery, after storage.Cursor, limit int) ([]interaction.Interaction, storage.Cursor, error) {
	const op = "pgstore.Interactions"
	if err := r.run.enter(ctx, op, tenant); err != nil {
		return nil, "", err
	}
	return timePage[interaction.Interaction](ctx, r, op, tenant, listInteractions, after, limit,
		func(pos *[2]any, n int) (string, []any, bool) { return timelineQuery(tenant, &q, pos, n) })
}

// InteractionHeads implements storage.HeadReader: the Interactions query,
// each row's document decoded into its head only.
func (r reader) InteractionHeads(ctx context.Context, tenant dealer.Tenant, q storage.InteractionQuery, after storage.Cursor, limit int) ([]interaction.Head, storage.Cursor, error) {
	const op = "pgstore.InteractionHeads"
	if err := r.run.enter(ctx, op, tenant); err != nil {
		return nil, "", err
	}
	return timePage[interaction.Head](ctx, r, op, tenant, listInteractions, after, limit,
		func(pos *[2]any, n int) (string, []any, bool) { return timelineQuery(tenant, &q, pos, n) })
}

// interactionRow is the column values of an interaction, in the order of
// the interactions table.
func interactionRow(i *interaction.Interaction, doc []byte) []any {
	return []any{string(i.Tenant), uid(i.ID), nullUID(i.Customer), nullUID(i.Household), nullUID(i.Conversation),
		i.OccurredAt, string(i.Channel), string(i.Kind), string(i.Rooftop), i.AwaitingReview(), int64(1), doc}
}

// CreateInteraction implements storage.InteractionWriter.
func (t *tx) CreateInteraction(ctx context.Context, i interaction.Interaction) error {
	const op = "pgstore.CreateInteraction"
	if err := t.enter(ctx, op, i.Tenant); err != nil {
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
	tag, err := t.pgTx.Exec(ctx, sqlInsertInteraction, string(i.Tenant), uid(i.ID),
		nullUID(i.Customer), nullUID(i.Household), nullUID(i.Conversation),
		i.OccurredAt, string(i.Channel), string(i.Kind), string(i.Rooftop), i.AwaitingReview(), doc)
	if err != nil {
		return t.mapErr(ctx, op, err)
	}
	if err := created(op, tag.RowsAffected()); err != nil {
		return err
	}
	if err := t.touch(ctx, &i, false); err != nil {
		return t.mapErr(ctx, op, err)
	}
	return t.record(ctx, op, i.Tenant, storage.EntityInteraction, i.ID.String(), storage.OpCreate, 1)
}

// UpdateInteraction implements storage.InteractionWriter.
func (t *tx) UpdateInteraction(ctx context.Context, i interaction.Interaction) (int64, error) {
	const op = "pgstore.UpdateInteraction"
	if err := t.enter(ctx, op, i.Tenant); err != nil {
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
	tag, err := t.pgTx.Exec(ctx, sqlUpdateInteraction,
		nullUID(i.Customer), nullUID(i.Household), nullUID(i.Conversation),
		i.OccurredAt, string(i.Channel), string(i.Kind), string(i.Rooftop), i.AwaitingReview(), doc,
		string(i.Tenant), uid(i.ID), given)
	if err != nil {
		return 0, t.mapErr(ctx, op, err)
	}
	if err := t.revised(ctx, op, tag.RowsAffected(), sqlInteractionRevision, i.Tenant, i.ID); err != nil {
		return 0, err
	}
	if err := t.touch(ctx, &i, true); err != nil {
		return 0, t.mapErr(ctx, op, err)
	}
	if err := t.record(ctx, op, i.Tenant, storage.EntityInteraction, i.ID.String(), storage.OpUpdate, i.Revision); err != nil {
		return 0, err
	}
	return i.Revision, nil
}
