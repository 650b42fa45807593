package storagetest

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/storage"
)

// wantIDs reports got unless it holds want's IDs in want's order (nil and
// empty are the same).
func wantIDs[ID ~[16]byte](t *testing.T, what string, want, got []ID, err error) {
	t.Helper()
	if !wantNoErr(t, what, err) {
		return
	}
	if len(want) == 0 && len(got) == 0 {
		return
	}
	if !slices.Equal(want, got) {
		t.Errorf("%s = %v, want %v", what, nums(got), nums(want))
	}
}

// nums shows IDs made by rawID as their numbers.
func nums[ID ~[16]byte](ids []ID) []uint64 {
	out := make([]uint64, len(ids))
	for i, id := range ids {
		out[i] = idNum(id)
	}
	return out
}

func checkLookups(t *testing.T, b storage.Backend) {
	const tenant = dealer.Tenant("tenant-lookups")
	ctx := t.Context()
	cid := func(n uint64) customer.ID { return customer.ID(rawID(n)) }
	line := phone(23)
	mail := email("jane.doe")

	c1 := newCustomer(tenant, cid(10), line, mail)
	c1.ExternalIDs = []customer.ExternalID{{System: "cdk", Value: "A-1"}}
	c2 := newCustomer(tenant, cid(20), line) // a shared family number
	c2.ExternalIDs = []customer.ExternalID{{System: "reynolds", Value: "A-1"}}
	c3 := newCustomer(tenant, cid(15), mustAddress("tel:+12125550123;ext=44"), phone(30))
	c4 := newCustomer(tenant, cid(5), email("other"))
	c4.ExternalIDs = []customer.ExternalID{{System: "CDK", Value: "A-1"}} // as an old import stored it
	// Created out of ID order, so that creation order cannot pass for ID
	// order.
	seed(t, b, c2, c1)
	seed(t, b, c4, c3)

	byAddr := func(addr channel.Address, want ...customer.ID) {
		t.Helper()
		got, err := b.CustomersByAddress(ctx, tenant, addr)
		wantIDs(t, "CustomersByAddress("+addr.String()+")", want, got, err)
	}
	byExt := func(system, value string, want ...customer.ID) {
		t.Helper()
		got, err := b.CustomersByExternalID(ctx, tenant, system, value)
		wantIDs(t, fmt.Sprintf("CustomersByExternalID(%q, %q)", system, value), want, got, err)
	}

	t.Run("CustomersByAddress", func(t *testing.T) {
		byAddr(line, c1.ID, c3.ID, c2.ID)
		byAddr(mustAddress("tel:+12125550123;ext=9"), c1.ID, c3.ID, c2.ID)
		byAddr(mustAddress("tel:+12125550123;ext=44"), c1.ID, c3.ID, c2.ID)
		byAddr(mail, c1.ID)
		byAddr(phone(30), c3.ID)
		byAddr(email("other"), c4.ID)
		byAddr(phone(99))
		byAddr(mustAddress("whatsapp:+12125550123"))
	})

	t.Run("CustomersByExternalID", func(t *testing.T) {
		byExt("cdk", "A-1", c4.ID, c1.ID)
		byExt("CDK", "A-1", c4.ID, c1.ID)
		byExt("Cdk", "A-1", c4.ID, c1.ID)
		byExt("reynolds", "A-1", c2.ID)
		byExt("dms", "A-1")
		byExt("cdk", "A-2")
	})

	t.Run("IndexesFollowWrites", func(t *testing.T) {
		// c1 drops its phone: found by email only.
		u1 := c1
		u1.Revision = 1
		u1.ContactPoints = []customer.ContactPoint{{Address: mail}}
		mustUpdate(t, b, func(ctx context.Context, tx storage.Tx) error {
			_, err := tx.UpdateCustomer(ctx, u1)
			return err
		})
		byAddr(line, c3.ID, c2.ID)
		byAddr(mail, c1.ID)
		// c1 gets the line back with an extension, and a new email.
		u1.Revision = 2
		u1.ContactPoints = []customer.ContactPoint{
			{Address: mustAddress("tel:+12125550123;ext=5")},
			{Address: email("jane.new")},
		}
		mustUpdate(t, b, func(ctx context.Context, tx storage.Tx) error {
			_, err := tx.UpdateCustomer(ctx, u1)
			return err
		})
		byAddr(line, c1.ID, c3.ID, c2.ID)
		byAddr(mail)
		byAddr(email("jane.new"), c1.ID)
		// c4 loses its external ID.
		u4 := c4
		u4.Revision = 1
		u4.ExternalIDs = nil
		mustUpdate(t, b, func(ctx context.Context, tx storage.Tx) error {
			_, err := tx.UpdateCustomer(ctx, u4)
			return err
		})
		byExt("cdk", "A-1", c1.ID)
		// c2 is deleted.
		mustUpdate(t, b, func(ctx context.Context, tx storage.Tx) error {
			return tx.DeleteCustomer(ctx, tenant, c2.ID, 1)
		})
		byAddr(line, c1.ID, c3.ID)
		byExt("reynolds", "A-1")
	})

	t.Run("VehiclesByVIN", func(t *testing.T) {
		vid := func(n uint64) household.VehicleID { return household.VehicleID(rawID(n)) }
		v1 := newVehicle(tenant, vid(30), vin1)
		v2 := newVehicle(tenant, vid(25), vin1) // the same car, entered twice
		v3 := newVehicle(tenant, vid(27), vin2)
		v4 := newVehicle(tenant, vid(28), vin4) // a pre-1981 serial
		seed(t, b, v1, v3, v2, v4)
		byVIN := func(vin household.VIN, want ...household.VehicleID) {
			t.Helper()
			got, err := b.VehiclesByVIN(ctx, tenant, vin)
			wantIDs(t, "VehiclesByVIN("+vin.String()+")", want, got, err)
		}
		byVIN(vin1, v2.ID, v1.ID)
		byVIN(mustVIN("1hgcm82633a004352"), v2.ID, v1.ID)
		byVIN(vin2, v3.ID)
		byVIN(vin4, v4.ID)
		byVIN(vin3)
		v3.Revision = 1
		v3.VIN = vin3
		mustUpdate(t, b, func(ctx context.Context, tx storage.Tx) error {
			_, err := tx.UpdateVehicle(ctx, v3)
			return err
		})
		byVIN(vin2)
		byVIN(vin3, v3.ID)
	})

	t.Run("HouseholdsByMember", func(t *testing.T) {
		hid := func(n uint64) household.ID { return household.ID(rawID(n)) }
		h1 := newHousehold(tenant, hid(40), c1.ID, c2.ID)
		h1.Members[1].From = at(-1000)
		h1.Members[1].To = at(-10) // a past member still counts
		h2 := newHousehold(tenant, hid(35), c1.ID)
		h3 := newHousehold(tenant, hid(45), c3.ID)
		seed(t, b, h1, h3, h2)
		byMember := func(c customer.ID, want ...household.ID) {
			t.Helper()
			got, err := b.HouseholdsByMember(ctx, tenant, c)
			wantIDs(t, fmt.Sprintf("HouseholdsByMember(%d)", idNum(c)), want, got, err)
		}
		byMember(c1.ID, h2.ID, h1.ID)
		byMember(c2.ID, h1.ID)
		byMember(c3.ID, h3.ID)
		byMember(c4.ID)
		h1.Revision = 1
		h1.Members = h1.Members[:1]
		mustUpdate(t, b, func(ctx context.Context, tx storage.Tx) error {
			_, err := tx.UpdateHousehold(ctx, h1)
			return err
		})
		byMember(c2.ID)
		byMember(c1.ID, h2.ID, h1.ID)
	})
}
