// Package schema holds the JSON Schemas (draft 2020-12) of rapport's
// exported records — customer, consent event, interaction, conversation,
// commitment, household, vehicle and change record — so that systems in any
// language can validate what rapport writes.
//
// The schemas are generated from the Go types and committed as *.json files
// in this directory; [FS] embeds them. After changing a record type, run
//
//	go generate ./schema
//
// A test fails, naming that command, when the committed files and the Go
// types have drifted apart.
//
// What the schemas say:
//
//   - a field the Go type always writes (no omitempty or omitzero) is
//     required; the others are optional;
//   - identifiers are UUID strings, times RFC 3339, contact points URNs;
//   - an enum lists the values this version knows ("" meaning unknown) and
//     also accepts any other well-formed token, because records keep values
//     written by newer versions;
//   - no other properties are allowed: the schema describes this version's
//     records exactly.
package schema

//go:generate go run generate.go
