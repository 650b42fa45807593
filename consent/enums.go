package consent

import (
	"strings"

	"github.com/rapportcim/rapport/channel"
)

// Every enum in this package is a string type whose zero value means
// unknown. Values persist as the stable lower-case strings below. A value
// read from storage or JSON that this version does not know (written by a
// newer version) is kept as it is, so it survives a read-modify-write; each
// type's Known method tells the two apart. Parsing refuses only text that
// cannot be a value at all: anything but lower-case ASCII letters, digits,
// '_' and '-' after trimming and lower-casing, or more than 32 bytes.

// Action is what a consent [Event] records the person doing. The zero Action
// means unknown.
type Action string

// The actions rapport knows. The strings are stable: they are stored.
const (
	ActionUnknown Action = ""
	// ActionGrant: the person gave consent, on the legal basis the event's
	// [Basis] names.
	ActionGrant Action = "grant"
	// ActionRevoke: the person withdrew consent, by any reasonable means: the
	// sender may not designate an exclusive method (47 CFR 64.1200(a)(10),
	// FCC 24-24). A STOP reply, a provider's opt-out signal, an unsubscribe
	// link, a request on a call or at the service desk are all revocations.
	ActionRevoke Action = "revoke"
	// ActionDNCRequest: the person asked to be put on the dealership's own
	// do-not-call list (47 CFR 64.1200(d)). It withdraws consent like a
	// revocation, ends an established business relationship even if the
	// customer keeps doing business with the dealership (64.1200(f)(5)), and
	// must be honored for 5 years from the request ((d)(6)). The ledger
	// records the request; how long it is honored is the decision rules'
	// business, not the event's, so the event has no effective_to.
	ActionDNCRequest Action = "dnc_request"
	// ActionSeen: a disclosure or consent request was shown to the person,
	// who took no decision (Salesforce's "Seen" consent status). It is
	// evidence, not consent: contact is not allowed on it.
	ActionSeen Action = "seen"
)

var knownActions = [...]Action{ActionGrant, ActionRevoke, ActionDNCRequest, ActionSeen}

// Actions returns every Action this version knows, in a stable order.
func Actions() []Action { return append([]Action(nil), knownActions[:]...) }

// Known reports whether a is one of the actions this version knows. The zero
// Action is not known.
func (a Action) Known() bool { return known(a, knownActions[:]) }

// Withdraws reports whether a takes consent away: [ActionRevoke] or
// [ActionDNCRequest].
func (a Action) Withdraws() bool { return a == ActionRevoke || a == ActionDNCRequest }

// String returns the stored form of a ("" for unknown).
func (a Action) String() string { return string(a) }

// ParseAction reads an action from text, ignoring surrounding space and
// case. The empty string gives [ActionUnknown]; a well-formed action this
// version does not know is returned as it is, with no error (see
// [Action.Known]); text that cannot be an action gives a *ValidationError
// wrapping [ErrInvalid].
func ParseAction(s string) (Action, error) {
	t, err := parseToken("action", s)
	return Action(t), err
}

// UnmarshalText implements encoding.TextUnmarshaler with [ParseAction].
func (a *Action) UnmarshalText(b []byte) error { return unmarshalToken("action", b, (*string)(a)) }

// Purpose is why the dealership contacts someone: what a consent event
// allows or forbids. The zero Purpose means unknown.
//
// The set is small on purpose: it follows the lines the law draws, not a
// dealership's campaign list. A message that serves two purposes is the
// stricter one: a service reminder with a coupon is marketing (a
// "dual-purpose" message is treated as telemarketing; Chesbro v. Best Buy,
// 9th Cir. 2012).
//
// [PurposeAll] stands for every purpose. It is a value of its own, not the
// zero Purpose, because zero must keep meaning "not recorded": an event with
// no purpose is an error, never a blanket opt-out.
type Purpose string

// The purposes rapport knows. The strings are stable: they are stored.
const (
	PurposeUnknown Purpose = ""
	// PurposeService: transactional and informational messages about the
	// customer's own vehicle or business with the dealership: appointment
	// confirmations and reminders, recall notices, "your car is ready",
	// parts arrived, deal and paperwork follow-up. Under the TCPA these need
	// prior express consent (a number given in the transaction generally
	// counts); CAN-SPAM exempts transactional email.
	PurposeService Purpose = "service"
	// PurposeMarketing: advertising and telemarketing: sales promotions,
	// trade-in and lease-end offers, service specials and coupons, "come see
	// the new model". Autodialed, prerecorded or texted marketing needs prior
	// express written consent (47 CFR 64.1200(f)(9)); CASL needs express or
	// implied consent for email and texts in Canada.
	PurposeMarketing Purpose = "marketing"
	// PurposeSurvey: satisfaction surveys and requests for feedback or
	// reviews (sales and service CSI, post-visit follow-up). Kept apart from
	// service because customers decline surveys on their own, and apart from
	// marketing because a survey that sells nothing is not an advertisement;
	// one that does is marketing.
	PurposeSurvey Purpose = "survey"
	// PurposeAll: every purpose, including ones added in later versions. It
	// is how a STOP, a do-not-call request or "never contact me" is scoped.
	PurposeAll Purpose = "all"
)

var knownPurposes = [...]Purpose{PurposeService, PurposeMarketing, PurposeSurvey}

// Purposes returns every specific Purpose this version knows, in a stable
// order. [PurposeAll] is known but not listed: it is a scope, not a purpose
// a message can have.
func Purposes() []Purpose { return append([]Purpose(nil), knownPurposes[:]...) }

// Known reports whether p is one of the purposes this version knows,
// [PurposeAll] included. The zero Purpose is not known.
func (p Purpose) Known() bool { return p == PurposeAll || known(p, knownPurposes[:]) }

// String returns the stored form of p ("" for unknown).
func (p Purpose) String() string { return string(p) }

// ParsePurpose reads a purpose from text, with the rules of [ParseAction].
func ParsePurpose(s string) (Purpose, error) {
	t, err := parseToken("purpose", s)
	return Purpose(t), err
}

// UnmarshalText implements encoding.TextUnmarshaler with [ParsePurpose].
func (p *Purpose) UnmarshalText(b []byte) error {
	return unmarshalToken("purpose", b, (*string)(p))
}

// AllChannels is the channel of an event that covers every channel its
// address can be reached on: for a tel: address, texts, calls and video
// calls; for a mailto: address, email. It is a value of its own, "all",
// because the zero channel.Kind means unknown: an event with no channel is
// an error, never a blanket opt-out.
//
// AllChannels is not a kind the channel package knows
// (AllChannels.Known() is false, and no Address supports it); consent
// accepts it wherever an event names a channel.
const AllChannels channel.Kind = "all"

// Basis is the legal ground a grant of consent rests on. The zero Basis
// means none recorded. How the consent was captured is a separate matter:
// see [Method].
//
// The decision rules read the basis to tell whether a grant is enough for a
// purpose (express written consent for autodialed or texted marketing in the
// US, prior express consent for service messages). A grant whose basis this
// version does not know is kept but counts as no better than implied
// consent.
type Basis string

// The bases rapport knows. The strings are stable: they are stored.
const (
	BasisUnknown Basis = ""
	// BasisExpressWritten: TCPA prior express written consent (PEWC), 47 CFR
	// 64.1200(f)(9): a signed writing (an E-SIGN signature counts: a web
	// form, a text reply, a key press, a voice recording) that names the
	// number, clearly authorizes marketing calls or texts by autodialer or
	// prerecorded voice, and says consent is not a condition of purchase.
	// Required for autodialed, prerecorded and texted marketing. It does not
	// expire. The event's evidence must hold the disclosure or the signed
	// document.
	BasisExpressWritten Basis = "express_written"
	// BasisExpress: TCPA prior express consent (PEC), oral or written; a
	// number given in the context of a transaction generally counts. Enough
	// for service and informational messages, not for marketing. It does
	// not expire.
	BasisExpress Basis = "express"
	// BasisImpliedPurchase: an established business relationship from a
	// purchase, lease or other transaction. TCPA: 18 months after the last
	// purchase or transaction (47 CFR 64.1200(f)(5)); it exempts only from
	// do-not-call rules and never replaces PEWC for autodialed or
	// prerecorded marketing. CASL: implied consent for 2 years from the
	// purchase, lease or contract. Implied consent expires, so the event
	// must have an effective_to; effective_from is best set to the date of
	// the transaction the window is measured from.
	BasisImpliedPurchase Basis = "implied_purchase"
	// BasisImpliedInquiry: an established business relationship from an
	// inquiry or application. TCPA: 3 months (64.1200(f)(5)); CASL: 6
	// months. Like [BasisImpliedPurchase], it must have an effective_to.
	BasisImpliedInquiry Basis = "implied_inquiry"
	// BasisCASLExpress: Canadian express consent under CASL: opt-in only,
	// no pre-checked box, asked separately from terms and conditions (CRTC
	// Compliance and Enforcement Information Bulletins 2012-548 and
	// 2012-549). It lasts until withdrawn.
	BasisCASLExpress Basis = "casl_express"
	// BasisGDPRConsent: consent under the EU or UK GDPR (Art. 6(1)(a) and
	// 7): the dealership must be able to show who consented, when, how and
	// what they were told, so the evidence should hold the disclosure. It
	// lasts until withdrawn.
	BasisGDPRConsent Basis = "gdpr_consent"
)

var knownBases = [...]Basis{BasisExpressWritten, BasisExpress, BasisImpliedPurchase, BasisImpliedInquiry, BasisCASLExpress, BasisGDPRConsent}

// Bases returns every Basis this version knows, in a stable order.
func Bases() []Basis { return append([]Basis(nil), knownBases[:]...) }

// Known reports whether b is one of the bases this version knows. The zero
// Basis is not known.
func (b Basis) Known() bool { return known(b, knownBases[:]) }

// Express reports whether b is consent the person gave by their own act
// ([BasisExpressWritten], [BasisExpress], [BasisCASLExpress],
// [BasisGDPRConsent]). Only an express grant overrides an earlier
// withdrawal; see [Ledger.Latest].
func (b Basis) Express() bool {
	switch b {
	case BasisExpressWritten, BasisExpress, BasisCASLExpress, BasisGDPRConsent:
		return true
	}
	return false
}

// Implied reports whether b is implied consent ([BasisImpliedPurchase],
// [BasisImpliedInquiry]), which expires and never overrides a withdrawal.
func (b Basis) Implied() bool { return b == BasisImpliedPurchase || b == BasisImpliedInquiry }

// String returns the stored form of b ("" for unknown).
func (b Basis) String() string { return string(b) }

// ParseBasis reads a basis from text, with the rules of [ParseAction].
func ParseBasis(s string) (Basis, error) {
	t, err := parseToken("basis", s)
	return Basis(t), err
}

// UnmarshalText implements encoding.TextUnmarshaler with [ParseBasis].
func (b *Basis) UnmarshalText(text []byte) error {
	return unmarshalToken("basis", text, (*string)(b))
}

// Method is how a consent event was captured: the "how" a regulator or a
// court asks for (the ICO: who, when, how, what they were told). The zero
// Method means unknown; [Event.Validate] requires one.
type Method string

// The methods rapport knows. The strings are stable: they are stored.
const (
	MethodUnknown Method = ""
	// MethodWebForm: a web form or checkbox: the dealership's site, a chat
	// widget, a third-party lead form (Evidence.SourceSystem names it). Keep
	// the disclosure, IP address and user agent.
	MethodWebForm Method = "web_form"
	// MethodSMSKeyword: an inbound text that is exactly a keyword (STOP,
	// UNSUBSCRIBE, START, …). "Stop", "quit", "end", "revoke", "opt out",
	// "cancel" and "unsubscribe" are revocations per se (64.1200(a)(10)).
	// Keep the message in Evidence.RawText and the dealership number that
	// received it in Evidence.ReceivedOn.
	MethodSMSKeyword Method = "sms_keyword"
	// MethodSMSReply: any other inbound text judged to give or withdraw
	// consent ("please stop texting me"): the FCC presumes such wording is
	// a revocation, judged by a reasonable-person test.
	MethodSMSReply Method = "sms_reply"
	// MethodMessageReply: an inbound message on a messaging channel other
	// than SMS (WhatsApp, Facebook Messenger, Instagram, web chat) that is a
	// keyword or judged to give or withdraw consent, as [MethodSMSKeyword]
	// and [MethodSMSReply] are for texts.
	MethodMessageReply Method = "message_reply"
	// MethodCall: said on a phone call, to a person (Evidence.CapturedBy)
	// or on a recording (Evidence.RecordingRef).
	MethodCall Method = "call"
	// MethodIVR: an automated voice or key-press opt-in or opt-out on a
	// call; the opt-out mechanism of a robocall revokes per se.
	MethodIVR Method = "ivr"
	// MethodInStore: in person at the dealership: a signed paper or tablet
	// form (Evidence.DocumentRef), or a request made to staff.
	MethodInStore Method = "in_store"
	// MethodEmailLink: an unsubscribe or confirmation link in an email
	// (the CAN-SPAM and CASL unsubscribe mechanism).
	MethodEmailLink Method = "email_link"
	// MethodEmailReply: a reply to an email, or an email to any of the
	// dealership's addresses.
	MethodEmailReply Method = "email_reply"
	// MethodProviderSignal: the messaging provider or carrier reported it:
	// Twilio's OptOutType (STOP, START) on an inbound webhook, send error
	// 21610 (the recipient has opted out), a toll-free carrier opt-out.
	// Evidence.ProviderRef holds the provider's reference.
	MethodProviderSignal Method = "provider_signal"
	// MethodImport: imported in bulk from another system (a DMS, a previous
	// CRM). Evidence.SourceSystem is required; Evidence.RawValue keeps the
	// source's own value.
	MethodImport Method = "import"
	// MethodManual: entered by a staff member from a source not listed
	// above, such as a letter; Evidence.CapturedBy is required, and Note
	// should say what happened.
	MethodManual Method = "manual"
)

var knownMethods = [...]Method{MethodWebForm, MethodSMSKeyword, MethodSMSReply, MethodMessageReply, MethodCall, MethodIVR, MethodInStore, MethodEmailLink, MethodEmailReply, MethodProviderSignal, MethodImport, MethodManual}

// Methods returns every Method this version knows, in a stable order.
func Methods() []Method { return append([]Method(nil), knownMethods[:]...) }

// Known reports whether m is one of the methods this version knows. The
// zero Method is not known.
func (m Method) Known() bool { return known(m, knownMethods[:]) }

// String returns the stored form of m ("" for unknown).
func (m Method) String() string { return string(m) }

// ParseMethod reads a method from text, with the rules of [ParseAction].
func ParseMethod(s string) (Method, error) {
	t, err := parseToken("method", s)
	return Method(t), err
}

// UnmarshalText implements encoding.TextUnmarshaler with [ParseMethod].
func (m *Method) UnmarshalText(b []byte) error { return unmarshalToken("method", b, (*string)(m)) }

// Status is the folded consent state of one [Key]: what the ledger says at
// a given time. The zero Status means nothing is recorded, which is never
// consent.
type Status string

// The statuses rapport knows. The strings are stable: they may be stored.
const (
	// StatusUnknown: nothing recorded. Contact needs some other ground.
	StatusUnknown Status = ""
	// StatusGranted: a grant is in effect.
	StatusGranted Status = "granted"
	// StatusRevoked: consent was withdrawn (an opt-out).
	StatusRevoked Status = "revoked"
	// StatusDNC: the person asked to be put on the do-not-call list.
	StatusDNC Status = "dnc"
	// StatusSeen: a disclosure was shown and nothing else is recorded.
	StatusSeen Status = "seen"
)

var knownStatuses = [...]Status{StatusGranted, StatusRevoked, StatusDNC, StatusSeen}

// Statuses returns every Status this version knows, in a stable order.
func Statuses() []Status { return append([]Status(nil), knownStatuses[:]...) }

// Known reports whether s is one of the statuses this version knows. The
// zero Status is not known.
func (s Status) Known() bool { return known(s, knownStatuses[:]) }

// Granted reports whether s is [StatusGranted]; every other status,
// including unknown ones from newer versions, is not consent.
func (s Status) Granted() bool { return s == StatusGranted }

// String returns the stored form of s ("" for nothing recorded).
func (s Status) String() string { return string(s) }

// ParseStatus reads a status from text, with the rules of [ParseAction].
func ParseStatus(s string) (Status, error) {
	t, err := parseToken("status", s)
	return Status(t), err
}

// UnmarshalText implements encoding.TextUnmarshaler with [ParseStatus].
func (s *Status) UnmarshalText(b []byte) error { return unmarshalToken("status", b, (*string)(s)) }

// statusOf maps an action to the status it leaves behind.
func statusOf(a Action) Status {
	switch a {
	case ActionGrant:
		return StatusGranted
	case ActionRevoke:
		return StatusRevoked
	case ActionDNCRequest:
		return StatusDNC
	case ActionSeen:
		return StatusSeen
	}
	return StatusUnknown
}

const maxTokenLen = 32

func known[T comparable](v T, list []T) bool {
	for _, c := range list {
		if v == c {
			return true
		}
	}
	return false
}

func parseToken(field, s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if !isToken(s, maxTokenLen) {
		return "", problem(field, ErrInvalid, "not a lower-case token of letters, digits, '_' and '-'")
	}
	return s, nil
}

func unmarshalToken(field string, b []byte, dst *string) error {
	t, err := parseToken(field, string(b))
	if err != nil {
		return err
	}
	*dst = t
	return nil
}

// isToken reports whether s is empty or a stored enum token: lower-case
// ASCII letters, digits, '_' and '-', at most max bytes.
func isToken(s string, max int) bool {
	if len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}
