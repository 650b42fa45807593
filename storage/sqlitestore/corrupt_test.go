package sqlitestore_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
	"github.com/rapportcim/rapport/storage/sqlitestore"
)

func hexID(id [16]byte) string { return fmt.Sprintf("X'%x'", id[:]) }

// TestStoredAddressOutsideCurrentMetadata stores a customer whose phone
// number the current numbering-plan metadata rejects (as after an upgrade
// that dropped its range) and requires every read to serve it unchanged.
func TestStoredAddressOutsideCurrentMetadata(t *testing.T) {
	ctx := t.Context()
	b := newTestBackend(t, nil)
	c := testCustomer(1, testPhone(1))
	if err := b.Update(ctx, func(tx storage.Tx) error { return tx.CreateCustomer(ctx, c) }); err != nil {
		t.Fatal(err)
	}
	const dropped = "+10005550123" // area code 000 is not a NANP area code
	if _, err := channel.ParseAddress("tel:" + dropped); err == nil {
		t.Fatalf("the current metadata accepts %s; the test needs a number it rejects", dropped)
	}
	old := c.ContactPoints[0].Address.Path()
	if err := sqlitestore.ExecWriter(t, b, fmt.Sprintf(
		"UPDATE customers SET doc = CAST(replace(CAST(doc AS TEXT), '%s', '%s') AS BLOB) WHERE id = %s",
		old, dropped, hexID(c.ID))); err != nil {
		t.Fatal(err)
	}

	got, err := b.GetCustomer(ctx, tenant, c.ID)
	if err != nil {
		t.Fatalf("GetCustomer of a record with a number the metadata dropped: %v", err)
	}
	if a := got.ContactPoints[0].Address.String(); a != "tel:"+dropped {
		t.Errorf("stored address read back as %q, want %q", a, "tel:"+dropped)
	}
	list, _, err := b.ListCustomers(ctx, tenant, "", 10)
	if err != nil || len(list) != 1 {
		t.Fatalf("ListCustomers: %d customers, %v; want 1, nil", len(list), err)
	}
	// The record can be written back as it was read.
	err = b.Update(ctx, func(tx storage.Tx) error {
		got.Tags = append(got.Tags, "kept")
		_, err := tx.UpdateCustomer(ctx, got)
		return err
	})
	if err != nil {
		t.Errorf("UpdateCustomer of the record as read: %v", err)
	}
}

// TestCorruptRecordsAreReportedAndSkipped damages stored documents and
// requires a Get to fail with ErrCorrupt naming the record, and every list
// to return the other records, the damaged ones named in an ErrCorrupt
// beside them, and a cursor that pages past them without repeating them.
func TestCorruptRecordsAreReportedAndSkipped(t *testing.T) {
	ctx := t.Context()
	b := newTestBackend(t, nil)
	var cs []customer.Customer
	var is []interaction.Interaction
	for n := range uint64(5) {
		c := testCustomer(n+1, testPhone(int(n)))
		cs = append(cs, c)
		is = append(is, testInteraction(n+1, cs[0].ID, t0.Add(-time.Duration(n)*time.Hour)))
	}
	err := b.Update(ctx, func(tx storage.Tx) error {
		for _, c := range cs {
			if err := tx.CreateCustomer(ctx, c); err != nil {
				return err
			}
		}
		for _, i := range is {
			if err := tx.CreateInteraction(ctx, i); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Customers 2 and 3 (adjacent, so that a page of one can hold only a
	// damaged record) and interaction 4 get garbage documents.
	for _, q := range []string{
		"UPDATE customers SET doc = CAST('{\"id\": not json' AS BLOB) WHERE id = " + hexID(cs[1].ID),
		"UPDATE customers SET doc = CAST('[]' AS BLOB) WHERE id = " + hexID(cs[2].ID),
		"UPDATE interactions SET doc = CAST('{\"occurred_at\": 12}' AS BLOB) WHERE id = " + hexID(is[3].ID),
	} {
		if err := sqlitestore.ExecWriter(t, b, q); err != nil {
			t.Fatal(err)
		}
	}

	_, err = b.GetCustomer(ctx, tenant, cs[1].ID)
	wantCorrupt(t, "GetCustomer", err, storage.EntityCustomer, cs[1].ID.String())
	if _, err := b.GetCustomer(ctx, tenant, cs[0].ID); err != nil {
		t.Errorf("GetCustomer of an intact record: %v", err)
	}

	for _, limit := range []int{1, 2, 100} {
		var got []customer.ID
		var bad []string
		var after storage.Cursor
		for range 20 {
			page, next, err := b.ListCustomers(ctx, tenant, after, limit)
			if err != nil && !errors.Is(err, storage.ErrCorrupt) {
				t.Fatalf("ListCustomers(limit %d): %v", limit, err)
			}
			for _, c := range page {
				got = append(got, c.ID)
			}
			bad = append(bad, corruptIDs(err)...)
			if next == "" {
				break
			}
			after = next
		}
		want := []customer.ID{cs[0].ID, cs[3].ID, cs[4].ID}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("ListCustomers(limit %d) walk: got %v, want %v", limit, got, want)
		}
		if fmt.Sprint(bad) != fmt.Sprint([]string{cs[1].ID.String(), cs[2].ID.String()}) {
			t.Errorf("ListCustomers(limit %d) walk reported corrupt %v, want customers 2 and 3 once each", limit, bad)
		}
	}

	var got []interaction.ID
	var bad []string
	var after storage.Cursor
	for range 20 {
		page, next, err := b.Interactions(ctx, tenant, storage.InteractionQuery{Customers: []customer.ID{cs[0].ID}}, after, 1)
		if err != nil && !errors.Is(err, storage.ErrCorrupt) {
			t.Fatalf("Interactions: %v", err)
		}
		for _, i := range page {
			got = append(got, i.ID)
		}
		bad = append(bad, corruptIDs(err)...)
		if next == "" {
			break
		}
		after = next
	}
	want := []interaction.ID{is[0].ID, is[1].ID, is[2].ID, is[4].ID} // newest first
	if fmt.Sprint(got) != fmt.Sprint(want) || fmt.Sprint(bad) != fmt.Sprint([]string{is[3].ID.String()}) {
		t.Errorf("timeline walk: got %v and corrupt %v, want %v and [%s]", got, bad, want, is[3].ID)
	}
}

func wantCorrupt(t *testing.T, what string, err error, entity storage.Entity, id string) {
	t.Helper()
	if !errors.Is(err, storage.ErrCorrupt) {
		t.Fatalf("%s: got %v, want ErrCorrupt", what, err)
	}
	var ce *storage.CorruptError
	if !errors.As(err, &ce) || ce.Entity != entity || ce.ID != id {
		t.Errorf("%s: error %v does not name %s %s", what, err, entity, id)
	}
}

// corruptIDs returns the IDs an ErrCorrupt names, in order.
func corruptIDs(err error) []string {
	if err == nil {
		return nil
	}
	var out []string
	var walk func(error)
	walk = func(e error) {
		if ce, ok := e.(*storage.CorruptError); ok {
			out = append(out, ce.ID)
			return
		}
		switch u := e.(type) {
		case interface{ Unwrap() []error }:
			for _, x := range u.Unwrap() {
				walk(x)
			}
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		}
	}
	walk(err)
	return out
}
