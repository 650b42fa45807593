package adf_test

import (
	"fmt"
	"log"
	"os"
	"strings"

	"github.com/rapportcim/rapport/adf"
)

func ExampleRead() {
	lead := `<?xml version="1.0" encoding="utf-16"?>
<ADF>
  <Prospect>
    <id sequence="1" source="Example Marketplace">MK-1001</id>
    <requestdate>2026-11-30T09:12:44-05:00</requestdate>
    <vehicle interest="buy" status="Used">
      <year>2021</year><make>Honda</make><model>Accord</model>
    </vehicle>
    <customer>
      <contact>
        <name part="full">Maria Garc&iacute;a</name>
        <phone type="cell">(212) 555-0142</phone>
        <birthday>1990-04-01</birthday>
      </contact>
      <comments><![CDATA[Is it still available?]]></comments>
    </customer>
  </Prospect>
</ADF>`
	doc, err := adf.Read(strings.NewReader(lead), nil)
	if err != nil {
		log.Fatal(err)
	}
	p := doc.Prospects[0]
	fmt.Println(p.Customer.Contact.Names[0].Value, "wants a", p.Vehicles[0].Make, p.Vehicles[0].Model)
	fmt.Println("comments:", p.Customer.Comments)
	status, _ := adf.Canonical("vehicle@status", p.Vehicles[0].Status)
	fmt.Println("status as sent:", p.Vehicles[0].Status, "canonical:", status)
	for _, issue := range adf.Validate(doc) {
		fmt.Println(issue)
	}
	// Output:
	// Maria García wants a Honda Accord
	// comments: Is it still available?
	// status as sent: Used canonical: used
	// prospect[0]/vehicle[0]/@status: non_canonical "Used" (DTD: new, used)
	// prospect[0]/customer/contact/birthday: extension
	// prospect[0]/customer/contact/phone[0]/@type: non_canonical "cell" (DTD: voice, fax, cellphone, pager)
	// prospect[0]/vendor: missing
}

func ExampleWrite() {
	doc := &adf.Document{Version: "1.0", Prospects: []adf.Prospect{{
		IDs:         []adf.ID{{Sequence: "1", Source: "Example CRM", Value: "L-1"}},
		RequestDate: "2026-11-30T09:00:00-05:00",
		Vehicles:    []adf.Vehicle{{Interest: "buy", Status: "new", Year: "2026", Make: "Ford", Model: "Bronco"}},
		Customer: &adf.Customer{Contact: &adf.Contact{
			Names:  []adf.Name{{Part: "full", Value: "Jo Doe"}},
			Emails: []adf.Email{{Value: "jo@example.com"}},
		}},
		Vendor: &adf.Vendor{VendorName: "Example Ford", Contact: &adf.Contact{
			Names:  []adf.Name{{Part: "full", Value: "Internet Sales"}},
			Phones: []adf.Phone{{Value: "212-555-0100"}},
		}},
	}}}
	if err := adf.Write(os.Stdout, doc); err != nil {
		log.Fatal(err)
	}
	// Output:
	// <?xml version="1.0" encoding="UTF-8"?>
	// <?adf version="1.0"?>
	// <adf>
	// 	<prospect>
	// 		<id sequence="1" source="Example CRM">L-1</id>
	// 		<requestdate>2026-11-30T09:00:00-05:00</requestdate>
	// 		<vehicle interest="buy" status="new">
	// 			<year>2026</year>
	// 			<make>Ford</make>
	// 			<model>Bronco</model>
	// 		</vehicle>
	// 		<customer>
	// 			<contact>
	// 				<name part="full">Jo Doe</name>
	// 				<email>jo@example.com</email>
	// 			</contact>
	// 		</customer>
	// 		<vendor>
	// 			<vendorname>Example Ford</vendorname>
	// 			<contact>
	// 				<name part="full">Internet Sales</name>
	// 				<phone>212-555-0100</phone>
	// 			</contact>
	// 		</vendor>
	// 	</prospect>
	// </adf>
}
