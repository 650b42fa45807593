package dms

import (
	"fmt"
	"io"
	"runtime"
	"testing"
)

// rowSource generates a DealerVault customer export of n rows on the fly,
// so the test measures the reader, not a file held in memory.
type rowSource struct {
	n, i int
	buf  []byte
}

func (s *rowSource) Read(p []byte) (int, error) {
	for len(s.buf) == 0 {
		if s.i > s.n {
			return 0, io.EOF
		}
		if s.i == 0 {
			s.buf = []byte("Customer Number,First Name,Last Name,Email 1,Cell Phone,Block Email,Block Phone,Notes\n")
		} else {
			s.buf = fmt.Appendf(s.buf, "V-%d,Given%d,Family,c%d@example.com,212-555-01%02d,%s,N,note %d\n",
				s.i, s.i, s.i, s.i%100, map[bool]string{true: "Y", false: "N"}[s.i%3 == 0], s.i)
		}
		s.i++
	}
	n := copy(p, s.buf)
	s.buf = s.buf[n:]
	return n, nil
}

// streamRows reads n generated rows and returns the largest live heap seen.
func streamRows(t *testing.T, n int) uint64 {
	t.Helper()
	m, err := Preset(DealerVault, Customers)
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewReader(&rowSource{n: n}, m, &Options{File: "big.csv", ExportedAt: exported})
	if err != nil {
		t.Fatal(err)
	}
	var ms runtime.MemStats
	var peak uint64
	rows, events := 0, 0
	for row, err := range r.All() {
		if err != nil {
			t.Fatalf("row %d: %v", rows+2, err)
		}
		rows++
		events += len(row.Consent)
		if rows%(n/10) == 0 {
			runtime.GC()
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
	}
	if rows != n || events != 2*n {
		t.Fatalf("read %d rows and %d events, want %d and %d", rows, events, n, 2*n)
	}
	t.Logf("%d rows, %d consent events: live heap at most %d KiB", rows, events, peak>>10)
	return peak
}

func TestStreamRows(t *testing.T) {
	if peak := streamRows(t, 20_000); peak > 16<<20 {
		t.Errorf("live heap reached %d bytes while streaming", peak)
	}
}
