package rapport_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/rapportcim/rapport"
	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/internal/benchcpu"
	"github.com/rapportcim/rapport/storage"
	"github.com/rapportcim/rapport/storage/sqlitestore"
)

// BenchmarkBrief measures Book.Brief on sqlitestore for a customer with
// 1,000 interactions in the window (texts and emails both ways, calls,
// surveys), a mobile and an email address with consent events, an open
// conversation, two open commitments and a household with two vehicles;
// and, as the same-run baseline, one page read of those 1,000
// interactions straight from the backend (what any view of the customer's
// history costs at least).
//
//	go test -run XXX -bench BenchmarkBrief -benchmem -count 5 .
func BenchmarkBrief(b *testing.B) {
	ctx := context.Background()
	be, err := sqlitestore.Open(ctx, filepath.Join(b.TempDir(), "bench.db"), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer be.Close()
	if err := be.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	now := time.Date(2026, 11, 2, 15, 0, 0, 0, time.UTC)
	book, err := rapport.New(be, "bench", &rapport.Options{Now: func() time.Time { return now }})
	if err != nil {
		b.Fatal(err)
	}
	id := briefBenchCustomer(b, book, now)
	opts := &rapport.BriefOptions{Rooftop: "downtown", Staff: "sam", Opportunities: household.OpportunityRules{Brands: []string{"Mazda"}}}
	b.Run("brief", func(b *testing.B) {
		b.ReportAllocs()
		defer benchcpu.Measure(b, 0)()
		for b.Loop() {
			br, err := book.Brief(ctx, id, opts)
			if err != nil || len(br.Channels) == 0 {
				b.Fatal(err)
			}
		}
	})
	b.Run("baseline-page", func(b *testing.B) {
		b.ReportAllocs()
		defer benchcpu.Measure(b, 0)()
		q := storage.InteractionQuery{Customers: []customer.ID{id}}
		for b.Loop() {
			page, _, err := be.Interactions(ctx, "bench", q, "", 1000)
			if err != nil || len(page) != 1000 {
				b.Fatal(len(page), err)
			}
		}
	})
}

// briefBenchCustomer stores the customer BenchmarkBrief reads, with
// exactly 1,000 interactions of its own (assigning its conversation adds
// two lifecycle events).
func briefBenchCustomer(b *testing.B, book *rapport.Book, now time.Time) customer.ID {
	ctx := context.Background()
	mobile, _ := channel.ParseAddress("tel:+12125550123")
	mail, _ := channel.ParseAddress("mailto:jane@example.com")
	r, err := book.UpsertCustomer(ctx, customer.Customer{Name: customer.Name{Given: "Jane", Family: "Doe"},
		ContactPoints: []customer.ContactPoint{{Address: mobile, Primary: true}, {Address: mail}},
		Preference:    channel.Preference{Kinds: []channel.Kind{channel.KindVoice}, Zone: "America/New_York"}})
	if err != nil {
		b.Fatal(err)
	}
	id := r.Record.ID
	for _, k := range []channel.Kind{channel.KindSMS, channel.KindVoice} {
		for _, p := range []consent.Purpose{consent.PurposeService, consent.PurposeMarketing} {
			if _, err := book.RecordConsent(ctx, consent.Event{Subject: consent.Subject{Address: mobile, Customer: id}, Channel: k, Purpose: p,
				Action: consent.ActionGrant, Basis: consent.BasisExpressWritten, CapturedAt: now.Add(-200 * 24 * time.Hour),
				Evidence: consent.Evidence{Method: consent.MethodWebForm, DisclosureVersion: "v1"}}); err != nil {
				b.Fatal(err)
			}
		}
	}
	start := now.Add(-170 * 24 * time.Hour)
	sam := []interaction.Participant{{Staff: "sam", Role: interaction.RoleSalesperson}}
	var conv interaction.ConversationID
	for k := range 1000 {
		at := start.Add(time.Duration(k) * 4 * time.Hour)
		i := interaction.Interaction{Rooftop: "downtown", Customer: id, OccurredAt: at}
		switch k % 10 {
		case 0, 2, 4:
			i.Channel, i.Address, i.Kind, i.Direction, i.Authorship, i.Participants, i.Body =
				channel.KindSMS, mobile, interaction.KindMessage, interaction.DirectionOutbound, interaction.AuthorshipHuman, sam, "Checking in about your visit"
		case 1, 3:
			i.Channel, i.Address, i.Kind, i.Direction, i.Body = channel.KindSMS, mobile, interaction.KindMessage, interaction.DirectionInbound, "Thanks, all good"
		case 5, 7:
			i.Channel, i.Address, i.Kind, i.Direction, i.Authorship, i.Participants, i.Subject, i.Body =
				channel.KindEmail, mail, interaction.KindEmail, interaction.DirectionOutbound, interaction.AuthorshipHuman, sam, "Your quote", "Attached."
		case 6:
			i.Channel, i.Address, i.Kind, i.Direction, i.Subject, i.Body = channel.KindEmail, mail, interaction.KindEmail, interaction.DirectionInbound, "Re: Your quote", "Thanks"
		case 8:
			i.Channel, i.Address, i.Kind, i.Direction, i.Participants, i.Call =
				channel.KindVoice, mobile, interaction.KindCall, interaction.DirectionOutbound, sam, &interaction.Call{Outcome: interaction.CallOutcomeNoAnswer}
		case 9:
			i.Channel, i.Kind, i.Direction, i.Survey = channel.KindEmail, interaction.KindSurvey, interaction.DirectionInbound,
				&interaction.Survey{Name: "CSAT", Score: 4, Scale: 5, Comment: "Fine"}
		}
		rec, err := book.RecordInteraction(ctx, i)
		if err != nil {
			b.Fatal(err)
		}
		conv = rec.Interaction.Conversation
	}
	if _, err := book.Conversations().Assign(ctx, conv, "sam", "sales", rapport.Act{By: "sam", At: now}); err != nil {
		b.Fatal(err)
	}
	for _, due := range []time.Duration{-time.Hour, 24 * time.Hour} {
		if _, err := book.Commitments().Make(ctx, interaction.Commitment{Customer: id, Rooftop: "downtown", What: "Call back", Owner: "sam", Due: now.Add(due)}); err != nil {
			b.Fatal(err)
		}
	}
	hh, err := book.UpsertHousehold(ctx, household.Household{Members: []household.Member{{Customer: id, Role: household.MemberRolePrimary}}})
	if err != nil {
		b.Fatal(err)
	}
	for _, v := range []household.Vehicle{
		{Make: "Mazda", Model: "CX-5", WarrantyEnds: now.AddDate(0, 0, 30), Stakeholders: []household.Stakeholder{{Customer: id, Role: household.StakeholderRoleOwner}}},
		{Make: "Honda", Model: "Civic", LastService: household.Odometer{ReadAt: now.AddDate(-1, 0, 0)}},
	} {
		v.Household = hh.Record.ID
		if _, err := book.UpsertVehicle(ctx, v); err != nil {
			b.Fatal(err)
		}
	}
	return id
}
