package storagetest

import (
	"errors"
	"testing"

	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/storage"
)

// checkSuggestionDecisions: a decision about a household suggestion is
// stored once under its key, read back as written, kept per tenant, rolled
// back with its transaction, and appears in the change feed.
func checkSuggestionDecisions(t *testing.T, b storage.Backend) {
	ctx := t.Context()
	g := new(ids)
	c1, c2 := g.customer(), g.customer()
	d := household.Decision{
		Tenant:    tenantA,
		Members:   []customer.ID{c1, c2},
		Outcome:   household.OutcomeAccepted,
		Reasons:   []household.SuggestionReason{{Code: household.ReasonSameAddress}, {Code: "from_a_newer_version"}},
		Household: g.household(),
		By:        "staff-7",
		At:        at(5),
		Note:      "confirmed at the service desk",
	}
	d.Key = household.SuggestionKey(d.Members)

	_, err := b.SuggestionDecision(ctx, tenantA, d.Key)
	wantKind(t, "SuggestionDecision before any is recorded", err, storage.ErrNotFound)

	// Rolled back with its transaction.
	err = update(ctx, b, func(tx storage.Tx) error {
		if err := tx.RecordSuggestionDecision(ctx, d); err != nil {
			return err
		}
		return errBoom
	})
	if !errors.Is(err, errBoom) {
		t.Fatalf("Update returned %v, want %v", err, errBoom)
	}
	_, err = b.SuggestionDecision(ctx, tenantA, d.Key)
	wantKind(t, "SuggestionDecision after a rolled-back record", err, storage.ErrNotFound)

	_, after, err := b.Changes(ctx, tenantA, "", 1000)
	if !wantNoErr(t, "Changes", err) {
		return
	}
	if err := update(ctx, b, func(tx storage.Tx) error { return tx.RecordSuggestionDecision(ctx, d) }); err != nil {
		t.Fatalf("RecordSuggestionDecision: %v", err)
	}
	got, err := b.SuggestionDecision(ctx, tenantA, d.Key)
	if wantNoErr(t, "SuggestionDecision", err) {
		if diff := contentDiff(d, got); diff != "" {
			t.Errorf("SuggestionDecision: %s", diff)
		}
	}
	changes, _, err := b.Changes(ctx, tenantA, after, 1000)
	if wantNoErr(t, "Changes after the decision", err) {
		if len(changes) != 1 || changes[0].Entity != storage.EntitySuggestionDecision || changes[0].ID != d.Key ||
			changes[0].Op != storage.OpCreate || changes[0].Revision != 0 {
			t.Errorf("changes after the decision = %+v, want one create of entity %q with ID %q", changes, storage.EntitySuggestionDecision, d.Key)
		}
	}

	// Written once: a second decision under the key fails and changes nothing.
	second := d
	second.Outcome, second.Household, second.Note = household.OutcomeRejected, household.ID{}, "second thoughts"
	err = update(ctx, b, func(tx storage.Tx) error { return tx.RecordSuggestionDecision(ctx, second) })
	wantKind(t, "RecordSuggestionDecision under a decided key", err, storage.ErrAlreadyExists)
	if got, err := b.SuggestionDecision(ctx, tenantA, d.Key); wantNoErr(t, "SuggestionDecision after the refused write", err) && got.Outcome != household.OutcomeAccepted {
		t.Errorf("the refused write changed the decision to %q", got.Outcome)
	}

	// Per tenant: tenant B sees nothing, and may decide the same key.
	_, err = b.SuggestionDecision(ctx, tenantB, d.Key)
	wantKind(t, "SuggestionDecision in another tenant", err, storage.ErrNotFound)
	second.Tenant = tenantB
	if err := update(ctx, b, func(tx storage.Tx) error { return tx.RecordSuggestionDecision(ctx, second) }); err != nil {
		t.Errorf("RecordSuggestionDecision of the same key in tenant B: %v", err)
	}

	// A decision without a tenant or key is refused.
	for _, bad := range []household.Decision{{Key: d.Key}, {Tenant: tenantA}} {
		err = update(ctx, b, func(tx storage.Tx) error { return tx.RecordSuggestionDecision(ctx, bad) })
		wantKind(t, "RecordSuggestionDecision without a tenant or key", err, storage.ErrInvalidArgument)
	}
}
