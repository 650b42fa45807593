package rapport

import (
	"context"
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

// timelinePage is the page size the sequences read with.
const timelinePage = 200

// CustomerTimeline yields the customer's interactions, newest first
// (OccurredAt descending, then ID descending), across every channel and
// department, narrowed by f. It reads page by page as the caller ranges; on
// failure it yields a final (zero, err) and stops.
func (b *Book) CustomerTimeline(ctx context.Context, id customer.ID, f Filter) iter.Seq2[interaction.Interaction, error] {
	q := f.query()
	q.Customers = []customer.ID{id}
	return b.interactions(ctx, q)
}

// HouseholdTimeline yields the interactions of everyone who is or was a
// member of the household, and those recorded against the household itself
// (a vehicle's service visit), newest first, narrowed by f.
func (b *Book) HouseholdTimeline(ctx context.Context, id household.ID, f Filter) iter.Seq2[interaction.Interaction, error] {
	return func(yield func(interaction.Interaction, error) bool) {
		h, err := b.backend.GetHousehold(ctx, b.tenant, id)
		if err != nil {
			yield(interaction.Interaction{}, err)
			return
		}
		q := f.query()
		q.Household = id
		for _, m := range h.Members {
			q.Customers = append(q.Customers, m.Customer)
		}
		for i, err := range b.interactions(ctx, q) {
			if !yield(i, err) {
				return
			}
		}
	}
}

// TimelinePage returns one page of the interactions matching q, newest
// first, and the cursor of the next page ("" after the last). It is the
// paging form of the timelines, for interfaces that fetch a page at a time.
func (b *Book) TimelinePage(ctx context.Context, q storage.InteractionQuery, after storage.Cursor, limit int) ([]interaction.Interaction, storage.Cursor, error) {
	q.Since, q.Until = stamp(q.Since), stamp(q.Until)
	return b.backend.Interactions(ctx, b.tenant, q, after, limit)
}

func (b *Book) interactions(ctx context.Context, q storage.InteractionQuery) iter.Seq2[interaction.Interaction, error] {
	return func(yield func(interaction.Interaction, error) bool) {
		var after storage.Cursor
		for {
			page, next, err := b.backend.Interactions(ctx, b.tenant, q, after, timelinePage)
			if err != nil {
				yield(interaction.Interaction{}, err)
				return
			}
			for _, i := range page {
				if !yield(i, nil) {
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
func (b *Book) Changes(ctx context.Context, after storage.Cursor) iter.Seq2[storage.Change, error] {
	return func(yield func(storage.Change, error) bool) {
		for {
			page, next, err := b.backend.Changes(ctx, b.tenant, after, timelinePage)
			if err != nil {
				yield(storage.Change{}, err)
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
