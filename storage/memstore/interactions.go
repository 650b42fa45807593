package memstore

import (
	"context"
	"slices"
	"time"

	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

const listInteractions = "interactions"

var interactions = &table[interaction.ID, interaction.Interaction]{
	name:   "Interaction",
	entity: storage.EntityInteraction,
	rows:   func(t *tenant) map[interaction.ID]*interaction.Interaction { return t.interactions },
	ident: func(i *interaction.Interaction) (dealer.Tenant, interaction.ID, *int64) {
		return i.Tenant, i.ID, &i.Revision
	},
	clone: cloneInteraction,
	index: indexInteraction,
}

// timeKey is the position of a record in a (time, ID) list: the time at
// microsecond precision, as storage.TimeIDCursor holds it, so that a
// cursor always names an exact position. Two times in the same microsecond
// are therefore ordered by ID (the Book writes microsecond times, so this
// is only visible to callers that bypass it).
func timeKey(t time.Time, id [16]byte) key { return key{t.UnixMicro(), id} }

func interactionKey(i *interaction.Interaction) key { return timeKey(i.OccurredAt, i.ID) }

// indexInteraction keeps the tenant-wide timeline, the per-customer,
// per-household and per-conversation timelines, the review queue (the
// interactions awaiting review) and the outbound interactions of each
// address line (sendLine) in (OccurredAt, ID) order. Zero scope IDs
// are not indexed.
//
// It is its own inverse for rollback: the undo log calls it with old and
// new swapped, which puts every list back as it was.
func indexInteraction(t *tenant, old, new *interaction.Interaction) {
	if old != nil && new != nil && interactionKey(old) == interactionKey(new) &&
		old.Customer == new.Customer && old.Household == new.Household && old.Conversation == new.Conversation &&
		sendLine(old) == sendLine(new) {
		// Same place in every list: swap the record in place.
		k := interactionKey(new)
		t.timeline.put(k, new)
		if new.AwaitingReview() {
			t.awaitingReview.put(k, new)
		} else {
			t.awaitingReview.remove(k)
		}
		if !new.Customer.IsZero() {
			t.byCustomer.put(new.Customer, k, new)
		}
		if !new.Household.IsZero() {
			t.byHousehold.put(new.Household, k, new)
		}
		if !new.Conversation.IsZero() {
			t.byConversation.put(new.Conversation, k, new)
		}
		if l := sendLine(new); !l.IsZero() {
			t.sendsByLine.put(l, k, new)
		}
		return
	}
	if old != nil {
		k := interactionKey(old)
		t.timeline.remove(k)
		t.awaitingReview.remove(k)
		if !old.Customer.IsZero() {
			t.byCustomer.remove(old.Customer, k)
		}
		if !old.Household.IsZero() {
			t.byHousehold.remove(old.Household, k)
		}
		if !old.Conversation.IsZero() {
			t.byConversation.remove(old.Conversation, k)
		}
		if l := sendLine(old); !l.IsZero() {
			t.sendsByLine.remove(l, k)
		}
	}
	if new != nil {
		k := interactionKey(new)
		t.timeline.put(k, new)
		if new.AwaitingReview() {
			t.awaitingReview.put(k, new)
		}
		if !new.Customer.IsZero() {
			t.byCustomer.put(new.Customer, k, new)
		}
		if !new.Household.IsZero() {
			t.byHousehold.put(new.Household, k, new)
		}
		if !new.Conversation.IsZero() {
			t.byConversation.put(new.Conversation, k, new)
		}
		if l := sendLine(new); !l.IsZero() {
			t.sendsByLine.put(l, k, new)
		}
	}
}

// GetInteraction implements [storage.InteractionReader].
func (r *reader) GetInteraction(ctx context.Context, tenant dealer.Tenant, id interaction.ID) (interaction.Interaction, error) {
	return get(r, ctx, interactions, tenant, id)
}

// InteractionHeads implements [storage.HeadReader]: the page of
// Interactions, each record's head.
func (r *reader) InteractionHeads(ctx context.Context, tenant dealer.Tenant, q storage.InteractionQuery, after storage.Cursor, limit int) ([]interaction.Head, storage.Cursor, error) {
	is, next, err := r.Interactions(ctx, tenant, q, after, limit)
	if is == nil {
		return nil, next, err
	}
	hs := make([]interaction.Head, len(is))
	for k := range is {
		hs[k] = is[k].Head()
	}
	return hs, next, err
}

// Interactions implements [storage.InteractionReader]. Its cursors belong
// to the list "interactions" and hold the last row's (OccurredAt, ID).
//
// Each scope (every listed customer, the household, the conversation, or
// the whole tenant when none is set) has its own sorted list, so a page
// starts with a binary search per scope and merges the lists: its cost is
// O(s log n + page) for s scopes, however deep the cursor, plus the rows
// the filter fields skip. Zero IDs in the scope fields match nothing. An
// unscoped AwaitingReview query walks the tenant's review queue, a list of
// only the interactions awaiting review, instead of the whole timeline.
func (r *reader) Interactions(ctx context.Context, tenant dealer.Tenant, q storage.InteractionQuery, after storage.Cursor, limit int) ([]interaction.Interaction, storage.Cursor, error) {
	const op = "memstore.Interactions"
	if err := r.lock(ctx, op); err != nil {
		return nil, "", err
	}
	defer r.unlock()
	at, id, ok, err := storage.ParseTimeIDCursor(after, tenant, listInteractions)
	if err != nil {
		return nil, "", storage.E(op, storage.ErrInvalidCursor, nil)
	}
	t := r.tenant(tenant)
	if t == nil {
		return nil, "", nil
	}

	// Walk down from the first key below bound.
	bound := key{at: maxInt64}
	if ok {
		bound = timeKey(at, id)
	}
	if !q.Until.IsZero() {
		// Rows in a later microsecond than Until's all fail OccurredAt < Until.
		if u := (key{at: q.Until.UnixMicro() + 1}); u.cmp(bound) < 0 {
			bound = u
		}
	}
	var lists []*ordered[interaction.Interaction]
	scoped := len(q.Customers) > 0 || !q.Household.IsZero() || !q.Conversation.IsZero()
	switch {
	case !scoped && q.AwaitingReview:
		lists = append(lists, &t.awaitingReview)
	case !scoped:
		lists = append(lists, &t.timeline)
	}
	for _, c := range q.Customers {
		if o := t.byCustomer[c]; o != nil {
			lists = append(lists, o)
		}
	}
	if o := t.byHousehold[q.Household]; o != nil && !q.Household.IsZero() {
		lists = append(lists, o)
	}
	if o := t.byConversation[q.Conversation]; o != nil && !q.Conversation.IsZero() {
		lists = append(lists, o)
	}
	m := newMerge(lists, bound)
	var sinceMicro int64
	if !q.Since.IsZero() {
		sinceMicro = q.Since.UnixMicro()
	}

	n := pageSize(limit)
	var out []interaction.Interaction
	for {
		e, more := m.next()
		if !more || (!q.Since.IsZero() && e.k.at < sinceMicro) {
			return out, "", nil // no row after this one matches
		}
		if !matches(e.v, &q) {
			continue
		}
		if len(out) == n {
			// A further match exists: the page is not the last.
			last := out[n-1]
			return out, storage.TimeIDCursor(tenant, listInteractions, last.OccurredAt, last.ID), nil
		}
		out = append(out, cloneInteraction(e.v))
	}
}

const maxInt64 = int64(^uint64(0) >> 1)

// matches applies the filter fields of q (the scope was applied by the
// choice of lists).
func matches(i *interaction.Interaction, q *storage.InteractionQuery) bool {
	switch {
	case len(q.Channels) > 0 && !slices.Contains(q.Channels, i.Channel),
		len(q.Kinds) > 0 && !slices.Contains(q.Kinds, i.Kind),
		len(q.Rooftops) > 0 && !slices.Contains(q.Rooftops, i.Rooftop),
		!q.Since.IsZero() && i.OccurredAt.Before(q.Since),
		!q.Until.IsZero() && !i.OccurredAt.Before(q.Until),
		q.AwaitingReview && !i.AwaitingReview():
		return false
	}
	return true
}

// merge walks several ordered lists downwards at once, yielding each
// record once even when it is in several lists (an interaction of a listed
// customer that is also in the household).
type merge[V any] struct {
	lists []*ordered[V]
	pos   []int // next index to yield in each list, -1 when exhausted
}

func newMerge[V any](lists []*ordered[V], bound key) *merge[V] {
	m := &merge[V]{lists: lists, pos: make([]int, len(lists))}
	for i, o := range lists {
		m.pos[i] = o.below(bound)
	}
	return m
}

// next returns the entry with the greatest key not yet yielded.
func (m *merge[V]) next() (entry[V], bool) {
	best := -1
	for i, p := range m.pos {
		if p < 0 {
			continue
		}
		if best < 0 || m.lists[i].at(p).k.cmp(m.lists[best].at(m.pos[best]).k) > 0 {
			best = i
		}
	}
	if best < 0 {
		return entry[V]{}, false
	}
	e := m.lists[best].at(m.pos[best])
	for i, p := range m.pos {
		if p >= 0 && m.lists[i].at(p).k == e.k {
			m.pos[i]--
		}
	}
	return e, true
}

// CreateInteraction implements [storage.InteractionWriter]. It fails with
// [storage.ErrInvalidArgument] when i has no Tenant or ID or a non-zero
// Revision, and with [storage.ErrAlreadyExists].
func (x *txn) CreateInteraction(ctx context.Context, i interaction.Interaction) error {
	return create(x, ctx, interactions, &i)
}

// UpdateInteraction implements [storage.InteractionWriter]; the timelines
// follow a changed OccurredAt, customer, household or conversation.
func (x *txn) UpdateInteraction(ctx context.Context, i interaction.Interaction) (int64, error) {
	return update(x, ctx, interactions, &i)
}
