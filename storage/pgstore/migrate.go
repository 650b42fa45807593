package pgstore

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/rapportcim/rapport/storage"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Migrations holds the schema as numbered SQL files ("migrations/0001_init.sql",
// …), applied in name order by [Backend.Migrate]. It is exported so that
// operators can review the schema or apply it with their own tools; the
// file names and contents of released versions never change, new versions
// only add files.
var Migrations fs.FS = migrations

// migrateLockKey is the first key of the session advisory lock that
// serializes Migrate calls (the second is the schema's name hashed, so
// that schemas migrate independently).
const migrateLockKey = 0x72617070 // "rapp"

// migrateLockTimeout bounds how long a migration waits for a table lock
// (ALTER TABLE on a table that a long transaction is reading): it fails
// instead of queueing, because every other statement on that table would
// queue behind it.
const migrateLockTimeout = "5s"

// The migrations ledger: one row per applied file. It has no key (every
// key in the schema leads with tenant_id, and this is not tenant data); the
// advisory lock keeps it free of duplicates.
const (
	sqlCreateLedger = `CREATE TABLE IF NOT EXISTS rapport_migrations (
	version    integer     NOT NULL,
	applied_at timestamptz NOT NULL DEFAULT now()
)`
	sqlLedgerVersion = `SELECT COALESCE(max(version), 0) FROM rapport_migrations`
	sqlHasLedger     = `SELECT to_regclass('rapport_migrations') IS NOT NULL`
)

// schemaVersion reads the number of applied migrations (0 in an empty
// schema).
func (b *Backend) schemaVersion(ctx context.Context, q querier) (int, error) {
	var has bool
	if err := q.QueryRow(ctx, sqlHasLedger).Scan(&has); err != nil || !has {
		return 0, err
	}
	var v int
	err := q.QueryRow(ctx, sqlLedgerVersion).Scan(&v)
	return v, err
}

// Migrate brings the schema up to the version this package knows, applying
// the missing files of [Migrations] in order, each in its own transaction
// together with its row in the rapport_migrations ledger. It is idempotent
// and safe to call from several processes at once: a session advisory
// lock (pg_advisory_lock) lets one of them migrate while the others wait,
// and then find nothing to do. Each migration waits at most 5 seconds for
// a table lock (lock_timeout) and fails rather than stall the tables'
// traffic behind it; migrations that build indexes on large existing
// tables belong in their own files and run outside peak hours. It fails
// if the schema is newer than this package knows.
func (b *Backend) Migrate(ctx context.Context) error {
	const op = "pgstore.Migrate"
	if err := b.check(ctx, op); err != nil {
		return err
	}
	files, err := migrationFiles()
	if err != nil {
		return storage.E(op, nil, err)
	}
	conn, err := b.pool.Acquire(ctx)
	if err != nil {
		return b.mapErr(ctx, op, err)
	}
	defer conn.Release()
	// A cancelled wait closes the connection, which releases the lock.
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1, hashtext(current_schema()))`, migrateLockKey); err != nil {
		return b.mapErr(ctx, op, err)
	}
	defer func() {
		uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), rollbackTimeout)
		defer cancel()
		if _, err := conn.Exec(uctx, `SELECT pg_advisory_unlock($1, hashtext(current_schema()))`, migrateLockKey); err != nil {
			// Unknown state: do not hand the connection back with the lock.
			conn.Conn().Close(uctx)
		}
	}()
	if _, err := conn.Exec(ctx, sqlCreateLedger); err != nil {
		return b.mapErr(ctx, op, err)
	}
	version, err := b.schemaVersion(ctx, conn)
	if err != nil {
		return b.mapErr(ctx, op, err)
	}
	if version > len(files) {
		return storage.E(op, nil, fmt.Errorf("schema version %d is newer than this package's %d", version, len(files)))
	}
	for ; version < len(files); version++ {
		script, err := fs.ReadFile(migrations, files[version])
		if err != nil {
			return storage.E(op, nil, err)
		}
		tx, err := conn.Begin(ctx)
		if err != nil {
			return b.mapErr(ctx, op, err)
		}
		_, err = tx.Exec(ctx, `SET LOCAL lock_timeout = '`+migrateLockTimeout+`'`)
		if err == nil {
			_, err = tx.Exec(ctx, string(script))
			if fill := backfills[path.Base(files[version])]; err == nil && fill != nil {
				err = fill(ctx, tx)
			}
			if err != nil {
				err = fmt.Errorf("%s: %w", files[version], err)
			}
		}
		if err == nil {
			_, err = tx.Exec(ctx, `INSERT INTO rapport_migrations (version) VALUES ($1)`, version+1)
		}
		if err == nil {
			err = tx.Commit(ctx)
		}
		if err != nil {
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), rollbackTimeout)
			_ = tx.Rollback(rctx)
			cancel()
			return b.mapErr(ctx, op, err)
		}
	}
	return nil
}

// backfills are the Go steps of migrations whose rows SQL cannot compute,
// run after the file's SQL in its transaction.
var backfills = map[string]func(context.Context, pgx.Tx) error{
	"0005_line_touches.sql":     backfillTouches,
	"0007_commitments_done.sql": backfillDoneAt,
}

// migrationFiles lists the migration files in order; file N (from 1) brings
// the schema to version N.
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
