// Command handoff follows one conversation through a dealership: a sales
// bot answers a lead's text and escalates to a salesperson when the customer
// asks for a person; the salesperson makes a promise (a commitment), keeps
// it, and hands the deal to F&I, staying on as a follower; a card number the
// customer texts is redacted before it is stored and flagged for a manager.
// It ends with the honest response-time metrics of the day.
//
//	go run ./examples/handoff
package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/netip"
	"os"
	"time"

	"github.com/rapportcim/rapport"
	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage/memstore"
)

const rooftop dealer.Rooftop = "downtown-mazda"

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// clock is a hand-advanced clock, so the story's times are reproducible.
type clock struct{ now time.Time }

func (c *clock) Now() time.Time                    { return c.now }
func (c *clock) advance(d time.Duration) time.Time { c.now = c.now.Add(d); return c.now }

func run(ctx context.Context, w io.Writer) error {
	backend := memstore.New(nil)
	defer backend.Close()
	clk := &clock{now: time.Date(2026, 11, 10, 14, 2, 0, 0, time.UTC)} // Tuesday 09:02 in New York
	book, err := rapport.New(backend, "example-dealer-group", &rapport.Options{Now: clk.Now})
	if err != nil {
		return err
	}
	mobile := mustAddr("tel:+12125550123")
	store := mustAddr("tel:+12125550100")

	jane, err := book.UpsertCustomer(ctx, customer.Customer{
		Name:          customer.Name{Given: "Jane", Family: "Doe"},
		ContactPoints: []customer.ContactPoint{{Address: mobile, Usage: customer.UsageMobile, Primary: true}},
		Preference:    channel.Preference{Zone: "America/New_York"},
	})
	if err != nil {
		return err
	}
	// She gave her number on the dealer's site for updates about her deal:
	// express consent for service messages, with the form's evidence.
	grant, err := consent.FromWebForm(consent.WebForm{
		Address: mobile, Customer: jane.Record.ID, Channel: channel.KindSMS, Purpose: consent.PurposeService, Rooftop: rooftop,
		Basis: consent.BasisExpress, At: clk.now, DisclosureVersion: "updates-v1",
		IP: netip.MustParseAddr("192.0.2.10"), UserAgent: "Mozilla/5.0 (example)", PageURL: "https://www.example.com/cx-5",
	})
	if err != nil {
		return err
	}
	if _, err := book.RecordConsent(ctx, grant); err != nil {
		return err
	}

	say := func(format string, args ...any) {
		fmt.Fprintf(w, "%s  "+format+"\n", append([]any{clk.now.In(ny).Format("15:04")}, args...)...)
	}

	in, err := book.Receive(ctx, rapport.Inbound{From: mobile, To: store, Rooftop: rooftop, Handler: "sales-bot",
		Body: "Hi, is the blue CX-5 Touring still available?", At: clk.advance(time.Minute)})
	if err != nil {
		return err
	}
	conv := in.Conversation
	say("Jane texts; the conversation opens %s, owned by %s", conv.Status, conv.Handler)

	send := func(staff dealer.Staff, role interaction.Role, a interaction.Authorship, body string, after time.Duration) error {
		_, err := book.Send(ctx, rapport.Outbound{Purpose: consent.PurposeService, Interaction: interaction.Interaction{
			Rooftop: rooftop, Customer: jane.Record.ID, Channel: channel.KindSMS, Address: mobile, Via: store,
			Kind: interaction.KindMessage, Authorship: a, Body: body, OccurredAt: clk.advance(after),
			Participants: []interaction.Participant{{Staff: staff, Role: role}},
		}})
		if err == nil {
			say("%s: %q", staff, body)
		}
		return err
	}
	if err := send("sales-bot", interaction.RoleBot, interaction.AuthorshipAutomated, "Yes, we have it! Would you like to book a test drive?", 30*time.Second); err != nil {
		return err
	}
	if _, err := book.Receive(ctx, rapport.Inbound{From: mobile, To: store, Rooftop: rooftop,
		Body: "What would you give me for my 2019 Civic? I'd rather talk to a person.", At: clk.advance(3 * time.Minute)}); err != nil {
		return err
	}
	say("Jane asks for a person")
	clk.advance(4 * time.Minute)
	if conv, err = book.Conversations().Escalate(ctx, conv.ID, "sam.sales", "sales",
		rapport.Act{By: "sales-bot", Reason: "trade-in question; asked for a person"}); err != nil {
		return err
	}
	say("the bot escalates to %s: conversation %s", conv.Owner, conv.Status)
	if err := send("sam.sales", interaction.RoleSalesperson, interaction.AuthorshipHuman,
		"Hi Jane, Sam here. I'll call you tomorrow at 10 with the trade-in number.", 6*time.Minute); err != nil {
		return err
	}
	var promise interaction.Interaction
	for i, err := range book.CustomerTimeline(ctx, jane.Record.ID, rapport.Filter{Kinds: []interaction.Kind{interaction.KindMessage}}) {
		if err != nil {
			return err
		}
		promise = i // newest first: the promise
		break
	}
	tomorrow10 := time.Date(2026, 11, 11, 10, 0, 0, 0, ny)
	c, err := book.Commitments().Make(ctx, interaction.Commitment{Source: promise.ID, What: "call with the trade-in number", Owner: "sam.sales", Team: "sales", Due: tomorrow10})
	if err != nil {
		return err
	}
	say("commitment: %s owes %q by %s", c.Owner, c.What, c.Due.In(ny).Format("Mon 15:04"))

	r, err := book.Receive(ctx, rapport.Inbound{From: mobile, To: store, Rooftop: rooftop,
		Body: "Great. For the deposit, my card is 4111 1111 1111 1111.", At: clk.advance(20 * time.Minute)})
	if err != nil {
		return err
	}
	say("Jane texts a card number; stored as %q (%d finding, flagged for review: %v)", r.Interaction.Body, len(r.Interaction.Findings), r.Interaction.AwaitingReview())
	if err := send("sam.sales", interaction.RoleSalesperson, interaction.AuthorshipHuman,
		"Thanks! Please never text card numbers; we'll take the deposit in person.", 5*time.Minute); err != nil {
		return err
	}

	// Next morning: Sam calls at 10 as promised.
	clk.now = tomorrow10.Add(-2 * time.Minute).UTC()
	overdue := 0
	for _, err := range book.Commitments().Overdue(ctx, rapport.CommitmentFilter{Owner: "sam.sales"}) {
		if err != nil {
			return err
		}
		overdue++
	}
	say("overdue for Sam before the call: %d", overdue)
	if _, err := book.RecordInteraction(ctx, interaction.Interaction{Rooftop: rooftop, Customer: jane.Record.ID, Channel: channel.KindVoice,
		Address: mobile, Direction: interaction.DirectionOutbound, Kind: interaction.KindCall, Authorship: interaction.AuthorshipHuman,
		Participants: []interaction.Participant{{Staff: "sam.sales", Role: interaction.RoleSalesperson}},
		Call:         &interaction.Call{Outcome: interaction.CallOutcomeAnswered, Duration: 7 * time.Minute}, OccurredAt: clk.advance(2 * time.Minute)}); err != nil {
		return err
	}
	if c, err = book.Commitments().Keep(ctx, c.ID, rapport.Act{By: "sam.sales"}); err != nil {
		return err
	}
	say("Sam calls with the number; commitment %s", c.Status)

	clk.advance(2 * time.Hour)
	if conv, err = book.Conversations().OfferHandoff(ctx, conv.ID, "fay.fi", "finance",
		rapport.Act{By: "sam.sales", Reason: "deal agreed; financing paperwork"}); err != nil {
		return err
	}
	waiting := 0
	for _, err := range book.Conversations().UnacceptedHandoffs(ctx, rooftop) {
		if err != nil {
			return err
		}
		waiting++
	}
	say("Sam offers the deal to F&I; unaccepted handoffs: %d", waiting)
	clk.advance(15 * time.Minute)
	if conv, err = book.Conversations().AcceptHandoff(ctx, conv.ID, rapport.Act{By: "fay.fi"}); err != nil {
		return err
	}
	say("%s accepts; owner %s, followers %v", conv.Owner, conv.Owner, conv.Followers)
	if _, err := book.Receive(ctx, rapport.Inbound{From: mobile, To: store, Rooftop: rooftop, Body: "Do I need to bring anything?", At: clk.advance(time.Hour)}); err != nil {
		return err
	}
	if err := send("fay.fi", interaction.RoleFI, interaction.AuthorshipHuman, "Just your license and proof of insurance.", 12*time.Minute); err != nil {
		return err
	}
	clk.advance(3 * time.Hour)
	if conv, err = book.Conversations().Resolve(ctx, conv.ID, rapport.Act{By: "fay.fi"}); err != nil {
		return err
	}
	say("conversation %s", conv.Status)

	fmt.Fprintln(w, "\nTimeline of the conversation, oldest first:")
	var lines []string
	for i, err := range book.CustomerTimeline(ctx, jane.Record.ID, rapport.Filter{}) {
		if err != nil {
			return err
		}
		what := i.Body
		if i.Lifecycle != nil {
			what = fmt.Sprintf("[%s] %s %s", i.Lifecycle.Action, i.Lifecycle.To, i.Lifecycle.Reason)
		}
		if i.Call != nil {
			what = fmt.Sprintf("call %s, %s", i.Call.Outcome, i.Call.Duration)
		}
		lines = append(lines, fmt.Sprintf("  %s %-9s %-9s %s", i.OccurredAt.In(ny).Format("Jan 02 15:04"), i.Kind, i.Direction, what))
	}
	for k := len(lines) - 1; k >= 0; k-- {
		fmt.Fprintln(w, lines[k])
	}

	// Business hours: load the rooftop's calendar once (it reads the time
	// zone database) and measure with its clock.
	hours, err := interaction.Calendar{Zone: "America/New_York", Hours: channel.Every(channel.Clock(9, 0), channel.Clock(19, 0))}.Load()
	if err != nil {
		return err
	}
	m, err := book.Metrics(ctx, &interaction.MetricsOptions{
		From: time.Date(2026, 11, 10, 0, 0, 0, 0, ny), To: time.Date(2026, 11, 12, 0, 0, 0, 0, ny),
		Calendars: map[dealer.Rooftop]*interaction.BusinessClock{rooftop: hours},
	})
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "\nMetrics (the bot's minutes before escalation do not count against Sam):")
	for _, s := range []dealer.Staff{"sam.sales", "fay.fi"} {
		f := m.ByStaff[s]
		first := "none (took over an answered conversation)"
		if f.FirstResponse.Wall.Count > 0 {
			first = fmt.Sprintf("%v (business hours %v)", f.FirstResponse.Wall.P50, f.FirstResponse.Business.P50)
		}
		fmt.Fprintf(w, "  %-10s first response %s; next responses %d, median %v\n", s, first, f.NextResponse.Wall.Count, f.NextResponse.Wall.P50)
	}
	fmt.Fprintf(w, "  resolution %v; unanswered inbound %d\n", m.All.Resolution.Wall.Max, m.All.Unanswered)
	for _, a := range []interaction.Authorship{interaction.AuthorshipHuman, interaction.AuthorshipAutomated} {
		fmt.Fprintf(w, "  outbound %-9s share %3.0f%%, customer reply rate %3.0f%%\n", a, 100*m.All.Share(a), 100*m.All.Outbound[a].ReplyRate())
	}
	return nil
}

var ny = mustLoad("America/New_York")

func mustLoad(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		log.Fatal(err)
	}
	return l
}

func mustAddr(s string) channel.Address {
	a, err := channel.ParseAddress(s)
	if err != nil {
		log.Fatal(err)
	}
	return a
}
