package pgstore_test

import (
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
	"github.com/rapportcim/rapport/storage/pgstore"
)

// interactionsFor makes n interactions of one customer, a second apart.
func interactionsFor(tenant dealer.Tenant, cust customer.ID, n int, start time.Time) []interaction.Interaction {
	is := make([]interaction.Interaction, n)
	proto := newInteraction(tenant, cust, interaction.ConversationID{}, household.ID{}, start)
	for k := range is {
		is[k] = proto
		is[k].ID = interaction.ID(newID())
		is[k].OccurredAt = start.Add(time.Duration(k) * time.Second)
	}
	return is
}

// BenchmarkBulkInsert compares BulkCreateInteractions with a hand-written
// pgx.CopyFrom of the same interaction rows (encoded to JSON in the loop,
// as any loader must), in batches of 1000. Each iteration runs one batch of
// each, alternately, so that both see the same machine load and table
// size; the metrics are each one's rows/s and their ratio.
// BulkCreateInteractions also writes the change records and takes the
// tenant's lock; the "+changes" variant of the baseline copies the change
// rows by hand too.
func BenchmarkBulkInsert(b *testing.B) {
	for _, withChanges := range []bool{false, true} {
		name := "vs=pgx.CopyFrom"
		if withChanges {
			name += "+changes"
		}
		b.Run(name, func(b *testing.B) {
			be := newTestBackend(b, nil)
			ctx := b.Context()
			const batch = 1000
			const tenant dealer.Tenant = "tenant-bulk"
			cust := customer.ID(newID())
			var seq int64 = 1 << 40 // hand-written change seqs, apart from pgstore's
			var copyTime, bulkTime time.Duration
			for b.Loop() {
				is := interactionsFor(tenant, cust, batch, t0)
				mine := interactionsFor(tenant, cust, batch, t0)
				start := time.Now()
				rows := make([][]any, len(is))
				changes := make([][]any, len(is))
				for k := range is {
					i := &is[k]
					i.Revision = 1
					doc, err := json.Marshal(i)
					if err != nil {
						b.Fatal(err)
					}
					rows[k] = []any{string(i.Tenant), pgtype.UUID{Bytes: i.ID, Valid: true}, pgtype.UUID{Bytes: i.Customer, Valid: true},
						pgtype.UUID{}, pgtype.UUID{}, i.OccurredAt, string(i.Channel), string(i.Kind), string(i.Rooftop), false, int64(1), doc}
					seq++
					changes[k] = []any{string(i.Tenant), seq, "interaction", i.ID.String(), "create", int64(1)}
				}
				err := pgx.BeginFunc(ctx, be.Pool(), func(tx pgx.Tx) error {
					if _, err := tx.CopyFrom(ctx, pgx.Identifier{"interactions"}, interactionColumns, pgx.CopyFromRows(rows)); err != nil {
						return err
					}
					if withChanges {
						_, err := tx.CopyFrom(ctx, pgx.Identifier{"changes"}, changeColumns, pgx.CopyFromRows(changes))
						return err
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
				copyTime += time.Since(start)

				start = time.Now()
				if err := be.BulkCreateInteractions(ctx, mine); err != nil {
					b.Fatal(err)
				}
				bulkTime += time.Since(start)
			}
			copyRate := float64(b.N*batch) / copyTime.Seconds()
			bulkRate := float64(b.N*batch) / bulkTime.Seconds()
			b.ReportMetric(copyRate, "copy-rows/s")
			b.ReportMetric(bulkRate, "bulk-rows/s")
			b.ReportMetric(100*bulkRate/copyRate, "bulk/copy-%")
		})
	}
}

var (
	interactionColumns = []string{"tenant_id", "id", "customer_id", "household_id", "conversation_id",
		"occurred_at", "channel", "kind", "rooftop", "awaiting_review", "revision", "doc"}
	changeColumns = []string{"tenant_id", "seq", "entity", "id", "op", "revision"}
)

// BenchmarkTimelineDepth reads a page of 50 of one customer's timeline
// (10,100 interactions, among 60,100 of the tenant) at the start, and
// after 10,000 interactions (a keyset cursor: the deep page is another
// index range, not an OFFSET), alternately in each iteration; the metrics
// are each page's time and their ratio.
func BenchmarkTimelineDepth(b *testing.B) {
	be := newTestBackend(b, nil)
	ctx := b.Context()
	const tenant dealer.Tenant = "tenant-deep"
	cust := customer.ID(newID())
	is := interactionsFor(tenant, cust, 10100, t0)
	if err := be.BulkCreateInteractions(ctx, is); err != nil {
		b.Fatal(err)
	}
	// Other customers' interactions around it, as in a real tenant.
	for k := range 5 {
		if err := be.BulkCreateInteractions(ctx, interactionsFor(tenant, customer.ID(newID()), 10000, t0.Add(time.Duration(k)*time.Millisecond))); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := be.Pool().Exec(ctx, "ANALYZE"); err != nil {
		b.Fatal(err)
	}
	q := storage.InteractionQuery{Customers: []customer.ID{cust}}
	var deep storage.Cursor
	for range 10000 / 1000 {
		page, next, err := be.Interactions(ctx, tenant, q, deep, 1000)
		if err != nil || len(page) != 1000 {
			b.Fatalf("paging down: %d, %v", len(page), err)
		}
		deep = next
	}
	var firstTime, deepTime time.Duration
	for b.Loop() {
		for _, p := range []struct {
			after storage.Cursor
			total *time.Duration
		}{{"", &firstTime}, {deep, &deepTime}} {
			start := time.Now()
			page, _, err := be.Interactions(ctx, tenant, q, p.after, 50)
			if err != nil || len(page) != 50 {
				b.Fatalf("page: %d, %v", len(page), err)
			}
			*p.total += time.Since(start)
		}
	}
	b.ReportMetric(float64(firstTime.Microseconds())/float64(b.N), "first-µs/page")
	b.ReportMetric(float64(deepTime.Microseconds())/float64(b.N), "deep-µs/page")
	b.ReportMetric(float64(deepTime)/float64(firstTime), "deep/first")
}

// BenchmarkConcurrentWrites measures write transactions per second with 1,
// 4 and 16 concurrent writers, all on one tenant ("tenant") or each on a
// tenant of its own ("server"). A write is an Update that creates an
// interaction (lock the tenant, insert, change record, counter, commit).
// The baseline ("raw") is a hand-written pgx transaction inserting the
// same two rows without the tenant lock: the difference is the price of a
// gap-free feed.
func BenchmarkConcurrentWrites(b *testing.B) {
	for _, spread := range []string{"tenant", "server"} {
		for _, writers := range []int{1, 4, 16} {
			for _, impl := range []string{"raw", "pgstore"} {
				b.Run(fmt.Sprintf("%s/writers=%d/%s", spread, writers, impl), func(b *testing.B) {
					be := newTestBackend(b, &pgstore.Options{MaxConns: int32(writers)})
					ctx := b.Context()
					var next atomic.Int64
					var raw atomic.Int64 // raw seqs: a plain counter, no lock
					var wg sync.WaitGroup
					b.ResetTimer()
					start := time.Now()
					for w := range writers {
						wg.Add(1)
						go func() {
							defer wg.Done()
							tenant := dealer.Tenant("tenant-w")
							if spread == "server" {
								tenant = dealer.Tenant(fmt.Sprintf("tenant-w%02d", w))
							}
							cust := customer.ID(newID())
							for next.Add(1) <= int64(b.N) {
								i := newInteraction(tenant, cust, interaction.ConversationID{}, household.ID{}, t0)
								var err error
								if impl == "pgstore" {
									err = be.Update(ctx, func(tx storage.Tx) error { return tx.CreateInteraction(ctx, i) })
								} else {
									err = rawWrite(b, be, &i, raw.Add(1))
								}
								if err != nil {
									b.Error(err)
									return
								}
							}
						}()
					}
					wg.Wait()
					b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "writes/s")
				})
			}
		}
	}
}

// rawWrite inserts an interaction and its change record in one pgx
// transaction, without the tenant lock.
func rawWrite(b *testing.B, be *pgstore.Backend, i *interaction.Interaction, seq int64) error {
	ctx := b.Context()
	i.Revision = 1
	doc, err := json.Marshal(i)
	if err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, be.Pool(), func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO interactions (tenant_id, id, customer_id, household_id, conversation_id, occurred_at, channel, kind, rooftop, awaiting_review, revision, doc)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11)`,
			string(i.Tenant), pgtype.UUID{Bytes: i.ID, Valid: true}, pgtype.UUID{Bytes: i.Customer, Valid: true}, pgtype.UUID{}, pgtype.UUID{},
			i.OccurredAt, string(i.Channel), string(i.Kind), string(i.Rooftop), false, doc); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO changes (tenant_id, seq, entity, id, op, revision) VALUES ($1, $2, 'interaction', $3, 'create', 1)`,
			string(i.Tenant), seq, i.ID.String())
		return err
	})
}
