// Package storage is the contract between rapport.Book and the engines that
// store its records. Application code uses rapport.Book; this package is for
// people writing or testing a backend.
//
// The backends in this module are storage/memstore (in memory: the embedded
// default and the test fake) and storage/sqlitestore (a SQLite file). Every
// backend runs the conformance suite in storage/storagetest.
//
// # Implementer's checklist
//
// A backend must:
//
//  1. Implement [Backend]: the [Reader] interfaces for reads of committed
//     data, and [Backend.Update] for atomic read-write transactions whose
//     [Tx] offers every reader and writer. Assert it at compile time:
//     var _ storage.Backend = (*Backend)(nil).
//  2. Take ctx first in every method, check it on entry, and return
//     ctx.Err() itself (not wrapped in *Error) when it is done.
//  3. Be safe for concurrent use by many goroutines: every method may be
//     called concurrently with every other, including Update.
//  4. Keep tenants apart: every read is filtered by the tenant argument and
//     every write is stored under the record's own Tenant. No ID, lookup key
//     or cursor from one tenant may reach another tenant's records. Record
//     keys are (tenant, ID): two tenants may hold the same ID.
//  5. Copy values in and out: nothing the caller does to a value after a
//     write or after a read may change what is stored.
//  6. Enforce revisions: Create* stores Revision 1 and fails with
//     [ErrAlreadyExists] when the key is taken; Update* and Delete* fail with
//     [ErrNotFound] when the record is missing and [ErrConflict] when the
//     stored revision is not the one given, and otherwise store revision+1.
//     A stale write never overwrites silently.
//  7. Keep the consent ledger append-only, and decisions about household
//     suggestions ([SuggestionWriter]) and merge records ([MergeWriter])
//     write-once: a second write under a key fails with [ErrAlreadyExists].
//     The one exception is erasure, [ErasureWriter], narrow and recorded.
//  8. Append one [Change] per write in the same transaction, and serve
//     [ChangeReader.Changes] in commit order, each change exactly once,
//     never exposing a change while an earlier-ordered one is still
//     uncommitted.
//  9. Page with keyset [Cursor]s made by [TimeIDCursor], [IDCursor] or
//     [SeqCursor] for the tenant and list, rejecting foreign or malformed
//     cursors with [ErrInvalidCursor]. The change feed's cursors are
//     SeqCursor(tenant, [ChangesList], seq), so that [Change.Cursor] works.
//     A limit of zero or less means 100;
//     backends may cap a page at 1000. The last page returns the empty
//     cursor (except the change feed, which returns a cursor to poll from).
//  10. Store times in UTC at microsecond precision or better; return them in
//     UTC. (The Book truncates to microseconds before writing.)
//  11. Serve lookups by normalized address line
//     ([CustomerReader.CustomersByAddress],
//     [ConsentReader.ConsentByAddress]), by external ID and by VIN from
//     indexes, and timelines in (OccurredAt desc, ID desc) order.
//  12. Report failures with the canonical sentinels ([ErrNotFound],
//     [ErrAlreadyExists], [ErrConflict], [ErrClosed], [ErrInvalidCursor],
//     [ErrInvalidArgument], [ErrCorrupt]) inside an [*Error] that keeps the
//     native cause; [E] builds one. Each method's errors are listed on
//     [Backend] and on the method. A record that cannot be decoded is
//     [ErrCorrupt] naming it ([CorruptError]); it fails a Get, and a list
//     returns the other records with the error beside them, and a cursor
//     past it.
//  13. Store every string byte for byte (no Unicode normalization, no
//     trimming, no replacement), and an empty list or map as none (read
//     back as nil, as JSON with omitempty gives), and refuse, with [CheckText] on every
//     write, the text that some engine could not keep: invalid UTF-8 and
//     NUL. The suite's Fidelity check writes records whose every field holds
//     an edge value and compares what is read back.
//  14. Start no goroutines of its own, and apply schemas only when asked
//     (an explicit Migrate), never silently when opened.
//  15. Define calls made on the Backend from inside an Update's function as
//     [Backend.Update] does: never the transaction's writes, never blocked
//     past ctx.
//
// # Optional capabilities
//
// [BulkWriter] loads many records in one atomic call, for loaders of
// existing records; the Book does not use it (Book.Import batches inside
// transactions). Without it, the same work is one [Backend.Update] calling
// the Tx's Create methods one by one. [StatisticsUpdater] refreshes a
// query planner's statistics after such a load (Book.Import calls it after
// large imports).
//
// [LineStateReader] gives everything a consent check reads about an
// address line in one call, from state kept current by every write; and
// [LineSendsReader] the sends to a line whoever they were recorded for,
// which a backend without the line state needs so that frequency caps
// count per line. The Book's differential test holds the line state to the
// Reader path.
//
// [HeadReader] pages through interactions' heads (interaction.Head) without
// decoding whole records; Book.Brief uses it for long histories. Without
// it, the Book reads Interactions and takes each record's head. The
// Timelines check of storagetest holds a backend that has it to the heads
// of exactly what Interactions gives.
//
// [HistoryReader], on a Backend, reads whole conversations in bulk for
// rapport's Book.Metrics; [CustomerBatcher], on a Tx, batches the lookups
// and creates of Book.Import's transactions. The Book looks for each with
// a type assertion and, without it, makes the same reads and writes
// through the required methods, with the same results.
//
// # Calls from inside Update
//
// The function passed to [Backend.Update] must use only its Tx. A call on
// the Backend itself from inside it never sees the transaction's writes,
// and never blocks past its own ctx: reads serve committed data or wait
// (then fail with ctx's error), and a nested Update waits (then fails with
// ctx's error) or, on a backend with concurrent writers, runs as a separate
// transaction. See [Backend.Update].
package storage
