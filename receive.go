package rapport

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

// Inbound is a message received from a customer, as a messaging provider's
// webhook, a mail server or a telephony platform delivers it.
type Inbound struct {
	// From is the customer's address; required.
	From channel.Address
	// To is the dealership's number or inbox it arrived on.
	To channel.Address
	// Rooftop is the dealership location that number belongs to.
	Rooftop dealer.Rooftop
	// Channel is how it arrived; zero means SMS for a tel: address and the
	// address's own kind otherwise (email, whatsapp, facebook, instagram,
	// webchat). A call or voicemail is channel.KindVoice.
	Channel channel.Kind
	// Subject is an email's subject line.
	Subject string
	// Body is the text: the message, the email's plain-text body (for an
	// HTML-only email, its text with the markup removed), or the
	// transcript of a call or voicemail when the caller has one.
	Body string
	// Voicemail marks a voice Inbound as a voicemail left for the
	// dealership rather than a call answered.
	Voicemail bool
	// RecordingRef points at the recording of a call or voicemail; it is
	// kept on the interaction and as consent evidence.
	RecordingRef string
	// At is when it was received; zero means now.
	At time.Time
	// OptOutType is the provider's own classification of the message, when
	// its webhook carries one (Twilio's OptOutType: "STOP", "START",
	// "HELP"). It takes precedence over rapport's classification.
	OptOutType string
	// ProviderRef is the provider's message ID.
	ProviderRef string
	// Handler is the automated handler (a bot) that answers new
	// conversations on this number; when set, a conversation this message
	// opens starts pending, owned by the handler, until Book.Escalate hands
	// it to a person. Zero means a new conversation opens for people.
	Handler dealer.Staff
}

// Received says what Book.Receive did.
type Received struct {
	Recorded
	// Signal is how the message was classified for consent.
	Signal consent.Signal
	// Consent lists the events written to the ledger: a revocation for an
	// opt-out, the reinstated grants for an opt-in.
	Consent []consent.Event
	// Reply is the text to answer with, when the message asks for one: the
	// rooftop policy's help reply for HELP.
	Reply string
	// ConfirmUntil is set after an opt-out by text: one non-marketing
	// confirmation text ("You're unsubscribed. Reply START to
	// resubscribe.") may be sent to the line with Book.Send and
	// Outbound.Confirmation until then, once.
	ConfirmUntil time.Time
	// NeedsReview is true when the message says something about consent
	// that staff must judge rather than an opt-out: a restriction such as
	// "don't call before noon" (consent.SignalReview), or a request to stop
	// that the policy leaves to staff
	// (consent.Policy.ReviewRevocationRequests). It never withdraws
	// consent by itself.
	// The interaction is flagged for review (interaction.FlagReasonConsent)
	// with ReviewDue as its deadline; Reviews.OverdueConsent lists the
	// flags not reviewed in time.
	NeedsReview bool
	// ReviewDue is the deadline of that review: 10 business days after
	// receipt (47 CFR 64.1200(a)(10)), Monday to Friday except federal
	// holidays, counted in each of the policy's fallback zones with the
	// earliest result kept (see Reviews.OverdueConsent). Zero when
	// NeedsReview is false.
	ReviewDue time.Time
}

// Receive records an inbound message and acts on what it says about consent,
// in one transaction:
//
//   - It is recorded like RecordInteraction: resolved to the customer who
//     holds From (or a new customer), attached to their open conversation,
//     sensitive data redacted.
//   - On every channel the text is classified the same way
//     (consent.Classifier; the provider's OptOutType wins when given):
//     texts, WhatsApp, Facebook and Instagram messages, web chat, email
//     (the subject, and the reply above any quoted earlier message) and the
//     transcript of a call or voicemail. The FCC's reasonable-means rule
//     (47 CFR 64.1200(a)(10)) makes a revocation by any channel count.
//   - An opt-out (STOP, UNSUBSCRIBE, …, or a request in plain words such as
//     "please stop texting me") appends a revocation for From's line, on
//     the channel it came on, for every purpose and every rooftop of the
//     tenant, with the redacted text, time, receiving address and recording
//     as evidence. A revocation on calls or texts withdraws both, unless
//     the policy unlinks them (consent.Policy.LinkedChannels). After an
//     opt-out by text, exactly one non-marketing confirmation text may
//     follow within the policy's window (Received.ConfirmUntil).
//   - A message the policy leaves to staff is flagged for review with a
//     deadline (Received.NeedsReview), never turned into an opt-out.
//   - An opt-in keyword (START, UNSTOP, YES) by text re-grants only what
//     opt-out keywords took away (consent.Reinstate); no other inbound
//     message ever re-opts anyone in.
//   - HELP returns the rooftop policy's help reply in Received.Reply.
func (b *Book) Receive(ctx context.Context, in Inbound) (_ Received, err error) {
	defer b.observe(ctx, "Receive", time.Now(), &err)
	if in.From.IsZero() {
		return Received{}, fail("Receive", &interaction.ValidationError{Field: "from", Err: fmt.Errorf("%w: the sender's address", interaction.ErrMissing)})
	}
	if in.Channel == channel.KindUnknown {
		in.Channel = defaultKind(in.From)
	}
	now := b.clock()
	at := stamp(in.At)
	if at.IsZero() {
		at = now
	}
	i := interaction.Interaction{
		Rooftop: in.Rooftop, Channel: in.Channel, Address: in.From, Via: in.To,
		Direction: interaction.DirectionInbound, Kind: kindFor(in.Channel), Subject: in.Subject, Body: in.Body, OccurredAt: at,
	}
	if in.ProviderRef != "" {
		i.ExternalRefs = map[string]string{"provider": in.ProviderRef}
	}
	if i.Kind == interaction.KindCall && (in.Voicemail || in.RecordingRef != "") {
		i.Call = &interaction.Call{RecordingRef: in.RecordingRef}
		if in.Voicemail {
			i.Call.Outcome = interaction.CallOutcomeVoicemail
		}
	}
	policy := b.policies.For(in.Rooftop)
	sig, method := b.classify(in)
	var res Received
	res.Signal = sig
	if sig == consent.SignalReview || sig == consent.SignalRevocationRequest && !policy.OptsOut(sig) {
		res.NeedsReview = true
		res.ReviewDue = reviewDeadline(at, b.fallbackZones(policy))
		i.Flags = append(slices.Clone(i.Flags), interaction.Flag{Reason: interaction.FlagReasonConsent, FlaggedAt: at, Due: res.ReviewDue})
	}
	i, err = b.prepare(i, now)
	if err != nil {
		return Received{}, fail("Receive", err)
	}
	err = b.backend.Update(ctx, func(tx storage.Tx) error {
		res.Consent = nil
		rec, err := b.record(ctx, tx, i, in.Handler, now)
		if err != nil {
			return err
		}
		res.Recorded = rec
		// The evidence keeps the text as stored: redacted like the body.
		raw := rec.Interaction.Body
		if rec.Interaction.Subject != "" {
			raw = rec.Interaction.Subject + "\n\n" + raw
		}
		evidence := consent.Evidence{Method: method, RawText: raw, ReceivedOn: in.To, ProviderRef: in.ProviderRef, RecordingRef: in.RecordingRef}
		subject := consent.Subject{Address: in.From.Line(), Customer: rec.Interaction.Customer}
		switch {
		case policy.OptsOut(sig):
			e, err := b.appendConsent(ctx, tx, consent.Event{
				Subject: subject, Channel: in.Channel, Purpose: consent.PurposeAll, Rooftop: in.Rooftop,
				Action: consent.ActionRevoke, Evidence: evidence, CapturedAt: at,
			}, now)
			if err != nil {
				return err
			}
			res.Consent = append(res.Consent, e)
			if policy.ConfirmationWindow > 0 && in.Channel == channel.KindSMS {
				res.ConfirmUntil = at.Add(policy.ConfirmationWindow)
			}
		case sig == consent.SignalOptIn && in.Channel == channel.KindSMS:
			ledger, err := tx.ConsentByAddress(ctx, b.tenant, in.From.Line())
			if err != nil {
				return err
			}
			optIn := consent.Event{
				Subject: subject, Channel: in.Channel, Purpose: consent.PurposeAll, Rooftop: in.Rooftop,
				Action: consent.ActionGrant, Basis: consent.BasisExpress, Evidence: evidence, CapturedAt: at,
			}
			for _, g := range consent.Reinstate(policy, ledger, optIn) {
				e, err := b.appendConsent(ctx, tx, g, now)
				if err != nil {
					return err
				}
				res.Consent = append(res.Consent, e)
			}
		case sig == consent.SignalHelp:
			res.Reply = policy.HelpReply
		}
		return nil
	})
	if err != nil {
		return Received{}, fail("Receive", err)
	}
	return res, nil
}

// classify reads an inbound message for consent: the provider's own
// signal when it gives one, else the Book's classifier over the text the
// channel carries. It returns the signal and the evidence method that
// goes with it.
func (b *Book) classify(in Inbound) (consent.Signal, consent.Method) {
	if sig := consent.FromProvider(in.OptOutType, ""); sig != consent.SignalNone {
		return sig, consent.MethodProviderSignal
	}
	var sig consent.Signal
	switch in.Channel {
	case channel.KindEmail:
		sig = strongest(b.classifier.Classify(emailSubject(in.Subject)), b.classifier.Classify(emailReply(in.Body)))
	default:
		sig = b.classifier.Classify(in.Body)
	}
	switch in.Channel {
	case channel.KindSMS:
		if sig == consent.SignalRevocationRequest {
			return sig, consent.MethodSMSReply
		}
		return sig, consent.MethodSMSKeyword
	case channel.KindEmail:
		return sig, consent.MethodEmailReply
	case channel.KindVoice, channel.KindVideo:
		return sig, consent.MethodCall
	case channel.KindInPerson:
		return sig, consent.MethodInStore
	}
	return sig, consent.MethodMessageReply
}

// strongest returns the signal that matters most of two read from one
// message (an email's subject and body): an opt-out, else a request to
// stop, else a restriction to review or HELP (the first read wins), else an
// opt-in.
func strongest(a, b consent.Signal) consent.Signal {
	rank := func(s consent.Signal) int {
		switch s {
		case consent.SignalOptOut:
			return 4
		case consent.SignalRevocationRequest:
			return 3
		case consent.SignalReview:
			return 2
		case consent.SignalHelp:
			return 2
		case consent.SignalOptIn:
			return 1
		}
		return 0
	}
	if rank(b) > rank(a) {
		return b
	}
	return a
}

// appendConsent completes, redacts and validates an event and appends it
// in tx.
func (b *Book) appendConsent(ctx context.Context, tx storage.Tx, e consent.Event, now time.Time) (consent.Event, error) {
	e.Tenant = b.tenant
	redactEvidence(&e)
	e.RecordedAt = now
	e.CapturedAt, e.EffectiveFrom, e.EffectiveTo = stamp(e.CapturedAt), stamp(e.EffectiveFrom), stamp(e.EffectiveTo)
	if e.ID.IsZero() {
		id, err := b.id()
		if err != nil {
			return e, err
		}
		e.ID = consent.ID(id)
	}
	if err := e.Validate(); err != nil {
		return e, err
	}
	return e, tx.AppendConsent(ctx, e)
}

func defaultKind(a channel.Address) channel.Kind {
	switch a.Scheme() {
	case channel.SchemeTel:
		return channel.KindSMS
	case channel.SchemeMailto:
		return channel.KindEmail
	case channel.SchemeWhatsApp:
		return channel.KindWhatsApp
	case channel.SchemeFacebook:
		return channel.KindFacebook
	case channel.SchemeInstagram:
		return channel.KindInstagram
	case channel.SchemeWebChat:
		return channel.KindWebChat
	}
	return channel.KindUnknown
}

func kindFor(k channel.Kind) interaction.Kind {
	switch k {
	case channel.KindEmail:
		return interaction.KindEmail
	case channel.KindWebChat:
		return interaction.KindChat
	case channel.KindVoice, channel.KindVideo:
		return interaction.KindCall
	}
	return interaction.KindMessage
}

// UpdateDelivery applies a provider's delivery receipt to an outbound
// interaction, following the delivery lifecycle (interaction.Delivery.Apply:
// a late "delivered" after "read" is ignored). A receipt for an inbound or
// internal interaction is an *interaction.ValidationError (field
// "delivery", interaction.ErrNotApplicable), and a result the
// interaction's own Validate rejects fails the same way; nothing is
// written then. A receipt whose error code
// means the recipient opted out at the provider (Twilio 21610) also appends
// a revocation for the line, as a STOP would. It returns the interaction as
// stored.
func (b *Book) UpdateDelivery(ctx context.Context, id interaction.ID, u interaction.DeliveryUpdate) (_ interaction.Interaction, err error) {
	defer b.observe(ctx, "UpdateDelivery", time.Now(), &err)
	u.At = stamp(u.At)
	now := b.clock()
	var out interaction.Interaction
	err = b.backend.Update(ctx, func(tx storage.Tx) error {
		i, err := tx.GetInteraction(ctx, b.tenant, id)
		if err != nil {
			return err
		}
		if i.Direction != interaction.DirectionOutbound {
			return &interaction.ValidationError{Field: "delivery",
				Err: fmt.Errorf("%w: a delivery receipt for an %s interaction", interaction.ErrNotApplicable, i.Direction)}
		}
		d, err := i.Delivery.Apply(u)
		if err != nil {
			return err
		}
		if d != i.Delivery {
			i.Delivery, i.UpdatedAt = d, now
			// The updated record must pass its own Validate (a delivery
			// status on an inbound message or a note does not), so that
			// nothing stored is invalid; nothing is written otherwise.
			if err := i.Validate(); err != nil {
				return err
			}
			rev, err := tx.UpdateInteraction(ctx, i)
			if err != nil {
				return err
			}
			i.Revision = rev
		}
		out = i
		if consent.FromProvider("", u.ErrorCode) != consent.SignalOptOut || i.Address.IsZero() {
			return nil
		}
		at := u.At
		if at.IsZero() {
			at = now
		}
		_, err = b.appendConsent(ctx, tx, consent.Event{
			Subject: consent.Subject{Address: i.Address.Line(), Customer: i.Customer},
			Channel: i.Channel, Purpose: consent.PurposeAll, Rooftop: i.Rooftop, Action: consent.ActionRevoke, CapturedAt: at,
			Evidence: consent.Evidence{Method: consent.MethodProviderSignal, ProviderRef: u.ErrorCode, ReceivedOn: i.Via},
		}, now)
		return err
	})
	return out, fail("UpdateDelivery", err)
}
