package storagetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

// matchInteraction is the reference reading of storage.InteractionQuery.
func matchInteraction(q storage.InteractionQuery, i interaction.Interaction) bool {
	scoped := len(q.Customers) > 0 || !q.Household.IsZero() || !q.Conversation.IsZero()
	if scoped {
		in := (!i.Customer.IsZero() && slices.Contains(q.Customers, i.Customer)) ||
			(!q.Household.IsZero() && i.Household == q.Household) ||
			(!q.Conversation.IsZero() && i.Conversation == q.Conversation)
		if !in {
			return false
		}
	}
	if len(q.Channels) > 0 && !slices.Contains(q.Channels, i.Channel) {
		return false
	}
	if len(q.Kinds) > 0 && !slices.Contains(q.Kinds, i.Kind) {
		return false
	}
	if len(q.Rooftops) > 0 && !slices.Contains(q.Rooftops, i.Rooftop) {
		return false
	}
	if !q.Since.IsZero() && i.OccurredAt.Before(q.Since) {
		return false
	}
	if !q.Until.IsZero() && !i.OccurredAt.Before(q.Until) {
		return false
	}
	if q.AwaitingReview && !i.AwaitingReview() {
		return false
	}
	return true
}

func checkTimelines(t *testing.T, b storage.Backend) {
	const tenant = dealer.Tenant("tenant-timelines")
	c1, c2, c3 := customer.ID(rawID(1)), customer.ID(rawID(2)), customer.ID(rawID(3))
	hh := household.ID(rawID(4))
	conv := interaction.ConversationID(rawID(5))
	seed(t, b, newCustomer(tenant, c1, phone(40)), newCustomer(tenant, c2, phone(41)),
		newCustomer(tenant, c3, phone(42)), newHousehold(tenant, hh, c1, c2),
		newConversation(tenant, conv, c1, at(0)))

	mk := func(n uint64, cust customer.ID, h household.ID, cv interaction.ConversationID,
		ch channel.Kind, kind interaction.Kind, roof dealer.Rooftop, when time.Time) interaction.Interaction {
		i := newInteraction(tenant, interaction.ID(rawID(n)), cust, when)
		i.Household, i.Conversation, i.Channel, i.Kind, i.Rooftop = h, cv, ch, kind, roof
		switch ch {
		case channel.KindEmail:
			i.Address = email("timeline")
		case channel.KindSMS, channel.KindVoice:
		default:
			i.Address = channel.Address{}
		}
		return i
	}
	none := household.ID{}
	noConv := interaction.ConversationID{}
	all := []interaction.Interaction{
		mk(105, c1, none, conv, channel.KindSMS, interaction.KindMessage, north, at(10)),
		mk(103, c1, none, conv, channel.KindSMS, interaction.KindMessage, north, at(10)), // tie with 105
		mk(110, c1, hh, noConv, channel.KindVoice, interaction.KindCall, south, at(20)),
		mk(101, c2, none, noConv, channel.KindEmail, interaction.KindEmail, north, at(10)), // tie with 105, 103
		mk(120, customer.ID{}, hh, noConv, "", interaction.KindNote, "", at(30)),           // about the household only
		mk(130, c3, none, noConv, channel.KindSMS, interaction.KindMessage, south, at(40)),
		mk(102, c3, hh, noConv, channel.KindWebChat, interaction.KindChat, north, at(5)),
		mk(111, c2, hh, noConv, channel.KindSMS, "hologram", north, at(20)), // tie with 110
		mk(100, c1, none, noConv, channel.KindInPerson, interaction.KindVisit, north, at(0)),
		mk(104, c1, hh, conv, channel.KindSMS, interaction.KindMessage, south, at(10)), // in two scopes
	}
	// Stored out of timeline order, in two transactions.
	var recs []any
	for _, i := range all {
		recs = append(recs, i)
	}
	seed(t, b, recs[5:]...)
	seed(t, b, recs[:5]...)
	// Another tenant's interaction with the same customer ID must not show.
	seed(t, b, newInteraction(tenantB, interaction.ID(rawID(106)), c1, at(10)))

	ny := time.FixedZone("UTC-5", -5*60*60)
	queries := []struct {
		name string
		q    storage.InteractionQuery
	}{
		{"Customer", storage.InteractionQuery{Customers: []customer.ID{c1}}},
		{"Customers", storage.InteractionQuery{Customers: []customer.ID{c1, c2}}},
		{"Household", storage.InteractionQuery{Household: hh}},
		{"HouseholdTimeline", storage.InteractionQuery{Customers: []customer.ID{c1, c2}, Household: hh}},
		{"Conversation", storage.InteractionQuery{Conversation: conv}},
		{"Everything", storage.InteractionQuery{}},
		{"Channel", storage.InteractionQuery{Channels: []channel.Kind{channel.KindSMS}}},
		{"Channels", storage.InteractionQuery{Channels: []channel.Kind{channel.KindSMS, channel.KindEmail}}},
		{"Kinds", storage.InteractionQuery{Kinds: []interaction.Kind{interaction.KindCall, "hologram"}}},
		{"Rooftop", storage.InteractionQuery{Rooftops: []dealer.Rooftop{north}}},
		{"Since", storage.InteractionQuery{Since: at(10)}},
		{"Until", storage.InteractionQuery{Until: at(20)}},
		{"SinceUntil", storage.InteractionQuery{Since: at(10), Until: at(20)}},
		{"SinceUntilOtherZone", storage.InteractionQuery{Since: at(10).In(ny), Until: at(20).In(ny)}},
		{"EmptyRange", storage.InteractionQuery{Since: at(20), Until: at(20)}},
		{"Combined", storage.InteractionQuery{
			Customers: []customer.ID{c1, c2}, Household: hh,
			Channels: []channel.Kind{channel.KindSMS}, Rooftops: []dealer.Rooftop{north},
			Since: at(5), Until: at(30),
		}},
		{"NoMatch", storage.InteractionQuery{Customers: []customer.ID{customer.ID(rawID(999))}}},
	}
	for _, tc := range queries {
		t.Run(tc.name, func(t *testing.T) {
			var want []interaction.ID
			for _, i := range all {
				if matchInteraction(tc.q, i) {
					want = append(want, i.ID)
				}
			}
			slices.SortFunc(want, func(x, y interaction.ID) int {
				ix := slices.IndexFunc(all, func(i interaction.Interaction) bool { return i.ID == x })
				iy := slices.IndexFunc(all, func(i interaction.Interaction) bool { return i.ID == y })
				if newer(all[ix], all[iy]) {
					return -1
				}
				return 1
			})
			for _, limit := range []int{0, 1, 2, 3} {
				var got []interaction.ID
				whole := listInteractions(t, b, tenant, tc.q, limit)
				for _, i := range whole {
					got = append(got, i.ID)
				}
				wantIDs(t, fmt.Sprintf("Interactions(%s, limit %d)", tc.name, limit), want, got, nil)
				checkHeads(t, b, tenant, tc.q, limit, whole)
			}
		})
	}
}

// checkHeads requires a storage.HeadReader to page through the heads of
// exactly the records Interactions gives, and to take its cursors.
func checkHeads(t *testing.T, b storage.Backend, tenant dealer.Tenant, q storage.InteractionQuery, limit int, whole []interaction.Interaction) {
	t.Helper()
	hr, ok := b.(storage.HeadReader)
	if !ok {
		return
	}
	var want []interaction.Head
	for k := range whole {
		want = append(want, whole[k].Head())
	}
	var got []interaction.Head
	var after storage.Cursor
	for range maxPages {
		page, next, err := hr.InteractionHeads(t.Context(), tenant, q, after, limit)
		if err != nil {
			t.Errorf("InteractionHeads(%q, %d): %v", after, limit, err)
			return
		}
		got = append(got, page...)
		if next == "" {
			break
		}
		after = next
	}
	if d := diff(want, got); d != "" {
		t.Errorf("InteractionHeads (limit %d) are not the heads of Interactions: %s", limit, d)
	}
	// A cursor of Interactions continues InteractionHeads.
	if limit == 1 && len(whole) > 1 {
		_, next, err := b.Interactions(t.Context(), tenant, q, "", 1)
		if err != nil {
			t.Fatal(err)
		}
		rest, _, err := hr.InteractionHeads(t.Context(), tenant, q, next, 1)
		if err != nil || len(rest) != 1 || rest[0] != want[1] {
			t.Errorf("InteractionHeads after a cursor of Interactions: %+v, %v; want %+v", rest, err, want[1])
		}
	}
}

// matchCommitment is the reference reading of storage.CommitmentQuery.
func matchCommitment(q storage.CommitmentQuery, c interaction.Commitment) bool {
	return (q.Owner == "" || c.Owner == q.Owner) &&
		(q.Team == "" || c.Team == q.Team) &&
		(q.Rooftop == "" || c.Rooftop == q.Rooftop) &&
		(q.Customer.IsZero() || c.Customer == q.Customer) &&
		(len(q.Statuses) == 0 || slices.Contains(q.Statuses, c.Status)) &&
		(q.DueBefore.IsZero() || c.Due.Before(q.DueBefore)) &&
		(q.DoneSince.IsZero() || !c.DoneAt.IsZero() && !c.DoneAt.Before(q.DoneSince))
}

func checkCommitmentsAndConversations(t *testing.T, b storage.Backend) {
	const tenant = dealer.Tenant("tenant-queries")
	c1, c2, c3 := customer.ID(rawID(1)), customer.ID(rawID(2)), customer.ID(rawID(3))

	t.Run("Commitments", func(t *testing.T) {
		mk := func(n uint64, cust customer.ID, owner dealer.Staff, team dealer.Team, roof dealer.Rooftop,
			due time.Time, st interaction.CommitmentStatus) interaction.Commitment {
			c := newCommitment(tenant, interaction.CommitmentID(rawID(n)), cust, due)
			c.Owner, c.Team, c.Rooftop, c.Status = owner, team, roof, st
			switch st {
			case interaction.CommitmentStatusDone:
				c.DoneAt = due
			case interaction.CommitmentStatusHandedOff:
				c.HandedOffTo = cy
			case interaction.CommitmentStatusCancelled:
				c.CancelReason = "bought elsewhere"
			}
			return c
		}
		open, done := interaction.CommitmentStatusOpen, interaction.CommitmentStatusDone
		late := mk(19, c2, ben, bdc, south, at(10), done)
		late.DoneAt = at(100) // kept long after it was due
		all := []interaction.Commitment{
			late,
			mk(20, c3, ana, bdc, north, at(70), done),
			mk(16, c1, ana, sales, north, at(60), open),
			mk(12, c1, ana, "", north, at(60), done), // ties on Due
			mk(13, c2, ben, sales, south, at(30), interaction.CommitmentStatusHandedOff),
			mk(14, c2, "", service, north, at(90), open),
			mk(15, c3, ana, "", south, at(120), interaction.CommitmentStatusCancelled),
			mk(11, c1, ben, bdc, north, at(60), open),
			mk(17, c3, cy, bdc, north, at(-30), "on_hold"),
		}
		var recs []any
		for _, c := range all {
			recs = append(recs, c)
		}
		seed(t, b, recs...)
		seed(t, b, newCommitment(tenantB, interaction.CommitmentID(rawID(18)), c1, at(0)))

		queries := []struct {
			name string
			q    storage.CommitmentQuery
		}{
			{"All", storage.CommitmentQuery{}},
			{"Owner", storage.CommitmentQuery{Owner: ana}},
			{"Team", storage.CommitmentQuery{Team: sales}},
			{"Rooftop", storage.CommitmentQuery{Rooftop: north}},
			{"Customer", storage.CommitmentQuery{Customer: c1}},
			{"Status", storage.CommitmentQuery{Statuses: []interaction.CommitmentStatus{open}}},
			{"Statuses", storage.CommitmentQuery{Statuses: []interaction.CommitmentStatus{open, interaction.CommitmentStatusHandedOff, "on_hold"}}},
			{"DueBefore", storage.CommitmentQuery{DueBefore: at(60)}},
			{"Overdue", storage.CommitmentQuery{Owner: ana, Statuses: []interaction.CommitmentStatus{open, done}, DueBefore: at(61)}},
			{"TeamAndRooftop", storage.CommitmentQuery{Team: bdc, Rooftop: north}},
			{"DoneSince", storage.CommitmentQuery{DoneSince: at(65)}},
			{"DoneSinceAtRooftop", storage.CommitmentQuery{Rooftop: north, Statuses: []interaction.CommitmentStatus{done}, DoneSince: at(60)}},
			{"NoMatch", storage.CommitmentQuery{Owner: "staff-nobody"}},
		}
		for _, tc := range queries {
			var want []interaction.CommitmentID
			var wantC []interaction.Commitment
			for _, c := range all {
				if matchCommitment(tc.q, c) {
					wantC = append(wantC, c)
				}
			}
			slices.SortFunc(wantC, func(x, y interaction.Commitment) int {
				if dueFirst(x, y) {
					return -1
				}
				return 1
			})
			for _, c := range wantC {
				want = append(want, c.ID)
			}
			for _, limit := range []int{0, 1, 2} {
				var got []interaction.CommitmentID
				for _, c := range listCommitments(t, b, tenant, tc.q, limit) {
					got = append(got, c.ID)
				}
				wantIDs(t, fmt.Sprintf("Commitments(%s, limit %d)", tc.name, limit), want, got, nil)
			}
		}
	})

	t.Run("ConversationsByCustomer", func(t *testing.T) {
		ctx := t.Context()
		// IDs, creation order and OpenedAt agree, so that "oldest first"
		// means the same by any of them.
		mk := func(n uint64, cust customer.ID, st interaction.ConversationStatus, opened time.Time) interaction.Conversation {
			c := newConversation(tenant, interaction.ConversationID(rawID(n)), cust, opened)
			c.Status = st
			switch st {
			case interaction.ConversationStatusResolved:
				c.ResolvedAt = opened.Add(time.Minute)
			case interaction.ConversationStatusClosed:
				c.ClosedAt = opened.Add(time.Minute)
			case interaction.ConversationStatusSnoozed:
				c.SnoozedUntil = opened.Add(time.Hour)
			}
			return c
		}
		v1 := mk(21, c1, interaction.ConversationStatusOpen, at(0))
		v2 := mk(22, c1, interaction.ConversationStatusResolved, at(10))
		v3 := mk(23, c2, interaction.ConversationStatusOpen, at(15))
		v4 := mk(24, c1, interaction.ConversationStatusSnoozed, at(20))
		v5 := mk(25, c1, interaction.ConversationStatusClosed, at(30))
		v6 := mk(26, c1, interaction.ConversationStatusPending, at(40))
		for _, v := range []interaction.Conversation{v1, v2, v3, v4, v5, v6} {
			seed(t, b, v)
		}
		seed(t, b, newConversation(tenantB, interaction.ConversationID(rawID(27)), c1, at(50)))

		byCustomer := func(c customer.ID, statuses []interaction.ConversationStatus, want ...interaction.Conversation) {
			t.Helper()
			got, err := b.ConversationsByCustomer(ctx, tenant, c, statuses...)
			var wantIDs, gotIDs []uint64
			for _, v := range want {
				wantIDs = append(wantIDs, idNum(v.ID))
			}
			for _, v := range got {
				gotIDs = append(gotIDs, idNum(v.ID))
			}
			what := fmt.Sprintf("ConversationsByCustomer(%d, %v)", idNum(c), statuses)
			if wantNoErr(t, what, err) && !slices.Equal(wantIDs, gotIDs) {
				t.Errorf("%s = %v, want %v (oldest first)", what, gotIDs, wantIDs)
			}
		}
		byCustomer(c1, nil, v1, v2, v4, v5, v6)
		byCustomer(c1, []interaction.ConversationStatus{interaction.ConversationStatusOpen, interaction.ConversationStatusSnoozed}, v1, v4)
		byCustomer(c1, []interaction.ConversationStatus{interaction.ConversationStatusClosed}, v5)
		byCustomer(c2, nil, v3)
		byCustomer(c2, []interaction.ConversationStatus{interaction.ConversationStatusClosed})
		byCustomer(c3, nil)
		// A status change moves a conversation in and out of the filter.
		v1.Revision = 1
		v1.Status = interaction.ConversationStatusClosed
		v1.ClosedAt = at(50)
		mustUpdateConversation(t, b, v1)
		byCustomer(c1, []interaction.ConversationStatus{interaction.ConversationStatusOpen})
		byCustomer(c1, []interaction.ConversationStatus{interaction.ConversationStatusClosed}, v1, v5)
	})
}

func mustUpdateConversation(t *testing.T, b storage.Backend, c interaction.Conversation) {
	t.Helper()
	if err := b.Update(t.Context(), func(tx storage.Tx) error {
		_, err := tx.UpdateConversation(t.Context(), c)
		return err
	}); err != nil {
		t.Fatalf("setup: UpdateConversation: %v", err)
	}
}
