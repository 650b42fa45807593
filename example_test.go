package rapport_test

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/rapportcim/rapport"
	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage/memstore"
)

// exampleBook returns a Book on memstore with a fixed clock and sequential
// IDs, so that examples print the same thing every time.
func exampleBook() *rapport.Book {
	var n uint64
	now := time.Date(2026, 11, 10, 19, 0, 0, 0, time.UTC) // 14:00 in New York
	book, err := rapport.New(memstore.New(nil), "example-group", &rapport.Options{
		Now: func() time.Time { return now },
		NewID: func() ([16]byte, error) {
			n++
			var id [16]byte
			binary.BigEndian.PutUint64(id[8:], n)
			return id, nil
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	return book
}

func ExampleBook_UpsertCustomer() {
	ctx := context.Background()
	book := exampleBook()
	phone, _ := channel.ParsePhone("(212) 555-0123", "US")
	first, err := book.UpsertCustomer(ctx, customer.Customer{
		Name:          customer.Name{Given: "Jane", Family: "Doe"},
		ContactPoints: []customer.ContactPoint{{Address: phone.Address(), Usage: customer.UsageMobile}},
	})
	if err != nil {
		log.Fatal(err)
	}
	// The same person arrives again from the DMS, written differently.
	again, err := book.UpsertCustomer(ctx, customer.Customer{
		Name:          customer.Name{Full: "JANE DOE"},
		ContactPoints: []customer.ContactPoint{{Address: phone.Address()}},
		ExternalIDs:   []customer.ExternalID{{System: "dms", Value: "C-10042"}},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(first.Created, again.Created, again.Record.ID == first.Record.ID)
	fmt.Println(again.MatchedBy, again.Record.ExternalID("dms"))
	// Output:
	// true false true
	// [address tel:+12125550123] C-10042
}

func ExampleBook_Receive() {
	ctx := context.Background()
	book := exampleBook()
	jane, _ := channel.ParseAddress("tel:+12125550123")
	store, _ := channel.ParseAddress("tel:+12125550100")
	if _, err := book.RecordConsent(ctx, consent.Event{
		Subject: consent.Subject{Address: jane}, Channel: channel.KindSMS, Purpose: consent.PurposeMarketing,
		Action: consent.ActionGrant, Basis: consent.BasisExpressWritten, CapturedAt: time.Date(2026, 11, 1, 15, 0, 0, 0, time.UTC),
		Evidence: consent.Evidence{Method: consent.MethodWebForm, DisclosureVersion: "sms-terms-v3"},
	}); err != nil {
		log.Fatal(err)
	}
	r, err := book.Receive(ctx, rapport.Inbound{From: jane, To: store, Rooftop: "downtown", Body: "STOP!!"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.Signal, r.Consent[0].Action, r.ConfirmUntil.Format(time.Kitchen))

	_, err = book.Send(ctx, rapport.Outbound{
		Purpose: consent.PurposeMarketing,
		Interaction: interaction.Interaction{Rooftop: "downtown", Channel: channel.KindSMS, Address: jane,
			Kind: interaction.KindMessage, Authorship: interaction.AuthorshipTemplate, Body: "Black Friday deals!"},
	})
	var refused *rapport.RefusedError
	fmt.Println(errors.As(err, &refused), refused.Verdict.Consent)
	// Output:
	// opt_out revoke 7:05PM
	// true refused (revoked)
}

func ExampleBook_CustomerTimeline() {
	ctx := context.Background()
	book := exampleBook()
	mobile, _ := channel.ParseAddress("tel:+12125550123")
	start := time.Date(2026, 11, 9, 15, 0, 0, 0, time.UTC)
	var id customer.ID
	for k, i := range []interaction.Interaction{
		{Channel: channel.KindSMS, Kind: interaction.KindMessage, Direction: interaction.DirectionInbound, Body: "Is the CX-5 still there?"},
		{Channel: channel.KindVoice, Kind: interaction.KindCall, Direction: interaction.DirectionOutbound, Authorship: interaction.AuthorshipHuman,
			Call: &interaction.Call{Outcome: interaction.CallOutcomeAnswered, Duration: 4 * time.Minute}},
		{Channel: channel.KindInPerson, Kind: interaction.KindVisit, Direction: interaction.DirectionInbound, Body: "test drive"},
	} {
		i.Address, i.Customer, i.OccurredAt = mobile, id, start.Add(time.Duration(k)*time.Hour)
		if i.Channel == channel.KindInPerson {
			i.Address = channel.Address{}
		}
		r, err := book.RecordInteraction(ctx, i)
		if err != nil {
			log.Fatal(err)
		}
		id = r.Interaction.Customer
	}
	for i, err := range book.CustomerTimeline(ctx, id, rapport.Filter{Kinds: []interaction.Kind{interaction.KindMessage, interaction.KindCall, interaction.KindVisit}}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(i.OccurredAt.Format("15:04"), i.Channel, i.Kind, i.Direction)
	}
	// Output:
	// 17:00 in_person visit inbound
	// 16:00 voice call outbound
	// 15:00 sms message inbound
}

func ExampleBook_Changes() {
	ctx := context.Background()
	book := exampleBook()
	if _, err := book.UpsertCustomer(ctx, customer.Customer{Name: customer.Name{Full: "Jane Doe"}}); err != nil {
		log.Fatal(err)
	}
	for c, err := range book.Changes(ctx, "") {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(c.Seq, c.Entity, c.Op, c.Revision)
		// A follower stores c.Cursor() and resumes from it next time.
	}
	// Output:
	// 1 customer create 1
}

// A customer with a New York number lives in Oklahoma: the state of the
// mailing address applies as well as the area code's, and the decision says
// which state's rule refused.
func ExampleBook_Check_mailingAddress() {
	ctx := context.Background()
	book := exampleBook()
	phone, _ := channel.ParsePhone("(212) 555-0142", "US")
	r, err := book.UpsertCustomer(ctx, customer.Customer{
		Name:          customer.Name{Given: "Rosa", Family: "Diaz"},
		Preference:    channel.Preference{Zone: "America/Chicago"},
		ContactPoints: []customer.ContactPoint{{Address: phone.Address(), Usage: customer.UsageMobile}},
		PostalAddresses: []customer.PostalAddress{{Lines: []string{"100 Main St"}, Locality: "Tulsa",
			Region: "oklahoma", PostalCode: "74103", Usage: customer.AddressHome}},
	})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := book.RecordConsent(ctx, consent.Event{
		Subject: consent.Subject{Address: phone.Address()}, Channel: channel.KindSMS, Purpose: consent.PurposeMarketing,
		Action: consent.ActionGrant, Basis: consent.BasisExpressWritten, CapturedAt: time.Date(2026, 11, 1, 15, 0, 0, 0, time.UTC),
		Evidence: consent.Evidence{Method: consent.MethodWebForm, DisclosureVersion: "sms-terms-v3"},
	}); err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.Record.PostalAddresses[0].Region, r.Record.PostalAddresses[0].Country)
	v, err := book.Check(ctx, rapport.Contact{
		Address: phone.Address(), Channel: channel.KindSMS, Purpose: consent.PurposeMarketing, Customer: r.Record.ID,
		At: time.Date(2026, 11, 12, 2, 30, 0, 0, time.UTC), // 20:30 in Tulsa
	})
	if err != nil {
		log.Fatal(err)
	}
	d := v.Consent
	fmt.Println(d, "-", d.Rule, d.Region)
	// Output:
	// OK US
	// refused (quiet_hours) until 2026-11-12T14:00:00Z - us-ok US-OK
}

// A mail provider posts an RFC 8058 one-click unsubscribe to the URI of
// the List-Unsubscribe header; the Book records the withdrawal.
func ExampleParseOneClick() {
	ctx := context.Background()
	book := exampleBook()
	if err := rapport.ParseOneClick("application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click")); err != nil {
		log.Fatal(err)
	}
	mail, _ := channel.ParseAddress("mailto:jane.doe@example.com")
	e, err := book.Unsubscribe(ctx, rapport.Unsubscribe{Address: mail, Rooftop: "downtown", PageURL: "https://mail.example.com/u/opaque-token"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(e.Action, e.Channel, e.Purpose, e.Evidence.Method)
	err = rapport.ParseOneClick("text/plain", strings.NewReader("unsubscribe me"))
	fmt.Println(errors.Is(err, rapport.ErrNotOneClick))
	// Output:
	// revoke email all email_link
	// true
}

// A web form maps every problem with what was submitted to its input,
// whichever package found it.
func ExampleFieldErrors() {
	book := exampleBook()
	_, err := book.UpsertCustomer(context.Background(), customer.Customer{
		Name:       customer.Name{Given: "Jane"},
		Tags:       []string{"vip", "caf\xe9"}, // Latin-1 bytes pasted into a UTF-8 form
		Attributes: map[string]string{"trim_code": "EX\x00L"},
	})
	for _, fe := range rapport.FieldErrors(err) {
		fmt.Println(fe.FieldPath(), errors.Is(fe, customer.ErrInvalidText))
	}
	// Output:
	// tags[1] true
	// attributes.trim_code true
}
