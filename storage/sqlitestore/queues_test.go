package sqlitestore_test

import (
	"cmp"
	"database/sql"
	"encoding/json"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
	"github.com/rapportcim/rapport/storage/sqlitestore"
)

func testConversation(n uint64, cust customer.ID, opened time.Time) interaction.Conversation {
	return interaction.Conversation{
		ID:        interaction.ConversationID(seqID(5, n)),
		Tenant:    tenant,
		Rooftop:   "north",
		Customer:  cust,
		Channel:   channel.KindSMS,
		Status:    interaction.ConversationStatusOpen,
		OpenedAt:  opened,
		CreatedAt: opened,
		UpdatedAt: opened,
	}
}

// variedConversations returns conversations with every combination of the
// ConversationQuery fields, several opened at the same instant.
func variedConversations() []interaction.Conversation {
	var out []interaction.Conversation
	owners := []dealer.Staff{"", "ana", "ben"}
	teams := []dealer.Team{"", "bdc"}
	statuses := []interaction.ConversationStatus{interaction.ConversationStatusOpen, interaction.ConversationStatusPending, "archived"}
	rooftops := []dealer.Rooftop{"north", "south"}
	for n := range 72 {
		c := testConversation(uint64(n+1), customer.ID(seqID(1, uint64(n%5+1))), t0.Add(time.Duration(n/3)*time.Minute))
		c.Owner = owners[n%3]
		c.Team = teams[n/3%2]
		c.Status = statuses[n/6%3]
		c.Rooftop = rooftops[n/18%2]
		if n%4 == 0 {
			c.PendingHandoff = &interaction.Handoff{To: "ben", Reason: "trade-in question", At: c.OpenedAt}
		}
		out = append(out, c)
	}
	return out
}

func matchesConversation(c *interaction.Conversation, q *storage.ConversationQuery) bool {
	return (q.Owner == "" || c.Owner == q.Owner) && (q.Team == "" || c.Team == q.Team) &&
		(len(q.Rooftops) == 0 || slices.Contains(q.Rooftops, c.Rooftop)) &&
		(len(q.Statuses) == 0 || slices.Contains(q.Statuses, c.Status)) &&
		(!q.PendingHandoff || c.PendingHandoff != nil)
}

func TestConversations(t *testing.T) {
	b := newTestBackend(t, nil)
	ctx := t.Context()
	all := variedConversations()
	err := b.Update(ctx, func(tx storage.Tx) error {
		for _, c := range all {
			if err := tx.CreateConversation(ctx, c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for k := range all {
		all[k].Revision = 1
	}
	slices.SortFunc(all, func(a, b interaction.Conversation) int {
		return cmp.Or(a.OpenedAt.Compare(b.OpenedAt), slices.Compare(a.ID[:], b.ID[:]))
	})
	queries := []storage.ConversationQuery{
		{},
		{Owner: "ana"},
		{Owner: "ana", Statuses: []interaction.ConversationStatus{interaction.ConversationStatusOpen}},
		{Team: "bdc", Statuses: []interaction.ConversationStatus{interaction.ConversationStatusOpen, "archived"}},
		{Rooftops: []dealer.Rooftop{"south"}},
		{PendingHandoff: true},
		{PendingHandoff: true, Owner: "ben", Rooftops: []dealer.Rooftop{"north", "south"}},
		{Owner: "nobody"},
	}
	for _, q := range queries {
		t.Run(fmt.Sprintf("%+v", q), func(t *testing.T) {
			var want []interaction.Conversation
			for k := range all {
				if matchesConversation(&all[k], &q) {
					want = append(want, all[k])
				}
			}
			for _, limit := range []int{1, 5, 0} {
				var got []interaction.Conversation
				var cur storage.Cursor
				for pages := 0; ; pages++ {
					page, next, err := b.Conversations(ctx, tenant, q, cur, limit)
					if err != nil {
						t.Fatal(err)
					}
					got = append(got, page...)
					if next == "" {
						break
					}
					if pages > 100 {
						t.Fatal("no last page")
					}
					cur = next
				}
				if len(got) != len(want) {
					t.Fatalf("limit %d: %d conversations, want %d", limit, len(got), len(want))
				}
				for k := range got {
					if got[k].ID != want[k].ID || got[k].PendingHandoff != nil != (want[k].PendingHandoff != nil) {
						t.Fatalf("limit %d: [%d] = %v, want %v", limit, k, got[k].ID, want[k].ID)
					}
				}
			}
		})
	}
	// The indexed columns follow updates.
	c := all[0]
	c.Owner, c.PendingHandoff = "zoe", nil
	if err := b.Update(ctx, func(tx storage.Tx) error { _, err := tx.UpdateConversation(ctx, c); return err }); err != nil {
		t.Fatal(err)
	}
	got, _, err := b.Conversations(ctx, tenant, storage.ConversationQuery{Owner: "zoe"}, "", 0)
	if err != nil || len(got) != 1 || got[0].ID != c.ID || got[0].Revision != 2 {
		t.Errorf("after reassigning: %v, %v", got, err)
	}
	// A cursor of another list is refused.
	_, next, _ := b.Conversations(ctx, tenant, storage.ConversationQuery{}, "", 1)
	if _, _, err := b.Commitments(ctx, tenant, storage.CommitmentQuery{}, next, 1); err == nil {
		t.Error("a conversations cursor was accepted by Commitments")
	}
}

func flagged(i interaction.Interaction, reviewed bool) interaction.Interaction {
	f := interaction.Flag{Reason: interaction.FlagReasonManual, FlaggedAt: i.OccurredAt, FlaggedBy: "mia"}
	if reviewed {
		f.ReviewedBy, f.ReviewedAt = "max", i.OccurredAt.Add(time.Hour)
	}
	i.Flags = append(i.Flags, f)
	return i
}

func TestReviewQueue(t *testing.T) {
	b := newTestBackend(t, nil)
	ctx := t.Context()
	cust := customer.ID(seqID(1, 1))
	var is []interaction.Interaction
	for n := range 30 {
		i := testInteraction(uint64(n+1), cust, t0.Add(time.Duration(n)*time.Minute))
		switch n % 3 {
		case 0:
			i = flagged(i, false)
		case 1:
			i = flagged(flagged(i, true), n%2 == 0)
		}
		if n%5 == 0 {
			i.Rooftop = "south"
		}
		is = append(is, i)
	}
	if err := b.BulkCreateInteractions(ctx, is[:15]); err != nil {
		t.Fatal(err)
	}
	err := b.Update(ctx, func(tx storage.Tx) error {
		for _, i := range is[15:] {
			if err := tx.CreateInteraction(ctx, i); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	queue := func(q storage.InteractionQuery) []interaction.ID {
		t.Helper()
		q.AwaitingReview = true
		page, _, err := b.Interactions(ctx, tenant, q, "", 1000)
		if err != nil {
			t.Fatal(err)
		}
		var ids []interaction.ID
		for _, i := range page {
			ids = append(ids, i.ID)
		}
		return ids
	}
	want := func(keep func(i *interaction.Interaction) bool) []interaction.ID {
		var ids []interaction.ID
		for k := len(is) - 1; k >= 0; k-- {
			if is[k].AwaitingReview() && keep(&is[k]) {
				ids = append(ids, is[k].ID)
			}
		}
		return ids
	}
	for _, tc := range []struct {
		name string
		q    storage.InteractionQuery
		keep func(*interaction.Interaction) bool
	}{
		{"tenant", storage.InteractionQuery{}, func(*interaction.Interaction) bool { return true }},
		{"rooftop", storage.InteractionQuery{Rooftops: []dealer.Rooftop{"south"}}, func(i *interaction.Interaction) bool { return i.Rooftop == "south" }},
		{"customer", storage.InteractionQuery{Customers: []customer.ID{cust}}, func(*interaction.Interaction) bool { return true }},
	} {
		if got, w := queue(tc.q), want(tc.keep); !slices.Equal(got, w) || len(w) == 0 {
			t.Errorf("%s review queue = %v, want %v", tc.name, got, w)
		}
	}
	// Reviewing the last flag takes an interaction out of the queue.
	first := queue(storage.InteractionQuery{})[0]
	err = b.Update(ctx, func(tx storage.Tx) error {
		i, err := tx.GetInteraction(ctx, tenant, first)
		if err != nil {
			return err
		}
		for k := range i.Flags {
			i.Flags[k].ReviewedBy, i.Flags[k].ReviewedAt = "max", i.OccurredAt.Add(time.Hour)
		}
		_, err = tx.UpdateInteraction(ctx, i)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(queue(storage.InteractionQuery{}), first) {
		t.Error("a reviewed interaction is still in the queue")
	}
}

// TestMigrateBackfills writes records to a file at schema version 1, as a
// released version 1 would have, and checks that Migrate fills the columns
// version 2 indexes from the stored documents.
func TestMigrateBackfills(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "v1.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	script, err := fs.ReadFile(sqlitestore.Migrations, "migrations/0001_init.sql")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(string(script) + "; PRAGMA user_version = 1"); err != nil {
		t.Fatal(err)
	}
	all := variedConversations()
	for _, c := range all {
		c.Revision = 1
		doc, _ := json.Marshal(c)
		if _, err := db.Exec(`INSERT INTO conversations (tenant_id, id, customer_id, status, opened_at, revision, doc) VALUES (?, ?, ?, ?, ?, 1, ?)`,
			string(c.Tenant), c.ID[:], c.Customer[:], string(c.Status), c.OpenedAt.UnixMicro(), doc); err != nil {
			t.Fatal(err)
		}
	}
	var is []interaction.Interaction
	for n := range 6 {
		i := testInteraction(uint64(n+1), customer.ID(seqID(1, 1)), t0.Add(time.Duration(n)*time.Minute))
		switch n % 3 {
		case 0:
			i = flagged(i, false)
		case 1:
			i = flagged(i, true)
		}
		i.Revision = 1
		is = append(is, i)
		doc, _ := json.Marshal(i)
		if _, err := db.Exec(`INSERT INTO interactions (tenant_id, id, customer_id, occurred_at, channel, kind, rooftop, revision, doc) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?)`,
			string(i.Tenant), i.ID[:], i.Customer[:], i.OccurredAt.UnixMicro(), string(i.Channel), string(i.Kind), string(i.Rooftop), doc); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	b, err := sqlitestore.Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	for _, q := range []storage.ConversationQuery{{Owner: "ana"}, {Team: "bdc"}, {Rooftops: []dealer.Rooftop{"south"}}, {PendingHandoff: true}} {
		var want int
		for k := range all {
			if matchesConversation(&all[k], &q) {
				want++
			}
		}
		got, _, err := b.Conversations(ctx, tenant, q, "", 1000)
		if err != nil || len(got) != want || want == 0 {
			t.Errorf("after Migrate, Conversations(%+v): %d, %v; want %d", q, len(got), err, want)
		}
	}
	got, _, err := b.Interactions(ctx, tenant, storage.InteractionQuery{AwaitingReview: true}, "", 100)
	if err != nil || len(got) != 2 || got[0].ID != is[3].ID || got[1].ID != is[0].ID {
		t.Errorf("after Migrate, the review queue holds %d interactions (%v), want 2", len(got), err)
	}
}
