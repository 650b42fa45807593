package memstore

import (
	"context"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/storage"
)

// ConsentByAddress implements [storage.ConsentReader]: the events about
// addr's line, in append order, from an index.
func (r *reader) ConsentByAddress(ctx context.Context, tenant dealer.Tenant, addr channel.Address) ([]consent.Event, error) {
	if err := r.lock(ctx, "memstore.ConsentByAddress"); err != nil {
		return nil, err
	}
	defer r.unlock()
	t := r.tenant(tenant)
	if t == nil {
		return nil, nil
	}
	return cloneEvents(t.consentByLine[addr.Line()]), nil
}

// ConsentByCustomer implements [storage.ConsentReader]: the events whose
// Subject.Customer is id, in append order, from an index.
func (r *reader) ConsentByCustomer(ctx context.Context, tenant dealer.Tenant, id customer.ID) ([]consent.Event, error) {
	if err := r.lock(ctx, "memstore.ConsentByCustomer"); err != nil {
		return nil, err
	}
	defer r.unlock()
	t := r.tenant(tenant)
	if t == nil {
		return nil, nil
	}
	return cloneEvents(t.consentByCustomer[id]), nil
}

// GetConsent implements [storage.ConsentReader].
func (r *reader) GetConsent(ctx context.Context, tenant dealer.Tenant, id consent.ID) (consent.Event, error) {
	const op = "memstore.GetConsent"
	if err := r.lock(ctx, op); err != nil {
		return consent.Event{}, err
	}
	defer r.unlock()
	t := r.tenant(tenant)
	if t == nil {
		return consent.Event{}, storage.E(op, storage.ErrNotFound, nil)
	}
	p, ok := t.consent[id]
	if !ok {
		return consent.Event{}, storage.E(op, storage.ErrNotFound, nil)
	}
	return cloneEvents([]*consent.Event{p})[0], nil
}

func cloneEvents(es []*consent.Event) []consent.Event {
	if len(es) == 0 {
		return nil
	}
	out := make([]consent.Event, len(es))
	for i, e := range es {
		out[i] = cloneEvent(e)
	}
	return out
}

// AppendConsent implements [storage.ConsentWriter]. It fails with
// [storage.ErrInvalidArgument] when e has no Tenant or ID, and with
// [storage.ErrAlreadyExists] when the ID is taken in the tenant. The event
// is indexed under its address's line and, when set, its subject's
// customer; its change record has Revision 0.
func (x *txn) AppendConsent(ctx context.Context, e consent.Event) error {
	const op = "memstore.AppendConsent"
	if err := x.enter(ctx, op); err != nil {
		return err
	}
	if e.Tenant == "" || e.ID.IsZero() {
		return storage.E(op, storage.ErrInvalidArgument, errNoKey)
	}
	if err := storage.CheckText(op, &e); err != nil {
		return err
	}
	t := x.tenantForWrite(e.Tenant)
	if _, taken := t.consent[e.ID]; taken {
		return storage.E(op, storage.ErrAlreadyExists, nil)
	}
	n := cloneEvent(&e)
	p := &n
	line, cust := n.Subject.Address.Line(), n.Subject.Customer
	t.consent[n.ID] = p
	if !line.IsZero() {
		t.consentByLine[line] = append(t.consentByLine[line], p)
		t.ledgers[line] = append(t.ledgers[line], cloneEvent(p))
	}
	if !cust.IsZero() {
		t.consentByCustomer[cust] = append(t.consentByCustomer[cust], p)
	}
	// Undo runs in reverse order, so this event is the last of its lists.
	x.undo = append(x.undo, func() {
		delete(t.consent, p.ID)
		if !line.IsZero() {
			t.consentByLine[line] = pop(t.consentByLine[line])
			if len(t.consentByLine[line]) == 0 {
				delete(t.consentByLine, line)
			}
			t.setLedger(line, t.consentByLine[line])
		}
		if !cust.IsZero() {
			t.consentByCustomer[cust] = pop(t.consentByCustomer[cust])
			if len(t.consentByCustomer[cust]) == 0 {
				delete(t.consentByCustomer, cust)
			}
		}
	})
	x.record(n.Tenant, storage.EntityConsent, n.ID.String(), storage.OpCreate, 0)
	return nil
}

// setLedger replaces the line's ledger snapshot (tenant.ledgers) by a copy
// of events: for the writes that remove an event from the line, since the
// old snapshot may be held by readers. Appends extend it in place.
func (t *tenant) setLedger(line channel.Address, events []*consent.Event) {
	if len(events) == 0 {
		delete(t.ledgers, line)
		return
	}
	t.ledgers[line] = cloneEvents(events)
}

func pop(s []*consent.Event) []*consent.Event {
	s[len(s)-1] = nil
	return s[:len(s)-1]
}
