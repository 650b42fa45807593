package storagetest

import (
	"context"
	"errors"
	"testing"

	"github.com/rapportcim/rapport/storage"
)

func checkCanceledContext(t *testing.T, b storage.Backend) {
	g := new(ids)
	w := newWorld(g, tenantA, 30)
	seed(t, b, w.records()...)
	canceled, cancel := context.WithCancel(t.Context())
	cancel()

	wantCanceled := func(t *testing.T, what string, err error) {
		t.Helper()
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a canceled context: got error %v, want context.Canceled (errors.Is)", what, err)
		}
	}

	t.Run("Reads", func(t *testing.T) {
		for _, c := range readCalls(w) {
			wantCanceled(t, c.name, c.fn(canceled, b))
		}
	})

	t.Run("ReadsInTx", func(t *testing.T) {
		err := update(t.Context(), b, func(tx storage.Tx) error {
			for _, c := range readCalls(w) {
				wantCanceled(t, "Tx."+c.name, c.fn(canceled, tx))
			}
			return nil
		})
		wantNoErr(t, "Update around canceled reads", err)
	})

	t.Run("Update", func(t *testing.T) {
		c := newCustomer(tenantA, g.customer(), phone(31))
		err := update(canceled, b, func(tx storage.Tx) error { return tx.CreateCustomer(canceled, c) })
		wantCanceled(t, "Update", err)
		_, err = b.GetCustomer(t.Context(), tenantA, c.ID)
		wantKind(t, "GetCustomer of a customer created in an Update with a canceled context", err, storage.ErrNotFound)
	})

	t.Run("Writes", func(t *testing.T) {
		ctx := t.Context()
		for _, wc := range writeCalls(g, w) {
			err := update(ctx, b, func(tx storage.Tx) error { return wc.fn(canceled, tx) })
			wantCanceled(t, "Tx."+wc.name, err)
		}
		// Nothing was written: the world is as seeded.
		for _, r := range w.records() {
			a, ok := aggregateOf(r)
			if !ok {
				continue
			}
			got, err := a.get(ctx, b, tenantA, r)
			if wantNoErr(t, "Get"+a.name+" after canceled writes", err) && a.revision(got) != 1 {
				t.Errorf("Get%s after canceled writes: Revision %d, want 1", a.name, a.revision(got))
			}
		}
		events, err := b.ConsentByAddress(ctx, tenantA, w.addr)
		if wantNoErr(t, "ConsentByAddress after canceled writes", err) && len(events) != 1 {
			t.Errorf("ConsentByAddress after a canceled append: %d events, want 1", len(events))
		}
		if got := allChanges(t, b, tenantA); len(got) != len(w.records()) {
			t.Errorf("change feed after canceled writes: %d changes, want the %d of the setup:%s", len(got), len(w.records()), showChanges(got))
		}
	})
}

func checkClosed(t *testing.T, b storage.Backend) {
	g := new(ids)
	w := newWorld(g, tenantA, 32)
	seed(t, b, w.records()...)

	if err := b.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if err := b.Close(); err != nil && !errors.Is(err, storage.ErrClosed) {
		t.Errorf("second Close: %v, want nil (Close is idempotent)", err)
	}
	ctx := t.Context()
	for _, c := range readCalls(w) {
		if err := c.fn(ctx, b); !errors.Is(err, storage.ErrClosed) {
			t.Errorf("%s after Close: got error %v, want ErrClosed (errors.Is)", c.name, err)
		}
	}
	err := update(ctx, b, func(tx storage.Tx) error {
		return tx.CreateCustomer(ctx, newCustomer(tenantA, g.customer(), phone(33)))
	})
	if !errors.Is(err, storage.ErrClosed) {
		t.Errorf("Update after Close: got error %v, want ErrClosed (errors.Is)", err)
	}
	if err := b.Close(); err != nil && !errors.Is(err, storage.ErrClosed) {
		t.Errorf("third Close: %v, want nil (Close is idempotent)", err)
	}
}
