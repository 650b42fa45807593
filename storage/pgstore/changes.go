package pgstore

import (
	"context"

	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/storage"
)

const sqlChanges = `SELECT seq, entity, id, op, revision FROM changes WHERE tenant_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`

// Changes implements storage.ChangeReader: a range scan of the changes
// primary key. A tenant's writing transactions hold its counter row from
// their first statement to commit, so they number their changes and commit
// one after another: once a reader sees seq n, every lower seq of the
// tenant is committed and visible too, and a follower never skips a change
// (see the package documentation, "The change feed"). Seqs count each
// tenant's changes 1, 2, 3, …
func (r reader) Changes(ctx context.Context, tenant dealer.Tenant, after storage.Cursor, limit int) ([]storage.Change, storage.Cursor, error) {
	const op = "pgstore.Changes"
	if err := r.run.enter(ctx, op, tenant); err != nil {
		return nil, "", err
	}
	from, err := storage.ParseSeqCursor(after, tenant, storage.ChangesList)
	if err != nil {
		return nil, "", err
	}
	rows, err := r.run.db().Query(ctx, sqlChanges, string(tenant), from, pageLimit(limit))
	if err != nil {
		return nil, "", r.run.mapErr(ctx, op, err)
	}
	defer rows.Close()
	var out []storage.Change
	for rows.Next() {
		c := storage.Change{Tenant: tenant}
		var entity, what string
		if err := rows.Scan(&c.Seq, &entity, &c.ID, &what, &c.Revision); err != nil {
			return nil, "", r.run.mapErr(ctx, op, err)
		}
		c.Entity, c.Op = storage.Entity(entity), storage.Op(what)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, "", r.run.mapErr(ctx, op, err)
	}
	if len(out) == 0 {
		return nil, after, nil
	}
	return out, storage.SeqCursor(tenant, storage.ChangesList, out[len(out)-1].Seq), nil
}
