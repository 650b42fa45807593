package memstore

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/storage"
)

var errNoMergeKey = errors.New("merge record has no tenant or ID")

// GetMerge implements [storage.MergeReader].
func (r *reader) GetMerge(ctx context.Context, tenant dealer.Tenant, id customer.MergeID) (customer.MergeRecord, error) {
	const op = "memstore.GetMerge"
	if err := r.lock(ctx, op); err != nil {
		return customer.MergeRecord{}, err
	}
	defer r.unlock()
	t := r.tenant(tenant)
	if t == nil {
		return customer.MergeRecord{}, storage.E(op, storage.ErrNotFound, nil)
	}
	doc, ok := t.merges[id]
	if !ok {
		return customer.MergeRecord{}, storage.E(op, storage.ErrNotFound, nil)
	}
	var m customer.MergeRecord
	if err := json.Unmarshal(doc, &m); err != nil {
		return customer.MergeRecord{}, storage.E(op, storage.ErrCorrupt,
			&storage.CorruptError{Entity: storage.EntityMerge, ID: id.String(), Err: err})
	}
	return m, nil
}

// RecordMerge implements [storage.MergeWriter]. The record is kept as its
// JSON document, the form the SQL backends store, so that what is read
// back is what they would return.
func (x *txn) RecordMerge(ctx context.Context, m customer.MergeRecord) error {
	const op = "memstore.RecordMerge"
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
	if t.merges == nil {
		t.merges = map[customer.MergeID][]byte{}
	}
	if _, taken := t.merges[m.ID]; taken {
		return storage.E(op, storage.ErrAlreadyExists, nil)
	}
	t.merges[m.ID] = doc
	if t.mergesOf == nil {
		t.mergesOf = map[customer.ID][]customer.MergeID{}
	}
	named := append([]customer.ID{m.Survivor}, m.Merged...)
	for _, c := range named {
		t.mergesOf[c] = append(t.mergesOf[c], m.ID)
	}
	x.undo = append(x.undo, func() {
		delete(t.merges, m.ID)
		for _, c := range named {
			t.mergesOf[c] = t.mergesOf[c][:len(t.mergesOf[c])-1]
		}
	})
	x.record(m.Tenant, storage.EntityMerge, m.ID.String(), storage.OpCreate, 0)
	return nil
}
