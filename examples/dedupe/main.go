// Command dedupe shows duplicate detection on a small book: customers
// imported from a CRM, the DMS and the showroom kiosk, some of them the
// same person written differently, some different people sharing a family
// landline or the kiosk's email. It prints each candidate pair with its
// tier and the reasons in words a manager reads. It then merges the
// first pair — a dry run first, showing the survivor and what would move,
// then the merge itself — undoes it with an unmerge, and erases a customer
// on request.
//
//	go run ./examples/dedupe
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"

	"github.com/rapportcim/rapport"
	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/storage/memstore"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		log.Fatal(err)
	}
}

func phone(s string) channel.Address {
	p, err := channel.ParsePhone(s, "US")
	if err != nil {
		log.Fatal(err)
	}
	return p.Address()
}

func email(s string) channel.Address {
	e, err := channel.ParseEmail(s)
	if err != nil {
		log.Fatal(err)
	}
	return e.Address()
}

func run(ctx context.Context, w io.Writer) error {
	backend := memstore.New(nil)
	defer backend.Close()
	// The erasure key keeps erased people's opt-outs findable under a
	// keyed hash; a real deployment reads it from its secret store.
	book, err := rapport.New(backend, "example-group", &rapport.Options{ErasureKey: []byte("example-only-erasure-key-0123456789abcdef")})
	if err != nil {
		return err
	}

	store := phone("+1 212 555 0100") // the dealership's main line
	kiosk := email("kiosk@dealer.example.com")
	landline := phone("+1 212 555 0150") // the Núñez family's home phone
	records := []customer.Customer{
		{Name: customer.Name{Given: "Robert", Family: "Núñez"}, Source: "crm", ContactPoints: []customer.ContactPoint{
			{Address: phone("+1 212 555 0123"), Usage: customer.UsageMobile},
			{Address: landline, Usage: customer.UsageHome},
			{Address: email("rob.nunez@example.com")},
		}},
		// The same man from the DMS: a nickname, no accents, the same
		// mobile, and the DMS's customer number.
		{Name: customer.Name{Full: "BOB NUNEZ"}, Source: "dms-import", ContactPoints: []customer.ContactPoint{
			{Address: phone("+1 212 555 0123"), Usage: customer.UsageMobile},
			{Address: email("Rob.Nunez@example.com")},
		}, ExternalIDs: []customer.ExternalID{{System: "cdk", Value: "C1001"}}},
		// His wife shares the landline.
		{Name: customer.Name{Given: "María", Family: "Núñez"}, Source: "crm", ContactPoints: []customer.ContactPoint{
			{Address: landline, Usage: customer.UsageHome},
		}},
		// A walk-in typed twice: the second time with two digits swapped.
		{Name: customer.Name{Given: "Dana", Family: "Whitfield"}, Source: "walk-in", ContactPoints: []customer.ContactPoint{
			{Address: phone("+1 646 555 0145"), Usage: customer.UsageMobile},
		}},
		{Name: customer.Name{Given: "Dana", Family: "Whitfield"}, Source: "walk-in", ContactPoints: []customer.ContactPoint{
			{Address: phone("+1 646 555 0154"), Usage: customer.UsageMobile},
			{Address: email("dana.w@example.org")},
		}},
	}
	// Kiosk sign-ups: different people, the kiosk's email and the store's
	// number on every one.
	for _, n := range []string{"Ann Lee", "Raj Patel", "Li Wei", "Sam Ortiz", "Kim Cruz"} {
		records = append(records, customer.Customer{Name: customer.Name{Full: n}, Source: "kiosk", ContactPoints: []customer.ContactPoint{
			{Address: kiosk}, {Address: store, Usage: customer.UsageWork},
		}})
	}
	ids := map[customer.ID]string{}
	var nunez []customer.ID
	for _, c := range records {
		// UpsertCustomer recognises a customer by external ID, or by an
		// address with a compatible name; these records slip past it (a
		// nickname, a mistyped number), as they do in real books.
		res, err := book.UpsertCustomer(ctx, c)
		if err != nil {
			return err
		}
		ids[res.Record.ID] = fmt.Sprintf("%s (%s)", res.Record.Name.Display(), res.Record.Source)
		if res.Record.Name.Key() != "" && (c.Name.Family == "Núñez" || c.Name.Full == "BOB NUNEZ") {
			nunez = append(nunez, res.Record.ID)
		}
	}
	fmt.Fprintf(w, "%d customers in the book\n", len(ids))
	hh := household.Household{Name: "Núñez", Address: household.PostalAddress{PostalCode: "10001"}}
	for _, id := range nunez {
		hh.Members = append(hh.Members, household.Member{Customer: id})
	}
	if _, err := book.UpsertHousehold(ctx, hh); err != nil {
		return err
	}

	rules := customer.DefaultDuplicateRules()
	rules.Guards.Addresses = []channel.Address{store} // never evidence
	var stats customer.DuplicateStats
	var first []customer.ID
	for c, err := range book.Duplicates(ctx, &rapport.DuplicatesOptions{Rules: &rules, Stats: &stats}) {
		if err != nil {
			return err
		}
		if first == nil {
			first = []customer.ID{c.A, c.B}
		}
		fmt.Fprintf(w, "\n%s, score %d:\n  %s\n  %s\n", c.Tier, c.Score, ids[c.A], ids[c.B])
		for _, r := range c.Reasons {
			fmt.Fprintf(w, "  %+3d  %s\n", r.Weight, r)
		}
	}
	fmt.Fprintf(w, "\n%v\n", stats)
	if first != nil {
		if err := mergeAndUndo(ctx, w, book, first, ids); err != nil {
			return err
		}
	}
	return erase(ctx, w, book, ids)
}

// erase honours a deletion request from Dana Whitfield's first record.
func erase(ctx context.Context, w io.Writer, book *rapport.Book, names map[customer.ID]string) error {
	dana, err := book.CustomersByAddress(ctx, phone("+1 646 555 0145"))
	if err != nil || len(dana) != 1 {
		return fmt.Errorf("finding Dana: %v (%d found)", err, len(dana))
	}
	rec, err := book.Erase(ctx, dana[0].ID, "the customer, by email", rapport.Act{By: "privacy-officer", Reason: "deletion request"})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nerased %s on the request of %s: %d records rewritten, %d addresses kept only as keyed hashes\n",
		names[rec.Customer], rec.OnRequestOf, len(rec.Erased), len(rec.Keys))
	return nil
}

// mergeAndUndo merges the pair (the DMS's values win where the DMS knows
// them, the fullest name wins), showing a dry run first, then unmerges it.
func mergeAndUndo(ctx context.Context, w io.Writer, book *rapport.Book, pair []customer.ID, names map[customer.ID]string) error {
	opts := &rapport.MergeOptions{DryRun: true, Rules: &customer.Survivorship{
		Sources: []string{"dms-import", "crm"},
		Default: customer.RulePriority,
		Fields:  map[customer.Field]customer.Rule{customer.FieldName: customer.RuleMostComplete},
	}}
	act := rapport.Act{By: "manager-1", Reason: "same mobile, nickname of the same first name"}
	plan, err := book.Merge(ctx, pair, act, opts)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\ndry run: merge %s into %s\n  survivor would be %s, %d contact points, aliases %d\n",
		names[plan.Merged[0]], names[plan.Survivor], plan.After.Name.Display(), len(plan.After.ContactPoints), len(plan.After.Aliases))
	for _, f := range plan.Fields {
		fmt.Fprintf(w, "  %-10s from %s (%s)\n", f.Field, names[f.From], f.Rule)
	}
	for _, m := range plan.Moved {
		note := ""
		if m.Dropped {
			note = " (dropped: the survivor holds it already)"
		}
		fmt.Fprintf(w, "  would move a %s from %s%s\n", m.Entity, names[m.From], note)
	}
	opts.DryRun = false
	rec, err := book.Merge(ctx, pair, act, opts)
	if err != nil {
		return err
	}
	if _, err := book.Customer(ctx, rec.Merged[0]); errors.Is(err, rapport.ErrNotFound) {
		fmt.Fprintf(w, "merged: %s is gone, %s holds %d contact points\n", names[rec.Merged[0]], names[rec.Survivor], len(rec.After.ContactPoints))
	} else {
		return fmt.Errorf("after the merge: %v", err)
	}
	un, err := book.Unmerge(ctx, rec.ID, rapport.Act{By: "manager-1", Reason: "checking the undo"})
	if err != nil {
		return err
	}
	back, err := book.Customer(ctx, rec.Merged[0])
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "unmerged: %s is back (revision %d), %s has %d contact points again; %d records given back\n",
		back.Name.Display(), back.Revision, names[rec.Survivor], len(un.After.ContactPoints), len(un.Moved))
	return nil
}
