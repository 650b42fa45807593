package sqlitestore_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/storage"
	"github.com/rapportcim/rapport/storage/sqlitestore"
)

// Open a database file, apply the schema, store a customer and an opt-out
// in one transaction, and read them back by the number.
func Example() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "rapport-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	b, err := sqlitestore.Open(ctx, filepath.Join(dir, "rapport.db"), nil)
	if err != nil {
		log.Fatal(err)
	}
	defer b.Close()
	if err := b.Migrate(ctx); err != nil {
		log.Fatal(err)
	}

	phone, err := channel.ParseAddress("tel:+12125550123")
	if err != nil {
		log.Fatal(err)
	}
	at := time.Date(2025, 6, 2, 14, 30, 0, 0, time.UTC)
	jane := customer.Customer{
		ID:            customer.ID{0x01, 0x97, 0x2f, 0x4a, 0, 0, 0x70, 0, 0x80},
		Tenant:        "acme-motors",
		Name:          customer.Name{Given: "Jane", Family: "Doe"},
		ContactPoints: []customer.ContactPoint{{Address: phone, Primary: true}},
		CreatedAt:     at,
		UpdatedAt:     at,
	}
	stop := consent.Event{
		ID:         consent.ID{0x01, 0x97, 0x2f, 0x4a, 0, 1, 0x70, 0, 0x80},
		Tenant:     "acme-motors",
		Subject:    consent.Subject{Address: phone, Customer: jane.ID},
		Channel:    channel.KindSMS,
		Purpose:    consent.PurposeAll,
		Action:     consent.ActionRevoke,
		Evidence:   consent.Evidence{Method: consent.MethodSMSKeyword, RawText: "STOP"},
		CapturedAt: at,
		RecordedAt: at,
	}
	err = b.Update(ctx, func(tx storage.Tx) error {
		if err := tx.CreateCustomer(ctx, jane); err != nil {
			return err
		}
		return tx.AppendConsent(ctx, stop)
	})
	if err != nil {
		log.Fatal(err)
	}

	ids, err := b.CustomersByAddress(ctx, "acme-motors", phone)
	if err != nil {
		log.Fatal(err)
	}
	c, err := b.GetCustomer(ctx, "acme-motors", ids[0])
	if err != nil {
		log.Fatal(err)
	}
	events, err := b.ConsentByAddress(ctx, "acme-motors", phone)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.Name.Given, c.Name.Family, "revision", c.Revision)
	for _, e := range events {
		fmt.Println(e.Action, e.Channel, e.Purpose, e.CapturedAt)
	}
	changes, _, err := b.Changes(ctx, "acme-motors", "", 10)
	if err != nil {
		log.Fatal(err)
	}
	for _, ch := range changes {
		fmt.Println(ch.Seq, ch.Entity, ch.Op)
	}
	// Output:
	// Jane Doe revision 1
	// revoke sms all 2025-06-02 14:30:00 +0000 UTC
	// 1 customer create
	// 2 consent create
}
