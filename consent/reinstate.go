package consent

import (
	"time"

	"github.com/rapportcim/rapport/channel"
)

// Reinstate returns the grants an opt-in keyword restores: START re-grants
// only what an opt-out keyword revoked. optIn describes the inbound opt-in
// ([SignalOptIn]): its Subject.Address is the line it came from, CapturedAt
// when it arrived, Evidence how (MethodSMSKeyword with RawText and
// ReceivedOn, or MethodProviderSignal), and Tenant the tenant; its other
// fields are ignored.
//
// A grant in l is restored when it is for the same line, on an express
// basis ([Basis.Express]; implied consent never outweighs a withdrawal, so
// restoring it would do nothing), in effect at optIn.CapturedAt, captured
// before it, and withdrawn since it was given, but only by opt-out
// keywords: revocations captured by MethodSMSKeyword or
// MethodProviderSignal, received on the same dealership number as the
// opt-in when both events record one. A grant that any other withdrawal
// overlaps (a do-not-call request, an unsubscribe link, a request on a call,
// a revocation in natural language, an event this version cannot read)
// stays withdrawn: only the person's own express grant, recorded some other
// way, can undo those. Overlap follows the policy's LinkedChannels and
// revoke-all rule, so it is judged as broadly as Decide judges withdrawals.
//
// Each restored grant is a copy of the original with no ID, RecordedAt or
// EffectiveFrom; CapturedAt and Evidence from optIn, keeping the original's
// disclosure, document and recording references, which say what the person
// agreed to; no Giver; and a Note naming the original event. Of several
// restorable grants with the same Key only the latest is restored. The
// result is new, in ledger order, and empty when there is nothing to
// restore: an opt-in keyword never creates consent that was not there.
func Reinstate(p Policy, l Ledger, optIn Event) []Event {
	line := optIn.Subject.Address.Line()
	at := optIn.CapturedAt
	revokeAll := p.revokeAllAt(at)
	restorable := func(g *Event) bool {
		if g.Action != ActionGrant || !g.Basis.Express() || g.Subject.Address.Line() != line ||
			!g.CapturedAt.Before(at) || !inEffect(g, at) {
			return false
		}
		withdrawn := false
		for j := range l {
			w := &l[j]
			if w.Action.Known() && !w.Action.Withdraws() || w.Subject.Address.Line() != line ||
				w.CapturedAt.Before(g.CapturedAt) || w.CapturedAt.After(at) || !p.overlaps(w, g, revokeAll) {
				continue
			}
			if !keywordRevocation(w, optIn.Evidence.ReceivedOn) {
				return false
			}
			withdrawn = true
		}
		return withdrawn
	}
	var out []Event
	for i := range l {
		g := &l[i]
		if !restorable(g) || laterSameKey(l, i, restorable) {
			continue
		}
		e := *g
		e.ID, e.RecordedAt, e.EffectiveFrom, e.CapturedAt = ID{}, time.Time{}, time.Time{}, at
		if optIn.Tenant != "" {
			e.Tenant = optIn.Tenant
		}
		if !optIn.Subject.Customer.IsZero() {
			e.Subject.Customer = optIn.Subject.Customer
		}
		ev := optIn.Evidence
		ev.DisclosureText, ev.DisclosureVersion, ev.DisclosureHash = g.Evidence.DisclosureText, g.Evidence.DisclosureVersion, g.Evidence.DisclosureHash
		ev.DocumentRef, ev.RecordingRef = g.Evidence.DocumentRef, g.Evidence.RecordingRef
		e.Evidence = ev
		e.Giver = Giver{}
		e.ChannelOnly = false
		e.Note = "reinstated by an opt-in keyword"
		if !g.ID.IsZero() {
			e.Note += "; restores event " + g.ID.String()
		}
		out = append(out, e)
	}
	return out
}

// laterSameKey reports whether another restorable grant with the same key
// as l[i] is later (ties: later in the ledger).
func laterSameKey(l Ledger, i int, restorable func(*Event) bool) bool {
	k := keyOf(&l[i])
	for j := range l {
		if j == i || keyOf(&l[j]) != k || !restorable(&l[j]) {
			continue
		}
		if l[j].CapturedAt.After(l[i].CapturedAt) || l[j].CapturedAt.Equal(l[i].CapturedAt) && j > i {
			return true
		}
	}
	return false
}

// keywordRevocation reports whether w is an opt-out by keyword (or by the
// provider's report of one) received on number on, when both record one.
func keywordRevocation(w *Event, on channel.Address) bool {
	if w.Action != ActionRevoke {
		return false
	}
	if m := w.Evidence.Method; m != MethodSMSKeyword && m != MethodProviderSignal {
		return false
	}
	return on.IsZero() || w.Evidence.ReceivedOn.IsZero() || w.Evidence.ReceivedOn == on
}

// overlaps reports whether withdrawal (or unknown event) w bears on any part
// of grant g's scope.
func (p *Policy) overlaps(w, g *Event, revokeAll bool) bool {
	if w.Rooftop != "" && g.Rooftop != "" && w.Rooftop != g.Rooftop {
		return false
	}
	if !revokeAll && w.Purpose != PurposeAll && g.Purpose != PurposeAll && w.Purpose != g.Purpose {
		return false
	}
	return w.Channel == AllChannels || g.Channel == AllChannels || w.Channel == g.Channel ||
		!w.ChannelOnly && p.linked(w.Channel) && p.linked(g.Channel)
}
