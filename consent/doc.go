// Package consent records whether, and on what ground, a dealership may
// contact someone: an append-only ledger of consent events, with the
// evidence behind each one, and the fold that turns the ledger into a
// current state.
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
// for a purpose, are rules applied on top of it.
package consent
