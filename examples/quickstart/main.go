// Command quickstart walks through rapport's main job: normalizing contact
// data, recognising the same customer across imports, keeping a household
// with its vehicle, recording consent, and one multi-channel story, then
// printing the customer's timeline, the household's timeline, the change
// feed, and last the customer's brief (Book.Brief): what the next employee
// to pick her up sees.
//
//	go run ./examples/quickstart            # in memory
//	go run ./examples/quickstart -db r.db   # in a SQLite file; run it twice: nobody is duplicated
//	go run ./examples/quickstart -pg "$RAPPORT_PG_DSN"   # in PostgreSQL; likewise
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net/netip"
	"os"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/rapportcim/rapport"
	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage/memstore"
	"github.com/rapportcim/rapport/storage/pgstore"
	"github.com/rapportcim/rapport/storage/sqlitestore"
)

const rooftop dealer.Rooftop = "downtown-mazda"

func main() {
	db := flag.String("db", "", "SQLite file to keep the book in (default: in memory)")
	pg := flag.String("pg", "", "PostgreSQL connection string (postgres://…) to keep the book in, instead of -db")
	flag.Parse()
	if err := run(context.Background(), os.Stdout, *db, *pg); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, w io.Writer, dbPath, pgDSN string) error {
	book, closeBackend, err := openBook(ctx, "example-dealer-group", dbPath, pgDSN)
	if err != nil {
		return err
	}
	defer closeBackend()

	section(w, "Normalization")
	for _, in := range []struct{ raw, region string }{
		{"(212) 555-0123", "US"}, {"001 212 555 0123", "DE"}, {"212.555.0123 ext. 45", "US"}, {"555-0100", "US"},
	} {
		p, err := channel.ParsePhone(in.raw, in.region)
		if err != nil {
			fmt.Fprintf(w, "  phone %-22q -> refused: %v\n", in.raw, err)
			continue
		}
		fmt.Fprintf(w, "  phone %-22q -> %-24s %s, %s, %v\n", in.raw, p.Address(), p.National(), p.Type(), p.TimeZones())
	}
	for _, raw := range []string{"Jane Doe <Jane.Doe@Example.COM>", "jane..doe@example"} {
		e, err := channel.ParseEmail(raw)
		if err != nil {
			fmt.Fprintf(w, "  email %-34q -> refused: %v\n", raw, err)
			continue
		}
		fmt.Fprintf(w, "  email %-34q -> %s (name %q, match key %s)\n", raw, e.Address(), e.Name(), e.MatchKey())
	}
	if _, err := household.ParseVIN("1HGCM82633A004353"); err != nil {
		fmt.Fprintf(w, "  vin %q -> refused: %v\n", "1HGCM82633A004353", err)
	}
	vin, err := household.ParseVIN(" 1hgcm82633a004352 ")
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  vin %q -> %s: check digit %s, model year %v\n", " 1hgcm82633a004352 ", vin, vin.CheckDigit(), vin.ModelYears())
	fmt.Fprintf(w, "  name key %q and %q -> %q, %q\n", "José Núñez", "JOSE NUNEZ", customer.NameKey("José Núñez"), customer.NameKey("JOSE NUNEZ"))

	section(w, "Importing customers whose contact points overlap")
	mobile := mustAddr("tel:+12125550123")
	home := mustAddr("tel:+12125550150")
	imports := []struct {
		source string
		c      customer.Customer
	}{
		{"web lead form", customer.Customer{
			Name: customer.Name{Given: "Jane", Family: "Doe"},
			ContactPoints: []customer.ContactPoint{
				{Address: mobile, Usage: customer.UsageMobile, Primary: true, SMS: customer.CapabilityYes},
				{Address: mustAddr("mailto:jane.doe@example.com")},
			},
			Preference: channel.Preference{Kinds: []channel.Kind{channel.KindSMS, channel.KindEmail}, Zone: "America/New_York",
				Windows: channel.Every(channel.Clock(17, 0), channel.Clock(20, 30))},
			Source: "dealer website",
		}},
		{"DMS export", customer.Customer{
			Name:          customer.Name{Full: "JANE DOE"},
			ContactPoints: []customer.ContactPoint{{Address: mustPhone("212.555.0123", "US"), Usage: customer.UsageMobile}, {Address: home, Usage: customer.UsageHome}},
			ExternalIDs:   []customer.ExternalID{{System: "dms", Value: "C-10042"}},
		}},
		{"DMS export (spouse)", customer.Customer{
			Name:          customer.Name{Given: "John", Family: "Doe"},
			ContactPoints: []customer.ContactPoint{{Address: home, Usage: customer.UsageHome}, {Address: mustAddr("tel:+12125550177"), Usage: customer.UsageMobile}},
			ExternalIDs:   []customer.ExternalID{{System: "dms", Value: "C-10043"}},
		}},
	}
	var jane, john customer.Customer
	for _, im := range imports {
		r, err := book.UpsertCustomer(ctx, im.c)
		if err != nil {
			return fmt.Errorf("import from %s: %w", im.source, err)
		}
		what := "created"
		switch {
		case !r.Created && r.Changed:
			what = "recognised (" + strings.Join(r.MatchedBy, ", ") + "), updated"
		case !r.Created:
			what = "recognised (" + strings.Join(r.MatchedBy, ", ") + "), nothing new"
		}
		if len(r.SharedWith) > 0 {
			what += fmt.Sprintf("; shares a number with %d other customer(s)", len(r.SharedWith))
		}
		fmt.Fprintf(w, "  %-20s -> %s: %s\n", im.source, r.Record.Name.Display(), what)
		if r.Record.ExternalID("dms") == "C-10043" {
			john = r.Record
		} else {
			jane = r.Record
		}
	}
	fmt.Fprintf(w, "  Jane has %d contact points: %s\n", len(jane.ContactPoints), addresses(jane))

	section(w, "Household and vehicle")
	// A household is recognised by its members: running this again finds
	// the one made the first time.
	hr, err := book.UpsertHousehold(ctx, household.Household{Name: "Doe household", Members: []household.Member{
		{Customer: jane.ID, Role: household.MemberRolePrimary},
		{Customer: john.ID, Role: household.MemberRoleSpouse},
	}})
	if err != nil {
		return err
	}
	h := hr.Record
	vr, err := book.UpsertVehicle(ctx, household.Vehicle{
		VIN: vin, Year: vin.ModelYears()[0], Make: "Honda", Model: "Accord", Household: h.ID,
		Stakeholders: []household.Stakeholder{{Customer: jane.ID, Role: household.StakeholderRoleOwner}, {Customer: john.ID, Role: household.StakeholderRoleDriver}},
	})
	if err != nil {
		return err
	}
	v := vr.Record
	fmt.Fprintf(w, "  %s: %d members; vehicle %d %s %s (VIN %s), owner %s\n", h.Name, len(h.Members), v.Year, v.Make, v.Model, v.VIN, jane.Name.Display())

	section(w, "Consent")
	// Jane ticked the marketing-texts box on the dealer's test-drive form:
	// consent.FromWebForm builds the grant with the evidence a regulator
	// asks for (what she was shown, when, from which address and browser),
	// and refuses a form that kept none.
	grant, err := consent.FromWebForm(consent.WebForm{
		Address: mobile, Customer: jane.ID, Channel: channel.KindSMS, Purpose: consent.PurposeMarketing, Rooftop: rooftop,
		Basis: consent.BasisExpressWritten, At: time.Date(2026, 11, 2, 14, 3, 0, 0, time.UTC),
		DisclosureText:    "I agree to receive marketing texts from Downtown Mazda at this number. Consent is not a condition of purchase.",
		DisclosureVersion: "sms-terms-v3",
		IP:                netip.MustParseAddr("192.0.2.10"), UserAgent: "Mozilla/5.0 (example)",
		PageURL: "https://www.example.com/test-drive", SourceSystem: "dealer website",
	})
	if err != nil {
		return err
	}
	grant.ID = consent.ID(uuid.NewSHA1(uuid.NameSpaceOID, []byte("quickstart/consent/jane-sms-marketing")))
	if _, err := book.RecordConsent(ctx, grant); err != nil && !errors.Is(err, rapport.ErrAlreadyExists) {
		return err
	}
	ledger, err := book.ConsentLedger(ctx, mobile)
	if err != nil {
		return err
	}
	st := ledger.State(consent.Key{Address: mobile, Channel: channel.KindSMS, Purpose: consent.PurposeMarketing, Rooftop: rooftop}, time.Now())
	fmt.Fprintf(w, "  %s, sms marketing at %s: %s (basis %s, since %s)\n", mobile, rooftop, st.Status, st.Basis, st.Since.Format(time.RFC3339))

	section(w, "A multi-channel story")
	start := time.Date(2026, 11, 2, 14, 0, 0, 0, time.UTC)
	story := []interaction.Interaction{
		{Channel: channel.KindWebForm, Kind: interaction.KindMessage, Direction: interaction.DirectionInbound, Customer: jane.ID,
			Address: mustAddr("mailto:jane.doe@example.com"), Subject: "Test drive request: 2024 Mazda CX-5 Touring", Body: "Is the blue one still available? Trade-in: 2003 Accord.",
			Attributes: map[string]string{"lead.provider": "dealer website"}},
		{Channel: channel.KindSMS, Kind: interaction.KindMessage, Direction: interaction.DirectionOutbound, Address: mobile,
			Authorship: interaction.AuthorshipHuman, Participants: []interaction.Participant{{Staff: "sam.salesperson", Role: interaction.RoleSalesperson}},
			Body: "Hi Jane, Sam at Downtown Mazda. The blue CX-5 is here. Want to drive it tomorrow?"},
		{Channel: channel.KindSMS, Kind: interaction.KindMessage, Direction: interaction.DirectionInbound, Address: mobile,
			Body: "Yes! After work, around 6?"},
		{Channel: channel.KindVoice, Kind: interaction.KindCall, Direction: interaction.DirectionOutbound, Address: mobile,
			Authorship: interaction.AuthorshipHuman, Participants: []interaction.Participant{{Staff: "sam.salesperson", Role: interaction.RoleSalesperson}},
			Call: &interaction.Call{Outcome: interaction.CallOutcomeAnswered, Duration: 4*time.Minute + 12*time.Second}},
		{Channel: channel.KindInPerson, Kind: interaction.KindVisit, Direction: interaction.DirectionInbound, Customer: jane.ID,
			Participants: []interaction.Participant{{Staff: "sam.salesperson", Role: interaction.RoleSalesperson}}, Body: "Test drive, blue CX-5; John came along."},
	}
	offsets := []time.Duration{0, 9 * time.Minute, 31 * time.Minute, 2 * time.Hour, 28 * time.Hour}
	for n, i := range story {
		i.ID = interaction.ID(uuid.NewSHA1(uuid.NameSpaceOID, fmt.Appendf(nil, "quickstart/story/%d", n)))
		i.Rooftop = rooftop
		i.OccurredAt = start.Add(offsets[n])
		r, err := book.RecordInteraction(ctx, i)
		if errors.Is(err, rapport.ErrAlreadyExists) {
			fmt.Fprintf(w, "  %-8s already recorded\n", i.Kind)
			continue
		}
		if err != nil {
			return fmt.Errorf("recording %s: %w", i.Kind, err)
		}
		note := "conversation continued"
		if r.OpenedConversation {
			note = "conversation opened"
		} else if r.Conversation.ID.IsZero() {
			note = "no conversation"
		}
		fmt.Fprintf(w, "  %-8s %-9s %s\n", i.Kind, i.Direction, note)
	}

	section(w, "Jane's timeline (newest first)")
	for i, err := range book.CustomerTimeline(ctx, jane.ID, rapport.Filter{}) {
		if err != nil {
			return err
		}
		printInteraction(w, i)
	}
	section(w, "The Doe household's timeline, calls and visits only")
	for i, err := range book.HouseholdTimeline(ctx, h.ID, rapport.Filter{Kinds: []interaction.Kind{interaction.KindCall, interaction.KindVisit}}) {
		if err != nil {
			return err
		}
		printInteraction(w, i)
	}

	section(w, "Change feed (what every other vendor's system can follow)")
	counts := map[string]int{}
	var order []string
	for c, err := range book.Changes(ctx, "") {
		if err != nil {
			return err
		}
		k := string(c.Entity) + " " + string(c.Op)
		if counts[k] == 0 {
			order = append(order, k)
		}
		counts[k]++
	}
	for _, k := range order {
		fmt.Fprintf(w, "  %-22s x%d\n", k, counts[k])
	}
	return printBrief(ctx, w, book, jane.ID, rooftop)
}

// printBrief prints what the next employee to pick up Jane sees: how she
// actually answers beside what she stated, what each channel allows now,
// who owns her conversation, what is owed to her, and her household's
// vehicles with their opportunities.
func printBrief(ctx context.Context, w io.Writer, book *rapport.Book, id customer.ID, rooftop dealer.Rooftop) error {
	section(w, "Jane's brief (what the next employee sees)")
	br, err := book.Brief(ctx, id, &rapport.BriefOptions{Rooftop: rooftop, Staff: "sam.salesperson", MinAsked: 1,
		Opportunities: household.OpportunityRules{Brands: []string{"Mazda"}}})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  %s\n", br.Customer.Name.Display())
	for _, c := range br.Channels {
		stated := "not ranked"
		if c.StatedRank >= 0 {
			stated = fmt.Sprintf("ranked %d", c.StatedRank+1)
		}
		switch {
		case c.Observed.Asked == 0:
			fmt.Fprintf(w, "  %-9s %-10s no staff messages yet\n", c.Channel, stated)
		case c.Observed.Replied == 0:
			fmt.Fprintf(w, "  %-9s %-10s replied to none of %d staff messages\n", c.Channel, stated, c.Observed.Asked)
		default:
			fmt.Fprintf(w, "  %-9s %-10s replied to %d of %d staff messages, median %v\n",
				c.Channel, stated, c.Observed.Replied, c.Observed.Asked, c.Observed.MedianReply)
		}
	}
	if br.UseNow != channel.KindUnknown {
		fmt.Fprintf(w, "  the evidence says: use %s\n", br.UseNow)
	} else {
		fmt.Fprintln(w, "  the evidence does not say which channel to use")
	}
	for _, r := range br.Reach {
		fmt.Fprintf(w, "  %-28s %-6s service %-30s marketing %s\n", r.Address, r.Channel, r.Service.Consent, r.Marketing.Consent)
	}
	for _, c := range br.Conversations {
		owner := string(c.Conversation.Owner)
		if owner == "" {
			owner = "nobody yet"
		}
		fmt.Fprintf(w, "  open conversation at %s, owned by %s\n", c.Conversation.Rooftop, owner)
	}
	for _, c := range br.Commitments {
		fmt.Fprintf(w, "  owed: %s (due %s, overdue %v)\n", c.Commitment.What, c.Commitment.Due.Format(time.DateOnly), c.Overdue)
	}
	for _, h := range br.Households {
		for _, v := range h.Vehicles {
			fmt.Fprintf(w, "  %s: %d %s %s, %d stakeholders\n", h.Household.Name, v.Vehicle.Year, v.Vehicle.Make, v.Vehicle.Model, len(v.Stakeholders))
			for _, o := range v.Opportunities {
				fmt.Fprintf(w, "    %s opportunity: %s\n", o.Department, o.Detail)
			}
		}
	}
	return nil
}

// openBook opens the backend the flags choose (memory, a SQLite file or
// PostgreSQL), applies its schema, and returns a Book over it and the
// function that closes the backend. Only this wiring names the backends;
// the rest of the program uses the Book alone.
func openBook(ctx context.Context, tenant dealer.Tenant, path, pgDSN string) (*rapport.Book, func() error, error) {
	switch {
	case path != "" && pgDSN != "":
		return nil, nil, errors.New("give -db or -pg, not both")
	case pgDSN != "":
		s, err := pgstore.Open(ctx, pgDSN, nil)
		if err != nil {
			return nil, nil, err
		}
		if err := s.Migrate(ctx); err != nil {
			s.Close()
			return nil, nil, err
		}
		book, err := rapport.New(s, tenant, nil)
		return book, s.Close, err
	case path != "":
		s, err := sqlitestore.Open(ctx, path, nil)
		if err != nil {
			return nil, nil, err
		}
		if err := s.Migrate(ctx); err != nil {
			s.Close()
			return nil, nil, err
		}
		book, err := rapport.New(s, tenant, nil)
		return book, s.Close, err
	}
	s := memstore.New(nil)
	book, err := rapport.New(s, tenant, nil)
	return book, s.Close, err
}

func section(w io.Writer, title string) { fmt.Fprintf(w, "\n== %s\n", title) }

func mustAddr(s string) channel.Address {
	a, err := channel.ParseAddress(s)
	if err != nil {
		log.Fatal(err)
	}
	return a
}

func mustPhone(raw, region string) channel.Address {
	p, err := channel.ParsePhone(raw, region)
	if err != nil {
		log.Fatal(err)
	}
	return p.Address()
}

func addresses(c customer.Customer) string {
	var s []string
	for _, cp := range c.ContactPoints {
		if cp.Usage == customer.UsageUnknown {
			s = append(s, cp.Address.String())
			continue
		}
		s = append(s, cp.Address.String()+" ("+string(cp.Usage)+")")
	}
	return strings.Join(s, ", ")
}

func printInteraction(w io.Writer, i interaction.Interaction) {
	what := i.Body
	if i.Subject != "" {
		what = i.Subject
	}
	if i.Call != nil {
		what = fmt.Sprintf("call %s, %s", i.Call.Outcome, i.Call.Duration)
	}
	if i.Lifecycle != nil {
		what = fmt.Sprintf("[conversation %s, %s]", i.Lifecycle.Action, i.Lifecycle.Status)
	}
	if len(what) > 60 {
		what = what[:57] + "..."
	}
	fmt.Fprintf(w, "  %s  %-10s %-8s %-9s %s\n", i.OccurredAt.Format("Jan 02 15:04"), i.Channel, i.Kind, i.Direction, what)
}
