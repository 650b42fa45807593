package rapport

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/storage"
)

// ErrAmbiguousMatch is wrapped by the *MatchError that UpsertCustomer
// returns when an incoming record matches more than one stored customer. The
// Book reports such conflicts instead of guessing which customer is meant.
var ErrAmbiguousMatch = errors.New("rapport: record matches more than one customer")

// MatchError lists the customers an incoming record matched, each with why.
type MatchError struct {
	Candidates []customer.ID
	Reasons    [][]string // Reasons[i] explains Candidates[i]
}

func (e *MatchError) Error() string {
	return fmt.Sprintf("%v: %d candidates", ErrAmbiguousMatch, len(e.Candidates))
}

// Unwrap returns ErrAmbiguousMatch.
func (e *MatchError) Unwrap() error { return ErrAmbiguousMatch }

// Upserted says what an Upsert call (UpsertCustomer, UpsertHousehold,
// UpsertVehicle) did: the one shape all three return.
type Upserted[T any] struct {
	// Record is the stored record after the call.
	Record T
	// Created is true when no stored record matched and a new one was made.
	Created bool
	// Changed is false when the incoming record added nothing (a repeated
	// import): nothing was written and no change record was emitted.
	Changed bool
	// MatchedBy explains the match ("id", "external_id cdk", "address
	// tel:+12125550123", "member", "vin"); empty when Created.
	MatchedBy []string
	// SharedWith (customers only) lists other customers holding one of the
	// incoming addresses but judged to be different people (a family's
	// shared number, a different record in the same source system). They
	// were neither matched nor changed.
	SharedWith []customer.ID
	// PossibleDuplicates (customers only) lists other customers that look
	// like the same person (same address and compatible name) next to a
	// decisive external-ID match: candidates for a merge, left alone here.
	PossibleDuplicates []customer.ID
}

// UpsertCustomer stores an incoming customer record (from an import, a lead,
// a web form), recognising a customer already in the book instead of making
// a duplicate:
//
//   - An external ID (system and value) that a stored customer holds is a
//     decisive match.
//   - Otherwise a contact address (compared as a normalized line) that a
//     stored customer holds is a match when customer.SamePerson says so:
//     the names are compatible (either is unknown, the match keys agree, or
//     family name and first initial agree) and the stored customer has no
//     different ID in one of the incoming record's source systems. A shared family number with a
//     different name is not a match: the new person gets their own record
//     and the other holders are listed in UpsertResult.SharedWith.
//   - Matches that point at more than one customer are a conflict: nothing
//     is written and the error is a *MatchError wrapping ErrAmbiguousMatch.
//   - An address or external ID that Options.Guards blocks (the
//     dealership's own numbers, "noemail@…", "000-000-0000", DMS ID "0")
//     is no evidence either way: it neither matches nor is shared; the
//     record keeps it.
//
// A matched customer is updated by merging (customer.Merge): new contact
// points, external IDs, tags, life events, referrals and attributes are
// added; details of a known contact point are filled in; a different
// spelling of the name is kept as an alias. Nothing known is removed. When
// the merge adds nothing, nothing is written. c.ID, when set, names the customer to update (or the
// ID to create it with); c.Revision is ignored.
//
// Validation problems are returned as customer.ValidationError values,
// including a time zone this Book's time zone database lacks. The lookup
// and the write happen in one transaction.
func (b *Book) UpsertCustomer(ctx context.Context, c customer.Customer) (_ Upserted[customer.Customer], err error) {
	defer b.observe(ctx, "UpsertCustomer", time.Now(), &err)
	in := c.Clone()
	in.Tenant = b.tenant
	in.Revision = 0
	in.Normalize()
	if err := b.validCustomer(in); err != nil {
		return Upserted[customer.Customer]{}, fail("UpsertCustomer", err)
	}
	var res Upserted[customer.Customer]
	err = b.backend.Update(ctx, func(tx storage.Tx) error {
		var err error
		res, err = b.upsertCustomer(ctx, tx, in, b.clock())
		return err
	})
	if err != nil {
		return Upserted[customer.Customer]{}, fail("UpsertCustomer", err)
	}
	return res, nil
}

// validCustomer validates c (customer.Customer.Validate, which checks time
// zone names by their syntax only) and resolves its time zones in this
// Book's time zone database, once per zone: a zone the database lacks is a
// *customer.ValidationError wrapping channel.ErrInvalidZone, found here at
// write time rather than when a contact is checked.
func (b *Book) validCustomer(c customer.Customer) error {
	if err := c.Validate(); err != nil {
		return err
	}
	var errs []error
	resolve := func(field, zone string) {
		if zone == "" {
			return
		}
		if _, err := b.location(zone); err != nil {
			errs = append(errs, &customer.ValidationError{Field: field,
				Err: fmt.Errorf("%w: not in the time zone database", channel.ErrInvalidZone)})
		}
	}
	resolve("preference.zone", c.Preference.Zone)
	for i, cp := range c.ContactPoints {
		resolve(fmt.Sprintf("contact_points[%d].zone", i), cp.Zone)
	}
	return errors.Join(errs...)
}

// upsertCustomer is UpsertCustomer inside tx, for a normalized and valid in.
func (b *Book) upsertCustomer(ctx context.Context, tx customerTx, in customer.Customer, now time.Time) (Upserted[customer.Customer], error) {
	var res Upserted[customer.Customer]
	target, err := b.match(ctx, tx, &in, &res)
	if err != nil {
		return res, err
	}
	if target == nil {
		if in.ID.IsZero() {
			id, err := b.id()
			if err != nil {
				return res, err
			}
			in.ID = customer.ID(id)
		}
		in.CreatedAt, in.UpdatedAt = now, now
		if err := tx.CreateCustomer(ctx, in); err != nil {
			return res, err
		}
		in.Revision = 1
		res.Record, res.Created, res.Changed = in, true, true
		return res, nil
	}
	merged, changed := customer.Merge(*target, in)
	if !changed {
		res.Record = *target
		return res, nil
	}
	if err := merged.Validate(); err != nil {
		return res, err
	}
	merged.UpdatedAt = now
	rev, err := tx.UpdateCustomer(ctx, merged)
	if err != nil {
		return res, err
	}
	merged.Revision = rev
	res.Record, res.Changed = merged, true
	return res, nil
}

// match finds the stored customer that in refers to, or nil.
func (b *Book) match(ctx context.Context, tx customerTx, in *customer.Customer, res *Upserted[customer.Customer]) (*customer.Customer, error) {
	loaded := map[customer.ID]*customer.Customer{}
	load := func(id customer.ID) (*customer.Customer, error) {
		if c, ok := loaded[id]; ok {
			return c, nil
		}
		c, err := tx.GetCustomer(ctx, b.tenant, id)
		if err != nil {
			return nil, err
		}
		loaded[id] = &c
		return &c, nil
	}
	if !in.ID.IsZero() {
		c, err := load(in.ID)
		switch {
		case err == nil:
			res.MatchedBy = []string{"id"}
			return c, nil
		case !errors.Is(err, storage.ErrNotFound):
			return nil, err
		}
	}
	decisive := map[customer.ID][]string{}
	for _, x := range in.ExternalIDs {
		if b.guards.BlocksExternalID(x.Value) {
			continue // a placeholder ("0", "n/a"): not evidence
		}
		ids, err := tx.CustomersByExternalID(ctx, b.tenant, x.System, x.Value)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			decisive[id] = append(decisive[id], "external_id "+x.System)
		}
	}
	byAddress := map[customer.ID][]string{}
	var shared []customer.ID
	for _, cp := range in.ContactPoints {
		if b.guards.BlocksAddress(cp.Address) {
			continue // the dealership's own, or a placeholder: not evidence
		}
		ids, err := tx.CustomersByAddress(ctx, b.tenant, cp.Address)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			if _, ok := decisive[id]; ok {
				decisive[id] = appendUnique(decisive[id], "address "+cp.Address.Line().String())
				continue
			}
			c, err := load(id)
			if err != nil {
				return nil, err
			}
			if customer.SamePerson(c, in) {
				byAddress[id] = appendUnique(byAddress[id], "address "+cp.Address.Line().String())
			} else if !slices.Contains(shared, id) {
				shared = append(shared, id)
			}
		}
	}
	res.SharedWith = shared
	switch {
	case len(decisive) > 1:
		return nil, matchError(decisive)
	case len(decisive) == 1:
		for id, why := range decisive {
			res.MatchedBy = why
			res.PossibleDuplicates = slices.SortedFunc(maps.Keys(byAddress), compareIDs)
			res.PossibleDuplicates = slices.DeleteFunc(res.PossibleDuplicates, func(d customer.ID) bool { return d == id })
			return load(id)
		}
	case len(byAddress) > 1:
		return nil, matchError(byAddress)
	case len(byAddress) == 1:
		for id, why := range byAddress {
			res.MatchedBy = why
			return load(id)
		}
	}
	return nil, nil
}

func matchError(m map[customer.ID][]string) error {
	e := &MatchError{Candidates: slices.SortedFunc(maps.Keys(m), compareIDs)}
	for _, id := range e.Candidates {
		e.Reasons = append(e.Reasons, m[id])
	}
	return e
}

func compareIDs(a, b customer.ID) int { return strings.Compare(string(a[:]), string(b[:])) }

func appendUnique(s []string, v string) []string {
	if slices.Contains(s, v) {
		return s
	}
	return append(s, v)
}

// Customer returns the customer with the given ID (ErrNotFound when there
// is none in the book).
func (b *Book) Customer(ctx context.Context, id customer.ID) (customer.Customer, error) {
	c, err := b.backend.GetCustomer(ctx, b.tenant, id)
	return c, fail("Customer", err)
}

// UpdateCustomer replaces a customer that was read earlier: c.Revision must
// be the revision read, else the call fails with ErrConflict and
// nothing is written (somebody else changed the customer: read it again).
// It returns the customer as stored, with its new revision.
func (b *Book) UpdateCustomer(ctx context.Context, c customer.Customer) (_ customer.Customer, err error) {
	defer b.observe(ctx, "UpdateCustomer", time.Now(), &err)
	c = c.Clone()
	c.Tenant = b.tenant
	c.Normalize()
	if err := b.validCustomer(c); err != nil {
		return customer.Customer{}, fail("UpdateCustomer", err)
	}
	c.UpdatedAt = b.clock()
	err = b.backend.Update(ctx, func(tx storage.Tx) error {
		rev, err := tx.UpdateCustomer(ctx, c)
		c.Revision = rev
		return err
	})
	if err != nil {
		return customer.Customer{}, fail("UpdateCustomer", err)
	}
	return c, nil
}

// CustomersByAddress returns the customers holding addr (compared as a
// normalized line: extensions are ignored), in ID order.
func (b *Book) CustomersByAddress(ctx context.Context, addr channel.Address) ([]customer.Customer, error) {
	ids, err := b.backend.CustomersByAddress(ctx, b.tenant, addr)
	if err != nil {
		return nil, fail("CustomersByAddress", err)
	}
	cs, err := b.customers(ctx, ids)
	return cs, fail("CustomersByAddress", err)
}

// CustomersByExternalID returns the customers holding the identifier, in ID
// order.
func (b *Book) CustomersByExternalID(ctx context.Context, system, value string) ([]customer.Customer, error) {
	ids, err := b.backend.CustomersByExternalID(ctx, b.tenant, strings.ToLower(strings.TrimSpace(system)), strings.TrimSpace(value))
	if err != nil {
		return nil, fail("CustomersByExternalID", err)
	}
	cs, err := b.customers(ctx, ids)
	return cs, fail("CustomersByExternalID", err)
}

func (b *Book) customers(ctx context.Context, ids []customer.ID) ([]customer.Customer, error) {
	out := make([]customer.Customer, 0, len(ids))
	for _, id := range ids {
		c, err := b.backend.GetCustomer(ctx, b.tenant, id)
		if errors.Is(err, storage.ErrNotFound) {
			continue // deleted between the lookup and the read
		}
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}
