package pgstore_test

import (
	"errors"
	"testing"

	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/storage"
)

// TestCorruptDocuments: a document damaged by another client (valid JSON,
// wrong shape) is storage.ErrCorrupt naming the record; lists return the
// other records, with the cursor past the damaged one.
func TestCorruptDocuments(t *testing.T) {
	b := newTestBackend(t, nil)
	ctx := t.Context()
	const tenant = "tenant-corrupt"
	cs := seedStory(t, b, tenant, 3)
	bad := cs[1]
	if _, err := b.Pool().Exec(ctx, `UPDATE customers SET doc = '{"contact_points": 12}' WHERE tenant_id = $1 AND id = $2`,
		tenant, bad.ID.String()); err != nil {
		t.Fatal(err)
	}
	_, err := b.GetCustomer(ctx, tenant, bad.ID)
	var ce *storage.CorruptError
	if !errors.Is(err, storage.ErrCorrupt) || !errors.As(err, &ce) {
		t.Fatalf("GetCustomer of a damaged document: %v, want storage.ErrCorrupt with a *storage.CorruptError", err)
	}
	if ce.Entity != storage.EntityCustomer || ce.ID != bad.ID.String() {
		t.Errorf("CorruptError names %s %s, want customer %s", ce.Entity, ce.ID, bad.ID)
	}

	// A list of one per page: the damaged record's page is empty but
	// carries the error and a cursor to the next.
	var got []customer.ID
	var corrupt int
	var after storage.Cursor
	for range 10 {
		page, next, err := b.ListCustomers(ctx, tenant, after, 1)
		switch {
		case errors.Is(err, storage.ErrCorrupt):
			corrupt++
		case err != nil:
			t.Fatal(err)
		}
		for _, c := range page {
			got = append(got, c.ID)
		}
		if next == "" {
			break
		}
		after = next
	}
	if corrupt != 1 || len(got) != 2 || got[0] != cs[0].ID || got[1] != cs[2].ID {
		t.Errorf("ListCustomers over a damaged record: %d errors, customers %v; want 1 error and customers %v, %v", corrupt, got, cs[0].ID, cs[2].ID)
	}

	// A timeline: the damaged interaction is named, the others listed.
	is, _, err := b.Interactions(ctx, tenant, storage.InteractionQuery{Customers: []customer.ID{cs[0].ID}}, "", 10)
	if err != nil || len(is) != 2 {
		t.Fatalf("timeline before damage: %d, %v", len(is), err)
	}
	if _, err := b.Pool().Exec(ctx, `UPDATE interactions SET doc = '{"occurred_at": "yesterday"}' WHERE tenant_id = $1 AND id = $2`,
		tenant, is[0].ID.String()); err != nil {
		t.Fatal(err)
	}
	page, _, err := b.Interactions(ctx, tenant, storage.InteractionQuery{Customers: []customer.ID{cs[0].ID}}, "", 10)
	if !errors.As(err, &ce) || ce.Entity != storage.EntityInteraction || ce.ID != is[0].ID.String() {
		t.Errorf("timeline with a damaged interaction: error %v, want ErrCorrupt naming interaction %s", err, is[0].ID)
	}
	if len(page) != 1 || page[0].ID != is[1].ID {
		t.Errorf("timeline with a damaged interaction returned %d records, want the undamaged one", len(page))
	}
}
