package rapport

import (
	"context"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/storage"
)

// RecordConsent appends a consent event to the ledger: a grant with its
// evidence, a revocation, a do-not-call request, or a disclosure seen. The
// Book assigns the ID (when zero) and RecordedAt, and stamps times in UTC at
// microsecond precision. Events are never changed or removed afterwards. It
// returns the event as stored; validation problems are
// consent.ValidationError values.
func (b *Book) RecordConsent(ctx context.Context, e consent.Event) (consent.Event, error) {
	e.Tenant = b.tenant
	e.RecordedAt = b.clock()
	e.CapturedAt = stamp(e.CapturedAt)
	e.EffectiveFrom = stamp(e.EffectiveFrom)
	e.EffectiveTo = stamp(e.EffectiveTo)
	if e.ID.IsZero() {
		id, err := b.id()
		if err != nil {
			return consent.Event{}, fail("RecordConsent", err)
		}
		e.ID = consent.ID(id)
	}
	if err := e.Validate(); err != nil {
		return consent.Event{}, fail("RecordConsent", err)
	}
	err := b.backend.Update(ctx, func(tx storage.Tx) error { return tx.AppendConsent(ctx, e) })
	if err != nil {
		return consent.Event{}, fail("RecordConsent", err)
	}
	return e, nil
}

// ConsentLedger returns every consent event about addr's line (extensions
// ignored), in the order they were recorded. Fold it with
// consent.Ledger.Fold or ask it for one key with consent.Ledger.State.
func (b *Book) ConsentLedger(ctx context.Context, addr channel.Address) (consent.Ledger, error) {
	events, err := b.backend.ConsentByAddress(ctx, b.tenant, addr)
	return consent.Ledger(events), fail("ConsentLedger", err)
}

// CustomerConsent returns every consent event whose subject names the
// customer, in the order they were recorded.
func (b *Book) CustomerConsent(ctx context.Context, id customer.ID) (consent.Ledger, error) {
	events, err := b.backend.ConsentByCustomer(ctx, b.tenant, id)
	return consent.Ledger(events), fail("CustomerConsent", err)
}
