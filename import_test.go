package rapport_test

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rapportcim/rapport"
	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/dms"
	"github.com/rapportcim/rapport/interaction"
)

var exportedAt = time.Date(2026, 11, 1, 6, 0, 0, 0, time.UTC)

func importFile(t *testing.T, b *rapport.Book, system dms.System, kind dms.FileKind, file string, opts *rapport.ImportOptions) rapport.ImportReport {
	t.Helper()
	f, err := os.Open(filepath.Join("dms", "testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return importFrom(t, b, system, kind, file, f, opts)
}

// importFrom imports the export read from f, named file.
func importFrom(t *testing.T, b *rapport.Book, system dms.System, kind dms.FileKind, file string, f io.Reader, opts *rapport.ImportOptions) rapport.ImportReport {
	t.Helper()
	m, err := dms.Preset(system, kind)
	if err != nil {
		t.Fatal(err)
	}
	r, err := dms.NewReader(f, m, &dms.Options{File: file, ExportedAt: exportedAt})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := b.Import(context.Background(), r.All(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestImportSales(t *testing.T) {
	forEachImportBackend(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		var progress []rapport.ImportProgress
		var outcomes []rapport.RowOutcome
		opts := &rapport.ImportOptions{
			BatchSize: 2, Rooftop: "downtown",
			Progress: func(p rapport.ImportProgress) { progress = append(progress, p) },
			Row:      func(o rapport.RowOutcome) { outcomes = append(outcomes, o) },
		}
		rep := importFile(t, f.book, dms.Dealertrack, dms.Sales, "dealertrack-sales.csv", opts)
		if rep.Read != 4 || rep.Written != 3 || rep.Rejected != 1 || rep.Unchanged != 0 {
			t.Errorf("report = %+v", rep.ImportProgress)
		}
		if len(rep.RejectedRows) != 1 || rep.RejectedRows[0].Row != 4 || !errors.Is(rep.RejectedRows[0].Err, dms.ErrMissing) {
			t.Errorf("rejected = %+v", rep.RejectedRows)
		}
		if len(progress) != 2 || progress[1].Read != 4 {
			t.Errorf("progress calls = %+v", progress)
		}
		if len(outcomes) != 4 || outcomes[0].Row != 2 || outcomes[3].Row != 5 || len(outcomes[3].Warnings) == 0 {
			t.Errorf("row outcomes = %+v", outcomes)
		}

		// The sale is on the customer's timeline, the vehicle is theirs,
		// consent carries its evidence.
		cs, err := f.book.CustomersByExternalID(ctx, "dealertrack", "C-501")
		if err != nil || len(cs) != 1 {
			t.Fatalf("customer C-501: %v %v", cs, err)
		}
		c := cs[0]
		var sales []interaction.Interaction
		for it, err := range f.book.CustomerTimeline(ctx, c.ID, rapport.Filter{}) {
			if err != nil {
				t.Fatal(err)
			}
			sales = append(sales, it)
		}
		if len(sales) != 1 || sales[0].Kind != interaction.KindVisit || sales[0].Rooftop != "downtown" ||
			!sales[0].OccurredAt.Equal(time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("timeline = %+v", sales)
		}
		led, err := f.book.CustomerConsent(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(led) != 3 {
			t.Errorf("%d consent events, want 3", len(led))
		}
		for _, e := range led {
			if e.Evidence.SourceSystem != "dms:dealertrack" || e.Evidence.DocumentRef != "dealertrack-sales.csv#row=2" || e.Rooftop != "downtown" {
				t.Errorf("event = %+v", e)
			}
		}

		// Re-running the same file writes nothing.
		before := countChanges(t, f.book)
		again := importFile(t, f.book, dms.Dealertrack, dms.Sales, "dealertrack-sales.csv", &rapport.ImportOptions{Rooftop: "downtown"})
		if again.Written != 0 || again.Unchanged != 3 || again.Matched != 3 || again.Rejected != 1 {
			t.Errorf("re-run = %+v", again.ImportProgress)
		}
		if after := countChanges(t, f.book); after != before {
			t.Errorf("re-run wrote %d change records", after-before)
		}
	})
}

// TestImportMatchesAcrossFiles: a DMS customer file then a sales file from
// another system: the same person (same phone, compatible name) is one
// customer, and a changed flag in a later export is a new event.
func TestImportMatchesAcrossFiles(t *testing.T) {
	forEachImportBackend(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		rep := importFile(t, f.book, dms.DealerVault, dms.Customers, "dealervault-customers.csv", nil)
		if rep.Written != 2 || rep.Rejected != 1 {
			t.Fatalf("dealervault = %+v", rep.ImportProgress)
		}
		// Renée's phone is blocked for calls in the ledger; no text event.
		mobile, _ := channel.ParsePhone("212-555-0102", "US")
		led, err := f.book.ConsentLedger(ctx, mobile.Address())
		if err != nil {
			t.Fatal(err)
		}
		if len(led) != 1 || led[0].Channel != channel.KindVoice || led[0].Action != consent.ActionRevoke {
			t.Errorf("ledger for the cell = %+v", led)
		}

		m, _ := dms.Preset(dms.DealerVault, dms.Customers)
		later := "Customer Number,First Name,Last Name,Cell Phone,Block Phone\nV-1,Renée,François,212-555-0102,N\n"
		r, err := dms.NewReader(stringsReader(later), m, &dms.Options{File: "later.csv", ExportedAt: exportedAt.Add(24 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		rep, err = f.book.Import(ctx, r.All(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Matched != 1 || rep.Written != 1 {
			t.Errorf("later export = %+v", rep.ImportProgress)
		}
		led, _ = f.book.ConsentLedger(ctx, mobile.Address())
		if len(led) != 2 {
			t.Errorf("a changed flag must append an event: ledger = %+v", led)
		}
	})
}

func TestImportVehiclesAndService(t *testing.T) {
	forEachImportBackend(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		opts := &rapport.ImportOptions{Households: true}
		rep := importFile(t, f.book, dms.Reynolds, dms.Service, "reynolds-service.csv", opts)
		if rep.Written != 2 || rep.Rejected != 1 {
			t.Fatalf("reynolds = %+v %+v", rep.ImportProgress, rep.RejectedRows)
		}
		// The repair order's vehicle is in its customer's household, and the
		// repair order on the household's timeline.
		cs, err := f.book.CustomersByExternalID(ctx, "reynolds", "N-77")
		if err != nil || len(cs) != 1 {
			t.Fatalf("customer N-77: %v %v", cs, err)
		}
		var ro []interaction.Interaction
		var hid string
		for it, err := range f.book.CustomerTimeline(ctx, cs[0].ID, rapport.Filter{}) {
			if err != nil {
				t.Fatal(err)
			}
			ro = append(ro, it)
			hid = it.Household.String()
		}
		if len(ro) != 1 || ro[0].Household.IsZero() {
			t.Fatalf("timeline = %+v", ro)
		}
		h, err := f.book.Household(ctx, ro[0].Household)
		if err != nil {
			t.Fatal(err)
		}
		if h.Name != "Example household" || len(h.Vehicles) != 1 || len(h.Members) != 1 || h.Members[0].Customer != cs[0].ID {
			t.Errorf("household %s = %+v", hid, h)
		}
		v, err := f.book.Vehicle(ctx, h.Vehicles[0])
		if err != nil || v.VIN.String() != "JN1DA31D63T505967" || v.Household != h.ID {
			t.Errorf("vehicle = %+v, %v", v, err)
		}

		again := importFile(t, f.book, dms.Reynolds, dms.Service, "reynolds-service.csv", opts)
		if again.Written != 0 || again.Unchanged != 2 {
			t.Errorf("re-run = %+v", again.ImportProgress)
		}
	})
}

func stringsReader(s string) *strings.Reader { return strings.NewReader(s) }
