package consent

import (
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/rapportcim/rapport/channel"
)

func TestReinstate(t *testing.T) {
	ago := func(d time.Duration) time.Time { return noon.Add(-d) }
	rooftopNumber := mustAddr(t, "tel:+12125550188")
	otherNumber := mustAddr(t, "tel:+12125550199")
	pewc := ev(t, 1, nyPhone, ActionGrant, channel.KindSMS, PurposeMarketing, "", BasisExpressWritten, ago(30*day))
	pec := ev(t, 2, nyPhone, ActionGrant, channel.KindSMS, PurposeService, "", BasisExpress, ago(30*day))
	implied := ev(t, 3, nyPhone, ActionGrant, channel.KindSMS, PurposeService, "", BasisImpliedPurchase, ago(30*day))
	stop := ev(t, 4, nyPhone, ActionRevoke, channel.KindSMS, PurposeAll, "", "", ago(day))
	stop.Evidence.ReceivedOn = rooftopNumber
	set := func(e Event, id byte, f func(*Event)) Event {
		e.ID = testID(id)
		f(&e)
		return e
	}
	start := Event{
		Tenant: "acme-auto", Subject: Subject{Address: mustAddr(t, nyPhone+";ext=9")}, CapturedAt: noon,
		Evidence: Evidence{Method: MethodSMSKeyword, RawText: "START", ReceivedOn: rooftopNumber},
	}

	tests := []struct {
		rule   string
		ledger Ledger
		optIn  Event
		want   []byte // IDs of the grants restored, in order
	}{
		{"START re-grants what a STOP revoked", Ledger{pewc, pec, stop}, start, []byte{1, 2}},
		{"START re-grants only grants in effect: implied consent never outweighs a withdrawal", Ledger{implied, stop}, start, nil},
		{"START re-grants nothing when nothing was revoked", Ledger{pewc}, start, nil},
		{"START never creates consent", Ledger{stop}, start, nil},
		{"START re-grants nothing a STOP did not cover", Ledger{pewc, set(stop, 5, func(e *Event) { e.Purpose = PurposeService })}, start, nil},
		{"START does not undo a do-not-call request", Ledger{pewc, stop, ev(t, 6, nyPhone, ActionDNCRequest, channel.KindVoice, PurposeAll, "", "", ago(time.Hour))}, start, nil},
		{"START does not undo a revocation in other words",
			Ledger{pewc, set(stop, 7, func(e *Event) { e.Evidence = Evidence{Method: MethodSMSReply, RawText: "please stop texting me"} })}, start, nil},
		{"START does not undo a revocation by email link, even for one purpose",
			Ledger{pewc, pec, stop, set(stop, 8, func(e *Event) {
				e.Purpose, e.Evidence = PurposeMarketing, Evidence{Method: MethodEmailLink}
			})}, start, []byte{2}},
		{"START does not undo an event this version cannot read",
			Ledger{pewc, stop, set(stop, 9, func(e *Event) { e.Action = "suspend" })}, start, nil},
		{"a provider's opt-out signal counts as a keyword", Ledger{pewc, set(stop, 10, func(e *Event) {
			e.Evidence = Evidence{Method: MethodProviderSignal, ProviderRef: "21610"}
		})}, start, []byte{1}},
		{"START to another rooftop number does not undo this number's STOP",
			Ledger{pewc, stop}, with(start, func(e *Event) { e.Evidence.ReceivedOn = otherNumber }), nil},
		{"a STOP for calls is linked to texts: START restores the texts grant", Ledger{pewc, set(stop, 11, func(e *Event) { e.Channel = channel.KindVoice })},
			start, []byte{1}},
		{"a grant for another address is not restored",
			Ledger{set(pewc, 12, func(e *Event) { e.Subject.Address = otherNumber }), stop}, start, nil},
		{"a grant captured after the STOP is in force already and not restored", Ledger{stop, set(pewc, 13, func(e *Event) { e.CapturedAt = ago(time.Hour) })},
			start, nil},
		{"of several grants with the same key, only the latest is restored",
			Ledger{pewc, set(pewc, 14, func(e *Event) { e.CapturedAt = ago(20 * day) }), stop}, start, []byte{14}},
		{"a grant that has expired is not restored", Ledger{set(pewc, 15, func(e *Event) { e.EffectiveTo = ago(time.Hour) }), stop}, start, nil},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			got := Reinstate(US(), tt.ledger, tt.optIn)
			var restored []byte
			for _, e := range got {
				for _, o := range tt.ledger {
					if e.Note == "reinstated by an opt-in keyword; restores event "+o.ID.String() {
						restored = append(restored, o.ID[15])
					}
				}
			}
			if !slices.Equal(restored, tt.want) || len(got) != len(tt.want) {
				t.Fatalf("Reinstate restored %v (%d events); want %v", restored, len(got), tt.want)
			}
			for _, e := range got {
				if err := e.Validate(); err != nil {
					t.Errorf("restored event is not valid: %v", err)
				}
				if !e.ID.IsZero() || !e.CapturedAt.Equal(noon) || e.Evidence.Method != MethodSMSKeyword || e.Evidence.RawText != "START" {
					t.Errorf("restored event %+v", e)
				}
			}
			// Appended to the ledger, the restored grants reopen what the STOP closed.
			if len(got) > 0 {
				l := append(slices.Clone(tt.ledger), got...)
				r := Request{Address: mustAddr(t, nyPhone), Channel: got[0].Channel, Purpose: got[0].Purpose, At: noon.Add(time.Minute),
					Zones: []*time.Location{zone(t, "America/New_York")}}
				if d := Decide(US(), l, r); !d.Allowed {
					t.Errorf("after START: %v", d)
				}
			}
		})
	}
}

func TestReinstateKeepsDisclosure(t *testing.T) {
	g := ev(t, 1, nyPhone, ActionGrant, channel.KindSMS, PurposeMarketing, "downtown", BasisExpressWritten, noon.Add(-30*day))
	g.Evidence = Evidence{Method: MethodWebForm, DisclosureText: "I agree…", DisclosureVersion: "v3", IP: netip.MustParseAddr("203.0.113.7"), UserAgent: "Mozilla/5.0"}
	g.Giver = Giver{Name: "Pat"}
	stop := ev(t, 2, nyPhone, ActionRevoke, channel.KindSMS, PurposeAll, "", "", noon.Add(-day))
	got := Reinstate(US(), Ledger{g, stop}, Event{Subject: Subject{Address: mustAddr(t, nyPhone)}, CapturedAt: noon,
		Evidence: Evidence{Method: MethodSMSKeyword, RawText: "UNSTOP"}})
	if len(got) != 1 {
		t.Fatalf("Reinstate = %v", got)
	}
	e := got[0]
	if e.Evidence.DisclosureText != "I agree…" || e.Evidence.DisclosureVersion != "v3" || e.Evidence.IP.IsValid() ||
		e.Evidence.RawText != "UNSTOP" || e.Rooftop != "downtown" || e.Basis != BasisExpressWritten || !e.Giver.IsZero() || e.Tenant != "acme-auto" {
		t.Errorf("restored %+v", e)
	}
}
