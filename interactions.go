package rapport

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

// Recorded says what RecordInteraction did.
type Recorded struct {
	// Interaction is the interaction as stored.
	Interaction interaction.Interaction
	// Conversation is the conversation it was attached to, as stored after
	// the call; zero when it belongs to none.
	Conversation interaction.Conversation
	// OpenedConversation is true when a conversation was opened (or a
	// resolved one re-opened) for it.
	OpenedConversation bool
	// NewCustomer is true when the address belonged to nobody in the book
	// and a customer was created for it.
	NewCustomer bool
	// OtherHolders lists the other customers who hold the same address (a
	// shared family number) when the interaction was attached to one of
	// them; a UI can offer to move it.
	OtherHolders []customer.ID
}

// RecordInteraction stores one touch between the dealership and a customer:
// a message, call, email, chat, visit, appointment, note, survey, review…
//
// The Book fills in what the record leaves out:
//
//   - ID, and OccurredAt (the current time) when zero. Times are stored in
//     UTC at microsecond precision.
//   - Customer, from i.Address when zero: the customer holding that address
//     (a new customer, with that address as a contact point, when nobody
//     does). When several customers share the address, the one with an
//     open conversation is chosen, else the earliest-created, and the
//     others are listed in Recorded.OtherHolders.
//   - Household, when the customer belongs to exactly one household.
//   - Conversation: messages, calls, emails and chats from or to a customer
//     attach to the customer's open (or pending, or snoozed) conversation at
//     the same rooftop, or open one; an inbound one re-opens the latest
//     resolved conversation instead of starting anew. Other kinds attach to
//     an open conversation when there is one. A snoozed conversation wakes
//     up on an inbound message. The conversation's anchors (last inbound,
//     last outbound, waiting since, first human reply) are updated.
//
// Sensitive data (SSNs, card and bank numbers) in the subject and body is
// redacted before anything is stored, recorded as findings, and the
// interaction is flagged for review, as it is when a watched phrase appears
// in the dealership's own words.
//
// RecordInteraction records what happened; it does not ask whether an
// outbound contact was allowed. Use Send to check consent and collisions
// before an outbound message or call, and Receive for inbound messages that
// may carry STOP, START or HELP. An outbound interaction recorded here
// still counts towards the frequency caps of its line (Book.Check): as
// marketing, unless i.Consent names another purpose.
//
// Everything happens in one transaction. Validation problems are returned
// as interaction.ValidationError values.
func (b *Book) RecordInteraction(ctx context.Context, i interaction.Interaction) (_ Recorded, err error) {
	defer b.observe(ctx, "RecordInteraction", time.Now(), &err)
	now := b.clock()
	i, err = b.prepare(i, now)
	if err != nil {
		return Recorded{}, fail("RecordInteraction", err)
	}
	var rec Recorded
	err = b.backend.Update(ctx, func(tx storage.Tx) error {
		r, err := b.record(ctx, tx, i, "", now)
		rec = r
		return err
	})
	if err != nil {
		return Recorded{}, fail("RecordInteraction", err)
	}
	return rec, nil
}

// prepare fills in what the Book owns (tenant, ID, timestamps in their
// stored form) and validates the interaction.
func (b *Book) prepare(i interaction.Interaction, now time.Time) (interaction.Interaction, error) {
	i.Tenant = b.tenant
	i.Revision = 0
	i.OccurredAt = stamp(i.OccurredAt)
	if i.OccurredAt.IsZero() {
		i.OccurredAt = now
	}
	i.CreatedAt, i.UpdatedAt = now, now
	i.Delivery.At = stamp(i.Delivery.At)
	if i.Delivery.Status != interaction.StatusUnknown && i.Delivery.At.IsZero() {
		i.Delivery.At = i.OccurredAt
	}
	if i.ID.IsZero() {
		id, err := b.id()
		if err != nil {
			return i, err
		}
		i.ID = interaction.ID(id)
	}
	// Sensitive data never reaches storage: it is redacted here, recorded
	// as findings, and the interaction is flagged for review (as it is when
	// a watched phrase appears in the dealership's own words).
	i.Participants = slices.Clone(i.Participants)
	i.Findings = slices.Clone(i.Findings)
	i.Flags = slices.Clone(i.Flags)
	i.Redact()
	i.Flags = append(i.Flags, interaction.ReviewFlags(i, b.phrases, now)...)
	if err := i.Validate(); err != nil {
		return i, err
	}
	return i, nil
}

func (b *Book) record(ctx context.Context, tx storage.Tx, i interaction.Interaction, handler dealer.Staff, now time.Time) (Recorded, error) {
	var rec Recorded
	if i.Customer.IsZero() && !i.Address.IsZero() {
		id, created, others, err := b.resolveAddress(ctx, tx, i.Address, i.Channel, now)
		if err != nil {
			return rec, err
		}
		i.Customer, rec.NewCustomer, rec.OtherHolders = id, created, others
	}
	if i.Household.IsZero() && !i.Customer.IsZero() {
		hs, err := tx.HouseholdsByMember(ctx, b.tenant, i.Customer)
		if err != nil {
			return rec, err
		}
		if len(hs) == 1 {
			i.Household = hs[0]
		}
	}
	if i.Conversation.IsZero() && !i.Customer.IsZero() && i.Direction != interaction.DirectionInternal {
		conv, opened, err := b.conversationFor(ctx, tx, i, handler, now)
		if err != nil {
			return rec, err
		}
		if !conv.ID.IsZero() {
			i.Conversation = conv.ID
			rec.Conversation, rec.OpenedConversation = conv, opened
		}
	} else if !i.Conversation.IsZero() {
		conv, err := tx.GetConversation(ctx, b.tenant, i.Conversation)
		if err != nil {
			return rec, fmt.Errorf("conversation of the interaction: %w", err)
		}
		conv, _, err = b.touch(ctx, tx, conv, i, now)
		if err != nil {
			return rec, err
		}
		rec.Conversation = conv
	}
	if err := tx.CreateInteraction(ctx, i); err != nil {
		return rec, err
	}
	i.Revision = 1
	rec.Interaction = i
	return rec, nil
}

// resolveAddress finds the customer an address belongs to, creating one when
// nobody holds it.
func (b *Book) resolveAddress(ctx context.Context, tx storage.Tx, addr channel.Address, kind channel.Kind, now time.Time) (customer.ID, bool, []customer.ID, error) {
	ids, err := tx.CustomersByAddress(ctx, b.tenant, addr)
	if err != nil {
		return customer.ID{}, false, nil, err
	}
	switch len(ids) {
	case 0:
		id, err := b.id()
		if err != nil {
			return customer.ID{}, false, nil, err
		}
		c := customer.Customer{
			ID:            customer.ID(id),
			Tenant:        b.tenant,
			ContactPoints: []customer.ContactPoint{{Address: addr, Primary: true, Source: "interaction"}},
			Source:        "interaction",
			CreatedAt:     now,
			UpdatedAt:     now,
		}
		if err := tx.CreateCustomer(ctx, c); err != nil {
			return customer.ID{}, false, nil, err
		}
		return c.ID, true, nil, nil
	case 1:
		return ids[0], false, nil, nil
	}
	chosen := ids[0]
	for _, id := range ids {
		open, err := tx.ConversationsByCustomer(ctx, b.tenant, id, openStatuses...)
		if err != nil {
			return customer.ID{}, false, nil, err
		}
		if len(open) > 0 {
			chosen = id
			break
		}
	}
	others := slices.DeleteFunc(slices.Clone(ids), func(id customer.ID) bool { return id == chosen })
	return chosen, false, others, nil
}

var openStatuses = []interaction.ConversationStatus{
	interaction.ConversationStatusOpen,
	interaction.ConversationStatusPending,
	interaction.ConversationStatusSnoozed,
}

// opensConversation reports whether an interaction of kind k starts a
// conversation when the customer has none open.
func opensConversation(k interaction.Kind) bool {
	switch k {
	case interaction.KindMessage, interaction.KindCall, interaction.KindEmail, interaction.KindChat, interaction.KindLead:
		return true
	}
	return false
}

// conversationFor attaches i to the customer's open conversation at i's
// rooftop, re-opens the latest resolved one for an inbound message, or opens
// a new one (pending, owned by handler, when handler is not zero); it
// returns the conversation as stored.
func (b *Book) conversationFor(ctx context.Context, tx storage.Tx, i interaction.Interaction, handler dealer.Staff, now time.Time) (interaction.Conversation, bool, error) {
	convs, err := tx.ConversationsByCustomer(ctx, b.tenant, i.Customer)
	if err != nil {
		return interaction.Conversation{}, false, err
	}
	var open, resolved *interaction.Conversation
	for k := range convs {
		c := &convs[k]
		if c.Rooftop != i.Rooftop {
			continue
		}
		switch {
		case slices.Contains(openStatuses, c.Status):
			if open == nil || latest(c).After(latest(open)) {
				open = c
			}
		case c.Status == interaction.ConversationStatusResolved:
			if resolved == nil || c.ResolvedAt.After(resolved.ResolvedAt) {
				resolved = c
			}
		}
	}
	switch {
	case open != nil:
		c, _, err := b.touch(ctx, tx, *open, i, now)
		return c, false, err
	case !opensConversation(i.Kind):
		return interaction.Conversation{}, false, nil
	case resolved != nil && i.Direction == interaction.DirectionInbound:
		c, ev, err := b.touch(ctx, tx, *resolved, i, now)
		return c, ev.Action == interaction.ActionReopened, err
	}
	id, err := b.id()
	if err != nil {
		return interaction.Conversation{}, false, err
	}
	c := interaction.Conversation{
		ID:        interaction.ConversationID(id),
		Tenant:    b.tenant,
		Rooftop:   i.Rooftop,
		Customer:  i.Customer,
		Channel:   i.Channel,
		Handler:   handler,
		CreatedAt: now,
		UpdatedAt: now,
	}
	opened, err := c.Open(i.OccurredAt)
	if err != nil {
		return interaction.Conversation{}, false, err
	}
	if _, err := c.Touch(i); err != nil {
		return interaction.Conversation{}, false, err
	}
	if err := c.Validate(); err != nil {
		return interaction.Conversation{}, false, err
	}
	if err := tx.CreateConversation(ctx, c); err != nil {
		return interaction.Conversation{}, false, err
	}
	c.Revision = 1
	if err := b.recordLifecycle(ctx, tx, c, opened, now); err != nil {
		return interaction.Conversation{}, false, err
	}
	return c, true, nil
}

func latest(c *interaction.Conversation) time.Time {
	t := c.OpenedAt
	for _, u := range []time.Time{c.LastInboundAt, c.LastOutboundAt} {
		if u.After(t) {
			t = u
		}
	}
	return t
}

// touch records i on a stored conversation (interaction.Conversation.Touch:
// anchors, and waking or re-opening on a customer's message), stores it
// when it changed, and records the lifecycle step that touching caused. A
// closed conversation takes no new interactions.
func (b *Book) touch(ctx context.Context, tx storage.Tx, c interaction.Conversation, i interaction.Interaction, now time.Time) (interaction.Conversation, interaction.LifecycleEvent, error) {
	before := c
	before.Followers = slices.Clone(c.Followers)
	ev, err := c.Touch(i)
	if err != nil {
		return c, ev, err
	}
	if reflect.DeepEqual(c, before) {
		return c, ev, nil
	}
	c.UpdatedAt = now
	rev, err := tx.UpdateConversation(ctx, c)
	if err != nil {
		return c, ev, err
	}
	c.Revision = rev
	return c, ev, b.recordLifecycle(ctx, tx, c, ev, now)
}

// Interaction returns the interaction with the given ID.
func (b *Book) Interaction(ctx context.Context, id interaction.ID) (interaction.Interaction, error) {
	i, err := b.backend.GetInteraction(ctx, b.tenant, id)
	return i, fail("Interaction", err)
}

// Conversation returns the conversation with the given ID.
func (b *Book) Conversation(ctx context.Context, id interaction.ConversationID) (interaction.Conversation, error) {
	c, err := b.backend.GetConversation(ctx, b.tenant, id)
	return c, fail("Conversation", err)
}
