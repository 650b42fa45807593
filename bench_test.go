package rapport_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/rapportcim/rapport"
	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/internal/benchcpu"
	"github.com/rapportcim/rapport/storage"
	"github.com/rapportcim/rapport/storage/memstore"
	"github.com/rapportcim/rapport/storage/sqlitestore"
)

// BenchmarkCheck compares Book.Check on memstore with a raw map lookup of
// the same key (the address line → its consent events) in the same run.
// The ledger holds 20 events for the address; the customer has a stated
// zone and a few recent messages.
func BenchmarkCheck(b *testing.B) {
	ctx := context.Background()
	backend := memstore.New(nil)
	defer backend.Close()
	now := time.Date(2026, 11, 10, 19, 0, 0, 0, time.UTC) // 14:00 in New York
	book, err := rapport.New(backend, "bench", &rapport.Options{Now: func() time.Time { return now }})
	if err != nil {
		b.Fatal(err)
	}
	line, id, raw := seedCheckBench(b, book, now)
	c := rapport.Contact{Address: line, Channel: channel.KindSMS, Purpose: consent.PurposeMarketing, Customer: id, At: now}
	b.Run("baseline=map-lookup", func(b *testing.B) {
		defer benchcpu.Measure(b, 0)()
		b.ReportAllocs()
		n := 0
		for b.Loop() {
			n += len(raw[line.Line()])
		}
		if n == 0 {
			b.Fatal("empty")
		}
	})
	b.Run("baseline=map-lookup+Decide", func(b *testing.B) {
		loc, _ := time.LoadLocation("America/New_York")
		req := consent.Request{Address: line, Channel: channel.KindSMS, Purpose: consent.PurposeMarketing, At: now, Zones: []*time.Location{loc}}
		p := consent.US()
		defer benchcpu.Measure(b, 0)()
		b.ReportAllocs()
		for b.Loop() {
			_ = consent.Decide(p, raw[line.Line()], req)
		}
	})
	b.Run("rapport=Book.Check", func(b *testing.B) {
		defer benchcpu.Measure(b, 0)()
		b.ReportAllocs()
		for b.Loop() {
			if _, err := book.Check(ctx, c); err != nil {
				b.Fatal(err)
			}
		}
	})
	// The same check on the Reader path (the backend's line state hidden):
	// what Check cost before the line state.
	readerPath, err := rapport.New(readerOnly{backend}, "bench", &rapport.Options{Now: func() time.Time { return now }})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("rapport=Book.Check/reader-path", func(b *testing.B) {
		defer benchcpu.Measure(b, 0)()
		b.ReportAllocs()
		for b.Loop() {
			if _, err := readerPath.Check(ctx, c); err != nil {
				b.Fatal(err)
			}
		}
	})
	// With an erasure key, Check also reads the events kept under the
	// line's keyed hash (Book.Erase): one HMAC and one more index lookup.
	keyed, err := rapport.New(backend, "bench", &rapport.Options{Now: func() time.Time { return now }, ErasureKey: []byte("bench-erasure-key-0123456789abcdef")})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("rapport=Book.Check/erasure-key", func(b *testing.B) {
		defer benchcpu.Measure(b, 0)()
		b.ReportAllocs()
		for b.Loop() {
			if _, err := keyed.Check(ctx, c); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// seedCheckBench writes what BenchmarkCheck and BenchmarkCheckSQLite
// judge: a customer with a stated zone on a line, 20 consent events for
// the line (every fifth a revocation) and 3 recent inbound messages. It
// returns the line, the customer and the events as a map from the line.
func seedCheckBench(b *testing.B, book *rapport.Book, now time.Time) (channel.Address, customer.ID, map[channel.Address][]consent.Event) {
	ctx := b.Context()
	line, _ := channel.ParseAddress("tel:+12125550123")
	r, err := book.UpsertCustomer(ctx, customer.Customer{Name: customer.Name{Full: "Jane Doe"}, Preference: channel.Preference{Zone: "America/New_York"},
		ContactPoints: []customer.ContactPoint{{Address: line}}})
	if err != nil {
		b.Fatal(err)
	}
	raw := map[channel.Address][]consent.Event{}
	for k := 0; k < 20; k++ {
		action, basis := consent.ActionGrant, consent.BasisExpressWritten
		if k%5 == 4 {
			action, basis = consent.ActionRevoke, ""
		}
		e, err := book.RecordConsent(ctx, consent.Event{Subject: consent.Subject{Address: line}, Channel: channel.KindSMS,
			Purpose: consent.PurposeMarketing, Action: action, Basis: basis, CapturedAt: now.Add(time.Duration(k-40) * time.Hour),
			Evidence: consent.Evidence{Method: consent.MethodWebForm, DisclosureVersion: "v1"}})
		if err != nil {
			b.Fatal(err)
		}
		raw[line] = append(raw[line], e)
	}
	for k := 0; k < 3; k++ {
		if _, err := book.RecordInteraction(ctx, interaction.Interaction{Customer: r.Record.ID, Channel: channel.KindSMS, Address: line,
			Direction: interaction.DirectionInbound, Kind: interaction.KindMessage, Body: "hi", OccurredAt: now.Add(time.Duration(-k) * time.Hour)}); err != nil {
			b.Fatal(err)
		}
	}
	return line, r.Record.ID, raw
}

// BenchmarkMetrics measures Book.Metrics over 1M interactions: 100,000
// conversations of 10 interactions each (inbound and human, template or
// automated outbound in turn) at 3 rooftops over 30 days, with calendars,
// on memstore, and on sqlitestore when RAPPORT_BENCH_METRICS_SQLITE is set
// (loading a million interactions into SQLite takes minutes). The
// baselines read the same interactions once through the same backend
// without measuring them: through the Book, one customer timeline per
// conversation, and through the backend, one scan of the range.
// Book.Metrics runs through the backend's storage.HistoryReader and, for
// comparison, with it hidden.
func BenchmarkMetrics(b *testing.B) {
	b.Run("memstore", func(b *testing.B) {
		backend := memstore.New(nil)
		defer backend.Close()
		benchmarkMetrics(b, backend)
	})
	b.Run("sqlitestore", func(b *testing.B) {
		if os.Getenv("RAPPORT_BENCH_METRICS_SQLITE") == "" {
			b.Skip("set RAPPORT_BENCH_METRICS_SQLITE=1 to load 1,000,000 interactions into SQLite")
		}
		ctx := context.Background()
		backend, err := sqlitestore.Open(ctx, filepath.Join(b.TempDir(), "metrics.db"), nil)
		if err != nil {
			b.Fatal(err)
		}
		defer backend.Close()
		if err := backend.Migrate(ctx); err != nil {
			b.Fatal(err)
		}
		benchmarkMetrics(b, backend)
	})
}

// metricsBackend is what BenchmarkMetrics loads through.
type metricsBackend interface {
	storage.Backend
	storage.BulkWriter
}

func benchmarkMetrics(b *testing.B, backend metricsBackend) {
	const conversations, per = 100_000, 10
	ctx := context.Background()
	start := time.Date(2026, 10, 1, 13, 0, 0, 0, time.UTC)
	opts := &rapport.Options{Now: func() time.Time { return start.Add(40 * 24 * time.Hour) }}
	book, err := rapport.New(backend, "bench", opts)
	if err != nil {
		b.Fatal(err)
	}
	fallback, err := rapport.New(fallbackBackend{backend}, "bench", opts)
	if err != nil {
		b.Fatal(err)
	}
	rooftops := []dealer.Rooftop{"downtown", "uptown", "airport"}
	authors := []interaction.Authorship{interaction.AuthorshipHuman, interaction.AuthorshipTemplate, interaction.AuthorshipAutomated}
	var seq uint64
	id := func() [16]byte {
		seq++
		return idAt(seq)
	}
	batch := make([]interaction.Interaction, 0, 10_000)
	flush := func() {
		if err := backend.BulkCreateInteractions(ctx, batch); err != nil {
			b.Fatal(err)
		}
		batch = batch[:0]
	}
	err = backend.Update(ctx, func(tx storage.Tx) error {
		for c := 0; c < conversations; c++ {
			cid := interaction.ConversationID(id())
			cust := customer.ID(id())
			opened := start.Add(time.Duration(c%(30*24*60)) * time.Minute)
			if err := tx.CreateConversation(ctx, interaction.Conversation{ID: cid, Tenant: "bench", Customer: cust, Rooftop: rooftops[c%3],
				Status: interaction.ConversationStatusOpen, OpenedAt: opened}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	// Interactions are generated per conversation, then loaded in time
	// order, as live capture would write them.
	all := make([]interaction.Interaction, 0, conversations*per)
	for c := 0; c < conversations; c++ {
		cid := interaction.ConversationID(idAt(uint64(2*c + 1)))
		cust := customer.ID(idAt(uint64(2*c + 2)))
		at := start.Add(time.Duration(c%(30*24*60)) * time.Minute)
		for k := 0; k < per; k++ {
			i := interaction.Interaction{ID: interaction.ID(id()), Tenant: "bench", Rooftop: rooftops[c%3], Customer: cust, Conversation: cid,
				Channel: channel.KindSMS, Kind: interaction.KindMessage, Body: "x", OccurredAt: at}
			if k%2 == 0 {
				i.Direction = interaction.DirectionInbound
			} else {
				i.Direction, i.Authorship = interaction.DirectionOutbound, authors[(c+k)%3]
				i.Participants = []interaction.Participant{{Staff: dealer.Staff(fmt.Sprintf("staff-%d", c%40)), Role: interaction.RoleSalesperson}}
			}
			all = append(all, i)
			at = at.Add(time.Duration(3+(c*7+k)%40) * time.Minute)
		}
	}
	slices.SortFunc(all, func(a, b interaction.Interaction) int {
		if c := a.OccurredAt.Compare(b.OccurredAt); c != 0 {
			return c
		}
		return bytes.Compare(a.ID[:], b.ID[:])
	})
	for len(all) > 0 {
		n := min(len(all), 10_000)
		batch = append(batch[:0], all[:n]...)
		all = all[n:]
		flush()
	}
	all = nil
	clock, err := interaction.Calendar{Zone: "America/New_York", Hours: channel.Every(channel.Clock(9, 0), channel.Clock(19, 0))}.Load()
	if err != nil {
		b.Fatal(err)
	}
	mopts := &interaction.MetricsOptions{From: start, To: start.Add(32 * 24 * time.Hour), Calendars: map[dealer.Rooftop]*interaction.BusinessClock{}}
	for _, r := range rooftops {
		mopts.Calendars[r] = clock
	}
	total := float64(conversations * per)
	perInteraction := func(b *testing.B) {
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/total, "ns/interaction")
	}
	b.Run("baseline=read-every-conversation", func(b *testing.B) {
		defer benchcpu.Measure(b, 0)()
		for b.Loop() {
			n := 0
			for c := 0; c < conversations; c++ {
				for _, err := range book.CustomerTimeline(ctx, customer.ID(idAt(uint64(2*c+2))), rapport.Filter{}) {
					if err != nil {
						b.Fatal(err)
					}
					n++
				}
			}
			if n != conversations*per {
				b.Fatalf("read %d interactions", n)
			}
		}
		perInteraction(b)
	})
	b.Run("baseline=scan-the-range", func(b *testing.B) {
		defer benchcpu.Measure(b, 0)()
		q := storage.InteractionQuery{Since: mopts.From, Until: mopts.To}
		for b.Loop() {
			n := 0
			var after storage.Cursor
			for {
				page, next, err := backend.Interactions(ctx, "bench", q, after, 1000)
				if err != nil {
					b.Fatal(err)
				}
				n += len(page)
				if next == "" {
					break
				}
				after = next
			}
			if n != conversations*per {
				b.Fatalf("read %d interactions", n)
			}
		}
		perInteraction(b)
	})
	for _, m := range []struct {
		name string
		book *rapport.Book
	}{{"rapport=Book.Metrics", book}, {"rapport=Book.Metrics-without-HistoryReader", fallback}} {
		b.Run(m.name, func(b *testing.B) {
			defer benchcpu.Measure(b, 0)()
			for b.Loop() {
				res, err := m.book.Metrics(ctx, mopts)
				if err != nil {
					b.Fatal(err)
				}
				if res.Conversations != conversations {
					b.Fatalf("measured %d conversations", res.Conversations)
				}
			}
			perInteraction(b)
		})
	}
}

func idAt(n uint64) [16]byte {
	var u [16]byte
	binary.BigEndian.PutUint64(u[8:], n)
	u[6] = 0x70
	return u
}

// BenchmarkCheckPerLine measures Book.Check for a family's shared number:
// four customers hold the line, each with a postal address, and 12 sends
// to the line in the last day were recorded for different members. Check
// reads every holder's sends and addresses (per-line limits, state rules);
// the voice case adds the registry rule's business-relationship lookup
// (households, vehicles, the latest inquiry). The baselines, in the same
// run, are a map lookup plus consent.Decide with the same inputs prepared
// by hand, and Book.Check on a line only one customer holds.
func BenchmarkCheckPerLine(b *testing.B) {
	ctx := context.Background()
	backend := memstore.New(nil)
	defer backend.Close()
	now := time.Date(2026, 11, 10, 19, 0, 0, 0, time.UTC)
	book, err := rapport.New(backend, "bench", &rapport.Options{Now: func() time.Time { return now }})
	if err != nil {
		b.Fatal(err)
	}
	shared, _ := channel.ParseAddress("tel:+13055550123")
	single, _ := channel.ParseAddress("tel:+13055550124")
	home := customer.PostalAddress{Lines: []string{"1 Main St"}, Locality: "Miami", Region: "FL", PostalCode: "33101", Usage: customer.AddressHome}
	var ids []customer.ID
	for k := range 5 {
		line := shared
		if k == 4 {
			line = single
		}
		r, err := book.UpsertCustomer(ctx, customer.Customer{Name: customer.Name{Full: fmt.Sprintf("Member %d", k)},
			Preference: channel.Preference{Zone: "America/New_York"}, PostalAddresses: []customer.PostalAddress{home},
			ContactPoints: []customer.ContactPoint{{Address: line}}})
		if err != nil {
			b.Fatal(err)
		}
		ids = append(ids, r.Record.ID)
	}
	var ledger []consent.Event
	for _, line := range []channel.Address{shared, single} {
		for _, k := range []channel.Kind{channel.KindSMS, channel.KindVoice} {
			e, err := book.RecordConsent(ctx, consent.Event{Subject: consent.Subject{Address: line}, Channel: k,
				Purpose: consent.PurposeMarketing, Action: consent.ActionGrant, Basis: consent.BasisExpressWritten, CapturedAt: now.Add(-48 * time.Hour),
				Evidence: consent.Evidence{Method: consent.MethodWebForm, DisclosureVersion: "v1"}})
			if err != nil {
				b.Fatal(err)
			}
			if line == shared {
				ledger = append(ledger, e)
			}
		}
	}
	var recent []consent.Send
	for k := range 12 {
		at := now.Add(-time.Duration(12-k) * time.Hour)
		for _, line := range []channel.Address{shared, single} {
			id := ids[k%4]
			if line == single {
				id = ids[4]
			}
			if _, err := book.RecordInteraction(ctx, interaction.Interaction{Customer: id, Channel: channel.KindSMS, Address: line,
				Direction: interaction.DirectionOutbound, Kind: interaction.KindMessage, Body: "Service reminder", OccurredAt: at,
				Consent: &interaction.ConsentCheck{Purpose: string(consent.PurposeService), Allowed: true}}); err != nil {
				b.Fatal(err)
			}
		}
		recent = append(recent, consent.Send{At: at, Channel: channel.KindSMS, Purpose: consent.PurposeService})
	}
	loc, _ := time.LoadLocation("America/New_York")
	p := consent.US()
	raw := map[channel.Address][]consent.Event{shared: ledger}
	req := consent.Request{Address: shared, Channel: channel.KindSMS, Purpose: consent.PurposeMarketing, At: now,
		Zones: []*time.Location{loc}, Regions: []string{"US-FL"}, Recent: recent}
	b.Run("baseline=map-lookup+Decide", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if d := consent.Decide(p, raw[shared.Line()], req); !d.Allowed {
				b.Fatal(d)
			}
		}
	})
	text := rapport.Contact{Address: single, Channel: channel.KindSMS, Purpose: consent.PurposeMarketing, At: now}
	b.Run("baseline=Book.Check/one-holder", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := book.Check(ctx, text); err != nil {
				b.Fatal(err)
			}
		}
	})
	text.Address = shared
	b.Run("rapport=Book.Check/shared-line", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if v, err := book.Check(ctx, text); err != nil || !v.Consent.Allowed {
				b.Fatal(v.Consent, err)
			}
		}
	})
	call := rapport.Contact{Address: shared, Channel: channel.KindVoice, Purpose: consent.PurposeMarketing, At: now,
		Registries: []consent.Listing{{Registry: consent.RegistryUSDNC, Listed: true, ScrubbedAt: now.Add(-72 * time.Hour)}}}
	b.Run("rapport=Book.Check/shared-line-voice-registry", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := book.Check(ctx, call); err != nil {
				b.Fatal(err)
			}
		}
	})
}
