// Package textcheck finds the text in a record that cannot be stored
// faithfully: strings that are not valid UTF-8 (encoding/json, and so every
// backend that stores JSON, replaces their bytes with U+FFFD) or that contain
// NUL (which SQL text columns and C APIs cut or refuse). The domain packages'
// Validate methods call it, so that what is written is what is read on every
// backend, for every string field, present and future.
package textcheck

import (
	"encoding"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// Problems, as reported to Walk's callback.
const (
	NotUTF8  = "not valid UTF-8"
	HasNUL   = "contains NUL"
	BadKey   = "a key is not valid UTF-8 or contains NUL"
	maxDepth = 32
)

// Problem returns why s cannot be stored faithfully, or "".
func Problem(s string) string {
	if !utf8.ValidString(s) {
		return NotUTF8
	}
	if strings.IndexByte(s, 0) >= 0 {
		return HasNUL
	}
	return ""
}

// Walk calls report for every string reachable from v through exported
// fields, slices, arrays, pointers and maps (keys and values) that is not
// valid UTF-8 or contains NUL. path names the string the way the record's
// JSON does, in the style of the domain packages' ValidationError fields:
// "contact_points[1].source", "attributes.trim_code"; a map value whose key
// is not a plain word is named by the map and its position in key order
// ("attributes" and problem "value 3 in key order: contains NUL"), so that
// outside input never appears in a field path. Strings are visited in
// field, index and key order, so reports are deterministic.
//
// Values of types that hold unexported state and marshal themselves as text
// (channel.Address, channel.Phone, customer.Date, time.Time) are skipped:
// they are built by parsing, which already checks their text.
func Walk(v any, report func(path, problem string)) {
	rv := reflect.ValueOf(v)
	if !rv.IsValid() {
		return
	}
	p := planFor(rv.Type())
	// Nearly every record is clean: find that out without building a
	// path or sorting a map, and build them only to report.
	if !dirty(p, rv, 0) {
		return
	}
	walk(p, rv, "", 0, report)
}

// dirty reports whether any string reachable from v has a Problem.
func dirty(p *plan, v reflect.Value, depth int) bool {
	if p == nil || depth > maxDepth {
		return false
	}
	switch p.kind {
	case reflect.String:
		return Problem(v.String()) != ""
	case reflect.Struct:
		for _, f := range p.fields {
			if dirty(f.plan, v.Field(f.index), depth+1) {
				return true
			}
		}
	case reflect.Pointer:
		return !v.IsNil() && dirty(p.elem, v.Elem(), depth+1)
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			if dirty(p.elem, v.Index(i), depth+1) {
				return true
			}
		}
	case reflect.Map:
		if v.Len() == 0 {
			return false
		}
		if v.CanInterface() {
			if m, ok := v.Interface().(map[string]string); ok {
				for k, e := range m { // the common case, without reflect's iterator
					if Problem(k) != "" || Problem(e) != "" {
						return true
					}
				}
				return false
			}
		}
		it := v.MapRange()
		for it.Next() {
			if dirty(p.key, it.Key(), depth+1) || dirty(p.elem, it.Value(), depth+1) {
				return true
			}
		}
	}
	return false
}

// A plan lists where the strings reachable from a type are, built once per
// type.
type plan struct {
	kind   reflect.Kind
	fields []fieldPlan // a struct's fields that can hold strings
	key    *plan       // a map's key, when it can hold strings
	elem   *plan       // a slice's, array's, pointer's or map's element
}

type fieldPlan struct {
	index int
	name  string // the JSON name; "" for an embedded struct (its fields are promoted)
	plan  *plan
}

var plans sync.Map // reflect.Type -> *plan (nil: holds no string)

var textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()

func planFor(t reflect.Type) *plan {
	if p, ok := plans.Load(t); ok {
		return p.(*plan)
	}
	p := build(t, map[reflect.Type]*plan{})
	plans.Store(t, p)
	return p
}

// build returns t's plan, or nil when no value of t can hold a string
// that Walk checks.
func build(t reflect.Type, building map[reflect.Type]*plan) *plan {
	if p, ok := building[t]; ok {
		return p // a recursive type: filled in by the outer call
	}
	switch t.Kind() {
	case reflect.String:
		return &plan{kind: reflect.String}
	case reflect.Struct:
		if t.Implements(textMarshaler) || reflect.PointerTo(t).Implements(textMarshaler) {
			return nil
		}
		p := &plan{kind: reflect.Struct}
		building[t] = p
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() && !(f.Anonymous && f.Type.Kind() == reflect.Struct) {
				continue // JSON promotes the fields of an embedded struct, even an unexported one
			}
			name, skip := jsonName(f)
			if skip {
				continue
			}
			if fp := build(f.Type, building); fp != nil {
				if f.Anonymous && f.Type.Kind() == reflect.Struct && f.Tag.Get("json") == "" {
					name = ""
				}
				p.fields = append(p.fields, fieldPlan{index: i, name: name, plan: fp})
			}
		}
		delete(building, t)
		if len(p.fields) == 0 {
			return nil
		}
		return p
	case reflect.Slice, reflect.Array, reflect.Pointer:
		if t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8 {
			return nil // []byte is base64 in JSON: any bytes survive
		}
		if e := build(t.Elem(), building); e != nil {
			return &plan{kind: t.Kind(), elem: e}
		}
	case reflect.Map:
		k, e := build(t.Key(), building), build(t.Elem(), building)
		if k != nil || e != nil {
			return &plan{kind: reflect.Map, key: k, elem: e}
		}
	}
	return nil
}

// jsonName returns the field's name in JSON, and whether JSON skips it.
func jsonName(f reflect.StructField) (string, bool) {
	tag := f.Tag.Get("json")
	if tag == "-" {
		return "", true
	}
	name, _, _ := strings.Cut(tag, ",")
	if name == "" {
		name = f.Name
	}
	return name, false
}

func join(path, name string) string {
	switch {
	case name == "":
		return path
	case path == "":
		return name
	}
	return path + "." + name
}

func walk(p *plan, v reflect.Value, path string, depth int, report func(path, problem string)) {
	if p == nil || depth > maxDepth {
		return
	}
	switch p.kind {
	case reflect.String:
		if pr := Problem(v.String()); pr != "" {
			report(path, pr)
		}
	case reflect.Struct:
		for _, f := range p.fields {
			walk(f.plan, v.Field(f.index), join(path, f.name), depth+1, report)
		}
	case reflect.Pointer:
		if !v.IsNil() {
			walk(p.elem, v.Elem(), path, depth+1, report)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			walk(p.elem, v.Index(i), path+"["+strconv.Itoa(i)+"]", depth+1, report)
		}
	case reflect.Map:
		walkMap(p, v, path, depth, report)
	}
}

func walkMap(p *plan, v reflect.Value, path string, depth int, report func(path, problem string)) {
	if v.Len() == 0 {
		return
	}
	keys := v.MapKeys()
	if v.Type().Key().Kind() == reflect.String {
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
	}
	badKey := false
	for i, k := range keys {
		name := ""
		if k.Kind() == reflect.String && plainKey(k.String()) {
			name = k.String()
		}
		if p.key != nil && !badKey {
			walk(p.key, k, path, depth+1, func(string, string) { badKey = true })
			if badKey {
				report(path, BadKey)
			}
		}
		if p.elem == nil {
			continue
		}
		at := join(path, name)
		walk(p.elem, v.MapIndex(k), at, depth+1, func(sub, problem string) {
			if name == "" && sub == path {
				problem = "value " + strconv.Itoa(i+1) + " in key order: " + problem
			}
			report(sub, problem)
		})
	}
}

// plainKey reports whether a map key can appear in a field path: a
// non-empty word of ASCII letters, digits, '_', '-' and '.' of at most 64
// bytes.
func plainKey(k string) bool {
	if k == "" || len(k) > 64 {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}
