// Package adf reads, validates and writes ADF (Auto-lead Data Format 1.0)
// XML, the format lead providers send dealerships leads in.
//
// The package is pure: bytes in, a [Document] and a report out, no storage.
// The root package's Book.ImportLead turns a [Prospect] into records.
//
// # Reading is lenient, validation is apart
//
// Nobody sends ADF exactly as the specification says: encodings are
// mislabelled, names are capitalised, enumerated values are spelled
// "Used" or "cell", required blocks are missing and every provider adds its
// own elements. [Read] accepts all of that and keeps every element and
// attribute the DTD has no place for in the Ext field of the element that
// holds it, in order, so nothing a provider sent is dropped. It refuses only
// input that is not well-formed XML, too large or too deep, and it never
// fetches or expands external entities.
//
// [Validate] then reports each deviation from the DTD — a missing required
// element, a value outside an enumeration, a non-canonical spelling, an
// extension — with its path, so that an integration can show a dealership
// "your provider sends X". [Canonical] maps a value to its DTD spelling.
//
// # Writing
//
// [Write] emits UTF-8 XML in the DTD's element order, followed by each
// element's extensions. Reading what it wrote gives back the same
// [Document]: read → write → read is the identity.
//
// # Values
//
// Every field holds the text as sent, white space included, because the
// specification leaves most values free-form (phone numbers, dates with or
// without separators). [ParseDate] parses the specification's date forms.
// Error messages never repeat lead data; [Issue.String] does, since its
// purpose is to show it.
package adf
