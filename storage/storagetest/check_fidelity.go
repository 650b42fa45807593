package storagetest

import (
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/storage"
)

// edgeText is the text the fidelity check writes: every string Validate
// accepts must come back with the same bytes, whatever a driver, a JSON
// encoder or a collation might want to do with it.
var edgeText = []string{
	"",
	" ",
	"  leading and trailing spaces  ",
	"\t\r\n",
	"line one\nline two\r\n",
	"\x01\x1f\x7f",               // control characters other than NUL
	"\u0080\u009f",               // C1 controls
	"\u00e9",                     // é, composed
	"e\u0301",                    // é, decomposed: no backend may normalize it
	"Ｆｕｌｌｗｉｄｔｈ",                  // NFKC would change it
	"\u212b",                     // Å (angstrom sign): NFC would change it
	"日本語のテキスト",                   // three-byte runes
	"😀👍🏽👨‍👩‍👧",                   // four-byte runes, a modifier, joiners
	"\U0010FFFF",                 // the last code point
	"\uFFFD",                     // the replacement character itself
	"\uFEFFbyte order mark",      // a BOM inside text
	"\u2028\u2029",               // JavaScript line separators
	"\u200b\u200d\u2060",         // zero-width characters
	"<script>&amp;\"'`</script>", // HTML that encoding/json escapes
	`back\slash and "quotes"`,
	"null",
	"%s %d %%",
	"'; DROP TABLE customers; --",
	"O'Brien",
	strings.Repeat("long text ", 400), // 4,000 bytes
}

// edgeTimes are instants at the contract's precision (microseconds, UTC).
var edgeTimes = []time.Time{
	time.Date(2026, 3, 8, 2, 30, 0, 123456000, time.UTC), // inside a US DST gap, in UTC
	time.Unix(0, 0).UTC(),
	time.Date(1969, 7, 20, 20, 17, 40, 1000, time.UTC), // before the epoch
	time.Date(1901, 12, 13, 20, 45, 52, 0, time.UTC),   // before 32-bit time_t
	time.Date(2038, 1, 19, 3, 14, 8, 0, time.UTC),      // after it
	time.Date(9999, 12, 31, 23, 59, 59, 999999000, time.UTC),
	time.Date(1, 1, 1, 0, 0, 0, 1000, time.UTC), // one microsecond after the zero time
}

var edgeInts = []int64{1, -1, 0, 42, math.MaxInt32 + 1, math.MaxInt64, math.MinInt64}

// generate overwrites, in place, every field of the record v (a pointer)
// that the fidelity check controls: strings (including enum values and map
// keys) from edgeText, times from edgeTimes, integers from edgeInts,
// booleans set; lists get at least one element and maps two entries;
// pointers are set. round picks which edge value each field gets, so that
// over len(edgeText) rounds every field sees every text. Record keys (ID,
// Tenant, Revision at the top level) and values of types with unexported
// state (addresses, IDs, dates, which are built by parsing) are kept. It
// fails loudly (panics) on a field kind it does not handle, so that a new
// kind of field cannot silently escape the check.
func generate(v any, round int) {
	g := &generator{round: round}
	rv := reflect.ValueOf(v).Elem()
	for i := range rv.NumField() {
		f := rv.Type().Field(i)
		switch f.Name {
		case "ID", "Tenant", "Revision":
			continue
		}
		if f.IsExported() {
			g.fill(rv.Field(i), f.Name)
		}
	}
}

type generator struct {
	round, n int
}

// next returns a new index for the next field.
func (g *generator) next() int { g.n++; return g.round + g.n }

func (g *generator) text() string { return edgeText[g.next()%len(edgeText)] }

var (
	textMarshaler   = reflect.TypeFor[encoding.TextMarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
	jsonMarshaler   = reflect.TypeFor[json.Marshaler]()
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
)

// marshalsItself reports whether t has its own text or JSON form (enums,
// times of day, dates): such values are parsed when read, so only values
// their parsers accept are generated.
func marshalsItself(t reflect.Type) bool {
	for _, m := range []reflect.Type{textMarshaler, textUnmarshaler, jsonMarshaler, jsonUnmarshaler} {
		if t.Implements(m) || reflect.PointerTo(t).Implements(m) {
			return true
		}
	}
	return false
}

func (g *generator) fill(v reflect.Value, path string) {
	t := v.Type()
	if t != timeType && marshalsItself(t) {
		if t.Kind() == reflect.String {
			// An enum: a well-formed value this version does not know,
			// as a newer version would write it.
			v.SetString(fmt.Sprintf("newer_value_%d", g.next()%1000))
		}
		return // otherwise the fixture's value, built by parsing, is kept
	}
	switch t.Kind() {
	case reflect.String:
		v.SetString(g.text())
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n := edgeInts[g.next()%len(edgeInts)]
		if v.OverflowInt(n) {
			n = int64(g.next() % 100)
		}
		v.SetInt(n)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(g.next() % 200))
	case reflect.Array:
		// IDs: kept, they are keys other records point to.
	case reflect.Struct:
		if t == timeType {
			v.Set(reflect.ValueOf(edgeTimes[g.next()%len(edgeTimes)]))
			return
		}
		if hasUnexported(t) {
			return // built by parsing (addresses, dates): the fixture's value is kept
		}
		for i := range t.NumField() {
			if t.Field(i).IsExported() {
				g.fill(v.Field(i), path+"."+t.Field(i).Name)
			}
		}
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(t.Elem()))
		}
		g.fill(v.Elem(), path)
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			v.SetBytes([]byte{0, 0xff, 'x'})
			return
		}
		if v.Len() == 0 {
			v.Set(reflect.MakeSlice(t, 1, 1))
		}
		for i := range v.Len() {
			g.fill(v.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			panic(fmt.Sprintf("storagetest: generate does not handle map keys of kind %s (%s at %s)", t.Key().Kind(), t, path))
		}
		m := reflect.MakeMap(t)
		for range 2 {
			k := reflect.New(t.Key()).Elem()
			k.SetString(g.text())
			e := reflect.New(t.Elem()).Elem()
			g.fill(e, path+"[key]")
			m.SetMapIndex(k, e)
		}
		v.Set(m)
	default:
		panic(fmt.Sprintf("storagetest: generate does not handle fields of kind %s (%s at %s)", t.Kind(), t, path))
	}
}

// checkFidelity writes records whose every field is generated from edge
// values and requires every read to return them unchanged, byte for byte.
func checkFidelity(t *testing.T, b storage.Backend) {
	g := new(ids)
	for _, a := range aggregates {
		t.Run(a.name, func(t *testing.T) {
			ctx := t.Context()
			for round := range len(edgeText) {
				rec := a.full(g, tenantA)
				p := reflect.New(reflect.TypeOf(rec))
				p.Elem().Set(reflect.ValueOf(rec))
				generate(p.Interface(), round)
				r := p.Elem().Interface()
				seed(t, b, r)
				want := a.withRev(deepCopy(r), 1)
				got, err := a.get(ctx, b, tenantA, r)
				if !wantNoErr(t, fmt.Sprintf("Get%s (round %d)", a.name, round), err) {
					continue
				}
				if d := diff(want, got); d != "" {
					t.Errorf("Get%s of a generated record (round %d): %s", a.name, round, d)
				}
				if a.list != nil {
					list, err := a.list(ctx, b, tenantA, r)
					if wantNoErr(t, "listing "+a.name+"s", err) {
						for _, l := range list {
							if a.id(l) == a.id(r) {
								if d := diff(want, l); d != "" {
									t.Errorf("listing %ss, a generated record (round %d): %s", a.name, round, d)
								}
							}
						}
					}
				}
			}
		})
	}
	t.Run("ConsentEvent", func(t *testing.T) {
		ctx := t.Context()
		for round := range len(edgeText) {
			e := fullEvent(tenantA, g.event(), g.customer(), g.customer())
			generate(&e, round)
			seed(t, b, e)
			got, err := b.ConsentByCustomer(ctx, tenantA, e.Subject.Customer)
			if !wantNoErr(t, "ConsentByCustomer", err) {
				continue
			}
			var found *consent.Event
			for i := range got {
				if got[i].ID == e.ID {
					found = &got[i]
				}
			}
			if found == nil {
				t.Errorf("ConsentByCustomer (round %d): the generated event is missing", round)
				continue
			}
			if d := diff(e, *found); d != "" {
				t.Errorf("ConsentByCustomer of a generated event (round %d): %s", round, d)
			}
		}
	})
}

// checkInvalidText requires every write of text that cannot be stored
// faithfully to fail with ErrInvalidArgument (a *storage.TextError naming
// the field as its cause) and to leave nothing behind.
func checkInvalidText(t *testing.T, b storage.Backend) {
	g := new(ids)
	for _, a := range aggregates {
		t.Run(a.name, func(t *testing.T) {
			ctx := t.Context()
			for _, bad := range []string{"caf\xe9", "a\x00b"} {
				r := a.touch(a.full(g, tenantA), bad)
				err := update(ctx, b, func(tx storage.Tx) error { return a.create(ctx, tx, r) })
				wantTextError(t, "Create"+a.name+" with "+strconv.Quote(bad), err)
				if _, err := a.get(ctx, b, tenantA, r); !errors.Is(err, storage.ErrNotFound) {
					t.Errorf("Get%s after a refused create: got %v, want ErrNotFound", a.name, err)
				}

				ok := a.full(g, tenantA)
				seed(t, b, ok)
				stored := a.withRev(deepCopy(ok), 1)
				err = update(ctx, b, func(tx storage.Tx) error {
					_, err := a.update(ctx, tx, a.touch(deepCopy(stored), bad))
					return err
				})
				wantTextError(t, "Update"+a.name+" with "+strconv.Quote(bad), err)
				got, err := a.get(ctx, b, tenantA, ok)
				if wantNoErr(t, "Get"+a.name+" after a refused update", err) {
					if d := diff(stored, got); d != "" {
						t.Errorf("Get%s after a refused update: %s", a.name, d)
					}
				}
			}
		})
	}
	t.Run("ConsentEvent", func(t *testing.T) {
		ctx := t.Context()
		e := fullEvent(tenantA, g.event(), g.customer(), g.customer())
		e.Evidence.RawText = "STOP\xff"
		err := update(ctx, b, func(tx storage.Tx) error { return tx.AppendConsent(ctx, e) })
		wantTextError(t, "AppendConsent with invalid UTF-8", err)
		got, err := b.ConsentByCustomer(ctx, tenantA, e.Subject.Customer)
		if wantNoErr(t, "ConsentByCustomer", err) && len(got) != 0 {
			t.Errorf("ConsentByCustomer after a refused append: %d events, want 0", len(got))
		}
	})
}

func wantTextError(t *testing.T, what string, err error) {
	t.Helper()
	wantKind(t, what, err, storage.ErrInvalidArgument)
	var te *storage.TextError
	if err != nil && (!errors.As(err, &te) || te.Field == "") {
		t.Errorf("%s: error %v does not carry a *storage.TextError naming the field", what, err)
	}
}

// emptyCollections sets every slice and map reachable from v (addressable)
// without going through one to an empty, non-nil value; with nilOut, it
// sets every empty slice or map to nil instead.
func emptyCollections(v reflect.Value, nilOut bool) {
	switch v.Kind() {
	case reflect.Struct:
		if v.Type() == timeType || hasUnexported(v.Type()) {
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				emptyCollections(v.Field(i), nilOut)
			}
		}
	case reflect.Pointer:
		if !v.IsNil() {
			emptyCollections(v.Elem(), nilOut)
		}
	case reflect.Slice:
		switch {
		case nilOut && v.Len() == 0:
			v.SetZero()
		case nilOut:
			for i := range v.Len() {
				emptyCollections(v.Index(i), nilOut)
			}
		default:
			v.Set(reflect.MakeSlice(v.Type(), 0, 0))
		}
	case reflect.Map:
		switch {
		case nilOut && v.Len() == 0:
			v.SetZero()
		case !nilOut:
			v.Set(reflect.MakeMap(v.Type()))
		}
	}
}

// checkEmptyLists writes records whose lists and maps are empty but not nil
// and requires them back as nil: the contract stores an empty list as none,
// which is what a JSON document with omitempty fields gives, so that every
// backend returns the same value.
func checkEmptyLists(t *testing.T, b storage.Backend) {
	g := new(ids)
	for _, a := range aggregates {
		t.Run(a.name, func(t *testing.T) {
			rec := a.full(g, tenantA)
			p := reflect.New(reflect.TypeOf(rec))
			p.Elem().Set(reflect.ValueOf(rec))
			emptyCollections(p.Elem(), false)
			r := p.Elem().Interface()
			seed(t, b, r)
			w := reflect.New(reflect.TypeOf(rec))
			w.Elem().Set(reflect.ValueOf(deepCopy(r)))
			emptyCollections(w.Elem(), true)
			want := a.withRev(w.Elem().Interface(), 1)
			got, err := a.get(t.Context(), b, tenantA, r)
			if wantNoErr(t, "Get"+a.name, err) {
				if d := diff(want, got); d != "" {
					t.Errorf("Get%s of a record with empty lists: %s", a.name, d)
				}
			}
		})
	}
}
