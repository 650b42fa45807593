package rapport_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/rapportcim/rapport"
	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
	"github.com/rapportcim/rapport/storage/memstore"
)

// fallbackBackend hides every optional capability of the backend it wraps
// and of its transactions (storage.HistoryReader, storage.CustomerBatcher
// among them), so that a Book over it takes the paths every backend has.
type fallbackBackend struct{ storage.Backend }

func (f fallbackBackend) Update(ctx context.Context, fn func(tx storage.Tx) error) error {
	return f.Backend.Update(ctx, func(tx storage.Tx) error { return fn(struct{ storage.Tx }{tx}) })
}

// TestMetricsHistoriesMatchFallback loads the same generated conversations
// (several rooftops, lifecycle steps, several interactions at one instant,
// interactions outside any conversation, histories reaching back before
// the range) into every backend and checks that Book.Metrics through the
// backend's storage.HistoryReader, Book.Metrics with the capability hidden,
// and Book.Metrics over memstore with it hidden agree, for several ranges
// and rooftop selections.
func TestMetricsHistoriesMatchFallback(t *testing.T) {
	start := time.Date(2026, 10, 5, 13, 0, 0, 0, time.UTC)
	is, convs := metricsWorld(rand.New(rand.NewPCG(14, 5)), start)
	load := func(t *testing.T, backend storage.Backend) {
		err := backend.Update(context.Background(), func(tx storage.Tx) error {
			for _, c := range convs {
				if err := tx.CreateConversation(context.Background(), c); err != nil {
					return err
				}
			}
			for _, i := range is {
				if err := tx.CreateInteraction(context.Background(), i); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	hours, err := interaction.Calendar{Zone: "America/New_York", Hours: channel.Every(channel.Clock(9, 0), channel.Clock(18, 0))}.Load()
	if err != nil {
		t.Fatal(err)
	}
	calendars := map[dealer.Rooftop]*interaction.BusinessClock{"downtown": hours, "airport": hours}
	ranges := []*interaction.MetricsOptions{
		nil,
		{From: start.Add(3 * 24 * time.Hour), To: start.Add(6 * 24 * time.Hour), Calendars: calendars},
		{From: start.Add(2 * 24 * time.Hour), To: start.Add(5*24*time.Hour + 7*time.Minute), Rooftops: []dealer.Rooftop{"uptown"}},
		{From: start.Add(24 * time.Hour), Rooftops: []dealer.Rooftop{"downtown", "airport"}, Calendars: calendars, ReplyWindow: 2 * time.Hour},
		{To: start.Add(4 * 24 * time.Hour)},
	}
	ref := memstore.New(nil)
	defer ref.Close()
	load(t, ref)
	want := make([]interaction.Metrics, len(ranges))
	refBook, err := rapport.New(fallbackBackend{ref}, "group-1", nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, o := range ranges {
		if want[k], err = refBook.Metrics(context.Background(), o); err != nil {
			t.Fatal(err)
		}
	}
	// The ranges select different conversations: a comparison of empty or
	// identical results would prove nothing.
	if n := want[0].Conversations; n != len(convs) {
		t.Fatalf("the whole range measured %d conversations, want %d", n, len(convs))
	}
	for k := 1; k < len(want); k++ {
		if want[k].Conversations == 0 || want[k].Conversations == len(convs) {
			t.Fatalf("range %d measured %d of %d conversations: the generated world does not exercise it", k, want[k].Conversations, len(convs))
		}
		if want[k].All.FirstResponse.Wall.Count == 0 || want[k].All.Inbound == 0 {
			t.Fatalf("range %d measured no responses: %+v", k, want[k].All)
		}
	}
	forEachImportBackend(t, func(t *testing.T, f *fixture) {
		if _, ok := f.backend.(storage.HistoryReader); !ok {
			t.Fatalf("%T does not implement storage.HistoryReader", f.backend)
		}
		load(t, f.backend)
		fast := f.book
		slow, err := rapport.New(fallbackBackend{f.backend}, "group-1", nil)
		if err != nil {
			t.Fatal(err)
		}
		for k, o := range ranges {
			got, err := fast.Metrics(context.Background(), o)
			if err != nil {
				t.Fatal(err)
			}
			fell, err := slow.Metrics(context.Background(), o)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, fell) {
				t.Errorf("range %d: through HistoryReader (shown first) and through the fallback differ:\n%s", k, firstDifference(got, fell))
			}
			if !reflect.DeepEqual(got, want[k]) {
				t.Errorf("range %d: differs (shown first) from memstore's fallback:\n%s", k, firstDifference(got, want[k]))
			}
		}
	})
}

// metricsWorld generates 60 conversations over 8 days at three rooftops:
// inbound and outbound messages, calls and notes of every authorship,
// lifecycle steps (opened pending, escalated, resolved, reopened), runs of
// interactions at one instant, a conversation's later interactions at
// another rooftop, and interactions outside any conversation.
func metricsWorld(r *rand.Rand, start time.Time) ([]interaction.Interaction, []interaction.Conversation) {
	var seq uint64
	id := func() [16]byte {
		seq++
		return idAt(seq)
	}
	rooftops := []dealer.Rooftop{"downtown", "uptown", "airport"}
	authors := []interaction.Authorship{interaction.AuthorshipHuman, interaction.AuthorshipTemplate, interaction.AuthorshipAutomated, interaction.AuthorshipAssisted}
	var is []interaction.Interaction
	var convs []interaction.Conversation
	for c := range 60 {
		cid, cust := interaction.ConversationID(id()), customer.ID(id())
		rooftop := rooftops[c%3]
		at := start.Add(time.Duration(r.IntN(7*24*60)) * time.Minute)
		convs = append(convs, interaction.Conversation{ID: cid, Tenant: "group-1", Customer: cust, Rooftop: rooftop,
			Status: interaction.ConversationStatusOpen, OpenedAt: at})
		staff := dealer.Staff(fmt.Sprintf("staff-%d", c%7))
		step := func(action interaction.Action, status interaction.ConversationStatus, to dealer.Staff) {
			is = append(is, interaction.Interaction{ID: interaction.ID(id()), Tenant: "group-1", Rooftop: rooftop, Customer: cust, Conversation: cid,
				Channel: channel.KindSMS, Kind: interaction.KindLifecycle, OccurredAt: at,
				Lifecycle: &interaction.LifecycleEvent{Action: action, At: at, Status: status, To: to, Team: "sales"}})
		}
		if c%4 == 0 {
			step(interaction.ActionOpened, interaction.ConversationStatusPending, "sales-bot")
		}
		for k := range 2 + r.IntN(10) {
			if k == 5 && c%5 == 0 {
				rooftop = rooftops[(c+1)%3] // moved to another rooftop
			}
			i := interaction.Interaction{ID: interaction.ID(id()), Tenant: "group-1", Rooftop: rooftop, Customer: cust, Conversation: cid,
				Channel: channel.KindSMS, Kind: interaction.KindMessage, Body: "x", OccurredAt: at}
			switch r.IntN(8) {
			case 0:
				i.Kind, i.Channel = interaction.KindCall, channel.KindVoice
				i.Direction = pick(r, []interaction.Direction{interaction.DirectionInbound, interaction.DirectionOutbound})
			case 1:
				i.Kind = interaction.KindNote
			case 2, 3, 4:
				i.Direction = interaction.DirectionInbound
			default:
				i.Direction, i.Authorship = interaction.DirectionOutbound, pick(r, authors)
				i.Participants = []interaction.Participant{{Staff: staff, Role: interaction.RoleSalesperson}}
			}
			is = append(is, i)
			switch {
			case c%4 == 0 && k == 1:
				step(interaction.ActionEscalated, interaction.ConversationStatusOpen, staff)
			case k == 6:
				step(interaction.ActionResolved, interaction.ConversationStatusResolved, "")
			case k == 8:
				step(interaction.ActionReopened, interaction.ConversationStatusOpen, staff)
			}
			if r.IntN(5) > 0 { // else the next one happens at the same instant
				at = at.Add(time.Duration(1+r.IntN(600)) * time.Minute)
			}
		}
		if c%6 == 0 {
			// Outreach outside any conversation.
			is = append(is, interaction.Interaction{ID: interaction.ID(id()), Tenant: "group-1", Rooftop: rooftop, Customer: cust,
				Channel: channel.KindSMS, Kind: interaction.KindMessage, Body: "x", OccurredAt: at,
				Direction: interaction.DirectionOutbound, Authorship: interaction.AuthorshipTemplate})
		}
	}
	return is, convs
}
