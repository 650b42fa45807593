// Package pgstore is rapport's PostgreSQL backend: a [storage.Backend] over
// a PostgreSQL database through a pgx connection pool
// (github.com/jackc/pgx/v5, the maintained native Go driver; its binary
// protocol, COPY and pool are what this package is built on).
//
//	b, err := pgstore.Open(ctx, "postgres://rapport@db.example.com/crm", nil)
//	if err != nil { … }
//	defer b.Close()
//	if err := b.Migrate(ctx); err != nil { … } // once per deploy; idempotent
//	book, err := rapport.New(b, "acme-motors", nil)
//
// It is the backend for a vendor with many dealer groups: one
// server, or a tenant-distributed cluster (see "Past one machine").
// [Options.Pool] lets the caller pass a pool it configured itself (TLS,
// tracing, its own limits); [Options.Schema] puts the tables in a schema of
// their own.
//
// # Schema and migrations
//
// The schema is embedded as numbered SQL files ([Migrations]) and applied
// only by [Backend.Migrate], each file in its own transaction with its row
// in the rapport_migrations ledger. Migrate takes a session advisory lock
// first, so several processes may call it at once at start-up: one
// migrates, the others wait and find nothing to do. Each migration waits at
// most 5 seconds for a table lock (lock_timeout) and fails rather than
// queue every other statement on the table behind it. Open refuses a
// schema newer than the package.
//
// Every record is stored whole as a jsonb document next to the columns the
// queries filter and order on (tenant_id, IDs as uuid, times as
// timestamptz, enums as text), which every write keeps in step with the
// document. One column is computed by the server instead: customers.recipient
// (migration 6), generated from the document, holds as JSON text what a
// consent check reads of a customer, so that a campaign's checks
// (Book.CheckAll) read it rather than the whole document converted to text. Every primary key, unique constraint, index and foreign key
// leads with tenant_id, and there is no sequence: IDs are made by the
// application (UUIDv7) and change numbers by a per-tenant counter.
// TestCatalogLeadsWithTenant reads the catalog after Migrate and fails on
// any key or index that does not lead with tenant_id. The consent ledger
// (consent_events) and the change feed (changes) are append-only in the
// database: triggers make UPDATE, DELETE and TRUNCATE fail for every client,
// not only this package (TestAppendOnlyInDatabase).
//
// # What is written is what is read back
//
// A jsonb document is stored parsed, not as the text sent: key order, white
// space and duplicate keys are not kept, and numbers keep their value, not
// their spelling. The documents are encoding/json's output for a Go value
// and are read back into the same Go type, so the value read is the value
// written (storagetest's RoundTrip check compares them with
// reflect.DeepEqual, unknown enum values included). Times come back in
// UTC, at the precision written; the indexed time columns hold
// microseconds, as the cursors do. PostgreSQL text cannot hold a NUL
// character, and jsonb cannot hold \u0000: a write carrying one fails with
// storage.ErrInvalidArgument, as does any value the server refuses to
// store (the Book validates text before it gets here). A document that
// does not decode into its type (changed by another client, or written by
// an incompatible version) is storage.ErrCorrupt naming the record: a Get
// fails with it, a list returns the other records with it and a cursor
// past the damaged one (TestCorruptDocuments).
//
// # Transactions and concurrency
//
// [Backend.Update] runs fn in a READ COMMITTED transaction on one pooled
// connection. The first statement fn makes about a tenant locks that
// tenant's row in change_counters (SELECT … FOR UPDATE) until commit or
// rollback. So a tenant's Updates run one at a time from that point: fn
// sees no other transaction's writes to the tenant part-way, a "find the
// customer by phone, else create one" cannot race another, and writes of
// one tenant never wait on each other's row locks, so they cannot deadlock.
// Updates of different tenants run in parallel, and reads through the
// Backend (outside Update) never wait. A stale revision is reported as
// storage.ErrConflict; a create of a taken ID as storage.ErrAlreadyExists
// (INSERT … ON CONFLICT DO NOTHING, so the transaction stays usable).
//
// A cancelled or expired ctx makes pgx interrupt the statement in flight
// (even one waiting for a lock); Update rolls back, returns ctx's error,
// and the connection goes back to the pool or, if it cannot be trusted, is
// closed and replaced (TestCancelRollsBackAndReleases). A pool connection
// broken by a server restart is found on its next use and replaced: the
// calls in flight fail, later ones succeed without reopening the Backend
// (TestServerRestart). Update never retries fn by itself.
//
// # The change feed
//
// Every write appends a change record in its transaction. Sequence
// numbers handed out in one order can commit in another: with a global
// sequence, a follower that read up to seq 12 while the transaction
// holding seq 11 was still open would move its cursor past 11 and never see
// it. pgstore numbers changes with a per-tenant counter row instead: the
// tenant lock above is that row, held from the transaction's first
// statement about the tenant to its commit, so a tenant's transactions take
// their numbers and commit in the same order. PostgreSQL makes a
// transaction's commit visible before it releases its row locks, so when a
// reader sees seq n, every lower seq of the tenant is committed and
// visible too: a follower polling [Backend.Changes] never skips a change,
// and the numbers are 1, 2, 3, … without gaps per tenant.
// TestChangeFeedHeldTransaction holds a writing transaction open while
// later ones try to commit and a follower polls, and checks exactly that.
//
// The cost is that a tenant's writes are serialized: one tenant commits at
// most about 1 / (time from an Update's first statement to its commit)
// transactions per second — on a single server, about one commit's flush
// to disk plus a few round trips. Different tenants do not wait for each
// other, so the server's total scales with the tenants writing at once.
// BENCHMARKS.md ("PostgreSQL backend") has the figures for 1, 4 and 16 concurrent
// writers on one tenant and on separate tenants. The alternative,
// transaction-ID visibility (a global sequence plus pg_snapshot_xmin, as
// in logical replication feeds), lets one tenant's writers run in
// parallel, but needs a global sequence and a snapshot test on every poll,
// and does not carry over to a tenant-distributed cluster, where each
// shard has its own transaction IDs; the counter row lives in the tenant's
// shard and does.
//
// # Bulk loads
//
// [Backend.BulkCreateInteractions] and [Backend.BulkCreateCustomers]
// ([storage.BulkWriter]) write with COPY: one transaction that locks the
// tenants concerned (in sorted order), copies the records, their lookup
// rows and their change records, and commits. A taken or repeated ID fails
// the whole call with storage.ErrAlreadyExists.
//
// # Query plans
//
// Every list is a range of one index in the order it returns: timelines
// of one customer, household or conversation are a backward scan of
// (tenant_id, <scope>, occurred_at, id), so a page 10,000 rows deep costs
// what the first page does (keyset cursors, no OFFSET). TestQueryPlans
// records every statement the package runs for every Backend method and
// query variant, and for a Book story, on a schema loaded with many
// tenants, and checks each with EXPLAIN: no sequential scan, and no sort
// in a single-scope timeline.
//
// # Past one machine
//
// Every key leads with tenant_id and every query names one tenant, so the
// schema distributes by tenant without a redesign.
//
// Citus: distribute every table by tenant_id in one colocation group, so
// that a tenant's rows of every table are in one shard group:
//
//	SELECT create_distributed_table('customers', 'tenant_id');
//	SELECT create_distributed_table(t, 'tenant_id', colocate_with => 'customers')
//	FROM unnest(ARRAY['customer_addresses', 'customer_external_ids', 'consent_events',
//	  'interactions', 'conversations', 'commitments', 'households', 'household_members',
//	  'vehicles', 'changes', 'change_counters', 'suggestion_decisions', 'merges',
//	  'merge_customers', 'erasures', 'erased_events', 'line_touches']) AS t;
//
// and leave rapport_migrations on the coordinator (or make it a reference
// table). Every statement of the package filters on tenant_id = $1 (the
// timeline UNION on the same value in each branch), so the router planner
// sends it to one shard, and an Update of one tenant is a single-shard
// transaction: no two-phase commit, and the change counter row is in the
// same shard as the records it numbers. The foreign keys join colocated
// tables on (tenant_id, …), which Citus requires. The append-only triggers
// must exist on the shards: with Citus 11 or later, create them with
// citus.enable_unsafe_triggers on (they read nothing, so they are safe to
// run on shards), or with run_command_on_shards on older versions. Migrate
// is written for a single server; on Citus, apply [Migrations] and the
// distribution commands with your own deployment tooling. Queries across
// tenants (a vendor's reports) fan out to every shard; the Book makes none.
//
// CockroachDB and YugabyteDB speak the PostgreSQL protocol and pgx works
// with both; the schema needs these changes there. CockroachDB: drop the
// COLLATE "C" clauses (its strings already compare bytewise); Update's READ
// COMMITTED needs that isolation enabled (otherwise transactions run
// SERIALIZABLE and contention surfaces as 40001, which pgstore reports as
// storage.ErrConflict for the caller to retry); its advisory locks do not
// lock, so run Migrate from one process; the append-only triggers need a
// version with PL/pgSQL triggers, otherwise grant the application role only
// INSERT and SELECT on consent_events and changes. Its ranges split by
// primary key, and since keys lead with tenant_id, a tenant's rows stay
// together. YugabyteDB shards a primary key by a hash of its first column
// and orders the rest, which for (tenant_id, …) keys is exactly a tenant's
// rows together and in index order; triggers and PL/pgSQL work as in
// PostgreSQL. On both, every query names one tenant, so it reads one range
// or tablet.
//
// # Running the tests
//
// The tests that need a server run when RAPPORT_PG_DSN names one (each
// creates and drops a schema of its own); without it they skip, and the
// package's test run prints one line saying so. .ci/run starts a
// throwaway server and sets it (.ci/postgres.sh); TestServerRestart needs
// a server of its own, which it restarts while other packages' tests use
// theirs: RAPPORT_PG_RESTART_DSN names it and RAPPORT_PG_RESTART is a
// shell command that restarts it; .ci/postgres.sh starts it and sets both. The README's "PostgreSQL" section says how
// to run them against your own server.
package pgstore
