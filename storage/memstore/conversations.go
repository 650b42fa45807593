package memstore

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

const (
	listCommitments   = "commitments"
	listConversations = "conversations"
)

func conversationKey(c *interaction.Conversation) key { return timeKey(c.OpenedAt, c.ID) }

var conversations = &table[interaction.ConversationID, interaction.Conversation]{
	name:   "Conversation",
	entity: storage.EntityConversation,
	rows: func(t *tenant) map[interaction.ConversationID]*interaction.Conversation {
		return t.conversations
	},
	ident: func(c *interaction.Conversation) (dealer.Tenant, interaction.ConversationID, *int64) {
		return c.Tenant, c.ID, &c.Revision
	},
	clone: cloneConversation,
	index: indexConversation,
}

// indexConversation keeps the by-customer lookup, the tenant's
// conversations in (OpenedAt, ID) order and the list of those with a
// pending handoff in step. Like indexInteraction, it is its own inverse for
// rollback (called with old and new swapped).
func indexConversation(t *tenant, old, new *interaction.Conversation) {
	if old != nil && !old.Customer.IsZero() && (new == nil || new.Customer != old.Customer) {
		t.conversationsByCustomer.remove(old.Customer, old.ID)
	}
	if new != nil && !new.Customer.IsZero() {
		t.conversationsByCustomer.add(new.Customer, new.ID)
	}
	if old != nil && (new == nil || conversationKey(old) != conversationKey(new)) {
		t.conversationOrder.remove(conversationKey(old))
		t.pendingHandoffs.remove(conversationKey(old))
	}
	if new != nil {
		k := conversationKey(new)
		t.conversationOrder.put(k, new)
		if new.PendingHandoff != nil {
			t.pendingHandoffs.put(k, new)
		} else {
			t.pendingHandoffs.remove(k)
		}
	}
}

var commitments = &table[interaction.CommitmentID, interaction.Commitment]{
	name:   "Commitment",
	entity: storage.EntityCommitment,
	rows: func(t *tenant) map[interaction.CommitmentID]*interaction.Commitment {
		return t.commitments
	},
	ident: func(c *interaction.Commitment) (dealer.Tenant, interaction.CommitmentID, *int64) {
		return c.Tenant, c.ID, &c.Revision
	},
	clone: cloneCommitment,
	index: func(t *tenant, old, new *interaction.Commitment) {
		if old != nil && (new == nil || timeKey(old.Due, old.ID) != timeKey(new.Due, new.ID)) {
			t.commitmentOrder.remove(timeKey(old.Due, old.ID))
		}
		if new != nil {
			t.commitmentOrder.put(timeKey(new.Due, new.ID), new)
		}
	},
}

// GetConversation implements [storage.ConversationReader].
func (r *reader) GetConversation(ctx context.Context, tenant dealer.Tenant, id interaction.ConversationID) (interaction.Conversation, error) {
	return get(r, ctx, conversations, tenant, id)
}

// ConversationsByCustomer implements [storage.ConversationReader]: the
// customer's conversations (from an index) whose status is one of
// statuses, oldest first: by OpenedAt, then by ID.
func (r *reader) ConversationsByCustomer(ctx context.Context, tenant dealer.Tenant, id customer.ID, statuses ...interaction.ConversationStatus) ([]interaction.Conversation, error) {
	if err := r.lock(ctx, "memstore.ConversationsByCustomer"); err != nil {
		return nil, err
	}
	defer r.unlock()
	t := r.tenant(tenant)
	if t == nil {
		return nil, nil
	}
	var out []interaction.Conversation
	for _, cid := range t.conversationsByCustomer[id] {
		c := t.conversations[cid]
		if len(statuses) == 0 || slices.Contains(statuses, c.Status) {
			out = append(out, cloneConversation(c))
		}
	}
	slices.SortFunc(out, func(a, b interaction.Conversation) int {
		return cmp.Or(a.OpenedAt.Compare(b.OpenedAt), cmpID(a.ID, b.ID))
	})
	return out, nil
}

// Conversations implements [storage.ConversationReader]. Its cursors
// belong to the list "conversations" and hold the last row's (OpenedAt,
// ID). The tenant's conversations are kept sorted by (OpenedAt, ID), and
// those with a pending handoff also in a list of their own, which a
// PendingHandoff query walks instead; a page seeks its cursor by binary
// search and skips the rows the other fields filter out.
func (r *reader) Conversations(ctx context.Context, tenant dealer.Tenant, q storage.ConversationQuery, after storage.Cursor, limit int) ([]interaction.Conversation, storage.Cursor, error) {
	const op = "memstore.Conversations"
	if err := r.lock(ctx, op); err != nil {
		return nil, "", err
	}
	defer r.unlock()
	at, id, ok, err := storage.ParseTimeIDCursor(after, tenant, listConversations)
	if err != nil {
		return nil, "", storage.E(op, storage.ErrInvalidCursor, nil)
	}
	t := r.tenant(tenant)
	if t == nil {
		return nil, "", nil
	}
	o := &t.conversationOrder
	if q.PendingHandoff {
		o = &t.pendingHandoffs
	}
	i := 0
	if ok {
		i = o.after(timeKey(at, id))
	}
	n := pageSize(limit)
	var out []interaction.Conversation
	for ; i < o.len(); i++ {
		c := o.at(i).v
		if !matchesConversation(c, &q) {
			continue
		}
		if len(out) == n {
			last := out[n-1]
			return out, storage.TimeIDCursor(tenant, listConversations, last.OpenedAt, last.ID), nil
		}
		out = append(out, cloneConversation(c))
	}
	return out, "", nil
}

func matchesConversation(c *interaction.Conversation, q *storage.ConversationQuery) bool {
	switch {
	case len(q.Rooftops) > 0 && !slices.Contains(q.Rooftops, c.Rooftop),
		q.Owner != "" && c.Owner != q.Owner,
		q.Team != "" && c.Team != q.Team,
		len(q.Statuses) > 0 && !slices.Contains(q.Statuses, c.Status),
		q.PendingHandoff && c.PendingHandoff == nil:
		return false
	}
	return true
}

// CreateConversation implements [storage.ConversationWriter]. It fails
// with [storage.ErrInvalidArgument] when c has no Tenant or ID or a
// non-zero Revision, and with [storage.ErrAlreadyExists].
func (x *txn) CreateConversation(ctx context.Context, c interaction.Conversation) error {
	return create(x, ctx, conversations, &c)
}

// UpdateConversation implements [storage.ConversationWriter]: it stores c
// with Revision c.Revision+1 when the stored revision is c.Revision
// ([storage.ErrNotFound], [storage.ErrConflict]).
func (x *txn) UpdateConversation(ctx context.Context, c interaction.Conversation) (int64, error) {
	return update(x, ctx, conversations, &c)
}

// GetCommitment implements [storage.CommitmentReader].
func (r *reader) GetCommitment(ctx context.Context, tenant dealer.Tenant, id interaction.CommitmentID) (interaction.Commitment, error) {
	return get(r, ctx, commitments, tenant, id)
}

// Commitments implements [storage.CommitmentReader]. Its cursors belong to
// the list "commitments" and hold the last row's (Due, ID). The tenant's
// commitments are kept sorted by (Due, ID); a page seeks its cursor by
// binary search, stops at DueBefore, and skips the rows the other fields
// filter out.
func (r *reader) Commitments(ctx context.Context, tenant dealer.Tenant, q storage.CommitmentQuery, after storage.Cursor, limit int) ([]interaction.Commitment, storage.Cursor, error) {
	const op = "memstore.Commitments"
	if err := r.lock(ctx, op); err != nil {
		return nil, "", err
	}
	defer r.unlock()
	at, id, ok, err := storage.ParseTimeIDCursor(after, tenant, listCommitments)
	if err != nil {
		return nil, "", storage.E(op, storage.ErrInvalidCursor, nil)
	}
	t := r.tenant(tenant)
	if t == nil {
		return nil, "", nil
	}
	o := &t.commitmentOrder
	i := 0
	if ok {
		i = o.after(timeKey(at, id))
	}
	n := pageSize(limit)
	var out []interaction.Commitment
	for ; i < o.len(); i++ {
		c := o.at(i).v
		if !q.DueBefore.IsZero() && !c.Due.Before(q.DueBefore) {
			if o.at(i).k.at > q.DueBefore.UnixMicro() {
				break // every later row is due after DueBefore too
			}
			continue
		}
		if !matchesCommitment(c, &q) {
			continue
		}
		if len(out) == n {
			last := out[n-1]
			return out, storage.TimeIDCursor(tenant, listCommitments, last.Due, last.ID), nil
		}
		out = append(out, cloneCommitment(c))
	}
	return out, "", nil
}

func matchesCommitment(c *interaction.Commitment, q *storage.CommitmentQuery) bool {
	switch {
	case q.Owner != "" && c.Owner != q.Owner,
		q.Team != "" && c.Team != q.Team,
		q.Rooftop != "" && c.Rooftop != q.Rooftop,
		!q.Customer.IsZero() && c.Customer != q.Customer,
		len(q.Statuses) > 0 && !slices.Contains(q.Statuses, c.Status),
		!q.DoneSince.IsZero() && (c.DoneAt.IsZero() || c.DoneAt.UnixMicro() < ceilMicros(q.DoneSince)):
		return false
	}
	return true
}

// CreateCommitment implements [storage.CommitmentWriter]. It fails with
// [storage.ErrInvalidArgument] when c has no Tenant or ID or a non-zero
// Revision, and with [storage.ErrAlreadyExists].
func (x *txn) CreateCommitment(ctx context.Context, c interaction.Commitment) error {
	return create(x, ctx, commitments, &c)
}

// UpdateCommitment implements [storage.CommitmentWriter]: it stores c with
// Revision c.Revision+1 when the stored revision is c.Revision
// ([storage.ErrNotFound], [storage.ErrConflict]).
func (x *txn) UpdateCommitment(ctx context.Context, c interaction.Commitment) (int64, error) {
	return update(x, ctx, commitments, &c)
}

// ceilMicros is t in microseconds, rounded up: a time stored at microsecond
// precision (as the SQL backends index it, UnixMicro) is at or after t
// exactly when it is at least ceilMicros(t).
func ceilMicros(t time.Time) int64 {
	us := t.UnixMicro()
	if t.Sub(time.UnixMicro(us)) > 0 {
		us++
	}
	return us
}
