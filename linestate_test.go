package rapport_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/rapportcim/rapport"
	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
	"github.com/rapportcim/rapport/storage/memstore"
	"github.com/rapportcim/rapport/storage/sqlitestore"
)

// readerOnly hides every optional capability of a backend (the line state
// among them) but storage.LineSendsReader, so that a Book over it takes the
// Reader path, counting sends per line as the line state does.
type readerOnly struct{ storage.Backend }

func (r readerOnly) LineSends(ctx context.Context, tenant dealer.Tenant, line channel.Address, since, until time.Time) ([]storage.CustomerSend, error) {
	return r.Backend.(storage.LineSendsReader).LineSends(ctx, tenant, line, since, until)
}

// bareReader hides every optional capability, LineSendsReader too: the
// Reader path of a backend that has none of them.
type bareReader struct{ storage.Backend }

// lineStateBackends opens each backend the line-state tests run on:
// memstore, sqlitestore and, when a server is configured, pgstore.
func lineStateBackends(t *testing.T) map[string]storage.Backend {
	t.Helper()
	ctx := t.Context()
	mem := memstore.New(nil)
	t.Cleanup(func() { mem.Close() })
	sq, err := sqlitestore.Open(ctx, filepath.Join(t.TempDir(), "line.db"), &sqlitestore.Options{Synchronous: sqlitestore.SynchronousNormal})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sq.Close() })
	if err := sq.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	bs := map[string]storage.Backend{"memstore": mem, "sqlitestore": sq}
	if os.Getenv("RAPPORT_PG_DSN") != "" {
		bs["pgstore"], _ = openPGSchema(t)
	} else {
		t.Log("pgstore: RAPPORT_PG_DSN not set, skipped")
	}
	return bs
}

// TestCheckLineStateDifferential generates random histories for lines that
// several customers share — consent grants and revocations on several
// channels, purposes and rooftops, outbound sends with and without a
// recorded purpose, by staff and automated, confirmations, inbound STOPs
// through Receive, contact point, zone and postal address changes,
// conversations with owners, merges, unmerges and erasures — and, after
// every operation, judges random contacts at random times through
// Book.Check twice: on the backend's line state (storage.LineStateReader)
// and on the Reader path, over the same backend with the capability
// hidden. The verdicts must be identical. The collision window is longer
// than the cap window in half of the runs. RAPPORT_DIFF_SEED replays a
// failure; RAPPORT_DIFF_OPS lengthens the run.
func TestCheckLineStateDifferential(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("RAPPORT_DIFF_SEED"); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("RAPPORT_DIFF_SEED=%q: %v", s, err)
		}
		seed = v
	}
	ops := 150
	if s := os.Getenv("RAPPORT_DIFF_OPS"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 {
			t.Fatalf("RAPPORT_DIFF_OPS=%q: want a positive number", s)
		}
		ops = v
	}
	for name, backend := range lineStateBackends(t) {
		t.Run(name, func(t *testing.T) {
			t.Logf("seed %d, %d operations (replay: RAPPORT_DIFF_SEED=%d go test -run TestCheckLineStateDifferential .)", seed, ops, seed)
			g := newLineGen(t, backend, seed)
			for n := range ops {
				g.step()
				for range 3 {
					g.compare()
				}
				if t.Failed() {
					t.Fatalf("seed %d: verdicts differ after operation %d (%s)", seed, n, g.last)
				}
			}
			g.compareAll(700)
			if t.Failed() {
				t.Fatalf("seed %d: CheckAll differs from Check", seed)
			}
			t.Logf("%d operations (%d refused), %d contacts judged alike (%d allowed); succeeded: %v", ops, g.refused, g.checks, g.allowed, g.stored)
			if g.allowed == 0 || g.allowed == g.checks {
				t.Errorf("seed %d: %d of %d contacts allowed: the histories do not exercise the decision", seed, g.allowed, g.checks)
			}
		})
	}
}

var (
	lineGenPhones = []string{"tel:+13055550100", "tel:+13055550101", "tel:+12125550102", "tel:+12125550102;ext=7", "tel:+14165550103"}
	lineGenEmails = []string{"mailto:jane@example.com", "mailto:lee@example.com"}
	lineGenZones  = []string{"", "America/New_York", "America/Chicago", "America/Los_Angeles"}
	lineGenStates = []string{"FL", "NY", "TX", "QC", ""}
	lineGenStaff  = []dealer.Staff{"sam", "ana", ""}
)

// lineGen drives one backend with a Book on its line state and a Book on
// the Reader path.
type lineGen struct {
	t          *testing.T
	ctx        context.Context
	rnd        *rand.Rand
	now        time.Time
	fast, slow *rapport.Book
	customers  []customer.ID
	convs      []interaction.ConversationID
	merges     []customer.MergeID
	sent       []interaction.ID
	stored     map[string]int // operations that succeeded, by name
	last       string
	refused    int
	checks     int
	allowed    int
}

func newLineGen(t *testing.T, backend storage.Backend, seed uint64) *lineGen {
	g := &lineGen{t: t, ctx: t.Context(), rnd: rand.New(rand.NewPCG(seed, seed^0x11e5)), now: time.Date(2026, 11, 2, 14, 0, 0, 0, time.UTC), stored: map[string]int{}}
	opts := &rapport.Options{Now: func() time.Time { return g.now }, ErasureKey: []byte("line-state-test-erasure-key-0123")}
	if seed%2 == 0 {
		opts.Collision = interaction.CollisionPolicy{Window: 36 * time.Hour}
	}
	tenant := dealer.Tenant(fmt.Sprintf("line-%d", seed%100000))
	var err error
	if g.fast, err = rapport.New(backend, tenant, opts); err != nil {
		t.Fatal(err)
	}
	if g.slow, err = rapport.New(readerOnly{backend}, tenant, opts); err != nil {
		t.Fatal(err)
	}
	return g
}

func (g *lineGen) addr(s string) channel.Address {
	a, err := channel.ParseAddress(s)
	if err != nil {
		g.t.Fatalf("%q: %v", s, err)
	}
	return a
}

func (g *lineGen) act() rapport.Act { return rapport.Act{By: "manager", Reason: "test"} }

func (g *lineGen) did(what string, err error) {
	g.last = what
	if err == nil {
		g.stored[what]++
	}
	if err != nil {
		g.refused++
		if testing.Verbose() {
			g.t.Logf("%s: %v", what, err)
		}
	}
}

// step runs one random operation through the fast Book.
func (g *lineGen) step() {
	r := g.rnd
	g.now = g.now.Add(time.Duration(1+r.IntN(40)) * time.Minute)
	switch k := r.IntN(100); {
	case k < 12:
		g.upsertCustomer()
	case k < 20:
		g.changeCustomer()
	case k < 32:
		g.recordConsent()
	case k < 52:
		g.recordOutbound()
	case k < 62:
		g.send()
	case k < 74:
		g.receive()
	case k < 80:
		g.assign()
	case k < 82:
		g.resolve()
	case k < 86:
		g.merge()
	case k < 88:
		g.unmerge()
	case k < 90:
		g.erase()
	case k < 95:
		g.updateDelivery()
	default:
		g.recordOutbound()
	}
}

// updateDelivery reports a delivery receipt: an update of a stored send,
// which must succeed.
func (g *lineGen) updateDelivery() {
	if len(g.sent) == 0 {
		return
	}
	u := interaction.DeliveryUpdate{Status: pick(g.rnd, []interaction.Status{interaction.StatusDelivered, interaction.StatusRead}), At: g.now}
	_, err := g.fast.UpdateDelivery(g.ctx, pick(g.rnd, g.sent), u)
	if err != nil && !errors.Is(err, storage.ErrNotFound) {
		g.t.Errorf("UpdateDelivery: %v", err)
	}
	g.did("UpdateDelivery", err)
}

func (g *lineGen) customer() customer.Customer {
	r := g.rnd
	c := customer.Customer{Name: customer.Name{Full: fmt.Sprintf("Person %d", r.IntN(1000))},
		Preference: channel.Preference{Zone: lineGenZones[r.IntN(len(lineGenZones))]}}
	for range 1 + r.IntN(2) {
		a := g.addr(pick(r, append(lineGenPhones, lineGenEmails...)))
		if !c.HasAddress(a) {
			c.ContactPoints = append(c.ContactPoints, customer.ContactPoint{Address: a, Zone: pick(r, lineGenZones)})
		}
	}
	for range r.IntN(3) {
		usage := pick(r, []customer.AddressUsage{customer.AddressHome, customer.AddressBilling, customer.AddressWork})
		a := customer.PostalAddress{Lines: []string{"1 Main St"}, Locality: "Springfield", Region: pick(r, lineGenStates), PostalCode: "12345", Country: "US", Usage: usage}
		if a.Region == "QC" {
			a.Country, a.PostalCode = "CA", "H2X 1Y4"
		}
		c.PostalAddresses = append(c.PostalAddresses, a)
	}
	return c
}

func (g *lineGen) upsertCustomer() {
	res, err := g.fast.UpsertCustomer(g.ctx, g.customer())
	if err == nil && res.Created {
		g.customers = append(g.customers, res.Record.ID)
	}
	g.did("UpsertCustomer", err)
}

// changeCustomer replaces a customer's contact points, zone and postal
// addresses: the line's holders and their regions change.
func (g *lineGen) changeCustomer() {
	if len(g.customers) == 0 {
		return
	}
	cu, err := g.fast.Customer(g.ctx, pick(g.rnd, g.customers))
	if err != nil {
		g.did("Customer", err)
		return
	}
	n := g.customer()
	cu.ContactPoints, cu.Preference, cu.PostalAddresses = n.ContactPoints, n.Preference, n.PostalAddresses
	_, err = g.fast.UpdateCustomer(g.ctx, cu)
	g.did("UpdateCustomer", err)
}

func (g *lineGen) recordConsent() {
	r := g.rnd
	e := consent.Event{Subject: consent.Subject{Address: g.addr(pick(r, append(lineGenPhones, lineGenEmails[0])))},
		Channel:    pick(r, []channel.Kind{channel.KindSMS, channel.KindSMS, channel.KindVoice}),
		Purpose:    pick(r, []consent.Purpose{consent.PurposeMarketing, consent.PurposeService, consent.PurposeAll}),
		Rooftop:    pick(r, []dealer.Rooftop{"north", "south", "", ""}),
		Action:     pick(r, []consent.Action{consent.ActionGrant, consent.ActionGrant, consent.ActionGrant, consent.ActionGrant, consent.ActionGrant, consent.ActionRevoke, consent.ActionDNCRequest}),
		Evidence:   consent.Evidence{Method: pick(r, []consent.Method{consent.MethodWebForm, consent.MethodCall}), DisclosureVersion: "v1"},
		CapturedAt: g.now.Add(-time.Duration(r.IntN(60)) * time.Minute)}
	if _, ok := e.Subject.Address.Email(); ok {
		e.Channel = channel.KindEmail
	}
	if e.Action == consent.ActionGrant {
		e.Basis = pick(r, []consent.Basis{consent.BasisExpressWritten, consent.BasisExpress})
	}
	if len(g.customers) > 0 && r.IntN(2) == 0 {
		e.Subject.Customer = pick(r, g.customers)
	}
	_, err := g.fast.RecordConsent(g.ctx, e)
	g.did("RecordConsent", err)
}

func (g *lineGen) outbound() interaction.Interaction {
	r := g.rnd
	i := interaction.Interaction{Rooftop: pick(r, []dealer.Rooftop{"north", "south"}), Channel: pick(r, []channel.Kind{channel.KindSMS, channel.KindSMS, channel.KindVoice}),
		Address: g.addr(pick(r, append(lineGenPhones, lineGenPhones[0], lineGenPhones[1], lineGenPhones[1]))), Direction: interaction.DirectionOutbound, Kind: interaction.KindMessage, Body: "Your car is ready",
		Authorship: pick(r, []interaction.Authorship{interaction.AuthorshipHuman, interaction.AuthorshipTemplate, interaction.AuthorshipAutomated})}
	if i.Channel == channel.KindVoice {
		i.Kind, i.Body = interaction.KindCall, ""
	}
	if i.Authorship == interaction.AuthorshipTemplate {
		i.Template = "reminder-v1"
	}
	if s := pick(r, lineGenStaff); s != "" {
		i.Participants = []interaction.Participant{{Staff: s, Role: pick(r, []interaction.Role{interaction.RoleSalesperson, interaction.RoleBot})}}
	}
	if len(g.customers) > 0 && r.IntN(4) != 0 {
		i.Customer = pick(r, g.customers)
	}
	return i
}

// recordOutbound records a send without a consent check, with or without
// a purpose in its Consent field, sometimes in the past.
func (g *lineGen) recordOutbound() {
	r := g.rnd
	i := g.outbound()
	i.OccurredAt = g.now.Add(-time.Duration(r.IntN(48*60)) * time.Minute)
	switch r.IntN(3) {
	case 0:
		i.Consent = &interaction.ConsentCheck{Purpose: string(pick(r, []consent.Purpose{consent.PurposeService, consent.PurposeMarketing, consent.PurposeAll, consent.PurposeSurvey})),
			Allowed: true, Confirmation: r.IntN(4) == 0, CheckedAt: i.OccurredAt}
	case 1:
		i.Consent = &interaction.ConsentCheck{Allowed: true, CheckedAt: i.OccurredAt}
	}
	rec, err := g.fast.RecordInteraction(g.ctx, i)
	if err == nil {
		g.sent = append(g.sent, rec.Interaction.ID)
	}
	g.did("RecordInteraction", err)
}

// send checks and records, with an override now and then so that refused
// sends are stored too, and sometimes as the opt-out confirmation.
func (g *lineGen) send() {
	r := g.rnd
	o := rapport.Outbound{Interaction: g.outbound(), Purpose: pick(r, []consent.Purpose{consent.PurposeMarketing, consent.PurposeService}),
		Confirmation: r.IntN(3) == 0}
	if r.IntN(3) == 0 {
		o.Override = "legally required notice"
	}
	res, err := g.fast.Send(g.ctx, o)
	if err == nil {
		g.sent = append(g.sent, res.Interaction.ID)
	}
	g.did("Send", err)
}

func (g *lineGen) receive() {
	r := g.rnd
	in := rapport.Inbound{From: g.addr(pick(r, lineGenPhones)), To: g.addr("tel:+13055550190"), Rooftop: pick(r, []dealer.Rooftop{"north", "south"}),
		Body: pick(r, []string{"STOP", "START", "Is it ready?", "Thanks!", "Can you call me?", "ok", "See you at 5", "Is it ready?", "Thanks!", "Can you call me?", "ok", "See you at 5", "START", "START"})}
	res, err := g.fast.Receive(g.ctx, in)
	if err == nil && res.OpenedConversation {
		g.convs = append(g.convs, res.Conversation.ID)
	}
	if err == nil && res.NewCustomer {
		g.customers = append(g.customers, res.Interaction.Customer)
	}
	g.did("Receive", err)
}

// assign gives a conversation an owner (collisions by ownership).
func (g *lineGen) assign() {
	if len(g.convs) == 0 {
		return
	}
	_, err := g.fast.Conversations().Assign(g.ctx, pick(g.rnd, g.convs), pick(g.rnd, []dealer.Staff{"sam", "ana"}), "", g.act())
	g.did("Assign", err)
}

// resolve resolves or closes a conversation: its owner no longer collides.
func (g *lineGen) resolve() {
	if len(g.convs) == 0 {
		return
	}
	id, cs := pick(g.rnd, g.convs), g.fast.Conversations()
	var err error
	if g.rnd.IntN(4) != 0 {
		_, err = cs.Resolve(g.ctx, id, g.act())
	} else {
		_, err = cs.Close(g.ctx, id, g.act())
	}
	g.did("Resolve", err)
}

func (g *lineGen) merge() {
	if len(g.customers) < 2 {
		return
	}
	a, b := pick(g.rnd, g.customers), pick(g.rnd, g.customers)
	if a == b {
		return
	}
	m, err := g.fast.Merge(g.ctx, []customer.ID{a, b}, g.act(), nil)
	if err == nil {
		g.merges = append(g.merges, m.ID)
		g.customers = slices.DeleteFunc(g.customers, func(id customer.ID) bool { return slices.Contains(m.Merged, id) })
	}
	g.did("Merge", err)
}

func (g *lineGen) unmerge() {
	if len(g.merges) == 0 {
		return
	}
	m, err := g.fast.Unmerge(g.ctx, pick(g.rnd, g.merges), g.act())
	if err == nil {
		g.customers = append(g.customers, m.Merged...)
	}
	g.did("Unmerge", err)
}

func (g *lineGen) erase() {
	if len(g.customers) == 0 {
		return
	}
	id := pick(g.rnd, g.customers)
	_, err := g.fast.Erase(g.ctx, id, "the customer, by email", g.act())
	if err == nil {
		g.customers = slices.DeleteFunc(g.customers, func(c customer.ID) bool { return c == id })
	}
	g.did("Erase", err)
}

// compare judges one random contact on both paths.
func (g *lineGen) compare() {
	c := g.contact()
	fast, ferr := g.fast.Check(g.ctx, c)
	slow, serr := g.slow.Check(g.ctx, c)
	if fmt.Sprint(ferr) != fmt.Sprint(serr) || !reflect.DeepEqual(fast, slow) {
		g.t.Errorf("contact %+v:\n line state: %+v (%v)\n reader:     %+v (%v)", c, fast, ferr, slow, serr)
		return
	}
	g.checks++
	if fast.Allowed() {
		g.allowed++
	}
}

// compareAll judges n random contacts, a few of them malformed, with
// CheckAll on both Books, and each with Check on the Reader path.
func (g *lineGen) compareAll(n int) {
	var cs []rapport.Contact
	for k := range n {
		c := g.contact()
		if k%97 == 5 {
			c.Purpose = "" // malformed: CheckAll yields its error in its place
		}
		cs = append(cs, c)
	}
	var got [2][]rapport.Checked
	for w, book := range []*rapport.Book{g.fast, g.slow} {
		for ch, err := range book.CheckAll(g.ctx, slices.Values(cs)) {
			if err != nil && !errors.Is(err, consent.ErrMissing) {
				g.t.Fatalf("CheckAll: %v", err)
			}
			got[w] = append(got[w], ch)
		}
	}
	if len(got[0]) != n || len(got[1]) != n {
		g.t.Fatalf("CheckAll yielded %d and %d results for %d contacts", len(got[0]), len(got[1]), n)
	}
	for k, c := range cs {
		want, err := g.slow.Check(g.ctx, c)
		if err != nil {
			want = rapport.Verdict{}
		}
		for w := range got {
			if !reflect.DeepEqual(got[w][k], rapport.Checked{Contact: c, Verdict: want}) {
				g.t.Errorf("CheckAll (book %d), contact %d %+v:\n got  %+v\n want %+v", w, k, c, got[w][k].Verdict, want)
			}
		}
	}
}

// contact makes a random contact.
func (g *lineGen) contact() rapport.Contact {
	r := g.rnd
	c := rapport.Contact{Address: g.addr(pick(r, append(lineGenPhones, lineGenPhones[0], lineGenPhones[1], lineGenEmails[0]))),
		Channel: pick(r, []channel.Kind{channel.KindSMS, channel.KindSMS, channel.KindVoice, channel.KindEmail}),
		Purpose: pick(r, []consent.Purpose{consent.PurposeMarketing, consent.PurposeService, consent.PurposeMarketing}),
		Rooftop: pick(r, []dealer.Rooftop{"north", "south"}), Staff: pick(r, lineGenStaff),
		At:           g.now.Add(time.Duration(r.IntN(50*60)-40*60) * time.Minute),
		Confirmation: r.IntN(10) == 0, Region: pick(r, []string{"", "", "FL", "US-NY"})}
	if _, ok := c.Address.Email(); ok {
		c.Channel = channel.KindEmail
	} else if c.Channel == channel.KindEmail {
		c.Channel = channel.KindSMS
	}
	if len(g.customers) > 0 && r.IntN(3) == 0 {
		c.Customer = pick(r, g.customers)
	}
	if r.IntN(4) == 0 {
		c.Registries = []consent.Listing{{Registry: consent.RegistryUSDNC, Listed: r.IntN(2) == 0, ScrubbedAt: c.At.Add(-72 * time.Hour)}}
	}
	return c
}
