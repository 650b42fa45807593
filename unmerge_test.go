package rapport_test

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/rapportcim/rapport"
	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

func TestUnmerge(t *testing.T) {
	for _, bk := range backends {
		t.Run(bk.name, func(t *testing.T) {
			ctx := context.Background()
			m := newMergeBook(t, bk.open)
			book := m.f.book
			rec, err := book.Merge(ctx, []customer.ID{m.dms, m.lead}, rapport.Act{By: "manager-1"}, nil)
			if err != nil {
				t.Fatal(err)
			}
			// After the merge: a text on the lead's old number, and one on
			// the DMS mobile.
			onLead, err := book.RecordInteraction(ctx, interaction.Interaction{Customer: m.dms, Channel: channel.KindSMS, Address: m.other,
				Direction: interaction.DirectionInbound, Kind: interaction.KindMessage, Body: "any news?", OccurredAt: m.f.advance(time.Minute)})
			if err != nil {
				t.Fatal(err)
			}
			onDMS, err := book.RecordInteraction(ctx, interaction.Interaction{Customer: m.dms, Channel: channel.KindSMS, Address: m.mobile,
				Direction: interaction.DirectionInbound, Kind: interaction.KindMessage, Body: "service booked?", OccurredAt: m.f.advance(time.Minute)})
			if err != nil {
				t.Fatal(err)
			}
			un, err := book.Unmerge(ctx, rec.ID, rapport.Act{By: "manager-2", Reason: "not the same person"})
			if err != nil {
				t.Fatal(err)
			}
			if un.Undoes != rec.ID || un.ID != rapport.UnmergeID(rec.ID) || un.By != "manager-2" {
				t.Errorf("unmerge record = %+v", un)
			}
			lead, err := book.Customer(ctx, m.lead)
			if err != nil {
				t.Fatal(err)
			}
			if lead.Name.Middle != "María" || len(lead.ContactPoints) != 2 || lead.Revision != 1 {
				t.Errorf("restored lead = %+v", lead)
			}
			dms, err := book.Customer(ctx, m.dms)
			if err != nil {
				t.Fatal(err)
			}
			if len(dms.ContactPoints) != 1 || dms.Name.Middle != "" || dms.Revision != 3 {
				t.Errorf("restored DMS record = %+v, want its own mobile and name at revision 3", dms)
			}
			if ids, err := book.CustomersByAddress(ctx, m.other); err != nil || len(ids) != 1 || ids[0].ID != m.lead {
				t.Errorf("holders of the lead's number = %v, %v", ids, err)
			}
			for id, want := range map[interaction.ID]customer.ID{m.msg.Interaction.ID: m.lead, onLead.Interaction.ID: m.lead, onDMS.Interaction.ID: m.dms} {
				if i, err := book.Interaction(ctx, id); err != nil || i.Customer != want {
					t.Errorf("interaction %v customer = %v, %v; want %v", id, i.Customer, err, want)
				}
			}
			if c, err := book.Commitment(ctx, m.promise.ID); err != nil || c.Customer != m.lead {
				t.Errorf("commitment customer = %v, %v", c.Customer, err)
			}
			if h, err := book.Household(ctx, m.home.ID); err != nil || len(h.Members) != 1 || h.Members[0].Customer != m.lead {
				t.Errorf("household = %+v, %v", h.Members, err)
			}
			if v, err := book.Vehicle(ctx, m.car.ID); err != nil || len(v.Stakeholders) != 1 || v.Stakeholders[0].Customer != m.lead {
				t.Errorf("vehicle = %+v, %v", v.Stakeholders, err)
			}
			// The STOP still holds for the number.
			v, err := book.Check(ctx, rapport.Contact{Address: m.other, Channel: channel.KindSMS, Purpose: consent.PurposeMarketing, At: m.f.clock()})
			if err != nil || v.Consent.Allowed {
				t.Errorf("marketing text to the revoked number after the unmerge: allowed=%v, %v", v.Consent.Allowed, err)
			}
			if _, err := book.Unmerge(ctx, rec.ID, rapport.Act{}); !errors.Is(err, rapport.ErrAlreadyExists) {
				t.Errorf("second Unmerge = %v, want ErrAlreadyExists", err)
			}
			if _, err := book.Unmerge(ctx, un.ID, rapport.Act{}); !errors.Is(err, rapport.ErrNotFound) {
				t.Errorf("Unmerge of an unmerge record = %v, want ErrNotFound", err)
			}
		})
	}
}

// TestMergeUnmergeRoundTrip merges pairs of customers of generated books
// and unmerges them, on every backend: the book must read back as before
// (customers but for revision and update time, who holds each interaction,
// conversation, commitment, membership and vehicle role, and what consent
// allows on every address).
// With RAPPORT_PG_DSN set, pgstore is checked too.
func TestMergeUnmergeRoundTrip(t *testing.T) {
	bks := slices.Clone(backends)
	if os.Getenv("RAPPORT_PG_DSN") != "" {
		bks = append(bks, struct {
			name string
			open func(t *testing.T) storage.Backend
		}{"pgstore", func(t *testing.T) storage.Backend { return openPG(t) }})
	}
	dropped := 0 // entries a merge dropped as overlapping the survivor's, then restored
	t.Cleanup(func() {
		if dropped == 0 && !t.Failed() {
			t.Error("no generated merge dropped an overlapping membership or role: the round trip did not cover restoring them")
		}
	})
	for _, bk := range bks {
		for seed := uint64(1); seed <= 4; seed++ {
			t.Run(fmt.Sprintf("%s/seed=%d", bk.name, seed), func(t *testing.T) {
				ctx := context.Background()
				f := newFixture(t, bk.open, "roundtrip")
				r := rand.New(rand.NewPCG(seed, 99))
				ids, lines := generateBook(t, f, r)
				before := snapshotBook(t, f, ids, lines)
				for k := 0; k < 3; k++ {
					i, j := r.IntN(len(ids)), r.IntN(len(ids)-1)
					if j >= i {
						j++
					}
					rec, err := f.book.Merge(ctx, []customer.ID{ids[i], ids[j]}, rapport.Act{By: "manager-1"}, nil)
					if err != nil {
						t.Fatal(err)
					}
					if got := snapshotBook(t, f, ids, lines); len(got.customers) != len(ids)-1 || len(got.diff(before)) == 0 {
						t.Fatalf("merge %d left %d of %d customers and the book unchanged", k, len(got.customers), len(ids))
					}
					for _, mv := range rec.Moved {
						if mv.Dropped {
							dropped++
						}
					}
					f.advance(time.Minute)
					if _, err := f.book.Unmerge(ctx, rec.ID, rapport.Act{By: "manager-1"}); err != nil {
						t.Fatal(err)
					}
					after := snapshotBook(t, f, ids, lines)
					for _, d := range before.diff(after) {
						t.Errorf("merge %d of %v into %v and unmerge: %s", k, rec.Merged, rec.Survivor, d)
					}
				}
			})
		}
	}
}

// generateBook fills f's book with 10 customers and their history.
func generateBook(t *testing.T, f *fixture, r *rand.Rand) ([]customer.ID, []channel.Address) {
	t.Helper()
	ctx := context.Background()
	given := []string{"Ana", "Ben", "Carla", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jun"}
	var ids []customer.ID
	var lines []channel.Address
	for k, g := range given {
		phone := mustPhone(t, fmt.Sprintf("+1 212 555 01%02d", 10+k))
		mail := mustEmail(t, fmt.Sprintf("%s@example.com", g))
		c := customer.Customer{Name: customer.Name{Given: g, Family: []string{"Lima", "Reed", "Okafor"}[r.IntN(3)]},
			Source: []string{"dms", "web", "walk-in"}[r.IntN(3)],
			ContactPoints: []customer.ContactPoint{{Address: phone, Primary: true, Verified: r.IntN(2) == 0},
				{Address: mail, Primary: true}},
			Tags: []string{[]string{"vip", "service", "lead"}[r.IntN(3)]}}
		res, err := f.book.UpsertCustomer(ctx, c)
		if err != nil || !res.Created {
			t.Fatalf("customer %s: %v (created %v)", g, err, res.Created)
		}
		ids = append(ids, res.Record.ID)
		lines = append(lines, phone, mail)
		f.advance(time.Minute)
		for n := r.IntN(3); n > 0; n-- {
			if _, err := f.book.RecordInteraction(ctx, interaction.Interaction{Customer: res.Record.ID, Channel: channel.KindSMS, Address: phone,
				Direction: interaction.DirectionInbound, Kind: interaction.KindMessage, Body: "hello", OccurredAt: f.advance(time.Minute)}); err != nil {
				t.Fatal(err)
			}
		}
		if r.IntN(2) == 0 {
			if _, err := f.book.Commitments().Make(ctx, interaction.Commitment{Customer: res.Record.ID, What: "call back", Owner: "sam", Due: f.clock().Add(time.Hour)}); err != nil {
				t.Fatal(err)
			}
		}
		if r.IntN(3) == 0 {
			if _, err := f.book.RecordConsent(ctx, consent.Event{Subject: consent.Subject{Address: phone, Customer: res.Record.ID},
				Channel: channel.KindSMS, Purpose: consent.PurposeMarketing, Action: consent.ActionRevoke, CapturedAt: f.advance(time.Minute),
				Evidence: consent.Evidence{Method: consent.MethodSMSKeyword, RawText: "STOP"}}); err != nil {
				t.Fatal(err)
			}
		}
		if r.IntN(3) == 0 {
			if _, err := f.book.RecordConsent(ctx, consent.Event{Subject: consent.Subject{Address: mail, Customer: res.Record.ID},
				Channel: channel.KindEmail, Purpose: consent.PurposeMarketing, Action: consent.ActionGrant, Basis: consent.BasisExpressWritten,
				CapturedAt: f.advance(time.Minute), Evidence: consent.Evidence{Method: consent.MethodWebForm, DisclosureVersion: "v1"}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Households of two or three, some sharing members' vehicles.
	for start := 0; start < len(ids); {
		n := 2 + r.IntN(2)
		var members []household.Member
		var owners []household.Stakeholder
		for k := start; k < min(start+n, len(ids)); k++ {
			role := household.MemberRoleSpouse
			if k == start {
				role = household.MemberRolePrimary
			}
			members = append(members, household.Member{Customer: ids[k], Role: role})
			owners = append(owners, household.Stakeholder{Customer: ids[k], Role: household.StakeholderRoleCoOwner})
		}
		h, err := f.book.UpsertHousehold(ctx, household.Household{Name: fmt.Sprintf("home %d", start), Members: members})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.book.UpsertVehicle(ctx, household.Vehicle{Make: "Mazda", Model: "CX-5", Year: 2020 + start, Household: h.Record.ID, Stakeholders: owners}); err != nil {
			t.Fatal(err)
		}
		start += n
	}
	f.advance(time.Hour)
	return ids, lines
}

type bookSnapshot struct {
	customers map[customer.ID]customer.Customer
	holders   map[string]customer.ID // "interaction <id>" and the like → customer
	members   map[string][]string    // household or vehicle → its entries, sorted
	allowed   map[string]bool        // address and channel → marketing allowed
}

func snapshotBook(t *testing.T, f *fixture, ids []customer.ID, lines []channel.Address) bookSnapshot {
	t.Helper()
	ctx := context.Background()
	be, tenant := f.backend, dealer.Tenant("roundtrip")
	s := bookSnapshot{customers: map[customer.ID]customer.Customer{}, holders: map[string]customer.ID{}, members: map[string][]string{}, allowed: map[string]bool{}}
	for _, id := range ids {
		c, err := be.GetCustomer(ctx, tenant, id)
		if errors.Is(err, storage.ErrNotFound) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		c.Revision, c.UpdatedAt = 0, time.Time{}
		s.customers[id] = c
		hids, err := be.HouseholdsByMember(ctx, tenant, id)
		if err != nil {
			t.Fatal(err)
		}
		for _, hid := range hids {
			h, err := be.GetHousehold(ctx, tenant, hid)
			if err != nil {
				t.Fatal(err)
			}
			var es []string
			for _, m := range h.Members {
				es = append(es, fmt.Sprintf("%v %s %v %v", m.Customer, m.Role, m.From, m.To))
			}
			slices.Sort(es)
			s.members["household "+hid.String()] = es
			for _, vid := range h.Vehicles {
				v, err := be.GetVehicle(ctx, tenant, vid)
				if err != nil {
					t.Fatal(err)
				}
				var vs []string
				for _, st := range v.Stakeholders {
					vs = append(vs, fmt.Sprintf("%v %s %v %v", st.Customer, st.Role, st.From, st.To))
				}
				slices.Sort(vs)
				s.members["vehicle "+vid.String()] = vs
			}
		}
	}
	is, _, err := be.Interactions(ctx, tenant, storage.InteractionQuery{}, "", 10000)
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range is {
		s.holders["interaction "+i.ID.String()] = i.Customer
	}
	cs, _, err := be.Conversations(ctx, tenant, storage.ConversationQuery{}, "", 10000)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		s.holders["conversation "+c.ID.String()] = c.Customer
	}
	ms, _, err := be.Commitments(ctx, tenant, storage.CommitmentQuery{}, "", 10000)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range ms {
		s.holders["commitment "+c.ID.String()] = c.Customer
	}
	for _, line := range lines {
		k := channel.KindSMS
		if line.Scheme() == channel.SchemeMailto {
			k = channel.KindEmail
		}
		v, err := f.book.Check(ctx, rapport.Contact{Address: line, Channel: k, Purpose: consent.PurposeMarketing, At: f.clock()})
		if err != nil {
			t.Fatal(err)
		}
		s.allowed[line.String()] = v.Consent.Allowed
	}
	return s
}

// diff lists how b differs from s.
func (s bookSnapshot) diff(b bookSnapshot) []string {
	var out []string
	keys := func(m map[customer.ID]customer.Customer) []customer.ID {
		var ks []customer.ID
		for k := range m {
			ks = append(ks, k)
		}
		slices.SortFunc(ks, func(a, b customer.ID) int { return cmp.Compare(a.String(), b.String()) })
		return ks
	}
	if !slices.Equal(keys(s.customers), keys(b.customers)) {
		out = append(out, fmt.Sprintf("customers %v, want %v", keys(b.customers), keys(s.customers)))
	}
	for id, c := range s.customers {
		if got, ok := b.customers[id]; ok && !reflect.DeepEqual(got, c) {
			out = append(out, fmt.Sprintf("customer %v = %+v, want %+v", id, got, c))
		}
	}
	if !reflect.DeepEqual(s.holders, b.holders) {
		out = append(out, fmt.Sprintf("holders differ:\n got %v\nwant %v", b.holders, s.holders))
	}
	if !reflect.DeepEqual(s.members, b.members) {
		out = append(out, fmt.Sprintf("members differ:\n got %v\nwant %v", b.members, s.members))
	}
	if !reflect.DeepEqual(s.allowed, b.allowed) {
		out = append(out, fmt.Sprintf("consent differs:\n got %v\nwant %v", b.allowed, s.allowed))
	}
	return out
}
