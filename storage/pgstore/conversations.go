package pgstore

import (
	"context"

	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

const listConversations = "conversations"

const (
	sqlGetConversation = `SELECT opened_at, id, doc FROM conversations WHERE tenant_id = $1 AND id = $2`

	sqlInsertConversation = `INSERT INTO conversations (tenant_id, id, customer_id, rooftop, owner, team, status, pending_handoff, opened_at, revision, doc)` +
		` VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10) ON CONFLICT DO NOTHING`
	sqlUpdateConversation = `UPDATE conversations SET customer_id = $1, rooftop = $2, owner = $3, team = $4, status = $5, pending_handoff = $6, opened_at = $7,` +
		` revision = revision + 1, doc = $8 WHERE tenant_id = $9 AND id = $10 AND revision = $11`
	sqlConversationRevision = `SELECT revision FROM conversations WHERE tenant_id = $1 AND id = $2`
)

// GetConversation implements storage.ConversationReader.
func (r reader) GetConversation(ctx context.Context, tenant dealer.Tenant, id interaction.ConversationID) (interaction.Conversation, error) {
	const op = "pgstore.GetConversation"
	if err := r.run.enter(ctx, op, tenant); err != nil {
		return interaction.Conversation{}, err
	}
	return getDoc[interaction.Conversation](ctx, r.run, op, sqlGetConversation, string(tenant), uid(id))
}

// ConversationsByCustomer implements storage.ConversationReader: oldest
// (OpenedAt, then ID) first, from the (tenant_id, customer_id, opened_at,
// id) index.
func (r reader) ConversationsByCustomer(ctx context.Context, tenant dealer.Tenant, id customer.ID, statuses ...interaction.ConversationStatus) ([]interaction.Conversation, error) {
	const op = "pgstore.ConversationsByCustomer"
	if err := r.run.enter(ctx, op, tenant); err != nil {
		return nil, err
	}
	var b sqlBuilder
	b.WriteString(`SELECT opened_at, id, doc FROM conversations WHERE tenant_id = `)
	b.arg(string(tenant))
	b.WriteString(` AND customer_id = `)
	b.arg(uid(id))
	anyOf(&b, "status", statuses)
	b.WriteString(` ORDER BY opened_at, id`)
	return queryDocs[interaction.Conversation](ctx, r.run, op, b.String(), b.args...)
}

// conversationsQuery builds the SQL of a Conversations page. Owner, team
// and a single status are equalities on indexed columns, each with a
// (tenant_id, <column>, opened_at, id) index, and PendingHandoff has a
// partial index of its own, so the usual lists (my open conversations, the
// team's, the handoffs waiting) are range scans in (opened_at, id) order.
func conversationsQuery(tenant dealer.Tenant, q *storage.ConversationQuery, after *[2]any, limit int) (string, []any, bool) {
	var b sqlBuilder
	b.WriteString(`SELECT opened_at, id, doc FROM conversations WHERE tenant_id = `)
	b.arg(string(tenant))
	if q.Owner != "" {
		b.WriteString(` AND owner = `)
		b.arg(string(q.Owner))
	}
	if q.Team != "" {
		b.WriteString(` AND team = `)
		b.arg(string(q.Team))
	}
	anyOf(&b, "rooftop", q.Rooftops)
	anyOf(&b, "status", q.Statuses)
	if q.PendingHandoff {
		b.WriteString(` AND pending_handoff`)
	}
	if after != nil {
		b.WriteString(` AND (opened_at, id) > (`)
		b.arg(after[0])
		b.WriteString(`, `)
		b.arg(after[1])
		b.WriteString(`)`)
	}
	b.WriteString(` ORDER BY opened_at, id LIMIT `)
	b.arg(limit)
	return b.String(), b.args, true
}

// Conversations implements storage.ConversationReader: by (OpenedAt, ID)
// ascending, keyset-paged.
func (r reader) Conversations(ctx context.Context, tenant dealer.Tenant, q storage.ConversationQuery, after storage.Cursor, limit int) ([]interaction.Conversation, storage.Cursor, error) {
	const op = "pgstore.Conversations"
	if err := r.run.enter(ctx, op, tenant); err != nil {
		return nil, "", err
	}
	return timePage[interaction.Conversation](ctx, r, op, tenant, listConversations, after, limit,
		func(pos *[2]any, n int) (string, []any, bool) { return conversationsQuery(tenant, &q, pos, n) })
}

// CreateConversation implements storage.ConversationWriter.
func (t *tx) CreateConversation(ctx context.Context, c interaction.Conversation) error {
	const op = "pgstore.CreateConversation"
	if err := t.enter(ctx, op, c.Tenant); err != nil {
		return err
	}
	if err := checkNew(op, c.Tenant, c.ID, c.Revision); err != nil {
		return err
	}
	c.Revision = 1
	doc, err := encode(c)
	if err != nil {
		return storage.E(op, storage.ErrInvalidArgument, err)
	}
	tag, err := t.pgTx.Exec(ctx, sqlInsertConversation, string(c.Tenant), uid(c.ID), nullUID(c.Customer),
		string(c.Rooftop), string(c.Owner), string(c.Team), string(c.Status), c.PendingHandoff != nil,
		c.OpenedAt, doc)
	if err != nil {
		return t.mapErr(ctx, op, err)
	}
	if err := created(op, tag.RowsAffected()); err != nil {
		return err
	}
	return t.record(ctx, op, c.Tenant, storage.EntityConversation, c.ID.String(), storage.OpCreate, 1)
}

// UpdateConversation implements storage.ConversationWriter.
func (t *tx) UpdateConversation(ctx context.Context, c interaction.Conversation) (int64, error) {
	const op = "pgstore.UpdateConversation"
	if err := t.enter(ctx, op, c.Tenant); err != nil {
		return 0, err
	}
	if err := checkKey(op, c.Tenant, c.ID); err != nil {
		return 0, err
	}
	given := c.Revision
	c.Revision++
	doc, err := encode(c)
	if err != nil {
		return 0, storage.E(op, storage.ErrInvalidArgument, err)
	}
	tag, err := t.pgTx.Exec(ctx, sqlUpdateConversation, nullUID(c.Customer),
		string(c.Rooftop), string(c.Owner), string(c.Team), string(c.Status), c.PendingHandoff != nil,
		c.OpenedAt, doc, string(c.Tenant), uid(c.ID), given)
	if err != nil {
		return 0, t.mapErr(ctx, op, err)
	}
	if err := t.revised(ctx, op, tag.RowsAffected(), sqlConversationRevision, c.Tenant, c.ID); err != nil {
		return 0, err
	}
	if err := t.record(ctx, op, c.Tenant, storage.EntityConversation, c.ID.String(), storage.OpUpdate, c.Revision); err != nil {
		return 0, err
	}
	return c.Revision, nil
}
