package memstore

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

var (
	errNoErasure     = errors.New("no erasure record with that ID in this transaction's tenant")
	errNotErasedKey  = errors.New("key is not an erased address key")
	errAlreadyErased = errors.New("event is erased already")
)

// GetErasure implements [storage.ErasureReader].
func (r *reader) GetErasure(ctx context.Context, tenant dealer.Tenant, id customer.ErasureID) (customer.Erasure, error) {
	const op = "memstore.GetErasure"
	if err := r.lock(ctx, op); err != nil {
		return customer.Erasure{}, err
	}
	defer r.unlock()
	t := r.tenant(tenant)
	if t == nil {
		return customer.Erasure{}, storage.E(op, storage.ErrNotFound, nil)
	}
	doc, ok := t.erasures[id]
	if !ok {
		return customer.Erasure{}, storage.E(op, storage.ErrNotFound, nil)
	}
	var e customer.Erasure
	if err := json.Unmarshal(doc, &e); err != nil {
		return customer.Erasure{}, storage.E(op, storage.ErrCorrupt,
			&storage.CorruptError{Entity: storage.EntityErasure, ID: id.String(), Err: err})
	}
	return e, nil
}

// ConsentByKey implements [storage.ErasureReader].
func (r *reader) ConsentByKey(ctx context.Context, tenant dealer.Tenant, key string) ([]consent.Event, error) {
	if err := r.lock(ctx, "memstore.ConsentByKey"); err != nil {
		return nil, err
	}
	defer r.unlock()
	t := r.tenant(tenant)
	if t == nil {
		return nil, nil
	}
	return cloneEvents(t.consentByKey[key]), nil
}

// MergesByCustomer implements [storage.ErasureReader].
func (r *reader) MergesByCustomer(ctx context.Context, tenant dealer.Tenant, id customer.ID) ([]customer.MergeID, error) {
	if err := r.lock(ctx, "memstore.MergesByCustomer"); err != nil {
		return nil, err
	}
	defer r.unlock()
	t := r.tenant(tenant)
	if t == nil {
		return nil, nil
	}
	out := slices.Clone(t.mergesOf[id])
	slices.SortFunc(out, func(a, b customer.MergeID) int { return strings.Compare(a.String(), b.String()) })
	return slices.Compact(out), nil
}

// RecordErasure implements [storage.ErasureWriter].
func (x *txn) RecordErasure(ctx context.Context, e customer.Erasure) error {
	const op = "memstore.RecordErasure"
	if err := x.enter(ctx, op); err != nil {
		return err
	}
	if e.Tenant == "" || e.ID.IsZero() {
		return storage.E(op, storage.ErrInvalidArgument, errNoKey)
	}
	if err := storage.CheckText(op, &e); err != nil {
		return err
	}
	doc, err := json.Marshal(e)
	if err != nil {
		return storage.E(op, storage.ErrInvalidArgument, err)
	}
	t := x.tenantForWrite(e.Tenant)
	if t.erasures == nil {
		t.erasures = map[customer.ErasureID][]byte{}
	}
	if _, taken := t.erasures[e.ID]; taken {
		return storage.E(op, storage.ErrAlreadyExists, nil)
	}
	t.erasures[e.ID] = doc
	x.undo = append(x.undo, func() { delete(t.erasures, e.ID) })
	x.record(e.Tenant, storage.EntityErasure, e.ID.String(), storage.OpCreate, 0)
	return nil
}

// EraseConsent implements [storage.ErasureWriter].
func (x *txn) EraseConsent(ctx context.Context, erasure customer.ErasureID, e consent.Event, key string) error {
	const op = "memstore.EraseConsent"
	if err := x.enter(ctx, op); err != nil {
		return err
	}
	if e.Tenant == "" || e.ID.IsZero() {
		return storage.E(op, storage.ErrInvalidArgument, errNoKey)
	}
	if !strings.HasPrefix(key, storage.ErasedPrefix) {
		return storage.E(op, storage.ErrInvalidArgument, errNotErasedKey)
	}
	if err := storage.CheckText(op, &e); err != nil {
		return err
	}
	t := x.tenantForWrite(e.Tenant)
	if _, ok := t.erasures[erasure]; !ok {
		return storage.E(op, storage.ErrInvalidArgument, errNoErasure)
	}
	old, ok := t.consent[e.ID]
	if !ok {
		return storage.E(op, storage.ErrNotFound, nil)
	}
	if old.Subject.Address.IsZero() {
		return storage.E(op, storage.ErrConflict, errAlreadyErased)
	}
	line, cust := old.Subject.Address.Line(), old.Subject.Customer
	byLine, byCust, byKey := t.consentByLine[line], t.consentByCustomer[cust], t.consentByKey[key]
	n := cloneEvent(&e)
	p := &n
	t.consent[e.ID] = p
	without := func(s []*consent.Event) []*consent.Event {
		return slices.DeleteFunc(slices.Clone(s), func(x *consent.Event) bool { return x == old })
	}
	set := func(m map[channel.Address][]*consent.Event, k channel.Address, s []*consent.Event) {
		if len(s) == 0 {
			delete(m, k)
		} else {
			m[k] = s
		}
	}
	set(t.consentByLine, line, without(byLine))
	t.setLedger(line, t.consentByLine[line])
	if !cust.IsZero() {
		if s := without(byCust); len(s) == 0 {
			delete(t.consentByCustomer, cust)
		} else {
			t.consentByCustomer[cust] = s
		}
	}
	if t.consentByKey == nil {
		t.consentByKey = map[string][]*consent.Event{}
	}
	t.consentByKey[key] = append(slices.Clone(byKey), p)
	x.undo = append(x.undo, func() {
		t.consent[e.ID] = old
		t.consentByLine[line] = byLine
		t.setLedger(line, byLine)
		if !cust.IsZero() {
			t.consentByCustomer[cust] = byCust
		}
		if len(byKey) == 0 {
			delete(t.consentByKey, key)
			return
		}
		t.consentByKey[key] = byKey
	})
	x.record(e.Tenant, storage.EntityConsent, e.ID.String(), storage.OpUpdate, 0)
	return nil
}

// EraseMerge implements [storage.ErasureWriter].
func (x *txn) EraseMerge(ctx context.Context, m customer.MergeRecord) error {
	const op = "memstore.EraseMerge"
	if err := x.enter(ctx, op); err != nil {
		return err
	}
	if m.Tenant == "" || m.ID.IsZero() {
		return storage.E(op, storage.ErrInvalidArgument, errNoMergeKey)
	}
	if err := storage.CheckText(op, &m); err != nil {
		return err
	}
	doc, err := json.Marshal(m)
	if err != nil {
		return storage.E(op, storage.ErrInvalidArgument, err)
	}
	t := x.tenantForWrite(m.Tenant)
	old, ok := t.merges[m.ID]
	if !ok {
		return storage.E(op, storage.ErrNotFound, nil)
	}
	t.merges[m.ID] = doc
	x.undo = append(x.undo, func() { t.merges[m.ID] = old })
	x.record(m.Tenant, storage.EntityMerge, m.ID.String(), storage.OpUpdate, 0)
	return nil
}

// MentionsOf implements [storage.ErasureReader], reading every vehicle,
// interaction and decision of the tenant.
func (r *reader) MentionsOf(ctx context.Context, tenant dealer.Tenant, id customer.ID) (storage.Mentions, error) {
	if err := r.lock(ctx, "memstore.MentionsOf"); err != nil {
		return storage.Mentions{}, err
	}
	defer r.unlock()
	var m storage.Mentions
	t := r.tenant(tenant)
	if t == nil {
		return m, nil
	}
	for vid, v := range t.vehicles {
		if slices.ContainsFunc(v.Stakeholders, func(s household.Stakeholder) bool { return s.Customer == id }) {
			m.Vehicles = append(m.Vehicles, vid)
		}
	}
	for iid, i := range t.interactions {
		if i.Kind == interaction.KindReferral && i.Referral != nil && (i.Referral.Referrer == id || i.Referral.Referred == id) {
			m.Referrals = append(m.Referrals, iid)
		}
	}
	for key, d := range t.decisions {
		if slices.Contains(d.Members, id) {
			m.Decisions = append(m.Decisions, key)
		}
	}
	slices.SortFunc(m.Vehicles, func(a, b household.VehicleID) int { return bytes.Compare(a[:], b[:]) })
	slices.SortFunc(m.Referrals, func(a, b interaction.ID) int { return bytes.Compare(a[:], b[:]) })
	slices.Sort(m.Decisions)
	return m, nil
}

// EraseDecision implements [storage.ErasureWriter].
func (x *txn) EraseDecision(ctx context.Context, d household.Decision) error {
	const op = "memstore.EraseDecision"
	if err := x.enter(ctx, op); err != nil {
		return err
	}
	if err := checkDecision(op, &d); err != nil {
		return err
	}
	t := x.tenantForWrite(d.Tenant)
	old, ok := t.decisions[d.Key]
	if !ok {
		return storage.E(op, storage.ErrNotFound, nil)
	}
	n := cloneDecision(&d)
	t.decisions[d.Key] = &n
	x.undo = append(x.undo, func() { t.decisions[d.Key] = old })
	x.record(d.Tenant, storage.EntitySuggestionDecision, d.Key, storage.OpUpdate, 0)
	return nil
}
