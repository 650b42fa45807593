package sqlitestore

import (
	"context"
	"database/sql"
	"sync"
	"sync/atomic"
)

// Prepared statements and the runners that execute SQL for reads.

// runner runs SQL for a reader: through the reader pool or through a write
// transaction.
type runner interface {
	// enter checks ctx and that the runner may still be used.
	enter(ctx context.Context, op string) error
	query(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	queryRow(ctx context.Context, q string, args ...any) row
}

// stmtCache holds prepared statements of one *sql.DB by SQL text. Shapes
// are bounded (queries with a variable number of placeholders are cached up
// to maxStmts in total; beyond that they run unprepared).
//
// The writer's statements are all prepared at once, by prepareAll before a

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

func (r *dbRunner) queryRow(ctx context.Context, q string, args ...any) row {
	s, err := r.stmts.get(ctx, q)
	if err != nil || s == nil {
		// QueryRowContext reports a prepare failure through Scan.
		return row{r.stmts.db.QueryRowContext(ctx, q, args...), r.b}
	}
	return row{s.QueryRowContext(ctx, args...), r.b}
}

// row is a *sql.Row whose Scan reports a Backend closed while the query ran
// as ErrClosed (database/sql's own "database is closed" error is not
// exported, so it cannot be matched; the Backend's closed flag can).
type row struct {
	r *sql.Row
	b *Backend
}

func (x row) Scan(dest ...any) error { return x.b.closedCause(x.r.Scan(dest...)) }

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
