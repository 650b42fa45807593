package sqlitestore

import (
	"context"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/storage"
)

var (
	sqlConsentByAddress  = static(`SELECT 0, id, doc FROM consent_events WHERE tenant_id = ? AND address_line = ? ORDER BY seq`)
	sqlGetConsent        = static(`SELECT 0, id, doc FROM consent_events WHERE tenant_id = ? AND id = ?`)
	sqlConsentByCustomer = static(`SELECT 0, id, doc FROM consent_events WHERE tenant_id = ? AND customer_id = ? ORDER BY seq`)

	// The next change seq, as INTEGER PRIMARY KEY assigns it (changes are
	// never removed).
	sqlNextSeq        = static(`SELECT COALESCE((SELECT seq FROM changes WHERE tenant_id = ? ORDER BY seq DESC LIMIT 1), 0) + 1`)
	sqlInsertConsent  = static(`INSERT INTO consent_events (tenant_id, id, seq, address_line, customer_id, doc) VALUES (?, ?, ?, ?, ?, ?)`)
	sqlInsertChangeAt = static(`INSERT INTO changes (tenant_id, seq, entity, id, op, revision) VALUES (?, ?, ?, ?, ?, ?)`)
)

// GetConsent implements storage.ConsentReader, from the (tenant_id, id)
// primary key.
func (r reader) GetConsent(ctx context.Context, tenant dealer.Tenant, id consent.ID) (consent.Event, error) {
	const op = "sqlitestore.GetConsent"
	if err := r.run.enter(ctx, op); err != nil {
		return consent.Event{}, err
	}
	return getDoc[consent.Event](ctx, r.run, op, sqlGetConsent, string(tenant), idBytes(id))
}

// ConsentByAddress implements storage.ConsentReader, from the
// (tenant_id, address_line, seq) index.
func (r reader) ConsentByAddress(ctx context.Context, tenant dealer.Tenant, addr channel.Address) ([]consent.Event, error) {
	const op = "sqlitestore.ConsentByAddress"
	if err := r.run.enter(ctx, op); err != nil {
		return nil, err
	}
	return queryDocs[consent.Event](ctx, r.run, op, sqlConsentByAddress, string(tenant), addr.Line().String())
}

// ConsentByCustomer implements storage.ConsentReader.
func (r reader) ConsentByCustomer(ctx context.Context, tenant dealer.Tenant, id customer.ID) ([]consent.Event, error) {
	const op = "sqlitestore.ConsentByCustomer"
	if err := r.run.enter(ctx, op); err != nil {
		return nil, err
	}
	return queryDocs[consent.Event](ctx, r.run, op, sqlConsentByCustomer, string(tenant), idBytes(id))
}

// AppendConsent implements storage.ConsentWriter. The event's seq is the
// seq of its change record, so the ledger's order is commit order; the
// event row is written first, so a taken ID leaves nothing behind.
func (t *tx) AppendConsent(ctx context.Context, e consent.Event) error {
	const op = "sqlitestore.AppendConsent"
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
	var seq int64
	if err := t.queryRow(ctx, sqlNextSeq, string(e.Tenant)).Scan(&seq); err != nil {
		return mapErr(ctx, op, err)
	}
	if _, err := t.exec(ctx, sqlInsertConsent, string(e.Tenant), idBytes(e.ID), seq,
		e.Subject.Address.Line().String(), idArg(e.Subject.Customer), doc); err != nil {
		return mapErr(ctx, op, err)
	}
	if _, err := t.exec(ctx, sqlInsertChangeAt, string(e.Tenant), seq, string(storage.EntityConsent),
		e.ID.String(), string(storage.OpCreate), 0); err != nil {
		return mapErr(ctx, op, err)
	}
	return nil
}
