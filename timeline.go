package rapport

import (
	"context"
	"errors"
	"iter"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

// Filter narrows a timeline. Each list matches any of its values (an empty
// list matches everything); OccurredAt must lie in [Since, Until), a zero
// bound meaning unbounded.
type Filter struct {
	Channels []channel.Kind
	Kinds    []interaction.Kind
	Rooftops []dealer.Rooftop
	Since    time.Time
	Until    time.Time
}

func (f Filter) query() storage.InteractionQuery {
	return storage.InteractionQuery{
		Channels: f.Channels,
		Kinds:    f.Kinds,
		Rooftops: f.Rooftops,
		Since:    stamp(f.Since),
		Until:    stamp(f.Until),
	}
}

// listPage is the page size the sequences read with.
const listPage = 200

// CustomerTimeline yields the customer's interactions, newest first
// (OccurredAt descending, then ID descending), across every channel and
// department, narrowed by f. It reads page by page as the caller ranges; on
// failure it yields a final (zero, err) and stops.
func (b *Book) CustomerTimeline(ctx context.Context, id customer.ID, f Filter) iter.Seq2[interaction.Interaction, error] {
	q := f.query()
	q.Customers = []customer.ID{id}
	return b.interactions(ctx, "CustomerTimeline", q)
}

// HouseholdTimeline yields the interactions of everyone who is or was a
// member of the household, and those recorded against the household itself
// (a vehicle's service visit), newest first, narrowed by f.
func (b *Book) HouseholdTimeline(ctx context.Context, id household.ID, f Filter) iter.Seq2[interaction.Interaction, error] {
	return func(yield func(interaction.Interaction, error) bool) {
		h, err := b.backend.GetHousehold(ctx, b.tenant, id)
		if err != nil {
			yield(interaction.Interaction{}, fail("HouseholdTimeline", err))
			return
		}
		q := f.query()
		q.Household = id
		for _, m := range h.Members {
			q.Customers = append(q.Customers, m.Customer)
		}
		for i, err := range b.interactions(ctx, "HouseholdTimeline", q) {
			if !yield(i, err) {
				return
			}
		}
	}
}

// TimelinePage returns one page of at most limit interactions of the
// customer's timeline (CustomerTimeline's order and filter), and the
// cursor of the next page ("" after the last). It is the paging form of
// the timeline, for interfaces that fetch a page at a time; a cursor from
// another list fails with ErrInvalidCursor.
func (b *Book) TimelinePage(ctx context.Context, id customer.ID, f Filter, after Cursor, limit int) ([]interaction.Interaction, Cursor, error) {
	q := f.query()
	q.Customers = []customer.ID{id}
	page, next, err := b.backend.Interactions(ctx, b.tenant, q, after, limit)
	return page, next, fail("TimelinePage", err)
}

// interactions yields the interactions matching q, newest first.
func (b *Book) interactions(ctx context.Context, op string, q storage.InteractionQuery) iter.Seq2[interaction.Interaction, error] {
	return pages(op, func(after storage.Cursor) ([]interaction.Interaction, storage.Cursor, error) {
		return b.backend.Interactions(ctx, b.tenant, q, after, listPage)
	})
}

// pages turns a paged read into a sequence: it reads page by page as the
// caller ranges, and on failure yields a final (zero, err) and stops. A
// page holding records that cannot be decoded (storage.ErrCorrupt) is not
// a failure of the sequence: its other records are yielded, then one
// (zero, err) naming the corrupt ones (see ErrCorrupt), and the sequence
// goes on with the next page unless the caller stops.
func pages[T any](op string, read func(after storage.Cursor) ([]T, storage.Cursor, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var after storage.Cursor
		for {
			page, next, err := read(after)
			if err != nil && !errors.Is(err, storage.ErrCorrupt) {
				var zero T
				yield(zero, fail(op, err))
				return
			}
			for _, v := range page {
				if !yield(v, nil) {
					return
				}
			}
			if err != nil {
				var zero T
				if !yield(zero, fail(op, err)) {
					return
				}
			}
			if next == "" {
				return
			}
			after = next
		}
	}
}

// Changes yields the book's change records after the cursor, in commit
// order, until it has caught up with the writes committed so far. A
// follower stores the Cursor of the last change it processed and passes it
// next time; the empty cursor starts from the beginning. On failure it
// yields a final (zero, err) and stops.
func (b *Book) Changes(ctx context.Context, after Cursor) iter.Seq2[Change, error] {
	return func(yield func(Change, error) bool) {
		for {
			page, next, err := b.backend.Changes(ctx, b.tenant, after, listPage)
			if err != nil {
				yield(Change{}, fail("Changes", err))
				return
			}
			for _, c := range page {
				if !yield(c, nil) {
					return
				}
			}
			if len(page) == 0 {
				return
			}
			after = next
		}
	}
}
