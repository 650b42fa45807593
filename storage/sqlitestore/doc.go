// Package sqlitestore is rapport's durable embedded backend: a
// [storage.Backend] over one SQLite database file, through
// modernc.org/sqlite (pure Go, no cgo; driver name "sqlite").
//
//	b, err := sqlitestore.Open(ctx, "/var/lib/acme/rapport.db", nil)
//	if err != nil { … }
//	defer b.Close()
//	if err := b.Migrate(ctx); err != nil { … }
//	book, err := rapport.New(b, "acme-motors", nil)
//
// It suits one process serving a hobbyist, a single rooftop or a small
// dealer group; a vendor with thousands of rooftops uses pgstore.
// The package imports the driver itself, so importing it registers
// "sqlite" with database/sql; the core packages of the module stay free of
// it.
//
// # Durability
//
// The database runs in WAL mode. A commit appends the transaction's pages to
// the write-ahead log; [Backend.Update] returns only after the commit.
// PRAGMA synchronous decides how long the commit waits for the disk, and is
// set with [Options.Synchronous]:
//
//   - [SynchronousFull] (the default) fsyncs the log on every commit. An
//     acknowledged write — an opt-out above all — survives a process crash
//     and a power loss or operating-system crash.
//   - [SynchronousNormal] fsyncs only when the log is checkpointed into the
//     database. An acknowledged write still survives a process crash (kill
//     -9, a panic, the OOM killer): the log is in the operating system's page
//     cache, which outlives the process. A power loss or kernel crash may
//     lose the last commits before it, never corrupt the file.
//
// The default is the safe one because a lost opt-out is a legal problem
// (TCPA), not an inconvenience. NORMAL is an opt-in for bulk imports and
// for hosts whose storage has its own power-loss protection: published
// SQLite measurements ("WAL + synchronous=NORMAL vs DELETE + FULL")
// report 3–4x the throughput of rollback journal + FULL on mixed
// workloads, with "the last commits can be lost on power loss, but the
// database is never corrupted". In this package's own benchmarks the
// cost of FULL is the fsync per commit (see BenchmarkAppendInteraction);
// batching writes (one Update for many records, or [Backend.BulkCreateInteractions])
// amortizes it under either setting.
//
// TestCrashSafety checks the process-crash guarantee under both settings:
// it kills a writing child process with SIGKILL at random moments and
// checks, after each kill, that every write the child had acknowledged is
// there, that no transaction is torn, and that PRAGMA integrity_check is
// "ok". Set RAPPORT_CRASH_KILLS=500 for a longer campaign.
//
// # Concurrency
//
// A Backend holds two connection pools:
//
//   - one writer connection (SetMaxOpenConns(1)), on which every
//     [Backend.Update] runs as BEGIN IMMEDIATE (the driver's
//     _txlock=immediate): the write lock is taken when the transaction
//     begins, so a transaction that reads and then writes never fails with
//     SQLITE_BUSY_SNAPSHOT half-way, and Updates run one after another in
//     the order they get the connection (waiting is bounded by their ctx);
//   - a pool of read-only connections (PRAGMA query_only, [Options.ReadConns],
//     default max(4, NumCPU)) for every read made outside an Update. In WAL
//     mode readers never block the writer nor each other, and each read
//     statement sees a consistent snapshot of committed data. Readers
//     read the database file through memory-mapped I/O (PRAGMA mmap_size,
//     the first 256 MiB) rather than a system call per page.
//
// busy_timeout ([Options.BusyTimeout], default 5s) covers other processes
// holding the lock. Reads through an Update's Tx run on the writer
// connection and see the transaction's own writes. From inside fn, a read
// through b serves committed data, and a nested b.Update waits for the
// running one until its ctx is done (see storage.Backend.Update).
//
// Because there is one writer, change seqs (each tenant's largest seq plus
// one, taken inside the writer's transactions; triggers keep changes from
// being removed, so no seq is reused) are in commit order, and a reader's
// snapshot holds every change up to some commit and none after it, so
// [Backend.Changes] never shows a gap that fills later. Seqs count each
// tenant's changes on its own (1, 2, 3, … per tenant): no counter is shared
// between tenants, as on a database distributed by tenant.
// The Backend starts no goroutines. Statements are prepared once per
// connection pool and reused.
//
// # Schema and migrations
//
// The schema ships as numbered SQL files in [Migrations] (embedded into
// the binary) and is applied only by an explicit [Backend.Migrate], never by
// Open. PRAGMA user_version records how many files have been applied;
// Migrate applies the missing ones, each in one transaction with its
// version bump, and is idempotent. Open refuses a file whose version is
// newer than the package knows.
//
// Migration 1 creates the tables; migration 2 adds the columns and indexes
// of the conversation lists and the review queue, filling them for
// existing rows from the stored documents (TestMigrateBackfills).
//
// Every table's primary key and every index lead with tenant_id. A record
// is stored whole as its encoding/json document (lossless: unknown enum
// values and attributes are kept) in a doc column, next to the columns that
// are indexed or filtered on:
//
//   - customers, with customer_addresses (one row per address line,
//     [channel.Address.Line]) and customer_external_ids (system
//     lower-cased) for the lookups;
//   - consent_events, append-only: triggers RAISE on UPDATE and DELETE, and
//     an event's seq is the seq of its change record;
//   - interactions, with one (tenant_id, scope, occurred_at DESC, id DESC)
//     index per timeline scope (customer, household, conversation), one for
//     the tenant's whole timeline, and partial indexes holding only the
//     interactions awaiting review (the review queue, whole and by
//     rooftop);
//   - conversations (indexed by customer, owner, team and status, then
//     opened_at, and a partial index of pending handoffs), commitments
//     (indexed by due, and by owner, team and customer then due),
//     households with household_members, vehicles (by VIN);
//   - changes, the change feed, clustered by (tenant_id, seq) and written
//     in the same transaction as the write it records; triggers RAISE on
//     UPDATE and DELETE.
//
// IDs are 16-byte BLOBs, compared with memcmp, so SQL order is ID order; a
// zero ID (none) is stored as NULL, and is matched by no lookup. Times in
// indexed columns are INTEGER unix microseconds; the documents keep times
// as RFC 3339 text, and every time read back is in UTC. Unique and primary
// key violations become [storage.ErrAlreadyExists], missing rows
// [storage.ErrNotFound], stale revisions [storage.ErrConflict], with the
// driver's *sqlite.Error kept as the cause.
//
// Every record query also selects the row's sort key and ID, so that a
// document that no longer decodes (damaged outside rapport) is reported as
// [storage.ErrCorrupt] naming the record ([storage.CorruptError]): a Get
// fails with it, a list returns the other records with it and a cursor past
// the damaged row (TestCorruptRecordsAreReportedAndSkipped). Reading a
// document never consults the phone-number metadata: an address stored in
// canonical form reads back as it was written
// (TestStoredAddressOutsideCurrentMetadata). Writes refuse text that JSON
// would alter ([storage.CheckText]).
//
// # Query plans
//
// Lists are keyset-paged with row values, never OFFSET: a timeline page is
//
//	SELECT doc FROM interactions
//	WHERE tenant_id = ? AND customer_id = ? AND (occurred_at, id) < (?, ?)
//	ORDER BY occurred_at DESC, id DESC LIMIT ?
//
// which SQLite runs as a range search of interactions_by_customer, already
// in order, so a page 10,000 rows deep costs what the first page costs. A
// timeline over several scopes (a household's members and the household
// itself) takes each scope's first page from its own index and sorts only
// those rows. TestQueryPlans runs EXPLAIN QUERY PLAN on every query the
// Book makes and fails if one does not use an index, or if a single-scope
// timeline or another ordered list needs a sort; go test -v -run
// TestQueryPlans prints the plans.
package sqlitestore
