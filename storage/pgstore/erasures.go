package pgstore

import (
	"context"
	"errors"
	"strings"

	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

const (
	sqlGetErasure        = `SELECT doc FROM erasures WHERE tenant_id = $1 AND id = $2`
	sqlInsertErasure     = `INSERT INTO erasures (tenant_id, id, doc) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`
	sqlHasErasure        = `SELECT 1 FROM erasures WHERE tenant_id = $1 AND id = $2`
	sqlConsentLine       = `SELECT address_line FROM consent_events WHERE tenant_id = $1 AND id = $2`
	sqlInsertErasedEvent = `INSERT INTO erased_events (tenant_id, event_id, erasure_id) VALUES ($1, $2, $3)`
	sqlEraseConsent      = `UPDATE consent_events SET address_line = $1, customer_id = NULL, doc = $2 WHERE tenant_id = $3 AND id = $4`
	sqlMergesByCustomer  = `SELECT merge_id FROM merge_customers WHERE tenant_id = $1 AND customer_id = $2 ORDER BY merge_id`
	sqlEraseMerge        = `UPDATE merges SET doc = $1 WHERE tenant_id = $2 AND id = $3`
	sqlEraseDecision     = `UPDATE suggestion_decisions SET doc = $1 WHERE tenant_id = $2 AND key = $3`
	// The mentions of a customer, for MentionsOf: no index serves them, so
	// each reads the tenant's rows. IDs in docs are in text form.
	sqlVehiclesByStakeholder = `SELECT id FROM vehicles WHERE tenant_id = $1
		AND doc->'stakeholders' @> jsonb_build_array(jsonb_build_object('customer', $2::text)) ORDER BY id`
	sqlReferralsOf = `SELECT id FROM interactions WHERE tenant_id = $1 AND kind = 'referral'
		AND $2::text IN (doc->'referral'->>'referrer', doc->'referral'->>'referred') ORDER BY id`
	sqlDecisionsByMember = `SELECT key FROM suggestion_decisions WHERE tenant_id = $1
		AND doc->'members' @> jsonb_build_array($2::text) ORDER BY key`
)

var (
	errNoErasure     = errors.New("no erasure record with that ID")
	errNotErasedKey  = errors.New("key is not an erased address key")
	errAlreadyErased = errors.New("event is erased already")
)

// GetErasure implements storage.ErasureReader.
func (r reader) GetErasure(ctx context.Context, tenant dealer.Tenant, id customer.ErasureID) (customer.Erasure, error) {
	const op = "pgstore.GetErasure"
	if err := r.run.enter(ctx, op, tenant); err != nil {
		return customer.Erasure{}, err
	}
	var doc []byte
	if err := r.run.db().QueryRow(ctx, sqlGetErasure, string(tenant), uid(id)).Scan(&doc); err != nil {
		return customer.Erasure{}, r.run.mapErr(ctx, op, err)
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
	const op = "pgstore.ConsentByKey"
	if err := r.run.enter(ctx, op, tenant); err != nil {
		return nil, err
	}
	if !strings.HasPrefix(key, storage.ErasedPrefix) {
		return nil, nil
	}
	return queryDocs[consent.Event](ctx, r.run, op, sqlConsentByAddress, string(tenant), key)
}

// MergesByCustomer implements storage.ErasureReader.
func (r reader) MergesByCustomer(ctx context.Context, tenant dealer.Tenant, id customer.ID) ([]customer.MergeID, error) {
	const op = "pgstore.MergesByCustomer"
	if err := r.run.enter(ctx, op, tenant); err != nil {
		return nil, err
	}
	return queryIDs[customer.MergeID](ctx, r.run, op, sqlMergesByCustomer, string(tenant), uid(id))
}

// RecordErasure implements storage.ErasureWriter.
func (t *tx) RecordErasure(ctx context.Context, e customer.Erasure) error {
	const op = "pgstore.RecordErasure"
	if err := t.enter(ctx, op, e.Tenant); err != nil {
		return err
	}
	if err := checkKey(op, e.Tenant, e.ID); err != nil {
		return err
	}
	doc, err := encode(e)
	if err != nil {
		return storage.E(op, storage.ErrInvalidArgument, err)
	}
	tag, err := t.pgTx.Exec(ctx, sqlInsertErasure, string(e.Tenant), uid(e.ID), doc)
	if err != nil {
		return t.mapErr(ctx, op, err)
	}
	if err := created(op, tag.RowsAffected()); err != nil {
		return err
	}
	return t.record(ctx, op, e.Tenant, storage.EntityErasure, e.ID.String(), storage.OpCreate, 0)
}

// EraseConsent implements storage.ErasureWriter; the engine's trigger on
// consent_events holds it to the same rules (0004_erasures.sql).
func (t *tx) EraseConsent(ctx context.Context, erasure customer.ErasureID, e consent.Event, key string) error {
	const op = "pgstore.EraseConsent"
	if err := t.enter(ctx, op, e.Tenant); err != nil {
		return err
	}
	if err := checkKey(op, e.Tenant, e.ID); err != nil {
		return err
	}
	if !strings.HasPrefix(key, storage.ErasedPrefix) {
		return storage.E(op, storage.ErrInvalidArgument, errNotErasedKey)
	}
	var one int
	if err := t.pgTx.QueryRow(ctx, sqlHasErasure, string(e.Tenant), uid(erasure)).Scan(&one); err != nil {
		if err := t.mapErr(ctx, op, err); errors.Is(err, storage.ErrNotFound) {
			return storage.E(op, storage.ErrInvalidArgument, errNoErasure)
		}
		return t.mapErr(ctx, op, err)
	}
	var line string
	if err := t.pgTx.QueryRow(ctx, sqlConsentLine, string(e.Tenant), uid(e.ID)).Scan(&line); err != nil {
		return t.mapErr(ctx, op, err)
	}
	if strings.HasPrefix(line, storage.ErasedPrefix) {
		return storage.E(op, storage.ErrConflict, errAlreadyErased)
	}
	doc, err := encode(e)
	if err != nil {
		return storage.E(op, storage.ErrInvalidArgument, err)
	}
	if _, err := t.pgTx.Exec(ctx, sqlInsertErasedEvent, string(e.Tenant), uid(e.ID), uid(erasure)); err != nil {
		return t.mapErr(ctx, op, err)
	}
	if _, err := t.pgTx.Exec(ctx, sqlEraseConsent, key, doc, string(e.Tenant), uid(e.ID)); err != nil {
		return t.mapErr(ctx, op, err)
	}
	return t.record(ctx, op, e.Tenant, storage.EntityConsent, e.ID.String(), storage.OpUpdate, 0)
}

// EraseMerge implements storage.ErasureWriter.
func (t *tx) EraseMerge(ctx context.Context, m customer.MergeRecord) error {
	const op = "pgstore.EraseMerge"
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
	tag, err := t.pgTx.Exec(ctx, sqlEraseMerge, doc, string(m.Tenant), uid(m.ID))
	if err != nil {
		return t.mapErr(ctx, op, err)
	}
	if tag.RowsAffected() == 0 {
		return storage.E(op, storage.ErrNotFound, nil)
	}
	return t.record(ctx, op, m.Tenant, storage.EntityMerge, m.ID.String(), storage.OpUpdate, 0)
}

// MentionsOf implements storage.ErasureReader.
func (r reader) MentionsOf(ctx context.Context, tenant dealer.Tenant, id customer.ID) (storage.Mentions, error) {
	const op = "pgstore.MentionsOf"
	if err := r.run.enter(ctx, op, tenant); err != nil {
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
	rows, err := r.run.db().Query(ctx, sqlDecisionsByMember, string(tenant), id.String())
	if err != nil {
		return storage.Mentions{}, r.run.mapErr(ctx, op, err)
	}
	defer rows.Close()
	for rows.Next() {
		var key string
		if err := rows.Scan(&key); err != nil {
			return storage.Mentions{}, r.run.mapErr(ctx, op, err)
		}
		m.Decisions = append(m.Decisions, key)
	}
	if err := rows.Err(); err != nil {
		return storage.Mentions{}, r.run.mapErr(ctx, op, err)
	}
	return m, nil
}

// EraseDecision implements storage.ErasureWriter.
func (t *tx) EraseDecision(ctx context.Context, d household.Decision) error {
	const op = "pgstore.EraseDecision"
	if err := t.enter(ctx, op, d.Tenant); err != nil {
		return err
	}
	doc, err := decisionDoc(op, &d)
	if err != nil {
		return err
	}
	tag, err := t.pgTx.Exec(ctx, sqlEraseDecision, doc, string(d.Tenant), d.Key)
	if err != nil {
		return t.mapErr(ctx, op, err)
	}
	if tag.RowsAffected() == 0 {
		return storage.E(op, storage.ErrNotFound, nil)
	}
	return t.record(ctx, op, d.Tenant, storage.EntitySuggestionDecision, d.Key, storage.OpUpdate, 0)
}
