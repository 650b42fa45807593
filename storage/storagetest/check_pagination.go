package storagetest

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

// The pagination checks place IDs in slots: record k of the initial set
// has ID n = slotBase + k*slot, and records inserted during the walk take
// unused offsets inside the slots, chosen so that they fall before or after
// the cursor on purpose.
const (
	slotBase = 1_000_000
	slot     = 10_000

	offAhead1   = 1     // + page number
	offBehind1  = 2_000 // + page number
	offBehind2  = 4_000 // + page number
	offAhead2   = 6_000 // + page number
	offInserter = 8_000 // + goroutine number
)

func slotOf(n uint64) uint64 { return n / slot * slot }

func checkPagination(t *testing.T, b storage.Backend) {
	t.Run("CustomersInIDOrder", func(t *testing.T) { pageCustomers(t, b) })
	t.Run("InteractionsNewestFirst", func(t *testing.T) { pageInteractions(t, b) })
	t.Run("CommitmentsByDue", func(t *testing.T) { pageCommitments(t, b) })
	t.Run("DefaultLimit", func(t *testing.T) { defaultLimit(t, b) })
	t.Run("EmptyList", func(t *testing.T) { emptyLists(t, b) })
	t.Run("InvalidCursors", func(t *testing.T) { invalidCursors(t, b) })
}

// inserters runs n goroutines that each call insert(i, j) for i in
// [0, count) until the walk is done, and returns a function that stops them
// and waits.
func inserters(t *testing.T, n, count int, insert func(ctx context.Context, goroutine, i int) error) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	for j := range n {
		wg.Go(func() {
			for i := range count {
				select {
				case <-done:
					return
				default:
				}
				if err := insert(t.Context(), j, i); err != nil {
					t.Errorf("concurrent insert: %v", err)
					return
				}
			}
		})
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			close(done)
			wg.Wait()
		})
	}
}

func pageCustomers(t *testing.T, b storage.Backend) {
	const tenant = dealer.Tenant("tenant-pages-customers")
	const initial, limit = 40, 7
	before := make(map[uint64]bool)
	var recs []any
	for k := range initial {
		n := uint64(slotBase + k*slot)
		before[n] = true
		recs = append(recs, newCustomer(tenant, customer.ID(rawID(n)), phone(70)))
	}
	seed(t, b, recs...)

	stop := inserters(t, 2, initial, func(ctx context.Context, j, i int) error {
		n := uint64(slotBase + i*slot + offInserter + j)
		return b.Update(ctx, func(tx storage.Tx) error {
			return tx.CreateCustomer(ctx, newCustomer(tenant, customer.ID(rawID(n)), phone(71)))
		})
	})
	defer stop()

	ctx := t.Context()
	seen := make(map[uint64]int)
	ahead, behind := make(map[uint64]bool), make(map[uint64]bool)
	var last *customer.ID
	var after storage.Cursor
	for p := 0; ; p++ {
		if p == maxPages/10 {
			t.Errorf("ListCustomers: more than %d pages", p)
			break
		}
		page, next, err := b.ListCustomers(ctx, tenant, after, limit)
		if err != nil {
			t.Errorf("ListCustomers page %d: %v", p, err)
			break
		}
		if len(page) > limit {
			t.Errorf("ListCustomers(limit %d) returned %d customers", limit, len(page))
		}
		for _, c := range page {
			seen[idNum(c.ID)]++
			if last != nil && bytes.Compare(c.ID[:], last[:]) <= 0 {
				t.Errorf("ListCustomers page %d: customer %s comes after %s: not in ascending ID order", p, c.ID, *last)
			}
			last = &c.ID
		}
		if next == "" {
			break
		}
		if len(page) == 0 {
			t.Errorf("ListCustomers page %d: empty page with a non-empty cursor", p)
			break
		}
		// Insert one customer before the cursor (it must not be seen: the
		// cursor holds a key, not an offset) and one after it (it must be).
		base := slotOf(idNum(page[len(page)-1].ID))
		a, bh := base+slot+offAhead1+uint64(p), base-slot+offBehind1+uint64(p)
		ahead[a], behind[bh] = true, true
		mustUpdate(t, b, func(ctx context.Context, tx storage.Tx) error {
			if err := tx.CreateCustomer(ctx, newCustomer(tenant, customer.ID(rawID(a)), phone(72))); err != nil {
				return err
			}
			return tx.CreateCustomer(ctx, newCustomer(tenant, customer.ID(rawID(bh)), phone(72)))
		})
		after = next
	}
	stop()

	for n := range before {
		if seen[n] != 1 {
			t.Errorf("customer %s, stored before the walk began, was seen %d times, want once", customer.ID(rawID(n)), seen[n])
		}
	}
	for n := range ahead {
		if seen[n] != 1 {
			t.Errorf("customer %s, inserted after the cursor during the walk, was seen %d times, want once", customer.ID(rawID(n)), seen[n])
		}
	}
	for n := range behind {
		if seen[n] != 0 {
			t.Errorf("customer %s, inserted before the cursor during the walk, was seen: the cursor is not a key", customer.ID(rawID(n)))
		}
	}
	for n, k := range seen {
		if k > 1 {
			t.Errorf("customer %s was seen %d times", customer.ID(rawID(n)), k)
		}
	}
}

// newer reports whether a comes strictly before b in a timeline: later
// OccurredAt, or the same and a greater ID.
func newer(a, b interaction.Interaction) bool {
	if !a.OccurredAt.Equal(b.OccurredAt) {
		return a.OccurredAt.After(b.OccurredAt)
	}
	return bytes.Compare(a.ID[:], b.ID[:]) > 0
}

func pageInteractions(t *testing.T, b storage.Backend) {
	const tenant = dealer.Tenant("tenant-pages-interactions")
	const initial, limit = 40, 5
	cust := customer.ID(rawID(1))
	// Groups of four share an OccurredAt, so page boundaries fall inside
	// ties; within a group, the slot order is scrambled against time.
	perm := []int{2, 0, 3, 1}
	before := make(map[uint64]bool)
	var recs []any
	for k := range initial {
		slotK := k/4*4 + perm[k%4]
		n := uint64(slotBase + slotK*slot)
		before[n] = true
		recs = append(recs, newInteraction(tenant, interaction.ID(rawID(n)), cust, at(k/4)))
	}
	seed(t, b, recs...)

	stop := inserters(t, 2, initial, func(ctx context.Context, j, i int) error {
		n := uint64(slotBase + i*slot + offInserter + j)
		return b.Update(ctx, func(tx storage.Tx) error {
			return tx.CreateInteraction(ctx, newInteraction(tenant, interaction.ID(rawID(n)), cust, at((initial-i)/4)))
		})
	})
	defer stop()

	ctx := t.Context()
	q := storage.InteractionQuery{Customers: []customer.ID{cust}}
	seen := make(map[uint64]int)
	ahead, behind := make(map[uint64]bool), make(map[uint64]bool)
	var prev *interaction.Interaction
	var after storage.Cursor
	for p := 0; ; p++ {
		if p == maxPages/10 {
			t.Errorf("Interactions: more than %d pages", p)
			break
		}
		page, next, err := b.Interactions(ctx, tenant, q, after, limit)
		if err != nil {
			t.Errorf("Interactions page %d: %v", p, err)
			break
		}
		if len(page) > limit {
			t.Errorf("Interactions(limit %d) returned %d", limit, len(page))
		}
		for i := range page {
			seen[idNum(page[i].ID)]++
			if prev != nil && !newer(*prev, page[i]) {
				t.Errorf("Interactions page %d: %s at %s comes after %s at %s: not in (OccurredAt desc, ID desc) order",
					p, page[i].ID, page[i].OccurredAt.Format("15:04"), prev.ID, prev.OccurredAt.Format("15:04"))
			}
			prev = &page[i]
		}
		if next == "" {
			break
		}
		if len(page) == 0 {
			t.Errorf("Interactions page %d: empty page with a non-empty cursor", p)
			break
		}
		// Around the cursor's key (t, id): same time with a smaller ID and an
		// earlier time come after it; same time with a greater ID and a later
		// time come before it.
		lastI := page[len(page)-1]
		base, pp := slotOf(idNum(lastI.ID)), uint64(p)
		a1, a2 := base-slot+offAhead1+pp, base+offAhead2+pp
		b1, b2 := base+slot+offBehind1+pp, base+offBehind2+pp
		ahead[a1], ahead[a2], behind[b1], behind[b2] = true, true, true, true
		tl := lastI.OccurredAt
		mustUpdate(t, b, func(ctx context.Context, tx storage.Tx) error {
			for _, i := range []interaction.Interaction{
				newInteraction(tenant, interaction.ID(rawID(a1)), cust, tl),
				newInteraction(tenant, interaction.ID(rawID(a2)), cust, tl.Add(-30e9)),
				newInteraction(tenant, interaction.ID(rawID(b1)), cust, tl),
				newInteraction(tenant, interaction.ID(rawID(b2)), cust, tl.Add(30e9)),
			} {
				if err := tx.CreateInteraction(ctx, i); err != nil {
					return err
				}
			}
			return nil
		})
		after = next
	}
	stop()

	for n := range before {
		if seen[n] != 1 {
			t.Errorf("interaction %s, stored before the walk began, was seen %d times, want once", interaction.ID(rawID(n)), seen[n])
		}
	}
	for n := range ahead {
		if seen[n] != 1 {
			t.Errorf("interaction %s, inserted after the cursor during the walk, was seen %d times, want once", interaction.ID(rawID(n)), seen[n])
		}
	}
	for n := range behind {
		if seen[n] != 0 {
			t.Errorf("interaction %s, inserted before the cursor during the walk, was seen", interaction.ID(rawID(n)))
		}
	}
	for n, k := range seen {
		if k > 1 {
			t.Errorf("interaction %s was seen %d times", interaction.ID(rawID(n)), k)
		}
	}
}

// dueFirst reports whether a comes strictly before b in a commitment list:
// earlier Due, or the same and a smaller ID.
func dueFirst(a, b interaction.Commitment) bool {
	if !a.Due.Equal(b.Due) {
		return a.Due.Before(b.Due)
	}
	return bytes.Compare(a.ID[:], b.ID[:]) < 0
}

func pageCommitments(t *testing.T, b storage.Backend) {
	const tenant = dealer.Tenant("tenant-pages-commitments")
	const initial, limit = 21, 4
	cust := customer.ID(rawID(1))
	perm := []int{1, 2, 0}
	before := make(map[uint64]bool)
	var recs []any
	for k := range initial {
		n := uint64(slotBase + (k/3*3+perm[k%3])*slot)
		before[n] = true
		recs = append(recs, newCommitment(tenant, interaction.CommitmentID(rawID(n)), cust, at(k/3)))
	}
	seed(t, b, recs...)

	ctx := t.Context()
	seen := make(map[uint64]int)
	ahead, behind := make(map[uint64]bool), make(map[uint64]bool)
	var prev *interaction.Commitment
	var after storage.Cursor
	for p := 0; ; p++ {
		if p == maxPages/10 {
			t.Errorf("Commitments: more than %d pages", p)
			break
		}
		page, next, err := b.Commitments(ctx, tenant, storage.CommitmentQuery{}, after, limit)
		if err != nil {
			t.Errorf("Commitments page %d: %v", p, err)
			break
		}
		if len(page) > limit {
			t.Errorf("Commitments(limit %d) returned %d", limit, len(page))
		}
		for i := range page {
			seen[idNum(page[i].ID)]++
			if prev != nil && !dueFirst(*prev, page[i]) {
				t.Errorf("Commitments page %d: %s due %s comes after %s due %s: not in (Due asc, ID asc) order",
					p, page[i].ID, page[i].Due.Format("15:04"), prev.ID, prev.Due.Format("15:04"))
			}
			prev = &page[i]
		}
		if next == "" {
			break
		}
		if len(page) == 0 {
			t.Errorf("Commitments page %d: empty page with a non-empty cursor", p)
			break
		}
		lastC := page[len(page)-1]
		base, pp := slotOf(idNum(lastC.ID)), uint64(p)
		a1, b1 := base+slot+offAhead1+pp, base-slot+offBehind1+pp
		ahead[a1], behind[b1] = true, true
		mustUpdate(t, b, func(ctx context.Context, tx storage.Tx) error {
			if err := tx.CreateCommitment(ctx, newCommitment(tenant, interaction.CommitmentID(rawID(a1)), cust, lastC.Due)); err != nil {
				return err
			}
			return tx.CreateCommitment(ctx, newCommitment(tenant, interaction.CommitmentID(rawID(b1)), cust, lastC.Due))
		})
		after = next
	}
	for n := range before {
		if seen[n] != 1 {
			t.Errorf("commitment %s, stored before the walk began, was seen %d times, want once", interaction.CommitmentID(rawID(n)), seen[n])
		}
	}
	for n := range ahead {
		if seen[n] != 1 {
			t.Errorf("commitment %s, inserted after the cursor during the walk, was seen %d times, want once", interaction.CommitmentID(rawID(n)), seen[n])
		}
	}
	for n := range behind {
		if seen[n] != 0 {
			t.Errorf("commitment %s, inserted before the cursor during the walk, was seen", interaction.CommitmentID(rawID(n)))
		}
	}
}

func defaultLimit(t *testing.T, b storage.Backend) {
	const tenant = dealer.Tenant("tenant-default-limit")
	const n, def = 150, 100
	g := new(ids)
	var recs []any
	cust := g.customer()
	for i := range n {
		recs = append(recs,
			newCustomer(tenant, g.customer(), phone(73)),
			newInteraction(tenant, g.interaction(), cust, at(i)),
			newCommitment(tenant, g.commitment(), cust, at(i)))
	}
	seed(t, b, recs...)
	ctx := t.Context()

	for _, limit := range []int{0, -1} {
		lists := []struct {
			name string
			page func(after storage.Cursor) (int, storage.Cursor, error)
		}{
			{"ListCustomers", func(after storage.Cursor) (int, storage.Cursor, error) {
				p, c, err := b.ListCustomers(ctx, tenant, after, limit)
				return len(p), c, err
			}},
			{"Interactions", func(after storage.Cursor) (int, storage.Cursor, error) {
				p, c, err := b.Interactions(ctx, tenant, storage.InteractionQuery{}, after, limit)
				return len(p), c, err
			}},
			{"Commitments", func(after storage.Cursor) (int, storage.Cursor, error) {
				p, c, err := b.Commitments(ctx, tenant, storage.CommitmentQuery{}, after, limit)
				return len(p), c, err
			}},
			{"Changes", func(after storage.Cursor) (int, storage.Cursor, error) {
				p, c, err := b.Changes(ctx, tenant, after, limit)
				return len(p), c, err
			}},
		}
		for _, l := range lists {
			got, cur, err := l.page("")
			if limit < 0 && errors.Is(err, storage.ErrInvalidArgument) {
				continue // a negative limit may be refused (storage.ErrInvalidArgument)
			}
			if !wantNoErr(t, l.name, err) {
				continue
			}
			if got != def {
				t.Errorf("%s(limit %d) returned %d records, want the default page of %d", l.name, limit, got, def)
			}
			if cur == "" {
				t.Errorf("%s(limit %d) returned no cursor with more records to come", l.name, limit)
				continue
			}
			if l.name == "Changes" {
				continue // 3n changes: the rest is more than one page
			}
			got, cur, err = l.page(cur)
			if wantNoErr(t, l.name+" second page", err) {
				if got != n-def {
					t.Errorf("%s(limit %d) second page: %d records, want the remaining %d", l.name, limit, got, n-def)
				}
				if cur != "" {
					t.Errorf("%s(limit %d): the last page returned cursor %q, want the empty cursor", l.name, limit, cur)
				}
			}
		}
	}

	// A page that ends exactly at the end of the list may return a cursor;
	// then the next page is empty and returns the empty cursor.
	page, cur, err := b.ListCustomers(ctx, tenant, "", n)
	if wantNoErr(t, "ListCustomers(limit = count)", err) {
		if len(page) != n {
			t.Errorf("ListCustomers(limit %d) returned %d of %d customers", n, len(page), n)
		}
		if cur != "" {
			page, cur, err = b.ListCustomers(ctx, tenant, cur, n)
			if wantNoErr(t, "ListCustomers after an exactly full page", err) && (len(page) != 0 || cur != "") {
				t.Errorf("ListCustomers after the last customer: %d customers and cursor %q, want none and the empty cursor", len(page), cur)
			}
		}
	}
}

func emptyLists(t *testing.T, b storage.Backend) {
	const tenant = dealer.Tenant("tenant-nothing")
	ctx := t.Context()
	cs, cur, err := b.ListCustomers(ctx, tenant, "", 10)
	if wantNoErr(t, "ListCustomers of an empty tenant", err) && (len(cs) != 0 || cur != "") {
		t.Errorf("ListCustomers of an empty tenant: %d customers, cursor %q; want none and the empty cursor", len(cs), cur)
	}
	is, cur, err := b.Interactions(ctx, tenant, storage.InteractionQuery{}, "", 10)
	if wantNoErr(t, "Interactions of an empty tenant", err) && (len(is) != 0 || cur != "") {
		t.Errorf("Interactions of an empty tenant: %d interactions, cursor %q; want none and the empty cursor", len(is), cur)
	}
	ks, cur, err := b.Commitments(ctx, tenant, storage.CommitmentQuery{}, "", 10)
	if wantNoErr(t, "Commitments of an empty tenant", err) && (len(ks) != 0 || cur != "") {
		t.Errorf("Commitments of an empty tenant: %d commitments, cursor %q; want none and the empty cursor", len(ks), cur)
	}
	ch, cur, err := b.Changes(ctx, tenant, "", 10)
	if wantNoErr(t, "Changes of an empty tenant", err) && len(ch) != 0 {
		t.Errorf("Changes of an empty tenant: %d changes, want none", len(ch))
	}
	if err == nil {
		// The cursor of an empty poll must be usable for the next poll.
		_, _, err := b.Changes(ctx, tenant, cur, 10)
		wantNoErr(t, "Changes with the cursor an empty poll returned", err)
	}
}

func invalidCursors(t *testing.T, b storage.Backend) {
	const tenant = dealer.Tenant("tenant-cursors")
	g := new(ids)
	var recs []any
	cust := g.customer()
	for i := range 3 {
		recs = append(recs,
			newCustomer(tenant, g.customer(), phone(74)),
			newInteraction(tenant, g.interaction(), cust, at(i)),
			newCommitment(tenant, g.commitment(), cust, at(i)))
	}
	seed(t, b, recs...)
	ctx := t.Context()

	_, custCur, err1 := b.ListCustomers(ctx, tenant, "", 1)
	_, interCur, err2 := b.Interactions(ctx, tenant, storage.InteractionQuery{}, "", 1)
	_, commitCur, err3 := b.Commitments(ctx, tenant, storage.CommitmentQuery{}, "", 1)
	_, changeCur, err4 := b.Changes(ctx, tenant, "", 1)
	if err := errors.Join(err1, err2, err3, err4); err != nil {
		t.Fatalf("setup: first pages: %v", err)
	}
	if custCur == "" || interCur == "" || commitCur == "" || changeCur == "" {
		t.Fatalf("setup: a first page of 1 of 3 records returned no cursor")
	}

	type lister struct {
		name string
		own  storage.Cursor
		page func(after storage.Cursor) error
	}
	listers := []lister{
		{"ListCustomers", custCur, func(after storage.Cursor) error {
			_, _, err := b.ListCustomers(ctx, tenant, after, 10)
			return err
		}},
		{"Interactions", interCur, func(after storage.Cursor) error {
			_, _, err := b.Interactions(ctx, tenant, storage.InteractionQuery{}, after, 10)
			return err
		}},
		{"Commitments", commitCur, func(after storage.Cursor) error {
			_, _, err := b.Commitments(ctx, tenant, storage.CommitmentQuery{}, after, 10)
			return err
		}},
		{"Changes", changeCur, func(after storage.Cursor) error {
			_, _, err := b.Changes(ctx, tenant, after, 10)
			return err
		}},
	}
	for _, l := range listers {
		for _, bad := range []storage.Cursor{"not a cursor!", "AAAA", storage.Cursor(string(l.own) + "x")} {
			wantKind(t, l.name+" with the malformed cursor "+string(bad), l.page(bad), storage.ErrInvalidCursor)
		}
		for _, other := range listers {
			if other.name != l.name {
				wantKind(t, l.name+" with a cursor from "+other.name, l.page(other.own), storage.ErrInvalidCursor)
			}
		}
		wantNoErr(t, l.name+" with its own cursor", l.page(l.own))
	}
}
