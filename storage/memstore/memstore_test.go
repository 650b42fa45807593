package memstore_test

import (
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
	"github.com/rapportcim/rapport/storage/memstore"
	"github.com/rapportcim/rapport/storage/storagetest"
)

// TestConformance runs the suite every backend passes.
func TestConformance(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) storage.Backend {
		b := memstore.New(nil)
		t.Cleanup(func() { b.Close() })
		return b
	})
}

const (
	tenantA dealer.Tenant = "acme-auto"
	tenantB dealer.Tenant = "bravo-motors"
)

var (
	ctx  = context.Background()
	base = time.Date(2025, 3, 14, 15, 9, 26, 535897000, time.UTC)
)

// id makes a deterministic ID of any of the domain ID types.
func id[K ~[16]byte](n int) K {
	var k K
	k[0] = 0x01
	binary.BigEndian.PutUint64(k[8:], uint64(n))
	return k
}

func newBackend(t *testing.T) *memstore.Backend {
	t.Helper()
	b := memstore.New(nil)
	t.Cleanup(func() { b.Close() })
	return b
}

func addr(t *testing.T, urn string) channel.Address {
	t.Helper()
	a, err := channel.ParseAddress(urn)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func update(t *testing.T, b storage.Backend, fn func(tx storage.Tx) error) {
	t.Helper()
	if err := b.Update(ctx, fn); err != nil {
		t.Fatal(err)
	}
}

func sampleCustomer(t *testing.T, tenant dealer.Tenant, n int) customer.Customer {
	return customer.Customer{
		ID:     id[customer.ID](n),
		Tenant: tenant,
		Name:   customer.Name{Given: "Jane", Family: "Doe"},
		ContactPoints: []customer.ContactPoint{
			{Address: addr(t, fmt.Sprintf("tel:+1212555%04d;ext=12", 100+n%100)), Primary: true,
				BestTime: channel.Every(channel.Clock(9, 0), channel.Clock(17, 0)), Zone: "America/New_York"},
			{Address: addr(t, fmt.Sprintf("mailto:jane%d@example.com", n))},
		},
		ExternalIDs: []customer.ExternalID{{System: "cdk", Value: fmt.Sprint("D-", n)}},
		Tags:        []string{"vip"},
		Attributes:  map[string]string{"legacy_code": "7"},
		CreatedAt:   base,
		UpdatedAt:   base,
	}
}

func sampleInteraction(tenant dealer.Tenant, n int, c customer.ID, at time.Time) interaction.Interaction {
	return interaction.Interaction{
		ID:           id[interaction.ID](n),
		Tenant:       tenant,
		Customer:     c,
		Channel:      channel.KindVoice,
		Direction:    interaction.DirectionInbound,
		Kind:         interaction.KindCall,
		Body:         "call about the brakes",
		Participants: []interaction.Participant{{Staff: "sam", Role: "service_advisor"}},
		OccurredAt:   at,
		Call:         &interaction.Call{Outcome: "answered", Duration: time.Minute},
		Flags:        []interaction.Flag{{Reason: "profanity", FlaggedAt: at}},
		ExternalRefs: map[string]string{"twilio": "CA123"},
	}
}

func mustBe(t *testing.T, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("err = %v, want %v", err, want)
	}
}

func TestCopiesInAndOut(t *testing.T) {
	b := newBackend(t)
	c := sampleCustomer(t, tenantA, 1)
	want := c.Clone()
	update(t, b, func(tx storage.Tx) error { return tx.CreateCustomer(ctx, c) })
	want.Revision = 1

	// Mutating what was written must not reach the store.
	c.Name.Given = "Mallory"
	c.ContactPoints[0].BestTime[0].Start = 0
	c.ContactPoints[1].Primary = true
	c.Tags[0] = "changed"
	c.Attributes["legacy_code"] = "changed"

	got, err := b.GetCustomer(ctx, tenantA, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("after mutating the input:\n got %+v\nwant %+v", got, want)
	}
	// Nor must mutating what was read.
	got.ContactPoints[0].BestTime[0].End = 1
	got.ExternalIDs[0].Value = "changed"
	got.Attributes["new"] = "x"
	again, _ := b.GetCustomer(ctx, tenantA, c.ID)
	if !reflect.DeepEqual(again, want) {
		t.Fatalf("after mutating the output:\n got %+v\nwant %+v", again, want)
	}

	// Pointer fields of interactions too.
	i := sampleInteraction(tenantA, 1, c.ID, base)
	update(t, b, func(tx storage.Tx) error { return tx.CreateInteraction(ctx, i) })
	i.Call.Duration = 0
	i.Participants[0].Staff = "eve"
	i.ExternalRefs["twilio"] = "changed"
	page, _, err := b.Interactions(ctx, tenantA, storage.InteractionQuery{Customers: []customer.ID{c.ID}}, "", 0)
	if err != nil || len(page) != 1 {
		t.Fatal(page, err)
	}
	page[0].Call.Outcome = "busy"
	page[0].Flags[0].Note = "changed"
	got2, _ := b.GetInteraction(ctx, tenantA, i.ID)
	if got2.Call.Duration != time.Minute || got2.Call.Outcome != "answered" || got2.Participants[0].Staff != "sam" ||
		got2.ExternalRefs["twilio"] != "CA123" || got2.Flags[0].Note != "" {
		t.Fatalf("stored interaction changed through a copy: %+v", got2)
	}

	// Lookups return fresh slices.
	ids, _ := b.CustomersByAddress(ctx, tenantA, c.ContactPoints[1].Address)
	ids[0] = customer.ID{}
	ids, _ = b.CustomersByAddress(ctx, tenantA, c.ContactPoints[1].Address)
	if len(ids) != 1 || ids[0] != c.ID {
		t.Fatalf("index changed through a returned slice: %v", ids)
	}
}

func TestTimesInUTC(t *testing.T) {
	b := newBackend(t)
	ny := time.FixedZone("EST", -5*3600)
	c := sampleCustomer(t, tenantA, 1)
	c.CreatedAt = time.Now().In(ny) // with a monotonic reading
	update(t, b, func(tx storage.Tx) error { return tx.CreateCustomer(ctx, c) })
	got, _ := b.GetCustomer(ctx, tenantA, c.ID)
	if got.CreatedAt.Location() != time.UTC || !got.CreatedAt.Equal(c.CreatedAt) {
		t.Fatalf("CreatedAt = %v, want %v in UTC", got.CreatedAt, c.CreatedAt)
	}
}

func TestRevisions(t *testing.T) {
	b := newBackend(t)
	c := sampleCustomer(t, tenantA, 1)
	update(t, b, func(tx storage.Tx) error { return tx.CreateCustomer(ctx, c) })

	err := b.Update(ctx, func(tx storage.Tx) error { return tx.CreateCustomer(ctx, c) })
	mustBe(t, err, storage.ErrAlreadyExists)

	withRev := sampleCustomer(t, tenantA, 2)
	withRev.Revision = 3
	err = b.Update(ctx, func(tx storage.Tx) error { return tx.CreateCustomer(ctx, withRev) })
	mustBe(t, err, storage.ErrInvalidArgument)
	noTenant := sampleCustomer(t, "", 3)
	err = b.Update(ctx, func(tx storage.Tx) error { return tx.CreateCustomer(ctx, noTenant) })
	mustBe(t, err, storage.ErrInvalidArgument)

	c.Revision = 1
	c.Name.Given = "Janet"
	update(t, b, func(tx storage.Tx) error {
		rev, err := tx.UpdateCustomer(ctx, c)
		if rev != 2 {
			t.Errorf("revision = %d, want 2", rev)
		}
		return err
	})
	// A stale write fails and does not overwrite.
	stale := c
	stale.Name.Given = "Stale"
	err = b.Update(ctx, func(tx storage.Tx) error { _, err := tx.UpdateCustomer(ctx, stale); return err })
	mustBe(t, err, storage.ErrConflict)
	got, _ := b.GetCustomer(ctx, tenantA, c.ID)
	if got.Name.Given != "Janet" || got.Revision != 2 {
		t.Fatalf("got %q rev %d", got.Name.Given, got.Revision)
	}

	err = b.Update(ctx, func(tx storage.Tx) error { return tx.DeleteCustomer(ctx, tenantA, c.ID, 1) })
	mustBe(t, err, storage.ErrConflict)
	update(t, b, func(tx storage.Tx) error { return tx.DeleteCustomer(ctx, tenantA, c.ID, 2) })
	_, err = b.GetCustomer(ctx, tenantA, c.ID)
	mustBe(t, err, storage.ErrNotFound)
	err = b.Update(ctx, func(tx storage.Tx) error { return tx.DeleteCustomer(ctx, tenantA, c.ID, 2) })
	mustBe(t, err, storage.ErrNotFound)
	err = b.Update(ctx, func(tx storage.Tx) error { _, err := tx.UpdateCustomer(ctx, c); return err })
	mustBe(t, err, storage.ErrNotFound)
	if ids, _ := b.CustomersByAddress(ctx, tenantA, c.ContactPoints[0].Address); len(ids) != 0 {
		t.Fatalf("deleted customer still indexed: %v", ids)
	}

	var se *storage.Error
	if !errors.As(err, &se) || se.Op != "memstore.UpdateCustomer" {
		t.Fatalf("error %v is not a *storage.Error for memstore.UpdateCustomer", err)
	}
}

// writeAll writes one record of every kind.
func writeAll(t *testing.T, tx storage.Tx, tenant dealer.Tenant, n int) error {
	c := sampleCustomer(t, tenant, n)
	vin, err := household.ParseVIN("1HGCM82633A004352")
	if err != nil {
		t.Fatal(err)
	}
	for _, err := range []error{
		tx.CreateCustomer(ctx, c),
		tx.AppendConsent(ctx, consent.Event{ID: id[consent.ID](n), Tenant: tenant,
			Subject: consent.Subject{Address: c.ContactPoints[0].Address, Customer: c.ID},
			Channel: channel.KindSMS, Purpose: consent.PurposeMarketing, Action: consent.ActionRevoke,
			Evidence: consent.Evidence{Method: "keyword", RawText: "STOP"}, CapturedAt: base}),
		tx.CreateInteraction(ctx, sampleInteraction(tenant, n, c.ID, base)),
		tx.CreateConversation(ctx, interaction.Conversation{ID: id[interaction.ConversationID](n), Tenant: tenant,
			Customer: c.ID, Status: interaction.ConversationStatusOpen, OpenedAt: base,
			PendingHandoff: &interaction.Handoff{To: "ana", Reason: "trade-in question", At: base}}),
		tx.CreateCommitment(ctx, interaction.Commitment{ID: id[interaction.CommitmentID](n), Tenant: tenant,
			Customer: c.ID, What: "call back", Owner: "sam", Due: base, Status: interaction.CommitmentStatusOpen}),
		tx.CreateHousehold(ctx, household.Household{ID: id[household.ID](n), Tenant: tenant,
			Members: []household.Member{{Customer: c.ID, Role: household.MemberRolePrimary}}}),
		tx.CreateVehicle(ctx, household.Vehicle{ID: id[household.VehicleID](n), Tenant: tenant, VIN: vin}),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}

// checkEmpty asserts that nothing written by writeAll(tenant, n) is visible.
func checkEmpty(t *testing.T, b storage.Reader, tenant dealer.Tenant, n int) {
	t.Helper()
	c := sampleCustomer(t, tenant, n)
	vin, _ := household.ParseVIN("1HGCM82633A004352")
	if _, err := b.GetCustomer(ctx, tenant, c.ID); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("customer: %v", err)
	}
	if _, err := b.GetInteraction(ctx, tenant, id[interaction.ID](n)); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("interaction: %v", err)
	}
	if _, err := b.GetConversation(ctx, tenant, id[interaction.ConversationID](n)); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("conversation: %v", err)
	}
	if _, err := b.GetCommitment(ctx, tenant, id[interaction.CommitmentID](n)); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("commitment: %v", err)
	}
	if _, err := b.GetHousehold(ctx, tenant, id[household.ID](n)); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("household: %v", err)
	}
	if _, err := b.GetVehicle(ctx, tenant, id[household.VehicleID](n)); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("vehicle: %v", err)
	}
	lookups := map[string]func() (int, error){
		"by address": func() (int, error) {
			ids, err := b.CustomersByAddress(ctx, tenant, c.ContactPoints[0].Address)
			return len(ids), err
		},
		"by external id": func() (int, error) {
			ids, err := b.CustomersByExternalID(ctx, tenant, "CDK", c.ExternalIDs[0].Value)
			return len(ids), err
		},
		"consent by address": func() (int, error) {
			es, err := b.ConsentByAddress(ctx, tenant, c.ContactPoints[0].Address)
			return len(es), err
		},
		"consent by customer": func() (int, error) {
			es, err := b.ConsentByCustomer(ctx, tenant, c.ID)
			return len(es), err
		},
		"timeline": func() (int, error) {
			is, _, err := b.Interactions(ctx, tenant, storage.InteractionQuery{}, "", 0)
			return len(is), err
		},
		"conversations": func() (int, error) {
			cs, err := b.ConversationsByCustomer(ctx, tenant, c.ID)
			return len(cs), err
		},
		"review queue": func() (int, error) {
			is, _, err := b.Interactions(ctx, tenant, storage.InteractionQuery{AwaitingReview: true}, "", 0)
			return len(is), err
		},
		"conversation list": func() (int, error) {
			cs, _, err := b.Conversations(ctx, tenant, storage.ConversationQuery{}, "", 0)
			return len(cs), err
		},
		"pending handoffs": func() (int, error) {
			cs, _, err := b.Conversations(ctx, tenant, storage.ConversationQuery{PendingHandoff: true}, "", 0)
			return len(cs), err
		},
		"commitments": func() (int, error) {
			cs, _, err := b.Commitments(ctx, tenant, storage.CommitmentQuery{}, "", 0)
			return len(cs), err
		},
		"households": func() (int, error) {
			hs, err := b.HouseholdsByMember(ctx, tenant, c.ID)
			return len(hs), err
		},
		"vehicles": func() (int, error) {
			vs, err := b.VehiclesByVIN(ctx, tenant, vin)
			return len(vs), err
		},
		"changes": func() (int, error) {
			cs, _, err := b.Changes(ctx, tenant, "", 0)
			return len(cs), err
		},
		"customers": func() (int, error) {
			cs, _, err := b.ListCustomers(ctx, tenant, "", 0)
			return len(cs), err
		},
	}
	for name, f := range lookups {
		if n, err := f(); n != 0 || err != nil {
			t.Errorf("%s: %d records, err %v", name, n, err)
		}
	}
}

func TestRollback(t *testing.T) {
	b := newBackend(t)
	boom := errors.New("boom")

	t.Run("error", func(t *testing.T) {
		err := b.Update(ctx, func(tx storage.Tx) error {
			if err := writeAll(t, tx, tenantA, 1); err != nil {
				return err
			}
			// The transaction sees its own writes.
			if _, err := tx.GetCustomer(ctx, tenantA, id[customer.ID](1)); err != nil {
				t.Errorf("tx cannot read its own write: %v", err)
			}
			if is, _, _ := tx.Interactions(ctx, tenantA, storage.InteractionQuery{}, "", 0); len(is) != 1 {
				t.Errorf("tx timeline has %d rows, want 1", len(is))
			}
			return boom
		})
		if err != boom {
			t.Fatalf("Update returned %v, want fn's error unchanged", err)
		}
		checkEmpty(t, b, tenantA, 1)
	})

	t.Run("panic", func(t *testing.T) {
		func() {
			defer func() {
				if r := recover(); r != boom {
					t.Fatalf("recovered %v, want the panic re-raised", r)
				}
			}()
			b.Update(ctx, func(tx storage.Tx) error {
				if err := writeAll(t, tx, tenantA, 2); err != nil {
					t.Error(err)
				}
				panic(boom)
			})
		}()
		checkEmpty(t, b, tenantA, 2) // and the lock was released
	})

	t.Run("update then error", func(t *testing.T) {
		update(t, b, func(tx storage.Tx) error { return writeAll(t, tx, tenantA, 3) })
		before, _ := b.GetCustomer(ctx, tenantA, id[customer.ID](3))
		beforeI, _ := b.GetInteraction(ctx, tenantA, id[interaction.ID](3))
		_, feed, _ := b.Changes(ctx, tenantA, "", 0)
		err := b.Update(ctx, func(tx storage.Tx) error {
			c := before
			c.ContactPoints = c.ContactPoints[:1]
			c.ExternalIDs = nil
			if _, err := tx.UpdateCustomer(ctx, c); err != nil {
				return err
			}
			i := beforeI
			i.OccurredAt = base.Add(time.Hour)
			i.Customer = id[customer.ID](99)
			if _, err := tx.UpdateInteraction(ctx, i); err != nil {
				return err
			}
			if err := tx.DeleteCustomer(ctx, tenantA, c.ID, 2); err != nil {
				return err
			}
			return boom
		})
		mustBe(t, err, boom)
		after, _ := b.GetCustomer(ctx, tenantA, before.ID)
		if !reflect.DeepEqual(after, before) {
			t.Fatalf("rolled-back update left %+v", after)
		}
		afterI, _ := b.GetInteraction(ctx, tenantA, beforeI.ID)
		if !reflect.DeepEqual(afterI, beforeI) {
			t.Fatalf("rolled-back update left %+v", afterI)
		}
		ids, _ := b.CustomersByAddress(ctx, tenantA, before.ContactPoints[1].Address)
		ids2, _ := b.CustomersByExternalID(ctx, tenantA, "cdk", before.ExternalIDs[0].Value)
		if len(ids) != 1 || len(ids2) != 1 {
			t.Fatalf("indexes not restored: %v %v", ids, ids2)
		}
		is, _, _ := b.Interactions(ctx, tenantA, storage.InteractionQuery{Customers: []customer.ID{before.ID}}, "", 0)
		is99, _, _ := b.Interactions(ctx, tenantA, storage.InteractionQuery{Customers: []customer.ID{id[customer.ID](99)}}, "", 0)
		if len(is) != 1 || len(is99) != 0 {
			t.Fatalf("timelines not restored: %d %d", len(is), len(is99))
		}
		if cs, _, _ := b.Changes(ctx, tenantA, feed, 0); len(cs) != 0 {
			t.Fatalf("rolled-back changes in the feed: %v", cs)
		}
	})

	t.Run("cancelled before commit", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		err := b.Update(cctx, func(tx storage.Tx) error {
			if err := writeAll(t, tx, tenantB, 4); err != nil {
				return err
			}
			cancel()
			return nil
		})
		if err != context.Canceled {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		checkEmpty(t, b, tenantB, 4)
	})

	t.Run("bulk", func(t *testing.T) {
		cs := []customer.Customer{sampleCustomer(t, tenantB, 5), sampleCustomer(t, tenantB, 5)}
		mustBe(t, b.BulkCreateCustomers(ctx, cs), storage.ErrAlreadyExists)
		checkEmpty(t, b, tenantB, 5)
		mustBe(t, b.BulkCreateCustomers(ctx, cs[:1]), nil)
	})
}

// TestRollbackQueues checks that a rolled-back update puts the review
// queue and the conversation lists (which an update can move a record in,
// out of, or along) back as they were.
func TestRollbackQueues(t *testing.T) {
	b := newBackend(t)
	boom := errors.New("boom")
	update(t, b, func(tx storage.Tx) error { return writeAll(t, tx, tenantA, 1) })
	i, _ := b.GetInteraction(ctx, tenantA, id[interaction.ID](1))
	c, _ := b.GetConversation(ctx, tenantA, id[interaction.ConversationID](1))

	counts := func() [4]int {
		t.Helper()
		var n [4]int
		queue, _, err1 := b.Interactions(ctx, tenantA, storage.InteractionQuery{AwaitingReview: true}, "", 0)
		all, _, err2 := b.Conversations(ctx, tenantA, storage.ConversationQuery{}, "", 0)
		pending, _, err3 := b.Conversations(ctx, tenantA, storage.ConversationQuery{PendingHandoff: true}, "", 0)
		later, _, err4 := b.Conversations(ctx, tenantA, storage.ConversationQuery{},
			storage.TimeIDCursor(tenantA, "conversations", base, c.ID), 0)
		if err := errors.Join(err1, err2, err3, err4); err != nil {
			t.Fatal(err)
		}
		n[0], n[1], n[2], n[3] = len(queue), len(all), len(pending), len(later)
		return n
	}
	if got, want := counts(), [4]int{1, 1, 1, 0}; got != want {
		t.Fatalf("before: queue, conversations, pending, after cursor = %v, want %v", got, want)
	}

	for _, moved := range []bool{false, true} {
		err := b.Update(ctx, func(tx storage.Tx) error {
			i2 := i
			i2.Flags = slices.Clone(i.Flags)
			i2.Flags[0].ReviewedBy, i2.Flags[0].ReviewedAt = "ana", base.Add(time.Minute)
			if moved {
				i2.OccurredAt = base.Add(time.Hour) // another place in every list
			}
			if _, err := tx.UpdateInteraction(ctx, i2); err != nil {
				return err
			}
			c2 := c
			c2.PendingHandoff = nil
			if moved {
				c2.OpenedAt = base.Add(time.Hour)
			}
			if _, err := tx.UpdateConversation(ctx, c2); err != nil {
				return err
			}
			want := [4]int{0, 1, 0, 0}
			if moved {
				want[3] = 1
			}
			if q, _, _ := tx.Interactions(ctx, tenantA, storage.InteractionQuery{AwaitingReview: true}, "", 0); len(q) != want[0] {
				t.Errorf("moved %t: tx review queue has %d, want %d", moved, len(q), want[0])
			}
			if p, _, _ := tx.Conversations(ctx, tenantA, storage.ConversationQuery{PendingHandoff: true}, "", 0); len(p) != want[2] {
				t.Errorf("moved %t: tx pending handoffs has %d, want %d", moved, len(p), want[2])
			}
			later, _, _ := tx.Conversations(ctx, tenantA, storage.ConversationQuery{},
				storage.TimeIDCursor(tenantA, "conversations", base, c.ID), 0)
			if len(later) != want[3] {
				t.Errorf("moved %t: tx conversations after the cursor: %d, want %d", moved, len(later), want[3])
			}
			return boom
		})
		mustBe(t, err, boom)
		if got, want := counts(), [4]int{1, 1, 1, 0}; got != want {
			t.Fatalf("moved %t: after rollback: queue, conversations, pending, after cursor = %v, want %v", moved, got, want)
		}
	}
}

func TestTxAfterFn(t *testing.T) {
	b := newBackend(t)
	var leaked storage.Tx
	update(t, b, func(tx storage.Tx) error { leaked = tx; return nil })
	mustBe(t, leaked.CreateCustomer(ctx, sampleCustomer(t, tenantA, 1)), storage.ErrInvalidArgument)
	_, err := leaked.GetCustomer(ctx, tenantA, id[customer.ID](1))
	mustBe(t, err, storage.ErrInvalidArgument)
}

func TestContextAndClose(t *testing.T) {
	b := memstore.New(nil)
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := b.GetCustomer(cctx, tenantA, id[customer.ID](1)); err != context.Canceled {
		t.Fatalf("GetCustomer: %v", err)
	}
	if err := b.Update(cctx, func(storage.Tx) error { t.Fatal("fn ran"); return nil }); err != context.Canceled {
		t.Fatalf("Update: %v", err)
	}
	update(t, b, func(tx storage.Tx) error {
		if err := tx.CreateCustomer(cctx, sampleCustomer(t, tenantA, 1)); err != context.Canceled {
			t.Errorf("CreateCustomer: %v", err)
		}
		if _, err := tx.GetCustomer(cctx, tenantA, id[customer.ID](1)); err != context.Canceled {
			t.Errorf("tx.GetCustomer: %v", err)
		}
		return nil
	})
	if _, _, err := b.Changes(cctx, tenantA, "", 0); err != context.Canceled {
		t.Fatalf("Changes: %v", err)
	}

	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	_, err := b.GetCustomer(ctx, tenantA, id[customer.ID](1))
	mustBe(t, err, storage.ErrClosed)
	mustBe(t, b.Update(ctx, func(storage.Tx) error { return nil }), storage.ErrClosed)
	_, _, err = b.Interactions(ctx, tenantA, storage.InteractionQuery{}, "", 0)
	mustBe(t, err, storage.ErrClosed)
	var se *storage.Error
	if !errors.As(err, &se) {
		t.Fatalf("%v is not a *storage.Error", err)
	}
}

func TestTenantIsolation(t *testing.T) {
	b := newBackend(t)
	update(t, b, func(tx storage.Tx) error {
		if err := writeAll(t, tx, tenantA, 1); err != nil {
			return err
		}
		return writeAll(t, tx, tenantA, 2)
	})
	checkEmpty(t, b, tenantB, 1)
	// The same IDs may exist in both tenants.
	update(t, b, func(tx storage.Tx) error { return writeAll(t, tx, tenantB, 1) })

	_, cur, err := b.ListCustomers(ctx, tenantA, "", 1)
	if err != nil || cur == "" {
		t.Fatal(cur, err)
	}
	_, _, err = b.ListCustomers(ctx, tenantB, cur, 1)
	mustBe(t, err, storage.ErrInvalidCursor)
	_, _, err = b.Commitments(ctx, tenantA, storage.CommitmentQuery{}, cur, 1)
	mustBe(t, err, storage.ErrInvalidCursor)
	_, _, err = b.Interactions(ctx, tenantA, storage.InteractionQuery{}, "garbage!", 1)
	mustBe(t, err, storage.ErrInvalidCursor)
	_, feed, _ := b.Changes(ctx, tenantA, "", 1)
	_, _, err = b.Changes(ctx, tenantB, feed, 1)
	mustBe(t, err, storage.ErrInvalidCursor)
}

func TestChanges(t *testing.T) {
	b := newBackend(t)
	update(t, b, func(tx storage.Tx) error { return writeAll(t, tx, tenantA, 1) })
	update(t, b, func(tx storage.Tx) error { return writeAll(t, tx, tenantB, 1) })
	c := sampleCustomer(t, tenantA, 1)
	c.Revision = 1
	update(t, b, func(tx storage.Tx) error { _, err := tx.UpdateCustomer(ctx, c); return err })

	var all []storage.Change
	var cur storage.Cursor
	for {
		page, next, err := b.Changes(ctx, tenantA, cur, 3)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			if next != cur {
				t.Fatalf("empty poll returned cursor %q, want %q", next, cur)
			}
			break
		}
		all = append(all, page...)
		cur = next
	}
	wantEntities := []storage.Entity{"customer", "consent", "interaction", "conversation", "commitment", "household", "vehicle", "customer"}
	if len(all) != len(wantEntities) {
		t.Fatalf("%d changes, want %d: %v", len(all), len(wantEntities), all)
	}
	for i, ch := range all {
		if ch.Entity != wantEntities[i] || ch.Tenant != tenantA {
			t.Errorf("change %d = %+v, want entity %s", i, ch, wantEntities[i])
		}
		if i > 0 && ch.Seq <= all[i-1].Seq {
			t.Errorf("seq not increasing: %d after %d", ch.Seq, all[i-1].Seq)
		}
	}
	last := all[len(all)-1]
	if last.Op != storage.OpUpdate || last.Revision != 2 || last.ID != c.ID.String() || last.Seq != 8 { // tenant B's seven writes in between do not count
		t.Errorf("last change = %+v", last)
	}
	if all[1].Revision != 0 || all[0].Revision != 1 {
		t.Errorf("revisions: %+v", all[:2])
	}

	// A follower polling from the end sees a new write once.
	update(t, b, func(tx storage.Tx) error {
		return tx.DeleteCustomer(ctx, tenantA, c.ID, 2)
	})
	page, next, _ := b.Changes(ctx, tenantA, cur, 0)
	if len(page) != 1 || page[0].Op != storage.OpDelete || page[0].Revision != 0 {
		t.Fatalf("after delete: %+v", page)
	}
	if page, _, _ := b.Changes(ctx, tenantA, next, 0); len(page) != 0 {
		t.Fatalf("change seen twice: %+v", page)
	}
}

// TestTimelineModel checks Interactions against a brute-force model: random
// interactions (many sharing a time) across customers, households and
// conversations, some moved by updates, paged with small limits under
// every kind of query.
func TestTimelineModel(t *testing.T) {
	b := newBackend(t)
	rng := rand.New(rand.NewPCG(1, 2))
	var model []interaction.Interaction
	rooftops := []dealer.Rooftop{"", "north", "south"}
	kinds := []interaction.Kind{interaction.KindCall, interaction.KindMessage, interaction.KindNote}
	chans := []channel.Kind{channel.KindSMS, channel.KindVoice, channel.KindEmail}
	random := func(n int) interaction.Interaction {
		i := sampleInteraction(tenantA, n, id[customer.ID](rng.IntN(5)), base.Add(time.Duration(rng.IntN(40))*time.Minute))
		i.Household = id[household.ID](rng.IntN(3))
		i.Conversation = id[interaction.ConversationID](rng.IntN(4))
		i.Rooftop = rooftops[rng.IntN(3)]
		i.Kind = kinds[rng.IntN(3)]
		i.Channel = chans[rng.IntN(3)]
		return i
	}
	for n := 1; n <= 300; n++ {
		i := random(n)
		model = append(model, i)
	}
	// Insert in a random order, in several transactions.
	perm := rng.Perm(len(model))
	for start := 0; start < len(perm); start += 50 {
		update(t, b, func(tx storage.Tx) error {
			for _, p := range perm[start : start+50] {
				if err := tx.CreateInteraction(ctx, model[p]); err != nil {
					return err
				}
			}
			return nil
		})
	}
	for k := range model {
		model[k].Revision = 1
	}
	// Move some.
	update(t, b, func(tx storage.Tx) error {
		for k := 0; k < len(model); k += 7 {
			moved := random(k + 1)
			moved.Revision = 1
			rev, err := tx.UpdateInteraction(ctx, moved)
			if err != nil {
				return err
			}
			moved.Revision = rev
			model[k] = moved
		}
		return nil
	})

	queries := []storage.InteractionQuery{
		{},
		{Customers: []customer.ID{id[customer.ID](1)}},
		{Customers: []customer.ID{id[customer.ID](1), id[customer.ID](3), id[customer.ID](1)}},
		{Household: id[household.ID](2)},
		{Customers: []customer.ID{id[customer.ID](0)}, Household: id[household.ID](1), Conversation: id[interaction.ConversationID](3)},
		{Conversation: id[interaction.ConversationID](2), Kinds: []interaction.Kind{interaction.KindNote}},
		{Channels: []channel.Kind{channel.KindSMS, channel.KindEmail}, Rooftops: []dealer.Rooftop{"north"}},
		{Since: base.Add(10 * time.Minute), Until: base.Add(20 * time.Minute)},
		{Customers: []customer.ID{id[customer.ID](2)}, Since: base.Add(30*time.Minute + 1)},
		{Until: base.Add(5*time.Minute - 1)},
		{Customers: []customer.ID{id[customer.ID](42)}},
	}
	for qi, q := range queries {
		var want []interaction.Interaction
		for _, i := range model {
			if inScope(i, q) && filtered(i, q) {
				want = append(want, i)
			}
		}
		slices.SortFunc(want, func(a, b interaction.Interaction) int {
			return cmp.Or(b.OccurredAt.Compare(a.OccurredAt), slices.Compare(b.ID[:], a.ID[:]))
		})
		for _, limit := range []int{1, 7, 0} {
			var got []interaction.Interaction
			var cur storage.Cursor
			for pages := 0; ; pages++ {
				page, next, err := b.Interactions(ctx, tenantA, q, cur, limit)
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, page...)
				if next == "" {
					break
				}
				if len(page) == 0 || pages > 400 {
					t.Fatalf("query %d: empty or endless page with a cursor", qi)
				}
				cur = next
			}
			if len(got) != len(want) {
				t.Fatalf("query %d limit %d: %d rows, want %d", qi, limit, len(got), len(want))
			}
			for k := range want {
				if !reflect.DeepEqual(got[k], want[k]) {
					t.Fatalf("query %d limit %d row %d:\n got %v %v\nwant %v %v", qi, limit, k,
						got[k].OccurredAt, got[k].ID, want[k].OccurredAt, want[k].ID)
				}
			}
		}
	}
}

func inScope(i interaction.Interaction, q storage.InteractionQuery) bool {
	if len(q.Customers) == 0 && q.Household.IsZero() && q.Conversation.IsZero() {
		return true
	}
	return slices.Contains(q.Customers, i.Customer) ||
		(!q.Household.IsZero() && i.Household == q.Household) ||
		(!q.Conversation.IsZero() && i.Conversation == q.Conversation)
}

func filtered(i interaction.Interaction, q storage.InteractionQuery) bool {
	return (len(q.Channels) == 0 || slices.Contains(q.Channels, i.Channel)) &&
		(len(q.Kinds) == 0 || slices.Contains(q.Kinds, i.Kind)) &&
		(len(q.Rooftops) == 0 || slices.Contains(q.Rooftops, i.Rooftop)) &&
		(q.Since.IsZero() || !i.OccurredAt.Before(q.Since)) &&
		(q.Until.IsZero() || i.OccurredAt.Before(q.Until))
}

func TestCommitmentsAndConversations(t *testing.T) {
	b := newBackend(t)
	owners := []dealer.Staff{"sam", "ana"}
	statuses := []interaction.CommitmentStatus{interaction.CommitmentStatusOpen, interaction.CommitmentStatusDone}
	var model []interaction.Commitment
	update(t, b, func(tx storage.Tx) error {
		for n := 1; n <= 60; n++ {
			c := interaction.Commitment{ID: id[interaction.CommitmentID](61 - n), Tenant: tenantA,
				Customer: id[customer.ID](n % 3), What: "call back", Owner: owners[n%2],
				Due: base.Add(time.Duration(n%10) * time.Hour), Status: statuses[n%5/4]}
			if err := tx.CreateCommitment(ctx, c); err != nil {
				return err
			}
			c.Revision = 1
			model = append(model, c)
		}
		return nil
	})
	q := storage.CommitmentQuery{Owner: "sam", Statuses: []interaction.CommitmentStatus{interaction.CommitmentStatusOpen},
		DueBefore: base.Add(6 * time.Hour)}
	var want []interaction.Commitment
	for _, c := range model {
		if c.Owner == q.Owner && c.Status == interaction.CommitmentStatusOpen && c.Due.Before(q.DueBefore) {
			want = append(want, c)
		}
	}
	slices.SortFunc(want, func(a, b interaction.Commitment) int {
		return cmp.Or(a.Due.Compare(b.Due), slices.Compare(a.ID[:], b.ID[:]))
	})
	var got []interaction.Commitment
	var cur storage.Cursor
	for {
		page, next, err := b.Commitments(ctx, tenantA, q, cur, 4)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, page...)
		if next == "" {
			break
		}
		cur = next
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("commitments: got %d, want %d", len(got), len(want))
	}

	cust := id[customer.ID](7)
	update(t, b, func(tx storage.Tx) error {
		for n, st := range []interaction.ConversationStatus{"open", "closed", "open", "pending"} {
			err := tx.CreateConversation(ctx, interaction.Conversation{ID: id[interaction.ConversationID](10 - n),
				Tenant: tenantA, Customer: cust, Status: st, OpenedAt: base.Add(time.Duration(n) * time.Hour)})
			if err != nil {
				return err
			}
		}
		return nil
	})
	cs, err := b.ConversationsByCustomer(ctx, tenantA, cust, "open", "pending")
	if err != nil || len(cs) != 3 {
		t.Fatal(cs, err)
	}
	for k := 1; k < len(cs); k++ {
		if !cs[k-1].OpenedAt.Before(cs[k].OpenedAt) {
			t.Fatalf("not oldest first: %v", cs)
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	b := newBackend(t)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := range 50 {
				k := w*1000 + n
				err := b.Update(ctx, func(tx storage.Tx) error {
					c := sampleCustomer(t, tenantA, k)
					if err := tx.CreateCustomer(ctx, c); err != nil {
						return err
					}
					return tx.CreateInteraction(ctx, sampleInteraction(tenantA, k, c.ID, base.Add(time.Duration(k))))
				})
				if err != nil {
					t.Error(err)
					return
				}
				if _, err := b.GetCustomer(ctx, tenantA, id[customer.ID](k)); err != nil {
					t.Error(err)
				}
				b.Interactions(ctx, tenantA, storage.InteractionQuery{}, "", 10)
				b.Changes(ctx, tenantA, "", 10)
			}
		}()
	}
	wg.Wait()
	cs, _, _ := b.Changes(ctx, tenantA, "", 1000)
	if len(cs) != 800 {
		t.Fatalf("%d changes, want 800", len(cs))
	}
	// Both changes of one transaction are adjacent in the feed.
	for k := 0; k < len(cs); k += 2 {
		if cs[k].Entity != storage.EntityCustomer || cs[k+1].Entity != storage.EntityInteraction || cs[k+1].Seq != cs[k].Seq+1 {
			t.Fatalf("transaction split in the feed at %d: %+v %+v", k, cs[k], cs[k+1])
		}
	}
}

func TestLookups(t *testing.T) {
	b := newBackend(t)
	c1, c2 := sampleCustomer(t, tenantA, 1), sampleCustomer(t, tenantA, 2)
	shared := addr(t, "tel:+12125550100")
	c1.ContactPoints = append(c1.ContactPoints, customer.ContactPoint{Address: shared})
	c2.ContactPoints = append(c2.ContactPoints, customer.ContactPoint{Address: addr(t, "tel:+12125550100;ext=9")})
	update(t, b, func(tx storage.Tx) error {
		return errors.Join(tx.CreateCustomer(ctx, c2), tx.CreateCustomer(ctx, c1))
	})
	ids, _ := b.CustomersByAddress(ctx, tenantA, addr(t, "tel:+12125550100;ext=5"))
	if !slices.Equal(ids, []customer.ID{c1.ID, c2.ID}) {
		t.Fatalf("by shared line: %v", ids)
	}
	ids, _ = b.CustomersByExternalID(ctx, tenantA, "CDK", "D-2")
	if !slices.Equal(ids, []customer.ID{c2.ID}) {
		t.Fatalf("by external id: %v", ids)
	}
	// Moving an address moves the index entry.
	c1.Revision = 1
	c1.ContactPoints = c1.ContactPoints[:2]
	update(t, b, func(tx storage.Tx) error { _, err := tx.UpdateCustomer(ctx, c1); return err })
	ids, _ = b.CustomersByAddress(ctx, tenantA, shared)
	if !slices.Equal(ids, []customer.ID{c2.ID}) {
		t.Fatalf("after update: %v", ids)
	}
}
