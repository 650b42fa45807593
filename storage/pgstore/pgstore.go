package pgstore

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/storage"
)

// Options configure [Open]. The zero value (or a nil *Options) gives the
// defaults documented on each field.
type Options struct {
	// Pool is a connection pool the caller made and owns; Open then takes
	// no DSN (pass ""), and Close leaves the pool open. Without it, Open
	// makes a pool from the DSN and Close closes it.
	Pool *pgxpool.Pool
	// MaxConns caps the pool Open makes; 0 means pgxpool's default
	// (max(4, runtime.NumCPU()), or pool_max_conns in the DSN). Negative is
	// rejected; it must be 0 with Pool.
	MaxConns int32
	// Schema is the PostgreSQL schema holding the tables: Open sets it as
	// the search_path of the pool it makes. "" keeps the server's
	// search_path (normally "public"). It must be "" with Pool: configure
	// the search_path of your own pool.
	Schema string
}

// Backend is a storage.Backend over a PostgreSQL database, through a pgx
// connection pool. It is safe for concurrent use by many goroutines and
// starts no goroutines of its own (the pool it makes runs pgxpool's health
// checks).
type Backend struct {
	pool    *pgxpool.Pool
	ownPool bool
	reader  // reads of committed data, through the pool

	closed    atomic.Bool
	closeOnce sync.Once
	closeErr  error
}

var (
	_ storage.Backend    = (*Backend)(nil)
	_ storage.BulkWriter = (*Backend)(nil)
	_ storage.HeadReader = (*Backend)(nil)
)

// Open connects to the PostgreSQL server named by dsn, a URL
// ("postgres://user@host:5432/db?sslmode=disable") or a key=value
// connection string as pgx accepts it; or, with Options.Pool, uses the
// caller's pool. It does not create or change the schema: call
// [Backend.Migrate] once after Open (it is idempotent) before using a new
// or upgraded database. Open fails if the database's schema is newer than
// this package knows.
//
// ctx bounds the opening itself (connecting and checking the schema
// version), not the Backend's lifetime. Close the Backend when done.
func Open(ctx context.Context, dsn string, opts *Options) (*Backend, error) {
	const op = "pgstore.Open"
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.MaxConns < 0 {
		return nil, storage.E(op, storage.ErrInvalidArgument, errors.New("negative MaxConns"))
	}
	b := &Backend{pool: o.Pool}
	if o.Pool != nil {
		if dsn != "" || o.MaxConns != 0 || o.Schema != "" {
			return nil, storage.E(op, storage.ErrInvalidArgument, errors.New("with Options.Pool, the DSN, MaxConns and Schema must be empty"))
		}
	} else {
		if dsn == "" {
			return nil, storage.E(op, storage.ErrInvalidArgument, errors.New("empty DSN"))
		}
		cfg, err := pgxpool.ParseConfig(dsn)
		if err != nil {
			// pgconn's parse errors leave the password out.
			return nil, storage.E(op, storage.ErrInvalidArgument, err)
		}
		if o.MaxConns > 0 {
			cfg.MaxConns = o.MaxConns
		}
		if o.Schema != "" {
			cfg.ConnConfig.RuntimeParams["search_path"] = pgx.Identifier{o.Schema}.Sanitize()
		}
		pool, err := pgxpool.NewWithConfig(ctx, cfg)
		if err != nil {
			return nil, mapErr(ctx, op, err)
		}
		b.pool, b.ownPool = pool, true
	}
	b.reader = reader{run: poolRunner{b}}
	fail := func(err error) (*Backend, error) {
		if b.ownPool {
			b.pool.Close()
		}
		return nil, err
	}
	version, err := b.schemaVersion(ctx, b.pool)
	if err != nil {
		return fail(mapErr(ctx, op, err))
	}
	files, err := migrationFiles()
	if err != nil {
		return fail(storage.E(op, nil, err))
	}
	if version > len(files) {
		return fail(storage.E(op, nil, fmt.Errorf("schema version %d is newer than this package's %d", version, len(files))))
	}
	return b, nil
}

// Pool returns the connection pool the Backend uses, for the caller's own
// queries (and monitoring: Pool().Stat()). Closing it is the Backend's
// job when Open made it.
func (b *Backend) Pool() *pgxpool.Pool { return b.pool }

// Close closes the pool when Open made it, waiting for connections in use
// to be returned. Calls that start after Close fail with storage.ErrClosed.
// Close is idempotent and returns nil.
func (b *Backend) Close() error {
	b.closeOnce.Do(func() {
		b.closed.Store(true)
		if b.ownPool {
			b.pool.Close()
		}
	})
	return b.closeErr
}

// check is called on entry to every method.
func (b *Backend) check(ctx context.Context, op string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if b.closed.Load() {
		return storage.E(op, storage.ErrClosed, nil)
	}
	return nil
}

// rollbackTimeout bounds the rollback of a failed Update, which runs even
// when the Update's ctx is done.
const rollbackTimeout = 5 * time.Second

// Update runs fn in one READ COMMITTED transaction on one pooled
// connection; see storage.Backend.
//
// The first statement fn makes about a tenant (a read or a write) first
// locks the tenant's change counter row, and the lock is held to commit or
// rollback: a tenant's Updates run one at a time from that point, so fn
// sees no other transaction's writes to the tenant part-way, a "find or
// create" inside fn cannot race another, and the tenant's change records
// are numbered in commit order (see the package documentation). Updates of
// different tenants run in parallel; reads through the Backend never wait.
// An fn that touches several tenants locks them in the order it touches
// them, so two such Updates can deadlock: PostgreSQL then aborts one, which
// fails with storage.ErrConflict.
//
// fn must use tx, not b: a read through b from inside fn sees committed
// data only, and a nested b.Update runs its function on another
// connection, whose first statement about a tenant this Update holds waits
// for it, so it fails with its ctx's error having written nothing.
//
// A write that fails with ErrAlreadyExists, ErrConflict or ErrNotFound
// leaves the transaction usable; any other failure of a statement aborts
// it (PostgreSQL refuses further statements), so fn should return the
// error. Update returns fn's error unchanged (after rolling back), ctx's
// error when ctx is done before the commit, storage.ErrClosed after Close,
// or the commit's failure as a *storage.Error. When the connection is lost
// during COMMIT, whether the transaction committed is unknown.
func (b *Backend) Update(ctx context.Context, fn func(tx storage.Tx) error) error {
	const op = "pgstore.Update"
	if err := b.check(ctx, op); err != nil {
		return err
	}
	pgTx, err := b.pool.Begin(ctx)
	if err != nil {
		return b.mapErr(ctx, op, err)
	}
	t := &tx{b: b, pgTx: pgTx}
	t.reader = reader{run: t}
	committed := false
	defer func() {
		t.done.Store(true)
		if !committed {
			// Even when ctx is done: the connection goes back to the pool
			// clean, or pgx closes it.
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), rollbackTimeout)
			_ = pgTx.Rollback(rctx)
			cancel()
		}
	}()
	if err := fn(t); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := t.saveCounters(ctx); err != nil {
		return b.mapErr(ctx, op, err)
	}
	if err := pgTx.Commit(ctx); err != nil {
		return b.mapErr(ctx, op, err)
	}
	committed = true
	return nil
}

// PostgreSQL error codes the storage errors are made from.
const (
	codeUniqueViolation       = "23505"
	codeSerializationFailure  = "40001"
	codeDeadlockDetected      = "40P01"
	codeCharacterNotInRepert  = "22021" // e.g. a NUL byte in text
	codeUntranslatableChar    = "22P05" // e.g. \u0000 in jsonb
	codeProgramLimitExceeded  = "54000" // e.g. an index row too large
	codeInvalidTextRepr       = "22P02"
	codeStringDataRightTrunc  = "22001"
	codeNumericValueOutOfRang = "22003"
	codeDatetimeFieldOverflow = "22008"
)

// mapErr maps a native error to the storage error model: ctx errors are
// returned as they are; pgx.ErrNoRows becomes ErrNotFound, a unique
// violation ErrAlreadyExists, a serialization failure or deadlock
// ErrConflict, data the server cannot store ErrInvalidArgument, a use of a
// finished transaction ErrClosed; the native error is kept as the cause.
func mapErr(ctx context.Context, op string, err error) error {
	if err == nil {
		return nil
	}
	if cerr := ctx.Err(); cerr != nil {
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
	case errors.Is(err, pgx.ErrNoRows):
		return storage.E(op, storage.ErrNotFound, err)
	case errors.Is(err, pgx.ErrTxClosed):
		return storage.E(op, storage.ErrClosed, err)
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case codeUniqueViolation:
			return storage.E(op, storage.ErrAlreadyExists, err)
		case codeSerializationFailure, codeDeadlockDetected:
			return storage.E(op, storage.ErrConflict, err)
		case codeCharacterNotInRepert, codeUntranslatableChar, codeProgramLimitExceeded, codeInvalidTextRepr,
			codeStringDataRightTrunc, codeNumericValueOutOfRang, codeDatetimeFieldOverflow:
			return storage.E(op, storage.ErrInvalidArgument, err)
		}
	}
	return storage.E(op, nil, err)
}

// mapErr is the package's mapErr, reporting ErrClosed for failures of a
// pool closed by Close.
func (b *Backend) mapErr(ctx context.Context, op string, err error) error {
	if err != nil && b.closed.Load() && ctx.Err() == nil {
		var se *storage.Error
		if !errors.As(err, &se) {
			return storage.E(op, storage.ErrClosed, err)
		}
	}
	return mapErr(ctx, op, err)
}

// querier is what both the pool and a transaction run SQL with.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// runner runs SQL for a reader: through the pool or through a transaction.
type runner interface {
	// enter checks ctx and that the runner may still be used, and, in a
	// transaction, locks the tenant (see Update).
	enter(ctx context.Context, op string, tenant dealer.Tenant) error
	db() querier
	mapErr(ctx context.Context, op string, err error) error
}

// poolRunner reads committed data through the pool.
type poolRunner struct{ b *Backend }

func (r poolRunner) enter(ctx context.Context, op string, _ dealer.Tenant) error {
	return r.b.check(ctx, op)
}
func (r poolRunner) db() querier { return r.b.pool }
func (r poolRunner) mapErr(ctx context.Context, op string, err error) error {
	return r.b.mapErr(ctx, op, err)
}

// tx is the storage.Tx of one Update.
type tx struct {
	reader
	b    *Backend
	pgTx pgx.Tx
	done atomic.Bool
	// counters holds the tenants locked so far, in lock order, with the
	// last seq handed out in this transaction and the stored one.
	counters []counter
}

type counter struct {
	tenant       dealer.Tenant
	stored, last int64
}

func (t *tx) db() querier { return t.pgTx }
func (t *tx) mapErr(ctx context.Context, op string, err error) error {
	return t.b.mapErr(ctx, op, err)
}

func (t *tx) enter(ctx context.Context, op string, tenant dealer.Tenant) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if t.done.Load() {
		return storage.E(op, storage.ErrClosed, errors.New("transaction used after its Update returned"))
	}
	if tenant == "" {
		return nil // nothing of no tenant is stored; the method reports it
	}
	if t.counter(tenant) != nil {
		return nil
	}
	var last int64
	err := t.pgTx.QueryRow(ctx, sqlLockCounter, string(tenant)).Scan(&last)
	if errors.Is(err, pgx.ErrNoRows) {
		// The tenant's first write: create the row, or wait for the
		// transaction creating it.
		err = t.pgTx.QueryRow(ctx, sqlLockTenant, string(tenant)).Scan(&last)
	}
	if err != nil {
		return t.mapErr(ctx, op, err)
	}
	t.counters = append(t.counters, counter{tenant: tenant, stored: last, last: last})
	return nil
}

func (t *tx) counter(tenant dealer.Tenant) *counter {
	for i := range t.counters {
		if t.counters[i].tenant == tenant {
			return &t.counters[i]
		}
	}
	return nil
}

// nextSeq hands out the tenant's next change seq; enter has locked the
// tenant.
func (t *tx) nextSeq(tenant dealer.Tenant) int64 {
	c := t.counter(tenant)
	c.last++
	return c.last
}

// saveCounters stores the last seq of every tenant whose changes were
// numbered without storing it (the bulk writes' COPY).
func (t *tx) saveCounters(ctx context.Context) error {
	for i := range t.counters {
		c := &t.counters[i]
		if c.last == c.stored {
			continue
		}
		if _, err := t.pgTx.Exec(ctx, sqlSaveCounter, string(c.tenant), c.last); err != nil {
			return err
		}
		c.stored = c.last
	}
	return nil
}

var (
	// sqlLockCounter locks the tenant's counter row and reads its last
	// seq. Waiters queue on the row's tuple lock, and the commit of the
	// holder wakes one of them.
	sqlLockCounter = `SELECT last_seq FROM change_counters WHERE tenant_id = $1 FOR UPDATE`
	// sqlLockTenant locks the tenant's counter row (creating it on the
	// tenant's first write) and reads its last seq. ON CONFLICT DO UPDATE
	// locks the existing row, waiting for a transaction that holds it.
	sqlLockTenant = `INSERT INTO change_counters AS c (tenant_id, last_seq) VALUES ($1, 0)
		ON CONFLICT (tenant_id) DO UPDATE SET last_seq = c.last_seq RETURNING last_seq`
	// sqlSaveCounter is an upsert rather than an UPDATE so that it finds
	// the row through the primary key whatever the table's size.
	sqlSaveCounter = `INSERT INTO change_counters AS c (tenant_id, last_seq) VALUES ($1, $2)
		ON CONFLICT (tenant_id) DO UPDATE SET last_seq = EXCLUDED.last_seq`
	// sqlInsertChange appends a change record and stores its seq as the
	// tenant's last in the same statement (one round trip fewer while the
	// tenant is locked).
	sqlInsertChange = `WITH counter AS (INSERT INTO change_counters AS c (tenant_id, last_seq) VALUES ($1, $2)
		ON CONFLICT (tenant_id) DO UPDATE SET last_seq = EXCLUDED.last_seq)
		INSERT INTO changes (tenant_id, seq, entity, id, op, revision) VALUES ($1, $2, $3, $4, $5, $6)`
)

// record appends the change record of a write.
func (t *tx) record(ctx context.Context, op string, tenant dealer.Tenant, entity storage.Entity, id string, what storage.Op, revision int64) error {
	c := t.counter(tenant)
	seq := c.last + 1
	if _, err := t.pgTx.Exec(ctx, sqlInsertChange, string(tenant), seq, string(entity), id, string(what), revision); err != nil {
		return t.mapErr(ctx, op, err)
	}
	c.last, c.stored = seq, seq
	return nil
}

// reader implements storage.Reader over a runner.
type reader struct {
	run runner
}

// pageLimit applies the contract's limit rules: zero or less means 100, and
// a page holds at most 1000.
func pageLimit(limit int) int {
	switch {
	case limit <= 0:
		return 100
	case limit > 1000:
		return 1000
	}
	return limit
}
