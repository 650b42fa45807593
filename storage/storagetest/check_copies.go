package storagetest

import (
	"testing"

	"github.com/rapportcim/rapport/storage"
)

func checkDefensiveCopies(t *testing.T, b storage.Backend) {
	g := new(ids)
	for _, a := range aggregates {
		t.Run(a.name, func(t *testing.T) {
			ctx := t.Context()
			r := a.full(g, tenantA)
			want := a.withRev(deepCopy(r), 1)

			// The value passed to Create, and the value a read in the same
			// transaction returns, are scribbled on before commit.
			err := update(ctx, b, func(tx storage.Tx) error {
				if err := a.create(ctx, tx, r); err != nil {
					return err
				}
				scribble(r)
				got, err := a.get(ctx, tx, tenantA, r)
				if err != nil {
					return err
				}
				scribble(got)
				return nil
			})
			if err != nil {
				t.Fatalf("setup: Create%s: %v", a.name, err)
			}
			got, err := a.get(ctx, b, tenantA, want)
			if !wantNoErr(t, "Get"+a.name, err) {
				return
			}
			if d := contentDiff(want, got); d != "" {
				t.Errorf("changing the value given to Create%s (after the call) changed the stored record: %s", a.name, d)
			}

			// The value a read returns is scribbled on.
			scribble(got)
			again, err := a.get(ctx, b, tenantA, want)
			if wantNoErr(t, "Get"+a.name, err) {
				if d := contentDiff(want, again); d != "" {
					t.Errorf("changing the value Get%s returned changed the stored record: %s", a.name, d)
				}
			}

			// The value passed to Update is scribbled on after the call.
			u := a.touch(deepCopy(want), "updated")
			wantU := a.withRev(deepCopy(u), 2)
			err = update(ctx, b, func(tx storage.Tx) error {
				_, err := a.update(ctx, tx, u)
				scribble(u)
				return err
			})
			if !wantNoErr(t, "Update"+a.name, err) {
				return
			}
			again, err = a.get(ctx, b, tenantA, want)
			if wantNoErr(t, "Get"+a.name+" after update", err) {
				if d := contentDiff(wantU, again); d != "" {
					t.Errorf("changing the value given to Update%s (after the call) changed the stored record: %s", a.name, d)
				}
			}

			// The values a list returns are scribbled on.
			if a.list == nil {
				return
			}
			list, err := a.list(ctx, b, tenantA, want)
			if !wantNoErr(t, "listing "+a.name+"s", err) {
				return
			}
			if len(list) == 0 {
				t.Errorf("listing %ss: the stored record is missing", a.name)
			}
			for _, v := range list {
				scribble(v)
			}
			again, err = a.get(ctx, b, tenantA, want)
			if wantNoErr(t, "Get"+a.name+" after listing", err) {
				if d := contentDiff(wantU, again); d != "" {
					t.Errorf("changing the values a list of %ss returned changed the stored record: %s", a.name, d)
				}
			}
		})
	}
}
