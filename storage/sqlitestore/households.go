package sqlitestore

import (
	"context"

	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/storage"
)

var (
	sqlGetHousehold       = static(`SELECT 0, id, doc FROM households WHERE tenant_id = ? AND id = ?`)
	sqlHouseholdsByMember = static(`SELECT household_id FROM household_members WHERE tenant_id = ? AND customer_id = ? ORDER BY household_id`)
	sqlGetVehicle         = static(`SELECT 0, id, doc FROM vehicles WHERE tenant_id = ? AND id = ?`)
	sqlVehiclesByVIN      = static(`SELECT id FROM vehicles WHERE tenant_id = ? AND vin = ? ORDER BY id`)

	sqlInsertHousehold   = static(`INSERT INTO households (tenant_id, id, revision, doc) VALUES (?, ?, 1, ?)`)
	sqlUpdateHousehold   = static(`UPDATE households SET revision = revision + 1, doc = ? WHERE tenant_id = ? AND id = ? AND revision = ?`)
	sqlHouseholdRevision = static(`SELECT revision FROM households WHERE tenant_id = ? AND id = ?`)
	sqlInsertMember      = static(`INSERT OR IGNORE INTO household_members (tenant_id, customer_id, household_id) VALUES (?, ?, ?)`)
	sqlDeleteMembers     = static(`DELETE FROM household_members WHERE tenant_id = ? AND household_id = ?`)

	sqlInsertVehicle   = static(`INSERT INTO vehicles (tenant_id, id, vin, revision, doc) VALUES (?, ?, ?, 1, ?)`)
	sqlUpdateVehicle   = static(`UPDATE vehicles SET vin = ?, revision = revision + 1, doc = ? WHERE tenant_id = ? AND id = ? AND revision = ?`)
	sqlVehicleRevision = static(`SELECT revision FROM vehicles WHERE tenant_id = ? AND id = ?`)
)

// GetHousehold implements storage.HouseholdReader.
func (r reader) GetHousehold(ctx context.Context, tenant dealer.Tenant, id household.ID) (household.Household, error) {
	const op = "sqlitestore.GetHousehold"
	if err := r.run.enter(ctx, op); err != nil {
		return household.Household{}, err
	}
	return getDoc[household.Household](ctx, r.run, op, sqlGetHousehold, string(tenant), idBytes(id))
}

// HouseholdsByMember implements storage.HouseholdReader, from the
// household_members index.
func (r reader) HouseholdsByMember(ctx context.Context, tenant dealer.Tenant, id customer.ID) ([]household.ID, error) {
	const op = "sqlitestore.HouseholdsByMember"
	if err := r.run.enter(ctx, op); err != nil {
		return nil, err
	}
	return queryIDs[household.ID](ctx, r.run, op, sqlHouseholdsByMember, string(tenant), idBytes(id))
}

// GetVehicle implements storage.HouseholdReader.
func (r reader) GetVehicle(ctx context.Context, tenant dealer.Tenant, id household.VehicleID) (household.Vehicle, error) {
	const op = "sqlitestore.GetVehicle"
	if err := r.run.enter(ctx, op); err != nil {
		return household.Vehicle{}, err
	}
	return getDoc[household.Vehicle](ctx, r.run, op, sqlGetVehicle, string(tenant), idBytes(id))
}

// VehiclesByVIN implements storage.HouseholdReader. The zero VIN matches
// nothing.
func (r reader) VehiclesByVIN(ctx context.Context, tenant dealer.Tenant, vin household.VIN) ([]household.VehicleID, error) {
	const op = "sqlitestore.VehiclesByVIN"
	if err := r.run.enter(ctx, op); err != nil {
		return nil, err
	}
	if vin.IsZero() {
		return nil, nil
	}
	return queryIDs[household.VehicleID](ctx, r.run, op, sqlVehiclesByVIN, string(tenant), vin.String())
}

// CreateHousehold implements storage.HouseholdWriter.
func (t *tx) CreateHousehold(ctx context.Context, h household.Household) error {
	const op = "sqlitestore.CreateHousehold"
	if err := t.enter(ctx, op); err != nil {
		return err
	}
	if err := checkNew(op, h.Tenant, h.ID, h.Revision); err != nil {
		return err
	}
	h.Revision = 1
	doc, err := encode(h)
	if err != nil {
		return storage.E(op, storage.ErrInvalidArgument, err)
	}
	if _, err := t.exec(ctx, sqlInsertHousehold, string(h.Tenant), idBytes(h.ID), doc); err != nil {
		return mapErr(ctx, op, err)
	}
	if err := t.indexMembers(ctx, op, &h, false); err != nil {
		return err
	}
	return t.record(ctx, op, h.Tenant, storage.EntityHousehold, h.ID.String(), storage.OpCreate, 1)
}

// indexMembers writes the household's member rows, replacing the old ones
// when replace is set.
func (t *tx) indexMembers(ctx context.Context, op string, h *household.Household, replace bool) error {
	tenant, id := string(h.Tenant), idBytes(h.ID)
	if replace {
		if _, err := t.exec(ctx, sqlDeleteMembers, tenant, id); err != nil {
			return mapErr(ctx, op, err)
		}
	}
	for _, m := range h.Members {
		if m.Customer.IsZero() {
			continue
		}
		if _, err := t.exec(ctx, sqlInsertMember, tenant, idBytes(m.Customer), id); err != nil {
			return mapErr(ctx, op, err)
		}
	}
	return nil
}

// UpdateHousehold implements storage.HouseholdWriter.
func (t *tx) UpdateHousehold(ctx context.Context, h household.Household) (int64, error) {
	const op = "sqlitestore.UpdateHousehold"
	if err := t.enter(ctx, op); err != nil {
		return 0, err
	}
	if err := checkKey(op, h.Tenant, h.ID); err != nil {
		return 0, err
	}
	given := h.Revision
	h.Revision++
	doc, err := encode(h)
	if err != nil {
		return 0, storage.E(op, storage.ErrInvalidArgument, err)
	}
	res, err := t.exec(ctx, sqlUpdateHousehold, doc, string(h.Tenant), idBytes(h.ID), given)
	if err != nil {
		return 0, mapErr(ctx, op, err)
	}
	if err := t.revised(ctx, op, res, sqlHouseholdRevision, h.Tenant, h.ID); err != nil {
		return 0, err
	}
	if err := t.indexMembers(ctx, op, &h, true); err != nil {
		return 0, err
	}
	if err := t.record(ctx, op, h.Tenant, storage.EntityHousehold, h.ID.String(), storage.OpUpdate, h.Revision); err != nil {
		return 0, err
	}
	return h.Revision, nil
}

// vinArg is the vin column: the VIN's text, or NULL when zero.
func vinArg(v household.VIN) any {
	if v.IsZero() {
		return nil
	}
	return v.String()
}

// CreateVehicle implements storage.HouseholdWriter.
func (t *tx) CreateVehicle(ctx context.Context, v household.Vehicle) error {
	const op = "sqlitestore.CreateVehicle"
	if err := t.enter(ctx, op); err != nil {
		return err
	}
	if err := checkNew(op, v.Tenant, v.ID, v.Revision); err != nil {
		return err
	}
	v.Revision = 1
	doc, err := encode(v)
	if err != nil {
		return storage.E(op, storage.ErrInvalidArgument, err)
	}
	if _, err := t.exec(ctx, sqlInsertVehicle, string(v.Tenant), idBytes(v.ID), vinArg(v.VIN), doc); err != nil {
		return mapErr(ctx, op, err)
	}
	return t.record(ctx, op, v.Tenant, storage.EntityVehicle, v.ID.String(), storage.OpCreate, 1)
}

// UpdateVehicle implements storage.HouseholdWriter.
func (t *tx) UpdateVehicle(ctx context.Context, v household.Vehicle) (int64, error) {
	const op = "sqlitestore.UpdateVehicle"
	if err := t.enter(ctx, op); err != nil {
		return 0, err
	}
	if err := checkKey(op, v.Tenant, v.ID); err != nil {
		return 0, err
	}
	given := v.Revision
	v.Revision++
	doc, err := encode(v)
	if err != nil {
		return 0, storage.E(op, storage.ErrInvalidArgument, err)
	}
	res, err := t.exec(ctx, sqlUpdateVehicle, vinArg(v.VIN), doc, string(v.Tenant), idBytes(v.ID), given)
	if err != nil {
		return 0, mapErr(ctx, op, err)
	}
	if err := t.revised(ctx, op, res, sqlVehicleRevision, v.Tenant, v.ID); err != nil {
		return 0, err
	}
	if err := t.record(ctx, op, v.Tenant, storage.EntityVehicle, v.ID.String(), storage.OpUpdate, v.Revision); err != nil {
		return 0, err
	}
	return v.Revision, nil
}
