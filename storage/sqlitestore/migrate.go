package sqlitestore

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

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
	if fill := backfills[path.Base(files[version])]; fill != nil {
		if err := fill(ctx, tx); err != nil {
			return false, mapErr(ctx, op, fmt.Errorf("%s: %w", files[version], err))
		}
	}
	if _, err := tx.ExecContext(ctx, "PRAGMA user_version = "+strconv.Itoa(version+1)); err != nil {
		return false, mapErr(ctx, op, err)
	}
	if err := tx.Commit(); err != nil {
		return false, mapErr(ctx, op, err)
	}
	return false, nil
}

// backfills are the Go steps of migrations whose rows SQL cannot compute,
// run after the file's SQL in its transaction.
var backfills = map[string]func(context.Context, *sql.Tx) error{
	"0006_line_touches.sql":     backfillTouches,
	"0007_commitments_done.sql": backfillDoneAt,
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
