package storagetest

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/storage"
)

func checkConsentLedger(t *testing.T, b storage.Backend) {
	t.Run("NoWayToChangeOrRemove", func(t *testing.T) {
		// The contract: the only consent methods are the append and the reads,
		// and the one documented exception, erasure (storage.ErasureWriter),
		// which rewrites an event once, to remove a person's data, only under
		// a recorded erasure (checkErasures holds backends to that).
		allowed := map[string]bool{"AppendConsent": true, "ConsentByAddress": true, "ConsentByCustomer": true, "GetConsent": true,
			"ConsentByKey": true, "EraseConsent": true}
		for _, typ := range []reflect.Type{
			reflect.TypeFor[storage.Tx](),
			reflect.TypeFor[storage.Backend](),
			reflect.TypeFor[storage.Reader](),
			reflect.TypeFor[storage.ConsentWriter](),
		} {
			for i := range typ.NumMethod() {
				if m := typ.Method(i).Name; strings.Contains(m, "Consent") && !allowed[m] {
					t.Errorf("%v has method %s: the consent ledger is append-only", typ, m)
				}
			}
		}
		// The backend's own types must not offer a way around it either.
		rewriting := func(typ reflect.Type) {
			for i := range typ.NumMethod() {
				m := typ.Method(i).Name
				if !strings.Contains(m, "Consent") {
					continue
				}
				for _, verb := range []string{"Update", "Delete", "Remove", "Replace", "Set", "Put", "Edit", "Modify", "Overwrite", "Truncate", "Clear"} {
					if strings.HasPrefix(m, verb) {
						t.Errorf("%v has method %s: the consent ledger is append-only", typ, m)
					}
				}
			}
		}
		rewriting(reflect.TypeOf(b))
		mustUpdate(t, b, func(_ context.Context, tx storage.Tx) error {
			rewriting(reflect.TypeOf(tx))
			return nil
		})
	})

	t.Run("AppendOrder", func(t *testing.T) {
		const tenant = dealer.Tenant("tenant-ledger")
		ctx := t.Context()
		line := phone(23)
		ext4 := mustAddress("tel:+12125550123;ext=4")
		ext9 := mustAddress("tel:+12125550123;ext=9")
		wa := mustAddress("whatsapp:+12125550123")
		mail := email("ledger")
		cust := customer.ID(rawID(5))
		other := customer.ID(rawID(6))

		// IDs run against append order, and so do capture times, so that
		// neither can pass for append order.
		ev := func(n uint64, addr channel.Address, c customer.ID, captured int) consent.Event {
			e := newEvent(tenant, consent.ID(rawID(n)), addr, c, at(captured))
			if addr.Scheme() == channel.SchemeMailto {
				e.Channel = channel.KindEmail
			}
			if addr.Scheme() == channel.SchemeWhatsApp {
				e.Channel = channel.KindWhatsApp
			}
			return e
		}
		e1 := ev(900, ext4, customer.ID{}, 5)
		e2 := ev(800, line, cust, 1)
		e2.Action, e2.Basis = consent.ActionRevoke, ""
		e3 := ev(700, phone(24), customer.ID{}, 3)
		e4 := ev(600, ext9, customer.ID{}, 0)
		e5 := ev(500, mail, cust, 7)
		e6 := ev(400, line, cust, 9)
		e7 := ev(300, wa, customer.ID{}, 2)
		e8 := ev(200, phone(25), other, 4)
		e8.Giver = consent.Giver{Name: "Jane Doe", Customer: cust}
		seed(t, b, e1)
		seed(t, b, e2, e3)
		seed(t, b, e4, e5, e6, e7)
		seed(t, b, e8)

		byAddress := func(addr channel.Address, want ...consent.Event) {
			t.Helper()
			got, err := b.ConsentByAddress(ctx, tenant, addr)
			if !wantNoErr(t, "ConsentByAddress("+addr.String()+")", err) {
				return
			}
			compareEvents(t, "ConsentByAddress("+addr.String()+")", want, got)
		}
		byAddress(line, e1, e2, e4, e6)
		byAddress(ext4, e1, e2, e4, e6)
		byAddress(ext9, e1, e2, e4, e6)
		byAddress(mustAddress("tel:+12125550123;ext=77"), e1, e2, e4, e6)
		byAddress(phone(24), e3)
		byAddress(mail, e5)
		byAddress(wa, e7)
		byAddress(phone(26))

		byCustomer := func(id customer.ID, want ...consent.Event) {
			t.Helper()
			got, err := b.ConsentByCustomer(ctx, tenant, id)
			if !wantNoErr(t, "ConsentByCustomer", err) {
				return
			}
			compareEvents(t, "ConsentByCustomer", want, got)
		}
		byCustomer(cust, e2, e5, e6)
		byCustomer(other, e8)
		byCustomer(customer.ID(rawID(7)))

		// One event by its ID (a change feed follower reads the event a
		// consent change names): the event as appended, in its tenant only.
		for _, want := range []consent.Event{e1, e5, e8} {
			got, err := b.GetConsent(ctx, tenant, want.ID)
			if wantNoErr(t, "GetConsent", err) {
				compareEvents(t, "GetConsent", []consent.Event{want}, []consent.Event{got})
				if !reflect.DeepEqual(got, want) {
					t.Errorf("GetConsent(%s) = %+v, want %+v", want.ID, got, want)
				}
			}
		}
		_, err := b.GetConsent(ctx, tenant, consent.ID(rawID(901)))
		wantKind(t, "GetConsent of an unknown ID", err, storage.ErrNotFound)
		_, err = b.GetConsent(ctx, "tenant-other", e1.ID)
		wantKind(t, "GetConsent of another tenant's event", err, storage.ErrNotFound)

		// Deleting the customer keeps their consent history.
		c := newCustomer(tenant, cust, line)
		seed(t, b, c)
		mustUpdate(t, b, func(ctx context.Context, tx storage.Tx) error { return tx.DeleteCustomer(ctx, tenant, cust, 1) })
		byCustomer(cust, e2, e5, e6)
		byAddress(line, e1, e2, e4, e6)
	})
}

func compareEvents(t *testing.T, what string, want, got []consent.Event) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d events %v, want %d %v", what, len(got), eventIDs(got), len(want), eventIDs(want))
		return
	}
	for i := range want {
		if got[i].ID != want[i].ID {
			t.Errorf("%s: events %v, want %v (in append order)", what, eventIDs(got), eventIDs(want))
			return
		}
		if d := contentDiff(want[i], got[i]); d != "" {
			t.Errorf("%s: event %d: %s", what, i, d)
		}
	}
}

func eventIDs(es []consent.Event) []uint64 {
	out := make([]uint64, len(es))
	for i, e := range es {
		out[i] = idNum(e.ID)
	}
	return out
}
