// Package consent records whether, and on what ground, a dealership may
// contact someone: an append-only ledger of consent events, with the
// evidence behind each one, the fold that turns the ledger into a current
// state, and the decision engine that says whether a given contact may be
// made now, and why.
//
// Like every rapport domain package, consent holds values, validation and
// pure rules: no I/O, no global state, nothing that is not safe to call from
// several goroutines at once.
//
// # The ledger
//
// Each [Event] records one act of one person: a grant of consent, a
// revocation, a request to be put on the dealership's do-not-call list, or
// a disclosure seen without a decision ([Action]). It says on what legal
// ground a grant rests ([Basis]: TCPA express written or express consent,
// implied consent from a purchase or an inquiry, CASL express consent, GDPR
// consent), how it was captured ([Method]: a web form, a STOP reply, a
// provider's opt-out signal, a call, a signed form, an import), and the
// evidence that shows it ([Evidence]: who captured it, the disclosure text
// or its version or hash, the inbound message, the number that received it,
// the IP address and user agent, references to recordings, documents and
// provider records). A [Giver] records someone acting on the person's
// behalf.
//
// Events are never changed or deleted; a change of mind is a new event. An
// event has three times: CapturedAt, when the person acted, which orders the
// ledger; RecordedAt, when it was written, which the Book sets; and an
// effective window, EffectiveFrom (zero: from CapturedAt) to EffectiveTo
// (zero: open-ended). Only a grant can end: implied consent must, with the
// window the law gives it (CASL: 2 years after a purchase, 6 months after an
// inquiry; TCPA established business relationship: 18 and 3 months), while
// a withdrawal never expires in the ledger. How long a do-not-call request
// is honored (at least 5 years, 47 CFR 64.1200(d)(6)) is a rule applied
// when deciding, computed from the request's CapturedAt.
//
// [Event.Validate] reports every problem with an event before it is
// appended, each as a *[ValidationError] naming the field.
//
// # Scope
//
// Consent is kept per address × channel × purpose × rooftop: a [Key].
//
//   - The address is the contact point ([Subject].Address), by its line:
//     a telephone extension is ignored, so a STOP from a switchboard covers
//     every extension. Consent is keyed on the address, not the customer,
//     so merging customers or sharing a family phone cannot bring a revoked
//     number back; a decision about a whole customer is recorded as one
//     event per address.
//   - The channel is a [channel.Kind] the address supports (sms or voice
//     for a tel: address), or [AllChannels].
//   - The purpose is [PurposeService], [PurposeMarketing], [PurposeSurvey],
//     or [PurposeAll].
//   - The rooftop is the dealership location the consent names; the zero
//     Rooftop means every rooftop of the tenant. A customer's consent to
//     texts from one store is not consent to texts from its sister store.
//
// The wildcards are values of their own ("all" for channel and purpose),
// never the zero value, because zero means "not recorded" everywhere in
// rapport. [Key.Covers] tells which wildcard keys apply to a specific one.
//
// # Current state
//
// A [Ledger] folds into a [State] per key at a given time: a [Status]
// (granted, revoked, dnc, seen; zero means nothing recorded, which is never
// consent), the basis and method of the event it rests on, since when, until
// when, and that event's ID. [Ledger.Fold] returns every key's state;
// [Ledger.State] and [Ledger.Latest] answer for one key, scanning the ledger
// without allocating. Events are taken in CapturedAt order, ties in ledger
// order; among the events of a key that are in effect, the latest
// revocation, do-not-call request or express grant wins; implied consent
// counts only where none of those is in effect; a seen disclosure only where
// nothing else is. The folding rules are spelled out on [Ledger].
//
// The fold matches keys exactly. Which keys apply to a given contact (a
// revocation for [AllChannels] or [PurposeAll], or for every rooftop),
// whether revoking calls also revokes texts, and whether a basis is enough
// for a purpose, are the decision rules below.
//
// # Decisions
//
// [Decide] takes a [Policy], the [Ledger] of an address, and a [Request]
// (address, channel, purpose, rooftop, time, the recipient's possible time
// zones, region, recent sends) and returns a [Decision]: allowed or not,
// stable [Reason] codes ("revoked", "quiet_hours", "frequency_cap", …), the
// ledger event it rests on, the basis, and NextAllowed, the next time the
// same contact would be allowed when that can be known. It is a pure
// function: no clock, no I/O, no allocation; rapport.Book.Check gathers its
// inputs.
//
// The rules, in brief (see [Decide] for all of them):
//
//   - Every event about the address's line counts, wherever it sits in the
//     ledger and whichever customer recorded it, so concatenating the
//     ledgers of merged customers can never bring a revoked number back.
//   - A withdrawal applies when its channel, purpose and rooftop cover the
//     contact: [AllChannels], [PurposeAll] and the zero Rooftop are
//     wildcards; a withdrawal for calls also covers texts and the reverse
//     ([Policy.LinkedChannels]) unless the person limited it
//     ([Event.ChannelOnly]); with the FCC's revoke-all rule on, a
//     withdrawal covers every purpose. A withdrawal never lapses.
//   - A grant applies when it names the contact's channel (or all), purpose
//     (or all) and rooftop (or none); grants are never linked across
//     channels, and a grant for one rooftop is not consent for another.
//     Only express grants captured after the latest withdrawal count, and
//     when a withdrawal and a grant share an instant, the withdrawal wins.
//     Every counted grant is considered, so the one on the strongest basis
//     the rule accepts allows the contact.
//   - The policy's rule for the channel and purpose says whether a grant is
//     needed, on which bases, and the allowed hours and frequency cap;
//     implied consent lasts only the policy's windows.
//   - An event whose action this version does not know, as recent as the
//     consent, refuses the contact: it might be a withdrawal.
//   - Hours must hold in every one of the recipient's possible zones; with
//     no zone known, a rule with hours refuses ([ReasonUnknownZone]) rather
//     than guess. NextAllowed is computed on the local calendar of each
//     zone, so it is right across daylight-saving changes.
//   - A message with several purposes ([Request].Also) must be allowed for
//     each: any marketing makes it marketing.
//   - After a withdrawal, exactly one non-marketing confirmation may be
//     sent within the policy's window ([Request].Confirmation).
//
// [Reinstate] says which grants an opt-in keyword (START) restores: only
// those nothing but opt-out keywords withdrew. No other inbound message
// ever opts anyone back in.
//
// # Policies
//
// A [Policy] is data: ordered [Rule]s per channel and purpose (opt-in on
// given bases, or opt-out; allowed hours as weekly windows; a [Cap]),
// [Override]s for states with their own law, linked channels, the
// revoke-all switch, do-not-call and implied-consent periods, the
// confirmation window, and how to treat revocations in natural language.
// It round-trips through JSON. [Policies] holds a tenant's default and any
// rooftop's own.
//
// The presets are functions returning fresh values, never shared globals:
//
//   - [US]: TCPA and FCC rules for texts and calls (marketing needs
//     express written consent and keeps 08:00–21:00 local time; service
//     needs prior express consent; revocation by any reasonable means at
//     once; revoke-all from 31 January 2027; do-not-call requests honored at
//     least 5 years; one confirmation within 5 minutes), [CANSPAM] for
//     email, and the [Florida] override (08:00–20:00 and 3 marketing
//     messages in 24 hours, for region US-FL or a Florida area code).
//   - [Canada]: CASL for texts and email (express consent never expires;
//     implied consent 2 years after a purchase, 6 months after an inquiry;
//     transactional messages until an opt-out) and the CRTC's telemarketing
//     hours for calls.
//
// A tenant adjusts a preset by changing the value it returns (adding a
// state's hours as an Override, say) and keeps it with its other settings.
//
// # Inbound keywords
//
// [Classify] reads an inbound text and returns a [Signal]: [SignalOptOut]
// when the whole message, after folding case, accents and surrounding
// punctuation, is an opt-out keyword (STOP, STOPALL, STOP ALL, UNSUBSCRIBE,
// CANCEL, END, QUIT, REVOKE, OPTOUT, OPT OUT, OPT-OUT, REMOVE, ARRET, ARRÊT,
// TD), alone or with polite words ("Stop. Thank you"); [SignalOptIn] for
// exactly START, UNSTOP or YES; [SignalHelp] for HELP or INFO; and
// [SignalRevocationRequest] when the message asks in other words not to be
// contacted ("please stop texting me", "take me off your list"), which
// [Policy.OptsOut] treats as an opt-out unless the policy sends it to staff
// review. A keyword inside a sentence is never a signal: "stop by
// tomorrow" and "can you cancel my appointment?" are ordinary messages. A
// [Classifier] adds words per language ([NewClassifier]). [FromProvider]
// maps a provider's opt-out field (Twilio's OptOutType) and its
// "recipient opted out" error (Twilio 21610) to the same signals.
//
// # Capture
//
// [FromWebForm], [FromCall] and [FromImport] build a grant with the
// evidence each way of capturing consent owes (the disclosure, IP address
// and user agent of a web form; the staff member and recording or script of
// a call; the source system and raw value of an import) and refuse one
// that could not later show who consented, when, how and what they were
// told.
package consent
