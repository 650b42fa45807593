package memstore_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/interaction"
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

// The histories of the conversations with an interaction at a rooftop in a
// range, as Book.Metrics reads them (storage.HistoryReader): each whole,
// newest first, including what happened before the range.
func ExampleBackend_ConversationHistories() {
	ctx := context.Background()
	b := memstore.New(nil)
	defer b.Close()
	start := time.Date(2025, 4, 1, 9, 0, 0, 0, time.UTC)
	conv := interaction.ConversationID{7}
	err := b.Update(ctx, func(tx storage.Tx) error {
		for k, rooftop := range []dealer.Rooftop{"downtown", "downtown", "airport"} {
			err := tx.CreateInteraction(ctx, interaction.Interaction{ID: interaction.ID{byte(k + 1)}, Tenant: "acme-auto",
				Rooftop: rooftop, Customer: customer.ID{1}, Conversation: conv, Channel: channel.KindSMS,
				Kind: interaction.KindMessage, Direction: interaction.DirectionInbound, Body: "Still available?",
				OccurredAt: start.Add(time.Duration(k) * 24 * time.Hour)})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	var hr storage.HistoryReader = b
	q := storage.HistoryQuery{Rooftops: []dealer.Rooftop{"airport"}, Since: start.Add(24 * time.Hour)}
	for history, err := range hr.ConversationHistories(ctx, "acme-auto", q) {
		if err != nil {
			log.Fatal(err)
		}
		for _, i := range history {
			fmt.Println(i.OccurredAt.Format(time.DateOnly), i.Rooftop)
		}
	}
	// Output:
	// 2025-04-03 airport
	// 2025-04-02 downtown
	// 2025-04-01 downtown
}
