package rapport_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/rapportcim/rapport"
	"github.com/rapportcim/rapport/dms"
	"github.com/rapportcim/rapport/storage"
	"github.com/rapportcim/rapport/storage/memstore"
)

// statsBackend counts UpdateStatistics calls and fails them with err.
type statsBackend struct {
	storage.Backend
	calls int
	err   error
}

func (s *statsBackend) UpdateStatistics(context.Context) error {
	s.calls++
	return s.err
}

// TestImportUpdatesStatistics: an Import that writes 10,000 rows has the
// backend refresh its planner statistics once, at the end; a smaller one
// does not; a failure to refresh is logged and the import still succeeds.
func TestImportUpdatesStatistics(t *testing.T) {
	export := func(n int) string {
		var b strings.Builder
		b.WriteString("Customer Number,First Name,Middle Name,Last Name,Company Name,Email 1,Email 2,Home Phone,Cell Phone,Work Phone,Address Line 1,Address Line 2,City,State,Zip,Block Email,Block Phone,Block Mail,Customer Since\n")
		for k := range n {
			fmt.Fprintf(&b, "S-%d,Pat,,Stats%d,,pat.stats%d@example.com,,,,,,,,,,,,,\n", k, k, k)
		}
		return b.String()
	}
	var logged bytes.Buffer
	for _, tc := range []struct {
		rows      int
		err       error
		wantCalls int
	}{{9_999, nil, 0}, {10_000, nil, 1}, {10_000, errors.New("statistics refused"), 1}} {
		sb := &statsBackend{Backend: memstore.New(nil), err: tc.err}
		logged.Reset()
		book, err := rapport.New(sb, "group-1", &rapport.Options{Logger: slog.New(slog.NewTextHandler(&logged, nil))})
		if err != nil {
			t.Fatal(err)
		}
		rep := importCSV(t, book, dms.DealerVault, dms.Customers, export(tc.rows), nil)
		if rep.Written != tc.rows || rep.Rejected != 0 {
			t.Fatalf("%d rows: %+v", tc.rows, rep.ImportProgress)
		}
		if sb.calls != tc.wantCalls {
			t.Errorf("%d rows written: UpdateStatistics called %d times, want %d", tc.rows, sb.calls, tc.wantCalls)
		}
		if tc.err != nil && !strings.Contains(logged.String(), "planner statistics not updated") {
			t.Errorf("a failed UpdateStatistics was not logged: %q", logged.String())
		}
	}
}
