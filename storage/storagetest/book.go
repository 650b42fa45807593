package storagetest

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/rapportcim/rapport"
	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

// The Book mode: [Run] also runs these checks through rapport.Book, the
// portable type applications use, over a fresh backend each (as go-cloud's
// driver suites go through the portable type as well as the driver).
// storagetest imports the root package for this; the root package's own
// tests are external (package rapport_test), so they may import storagetest
// without an import cycle, and the root package itself never does.
//
// These checks catch what a backend can get right at its own level and
// still break through the Book: errors the Book cannot match, pages its
// sequences walk wrongly, records that change between a write's result and
// the next read.
var bookChecks = []check{
	{
		name: "Book/WriteThenRead",
		explanation: "what a Book call returns after a write is what the next read returns, through every backend: " +
			"a customer, an interaction and its conversation, with edge-case text in the fields the Book keeps verbatim",
		run: bookWriteThenRead,
	},
	{
		name: "Book/Errors",
		explanation: "applications match the Book's errors, not the backend's: a missing record is rapport.ErrNotFound, " +
			"a stale revision rapport.ErrConflict, a cancelled call exactly ctx.Err(), a closed backend rapport.ErrClosed, " +
			"each inside a *rapport.Error naming the call",
		run: bookErrors,
	},
	{
		name: "Book/TenantIsolation",
		explanation: "a Book is bound to its tenant: no call of one tenant's Book may read another tenant's records, " +
			"whatever the IDs it is given",
		run: bookTenantIsolation,
	},
	{
		name: "Book/Sequences",
		explanation: "the Book's sequences walk the backend's pages: a timeline longer than a page and the change feed " +
			"must yield every record exactly once, in order, with nothing from another tenant",
		run: bookSequences,
	},
}

// newBook returns a Book for tenant over b with a fixed clock and
// sequential IDs (distinct from the fixtures' IDs).
func newBook(t *testing.T, b storage.Backend, tenant dealer.Tenant) *rapport.Book {
	t.Helper()
	var mu sync.Mutex
	var seq uint64
	now := time.Date(2026, 11, 2, 14, 0, 0, 0, time.UTC)
	book, err := rapport.New(b, tenant, &rapport.Options{
		Now: func() time.Time {
			mu.Lock()
			defer mu.Unlock()
			now = now.Add(time.Second)
			return now
		},
		NewID: func() ([16]byte, error) {
			mu.Lock()
			defer mu.Unlock()
			seq++
			var id [16]byte
			id[0] = 0xb0 // apart from the fixtures' IDs
			binary.BigEndian.PutUint64(id[8:], seq)
			id[6] = 0x70
			return id, nil
		},
	})
	if err != nil {
		t.Fatalf("setup: rapport.New: %v", err)
	}
	return book
}

func bookCustomer(t *testing.T, book *rapport.Book, n int) customer.Customer {
	t.Helper()
	r, err := book.UpsertCustomer(t.Context(), customer.Customer{
		Name:          customer.Name{Given: "Jane", Family: fmt.Sprintf("Doe %d", n)},
		ContactPoints: []customer.ContactPoint{{Address: phone(70 + n), Usage: customer.UsageMobile}},
	})
	if err != nil {
		t.Fatalf("setup: UpsertCustomer: %v", err)
	}
	return r.Record
}

func bookWriteThenRead(t *testing.T, b storage.Backend) {
	ctx := t.Context()
	book := newBook(t, b, tenantA)
	for k, text := range edgeText {
		if text == "" {
			continue
		}
		note := text
		if len(note) > customer.MaxTextLen {
			note = note[:customer.MaxTextLen] // edgeText's long text is ASCII
		}
		up, err := book.UpsertCustomer(ctx, customer.Customer{
			Name:          customer.Name{Given: "Ana", Family: fmt.Sprintf("García %d", k)},
			ContactPoints: []customer.ContactPoint{{Address: phone(20 + k), Source: "web"}},
			Attributes:    map[string]string{"note": text},
			LifeEvents:    []customer.LifeEvent{{Kind: customer.LifeEventBirthday, Note: note}},
		})
		if !wantNoErr(t, fmt.Sprintf("UpsertCustomer with edge text %d", k), err) {
			continue
		}
		if up.Record.Attributes["note"] != text {
			t.Errorf("UpsertCustomer changed the attribute text %d: %q, want %q", k, up.Record.Attributes["note"], text)
		}
		got, err := book.Customer(ctx, up.Record.ID)
		if wantNoErr(t, "Customer", err) {
			if d := diff(up.Record, got); d != "" {
				t.Errorf("Customer after UpsertCustomer (edge text %d): %s", k, d)
			}
		}
		rec, err := book.RecordInteraction(ctx, interaction.Interaction{
			Customer: up.Record.ID, Channel: channel.KindEmail, Direction: interaction.DirectionInternal,
			Kind: interaction.KindNote, Body: text,
		})
		if !wantNoErr(t, fmt.Sprintf("RecordInteraction with edge text %d", k), err) {
			continue
		}
		gi, err := book.Interaction(ctx, rec.Interaction.ID)
		if wantNoErr(t, "Interaction", err) {
			if d := diff(rec.Interaction, gi); d != "" {
				t.Errorf("Interaction after RecordInteraction (edge text %d): %s", k, d)
			}
		}
		if !rec.Conversation.ID.IsZero() {
			gc, err := book.Conversation(ctx, rec.Conversation.ID)
			if wantNoErr(t, "Conversation", err) {
				if d := diff(rec.Conversation, gc); d != "" {
					t.Errorf("Conversation after RecordInteraction: %s", d)
				}
			}
		}
	}
}

// wantBookErr checks that err is a *rapport.Error matching sentinel.
func wantBookErr(t *testing.T, what string, err, sentinel error) {
	t.Helper()
	var be *rapport.Error
	switch {
	case !errors.Is(err, sentinel):
		t.Errorf("%s: got %v, want an error matching %v", what, err, sentinel)
	case !errors.As(err, &be):
		t.Errorf("%s: error %v is not a *rapport.Error", what, err)
	}
}

func bookErrors(t *testing.T, b storage.Backend) {
	ctx := t.Context()
	book := newBook(t, b, tenantA)
	c := bookCustomer(t, book, 1)
	g := new(ids)
	_, err := book.Customer(ctx, g.customer())
	wantBookErr(t, "Customer of an unknown ID", err, rapport.ErrNotFound)
	_, err = book.Interaction(ctx, g.interaction())
	wantBookErr(t, "Interaction of an unknown ID", err, rapport.ErrNotFound)

	if _, err := book.UpdateCustomer(ctx, c); err != nil {
		t.Fatalf("setup: UpdateCustomer: %v", err)
	}
	stale := c // still at the revision before the update
	stale.Tags = []string{"stale"}
	_, err = book.UpdateCustomer(ctx, stale)
	wantBookErr(t, "UpdateCustomer with a stale revision", err, rapport.ErrConflict)

	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := book.Customer(cctx, c.ID); err != context.Canceled {
		t.Errorf("Customer with a cancelled ctx: got %v, want context.Canceled itself", err)
	}
	if _, err := book.UpsertCustomer(cctx, customer.Customer{Name: customer.Name{Given: "Late"}}); err != context.Canceled {
		t.Errorf("UpsertCustomer with a cancelled ctx: got %v, want context.Canceled itself", err)
	}

	if err := b.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	_, err = book.Customer(ctx, c.ID)
	wantBookErr(t, "Customer after Close", err, rapport.ErrClosed)
	_, err = book.UpsertCustomer(ctx, customer.Customer{Name: customer.Name{Given: "After"}})
	wantBookErr(t, "UpsertCustomer after Close", err, rapport.ErrClosed)
}

func bookTenantIsolation(t *testing.T, b storage.Backend) {
	ctx := t.Context()
	a, other := newBook(t, b, tenantA), newBook(t, b, tenantB)
	c := bookCustomer(t, a, 1)
	rec, err := a.RecordInteraction(ctx, interaction.Interaction{Customer: c.ID, Channel: channel.KindEmail,
		Direction: interaction.DirectionInternal, Kind: interaction.KindNote, Body: "tenant A's note"})
	if err != nil {
		t.Fatalf("setup: RecordInteraction: %v", err)
	}
	_, err = other.Customer(ctx, c.ID)
	wantBookErr(t, "tenant B's Customer of tenant A's ID", err, rapport.ErrNotFound)
	_, err = other.Interaction(ctx, rec.Interaction.ID)
	wantBookErr(t, "tenant B's Interaction of tenant A's ID", err, rapport.ErrNotFound)
	for i, err := range other.CustomerTimeline(ctx, c.ID, rapport.Filter{}) {
		t.Errorf("tenant B's timeline of tenant A's customer yielded %s, %v", i.ID, err)
	}
	found, err := other.CustomersByAddress(ctx, c.ContactPoints[0].Address)
	if wantNoErr(t, "tenant B's CustomersByAddress", err) && len(found) != 0 {
		t.Errorf("tenant B's CustomersByAddress found %d of tenant A's customers", len(found))
	}
	for ch, err := range other.Changes(ctx, "") {
		t.Errorf("tenant B's change feed yielded %v, %v after only tenant A wrote", ch, err)
	}
}

func bookSequences(t *testing.T, b storage.Backend) {
	ctx := t.Context()
	book := newBook(t, b, tenantA)
	c := bookCustomer(t, book, 1)
	other := newBook(t, b, tenantB)
	bookCustomer(t, other, 2)
	const n = 450 // more than two of the Book's pages
	base := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	var want []interaction.ID
	for k := range n {
		rec, err := book.RecordInteraction(ctx, interaction.Interaction{Customer: c.ID, Channel: channel.KindEmail,
			Direction: interaction.DirectionInternal, Kind: interaction.KindNote, Body: fmt.Sprintf("note %d", k),
			OccurredAt: base.Add(time.Duration(k/3) * time.Minute)}) // ties of three: ordered by ID
		if err != nil {
			t.Fatalf("setup: RecordInteraction %d: %v", k, err)
		}
		want = append(want, rec.Interaction.ID)
	}
	var got []interaction.ID
	var prev interaction.Interaction
	for i, err := range book.CustomerTimeline(ctx, c.ID, rapport.Filter{}) {
		if err != nil {
			t.Fatalf("CustomerTimeline: %v", err)
		}
		if len(got) > 0 && (i.OccurredAt.After(prev.OccurredAt) || i.OccurredAt.Equal(prev.OccurredAt) && cmpIDs(i.ID, prev.ID) >= 0) {
			t.Errorf("CustomerTimeline out of order: %s (%s) after %s (%s)", i.ID, i.OccurredAt, prev.ID, prev.OccurredAt)
		}
		got = append(got, i.ID)
		prev = i
	}
	if len(got) != n || len(dedupe(got)) != n {
		t.Errorf("CustomerTimeline yielded %d interactions (%d distinct), want each of %d once", len(got), len(dedupe(got)), n)
	}
	for _, id := range want {
		if !dedupe(got)[id] {
			t.Errorf("CustomerTimeline is missing %s", id)
			break
		}
	}

	var changes []rapport.Change
	for ch, err := range book.Changes(ctx, "") {
		if err != nil {
			t.Fatalf("Changes: %v", err)
		}
		if ch.Tenant != tenantA {
			t.Errorf("tenant A's change feed yielded a change of %q", ch.Tenant)
		}
		if len(changes) > 0 && ch.Seq <= changes[len(changes)-1].Seq {
			t.Errorf("Changes out of order: seq %d after %d", ch.Seq, changes[len(changes)-1].Seq)
		}
		changes = append(changes, ch)
	}
	interactions := 0
	for _, ch := range changes {
		if ch.Entity == storage.EntityInteraction && ch.Op == storage.OpCreate {
			interactions++
		}
	}
	if interactions != n {
		t.Errorf("the change feed has %d interaction creates, want %d", interactions, n)
	}
	if len(changes) > 0 {
		var again int
		for range book.Changes(ctx, changes[len(changes)-1].Cursor()) {
			again++
		}
		if again != 0 {
			t.Errorf("Changes after the last change's cursor yielded %d, want 0", again)
		}
	}
}

func cmpIDs(a, b interaction.ID) int {
	for k := range a {
		if a[k] != b[k] {
			if a[k] < b[k] {
				return -1
			}
			return 1
		}
	}
	return 0
}

func dedupe(ids []interaction.ID) map[interaction.ID]bool {
	m := make(map[interaction.ID]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}
