package memstore

import (
	"maps"
	"slices"
	"time"

	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/interaction"
)

// The clone functions return a deep copy that shares no slice, map or
// pointer with their argument, with every time.Time in UTC (which also drops
// any monotonic clock reading). They are used on the way in and on the way
// out, so nothing a caller does to a value can reach what is stored.
// clone_test.go fills every exported field by reflection to keep them
// complete when the domain types grow.

func utc(t *time.Time) { *t = t.UTC() }

// ptr returns a pointer to a copy of *p, or nil.
func ptr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	c := *p
	return &c
}

func cloneCustomer(c *customer.Customer) customer.Customer {
	n := c.Clone()
	if len(n.Attributes) == 0 {
		n.Attributes = nil
	}
	for i := range n.ContactPoints {
		cp := &n.ContactPoints[i]
		utc(&cp.VerifiedAt)
		utc(&cp.UndeliverableAt)
	}
	for i := range n.Referrals {
		utc(&n.Referrals[i].At)
	}
	utc(&n.CreatedAt)
	utc(&n.UpdatedAt)
	return n
}

// cloneEvent copies a consent event. Events hold no slices, maps or
// pointers (netip.Addr and channel.Address are immutable values), so a copy
// is deep.
func cloneEvent(e *consent.Event) consent.Event {
	n := *e
	utc(&n.CapturedAt)
	utc(&n.RecordedAt)
	utc(&n.EffectiveFrom)
	utc(&n.EffectiveTo)
	return n
}

func cloneInteraction(i *interaction.Interaction) interaction.Interaction {
	n := *i
	n.Participants = cloneSlice(i.Participants)
	utc(&n.OccurredAt)
	utc(&n.Delivery.At)
	n.Call = ptr(i.Call)
	if n.Appointment = ptr(i.Appointment); n.Appointment != nil {
		utc(&n.Appointment.ScheduledFor)
	}
	n.Survey = ptr(i.Survey)
	n.Referral = ptr(i.Referral)
	n.Post = ptr(i.Post)
	if n.Lifecycle = ptr(i.Lifecycle); n.Lifecycle != nil {
		utc(&n.Lifecycle.At)
		utc(&n.Lifecycle.Until)
	}
	if n.Consent = ptr(i.Consent); n.Consent != nil {
		n.Consent.Reasons = cloneSlice(i.Consent.Reasons)
		utc(&n.Consent.CheckedAt)
	}
	n.Findings = cloneSlice(i.Findings)
	n.Flags = cloneSlice(i.Flags)
	for k := range n.Flags {
		utc(&n.Flags[k].FlaggedAt)
		utc(&n.Flags[k].ReviewedAt)
		utc(&n.Flags[k].Due)
	}
	n.ExternalRefs = cloneMap(i.ExternalRefs)
	n.Attributes = cloneMap(i.Attributes)
	utc(&n.CreatedAt)
	utc(&n.UpdatedAt)
	return n
}

func cloneConversation(c *interaction.Conversation) interaction.Conversation {
	n := *c
	n.Followers = cloneSlice(c.Followers)
	for _, t := range []*time.Time{
		&n.SnoozedUntil, &n.WaitingSince, &n.FirstHumanReplyAt, &n.LastInboundAt,
		&n.LastOutboundAt, &n.OpenedAt, &n.ResolvedAt, &n.ClosedAt, &n.CreatedAt, &n.UpdatedAt,
	} {
		utc(t)
	}
	if n.PendingHandoff = ptr(c.PendingHandoff); n.PendingHandoff != nil {
		utc(&n.PendingHandoff.At)
	}
	return n
}

// cloneCommitment copies a commitment and its callback request.
func cloneCommitment(c *interaction.Commitment) interaction.Commitment {
	n := *c
	utc(&n.Due)
	utc(&n.DoneAt)
	if c.Callback != nil {
		cb := *c.Callback
		cb.Windows = cloneSlice(cb.Windows)
		cb.Attempts = cloneSlice(cb.Attempts)
		utc(&cb.TakenAt)
		n.Callback = &cb
	}
	utc(&n.CreatedAt)
	utc(&n.UpdatedAt)
	return n
}

func cloneHousehold(h *household.Household) household.Household {
	n := *h
	n.Members = cloneSlice(h.Members)
	for i := range n.Members {
		utc(&n.Members[i].From)
		utc(&n.Members[i].To)
	}
	n.Vehicles = cloneSlice(h.Vehicles)
	n.Address.Lines = cloneSlice(h.Address.Lines)
	n.Attributes = cloneMap(h.Attributes)
	utc(&n.CreatedAt)
	utc(&n.UpdatedAt)
	return n
}

func cloneVehicle(v *household.Vehicle) household.Vehicle {
	n := *v
	utc(&n.Odometer.ReadAt)
	n.Stakeholders = cloneSlice(v.Stakeholders)
	for i := range n.Stakeholders {
		utc(&n.Stakeholders[i].From)
		utc(&n.Stakeholders[i].To)
	}
	utc(&n.PurchasedAt)
	utc(&n.WarrantyEnds)
	utc(&n.LeaseEnds)
	utc(&n.LastService.ReadAt)
	n.Attributes = cloneMap(v.Attributes)
	utc(&n.CreatedAt)
	utc(&n.UpdatedAt)
	return n
}

// cloneSlice copies s; an empty slice, nil or not, becomes nil: the
// contract stores an empty list as none (as the JSON of the SQL backends
// does, every list field being omitempty), so that every backend returns
// the same value.
func cloneSlice[S ~[]E, E any](s S) S {
	if len(s) == 0 {
		return nil
	}
	return slices.Clone(s)
}

// cloneMap is cloneSlice for maps.
func cloneMap[M ~map[K]V, K comparable, V any](m M) M {
	if len(m) == 0 {
		return nil
	}
	return maps.Clone(m)
}
