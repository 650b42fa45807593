package sqlitestore

import (
	"context"
	"database/sql"
	"strings"

	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

const listCommitments = "commitments"

var (
	sqlGetCommitment = static(`SELECT due, id, doc FROM commitments WHERE tenant_id = ? AND id = ?`)

	sqlInsertCommitment   = static(`INSERT INTO commitments (tenant_id, id, customer_id, owner, team, rooftop, status, due, done_at, revision, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)`)
	sqlUpdateCommitment   = static(`UPDATE commitments SET customer_id = ?, owner = ?, team = ?, rooftop = ?, status = ?, due = ?, done_at = ?, revision = revision + 1, doc = ? WHERE tenant_id = ? AND id = ? AND revision = ?`)
	sqlCommitmentRevision = static(`SELECT revision FROM commitments WHERE tenant_id = ? AND id = ?`)
)

// GetCommitment implements storage.CommitmentReader.
func (r reader) GetCommitment(ctx context.Context, tenant dealer.Tenant, id interaction.CommitmentID) (interaction.Commitment, error) {
	const op = "sqlitestore.GetCommitment"
	if err := r.run.enter(ctx, op); err != nil {
		return interaction.Commitment{}, err
	}
	return getDoc[interaction.Commitment](ctx, r.run, op, sqlGetCommitment, string(tenant), idBytes(id))
}

// commitmentsQuery builds the SQL of a Commitments page. Each set field of
// q is an equality on an indexed column (owner, team, customer all have a
// (tenant_id, <column>, due, id) index), so the page is a range scan in
// (due, id) order.
func commitmentsQuery(tenant dealer.Tenant, q *storage.CommitmentQuery, after *[2]any, limit int) (string, []any) {
	var sb strings.Builder
	sb.WriteString(`SELECT due, id, doc FROM commitments WHERE tenant_id = ?`)
	args := []any{string(tenant)}
	if q.Owner != "" {
		sb.WriteString(` AND owner = ?`)
		args = append(args, string(q.Owner))
	}
	if q.Team != "" {
		sb.WriteString(` AND team = ?`)
		args = append(args, string(q.Team))
	}
	if q.Rooftop != "" {
		sb.WriteString(` AND rooftop = ?`)
		args = append(args, string(q.Rooftop))
	}
	if !q.Customer.IsZero() {
		sb.WriteString(` AND customer_id = ?`)
		args = append(args, idBytes(q.Customer))
	}
	args = inList(&sb, "status", q.Statuses, args)
	if !q.DueBefore.IsZero() {
		sb.WriteString(` AND due < ?`)
		args = append(args, ceilMicros(q.DueBefore))
	}
	if !q.DoneSince.IsZero() {
		sb.WriteString(` AND done_at >= ?`)
		args = append(args, ceilMicros(q.DoneSince))
	}
	if after != nil {
		sb.WriteString(` AND (due, id) > (?, ?)`)
		args = append(args, after[0], after[1])
	}
	sb.WriteString(` ORDER BY due, id LIMIT ?`)
	args = append(args, limit)
	return sb.String(), args
}

// Commitments implements storage.CommitmentReader: by (Due, ID) ascending,
// keyset-paged.
func (r reader) Commitments(ctx context.Context, tenant dealer.Tenant, q storage.CommitmentQuery, after storage.Cursor, limit int) ([]interaction.Commitment, storage.Cursor, error) {
	const op = "sqlitestore.Commitments"
	if err := r.run.enter(ctx, op); err != nil {
		return nil, "", err
	}
	return timePage[interaction.Commitment](ctx, r, op, tenant, listCommitments, after, limit,
		func(pos *[2]any, n int) (string, []any) { return commitmentsQuery(tenant, &q, pos, n) })
}

// CreateCommitment implements storage.CommitmentWriter.
func (t *tx) CreateCommitment(ctx context.Context, c interaction.Commitment) error {
	const op = "sqlitestore.CreateCommitment"
	if err := t.enter(ctx, op); err != nil {
		return err
	}
	if err := checkNew(op, c.Tenant, c.ID, c.Revision); err != nil {
		return err
	}
	c.Revision = 1
	doc, err := encode(c)
	if err != nil {
		return storage.E(op, storage.ErrInvalidArgument, err)
	}
	if _, err := t.exec(ctx, sqlInsertCommitment, string(c.Tenant), idBytes(c.ID), idArg(c.Customer),
		string(c.Owner), string(c.Team), string(c.Rooftop), string(c.Status), micros(c.Due), doneAt(&c), doc); err != nil {
		return mapErr(ctx, op, err)
	}
	return t.record(ctx, op, c.Tenant, storage.EntityCommitment, c.ID.String(), storage.OpCreate, 1)
}

// UpdateCommitment implements storage.CommitmentWriter.
func (t *tx) UpdateCommitment(ctx context.Context, c interaction.Commitment) (int64, error) {
	const op = "sqlitestore.UpdateCommitment"
	if err := t.enter(ctx, op); err != nil {
		return 0, err
	}
	if err := checkKey(op, c.Tenant, c.ID); err != nil {
		return 0, err
	}
	given := c.Revision
	c.Revision++
	doc, err := encode(c)
	if err != nil {
		return 0, storage.E(op, storage.ErrInvalidArgument, err)
	}
	res, err := t.exec(ctx, sqlUpdateCommitment, idArg(c.Customer), string(c.Owner), string(c.Team),
		string(c.Rooftop), string(c.Status), micros(c.Due), doneAt(&c), doc, string(c.Tenant), idBytes(c.ID), given)
	if err != nil {
		return 0, mapErr(ctx, op, err)
	}
	if err := t.revised(ctx, op, res, sqlCommitmentRevision, c.Tenant, c.ID); err != nil {
		return 0, err
	}
	if err := t.record(ctx, op, c.Tenant, storage.EntityCommitment, c.ID.String(), storage.OpUpdate, c.Revision); err != nil {
		return 0, err
	}
	return c.Revision, nil
}

// doneAt is the done_at column of c: DoneAt in microseconds, NULL when
// not done.
func doneAt(c *interaction.Commitment) any {
	if c.DoneAt.IsZero() {
		return nil
	}
	return micros(c.DoneAt)
}

// backfillDoneAt fills the done_at column of the commitments stored before
// it existed (migration 0007), in the migration's transaction.
func backfillDoneAt(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT tenant_id, id, doc FROM commitments WHERE status = 'done'`)
	if err != nil {
		return err
	}
	type fill struct {
		tenant string
		id     []byte
		at     int64
	}
	var fills []fill
	for rows.Next() {
		var f fill
		var doc []byte
		if err := rows.Scan(&f.tenant, &f.id, &doc); err != nil {
			rows.Close()
			return err
		}
		var c interaction.Commitment
		if decodeInto(doc, &c) != nil || c.DoneAt.IsZero() {
			continue // a corrupt record stays unreadable; it has no time to index
		}
		f.at = micros(c.DoneAt)
		fills = append(fills, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, f := range fills {
		if _, err := tx.ExecContext(ctx, `UPDATE commitments SET done_at = ? WHERE tenant_id = ? AND id = ?`, f.at, f.tenant, f.id); err != nil {
			return err
		}
	}
	return nil
}
