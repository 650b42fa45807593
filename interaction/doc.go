// Package interaction holds the record of every touch between a dealership
// and its customers, the conversations those touches form, and the promises
// made in them.
//
// Like the other domain packages it holds values, validation and pure rules
// only: no storage, no I/O, no clock. A rapport.Book stores these values and
// runs the workflows on them (receiving a message, escalating a
// conversation, listing overdue commitments).
//
// # Interactions
//
// An [Interaction] is one touch: a message, call, email, chat, visit,
// appointment, note, survey answer, piece of feedback, review, referral or
// social-media mention ([Kind]). It names the tenant and rooftop, the
// customer (and household), the conversation, the channel and both contact
// points used (the customer's [Interaction.Address] and the dealership's
// [Interaction.Via]), the [Direction], the text, the staff who took part
// with their [Role], and the [Authorship] of what the dealership wrote:
// human, template, automated or assisted, so that metrics can tell personal
// messages from "spray and pray".
//
// Details that only some kinds have sit behind pointers: [Call] (outcome,
// talk time, recording), [Appointment], [Survey], [Referral] and [Post] (a
// review or social-media post). nil means "not applicable".
//
// Sensitive data (Social Security, card, bank account and routing numbers)
// is redacted from the text before it is stored; each [Finding] records
// where the redaction mark is and at most the last four digits, never the
// number. A [Flag] marks an interaction for a manager's review and records
// the review.
//
// # Delivery status
//
// An outbound message's [Delivery] moves along queued → sent → delivered →
// read, with errored (retryable: it may be queued or sent again) and failed
// (terminal, with a reason). Providers report these out of order and more
// than once; [Delivery.Apply] takes each report as it comes and ignores the
// late ones (a delivered receipt after the read receipt), refusing only
// reports that cannot be right (anything after failed) with
// [ErrInvalidTransition].
//
// # Conversations
//
// A [Conversation] is a thread with one customer, possibly across
// channels, with a [ConversationStatus]: open (owned by a person), pending
// (owned by an automated handler), snoozed, resolved, or closed (final and
// immutable). It records the owner, team, followers and any handoff
// offered, and the anchors response-time metrics are computed from: when the
// oldest unanswered inbound message arrived, when a person first replied,
// when it was resolved.
//
// # Commitments
//
// A [Commitment] is a promise made to a customer ("I'll call you back by
// 5 pm"): what, who owes it, when it is due, and whether it was done, handed
// off or cancelled. [Commitment.Overdue] tells whether it is late.
//
// # Identifiers and enums
//
// [ID], [ConversationID] and [CommitmentID] are UUIDs (version 7 when
// rapport generates them) whose zero value means "not assigned".
//
// Every enum is a string type whose zero value means unknown, and which
// persists as a stable lower-case token. A token this version does not know,
// written by a newer version, is kept as it is through JSON and text
// unmarshalling and accepted by Validate, so that an older program can read,
// modify and write back a newer program's records without losing anything;
// Known tells the two apart, and the rules that depend on an unknown value
// are skipped.
//
// # Validation and errors
//
// Validate reports every problem at once, as errors.Join of
// *[ValidationError] values naming the field by its JSON path
// ("participants[1].staff", "call.duration_ns"). Each wraps one of the
// sentinels ([ErrMissing], [ErrInvalid], [ErrOutOfRange], [ErrDuplicate],
// [ErrMismatch], [ErrNotApplicable]), so
//
//	if errors.Is(err, interaction.ErrMissing) { … }
//	var ve *interaction.ValidationError
//	if errors.As(err, &ve) { highlight(ve.Field) }
//
// both work. Error messages never repeat a body, subject, address or other
// text the customer wrote.
//
// # Concurrency
//
// The types are plain values. Methods only read their receiver, so any
// number of goroutines may call them at once; modifying a value while
// another goroutine reads it is a data race, as for any Go value. Slices and
// maps in a value are shared by copies of it.
package interaction
