package sqlitestore

import (
	"context"
	"strings"

	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

var (
	sqlGetConversation         = static(`SELECT doc FROM conversations WHERE tenant_id = ? AND id = ?`)
	sqlConversationsByCustomer = static(`SELECT doc FROM conversations WHERE tenant_id = ? AND customer_id = ? ORDER BY opened_at, id`)

	sqlInsertConversation   = static(`INSERT INTO conversations (tenant_id, id, customer_id, status, opened_at, revision, doc) VALUES (?, ?, ?, ?, ?, 1, ?)`)
	sqlUpdateConversation   = static(`UPDATE conversations SET customer_id = ?, status = ?, opened_at = ?, revision = revision + 1, doc = ? WHERE tenant_id = ? AND id = ? AND revision = ?`)
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
		sb.WriteString(`SELECT doc FROM conversations WHERE tenant_id = ? AND customer_id = ?`)
		args = inList(&sb, "status", statuses, args)
		sb.WriteString(` ORDER BY opened_at, id`)
		q = sb.String()
	}
	return queryDocs[interaction.Conversation](ctx, r.run, op, q, args...)
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
	if _, err := t.exec(ctx, sqlInsertConversation, string(c.Tenant), idBytes(c.ID),
		idArg(c.Customer), string(c.Status), micros(c.OpenedAt), doc); err != nil {
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
	res, err := t.exec(ctx, sqlUpdateConversation, idArg(c.Customer), string(c.Status), micros(c.OpenedAt), doc,
		string(c.Tenant), idBytes(c.ID), given)
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
