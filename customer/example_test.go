package customer_test

import (
	"errors"
	"fmt"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/customer"
)

func ExampleNameKey() {
	// Names from a web form, an old DMS export and a decomposed-Unicode CSV
	// all fold to the same key.
	for _, s := range []string{"José Núñez", "JOSE NUNEZ", "Jose\u0301 Nun\u0303ez"} {
		fmt.Println(customer.NameKey(s))
	}
	// Output:
	// jose nunez
	// jose nunez
	// jose nunez
}

func ExampleCustomer_Validate() {
	phone, _ := channel.ParsePhone("(212) 555-0123", "US")
	email, _ := channel.ParseEmail("jane@example.com")
	c := customer.Customer{
		Name: customer.Name{Given: "Jane", Family: "Doe"},
		ContactPoints: []customer.ContactPoint{
			{Address: phone.Address(), Usage: customer.UsageMobile, Primary: true, SMS: customer.CapabilityYes},
			{Address: email.Address(), SMS: customer.CapabilityYes, Rank: -1},
		},
	}
	err := c.Validate()
	fmt.Println(errors.Is(err, customer.ErrInvalidContact))
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var ve *customer.ValidationError
		if errors.As(e, &ve) {
			fmt.Println(ve.Field)
		}
	}
	// Output:
	// true
	// contact_points[1].rank
	// contact_points[1].sms
}

func ExampleCustomer_Contact() {
	mobile, _ := channel.ParseAddress("tel:+12125550123")
	office, _ := channel.ParseAddress("tel:+12125550188;ext=12")
	c := customer.Customer{
		Name: customer.Name{Full: "Jane Doe"},
		ContactPoints: []customer.ContactPoint{
			{Address: office, Usage: customer.UsageWork, Rank: 2},
			{Address: mobile, Usage: customer.UsageMobile, Primary: true},
		},
	}
	cp, _ := c.Contact(channel.KindSMS)
	fmt.Println(cp.Address, cp.Usage)
	// Output:
	// tel:+12125550123 mobile
}
