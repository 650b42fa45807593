// Package feed serves a Book's change feed over HTTP, so that a system in
// any language can follow a tenant's book, and follows it from Go with
// [Follow].
//
// The [Handler] answers GET requests with the changes after a cursor, each
// with the record's current JSON (the form the schema package describes),
// either as JSON lines with long polling or as a stream of Server-Sent
// Events. Who may read which tenant's feed is decided by a function the
// caller supplies ([Authenticate]); it returns the Book of the caller's
// tenant, and a Book never reads another tenant's records, so a cursor
// taken from another tenant's feed is refused (400) rather than followed.
package feed

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/rapportcim/rapport"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

// Line is one change as the Handler serves it: a JSON object per line (or
// per event).
type Line struct {
	// Cursor is the position just after this change: pass it back as
	// "after" to resume.
	Cursor rapport.Cursor `json:"cursor"`
	// Change says which record was written, and how.
	Change rapport.Change `json:"change"`
	// Record is the record's current JSON, read when the line is served
	// (so it may be newer than the change). It is null for a deleted
	// record, for one no longer found, and for kinds of record the Book
	// has no getter for (merge, erasure and suggestion records). A consent
	// event is the event as appended (an erased one with its address's
	// keyed hash).
	Record json.RawMessage `json:"record"`
}

// record returns the current JSON of the record a change is about, or
// null.
func record(ctx context.Context, book *rapport.Book, c rapport.Change) (json.RawMessage, error) {
	if c.Op == storage.OpDelete {
		return json.RawMessage("null"), nil
	}
	var v any
	var err error
	switch c.Entity {
	case storage.EntityCustomer:
		var id customer.ID
		if err = id.UnmarshalText([]byte(c.ID)); err == nil {
			v, err = book.Customer(ctx, id)
		}
	case storage.EntityInteraction:
		var id interaction.ID
		if err = id.UnmarshalText([]byte(c.ID)); err == nil {
			v, err = book.Interaction(ctx, id)
		}
	case storage.EntityConversation:
		var id interaction.ConversationID
		if err = id.UnmarshalText([]byte(c.ID)); err == nil {
			v, err = book.Conversation(ctx, id)
		}
	case storage.EntityCommitment:
		var id interaction.CommitmentID
		if err = id.UnmarshalText([]byte(c.ID)); err == nil {
			v, err = book.Commitment(ctx, id)
		}
	case storage.EntityHousehold:
		var id household.ID
		if err = id.UnmarshalText([]byte(c.ID)); err == nil {
			v, err = book.Household(ctx, id)
		}
	case storage.EntityConsent:
		var id consent.ID
		if err = id.UnmarshalText([]byte(c.ID)); err == nil {
			v, err = book.ConsentEvent(ctx, id)
		}
	case storage.EntityVehicle:
		var id household.VehicleID
		if err = id.UnmarshalText([]byte(c.ID)); err == nil {
			v, err = book.Vehicle(ctx, id)
		}
	default:
		return json.RawMessage("null"), nil
	}
	if errors.Is(err, rapport.ErrNotFound) {
		return json.RawMessage("null"), nil
	}
	if err != nil {
		return nil, fmt.Errorf("feed: %s %s: %w", c.Entity, c.ID, err)
	}
	return json.Marshal(v)
}

// DefaultPoll is how often Follow and the Handler look for new changes
// when they have caught up, unless told otherwise.
const DefaultPoll = time.Second

// FollowOptions configure Follow. nil means the defaults.
type FollowOptions struct {
	// Poll is how long Follow waits, once caught up, before it looks for
	// new changes again; zero means DefaultPoll.
	Poll time.Duration
}

// Follow calls fn with every change of book after the cursor, in commit
// order, and then with each new change as it is committed, until ctx is
// done (no change is delivered after that) or fn or the book fails. It returns ctx's error, or the first error
// of fn or of the book, unchanged.
//
// To resume after a restart, store change.Cursor() once fn has processed a
// change (in the same transaction as its effects, ideally) and pass the
// stored cursor next time: Follow then starts just after that change, and
// no change is skipped. A change whose fn failed is the first one
// delivered again.
func Follow(ctx context.Context, book *rapport.Book, after rapport.Cursor, fn func(context.Context, rapport.Change) error, opts *FollowOptions) error {
	poll := DefaultPoll
	if opts != nil && opts.Poll > 0 {
		poll = opts.Poll
	}
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
		for c, err := range book.Changes(ctx, after) {
			if err != nil {
				return err
			}
			if err := ctx.Err(); err != nil {
				return err // nothing more is delivered once ctx is done
			}
			if err := fn(ctx, c); err != nil {
				return err
			}
			after = c.Cursor()
		}
		t.Reset(poll)
	}
}
