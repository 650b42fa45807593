package textcheck_test

import (
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/internal/textcheck"
)

func TestProblem(t *testing.T) {
	for _, c := range []struct {
		s, want string
	}{
		{"", ""},
		{"Jane Doe — ñ 日本 😀", ""},
		{"\uFFFD is a real character", ""},
		{"tab\tand\nnewline\x01\x7f", ""},
		{"\xff", textcheck.NotUTF8},
		{"ab\xc3", textcheck.NotUTF8},       // truncated sequence
		{"\xed\xa0\x80", textcheck.NotUTF8}, // a surrogate
		{"a\x00b", textcheck.HasNUL},
	} {
		if got := textcheck.Problem(c.s); got != c.want {
			t.Errorf("Problem(%q) = %q, want %q", c.s, got, c.want)
		}
	}
}

type inner struct {
	Note string `json:"note,omitempty"`
}

type sample struct {
	Name    string            `json:"name"`
	NoTag   string            // JSON uses the Go name
	Skipped string            `json:"-"`
	Items   []inner           `json:"items"`
	Ptr     *inner            `json:"ptr"`
	Attrs   map[string]string `json:"attrs"`
	Bytes   []byte            `json:"bytes"`
	inner                     // promoted, as in JSON
	private string
}

func TestWalkPaths(t *testing.T) {
	s := sample{
		Name:    "\xff",
		NoTag:   "a\x00",
		Skipped: "\xff",
		Items:   []inner{{Note: "fine"}, {Note: "\xfe"}},
		Ptr:     &inner{Note: "\x00"},
		Attrs:   map[string]string{"trim_code": "\xff", "b c": "x\x00", "ok": "fine", "\xff": "fine"},
		Bytes:   []byte{0xff, 0},
		inner:   inner{Note: "\xff"},
		private: "\xff",
	}
	var got []string
	textcheck.Walk(s, func(path, problem string) { got = append(got, path+": "+problem) })
	want := []string{
		"name: not valid UTF-8",
		"NoTag: contains NUL",
		"items[1].note: not valid UTF-8",
		"ptr.note: contains NUL",
		// keys in byte order: "b c", "ok", "trim_code", "\xff"
		"attrs: value 1 in key order: contains NUL",
		"attrs.trim_code: not valid UTF-8",
		"attrs: a key is not valid UTF-8 or contains NUL",
		"note: not valid UTF-8",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Walk reported\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
	var none []string
	textcheck.Walk(sample{Name: "ok", Attrs: map[string]string{"k": "v"}}, func(path, problem string) { none = append(none, path) })
	if len(none) != 0 {
		t.Errorf("Walk of clean text reported %v", none)
	}
}

// A record type and its Validate.
type record struct {
	name     string
	value    any // a pointer to a zero record
	validate func(any) error
	sentinel error // the package's ErrInvalidText
	asField  func(error) (string, bool)
}

func fieldOf[E interface {
	*customer.ValidationError | *consent.ValidationError | *interaction.ValidationError | *household.ValidationError
}](field func(E) string) func(error) (string, bool) {
	return func(err error) (string, bool) {
		var ve E
		if errors.As(err, &ve) {
			return field(ve), true
		}
		return "", false
	}
}

var records = []record{
	{"customer.Customer", new(customer.Customer), func(v any) error { return v.(*customer.Customer).Validate() }, customer.ErrInvalidText,
		fieldOf(func(e *customer.ValidationError) string { return e.Field })},
	{"consent.Event", new(consent.Event), func(v any) error { return v.(*consent.Event).Validate() }, consent.ErrInvalidText,
		fieldOf(func(e *consent.ValidationError) string { return e.Field })},
	{"interaction.Interaction", new(interaction.Interaction), func(v any) error { return v.(*interaction.Interaction).Validate() }, interaction.ErrInvalidText,
		fieldOf(func(e *interaction.ValidationError) string { return e.Field })},
	{"interaction.Conversation", new(interaction.Conversation), func(v any) error { return v.(*interaction.Conversation).Validate() }, interaction.ErrInvalidText,
		fieldOf(func(e *interaction.ValidationError) string { return e.Field })},
	{"interaction.Commitment", new(interaction.Commitment), func(v any) error { return v.(*interaction.Commitment).Validate() }, interaction.ErrInvalidText,
		fieldOf(func(e *interaction.ValidationError) string { return e.Field })},
	{"household.Household", new(household.Household), func(v any) error { return v.(*household.Household).Validate() }, household.ErrInvalidText,
		fieldOf(func(e *household.ValidationError) string { return e.Field })},
	{"household.Vehicle", new(household.Vehicle), func(v any) error { return v.(*household.Vehicle).Validate() }, household.ErrInvalidText,
		fieldOf(func(e *household.ValidationError) string { return e.Field })},
}

// TestValidateRejectsBadTextEverywhere fills every string of every stored
// record type (at every depth: one element per list, one entry per map, every
// pointer set) and then makes each string in turn invalid UTF-8, then NUL,
// and requires the record's Validate to report ErrInvalidText at that
// string's JSON path. The paths are built here from the types' JSON tags,
// independently of the walker.
func TestValidateRejectsBadTextEverywhere(t *testing.T) {
	for _, r := range records {
		t.Run(r.name, func(t *testing.T) {
			v := reflect.ValueOf(r.value).Elem()
			fill(v)
			slots := stringSlots(v, "")
			t.Logf("%d strings checked", len(slots))
			if len(slots) < 3 {
				t.Fatalf("found only %d strings in %s: the filler is broken", len(slots), r.name)
			}
			for _, s := range slots {
				for _, bad := range []string{"ok\xff", "o\x00k"} {
					s.set(bad)
					err := r.validate(r.value)
					s.set("ok")
					if !reportsAt(err, r.sentinel, r.asField, s.path) {
						t.Errorf("%s with %q at %s: Validate did not report ErrInvalidText at %q; got:\n%v", r.name, bad, s.path, s.path, err)
					}
				}
			}
		})
	}
}

func reportsAt(err, sentinel error, asField func(error) (string, bool), path string) bool {
	for _, e := range leaves(err) {
		if f, ok := asField(e); ok && f == path && errors.Is(e, sentinel) {
			return true
		}
	}
	return false
}

func leaves(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, leaves(e)...)
		}
		return out
	}
	if err == nil {
		return nil
	}
	return []error{err}
}

var textMarshaler = reflect.TypeFor[interface{ MarshalText() ([]byte, error) }]()

func opaque(t reflect.Type) bool {
	return t.Kind() == reflect.Struct && (t.Implements(textMarshaler) || reflect.PointerTo(t).Implements(textMarshaler))
}

// fill sets every string reachable from v (addressable) to "ok", gives
// every list one element and every map with string keys one entry, and
// points every pointer at a filled value.
func fill(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		v.SetString("ok")
	case reflect.Struct:
		if opaque(v.Type()) {
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i))
			}
		}
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fill(p.Elem())
		v.Set(p)
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return
		}
		s := reflect.MakeSlice(v.Type(), 1, 1)
		fill(s.Index(0))
		v.Set(s)
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String {
			return
		}
		m := reflect.MakeMap(v.Type())
		k := reflect.New(v.Type().Key()).Elem()
		k.SetString("key")
		e := reflect.New(v.Type().Elem()).Elem()
		fill(e)
		m.SetMapIndex(k, e)
		v.Set(m)
	}
}

type slot struct {
	path string
	set  func(string)
}

// stringSlots lists the strings of a filled value with their JSON paths.
func stringSlots(v reflect.Value, path string) []slot {
	at := func(name string) string {
		if path == "" {
			return name
		}
		return path + "." + name
	}
	switch v.Kind() {
	case reflect.String:
		return []slot{{path, v.SetString}}
	case reflect.Struct:
		if opaque(v.Type()) {
			return nil
		}
		var out []slot
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			name := f.Name
			if tag, _, _ := strings.Cut(f.Tag.Get("json"), ","); tag != "" {
				name = tag
			}
			if name == "-" {
				continue
			}
			out = append(out, stringSlots(v.Field(i), at(name))...)
		}
		return out
	case reflect.Pointer:
		if v.IsNil() {
			return nil
		}
		return stringSlots(v.Elem(), path)
	case reflect.Slice, reflect.Array:
		var out []slot
		for i := range v.Len() {
			out = append(out, stringSlots(v.Index(i), path+"["+strconv.Itoa(i)+"]")...)
		}
		return out
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String || v.Type().Elem().Kind() != reflect.String {
			return nil
		}
		m := v
		var out []slot
		for _, k := range m.MapKeys() {
			k := k
			out = append(out, slot{at(k.String()), func(s string) {
				e := reflect.New(m.Type().Elem()).Elem()
				e.SetString(s)
				m.SetMapIndex(k, e)
			}})
		}
		return out
	}
	return nil
}
