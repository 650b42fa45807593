package pgstore_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/jackc/pgx/v5"

	"github.com/rapportcim/rapport"
	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/storage/pgstore"
)

// Open a Backend on a PostgreSQL server, migrate its schema, and keep a
// Book on it. The example uses a schema of its own, which it drops at the
// end; it runs when RAPPORT_PG_DSN names a server.
func ExampleOpen() {
	ctx := context.Background()
	dsn := os.Getenv("RAPPORT_PG_DSN") // postgres://user@host:5432/db?sslmode=disable
	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		log.Fatal(err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, "CREATE SCHEMA rapport_example"); err != nil {
		log.Fatal(err)
	}
	defer admin.Exec(ctx, "DROP SCHEMA rapport_example CASCADE")

	b, err := pgstore.Open(ctx, dsn, &pgstore.Options{Schema: "rapport_example"})
	if err != nil {
		log.Fatal(err)
	}
	defer b.Close()
	if err := b.Migrate(ctx); err != nil {
		log.Fatal(err)
	}
	book, err := rapport.New(b, "acme-motors", nil)
	if err != nil {
		log.Fatal(err)
	}
	phone, _ := channel.ParsePhone("(212) 555-0123", "US")
	for range 2 { // the second time, she is recognised
		r, err := book.UpsertCustomer(ctx, customer.Customer{
			Name:          customer.Name{Given: "Jane", Family: "Doe"},
			ContactPoints: []customer.ContactPoint{{Address: phone.Address()}},
		})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("created:", r.Created, "revision:", r.Record.Revision)
	}
	for c, err := range book.Changes(ctx, "") {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(c.Seq, c.Entity, c.Op)
	}
	// Output:
	// created: true revision: 1
	// created: false revision: 1
	// 1 customer create
}
