package storagetest_test

import (
	"context"
	"errors"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
	"github.com/rapportcim/rapport/storage/memstore"
	"github.com/rapportcim/rapport/storage/storagetest"
)

type mutant struct {
	*memstore.Backend
	fault  string
	closed int
	alias  map[customer.ID]customer.Customer
}

type mtx struct {
	storage.Tx
	m *mutant
}

func (m *mutant) GetCustomer(ctx context.Context, t dealer.Tenant, id customer.ID) (customer.Customer, error) {
	switch m.fault {
	case "ctx":
		ctx = context.Background()
	case "bareErr":
		c, err := m.Backend.GetCustomer(ctx, t, id)
		if errors.Is(err, storage.ErrNotFound) {
			return c, storage.ErrNotFound
		}
		return c, err
	case "zone":
		c, err := m.Backend.GetCustomer(ctx, t, id)
		c.CreatedAt = c.CreatedAt.In(time.FixedZone("X", 3600))
		return c, err
	case "alias":
		c, err := m.Backend.GetCustomer(ctx, t, id)
		if a, ok := m.alias[id]; ok && err == nil {
			a.Revision = c.Revision
			return a, nil
		}
		return c, err
	}
	return m.Backend.GetCustomer(ctx, t, id)
}

func (m *mutant) ListCustomers(ctx context.Context, t dealer.Tenant, after storage.Cursor, limit int) ([]customer.Customer, storage.Cursor, error) {
	if m.fault == "tenant" && t == "tenant-b" {
		t = "tenant-a"
	}
	return m.Backend.ListCustomers(ctx, t, after, limit)
}

func (m *mutant) GetInteraction(ctx context.Context, t dealer.Tenant, id interaction.ID) (interaction.Interaction, error) {
	i, err := m.Backend.GetInteraction(ctx, t, id)
	if m.fault == "drop" {
		i.Post = nil
	}
	return i, err
}

func (m *mutant) Interactions(ctx context.Context, t dealer.Tenant, q storage.InteractionQuery, after storage.Cursor, limit int) ([]interaction.Interaction, storage.Cursor, error) {
	is, c, err := m.Backend.Interactions(ctx, t, q, after, limit)
	if m.fault == "tie" {
		slices.SortStableFunc(is, func(a, b interaction.Interaction) int { return b.OccurredAt.Compare(a.OccurredAt) })
		slices.SortStableFunc(is, func(a, b interaction.Interaction) int {
			if a.OccurredAt.Equal(b.OccurredAt) {
				return slices.Compare(a.ID[:], b.ID[:])
			}
			return 0
		})
	}
	return is, c, err
}

func (m *mutant) Changes(ctx context.Context, t dealer.Tenant, after storage.Cursor, limit int) ([]storage.Change, storage.Cursor, error) {
	cs, c, err := m.Backend.Changes(ctx, t, after, limit)
	if m.fault == "feed" && len(cs) == 0 {
		c = ""
	}
	return cs, c, err
}

func (m *mutant) Close() error {
	m.closed++
	if m.fault == "close" && m.closed > 1 {
		return errors.New("already closed")
	}
	return m.Backend.Close()
}

func (m *mutant) Update(ctx context.Context, fn func(tx storage.Tx) error) (err error) {
	if m.fault == "panic" {
		defer func() {
			if r := recover(); r != nil {
				err = errors.New("panicked")
			}
		}()
	}
	if m.fault == "fnerr" {
		return m.Backend.Update(ctx, func(tx storage.Tx) error {
			err := fn(mtx{tx, m})
			if errors.Is(err, context.Canceled) || err == nil {
				return err
			}
			return errors.New("wrapped: " + err.Error())
		})
	}
	return m.Backend.Update(ctx, func(tx storage.Tx) error { return fn(mtx{tx, m}) })
}

func (x mtx) CreateCustomer(ctx context.Context, c customer.Customer) error {
	err := x.Tx.CreateCustomer(ctx, c)
	if x.m.fault == "alias" && err == nil {
		x.m.alias[c.ID] = c
	}
	return err
}

func TestScratchMutants(t *testing.T) {
	fault := os.Getenv("FAULT")
	if fault == "" {
		t.Skip()
	}
	storagetest.Run(t, func(t *testing.T) storage.Backend {
		b := &mutant{Backend: memstore.New(nil), fault: fault, alias: map[customer.ID]customer.Customer{}}
		t.Cleanup(func() { b.Close() })
		return b
	})
}
