// Package household links people and vehicles: the households customers
// live in, the vehicles around them, and the VINs that name those vehicles.
//
// Like the other domain packages it holds values, validation and pure
// rules: no I/O, no storage, no global mutable state. Records are stored
// through a rapport.Book, which assigns IDs, timestamps and revisions.
//
// # Households
//
// A [Household] belongs to one tenant and lists its [Member]s, each a
// customer.ID with a [MemberRole] (primary, spouse, partner, co_buyer,
// dependent, other) and an effective span [From, To). A zero From means
// "since always" (or since an unknown date) and a zero To means "still
// current", so a household's make-up on any date is [Household.MembersAt].
// A person who moves out and back, or whose role changes, appears once per
// span; [Household.Validate] refuses the same person twice at the same time
// and two primary members at the same time, and reports every problem at
// once (errors.Join of *[ValidationError]).
//
// Roles are string enums persisted as stable lower-case strings. A role this
// version does not know, written by a newer one, is kept verbatim through
// JSON and validation; [MemberRole.Known] tells the two apart.
//
// # Vehicles and stakeholders
//
// A [Vehicle] is a vehicle record: VIN, year, make, model, trim, the latest
// [Odometer] reading, when and at which rooftop it was bought, and its
// [Stakeholder]s, each a customer with a [StakeholderRole] (owner, co_owner,
// driver, lessee) over a span of time, read with [Vehicle.StakeholdersAt].
// One person may hold several roles at once (owner and driver), but not the
// same role twice at once.
//
// A household lists its vehicles by [VehicleID] and each vehicle names its
// household, so either end can be read alone; the Book keeps the two in
// agreement.
//
// # Suggestions
//
// A [Suggester] proposes households from customers who share a street
// address and a last name, or a home phone line (a shared mobile is one
// person's: that is a duplicate, not a household), each [Suggestion] with
// its reasons and the household its members would join, if any. A
// suggestion is keyed by its members ([SuggestionKey]); a [Decision] to
// accept or reject it is stored once under that key, so a rejected
// suggestion of the same people is not made again.
//
// # VINs
//
// A [VIN] is built only by parsing, so a non-zero VIN is always well-formed.
// [ParseVIN] is strict, following 49 CFR 565: 17 characters, no I, O or Q,
// a correct check digit in position 9 (transliteration, weights, mod 11, 10
// written X) and a model-year code in position 10. Its errors carry the
// position at fault in a *[VINError] and name the reason with
// [ErrVINLength], [ErrVINCharacter], [ErrVINCheckDigit] or [ErrVINYearCode],
// all of which wrap [ErrInvalidVIN]; they never repeat the VIN.
//
// Not every vehicle has a standard VIN: vehicles before model year 1981
// carry makers' serials of other lengths, and outside North America the
// check digit and year code are optional (ISO 3779). [ParseVINLenient]
// accepts these and marks them: [VIN.Standard] is false. Decoding a VIN from
// JSON or a database is lenient, so stored non-standard VINs load again,
// and the standard flag is recomputed from the text.
//
// Position 10 gives the model year only up to a 30-year cycle, so
// [VIN.ModelYears] returns both candidates, the likelier first.
package household
