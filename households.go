package rapport

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/storage"
)

// UpsertHousehold stores a household, recognising one already in the book:
// by ID when h.ID names a stored household, else the one household that
// one of h's members already belongs to. A recognised household is updated
// by merging (household.Merge: members and vehicles h adds are appended;
// name, address and source fill in what is unknown; nothing is removed);
// otherwise h is created (with h.ID when set). When h's members belong to
// more than one stored household the call fails with a
// *HouseholdMatchError wrapping ErrAmbiguousMatch and writes nothing.
//
// Both ends of the household–vehicle link agree afterwards: every vehicle
// the household lists has its Household set to it, and a vehicle that
// belonged to another household is removed from that household's list (it
// moved), all in the same transaction.
func (b *Book) UpsertHousehold(ctx context.Context, h household.Household) (Upserted[household.Household], error) {
	h.Tenant, h.Revision = b.tenant, 0
	h.Members = slices.Clone(h.Members)
	h.Vehicles = slices.Clone(h.Vehicles)
	for i := range h.Members {
		h.Members[i].From, h.Members[i].To = stamp(h.Members[i].From), stamp(h.Members[i].To)
	}
	now := b.clock()
	var res Upserted[household.Household]
	err := b.backend.Update(ctx, func(tx storage.Tx) error {
		var err error
		res, err = b.upsertHousehold(ctx, tx, h, now)
		return err
	})
	if err != nil {
		return Upserted[household.Household]{}, fail("UpsertHousehold", err)
	}
	return res, nil
}

// upsertHousehold is UpsertHousehold inside tx, for h with its tenant set
// and its times stamped.
func (b *Book) upsertHousehold(ctx context.Context, tx storage.Tx, h household.Household, now time.Time) (Upserted[household.Household], error) {
	var res Upserted[household.Household]
	stored, found, why, err := b.findHousehold(ctx, tx, h)
	if err != nil {
		return res, err
	}
	out := h
	if !found {
		if out.ID.IsZero() {
			id, err := b.id()
			if err != nil {
				return res, err
			}
			out.ID = household.ID(id)
		}
		out.CreatedAt, out.UpdatedAt = now, now
		if err := out.Validate(); err != nil {
			return res, err
		}
		if err := tx.CreateHousehold(ctx, out); err != nil {
			return res, err
		}
		out.Revision = 1
		res.Created, res.Changed = true, true
	} else {
		merged, changed := household.Merge(stored, h)
		out = merged
		res.MatchedBy = why
		if changed {
			merged.UpdatedAt = now
			if err := merged.Validate(); err != nil {
				return res, err
			}
			rev, err := tx.UpdateHousehold(ctx, merged)
			if err != nil {
				return res, err
			}
			merged.Revision = rev
			out, res.Changed = merged, true
		}
	}
	for _, vid := range out.Vehicles {
		v, err := tx.GetVehicle(ctx, b.tenant, vid)
		if err != nil {
			return res, fmt.Errorf("vehicle %s of the household: %w", vid, err)
		}
		if v.Household == out.ID {
			continue
		}
		from := v.Household
		v.Household, v.UpdatedAt = out.ID, now
		if _, err := tx.UpdateVehicle(ctx, v); err != nil {
			return res, err
		}
		if err := b.link(ctx, tx, vid, from, out.ID, now); err != nil {
			return res, err
		}
		res.Changed = true
	}
	res.Record = out
	return res, nil
}

// UpdateHousehold replaces a household that was read earlier: h.Revision
// must be the revision read, else the call fails with ErrConflict and
// nothing is written. Use it to remove members or end their membership, or
// to remove vehicles; UpsertHousehold only adds. A vehicle removed from the
// list loses its Household, a vehicle added to it moves from its previous
// household, in the same transaction.
func (b *Book) UpdateHousehold(ctx context.Context, h household.Household) (household.Household, error) {
	h.Tenant = b.tenant
	h.Members = slices.Clone(h.Members)
	h.Vehicles = slices.Clone(h.Vehicles)
	for i := range h.Members {
		h.Members[i].From, h.Members[i].To = stamp(h.Members[i].From), stamp(h.Members[i].To)
	}
	now := b.clock()
	h.UpdatedAt = now
	if err := h.Validate(); err != nil {
		return household.Household{}, fail("UpdateHousehold", err)
	}
	err := b.backend.Update(ctx, func(tx storage.Tx) error {
		stored, err := tx.GetHousehold(ctx, b.tenant, h.ID)
		if err != nil {
			return err
		}
		rev, err := tx.UpdateHousehold(ctx, h)
		if err != nil {
			return err
		}
		h.Revision = rev
		for _, vid := range stored.Vehicles {
			if slices.Contains(h.Vehicles, vid) {
				continue
			}
			v, err := tx.GetVehicle(ctx, b.tenant, vid)
			if err != nil {
				return err
			}
			if v.Household == h.ID {
				v.Household, v.UpdatedAt = household.ID{}, now
				if _, err := tx.UpdateVehicle(ctx, v); err != nil {
					return err
				}
			}
		}
		for _, vid := range h.Vehicles {
			v, err := tx.GetVehicle(ctx, b.tenant, vid)
			if err != nil {
				return fmt.Errorf("vehicle %s of the household: %w", vid, err)
			}
			if v.Household == h.ID {
				continue
			}
			from := v.Household
			v.Household, v.UpdatedAt = h.ID, now
			if _, err := tx.UpdateVehicle(ctx, v); err != nil {
				return err
			}
			if err := b.link(ctx, tx, vid, from, h.ID, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return household.Household{}, fail("UpdateHousehold", err)
	}
	return h, nil
}

// link is the one place the household side of the household–vehicle link
// changes: after a vehicle's Household moved from from to to (and the
// vehicle was written), it removes the vehicle from from's list and adds it
// to to's, writing each household that changes. A zero from or to, or a
// from household that no longer exists, is skipped.
func (b *Book) link(ctx context.Context, tx storage.Tx, vid household.VehicleID, from, to household.ID, now time.Time) error {
	if from == to {
		from = household.ID{}
	}
	if !from.IsZero() {
		h, err := tx.GetHousehold(ctx, b.tenant, from)
		switch {
		case errors.Is(err, storage.ErrNotFound):
		case err != nil:
			return err
		case slices.Contains(h.Vehicles, vid):
			h.Vehicles = slices.DeleteFunc(slices.Clone(h.Vehicles), func(v household.VehicleID) bool { return v == vid })
			h.UpdatedAt = now
			if _, err := tx.UpdateHousehold(ctx, h); err != nil {
				return err
			}
		}
	}
	if to.IsZero() {
		return nil
	}
	h, err := tx.GetHousehold(ctx, b.tenant, to)
	if err != nil {
		return fmt.Errorf("household %s of the vehicle: %w", to, err)
	}
	if slices.Contains(h.Vehicles, vid) {
		return nil
	}
	h.Vehicles = append(slices.Clone(h.Vehicles), vid)
	h.UpdatedAt = now
	_, err = tx.UpdateHousehold(ctx, h)
	return err
}

// findHousehold finds the stored household h refers to, and why.
func (b *Book) findHousehold(ctx context.Context, tx storage.Tx, h household.Household) (household.Household, bool, []string, error) {
	if !h.ID.IsZero() {
		stored, err := tx.GetHousehold(ctx, b.tenant, h.ID)
		switch {
		case err == nil:
			return stored, true, []string{"id"}, nil
		case !errors.Is(err, storage.ErrNotFound):
			return household.Household{}, false, nil, err
		}
	}
	var found []household.ID
	for _, m := range h.Members {
		ids, err := tx.HouseholdsByMember(ctx, b.tenant, m.Customer)
		if err != nil {
			return household.Household{}, false, nil, err
		}
		for _, id := range ids {
			if !slices.Contains(found, id) {
				found = append(found, id)
			}
		}
	}
	switch len(found) {
	case 0:
		return household.Household{}, false, nil, nil
	case 1:
		stored, err := tx.GetHousehold(ctx, b.tenant, found[0])
		return stored, err == nil, []string{"member"}, err
	}
	return household.Household{}, false, nil, &HouseholdMatchError{Households: found}
}

// HouseholdMatchError lists the stored households that the members of an
// incoming household already belong to, when there is more than one.
type HouseholdMatchError struct {
	Households []household.ID
}

func (e *HouseholdMatchError) Error() string {
	return fmt.Sprintf("%v: members belong to %d households", ErrAmbiguousMatch, len(e.Households))
}

// Unwrap returns ErrAmbiguousMatch.
func (e *HouseholdMatchError) Unwrap() error { return ErrAmbiguousMatch }

// Household returns the household with the given ID.
func (b *Book) Household(ctx context.Context, id household.ID) (household.Household, error) {
	h, err := b.backend.GetHousehold(ctx, b.tenant, id)
	return h, fail("Household", err)
}

// Vehicle returns the vehicle with the given ID.
func (b *Book) Vehicle(ctx context.Context, id household.VehicleID) (household.Vehicle, error) {
	v, err := b.backend.GetVehicle(ctx, b.tenant, id)
	return v, fail("Vehicle", err)
}

// UpsertVehicle stores a vehicle, recognising one already in the book: by
// ID when v.ID is set, else by VIN when the VIN is a standard 17-character
// one that exactly one stored vehicle has. A recognised vehicle is updated
// by merging (household.MergeVehicle): stakeholders are added, unknown
// details (year, make, model, trim, purchase) filled in, and the odometer
// replaced by a later reading.
//
// v.Household, when set, is where the vehicle is now: the household lists
// it afterwards, and a household that listed it before no longer does (the
// vehicle moved), in the same transaction. A zero v.Household leaves the
// stored link as it is.
func (b *Book) UpsertVehicle(ctx context.Context, v household.Vehicle) (Upserted[household.Vehicle], error) {
	v, err := b.prepareVehicle(v)
	if err != nil {
		return Upserted[household.Vehicle]{}, fail("UpsertVehicle", err)
	}
	now := b.clock()
	var res Upserted[household.Vehicle]
	err = b.backend.Update(ctx, func(tx storage.Tx) error {
		var err error
		res, err = b.upsertVehicle(ctx, tx, v, now)
		return err
	})
	if err != nil {
		return Upserted[household.Vehicle]{}, fail("UpsertVehicle", err)
	}
	return res, nil
}

// prepareVehicle fills in what the Book owns and validates v.
func (b *Book) prepareVehicle(v household.Vehicle) (household.Vehicle, error) {
	v.Tenant = b.tenant
	v.Revision = 0
	v.Stakeholders = slices.Clone(v.Stakeholders)
	for i := range v.Stakeholders {
		v.Stakeholders[i].From, v.Stakeholders[i].To = stamp(v.Stakeholders[i].From), stamp(v.Stakeholders[i].To)
	}
	v.PurchasedAt = stamp(v.PurchasedAt)
	v.Odometer.ReadAt = stamp(v.Odometer.ReadAt)
	v.WarrantyEnds, v.LeaseEnds = stamp(v.WarrantyEnds), stamp(v.LeaseEnds)
	v.LastService.ReadAt = stamp(v.LastService.ReadAt)
	return v, v.Validate()
}

// upsertVehicle is UpsertVehicle inside tx, for a prepared v.
func (b *Book) upsertVehicle(ctx context.Context, tx storage.Tx, v household.Vehicle, now time.Time) (Upserted[household.Vehicle], error) {
	var res Upserted[household.Vehicle]
	stored, found, why, err := b.findVehicle(ctx, tx, v)
	if err != nil {
		return res, err
	}
	var from household.ID
	out := v
	if !found {
		if out.ID.IsZero() {
			id, err := b.id()
			if err != nil {
				return res, err
			}
			out.ID = household.VehicleID(id)
		}
		out.CreatedAt, out.UpdatedAt = now, now
		if err := tx.CreateVehicle(ctx, out); err != nil {
			return res, err
		}
		out.Revision = 1
		res.Created, res.Changed = true, true
	} else {
		from = stored.Household
		merged, changed := household.MergeVehicle(stored, v)
		out, res.MatchedBy = merged, why
		if changed {
			if err := merged.Validate(); err != nil {
				return res, err
			}
			merged.UpdatedAt = now
			rev, err := tx.UpdateVehicle(ctx, merged)
			if err != nil {
				return res, err
			}
			merged.Revision = rev
			out, res.Changed = merged, true
		}
	}
	res.Record = out
	return res, b.link(ctx, tx, out.ID, from, out.Household, now)
}

// findVehicle finds the stored vehicle v refers to, and why.
func (b *Book) findVehicle(ctx context.Context, tx storage.Tx, v household.Vehicle) (household.Vehicle, bool, []string, error) {
	if !v.ID.IsZero() {
		stored, err := tx.GetVehicle(ctx, b.tenant, v.ID)
		if errors.Is(err, storage.ErrNotFound) {
			return household.Vehicle{}, false, nil, nil
		}
		return stored, err == nil, []string{"id"}, err
	}
	if v.VIN.IsZero() || !v.VIN.Standard() {
		return household.Vehicle{}, false, nil, nil
	}
	ids, err := tx.VehiclesByVIN(ctx, b.tenant, v.VIN)
	if err != nil || len(ids) != 1 {
		return household.Vehicle{}, false, nil, err
	}
	stored, err := tx.GetVehicle(ctx, b.tenant, ids[0])
	return stored, err == nil, []string{"vin"}, err
}
