package sqlitestore

import (
	"context"
	"errors"
	"strings"

	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/storage"
)

var (
	sqlGetErasure        = static(`SELECT doc FROM erasures WHERE tenant_id = ? AND id = ?`)
	sqlInsertErasure     = static(`INSERT INTO erasures (tenant_id, id, doc) VALUES (?, ?, ?)`)
	sqlHasErasure        = static(`SELECT 1 FROM erasures WHERE tenant_id = ? AND id = ?`)
	sqlConsentLine       = static(`SELECT address_line FROM consent_events WHERE tenant_id = ? AND id = ?`)
	sqlInsertErasedEvent = static(`INSERT INTO erased_events (tenant_id, event_id, erasure_id) VALUES (?, ?, ?)`)
	sqlEraseConsent      = static(`UPDATE consent_events SET address_line = ?, customer_id = NULL, doc = ? WHERE tenant_id = ? AND id = ?`)
	sqlMergesByCustomer  = static(`SELECT merge_id FROM merge_customers WHERE tenant_id = ? AND customer_id = ? ORDER BY merge_id`)
	sqlEraseMerge        = static(`UPDATE merges SET doc = ? WHERE tenant_id = ? AND id = ?`)
	errNoErasure         = errors.New("no erasure record with that ID")
	errNotErasedKey      = errors.New("key is not an erased address key")
	errAlreadyErased     = errors.New("event is erased already")
)

// GetErasure implements storage.ErasureReader.
func (r reader) GetErasure(ctx context.Context, tenant dealer.Tenant, id customer.ErasureID) (customer.Erasure, error) {
	const op = "sqlitestore.GetErasure"
	if err := r.run.enter(ctx, op); err != nil {
		return customer.Erasure{}, err
	}
	var doc []byte
	if err := r.run.queryRow(ctx, sqlGetErasure, string(tenant), idBytes(id)).Scan(&doc); err != nil {
		return customer.Erasure{}, mapErr(ctx, op, err)
	}
	var e customer.Erasure
	if err := decodeInto(doc, &e); err != nil {
		return customer.Erasure{}, storage.E(op, storage.ErrCorrupt,
			&storage.CorruptError{Entity: storage.EntityErasure, ID: id.String(), Err: err})
	}
	return e, nil
}

// ConsentByKey implements storage.ErasureReader, from the ledger's
// (tenant_id, address_line, seq) index: an erased event's address_line is
// its key.
func (r reader) ConsentByKey(ctx context.Context, tenant dealer.Tenant, key string) ([]consent.Event, error) {
	const op = "sqlitestore.ConsentByKey"
	if err := r.run.enter(ctx, op); err != nil {
		return nil, err
	}
	if !strings.HasPrefix(key, storage.ErasedPrefix) {
		return nil, nil
	}
	return queryDocs[consent.Event](ctx, r.run, op, sqlConsentByAddress, string(tenant), key)
}

// MergesByCustomer implements storage.ErasureReader.
func (r reader) MergesByCustomer(ctx context.Context, tenant dealer.Tenant, id customer.ID) ([]customer.MergeID, error) {
	const op = "sqlitestore.MergesByCustomer"
	if err := r.run.enter(ctx, op); err != nil {
		return nil, err
	}
	return queryIDs[customer.MergeID](ctx, r.run, op, sqlMergesByCustomer, string(tenant), idBytes(id))
}

// RecordErasure implements storage.ErasureWriter.
func (t *tx) RecordErasure(ctx context.Context, e customer.Erasure) error {
	const op = "sqlitestore.RecordErasure"
	if err := t.enter(ctx, op); err != nil {
		return err
	}
	if err := checkKey(op, e.Tenant, e.ID); err != nil {
		return err
	}
	doc, err := encode(e)
	if err != nil {
		return storage.E(op, storage.ErrInvalidArgument, err)
	}
	if _, err := t.exec(ctx, sqlInsertErasure, string(e.Tenant), idBytes(e.ID), doc); err != nil {
		return mapErr(ctx, op, err)
	}
	return t.record(ctx, op, e.Tenant, storage.EntityErasure, e.ID.String(), storage.OpCreate, 0)
}

// EraseConsent implements storage.ErasureWriter; the engine's trigger on
// consent_events holds it to the same rules (0005_erasures.sql).
func (t *tx) EraseConsent(ctx context.Context, erasure customer.ErasureID, e consent.Event, key string) error {
	const op = "sqlitestore.EraseConsent"
	if err := t.enter(ctx, op); err != nil {
		return err
	}
	if err := checkKey(op, e.Tenant, e.ID); err != nil {
		return err
	}
	if !strings.HasPrefix(key, storage.ErasedPrefix) {
		return storage.E(op, storage.ErrInvalidArgument, errNotErasedKey)
	}
	var one int
	if err := t.queryRow(ctx, sqlHasErasure, string(e.Tenant), idBytes(erasure)).Scan(&one); err != nil {
		if err := mapErr(ctx, op, err); errors.Is(err, storage.ErrNotFound) {
			return storage.E(op, storage.ErrInvalidArgument, errNoErasure)
		}
		return mapErr(ctx, op, err)
	}
	var line string
	if err := t.queryRow(ctx, sqlConsentLine, string(e.Tenant), idBytes(e.ID)).Scan(&line); err != nil {
		return mapErr(ctx, op, err)
	}
	if strings.HasPrefix(line, storage.ErasedPrefix) {
		return storage.E(op, storage.ErrConflict, errAlreadyErased)
	}
	doc, err := encode(e)
	if err != nil {
		return storage.E(op, storage.ErrInvalidArgument, err)
	}
	if _, err := t.exec(ctx, sqlInsertErasedEvent, string(e.Tenant), idBytes(e.ID), idBytes(erasure)); err != nil {
		return mapErr(ctx, op, err)
	}
	if _, err := t.exec(ctx, sqlEraseConsent, key, doc, string(e.Tenant), idBytes(e.ID)); err != nil {
		return mapErr(ctx, op, err)
	}
	return t.record(ctx, op, e.Tenant, storage.EntityConsent, e.ID.String(), storage.OpUpdate, 0)
}

// EraseMerge implements storage.ErasureWriter.
func (t *tx) EraseMerge(ctx context.Context, m customer.MergeRecord) error {
	const op = "sqlitestore.EraseMerge"
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
	res, err := t.exec(ctx, sqlEraseMerge, doc, string(m.Tenant), idBytes(m.ID))
	if err != nil {
		return mapErr(ctx, op, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return mapErr(ctx, op, err)
	} else if n == 0 {
		return storage.E(op, storage.ErrNotFound, nil)
	}
	return t.record(ctx, op, m.Tenant, storage.EntityMerge, m.ID.String(), storage.OpUpdate, 0)
}
