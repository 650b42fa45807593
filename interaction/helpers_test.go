package interaction

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/household"
)

var (
	t0 = time.Date(2025, 3, 14, 15, 0, 0, 0, time.UTC)
	t1 = t0.Add(time.Minute)
	t2 = t0.Add(2 * time.Minute)
)

func mustAddress(t testing.TB, s string) channel.Address {
	t.Helper()
	a, err := channel.ParseAddress(s)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func customerID(t testing.TB, s string) customer.ID {
	t.Helper()
	id, err := customer.ParseID(s)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func householdID(t testing.TB, s string) household.ID {
	t.Helper()
	id, err := household.ParseID(s)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

const (
	jane  = "01956d2e-1a2b-7c3d-8e4f-5a6b7c8d9e01"
	john  = "01956d2e-1a2b-7c3d-8e4f-5a6b7c8d9e02"
	house = "01956d2e-1a2b-7c3d-8e4f-5a6b7c8d9e03"
	ixn   = "01956d2e-1a2b-7c3d-8e4f-5a6b7c8d9e04"
	conv  = "01956d2e-1a2b-7c3d-8e4f-5a6b7c8d9e05"
	cmt   = "01956d2e-1a2b-7c3d-8e4f-5a6b7c8d9e06"
)

// problems returns the *ValidationError values joined in err, failing the
// test if err holds anything else.
func problems(t *testing.T, err error) []*ValidationError {
	t.Helper()
	if err == nil {
		return nil
	}
	var list []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		list = j.Unwrap()
	} else {
		list = []error{err}
	}
	var out []*ValidationError
	for _, e := range list {
		ve, ok := e.(*ValidationError)
		if !ok {
			t.Fatalf("problem %v is a %T, not a *ValidationError", e, e)
		}
		if !strings.HasPrefix(ve.Error(), "interaction: "+ve.Field+": ") {
			t.Errorf("message %q does not name its field", ve.Error())
		}
		out = append(out, ve)
	}
	return out
}

// want is one expected problem: a field and the sentinel it wraps.
type want struct {
	field string
	err   error
}

// checkProblems checks that err holds exactly the wanted problems, in any
// order; a field may be wanted more than once.
func checkProblems(t *testing.T, err error, wants ...want) {
	t.Helper()
	got := problems(t, err)
	var fields []string
	for _, g := range got {
		fields = append(fields, g.Field)
	}
	if len(got) != len(wants) {
		t.Errorf("got %d problems %q, want %d: %v", len(got), fields, len(wants), err)
	}
	used := make([]bool, len(got))
	for _, w := range wants {
		i := slices.IndexFunc(got, func(g *ValidationError) bool { return g.Field == w.field })
		for i >= 0 && used[i] {
			j := slices.IndexFunc(got[i+1:], func(g *ValidationError) bool { return g.Field == w.field })
			if j < 0 {
				i = -1
				break
			}
			i += 1 + j
		}
		if i < 0 {
			t.Errorf("no (more) problems with %s in %q", w.field, fields)
			continue
		}
		used[i] = true
		if !errors.Is(got[i], w.err) {
			t.Errorf("%s: %v does not wrap %v", w.field, got[i], w.err)
		}
		if !errors.Is(err, w.err) {
			t.Errorf("joined error does not wrap %v", w.err)
		}
	}
}
