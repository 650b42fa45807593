package consent_test

import (
	"fmt"
	"log"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
)

// A customer opts in to marketing texts on the dealership's web form, then
// replies STOP. The ledger keeps both events; the state rests on the STOP.
func ExampleLedger_State() {
	phone, err := channel.ParseAddress("tel:+1 212 555 0123")
	if err != nil {
		log.Fatal(err)
	}
	rooftopNumber, err := channel.ParseAddress("tel:+12125550188")
	if err != nil {
		log.Fatal(err)
	}
	signedUp := time.Date(2025, 3, 1, 15, 4, 0, 0, time.UTC)

	optIn := consent.Event{
		Tenant:  "acme-auto",
		Subject: consent.Subject{Address: phone},
		Channel: channel.KindSMS,
		Purpose: consent.PurposeMarketing,
		Rooftop: "downtown",
		Action:  consent.ActionGrant,
		Basis:   consent.BasisExpressWritten,
		Evidence: consent.Evidence{
			Method:            consent.MethodWebForm,
			DisclosureVersion: "sms-consent-2025-01",
		},
		CapturedAt: signedUp,
	}
	stop := optIn
	stop.Action, stop.Basis = consent.ActionRevoke, ""
	stop.Evidence = consent.Evidence{Method: consent.MethodSMSKeyword, RawText: "STOP", ReceivedOn: rooftopNumber}
	stop.CapturedAt = signedUp.Add(10 * 24 * time.Hour)

	ledger := consent.Ledger{optIn, stop}
	for _, e := range ledger {
		if err := e.Validate(); err != nil {
			log.Fatal(err)
		}
	}
	key := optIn.Key()
	for _, day := range []int{5, 11} {
		at := signedUp.Add(time.Duration(day) * 24 * time.Hour)
		st := ledger.State(key, at)
		fmt.Printf("day %d: %s (basis %q, by %s, since %s)\n", day, st.Status, st.Basis, st.Method, st.Since.Format(time.DateOnly))
	}
	// Output:
	// day 5: granted (basis "express_written", by web_form, since 2025-03-01)
	// day 11: revoked (basis "", by sms_keyword, since 2025-03-11)
}

// Fold gives the state of every key at once. A do-not-call request that
// names every channel and purpose is kept under its own wildcard key; Covers
// tells which contacts it applies to, so both states below bear on a
// service text.
func ExampleLedger_Fold() {
	phone, err := channel.ParseAddress("tel:+12125550123")
	if err != nil {
		log.Fatal(err)
	}
	t := time.Date(2025, 3, 1, 15, 4, 0, 0, time.UTC)
	ledger := consent.Ledger{
		{
			Subject: consent.Subject{Address: phone}, Channel: channel.KindSMS,
			Purpose: consent.PurposeService, Action: consent.ActionGrant, Basis: consent.BasisExpress,
			Evidence: consent.Evidence{Method: consent.MethodInStore}, CapturedAt: t,
		},
		{
			Subject: consent.Subject{Address: phone}, Channel: consent.AllChannels,
			Purpose: consent.PurposeAll, Action: consent.ActionDNCRequest,
			Evidence: consent.Evidence{Method: consent.MethodCall, CapturedBy: "bdc.alex"}, CapturedAt: t.Add(time.Hour),
		},
	}
	states := ledger.Fold(t.Add(2 * time.Hour))
	service := consent.Key{Address: phone, Channel: channel.KindSMS, Purpose: consent.PurposeService}
	for _, e := range ledger {
		k := e.Key()
		fmt.Printf("%s/%s: %s, covers sms/service: %v\n", k.Channel, k.Purpose, states[k].Status, k.Covers(service))
	}
	// Output:
	// sms/service: granted, covers sms/service: true
	// all/all: dnc, covers sms/service: true
}

func ExampleEvent_Validate() {
	email, err := channel.ParseAddress("mailto:jane.doe@example.com")
	if err != nil {
		log.Fatal(err)
	}
	e := consent.Event{
		Subject:    consent.Subject{Address: email},
		Channel:    channel.KindSMS, // an email address cannot take texts
		Purpose:    consent.PurposeMarketing,
		Action:     consent.ActionGrant, // no basis
		Evidence:   consent.Evidence{Method: consent.MethodImport},
		CapturedAt: time.Date(2025, 3, 1, 15, 4, 0, 0, time.UTC),
	}
	fmt.Println(e.Validate())
	// Output:
	// consent: channel: channel not supported by the address: a mailto address cannot take sms
	// consent: basis: required value missing: a grant needs a legal basis
	// consent: evidence.source_system: required value missing: an import names the system it came from
}
