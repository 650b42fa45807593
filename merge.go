package rapport

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

// MaxMerge is the most customers one [Book.Merge] takes.
const MaxMerge = 16

// mergePage is the page size of the reads a merge makes.
const mergePage = 500

// MergeOptions configure [Book.Merge]; nil means the defaults.
type MergeOptions struct {
	// Survivor is the customer the others are merged into; it must be one
	// of the IDs merged. Zero means the one created first (then the lowest
	// ID), so that the oldest reference to the person stays valid.
	Survivor customer.ID
	// Rules decide which record's value of each single-valued field
	// survives; nil means customer.RuleMostRecent for every field. Lists
	// (contact points, postal addresses, external IDs…) are always kept
	// whole.
	Rules *customer.Survivorship
	// DryRun computes the merge and returns its record without writing
	// anything: the survivor as it would be, where each value would come
	// from, and every record that would move. It runs the merge in a
	// transaction that it rolls back, so it sees what the merge would and
	// fails as it would; the record's ID is then zero, and the IDs of the
	// consent events it lists were never stored.
	DryRun bool
}

// Merge merges the customers ids (two or more, at most [MaxMerge], each
// once) into one, in one transaction, and returns the merge record
// (stored, so that [Book.Unmerge] can undo it; see customer.MergeRecord):
//
//   - the survivor (opts.Survivor, by default the customer created first)
//     becomes customer.Survive of them all under opts.Rules: every contact
//     point, postal address, alias, external ID, life event, referral, tag
//     and attribute of every record is kept, a name that does not survive
//     becomes an alias, and a verified primary contact point stays primary;
//   - every interaction, conversation and commitment of the others is
//     given to the survivor, as are their household memberships and the
//     vehicle stakeholder roles in those households' vehicles (an entry
//     that would overlap one the survivor already holds there is dropped,
//     and the record says so);
//   - the others are deleted.
//
// Consent is never weakened. The consent ledger is append-only and keyed
// by address, so every event about an address of any merged customer —
// revocations and do-not-call requests included — keeps applying to that
// address, which the survivor now holds; a grant names its address only,
// so it never reaches the survivor's other addresses. For every
// withdrawal whose subject names a merged customer, the merge appends the
// same withdrawal naming the survivor (note "merge <id>: repeats event
// <id>"), so that [Book.CustomerConsent] of the survivor lists them; grants
// are not repeated. An unmerge leaves those appended withdrawals in place.
//
// Records are moved as the Book finds them through the storage indexes:
// vehicles whose stakeholder is a merged customer but that sit in no
// household of theirs, and referrals naming a merged customer in other
// customers' records, are not rewritten. act says who merged them, when
// and why. Change records are emitted for every write (and an
// EntityMerge one for the record). Invalid arguments fail with a
// *customer.ValidationError naming "ids", "survivor" or the rule
// (customer.Survivorship.Validate); a customer not in
// the tenant with ErrNotFound; a concurrent change with ErrConflict.
func (b *Book) Merge(ctx context.Context, ids []customer.ID, act Act, opts *MergeOptions) (_ customer.MergeRecord, err error) {
	const op = "Merge"
	defer b.observe(ctx, op, time.Now(), &err)
	if opts == nil {
		opts = &MergeOptions{}
	}
	if err := checkMergeIDs(ids, opts.Survivor); err != nil {
		return customer.MergeRecord{}, fail(op, err)
	}
	if opts.Rules != nil {
		if err := opts.Rules.Validate(); err != nil {
			return customer.MergeRecord{}, fail(op, err)
		}
	}
	var rec customer.MergeRecord
	err = b.backend.Update(ctx, func(tx storage.Tx) error {
		var err error
		if rec, err = b.merge(ctx, tx, ids, act, opts); err != nil {
			return err
		}
		if opts.DryRun {
			return errDryRun // roll back
		}
		return nil
	})
	if err != nil && !(opts.DryRun && errors.Is(err, errDryRun)) {
		return customer.MergeRecord{}, fail(op, err)
	}
	if opts.DryRun {
		rec.ID = customer.MergeID{}
	}
	return rec, nil
}

// errDryRun rolls back the transaction of a dry run.
var errDryRun = errors.New("dry run")

func checkMergeIDs(ids []customer.ID, survivor customer.ID) error {
	switch {
	case len(ids) < 2:
		return &customer.ValidationError{Field: "ids", Err: fmt.Errorf("%w: a merge takes two or more customers", customer.ErrMissing)}
	case len(ids) > MaxMerge:
		return &customer.ValidationError{Field: "ids", Err: fmt.Errorf("%w: at most %d customers", customer.ErrTooMany, MaxMerge)}
	}
	for i, id := range ids {
		if id.IsZero() {
			return &customer.ValidationError{Field: fmt.Sprintf("ids[%d]", i), Err: customer.ErrMissing}
		}
		if slices.Contains(ids[:i], id) {
			return &customer.ValidationError{Field: fmt.Sprintf("ids[%d]", i), Err: customer.ErrDuplicate}
		}
	}
	if !survivor.IsZero() && !slices.Contains(ids, survivor) {
		return &customer.ValidationError{Field: "survivor", Err: fmt.Errorf("%w: not one of the customers merged", customer.ErrInvalid)}
	}
	return nil
}

// merge does the work of Merge through tx.
func (b *Book) merge(ctx context.Context, tx storage.Tx, ids []customer.ID, act Act, opts *MergeOptions) (customer.MergeRecord, error) {
	now := b.clock()
	cs := make([]customer.Customer, 0, len(ids))
	for _, id := range ids {
		c, err := tx.GetCustomer(ctx, b.tenant, id)
		if err != nil {
			return customer.MergeRecord{}, err
		}
		cs = append(cs, c)
	}
	si := slices.IndexFunc(cs, func(c customer.Customer) bool { return c.ID == opts.Survivor })
	if si < 0 {
		si = 0
		for i := range cs {
			if c := cs[i].CreatedAt.Compare(cs[si].CreatedAt); c < 0 || c == 0 && bytes.Compare(cs[i].ID[:], cs[si].ID[:]) < 0 {
				si = i
			}
		}
	}
	cs[0], cs[si] = cs[si], cs[0] // the survivor first
	after, fields := customer.Survive(cs, 0, opts.Rules)
	after.Normalize()
	after.UpdatedAt = now
	if err := b.validCustomer(after); err != nil {
		return customer.MergeRecord{}, err
	}
	rec := customer.MergeRecord{
		Tenant:   b.tenant,
		Survivor: cs[0].ID,
		Before:   cs,
		After:    after,
		Fields:   fields,
		By:       act.By,
		At:       act.when(now),
		Reason:   act.Reason,
	}
	if opts.Rules != nil {
		rec.Rules = *opts.Rules
	}
	for _, c := range cs[1:] {
		rec.Merged = append(rec.Merged, c.ID)
	}
	id, err := b.id()
	if err != nil {
		return customer.MergeRecord{}, err
	}
	rec.ID = customer.MergeID(id)
	m := &mover{b: b, tx: tx, rec: &rec, now: now}
	for _, c := range cs[1:] {
		if err := m.move(ctx, c.ID); err != nil {
			return customer.MergeRecord{}, err
		}
	}
	rev, err := tx.UpdateCustomer(ctx, after)
	if err != nil {
		return customer.MergeRecord{}, err
	}
	rec.After.Revision = rev
	for _, c := range cs[1:] {
		if err := tx.DeleteCustomer(ctx, b.tenant, c.ID, c.Revision); err != nil {
			return customer.MergeRecord{}, err
		}
	}
	return rec, tx.RecordMerge(ctx, rec)
}

// mover moves one merged customer's records to the survivor, listing each
// in the merge record.
type mover struct {
	b   *Book
	tx  storage.Tx
	rec *customer.MergeRecord
	now time.Time
}

func (m *mover) moved(entity storage.Entity, id string, from customer.ID) {
	m.rec.Moved = append(m.rec.Moved, customer.Moved{Entity: string(entity), ID: id, From: from})
}

func (m *mover) move(ctx context.Context, from customer.ID) error {
	for _, step := range []func(context.Context, customer.ID) error{
		m.interactions, m.conversations, m.commitments, m.households, m.consent,
	} {
		if err := step(ctx, from); err != nil {
			return err
		}
	}
	return nil
}

func (m *mover) interactions(ctx context.Context, from customer.ID) error {
	// Read every page first: the writes change the index being paged.
	var all []interaction.Interaction
	var after storage.Cursor
	for {
		page, next, err := m.tx.Interactions(ctx, m.b.tenant, storage.InteractionQuery{Customers: []customer.ID{from}}, after, mergePage)
		if err != nil {
			return err
		}
		all = append(all, page...)
		if next == "" {
			break
		}
		after = next
	}
	for _, i := range all {
		m.moved(storage.EntityInteraction, i.ID.String(), from)
		i.Customer = m.rec.Survivor
		if _, err := m.tx.UpdateInteraction(ctx, i); err != nil {
			return err
		}
	}
	return nil
}

func (m *mover) conversations(ctx context.Context, from customer.ID) error {
	cs, err := m.tx.ConversationsByCustomer(ctx, m.b.tenant, from)
	if err != nil {
		return err
	}
	for _, c := range cs {
		m.moved(storage.EntityConversation, c.ID.String(), from)
		c.Customer = m.rec.Survivor
		if _, err := m.tx.UpdateConversation(ctx, c); err != nil {
			return err
		}
	}
	return nil
}

func (m *mover) commitments(ctx context.Context, from customer.ID) error {
	var all []interaction.Commitment
	var after storage.Cursor
	for {
		page, next, err := m.tx.Commitments(ctx, m.b.tenant, storage.CommitmentQuery{Customer: from}, after, mergePage)
		if err != nil {
			return err
		}
		all = append(all, page...)
		if next == "" {
			break
		}
		after = next
	}
	for _, c := range all {
		m.moved(storage.EntityCommitment, c.ID.String(), from)
		c.Customer = m.rec.Survivor
		if _, err := m.tx.UpdateCommitment(ctx, c); err != nil {
			return err
		}
	}
	return nil
}

// households gives the survivor the merged customer's memberships, and
// its stakeholder roles in those households' vehicles.
func (m *mover) households(ctx context.Context, from customer.ID) error {
	hids, err := m.tx.HouseholdsByMember(ctx, m.b.tenant, from)
	if err != nil {
		return err
	}
	to := m.rec.Survivor
	for _, hid := range hids {
		h, err := m.tx.GetHousehold(ctx, m.b.tenant, hid)
		if err != nil {
			return err
		}
		var kept []household.Member
		for _, mem := range h.Members {
			if mem.Customer != from {
				kept = append(kept, mem)
				continue
			}
			dropped := slices.ContainsFunc(h.Members, func(x household.Member) bool {
				return x.Customer == to && spansOverlap(x.From, x.To, mem.From, mem.To)
			})
			m.rec.Moved = append(m.rec.Moved, customer.Moved{Entity: string(storage.EntityHousehold), ID: hid.String(), From: from,
				Role: string(mem.Role), Since: mem.From, Until: mem.To, Dropped: dropped})
			if !dropped {
				mem.Customer = to
				kept = append(kept, mem)
			}
		}
		h.Members = kept
		h.UpdatedAt = m.now
		if err := h.Validate(); err != nil {
			return err
		}
		if _, err := m.tx.UpdateHousehold(ctx, h); err != nil {
			return err
		}
		for _, vid := range h.Vehicles {
			if err := m.vehicle(ctx, vid, from); err != nil {
				return err
			}
		}
	}
	return nil
}

func (m *mover) vehicle(ctx context.Context, vid household.VehicleID, from customer.ID) error {
	v, err := m.tx.GetVehicle(ctx, m.b.tenant, vid)
	if err != nil {
		return err
	}
	to := m.rec.Survivor
	var kept []household.Stakeholder
	changed := false
	for _, st := range v.Stakeholders {
		if st.Customer != from {
			kept = append(kept, st)
			continue
		}
		changed = true
		dropped := slices.ContainsFunc(v.Stakeholders, func(x household.Stakeholder) bool {
			return x.Customer == to && x.Role == st.Role && spansOverlap(x.From, x.To, st.From, st.To)
		})
		m.rec.Moved = append(m.rec.Moved, customer.Moved{Entity: string(storage.EntityVehicle), ID: vid.String(), From: from,
			Role: string(st.Role), Since: st.From, Until: st.To, Dropped: dropped})
		if !dropped {
			st.Customer = to
			kept = append(kept, st)
		}
	}
	if !changed {
		return nil
	}
	v.Stakeholders = kept
	v.UpdatedAt = m.now
	if err := v.Validate(); err != nil {
		return err
	}
	_, err = m.tx.UpdateVehicle(ctx, v)
	return err
}

// consent repeats, for the survivor, every withdrawal naming the merged
// customer (see Merge).
func (m *mover) consent(ctx context.Context, from customer.ID) error {
	events, err := m.tx.ConsentByCustomer(ctx, m.b.tenant, from)
	if err != nil {
		return err
	}
	for _, e := range events {
		if !e.Action.Withdraws() {
			continue
		}
		of := e.ID.String()
		e.ID = consent.ID{}
		e.Subject.Customer = m.rec.Survivor
		e.Note = fmt.Sprintf("merge %s: repeats event %s", m.rec.ID, of)
		if e, err = m.b.appendConsent(ctx, m.tx, e, m.now); err != nil {
			return err
		}
		m.rec.Moved = append(m.rec.Moved, customer.Moved{Entity: string(storage.EntityConsent), ID: e.ID.String(), From: from, Of: of})
	}
	return nil
}

// spansOverlap reports whether [af, at) and [bf, bt) share an instant; a
// zero start is "since always", a zero end "still".
func spansOverlap(af, at, bf, bt time.Time) bool {
	return (at.IsZero() || bf.IsZero() || bf.Before(at)) && (bt.IsZero() || af.IsZero() || af.Before(bt))
}
