package rapport_test

import (
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/rapportcim/rapport"
	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage/sqlitestore"
)

// TestStoredRecordsStayReadable damages a SQLite file the way the world
// does — a numbering-plan upgrade that drops a stored number's range, a
// document damaged outside rapport — and requires the Book to keep serving
// everything else: the customer with the dropped number reads and upserts,
// and a timeline yields every intact interaction plus one ErrCorrupt naming
// the damaged one, in its place.
func TestStoredRecordsStayReadable(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "book.db")
	b, err := sqlitestore.Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 2, 14, 0, 0, 0, time.UTC)
	book, err := rapport.New(b, "group-1", &rapport.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	mobile := addr(t, "tel:+12125550123")
	up, err := book.UpsertCustomer(ctx, customer.Customer{
		Name:          customer.Name{Given: "Jane", Family: "Doe"},
		ContactPoints: []customer.ContactPoint{{Address: mobile, Usage: customer.UsageMobile}},
		ExternalIDs:   []customer.ExternalID{{System: "cdk", Value: "C-1001"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	jane := up.Record.ID
	var ids []interaction.ID
	for k := range 3 {
		r, err := book.RecordInteraction(ctx, interaction.Interaction{
			Customer: jane, Channel: channel.KindEmail, Direction: interaction.DirectionInternal, Kind: interaction.KindNote,
			Body: fmt.Sprintf("note %d", k), OccurredAt: now.Add(time.Duration(k) * time.Minute),
		})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.Interaction.ID)
	}

	// Damage the file through a connection of its own.
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const dropped = "+10005550123" // not a NANP area code: today's metadata rejects it
	for _, q := range []string{
		fmt.Sprintf("UPDATE customers SET doc = CAST(replace(CAST(doc AS TEXT), '%s', '%s') AS BLOB)", mobile.Path(), dropped),
		fmt.Sprintf("UPDATE interactions SET doc = CAST('{\"body\": [' AS BLOB) WHERE id = X'%x'", ids[1][:]),
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}

	c, err := book.Customer(ctx, jane)
	if err != nil {
		t.Fatalf("Customer with a number today's metadata rejects: %v", err)
	}
	if got := c.ContactPoints[0].Address.String(); got != "tel:"+dropped {
		t.Errorf("stored address reads back as %q, want %q", got, "tel:"+dropped)
	}
	again, err := book.UpsertCustomer(ctx, customer.Customer{
		Name:        customer.Name{Given: "Jane", Family: "Doe"},
		ExternalIDs: []customer.ExternalID{{System: "cdk", Value: "C-1001"}},
		Tags:        []string{"service"},
	})
	if err != nil {
		t.Fatalf("UpsertCustomer onto the stored record: %v", err)
	}
	if again.Record.ID != jane || again.Record.ContactPoints[0].Address.String() != "tel:"+dropped {
		t.Errorf("upsert: got %s with %v, want %s keeping its stored address", again.Record.ID, again.Record.ContactPoints, jane)
	}

	var got []interaction.ID
	var corrupt []string
	for i, err := range book.CustomerTimeline(ctx, jane, rapport.Filter{}) {
		if err != nil {
			var ce *rapport.CorruptError
			if !errors.Is(err, rapport.ErrCorrupt) || !errors.As(err, &ce) {
				t.Fatalf("timeline: %v", err)
			}
			corrupt = append(corrupt, ce.ID)
			continue
		}
		got = append(got, i.ID)
	}
	if fmt.Sprint(got) != fmt.Sprint([]interaction.ID{ids[2], ids[0]}) || fmt.Sprint(corrupt) != fmt.Sprint([]string{ids[1].String()}) {
		t.Errorf("timeline yielded %v and corrupt %v; want %v and [%s]", got, corrupt, []interaction.ID{ids[2], ids[0]}, ids[1])
	}
	if _, err := book.Interaction(ctx, ids[1]); !errors.Is(err, rapport.ErrCorrupt) {
		t.Errorf("Interaction of the damaged record: got %v, want ErrCorrupt", err)
	}
}
