package rapport

import (
	"time"

	"context"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

// RecordConsent appends a consent event to the ledger: a grant with its
// evidence, a revocation, a do-not-call request, or a disclosure seen. The
// Book assigns the ID (when zero) and RecordedAt, and stamps times in UTC at
// microsecond precision. Events are never changed or removed afterwards. It
// returns the event as stored; validation problems are
// consent.ValidationError values.
//
// Sensitive data (SSNs, card and bank numbers) in the evidence's raw text
// and raw value and in the note is redacted before the event is stored, as
// in interaction bodies (interaction.Redact): the ledger is append-only, so
// a number written there could never be removed.
//
// A revocation or do-not-call request recorded at a rooftop binds every
// rooftop of the tenant, or of the rooftop's seller when the policy groups
// rooftops into sellers (consent.Policy.Sellers; 47 CFR 64.1200(d)).
func (b *Book) RecordConsent(ctx context.Context, e consent.Event) (_ consent.Event, err error) {
	defer b.observe(ctx, "RecordConsent", time.Now(), &err)
	now := b.clock()
	var out consent.Event
	err = b.backend.Update(ctx, func(tx storage.Tx) error {
		var err error
		out, err = b.appendConsent(ctx, tx, e, now)
		return err
	})
	if err != nil {
		return consent.Event{}, fail("RecordConsent", err)
	}
	return out, nil
}

// redactEvidence redacts sensitive data in the free text of e that may
// hold what a person wrote or said.
func redactEvidence(e *consent.Event) {
	e.Evidence.RawText, _ = interaction.Redact(e.Evidence.RawText)
	e.Evidence.RawValue, _ = interaction.Redact(e.Evidence.RawValue)
	e.Note, _ = interaction.Redact(e.Note)
}

// ConsentEvent returns one event of the ledger by its ID, as it is stored
// now (an erased event carries its address's keyed hash, not the address),
// or an error matching ErrNotFound.
func (b *Book) ConsentEvent(ctx context.Context, id consent.ID) (consent.Event, error) {
	e, err := b.backend.GetConsent(ctx, b.tenant, id)
	return e, fail("ConsentEvent", err)
}

// ConsentLedger returns every consent event about addr's line (extensions
// ignored), in the order they were recorded, then those kept for the line
// under its erased key ([Book.Erase]), with the line as their address. Fold it with
// consent.Ledger.Fold or ask it for one key with consent.Ledger.State.
func (b *Book) ConsentLedger(ctx context.Context, addr channel.Address) (consent.Ledger, error) {
	events, err := b.backend.ConsentByAddress(ctx, b.tenant, addr)
	if err == nil {
		events, err = b.withErased(ctx, b.backend, addr.Line(), events)
	}
	return consent.Ledger(events), fail("ConsentLedger", err)
}

// CustomerConsent returns every consent event whose subject names the
// customer, in the order they were recorded.
func (b *Book) CustomerConsent(ctx context.Context, id customer.ID) (consent.Ledger, error) {
	events, err := b.backend.ConsentByCustomer(ctx, b.tenant, id)
	return consent.Ledger(events), fail("CustomerConsent", err)
}
