package storagetest

import (
	"errors"
	"slices"
	"testing"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

// checkMentions: MentionsOf finds every vehicle listing the customer as a
// stakeholder (and no other vehicle), every referral naming it on either
// side (and no other interaction, not even one of the customer's own
// without a referral), and every suggestion decision listing it, in order
// and per tenant; EraseDecision rewrites a decision in place, rolls back
// with its transaction and is announced in the change feed.
func checkMentions(t *testing.T, b storage.Backend) {
	ctx := t.Context()
	g := new(ids)
	cust, other, third := g.customer(), g.customer(), g.customer()

	v1, v2, v3 := newVehicle(tenantA, g.vehicle(), household.VIN{}), newVehicle(tenantA, g.vehicle(), household.VIN{}), newVehicle(tenantA, g.vehicle(), household.VIN{})
	v1.Stakeholders = []household.Stakeholder{{Customer: other, Role: household.StakeholderRoleOwner}, {Customer: cust, Role: household.StakeholderRoleDriver}}
	v2.Stakeholders = []household.Stakeholder{{Customer: other, Role: household.StakeholderRoleOwner}}
	v3.Stakeholders = []household.Stakeholder{{Customer: cust, Role: household.StakeholderRoleLessee}}
	vB := newVehicle(tenantB, v1.ID, household.VIN{})
	vB.Stakeholders = v1.Stakeholders

	referral := func(owner customer.ID, r interaction.Referral) interaction.Interaction {
		i := newInteraction(tenantA, g.interaction(), owner, at(3))
		i.Kind, i.Channel, i.Address, i.Referral = interaction.KindReferral, "", channel.Address{}, &r
		return i
	}
	referred := referral(other, interaction.Referral{Referrer: other, Referred: cust})
	referrer := referral(third, interaction.Referral{Referrer: cust, Referred: third})
	unrelated := referral(other, interaction.Referral{Referrer: other, Referred: third})
	own := newInteraction(tenantA, g.interaction(), cust, at(4))

	decision := func(members ...customer.ID) household.Decision {
		return household.Decision{Tenant: tenantA, Key: household.SuggestionKey(members), Members: members,
			Outcome: household.OutcomeRejected, At: at(5), Note: "not a family"}
	}
	d1, d2 := decision(cust, other), decision(other, third)
	seed(t, b, v1, v2, v3, vB, referred, referrer, unrelated, own)
	if err := update(ctx, b, func(tx storage.Tx) error {
		for _, d := range []household.Decision{d1, d2} {
			if err := tx.RecordSuggestionDecision(ctx, d); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatalf("RecordSuggestionDecision: %v", err)
	}

	m, err := b.MentionsOf(ctx, tenantA, cust)
	if wantNoErr(t, "MentionsOf", err) {
		want := storage.Mentions{
			Vehicles:  sortedIDs(v1.ID, v3.ID),
			Referrals: sortedIDs(referred.ID, referrer.ID),
			Decisions: []string{d1.Key},
		}
		if d := diff(want, m); d != "" {
			t.Errorf("MentionsOf: %s", d)
		}
	}
	if m, err := b.MentionsOf(ctx, tenantB, cust); wantNoErr(t, "MentionsOf in another tenant", err) && (len(m.Referrals) != 0 || len(m.Decisions) != 0 || len(m.Vehicles) != 1) {
		t.Errorf("MentionsOf in tenant B = %+v, want its one vehicle only", m)
	}
	if m, err := b.MentionsOf(ctx, tenantA, g.customer()); wantNoErr(t, "MentionsOf a stranger", err) && (len(m.Vehicles)+len(m.Referrals)+len(m.Decisions) != 0) {
		t.Errorf("MentionsOf a customer no record names = %+v, want none", m)
	}

	erased := d1
	erased.Members, erased.Erased, erased.Note = []customer.ID{other}, 1, ""
	err = update(ctx, b, func(tx storage.Tx) error {
		if err := tx.EraseDecision(ctx, erased); err != nil {
			return err
		}
		return errBoom
	})
	if !errors.Is(err, errBoom) {
		t.Fatalf("Update returned %v, want %v", err, errBoom)
	}
	if got, err := b.SuggestionDecision(ctx, tenantA, d1.Key); wantNoErr(t, "SuggestionDecision after a rolled-back erasure", err) && got.Note != d1.Note {
		t.Errorf("decision after a rolled-back erasure = %+v, want it unchanged", got)
	}
	_, cur, err := b.Changes(ctx, tenantA, "", 1000)
	if !wantNoErr(t, "Changes", err) {
		return
	}
	if err := update(ctx, b, func(tx storage.Tx) error { return tx.EraseDecision(ctx, erased) }); err != nil {
		t.Fatalf("EraseDecision: %v", err)
	}
	if got, err := b.SuggestionDecision(ctx, tenantA, d1.Key); wantNoErr(t, "SuggestionDecision after EraseDecision", err) {
		if d := diff(erased, got); d != "" {
			t.Errorf("decision after EraseDecision: %s", d)
		}
	}
	if changes, _, err := b.Changes(ctx, tenantA, cur, 10); wantNoErr(t, "Changes after EraseDecision", err) &&
		(len(changes) != 1 || changes[0].Entity != storage.EntitySuggestionDecision || changes[0].ID != d1.Key || changes[0].Op != storage.OpUpdate) {
		t.Errorf("changes after EraseDecision = %+v, want one update of the decision", changes)
	}
	if m, err := b.MentionsOf(ctx, tenantA, cust); wantNoErr(t, "MentionsOf after EraseDecision", err) && len(m.Decisions) != 0 {
		t.Errorf("MentionsOf after the decision was erased = %v, want no decision", m.Decisions)
	}
	err = update(ctx, b, func(tx storage.Tx) error { return tx.EraseDecision(ctx, decision(third, g.customer())) })
	wantKind(t, "EraseDecision of an unknown key", err, storage.ErrNotFound)
	err = update(ctx, b, func(tx storage.Tx) error { erased.Key = ""; return tx.EraseDecision(ctx, erased) })
	wantKind(t, "EraseDecision without a key", err, storage.ErrInvalidArgument)
}

// sortedIDs returns ids in byte order, the order the backends list IDs in.
func sortedIDs[T ~[16]byte](ids ...T) []T {
	return slices.SortedFunc(slices.Values(ids), func(a, b T) int { return slices.Compare(a[:], b[:]) })
}
