// Package channel holds the ways a dealership and a customer reach each other:
// channel kinds, normalized contact addresses, and contact preferences.
//
// # Addresses
//
// An [Address] is a normalized, comparable contact point in URN form:
// "tel:+12125550123", "mailto:jane.doe@example.com", "whatsapp:+12125550123",
// "facebook:<page-scoped id>", "webchat:<session>". Two spellings of one
// contact point give equal Addresses, so an Address is a map key, the key an
// inbound message is matched on, and the key consent is recorded against.
// Addresses are built only by parsing ([ParseAddress], [ParsePhone],
// [ParseEmail]); unmarshalling re-validates, so a stored or received value
// can never hold an unnormalized address.
//
// # Phones
//
// [ParsePhone] reads numbers as people write them and produces E.164 through
// the numbering-plan metadata of github.com/nyaruka/phonenumbers (which never
// appears in this package's API). A number must be valid, not merely of a
// possible length: a seven-digit US number without its area code is refused.
// Extensions are kept on the [Phone] and in its tel: Address
// ("tel:+12125550123;ext=45"); [Address.Line] drops them for the keys that
// belong to the whole line.
//
// # Emails
//
// [ParseEmail] keeps the canonical address (NFC, lower-cased) apart from the
// display name. An internationalized domain is one address however it is
// written: "jane@bücher.de" and "jane@xn--bcher-kva.de" both give
// "jane@bücher.de" (IDNA, UTS #46; the canonical form keeps Unicode labels,
// [Email.ASCIIDomain] gives the A-labels). [Email.MatchKey] additionally
// folds "+tags" and Gmail dots; it is for suggesting duplicates only, never
// for identity. [Email.Address], like [Phone.Address], gives the contact
// point; [Email.AddrSpec] the bare address as a string.
//
// # Preferences
//
// A [Preference] ranks channel kinds, lists weekly [Window]s (which may cross
// midnight) in an IANA time zone, and names a language.
//
// # Errors
//
// Parsers and validators return *[ValidationError] values naming the field,
// wrapping [ErrInvalidPhone], [ErrInvalidEmail], [ErrInvalidAddress],
// [ErrInvalidKind], [ErrInvalidWindow] or [ErrInvalidZone]; match them with
// errors.Is and errors.As. Messages say why input was refused and never echo
// it, so they are safe to log.
//
// Every function and method in this package is safe for concurrent use.
package channel
