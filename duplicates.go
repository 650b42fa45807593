package rapport

import (
	"context"
	"iter"

	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/storage"
)

// DuplicatesOptions configure [Book.Duplicates]. The zero value (or nil)
// means customer.DefaultDuplicateRules with the Book's guards, and every
// tier.
type DuplicatesOptions struct {
	// Rules are the guards and bounds; nil means
	// customer.DefaultDuplicateRules() with the Book's guards
	// (Options.Guards), where the dealership's own phone numbers and kiosk
	// emails belong.
	Rules *customer.DuplicateRules
	// MinTier drops candidates below it; zero means customer.TierPossible.
	MinTier customer.Tier
	// Stats, when not nil, receives the work done once the scan ends.
	Stats *customer.DuplicateStats
}

// duplicatesPage is the page size the duplicate scan reads customers with.
const duplicatesPage = 500

// Duplicates scans the book's customers and yields pairs that may be one
// person, most sure first, each with a score, a tier and the reasons in
// words a manager understands (see customer.DuplicateFinder for the
// blocking, guards and bounds, and customer.Reason for the evidence).
//
// Customers are compared on the postal codes of their postal addresses; a
// customer with none is compared on the address of a household they are an
// active member of. The scan reads every customer once, page
// by page, and keeps only their match keys; it yields after the whole book
// is read. It proposes; it never merges. On failure it yields a final
// (zero, err) and stops.
func (b *Book) Duplicates(ctx context.Context, opts *DuplicatesOptions) iter.Seq2[customer.Candidate, error] {
	var o DuplicatesOptions
	if opts != nil {
		o = *opts
	}
	if o.Rules == nil {
		r := customer.DefaultDuplicateRules()
		r.Guards = b.guards
		o.Rules = &r
	}
	const op = "Duplicates"
	return func(yield func(customer.Candidate, error) bool) {
		f := customer.NewDuplicateFinder(o.Rules)
		var after storage.Cursor
		for {
			page, next, err := b.backend.ListCustomers(ctx, b.tenant, after, duplicatesPage)
			if err != nil {
				yield(customer.Candidate{}, fail(op, err))
				return
			}
			for i := range page {
				c := &page[i]
				var err error
				if len(c.PostalAddresses) == 0 {
					var code string
					code, err = b.postalCode(ctx, c.ID)
					if code != "" {
						c.PostalAddresses = []customer.PostalAddress{{PostalCode: code}}
					}
				}
				if err == nil {
					err = f.Add(c)
				}
				if err != nil {
					yield(customer.Candidate{}, fail(op, err))
					return
				}
			}
			if next == "" {
				break
			}
			after = next
		}
		cands := f.Candidates(o.MinTier)
		if o.Stats != nil {
			*o.Stats = f.Stats()
		}
		for _, c := range cands {
			if !yield(c, nil) {
				return
			}
		}
	}
}

// postalCode returns the postal code of the first household (in ID order)
// the customer is an active member of that has one.
func (b *Book) postalCode(ctx context.Context, id customer.ID) (string, error) {
	hids, err := b.backend.HouseholdsByMember(ctx, b.tenant, id)
	if err != nil {
		return "", err
	}
	now := b.clock()
	for _, hid := range hids {
		h, err := b.backend.GetHousehold(ctx, b.tenant, hid)
		if err != nil {
			return "", err
		}
		if h.Address.PostalCode == "" {
			continue
		}
		for _, m := range h.MembersAt(now) {
			if m.Customer == id {
				return h.Address.PostalCode, nil
			}
		}
	}
	return "", nil
}
