package sqlitestore

import (
	"context"
	"database/sql"
	"strings"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/storage"
)

// lookupChunk is the number of keys per batched lookup query. Every query
// has exactly this many (a short last chunk repeats its last key), so that
// one prepared statement serves all.
const lookupChunk = 128

var (
	sqlCustomersByLines = static(`SELECT address_line, customer_id FROM customer_addresses WHERE tenant_id = ? AND address_line IN (` +
		repeatJoin("?", lookupChunk) + `) ORDER BY address_line, customer_id`)
	sqlCustomersByExternalKeys = static(`SELECT system, value, customer_id FROM customer_external_ids WHERE tenant_id = ? AND (system, value) IN (VALUES ` +
		repeatJoin("(?, ?)", lookupChunk) + `) ORDER BY system, value, customer_id`)
)

func repeatJoin(s string, n int) string { return strings.TrimSuffix(strings.Repeat(s+", ", n), ", ") }

// CustomersByAddresses implements [storage.CustomerBatcher]: one query per
// lookupChunk lines, each a run of lookups in the customer_addresses
// primary key.
func (t *tx) CustomersByAddresses(ctx context.Context, tenant dealer.Tenant, lines []channel.Address) (map[channel.Address][]customer.ID, error) {
	const op = "sqlitestore.CustomersByAddresses"
	if err := t.enter(ctx, op); err != nil {
		return nil, err
	}
	byKey := make(map[string]channel.Address, len(lines))
	for _, l := range lines {
		byKey[l.String()] = l
	}
	out := make(map[channel.Address][]customer.ID)
	err := lookupChunks(ctx, t, sqlCustomersByLines, string(tenant), lines, func(l channel.Address) []any { return []any{l.String()} },
		func(rows *sql.Rows) error {
			var line string
			var id sql.RawBytes
			if err := rows.Scan(&line, &id); err != nil {
				return err
			}
			cid, err := scanID(id)
			if err != nil {
				return err
			}
			a := byKey[line]
			out[a] = append(out[a], customer.ID(cid))
			return nil
		})
	if err != nil {
		return nil, mapErr(ctx, op, err)
	}
	return out, nil
}

// CustomersByExternalIDs implements [storage.CustomerBatcher], as
// CustomersByAddresses does, in the customer_external_ids primary key.
func (t *tx) CustomersByExternalIDs(ctx context.Context, tenant dealer.Tenant, keys []storage.ExternalKey) (map[storage.ExternalKey][]customer.ID, error) {
	const op = "sqlitestore.CustomersByExternalIDs"
	if err := t.enter(ctx, op); err != nil {
		return nil, err
	}
	out := make(map[storage.ExternalKey][]customer.ID)
	err := lookupChunks(ctx, t, sqlCustomersByExternalKeys, string(tenant), keys, func(k storage.ExternalKey) []any { return []any{k.System, k.Value} },
		func(rows *sql.Rows) error {
			var k storage.ExternalKey
			var id sql.RawBytes
			if err := rows.Scan(&k.System, &k.Value, &id); err != nil {
				return err
			}
			cid, err := scanID(id)
			if err != nil {
				return err
			}
			out[k] = append(out[k], customer.ID(cid))
			return nil
		})
	if err != nil {
		return nil, mapErr(ctx, op, err)
	}
	return out, nil
}

// lookupChunks runs q (tenant, then lookupChunk keys' arguments) over keys
// in chunks, padding the last with its last key, and calls scan for every
// row. A key repeated by the padding is found once: IN matches a row once.
func lookupChunks[K any](ctx context.Context, t *tx, q, tenant string, keys []K, args func(K) []any, scan func(*sql.Rows) error) error {
	var a []any
	for len(keys) > 0 {
		chunk := keys[:min(lookupChunk, len(keys))]
		keys = keys[len(chunk):]
		a = append(a[:0], tenant)
		for k := range lookupChunk {
			a = append(a, args(chunk[min(k, len(chunk)-1)])...)
		}
		rows, err := t.query(ctx, q, a...)
		if err != nil {
			return err
		}
		for rows.Next() {
			if err := scan(rows); err != nil {
				rows.Close()
				return err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// CreateCustomers implements [storage.CustomerBatcher] with the multi-row
// INSERTs of BulkCreateCustomers, inside the transaction.
func (t *tx) CreateCustomers(ctx context.Context, cs []customer.Customer) error {
	const op = "sqlitestore.CreateCustomers"
	if err := t.enter(ctx, op); err != nil {
		return err
	}
	rows, err := newCustomerRows(op, cs)
	if err != nil || len(cs) == 0 {
		return err
	}
	return t.insertCustomers(ctx, op, rows)
}
