package rapport_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rapportcim/rapport"
	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/storage"
	"github.com/rapportcim/rapport/storage/memstore"
)

// gatedLines is a memstore whose LineStates first passes gate (given the
// call's number, from 1, in the order the calls begin, and whether the
// call is for the campaign's first batch), and which counts the calls
// under way.
type gatedLines struct {
	storage.Backend
	lines        storage.LineStateReader
	gate         func(ctx context.Context, call int32, first bool) error
	firstLine    channel.Address // the first contact's
	calls        atomic.Int32
	active, peak atomic.Int32
	stuck        atomic.Bool // a gate gave up waiting for its ctx
}

func (g *gatedLines) LineState(ctx context.Context, tenant dealer.Tenant, q storage.LineQuery) (storage.LineState, error) {
	return g.lines.LineState(ctx, tenant, q)
}

func (g *gatedLines) LineStates(ctx context.Context, tenant dealer.Tenant, qs []storage.LineQuery) ([]storage.LineState, error) {
	call := g.calls.Add(1)
	n := g.active.Add(1)
	defer g.active.Add(-1)
	for p := g.peak.Load(); n > p && !g.peak.CompareAndSwap(p, n); p = g.peak.Load() {
	}
	if err := g.gate(ctx, call, len(qs) > 0 && qs[0].Line == g.firstLine); err != nil {
		return nil, err
	}
	return g.lines.LineStates(ctx, tenant, qs)
}

// untilDone waits for ctx to be done and returns its error; if that takes
// more than a minute, CheckAll did not cancel the batch, which stuck
// records.
func (g *gatedLines) untilDone(ctx context.Context) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(time.Minute):
		g.stuck.Store(true)
		return errors.New("gatedLines: never cancelled")
	}
}

// newGatedBook returns a Book over a gatedLines and a campaign of five
// batches, every contact on its own line.
func newGatedBook(t *testing.T, gate func(g *gatedLines, ctx context.Context, call int32, first bool) error) (*rapport.Book, *gatedLines, []rapport.Contact) {
	t.Helper()
	mem := memstore.New(nil)
	t.Cleanup(func() { mem.Close() })
	g := &gatedLines{Backend: mem, lines: mem}
	g.gate = func(ctx context.Context, call int32, first bool) error { return gate(g, ctx, call, first) }
	now := time.Date(2026, 11, 10, 19, 0, 0, 0, time.UTC)
	book, err := rapport.New(g, "gated", &rapport.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	contacts := make([]rapport.Contact, 2500)
	for k := range contacts {
		a, err := channel.ParseAddress(fmt.Sprintf("mailto:campaign%d@example.com", k))
		if err != nil {
			t.Fatal(err)
		}
		contacts[k] = rapport.Contact{Address: a, Channel: channel.KindEmail, Purpose: consent.PurposeMarketing, Rooftop: "north"}
	}
	g.firstLine = contacts[0].Address.Line()
	return book, g, contacts
}

// TestCheckAllBatchesOverlap holds CheckAll's first batch read until a
// second one has started: the batches are read at the same time, and the
// results still come one per contact, in order.
func TestCheckAllBatchesOverlap(t *testing.T) {
	second := make(chan struct{})
	book, g, contacts := newGatedBook(t, func(g *gatedLines, ctx context.Context, call int32, _ bool) error {
		switch call {
		case 1:
			select {
			case <-second:
			case <-time.After(time.Minute):
				return errors.New("no second batch was read while the first was")
			}
		case 2:
			close(second)
		}
		return nil
	})
	k := 0
	for ch, err := range book.CheckAll(t.Context(), slices.Values(contacts)) {
		if err != nil {
			t.Fatalf("contact %d: %v", k, err)
		}
		if ch.Contact.Address != contacts[k].Address {
			t.Fatalf("result %d is for %v, want %v", k, ch.Contact.Address, contacts[k].Address)
		}
		if !ch.Verdict.Allowed() || !slices.Equal(ch.Verdict.Consent.Reasons(), []consent.Reason{consent.ReasonNotOptedOut}) {
			t.Fatalf("contact %d: %v, want allowed, not_opted_out (email marketing needs no prior consent)", k, ch.Verdict.Consent.Reasons())
		}
		k++
	}
	if k != len(contacts) {
		t.Fatalf("%d results for %d contacts", k, len(contacts))
	}
	if g.calls.Load() != 5 || g.peak.Load() < 2 || g.active.Load() != 0 {
		t.Fatalf("%d reads, %d at most at once, %d under way after CheckAll; want 5, at least 2, 0", g.calls.Load(), g.peak.Load(), g.active.Load())
	}
}

// TestCheckAllStopCancels stops ranging on the first result while later
// batches are under way (their reads wait for cancellation): CheckAll
// must cancel them and return only once none is left.
func TestCheckAllStopCancels(t *testing.T) {
	book, g, contacts := newGatedBook(t, func(g *gatedLines, ctx context.Context, _ int32, first bool) error {
		if first {
			return nil
		}
		return g.untilDone(ctx)
	})
	n := 0
	for _, err := range book.CheckAll(t.Context(), slices.Values(contacts)) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		break
	}
	if n != 1 || g.active.Load() != 0 || g.stuck.Load() || g.calls.Load() < 2 {
		t.Fatalf("%d results, %d reads under way after CheckAll, stuck %v, %d reads started; want 1, 0, false, at least 2", n, g.active.Load(), g.stuck.Load(), g.calls.Load())
	}
}

// TestCheckAllContextCancelled cancels the caller's ctx on the first
// result while the next batches wait for it: the first batch's results
// all come, then one error wrapping context.Canceled, and nothing is left
// running.
func TestCheckAllContextCancelled(t *testing.T) {
	book, g, contacts := newGatedBook(t, func(g *gatedLines, ctx context.Context, _ int32, first bool) error {
		if first {
			return nil
		}
		return g.untilDone(ctx)
	})
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	ok, failed := 0, 0
	for ch, err := range book.CheckAll(ctx, slices.Values(contacts)) {
		cancel()
		switch {
		case err == nil:
			ok++
		case errors.Is(err, context.Canceled) && ch.Contact.Address.IsZero():
			failed++
		default:
			t.Fatalf("after %d results: %v", ok, err)
		}
	}
	if ok != 500 || failed != 1 || g.active.Load() != 0 || g.stuck.Load() {
		t.Fatalf("%d results and %d errors, %d reads under way after CheckAll, stuck %v; want 500, 1, 0, false", ok, failed, g.active.Load(), g.stuck.Load())
	}
}
