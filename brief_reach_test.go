package rapport_test

import (
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/rapportcim/rapport"
	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

// TestBriefReachIsCheck holds Brief's consent verdicts, which it judges
// together (the lines' states in one batch, the registry relationship
// once), to Book.Check's verdict for each contact alone: over the random
// histories of the line-state differential test (shared lines, consent,
// sends, STOPs, merges, erasures), every few operations, the brief of
// every customer on the backend's line state and on the Reader path must
// agree, and each Reach's service and marketing verdicts must be the ones
// Check gives on the Reader path for that address, channel and purpose,
// from the brief's rooftop, by its member of staff, now.
func TestBriefReachIsCheck(t *testing.T) {
	const seed, ops = 20261201, 120
	for name, backend := range lineStateBackends(t) {
		t.Run(name, func(t *testing.T) {
			g := newLineGen(t, backend, seed)
			briefs, verdicts := 0, 0
			for n := range ops {
				g.step()
				if n%10 != 9 {
					continue
				}
				for _, id := range g.customers {
					opts := &rapport.BriefOptions{Rooftop: pick(g.rnd, []dealer.Rooftop{"north", "south"}), Staff: pick(g.rnd, lineGenStaff)}
					fast, ferr := g.fast.Brief(g.ctx, id, opts)
					slow, serr := g.slow.Brief(g.ctx, id, opts)
					if errors.Is(ferr, storage.ErrNotFound) && errors.Is(serr, storage.ErrNotFound) {
						continue // merged away or erased
					}
					if ferr != nil || serr != nil {
						t.Fatalf("after %s: Brief: %v; on the Reader path: %v", g.last, ferr, serr)
					}
					if !reflect.DeepEqual(fast.Reach, slow.Reach) {
						t.Fatalf("after %s: reach on the line state:\n%+v\non the Reader path:\n%+v", g.last, fast.Reach, slow.Reach)
					}
					briefs++
					for _, r := range fast.Reach {
						for _, p := range []struct {
							purpose consent.Purpose
							got     rapport.Verdict
						}{{consent.PurposeService, r.Service}, {consent.PurposeMarketing, r.Marketing}} {
							c := rapport.Contact{Address: r.Address, Channel: r.Channel, Purpose: p.purpose,
								Rooftop: opts.Rooftop, Customer: id, Staff: opts.Staff}
							want, err := g.slow.Check(g.ctx, c)
							if err != nil {
								t.Fatalf("Check %+v: %v", c, err)
							}
							if !reflect.DeepEqual(p.got, want) {
								t.Fatalf("after %s: contact %+v:\n brief %+v\n Check %+v", g.last, c, p.got, want)
							}
							verdicts++
						}
					}
				}
			}
			t.Logf("%d briefs, %d verdicts alike", briefs, verdicts)
			if verdicts == 0 {
				t.Fatal("no verdict compared: the histories give the customers no usable address")
			}
		})
	}
}

// TestBriefReachRelationship: Brief reads the established business
// relationship once for all its verdicts; each verdict must still be
// Check's. Under a policy whose do-not-call rule exempts no consent basis,
// a marketing call rests on the relationship: Jane's recent text to the
// rooftop (an inquiry) exempts both her numbers from the registry, while
// Lee, with the same consent and no inquiry, needs a scrub on his.
func TestBriefReachRelationship(t *testing.T) {
	p := consent.US()
	p.Rules[0].Bases = []consent.Basis{consent.BasisExpress, consent.BasisExpressWritten}
	p.Registries[0].Exempt = nil
	now := time.Date(2026, 11, 2, 19, 0, 0, 0, time.UTC) // 14:00 in New York
	for name, backend := range lineStateBackends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := t.Context()
			book, err := rapport.New(backend, dealer.Tenant("reach-"+name), &rapport.Options{Now: func() time.Time { return now }, Policies: consent.Policies{Default: p}})
			if err != nil {
				t.Fatal(err)
			}
			person := func(given string, numbers ...string) customer.ID {
				t.Helper()
				c := customer.Customer{Name: customer.Name{Given: given, Family: "Doe"}, Preference: channel.Preference{Zone: "America/New_York"}}
				for _, n := range numbers {
					a, err := channel.ParseAddress(n)
					if err != nil {
						t.Fatal(err)
					}
					c.ContactPoints = append(c.ContactPoints, customer.ContactPoint{Address: a, SMS: customer.CapabilityNo})
				}
				r, err := book.UpsertCustomer(ctx, c)
				if err != nil {
					t.Fatal(err)
				}
				for _, cp := range c.ContactPoints {
					if _, err := book.RecordConsent(ctx, consent.Event{Subject: consent.Subject{Address: cp.Address, Customer: r.Record.ID},
						Channel: channel.KindVoice, Purpose: consent.PurposeMarketing, Action: consent.ActionGrant, Basis: consent.BasisExpress,
						CapturedAt: now.Add(-60 * 24 * time.Hour), Evidence: consent.Evidence{Method: consent.MethodWebForm, DisclosureVersion: "v1"}}); err != nil {
						t.Fatal(err)
					}
				}
				return r.Record.ID
			}
			jane := person("Jane", "tel:+12125550123", "tel:+12125550124")
			lee := person("Lee", "tel:+12125550125")
			mobile, _ := channel.ParseAddress("tel:+12125550123")
			if _, err := book.RecordInteraction(ctx, interaction.Interaction{Customer: jane, Rooftop: "downtown", Channel: channel.KindSMS,
				Address: mobile, Kind: interaction.KindMessage, Direction: interaction.DirectionInbound, Body: "Is the CX-5 still available?",
				OccurredAt: now.Add(-10 * 24 * time.Hour)}); err != nil {
				t.Fatal(err)
			}
			opts := &rapport.BriefOptions{Rooftop: "downtown", Staff: "sam"}
			for _, who := range []struct {
				id      customer.ID
				allowed bool
				calls   int
			}{{jane, true, 2}, {lee, false, 1}} {
				br, err := book.Brief(ctx, who.id, opts)
				if err != nil {
					t.Fatal(err)
				}
				calls := 0
				for _, r := range br.Reach {
					if r.Channel != channel.KindVoice {
						continue
					}
					calls++
					want, err := book.Check(ctx, rapport.Contact{Address: r.Address, Channel: r.Channel, Purpose: consent.PurposeMarketing,
						Rooftop: opts.Rooftop, Customer: who.id, Staff: opts.Staff})
					if err != nil {
						t.Fatal(err)
					}
					if !reflect.DeepEqual(r.Marketing, want) {
						t.Errorf("%s: brief %+v\nCheck %+v", r.Address, r.Marketing, want)
					}
					if r.Marketing.Allowed() != who.allowed || !who.allowed && !slices.Contains(r.Marketing.Consent.Reasons(), consent.ReasonRegistryStale) {
						t.Errorf("%s: marketing call %v, want allowed %v (refused for the registry otherwise)", r.Address, r.Marketing.Consent, who.allowed)
					}
				}
				if calls != who.calls {
					t.Errorf("%d numbers to call in the brief, want %d", calls, who.calls)
				}
			}
		})
	}
}
