package consent

import (
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/dealer"
)

// Registry names a do-not-call list kept outside the dealership: a national
// registry or a state's own list. The names are the caller's; the presets
// use the constants below.
type Registry string

// The registries the presets name.
const (
	// RegistryUSDNC is the US National Do Not Call Registry (47 CFR
	// 64.1200(c)(2)).
	RegistryUSDNC Registry = "us_dnc"
	// RegistryCADNCL is Canada's National Do Not Call List (CRTC
	// Unsolicited Telecommunications Rules, Part II).
	RegistryCADNCL Registry = "ca_dncl"
)

// Listing is one fact about a telephone line and a registry, as the caller
// learned it by scrubbing its call list: whether the line was on the
// registry, and when the copy of the registry used was taken. The caller
// supplies listings in [Request].Registries; Decide never looks anything up.
type Listing struct {
	// Registry is the registry checked; required.
	Registry Registry `json:"registry"`
	// Listed reports whether the line was on the registry.
	Listed bool `json:"listed"`
	// ScrubbedAt is when the registry data used was obtained (the date of
	// the download the line was checked against); required. A listing
	// older than the [RegistryRule]'s MaxAge at the time of the contact is
	// stale: the safe harbour of 47 CFR 64.1200(c)(2)(i)(D) needs data no
	// more than 31 days old.
	ScrubbedAt time.Time `json:"scrubbed_at"`
}

// Relationship is what the caller knows, outside the consent ledger, of the
// established business relationship with the person at the line: the last
// purchase or transaction and the last inquiry or application (from the
// DMS, the CRM, a lead provider). Zero times mean none known. Implied
// grants in the ledger ([BasisImpliedPurchase], [BasisImpliedInquiry])
// count as well.
type Relationship struct {
	// LastPurchase is the date of the last purchase, lease or other
	// transaction.
	LastPurchase time.Time `json:"last_purchase,omitzero"`
	// LastInquiry is the date of the last inquiry or application.
	LastInquiry time.Time `json:"last_inquiry,omitzero"`
}

// RegistryRule says which contacts a registry restricts and what exempts
// them: telemarketing calls to a line on the registry are refused
// ([ReasonRegistryDNC]) unless the person's express consent or an
// established business relationship applies; a contact the rule restricts
// needs a listing no older than MaxAge, or it is refused as
// [ReasonRegistryStale].
type RegistryRule struct {
	// Registry is the registry the rule is about; required.
	Registry Registry `json:"registry"`
	// Channels the rule restricts; empty means every channel.
	Channels []channel.Kind `json:"channels,omitempty"`
	// Purposes the rule restricts; empty means every purpose.
	Purposes []Purpose `json:"purposes,omitempty"`
	// Regions, when not empty, limits the rule to recipients in these ISO
	// 3166-2 subdivisions (a state's own list), matched as an [Override]'s
	// Regions are (the request's regions or the area code's state, through
	// AreaCodes).
	Regions []string `json:"regions,omitempty"`
	// AreaCodes, with Regions, are the area codes presumed to be in them.
	AreaCodes []string `json:"area_codes,omitempty"`
	// Exempt are the bases of a grant that exempt the contact: the
	// person's signed written permission (US: 47 CFR 64.1200(c)(2)(ii)),
	// express consent (Canada).
	Exempt []Basis `json:"exempt,omitempty"`
	// PurchaseMonths and InquiryMonths are the established business
	// relationship's windows: a purchase or an inquiry within them exempts
	// the contact. US: 18 and 3 (47 CFR 64.1200(f)(5)); Canada's DNCL: 18
	// and 6. Zero means that kind of relationship never exempts.
	PurchaseMonths int `json:"purchase_months,omitempty"`
	InquiryMonths  int `json:"inquiry_months,omitempty"`
	// MaxAge is how old a listing may be; 31 days in the presets. Zero
	// means any age.
	MaxAge time.Duration `json:"max_age_ns,omitempty"`
	// Source cites the rule ("47 CFR 64.1200(c)(2)").
	Source string `json:"source,omitempty"`
}

// Seller is a legal entity of a tenant: the rooftops it operates. A
// withdrawal (a revocation or a do-not-call request) binds the seller whose
// rooftop recorded it. See [Policy.Sellers].
type Seller struct {
	// Name identifies the seller ("maple-motors-ltd").
	Name string `json:"name"`
	// Rooftops are the rooftops the seller operates.
	Rooftops []dealer.Rooftop `json:"rooftops"`
}

// sellerOf returns the index of the seller of rooftop r in p.Sellers, or -1
// for a rooftop no seller names (the tenant's own).
func (p *Policy) sellerOf(r dealer.Rooftop) int {
	for i := range p.Sellers {
		for _, x := range p.Sellers[i].Rooftops {
			if x == r {
				return i
			}
		}
	}
	return -1
}

// sameSeller reports whether a withdrawal recorded at rooftop from binds a
// contact from rooftop to: always when either names no rooftop, and when
// both rooftops belong to the same seller (rooftops no seller names
// belong together to the tenant).
func (p *Policy) sameSeller(from, to dealer.Rooftop) bool {
	if from == "" || to == "" || from == to {
		return true
	}
	if len(p.Sellers) == 0 {
		return true
	}
	return p.sellerOf(from) == p.sellerOf(to)
}

// applies reports whether registry rule g restricts purpose q of request
// r, and for which region ("" for a national registry).
func (g *RegistryRule) applies(r *Request, q Purpose) (string, bool) {
	if !matchKind(g.Channels, r.Channel) || !matchPurpose(g.Purposes, q) {
		return "", false
	}
	if len(g.Regions) == 0 && len(g.AreaCodes) == 0 {
		return "", true
	}
	return r.inPlace(g.Regions, g.AreaCodes, areaCode(r.Address))
}

// exempts reports whether g exempts a contact resting on basis b.
func (g *RegistryRule) exempts(b Basis) bool {
	for _, x := range g.Exempt {
		if x == b {
			return true
		}
	}
	return false
}

// registryCheck applies the policy's registry rules to purpose q of r,
// given the grant the decision rests on (-1 for none). It returns the
// refusing reason, the rule's index and the region that selected it, or
// ReasonUnknown.
func registryCheck(p *Policy, l Ledger, r *Request, q Purpose, rest int) (Reason, int, string) {
	line := r.Address.Line()
	for i := range p.Registries {
		g := &p.Registries[i]
		region, ok := g.applies(r, q)
		if !ok {
			continue
		}
		if rest >= 0 && g.exempts(l[rest].Basis) {
			continue
		}
		if relationship(g, l, r, line) {
			continue
		}
		var fact *Listing
		for j := range r.Registries {
			x := &r.Registries[j]
			if x.Registry == g.Registry && !x.ScrubbedAt.After(r.At) && (fact == nil || x.ScrubbedAt.After(fact.ScrubbedAt)) {
				fact = x
			}
		}
		if fact == nil || g.MaxAge > 0 && r.At.Sub(fact.ScrubbedAt) > g.MaxAge {
			return ReasonRegistryStale, i, region
		}
		if fact.Listed {
			return ReasonRegistryDNC, i, region
		}
	}
	return ReasonUnknown, -1, ""
}

// relationship reports whether an established business relationship
// within g's windows exempts the contact: the request's Relationship, or
// an implied grant in the ledger for the line, not before a reported
// reassignment of the number.
func relationship(g *RegistryRule, l Ledger, r *Request, line channel.Address) bool {
	within := func(t time.Time, months int) bool {
		return months > 0 && !t.IsZero() && !t.After(r.At) && r.At.Before(t.AddDate(0, months, 0)) &&
			(r.ReassignedAt.IsZero() || t.After(r.ReassignedAt))
	}
	if within(r.Relationship.LastPurchase, g.PurchaseMonths) || within(r.Relationship.LastInquiry, g.InquiryMonths) {
		return true
	}
	for i := range l {
		e := &l[i]
		if e.Action != ActionGrant || !onLine(e.Subject.Address, line) {
			continue
		}
		switch e.Basis {
		case BasisImpliedPurchase:
			if within(start(e), g.PurchaseMonths) {
				return true
			}
		case BasisImpliedInquiry:
			if within(start(e), g.InquiryMonths) {
				return true
			}
		}
	}
	return false
}
