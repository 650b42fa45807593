// Package storagetest is the conformance suite for rapport storage backends:
// the checks every implementation of [storage.Backend] must pass, so that
// code written against one backend behaves the same on every other.
//
// A backend runs the suite from one test:
//
//	func TestConformance(t *testing.T) {
//		storagetest.Run(t, func(t *testing.T) storage.Backend {
//			b := mybackend.New(…) // fresh and empty
//			t.Cleanup(func() { b.Close() })
//			return b
//		})
//	}
//
// # What it checks
//
// Each check is a subtest of [Run], with a fresh backend, and states why it
// exists when it fails:
//
//   - Revisions: Create stores Revision 1; Update stores and returns the next
//     revision; missing, taken and stale keys fail with ErrNotFound,
//     ErrAlreadyExists and ErrConflict inside a *storage.Error, for every
//     aggregate; a duplicate consent event ID fails with ErrAlreadyExists.
//   - CanceledContext: every read and write with a canceled context returns
//     context.Canceled and writes nothing.
//   - DefensiveCopies: changing a value after writing it, or after reading
//     it, never changes what is stored.
//   - TenantIsolation: no read, lookup, list, cursor, update or delete of one
//     tenant reaches another tenant's records; two tenants may hold the same
//     ID.
//   - ConcurrentWriters: read-modify-write cycles from many goroutines,
//     retried on ErrConflict, lose no update (run the suite with -race).
//   - Pagination: keyset pages have no gaps or duplicates while records are
//     inserted, in the documented orders; the default limit; the last page's
//     empty cursor; malformed and foreign cursors fail with
//     ErrInvalidCursor.
//   - AtomicUpdate: an Update whose fn fails, panics or has a write fail
//     leaves nothing behind, not even change records; a panic is re-raised.
//   - ConsentLedger: no method changes or removes an event; events come back
//     in append order, by address line and by customer.
//   - ChangeFeed: one change per write, in commit order, pageable, pollable,
//     nothing from rolled-back transactions, every change seen exactly once
//     by a follower polling while writers commit.
//   - TimesUTCMicrosecond: every time comes back as the same instant, in UTC.
//   - Lookups: by address line, external ID, VIN and household member, kept
//     up to date by updates and deletes.
//   - Timelines: scopes, filters and the (OccurredAt desc, ID desc) order.
//   - CommitmentsAndConversations: commitment queries in (Due, ID) order and
//     a customer's conversations by status.
//   - ConversationLists: Conversations filters (rooftops and statuses any-of,
//     owner, team, pending handoff) in (OpenedAt, ID) order, following
//     updates and rollbacks; the default and capped limits; cursors refused
//     by another tenant and by the commitments list.
//   - ReviewQueue: AwaitingReview keeps the interactions with a flag not yet
//     reviewed, alone and with the scope and filter fields; a flag added by
//     an update puts an interaction in, reviewing its last flag takes it
//     out, a rolled-back flag leaves no trace.
//   - Closed: calls after Close fail with ErrClosed; Close is idempotent.
//   - RoundTrip: every field of every record, including enum values unknown
//     to this version, comes back reflect.DeepEqual.
//   - Fidelity: records whose every field is generated from edge values
//     (decomposed accents, emoji, BOMs, control characters, 4 KB text,
//     times before 1970 and in 9999, extreme integers, odd map keys) come
//     back byte for byte from every read.
//   - EmptyLists: empty lists and maps are stored as none and read as nil.
//   - InvalidText: a write of text that is not valid UTF-8 or holds NUL
//     fails with ErrInvalidArgument (a *storage.TextError naming the field)
//     and stores nothing.
//   - CallsFromInsideUpdate: a read or a nested Update on the Backend from
//     inside an Update's function never sees its writes and never blocks
//     past its own ctx; a nested Update either gives up without running or
//     runs as a separate transaction, as storage.Backend.Update defines.
//   - TenantIsolation/ChangeSeqsPerTenant: another tenant's writes do not
//     change a tenant's change seqs.
//
// # Through the Book
//
// The checks named Book/… run through rapport.Book over the backend, as
// applications use it (go-cloud's driver suites test through the portable
// type in the same way): what a write returns is what the next read
// returns, with edge-case text; the Book's errors (rapport.ErrNotFound,
// ErrConflict, ErrClosed, a cancelled ctx) inside a *rapport.Error; a Book
// bound to one tenant reads nothing of another; timelines longer than a
// page and the change feed yield every record once, in order. storagetest
// imports the root package for them; the root package's tests are an
// external test package, so they may import storagetest without a cycle.
// The entry point is unchanged: [Run] runs both kinds of check.
//
// The fixtures are deterministic (IDs from a counter, fixed times) and
// fictional (+1 212 555-01xx numbers, example.com addresses). Times are
// written at microsecond precision, as the Book writes them.
//
// Backends must not validate records beyond what the contract requires:
// some fixtures are deliberately unusual (an interaction of a kind from a
// newer version carrying every kind of detail) to prove that nothing is
// dropped.
package storagetest
