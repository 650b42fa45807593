package memstore_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/storage"
	"github.com/rapportcim/rapport/storage/memstore"
)

func Example() {
	ctx := context.Background()
	b := memstore.New(nil)
	defer b.Close()

	phone, err := channel.ParsePhone("(212) 555-0123", "US")
	if err != nil {
		log.Fatal(err)
	}
	id, _ := customer.ParseID("01966b3c-5a00-7000-8000-000000000001")
	at := time.Date(2025, 4, 1, 9, 30, 0, 0, time.UTC)

	// Every write happens inside Update: all or nothing.
	err = b.Update(ctx, func(tx storage.Tx) error {
		return tx.CreateCustomer(ctx, customer.Customer{
			ID:            id,
			Tenant:        "acme-auto",
			Name:          customer.Name{Given: "Jane", Family: "Doe"},
			ContactPoints: []customer.ContactPoint{{Address: phone.Address(), Primary: true}},
			CreatedAt:     at,
			UpdatedAt:     at,
		})
	})
	if err != nil {
		log.Fatal(err)
	}

	c, err := b.GetCustomer(ctx, "acme-auto", id)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.Name.Display(), c.ContactPoints[0].Address, "revision", c.Revision)

	ids, _ := b.CustomersByAddress(ctx, "acme-auto", phone.Address())
	fmt.Println("found by phone:", len(ids))

	// Another tenant sees nothing.
	_, err = b.GetCustomer(ctx, "other-group", id)
	fmt.Println(err)

	// The change feed: follow it with the cursor it returns.
	changes, cursor, _ := b.Changes(ctx, "acme-auto", "", 0)
	for _, ch := range changes {
		fmt.Println(ch.Seq, ch.Entity, ch.Op, ch.ID, ch.Revision)
	}
	more, _, _ := b.Changes(ctx, "acme-auto", cursor, 0)
	fmt.Println("new since:", len(more))

	// Output:
	// Jane Doe tel:+12125550123 revision 1
	// found by phone: 1
	// memstore.GetCustomer: storage: not found
	// 1 customer create 01966b3c-5a00-7000-8000-000000000001 1
	// new since: 0
}
