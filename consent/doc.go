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
//     texts from one store is not consent to texts from its sister store;
//     but a withdrawal binds the business (47 CFR 64.1200(d)): a
//     revocation or do-not-call request recorded at one rooftop applies to
//     every rooftop of the tenant, or, when the policy groups rooftops
//     into separate legal entities ([Policy.Sellers]), to every rooftop of
//     the same seller.
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
// zones, regions, recent sends, registry scrubs, the business relationship,
// a reported reassignment) and returns a [Decision]: allowed or not,
// stable [Reason] codes ("revoked", "quiet_hours", "frequency_cap",
// "registry_dnc", …), the ledger event it rests on, the basis, the rule
// and region that refused, and NextAllowed, the next time the same contact
// would be allowed when that can be known, always in UTC. It is a pure
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
//     zone, so it is right across daylight-saving changes, and reported in
//     UTC (one rule for every caller; format it in the zone you show).
//   - Every place the request points at applies: the explicit Region, the
//     regions of the recipient's postal addresses (Regions), and the state
//     of the number's area code. Each state's [Override] adds its hours,
//     holidays and cap, so the strictest wins, and Decision.Rule and
//     Decision.Region say which state's rule refused.
//   - A registry the policy honours refuses a marketing call to a listed
//     line ([ReasonRegistryDNC]) unless a grant on an exempting basis or
//     an established business relationship applies, and refuses one
//     without a scrub recent enough ([ReasonRegistryStale]). A grant
//     captured before the number was reported disconnected is void
//     ([ReasonReassigned]).
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
// given bases, or opt-out; allowed hours as weekly windows; a [Cap]; CASL's
// elements), [Override]s for states with their own law (hours, caps,
// holidays), [RegistryRule]s for do-not-call registries, the tenant's
// [Seller]s, linked channels, the revoke-all switch, do-not-call and
// implied-consent periods, the confirmation window, and how to treat
// revocations in natural language.
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
//     email, the [StateOverrides] (the table below) and the National Do
//     Not Call Registry ([USDNC]).
//   - [Canada]: CASL for texts and email (express consent, whose request
//     must have stated CASL's elements, never expires; implied consent 2
//     years after a purchase, 6 months after an inquiry; transactional
//     messages until an opt-out), the CRTC's telemarketing hours for calls
//     and the National DNCL ([CADNCL]).
//
// A tenant adjusts a preset by changing the value it returns (adding a
// state's hours as an Override, say) and keeps it with its other settings.
//
// # State rules
//
// Each state override is data ([StateOverrides]; [Override] for the
// fields): hours in the recipient's local time, a cap, Sunday bans as
// weekly windows without Sunday, and holidays as dated exceptions
// ([Holiday]: a fixed date, the Nth weekday of a month, or days from
// Easter, computed for any year; [FederalHolidays] are those of 5 U.S.C.
// 6103(a)). They apply to marketing by text and call, to recipients whose
// postal address is in the state or whose number has one of its area
// codes. SOURCES.md beside this file has the detail; "not in the research"
// means the project's research names the rule but not the statute
// section, which is left for counsel to confirm rather than invented.
//
//	| State        | Hours (local)         | Cap        | Sunday / holiday rule                        | Texts covered                | Source                                    |
//	|--------------|-----------------------|------------|----------------------------------------------|------------------------------|-------------------------------------------|
//	| Florida      | 08:00–20:00           | 3 per 24 h | –                                            | yes                          | Fla. Stat. 501.616(6)                     |
//	| Oklahoma     | 08:00–20:00           | 3 per 24 h | –                                            | yes                          | 15 O.S. 775C                              |
//	| Maryland     | 08:00–20:00           | 3 per 24 h | –                                            | yes                          | Stop the Spam Calls Act (not in research) |
//	| Connecticut  | 09:00–20:00           | –          | –                                            | yes                          | Public Act 23-98 (not in research)        |
//	| Texas        | Mon–Sat 09:00–21:00   | –          | Sunday 12:00–21:00                           | yes (SB 140, from Sep 2025)  | Tex. Bus. & Com. Code 301.051             |
//	| Washington   | 08:00–20:00           | –          | –                                            | applied (texts need consent) | RCW 19.158.040(2); RCW 19.190.060, .070   |
//	| Alabama      | 08:00–20:00           | –          | no Sunday; federal + state holidays          | applied (unclear)            | not in research                           |
//	| Louisiana    | 08:00–20:00           | –          | no Sunday; federal + Mardi Gras, Good Friday | applied (unclear)            | not in research                           |
//	| Mississippi  | 08:00–20:00           | –          | no Sunday                                    | applied (unclear)            | not in research                           |
//	| Rhode Island | weekdays 09:00–18:00  | –          | weekdays only; federal + Victory Day         | applied (unclear)            | not in research                           |
//	| Pennsylvania | –                     | –          | federal holidays                             | applied (unclear)            | not in research                           |
//	| Utah         | –                     | –          | federal holidays                             | applied (unclear)            | not in research                           |
//	| KY / MA / NV | 10–21 / 08–20 / 09–20 | –          | –                                            | applied (unclear)            | not in research                           |
//	| MI / MN / NM | 09:00–21:00           | –          | –                                            | applied (unclear)            | not in research                           |
//
// "Applied" means the research cannot say whether the state's law covers
// texts and rapport applies it to them anyway, the stricter reading. The
// caps count every marketing contact to the line (the laws count per
// subject matter). Rhode Island's Saturday hours are not in the research,
// so Saturday is refused. A holiday ban covers every federal holiday and
// the day a weekend holiday is observed, stricter than a statute that
// names fewer.
//
// # Registries and reassigned numbers
//
// Callers scrub their call lists and pass what they learned as data
// ([Request].Registries: a [Listing] per registry, with the date of the
// registry data), with the relationship they know of ([Relationship]) and
// the Reassigned Numbers Database's answer ([Request].ReassignedAt). The
// US preset honours the National Do Not Call Registry for marketing calls
// ([USDNC]: signed written consent, or a purchase within 18 months or an
// inquiry within 3 (47 CFR 64.1200(f)(5)), exempts; a scrub older than 31
// days is stale, 64.1200(c)(2)(i)(D)); the Canadian preset honours the
// National DNCL ([CADNCL]: express consent, or 18 months and 6 months).
// The US preset needs written consent for every marketing call, which the
// registry exempts, so the registry refuses only under a tenant's rule for
// calls dialled by hand. A state's own list is a [RegistryRule] with
// Regions.
//
// # Canada
//
// CASL's express consent is only as good as the request for it: a rule
// with [Rule].CASL (the Canadian preset's, for texts and email) accepts an
// express grant only when its evidence records the elements CASL requires
// ([CASLDisclosure]: the purposes, who sought consent, their contact
// information, that consent can be withdrawn). A US written consent
// without them is not CASL express consent
// ([ReasonCASLElementsMissing]). Telemarketing calls follow the National
// DNCL as above.
//
// # Inbound keywords
//
// [Classify] reads an inbound text, sentence by sentence, and returns a
// [Signal]: [SignalOptOut] when the message, or one sentence of it, after
// folding case, accents and punctuation, is opt-out commands (the FCC's
// per-se words STOP, QUIT, END, REVOKE, OPT OUT, CANCEL, UNSUBSCRIBE, the
// carriers' STOPALL, OPTOUT, REMOVE, Spanish NO MÁS, ALTO, BAJA, CANCELAR,
// French ARRÊT, TD, …) with or without polite words and fillers ("Stop it
// now", "ok, cancel all texts", "Stop. Who is this?"); [SignalOptIn] for
// exactly START, UNSTOP or YES; [SignalHelp] for HELP or INFO;
// [SignalRevocationRequest] when the message asks in other words not to be
// contacted ("please stop texting me", "no me envíes más mensajes",
// "arrêtez de m'appeler"), which [Policy.OptsOut] treats as an opt-out
// unless the policy sends it to staff review; and [SignalReview] for a
// restriction ("don't call before noon", "only text me about service"),
// which is never an opt-out. A keyword inside a sentence is never a
// signal: "stop by tomorrow", "can you cancel my appointment?" and "why
// did you stop texting me?" are ordinary messages. The labelled corpus in
// testdata/replies.tsv measures the vocabulary (BENCHMARKS.md has the
// figures). A [Classifier] adds words per language ([NewClassifier]). [FromProvider]
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
