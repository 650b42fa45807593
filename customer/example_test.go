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

// A Hangul name gives one key whether its syllables arrive composed (as
// most keyboards type them) or as conjoining jamo (as some exports and
// macOS file names carry them).
func ExampleNameKey_hangul() {
	composed := "김민준"
	jamo := "\u1100\u1175\u11b7\u1106\u1175\u11ab\u110c\u116e\u11ab"
	fmt.Println(customer.NameKey(composed), customer.NameKey(jamo), customer.NameKey(composed) == customer.NameKey(jamo))
	// Output:
	// 김민준 김민준 true
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

func ExampleDuplicateFinder() {
	mobile, _ := channel.ParsePhone("(212) 555-0123", "US")
	home, _ := channel.ParsePhone("(212) 555-0150", "US")
	book := []customer.Customer{
		{ID: customer.ID{1}, Name: customer.Name{Given: "Robert", Family: "Núñez"}, ContactPoints: []customer.ContactPoint{
			{Address: mobile.Address(), Usage: customer.UsageMobile}, {Address: home.Address(), Usage: customer.UsageHome}}},
		{ID: customer.ID{2}, Name: customer.Name{Full: "BOB NUNEZ"}, ContactPoints: []customer.ContactPoint{
			{Address: mobile.Address(), Usage: customer.UsageMobile}}},
		{ID: customer.ID{3}, Name: customer.Name{Given: "María", Family: "Núñez"}, ContactPoints: []customer.ContactPoint{
			{Address: home.Address(), Usage: customer.UsageHome}}},
	}
	f := customer.NewDuplicateFinder(nil)
	for i := range book {
		book[i].PostalAddresses = []customer.PostalAddress{{PostalCode: "10001", Country: "US"}}
		if err := f.Add(&book[i]); err != nil {
			fmt.Println(err)
			return
		}
	}
	for _, c := range f.Candidates(customer.TierPossible) {
		fmt.Printf("%d and %d: %s (score %d)\n", c.A[0], c.B[0], c.Tier, c.Score)
		for _, r := range c.Reasons {
			fmt.Printf("  %+d %s\n", r.Weight, r)
		}
	}
	// María shares the landline but not the first name: not proposed.
	// Output:
	// 1 and 2: likely (score 15)
	//   +8 same mobile number
	//   +4 first names are a nickname and its full form
	//   +3 same last name and postal code
}
