package memstore

import (
	"reflect"
	"testing"
	"time"

	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/interaction"
)

// The clone tests fill every exported field by reflection, so that a field
// added to a domain type later (a new slice, map, pointer or time) is
// covered without editing this file: a clone that forgets it fails here.

var elsewhere = time.FixedZone("UTC-5", -5*60*60)

// fill sets every settable field reachable from v to a non-zero value:
// slices and maps get two elements, pointers a filled value, times a
// non-UTC instant with a monotonic reading.
func fill(t *testing.T, v reflect.Value, depth int) {
	if depth > 8 {
		return
	}
	if v.Type() == reflect.TypeFor[time.Time]() {
		v.Set(reflect.ValueOf(time.Now().In(elsewhere).Add(time.Duration(depth) * time.Hour)))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString("x")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(depth + 1))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(depth + 1))
	case reflect.Array:
		for i := range v.Len() {
			fill(t, v.Index(i), depth+1)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if f := v.Field(i); f.CanSet() {
				fill(t, f, depth+1)
			}
		}
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fill(t, p.Elem(), depth+1)
		v.Set(p)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		for i := range 2 {
			fill(t, s.Index(i), depth+1)
		}
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		for i := range 2 {
			k := reflect.New(v.Type().Key()).Elem()
			fill(t, k, depth+1)
			if k.Kind() == reflect.String {
				k.SetString(k.String() + string(rune('a'+i)))
			}
			e := reflect.New(v.Type().Elem()).Elem()
			fill(t, e, depth+1)
			m.SetMapIndex(k, e)
		}
		v.Set(m)
	default:
		t.Fatalf("fill: unhandled kind %s at %s", v.Kind(), v.Type())
	}
}

// toUTC returns a copy of v's value with every reachable time in UTC,
// changing v in place (v is a fresh deep value made by fill).
func toUTC(v reflect.Value) {
	if v.Type() == reflect.TypeFor[time.Time]() {
		if v.CanSet() {
			v.Set(reflect.ValueOf(v.Interface().(time.Time).UTC()))
		}
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Field(i).CanSet() {
				toUTC(v.Field(i))
			}
		}
	case reflect.Pointer:
		if !v.IsNil() {
			toUTC(v.Elem())
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			toUTC(v.Index(i))
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(v.MapIndex(k))
			toUTC(e)
			v.SetMapIndex(k, e)
		}
	}
}

// checkDisjoint fails if a and b share a slice backing array, a map or a
// pointee, or if a time in b is not in UTC.
func checkDisjoint(t *testing.T, path string, a, b reflect.Value) {
	t.Helper()
	if b.Type() == reflect.TypeFor[time.Time]() {
		if b.CanInterface() && b.Interface().(time.Time).Location() != time.UTC {
			t.Errorf("%s: time not in UTC", path)
		}
		return
	}
	switch a.Kind() {
	case reflect.Struct:
		for i := range a.NumField() {
			if a.Type().Field(i).IsExported() {
				checkDisjoint(t, path+"."+a.Type().Field(i).Name, a.Field(i), b.Field(i))
			}
		}
	case reflect.Pointer:
		if a.IsNil() {
			return
		}
		if a.Pointer() == b.Pointer() {
			t.Errorf("%s: pointer shared", path)
		}
		checkDisjoint(t, path, a.Elem(), b.Elem())
	case reflect.Slice:
		if a.Len() == 0 {
			return
		}
		if a.Pointer() == b.Pointer() {
			t.Errorf("%s: slice shared", path)
		}
		for i := range a.Len() {
			checkDisjoint(t, path+"[i]", a.Index(i), b.Index(i))
		}
	case reflect.Array:
		for i := range a.Len() {
			checkDisjoint(t, path+"[i]", a.Index(i), b.Index(i))
		}
	case reflect.Map:
		if a.Len() > 0 && a.Pointer() == b.Pointer() {
			t.Errorf("%s: map shared", path)
		}
	}
}

func testClone[V any](t *testing.T, clone func(*V) V) {
	t.Helper()
	var orig V
	fill(t, reflect.ValueOf(&orig).Elem(), 0)
	got := clone(&orig)
	checkDisjoint(t, reflect.TypeFor[V]().String(), reflect.ValueOf(orig), reflect.ValueOf(got))
	want := deepCopy(reflect.ValueOf(orig))
	toUTC(want)
	if !reflect.DeepEqual(got, want.Interface()) {
		t.Errorf("clone of %T lost data:\n got %+v\nwant %+v", orig, got, want.Interface())
	}
}

// deepCopy copies v by reflection (exported and unexported fields alike,
// sharing only immutable values).
func deepCopy(v reflect.Value) reflect.Value {
	n := reflect.New(v.Type()).Elem()
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			p := reflect.New(v.Type().Elem())
			p.Elem().Set(deepCopy(v.Elem()))
			n.Set(p)
		}
	case reflect.Slice:
		if !v.IsNil() {
			s := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
			for i := range v.Len() {
				s.Index(i).Set(deepCopy(v.Index(i)))
			}
			n.Set(s)
		}
	case reflect.Map:
		if !v.IsNil() {
			m := reflect.MakeMapWithSize(v.Type(), v.Len())
			for _, k := range v.MapKeys() {
				m.SetMapIndex(k, deepCopy(v.MapIndex(k)))
			}
			n.Set(m)
		}
	case reflect.Struct:
		n.Set(v) // copies unexported fields (immutable values in these types)
		for i := range v.NumField() {
			if n.Field(i).CanSet() {
				n.Field(i).Set(deepCopy(v.Field(i)))
			}
		}
	default:
		n.Set(v)
	}
	return n
}

func TestCloneIsDeepAndUTC(t *testing.T) {
	t.Run("customer", func(t *testing.T) { testClone(t, cloneCustomer) })
	t.Run("consent", func(t *testing.T) { testClone(t, cloneEvent) })
	t.Run("interaction", func(t *testing.T) { testClone(t, cloneInteraction) })
	t.Run("conversation", func(t *testing.T) { testClone(t, cloneConversation) })
	t.Run("commitment", func(t *testing.T) { testClone(t, cloneCommitment) })
	t.Run("household", func(t *testing.T) { testClone(t, cloneHousehold) })
	t.Run("vehicle", func(t *testing.T) { testClone(t, cloneVehicle) })
}

// The clone functions have the shapes the tables expect.
var (
	_ func(*customer.Customer) customer.Customer             = cloneCustomer
	_ func(*consent.Event) consent.Event                     = cloneEvent
	_ func(*interaction.Interaction) interaction.Interaction = cloneInteraction
	_ func(*household.Household) household.Household         = cloneHousehold
)
