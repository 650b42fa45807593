// Package rapport is an embeddable SDK for customer interaction records in
// automotive retail: one consistent model of customers, their channel
// preferences and consent, every interaction between them and a dealership,
// and the households and vehicles around them, shared by the CRMs, chat
// widgets and DMS integrations that import it.
//
// # Packages
//
//   - [github.com/rapportcim/rapport/dealer]: tenants, rooftops, staff and
//     teams (the dealership side of every record).
//   - [github.com/rapportcim/rapport/channel]: channel kinds, normalized
//     addresses (phones in E.164, emails, messaging handles) and contact
//     preferences.
//   - [github.com/rapportcim/rapport/customer]: the Customer record, its
//     contact points, names and match keys.
//   - [github.com/rapportcim/rapport/consent]: the append-only consent
//     ledger and its current state.
//   - [github.com/rapportcim/rapport/interaction]: interactions,
//     conversations, commitments, delivery status.
//   - [github.com/rapportcim/rapport/household]: households, vehicles and
//     VINs.
//   - [github.com/rapportcim/rapport/storage]: the contract between the
//     Book and storage backends, for backend authors;
//     [github.com/rapportcim/rapport/storage/memstore] (in memory, the
//     default and the test fake), [github.com/rapportcim/rapport/storage/sqlitestore]
//     (a crash-safe SQLite file) and the conformance suite
//     [github.com/rapportcim/rapport/storage/storagetest].
//   - [github.com/rapportcim/rapport/adf]: ADF (Auto-lead Data Format) XML
//     leads: a lenient reader with a validation report, and a writer;
//     [github.com/rapportcim/rapport/dms]: DMS exports (CDK, Dealertrack,
//     DealerVault, Reynolds, custom mappings) read into records, streamed;
//     both drop nothing. [github.com/rapportcim/rapport/schema]: the JSON
//     Schemas of the records.
//
// Domain packages hold values, validation and pure rules. They never do I/O
// and never import storage; dependencies point one way, from dealer and
// channel up to the packages that build on them.
//
// # The Book
//
// [Book] is what integrations use: a tenant's records over a storage
// backend, made with [New] and bound to one tenant. It does once, the same
// way for every vendor, what each would otherwise re-implement:
//
//   - customers: [Book.UpsertCustomer] recognises a known customer by
//     external ID or normalized address (and reports conflicts instead of
//     guessing); households and vehicles likewise ([Book.UpsertHousehold],
//     [Book.UpsertVehicle]); all three say what they did in one shape,
//     [Upserted];
//   - identity: [Book.Duplicates] proposes pairs of customers that may be
//     one person, with a tier and the reasons in a manager's words, never
//     counting placeholders or shared values as evidence;
//     [Book.HouseholdSuggestions] proposes households from a shared street
//     address and last name or a shared home line, and
//     [Book.AcceptSuggestion] and [Book.RejectSuggestion] record staff's
//     decision (a rejected suggestion is not made again);
//     [Book.Merge] merges customers under survivorship rules given as data
//     (customer.Survivorship), with a dry run, in one transaction that
//     moves their records, never weakens consent and stores a merge
//     record, which [Book.Unmerge] undoes; [Book.Erase] removes a person's
//     personal data on request, keeping their opt-outs under a keyed hash;
//   - interactions: [Book.RecordInteraction] attaches every touch to the
//     customer's conversation and redacts sensitive data before storing it;
//     [Book.Receive] handles inbound messages on every channel (texts,
//     WhatsApp, Messenger, Instagram, web chat, email, call and voicemail
//     transcripts), including STOP, START, HELP and requests to stop in
//     plain words; [Book.Send] checks consent and collisions ([Book.Check]:
//     per-line limits, the states of the area code and of the customer's
//     postal addresses, registry facts the caller supplies) and records the
//     outbound contact with its decision, in one transaction;
//     [Book.Unsubscribe] records an email unsubscribe ([ParseOneClick]
//     checks an RFC 8058 one-click request);
//   - single-record lifecycles, behind stateless handles: conversations
//     ([Book.Conversations]: [Conversations.Escalate],
//     [Conversations.OfferHandoff], [Conversations.AcceptHandoff],
//     [Conversations.Resolve], …), commitments ([Book.Commitments]:
//     [Commitments.Make], [Commitments.Keep], [Commitments.Overdue], …),
//     callback requests queued per rooftop and team ([Book.Callbacks]:
//     [Callbacks.Request], [Callbacks.Queue], [Callbacks.Take],
//     [Callbacks.NoAnswer]) and manager review ([Book.Reviews], with consent reviews and their
//     10-business-day deadline: [Reviews.OverdueConsent]); each lifecycle
//     call takes an [Act]
//     saying who acted, when and why, and records it;
//   - [Book.Metrics] over the conversations;
//   - imports: [Book.ImportLead] for an ADF lead, [Book.Import] for the rows
//     of a DMS export, both idempotent (a second import writes nothing);
//   - reading: [Book.CustomerTimeline], [Book.HouseholdTimeline], the
//     change feed ([Book.Changes]) that other systems follow, and the brief
//     an employee reads at the moment of contact ([Book.Brief],
//     [Book.HouseholdBrief]: observed versus stated channels, what consent
//     allows now, open promises, household vehicles and their
//     opportunities, each item naming its records).
//
// What stays on the Book spans several kinds of records (Receive, Check,
// Send, the upserts, timelines, briefs, changes, metrics) or reads one record by
// ID (the getters). The steps of one record's lifecycle live on a handle
// for that kind of record, so that the Book's own method set stays short
// and each step has its plain name (Keep, Cancel, Close) instead of a
// suffix that only avoids a collision. A handle holds nothing but the
// Book: make one whenever it is needed.
//
// Errors from a Book call are an *[Error] naming the call, around the
// cause. Applications never import the storage package: the Book
// re-exports what they match on ([ErrNotFound], [ErrConflict],
// [ErrAlreadyExists], [ErrClosed], [ErrInvalidCursor]) and the [Cursor]
// and [Change] types of the change feed. A caller's mistake (a missing
// field, a flag index out of range, a malformed request) is a domain
// package's *ValidationError, never ErrNotFound.
//
// # Conventions
//
// These hold in every package, so they are stated once here.
//
// Zero values mean unknown. Every enum is a string type whose zero value is
// "unknown"; a zero consent status means "nothing recorded", never
// "granted"; a zero time.Time means "not set". Enums persist as stable
// lower-case strings. A value this version does not know (written by a newer
// version) is kept as it is through every read and write, and its Known
// method reports false.
//
// Errors are matched with errors.Is and errors.As, never by text. Each
// package exports sentinel errors (channel.ErrInvalidPhone,
// household.ErrInvalidVIN, …) and a *ValidationError type that names the
// offending field and wraps a sentinel. Validate methods report every problem
// at once, joined with errors.Join. Every package's *ValidationError has
// one shape, [FieldError] (FieldPath, the field's JSON path, and Unwrap),
// so a form maps any validation error to its input with [FieldErrors]
// without knowing the package. Every string of every record must be valid
// UTF-8 without NUL (each package's ErrInvalidText), so that what is
// written is what is read back, byte for byte, on every backend. Error
// messages never repeat customer data (numbers, addresses, message
// bodies), so they are safe to log.
//
// Parsers of outside data (ParsePhone, ParseEmail, ParseAddress, ParseVIN)
// normalize, validate, and return a comparable value whose text form parses
// back to an equal value; unmarshalling re-validates.
//
// IDs are typed per package (customer.ID, household.ID, interaction.ID, …),
// 16-byte UUIDs that rapport generates as version 7 (time-ordered), written as
// the canonical lower-case string. The zero ID means "not assigned".
//
// Options: constructors take required arguments by position and a pointer
// to an options struct last; nil means the documented defaults. Clocks, ID
// generators and loggers are injected this way; there is no global state
// callers can see or change (the only package-level data are tables derived
// once from constant inputs, such as the embedded numbering-plan metadata,
// and immutable afterwards).
//
// Durations in JSON are integer nanoseconds (time.Duration's own
// encoding), in fields whose names end in "_ns" ("duration_ns",
// "reply_window_ns", "confirmation_window_ns"); times are RFC 3339.
//
// Iteration: lists that grow with the book (timelines, the change feed,
// the review queue, commitments due, unaccepted handoffs) are
// iter.Seq2[T, error] sequences that read page by page as the caller
// ranges, yield a final (zero, err) pair and stop when something fails.
// The one exception is a stored record that cannot be decoded (ErrCorrupt):
// the sequence yields (zero, err) in its place, naming it, and goes on, so
// that one damaged record never hides the others. What one key holds is returned whole, as a slice: the customers on an
// address or external ID, a customer's conversations, and consent ledgers
// (consent.Ledger, which is folded as a whole). Results of an action (the
// conversations WakeDue woke) are slices too, and so is one page of
// [Book.TimelinePage], the paging form for interfaces that fetch a page at
// a time.
//
// Concurrency: values are safe to share when nobody mutates them; functions
// are safe for concurrent use unless their documentation says otherwise.
package rapport
