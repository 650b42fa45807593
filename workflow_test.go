package rapport_test

import (
	"context"
	"errors"
	"iter"
	"strings"
	"testing"
	"time"

	"github.com/rapportcim/rapport"
	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/interaction"
)

// A lead texts in; the sales bot owns the conversation until it escalates
// to Sam, who hands off to Fay in F&I.
func TestConversationLifecycle(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		f.now = time.Date(2026, 11, 10, 15, 0, 0, 0, time.UTC)
		mobile, store := addr(t, "tel:+12125550123"), addr(t, "tel:+12125550100")
		in, err := f.book.Receive(ctx, rapport.Inbound{From: mobile, To: store, Rooftop: "downtown", Body: "Do you have CX-5s in blue?", Handler: "sales-bot"})
		if err != nil {
			t.Fatal(err)
		}
		conv := in.Conversation
		if conv.Status != interaction.ConversationStatusPending || conv.Handler != "sales-bot" {
			t.Fatalf("a conversation a bot answers opens pending: %+v", conv)
		}
		bot := interaction.Interaction{Rooftop: "downtown", Customer: in.Interaction.Customer, Channel: channel.KindSMS, Address: mobile, Via: store,
			Kind: interaction.KindMessage, Direction: interaction.DirectionOutbound, Authorship: interaction.AuthorshipAutomated, OccurredAt: f.advance(10 * time.Second),
			Participants: []interaction.Participant{{Staff: "sales-bot", Role: interaction.RoleBot}}, Body: "We have 3 in blue! Want to book a test drive?"}
		if _, err := f.book.RecordInteraction(ctx, bot); err != nil {
			t.Fatal(err)
		}
		f.advance(2 * time.Minute)
		conv, err = f.book.Conversations().Escalate(ctx, conv.ID, "sam", "sales", rapport.Act{By: "sales-bot", Reason: "customer asked about trade-in value"})
		if err != nil || conv.Status != interaction.ConversationStatusOpen || conv.Owner != "sam" {
			t.Fatalf("escalate: %+v, %v", conv, err)
		}
		_, err = f.book.Conversations().Escalate(ctx, conv.ID, "lee", "", rapport.Act{Reason: "again"})
		var te *interaction.TransitionError
		if !errors.As(err, &te) || !errors.Is(err, interaction.ErrInvalidTransition) {
			t.Errorf("an illegal transition fails with a typed error: %v", err)
		}
		f.advance(time.Minute)
		if conv, err = f.book.Conversations().OfferHandoff(ctx, conv.ID, "fay", "finance", rapport.Act{By: "sam", Reason: "ready for paperwork"}); err != nil {
			t.Fatal(err)
		}
		waiting, err := collect(f.book.Conversations().UnacceptedHandoffs(ctx, "downtown"))
		if err != nil || len(waiting) != 1 || waiting[0].ID != conv.ID {
			t.Fatalf("unaccepted handoffs can be listed: %v, %v", waiting, err)
		}
		if others, _ := collect(f.book.Conversations().UnacceptedHandoffs(ctx, "uptown")); len(others) != 0 {
			t.Errorf("handoffs of another rooftop listed: %v", others)
		}
		f.advance(time.Minute)
		conv, err = f.book.Conversations().AcceptHandoff(ctx, conv.ID, rapport.Act{By: "fay"})
		if err != nil || conv.Owner != "fay" || !containsStaff(conv.Followers, "sam") || conv.PendingHandoff != nil {
			t.Fatalf("after a handoff the previous owner stays a follower: %+v, %v", conv, err)
		}
		if waiting, _ := collect(f.book.Conversations().UnacceptedHandoffs(ctx)); len(waiting) != 0 {
			t.Errorf("accepted handoff still listed")
		}
		if conv, err = f.book.Conversations().Snooze(ctx, conv.ID, f.clock().Add(24*time.Hour), rapport.Act{By: "fay"}); err != nil || conv.Status != interaction.ConversationStatusSnoozed {
			t.Fatalf("snooze: %+v, %v", conv, err)
		}
		woke, err := f.book.Receive(ctx, rapport.Inbound{From: mobile, To: store, Rooftop: "downtown", Body: "Any news from the bank?", At: f.advance(time.Hour)})
		if err != nil || woke.Conversation.ID != conv.ID || woke.Conversation.Status != interaction.ConversationStatusOpen {
			t.Fatalf("an inbound message wakes a snoozed conversation: %+v, %v", woke.Conversation, err)
		}
		if conv, err = f.book.Conversations().Resolve(ctx, conv.ID, rapport.Act{By: "fay"}); err != nil || conv.Status != interaction.ConversationStatusResolved {
			t.Fatalf("resolve: %v", err)
		}
		again, err := f.book.Receive(ctx, rapport.Inbound{From: mobile, To: store, Rooftop: "downtown", Body: "One more question", At: f.advance(time.Hour)})
		if err != nil || again.Conversation.ID != conv.ID || !again.OpenedConversation || again.Conversation.Status != interaction.ConversationStatusOpen {
			t.Fatalf("a new inbound reopens a resolved conversation: %+v, %v", again.Conversation, err)
		}
		if conv, err = f.book.Conversations().Close(ctx, conv.ID, rapport.Act{By: "fay"}); err != nil || conv.Status != interaction.ConversationStatusClosed {
			t.Fatalf("close: %v", err)
		}
		if _, err := f.book.Conversations().Assign(ctx, conv.ID, "sam", "", rapport.Act{}); !errors.Is(err, interaction.ErrInvalidTransition) {
			t.Errorf("a closed conversation is immutable: %v", err)
		}
		note := interaction.Interaction{Rooftop: "downtown", Customer: conv.Customer, Conversation: conv.ID, Direction: interaction.DirectionInternal,
			Kind: interaction.KindNote, Body: "late note"}
		if _, err := f.book.RecordInteraction(ctx, note); !errors.Is(err, interaction.ErrInvalidTransition) {
			t.Errorf("a closed conversation takes no interactions: %v", err)
		}
		fresh, err := f.book.Receive(ctx, rapport.Inbound{From: mobile, To: store, Rooftop: "downtown", Body: "Hello again", At: f.advance(time.Hour)})
		if err != nil || fresh.Conversation.ID == conv.ID || !fresh.OpenedConversation {
			t.Fatalf("after close, new traffic starts a new conversation: %+v, %v", fresh.Conversation, err)
		}
		// Every step is an event in the customer's timeline.
		var actions []string
		for i, err := range f.book.CustomerTimeline(ctx, conv.Customer, rapport.Filter{Kinds: []interaction.Kind{interaction.KindLifecycle}}) {
			if err != nil {
				t.Fatal(err)
			}
			if i.Conversation == conv.ID {
				actions = append(actions, string(i.Lifecycle.Action))
			}
		}
		want := "closed reopened resolved woke snoozed handoff_accepted handoff_offered escalated opened"
		if got := strings.Join(actions, " "); got != want {
			t.Errorf("lifecycle timeline = %q, want %q", got, want)
		}
	})
}

func containsStaff(s []dealer.Staff, x dealer.Staff) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}

func TestCollisionWarningsAndRefusal(t *testing.T) {
	for _, be := range backends {
		t.Run(be.name, func(t *testing.T) {
			f := newFixture(t, be.open, "group-1")
			f.now = time.Date(2026, 11, 10, 15, 0, 0, 0, time.UTC)
			ctx := context.Background()
			mobile := addr(t, "tel:+12125550123")
			r, _ := f.book.UpsertCustomer(ctx, customer.Customer{Name: customer.Name{Full: "Jane Doe"}, Preference: channel.Preference{Zone: "America/New_York"},
				ContactPoints: []customer.ContactPoint{{Address: mobile}}})
			if _, err := f.book.RecordConsent(ctx, consent.Event{Subject: consent.Subject{Address: mobile}, Channel: channel.KindSMS,
				Purpose: consent.PurposeService, Action: consent.ActionGrant, Basis: consent.BasisExpress, CapturedAt: f.clock(),
				Evidence: consent.Evidence{Method: consent.MethodInStore, CapturedBy: "sam"}}); err != nil {
				t.Fatal(err)
			}
			first, err := f.book.Send(ctx, rapport.Outbound{Purpose: consent.PurposeService, Interaction: interaction.Interaction{
				Rooftop: "downtown", Customer: r.Record.ID, Channel: channel.KindSMS, Address: mobile, Kind: interaction.KindMessage,
				Authorship: interaction.AuthorshipHuman, Participants: []interaction.Participant{{Staff: "sam", Role: interaction.RoleSalesperson}},
				Body: "Your appraisal is ready", OccurredAt: f.advance(time.Minute)}})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.book.Conversations().Assign(ctx, first.Conversation.ID, "sam", "sales", rapport.Act{By: "mia.manager"}); err != nil {
				t.Fatal(err)
			}
			v, err := f.book.Check(ctx, rapport.Contact{Address: mobile, Channel: channel.KindSMS, Purpose: consent.PurposeService,
				Rooftop: "downtown", Customer: r.Record.ID, Staff: "lee", At: f.advance(time.Hour)})
			if err != nil {
				t.Fatal(err)
			}
			reasons := map[interaction.CollisionReason]bool{}
			for _, w := range v.Collision.Warnings {
				reasons[w.Reason] = true
			}
			if !reasons[interaction.CollisionReasonRecentContactByOther] || !reasons[interaction.CollisionReasonOwnedByOther] || v.Collision.Refused || !v.Allowed() {
				t.Errorf("Check warns about another staff member's recent contact and ownership, without refusing: %+v", v.Collision)
			}
			if v, _ := f.book.Check(ctx, rapport.Contact{Address: mobile, Channel: channel.KindSMS, Purpose: consent.PurposeService,
				Rooftop: "downtown", Customer: r.Record.ID, Staff: "sam"}); len(v.Collision.Warnings) != 0 {
				t.Errorf("the owner gets no warning: %+v", v.Collision)
			}
			strict, err := rapport.New(f.backend, "group-1", &rapport.Options{Now: f.clock, NewID: f.newID,
				Collision: interaction.CollisionPolicy{Window: 2 * time.Hour, Refuse: true}})
			if err != nil {
				t.Fatal(err)
			}
			_, err = strict.Send(ctx, rapport.Outbound{Purpose: consent.PurposeService, Interaction: interaction.Interaction{
				Rooftop: "downtown", Customer: r.Record.ID, Channel: channel.KindSMS, Address: mobile, Kind: interaction.KindMessage,
				Authorship: interaction.AuthorshipHuman, Participants: []interaction.Participant{{Staff: "lee", Role: interaction.RoleBDC}},
				Body: "Hi! Following up on your visit"}})
			var re *rapport.RefusedError
			if !errors.As(err, &re) || !re.Verdict.Collision.Refused || !re.Verdict.Consent.Allowed {
				t.Errorf("a refusing collision policy turns the warning into a refusal: %v", err)
			}
		})
	}
}

func TestCommitments(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		f.now = time.Date(2026, 11, 10, 15, 0, 0, 0, time.UTC)
		call, err := f.book.RecordInteraction(ctx, interaction.Interaction{Rooftop: "downtown", Channel: channel.KindVoice,
			Address: addr(t, "tel:+12125550123"), Direction: interaction.DirectionInbound, Kind: interaction.KindCall,
			Call: &interaction.Call{Outcome: interaction.CallOutcomeAnswered, Duration: 5 * time.Minute}})
		if err != nil {
			t.Fatal(err)
		}
		due := f.clock().Add(19 * time.Hour) // tomorrow at 10 in New York
		c, err := f.book.Commitments().Make(ctx, interaction.Commitment{Source: call.Interaction.ID, What: "call back with the trade-in number", Owner: "sam", Team: "sales", Due: due})
		if err != nil {
			t.Fatal(err)
		}
		if c.Customer != call.Interaction.Customer || c.Conversation != call.Conversation.ID || c.Rooftop != "downtown" || c.Status != interaction.CommitmentStatusOpen {
			t.Errorf("a commitment takes its customer, conversation and rooftop from its source: %+v", c)
		}
		other, err := f.book.Commitments().Make(ctx, interaction.Commitment{Customer: c.Customer, Rooftop: "uptown", What: "send the lease quote", Owner: "lee", Due: due.Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		if list, _ := collect(f.book.Commitments().Overdue(ctx, rapport.CommitmentFilter{})); len(list) != 0 {
			t.Errorf("nothing is overdue yet: %v", list)
		}
		if soon, _ := collect(f.book.Commitments().DueSoon(ctx, 20*time.Hour, rapport.CommitmentFilter{Owner: "sam"})); len(soon) != 1 || soon[0].ID != c.ID {
			t.Errorf("due soon for sam = %v", soon)
		}
		f.advance(48 * time.Hour)
		for _, tc := range []struct {
			f    rapport.CommitmentFilter
			want int
		}{{rapport.CommitmentFilter{}, 2}, {rapport.CommitmentFilter{Owner: "sam"}, 1}, {rapport.CommitmentFilter{Team: "sales"}, 1}, {rapport.CommitmentFilter{Rooftop: "uptown"}, 1}} {
			if list, err := collect(f.book.Commitments().Overdue(ctx, tc.f)); err != nil || len(list) != tc.want {
				t.Errorf("overdue %+v = %d (%v), want %d", tc.f, len(list), err, tc.want)
			}
		}
		if kept, err := f.book.Commitments().Keep(ctx, c.ID, rapport.Act{By: "sam"}); err != nil || kept.Status != interaction.CommitmentStatusDone || kept.DoneAt.IsZero() {
			t.Fatalf("keep: %+v, %v", kept, err)
		}
		if _, err := f.book.Commitments().Keep(ctx, c.ID, rapport.Act{By: "sam"}); !errors.Is(err, interaction.ErrInvalidTransition) {
			t.Errorf("a kept commitment cannot be kept again: %v", err)
		}
		old, next, err := f.book.Commitments().HandOff(ctx, other.ID, "fay", rapport.Act{By: "lee"})
		if err != nil || old.Status != interaction.CommitmentStatusHandedOff || next.Owner != "fay" || next.Status != interaction.CommitmentStatusOpen || next.ID == old.ID {
			t.Fatalf("hand off: %+v %+v %v", old, next, err)
		}
		if list, _ := collect(f.book.Commitments().Overdue(ctx, rapport.CommitmentFilter{Owner: "fay"})); len(list) != 1 {
			t.Errorf("fay's overdue list = %v", list)
		}
		if _, err := f.book.Commitments().Cancel(ctx, next.ID, rapport.Act{By: "fay", Reason: "customer bought elsewhere"}); err != nil {
			t.Fatal(err)
		}
		if list, _ := collect(f.book.Commitments().Overdue(ctx, rapport.CommitmentFilter{})); len(list) != 0 {
			t.Errorf("overdue after keep and cancel = %v", list)
		}
	})
}

func TestMetricsThroughTheBook(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		start := time.Date(2026, 11, 10, 14, 0, 0, 0, time.UTC) // Tuesday 09:00 in New York
		f.now = start
		mobile, store := addr(t, "tel:+12125550123"), addr(t, "tel:+12125550100")
		in, err := f.book.Receive(ctx, rapport.Inbound{From: mobile, To: store, Rooftop: "downtown", Body: "Is the CX-5 available?", Handler: "sales-bot"})
		if err != nil {
			t.Fatal(err)
		}
		botReply := interaction.Interaction{Rooftop: "downtown", Customer: in.Interaction.Customer, Channel: channel.KindSMS, Address: mobile,
			Kind: interaction.KindMessage, Authorship: interaction.AuthorshipAutomated, Direction: interaction.DirectionOutbound,
			Participants: []interaction.Participant{{Staff: "sales-bot", Role: interaction.RoleBot}}, Body: "Yes! Can I help with anything else?", OccurredAt: f.advance(time.Minute)}
		if _, err := f.book.RecordInteraction(ctx, botReply); err != nil {
			t.Fatal(err)
		}
		if _, err := f.book.Receive(ctx, rapport.Inbound{From: mobile, To: store, Rooftop: "downtown", Body: "I want to talk to a person", At: f.advance(9 * time.Minute)}); err != nil {
			t.Fatal(err)
		}
		// The bot held it 10 minutes; the escalation starts Sam's clock.
		f.advance(20 * time.Minute)
		if _, err := f.book.Conversations().Escalate(ctx, in.Conversation.ID, "sam", "sales", rapport.Act{By: "sales-bot", Reason: "asked for a person"}); err != nil {
			t.Fatal(err)
		}
		human := botReply
		human.ID, human.Authorship, human.Participants = interaction.ID{}, interaction.AuthorshipHuman, []interaction.Participant{{Staff: "sam", Role: interaction.RoleSalesperson}}
		human.Body, human.OccurredAt = "Hi, Sam here. Happy to help!", f.advance(5*time.Minute)
		if _, err := f.book.RecordInteraction(ctx, human); err != nil {
			t.Fatal(err)
		}
		hours, err := interaction.Calendar{Zone: "America/New_York", Hours: channel.Every(channel.Clock(9, 0), channel.Clock(18, 0))}.Load()
		if err != nil {
			t.Fatal(err)
		}
		m, err := f.book.Metrics(ctx, &interaction.MetricsOptions{From: start.Add(-time.Hour), To: start.Add(24 * time.Hour),
			Calendars: map[dealer.Rooftop]*interaction.BusinessClock{"downtown": hours}})
		if err != nil {
			t.Fatal(err)
		}
		sam := m.ByStaff["sam"]
		if sam.FirstResponse.Wall.Count != 1 || sam.FirstResponse.Wall.Max != 5*time.Minute {
			t.Errorf("first response is counted from the escalation (5m), not from the bot's time: %+v", sam.FirstResponse.Wall)
		}
		if sam.FirstResponse.Business.Count != 1 || sam.FirstResponse.Business.Max != 5*time.Minute {
			t.Errorf("business-hours first response = %+v", sam.FirstResponse.Business)
		}
		if got := m.All.Outbound[interaction.AuthorshipAutomated].Sent; got != 1 {
			t.Errorf("automated outbound = %d, want 1", got)
		}
		if got := m.All.Outbound[interaction.AuthorshipHuman].Sent; got != 1 {
			t.Errorf("human outbound = %d, want 1", got)
		}
	})
}

func TestRedactionAndReview(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		mobile, store := addr(t, "tel:+12125550123"), addr(t, "tel:+12125550100")
		r, err := f.book.Receive(ctx, rapport.Inbound{From: mobile, To: store, Rooftop: "downtown",
			Body: "my card is 4111 1111 1111 1111 and my VIN is 1HGCM82633A004352, call 212-555-0123"})
		if err != nil {
			t.Fatal(err)
		}
		stored, err := f.book.Interaction(ctx, r.Interaction.ID)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(stored.Body, "4111 1111 1111") || !strings.Contains(stored.Body, "1111") ||
			!strings.Contains(stored.Body, "1HGCM82633A004352") || !strings.Contains(stored.Body, "212-555-0123") {
			t.Errorf("the card number is redacted at write time (last four kept), the VIN and phone are not: %q", stored.Body)
		}
		if len(stored.Findings) != 1 || stored.Findings[0].Kind != interaction.FindingKind("card") {
			t.Errorf("findings = %+v", stored.Findings)
		}
		if !stored.AwaitingReview() {
			t.Error("sensitive data flags the interaction for review")
		}
		promise, err := f.book.RecordInteraction(ctx, interaction.Interaction{Rooftop: "uptown", Customer: stored.Customer, Channel: channel.KindSMS,
			Address: mobile, Direction: interaction.DirectionOutbound, Kind: interaction.KindMessage, Authorship: interaction.AuthorshipHuman,
			Participants: []interaction.Participant{{Staff: "sam", Role: interaction.RoleSalesperson}}, Body: "Don't worry, I'll waive the fee."})
		if err != nil {
			t.Fatal(err)
		}
		if !promise.Interaction.AwaitingReview() || promise.Interaction.Flags[0].Reason != interaction.FlagReasonPhrase {
			t.Errorf("a watched phrase flags the message: %+v", promise.Interaction.Flags)
		}
		list := func(rooftops ...dealer.Rooftop) []interaction.ID {
			var ids []interaction.ID
			for i, err := range f.book.Reviews().Awaiting(ctx, rooftops...) {
				if err != nil {
					t.Fatal(err)
				}
				ids = append(ids, i.ID)
			}
			return ids
		}
		if got := list("downtown"); len(got) != 1 || got[0] != stored.ID {
			t.Errorf("unreviewed flags per rooftop = %v", got)
		}
		if got := list(); len(got) != 2 {
			t.Errorf("all unreviewed = %v", got)
		}
		if _, err := f.book.Reviews().Complete(ctx, stored.ID, 0, rapport.Act{By: "mia.manager", Reason: "customer volunteered it; reminded staff not to ask"}); err != nil {
			t.Fatal(err)
		}
		if got := list("downtown"); len(got) != 0 {
			t.Errorf("a reviewed interaction is no longer listed: %v", got)
		}
		if _, err := f.book.Reviews().Complete(ctx, stored.ID, 0, rapport.Act{By: "mia.manager", Reason: "again"}); !errors.Is(err, interaction.ErrInvalidTransition) {
			t.Errorf("a flag is reviewed once: %v", err)
		}
		manual, err := f.book.Reviews().Flag(ctx, promise.Interaction.ID, rapport.Act{By: "mia.manager", Reason: "check tone"})
		if err != nil || len(manual.Flags) != len(promise.Interaction.Flags)+1 || manual.Flags[len(manual.Flags)-1].Reason != interaction.FlagReasonManual {
			t.Errorf("manual flag: %+v, %v", manual.Flags, err)
		}
	})
}

func TestOneTimelineHoldsEveryKind(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		r, _ := f.book.UpsertCustomer(ctx, customer.Customer{Name: customer.Name{Full: "Jane Doe"}})
		friend, _ := f.book.UpsertCustomer(ctx, customer.Customer{Name: customer.Name{Full: "Ann Friend"}})
		id := r.Record.ID
		items := []interaction.Interaction{
			{Kind: interaction.KindCall, Channel: channel.KindVoice, Direction: interaction.DirectionOutbound, Authorship: interaction.AuthorshipHuman,
				Call: &interaction.Call{Outcome: interaction.CallOutcomeVoicemail, Duration: 30 * time.Second, RecordingRef: "rec-0001"}},
			{Kind: interaction.KindVisit, Channel: channel.KindInPerson, Direction: interaction.DirectionInbound, Body: "walked the lot"},
			{Kind: interaction.KindAppointment, Channel: channel.KindVoice, Direction: interaction.DirectionInbound,
				Appointment: &interaction.Appointment{ScheduledFor: f.clock().Add(72 * time.Hour), Purpose: "service", Status: interaction.AppointmentStatusScheduled}},
			{Kind: interaction.KindNote, Direction: interaction.DirectionInternal, Body: "prefers texts after 5"},
			{Kind: interaction.KindSurvey, Channel: channel.KindEmail, Direction: interaction.DirectionInbound,
				Survey: &interaction.Survey{Name: "nps", Score: 9, Scale: 10, Comment: "great service"}},
			{Kind: interaction.KindFeedback, Channel: channel.KindWebChat, Direction: interaction.DirectionInbound, Body: "waiting room was cold"},
			{Kind: interaction.KindReferral, Direction: interaction.DirectionInbound, Referral: &interaction.Referral{Referrer: id, Referred: friend.Record.ID}},
			{Kind: interaction.KindReview, Direction: interaction.DirectionInbound, Post: &interaction.Post{Platform: "google", Rating: 5, Scale: 5, URL: "https://www.example.com/review/1"}},
			{Kind: interaction.KindSocialMention, Direction: interaction.DirectionInbound, Post: &interaction.Post{Platform: "instagram", URL: "https://www.example.com/p/2"}},
			{Kind: interaction.KindMessage, Channel: channel.KindSMS, Direction: interaction.DirectionInbound, Address: addr(t, "tel:+12125550123"), Body: "thanks!"},
		}
		for k, i := range items {
			i.Customer, i.Rooftop, i.OccurredAt = id, "downtown", f.advance(time.Minute)
			if _, err := f.book.RecordInteraction(ctx, i); err != nil {
				t.Fatalf("item %d (%s): %v", k, i.Kind, err)
			}
		}
		seen := map[interaction.Kind]bool{}
		for i, err := range f.book.CustomerTimeline(ctx, id, rapport.Filter{}) {
			if err != nil {
				t.Fatal(err)
			}
			seen[i.Kind] = true
			if i.Kind == interaction.KindCall && (i.Call == nil || i.Call.RecordingRef != "rec-0001") {
				t.Errorf("call details lost: %+v", i.Call)
			}
		}
		for _, i := range items {
			if !seen[i.Kind] {
				t.Errorf("timeline has no %s", i.Kind)
			}
		}
	})
}

// collect drains a sequence, stopping at its first error.
func collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	var out []T
	for v, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
	return out, nil
}
