// Package customer holds the Customer record: who a dealership's customer
// is, how to reach them, and what else is known about them.
//
// # Customers
//
// A [Customer] has a [Name] (parts as written, with a display form and a
// match key kept apart), aliases, [ContactPoint]s (each a normalized
// channel.Address with its usage, primary flag, rank, verification, SMS
// capability, source, best-time window and undeliverable marker), a
// channel.Preference, [ExternalID]s in other systems (DMS, CRM, lead
// providers), [LifeEvent]s, [Referral]s, tags, a source, free-form
// attributes from other systems, timestamps and a revision for optimistic
// concurrency.
//
// # Names and match keys
//
// [NameKey] folds a name for matching (NFKC, case folding, diacritics and
// punctuation removed): "José Núñez" and "JOSE NUNEZ" share a key, and so do
// composed and decomposed Hangul. Keys
// propose duplicates; they never decide identity and are never displayed.
//
// # Duplicates
//
// [DuplicateFinder] proposes pairs of customers that may be one person,
// each a [Candidate] with a score, a [Tier] (possible, likely, safe to
// merge without a person) and [Reason]s a manager reads ("same mobile
// number", "first names are a nickname and its full form"). Evidence is
// weighed in points: external IDs, phone lines, email match keys, names
// (with nicknames, see [IsNickname], typos and initials), postal codes and
// phone numbers with two swapped digits; conflicting first names,
// generational suffixes (Jr., Sr.) and customer numbers weigh against.
// [Guards] are data: the dealership's own numbers, placeholder emails and
// numbers never count, and a value held by more customers than the shared
// limit is shared, not evidence. Blocking keeps the work linear in the
// number of customers. [CompareDuplicates] scores one pair.
//
// # Validation
//
// [Customer.Validate] reports every problem at once, each a
// *[ValidationError] naming its field and wrapping a sentinel ([ErrMissing],
// [ErrInvalid], [ErrDuplicate], [ErrTooMany], [ErrInvalidName],
// [ErrInvalidContact]) and, where the channel package found the problem, its
// sentinel too. Enum values this version does not know are valid: a newer
// version may have written them, and they are kept through every read and
// write.
//
// The package holds values and pure functions only; it does no I/O. Values
// are safe to share between goroutines as long as no one mutates them.
package customer
