package household

import "strings"

// MemberRole is the part a person plays in a household. The zero MemberRole
// means unknown.
//
// Roles persist as the stable lower-case strings below. A role read from
// storage or JSON that this version does not know (written by a newer
// version) is kept as it is, so it survives a read-modify-write;
// [MemberRole.Known] tells the two apart.
type MemberRole string

// The member roles rapport knows. The strings are stable: they are stored.
const (
	MemberRoleUnknown   MemberRole = ""
	MemberRolePrimary   MemberRole = "primary" // the household's main contact; at most one at a time
	MemberRoleSpouse    MemberRole = "spouse"
	MemberRolePartner   MemberRole = "partner" // domestic partner
	MemberRoleCoBuyer   MemberRole = "co_buyer"
	MemberRoleDependent MemberRole = "dependent" // a child or other dependent, e.g. a teen driver
	MemberRoleOther     MemberRole = "other"
)

var knownMemberRoles = [...]MemberRole{MemberRolePrimary, MemberRoleSpouse, MemberRolePartner, MemberRoleCoBuyer, MemberRoleDependent, MemberRoleOther}

// MemberRoles returns every MemberRole this version knows, in a stable
// order.
func MemberRoles() []MemberRole { return append([]MemberRole(nil), knownMemberRoles[:]...) }

// Known reports whether r is one of the roles this version of rapport
// knows. The zero MemberRole is not known.
func (r MemberRole) Known() bool { return known(r, knownMemberRoles[:]) }

// String returns the stored form of r ("" for unknown).
func (r MemberRole) String() string { return string(r) }

// ParseMemberRole reads a role from text, ignoring surrounding space and
// case. The empty string gives [MemberRoleUnknown]. A well-formed role this
// version does not know is returned as it is, with no error (see
// [MemberRole.Known]); an error wrapping [ErrInvalid] is returned only for
// text that cannot be a role (anything but lower-case ASCII letters, digits,
// '_' and '-', or more than 32 bytes).
func ParseMemberRole(s string) (MemberRole, error) {
	t, err := parseToken("role", s)
	return MemberRole(t), err
}

// UnmarshalText implements encoding.TextUnmarshaler with [ParseMemberRole].
func (r *MemberRole) UnmarshalText(b []byte) error {
	v, err := ParseMemberRole(string(b))
	if err != nil {
		return err
	}
	*r = v
	return nil
}

// StakeholderRole is the part a person plays for a vehicle. The zero
// StakeholderRole means unknown. Unknown well-formed roles are kept, as for
// [MemberRole].
type StakeholderRole string

// The stakeholder roles rapport knows. The strings are stable: they are
// stored.
const (
	StakeholderRoleUnknown StakeholderRole = ""
	StakeholderRoleOwner   StakeholderRole = "owner"    // on the title
	StakeholderRoleCoOwner StakeholderRole = "co_owner" // on the title with the owner
	StakeholderRoleDriver  StakeholderRole = "driver"   // drives it, owns no part of it
	StakeholderRoleLessee  StakeholderRole = "lessee"   // leases it
)

var knownStakeholderRoles = [...]StakeholderRole{StakeholderRoleOwner, StakeholderRoleCoOwner, StakeholderRoleDriver, StakeholderRoleLessee}

// StakeholderRoles returns every StakeholderRole this version knows, in a
// stable order.
func StakeholderRoles() []StakeholderRole {
	return append([]StakeholderRole(nil), knownStakeholderRoles[:]...)
}

// Known reports whether r is one of the roles this version of rapport
// knows. The zero StakeholderRole is not known.
func (r StakeholderRole) Known() bool { return known(r, knownStakeholderRoles[:]) }

// String returns the stored form of r ("" for unknown).
func (r StakeholderRole) String() string { return string(r) }

// ParseStakeholderRole reads a role from text; the rules are those of
// [ParseMemberRole].
func ParseStakeholderRole(s string) (StakeholderRole, error) {
	t, err := parseToken("role", s)
	return StakeholderRole(t), err
}

// UnmarshalText implements encoding.TextUnmarshaler with
// [ParseStakeholderRole].
func (r *StakeholderRole) UnmarshalText(b []byte) error {
	v, err := ParseStakeholderRole(string(b))
	if err != nil {
		return err
	}
	*r = v
	return nil
}

// DistanceUnit is the unit of an odometer reading. The zero DistanceUnit
// means unknown. Unknown well-formed units are kept, as for [MemberRole].
type DistanceUnit string

// The units rapport knows. The strings are stable: they are stored.
const (
	DistanceUnitUnknown    DistanceUnit = ""
	DistanceUnitMiles      DistanceUnit = "mi"
	DistanceUnitKilometers DistanceUnit = "km"
)

// Known reports whether u is [DistanceUnitMiles] or
// [DistanceUnitKilometers].
func (u DistanceUnit) Known() bool { return u == DistanceUnitMiles || u == DistanceUnitKilometers }

// String returns the stored form of u ("" for unknown).
func (u DistanceUnit) String() string { return string(u) }

// ParseDistanceUnit reads a unit from text; the rules are those of
// [ParseMemberRole]. It does not translate synonyms: "miles" is kept as an
// unknown unit, not read as [DistanceUnitMiles].
func ParseDistanceUnit(s string) (DistanceUnit, error) {
	t, err := parseToken("unit", s)
	return DistanceUnit(t), err
}

// UnmarshalText implements encoding.TextUnmarshaler with
// [ParseDistanceUnit].
func (u *DistanceUnit) UnmarshalText(b []byte) error {
	v, err := ParseDistanceUnit(string(b))
	if err != nil {
		return err
	}
	*u = v
	return nil
}

const maxTokenLen = 32

func known[T comparable](v T, list []T) bool {
	for _, c := range list {
		if v == c {
			return true
		}
	}
	return false
}

func parseToken(field, s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if !isToken(s, maxTokenLen) {
		return "", problem(field, ErrInvalid, "not a lower-case token of letters, digits, '_' and '-'")
	}
	return s, nil
}

// isToken reports whether s is empty or a stored enum token: lower-case
// ASCII letters, digits, '_' and '-', at most max bytes.
func isToken(s string, max int) bool {
	if len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}
