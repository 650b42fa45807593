// Command adfimport reads ADF lead files (Auto-lead Data Format XML, as lead
// providers send them) into a SQLite book and prints what it did with each
// lead: the deviations from the ADF DTD, the customer (new or recognised),
// the vehicles, the lead interaction and its conversation, and the consent
// the inquiry carries.
//
//	go run ./examples/adfimport -db leads.db examples/adfimport/leads/*.xml
//
// Run it twice: the second run finds every lead already imported and writes
// nothing.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/rapportcim/rapport"
	"github.com/rapportcim/rapport/adf"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/storage/sqlitestore"
)

func main() {
	db := flag.String("db", "leads.db", "SQLite file to keep the book in")
	rooftop := flag.String("rooftop", "downtown", "rooftop the leads are for")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: adfimport [-db file] [-rooftop name] lead.xml ...")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(context.Background(), os.Stdout, *db, *rooftop, flag.Args()); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, w io.Writer, dbPath, rooftop string, files []string) error {
	backend, err := sqlitestore.Open(ctx, dbPath, nil)
	if err != nil {
		return err
	}
	defer backend.Close()
	if err := backend.Migrate(ctx); err != nil {
		return err
	}
	book, err := rapport.New(backend, "example-dealer-group", nil)
	if err != nil {
		return err
	}
	for _, name := range files {
		if err := importFile(ctx, w, book, name, rooftop); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}

func importFile(ctx context.Context, w io.Writer, book *rapport.Book, name, rooftop string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	doc, err := adf.Read(f, nil)
	if err != nil {
		return err // a *adf.ParseError: not well-formed, too large, no ADF
	}
	fmt.Fprintf(w, "== %s: %d lead(s)\n", filepath.Base(name), len(doc.Prospects))
	for i := range doc.Prospects {
		res, err := book.ImportLead(ctx, rapport.Lead{Prospect: &doc.Prospects[i], Rooftop: dealerRooftop(rooftop)})
		if err != nil {
			fmt.Fprintf(w, "lead %d refused: %v\n", i+1, err)
			continue
		}
		fmt.Fprintf(w, "lead %s from %s\n", res.LeadID, res.Source)
		if res.Duplicate {
			fmt.Fprintln(w, "  already imported: nothing written")
			continue
		}
		for _, issue := range res.Issues {
			fmt.Fprintf(w, "  ADF: %s\n", issue)
		}
		c := res.Customer
		how := "new customer"
		if !c.Created {
			how = "recognised by " + strings.Join(c.MatchedBy, ", ")
		}
		fmt.Fprintf(w, "  customer %s (%s)\n", c.Record.Name.Display(), how)
		for _, v := range res.Vehicles {
			vin := "no VIN"
			if !v.Record.VIN.IsZero() {
				vin = "VIN " + v.Record.VIN.String()
				if v.VINProblem != nil {
					vin += " (kept, flagged: fails the North American check)"
				}
			}
			fmt.Fprintf(w, "  vehicle (%s): %d %s %s, %s\n", v.Interest, v.Record.Year, v.Record.Make, v.Record.Model, vin)
		}
		it := res.Interaction
		fmt.Fprintf(w, "  interaction: inbound %s by %s, %q\n", it.Interaction.Kind, it.Interaction.Channel, it.Interaction.Subject)
		if len(it.Interaction.Findings) > 0 {
			fmt.Fprintf(w, "  redacted: %d finding(s), flagged for review\n", len(it.Interaction.Findings))
		}
		if !it.Conversation.ID.IsZero() {
			fmt.Fprintf(w, "  conversation %s, waiting for an answer since %s\n", it.Conversation.Status, it.Conversation.WaitingSince.Format("2006-01-02 15:04 MST"))
		}
		for _, e := range res.Consent {
			until := ""
			if !e.EffectiveTo.IsZero() {
				until = " until " + e.EffectiveTo.Format("2006-01-02")
			}
			fmt.Fprintf(w, "  consent: %s %s for %s (%s)%s\n", e.Action, e.Subject.Address, e.Purpose, e.Basis, until)
		}
	}
	return nil
}

func dealerRooftop(s string) dealer.Rooftop { return dealer.Rooftop(s) }
