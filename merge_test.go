package rapport_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/rapportcim/rapport"
	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

// mergeBook is a book with two records of one person: a DMS record with a
// verified mobile, and a web lead with an email and another mobile, whose
// history (an interaction and its conversation, a commitment, a household
// membership, a vehicle role, a revocation and a grant) belongs to the
// lead.
type mergeBook struct {
	f                   *fixture
	dms, lead           customer.ID
	mobile, other, mail channel.Address
	msg                 rapport.Recorded
	promise             interaction.Commitment
	home                household.Household
	car                 household.Vehicle
}

func newMergeBook(t *testing.T, open func(*testing.T) storage.Backend) *mergeBook {
	t.Helper()
	ctx := context.Background()
	m := &mergeBook{f: newFixture(t, open, "merge-test")}
	f := m.f
	m.mobile, m.other, m.mail = mustPhone(t, "+1 212 555 0123"), mustPhone(t, "+1 212 555 0145"), mustEmail(t, "ana.lima@example.com")
	r, err := f.book.UpsertCustomer(ctx, customer.Customer{Name: customer.Name{Given: "Ana", Family: "Lima"}, Source: "dms",
		ContactPoints: []customer.ContactPoint{{Address: m.mobile, Primary: true, Verified: true, VerifiedAt: f.clock()}},
		ExternalIDs:   []customer.ExternalID{{System: "cdk", Value: "C-1001"}}})
	if err != nil {
		t.Fatal(err)
	}
	m.dms = r.Record.ID
	f.advance(time.Hour)
	r, err = f.book.UpsertCustomer(ctx, customer.Customer{Name: customer.Name{Given: "Ana", Middle: "María", Family: "Lima"}, Source: "web",
		ContactPoints: []customer.ContactPoint{{Address: m.other, Primary: true}, {Address: m.mail, Primary: true}}})
	if err != nil {
		t.Fatal(err)
	}
	m.lead = r.Record.ID
	if m.msg, err = f.book.RecordInteraction(ctx, interaction.Interaction{Customer: m.lead, Channel: channel.KindSMS, Address: m.other,
		Direction: interaction.DirectionInbound, Kind: interaction.KindMessage, Body: "Is the CX-5 still there?", OccurredAt: f.advance(time.Minute)}); err != nil {
		t.Fatal(err)
	}
	if m.promise, err = f.book.Commitments().Make(ctx, interaction.Commitment{Customer: m.lead, What: "call back with a price", Owner: "sam", Due: f.clock().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.book.RecordConsent(ctx, consent.Event{Subject: consent.Subject{Address: m.other, Customer: m.lead},
		Channel: channel.KindSMS, Purpose: consent.PurposeMarketing, Action: consent.ActionRevoke,
		CapturedAt: f.advance(time.Minute), Evidence: consent.Evidence{Method: consent.MethodSMSKeyword, RawText: "STOP"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.book.RecordConsent(ctx, consent.Event{Subject: consent.Subject{Address: m.mail, Customer: m.lead},
		Channel: channel.KindEmail, Purpose: consent.PurposeMarketing, Action: consent.ActionGrant, Basis: consent.BasisExpressWritten,
		CapturedAt: f.advance(time.Minute), Evidence: consent.Evidence{Method: consent.MethodWebForm, DisclosureVersion: "v1"}}); err != nil {
		t.Fatal(err)
	}
	h, err := f.book.UpsertHousehold(ctx, household.Household{Name: "Lima", Members: []household.Member{{Customer: m.lead, Role: household.MemberRolePrimary}}})
	if err != nil {
		t.Fatal(err)
	}
	v, err := f.book.UpsertVehicle(ctx, household.Vehicle{Make: "Mazda", Model: "CX-5", Year: 2022, Household: h.Record.ID,
		Stakeholders: []household.Stakeholder{{Customer: m.lead, Role: household.StakeholderRoleOwner}}})
	if err != nil {
		t.Fatal(err)
	}
	if m.home, err = f.book.Household(ctx, h.Record.ID); err != nil {
		t.Fatal(err)
	}
	m.car = v.Record
	f.advance(time.Hour)
	return m
}

func TestMerge(t *testing.T) {
	for _, bk := range backends {
		t.Run(bk.name, func(t *testing.T) {
			ctx := context.Background()
			m := newMergeBook(t, bk.open)
			book := m.f.book
			rules := &customer.Survivorship{Sources: []string{"dms", "web"}, Fields: map[customer.Field]customer.Rule{customer.FieldOrigin: customer.RulePriority}}
			act := rapport.Act{By: "manager-1", Reason: "same person: same name, lead from the web"}

			var changesBefore int
			for _, err := range book.Changes(ctx, "") {
				if err != nil {
					t.Fatal(err)
				}
				changesBefore++
			}

			// The dry run shows the result and what would move, and writes
			// nothing.
			plan, err := book.Merge(ctx, []customer.ID{m.lead, m.dms}, act, &rapport.MergeOptions{Rules: rules, DryRun: true})
			if err != nil {
				t.Fatal(err)
			}
			if !plan.ID.IsZero() || plan.Survivor != m.dms || !slices.Equal(plan.Merged, []customer.ID{m.lead}) {
				t.Errorf("dry run: ID %v survivor %v merged %v; want no ID, the DMS record (created first) surviving the lead", plan.ID, plan.Survivor, plan.Merged)
			}
			moves := map[string]int{}
			for _, mv := range plan.Moved {
				moves[mv.Entity]++
			}
			// Making the commitment logged an interaction too: every one
			// on the lead's timeline moves.
			var timeline int
			for _, err := range book.CustomerTimeline(ctx, m.lead, rapport.Filter{}) {
				if err != nil {
					t.Fatal(err)
				}
				timeline++
			}
			want := map[string]int{"interaction": timeline, "conversation": 1, "commitment": 1, "household": 1, "vehicle": 1, "consent": 1}
			for k, n := range want {
				if moves[k] != n {
					t.Errorf("dry run moves %d %s records, want %d (all moves: %+v)", moves[k], k, n, plan.Moved)
				}
			}
			if plan.After.Name.Middle != "María" || plan.After.Source != "dms" {
				t.Errorf("dry run result: name %+v source %q; want the newer fuller name and the DMS source by priority", plan.After.Name, plan.After.Source)
			}
			if _, err := book.Customer(ctx, m.lead); err != nil {
				t.Errorf("the dry run removed the lead: %v", err)
			}
			if i, err := book.Interaction(ctx, m.msg.Interaction.ID); err != nil || i.Customer != m.lead {
				t.Errorf("the dry run moved the interaction: %v %v", i.Customer, err)
			}
			var changesAfterDry int
			for _, err := range book.Changes(ctx, "") {
				if err != nil {
					t.Fatal(err)
				}
				changesAfterDry++
			}
			if changesAfterDry != changesBefore {
				t.Errorf("the dry run emitted %d changes", changesAfterDry-changesBefore)
			}

			rec, err := book.Merge(ctx, []customer.ID{m.lead, m.dms}, act, &rapport.MergeOptions{Rules: rules})
			if err != nil {
				t.Fatal(err)
			}
			if rec.ID.IsZero() || rec.By != act.By || rec.Reason != act.Reason || len(rec.Before) != 2 || rec.Before[0].ID != m.dms {
				t.Errorf("merge record = %+v", rec)
			}
			stored, err := m.f.backend.GetMerge(ctx, "merge-test", rec.ID)
			if err != nil || stored.Survivor != m.dms || len(stored.Moved) != len(rec.Moved) {
				t.Errorf("stored merge record: %+v, %v", stored, err)
			}

			// The survivor has everything; the lead is gone.
			got, err := book.Customer(ctx, m.dms)
			if err != nil {
				t.Fatal(err)
			}
			if len(got.ContactPoints) != 3 || got.Revision != 2 || got.ExternalID("cdk") != "C-1001" {
				t.Errorf("survivor = %+v", got)
			}
			for _, cp := range got.ContactPoints {
				if cp.Address.Scheme() == channel.SchemeTel && cp.Primary != (cp.Address == m.mobile) {
					t.Errorf("%v primary = %v: the verified mobile must stay primary", cp.Address, cp.Primary)
				}
			}
			if _, err := book.Customer(ctx, m.lead); !errors.Is(err, rapport.ErrNotFound) {
				t.Errorf("merged lead still readable: %v", err)
			}
			if i, err := book.Interaction(ctx, m.msg.Interaction.ID); err != nil || i.Customer != m.dms {
				t.Errorf("interaction customer = %v, %v; want the survivor", i.Customer, err)
			}
			if c, err := book.Conversation(ctx, m.msg.Conversation.ID); err != nil || c.Customer != m.dms {
				t.Errorf("conversation customer = %v, %v; want the survivor", c.Customer, err)
			}
			if c, err := book.Commitment(ctx, m.promise.ID); err != nil || c.Customer != m.dms {
				t.Errorf("commitment customer = %v, %v; want the survivor", c.Customer, err)
			}
			if h, err := book.Household(ctx, m.home.ID); err != nil || len(h.Members) != 1 || h.Members[0].Customer != m.dms || h.Members[0].Role != household.MemberRolePrimary {
				t.Errorf("household members = %+v, %v; want the survivor as primary", h.Members, err)
			}
			if v, err := book.Vehicle(ctx, m.car.ID); err != nil || len(v.Stakeholders) != 1 || v.Stakeholders[0].Customer != m.dms {
				t.Errorf("vehicle stakeholders = %+v, %v; want the survivor", v.Stakeholders, err)
			}

			// Consent is not weakened: the STOP on the lead's number holds
			// for the survivor, and is listed under the survivor; the email
			// grant stays on the email and does not reach the phones.
			v, err := book.Check(ctx, rapport.Contact{Address: m.other, Channel: channel.KindSMS, Purpose: consent.PurposeMarketing, Customer: m.dms, At: m.f.clock()})
			if err != nil || v.Consent.Allowed {
				t.Errorf("marketing text to the revoked number after the merge: allowed=%v, %v", v.Consent.Allowed, err)
			}
			led, err := book.CustomerConsent(ctx, m.dms)
			if err != nil {
				t.Fatal(err)
			}
			if len(led) != 1 || led[0].Action != consent.ActionRevoke || led[0].Subject.Address != m.other {
				t.Errorf("survivor's consent = %+v, want the repeated revocation only", led)
			}
			v, err = book.Check(ctx, rapport.Contact{Address: m.mobile, Channel: channel.KindSMS, Purpose: consent.PurposeMarketing, Customer: m.dms, At: m.f.clock()})
			if err != nil || v.Consent.Allowed {
				t.Errorf("the email grant reached the mobile: allowed=%v, %v", v.Consent.Allowed, err)
			}

			// Changes: the merge emitted a merge record change among others.
			var sawMerge, sawDelete bool
			for c, err := range book.Changes(ctx, "") {
				if err != nil {
					t.Fatal(err)
				}
				sawMerge = sawMerge || c.Entity == "merge" && c.ID == rec.ID.String()
				sawDelete = sawDelete || c.Entity == "customer" && c.Op == "delete" && c.ID == m.lead.String()
			}
			if !sawMerge || !sawDelete {
				t.Errorf("change feed: merge record %v, lead deleted %v", sawMerge, sawDelete)
			}
		})
	}
}

func TestMergeRefuses(t *testing.T) {
	ctx := context.Background()
	m := newMergeBook(t, backends[0].open)
	book := m.f.book
	var ve *customer.ValidationError
	for _, tc := range []struct {
		ids   []customer.ID
		opts  *rapport.MergeOptions
		field string
	}{
		{[]customer.ID{m.dms}, nil, "ids"},
		{[]customer.ID{m.dms, m.dms}, nil, "ids[1]"},
		{[]customer.ID{m.dms, {}}, nil, "ids[1]"},
		{[]customer.ID{m.dms, m.lead}, &rapport.MergeOptions{Survivor: customer.ID{9}}, "survivor"},
	} {
		_, err := book.Merge(ctx, tc.ids, rapport.Act{}, tc.opts)
		if !errors.As(err, &ve) || ve.Field != tc.field {
			t.Errorf("Merge(%v) = %v, want a validation error on %q", tc.ids, err, tc.field)
		}
	}
	_, err := book.Merge(ctx, []customer.ID{m.dms, m.lead}, rapport.Act{}, &rapport.MergeOptions{Rules: &customer.Survivorship{Default: "loudest"}})
	if !errors.As(err, &ve) || ve.Field != "rules.default" {
		t.Errorf("Merge with an unknown rule = %v, want a validation error on rules.default", err)
	}
	if _, err := book.Merge(ctx, []customer.ID{m.dms, {7}}, rapport.Act{}, nil); !errors.Is(err, rapport.ErrNotFound) {
		t.Errorf("Merge with an unknown customer = %v, want ErrNotFound", err)
	}
	if _, err := book.Customer(ctx, m.lead); err != nil {
		t.Errorf("a refused merge changed the book: %v", err)
	}
}
