package storagetest

import (
	"testing"

	"github.com/rapportcim/rapport/storage"
)

func checkRevisions(t *testing.T, b storage.Backend) {
	g := new(ids)
	for _, a := range aggregates {
		t.Run(a.name, func(t *testing.T) {
			ctx := t.Context()
			r := a.build(g, tenantA)
			if err := update(ctx, b, func(tx storage.Tx) error { return a.create(ctx, tx, r) }); err != nil {
				t.Fatalf("setup: Create%s: %v", a.name, err)
			}

			got, err := a.get(ctx, b, tenantA, r)
			if wantNoErr(t, "Get"+a.name+" after create", err) {
				if rev := a.revision(got); rev != 1 {
					t.Errorf("Create%s stored Revision %d, want 1", a.name, rev)
				}
				if d := contentDiff(a.withRev(r, 1), got); d != "" {
					t.Errorf("Get%s after create: %s", a.name, d)
				}
			}

			err = update(ctx, b, func(tx storage.Tx) error { return a.create(ctx, tx, a.touch(r, "second create")) })
			wantKind(t, "Create"+a.name+" with a taken ID", err, storage.ErrAlreadyExists)

			// Update at the stored revision: returns and stores the next one.
			var rev int64
			v2 := a.touch(a.withRev(r, 1), "updated once")
			err = update(ctx, b, func(tx storage.Tx) error {
				var err error
				rev, err = a.update(ctx, tx, v2)
				return err
			})
			if wantNoErr(t, "Update"+a.name+" at revision 1", err) && rev != 2 {
				t.Errorf("Update%s at revision 1 returned revision %d, want 2", a.name, rev)
			}
			v3 := a.touch(a.withRev(v2, 2), "updated twice")
			err = update(ctx, b, func(tx storage.Tx) error {
				var err error
				rev, err = a.update(ctx, tx, v3)
				return err
			})
			if wantNoErr(t, "Update"+a.name+" at revision 2", err) && rev != 3 {
				t.Errorf("Update%s at revision 2 returned revision %d, want 3", a.name, rev)
			}

			// Stale and future revisions conflict, and change nothing.
			for _, stale := range []int64{1, 2, 4, 0} {
				err = update(ctx, b, func(tx storage.Tx) error {
					_, err := a.update(ctx, tx, a.touch(a.withRev(r, stale), "stale write"))
					return err
				})
				wantKind(t, "Update"+a.name+" at a revision that is not the stored 3", err, storage.ErrConflict)
			}
			got, err = a.get(ctx, b, tenantA, r)
			if wantNoErr(t, "Get"+a.name+" after updates", err) {
				if rev := a.revision(got); rev != 3 {
					t.Errorf("after two updates and four refused ones, Revision = %d, want 3", rev)
				}
				if note := a.touched(got); note != "updated twice" {
					t.Errorf("after a refused stale update, the stored record holds %q, want %q (the last accepted write)", note, "updated twice")
				}
				if d := contentDiff(a.withRev(v3, 3), got); d != "" {
					t.Errorf("Get%s after updates: %s", a.name, d)
				}
			}

			// Missing records.
			missing := a.build(g, tenantA)
			_, err = a.get(ctx, b, tenantA, missing)
			wantKind(t, "Get"+a.name+" of a missing ID", err, storage.ErrNotFound)
			err = update(ctx, b, func(tx storage.Tx) error {
				_, err := a.update(ctx, tx, a.withRev(missing, 1))
				return err
			})
			wantKind(t, "Update"+a.name+" of a missing ID", err, storage.ErrNotFound)
			_, err = a.get(ctx, b, tenantA, missing)
			wantKind(t, "Get"+a.name+" after a refused update of a missing ID (no upsert)", err, storage.ErrNotFound)

			// Reads inside the transaction see its own writes.
			fresh := a.build(g, tenantA)
			err = update(ctx, b, func(tx storage.Tx) error {
				if err := a.create(ctx, tx, fresh); err != nil {
					return err
				}
				got, err := a.get(ctx, tx, tenantA, fresh)
				if err != nil {
					t.Errorf("Get%s through the Tx that created it: %v", a.name, err)
					return nil
				}
				if rev := a.revision(got); rev != 1 {
					t.Errorf("Get%s through the creating Tx: Revision %d, want 1", a.name, rev)
				}
				rev, err := a.update(ctx, tx, a.touch(got, "updated in the creating tx"))
				if err != nil {
					return err
				}
				if rev != 2 {
					t.Errorf("Update%s in the creating Tx returned %d, want 2", a.name, rev)
				}
				return nil
			})
			wantNoErr(t, "create, read and update in one Update", err)

			if a.remove == nil {
				return
			}
			err = update(ctx, b, func(tx storage.Tx) error { return a.remove(ctx, tx, tenantA, missing, 1) })
			wantKind(t, "Delete"+a.name+" of a missing ID", err, storage.ErrNotFound)
			for _, stale := range []int64{2, 4} {
				err = update(ctx, b, func(tx storage.Tx) error { return a.remove(ctx, tx, tenantA, r, stale) })
				wantKind(t, "Delete"+a.name+" at a revision that is not the stored 3", err, storage.ErrConflict)
			}
			if _, err := a.get(ctx, b, tenantA, r); err != nil {
				t.Errorf("Get%s after a refused delete: %v", a.name, err)
			}
			err = update(ctx, b, func(tx storage.Tx) error { return a.remove(ctx, tx, tenantA, r, 3) })
			wantNoErr(t, "Delete"+a.name+" at the stored revision", err)
			_, err = a.get(ctx, b, tenantA, r)
			wantKind(t, "Get"+a.name+" after delete", err, storage.ErrNotFound)
			err = update(ctx, b, func(tx storage.Tx) error { return a.remove(ctx, tx, tenantA, r, 3) })
			wantKind(t, "Delete"+a.name+" twice", err, storage.ErrNotFound)
			err = update(ctx, b, func(tx storage.Tx) error {
				_, err := a.update(ctx, tx, a.withRev(r, 3))
				return err
			})
			wantKind(t, "Update"+a.name+" after delete", err, storage.ErrNotFound)
		})
	}

	t.Run("ConsentDuplicateID", func(t *testing.T) {
		ctx := t.Context()
		e := newEvent(tenantA, g.event(), phone(20), g.customer(), at(0))
		seed(t, b, e)
		dup := newEvent(tenantA, e.ID, phone(21), g.customer(), at(1))
		dup.Action = "revoke"
		err := update(ctx, b, func(tx storage.Tx) error { return tx.AppendConsent(ctx, dup) })
		wantKind(t, "AppendConsent with a taken ID", err, storage.ErrAlreadyExists)
		got, err := b.ConsentByAddress(ctx, tenantA, phone(20))
		if wantNoErr(t, "ConsentByAddress", err) {
			if len(got) != 1 || contentDiff(e, got[0]) != "" {
				t.Errorf("after a refused duplicate append, ConsentByAddress = %d events, want the original one only", len(got))
			}
		}
		got, err = b.ConsentByAddress(ctx, tenantA, phone(21))
		if wantNoErr(t, "ConsentByAddress", err) && len(got) != 0 {
			t.Errorf("a refused duplicate append is visible by its address: %d events", len(got))
		}
	})

	t.Run("FnErrorReturnedUnchanged", func(t *testing.T) {
		err := update(t.Context(), b, func(tx storage.Tx) error { return errBoom })
		if err != errBoom {
			t.Errorf("Update returned %v, want fn's error unchanged (%v)", err, errBoom)
		}
	})
}
