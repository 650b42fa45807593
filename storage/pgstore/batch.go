package pgstore

import (
	"context"
	"slices"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/storage"
)

const (
	sqlCustomersByLines = `SELECT address_line, customer_id FROM customer_addresses WHERE tenant_id = $1 AND address_line = ANY($2::text[])` +
		` ORDER BY address_line, customer_id`
	sqlCustomersByExternalKeys = `SELECT e.system, e.value, e.customer_id FROM customer_external_ids AS e` +
		` JOIN unnest($2::text[], $3::text[]) AS k(system, value) ON e.system = k.system AND e.value = k.value` +
		` WHERE e.tenant_id = $1 ORDER BY e.system, e.value, e.customer_id`
)

// CustomersByAddresses implements [storage.CustomerBatcher]: one query,
// a lookup in the customer_addresses primary key per line.
func (t *tx) CustomersByAddresses(ctx context.Context, tenant dealer.Tenant, lines []channel.Address) (map[channel.Address][]customer.ID, error) {
	const op = "pgstore.CustomersByAddresses"
	if err := t.enter(ctx, op, tenant); err != nil {
		return nil, err
	}
	keys, byKey := lineKeys(lines)
	out := make(map[channel.Address][]customer.ID)
	rows, err := t.pgTx.Query(ctx, sqlCustomersByLines, string(tenant), keys)
	if err != nil {
		return nil, t.mapErr(ctx, op, err)
	}
	defer rows.Close()
	for rows.Next() {
		var line string
		var id pgtype.UUID
		if err := rows.Scan(&line, &id); err != nil {
			return nil, t.mapErr(ctx, op, err)
		}
		a := byKey[line]
		out[a] = append(out[a], customer.ID(id.Bytes))
	}
	if err := rows.Err(); err != nil {
		return nil, t.mapErr(ctx, op, err)
	}
	return out, nil
}

// CustomersByExternalIDs implements [storage.CustomerBatcher], as
// CustomersByAddresses does, in the customer_external_ids primary key.
func (t *tx) CustomersByExternalIDs(ctx context.Context, tenant dealer.Tenant, keys []storage.ExternalKey) (map[storage.ExternalKey][]customer.ID, error) {
	const op = "pgstore.CustomersByExternalIDs"
	if err := t.enter(ctx, op, tenant); err != nil {
		return nil, err
	}
	var systems, values []string
	for i, k := range keys {
		if slices.Contains(keys[:i], k) {
			continue // a key listed twice would join twice
		}
		systems, values = append(systems, k.System), append(values, k.Value)
	}
	out := make(map[storage.ExternalKey][]customer.ID)
	rows, err := t.pgTx.Query(ctx, sqlCustomersByExternalKeys, string(tenant), systems, values)
	if err != nil {
		return nil, t.mapErr(ctx, op, err)
	}
	defer rows.Close()
	for rows.Next() {
		var k storage.ExternalKey
		var id pgtype.UUID
		if err := rows.Scan(&k.System, &k.Value, &id); err != nil {
			return nil, t.mapErr(ctx, op, err)
		}
		out[k] = append(out[k], customer.ID(id.Bytes))
	}
	if err := rows.Err(); err != nil {
		return nil, t.mapErr(ctx, op, err)
	}
	return out, nil
}

// CreateCustomers implements [storage.CustomerBatcher] with the COPYs of
// BulkCreateCustomers, inside the transaction. A taken ID fails the COPY
// (ErrAlreadyExists) and with it the transaction, as the contract allows.
func (t *tx) CreateCustomers(ctx context.Context, cs []customer.Customer) error {
	const op = "pgstore.CreateCustomers"
	for _, c := range cs {
		if err := t.enter(ctx, op, c.Tenant); err != nil {
			return err
		}
	}
	if len(cs) == 0 {
		return t.enter(ctx, op, "")
	}
	rows, err := newCustomerRows(op, cs)
	if err != nil {
		return err
	}
	return t.copyCustomers(ctx, op, rows)
}

// lineKeys returns the stored form of every line, and the line of each.
func lineKeys(lines []channel.Address) ([]string, map[string]channel.Address) {
	keys, byKey := make([]string, len(lines)), make(map[string]channel.Address, len(lines))
	for i, l := range lines {
		keys[i] = l.String()
		byKey[keys[i]] = l
	}
	return keys, byKey
}
