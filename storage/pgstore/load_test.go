package pgstore_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
	"github.com/rapportcim/rapport/storage/pgstore"
)

// loaded is what load wrote for one tenant.
type loaded struct {
	tenant     dealer.Tenant
	customers  []customer.Customer
	households []household.Household
	convs      []interaction.Conversation
}

// load writes a tenant's book: customers (each with perCustomer
// interactions, one conversation, one commitment and one consent event),
// a household per ten customers with a vehicle, a rejected household
// suggestion per customer, every tenth interaction flagged for review. Interactions and customers go in through COPY.
func load(t testing.TB, b *pgstore.Backend, tenant dealer.Tenant, customers, perCustomer int) loaded {
	t.Helper()
	ctx := t.Context()
	l := loaded{tenant: tenant}
	for k := range customers {
		l.customers = append(l.customers, newCustomer(tenant, k))
	}
	if err := b.BulkCreateCustomers(ctx, l.customers); err != nil {
		t.Fatalf("BulkCreateCustomers: %v", err)
	}
	for k := 0; k < customers; k += 10 {
		h := household.Household{ID: household.ID(newID()), Tenant: tenant, Name: fmt.Sprintf("Doe household %d", k)}
		for m := k; m < min(k+10, customers); m++ {
			h.Members = append(h.Members, household.Member{Customer: l.customers[m].ID, Role: household.MemberRoleSpouse})
		}
		l.households = append(l.households, h)
	}
	var is []interaction.Interaction
	err := b.Update(ctx, func(tx storage.Tx) error {
		for k, h := range l.households {
			if err := tx.CreateHousehold(ctx, h); err != nil {
				return err
			}
			v := household.Vehicle{ID: household.VehicleID(newID()), Tenant: tenant, Household: h.ID, Make: "Mazda", Model: "CX-5", Year: 2020 + k%5}
			if err := tx.CreateVehicle(ctx, v); err != nil {
				return err
			}
		}
		for k, c := range l.customers {
			conv := newConversation(tenant, c.ID, t0.Add(time.Duration(k)*time.Minute))
			conv.Owner = dealer.Staff(fmt.Sprintf("staff-%d", k%20))
			if k%3 == 0 {
				conv.Status = interaction.ConversationStatusResolved
			}
			if err := tx.CreateConversation(ctx, conv); err != nil {
				return err
			}
			l.convs = append(l.convs, conv)
			cm := newCommitment(tenant, c.ID, t0.Add(time.Duration(k)*time.Minute))
			cm.Owner = conv.Owner
			if err := tx.CreateCommitment(ctx, cm); err != nil {
				return err
			}
			if err := tx.AppendConsent(ctx, newEvent(tenant, c.ContactPoints[0].Address, c.ID, t0)); err != nil {
				return err
			}
			if k > 0 {
				// A household suggestion (this customer and the previous
				// one) that staff rejected.
				if err := tx.RecordSuggestionDecision(ctx, household.Decision{Tenant: tenant, Key: fmt.Sprintf("suggestion-%d", k),
					Members: []customer.ID{l.customers[k-1].ID, c.ID}, Outcome: household.OutcomeRejected, At: t0}); err != nil {
					return err
				}
			}
			for m := range perCustomer {
				i := newInteraction(tenant, c.ID, conv.ID, l.households[k/10].ID, t0.Add(time.Duration(k*perCustomer+m)*time.Second))
				i.Address = c.ContactPoints[0].Address // the customer's own number: a book's sends spread over its lines
				if m%10 == 9 {
					i.Flags = []interaction.Flag{{Reason: interaction.FlagReasonManual, FlaggedAt: t0}}
				}
				if m%4 == 1 {
					// A reply by the conversation's owner: a send and a
					// staff contact, so line_touches is loaded too.
					i.Direction, i.Authorship = interaction.DirectionOutbound, interaction.AuthorshipHuman
					i.Participants = []interaction.Participant{{Staff: conv.Owner, Role: interaction.RoleSalesperson}}
				}
				is = append(is, i)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("loading %s: %v", tenant, err)
	}
	for len(is) > 0 {
		n := min(len(is), 10000)
		if err := b.BulkCreateInteractions(ctx, is[:n]); err != nil {
			t.Fatalf("BulkCreateInteractions: %v", err)
		}
		is = is[n:]
	}
	return l
}
