package sqlitestore

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

var (
	sqlGetCustomer           = static(`SELECT 0, id, doc FROM customers WHERE tenant_id = ? AND id = ?`)
	sqlCustomersByAddress    = static(`SELECT customer_id FROM customer_addresses WHERE tenant_id = ? AND address_line = ? ORDER BY customer_id`)
	sqlCustomersByExternalID = static(`SELECT customer_id FROM customer_external_ids WHERE tenant_id = ? AND system = ? AND value = ? ORDER BY customer_id`)
	sqlListCustomers         = static(`SELECT 0, id, doc FROM customers WHERE tenant_id = ? AND id > ? ORDER BY id LIMIT ?`)

	sqlInsertCustomer          = static(`INSERT INTO customers (tenant_id, id, revision, doc) VALUES (?, ?, 1, ?)`)
	sqlUpdateCustomer          = static(`UPDATE customers SET revision = revision + 1, doc = ? WHERE tenant_id = ? AND id = ? AND revision = ?`)
	sqlDeleteCustomer          = static(`DELETE FROM customers WHERE tenant_id = ? AND id = ? AND revision = ?`)
	sqlCustomerRevision        = static(`SELECT revision FROM customers WHERE tenant_id = ? AND id = ?`)
	sqlInsertCustomerAddress   = static(`INSERT OR IGNORE INTO customer_addresses (tenant_id, address_line, customer_id) VALUES (?, ?, ?)`)
	sqlDeleteCustomerAddresses = static(`DELETE FROM customer_addresses WHERE tenant_id = ? AND customer_id = ?`)
	sqlInsertCustomerExtID     = static(`INSERT OR IGNORE INTO customer_external_ids (tenant_id, system, value, customer_id) VALUES (?, ?, ?, ?)`)
	sqlDeleteCustomerExtIDs    = static(`DELETE FROM customer_external_ids WHERE tenant_id = ? AND customer_id = ?`)
)

// GetCustomer implements storage.CustomerReader.
func (r reader) GetCustomer(ctx context.Context, tenant dealer.Tenant, id customer.ID) (customer.Customer, error) {
	const op = "sqlitestore.GetCustomer"
	if err := r.run.enter(ctx, op); err != nil {
		return customer.Customer{}, err
	}
	return getDoc[customer.Customer](ctx, r.run, op, sqlGetCustomer, string(tenant), idBytes(id))
}

// CustomersByAddress implements storage.CustomerReader, from the
// customer_addresses index.
func (r reader) CustomersByAddress(ctx context.Context, tenant dealer.Tenant, addr channel.Address) ([]customer.ID, error) {
	const op = "sqlitestore.CustomersByAddress"
	if err := r.run.enter(ctx, op); err != nil {
		return nil, err
	}
	return queryIDs[customer.ID](ctx, r.run, op, sqlCustomersByAddress, string(tenant), addr.Line().String())
}

// CustomersByExternalID implements storage.CustomerReader, from the
// customer_external_ids index (system compared lower-cased, value exactly).
func (r reader) CustomersByExternalID(ctx context.Context, tenant dealer.Tenant, system, value string) ([]customer.ID, error) {
	const op = "sqlitestore.CustomersByExternalID"
	if err := r.run.enter(ctx, op); err != nil {
		return nil, err
	}
	return queryIDs[customer.ID](ctx, r.run, op, sqlCustomersByExternalID, string(tenant), strings.ToLower(system), value)
}

// ListCustomers implements storage.CustomerReader.
func (r reader) ListCustomers(ctx context.Context, tenant dealer.Tenant, after storage.Cursor, limit int) ([]customer.Customer, storage.Cursor, error) {
	const op = "sqlitestore.ListCustomers"
	if err := r.run.enter(ctx, op); err != nil {
		return nil, "", err
	}
	prev, _, err := storage.ParseIDCursor(after, tenant, listCustomers)
	if err != nil {
		return nil, "", err
	}
	n := pageLimit(limit)
	from := []byte{} // sorts before every ID
	if prev != ([16]byte{}) {
		from = prev[:]
	}
	cs, more, last, err := queryPage[customer.Customer](ctx, r.run, op, nil, n, sqlListCustomers, string(tenant), from, n+1)
	if !more || (err != nil && !errors.Is(err, storage.ErrCorrupt)) {
		return cs, "", err
	}
	return cs, storage.IDCursor(tenant, listCustomers, customer.ID(last.id)), err
}

// CreateCustomer implements storage.CustomerWriter.
func (t *tx) CreateCustomer(ctx context.Context, c customer.Customer) error {
	const op = "sqlitestore.CreateCustomer"
	if err := t.enter(ctx, op); err != nil {
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
	if _, err := t.exec(ctx, sqlInsertCustomer, string(c.Tenant), idBytes(c.ID), doc); err != nil {
		return mapErr(ctx, op, err)
	}
	if err := t.indexCustomer(ctx, op, &c, false); err != nil {
		return err
	}
	return t.record(ctx, op, c.Tenant, storage.EntityCustomer, c.ID.String(), storage.OpCreate, 1)
}

// indexCustomer writes the customer's lookup rows, replacing the old ones
// when replace is set.
func (t *tx) indexCustomer(ctx context.Context, op string, c *customer.Customer, replace bool) error {
	tenant, id := string(c.Tenant), idBytes(c.ID)
	if replace {
		if _, err := t.exec(ctx, sqlDeleteCustomerAddresses, tenant, id); err != nil {
			return mapErr(ctx, op, err)
		}
		if _, err := t.exec(ctx, sqlDeleteCustomerExtIDs, tenant, id); err != nil {
			return mapErr(ctx, op, err)
		}
	}
	for _, cp := range c.ContactPoints {
		if cp.Address.IsZero() {
			continue
		}
		if _, err := t.exec(ctx, sqlInsertCustomerAddress, tenant, cp.Address.Line().String(), id); err != nil {
			return mapErr(ctx, op, err)
		}
	}
	for _, x := range c.ExternalIDs {
		if _, err := t.exec(ctx, sqlInsertCustomerExtID, tenant, strings.ToLower(x.System), x.Value, id); err != nil {
			return mapErr(ctx, op, err)
		}
	}
	return nil
}

// UpdateCustomer implements storage.CustomerWriter.
func (t *tx) UpdateCustomer(ctx context.Context, c customer.Customer) (int64, error) {
	const op = "sqlitestore.UpdateCustomer"
	if err := t.enter(ctx, op); err != nil {
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
	res, err := t.exec(ctx, sqlUpdateCustomer, doc, string(c.Tenant), idBytes(c.ID), given)
	if err != nil {
		return 0, mapErr(ctx, op, err)
	}
	if err := t.revised(ctx, op, res, sqlCustomerRevision, c.Tenant, c.ID); err != nil {
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
// rows go with it; its interactions and consent events stay.
func (t *tx) DeleteCustomer(ctx context.Context, tenant dealer.Tenant, id customer.ID, revision int64) error {
	const op = "sqlitestore.DeleteCustomer"
	if err := t.enter(ctx, op); err != nil {
		return err
	}
	if err := checkKey(op, tenant, id); err != nil {
		return err
	}
	res, err := t.exec(ctx, sqlDeleteCustomer, string(tenant), idBytes(id), revision)
	if err != nil {
		return mapErr(ctx, op, err)
	}
	if err := t.revised(ctx, op, res, sqlCustomerRevision, tenant, id); err != nil {
		return err
	}
	for _, q := range []string{sqlDeleteCustomerAddresses, sqlDeleteCustomerExtIDs} {
		if _, err := t.exec(ctx, q, string(tenant), idBytes(id)); err != nil {
			return mapErr(ctx, op, err)
		}
	}
	return t.record(ctx, op, tenant, storage.EntityCustomer, id.String(), storage.OpDelete, 0)
}
