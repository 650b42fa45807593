package storagetest

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"time"
)

var timeType = reflect.TypeFor[time.Time]()

// diff returns "" when got is reflect.DeepEqual to want, else the first
// difference, by field path ("contact_points[1].BestTime[0].Start" style).
func diff(want, got any) string {
	if reflect.DeepEqual(want, got) {
		return ""
	}
	if d := firstDiff("", reflect.ValueOf(want), reflect.ValueOf(got)); d != "" {
		return d
	}
	return fmt.Sprintf("not reflect.DeepEqual:\nwant %#v\n got %#v", want, got)
}

// sameContent reports whether want and got carry the same data: equal JSON
// with every time in UTC, so that nil and empty slices, or time zones, do
// not count. Checks that are
// not about fidelity use it, so that a fidelity bug is reported once, by the
// round-trip check.
func sameContent(want, got any) bool {
	if want == nil || got == nil {
		return want == got
	}
	a, err1 := json.Marshal(localized(want, time.UTC))
	b, err2 := json.Marshal(localized(got, time.UTC))
	return err1 == nil && err2 == nil && string(a) == string(b)
}

// contentDiff is diff for checks using sameContent: "" when the content is
// the same.
func contentDiff(want, got any) string {
	if sameContent(want, got) {
		return ""
	}
	if d := diff(want, got); d != "" {
		return d
	}
	return "JSON encodings differ"
}

func firstDiff(path string, a, b reflect.Value) string {
	if !a.IsValid() || !b.IsValid() {
		if a.IsValid() != b.IsValid() {
			return fmt.Sprintf("%s: want %v, got %v", orRoot(path), a, b)
		}
		return ""
	}
	if a.Type() != b.Type() {
		return fmt.Sprintf("%s: want type %v, got %v", orRoot(path), a.Type(), b.Type())
	}
	switch a.Kind() {
	case reflect.Struct:
		if a.Type() == timeType {
			ta, tb := a.Interface().(time.Time), b.Interface().(time.Time)
			if !reflect.DeepEqual(ta, tb) {
				return fmt.Sprintf("%s: want %s, got %s", orRoot(path), showTime(ta), showTime(tb))
			}
			return ""
		}
		if hasUnexported(a.Type()) {
			if !reflect.DeepEqual(a.Interface(), b.Interface()) {
				return fmt.Sprintf("%s: want %v, got %v", orRoot(path), a.Interface(), b.Interface())
			}
			return ""
		}
		for i := range a.NumField() {
			if d := firstDiff(path+"."+a.Type().Field(i).Name, a.Field(i), b.Field(i)); d != "" {
				return d
			}
		}
		return ""
	case reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				return fmt.Sprintf("%s: want nil=%t, got nil=%t", orRoot(path), a.IsNil(), b.IsNil())
			}
			return ""
		}
		return firstDiff(path, a.Elem(), b.Elem())
	case reflect.Slice:
		if a.IsNil() != b.IsNil() {
			return fmt.Sprintf("%s: want nil=%t (len %d), got nil=%t (len %d)", orRoot(path), a.IsNil(), a.Len(), b.IsNil(), b.Len())
		}
		if a.Len() != b.Len() {
			return fmt.Sprintf("%s: want len %d, got len %d", orRoot(path), a.Len(), b.Len())
		}
		for i := range a.Len() {
			if d := firstDiff(path+"["+strconv.Itoa(i)+"]", a.Index(i), b.Index(i)); d != "" {
				return d
			}
		}
		return ""
	case reflect.Map:
		if a.IsNil() != b.IsNil() {
			return fmt.Sprintf("%s: want nil=%t (len %d), got nil=%t (len %d)", orRoot(path), a.IsNil(), a.Len(), b.IsNil(), b.Len())
		}
		keys := a.MapKeys()
		slices.SortFunc(keys, func(x, y reflect.Value) int {
			return compareStrings(fmt.Sprint(x.Interface()), fmt.Sprint(y.Interface()))
		})
		for _, k := range keys {
			bv := b.MapIndex(k)
			if !bv.IsValid() {
				return fmt.Sprintf("%s[%v]: missing", orRoot(path), k.Interface())
			}
			if d := firstDiff(fmt.Sprintf("%s[%v]", path, k.Interface()), a.MapIndex(k), bv); d != "" {
				return d
			}
		}
		if a.Len() != b.Len() {
			return fmt.Sprintf("%s: want len %d, got len %d (extra keys)", orRoot(path), a.Len(), b.Len())
		}
		return ""
	default:
		if !reflect.DeepEqual(a.Interface(), b.Interface()) {
			return fmt.Sprintf("%s: want %#v, got %#v", orRoot(path), a.Interface(), b.Interface())
		}
		return ""
	}
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func orRoot(path string) string {
	if path == "" {
		return "value"
	}
	return path[1:]
}

func showTime(t time.Time) string {
	return t.Format(time.RFC3339Nano) + " (" + t.Location().String() + ")"
}

func hasUnexported(t reflect.Type) bool {
	for i := range t.NumField() {
		if !t.Field(i).IsExported() {
			return true
		}
	}
	return false
}

// scribble overwrites, in place, everything v shares through references:
// slice elements, map entries (and adds one), and what pointers point to,
// at any depth (and v's own fields, when v is a pointer). A backend that
// keeps a reference to a caller's value, or hands out a reference to its
// own, is caught when the stored record changes after scribble.
func scribble(v any) {
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer {
		rv = rv.Elem()
	}
	scribbleValue(rv)
}

// deepCopy returns a copy of v that shares nothing with it: slices, maps
// and pointers are copied at every depth.
func deepCopy(v any) any {
	if v == nil {
		return nil
	}
	src := reflect.ValueOf(v)
	dst := reflect.New(src.Type()).Elem()
	copyValue(dst, src)
	return dst.Interface()
}

func copyValue(dst, src reflect.Value) {
	switch src.Kind() {
	case reflect.Struct:
		dst.Set(src)
		for i := range src.NumField() {
			if src.Type().Field(i).IsExported() {
				copyValue(dst.Field(i), src.Field(i))
			}
		}
	case reflect.Slice:
		if src.IsNil() {
			dst.SetZero()
			return
		}
		s := reflect.MakeSlice(src.Type(), src.Len(), src.Len())
		for i := range src.Len() {
			copyValue(s.Index(i), src.Index(i))
		}
		dst.Set(s)
	case reflect.Map:
		if src.IsNil() {
			dst.SetZero()
			return
		}
		m := reflect.MakeMapWithSize(src.Type(), src.Len())
		for _, k := range src.MapKeys() {
			e := reflect.New(src.Type().Elem()).Elem()
			copyValue(e, src.MapIndex(k))
			m.SetMapIndex(k, e)
		}
		dst.Set(m)
	case reflect.Pointer:
		if src.IsNil() {
			dst.SetZero()
			return
		}
		p := reflect.New(src.Type().Elem())
		copyValue(p.Elem(), src.Elem())
		dst.Set(p)
	case reflect.Array:
		for i := range src.Len() {
			copyValue(dst.Index(i), src.Index(i))
		}
	case reflect.Bool, reflect.String, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64:
		dst.Set(src)
	default:
		unhandled("deepCopy", src.Type())
	}
}

// unhandled stops the suite when a record holds a kind of value a reflective
// helper cannot treat (an interface, a channel, a function): a helper that
// skipped it would let a backend's aliasing or loss go unnoticed.
func unhandled(helper string, t reflect.Type) {
	panic(fmt.Sprintf("storagetest: %s does not handle values of kind %s (type %s); extend it before storing such a field", helper, t.Kind(), t))
}

// scribbleValue changes v and everything reachable from it. Changing a
// value not reached through a reference is harmless, and simpler than
// telling the two apart.
func scribbleValue(v reflect.Value) {
	switch v.Kind() {
	case reflect.Struct:
		if v.Type() == timeType {
			if v.CanSet() {
				v.Set(reflect.ValueOf(v.Interface().(time.Time).Add(1234 * time.Hour)))
			}
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				scribbleValue(v.Field(i))
			}
		}
	case reflect.Pointer:
		if !v.IsNil() {
			scribbleValue(v.Elem())
		}
	case reflect.Slice:
		for i := range v.Len() {
			scribbleValue(v.Index(i))
		}
	case reflect.Map:
		if v.IsNil() {
			return
		}
		for _, k := range v.MapKeys() {
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(v.MapIndex(k))
			scribbleValue(e)
			v.SetMapIndex(k, e)
		}
		if v.Type().Key().Kind() == reflect.String {
			k := reflect.New(v.Type().Key()).Elem()
			k.SetString("scribbled")
			v.SetMapIndex(k, reflect.New(v.Type().Elem()).Elem())
		}
	case reflect.String:
		if v.CanSet() {
			v.SetString(v.String() + "~scribbled")
		}
	case reflect.Bool:
		if v.CanSet() {
			v.SetBool(!v.Bool())
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if v.CanSet() {
			v.SetInt(v.Int() + 1)
		}
	case reflect.Array:
		for i := range v.Len() {
			scribbleValue(v.Index(i))
		}
	case reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uint:
		if v.CanSet() {
			v.SetUint(v.Uint() + 1)
		}
	case reflect.Float32, reflect.Float64:
		if v.CanSet() {
			v.SetFloat(v.Float() + 1)
		}
	default:
		unhandled("scribble", v.Type())
	}
}

// times returns every time.Time reachable in v, by path.
func times(v any) map[string]time.Time {
	m := make(map[string]time.Time)
	collectTimes("", reflect.ValueOf(v), m)
	return m
}

func collectTimes(path string, v reflect.Value, m map[string]time.Time) {
	switch v.Kind() {
	case reflect.Struct:
		if v.Type() == timeType {
			m[orRoot(path)] = v.Interface().(time.Time)
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				collectTimes(path+"."+v.Type().Field(i).Name, v.Field(i), m)
			}
		}
	case reflect.Pointer:
		if !v.IsNil() {
			collectTimes(path, v.Elem(), m)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			collectTimes(path+"["+strconv.Itoa(i)+"]", v.Index(i), m)
		}
	case reflect.Map:
		if holdsTime(v.Type().Elem()) {
			unhandled("times (a map whose values hold times)", v.Type())
		}
	case reflect.Interface, reflect.Chan, reflect.Func, reflect.UnsafePointer:
		unhandled("times", v.Type())
	}
}

// holdsTime reports whether a value of type t can hold a time.Time outside
// a pointer cycle.
func holdsTime(t reflect.Type) bool {
	return holdsTimeSeen(t, map[reflect.Type]bool{})
}

func holdsTimeSeen(t reflect.Type, seen map[reflect.Type]bool) bool {
	if t == timeType {
		return true
	}
	if seen[t] {
		return false
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Struct:
		for i := range t.NumField() {
			if t.Field(i).IsExported() && holdsTimeSeen(t.Field(i).Type, seen) {
				return true
			}
		}
	case reflect.Slice, reflect.Array, reflect.Pointer, reflect.Map:
		return holdsTimeSeen(t.Elem(), seen)
	}
	return false
}

// inZone rewrites, in place, every non-zero time.Time reachable from the
// pointer v as the same instant in loc.
func inZone(v any, loc *time.Location) {
	setTimes(reflect.ValueOf(v).Elem(), loc)
}

func setTimes(v reflect.Value, loc *time.Location) {
	switch v.Kind() {
	case reflect.Struct:
		if v.Type() == timeType {
			if t := v.Interface().(time.Time); !t.IsZero() && v.CanSet() {
				v.Set(reflect.ValueOf(t.In(loc)))
			}
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				setTimes(v.Field(i), loc)
			}
		}
	case reflect.Pointer:
		if !v.IsNil() {
			setTimes(v.Elem(), loc)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			setTimes(v.Index(i), loc)
		}
	case reflect.Map:
		if holdsTime(v.Type().Elem()) {
			unhandled("inZone (a map whose values hold times)", v.Type())
		}
	case reflect.Interface, reflect.Chan, reflect.Func, reflect.UnsafePointer:
		unhandled("inZone", v.Type())
	}
}
