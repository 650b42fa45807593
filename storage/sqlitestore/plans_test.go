package sqlitestore

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

// TestQueryPlans runs EXPLAIN QUERY PLAN on every query the Book makes and
// checks that each reads an index, and that single-scope timelines (one
// customer, one household, one conversation) and the other ordered lists
// come out of the index in order, with no sort. The plans are logged (go
// test -v -run TestQueryPlans) for BENCHMARKS.md.
func TestQueryPlans(t *testing.T) {
	ctx := t.Context()
	b, err := Open(ctx, filepath.Join(t.TempDir(), "plans.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.Migrate(ctx); err != nil {
		t.Fatal(err)
	}

	const ten dealer.Tenant = "t"
	var id [16]byte
	id[0] = 1
	cursor := &[2]any{int64(1), id[:]}
	timeline := func(q storage.InteractionQuery, after *[2]any) (string, []any) {
		s, args, _ := timelineQuery(ten, &q, after, 51)
		return s, args
	}
	commitments := func(q storage.CommitmentQuery, after *[2]any) (string, []any) {
		return commitmentsQuery(ten, &q, after, 51)
	}
	one := []customer.ID{customer.ID(id)}
	five := []customer.ID{{1}, {2}, {3}, {4}, {5}}
	due := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

	type plan struct {
		name   string
		sql    string
		args   []any
		sorted bool // must not sort (USE TEMP B-TREE FOR ORDER BY)
	}
	var plans []plan
	add := func(name string, sorted bool, sql string, args ...any) {
		plans = append(plans, plan{name, sql, args, sorted})
	}
	addQ := func(name string, sorted bool, sql string, args []any) { add(name, sorted, sql, args...) }

	s, a := timeline(storage.InteractionQuery{Customers: one}, nil)
	addQ("customer timeline, first page", true, s, a)
	s, a = timeline(storage.InteractionQuery{Customers: one}, cursor)
	addQ("customer timeline, next page", true, s, a)
	s, a = timeline(storage.InteractionQuery{Customers: one, Channels: []channel.Kind{channel.KindSMS}, Since: due, Until: due.AddDate(1, 0, 0)}, cursor)
	addQ("customer timeline, filtered", true, s, a)
	s, a = timeline(storage.InteractionQuery{Since: due, Until: due.AddDate(1, 0, 0)}, cursor)
	addQ("tenant timeline of a range, next page", true, s, a)
	s, a = timeline(storage.InteractionQuery{Household: household.ID(id)}, cursor)
	addQ("household timeline (household scope only)", true, s, a)
	s, a = timeline(storage.InteractionQuery{Conversation: interaction.ConversationID(id)}, cursor)
	addQ("conversation timeline", true, s, a)
	s, a = timeline(storage.InteractionQuery{}, cursor)
	addQ("tenant timeline", true, s, a)
	s, a = timeline(storage.InteractionQuery{Customers: five, Household: household.ID(id)}, cursor)
	addQ("household timeline (5 members + household)", false, s, a)

	s, a = timeline(storage.InteractionQuery{AwaitingReview: true}, cursor)
	addQ("review queue", true, s, a)
	s, a = timeline(storage.InteractionQuery{AwaitingReview: true, Rooftops: []dealer.Rooftop{"north"}}, cursor)
	addQ("review queue of a rooftop", true, s, a)
	conversations := func(q storage.ConversationQuery, after *[2]any) (string, []any) {
		return conversationsQuery(ten, &q, after, 51)
	}
	open := []interaction.ConversationStatus{interaction.ConversationStatusOpen}
	s, a = conversations(storage.ConversationQuery{Owner: "ana", Statuses: open}, cursor)
	addQ("conversations by owner", true, s, a)
	s, a = conversations(storage.ConversationQuery{Team: "bdc", Statuses: open}, nil)
	addQ("conversations by team", true, s, a)
	s, a = conversations(storage.ConversationQuery{Statuses: open}, cursor)
	addQ("conversations by status", true, s, a)
	s, a = conversations(storage.ConversationQuery{PendingHandoff: true}, cursor)
	addQ("pending handoffs", true, s, a)
	s, a = conversations(storage.ConversationQuery{Rooftops: []dealer.Rooftop{"north"}}, cursor)
	addQ("conversations of a rooftop", true, s, a)

	add("get customer", false, sqlGetCustomer, string(ten), id[:])
	add("customers by address", true, sqlCustomersByAddress, string(ten), "tel:+12125550123")
	add("customers by external ID", true, sqlCustomersByExternalID, string(ten), "cdk", "42")
	add("list customers", true, sqlListCustomers, string(ten), id[:], 51)
	add("suggestion decision", false, sqlGetDecision, string(ten), "0123456789abcdef0123456789abcdef")
	add("consent by address", true, sqlConsentByAddress, string(ten), "tel:+12125550123")
	add("consent by customer", true, sqlConsentByCustomer, string(ten), id[:])
	add("changes after seq", true, sqlChanges, string(ten), 10, 100)
	add("next change seq", true, sqlNextSeq, string(ten))
	add("append a change", true, sqlInsertChange, string(ten), "interaction", "x", "create", 1)
	add("households by member", true, sqlHouseholdsByMember, string(ten), id[:])
	add("vehicles by VIN", true, sqlVehiclesByVIN, string(ten), "1HGCM82633A004352")
	add("conversations by customer", true, sqlConversationsByCustomer, string(ten), id[:])
	s, a = commitments(storage.CommitmentQuery{Owner: "ana"}, cursor)
	addQ("commitments by owner", true, s, a)
	s, a = commitments(storage.CommitmentQuery{Owner: "ana", Statuses: []interaction.CommitmentStatus{interaction.CommitmentStatusOpen}, DueBefore: due}, nil)
	addQ("overdue commitments by owner", true, s, a)
	s, a = commitments(storage.CommitmentQuery{Team: "bdc", DueBefore: due}, nil)
	addQ("overdue commitments by team", true, s, a)
	s, a = commitments(storage.CommitmentQuery{DueBefore: due}, cursor)
	addQ("commitments by due", true, s, a)
	s, a = commitments(storage.CommitmentQuery{Customer: customer.ID(id)}, nil)
	addQ("commitments by customer", true, s, a)
	s, a = commitments(storage.CommitmentQuery{Rooftop: "north", Team: "bdc", Statuses: []interaction.CommitmentStatus{interaction.CommitmentStatusDone}, DoneSince: due}, nil)
	addQ("commitments kept since (a callback queue's pace)", false, s, a)

	for _, p := range plans {
		rows, err := b.readers.QueryContext(ctx, "EXPLAIN QUERY PLAN "+p.sql, p.args...)
		if err != nil {
			t.Fatalf("%s: %v\n%s", p.name, err, p.sql)
		}
		var lines []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			lines = append(lines, detail)
		}
		rows.Close()
		plan := strings.Join(lines, "\n    ")
		t.Logf("%s:\n  %s\n    %s", p.name, p.sql, plan)

		for _, l := range lines {
			if strings.HasPrefix(l, "SCAN ") && !strings.HasPrefix(l, "SCAN (subquery") && !strings.Contains(l, "INDEX") &&
				l != "SCAN page" && l != "SCAN CONSTANT ROW" {
				t.Errorf("%s: full table scan %q", p.name, l)
			}
			if strings.HasPrefix(l, "SEARCH ") && !strings.Contains(l, "USING INDEX") &&
				!strings.Contains(l, "USING COVERING INDEX") && !strings.Contains(l, "USING INTEGER PRIMARY KEY") &&
				!strings.Contains(l, "USING PRIMARY KEY") {
				t.Errorf("%s: search without an index %q", p.name, l)
			}
		}
		if !strings.Contains(plan, "INDEX") && !strings.Contains(plan, "PRIMARY KEY") {
			t.Errorf("%s: plan uses no index", p.name)
		}
		if p.sorted && strings.Contains(plan, "TEMP B-TREE") {
			t.Errorf("%s: plan sorts (%s), want the index order", p.name, "USE TEMP B-TREE")
		}
		if strings.HasPrefix(p.name, "commitments kept since") && !strings.Contains(plan, "commitments_done") {
			t.Errorf("%s: not read from commitments_done: every commitment of the rooftop would be read", p.name)
		}
		// A page cursor must bound the index range, not only filter the
		// rows of a range bounded by something else: otherwise each page
		// scans again from the range's end, and reading a long range page
		// by page costs the square of its length.
		if m := cursorTerm.FindStringSubmatch(p.sql); m != nil {
			if want := "(" + m[1] + ",id)<(?,?)"; !strings.Contains(plan, want) {
				t.Errorf("%s: the cursor is not part of the index range (want %q in the plan)", p.name, want)
			}
		}
	}
}

// cursorTerm finds a page cursor's condition in a query.
var cursorTerm = regexp.MustCompile(`\(([a-z_.]+), id\) < \(\?, \?\)`)
