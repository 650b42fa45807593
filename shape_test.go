package rapport_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rapportcim/rapport"
	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/interaction"
)

// checkLinks fails unless both ends of every household–vehicle link agree:
// each vehicle a household lists names that household, and each vehicle
// naming a household is listed by it.
func checkLinks(t *testing.T, f *fixture, hs []household.ID, vs []household.VehicleID) {
	t.Helper()
	ctx := context.Background()
	listed := map[household.VehicleID]household.ID{}
	for _, hid := range hs {
		h, err := f.book.Household(ctx, hid)
		if err != nil {
			t.Fatal(err)
		}
		for _, vid := range h.Vehicles {
			if prev, dup := listed[vid]; dup {
				t.Fatalf("vehicle %v is listed by households %v and %v", vid, prev, hid)
			}
			listed[vid] = hid
		}
	}
	for _, vid := range vs {
		v, err := f.book.Vehicle(ctx, vid)
		if err != nil {
			t.Fatal(err)
		}
		if v.Household != listed[vid] {
			t.Fatalf("vehicle %v names household %v, but is listed by %v", vid, v.Household, listed[vid])
		}
	}
}

// Random sequences of household and vehicle writes keep the link's two
// ends in agreement.
func TestHouseholdVehicleLinkInvariant(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		rng := rand.New(rand.NewPCG(15, 1))
		const nh, nv = 4, 6
		var hs []household.ID
		for k := range nh {
			c, err := f.book.UpsertCustomer(ctx, customer.Customer{Name: customer.Name{Full: fmt.Sprintf("Member %d", k)}})
			if err != nil {
				t.Fatal(err)
			}
			h, err := f.book.UpsertHousehold(ctx, household.Household{Members: []household.Member{{Customer: c.Record.ID, Role: household.MemberRolePrimary}}})
			if err != nil {
				t.Fatal(err)
			}
			hs = append(hs, h.Record.ID)
		}
		var vs []household.VehicleID
		for k := range nv {
			v, err := f.book.UpsertVehicle(ctx, household.Vehicle{Make: "Honda", Model: fmt.Sprintf("Model %d", k)})
			if err != nil {
				t.Fatal(err)
			}
			vs = append(vs, v.Record.ID)
		}
		pickH := func() household.ID { return hs[rng.IntN(nh)] }
		pickV := func() household.VehicleID { return vs[rng.IntN(nv)] }
		for step := range 60 {
			f.advance(time.Minute)
			var what string
			switch rng.IntN(4) {
			case 0: // a vehicle record names a household (or none)
				v := household.Vehicle{ID: pickV(), Make: "Honda"}
				if rng.IntN(4) > 0 {
					v.Household = pickH()
				}
				what = fmt.Sprintf("UpsertVehicle(%v → %v)", v.ID, v.Household)
				if _, err := f.book.UpsertVehicle(ctx, v); err != nil {
					t.Fatalf("step %d %s: %v", step, what, err)
				}
			case 1: // a household record lists vehicles
				h := household.Household{ID: pickH(), Vehicles: []household.VehicleID{pickV(), pickV()}}
				h.Vehicles = slices.Compact(h.Vehicles)
				what = fmt.Sprintf("UpsertHousehold(%v lists %v)", h.ID, h.Vehicles)
				if _, err := f.book.UpsertHousehold(ctx, h); err != nil {
					t.Fatalf("step %d %s: %v", step, what, err)
				}
			case 2: // a household drops one of its vehicles
				h, err := f.book.Household(ctx, pickH())
				if err != nil {
					t.Fatal(err)
				}
				if len(h.Vehicles) == 0 {
					continue
				}
				drop := h.Vehicles[rng.IntN(len(h.Vehicles))]
				h.Vehicles = slices.DeleteFunc(h.Vehicles, func(v household.VehicleID) bool { return v == drop })
				what = fmt.Sprintf("UpdateHousehold(%v drops %v)", h.ID, drop)
				if _, err := f.book.UpdateHousehold(ctx, h); err != nil {
					t.Fatalf("step %d %s: %v", step, what, err)
				}
			case 3: // a household is replaced with another vehicle list
				h, err := f.book.Household(ctx, pickH())
				if err != nil {
					t.Fatal(err)
				}
				h.Vehicles = []household.VehicleID{pickV()}
				what = fmt.Sprintf("UpdateHousehold(%v has only %v)", h.ID, h.Vehicles)
				if _, err := f.book.UpdateHousehold(ctx, h); err != nil {
					t.Fatalf("step %d %s: %v", step, what, err)
				}
			}
			t.Run("", func(t *testing.T) { checkLinks(t, f, hs, vs) })
			if t.Failed() {
				t.Fatalf("after step %d: %s", step, what)
			}
		}
	})
}

func TestVehicleMovesBetweenHouseholds(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		var hs []household.ID
		for _, name := range []string{"Jane Doe", "Ann Roe"} {
			c, _ := f.book.UpsertCustomer(ctx, customer.Customer{Name: customer.Name{Full: name}})
			h, err := f.book.UpsertHousehold(ctx, household.Household{Members: []household.Member{{Customer: c.Record.ID, Role: household.MemberRolePrimary}}})
			if err != nil {
				t.Fatal(err)
			}
			hs = append(hs, h.Record.ID)
		}
		v, err := f.book.UpsertVehicle(ctx, household.Vehicle{Make: "Honda", Model: "Accord", Household: hs[0]})
		if err != nil {
			t.Fatal(err)
		}
		vid := v.Record.ID
		listed := func(h household.ID) bool {
			got, err := f.book.Household(ctx, h)
			if err != nil {
				t.Fatal(err)
			}
			return slices.Contains(got.Vehicles, vid)
		}
		if !listed(hs[0]) || listed(hs[1]) {
			t.Fatal("a new vehicle naming a household is listed by it")
		}
		// Sold within the family: the vehicle record names the other household.
		moved, err := f.book.UpsertVehicle(ctx, household.Vehicle{ID: vid, Make: "Honda", Household: hs[1]})
		if err != nil || moved.Record.Household != hs[1] || !moved.Changed || listed(hs[0]) || !listed(hs[1]) {
			t.Fatalf("UpsertVehicle naming another household moves the vehicle: %+v, %v", moved, err)
		}
		// A household import that lists it takes it back.
		back, err := f.book.UpsertHousehold(ctx, household.Household{ID: hs[0], Vehicles: []household.VehicleID{vid}})
		if err != nil || !back.Changed || !listed(hs[0]) || listed(hs[1]) {
			t.Fatalf("UpsertHousehold listing another household's vehicle moves it: %+v, %v", back, err)
		}
		if got, _ := f.book.Vehicle(ctx, vid); got.Household != hs[0] {
			t.Errorf("vehicle names %v after the move, want %v", got.Household, hs[0])
		}
		// Dropping it from the list unlinks it.
		h, _ := f.book.Household(ctx, hs[0])
		h.Vehicles = nil
		if _, err := f.book.UpdateHousehold(ctx, h); err != nil {
			t.Fatal(err)
		}
		if got, _ := f.book.Vehicle(ctx, vid); !got.Household.IsZero() {
			t.Errorf("a vehicle dropped from its household still names it: %v", got.Household)
		}
		// A household that does not exist is refused, and nothing is written.
		_, err = f.book.UpsertVehicle(ctx, household.Vehicle{ID: vid, Make: "Honda", Household: household.ID{0xee}})
		if !errors.Is(err, rapport.ErrNotFound) {
			t.Errorf("moving to a missing household = %v, want ErrNotFound", err)
		}
		if got, _ := f.book.Vehicle(ctx, vid); !got.Household.IsZero() {
			t.Errorf("a failed move was written: %v", got.Household)
		}
	})
}

// openBotConversation receives a lead's text answered by a bot; it returns
// the conversation.
func openBotConversation(t *testing.T, f *fixture) interaction.Conversation {
	t.Helper()
	in, err := f.book.Receive(context.Background(), rapport.Inbound{From: addr(t, "tel:+12125550123"), To: addr(t, "tel:+12125550100"),
		Rooftop: "downtown", Body: "Is the CX-5 still there?", Handler: "sales-bot"})
	if err != nil {
		t.Fatal(err)
	}
	return in.Conversation
}

// lifecycle returns the conversation's lifecycle steps, oldest first.
func lifecycle(t *testing.T, f *fixture, conv interaction.Conversation) []interaction.LifecycleEvent {
	t.Helper()
	var out []interaction.LifecycleEvent
	for i, err := range f.book.CustomerTimeline(context.Background(), conv.Customer, rapport.Filter{Kinds: []interaction.Kind{interaction.KindLifecycle}}) {
		if err != nil {
			t.Fatal(err)
		}
		if i.Conversation == conv.ID {
			out = append(out, *i.Lifecycle)
		}
	}
	slices.Reverse(out)
	return out
}

func TestActRecordsWhoAndWhen(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		opened := f.clock()
		conv := openBotConversation(t, f)
		f.advance(time.Hour)
		// An import of history: the escalation happened ten minutes after
		// the conversation opened, not now.
		at := opened.Add(10 * time.Minute)
		conv, err := f.book.Conversations().Escalate(ctx, conv.ID, "sam", "sales", rapport.Act{By: "sales-bot", At: at, Reason: "asked for a person"})
		if err != nil {
			t.Fatal(err)
		}
		steps := lifecycle(t, f, conv)
		last := steps[len(steps)-1]
		if last.Action != interaction.ActionEscalated || !last.At.Equal(at) || last.By != "sales-bot" || last.Reason != "asked for a person" {
			t.Errorf("the escalation is recorded with who and when: %+v", last)
		}
		rev := conv.Revision
		for name, act := range map[string]rapport.Act{
			"before the latest step": {By: "sam", At: at.Add(-time.Minute)},
			"in the future":          {By: "sam", At: f.clock().Add(time.Minute)},
		} {
			_, err := f.book.Conversations().Resolve(ctx, conv.ID, act)
			var te *interaction.TransitionError
			if !errors.As(err, &te) || !errors.Is(err, interaction.ErrInvalidTransition) || !errors.Is(err, rapport.ErrStepTime) {
				t.Errorf("a step dated %s = %v, want a TransitionError wrapping ErrStepTime", name, err)
			}
		}
		if got, _ := f.book.Conversation(ctx, conv.ID); got.Revision != rev || got.Status != interaction.ConversationStatusOpen {
			t.Errorf("a refused step wrote something: %+v", got)
		}
		// A step whose record its own Validate rejects (a reason of two
		// lines, a malformed staff identifier) fails typed and writes
		// nothing.
		for _, act := range []rapport.Act{{By: "sam", Reason: "two\nlines"}, {By: "not a staff id!"}} {
			_, err := f.book.Conversations().Resolve(ctx, conv.ID, act)
			var ve *interaction.ValidationError
			if !errors.As(err, &ve) {
				t.Errorf("Resolve with %+v = %v, want a validation error", act, err)
			}
		}
		if got, _ := f.book.Conversation(ctx, conv.ID); got.Revision != rev {
			t.Errorf("an invalid step wrote the conversation: revision %d, want %d", got.Revision, rev)
		}
		if n := len(lifecycle(t, f, conv)); n != len(steps) {
			t.Errorf("an invalid step wrote a lifecycle record: %d steps, want %d", n, len(steps))
		}
		resolved, err := f.book.Conversations().Resolve(ctx, conv.ID, rapport.Act{By: "sam", Reason: "bought elsewhere"})
		if err != nil || !resolved.ResolvedAt.Equal(f.clock()) {
			t.Fatalf("a zero Act.At means now: %+v, %v", resolved.ResolvedAt, err)
		}
		steps = lifecycle(t, f, conv)
		if last := steps[len(steps)-1]; last.By != "sam" || last.Reason != "bought elsewhere" {
			t.Errorf("Resolve records who and why: %+v", last)
		}
	})
}

func TestPendingHandoffEndsOnTheTimeline(t *testing.T) {
	for _, end := range []string{"assigned", "closed"} {
		t.Run(end, func(t *testing.T) {
			forEachBackend(t, func(t *testing.T, f *fixture) {
				ctx := context.Background()
				conv := openBotConversation(t, f)
				cs := f.book.Conversations()
				conv, err := cs.Escalate(ctx, conv.ID, "sam", "sales", rapport.Act{By: "sales-bot", Reason: "asked for a person"})
				if err != nil {
					t.Fatal(err)
				}
				f.advance(time.Minute)
				if conv, err = cs.OfferHandoff(ctx, conv.ID, "", "finance", rapport.Act{By: "sam", Reason: "paperwork"}); err != nil {
					t.Fatal(err)
				}
				// A team handoff cannot be taken by the one who offered it.
				if _, err := cs.AcceptHandoff(ctx, conv.ID, rapport.Act{By: "sam"}); !errors.Is(err, interaction.ErrMismatch) {
					t.Errorf("the offerer accepted their own team handoff: %v", err)
				}
				f.advance(time.Minute)
				switch end {
				case "assigned":
					conv, err = cs.Assign(ctx, conv.ID, "lee", "sales", rapport.Act{By: "mia.manager"})
				case "closed":
					conv, err = cs.Close(ctx, conv.ID, rapport.Act{By: "mia.manager"})
				}
				if err != nil || conv.PendingHandoff != nil {
					t.Fatalf("%s: %+v, %v", end, conv, err)
				}
				steps := lifecycle(t, f, conv)
				var got []string
				for _, s := range steps {
					got = append(got, string(s.Action))
				}
				want := "opened escalated handoff_offered handoff_declined " + end
				if strings.Join(got, " ") != want {
					t.Fatalf("timeline %q, want %q", strings.Join(got, " "), want)
				}
				ended := steps[3]
				if ended.By != "mia.manager" || ended.From != "sam" || ended.Team != "finance" || !strings.Contains(ended.Reason, end) {
					t.Errorf("how the handoff ended is recorded: %+v", ended)
				}
			})
		})
	}
}

func TestCommitmentRecordsWhoClosedIt(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		c, _ := f.book.UpsertCustomer(ctx, customer.Customer{Name: customer.Name{Full: "Jane Doe"}})
		made, err := f.book.Commitments().Make(ctx, interaction.Commitment{Customer: c.Record.ID, What: "call back", Owner: "sam", Due: f.clock().Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		f.advance(30 * time.Minute)
		at := f.clock().Add(-10 * time.Minute)
		kept, err := f.book.Commitments().Keep(ctx, made.ID, rapport.Act{By: "sam", At: at})
		if err != nil || kept.ClosedBy != "sam" || !kept.DoneAt.Equal(at) {
			t.Fatalf("Keep records who and when: %+v, %v", kept, err)
		}
		stored, _ := f.book.Commitment(ctx, made.ID)
		if stored.ClosedBy != "sam" || !stored.DoneAt.Equal(at) {
			t.Errorf("stored: %+v", stored)
		}
		other, _ := f.book.Commitments().Make(ctx, interaction.Commitment{Customer: c.Record.ID, What: "send quote", Owner: "sam", Due: f.clock().Add(time.Hour)})
		if _, err := f.book.Commitments().Keep(ctx, other.ID, rapport.Act{By: "sam", At: f.clock().Add(time.Minute)}); !errors.Is(err, rapport.ErrStepTime) {
			t.Errorf("kept in the future: %v", err)
		}
		if _, err := f.book.Commitments().Cancel(ctx, other.ID, rapport.Act{By: "sam"}); !errors.Is(err, interaction.ErrMissing) {
			t.Errorf("cancel without a reason: %v", err)
		}
	})
}

func TestCallerMistakesAreValidationErrors(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		r, err := f.book.Receive(ctx, rapport.Inbound{From: addr(t, "tel:+12125550123"), Rooftop: "downtown",
			Body: "my card is 4111 1111 1111 1111"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.book.Reviews().Complete(ctx, r.Interaction.ID, 5, rapport.Act{By: "mia.manager"})
		var ve *interaction.ValidationError
		if !errors.As(err, &ve) || !errors.Is(err, rapport.ErrNoFlag) || errors.Is(err, rapport.ErrNotFound) {
			t.Errorf("a flag index out of range = %v, want a validation error (not ErrNotFound)", err)
		}
		// A flag its own Validate rejects (a malformed staff identifier)
		// is refused and writes nothing.
		if _, err := f.book.Reviews().Flag(ctx, r.Interaction.ID, rapport.Act{By: "not a staff id!"}); !errors.As(err, &ve) {
			t.Errorf("Flag by a malformed staff identifier = %v", err)
		}
		if got, _ := f.book.Interaction(ctx, r.Interaction.ID); got.Revision != r.Interaction.Revision {
			t.Errorf("a refused flag was written")
		}
		// A delivery receipt for an inbound message is refused and writes
		// nothing.
		_, err = f.book.UpdateDelivery(ctx, r.Interaction.ID, interaction.DeliveryUpdate{Status: interaction.StatusDelivered, At: f.clock()})
		if !errors.As(err, &ve) || ve.Field != "delivery" || !errors.Is(err, interaction.ErrNotApplicable) {
			t.Errorf("UpdateDelivery on an inbound message = %v", err)
		}
		if got, _ := f.book.Interaction(ctx, r.Interaction.ID); got.Revision != r.Interaction.Revision || got.Delivery != (interaction.Delivery{}) {
			t.Errorf("a refused delivery receipt was written: %+v", got.Delivery)
		}
		// A contact request without channel or purpose is malformed, not a
		// refusal that reads like a legal decision; Send checks the same.
		_, err = f.book.Check(ctx, rapport.Contact{Address: addr(t, "tel:+12125550123")})
		var consentErr *consent.ValidationError
		if !errors.As(err, &consentErr) || !errors.Is(err, consent.ErrMissing) || errors.Is(err, rapport.ErrRefused) {
			t.Errorf("Check without channel and purpose = %v", err)
		}
		for _, field := range []string{"channel", "purpose"} {
			if !strings.Contains(fieldsOf(err), field) {
				t.Errorf("Check without %s: no problem for that field in %v", field, err)
			}
		}
		_, err = f.book.Send(ctx, rapport.Outbound{Interaction: interaction.Interaction{Rooftop: "downtown", Channel: channel.KindSMS,
			Address: addr(t, "tel:+12125550123"), Kind: interaction.KindMessage, Body: "hello"}})
		if !errors.As(err, &consentErr) || consentErr.Field != "purpose" {
			t.Errorf("Send without a purpose = %v", err)
		}
		// A zone the time zone database lacks is found at write time.
		_, err = f.book.UpsertCustomer(ctx, customer.Customer{Name: customer.Name{Full: "Jane Doe"}, Preference: channel.Preference{Zone: "Mars/Olympus_Mons"}})
		var cve *customer.ValidationError
		if !errors.As(err, &cve) || cve.Field != "preference.zone" || !errors.Is(err, channel.ErrInvalidZone) {
			t.Errorf("an unknown zone = %v", err)
		}
	})
}

func TestBookErrors(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		_, err := f.book.Customer(ctx, customer.ID{0xab})
		var be *rapport.Error
		if !errors.As(err, &be) || be.Op != "Customer" || !errors.Is(err, rapport.ErrNotFound) {
			t.Errorf("Customer of a missing ID = %v, want *rapport.Error wrapping ErrNotFound", err)
		}
		if n := strings.Count(err.Error(), "rapport:"); n != 1 {
			t.Errorf("the call is named once: %q", err)
		}
		_, err = f.book.Conversations().Resolve(ctx, interaction.ConversationID{0xab}, rapport.Act{})
		if !errors.As(err, &be) || be.Op != "Conversations.Resolve" || !errors.Is(err, rapport.ErrNotFound) {
			t.Errorf("Resolve of a missing conversation = %v", err)
		}
		cancelled, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := f.book.UpsertCustomer(cancelled, customer.Customer{Name: customer.Name{Full: "Jane Doe"}}); err != context.Canceled {
			t.Errorf("a cancelled call reports exactly ctx.Err(): %v", err)
		}
	})
}

// The message that opens a bot-owned conversation belongs to the bot, even
// though its "opened" step is stored after it at the same instant.
func TestMetricsAttributeTheOpeningMessageToTheBot(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		start := f.clock()
		conv := openBotConversation(t, f)
		f.advance(2 * time.Minute)
		if _, err := f.book.Conversations().Resolve(ctx, conv.ID, rapport.Act{By: "sales-bot"}); err != nil {
			t.Fatal(err)
		}
		m, err := f.book.Metrics(ctx, &interaction.MetricsOptions{From: start.Add(-time.Hour), To: start.Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		if got := m.ByStaff["sales-bot"].Inbound; got != 1 {
			t.Errorf("inbound attributed to the bot = %d, want 1 (by staff: %+v)", got, m.ByStaff)
		}
		if m.All.Unanswered != 0 || m.All.FirstResponse.Wall.Count != 0 {
			t.Errorf("a message the bot took and resolved is measured against people: %+v", m.All)
		}
	})
}

// fieldsOf lists the fields of the *consent.ValidationError values in err.
func fieldsOf(err error) string {
	var out []string
	var walk func(error)
	walk = func(err error) {
		if ve, ok := err.(*consent.ValidationError); ok {
			out = append(out, ve.Field)
			return
		}
		switch e := err.(type) {
		case interface{ Unwrap() []error }:
			for _, x := range e.Unwrap() {
				walk(x)
			}
		case interface{ Unwrap() error }:
			walk(e.Unwrap())
		}
	}
	walk(err)
	return strings.Join(out, " ")
}
