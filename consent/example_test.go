package consent_test

import (
	"fmt"
	"log"
	"net/netip"
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

// A customer signs up for marketing texts on the dealership's web form. A
// promotion at 07:15 their time waits for 08:00; at 09:00 it may go. Then
// they reply "Stop.": the one confirmation may follow, and the next
// promotion is refused.
func ExampleDecide() {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		log.Fatal(err)
	}
	phone, err := channel.ParseAddress("tel:+12125550123")
	if err != nil {
		log.Fatal(err)
	}
	day := func(h, m int) time.Time { return time.Date(2026, 6, 10, h, m, 0, 0, ny) }

	optIn, err := consent.FromWebForm(consent.WebForm{
		Address: phone, Channel: channel.KindSMS, Purpose: consent.PurposeMarketing,
		Basis: consent.BasisExpressWritten, At: day(7, 0).AddDate(0, -1, 0),
		DisclosureVersion: "sms-consent-2026-01", IP: netip.MustParseAddr("203.0.113.7"), UserAgent: "Mozilla/5.0",
	})
	if err != nil {
		log.Fatal(err)
	}
	ledger := consent.Ledger{optIn}
	policy := consent.US()
	promo := consent.Request{
		Address: phone, Channel: channel.KindSMS, Purpose: consent.PurposeMarketing,
		Rooftop: "downtown", Zones: []*time.Location{ny},
	}

	promo.At = day(7, 15)
	fmt.Println("07:15 promotion:", consent.Decide(policy, ledger, promo))
	promo.At = day(9, 0)
	fmt.Println("09:00 promotion:", consent.Decide(policy, ledger, promo))

	reply := "Stop."
	signal := consent.Classify(reply)
	fmt.Printf("09:30 inbound %q: %s\n", reply, signal)
	if policy.OptsOut(signal) {
		ledger = append(ledger, consent.Event{
			Subject: consent.Subject{Address: phone}, Channel: channel.KindSMS, Purpose: consent.PurposeAll,
			Action:     consent.ActionRevoke,
			Evidence:   consent.Evidence{Method: consent.MethodSMSKeyword, RawText: reply},
			CapturedAt: day(9, 30),
		})
	}

	confirmation := promo
	confirmation.Purpose, confirmation.Confirmation, confirmation.At = consent.PurposeService, true, day(9, 31)
	fmt.Println("09:31 confirmation:", consent.Decide(policy, ledger, confirmation))
	promo.At = day(9, 40)
	d := consent.Decide(policy, ledger, promo)
	fmt.Println("09:40 promotion:", d, "- allowed:", d.Allowed, "- reason:", d.Reason())
	// Output:
	// 07:15 promotion: refused (quiet_hours) until 2026-06-10T12:00:00Z
	// 09:00 promotion: allowed (granted)
	// 09:30 inbound "Stop.": opt_out
	// 09:31 confirmation: allowed (confirmation_allowed)
	// 09:40 promotion: refused (revoked) - allowed: false - reason: revoked
}

func ExampleClassify() {
	for _, text := range []string{
		"STOP", " stop! ", "Stop. Thank you", "ARRÊT", "START", "help",
		"please stop texting me", "STOP 12345",
		"I'll stop by tomorrow", "can you cancel my appointment?",
	} {
		fmt.Printf("%-34q %q\n", text, consent.Classify(text))
	}
	// Output:
	// "STOP"                             "opt_out"
	// " stop! "                          "opt_out"
	// "Stop. Thank you"                  "opt_out"
	// "ARRÊT"                            "opt_out"
	// "START"                            "opt_in"
	// "help"                             "help"
	// "please stop texting me"           "revocation_request"
	// "STOP 12345"                       "revocation_request"
	// "I'll stop by tomorrow"            ""
	// "can you cancel my appointment?"   ""
}

// A Spanish-speaking customer base: extra words per language, on top of the
// defaults.
func ExampleNewClassifier() {
	c, err := consent.NewClassifier(consent.Keywords{
		Language: "es",
		OptOut:   []string{"ALTO", "BAJA"},
		Polite:   []string{"por favor", "gracias"},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%q %q %q\n", c.Classify("Baja, por favor"), c.Classify("STOP"), c.Classify("alto el precio?"))
	// Output:
	// "opt_out" "opt_out" ""
}

// START re-grants only what an opt-out keyword revoked.
func ExampleReinstate() {
	phone, err := channel.ParseAddress("tel:+12125550123")
	if err != nil {
		log.Fatal(err)
	}
	t := time.Date(2026, 6, 1, 15, 0, 0, 0, time.UTC)
	ledger := consent.Ledger{
		{
			Subject: consent.Subject{Address: phone}, Channel: channel.KindSMS, Purpose: consent.PurposeMarketing,
			Action: consent.ActionGrant, Basis: consent.BasisExpressWritten, CapturedAt: t,
			Evidence: consent.Evidence{Method: consent.MethodWebForm, DisclosureVersion: "sms-consent-2026-01"},
		},
		{
			Subject: consent.Subject{Address: phone}, Channel: channel.KindSMS, Purpose: consent.PurposeAll,
			Action: consent.ActionRevoke, CapturedAt: t.Add(48 * time.Hour),
			Evidence: consent.Evidence{Method: consent.MethodSMSKeyword, RawText: "STOP"},
		},
	}
	start := consent.Event{
		Subject: consent.Subject{Address: phone}, CapturedAt: t.Add(72 * time.Hour),
		Evidence: consent.Evidence{Method: consent.MethodSMSKeyword, RawText: "START"},
	}
	for _, e := range consent.Reinstate(consent.US(), ledger, start) {
		fmt.Println(e.Action, e.Channel, e.Purpose, e.Basis, e.Evidence.RawText, e.Evidence.DisclosureVersion)
	}
	// Output:
	// grant sms marketing express_written START sms-consent-2026-01
}

// A marketing text on the Sunday before Thanksgiving week to a customer
// whose number has a Texas area code and whose mailing address is in
// Alabama: both states' rules apply, and the stricter one decides. The
// next allowed time satisfies both: Monday 09:00 in Texas, although Alabama
// opens at 08:00.
func ExampleDecide_stateRules() {
	phone, err := channel.ParseAddress("tel:+1 214 555 0123")
	if err != nil {
		log.Fatal(err)
	}
	chicago, err := time.LoadLocation("America/Chicago")
	if err != nil {
		log.Fatal(err)
	}
	ledger := consent.Ledger{{
		Subject: consent.Subject{Address: phone}, Channel: channel.KindSMS, Purpose: consent.PurposeMarketing,
		Action: consent.ActionGrant, Basis: consent.BasisExpressWritten,
		Evidence:   consent.Evidence{Method: consent.MethodWebForm, DisclosureVersion: "sms-2026"},
		CapturedAt: time.Date(2026, 1, 5, 15, 0, 0, 0, time.UTC),
	}}
	policy := consent.US()
	for _, at := range []time.Time{
		time.Date(2026, 11, 22, 13, 0, 0, 0, chicago),  // Sunday: Texas allows 12–21, Alabama bans Sundays
		time.Date(2026, 11, 26, 13, 0, 0, 0, chicago),  // Thanksgiving: an Alabama holiday
		time.Date(2026, 11, 27, 20, 30, 0, 0, chicago), // Friday 20:30: Texas allows until 21, Alabama until 20
		time.Date(2026, 11, 27, 10, 0, 0, 0, chicago),
	} {
		d := consent.Decide(policy, ledger, consent.Request{
			Address: phone, Channel: channel.KindSMS, Purpose: consent.PurposeMarketing, At: at,
			Zones: []*time.Location{chicago}, Regions: []string{"US-AL"},
		})
		fmt.Println(at.Format("Mon 15:04"), d, d.Rule, d.Region)
	}
	// Output:
	// Sun 13:00 refused (quiet_hours) until 2026-11-23T15:00:00Z us-al US-AL
	// Thu 13:00 refused (holiday) until 2026-11-27T15:00:00Z us-al US-AL
	// Fri 20:30 refused (quiet_hours) until 2026-11-28T15:00:00Z us-al US-AL
	// Fri 10:00 allowed (granted)
}

// A marketing call to a number on the National Do Not Call Registry: the
// caller passes its scrub as data. Under a tenant's rule for calls dialled
// by hand (the preset asks written consent for every marketing call, which
// the registry exempts), a listed number needs a business relationship.
func ExampleDecide_registry() {
	phone, err := channel.ParseAddress("tel:+1 212 555 0123")
	if err != nil {
		log.Fatal(err)
	}
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		log.Fatal(err)
	}
	at := time.Date(2026, 6, 10, 11, 0, 0, 0, ny)
	policy := consent.US()
	policy.Rules = append([]consent.Rule{{
		Channels: []channel.Kind{channel.KindVoice}, Purposes: []consent.Purpose{consent.PurposeMarketing},
		Bases: []consent.Basis{consent.BasisExpress}, Hours: channel.Every(channel.Clock(8, 0), channel.Clock(21, 0)),
	}}, policy.Rules...)
	ledger := consent.Ledger{{
		Subject: consent.Subject{Address: phone}, Channel: channel.KindVoice, Purpose: consent.PurposeMarketing,
		Action: consent.ActionGrant, Basis: consent.BasisExpress,
		Evidence: consent.Evidence{Method: consent.MethodCall, CapturedBy: "bdc.alex"}, CapturedAt: at.AddDate(0, -2, 0),
	}}
	req := consent.Request{Address: phone, Channel: channel.KindVoice, Purpose: consent.PurposeMarketing, At: at,
		Zones: []*time.Location{ny}}
	fmt.Println("no scrub:", consent.Decide(policy, ledger, req))
	req.Registries = []consent.Listing{{Registry: consent.RegistryUSDNC, Listed: true, ScrubbedAt: at.AddDate(0, 0, -3)}}
	fmt.Println("listed:", consent.Decide(policy, ledger, req))
	req.Relationship.LastPurchase = at.AddDate(-1, 0, 0)
	fmt.Println("bought a car a year ago:", consent.Decide(policy, ledger, req))
	// Output:
	// no scrub: refused (registry_stale)
	// listed: refused (registry_dnc)
	// bought a car a year ago: allowed (granted)
}

// Replies in English, Spanish and French: per-se commands with fillers are
// opt-outs, questions that merely contain the word are not, and a
// restriction is for staff.
func ExampleClassify_review() {
	for _, reply := range []string{
		"Stop it now", "No más, gracias", "Arrêtez de m'envoyer des messages",
		"Why did you stop texting me?", "cancel my appointment", "don't call before noon",
	} {
		fmt.Printf("%q: %q\n", reply, consent.Classify(reply))
	}
	// Output:
	// "Stop it now": "opt_out"
	// "No más, gracias": "opt_out"
	// "Arrêtez de m'envoyer des messages": "revocation_request"
	// "Why did you stop texting me?": ""
	// "cancel my appointment": ""
	// "don't call before noon": "review"
}
