package memstore

import (
	"context"
	"sort"

	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/storage"
)

const listChanges = "changes"

// Changes implements [storage.ChangeReader]. Its cursors belong to the list
// "changes" and hold the last change's Seq; with nothing new it returns
// after itself, so a follower can poll with it.
//
// Sequence numbers count each tenant's changes on its own (1, 2, 3, … per
// tenant, as in sqlitestore), so one tenant's seqs reveal nothing about
// another's activity. They are handed out at commit, under the write lock,
// so commit order is Seq order and a change is never visible before an
// earlier one. Each tenant keeps its own list,
// so a page is a binary search plus the page, whatever other tenants wrote.
func (r *reader) Changes(ctx context.Context, tenant dealer.Tenant, after storage.Cursor, limit int) ([]storage.Change, storage.Cursor, error) {
	const op = "memstore.Changes"
	if err := r.lock(ctx, op); err != nil {
		return nil, "", err
	}
	defer r.unlock()
	seq, err := storage.ParseSeqCursor(after, tenant, listChanges)
	if err != nil {
		return nil, "", storage.E(op, storage.ErrInvalidCursor, nil)
	}
	t := r.tenant(tenant)
	if t == nil {
		return nil, after, nil
	}
	i := sort.Search(len(t.changes), func(i int) bool { return t.changes[i].Seq > seq })
	n := min(pageSize(limit), len(t.changes)-i)
	if n == 0 {
		return nil, after, nil
	}
	out := make([]storage.Change, n)
	copy(out, t.changes[i:i+n])
	return out, storage.SeqCursor(tenant, listChanges, out[n-1].Seq), nil
}
