package rapport_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/rapportcim/rapport"
	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/interaction"
)

// callbackCustomer stores a customer with a phone, a stated time zone and
// consent to service calls at that phone.
func callbackCustomer(t *testing.T, f *fixture, given, phone, zone string) (customer.Customer, channel.Address) {
	t.Helper()
	ctx := context.Background()
	a := addr(t, phone)
	r, err := f.book.UpsertCustomer(ctx, customer.Customer{Name: customer.Name{Given: given, Family: "Doe"},
		ContactPoints: []customer.ContactPoint{{Address: a, Usage: customer.UsageMobile}}, Preference: channel.Preference{Zone: zone}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.book.RecordConsent(ctx, consent.Event{Subject: consent.Subject{Address: a, Customer: r.Record.ID}, Channel: channel.KindVoice,
		Purpose: consent.PurposeService, Action: consent.ActionGrant, Basis: consent.BasisExpress, CapturedAt: f.clock().Add(-24 * time.Hour),
		Evidence: consent.Evidence{Method: consent.MethodCall, CapturedBy: "ana"}}); err != nil {
		t.Fatal(err)
	}
	return r.Record, a
}

func TestCallbackQueue(t *testing.T) {
	forEachBriefBackend(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		cbs := f.book.Callbacks()
		base := time.Date(2026, 11, 2, 14, 0, 0, 0, time.UTC) // Monday: 09:00 in New York, 06:00 in Los Angeles
		f.now = base.Add(-3 * time.Hour)
		jane, mobile := callbackCustomer(t, f, "Jane", "tel:+12125550123", "America/New_York")
		pete, petes := callbackCustomer(t, f, "Pete", "tel:+13105550142", "America/Los_Angeles")
		// The pace: three callbacks kept at 12:30, 12:50 and 13:30 (gaps of
		// 20 and 40 minutes: median 30), and one kept by another team.
		var kept []interaction.CommitmentID
		for _, team := range []string{"bdc", "bdc", "bdc", "service"} {
			c, err := cbs.Request(ctx, rapport.CallbackRequest{Customer: jane.ID, Rooftop: "downtown", Team: dealer.Team(team)})
			if err != nil {
				t.Fatal(err)
			}
			kept = append(kept, c.ID)
		}
		for k, at := range []time.Duration{-90 * time.Minute, -70 * time.Minute, -30 * time.Minute, -20 * time.Minute} {
			f.now = base.Add(at)
			if _, err := f.book.Commitments().Keep(ctx, kept[k], rapport.Act{By: "ana"}); err != nil {
				t.Fatal(err)
			}
		}
		f.now = base
		// Jane texts: call me back after five. Pete asks on the web chat.
		in, err := f.book.Receive(ctx, rapport.Inbound{From: mobile, To: addr(t, "tel:+12125550100"), Rooftop: "downtown", Body: "Call me back after 5 please"})
		if err != nil {
			t.Fatal(err)
		}
		weekdays := []channel.Window{}
		for d := time.Monday; d <= time.Friday; d++ {
			weekdays = append(weekdays, channel.Window{Day: d, Start: channel.Clock(17, 0), End: channel.Clock(19, 0)})
		}
		janes, err := cbs.Request(ctx, rapport.CallbackRequest{Source: in.Interaction.ID, Team: "bdc", Windows: weekdays, Zone: "America/New_York"})
		if err != nil {
			t.Fatal(err)
		}
		if janes.Customer != jane.ID || janes.Rooftop != "downtown" || janes.Callback.Address != mobile || janes.Callback.RequestedOn != channel.KindSMS ||
			!janes.Due.Equal(base.Add(rapport.DefaultCallbackDue)) || janes.Status != interaction.CommitmentStatusOpen {
			t.Errorf("a request takes its customer, rooftop, number and channel from the text: %+v %+v", janes, janes.Callback)
		}
		f.advance(time.Minute)
		petes1, err := cbs.Request(ctx, rapport.CallbackRequest{Customer: pete.ID, Rooftop: "downtown", Team: "bdc", RequestedOn: channel.KindWebChat})
		if err != nil || petes1.Callback.Address != petes {
			t.Fatalf("pete's request: %+v, %v", petes1, err)
		}
		if _, err := cbs.Request(ctx, rapport.CallbackRequest{Customer: pete.ID, Rooftop: "downtown", Team: "service"}); err != nil {
			t.Fatal(err)
		}
		f.advance(time.Minute) // 14:02 UTC
		q, err := cbs.Queue(ctx, "downtown", "bdc", nil)
		if err != nil {
			t.Fatal(err)
		}
		if q.Pace != 30*time.Minute || len(q.PaceSources) != 3 {
			t.Errorf("pace = %v from %d callbacks, want 30m from 3", q.Pace, len(q.PaceSources))
		}
		if len(q.Waiting) != 2 {
			t.Fatalf("queue: %+v", q.Waiting)
		}
		j, p := q.Waiting[0], q.Waiting[1]
		// Jane asked for 17:00-19:00 New York time: not now; from 17:00
		// EST (22:00 UTC). Her turn at the pace is 14:32 UTC, so the ETA
		// is the window's start.
		at22 := time.Date(2026, 11, 2, 22, 0, 0, 0, time.UTC)
		if j.Commitment.ID != janes.ID || j.Position != 1 || j.CallableNow || !j.OutsideWindows || j.QuietHours || !j.NextCallable.Equal(at22) || !j.ETA.Equal(at22) || j.Overdue {
			t.Errorf("jane: position %d, callable now %v, next %v, eta %v", j.Position, j.CallableNow, j.NextCallable, j.ETA)
		}
		// Pete's stated zone is Los Angeles, where it is 06:02: quiet hours
		// until 08:00 PST (16:00 UTC). His turn at the pace is 15:02 UTC.
		at16 := time.Date(2026, 11, 2, 16, 0, 0, 0, time.UTC)
		if p.Commitment.ID != petes1.ID || p.Position != 2 || p.CallableNow || !p.QuietHours || p.OutsideWindows || !p.Verdict.Consent.Allowed ||
			!p.NextCallable.Equal(at16) || !p.ETA.Equal(at16) {
			t.Errorf("pete: position %d, callable now %v (%v), next %v, eta %v", p.Position, p.CallableNow, p.Verdict.Consent, p.NextCallable, p.ETA)
		}
		// Ana takes Jane's; Ben cannot take it from her.
		taken, err := cbs.Take(ctx, janes.ID, rapport.Act{By: "ana"})
		if err != nil || taken.Owner != "ana" || !taken.Callback.TakenAt.Equal(f.clock()) {
			t.Fatalf("take: %+v, %v", taken, err)
		}
		if _, err := cbs.Take(ctx, janes.ID, rapport.Act{By: "ben"}); !errors.Is(err, interaction.ErrMismatch) || !errors.Is(err, interaction.ErrInvalidTransition) {
			t.Errorf("taking another's callback: %v", err)
		}
		if _, err := cbs.Take(ctx, janes.ID, rapport.Act{}); !errors.Is(err, interaction.ErrMissing) {
			t.Errorf("taking without a taker: %v", err)
		}
		// At 17:05 EST she does not answer: the attempt is a call on her
		// timeline, and the request stays queued.
		f.now = time.Date(2026, 11, 2, 22, 5, 0, 0, time.UTC)
		after, call, err := cbs.NoAnswer(ctx, janes.ID, rapport.Act{By: "ana"})
		if err != nil {
			t.Fatal(err)
		}
		ci := call.Interaction
		if ci.Channel != channel.KindVoice || ci.Direction != interaction.DirectionOutbound || ci.Call == nil || ci.Call.Outcome != interaction.CallOutcomeNoAnswer ||
			ci.Address != mobile || ci.Customer != jane.ID || !slices.Equal(after.Callback.Attempts, []interaction.ID{ci.ID}) || after.Status != interaction.CommitmentStatusOpen {
			t.Errorf("unanswered attempt: %+v / %+v", ci, after.Callback)
		}
		if ci.Consent == nil || ci.Consent.Purpose != "service" || !ci.Consent.Allowed || ci.Consent.Event == "" {
			t.Errorf("the attempt keeps the service decision it was made under: %+v", ci.Consent)
		}
		if _, err := f.book.Interaction(ctx, ci.ID); err != nil {
			t.Errorf("the attempt is stored: %v", err)
		}
		// Both are now overdue: they are listed with the overdue commitments
		// and in Jane's brief.
		overdue, err := collect(f.book.Commitments().Overdue(ctx, rapport.CommitmentFilter{Team: "bdc"}))
		if err != nil || len(overdue) != 2 || overdue[0].ID != janes.ID || overdue[1].ID != petes1.ID {
			t.Errorf("overdue callbacks: %v, %v", overdue, err)
		}
		br, err := f.book.Brief(ctx, jane.ID, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(br.Commitments) != 1 || br.Commitments[0].Commitment.ID != janes.ID || !br.Commitments[0].Overdue ||
			!sourced(br.Commitments[0].Sources, "interaction", ci.ID) {
			t.Errorf("jane's brief lists the overdue callback with its attempt: %+v", br.Commitments)
		}
		q, err = cbs.Queue(ctx, "downtown", "bdc", nil)
		if err != nil || len(q.Waiting) != 2 || !q.Waiting[0].Overdue || !q.Waiting[0].CallableNow || q.Waiting[0].Commitment.Owner != "ana" {
			t.Fatalf("after the attempt: %+v, %v", q.Waiting, err)
		}
		// Done and cancelled leave the queue.
		if _, err := f.book.Commitments().Keep(ctx, janes.ID, rapport.Act{By: "ana"}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.book.Commitments().Cancel(ctx, petes1.ID, rapport.Act{By: "ana", Reason: "came in instead"}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := cbs.NoAnswer(ctx, janes.ID, rapport.Act{By: "ana"}); !errors.Is(err, interaction.ErrInvalidTransition) {
			t.Errorf("an attempt on a kept callback: %v", err)
		}
		if q, err = cbs.Queue(ctx, "downtown", "bdc", nil); err != nil || len(q.Waiting) != 0 {
			t.Errorf("queue after done and cancel: %+v, %v", q.Waiting, err)
		}
	})
}

func TestCallbackRequestErrors(t *testing.T) {
	forEachBriefBackend(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		jane, _ := callbackCustomer(t, f, "Jane", "tel:+12125550123", "America/New_York")
		var ve *interaction.ValidationError
		if _, err := f.book.Callbacks().Request(ctx, rapport.CallbackRequest{Customer: jane.ID, Rooftop: "downtown"}); !errors.As(err, &ve) || ve.Field != "team" || !errors.Is(err, interaction.ErrMissing) {
			t.Errorf("no team: %v", err)
		}
		if _, err := f.book.Callbacks().Request(ctx, rapport.CallbackRequest{Customer: jane.ID, Team: "bdc"}); !errors.As(err, &ve) || ve.Field != "rooftop" {
			t.Errorf("no rooftop: %v", err)
		}
		if _, err := f.book.Callbacks().Request(ctx, rapport.CallbackRequest{Customer: jane.ID, Rooftop: "downtown", Team: "bdc",
			Address: addr(t, "mailto:jane@example.com")}); !errors.As(err, &ve) || ve.Field != "callback.address" || !errors.Is(err, interaction.ErrMismatch) {
			t.Errorf("an email address to call: %v", err)
		}
		if _, err := f.book.Callbacks().Request(ctx, rapport.CallbackRequest{Customer: jane.ID, Rooftop: "downtown", Team: "bdc",
			Windows: channel.Every(channel.Clock(9, 0), channel.Clock(12, 0))}); !errors.Is(err, channel.ErrInvalidZone) {
			t.Errorf("windows without a zone: %v", err)
		}
		// Pete never agreed to service calls: the attempt is refused and
		// nothing is recorded.
		pete, err := f.book.UpsertCustomer(ctx, customer.Customer{Name: customer.Name{Full: "Pete Roe"},
			ContactPoints: []customer.ContactPoint{{Address: addr(t, "tel:+13105550142")}}})
		if err != nil {
			t.Fatal(err)
		}
		req, err := f.book.Callbacks().Request(ctx, rapport.CallbackRequest{Customer: pete.Record.ID, Rooftop: "downtown", Team: "bdc"})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.book.Callbacks().NoAnswer(ctx, req.ID, rapport.Act{By: "ana"}); !errors.Is(err, rapport.ErrRefused) {
			t.Errorf("an attempt without consent: %v", err)
		}
		if after, err := f.book.Commitment(ctx, req.ID); err != nil || after.Owner != "" || len(after.Callback.Attempts) != 0 {
			t.Errorf("a refused attempt changed the request: %+v, %v", after, err)
		}
		plain, err := f.book.Commitments().Make(ctx, interaction.Commitment{Customer: jane.ID, What: "Send the brochure", Owner: "ana", Due: f.clock().Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.book.Callbacks().Take(ctx, plain.ID, rapport.Act{By: "ana"}); !errors.Is(err, interaction.ErrMismatch) {
			t.Errorf("taking a commitment that is not a callback: %v", err)
		}
	})
}

// A request that names no time keeps the customer's stated windows; with
// no kept callback in the pace window there is no ETA.
func TestCallbackStatedWindows(t *testing.T) {
	forEachBriefBackend(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		f.now = time.Date(2026, 11, 2, 14, 0, 0, 0, time.UTC) // Monday 09:00 in New York
		jane, _ := callbackCustomer(t, f, "Jane", "tel:+12125550123", "America/New_York")
		jane.Preference.Windows = []channel.Window{{Day: time.Monday, Start: channel.Clock(12, 0), End: channel.Clock(13, 0)}}
		if _, err := f.book.UpdateCustomer(ctx, jane); err != nil {
			t.Fatal(err)
		}
		req, err := f.book.Callbacks().Request(ctx, rapport.CallbackRequest{Customer: jane.ID, Rooftop: "downtown", Team: "bdc"})
		if err != nil {
			t.Fatal(err)
		}
		q, err := f.book.Callbacks().Queue(ctx, "downtown", "bdc", &rapport.CallbackQueueOptions{PaceWindow: time.Hour})
		if err != nil || len(q.Waiting) != 1 {
			t.Fatalf("queue: %+v, %v", q, err)
		}
		w := q.Waiting[0]
		noon := time.Date(2026, 11, 2, 17, 0, 0, 0, time.UTC) // 12:00 EST
		if w.Commitment.ID != req.ID || w.CallableNow || !w.OutsideWindows || !w.NextCallable.Equal(noon) || !w.ETA.IsZero() || q.Pace != 0 {
			t.Errorf("stated windows: callable now %v, outside %v, next %v, eta %v, pace %v", w.CallableNow, w.OutsideWindows, w.NextCallable, w.ETA, q.Pace)
		}
		f.now = noon.Add(30 * time.Minute)
		if q, err = f.book.Callbacks().Queue(ctx, "downtown", "bdc", nil); err != nil || !q.Waiting[0].CallableNow {
			t.Errorf("at 12:30 EST she may be called: %+v, %v", q.Waiting, err)
		}
	})
}
