package sqlitestore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/rapportcim/rapport/storage"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Migrations holds the schema as numbered SQL files ("migrations/0001_init.sql",
// …), applied in name order by [Backend.Migrate]. It is exported so that
// operators can review or apply the schema with their own tools; the file
// names and contents of released versions never change, new versions only
// add files.
var Migrations fs.FS = migrations

// Synchronous is the PRAGMA synchronous setting of the writer connection: how
// hard a commit waits for the disk. See the package documentation, section
// Durability.
type Synchronous string

const (
	// SynchronousFull (the default) syncs the write-ahead log on every
	// commit: an acknowledged write survives a process crash and a power
	// loss or operating-system crash.
	SynchronousFull Synchronous = "FULL"
	// SynchronousNormal syncs only at checkpoints: an acknowledged write
	// survives a process crash (kill -9, panic, OOM kill), but the last
	// commits before a power loss or operating-system crash may be lost.
	// The database is never corrupted either way.
	SynchronousNormal Synchronous = "NORMAL"
)

// Options configure [Open]. The zero value (or a nil *Options) gives the
// defaults documented on each field.
type Options struct {
	// Synchronous is the writer's durability level; "" means
	// SynchronousFull. Any other value than the two constants is rejected.
	Synchronous Synchronous
	// ReadConns is the size of the read-only connection pool that serves
	// reads outside Update; 0 means max(4, runtime.NumCPU()). Negative is
	// rejected.
	ReadConns int
	// BusyTimeout is how long a connection waits for a lock held by another
	// process (another program with the same file open) before failing; 0
	// means 5 seconds. Negative is rejected.
	BusyTimeout time.Duration
}

// Backend is a storage.Backend over one SQLite database file. It holds one
// writer connection, used for every [Backend.Update] in turn (BEGIN
// IMMEDIATE), and a pool of read-only connections for reads of committed
// data. A Backend is safe for concurrent use by many goroutines; it starts
// no goroutines of its own.
type Backend struct {
	writer  *sql.DB
	readers *sql.DB
	wstmts  *stmtCache
	rstmts  *stmtCache
	reader  // reads of committed data, through the reader pool

	closed    atomic.Bool
	closeOnce sync.Once
	closeErr  error
}

var (
	_ storage.Backend    = (*Backend)(nil)
	_ storage.BulkWriter = (*Backend)(nil)
)

// schemaVersion is the number of migrations this package knows.
func schemaVersion() (int, error) {
	files, err := migrationFiles()
	if err != nil {
		return 0, err
	}
	return len(files), nil
}

// Open opens (creating it if missing) the SQLite database file at path. It
// does not create or change the schema: call [Backend.Migrate] once after
// Open (it is idempotent) before using a new or upgraded file. Open fails if
// the file's schema is newer than this package knows.
//
// ctx bounds the opening itself (connecting and checking the schema
// version), not the Backend's lifetime. Close the Backend when done.
func Open(ctx context.Context, path string, opts *Options) (*Backend, error) {
	const op = "sqlitestore.Open"
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var o Options
	if opts != nil {
		o = *opts
	}
	switch o.Synchronous {
	case "":
		o.Synchronous = SynchronousFull
	case SynchronousFull, SynchronousNormal:
	default:
		return nil, storage.E(op, storage.ErrInvalidArgument, fmt.Errorf("unknown synchronous setting %q", string(o.Synchronous)))
	}
	if o.ReadConns < 0 || o.BusyTimeout < 0 {
		return nil, storage.E(op, storage.ErrInvalidArgument, errors.New("negative ReadConns or BusyTimeout"))
	}
	if o.ReadConns == 0 {
		o.ReadConns = max(4, runtime.NumCPU())
	}
	if o.BusyTimeout == 0 {
		o.BusyTimeout = 5 * time.Second
	}
	if path == "" {
		return nil, storage.E(op, storage.ErrInvalidArgument, errors.New("empty path"))
	}

	busy := strconv.FormatInt(max(1, (o.BusyTimeout+time.Millisecond-1).Milliseconds()), 10) // rounded up
	name := fileURI(path)
	writerDSN := name + "?_pragma=busy_timeout(" + busy + ")" +
		"&_pragma=journal_mode(WAL)" +
		"&_pragma=synchronous(" + string(o.Synchronous) + ")" +
		"&_txlock=immediate"
	readerDSN := name + "?_pragma=busy_timeout(" + busy + ")" +
		"&_pragma=query_only(1)"

	writer, err := sql.Open("sqlite", writerDSN)
	if err != nil {
		return nil, storage.E(op, nil, err)
	}
	writer.SetMaxOpenConns(1)
	writer.SetMaxIdleConns(1)
	writer.SetConnMaxIdleTime(0)
	writer.SetConnMaxLifetime(0)
	// The writer connects first, so the file exists and is in WAL mode
	// before any reader opens it.
	var mode string
	if err := writer.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		writer.Close()
		return nil, mapErr(ctx, op, err)
	}
	if !strings.EqualFold(mode, "wal") {
		writer.Close()
		return nil, storage.E(op, nil, fmt.Errorf("journal_mode is %q, not wal", mode))
	}
	var version int
	if err := writer.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		writer.Close()
		return nil, mapErr(ctx, op, err)
	}
	known, err := schemaVersion()
	if err != nil {
		writer.Close()
		return nil, storage.E(op, nil, err)
	}
	if version > known {
		writer.Close()
		return nil, storage.E(op, nil, fmt.Errorf("schema version %d is newer than this package's %d", version, known))
	}

	readers, err := sql.Open("sqlite", readerDSN)
	if err != nil {
		writer.Close()
		return nil, storage.E(op, nil, err)
	}
	readers.SetMaxOpenConns(o.ReadConns)
	readers.SetMaxIdleConns(o.ReadConns)
	if err := readers.PingContext(ctx); err != nil {
		writer.Close()
		readers.Close()
		return nil, mapErr(ctx, op, err)
	}

	b := &Backend{
		writer:  writer,
		readers: readers,
		wstmts:  newStmtCache(writer),
		rstmts:  newStmtCache(readers),
	}
	b.reader = reader{run: &dbRunner{b: b, stmts: b.rstmts}}
	return b, nil
}

// fileURI turns a file path into an SQLite "file:" URI (without query),
// escaping the characters that URIs reserve.
func fileURI(p string) string {
	r := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")
	return "file:" + r.Replace(p)
}

// Close closes the connection pools; the last connection to close
// checkpoints the write-ahead log into the database file. Calls that start
// after Close fail with storage.ErrClosed; an Update already running
// finishes or fails with ErrClosed. Close is idempotent and returns the
// first call's error on every call.
func (b *Backend) Close() error {
	b.closeOnce.Do(func() {
		b.closed.Store(true)
		b.rstmts.close()
		b.wstmts.close()
		err1 := b.readers.Close()
		err2 := b.writer.Close()
		b.closeErr = errors.Join(err1, err2)
		if b.closeErr != nil {
			b.closeErr = storage.E("sqlitestore.Close", nil, b.closeErr)
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

// Migrate brings the schema up to the version this package knows, applying
// the missing files of [Migrations] in order, each in its own write
// transaction together with its PRAGMA user_version bump. It is idempotent
// and safe against concurrent Migrate calls from this or other processes
// (the write lock serializes them). It fails if the file's schema is newer
// than this package knows.
func (b *Backend) Migrate(ctx context.Context) error {
	const op = "sqlitestore.Migrate"
	if err := b.check(ctx, op); err != nil {
		return err
	}
	files, err := migrationFiles()
	if err != nil {
		return storage.E(op, nil, err)
	}
	for {
		done, err := b.migrateOne(ctx, files)
		if err != nil {
			return err
		}
		if done {
			return nil
		}
	}
}

// migrateOne applies the next missing migration, reporting done when there
// was none.
func (b *Backend) migrateOne(ctx context.Context, files []string) (done bool, err error) {
	const op = "sqlitestore.Migrate"
	tx, err := b.writer.BeginTx(ctx, nil)
	if err != nil {
		return false, mapErr(ctx, op, err)
	}
	defer tx.Rollback()
	var version int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return false, mapErr(ctx, op, err)
	}
	if version > len(files) {
		return false, storage.E(op, nil, fmt.Errorf("schema version %d is newer than this package's %d", version, len(files)))
	}
	if version == len(files) {
		return true, nil
	}
	script, err := fs.ReadFile(migrations, files[version])
	if err != nil {
		return false, storage.E(op, nil, err)
	}
	if _, err := tx.ExecContext(ctx, string(script)); err != nil {
		return false, mapErr(ctx, op, fmt.Errorf("%s: %w", files[version], err))
	}
	if _, err := tx.ExecContext(ctx, "PRAGMA user_version = "+strconv.Itoa(version+1)); err != nil {
		return false, mapErr(ctx, op, err)
	}
	if err := tx.Commit(); err != nil {
		return false, mapErr(ctx, op, err)
	}
	return false, nil
}

// migrationFiles lists the migration files in order; file N (from 1) brings
// the schema to user_version N.
func migrationFiles() ([]string, error) {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	for i, n := range names {
		num, _, ok := strings.Cut(path.Base(n), "_")
		if v, err := strconv.Atoi(num); !ok || err != nil || v != i+1 {
			return nil, fmt.Errorf("migration %s is out of sequence", n)
		}
	}
	return names, nil
}

// Update runs fn in one write transaction (BEGIN IMMEDIATE on the writer
// connection); see storage.Backend. Updates run one at a time: a second
// Update waits for the first to finish (bounded by its ctx). fn must not call
// b.Update itself (that would wait for itself); it may read through b, which
// sees only committed data.
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
	if err.Error() == "sql: database is closed" {
		// database/sql's errDBClosed is not exported.
		return storage.E(op, storage.ErrClosed, err)
	}
	return storage.E(op, nil, err)
}

// runner runs SQL for a reader: through the reader pool or through a write
// transaction.
type runner interface {
	// enter checks ctx and that the runner may still be used.
	enter(ctx context.Context, op string) error
	query(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	queryRow(ctx context.Context, q string, args ...any) *sql.Row
}

// stmtCache holds prepared statements of one *sql.DB by SQL text. Shapes
// are bounded (queries with a variable number of placeholders are cached up
// to maxStmts in total; beyond that they run unprepared).
//
// The writer's statements are all prepared at once, by prepareAll before a
// transaction begins: preparing on a *sql.DB takes a connection, and the
// writer's only connection is held by the transaction while it runs.
type stmtCache struct {
	db       *sql.DB
	mu       sync.Mutex
	m        map[string]*sql.Stmt
	prepared atomic.Bool // prepareAll succeeded
}

// prepareAll prepares every statement in qs. A failure (a file not migrated
// yet) leaves the statements unprepared, to be run as plain SQL, and
// prepareAll tries again on its next call.
func (c *stmtCache) prepareAll(ctx context.Context, qs []string) {
	if c.prepared.Load() {
		return
	}
	for _, q := range qs {
		if _, err := c.get(ctx, q); err != nil {
			return
		}
	}
	c.prepared.Store(true)
}

// peek returns the cached statement for q, or nil.
func (c *stmtCache) peek(q string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[q]
}

const maxStmts = 512

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, m: make(map[string]*sql.Stmt)}
}

// get returns the prepared statement for q, or nil when the cache is full.
func (c *stmtCache) get(ctx context.Context, q string) (*sql.Stmt, error) {
	c.mu.Lock()
	s, ok := c.m[q]
	full := len(c.m) >= maxStmts
	c.mu.Unlock()
	if ok {
		return s, nil
	}
	if full {
		return nil, nil
	}
	s, err := c.db.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.m[q]; ok {
		s.Close()
		return old, nil
	}
	c.m[q] = s
	return s, nil
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.prepared.Store(false)
	for q, s := range c.m {
		s.Close()
		delete(c.m, q)
	}
}

// dbRunner reads committed data through the reader pool.
type dbRunner struct {
	b     *Backend
	stmts *stmtCache
}

func (r *dbRunner) enter(ctx context.Context, op string) error { return r.b.check(ctx, op) }

func (r *dbRunner) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	s, err := r.stmts.get(ctx, q)
	if err != nil {
		return nil, r.b.closedCause(err)
	}
	if s == nil {
		return r.stmts.db.QueryContext(ctx, q, args...)
	}
	rows, err := s.QueryContext(ctx, args...)
	return rows, r.b.closedCause(err)
}

func (r *dbRunner) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	s, err := r.stmts.get(ctx, q)
	if err != nil || s == nil {
		// QueryRowContext reports a prepare failure through Scan.
		return r.stmts.db.QueryRowContext(ctx, q, args...)
	}
	return s.QueryRowContext(ctx, args...)
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

func (t *tx) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	s, err := t.stmt(ctx, q)
	if err != nil || s == nil {
		return t.sqlTx.QueryRowContext(ctx, q, args...)
	}
	return s.QueryRowContext(ctx, args...)
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

// staticSQL lists every fixed SQL text, prepared once per connection pool.
var staticSQL []string

// static registers a fixed SQL text in staticSQL and returns it. It is only
// called from package-level variable initializers.
func static(q string) string {
	staticSQL = append(staticSQL, q)
	return q
}

// sqlInsertChange appends a change record with the tenant's next seq.
// (ORDER BY … LIMIT 1 rather than MAX: SQLite's min/max optimization does
// not apply inside COALESCE, and MAX would scan the tenant's changes.)
var sqlInsertChange = static(`INSERT INTO changes (tenant_id, seq, entity, id, op, revision) VALUES` +
	` (?1, COALESCE((SELECT seq FROM changes WHERE tenant_id = ?1 ORDER BY seq DESC LIMIT 1), 0) + 1, ?2, ?3, ?4, ?5)`)

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
