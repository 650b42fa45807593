package rapport

import (
	"context"
	"fmt"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

// Inbound is a message received from a customer, as a messaging provider's
// webhook delivers it.
type Inbound struct {
	// From is the customer's address; required.
	From channel.Address
	// To is the dealership's number or inbox it arrived on.
	To channel.Address
	// Rooftop is the dealership location that number belongs to.
	Rooftop dealer.Rooftop
	// Channel is how it arrived; zero means SMS for a tel: address and the
	// address's own kind otherwise.
	Channel channel.Kind
	// Body is the text.
	Body string
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
	// ConfirmUntil is set after an opt-out: one non-marketing confirmation
	// ("You're unsubscribed. Reply START to resubscribe.") may be sent with
	// Book.Send and Outbound.Confirmation until then, once.
	ConfirmUntil time.Time
	// NeedsReview is true when the message reads as a request to stop that
	// the policy leaves to staff (consent.Policy.ReviewRevocationRequests).
	NeedsReview bool
}

// Receive records an inbound message and acts on what it says about consent,
// in one transaction:
//
//   - It is recorded like RecordInteraction: resolved to the customer who
//     holds From (or a new customer), attached to their open conversation.
//   - For SMS, the text is classified (consent.Classify; the provider's
//     OptOutType wins when given). An opt-out (STOP, UNSUBSCRIBE, …, or a
//     request in plain words such as "please stop texting me", which the
//     FCC's reasonable-means rule makes a revocation) appends a revocation
//     for the line, every purpose and every rooftop of the tenant, with the
//     raw text, time and receiving number as evidence, and allows exactly
//     one non-marketing confirmation within the policy's window.
//   - An opt-in keyword (START, UNSTOP, YES) re-grants only what opt-out
//     keywords took away (consent.Reinstate); no other inbound message ever
//     re-opts anyone in.
//   - HELP returns the rooftop policy's help reply in Received.Reply.
func (b *Book) Receive(ctx context.Context, in Inbound) (Received, error) {
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
		Direction: interaction.DirectionInbound, Kind: kindFor(in.Channel), Body: in.Body, OccurredAt: at,
	}
	if in.ProviderRef != "" {
		i.ExternalRefs = map[string]string{"provider": in.ProviderRef}
	}
	i, err := b.prepare(i, now)
	if err != nil {
		return Received{}, fail("Receive", err)
	}
	policy := b.policies.For(in.Rooftop)
	var res Received
	err = b.backend.Update(ctx, func(tx storage.Tx) error {
		res = Received{}
		rec, err := b.record(ctx, tx, i, in.Handler, now)
		if err != nil {
			return err
		}
		res.Recorded = rec
		if in.Channel != channel.KindSMS {
			return nil
		}
		sig, method := consent.FromProvider(in.OptOutType, ""), consent.MethodProviderSignal
		if sig == consent.SignalNone {
			sig, method = b.classifier.Classify(in.Body), consent.MethodSMSKeyword
			if sig == consent.SignalRevocationRequest {
				method = consent.MethodSMSReply
			}
		}
		res.Signal = sig
		evidence := consent.Evidence{Method: method, RawText: in.Body, ReceivedOn: in.To, ProviderRef: in.ProviderRef}
		subject := consent.Subject{Address: in.From.Line(), Customer: rec.Interaction.Customer}
		switch {
		case policy.OptsOut(sig):
			e, err := b.appendConsent(ctx, tx, consent.Event{
				Subject: subject, Channel: in.Channel, Purpose: consent.PurposeAll,
				Action: consent.ActionRevoke, Evidence: evidence, CapturedAt: at,
			}, now)
			if err != nil {
				return err
			}
			res.Consent = append(res.Consent, e)
			if policy.ConfirmationWindow > 0 {
				res.ConfirmUntil = at.Add(policy.ConfirmationWindow)
			}
		case sig == consent.SignalRevocationRequest:
			res.NeedsReview = true
		case sig == consent.SignalOptIn:
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

// appendConsent completes and validates an event and appends it in tx.
func (b *Book) appendConsent(ctx context.Context, tx storage.Tx, e consent.Event, now time.Time) (consent.Event, error) {
	e.Tenant = b.tenant
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
// a late "delivered" after "read" is ignored). A receipt whose error code
// means the recipient opted out at the provider (Twilio 21610) also appends
// a revocation for the line, as a STOP would. It returns the interaction as
// stored.
func (b *Book) UpdateDelivery(ctx context.Context, id interaction.ID, u interaction.DeliveryUpdate) (interaction.Interaction, error) {
	u.At = stamp(u.At)
	now := b.clock()
	var out interaction.Interaction
	err := b.backend.Update(ctx, func(tx storage.Tx) error {
		i, err := tx.GetInteraction(ctx, b.tenant, id)
		if err != nil {
			return err
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
			Channel: i.Channel, Purpose: consent.PurposeAll, Action: consent.ActionRevoke, CapturedAt: at,
			Evidence: consent.Evidence{Method: consent.MethodProviderSignal, ProviderRef: u.ErrorCode, ReceivedOn: i.Via},
		}, now)
		return err
	})
	return out, fail("UpdateDelivery", err)
}
