package storagetest

import (
	"errors"
	"testing"

	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/storage"
)

func checkTenantIsolation(t *testing.T, b storage.Backend) {
	g := new(ids)
	a := newWorld(g, tenantA, 50)
	// Tenant B has its own records, with other IDs, so that a backend that
	// ignores the tenant shows A's records where B's are expected.
	bw := newWorld(g, tenantB, 51)
	seed(t, b, a.records()...)
	seed(t, b, bw.records()...)
	// More of A, so that A's lists span several pages.
	var moreA []any
	for i := range 6 {
		c := newCustomer(tenantA, g.customer(), phone(52))
		moreA = append(moreA, c,
			newInteraction(tenantA, g.interaction(), c.ID, at(10+i)),
			newCommitment(tenantA, g.commitment(), c.ID, at(100+i)))
	}
	seed(t, b, moreA...)
	aIDs := make(map[string]bool)
	for _, r := range append(a.records(), moreA...) {
		aIDs[changeOf(r).ID] = true
	}

	t.Run("ChangeSeqsPerTenant", func(t *testing.T) {
		// A tenant's change seqs must not reveal another tenant's activity:
		// the step between two of B's changes is the same whether or not A
		// wrote in between.
		seqOf := func() int64 {
			cs := allChanges(t, b, tenantB)
			if len(cs) == 0 {
				t.Fatal("tenant B has no changes")
			}
			return cs[len(cs)-1].Seq
		}
		s0 := seqOf()
		seed(t, b, newCustomer(tenantB, g.customer(), phone(53)))
		s1 := seqOf()
		for i := range 5 {
			seed(t, b, newCustomer(tenantA, g.customer(), phone(54+i)))
		}
		seed(t, b, newCustomer(tenantB, g.customer(), phone(53)))
		s2 := seqOf()
		if s2-s1 != s1-s0 {
			t.Errorf("tenant B's seqs went %d, %d, %d: tenant A's five writes between the last two changed B's numbering "+
				"(a side channel: B can count A's writes)", s0, s1, s2)
		}
	})

	t.Run("Reads", func(t *testing.T) {
		ctx := t.Context()
		for _, r := range a.records() {
			if ag, ok := aggregateOf(r); ok {
				_, err := ag.get(ctx, b, tenantB, r)
				wantKind(t, "Get"+ag.name+" with tenant B of tenant A's ID", err, storage.ErrNotFound)
			}
		}
		wantNone := func(what string, n int, err error) {
			t.Helper()
			if wantNoErr(t, what, err) && n != 0 {
				t.Errorf("%s with tenant B found %d of tenant A's records, want none", what, n)
			}
		}
		found, err := b.CustomersByAddress(ctx, tenantB, a.addr)
		wantNone("CustomersByAddress", len(found), err)
		found, err = b.CustomersByExternalID(ctx, tenantB, "cdk", "CDK-1")
		for _, id := range found {
			if id == a.cust.ID {
				t.Errorf("CustomersByExternalID with tenant B found tenant A's customer")
			}
		}
		wantNoErr(t, "CustomersByExternalID", err)
		hhs, err := b.HouseholdsByMember(ctx, tenantB, a.cust.ID)
		wantNone("HouseholdsByMember", len(hhs), err)
		vs, err := b.VehiclesByVIN(ctx, tenantB, a.veh.VIN)
		for _, v := range vs {
			if v == a.veh.ID {
				t.Errorf("VehiclesByVIN with tenant B found tenant A's vehicle")
			}
		}
		wantNoErr(t, "VehiclesByVIN", err)
		convs, err := b.ConversationsByCustomer(ctx, tenantB, a.cust.ID)
		wantNone("ConversationsByCustomer", len(convs), err)
		evs, err := b.ConsentByAddress(ctx, tenantB, a.addr)
		wantNone("ConsentByAddress", len(evs), err)
		evs, err = b.ConsentByCustomer(ctx, tenantB, a.cust.ID)
		wantNone("ConsentByCustomer", len(evs), err)

		for _, c := range listCustomers(t, b, tenantB, 2) {
			if c.Tenant != tenantB || aIDs[c.ID.String()] {
				t.Errorf("ListCustomers with tenant B returned customer %s of tenant %q", c.ID, c.Tenant)
			}
		}
		for _, q := range []storage.InteractionQuery{
			{},
			{Customers: []customer.ID{a.cust.ID}},
			{Household: a.hh.ID},
			{Conversation: a.conv.ID},
		} {
			for _, i := range listInteractions(t, b, tenantB, q, 2) {
				if i.Tenant != tenantB || aIDs[i.ID.String()] {
					t.Errorf("Interactions(%+v) with tenant B returned interaction %s of tenant %q", q, i.ID, i.Tenant)
				}
			}
		}
		for _, q := range []storage.CommitmentQuery{{}, {Customer: a.cust.ID}} {
			for _, c := range listCommitments(t, b, tenantB, q, 2) {
				if c.Tenant != tenantB || aIDs[c.ID.String()] {
					t.Errorf("Commitments(%+v) with tenant B returned commitment %s of tenant %q", q, c.ID, c.Tenant)
				}
			}
		}
		for _, c := range allChanges(t, b, tenantB) {
			if c.Tenant != tenantB || aIDs[c.ID] {
				t.Errorf("Changes with tenant B returned %s %s %s of tenant %q", c.Entity, c.Op, c.ID, c.Tenant)
			}
		}
	})

	t.Run("Writes", func(t *testing.T) {
		ctx := t.Context()
		for _, r := range a.records() {
			ag, ok := aggregateOf(r)
			if !ok {
				continue
			}
			// A's record, relabelled as B's, at A's current revision.
			foreign := ag.touch(ag.withTenant(ag.withRev(r, 1), tenantB), "written by tenant B")
			err := update(ctx, b, func(tx storage.Tx) error {
				_, err := ag.update(ctx, tx, foreign)
				return err
			})
			wantKind(t, "Update"+ag.name+" with tenant B of tenant A's ID", err, storage.ErrNotFound)
			if ag.remove != nil {
				err := update(ctx, b, func(tx storage.Tx) error { return ag.remove(ctx, tx, tenantB, r, 1) })
				wantKind(t, "Delete"+ag.name+" with tenant B of tenant A's ID", err, storage.ErrNotFound)
			}
			got, err := ag.get(ctx, b, tenantA, r)
			if wantNoErr(t, "Get"+ag.name+" of tenant A's record after tenant B's attempts", err) {
				if d := contentDiff(ag.withRev(r, 1), got); d != "" {
					t.Errorf("tenant B's refused writes changed tenant A's %s: %s", ag.name, d)
				}
			}
			_, err = ag.get(ctx, b, tenantB, r)
			wantKind(t, "Get"+ag.name+" with tenant B after its refused writes (no upsert)", err, storage.ErrNotFound)
		}
		for _, c := range allChanges(t, b, tenantB) {
			if aIDs[c.ID] {
				t.Errorf("tenant B's refused writes left a change in its feed: %s %s %s", c.Entity, c.Op, c.ID)
			}
		}
	})

	t.Run("SameIDInTwoTenants", func(t *testing.T) {
		ctx := t.Context()
		for _, r := range a.records() {
			other := deepCopy(r)
			var note string
			if ag, ok := aggregateOf(r); ok {
				note = "tenant B's twin"
				other = ag.touch(ag.withTenant(other, tenantB), note)
			} else {
				e := other.(consent.Event)
				e.Tenant = tenantB
				e.Note = "tenant B's twin"
				other = e
			}
			err := update(ctx, b, func(tx storage.Tx) error { return put(ctx, tx, other) })
			if !wantNoErr(t, "creating in tenant B a record with the ID of one of tenant A's ("+changeOf(r).ID+")", err) {
				continue
			}
			ag, ok := aggregateOf(r)
			if !ok {
				continue
			}
			gotA, errA := ag.get(ctx, b, tenantA, r)
			gotB, errB := ag.get(ctx, b, tenantB, r)
			if wantNoErr(t, "Get"+ag.name+" tenant A", errA) {
				if d := contentDiff(ag.withRev(r, 1), gotA); d != "" {
					t.Errorf("tenant A's %s changed when tenant B created one with the same ID: %s", ag.name, d)
				}
			}
			if wantNoErr(t, "Get"+ag.name+" tenant B", errB) {
				if d := contentDiff(ag.withRev(other, 1), gotB); d != "" {
					t.Errorf("tenant B's %s with tenant A's ID: %s", ag.name, d)
				}
			}
		}
		evA, err := b.ConsentByCustomer(ctx, tenantA, a.cust.ID)
		if wantNoErr(t, "ConsentByCustomer tenant A", err) {
			if len(evA) != 1 || evA[0].Tenant != tenantA || evA[0].Note != a.event.Note {
				t.Errorf("tenant A's consent events after tenant B appended one with the same ID: %d events %+v", len(evA), evA)
			}
		}
		evB, err := b.ConsentByCustomer(ctx, tenantB, a.cust.ID)
		if wantNoErr(t, "ConsentByCustomer tenant B", err) {
			if len(evB) != 1 || evB[0].Tenant != tenantB || evB[0].Note != "tenant B's twin" {
				t.Errorf("tenant B's consent events: got %d, want its one twin event", len(evB))
			}
		}
	})

	t.Run("ForeignCursors", func(t *testing.T) {
		ctx := t.Context()
		check := func(what string, err error, tenants []dealer.Tenant, recIDs []string) {
			t.Helper()
			if err != nil {
				if !errors.Is(err, storage.ErrInvalidCursor) {
					t.Errorf("%s: replaying tenant A's cursor with tenant B: got error %v, want ErrInvalidCursor or none of A's records", what, err)
				}
				return
			}
			for i := range recIDs {
				if tenants[i] != tenantB || aIDs[recIDs[i]] {
					t.Errorf("%s: replaying tenant A's cursor with tenant B returned tenant A's record %s", what, recIDs[i])
				}
			}
		}

		_, cur, err := b.ListCustomers(ctx, tenantA, "", 2)
		if wantNoErr(t, "ListCustomers tenant A", err) && cur != "" {
			page, _, err := b.ListCustomers(ctx, tenantB, cur, 100)
			var ts []dealer.Tenant
			var rs []string
			for _, c := range page {
				ts, rs = append(ts, c.Tenant), append(rs, c.ID.String())
			}
			check("ListCustomers", err, ts, rs)
		} else if err == nil {
			t.Errorf("ListCustomers(limit 2) over %d customers returned no cursor", 7)
		}

		for _, q := range []storage.InteractionQuery{{}, {Customers: []customer.ID{a.cust.ID}}} {
			_, cur, err := b.Interactions(ctx, tenantA, q, "", 2)
			if !wantNoErr(t, "Interactions tenant A", err) || cur == "" {
				continue
			}
			page, _, err := b.Interactions(ctx, tenantB, q, cur, 100)
			var ts []dealer.Tenant
			var rs []string
			for _, i := range page {
				ts, rs = append(ts, i.Tenant), append(rs, i.ID.String())
			}
			check("Interactions", err, ts, rs)
		}

		_, cur, err = b.Commitments(ctx, tenantA, storage.CommitmentQuery{}, "", 2)
		if wantNoErr(t, "Commitments tenant A", err) && cur != "" {
			page, _, err := b.Commitments(ctx, tenantB, storage.CommitmentQuery{}, cur, 100)
			var ts []dealer.Tenant
			var rs []string
			for _, c := range page {
				ts, rs = append(ts, c.Tenant), append(rs, c.ID.String())
			}
			check("Commitments", err, ts, rs)
		}

		// A's feed cursor after its first change.
		_, cur, err = b.Changes(ctx, tenantA, "", 1)
		if wantNoErr(t, "Changes tenant A", err) {
			page, _, err := b.Changes(ctx, tenantB, cur, 1000)
			var ts []dealer.Tenant
			var rs []string
			for _, c := range page {
				ts, rs = append(ts, c.Tenant), append(rs, c.ID)
			}
			check("Changes", err, ts, rs)
		}
	})
}
