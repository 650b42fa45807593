package sqlitestore

import (
	"context"
	"errors"

	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/storage"
)

var (
	sqlGetDecision    = static(`SELECT doc FROM suggestion_decisions WHERE tenant_id = ? AND key = ?`)
	sqlInsertDecision = static(`INSERT INTO suggestion_decisions (tenant_id, key, doc) VALUES (?, ?, ?)`)

	errNoKey = errors.New("decision has no suggestion key")
)

// SuggestionDecision implements storage.SuggestionReader.
func (r reader) SuggestionDecision(ctx context.Context, tenant dealer.Tenant, key string) (household.Decision, error) {
	const op = "sqlitestore.SuggestionDecision"
	if err := r.run.enter(ctx, op); err != nil {
		return household.Decision{}, err
	}
	var doc []byte
	if err := r.run.queryRow(ctx, sqlGetDecision, string(tenant), key).Scan(&doc); err != nil {
		return household.Decision{}, mapErr(ctx, op, err)
	}
	var d household.Decision
	if err := decodeInto(doc, &d); err != nil {
		return household.Decision{}, storage.E(op, storage.ErrCorrupt,
			&storage.CorruptError{Entity: storage.EntitySuggestionDecision, ID: key, Err: err})
	}
	return d, nil
}

// RecordSuggestionDecision implements storage.SuggestionWriter. The row is
// written first, so a key already decided leaves nothing behind.
func (t *tx) RecordSuggestionDecision(ctx context.Context, d household.Decision) error {
	const op = "sqlitestore.RecordSuggestionDecision"
	if err := t.enter(ctx, op); err != nil {
		return err
	}
	doc, err := decisionDoc(op, &d)
	if err != nil {
		return err
	}
	if _, err := t.exec(ctx, sqlInsertDecision, string(d.Tenant), d.Key, doc); err != nil {
		return mapErr(ctx, op, err)
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
