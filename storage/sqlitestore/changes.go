package sqlitestore

import (
	"context"

	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/storage"
)

const listChanges = "changes"

var sqlChanges = static(`SELECT seq, entity, id, op, revision FROM changes WHERE tenant_id = ? AND seq > ? ORDER BY seq LIMIT ?`)

// Changes implements storage.ChangeReader. Every write transaction runs on
// the one writer connection and gives its changes the tenant's next seqs
// inside it, so seq order is commit order, and a reader's snapshot holds
// every change up to some commit and none after it: a follower never sees
// a gap filled later. Seqs count each tenant's changes (1, 2, 3, …).
func (r reader) Changes(ctx context.Context, tenant dealer.Tenant, after storage.Cursor, limit int) ([]storage.Change, storage.Cursor, error) {
	const op = "sqlitestore.Changes"
	if err := r.run.enter(ctx, op); err != nil {
		return nil, "", err
	}
	from, err := storage.ParseSeqCursor(after, tenant, listChanges)
	if err != nil {
		return nil, "", err
	}
	rows, err := r.run.query(ctx, sqlChanges, string(tenant), from, pageLimit(limit))
	if err != nil {
		return nil, "", mapErr(ctx, op, err)
	}
	defer rows.Close()
	var out []storage.Change
	for rows.Next() {
		c := storage.Change{Tenant: tenant}
		var entity, what string
		if err := rows.Scan(&c.Seq, &entity, &c.ID, &what, &c.Revision); err != nil {
			return nil, "", mapErr(ctx, op, err)
		}
		c.Entity, c.Op = storage.Entity(entity), storage.Op(what)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, "", mapErr(ctx, op, err)
	}
	if len(out) == 0 {
		return nil, after, nil
	}
	return out, storage.SeqCursor(tenant, listChanges, out[len(out)-1].Seq), nil
}
