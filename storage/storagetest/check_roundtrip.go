package storagetest

import (
	"context"
	"testing"

	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/storage"
)

func checkRoundTrip(t *testing.T, b storage.Backend) {
	g := new(ids)
	for _, a := range aggregates {
		t.Run(a.name, func(t *testing.T) {
			ctx := t.Context()
			for _, shape := range []struct {
				name string
				rec  any
			}{
				{"full", a.full(g, tenantA)},
				{"minimal", a.build(g, tenantA)},
			} {
				r := shape.rec
				seed(t, b, r)
				want := a.withRev(deepCopy(r), 1)
				got, err := a.get(ctx, b, tenantA, r)
				if wantNoErr(t, "Get"+a.name+" ("+shape.name+")", err) {
					if d := diff(want, got); d != "" {
						t.Errorf("Get%s of a %s record: %s", a.name, shape.name, d)
					}
				}
				if a.list != nil {
					list, err := a.list(ctx, b, tenantA, r)
					if wantNoErr(t, "listing "+a.name+"s", err) {
						found := false
						for _, l := range list {
							if a.id(l) == a.id(r) {
								found = true
								if d := diff(want, l); d != "" {
									t.Errorf("listing %ss, the %s record: %s", a.name, shape.name, d)
								}
							}
						}
						if !found {
							t.Errorf("listing %ss: the %s record is missing", a.name, shape.name)
						}
					}
				}

				// An update round-trips too, with the next revision.
				u := a.touch(deepCopy(want), "round trip update — ñ")
				mustUpdate(t, b, func(ctx context.Context, tx storage.Tx) error {
					_, err := a.update(ctx, tx, u)
					return err
				})
				got, err = a.get(ctx, b, tenantA, r)
				if wantNoErr(t, "Get"+a.name+" after update ("+shape.name+")", err) {
					if d := diff(a.withRev(u, 2), got); d != "" {
						t.Errorf("Get%s of an updated %s record: %s", a.name, shape.name, d)
					}
				}
			}
		})
	}

	t.Run("ConsentEvent", func(t *testing.T) {
		ctx := t.Context()
		full := fullEvent(tenantA, g.event(), g.customer(), g.customer())
		minimal := newEvent(tenantA, g.event(), phone(13), g.customer(), at(0))
		seed(t, b, full, minimal)
		for _, e := range []consent.Event{full, minimal} {
			byAddr, err := b.ConsentByAddress(ctx, tenantA, e.Subject.Address)
			if wantNoErr(t, "ConsentByAddress", err) {
				if len(byAddr) != 1 {
					t.Errorf("ConsentByAddress: %d events, want 1", len(byAddr))
				} else if d := diff(e, byAddr[0]); d != "" {
					t.Errorf("ConsentByAddress: %s", d)
				}
			}
			byCust, err := b.ConsentByCustomer(ctx, tenantA, e.Subject.Customer)
			if wantNoErr(t, "ConsentByCustomer", err) {
				if len(byCust) != 1 {
					t.Errorf("ConsentByCustomer: %d events, want 1", len(byCust))
				} else if d := diff(e, byCust[0]); d != "" {
					t.Errorf("ConsentByCustomer: %s", d)
				}
			}
		}
	})
}
