package sqlitestore

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"time"

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
func decodeInto[T any](doc []byte, v *T) error {
	if err := json.Unmarshal(doc, v); err != nil {
		return fmt.Errorf("decoding stored %T: %w", *v, err)
	}
	toUTC(reflect.ValueOf(v).Elem())
	return nil
}

var timeType = reflect.TypeFor[time.Time]()

// A timePlan says where the time.Time values reachable from a value of one
// type are (through exported fields, slices, arrays, pointers and map
// values), so that toUTC visits only those. Plans are built once per type.
type timePlan struct {
	isTime bool
	kind   reflect.Kind
	fields []fieldPlan // a struct's fields that can hold times
	elem   *timePlan   // a slice's, array's, pointer's or map's element
}

type fieldPlan struct {
	index int
	plan  *timePlan
}

// timePlans caches plans by type (nil for a type that holds no time). It
// only grows: one entry per record type.
var timePlans sync.Map // reflect.Type -> *timePlan

func planFor(t reflect.Type) *timePlan {
	if p, ok := timePlans.Load(t); ok {
		return p.(*timePlan)
	}
	p := buildPlan(t, map[reflect.Type]*timePlan{}, map[reflect.Type]bool{})
	timePlans.Store(t, p)
	return p
}

// buildPlan returns t's plan, or nil when t holds no time. built memoizes
// plans (and lets recursive types refer to themselves).
func buildPlan(t reflect.Type, built map[reflect.Type]*timePlan, visiting map[reflect.Type]bool) *timePlan {
	if p, ok := built[t]; ok {
		return p
	}
	if !holdsTime(t, visiting) {
		built[t] = nil
		return nil
	}
	p := &timePlan{kind: t.Kind(), isTime: t == timeType}
	built[t] = p
	if p.isTime {
		return p
	}
	switch t.Kind() {
	case reflect.Struct:
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			if fp := buildPlan(f.Type, built, visiting); fp != nil {
				p.fields = append(p.fields, fieldPlan{i, fp})
			}
		}
	case reflect.Slice, reflect.Array, reflect.Pointer, reflect.Map:
		p.elem = buildPlan(t.Elem(), built, visiting)
	}
	return p
}

// holdsTime reports whether a value of type t can hold a time.Time.
func holdsTime(t reflect.Type, visiting map[reflect.Type]bool) bool {
	if t == timeType {
		return true
	}
	if visiting[t] {
		return false // a recursive type: the other path answers
	}
	visiting[t] = true
	defer delete(visiting, t)
	switch t.Kind() {
	case reflect.Struct:
		for i := range t.NumField() {
			f := t.Field(i)
			if f.IsExported() && holdsTime(f.Type, visiting) {
				return true
			}
		}
	case reflect.Slice, reflect.Array, reflect.Pointer, reflect.Map:
		return holdsTime(t.Elem(), visiting)
	}
	return false
}

// toUTC sets every time.Time reachable from v (addressable) to UTC.
func toUTC(v reflect.Value) {
	if p := planFor(v.Type()); p != nil {
		p.apply(v)
	}
}

func (p *timePlan) apply(v reflect.Value) {
	if p == nil {
		return
	}
	if p.isTime {
		tm := v.Addr().Interface().(*time.Time) // a pointer: no allocation
		if tm.Location() != time.UTC {
			*tm = tm.UTC()
		}
		return
	}
	switch p.kind {
	case reflect.Struct:
		for _, f := range p.fields {
			f.plan.apply(v.Field(f.index))
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			p.elem.apply(v.Index(i))
		}
	case reflect.Pointer:
		if !v.IsNil() {
			p.elem.apply(v.Elem())
		}
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(it.Value())
			p.elem.apply(e)
			v.SetMapIndex(it.Key(), e)
		}
	}
}
