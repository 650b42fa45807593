package consent

// Reason is a stable code that explains a [Decision]: why a contact is
// refused ("revoked", "quiet_hours") or on what it is allowed ("granted").
// The zero Reason means unknown. Reasons persist as the lower-case strings
// below, so that a decision logged today can be explained years later; a
// reason this version does not know (written by a newer version) is kept as
// it is ([Reason.Known] tells the two apart).
type Reason string

// The reasons rapport gives. The strings are stable: they are stored and
// shown to integrators. Refusals first, then the reasons of an allowed
// decision.
const (
	ReasonUnknown Reason = ""

	// ReasonInvalidRequest: the request lacks an address, a channel the
	// address can take, a specific purpose or a time. Nothing is allowed on
	// a request Decide cannot read.
	ReasonInvalidRequest Reason = "invalid_request"
	// ReasonNoRule: the policy has no rule for the request's channel and
	// purpose, so it cannot say what consent the contact needs.
	ReasonNoRule Reason = "no_rule"
	// ReasonNoConsent: the rule needs a grant and none is in effect.
	ReasonNoConsent Reason = "no_consent"
	// ReasonRevoked: the person withdrew consent (a STOP, an unsubscribe, a
	// request by any reasonable means) and has not granted it again.
	ReasonRevoked Reason = "revoked"
	// ReasonDNC: the person asked to be put on the dealership's do-not-call
	// list, within the policy's honoring period ([Policy.DNCYears]). Past
	// it, the request still counts as a withdrawal, reported as
	// [ReasonRevoked].
	ReasonDNC Reason = "dnc"
	// ReasonWrittenConsentRequired: a grant is in effect, but the rule needs
	// prior express written consent (TCPA, 47 CFR 64.1200(f)(9): marketing
	// by text or autodialed or prerecorded call) and the grant is on a
	// weaker basis.
	ReasonWrittenConsentRequired Reason = "written_consent_required"
	// ReasonExpressConsentRequired: a grant is in effect, but on a basis the
	// rule does not accept (implied consent where the TCPA needs prior
	// express consent, a US "number given" where CASL needs express or
	// implied consent, a basis this version does not know).
	ReasonExpressConsentRequired Reason = "express_consent_required"
	// ReasonImpliedConsentExpired: the only grant there was is implied
	// consent whose window has passed (CASL: 2 years after a purchase, 6
	// months after an inquiry).
	ReasonImpliedConsentExpired Reason = "implied_consent_expired"
	// ReasonUnknownAction: an event this version cannot read (an action
	// from a newer version) is at least as recent as the grant the contact
	// would rest on. It might be a withdrawal, so the contact is refused.
	ReasonUnknownAction Reason = "unknown_action"
	// ReasonQuietHours: the time is outside the allowed hours in at least
	// one of the recipient's possible time zones. NextAllowed says when the
	// hours next open in all of them.
	ReasonQuietHours Reason = "quiet_hours"
	// ReasonUnknownZone: the rule has allowed hours, but the request gives
	// no time zone for the recipient, so they cannot be checked.
	ReasonUnknownZone Reason = "unknown_zone"
	// ReasonFrequencyCap: the address has had as many messages of this kind
	// as the policy allows in the period (Florida: 3 marketing messages in
	// 24 hours). NextAllowed says when the oldest counted send ages out.
	ReasonFrequencyCap Reason = "frequency_cap"
	// ReasonConfirmationUsed: the one opt-out confirmation allowed after a
	// withdrawal has already been sent.
	ReasonConfirmationUsed Reason = "confirmation_used"
	// ReasonConfirmationLate: the opt-out confirmation would go out later
	// than the policy's window after the withdrawal (FCC: within 5
	// minutes).
	ReasonConfirmationLate Reason = "confirmation_late"
	// ReasonConfirmationMarketing: an opt-out confirmation may not contain
	// marketing (47 CFR 64.1200(a)(12)).
	ReasonConfirmationMarketing Reason = "confirmation_marketing"
	// ReasonHoliday: the day is a holiday, in at least one of the
	// recipient's possible time zones, on which an applying [Override]
	// allows no contact (a state's ban on solicitation on legal holidays).
	// Decision.Rule and Decision.Region name the override; NextAllowed
	// says when contact is next allowed.
	ReasonHoliday Reason = "holiday"
	// ReasonRegistryDNC: the line is on a do-not-call registry the policy
	// honours (the US National DNC Registry, 47 CFR 64.1200(c)(2);
	// Canada's National DNCL) and neither the person's express consent
	// nor an established business relationship exempts the contact.
	// Decision.Rule names the registry.
	ReasonRegistryDNC Reason = "registry_dnc"
	// ReasonRegistryStale: a registry restricts the contact and the
	// caller has no scrub of the line against it recent enough (31 days
	// in the presets, 47 CFR 64.1200(c)(2)(i)(D)), or none at all.
	ReasonRegistryStale Reason = "registry_stale"
	// ReasonReassigned: the only grants there were were captured before the
	// number was permanently disconnected, as the Reassigned Numbers
	// Database reports (47 CFR 64.1200(m)): the consent was given by the
	// line's previous subscriber and is void.
	ReasonReassigned Reason = "reassigned"
	// ReasonCASLElementsMissing: an express grant is in effect, but the rule
	// needs CASL express consent and the grant's evidence does not show
	// the request stated the purposes, who sought consent, their contact
	// information and that consent can be withdrawn ([CASLDisclosure]).
	ReasonCASLElementsMissing Reason = "casl_elements_missing"

	// ReasonGranted: allowed on a grant in effect, on a basis the rule
	// accepts; Decision.Event names it.
	ReasonGranted Reason = "granted"
	// ReasonNotOptedOut: allowed under an opt-out rule (CAN-SPAM email):
	// no withdrawal is in effect.
	ReasonNotOptedOut Reason = "not_opted_out"
	// ReasonConfirmationAllowed: allowed as the one non-marketing
	// confirmation of a withdrawal, although the address is now opted out;
	// Decision.Event names the withdrawal.
	ReasonConfirmationAllowed Reason = "confirmation_allowed"
)

var knownReasons = [...]Reason{
	ReasonInvalidRequest, ReasonNoRule, ReasonNoConsent, ReasonRevoked, ReasonDNC,
	ReasonWrittenConsentRequired, ReasonExpressConsentRequired, ReasonImpliedConsentExpired,
	ReasonUnknownAction, ReasonQuietHours, ReasonUnknownZone, ReasonFrequencyCap,
	ReasonConfirmationUsed, ReasonConfirmationLate, ReasonConfirmationMarketing,
	ReasonHoliday, ReasonRegistryDNC, ReasonRegistryStale, ReasonReassigned, ReasonCASLElementsMissing,
	ReasonGranted, ReasonNotOptedOut, ReasonConfirmationAllowed,
}

// Reasons returns every Reason this version knows, in a stable order.
func Reasons() []Reason { return append([]Reason(nil), knownReasons[:]...) }

// Known reports whether r is one of the reasons this version knows. The zero
// Reason is not known.
func (r Reason) Known() bool { return known(r, knownReasons[:]) }

// Refuses reports whether r is a reason to refuse contact. The reasons of an
// allowed decision ([ReasonGranted], [ReasonNotOptedOut],
// [ReasonConfirmationAllowed]) do not refuse; every other reason does,
// including one this version does not know.
func (r Reason) Refuses() bool {
	switch r {
	case ReasonGranted, ReasonNotOptedOut, ReasonConfirmationAllowed:
		return false
	}
	return true
}

// String returns the stored form of r ("" for unknown).
func (r Reason) String() string { return string(r) }

// ParseReason reads a reason from text, with the rules of [ParseAction].
func ParseReason(s string) (Reason, error) {
	t, err := parseToken("reason", s)
	return Reason(t), err
}

// UnmarshalText implements encoding.TextUnmarshaler with [ParseReason].
func (r *Reason) UnmarshalText(b []byte) error { return unmarshalToken("reason", b, (*string)(r)) }
