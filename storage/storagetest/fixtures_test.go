package storagetest

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/storage"
)

// The fixtures must be valid domain values (except where a check needs
// otherwise), so that a backend that validates is not failed by the suite's
// own data.
func TestFixturesValid(t *testing.T) {
	g := new(ids)
	w := newWorld(g, tenantA, 1)
	for _, r := range w.records() {
		if err := validate(r); err != nil {
			t.Errorf("%T: %v", r, err)
		}
	}
	for _, a := range aggregates {
		if err := validate(a.build(g, tenantA)); err != nil {
			t.Errorf("minimal %s: %v", a.name, err)
		}
	}
	c := fullCustomer(tenantA, g.customer(), g.customer())
	if err := c.Validate(); err != nil {
		t.Errorf("full customer: %v", err)
	}
	e := newEvent(tenantA, g.event(), phone(1), g.customer(), at(0))
	if err := e.Validate(); err != nil {
		t.Errorf("event: %v", err)
	}
	h := fullHousehold(tenantA, g.household(), []customer.ID{g.customer(), g.customer(), g.customer()}, nil)
	if err := h.Validate(); err != nil {
		t.Errorf("full household: %v", err)
	}
	v := fullVehicle(tenantA, g.vehicle(), g.household(), []customer.ID{g.customer(), g.customer()})
	if err := v.Validate(); err != nil {
		t.Errorf("full vehicle: %v", err)
	}
	if !vin1.Standard() || !vin2.Standard() || !vin3.Standard() || vin4.Standard() {
		t.Errorf("VIN fixtures: standard flags %t %t %t %t, want true true true false",
			vin1.Standard(), vin2.Standard(), vin3.Standard(), vin4.Standard())
	}
}

// validate calls r's Validate method, whatever its receiver.
func validate(r any) error {
	p := reflect.New(reflect.TypeOf(r))
	p.Elem().Set(reflect.ValueOf(r))
	v, ok := p.Interface().(interface{ Validate() error })
	if !ok {
		return fmt.Errorf("%T has no Validate method", r)
	}
	return v.Validate()
}

func TestRawIDOrder(t *testing.T) {
	for _, n := range []uint64{0, 1, 255, 256, 1 << 40} {
		a, b := rawID(n), rawID(n+1)
		if bytes.Compare(a[:], b[:]) >= 0 {
			t.Errorf("rawID(%d) >= rawID(%d)", n, n+1)
		}
		if idNum(a) != n {
			t.Errorf("idNum(rawID(%d)) = %d", n, idNum(a))
		}
	}
}

func TestScribbleAndDeepCopy(t *testing.T) {
	g := new(ids)
	for _, a := range aggregates {
		r := a.full(g, tenantA)
		c := deepCopy(r)
		if d := diff(r, c); d != "" {
			t.Errorf("%s: deepCopy differs: %s", a.name, d)
		}
		scribble(r)
		if diff(r, c) == "" && a.entity != storage.EntityCommitment { // a commitment shares nothing
			t.Errorf("%s: scribble changed nothing shared", a.name)
		}
	}
}

// TestReflectiveHelpersFailLoudly checks that the helpers the checks rely on
// stop on a kind of field they cannot treat instead of skipping it.
func TestReflectiveHelpersFailLoudly(t *testing.T) {
	type withFunc struct{ F func() }
	type withIface struct{ V any }
	type withChan struct{ C chan int }
	type withTimeMap struct{ M map[string]time.Time }
	for _, c := range []struct {
		name string
		call func()
	}{
		{"deepCopy func", func() { deepCopy(withFunc{F: func() {}}) }},
		{"scribble interface", func() { scribble(&withIface{V: 1}) }},
		{"scribble chan", func() { scribble(&withChan{C: make(chan int)}) }},
		{"times of a map of times", func() { times(withTimeMap{M: map[string]time.Time{"a": {}}}) }},
		{"inZone of a map of times", func() { inZone(&withTimeMap{M: map[string]time.Time{"a": {}}}, time.UTC) }},
		{"generate func", func() { generate(&withFunc{}, 0) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			defer func() {
				r := recover()
				msg, _ := r.(string)
				if !strings.Contains(msg, "storagetest:") || !strings.Contains(msg, "does not handle") {
					t.Errorf("got panic %v, want a storagetest panic naming what it does not handle", r)
				}
			}()
			c.call()
		})
	}
}
