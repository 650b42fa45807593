package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rapportcim/rapport/storage"
)

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
	_ storage.HeadReader = (*Backend)(nil)
)

// schemaVersion is the number of migrations this package knows.
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
		// Deleted and overwritten content is zeroed, so that what an
		// erasure (storage.ErasureWriter) removes leaves no bytes in the
		// file once the WAL is checkpointed.
		"&_pragma=secure_delete(1)" +
		"&_txlock=immediate"
	readerDSN := name + "?_pragma=busy_timeout(" + busy + ")" +
		"&_pragma=query_only(1)" +
		// Readers map up to the first 256 MiB of the file instead of
		// copying each page read into their page cache with a pread: a
		// campaign's lines (Book.CheckAll) are random reads all over a large
		// book, and the copies and system calls were a quarter of their CPU
		// time (BENCHMARKS.md, "Consent checks at campaign speed").
		"&_pragma=mmap_size(268435456)"

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
