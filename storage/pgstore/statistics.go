package pgstore

import (
	"context"

	"github.com/rapportcim/rapport/storage"
)

var _ storage.StatisticsUpdater = (*Backend)(nil)

// sqlAnalyze refreshes the planner's statistics of every table of the
// schema but the migrations ledger (ANALYZE samples at most 30,000 rows of
// a table, so its cost does not grow with the tables).
const sqlAnalyze = `ANALYZE customers, customer_addresses, customer_external_ids, consent_events, interactions,` +
	` conversations, commitments, households, household_members, vehicles, changes, change_counters,` +
	` suggestion_decisions, merges, merge_customers, erasures, erased_events, line_touches`

// UpdateStatistics implements [storage.StatisticsUpdater]: ANALYZE of the
// package's tables in the backend's schema, which PostgreSQL's autovacuum
// would otherwise run some time after a bulk load.
func (b *Backend) UpdateStatistics(ctx context.Context) error {
	const op = "pgstore.UpdateStatistics"
	if err := b.check(ctx, op); err != nil {
		return err
	}
	if _, err := b.pool.Exec(ctx, sqlAnalyze); err != nil {
		return b.mapErr(ctx, op, err)
	}
	return nil
}
