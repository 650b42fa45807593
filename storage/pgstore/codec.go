package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/internal/utctime"
	"github.com/rapportcim/rapport/storage"
)

// uid is the column value of an ID. PostgreSQL compares uuid values
// bytewise, so the column's order is the order of the typed IDs.
func uid(id [16]byte) pgtype.UUID { return pgtype.UUID{Bytes: id, Valid: true} }

// nullUID is uid for nullable columns: NULL for the zero ID.
func nullUID(id [16]byte) pgtype.UUID { return pgtype.UUID{Bytes: id, Valid: id != [16]byte{}} }

// ceilTime rounds t up to the microsecond, the timestamptz precision: for a
// stored value s, s >= t exactly when s >= ceilTime(t), and likewise for <.
// (pgx stores a time rounded down, as time.UnixMicro does.)
func ceilTime(t time.Time) time.Time {
	us := t.UnixMicro()
	if t.Sub(time.UnixMicro(us)) > 0 {
		us++
	}
	return time.UnixMicro(us).UTC()
}

// encode marshals a record for the doc column. Records are values: the
// bytes are a deep copy, so nothing the caller does later reaches the store.
//
// PostgreSQL keeps a jsonb document as parsed data, not as the text sent:
// key order, white space and duplicate keys are not kept. The document is
// encoding/json's output for a Go value (no duplicate keys) and is read
// back into the same type, so the decoded value is the value written.
//
// A record with text that JSON would alter (invalid UTF-8) or that the
// server refuses (NUL) is refused first (storage.CheckText), naming the
// field.
func encode(v any) ([]byte, error) {
	var te *storage.TextError
	if err := storage.CheckText("", v); errors.As(err, &te) {
		return nil, te
	}
	return json.Marshal(v)
}

// decodeInto unmarshals a doc column into *v, which must be the zero T,
// and puts every time in it in UTC (the JSON keeps the offset the caller
// wrote).
//
// An interaction.Head is decoded by its own UnmarshalJSON directly: it
// steps over the members it does not hold instead of validating and
// decoding them (json.Unmarshal would scan the whole document twice first),
// which is what makes reading heads cheap (storage.HeadReader). So is a
// consent.Event: its UnmarshalJSON reads the stored form directly, checking
// all of it, and hands anything else to json.Unmarshal (a line's ledger is
// most of what a consent check decodes).
func decodeInto[T any](doc []byte, v *T) error {
	var err error
	switch p := any(v).(type) {
	case *interaction.Head:
		err = p.UnmarshalJSON(doc)
	case *consent.Event:
		err = p.UnmarshalJSON(doc)
	default:
		err = json.Unmarshal(doc, v)
	}
	if err != nil {
		return fmt.Errorf("decoding stored %T: %w", *v, err)
	}
	utctime.Set(v)
	return nil
}

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
// time (NULL for lists in ID or ledger order), its ID and its document.
// The first two let a page name a record that cannot be decoded and go on
// past it.

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
	}
	return storage.Entity(fmt.Sprintf("%T", v))
}

// corrupt is the *storage.CorruptError of a document that did not decode
// into a T.
func corrupt[T any](id [16]byte, err error) error {
	var v T
	return &storage.CorruptError{Entity: entityOf(&v), ID: uuid.UUID(id).String(), Err: err}
}

// getDoc reads one record and decodes it. A document that does not decode
// (written by another client, or by an incompatible version) is reported
// as storage.ErrCorrupt naming the record.
func getDoc[T any](ctx context.Context, run runner, op, q string, args ...any) (T, error) {
	var (
		v   T
		at  pgtype.Timestamptz
		id  pgtype.UUID
		doc []byte
	)
	if err := run.db().QueryRow(ctx, q, args...).Scan(&at, &id, &doc); err != nil {
		return v, run.mapErr(ctx, op, err)
	}
	if err := decodeInto(doc, &v); err != nil {
		var zero T
		return zero, storage.E(op, storage.ErrCorrupt, corrupt[T](id.Bytes, err))
	}
	return v, nil
}

// queryDocs reads a list of records and decodes them (see queryPage for
// corrupt documents).
func queryDocs[T any](ctx context.Context, run runner, op, q string, args ...any) ([]T, error) {
	out, _, _, err := queryPage[T](ctx, run, op, nil, -1, q, args...)
	return out, err
}

// pageKey is the sort key of the last row a page read.
type pageKey struct {
	at time.Time
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
	rows, err := run.db().Query(ctx, q, args...)
	if err != nil {
		return nil, false, last, run.mapErr(ctx, op, err)
	}
	defer rows.Close()
	out = dst[:0]
	if n > 0 && cap(out) == 0 {
		out = make([]T, 0, min(n, 64))
	}
	var (
		bad  []error
		read int
		at   pgtype.Timestamptz
		id   pgtype.UUID
		doc  []byte
	)
	for rows.Next() {
		if n >= 0 && read == n {
			more = true
			break
		}
		if err := rows.Scan(&at, &id, &doc); err != nil {
			return nil, false, last, run.mapErr(ctx, op, err)
		}
		read++
		last = pageKey{at: at.Time, id: id.Bytes}
		var zero T
		out = append(out, zero)
		if err := decodeInto(doc, &out[len(out)-1]); err != nil {
			out = out[:len(out)-1]
			bad = append(bad, corrupt[T](id.Bytes, err))
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, false, last, run.mapErr(ctx, op, err)
	}
	if len(bad) > 0 {
		return out, more, last, storage.E(op, storage.ErrCorrupt, errors.Join(bad...))
	}
	return out, more, last, nil
}

// queryIDs reads a list of uuid columns.
func queryIDs[T ~[16]byte](ctx context.Context, run runner, op, q string, args ...any) ([]T, error) {
	rows, err := run.db().Query(ctx, q, args...)
	if err != nil {
		return nil, run.mapErr(ctx, op, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var id pgtype.UUID
		if err := rows.Scan(&id); err != nil {
			return nil, run.mapErr(ctx, op, err)
		}
		out = append(out, T(id.Bytes))
	}
	if err := rows.Err(); err != nil {
		return nil, run.mapErr(ctx, op, err)
	}
	return out, nil
}

// revised finishes a conditional UPDATE or DELETE (… WHERE tenant_id = $
// AND id = $ AND revision = $): when it touched no row, it tells a missing
// record (ErrNotFound) from a stale revision (ErrConflict) with
// revisionSQL.
func (t *tx) revised(ctx context.Context, op string, n int64, revisionSQL string, tenant dealer.Tenant, id [16]byte) error {
	if n == 1 {
		return nil
	}
	var stored int64
	if err := t.pgTx.QueryRow(ctx, revisionSQL, string(tenant), uid(id)).Scan(&stored); err != nil {
		return t.mapErr(ctx, op, err)
	}
	return storage.E(op, storage.ErrConflict, nil)
}

// created finishes an INSERT … ON CONFLICT DO NOTHING: no row inserted
// means the key is taken. (ON CONFLICT keeps the transaction usable, where
// a unique violation would abort it.)
func created(op string, n int64) error {
	if n == 1 {
		return nil
	}
	return storage.E(op, storage.ErrAlreadyExists, nil)
}

// timePage serves a list ordered by (time, ID) with keyset cursors: it
// reads the cursor for the tenant and list, asks build for the query of n
// rows (pos is nil on the first page), and makes the next cursor from the
// page's last row (corrupt or not).
func timePage[V any](ctx context.Context, r reader, op string, tenant dealer.Tenant, list string, after storage.Cursor, limit int,
	build func(pos *[2]any, n int) (string, []any, bool)) ([]V, storage.Cursor, error) {
	at, id, ok, err := storage.ParseTimeIDCursor(after, tenant, list)
	if err != nil {
		return nil, "", err
	}
	var pos *[2]any
	if ok {
		pos = &[2]any{at, uid(id)}
	}
	n := pageLimit(limit)
	sqlText, args, matches := build(pos, n+1)
	if !matches {
		return nil, "", nil
	}
	vs, more, last, err := queryPage[V](ctx, r.run, op, nil, n, sqlText, args...)
	if !more || (err != nil && !errors.Is(err, storage.ErrCorrupt)) {
		return vs, "", err
	}
	return vs, storage.TimeIDCursor(tenant, list, last.at, last.id), err
}
