package pgstore

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

const listCommitments = "commitments"

const (
	sqlGetCommitment = `SELECT due, id, doc FROM commitments WHERE tenant_id = $1 AND id = $2`

	sqlInsertCommitment = `INSERT INTO commitments (tenant_id, id, customer_id, owner, team, rooftop, status, due, done_at, revision, doc)` +
		` VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10) ON CONFLICT DO NOTHING`
	sqlUpdateCommitment = `UPDATE commitments SET customer_id = $1, owner = $2, team = $3, rooftop = $4, status = $5, due = $6,` +
		` done_at = $7, revision = revision + 1, doc = $8 WHERE tenant_id = $9 AND id = $10 AND revision = $11`
	sqlCommitmentRevision = `SELECT revision FROM commitments WHERE tenant_id = $1 AND id = $2`
)

// GetCommitment implements storage.CommitmentReader.
func (r reader) GetCommitment(ctx context.Context, tenant dealer.Tenant, id interaction.CommitmentID) (interaction.Commitment, error) {
	const op = "pgstore.GetCommitment"
	if err := r.run.enter(ctx, op, tenant); err != nil {
		return interaction.Commitment{}, err
	}
	return getDoc[interaction.Commitment](ctx, r.run, op, sqlGetCommitment, string(tenant), uid(id))
}

// commitmentsQuery builds the SQL of a Commitments page. Owner, team,
// rooftop and customer each have a (tenant_id, <column>, due, id) index,
// so the page is a range scan in (due, id) order.
func commitmentsQuery(tenant dealer.Tenant, q *storage.CommitmentQuery, after *[2]any, limit int) (string, []any, bool) {
	var b sqlBuilder
	b.WriteString(`SELECT due, id, doc FROM commitments WHERE tenant_id = `)
	b.arg(string(tenant))
	if q.Owner != "" {
		b.WriteString(` AND owner = `)
		b.arg(string(q.Owner))
	}
	if q.Team != "" {
		b.WriteString(` AND team = `)
		b.arg(string(q.Team))
	}
	if q.Rooftop != "" {
		b.WriteString(` AND rooftop = `)
		b.arg(string(q.Rooftop))
	}
	if !q.Customer.IsZero() {
		b.WriteString(` AND customer_id = `)
		b.arg(uid(q.Customer))
	}
	anyOf(&b, "status", q.Statuses)
	if !q.DueBefore.IsZero() {
		b.WriteString(` AND due < `)
		b.arg(ceilTime(q.DueBefore))
	}
	if !q.DoneSince.IsZero() {
		b.WriteString(` AND done_at >= `)
		b.arg(ceilTime(q.DoneSince))
	}
	if after != nil {
		b.WriteString(` AND (due, id) > (`)
		b.arg(after[0])
		b.WriteString(`, `)
		b.arg(after[1])
		b.WriteString(`)`)
	}
	b.WriteString(` ORDER BY due, id LIMIT `)
	b.arg(limit)
	return b.String(), b.args, true
}

// Commitments implements storage.CommitmentReader: by (Due, ID) ascending,
// keyset-paged.
func (r reader) Commitments(ctx context.Context, tenant dealer.Tenant, q storage.CommitmentQuery, after storage.Cursor, limit int) ([]interaction.Commitment, storage.Cursor, error) {
	const op = "pgstore.Commitments"
	if err := r.run.enter(ctx, op, tenant); err != nil {
		return nil, "", err
	}
	return timePage[interaction.Commitment](ctx, r, op, tenant, listCommitments, after, limit,
		func(pos *[2]any, n int) (string, []any, bool) { return commitmentsQuery(tenant, &q, pos, n) })
}

// CreateCommitment implements storage.CommitmentWriter.
func (t *tx) CreateCommitment(ctx context.Context, c interaction.Commitment) error {
	const op = "pgstore.CreateCommitment"
	if err := t.enter(ctx, op, c.Tenant); err != nil {
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
	tag, err := t.pgTx.Exec(ctx, sqlInsertCommitment, string(c.Tenant), uid(c.ID), nullUID(c.Customer),
		string(c.Owner), string(c.Team), string(c.Rooftop), string(c.Status), c.Due, doneAt(&c), doc)
	if err != nil {
		return t.mapErr(ctx, op, err)
	}
	if err := created(op, tag.RowsAffected()); err != nil {
		return err
	}
	return t.record(ctx, op, c.Tenant, storage.EntityCommitment, c.ID.String(), storage.OpCreate, 1)
}

// UpdateCommitment implements storage.CommitmentWriter.
func (t *tx) UpdateCommitment(ctx context.Context, c interaction.Commitment) (int64, error) {
	const op = "pgstore.UpdateCommitment"
	if err := t.enter(ctx, op, c.Tenant); err != nil {
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
	tag, err := t.pgTx.Exec(ctx, sqlUpdateCommitment, nullUID(c.Customer), string(c.Owner), string(c.Team),
		string(c.Rooftop), string(c.Status), c.Due, doneAt(&c), doc, string(c.Tenant), uid(c.ID), given)
	if err != nil {
		return 0, t.mapErr(ctx, op, err)
	}
	if err := t.revised(ctx, op, tag.RowsAffected(), sqlCommitmentRevision, c.Tenant, c.ID); err != nil {
		return 0, err
	}
	if err := t.record(ctx, op, c.Tenant, storage.EntityCommitment, c.ID.String(), storage.OpUpdate, c.Revision); err != nil {
		return 0, err
	}
	return c.Revision, nil
}

// doneAt is the done_at column of c: DoneAt, NULL when not done.
func doneAt(c *interaction.Commitment) any {
	if c.DoneAt.IsZero() {
		return nil
	}
	return c.DoneAt
}

// backfillDoneAt fills the done_at column of the commitments stored before
// it existed (migration 6), in the migration's transaction.
func backfillDoneAt(ctx context.Context, tx pgx.Tx) error {
	rows, err := tx.Query(ctx, `SELECT tenant_id, id, doc FROM commitments WHERE status = 'done'`)
	if err != nil {
		return err
	}
	type fill struct {
		tenant string
		id     pgtype.UUID
		at     time.Time
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
		f.at = c.DoneAt
		fills = append(fills, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, f := range fills {
		if _, err := tx.Exec(ctx, `UPDATE commitments SET done_at = $1 WHERE tenant_id = $2 AND id = $3`, f.at, f.tenant, f.id); err != nil {
			return err
		}
	}
	return nil
}
