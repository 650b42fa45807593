package pgstore

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

var (
	_ storage.LineStateReader = (*Backend)(nil)
	_ storage.LineStateReader = (*tx)(nil)
)

var errNoLine = errors.New("pgstore: line query without a line")

var touchColumns = []string{"tenant_id", "interaction_id", "customer_id", "occurred_at", "line", "channel", "rooftop", "purpose", "confirmation", "staff", "conversation_id"}

const (
	sqlInsertTouch = `INSERT INTO line_touches (tenant_id, interaction_id, customer_id, occurred_at, line, channel, rooftop, purpose, confirmation, staff, conversation_id)` +
		` VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`
	sqlDeleteTouch = `DELETE FROM line_touches WHERE tenant_id = $1 AND interaction_id = $2`
)

// touchRow returns the line_touches row of an interaction, or nil when it
// has none: no customer, or neither a send to a line nor a staff contact.
func touchRow(i *interaction.Interaction) []any {
	if i.Customer.IsZero() {
		return nil
	}
	s, send := storage.SendOf(i)
	c, contact := i.StaffContact()
	if !send && !contact {
		return nil
	}
	line := ""
	if send {
		line = i.Address.Line().String()
	}
	return []any{string(i.Tenant), uid(i.ID), uid(i.Customer), i.OccurredAt, line,
		string(s.Channel), string(s.Rooftop), string(s.Purpose), s.Confirmation, string(c.Staff), nullUID(i.Conversation)}
}

// touch keeps i's line_touches row current: called by every write of an
// interaction, in its transaction (replace says an older row may exist).
func (t *tx) touch(ctx context.Context, i *interaction.Interaction, replace bool) error {
	if replace {
		if _, err := t.pgTx.Exec(ctx, sqlDeleteTouch, string(i.Tenant), uid(i.ID)); err != nil {
			return err
		}
	}
	if row := touchRow(i); row != nil {
		if _, err := t.pgTx.Exec(ctx, sqlInsertTouch, row...); err != nil {
			return err
		}
	}
	return nil
}

// touchRows returns the line_touches rows of interactions, for a COPY.
func touchRows(is []interaction.Interaction) [][]any {
	var rows [][]any
	for k := range is {
		if row := touchRow(&is[k]); row != nil {
			rows = append(rows, row)
		}
	}
	return rows
}

// backfillTouches writes the line_touches rows of the interactions stored
// before the table existed (migration 5), in the migration's transaction.
func backfillTouches(ctx context.Context, tx pgx.Tx) error {
	rows, err := tx.Query(ctx, `SELECT doc FROM interactions`)
	if err != nil {
		return err
	}
	var is []interaction.Interaction
	for rows.Next() {
		var doc []byte
		if err := rows.Scan(&doc); err != nil {
			rows.Close()
			return err
		}
		var i interaction.Interaction
		if decodeInto(doc, &i) != nil {
			continue // a corrupt record stays unreadable; it has no state to keep
		}
		is = append(is, i)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if rs := touchRows(is); len(rs) > 0 {
		_, err = tx.CopyFrom(ctx, pgx.Identifier{"line_touches"}, touchColumns, pgx.CopyFromRows(rs))
	}
	return err
}

// LineState implements [storage.LineStateReader]: LineStates for one query.
func (r reader) LineState(ctx context.Context, tenant dealer.Tenant, q storage.LineQuery) (storage.LineState, error) {
	sts, err := r.LineStates(ctx, tenant, []storage.LineQuery{q})
	if err != nil {
		return storage.LineState{}, err
	}
	return sts[0], nil
}

// LineStates implements [storage.LineStateReader] with one query per table
// for the whole batch (see lineStatesBatch): the ledgers, the holders, the
// recipients and their open conversations, and the sends to the lines and
// the recipients' staff contacts from the line_touches table (index range
// scans, no interaction documents decoded). Outside a transaction the batch reads one
// snapshot: a read-only REPEATABLE READ transaction.
func (r reader) LineStates(ctx context.Context, tenant dealer.Tenant, qs []storage.LineQuery) ([]storage.LineState, error) {
	const op = "pgstore.LineStates"
	if err := r.run.enter(ctx, op, tenant); err != nil {
		return nil, err
	}
	for _, q := range qs {
		if q.Line.IsZero() {
			return nil, storage.E(op, storage.ErrInvalidArgument, errNoLine)
		}
	}
	if pr, ok := r.run.(poolRunner); ok && len(qs) > 0 {
		ptx, err := pr.b.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
		if err != nil {
			return nil, pr.mapErr(ctx, op, err)
		}
		defer func() {
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), rollbackTimeout)
			defer cancel()
			_ = ptx.Rollback(rctx)
		}()
		r = reader{run: snapRunner{pool: pr, tx: ptx}}
	}
	out := make([]storage.LineState, len(qs))
	if err := r.lineStatesBatch(ctx, op, tenant, qs, out); err != nil {
		return nil, err
	}
	return out, nil
}

// window gives the column bounds of since ≤ t < until (zero: unbounded,
// as pgx's infinity timestamps).
func window(since, until time.Time) (pgtype.Timestamptz, pgtype.Timestamptz) {
	lo := pgtype.Timestamptz{InfinityModifier: pgtype.NegativeInfinity, Valid: true}
	hi := pgtype.Timestamptz{InfinityModifier: pgtype.Infinity, Valid: true}
	if !since.IsZero() {
		lo = pgtype.Timestamptz{Time: ceilTime(since), Valid: true}
	}
	if !until.IsZero() {
		hi = pgtype.Timestamptz{Time: ceilTime(until), Valid: true}
	}
	return lo, hi
}

// snapRunner reads through one read-only transaction of the pool, so that
// several reads see one snapshot.
type snapRunner struct {
	pool poolRunner
	tx   pgx.Tx
}

func (r snapRunner) enter(ctx context.Context, op string, tenant dealer.Tenant) error {
	return r.pool.enter(ctx, op, tenant)
}
func (r snapRunner) db() querier { return r.tx }
func (r snapRunner) mapErr(ctx context.Context, op string, err error) error {
	return r.pool.mapErr(ctx, op, err)
}

var (
	_ storage.LineSendsReader = (*Backend)(nil)
	_ storage.LineSendsReader = (*tx)(nil)
)

// LineSends implements [storage.LineSendsReader]: one range scan of the
// line_touches_sends index.
func (r reader) LineSends(ctx context.Context, tenant dealer.Tenant, line channel.Address, since, until time.Time) ([]storage.CustomerSend, error) {
	const op = "pgstore.LineSends"
	if err := r.run.enter(ctx, op, tenant); err != nil {
		return nil, err
	}
	if line.IsZero() {
		return nil, storage.E(op, storage.ErrInvalidArgument, errNoLine)
	}
	lo, hi := window(since, until)
	rows, err := r.run.db().Query(ctx, sqlBatchSends, string(tenant), []string{line.Line().String()}, lo, hi)
	if err != nil {
		return nil, r.run.mapErr(ctx, op, err)
	}
	defer rows.Close()
	var sends []sendRow
	for rows.Next() {
		s, err := scanSend(rows)
		if err != nil {
			return nil, r.run.mapErr(ctx, op, err)
		}
		sends = append(sends, s)
	}
	if err := rows.Err(); err != nil {
		return nil, r.run.mapErr(ctx, op, err)
	}
	sortRows(sends, cmpSends)
	out := make([]storage.CustomerSend, len(sends))
	for k := range sends {
		out[k] = sends[k].send
	}
	return out, nil
}
