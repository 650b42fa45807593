package rapport

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

// holders reads the customers of ids that exist, skipping zero IDs.
func (b *Book) holders(ctx context.Context, r storage.Reader, ids []customer.ID) ([]customer.Customer, error) {
	var out []customer.Customer
	for _, id := range ids {
		if id.IsZero() {
			continue
		}
		cu, err := r.GetCustomer(ctx, b.tenant, id)
		if errors.Is(err, storage.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, cu)
	}
	return out, nil
}

// regionsOf returns the ISO 3166-2 subdivisions of the recipients' postal
// addresses other than billing addresses (storage.Recipient.Regions),
// without repeats, in the order found.
func regionsOf(rs []storage.Recipient) []string {
	var out []string
	for _, r := range rs {
		for _, s := range r.Regions {
			if !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	return out
}

// registryApplies reports whether one of the policy's registry rules
// restricts contact c (its channel, and its purpose or one of Also), so
// that the business relationship is worth looking up.
func registryApplies(p *consent.Policy, c Contact) bool {
	for _, g := range p.Registries {
		if len(g.Channels) > 0 && !slices.Contains(g.Channels, c.Channel) {
			continue
		}
		if len(g.Purposes) == 0 || slices.Contains(g.Purposes, c.Purpose) {
			return true
		}
		for _, q := range c.Also {
			if slices.Contains(g.Purposes, q) {
				return true
			}
		}
	}
	return false
}

// inquiryKinds are the interactions that count as an inquiry when the
// customer starts them: an inbound message, call, email or chat.
var inquiryKinds = []interaction.Kind{interaction.KindMessage, interaction.KindCall, interaction.KindEmail, interaction.KindChat}

// relationship returns c.Relationship with what the book's records add:
// the holders' latest vehicle purchase or lease from a rooftop of the same
// seller as c.Rooftop, and their latest inbound message, call, email or
// chat to such a rooftop, looked back over the longest window of the
// policy's registry rules.
func (b *Book) relationship(ctx context.Context, r storage.Reader, p *consent.Policy, holders []customer.ID, c Contact) (consent.Relationship, error) {
	rel := c.Relationship
	rel.LastPurchase, rel.LastInquiry = stamp(rel.LastPurchase), stamp(rel.LastInquiry)
	months := 0
	for _, g := range p.Registries {
		months = max(months, g.PurchaseMonths, g.InquiryMonths)
	}
	if months == 0 {
		return rel, nil
	}
	since := c.At.AddDate(0, -months, 0)
	var ids []customer.ID
	for _, id := range holders {
		if !id.IsZero() {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return rel, nil
	}

	// Purchases: vehicles of the holders' households they own or lease.
	seenHH := map[household.ID]bool{}
	seenV := map[household.VehicleID]bool{}
	for _, id := range ids {
		hhs, err := r.HouseholdsByMember(ctx, b.tenant, id)
		if err != nil {
			return rel, err
		}
		for _, hid := range hhs {
			if seenHH[hid] {
				continue
			}
			seenHH[hid] = true
			h, err := r.GetHousehold(ctx, b.tenant, hid)
			if errors.Is(err, storage.ErrNotFound) {
				continue
			}
			if err != nil {
				return rel, err
			}
			for _, vid := range h.Vehicles {
				if seenV[vid] {
					continue
				}
				seenV[vid] = true
				v, err := r.GetVehicle(ctx, b.tenant, vid)
				if errors.Is(err, storage.ErrNotFound) {
					continue
				}
				if err != nil {
					return rel, err
				}
				if v.PurchasedAt.IsZero() || v.PurchasedAt.After(c.At) || !sameSeller(p, v.PurchasedFrom, c.Rooftop) || !buyer(v, ids) {
					continue
				}
				if v.PurchasedAt.After(rel.LastPurchase) {
					rel.LastPurchase = v.PurchasedAt
				}
			}
		}
	}

	// Inquiries: the latest inbound conversational interaction, newest
	// first, so the first one found is the latest. It is usually among the
	// newest few: the first page is small (whole records are decoded), the
	// next ones larger.
	q := storage.InteractionQuery{Customers: ids, Kinds: inquiryKinds, Since: since, Until: c.At.Add(time.Microsecond)}
	var after storage.Cursor
	for limit := 10; ; limit = 100 {
		page, next, err := r.Interactions(ctx, b.tenant, q, after, limit)
		if err != nil {
			return rel, err
		}
		for _, i := range page {
			if i.Direction != interaction.DirectionInbound || !sameSeller(p, i.Rooftop, c.Rooftop) {
				continue
			}
			if i.OccurredAt.After(rel.LastInquiry) {
				rel.LastInquiry = i.OccurredAt
			}
			return rel, nil
		}
		if next == "" {
			return rel, nil
		}
		after = next
	}
}

// buyer reports whether one of ids owns, co-owns or leases v.
func buyer(v household.Vehicle, ids []customer.ID) bool {
	for _, s := range v.Stakeholders {
		switch s.Role {
		case household.StakeholderRoleOwner, household.StakeholderRoleCoOwner, household.StakeholderRoleLessee:
			if slices.Contains(ids, s.Customer) {
				return true
			}
		}
	}
	return false
}

// sameSeller reports whether a business relationship with rooftop from
// is one with the seller of rooftop to: the same legal entity
// (consent.Policy.Sellers), or the tenant when the policy names no
// sellers. A record that names no rooftop counts only when there are no
// sellers: whose customer it was cannot be known otherwise.
func sameSeller(p *consent.Policy, from, to dealer.Rooftop) bool {
	if len(p.Sellers) == 0 {
		return true
	}
	if from == "" {
		return false
	}
	return sellerOf(p, from) == sellerOf(p, to)
}

func sellerOf(p *consent.Policy, r dealer.Rooftop) int {
	for i, s := range p.Sellers {
		if slices.Contains(s.Rooftops, r) {
			return i
		}
	}
	return -1
}
