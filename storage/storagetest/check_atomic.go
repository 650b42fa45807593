package storagetest

import (
	"context"
	"errors"
	"testing"

	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/storage"
)

// panicValue is what the panicking fn panics with.
type panicValue struct{ msg string }

func checkAtomicUpdate(t *testing.T, b storage.Backend) {
	g := new(ids)

	// absent reports any of recs that is visible, through reads, lookups,
	// lists or the change feed.
	absent := func(t *testing.T, w world) {
		t.Helper()
		ctx := t.Context()
		for _, r := range w.records() {
			if a, ok := aggregateOf(r); ok {
				_, err := a.get(ctx, b, w.tenant, r)
				wantKind(t, "Get"+a.name+" of a record written by a rolled-back Update", err, storage.ErrNotFound)
			}
		}
		if got, err := b.CustomersByAddress(ctx, w.tenant, w.addr); wantNoErr(t, "CustomersByAddress", err) && len(got) != 0 {
			t.Errorf("CustomersByAddress finds a customer created by a rolled-back Update")
		}
		if got, err := b.CustomersByExternalID(ctx, w.tenant, w.ext.System, w.ext.Value); wantNoErr(t, "CustomersByExternalID", err) && len(got) != 0 {
			t.Errorf("CustomersByExternalID finds a customer created by a rolled-back Update")
		}
		if got, err := b.VehiclesByVIN(ctx, w.tenant, w.veh.VIN); wantNoErr(t, "VehiclesByVIN", err) && len(got) != 0 {
			t.Errorf("VehiclesByVIN finds a vehicle created by a rolled-back Update")
		}
		if got, err := b.HouseholdsByMember(ctx, w.tenant, w.cust.ID); wantNoErr(t, "HouseholdsByMember", err) && len(got) != 0 {
			t.Errorf("HouseholdsByMember finds a household created by a rolled-back Update")
		}
		if got, err := b.ConsentByAddress(ctx, w.tenant, w.addr); wantNoErr(t, "ConsentByAddress", err) && len(got) != 0 {
			t.Errorf("ConsentByAddress finds an event appended by a rolled-back Update")
		}
		if got, err := b.ConsentByCustomer(ctx, w.tenant, w.cust.ID); wantNoErr(t, "ConsentByCustomer", err) && len(got) != 0 {
			t.Errorf("ConsentByCustomer finds an event appended by a rolled-back Update")
		}
		if got := listCustomers(t, b, w.tenant, 0); len(got) != 0 {
			t.Errorf("ListCustomers lists %d customers created by a rolled-back Update", len(got))
		}
		if got := listInteractions(t, b, w.tenant, storage.InteractionQuery{}, 0); len(got) != 0 {
			t.Errorf("Interactions lists %d interactions created by a rolled-back Update", len(got))
		}
		if got := listCommitments(t, b, w.tenant, storage.CommitmentQuery{}, 0); len(got) != 0 {
			t.Errorf("Commitments lists %d commitments created by a rolled-back Update", len(got))
		}
		if got, err := b.ConversationsByCustomer(ctx, w.tenant, w.cust.ID); wantNoErr(t, "ConversationsByCustomer", err) && len(got) != 0 {
			t.Errorf("ConversationsByCustomer lists a conversation created by a rolled-back Update")
		}
		if got := allChanges(t, b, w.tenant); len(got) != 0 {
			t.Errorf("a rolled-back Update left changes in the feed:%s", showChanges(got))
		}
	}
	writeAll := func(ctx context.Context, tx storage.Tx, w world) error {
		for _, r := range w.records() {
			if err := put(ctx, tx, r); err != nil {
				return err
			}
		}
		return nil
	}

	t.Run("FnError", func(t *testing.T) {
		w := newWorld(g, dealer.Tenant("tenant-atomic-error"), 80)
		ctx := t.Context()
		err := b.Update(ctx, func(tx storage.Tx) error {
			if err := writeAll(ctx, tx, w); err != nil {
				t.Errorf("writing the records: %v", err)
			}
			return errBoom
		})
		if !errors.Is(err, errBoom) {
			t.Errorf("Update returned %v, want fn's error %v", err, errBoom)
		}
		absent(t, w)
	})

	t.Run("FnPanics", func(t *testing.T) {
		w := newWorld(g, dealer.Tenant("tenant-atomic-panic"), 81)
		ctx := t.Context()
		want := &panicValue{"storagetest: deliberate panic in fn"}
		var got any
		func() {
			defer func() { got = recover() }()
			err := b.Update(ctx, func(tx storage.Tx) error {
				if err := writeAll(ctx, tx, w); err != nil {
					t.Errorf("writing the records: %v", err)
				}
				panic(want)
			})
			t.Errorf("Update returned (%v) when fn panicked, want the panic re-raised", err)
		}()
		if got != want {
			t.Errorf("Update re-raised %v, want fn's panic value %v", got, want)
		}
		absent(t, w)
		// The backend still works: no lock or connection was left behind.
		c := newCustomer(w.tenant, g.customer(), phone(82))
		seed(t, b, c)
		if _, err := b.GetCustomer(ctx, w.tenant, c.ID); err != nil {
			t.Errorf("GetCustomer after a panicking Update: %v", err)
		}
	})

	t.Run("FailedWrite", func(t *testing.T) {
		tenant := dealer.Tenant("tenant-atomic-failed-write")
		ctx := t.Context()
		existing := newCustomer(tenant, g.customer(), phone(83))
		seed(t, b, existing)
		before := allChanges(t, b, tenant)

		// A create that hits ErrAlreadyExists after other writes.
		w := newWorld(g, tenant, 84)
		err := b.Update(ctx, func(tx storage.Tx) error {
			if err := writeAll(ctx, tx, w); err != nil {
				t.Errorf("writing the records: %v", err)
			}
			return tx.CreateCustomer(ctx, existing)
		})
		wantKind(t, "Update whose last create hit a taken ID", err, storage.ErrAlreadyExists)
		for _, r := range w.records() {
			if a, ok := aggregateOf(r); ok {
				_, err := a.get(ctx, b, tenant, r)
				wantKind(t, "Get"+a.name+" written before a failed create in the same Update", err, storage.ErrNotFound)
			}
		}
		if got, err := b.ConsentByAddress(ctx, tenant, w.addr); wantNoErr(t, "ConsentByAddress", err) && len(got) != 0 {
			t.Errorf("an event appended before a failed create in the same Update is visible")
		}

		// An update that hits ErrConflict after another update and a create.
		other := newCustomer(tenant, g.customer(), phone(85))
		err = b.Update(ctx, func(tx storage.Tx) error {
			c := existing
			c.Revision = 1
			c.Source = "changed in a failed transaction"
			if _, err := tx.UpdateCustomer(ctx, c); err != nil {
				t.Errorf("first update: %v", err)
			}
			if err := tx.CreateCustomer(ctx, other); err != nil {
				t.Errorf("create: %v", err)
			}
			_, err := tx.UpdateCustomer(ctx, c) // revision 1 is stale now
			return err
		})
		wantKind(t, "Update whose last write was stale", err, storage.ErrConflict)
		if got, err := b.GetCustomer(ctx, tenant, existing.ID); wantNoErr(t, "GetCustomer", err) {
			if got.Revision != 1 || got.Source != existing.Source {
				t.Errorf("an update in a failed transaction is visible: Revision %d, Source %q", got.Revision, got.Source)
			}
		}
		_, err = b.GetCustomer(ctx, tenant, other.ID)
		wantKind(t, "GetCustomer of a customer created in a failed transaction", err, storage.ErrNotFound)

		// A delete in a transaction whose fn fails.
		err = b.Update(ctx, func(tx storage.Tx) error {
			if err := tx.DeleteCustomer(ctx, tenant, existing.ID, 1); err != nil {
				t.Errorf("delete: %v", err)
			}
			return errBoom
		})
		if !errors.Is(err, errBoom) {
			t.Errorf("Update returned %v, want fn's error %v", err, errBoom)
		}
		if _, err := b.GetCustomer(ctx, tenant, existing.ID); err != nil {
			t.Errorf("GetCustomer after a rolled-back delete: %v", err)
		}
		if got, err := b.CustomersByAddress(ctx, tenant, existing.ContactPoints[0].Address); wantNoErr(t, "CustomersByAddress", err) && len(got) != 1 {
			t.Errorf("CustomersByAddress after a rolled-back delete: %d customers, want 1", len(got))
		}

		if after := allChanges(t, b, tenant); len(after) != len(before) {
			t.Errorf("failed transactions changed the feed from%s\nto%s", showChanges(before), showChanges(after))
		}
	})
}
