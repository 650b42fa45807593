package household

import (
	"maps"
	"slices"
)

// Merge returns stored with what in adds, and whether anything was added:
// the rule by which a household record that arrives again (an import, a
// lead, a DMS export) updates the one already kept. It never removes
// anything stored:
//
//   - a member (customer and role) or a vehicle in is appended when stored
//     lacks it;
//   - name, postal address and source fill in what stored does not know;
//   - attributes are added, in's value winning for a key both hold.
//
// Identity and record fields (ID, Tenant, CreatedAt, UpdatedAt, Revision)
// are stored's. Merge is pure: stored and in are not modified, and the
// result shares no slice or map with either.
func Merge(stored, in Household) (Household, bool) {
	m := stored
	m.Members = slices.Clone(stored.Members)
	m.Vehicles = slices.Clone(stored.Vehicles)
	m.Address.Lines = slices.Clone(stored.Address.Lines)
	m.Attributes = maps.Clone(stored.Attributes)
	changed := false
	for _, mem := range in.Members {
		if !slices.ContainsFunc(m.Members, func(x Member) bool { return x.Customer == mem.Customer && x.Role == mem.Role }) {
			m.Members = append(m.Members, mem)
			changed = true
		}
	}
	for _, v := range in.Vehicles {
		if !slices.Contains(m.Vehicles, v) {
			m.Vehicles = append(m.Vehicles, v)
			changed = true
		}
	}
	if m.Name == "" && in.Name != "" {
		m.Name, changed = in.Name, true
	}
	if m.Address.IsZero() && !in.Address.IsZero() {
		m.Address = in.Address
		m.Address.Lines = slices.Clone(in.Address.Lines)
		changed = true
	}
	if m.Source == "" && in.Source != "" {
		m.Source, changed = in.Source, true
	}
	var added bool
	m.Attributes, added = mergeAttributes(m.Attributes, in.Attributes)
	return m, changed || added
}

// MergeVehicle returns stored with what in adds, and whether anything
// changed: the rule by which a vehicle record that arrives again updates
// the one already kept.
//
//   - VIN, year, make, model, trim and the purchase (time and rooftop, as
//     one) fill in what stored does not know; a known value is never
//     replaced.
//   - The odometer is replaced by a reading in that is later, or by any
//     reading when stored has none; so is the last service visit
//     (LastService). WarrantyEnds and LeaseEnds fill in what stored does
//     not know.
//   - Stakeholders in adds are appended.
//   - A household in names is where the vehicle is now: it replaces
//     stored's (the vehicle moved). A zero household in leaves stored's.
//   - Attributes are added, in's value winning for a key both hold.
//
// Identity and record fields are stored's. MergeVehicle is pure, and the
// result shares no slice or map with its arguments.
func MergeVehicle(stored, in Vehicle) (Vehicle, bool) {
	m := stored
	m.Stakeholders = slices.Clone(stored.Stakeholders)
	m.Attributes = maps.Clone(stored.Attributes)
	changed := false
	fill := func(dst *string, v string) {
		if *dst == "" && v != "" {
			*dst, changed = v, true
		}
	}
	if m.VIN.IsZero() && !in.VIN.IsZero() {
		m.VIN, changed = in.VIN, true
	}
	if m.Year == 0 && in.Year != 0 {
		m.Year, changed = in.Year, true
	}
	fill(&m.Make, in.Make)
	fill(&m.Model, in.Model)
	fill(&m.Trim, in.Trim)
	if !in.Odometer.IsZero() && in.Odometer != m.Odometer && (m.Odometer.IsZero() || in.Odometer.ReadAt.After(m.Odometer.ReadAt)) {
		m.Odometer, changed = in.Odometer, true
	}
	for _, st := range in.Stakeholders {
		if !slices.Contains(m.Stakeholders, st) {
			m.Stakeholders = append(m.Stakeholders, st)
			changed = true
		}
	}
	if m.PurchasedAt.IsZero() && m.PurchasedFrom == "" && (!in.PurchasedAt.IsZero() || in.PurchasedFrom != "") {
		m.PurchasedAt, m.PurchasedFrom = in.PurchasedAt, in.PurchasedFrom
		changed = true
	}
	if m.WarrantyEnds.IsZero() && !in.WarrantyEnds.IsZero() {
		m.WarrantyEnds, changed = in.WarrantyEnds, true
	}
	if m.LeaseEnds.IsZero() && !in.LeaseEnds.IsZero() {
		m.LeaseEnds, changed = in.LeaseEnds, true
	}
	if !in.LastService.IsZero() && in.LastService != m.LastService && (m.LastService.IsZero() || in.LastService.ReadAt.After(m.LastService.ReadAt)) {
		m.LastService, changed = in.LastService, true
	}
	if !in.Household.IsZero() && in.Household != m.Household {
		m.Household, changed = in.Household, true
	}
	var added bool
	m.Attributes, added = mergeAttributes(m.Attributes, in.Attributes)
	return m, changed || added
}

// mergeAttributes adds in's attributes to m (which the caller owns),
// reporting whether any value is new or different.
func mergeAttributes(m, in map[string]string) (map[string]string, bool) {
	changed := false
	for k, v := range in {
		if old, ok := m[k]; ok && old == v {
			continue
		}
		if m == nil {
			m = make(map[string]string, len(in))
		}
		m[k], changed = v, true
	}
	return m, changed
}
