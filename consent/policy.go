package consent

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/dealer"
)

// Policy is the set of rules [Decide] applies: what consent each channel
// and purpose needs, when contact may be made, how often, and how
// withdrawals are scoped. A Policy is plain data: it round-trips through
// JSON, so a tenant can keep its own, and the presets ([US], [Canada]) are
// functions that return a new value on every call, which the caller may
// change freely.
//
// The zero Policy has no rules, so Decide refuses every contact under it
// with [ReasonNoRule]; every other zero field is the safe choice (no
// confirmation after an opt-out, revocation requests in natural language
// treated as opt-outs, do-not-call requests reported as such forever).
//
// A Policy is read, never changed, by Decide: it is safe for concurrent use
// as long as nobody modifies it.
type Policy struct {
	// Name identifies the policy in decisions ("us", "ca", or a tenant's
	// own name); Decision.Policy repeats it.
	Name string `json:"name,omitempty"`
	// Rules say what consent a contact needs, per channel and purpose, and
	// when and how often it may be made. Decide applies the first rule that
	// matches the request's channel and purpose; when none does, it refuses
	// with [ReasonNoRule].
	Rules []Rule `json:"rules,omitempty"`
	// Overrides add restrictions for some recipients: a state's own calling
	// hours and frequency caps (Florida's FTSA). Every override that
	// applies adds to the rule; none loosens it.
	Overrides []Override `json:"overrides,omitempty"`
	// LinkedChannels are channels a withdrawal spans: a revocation or
	// do-not-call request for one of them withdraws consent for all of
	// them, unless the event is [Event.ChannelOnly]. The US preset links
	// sms, voice and video (FCC 24-24: revoking consent for calls revokes
	// it for texts, and the reverse, unless the consumer says otherwise).
	// Grants are never linked: consent to texts is not consent to calls.
	LinkedChannels []channel.Kind `json:"linked_channels,omitempty"`
	// RevokeAll makes every withdrawal cover every purpose: a STOP in reply
	// to a marketing text also stops service reminders. It is the FCC's
	// "revoke-all" rule (47 CFR 64.1200(a)(10), FCC 24-24), whose effective
	// date the FCC has waived to 31 January 2027 (order DA-26-12); it may
	// still change. It applies to every withdrawal in the ledger, whenever
	// it was made, from the moment it is on.
	RevokeAll bool `json:"revoke_all,omitempty"`
	// RevokeAllFrom turns RevokeAll on for decisions at or after this
	// instant; zero means not by date. The US preset sets it to the FCC's
	// date, 31 January 2027 (midnight Eastern).
	RevokeAllFrom time.Time `json:"revoke_all_from,omitzero"`
	// DNCYears is how long a do-not-call request is reported as
	// [ReasonDNC], counted from its CapturedAt: 5 in the US preset (47 CFR
	// 64.1200(d)(6) requires honoring it for 5 years). Past it, the request
	// still withdraws the consent given before it, so contact stays
	// refused, reported as [ReasonRevoked], until the person grants again:
	// rapport never lets a withdrawal lapse. Zero means reported as dnc
	// forever.
	DNCYears int `json:"dnc_years,omitempty"`
	// ImpliedPurchaseMonths caps how long implied consent from a purchase
	// ([BasisImpliedPurchase]) lasts, counted from the event's start
	// ([Event.Start]: the transaction date when EffectiveFrom is set,
	// else CapturedAt); the event's own EffectiveTo still applies when it
	// is earlier. CASL: 24 months; TCPA established business relationship:
	// 18. Zero means no cap beyond the event's EffectiveTo.
	ImpliedPurchaseMonths int `json:"implied_purchase_months,omitempty"`
	// ImpliedInquiryMonths is the same for [BasisImpliedInquiry]. CASL: 6
	// months; TCPA: 3.
	ImpliedInquiryMonths int `json:"implied_inquiry_months,omitempty"`
	// ConfirmationWindow is how long after a withdrawal the one
	// non-marketing confirmation may still be sent (47 CFR
	// 64.1200(a)(12): one confirmation text, presumed within the original
	// consent when sent within 5 minutes). Zero means no confirmation is
	// allowed. See [Request.Confirmation].
	ConfirmationWindow time.Duration `json:"confirmation_window_ns,omitempty"`
	// ReviewRevocationRequests, when true, means a revocation in natural
	// language ([SignalRevocationRequest]: "please stop texting me") is not
	// an opt-out by itself: staff review it. The zero value treats it as an
	// opt-out, as the FCC's reasonable-means rule presumes; see
	// [Policy.OptsOut].
	ReviewRevocationRequests bool `json:"review_revocation_requests,omitempty"`
	// Registries are the do-not-call registries the policy honours
	// (the US National DNC Registry, Canada's National DNCL, state lists):
	// which contacts each restricts, what exempts them, and how fresh the
	// caller's scrub must be. See [RegistryRule] and [Request].Registries.
	// None means the policy honours no registry (the presets honour their
	// country's).
	Registries []RegistryRule `json:"registries,omitempty"`
	// Sellers groups the tenant's rooftops into the legal entities that
	// operate them. A withdrawal (a revocation or do-not-call request)
	// recorded at one rooftop binds every rooftop of the tenant when
	// Sellers is empty (47 CFR 64.1200(d): a do-not-call request binds the
	// business, not the store that took it), and every rooftop of the
	// same seller otherwise; rooftops no seller names belong together to
	// the tenant. A withdrawal that names no rooftop binds every rooftop.
	// Grants are not widened: consent to one rooftop is not consent to
	// another.
	Sellers []Seller `json:"sellers,omitempty"`
	// FallbackZones are IANA time zone names for a recipient whose zone is
	// unknown: every zone the policy's recipients may be in, so that a send
	// allowed in all of them is allowed wherever the recipient is. Decide
	// does not read them (loading a zone reads the time zone database);
	// the caller loads them and passes them as Request.Zones when it has
	// nothing better.
	FallbackZones []string `json:"fallback_zones,omitempty"`
	// HelpReply is the text to answer HELP with: the dealership's name and
	// how to reach it, and how to opt out (CTIA; carriers require HELP on
	// every program). Decide does not read it.
	HelpReply string `json:"help_reply,omitempty"`
}

// Rule says what a contact on some channels, for some purposes, needs.
type Rule struct {
	// Channels the rule applies to; empty means every channel.
	Channels []channel.Kind `json:"channels,omitempty"`
	// Purposes the rule applies to; empty means every purpose.
	Purposes []Purpose `json:"purposes,omitempty"`
	// OptOut, when true, allows contact until the person withdraws
	// (CAN-SPAM commercial email). The zero value needs a grant in effect
	// on one of Bases.
	OptOut bool `json:"opt_out,omitempty"`
	// Bases are the legal bases a grant must rest on; empty means any
	// grant, implied consent included. Ignored when OptOut is set.
	Bases []Basis `json:"bases,omitempty"`
	// Hours are the weekly windows contact may be made in, read in each of
	// the recipient's possible time zones; empty means any time.
	Hours []channel.Window `json:"hours,omitempty"`
	// Cap limits how many messages of this rule's channels and purposes an
	// address may receive in a period; the zero Cap means no limit.
	Cap Cap `json:"cap,omitzero"`
	// CASL, when true, accepts an express grant only when its evidence
	// shows the request for consent stated what CASL requires
	// ([CASLDisclosure]: the purposes, who sought consent, their contact
	// information, and that consent can be withdrawn; CASL s. 10(1), CRTC
	// Compliance and Enforcement Information Bulletin 2012-548). A US
	// written consent without them is not CASL express consent
	// ([ReasonCASLElementsMissing]). Implied consent needs no request.
	CASL bool `json:"casl,omitempty"`
}

// Cap is a frequency cap: at most Max sends in any period of length Per.
// The zero Cap means no limit.
type Cap struct {
	// Max is the number of sends allowed in the period; 0 means no cap.
	Max int `json:"max,omitempty"`
	// Per is the length of the sliding period (in JSON, nanoseconds). A send
	// counts until exactly Per after it.
	Per time.Duration `json:"per_ns,omitempty"`
	// SameRooftop counts only sends from the request's rooftop; the zero
	// value counts every rooftop's sends (Florida's cap counts calls "from
	// any number").
	SameRooftop bool `json:"same_rooftop,omitempty"`
}

// IsZero reports whether c is the zero Cap.
func (c Cap) IsZero() bool { return c == Cap{} }

// Override adds restrictions for recipients in some place: a state's own
// calling hours, holidays and frequency cap. It applies to a request when
// its channel and purpose match and either one of the request's regions
// (Region or Regions) is one of Regions, or the address is a North
// American (+1) number whose area code is one of AreaCodes. Its Hours and
// Holidays are enforced together with the rule's (all must allow the time)
// and its Cap together with the rule's: an override only ever adds
// restrictions, so when several apply (the area code's state and the
// mailing address's state) the strictest wins.
type Override struct {
	// Name identifies the override ("us-fl").
	Name string `json:"name,omitempty"`
	// Regions are ISO 3166-2 subdivision codes ("US-FL"), compared without
	// regard to case.
	Regions []string `json:"regions,omitempty"`
	// AreaCodes are three-digit North American area codes ("305"). A state
	// law that presumes a resident from an area code (Florida's FTSA) lists
	// them here.
	AreaCodes []string `json:"area_codes,omitempty"`
	// Channels the override applies to; empty means every channel.
	Channels []channel.Kind `json:"channels,omitempty"`
	// Purposes the override applies to; empty means every purpose.
	Purposes []Purpose `json:"purposes,omitempty"`
	// Hours are the weekly windows the override allows; empty adds none.
	Hours []channel.Window `json:"hours,omitempty"`
	// Cap is the override's own frequency cap; zero adds none.
	Cap Cap `json:"cap,omitzero"`
	// Holidays are days on which the override allows no contact at all,
	// in the recipient's local calendar (a state that bans solicitation on
	// legal holidays). A Sunday ban is written as Hours with no Sunday
	// window.
	Holidays []Holiday `json:"holidays,omitempty"`
	// Source cites the law the override applies ("Fla. Stat.
	// 501.616(6)"), for audits; Decide does not read it.
	Source string `json:"source,omitempty"`
}

// Policies holds a tenant's policies: one for every rooftop unless a rooftop
// has its own. The zero Policies refuses everything (its Default is the zero
// Policy). A rapport.Book keeps one Policies value for its tenant.
type Policies struct {
	// Default applies to every rooftop not in Rooftops, and to contact that
	// names no rooftop.
	Default Policy `json:"default"`
	// Rooftops holds the policies of rooftops that differ from Default (a
	// store in Quebec in a group based in Ontario).
	Rooftops map[dealer.Rooftop]Policy `json:"rooftops,omitempty"`
}

// For returns the policy of rooftop r: its own, or Default. It allocates
// nothing.
func (ps Policies) For(r dealer.Rooftop) Policy {
	if p, ok := ps.Rooftops[r]; ok && r != "" {
		return p
	}
	return ps.Default
}

// OptsOut reports whether an inbound signal withdraws consent under p: an
// opt-out keyword always does; a revocation in natural language does unless
// p.ReviewRevocationRequests is set, in which case staff decide; a
// restriction ([SignalReview]) never does.
func (p Policy) OptsOut(s Signal) bool {
	switch s {
	case SignalOptOut:
		return true
	case SignalRevocationRequest:
		return !p.ReviewRevocationRequests
	}
	return false
}

// revokeAllAt reports whether the revoke-all rule is on at time at.
func (p *Policy) revokeAllAt(at time.Time) bool {
	return p.RevokeAll || !p.RevokeAllFrom.IsZero() && !at.Before(p.RevokeAllFrom)
}

// rule returns the first rule matching channel k and purpose q, or nil.
func (p *Policy) rule(k channel.Kind, q Purpose) *Rule {
	for i := range p.Rules {
		r := &p.Rules[i]
		if matchKind(r.Channels, k) && matchPurpose(r.Purposes, q) {
			return r
		}
	}
	return nil
}

// linked reports whether k is one of the policy's linked channels.
func (p *Policy) linked(k channel.Kind) bool {
	for _, c := range p.LinkedChannels {
		if c == k {
			return true
		}
	}
	return false
}

func matchKind(list []channel.Kind, k channel.Kind) bool {
	if len(list) == 0 {
		return true
	}
	for _, c := range list {
		if c == k {
			return true
		}
	}
	return false
}

func matchPurpose(list []Purpose, q Purpose) bool {
	if len(list) == 0 {
		return true
	}
	for _, c := range list {
		if c == q {
			return true
		}
	}
	return false
}

// applies reports whether o applies to request r for purpose q, and for
// which region. ac is the area code of r.Address ("" for none).
func (o *Override) applies(r *Request, q Purpose, ac string) (string, bool) {
	if !matchKind(o.Channels, r.Channel) || !matchPurpose(o.Purposes, q) {
		return "", false
	}
	return r.inPlace(o.Regions, o.AreaCodes, ac)
}

// inPlace reports whether the request points at one of regions (through
// Region or Regions) or its area code ac is one of areaCodes, and returns
// the region matched: the request's, or for an area code the first of
// regions.
func (r *Request) inPlace(regions, areaCodes []string, ac string) (string, bool) {
	for _, g := range regions {
		if r.Region != "" && len(g) == len(r.Region) && strings.EqualFold(g, r.Region) {
			return g, true
		}
		for _, x := range r.Regions {
			if len(g) == len(x) && strings.EqualFold(g, x) {
				return g, true
			}
		}
	}
	if len(ac) == 3 {
		for _, c := range areaCodes {
			if len(c) == 3 && c[2] == ac[2] && c[1] == ac[1] && c[0] == ac[0] {
				if len(regions) > 0 {
					return regions[0], true
				}
				return "", true
			}
		}
	}
	return "", false
}

// areaCode returns the area code of a +1 tel: or whatsapp: address, or "".
// It allocates nothing.
func areaCode(a channel.Address) string {
	switch a.Scheme() {
	case channel.SchemeTel, channel.SchemeWhatsApp:
	default:
		return ""
	}
	p := a.Path()
	if len(p) < 12 || p[0] != '+' || p[1] != '1' {
		return ""
	}
	return p[2:5]
}

// Validate reports every problem with p as the errors.Join of
// *ValidationError values: rules or overrides naming an empty channel or
// purpose, malformed windows, a cap without a period, an override that
// names no region or area code, a malformed area code, and negative counts
// or durations. It does not load FallbackZones (that reads the time zone
// database); it only checks they are not empty. It returns nil when p is
// usable.
func (p Policy) Validate() error {
	var errs []error
	add := func(field string, sentinel error, why string) { errs = append(errs, problem(field, sentinel, why)) }
	for i, r := range p.Rules {
		f := fmt.Sprintf("rules[%d]", i)
		checkScope(add, f, r.Channels, r.Purposes)
		for j, b := range r.Bases {
			if b == "" || !isToken(string(b), maxTokenLen) {
				add(fmt.Sprintf("%s.bases[%d]", f, j), ErrInvalid, "not a basis")
			}
		}
		checkHours(add, f+".hours", r.Hours)
		checkCap(add, f+".cap", r.Cap)
	}
	for i, o := range p.Overrides {
		f := fmt.Sprintf("overrides[%d]", i)
		if len(o.Regions) == 0 && len(o.AreaCodes) == 0 {
			add(f+".regions", ErrMissing, "an override names regions or area codes")
		}
		for j, g := range o.Regions {
			if !isRegion(g) {
				add(fmt.Sprintf("%s.regions[%d]", f, j), ErrInvalid, "not an ISO 3166-2 code")
			}
		}
		for j, c := range o.AreaCodes {
			if len(c) != 3 || !isDigits(c) {
				add(fmt.Sprintf("%s.area_codes[%d]", f, j), ErrInvalid, "not three digits")
			}
		}
		checkScope(add, f, o.Channels, o.Purposes)
		checkHours(add, f+".hours", o.Hours)
		checkCap(add, f+".cap", o.Cap)
		for j, h := range o.Holidays {
			h.validate(add, fmt.Sprintf("%s.holidays[%d]", f, j))
		}
	}
	for i, g := range p.Registries {
		f := fmt.Sprintf("registries[%d]", i)
		if g.Registry == "" || !isToken(string(g.Registry), maxTokenLen) {
			add(f+".registry", ErrInvalid, "not a registry name")
		}
		checkScope(add, f, g.Channels, g.Purposes)
		for j, x := range g.Regions {
			if !isRegion(x) {
				add(fmt.Sprintf("%s.regions[%d]", f, j), ErrInvalid, "not an ISO 3166-2 code")
			}
		}
		for j, c := range g.AreaCodes {
			if len(c) != 3 || !isDigits(c) {
				add(fmt.Sprintf("%s.area_codes[%d]", f, j), ErrInvalid, "not three digits")
			}
		}
		for j, b := range g.Exempt {
			if b == "" || !isToken(string(b), maxTokenLen) {
				add(fmt.Sprintf("%s.exempt[%d]", f, j), ErrInvalid, "not a basis")
			}
		}
		if g.PurchaseMonths < 0 {
			add(f+".purchase_months", ErrInvalid, "negative")
		}
		if g.InquiryMonths < 0 {
			add(f+".inquiry_months", ErrInvalid, "negative")
		}
		if g.MaxAge < 0 {
			add(f+".max_age_ns", ErrInvalid, "negative")
		}
	}
	seen := map[dealer.Rooftop]bool{}
	for i, sl := range p.Sellers {
		f := fmt.Sprintf("sellers[%d]", i)
		if strings.TrimSpace(sl.Name) == "" {
			add(f+".name", ErrMissing, "")
		}
		for j, r := range sl.Rooftops {
			switch {
			case r == "":
				add(fmt.Sprintf("%s.rooftops[%d]", f, j), ErrMissing, "")
			case seen[r]:
				add(fmt.Sprintf("%s.rooftops[%d]", f, j), ErrInvalid, "a rooftop belongs to one seller")
			}
			seen[r] = true
		}
	}
	for i, k := range p.LinkedChannels {
		if k == "" || k == AllChannels || !isToken(string(k), maxTokenLen) {
			add(fmt.Sprintf("linked_channels[%d]", i), ErrInvalid, "not a channel")
		}
	}
	if p.DNCYears < 0 {
		add("dnc_years", ErrInvalid, "negative")
	}
	if p.ImpliedPurchaseMonths < 0 {
		add("implied_purchase_months", ErrInvalid, "negative")
	}
	if p.ImpliedInquiryMonths < 0 {
		add("implied_inquiry_months", ErrInvalid, "negative")
	}
	if p.ConfirmationWindow < 0 {
		add("confirmation_window_ns", ErrInvalid, "negative")
	}
	for i, z := range p.FallbackZones {
		if strings.TrimSpace(z) == "" {
			add(fmt.Sprintf("fallback_zones[%d]", i), ErrMissing, "")
		}
	}
	return errors.Join(errs...)
}

func checkScope(add func(string, error, string), f string, ks []channel.Kind, ps []Purpose) {
	for j, k := range ks {
		if k == "" || k == AllChannels || !isToken(string(k), maxTokenLen) {
			add(fmt.Sprintf("%s.channels[%d]", f, j), ErrInvalid, "not a channel (leave the list empty for every channel)")
		}
	}
	for j, q := range ps {
		if q == "" || q == PurposeAll || !isToken(string(q), maxTokenLen) {
			add(fmt.Sprintf("%s.purposes[%d]", f, j), ErrInvalid, "not a purpose (leave the list empty for every purpose)")
		}
	}
}

func checkHours(add func(string, error, string), f string, ws []channel.Window) {
	for j, w := range ws {
		if w.Day < time.Sunday || w.Day > time.Saturday ||
			w.Start < 0 || w.Start >= 24*60 || w.End < 0 || w.End >= 24*60 {
			add(fmt.Sprintf("%s[%d]", f, j), ErrInvalid, "not a weekly window")
		}
	}
}

func checkCap(add func(string, error, string), f string, c Cap) {
	switch {
	case c.Max < 0:
		add(f+".max", ErrInvalid, "negative")
	case c.Max > 0 && c.Per <= 0:
		add(f+".per_ns", ErrInvalid, "a cap needs a period")
	}
}

func isDigits[T ~string | ~[]byte](s T) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return len(s) > 0
}

// isRegion reports whether s looks like an ISO 3166-2 code: two letters, a
// hyphen, and one to three letters or digits.
func isRegion(s string) bool {
	if len(s) < 4 || len(s) > 6 || s[2] != '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if i == 2 {
			continue
		}
		letter := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
		if i < 2 && !letter || i > 2 && !letter && !('0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

// Presets. Each is a function returning a new value: nothing here is shared
// or mutable.

// telephone is the channels the TCPA calls "calls": texts, voice and video
// calls to a telephone number.
func telephone() []channel.Kind {
	return []channel.Kind{channel.KindSMS, channel.KindVoice, channel.KindVideo}
}

// expressBases are the bases that are prior express consent or better.
func expressBases() []Basis {
	return []Basis{BasisExpressWritten, BasisExpress, BasisCASLExpress, BasisGDPRConsent}
}

// FloridaAreaCodes returns Florida's area codes. The Florida Telephone
// Solicitation Act presumes a number with a Florida area code belongs to a
// Florida resident (the research cites secondary sources for the
// presumption, no section). The list is a new slice.
func FloridaAreaCodes() []string {
	return []string{"239", "305", "321", "324", "352", "386", "407", "448", "561", "645", "656",
		"689", "727", "728", "754", "772", "786", "813", "850", "863", "904", "941", "954"}
}

// Florida returns the Florida Telephone Solicitation Act override (Fla.
// Stat. 501.616(6)): marketing calls and texts only from 8 a.m. to 8 p.m.
// in the recipient's time, and at most 3 in 24 hours to the same number
// (the law counts them per subject matter; rapport counts every marketing
// message, which is stricter). It applies when one of the request's
// regions is US-FL or the number has a Florida area code.
func Florida() Override {
	return Override{
		Name:      "us-fl",
		Regions:   []string{"US-FL"},
		AreaCodes: FloridaAreaCodes(),
		Channels:  telephone(),
		Purposes:  []Purpose{PurposeMarketing},
		Hours:     channel.Every(channel.Clock(8, 0), channel.Clock(20, 0)),
		Cap:       threePerDay(),
		Source:    "Fla. Stat. 501.616(6)",
	}
}

// CANSPAM returns the CAN-SPAM Act rule for email (15 U.S.C. 7704): no
// consent is needed before sending commercial email, but an opt-out must be
// honored. rapport honors it at once (the law's 10 business days is a
// ceiling). Transactional and relationship email, which the Act exempts,
// falls under the same rule: allowed until the person withdraws for that
// purpose.
func CANSPAM() Rule {
	return Rule{Channels: []channel.Kind{channel.KindEmail}, OptOut: true}
}

// USFallbackZones returns the time zones of the US states and Puerto Rico,
// east to west, for a recipient whose zone is unknown. Allowed in all of
// them, 08:00–21:00 is 14:00–21:00 in Puerto Rico (13:00–20:00 Eastern
// standard time).
func USFallbackZones() []string {
	return []string{"America/Puerto_Rico", "America/New_York", "America/Chicago", "America/Denver",
		"America/Phoenix", "America/Los_Angeles", "America/Anchorage", "Pacific/Honolulu"}
}

// US returns the United States policy (TCPA, FCC rules, CAN-SPAM, the
// National Do Not Call Registry and the state overrides):
//
//   - Texts and calls (sms, voice, video) for marketing need prior express
//     written consent (47 CFR 64.1200(f)(9)) and are allowed only from
//     08:00 to 21:00 in the recipient's time (64.1200(c)(1), applied to
//     every marketing message whatever the relationship). Purposes this
//     version does not know are treated as marketing.
//   - Texts and calls for service need prior express consent: any express
//     basis ([BasisExpress] covers a number given in the transaction).
//     Implied consent (an established business relationship) is not
//     enough. Service messages have no quiet hours: a recall notice or
//     "your car is ready" may go out when needed; a tenant can add hours.
//   - Surveys need prior express consent and keep marketing's hours.
//   - Email follows [CANSPAM]: allowed until an opt-out.
//   - Postal mail is allowed until an opt-out.
//   - Other channels (WhatsApp, Messenger, Instagram, web chat) need a
//     grant: any grant for service, an express one for anything else,
//     which keeps marketing's hours.
//   - [StateOverrides] add the states' own hours, caps, Sunday and holiday
//     bans ([Florida]: 08:00–20:00 and 3 marketing messages in 24 hours;
//     the table in the package documentation lists them all).
//   - [USDNC]: a marketing call to a number on the National Do Not Call
//     Registry needs written consent or an established business
//     relationship, and a scrub no more than 31 days old.
//   - A withdrawal for texts withdraws calls and the reverse
//     (LinkedChannels); the revoke-all rule turns on 31 January 2027.
//   - Do-not-call requests are reported as such for 5 years and never
//     lapse; implied consent lasts at most 18 months after a purchase and
//     3 after an inquiry (64.1200(f)(5)); one confirmation may follow an
//     opt-out within 5 minutes (64.1200(a)(12)); revocations in natural
//     language are opt-outs.
func US() Policy {
	day := func() []channel.Window { return channel.Every(channel.Clock(8, 0), channel.Clock(21, 0)) }
	return Policy{
		Name: "us",
		Rules: []Rule{
			{Channels: telephone(), Purposes: []Purpose{PurposeMarketing}, Bases: []Basis{BasisExpressWritten}, Hours: day()},
			{Channels: telephone(), Purposes: []Purpose{PurposeService}, Bases: expressBases()},
			{Channels: telephone(), Purposes: []Purpose{PurposeSurvey}, Bases: expressBases(), Hours: day()},
			{Channels: telephone(), Bases: []Basis{BasisExpressWritten}, Hours: day()},
			CANSPAM(),
			{Channels: []channel.Kind{channel.KindPost}, OptOut: true},
			{Purposes: []Purpose{PurposeService}},
			{Bases: expressBases(), Hours: day()},
		},
		Overrides:             StateOverrides(),
		Registries:            []RegistryRule{USDNC()},
		LinkedChannels:        telephone(),
		RevokeAllFrom:         time.Date(2027, time.January, 31, 5, 0, 0, 0, time.UTC),
		DNCYears:              5,
		ImpliedPurchaseMonths: 18,
		ImpliedInquiryMonths:  3,
		ConfirmationWindow:    5 * time.Minute,
		FallbackZones:         USFallbackZones(),
	}
}

// CanadaFallbackZones returns the time zones of the Canadian provinces and
// territories, east to west, for a recipient whose zone is unknown.
func CanadaFallbackZones() []string {
	return []string{"America/St_Johns", "America/Halifax", "America/Toronto", "America/Winnipeg",
		"America/Regina", "America/Edmonton", "America/Vancouver", "America/Whitehorse"}
}

// Canada returns the Canadian policy (CASL for email and texts; the CRTC's
// Unsolicited Telecommunications Rules for calls):
//
//   - Commercial texts and email (marketing, surveys, and purposes this
//     version does not know) need express consent (CASL express, or a US
//     express written or GDPR consent, which meet its opt-in test) whose
//     request stated what CASL requires ([Rule].CASL, [CASLDisclosure]),
//     or implied consent within its window: 2 years after a purchase, 6
//     months after an inquiry. A "number given" ([BasisExpress]) is not CASL
//     consent. Express consent never expires; withdrawals take effect at
//     once (CASL's 10 business days is a ceiling).
//   - Transactional texts and email (service: quotes, recalls, warranty
//     and safety information, which CASL s. 6(6) exempts) are allowed until
//     an opt-out.
//   - Telemarketing calls need express or implied consent and keep the
//     CRTC's hours: 09:00–21:30 on weekdays, 10:00–18:00 at weekends.
//     Service calls are allowed until an opt-out. A marketing call to a
//     number on the National DNCL follows [CADNCL].
//   - Texts keep 08:00–21:00 for marketing and surveys. No Canadian law
//     sets hours for texts; rapport applies them anyway.
//   - Postal mail and other channels as in [US]; withdrawals span texts
//     and calls; one confirmation may follow an opt-out within 5 minutes.
func Canada() Policy {
	day := func() []channel.Window { return channel.Every(channel.Clock(8, 0), channel.Clock(21, 0)) }
	casl := func() []Basis {
		return []Basis{BasisCASLExpress, BasisExpressWritten, BasisGDPRConsent, BasisImpliedPurchase, BasisImpliedInquiry}
	}
	calls := []channel.Window{
		{Day: time.Monday, Start: channel.Clock(9, 0), End: channel.Clock(21, 30)},
		{Day: time.Tuesday, Start: channel.Clock(9, 0), End: channel.Clock(21, 30)},
		{Day: time.Wednesday, Start: channel.Clock(9, 0), End: channel.Clock(21, 30)},
		{Day: time.Thursday, Start: channel.Clock(9, 0), End: channel.Clock(21, 30)},
		{Day: time.Friday, Start: channel.Clock(9, 0), End: channel.Clock(21, 30)},
		{Day: time.Saturday, Start: channel.Clock(10, 0), End: channel.Clock(18, 0)},
		{Day: time.Sunday, Start: channel.Clock(10, 0), End: channel.Clock(18, 0)},
	}
	voice := []channel.Kind{channel.KindVoice, channel.KindVideo}
	return Policy{
		Name: "ca",
		Rules: []Rule{
			{Channels: []channel.Kind{channel.KindSMS, channel.KindEmail}, Purposes: []Purpose{PurposeService}, OptOut: true},
			{Channels: []channel.Kind{channel.KindSMS}, Bases: casl(), Hours: day(), CASL: true},
			{Channels: []channel.Kind{channel.KindEmail}, Bases: casl(), CASL: true},
			{Channels: voice, Purposes: []Purpose{PurposeService}, OptOut: true},
			{Channels: voice, Bases: append(casl(), BasisExpress), Hours: calls},
			{Channels: []channel.Kind{channel.KindPost}, OptOut: true},
			{Purposes: []Purpose{PurposeService}},
			{Bases: expressBases(), Hours: day()},
		},
		Registries:            []RegistryRule{CADNCL()},
		LinkedChannels:        telephone(),
		ImpliedPurchaseMonths: 24,
		ImpliedInquiryMonths:  6,
		ConfirmationWindow:    5 * time.Minute,
		FallbackZones:         CanadaFallbackZones(),
	}
}
