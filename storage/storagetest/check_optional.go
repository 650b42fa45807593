package storagetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

// checkConversationHistories checks storage.HistoryReader, when the
// backend has it, against histories worked out from the seeded records.
func checkConversationHistories(t *testing.T, b storage.Backend) {
	hr, ok := b.(storage.HistoryReader)
	if !ok {
		t.Skipf("%T has no storage.HistoryReader (optional)", b)
	}
	ctx := t.Context()
	var g ids
	cust := g.customer()
	c1, c2, c3, c4 := g.conversation(), g.conversation(), g.conversation(), g.conversation()
	var all []interaction.Interaction
	add := func(tenant dealer.Tenant, conv interaction.ConversationID, m int, rooftop dealer.Rooftop) {
		i := newInteraction(tenant, g.interaction(), cust, at(m))
		i.Conversation, i.Rooftop = conv, rooftop
		all = append(all, i)
	}
	add(tenantA, c1, 10, north)
	add(tenantA, c1, 20, north)
	add(tenantA, c1, 20, south) // the same instant: ordered by ID
	add(tenantA, c1, 30, north)
	add(tenantA, c2, 15, south) // only at the other rooftop
	add(tenantA, c2, 25, south)
	add(tenantA, c3, 5, south) // before the range, at another rooftop: still its history
	add(tenantA, c3, 40, north)
	add(tenantA, c3, 70, north) // after Until
	add(tenantA, c4, 100, north)
	add(tenantA, interaction.ConversationID{}, 20, north) // no conversation
	add(tenantB, c1, 20, north)                           // another tenant's record of the same conversation ID
	recs := make([]any, len(all))
	for k := range all {
		recs[k] = all[k]
	}
	seed(t, b, recs...)

	// want works the histories out from the seeded records.
	want := func(q storage.HistoryQuery) map[interaction.ConversationID][]interaction.ID {
		inRange := func(i *interaction.Interaction) bool {
			return (len(q.Rooftops) == 0 || slices.Contains(q.Rooftops, i.Rooftop)) &&
				(q.Since.IsZero() || !i.OccurredAt.Before(q.Since)) && (q.Until.IsZero() || i.OccurredAt.Before(q.Until))
		}
		out := map[interaction.ConversationID][]interaction.ID{}
		for _, i := range all {
			if i.Tenant == tenantA && !i.Conversation.IsZero() && inRange(&i) {
				out[i.Conversation] = nil
			}
		}
		for k := len(all) - 1; k >= 0; k-- { // all is in (time, ID) order: newest last
			i := &all[k]
			if _, ok := out[i.Conversation]; ok && i.Tenant == tenantA && (q.Until.IsZero() || i.OccurredAt.Before(q.Until)) {
				out[i.Conversation] = append(out[i.Conversation], i.ID)
			}
		}
		return out
	}
	slices.SortFunc(all, func(a, b interaction.Interaction) int {
		if c := a.OccurredAt.Compare(b.OccurredAt); c != 0 {
			return c
		}
		return bytes.Compare(a.ID[:], b.ID[:])
	})
	for _, q := range []storage.HistoryQuery{
		{Rooftops: []dealer.Rooftop{north}, Since: at(10), Until: at(50)},
		{},
		{Since: at(26)},
		{Until: at(16), Rooftops: []dealer.Rooftop{south}},
		{Since: at(200)},
	} {
		got := map[interaction.ConversationID][]interaction.ID{}
		for history, err := range hr.ConversationHistories(ctx, tenantA, q) {
			if !wantNoErr(t, "ConversationHistories", err) {
				return
			}
			if len(history) == 0 {
				t.Errorf("ConversationHistories(%+v) yielded an empty history", q)
				continue
			}
			c := history[0].Conversation
			if _, dup := got[c]; dup {
				t.Errorf("ConversationHistories(%+v) yielded conversation %d twice", q, idNum(c))
			}
			for _, i := range history {
				if i.Conversation != c || i.Tenant != tenantA {
					t.Errorf("ConversationHistories(%+v): conversation %d's history holds interaction %d of conversation %d, tenant %q",
						q, idNum(c), idNum(i.ID), idNum(i.Conversation), i.Tenant)
				}
				got[c] = append(got[c], i.ID)
			}
			scribble(&history[0]) // the caller's to change
		}
		w := want(q)
		for c, ids := range w {
			wantIDs(t, fmt.Sprintf("ConversationHistories(%+v): conversation %d", q, idNum(c)), ids, got[c], nil)
		}
		for c := range got {
			if _, ok := w[c]; !ok {
				t.Errorf("ConversationHistories(%+v) yielded conversation %d, which has no interaction in the range", q, idNum(c))
			}
		}
	}
	// What the caller changed is not stored.
	for history, err := range hr.ConversationHistories(ctx, tenantA, storage.HistoryQuery{}) {
		if wantNoErr(t, "ConversationHistories after scribbling", err) {
			for _, i := range history {
				stored, err := b.GetInteraction(ctx, tenantA, i.ID)
				if wantNoErr(t, "GetInteraction", err) && !sameContent(stored, i) {
					t.Errorf("a yielded interaction differs from the stored one: %s", diff(stored, i))
				}
			}
		}
	}
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	for _, err := range hr.ConversationHistories(canceled, tenantA, storage.HistoryQuery{}) {
		if !errors.Is(err, context.Canceled) {
			t.Errorf("ConversationHistories with a canceled context: %v, want context.Canceled", err)
		}
		break
	}
}

// checkCustomerBatcher checks storage.CustomerBatcher, when the backend's
// transactions have it, against the single-record lookups and creates.
func checkCustomerBatcher(t *testing.T, b storage.Backend) {
	ctx := t.Context()
	has := false
	mustUpdate(t, b, func(ctx context.Context, tx storage.Tx) error {
		_, has = tx.(storage.CustomerBatcher)
		return nil
	})
	if !has {
		t.Skipf("the transactions of %T have no storage.CustomerBatcher (optional)", b)
	}
	cid := func(n uint64) customer.ID { return customer.ID(rawID(n)) }
	line, mail := phone(23), email("jane.doe")
	c1 := newCustomer(tenantA, cid(10), line, mail)
	c1.ExternalIDs = []customer.ExternalID{{System: "cdk", Value: "A-1"}}
	c2 := newCustomer(tenantA, cid(20), line)
	c2.ExternalIDs = []customer.ExternalID{{System: "reynolds", Value: "A-1"}}
	c3 := newCustomer(tenantA, cid(5), email("other"))
	c3.ExternalIDs = []customer.ExternalID{{System: "CDK", Value: "A-1"}}
	other := newCustomer(tenantB, cid(7), line)
	other.ExternalIDs = []customer.ExternalID{{System: "cdk", Value: "A-1"}}
	seed(t, b, c2, c1, c3, other)

	lines := []channel.Address{line, mail, phone(40)}
	keys := []storage.ExternalKey{{System: "cdk", Value: "A-1"}, {System: "reynolds", Value: "A-1"}, {System: "cdk", Value: "B-2"}}
	// lookups compares the batched lookups with the single ones in tx.
	lookups := func(tx storage.Tx, what string) {
		t.Helper()
		bt := tx.(storage.CustomerBatcher)
		byLine, err := bt.CustomersByAddresses(ctx, tenantA, lines)
		if !wantNoErr(t, what+": CustomersByAddresses", err) {
			return
		}
		for _, l := range lines {
			one, err := tx.CustomersByAddress(ctx, tenantA, l)
			got, found := byLine[l]
			wantIDs(t, what+": CustomersByAddresses["+l.String()+"]", one, got, err)
			if found && len(got) == 0 {
				t.Errorf("%s: CustomersByAddresses has an empty entry for %s", what, l)
			}
		}
		byKey, err := bt.CustomersByExternalIDs(ctx, tenantA, keys)
		if !wantNoErr(t, what+": CustomersByExternalIDs", err) {
			return
		}
		for _, k := range keys {
			one, err := tx.CustomersByExternalID(ctx, tenantA, k.System, k.Value)
			got, found := byKey[k]
			wantIDs(t, what+": CustomersByExternalIDs["+k.System+"/"+k.Value+"]", one, got, err)
			if found && len(got) == 0 {
				t.Errorf("%s: CustomersByExternalIDs has an empty entry for %v", what, k)
			}
		}
	}
	mustUpdate(t, b, func(ctx context.Context, tx storage.Tx) error {
		lookups(tx, "before")
		return nil
	})

	before := changesOf(t, b)
	n1 := newCustomer(tenantA, cid(30), line, phone(40))
	n1.ExternalIDs = []customer.ExternalID{{System: "CDK", Value: "B-2"}}
	n2 := newCustomer(tenantA, cid(25), mail)
	n3 := newCustomer(tenantA, cid(26))
	mustUpdate(t, b, func(ctx context.Context, tx storage.Tx) error {
		if err := tx.(storage.CustomerBatcher).CreateCustomers(ctx, []customer.Customer{n1, n2, n3}); err != nil {
			return err
		}
		lookups(tx, "inside the transaction that created them")
		got, err := tx.CustomersByAddress(ctx, tenantA, phone(40))
		wantIDs(t, "CustomersByAddress of a created customer's line", []customer.ID{n1.ID}, got, err)
		return nil
	})
	for _, c := range []customer.Customer{n1, n2, n3} {
		c.Revision = 1
		got, err := b.GetCustomer(ctx, tenantA, c.ID)
		if wantNoErr(t, "GetCustomer of a created customer", err) && !sameContent(c, got) {
			t.Errorf("CreateCustomers stored %s", diff(c, got))
		}
	}
	var created []storage.Change
	for _, ch := range changesOf(t, b)[len(before):] {
		created = append(created, storage.Change{Tenant: ch.Tenant, Entity: ch.Entity, ID: ch.ID, Op: ch.Op, Revision: ch.Revision})
	}
	var wantChanges []storage.Change
	for _, c := range []customer.Customer{n1, n2, n3} {
		wantChanges = append(wantChanges, storage.Change{Tenant: tenantA, Entity: storage.EntityCustomer, ID: c.ID.String(), Op: storage.OpCreate, Revision: 1})
	}
	if !sameContent(wantChanges, created) {
		t.Errorf("CreateCustomers' change records: %s", diff(wantChanges, created))
	}

	// A taken ID fails the call with ErrAlreadyExists, and the transaction
	// that returns it stores nothing.
	n4 := newCustomer(tenantA, cid(40), phone(41))
	err := b.Update(ctx, func(tx storage.Tx) error {
		return tx.(storage.CustomerBatcher).CreateCustomers(ctx, []customer.Customer{n4, c1})
	})
	wantKind(t, "CreateCustomers with a taken ID", err, storage.ErrAlreadyExists)
	if _, err := b.GetCustomer(ctx, tenantA, n4.ID); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("after a failed CreateCustomers, GetCustomer of its other customer: %v, want ErrNotFound", err)
	}
	mustUpdate(t, b, func(ctx context.Context, tx storage.Tx) error {
		lookups(tx, "after")
		return nil
	})
}

// changesOf reads tenantA's whole change feed.
func changesOf(t *testing.T, b storage.Backend) []storage.Change {
	t.Helper()
	var out []storage.Change
	for after := storage.Cursor(""); ; {
		page, next, err := b.Changes(t.Context(), tenantA, after, 100)
		if err != nil {
			t.Fatalf("Changes: %v", err)
		}
		if len(page) == 0 {
			return out
		}
		out, after = append(out, page...), next
	}
}

// checkLineSends checks storage.LineSendsReader, when the backend has it,
// against the sends worked out from the seeded records.
func checkLineSends(t *testing.T, b storage.Backend) {
	ls, ok := b.(storage.LineSendsReader)
	if !ok {
		t.Skipf("%T has no storage.LineSendsReader (optional)", b)
	}
	ctx := t.Context()
	var g ids
	now, former := g.customer(), g.customer() // the line's holder now, and one who held it before
	line := phone(1)
	var all []interaction.Interaction
	add := func(tenant dealer.Tenant, cust customer.ID, m int, dir interaction.Direction, addr channel.Address) interaction.Interaction {
		i := newInteraction(tenant, g.interaction(), cust, at(m))
		i.Direction, i.Address = dir, addr
		if dir == interaction.DirectionOutbound {
			i.Authorship = interaction.AuthorshipTemplate
		}
		all = append(all, i)
		return i
	}
	out, in := interaction.DirectionOutbound, interaction.DirectionInbound
	want := []interaction.Interaction{
		add(tenantA, former, 10, out, line),
		add(tenantA, now, 20, out, line),
		add(tenantA, former, 20, out, mustAddress("tel:+12125550101;ext=7")), // the same line, an extension
		add(tenantA, now, 30, out, line),
	}
	add(tenantA, now, 25, in, line)      // inbound: not a send
	add(tenantA, now, 26, out, phone(2)) // another line
	add(tenantA, former, 5, out, line)   // before the window
	add(tenantA, now, 40, out, line)     // at Until: outside
	add(tenantB, now, 20, out, line)     // another tenant
	recs := make([]any, len(all))
	for k := range all {
		recs[k] = all[k]
	}
	seed(t, b, recs...)
	slices.SortFunc(want, func(a, b interaction.Interaction) int {
		if c := b.OccurredAt.Compare(a.OccurredAt); c != 0 {
			return c
		}
		return bytes.Compare(b.ID[:], a.ID[:])
	})
	got, err := ls.LineSends(ctx, tenantA, line, at(10), at(40))
	if err != nil {
		t.Fatal(err)
	}
	var wantSends []storage.CustomerSend
	for k := range want {
		s, _ := storage.SendOf(&want[k])
		wantSends = append(wantSends, storage.CustomerSend{Customer: want[k].Customer, Send: s})
	}
	if !equalSends(got, wantSends) {
		t.Errorf("LineSends(line, [10, 40)) =\n %+v\nwant (every send to the line, newest first, whoever it was recorded for)\n %+v", got, wantSends)
	}
	if got, err := ls.LineSends(ctx, tenantA, line, time.Time{}, time.Time{}); err != nil || len(got) != 6 {
		t.Errorf("LineSends(line, unbounded) = %d sends, %v; want 6", len(got), err)
	}
	if got, err := ls.LineSends(ctx, tenantA, phone(9), time.Time{}, time.Time{}); err != nil || len(got) != 0 {
		t.Errorf("LineSends of a line never sent to = %+v, %v; want none", got, err)
	}
	if _, err := ls.LineSends(ctx, tenantA, channel.Address{}, time.Time{}, time.Time{}); !errors.Is(err, storage.ErrInvalidArgument) {
		t.Errorf("LineSends of a zero line: %v, want ErrInvalidArgument", err)
	}
}

// equalSends compares sends with their times by instant.
func equalSends(a, b []storage.CustomerSend) bool {
	return slices.EqualFunc(a, b, func(x, y storage.CustomerSend) bool {
		xs, ys := x.Send, y.Send
		return x.Customer == y.Customer && xs.At.Equal(ys.At) && xs.Channel == ys.Channel && xs.Rooftop == ys.Rooftop &&
			xs.Purpose == ys.Purpose && xs.Confirmation == ys.Confirmation
	})
}
