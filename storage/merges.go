package storage

import (
	"context"

	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
)

// EntityMerge is the entity of a change that records a merge of customers
// (customer.MergeRecord); its ID is the merge ID.
const EntityMerge Entity = "merge"

// MergeReader reads merge records.
type MergeReader interface {
	// GetMerge returns the merge record, ErrNotFound, or ErrCorrupt.
	GetMerge(ctx context.Context, tenant dealer.Tenant, id customer.MergeID) (customer.MergeRecord, error)
}

// MergeWriter records merges of customers. A merge record is written
// once and never changed or removed: it is the history an unmerge reads.
type MergeWriter interface {
	// RecordMerge stores m, with a change record (entity EntityMerge, ID
	// m.ID, OpCreate, revision 0). It fails with ErrInvalidArgument when m
	// has no tenant or ID, and with ErrAlreadyExists when the ID is taken.
	RecordMerge(ctx context.Context, m customer.MergeRecord) error
}
