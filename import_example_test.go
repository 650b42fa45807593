package rapport_test

import (
	"context"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/rapportcim/rapport"
	"github.com/rapportcim/rapport/adf"
	"github.com/rapportcim/rapport/dms"
)

func ExampleBook_ImportLead() {
	ctx := context.Background()
	book := exampleBook()
	doc, err := adf.Read(strings.NewReader(`<?xml version="1.0"?>
<adf><prospect>
  <id sequence="1" source="Example Leads">EL-1001</id>
  <requestdate>2026-11-10T09:30:00-05:00</requestdate>
  <vehicle interest="buy" status="used"><year>2003</year><make>Honda</make><model>Accord</model><vin>1HGCM82633A004352</vin></vehicle>
  <customer>
    <contact><name part="full">Jane Doe</name><phone type="cellphone">(212) 555-0123</phone></contact>
    <comments>Is it still available?</comments>
  </customer>
  <vendor><vendorname>Example Honda</vendorname><contact><name part="full">Sales</name><phone>212-555-0100</phone></contact></vendor>
</prospect></adf>`), nil)
	if err != nil {
		log.Fatal(err)
	}
	lead := rapport.Lead{Prospect: &doc.Prospects[0], Rooftop: "downtown"}
	res, err := book.ImportLead(ctx, lead)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Customer.Record.Name.Display(), res.Customer.Created)
	fmt.Println(res.Interaction.Interaction.Kind, res.Interaction.Interaction.Subject, res.Interaction.Conversation.Status)
	for _, e := range res.Consent {
		fmt.Println(e.Action, e.Subject.Address, e.Purpose, e.Basis)
	}
	again, err := book.ImportLead(ctx, lead)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("second import is a duplicate:", again.Duplicate)
	// Output:
	// Jane Doe true
	// lead Lead: 2003 Honda Accord open
	// grant tel:+12125550123 service express
	// second import is a duplicate: true
}

func ExampleBook_Import() {
	ctx := context.Background()
	book := exampleBook()
	export := `BuyerCustomerNumber,BuyerFirstName,BuyerLastName,CellPhone,AllowContactByPhone,DealDate,DealNumber,VIN,Make,Model,ModelYear
C-501,Jane,Doe,212-555-0123,N,20261101,D-1001,1HGCM82633A004352,Honda,Accord,2003
C-502,John,Roe,212-555-0124,Y,,D-1002,,Ford,F-150,2025
`
	m, err := dms.Preset(dms.Dealertrack, dms.Sales)
	if err != nil {
		log.Fatal(err)
	}
	for run := 1; run <= 2; run++ {
		r, err := dms.NewReader(strings.NewReader(export), m, &dms.Options{File: "deals.csv", ExportedAt: time.Date(2026, 11, 9, 6, 0, 0, 0, time.UTC)})
		if err != nil {
			log.Fatal(err)
		}
		rep, err := book.Import(ctx, r.All(), &rapport.ImportOptions{Rooftop: "downtown"})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("run %d: read %d, written %d, unchanged %d, rejected %d\n", run, rep.Read, rep.Written, rep.Unchanged, rep.Rejected)
		for _, o := range rep.RejectedRows {
			fmt.Println("  rejected:", o.Err)
		}
	}
	// Output:
	// run 1: read 2, written 1, unchanged 0, rejected 1
	//   rejected: dms: row 3: sale_date: missing value
	// run 2: read 2, written 0, unchanged 1, rejected 1
	//   rejected: dms: row 3: sale_date: missing value
}
