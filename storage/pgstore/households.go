package pgstore

import (
	"context"

	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/storage"
)

const (
	sqlGetHousehold       = `SELECT NULL::timestamptz, id, doc FROM households WHERE tenant_id = $1 AND id = $2`
	sqlHouseholdsByMember = `SELECT household_id FROM household_members WHERE tenant_id = $1 AND customer_id = $2 ORDER BY household_id`
	sqlGetVehicle         = `SELECT NULL::timestamptz, id, doc FROM vehicles WHERE tenant_id = $1 AND id = $2`
	sqlVehiclesByVIN      = `SELECT id FROM vehicles WHERE tenant_id = $1 AND vin = $2 ORDER BY id`

	sqlInsertHousehold   = `INSERT INTO households (tenant_id, id, revision, doc) VALUES ($1, $2, 1, $3) ON CONFLICT DO NOTHING`
	sqlUpdateHousehold   = `UPDATE households SET revision = revision + 1, doc = $1 WHERE tenant_id = $2 AND id = $3 AND revision = $4`
	sqlHouseholdRevision = `SELECT revision FROM households WHERE tenant_id = $1 AND id = $2`
	sqlInsertMembers     = `INSERT INTO household_members (tenant_id, customer_id, household_id) SELECT $1, unnest($2::uuid[]), $3 ON CONFLICT DO NOTHING`
	sqlDeleteMembers     = `DELETE FROM household_members WHERE tenant_id = $1 AND household_id = $2`

	sqlInsertVehicle   = `INSERT INTO vehicles (tenant_id, id, vin, revision, doc) VALUES ($1, $2, $3, 1, $4) ON CONFLICT DO NOTHING`
	sqlUpdateVehicle   = `UPDATE vehicles SET vin = $1, revision = revision + 1, doc = $2 WHERE tenant_id = $3 AND id = $4 AND revision = $5`
	sqlVehicleRevision = `SELECT revision FROM vehicles WHERE tenant_id = $1 AND id = $2`
)

// GetHousehold implements storage.HouseholdReader.
func (r reader) GetHousehold(ctx context.Context, tenant dealer.Tenant, id household.ID) (household.Household, error) {
	const op = "pgstore.GetHousehold"
	if err := r.run.enter(ctx, op, tenant); err != nil {
		return household.Household{}, err
	}
	return getDoc[household.Household](ctx, r.run, op, sqlGetHousehold, string(tenant), uid(id))
}

// HouseholdsByMember implements storage.HouseholdReader, from the
// household_members table.
func (r reader) HouseholdsByMember(ctx context.Context, tenant dealer.Tenant, id customer.ID) ([]household.ID, error) {
	const op = "pgstore.HouseholdsByMember"
	if err := r.run.enter(ctx, op, tenant); err != nil {
		return nil, err
	}
	return queryIDs[household.ID](ctx, r.run, op, sqlHouseholdsByMember, string(tenant), uid(id))
}

// GetVehicle implements storage.HouseholdReader.
func (r reader) GetVehicle(ctx context.Context, tenant dealer.Tenant, id household.VehicleID) (household.Vehicle, error) {
	const op = "pgstore.GetVehicle"
	if err := r.run.enter(ctx, op, tenant); err != nil {
		return household.Vehicle{}, err
	}
	return getDoc[household.Vehicle](ctx, r.run, op, sqlGetVehicle, string(tenant), uid(id))
}

// VehiclesByVIN implements storage.HouseholdReader. The zero VIN matches
// nothing.
func (r reader) VehiclesByVIN(ctx context.Context, tenant dealer.Tenant, vin household.VIN) ([]household.VehicleID, error) {
	const op = "pgstore.VehiclesByVIN"
	if err := r.run.enter(ctx, op, tenant); err != nil {
		return nil, err
	}
	if vin.IsZero() {
		return nil, nil
	}
	return queryIDs[household.VehicleID](ctx, r.run, op, sqlVehiclesByVIN, string(tenant), vin.String())
}

// CreateHousehold implements storage.HouseholdWriter.
func (t *tx) CreateHousehold(ctx context.Context, h household.Household) error {
	const op = "pgstore.CreateHousehold"
	if err := t.enter(ctx, op, h.Tenant); err != nil {
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
	tag, err := t.pgTx.Exec(ctx, sqlInsertHousehold, string(h.Tenant), uid(h.ID), doc)
	if err != nil {
		return t.mapErr(ctx, op, err)
	}
	if err := created(op, tag.RowsAffected()); err != nil {
		return err
	}
	if err := t.indexMembers(ctx, op, &h, false); err != nil {
		return err
	}
	return t.record(ctx, op, h.Tenant, storage.EntityHousehold, h.ID.String(), storage.OpCreate, 1)
}

// indexMembers writes the household's member rows, replacing the old ones
// when replace is set.
func (t *tx) indexMembers(ctx context.Context, op string, h *household.Household, replace bool) error {
	tenant, id := string(h.Tenant), uid(h.ID)
	if replace {
		if _, err := t.pgTx.Exec(ctx, sqlDeleteMembers, tenant, id); err != nil {
			return t.mapErr(ctx, op, err)
		}
	}
	var members [][16]byte
	for _, m := range h.Members {
		if !m.Customer.IsZero() {
			members = append(members, m.Customer)
		}
	}
	if len(members) == 0 {
		return nil
	}
	if _, err := t.pgTx.Exec(ctx, sqlInsertMembers, tenant, members, id); err != nil {
		return t.mapErr(ctx, op, err)
	}
	return nil
}

// UpdateHousehold implements storage.HouseholdWriter.
func (t *tx) UpdateHousehold(ctx context.Context, h household.Household) (int64, error) {
	const op = "pgstore.UpdateHousehold"
	if err := t.enter(ctx, op, h.Tenant); err != nil {
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
	tag, err := t.pgTx.Exec(ctx, sqlUpdateHousehold, doc, string(h.Tenant), uid(h.ID), given)
	if err != nil {
		return 0, t.mapErr(ctx, op, err)
	}
	if err := t.revised(ctx, op, tag.RowsAffected(), sqlHouseholdRevision, h.Tenant, h.ID); err != nil {
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
func vinArg(v household.VIN) *string {
	if v.IsZero() {
		return nil
	}
	s := v.String()
	return &s
}

// CreateVehicle implements storage.HouseholdWriter.
func (t *tx) CreateVehicle(ctx context.Context, v household.Vehicle) error {
	const op = "pgstore.CreateVehicle"
	if err := t.enter(ctx, op, v.Tenant); err != nil {
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
	tag, err := t.pgTx.Exec(ctx, sqlInsertVehicle, string(v.Tenant), uid(v.ID), vinArg(v.VIN), doc)
	if err != nil {
		return t.mapErr(ctx, op, err)
	}
	if err := created(op, tag.RowsAffected()); err != nil {
		return err
	}
	return t.record(ctx, op, v.Tenant, storage.EntityVehicle, v.ID.String(), storage.OpCreate, 1)
}

// UpdateVehicle implements storage.HouseholdWriter.
func (t *tx) UpdateVehicle(ctx context.Context, v household.Vehicle) (int64, error) {
	const op = "pgstore.UpdateVehicle"
	if err := t.enter(ctx, op, v.Tenant); err != nil {
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
	tag, err := t.pgTx.Exec(ctx, sqlUpdateVehicle, vinArg(v.VIN), doc, string(v.Tenant), uid(v.ID), given)
	if err != nil {
		return 0, t.mapErr(ctx, op, err)
	}
	if err := t.revised(ctx, op, tag.RowsAffected(), sqlVehicleRevision, v.Tenant, v.ID); err != nil {
		return 0, err
	}
	if err := t.record(ctx, op, v.Tenant, storage.EntityVehicle, v.ID.String(), storage.OpUpdate, v.Revision); err != nil {
		return 0, err
	}
	return v.Revision, nil
}
