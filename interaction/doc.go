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
// review or social-media post), and [LifecycleEvent] for the steps of a
// conversation's lifecycle recorded in the timeline ([KindLifecycle]). nil
// means "not applicable".
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
// offered, and the anchors response times are computed from: when the
// oldest unanswered inbound message arrived, when a person first replied,
// when it was resolved.
//
// Its lifecycle is a set of methods that check the change, apply it and
// return a [LifecycleEvent] for the timeline: [Conversation.Open] (open,
// or pending when an automated handler owns it from the start),
// [Conversation.Escalate] (from the handler to a person or team, with a
// reason; the person's response clock starts then), [Conversation.Assign],
// [Conversation.OfferHandoff] and [Conversation.AcceptHandoff] (the
// previous owner stays on as a follower: nobody is abandoned mid-process)
// or [Conversation.DeclineHandoff], [Conversation.Snooze] and
// [Conversation.Wake], [Conversation.Resolve], [Conversation.Reopen] and
// [Conversation.Close]. [Conversation.Touch] applies an interaction: the
// customer writing wakes a snoozed conversation and re-opens a resolved
// one, and the anchors move. An illegal change, and every change to a
// closed conversation, fails with a *[TransitionError] wrapping
// [ErrInvalidTransition]. [UnacceptedHandoffs] lists the handoffs waiting
// for someone to take them.
//
// A Book records each event as an interaction of [KindLifecycle]
// ([Interaction.Lifecycle]), so that one timeline holds the messages and
// what happened to the conversation, and metrics can tell when the
// automated handler's time ended.
//
// # Collisions
//
// [CheckCollision] tells a member of staff about to contact a customer
// that someone else did within a window, or owns the customer's
// conversation; a [CollisionPolicy] can turn the warnings into a refusal
// ([ErrCollision]).
//
// # Commitments
//
// A [Commitment] is a promise made to a customer ("I'll call you back by
// 5 pm"): what, who owes it, when it is due, and whether it was done
// ([Commitment.Done]), handed off to someone who carries it on
// ([Commitment.HandOff]) or cancelled ([Commitment.Cancel]).
// [OverdueCommitments] and [CommitmentsDueSoon] list the late and the
// nearly due, [CommitmentsByOwner], [CommitmentsByTeam] and
// [CommitmentsByRooftop] group them.
//
// # Metrics
//
// A [Meter] reads a stream of interactions (lifecycle steps included) and
// measures, for everything and per member of staff, team, rooftop and
// channel: first response, next response and resolution times, with their
// count, mean, median, 90th percentile and maximum; inbound messages left
// unanswered; and outbound interactions by [Authorship], with the share of
// each and how often the customer replied within a window. [Measure] does
// the same for a slice. Each duration is measured in wall-clock time and
// in business hours: a [Calendar] holds a rooftop's weekly hours and
// holidays in its own time zone, and the [BusinessClock] it loads counts
// only open time, correctly across daylight-saving changes and windows that
// cross midnight.
//
// The clocks are honest about automation and re-opening: time with an
// automated handler before escalation never counts against a person, and
// a re-opened conversation starts a new clock, so the days it spent
// resolved never count. The [Meter] documentation defines exactly what
// starts and stops each clock.
//
// # Sensitive data and review
//
// [Redact] finds US Social Security numbers and ITINs (with their validity
// rules), payment card numbers (Luhn), bank routing numbers (ABA checksum)
// and account numbers next to words like "account", "routing", "cuenta" or
// "número de ruta", typed the way people type on phones (split across
// lines, spaced, dotted, in quotes or emphasis), and masks them in place,
// keeping the last four digits, in a single pass over the text that leaves
// phone numbers, dates, ZIP codes, VINs, stock numbers, prices and
// mileages alone. A labelled corpus of English and Spanish messages in
// testdata/redact holds it to its recall and precision. [Interaction.Redact] redacts an interaction's
// subject and body and records a [Finding] for each number: where the mask
// is and at most the last four digits, never the number. Findings are
// never logged and never put in error messages.
//
// A [Flag] marks an interaction for a manager's review: [ReviewFlags]
// raises one when sensitive data was found or a watched phrase
// ([ReviewPhrases]: promises such as "guarantee" or "I'll waive the fee")
// appears in what the dealership wrote, and [Flag.Review] records the
// review, with a note.
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
// Lifecycle changes that cannot be applied ([Delivery.Apply], the
// lifecycle methods of [Conversation] and [Commitment], [Flag.Review])
// return a *[TransitionError] wrapping [ErrInvalidTransition], and leave the
// value unchanged.
//
// # Concurrency
//
// The model types are plain values. Methods with a value receiver only
// read, so any number of goroutines may call them at once; methods with a
// pointer receiver (the lifecycle changes, [Interaction.Redact],
// [Flag.Review]) modify the value, and modifying a value while another
// goroutine reads it is a data race, as for any Go value. Slices and maps
// in a value are shared by copies of it, but the lifecycle methods replace
// them rather than write into them. [BusinessClock] and [ReviewPhrases] are
// immutable and safe for concurrent use; a [Meter] is not.
package interaction
