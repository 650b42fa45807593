package rapport

import (
	"context"
	"crypto/sha256"
	"fmt"
	"slices"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

// UnmergeID is the ID of the record of the unmerge of merge id: derived
// from id, so that a merge can be undone once only (a second unmerge
// finds its record taken and fails with ErrAlreadyExists).
func UnmergeID(id customer.MergeID) customer.MergeID {
	sum := sha256.Sum256(append([]byte("rapport unmerge "), id[:]...))
	var u customer.MergeID
	copy(u[:], sum[:16])
	u[6] = u[6]&0x0f | 0x80 // UUID version 8 (custom)
	u[8] = u[8]&0x3f | 0x80 // RFC 9562 variant
	return u
}

// Unmerge undoes the merge recorded under id, in one transaction, and
// returns the record of the unmerge: a customer.MergeRecord with Undoes
// set to id, ID [UnmergeID](id), Before the survivor as it was just
// before the unmerge, After the survivor as restored, and Moved every
// record given back. It:
//
//   - re-creates every merged customer as the merge record holds it (a new
//     record: Revision 1, UpdatedAt now) and writes the survivor back as it
//     was before the merge (a new revision), keeping contact points added
//     to the survivor since the merge;
//   - gives back every interaction, conversation and commitment the merge
//     moved, and every household membership and vehicle stakeholder role
//     (re-adding those the merge dropped as overlapping the survivor's),
//     where the survivor still holds them;
//   - assigns what happened after the merge by rule: an interaction of the
//     survivor that occurred after the merge on an address one merged
//     customer held before it (and the survivor did not) goes to that
//     customer, with its conversation when that was opened after the
//     merge too.
//
// Consent stays as strong as it is: the withdrawals the merge repeated for
// the survivor stay in the append-only ledger, and every event about an
// address keeps applying to whoever holds the address.
//
// Unmerge fails with ErrNotFound when there is no such merge record (or
// id is an unmerge's) or the survivor is gone (merged again since: undo
// that merge first), ErrAlreadyExists when it was undone already or a
// merged customer's ID is in use, and ErrConflict on a concurrent change.
func (b *Book) Unmerge(ctx context.Context, id customer.MergeID, act Act) (_ customer.MergeRecord, err error) {
	const op = "Unmerge"
	defer b.observe(ctx, op, time.Now(), &err)
	var out customer.MergeRecord
	err = b.backend.Update(ctx, func(tx storage.Tx) error {
		rec, err := tx.GetMerge(ctx, b.tenant, id)
		if err != nil {
			return err
		}
		if !rec.Undoes.IsZero() {
			return storage.E(op, storage.ErrNotFound, fmt.Errorf("%v records an unmerge, not a merge", id))
		}
		out, err = b.unmerge(ctx, tx, rec, act)
		return err
	})
	if err != nil {
		return customer.MergeRecord{}, fail(op, err)
	}
	return out, nil
}

func (b *Book) unmerge(ctx context.Context, tx storage.Tx, rec customer.MergeRecord, act Act) (customer.MergeRecord, error) {
	now := b.clock()
	current, err := tx.GetCustomer(ctx, b.tenant, rec.Survivor)
	if err != nil {
		return customer.MergeRecord{}, err
	}
	out := customer.MergeRecord{
		ID: UnmergeID(rec.ID), Undoes: rec.ID, Tenant: b.tenant, Survivor: rec.Survivor, Merged: rec.Merged,
		Before: []customer.Customer{current}, By: act.By, At: act.when(now), Reason: act.Reason,
	}
	// The customers as they were; the survivor keeps contact points added
	// since the merge.
	restored := rec.Before[0].Clone()
	for _, cp := range current.ContactPoints {
		line := cp.Address.Line()
		held := func(c customer.Customer) bool {
			return slices.ContainsFunc(c.ContactPoints, func(x customer.ContactPoint) bool { return x.Address.Line() == line })
		}
		if !held(rec.After) && !held(restored) {
			cp.Primary = cp.Primary && !slices.ContainsFunc(restored.ContactPoints, func(x customer.ContactPoint) bool {
				return x.Primary && x.Address.Scheme() == cp.Address.Scheme()
			})
			restored.ContactPoints = append(restored.ContactPoints, cp)
		}
	}
	restored.Revision, restored.UpdatedAt = current.Revision, now
	rev, err := tx.UpdateCustomer(ctx, restored)
	if err != nil {
		return customer.MergeRecord{}, err
	}
	restored.Revision = rev
	out.After = restored
	owner := map[channel.Address]customer.ID{} // lines the merged customers held and the survivor did not
	for _, c := range rec.Before[1:] {
		c = c.Clone()
		c.Revision, c.UpdatedAt = 0, now
		if err := tx.CreateCustomer(ctx, c); err != nil {
			return customer.MergeRecord{}, err
		}
		for _, cp := range c.ContactPoints {
			if line := cp.Address.Line(); !slices.ContainsFunc(rec.Before[0].ContactPoints, func(x customer.ContactPoint) bool { return x.Address.Line() == line }) {
				if _, taken := owner[line]; !taken {
					owner[line] = c.ID
				}
			}
		}
	}
	back := func(e storage.Entity, id string, to customer.ID) {
		out.Moved = append(out.Moved, customer.Moved{Entity: string(e), ID: id, From: to})
	}
	for _, mv := range rec.Moved {
		if err := b.moveBack(ctx, tx, rec.Survivor, mv, now); err != nil {
			return customer.MergeRecord{}, err
		}
		if mv.Entity != string(storage.EntityConsent) {
			out.Moved = append(out.Moved, mv)
		}
	}
	// What happened after the merge, by address.
	var later []interaction.Interaction
	var after storage.Cursor
	for {
		page, next, err := tx.Interactions(ctx, b.tenant, storage.InteractionQuery{Customers: []customer.ID{rec.Survivor}, Since: rec.At}, after, mergePage)
		if err != nil {
			return customer.MergeRecord{}, err
		}
		later = append(later, page...)
		if next == "" {
			break
		}
		after = next
	}
	for _, i := range later {
		to, ok := owner[i.Address.Line()]
		if !ok || slices.ContainsFunc(rec.Moved, func(mv customer.Moved) bool { return mv.ID == i.ID.String() }) {
			continue
		}
		i.Customer = to
		if _, err := tx.UpdateInteraction(ctx, i); err != nil {
			return customer.MergeRecord{}, err
		}
		back(storage.EntityInteraction, i.ID.String(), to)
		if i.Conversation.IsZero() {
			continue
		}
		c, err := tx.GetConversation(ctx, b.tenant, i.Conversation)
		if err != nil {
			return customer.MergeRecord{}, err
		}
		if c.Customer == rec.Survivor && !c.OpenedAt.Before(rec.At) {
			c.Customer = to
			if _, err := tx.UpdateConversation(ctx, c); err != nil {
				return customer.MergeRecord{}, err
			}
			back(storage.EntityConversation, c.ID.String(), to)
		}
	}
	return out, tx.RecordMerge(ctx, out)
}

// moveBack gives one record the merge moved back to mv.From, where the
// survivor still holds it.
func (b *Book) moveBack(ctx context.Context, tx storage.Tx, survivor customer.ID, mv customer.Moved, now time.Time) error {
	switch storage.Entity(mv.Entity) {
	case storage.EntityInteraction:
		id, err := interaction.ParseID(mv.ID)
		if err != nil {
			return err
		}
		i, err := tx.GetInteraction(ctx, b.tenant, id)
		if err != nil || i.Customer != survivor {
			return err
		}
		i.Customer = mv.From
		_, err = tx.UpdateInteraction(ctx, i)
		return err
	case storage.EntityConversation:
		id, err := interaction.ParseConversationID(mv.ID)
		if err != nil {
			return err
		}
		c, err := tx.GetConversation(ctx, b.tenant, id)
		if err != nil || c.Customer != survivor {
			return err
		}
		c.Customer = mv.From
		_, err = tx.UpdateConversation(ctx, c)
		return err
	case storage.EntityCommitment:
		id, err := interaction.ParseCommitmentID(mv.ID)
		if err != nil {
			return err
		}
		c, err := tx.GetCommitment(ctx, b.tenant, id)
		if err != nil || c.Customer != survivor {
			return err
		}
		c.Customer = mv.From
		_, err = tx.UpdateCommitment(ctx, c)
		return err
	case storage.EntityHousehold:
		id, err := household.ParseID(mv.ID)
		if err != nil {
			return err
		}
		h, err := tx.GetHousehold(ctx, b.tenant, id)
		if err != nil {
			return err
		}
		entry := household.Member{Customer: mv.From, Role: household.MemberRole(mv.Role), From: mv.Since, To: mv.Until}
		if mv.Dropped {
			h.Members = append(h.Members, entry)
		} else {
			i := slices.Index(h.Members, household.Member{Customer: survivor, Role: entry.Role, From: entry.From, To: entry.To})
			if i < 0 {
				return nil // changed since the merge: the survivor keeps it
			}
			h.Members[i] = entry
		}
		h.UpdatedAt = now
		if err := h.Validate(); err != nil {
			return err
		}
		_, err = tx.UpdateHousehold(ctx, h)
		return err
	case storage.EntityVehicle:
		id, err := household.ParseVehicleID(mv.ID)
		if err != nil {
			return err
		}
		v, err := tx.GetVehicle(ctx, b.tenant, id)
		if err != nil {
			return err
		}
		entry := household.Stakeholder{Customer: mv.From, Role: household.StakeholderRole(mv.Role), From: mv.Since, To: mv.Until}
		if mv.Dropped {
			v.Stakeholders = append(v.Stakeholders, entry)
		} else {
			i := slices.Index(v.Stakeholders, household.Stakeholder{Customer: survivor, Role: entry.Role, From: entry.From, To: entry.To})
			if i < 0 {
				return nil
			}
			v.Stakeholders[i] = entry
		}
		v.UpdatedAt = now
		if err := v.Validate(); err != nil {
			return err
		}
		_, err = tx.UpdateVehicle(ctx, v)
		return err
	}
	return nil // consent: the ledger is append-only, and stays as strong
}
