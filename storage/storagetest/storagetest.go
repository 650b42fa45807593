package storagetest

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

// Run runs the conformance suite: one subtest per check, each against a
// fresh, empty backend from newBackend. newBackend registers whatever
// cleanup the backend needs with t.Cleanup (closing it, removing files);
// the suite may already have closed it by then, so a second Close must be
// harmless, as [storage.Backend] requires.
//
// A failing check logs why the behaviour it checks matters, after its
// failures.
//
// The checks named "Book/…" run through rapport.Book over the backend, as
// applications use it (see the Book mode in book.go); the others call the
// backend directly.
func Run(t *testing.T, newBackend func(t *testing.T) storage.Backend) {
	t.Helper()
	for _, c := range append(checks[:len(checks):len(checks)], bookChecks...) {
		t.Run(c.name, func(t *testing.T) {
			b := newBackend(t)
			if b == nil {
				t.Fatal("setup: newBackend returned nil")
			}
			defer func() {
				if t.Failed() {
					t.Logf("why this check exists: %s", c.explanation)
				}
			}()
			c.run(t, b)
		})
	}
}

// A check is one conformance test, with the reason it exists.
type check struct {
	name        string
	explanation string
	run         func(t *testing.T, b storage.Backend)
}

var checks = []check{
	{
		name: "Revisions",
		explanation: "optimistic concurrency is how the Book keeps two writers from silently overwriting each other: " +
			"a create stores revision 1, an update stores and returns the next revision, and a missing, taken or stale " +
			"key fails with a sentinel (inside a *storage.Error) that callers match with errors.Is",
		run: checkRevisions,
	},
	{
		name: "CanceledContext",
		explanation: "a caller that gives up (a closed HTTP request, a shutdown) must get context.Canceled back from " +
			"every read and write, not a result or a storage error, so that it can tell cancellation from failure",
		run: checkCanceledContext,
	},
	{
		name: "DefensiveCopies",
		explanation: "callers keep and change the values they pass in and get back; a backend that shares slices, maps " +
			"or pointers with them lets a caller's edit change stored data behind the revision check",
		run: checkDefensiveCopies,
	},
	{
		name: "TenantIsolation",
		explanation: "one backend serves many dealer groups: no ID, lookup key or cursor of one tenant may read, list, " +
			"page into, change or delete another tenant's records, and two tenants may hold the same ID",
		run: checkTenantIsolation,
	},
	{
		name: "ConcurrentWriters",
		explanation: "an inbound text and a salesperson's edit update the same customer at once; with retries on " +
			"ErrConflict every update must land exactly once and none may be lost (run with -race)",
		run: checkConcurrentWriters,
	},
	{
		name: "Pagination",
		explanation: "lists are paged with keyset cursors while records keep arriving: a walk must see every record " +
			"that existed when it started exactly once, in the documented order, with no gaps or duplicates; a limit " +
			"of zero means the default page; the last page returns the empty cursor; foreign cursors are refused",
		run: checkPagination,
	},
	{
		name: "AtomicUpdate",
		explanation: "workflows such as receive and merge write several records in one Update; when fn returns an " +
			"error, panics, or one of its writes fails, none of its writes may be visible, not even in the change feed",
		run: checkAtomicUpdate,
	},
	{
		name: "CallsFromInsideUpdate",
		explanation: "code that calls the Backend instead of the Tx inside an Update (a helper that was handed the " +
			"wrong value) must neither see uncommitted writes nor hang the process: storage.Backend.Update defines " +
			"that such a read returns committed data or gives up with its ctx, and a nested Update gives up with its " +
			"ctx without running",
		run: checkCallsFromInsideUpdate,
	},
	{
		name: "ConsentLedger",
		explanation: "consent is legal evidence: the ledger can only be appended to, and an opt-out must be found " +
			"again by the line it was given on (whatever the extension) and by customer, in the order it was recorded",
		run: checkConsentLedger,
	},
	{
		name: "ChangeFeed",
		explanation: "vendors follow the change feed to stay in sync: a follower must see every committed write " +
			"exactly once, in commit order, with the right entity, op, ID and revision, and nothing from rolled-back " +
			"work, even while writers commit concurrently",
		run: checkChangeFeed,
	},
	{
		name: "TimesUTCMicrosecond",
		explanation: "times are compared and ordered across backends (PostgreSQL keeps microseconds): a time must " +
			"come back as the same instant, in UTC, at microsecond precision, whatever zone it was written in",
		run: checkTimes,
	},
	{
		name: "Lookups",
		explanation: "inbound messages are matched to customers by address line, imports by external ID and VIN, " +
			"households by member: the indexes behind these lookups must follow every create, update and delete",
		run: checkLookups,
	},
	{
		name: "Timelines",
		explanation: "staff read one timeline per customer or household: the union of scopes, the filters and the " +
			"(OccurredAt desc, ID desc) order, ties included, must be the same on every backend",
		run: checkTimelines,
	},
	{
		name: "CommitmentsAndConversations",
		explanation: "overdue lists and a customer's open conversations drive the day's work: the query fields must " +
			"filter as documented, in the documented order",
		run: checkCommitmentsAndConversations,
	},
	{
		name: "ConversationLists",
		explanation: "the inbox, a team's queue, the snoozed conversations to wake and the handoffs nobody accepted are " +
			"pages of Conversations: every field of the query must filter as documented (any-of for rooftops and " +
			"statuses), in (OpenedAt, ID) order with ties broken by ID, following updates, paged without gaps or " +
			"duplicates, and never showing, or letting a cursor reach, another tenant's conversations",
		run: checkConversationLists,
	},
	{
		name: "ReviewQueue",
		explanation: "a manager reviews the flagged interactions (sensitive data, watched phrases) of their rooftops: " +
			"an interaction must enter the queue as soon as a flag not yet reviewed is added, whether on create or " +
			"update, leave it as soon as its last such flag is reviewed, combine with the scope and filter fields " +
			"like any other filter, and a rolled-back flag must leave no trace in the queue",
		run: checkReviewQueue,
	},
	{
		name: "Closed",
		explanation: "after Close every call must fail with ErrClosed rather than panic or touch released resources, " +
			"and a second Close (a deferred one after an explicit one) must be harmless",
		run: checkClosed,
	},
	{
		name: "RoundTrip",
		explanation: "a backend that drops or alters a field loses data silently: every field of every record, " +
			"including enum values from newer versions, must come back exactly (reflect.DeepEqual) as written",
		run: checkRoundTrip,
	},
	{
		name: "Fidelity",
		explanation: "what is written is what is read, byte for byte, on every backend: a record whose every field " +
			"holds an edge value (decomposed accents, emoji, BOMs, control characters, HTML, 4 KB text, times " +
			"before 1970 and in year 9999, extreme integers, unknown enum values, odd map keys) must come back " +
			"unchanged from every read, so that moving tenants between backends never alters a record",
		run: checkFidelity,
	},
	{
		name: "EmptyLists",
		explanation: "an empty list or map is stored as none and read back as nil (what a JSON document with " +
			"omitempty fields gives): a backend that kept empty-but-not-nil would return a different value from one " +
			"that does not, and code comparing records read from two backends would see a change that is not there",
		run: checkEmptyLists,
	},
	{
		name: "InvalidText",
		explanation: "text that is not valid UTF-8 or holds NUL cannot be stored faithfully everywhere (JSON replaces " +
			"invalid bytes with U+FFFD, SQL text cuts at NUL); if one backend kept it and another altered it, moving " +
			"data between them would change records, so every backend refuses it (storage.CheckText) on every write",
		run: checkInvalidText,
	},
	{
		name: "SuggestionDecisions",
		explanation: "a rejected household suggestion must never be made again, so its decision must be stored " +
			"once, read back as written, kept per tenant, rolled back with its transaction and announced in the change feed",
		run: checkSuggestionDecisions,
	},
	{
		name: "Merges",
		explanation: "an unmerge can only restore what the merge record says, so the record (the customers as they were, " +
			"where each surviving value came from, every record moved) must be stored once, read back as written, kept " +
			"per tenant, rolled back with its transaction and announced in the change feed",
		run: checkMerges,
	},
	{
		name: "Erasures",
		explanation: "a person's data must be erasable on request while history stays otherwise unchangeable: a ledger " +
			"event is rewritten only under a recorded erasure, once, to a keyed hash under which its suppression is still " +
			"found, and the rewrite is atomic and announced like any other write",
		run: checkErasures,
	},
	{
		name: "Mentions",
		explanation: "an erasure must also reach the records of others that name the person (vehicles they have a part in, " +
			"referrals, household-suggestion decisions), so MentionsOf must find every one and no other, and a decision " +
			"must be rewritable in place, atomically and announced like any other write",
		run: checkMentions,
	},
	{
		name: "ConversationHistories",
		explanation: "Book.Metrics reads conversations in bulk through a storage.HistoryReader when the backend has one " +
			"and must measure exactly what the per-conversation reads give: every conversation with an interaction in the " +
			"range at the rooftops, each with its whole history before Until, newest first, within its tenant",
		run: checkConversationHistories,
	},
	{
		name: "LineSends",
		explanation: "a consent check counts frequency caps per address line, so a storage.LineSendsReader must return " +
			"every outbound interaction with a customer addressed to the line in the window, whoever it was recorded for " +
			"(holders past and present), newest first, within its tenant, and nothing else",
		run: checkLineSends,
	},
	{
		name: "CustomerBatcher",
		explanation: "Book.Import batches its matching lookups and creates through a storage.CustomerBatcher when the " +
			"transaction has one, and must store and find exactly what one call per record would: the same records, lookup " +
			"entries, change records in order, and ErrAlreadyExists for a taken ID",
		run: checkCustomerBatcher,
	},
}

// seed stores recs in one transaction; a failure stops the test, as a
// setup failure.
func seed(t *testing.T, b storage.Backend, recs ...any) {
	t.Helper()
	ctx := t.Context()
	err := b.Update(ctx, func(tx storage.Tx) error {
		for _, r := range recs {
			if err := put(ctx, tx, r); err != nil {
				return fmt.Errorf("%T %s: %w", r, changeOf(r).ID, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("setup: storing %d records: %v", len(recs), err)
	}
}

// mustUpdate runs fn in one transaction; a failure stops the test, as a
// setup failure.
func mustUpdate(t *testing.T, b storage.Backend, fn func(ctx context.Context, tx storage.Tx) error) {
	t.Helper()
	ctx := t.Context()
	if err := b.Update(ctx, func(tx storage.Tx) error { return fn(ctx, tx) }); err != nil {
		t.Fatalf("setup: Update: %v", err)
	}
}

// update runs fn in one transaction and returns Update's error.
func update(ctx context.Context, b storage.Backend, fn func(tx storage.Tx) error) error {
	return b.Update(ctx, fn)
}

// wantKind reports an error unless err matches sentinel with errors.Is and
// carries it as the Kind of a *storage.Error.
func wantKind(t *testing.T, what string, err, sentinel error) {
	t.Helper()
	if !errors.Is(err, sentinel) {
		t.Errorf("%s: got error %v, want %v (errors.Is)", what, err, sentinel)
		return
	}
	var se *storage.Error
	if !errors.As(err, &se) {
		t.Errorf("%s: error %q matches %v but is not a *storage.Error (errors.As), which keeps the native cause", what, err, sentinel)
		return
	}
	if se.Kind != sentinel {
		t.Errorf("%s: *storage.Error.Kind = %v, want %v", what, se.Kind, sentinel)
	}
}

// wantNoErr reports err, if any.
func wantNoErr(t *testing.T, what string, err error) bool {
	t.Helper()
	if err != nil {
		t.Errorf("%s: %v", what, err)
		return false
	}
	return true
}

const maxPages = 10000

// listCustomers walks every page of ListCustomers.
func listCustomers(t *testing.T, rd storage.Reader, tenant dealer.Tenant, limit int) []customer.Customer {
	t.Helper()
	var all []customer.Customer
	var after storage.Cursor
	for range maxPages {
		page, next, err := rd.ListCustomers(t.Context(), tenant, after, limit)
		if err != nil {
			t.Errorf("ListCustomers(%s, %q, %d): %v", tenant, after, limit, err)
			return all
		}
		if limit > 0 && len(page) > limit {
			t.Errorf("ListCustomers(limit %d) returned %d records", limit, len(page))
		}
		all = append(all, page...)
		if next == "" {
			return all
		}
		if next == after {
			t.Errorf("ListCustomers returned the cursor it was given (%q): the walk would never end", next)
			return all
		}
		after = next
	}
	t.Errorf("ListCustomers: more than %d pages", maxPages)
	return all
}

// listInteractions walks every page of Interactions.
func listInteractions(t *testing.T, rd storage.Reader, tenant dealer.Tenant, q storage.InteractionQuery, limit int) []interaction.Interaction {
	t.Helper()
	var all []interaction.Interaction
	var after storage.Cursor
	for range maxPages {
		page, next, err := rd.Interactions(t.Context(), tenant, q, after, limit)
		if err != nil {
			t.Errorf("Interactions(%s, %q, %d): %v", tenant, after, limit, err)
			return all
		}
		if limit > 0 && len(page) > limit {
			t.Errorf("Interactions(limit %d) returned %d records", limit, len(page))
		}
		all = append(all, page...)
		if next == "" {
			return all
		}
		if next == after {
			t.Errorf("Interactions returned the cursor it was given (%q): the walk would never end", next)
			return all
		}
		after = next
	}
	t.Errorf("Interactions: more than %d pages", maxPages)
	return all
}

// listCommitments walks every page of Commitments.
func listCommitments(t *testing.T, rd storage.Reader, tenant dealer.Tenant, q storage.CommitmentQuery, limit int) []interaction.Commitment {
	t.Helper()
	var all []interaction.Commitment
	var after storage.Cursor
	for range maxPages {
		page, next, err := rd.Commitments(t.Context(), tenant, q, after, limit)
		if err != nil {
			t.Errorf("Commitments(%s, %q, %d): %v", tenant, after, limit, err)
			return all
		}
		if limit > 0 && len(page) > limit {
			t.Errorf("Commitments(limit %d) returned %d records", limit, len(page))
		}
		all = append(all, page...)
		if next == "" {
			return all
		}
		if next == after {
			t.Errorf("Commitments returned the cursor it was given (%q): the walk would never end", next)
			return all
		}
		after = next
	}
	t.Errorf("Commitments: more than %d pages", maxPages)
	return all
}

// listConversations walks every page of Conversations.
func listConversations(t *testing.T, rd storage.Reader, tenant dealer.Tenant, q storage.ConversationQuery, limit int) []interaction.Conversation {
	t.Helper()
	var all []interaction.Conversation
	var after storage.Cursor
	for range maxPages {
		page, next, err := rd.Conversations(t.Context(), tenant, q, after, limit)
		if err != nil {
			t.Errorf("Conversations(%s, %q, %d): %v", tenant, after, limit, err)
			return all
		}
		if limit > 0 && len(page) > limit {
			t.Errorf("Conversations(limit %d) returned %d records", limit, len(page))
		}
		all = append(all, page...)
		if next == "" {
			return all
		}
		if next == after {
			t.Errorf("Conversations returned the cursor it was given (%q): the walk would never end", next)
			return all
		}
		after = next
	}
	t.Errorf("Conversations: more than %d pages", maxPages)
	return all
}

// changesAfter reads the change feed from after until a page comes back
// empty, and returns the changes and the cursor to poll from.
func changesAfter(t *testing.T, rd storage.Reader, tenant dealer.Tenant, after storage.Cursor, limit int) ([]storage.Change, storage.Cursor) {
	t.Helper()
	var all []storage.Change
	for range maxPages {
		page, next, err := rd.Changes(t.Context(), tenant, after, limit)
		if err != nil {
			t.Errorf("Changes(%s, %q, %d): %v", tenant, after, limit, err)
			return all, after
		}
		if limit > 0 && len(page) > limit {
			t.Errorf("Changes(limit %d) returned %d records", limit, len(page))
		}
		if len(page) == 0 {
			return all, next
		}
		all = append(all, page...)
		after = next
	}
	t.Errorf("Changes: more than %d pages", maxPages)
	return all, after
}

// allChanges returns the tenant's whole change feed.
func allChanges(t *testing.T, rd storage.Reader, tenant dealer.Tenant) []storage.Change {
	t.Helper()
	all, _ := changesAfter(t, rd, tenant, "", 1000)
	return all
}

// withoutSeq returns the changes with Seq cleared (and Tenant checked), for
// comparing with expectations.
func withoutSeq(t *testing.T, tenant dealer.Tenant, cs []storage.Change) []storage.Change {
	t.Helper()
	out := make([]storage.Change, len(cs))
	for i, c := range cs {
		if c.Tenant != tenant {
			t.Errorf("change %d (%s %s %s) has Tenant %q, want %q", i, c.Entity, c.Op, c.ID, c.Tenant, tenant)
		}
		c.Seq, c.Tenant = 0, ""
		out[i] = c
	}
	return out
}

func showChanges(cs []storage.Change) string {
	s := ""
	for _, c := range cs {
		s += fmt.Sprintf("\n\t%s %s %s rev %d", c.Entity, c.Op, c.ID, c.Revision)
	}
	if s == "" {
		return " (none)"
	}
	return s
}
