package storagetest

import (
	"errors"
	"testing"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/storage"
)

// checkMerges: a merge record is stored once under its ID, read back as
// written (the customers it holds included), kept per tenant, rolled back
// with its transaction, and appears in the change feed.
func checkMerges(t *testing.T, b storage.Backend) {
	ctx := t.Context()
	g := new(ids)
	s, o := g.customer(), g.customer()
	phone := phone(23)
	before := []customer.Customer{
		{ID: s, Tenant: tenantA, Name: customer.Name{Given: "Ana", Family: "Lima"}, Source: "dms", CreatedAt: at(1), UpdatedAt: at(2), Revision: 2},
		{ID: o, Tenant: tenantA, Name: customer.Name{Given: "Ana María", Family: "Lima"}, CreatedAt: at(3), UpdatedAt: at(3), Revision: 1,
			ContactPoints: []customer.ContactPoint{{Address: phone, Primary: true, Verified: true, VerifiedAt: at(3)}}},
	}
	after := before[0].Clone()
	after.Aliases = []customer.Name{before[1].Name}
	after.ContactPoints = before[1].Clone().ContactPoints
	m := customer.MergeRecord{
		ID: customer.MergeID(g.customer()), Tenant: tenantA, Survivor: s, Merged: []customer.ID{o},
		Before: before, After: after,
		Fields: []customer.FieldSource{{Field: customer.FieldName, From: s, Rule: customer.RuleMostRecent},
			{Field: customer.FieldPrimary, Scheme: channel.SchemeTel, From: o, Rule: customer.RulePriority}},
		Moved:  []customer.Moved{{Entity: "interaction", ID: g.customer().String(), From: o}, {Entity: "consent", ID: "e2", From: o, Of: "e1"}},
		Rules:  customer.Survivorship{Sources: []string{"dms", "web"}, Fields: map[customer.Field]customer.Rule{customer.FieldName: customer.RulePriority}},
		By:     "staff-7",
		At:     at(5),
		Reason: "same person: same mobile, same name",
	}

	_, err := b.GetMerge(ctx, tenantA, m.ID)
	wantKind(t, "GetMerge before any is recorded", err, storage.ErrNotFound)

	err = update(ctx, b, func(tx storage.Tx) error {
		if err := tx.RecordMerge(ctx, m); err != nil {
			return err
		}
		return errBoom
	})
	if !errors.Is(err, errBoom) {
		t.Fatalf("Update returned %v, want %v", err, errBoom)
	}
	_, err = b.GetMerge(ctx, tenantA, m.ID)
	wantKind(t, "GetMerge after a rolled-back record", err, storage.ErrNotFound)

	_, cur, err := b.Changes(ctx, tenantA, "", 1000)
	if !wantNoErr(t, "Changes", err) {
		return
	}
	if err := update(ctx, b, func(tx storage.Tx) error { return tx.RecordMerge(ctx, m) }); err != nil {
		t.Fatalf("RecordMerge: %v", err)
	}
	got, err := b.GetMerge(ctx, tenantA, m.ID)
	if wantNoErr(t, "GetMerge", err) {
		if diff := contentDiff(m, got); diff != "" {
			t.Errorf("GetMerge: %s", diff)
		}
	}
	changes, _, err := b.Changes(ctx, tenantA, cur, 1000)
	if wantNoErr(t, "Changes after the merge record", err) {
		if len(changes) != 1 || changes[0].Entity != storage.EntityMerge || changes[0].ID != m.ID.String() ||
			changes[0].Op != storage.OpCreate || changes[0].Revision != 0 {
			t.Errorf("changes after the merge record = %+v, want one create of entity %q with ID %q", changes, storage.EntityMerge, m.ID)
		}
	}

	// Written once.
	second := m
	second.Reason = "again"
	err = update(ctx, b, func(tx storage.Tx) error { return tx.RecordMerge(ctx, second) })
	wantKind(t, "RecordMerge under a taken ID", err, storage.ErrAlreadyExists)
	if got, err := b.GetMerge(ctx, tenantA, m.ID); wantNoErr(t, "GetMerge after the refused write", err) && got.Reason != m.Reason {
		t.Errorf("the refused write changed the reason to %q", got.Reason)
	}

	// Per tenant.
	_, err = b.GetMerge(ctx, tenantB, m.ID)
	wantKind(t, "GetMerge in another tenant", err, storage.ErrNotFound)

	for _, bad := range []customer.MergeRecord{{ID: m.ID}, {Tenant: tenantA}} {
		err = update(ctx, b, func(tx storage.Tx) error { return tx.RecordMerge(ctx, bad) })
		wantKind(t, "RecordMerge without a tenant or ID", err, storage.ErrInvalidArgument)
	}
}
