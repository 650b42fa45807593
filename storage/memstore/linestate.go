package memstore

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

var (
	errNoLine = errors.New("memstore: line query without a line")

	_ storage.LineSendsReader = (*Backend)(nil)
	_ storage.LineSendsReader = (*txn)(nil)
)

// sendLine is the address line under which an interaction is kept in the
// tenant's sendsByLine index: its line when it is an outbound interaction
// with an address, else zero (not indexed).
func sendLine(i *interaction.Interaction) channel.Address {
	if i.Direction != interaction.DirectionOutbound {
		return channel.Address{}
	}
	return i.Address.Line()
}

// LineState implements [storage.LineStateReader]: LineStates for one query.
func (r *reader) LineState(ctx context.Context, tenant dealer.Tenant, q storage.LineQuery) (storage.LineState, error) {
	const op = "memstore.LineState"
	var st storage.LineState
	if q.Line.IsZero() {
		return st, storage.E(op, storage.ErrInvalidArgument, errNoLine)
	}
	if err := r.lock(ctx, op); err != nil {
		return st, err
	}
	defer r.unlock()
	if t := r.tenant(tenant); t != nil {
		t.lineState(&q, &st)
	}
	return st, nil
}

// LineStates implements [storage.LineStateReader] from indexes kept in the
// transaction of every write: the ledger by line, the customers by line,
// the outbound interactions by line (sendsByLine), each customer's
// timeline and conversations. A query costs a few map lookups and walks
// only the sends and interactions inside its window.
func (r *reader) LineStates(ctx context.Context, tenant dealer.Tenant, qs []storage.LineQuery) ([]storage.LineState, error) {
	const op = "memstore.LineStates"
	if err := r.lock(ctx, op); err != nil {
		return nil, err
	}
	defer r.unlock()
	out := make([]storage.LineState, len(qs))
	t := r.tenant(tenant)
	for k := range qs {
		if qs[k].Line.IsZero() {
			return nil, storage.E(op, storage.ErrInvalidArgument, errNoLine)
		}
		if t != nil {
			t.lineState(&qs[k], &out[k])
		}
	}
	return out, nil
}

// lineState fills st with the state of q's line.
func (t *tenant) lineState(q *storage.LineQuery, st *storage.LineState) {
	line := q.Line.Line()
	st.Ledger = slices.Clip(t.ledgers[line])
	st.Holders = t.customersByLine.get(line)
	ids := storage.RecipientIDs(*q, st.Holders)
	for _, id := range ids {
		if cu := t.customers[id]; cu != nil {
			st.Recipients = append(st.Recipients, storage.RecipientOf(cu, line))
		}
	}
	t.lineSends(line, q.Since, q.Until, func(cs storage.CustomerSend) { st.Sends = append(st.Sends, cs.Send) })
	for _, id := range ids {
		if o := t.byCustomer[id]; o != nil && !id.IsZero() {
			inWindow(o, q.Since, q.Until, func(i *interaction.Interaction) {
				if c, ok := i.StaffContact(); ok {
					st.Contacts = append(st.Contacts, c)
				}
			})
		}
	}
	if len(ids) > 1 {
		storage.SortContacts(st.Contacts)
	}
	for _, id := range ids {
		first := len(st.Conversations)
		for _, cid := range t.conversationsByCustomer[id] {
			c := t.conversations[cid]
			if c.Owner != "" && slices.Contains(openStatuses, c.Status) {
				st.Conversations = append(st.Conversations, cloneConversation(c))
			}
		}
		slices.SortFunc(st.Conversations[first:], func(a, b interaction.Conversation) int {
			return cmp.Or(a.OpenedAt.Compare(b.OpenedAt), cmpID(a.ID, b.ID))
		})
	}
}

// LineSends implements [storage.LineSendsReader] from the sendsByLine
// index.
func (r *reader) LineSends(ctx context.Context, tenant dealer.Tenant, line channel.Address, since, until time.Time) ([]storage.CustomerSend, error) {
	const op = "memstore.LineSends"
	if line.IsZero() {
		return nil, storage.E(op, storage.ErrInvalidArgument, errNoLine)
	}
	if err := r.lock(ctx, op); err != nil {
		return nil, err
	}
	defer r.unlock()
	var out []storage.CustomerSend
	if t := r.tenant(tenant); t != nil {
		t.lineSends(line.Line(), since, until, func(cs storage.CustomerSend) { out = append(out, cs) })
	}
	return out, nil
}

// lineSends calls fn with every send to line in [since, until) recorded
// for a customer, newest first.
func (t *tenant) lineSends(line channel.Address, since, until time.Time, fn func(storage.CustomerSend)) {
	if o := t.sendsByLine[line]; o != nil {
		inWindow(o, since, until, func(i *interaction.Interaction) {
			if i.Customer.IsZero() {
				return
			}
			if s, ok := storage.SendOf(i); ok {
				fn(storage.CustomerSend{Customer: i.Customer, Send: s})
			}
		})
	}
}

// openStatuses are the statuses of the conversations a LineState lists.
var openStatuses = []interaction.ConversationStatus{interaction.ConversationStatusOpen, interaction.ConversationStatusPending, interaction.ConversationStatusSnoozed}

// inWindow calls fn for the records of o with since ≤ OccurredAt < until
// (zero: unbounded), newest first.
func inWindow(o *ordered[interaction.Interaction], since, until time.Time, fn func(*interaction.Interaction)) {
	top := o.len() - 1
	if !until.IsZero() {
		top = o.below(key{at: until.UnixMicro() + 1})
	}
	for p := top; p >= 0; p-- {
		e := o.at(p)
		i := e.v
		if !since.IsZero() && e.k.at < since.UnixMicro() {
			return // every record after this one is older still
		}
		if (since.IsZero() || !i.OccurredAt.Before(since)) && (until.IsZero() || i.OccurredAt.Before(until)) {
			fn(i)
		}
	}
}
