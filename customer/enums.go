package customer

import (
	"fmt"
	"strings"
)

// Party says whether a customer is a person or an organisation (a fleet
// buyer, a small business). The zero Party means unknown.
type Party string

// Parties, as stored.
const (
	PartyUnknown    Party = ""
	PartyIndividual Party = "individual"
	PartyBusiness   Party = "business"
)

// Known reports whether p is a party this version knows.
func (p Party) Known() bool { return p == PartyIndividual || p == PartyBusiness }

// UnmarshalText implements encoding.TextUnmarshaler; see [parseToken].
func (p *Party) UnmarshalText(b []byte) error { return parseToken(b, "party", (*string)(p)) }

// Usage says what a contact point is for. The zero Usage means unknown.
type Usage string

// Usages, as stored.
const (
	UsageUnknown Usage = ""
	UsageMobile  Usage = "mobile"
	UsageHome    Usage = "home"
	UsageWork    Usage = "work"
	UsageOther   Usage = "other"
)

// Known reports whether u is a usage this version knows.
func (u Usage) Known() bool {
	return u == UsageMobile || u == UsageHome || u == UsageWork || u == UsageOther
}

// UnmarshalText implements encoding.TextUnmarshaler; see [parseToken].
func (u *Usage) UnmarshalText(b []byte) error { return parseToken(b, "usage", (*string)(u)) }

// Capability is a three-valued answer: yes, no, or unknown (the zero value).
// It records what is known about a contact point, such as whether a phone
// line can receive texts; unknown is never read as yes or as no.
type Capability string

// Capabilities, as stored.
const (
	CapabilityUnknown Capability = ""
	CapabilityYes     Capability = "yes"
	CapabilityNo      Capability = "no"
)

// Known reports whether c is yes or no.
func (c Capability) Known() bool { return c == CapabilityYes || c == CapabilityNo }

// UnmarshalText implements encoding.TextUnmarshaler; see [parseToken].
func (c *Capability) UnmarshalText(b []byte) error {
	return parseToken(b, "capability", (*string)(c))
}

// LifeEventKind names a moment in a customer's life that a dealership cares
// about. The zero LifeEventKind means unknown.
type LifeEventKind string

// Life event kinds, as stored.
const (
	LifeEventUnknown             LifeEventKind = ""
	LifeEventBirthday            LifeEventKind = "birthday"
	LifeEventPurchaseAnniversary LifeEventKind = "purchase_anniversary"
	LifeEventJobChange           LifeEventKind = "job_change"
	LifeEventMove                LifeEventKind = "move"
	LifeEventMarriage            LifeEventKind = "marriage"
	LifeEventNewChild            LifeEventKind = "new_child"
	LifeEventGraduation          LifeEventKind = "graduation"
	LifeEventRetirement          LifeEventKind = "retirement"
	LifeEventLeaseEnd            LifeEventKind = "lease_end"
	LifeEventOther               LifeEventKind = "other"
)

// Known reports whether k is a kind this version knows.
func (k LifeEventKind) Known() bool {
	switch k {
	case LifeEventBirthday, LifeEventPurchaseAnniversary, LifeEventJobChange, LifeEventMove,
		LifeEventMarriage, LifeEventNewChild, LifeEventGraduation, LifeEventRetirement,
		LifeEventLeaseEnd, LifeEventOther:
		return true
	}
	return false
}

// UnmarshalText implements encoding.TextUnmarshaler; see [parseToken].
func (k *LifeEventKind) UnmarshalText(b []byte) error {
	return parseToken(b, "life_event", (*string)(k))
}

// ReferralRole says which side of a referral the other customer is on.
type ReferralRole string

// Referral roles, as stored.
const (
	ReferralUnknown    ReferralRole = ""
	ReferralReferredBy ReferralRole = "referred_by" // the other customer sent this one
	ReferralReferred   ReferralRole = "referred"    // this customer sent the other one
)

// Known reports whether r is a role this version knows.
func (r ReferralRole) Known() bool { return r == ReferralReferredBy || r == ReferralReferred }

// UnmarshalText implements encoding.TextUnmarshaler; see [parseToken].
func (r *ReferralRole) UnmarshalText(b []byte) error {
	return parseToken(b, "referral_role", (*string)(r))
}

// parseToken stores the trimmed, lower-cased text in dst. Values this version
// does not know are kept (a newer version wrote them); only text that cannot
// be an enum value (anything but ASCII letters, digits, '_' and '-', or more
// than 64 bytes) is refused with ErrInvalid.
func parseToken(b []byte, field string, dst *string) error {
	s := strings.ToLower(strings.TrimSpace(string(b)))
	if len(s) > 64 {
		return &ValidationError{Field: field, Err: fmt.Errorf("%w: longer than 64 bytes", ErrInvalid)}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
			return &ValidationError{Field: field, Err: fmt.Errorf("%w: not an enum token", ErrInvalid)}
		}
	}
	*dst = s
	return nil
}
