package rapport_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
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

// briefWorld is a customer with a history, a household and two vehicles,
// built the same on every backend.
type briefWorld struct {
	jane, john          customer.Customer
	mobile, mail        channel.Address
	hh                  household.Household
	mazda, honda, plain household.Vehicle
	smsAsks, smsReplies []interaction.ID
	survey, mention     interaction.ID
	referral            interaction.ID
	overdue, later      interaction.Commitment
	conv                interaction.Conversation
}

func newBriefWorld(t *testing.T, f *fixture) *briefWorld {
	t.Helper()
	ctx := context.Background()
	w := &briefWorld{mobile: addr(t, "tel:+12125550123"), mail: addr(t, "mailto:jane@example.com")}
	f.now = time.Date(2026, 11, 2, 14, 0, 0, 0, time.UTC) // Monday 09:00 in New York
	jr, err := f.book.UpsertCustomer(ctx, customer.Customer{Name: customer.Name{Given: "Jane", Family: "Doe"},
		ContactPoints: []customer.ContactPoint{{Address: w.mobile, Usage: customer.UsageMobile, Primary: true}, {Address: w.mail}},
		Preference:    channel.Preference{Kinds: []channel.Kind{channel.KindVoice, channel.KindEmail}, Zone: "America/New_York"}})
	if err != nil {
		t.Fatal(err)
	}
	w.jane = jr.Record
	// She agreed, on the phone, to service calls and texts at her mobile.
	for _, k := range []channel.Kind{channel.KindSMS, channel.KindVoice} {
		if _, err := f.book.RecordConsent(ctx, consent.Event{Subject: consent.Subject{Address: w.mobile, Customer: w.jane.ID}, Channel: k,
			Purpose: consent.PurposeService, Action: consent.ActionGrant, Basis: consent.BasisExpress, CapturedAt: f.clock().Add(-30 * 24 * time.Hour),
			Evidence: consent.Evidence{Method: consent.MethodCall, CapturedBy: "sam"}}); err != nil {
			t.Fatal(err)
		}
	}
	jo, err := f.book.UpsertCustomer(ctx, customer.Customer{Name: customer.Name{Given: "John", Family: "Doe"},
		ContactPoints: []customer.ContactPoint{{Address: addr(t, "tel:+12125550124")}}})
	if err != nil {
		t.Fatal(err)
	}
	w.john = jo.Record
	// Ten days ago Sam texted four times and she replied to three; he
	// emailed three times and she never answered.
	start := f.clock().Add(-10 * 24 * time.Hour)
	rec := func(i interaction.Interaction) interaction.Interaction {
		t.Helper()
		i.Rooftop, i.Customer = "downtown", w.jane.ID
		r, err := f.book.RecordInteraction(ctx, i)
		if err != nil {
			t.Fatal(err)
		}
		return r.Interaction
	}
	sam := []interaction.Participant{{Staff: "sam", Role: interaction.RoleSalesperson}}
	for k, reply := range []time.Duration{4 * time.Minute, 0, 10 * time.Minute, 6 * time.Minute} {
		at := start.Add(time.Duration(k) * 24 * time.Hour)
		o := rec(interaction.Interaction{Channel: channel.KindSMS, Address: w.mobile, Direction: interaction.DirectionOutbound, Kind: interaction.KindMessage,
			Authorship: interaction.AuthorshipHuman, Participants: sam, Body: "Any questions about the CX-5?", OccurredAt: at})
		w.smsAsks = append(w.smsAsks, o.ID)
		if reply > 0 {
			in := rec(interaction.Interaction{Channel: channel.KindSMS, Address: w.mobile, Direction: interaction.DirectionInbound, Kind: interaction.KindMessage,
				Body: "Yes, one", OccurredAt: at.Add(reply)})
			w.smsReplies = append(w.smsReplies, in.ID)
		}
		if k < 3 { // three emails
			rec(interaction.Interaction{Channel: channel.KindEmail, Address: w.mail, Direction: interaction.DirectionOutbound, Kind: interaction.KindEmail,
				Authorship: interaction.AuthorshipHuman, Participants: sam, Subject: "Your quote", Body: "Attached.", OccurredAt: at.Add(time.Hour)})
		}
	}
	// A template blast is not a human message, and is not counted.
	rec(interaction.Interaction{Channel: channel.KindSMS, Address: w.mobile, Direction: interaction.DirectionOutbound, Kind: interaction.KindMessage,
		Authorship: interaction.AuthorshipTemplate, Template: "promo-1", Body: "Big sale!", OccurredAt: start.Add(5 * 24 * time.Hour)})
	w.survey = rec(interaction.Interaction{Channel: channel.KindEmail, Direction: interaction.DirectionInbound, Kind: interaction.KindSurvey,
		Survey: &interaction.Survey{Name: "service CSAT", Score: 9, Scale: 10, Comment: "Quick and friendly"}, OccurredAt: start.Add(6 * 24 * time.Hour)}).ID
	w.mention = rec(interaction.Interaction{Channel: channel.KindInstagram, Direction: interaction.DirectionInbound, Kind: interaction.KindSocialMention,
		Body: "Love my new CX-5", Post: &interaction.Post{Platform: "instagram", URL: "https://www.example.com/p/1"}, OccurredAt: start.Add(7 * 24 * time.Hour)}).ID
	w.referral = rec(interaction.Interaction{Direction: interaction.DirectionInbound, Kind: interaction.KindReferral,
		Referral: &interaction.Referral{Referrer: w.jane.ID, Referred: w.john.ID}, Body: "Sent her brother", OccurredAt: start.Add(8 * 24 * time.Hour)}).ID
	// Today she texts in; Sam owns the conversation.
	in, err := f.book.Receive(ctx, rapport.Inbound{From: w.mobile, To: addr(t, "tel:+12125550100"), Rooftop: "downtown", Body: "Can someone call me about the trade-in?"})
	if err != nil {
		t.Fatal(err)
	}
	if w.conv, err = f.book.Conversations().Assign(ctx, in.Conversation.ID, "sam", "sales", rapport.Act{By: "sam"}); err != nil {
		t.Fatal(err)
	}
	if w.overdue, err = f.book.Commitments().Make(ctx, interaction.Commitment{Source: in.Interaction.ID, What: "Send the trade-in number",
		Owner: "sam", Due: f.clock().Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if w.later, err = f.book.Commitments().Make(ctx, interaction.Commitment{Customer: w.jane.ID, Rooftop: "downtown", What: "Book the test drive",
		Owner: "sam", Due: f.clock().Add(24 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	hr, err := f.book.UpsertHousehold(ctx, household.Household{Name: "Doe household", Members: []household.Member{
		{Customer: w.jane.ID, Role: household.MemberRolePrimary}, {Customer: w.john.ID, Role: household.MemberRoleSpouse}}})
	if err != nil {
		t.Fatal(err)
	}
	w.hh = hr.Record
	vehicle := func(v household.Vehicle) household.Vehicle {
		t.Helper()
		v.Household = w.hh.ID
		r, err := f.book.UpsertVehicle(ctx, v)
		if err != nil {
			t.Fatal(err)
		}
		return r.Record
	}
	now := f.clock()
	w.mazda = vehicle(household.Vehicle{Make: "Mazda", Model: "CX-5", Year: 2024, WarrantyEnds: now.AddDate(0, 0, 30),
		LastService:  household.Odometer{Value: 12000, Unit: household.DistanceUnitMiles, ReadAt: now.AddDate(0, -8, 0)},
		Stakeholders: []household.Stakeholder{{Customer: w.jane.ID, Role: household.StakeholderRoleOwner}}})
	w.honda = vehicle(household.Vehicle{Make: "Honda", Model: "Civic", Year: 2015,
		Stakeholders: []household.Stakeholder{{Customer: w.john.ID, Role: household.StakeholderRoleDriver}}})
	w.plain = vehicle(household.Vehicle{Make: "Mazda", Model: "MX-5"})
	if w.hh, err = f.book.Household(ctx, w.hh.ID); err != nil {
		t.Fatal(err)
	}
	return w
}

func sourced(srcs []rapport.Source, entity string, id interface{ String() string }) bool {
	return slices.Contains(srcs, rapport.Source{Entity: entity, ID: id.String()})
}

func TestBrief(t *testing.T) {
	forEachBriefBackend(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		w := newBriefWorld(t, f)
		br, err := f.book.Brief(ctx, w.jane.ID, &rapport.BriefOptions{Rooftop: "downtown", Staff: "sam",
			Opportunities: household.OpportunityRules{Brands: []string{"Mazda"}}})
		if err != nil {
			t.Fatal(err)
		}
		checkBrief(t, f, w, br)
	})
}

func checkBrief(t *testing.T, f *fixture, w *briefWorld, br rapport.Brief) {
	t.Helper()
	if br.Customer.ID != w.jane.ID || !sourced(br.Sources, "customer", w.jane.ID) || !br.At.Equal(f.clock()) {
		t.Errorf("who: %+v at %v, sources %v", br.Customer.Name, br.At, br.Sources)
	}
	// Stated: voice, then email. Observed: sms 3 of 4 replied (after 4, 10
	// and 6 minutes: median 6), email 0 of 3, voice never measured.
	type ch struct {
		kind            channel.Kind
		rank, asked, ok int
		rate            float64
		median          time.Duration
	}
	want := []ch{{channel.KindVoice, 0, 0, 0, 0, 0}, {channel.KindEmail, 1, 3, 0, 0, 0}, {channel.KindSMS, -1, 4, 3, 0.75, 6 * time.Minute}}
	if len(br.Channels) != len(want) {
		t.Fatalf("channels: %+v", br.Channels)
	}
	for k, c := range br.Channels {
		got := ch{c.Channel, c.StatedRank, c.Observed.Asked, c.Observed.Replied, c.Observed.Rate, c.Observed.MedianReply}
		if got != want[k] {
			t.Errorf("channel %d = %+v, want %+v", k, got, want[k])
		}
	}
	sms := br.Channels[2]
	for _, id := range append(slices.Clone(w.smsAsks), w.smsReplies...) {
		if !sourced(sms.Sources, "interaction", id) {
			t.Errorf("sms evidence does not cite %v", id)
		}
	}
	if br.UseNow != channel.KindSMS {
		t.Errorf("use now = %q, want sms (she says voice, but answers texts)", br.UseNow)
	}
	// Reach: her mobile by text and call, her email.
	type reach struct {
		a                  channel.Address
		k                  channel.Kind
		service, marketing bool
		why                consent.Reason
	}
	wantReach := []reach{{w.mobile, channel.KindSMS, true, false, consent.ReasonNoConsent}, {w.mobile, channel.KindVoice, true, false, consent.ReasonNoConsent},
		{w.mail, channel.KindEmail, true, true, consent.ReasonNotOptedOut}}
	if len(br.Reach) != len(wantReach) {
		t.Fatalf("reach: %+v", br.Reach)
	}
	for k, r := range br.Reach {
		got := reach{r.Address, r.Channel, r.Service.Allowed(), r.Marketing.Allowed(), r.Marketing.Consent.Reason()}
		if got != wantReach[k] {
			t.Errorf("reach %d = %+v, want %+v", k, got, wantReach[k])
		}
	}
	if ev := br.Reach[0].Service.Consent.Event; ev.IsZero() || !sourced(br.Reach[0].Sources, "consent", ev) {
		t.Errorf("the sms service verdict rests on her grant and cites it: %+v", br.Reach[0].Sources)
	}
	if len(br.Conversations) != 1 || br.Conversations[0].Conversation.Owner != "sam" || !sourced(br.Conversations[0].Sources, "conversation", w.conv.ID) {
		t.Errorf("conversations: %+v", br.Conversations)
	}
	if len(br.Commitments) != 2 || br.Commitments[0].Commitment.ID != w.overdue.ID || !br.Commitments[0].Overdue ||
		br.Commitments[1].Commitment.ID != w.later.ID || br.Commitments[1].Overdue ||
		!sourced(br.Commitments[0].Sources, "interaction", w.overdue.Source) {
		t.Errorf("commitments: %+v", br.Commitments)
	}
	var said []interaction.ID
	for _, fb := range br.Feedback {
		said = append(said, fb.Interaction.ID)
		if !sourced(fb.Sources, "interaction", fb.Interaction.ID) {
			t.Errorf("feedback without its source: %+v", fb)
		}
	}
	if !slices.Equal(said, []interaction.ID{w.referral, w.mention, w.survey}) {
		t.Errorf("feedback = %v, want referral, mention, survey (newest first)", said)
	}
	if s := br.Feedback[2].Interaction.Survey; s == nil || s.Score != 9 || s.Comment != "Quick and friendly" {
		t.Errorf("survey score and comment: %+v", s)
	}
	if len(br.Households) != 1 {
		t.Fatalf("households: %+v", br.Households)
	}
	checkHouseholdItem(t, w, br.Households[0])
}

// checkHouseholdItem checks the Doe household: names, vehicles,
// stakeholders and opportunities.
func checkHouseholdItem(t *testing.T, w *briefWorld, h rapport.HouseholdItem) {
	t.Helper()
	if h.Household.ID != w.hh.ID || !sourced(h.Sources, "household", w.hh.ID) || len(h.Members) != 2 ||
		h.Members[0].Name != "Jane Doe" || h.Members[1].Name != "John Doe" {
		t.Errorf("household: %+v", h)
	}
	if len(h.Vehicles) != 3 {
		t.Fatalf("vehicles: %+v", h.Vehicles)
	}
	want := map[household.VehicleID][]household.OpportunityKind{
		w.mazda.ID: {household.OpportunityWarrantyEnding, household.OpportunityServiceDue}, // warranty in 30 days, service 8 months ago
		w.honda.ID: {household.OpportunityOffBrandMaintenance},                             // the second car in the driveway
		w.plain.ID: nil,                                                                    // no facts, no opportunity
	}
	for _, v := range h.Vehicles {
		var kinds []household.OpportunityKind
		for _, o := range v.Opportunities {
			kinds = append(kinds, o.Kind)
			if o.Vehicle != v.Vehicle.ID {
				t.Errorf("opportunity names another vehicle: %+v", o)
			}
		}
		if !slices.Equal(kinds, want[v.Vehicle.ID]) || !sourced(v.Sources, "vehicle", v.Vehicle.ID) {
			t.Errorf("%s %s: opportunities %v, want %v", v.Vehicle.Make, v.Vehicle.Model, kinds, want[v.Vehicle.ID])
		}
		if v.Vehicle.ID == w.honda.ID && (len(v.Stakeholders) != 1 || v.Stakeholders[0].Name != "John Doe") {
			t.Errorf("the Honda's driver: %+v", v.Stakeholders)
		}
	}
}

// After STOP, texts are refused, and the evidence (email: never answered)
// no longer says what to use.
func TestBriefAfterStop(t *testing.T) {
	forEachBriefBackend(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		w := newBriefWorld(t, f)
		if _, err := f.book.Receive(ctx, rapport.Inbound{From: w.mobile, To: addr(t, "tel:+12125550100"), Rooftop: "downtown", Body: "STOP"}); err != nil {
			t.Fatal(err)
		}
		br, err := f.book.Brief(ctx, w.jane.ID, &rapport.BriefOptions{Rooftop: "downtown", Staff: "sam"})
		if err != nil {
			t.Fatal(err)
		}
		if br.UseNow != channel.KindUnknown || br.Reach[0].Channel != channel.KindSMS || br.Reach[0].Marketing.Allowed() || br.Reach[0].Service.Allowed() {
			t.Errorf("after STOP: use now %q, sms %+v", br.UseNow, br.Reach[0])
		}
		if _, err := f.book.Brief(ctx, customer.ID{0xee}, nil); !errors.Is(err, rapport.ErrNotFound) {
			t.Errorf("brief of nobody: %v", err)
		}
	})
}

func TestHouseholdBrief(t *testing.T) {
	forEachBriefBackend(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		w := newBriefWorld(t, f)
		opts := &rapport.BriefOptions{Rooftop: "downtown", Staff: "sam", Opportunities: household.OpportunityRules{Brands: []string{"Mazda"}}}
		// John's own promise and history join Jane's.
		johns, err := f.book.Commitments().Make(ctx, interaction.Commitment{Customer: w.john.ID, Rooftop: "downtown", What: "Quote new tires",
			Team: "service", Due: f.clock().Add(-2 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.book.RecordInteraction(ctx, interaction.Interaction{Rooftop: "downtown", Customer: w.john.ID, Channel: channel.KindInPerson,
			Direction: interaction.DirectionInbound, Kind: interaction.KindFeedback, Body: "The lounge coffee is great"}); err != nil {
			t.Fatal(err)
		}
		v, err := f.book.HouseholdBrief(ctx, w.hh.ID, opts)
		if err != nil {
			t.Fatal(err)
		}
		if len(v.Members) != 2 || v.Members[0].Customer.ID != w.jane.ID || v.Members[1].Customer.ID != w.john.ID || len(v.Members[0].Households) != 0 {
			t.Fatalf("members: %d", len(v.Members))
		}
		checkHouseholdItem(t, w, v.Household)
		var due []interaction.CommitmentID
		for _, c := range v.Commitments {
			due = append(due, c.Commitment.ID)
		}
		// Overdue first, most overdue first: John's (2h), Jane's (1h), then Jane's for tomorrow.
		if !slices.Equal(due, []interaction.CommitmentID{johns.ID, w.overdue.ID, w.later.ID}) {
			t.Errorf("merged commitments = %v", due)
		}
		if len(v.Feedback) != 4 || v.Feedback[0].Interaction.Customer != w.john.ID {
			t.Errorf("merged feedback: %d items, newest first", len(v.Feedback))
		}
		// One timeline: every interaction of either member in the window, newest first.
		var want []interaction.ID
		for _, id := range []customer.ID{w.jane.ID, w.john.ID} {
			for i, err := range f.book.CustomerTimeline(ctx, id, rapport.Filter{Since: v.Since}) {
				if err != nil {
					t.Fatal(err)
				}
				want = append(want, i.ID)
			}
		}
		var got []interaction.ID
		for k, i := range v.Timeline {
			got = append(got, i.ID)
			if k > 0 && i.OccurredAt.After(v.Timeline[k-1].OccurredAt) {
				t.Errorf("timeline out of order at %d", k)
			}
		}
		slices.SortFunc(want, func(a, b interaction.ID) int { return slices.Compare(a[:], b[:]) })
		slices.SortFunc(got, func(a, b interaction.ID) int { return slices.Compare(a[:], b[:]) })
		if len(got) < 15 || !slices.Equal(got, want) {
			t.Errorf("household timeline has %d interactions, the members' timelines %d", len(got), len(want))
		}
		if _, err := f.book.HouseholdBrief(ctx, household.ID{0xee}, nil); !errors.Is(err, rapport.ErrNotFound) {
			t.Errorf("view of no household: %v", err)
		}
	})
}

// forEachBriefBackend is forEachBackend, and pgstore too when
// RAPPORT_PG_DSN names a server (a skip line when it does not).
func forEachBriefBackend(t *testing.T, fn func(t *testing.T, f *fixture)) {
	forEachBackend(t, fn)
	t.Run("pgstore", func(t *testing.T) {
		if os.Getenv("RAPPORT_PG_DSN") == "" {
			t.Skip("RAPPORT_PG_DSN not set")
		}
		fn(t, newFixture(t, func(t *testing.T) storage.Backend { return openPG(t) }, "group-1"))
	})
}

// withoutHeads hides a backend's storage.HeadReader.
type withoutHeads struct{ storage.Backend }

// A backend without storage.HeadReader gives the same brief, from whole
// records.
func TestBriefWithoutHeadReader(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		w := newBriefWorld(t, f)
		if _, ok := storage.Backend(withoutHeads{f.backend}).(storage.HeadReader); ok {
			t.Fatal("the wrapper does not hide HeadReader")
		}
		plain, err := rapport.New(withoutHeads{f.backend}, "group-1", &rapport.Options{Now: f.clock, NewID: f.newID})
		if err != nil {
			t.Fatal(err)
		}
		opts := &rapport.BriefOptions{Rooftop: "downtown", Staff: "sam", Opportunities: household.OpportunityRules{Brands: []string{"Mazda"}}}
		want, err := f.book.Brief(ctx, w.jane.ID, opts)
		if err != nil {
			t.Fatal(err)
		}
		got, err := plain.Brief(ctx, w.jane.ID, opts)
		if err != nil {
			t.Fatal(err)
		}
		a, _ := json.Marshal(want)
		b, _ := json.Marshal(got)
		if string(a) != string(b) || len(got.Channels) != 3 {
			t.Errorf("without HeadReader:\n%s\nwith it:\n%s", b, a)
		}
	})
}
