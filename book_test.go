package rapport_test

import (
	"context"
	"encoding/binary"
	"errors"
	"path/filepath"
	"slices"
	"sync"
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
	"github.com/rapportcim/rapport/storage/memstore"
	"github.com/rapportcim/rapport/storage/sqlitestore"
)

// backends lists the backends every Book test runs on.
var backends = []struct {
	name string
	open func(t *testing.T) storage.Backend
}{
	{"memstore", func(t *testing.T) storage.Backend {
		b := memstore.New(nil)
		t.Cleanup(func() { b.Close() })
		return b
	}},
	{"sqlitestore", func(t *testing.T) storage.Backend {
		ctx := context.Background()
		b, err := sqlitestore.Open(ctx, filepath.Join(t.TempDir(), "book.db"), nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { b.Close() })
		if err := b.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		return b
	}},
}

// fixture is a Book on a fresh backend with a fixed clock (advanced by
// hand) and sequential IDs, so that results are reproducible.
type fixture struct {
	t       *testing.T
	backend storage.Backend
	book    *rapport.Book
	mu      sync.Mutex
	now     time.Time
	seq     uint64
}

func newFixture(t *testing.T, open func(*testing.T) storage.Backend, tenant dealer.Tenant) *fixture {
	f := &fixture{t: t, backend: open(t), now: time.Date(2026, 11, 2, 14, 0, 0, 0, time.UTC)}
	f.book = f.bookFor(tenant)
	return f
}

func (f *fixture) bookFor(tenant dealer.Tenant) *rapport.Book {
	b, err := rapport.New(f.backend, tenant, &rapport.Options{Now: f.clock, NewID: f.newID})
	if err != nil {
		f.t.Fatal(err)
	}
	return b
}

func (f *fixture) clock() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fixture) advance(d time.Duration) time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = f.now.Add(d)
	return f.now
}

func (f *fixture) newID() ([16]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seq++
	var id [16]byte
	binary.BigEndian.PutUint64(id[8:], f.seq)
	id[6] = 0x70 // version 7 nibble, for realism
	return id, nil
}

func addr(t testing.TB, s string) channel.Address {
	t.Helper()
	a, err := channel.ParseAddress(s)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func forEachBackend(t *testing.T, fn func(t *testing.T, f *fixture)) {
	for _, be := range backends {
		t.Run(be.name, func(t *testing.T) {
			fn(t, newFixture(t, be.open, "group-1"))
		})
	}
}

func TestUpsertRecognisesRepeatedImport(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		jane := customer.Customer{
			Name:          customer.Name{Given: "Jane", Family: "Doe"},
			ContactPoints: []customer.ContactPoint{{Address: addr(t, "tel:+12125550123"), Usage: customer.UsageMobile}},
			Source:        "web-form",
		}
		first, err := f.book.UpsertCustomer(ctx, jane)
		if err != nil || !first.Created {
			t.Fatalf("first import: %+v, %v", first, err)
		}
		// The DMS export spells her differently and adds an email; the phone
		// (written another way) is the same line.
		dms := customer.Customer{
			Name: customer.Name{Full: "JANE DOE"},
			ContactPoints: []customer.ContactPoint{
				{Address: addr(t, "tel:+1 (212) 555-0123")},
				{Address: addr(t, "mailto:Jane.Doe@Example.com")},
			},
			ExternalIDs: []customer.ExternalID{{System: "CDK", Value: "C-1001"}},
		}
		second, err := f.book.UpsertCustomer(ctx, dms)
		if err != nil {
			t.Fatal(err)
		}
		if second.Created || !second.Changed || second.Record.ID != first.Record.ID {
			t.Fatalf("second import should update the same customer: %+v", second)
		}
		if !slices.Contains(second.MatchedBy, "address tel:+12125550123") {
			t.Errorf("MatchedBy = %v", second.MatchedBy)
		}
		got := second.Record
		if len(got.ContactPoints) != 2 || got.ExternalID("cdk") != "C-1001" || got.Name.Given != "Jane" || len(got.Aliases) != 1 {
			t.Errorf("merged customer = %+v", got)
		}
		if got.Revision != 2 {
			t.Errorf("revision = %d, want 2", got.Revision)
		}
		// Running the same import again changes nothing and writes nothing.
		changesBefore := countChanges(t, f.book)
		third, err := f.book.UpsertCustomer(ctx, dms)
		if err != nil || third.Changed || third.Created || third.Record.ID != first.Record.ID {
			t.Fatalf("repeated import: %+v, %v", third, err)
		}
		if n := countChanges(t, f.book); n != changesBefore {
			t.Errorf("repeated import wrote %d change records", n-changesBefore)
		}
		// The external ID is decisive even when every address is new.
		byID, err := f.book.UpsertCustomer(ctx, customer.Customer{
			Name:          customer.Name{Given: "Jane", Family: "Doe"},
			ContactPoints: []customer.ContactPoint{{Address: addr(t, "tel:+12125550177"), Usage: customer.UsageWork}},
			ExternalIDs:   []customer.ExternalID{{System: "cdk", Value: "C-1001"}},
		})
		if err != nil || byID.Record.ID != first.Record.ID || !slices.Contains(byID.MatchedBy, "external_id cdk") {
			t.Fatalf("match by external ID: %+v, %v", byID, err)
		}
		all, err := f.book.CustomersByAddress(ctx, addr(t, "mailto:jane.doe@example.com"))
		if err != nil || len(all) != 1 {
			t.Fatalf("one customer expected, got %d (%v)", len(all), err)
		}
	})
}

func countChanges(t *testing.T, b *rapport.Book) int {
	t.Helper()
	n := 0
	for _, err := range b.Changes(context.Background(), "") {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	return n
}

func TestUpsertSharedNumberAndConflicts(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		home := addr(t, "tel:+12125550150")
		jose, err := f.book.UpsertCustomer(ctx, customer.Customer{
			Name:          customer.Name{Given: "José", Family: "Núñez"},
			ContactPoints: []customer.ContactPoint{{Address: home, Usage: customer.UsageHome}, {Address: addr(t, "mailto:jose@example.com")}},
		})
		if err != nil {
			t.Fatal(err)
		}
		// His daughter uses the family's home number: a different person.
		ana, err := f.book.UpsertCustomer(ctx, customer.Customer{
			Name:          customer.Name{Given: "Ana", Family: "Núñez"},
			ContactPoints: []customer.ContactPoint{{Address: home, Usage: customer.UsageHome}, {Address: addr(t, "mailto:ana@example.com")}},
		})
		if err != nil {
			t.Fatal(err)
		}
		if !ana.Created || ana.Record.ID == jose.Record.ID || !slices.Equal(ana.SharedWith, []customer.ID{jose.Record.ID}) {
			t.Fatalf("shared number: %+v", ana)
		}
		// Accent-free, upper-case spelling of José with the shared number
		// and Ana's email: it matches both people, which is reported, not
		// guessed, and nothing is written.
		before := countChanges(t, f.book)
		_, err = f.book.UpsertCustomer(ctx, customer.Customer{
			ContactPoints: []customer.ContactPoint{{Address: addr(t, "mailto:jose@example.com")}, {Address: addr(t, "mailto:ana@example.com")}},
		})
		var me *rapport.MatchError
		if !errors.Is(err, rapport.ErrAmbiguousMatch) || !errors.As(err, &me) || len(me.Candidates) != 2 {
			t.Fatalf("conflicting match: %v", err)
		}
		if countChanges(t, f.book) != before {
			t.Error("a conflicting upsert wrote something")
		}
		// Invalid input is refused with the field named.
		_, err = f.book.UpsertCustomer(ctx, customer.Customer{})
		var ve *customer.ValidationError
		if !errors.As(err, &ve) || !errors.Is(err, customer.ErrMissing) {
			t.Errorf("empty customer: %v", err)
		}
	})
}

func TestRecordInteractionAttachesToConversation(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		mobile := addr(t, "tel:+12125550123")
		up, err := f.book.UpsertCustomer(ctx, customer.Customer{
			Name:          customer.Name{Given: "Jane", Family: "Doe"},
			ContactPoints: []customer.ContactPoint{{Address: mobile, Usage: customer.UsageMobile}},
		})
		if err != nil {
			t.Fatal(err)
		}
		janeID := up.Record.ID
		store := addr(t, "tel:+12125550100")
		in1, err := f.book.RecordInteraction(ctx, interaction.Interaction{
			Rooftop: "downtown", Channel: channel.KindSMS, Address: mobile, Via: store,
			Direction: interaction.DirectionInbound, Kind: interaction.KindMessage,
			Body: "Is the blue CX-5 still there?", OccurredAt: f.advance(time.Minute),
		})
		if err != nil {
			t.Fatal(err)
		}
		if in1.Interaction.Customer != janeID || !in1.OpenedConversation || in1.NewCustomer {
			t.Fatalf("first inbound: %+v", in1)
		}
		conv := in1.Conversation
		if conv.Status != interaction.ConversationStatusOpen || !conv.WaitingSince.Equal(in1.Interaction.OccurredAt) {
			t.Errorf("conversation after inbound: %+v", conv)
		}
		reply, err := f.book.RecordInteraction(ctx, interaction.Interaction{
			Rooftop: "downtown", Customer: janeID, Channel: channel.KindSMS, Address: mobile, Via: store,
			Direction: interaction.DirectionOutbound, Kind: interaction.KindMessage, Authorship: interaction.AuthorshipHuman,
			Participants: []interaction.Participant{{Staff: "sam", Role: interaction.RoleSalesperson}},
			Body:         "It is! Want to see it today?", OccurredAt: f.advance(4 * time.Minute),
		})
		if err != nil {
			t.Fatal(err)
		}
		if reply.Conversation.ID != conv.ID || reply.OpenedConversation {
			t.Fatalf("reply opened another conversation")
		}
		if !reply.Conversation.WaitingSince.IsZero() || !reply.Conversation.FirstHumanReplyAt.Equal(reply.Interaction.OccurredAt) {
			t.Errorf("anchors after a human reply: %+v", reply.Conversation)
		}
		// A call on another channel joins the same conversation.
		call, err := f.book.RecordInteraction(ctx, interaction.Interaction{
			Rooftop: "downtown", Channel: channel.KindVoice, Address: mobile,
			Direction: interaction.DirectionInbound, Kind: interaction.KindCall,
			Call:       &interaction.Call{Outcome: interaction.CallOutcomeAnswered, Duration: 3 * time.Minute},
			OccurredAt: f.advance(time.Hour),
		})
		if err != nil || call.Conversation.ID != conv.ID {
			t.Fatalf("call: %+v, %v", call, err)
		}
		// A different rooftop is a different conversation.
		other, err := f.book.RecordInteraction(ctx, interaction.Interaction{
			Rooftop: "uptown", Channel: channel.KindSMS, Address: mobile, Direction: interaction.DirectionInbound,
			Kind: interaction.KindMessage, Body: "Service question", OccurredAt: f.advance(time.Minute),
		})
		if err != nil || other.Conversation.ID == conv.ID || !other.OpenedConversation {
			t.Fatalf("other rooftop: %+v, %v", other, err)
		}
		// An unknown address gets a new customer.
		stranger, err := f.book.RecordInteraction(ctx, interaction.Interaction{
			Rooftop: "downtown", Channel: channel.KindEmail, Address: addr(t, "mailto:new.lead@example.com"),
			Direction: interaction.DirectionInbound, Kind: interaction.KindEmail, Subject: "Trade-in value",
		})
		if err != nil || !stranger.NewCustomer || stranger.Interaction.Customer.IsZero() {
			t.Fatalf("stranger: %+v, %v", stranger, err)
		}
		if got, _ := f.book.CustomersByAddress(ctx, addr(t, "mailto:new.lead@example.com")); len(got) != 1 {
			t.Errorf("new customer not findable by address")
		}
		// Times are stored in UTC at microsecond precision.
		odd := time.Date(2026, 11, 2, 9, 30, 0, 123456789, time.FixedZone("EST", -5*3600))
		note, err := f.book.RecordInteraction(ctx, interaction.Interaction{
			Rooftop: "downtown", Customer: janeID, Direction: interaction.DirectionInternal, Kind: interaction.KindNote,
			Body: "Prefers evenings", OccurredAt: odd,
		})
		if err != nil {
			t.Fatal(err)
		}
		stored, err := f.book.Interaction(ctx, note.Interaction.ID)
		if err != nil || !stored.OccurredAt.Equal(odd.Truncate(time.Microsecond)) || stored.OccurredAt.Location() != time.UTC {
			t.Errorf("stored time = %v (%v), want %v in UTC", stored.OccurredAt, err, odd.Truncate(time.Microsecond))
		}
	})
}

func TestResolvedConversationReopensAndClosedDoesNot(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		mobile := addr(t, "tel:+12125550123")
		first, err := f.book.RecordInteraction(ctx, interaction.Interaction{Channel: channel.KindSMS, Address: mobile,
			Direction: interaction.DirectionInbound, Kind: interaction.KindMessage, Body: "hi"})
		if err != nil {
			t.Fatal(err)
		}
		conv := first.Conversation
		conv.Status, conv.ResolvedAt = interaction.ConversationStatusResolved, f.advance(time.Hour)
		if _, err := f.backend.GetConversation(ctx, "group-1", conv.ID); err != nil {
			t.Fatal(err)
		}
		if err := f.backend.Update(ctx, func(tx storage.Tx) error { _, err := tx.UpdateConversation(ctx, conv); return err }); err != nil {
			t.Fatal(err)
		}
		again, err := f.book.RecordInteraction(ctx, interaction.Interaction{Channel: channel.KindSMS, Address: mobile,
			Direction: interaction.DirectionInbound, Kind: interaction.KindMessage, Body: "one more thing", OccurredAt: f.advance(time.Hour)})
		if err != nil || again.Conversation.ID != conv.ID || again.Conversation.Status != interaction.ConversationStatusOpen || !again.OpenedConversation {
			t.Fatalf("inbound after resolve should re-open: %+v, %v", again.Conversation, err)
		}
	})
}

func TestTimelines(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		var ids []customer.ID
		for _, s := range []string{"tel:+12125550101", "tel:+12125550102"} {
			r, err := f.book.UpsertCustomer(ctx, customer.Customer{ContactPoints: []customer.ContactPoint{{Address: addr(t, s)}}})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, r.Record.ID)
		}
		hr, err := f.book.UpsertHousehold(ctx, household.Household{Name: "Doe household", Members: []household.Member{
			{Customer: ids[0], Role: household.MemberRolePrimary}, {Customer: ids[1], Role: household.MemberRoleSpouse}}})
		if err != nil {
			t.Fatal(err)
		}
		h := hr.Record
		base := time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC)
		record := func(c customer.ID, k channel.Kind, kind interaction.Kind, at time.Time) interaction.ID {
			dir := interaction.DirectionInbound
			if kind == interaction.KindNote {
				dir = interaction.DirectionInternal
			}
			r, err := f.book.RecordInteraction(ctx, interaction.Interaction{Customer: c, Channel: k, Kind: kind,
				Direction: dir, OccurredAt: at, Rooftop: "downtown", Body: "x"})
			if err != nil {
				t.Fatal(err)
			}
			return r.Interaction.ID
		}
		a1 := record(ids[0], channel.KindSMS, interaction.KindMessage, base)
		a2 := record(ids[0], channel.KindVoice, interaction.KindCall, base.Add(time.Hour))
		b1 := record(ids[1], channel.KindEmail, interaction.KindEmail, base.Add(30*time.Minute))
		a3 := record(ids[0], channel.KindSMS, interaction.KindMessage, base.Add(time.Hour)) // same time as a2: ID breaks the tie

		collect := func(seq func(func(interaction.Interaction, error) bool)) []interaction.ID {
			var out []interaction.ID
			for i, err := range seq {
				if err != nil {
					t.Fatal(err)
				}
				if i.Kind == interaction.KindLifecycle {
					continue // conversation events; TestConversationLifecycle checks them
				}
				out = append(out, i.ID)
			}
			return out
		}
		if got := collect(f.book.CustomerTimeline(ctx, ids[0], rapport.Filter{})); !slices.Equal(got, []interaction.ID{a3, a2, a1}) {
			t.Errorf("customer timeline = %v", got)
		}
		if got := collect(f.book.CustomerTimeline(ctx, ids[0], rapport.Filter{Channels: []channel.Kind{channel.KindSMS}})); !slices.Equal(got, []interaction.ID{a3, a1}) {
			t.Errorf("sms timeline = %v", got)
		}
		if got := collect(f.book.CustomerTimeline(ctx, ids[0], rapport.Filter{Since: base.Add(time.Minute), Until: base.Add(2 * time.Hour)})); !slices.Equal(got, []interaction.ID{a3, a2}) {
			t.Errorf("ranged timeline = %v", got)
		}
		if got := collect(f.book.HouseholdTimeline(ctx, h.ID, rapport.Filter{})); !slices.Equal(got, []interaction.ID{a3, a2, b1, a1}) {
			t.Errorf("household timeline = %v", got)
		}
		if got := collect(f.book.HouseholdTimeline(ctx, h.ID, rapport.Filter{Kinds: []interaction.Kind{interaction.KindEmail}})); !slices.Equal(got, []interaction.ID{b1}) {
			t.Errorf("household email timeline = %v", got)
		}
		// Interactions of household members are stamped with the household.
		if i, _ := f.book.Interaction(ctx, b1); i.Household != h.ID {
			t.Errorf("interaction household = %v, want %v", i.Household, h.ID)
		}
	})
}

func TestChangeFeedAndTenantBinding(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		r, err := f.book.UpsertCustomer(ctx, customer.Customer{Name: customer.Name{Full: "Jane Doe"}})
		if err != nil {
			t.Fatal(err)
		}
		var last storage.Cursor
		var seen []storage.Change
		for c, err := range f.book.Changes(ctx, "") {
			if err != nil {
				t.Fatal(err)
			}
			seen, last = append(seen, c), c.Cursor()
		}
		if len(seen) != 1 || seen[0].Entity != storage.EntityCustomer || seen[0].Op != storage.OpCreate || seen[0].ID != r.Record.ID.String() {
			t.Fatalf("changes = %+v", seen)
		}
		if _, err := f.book.RecordConsent(ctx, consent.Event{
			Subject: consent.Subject{Address: addr(t, "tel:+12125550123"), Customer: r.Record.ID},
			Channel: channel.KindSMS, Purpose: consent.PurposeMarketing, Action: consent.ActionRevoke,
			CapturedAt: f.clock(), Evidence: consent.Evidence{Method: consent.MethodSMSKeyword, RawText: "STOP"},
		}); err != nil {
			t.Fatal(err)
		}
		var after []storage.Change
		for c, err := range f.book.Changes(ctx, last) {
			if err != nil {
				t.Fatal(err)
			}
			after = append(after, c)
		}
		if len(after) != 1 || after[0].Entity != storage.EntityConsent {
			t.Fatalf("changes after cursor = %+v", after)
		}
		// Another tenant's Book on the same backend sees nothing of it.
		other := f.bookFor("group-2")
		if _, err := other.Customer(ctx, r.Record.ID); !errors.Is(err, rapport.ErrNotFound) {
			t.Errorf("other tenant read the customer: %v", err)
		}
		if n := countChanges(t, other); n != 0 {
			t.Errorf("other tenant sees %d changes", n)
		}
		for _, err := range other.Changes(ctx, last) {
			if !errors.Is(err, rapport.ErrInvalidCursor) {
				t.Errorf("other tenant replaying a cursor: %v", err)
			}
		}
		// A stale update fails and changes nothing.
		c := r.Record
		c.Tags = []string{"vip"}
		if _, err := f.book.UpdateCustomer(ctx, c); err != nil {
			t.Fatal(err)
		}
		c.Tags = []string{"stale"}
		if _, err := f.book.UpdateCustomer(ctx, c); !errors.Is(err, rapport.ErrConflict) {
			t.Errorf("stale update: %v", err)
		}
	})
}

func TestVehiclesAndHouseholds(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		r, _ := f.book.UpsertCustomer(ctx, customer.Customer{Name: customer.Name{Full: "Jane Doe"}})
		hr, err := f.book.UpsertHousehold(ctx, household.Household{Members: []household.Member{{Customer: r.Record.ID, Role: household.MemberRolePrimary}}})
		if err != nil || !hr.Created {
			t.Fatal(err)
		}
		h := hr.Record
		spouse, _ := f.book.UpsertCustomer(ctx, customer.Customer{Name: customer.Name{Full: "John Doe"}})
		// Importing the household again, now with the spouse, finds it by
		// its member and adds the spouse.
		ar, err := f.book.UpsertHousehold(ctx, household.Household{Name: "Doe household", Members: []household.Member{
			{Customer: r.Record.ID, Role: household.MemberRolePrimary}, {Customer: spouse.Record.ID, Role: household.MemberRoleSpouse}}})
		again := ar.Record
		if err != nil || ar.Created || !ar.Changed || again.ID != h.ID || len(again.Members) != 2 || again.Name != "Doe household" || again.Revision != 2 ||
			!slices.Equal(ar.MatchedBy, []string{"member"}) {
			t.Fatalf("re-import of the household: %+v, %v", ar, err)
		}
		if same, err := f.book.UpsertHousehold(ctx, again); err != nil || same.Changed || same.Record.Revision != 2 {
			t.Errorf("an identical import writes nothing: %+v, %v", same, err)
		}
		other, _ := f.book.UpsertCustomer(ctx, customer.Customer{Name: customer.Name{Full: "Ann Other"}})
		if _, err := f.book.UpsertHousehold(ctx, household.Household{Members: []household.Member{{Customer: other.Record.ID, Role: household.MemberRolePrimary}}}); err != nil {
			t.Fatal(err)
		}
		_, err = f.book.UpsertHousehold(ctx, household.Household{Members: []household.Member{
			{Customer: spouse.Record.ID, Role: household.MemberRoleSpouse}, {Customer: other.Record.ID, Role: household.MemberRoleOther}}})
		var hm *rapport.HouseholdMatchError
		if !errors.As(err, &hm) || !errors.Is(err, rapport.ErrAmbiguousMatch) || len(hm.Households) != 2 {
			t.Errorf("members of two households are a conflict, not a guess: %v", err)
		}
		vin, err := household.ParseVIN("1HGCM82633A004352")
		if err != nil {
			t.Fatal(err)
		}
		vr, err := f.book.UpsertVehicle(ctx, household.Vehicle{VIN: vin, Year: 2003, Make: "Honda", Household: h.ID,
			Stakeholders: []household.Stakeholder{{Customer: r.Record.ID, Role: household.StakeholderRoleOwner}}})
		if err != nil || !vr.Created {
			t.Fatalf("vehicle: %+v %v", vr, err)
		}
		v := vr.Record
		vr2, err := f.book.UpsertVehicle(ctx, household.Vehicle{VIN: vin, Model: "Accord",
			Odometer: household.Odometer{Value: 81234, Unit: household.DistanceUnitMiles, ReadAt: f.clock()}})
		v2 := vr2.Record
		if err != nil || vr2.Created || !vr2.Changed || v2.ID != v.ID || v2.Model != "Accord" || v2.Make != "Honda" || v2.Odometer.Value != 81234 ||
			v2.Household != h.ID || !slices.Equal(vr2.MatchedBy, []string{"vin"}) {
			t.Fatalf("re-import by VIN: %+v %v", vr2, err)
		}
		stored, err := f.book.Household(ctx, h.ID)
		if err != nil || !slices.Contains(stored.Vehicles, v.ID) {
			t.Errorf("household should list the vehicle: %+v, %v", stored.Vehicles, err)
		}
	})
}
