package schema

import "embed"

// FS holds the schema files (customer.json, consent_event.json,
// interaction.json, conversation.json, commitment.json, household.json,
// vehicle.json, change.json). It is read-only.
//
//go:embed *.json
var FS embed.FS
