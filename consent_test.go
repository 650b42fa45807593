package rapport_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/rapportcim/rapport"
	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

// consentFixture has two customers sharing a family number, each with
// written consent to marketing texts from the rooftop, at 2 p.m. in New York.
type consentFixture struct {
	*fixture
	shared    channel.Address
	store     channel.Address
	jose, ana customer.ID
	book      *rapport.Book
}

func newConsentFixture(t *testing.T, open func(*testing.T) storage.Backend) *consentFixture {
	f := newFixture(t, open, "group-1")
	f.now = time.Date(2026, 11, 10, 19, 0, 0, 0, time.UTC) // 14:00 in New York
	policy := consent.US()
	policy.HelpReply = "Downtown Mazda: help at 212-555-0100. Msg&data rates may apply. Reply STOP to opt out."
	book, err := rapport.New(f.backend, "group-1", &rapport.Options{Now: f.clock, NewID: f.newID,
		Policies: consent.Policies{Default: policy}})
	if err != nil {
		t.Fatal(err)
	}
	cf := &consentFixture{fixture: f, book: book, shared: addr(t, "tel:+12125550150"), store: addr(t, "tel:+12125550100")}
	ctx := context.Background()
	for _, name := range []customer.Name{{Given: "José", Family: "Núñez"}, {Given: "Ana", Family: "Núñez"}} {
		r, err := book.UpsertCustomer(ctx, customer.Customer{Name: name, Preference: channel.Preference{Zone: "America/New_York"},
			ContactPoints: []customer.ContactPoint{{Address: cf.shared, Usage: customer.UsageHome}}})
		if err != nil {
			t.Fatal(err)
		}
		if name.Given == "José" {
			cf.jose = r.Record.ID
		} else {
			cf.ana = r.Record.ID
		}
		if _, err := book.RecordConsent(ctx, consent.Event{
			Subject: consent.Subject{Address: cf.shared, Customer: r.Record.ID}, Channel: channel.KindSMS,
			Purpose: consent.PurposeMarketing, Rooftop: "downtown", Action: consent.ActionGrant, Basis: consent.BasisExpressWritten,
			Evidence:   consent.Evidence{Method: consent.MethodWebForm, DisclosureVersion: "sms-terms-v3"},
			CapturedAt: f.advance(time.Minute),
		}); err != nil {
			t.Fatal(err)
		}
	}
	return cf
}

func (cf *consentFixture) check(t *testing.T, c rapport.Contact) consent.Decision {
	t.Helper()
	v, err := cf.book.Check(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	return v.Consent
}

func (cf *consentFixture) marketing(id customer.ID) rapport.Contact {
	return rapport.Contact{Address: cf.shared, Channel: channel.KindSMS, Purpose: consent.PurposeMarketing, Rooftop: "downtown", Customer: id}
}

func forEachConsentBackend(t *testing.T, fn func(t *testing.T, cf *consentFixture)) {
	for _, be := range backends {
		t.Run(be.name, func(t *testing.T) { fn(t, newConsentFixture(t, be.open)) })
	}
}

func TestStopFromSharedNumberSuppressesEveryHolder(t *testing.T) {
	forEachConsentBackend(t, func(t *testing.T, cf *consentFixture) {
		ctx := context.Background()
		for _, id := range []customer.ID{cf.jose, cf.ana} {
			if d := cf.check(t, cf.marketing(id)); !d.Allowed {
				t.Fatalf("rule: written consent allows marketing texts at 2 p.m.; got %v", d)
			}
		}
		r, err := cf.book.Receive(ctx, rapport.Inbound{From: cf.shared, To: cf.store, Rooftop: "downtown", Body: " Stop. "})
		if err != nil {
			t.Fatal(err)
		}
		if r.Signal != consent.SignalOptOut || len(r.Consent) != 1 || r.Consent[0].Action != consent.ActionRevoke {
			t.Fatalf("rule: STOP writes a revocation; got %+v", r)
		}
		ev := r.Consent[0]
		if ev.Evidence.RawText != " Stop. " || ev.Evidence.ReceivedOn != cf.store || ev.CapturedAt.IsZero() {
			t.Errorf("rule: a revocation keeps its evidence (raw text, time, receiving number); got %+v", ev.Evidence)
		}
		for _, id := range []customer.ID{cf.jose, cf.ana} {
			d := cf.check(t, cf.marketing(id))
			if d.Allowed || !d.Has(consent.ReasonRevoked) {
				t.Errorf("rule: a STOP from a shared number suppresses it for every customer who has it; got %v", d)
			}
			service := cf.marketing(id)
			service.Purpose = consent.PurposeService
			if d := cf.check(t, service); d.Allowed {
				t.Errorf("rule: STOP withdraws every purpose; service text allowed: %v", d)
			}
		}
		voice := cf.marketing(cf.jose)
		voice.Channel = channel.KindVoice
		if d := cf.check(t, voice); d.Allowed {
			t.Errorf("rule: revoking texts also revokes calls; got %v", d)
		}
		// The inbound message is on the timeline like any other.
		if r.Interaction.ID.IsZero() || r.Conversation.ID.IsZero() {
			t.Errorf("the STOP message should be recorded on a conversation")
		}
	})
}

func TestOneConfirmationAfterStop(t *testing.T) {
	forEachConsentBackend(t, func(t *testing.T, cf *consentFixture) {
		ctx := context.Background()
		r, err := cf.book.Receive(ctx, rapport.Inbound{From: cf.shared, To: cf.store, Rooftop: "downtown", Body: "UNSUBSCRIBE"})
		if err != nil {
			t.Fatal(err)
		}
		if !r.ConfirmUntil.Equal(r.Consent[0].CapturedAt.Add(5 * time.Minute)) {
			t.Errorf("ConfirmUntil = %v", r.ConfirmUntil)
		}
		reply := func(purpose consent.Purpose, confirmation bool) (rapport.Sent, error) {
			return cf.book.Send(ctx, rapport.Outbound{
				Interaction: interaction.Interaction{Rooftop: "downtown", Customer: cf.jose, Channel: channel.KindSMS, Address: cf.shared, Via: cf.store,
					Kind: interaction.KindMessage, Authorship: interaction.AuthorshipAutomated, Body: "You're unsubscribed. Reply START to resubscribe.",
					OccurredAt: cf.advance(30 * time.Second)},
				Purpose: purpose, Confirmation: confirmation,
			})
		}
		if _, err := reply(consent.PurposeMarketing, true); !errors.Is(err, rapport.ErrRefused) {
			t.Errorf("rule: the confirmation may not carry marketing; got %v", err)
		}
		sent, err := reply(consent.PurposeService, true)
		if err != nil || !sent.Verdict.Consent.Allowed {
			t.Fatalf("rule: one non-marketing confirmation within 5 minutes is allowed; got %v, %v", sent.Verdict.Consent, err)
		}
		if sent.Interaction.Consent == nil || !sent.Interaction.Consent.Confirmation || !sent.Interaction.Consent.Allowed {
			t.Errorf("the decision is stored on the interaction: %+v", sent.Interaction.Consent)
		}
		_, err = reply(consent.PurposeService, true)
		var re *rapport.RefusedError
		if !errors.As(err, &re) || !re.Verdict.Consent.Has(consent.ReasonConfirmationUsed) {
			t.Errorf("rule: exactly one confirmation; a second is refused; got %v", err)
		}
	})
}

func TestStartRegrantsOnlyWhatAKeywordRevoked(t *testing.T) {
	forEachConsentBackend(t, func(t *testing.T, cf *consentFixture) {
		ctx := context.Background()
		if _, err := cf.book.Receive(ctx, rapport.Inbound{From: cf.shared, To: cf.store, Rooftop: "downtown", Body: "STOP"}); err != nil {
			t.Fatal(err)
		}
		cf.advance(time.Hour)
		// An ordinary reply never re-opts in.
		r, err := cf.book.Receive(ctx, rapport.Inbound{From: cf.shared, To: cf.store, Rooftop: "downtown", Body: "Sorry, can you call me about the CX-5?"})
		if err != nil || len(r.Consent) != 0 || r.Signal != consent.SignalNone {
			t.Fatalf("rule: no inbound message other than an opt-in keyword re-opts in; got %+v, %v", r, err)
		}
		if d := cf.check(t, cf.marketing(cf.jose)); d.Allowed {
			t.Errorf("still opted out after an ordinary reply: %v", d)
		}
		cf.advance(time.Hour)
		r, err = cf.book.Receive(ctx, rapport.Inbound{From: cf.shared, To: cf.store, Rooftop: "downtown", Body: "START"})
		if err != nil || r.Signal != consent.SignalOptIn || len(r.Consent) == 0 {
			t.Fatalf("rule: START re-grants what STOP revoked; got %+v, %v", r, err)
		}
		if d := cf.check(t, cf.marketing(cf.jose)); !d.Allowed {
			t.Errorf("rule: after START the written consent is back; got %v", d)
		}
		// A do-not-call request is not undone by START.
		if _, err := cf.book.RecordConsent(ctx, consent.Event{Subject: consent.Subject{Address: cf.shared}, Channel: consent.AllChannels,
			Purpose: consent.PurposeAll, Action: consent.ActionDNCRequest, CapturedAt: cf.advance(time.Hour),
			Evidence: consent.Evidence{Method: consent.MethodCall, CapturedBy: "bdc.agent"}}); err != nil {
			t.Fatal(err)
		}
		cf.advance(time.Hour)
		r, err = cf.book.Receive(ctx, rapport.Inbound{From: cf.shared, To: cf.store, Rooftop: "downtown", Body: "start"})
		if err != nil || len(r.Consent) != 0 {
			t.Fatalf("rule: START re-grants only what a keyword revoked, not a DNC request; got %+v, %v", r.Consent, err)
		}
		if d := cf.check(t, cf.marketing(cf.ana)); d.Allowed || !d.Has(consent.ReasonDNC) {
			t.Errorf("rule: internal do-not-call requests are honored; got %v", d)
		}
	})
}

func TestReceiveClassifiesWholeMessagesOnly(t *testing.T) {
	forEachConsentBackend(t, func(t *testing.T, cf *consentFixture) {
		ctx := context.Background()
		for _, body := range []string{"I'll stop by tomorrow", "can you cancel my appointment?", "the end of the month works"} {
			r, err := cf.book.Receive(ctx, rapport.Inbound{From: cf.shared, To: cf.store, Rooftop: "downtown", Body: body, At: cf.advance(time.Minute)})
			if err != nil || r.Signal != consent.SignalNone || len(r.Consent) != 0 {
				t.Errorf("rule: keywords inside a sentence are not opt-outs: %q gave %+v, %v", body, r.Signal, err)
			}
		}
		if d := cf.check(t, cf.marketing(cf.jose)); !d.Allowed {
			t.Errorf("consent survived ordinary messages: %v", d)
		}
		r, err := cf.book.Receive(ctx, rapport.Inbound{From: cf.shared, To: cf.store, Rooftop: "downtown", Body: "HELP"})
		if err != nil || r.Signal != consent.SignalHelp || r.Reply == "" || len(r.Consent) != 0 {
			t.Errorf("rule: HELP returns the configured help reply; got %+v, %v", r, err)
		}
		r, err = cf.book.Receive(ctx, rapport.Inbound{From: cf.shared, To: cf.store, Rooftop: "downtown", Body: "please stop texting me"})
		if err != nil || r.Signal != consent.SignalRevocationRequest || len(r.Consent) != 1 {
			t.Fatalf("rule: a revocation in plain words is an opt-out (FCC reasonable means); got %+v, %v", r, err)
		}
		if r.Consent[0].Evidence.Method != consent.MethodSMSReply {
			t.Errorf("method = %q", r.Consent[0].Evidence.Method)
		}
		// The provider's own field wins over the text.
		other := addr(t, "tel:+12125550160")
		r, err = cf.book.Receive(ctx, rapport.Inbound{From: other, To: cf.store, Rooftop: "downtown", Body: "Arrêt", OptOutType: "STOP"})
		if err != nil || r.Signal != consent.SignalOptOut || r.Consent[0].Evidence.Method != consent.MethodProviderSignal {
			t.Errorf("rule: provider opt-out signals map to the same events; got %+v, %v", r, err)
		}
	})
}

func TestQuietHoursInRecipientZone(t *testing.T) {
	forEachConsentBackend(t, func(t *testing.T, cf *consentFixture) {
		c := cf.marketing(cf.jose)
		c.At = time.Date(2026, 11, 11, 3, 30, 0, 0, time.UTC) // 22:30 in New York
		d := cf.check(t, c)
		if d.Allowed || !d.Has(consent.ReasonQuietHours) {
			t.Fatalf("rule: marketing only 08:00-21:00 in the recipient's zone; got %v", d)
		}
		want := time.Date(2026, 11, 11, 13, 0, 0, 0, time.UTC) // 08:00 in New York
		if !d.NextAllowed.Equal(want) {
			t.Errorf("NextAllowed = %v, want %v", d.NextAllowed, want)
		}
		c.Purpose = consent.PurposeService
		// Service texts have no quiet hours, but need express consent, which
		// a marketing grant is not for the service purpose.
		if d := cf.check(t, c); d.Allowed {
			t.Errorf("rule: service texts need their own express consent; got %v", d)
		}
	})
}

func TestSendRefusesWithoutConsentUnlessOverridden(t *testing.T) {
	forEachConsentBackend(t, func(t *testing.T, cf *consentFixture) {
		ctx := context.Background()
		stranger := addr(t, "tel:+12125550170")
		o := rapport.Outbound{
			Interaction: interaction.Interaction{Rooftop: "downtown", Channel: channel.KindSMS, Address: stranger,
				Kind: interaction.KindMessage, Authorship: interaction.AuthorshipTemplate, Template: "black-friday", Body: "Black Friday deals!"},
			Purpose: consent.PurposeMarketing,
		}
		before := countChanges(t, cf.book)
		_, err := cf.book.Send(ctx, o)
		var re *rapport.RefusedError
		if !errors.As(err, &re) || !re.Verdict.Consent.Has(consent.ReasonNoConsent) {
			t.Fatalf("rule: marketing needs prior express written consent; got %v", err)
		}
		if countChanges(t, cf.book) != before {
			t.Error("a refused send wrote something")
		}
		o.Purpose = consent.PurposeService
		o.Interaction.Body = "Your vehicle has an open safety recall."
		o.Interaction.Template = "recall"
		o.Override = "safety recall notice required by the manufacturer"
		sent, err := cf.book.Send(ctx, o)
		if err != nil || sent.Verdict.Consent.Allowed || sent.Interaction.Consent.Override == "" || len(sent.Interaction.Consent.Reasons) == 0 {
			t.Fatalf("an override is recorded with the refusing decision and its reason: %+v, %v", sent.Interaction.Consent, err)
		}
	})
}

func TestProviderOptOutOnDeliveryReceipt(t *testing.T) {
	forEachConsentBackend(t, func(t *testing.T, cf *consentFixture) {
		ctx := context.Background()
		sent, err := cf.book.Send(ctx, rapport.Outbound{
			Interaction: interaction.Interaction{Rooftop: "downtown", Customer: cf.jose, Channel: channel.KindSMS, Address: cf.shared, Via: cf.store,
				Kind: interaction.KindMessage, Authorship: interaction.AuthorshipHuman, Body: "Your CX-5 is ready for pickup",
				Delivery: interaction.Delivery{Status: interaction.StatusQueued}},
			Purpose: consent.PurposeMarketing,
		})
		if err != nil {
			t.Fatal(err)
		}
		id := sent.Interaction.ID
		at := cf.advance(time.Second)
		for _, u := range []interaction.DeliveryUpdate{
			{Status: interaction.StatusSent, At: at},
			{Status: interaction.StatusRead, At: at.Add(2 * time.Second)},
			{Status: interaction.StatusDelivered, At: at.Add(time.Second)}, // late: ignored
		} {
			if _, err := cf.book.UpdateDelivery(ctx, id, u); err != nil {
				t.Fatalf("rule: a late delivered after read is ignored, not an error: %v", err)
			}
		}
		i, _ := cf.book.Interaction(ctx, id)
		if i.Delivery.Status != interaction.StatusRead {
			t.Errorf("delivery status = %q, want read", i.Delivery.Status)
		}
		second, err := cf.book.Send(ctx, rapport.Outbound{
			Interaction: interaction.Interaction{Rooftop: "downtown", Customer: cf.jose, Channel: channel.KindSMS, Address: cf.shared,
				Kind: interaction.KindMessage, Authorship: interaction.AuthorshipHuman, Body: "One more thing"},
			Purpose: consent.PurposeMarketing,
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := cf.book.UpdateDelivery(ctx, second.Interaction.ID, interaction.DeliveryUpdate{Status: interaction.StatusFailed,
			At: cf.advance(time.Second), Reason: "recipient opted out", ErrorCode: "21610"}); err != nil {
			t.Fatal(err)
		}
		if d := cf.check(t, cf.marketing(cf.jose)); d.Allowed || !d.Has(consent.ReasonRevoked) {
			t.Errorf("rule: a provider error meaning 'opted out' is a revocation; got %v", d)
		}
	})
}

func TestBadInputIsRefusedWithTypedErrors(t *testing.T) {
	forEachConsentBackend(t, func(t *testing.T, cf *consentFixture) {
		ctx := context.Background()
		var ve *interaction.ValidationError
		if _, err := cf.book.Receive(ctx, rapport.Inbound{Body: "STOP"}); !errors.As(err, &ve) || ve.Field != "from" || !errors.Is(err, interaction.ErrMissing) {
			t.Errorf("an inbound message without a sender: %v", err)
		}
		_, err := cf.book.Send(ctx, rapport.Outbound{Purpose: consent.PurposeService, Interaction: interaction.Interaction{
			Direction: interaction.DirectionInbound, Channel: channel.KindSMS, Address: cf.shared, Kind: interaction.KindMessage}})
		if !errors.As(err, &ve) || ve.Field != "direction" || !errors.Is(err, interaction.ErrInvalid) {
			t.Errorf("Send of an inbound interaction: %v", err)
		}
		_, err = cf.book.RecordInteraction(ctx, interaction.Interaction{Kind: interaction.KindMessage})
		if !errors.As(err, &ve) || !errors.Is(err, interaction.ErrMissing) {
			t.Errorf("an interaction without a direction: %v", err)
		}
		_, err = cf.book.RecordConsent(ctx, consent.Event{Action: consent.ActionRevoke})
		var cve *consent.ValidationError
		if !errors.As(err, &cve) {
			t.Errorf("a consent event without an address: %v", err)
		}
	})
}
