package storagetest

import (
	"context"
	"fmt"

	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

// aggregate describes one kind of revisioned record to the checks that treat
// every kind alike. Records travel as any; spec builds the typed plumbing.
type aggregate struct {
	name   string
	entity storage.Entity

	// build returns a minimal record with a new ID; full a fully populated
	// one.
	build func(g *ids, tenant dealer.Tenant) any
	full  func(g *ids, tenant dealer.Tenant) any

	id         func(r any) string // canonical text, as in storage.Change.ID
	revision   func(r any) int64
	withRev    func(r any, rev int64) any
	withTenant func(r any, tenant dealer.Tenant) any
	touch      func(r any, note string) any // changes one text field
	touched    func(r any) string           // reads that field back
	create     func(ctx context.Context, tx storage.Tx, r any) error
	update     func(ctx context.Context, tx storage.Tx, r any) (int64, error)
	get        func(ctx context.Context, rd storage.Reader, tenant dealer.Tenant, r any) (any, error) // reads the record with r's ID
	remove     func(ctx context.Context, tx storage.Tx, tenant dealer.Tenant, r any, rev int64) error // nil: no delete
	// list reads a list that holds r (ListCustomers, a timeline, …); nil
	// when the aggregate has no list read.
	list func(ctx context.Context, rd storage.Reader, tenant dealer.Tenant, r any) ([]any, error)
}

type spec[T any] struct {
	name   string
	entity storage.Entity
	build  func(g *ids, tenant dealer.Tenant) T
	full   func(g *ids, tenant dealer.Tenant) T
	id     func(r *T) string
	rev    func(r *T) *int64
	tenant func(r *T) *dealer.Tenant
	note   func(r *T) *string
	create func(ctx context.Context, tx storage.Tx, r T) error
	update func(ctx context.Context, tx storage.Tx, r T) (int64, error)
	get    func(ctx context.Context, rd storage.Reader, tenant dealer.Tenant, r T) (T, error)
	remove func(ctx context.Context, tx storage.Tx, tenant dealer.Tenant, r T, rev int64) error
	list   func(ctx context.Context, rd storage.Reader, tenant dealer.Tenant, r T) ([]T, error)
}

func (s spec[T]) aggregate() aggregate {
	a := aggregate{
		name:   s.name,
		entity: s.entity,
		build:  func(g *ids, tenant dealer.Tenant) any { return s.build(g, tenant) },
		full:   func(g *ids, tenant dealer.Tenant) any { return s.full(g, tenant) },
		id:     func(r any) string { v := r.(T); return s.id(&v) },
		revision: func(r any) int64 {
			v := r.(T)
			return *s.rev(&v)
		},
		withRev: func(r any, rev int64) any {
			v := r.(T)
			*s.rev(&v) = rev
			return v
		},
		withTenant: func(r any, tenant dealer.Tenant) any {
			v := r.(T)
			*s.tenant(&v) = tenant
			return v
		},
		touch: func(r any, note string) any {
			v := r.(T)
			*s.note(&v) = note
			return v
		},
		touched: func(r any) string { v := r.(T); return *s.note(&v) },
		create:  func(ctx context.Context, tx storage.Tx, r any) error { return s.create(ctx, tx, r.(T)) },
		update:  func(ctx context.Context, tx storage.Tx, r any) (int64, error) { return s.update(ctx, tx, r.(T)) },
		get: func(ctx context.Context, rd storage.Reader, tenant dealer.Tenant, r any) (any, error) {
			return s.get(ctx, rd, tenant, r.(T))
		},
	}
	if s.remove != nil {
		a.remove = func(ctx context.Context, tx storage.Tx, tenant dealer.Tenant, r any, rev int64) error {
			return s.remove(ctx, tx, tenant, r.(T), rev)
		}
	}
	if s.list != nil {
		a.list = func(ctx context.Context, rd storage.Reader, tenant dealer.Tenant, r any) ([]any, error) {
			got, err := s.list(ctx, rd, tenant, r.(T))
			out := make([]any, len(got))
			for i, v := range got {
				out[i] = v
			}
			return out, err
		}
	}
	return a
}

// aggregates lists every revisioned aggregate. The consent ledger is not
// one: it has no revisions, and is checked on its own.
var aggregates = []aggregate{
	spec[customer.Customer]{
		name:   "Customer",
		entity: storage.EntityCustomer,
		build:  func(g *ids, t dealer.Tenant) customer.Customer { return newCustomer(t, g.customer(), phone(10)) },
		full: func(g *ids, t dealer.Tenant) customer.Customer {
			return fullCustomer(t, g.customer(), g.customer())
		},
		id:     func(r *customer.Customer) string { return r.ID.String() },
		rev:    func(r *customer.Customer) *int64 { return &r.Revision },
		tenant: func(r *customer.Customer) *dealer.Tenant { return &r.Tenant },
		note:   func(r *customer.Customer) *string { return &r.Source },
		create: func(ctx context.Context, tx storage.Tx, r customer.Customer) error { return tx.CreateCustomer(ctx, r) },
		update: func(ctx context.Context, tx storage.Tx, r customer.Customer) (int64, error) {
			return tx.UpdateCustomer(ctx, r)
		},
		get: func(ctx context.Context, rd storage.Reader, t dealer.Tenant, r customer.Customer) (customer.Customer, error) {
			return rd.GetCustomer(ctx, t, r.ID)
		},
		remove: func(ctx context.Context, tx storage.Tx, t dealer.Tenant, r customer.Customer, rev int64) error {
			return tx.DeleteCustomer(ctx, t, r.ID, rev)
		},
		list: func(ctx context.Context, rd storage.Reader, t dealer.Tenant, r customer.Customer) ([]customer.Customer, error) {
			page, _, err := rd.ListCustomers(ctx, t, "", 1000)
			return page, err
		},
	}.aggregate(),
	spec[interaction.Interaction]{
		name:   "Interaction",
		entity: storage.EntityInteraction,
		build: func(g *ids, t dealer.Tenant) interaction.Interaction {
			return newInteraction(t, g.interaction(), g.customer(), at(0))
		},
		full: func(g *ids, t dealer.Tenant) interaction.Interaction {
			return fullInteraction(t, g.interaction(), g.customer(), g.household(), g.conversation(), g.customer())
		},
		id:     func(r *interaction.Interaction) string { return r.ID.String() },
		rev:    func(r *interaction.Interaction) *int64 { return &r.Revision },
		tenant: func(r *interaction.Interaction) *dealer.Tenant { return &r.Tenant },
		note:   func(r *interaction.Interaction) *string { return &r.Body },
		create: func(ctx context.Context, tx storage.Tx, r interaction.Interaction) error {
			return tx.CreateInteraction(ctx, r)
		},
		update: func(ctx context.Context, tx storage.Tx, r interaction.Interaction) (int64, error) {
			return tx.UpdateInteraction(ctx, r)
		},
		get: func(ctx context.Context, rd storage.Reader, t dealer.Tenant, r interaction.Interaction) (interaction.Interaction, error) {
			return rd.GetInteraction(ctx, t, r.ID)
		},
		list: func(ctx context.Context, rd storage.Reader, t dealer.Tenant, r interaction.Interaction) ([]interaction.Interaction, error) {
			page, _, err := rd.Interactions(ctx, t, storage.InteractionQuery{Customers: []customer.ID{r.Customer}}, "", 1000)
			return page, err
		},
	}.aggregate(),
	spec[interaction.Conversation]{
		name:   "Conversation",
		entity: storage.EntityConversation,
		build: func(g *ids, t dealer.Tenant) interaction.Conversation {
			return newConversation(t, g.conversation(), g.customer(), at(0))
		},
		full: func(g *ids, t dealer.Tenant) interaction.Conversation {
			return fullConversation(t, g.conversation(), g.customer())
		},
		id:     func(r *interaction.Conversation) string { return r.ID.String() },
		rev:    func(r *interaction.Conversation) *int64 { return &r.Revision },
		tenant: func(r *interaction.Conversation) *dealer.Tenant { return &r.Tenant },
		note:   func(r *interaction.Conversation) *string { return (*string)(&r.Owner) },
		create: func(ctx context.Context, tx storage.Tx, r interaction.Conversation) error {
			return tx.CreateConversation(ctx, r)
		},
		update: func(ctx context.Context, tx storage.Tx, r interaction.Conversation) (int64, error) {
			return tx.UpdateConversation(ctx, r)
		},
		get: func(ctx context.Context, rd storage.Reader, t dealer.Tenant, r interaction.Conversation) (interaction.Conversation, error) {
			return rd.GetConversation(ctx, t, r.ID)
		},
		list: func(ctx context.Context, rd storage.Reader, t dealer.Tenant, r interaction.Conversation) ([]interaction.Conversation, error) {
			return rd.ConversationsByCustomer(ctx, t, r.Customer)
		},
	}.aggregate(),
	spec[interaction.Commitment]{
		name:   "Commitment",
		entity: storage.EntityCommitment,
		build: func(g *ids, t dealer.Tenant) interaction.Commitment {
			return newCommitment(t, g.commitment(), g.customer(), at(60))
		},
		full: func(g *ids, t dealer.Tenant) interaction.Commitment {
			return fullCommitment(t, g.commitment(), g.customer(), g.conversation(), g.interaction())
		},
		id:     func(r *interaction.Commitment) string { return r.ID.String() },
		rev:    func(r *interaction.Commitment) *int64 { return &r.Revision },
		tenant: func(r *interaction.Commitment) *dealer.Tenant { return &r.Tenant },
		note:   func(r *interaction.Commitment) *string { return &r.What },
		create: func(ctx context.Context, tx storage.Tx, r interaction.Commitment) error {
			return tx.CreateCommitment(ctx, r)
		},
		update: func(ctx context.Context, tx storage.Tx, r interaction.Commitment) (int64, error) {
			return tx.UpdateCommitment(ctx, r)
		},
		get: func(ctx context.Context, rd storage.Reader, t dealer.Tenant, r interaction.Commitment) (interaction.Commitment, error) {
			return rd.GetCommitment(ctx, t, r.ID)
		},
		list: func(ctx context.Context, rd storage.Reader, t dealer.Tenant, r interaction.Commitment) ([]interaction.Commitment, error) {
			page, _, err := rd.Commitments(ctx, t, storage.CommitmentQuery{Customer: r.Customer}, "", 1000)
			return page, err
		},
	}.aggregate(),
	spec[household.Household]{
		name:   "Household",
		entity: storage.EntityHousehold,
		build: func(g *ids, t dealer.Tenant) household.Household {
			return newHousehold(t, g.household(), g.customer())
		},
		full: func(g *ids, t dealer.Tenant) household.Household {
			return fullHousehold(t, g.household(),
				[]customer.ID{g.customer(), g.customer(), g.customer()},
				[]household.VehicleID{g.vehicle(), g.vehicle()})
		},
		id:     func(r *household.Household) string { return r.ID.String() },
		rev:    func(r *household.Household) *int64 { return &r.Revision },
		tenant: func(r *household.Household) *dealer.Tenant { return &r.Tenant },
		note:   func(r *household.Household) *string { return &r.Name },
		create: func(ctx context.Context, tx storage.Tx, r household.Household) error {
			return tx.CreateHousehold(ctx, r)
		},
		update: func(ctx context.Context, tx storage.Tx, r household.Household) (int64, error) {
			return tx.UpdateHousehold(ctx, r)
		},
		get: func(ctx context.Context, rd storage.Reader, t dealer.Tenant, r household.Household) (household.Household, error) {
			return rd.GetHousehold(ctx, t, r.ID)
		},
	}.aggregate(),
	spec[household.Vehicle]{
		name:   "Vehicle",
		entity: storage.EntityVehicle,
		build: func(g *ids, t dealer.Tenant) household.Vehicle {
			return newVehicle(t, g.vehicle(), vin2)
		},
		full: func(g *ids, t dealer.Tenant) household.Vehicle {
			return fullVehicle(t, g.vehicle(), g.household(), []customer.ID{g.customer(), g.customer()})
		},
		id:     func(r *household.Vehicle) string { return r.ID.String() },
		rev:    func(r *household.Vehicle) *int64 { return &r.Revision },
		tenant: func(r *household.Vehicle) *dealer.Tenant { return &r.Tenant },
		note:   func(r *household.Vehicle) *string { return &r.Trim },
		create: func(ctx context.Context, tx storage.Tx, r household.Vehicle) error {
			return tx.CreateVehicle(ctx, r)
		},
		update: func(ctx context.Context, tx storage.Tx, r household.Vehicle) (int64, error) {
			return tx.UpdateVehicle(ctx, r)
		},
		get: func(ctx context.Context, rd storage.Reader, t dealer.Tenant, r household.Vehicle) (household.Vehicle, error) {
			return rd.GetVehicle(ctx, t, r.ID)
		},
	}.aggregate(),
}

// aggregateOf returns the aggregate r is a record of; false for a consent
// event.
func aggregateOf(r any) (aggregate, bool) {
	e := changeOf(r).Entity
	for _, a := range aggregates {
		if a.entity == e {
			return a, true
		}
	}
	return aggregate{}, false
}

// put writes any record through tx: Create for the revisioned aggregates,
// AppendConsent for consent events.
func put(ctx context.Context, tx storage.Tx, r any) error {
	switch r := r.(type) {
	case customer.Customer:
		return tx.CreateCustomer(ctx, r)
	case interaction.Interaction:
		return tx.CreateInteraction(ctx, r)
	case interaction.Conversation:
		return tx.CreateConversation(ctx, r)
	case interaction.Commitment:
		return tx.CreateCommitment(ctx, r)
	case household.Household:
		return tx.CreateHousehold(ctx, r)
	case household.Vehicle:
		return tx.CreateVehicle(ctx, r)
	case consent.Event:
		return tx.AppendConsent(ctx, r)
	}
	panic(fmt.Sprintf("storagetest: put: unexpected %T", r))
}

// changeOf returns the change record a create (or consent append) of r
// should produce, without Seq and Tenant.
func changeOf(r any) storage.Change {
	switch r := r.(type) {
	case customer.Customer:
		return storage.Change{Entity: storage.EntityCustomer, ID: r.ID.String(), Op: storage.OpCreate, Revision: 1}
	case interaction.Interaction:
		return storage.Change{Entity: storage.EntityInteraction, ID: r.ID.String(), Op: storage.OpCreate, Revision: 1}
	case interaction.Conversation:
		return storage.Change{Entity: storage.EntityConversation, ID: r.ID.String(), Op: storage.OpCreate, Revision: 1}
	case interaction.Commitment:
		return storage.Change{Entity: storage.EntityCommitment, ID: r.ID.String(), Op: storage.OpCreate, Revision: 1}
	case household.Household:
		return storage.Change{Entity: storage.EntityHousehold, ID: r.ID.String(), Op: storage.OpCreate, Revision: 1}
	case household.Vehicle:
		return storage.Change{Entity: storage.EntityVehicle, ID: r.ID.String(), Op: storage.OpCreate, Revision: 1}
	case consent.Event:
		return storage.Change{Entity: storage.EntityConsent, ID: r.ID.String(), Op: storage.OpCreate}
	}
	panic(fmt.Sprintf("storagetest: changeOf: unexpected %T", r))
}
