package rapport

import (
	"context"
	"fmt"
	"iter"
	"time"

	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

// Commitments is the handle for commitments (promised follow-ups), from
// [Book.Commitments]. It holds nothing but the Book.
//
// Keep, Cancel and HandOff load the commitment, apply one step
// (interaction.Commitment's methods decide what is legal: an illegal step
// fails with an *interaction.TransitionError), record who took it
// (Commitment.ClosedBy), validate and store the result with its revision
// checked, in one transaction; on any failure nothing is written.
//
// The zero Commitments is not usable: get one from [Book.Commitments].
type Commitments struct{ b *Book }

// Commitments returns the handle for commitments: making, keeping,
// cancelling and handing them off, and the lists of those due.
func (b *Book) Commitments() Commitments { return Commitments{b: b} }

// Make records a promise made to a customer ("I'll call you tomorrow at 10
// with the trade-in number"): what, who owes it (Owner and/or Team), and by
// when (Due). When c.Source names the interaction the promise was made in,
// the customer, conversation and rooftop are taken from it where c leaves
// them zero. The Book assigns the ID and sets the status to open. It returns
// the commitment as stored.
func (cs Commitments) Make(ctx context.Context, c interaction.Commitment) (interaction.Commitment, error) {
	b := cs.b
	now := b.clock()
	c.Tenant, c.Revision = b.tenant, 0
	c.Status = interaction.CommitmentStatusOpen
	c.Due = stamp(c.Due)
	c.CreatedAt, c.UpdatedAt = now, now
	err := b.backend.Update(ctx, func(tx storage.Tx) error {
		if !c.Source.IsZero() {
			src, err := tx.GetInteraction(ctx, b.tenant, c.Source)
			if err != nil {
				return fmt.Errorf("the commitment's source interaction: %w", err)
			}
			if c.Customer.IsZero() {
				c.Customer = src.Customer
			}
			if c.Conversation.IsZero() {
				c.Conversation = src.Conversation
			}
			if c.Rooftop == "" {
				c.Rooftop = src.Rooftop
			}
		}
		if c.ID.IsZero() {
			id, err := b.id()
			if err != nil {
				return err
			}
			c.ID = interaction.CommitmentID(id)
		}
		if err := c.Validate(); err != nil {
			return err
		}
		if err := tx.CreateCommitment(ctx, c); err != nil {
			return err
		}
		c.Revision = 1
		return nil
	})
	if err != nil {
		return interaction.Commitment{}, fail("Commitments.Make", err)
	}
	return c, nil
}

// Commitment returns the commitment with the given ID.
func (b *Book) Commitment(ctx context.Context, id interaction.CommitmentID) (interaction.Commitment, error) {
	c, err := b.backend.GetCommitment(ctx, b.tenant, id)
	return c, fail("Commitment", err)
}

// Keep marks a commitment done, at act.At (now when zero), by act.By.
func (cs Commitments) Keep(ctx context.Context, id interaction.CommitmentID, act Act) (interaction.Commitment, error) {
	out, _, err := cs.b.changeCommitment(ctx, id, act, func(c *interaction.Commitment, at time.Time) (*interaction.Commitment, error) {
		return nil, c.Done(at)
	})
	return out, fail("Commitments.Keep", err)
}

// Cancel cancels a commitment, for act.Reason (required), by act.By.
func (cs Commitments) Cancel(ctx context.Context, id interaction.CommitmentID, act Act) (interaction.Commitment, error) {
	out, _, err := cs.b.changeCommitment(ctx, id, act, func(c *interaction.Commitment, at time.Time) (*interaction.Commitment, error) {
		return nil, c.Cancel(act.Reason)
	})
	return out, fail("Commitments.Cancel", err)
}

// HandOff passes a commitment to another member of staff: the old one is
// marked handed off (by act.By) and a new open commitment, with the same
// promise and due time, is made for to. It returns the old and the new.
func (cs Commitments) HandOff(ctx context.Context, id interaction.CommitmentID, to dealer.Staff, act Act) (old, next interaction.Commitment, err error) {
	b := cs.b
	old, next, err = b.changeCommitment(ctx, id, act, func(c *interaction.Commitment, at time.Time) (*interaction.Commitment, error) {
		n, err := c.HandOff(to)
		if err != nil {
			return nil, err
		}
		nid, err := b.id()
		if err != nil {
			return nil, err
		}
		n.ID, n.Tenant, n.Revision = interaction.CommitmentID(nid), b.tenant, 0
		return &n, nil
	})
	return old, next, fail("Commitments.HandOff", err)
}

// changeCommitment applies a step to a stored commitment and, when the step
// makes one, stores a new commitment too, in one transaction.
func (b *Book) changeCommitment(ctx context.Context, id interaction.CommitmentID, act Act, step func(*interaction.Commitment, time.Time) (*interaction.Commitment, error)) (interaction.Commitment, interaction.Commitment, error) {
	now := b.clock()
	at := act.when(now)
	var out, made interaction.Commitment
	err := b.backend.Update(ctx, func(tx storage.Tx) error {
		c, err := tx.GetCommitment(ctx, b.tenant, id)
		if err != nil {
			return err
		}
		if at.After(now) {
			return &interaction.TransitionError{Record: "commitment", From: string(c.Status), Action: "closed",
				Err: fmt.Errorf("%w: %w: dated in the future", interaction.ErrInvalidTransition, ErrStepTime)}
		}
		n, err := step(&c, at)
		if err != nil {
			return err
		}
		c.ClosedBy = act.By
		c.UpdatedAt = now
		if err := c.Validate(); err != nil {
			return err
		}
		rev, err := tx.UpdateCommitment(ctx, c)
		if err != nil {
			return err
		}
		c.Revision, out = rev, c
		if n == nil {
			return nil
		}
		n.CreatedAt, n.UpdatedAt = now, now
		if err := n.Validate(); err != nil {
			return err
		}
		if err := tx.CreateCommitment(ctx, *n); err != nil {
			return err
		}
		n.Revision, made = 1, *n
		return nil
	})
	if err != nil {
		return interaction.Commitment{}, interaction.Commitment{}, err
	}
	return out, made, nil
}

// CommitmentFilter narrows commitment lists: set fields must match.
type CommitmentFilter struct {
	Owner   dealer.Staff
	Team    dealer.Team
	Rooftop dealer.Rooftop
}

// Overdue yields the open commitments due before now, most overdue first,
// narrowed by f: the "I'll get right back to you" that nobody did.
func (cs Commitments) Overdue(ctx context.Context, f CommitmentFilter) iter.Seq2[interaction.Commitment, error] {
	return cs.b.openCommitments(ctx, "Commitments.Overdue", f, cs.b.clock())
}

// DueSoon yields the open commitments due within the next duration (and
// those already overdue), soonest first, narrowed by f.
func (cs Commitments) DueSoon(ctx context.Context, within time.Duration, f CommitmentFilter) iter.Seq2[interaction.Commitment, error] {
	return cs.b.openCommitments(ctx, "Commitments.DueSoon", f, cs.b.clock().Add(within))
}

func (b *Book) openCommitments(ctx context.Context, op string, f CommitmentFilter, before time.Time) iter.Seq2[interaction.Commitment, error] {
	q := storage.CommitmentQuery{Owner: f.Owner, Team: f.Team, Rooftop: f.Rooftop,
		Statuses: []interaction.CommitmentStatus{interaction.CommitmentStatusOpen}, DueBefore: before}
	return pages(op, func(after storage.Cursor) ([]interaction.Commitment, storage.Cursor, error) {
		return b.backend.Commitments(ctx, b.tenant, q, after, listPage)
	})
}
