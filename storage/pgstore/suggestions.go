package pgstore

import (
	"context"
	"errors"

	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/storage"
)

const (
	sqlGetDecision    = `SELECT doc FROM suggestion_decisions WHERE tenant_id = $1 AND key = $2`
	sqlInsertDecision = `INSERT INTO suggestion_decisions (tenant_id, key, doc) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`
)

var errNoKey = errors.New("decision has no suggestion key")

// SuggestionDecision implements storage.SuggestionReader, from the
// (tenant_id, key) primary key.
func (r reader) SuggestionDecision(ctx context.Context, tenant dealer.Tenant, key string) (household.Decision, error) {
	const op = "pgstore.SuggestionDecision"
	if err := r.run.enter(ctx, op, tenant); err != nil {
		return household.Decision{}, err
	}
	var doc []byte
	if err := r.run.db().QueryRow(ctx, sqlGetDecision, string(tenant), key).Scan(&doc); err != nil {
		return household.Decision{}, r.run.mapErr(ctx, op, err)
	}
	var d household.Decision
	if err := decodeInto(doc, &d); err != nil {
		return household.Decision{}, storage.E(op, storage.ErrCorrupt,
			&storage.CorruptError{Entity: storage.EntitySuggestionDecision, ID: key, Err: err})
	}
	return d, nil
}

// RecordSuggestionDecision implements storage.SuggestionWriter. A key
// already decided is ErrAlreadyExists and leaves nothing behind.
func (t *tx) RecordSuggestionDecision(ctx context.Context, d household.Decision) error {
	const op = "pgstore.RecordSuggestionDecision"
	if err := t.enter(ctx, op, d.Tenant); err != nil {
		return err
	}
	doc, err := decisionDoc(op, &d)
	if err != nil {
		return err
	}
	tag, err := t.pgTx.Exec(ctx, sqlInsertDecision, string(d.Tenant), d.Key, doc)
	if err != nil {
		return t.mapErr(ctx, op, err)
	}
	if err := created(op, tag.RowsAffected()); err != nil {
		return err
	}
	return t.record(ctx, op, d.Tenant, storage.EntitySuggestionDecision, d.Key, storage.OpCreate, 0)
}

// decisionDoc checks that d has a tenant and a key and encodes it.
func decisionDoc(op string, d *household.Decision) ([]byte, error) {
	switch {
	case d.Tenant == "":
		return nil, storage.E(op, storage.ErrInvalidArgument, errNoTenant)
	case d.Key == "":
		return nil, storage.E(op, storage.ErrInvalidArgument, errNoKey)
	}
	doc, err := encode(d)
	if err != nil {
		return nil, storage.E(op, storage.ErrInvalidArgument, err)
	}
	return doc, nil
}
