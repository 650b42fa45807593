package storagetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/rapportcim/rapport/storage"
)

// reentrantWait bounds each call made from inside an Update's function; a
// backend that waits for the running Update must give up when it passes.
const reentrantWait = 100 * time.Millisecond

// checkCallsFromInsideUpdate makes, from inside an Update's function, a read
// and a nested Update on the Backend itself, each with a short deadline,
// and requires what storage.Backend.Update defines: the read returns
// committed data or fails with the deadline, never the transaction's own
// write; the nested Update fails with the deadline, writing nothing (its
// function does not run, or its first write about the tenant the outer
// Update holds waits and fails with the deadline); neither blocks past its
// deadline; and the outer transaction then commits normally.
func checkCallsFromInsideUpdate(t *testing.T, b storage.Backend) {
	g := new(ids)
	ctx := t.Context()
	mine := newCustomer(tenantA, g.customer(), phone(60))
	nested := newCustomer(tenantA, g.customer(), phone(61))
	nestedRan := false
	var nestedErr error
	err := b.Update(ctx, func(tx storage.Tx) error {
		if err := tx.CreateCustomer(ctx, mine); err != nil {
			return err
		}

		rctx, cancel := context.WithTimeout(ctx, reentrantWait)
		start := time.Now()
		got, err := b.GetCustomer(rctx, tenantA, mine.ID)
		cancel()
		switch {
		case err == nil:
			t.Errorf("GetCustomer on the Backend from inside Update returned the transaction's uncommitted write (%s)", got.ID)
		case errors.Is(err, storage.ErrNotFound), errors.Is(err, context.DeadlineExceeded):
		default:
			t.Errorf("GetCustomer on the Backend from inside Update: got %v, want ErrNotFound (committed data) or context.DeadlineExceeded", err)
		}
		if waited := time.Since(start); waited > reentrantWait+5*time.Second {
			t.Errorf("GetCustomer from inside Update blocked %v, past its deadline", waited)
		}

		nctx, cancel := context.WithTimeout(ctx, reentrantWait)
		start = time.Now()
		err = b.Update(nctx, func(tx storage.Tx) error {
			nestedRan = true
			nestedErr = tx.CreateCustomer(nctx, nested)
			return nestedErr
		})
		cancel()
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("a nested Update from inside Update: got %v, want context.DeadlineExceeded", err)
		}
		if waited := time.Since(start); waited > reentrantWait+5*time.Second {
			t.Errorf("a nested Update blocked %v, past its deadline", waited)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("the outer Update failed after the calls from inside it: %v", err)
	}
	if nestedRan && !errors.Is(nestedErr, context.DeadlineExceeded) {
		t.Errorf("the nested Update ran its function and its write about the tenant the outer one held returned %v "+
			"instead of waiting for the outer Update (context.DeadlineExceeded)", nestedErr)
	}
	if _, err := b.GetCustomer(ctx, tenantA, mine.ID); err != nil {
		t.Errorf("the outer transaction's write after commit: %v", err)
	}
	_, err = b.GetCustomer(ctx, tenantA, nested.ID)
	wantKind(t, "the nested Update's write", err, storage.ErrNotFound)
}
