package interaction

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/customer"
)

// roundTrip marshals v, unmarshals the result into a new value of the same
// type and checks that it equals v.
func roundTrip[T any](t *testing.T, v T) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var got T
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("unmarshal %s: %v", b, err)
	}
	if !reflect.DeepEqual(got, v) {
		t.Fatalf("round trip changed the value\n got: %#v\nwant: %#v\njson: %s", got, v, b)
	}
	return b
}

// everything returns an interaction with every field set, including every
// kind's details (so it is not valid: only its JSON form is tested).
func everything(t *testing.T) Interaction {
	i := message(t)
	i.Subject = "Re: your \"trade-in\" <offer> & more"
	i.Call = &Call{Outcome: CallOutcomeVoicemail, Duration: 42*time.Second + 7*time.Nanosecond, RecordingRef: "RE0123"}
	i.Appointment = &Appointment{ScheduledFor: t2.Add(48 * time.Hour), Purpose: "test drive", Status: AppointmentStatusConfirmed}
	i.Survey = &Survey{Name: "nps", Score: 9, Scale: 10, Comment: "quick and\nfriendly"}
	i.Referral = &Referral{Referrer: customerID(t, jane), Referred: customerID(t, john)}
	i.Post = &Post{Platform: "google", URL: "https://www.example.com/r/1", Rating: 4, Scale: 5}
	i.Delivery = Delivery{Status: StatusFailed, At: t1, Reason: "unknown subscriber", ErrorCode: "30005", Attempts: 2}
	i.Lifecycle = &LifecycleEvent{Action: ActionSnoozed, At: t1, Status: ConversationStatusSnoozed, By: "mia.manager",
		From: "sam.sales", To: "fay.fi", Team: "finance", Reason: "waiting on the bank", Until: t2.Add(time.Hour)}
	i.Consent = &ConsentCheck{Purpose: "marketing", Allowed: false, Reasons: []string{"quiet_hours", "teleport_rule"},
		Event: "01939a2b-3c4d-7e5f-8a9b-0c1d2e3f4a5b", Policy: "us", Confirmation: true, Override: "recall notice", CheckedAt: t1}
	return i
}

func TestJSONRoundTrip(t *testing.T) {
	t.Run("Interaction", func(t *testing.T) { roundTrip(t, everything(t)) })
	t.Run("Interaction/zero", func(t *testing.T) {
		if b := roundTrip(t, Interaction{}); string(b) != `{"tenant":""}` {
			t.Errorf("zero interaction is %s", b)
		}
	})
	t.Run("Interaction/non-UTC times", func(t *testing.T) {
		// Times keep their instant and offset; compare with Equal.
		i := message(t)
		i.OccurredAt = time.Date(2025, 3, 14, 9, 0, 0, 123456789, time.FixedZone("", -5*3600))
		b, _ := json.Marshal(i)
		var got Interaction
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatal(err)
		}
		if !got.OccurredAt.Equal(i.OccurredAt) || got.OccurredAt.Format(time.RFC3339Nano) != i.OccurredAt.Format(time.RFC3339Nano) {
			t.Fatalf("got %v", got.OccurredAt)
		}
	})
	t.Run("Participant", func(t *testing.T) { roundTrip(t, Participant{Staff: "sam", Role: RoleBDC}) })
	t.Run("Call", func(t *testing.T) { roundTrip(t, *everything(t).Call) })
	t.Run("Appointment", func(t *testing.T) { roundTrip(t, *everything(t).Appointment) })
	t.Run("Survey", func(t *testing.T) { roundTrip(t, *everything(t).Survey) })
	t.Run("Survey/zero score", func(t *testing.T) { roundTrip(t, Survey{Scale: 10}) })
	t.Run("Referral", func(t *testing.T) { roundTrip(t, *everything(t).Referral) })
	t.Run("Post", func(t *testing.T) { roundTrip(t, *everything(t).Post) })
	t.Run("Finding", func(t *testing.T) {
		roundTrip(t, Finding{Kind: FindingKindRoutingNumber, Field: FindingFieldBody, Start: 0, End: 10, Last4: "0021"})
	})
	t.Run("Flag", func(t *testing.T) { roundTrip(t, message(t).Flags[1]) })
	t.Run("Delivery", func(t *testing.T) { roundTrip(t, everything(t).Delivery) })
	t.Run("DeliveryUpdate", func(t *testing.T) {
		roundTrip(t, DeliveryUpdate{Status: StatusErrored, At: t1, Reason: "timeout", ErrorCode: "20429"})
	})
	t.Run("Conversation", func(t *testing.T) {
		c := conversation(t)
		c.SnoozedUntil, c.Handler, c.ClosedAt = t2, "sales-bot", t2
		roundTrip(t, c)
	})
	t.Run("Handoff", func(t *testing.T) { roundTrip(t, *conversation(t).PendingHandoff) })
	t.Run("Commitment", func(t *testing.T) {
		c := commitment(t)
		c.DoneAt, c.HandedOffTo, c.CancelReason = t1, "tom", "moved"
		roundTrip(t, c)
	})
	t.Run("LifecycleEvent", func(t *testing.T) { roundTrip(t, *everything(t).Lifecycle) })
	t.Run("Calendar", func(t *testing.T) {
		c := Calendar{Zone: "America/New_York", Hours: []channel.Window{{Day: time.Friday, Start: channel.Clock(22, 0), End: channel.Clock(2, 0)}},
			Holidays: []customer.Date{{Year: 2025, Month: 12, Day: 25}, {Month: 7, Day: 4}}}
		b := roundTrip(t, c)
		want := `{"zone":"America/New_York","hours":[{"day":"friday","start":"22:00","end":"02:00"}],"holidays":["2025-12-25","--07-04"]}`
		if string(b) != want {
			t.Errorf("got %s", b)
		}
	})
	t.Run("Collision", func(t *testing.T) {
		id, _ := ParseID(ixn)
		roundTrip(t, Collision{Refused: true, Warnings: []CollisionWarning{
			{Reason: CollisionReasonOwnedByOther, Staff: "tom", Conversation: convID(t)},
			{Reason: "teleport", Staff: "bea", At: t1, Interaction: id},
		}})
		roundTrip(t, CollisionPolicy{Window: 36 * time.Hour, Refuse: true})
		roundTrip(t, Intent{Staff: "sam", Customer: customerID(t, jane), Conversation: convID(t), At: t2})
	})
	t.Run("IDs", func(t *testing.T) {
		id, _ := NewID()
		cid, _ := NewConversationID()
		mid, _ := NewCommitmentID()
		roundTrip(t, struct {
			A ID
			B ConversationID
			C CommitmentID
		}{id, cid, mid})
	})
}

// TestJSONKeepsNewerValues checks that enum values this version does not
// know survive a read-modify-write.
func TestJSONKeepsNewerValues(t *testing.T) {
	i := everything(t)
	i.Channel, i.Direction, i.Kind, i.Authorship = "teleport", "teleport", "teleport", "teleport"
	i.Participants[0].Role = "teleport"
	i.Delivery.Status = "teleport"
	i.Call.Outcome = "teleport"
	i.Appointment.Status = "teleport"
	i.Findings[0].Kind, i.Findings[0].Field = "teleport", "teleport"
	i.Flags[0].Reason = "teleport"
	i.Lifecycle.Action, i.Lifecycle.Status = "teleport", "teleport"
	i.Address = mustAddress(t, "teleport:beam-me-up")
	b := roundTrip(t, i)
	if n := strings.Count(string(b), `"teleport"`); n != 13 {
		t.Errorf("%d teleports in %s", n, b)
	}

	c := conversation(t)
	c.Status, c.Channel = "teleport", "teleport"
	roundTrip(t, c)
	m := commitment(t)
	m.Status = "teleport"
	roundTrip(t, m)

	// A newer record read from JSON validates.
	in := `{"tenant":"t","direction":"broadcast","kind":"hologram","occurred_at":"2025-03-14T15:00:00Z",` +
		`"channel":"telepathy","participants":[{"staff":"x","role":"janitor"}],"authorship":"ai",` +
		`"delivery":{"status":"beamed","at":"2025-03-14T15:00:00Z"},"call":{"outcome":"teleported"}}`
	var got Interaction
	if err := json.Unmarshal([]byte(in), &got); err != nil {
		t.Fatal(err)
	}
	if err := got.Validate(); err != nil {
		t.Fatalf("newer record refused: %v", err)
	}
	if got.Kind != "hologram" || got.Kind.Known() || got.Delivery.Status != "beamed" {
		t.Fatalf("got %+v", got)
	}
}

func TestJSONShape(t *testing.T) {
	i := Interaction{
		Tenant:       "acme",
		Customer:     customerID(t, jane),
		Channel:      channel.KindSMS,
		Address:      mustAddress(t, "tel:+12125550123"),
		Direction:    DirectionOutbound,
		Kind:         KindMessage,
		Body:         "See you at 5",
		Participants: []Participant{{Staff: "sam", Role: RoleSalesperson}},
		Authorship:   AuthorshipHuman,
		OccurredAt:   t0,
		Delivery:     Delivery{Status: StatusSent, At: t0, Attempts: 1},
		ExternalRefs: map[string]string{"twilio": "SM1"},
	}
	b, err := json.Marshal(i)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"tenant":"acme","customer":"` + jane + `","channel":"sms","address":"tel:+12125550123",` +
		`"direction":"outbound","kind":"message","body":"See you at 5","participants":[{"staff":"sam","role":"salesperson"}],` +
		`"authorship":"human","occurred_at":"2025-03-14T15:00:00Z","delivery":{"status":"sent","at":"2025-03-14T15:00:00Z","attempts":1},` +
		`"external_refs":{"twilio":"SM1"}}`
	if string(b) != want {
		t.Fatalf("got  %s\nwant %s", b, want)
	}
}

func TestJSONRefusesMalformed(t *testing.T) {
	for _, in := range []string{
		`{"kind":"Not A Kind"}`,
		`{"direction":"in bound"}`,
		`{"id":"nope"}`,
		`{"conversation":"nope"}`,
		`{"address":"tel:12"}`,
		`{"delivery":{"status":"sent!"}}`,
		`{"participants":[{"role":"Big Boss"}]}`,
	} {
		var i Interaction
		err := json.Unmarshal([]byte(in), &i)
		var ve *ValidationError
		var cve *channel.ValidationError
		if err == nil || !(errors.As(err, &ve) || errors.As(err, &cve)) {
			t.Errorf("%s: %v", in, err)
		}
	}
}
