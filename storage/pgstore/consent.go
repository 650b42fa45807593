package pgstore

import (
	"context"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/storage"
)

const (
	sqlConsentByAddress  = `SELECT NULL::timestamptz, id, doc FROM consent_events WHERE tenant_id = $1 AND address_line = $2 ORDER BY seq`
	sqlGetConsent        = `SELECT NULL::timestamptz, id, doc FROM consent_events WHERE tenant_id = $1 AND id = $2`
	sqlConsentByCustomer = `SELECT NULL::timestamptz, id, doc FROM consent_events WHERE tenant_id = $1 AND customer_id = $2 ORDER BY seq`
	sqlInsertConsent     = `INSERT INTO consent_events (tenant_id, id, seq, address_line, customer_id, doc) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`
)

// GetConsent implements storage.ConsentReader, from the (tenant_id, id)
// primary key.
func (r reader) GetConsent(ctx context.Context, tenant dealer.Tenant, id consent.ID) (consent.Event, error) {
	const op = "pgstore.GetConsent"
	if err := r.run.enter(ctx, op, tenant); err != nil {
		return consent.Event{}, err
	}
	return getDoc[consent.Event](ctx, r.run, op, sqlGetConsent, string(tenant), uid(id))
}

// ConsentByAddress implements storage.ConsentReader, from the
// (tenant_id, address_line, seq) index.
func (r reader) ConsentByAddress(ctx context.Context, tenant dealer.Tenant, addr channel.Address) ([]consent.Event, error) {
	const op = "pgstore.ConsentByAddress"
	if err := r.run.enter(ctx, op, tenant); err != nil {
		return nil, err
	}
	return queryDocs[consent.Event](ctx, r.run, op, sqlConsentByAddress, string(tenant), addr.Line().String())
}

// ConsentByCustomer implements storage.ConsentReader, from the
// (tenant_id, customer_id, seq) index.
func (r reader) ConsentByCustomer(ctx context.Context, tenant dealer.Tenant, id customer.ID) ([]consent.Event, error) {
	const op = "pgstore.ConsentByCustomer"
	if err := r.run.enter(ctx, op, tenant); err != nil {
		return nil, err
	}
	return queryDocs[consent.Event](ctx, r.run, op, sqlConsentByCustomer, string(tenant), uid(id))
}

// AppendConsent implements storage.ConsentWriter. The event's seq is the
// seq of its change record, so the ledger's order is the tenant's commit
// order. The server refuses UPDATE, DELETE and TRUNCATE of the ledger.
func (t *tx) AppendConsent(ctx context.Context, e consent.Event) error {
	const op = "pgstore.AppendConsent"
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
	c := t.counter(e.Tenant)
	seq := c.last + 1
	tag, err := t.pgTx.Exec(ctx, sqlInsertConsent, string(e.Tenant), uid(e.ID), seq,
		e.Subject.Address.Line().String(), nullUID(e.Subject.Customer), doc)
	if err != nil {
		return t.mapErr(ctx, op, err)
	}
	if err := created(op, tag.RowsAffected()); err != nil {
		return err
	}
	return t.record(ctx, op, e.Tenant, storage.EntityConsent, e.ID.String(), storage.OpCreate, 0)
}
