package storagetest

import (
	"context"
	"errors"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

var errBoom = errors.New("storagetest: boom")

// A world is one linked record of every kind in one tenant: a customer with
// an address and an external ID, an interaction, a conversation and a
// commitment for them, their household and its vehicle, and a consent
// event.
type world struct {
	tenant dealer.Tenant
	addr   channel.Address
	ext    customer.ExternalID
	cust   customer.Customer
	inter  interaction.Interaction
	conv   interaction.Conversation
	commit interaction.Commitment
	hh     household.Household
	veh    household.Vehicle
	event  consent.Event
}

func newWorld(g *ids, tenant dealer.Tenant, phoneN int) world {
	w := world{tenant: tenant, addr: phone(phoneN), ext: customer.ExternalID{System: "cdk", Value: "CDK-1"}}
	w.cust = newCustomer(tenant, g.customer(), w.addr)
	w.cust.ExternalIDs = []customer.ExternalID{w.ext}
	w.conv = newConversation(tenant, g.conversation(), w.cust.ID, at(0))
	w.hh = newHousehold(tenant, g.household(), w.cust.ID)
	w.inter = newInteraction(tenant, g.interaction(), w.cust.ID, at(1))
	w.inter.Conversation = w.conv.ID
	w.inter.Household = w.hh.ID
	w.inter.Address = w.addr
	w.commit = newCommitment(tenant, g.commitment(), w.cust.ID, at(60))
	w.veh = newVehicle(tenant, g.vehicle(), vin3)
	w.veh.Household = w.hh.ID
	w.event = newEvent(tenant, g.event(), w.addr, w.cust.ID, at(0))
	return w
}

func (w world) records() []any {
	return []any{w.cust, w.conv, w.hh, w.inter, w.commit, w.veh, w.event}
}

// A call is one backend method call, named for messages.
type call struct {
	name string
	fn   func(ctx context.Context, rd storage.Reader) error
}

// readCalls returns a call of every Reader method, about w's records.
func readCalls(w world) []call {
	t := w.tenant
	return []call{
		{"GetCustomer", func(ctx context.Context, rd storage.Reader) error {
			_, err := rd.GetCustomer(ctx, t, w.cust.ID)
			return err
		}},
		{"CustomersByAddress", func(ctx context.Context, rd storage.Reader) error {
			_, err := rd.CustomersByAddress(ctx, t, w.addr)
			return err
		}},
		{"CustomersByExternalID", func(ctx context.Context, rd storage.Reader) error {
			_, err := rd.CustomersByExternalID(ctx, t, w.ext.System, w.ext.Value)
			return err
		}},
		{"ListCustomers", func(ctx context.Context, rd storage.Reader) error {
			_, _, err := rd.ListCustomers(ctx, t, "", 10)
			return err
		}},
		{"ConsentByAddress", func(ctx context.Context, rd storage.Reader) error {
			_, err := rd.ConsentByAddress(ctx, t, w.addr)
			return err
		}},
		{"ConsentByCustomer", func(ctx context.Context, rd storage.Reader) error {
			_, err := rd.ConsentByCustomer(ctx, t, w.cust.ID)
			return err
		}},
		{"SuggestionDecision", func(ctx context.Context, rd storage.Reader) error {
			_, err := rd.SuggestionDecision(ctx, t, household.SuggestionKey([]customer.ID{w.cust.ID}))
			return err
		}},
		{"GetInteraction", func(ctx context.Context, rd storage.Reader) error {
			_, err := rd.GetInteraction(ctx, t, w.inter.ID)
			return err
		}},
		{"Interactions", func(ctx context.Context, rd storage.Reader) error {
			_, _, err := rd.Interactions(ctx, t, storage.InteractionQuery{Customers: []customer.ID{w.cust.ID}}, "", 10)
			return err
		}},
		{"GetConversation", func(ctx context.Context, rd storage.Reader) error {
			_, err := rd.GetConversation(ctx, t, w.conv.ID)
			return err
		}},
		{"ConversationsByCustomer", func(ctx context.Context, rd storage.Reader) error {
			_, err := rd.ConversationsByCustomer(ctx, t, w.cust.ID)
			return err
		}},
		{"Conversations", func(ctx context.Context, rd storage.Reader) error {
			_, _, err := rd.Conversations(ctx, t, storage.ConversationQuery{Owner: w.conv.Owner}, "", 10)
			return err
		}},
		{"GetCommitment", func(ctx context.Context, rd storage.Reader) error {
			_, err := rd.GetCommitment(ctx, t, w.commit.ID)
			return err
		}},
		{"Commitments", func(ctx context.Context, rd storage.Reader) error {
			_, _, err := rd.Commitments(ctx, t, storage.CommitmentQuery{}, "", 10)
			return err
		}},
		{"GetHousehold", func(ctx context.Context, rd storage.Reader) error {
			_, err := rd.GetHousehold(ctx, t, w.hh.ID)
			return err
		}},
		{"HouseholdsByMember", func(ctx context.Context, rd storage.Reader) error {
			_, err := rd.HouseholdsByMember(ctx, t, w.cust.ID)
			return err
		}},
		{"GetVehicle", func(ctx context.Context, rd storage.Reader) error {
			_, err := rd.GetVehicle(ctx, t, w.veh.ID)
			return err
		}},
		{"VehiclesByVIN", func(ctx context.Context, rd storage.Reader) error {
			_, err := rd.VehiclesByVIN(ctx, t, w.veh.VIN)
			return err
		}},
		{"Changes", func(ctx context.Context, rd storage.Reader) error {
			_, _, err := rd.Changes(ctx, t, "", 10)
			return err
		}},
	}
}

// A writeCall is one Tx write method call, named for messages.
type writeCall struct {
	name string
	fn   func(ctx context.Context, tx storage.Tx) error
}

// writeCalls returns a call of every Tx write method that would succeed on
// a backend holding w (at revision 1) and nothing with g's next IDs.
func writeCalls(g *ids, w world) []writeCall {
	t := w.tenant
	c := w.cust
	c.Revision = 1
	i := w.inter
	i.Revision = 1
	cv := w.conv
	cv.Revision = 1
	cm := w.commit
	cm.Revision = 1
	h := w.hh
	h.Revision = 1
	v := w.veh
	v.Revision = 1
	newC := newCustomer(t, g.customer(), phone(40))
	newI := newInteraction(t, g.interaction(), c.ID, at(2))
	newCv := newConversation(t, g.conversation(), c.ID, at(2))
	newCm := newCommitment(t, g.commitment(), c.ID, at(90))
	newH := newHousehold(t, g.household(), newC.ID)
	newV := newVehicle(t, g.vehicle(), vin1)
	newE := newEvent(t, g.event(), w.addr, c.ID, at(3))
	newD := household.Decision{Tenant: t, Members: []customer.ID{c.ID, newC.ID}, Outcome: household.OutcomeRejected, At: at(3)}
	newD.Key = household.SuggestionKey(newD.Members)
	return []writeCall{
		{"CreateCustomer", func(ctx context.Context, tx storage.Tx) error { return tx.CreateCustomer(ctx, newC) }},
		{"UpdateCustomer", func(ctx context.Context, tx storage.Tx) error {
			_, err := tx.UpdateCustomer(ctx, c)
			return err
		}},
		{"DeleteCustomer", func(ctx context.Context, tx storage.Tx) error { return tx.DeleteCustomer(ctx, t, c.ID, 1) }},
		{"AppendConsent", func(ctx context.Context, tx storage.Tx) error { return tx.AppendConsent(ctx, newE) }},
		{"RecordSuggestionDecision", func(ctx context.Context, tx storage.Tx) error { return tx.RecordSuggestionDecision(ctx, newD) }},
		{"CreateInteraction", func(ctx context.Context, tx storage.Tx) error { return tx.CreateInteraction(ctx, newI) }},
		{"UpdateInteraction", func(ctx context.Context, tx storage.Tx) error {
			_, err := tx.UpdateInteraction(ctx, i)
			return err
		}},
		{"CreateConversation", func(ctx context.Context, tx storage.Tx) error { return tx.CreateConversation(ctx, newCv) }},
		{"UpdateConversation", func(ctx context.Context, tx storage.Tx) error {
			_, err := tx.UpdateConversation(ctx, cv)
			return err
		}},
		{"CreateCommitment", func(ctx context.Context, tx storage.Tx) error { return tx.CreateCommitment(ctx, newCm) }},
		{"UpdateCommitment", func(ctx context.Context, tx storage.Tx) error {
			_, err := tx.UpdateCommitment(ctx, cm)
			return err
		}},
		{"CreateHousehold", func(ctx context.Context, tx storage.Tx) error { return tx.CreateHousehold(ctx, newH) }},
		{"UpdateHousehold", func(ctx context.Context, tx storage.Tx) error {
			_, err := tx.UpdateHousehold(ctx, h)
			return err
		}},
		{"CreateVehicle", func(ctx context.Context, tx storage.Tx) error { return tx.CreateVehicle(ctx, newV) }},
		{"UpdateVehicle", func(ctx context.Context, tx storage.Tx) error {
			_, err := tx.UpdateVehicle(ctx, v)
			return err
		}},
	}
}
