package memstore

import (
	"context"

	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/storage"
)

// get reads one record through r.
func get[K idType, V any](r *reader, ctx context.Context, tb *table[K, V], tenant dealer.Tenant, id K) (V, error) {
	op := "memstore.Get" + tb.name
	var zero V
	if err := r.lock(ctx, op); err != nil {
		return zero, err
	}
	defer r.unlock()
	t := r.tenant(tenant)
	if t == nil {
		return zero, storage.E(op, storage.ErrNotFound, nil)
	}
	v, ok := tb.rows(t)[id]
	if !ok {
		return zero, storage.E(op, storage.ErrNotFound, nil)
	}
	return tb.clone(v), nil
}

// create stores a copy of v with Revision 1.
//
// It fails with ErrInvalidArgument when v has no tenant or no ID, or when
// its Revision is not 0 (a value read from storage being created again is
// a mistake worth reporting), and with ErrAlreadyExists when the ID is
// taken in the tenant.
func create[K idType, V any](x *txn, ctx context.Context, tb *table[K, V], v *V) error {
	op := "memstore.Create" + tb.name
	if err := x.enter(ctx, op); err != nil {
		return err
	}
	tenant, id, rev := tb.ident(v)
	switch {
	case tenant == "" || id == (K{}):
		return storage.E(op, storage.ErrInvalidArgument, errNoKey)
	case *rev != 0:
		return storage.E(op, storage.ErrInvalidArgument, errCreateRevision)
	}
	if err := storage.CheckText(op, v); err != nil {
		return err
	}
	t := x.tenantForWrite(tenant)
	if _, taken := tb.rows(t)[id]; taken {
		return storage.E(op, storage.ErrAlreadyExists, nil)
	}
	nv := new(V)
	*nv = tb.clone(v)
	_, _, nrev := tb.ident(nv)
	*nrev = 1
	tb.set(t, id, nil, nv)
	x.undo = append(x.undo, func() { tb.set(t, id, nv, nil) })
	x.record(tenant, tb.entity, id.String(), storage.OpCreate, 1)
	return nil
}

// update replaces the stored record with a copy of v when the stored
// revision is v's, storing and returning revision+1.
func update[K idType, V any](x *txn, ctx context.Context, tb *table[K, V], v *V) (int64, error) {
	op := "memstore.Update" + tb.name
	if err := x.enter(ctx, op); err != nil {
		return 0, err
	}
	tenant, id, rev := tb.ident(v)
	if tenant == "" || id == (K{}) {
		return 0, storage.E(op, storage.ErrInvalidArgument, errNoKey)
	}
	if err := storage.CheckText(op, v); err != nil {
		return 0, err
	}
	t := x.b.tenants[tenant]
	if t == nil {
		return 0, storage.E(op, storage.ErrNotFound, nil)
	}
	old, ok := tb.rows(t)[id]
	if !ok {
		return 0, storage.E(op, storage.ErrNotFound, nil)
	}
	if _, _, orev := tb.ident(old); *orev != *rev {
		return 0, storage.E(op, storage.ErrConflict, nil)
	}
	nv := new(V)
	*nv = tb.clone(v)
	_, _, nrev := tb.ident(nv)
	*nrev = *rev + 1
	tb.set(t, id, old, nv)
	x.undo = append(x.undo, func() { tb.set(t, id, nv, old) })
	x.record(tenant, tb.entity, id.String(), storage.OpUpdate, *nrev)
	return *nrev, nil
}

// remove deletes the stored record when its revision is rev.
func remove[K idType, V any](x *txn, ctx context.Context, tb *table[K, V], tenant dealer.Tenant, id K, rev int64) error {
	op := "memstore.Delete" + tb.name
	if err := x.enter(ctx, op); err != nil {
		return err
	}
	t := x.b.tenants[tenant]
	if t == nil {
		return storage.E(op, storage.ErrNotFound, nil)
	}
	old, ok := tb.rows(t)[id]
	if !ok {
		return storage.E(op, storage.ErrNotFound, nil)
	}
	if _, _, orev := tb.ident(old); *orev != rev {
		return storage.E(op, storage.ErrConflict, nil)
	}
	tb.set(t, id, old, nil)
	x.undo = append(x.undo, func() { tb.set(t, id, nil, old) })
	x.record(tenant, tb.entity, id.String(), storage.OpDelete, 0)
	return nil
}
