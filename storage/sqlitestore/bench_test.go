package sqlitestore_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
	"github.com/rapportcim/rapport/storage/sqlitestore"
)

// Benchmarks, each against a baseline in the same run, on the same driver
// and pragmas:
//
//	go test -run XXX -bench . -benchmem ./storage/sqlitestore/
//
// The read benchmarks use a deterministic dataset of 100k customers and 1M
// interactions, built once (about a minute) into os.TempDir() and reused by
// later runs; it is only built when a benchmark that needs it runs, never
// by go test without -bench.

// rawDSN is the DSN Open uses for its writer, spelled out for the
// baselines.
func rawDSN(path string, sync sqlitestore.Synchronous) string {
	return "file:" + path + "?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(" +
		string(sync) + ")&_txlock=immediate"
}

// rawReaderDSN is the DSN of Open's reader pool.
func rawReaderDSN(path string) string {
	return "file:" + path + "?_pragma=busy_timeout(5000)&_pragma=query_only(1)"
}

// migrateRaw applies the package's schema to a database opened directly,
// so that baselines write to identical tables.
func migrateRaw(b *testing.B, db *sql.DB) {
	b.Helper()
	names, err := fs.Glob(sqlitestore.Migrations, "migrations/*.sql")
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range names {
		script, err := fs.ReadFile(sqlitestore.Migrations, n)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := db.Exec(string(script)); err != nil {
			b.Fatalf("%s: %v", n, err)
		}
	}
}

// benchInteractions returns n deterministic interactions of customer cust,
// numbered from first.
func benchInteractions(first, n int, cust customer.ID) []interaction.Interaction {
	out := make([]interaction.Interaction, n)
	for k := range out {
		out[k] = testInteraction(uint64(first+k), cust, t0.Add(time.Duration(first+k)*time.Second))
	}
	return out
}

const sqlRawInsertInteraction = `INSERT INTO interactions (tenant_id, id, customer_id, household_id, conversation_id, occurred_at, channel, kind, rooftop, awaiting_review, revision, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)`

// reviewFlag is a hand-written baseline's awaiting_review column.
func reviewFlag(i *interaction.Interaction) int {
	if i.AwaitingReview() {
		return 1
	}
	return 0
}

// nullID is a hand-written baseline's column value of an ID.
func nullID(id [16]byte) any {
	if id == ([16]byte{}) {
		return nil
	}
	return id[:]
}

// BenchmarkAppendInteraction: one interaction per transaction, as the Book
// records an outbound message. rapport = Backend.Update + CreateInteraction
// (with its change record); baseline = json.Marshal and a prepared INSERT
// in autocommit into an identical table, same driver and pragmas. Target:
// rapport ≤ 1.2x baseline.
func BenchmarkAppendInteraction(b *testing.B) {
	for _, sync := range []sqlitestore.Synchronous{sqlitestore.SynchronousFull, sqlitestore.SynchronousNormal} {
		b.Run("sync="+string(sync), func(b *testing.B) {
			b.Run("baseline", func(b *testing.B) {
				path := filepath.Join(b.TempDir(), "raw.db")
				db, err := sql.Open("sqlite", rawDSN(path, sync))
				if err != nil {
					b.Fatal(err)
				}
				defer db.Close()
				db.SetMaxOpenConns(1)
				migrateRaw(b, db)
				stmt, err := db.Prepare(sqlRawInsertInteraction)
				if err != nil {
					b.Fatal(err)
				}
				defer stmt.Close()
				ctx := b.Context()
				is := benchInteractions(0, b.N, customer.ID(seqID(1, 1)))
				b.ReportAllocs()
				b.ResetTimer()
				for k := range is {
					i := &is[k]
					i.Revision = 1
					doc, err := json.Marshal(i)
					if err != nil {
						b.Fatal(err)
					}
					if _, err := stmt.ExecContext(ctx, string(i.Tenant), i.ID[:], nullID(i.Customer), nullID(i.Household), nullID(i.Conversation),
						i.OccurredAt.UnixMicro(), string(i.Channel), string(i.Kind), string(i.Rooftop), reviewFlag(i), doc); err != nil {
						b.Fatal(err)
					}
				}
			})
			// The same work as rapport's, written by hand: the INSERT and a
			// change record in one BEGIN IMMEDIATE transaction. It tells the
			// cost of the change-feed invariant from the package's own.
			b.Run("baseline+change", func(b *testing.B) {
				path := filepath.Join(b.TempDir(), "raw.db")
				db, err := sql.Open("sqlite", rawDSN(path, sync))
				if err != nil {
					b.Fatal(err)
				}
				defer db.Close()
				db.SetMaxOpenConns(1)
				migrateRaw(b, db)
				ins, err := db.Prepare(sqlRawInsertInteraction)
				if err != nil {
					b.Fatal(err)
				}
				defer ins.Close()
				chg, err := db.Prepare(`INSERT INTO changes (tenant_id, seq, entity, id, op, revision)` +
					` SELECT ?1, COALESCE(MAX(seq), 0) + 1, 'interaction', ?2, 'create', 1 FROM changes WHERE tenant_id = ?1`)
				if err != nil {
					b.Fatal(err)
				}
				defer chg.Close()
				ctx := b.Context()
				is := benchInteractions(0, b.N, customer.ID(seqID(1, 1)))
				b.ReportAllocs()
				b.ResetTimer()
				for k := range is {
					i := &is[k]
					i.Revision = 1
					doc, err := json.Marshal(i)
					if err != nil {
						b.Fatal(err)
					}
					tx, err := db.BeginTx(ctx, nil)
					if err != nil {
						b.Fatal(err)
					}
					if _, err := tx.StmtContext(ctx, ins).ExecContext(ctx, string(i.Tenant), i.ID[:], nullID(i.Customer), nullID(i.Household), nullID(i.Conversation),
						i.OccurredAt.UnixMicro(), string(i.Channel), string(i.Kind), string(i.Rooftop), reviewFlag(i), doc); err != nil {
						b.Fatal(err)
					}
					if _, err := tx.StmtContext(ctx, chg).ExecContext(ctx, string(i.Tenant), i.ID.String()); err != nil {
						b.Fatal(err)
					}
					if err := tx.Commit(); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("rapport", func(b *testing.B) {
				sb := newTestBackend(b, &sqlitestore.Options{Synchronous: sync})
				ctx := b.Context()
				is := benchInteractions(0, b.N, customer.ID(seqID(1, 1)))
				b.ReportAllocs()
				b.ResetTimer()
				for k := range is {
					err := sb.Update(ctx, func(tx storage.Tx) error { return tx.CreateInteraction(ctx, is[k]) })
					if err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

// BenchmarkBulkIngest: batches of rows interactions in one transaction
// each, WAL + synchronous NORMAL on both sides. rapport =
// BulkCreateInteractions (multi-row INSERTs plus the change records);
// baseline = the same multi-row INSERTs written by hand (json.Marshal,
// 256-row statements, one transaction), without a change feed. Target:
// rapport ≥ 70% of baseline rows/s.
func BenchmarkBulkIngest(b *testing.B) {
	for _, rows := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("rows=%d", rows), func(b *testing.B) {
			b.Run("baseline", func(b *testing.B) {
				path := filepath.Join(b.TempDir(), "raw.db")
				db, err := sql.Open("sqlite", rawDSN(path, sqlitestore.SynchronousNormal))
				if err != nil {
					b.Fatal(err)
				}
				defer db.Close()
				db.SetMaxOpenConns(1)
				migrateRaw(b, db)
				const chunk = 256
				row := "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)"
				full := rawMultiInsert(row, chunk)
				stmt, err := db.Prepare(full)
				if err != nil {
					b.Fatal(err)
				}
				defer stmt.Close()
				ctx := b.Context()
				b.ReportAllocs()
				b.ResetTimer()
				for n := range b.N {
					b.StopTimer()
					is := benchInteractions(n*rows, rows, customer.ID(seqID(1, uint64(n%97))))
					b.StartTimer()
					tx, err := db.BeginTx(ctx, nil)
					if err != nil {
						b.Fatal(err)
					}
					args := make([]any, 0, chunk*11)
					for len(is) > 0 {
						m := min(len(is), chunk)
						args = args[:0]
						for k := range is[:m] {
							i := &is[k]
							i.Revision = 1
							doc, err := json.Marshal(i)
							if err != nil {
								b.Fatal(err)
							}
							args = append(args, string(i.Tenant), i.ID[:], nullID(i.Customer), nullID(i.Household), nullID(i.Conversation),
								i.OccurredAt.UnixMicro(), string(i.Channel), string(i.Kind), string(i.Rooftop), reviewFlag(i), doc)
						}
						if m == chunk {
							_, err = tx.StmtContext(ctx, stmt).ExecContext(ctx, args...)
						} else {
							_, err = tx.ExecContext(ctx, rawMultiInsert(row, m), args...)
						}
						if err != nil {
							b.Fatal(err)
						}
						is = is[m:]
					}
					if err := tx.Commit(); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.N*rows)/b.Elapsed().Seconds(), "rows/s")
			})
			b.Run("rapport", func(b *testing.B) {
				sb := newTestBackend(b, &sqlitestore.Options{Synchronous: sqlitestore.SynchronousNormal})
				ctx := b.Context()
				b.ReportAllocs()
				b.ResetTimer()
				for n := range b.N {
					b.StopTimer()
					is := benchInteractions(n*rows, rows, customer.ID(seqID(1, uint64(n%97))))
					b.StartTimer()
					if err := sb.BulkCreateInteractions(ctx, is); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.N*rows)/b.Elapsed().Seconds(), "rows/s")
			})
		})
	}
}

func rawMultiInsert(row string, n int) string {
	var sb strings.Builder
	sb.WriteString(strings.TrimSuffix(sqlRawInsertInteraction[:strings.Index(sqlRawInsertInteraction, " VALUES")], " "))
	sb.WriteString(" VALUES ")
	for k := range n {
		if k > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(row)
	}
	return sb.String()
}

// The read benchmarks' dataset.
const (
	benchDataVersion   = 2 // bump when the dataset or the schema changes
	benchCustomers     = 100_000
	benchInteractionsN = 1_000_000
	benchHotRows       = 20_000 // interactions of customer 0 (a fleet account), for deep pages
	benchHouseholds    = 1_000  // of 5 members each: customers 1000..5999
	benchPageSize      = 50
)

var benchData struct {
	once sync.Once
	path string
	err  error
}

// benchCustomerID is the ID of dataset customer n.
func benchCustomerID(n int) customer.ID { return customer.ID(seqID(1, uint64(n))) }

// benchHousehold returns the household of dataset customer n, if any.
func benchHousehold(n int) (household.ID, bool) {
	if n < 1000 || n >= 1000+5*benchHouseholds {
		return household.ID{}, false
	}
	return household.ID(seqID(4, uint64((n-1000)/5))), true
}

// benchEmail is dataset customer n's email address.
func benchEmail(n int) channel.Address {
	a, err := channel.ParseAddress(fmt.Sprintf("mailto:customer%d@example.com", n))
	if err != nil {
		panic(err)
	}
	return a
}

// benchDataset returns the path of the read benchmarks' database, building
// it on first use. The file is shared by every run on the machine and must
// not be written to.
func benchDataset(b *testing.B) string {
	b.Helper()
	benchData.once.Do(func() {
		path := filepath.Join(os.TempDir(), fmt.Sprintf("rapport-sqlitestore-bench-v%d.db", benchDataVersion))
		if _, err := os.Stat(path); err == nil {
			benchData.path = path
			return
		}
		start := time.Now()
		benchData.err = buildBenchDataset(b.Context(), path)
		if benchData.err == nil {
			benchData.path = path
			b.Logf("built the benchmark dataset %s in %v", path, time.Since(start).Round(time.Second))
		}
	})
	if benchData.err != nil {
		b.Fatalf("benchmark dataset: %v", benchData.err)
	}
	return benchData.path
}

func buildBenchDataset(ctx context.Context, path string) error {
	tmp := path + fmt.Sprintf(".building-%d", os.Getpid())
	defer os.Remove(tmp)
	db, err := sqlitestore.Open(ctx, tmp, &sqlitestore.Options{Synchronous: sqlitestore.SynchronousNormal})
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	const batch = 10_000
	cs := make([]customer.Customer, 0, batch)
	for n := range benchCustomers {
		c := testCustomer(uint64(n), testPhone(n), benchEmail(n))
		c.ExternalIDs = []customer.ExternalID{{System: "cdk", Value: fmt.Sprintf("D%07d", n)}}
		cs = append(cs, c)
		if len(cs) == batch || n == benchCustomers-1 {
			if err := db.BulkCreateCustomers(ctx, cs); err != nil {
				return err
			}
			cs = cs[:0]
		}
	}
	// An opt-out for every 10th customer's email.
	for first := 0; first < benchCustomers; first += 50_000 {
		err := db.Update(ctx, func(tx storage.Tx) error {
			for n := first; n < first+50_000 && n < benchCustomers; n += 10 {
				e := testOptOut(uint64(n), benchEmail(n), benchCustomerID(n), t0)
				e.Channel = channel.KindEmail
				if err := tx.AppendConsent(ctx, e); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	span := int64(3 * 365 * 24 * time.Hour / time.Second)
	is := make([]interaction.Interaction, 0, batch)
	for k := range benchInteractionsN {
		n := 0
		if k >= benchHotRows {
			n = 1 + rng.IntN(benchCustomers-1)
		}
		i := testInteraction(uint64(k), benchCustomerID(n), t0.Add(-time.Duration(rng.Int64N(span))*time.Second))
		if h, ok := benchHousehold(n); ok {
			i.Household = h
		}
		is = append(is, i)
		if len(is) == batch || k == benchInteractionsN-1 {
			if err := db.BulkCreateInteractions(ctx, is); err != nil {
				return err
			}
			is = is[:0]
		}
	}
	if err := db.Close(); err != nil {
		return err
	}
	if _, err := os.Stat(tmp + "-wal"); err == nil {
		return errors.New("the WAL was not checkpointed on close")
	}
	return os.Rename(tmp, path)
}

// openBenchDataset opens the dataset through the package and directly (a
// reader pool with the same pragmas), for the baselines.
func openBenchDataset(b *testing.B) (*sqlitestore.Backend, *sql.DB) {
	b.Helper()
	path := benchDataset(b)
	sb, err := sqlitestore.Open(b.Context(), path, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { sb.Close() })
	raw, err := sql.Open("sqlite", rawReaderDSN(path))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { raw.Close() })
	return sb, raw
}

const sqlRawTimeline = `SELECT doc FROM interactions WHERE tenant_id = ? AND customer_id = ? AND (occurred_at, id) < (?, ?) ORDER BY occurred_at DESC, id DESC LIMIT ?`

// rawTimeline is a hand-written keyset page: the prepared query and
// json.Unmarshal of each row.
func rawTimeline(b *testing.B, stmt *sql.Stmt, cust customer.ID, beforeMicros int64, beforeID []byte) []interaction.Interaction {
	rows, err := stmt.QueryContext(b.Context(), string(tenant), cust[:], beforeMicros, beforeID, benchPageSize)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	out := make([]interaction.Interaction, 0, benchPageSize)
	for rows.Next() {
		var doc sql.RawBytes
		if err := rows.Scan(&doc); err != nil {
			b.Fatal(err)
		}
		var i interaction.Interaction
		if err := json.Unmarshal(doc, &i); err != nil {
			b.Fatal(err)
		}
		out = append(out, i)
	}
	if err := rows.Err(); err != nil {
		b.Fatal(err)
	}
	return out
}

// BenchmarkTimeline: a 50-row page of a customer's timeline on the 1M
// dataset. first = the newest page; deep = the page after 10,000 rows.
// baseline = the same keyset query written by hand (prepared, decoded with
// json.Unmarshal). household5 = 5 members and the household's own scope,
// as the Book asks for a household timeline. Targets: rapport ≤ 1.2x
// baseline; deep ≤ 1.5x first; household5 ≤ 3x first/rapport (a single
// customer's page of the same size).
func BenchmarkTimeline(b *testing.B) {
	sb, raw := openBenchDataset(b)
	ctx := b.Context()
	hot := benchCustomerID(0)
	q := storage.InteractionQuery{Customers: []customer.ID{hot}}

	// The cursor after 10,000 rows, reached through the API.
	var deep storage.Cursor
	for range 10 {
		page, next, err := sb.Interactions(ctx, tenant, q, deep, 1000)
		if err != nil || len(page) != 1000 {
			b.Fatalf("paging to 10,000: %d rows, %v", len(page), err)
		}
		deep = next
	}
	deepAt, deepID, _, err := storage.ParseTimeIDCursor(deep, tenant, "interactions")
	if err != nil {
		b.Fatal(err)
	}
	stmt, err := raw.Prepare(sqlRawTimeline)
	if err != nil {
		b.Fatal(err)
	}
	defer stmt.Close()
	maxID := []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}
	const maxMicros = int64(1) << 62

	page := func(b *testing.B, q storage.InteractionQuery, after storage.Cursor) {
		b.ReportAllocs()
		for b.Loop() {
			is, _, err := sb.Interactions(ctx, tenant, q, after, benchPageSize)
			if err != nil || len(is) != benchPageSize {
				b.Fatalf("page: %d rows, %v", len(is), err)
			}
		}
	}
	b.Run("first/baseline", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if is := rawTimeline(b, stmt, hot, maxMicros, maxID); len(is) != benchPageSize {
				b.Fatalf("%d rows", len(is))
			}
		}
	})
	b.Run("first/rapport", func(b *testing.B) { page(b, q, "") })
	b.Run("deep10k/baseline", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if is := rawTimeline(b, stmt, hot, deepAt.UnixMicro(), deepID[:]); len(is) != benchPageSize {
				b.Fatalf("%d rows", len(is))
			}
		}
	})
	b.Run("deep10k/rapport", func(b *testing.B) { page(b, q, deep) })

	// A household of 5 members (customers 1000..1004, about 50
	// interactions) and its own scope: a 50-row page made of 6 index range
	// scans, to compare with first/rapport (a 50-row page of one scope).
	h, _ := benchHousehold(1000)
	var members []customer.ID
	for n := 1000; n < 1005; n++ {
		members = append(members, benchCustomerID(n))
	}
	b.Run("household5/rapport", func(b *testing.B) {
		q := storage.InteractionQuery{Customers: members, Household: h}
		b.ReportAllocs()
		for b.Loop() {
			is, _, err := sb.Interactions(ctx, tenant, q, "", benchPageSize)
			if err != nil || len(is) < benchPageSize*4/5 {
				b.Fatalf("household page: %d rows, %v", len(is), err)
			}
		}
	})
}

// BenchmarkLookup: the reads behind inbound matching and the consent
// check, on the 1M dataset. rapport = the Backend's reader; baseline = the
// same prepared SELECT on a reader pool with the same pragmas. Targets:
// rapport ≤ 1.3x baseline.
func BenchmarkLookup(b *testing.B) {
	sb, raw := openBenchDataset(b)
	ctx := b.Context()
	addr := benchEmail(4240) // with one opt-out
	want := benchCustomerID(4240)

	b.Run("address/baseline", func(b *testing.B) {
		stmt, err := raw.Prepare(`SELECT customer_id FROM customer_addresses WHERE tenant_id = ? AND address_line = ? ORDER BY customer_id`)
		if err != nil {
			b.Fatal(err)
		}
		defer stmt.Close()
		b.ReportAllocs()
		for b.Loop() {
			rows, err := stmt.QueryContext(ctx, string(tenant), addr.Line().String())
			if err != nil {
				b.Fatal(err)
			}
			var ids []customer.ID
			for rows.Next() {
				var raw sql.RawBytes
				if err := rows.Scan(&raw); err != nil {
					b.Fatal(err)
				}
				ids = append(ids, customer.ID(raw))
			}
			rows.Close()
			if len(ids) != 1 || ids[0] != want {
				b.Fatalf("got %v", ids)
			}
		}
	})
	b.Run("address/rapport", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			ids, err := sb.CustomersByAddress(ctx, tenant, addr)
			if err != nil || len(ids) != 1 || ids[0] != want {
				b.Fatalf("got %v, %v", ids, err)
			}
		}
	})
	b.Run("consent/baseline", func(b *testing.B) {
		stmt, err := raw.Prepare(`SELECT doc FROM consent_events WHERE tenant_id = ? AND address_line = ? ORDER BY seq`)
		if err != nil {
			b.Fatal(err)
		}
		defer stmt.Close()
		b.ReportAllocs()
		for b.Loop() {
			rows, err := stmt.QueryContext(ctx, string(tenant), addr.Line().String())
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
			if len(events) != 1 {
				b.Fatalf("%d events", len(events))
			}
		}
	})
	b.Run("consent/rapport", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if events, err := sb.ConsentByAddress(ctx, tenant, addr); err != nil || len(events) != 1 {
				b.Fatalf("%d events, %v", len(events), err)
			}
		}
	})
}
