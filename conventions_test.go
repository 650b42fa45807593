package rapport_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rapportcim/rapport"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/interaction"
)

// Every duration in the JSON of the records, results and policies is in
// nanoseconds, in a field whose name ends in "_ns" (the root doc's
// convention).
func TestDurationsInJSONAreNanoseconds(t *testing.T) {
	seen := map[reflect.Type]bool{}
	var walk func(typ reflect.Type, path string)
	walk = func(typ reflect.Type, path string) {
		switch typ.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Array:
			walk(typ.Elem(), path+"[]")
			return
		case reflect.Map:
			walk(typ.Elem(), path+"{}")
			return
		case reflect.Struct:
		default:
			return
		}
		if seen[typ] || typ.PkgPath() == "time" {
			return
		}
		seen[typ] = true
		for f := range typ.Fields() {
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if f.Type == reflect.TypeFor[time.Duration]() && !strings.HasSuffix(name, "_ns") {
				t.Errorf("%s.%s: a duration in JSON as %q; want a name ending in _ns", path, f.Name, name)
			}
			walk(f.Type, path+"."+f.Name)
		}
	}
	for _, v := range []any{
		interaction.Interaction{}, interaction.Conversation{}, interaction.Commitment{}, interaction.Metrics{},
		interaction.CollisionPolicy{}, interaction.Collision{}, consent.Event{}, consent.Policy{}, consent.Decision{},
		customer.Customer{}, household.Household{}, household.Vehicle{}, rapport.Verdict{},
	} {
		typ := reflect.TypeOf(v)
		walk(typ, typ.String())
	}
	if len(seen) < 20 {
		t.Fatalf("walked only %d types", len(seen))
	}
}
