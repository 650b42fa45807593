package pgstore_test

import (
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

// Fictional fixtures: +1 212 555-01xx numbers, example.com addresses.

var t0 = time.Date(2026, 11, 2, 15, 0, 0, 0, time.UTC)

// idSeq hands out IDs in increasing order (UUIDv7 layout, counter in the
// low bytes).
var idSeq atomic.Uint64

func newID() [16]byte {
	n := idSeq.Add(1)
	id := [16]byte{0x01, 0x95, 0x93, 0x5c, 0x2a, 0x00, 0x70, 0x00, 0x80}
	for i := 15; i >= 9; i-- {
		id[i] = byte(n)
		n >>= 8
	}
	return id
}

func phone(n int) channel.Address {
	a, err := channel.ParseAddress(fmt.Sprintf("tel:+121255501%02d", n%100))
	if err != nil {
		panic(err)
	}
	return a
}

func email(local string) channel.Address {
	a, err := channel.ParseAddress("mailto:" + local + "@example.com")
	if err != nil {
		panic(err)
	}
	return a
}

func newCustomer(tenant dealer.Tenant, n int) customer.Customer {
	return customer.Customer{
		ID:     customer.ID(newID()),
		Tenant: tenant,
		Name:   customer.Name{Given: "Jane", Family: fmt.Sprintf("Doe-%d", n)},
		ContactPoints: []customer.ContactPoint{
			{Address: phone(n), Rank: 1},
			{Address: email(fmt.Sprintf("jane.doe.%d", n)), Rank: 2},
		},
		ExternalIDs: []customer.ExternalID{{System: "DMS", Value: fmt.Sprintf("C-%05d", n)}},
		Source:      "walk-in",
		CreatedAt:   t0,
		UpdatedAt:   t0,
	}
}

func newInteraction(tenant dealer.Tenant, cust customer.ID, conv interaction.ConversationID, hh household.ID, at time.Time) interaction.Interaction {
	return interaction.Interaction{
		ID:           interaction.ID(newID()),
		Tenant:       tenant,
		Rooftop:      "north",
		Customer:     cust,
		Household:    hh,
		Conversation: conv,
		Channel:      channel.KindSMS,
		Address:      phone(1),
		Direction:    interaction.DirectionInbound,
		Kind:         interaction.KindMessage,
		Body:         "Is the blue CX-5 still available?",
		OccurredAt:   at,
		CreatedAt:    t0,
		UpdatedAt:    t0,
	}
}

func newConversation(tenant dealer.Tenant, cust customer.ID, opened time.Time) interaction.Conversation {
	return interaction.Conversation{
		ID:        interaction.ConversationID(newID()),
		Tenant:    tenant,
		Rooftop:   "north",
		Customer:  cust,
		Channel:   channel.KindSMS,
		Status:    interaction.ConversationStatusOpen,
		Owner:     "ana",
		Team:      "bdc",
		OpenedAt:  opened,
		CreatedAt: opened,
		UpdatedAt: opened,
	}
}

func newCommitment(tenant dealer.Tenant, cust customer.ID, due time.Time) interaction.Commitment {
	return interaction.Commitment{
		ID:        interaction.CommitmentID(newID()),
		Tenant:    tenant,
		Rooftop:   "north",
		Customer:  cust,
		What:      "Call back with the trade-in value",
		Owner:     "ana",
		Team:      "bdc",
		Due:       due,
		Status:    interaction.CommitmentStatusOpen,
		CreatedAt: t0,
		UpdatedAt: t0,
	}
}

func newEvent(tenant dealer.Tenant, addr channel.Address, cust customer.ID, at time.Time) consent.Event {
	return consent.Event{
		ID:         consent.ID(newID()),
		Tenant:     tenant,
		Subject:    consent.Subject{Address: addr, Customer: cust},
		Channel:    channel.KindSMS,
		Purpose:    consent.PurposeMarketing,
		Rooftop:    "north",
		Action:     consent.ActionGrant,
		Basis:      consent.BasisExpress,
		Evidence:   consent.Evidence{Method: consent.MethodWebForm},
		CapturedAt: at,
		RecordedAt: at,
	}
}

// seedStory writes, for each of n customers of tenant, the customer, a
// consent event, a conversation with two interactions and a commitment.
func seedStory(t testing.TB, b storage.Backend, tenant dealer.Tenant, n int) []customer.Customer {
	t.Helper()
	var cs []customer.Customer
	err := b.Update(t.Context(), func(tx storage.Tx) error {
		for k := range n {
			c := newCustomer(tenant, k)
			if err := tx.CreateCustomer(t.Context(), c); err != nil {
				return err
			}
			c.Revision = 1
			cs = append(cs, c)
			if err := tx.AppendConsent(t.Context(), newEvent(tenant, phone(k), c.ID, t0)); err != nil {
				return err
			}
			conv := newConversation(tenant, c.ID, t0)
			if err := tx.CreateConversation(t.Context(), conv); err != nil {
				return err
			}
			for m := range 2 {
				if err := tx.CreateInteraction(t.Context(), newInteraction(tenant, c.ID, conv.ID, household.ID{}, t0.Add(time.Duration(m)*time.Minute))); err != nil {
					return err
				}
			}
			if err := tx.CreateCommitment(t.Context(), newCommitment(tenant, c.ID, t0.Add(time.Hour))); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("seeding %s: %v", tenant, err)
	}
	return cs
}

// pgCode returns the PostgreSQL error code of err, or "".
func pgCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// allChanges follows the tenant's feed to its end.
func allChanges(t testing.TB, r storage.ChangeReader, tenant dealer.Tenant) []storage.Change {
	t.Helper()
	var out []storage.Change
	var after storage.Cursor
	for {
		page, next, err := r.Changes(t.Context(), tenant, after, 1000)
		if err != nil {
			t.Fatalf("Changes: %v", err)
		}
		out = append(out, page...)
		if len(page) == 0 {
			return out
		}
		after = next
	}
}
