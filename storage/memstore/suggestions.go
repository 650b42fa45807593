package memstore

import (
	"context"
	"slices"

	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/storage"
)

// SuggestionDecision implements [storage.SuggestionReader].
func (r *reader) SuggestionDecision(ctx context.Context, tenant dealer.Tenant, key string) (household.Decision, error) {
	const op = "memstore.SuggestionDecision"
	if err := r.lock(ctx, op); err != nil {
		return household.Decision{}, err
	}
	defer r.unlock()
	t := r.tenant(tenant)
	if t == nil {
		return household.Decision{}, storage.E(op, storage.ErrNotFound, nil)
	}
	d, ok := t.decisions[key]
	if !ok {
		return household.Decision{}, storage.E(op, storage.ErrNotFound, nil)
	}
	return cloneDecision(d), nil
}

// RecordSuggestionDecision implements [storage.SuggestionWriter].
func (x *txn) RecordSuggestionDecision(ctx context.Context, d household.Decision) error {
	const op = "memstore.RecordSuggestionDecision"
	if err := x.enter(ctx, op); err != nil {
		return err
	}
	if err := checkDecision(op, &d); err != nil {
		return err
	}
	t := x.tenantForWrite(d.Tenant)
	if t.decisions == nil {
		t.decisions = map[string]*household.Decision{}
	}
	if _, taken := t.decisions[d.Key]; taken {
		return storage.E(op, storage.ErrAlreadyExists, nil)
	}
	n := cloneDecision(&d)
	t.decisions[d.Key] = &n
	x.undo = append(x.undo, func() { delete(t.decisions, d.Key) })
	x.record(d.Tenant, storage.EntitySuggestionDecision, d.Key, storage.OpCreate, 0)
	return nil
}

func cloneDecision(d *household.Decision) household.Decision {
	n := *d
	n.Members = slices.Clone(d.Members)
	n.Reasons = slices.Clone(d.Reasons)
	utc(&n.At)
	return n
}

// checkDecision checks that d has a tenant and a key and valid text.
func checkDecision(op string, d *household.Decision) error {
	if d.Tenant == "" || d.Key == "" {
		return storage.E(op, storage.ErrInvalidArgument, errNoKey)
	}
	return storage.CheckText(op, d)
}
