package sqlitestore

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/internal/utctime"
	"github.com/rapportcim/rapport/storage"
)

// idArg is the column value of an ID: its 16 bytes, or NULL for the zero ID.
// BLOBs compare with memcmp, so the column's order is the UUID byte order,
// which is the order of the typed IDs.
func idArg(id [16]byte) any {
	if id == ([16]byte{}) {
		return nil
	}
	return id[:]
}

// idBytes is idArg for key columns that are never NULL.
func idBytes(id [16]byte) []byte { return id[:] }

// scanID copies a scanned ID column; NULL gives the zero ID.
func scanID(b []byte) ([16]byte, error) {
	var id [16]byte
	if b == nil {
		return id, nil
	}
	if len(b) != 16 {
		return id, fmt.Errorf("stored ID has %d bytes, want 16", len(b))
	}
	copy(id[:], b)
	return id, nil
}

// flag is the column value of a boolean: 1 or 0.
func flag(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// micros is the column value of a time: unix microseconds (UTC by
// definition), rounded down.
func micros(t time.Time) int64 { return t.UnixMicro() }

// ceilMicros is micros rounded up: for a stored value s (a whole number of
// microseconds), s*1000ns >= t exactly when s >= ceilMicros(t), and
// likewise for <.
func ceilMicros(t time.Time) int64 {
	us := t.UnixMicro()
	if t.Sub(time.UnixMicro(us)) > 0 {
		us++
	}
	return us
}

// encode marshals a record for the doc column. Records are values: the
// bytes are a deep copy, so nothing the caller does later reaches the store.
// A record with text that JSON would alter (invalid UTF-8) or that is NUL
// is refused (storage.CheckText), so what is read is what was written.
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
