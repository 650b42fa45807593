package rapport_test

import (
	"context"
	"fmt"
	"log"
	"slices"

	"github.com/rapportcim/rapport"
	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
)

func ExampleBook_CheckAll() {
	ctx := context.Background()
	book := exampleBook() // 14:00 in New York
	opted, _ := channel.ParseAddress("tel:+12125550123")
	unknown, _ := channel.ParseAddress("tel:+12125550124")
	webFormConsent(ctx, book, opted, consent.PurposeMarketing)

	// A campaign's recipients, judged in batches; the last one is malformed
	// (no channel) and gets its error in its place.
	campaign := []rapport.Contact{
		{Address: opted, Channel: channel.KindSMS, Purpose: consent.PurposeMarketing, Rooftop: "downtown"},
		{Address: unknown, Channel: channel.KindSMS, Purpose: consent.PurposeMarketing, Rooftop: "downtown"},
		{Address: opted, Purpose: consent.PurposeMarketing, Rooftop: "downtown"},
	}
	for c, err := range book.CheckAll(ctx, slices.Values(campaign)) {
		if err != nil && c.Contact.Address.IsZero() {
			log.Fatal(err) // the book could not be read
		}
		if err != nil {
			fmt.Println(c.Contact.Address, "malformed:", err)
			continue
		}
		fmt.Println(c.Contact.Address, c.Verdict.Allowed(), c.Verdict.Consent.Reasons())
	}
	// Output:
	// tel:+12125550123 true [granted]
	// tel:+12125550124 false [no_consent]
	// tel:+12125550123 malformed: rapport: CheckAll: consent: channel: required value missing: how the contact would be made
}
