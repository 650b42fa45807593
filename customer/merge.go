package customer

import (
	"slices"

	"github.com/rapportcim/rapport/channel"
)

// SamePerson reports whether a stored customer who holds one of in's
// addresses may be the same person as in: no source system gives them
// different identifiers (a different record in the same system is a
// different person), and their names are compatible ([CompatibleNames]),
// or one of them has no name. The stored customer's aliases count as its
// names. It is the rule by which an upsert attaches a record to a customer
// found by address, and the one an identity resolver starts from.
func SamePerson(stored, in *Customer) bool {
	for _, x := range in.ExternalIDs {
		if v := stored.ExternalID(x.System); v != "" && v != x.Value {
			return false
		}
	}
	if in.Name.IsZero() || stored.Name.IsZero() {
		return true
	}
	if CompatibleNames(stored.Name, in.Name) {
		return true
	}
	for _, a := range stored.Aliases {
		if CompatibleNames(a, in.Name) {
			return true
		}
	}
	return false
}

// CompatibleNames reports whether two names may belong to one person: the
// match keys agree ([Name.Key]), or the family names agree and the given
// names share a first letter ("J. Doe" and "Jane Doe"). An unsplit name is
// compared whole.
func CompatibleNames(a, b Name) bool {
	if a.Key() == b.Key() {
		return true
	}
	af, bf := NameKey(a.Family), NameKey(b.Family)
	ag, bg := NameKey(a.Given), NameKey(b.Given)
	if af == "" || bf == "" || ag == "" || bg == "" {
		return false
	}
	return af == bf && ag[0] == bg[0]
}

// Merge returns stored with what in adds, and whether anything was added or
// changed: the rule by which a customer record that arrives again (an
// import, a lead, a web form) updates the one already kept. It never
// removes anything stored:
//
//   - a name fills in an unknown one; a different spelling becomes an
//     alias, as do in's aliases;
//   - contact points are matched by line (channel.Address.Line): a new
//     one is appended (not primary when stored already has a primary of
//     its scheme); a known one gets the details it lacks (usage, rank,
//     source, best time and zone), in's verification, SMS capability and a
//     later undeliverable marker, and in's address when that one carries an
//     extension;
//   - postal addresses are matched by their normalized form (country,
//     region, postal code, and the match keys of locality and street
//     lines): a new one is appended; a known one gets a usage it lacks;
//   - the preference fills in unknown kinds, windows (with their zone),
//     zone and language;
//   - external IDs, life events, referrals (by customer and role) and tags
//     in adds are appended; attributes are added, in's value winning for a
//     key both hold; party and source fill in unknown ones.
//
// Identity and record fields (ID, Tenant, CreatedAt, UpdatedAt, Revision)
// are stored's. Merge is pure: stored and in are not modified, and the
// result shares no slice or map with either.
func Merge(stored, in Customer) (Customer, bool) {
	m := stored.Clone()
	in = in.Clone()
	changed := false
	switch {
	case m.Name.IsZero() && !in.Name.IsZero():
		m.Name, changed = in.Name, true
	case !in.Name.IsZero() && in.Name != m.Name && !hasName(m, in.Name):
		m.Aliases, changed = append(m.Aliases, in.Name), true
	}
	for _, a := range in.Aliases {
		if !a.IsZero() && !hasName(m, a) {
			m.Aliases, changed = append(m.Aliases, a), true
		}
	}
	if m.Party == PartyUnknown && in.Party != PartyUnknown {
		m.Party, changed = in.Party, true
	}
	for _, cp := range in.ContactPoints {
		i := slices.IndexFunc(m.ContactPoints, func(s ContactPoint) bool { return s.Address.Line() == cp.Address.Line() })
		if i < 0 {
			if cp.Primary && hasPrimary(m.ContactPoints, cp.Address.Scheme()) {
				cp.Primary = false
			}
			m.ContactPoints, changed = append(m.ContactPoints, cp), true
			continue
		}
		var c bool
		m.ContactPoints[i], c = mergeContact(m.ContactPoints[i], cp)
		changed = changed || c
	}
	for _, a := range in.PostalAddresses {
		k := a.normalized().key()
		i := slices.IndexFunc(m.PostalAddresses, func(s PostalAddress) bool { return s.normalized().key() == k })
		switch {
		case i < 0:
			m.PostalAddresses, changed = append(m.PostalAddresses, a), true
		case m.PostalAddresses[i].Usage == AddressUsageUnknown && a.Usage != AddressUsageUnknown:
			m.PostalAddresses[i].Usage, changed = a.Usage, true
		}
	}
	var c bool
	m.Preference, c = mergePreference(m.Preference, in.Preference)
	changed = changed || c
	for _, x := range in.ExternalIDs {
		if !slices.Contains(m.ExternalIDs, x) {
			m.ExternalIDs, changed = append(m.ExternalIDs, x), true
		}
	}
	for _, e := range in.LifeEvents {
		if !slices.Contains(m.LifeEvents, e) {
			m.LifeEvents, changed = append(m.LifeEvents, e), true
		}
	}
	for _, r := range in.Referrals {
		if !slices.ContainsFunc(m.Referrals, func(s Referral) bool { return s.Customer == r.Customer && s.Role == r.Role }) {
			m.Referrals, changed = append(m.Referrals, r), true
		}
	}
	for _, t := range in.Tags {
		if !slices.Contains(m.Tags, t) {
			m.Tags, changed = append(m.Tags, t), true
		}
	}
	for k, v := range in.Attributes {
		if old, ok := m.Attributes[k]; ok && old == v {
			continue
		}
		if m.Attributes == nil {
			m.Attributes = make(map[string]string, len(in.Attributes))
		}
		m.Attributes[k], changed = v, true
	}
	if m.Source == "" && in.Source != "" {
		m.Source, changed = in.Source, true
	}
	return m, changed
}

func hasName(c Customer, n Name) bool {
	return c.Name == n || slices.Contains(c.Aliases, n)
}

func hasPrimary(cps []ContactPoint, s channel.Scheme) bool {
	return slices.ContainsFunc(cps, func(cp ContactPoint) bool { return cp.Primary && cp.Address.Scheme() == s })
}

// mergeContact fills in what the stored contact point s does not know.
func mergeContact(s, in ContactPoint) (ContactPoint, bool) {
	changed := false
	if s.Address != in.Address && in.Address.String() != in.Address.Line().String() {
		s.Address, changed = in.Address, true
	}
	if s.Usage == UsageUnknown && in.Usage != UsageUnknown {
		s.Usage, changed = in.Usage, true
	}
	if s.Rank == 0 && in.Rank != 0 {
		s.Rank, changed = in.Rank, true
	}
	if in.Verified && !s.Verified {
		s.Verified, s.VerifiedAt, changed = true, in.VerifiedAt, true
	}
	if in.SMS.Known() && in.SMS != s.SMS {
		s.SMS, changed = in.SMS, true
	}
	if s.Source == "" && in.Source != "" {
		s.Source, changed = in.Source, true
	}
	if len(s.BestTime) == 0 && len(in.BestTime) > 0 {
		s.BestTime, s.Zone, changed = in.BestTime, in.Zone, true
	}
	if in.Undeliverable() && in.UndeliverableAt.After(s.UndeliverableAt) {
		s.UndeliverableAt, s.UndeliverableReason, changed = in.UndeliverableAt, in.UndeliverableReason, true
	}
	return s, changed
}

func mergePreference(s, in channel.Preference) (channel.Preference, bool) {
	changed := false
	if len(s.Kinds) == 0 && len(in.Kinds) > 0 {
		s.Kinds, changed = in.Kinds, true
	}
	if len(s.Windows) == 0 && len(in.Windows) > 0 {
		s.Windows, s.Zone, changed = in.Windows, in.Zone, true
	}
	if s.Zone == "" && in.Zone != "" {
		s.Zone, changed = in.Zone, true
	}
	if s.Language == (channel.Preference{}).Language && in.Language != s.Language {
		s.Language, changed = in.Language, true
	}
	return s, changed
}
