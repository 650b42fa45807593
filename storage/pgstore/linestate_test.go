package pgstore_test

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

// TestLineTouchesBackfill: a schema upgraded to the line_touches version
// gives the same line state as one whose interactions were written with
// the table in place (migration 5's backfill, run again here on a schema
// taken back to version 4), and the state holds the sends and staff
// contacts written.
func TestLineTouchesBackfill(t *testing.T) {
	ctx := t.Context()
	needServer(t)
	b, schema := newTestBackendSchema(t, dsn, nil)
	const tn = "line-tenant"
	c1, c2 := newCustomer(tn, 1), newCustomer(tn, 2)
	line := phone(1)
	c2.ContactPoints = append(c2.ContactPoints, customer.ContactPoint{Address: line, Rank: 3})
	err := b.Update(ctx, func(tx storage.Tx) error {
		for _, c := range []customer.Customer{c1, c2} {
			if err := tx.CreateCustomer(ctx, c); err != nil {
				return err
			}
		}
		if err := tx.AppendConsent(ctx, newEvent(tn, line, c1.ID, t0)); err != nil {
			return err
		}
		for n := range 12 {
			cust := c1.ID
			if n%3 == 0 {
				cust = c2.ID
			}
			i := newInteraction(tn, cust, interaction.ConversationID{}, [16]byte{}, t0.Add(time.Duration(n)*time.Hour))
			i.Address = line
			if n%2 == 0 {
				i.Direction, i.Authorship = interaction.DirectionOutbound, interaction.AuthorshipHuman
				i.Participants = []interaction.Participant{{Staff: "sam", Role: interaction.RoleSalesperson}}
				if n%4 == 0 {
					i.Consent = &interaction.ConsentCheck{Purpose: string(consent.PurposeService), Allowed: true, CheckedAt: i.OccurredAt}
				}
			}
			if err := tx.CreateInteraction(ctx, i); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	qs := []storage.LineQuery{{Line: line}, {Line: line, Customer: c2.ID, Since: t0.Add(3 * time.Hour), Until: t0.Add(9 * time.Hour)}}
	before, err := b.LineStates(ctx, tn, qs)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(before[0].Sends); got != 6 {
		t.Errorf("%d sends to the line, want 6", got)
	}
	if got := len(before[1].Contacts); got != 1 { // c2's outbound at hour 6
		t.Errorf("%d staff contacts of customer 2 in hours 3–9, want 1: %+v", got, before[1].Contacts)
	}
	if len(before[0].Ledger) != 1 || len(before[0].Holders) != 2 || len(before[0].Recipients) != 2 {
		t.Errorf("ledger %d, holders %d, recipients %d; want 1, 2, 2", len(before[0].Ledger), len(before[0].Holders), len(before[0].Recipients))
	}
	pool := schemaPool(t, schema)
	// Back to version 4: the columns of migrations 6 and 7 go too, so
	// that Migrate applies 5, 6 and 7 again.
	for _, q := range []string{`DROP TABLE line_touches`, `ALTER TABLE customers DROP COLUMN recipient`,
		`ALTER TABLE commitments DROP COLUMN done_at`, `DELETE FROM rapport_migrations WHERE version >= 5`} {
		if _, err := pool.Exec(context.Background(), q); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	after, err := b.LineStates(ctx, tn, qs)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(before, after) {
		t.Errorf("after the backfill:\n %+v\nwant\n %+v", after, before)
	}
}

// TestRecipientColumn: the customers' recipient column (migration 6), as
// LineStates decodes it, describes every customer on every one of its
// lines as the whole document does, and follows the document when the
// customer is updated.
func TestRecipientColumn(t *testing.T) {
	ctx := t.Context()
	needServer(t)
	b, schema := newTestBackendSchema(t, dsn, nil)
	const tn = "recipient-tenant"
	plain := newCustomer(tn, 1)
	zoned := newCustomer(tn, 2)
	zoned.Name = customer.Name{Full: "Zoë \"Z\" O'Brien \\ \u2028 日本"}
	zoned.Preference.Zone = "America/Chicago"
	zoned.ContactPoints[0].Zone = "America/Denver"
	zoned.ContactPoints = append(zoned.ContactPoints,
		customer.ContactPoint{Address: phone(3), Zone: "America/Los_Angeles", Usage: customer.UsageMobile},
		customer.ContactPoint{Address: email("zoe"), Zone: "America/New_York"})
	zoned.PostalAddresses = []customer.PostalAddress{
		{Lines: []string{"1 Main St"}, Locality: "Tampa", Region: "FL", PostalCode: "33601", Country: "US"},
		{Region: "QC", Country: "CA", Usage: customer.AddressBilling},
		{Region: "ok", Country: "us", Usage: customer.AddressHome},
	}
	bare := customer.Customer{ID: customer.ID(newID()), Tenant: tn, Name: customer.Name{Full: "No Contact"}, CreatedAt: t0, UpdatedAt: t0}
	all := []customer.Customer{plain, zoned, bare}
	if err := b.Update(ctx, func(tx storage.Tx) error {
		for _, c := range all {
			if err := tx.CreateCustomer(ctx, c); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	pool := schemaPool(t, schema)
	check := func(when string) {
		t.Helper()
		rows, err := pool.Query(ctx, `SELECT doc::text, recipient FROM customers WHERE tenant_id = $1`, tn)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			var doc, rec string
			if err := rows.Scan(&doc, &rec); err != nil {
				t.Fatal(err)
			}
			var whole customer.Customer
			if err := json.Unmarshal([]byte(doc), &whole); err != nil {
				t.Fatal(err)
			}
			part, err := storage.DecodeRecipientCustomer([]byte(rec))
			if err != nil {
				t.Fatalf("%s: recipient column %q: %v", when, rec, err)
			}
			lines := []channel.Address{phone(99)}
			for _, cp := range whole.ContactPoints {
				lines = append(lines, cp.Address.Line())
			}
			for _, l := range lines {
				if got, want := storage.RecipientOf(part, l), storage.RecipientOf(&whole, l); !reflect.DeepEqual(got, want) {
					t.Errorf("%s: customer %v on %v: from the recipient column %+v, from the document %+v", when, whole.ID, l, got, want)
				}
			}
			n++
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if n != len(all) {
			t.Fatalf("%s: %d customers read, want %d", when, n, len(all))
		}
	}
	check("created")
	zoned.Preference.Zone = "America/Phoenix"
	zoned.ContactPoints[1].Zone = "America/Anchorage"
	zoned.PostalAddresses = zoned.PostalAddresses[1:]
	zoned.Revision = 1
	if err := b.Update(ctx, func(tx storage.Tx) error {
		_, err := tx.UpdateCustomer(ctx, zoned)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	check("updated")
	sts, err := b.LineStates(ctx, tn, []storage.LineQuery{{Line: zoned.ContactPoints[0].Address.Line()}})
	if err != nil {
		t.Fatal(err)
	}
	want := storage.Recipient{ID: zoned.ID, Zone: "America/Phoenix", LineZones: []string{"America/Denver"}, Regions: []string{"US-OK"}}
	if len(sts[0].Recipients) != 1 || !reflect.DeepEqual(sts[0].Recipients[0], want) {
		t.Errorf("LineStates recipients = %+v, want [%+v]", sts[0].Recipients, want)
	}
}
