package rapport_test

import (
	"context"
	"fmt"
	"log"

	"github.com/rapportcim/rapport"
	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/customer"
)

func ExampleBook_Merge() {
	ctx := context.Background()
	book := exampleBook()
	mobile, _ := channel.ParsePhone("(212) 555-0123", "US")
	email, _ := channel.ParseEmail("rob.nunez@example.com")
	var ids []customer.ID
	for _, c := range []customer.Customer{
		{Name: customer.Name{Given: "Robert", Family: "Núñez"}, Source: "crm",
			ContactPoints: []customer.ContactPoint{{Address: mobile.Address(), Usage: customer.UsageMobile}}},
		{Name: customer.Name{Full: "BOB NUNEZ"}, Source: "dms-import",
			ContactPoints: []customer.ContactPoint{{Address: email.Address()}},
			ExternalIDs:   []customer.ExternalID{{System: "cdk", Value: "C1001"}}},
	} {
		res, err := book.UpsertCustomer(ctx, c)
		if err != nil {
			log.Fatal(err)
		}
		ids = append(ids, res.Record.ID)
	}
	rules := &customer.Survivorship{
		Sources: []string{"dms-import", "crm"},
		Default: customer.RulePriority,
		Fields:  map[customer.Field]customer.Rule{customer.FieldName: customer.RuleMostComplete},
	}
	act := rapport.Act{By: "manager-1", Reason: "same person"}

	plan, err := book.Merge(ctx, ids, act, &rapport.MergeOptions{Rules: rules, DryRun: true})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("dry run:", plan.After.Name.Display(), plan.After.Source, len(plan.After.ContactPoints), "contact points")

	rec, err := book.Merge(ctx, ids, act, &rapport.MergeOptions{Rules: rules})
	if err != nil {
		log.Fatal(err)
	}
	survivor, _ := book.Customer(ctx, rec.Survivor)
	fmt.Println("merged:", survivor.Name.Display(), survivor.ExternalID("cdk"), survivor.Aliases[0].Display())

	if _, err := book.Unmerge(ctx, rec.ID, rapport.Act{By: "manager-1", Reason: "two people after all"}); err != nil {
		log.Fatal(err)
	}
	for _, id := range ids {
		c, _ := book.Customer(ctx, id)
		fmt.Println("unmerged:", c.Name.Display(), len(c.ContactPoints), "contact point")
	}
	// Output:
	// dry run: Robert Núñez dms-import 2 contact points
	// merged: Robert Núñez C1001 BOB NUNEZ
	// unmerged: Robert Núñez 1 contact point
	// unmerged: BOB NUNEZ 1 contact point
}
