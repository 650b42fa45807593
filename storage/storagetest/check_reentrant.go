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
// write; the nested Update either waits and fails with the deadline
// without running its function (single-writer backends) or runs as a
// separate transaction that does not see the outer one's writes
// (backends with concurrent writers); neither blocks past its deadline;
// and the outer transaction then commits normally.
func checkCallsFromInsideUpdate(t *testing.T, b storage.Backend) {
	g := new(ids)
	ctx := t.Context()
	mine := newCustomer(tenantA, g.customer(), phone(60))
	nested := newCustomer(tenantA, g.customer(), phone(61))
	nestedRan, nestedWaited := false, false
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
		nestedErr = b.Update(nctx, func(tx storage.Tx) error {
			nestedRan = true
			// A nested Update that runs is another transaction: it must
			// not see the outer one's uncommitted write. A backend that
			// locks per tenant (pgstore) makes its first call about the
			// tenant wait for the outer one instead.
			_, err := tx.GetCustomer(nctx, tenantA, mine.ID)
			switch {
			case errors.Is(err, context.DeadlineExceeded):
				nestedWaited = true
				return err
			case !errors.Is(err, storage.ErrNotFound):
				t.Errorf("a nested Update's read of the outer transaction's uncommitted write: got %v, want ErrNotFound (or context.DeadlineExceeded: it waited)", err)
			}
			return tx.CreateCustomer(nctx, nested)
		})
		cancel()
		switch {
		case nestedErr == nil:
			// A backend with concurrent writers ran it as another
			// goroutine's Update would run.
		case errors.Is(nestedErr, context.DeadlineExceeded):
			if nestedRan && !nestedWaited {
				t.Error("a nested Update that waited past its deadline ran its function beyond a first call that waited")
			}
		default:
			t.Errorf("a nested Update from inside Update: got %v, want context.DeadlineExceeded (it waited) or nil (it ran as a separate transaction)", nestedErr)
		}
		if waited := time.Since(start); waited > reentrantWait+5*time.Second {
			t.Errorf("a nested Update blocked %v, past its deadline", waited)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("the outer Update failed after the calls from inside it: %v", err)
	}
	if _, err := b.GetCustomer(ctx, tenantA, mine.ID); err != nil {
		t.Errorf("the outer transaction's write after commit: %v", err)
	}
	_, err = b.GetCustomer(ctx, tenantA, nested.ID)
	if nestedErr == nil {
		wantNoErr(t, "the write of a nested Update that committed", err)
	} else {
		wantKind(t, "the write of a nested Update that gave up", err, storage.ErrNotFound)
	}
}
