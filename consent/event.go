package consent

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
)

// Subject is whom a consent event is about: a contact point and, when known,
// the customer it belongs to. Consent is keyed on the address (by its line:
// see [channel.Address.Line]), not on the customer, so merging or splitting
// customers, or several people sharing one number, can never bring a revoked
// number back. Customer is kept for the timeline and for audits.
type Subject struct {
	// Address is the contact point; required.
	Address channel.Address `json:"address,omitzero"`
	// Customer is the customer the address belonged to when the event was
	// captured; the zero ID means not known.
	Customer customer.ID `json:"customer,omitzero"`
}

// Evidence is how an event can be shown to have happened: who or what
// captured it, and what the person saw, said or sent. Only Method is
// required; the fields that matter depend on it (see the [Method]
// constants). Evidence holds customer data (message text, IP address): it is
// never put in error messages.
type Evidence struct {
	// Method is how the event was captured; required.
	Method Method `json:"method,omitempty"`
	// CapturedBy is the staff member or bot that captured it; zero means
	// the customer acted alone (a web form, a STOP reply) or not recorded.
	CapturedBy dealer.Staff `json:"captured_by,omitempty"`
	// SourceSystem names the system the event came from ("dms:cdk",
	// "leads:autotrader", "website"); required for [MethodImport].
	SourceSystem string `json:"source_system,omitempty"`
	// RawValue is the source system's own value for the consent, kept
	// verbatim ("Y", "OptIn", "SMS_MKT=1").
	RawValue string `json:"raw_value,omitempty"`
	// DisclosureText is the exact wording the person was shown or read.
	DisclosureText string `json:"disclosure_text,omitempty"`
	// DisclosureVersion names the version of the disclosure
	// ("sms-consent-2025-03"), when its text is kept elsewhere.
	DisclosureVersion string `json:"disclosure_version,omitempty"`
	// DisclosureHash is a digest of the disclosure text, written as
	// "<algorithm>:<hex>" ("sha256:9f86d0…").
	DisclosureHash string `json:"disclosure_hash,omitempty"`
	// RawText is the inbound message the event came from ("STOP",
	// "please don't text me anymore"), verbatim.
	RawText string `json:"raw_text,omitempty"`
	// ReceivedOn is the dealership's own address that received the message
	// (the rooftop number a STOP was sent to). It is what a one-time opt-out
	// confirmation is sent from.
	ReceivedOn channel.Address `json:"received_on,omitzero"`
	// IP is the address of the device that submitted a web form or clicked
	// a link; the zero Addr means not recorded.
	IP netip.Addr `json:"ip,omitzero"`
	// UserAgent is the browser's User-Agent header.
	UserAgent string `json:"user_agent,omitempty"`
	// PageURL is the address of the page that showed the disclosure and
	// took the consent (a web form's URL).
	PageURL string `json:"page_url,omitempty"`
	// RecordingRef points at a call recording.
	RecordingRef string `json:"recording_ref,omitempty"`
	// DocumentRef points at a signed or scanned document.
	DocumentRef string `json:"document_ref,omitempty"`
	// ProviderRef is the messaging provider's reference: a message SID, a
	// webhook event ID, an error code such as Twilio's 21610.
	ProviderRef string `json:"provider_ref,omitempty"`
	// CASL is what the request for consent stated, as CASL requires of a
	// request for express consent. A policy rule with [Rule].CASL accepts
	// an express grant only when it is complete.
	CASL CASLDisclosure `json:"casl,omitzero"`
}

// CASLDisclosure is what a request for express consent under Canada's
// anti-spam law must state (CASL s. 10(1); Electronic Commerce Protection
// Regulations (CRTC) s. 4; CRTC Compliance and Enforcement Information
// Bulletin 2012-548): the purposes consent is sought for, who seeks it
// (and on whose behalf), their contact information, and that consent can
// be withdrawn. Each field holds what the person was shown, verbatim or as
// the caller summarizes it; the zero value means not recorded.
type CASLDisclosure struct {
	// Purposes are the purposes consent was sought for ("monthly service
	// offers and new-vehicle promotions by text and email").
	Purposes string `json:"purposes,omitempty"`
	// SoughtBy names who sought consent, and on whose behalf if not
	// themselves ("Maple Motors Ltd., operating Maple Toyota").
	SoughtBy string `json:"sought_by,omitempty"`
	// Contact is the contact information of who sought consent: a mailing
	// address and a telephone number, email address or web address.
	Contact string `json:"contact,omitempty"`
	// Withdrawal is the statement that consent can be withdrawn ("You can
	// unsubscribe at any time").
	Withdrawal string `json:"withdrawal,omitempty"`
}

// Complete reports whether every element CASL requires was recorded.
func (c CASLDisclosure) Complete() bool {
	return strings.TrimSpace(c.Purposes) != "" && strings.TrimSpace(c.SoughtBy) != "" &&
		strings.TrimSpace(c.Contact) != "" && strings.TrimSpace(c.Withdrawal) != ""
}

// IsZero reports whether c is the zero CASLDisclosure.
func (c CASLDisclosure) IsZero() bool { return c == CASLDisclosure{} }

// hasDisclosure reports whether the evidence shows what the person agreed to.
func (v *Evidence) hasDisclosure() bool {
	return v.DisclosureText != "" || v.DisclosureVersion != "" || v.DisclosureHash != "" ||
		v.DocumentRef != "" || v.RecordingRef != ""
}

// Giver is someone who gave or withdrew consent on the subject's behalf: a
// parent for a teen driver, a fleet manager for a company phone, a holder of
// power of attorney. The zero Giver means the subject acted for themselves.
type Giver struct {
	// Name is the giver's name as they gave it.
	Name string `json:"name,omitempty"`
	// Relationship is the giver's standing, in the integrator's words
	// ("parent", "employer", "power_of_attorney").
	Relationship string `json:"relationship,omitempty"`
	// Customer is the giver's own customer record, when there is one.
	Customer customer.ID `json:"customer,omitzero"`
}

// IsZero reports whether g is the zero Giver.
func (g Giver) IsZero() bool { return g == Giver{} }

// Event is one entry of the consent ledger: a person granting, revoking,
// asking not to be called, or being shown a disclosure, for one address,
// channel, purpose and rooftop. Events are never changed once written; a
// change of mind is a new event. See the package documentation for how
// events fold into a current state.
//
// The zero Event is not valid. An Event is a plain value: it is safe for
// concurrent reads, and copying it copies everything but nothing is shared
// that could be changed through the copy.
type Event struct {
	// ID identifies the event. The zero ID means not yet assigned; the Book
	// assigns one when it appends the event.
	ID ID `json:"id,omitzero"`
	// Tenant owns the event. The zero Tenant means not yet assigned; the
	// Book sets it to its own tenant.
	Tenant dealer.Tenant `json:"tenant,omitempty"`
	// Subject is whom the event is about.
	Subject Subject `json:"subject"`
	// Channel is the channel the event covers, or [AllChannels]; required.
	// A specific channel must be one the subject's address supports.
	Channel channel.Kind `json:"channel"`
	// Purpose is the purpose the event covers, or [PurposeAll]; required.
	Purpose Purpose `json:"purpose"`
	// Rooftop is the dealership location the consent names. The zero
	// Rooftop means every rooftop of the tenant.
	Rooftop dealer.Rooftop `json:"rooftop,omitempty"`
	// Action is what the person did; required.
	Action Action `json:"action"`
	// Basis is the legal ground of a grant; required for a grant, optional
	// for seen (the ground the disclosure would establish), and forbidden
	// for a revocation or a do-not-call request, which need none.
	Basis Basis `json:"basis,omitempty"`
	// Evidence is how the event can be shown to have happened.
	Evidence Evidence `json:"evidence,omitzero"`
	// CapturedAt is when the person acted; required. Events fold in
	// CapturedAt order.
	CapturedAt time.Time `json:"captured_at"`
	// RecordedAt is when the event was written to the ledger. The zero time
	// means not yet written; the Book sets it.
	RecordedAt time.Time `json:"recorded_at,omitzero"`
	// EffectiveFrom is when the event takes effect; the zero time means at
	// CapturedAt. It may be earlier than CapturedAt (implied consent
	// measured from the day of a purchase).
	EffectiveFrom time.Time `json:"effective_from,omitzero"`
	// EffectiveTo is when a grant stops having effect; the zero time means
	// never. Only a grant can have one, and an implied grant must.
	EffectiveTo time.Time `json:"effective_to,omitzero"`
	// ChannelOnly, on a revocation or do-not-call request for one channel,
	// records that the person limited it to that channel ("no texts, but
	// you can call me"). Without it, a withdrawal for calls also withdraws
	// texts and the reverse (FCC 24-24: revoking consent for calls revokes
	// it for texts unless the consumer says otherwise); see
	// [Policy.LinkedChannels]. It is only valid on a withdrawal that names
	// a specific channel.
	ChannelOnly bool `json:"channel_only,omitempty"`
	// Giver is who acted on the subject's behalf; zero means the subject.
	Giver Giver `json:"giver,omitzero"`
	// Note is free text from the person who recorded the event.
	Note string `json:"note,omitempty"`
}

// Key returns the consent key e is filed under: its address's line, channel,
// purpose and rooftop, as they are (AllChannels and PurposeAll included).
func (e Event) Key() Key { return keyOf(&e) }

func keyOf(e *Event) Key {
	return Key{Address: e.Subject.Address.Line(), Channel: e.Channel, Purpose: e.Purpose, Rooftop: e.Rooftop}
}

// Start returns when e takes effect: EffectiveFrom, or CapturedAt when
// EffectiveFrom is zero.
func (e Event) Start() time.Time { return start(&e) }

func start(e *Event) time.Time {
	if e.EffectiveFrom.IsZero() {
		return e.CapturedAt
	}
	return e.EffectiveFrom
}

// InEffect reports whether e has effect at time at: its [Event.Start] is at
// or before at, and EffectiveTo is zero or after at. An event with a zero
// CapturedAt and EffectiveFrom is never in effect.
func (e Event) InEffect(at time.Time) bool { return inEffect(&e, at) }

func inEffect(e *Event, at time.Time) bool {
	s := start(e)
	if s.IsZero() || s.After(at) {
		return false
	}
	return e.EffectiveTo.IsZero() || at.Before(e.EffectiveTo)
}

// Validate reports every problem with e as one error: the errors.Join of
// *ValidationError values, each naming its field and wrapping one of the
// package's sentinels. It returns nil when e can be appended to the ledger.
//
// ID, Tenant and RecordedAt may be zero (the Book assigns them), but a
// Tenant that is set must be valid. Validate checks, with the sentinel each
// problem wraps:
//   - subject.address is set (ErrMissing);
//   - channel is set (ErrMissing), known to this version or [AllChannels]
//     (ErrUnknown), and supported by the address (ErrUnsupportedChannel;
//     not checked for an address scheme this version does not know);
//   - purpose and action are set (ErrMissing) and known (ErrUnknown);
//   - a grant has a basis (ErrMissing); a revocation or do-not-call request
//     has none (ErrInvalid); enum fields are well-formed tokens (ErrInvalid);
//   - captured_at is set (ErrMissing);
//   - effective_to, when set, is after the event's start (ErrInvalidWindow)
//     and on a grant (ErrInvalid: a withdrawal does not expire); an implied
//     grant has one (ErrMissing);
//   - evidence.method is set (ErrMissing); an import names its
//     evidence.source_system and a manual entry its evidence.captured_by
//     (ErrMissing); an express written grant carries its disclosure or
//     signed document: a disclosure text, version or hash, a document or a
//     recording (ErrMissing, field "evidence");
//   - tenant, rooftop and evidence.captured_by are valid dealer identifiers
//     (ErrInvalid and dealer.ErrInvalid);
//   - a giver has a name or a customer ID (ErrMissing, field "giver.name");
//   - channel_only is set only on a withdrawal that names one channel, not
//     [AllChannels] (ErrInvalid).
//
// Values of basis and evidence.method that this version does not know are
// accepted: the decision rules treat a grant on an unknown basis as no
// better than implied consent, which fails safe.
func (e Event) Validate() error {
	var errs []error
	add := func(field string, sentinel error, why string) {
		errs = append(errs, problem(field, sentinel, why))
	}
	dealerID := func(field string, err error) {
		if err != nil {
			errs = append(errs, &ValidationError{Field: field, Err: fmt.Errorf("%w: %w", ErrInvalid, err)})
		}
	}

	if e.Tenant != "" {
		dealerID("tenant", e.Tenant.Validate())
	}
	addr := e.Subject.Address
	if addr.IsZero() {
		add("subject.address", ErrMissing, "")
	}

	switch {
	case e.Channel == channel.KindUnknown:
		add("channel", ErrMissing, "")
	case e.Channel == AllChannels:
	case !isToken(string(e.Channel), maxTokenLen):
		add("channel", ErrInvalid, "malformed")
	case !e.Channel.Known():
		add("channel", ErrUnknown, "")
	case !addr.IsZero() && addr.Scheme().Known() && !addr.Supports(e.Channel):
		add("channel", ErrUnsupportedChannel, fmt.Sprintf("a %s address cannot take %s", addr.Scheme(), e.Channel))
	}

	checkEnum(&errs, "purpose", string(e.Purpose), e.Purpose.Known())
	checkEnum(&errs, "action", string(e.Action), e.Action.Known())
	dealerID("rooftop", e.Rooftop.Validate())

	switch {
	case !isToken(string(e.Basis), maxTokenLen):
		add("basis", ErrInvalid, "malformed")
	case e.Action == ActionGrant && e.Basis == BasisUnknown:
		add("basis", ErrMissing, "a grant needs a legal basis")
	case e.Action.Withdraws() && e.Basis != BasisUnknown:
		add("basis", ErrInvalid, "a withdrawal has no legal basis")
	}

	if e.CapturedAt.IsZero() {
		add("captured_at", ErrMissing, "")
	}
	switch {
	case e.EffectiveTo.IsZero():
		if e.Action == ActionGrant && e.Basis.Implied() {
			add("effective_to", ErrMissing, "implied consent expires")
		}
	case e.Action.Withdraws():
		add("effective_to", ErrInvalid, "a withdrawal does not expire")
	case e.Action == ActionSeen:
		add("effective_to", ErrInvalid, "only a grant expires")
	case !e.EffectiveFrom.IsZero() && !e.EffectiveTo.After(e.EffectiveFrom):
		add("effective_to", ErrInvalidWindow, "not after effective_from")
	case e.EffectiveFrom.IsZero() && !e.CapturedAt.IsZero() && !e.EffectiveTo.After(e.CapturedAt):
		add("effective_to", ErrInvalidWindow, "not after captured_at")
	}

	ev := &e.Evidence
	switch {
	case ev.Method == MethodUnknown:
		add("evidence.method", ErrMissing, "")
	case !isToken(string(ev.Method), maxTokenLen):
		add("evidence.method", ErrInvalid, "malformed")
	case ev.Method == MethodImport && ev.SourceSystem == "":
		add("evidence.source_system", ErrMissing, "an import names the system it came from")
	case ev.Method == MethodManual && ev.CapturedBy == "":
		add("evidence.captured_by", ErrMissing, "a manual entry names who made it")
	}
	dealerID("evidence.captured_by", ev.CapturedBy.Validate())
	if e.Action == ActionGrant && e.Basis == BasisExpressWritten && !ev.hasDisclosure() {
		add("evidence", ErrMissing, "express written consent needs the disclosure or the signed document")
	}

	if !e.Giver.IsZero() && e.Giver.Name == "" && e.Giver.Customer.IsZero() {
		add("giver.name", ErrMissing, "a giver needs a name or a customer id")
	}
	if e.ChannelOnly {
		switch {
		case !e.Action.Withdraws():
			add("channel_only", ErrInvalid, "only a withdrawal is limited to its channel")
		case e.Channel == AllChannels:
			add("channel_only", ErrInvalid, "a withdrawal for all channels is not limited to one")
		}
	}
	errs = checkAllText(errs, e)
	return errors.Join(errs...)
}

// checkEnum reports a required enum field that is missing, malformed or
// unknown to this version.
func checkEnum(errs *[]error, field, v string, known bool) {
	switch {
	case v == "":
		*errs = append(*errs, problem(field, ErrMissing, ""))
	case !isToken(v, maxTokenLen):
		*errs = append(*errs, problem(field, ErrInvalid, "malformed"))
	case !known:
		*errs = append(*errs, problem(field, ErrUnknown, ""))
	}
}
