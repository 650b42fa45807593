package sqlitestore

import (
	"context"

	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/storage"
)

var (
	sqlGetMerge            = static(`SELECT doc FROM merges WHERE tenant_id = ? AND id = ?`)
	sqlInsertMerge         = static(`INSERT INTO merges (tenant_id, id, doc) VALUES (?, ?, ?)`)
	sqlInsertMergeCustomer = static(`INSERT OR IGNORE INTO merge_customers (tenant_id, customer_id, merge_id) VALUES (?, ?, ?)`)
)

// GetMerge implements storage.MergeReader.
func (r reader) GetMerge(ctx context.Context, tenant dealer.Tenant, id customer.MergeID) (customer.MergeRecord, error) {
	const op = "sqlitestore.GetMerge"
	if err := r.run.enter(ctx, op); err != nil {
		return customer.MergeRecord{}, err
	}
	var doc []byte
	if err := r.run.queryRow(ctx, sqlGetMerge, string(tenant), idBytes(id)).Scan(&doc); err != nil {
		return customer.MergeRecord{}, mapErr(ctx, op, err)
	}
	var m customer.MergeRecord
	if err := decodeInto(doc, &m); err != nil {
		return customer.MergeRecord{}, storage.E(op, storage.ErrCorrupt,
			&storage.CorruptError{Entity: storage.EntityMerge, ID: id.String(), Err: err})
	}
	return m, nil
}

// RecordMerge implements storage.MergeWriter. The row is written first, so
// an ID already taken leaves nothing behind.
func (t *tx) RecordMerge(ctx context.Context, m customer.MergeRecord) error {
	const op = "sqlitestore.RecordMerge"
	if err := t.enter(ctx, op); err != nil {
		return err
	}
	if err := checkKey(op, m.Tenant, m.ID); err != nil {
		return err
	}
	doc, err := encode(m)
	if err != nil {
		return storage.E(op, storage.ErrInvalidArgument, err)
	}
	if _, err := t.exec(ctx, sqlInsertMerge, string(m.Tenant), idBytes(m.ID), doc); err != nil {
		return mapErr(ctx, op, err)
	}
	for _, c := range append([]customer.ID{m.Survivor}, m.Merged...) {
		if _, err := t.exec(ctx, sqlInsertMergeCustomer, string(m.Tenant), idBytes(c), idBytes(m.ID)); err != nil {
			return mapErr(ctx, op, err)
		}
	}
	return t.record(ctx, op, m.Tenant, storage.EntityMerge, m.ID.String(), storage.OpCreate, 0)
}
