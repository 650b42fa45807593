// Package utctime puts every time.Time reachable from a value in UTC. The
// storage backends decode records from JSON, which keeps the offset each
// time was written with; the storage contract returns times in UTC.
package utctime

import (
	"reflect"
	"sync"
	"time"
)

// Set puts every time.Time reachable from *ptr (through exported fields,
// slices, arrays, pointers and map values) in UTC; the instants are
// unchanged. ptr must be a non-nil pointer.
func Set(ptr any) {
	toUTC(reflect.ValueOf(ptr).Elem())
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
