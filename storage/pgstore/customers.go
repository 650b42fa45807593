package pgstore

import (
	"context"
	"errors"
	"strings"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/storage"
)

const listCustomers = "customers"

const (
	sqlGetCustomer           = `SELECT NULL::timestamptz, id, doc FROM customers WHERE tenant_id = $1 AND id = $2`
	sqlCustomersByAddress    = `SELECT customer_id FROM customer_addresses WHERE tenant_id = $1 AND address_line = $2 ORDER BY customer_id`
	sqlCustomersByExternalID = `SELECT customer_id FROM customer_external_ids WHERE tenant_id = $1 AND system = $2 AND value = $3 ORDER BY customer_id`
	sqlListCustomers         = `SELECT NULL::timestamptz, id, doc FROM customers WHERE tenant_id = $1 ORDER BY id LIMIT $2`
	sqlListCustomersAfter    = `SELECT NULL::timestamptz, id, doc FROM customers WHERE tenant_id = $1 AND id > $2 ORDER BY id LIMIT $3`

	sqlInsertCustomer          = `INSERT INTO customers (tenant_id, id, revision, doc) VALUES ($1, $2, 1, $3) ON CONFLICT DO NOTHING`
	sqlUpdateCustomer          = `UPDATE customers SET revision = revision + 1, doc = $1 WHERE tenant_id = $2 AND id = $3 AND revision = $4`
	sqlDeleteCustomer          = `DELETE FROM customers WHERE tenant_id = $1 AND id = $2 AND revision = $3`
	sqlCustomerRevision        = `SELECT revision FROM customers WHERE tenant_id = $1 AND id = $2`
	sqlInsertCustomerAddresses = `INSERT INTO customer_addresses (tenant_id, address_line, customer_id) SELECT $1, unnest($2::text[]), $3 ON CONFLICT DO NOTHING`
	sqlDeleteCustomerAddresses = `DELETE FROM customer_addresses WHERE tenant_id = $1 AND customer_id = $2`
	sqlInsertCustomerExtIDs    = `INSERT INTO customer_external_ids (tenant_id, system, value, customer_id) SELECT $1, unnest($2::text[]), unnest($3::text[]), $4 ON CONFLICT DO NOTHING`
	sqlDeleteCustomerExtIDs    = `DELETE FROM customer_external_ids WHERE tenant_id = $1 AND customer_id = $2`
)

// GetCustomer implements storage.CustomerReader.
func (r reader) GetCustomer(ctx context.Context, tenant dealer.Tenant, id customer.ID) (customer.Customer, error) {
	const op = "pgstore.GetCustomer"
	if err := r.run.enter(ctx, op, tenant); err != nil {
		return customer.Customer{}, err
	}
	return getDoc[customer.Customer](ctx, r.run, op, sqlGetCustomer, string(tenant), uid(id))
}

// CustomersByAddress implements storage.CustomerReader, from the
// customer_addresses table.
func (r reader) CustomersByAddress(ctx context.Context, tenant dealer.Tenant, addr channel.Address) ([]customer.ID, error) {
	const op = "pgstore.CustomersByAddress"
	if err := r.run.enter(ctx, op, tenant); err != nil {
		return nil, err
	}
	return queryIDs[customer.ID](ctx, r.run, op, sqlCustomersByAddress, string(tenant), addr.Line().String())
}

// CustomersByExternalID implements storage.CustomerReader, from the
// customer_external_ids table (system compared lower-cased, value exactly).
func (r reader) CustomersByExternalID(ctx context.Context, tenant dealer.Tenant, system, value string) ([]customer.ID, error) {
	const op = "pgstore.CustomersByExternalID"
	if err := r.run.enter(ctx, op, tenant); err != nil {
		return nil, err
	}
	return queryIDs[customer.ID](ctx, r.run, op, sqlCustomersByExternalID, string(tenant), strings.ToLower(system), value)
}

// ListCustomers implements storage.CustomerReader.
func (r reader) ListCustomers(ctx context.Context, tenant dealer.Tenant, after storage.Cursor, limit int) ([]customer.Customer, storage.Cursor, error) {
	const op = "pgstore.ListCustomers"
	if err := r.run.enter(ctx, op, tenant); err != nil {
		return nil, "", err
	}
	last, ok, err := storage.ParseIDCursor(after, tenant, listCustomers)
	if err != nil {
		return nil, "", err
	}
	n := pageLimit(limit)
	var cs []customer.Customer
	var more bool
	var key pageKey
	if ok {
		cs, more, key, err = queryPage[customer.Customer](ctx, r.run, op, nil, n, sqlListCustomersAfter, string(tenant), uid(last), n+1)
	} else {
		cs, more, key, err = queryPage[customer.Customer](ctx, r.run, op, nil, n, sqlListCustomers, string(tenant), n+1)
	}
	if !more || (err != nil && !errors.Is(err, storage.ErrCorrupt)) {
		return cs, "", err
	}
	return cs, storage.IDCursor(tenant, listCustomers, key.id), err
}

// CreateCustomer implements storage.CustomerWriter.
func (t *tx) CreateCustomer(ctx context.Context, c customer.Customer) error {
	const op = "pgstore.CreateCustomer"
	if err := t.enter(ctx, op, c.Tenant); err != nil {
		return err
	}
	if err := checkNew(op, c.Tenant, c.ID, c.Revision); err != nil {
		return err
	}
	c.Revision = 1
	doc, err := encode(c)
	if err != nil {
		return storage.E(op, storage.ErrInvalidArgument, err)
	}
	tag, err := t.pgTx.Exec(ctx, sqlInsertCustomer, string(c.Tenant), uid(c.ID), doc)
	if err != nil {
		return t.mapErr(ctx, op, err)
	}
	if err := created(op, tag.RowsAffected()); err != nil {
		return err
	}
	if err := t.indexCustomer(ctx, op, &c, false); err != nil {
		return err
	}
	return t.record(ctx, op, c.Tenant, storage.EntityCustomer, c.ID.String(), storage.OpCreate, 1)
}

// customerKeys returns the customer's distinct address lines and external
// IDs (system lower-cased), the rows of its lookup tables.
func customerKeys(c *customer.Customer) (lines, systems, values []string) {
	seen := make(map[string]bool, len(c.ContactPoints))
	for _, cp := range c.ContactPoints {
		if cp.Address.IsZero() {
			continue
		}
		l := cp.Address.Line().String()
		if !seen[l] {
			seen[l] = true
			lines = append(lines, l)
		}
	}
	type ext struct{ system, value string }
	seenExt := make(map[ext]bool, len(c.ExternalIDs))
	for _, x := range c.ExternalIDs {
		k := ext{strings.ToLower(x.System), x.Value}
		if !seenExt[k] {
			seenExt[k] = true
			systems = append(systems, k.system)
			values = append(values, k.value)
		}
	}
	return lines, systems, values
}

// indexCustomer writes the customer's lookup rows, replacing the old ones
// when replace is set.
func (t *tx) indexCustomer(ctx context.Context, op string, c *customer.Customer, replace bool) error {
	tenant, id := string(c.Tenant), uid(c.ID)
	if replace {
		if _, err := t.pgTx.Exec(ctx, sqlDeleteCustomerAddresses, tenant, id); err != nil {
			return t.mapErr(ctx, op, err)
		}
		if _, err := t.pgTx.Exec(ctx, sqlDeleteCustomerExtIDs, tenant, id); err != nil {
			return t.mapErr(ctx, op, err)
		}
	}
	lines, systems, values := customerKeys(c)
	if len(lines) > 0 {
		if _, err := t.pgTx.Exec(ctx, sqlInsertCustomerAddresses, tenant, lines, id); err != nil {
			return t.mapErr(ctx, op, err)
		}
	}
	if len(systems) > 0 {
		if _, err := t.pgTx.Exec(ctx, sqlInsertCustomerExtIDs, tenant, systems, values, id); err != nil {
			return t.mapErr(ctx, op, err)
		}
	}
	return nil
}

// UpdateCustomer implements storage.CustomerWriter.
func (t *tx) UpdateCustomer(ctx context.Context, c customer.Customer) (int64, error) {
	const op = "pgstore.UpdateCustomer"
	if err := t.enter(ctx, op, c.Tenant); err != nil {
		return 0, err
	}
	if err := checkKey(op, c.Tenant, c.ID); err != nil {
		return 0, err
	}
	given := c.Revision
	c.Revision++
	doc, err := encode(c)
	if err != nil {
		return 0, storage.E(op, storage.ErrInvalidArgument, err)
	}
	tag, err := t.pgTx.Exec(ctx, sqlUpdateCustomer, doc, string(c.Tenant), uid(c.ID), given)
	if err != nil {
		return 0, t.mapErr(ctx, op, err)
	}
	if err := t.revised(ctx, op, tag.RowsAffected(), sqlCustomerRevision, c.Tenant, c.ID); err != nil {
		return 0, err
	}
	if err := t.indexCustomer(ctx, op, &c, true); err != nil {
		return 0, err
	}
	if err := t.record(ctx, op, c.Tenant, storage.EntityCustomer, c.ID.String(), storage.OpUpdate, c.Revision); err != nil {
		return 0, err
	}
	return c.Revision, nil
}

// DeleteCustomer implements storage.CustomerWriter. The customer's lookup
// rows go with it (ON DELETE CASCADE); its interactions and consent events
// stay.
func (t *tx) DeleteCustomer(ctx context.Context, tenant dealer.Tenant, id customer.ID, revision int64) error {
	const op = "pgstore.DeleteCustomer"
	if err := t.enter(ctx, op, tenant); err != nil {
		return err
	}
	if err := checkKey(op, tenant, id); err != nil {
		return err
	}
	tag, err := t.pgTx.Exec(ctx, sqlDeleteCustomer, string(tenant), uid(id), revision)
	if err != nil {
		return t.mapErr(ctx, op, err)
	}
	if err := t.revised(ctx, op, tag.RowsAffected(), sqlCustomerRevision, tenant, id); err != nil {
		return err
	}
	return t.record(ctx, op, tenant, storage.EntityCustomer, id.String(), storage.OpDelete, 0)
}
