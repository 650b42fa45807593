package storagetest

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/storage"
)

// localized returns a deep copy of r with every time in loc.
func localized(r any, loc *time.Location) any {
	v := reflect.New(reflect.TypeOf(r))
	v.Elem().Set(reflect.ValueOf(deepCopy(r)))
	inZone(v.Interface(), loc)
	return v.Elem().Interface()
}

// wantSameTimes reports the times of got that are not the instants of want,
// in UTC.
func wantSameTimes(t *testing.T, what string, want, got any) {
	t.Helper()
	wt, gt := times(want), times(got)
	paths := make([]string, 0, len(wt))
	for p := range wt {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	for _, p := range paths {
		w := wt[p]
		g, ok := gt[p]
		switch {
		case !ok:
			t.Errorf("%s: %s is missing", what, p)
		case w.IsZero():
			if !g.IsZero() {
				t.Errorf("%s: %s is %s, want the zero time", what, p, showTime(g))
			}
		case !g.Equal(w):
			t.Errorf("%s: %s is %s, want the instant %s", what, p, showTime(g), showTime(w))
		case g.Location() != time.UTC:
			t.Errorf("%s: %s is in %q, want UTC", what, p, g.Location())
		}
	}
}

func checkTimes(t *testing.T, b storage.Backend) {
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		loc = time.FixedZone("UTC-5", -5*60*60) // no tz database here
	}
	east := time.FixedZone("UTC+5:30", 5*60*60+30*60)
	g := new(ids)
	ctx := t.Context()

	// Fully populated records of every kind, every time in loc.
	var recs []any
	for _, a := range aggregates {
		recs = append(recs, localized(a.full(g, tenantA), loc))
	}
	c := newCustomer(tenantA, g.customer(), phone(12))
	c.CreatedAt = time.Date(2025, time.January, 2, 3, 4, 5, 123456000, loc)
	c.UpdatedAt = time.Date(2025, time.July, 2, 3, 4, 5, 999999000, east)
	// Around the Unix epoch (negative microseconds) and far ahead.
	v := newVehicle(tenantA, g.vehicle(), vin2)
	v.PurchasedAt = time.Date(1969, time.December, 31, 23, 59, 59, 999999000, time.UTC).In(loc)
	v.Odometer.ReadAt = time.Date(1901, time.March, 4, 5, 6, 7, 1000, east)
	v.CreatedAt = time.Date(2199, time.December, 31, 23, 59, 59, 999999000, loc)
	e := localized(fullEvent(tenantA, g.event(), c.ID, g.customer()), east).(consent.Event)
	recs = append(recs, c, v, e)
	seed(t, b, recs...)

	for _, r := range recs {
		a, ok := aggregateOf(r)
		if !ok {
			continue
		}
		got, err := a.get(ctx, b, tenantA, r)
		if wantNoErr(t, "Get"+a.name, err) {
			wantSameTimes(t, "Get"+a.name, r, got)
		}
		if a.list != nil {
			list, err := a.list(ctx, b, tenantA, r)
			if wantNoErr(t, "listing "+a.name+"s", err) {
				for _, l := range list {
					if a.id(l) == a.id(r) {
						wantSameTimes(t, "listing "+a.name+"s", r, l)
					}
				}
			}
		}
		// An update in yet another zone.
		u := localized(a.withRev(r, 1), east)
		mustUpdate(t, b, func(ctx context.Context, tx storage.Tx) error {
			_, err := a.update(ctx, tx, u)
			return err
		})
		got, err = a.get(ctx, b, tenantA, r)
		if wantNoErr(t, "Get"+a.name+" after update", err) {
			wantSameTimes(t, "Get"+a.name+" after update", u, got)
		}
	}
	events, err := b.ConsentByAddress(ctx, tenantA, e.Subject.Address)
	if wantNoErr(t, "ConsentByAddress", err) {
		if len(events) != 1 {
			t.Errorf("ConsentByAddress: %d events, want 1", len(events))
		} else {
			wantSameTimes(t, "ConsentByAddress", e, events[0])
		}
	}

	// Filters and ordering compare instants, not wall clocks: an instant
	// written in New York is found by a bound written in India.
	cust := g.customer()
	early := newInteraction(tenantA, g.interaction(), cust, at(0).In(loc))
	late := newInteraction(tenantA, g.interaction(), cust, at(1).In(east))
	seed(t, b, late, early)
	got := listInteractions(t, b, tenantA, storage.InteractionQuery{
		Customers: []customer.ID{cust},
		Since:     at(1).In(loc),
		Until:     at(2).In(east),
	}, 0)
	if len(got) != 1 || got[0].ID != late.ID {
		t.Errorf("Interactions in [t+1m, t+2m) with bounds in other zones: got %d interactions, want only the one at t+1m", len(got))
	}
	got = listInteractions(t, b, tenantA, storage.InteractionQuery{Customers: []customer.ID{cust}}, 0)
	if len(got) != 2 || got[0].ID != late.ID {
		t.Errorf("Interactions written in different zones are not ordered by instant (newest first)")
	}
}
