package consent

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"
	_ "time/tzdata" // the tests need America/* zones whatever the host has

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/dealer"
)

func zone(t testing.TB, name string) *time.Location {
	t.Helper()
	z, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("LoadLocation(%q): %v", name, err)
	}
	return z
}

// noon is Wednesday 10 June 2026, 12:00 in New York: open for marketing in
// every US zone.
var noon = time.Date(2026, 6, 10, 16, 0, 0, 0, time.UTC)

const (
	nyPhone = "tel:+12125550123"
	flPhone = "tel:+13055550123"
	mail    = "mailto:jane.doe@example.com"
)

// caslElements is a complete CASL request for consent.
var caslElements = CASLDisclosure{
	Purposes:   "service offers and promotions by text and email",
	SoughtBy:   "Maple Motors Ltd.",
	Contact:    "100 Example Road, Toronto ON M5V 0A1, +1 416 555 0123",
	Withdrawal: "You may withdraw your consent at any time: reply STOP.",
}

// ev builds a valid ledger event for tests.
func ev(t testing.TB, id byte, addr string, a Action, ch channel.Kind, p Purpose, roof dealer.Rooftop, b Basis, captured time.Time) Event {
	e := Event{
		ID: testID(id), Tenant: "acme-auto", Subject: Subject{Address: mustAddr(t, addr)},
		Channel: ch, Purpose: p, Rooftop: roof, Action: a, Basis: b, CapturedAt: captured,
	}
	switch {
	case a.Withdraws():
		e.Evidence = Evidence{Method: MethodSMSKeyword, RawText: "STOP"}
	case b == BasisImpliedPurchase || b == BasisImpliedInquiry:
		e.Evidence = Evidence{Method: MethodImport, SourceSystem: "dms", RawValue: "Y"}
		e.EffectiveTo = captured.AddDate(10, 0, 0)
	default:
		e.Evidence = Evidence{Method: MethodWebForm, DisclosureVersion: "sms-consent-2026-01"}
	}
	return e
}

func TestDecide(t *testing.T) {
	ny, chi, la := zone(t, "America/New_York"), zone(t, "America/Chicago"), zone(t, "America/Los_Angeles")
	toronto := zone(t, "America/Toronto")
	ago := func(d time.Duration) time.Time { return noon.Add(-d) }
	year := 365 * day

	// Common events, by ID.
	pewc := ev(t, 1, nyPhone, ActionGrant, channel.KindSMS, PurposeMarketing, "", BasisExpressWritten, ago(30*day))
	pec := ev(t, 2, nyPhone, ActionGrant, channel.KindSMS, PurposeService, "", BasisExpress, ago(30*day))
	stop := ev(t, 3, nyPhone, ActionRevoke, channel.KindSMS, PurposeAll, "", "", ago(day))
	dnc := ev(t, 4, nyPhone, ActionDNCRequest, AllChannels, PurposeAll, "", "", ago(day))
	withID := func(e Event, id byte, f func(*Event)) Event {
		e.ID = testID(id)
		if f != nil {
			f(&e)
		}
		return e
	}

	type tc struct {
		rule    string
		policy  *Policy // nil: US()
		ledger  Ledger
		req     func(*Request)
		allowed bool
		reasons []Reason
		event   byte      // expected Decision.Event's last byte; 0: zero ID
		next    time.Time // expected NextAllowed
		by      string    // expected Decision.Rule
		region  string    // expected Decision.Region
	}
	us, ca := US(), Canada()
	// liveCalls is a tenant's US policy for calls dialled by hand, which
	// need no written consent (the preset asks written consent of every
	// marketing call): the registry rule then decides.
	liveCalls := US()
	liveCalls.Rules = append([]Rule{{Channels: []channel.Kind{channel.KindVoice}, Purposes: []Purpose{PurposeMarketing},
		Bases: expressBases(), Hours: channel.Every(channel.Clock(8, 0), channel.Clock(21, 0))}}, liveCalls.Rules...)
	stateList := liveCalls
	stateList.Registries = append(slices.Clone(liveCalls.Registries), RegistryRule{Registry: "us_tx_dnc",
		Channels: []channel.Kind{channel.KindVoice}, Purposes: []Purpose{PurposeMarketing}, Regions: []string{"US-TX"},
		Exempt: []Basis{BasisExpressWritten}, PurchaseMonths: 18, InquiryMonths: 3, MaxAge: 31 * day})
	voiceEC := ev(t, 60, nyPhone, ActionGrant, channel.KindVoice, PurposeMarketing, "", BasisExpress, ago(30*day))
	sellers := US()
	sellers.Sellers = []Seller{{Name: "acme-north", Rooftops: []dealer.Rooftop{"downtown", "midtown"}}, {Name: "acme-south", Rooftops: []dealer.Rooftop{"uptown"}}}
	revokeAllNow := US()
	revokeAllNow.RevokeAll = true
	tests := []tc{
		// Consent tiers by purpose.
		{rule: "TCPA 64.1200(f)(9): marketing SMS on express written consent is allowed",
			ledger: Ledger{pewc}, allowed: true, reasons: []Reason{ReasonGranted}, event: 1},
		{rule: "TCPA 64.1200(f)(9): marketing SMS needs express written consent; express is not enough",
			ledger:  Ledger{withID(pec, 5, func(e *Event) { e.Purpose = PurposeMarketing })},
			reasons: []Reason{ReasonWrittenConsentRequired}, event: 5},
		{rule: "TCPA 64.1200(f)(9): a marketing voice call needs express written consent too",
			ledger: Ledger{withID(pec, 5, func(e *Event) { e.Purpose, e.Channel = PurposeAll, AllChannels })},
			req:    func(r *Request) { r.Channel = channel.KindVoice }, reasons: []Reason{ReasonWrittenConsentRequired}, event: 5},
		{rule: "TCPA PEC: a number given in the transaction (express) allows service texts",
			ledger: Ledger{pec}, req: func(r *Request) { r.Purpose = PurposeService }, allowed: true, reasons: []Reason{ReasonGranted}, event: 2},
		{rule: "TCPA PEC: express written consent also allows service texts when it covers service",
			ledger: Ledger{withID(pewc, 5, func(e *Event) { e.Purpose = PurposeAll })},
			req:    func(r *Request) { r.Purpose = PurposeService }, allowed: true, reasons: []Reason{ReasonGranted}, event: 5},
		{rule: "TCPA: an established business relationship (implied) is not prior express consent",
			ledger: Ledger{ev(t, 6, nyPhone, ActionGrant, channel.KindSMS, PurposeService, "", BasisImpliedPurchase, ago(30*day))},
			req:    func(r *Request) { r.Purpose = PurposeService }, reasons: []Reason{ReasonExpressConsentRequired}, event: 6},
		{rule: "zero status is never consent: nothing recorded refuses", reasons: []Reason{ReasonNoConsent}},
		{rule: "a seen disclosure is not consent",
			ledger:  Ledger{withID(pewc, 7, func(e *Event) { e.Action = ActionSeen })},
			reasons: []Reason{ReasonNoConsent}},
		{rule: "a grant captured after the send is not consent yet",
			ledger: Ledger{withID(pewc, 8, func(e *Event) { e.CapturedAt = noon.Add(time.Minute) })}, reasons: []Reason{ReasonNoConsent}},
		{rule: "a grant whose effective_to passed is not consent",
			ledger: Ledger{withID(pewc, 8, func(e *Event) { e.EffectiveTo = ago(time.Hour) })}, reasons: []Reason{ReasonNoConsent}},
		{rule: "US: a grant on a basis this version does not know is not express written consent",
			ledger:  Ledger{withID(pewc, 9, func(e *Event) { e.Basis = "casl_published" })},
			reasons: []Reason{ReasonWrittenConsentRequired}, event: 9},

		// Revocation.
		{rule: "FCC 24-24: a STOP revokes at once", ledger: Ledger{pewc, withID(stop, 3, func(e *Event) { e.CapturedAt = ago(time.Second) })},
			reasons: []Reason{ReasonRevoked}, event: 3},
		{rule: "a STOP before the send time it is captured at does not apply yet",
			ledger:  Ledger{pewc, withID(stop, 3, func(e *Event) { e.CapturedAt = noon.Add(time.Second) })},
			allowed: true, reasons: []Reason{ReasonGranted}, event: 1},
		{rule: "only the person's express grant after a withdrawal restores contact",
			ledger:  Ledger{pewc, stop, withID(pewc, 10, func(e *Event) { e.CapturedAt = ago(time.Hour) })},
			allowed: true, reasons: []Reason{ReasonGranted}, event: 10},
		{rule: "ledger order does not matter: events are taken in captured order",
			ledger:  Ledger{stop, withID(pewc, 10, func(e *Event) { e.CapturedAt = ago(time.Hour) }), pewc},
			allowed: true, reasons: []Reason{ReasonGranted}, event: 10},
		{rule: "least permissive on a tie: a grant and a STOP at the same instant resolve to the STOP",
			ledger: Ledger{stop, withID(pewc, 10, func(e *Event) { e.CapturedAt = stop.CapturedAt })}, reasons: []Reason{ReasonRevoked}, event: 3},
		{rule: "least permissive on a tie, in the other ledger order",
			ledger: Ledger{withID(pewc, 10, func(e *Event) { e.CapturedAt = stop.CapturedAt }), stop}, reasons: []Reason{ReasonRevoked}, event: 3},
		{rule: "every grant since the last withdrawal counts: a later plain express grant does not hide express written consent",
			ledger:  Ledger{pewc, withID(pec, 11, func(e *Event) { e.Purpose, e.CapturedAt = PurposeMarketing, ago(day) })},
			allowed: true, reasons: []Reason{ReasonGranted}, event: 1},
		{rule: "a revocation for marketing leaves service",
			ledger: Ledger{pewc, pec, withID(stop, 12, func(e *Event) { e.Purpose = PurposeMarketing })},
			req:    func(r *Request) { r.Purpose = PurposeService }, allowed: true, reasons: []Reason{ReasonGranted}, event: 2},
		{rule: "a revocation for every purpose stops service too",
			ledger: Ledger{pec, stop}, req: func(r *Request) { r.Purpose = PurposeService }, reasons: []Reason{ReasonRevoked}, event: 3},

		// Calls and texts.
		{rule: "FCC 24-24: revoking calls also revokes texts",
			ledger: Ledger{pewc, withID(stop, 13, func(e *Event) {
				e.Channel, e.Evidence = channel.KindVoice, Evidence{Method: MethodCall, CapturedBy: "bdc.alex"}
			})},
			reasons: []Reason{ReasonRevoked}, event: 13},
		{rule: "FCC 24-24: revoking texts also revokes calls",
			ledger: Ledger{withID(pewc, 14, func(e *Event) { e.Channel = channel.KindVoice }), stop},
			req:    func(r *Request) { r.Channel = channel.KindVoice }, reasons: []Reason{ReasonRevoked}, event: 3},
		{rule: "FCC 24-24: unless the customer says otherwise (channel_only)",
			ledger:  Ledger{pewc, withID(stop, 15, func(e *Event) { e.Channel, e.ChannelOnly = channel.KindVoice, true })},
			allowed: true, reasons: []Reason{ReasonGranted}, event: 1},
		{rule: "grants are never linked: consent to texts is not consent to calls",
			ledger: Ledger{pewc}, req: func(r *Request) { r.Channel = channel.KindVoice }, reasons: []Reason{ReasonNoConsent}},
		{rule: "a grant for all channels covers calls",
			ledger: Ledger{withID(pewc, 16, func(e *Event) { e.Channel = AllChannels })},
			req:    func(r *Request) { r.Channel = channel.KindVoice }, allowed: true, reasons: []Reason{ReasonGranted}, event: 16},

		// Revoke-all.
		{rule: "FCC revoke-all waived until 31 Jan 2027: a marketing STOP leaves service the day before",
			ledger: Ledger{pec, withID(stop, 17, func(e *Event) {
				e.Purpose, e.CapturedAt = PurposeMarketing, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
			})},
			req: func(r *Request) {
				r.Purpose, r.At = PurposeService, time.Date(2027, 1, 31, 4, 59, 0, 0, time.UTC)
			}, allowed: true, reasons: []Reason{ReasonGranted}, event: 2},
		{rule: "FCC revoke-all from 31 Jan 2027: a marketing STOP also stops service",
			ledger: Ledger{pec, withID(stop, 17, func(e *Event) {
				e.Purpose, e.CapturedAt = PurposeMarketing, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
			})},
			req: func(r *Request) {
				r.Purpose, r.At = PurposeService, time.Date(2027, 1, 31, 5, 0, 0, 0, time.UTC)
			}, reasons: []Reason{ReasonRevoked}, event: 17},
		{rule: "the RevokeAll switch turns revoke-all on at once",
			policy: &revokeAllNow, ledger: Ledger{pec, withID(stop, 17, func(e *Event) { e.Purpose = PurposeMarketing })},
			req: func(r *Request) { r.Purpose = PurposeService }, reasons: []Reason{ReasonRevoked}, event: 17},

		// Do-not-call.
		{rule: "47 CFR 64.1200(d): a do-not-call request refuses", ledger: Ledger{pewc, dnc}, reasons: []Reason{ReasonDNC}, event: 4},
		{rule: "47 CFR 64.1200(d)(6): honored for 5 years from the request",
			ledger: Ledger{pewc, dnc}, req: func(r *Request) { r.At = dnc.CapturedAt.AddDate(5, 0, 0).Add(-time.Hour) },
			reasons: []Reason{ReasonDNC}, event: 4},
		{rule: "47 CFR 64.1200(d)(6): past 5 years the request still withdraws consent (reported revoked)",
			ledger: Ledger{pewc, dnc}, req: func(r *Request) { r.At = dnc.CapturedAt.AddDate(5, 0, 1) },
			reasons: []Reason{ReasonRevoked}, event: 4},
		{rule: "a do-not-call request ends the relationship even when the customer keeps buying (implied after dnc)",
			policy: &ca,
			ledger: Ledger{
				ev(t, 18, mail, ActionDNCRequest, AllChannels, PurposeAll, "", "", ago(90*day)),
				ev(t, 19, mail, ActionGrant, channel.KindEmail, PurposeMarketing, "", BasisImpliedPurchase, ago(10*day)),
			},
			req:     func(r *Request) { r.Address, r.Channel = mustAddr(t, mail), channel.KindEmail },
			reasons: []Reason{ReasonDNC}, event: 18},

		// Scope.
		{rule: "scope: a grant naming rooftop A does not allow rooftop B",
			ledger: Ledger{withID(pewc, 20, func(e *Event) { e.Rooftop = "uptown" })}, reasons: []Reason{ReasonNoConsent}},
		{rule: "scope: a grant naming rooftop A allows rooftop A",
			ledger: Ledger{withID(pewc, 20, func(e *Event) { e.Rooftop = "downtown" })}, allowed: true, reasons: []Reason{ReasonGranted}, event: 20},
		{rule: "scope: a grant naming no rooftop allows every rooftop", ledger: Ledger{pewc}, allowed: true, reasons: []Reason{ReasonGranted}, event: 1},
		{rule: "scope: a revocation naming no rooftop applies to every rooftop",
			ledger: Ledger{withID(pewc, 20, func(e *Event) { e.Rooftop = "downtown" }), stop}, reasons: []Reason{ReasonRevoked}, event: 3},
		{rule: "47 CFR 64.1200(d): a revocation recorded at rooftop B binds rooftop A of the same business",
			ledger:  Ledger{pewc, withID(stop, 21, func(e *Event) { e.Rooftop = "uptown" })},
			reasons: []Reason{ReasonRevoked}, event: 21},
		{rule: "47 CFR 64.1200(d): a do-not-call request at rooftop B binds rooftop A of the same seller",
			policy: &sellers, ledger: Ledger{pewc, withID(dnc, 21, func(e *Event) { e.Rooftop = "midtown" })},
			reasons: []Reason{ReasonDNC}, event: 21},
		{rule: "47 CFR 64.1200(d): a revocation at a rooftop of another seller leaves rooftop A",
			policy: &sellers, ledger: Ledger{pewc, withID(stop, 21, func(e *Event) { e.Rooftop = "uptown" })},
			allowed: true, reasons: []Reason{ReasonGranted}, event: 1},
		{rule: "47 CFR 64.1200(d): rooftops no seller names belong together to the tenant",
			policy: &sellers, ledger: Ledger{pewc, withID(stop, 21, func(e *Event) { e.Rooftop = "airport" })},
			req: func(r *Request) { r.Rooftop = "harbor" }, reasons: []Reason{ReasonRevoked}, event: 21},
		{rule: "47 CFR 64.1200(d): a revocation naming no rooftop binds every seller",
			policy: &sellers, ledger: Ledger{pewc, withID(stop, 21, func(e *Event) { e.Rooftop = "" })},
			reasons: []Reason{ReasonRevoked}, event: 21},
		{rule: "scope: a grant naming rooftop B is not consent at rooftop A, whatever the sellers",
			ledger: Ledger{withID(pewc, 20, func(e *Event) { e.Rooftop = "uptown" })}, reasons: []Reason{ReasonNoConsent}},
		{rule: "scope: a contact from no rooftop is refused by any rooftop's revocation",
			ledger: Ledger{pewc, withID(stop, 21, func(e *Event) { e.Rooftop = "uptown" })},
			req:    func(r *Request) { r.Rooftop = "" }, reasons: []Reason{ReasonRevoked}, event: 21},
		{rule: "scope: a contact from no rooftop needs a grant naming no rooftop",
			ledger: Ledger{withID(pewc, 20, func(e *Event) { e.Rooftop = "downtown" })},
			req:    func(r *Request) { r.Rooftop = "" }, reasons: []Reason{ReasonNoConsent}},
		{rule: "scope: per address line: a STOP from an extension covers the line",
			ledger:  Ledger{pewc, withID(stop, 22, func(e *Event) { e.Subject.Address = mustAddr(t, nyPhone+";ext=12") })},
			reasons: []Reason{ReasonRevoked}, event: 22},
		{rule: "scope: per address line: a request to an extension uses the line's consent",
			ledger: Ledger{pewc}, req: func(r *Request) { r.Address = mustAddr(t, nyPhone+";ext=7") },
			allowed: true, reasons: []Reason{ReasonGranted}, event: 1},
		{rule: "scope: another address's STOP does not apply",
			ledger:  Ledger{pewc, withID(stop, 23, func(e *Event) { e.Subject.Address = mustAddr(t, "tel:+12125550188") })},
			allowed: true, reasons: []Reason{ReasonGranted}, event: 1},

		// Unknown actions.
		{rule: "an event of an unknown action after the grant may be a withdrawal: refuse",
			ledger: Ledger{pewc, withID(stop, 24, func(e *Event) { e.Action = "suspend" })}, reasons: []Reason{ReasonUnknownAction}, event: 24},
		{rule: "an event of an unknown action before the grant was superseded",
			ledger:  Ledger{withID(stop, 24, func(e *Event) { e.Action, e.CapturedAt = "suspend", ago(60*day) }), pewc},
			allowed: true, reasons: []Reason{ReasonGranted}, event: 1},
		{rule: "an event of an unknown action refuses an opt-out rule too",
			ledger:  Ledger{ev(t, 25, mail, "suspend", channel.KindEmail, PurposeAll, "", "", ago(day))},
			req:     func(r *Request) { r.Address, r.Channel = mustAddr(t, mail), channel.KindEmail },
			reasons: []Reason{ReasonUnknownAction}, event: 25},

		// Quiet hours.
		{rule: "TCPA 64.1200(c)(1): no marketing before 08:00 local; next at 08:00",
			ledger: Ledger{pewc}, req: func(r *Request) { r.At = time.Date(2026, 6, 10, 7, 30, 0, 0, ny) },
			reasons: []Reason{ReasonQuietHours}, event: 1, next: time.Date(2026, 6, 10, 8, 0, 0, 0, ny)},
		{rule: "TCPA 64.1200(c)(1): 08:00 local is open",
			ledger: Ledger{pewc}, req: func(r *Request) { r.At = time.Date(2026, 6, 10, 8, 0, 0, 0, ny) },
			allowed: true, reasons: []Reason{ReasonGranted}, event: 1},
		{rule: "TCPA 64.1200(c)(1): 20:59:59 local is open",
			ledger: Ledger{pewc}, req: func(r *Request) { r.At = time.Date(2026, 6, 10, 20, 59, 59, 0, ny) },
			allowed: true, reasons: []Reason{ReasonGranted}, event: 1},
		{rule: "TCPA 64.1200(c)(1): no marketing at 21:00 local or after; next at 08:00 the next day",
			ledger: Ledger{pewc}, req: func(r *Request) { r.At = time.Date(2026, 6, 10, 21, 0, 0, 0, ny) },
			reasons: []Reason{ReasonQuietHours}, event: 1, next: time.Date(2026, 6, 11, 8, 0, 0, 0, ny)},
		{rule: "quiet hours are the recipient's, not the server's: 23:00 UTC is 19:00 in New York",
			ledger: Ledger{pewc}, req: func(r *Request) { r.At = time.Date(2026, 6, 10, 23, 0, 0, 0, time.UTC) },
			allowed: true, reasons: []Reason{ReasonGranted}, event: 1},
		{rule: "several zones: allowed only inside the window in all of them (06:00 in Los Angeles)",
			ledger: Ledger{pewc}, req: func(r *Request) { r.Zones, r.At = []*time.Location{ny, la}, time.Date(2026, 6, 10, 9, 0, 0, 0, ny) },
			reasons: []Reason{ReasonQuietHours}, event: 1, next: time.Date(2026, 6, 10, 11, 0, 0, 0, ny)},
		{rule: "several zones: 08:00 in New York is 07:00 in Chicago",
			ledger: Ledger{pewc}, req: func(r *Request) { r.Zones, r.At = []*time.Location{ny, chi}, time.Date(2026, 6, 10, 8, 0, 0, 0, ny) },
			reasons: []Reason{ReasonQuietHours}, event: 1, next: time.Date(2026, 6, 10, 9, 0, 0, 0, ny)},
		{rule: "several zones: closing in the first zone closes the window (21:00 New York is 18:00 Los Angeles)",
			ledger: Ledger{pewc}, req: func(r *Request) { r.Zones, r.At = []*time.Location{la, ny}, time.Date(2026, 6, 10, 18, 0, 0, 0, la) },
			reasons: []Reason{ReasonQuietHours}, event: 1, next: time.Date(2026, 6, 11, 8, 0, 0, 0, la)},
		{rule: "unknown zone: marketing is refused, never guessed",
			ledger: Ledger{pewc}, req: func(r *Request) { r.Zones = nil }, reasons: []Reason{ReasonUnknownZone}, event: 1},
		{rule: "unknown zone: nil zones are ignored",
			ledger: Ledger{pewc}, req: func(r *Request) { r.Zones = []*time.Location{nil} }, reasons: []Reason{ReasonUnknownZone}, event: 1},
		{rule: "service texts have no quiet hours (recall notices, your car is ready)",
			ledger: Ledger{pec}, req: func(r *Request) {
				r.Purpose, r.At, r.Zones = PurposeService, time.Date(2026, 6, 10, 6, 0, 0, 0, ny), nil
			},
			allowed: true, reasons: []Reason{ReasonGranted}, event: 2},
		{rule: "surveys keep marketing's hours",
			ledger:  Ledger{withID(pec, 26, func(e *Event) { e.Purpose = PurposeSurvey })},
			req:     func(r *Request) { r.Purpose, r.At = PurposeSurvey, time.Date(2026, 6, 10, 22, 0, 0, 0, ny) },
			reasons: []Reason{ReasonQuietHours}, event: 26, next: time.Date(2026, 6, 11, 8, 0, 0, 0, ny)},
		{rule: "a purpose this version does not know is treated as marketing",
			ledger:  Ledger{withID(pec, 27, func(e *Event) { e.Purpose = PurposeAll })},
			req:     func(r *Request) { r.Purpose = "loyalty" },
			reasons: []Reason{ReasonWrittenConsentRequired}, event: 27},

		// Florida.
		{rule: "Fla. Stat. 501.616(6): in Florida (region) marketing ends at 20:00",
			ledger: Ledger{pewc}, req: func(r *Request) { r.Region, r.At = "US-FL", time.Date(2026, 6, 10, 20, 30, 0, 0, ny) },
			reasons: []Reason{ReasonQuietHours}, event: 1, next: time.Date(2026, 6, 11, 8, 0, 0, 0, ny), by: "us-fl", region: "US-FL"},
		{rule: "Fla. Stat. 501.616(6): the region is compared without regard to case",
			ledger: Ledger{pewc}, req: func(r *Request) { r.Region, r.At = "us-fl", time.Date(2026, 6, 10, 20, 30, 0, 0, ny) },
			reasons: []Reason{ReasonQuietHours}, event: 1, next: time.Date(2026, 6, 11, 8, 0, 0, 0, ny), by: "us-fl", region: "US-FL"},
		{rule: "Fla. Stat. 501.616(6): a Florida area code presumes a Florida resident",
			ledger:  Ledger{withID(pewc, 28, func(e *Event) { e.Subject.Address = mustAddr(t, flPhone) })},
			req:     func(r *Request) { r.Address, r.At = mustAddr(t, flPhone), time.Date(2026, 6, 10, 20, 30, 0, 0, ny) },
			reasons: []Reason{ReasonQuietHours}, event: 28, next: time.Date(2026, 6, 11, 8, 0, 0, 0, ny), by: "us-fl", region: "US-FL"},
		{rule: "Fla. Stat. 501.616(6): Florida's hours do not apply to a New York number outside Florida",
			ledger: Ledger{pewc}, req: func(r *Request) { r.At = time.Date(2026, 6, 10, 20, 30, 0, 0, ny) },
			allowed: true, reasons: []Reason{ReasonGranted}, event: 1},
		{rule: "Fla. Stat. 501.616(6): Florida's hours do not apply to service",
			ledger: Ledger{pec}, req: func(r *Request) {
				r.Purpose, r.Region, r.At = PurposeService, "US-FL", time.Date(2026, 6, 10, 20, 30, 0, 0, ny)
			},
			allowed: true, reasons: []Reason{ReasonGranted}, event: 2},
		{rule: "Fla. Stat. 501.616(6): at most 3 marketing messages in 24 hours; next when the oldest ages out",
			ledger: Ledger{pewc}, req: func(r *Request) {
				r.Region = "US-FL"
				r.Recent = []Send{
					{At: ago(2 * time.Hour), Channel: channel.KindSMS, Purpose: PurposeMarketing},
					{At: ago(20 * time.Hour), Channel: channel.KindVoice, Purpose: PurposeMarketing, Rooftop: "uptown"},
					{At: ago(5 * time.Hour), Channel: channel.KindSMS, Purpose: PurposeMarketing},
				}
			}, reasons: []Reason{ReasonFrequencyCap}, event: 1, next: noon.Add(4 * time.Hour), by: "us-fl", region: "US-FL"},
		{rule: "Fla. Stat. 501.616(6): service messages, confirmations and sends over 24 hours old do not count",
			ledger: Ledger{pewc}, req: func(r *Request) {
				r.Region = "US-FL"
				r.Recent = []Send{
					{At: ago(2 * time.Hour), Channel: channel.KindSMS, Purpose: PurposeMarketing},
					{At: ago(3 * time.Hour), Channel: channel.KindSMS, Purpose: PurposeService},
					{At: ago(4 * time.Hour), Channel: channel.KindSMS, Purpose: PurposeService, Confirmation: true},
					{At: ago(24 * time.Hour), Channel: channel.KindSMS, Purpose: PurposeMarketing},
					{At: ago(5 * time.Hour), Channel: channel.KindSMS, Purpose: PurposeMarketing},
				}
			}, allowed: true, reasons: []Reason{ReasonGranted}, event: 1},
		{rule: "Fla. Stat. 501.616(6): cap and hours together: the next time satisfies both",
			ledger: Ledger{pewc}, req: func(r *Request) {
				r.Region, r.At = "US-FL", time.Date(2026, 6, 10, 19, 0, 0, 0, ny)
				r.Recent = []Send{
					{At: r.At.Add(-23 * time.Hour), Channel: channel.KindSMS, Purpose: PurposeMarketing}, // ages out at 20:00
					{At: r.At.Add(-22 * time.Hour), Channel: channel.KindSMS, Purpose: PurposeMarketing},
					{At: r.At.Add(-time.Hour), Channel: channel.KindSMS, Purpose: PurposeMarketing},
				}
			}, reasons: []Reason{ReasonFrequencyCap}, event: 1, next: time.Date(2026, 6, 11, 8, 0, 0, 0, ny), by: "us-fl", region: "US-FL"},
		{rule: "Fla. Stat. 501.616(6): with one send too many, the second oldest must age out",
			ledger: Ledger{pewc}, req: func(r *Request) {
				r.Region = "US-FL"
				r.Recent = []Send{
					{At: ago(2 * time.Hour), Channel: channel.KindSMS, Purpose: PurposeMarketing},
					{At: ago(20 * time.Hour), Channel: channel.KindSMS, Purpose: PurposeMarketing},
					{At: ago(21 * time.Hour), Channel: channel.KindSMS, Purpose: PurposeMarketing},
					{At: ago(5 * time.Hour), Channel: channel.KindSMS, Purpose: PurposeMarketing},
				}
			}, reasons: []Reason{ReasonFrequencyCap}, event: 1, next: noon.Add(4 * time.Hour), by: "us-fl", region: "US-FL"},

		// Other states: hours, caps, Sunday and holiday bans, as data.
		{rule: "15 O.S. 775C: in Oklahoma (mailing address) marketing ends at 20:00",
			ledger: Ledger{pewc}, req: func(r *Request) {
				r.Regions, r.Zones, r.At = []string{"US-OK"}, []*time.Location{chi}, time.Date(2026, 6, 10, 20, 15, 0, 0, chi)
			}, reasons: []Reason{ReasonQuietHours}, event: 1, next: time.Date(2026, 6, 11, 8, 0, 0, 0, chi), by: "us-ok", region: "US-OK"},
		{rule: "15 O.S. 775C: an Oklahoma area code: at most 3 marketing contacts in 24 hours",
			ledger: Ledger{withID(pewc, 50, func(e *Event) { e.Subject.Address = mustAddr(t, "tel:+14055550123") })},
			req: func(r *Request) {
				r.Address, r.Zones = mustAddr(t, "tel:+14055550123"), []*time.Location{chi}
				r.Recent = []Send{
					{At: ago(time.Hour), Channel: channel.KindSMS, Purpose: PurposeMarketing},
					{At: ago(2 * time.Hour), Channel: channel.KindVoice, Purpose: PurposeMarketing},
					{At: ago(3 * time.Hour), Channel: channel.KindSMS, Purpose: PurposeMarketing},
				}
			}, reasons: []Reason{ReasonFrequencyCap}, event: 50, next: noon.Add(21 * time.Hour), by: "us-ok", region: "US-OK"},
		{rule: "Fla. Stat. 501.616(6): when the federal hours are closed too, the state's rule is named",
			ledger: Ledger{pewc}, req: func(r *Request) { r.Region, r.At = "US-FL", time.Date(2026, 6, 10, 22, 30, 0, 0, ny) },
			reasons: []Reason{ReasonQuietHours}, event: 1, next: time.Date(2026, 6, 11, 8, 0, 0, 0, ny), by: "us-fl", region: "US-FL"},
		{rule: "47 CFR 64.1200(c)(1): federal quiet hours name the policy's own rule",
			ledger: Ledger{pewc}, req: func(r *Request) { r.At = time.Date(2026, 6, 10, 21, 30, 0, 0, ny) },
			reasons: []Reason{ReasonQuietHours}, event: 1, next: time.Date(2026, 6, 11, 8, 0, 0, 0, ny)},
		{rule: "Maryland Stop the Spam Calls Act: 08:00–20:00 by the mailing address",
			ledger: Ledger{pewc}, req: func(r *Request) { r.Regions, r.At = []string{"US-MD"}, time.Date(2026, 6, 10, 7, 45, 0, 0, ny) },
			reasons: []Reason{ReasonQuietHours}, event: 1, next: time.Date(2026, 6, 10, 8, 0, 0, 0, ny), by: "us-md", region: "US-MD"},
		{rule: "Maryland Stop the Spam Calls Act: at most 3 marketing contacts in 24 hours",
			ledger: Ledger{pewc}, req: func(r *Request) {
				r.Region = "US-MD"
				r.Recent = []Send{
					{At: ago(time.Hour), Channel: channel.KindSMS, Purpose: PurposeMarketing},
					{At: ago(2 * time.Hour), Channel: channel.KindSMS, Purpose: PurposeMarketing},
					{At: ago(3 * time.Hour), Channel: channel.KindSMS, Purpose: PurposeMarketing},
				}
			}, reasons: []Reason{ReasonFrequencyCap}, event: 1, next: noon.Add(21 * time.Hour), by: "us-md", region: "US-MD"},
		{rule: "Conn. PA 23-98: a Connecticut area code: marketing from 09:00",
			ledger: Ledger{withID(pewc, 51, func(e *Event) { e.Subject.Address = mustAddr(t, "tel:+12035550123") })},
			req: func(r *Request) {
				r.Address, r.At = mustAddr(t, "tel:+12035550123"), time.Date(2026, 6, 10, 8, 30, 0, 0, ny)
			}, reasons: []Reason{ReasonQuietHours}, event: 51, next: time.Date(2026, 6, 10, 9, 0, 0, 0, ny), by: "us-ct", region: "US-CT"},
		{rule: "Tex. Bus. & Com. Code 301.051: Sunday marketing only from 12:00",
			ledger: Ledger{pewc}, req: func(r *Request) {
				r.Region, r.Zones, r.At = "US-TX", []*time.Location{chi}, time.Date(2026, 6, 14, 11, 0, 0, 0, chi)
			}, reasons: []Reason{ReasonQuietHours}, event: 1, next: time.Date(2026, 6, 14, 12, 0, 0, 0, chi), by: "us-tx", region: "US-TX"},
		{rule: "Tex. Bus. & Com. Code 301.051: Saturday 09:00–21:00 is open",
			ledger: Ledger{pewc}, req: func(r *Request) {
				r.Region, r.Zones, r.At = "US-TX", []*time.Location{chi}, time.Date(2026, 6, 13, 20, 30, 0, 0, chi)
			}, allowed: true, reasons: []Reason{ReasonGranted}, event: 1},
		{rule: "Tex. Bus. & Com. Code 301.051: weekdays from 09:00",
			ledger: Ledger{pewc}, req: func(r *Request) {
				r.Region, r.Zones, r.At = "US-TX", []*time.Location{chi}, time.Date(2026, 6, 10, 8, 30, 0, 0, chi)
			}, reasons: []Reason{ReasonQuietHours}, event: 1, next: time.Date(2026, 6, 10, 9, 0, 0, 0, chi), by: "us-tx", region: "US-TX"},
		{rule: "RCW 19.158.040(2): a Washington area code: marketing ends at 20:00",
			ledger: Ledger{withID(pewc, 52, func(e *Event) { e.Subject.Address = mustAddr(t, "tel:+12065550123") })},
			req: func(r *Request) {
				r.Address, r.Zones, r.At = mustAddr(t, "tel:+12065550123"), []*time.Location{la}, time.Date(2026, 6, 10, 20, 0, 0, 0, la)
			}, reasons: []Reason{ReasonQuietHours}, event: 52, next: time.Date(2026, 6, 11, 8, 0, 0, 0, la), by: "us-wa", region: "US-WA"},
		{rule: "Alabama: no solicitation on Sunday; next is Monday 08:00",
			ledger: Ledger{pewc}, req: func(r *Request) {
				r.Region, r.Zones, r.At = "US-AL", []*time.Location{chi}, time.Date(2026, 6, 14, 12, 0, 0, 0, chi)
			}, reasons: []Reason{ReasonQuietHours}, event: 1, next: time.Date(2026, 6, 15, 8, 0, 0, 0, chi), by: "us-al", region: "US-AL"},
		{rule: "Alabama: no solicitation on Thanksgiving Day (fourth Thursday of November)",
			ledger: Ledger{pewc}, req: func(r *Request) {
				r.Region, r.Zones, r.At = "US-AL", []*time.Location{chi}, time.Date(2026, 11, 26, 12, 0, 0, 0, chi)
			}, reasons: []Reason{ReasonHoliday}, event: 1, next: time.Date(2026, 11, 27, 8, 0, 0, 0, chi), by: "us-al", region: "US-AL"},
		{rule: "Alabama: Independence Day on a Saturday is also banned on the Friday it is observed; Sunday too",
			ledger: Ledger{pewc}, req: func(r *Request) {
				r.Region, r.Zones, r.At = "US-AL", []*time.Location{chi}, time.Date(2026, 7, 3, 12, 0, 0, 0, chi)
			}, reasons: []Reason{ReasonHoliday}, event: 1, next: time.Date(2026, 7, 6, 8, 0, 0, 0, chi), by: "us-al", region: "US-AL"},
		{rule: "Louisiana: no solicitation on Mardi Gras (47 days before Easter)",
			ledger: Ledger{withID(pewc, 53, func(e *Event) { e.Subject.Address = mustAddr(t, "tel:+15045550123"); e.CapturedAt = ago(200 * day) })},
			req: func(r *Request) {
				r.Address, r.Zones, r.At = mustAddr(t, "tel:+15045550123"), []*time.Location{chi}, time.Date(2026, 2, 17, 12, 0, 0, 0, chi)
			}, reasons: []Reason{ReasonHoliday}, event: 53, next: time.Date(2026, 2, 18, 8, 0, 0, 0, chi), by: "us-la", region: "US-LA"},
		{rule: "Mississippi: no solicitation on Sunday, but holidays are not banned",
			ledger: Ledger{pewc}, req: func(r *Request) {
				r.Region, r.Zones, r.At = "US-MS", []*time.Location{chi}, time.Date(2026, 11, 26, 12, 0, 0, 0, chi)
			}, allowed: true, reasons: []Reason{ReasonGranted}, event: 1},
		{rule: "Rhode Island: weekdays 09:00–18:00 only: Saturday waits for Monday",
			ledger: Ledger{pewc}, req: func(r *Request) { r.Region, r.At = "US-RI", time.Date(2026, 6, 13, 10, 0, 0, 0, ny) },
			reasons: []Reason{ReasonQuietHours}, event: 1, next: time.Date(2026, 6, 15, 9, 0, 0, 0, ny), by: "us-ri", region: "US-RI"},
		{rule: "Rhode Island: no solicitation on Victory Day (second Monday of August)",
			ledger: Ledger{pewc}, req: func(r *Request) { r.Region, r.At = "US-RI", time.Date(2026, 8, 10, 12, 0, 0, 0, ny) },
			reasons: []Reason{ReasonHoliday}, event: 1, next: time.Date(2026, 8, 11, 9, 0, 0, 0, ny), by: "us-ri", region: "US-RI"},
		{rule: "Pennsylvania: a holiday ban without hours (Labor Day)",
			ledger: Ledger{withID(pewc, 54, func(e *Event) { e.Subject.Address = mustAddr(t, "tel:+12155550123") })},
			req: func(r *Request) {
				r.Address, r.At = mustAddr(t, "tel:+12155550123"), time.Date(2026, 9, 7, 12, 0, 0, 0, ny)
			}, reasons: []Reason{ReasonHoliday}, event: 54, next: time.Date(2026, 9, 8, 8, 0, 0, 0, ny), by: "us-pa", region: "US-PA"},
		{rule: "state bans are about marketing: a service text on an Alabama Sunday is allowed",
			ledger: Ledger{pec}, req: func(r *Request) {
				r.Purpose, r.Region, r.Zones, r.At = PurposeService, "US-AL", []*time.Location{chi}, time.Date(2026, 6, 14, 12, 0, 0, 0, chi)
			}, allowed: true, reasons: []Reason{ReasonGranted}, event: 2},
		{rule: "both apply: a New York number whose mailing address is in Florida keeps Florida's hours",
			ledger: Ledger{pewc}, req: func(r *Request) { r.Regions, r.At = []string{"US-FL"}, time.Date(2026, 6, 10, 20, 30, 0, 0, ny) },
			reasons: []Reason{ReasonQuietHours}, event: 1, next: time.Date(2026, 6, 11, 8, 0, 0, 0, ny), by: "us-fl", region: "US-FL"},
		{rule: "both apply: a Texas area code on a Sunday morning refuses although the Oklahoma address allows it",
			ledger: Ledger{withID(pewc, 55, func(e *Event) { e.Subject.Address = mustAddr(t, "tel:+12145550123") })},
			req: func(r *Request) {
				r.Address, r.Regions, r.Zones = mustAddr(t, "tel:+12145550123"), []string{"US-OK"}, []*time.Location{chi}
				r.At = time.Date(2026, 6, 14, 11, 0, 0, 0, chi)
			}, reasons: []Reason{ReasonQuietHours}, event: 55, next: time.Date(2026, 6, 14, 12, 0, 0, 0, chi), by: "us-tx", region: "US-TX"},
		{rule: "both apply: the Oklahoma address refuses 20:30 although the Texas area code allows it",
			ledger: Ledger{withID(pewc, 55, func(e *Event) { e.Subject.Address = mustAddr(t, "tel:+12145550123") })},
			req: func(r *Request) {
				r.Address, r.Regions, r.Zones = mustAddr(t, "tel:+12145550123"), []string{"US-OK"}, []*time.Location{chi}
				r.At = time.Date(2026, 6, 10, 20, 30, 0, 0, chi)
			}, reasons: []Reason{ReasonQuietHours}, event: 55, next: time.Date(2026, 6, 11, 9, 0, 0, 0, chi), by: "us-ok", region: "US-OK"},
		{rule: "both apply: an explicit region and an address region",
			ledger: Ledger{pewc}, req: func(r *Request) {
				r.Region, r.Regions, r.Zones, r.At = "US-TX", []string{"US-AL"}, []*time.Location{chi}, time.Date(2026, 6, 14, 13, 0, 0, 0, chi)
			}, reasons: []Reason{ReasonQuietHours}, event: 1, next: time.Date(2026, 6, 15, 9, 0, 0, 0, chi), by: "us-al", region: "US-AL"},

		// Registries (47 CFR 64.1200(c)(2)) and reassigned numbers (64.1200(m)).
		{rule: "47 CFR 64.1200(c)(2): a marketing call to a number on the National DNC Registry is refused",
			policy: &liveCalls, ledger: Ledger{voiceEC},
			req: func(r *Request) {
				r.Channel, r.Registries = channel.KindVoice, []Listing{{Registry: RegistryUSDNC, Listed: true, ScrubbedAt: ago(10 * day)}}
			}, reasons: []Reason{ReasonRegistryDNC}, event: 60, by: "us_dnc"},
		{rule: "47 CFR 64.1200(c)(2): a number scrubbed and not listed may be called",
			policy: &liveCalls, ledger: Ledger{voiceEC},
			req: func(r *Request) {
				r.Channel, r.Registries = channel.KindVoice, []Listing{{Registry: RegistryUSDNC, ScrubbedAt: ago(31 * day)}}
			}, allowed: true, reasons: []Reason{ReasonGranted}, event: 60},
		{rule: "47 CFR 64.1200(c)(2)(i)(D): a scrub older than 31 days is stale",
			policy: &liveCalls, ledger: Ledger{voiceEC},
			req: func(r *Request) {
				r.Channel, r.Registries = channel.KindVoice, []Listing{{Registry: RegistryUSDNC, ScrubbedAt: ago(31*day + time.Minute)}}
			}, reasons: []Reason{ReasonRegistryStale}, event: 60, by: "us_dnc"},
		{rule: "47 CFR 64.1200(c)(2)(i)(D): no scrub at all is stale; the newest scrub counts",
			policy: &liveCalls, ledger: Ledger{voiceEC}, req: func(r *Request) { r.Channel = channel.KindVoice },
			reasons: []Reason{ReasonRegistryStale}, event: 60, by: "us_dnc"},
		{rule: "47 CFR 64.1200(c)(2): the most recent scrub decides",
			policy: &liveCalls, ledger: Ledger{voiceEC},
			req: func(r *Request) {
				r.Channel = channel.KindVoice
				r.Registries = []Listing{{Registry: RegistryUSDNC, ScrubbedAt: ago(40 * day)}, {Registry: RegistryUSDNC, Listed: true, ScrubbedAt: ago(2 * day)}}
			}, reasons: []Reason{ReasonRegistryDNC}, event: 60, by: "us_dnc"},
		{rule: "47 CFR 64.1200(f)(5): a purchase 17 months ago is an established business relationship",
			policy: &liveCalls, ledger: Ledger{voiceEC},
			req: func(r *Request) {
				r.Channel, r.Registries = channel.KindVoice, []Listing{{Registry: RegistryUSDNC, Listed: true, ScrubbedAt: ago(day)}}
				r.Relationship.LastPurchase = noon.AddDate(0, -17, 0)
			}, allowed: true, reasons: []Reason{ReasonGranted}, event: 60},
		{rule: "47 CFR 64.1200(f)(5): a purchase 19 months ago is not",
			policy: &liveCalls, ledger: Ledger{voiceEC},
			req: func(r *Request) {
				r.Channel, r.Registries = channel.KindVoice, []Listing{{Registry: RegistryUSDNC, Listed: true, ScrubbedAt: ago(day)}}
				r.Relationship.LastPurchase = noon.AddDate(0, -19, 0)
			}, reasons: []Reason{ReasonRegistryDNC}, event: 60, by: "us_dnc"},
		{rule: "47 CFR 64.1200(f)(5): an inquiry exempts for 3 months (inside)",
			policy: &liveCalls, ledger: Ledger{voiceEC},
			req: func(r *Request) {
				r.Channel, r.Registries = channel.KindVoice, []Listing{{Registry: RegistryUSDNC, Listed: true, ScrubbedAt: ago(day)}}
				r.Relationship.LastInquiry = noon.AddDate(0, -2, 0)
			}, allowed: true, reasons: []Reason{ReasonGranted}, event: 60},
		{rule: "47 CFR 64.1200(f)(5): an inquiry exempts for 3 months (past)",
			policy: &liveCalls, ledger: Ledger{voiceEC},
			req: func(r *Request) {
				r.Channel, r.Registries = channel.KindVoice, []Listing{{Registry: RegistryUSDNC, Listed: true, ScrubbedAt: ago(day)}}
				r.Relationship.LastInquiry = noon.AddDate(0, -4, 0)
			}, reasons: []Reason{ReasonRegistryDNC}, event: 60, by: "us_dnc"},
		{rule: "47 CFR 64.1200(f)(5): an implied-purchase grant in the ledger is a relationship too",
			policy: &liveCalls, ledger: Ledger{voiceEC, ev(t, 61, nyPhone, ActionGrant, AllChannels, PurposeService, "", BasisImpliedPurchase, noon.AddDate(0, -6, 0))},
			req: func(r *Request) {
				r.Channel, r.Registries = channel.KindVoice, []Listing{{Registry: RegistryUSDNC, Listed: true, ScrubbedAt: ago(day)}}
			}, allowed: true, reasons: []Reason{ReasonGranted}, event: 60},
		{rule: "47 CFR 64.1200(c)(2)(ii): signed written permission exempts a listed number (US preset)",
			ledger: Ledger{withID(pewc, 62, func(e *Event) { e.Channel = AllChannels })},
			req: func(r *Request) {
				r.Channel, r.Registries = channel.KindVoice, []Listing{{Registry: RegistryUSDNC, Listed: true, ScrubbedAt: ago(100 * day)}}
			}, allowed: true, reasons: []Reason{ReasonGranted}, event: 62},
		{rule: "47 CFR 64.1200(c)(2): the registry rule restricts calls, not service calls",
			policy: &liveCalls, ledger: Ledger{withID(voiceEC, 63, func(e *Event) { e.Purpose = PurposeService })},
			req: func(r *Request) {
				r.Channel, r.Purpose, r.Registries = channel.KindVoice, PurposeService, []Listing{{Registry: RegistryUSDNC, Listed: true, ScrubbedAt: ago(day)}}
			}, allowed: true, reasons: []Reason{ReasonGranted}, event: 63},
		{rule: "CRTC DNCL: an inquiry exempts for 6 months in Canada (inside)",
			policy: &ca, ledger: Ledger{voiceEC},
			req: func(r *Request) {
				r.Channel, r.Zones, r.Registries = channel.KindVoice, []*time.Location{toronto}, []Listing{{Registry: RegistryCADNCL, Listed: true, ScrubbedAt: ago(day)}}
				r.Relationship.LastInquiry = noon.AddDate(0, -5, 0)
			}, allowed: true, reasons: []Reason{ReasonGranted}, event: 60},
		{rule: "CRTC DNCL: an inquiry 7 months ago does not exempt a listed number",
			policy: &ca, ledger: Ledger{voiceEC},
			req: func(r *Request) {
				r.Channel, r.Zones, r.Registries = channel.KindVoice, []*time.Location{toronto}, []Listing{{Registry: RegistryCADNCL, Listed: true, ScrubbedAt: ago(day)}}
				r.Relationship.LastInquiry = noon.AddDate(0, -7, 0)
			}, reasons: []Reason{ReasonRegistryDNC}, event: 60, by: "ca_dncl"},
		{rule: "CRTC DNCL: a purchase 18 months ago exempts no longer",
			policy: &ca, ledger: Ledger{voiceEC},
			req: func(r *Request) {
				r.Channel, r.Zones, r.Registries = channel.KindVoice, []*time.Location{toronto}, []Listing{{Registry: RegistryCADNCL, Listed: true, ScrubbedAt: ago(day)}}
				r.Relationship.LastPurchase = noon.AddDate(0, -18, 0)
			}, reasons: []Reason{ReasonRegistryDNC}, event: 60, by: "ca_dncl"},
		{rule: "CRTC DNCL: express consent exempts a listed number",
			policy: &ca, ledger: Ledger{withID(voiceEC, 64, func(e *Event) { e.Basis = BasisCASLExpress })},
			req: func(r *Request) {
				r.Channel, r.Zones, r.Registries = channel.KindVoice, []*time.Location{toronto}, []Listing{{Registry: RegistryCADNCL, Listed: true, ScrubbedAt: ago(day)}}
			}, allowed: true, reasons: []Reason{ReasonGranted}, event: 64},
		{rule: "state do-not-call list: a registry rule with regions refuses a listed Texas recipient",
			policy: &stateList, ledger: Ledger{voiceEC},
			req: func(r *Request) {
				r.Channel, r.Region, r.Zones = channel.KindVoice, "US-TX", []*time.Location{chi}
				r.Registries = []Listing{{Registry: RegistryUSDNC, ScrubbedAt: ago(day)}, {Registry: "us_tx_dnc", Listed: true, ScrubbedAt: ago(day)}}
			}, reasons: []Reason{ReasonRegistryDNC}, event: 60, by: "us_tx_dnc", region: "US-TX"},
		{rule: "state do-not-call list: it does not restrict a recipient outside the state",
			policy: &stateList, ledger: Ledger{voiceEC},
			req: func(r *Request) {
				r.Channel, r.Registries = channel.KindVoice, []Listing{{Registry: RegistryUSDNC, ScrubbedAt: ago(day)}}
			}, allowed: true, reasons: []Reason{ReasonGranted}, event: 60},
		{rule: "47 CFR 64.1200(m): a number disconnected after the consent voids it",
			ledger: Ledger{pewc}, req: func(r *Request) { r.ReassignedAt = ago(10 * day) },
			reasons: []Reason{ReasonReassigned}, event: 1},
		{rule: "47 CFR 64.1200(m): consent given after the disconnection is the new subscriber's",
			ledger: Ledger{pewc}, req: func(r *Request) { r.ReassignedAt = ago(40 * day) },
			allowed: true, reasons: []Reason{ReasonGranted}, event: 1},
		{rule: "47 CFR 64.1200(m): a reassignment never lifts a withdrawal",
			ledger: Ledger{pewc, stop}, req: func(r *Request) { r.ReassignedAt = ago(10 * day) },
			reasons: []Reason{ReasonRevoked}, event: 3},
		{rule: "47 CFR 64.1200(m): a relationship dated before the disconnection is the previous subscriber's",
			policy: &liveCalls, ledger: Ledger{withID(voiceEC, 65, func(e *Event) { e.CapturedAt = ago(5 * day) })},
			req: func(r *Request) {
				r.Channel, r.ReassignedAt = channel.KindVoice, ago(20*day)
				r.Registries = []Listing{{Registry: RegistryUSDNC, Listed: true, ScrubbedAt: ago(day)}}
				r.Relationship.LastPurchase = ago(60 * day)
			}, reasons: []Reason{ReasonRegistryDNC}, event: 65, by: "us_dnc"},

		// CASL express consent's elements.
		{rule: "CASL s. 10(1): a US written consent without CASL's elements is not CASL express consent", policy: &ca,
			ledger: Ledger{pewc}, req: func(r *Request) { r.Zones = []*time.Location{toronto} },
			reasons: []Reason{ReasonCASLElementsMissing}, event: 1},
		{rule: "CASL s. 10(1): one missing element (withdrawal) is enough to refuse", policy: &ca,
			ledger: Ledger{withID(pewc, 66, func(e *Event) { e.Evidence.CASL = caslElements; e.Evidence.CASL.Withdrawal = " " })},
			req:    func(r *Request) { r.Zones = []*time.Location{toronto} }, reasons: []Reason{ReasonCASLElementsMissing}, event: 66},
		{rule: "CASL s. 10(1): a written consent with every element is CASL express consent", policy: &ca,
			ledger: Ledger{withID(pewc, 67, func(e *Event) { e.Evidence.CASL = caslElements })},
			req:    func(r *Request) { r.Zones = []*time.Location{toronto} }, allowed: true, reasons: []Reason{ReasonGranted}, event: 67},
		{rule: "CASL s. 10(1): implied consent needs no request", policy: &ca,
			ledger:  Ledger{ev(t, 68, mail, ActionGrant, channel.KindEmail, PurposeMarketing, "", BasisImpliedInquiry, ago(30*day))},
			req:     func(r *Request) { r.Address, r.Channel, r.Zones = mustAddr(t, mail), channel.KindEmail, nil },
			allowed: true, reasons: []Reason{ReasonGranted}, event: 68},

		// Email.
		{rule: "CAN-SPAM: commercial email needs no prior consent",
			req:     func(r *Request) { r.Address, r.Channel, r.Zones = mustAddr(t, mail), channel.KindEmail, nil },
			allowed: true, reasons: []Reason{ReasonNotOptedOut}},
		{rule: "CAN-SPAM: an opt-out is honored at once",
			ledger:  Ledger{ev(t, 29, mail, ActionRevoke, channel.KindEmail, PurposeMarketing, "", "", ago(time.Second))},
			req:     func(r *Request) { r.Address, r.Channel = mustAddr(t, mail), channel.KindEmail },
			reasons: []Reason{ReasonRevoked}, event: 29},
		{rule: "CAN-SPAM: a marketing opt-out leaves transactional email",
			ledger: Ledger{ev(t, 29, mail, ActionRevoke, channel.KindEmail, PurposeMarketing, "", "", ago(time.Second))},
			req: func(r *Request) {
				r.Address, r.Channel, r.Purpose = mustAddr(t, mail), channel.KindEmail, PurposeService
			},
			allowed: true, reasons: []Reason{ReasonNotOptedOut}},
		{rule: "CAN-SPAM: an express grant after the opt-out restores email",
			ledger: Ledger{
				ev(t, 29, mail, ActionRevoke, channel.KindEmail, PurposeMarketing, "", "", ago(day)),
				ev(t, 30, mail, ActionGrant, channel.KindEmail, PurposeMarketing, "", BasisExpress, ago(time.Hour)),
			},
			req:     func(r *Request) { r.Address, r.Channel = mustAddr(t, mail), channel.KindEmail },
			allowed: true, reasons: []Reason{ReasonGranted}, event: 30},

		// Canada.
		{rule: "CASL: express consent never expires", policy: &ca,
			ledger: Ledger{withID(ev(t, 31, nyPhone, ActionGrant, channel.KindSMS, PurposeMarketing, "", BasisCASLExpress, ago(10*year)), 31,
				func(e *Event) { e.Evidence.CASL = caslElements })},
			req: func(r *Request) { r.Zones = []*time.Location{toronto} }, allowed: true, reasons: []Reason{ReasonGranted}, event: 31},
		{rule: "CASL: implied consent lasts 2 years after a purchase (inside)", policy: &ca,
			ledger:  Ledger{ev(t, 32, mail, ActionGrant, channel.KindEmail, PurposeMarketing, "", BasisImpliedPurchase, noon.AddDate(-2, 0, 1))},
			req:     func(r *Request) { r.Address, r.Channel = mustAddr(t, mail), channel.KindEmail },
			allowed: true, reasons: []Reason{ReasonGranted}, event: 32},
		{rule: "CASL: implied consent lasts 2 years after a purchase (expired)", policy: &ca,
			ledger:  Ledger{ev(t, 32, mail, ActionGrant, channel.KindEmail, PurposeMarketing, "", BasisImpliedPurchase, noon.AddDate(-2, 0, 0))},
			req:     func(r *Request) { r.Address, r.Channel = mustAddr(t, mail), channel.KindEmail },
			reasons: []Reason{ReasonImpliedConsentExpired}},
		{rule: "CASL: implied consent runs from the purchase date (effective_from), not the capture", policy: &ca,
			ledger: Ledger{withID(ev(t, 33, mail, ActionGrant, channel.KindEmail, PurposeMarketing, "", BasisImpliedPurchase, ago(30*day)), 33,
				func(e *Event) { e.EffectiveFrom = noon.AddDate(-2, 0, -1) })},
			req:     func(r *Request) { r.Address, r.Channel = mustAddr(t, mail), channel.KindEmail },
			reasons: []Reason{ReasonImpliedConsentExpired}},
		{rule: "CASL: implied consent lasts 6 months after an inquiry (inside)", policy: &ca,
			ledger:  Ledger{ev(t, 34, mail, ActionGrant, channel.KindEmail, PurposeMarketing, "", BasisImpliedInquiry, noon.AddDate(0, -6, 1))},
			req:     func(r *Request) { r.Address, r.Channel = mustAddr(t, mail), channel.KindEmail },
			allowed: true, reasons: []Reason{ReasonGranted}, event: 34},
		{rule: "CASL: implied consent lasts 6 months after an inquiry (expired)", policy: &ca,
			ledger:  Ledger{ev(t, 34, mail, ActionGrant, channel.KindEmail, PurposeMarketing, "", BasisImpliedInquiry, noon.AddDate(0, -6, 0))},
			req:     func(r *Request) { r.Address, r.Channel = mustAddr(t, mail), channel.KindEmail },
			reasons: []Reason{ReasonImpliedConsentExpired}},
		{rule: "CASL: the event's own effective_to ends implied consent earlier", policy: &ca,
			ledger: Ledger{withID(ev(t, 35, mail, ActionGrant, channel.KindEmail, PurposeMarketing, "", BasisImpliedPurchase, ago(30*day)), 35,
				func(e *Event) { e.EffectiveTo = ago(day) })},
			req:     func(r *Request) { r.Address, r.Channel = mustAddr(t, mail), channel.KindEmail },
			reasons: []Reason{ReasonImpliedConsentExpired}},
		{rule: "CASL: a number given (US prior express consent) is not CASL consent", policy: &ca,
			ledger: Ledger{withID(pec, 36, func(e *Event) { e.Purpose = PurposeMarketing })},
			req:    func(r *Request) { r.Zones = []*time.Location{toronto} }, reasons: []Reason{ReasonExpressConsentRequired}, event: 36},
		{rule: "CASL s. 6(6): transactional texts need no consent until an opt-out", policy: &ca,
			req:     func(r *Request) { r.Purpose, r.Zones = PurposeService, nil },
			allowed: true, reasons: []Reason{ReasonNotOptedOut}},
		{rule: "CASL: a withdrawal takes effect at once", policy: &ca,
			ledger: Ledger{
				ev(t, 31, nyPhone, ActionGrant, channel.KindSMS, PurposeMarketing, "", BasisCASLExpress, ago(year)),
				withID(stop, 37, func(e *Event) { e.CapturedAt = ago(time.Second) }),
			},
			req: func(r *Request) { r.Zones = []*time.Location{toronto} }, reasons: []Reason{ReasonRevoked}, event: 37},
		{rule: "CRTC telemarketing hours: not after 18:00 at weekends; next Sunday 10:00", policy: &ca,
			ledger: Ledger{ev(t, 38, nyPhone, ActionGrant, channel.KindVoice, PurposeMarketing, "", BasisCASLExpress, ago(year))},
			req: func(r *Request) {
				r.Channel, r.Zones, r.At = channel.KindVoice, []*time.Location{toronto}, time.Date(2026, 6, 13, 18, 30, 0, 0, toronto)
			}, reasons: []Reason{ReasonQuietHours}, event: 38, next: time.Date(2026, 6, 14, 10, 0, 0, 0, toronto)},
		{rule: "CRTC telemarketing hours: 21:00 on a weekday is open", policy: &ca,
			ledger: Ledger{ev(t, 38, nyPhone, ActionGrant, channel.KindVoice, PurposeMarketing, "", BasisCASLExpress, ago(year))},
			req: func(r *Request) {
				r.Channel, r.Zones, r.At = channel.KindVoice, []*time.Location{toronto}, time.Date(2026, 6, 12, 21, 0, 0, 0, toronto)
			}, allowed: true, reasons: []Reason{ReasonGranted}, event: 38},

		// Other channels.
		{rule: "US other channels: any grant, implied included, allows service within its window",
			ledger: Ledger{ev(t, 39, "whatsapp:+12125550123", ActionGrant, channel.KindWhatsApp, PurposeService, "", BasisImpliedInquiry, ago(30*day))},
			req: func(r *Request) {
				r.Address, r.Channel, r.Purpose = mustAddr(t, "whatsapp:+12125550123"), channel.KindWhatsApp, PurposeService
			},
			allowed: true, reasons: []Reason{ReasonGranted}, event: 39},
		{rule: "US other channels: implied consent from an inquiry ends after 3 months (TCPA EBR)",
			ledger: Ledger{ev(t, 39, "whatsapp:+12125550123", ActionGrant, channel.KindWhatsApp, PurposeService, "", BasisImpliedInquiry, noon.AddDate(0, -3, 0))},
			req: func(r *Request) {
				r.Address, r.Channel, r.Purpose = mustAddr(t, "whatsapp:+12125550123"), channel.KindWhatsApp, PurposeService
			},
			reasons: []Reason{ReasonImpliedConsentExpired}},
		{rule: "US other channels: marketing by web chat needs an express grant",
			req:     func(r *Request) { r.Address, r.Channel = mustAddr(t, "webchat:abc123"), channel.KindWebChat },
			reasons: []Reason{ReasonNoConsent}},

		// One confirmation.
		{rule: "47 CFR 64.1200(a)(12): one non-marketing confirmation within 5 minutes of a STOP",
			ledger:  Ledger{pewc, withID(stop, 40, func(e *Event) { e.CapturedAt = ago(time.Minute) })},
			req:     func(r *Request) { r.Purpose, r.Confirmation = PurposeService, true },
			allowed: true, reasons: []Reason{ReasonConfirmationAllowed}, event: 40},
		{rule: "47 CFR 64.1200(a)(12): the confirmation at exactly 5 minutes is allowed",
			ledger:  Ledger{pewc, withID(stop, 40, func(e *Event) { e.CapturedAt = ago(5 * time.Minute) })},
			req:     func(r *Request) { r.Purpose, r.Confirmation = PurposeService, true },
			allowed: true, reasons: []Reason{ReasonConfirmationAllowed}, event: 40},
		{rule: "47 CFR 64.1200(a)(12): not later than 5 minutes",
			ledger:  Ledger{pewc, withID(stop, 40, func(e *Event) { e.CapturedAt = ago(5*time.Minute + time.Second) })},
			req:     func(r *Request) { r.Purpose, r.Confirmation = PurposeService, true },
			reasons: []Reason{ReasonRevoked, ReasonConfirmationLate}, event: 40},
		{rule: "47 CFR 64.1200(a)(12): exactly one confirmation",
			ledger: Ledger{pewc, withID(stop, 40, func(e *Event) { e.CapturedAt = ago(time.Minute) })},
			req: func(r *Request) {
				r.Purpose, r.Confirmation = PurposeService, true
				r.Recent = []Send{{At: ago(30 * time.Second), Channel: channel.KindSMS, Purpose: PurposeService, Confirmation: true}}
			}, reasons: []Reason{ReasonRevoked, ReasonConfirmationUsed}, event: 40},
		{rule: "47 CFR 64.1200(a)(12): a confirmation of an earlier STOP does not use up this one",
			ledger: Ledger{pewc, withID(stop, 40, func(e *Event) { e.CapturedAt = ago(time.Minute) })},
			req: func(r *Request) {
				r.Purpose, r.Confirmation = PurposeService, true
				r.Recent = []Send{{At: ago(time.Hour), Channel: channel.KindSMS, Purpose: PurposeService, Confirmation: true}}
			}, allowed: true, reasons: []Reason{ReasonConfirmationAllowed}, event: 40},
		{rule: "47 CFR 64.1200(a)(12): the confirmation may contain no marketing",
			ledger:  Ledger{pewc, withID(stop, 40, func(e *Event) { e.CapturedAt = ago(time.Minute) })},
			req:     func(r *Request) { r.Confirmation = true },
			reasons: []Reason{ReasonRevoked, ReasonConfirmationMarketing}, event: 40},
		{rule: "47 CFR 64.1200(a)(12): a confirmation with a coupon is marketing",
			ledger: Ledger{pewc, withID(stop, 40, func(e *Event) { e.CapturedAt = ago(time.Minute) })},
			req: func(r *Request) {
				r.Purpose, r.Also, r.Confirmation = PurposeService, []Purpose{PurposeMarketing}, true
			}, reasons: []Reason{ReasonRevoked, ReasonConfirmationMarketing}, event: 40},
		{rule: "47 CFR 64.1200(a)(12): the confirmation answers the person, so quiet hours do not apply",
			ledger: Ledger{pewc, withID(stop, 40, func(e *Event) { e.CapturedAt = time.Date(2026, 6, 10, 23, 0, 0, 0, ny) })},
			req: func(r *Request) {
				r.Purpose, r.Confirmation, r.At = PurposeService, true, time.Date(2026, 6, 10, 23, 1, 0, 0, ny)
			}, allowed: true, reasons: []Reason{ReasonConfirmationAllowed}, event: 40},
		{rule: "a policy with no confirmation window allows none",
			policy:  &Policy{Name: "strict", Rules: []Rule{{}}},
			ledger:  Ledger{pewc, withID(stop, 40, func(e *Event) { e.CapturedAt = ago(time.Minute) })},
			req:     func(r *Request) { r.Purpose, r.Confirmation = PurposeService, true },
			reasons: []Reason{ReasonRevoked, ReasonConfirmationLate}, event: 40},
		{rule: "the confirmation flag does not refuse what is allowed anyway",
			ledger: Ledger{pec}, req: func(r *Request) { r.Purpose, r.Confirmation = PurposeService, true },
			allowed: true, reasons: []Reason{ReasonGranted}, event: 2},

		// Mixed messages.
		{rule: "Chesbro v. Best Buy: a service message with marketing in it needs marketing consent",
			ledger: Ledger{pec}, req: func(r *Request) { r.Purpose, r.Also = PurposeService, []Purpose{PurposeMarketing} },
			reasons: []Reason{ReasonNoConsent}},
		{rule: "Chesbro v. Best Buy: with prior express consent for both, the written requirement still applies",
			ledger:  Ledger{withID(pec, 41, func(e *Event) { e.Purpose = PurposeAll })},
			req:     func(r *Request) { r.Purpose, r.Also = PurposeService, []Purpose{PurposeMarketing} },
			reasons: []Reason{ReasonWrittenConsentRequired}, event: 41},
		{rule: "Chesbro v. Best Buy: a mixed message keeps marketing's hours",
			ledger: Ledger{pec, pewc},
			req: func(r *Request) {
				r.Purpose, r.Also, r.At = PurposeService, []Purpose{PurposeMarketing}, time.Date(2026, 6, 10, 7, 0, 0, 0, ny)
			}, reasons: []Reason{ReasonQuietHours}, event: 1, next: time.Date(2026, 6, 10, 8, 0, 0, 0, ny)},
		{rule: "a mixed message allowed for both rests on the marketing grant",
			ledger: Ledger{pec, pewc}, req: func(r *Request) { r.Purpose, r.Also = PurposeService, []Purpose{PurposeMarketing} },
			allowed: true, reasons: []Reason{ReasonGranted}, event: 1},
		{rule: "a mixed message refused for two purposes gives both reasons, NextAllowed unknown",
			ledger: Ledger{withID(pec, 42, func(e *Event) { e.Purpose = PurposeSurvey })},
			req: func(r *Request) {
				r.Purpose, r.Also, r.At = PurposeSurvey, []Purpose{PurposeMarketing}, time.Date(2026, 6, 10, 7, 0, 0, 0, ny)
			}, reasons: []Reason{ReasonQuietHours, ReasonNoConsent}, event: 42},

		// Requests and policies Decide cannot read.
		{rule: "invalid request: no channel", req: func(r *Request) { r.Channel = "" }, reasons: []Reason{ReasonInvalidRequest}},
		{rule: "invalid request: a channel the address cannot take", req: func(r *Request) { r.Channel = channel.KindEmail }, reasons: []Reason{ReasonInvalidRequest}},
		{rule: "invalid request: all channels", req: func(r *Request) { r.Channel = AllChannels }, reasons: []Reason{ReasonInvalidRequest}},
		{rule: "invalid request: purpose all is a scope, not a message's purpose", req: func(r *Request) { r.Purpose = PurposeAll }, reasons: []Reason{ReasonInvalidRequest}},
		{rule: "invalid request: no purpose among Also", req: func(r *Request) { r.Also = []Purpose{""} }, reasons: []Reason{ReasonInvalidRequest}},
		{rule: "invalid request: no time", req: func(r *Request) { r.At = time.Time{} }, reasons: []Reason{ReasonInvalidRequest}},
		{rule: "invalid request: no address", req: func(r *Request) { r.Address = channel.Address{} }, reasons: []Reason{ReasonInvalidRequest}},
		{rule: "the zero policy has no rules and refuses everything", policy: &Policy{}, ledger: Ledger{pewc}, reasons: []Reason{ReasonNoRule}},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			p := us
			if tt.policy != nil {
				p = *tt.policy
			}
			r := Request{
				Address: mustAddr(t, nyPhone), Channel: channel.KindSMS, Purpose: PurposeMarketing,
				Rooftop: "downtown", At: noon, Zones: []*time.Location{ny},
			}
			if tt.req != nil {
				tt.req(&r)
			}
			d := Decide(p, tt.ledger, r)
			if d.Allowed != tt.allowed || !slices.Equal(d.Reasons(), tt.reasons) {
				t.Errorf("Decide = %v; want allowed %v %v", d, tt.allowed, tt.reasons)
			}
			var want ID
			if tt.event != 0 {
				want = testID(tt.event)
			}
			if d.Event != want {
				t.Errorf("Event = …%x; want …%x", d.Event[15], want[15])
			}
			if !d.NextAllowed.Equal(tt.next) {
				t.Errorf("NextAllowed = %v; want %v", d.NextAllowed, tt.next)
			}
			if d.Rule != tt.by || d.Region != tt.region {
				t.Errorf("Rule, Region = %q, %q; want %q, %q", d.Rule, d.Region, tt.by, tt.region)
			}
			if !d.NextAllowed.IsZero() && d.NextAllowed.Location() != time.UTC {
				t.Errorf("NextAllowed in %v; want UTC", d.NextAllowed.Location())
			}
			if d.Policy != p.Name {
				t.Errorf("Policy = %q; want %q", d.Policy, p.Name)
			}
			for _, reason := range d.Reasons() {
				if reason.Refuses() == d.Allowed {
					t.Errorf("reason %q in a decision allowed=%v", reason, d.Allowed)
				}
			}
		})
	}
}

// TestDecideDST pins NextAllowed across the US daylight-saving changes of
// 2026, for a recipient who may be in New York or Chicago.
func TestDecideDST(t *testing.T) {
	ny, chi := zone(t, "America/New_York"), zone(t, "America/Chicago")
	g := ev(t, 1, nyPhone, ActionGrant, channel.KindSMS, PurposeMarketing, "", BasisExpressWritten, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	tests := []struct {
		rule   string
		region string
		at     time.Time
		next   time.Time
	}{
		{"spring forward (8 Mar 2026): Saturday 21:30 EST opens at 08:00 CDT Sunday, 13:00 UTC",
			"", time.Date(2026, 3, 8, 2, 30, 0, 0, time.UTC), time.Date(2026, 3, 8, 13, 0, 0, 0, time.UTC)},
		{"spring forward: 01:30 EST, in the night of the change",
			"", time.Date(2026, 3, 8, 6, 30, 0, 0, time.UTC), time.Date(2026, 3, 8, 13, 0, 0, 0, time.UTC)},
		{"spring forward: 07:30 CDT, just after the change",
			"", time.Date(2026, 3, 8, 12, 30, 0, 0, time.UTC), time.Date(2026, 3, 8, 13, 0, 0, 0, time.UTC)},
		{"the day before spring forward: 08:00 CST is 14:00 UTC",
			"", time.Date(2026, 3, 7, 12, 0, 0, 0, time.UTC), time.Date(2026, 3, 7, 14, 0, 0, 0, time.UTC)},
		{"fall back (1 Nov 2026): Saturday 21:30 EDT opens at 08:00 CST Sunday, 14:00 UTC",
			"", time.Date(2026, 11, 1, 1, 30, 0, 0, time.UTC), time.Date(2026, 11, 1, 14, 0, 0, 0, time.UTC)},
		{"fall back: 01:30 the second time in New York",
			"", time.Date(2026, 11, 1, 6, 30, 0, 0, time.UTC), time.Date(2026, 11, 1, 14, 0, 0, 0, time.UTC)},
		{"fall back: the evening closes at 21:00 EST, 02:00 UTC",
			"", time.Date(2026, 11, 2, 2, 0, 0, 0, time.UTC), time.Date(2026, 11, 2, 14, 0, 0, 0, time.UTC)},
		{"fall back with Florida's 20:00 close: 20:00 EST Sunday is closed until Monday 08:00 CST",
			"US-FL", time.Date(2026, 11, 2, 1, 0, 0, 0, time.UTC), time.Date(2026, 11, 2, 14, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			r := Request{Address: mustAddr(t, nyPhone), Channel: channel.KindSMS, Purpose: PurposeMarketing,
				At: tt.at, Zones: []*time.Location{ny, chi}, Region: tt.region}
			d := Decide(US(), Ledger{g}, r)
			if d.Allowed || d.Reason() != ReasonQuietHours || !d.NextAllowed.Equal(tt.next) {
				t.Fatalf("Decide at %v = %v; want quiet hours until %v", tt.at, d, tt.next)
			}
			// The answer is itself allowed, and a minute earlier is not.
			r.At = d.NextAllowed
			if d2 := Decide(US(), Ledger{g}, r); !d2.Allowed {
				t.Errorf("at NextAllowed %v: %v", r.At, d2)
			}
			r.At = d.NextAllowed.Add(-time.Minute)
			if d3 := Decide(US(), Ledger{g}, r); d3.Allowed {
				t.Errorf("a minute before NextAllowed: %v", d3)
			}
		})
	}
}

// TestDecideNoCommonWindow: zones too far apart have no hour in common, so
// no next time can be given.
func TestDecideNoCommonWindow(t *testing.T) {
	g := ev(t, 1, nyPhone, ActionGrant, channel.KindSMS, PurposeMarketing, "", BasisExpressWritten, noon.AddDate(-1, 0, 0))
	r := Request{Address: mustAddr(t, nyPhone), Channel: channel.KindSMS, Purpose: PurposeMarketing, At: noon,
		Zones: []*time.Location{zone(t, "America/New_York"), zone(t, "Asia/Shanghai")}, Region: "US-FL"}
	d := Decide(US(), Ledger{g}, r)
	if d.Allowed || d.Reason() != ReasonQuietHours || !d.NextAllowed.IsZero() {
		t.Errorf("Decide = %v; want quiet hours with no next time", d)
	}
}

// TestMergeNeverReopens: consent is keyed on the address, so concatenating
// the ledgers of two customers who share a number, in any order, keeps a
// STOP from either of them in force.
func TestMergeNeverReopens(t *testing.T) {
	const rule = "a merge of two customers must never turn a revoked address back on"
	base := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	ann := Ledger{
		ev(t, 1, nyPhone, ActionGrant, channel.KindSMS, PurposeMarketing, "", BasisExpressWritten, base),
		ev(t, 2, nyPhone, ActionRevoke, channel.KindSMS, PurposeAll, "", "", base.Add(10*day)),
	}
	bob := Ledger{
		ev(t, 3, nyPhone, ActionGrant, channel.KindSMS, PurposeMarketing, "downtown", BasisExpressWritten, base.Add(5*day)),
		ev(t, 4, nyPhone, ActionGrant, AllChannels, PurposeAll, "", BasisExpress, base.Add(10*day)), // same instant as the STOP
		ev(t, 5, nyPhone, ActionGrant, channel.KindSMS, PurposeService, "", BasisImpliedPurchase, base.Add(20*day)),
	}
	ny := zone(t, "America/New_York")
	for _, purpose := range []Purpose{PurposeMarketing, PurposeService} {
		r := Request{Address: mustAddr(t, nyPhone), Channel: channel.KindSMS, Purpose: purpose, Rooftop: "downtown",
			At: base.Add(30 * day), Zones: []*time.Location{ny}}
		rng := rand.New(rand.NewPCG(1, 2))
		orders := []Ledger{append(slices.Clone(ann), bob...), append(slices.Clone(bob), ann...)}
		for range 20 {
			l := append(slices.Clone(ann), bob...)
			rng.Shuffle(len(l), func(i, j int) { l[i], l[j] = l[j], l[i] })
			orders = append(orders, l)
		}
		for _, l := range orders {
			d := Decide(US(), l, r)
			if d.Allowed || d.Reason() != ReasonRevoked || d.Event != testID(2) {
				t.Fatalf("%s: %s in ledger order %v: %v", rule, purpose, ids(l), d)
			}
		}
	}
}

func ids(l Ledger) []byte {
	out := make([]byte, len(l))
	for i, e := range l {
		out[i] = e.ID[15]
	}
	return out
}

// ledgerOf20 returns a 20-event ledger for one address that ends granted
// for marketing texts, plus the request Decide answers on it.
func ledgerOf20(t testing.TB) (Ledger, Request) {
	addr := nyPhone
	start := noon.AddDate(0, -6, 0)
	var l Ledger
	for i := range 20 {
		at := start.Add(time.Duration(i) * 7 * day)
		var e Event
		switch i % 5 {
		case 0:
			e = ev(t, byte(i+1), addr, ActionGrant, channel.KindSMS, PurposeMarketing, "downtown", BasisExpressWritten, at)
		case 1:
			e = ev(t, byte(i+1), addr, ActionRevoke, channel.KindVoice, PurposeMarketing, "", "", at)
		case 2:
			e = ev(t, byte(i+1), addr, ActionGrant, AllChannels, PurposeService, "", BasisExpress, at)
		case 3:
			e = ev(t, byte(i+1), "tel:+12125550188", ActionRevoke, AllChannels, PurposeAll, "", "", at)
		case 4:
			e = ev(t, byte(i+1), addr, ActionGrant, channel.KindSMS, PurposeMarketing, "", BasisExpressWritten, at)
		}
		l = append(l, e)
	}
	r := Request{
		Address: mustAddr(t, addr), Channel: channel.KindSMS, Purpose: PurposeMarketing, Rooftop: "downtown",
		At: noon, Zones: []*time.Location{zone(t, "America/New_York"), zone(t, "America/Chicago")}, Region: "US-FL",
		Recent: []Send{
			{At: noon.Add(-2 * time.Hour), Channel: channel.KindSMS, Purpose: PurposeMarketing},
			{At: noon.Add(-3 * time.Hour), Channel: channel.KindSMS, Purpose: PurposeService},
		},
	}
	return l, r
}

func TestDecideAllocatesNothing(t *testing.T) {
	l, r := ledgerOf20(t)
	p := US()
	if d := Decide(p, l, r); !d.Allowed {
		t.Fatalf("Decide on the 20-event ledger = %v; want allowed", d)
	}
	quiet := r
	quiet.At = time.Date(2026, 6, 11, 0, 30, 0, 0, time.UTC) // 20:30 EDT: closed in Florida
	if d := Decide(p, l, quiet); d.Allowed || d.NextAllowed.IsZero() {
		t.Fatalf("Decide in quiet hours = %v", d)
	}
	capped := r
	capped.Recent = append(slices.Clone(r.Recent), r.Recent[0], r.Recent[0])
	if d := Decide(p, l, capped); d.Reason() != ReasonFrequencyCap {
		t.Fatalf("Decide over the cap = %v", d)
	}
	mixed := r
	mixed.Also = []Purpose{PurposeService}
	holiday := r
	holiday.Regions = []string{"US-AL", "US-TX"}
	holiday.At = time.Date(2026, 11, 26, 18, 0, 0, 0, time.UTC)
	if d := Decide(p, l, holiday); d.Reason() != ReasonHoliday || d.NextAllowed.IsZero() {
		t.Fatalf("Decide on Thanksgiving in Alabama = %v", d)
	}
	registry := r
	registry.Channel = channel.KindVoice
	registry.Registries = []Listing{{Registry: RegistryUSDNC, Listed: true, ScrubbedAt: noon.Add(-day)}}
	for name, req := range map[string]Request{"allowed": r, "quiet hours": quiet, "capped": capped, "mixed": mixed,
		"holiday": holiday, "registry": registry} {
		if n := testing.AllocsPerRun(200, func() { _ = Decide(p, l, req) }); n != 0 {
			t.Errorf("%s: Decide allocates %v times per call", name, n)
		}
	}
}

func TestDecisionJSON(t *testing.T) {
	d := Decision{Allowed: false, Event: testID(3), Purpose: PurposeMarketing, NextAllowed: noon, Policy: "us", Rule: "us-fl", Region: "US-FL"}
	d.add(ReasonQuietHours)
	d.add(ReasonFrequencyCap)
	d.add("teleported")
	got := roundTrip(t, d)
	if !got.Has("teleported") || got.Reason() != ReasonQuietHours {
		t.Errorf("reasons not kept: %v", got)
	}
	roundTrip(t, Decision{})
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"allowed":false,"reasons":["quiet_hours","frequency_cap","teleported"],"event":"01954f00-0000-7000-8000-000000000003","purpose":"marketing","next_allowed":"2026-06-10T16:00:00Z","policy":"us","rule":"us-fl","region":"US-FL"}`
	if string(b) != want {
		t.Errorf("JSON form\n got %s\nwant %s", b, want)
	}
	var back Decision
	if err := json.Unmarshal([]byte(`{"reasons":["a","b","c","d","e","f","g","h","i"]}`), &back); err == nil {
		t.Error("nine reasons accepted")
	}
	if s := d.String(); s != "refused (quiet_hours, frequency_cap, teleported) until 2026-06-10T16:00:00Z" {
		t.Errorf("String = %q", s)
	}
	full := Decision{Allowed: true, Policy: "us"}
	for i := range maxReasons + 2 {
		full.add(Reason(string(rune('a' + i))))
	}
	if len(full.Reasons()) != maxReasons || full.String() != "allowed (a, b, c, d, e, f, g, h)" {
		t.Errorf("a full decision: %v", full)
	}
}

func TestSendJSON(t *testing.T) {
	roundTrip(t, Send{At: noon, Channel: "teleport", Purpose: "loyalty", Rooftop: "downtown", Confirmation: true})
	roundTrip(t, []Send{{}})
}

func TestPolicyJSON(t *testing.T) {
	for _, p := range []Policy{US(), Canada(), {}} {
		got := roundTrip(t, p)
		if !reflect.DeepEqual(got, p) {
			t.Errorf("%s differs after JSON", p.Name)
		}
	}
	ps := Policies{Default: US(), Rooftops: map[dealer.Rooftop]Policy{"montreal": Canada()}}
	roundTrip(t, ps)
	roundTrip(t, Policy{Rules: []Rule{{Channels: []channel.Kind{"teleport"}, Purposes: []Purpose{"loyalty"}, Bases: []Basis{"casl_published"}}}})
}

func TestPolicies(t *testing.T) {
	ps := Policies{Default: US(), Rooftops: map[dealer.Rooftop]Policy{"montreal": Canada()}}
	if ps.For("montreal").Name != "ca" || ps.For("downtown").Name != "us" || ps.For("").Name != "us" {
		t.Error("For picks the wrong policy")
	}
	if (Policies{}).For("x").Name != "" {
		t.Error("the zero Policies is not the zero Policy")
	}
	if n := testing.AllocsPerRun(100, func() { _ = ps.For("montreal") }); n != 0 {
		t.Errorf("For allocates %v", n)
	}
	// Presets are values: changing one changes no other.
	a := US()
	a.Rules[0].Hours[0].Start = 0
	a.Overrides[0].AreaCodes[0] = "000"
	if b := US(); b.Rules[0].Hours[0].Start != channel.Clock(8, 0) || b.Overrides[0].AreaCodes[0] != "239" {
		t.Error("US() shares state between calls")
	}
}

func TestPolicyValidate(t *testing.T) {
	for _, p := range []Policy{US(), Canada(), {}} {
		if err := p.Validate(); err != nil {
			t.Errorf("%q: %v", p.Name, err)
		}
	}
	bad := Policy{
		Rules: []Rule{{
			Channels: []channel.Kind{AllChannels}, Purposes: []Purpose{PurposeAll}, Bases: []Basis{""},
			Hours: []channel.Window{{Day: 9}}, Cap: Cap{Max: 3},
		}},
		Overrides: []Override{{AreaCodes: []string{"30"}, Regions: []string{"Florida"}}, {},
			{Regions: []string{"US-AL"}, Holidays: []Holiday{{Month: 2, Day: 30}, {Month: 11, Weekday: time.Thursday, Nth: 6}, {Day: 1, Nth: 1}, {Easter: true, EasterOffset: 200}}}},
		Registries:         []RegistryRule{{Registry: "", Regions: []string{"Texas"}, AreaCodes: []string{"2140"}, Exempt: []Basis{""}, PurchaseMonths: -1, InquiryMonths: -1, MaxAge: -1}},
		Sellers:            []Seller{{Name: " ", Rooftops: []dealer.Rooftop{"downtown", ""}}, {Name: "b", Rooftops: []dealer.Rooftop{"downtown"}}},
		LinkedChannels:     []channel.Kind{""},
		DNCYears:           -1,
		ConfirmationWindow: -time.Second,
		FallbackZones:      []string{" "},
	}
	got := problems(t, bad.Validate())
	var fields []string
	for _, p := range got {
		fields = append(fields, p.Field)
	}
	want := []string{"rules[0].channels[0]", "rules[0].purposes[0]", "rules[0].bases[0]", "rules[0].hours[0]", "rules[0].cap.per_ns",
		"overrides[0].regions[0]", "overrides[0].area_codes[0]", "overrides[1].regions",
		"overrides[2].holidays[0].day", "overrides[2].holidays[1].nth", "overrides[2].holidays[2]", "overrides[2].holidays[3].easter_offset",
		"registries[0].registry", "registries[0].regions[0]", "registries[0].area_codes[0]", "registries[0].exempt[0]",
		"registries[0].purchase_months", "registries[0].inquiry_months", "registries[0].max_age_ns",
		"sellers[0].name", "sellers[0].rooftops[1]", "sellers[1].rooftops[0]",
		"linked_channels[0]", "dnc_years", "confirmation_window_ns", "fallback_zones[0]"}
	if !slices.Equal(fields, want) {
		t.Errorf("problems\n got %v\nwant %v", fields, want)
	}
}

func TestOptsOut(t *testing.T) {
	tests := []struct {
		rule   string
		review bool
		s      Signal
		want   bool
	}{
		{"47 CFR 64.1200(a)(10): an opt-out keyword revokes per se", false, SignalOptOut, true},
		{"47 CFR 64.1200(a)(10): other wording is a presumed revocation", false, SignalRevocationRequest, true},
		{"a policy may send natural-language requests to staff review", true, SignalRevocationRequest, false},
		{"a keyword is an opt-out even under review", true, SignalOptOut, true},
		{"help is not an opt-out", false, SignalHelp, false},
		{"an ordinary message is not an opt-out", false, SignalNone, false},
		{"an opt-in is not an opt-out", false, SignalOptIn, false},
	}
	for _, tt := range tests {
		if got := (Policy{ReviewRevocationRequests: tt.review}).OptsOut(tt.s); got != tt.want {
			t.Errorf("%s: OptsOut(%q) = %v", tt.rule, tt.s, got)
		}
	}
	if !US().OptsOut(SignalRevocationRequest) || !Canada().OptsOut(SignalRevocationRequest) {
		t.Error("presets must treat revocation requests as opt-outs")
	}
}

func TestReasons(t *testing.T) {
	for _, r := range Reasons() {
		if !r.Known() || !isToken(r.String(), maxTokenLen) {
			t.Errorf("reason %q", r)
		}
		got, err := ParseReason(" " + string(r) + " ")
		if err != nil || got != r {
			t.Errorf("ParseReason(%q) = %q, %v", r, got, err)
		}
	}
	if ReasonUnknown.Known() || Reason("teleported").Known() || !Reason("teleported").Refuses() {
		t.Error("unknown reasons")
	}
	if _, err := ParseReason("not a reason!"); err == nil {
		t.Error("malformed reason accepted")
	}
}

// TestClockMatchesInWindows: the fast local clock used for allowed hours
// agrees with channel.InWindows over a year of quarter hours, across
// daylight-saving changes, in zones with odd offsets.
func TestClockMatchesInWindows(t *testing.T) {
	sets := [][]channel.Window{
		channel.Every(channel.Clock(8, 0), channel.Clock(21, 0)),
		{{Day: time.Friday, Start: channel.Clock(22, 0), End: channel.Clock(2, 0)}, {Day: time.Sunday, Start: channel.Clock(10, 0), End: channel.Clock(10, 0)}},
	}
	for _, name := range []string{"America/New_York", "America/St_Johns", "Asia/Kolkata", "Pacific/Chatham", "UTC"} {
		z := zone(t, name)
		for at := time.Date(2025, 12, 31, 0, 7, 0, 0, time.UTC); at.Year() < 2027; at = at.Add(15 * time.Minute) {
			day, min := clock(at, z)
			for _, ws := range sets {
				if got, want := inWindows(ws, day, min), channel.InWindows(ws, at.In(z)); got != want {
					t.Fatalf("%s at %v: inWindows %v, channel.InWindows %v", name, at, got, want)
				}
			}
		}
	}
	old := time.Date(1960, 3, 1, 12, 0, 0, 0, time.UTC) // before 1970: negative Unix time
	if day, min := clock(old, time.UTC); day != time.Tuesday || min != channel.Clock(12, 0) {
		t.Errorf("clock(1960-03-01 12:00) = %v %v", day, min)
	}
}
