package storagetest

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

// matchConversation is the reference reading of storage.ConversationQuery.
func matchConversation(q storage.ConversationQuery, c interaction.Conversation) bool {
	return (len(q.Rooftops) == 0 || slices.Contains(q.Rooftops, c.Rooftop)) &&
		(q.Owner == "" || c.Owner == q.Owner) &&
		(q.Team == "" || c.Team == q.Team) &&
		(len(q.Statuses) == 0 || slices.Contains(q.Statuses, c.Status)) &&
		(!q.PendingHandoff || c.PendingHandoff != nil)
}

// openedFirst reports whether a comes before b in a conversation list:
// oldest OpenedAt first, ties broken by ID.
func openedFirst(a, b interaction.Conversation) bool {
	if !a.OpenedAt.Equal(b.OpenedAt) {
		return a.OpenedAt.Before(b.OpenedAt)
	}
	return bytes.Compare(a.ID[:], b.ID[:]) < 0
}

func checkConversationLists(t *testing.T, b storage.Backend) {
	const tenant = dealer.Tenant("tenant-conversations")
	c1, c2, c3 := customer.ID(rawID(1)), customer.ID(rawID(2)), customer.ID(rawID(3))
	open, pending := interaction.ConversationStatusOpen, interaction.ConversationStatusPending
	snoozed, resolved := interaction.ConversationStatusSnoozed, interaction.ConversationStatusResolved
	closed := interaction.ConversationStatusClosed

	mk := func(n uint64, cust customer.ID, roof dealer.Rooftop, owner dealer.Staff, team dealer.Team,
		st interaction.ConversationStatus, opened time.Time, handoff bool) interaction.Conversation {
		c := newConversation(tenant, interaction.ConversationID(rawID(n)), cust, opened)
		c.Rooftop, c.Owner, c.Team, c.Status = roof, owner, team, st
		switch st {
		case resolved:
			c.ResolvedAt = opened.Add(time.Minute)
		case closed:
			c.ClosedAt = opened.Add(time.Minute)
		case snoozed:
			c.SnoozedUntil = opened.Add(time.Hour)
		case pending:
			c.Owner, c.Handler = "", "bot-7"
		}
		if handoff {
			c.PendingHandoff = &interaction.Handoff{From: c.Owner, To: ben, Team: service, Reason: "service question", At: opened.Add(time.Minute)}
		}
		return c
	}
	all := []interaction.Conversation{
		mk(40, c1, north, ana, sales, open, at(10), false),
		mk(38, c1, north, ana, sales, open, at(10), true), // tie with 40
		mk(31, c2, south, ben, sales, snoozed, at(20), false),
		mk(45, c3, north, "", bdc, pending, at(0), true),
		mk(33, c2, "", cy, service, resolved, at(30), false), // no rooftop named
		mk(36, c3, south, ana, "", open, at(-10), true),
		mk(39, c1, north, ben, bdc, closed, at(10), false), // tie with 40, 38
		mk(32, c2, south, ana, sales, "escalated", at(40), false),
		mk(47, c3, north, cy, service, snoozed, at(5), true),
		mk(34, c1, south, ben, sales, open, at(50), false),
	}
	// Stored out of list order, in two transactions.
	var recs []any
	for _, c := range all {
		recs = append(recs, c)
	}
	seed(t, b, recs[4:]...)
	seed(t, b, recs[:4]...)
	// Tenant B holds conversations with the same IDs, matching every query
	// below, and one of its own; none may show in tenant's lists.
	var twins []any
	for _, c := range all {
		c.Tenant = tenantB
		twins = append(twins, c)
	}
	own := mk(99, c1, north, ana, sales, open, at(-100), true)
	own.Tenant = tenantB
	twins = append(twins, own)
	seed(t, b, twins...)

	// want returns the IDs of the conversations of cs matching q, in list
	// order.
	want := func(cs []interaction.Conversation, q storage.ConversationQuery) []interaction.ConversationID {
		var match []interaction.Conversation
		for _, c := range cs {
			if matchConversation(q, c) {
				match = append(match, c)
			}
		}
		slices.SortFunc(match, func(x, y interaction.Conversation) int {
			if openedFirst(x, y) {
				return -1
			}
			return 1
		})
		var ids []interaction.ConversationID
		for _, c := range match {
			ids = append(ids, c.ID)
		}
		return ids
	}
	queries := []struct {
		name string
		q    storage.ConversationQuery
	}{
		{"All", storage.ConversationQuery{}},
		{"Rooftop", storage.ConversationQuery{Rooftops: []dealer.Rooftop{north}}},
		{"Rooftops", storage.ConversationQuery{Rooftops: []dealer.Rooftop{north, south}}},
		{"Owner", storage.ConversationQuery{Owner: ana}},
		{"Team", storage.ConversationQuery{Team: sales}},
		{"Status", storage.ConversationQuery{Statuses: []interaction.ConversationStatus{snoozed}}},
		{"Statuses", storage.ConversationQuery{Statuses: []interaction.ConversationStatus{open, pending, "escalated"}}},
		{"PendingHandoff", storage.ConversationQuery{PendingHandoff: true}},
		{"PendingHandoffAtRooftops", storage.ConversationQuery{PendingHandoff: true, Rooftops: []dealer.Rooftop{north, south}}},
		{"OwnerInbox", storage.ConversationQuery{Owner: ana, Statuses: []interaction.ConversationStatus{open, snoozed}, Rooftops: []dealer.Rooftop{north}}},
		{"TeamQueue", storage.ConversationQuery{Team: sales, Statuses: []interaction.ConversationStatus{open}, PendingHandoff: true}},
		{"OwnerAndTeam", storage.ConversationQuery{Owner: ben, Team: bdc}},
		{"NoMatch", storage.ConversationQuery{Owner: "staff-nobody"}},
		{"UnknownRooftop", storage.ConversationQuery{Rooftops: []dealer.Rooftop{"west"}}},
	}
	for _, tc := range queries {
		t.Run(tc.name, func(t *testing.T) {
			w := want(all, tc.q)
			if tc.name != "NoMatch" && tc.name != "UnknownRooftop" && len(w) == 0 {
				t.Fatalf("fixture: %s matches nothing", tc.name)
			}
			for _, limit := range []int{0, 1, 2, 3} {
				var got []interaction.ConversationID
				for _, c := range listConversations(t, b, tenant, tc.q, limit) {
					if c.Tenant != tenant {
						t.Errorf("Conversations(%s, limit %d) of %s returned a conversation of %s", tc.name, limit, tenant, c.Tenant)
					}
					got = append(got, c.ID)
				}
				wantIDs(t, fmt.Sprintf("Conversations(%s, limit %d)", tc.name, limit), w, got, nil)
			}
		})
	}

	t.Run("Content", func(t *testing.T) {
		// The records of a list are the stored records, whole.
		for _, c := range listConversations(t, b, tenant, storage.ConversationQuery{}, 4) {
			k := slices.IndexFunc(all, func(x interaction.Conversation) bool { return x.ID == c.ID })
			if k < 0 {
				continue // reported by the queries above
			}
			stored := all[k]
			stored.Revision = 1
			if d := contentDiff(stored, c); d != "" {
				t.Errorf("Conversations returned conversation %d: %s", idNum(c.ID), d)
			}
		}
	})

	t.Run("OtherTenant", func(t *testing.T) {
		// Tenant B's own list holds its twins and its own conversation.
		var bs []interaction.Conversation
		for _, r := range twins {
			bs = append(bs, r.(interaction.Conversation))
		}
		q := storage.ConversationQuery{Owner: ana}
		var got []interaction.ConversationID
		for _, c := range listConversations(t, b, tenantB, q, 2) {
			if c.Tenant != tenantB {
				t.Errorf("Conversations of %s returned a conversation of %s", tenantB, c.Tenant)
			}
			got = append(got, c.ID)
		}
		wantIDs(t, "Conversations(tenant B, Owner)", want(bs, q), got, nil)
		// Empty tenant: nothing, and the empty cursor.
		page, cur, err := b.Conversations(t.Context(), "tenant-nothing", storage.ConversationQuery{}, "", 10)
		if wantNoErr(t, "Conversations of an empty tenant", err) && (len(page) != 0 || cur != "") {
			t.Errorf("Conversations of an empty tenant: %d conversations, cursor %q; want none and the empty cursor", len(page), cur)
		}
	})

	t.Run("Cursors", func(t *testing.T) {
		ctx := t.Context()
		q := storage.ConversationQuery{Owner: ana}
		first, cur, err := b.Conversations(ctx, tenant, q, "", 1)
		if !wantNoErr(t, "Conversations first page", err) {
			return
		}
		if cur == "" || len(first) != 1 {
			t.Fatalf("Conversations(limit 1) over %d matches: %d records, cursor %q", len(want(all, q)), len(first), cur)
		}
		// A's cursor, replayed with tenant B (which holds the same IDs and
		// matching records), must be refused, not page into either tenant.
		page, _, err := b.Conversations(ctx, tenantB, q, cur, 100)
		wantKind(t, "Conversations with another tenant's cursor", err, storage.ErrInvalidCursor)
		if len(page) != 0 {
			t.Errorf("Conversations with another tenant's cursor returned %d conversations", len(page))
		}
		// The cursor names a position, not a query: it works with another
		// query of the same list (the next matches after that position).
		rest := want(all, storage.ConversationQuery{})
		rest = rest[slices.Index(rest, first[0].ID)+1:]
		var got []interaction.ConversationID
		after := cur
		for range maxPages {
			page, next, err := b.Conversations(ctx, tenant, storage.ConversationQuery{}, after, 3)
			if !wantNoErr(t, "Conversations after a cursor", err) {
				break
			}
			for _, c := range page {
				got = append(got, c.ID)
			}
			if next == "" {
				break
			}
			after = next
		}
		wantIDs(t, "Conversations(All) after the first Owner match", rest, got, nil)
		// Cursors of the commitments list hold the same kind of position
		// and must still be refused, both ways.
		seed(t, b, newCommitment(tenant, interaction.CommitmentID(rawID(60)), c1, at(0)),
			newCommitment(tenant, interaction.CommitmentID(rawID(61)), c1, at(1)))
		_, commitCur, err := b.Commitments(ctx, tenant, storage.CommitmentQuery{}, "", 1)
		if wantNoErr(t, "Commitments first page", err) && commitCur != "" {
			_, _, err := b.Conversations(ctx, tenant, storage.ConversationQuery{}, commitCur, 10)
			wantKind(t, "Conversations with a cursor from Commitments", err, storage.ErrInvalidCursor)
		}
		_, _, err = b.Commitments(ctx, tenant, storage.CommitmentQuery{}, cur, 10)
		wantKind(t, "Commitments with a cursor from Conversations", err, storage.ErrInvalidCursor)
		for _, bad := range []storage.Cursor{"not a cursor!", "AAAA", cur + "x"} {
			_, _, err := b.Conversations(ctx, tenant, q, bad, 10)
			wantKind(t, "Conversations with the malformed cursor "+string(bad), err, storage.ErrInvalidCursor)
		}
	})

	t.Run("Limits", func(t *testing.T) {
		// 105 conversations of one owner, in a tenant of their own: the
		// default page and the cap.
		const tenant = dealer.Tenant("tenant-conversations-many")
		const owner = dealer.Staff("staff-many")
		var many []any
		for k := range 105 {
			c := mk(uint64(1000+k), c1, north, owner, sales, open, at(100+k%7), false)
			c.Tenant = tenant
			many = append(many, c)
		}
		seed(t, b, many...)
		ctx := t.Context()
		q := storage.ConversationQuery{Owner: owner}
		for _, limit := range []int{0, -1} {
			page, cur, err := b.Conversations(ctx, tenant, q, "", limit)
			if limit < 0 && err != nil {
				wantKind(t, "Conversations(limit -1)", err, storage.ErrInvalidArgument)
				continue
			}
			if !wantNoErr(t, fmt.Sprintf("Conversations(limit %d)", limit), err) {
				continue
			}
			if len(page) != 100 || cur == "" {
				t.Errorf("Conversations(limit %d) of 105: %d records, cursor %q; want the default page of 100 and a cursor", limit, len(page), cur)
				continue
			}
			page, cur, err = b.Conversations(ctx, tenant, q, cur, limit)
			if wantNoErr(t, "Conversations second page", err) && (len(page) != 5 || cur != "") {
				t.Errorf("Conversations(limit %d) second page: %d records, cursor %q; want the last 5 and the empty cursor", limit, len(page), cur)
			}
		}
		page, _, err := b.Conversations(ctx, tenant, q, "", 5000)
		if wantNoErr(t, "Conversations(limit 5000)", err) && len(page) != 105 {
			t.Errorf("Conversations(limit 5000) of 105: %d records, want all of them (a limit over 1000 is capped, not refused)", len(page))
		}
	})

	t.Run("Updates", func(t *testing.T) {
		ctx := t.Context()
		// Changing the filtered fields moves a conversation in and out of
		// the lists; changing OpenedAt moves it along them; a rolled-back
		// change leaves every list as it was.
		check := func(what string) {
			t.Helper()
			for _, tc := range queries {
				got := listConversations(t, b, tenant, tc.q, 2)
				var ids []interaction.ConversationID
				for _, c := range got {
					ids = append(ids, c.ID)
				}
				wantIDs(t, fmt.Sprintf("%s: Conversations(%s)", what, tc.name), want(all, tc.q), ids, nil)
			}
		}
		change := func(k int, edit func(c *interaction.Conversation)) interaction.Conversation {
			c := all[k]
			c.Revision = 1
			edit(&c)
			return c
		}
		updates := []interaction.Conversation{
			change(0, func(c *interaction.Conversation) { c.Owner, c.Team, c.Rooftop = cy, bdc, south }),
			change(1, func(c *interaction.Conversation) { c.PendingHandoff = nil; c.Owner = ben }),
			change(2, func(c *interaction.Conversation) { c.Status, c.SnoozedUntil = open, time.Time{} }),
			change(4, func(c *interaction.Conversation) {
				c.PendingHandoff = &interaction.Handoff{From: cy, To: ana, Reason: "back from leave", At: at(31)}
			}),
			change(9, func(c *interaction.Conversation) { c.OpenedAt = at(-20) }), // moves to the front
			change(3, func(c *interaction.Conversation) { c.OpenedAt = at(10) }),  // joins the tie at at(10), last by ID
		}
		err := update(ctx, b, func(tx storage.Tx) error {
			for _, c := range updates {
				if _, err := tx.UpdateConversation(ctx, c); err != nil {
					return err
				}
			}
			return errBoom
		})
		if err != errBoom {
			t.Fatalf("setup: Update returning an error: got %v, want fn's error", err)
		}
		check("after a rolled-back update")
		mustUpdate(t, b, func(ctx context.Context, tx storage.Tx) error {
			for _, c := range updates {
				if _, err := tx.UpdateConversation(ctx, c); err != nil {
					return err
				}
			}
			return nil
		})
		for _, c := range updates {
			k := slices.IndexFunc(all, func(x interaction.Conversation) bool { return x.ID == c.ID })
			all[k] = c
		}
		check("after updates")
	})
}

func checkReviewQueue(t *testing.T, b storage.Backend) {
	const tenant = dealer.Tenant("tenant-review")
	c1, c2, c3 := customer.ID(rawID(1)), customer.ID(rawID(2)), customer.ID(rawID(3))
	hh := household.ID(rawID(4))
	seed(t, b, newHousehold(tenant, hh, c1, c2))

	unreviewed := func(when time.Time) interaction.Flag {
		return interaction.Flag{Reason: interaction.FlagReasonSensitiveData, FlaggedAt: when}
	}
	reviewed := func(when time.Time) interaction.Flag {
		return interaction.Flag{Reason: interaction.FlagReasonManual, FlaggedAt: when, FlaggedBy: cy,
			ReviewedBy: ana, ReviewedAt: when.Add(time.Hour), Note: "fine"}
	}
	mk := func(n uint64, cust customer.ID, h household.ID, roof dealer.Rooftop, when time.Time, flags ...interaction.Flag) interaction.Interaction {
		i := newInteraction(tenant, interaction.ID(rawID(n)), cust, when)
		i.Household, i.Rooftop, i.Flags = h, roof, flags
		return i
	}
	byOnly := reviewed(at(3))
	byOnly.ReviewedAt = time.Time{} // reviewed: it has a reviewer
	atOnly := reviewed(at(3))
	atOnly.ReviewedBy = "" // reviewed: it has a review time
	all := []interaction.Interaction{
		mk(110, c1, hh, north, at(10), unreviewed(at(10))),
		mk(108, c1, hh, north, at(10), unreviewed(at(10))), // tie with 110
		mk(120, c1, noHousehold, south, at(20), reviewed(at(20))),
		mk(105, c2, hh, north, at(5), reviewed(at(5)), unreviewed(at(6))), // one of two reviewed
		mk(130, c2, noHousehold, south, at(30), unreviewed(at(30))),
		mk(140, c3, noHousehold, north, at(40)),                     // no flag
		mk(101, customer.ID{}, hh, north, at(1), unreviewed(at(1))), // about the household only
		mk(103, c3, noHousehold, south, at(3), byOnly),
		mk(104, c3, noHousehold, north, at(3), atOnly),
		mk(150, c3, noHousehold, "", at(50), unreviewed(at(50)), unreviewed(at(51))), // no rooftop named
	}
	// Created one by one and in bulk: both must set the queue.
	var recs []any
	for _, i := range all[:5] {
		recs = append(recs, i)
	}
	seed(t, b, recs...)
	if bw, ok := b.(storage.BulkWriter); ok {
		if err := bw.BulkCreateInteractions(t.Context(), all[5:]); err != nil {
			t.Fatalf("setup: BulkCreateInteractions: %v", err)
		}
	} else {
		recs = recs[:0]
		for _, i := range all[5:] {
			recs = append(recs, i)
		}
		seed(t, b, recs...)
	}
	// Another tenant's flagged interactions, with the same customer and
	// interaction IDs, must not show.
	twin := all[0]
	twin.Tenant = tenantB
	own := mk(111, c1, noHousehold, north, at(11), unreviewed(at(11)))
	own.Tenant = tenantB
	seed(t, b, twin, own)
	queue := func(q storage.InteractionQuery) storage.InteractionQuery { q.AwaitingReview = true; return q }
	queries := []struct {
		name string
		q    storage.InteractionQuery
	}{
		{"Tenant", queue(storage.InteractionQuery{})},
		{"Rooftop", queue(storage.InteractionQuery{Rooftops: []dealer.Rooftop{north}})},
		{"Rooftops", queue(storage.InteractionQuery{Rooftops: []dealer.Rooftop{north, south}})},
		{"Customer", queue(storage.InteractionQuery{Customers: []customer.ID{c1}})},
		{"Customers", queue(storage.InteractionQuery{Customers: []customer.ID{c1, c2, c3}})},
		{"CustomersAtRooftop", queue(storage.InteractionQuery{Customers: []customer.ID{c1, c2}, Rooftops: []dealer.Rooftop{south}})},
		{"HouseholdTimeline", queue(storage.InteractionQuery{Customers: []customer.ID{c1, c2}, Household: hh})},
		{"Since", queue(storage.InteractionQuery{Rooftops: []dealer.Rooftop{north}, Since: at(5)})},
		{"NotFlagged", queue(storage.InteractionQuery{Customers: []customer.ID{customer.ID(rawID(999))}})},
	}
	check := func(t *testing.T, what string) {
		t.Helper()
		for _, tc := range queries {
			var w []interaction.ID
			var match []interaction.Interaction
			for _, i := range all {
				if matchInteraction(tc.q, i) {
					match = append(match, i)
				}
			}
			slices.SortFunc(match, func(x, y interaction.Interaction) int {
				if newer(x, y) {
					return -1
				}
				return 1
			})
			for _, i := range match {
				w = append(w, i.ID)
			}
			for _, limit := range []int{0, 1, 2} {
				var got []interaction.ID
				for _, i := range listInteractions(t, b, tenant, tc.q, limit) {
					if i.Tenant != tenant {
						t.Errorf("%s: Interactions(%s) of %s returned an interaction of %s", what, tc.name, tenant, i.Tenant)
					}
					got = append(got, i.ID)
				}
				wantIDs(t, fmt.Sprintf("%s: Interactions(%s, limit %d)", what, tc.name, limit), w, got, nil)
			}
		}
	}
	t.Run("Created", func(t *testing.T) {
		for _, i := range all {
			if want := slices.Contains([]uint64{110, 108, 105, 130, 101, 150}, idNum(i.ID)); i.AwaitingReview() != want {
				t.Fatalf("fixture %d: AwaitingReview() = %t, want %t", idNum(i.ID), i.AwaitingReview(), want)
			}
		}
		check(t, "as created")
	})

	// setFlags stores all[k] with flags through tx.
	setFlags := func(ctx context.Context, tx storage.Tx, k int, flags []interaction.Flag) (interaction.Interaction, error) {
		i, err := tx.GetInteraction(ctx, tenant, all[k].ID)
		if err != nil {
			return i, err
		}
		i.Flags = flags
		rev, err := tx.UpdateInteraction(ctx, i)
		i.Revision = rev
		return i, err
	}
	find := func(n uint64) int {
		return slices.IndexFunc(all, func(i interaction.Interaction) bool { return idNum(i.ID) == n })
	}

	t.Run("FlagAdded", func(t *testing.T) {
		ctx := t.Context()
		k := find(140) // c3, north, no flag
		flags := []interaction.Flag{unreviewed(at(41))}
		// Rolled back: no trace, even though the transaction saw it.
		err := update(ctx, b, func(tx storage.Tx) error {
			if _, err := setFlags(ctx, tx, k, flags); err != nil {
				return err
			}
			page, _, err := tx.Interactions(ctx, tenant, queue(storage.InteractionQuery{Customers: []customer.ID{c3}}), "", 10)
			if err != nil {
				return err
			}
			if !slices.ContainsFunc(page, func(i interaction.Interaction) bool { return i.ID == all[k].ID }) {
				t.Errorf("inside the transaction that flagged interaction %d, the review queue does not hold it", idNum(all[k].ID))
			}
			return errBoom
		})
		if err != errBoom {
			t.Fatalf("setup: Update returning an error: got %v, want fn's error", err)
		}
		check(t, "after a rolled-back flag")
		mustUpdate(t, b, func(ctx context.Context, tx storage.Tx) error {
			i, err := setFlags(ctx, tx, k, flags)
			all[k] = i
			return err
		})
		check(t, "after a flag was added by an update")
	})

	t.Run("Reviewed", func(t *testing.T) {
		// Reviewing the last unreviewed flag takes an interaction out;
		// reviewing one of two keeps it in.
		for _, n := range []uint64{105, 140, 150} {
			k := find(n)
			flags := slices.Clone(all[k].Flags)
			last := len(flags) - 1
			flags[last].ReviewedBy, flags[last].ReviewedAt = ana, flags[last].FlaggedAt.Add(time.Hour)
			mustUpdate(t, b, func(ctx context.Context, tx storage.Tx) error {
				i, err := setFlags(ctx, tx, k, flags)
				all[k] = i
				return err
			})
			check(t, fmt.Sprintf("after reviewing a flag of interaction %d", n))
		}
		if !all[find(150)].AwaitingReview() || all[find(105)].AwaitingReview() || all[find(140)].AwaitingReview() {
			t.Fatal("fixture: reviews did not leave 150 alone awaiting review")
		}
	})

	t.Run("Moved", func(t *testing.T) {
		// An interaction awaiting review that moves (another time, rooftop
		// or customer) moves in the queue.
		k := find(108)
		mustUpdate(t, b, func(ctx context.Context, tx storage.Tx) error {
			i, err := tx.GetInteraction(ctx, tenant, all[k].ID)
			if err != nil {
				return err
			}
			i.OccurredAt, i.Rooftop, i.Customer = at(60), south, c2
			rev, err := tx.UpdateInteraction(ctx, i)
			i.Revision = rev
			all[k] = i
			return err
		})
		check(t, "after moving an interaction awaiting review")
	})
}

var noHousehold household.ID
