package rapport_test

import (
	"bytes"
	"context"
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/rapportcim/rapport"
	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage/sqlitestore"
)

var testErasureKey = []byte("rapport-test-erasure-key-32-bytes-long!!")

// The erased person's values: none may be left anywhere after erasure.
var erasedValues = []string{"Quackenbush", "Zebulon", "2125550187", "zebulon.q@example.com", "Wrenfield Lane", "QUACKTRADE", "198.51.100.77"}

// eraseScenario fills book with a person (a duplicate of her merged in,
// an interaction, a commitment, a STOP, a web-form grant, a household and
// a vehicle) and a neighbour, erases her, and checks what the Book shows.
func eraseScenario(t *testing.T, f *fixture) {
	t.Helper()
	ctx := context.Background()
	book := f.book
	mobile, mail := mustPhone(t, "+1 212 555 0187"), mustEmail(t, "zebulon.q@example.com")
	home := []customer.PostalAddress{{Lines: []string{"14 Wrenfield Lane"}, Locality: "New York", Region: "NY", PostalCode: "10001", Country: "US"}}
	r, err := book.UpsertCustomer(ctx, customer.Customer{Name: customer.Name{Given: "Zebulon", Family: "Quackenbush"}, PostalAddresses: home,
		ContactPoints: []customer.ContactPoint{{Address: mobile, Primary: true}}})
	if err != nil {
		t.Fatal(err)
	}
	zeb := r.Record.ID
	r, err = book.UpsertCustomer(ctx, customer.Customer{Name: customer.Name{Full: "ZEB QUACKENBUSH"}, Source: "dms",
		ContactPoints: []customer.ContactPoint{{Address: mail}}, ExternalIDs: []customer.ExternalID{{System: "cdk", Value: "QUACKTRADE"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := book.Merge(ctx, []customer.ID{zeb, r.Record.ID}, rapport.Act{By: "manager-1"}, nil); err != nil {
		t.Fatal(err)
	}
	neighbour, err := book.UpsertCustomer(ctx, customer.Customer{Name: customer.Name{Given: "Ann", Family: "Lee"},
		ContactPoints: []customer.ContactPoint{{Address: mustPhone(t, "+1 212 555 0111")}}})
	if err != nil {
		t.Fatal(err)
	}
	msg, err := book.RecordInteraction(ctx, interaction.Interaction{Customer: zeb, Channel: channel.KindSMS, Address: mobile,
		Direction: interaction.DirectionInbound, Kind: interaction.KindMessage, Body: "Quackenbush here, my trade-in QUACKTRADE", OccurredAt: f.advance(time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := book.Commitments().Make(ctx, interaction.Commitment{Customer: zeb, What: "call Zebulon about the trade", Owner: "sam", Due: f.clock().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if _, err := book.RecordConsent(ctx, consent.Event{Subject: consent.Subject{Address: mobile, Customer: zeb}, Channel: channel.KindSMS,
		Purpose: consent.PurposeMarketing, Action: consent.ActionRevoke, CapturedAt: f.advance(time.Minute),
		Evidence: consent.Evidence{Method: consent.MethodSMSKeyword, RawText: "STOP Quackenbush"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := book.RecordConsent(ctx, consent.Event{Subject: consent.Subject{Address: mail, Customer: zeb}, Channel: channel.KindEmail,
		Purpose: consent.PurposeMarketing, Action: consent.ActionGrant, Basis: consent.BasisExpressWritten, CapturedAt: f.advance(time.Minute),
		Note: "Zebulon signed at the desk", Evidence: consent.Evidence{Method: consent.MethodWebForm, DisclosureVersion: "v1", IP: mustIP(t, "198.51.100.77")}}); err != nil {
		t.Fatal(err)
	}
	h, err := book.UpsertHousehold(ctx, household.Household{Name: "Quackenbush", Members: []household.Member{{Customer: zeb}, {Customer: neighbour.Record.ID}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := book.UpsertVehicle(ctx, household.Vehicle{Make: "Mazda", Model: "CX-5", Year: 2022, Household: h.Record.ID,
		Stakeholders: []household.Stakeholder{{Customer: zeb, Role: household.StakeholderRoleOwner}}}); err != nil {
		t.Fatal(err)
	}
	// Records of others that name her: a truck the neighbour owns and she
	// drives, the neighbour's referral of her, a rejected household
	// suggestion; and staff's words about her: a review flag, a handoff.
	truck, err := book.UpsertVehicle(ctx, household.Vehicle{Make: "Ford", Model: "F-150", Year: 2019,
		Stakeholders: []household.Stakeholder{{Customer: neighbour.Record.ID, Role: household.StakeholderRoleOwner}, {Customer: zeb, Role: household.StakeholderRoleDriver}}})
	if err != nil {
		t.Fatal(err)
	}
	ref, err := book.RecordInteraction(ctx, interaction.Interaction{Customer: neighbour.Record.ID, Kind: interaction.KindReferral, Direction: interaction.DirectionInbound,
		Referral: &interaction.Referral{Referrer: neighbour.Record.ID, Referred: zeb}, Subject: "Referral: Zebulon Quackenbush",
		Body: "Ann sent her tenant Zebulon, +12125550187, zebulon.q@example.com", Attributes: map[string]string{"referred": "Quackenbush"}, OccurredAt: f.advance(time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	// A referral of her by someone unknown, noted on the neighbour's record.
	anon, err := book.RecordInteraction(ctx, interaction.Interaction{Customer: neighbour.Record.ID, Kind: interaction.KindReferral, Direction: interaction.DirectionInbound,
		Referral: &interaction.Referral{Referred: zeb}, Body: "someone sent Zebulon our way", OccurredAt: f.advance(time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	pair := []customer.ID{zeb, neighbour.Record.ID}
	if err := book.RejectSuggestion(ctx, household.Suggestion{Key: household.SuggestionKey(pair), Members: pair,
		Reasons: []household.SuggestionReason{{Code: household.ReasonSameAddress}}}, rapport.Act{By: "manager-1", Reason: "Zebulon only rents from Ann"}); err != nil {
		t.Fatal(err)
	}
	if _, err := book.Reviews().Flag(ctx, msg.Interaction.ID, rapport.Act{By: "manager-1", Reason: "Quackenbush sounded upset"}); err != nil {
		t.Fatal(err)
	}
	in, err := book.Receive(ctx, rapport.Inbound{From: mobile, To: mustPhone(t, "+1 212 555 0100"), Rooftop: "downtown", Body: "is my trade-in value ready?", Handler: "sales-bot"})
	if err != nil {
		t.Fatal(err)
	}
	if in.Interaction.Customer != zeb {
		t.Fatalf("inbound text filed under %v, want %v", in.Interaction.Customer, zeb)
	}
	if _, err := book.Conversations().Escalate(ctx, in.Conversation.ID, "sam", "sales", rapport.Act{By: "sales-bot", Reason: "Quackenbush asked for a person"}); err != nil {
		t.Fatal(err)
	}
	if _, err := book.Conversations().OfferHandoff(ctx, in.Conversation.ID, "fay", "finance", rapport.Act{By: "sam", Reason: "Zebulon Quackenbush wants finance"}); err != nil {
		t.Fatal(err)
	}
	f.advance(time.Hour)

	if _, err := book.Erase(ctx, zeb, "", rapport.Act{}); !errors.As(err, new(*customer.ValidationError)) {
		t.Errorf("Erase without a requester = %v, want a validation error", err)
	}
	rec, err := book.Erase(ctx, zeb, "the customer, by email", rapport.Act{By: "privacy-officer", Reason: "CCPA deletion request"})
	if err != nil {
		t.Fatal(err)
	}
	if rec.Customer != zeb || rec.OnRequestOf != "the customer, by email" || len(rec.Keys) != 2 || len(rec.Erased) < 8 {
		t.Errorf("erasure record = %+v", rec)
	}
	if got, err := f.backend.GetErasure(ctx, f.book.Tenant(), rec.ID); err != nil || got.By != "privacy-officer" {
		t.Errorf("stored erasure record: %+v, %v", got, err)
	}
	if _, err := book.Customer(ctx, zeb); !errors.Is(err, rapport.ErrNotFound) {
		t.Errorf("erased customer still readable: %v", err)
	}
	i, err := book.Interaction(ctx, msg.Interaction.ID)
	if err != nil || i.Body != "" || !i.Address.IsZero() || i.Channel != channel.KindSMS || !i.OccurredAt.Equal(msg.Interaction.OccurredAt) {
		t.Errorf("erased interaction = %+v, %v; want its channel and time, no body or address", i, err)
	}
	if hh, err := book.Household(ctx, h.Record.ID); err != nil || len(hh.Members) != 1 || hh.Members[0].Customer != neighbour.Record.ID {
		t.Errorf("household after erasure = %+v, %v", hh, err)
	}
	if i.Flags[0].Note != "" || i.Flags[0].FlaggedBy != "manager-1" {
		t.Errorf("review flag after erasure = %+v; want it kept without its note", i.Flags[0])
	}
	wantErased := map[string]bool{truck.Record.ID.String(): false, ref.Interaction.ID.String(): false, household.SuggestionKey(pair): false}
	for _, e := range rec.Erased {
		if _, ok := wantErased[e.ID]; ok {
			wantErased[e.ID] = true
		}
	}
	for id, seen := range wantErased {
		if !seen {
			t.Errorf("erasure record does not list %s: %+v", id, rec.Erased)
		}
	}
	car, err := book.Vehicle(ctx, truck.Record.ID)
	if err != nil || car.Year != 2019 || car.Model != "F-150" || len(car.Stakeholders) != 1 || car.Stakeholders[0].Customer != neighbour.Record.ID {
		t.Errorf("vehicle she drove = %+v, %v; want it kept with the owner only", car, err)
	}
	ri, err := book.Interaction(ctx, ref.Interaction.ID)
	if err != nil || ri.Kind != interaction.KindReferral || ri.Customer != neighbour.Record.ID || !ri.OccurredAt.Equal(ref.Interaction.OccurredAt) ||
		ri.Referral == nil || *ri.Referral != (interaction.Referral{Referrer: neighbour.Record.ID}) || ri.Subject != "" || ri.Body != "" || ri.Attributes != nil {
		t.Errorf("the neighbour's referral of her = %+v, %v; want that Ann referred someone, when, and nothing of her", ri, err)
	}
	if ai, err := book.Interaction(ctx, anon.Interaction.ID); err != nil || ai.Kind != interaction.KindReferral || ai.Referral != nil || ai.Body != "" {
		t.Errorf("a referral of her by someone unknown = %+v, %v; want a referral naming no one", ai, err)
	}
	d, err := f.backend.SuggestionDecision(ctx, book.Tenant(), household.SuggestionKey(pair))
	if err != nil || d.Outcome != household.OutcomeRejected || d.Note != "" || d.Erased != 1 || len(d.Members) != 1 || d.Members[0] != neighbour.Record.ID || d.Validate() != nil {
		t.Errorf("the rejected suggestion = %+v, %v (valid: %v); want it kept, rejected, without her or the note", d, err, d.Validate())
	}
	if c, err := book.Conversation(ctx, in.Conversation.ID); err != nil || c.PendingHandoff == nil || c.PendingHandoff.To != "fay" || c.PendingHandoff.Reason != "" {
		t.Errorf("conversation after erasure = %+v, %v; want the handoff kept without its reason", c.PendingHandoff, err)
	}
	// The STOP survives under the hash: the number, imported again, stays
	// opted out; the email grant is kept but names no one.
	again, err := book.UpsertCustomer(ctx, customer.Customer{Name: customer.Name{Given: "Z"}, ContactPoints: []customer.ContactPoint{{Address: mobile}}})
	if err != nil {
		t.Fatal(err)
	}
	v, err := book.Check(ctx, rapport.Contact{Address: mobile, Channel: channel.KindSMS, Purpose: consent.PurposeMarketing, Customer: again.Record.ID, At: f.clock()})
	if err != nil || v.Consent.Allowed {
		t.Errorf("marketing text to the erased number that said STOP: allowed=%v, %v", v.Consent.Allowed, err)
	}
	// Erase the re-import too, so that the number appears nowhere.
	if _, err := book.Erase(ctx, again.Record.ID, "the customer, by email", rapport.Act{By: "privacy-officer"}); err != nil {
		t.Fatal(err)
	}
	if led, err := book.ConsentLedger(ctx, mobile); err != nil || len(led) == 0 || led[len(led)-1].Action != consent.ActionRevoke {
		t.Errorf("ledger of the erased number = %+v, %v; want the STOP kept under its hash", led, err)
	}
	if led, err := book.CustomerConsent(ctx, zeb); err != nil || len(led) != 0 {
		t.Errorf("erased customer's consent = %+v, %v; want none naming them", led, err)
	}
}

func TestEraseRefusesWithoutKey(t *testing.T) {
	f := newFixture(t, backends[0].open, "erase-nokey")
	r, err := f.book.UpsertCustomer(context.Background(), customer.Customer{Name: customer.Name{Given: "Ann"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.book.Erase(context.Background(), r.Record.ID, "the customer", rapport.Act{}); !errors.Is(err, rapport.ErrNoErasureKey) {
		t.Errorf("Erase without a key = %v, want ErrNoErasureKey", err)
	}
	if _, err := rapport.New(f.backend, "x", &rapport.Options{ErasureKey: []byte("short")}); !errors.Is(err, rapport.ErrNoErasureKey) {
		t.Errorf("New with a short key = %v, want ErrNoErasureKey", err)
	}
}

func TestEraseMemstore(t *testing.T) {
	f := newFixture(t, backends[0].open, "erase-test")
	f.book = f.bookWith("erase-test", &rapport.Options{ErasureKey: testErasureKey})
	eraseScenario(t, f)
}

// TestEraseSQLiteBytes: after erasure and a checkpoint, none of the
// erased values is anywhere in the SQLite file's bytes.
func TestEraseSQLiteBytes(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "book.db")
	be, err := sqlitestore.Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := be.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, backend: be, now: time.Date(2026, 11, 2, 14, 0, 0, 0, time.UTC)}
	f.book = f.bookWith("erase-test", &rapport.Options{ErasureKey: testErasureKey})
	eraseScenario(t, f)
	if err := be.Close(); err != nil { // checkpoints the WAL into the file
		t.Fatal(err)
	}
	files, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, fi := range files {
		data, err := os.ReadFile(filepath.Join(dir, fi.Name()))
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range erasedValues {
			if bytes.Contains(bytes.ToLower(data), bytes.ToLower([]byte(v))) {
				t.Errorf("%s holds the erased value %q", fi.Name(), v)
			}
		}
	}
}

// TestErasePostgres: after erasure, none of the erased values is in any
// row of any table of the schema (with RAPPORT_PG_DSN set).
func TestErasePostgres(t *testing.T) {
	if os.Getenv("RAPPORT_PG_DSN") == "" {
		t.Skip("RAPPORT_PG_DSN not set")
	}
	ctx := context.Background()
	be, schema := openPGSchema(t)
	f := &fixture{t: t, backend: be, now: time.Date(2026, 11, 2, 14, 0, 0, 0, time.UTC)}
	f.book = f.bookWith("erase-test", &rapport.Options{ErasureKey: testErasureKey})
	eraseScenario(t, f)
	conn, err := pgx.Connect(ctx, os.Getenv("RAPPORT_PG_DSN"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT table_name FROM information_schema.tables WHERE table_schema = $1`, schema)
	if err != nil {
		t.Fatal(err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || len(tables) < 10 {
		t.Fatalf("tables of %s: %v, %v", schema, tables, err)
	}
	for _, tbl := range tables {
		rows, err := conn.Query(ctx, `SELECT t::text FROM `+pgx.Identifier{schema, tbl}.Sanitize()+` t`)
		if err != nil {
			t.Fatal(err)
		}
		texts, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range texts {
			for _, v := range erasedValues {
				if strings.Contains(strings.ToLower(row), strings.ToLower(v)) {
					t.Errorf("table %s holds the erased value %q: %.200s", tbl, v, row)
				}
			}
		}
	}
}

func mustIP(t *testing.T, s string) netip.Addr {
	t.Helper()
	a, err := netip.ParseAddr(s)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// bookWith is bookFor with options, keeping the fixture's clock and IDs.
func (f *fixture) bookWith(tenant dealer.Tenant, o *rapport.Options) *rapport.Book {
	o.Now, o.NewID = f.clock, f.newID
	b, err := rapport.New(f.backend, tenant, o)
	if err != nil {
		f.t.Fatal(err)
	}
	return b
}
