package rapport

import (
	"time"

	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/netip"
	"slices"
	"strings"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

// ErrNoErasureKey: the Book has no usable Options.ErasureKey, so it cannot
// keep an erased person's suppression facts and refuses to erase.
var ErrNoErasureKey = errors.New("rapport: no erasure key (Options.ErasureKey)")

const minErasureKey = 32

// erasedKey is the keyed hash under which the ledger keeps the events of
// an erased address: storage.ErasedPrefix, then HMAC-SHA-256 over the
// tenant and the address line.
func (b *Book) erasedKey(line channel.Address) string {
	m := hmac.New(sha256.New, b.erasureKey)
	m.Write([]byte(b.tenant))
	m.Write([]byte{0})
	m.Write([]byte(line.Line().String()))
	return storage.ErasedPrefix + "hmac-sha256:" + hex.EncodeToString(m.Sum(nil))
}

// withErased adds to ledger, for line, the events kept under its erased
// key, with their address restored in memory.
func (b *Book) withErased(ctx context.Context, r storage.Reader, line channel.Address, ledger []consent.Event) ([]consent.Event, error) {
	if b.erasureKey == nil {
		return ledger, nil
	}
	erased, err := r.ConsentByKey(ctx, b.tenant, b.erasedKey(line))
	if err != nil {
		return nil, err
	}
	for _, e := range erased {
		e.Subject.Address = line.Line()
		ledger = append(ledger, e)
	}
	return ledger, nil
}

// Erase removes the customer's personal data from every record that holds
// it, in one transaction, on the request of onRequestOf (required: whose
// request it was), and returns the erasure record (stored;
// customer.Erasure), which names what was erased but holds no personal
// data itself:
//
//   - the customer record is deleted;
//   - the customer's interactions keep that they happened, on which
//     channel and rooftop, when, in which direction and conversation, and
//     their delivery status; their address, subject, body, participants,
//     call, appointment, survey, referral and post details, findings,
//     external references, attributes, review-flag notes and lifecycle
//     reasons are removed;
//   - other customers' referral interactions naming the customer (as
//     referrer or referred) keep that a referral happened, when, on which
//     channel, and the other party; the customer's side of the referral,
//     their text (subject, body, findings, attributes, flag notes) and an
//     address of the customer are removed;
//   - the customer's commitments lose their text (what was promised, the
//     reason of a cancellation), and their conversations the reason of a
//     pending handoff;
//   - household memberships are removed; a household whose name holds one
//     of the customer's names loses it, and one left with no member loses
//     its name and postal address;
//   - the customer's stakeholder roles are removed from every vehicle,
//     in one of their households or not; the vehicle keeps everything
//     else (VIN, make, model, other stakeholders);
//   - household-suggestion decisions listing the customer lose them from
//     their members (household.Decision.Erased counts them) and their
//     note; they keep their key, outcome and time, so a decided group is
//     still not suggested again (it cannot recur without the customer; the
//     remaining members, should they still match, are a new suggestion);
//   - consent events naming the customer, and every event about an address
//     of the customer that no other customer holds, are rewritten in place
//     (storage.ErasureWriter): their address becomes a keyed hash
//     (Options.ErasureKey), and their subject, giver, note and the
//     person's own words and device address in the evidence are removed.
//     What the person asked for (the action, channel, purpose, rooftop and
//     times) stays, so a number that said STOP stays opted out:
//     [Book.Check] finds the events under the hash when the number is
//     contacted or imported again;
//   - merge records naming the customer keep who was merged into whom and
//     what moved, but the customers' contents are removed.
//
// Change records hold only IDs, entities and operations, never personal
// data, and stay as they are. Free text in other customers' records that
// names the customer without a structured link (a commitment to "call
// Zebulon's wife", a note on a neighbour) cannot be found reliably and is
// left; so are duplicate candidates, which are computed on each call and
// never stored. Erase fails with [ErrNoErasureKey] when the
// Book has no key, a *customer.ValidationError naming "on_request_of" when
// onRequestOf is empty, and ErrNotFound for an unknown customer.
func (b *Book) Erase(ctx context.Context, id customer.ID, onRequestOf string, act Act) (_ customer.Erasure, err error) {
	const op = "Erase"
	defer b.observe(ctx, op, time.Now(), &err)
	if b.erasureKey == nil {
		return customer.Erasure{}, fail(op, ErrNoErasureKey)
	}
	if onRequestOf == "" {
		return customer.Erasure{}, fail(op, &customer.ValidationError{Field: "on_request_of", Err: customer.ErrMissing})
	}
	var out customer.Erasure
	err = b.backend.Update(ctx, func(tx storage.Tx) error {
		var err error
		out, err = b.erase(ctx, tx, id, onRequestOf, act)
		return err
	})
	if err != nil {
		return customer.Erasure{}, fail(op, err)
	}
	return out, nil
}

func (b *Book) erase(ctx context.Context, tx storage.Tx, id customer.ID, onRequestOf string, act Act) (customer.Erasure, error) {
	now := b.clock()
	c, err := tx.GetCustomer(ctx, b.tenant, id)
	if err != nil {
		return customer.Erasure{}, err
	}
	eid, err := b.id()
	if err != nil {
		return customer.Erasure{}, err
	}
	rec := customer.Erasure{ID: customer.ErasureID(eid), Tenant: b.tenant, Customer: id, OnRequestOf: onRequestOf,
		By: act.By, At: act.when(now), Reason: act.Reason}
	erased := func(e storage.Entity, id string) {
		rec.Erased = append(rec.Erased, customer.Erased{Entity: string(e), ID: id})
	}
	// Read everything first: the erasure record, written before the
	// ledger is rewritten (the backends require it), lists it all.
	var lines []channel.Address
	for _, cp := range c.ContactPoints {
		if l := cp.Address.Line(); !slices.Contains(lines, l) {
			lines = append(lines, l)
			rec.Keys = append(rec.Keys, b.erasedKey(l))
		}
	}
	erased(storage.EntityCustomer, id.String())
	var events []consent.Event
	byCustomer, err := tx.ConsentByCustomer(ctx, b.tenant, id)
	if err != nil {
		return customer.Erasure{}, err
	}
	events = append(events, byCustomer...)
	for _, l := range lines {
		holders, err := tx.CustomersByAddress(ctx, b.tenant, l)
		if err != nil {
			return customer.Erasure{}, err
		}
		if slices.ContainsFunc(holders, func(h customer.ID) bool { return h != id }) {
			continue // shared: others' events about it are theirs
		}
		onLine, err := tx.ConsentByAddress(ctx, b.tenant, l)
		if err != nil {
			return customer.Erasure{}, err
		}
		for _, e := range onLine {
			if !slices.ContainsFunc(events, func(x consent.Event) bool { return x.ID == e.ID }) {
				events = append(events, e)
			}
		}
	}
	for _, e := range events {
		erased(storage.EntityConsent, e.ID.String())
	}
	var is []interaction.Interaction
	var after storage.Cursor
	for {
		page, next, err := tx.Interactions(ctx, b.tenant, storage.InteractionQuery{Customers: []customer.ID{id}}, after, mergePage)
		if err != nil {
			return customer.Erasure{}, err
		}
		is = append(is, page...)
		if next == "" {
			break
		}
		after = next
	}
	for _, i := range is {
		erased(storage.EntityInteraction, i.ID.String())
	}
	var cms []interaction.Commitment
	after = ""
	for {
		page, next, err := tx.Commitments(ctx, b.tenant, storage.CommitmentQuery{Customer: id}, after, mergePage)
		if err != nil {
			return customer.Erasure{}, err
		}
		cms = append(cms, page...)
		if next == "" {
			break
		}
		after = next
	}
	for _, cm := range cms {
		erased(storage.EntityCommitment, cm.ID.String())
	}
	hids, err := tx.HouseholdsByMember(ctx, b.tenant, id)
	if err != nil {
		return customer.Erasure{}, err
	}
	var hs []household.Household
	for _, hid := range hids {
		h, err := tx.GetHousehold(ctx, b.tenant, hid)
		if err != nil {
			return customer.Erasure{}, err
		}
		hs = append(hs, h)
		erased(storage.EntityHousehold, hid.String())
	}
	convs, err := tx.ConversationsByCustomer(ctx, b.tenant, id)
	if err != nil {
		return customer.Erasure{}, err
	}
	convs = slices.DeleteFunc(convs, func(c interaction.Conversation) bool { return c.PendingHandoff == nil || c.PendingHandoff.Reason == "" })
	for _, cv := range convs {
		erased(storage.EntityConversation, cv.ID.String())
	}
	mids, err := tx.MergesByCustomer(ctx, b.tenant, id)
	if err != nil {
		return customer.Erasure{}, err
	}
	for _, mid := range mids {
		erased(storage.EntityMerge, mid.String())
	}
	// Records of others that name the customer: vehicles (in a household
	// of theirs or not), referrals, suggestion decisions.
	mentions, err := tx.MentionsOf(ctx, b.tenant, id)
	if err != nil {
		return customer.Erasure{}, err
	}
	var vs []household.Vehicle
	for _, vid := range mentions.Vehicles {
		v, err := tx.GetVehicle(ctx, b.tenant, vid)
		if err != nil {
			return customer.Erasure{}, err
		}
		vs = append(vs, v)
		erased(storage.EntityVehicle, vid.String())
	}
	var refs []interaction.Interaction
	for _, iid := range mentions.Referrals {
		if slices.ContainsFunc(is, func(i interaction.Interaction) bool { return i.ID == iid }) {
			continue // the customer's own: erased with the others
		}
		i, err := tx.GetInteraction(ctx, b.tenant, iid)
		if err != nil {
			return customer.Erasure{}, err
		}
		refs = append(refs, i)
		erased(storage.EntityInteraction, iid.String())
	}
	var ds []household.Decision
	for _, key := range mentions.Decisions {
		d, err := tx.SuggestionDecision(ctx, b.tenant, key)
		if err != nil {
			return customer.Erasure{}, err
		}
		ds = append(ds, d)
		erased(storage.EntitySuggestionDecision, key)
	}
	if err := tx.RecordErasure(ctx, rec); err != nil {
		return customer.Erasure{}, err
	}

	// Then rewrite.
	if err := tx.DeleteCustomer(ctx, b.tenant, id, c.Revision); err != nil {
		return customer.Erasure{}, err
	}
	for _, e := range events {
		key := b.erasedKey(e.Subject.Address)
		e.Subject = consent.Subject{}
		e.Giver = consent.Giver{}
		e.Note = ""
		e.Evidence.RawText, e.Evidence.RawValue = "", ""
		e.Evidence.IP = netip.Addr{}
		if err := tx.EraseConsent(ctx, rec.ID, e, key); err != nil {
			return customer.Erasure{}, err
		}
	}
	for _, i := range is {
		eraseText(&i)
		i.Address = channel.Address{}
		i.Participants = nil
		i.Call, i.Appointment, i.Survey, i.Referral, i.Post = nil, nil, nil, nil, nil
		i.ExternalRefs = nil
		i.Delivery.Reason = ""
		i.UpdatedAt = now
		if _, err := tx.UpdateInteraction(ctx, i); err != nil {
			return customer.Erasure{}, err
		}
	}
	for _, i := range refs {
		// Another customer's referral: it keeps that a referral happened,
		// when, and the other party; its text may name the customer.
		eraseText(&i)
		if slices.Contains(lines, i.Address.Line()) {
			i.Address = channel.Address{}
		}
		if i.Referral.Referrer == id {
			i.Referral.Referrer = customer.ID{}
		}
		if i.Referral.Referred == id {
			i.Referral.Referred = customer.ID{}
		}
		if *i.Referral == (interaction.Referral{}) {
			i.Referral = nil // "a friend told me" about the erased person: who is no longer known
		}
		i.UpdatedAt = now
		if _, err := tx.UpdateInteraction(ctx, i); err != nil {
			return customer.Erasure{}, err
		}
	}
	for _, cv := range convs {
		cv.PendingHandoff.Reason = ""
		cv.UpdatedAt = now
		if _, err := tx.UpdateConversation(ctx, cv); err != nil {
			return customer.Erasure{}, err
		}
	}
	for _, d := range ds {
		d.Members = slices.DeleteFunc(d.Members, func(m customer.ID) bool { return m == id })
		d.Erased++
		d.Note = ""
		if err := tx.EraseDecision(ctx, d); err != nil {
			return customer.Erasure{}, err
		}
	}
	for _, cm := range cms {
		cm.What, cm.CancelReason = "", ""
		cm.UpdatedAt = now
		if _, err := tx.UpdateCommitment(ctx, cm); err != nil {
			return customer.Erasure{}, err
		}
	}
	for _, h := range hs {
		h.Members = slices.DeleteFunc(h.Members, func(m household.Member) bool { return m.Customer == id })
		if len(h.Members) == 0 || namesPerson(h.Name, c) {
			h.Name = ""
		}
		if len(h.Members) == 0 {
			h.Address = household.PostalAddress{}
		}
		h.UpdatedAt = now
		if _, err := tx.UpdateHousehold(ctx, h); err != nil {
			return customer.Erasure{}, err
		}
	}
	for _, v := range vs {
		v.Stakeholders = slices.DeleteFunc(v.Stakeholders, func(s household.Stakeholder) bool { return s.Customer == id })
		v.UpdatedAt = now
		if _, err := tx.UpdateVehicle(ctx, v); err != nil {
			return customer.Erasure{}, err
		}
	}
	for _, mid := range mids {
		m, err := tx.GetMerge(ctx, b.tenant, mid)
		if err != nil {
			return customer.Erasure{}, err
		}
		for i := range m.Before {
			m.Before[i] = stub(m.Before[i])
		}
		m.After = stub(m.After)
		if err := tx.EraseMerge(ctx, m); err != nil {
			return customer.Erasure{}, err
		}
	}
	return rec, nil
}

// eraseText removes an interaction's free text, which may name the
// person: subject, body and where their redactions were, the attributes
// from other systems, the notes of its review flags and the reason of a
// lifecycle step.
func eraseText(i *interaction.Interaction) {
	i.Subject, i.Body = "", ""
	i.Findings, i.Attributes = nil, nil
	for f := range i.Flags {
		i.Flags[f].Note = ""
	}
	if i.Lifecycle != nil {
		i.Lifecycle.Reason = ""
	}
}

// namesPerson reports whether a household name holds a name of c (its
// family, given or full name, or an alias's), compared case-insensitively.
func namesPerson(name string, c customer.Customer) bool {
	name = strings.ToLower(name)
	for _, n := range append([]customer.Name{c.Name}, c.Aliases...) {
		for _, part := range []string{n.Family, n.Given, n.Full} {
			if part != "" && strings.Contains(name, strings.ToLower(part)) {
				return true
			}
		}
	}
	return false
}

// stub keeps only a customer's identity and record fields.
func stub(c customer.Customer) customer.Customer {
	return customer.Customer{ID: c.ID, Tenant: c.Tenant, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt, Revision: c.Revision}
}
