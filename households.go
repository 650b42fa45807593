package rapport

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"

	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/storage"
)

// UpsertHousehold stores a household, recognising one already in the book:
// by ID when h.ID names a stored household, else the one household that
// one of h's members already belongs to. A recognised household is updated
// by merging (members and vehicles h adds are appended; name, address and
// source fill in what is unknown; nothing is removed); otherwise h is
// created (with h.ID when set). When h's members belong to more than one
// stored household the call fails with a *HouseholdMatchError wrapping
// ErrAmbiguousMatch and writes nothing. Vehicles the household lists get
// their Household set to it in the same transaction, so both ends agree.
// It returns the household as stored and whether it was created.
func (b *Book) UpsertHousehold(ctx context.Context, h household.Household) (household.Household, bool, error) {
	h.Tenant, h.Revision = b.tenant, 0
	h.Members = slices.Clone(h.Members)
	h.Vehicles = slices.Clone(h.Vehicles)
	for i := range h.Members {
		h.Members[i].From, h.Members[i].To = stamp(h.Members[i].From), stamp(h.Members[i].To)
	}
	now := b.clock()
	var created bool
	err := b.backend.Update(ctx, func(tx storage.Tx) error {
		created = false
		stored, found, err := b.findHousehold(ctx, tx, h)
		if err != nil {
			return err
		}
		if !found {
			if h.ID.IsZero() {
				id, err := b.id()
				if err != nil {
					return err
				}
				h.ID = household.ID(id)
			}
			h.CreatedAt, h.UpdatedAt = now, now
			if err := h.Validate(); err != nil {
				return err
			}
			if err := tx.CreateHousehold(ctx, h); err != nil {
				return err
			}
			h.Revision, created = 1, true
		} else {
			merged := mergeHousehold(stored, h)
			h = merged
			if !reflect.DeepEqual(merged, stored) {
				merged.UpdatedAt = now
				if err := merged.Validate(); err != nil {
					return err
				}
				rev, err := tx.UpdateHousehold(ctx, merged)
				if err != nil {
					return err
				}
				merged.Revision = rev
				h = merged
			}
		}
		for _, vid := range h.Vehicles {
			v, err := tx.GetVehicle(ctx, b.tenant, vid)
			if err != nil {
				return err
			}
			if v.Household != h.ID {
				v.Household, v.UpdatedAt = h.ID, now
				if _, err := tx.UpdateVehicle(ctx, v); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return household.Household{}, false, err
	}
	return h, created, nil
}

// UpdateHousehold replaces a household that was read earlier: h.Revision
// must be the revision read, else the call fails with storage.ErrConflict
// and nothing is written. Use it to remove members or end their membership;
// UpsertHousehold only adds.
func (b *Book) UpdateHousehold(ctx context.Context, h household.Household) (household.Household, error) {
	h.Tenant = b.tenant
	h.Members = slices.Clone(h.Members)
	for i := range h.Members {
		h.Members[i].From, h.Members[i].To = stamp(h.Members[i].From), stamp(h.Members[i].To)
	}
	h.UpdatedAt = b.clock()
	if err := h.Validate(); err != nil {
		return household.Household{}, err
	}
	err := b.backend.Update(ctx, func(tx storage.Tx) error {
		rev, err := tx.UpdateHousehold(ctx, h)
		h.Revision = rev
		return err
	})
	if err != nil {
		return household.Household{}, err
	}
	return h, nil
}

func (b *Book) findHousehold(ctx context.Context, tx storage.Tx, h household.Household) (household.Household, bool, error) {
	if !h.ID.IsZero() {
		stored, err := tx.GetHousehold(ctx, b.tenant, h.ID)
		switch {
		case err == nil:
			return stored, true, nil
		case !errors.Is(err, storage.ErrNotFound):
			return household.Household{}, false, err
		}
	}
	var found []household.ID
	for _, m := range h.Members {
		ids, err := tx.HouseholdsByMember(ctx, b.tenant, m.Customer)
		if err != nil {
			return household.Household{}, false, err
		}
		for _, id := range ids {
			if !slices.Contains(found, id) {
				found = append(found, id)
			}
		}
	}
	switch len(found) {
	case 0:
		return household.Household{}, false, nil
	case 1:
		stored, err := tx.GetHousehold(ctx, b.tenant, found[0])
		return stored, err == nil, err
	}
	return household.Household{}, false, &HouseholdMatchError{Households: found}
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

func mergeHousehold(s, in household.Household) household.Household {
	m := s
	m.Members = slices.Clone(s.Members)
	m.Vehicles = slices.Clone(s.Vehicles)
	for _, mem := range in.Members {
		if !slices.ContainsFunc(m.Members, func(x household.Member) bool { return x.Customer == mem.Customer && x.Role == mem.Role }) {
			m.Members = append(m.Members, mem)
		}
	}
	for _, v := range in.Vehicles {
		if !slices.Contains(m.Vehicles, v) {
			m.Vehicles = append(m.Vehicles, v)
		}
	}
	if m.Name == "" {
		m.Name = in.Name
	}
	if reflect.DeepEqual(m.Address, household.PostalAddress{}) {
		m.Address = in.Address
	}
	if m.Source == "" {
		m.Source = in.Source
	}
	if len(in.Attributes) > 0 {
		attrs := make(map[string]string, len(m.Attributes)+len(in.Attributes))
		for k, v := range m.Attributes {
			attrs[k] = v
		}
		for k, v := range in.Attributes {
			attrs[k] = v
		}
		m.Attributes = attrs
	}
	return m
}

// Household returns the household with the given ID.
func (b *Book) Household(ctx context.Context, id household.ID) (household.Household, error) {
	return b.backend.GetHousehold(ctx, b.tenant, id)
}

// Vehicle returns the vehicle with the given ID.
func (b *Book) Vehicle(ctx context.Context, id household.VehicleID) (household.Vehicle, error) {
	return b.backend.GetVehicle(ctx, b.tenant, id)
}

// UpsertVehicle stores a vehicle, recognising one already in the book: by
// ID when v.ID is set, else by VIN when the VIN is a standard 17-character
// one that exactly one stored vehicle has. A recognised vehicle is updated
// by merging: stakeholders are added, unknown details (year, make, model,
// trim, purchase) filled in, and the odometer replaced by a later reading.
// When v.Household is set, the household lists the vehicle afterwards (both
// ends agree). It returns the vehicle as stored and whether it was created.
func (b *Book) UpsertVehicle(ctx context.Context, v household.Vehicle) (household.Vehicle, bool, error) {
	v.Tenant = b.tenant
	v.Revision = 0
	v.Stakeholders = slices.Clone(v.Stakeholders)
	for i := range v.Stakeholders {
		v.Stakeholders[i].From, v.Stakeholders[i].To = stamp(v.Stakeholders[i].From), stamp(v.Stakeholders[i].To)
	}
	v.PurchasedAt = stamp(v.PurchasedAt)
	v.Odometer.ReadAt = stamp(v.Odometer.ReadAt)
	if err := v.Validate(); err != nil {
		return household.Vehicle{}, false, err
	}
	now := b.clock()
	var out household.Vehicle
	var created bool
	err := b.backend.Update(ctx, func(tx storage.Tx) error {
		stored, found, err := b.findVehicle(ctx, tx, v)
		if err != nil {
			return err
		}
		if !found {
			if v.ID.IsZero() {
				id, err := b.id()
				if err != nil {
					return err
				}
				v.ID = household.VehicleID(id)
			}
			v.CreatedAt, v.UpdatedAt = now, now
			if err := tx.CreateVehicle(ctx, v); err != nil {
				return err
			}
			v.Revision = 1
			out, created = v, true
		} else {
			merged := mergeVehicle(stored, v)
			out = merged
			if !reflect.DeepEqual(merged, stored) {
				if err := merged.Validate(); err != nil {
					return err
				}
				merged.UpdatedAt = now
				rev, err := tx.UpdateVehicle(ctx, merged)
				if err != nil {
					return err
				}
				merged.Revision = rev
				out = merged
			}
		}
		if out.Household.IsZero() {
			return nil
		}
		h, err := tx.GetHousehold(ctx, b.tenant, out.Household)
		if err != nil {
			return err
		}
		if !slices.Contains(h.Vehicles, out.ID) {
			h.Vehicles = append(h.Vehicles, out.ID)
			h.UpdatedAt = now
			if _, err := tx.UpdateHousehold(ctx, h); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return household.Vehicle{}, false, err
	}
	return out, created, nil
}

func (b *Book) findVehicle(ctx context.Context, tx storage.Tx, v household.Vehicle) (household.Vehicle, bool, error) {
	if !v.ID.IsZero() {
		stored, err := tx.GetVehicle(ctx, b.tenant, v.ID)
		if errors.Is(err, storage.ErrNotFound) {
			return household.Vehicle{}, false, nil
		}
		return stored, err == nil, err
	}
	if v.VIN.IsZero() || !v.VIN.Standard() {
		return household.Vehicle{}, false, nil
	}
	ids, err := tx.VehiclesByVIN(ctx, b.tenant, v.VIN)
	if err != nil || len(ids) != 1 {
		return household.Vehicle{}, false, err
	}
	stored, err := tx.GetVehicle(ctx, b.tenant, ids[0])
	return stored, err == nil, err
}

func mergeVehicle(s, in household.Vehicle) household.Vehicle {
	m := s
	m.Stakeholders = slices.Clone(s.Stakeholders)
	if m.VIN.IsZero() {
		m.VIN = in.VIN
	}
	if m.Year == 0 {
		m.Year = in.Year
	}
	if m.Make == "" {
		m.Make = in.Make
	}
	if m.Model == "" {
		m.Model = in.Model
	}
	if m.Trim == "" {
		m.Trim = in.Trim
	}
	if in.Odometer.ReadAt.After(m.Odometer.ReadAt) || m.Odometer.IsZero() {
		if !in.Odometer.IsZero() {
			m.Odometer = in.Odometer
		}
	}
	for _, st := range in.Stakeholders {
		if !slices.Contains(m.Stakeholders, st) {
			m.Stakeholders = append(m.Stakeholders, st)
		}
	}
	if m.PurchasedAt.IsZero() {
		m.PurchasedAt, m.PurchasedFrom = in.PurchasedAt, in.PurchasedFrom
	}
	if m.Household.IsZero() {
		m.Household = in.Household
	}
	if len(in.Attributes) > 0 {
		attrs := make(map[string]string, len(m.Attributes)+len(in.Attributes))
		for k, v := range m.Attributes {
			attrs[k] = v
		}
		for k, v := range in.Attributes {
			attrs[k] = v
		}
		m.Attributes = attrs
	}
	return m
}
