package pgstore_test

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/rapportcim/rapport"
	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
	"github.com/rapportcim/rapport/storage/pgstore"
)

// recorder is a pgx tracer that keeps one example (SQL text and
// arguments) of every statement run while it is on.
type recorder struct {
	on    atomic.Bool
	mu    sync.Mutex
	stmts map[string][]any
}

func (r *recorder) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	if r.on.Load() {
		r.mu.Lock()
		if _, ok := r.stmts[d.SQL]; !ok {
			r.stmts[d.SQL] = d.Args
		}
		r.mu.Unlock()
	}
	return ctx
}

func (r *recorder) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// planNode is a node of EXPLAIN (FORMAT JSON).
type planNode struct {
	NodeType string     `json:"Node Type"`
	Relation string     `json:"Relation Name"`
	Index    string     `json:"Index Name"`
	Plans    []planNode `json:"Plans"`
}

func (n *planNode) walk(f func(*planNode)) {
	f(n)
	for i := range n.Plans {
		n.Plans[i].walk(f)
	}
}

// singleScope matches a timeline query of one scope (one customer,
// household or conversation), which must come out of its index in order.
var singleScope = regexp.MustCompile(`^SELECT occurred_at, id, doc FROM interactions WHERE tenant_id = \$1 AND (customer_id|household_id|conversation_id) = \$2`)

// TestQueryPlans records every statement pgstore runs for every Backend
// method and query variant, and for a Book story, against a loaded schema
// (tens of thousands of interactions, many tenants, statistics gathered),
// and checks its plan with EXPLAIN: no statement reads a table with a
// sequential scan, and no single-scope timeline sorts.
func TestQueryPlans(t *testing.T) {
	schema := newSchema(t)
	ctx := t.Context()
	rec := &recorder{stmts: map[string][]any{}}
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	cfg.ConnConfig.RuntimeParams["search_path"] = schema
	cfg.ConnConfig.Tracer = rec
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	b, err := pgstore.Open(ctx, "", &pgstore.Options{Pool: pool})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.Migrate(ctx); err != nil {
		t.Fatal(err)
	}

	big := load(t, b, "tenant-big", 1000, 12)
	for k := range 30 {
		load(t, b, dealer.Tenant(fmt.Sprintf("tenant-small-%02d", k)), 40, 10)
	}
	if _, err := pool.Exec(ctx, "ANALYZE"); err != nil {
		t.Fatal(err)
	}

	rec.on.Store(true)
	exercise(t, b, big)
	bookStory(t, b, big.tenant)
	rec.on.Store(false)

	// The plan walk finds a sequential scan where there is one.
	if seq := seqScans(t, pool, "SELECT doc FROM interactions WHERE kind = $1", "message"); len(seq) != 1 || seq[0] != "interactions" {
		t.Fatalf("the plan of a query on an unindexed column shows sequential scans of %v, want [interactions]", seq)
	}

	var sqls []string
	for q := range rec.stmts {
		sqls = append(sqls, q)
	}
	sort.Strings(sqls)
	checked := 0
	for _, q := range sqls {
		verb := strings.ToUpper(strings.Fields(q)[0])
		if verb != "SELECT" && verb != "UPDATE" && verb != "DELETE" && verb != "INSERT" {
			continue // BEGIN, COMMIT, ROLLBACK
		}
		var raw []byte
		if err := pool.QueryRow(ctx, "EXPLAIN (FORMAT JSON) "+q, rec.stmts[q]...).Scan(&raw); err != nil {
			t.Errorf("EXPLAIN %s: %v", q, err)
			continue
		}
		var plans []struct{ Plan planNode }
		if err := json.Unmarshal(raw, &plans); err != nil || len(plans) != 1 {
			t.Fatalf("EXPLAIN output %s: %v", raw, err)
		}
		checked++
		var seq, sorts []string
		plans[0].Plan.walk(func(n *planNode) {
			switch n.NodeType {
			case "Seq Scan":
				seq = append(seq, n.Relation)
			case "Sort", "Incremental Sort":
				sorts = append(sorts, n.NodeType)
			}
		})
		if len(seq) > 0 {
			t.Errorf("sequential scan of %v in the plan of\n  %s\nplan: %s", seq, q, raw)
		}
		if singleScope.MatchString(q) && !strings.Contains(q, "UNION") && len(sorts) > 0 {
			t.Errorf("a single-scope timeline sorts:\n  %s\nplan: %s", q, raw)
		}
	}
	if checked < 40 {
		t.Errorf("only %d statements were checked; the exercise should reach every query shape", checked)
	}
	t.Logf("%d statements checked with EXPLAIN", checked)
}

// seqScans returns the tables q's plan reads with a sequential scan.
func seqScans(t *testing.T, pool *pgxpool.Pool, q string, args ...any) []string {
	t.Helper()
	var plans []struct{ Plan planNode }
	var raw []byte
	if err := pool.QueryRow(t.Context(), "EXPLAIN (FORMAT JSON) "+q, args...).Scan(&raw); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &plans); err != nil {
		t.Fatal(err)
	}
	var seq []string
	plans[0].Plan.walk(func(n *planNode) {
		if n.NodeType == "Seq Scan" {
			seq = append(seq, n.Relation)
		}
	})
	return seq
}

// exercise calls every Backend method, with each query variant, for the
// loaded tenant: through the Backend (reads), through a Tx (reads and
// writes), and the bulk writes.
func exercise(t *testing.T, b *pgstore.Backend, l loaded) {
	t.Helper()
	ctx := t.Context()
	tenant := l.tenant
	c := l.customers[17]
	conv := l.convs[17]
	hh := l.households[1]
	reads := func(r storage.Reader) {
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		_, err := r.GetCustomer(ctx, tenant, c.ID)
		must(err)
		_, err = r.CustomersByAddress(ctx, tenant, c.ContactPoints[0].Address)
		must(err)
		_, err = r.CustomersByExternalID(ctx, tenant, "dms", c.ExternalIDs[0].Value)
		must(err)
		_, next, err := r.ListCustomers(ctx, tenant, "", 50)
		must(err)
		_, _, err = r.ListCustomers(ctx, tenant, next, 50)
		must(err)
		_, err = r.ConsentByAddress(ctx, tenant, c.ContactPoints[0].Address)
		must(err)
		_, err = r.ConsentByCustomer(ctx, tenant, c.ID)
		must(err)
		if ls, ok := r.(storage.LineSendsReader); ok {
			_, err = ls.LineSends(ctx, tenant, c.ContactPoints[0].Address, t0.Add(-24*time.Hour), t0.Add(24*time.Hour))
			must(err)
		}
		for _, q := range []storage.InteractionQuery{
			{Customers: []customer.ID{c.ID}},
			{Customers: []customer.ID{c.ID}, Channels: []channel.Kind{channel.KindSMS}, Kinds: []interaction.Kind{interaction.KindMessage, interaction.KindCall}},
			{Customers: []customer.ID{c.ID}, Since: t0, Until: t0.Add(24 * time.Hour)},
			{Household: hh.ID},
			{Conversation: conv.ID},
			{Household: hh.ID, Customers: []customer.ID{l.customers[10].ID, l.customers[11].ID}},
			{},
			{AwaitingReview: true},
			{AwaitingReview: true, Rooftops: []dealer.Rooftop{"north"}},
			{AwaitingReview: true, Customers: []customer.ID{c.ID}},
		} {
			page, next, err := r.Interactions(ctx, tenant, q, "", 5)
			must(err)
			if next != "" {
				_, _, err = r.Interactions(ctx, tenant, q, next, 5)
				must(err)
			}
			_ = page
		}
		_, err = r.GetInteraction(ctx, tenant, interaction.ID(newID()))
		if err == nil {
			t.Fatal("GetInteraction of a new ID found something")
		}
		_, err = r.GetConversation(ctx, tenant, conv.ID)
		must(err)
		_, err = r.ConversationsByCustomer(ctx, tenant, c.ID)
		must(err)
		_, err = r.ConversationsByCustomer(ctx, tenant, c.ID, interaction.ConversationStatusOpen, interaction.ConversationStatusPending)
		must(err)
		for _, q := range []storage.ConversationQuery{
			{},
			{Owner: conv.Owner},
			{Team: "bdc"},
			{Statuses: []interaction.ConversationStatus{interaction.ConversationStatusSnoozed}},
			{Owner: conv.Owner, Statuses: []interaction.ConversationStatus{interaction.ConversationStatusOpen, interaction.ConversationStatusPending}},
			{PendingHandoff: true},
			{PendingHandoff: true, Rooftops: []dealer.Rooftop{"north"}},
		} {
			_, next, err := r.Conversations(ctx, tenant, q, "", 5)
			must(err)
			if next != "" {
				_, _, err = r.Conversations(ctx, tenant, q, next, 5)
				must(err)
			}
		}
		_, err = r.GetCommitment(ctx, tenant, interaction.CommitmentID(newID()))
		if err == nil {
			t.Fatal("GetCommitment of a new ID found something")
		}
		for _, q := range []storage.CommitmentQuery{
			{},
			{Owner: conv.Owner},
			{Team: "bdc"},
			{Rooftop: "north"},
			{Customer: c.ID},
			{Owner: conv.Owner, Statuses: []interaction.CommitmentStatus{interaction.CommitmentStatusOpen}, DueBefore: t0.Add(time.Hour)},
			{Statuses: []interaction.CommitmentStatus{interaction.CommitmentStatusOpen}, DueBefore: t0.Add(time.Hour)},
			{Rooftop: "north", Team: "bdc", Statuses: []interaction.CommitmentStatus{interaction.CommitmentStatusDone}, DoneSince: t0},
		} {
			_, next, err := r.Commitments(ctx, tenant, q, "", 5)
			must(err)
			if next != "" {
				_, _, err = r.Commitments(ctx, tenant, q, next, 5)
				must(err)
			}
		}
		_, err = r.GetHousehold(ctx, tenant, hh.ID)
		must(err)
		_, err = r.HouseholdsByMember(ctx, tenant, c.ID)
		must(err)
		_, err = r.GetVehicle(ctx, tenant, household.VehicleID{})
		if err == nil {
			t.Fatal("GetVehicle of the zero ID found something")
		}
		vin, err := household.ParseVIN("1HGCM82633A004352")
		must(err)
		_, err = r.VehiclesByVIN(ctx, tenant, vin)
		must(err)
		if _, err := r.SuggestionDecision(ctx, tenant, "suggestion-key-never-decided"); err == nil {
			t.Fatal("SuggestionDecision of an undecided key found something")
		}
		_, next, err = r.Changes(ctx, tenant, "", 100)
		must(err)
		_, _, err = r.Changes(ctx, tenant, next, 100)
		must(err)
	}
	reads(b)
	err := b.Update(ctx, func(tx storage.Tx) error {
		reads(tx)
		got, err := tx.GetCustomer(ctx, tenant, c.ID)
		if err != nil {
			return err
		}
		if _, err := tx.UpdateCustomer(ctx, got); err != nil {
			return err
		}
		if _, err := tx.UpdateCustomer(ctx, got); err == nil { // stale: revision lookup
			return fmt.Errorf("stale update succeeded")
		}
		fresh := newCustomer(tenant, 5000)
		if err := tx.CreateCustomer(ctx, fresh); err != nil {
			return err
		}
		if err := tx.CreateCustomer(ctx, fresh); err == nil {
			return fmt.Errorf("duplicate create succeeded")
		}
		if err := tx.DeleteCustomer(ctx, tenant, fresh.ID, 1); err != nil {
			return err
		}
		if err := tx.AppendConsent(ctx, newEvent(tenant, c.ContactPoints[0].Address, c.ID, t0)); err != nil {
			return err
		}
		i := newInteraction(tenant, c.ID, conv.ID, hh.ID, t0)
		if err := tx.CreateInteraction(ctx, i); err != nil {
			return err
		}
		if _, err := tx.UpdateInteraction(ctx, withRevision(i, 1)); err != nil {
			return err
		}
		cv, err := tx.GetConversation(ctx, tenant, conv.ID)
		if err != nil {
			return err
		}
		if _, err := tx.UpdateConversation(ctx, cv); err != nil {
			return err
		}
		if err := tx.CreateConversation(ctx, newConversation(tenant, c.ID, t0)); err != nil {
			return err
		}
		cm := newCommitment(tenant, c.ID, t0)
		if err := tx.CreateCommitment(ctx, cm); err != nil {
			return err
		}
		cm.Revision = 1
		if _, err := tx.UpdateCommitment(ctx, cm); err != nil {
			return err
		}
		h, err := tx.GetHousehold(ctx, tenant, hh.ID)
		if err != nil {
			return err
		}
		if _, err := tx.UpdateHousehold(ctx, h); err != nil {
			return err
		}
		return tx.RecordSuggestionDecision(ctx, household.Decision{Tenant: tenant, Key: "suggestion-key-exercise",
			Members: []customer.ID{c.ID, l.customers[18].ID}, Outcome: household.OutcomeRejected, At: t0})
	})
	if err != nil {
		t.Fatalf("exercising the writes: %v", err)
	}
}

func withRevision(i interaction.Interaction, rev int64) interaction.Interaction {
	i.Revision = rev
	return i
}

// bookStory runs the Book's main entry points on the tenant.
func bookStory(t *testing.T, b storage.Backend, tenant dealer.Tenant) {
	t.Helper()
	ctx := t.Context()
	book, err := rapport.New(b, tenant, nil)
	if err != nil {
		t.Fatal(err)
	}
	jane := phone(42)
	store := phone(99)
	if _, err := book.RecordConsent(ctx, consent.Event{
		Subject: consent.Subject{Address: jane}, Channel: channel.KindSMS, Purpose: consent.PurposeMarketing,
		Action: consent.ActionGrant, Basis: consent.BasisExpressWritten, CapturedAt: t0,
		Evidence: consent.Evidence{Method: consent.MethodWebForm, DisclosureVersion: "sms-terms-v3"},
	}); err != nil {
		t.Fatal(err)
	}
	r, err := book.Receive(ctx, rapport.Inbound{From: jane, To: store, Rooftop: "north", Body: "Is the CX-5 still there?"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := book.Check(ctx, rapport.Contact{Address: jane, Channel: channel.KindSMS, Purpose: consent.PurposeMarketing, Rooftop: "north"}); err != nil {
		t.Fatal(err)
	}
	if _, err := book.Send(ctx, rapport.Outbound{Purpose: consent.PurposeService, Override: "a reply the customer asked for", Interaction: interaction.Interaction{
		Rooftop: "north", Channel: channel.KindSMS, Address: jane, Kind: interaction.KindMessage,
		Authorship: interaction.AuthorshipHuman, Body: "Yes, it is. Come by at 5?"}}); err != nil {
		t.Fatal(err)
	}
	for _, err := range book.CustomerTimeline(ctx, r.Interaction.Customer, rapport.Filter{}) {
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, err := range book.Changes(ctx, "") {
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := book.ConsentLedger(ctx, jane); err != nil {
		t.Fatal(err)
	}
	if _, err := book.CustomersByAddress(ctx, jane); err != nil {
		t.Fatal(err)
	}
}
