package pgstore

import (
	"context"

	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/storage"
)

const (
	sqlGetMerge             = `SELECT doc FROM merges WHERE tenant_id = $1 AND id = $2`
	sqlInsertMerge          = `INSERT INTO merges (tenant_id, id, doc) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`
	sqlInsertMergeCustomers = `INSERT INTO merge_customers (tenant_id, customer_id, merge_id) SELECT $1, unnest($2::uuid[]), $3 ON CONFLICT DO NOTHING`
)

// GetMerge implements storage.MergeReader, from the (tenant_id, id)
// primary key.
func (r reader) GetMerge(ctx context.Context, tenant dealer.Tenant, id customer.MergeID) (customer.MergeRecord, error) {
	const op = "pgstore.GetMerge"
	if err := r.run.enter(ctx, op, tenant); err != nil {
		return customer.MergeRecord{}, err
	}
	var doc []byte
	if err := r.run.db().QueryRow(ctx, sqlGetMerge, string(tenant), uid(id)).Scan(&doc); err != nil {
		return customer.MergeRecord{}, r.run.mapErr(ctx, op, err)
	}
	var m customer.MergeRecord
	if err := decodeInto(doc, &m); err != nil {
		return customer.MergeRecord{}, storage.E(op, storage.ErrCorrupt,
			&storage.CorruptError{Entity: storage.EntityMerge, ID: id.String(), Err: err})
	}
	return m, nil
}

// RecordMerge implements storage.MergeWriter. An ID already taken is
// ErrAlreadyExists and leaves nothing behind.
func (t *tx) RecordMerge(ctx context.Context, m customer.MergeRecord) error {
	const op = "pgstore.RecordMerge"
	if err := t.enter(ctx, op, m.Tenant); err != nil {
		return err
	}
	if err := checkKey(op, m.Tenant, m.ID); err != nil {
		return err
	}
	doc, err := encode(m)
	if err != nil {
		return storage.E(op, storage.ErrInvalidArgument, err)
	}
	tag, err := t.pgTx.Exec(ctx, sqlInsertMerge, string(m.Tenant), uid(m.ID), doc)
	if err != nil {
		return t.mapErr(ctx, op, err)
	}
	if err := created(op, tag.RowsAffected()); err != nil {
		return err
	}
	named := [][16]byte{m.Survivor}
	for _, c := range m.Merged {
		named = append(named, c)
	}
	if _, err := t.pgTx.Exec(ctx, sqlInsertMergeCustomers, string(m.Tenant), named, uid(m.ID)); err != nil {
		return t.mapErr(ctx, op, err)
	}
	return t.record(ctx, op, m.Tenant, storage.EntityMerge, m.ID.String(), storage.OpCreate, 0)
}
