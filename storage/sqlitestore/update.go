package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"sync/atomic"

	"github.com/rapportcim/rapport/storage"
)

// Write transactions: Update and the storage.Tx it passes to fn.

// Update runs fn in one write transaction (BEGIN IMMEDIATE on the writer
// connection); see storage.Backend. Updates run one at a time: a second
// Update waits for the first to finish (bounded by its ctx). fn should use
// only tx; as storage.Backend.Update defines, a read through b from inside
// fn serves committed data (never fn's writes), and a nested b.Update waits
// for this one, so it fails with its ctx's error once that ctx is done.
//
// Update returns fn's error unchanged (after rolling back), ctx's error
// when ctx is done before the commit, storage.ErrClosed after Close, or the
// commit's failure as a *storage.Error. When it returns nil, the
// transaction is committed with the durability of Options.Synchronous.
func (b *Backend) Update(ctx context.Context, fn func(tx storage.Tx) error) (err error) {
	const op = "sqlitestore.Update"
	if err := b.check(ctx, op); err != nil {
		return err
	}
	b.wstmts.prepareAll(ctx, staticSQL)
	sqlTx, err := b.writer.BeginTx(ctx, nil)
	if err != nil {
		return mapErr(ctx, op, b.closedCause(err))
	}
	t := &tx{b: b, sqlTx: sqlTx}
	t.reader = reader{run: t}
	committed := false
	defer func() {
		t.done.Store(true)
		if !committed {
			sqlTx.Rollback()
		}
	}()
	if err := fn(t); err != nil {
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return mapErr(ctx, op, b.closedCause(err))
	}
	committed = true
	return nil
}

// tx is the storage.Tx of one Update.
type tx struct {
	reader
	b     *Backend
	sqlTx *sql.Tx
	done  atomic.Bool
}

func (t *tx) enter(ctx context.Context, op string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if t.done.Load() {
		return storage.E(op, storage.ErrClosed, errors.New("transaction used after its Update returned"))
	}
	return nil
}

// stmt returns the writer's prepared statement for q bound to the
// transaction, or nil when q is run unprepared (it is not one of the static
// statements, or they could not be prepared).
func (t *tx) stmt(ctx context.Context, q string) (*sql.Stmt, error) {
	s := t.b.wstmts.peek(q)
	if s == nil {
		return nil, nil
	}
	return t.sqlTx.StmtContext(ctx, s), nil
}

func (t *tx) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	s, err := t.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return t.sqlTx.QueryContext(ctx, q, args...)
	}
	return s.QueryContext(ctx, args...)
}

func (t *tx) queryRow(ctx context.Context, q string, args ...any) row {
	s, err := t.stmt(ctx, q)
	if err != nil || s == nil {
		return row{t.sqlTx.QueryRowContext(ctx, q, args...), t.b}
	}
	return row{s.QueryRowContext(ctx, args...), t.b}
}

func (t *tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	s, err := t.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return t.sqlTx.ExecContext(ctx, q, args...)
	}
	return s.ExecContext(ctx, args...)
}

// change appends a change record.
func (t *tx) change(ctx context.Context, tenant string, entity storage.Entity, id string, op storage.Op, revision int64) error {
	_, err := t.exec(ctx, sqlInsertChange, tenant, string(entity), id, string(op), revision)
	return err
}
