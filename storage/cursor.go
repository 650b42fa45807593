package storage

import (
	"encoding/base64"
	"encoding/binary"
	"hash/fnv"
	"time"

	"github.com/rapportcim/rapport/dealer"
)

// Cursor is an opaque position in a list, for keyset pagination: a page
// request passes the cursor the previous page returned, and gets the records
// after it. The empty Cursor means "from the start"; a page that returns the
// empty Cursor was the last.
//
// A cursor is bound to the tenant and the list that made it: a cursor
// replayed against another tenant or another list fails with
// [ErrInvalidCursor] instead of reading anything. Cursors stay valid while
// records are inserted concurrently (no gaps, no duplicates: they hold the
// last key seen, not an offset).
type Cursor string

const cursorVersion = 1

// scope hashes the tenant and the list name, so that a cursor cannot be
// replayed elsewhere. It is a tamper check for honest mistakes, not a
// security boundary: every query is filtered by tenant anyway.
func scope(tenant dealer.Tenant, list string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(tenant))
	h.Write([]byte{0})
	h.Write([]byte(list))
	return h.Sum64()
}

func encode(tenant dealer.Tenant, list string, payload []byte) Cursor {
	b := make([]byte, 0, 9+len(payload))
	b = append(b, cursorVersion)
	b = binary.BigEndian.AppendUint64(b, scope(tenant, list))
	b = append(b, payload...)
	return Cursor(base64.RawURLEncoding.EncodeToString(b))
}

func decode(c Cursor, tenant dealer.Tenant, list string, payloadLen int) ([]byte, error) {
	b, err := base64.RawURLEncoding.DecodeString(string(c))
	if err != nil || len(b) != 9+payloadLen || b[0] != cursorVersion {
		return nil, &Error{Op: "storage.Cursor", Kind: ErrInvalidCursor}
	}
	if binary.BigEndian.Uint64(b[1:9]) != scope(tenant, list) {
		return nil, &Error{Op: "storage.Cursor", Kind: ErrInvalidCursor}
	}
	return b[9:], nil
}

// TimeIDCursor makes the cursor for a list ordered by (time, ID): it holds t
// (at microsecond precision) and id. list names the list ("customer-timeline").
func TimeIDCursor(tenant dealer.Tenant, list string, t time.Time, id [16]byte) Cursor {
	var p [24]byte
	binary.BigEndian.PutUint64(p[:8], uint64(t.UnixMicro()))
	copy(p[8:], id[:])
	return encode(tenant, list, p[:])
}

// ParseTimeIDCursor reads a cursor made by TimeIDCursor for the same tenant
// and list. The empty cursor gives ok == false and no error.
func ParseTimeIDCursor(c Cursor, tenant dealer.Tenant, list string) (t time.Time, id [16]byte, ok bool, err error) {
	if c == "" {
		return time.Time{}, id, false, nil
	}
	p, err := decode(c, tenant, list, 24)
	if err != nil {
		return time.Time{}, id, false, err
	}
	copy(id[:], p[8:])
	return time.UnixMicro(int64(binary.BigEndian.Uint64(p[:8]))).UTC(), id, true, nil
}

// IDCursor makes the cursor for a list ordered by ID.
func IDCursor(tenant dealer.Tenant, list string, id [16]byte) Cursor {
	return encode(tenant, list, id[:])
}

// ParseIDCursor reads a cursor made by IDCursor for the same tenant and list.
func ParseIDCursor(c Cursor, tenant dealer.Tenant, list string) (id [16]byte, ok bool, err error) {
	if c == "" {
		return id, false, nil
	}
	p, err := decode(c, tenant, list, 16)
	if err != nil {
		return id, false, err
	}
	copy(id[:], p)
	return id, true, nil
}

// SeqCursor makes the cursor for a list ordered by a sequence number, such
// as the change feed.
func SeqCursor(tenant dealer.Tenant, list string, seq int64) Cursor {
	var p [8]byte
	binary.BigEndian.PutUint64(p[:], uint64(seq))
	return encode(tenant, list, p[:])
}

// ParseSeqCursor reads a cursor made by SeqCursor for the same tenant and
// list. The empty cursor gives 0.
func ParseSeqCursor(c Cursor, tenant dealer.Tenant, list string) (int64, error) {
	if c == "" {
		return 0, nil
	}
	p, err := decode(c, tenant, list, 8)
	if err != nil {
		return 0, err
	}
	return int64(binary.BigEndian.Uint64(p)), nil
}
