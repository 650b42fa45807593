//go:build unix

package rapport_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rapportcim/rapport"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dms"
	"github.com/rapportcim/rapport/storage"
	"github.com/rapportcim/rapport/storage/memstore"
	"github.com/rapportcim/rapport/storage/sqlitestore"
)

// importRows is a DealerVault customer export of n rows (customer number,
// name, email, cell phone): the rows both sides of BenchmarkImport write.
func importRows(n int) string {
	var b strings.Builder
	b.WriteString("Customer Number,First Name,Last Name,Email 1,Cell Phone\n")
	for i := range n {
		// Fictional numbers (555-0100 to 555-0199) in 50 area codes: one
		// number per customer, as in a real export.
		fmt.Fprintf(&b, "V-%d,Given%d,Family%d,c%d@example.com,+1 %d 555 %04d\n", i, i, i%97, i, areaCodes[(i/100)%len(areaCodes)], 100+i%100)
	}
	return b.String()
}

var areaCodes = []int{212, 213, 214, 215, 216, 217, 218, 219, 224, 225, 228, 229, 231, 234, 239, 240, 248, 251, 252, 253,
	254, 256, 260, 262, 267, 269, 270, 272, 276, 281, 301, 302, 303, 304, 305, 307, 308, 309, 310, 312,
	313, 314, 315, 316, 317, 318, 319, 320, 321, 323}

func readRows(b *testing.B, csv string) []*dms.Row {
	b.Helper()
	m, err := dms.Preset(dms.DealerVault, dms.Customers)
	if err != nil {
		b.Fatal(err)
	}
	r, err := dms.NewReader(strings.NewReader(csv), m, &dms.Options{File: "bench.csv", ExportedAt: exportedAt})
	if err != nil {
		b.Fatal(err)
	}
	var rows []*dms.Row
	for row, err := range r.All() {
		if err != nil {
			b.Fatal(err)
		}
		rows = append(rows, row)
	}
	return rows
}

// BenchmarkImport compares Book.Import (matching every row against the
// book, upserting, change records, batches of 500 rows per transaction)
// with the backend's raw BulkWriter writing the same customers (built from
// the same rows, IDs assigned, normalized, no matching) in batches of 500.
// Each op imports the whole file twice, into two empty books: once raw,
// once through the Book, alternating so that both see the same machine
// load; it reports both rates and book/bulk, the figure the target is
// about (at least 0.5), on sqlitestore, memstore and (when RAPPORT_PG_DSN
// names a server) pgstore, in wall-clock time and in the process's CPU time
// (user + system, from getrusage), which a loaded machine disturbs less.
//
//	go test -run XXX -bench BenchmarkImport -benchtime 5x -count 3 .
func BenchmarkImport(b *testing.B) {
	const n = 5000
	rows := readRows(b, importRows(n))
	ctx := context.Background()
	open := map[string]func(b *testing.B) storage.Backend{
		"memstore": func(*testing.B) storage.Backend { return memstore.New(nil) },
		"sqlitestore": func(b *testing.B) storage.Backend {
			s, err := sqlitestore.Open(ctx, filepath.Join(b.TempDir(), "bench.db"), nil)
			if err != nil {
				b.Fatal(err)
			}
			if err := s.Migrate(ctx); err != nil {
				b.Fatal(err)
			}
			return s
		},
	}
	seq := func(yield func(*dms.Row, error) bool) {
		for _, r := range rows {
			if !yield(r, nil) {
				return
			}
		}
	}
	open["pgstore"] = func(b *testing.B) storage.Backend { return openPG(b) }
	names := []string{"sqlitestore", "memstore"}
	if os.Getenv("RAPPORT_PG_DSN") != "" {
		names = append(names, "pgstore")
	}
	for _, name := range names {
		b.Run(name, func(b *testing.B) {
			var bulk, book, bulkCPU, bookCPU time.Duration
			for b.Loop() {
				// Raw BulkWriter.
				be := open[name](b)
				cs := make([]customer.Customer, len(rows))
				for i, r := range rows {
					c := r.Customer.Clone()
					c.Tenant = "bench"
					c.ID = customer.ID(idFor(uint64(i + 1)))
					c.Normalize()
					cs[i] = c
				}
				bw := be.(storage.BulkWriter)
				start, cpu := time.Now(), cpuTime(b)
				for i := 0; i < len(cs); i += 500 {
					if err := bw.BulkCreateCustomers(ctx, cs[i:min(i+500, len(cs))]); err != nil {
						b.Fatal(err)
					}
				}
				bulk += time.Since(start)
				bulkCPU += cpuTime(b) - cpu
				be.Close()

				// The Book.
				be = open[name](b)
				bk, err := rapport.New(be, "bench", nil)
				if err != nil {
					b.Fatal(err)
				}
				start, cpu = time.Now(), cpuTime(b)
				rep, err := bk.Import(ctx, seq, nil)
				book += time.Since(start)
				bookCPU += cpuTime(b) - cpu
				if err != nil || rep.Written != n {
					b.Fatalf("import: %v, %+v", err, rep.ImportProgress)
				}
				be.Close()
			}
			b.ReportMetric(float64(n*b.N)/bulk.Seconds(), "bulk-rows/s")
			b.ReportMetric(float64(n*b.N)/book.Seconds(), "book-rows/s")
			b.ReportMetric(bulk.Seconds()/book.Seconds(), "book/bulk")
			b.ReportMetric(bulkCPU.Seconds()/bookCPU.Seconds(), "book/bulk-cpu")
		})
	}
}

// cpuTime returns the user and system CPU time the process has used.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func idFor(n uint64) [16]byte {
	var id [16]byte
	for i := 15; i >= 8; i-- {
		id[i] = byte(n)
		n >>= 8
	}
	id[6] = 0x70
	return id
}
