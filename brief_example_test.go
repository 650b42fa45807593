package rapport_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/rapportcim/rapport"
	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/interaction"
)

// exampleFamily stores Jane (who says "call me" but answers texts), her
// consent to service texts and calls, three texts and two emails from Sam
// over the last week, and the Doe household with a CX-5 whose warranty
// ends soon and an off-brand Civic.
func exampleFamily(ctx context.Context, book *rapport.Book) (customer.ID, household.ID) {
	mobile, _ := channel.ParseAddress("tel:+12125550123")
	mail, _ := channel.ParseAddress("mailto:jane@example.com")
	jane, err := book.UpsertCustomer(ctx, customer.Customer{Name: customer.Name{Given: "Jane", Family: "Doe"},
		ContactPoints: []customer.ContactPoint{{Address: mobile, Usage: customer.UsageMobile}, {Address: mail}},
		Preference:    channel.Preference{Kinds: []channel.Kind{channel.KindVoice}, Zone: "America/New_York"}})
	if err != nil {
		log.Fatal(err)
	}
	id := jane.Record.ID
	now := time.Date(2026, 11, 10, 19, 0, 0, 0, time.UTC)
	for _, k := range []channel.Kind{channel.KindSMS, channel.KindVoice} {
		if _, err := book.RecordConsent(ctx, consent.Event{Subject: consent.Subject{Address: mobile, Customer: id}, Channel: k,
			Purpose: consent.PurposeService, Action: consent.ActionGrant, Basis: consent.BasisExpress, CapturedAt: now.AddDate(0, -1, 0),
			Evidence: consent.Evidence{Method: consent.MethodCall, CapturedBy: "sam"}}); err != nil {
			log.Fatal(err)
		}
	}
	sam := []interaction.Participant{{Staff: "sam", Role: interaction.RoleSalesperson}}
	for d, reply := range []time.Duration{3 * time.Minute, 8 * time.Minute, 5 * time.Minute} {
		at := now.AddDate(0, 0, d-7)
		for _, i := range []interaction.Interaction{
			{Channel: channel.KindSMS, Address: mobile, Direction: interaction.DirectionOutbound, Kind: interaction.KindMessage,
				Authorship: interaction.AuthorshipHuman, Participants: sam, Body: "Any questions about the CX-5?", OccurredAt: at},
			{Channel: channel.KindSMS, Address: mobile, Direction: interaction.DirectionInbound, Kind: interaction.KindMessage,
				Body: "Yes, one more", OccurredAt: at.Add(reply)},
			{Channel: channel.KindEmail, Address: mail, Direction: interaction.DirectionOutbound, Kind: interaction.KindEmail,
				Authorship: interaction.AuthorshipHuman, Participants: sam, Subject: "Your quote", Body: "Attached.", OccurredAt: at.Add(time.Hour)},
		} {
			i.Rooftop, i.Customer = "downtown", id
			if _, err := book.RecordInteraction(ctx, i); err != nil {
				log.Fatal(err)
			}
		}
	}
	hh, err := book.UpsertHousehold(ctx, household.Household{Name: "Doe household",
		Members: []household.Member{{Customer: id, Role: household.MemberRolePrimary}}})
	if err != nil {
		log.Fatal(err)
	}
	for _, v := range []household.Vehicle{
		{Make: "Mazda", Model: "CX-5", WarrantyEnds: now.AddDate(0, 0, 45),
			Stakeholders: []household.Stakeholder{{Customer: id, Role: household.StakeholderRoleOwner}}},
		{Make: "Honda", Model: "Civic", LastService: household.Odometer{ReadAt: now.AddDate(0, -9, 0)}},
	} {
		v.Household = hh.Record.ID
		if _, err := book.UpsertVehicle(ctx, v); err != nil {
			log.Fatal(err)
		}
	}
	return id, hh.Record.ID
}

func ExampleBook_Brief() {
	ctx := context.Background()
	book := exampleBook()
	jane, _ := exampleFamily(ctx, book)
	br, err := book.Brief(ctx, jane, &rapport.BriefOptions{Rooftop: "downtown", Staff: "sam",
		Opportunities: household.OpportunityRules{Brands: []string{"Mazda"}}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(br.Customer.Name.Display())
	for _, c := range br.Channels {
		fmt.Printf("%-5s stated rank %2d: replied to %d of %d, median %v\n",
			c.Channel, c.StatedRank, c.Observed.Replied, c.Observed.Asked, c.Observed.MedianReply)
	}
	fmt.Println("use now:", br.UseNow)
	for _, r := range br.Reach {
		fmt.Printf("%s %s: service %v, marketing %v\n", r.Address, r.Channel, r.Service.Consent, r.Marketing.Consent)
	}
	for _, h := range br.Households {
		for _, v := range h.Vehicles {
			for _, o := range v.Opportunities {
				fmt.Printf("%s %s: %s (%s)\n", v.Vehicle.Make, v.Vehicle.Model, o.Detail, o.Department)
			}
		}
	}
	// Output:
	// Jane Doe
	// voice stated rank  0: replied to 0 of 0, median 0s
	// email stated rank -1: replied to 0 of 3, median 0s
	// sms   stated rank -1: replied to 3 of 3, median 5m0s
	// use now: sms
	// tel:+12125550123 sms: service allowed (granted), marketing refused (no_consent)
	// tel:+12125550123 voice: service allowed (granted), marketing refused (no_consent)
	// mailto:jane@example.com email: service allowed (not_opted_out), marketing allowed (not_opted_out)
	// Mazda CX-5: warranty ends 2026-12-25 (in 45 days) (service)
	// Honda Civic: last service 2026-02-10, 9 months ago (service)
	// Honda Civic: Honda is not a make the dealership sells: tires and oil (service)
}

func ExampleBook_HouseholdBrief() {
	ctx := context.Background()
	book := exampleBook()
	_, hh := exampleFamily(ctx, book)
	v, err := book.HouseholdBrief(ctx, hh, nil)
	if err != nil {
		log.Fatal(err)
	}
	// Nine messages and the conversation they opened.
	fmt.Println(v.Household.Household.Name, len(v.Members), "member,", len(v.Household.Vehicles), "vehicles,", len(v.Timeline), "interactions")
	for _, vi := range v.Household.Vehicles {
		fmt.Println(vi.Vehicle.Make, vi.Vehicle.Model, len(vi.Opportunities), "opportunities")
	}
	// Output:
	// Doe household 1 member, 2 vehicles, 10 interactions
	// Mazda CX-5 1 opportunities
	// Honda Civic 1 opportunities
}

func ExampleCallbacks_Queue() {
	ctx := context.Background()
	book := exampleBook() // 19:00 UTC: 14:00 in New York
	jane, _ := exampleFamily(ctx, book)
	// She texts: call me back, between 5 and 7 pm on weekdays.
	evenings := []channel.Window{}
	for d := time.Monday; d <= time.Friday; d++ {
		evenings = append(evenings, channel.Window{Day: d, Start: channel.Clock(17, 0), End: channel.Clock(19, 0)})
	}
	req, err := book.Callbacks().Request(ctx, rapport.CallbackRequest{Customer: jane, Rooftop: "downtown", Team: "bdc",
		RequestedOn: channel.KindSMS, Windows: evenings, Zone: "America/New_York"})
	if err != nil {
		log.Fatal(err)
	}
	q, err := book.Callbacks().Queue(ctx, "downtown", "bdc", nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, w := range q.Waiting {
		fmt.Println(w.Position, w.Commitment.Callback.Address, "callable now:", w.CallableNow, "next:", w.NextCallable.Format(time.RFC3339))
	}
	// Ana takes it and calls; nobody answers: the request stays queued.
	if _, err := book.Callbacks().Take(ctx, req.ID, rapport.Act{By: "ana"}); err != nil {
		log.Fatal(err)
	}
	after, call, err := book.Callbacks().NoAnswer(ctx, req.ID, rapport.Act{By: "ana"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(after.Owner, after.Status, len(after.Callback.Attempts), call.Interaction.Channel, call.Interaction.Call.Outcome)
	// Output:
	// 1 tel:+12125550123 callable now: false next: 2026-11-10T22:00:00Z
	// ana open 1 voice no_answer
}
