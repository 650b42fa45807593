package memstore

import (
	"context"

	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/storage"
)

var households = &table[household.ID, household.Household]{
	name:   "Household",
	entity: storage.EntityHousehold,
	rows:   func(t *tenant) map[household.ID]*household.Household { return t.households },
	ident: func(h *household.Household) (dealer.Tenant, household.ID, *int64) {
		return h.Tenant, h.ID, &h.Revision
	},
	clone: cloneHousehold,
	index: func(t *tenant, old, new *household.Household) {
		var id household.ID
		var was, is []customer.ID
		if old != nil {
			id, was = old.ID, memberIDs(old)
		}
		if new != nil {
			id, is = new.ID, memberIDs(new)
		}
		t.householdsByMember.reindex(id, was, is)
	},
}

// memberIDs returns the distinct customers listed as members (at any time).
func memberIDs(h *household.Household) []customer.ID {
	ids := make([]customer.ID, 0, len(h.Members))
	for _, m := range h.Members {
		if !m.Customer.IsZero() && !containsID(ids, m.Customer) {
			ids = append(ids, m.Customer)
		}
	}
	return ids
}

func containsID(ids []customer.ID, id customer.ID) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

var vehicles = &table[household.VehicleID, household.Vehicle]{
	name:   "Vehicle",
	entity: storage.EntityVehicle,
	rows:   func(t *tenant) map[household.VehicleID]*household.Vehicle { return t.vehicles },
	ident: func(v *household.Vehicle) (dealer.Tenant, household.VehicleID, *int64) {
		return v.Tenant, v.ID, &v.Revision
	},
	clone: cloneVehicle,
	index: func(t *tenant, old, new *household.Vehicle) {
		if old != nil && !old.VIN.IsZero() && (new == nil || new.VIN != old.VIN) {
			t.vehiclesByVIN.remove(old.VIN, old.ID)
		}
		if new != nil && !new.VIN.IsZero() {
			t.vehiclesByVIN.add(new.VIN, new.ID)
		}
	},
}

// GetHousehold implements [storage.HouseholdReader].
func (r *reader) GetHousehold(ctx context.Context, tenant dealer.Tenant, id household.ID) (household.Household, error) {
	return get(r, ctx, households, tenant, id)
}

// HouseholdsByMember implements [storage.HouseholdReader]: the households
// listing the customer as a member at any time, in ID order, from an index.
func (r *reader) HouseholdsByMember(ctx context.Context, tenant dealer.Tenant, id customer.ID) ([]household.ID, error) {
	if err := r.lock(ctx, "memstore.HouseholdsByMember"); err != nil {
		return nil, err
	}
	defer r.unlock()
	t := r.tenant(tenant)
	if t == nil {
		return nil, nil
	}
	return t.householdsByMember.get(id), nil
}

// GetVehicle implements [storage.HouseholdReader].
func (r *reader) GetVehicle(ctx context.Context, tenant dealer.Tenant, id household.VehicleID) (household.Vehicle, error) {
	return get(r, ctx, vehicles, tenant, id)
}

// VehiclesByVIN implements [storage.HouseholdReader]: the vehicles with
// that VIN, in ID order, from an index. The zero VIN finds nothing.
func (r *reader) VehiclesByVIN(ctx context.Context, tenant dealer.Tenant, vin household.VIN) ([]household.VehicleID, error) {
	if err := r.lock(ctx, "memstore.VehiclesByVIN"); err != nil {
		return nil, err
	}
	defer r.unlock()
	t := r.tenant(tenant)
	if t == nil {
		return nil, nil
	}
	return t.vehiclesByVIN.get(vin), nil
}

// CreateHousehold implements [storage.HouseholdWriter]. It fails with
// [storage.ErrInvalidArgument] when h has no Tenant or ID or a non-zero
// Revision, and with [storage.ErrAlreadyExists].
func (x *txn) CreateHousehold(ctx context.Context, h household.Household) error {
	return create(x, ctx, households, &h)
}

// UpdateHousehold implements [storage.HouseholdWriter]: it stores h with
// Revision h.Revision+1 when the stored revision is h.Revision
// ([storage.ErrNotFound], [storage.ErrConflict]).
func (x *txn) UpdateHousehold(ctx context.Context, h household.Household) (int64, error) {
	return update(x, ctx, households, &h)
}

// CreateVehicle implements [storage.HouseholdWriter]. It fails with
// [storage.ErrInvalidArgument] when v has no Tenant or ID or a non-zero
// Revision, and with [storage.ErrAlreadyExists].
func (x *txn) CreateVehicle(ctx context.Context, v household.Vehicle) error {
	return create(x, ctx, vehicles, &v)
}

// UpdateVehicle implements [storage.HouseholdWriter]: it stores v with
// Revision v.Revision+1 when the stored revision is v.Revision
// ([storage.ErrNotFound], [storage.ErrConflict]).
func (x *txn) UpdateVehicle(ctx context.Context, v household.Vehicle) (int64, error) {
	return update(x, ctx, vehicles, &v)
}
