package rapport

import (
	"context"
	"errors"
	"iter"
	"slices"
	"time"

	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/storage"
)

// SuggestOptions configure [Book.HouseholdSuggestions]; nil means the
// defaults of household.SuggestRules.
type SuggestOptions struct {
	// Rules are the blocked lines and the member limit; nil means the
	// defaults. Put the dealership's own numbers in Rules.Blocked.
	Rules *household.SuggestRules
}

// HouseholdSuggestions scans the book's customers and yields households to
// make or join: customers who share a street address and a last name, or a
// home phone line (see household.Suggester). Suggestions staff already
// accepted or rejected (by their members: household.SuggestionKey) are not
// made again, nor are groups that already share a household. The scan
// reads every customer once, page by page, keeping only keys; it yields in
// key order after the whole book is read. On failure it yields a final
// (zero, err) and stops.
func (b *Book) HouseholdSuggestions(ctx context.Context, opts *SuggestOptions) iter.Seq2[household.Suggestion, error] {
	const op = "HouseholdSuggestions"
	var rules *household.SuggestRules
	if opts != nil {
		rules = opts.Rules
	}
	return func(yield func(household.Suggestion, error) bool) {
		s := household.NewSuggester(rules)
		now := b.clock()
		active := map[household.ID][]customer.ID{} // the households read so far: their active members
		var after storage.Cursor
		for {
			page, next, err := b.backend.ListCustomers(ctx, b.tenant, after, duplicatesPage)
			if err != nil {
				yield(household.Suggestion{}, fail(op, err))
				return
			}
			for i := range page {
				hs, err := b.activeHouseholds(ctx, page[i].ID, now, active)
				if err != nil {
					yield(household.Suggestion{}, fail(op, err))
					return
				}
				s.Add(&page[i], hs)
			}
			if next == "" {
				break
			}
			after = next
		}
		for _, sg := range s.Suggestions() {
			_, err := b.backend.SuggestionDecision(ctx, b.tenant, sg.Key)
			switch {
			case err == nil:
				continue // decided
			case !errors.Is(err, storage.ErrNotFound):
				yield(household.Suggestion{}, fail(op, err))
				return
			}
			if !yield(sg, nil) {
				return
			}
		}
	}
}

// activeHouseholds returns the households the customer is an active member
// of at now; cache holds the active members of the households read so far.
func (b *Book) activeHouseholds(ctx context.Context, id customer.ID, now time.Time, cache map[household.ID][]customer.ID) ([]household.ID, error) {
	hids, err := b.backend.HouseholdsByMember(ctx, b.tenant, id)
	if err != nil {
		return nil, err
	}
	var out []household.ID
	for _, hid := range hids {
		members, ok := cache[hid]
		if !ok {
			h, err := b.backend.GetHousehold(ctx, b.tenant, hid)
			if err != nil {
				return nil, err
			}
			for _, m := range h.MembersAt(now) {
				members = append(members, m.Customer)
			}
			cache[hid] = members
		}
		if slices.Contains(members, id) {
			out = append(out, hid)
		}
	}
	return out, nil
}

// AcceptSuggestion makes the suggested household, or adds the members who
// are not yet in it to s.Household, and records the decision (by act.By,
// at act's time, with act.Reason as its note), all in one transaction. It
// returns the household as stored. New members join from act's time; a new
// household takes s.Address as its address.
//
// s must be a suggestion as [Book.HouseholdSuggestions] made it (its Key
// the key of its Members, else a *household.ValidationError); a suggestion
// already decided fails with ErrAlreadyExists and changes nothing.
func (b *Book) AcceptSuggestion(ctx context.Context, s household.Suggestion, act Act) (_ household.Household, err error) {
	const op = "AcceptSuggestion"
	defer b.observe(ctx, op, time.Now(), &err)
	var out household.Household
	err = b.backend.Update(ctx, func(tx storage.Tx) error {
		now := b.clock()
		at := act.when(now)
		d, err := b.decision(s, household.OutcomeRejected, act, at)
		if err != nil {
			return err
		}
		if s.Household.IsZero() {
			id, err := b.id()
			if err != nil {
				return err
			}
			out = household.Household{ID: household.ID(id), Tenant: b.tenant, Address: s.Address, CreatedAt: now, UpdatedAt: now}
			out.Address.Lines = slices.Clone(s.Address.Lines)
			for _, m := range s.Members {
				out.Members = append(out.Members, household.Member{Customer: m, From: at})
			}
			if err := out.Validate(); err != nil {
				return err
			}
			if err := tx.CreateHousehold(ctx, out); err != nil {
				return err
			}
			out.Revision = 1
		} else {
			out, err = tx.GetHousehold(ctx, b.tenant, s.Household)
			if err != nil {
				return err
			}
			current := out.MembersAt(at)
			for _, m := range s.Members {
				if !slices.ContainsFunc(current, func(c household.Member) bool { return c.Customer == m }) {
					out.Members = append(out.Members, household.Member{Customer: m, From: at})
				}
			}
			out.UpdatedAt = now
			if err := out.Validate(); err != nil {
				return err
			}
			if out.Revision, err = tx.UpdateHousehold(ctx, out); err != nil {
				return err
			}
		}
		d.Outcome, d.Household = household.OutcomeAccepted, out.ID
		if err := d.Validate(); err != nil {
			return err
		}
		return tx.RecordSuggestionDecision(ctx, d)
	})
	if err != nil {
		return household.Household{}, fail(op, err)
	}
	return out, nil
}

// RejectSuggestion records that the suggested members are not a household
// (by act.By, at act's time, act.Reason as its note): the same members are
// not suggested again. A suggestion already decided fails with
// ErrAlreadyExists.
func (b *Book) RejectSuggestion(ctx context.Context, s household.Suggestion, act Act) (err error) {
	const op = "RejectSuggestion"
	defer b.observe(ctx, op, time.Now(), &err)
	err = b.backend.Update(ctx, func(tx storage.Tx) error {
		d, err := b.decision(s, household.OutcomeRejected, act, act.when(b.clock()))
		if err != nil {
			return err
		}
		return tx.RecordSuggestionDecision(ctx, d)
	})
	return fail(op, err)
}

// decision builds and validates the decision about s (for an accepted one,
// validated again once its household is known).
func (b *Book) decision(s household.Suggestion, outcome household.Outcome, act Act, at time.Time) (household.Decision, error) {
	d := household.Decision{
		Tenant:  b.tenant,
		Key:     s.Key,
		Members: slices.Clone(s.Members),
		Outcome: outcome,
		Reasons: slices.Clone(s.Reasons),
		By:      act.By,
		At:      at,
		Note:    act.Reason,
	}
	return d, d.Validate()
}
