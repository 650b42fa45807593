package rapport_test

import (
	"context"
	"fmt"
	"log"

	"github.com/rapportcim/rapport"
	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/customer"
)

func ExampleBook_Duplicates() {
	ctx := context.Background()
	book := exampleBook()
	mobile, _ := channel.ParsePhone("(212) 555-0123", "US")
	email, _ := channel.ParseEmail("rob.nunez@example.com")
	for _, c := range []customer.Customer{
		{Name: customer.Name{Given: "Robert", Family: "Núñez"}, ContactPoints: []customer.ContactPoint{
			{Address: mobile.Address(), Usage: customer.UsageMobile}, {Address: email.Address()}}},
		// From the DMS: a nickname the import cannot tell is him.
		{Name: customer.Name{Full: "BOB NUNEZ"}, ContactPoints: []customer.ContactPoint{
			{Address: mobile.Address(), Usage: customer.UsageMobile}, {Address: email.Address()}}},
	} {
		if _, err := book.UpsertCustomer(ctx, c); err != nil {
			log.Fatal(err)
		}
	}
	for c, err := range book.Duplicates(ctx, nil) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(c.Tier, c.Score)
		for _, r := range c.Reasons {
			fmt.Println(" ", r)
		}
	}
	// Output:
	// safe 20
	//   same mobile number
	//   same email address
	//   first names are a nickname and its full form
}

func ExampleBook_HouseholdSuggestions() {
	ctx := context.Background()
	book := exampleBook()
	home := []customer.PostalAddress{{Lines: []string{"12 Oak Street"}, PostalCode: "10001", Country: "US"}}
	for _, n := range []customer.Name{{Given: "María", Family: "García"}, {Full: "JOSE GARCIA"}} {
		if _, err := book.UpsertCustomer(ctx, customer.Customer{Name: n, PostalAddresses: home}); err != nil {
			log.Fatal(err)
		}
	}
	for s, err := range book.HouseholdSuggestions(ctx, nil) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(len(s.Members), "members:", s.Reasons[0])
		h, err := book.AcceptSuggestion(ctx, s, rapport.Act{By: "bdc-2"})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("household made with", len(h.Members), "members at", h.Address.PostalCode)
	}
	n := 0
	for _, err := range book.HouseholdSuggestions(ctx, nil) {
		if err != nil {
			log.Fatal(err)
		}
		n++
	}
	fmt.Println("suggestions left:", n)
	// Output:
	// 2 members: same street address and last name
	// household made with 2 members at 10001
	// suggestions left: 0
}
