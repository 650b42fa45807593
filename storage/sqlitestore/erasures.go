package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/interaction"
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
	sqlEraseDecision     = static(`UPDATE suggestion_decisions SET doc = ? WHERE tenant_id = ? AND key = ?`)
	// The mentions of a customer, for MentionsOf: no index serves them, so
	// each reads the tenant's rows (docs are JSON text in BLOB columns,
	// hence the casts). IDs in docs are in text form.
	sqlVehiclesByStakeholder = static(`SELECT v.id FROM vehicles v WHERE v.tenant_id = ? AND EXISTS (
		SELECT 1 FROM json_each(CAST(v.doc AS TEXT), '$.stakeholders') s WHERE json_extract(s.value, '$.customer') = ?) ORDER BY v.id`)
	sqlReferralsOf = static(`SELECT id FROM interactions WHERE tenant_id = ? AND kind = 'referral'
		AND ? IN (json_extract(CAST(doc AS TEXT), '$.referral.referrer'), json_extract(CAST(doc AS TEXT), '$.referral.referred')) ORDER BY id`)
	sqlDecisionsByMember = static(`SELECT d.key FROM suggestion_decisions d WHERE d.tenant_id = ? AND EXISTS (
		SELECT 1 FROM json_each(CAST(d.doc AS TEXT), '$.members') m WHERE m.value = ?) ORDER BY d.key`)
	errNoErasure     = errors.New("no erasure record with that ID")
	errNotErasedKey  = errors.New("key is not an erased address key")
	errAlreadyErased = errors.New("event is erased already")
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
	if err := touched(ctx, op, res); err != nil {
		return err
	}
	return t.record(ctx, op, m.Tenant, storage.EntityMerge, m.ID.String(), storage.OpUpdate, 0)
}

// MentionsOf implements storage.ErasureReader.
func (r reader) MentionsOf(ctx context.Context, tenant dealer.Tenant, id customer.ID) (storage.Mentions, error) {
	const op = "sqlitestore.MentionsOf"
	if err := r.run.enter(ctx, op); err != nil {
		return storage.Mentions{}, err
	}
	var m storage.Mentions
	var err error
	if m.Vehicles, err = queryIDs[household.VehicleID](ctx, r.run, op, sqlVehiclesByStakeholder, string(tenant), id.String()); err != nil {
		return storage.Mentions{}, err
	}
	if m.Referrals, err = queryIDs[interaction.ID](ctx, r.run, op, sqlReferralsOf, string(tenant), id.String()); err != nil {
		return storage.Mentions{}, err
	}
	rows, err := r.run.query(ctx, sqlDecisionsByMember, string(tenant), id.String())
	if err != nil {
		return storage.Mentions{}, mapErr(ctx, op, err)
	}
	defer rows.Close()
	for rows.Next() {
		var key string
		if err := rows.Scan(&key); err != nil {
			return storage.Mentions{}, mapErr(ctx, op, err)
		}
		m.Decisions = append(m.Decisions, key)
	}
	if err := rows.Err(); err != nil {
		return storage.Mentions{}, mapErr(ctx, op, err)
	}
	return m, nil
}

// EraseDecision implements storage.ErasureWriter.
func (t *tx) EraseDecision(ctx context.Context, d household.Decision) error {
	const op = "sqlitestore.EraseDecision"
	if err := t.enter(ctx, op); err != nil {
		return err
	}
	doc, err := decisionDoc(op, &d)
	if err != nil {
		return err
	}
	res, err := t.exec(ctx, sqlEraseDecision, doc, string(d.Tenant), d.Key)
	if err != nil {
		return mapErr(ctx, op, err)
	}
	if err := touched(ctx, op, res); err != nil {
		return err
	}
	return t.record(ctx, op, d.Tenant, storage.EntitySuggestionDecision, d.Key, storage.OpUpdate, 0)
}

// touched finishes an UPDATE by key: ErrNotFound when it touched no row.
func touched(ctx context.Context, op string, res sql.Result) error {
	if n, err := res.RowsAffected(); err != nil {
		return mapErr(ctx, op, err)
	} else if n == 0 {
		return storage.E(op, storage.ErrNotFound, nil)
	}
	return nil
}
