package rapport

import (
	"context"
	"fmt"
	"time"

	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

// Commit records a promise made to a customer ("I'll call you tomorrow at 10
// with the trade-in number"): what, who owes it (Owner and/or Team), and by
// when (Due). When c.Source names the interaction the promise was made in,
// the customer, conversation and rooftop are taken from it where c leaves
// them zero. The Book assigns the ID and sets the status to open. It returns
// the commitment as stored.
func (b *Book) Commit(ctx context.Context, c interaction.Commitment) (interaction.Commitment, error) {
	now := b.clock()
	c.Tenant, c.Revision = b.tenant, 0
	c.Status = interaction.CommitmentStatusOpen
	c.Due = stamp(c.Due)
	c.CreatedAt, c.UpdatedAt = now, now
	err := b.backend.Update(ctx, func(tx storage.Tx) error {
		if !c.Source.IsZero() {
			src, err := tx.GetInteraction(ctx, b.tenant, c.Source)
			if err != nil {
				return fmt.Errorf("rapport: the commitment's source interaction: %w", err)
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
		return interaction.Commitment{}, err
	}
	return c, nil
}

// Commitment returns the commitment with the given ID.
func (b *Book) Commitment(ctx context.Context, id interaction.CommitmentID) (interaction.Commitment, error) {
	return b.backend.GetCommitment(ctx, b.tenant, id)
}

// KeepCommitment marks a commitment done.
func (b *Book) KeepCommitment(ctx context.Context, id interaction.CommitmentID) (interaction.Commitment, error) {
	out, _, err := b.changeCommitment(ctx, id, func(c *interaction.Commitment, now time.Time) (*interaction.Commitment, error) {
		return nil, c.Done(now)
	})
	return out, err
}

// CancelCommitment cancels a commitment, with the reason.
func (b *Book) CancelCommitment(ctx context.Context, id interaction.CommitmentID, reason string) (interaction.Commitment, error) {
	out, _, err := b.changeCommitment(ctx, id, func(c *interaction.Commitment, now time.Time) (*interaction.Commitment, error) {
		return nil, c.Cancel(reason)
	})
	return out, err
}

// HandOffCommitment passes a commitment to another member of staff: the
// old one is marked handed off and a new open commitment, with the same
// promise and due time, is made for to. It returns the old and the new.
func (b *Book) HandOffCommitment(ctx context.Context, id interaction.CommitmentID, to dealer.Staff) (old, next interaction.Commitment, err error) {
	return b.changeCommitment(ctx, id, func(c *interaction.Commitment, now time.Time) (*interaction.Commitment, error) {
		n, err := c.HandOff(to)
		if err != nil {
			return nil, err
		}
		nid, err := b.id()
		if err != nil {
			return nil, err
		}
		n.ID, n.Tenant, n.Revision, n.CreatedAt, n.UpdatedAt = interaction.CommitmentID(nid), b.tenant, 0, now, now
		return &n, nil
	})
}

// changeCommitment applies a step to a stored commitment and, when the step
// makes one, stores a new commitment too, in one transaction.
func (b *Book) changeCommitment(ctx context.Context, id interaction.CommitmentID, step func(*interaction.Commitment, time.Time) (*interaction.Commitment, error)) (interaction.Commitment, interaction.Commitment, error) {
	now := b.clock()
	var out, made interaction.Commitment
	err := b.backend.Update(ctx, func(tx storage.Tx) error {
		c, err := tx.GetCommitment(ctx, b.tenant, id)
		if err != nil {
			return err
		}
		n, err := step(&c, now)
		if err != nil {
			return err
		}
		c.UpdatedAt = now
		rev, err := tx.UpdateCommitment(ctx, c)
		if err != nil {
			return err
		}
		c.Revision, out = rev, c
		if n == nil {
			return nil
		}
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

// OverdueCommitments lists the open commitments due before now, most
// overdue first, narrowed by f: the "I'll get right back to you" that
// nobody did.
func (b *Book) OverdueCommitments(ctx context.Context, f CommitmentFilter) ([]interaction.Commitment, error) {
	return b.openCommitments(ctx, f, b.clock())
}

// CommitmentsDueSoon lists the open commitments due within the next
// duration (and those already overdue), soonest first, narrowed by f.
func (b *Book) CommitmentsDueSoon(ctx context.Context, within time.Duration, f CommitmentFilter) ([]interaction.Commitment, error) {
	return b.openCommitments(ctx, f, b.clock().Add(within))
}

func (b *Book) openCommitments(ctx context.Context, f CommitmentFilter, before time.Time) ([]interaction.Commitment, error) {
	q := storage.CommitmentQuery{Owner: f.Owner, Team: f.Team, Rooftop: f.Rooftop,
		Statuses: []interaction.CommitmentStatus{interaction.CommitmentStatusOpen}, DueBefore: before}
	var out []interaction.Commitment
	var after storage.Cursor
	for {
		page, next, err := b.backend.Commitments(ctx, b.tenant, q, after, 500)
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if next == "" {
			return out, nil
		}
		after = next
	}
}
