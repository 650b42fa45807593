package storagetest

import (
	"errors"
	"testing"

	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/storage"
)

// checkErasures: the one way history changes. An event is rewritten only
// under a recorded erasure, to an erased key, once; it is then found by its
// key and no longer by address or customer; the rewrite rolls back with
// its transaction; merge records are found by the customers they name and
// can be rewritten; every write is in the change feed.
func checkErasures(t *testing.T, b storage.Backend) {
	ctx := t.Context()
	g := new(ids)
	cust := g.customer()
	addr := phone(77)
	ev := newEvent(tenantA, g.event(), addr, cust, at(1))
	seed(t, b, ev)
	key := storage.ErasedPrefix + "hmac-sha256:00ff"
	erased := ev
	erased.Subject = consent.Subject{}
	erased.Note = ""
	rec := customer.Erasure{ID: customer.ErasureID(g.customer()), Tenant: tenantA, Customer: cust, OnRequestOf: "the customer",
		Keys: []string{key}, Erased: []customer.Erased{{Entity: "consent", ID: ev.ID.String()}}, By: "staff-1", At: at(2)}

	err := update(ctx, b, func(tx storage.Tx) error { return tx.EraseConsent(ctx, rec.ID, erased, key) })
	wantKind(t, "EraseConsent without a recorded erasure", err, storage.ErrInvalidArgument)

	// Rolled back with its transaction.
	err = update(ctx, b, func(tx storage.Tx) error {
		if err := tx.RecordErasure(ctx, rec); err != nil {
			return err
		}
		if err := tx.EraseConsent(ctx, rec.ID, erased, key); err != nil {
			return err
		}
		return errBoom
	})
	if !errors.Is(err, errBoom) {
		t.Fatalf("Update returned %v, want %v", err, errBoom)
	}
	if got, err := b.ConsentByAddress(ctx, tenantA, addr); wantNoErr(t, "ConsentByAddress after a rolled-back erasure", err) && len(got) != 1 {
		t.Errorf("ConsentByAddress after a rolled-back erasure = %d events, want 1", len(got))
	}
	_, err = b.GetErasure(ctx, tenantA, rec.ID)
	wantKind(t, "GetErasure after a rolled-back erasure", err, storage.ErrNotFound)

	_, cur, err := b.Changes(ctx, tenantA, "", 1000)
	if !wantNoErr(t, "Changes", err) {
		return
	}
	err = update(ctx, b, func(tx storage.Tx) error {
		if err := tx.RecordErasure(ctx, rec); err != nil {
			return err
		}
		if err := tx.EraseConsent(ctx, rec.ID, erased, "hmac-sha256:00ff"); !errors.Is(err, storage.ErrInvalidArgument) {
			t.Errorf("EraseConsent to a key without the erased prefix = %v, want ErrInvalidArgument", err)
		}
		missing := erased
		missing.ID = g.event()
		if err := tx.EraseConsent(ctx, rec.ID, missing, key); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("EraseConsent of an unknown event = %v, want ErrNotFound", err)
		}
		return tx.EraseConsent(ctx, rec.ID, erased, key)
	})
	if err != nil {
		t.Fatalf("erasing: %v", err)
	}
	if got, err := b.GetErasure(ctx, tenantA, rec.ID); wantNoErr(t, "GetErasure", err) {
		if diff := contentDiff(rec, got); diff != "" {
			t.Errorf("GetErasure: %s", diff)
		}
	}
	if got, err := b.ConsentByAddress(ctx, tenantA, addr); wantNoErr(t, "ConsentByAddress", err) && len(got) != 0 {
		t.Errorf("ConsentByAddress after the erasure = %+v, want none", got)
	}
	if got, err := b.ConsentByCustomer(ctx, tenantA, cust); wantNoErr(t, "ConsentByCustomer", err) && len(got) != 0 {
		t.Errorf("ConsentByCustomer after the erasure = %+v, want none", got)
	}
	if got, err := b.ConsentByKey(ctx, tenantA, key); wantNoErr(t, "ConsentByKey", err) {
		if len(got) != 1 {
			t.Errorf("ConsentByKey = %d events, want 1", len(got))
		} else if diff := contentDiff(erased, got[0]); diff != "" {
			t.Errorf("ConsentByKey: %s", diff)
		}
	}
	if got, err := b.ConsentByKey(ctx, tenantB, key); wantNoErr(t, "ConsentByKey in another tenant", err) && len(got) != 0 {
		t.Errorf("ConsentByKey in another tenant = %d events", len(got))
	}
	changes, _, err := b.Changes(ctx, tenantA, cur, 1000)
	if wantNoErr(t, "Changes after the erasure", err) {
		if len(changes) != 2 || changes[0].Entity != storage.EntityErasure || changes[0].Op != storage.OpCreate ||
			changes[1].Entity != storage.EntityConsent || changes[1].ID != ev.ID.String() || changes[1].Op != storage.OpUpdate {
			t.Errorf("changes after the erasure = %+v, want the erasure's create and the event's update", changes)
		}
	}
	// Once only; the erasure record is written once.
	err = update(ctx, b, func(tx storage.Tx) error { return tx.EraseConsent(ctx, rec.ID, erased, key) })
	wantKind(t, "EraseConsent of an erased event", err, storage.ErrConflict)
	err = update(ctx, b, func(tx storage.Tx) error { return tx.RecordErasure(ctx, rec) })
	wantKind(t, "RecordErasure under a taken ID", err, storage.ErrAlreadyExists)

	// Merge records by customer, and their rewrite.
	other := g.customer()
	m := customer.MergeRecord{ID: customer.MergeID(g.customer()), Tenant: tenantA, Survivor: cust, Merged: []customer.ID{other},
		Before: []customer.Customer{newCustomer(tenantA, cust, addr), newCustomer(tenantA, other)}, At: at(3)}
	if err := update(ctx, b, func(tx storage.Tx) error { return tx.RecordMerge(ctx, m) }); err != nil {
		t.Fatalf("RecordMerge: %v", err)
	}
	for _, c := range []customer.ID{cust, other} {
		if got, err := b.MergesByCustomer(ctx, tenantA, c); wantNoErr(t, "MergesByCustomer", err) && (len(got) != 1 || got[0] != m.ID) {
			t.Errorf("MergesByCustomer(%v) = %v, want [%v]", c, got, m.ID)
		}
	}
	m.Before = []customer.Customer{{ID: cust, Tenant: tenantA}, {ID: other, Tenant: tenantA}}
	if err := update(ctx, b, func(tx storage.Tx) error { return tx.EraseMerge(ctx, m) }); err != nil {
		t.Fatalf("EraseMerge: %v", err)
	}
	if got, err := b.GetMerge(ctx, tenantA, m.ID); wantNoErr(t, "GetMerge after EraseMerge", err) {
		if diff := contentDiff(m, got); diff != "" {
			t.Errorf("GetMerge after EraseMerge: %s", diff)
		}
	}
	missing := m
	missing.ID = customer.MergeID(g.customer())
	err = update(ctx, b, func(tx storage.Tx) error { return tx.EraseMerge(ctx, missing) })
	wantKind(t, "EraseMerge of an unknown record", err, storage.ErrNotFound)
}
