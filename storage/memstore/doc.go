// Package memstore is the in-memory [storage.Backend]: the embedded default
// for programs that need no durability, and the fake every test of code
// above the storage layer can use (there is no separate mock). It passes
// the conformance suite in storage/storagetest, so code tested against it
// behaves the same on sqlitestore and pgstore.
//
//	b := memstore.New(nil)
//	defer b.Close()
//	// hand b to a rapport.Book, or to storagetest.Run
//
// Everything is lost when the Backend is closed or the process exits.
// memstore starts no goroutines and needs no Migrate.
//
// # Concurrency
//
// A Backend is safe for concurrent use by many goroutines. It has one
// readers-writer lock: reads outside a transaction take the read lock and
// run in parallel; [Backend.Update] takes the write lock for the whole
// transaction, so transactions run one at a time and are serializable, and
// a reader sees either all of a transaction's writes or none of them. A
// waiting Update keeps new readers out, so reads cannot starve writes.
//
// Waiting for the lock ends when the caller's context is done. The function
// passed to Update must do all of its work through the Tx it is given: a
// read or a nested Update on the Backend itself from inside it waits for the
// running Update, which waits for the function, so it fails with its ctx's
// error once that ctx is done (the behaviour [storage.Backend.Update]
// defines; Close from inside it deadlocks). Keep transactions short; every
// other call waits for them.
//
// Every method checks its context on entry and returns ctx.Err() itself
// when it is done. After [Backend.Close], every call fails with
// [storage.ErrClosed].
//
// # Copies
//
// Records are copied in and out, deeply: slices (contact points and their
// best-time windows, participants, findings, flags, members, stakeholders,
// postal address lines…), maps (attributes, external references) and
// pointer fields (an interaction's Call, Appointment, Survey, Referral,
// Post and Lifecycle, a conversation's PendingHandoff) are never shared
// with the caller.
// Changing a value after a write or after a read never changes what is
// stored. Lookup methods return fresh ID slices too.
//
// Times are stored as given (the Book truncates them to microseconds before
// writing) and converted to UTC on the way in, so every time read back is
// in UTC and carries no monotonic clock reading. Lists ordered by a time
// (timelines, commitments) order by its microsecond, as the cursors do, and
// then by ID.
//
// # Transactions
//
// Inside [Backend.Update], writes go straight into the stored maps and
// indexes, with an undo log; reads through the Tx therefore see the
// transaction's own writes. When fn returns an error or panics, or ctx is
// done by the time it returns, the undo log is replayed in reverse and
// nothing is left behind: no record, no index entry, no change. A panic
// continues after the rollback. When fn returns nil, the transaction's
// change records get their sequence numbers and are appended to the change
// feed, in the order the writes were made.
//
// # Revisions and errors
//
// Create methods store Revision 1 and require the given Revision to be 0,
// a Tenant and a non-zero ID (else [storage.ErrInvalidArgument]); an ID
// already taken in the tenant gives [storage.ErrAlreadyExists]. Update
// methods require the stored revision to equal the given one
// ([storage.ErrConflict]; [storage.ErrNotFound] when missing) and store and
// return revision+1. Errors are [*storage.Error] values naming the
// operation ("memstore.UpdateCustomer") and the sentinel.
//
// # Indexes and pages
//
// Customers are indexed by address line ([channel.Address.Line]) and by
// external ID (system lower-cased); consent events by address line and by
// subject customer, in append order; households by member; vehicles by VIN.
// Interactions are kept in (OccurredAt, ID) order per tenant, per customer,
// per household and per conversation, so a timeline page costs a binary
// search plus the page, however deep its cursor; the interactions awaiting
// review are also kept in a review queue of their own, in the same order.
// Conversations are kept in (OpenedAt, ID) order, and those with a pending
// handoff in a list of their own; commitments in (Due, ID) order. Every
// one of these lists is an index the undo log restores on rollback.
// Cursors are made with [storage.IDCursor], [storage.TimeIDCursor] and
// [storage.SeqCursor] for the lists "customers", "interactions",
// "conversations", "commitments" and "changes". A limit of zero or less
// means 100; a page holds at most 1000 records.
package memstore
