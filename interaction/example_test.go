package interaction_test

import (
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/interaction"
)

// Provider callbacks arrive late and out of order: Apply takes each as it
// comes.
func ExampleDelivery_Apply() {
	at := time.Date(2025, 3, 14, 15, 0, 0, 0, time.UTC)
	var d interaction.Delivery
	for i, u := range []interaction.DeliveryUpdate{
		{Status: interaction.StatusQueued, At: at},
		{Status: interaction.StatusSent, At: at.Add(1 * time.Second)},
		{Status: interaction.StatusRead, At: at.Add(90 * time.Second)},
		{Status: interaction.StatusDelivered, At: at.Add(3 * time.Second)}, // late: ignored
	} {
		next, err := d.Apply(u)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%d. %-9s → %s at %s (attempts %d)\n", i+1, u.Status, next.Status, next.At.Format(time.TimeOnly), next.Attempts)
		d = next
	}
	// Moving a read message back to the queue is a bug, not a late report.
	_, err := d.Apply(interaction.DeliveryUpdate{Status: interaction.StatusQueued, At: at})
	fmt.Println(errors.Is(err, interaction.ErrInvalidTransition), err)
	// Output:
	// 1. queued    → queued at 15:00:00 (attempts 1)
	// 2. sent      → sent at 15:00:01 (attempts 1)
	// 3. read      → read at 15:01:30 (attempts 1)
	// 4. delivered → read at 15:01:30 (attempts 1)
	// true interaction: delivery: read to queued: invalid status transition
}

// A retryable error: the message is queued again and the attempt counted.
func ExampleDelivery_Apply_retry() {
	at := time.Date(2025, 3, 14, 15, 0, 0, 0, time.UTC)
	d := interaction.Delivery{Status: interaction.StatusSent, At: at, Attempts: 1}
	d, _ = d.Apply(interaction.DeliveryUpdate{Status: interaction.StatusErrored, At: at.Add(time.Second), Reason: "provider timeout", ErrorCode: "20429"})
	fmt.Printf("%s: %s (%s)\n", d.Status, d.Reason, d.ErrorCode)
	d, _ = d.Apply(interaction.DeliveryUpdate{Status: interaction.StatusQueued, At: at.Add(time.Minute)})
	fmt.Printf("%s, attempt %d\n", d.Status, d.Attempts)
	d, _ = d.Apply(interaction.DeliveryUpdate{Status: interaction.StatusFailed, At: at.Add(2 * time.Minute), Reason: "unknown subscriber", ErrorCode: "30005"})
	fmt.Printf("%s: %s (%s), terminal: %t\n", d.Status, d.Reason, d.ErrorCode, d.Status.Terminal())
	// Output:
	// errored: provider timeout (20429)
	// queued, attempt 2
	// failed: unknown subscriber (30005), terminal: true
}

func ExampleCommitment_Overdue() {
	due := time.Date(2025, 3, 14, 17, 0, 0, 0, time.UTC) // "by 5 pm"
	c := interaction.Commitment{
		What:   "Call back with the trade-in number",
		Owner:  "sam.sales",
		Due:    due,
		Status: interaction.CommitmentStatusOpen,
	}
	fmt.Println("4:59 pm:", c.Overdue(due.Add(-time.Minute)))
	fmt.Println("5:00 pm:", c.Overdue(due))
	fmt.Println("5:01 pm:", c.Overdue(due.Add(time.Minute)))
	c.Status, c.DoneAt = interaction.CommitmentStatusDone, due.Add(2*time.Minute)
	fmt.Println("done at 5:02 pm, asked at 6 pm:", c.Overdue(due.Add(time.Hour)))
	// Output:
	// 4:59 pm: false
	// 5:00 pm: false
	// 5:01 pm: true
	// done at 5:02 pm, asked at 6 pm: false
}

// Validate reports every problem at once, each naming its field.
func ExampleInteraction_Validate() {
	addr, err := channel.ParseAddress("mailto:jane.doe@example.com")
	if err != nil {
		log.Fatal(err)
	}
	i := interaction.Interaction{
		Tenant:    "acme-auto-group",
		Channel:   channel.KindSMS, // but the address is an email address
		Address:   addr,
		Direction: interaction.DirectionOutbound,
		Kind:      interaction.KindMessage,
		Body:      "Your car is ready",
		Call:      &interaction.Call{Outcome: interaction.CallOutcomeAnswered},
	}
	err = i.Validate()
	fmt.Println("missing something:", errors.Is(err, interaction.ErrMissing))
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var ve *interaction.ValidationError
		if errors.As(e, &ve) {
			fmt.Printf("%s: %v\n", ve.Field, ve.Err)
		}
	}
	// Output:
	// missing something: true
	// address: values disagree: a mailto: address cannot carry channel sms
	// occurred_at: required value missing
	// call: value does not apply: kind is message
}

// Values written by a newer version of rapport are kept, not dropped.
func ExampleParseKind() {
	for _, s := range []string{"Social_Mention", "video_tour", "not a kind"} {
		k, err := interaction.ParseKind(s)
		fmt.Printf("%q known=%t err=%v\n", k, k.Known(), err)
	}
	// Output:
	// "social_mention" known=true err=<nil>
	// "video_tour" known=false err=<nil>
	// "" known=false err=interaction: kind: invalid value: not a lower-case token of letters, digits, '_' and '-' of at most 32 bytes
}

// Sensitive numbers are masked where they are, keeping the last four
// digits; phone numbers, prices, dates and VINs are left alone.
func ExampleRedact() {
	text := "SSN 123-45-6789, card 4111 1111 1111 1111, routing 021000021. " +
		"Call 212-555-0123 about the $32,499 Civic (VIN 1HGCM82633A004352) on 11/22/2026."
	redacted, findings := interaction.Redact(text)
	fmt.Println(redacted)
	for _, f := range findings {
		fmt.Printf("%s at %d–%d, last four %q\n", f.Kind, f.Start, f.End, f.Last4)
	}
	// Output:
	// SSN ***-**-6789, card **** **** **** 1111, routing *****0021. Call 212-555-0123 about the $32,499 Civic (VIN 1HGCM82633A004352) on 11/22/2026.
	// ssn at 4–15, last four "6789"
	// card at 22–41, last four "1111"
	// routing_number at 51–60, last four "0021"
}

// Numbers typed the way people type on phones: split across lines, in
// bold, in curly quotes, and after Spanish keywords. The ACC (adaptive
// cruise control) and the model years are left alone.
func ExampleRedact_phoneTyped() {
	text := "card\n4111 1111\n1111 1111/08/28\n" +
		"Mi seguro social es *123456789* y mi número de cuenta \u201c1234-5678-90\u201d\n" +
		"Does the 2025 2026 Accord have ACC 360?"
	redacted, findings := interaction.Redact(text)
	fmt.Println(redacted)
	for _, f := range findings {
		fmt.Printf("%s, last four %q\n", f.Kind, f.Last4)
	}
	// Output:
	// card
	// **** ****
	// **** 1111/08/28
	// Mi seguro social es ******6789* y mi número de cuenta “****-**78-90”
	// Does the 2025 2026 Accord have ACC 360?
	// card, last four "1111"
	// ssn, last four "6789"
	// bank_account, last four "7890"
}

// A chat bot answers first, escalates to a salesperson with a reason, who
// hands the customer on to F&I; the salesperson stays on as a follower.
func ExampleConversation_Escalate() {
	at := time.Date(2025, 3, 14, 15, 0, 0, 0, time.UTC)
	c := interaction.Conversation{Tenant: "acme-auto-group", Rooftop: "downtown", Handler: "sales-bot"}
	show := func(ev interaction.LifecycleEvent, err error) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%-16s → %-7s owner=%q followers=%v\n", ev.Action, ev.Status, c.Owner, c.Followers)
	}
	show(c.Open(at))
	show(c.Escalate("sam.sales", "sales", "customer asked about the trade-in", at.Add(2*time.Minute)))
	show(c.OfferHandoff("fay.fi", "finance", "ready to sign", at.Add(time.Hour)))
	show(c.AcceptHandoff("fay.fi", at.Add(time.Hour+5*time.Minute)))
	show(c.Close(at.Add(2 * time.Hour)))

	_, err := c.Reopen(at.Add(3 * time.Hour))
	var te *interaction.TransitionError
	fmt.Println(errors.Is(err, interaction.ErrInvalidTransition), errors.As(err, &te) && te.From == "closed")
	// Output:
	// opened           → pending owner="" followers=[]
	// escalated        → open    owner="sam.sales" followers=[]
	// handoff_offered  → open    owner="sam.sales" followers=[]
	// handoff_accepted → open    owner="fay.fi" followers=[sam.sales]
	// closed           → closed  owner="fay.fi" followers=[sam.sales]
	// true true
}

// Business hours count only while the rooftop is open, in its own zone.
func ExampleCalendar_BusinessDuration() {
	cal := interaction.Calendar{Zone: "America/Chicago", Holidays: []customer.Date{{Month: 12, Day: 25}}}
	for d := time.Monday; d <= time.Friday; d++ {
		cal.Hours = append(cal.Hours, channel.Window{Day: d, Start: channel.Clock(9, 0), End: channel.Clock(18, 0)})
	}
	chicago, _ := time.LoadLocation("America/Chicago")
	friday := time.Date(2025, 3, 14, 17, 30, 0, 0, chicago)
	monday := time.Date(2025, 3, 17, 9, 45, 0, 0, chicago)
	d, err := cal.BusinessDuration(friday, monday)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("Friday 17:30 to Monday 09:45:", monday.Sub(friday), "wall clock,", d, "business")

	clock, _ := cal.Load() // load once to measure many
	christmasEve := time.Date(2025, 12, 24, 12, 0, 0, 0, chicago)
	fmt.Println("over Christmas:", clock.Duration(christmasEve, christmasEve.Add(48*time.Hour)))
	// Output:
	// Friday 17:30 to Monday 09:45: 64h15m0s wall clock, 1h15m0s business
	// over Christmas: 9h0m0s
}

// Metrics count the person's time from the escalation, not the bot's.
func ExampleMeasure() {
	at := time.Date(2025, 3, 14, 15, 0, 0, 0, time.UTC)
	conv := interaction.ConversationID{1}
	step := func(min int, ev interaction.LifecycleEvent) interaction.Interaction {
		ev.At = at.Add(time.Duration(min) * time.Minute)
		return interaction.Interaction{Conversation: conv, Direction: interaction.DirectionInternal,
			Kind: interaction.KindLifecycle, OccurredAt: ev.At, Lifecycle: &ev}
	}
	msg := func(min int, dir interaction.Direction, who dealer.Staff, a interaction.Authorship) interaction.Interaction {
		i := interaction.Interaction{Conversation: conv, Channel: channel.KindSMS, Direction: dir, Kind: interaction.KindMessage,
			Authorship: a, OccurredAt: at.Add(time.Duration(min) * time.Minute)}
		if who != "" {
			i.Participants = []interaction.Participant{{Staff: who}}
		}
		return i
	}
	in, out := interaction.DirectionInbound, interaction.DirectionOutbound
	timeline := []interaction.Interaction{
		step(0, interaction.LifecycleEvent{Action: interaction.ActionOpened, Status: interaction.ConversationStatusPending, To: "sales-bot"}),
		msg(0, in, "", ""),
		msg(1, out, "sales-bot", interaction.AuthorshipAutomated),
		msg(20, in, "", ""),
		step(25, interaction.LifecycleEvent{Action: interaction.ActionEscalated, Status: interaction.ConversationStatusOpen,
			From: "sales-bot", To: "sam.sales", Team: "sales", Reason: "wants a person"}),
		msg(31, out, "sam.sales", interaction.AuthorshipHuman), // 6 minutes after the escalation
		msg(40, in, "", ""),
		msg(52, out, "sam.sales", interaction.AuthorshipTemplate),
		step(85, interaction.LifecycleEvent{Action: interaction.ActionResolved, Status: interaction.ConversationStatusResolved}),
	}
	m := interaction.Measure(timeline, &interaction.MetricsOptions{To: at.Add(72 * time.Hour)})
	sam := m.ByStaff["sam.sales"]
	fmt.Println("first response:", sam.FirstResponse.Wall.P50)
	fmt.Println("next response: ", sam.NextResponse.Wall.P50)
	fmt.Println("resolution:    ", m.All.Resolution.Wall.P50)
	for _, a := range interaction.Authorships() {
		o := m.All.Outbound[a]
		fmt.Printf("%-9s share %.2f, replied %d of %d\n", a, m.All.Share(a), o.Replied, o.Decided)
	}
	// Output:
	// first response: 6m0s
	// next response:  12m0s
	// resolution:     1h0m0s
	// human     share 0.33, replied 1 of 1
	// template  share 0.33, replied 0 of 1
	// automated share 0.33, replied 1 of 1
	// assisted  share 0.00, replied 0 of 0
}

// Another salesperson texted the customer an hour ago: the policy refuses.
func ExampleCheckCollision() {
	now := time.Date(2025, 3, 14, 15, 0, 0, 0, time.UTC)
	recent := []interaction.Interaction{{
		Direction: interaction.DirectionOutbound, Kind: interaction.KindMessage, Authorship: interaction.AuthorshipHuman,
		OccurredAt: now.Add(-time.Hour), Participants: []interaction.Participant{{Staff: "tom.sales", Role: interaction.RoleSalesperson}},
	}}
	col := interaction.CheckCollision(interaction.Intent{Staff: "sam.sales", At: now}, recent, nil,
		interaction.CollisionPolicy{Window: 4 * time.Hour, Refuse: true})
	for _, w := range col.Warnings {
		fmt.Println(w.Reason, w.Staff, now.Sub(w.At), "ago")
	}
	fmt.Println(col.Err())
	// Output:
	// recent_contact_by_other_staff tom.sales 1h0m0s ago
	// interaction: contact collides with another member of staff: recent_contact_by_other_staff (tom.sales)
}

// Promises and sensitive data flag an interaction for a manager's review.
func ExampleReviewFlags() {
	phrases, err := interaction.NewReviewPhrases(nil) // the defaults
	if err != nil {
		log.Fatal(err)
	}
	i := interaction.Interaction{Direction: interaction.DirectionOutbound, Kind: interaction.KindMessage,
		Body: "Send me your card number 4111 1111 1111 1111 and I'll waive the fee, guaranteed."}
	i.Redact()
	at := time.Date(2025, 3, 14, 15, 0, 0, 0, time.UTC)
	i.Flags = append(i.Flags, interaction.ReviewFlags(i, phrases, at)...)
	for _, f := range i.Flags {
		fmt.Printf("%s %q\n", f.Reason, f.Phrase)
	}
	_ = i.Flags[0].Review("mia.manager", "spoke with Sam", at.Add(time.Hour))
	fmt.Println(i.Body)
	fmt.Println("awaiting review:", i.AwaitingReview())
	// Output:
	// sensitive_data ""
	// phrase "guaranteed"
	// phrase "waive"
	// phrase "I'll waive the fee"
	// Send me your card number **** **** **** 1111 and I'll waive the fee, guaranteed.
	// awaiting review: true
}
