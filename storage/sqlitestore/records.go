package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/interaction"
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

// Every query that reads records selects three columns: the record's sort
// time in unix microseconds (0 for lists in ID order), its ID and its
// document. The first two let a page name a record that cannot be decoded
// and continue past it.

// entityOf names the kind of record a document decodes to.
func entityOf(v any) storage.Entity {
	switch v.(type) {
	case *customer.Customer:
		return storage.EntityCustomer
	case *consent.Event:
		return storage.EntityConsent
	case *interaction.Interaction, *interaction.Head:
		return storage.EntityInteraction
	case *interaction.Conversation:
		return storage.EntityConversation
	case *interaction.Commitment:
		return storage.EntityCommitment
	case *household.Household:
		return storage.EntityHousehold
	case *household.Vehicle:
		return storage.EntityVehicle
	case *household.Decision:
		return storage.EntitySuggestionDecision
	case *customer.MergeRecord:
		return storage.EntityMerge
	}
	return storage.Entity(fmt.Sprintf("%T", v))
}

// corrupt is the *storage.CorruptError of a document that did not decode.
func corrupt[T any](id []byte, err error) error {
	var v T
	ce := &storage.CorruptError{Entity: entityOf(&v), Err: err}
	if rid, ierr := scanID(id); ierr == nil {
		ce.ID = uuid.UUID(rid).String()
	} else {
		ce.ID = fmt.Sprintf("%x", id)
	}
	return ce
}

// getDoc reads one record and decodes it. A document that does not decode
// is reported as storage.ErrCorrupt naming the record.
func getDoc[T any](ctx context.Context, run runner, op, q string, args ...any) (T, error) {
	var (
		at  int64
		id  []byte
		doc []byte
		v   T
	)
	if err := run.queryRow(ctx, q, args...).Scan(&at, &id, &doc); err != nil {
		return v, mapErr(ctx, op, err)
	}
	if err := decodeInto(doc, &v); err != nil {
		var zero T
		return zero, storage.E(op, storage.ErrCorrupt, corrupt[T](id, err))
	}
	return v, nil
}

// queryDocs reads a list of records and decodes them (see queryPage for
// corrupt documents).
func queryDocs[T any](ctx context.Context, run runner, op, q string, args ...any) ([]T, error) {
	out, _, _, err := queryPage[T](ctx, run, op, nil, -1, q, args...)
	return out, err
}

// pageKey is the sort key of the last row a page read: its time (unix
// microseconds; 0 for lists in ID order) and ID.
type pageKey struct {
	at int64
	id [16]byte
}

// queryPage reads a page of records into dst[:0] (nil: a new slice),
// decoding at most n of them (all when n < 0); more reports whether the query returned more rows than that, and
// last is the key of the last row of the page. Pages query n+1 rows to
// learn whether there is a next page, without paying for decoding the
// extra one.
//
// A document that does not decode is left out of the page, which goes on;
// err is then a storage.ErrCorrupt whose cause joins one
// *storage.CorruptError per such record, beside the records that decoded,
// and last still covers the corrupt rows, so the next page starts after
// them.
func queryPage[T any](ctx context.Context, run runner, op string, dst []T, n int, q string, args ...any) (out []T, more bool, last pageKey, err error) {
	rows, err := run.query(ctx, q, args...)
	if err != nil {
		return nil, false, last, mapErr(ctx, op, err)
	}
	defer rows.Close()
	out = dst[:0]
	if n > 0 && cap(out) == 0 {
		out = make([]T, 0, min(n, 64))
	}
	var bad []error
	read := 0
	for rows.Next() {
		if n >= 0 && read == n {
			more = true
			break
		}
		var (
			at  int64
			id  sql.RawBytes
			doc sql.RawBytes
		)
		if err := rows.Scan(&at, &id, &doc); err != nil {
			return nil, false, last, mapErr(ctx, op, err)
		}
		read++
		last.at = at
		last.id, _ = scanID(id)
		if len(out) == cap(out) {
			// Doubling up to the page size: append's growth slows to a
			// quarter from 256 items on, which for a page of a thousand
			// small records copies half as much again.
			c := max(2*cap(out), 8)
			if n >= 0 {
				c = min(c, n)
			}
			grown := make([]T, len(out), c)
			copy(grown, out)
			out = grown
		}
		var zero T
		out = append(out, zero)
		if err := decodeInto(doc, &out[len(out)-1]); err != nil {
			out = out[:len(out)-1]
			bad = append(bad, corrupt[T](id, err))
		}
	}
	if err := rows.Err(); err != nil {
		return nil, false, last, mapErr(ctx, op, err)
	}
	if len(bad) > 0 {
		return out, more, last, storage.E(op, storage.ErrCorrupt, errors.Join(bad...))
	}
	return out, more, last, nil
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
// makes the next cursor from the page's last row.
func timePage[V any](ctx context.Context, r reader, op string, tenant dealer.Tenant, list string, after storage.Cursor, limit int,
	build func(pos *[2]any, n int) (string, []any)) ([]V, storage.Cursor, error) {
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
	vs, more, last, err := queryPage[V](ctx, r.run, op, nil, n, sqlText, args...)
	if !more || (err != nil && !errors.Is(err, storage.ErrCorrupt)) {
		return vs, "", err
	}
	return vs, storage.TimeIDCursor(tenant, list, time.UnixMicro(last.at).UTC(), last.id), err
}
