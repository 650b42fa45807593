package sqlitestore

import (
	"context"
	"strings"

	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

const listConversations = "conversations"

var (
	sqlGetConversation         = static(`SELECT opened_at, id, doc FROM conversations WHERE tenant_id = ? AND id = ?`)
	sqlConversationsByCustomer = static(`SELECT opened_at, id, doc FROM conversations WHERE tenant_id = ? AND customer_id = ? ORDER BY opened_at, id`)

	sqlInsertConversation   = static(`INSERT INTO conversations (tenant_id, id, customer_id, rooftop, owner, team, status, pending_handoff, opened_at, revision, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)`)
	sqlUpdateConversation   = static(`UPDATE conversations SET customer_id = ?, rooftop = ?, owner = ?, team = ?, status = ?, pending_handoff = ?, opened_at = ?, revision = revision + 1, doc = ? WHERE tenant_id = ? AND id = ? AND revision = ?`)
	sqlConversationRevision = static(`SELECT revision FROM conversations WHERE tenant_id = ? AND id = ?`)
)

// GetConversation implements storage.ConversationReader.
func (r reader) GetConversation(ctx context.Context, tenant dealer.Tenant, id interaction.ConversationID) (interaction.Conversation, error) {
	const op = "sqlitestore.GetConversation"
	if err := r.run.enter(ctx, op); err != nil {
		return interaction.Conversation{}, err
	}
	return getDoc[interaction.Conversation](ctx, r.run, op, sqlGetConversation, string(tenant), idBytes(id))
}

// ConversationsByCustomer implements storage.ConversationReader: oldest
// (OpenedAt, then ID) first.
func (r reader) ConversationsByCustomer(ctx context.Context, tenant dealer.Tenant, id customer.ID, statuses ...interaction.ConversationStatus) ([]interaction.Conversation, error) {
	const op = "sqlitestore.ConversationsByCustomer"
	if err := r.run.enter(ctx, op); err != nil {
		return nil, err
	}
	q := sqlConversationsByCustomer
	args := []any{string(tenant), idBytes(id)}
	if len(statuses) > 0 {
		var sb strings.Builder
		sb.WriteString(`SELECT opened_at, id, doc FROM conversations WHERE tenant_id = ? AND customer_id = ?`)
		args = inList(&sb, "status", statuses, args)
		sb.WriteString(` ORDER BY opened_at, id`)
		q = sb.String()
	}
	return queryDocs[interaction.Conversation](ctx, r.run, op, q, args...)
}

// conversationsQuery builds the SQL of a Conversations page. Owner, team
// and a single status are equalities on indexed columns, each with a
// (tenant_id, <column>, opened_at, id) index, and PendingHandoff has a
// partial index of its own, so the usual lists (my open conversations, the
// team's, the handoffs waiting) are range scans in (opened_at, id) order.
func conversationsQuery(tenant dealer.Tenant, q *storage.ConversationQuery, after *[2]any, limit int) (string, []any) {
	var sb strings.Builder
	sb.WriteString(`SELECT opened_at, id, doc FROM conversations WHERE tenant_id = ?`)
	args := []any{string(tenant)}
	if q.Owner != "" {
		sb.WriteString(` AND owner = ?`)
		args = append(args, string(q.Owner))
	}
	if q.Team != "" {
		sb.WriteString(` AND team = ?`)
		args = append(args, string(q.Team))
	}
	args = inList(&sb, "rooftop", q.Rooftops, args)
	args = inList(&sb, "status", q.Statuses, args)
	if q.PendingHandoff {
		// A literal, so that the partial index applies.
		sb.WriteString(` AND pending_handoff = 1`)
	}
	if after != nil {
		sb.WriteString(` AND (opened_at, id) > (?, ?)`)
		args = append(args, after[0], after[1])
	}
	sb.WriteString(` ORDER BY opened_at, id LIMIT ?`)
	args = append(args, limit)
	return sb.String(), args
}

// Conversations implements storage.ConversationReader: by (OpenedAt, ID)
// ascending, keyset-paged.
func (r reader) Conversations(ctx context.Context, tenant dealer.Tenant, q storage.ConversationQuery, after storage.Cursor, limit int) ([]interaction.Conversation, storage.Cursor, error) {
	const op = "sqlitestore.Conversations"
	if err := r.run.enter(ctx, op); err != nil {
		return nil, "", err
	}
	return timePage[interaction.Conversation](ctx, r, op, tenant, listConversations, after, limit,
		func(pos *[2]any, n int) (string, []any) { return conversationsQuery(tenant, &q, pos, n) })
}

// CreateConversation implements storage.ConversationWriter.
func (t *tx) CreateConversation(ctx context.Context, c interaction.Conversation) error {
	const op = "sqlitestore.CreateConversation"
	if err := t.enter(ctx, op); err != nil {
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
	if _, err := t.exec(ctx, sqlInsertConversation, string(c.Tenant), idBytes(c.ID), idArg(c.Customer),
		string(c.Rooftop), string(c.Owner), string(c.Team), string(c.Status), flag(c.PendingHandoff != nil),
		micros(c.OpenedAt), doc); err != nil {
		return mapErr(ctx, op, err)
	}
	return t.record(ctx, op, c.Tenant, storage.EntityConversation, c.ID.String(), storage.OpCreate, 1)
}

// UpdateConversation implements storage.ConversationWriter.
func (t *tx) UpdateConversation(ctx context.Context, c interaction.Conversation) (int64, error) {
	const op = "sqlitestore.UpdateConversation"
	if err := t.enter(ctx, op); err != nil {
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
	res, err := t.exec(ctx, sqlUpdateConversation, idArg(c.Customer),
		string(c.Rooftop), string(c.Owner), string(c.Team), string(c.Status), flag(c.PendingHandoff != nil),
		micros(c.OpenedAt), doc, string(c.Tenant), idBytes(c.ID), given)
	if err != nil {
		return 0, mapErr(ctx, op, err)
	}
	if err := t.revised(ctx, op, res, sqlConversationRevision, c.Tenant, c.ID); err != nil {
		return 0, err
	}
	if err := t.record(ctx, op, c.Tenant, storage.EntityConversation, c.ID.String(), storage.OpUpdate, c.Revision); err != nil {
		return 0, err
	}
	return c.Revision, nil
}
