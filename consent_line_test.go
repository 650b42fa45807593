package rapport_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rapportcim/rapport"
	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/interaction"
)

// holder adds a customer holding line, in zone, with the given postal
// addresses, and (when basis is set) a grant for marketing by channel k from
// rooftop "downtown".
func (cf *consentFixture) holder(t *testing.T, given string, line channel.Address, zone string, k channel.Kind, basis consent.Basis, addrs ...customer.PostalAddress) customer.ID {
	t.Helper()
	ctx := context.Background()
	r, err := cf.book.UpsertCustomer(ctx, customer.Customer{Name: customer.Name{Given: given, Family: "Rivera"},
		Preference:      channel.Preference{Zone: zone},
		ContactPoints:   []customer.ContactPoint{{Address: line, Usage: customer.UsageHome}},
		PostalAddresses: addrs})
	if err != nil {
		t.Fatal(err)
	}
	if basis != "" {
		if _, err := cf.book.RecordConsent(ctx, consent.Event{
			Subject: consent.Subject{Address: line, Customer: r.Record.ID}, Channel: k,
			Purpose: consent.PurposeMarketing, Rooftop: "downtown", Action: consent.ActionGrant, Basis: basis,
			Evidence:   consent.Evidence{Method: consent.MethodWebForm, DisclosureVersion: "sms-terms-v3"},
			CapturedAt: cf.advance(time.Minute),
		}); err != nil {
			t.Fatal(err)
		}
	}
	return r.Record.ID
}

func (cf *consentFixture) promo(line channel.Address, id customer.ID) rapport.Outbound {
	return rapport.Outbound{
		Interaction: interaction.Interaction{Rooftop: "downtown", Customer: id, Channel: channel.KindSMS, Address: line, Via: cf.store,
			Kind: interaction.KindMessage, Authorship: interaction.AuthorshipTemplate, Template: "weekend-sale", Body: "Weekend sale on CX-5s!",
			OccurredAt: cf.advance(10 * time.Minute)},
		Purpose: consent.PurposeMarketing,
	}
}

// Item 1: limits are per line.
func TestCapCountsEverySendToTheLine(t *testing.T) {
	forEachConsentBackend(t, func(t *testing.T, cf *consentFixture) {
		ctx := context.Background()
		miami := addr(t, "tel:+13055550150") // a Florida area code: Fla. Stat. 501.616(6) caps 3 a day
		var family []customer.ID
		for _, name := range []string{"Luis", "Marta", "Sofía", "Diego"} {
			family = append(family, cf.holder(t, name, miami, "America/New_York", channel.KindSMS, consent.BasisExpressWritten))
		}
		for i := range 3 {
			if _, err := cf.book.Send(ctx, cf.promo(miami, family[i])); err != nil {
				t.Fatalf("promotion %d to a different family member: %v", i+1, err)
			}
		}
		_, err := cf.book.Send(ctx, cf.promo(miami, family[3]))
		var re *rapport.RefusedError
		if !errors.As(err, &re) || !re.Verdict.Consent.Has(consent.ReasonFrequencyCap) || re.Verdict.Consent.Rule != "us-fl" || re.Verdict.Consent.Region != "US-FL" {
			t.Fatalf("rule: Fla. Stat. 501.616(6) caps marketing at 3 per 24 h per line, whoever each promotion was addressed to; the fourth to a shared number got %v", err)
		}
		// Without naming a customer, Check sees the same line.
		d := cf.check(t, rapport.Contact{Address: miami, Channel: channel.KindSMS, Purpose: consent.PurposeMarketing, Rooftop: "downtown"})
		if !d.Has(consent.ReasonFrequencyCap) {
			t.Errorf("rule: the cap is per line; Check without a customer gave %v", d)
		}
	})
}

// Item 1, continued: a number that changed hands. The promotions sent to
// the customer who held the line before count for the customer who holds
// it now: the cap is the line's, whoever each send was recorded for. The
// Reader path counts them too when the backend has
// storage.LineSendsReader (every backend here); a backend with neither
// that nor the line state can find only the current holders' sends, as
// the capability's documentation says.
func TestCapCountsSendsToAFormerHolder(t *testing.T) {
	forEachConsentBackend(t, func(t *testing.T, cf *consentFixture) {
		ctx := context.Background()
		miami := addr(t, "tel:+13055550152")
		luis := cf.holder(t, "Luis", miami, "America/New_York", channel.KindSMS, consent.BasisExpressWritten)
		for i := range 3 {
			if _, err := cf.book.Send(ctx, cf.promo(miami, luis)); err != nil {
				t.Fatalf("promotion %d: %v", i+1, err)
			}
		}
		// Luis gives the number up: it leaves his record, and Marta,
		// who has it now, signs up with her own consent.
		c, err := cf.book.Customer(ctx, luis)
		if err != nil {
			t.Fatal(err)
		}
		c.ContactPoints = []customer.ContactPoint{{Address: addr(t, "mailto:luis.rivera@example.com")}}
		if _, err := cf.book.UpdateCustomer(ctx, c); err != nil {
			t.Fatal(err)
		}
		marta := cf.holder(t, "Marta", miami, "America/New_York", channel.KindSMS, consent.BasisExpressWritten)
		if marta == luis {
			t.Fatal("Marta was matched to Luis's record")
		}
		contact := rapport.Contact{Address: miami, Channel: channel.KindSMS, Purpose: consent.PurposeMarketing, Rooftop: "downtown", Customer: marta}
		opts := &rapport.Options{Now: cf.clock, NewID: cf.newID, Policies: consent.Policies{Default: consent.US()}}
		readerPath, err := rapport.New(readerOnly{cf.backend}, "group-1", opts)
		if err != nil {
			t.Fatal(err)
		}
		bare, err := rapport.New(bareReader{cf.backend}, "group-1", opts)
		if err != nil {
			t.Fatal(err)
		}
		for name, book := range map[string]*rapport.Book{"line state": cf.book, "reader path": readerPath} {
			v, err := book.Check(ctx, contact)
			if err != nil {
				t.Fatal(err)
			}
			if v.Consent.Allowed || !v.Consent.Has(consent.ReasonFrequencyCap) {
				t.Errorf("%s: three promotions to the line today, recorded for its former holder: got %v, want the Florida cap", name, v.Consent)
			}
		}
		if v, err := bare.Check(ctx, contact); err != nil || !v.Consent.Allowed {
			t.Errorf("a backend with neither capability counts the current holders' sends only: got %v, %v", v.Consent, err)
		}
	})
}

func TestSendsRecordedWithoutPurposeCountAsMarketing(t *testing.T) {
	forEachConsentBackend(t, func(t *testing.T, cf *consentFixture) {
		ctx := context.Background()
		miami := addr(t, "tel:+13055550151")
		luis := cf.holder(t, "Luis", miami, "America/New_York", channel.KindSMS, consent.BasisExpressWritten)
		marta := cf.holder(t, "Marta", miami, "America/New_York", channel.KindSMS, consent.BasisExpressWritten)
		record := func(id customer.ID, check *interaction.ConsentCheck) {
			t.Helper()
			i := cf.promo(miami, id).Interaction
			i.Direction = interaction.DirectionOutbound
			i.Consent = check
			if _, err := cf.book.RecordInteraction(ctx, i); err != nil {
				t.Fatal(err)
			}
		}
		// A service message recorded as such does not count towards the
		// marketing cap.
		record(luis, &interaction.ConsentCheck{Purpose: string(consent.PurposeService), Allowed: true})
		if _, err := cf.book.Send(ctx, cf.promo(miami, marta)); err != nil {
			t.Fatal(err)
		}
		if d := cf.check(t, rapport.Contact{Address: miami, Channel: channel.KindSMS, Purpose: consent.PurposeMarketing, Rooftop: "downtown", Customer: marta}); !d.Allowed {
			t.Fatalf("one marketing send and one service send leave room under a cap of 3; got %v", d)
		}
		// Two outbound messages recorded without a consent check count as
		// marketing: the safe default.
		record(luis, nil)
		record(marta, nil)
		d := cf.check(t, rapport.Contact{Address: miami, Channel: channel.KindSMS, Purpose: consent.PurposeMarketing, Rooftop: "downtown", Customer: marta})
		if d.Allowed || !d.Has(consent.ReasonFrequencyCap) {
			t.Errorf("rule: outbound messages recorded without a purpose count towards marketing caps (Fla. Stat. 501.616(6)); got %v", d)
		}
	})
}

func TestConfirmationIsOneTextPerLine(t *testing.T) {
	forEachConsentBackend(t, func(t *testing.T, cf *consentFixture) {
		ctx := context.Background()
		if _, err := cf.book.Receive(ctx, rapport.Inbound{From: cf.shared, To: cf.store, Rooftop: "downtown", Body: "STOP"}); err != nil {
			t.Fatal(err)
		}
		confirm := func(id customer.ID, k channel.Kind) (rapport.Sent, error) {
			return cf.book.Send(ctx, rapport.Outbound{
				Interaction: interaction.Interaction{Rooftop: "downtown", Customer: id, Channel: k, Address: cf.shared, Via: cf.store,
					Kind: interaction.KindMessage, Authorship: interaction.AuthorshipAutomated, Body: "You're unsubscribed. Reply START to resubscribe.",
					OccurredAt: cf.advance(20 * time.Second)},
				Purpose: consent.PurposeService, Confirmation: true,
			})
		}
		var re *rapport.RefusedError
		if _, err := confirm(cf.jose, channel.KindVoice); !errors.As(err, &re) || re.Verdict.Consent.Has(consent.ReasonConfirmationAllowed) {
			t.Fatalf("rule: the one confirmation is a text (47 CFR 64.1200(a)(12)); a call marked as one got %v", err)
		}
		if _, err := confirm(cf.jose, channel.KindSMS); err != nil {
			t.Fatalf("rule: one confirmation text within 5 minutes (47 CFR 64.1200(a)(12)): %v", err)
		}
		if _, err := confirm(cf.ana, channel.KindSMS); !errors.As(err, &re) || !re.Verdict.Consent.Has(consent.ReasonConfirmationUsed) {
			t.Errorf("rule: one confirmation per line (47 CFR 64.1200(a)(12)), whoever it is addressed to; a second to another holder got %v", err)
		}
	})
}

// Item 3: where the recipient lives.
func TestMailingAddressStateApplies(t *testing.T) {
	forEachConsentBackend(t, func(t *testing.T, cf *consentFixture) {
		nyc := addr(t, "tel:+12125550152") // a New York area code
		okHome := customer.PostalAddress{Lines: []string{"100 Main St"}, Locality: "Tulsa", Region: "Oklahoma", PostalCode: "74103", Usage: customer.AddressHome}
		okBilling := okHome
		okBilling.Usage = customer.AddressBilling
		home := cf.holder(t, "Rosa", nyc, "America/Chicago", channel.KindSMS, consent.BasisExpressWritten, okHome)
		c := rapport.Contact{Address: nyc, Channel: channel.KindSMS, Purpose: consent.PurposeMarketing, Rooftop: "downtown", Customer: home,
			At: time.Date(2026, 11, 12, 2, 30, 0, 0, time.UTC)} // Wednesday 20:30 in Tulsa
		d := cf.check(t, c)
		if d.Allowed || !d.Has(consent.ReasonQuietHours) || d.Rule != "us-ok" || d.Region != "US-OK" {
			t.Fatalf("rule: 15 O.S. 775C allows marketing 08:00-20:00 in Oklahoma, by the mailing address's state although the area code is New York's; got %v rule %q region %q", d, d.Rule, d.Region)
		}
		if want := time.Date(2026, 11, 12, 14, 0, 0, 0, time.UTC); !d.NextAllowed.Equal(want) || d.NextAllowed.Location() != time.UTC {
			t.Errorf("rule: NextAllowed is 08:00 in Tulsa, reported in UTC; got %v", d.NextAllowed)
		}

		billing := cf.holder(t, "Tomás", addr(t, "tel:+12125550153"), "America/Chicago", channel.KindSMS, consent.BasisExpressWritten, okBilling)
		c.Address, c.Customer = addr(t, "tel:+12125550153"), billing
		if d := cf.check(t, c); !d.Allowed {
			t.Errorf("a billing address is not where the recipient lives; the federal 08:00-21:00 (47 CFR 64.1200(c)(1)) allows 20:30; got %v", d)
		}
		for _, region := range []string{"US-OK", "OK", "Oklahoma"} {
			c.Region = region
			if d := cf.check(t, c); d.Allowed || d.Region != "US-OK" {
				t.Errorf("rule: Contact.Region %q names the state explicitly (15 O.S. 775C); got %v region %q", region, d, d.Region)
			}
		}
		c.Region = "Okla-homa"
		_, err := cf.book.Check(context.Background(), c)
		var ve *customer.ValidationError
		if !errors.As(err, &ve) || ve.Field != "region" || !errors.Is(err, customer.ErrInvalidRegion) {
			t.Errorf("a region Check cannot read is a typed error, not a silent miss; got %v", err)
		}
	})
}

func TestAreaCodeAndAddressBothApplyStricterWins(t *testing.T) {
	forEachConsentBackend(t, func(t *testing.T, cf *consentFixture) {
		miami := addr(t, "tel:+13055550154") // Florida: 08:00-20:00 (Fla. Stat. 501.616(6))
		ct := customer.PostalAddress{Lines: []string{"1 Elm St"}, Locality: "Hartford", Region: "CT", PostalCode: "06103", Country: "US", Usage: customer.AddressHome}
		id := cf.holder(t, "Ines", miami, "America/New_York", channel.KindSMS, consent.BasisExpressWritten, ct)
		c := rapport.Contact{Address: miami, Channel: channel.KindSMS, Purpose: consent.PurposeMarketing, Rooftop: "downtown", Customer: id}

		c.At = time.Date(2026, 11, 11, 13, 30, 0, 0, time.UTC) // 08:30 in New York
		if d := cf.check(t, c); d.Allowed || d.Rule != "us-ct" || d.Region != "US-CT" {
			t.Errorf("rule: Connecticut (Conn. Public Act 23-98) opens at 09:00 and applies by the mailing address; got %v rule %q region %q", d, d.Rule, d.Region)
		}
		c.At = time.Date(2026, 11, 12, 1, 30, 0, 0, time.UTC) // 20:30 in New York
		if d := cf.check(t, c); d.Allowed || d.Region == "" {
			t.Errorf("rule: both close at 20:00 (Fla. Stat. 501.616(6), Conn. Public Act 23-98); got %v region %q", d, d.Region)
		}
		c.At = time.Date(2026, 11, 11, 15, 0, 0, 0, time.UTC) // 10:00 in New York
		if d := cf.check(t, c); !d.Allowed {
			t.Errorf("inside every state's hours: %v", d)
		}
	})
}

func TestPostalAddressRoundTripsThroughTheBook(t *testing.T) {
	forEachConsentBackend(t, func(t *testing.T, cf *consentFixture) {
		ctx := context.Background()
		a := customer.PostalAddress{Lines: []string{" 1 Rue  Sainte-Catherine ", "App. 4"}, Locality: "Montréal", Region: "Québec", PostalCode: "h2x1y4", Country: "Canada", Usage: customer.AddressWork}
		id := cf.holder(t, "Chloé", addr(t, "tel:+15145550155"), "America/Toronto", "", "", a)
		got, err := cf.book.Customer(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		want := customer.PostalAddress{Lines: []string{"1 Rue Sainte-Catherine", "App. 4"}, Locality: "Montréal", Region: "QC", PostalCode: "H2X 1Y4", Country: "CA", Usage: customer.AddressWork}
		if len(got.PostalAddresses) != 1 || got.PostalAddresses[0].Region != want.Region || got.PostalAddresses[0].PostalCode != want.PostalCode ||
			got.PostalAddresses[0].Country != want.Country || strings.Join(got.PostalAddresses[0].Lines, "|") != strings.Join(want.Lines, "|") {
			t.Errorf("stored %+v; want %+v", got.PostalAddresses, want)
		}
		// The same customer arriving again with a home address keeps both.
		home := customer.PostalAddress{Lines: []string{"9 Rue Saint-Paul"}, Locality: "Montréal", Region: "QC", PostalCode: "H2Y 1G6", Country: "CA", Usage: customer.AddressHome}
		again, err := cf.book.UpsertCustomer(ctx, customer.Customer{ContactPoints: []customer.ContactPoint{{Address: addr(t, "tel:+15145550155")}},
			PostalAddresses: []customer.PostalAddress{a, home}})
		if err != nil || again.Created || again.Record.ID != id || len(again.Record.PostalAddresses) != 2 || again.Record.PostalAddresses[1].Usage != customer.AddressHome {
			t.Errorf("an upsert adds a new postal address and keeps the known one once; got %+v, %v", again.Record.PostalAddresses, err)
		}
		_, err = cf.book.UpsertCustomer(ctx, customer.Customer{Name: customer.Name{Given: "Bad"},
			PostalAddresses: []customer.PostalAddress{{PostalCode: "1234", Country: "US"}}})
		var ve *customer.ValidationError
		if !errors.As(err, &ve) || ve.Field != "postal_addresses[0].postal_code" || !errors.Is(err, customer.ErrInvalidPostalCode) {
			t.Errorf("a bad ZIP code is a typed error naming the field; got %v", err)
		}
	})
}

// Item 4 (Book side): reviews with a deadline.
func TestRestrictionIsFlaggedForReviewWithDeadline(t *testing.T) {
	forEachConsentBackend(t, func(t *testing.T, cf *consentFixture) {
		ctx := context.Background()
		// Wednesday 18 November 2026; Thanksgiving (26 November) is not a
		// business day.
		at := time.Date(2026, 11, 18, 15, 0, 0, 0, time.UTC)
		cf.now = at
		// A restriction is flagged for staff and withdraws nothing.
		r, err := cf.book.Receive(ctx, rapport.Inbound{From: cf.shared, To: cf.store, Rooftop: "downtown", Body: "Don't call me before noon please"})
		if err != nil {
			t.Fatal(err)
		}
		if r.Signal != consent.SignalReview || !r.NeedsReview || len(r.Consent) != 0 || !r.ReviewDue.Equal(time.Date(2026, 12, 3, 15, 0, 0, 0, time.UTC)) {
			t.Fatalf("rule: a restriction is flagged for review within 10 business days, never a blanket opt-out (47 CFR 64.1200(a)(10)); got %+v", r)
		}
		if d := cf.check(t, cf.marketing(cf.jose)); !d.Allowed {
			t.Errorf("a restriction left consent as it was: %v", d)
		}
		r, err = cf.book.Receive(ctx, rapport.Inbound{From: cf.shared, To: cf.store, Rooftop: "downtown", Body: "please stop texting me"})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Consent) != 1 || r.NeedsReview {
			t.Fatalf("under the US preset a request to stop is a revocation (47 CFR 64.1200(a)(10)); got %+v", r)
		}
		// A policy that leaves such requests to staff flags them instead.
		p := consent.US()
		p.ReviewRevocationRequests = true
		book, err := rapport.New(cf.backend, "group-1", &rapport.Options{Now: cf.clock, NewID: cf.newID, Policies: consent.Policies{Default: p}})
		if err != nil {
			t.Fatal(err)
		}
		other := addr(t, "tel:+12125550156")
		r, err = book.Receive(ctx, rapport.Inbound{From: other, To: cf.store, Rooftop: "downtown", Body: "please stop texting me", At: at})
		if err != nil {
			t.Fatal(err)
		}
		due := time.Date(2026, 12, 3, 15, 0, 0, 0, time.UTC)
		if !r.NeedsReview || len(r.Consent) != 0 || !r.ReviewDue.Equal(due) {
			t.Fatalf("rule: a request left to staff is flagged, never a blanket opt-out, due in 10 business days (47 CFR 64.1200(a)(10)); got review %v due %v consent %v", r.NeedsReview, r.ReviewDue, r.Consent)
		}
		flag := r.Interaction.Flags[len(r.Interaction.Flags)-1]
		if flag.Reason != interaction.FlagReasonConsent || !flag.Due.Equal(due) {
			t.Errorf("flag = %+v", flag)
		}
		count := func(seq func(func(interaction.Interaction, error) bool)) int {
			n := 0
			for i, err := range seq {
				if err != nil {
					t.Fatal(err)
				}
				if i.ID == r.Interaction.ID {
					n++
				}
			}
			return n
		}
		// A message from history (received a month ago) is flagged as of
		// its receipt, and already overdue.
		old, err := book.Receive(ctx, rapport.Inbound{From: addr(t, "tel:+12125550157"), To: cf.store, Rooftop: "downtown",
			Body: "Only text me about service please", At: at.AddDate(0, -1, 0)})
		if err != nil || !old.NeedsReview || !old.ReviewDue.Before(at) {
			t.Fatalf("an old restriction: %+v, %v", old, err)
		}
		if count(book.Reviews().Consent(ctx)) != 1 {
			t.Error("the flagged message is listed for review")
		}
		if count(book.Reviews().OverdueConsent(ctx, due)) != 0 {
			t.Error("not overdue at its deadline")
		}
		if count(book.Reviews().OverdueConsent(ctx, due.Add(time.Minute))) != 1 {
			t.Error("rule: overdue after 10 business days (47 CFR 64.1200(a)(10))")
		}
		cf.now = due.Add(time.Hour)
		if _, err := book.Reviews().Complete(ctx, r.Interaction.ID, len(r.Interaction.Flags)-1, rapport.Act{By: "manager.kim", Reason: "recorded a revocation by hand"}); err != nil {
			t.Fatal(err)
		}
		if count(book.Reviews().OverdueConsent(ctx, due.Add(time.Hour))) != 0 {
			t.Error("a reviewed flag is not overdue")
		}
	})
}

// Item 5: every channel.
func TestRevocationOnEveryChannel(t *testing.T) {
	forEachConsentBackend(t, func(t *testing.T, cf *consentFixture) {
		ctx := context.Background()
		tests := []struct {
			name   string
			in     rapport.Inbound
			kind   channel.Kind
			method consent.Method
		}{
			{"whatsapp", rapport.Inbound{From: addr(t, "whatsapp:+12125550161"), To: addr(t, "whatsapp:+12125550100"), Body: "STOP"}, channel.KindWhatsApp, consent.MethodMessageReply},
			{"whatsapp in Spanish", rapport.Inbound{From: addr(t, "whatsapp:+12125550166"), To: addr(t, "whatsapp:+12125550100"), Body: "No me envíes más mensajes"}, channel.KindWhatsApp, consent.MethodMessageReply},
			{"facebook", rapport.Inbound{From: addr(t, "facebook:5550162"), To: addr(t, "facebook:5550100"), Body: "unsubscribe"}, channel.KindFacebook, consent.MethodMessageReply},
			{"instagram", rapport.Inbound{From: addr(t, "instagram:5550163"), To: addr(t, "instagram:5550100"), Body: "Stop messaging me please"}, channel.KindInstagram, consent.MethodMessageReply},
			{"webchat", rapport.Inbound{From: addr(t, "webchat:session-5550164"), Body: "stop contacting me"}, channel.KindWebChat, consent.MethodMessageReply},
			{"email subject", rapport.Inbound{From: addr(t, "mailto:pat@example.com"), To: addr(t, "mailto:sales@example.com"), Subject: "RE: Unsubscribe", Body: "Thanks"}, channel.KindEmail, consent.MethodEmailReply},
			{"email reply above quote", rapport.Inbound{From: addr(t, "mailto:lee@example.com"), To: addr(t, "mailto:sales@example.com"), Subject: "Re: Spring service specials",
				Body: "STOP\r\n\r\nOn Tue, Nov 10, 2026 at 9:00 AM Downtown Mazda <sales@example.com> wrote:\r\n> Book your service today!\r\n> Reply STOP to opt out."},
				channel.KindEmail, consent.MethodEmailReply},
			{"voicemail transcript", rapport.Inbound{From: addr(t, "tel:+12125550165"), To: cf.store, Channel: channel.KindVoice, Voicemail: true, RecordingRef: "RE5550165",
				Body: "Hi, this is Sam. Please stop calling me. Thanks."}, channel.KindVoice, consent.MethodCall},
		}
		for _, tt := range tests {
			tt.in.Rooftop, tt.in.At = "downtown", cf.advance(time.Minute)
			r, err := cf.book.Receive(ctx, tt.in)
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			if len(r.Consent) != 1 || r.Consent[0].Action != consent.ActionRevoke || r.Consent[0].Channel != tt.kind || r.Consent[0].Evidence.Method != tt.method {
				t.Errorf("rule: a revocation by any reasonable means counts, on the channel it came on (47 CFR 64.1200(a)(10)); %s gave %+v", tt.name, r.Consent)
				continue
			}
			if !r.ConfirmUntil.IsZero() {
				t.Errorf("%s: only a text gets a confirmation text", tt.name)
			}
			k := tt.kind
			d := cf.check(t, rapport.Contact{Address: tt.in.From, Channel: k, Purpose: consent.PurposeService, Rooftop: "downtown"})
			if d.Allowed || !d.Has(consent.ReasonRevoked) {
				t.Errorf("%s: after the revocation a service message on %s gives %v", tt.name, k, d)
			}
		}
		// The voicemail's revocation follows the calls-texts link (FCC 24-24).
		d := cf.check(t, rapport.Contact{Address: addr(t, "tel:+12125550165"), Channel: channel.KindSMS, Purpose: consent.PurposeService, Rooftop: "downtown"})
		if d.Allowed || !d.Has(consent.ReasonRevoked) {
			t.Errorf("rule: revoking calls revokes texts (47 CFR 64.1200(a)(10), FCC 24-24); got %v", d)
		}
		// "stop" only in the quoted message is not the sender's.
		r, err := cf.book.Receive(ctx, rapport.Inbound{From: addr(t, "mailto:kim@example.com"), To: addr(t, "mailto:sales@example.com"), Rooftop: "downtown",
			Subject: "Re: Your CX-5", Body: "Yes, Thursday at 3 works.\n\n> Reply STOP to opt out\n"})
		if err != nil || r.Signal != consent.SignalNone || len(r.Consent) != 0 {
			t.Errorf("quoted text is not the reply: %v %+v", err, r.Signal)
		}
	})
}

func TestOneClickUnsubscribe(t *testing.T) {
	forEachConsentBackend(t, func(t *testing.T, cf *consentFixture) {
		ctx := context.Background()
		mail := addr(t, "mailto:jordan@example.com")
		c := rapport.Contact{Address: mail, Channel: channel.KindEmail, Purpose: consent.PurposeMarketing, Rooftop: "downtown"}
		if d := cf.check(t, c); !d.Allowed {
			t.Fatalf("CAN-SPAM (15 U.S.C. 7704) allows commercial email until an opt-out; got %v", d)
		}
		if err := rapport.ParseOneClick("application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click")); err != nil {
			t.Fatalf("rule: RFC 8058 one-click body: %v", err)
		}
		e, err := cf.book.Unsubscribe(ctx, rapport.Unsubscribe{Address: mail, Rooftop: "downtown", PageURL: "https://mail.example.com/u/opaque-token"})
		if err != nil || e.Evidence.Method != consent.MethodEmailLink || e.Channel != channel.KindEmail {
			t.Fatalf("Unsubscribe = %+v, %v", e, err)
		}
		if d := cf.check(t, c); d.Allowed || !d.Has(consent.ReasonRevoked) {
			t.Errorf("rule: an unsubscribe is honoured (15 U.S.C. 7704(a)(4)); got %v", d)
		}
		if _, err := cf.book.Unsubscribe(ctx, rapport.Unsubscribe{Address: cf.shared}); !errors.Is(err, consent.ErrInvalid) {
			t.Errorf("an email unsubscribe for a phone number: %v", err)
		}
	})
}

// Item 6: internal do-not-call binds the business, or the seller.
func TestWithdrawalBindsTheSeller(t *testing.T) {
	for _, be := range backends {
		t.Run(be.name, func(t *testing.T) {
			for _, sellers := range []bool{false, true} {
				f := newFixture(t, be.open, "group-1")
				f.now = time.Date(2026, 11, 10, 19, 0, 0, 0, time.UTC)
				p := consent.US()
				if sellers {
					p.Sellers = []consent.Seller{{Name: "mazda-llc", Rooftops: []dealer.Rooftop{"downtown", "midtown"}}, {Name: "ford-inc", Rooftops: []dealer.Rooftop{"uptown"}}}
				}
				book, err := rapport.New(f.backend, "group-1", &rapport.Options{Now: f.clock, NewID: f.newID, Policies: consent.Policies{Default: p}})
				if err != nil {
					t.Fatal(err)
				}
				ctx := context.Background()
				line := addr(t, "tel:+12125550170")
				for _, rt := range []dealer.Rooftop{"downtown", "midtown", "uptown"} {
					if _, err := book.RecordConsent(ctx, consent.Event{Subject: consent.Subject{Address: line}, Channel: channel.KindSMS,
						Purpose: consent.PurposeMarketing, Rooftop: rt, Action: consent.ActionGrant, Basis: consent.BasisExpressWritten,
						Evidence: consent.Evidence{Method: consent.MethodWebForm, DisclosureVersion: "v1"}, CapturedAt: f.advance(time.Minute)}); err != nil {
						t.Fatal(err)
					}
				}
				if _, err := book.Receive(ctx, rapport.Inbound{From: line, To: addr(t, "tel:+12125550100"), Rooftop: "downtown", Body: "STOP", At: f.advance(time.Minute)}); err != nil {
					t.Fatal(err)
				}
				check := func(rt dealer.Rooftop) consent.Decision {
					v, err := book.Check(ctx, rapport.Contact{Address: line, Channel: channel.KindSMS, Purpose: consent.PurposeMarketing, Rooftop: rt, At: f.advance(time.Minute)})
					if err != nil {
						t.Fatal(err)
					}
					return v.Consent
				}
				if d := check("midtown"); d.Allowed {
					t.Errorf("sellers=%v: rule: a revocation at one rooftop binds the seller's other rooftops (47 CFR 64.1200(d)); got %v", sellers, d)
				}
				d := check("uptown")
				if sellers && !d.Allowed {
					t.Errorf("rule: a separate legal entity is not bound by another seller's opt-out (47 CFR 64.1200(d)); got %v", d)
				}
				if !sellers && d.Allowed {
					t.Errorf("rule: without sellers, an opt-out binds every rooftop of the tenant (47 CFR 64.1200(d)); got %v", d)
				}

				// A do-not-call request taken by phone at another rooftop.
				other := addr(t, "tel:+12125550171")
				for _, rt := range []dealer.Rooftop{"downtown", "uptown"} {
					if _, err := book.RecordConsent(ctx, consent.Event{Subject: consent.Subject{Address: other}, Channel: channel.KindSMS,
						Purpose: consent.PurposeMarketing, Rooftop: rt, Action: consent.ActionGrant, Basis: consent.BasisExpressWritten,
						Evidence: consent.Evidence{Method: consent.MethodWebForm, DisclosureVersion: "v1"}, CapturedAt: f.advance(time.Minute)}); err != nil {
						t.Fatal(err)
					}
				}
				if _, err := book.RecordConsent(ctx, consent.Event{Subject: consent.Subject{Address: other}, Channel: channel.KindVoice,
					Purpose: consent.PurposeAll, Rooftop: "midtown", Action: consent.ActionDNCRequest, CapturedAt: f.advance(time.Minute),
					Evidence: consent.Evidence{Method: consent.MethodCall, CapturedBy: "bdc.agent"}}); err != nil {
					t.Fatal(err)
				}
				v, err := book.Check(ctx, rapport.Contact{Address: other, Channel: channel.KindSMS, Purpose: consent.PurposeMarketing, Rooftop: "downtown", At: f.advance(time.Minute)})
				if err != nil || v.Consent.Allowed || !v.Consent.Has(consent.ReasonDNC) {
					t.Errorf("sellers=%v: rule: a do-not-call request at midtown binds downtown and covers texts (47 CFR 64.1200(d), FCC 24-24); got %v, %v", sellers, v.Consent, err)
				}
				v, err = book.Check(ctx, rapport.Contact{Address: other, Channel: channel.KindSMS, Purpose: consent.PurposeMarketing, Rooftop: "uptown", At: f.advance(time.Minute)})
				if err != nil || v.Consent.Allowed != sellers {
					t.Errorf("sellers=%v: rule: a do-not-call request binds the business, or only its seller when rooftops are grouped into sellers (47 CFR 64.1200(d)); uptown got %v, %v", sellers, v.Consent, err)
				}
			}
		})
	}
}

// Items 7 and 8: registries and reassigned numbers, through Check.
func TestRegistriesThroughCheck(t *testing.T) {
	for _, be := range backends {
		t.Run(be.name, func(t *testing.T) {
			f := newFixture(t, be.open, "group-1")
			now := time.Date(2026, 11, 10, 19, 0, 0, 0, time.UTC) // Tuesday 14:00 in Toronto
			f.now = now
			book, err := rapport.New(f.backend, "group-1", &rapport.Options{Now: f.clock, NewID: f.newID, Policies: consent.Policies{Default: consent.Canada()}})
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			line := addr(t, "tel:+14165550180")
			r, err := book.UpsertCustomer(ctx, customer.Customer{Name: customer.Name{Given: "Avery"}, Preference: channel.Preference{Zone: "America/Toronto"},
				ContactPoints: []customer.ContactPoint{{Address: line}}})
			if err != nil {
				t.Fatal(err)
			}
			id := r.Record.ID
			// A number given for calls (express consent, not written).
			if _, err := book.RecordConsent(ctx, consent.Event{Subject: consent.Subject{Address: line, Customer: id}, Channel: channel.KindVoice,
				Purpose: consent.PurposeMarketing, Action: consent.ActionGrant, Basis: consent.BasisExpress,
				Evidence: consent.Evidence{Method: consent.MethodCall, CapturedBy: "bdc.agent"}, CapturedAt: now.AddDate(-2, 0, 0)}); err != nil {
				t.Fatal(err)
			}
			call := rapport.Contact{Address: line, Channel: channel.KindVoice, Purpose: consent.PurposeMarketing, Rooftop: "downtown", Customer: id, At: now}
			check := func(c rapport.Contact) consent.Decision {
				t.Helper()
				v, err := book.Check(ctx, c)
				if err != nil {
					t.Fatal(err)
				}
				return v.Consent
			}
			if d := check(call); d.Allowed || !d.Has(consent.ReasonRegistryStale) || d.Rule != string(consent.RegistryCADNCL) {
				t.Errorf("rule: a telemarketing call needs a National DNCL scrub no older than 31 days (CRTC Unsolicited Telecommunications Rules); got %v rule %q", d, d.Rule)
			}
			listed := call
			listed.Registries = []consent.Listing{{Registry: consent.RegistryCADNCL, Listed: true, ScrubbedAt: now.AddDate(0, 0, -3)}}
			if d := check(listed); d.Allowed || !d.Has(consent.ReasonRegistryDNC) {
				t.Errorf("rule: no telemarketing call to a number on the National DNCL without an exemption; got %v", d)
			}
			stale := call
			stale.Registries = []consent.Listing{{Registry: consent.RegistryCADNCL, Listed: false, ScrubbedAt: now.AddDate(0, 0, -40)}}
			if d := check(stale); d.Allowed || !d.Has(consent.ReasonRegistryStale) {
				t.Errorf("rule: a scrub older than 31 days is stale; got %v", d)
			}
			clean := call
			clean.Registries = []consent.Listing{{Registry: consent.RegistryCADNCL, Listed: false, ScrubbedAt: now.AddDate(0, 0, -3)}}
			if d := check(clean); !d.Allowed {
				t.Errorf("a fresh scrub that does not list the number allows the call: %v", d)
			}
			reassigned := clean
			reassigned.ReassignedAt = now.AddDate(0, -1, 0)
			if d := check(reassigned); d.Allowed || !d.Has(consent.ReasonReassigned) {
				t.Errorf("rule: a number reassigned after the consent voids it (47 CFR 64.1200(m)); got %v", d)
			}

			// Send takes the same registry facts.
			dial := func(registries []consent.Listing) error {
				_, err := book.Send(ctx, rapport.Outbound{Purpose: consent.PurposeMarketing, Registries: registries,
					Interaction: interaction.Interaction{Rooftop: "downtown", Customer: id, Address: line, Channel: channel.KindVoice,
						Kind: interaction.KindCall, Authorship: interaction.AuthorshipHuman, Participants: []interaction.Participant{{Staff: "bdc.agent", Role: interaction.RoleBDC}}}})
				return err
			}
			var re *rapport.RefusedError
			if err := dial(listed.Registries); !errors.As(err, &re) || !re.Verdict.Consent.Has(consent.ReasonRegistryDNC) {
				t.Errorf("rule: Send refuses a telemarketing call to a number on the National DNCL (CRTC rules); got %v", err)
			}
			if err := dial(clean.Registries); err != nil {
				t.Errorf("Send with a fresh scrub that does not list the number: %v", err)
			}

			// An inquiry 4 months ago, recorded in the book, is an
			// established business relationship for 6 months (DNCL).
			if _, err := book.RecordInteraction(ctx, interaction.Interaction{Rooftop: "downtown", Customer: id, Address: line, Channel: channel.KindSMS,
				Direction: interaction.DirectionInbound, Kind: interaction.KindMessage, Body: "Is the grey CX-50 still available?",
				OccurredAt: now.AddDate(0, -4, 0)}); err != nil {
				t.Fatal(err)
			}
			if d := check(listed); !d.Allowed {
				t.Errorf("rule: an inquiry within 6 months exempts a call from the National DNCL (CRTC rules), derived from the book; got %v", d)
			}
			later := listed
			later.At = now.AddDate(0, 3, 0)
			later.Registries = []consent.Listing{{Registry: consent.RegistryCADNCL, Listed: true, ScrubbedAt: later.At.AddDate(0, 0, -3)}}
			if d := check(later); d.Allowed || !d.Has(consent.ReasonRegistryDNC) {
				t.Errorf("rule: an inquiry 7 months ago no longer exempts (6 months); got %v", d)
			}
			// A purchase 12 months before, recorded as a household vehicle
			// sold by the rooftop, exempts for 18 months.
			hh, err := book.UpsertHousehold(ctx, household.Household{Name: "Avery household", Members: []household.Member{{Customer: id, Role: household.MemberRolePrimary}}})
			if err != nil {
				t.Fatal(err)
			}
			vin, err := household.ParseVIN("JM3KFBCM1N0555555")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := book.UpsertVehicle(ctx, household.Vehicle{VIN: vin, Household: hh.Record.ID, PurchasedAt: now.AddDate(-1, 0, 0), PurchasedFrom: "downtown",
				Stakeholders: []household.Stakeholder{{Customer: id, Role: household.StakeholderRoleOwner}}}); err != nil {
				t.Fatal(err)
			}
			if d := check(later); !d.Allowed {
				t.Errorf("rule: a purchase within 18 months exempts a call from the National DNCL (CRTC rules), derived from the household's vehicle; got %v", d)
			}
		})
	}
}

func TestCASLElementsThroughCheck(t *testing.T) {
	for _, be := range backends {
		t.Run(be.name, func(t *testing.T) {
			f := newFixture(t, be.open, "group-1")
			f.now = time.Date(2026, 11, 10, 19, 0, 0, 0, time.UTC)
			book, err := rapport.New(f.backend, "group-1", &rapport.Options{Now: f.clock, NewID: f.newID, Policies: consent.Policies{Default: consent.Canada()}})
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			line := addr(t, "tel:+14165550181")
			grant := consent.Event{Subject: consent.Subject{Address: line}, Channel: channel.KindSMS, Purpose: consent.PurposeMarketing,
				Action: consent.ActionGrant, Basis: consent.BasisExpressWritten,
				Evidence: consent.Evidence{Method: consent.MethodWebForm, DisclosureVersion: "us-style-v1"}, CapturedAt: f.advance(time.Minute)}
			if _, err := book.RecordConsent(ctx, grant); err != nil {
				t.Fatal(err)
			}
			c := rapport.Contact{Address: line, Channel: channel.KindSMS, Purpose: consent.PurposeMarketing, Rooftop: "downtown"}
			v, err := book.Check(ctx, c)
			if err != nil || v.Consent.Allowed || !v.Consent.Has(consent.ReasonCASLElementsMissing) {
				t.Fatalf("rule: a US-style written consent without CASL's elements is not CASL express consent (CRTC Bulletin 2012-548); got %v, %v", v.Consent, err)
			}
			grant.Evidence.CASL = consent.CASLDisclosure{Purposes: "service offers by text", SoughtBy: "Maple Mazda Ltd.",
				Contact: "1 King St W, Toronto; 416-555-0100", Withdrawal: "Reply STOP at any time"}
			grant.CapturedAt = f.advance(time.Minute)
			if _, err := book.RecordConsent(ctx, grant); err != nil {
				t.Fatal(err)
			}
			if v, err := book.Check(ctx, c); err != nil || !v.Consent.Allowed {
				t.Errorf("with CASL's elements recorded the consent counts; got %v, %v", v.Consent, err)
			}
		})
	}
}

// Item 9: evidence is redacted.
func TestEvidenceIsRedacted(t *testing.T) {
	forEachConsentBackend(t, func(t *testing.T, cf *consentFixture) {
		ctx := context.Background()
		card := "4111 1111 1111 1111"
		r, err := cf.book.Receive(ctx, rapport.Inbound{From: cf.shared, To: cf.store, Rooftop: "downtown", Body: "Stop texting me, my card " + card + " was charged twice"})
		if err != nil || len(r.Consent) != 1 {
			t.Fatalf("Receive = %+v, %v", r, err)
		}
		if _, err := cf.book.RecordConsent(ctx, consent.Event{Subject: consent.Subject{Address: cf.shared}, Channel: channel.KindVoice,
			Purpose: consent.PurposeAll, Action: consent.ActionDNCRequest, CapturedAt: cf.advance(time.Minute),
			Evidence: consent.Evidence{Method: consent.MethodCall, CapturedBy: "bdc.agent", RawText: "caller read card " + card},
			Note:     "card " + card}); err != nil {
			t.Fatal(err)
		}
		ledger, err := cf.book.ConsentLedger(ctx, cf.shared)
		if err != nil {
			t.Fatal(err)
		}
		found := 0
		for _, e := range ledger {
			for _, s := range []string{e.Evidence.RawText, e.Evidence.RawValue, e.Note} {
				if strings.Contains(strings.ReplaceAll(s, " ", ""), "41111111") {
					t.Errorf("rule: consent evidence is redacted before it is stored (the ledger is append-only); found %q", s)
				}
				if strings.Contains(s, "1111") {
					found++ // the last four digits are kept, as in interaction bodies
				}
			}
		}
		if found == 0 {
			t.Error("the redacted evidence should keep the last four digits and the rest of the text")
		}
	})
}

// Item 10: NextAllowed is UTC in Check as in Decide.
func TestNextAllowedIsUTC(t *testing.T) {
	forEachConsentBackend(t, func(t *testing.T, cf *consentFixture) {
		ny, err := time.LoadLocation("America/New_York")
		if err != nil {
			t.Skip("no time zone database")
		}
		c := cf.marketing(cf.jose)
		c.At = time.Date(2026, 11, 10, 22, 30, 0, 0, ny) // given in New York time
		d := cf.check(t, c)
		if d.Allowed || d.NextAllowed.Location() != time.UTC || !d.NextAllowed.Equal(time.Date(2026, 11, 11, 13, 0, 0, 0, time.UTC)) {
			t.Errorf("rule: NextAllowed is reported in UTC by Check as by Decide; got %v", d.NextAllowed)
		}
	})
}

// A dealership's own cap longer than a day ("two promotions a week") counts
// every send of its period, on the line-state path and the fallback alike.
func TestCapLongerThanADayCountsItsWholePeriod(t *testing.T) {
	forEachConsentBackend(t, func(t *testing.T, cf *consentFixture) {
		ctx := context.Background()
		policy := consent.US()
		weekly := consent.Cap{Max: 2, Per: 7 * 24 * time.Hour}
		capped := 0
		for i := range policy.Rules {
			r := &policy.Rules[i]
			if (len(r.Channels) == 0 || slices.Contains(r.Channels, channel.KindSMS)) && slices.Contains(r.Purposes, consent.PurposeMarketing) {
				r.Cap = weekly
				capped++
			}
		}
		if capped == 0 {
			t.Fatal("the US preset has no marketing text rule to cap")
		}
		book, err := rapport.New(cf.backend, "group-1", &rapport.Options{Now: cf.clock, NewID: cf.newID,
			Policies: consent.Policies{Default: consent.US(), Rooftops: map[dealer.Rooftop]consent.Policy{"downtown": policy}}})
		if err != nil {
			t.Fatal(err)
		}
		// Two promotions three and five days ago (within the week, outside a day).
		for _, ago := range []time.Duration{5 * 24 * time.Hour, 3 * 24 * time.Hour} {
			o := cf.promo(cf.shared, cf.jose)
			o.Interaction.OccurredAt = cf.clock().Add(-ago)
			if _, err := book.RecordInteraction(ctx, withPurpose(o)); err != nil {
				t.Fatal(err)
			}
		}
		v, err := book.Check(ctx, cf.marketing(cf.ana))
		if err != nil {
			t.Fatal(err)
		}
		if v.Consent.Allowed || !v.Consent.Has(consent.ReasonFrequencyCap) {
			t.Errorf("a cap of 2 per week with 2 promotions in the last 5 days: got %v", v.Consent)
		}
		// A promotion eight days ago is outside the week: with only it and
		// the three-day-old one, one more is allowed.
		other := addr(t, "tel:+12125550160")
		id := cf.holder(t, "Marta", other, "America/New_York", channel.KindSMS, consent.BasisExpressWritten)
		for _, ago := range []time.Duration{8 * 24 * time.Hour, 3 * 24 * time.Hour} {
			o := cf.promo(other, id)
			o.Interaction.OccurredAt = cf.clock().Add(-ago)
			if _, err := book.RecordInteraction(ctx, withPurpose(o)); err != nil {
				t.Fatal(err)
			}
		}
		c := cf.marketing(id)
		c.Address = other
		if v, err := book.Check(ctx, c); err != nil || !v.Consent.Allowed {
			t.Errorf("one promotion within the week leaves room under a cap of 2: got %v, %v", v.Consent, err)
		}
	})
}

// withPurpose turns an Outbound into the interaction it records, marked
// with its purpose as Send marks it.
func withPurpose(o rapport.Outbound) interaction.Interaction {
	i := o.Interaction
	i.Direction = interaction.DirectionOutbound
	i.Consent = &interaction.ConsentCheck{Purpose: string(o.Purpose), Allowed: true}
	return i
}
