package sqlitestore

import (
	"context"
	"database/sql"
	"errors"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/rapportcim/rapport/storage"
)

// closedCause turns database/sql's "database is closed" into ErrClosed when
// the Backend was closed concurrently.
func (b *Backend) closedCause(err error) error {
	if b.closed.Load() {
		return storage.E("sqlitestore", storage.ErrClosed, err)
	}
	return err
}

// mapErr maps a native error to the storage error model: ctx errors are
// returned as they are; sql.ErrNoRows becomes ErrNotFound, a primary key or
// unique violation ErrAlreadyExists, a finished transaction ErrClosed; the
// native error is kept as the cause.
func mapErr(ctx context.Context, op string, err error) error {
	if err == nil {
		return nil
	}
	if cerr := ctx.Err(); cerr != nil {
		// An interrupted statement (sqlite3_interrupt on ctx done) reports
		// SQLITE_INTERRUPT; the caller wants ctx's own error.
		return cerr
	}
	var se *storage.Error
	if errors.As(err, &se) {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return storage.E(op, storage.ErrNotFound, err)
	case errors.Is(err, sql.ErrTxDone), errors.Is(err, sql.ErrConnDone):
		return storage.E(op, storage.ErrClosed, err)
	}
	var le *sqlite.Error
	if errors.As(err, &le) {
		switch le.Code() {
		case sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY, sqlite3.SQLITE_CONSTRAINT_UNIQUE:
			return storage.E(op, storage.ErrAlreadyExists, err)
		}
	}
	return storage.E(op, nil, err)
}
