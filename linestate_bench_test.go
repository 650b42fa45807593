package rapport_test

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
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
	"github.com/rapportcim/rapport/storage/sqlitestore"
)

// BenchmarkCheckSQLite compares Book.Check on sqlitestore with one
// prepared SELECT of the line's consent events (decoded) plus
// consent.Decide, in the same run, on the records of BenchmarkCheck; and
// with the same check on the Reader path (the line state hidden).
func BenchmarkCheckSQLite(b *testing.B) {
	ctx := b.Context()
	path := filepath.Join(b.TempDir(), "check.db")
	backend, err := sqlitestore.Open(ctx, path, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer backend.Close()
	if err := backend.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	now := time.Date(2026, 11, 10, 19, 0, 0, 0, time.UTC) // 14:00 in New York
	opts := &rapport.Options{Now: func() time.Time { return now }}
	book, err := rapport.New(backend, "bench", opts)
	if err != nil {
		b.Fatal(err)
	}
	line, id, _ := seedCheckBench(b, book, now)
	c := rapport.Contact{Address: line, Channel: channel.KindSMS, Purpose: consent.PurposeMarketing, Customer: id, At: now}

	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)&_pragma=query_only(1)")
	if err != nil {
		b.Fatal(err)
	}
	defer raw.Close()
	stmt, err := raw.PrepareContext(ctx, `SELECT doc FROM consent_events WHERE tenant_id = ? AND address_line = ? ORDER BY seq`)
	if err != nil {
		b.Fatal(err)
	}
	defer stmt.Close()
	loc, _ := time.LoadLocation("America/New_York")
	req := consent.Request{Address: line, Channel: channel.KindSMS, Purpose: consent.PurposeMarketing, At: now, Zones: []*time.Location{loc}}
	p := consent.US()
	want, err := book.Check(ctx, c)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("baseline=prepared-SELECT+Decide", func(b *testing.B) {
		defer benchcpu.Measure(b, 0)()
		b.ReportAllocs()
		for b.Loop() {
			rows, err := stmt.QueryContext(ctx, "bench", line.Line().String())
			if err != nil {
				b.Fatal(err)
			}
			var events []consent.Event
			for rows.Next() {
				var doc sql.RawBytes
				if err := rows.Scan(&doc); err != nil {
					b.Fatal(err)
				}
				var e consent.Event
				if err := json.Unmarshal(doc, &e); err != nil {
					b.Fatal(err)
				}
				events = append(events, e)
			}
			rows.Close()
			if d := consent.Decide(p, events, req); d.Event != want.Consent.Event {
				b.Fatalf("decided on %v, Check on %v", d.Event, want.Consent.Event)
			}
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
	readerPath, err := rapport.New(readerOnly{backend}, "bench", opts)
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
}

// BenchmarkCheckAll measures Book.CheckAll over a campaign of 5,000
// contacts drawn from a book of RAPPORT_BENCH_CHECKALL customers (100000
// for the figure; the benchmark skips when it is not set, as the
// book takes a while to build), each with an email address, a consent
// grant and a marketing email in the last day, on sqlitestore and, with
// RAPPORT_PG_DSN, pgstore. Half the contacts name their customer. The
// baseline, in the same run, judges the same contacts one Check at a time.
// verdicts/s is wall-clock throughput; cpu-ns/op is the CPU time of the
// whole campaign (every thread of the process).
func BenchmarkCheckAll(b *testing.B) {
	n, _ := strconv.Atoi(os.Getenv("RAPPORT_BENCH_CHECKALL"))
	if n <= 0 {
		b.Skip("RAPPORT_BENCH_CHECKALL not set (the number of customers, 100000 for the issue's figure)")
	}
	ctx := b.Context()
	backends := map[string]storage.Backend{}
	sq, err := sqlitestore.Open(ctx, filepath.Join(b.TempDir(), "campaign.db"), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer sq.Close()
	if err := sq.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	backends["sqlitestore"] = sq
	if os.Getenv("RAPPORT_PG_DSN") != "" {
		backends["pgstore"], _ = openPGSchema(b)
	}
	now := time.Date(2026, 11, 10, 19, 0, 0, 0, time.UTC) // 14:00 in New York
	for name, backend := range backends {
		start := time.Now()
		seedCampaign(b, backend, n, now)
		b.Logf("%s: %d customers written in %v", name, n, time.Since(start).Round(time.Millisecond))
		if su, ok := backend.(storage.StatisticsUpdater); ok {
			// What a bulk load's caller should do (Book.Import does it):
			// without it, PostgreSQL may plan the batch joins as scans of
			// whole tables until autovacuum gets to them.
			if err := su.UpdateStatistics(ctx); err != nil {
				b.Fatal(err)
			}
		}
		book, err := rapport.New(backend, "bench", &rapport.Options{Now: func() time.Time { return now }})
		if err != nil {
			b.Fatal(err)
		}
		r := rand.New(rand.NewPCG(1, 2))
		contacts := make([]rapport.Contact, 5000)
		for k := range contacts {
			m := r.IntN(n)
			contacts[k] = rapport.Contact{Address: campaignAddress(m), Channel: channel.KindEmail, Purpose: consent.PurposeMarketing, Rooftop: "north", At: now}
			if k%2 == 0 {
				contacts[k].Customer = campaignCustomer(m)
			}
		}
		run := func(b *testing.B, judge func() int) {
			defer benchcpu.Measure(b, 0)()
			start := time.Now()
			for b.Loop() {
				if allowed := judge(); allowed == 0 {
					b.Fatal("nothing allowed")
				}
			}
			b.ReportMetric(float64(b.N*len(contacts))/time.Since(start).Seconds(), "verdicts/s")
		}
		b.Run(name+"/baseline=Check-each", func(b *testing.B) {
			run(b, func() int {
				allowed := 0
				for _, c := range contacts {
					v, err := book.Check(ctx, c)
					if err != nil {
						b.Fatal(err)
					}
					if v.Allowed() {
						allowed++
					}
				}
				return allowed
			})
		})
		b.Run(name+"/rapport=CheckAll", func(b *testing.B) {
			run(b, func() int {
				allowed := 0
				for ch, err := range book.CheckAll(ctx, slices.Values(contacts)) {
					if err != nil {
						b.Fatal(err)
					}
					if ch.Verdict.Allowed() {
						allowed++
					}
				}
				return allowed
			})
		})
	}
}

func campaignCustomer(m int) customer.ID {
	var id customer.ID
	id[6], id[8] = 0x70, 0x80
	id[12], id[13], id[14], id[15] = byte(m>>24), byte(m>>16), byte(m>>8), byte(m)
	return id
}

func campaignAddress(m int) channel.Address {
	a, err := channel.ParseAddress(fmt.Sprintf("mailto:customer%06d@example.com", m))
	if err != nil {
		panic(err)
	}
	return a
}

// seedCampaign writes n customers, each with an email address, a consent
// grant for marketing email and one marketing email sent an hour ago,
// through the backend in batches.
func seedCampaign(b *testing.B, backend storage.Backend, n int, now time.Time) {
	ctx := b.Context()
	const batch = 5000
	var seq uint64
	next := func() [16]byte {
		seq++
		var id [16]byte
		id[0], id[6], id[8] = 0xcc, 0x70, 0x80
		for i := range 8 {
			id[15-i] = byte(seq >> (8 * i))
		}
		return id
	}
	for first := 0; first < n; first += batch {
		var cs []customer.Customer
		var is []interaction.Interaction
		var es []consent.Event
		for m := first; m < min(first+batch, n); m++ {
			addr, id := campaignAddress(m), campaignCustomer(m)
			cs = append(cs, customer.Customer{ID: id, Tenant: "bench", Name: customer.Name{Full: fmt.Sprintf("Customer %d", m)},
				Preference: channel.Preference{Zone: "America/New_York"}, ContactPoints: []customer.ContactPoint{{Address: addr}},
				CreatedAt: now.Add(-time.Hour), UpdatedAt: now.Add(-time.Hour)})
			es = append(es, consent.Event{ID: consent.ID(next()), Tenant: "bench", Subject: consent.Subject{Address: addr, Customer: id},
				Channel: channel.KindEmail, Purpose: consent.PurposeMarketing, Action: consent.ActionGrant, Basis: consent.BasisExpress,
				CapturedAt: now.Add(-48 * time.Hour), RecordedAt: now.Add(-48 * time.Hour), Evidence: consent.Evidence{Method: consent.MethodWebForm, DisclosureVersion: "v1"}})
			is = append(is, interaction.Interaction{ID: interaction.ID(next()), Tenant: "bench", Customer: id, Rooftop: dealer.Rooftop("north"),
				Channel: channel.KindEmail, Address: addr, Direction: interaction.DirectionOutbound, Kind: interaction.KindEmail,
				Authorship: interaction.AuthorshipTemplate, Template: "november-offer", Subject: "Offer", Body: "Our November offer",
				OccurredAt: now.Add(-time.Hour),
				Consent:    &interaction.ConsentCheck{Purpose: string(consent.PurposeMarketing), Allowed: true, CheckedAt: now.Add(-time.Hour)}})
		}
		bw := backend.(storage.BulkWriter)
		if err := bw.BulkCreateCustomers(ctx, cs); err != nil {
			b.Fatal(err)
		}
		if err := bw.BulkCreateInteractions(ctx, is); err != nil {
			b.Fatal(err)
		}
		if err := backend.Update(ctx, func(tx storage.Tx) error {
			for _, e := range es {
				if err := tx.AppendConsent(ctx, e); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
	}
}
