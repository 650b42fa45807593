package storage

import (
	"bytes"
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/interaction"
)

// LineStateReader is an optional capability of a [Reader] (and of the [Tx]
// a Backend passes to Update): everything rapport.Book.Check reads from
// storage about one address line, gathered in one call from state the
// backend keeps current inside the transaction of every write that changes
// it, instead of the Reader calls it stands for. The Book uses it when the
// backend has it and falls back to those calls otherwise; every backend in
// this module implements it, and the Book's differential test holds the
// two paths to the same verdicts.
//
// LineState answers the query as the Reader calls named in [LineState]
// would, from one consistent snapshot. LineStates does the same for a
// batch (a campaign's lines), reading one snapshot for the whole batch;
// the result has one LineState per query, in order. A query whose Line is
// zero fails with ErrInvalidArgument.
type LineStateReader interface {
	LineState(ctx context.Context, tenant dealer.Tenant, q LineQuery) (LineState, error)
	LineStates(ctx context.Context, tenant dealer.Tenant, qs []LineQuery) ([]LineState, error)
}

// LineSendsReader is an optional capability of a [Reader] (and of the [Tx]
// a Backend passes to Update): the sends to one address line, whoever they
// were recorded for.
//
// A consent check counts frequency caps and the one opt-out confirmation
// per line, so every send to the line counts, including those recorded for
// a customer who no longer holds it. The required Reader calls cannot find
// those (CustomersByAddress gives today's holders, and Interactions is read
// by customer), so rapport's Book reads the sends through this capability
// when a backend has it but not [LineStateReader]; a backend with neither
// gets caps counted over the sends of the line's current holders and the
// contact's customer only. Every backend in this module implements both.
//
// LineSends returns the outbound interactions with a customer addressed to
// line (an address line, channel.Address.Line; ErrInvalidArgument when
// zero) with since ≤ OccurredAt < until (zero: unbounded), newest first
// (OccurredAt, then interaction ID, descending), each as SendOf gives it
// with the customer it was recorded for.
type LineSendsReader interface {
	LineSends(ctx context.Context, tenant dealer.Tenant, line channel.Address, since, until time.Time) ([]CustomerSend, error)
}

// LineQuery asks for the state of one address line.
type LineQuery struct {
	// Line is the address line (channel.Address.Line); an address with an
	// extension is reduced to its line.
	Line channel.Address
	// Customer, when set, is the customer the contact names: the
	// recipient, instead of the line's holders (see LineState).
	Customer customer.ID
	// Since and Until bound the sends and staff contacts returned:
	// Since ≤ OccurredAt < Until; zero means unbounded.
	Since, Until time.Time
}

// LineState is the state of one address line that a consent check needs.
// Its slices may be shared with the backend's own state: callers must not
// modify them (appending is fine: they are returned with no spare
// capacity).
type LineState struct {
	// Ledger is ConsentByAddress(Line): every event about the line, in
	// append order.
	Ledger []consent.Event
	// Holders is CustomersByAddress(Line).
	Holders []customer.ID
	// Recipients describes the recipients: the query's Customer when set,
	// else the Holders, in that order, leaving out those not found
	// (GetCustomer's ErrNotFound); each is RecipientOf(customer, Line).
	Recipients []Recipient
	// Sends are the outbound interactions addressed to the line (their
	// Address.Line is Line) and recorded for any customer — a current
	// holder, the query's Customer, or one who no longer holds the line
	// (a number that changed hands or was taken off a record) — in the
	// query's window, newest first (OccurredAt, then ID, descending), each
	// as SendOf gives it: what [LineSendsReader.LineSends] returns.
	// Frequency caps and the one opt-out confirmation are counted per
	// line.
	Sends []consent.Send
	// Contacts are the staff contacts (interaction.Interaction.StaffContact)
	// among the interactions of the recipients' IDs (the query's Customer,
	// else the Holders, found or not) in the query's window, on any
	// address, newest first (OccurredAt, then ID, descending).
	Contacts []interaction.StaffContact
	// Conversations are the open, pending and snoozed conversations of the
	// recipients' IDs that have an owner, customer by customer in the
	// recipients' order, each customer's oldest first (OpenedAt, then ID),
	// as ConversationsByCustomer lists them.
	Conversations []interaction.Conversation
}

// Recipient is what a consent check needs of a customer who would receive
// a contact on a line.
type Recipient struct {
	ID customer.ID
	// Zone is the customer's stated time zone (Preference.Zone).
	Zone string
	// LineZones are the zones of the customer's contact points on the
	// line, in contact-point order, empty ones left out.
	LineZones []string
	// Regions are the subdivisions (customer.PostalAddress.Subdivision) of
	// the customer's postal addresses other than billing addresses, in
	// address order, empty ones left out.
	Regions []string
}

// RecipientOf describes cu as a recipient of contacts on line (an address
// line, channel.Address.Line).
func RecipientOf(cu *customer.Customer, line channel.Address) Recipient {
	r := Recipient{ID: cu.ID, Zone: cu.Preference.Zone}
	for _, cp := range cu.ContactPoints {
		if cp.Zone != "" && cp.Address.Line() == line {
			r.LineZones = append(r.LineZones, cp.Zone)
		}
	}
	for _, a := range cu.PostalAddresses {
		if a.Usage == customer.AddressBilling {
			continue
		}
		if s := a.Subdivision(); s != "" {
			r.Regions = append(r.Regions, s)
		}
	}
	return r
}

// SendOf returns the send to its line that an outbound interaction counts
// as for frequency caps and the one opt-out confirmation, and false for an
// interaction that is not outbound or has no address.
//
// An outbound interaction recorded without a consent check (through
// RecordInteraction rather than Send) counts as marketing, the purpose with
// the strictest caps, unless its Consent field names another purpose: a
// send whose purpose is not known must not escape a marketing cap. Only a
// text recorded as the opt-out confirmation counts as the confirmation.
func SendOf(i *interaction.Interaction) (consent.Send, bool) {
	if i.Direction != interaction.DirectionOutbound || i.Address.IsZero() {
		return consent.Send{}, false
	}
	s := consent.Send{At: i.OccurredAt, Channel: i.Channel, Rooftop: i.Rooftop, Purpose: consent.PurposeMarketing}
	if i.Consent != nil {
		if p := consent.Purpose(i.Consent.Purpose); p != consent.PurposeUnknown && p != consent.PurposeAll {
			s.Purpose = p
		}
		s.Confirmation = i.Consent.Confirmation && i.Channel == channel.KindSMS
	}
	return s, true
}

// LineParts is what a backend read for a batch of line queries, by line and
// by customer, for [LineParts.State] to cut into each query's LineState:
// the way to serve LineStates with one read per table.
type LineParts struct {
	// Ledgers are the lines' events, in append order.
	Ledgers map[channel.Address][]consent.Event
	// Holders are the lines' holders, in ID order.
	Holders map[channel.Address][]customer.ID
	// Customers are the recipients found. Only what RecipientOf reads
	// need be set: a backend decoding documents may use
	// DecodeRecipientCustomer.
	Customers map[customer.ID]*customer.Customer
	// Sends are the sends to the lines in the batch's window
	// ([BatchWindow]), whoever they were recorded for, newest first
	// (OccurredAt, then ID, descending).
	Sends map[channel.Address][]CustomerSend
	// Contacts are the recipients' staff contacts in the batch's window,
	// newest first.
	Contacts map[customer.ID][]interaction.StaffContact
	// Conversations are the recipients' open, pending and snoozed
	// conversations that have an owner, oldest first (OpenedAt, then ID).
	Conversations map[customer.ID][]interaction.Conversation
}

// CustomerSend is a send and the customer it was recorded for.
type CustomerSend struct {
	Customer customer.ID
	Send     consent.Send
}

// RecipientIDs are the customers a query's state describes: the query's
// Customer when set, else the line's holders.
func RecipientIDs(q LineQuery, holders []customer.ID) []customer.ID {
	if !q.Customer.IsZero() {
		return []customer.ID{q.Customer}
	}
	return holders
}

// BatchWindow is the window that covers every query's: the earliest Since
// and the latest Until (zero when one of them is unbounded).
func BatchWindow(qs []LineQuery) (since, until time.Time) {
	for k, q := range qs {
		if k == 0 || q.Since.IsZero() || (!since.IsZero() && q.Since.Before(since)) {
			since = q.Since
		}
		if k == 0 || q.Until.IsZero() || (!until.IsZero() && q.Until.After(until)) {
			until = q.Until
		}
	}
	return since, until
}

// State is q's LineState, cut from the parts read for its batch.
func (p *LineParts) State(q LineQuery) LineState {
	line := q.Line.Line()
	var st LineState
	st.Ledger = slices.Clip(p.Ledgers[line])
	st.Holders = slices.Clone(p.Holders[line])
	ids := RecipientIDs(q, st.Holders)
	for _, id := range ids {
		if cu := p.Customers[id]; cu != nil {
			st.Recipients = append(st.Recipients, RecipientOf(cu, line))
		}
	}
	for _, s := range p.Sends[line] {
		if inWindow(s.Send.At, q.Since, q.Until) {
			st.Sends = append(st.Sends, s.Send)
		}
	}
	for _, id := range ids {
		for _, c := range p.Contacts[id] {
			if inWindow(c.At, q.Since, q.Until) {
				st.Contacts = append(st.Contacts, c)
			}
		}
	}
	if len(ids) > 1 {
		SortContacts(st.Contacts)
	}
	for _, id := range ids {
		st.Conversations = append(st.Conversations, p.Conversations[id]...)
	}
	return st
}

// SortContacts puts staff contacts of several customers newest first
// (At, then Interaction, descending), as a LineState lists them.
func SortContacts(cs []interaction.StaffContact) {
	slices.SortFunc(cs, func(a, b interaction.StaffContact) int {
		return cmp.Or(b.At.Compare(a.At), bytes.Compare(b.Interaction[:], a.Interaction[:]))
	})
}

// inWindow reports since ≤ t < until (zero: unbounded).
func inWindow(t, since, until time.Time) bool {
	return (since.IsZero() || !t.Before(since)) && (until.IsZero() || t.Before(until))
}

// BatchLines returns the distinct lines of a batch's queries, in the order
// first named, as text (channel.Address.String of the line), and the
// lines by their text, for a backend to key what it reads without parsing
// the addresses again.
func BatchLines(qs []LineQuery) ([]string, map[string]channel.Address) {
	out := make([]string, 0, len(qs))
	byText := make(map[string]channel.Address, len(qs))
	for _, q := range qs {
		l := q.Line.Line()
		if _, seen := byText[l.String()]; !seen {
			byText[l.String()] = l
			out = append(out, l.String())
		}
	}
	return out, byText
}

// BatchRecipients returns the distinct recipients of a batch's queries
// (RecipientIDs, given the holders read for each line), in the order
// first named.
func BatchRecipients(qs []LineQuery, holders map[channel.Address][]customer.ID) []customer.ID {
	out := make([]customer.ID, 0, len(qs))
	seen := make(map[customer.ID]bool, len(qs))
	for _, q := range qs {
		for _, id := range RecipientIDs(q, holders[q.Line.Line()]) {
			if !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	return out
}
