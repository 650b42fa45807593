package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"iter"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/rapportcim/rapport"
	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/feed"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

var timelineCmd = &command{
	name:  "timeline",
	args:  "[-json] [-limit N] (-customer ID | -household ID | -address ADDR)",
	short: "print a customer's or a household's interactions, newest first",
	long: `Timeline prints the interactions of one customer (-customer, or -address:
every customer holding that address, e.g. tel:+12125550123 or
mailto:jane@example.com) or of a household (-household), newest first,
across every channel and department: one line each, or with -json one
interaction per line as JSON (the form the schema package describes).`,
	flags: func(fs *flag.FlagSet) func(context.Context, *env, []string) error {
		cid := fs.String("customer", "", "the customer's ID")
		hid := fs.String("household", "", "the household's ID")
		addr := fs.String("address", "", "a contact address (tel:…, mailto:…): its holders' timelines")
		asJSON := fs.Bool("json", false, "print JSON lines")
		limit := fs.Int("limit", 0, "print at most this many interactions; 0 means all")
		return func(ctx context.Context, e *env, args []string) error {
			if len(args) > 0 {
				return usagef("unexpected argument %q", args[0])
			}
			n := 0
			for _, s := range []string{*cid, *hid, *addr} {
				if s != "" {
					n++
				}
			}
			if n != 1 {
				return usagef("give one of -customer, -household and -address")
			}
			var seqs []iter.Seq2[interaction.Interaction, error]
			book, closeBook, err := e.open(ctx)
			if err != nil {
				return err
			}
			defer closeBook()
			switch {
			case *cid != "":
				var id customer.ID
				if err := id.UnmarshalText([]byte(*cid)); err != nil {
					return usagef("-customer: %v", err)
				}
				seqs = append(seqs, book.CustomerTimeline(ctx, id, rapport.Filter{}))
			case *hid != "":
				var id household.ID
				if err := id.UnmarshalText([]byte(*hid)); err != nil {
					return usagef("-household: %v", err)
				}
				seqs = append(seqs, book.HouseholdTimeline(ctx, id, rapport.Filter{}))
			default:
				a, err := channel.ParseAddress(*addr)
				if err != nil {
					return usagef("-address: %v", err)
				}
				cs, err := book.CustomersByAddress(ctx, a)
				if err != nil {
					return err
				}
				if len(cs) == 0 {
					return fmt.Errorf("no customer holds %s", a)
				}
				for _, c := range cs {
					seqs = append(seqs, book.CustomerTimeline(ctx, c.ID, rapport.Filter{}))
				}
			}
			enc := json.NewEncoder(e.stdout)
			tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
			printed := 0
			for _, seq := range seqs {
				for i, err := range seq {
					if err != nil {
						return err
					}
					if *limit > 0 && printed == *limit {
						break
					}
					printed++
					if *asJSON {
						if err := enc.Encode(i); err != nil {
							return err
						}
						continue
					}
					text := oneLine(i.Body, 60)
					if i.Lifecycle != nil {
						text = fmt.Sprintf("conversation %s (%s)", i.Lifecycle.Action, i.Lifecycle.Status)
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", i.OccurredAt.Format(time.RFC3339), i.Direction, i.Channel, i.Kind, text)
				}
			}
			return tw.Flush()
		}
	},
}

// oneLine shortens s to one line of at most n characters.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

var checkCmd = &command{
	name:  "check",
	args:  "-address ADDR [-channel K] [-purpose P] [-rooftop R] [-at TIME]",
	short: "say whether a contact is allowed now, and why",
	long: `Check asks the book whether the dealership may contact ADDR (tel:…,
mailto:…) on a channel, for a purpose, from a rooftop, now (or at -at, an
RFC 3339 time): consent, quiet hours in the recipient's time, frequency
caps and other staff's recent contacts. It prints the decision with its
reasons, and exits 0 when the contact is allowed and 3 when it is not.`,
	flags: func(fs *flag.FlagSet) func(context.Context, *env, []string) error {
		addr := fs.String("address", "", "the address to contact: tel:+12125550123, mailto:jane@example.com")
		kind := fs.String("channel", "", "the channel (sms, voice, email, …); empty means the address's own")
		purpose := fs.String("purpose", "marketing", "the purpose: service, marketing or survey")
		rooftop := fs.String("rooftop", "", "the rooftop contacting")
		at := fs.String("at", "", "the time of the contact (RFC 3339); empty means now")
		return func(ctx context.Context, e *env, args []string) error {
			if len(args) > 0 {
				return usagef("unexpected argument %q", args[0])
			}
			if *addr == "" {
				return usagef("-address is required")
			}
			a, err := channel.ParseAddress(*addr)
			if err != nil {
				return usagef("-address: %v", err)
			}
			c := rapport.Contact{Address: a, Channel: channel.Kind(*kind), Purpose: consent.Purpose(*purpose), Rooftop: dealer.Rooftop(*rooftop)}
			if c.Channel == "" {
				switch a.Scheme() {
				case channel.SchemeTel:
					c.Channel = channel.KindSMS
				case channel.SchemeMailto:
					c.Channel = channel.KindEmail
				default:
					return usagef("-channel is required for %s addresses", a.Scheme())
				}
			}
			if !c.Channel.Known() {
				return usagef("-channel %s: not a channel", *kind)
			}
			if !c.Purpose.Known() || c.Purpose == consent.PurposeAll {
				return usagef("-purpose %s: want service, marketing or survey", *purpose)
			}
			if *at != "" {
				if c.At, err = time.Parse(time.RFC3339, *at); err != nil {
					return usagef("-at: %v", err)
				}
			}
			book, closeBook, err := e.open(ctx)
			if err != nil {
				return err
			}
			defer closeBook()
			v, err := book.Check(ctx, c)
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "%s %s for %s: %s\n", a, c.Channel, c.Purpose, v.Consent)
			if cerr := v.Collision.Err(); cerr != nil {
				fmt.Fprintf(e.stdout, "collision: %v\n", cerr)
			}
			if !v.Allowed() {
				return errRefused
			}
			return nil
		}
	},
}

var feedCmd = &command{
	name:  "feed",
	args:  "[-after CURSOR] [-follow] [-poll D]",
	short: "print the change feed as JSON lines",
	long: `Feed prints the book's changes after -after (a cursor a previous line
gave; empty means the beginning), one JSON object per line: the change,
its cursor and the record's current JSON, as the feed package's HTTP
handler serves them. With -follow it keeps printing new changes as they are
committed until interrupted; store the last line's cursor to resume.`,
	flags: func(fs *flag.FlagSet) func(context.Context, *env, []string) error {
		after := fs.String("after", "", "print the changes after this cursor")
		follow := fs.Bool("follow", false, "keep printing new changes until interrupted")
		poll := fs.Duration("poll", time.Second, "with -follow, how often to look for new changes")
		return func(ctx context.Context, e *env, args []string) error {
			if len(args) > 0 {
				return usagef("unexpected argument %q", args[0])
			}
			if *poll <= 0 {
				return usagef("-poll must be positive")
			}
			book, closeBook, err := e.open(ctx)
			if err != nil {
				return err
			}
			defer closeBook()
			enc := json.NewEncoder(e.stdout)
			cursor := rapport.Cursor(*after)
			for {
				lines, err := feed.Read(ctx, book, cursor, feed.MaxLimit)
				if err != nil {
					if ctx.Err() != nil && *follow {
						return nil // interrupted
					}
					return err
				}
				for _, l := range lines {
					if err := enc.Encode(l); err != nil {
						return err
					}
					cursor = l.Cursor
				}
				if len(lines) == feed.MaxLimit {
					continue
				}
				if !*follow {
					return nil
				}
				select {
				case <-ctx.Done():
					return nil
				case <-time.After(*poll):
				}
			}
		}
	},
}

var statsCmd = &command{
	name:  "stats",
	args:  "[-json]",
	short: "count the records in the book and measure response times",
	long: `Stats counts the tenant's records by kind (from the change feed: every
record created and not deleted) and prints the response-time figures of
Book.Metrics over every conversation.`,
	flags: func(fs *flag.FlagSet) func(context.Context, *env, []string) error {
		asJSON := fs.Bool("json", false, "print one JSON object")
		return func(ctx context.Context, e *env, args []string) error {
			if len(args) > 0 {
				return usagef("unexpected argument %q", args[0])
			}
			book, closeBook, err := e.open(ctx)
			if err != nil {
				return err
			}
			defer closeBook()
			live := map[storage.Entity]map[string]bool{}
			changes := 0
			for c, err := range book.Changes(ctx, "") {
				if err != nil {
					return err
				}
				changes++
				if live[c.Entity] == nil {
					live[c.Entity] = map[string]bool{}
				}
				if c.Op == storage.OpDelete {
					delete(live[c.Entity], c.ID)
				} else {
					live[c.Entity][c.ID] = true
				}
			}
			m, err := book.Metrics(ctx, nil)
			if err != nil {
				return err
			}
			counts := map[string]int{}
			for ent, ids := range live {
				counts[string(ent)] = len(ids)
			}
			if *asJSON {
				return json.NewEncoder(e.stdout).Encode(struct {
					Tenant  string              `json:"tenant"`
					Records map[string]int      `json:"records"`
					Changes int                 `json:"changes"`
					Metrics interaction.Metrics `json:"metrics"`
				}{e.tenant, counts, changes, m})
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintf(tw, "tenant\t%s\n", e.tenant)
			for _, ent := range []storage.Entity{storage.EntityCustomer, storage.EntityHousehold, storage.EntityVehicle,
				storage.EntityConversation, storage.EntityInteraction, storage.EntityCommitment, storage.EntityConsent} {
				fmt.Fprintf(tw, "%s records\t%d\n", ent, counts[string(ent)])
			}
			fmt.Fprintf(tw, "changes\t%d\n", changes)
			fmt.Fprintf(tw, "conversations measured\t%d\n", m.Conversations)
			fmt.Fprintf(tw, "inbound messages\t%d\n", m.All.Inbound)
			fmt.Fprintf(tw, "unanswered\t%d\n", m.All.Unanswered)
			if fr := m.All.FirstResponse.Wall; fr.Count > 0 {
				fmt.Fprintf(tw, "first response (wall clock)\tmedian %s over %d\n", fr.P50, fr.Count)
			}
			return tw.Flush()
		}
	},
}
