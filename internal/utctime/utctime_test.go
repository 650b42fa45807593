package utctime

import (
	"reflect"
	"testing"
	"time"
)

type utcNode struct {
	At       time.Time
	Ptr      *time.Time
	List     []utcLeaf
	Arr      [2]utcLeaf
	ByKey    map[string]utcLeaf
	Next     *utcNode // recursive
	hidden   time.Time
	NoTimes  []string
	Interval struct{ From, To time.Time }
}

type utcLeaf struct{ When time.Time }

func TestToUTC(t *testing.T) {
	zone := time.FixedZone("X", 3*3600)
	at := time.Date(2025, 1, 2, 3, 4, 5, 6000, zone)
	p := at
	n := utcNode{
		At:    at,
		Ptr:   &p,
		List:  []utcLeaf{{at}, {}},
		Arr:   [2]utcLeaf{{at}, {at}},
		ByKey: map[string]utcLeaf{"a": {at}},
		Next:  &utcNode{At: at, List: []utcLeaf{{at}}},
	}
	n.hidden = at
	n.Interval.From = at
	Set(&n)
	check := func(name string, tm time.Time) {
		t.Helper()
		if tm.Location() != time.UTC || !tm.Equal(at) {
			t.Errorf("%s = %v, want %v in UTC", name, tm, at.UTC())
		}
	}
	check("At", n.At)
	check("*Ptr", *n.Ptr)
	check("List[0]", n.List[0].When)
	check("Arr[1]", n.Arr[1].When)
	check("ByKey[a]", n.ByKey["a"].When)
	check("Next.At", n.Next.At)
	check("Next.List[0]", n.Next.List[0].When)
	check("Interval.From", n.Interval.From)
	if !n.List[1].When.IsZero() || !n.Interval.To.IsZero() {
		t.Error("zero times changed")
	}
	if n.hidden.Location() == time.UTC {
		t.Error("unexported field changed (JSON never fills it)")
	}
	if planFor(reflect.TypeFor[[]string]()) != nil {
		t.Error("a type without times has a plan")
	}
}
