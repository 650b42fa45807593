// Package dms reads customer, vehicle, sales and service exports from
// dealer management systems (CDK, Dealertrack, DealerVault, Reynolds and
// any other through a custom [Mapping]) into rapport records.
//
// The package is pure: CSV in, records and a per-row report out, no
// storage. The root package's Book.Import writes the rows.
//
// # Mappings
//
// A [Mapping] names, for each [Field], the column that holds it, and
// declares the consent columns with their polarity ([ConsentFlag]). [Preset]
// returns the mapping for a system and kind of file; a vendor with another
// DMS, or a differently configured export, builds or adjusts a Mapping.
//
// # Consent
//
// Every DMS writes consent its own way: Dealertrack AllowContactByEmail=Y
// ("may contact"), DealerVault "Block Email"=Y ("must not"), CDK
// doNotContact.sms=true. Each flag becomes one consent event per address it
// covers, with import evidence: the system ("dms:dealertrack"), the file and
// row (evidence.document_ref "customers.csv#row=12", the RFC 7111 fragment)
// and the raw value ("AllowContactByEmail=Y"), captured at the export time.
// A "do not contact" value revokes every purpose on that channel; a "may
// contact" value grants prior express consent for service messages only —
// a DMS flag is never marketing consent. A flag covers only its own
// channel: an SMS consent is never derived from a phone flag.
//
// # Nothing dropped, every rejection explained
//
// A value that does not parse (a phone number too short, an e-mail without
// a domain, a VIN with an O in it) is kept verbatim in the record's
// Attributes under its field name, with a warning on the [Row]; so are the
// columns the mapping does not read (under their header). The postal
// address becomes the customer's normalized PostalAddress; when it does not
// normalize (an unknown state, a malformed ZIP code) its parts are kept
// verbatim (address1, city, region, postal_code, …). A row is rejected only
// when it cannot make the record its file is about (a customer file row
// with no customer number, name or address; a sale without a date), with a
// [RowError] naming the row and field.
//
// # Streaming
//
// [Reader] reads one row at a time with a bounded line length, so a file of
// a million rows is read in memory bounded by the longest line.
package dms
