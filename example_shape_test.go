package rapport_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/netip"
	"strings"
	"time"

	"github.com/rapportcim/rapport"
	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage/memstore"
)

func ExampleNew() {
	ctx := context.Background()
	backend := memstore.New(nil) // or sqlitestore.Open(ctx, "book.db", nil), then Migrate
	defer backend.Close()
	book, err := rapport.New(backend, "example-group", nil)
	if err != nil {
		log.Fatal(err)
	}
	// The Book is bound to its tenant: another tenant's Book on the same
	// backend sees none of its records.
	r, err := book.UpsertCustomer(ctx, customer.Customer{Name: customer.Name{Full: "Jane Doe"}})
	if err != nil {
		log.Fatal(err)
	}
	other, err := rapport.New(backend, "another-group", nil)
	if err != nil {
		log.Fatal(err)
	}
	_, err = other.Customer(ctx, r.Record.ID)
	fmt.Println(book.Tenant(), r.Created, errors.Is(err, rapport.ErrNotFound))
	_, err = rapport.New(backend, "not a tenant", nil)
	fmt.Println(errors.Is(err, rapport.ErrTenant))
	// Output:
	// example-group true true
	// true
}

// webFormConsent records the consent a web form captured, with its
// evidence.
func webFormConsent(ctx context.Context, book *rapport.Book, mobile channel.Address, purpose consent.Purpose) consent.Event {
	grant, err := consent.FromWebForm(consent.WebForm{
		Address: mobile, Channel: channel.KindSMS, Purpose: purpose, Rooftop: "downtown",
		Basis: consent.BasisExpressWritten, At: time.Date(2026, 11, 2, 14, 3, 0, 0, time.UTC),
		DisclosureText:    "I agree to receive texts from Downtown Mazda at this number. Consent is not a condition of purchase.",
		DisclosureVersion: "sms-terms-v3",
		IP:                netip.MustParseAddr("192.0.2.10"), UserAgent: "Mozilla/5.0 (example)",
		PageURL: "https://www.example.com/test-drive", SourceSystem: "website",
	})
	if err != nil {
		log.Fatal(err)
	}
	e, err := book.RecordConsent(ctx, grant)
	if err != nil {
		log.Fatal(err)
	}
	return e
}

func ExampleBook_RecordConsent() {
	ctx := context.Background()
	book := exampleBook()
	mobile, _ := channel.ParseAddress("tel:+12125550123")
	e := webFormConsent(ctx, book, mobile, consent.PurposeMarketing)
	fmt.Println(e.Action, e.Basis, e.Evidence.Method, e.Evidence.DisclosureVersion, e.RecordedAt.Format(time.RFC3339))

	ledger, err := book.ConsentLedger(ctx, mobile)
	if err != nil {
		log.Fatal(err)
	}
	st := ledger.State(consent.Key{Address: mobile, Channel: channel.KindSMS, Purpose: consent.PurposeMarketing, Rooftop: "downtown"}, e.RecordedAt)
	fmt.Println(st.Status)

	// An event that cannot be valid is refused with the field named.
	_, err = book.RecordConsent(ctx, consent.Event{Subject: consent.Subject{Address: mobile}, Action: consent.ActionGrant})
	var ve *consent.ValidationError
	fmt.Println(errors.As(err, &ve))
	// Output:
	// grant express_written web_form sms-terms-v3 2026-11-10T19:00:00Z
	// granted
	// true
}

func ExampleBook_RecordInteraction() {
	ctx := context.Background()
	book := exampleBook()
	email, _ := channel.ParseAddress("mailto:jane.doe@example.com")
	// A lead from the dealer's site: the web form is its channel, and the
	// address the person typed in finds (or makes) the customer.
	r, err := book.RecordInteraction(ctx, interaction.Interaction{
		Rooftop: "downtown", Channel: channel.KindWebForm, Address: email,
		Direction: interaction.DirectionInbound, Kind: interaction.KindMessage,
		Subject: "Test drive request: 2024 Mazda CX-5", Body: "Saturday morning, please.",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.NewCustomer, r.OpenedConversation, r.Interaction.Channel, r.Conversation.Status)
	// Sensitive data is redacted before it is stored.
	r, err = book.RecordInteraction(ctx, interaction.Interaction{
		Rooftop: "downtown", Channel: channel.KindEmail, Address: email,
		Direction: interaction.DirectionInbound, Kind: interaction.KindEmail,
		Body: "My card is 4111 1111 1111 1111",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.NewCustomer, r.Interaction.Body, r.Interaction.AwaitingReview())
	// Output:
	// true true web_form open
	// false My card is **** **** **** 1111 true
}

func ExampleBook_Check() {
	ctx := context.Background()
	book := exampleBook() // 14:00 in New York
	mobile, _ := channel.ParseAddress("tel:+12125550123")
	webFormConsent(ctx, book, mobile, consent.PurposeMarketing)

	v, err := book.Check(ctx, rapport.Contact{Address: mobile, Channel: channel.KindSMS, Purpose: consent.PurposeMarketing, Rooftop: "downtown"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(v.Allowed(), v.Consent.Basis)

	// At 23:00 in New York, quiet hours refuse it, and say when it would be
	// allowed.
	late := time.Date(2026, 11, 11, 4, 0, 0, 0, time.UTC)
	v, err = book.Check(ctx, rapport.Contact{Address: mobile, Channel: channel.KindSMS, Purpose: consent.PurposeMarketing, Rooftop: "downtown", At: late})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(v.Allowed(), v.Consent.Reasons(), v.Consent.NextAllowed.Format(time.RFC3339))

	// A request without a purpose is malformed, not refused.
	_, err = book.Check(ctx, rapport.Contact{Address: mobile, Channel: channel.KindSMS})
	var ve *consent.ValidationError
	fmt.Println(errors.As(err, &ve), ve.Field, errors.Is(err, consent.ErrMissing))
	// Output:
	// true express_written
	// false [quiet_hours] 2026-11-11T13:00:00Z
	// true purpose true
}

func ExampleBook_Send() {
	ctx := context.Background()
	book := exampleBook()
	mobile, _ := channel.ParseAddress("tel:+12125550123")
	webFormConsent(ctx, book, mobile, consent.PurposeService)
	text := interaction.Interaction{
		Rooftop: "downtown", Channel: channel.KindSMS, Address: mobile, Kind: interaction.KindMessage,
		Authorship: interaction.AuthorshipHuman, Participants: []interaction.Participant{{Staff: "sam.sales", Role: interaction.RoleSalesperson}},
		Body: "Your CX-5 is ready for pickup.",
	}
	sent, err := book.Send(ctx, rapport.Outbound{Interaction: text, Purpose: consent.PurposeService})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(sent.Verdict.Allowed(), sent.Interaction.Consent.Allowed, sent.Interaction.Consent.Purpose)

	// Marketing was never granted: refused, and nothing is recorded.
	text.Body = "Black Friday: 0% APR on every CX-5!"
	_, err = book.Send(ctx, rapport.Outbound{Interaction: text, Purpose: consent.PurposeMarketing})
	var refused *rapport.RefusedError
	fmt.Println(errors.As(err, &refused), errors.Is(err, rapport.ErrRefused), refused.Verdict.Consent.Reasons())
	// Output:
	// true true service
	// true true [no_consent]
}

func ExampleConversations_Escalate() {
	ctx := context.Background()
	book := exampleBook() // 14:00 in New York
	mobile, _ := channel.ParseAddress("tel:+12125550123")
	in, err := book.Receive(ctx, rapport.Inbound{From: mobile, Rooftop: "downtown", Handler: "sales-bot",
		Body: "What would you give me for my Civic?", At: time.Date(2026, 11, 10, 18, 0, 0, 0, time.UTC)})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(in.Conversation.Status, in.Conversation.Handler)

	// The bot hands the customer to a person. The Act says who acted, why,
	// and (for an import of history) when; it is recorded on the timeline.
	conv, err := book.Conversations().Escalate(ctx, in.Conversation.ID, "sam.sales", "sales", rapport.Act{
		By: "sales-bot", Reason: "trade-in question", At: time.Date(2026, 11, 10, 18, 5, 0, 0, time.UTC)})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(conv.Status, conv.Owner, conv.Team)
	for i, err := range book.CustomerTimeline(ctx, conv.Customer, rapport.Filter{Kinds: []interaction.Kind{interaction.KindLifecycle}}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(strings.TrimSpace(fmt.Sprintf("%s %s %s %s", i.OccurredAt.Format("15:04"), i.Lifecycle.Action, i.Lifecycle.By, i.Lifecycle.Reason)))
	}

	// A step dated before the conversation's latest one is refused.
	_, err = book.Conversations().Resolve(ctx, conv.ID, rapport.Act{By: "sam.sales", At: time.Date(2026, 11, 10, 18, 1, 0, 0, time.UTC)})
	fmt.Println(errors.Is(err, rapport.ErrStepTime), errors.Is(err, interaction.ErrInvalidTransition))
	// Output:
	// pending sales-bot
	// open sam.sales sales
	// 18:05 escalated sales-bot trade-in question
	// 18:00 opened
	// true true
}
