package storage

import (
	"context"

	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/household"
)

// EntitySuggestionDecision is the entity of a change that records a
// decision about a household suggestion; its ID is the suggestion key.
const EntitySuggestionDecision Entity = "suggestion_decision"

// SuggestionReader reads the decisions staff made about household
// suggestions.
type SuggestionReader interface {
	// SuggestionDecision returns the decision recorded under the
	// suggestion key (household.SuggestionKey), or ErrNotFound.
	SuggestionDecision(ctx context.Context, tenant dealer.Tenant, key string) (household.Decision, error)
}

// SuggestionWriter records decisions about household suggestions. A
// decision is written once and never removed; only an erasure changes it
// (ErasureWriter.EraseDecision).
type SuggestionWriter interface {
	// RecordSuggestionDecision stores d, with a change record (entity
	// EntitySuggestionDecision, ID d.Key, OpCreate, revision 0). It fails
	// with ErrInvalidArgument when d has no tenant or key, and with
	// ErrAlreadyExists when the key already has a decision.
	RecordSuggestionDecision(ctx context.Context, d household.Decision) error
}
