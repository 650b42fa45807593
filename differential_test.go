package rapport_test

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rapportcim/rapport"
	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
	"github.com/rapportcim/rapport/storage/memstore"
	"github.com/rapportcim/rapport/storage/sqlitestore"
)

// The differential test's budget. CI runs the defaults; set
// RAPPORT_DIFF_SEED to replay a failure and RAPPORT_DIFF_OPS for a longer
// campaign (RAPPORT_DIFF_OPS=20000).
const (
	diffDefaultOps = 1000
	diffTenant     = dealer.Tenant("group-1")
)

// TestDifferential runs one random sequence of Book operations — upserts of
// customers, households and vehicles, inbound and outbound messages, notes
// and calls, consent, delivery receipts, conversation and commitment
// workflows, checks — against a Book over memstore and a Book over
// sqlitestore, with the same clock and IDs. Every call must return the same
// result and the same error (same sentinels, same fields, same message up to
// the backend's name) on both; at the end both backends must hold the same
// records and change feed, and every stored record must pass its own
// Validate. The seed is logged; a failure names it.
func TestDifferential(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("RAPPORT_DIFF_SEED"); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("RAPPORT_DIFF_SEED=%q: %v", s, err)
		}
		seed = v
	}
	ops := diffDefaultOps
	if s := os.Getenv("RAPPORT_DIFF_OPS"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 {
			t.Fatalf("RAPPORT_DIFF_OPS=%q: want a positive number", s)
		}
		ops = v
	}
	t.Logf("differential test: seed %d, %d operations (replay: RAPPORT_DIFF_SEED=%d go test -run TestDifferential .)", seed, ops, seed)
	start := time.Now()
	d := newDiff(t, seed)
	for n := range ops {
		d.step(n)
		if t.Failed() {
			t.Fatalf("seed %d: stopped after operation %d (%s)", seed, n, d.last)
		}
	}
	d.compareState()
	if t.Failed() {
		t.Fatalf("seed %d: the backends' states differ after %d operations", seed, ops)
	}
	t.Logf("differential test: %d operations, %d of them refused alike by both, in %v; per operation (ok/refused): %v",
		ops, d.errs, time.Since(start).Round(time.Millisecond), d.tally)
	if testing.Verbose() {
		for what, msg := range d.sample {
			t.Logf("a refusal of %s: %s", what, msg)
		}
	}
}

// diffWorld is one Book with its backend.
type diffWorld struct {
	name    string
	backend storage.Backend
	book    *rapport.Book
	seq     uint64
}

type diff struct {
	t      *testing.T
	ctx    context.Context
	rnd    *rand.Rand
	now    time.Time
	worlds [2]*diffWorld
	last   string            // the operation running, for failure messages
	errs   int               // operations that failed (the same way) on both
	tally  map[string][2]int // per operation: succeeded, failed
	sample map[string]string // per operation: one error it returned

	// What the operations made, from their results, to refer to later.
	customers     []customer.ID
	interactions  []interaction.ID
	outbound      []interaction.ID
	conversations []interaction.ConversationID
	commitments   []interaction.CommitmentID
	callbacks     []interaction.CommitmentID
	households    []household.ID
	vehicles      []household.VehicleID
}

func newDiff(t *testing.T, seed uint64) *diff {
	d := &diff{t: t, ctx: t.Context(), rnd: rand.New(rand.NewPCG(seed, seed^0x5eed)), tally: map[string][2]int{}, sample: map[string]string{},
		now: time.Date(2026, 11, 2, 14, 0, 0, 0, time.UTC)}
	mem := memstore.New(nil)
	t.Cleanup(func() { mem.Close() })
	sq, err := sqlitestore.Open(d.ctx, filepath.Join(t.TempDir(), "diff.db"), &sqlitestore.Options{Synchronous: sqlitestore.SynchronousNormal})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sq.Close() })
	if err := sq.Migrate(d.ctx); err != nil {
		t.Fatal(err)
	}
	for i, b := range []storage.Backend{mem, sq} {
		w := &diffWorld{name: []string{"memstore", "sqlitestore"}[i], backend: b}
		book, err := rapport.New(b, diffTenant, &rapport.Options{
			Now: func() time.Time { return d.now },
			NewID: func() ([16]byte, error) {
				w.seq++
				var id [16]byte
				binary.BigEndian.PutUint64(id[8:], w.seq)
				id[6] = 0x70
				return id, nil
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		w.book = book
		d.worlds[i] = w
	}
	return d
}

// Pools the operations draw from: few enough that records collide (two
// inbound messages from one phone, an upsert matching an earlier customer).
var (
	diffPhones = []string{"tel:+12125550100", "tel:+12125550101", "tel:+12125550102", "tel:+13125550103",
		"tel:+14155550104", "tel:+12125550105;ext=12", "tel:+16475550106"}
	diffEmails = []string{"mailto:jane@example.com", "mailto:ana.garcia@example.com", "mailto:lee@example.org"}
	diffStores = []string{"tel:+12125550190", "tel:+12125550191"}
	diffNames  = []customer.Name{{Given: "Jane", Family: "Doe"}, {Given: "José", Family: "Núñez"}, {Given: "Ana", Family: "García"},
		{Full: "Lee Kim"}, {Given: "Zoë", Family: "O'Brien"}, {}}
	diffBodies = []string{"Is the blue CX-5 still there?", "STOP", "start", "HELP", "Can you call me after 5?",
		"my card is 4111 1111 1111 1111 exp 09/27", "ok 👍", "Gracias, nos vemos mañana", ""}
	diffStaff    = []dealer.Staff{"sam", "ana", "lee", "bot-1", ""}
	diffTeams    = []dealer.Team{"sales", "bdc", ""}
	diffRooftops = []dealer.Rooftop{"north", "south", ""}
	diffVINs     = []string{"1HGCM82633A004352", "1M8GDM9AXKP042788", "JH4KA7561PC008269"}
	diffTags     = []string{"vip", "service", "lease-end", " spaced "}
	diffStatuses = []interaction.Status{interaction.StatusSent, interaction.StatusDelivered, interaction.StatusRead,
		interaction.StatusErrored, interaction.StatusFailed, interaction.StatusQueued}
)

func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

// diffBadText is text no backend may store: one in twelve texts the
// operations write is one of these, so that refusals are compared too.
var diffBadText = []string{"caf\xe9", "a\x00b", "\xff\xfe"}

// text picks one of good, or now and then text that must be refused.
func (d *diff) text(good ...string) string {
	if d.rnd.IntN(12) == 0 {
		return pick(d.rnd, diffBadText)
	}
	return pick(d.rnd, good)
}

func (d *diff) addr(s string) channel.Address {
	a, err := channel.ParseAddress(s)
	if err != nil {
		d.t.Fatalf("pool address %q: %v", s, err)
	}
	return a
}

// step runs one random operation on both worlds.
func (d *diff) step(n int) {
	d.now = d.now.Add(time.Duration(1+d.rnd.IntN(180)) * time.Minute)
	r := d.rnd
	switch k := r.IntN(100); {
	case k < 14:
		d.upsertCustomer()
	case k < 30:
		d.receive()
	case k < 40:
		d.send()
	case k < 46:
		d.recordInteraction()
	case k < 53:
		d.recordConsent()
	case k < 60:
		d.updateDelivery()
	case k < 75:
		d.conversationStep()
	case k < 84:
		d.commitmentStep()
	case k < 92:
		d.householdStep()
	case k < 93:
		d.check()
	case k < 94:
		d.brief()
	case k < 96:
		d.callbackStep()
	default:
		d.review()
	}
}

// run calls op on both worlds and requires the same result and error;
// it returns world 0's result and error.
func run[T any](d *diff, what string, op func(w *diffWorld) (T, error)) (T, error) {
	d.last = what
	var res [2]T
	var errs [2]error
	for i, w := range d.worlds {
		res[i], errs[i] = op(w)
	}
	if a, b := errSignature(errs[0]), errSignature(errs[1]); a != b {
		d.t.Errorf("%s: the backends disagree on the error:\n\tmemstore:    %s\n\tsqlitestore: %s", what, a, b)
	}
	c := d.tally[what]
	if errs[0] != nil {
		d.errs++
		c[1]++
		if _, ok := d.sample[what]; !ok || d.rnd.IntN(4) == 0 {
			d.sample[what] = errs[0].Error()
		}
	} else {
		c[0]++
	}
	d.tally[what] = c
	ja, erra := json.Marshal(res[0])
	jb, errb := json.Marshal(res[1])
	if erra != nil || errb != nil {
		d.t.Errorf("%s: encoding results: %v, %v", what, erra, errb)
	} else if string(ja) != string(jb) {
		d.t.Errorf("%s: the backends disagree on the result:\n\tmemstore:    %s\n\tsqlitestore: %s", what, ja, jb)
	}
	return res[0], errs[0]
}

// diffSentinels are the errors whose matching must agree.
var diffSentinels = []error{
	rapport.ErrNotFound, rapport.ErrConflict, rapport.ErrAlreadyExists, rapport.ErrClosed, rapport.ErrInvalidCursor,
	rapport.ErrCorrupt, storage.ErrInvalidArgument,
	customer.ErrInvalidText, customer.ErrMissing, customer.ErrInvalid,
	interaction.ErrInvalidText, interaction.ErrInvalid, interaction.ErrMissing, interaction.ErrInvalidTransition,
	consent.ErrInvalidText, consent.ErrInvalid, consent.ErrMissing,
	household.ErrInvalidText, household.ErrInvalid, household.ErrMissing,
	channel.ErrInvalidAddress,
}

// errSignature describes err by what callers can observe: the sentinels it
// matches, the fields it names and its message with the backend's name
// taken out (a storage error's native cause differs by engine and is left
// out: only its operation and kind count).
func errSignature(err error) string {
	if err == nil {
		return "ok"
	}
	var b strings.Builder
	for i, s := range diffSentinels {
		if errors.Is(err, s) {
			fmt.Fprintf(&b, "is[%d] ", i)
		}
	}
	for _, fe := range rapport.FieldErrors(err) {
		b.WriteString("field " + fe.FieldPath() + " ")
	}
	var se *storage.Error
	if errors.As(err, &se) {
		op := strings.NewReplacer("memstore.", "", "sqlitestore.", "").Replace(se.Op)
		fmt.Fprintf(&b, "storage error %s %v", op, se.Kind)
		return b.String()
	}
	b.WriteString(err.Error())
	return b.String()
}

func (d *diff) upsertCustomer() {
	r := d.rnd
	c := customer.Customer{Name: pick(r, diffNames)}
	c.Name.Family = d.text(c.Name.Family)
	for range r.IntN(3) {
		a := d.addr(pick(r, append(diffPhones, diffEmails...)))
		if !c.HasAddress(a) {
			c.ContactPoints = append(c.ContactPoints, customer.ContactPoint{Address: a, Source: d.text("web", "dms")})
		}
	}
	if r.IntN(3) == 0 {
		c.ExternalIDs = []customer.ExternalID{{System: "cdk", Value: fmt.Sprintf("C-%d", 100+r.IntN(5))}}
	}
	for range r.IntN(3) {
		c.Tags = append(c.Tags, d.text(diffTags...))
	}
	if r.IntN(4) == 0 {
		c.Attributes = map[string]string{"trim_code": d.text("EX-L", "LX")}
	}
	if r.IntN(5) == 0 {
		c.LifeEvents = []customer.LifeEvent{{Kind: customer.LifeEventBirthday, Note: d.text(diffBodies...), Source: d.text("form")}}
	}
	res, err := run(d, "UpsertCustomer", func(w *diffWorld) (rapport.Upserted[customer.Customer], error) {
		return w.book.UpsertCustomer(d.ctx, c.Clone())
	})
	if err == nil && res.Created {
		d.customers = append(d.customers, res.Record.ID)
	}
}

func (d *diff) noteRecorded(rec rapport.Recorded) {
	d.interactions = append(d.interactions, rec.Interaction.ID)
	if rec.Interaction.Direction == interaction.DirectionOutbound {
		d.outbound = append(d.outbound, rec.Interaction.ID)
	}
	if rec.OpenedConversation {
		d.conversations = append(d.conversations, rec.Conversation.ID)
	}
	if rec.NewCustomer {
		d.customers = append(d.customers, rec.Interaction.Customer)
	}
}

func (d *diff) receive() {
	r := d.rnd
	in := rapport.Inbound{From: d.addr(pick(r, diffPhones)), To: d.addr(pick(r, diffStores)), Rooftop: pick(r, diffRooftops),
		Body: d.text(diffBodies...), ProviderRef: fmt.Sprintf("SM%04d", r.IntN(10000))}
	if r.IntN(4) == 0 {
		in.Handler = "bot-1"
	}
	if r.IntN(10) == 0 {
		in.At = d.now.Add(-time.Duration(r.IntN(600)) * time.Minute)
	}
	res, err := run(d, "Receive", func(w *diffWorld) (rapport.Received, error) { return w.book.Receive(d.ctx, in) })
	if err == nil {
		d.noteRecorded(res.Recorded)
	}
}

func (d *diff) outboundInteraction() interaction.Interaction {
	r := d.rnd
	i := interaction.Interaction{Rooftop: pick(r, diffRooftops), Channel: channel.KindSMS, Address: d.addr(pick(r, diffPhones)),
		Via: d.addr(pick(r, diffStores)), Direction: interaction.DirectionOutbound, Kind: interaction.KindMessage,
		Authorship: pick(r, []interaction.Authorship{interaction.AuthorshipHuman, interaction.AuthorshipTemplate, interaction.AuthorshipAutomated}),
		Body:       d.text(diffBodies...)}
	if i.Authorship == interaction.AuthorshipTemplate {
		i.Template = "service-reminder-v2"
	}
	if s := pick(r, diffStaff); s != "" {
		i.Participants = []interaction.Participant{{Staff: s, Role: interaction.RoleSalesperson}}
	}
	return i
}

func (d *diff) send() {
	r := d.rnd
	o := rapport.Outbound{Interaction: d.outboundInteraction(), Purpose: pick(r, []consent.Purpose{consent.PurposeMarketing, consent.PurposeSurvey, consent.PurposeService})}
	if r.IntN(6) == 0 {
		o.Override = "customer asked for it at the desk"
	}
	res, err := run(d, "Send", func(w *diffWorld) (rapport.Sent, error) { return w.book.Send(d.ctx, o) })
	if err == nil {
		d.noteRecorded(res.Recorded)
	}
}

func (d *diff) recordInteraction() {
	r := d.rnd
	var i interaction.Interaction
	switch r.IntN(3) {
	case 0:
		i = d.outboundInteraction()
	case 1:
		if len(d.customers) == 0 {
			return
		}
		i = interaction.Interaction{Customer: pick(r, d.customers), Channel: channel.KindEmail, Direction: interaction.DirectionInternal,
			Kind: interaction.KindNote, Body: d.text(diffBodies...), Participants: []interaction.Participant{{Staff: "sam", Role: interaction.RoleManager}}}
	default:
		i = interaction.Interaction{Channel: channel.KindVoice, Address: d.addr(pick(r, diffPhones)), Via: d.addr(pick(r, diffStores)),
			Direction: interaction.DirectionInbound, Kind: interaction.KindCall, Rooftop: pick(r, diffRooftops),
			Call: &interaction.Call{Duration: time.Duration(r.IntN(900)) * time.Second}}
	}
	i.OccurredAt = d.now.Add(-time.Duration(r.IntN(120)) * time.Minute)
	res, err := run(d, "RecordInteraction", func(w *diffWorld) (rapport.Recorded, error) { return w.book.RecordInteraction(d.ctx, i) })
	if err == nil {
		d.noteRecorded(res)
	}
}

func (d *diff) recordConsent() {
	r := d.rnd
	e := consent.Event{Subject: consent.Subject{Address: d.addr(pick(r, append(diffPhones, diffEmails...)))},
		Channel: pick(r, []channel.Kind{channel.KindSMS, channel.KindEmail, channel.KindVoice}),
		Purpose: pick(r, []consent.Purpose{consent.PurposeMarketing, consent.PurposeService, consent.PurposeAll}),
		Rooftop: pick(r, diffRooftops),
		Action:  pick(r, []consent.Action{consent.ActionGrant, consent.ActionRevoke, consent.ActionDNCRequest}),
		Evidence: consent.Evidence{Method: pick(r, []consent.Method{consent.MethodWebForm, consent.MethodCall}),
			DisclosureVersion: "sms-terms-v3", RawText: d.text(diffBodies...)},
		CapturedAt: d.now.Add(-time.Duration(r.IntN(60)) * time.Minute)}
	if e.Action == consent.ActionGrant {
		e.Basis = pick(r, []consent.Basis{consent.BasisExpressWritten, consent.BasisExpress})
	}
	if len(d.customers) > 0 && r.IntN(2) == 0 {
		e.Subject.Customer = pick(r, d.customers)
	}
	run(d, "RecordConsent", func(w *diffWorld) (consent.Event, error) { return w.book.RecordConsent(d.ctx, e) })
}

func (d *diff) updateDelivery() {
	r := d.rnd
	var id interaction.ID
	switch {
	case len(d.outbound) > 0 && r.IntN(5) > 0:
		id = pick(r, d.outbound)
	case len(d.interactions) > 0:
		id = pick(r, d.interactions) // inbound or a note: must be refused alike
	default:
		return
	}
	u := interaction.DeliveryUpdate{Status: pick(r, diffStatuses), At: d.now.Add(-time.Duration(r.IntN(30)) * time.Minute),
		Reason: d.text("", "carrier rejected", "30007"), ErrorCode: pick(r, []string{"", "30007"})}
	run(d, "UpdateDelivery", func(w *diffWorld) (interaction.Interaction, error) { return w.book.UpdateDelivery(d.ctx, id, u) })
}

func (d *diff) act() rapport.Act {
	r := d.rnd
	a := rapport.Act{By: pick(r, diffStaff), Reason: d.text("", "customer asked for a person", "shift change")}
	if r.IntN(5) == 0 {
		a.At = d.now.Add(-time.Duration(r.IntN(600)) * time.Minute)
	}
	return a
}

func (d *diff) conversationStep() {
	if len(d.conversations) == 0 {
		return
	}
	r := d.rnd
	id := pick(r, d.conversations)
	if r.IntN(10) == 0 {
		id = interaction.ConversationID{0xde, 0xad} // unknown
	}
	cs := func(w *diffWorld) rapport.Conversations { return w.book.Conversations() }
	act := d.act()
	to, team := pick(r, diffStaff), pick(r, diffTeams)
	type result = interaction.Conversation
	switch r.IntN(10) {
	case 0:
		run(d, "Escalate", func(w *diffWorld) (result, error) { return cs(w).Escalate(d.ctx, id, to, team, act) })
	case 1:
		run(d, "Assign", func(w *diffWorld) (result, error) { return cs(w).Assign(d.ctx, id, to, team, act) })
	case 2:
		run(d, "OfferHandoff", func(w *diffWorld) (result, error) { return cs(w).OfferHandoff(d.ctx, id, to, team, act) })
	case 3:
		run(d, "AcceptHandoff", func(w *diffWorld) (result, error) { return cs(w).AcceptHandoff(d.ctx, id, act) })
	case 4:
		run(d, "DeclineHandoff", func(w *diffWorld) (result, error) { return cs(w).DeclineHandoff(d.ctx, id, act) })
	case 5:
		until := d.now.Add(time.Duration(r.IntN(48)-4) * time.Hour)
		run(d, "Snooze", func(w *diffWorld) (result, error) { return cs(w).Snooze(d.ctx, id, until, act) })
	case 6:
		run(d, "Wake", func(w *diffWorld) (result, error) { return cs(w).Wake(d.ctx, id, act) })
	case 7:
		run(d, "Resolve", func(w *diffWorld) (result, error) { return cs(w).Resolve(d.ctx, id, act) })
	case 8:
		run(d, "Close", func(w *diffWorld) (result, error) { return cs(w).Close(d.ctx, id, act) })
	default:
		run(d, "WakeDue", func(w *diffWorld) ([]result, error) { return cs(w).WakeDue(d.ctx) })
	}
}

func (d *diff) commitmentStep() {
	r := d.rnd
	cm := func(w *diffWorld) rapport.Commitments { return w.book.Commitments() }
	type result = interaction.Commitment
	if len(d.commitments) == 0 || r.IntN(3) == 0 {
		c := interaction.Commitment{What: d.text("call back with the trade-in number", "send the lease quote", ""),
			Owner: pick(r, diffStaff), Team: pick(r, diffTeams), Due: d.now.Add(time.Duration(r.IntN(72)-24) * time.Hour)}
		switch {
		case len(d.interactions) > 0 && r.IntN(2) == 0:
			c.Source = pick(r, d.interactions)
		case len(d.customers) > 0:
			c.Customer = pick(r, d.customers)
			c.Rooftop = pick(r, diffRooftops)
		}
		res, err := run(d, "Commitments.Make", func(w *diffWorld) (result, error) { return cm(w).Make(d.ctx, c) })
		if err == nil {
			d.commitments = append(d.commitments, res.ID)
		}
		return
	}
	id, act := pick(r, d.commitments), d.act()
	switch r.IntN(3) {
	case 0:
		run(d, "Commitments.Keep", func(w *diffWorld) (result, error) { return cm(w).Keep(d.ctx, id, act) })
	case 1:
		run(d, "Commitments.Cancel", func(w *diffWorld) (result, error) { return cm(w).Cancel(d.ctx, id, act) })
	default:
		to := pick(r, diffStaff)
		res, err := run(d, "Commitments.HandOff", func(w *diffWorld) ([2]result, error) {
			a, b, err := cm(w).HandOff(d.ctx, id, to, act)
			return [2]result{a, b}, err
		})
		if err == nil {
			d.commitments = append(d.commitments, res[1].ID)
		}
	}
}

func (d *diff) householdStep() {
	r := d.rnd
	if len(d.customers) == 0 {
		return
	}
	if len(d.households) == 0 || r.IntN(2) == 0 {
		h := household.Household{Name: d.text("Doe household", "Núñez family", "")}
		for range 1 + r.IntN(2) {
			c := pick(r, d.customers)
			role := pick(r, []household.MemberRole{household.MemberRolePrimary, household.MemberRoleSpouse, household.MemberRoleOther})
			h.Members = append(h.Members, household.Member{Customer: c, Role: role})
		}
		res, err := run(d, "UpsertHousehold", func(w *diffWorld) (rapport.Upserted[household.Household], error) {
			return w.book.UpsertHousehold(d.ctx, h)
		})
		if err == nil && res.Created {
			d.households = append(d.households, res.Record.ID)
		}
		return
	}
	v := household.Vehicle{Make: d.text("Honda", "Mazda", "Škoda"), Household: pick(r, d.households)}
	if vin, err := household.ParseVIN(pick(r, diffVINs)); err == nil {
		v.VIN = vin
	}
	if r.IntN(3) == 0 {
		v.Stakeholders = []household.Stakeholder{{Customer: pick(r, d.customers), Role: household.StakeholderRoleOwner}}
	}
	res, err := run(d, "UpsertVehicle", func(w *diffWorld) (rapport.Upserted[household.Vehicle], error) {
		return w.book.UpsertVehicle(d.ctx, v)
	})
	if err == nil && res.Created {
		d.vehicles = append(d.vehicles, res.Record.ID)
	}
}

func (d *diff) check() {
	r := d.rnd
	c := rapport.Contact{Address: d.addr(pick(r, diffPhones)), Channel: pick(r, []channel.Kind{channel.KindSMS, channel.KindVoice, ""}),
		Purpose: pick(r, []consent.Purpose{consent.PurposeMarketing, consent.PurposeService, ""}), Rooftop: pick(r, diffRooftops),
		Staff: pick(r, diffStaff)}
	run(d, "Check", func(w *diffWorld) (rapport.Verdict, error) { return w.book.Check(d.ctx, c) })
}

func (d *diff) brief() {
	r := d.rnd
	opts := &rapport.BriefOptions{Rooftop: pick(r, diffRooftops), Staff: pick(r, diffStaff), MinAsked: 1 + r.IntN(3),
		Opportunities: household.OpportunityRules{Brands: []string{"Mazda"}}}
	if len(d.households) > 0 && r.IntN(3) == 0 {
		id := pick(r, d.households)
		run(d, "HouseholdBrief", func(w *diffWorld) (rapport.HouseholdView, error) { return w.book.HouseholdBrief(d.ctx, id, opts) })
		return
	}
	if len(d.customers) == 0 {
		return
	}
	id := pick(r, d.customers)
	run(d, "Brief", func(w *diffWorld) (rapport.Brief, error) { return w.book.Brief(d.ctx, id, opts) })
}

func (d *diff) callbackStep() {
	r := d.rnd
	cb := func(w *diffWorld) rapport.Callbacks { return w.book.Callbacks() }
	// Mostly the one queue, so that requests meet in it.
	roof, team := dealer.Rooftop("north"), dealer.Team("bdc")
	if r.IntN(4) == 0 {
		roof, team = pick(r, diffRooftops), pick(r, diffTeams)
	}
	// Mostly callback requests; sometimes any commitment, which is refused.
	ids := d.callbacks
	if len(ids) == 0 || r.IntN(5) == 0 {
		ids = d.commitments
	}
	switch k := r.IntN(4); {
	case k == 0 && len(d.customers) > 0:
		req := rapport.CallbackRequest{Customer: pick(r, d.customers), Rooftop: roof, Team: team, RequestedOn: channel.KindSMS}
		if r.IntN(2) == 0 {
			req.Address = d.addr(pick(r, diffPhones))
		}
		if r.IntN(2) == 0 {
			req.Windows, req.Zone = channel.Every(channel.Clock(17, 0), channel.Clock(19, 0)), "America/New_York"
		}
		res, err := run(d, "Callbacks.Request", func(w *diffWorld) (interaction.Commitment, error) { return cb(w).Request(d.ctx, req) })
		if err == nil {
			d.commitments = append(d.commitments, res.ID)
			d.callbacks = append(d.callbacks, res.ID)
		}
	case k == 1 && len(ids) > 0:
		id, act := pick(r, ids), d.act()
		run(d, "Callbacks.Take", func(w *diffWorld) (interaction.Commitment, error) { return cb(w).Take(d.ctx, id, act) })
	case k == 2 && len(ids) > 0:
		id, act := pick(r, ids), d.act()
		res, err := run(d, "Callbacks.NoAnswer", func(w *diffWorld) (rapport.Recorded, error) {
			_, rec, err := cb(w).NoAnswer(d.ctx, id, act)
			return rec, err
		})
		if err == nil {
			d.noteRecorded(res)
		}
	default:
		run(d, "Callbacks.Queue", func(w *diffWorld) (rapport.CallbackQueue, error) { return cb(w).Queue(d.ctx, roof, team, nil) })
	}
}

func (d *diff) review() {
	if len(d.interactions) == 0 {
		return
	}
	r := d.rnd
	id, act := pick(r, d.interactions), d.act()
	rv := func(w *diffWorld) rapport.Reviews { return w.book.Reviews() }
	if r.IntN(2) == 0 {
		run(d, "Reviews.Flag", func(w *diffWorld) (interaction.Interaction, error) { return rv(w).Flag(d.ctx, id, act) })
		return
	}
	flag := r.IntN(3) - 1
	run(d, "Reviews.Complete", func(w *diffWorld) (interaction.Interaction, error) { return rv(w).Complete(d.ctx, id, flag, act) })
}

// state reads everything a backend holds for the tenant, through the
// storage contract, and checks that every record passes its Validate.
func (d *diff) state(w *diffWorld) map[string]any {
	b, ctx := w.backend, d.ctx
	st := map[string]any{}
	valid := func(kind string, id fmt.Stringer, err error) {
		if err != nil {
			d.t.Errorf("%s: stored %s %s fails its own Validate: %v", w.name, kind, id, err)
		}
	}
	var cs []customer.Customer
	for after := storage.Cursor(""); ; {
		page, next, err := b.ListCustomers(ctx, diffTenant, after, 50)
		if err != nil {
			d.t.Fatalf("%s: ListCustomers: %v", w.name, err)
		}
		cs = append(cs, page...)
		if next == "" {
			break
		}
		after = next
	}
	for _, c := range cs {
		valid("customer", c.ID, c.Validate())
	}
	st["customers"] = cs
	var is []interaction.Interaction
	for after := storage.Cursor(""); ; {
		page, next, err := b.Interactions(ctx, diffTenant, storage.InteractionQuery{}, after, 50)
		if err != nil {
			d.t.Fatalf("%s: Interactions: %v", w.name, err)
		}
		is = append(is, page...)
		if next == "" {
			break
		}
		after = next
	}
	for _, i := range is {
		valid("interaction", i.ID, i.Validate())
	}
	st["interactions"] = is
	var convs []interaction.Conversation
	for after := storage.Cursor(""); ; {
		page, next, err := b.Conversations(ctx, diffTenant, storage.ConversationQuery{}, after, 50)
		if err != nil {
			d.t.Fatalf("%s: Conversations: %v", w.name, err)
		}
		convs = append(convs, page...)
		if next == "" {
			break
		}
		after = next
	}
	for _, c := range convs {
		valid("conversation", c.ID, c.Validate())
	}
	st["conversations"] = convs
	var cms []interaction.Commitment
	for after := storage.Cursor(""); ; {
		page, next, err := b.Commitments(ctx, diffTenant, storage.CommitmentQuery{}, after, 50)
		if err != nil {
			d.t.Fatalf("%s: Commitments: %v", w.name, err)
		}
		cms = append(cms, page...)
		if next == "" {
			break
		}
		after = next
	}
	for _, c := range cms {
		valid("commitment", c.ID, c.Validate())
	}
	st["commitments"] = cms
	var hs []household.Household
	for _, id := range d.households {
		h, err := b.GetHousehold(ctx, diffTenant, id)
		if err != nil {
			d.t.Fatalf("%s: GetHousehold: %v", w.name, err)
		}
		valid("household", h.ID, h.Validate())
		hs = append(hs, h)
	}
	st["households"] = hs
	var vs []household.Vehicle
	for _, id := range d.vehicles {
		v, err := b.GetVehicle(ctx, diffTenant, id)
		if err != nil {
			d.t.Fatalf("%s: GetVehicle: %v", w.name, err)
		}
		valid("vehicle", v.ID, v.Validate())
		vs = append(vs, v)
	}
	st["vehicles"] = vs
	ledgers := map[string][]consent.Event{}
	for _, a := range append(append([]string{}, diffPhones...), diffEmails...) {
		es, err := b.ConsentByAddress(ctx, diffTenant, d.addr(a))
		if err != nil {
			d.t.Fatalf("%s: ConsentByAddress: %v", w.name, err)
		}
		for _, e := range es {
			valid("consent event", e.ID, e.Validate())
		}
		ledgers[a] = es
	}
	st["consent"] = ledgers
	var changes []storage.Change
	for after := storage.Cursor(""); ; {
		page, next, err := b.Changes(ctx, diffTenant, after, 200)
		if err != nil {
			d.t.Fatalf("%s: Changes: %v", w.name, err)
		}
		if len(page) == 0 {
			break
		}
		changes = append(changes, page...)
		after = next
	}
	st["changes"] = changes
	return st
}

func (d *diff) compareState() {
	a, b := d.state(d.worlds[0]), d.state(d.worlds[1])
	for _, k := range []string{"customers", "interactions", "conversations", "commitments", "households", "vehicles", "consent", "changes"} {
		if !reflect.DeepEqual(a[k], b[k]) {
			d.t.Errorf("stored %s differ: %s", k, firstDifference(a[k], b[k]))
		}
	}
	n := 0
	for _, k := range []string{"customers", "interactions", "conversations", "commitments", "households", "vehicles"} {
		n += reflect.ValueOf(a[k]).Len()
	}
	if n < 10 {
		d.t.Errorf("the sequence stored only %d records: the generator is not exercising the Book", n)
	}
}

// firstDifference shows the first element of two lists (or the first key of
// two maps) that differ.
func firstDifference(a, b any) string {
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	show := func(v reflect.Value) string {
		if !v.IsValid() {
			return "(none)"
		}
		j, _ := json.Marshal(v.Interface())
		return string(j)
	}
	switch va.Kind() {
	case reflect.Slice:
		for i := range max(va.Len(), vb.Len()) {
			var ea, eb reflect.Value
			if i < va.Len() {
				ea = va.Index(i)
			}
			if i < vb.Len() {
				eb = vb.Index(i)
			}
			if !ea.IsValid() || !eb.IsValid() || !reflect.DeepEqual(ea.Interface(), eb.Interface()) {
				return fmt.Sprintf("element %d:\n\tmemstore:    %s\n\tsqlitestore: %s", i, show(ea), show(eb))
			}
		}
	case reflect.Map:
		for _, k := range va.MapKeys() {
			if !reflect.DeepEqual(va.MapIndex(k).Interface(), vb.MapIndex(k).Interface()) {
				return fmt.Sprintf("key %v:\n\tmemstore:    %s\n\tsqlitestore: %s", k, show(va.MapIndex(k)), show(vb.MapIndex(k)))
			}
		}
	}
	return fmt.Sprintf("\n\tmemstore:    %s\n\tsqlitestore: %s", show(va), show(vb))
}
