package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"math"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

var (
	_ storage.LineStateReader = (*Backend)(nil)
	_ storage.LineStateReader = (*tx)(nil)
)

var errNoLine = errors.New("sqlitestore: line query without a line")

var (
	sqlInsertTouch = static(`INSERT INTO line_touches (tenant_id, interaction_id, customer_id, occurred_at, line, channel, rooftop, purpose, confirmation, staff, conversation_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	sqlDeleteTouch = static(`DELETE FROM line_touches WHERE tenant_id = ? AND interaction_id = ?`)
	bulkTouches    = newBulkTable(
		`INSERT INTO line_touches (tenant_id, interaction_id, customer_id, occurred_at, line, channel, rooftop, purpose, confirmation, staff, conversation_id)`,
		`(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
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
	return []any{string(i.Tenant), idBytes(i.ID), idBytes(i.Customer), micros(i.OccurredAt), line,
		string(s.Channel), string(s.Rooftop), string(s.Purpose), flag(s.Confirmation), string(c.Staff), idArg(i.Conversation)}
}

// touch keeps i's line_touches row current: called by every write of an
// interaction, in its transaction (replace says an older row may exist).
func (t *tx) touch(ctx context.Context, i *interaction.Interaction, replace bool) error {
	if replace {
		if _, err := t.exec(ctx, sqlDeleteTouch, string(i.Tenant), idBytes(i.ID)); err != nil {
			return err
		}
	}
	if row := touchRow(i); row != nil {
		if _, err := t.exec(ctx, sqlInsertTouch, row...); err != nil {
			return err
		}
	}
	return nil
}

// backfillTouches writes the line_touches rows of the interactions stored
// before the table existed (migration 0006), in the migration's
// transaction.
func backfillTouches(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT doc FROM interactions`)
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
	for k := range is {
		if row := touchRow(&is[k]); row != nil {
			if _, err := tx.ExecContext(ctx, sqlInsertTouch, row...); err != nil {
				return err
			}
		}
	}
	return nil
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
// snapshot: a read transaction on one reader connection.
func (r reader) LineStates(ctx context.Context, tenant dealer.Tenant, qs []storage.LineQuery) ([]storage.LineState, error) {
	const op = "sqlitestore.LineStates"
	if err := r.run.enter(ctx, op); err != nil {
		return nil, err
	}
	for _, q := range qs {
		if q.Line.IsZero() {
			return nil, storage.E(op, storage.ErrInvalidArgument, errNoLine)
		}
	}
	if db, ok := r.run.(*dbRunner); ok && len(qs) > 0 {
		sqlTx, err := db.stmts.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
		if err != nil {
			return nil, mapErr(ctx, op, db.b.closedCause(err))
		}
		defer sqlTx.Rollback()
		r = reader{run: &snapRunner{db: db, tx: sqlTx}}
	}
	out := make([]storage.LineState, len(qs))
	if err := r.lineStatesBatch(ctx, op, tenant, qs, out); err != nil {
		return nil, err
	}
	return out, nil
}

// windowMicros gives the column bounds of since ≤ t < until (zero:
// unbounded).
func windowMicros(since, until time.Time) (int64, int64) {
	lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
	if !since.IsZero() {
		lo = ceilMicros(since)
	}
	if !until.IsZero() {
		hi = ceilMicros(until)
	}
	return lo, hi
}

// snapRunner reads through one read transaction of the reader pool, with
// the pool's prepared statements, so that several reads see one snapshot.
type snapRunner struct {
	db *dbRunner
	tx *sql.Tx
}

func (r *snapRunner) enter(ctx context.Context, op string) error { return r.db.enter(ctx, op) }

func (r *snapRunner) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	s, err := r.db.stmts.get(ctx, q)
	if err != nil {
		return nil, r.db.b.closedCause(err)
	}
	if s == nil {
		return r.tx.QueryContext(ctx, q, args...)
	}
	rows, err := r.tx.StmtContext(ctx, s).QueryContext(ctx, args...)
	return rows, r.db.b.closedCause(err)
}

func (r *snapRunner) queryRow(ctx context.Context, q string, args ...any) row {
	s, err := r.db.stmts.get(ctx, q)
	if err != nil || s == nil {
		return row{r.tx.QueryRowContext(ctx, q, args...), r.db.b}
	}
	return row{r.tx.StmtContext(ctx, s).QueryRowContext(ctx, args...), r.db.b}
}

var (
	_ storage.LineSendsReader = (*Backend)(nil)
	_ storage.LineSendsReader = (*tx)(nil)
)

// LineSends implements [storage.LineSendsReader]: one range scan of the
// line_touches index on (tenant_id, line, occurred_at).
func (r reader) LineSends(ctx context.Context, tenant dealer.Tenant, line channel.Address, since, until time.Time) ([]storage.CustomerSend, error) {
	const op = "sqlitestore.LineSends"
	if err := r.run.enter(ctx, op); err != nil {
		return nil, err
	}
	if line.IsZero() {
		return nil, storage.E(op, storage.ErrInvalidArgument, errNoLine)
	}
	l := line.Line()
	lb := &lineBatch{r: r, op: op, tenant: tenant, byText: map[string]channel.Address{l.String(): l}}
	lo, hi := windowMicros(since, until)
	if err := lb.readSends(ctx, []string{l.String()}, lo, hi); err != nil {
		return nil, err
	}
	return lb.Sends[l], nil
}
