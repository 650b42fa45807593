package dms_test

import (
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/rapportcim/rapport/dms"
)

func ExampleNewReader() {
	export := `Customer Number,First Name,Last Name,Email 1,Cell Phone,Block Email,Block Phone,Block Mail
V-1,Renée,François,renee@example.com,212-555-0102,N,Y,N
V-2,Jo,Doe,jo@example,,Y,N,N
,,,,,,,
`
	m, err := dms.Preset(dms.DealerVault, dms.Customers)
	if err != nil {
		log.Fatal(err)
	}
	r, err := dms.NewReader(strings.NewReader(export), m, &dms.Options{
		File:       "customers.csv",
		ExportedAt: time.Date(2026, 11, 30, 6, 0, 0, 0, time.UTC),
	})
	if err != nil {
		log.Fatal(err)
	}
	for row, err := range r.All() {
		if err != nil {
			fmt.Println("rejected:", err)
			continue
		}
		fmt.Printf("row %d: %s\n", row.Row, row.Customer.Name.Display())
		for _, e := range row.Consent {
			fmt.Printf("  %s %s %s for %s (%s, %s)\n", e.Action, e.Channel, e.Subject.Address, e.Purpose, e.Evidence.RawValue, e.Evidence.DocumentRef)
		}
		for _, w := range row.Warnings {
			fmt.Printf("  row %d: %s kept verbatim in Attributes: %q\n", w.Row, w.Field, row.Customer.Attributes[w.Field])
		}
	}
	// Output:
	// row 2: Renée François
	//   grant email mailto:renee@example.com for service (Block Email=N, customers.csv#row=2)
	//   revoke voice tel:+12125550102 for all (Block Phone=Y, customers.csv#row=2)
	// row 3: Jo Doe
	//   row 3: email kept verbatim in Attributes: "jo@example"
	// rejected: dms: row 4: customer_number: missing value: no customer number, name or contact address
}
