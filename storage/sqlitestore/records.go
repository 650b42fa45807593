package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/storage"
)

// Helpers shared by the per-aggregate files.

var (
	errNoTenant    = errors.New("record has no tenant")
	errNoID        = errors.New("record has no ID")
	errRevisionSet = errors.New("a new record must have revision 0")
)

// checkNew validates the key and revision of a record to create.
func checkNew(op string, tenant dealer.Tenant, id [16]byte, revision int64) error {
	if err := checkKey(op, tenant, id); err != nil {
		return err
	}
	if revision != 0 {
		return storage.E(op, storage.ErrInvalidArgument, errRevisionSet)
	}
	return nil
}

// checkKey validates the key of a record to write.
func checkKey(op string, tenant dealer.Tenant, id [16]byte) error {
	if tenant == "" {
		return storage.E(op, storage.ErrInvalidArgument, errNoTenant)
	}
	if id == ([16]byte{}) {
		return storage.E(op, storage.ErrInvalidArgument, errNoID)
	}
	return nil
}

// getDoc reads one doc column and decodes it.
func getDoc[T any](ctx context.Context, run runner, op, q string, args ...any) (T, error) {
	var doc []byte
	if err := run.queryRow(ctx, q, args...).Scan(&doc); err != nil {
		var zero T
		return zero, mapErr(ctx, op, err)
	}
	v, err := decode[T](doc)
	if err != nil {
		return v, storage.E(op, nil, err)
	}
	return v, nil
}

// queryDocs reads a list of doc columns and decodes them.
func queryDocs[T any](ctx context.Context, run runner, op, q string, args ...any) ([]T, error) {
	out, _, err := queryPage[T](ctx, run, op, -1, q, args...)
	return out, err
}

// queryPage reads a page of doc columns, decoding at most n of them (all
// when n < 0); more reports whether the query returned more rows than that.
// Pages query n+1 rows to learn whether there is a next page, without
// paying for decoding the extra one.
func queryPage[T any](ctx context.Context, run runner, op string, n int, q string, args ...any) (out []T, more bool, err error) {
	rows, err := run.query(ctx, q, args...)
	if err != nil {
		return nil, false, mapErr(ctx, op, err)
	}
	defer rows.Close()
	if n > 0 {
		out = make([]T, 0, min(n, 64))
	}
	for rows.Next() {
		if n >= 0 && len(out) == n {
			more = true
			break
		}
		var doc sql.RawBytes
		if err := rows.Scan(&doc); err != nil {
			return nil, false, mapErr(ctx, op, err)
		}
		var zero T
		out = append(out, zero)
		if err := decodeInto(doc, &out[len(out)-1]); err != nil {
			return nil, false, storage.E(op, nil, err)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, false, mapErr(ctx, op, err)
	}
	return out, more, nil
}

// queryIDs reads a list of ID columns.
func queryIDs[T ~[16]byte](ctx context.Context, run runner, op, q string, args ...any) ([]T, error) {
	rows, err := run.query(ctx, q, args...)
	if err != nil {
		return nil, mapErr(ctx, op, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var b sql.RawBytes
		if err := rows.Scan(&b); err != nil {
			return nil, mapErr(ctx, op, err)
		}
		id, err := scanID(b)
		if err != nil {
			return nil, storage.E(op, nil, err)
		}
		out = append(out, T(id))
	}
	if err := rows.Err(); err != nil {
		return nil, mapErr(ctx, op, err)
	}
	return out, nil
}

// revised finishes a conditional UPDATE or DELETE (… WHERE tenant_id = ?
// AND id = ? AND revision = ?): when it touched no row, it tells a missing
// record (ErrNotFound) from a stale revision (ErrConflict) with revisionSQL.
func (t *tx) revised(ctx context.Context, op string, res sql.Result, revisionSQL string, tenant dealer.Tenant, id [16]byte) error {
	n, err := res.RowsAffected()
	if err != nil {
		return mapErr(ctx, op, err)
	}
	if n == 1 {
		return nil
	}
	var stored int64
	if err := t.queryRow(ctx, revisionSQL, string(tenant), idBytes(id)).Scan(&stored); err != nil {
		return mapErr(ctx, op, err)
	}
	return storage.E(op, storage.ErrConflict, nil)
}

// record writes the change record of a write, mapping its error.
func (t *tx) record(ctx context.Context, op string, tenant dealer.Tenant, entity storage.Entity, id string, what storage.Op, revision int64) error {
	if err := t.change(ctx, string(tenant), entity, id, what, revision); err != nil {
		return mapErr(ctx, op, err)
	}
	return nil
}

// timePage serves a list ordered by (time, ID) ascending with keyset
// cursors: it reads the cursor for the tenant and list, asks build for the
// query of one row more than the page (pos is nil on the first page), and
// makes the next cursor from the page's last record.
func timePage[V any](ctx context.Context, r reader, op string, tenant dealer.Tenant, list string, after storage.Cursor, limit int,
	build func(pos *[2]any, n int) (string, []any), key func(*V) (time.Time, [16]byte)) ([]V, storage.Cursor, error) {
	at, id, ok, err := storage.ParseTimeIDCursor(after, tenant, list)
	if err != nil {
		return nil, "", err
	}
	var pos *[2]any
	if ok {
		pos = &[2]any{micros(at), idBytes(id)}
	}
	n := pageLimit(limit)
	sqlText, args := build(pos, n+1)
	vs, more, err := queryPage[V](ctx, r.run, op, n, sqlText, args...)
	if err != nil || !more {
		return vs, "", err
	}
	t, lastID := key(&vs[n-1])
	return vs, storage.TimeIDCursor(tenant, list, t, lastID), nil
}
