package consent

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/dealer"
)

// Request is an intended outbound contact, with everything [Decide] needs to
// know about it that is not in the ledger. The caller (rapport.Book.Check)
// gathers it from storage.
//
// Request is an input, not a stored record: it holds loaded time zones and
// has no JSON form.
type Request struct {
	// Address is the contact point; required. Consent is looked up by its
	// line (a telephone extension is ignored).
	Address channel.Address
	// Channel is how the contact would be made; required, and one the
	// address supports (sms, voice or video for a tel: address).
	Channel channel.Kind
	// Purpose is what the message is for; required, and a specific purpose
	// (not [PurposeAll]). A message that serves several purposes names the
	// others in Also.
	Purpose Purpose
	// Also lists the other purposes the same message serves: a service
	// reminder with a coupon is {Purpose: service, Also: [marketing]}.
	// Decide treats the message as each of its purposes in turn and allows
	// it only when every one is allowed, so a message with any marketing in
	// it needs marketing's consent and keeps marketing's hours and caps (a
	// dual-purpose message is telemarketing; Chesbro v. Best Buy, 9th Cir.
	// 2012). Passing Purpose: marketing for such a message is equivalent
	// for the marketing part.
	Also []Purpose
	// Rooftop is the dealership location the contact comes from. Grants
	// count only when they name it or no rooftop. Withdrawals count when
	// they name no rooftop, or a rooftop of the same seller (every rooftop
	// of the tenant when the policy names no [Seller]s). The zero Rooftop
	// means a contact from the tenant as a whole: only grants that name no
	// rooftop count for it, and withdrawals for any rooftop refuse it.
	Rooftop dealer.Rooftop
	// At is when the contact would be made; required. Decide never reads
	// the clock.
	At time.Time
	// Zones are the recipient's possible time zones, most specific first:
	// the customer's stated zone, else the contact point's, else the zones
	// of the phone number ([channel.Phone.TimeZones]), else the policy's
	// [Policy.FallbackZones]. Allowed hours must hold in every one of them.
	// None means unknown: a rule with allowed hours then refuses with
	// [ReasonUnknownZone]. Nil entries are ignored. The caller loads the
	// zones (time.LoadLocation) so that Decide does no I/O.
	Zones []*time.Location
	// Region is a region the caller names explicitly for the recipient: an
	// ISO 3166-2 subdivision ("US-FL", "CA-QC"). "" means none named.
	Region string
	// Regions are the ISO 3166-2 subdivisions of the recipient's postal
	// addresses (the state of the mailing address). The area code is only
	// a presumption of where the recipient lives: every place the request
	// points at applies together, Region, Regions and the state of the
	// number's area code, and each [Override] or [RegistryRule] for any of
	// them adds its restrictions, so the strictest wins. Decision.Region
	// says which one refused.
	Regions []string
	// Registries are what the caller learned by scrubbing the line against
	// do-not-call registries ([Listing]): for each registry, whether the
	// line was listed and when the registry data was obtained. Decide uses
	// the most recent listing of each registry that is not after At.
	Registries []Listing
	// Relationship is the established business relationship the caller
	// knows of outside the ledger (the last purchase and inquiry), which
	// may exempt a telemarketing call from a registry ([RegistryRule]).
	Relationship Relationship
	// ReassignedAt is the latest permanent disconnection of the number
	// that the FCC's Reassigned Numbers Database reports (47 CFR
	// 64.1200(m)): the line may now belong to someone else, so every grant
	// captured at or before it is void ([ReasonReassigned]), and so is a
	// business relationship dated before it. Withdrawals stay in force.
	// The zero time means no disconnection reported.
	ReassignedAt time.Time
	// Recent are the sends already made to this address's line: at least
	// those within the longest frequency-cap period before At (24 hours
	// for the presets), and every opt-out confirmation since the latest
	// withdrawal.
	Recent []Send
	// Confirmation marks this message as the one confirmation of an opt-out
	// (47 CFR 64.1200(a)(12)): "You're unsubscribed; reply START to opt back
	// in". Decide allows it, although the address is now opted out, when it
	// is for no marketing purpose, it goes out within the policy's
	// ConfirmationWindow after the withdrawal, and no confirmation has been
	// sent since the withdrawal (Recent). Quiet hours and caps do not apply
	// to it: it answers the person's own message.
	Confirmation bool
}

// Send is an outbound message or call already made to an address, as
// [Decide] needs it: for frequency caps and the one opt-out confirmation.
type Send struct {
	// At is when it was sent.
	At time.Time `json:"at"`
	// Channel is how it was sent.
	Channel channel.Kind `json:"channel"`
	// Purpose is what it was for; a message that mixed purposes is
	// recorded as marketing if any of them was.
	Purpose Purpose `json:"purpose"`
	// Rooftop is the dealership location it came from.
	Rooftop dealer.Rooftop `json:"rooftop,omitempty"`
	// Confirmation marks the opt-out confirmation. It is never counted
	// against a frequency cap.
	Confirmation bool `json:"confirmation,omitempty"`
}

// maxReasons is how many reasons a Decision holds.
const maxReasons = 8

// Decision is the answer of [Decide]: allowed or not, why, on which ledger
// event it rests, and when the contact would next be allowed.
//
// A Decision is a comparable value; it keeps its reasons in a fixed array so
// that Decide allocates nothing. It round-trips through JSON, with the
// reasons as a list.
type Decision struct {
	// Allowed reports whether the contact may be made.
	Allowed bool
	// Event is the ledger event the decision rests on: the grant that
	// allows it, the withdrawal that refuses it, the grant whose basis is
	// not enough, or the unknown event that makes it unsafe. Zero when no
	// event decides (no consent recorded; an opt-out rule with no
	// withdrawal).
	Event ID
	// Basis is the legal basis of the grant Event names; zero otherwise.
	Basis Basis
	// Purpose is the purpose whose rules decided: the request's, or of a
	// message serving several, the one that refused it (or marketing, when
	// all allow it).
	Purpose Purpose
	// NextAllowed is the earliest time at or after the request's At when
	// the same contact would be allowed, when that can be known: when quiet
	// hours open in every one of the recipient's zones (right across
	// daylight-saving changes), when the oldest send counted against a cap
	// ages out, or both. It is zero when the contact is allowed, and when
	// no time can be known: a withdrawal, no consent, an expired implied
	// consent or an unknown zone lift only by the person's or the caller's
	// action.
	NextAllowed time.Time
	// Policy is the Name of the policy that decided.
	Policy string
	// Rule names the part of the policy behind the first reason of a
	// refusal by a registry, holiday, quiet hours or a frequency cap: the
	// Name of the [Override] ("us-fl") whose hours, holiday or cap refused
	// (an override's refusal is named before the policy's own rule's, when
	// both refuse), the Registry of the [RegistryRule] ("us_dnc"), or ""
	// for the policy's own rule. It is "" for other decisions.
	Rule string
	// Region is the ISO 3166-2 region whose rule refused ("US-OK"): the
	// request's Region or Regions, or the state of the number's area code,
	// that selected the override or registry rule named by Rule. "" when
	// Rule is not a regional rule.
	Region string

	reasons [maxReasons]Reason
	n       uint8
}

// Reasons returns the decision's reasons, most important first, in a new
// slice. A refused decision has at least one reason that
// [Reason.Refuses]; an allowed one has one that does not ([ReasonGranted],
// [ReasonNotOptedOut] or [ReasonConfirmationAllowed]). To read them without
// allocating, use [Decision.Reason], [Decision.Has] or
// [Decision.AppendReasons].
func (d Decision) Reasons() []Reason { return d.AppendReasons(nil) }

// AppendReasons appends the decision's reasons to dst and returns the
// extended slice.
func (d Decision) AppendReasons(dst []Reason) []Reason { return append(dst, d.reasons[:d.n]...) }

// Reason returns the first, most important reason, or [ReasonUnknown] for
// the zero Decision.
func (d Decision) Reason() Reason { return d.reasons[0] }

// Has reports whether r is one of the decision's reasons.
func (d Decision) Has(r Reason) bool {
	for _, x := range d.reasons[:d.n] {
		if x == r {
			return true
		}
	}
	return false
}

// String describes d for logs: "allowed (granted)", or "refused
// (quiet_hours, frequency_cap) until 2026-03-08T13:00:00Z". It names no
// address.
func (d Decision) String() string {
	var b strings.Builder
	if d.Allowed {
		b.WriteString("allowed (")
	} else {
		b.WriteString("refused (")
	}
	for i, r := range d.reasons[:d.n] {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(string(r))
	}
	b.WriteByte(')')
	if !d.NextAllowed.IsZero() {
		b.WriteString(" until ")
		b.WriteString(d.NextAllowed.Format(time.RFC3339))
	}
	return b.String()
}

// add appends r unless it is there already or the array is full.
func (d *Decision) add(r Reason) {
	if d.Has(r) || int(d.n) == maxReasons {
		return
	}
	d.reasons[d.n] = r
	d.n++
}

type decisionJSON struct {
	Allowed     bool      `json:"allowed"`
	Reasons     []Reason  `json:"reasons,omitempty"`
	Event       ID        `json:"event,omitzero"`
	Basis       Basis     `json:"basis,omitempty"`
	Purpose     Purpose   `json:"purpose,omitempty"`
	NextAllowed time.Time `json:"next_allowed,omitzero"`
	Policy      string    `json:"policy,omitempty"`
	Rule        string    `json:"rule,omitempty"`
	Region      string    `json:"region,omitempty"`
}

// MarshalJSON writes d with its reasons as a list:
// {"allowed":false,"reasons":["quiet_hours"],"next_allowed":"…"}.
func (d Decision) MarshalJSON() ([]byte, error) {
	return json.Marshal(decisionJSON{
		Allowed: d.Allowed, Reasons: d.Reasons(), Event: d.Event, Basis: d.Basis,
		Purpose: d.Purpose, NextAllowed: d.NextAllowed, Policy: d.Policy, Rule: d.Rule, Region: d.Region,
	})
}

// UnmarshalJSON reads the form MarshalJSON writes. Reasons this version
// does not know are kept; more than 8 reasons is an error.
func (d *Decision) UnmarshalJSON(b []byte) error {
	var v decisionJSON
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	if len(v.Reasons) > maxReasons {
		return problem("reasons", ErrInvalid, "more than 8 reasons")
	}
	*d = Decision{Allowed: v.Allowed, Event: v.Event, Basis: v.Basis, Purpose: v.Purpose, NextAllowed: v.NextAllowed,
		Policy: v.Policy, Rule: v.Rule, Region: v.Region}
	for _, r := range v.Reasons {
		d.reasons[d.n] = r
		d.n++
	}
	return nil
}

// Decide says whether the contact r describes may be made under policy p,
// given the consent ledger l of r's address. It is a pure function: it
// reads no clock, does no I/O, allocates nothing, and is safe for
// concurrent use.
//
// l may hold any events: Decide uses those about r.Address's line, in
// CapturedAt order whatever their order in l, so the ledgers of two merged
// customers can be concatenated in either order.
//
// The rules, in order:
//
//  1. The request must name an address, a channel the address supports, a
//     specific purpose and a time ([ReasonInvalidRequest]), and the policy
//     must have a rule for its channel and purpose ([ReasonNoRule]).
//  2. Withdrawals that apply: revocations and do-not-call requests for the
//     address's line that name the request's channel or [AllChannels], or
//     another of the policy's LinkedChannels unless the event is
//     [Event.ChannelOnly]; its purpose or [PurposeAll] (any purpose when
//     the revoke-all rule is on); any rooftop of the same business: every
//     rooftop of the tenant, or of the same [Seller] when the policy has
//     sellers (47 CFR 64.1200(d)). A withdrawal never expires.
//  3. Grants that apply: grants for the line that name the channel or
//     AllChannels, the purpose or PurposeAll, the rooftop or every rooftop,
//     that are in effect at r.At, implied consent also within the policy's
//     windows. Only those after the latest applicable withdrawal count, and
//     only on an express basis: implied consent never outweighs a
//     withdrawal, and a withdrawal and a grant captured at the same instant
//     resolve to the withdrawal (least permissive). Grants captured at or
//     before r.ReassignedAt are void (47 CFR 64.1200(m)).
//  4. An opt-in rule allows the contact on the latest counted grant whose
//     basis it accepts ([ReasonGranted]; under a [Rule].CASL rule an
//     express grant must also record CASL's elements); it refuses with
//     [ReasonCASLElementsMissing] when only such grants lack them, with
//     [ReasonWrittenConsentRequired] or [ReasonExpressConsentRequired] when
//     only grants on other bases count, else with [ReasonDNC] or
//     [ReasonRevoked] when there is a withdrawal, else [ReasonReassigned]
//     when only void grants remain, else [ReasonImpliedConsentExpired]
//     when implied consent lapsed, else [ReasonNoConsent]. An opt-out rule allows unless a withdrawal applies
//     with no express grant after it ([ReasonNotOptedOut] or
//     [ReasonGranted]).
//  5. An event with an action this version does not know, applying as a
//     withdrawal would and at least as recent as the event an allowed
//     decision rests on, refuses it ([ReasonUnknownAction]).
//  6. A refusal by a withdrawal becomes [ReasonConfirmationAllowed] for
//     the one opt-out confirmation (see [Request.Confirmation]), or adds
//     why not ([ReasonConfirmationMarketing], [ReasonConfirmationLate],
//     [ReasonConfirmationUsed]).
//  7. An allowed contact must pass the policy's [RegistryRule]s: a line
//     listed on a registry that restricts the contact is refused
//     ([ReasonRegistryDNC]) unless the grant's basis or an established
//     business relationship exempts it, and a contact the registry
//     restricts needs a scrub no older than its MaxAge
//     ([ReasonRegistryStale]).
//  8. An allowed contact must be inside the rule's hours and those of
//     every applying [Override] (one for each of the request's regions and
//     the area code's state), off each override's holidays, in every zone
//     of r.Zones ([ReasonQuietHours], [ReasonHoliday];
//     [ReasonUnknownZone] when there are none), and within the rule's and
//     overrides' caps ([ReasonFrequencyCap]). NextAllowed, in UTC, says
//     when all will hold; Rule and Region name the override that refused.
//
// A message serving several purposes (r.Also) is decided for each and
// allowed only when all are.
func Decide(p Policy, l Ledger, r Request) Decision {
	if !r.valid() {
		d := Decision{Purpose: r.Purpose, Policy: p.Name}
		d.add(ReasonInvalidRequest)
		return d
	}
	d := decideOne(&p, l, &r, r.Purpose)
	for _, q := range r.Also {
		if q != r.Purpose {
			d = combine(d, decideOne(&p, l, &r, q))
		}
	}
	d.Policy = p.Name
	return d
}

// valid reports whether r can be decided at all.
func (r *Request) valid() bool {
	if r.Address.IsZero() || r.At.IsZero() {
		return false
	}
	if r.Channel == channel.KindUnknown || r.Channel == AllChannels ||
		r.Address.Scheme().Known() && !r.Address.Supports(r.Channel) {
		return false
	}
	if r.Purpose == PurposeUnknown || r.Purpose == PurposeAll {
		return false
	}
	for _, q := range r.Also {
		if q == PurposeUnknown || q == PurposeAll {
			return false
		}
	}
	return true
}

// marketing reports whether the message serves marketing.
func (r *Request) marketing() bool {
	if r.Purpose == PurposeMarketing {
		return true
	}
	for _, q := range r.Also {
		if q == PurposeMarketing {
			return true
		}
	}
	return false
}

// combine merges the decisions for two purposes of one message: allowed
// only when both are.
func combine(a, b Decision) Decision {
	switch {
	case a.Allowed && b.Allowed:
		if b.Purpose == PurposeMarketing {
			return b
		}
		return a
	case a.Allowed:
		return b
	case b.Allowed:
		return a
	}
	for _, r := range b.reasons[:b.n] {
		a.add(r)
	}
	if a.NextAllowed.IsZero() || b.NextAllowed.IsZero() {
		a.NextAllowed = time.Time{}
	} else if b.NextAllowed.After(a.NextAllowed) {
		a.NextAllowed = b.NextAllowed
	}
	return a
}

// found is what a scan of the ledger finds for one purpose of a request:
// indexes into the ledger, -1 for none.
type found struct {
	withdrawal int  // the latest applicable withdrawal
	unknown    int  // the latest applicable event of an unknown action
	accepted   int  // the latest counted grant on a basis the rule accepts
	counted    int  // the latest counted grant
	casl       int  // the latest counted grant the rule refuses only for want of CASL's elements
	reassigned int  // the latest grant voided by the number's reassignment
	expired    bool // an applicable implied grant has lapsed
}

func decideOne(p *Policy, l Ledger, r *Request, q Purpose) Decision {
	d := Decision{Purpose: q}
	rule := p.rule(r.Channel, q)
	if rule == nil {
		d.add(ReasonNoRule)
		return d
	}
	f := scan(p, rule, l, r, q)

	// The consent itself.
	rest := -1 // the event an allowed decision rests on
	switch {
	case f.accepted >= 0 && !rule.OptOut:
		rest = f.accepted
		d.Allowed = true
		d.add(ReasonGranted)
	case rule.OptOut && f.counted >= 0:
		rest = f.counted
		d.Allowed = true
		d.add(ReasonGranted)
	case rule.OptOut && f.withdrawal < 0:
		d.Allowed = true
		d.add(ReasonNotOptedOut)
	case f.casl >= 0: // opt-in: an express grant without CASL's elements
		e := &l[f.casl]
		d.Event, d.Basis = e.ID, e.Basis
		d.add(ReasonCASLElementsMissing)
		return d
	case f.counted >= 0: // opt-in: a grant on a basis the rule does not take
		e := &l[f.counted]
		d.Event, d.Basis = e.ID, e.Basis
		if needsWritten(rule) {
			d.add(ReasonWrittenConsentRequired)
		} else {
			d.add(ReasonExpressConsentRequired)
		}
		return d
	case f.withdrawal >= 0:
		return withdrawn(p, l, r, f.withdrawal, d)
	case f.reassigned >= 0:
		e := &l[f.reassigned]
		d.Event, d.Basis = e.ID, e.Basis
		d.add(ReasonReassigned)
		return d
	case f.expired:
		d.add(ReasonImpliedConsentExpired)
		return d
	default:
		d.add(ReasonNoConsent)
		return d
	}
	if rest >= 0 {
		d.Event, d.Basis = l[rest].ID, l[rest].Basis
	}

	// An event this version cannot read, as recent as the consent.
	if u := f.unknown; u >= 0 && (rest < 0 || !l[u].CapturedAt.Before(l[rest].CapturedAt)) {
		return Decision{Purpose: q, Event: l[u].ID, reasons: [maxReasons]Reason{ReasonUnknownAction}, n: 1}
	}

	// Registries: a telemarketing call to a listed line.
	if why, i, region := registryCheck(p, l, r, q, rest); why != ReasonUnknown {
		return Decision{Purpose: q, Event: d.Event, Basis: d.Basis, Rule: string(p.Registries[i].Registry), Region: region,
			reasons: [maxReasons]Reason{why}, n: 1}
	}

	// When, and how often.
	var buf [8]hoursSet
	sets := buf[:0]
	if len(rule.Hours) > 0 {
		sets = append(sets, hoursSet{ws: rule.Hours, o: -1})
	}
	var capAt time.Time
	capped, capBy, capRegion := false, -1, ""
	if next, over := capNext(rule.Cap, rule.Channels, rule.Purposes, r); over {
		capped, capAt = true, maxTime(capAt, next)
	}
	ac := areaCode(r.Address)
	for i := range p.Overrides {
		o := &p.Overrides[i]
		region, ok := o.applies(r, q, ac)
		if !ok {
			continue
		}
		if len(o.Hours) > 0 || len(o.Holidays) > 0 {
			sets = append(sets, hoursSet{ws: o.Hours, hs: o.Holidays, o: i, region: region})
		}
		if next, over := capNext(o.Cap, o.Channels, o.Purposes, r); over {
			if !capped || capBy < 0 || next.After(capAt) {
				capBy, capRegion = i, region
			}
			capped, capAt = true, maxTime(capAt, next)
		}
	}
	zones := 0
	for _, z := range r.Zones {
		if z != nil {
			zones++
		}
	}
	unknownZone := len(sets) > 0 && zones == 0
	closed, holiday := -1, false
	if !unknownZone {
		closed, holiday = closedAt(sets, r.Zones, r.At)
	}
	if !unknownZone && closed < 0 && !capped {
		return d
	}
	d.Allowed = false
	d.n = 0
	d.reasons = [maxReasons]Reason{}
	switch {
	case unknownZone:
		d.add(ReasonUnknownZone)
	case closed >= 0:
		if holiday {
			d.add(ReasonHoliday)
		} else {
			d.add(ReasonQuietHours)
		}
		if o := sets[closed].o; o >= 0 {
			d.Rule, d.Region = p.Overrides[o].Name, sets[closed].region
		}
	}
	if capped {
		d.add(ReasonFrequencyCap)
		if d.n == 1 && capBy >= 0 {
			d.Rule, d.Region = p.Overrides[capBy].Name, capRegion
		}
	}
	if !unknownZone {
		from := r.At
		if capped && capAt.After(from) {
			from = capAt
		}
		d.NextAllowed = nextOpen(sets, r.Zones, from)
		if !d.NextAllowed.IsZero() {
			d.NextAllowed = d.NextAllowed.UTC()
		}
	}
	return d
}

// withdrawn finishes a decision refused by withdrawal w, including the
// one opt-out confirmation.
func withdrawn(p *Policy, l Ledger, r *Request, w int, d Decision) Decision {
	e := &l[w]
	d.Event = e.ID
	if e.Action == ActionDNCRequest && (p.DNCYears == 0 || r.At.Before(e.CapturedAt.AddDate(p.DNCYears, 0, 0))) {
		d.add(ReasonDNC)
	} else {
		d.add(ReasonRevoked)
	}
	if !r.Confirmation {
		return d
	}
	since := r.At.Sub(e.CapturedAt)
	switch {
	case r.marketing():
		d.add(ReasonConfirmationMarketing)
	case p.ConfirmationWindow <= 0 || since < 0 || since > p.ConfirmationWindow:
		d.add(ReasonConfirmationLate)
	case confirmed(r.Recent, e.CapturedAt):
		d.add(ReasonConfirmationUsed)
	default:
		return Decision{Allowed: true, Purpose: d.Purpose, Event: e.ID,
			reasons: [maxReasons]Reason{ReasonConfirmationAllowed}, n: 1}
	}
	return d
}

// confirmed reports whether a confirmation was sent at or after since.
func confirmed(sends []Send, since time.Time) bool {
	for i := range sends {
		if sends[i].Confirmation && !sends[i].At.Before(since) {
			return true
		}
	}
	return false
}

// needsWritten reports whether the only express basis the rule takes is
// express written consent: the TCPA marketing rule.
func needsWritten(rule *Rule) bool {
	written := false
	for _, b := range rule.Bases {
		switch {
		case b == BasisExpressWritten:
			written = true
		case b.Express():
			return false
		}
	}
	return written
}

// accepts reports whether the rule takes a grant on basis b.
func (rule *Rule) accepts(b Basis) bool {
	if len(rule.Bases) == 0 {
		return true
	}
	for _, c := range rule.Bases {
		if c == b {
			return true
		}
	}
	return false
}

// scan finds the events of l that decide purpose q of request r.
func scan(p *Policy, rule *Rule, l Ledger, r *Request, q Purpose) found {
	f := found{withdrawal: -1, unknown: -1, accepted: -1, counted: -1, casl: -1, reassigned: -1}
	line := r.Address.Line()
	revokeAll := p.revokeAllAt(r.At)

	// Withdrawals, and events this version cannot read.
	for i := range l {
		e := &l[i]
		known := e.Action.Known()
		if known && !e.Action.Withdraws() || !onLine(e.Subject.Address, line) {
			continue
		}
		if s := start(e); s.IsZero() || s.After(r.At) || !p.withdrawalApplies(e, r, q, revokeAll) {
			continue
		}
		if !known {
			f.unknown = latestOf(l, f.unknown, i)
			continue
		}
		if f.withdrawal < 0 {
			f.withdrawal = i
			continue
		}
		cur := &l[f.withdrawal]
		switch {
		case e.CapturedAt.After(cur.CapturedAt),
			e.CapturedAt.Equal(cur.CapturedAt) && (e.Action == ActionDNCRequest || cur.Action != ActionDNCRequest):
			f.withdrawal = i
		}
	}

	// Grants.
	for i := range l {
		e := &l[i]
		if e.Action != ActionGrant || !onLine(e.Subject.Address, line) || !grantApplies(e, r, q) {
			continue
		}
		s := start(e)
		if s.IsZero() || s.After(r.At) {
			continue
		}
		if end := p.grantEnd(e); !end.IsZero() && !r.At.Before(end) {
			if e.Basis.Implied() {
				f.expired = true
			}
			continue
		}
		if f.withdrawal >= 0 && (!e.Basis.Express() || !e.CapturedAt.After(l[f.withdrawal].CapturedAt)) {
			continue
		}
		if !r.ReassignedAt.IsZero() && !e.CapturedAt.After(r.ReassignedAt) {
			f.reassigned = latestOf(l, f.reassigned, i)
			continue
		}
		f.counted = latestOf(l, f.counted, i)
		switch {
		case !rule.accepts(e.Basis):
		case rule.CASL && e.Basis.Express() && !e.Evidence.CASL.Complete():
			f.casl = latestOf(l, f.casl, i)
		default:
			f.accepted = latestOf(l, f.accepted, i)
		}
	}
	return f
}

// onLine reports whether address a is on line (an address without a
// telephone extension): a.Line() == line, without computing a.Line().
func onLine(a, line channel.Address) bool {
	s, l := a.String(), line.String()
	if s == l {
		return true
	}
	return len(s) > len(l)+5 && s[:len(l)] == l && s[len(l):len(l)+5] == ";ext=" && line.Scheme() == channel.SchemeTel
}

// latestOf returns i when event i is at least as late as event cur (or cur
// is -1), and cur otherwise. Called in increasing i, ties go to the later.
func latestOf(l Ledger, cur, i int) int {
	if cur < 0 || !l[i].CapturedAt.Before(l[cur].CapturedAt) {
		return i
	}
	return cur
}

// withdrawalApplies reports whether withdrawal (or unknown event) e applies
// to purpose q of request r.
func (p *Policy) withdrawalApplies(e *Event, r *Request, q Purpose, revokeAll bool) bool {
	if !p.sameSeller(e.Rooftop, r.Rooftop) {
		return false
	}
	if e.Purpose != q && e.Purpose != PurposeAll && !revokeAll {
		return false
	}
	return e.Channel == r.Channel || e.Channel == AllChannels ||
		!e.ChannelOnly && p.linked(e.Channel) && p.linked(r.Channel)
}

// grantApplies reports whether grant e applies to purpose q of request r.
func grantApplies(e *Event, r *Request, q Purpose) bool {
	return (e.Channel == r.Channel || e.Channel == AllChannels) &&
		(e.Purpose == q || e.Purpose == PurposeAll) &&
		(e.Rooftop == r.Rooftop || e.Rooftop == "")
}

// grantEnd returns when grant e stops counting under p: its EffectiveTo,
// or earlier for implied consent past the policy's window; zero for never.
func (p *Policy) grantEnd(e *Event) time.Time {
	end := e.EffectiveTo
	months := 0
	switch e.Basis {
	case BasisImpliedPurchase:
		months = p.ImpliedPurchaseMonths
	case BasisImpliedInquiry:
		months = p.ImpliedInquiryMonths
	}
	if months > 0 {
		if w := start(e).AddDate(0, months, 0); end.IsZero() || w.Before(end) {
			end = w
		}
	}
	return end
}

// capNext counts the sends in r.Recent that cap c limits (those on chans
// for purposes, within c.Per before r.At). When the cap is reached it
// returns true and the time the oldest send that keeps it reached ages out.
func capNext(c Cap, chans []channel.Kind, purposes []Purpose, r *Request) (time.Time, bool) {
	if c.Max <= 0 || c.Per <= 0 {
		return time.Time{}, false
	}
	from := r.At.Add(-c.Per)
	counts := func(s *Send) bool {
		return !s.Confirmation && s.At.After(from) && !s.At.After(r.At) &&
			matchKind(chans, s.Channel) && matchPurpose(purposes, s.Purpose) &&
			(!c.SameRooftop || s.Rooftop == r.Rooftop)
	}
	n := 0
	for i := range r.Recent {
		if counts(&r.Recent[i]) {
			n++
		}
	}
	if n < c.Max {
		return time.Time{}, false
	}
	// The k-th oldest counted send must age out for the count to drop
	// below Max.
	k := n - c.Max + 1
	for i := range r.Recent {
		s := &r.Recent[i]
		if !counts(s) {
			continue
		}
		before, upTo := 0, 0
		for j := range r.Recent {
			o := &r.Recent[j]
			if !counts(o) {
				continue
			}
			if o.At.Before(s.At) {
				before++
			}
			if !o.At.After(s.At) {
				upTo++
			}
		}
		if before < k && k <= upTo {
			return s.At.Add(c.Per), true
		}
	}
	return r.At, true // not reached: some send is the k-th oldest
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
