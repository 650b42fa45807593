package interaction

import (
	"encoding/binary"
	"iter"
	"math"
	"math/rand/v2"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
)

// generateTimeline returns a deterministic, realistic stream of about n
// interactions (it stops at exactly n) for metrics benchmarks, with their
// lifecycle steps as KindLifecycle interactions, conversation by
// conversation, each in timeline order: leads answered by a salesperson or
// first by a bot that escalates; replies by human, template, assisted and
// automated authorship; missed calls, failed deliveries, handoffs to F&I,
// snoozes, resolutions, re-openings and closes, over three rooftops and
// four channels, spread over a year from 2025-01-01. The same (n, seed)
// always gives the same stream.
//
// It is self-contained (it uses only package interaction and the packages
// it imports) so that it can be copied into other benchmarks, such as the
// Book's over a storage backend. Interactions have IDs, tenant "bench";
// conversations and customers are numbered in the low bytes of their IDs.
func generateTimeline(n int, seed uint64) iter.Seq[Interaction] {
	return func(yield func(Interaction) bool) {
		g := timelineGen{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), n: n, yield: yield}
		g.run()
	}
}

// benchRooftops, and the staff of each rooftop.
var (
	benchRooftops = []dealer.Rooftop{"downtown", "uptown", "airport"}
	benchSales    = [][]dealer.Staff{
		{"dt.sam", "dt.tom", "dt.ana", "dt.raj"},
		{"up.lee", "up.kim", "up.joe"},
		{"ap.max", "ap.eva"},
	}
	benchFI = []dealer.Staff{"dt.fay", "up.fin", "ap.fox"}
)

type timelineGen struct {
	rng   *rand.Rand
	n     int
	count int
	seq   uint64
	yield func(Interaction) bool
	stop  bool
	// the current conversation
	conv    ConversationID
	cust    customer.ID
	roof    dealer.Rooftop
	ch      channel.Kind
	at      time.Time
	owner   dealer.Staff
	parts   map[dealer.Staff][]Participant
	started time.Time
}

func (g *timelineGen) run() {
	g.parts = make(map[dealer.Staff][]Participant)
	start := time.Date(2025, 1, 1, 8, 0, 0, 0, time.UTC)
	convs := max(g.n/9, 1) // about 9 interactions per conversation
	step := 365 * 24 * time.Hour / time.Duration(convs)
	for k := 0; !g.stop && g.count < g.n; k++ {
		g.begin(k, start.Add(time.Duration(k)*step+time.Duration(g.rng.Int64N(int64(step)+1))))
		g.conversation()
	}
}

func (g *timelineGen) begin(k int, at time.Time) {
	binary.BigEndian.PutUint64(g.conv[8:], uint64(k)+1)
	g.conv[6] = 0x70 // version 7
	binary.BigEndian.PutUint64(g.cust[8:], uint64(k)+1)
	g.cust[6] = 0x70
	r := g.rng.IntN(len(benchRooftops))
	g.roof = benchRooftops[r]
	switch x := g.rng.IntN(100); {
	case x < 50:
		g.ch = channel.KindSMS
	case x < 75:
		g.ch = channel.KindEmail
	case x < 90:
		g.ch = channel.KindWebChat
	default:
		g.ch = channel.KindVoice
	}
	g.at, g.started = at, at
	sales := benchSales[r]
	g.owner = sales[g.rng.IntN(len(sales))]
}

func (g *timelineGen) participants(s dealer.Staff, role Role) []Participant {
	p, ok := g.parts[s]
	if !ok {
		p = []Participant{{Staff: s, Role: role}}
		g.parts[s] = p
	}
	return p
}

// later advances the clock by a delay drawn from a log-normal distribution
// with the given median.
func (g *timelineGen) later(median time.Duration) time.Time {
	f := math.Exp(g.rng.NormFloat64() * 1.2)
	g.at = g.at.Add(time.Duration(float64(median) * f))
	return g.at
}

func (g *timelineGen) emit(i Interaction) {
	if g.stop || g.count >= g.n {
		g.stop = true
		return
	}
	g.seq++
	binary.BigEndian.PutUint64(i.ID[8:], g.seq)
	i.ID[6] = 0x70
	i.Tenant, i.Rooftop, i.Customer, i.Conversation = "bench", g.roof, g.cust, g.conv
	if i.OccurredAt.IsZero() {
		i.OccurredAt = g.at
	}
	g.count++
	if !g.yield(i) {
		g.stop = true
	}
}

func (g *timelineGen) event(ev LifecycleEvent) {
	ev.At = g.at
	g.emit(Interaction{Direction: DirectionInternal, Kind: KindLifecycle, Lifecycle: &ev})
}

func (g *timelineGen) kind() Kind {
	switch g.ch {
	case channel.KindEmail:
		return KindEmail
	case channel.KindWebChat:
		return KindChat
	case channel.KindVoice:
		return KindCall
	}
	return KindMessage
}

func (g *timelineGen) inbound() {
	i := Interaction{Channel: g.ch, Direction: DirectionInbound, Kind: g.kind(), Body: "Is the 2024 Civic still available?"}
	if i.Kind == KindCall {
		i.Call = &Call{Outcome: CallOutcomeNoAnswer}
		if g.rng.IntN(3) == 0 {
			i.Call = &Call{Outcome: CallOutcomeVoicemail, Duration: 40 * time.Second}
		}
	}
	g.emit(i)
}

func (g *timelineGen) outbound(who dealer.Staff, role Role, a Authorship) {
	ch, kind := g.ch, g.kind()
	if kind == KindCall && g.rng.IntN(2) == 0 {
		ch, kind = channel.KindSMS, KindMessage // a text back after a missed call
	}
	i := Interaction{Channel: ch, Direction: DirectionOutbound, Kind: kind, Authorship: a,
		Participants: g.participants(who, role), Body: "Yes it is! When can you come by?"}
	if a == AuthorshipTemplate || a == AuthorshipAutomated {
		i.Template = "lead-followup-v3"
	}
	switch {
	case kind == KindCall:
		i.Call = &Call{Outcome: CallOutcomeAnswered, Duration: 3 * time.Minute}
		if g.rng.IntN(3) == 0 {
			i.Call = &Call{Outcome: CallOutcomeNoAnswer}
		}
	case g.rng.IntN(50) == 0:
		i.Delivery = Delivery{Status: StatusFailed, At: g.at, Reason: "unknown subscriber", ErrorCode: "30005"}
	default:
		i.Delivery = Delivery{Status: StatusDelivered, At: g.at, Attempts: 1}
	}
	g.emit(i)
}

func (g *timelineGen) authorship() Authorship {
	switch x := g.rng.IntN(100); {
	case x < 55:
		return AuthorshipHuman
	case x < 75:
		return AuthorshipTemplate
	case x < 90:
		return AuthorshipAssisted
	}
	return AuthorshipAutomated
}

func (g *timelineGen) conversation() {
	bot := g.rng.IntN(100) < 30
	if bot {
		g.event(LifecycleEvent{Action: ActionOpened, Status: ConversationStatusPending, To: "sales-bot"})
		g.inbound()
		g.later(20 * time.Second)
		g.outbound("sales-bot", RoleBot, AuthorshipAutomated)
		if g.rng.IntN(100) < 25 { // the bot handles it alone
			g.later(10 * time.Minute)
			g.event(LifecycleEvent{Action: ActionResolved, Status: ConversationStatusResolved})
			return
		}
		g.later(3 * time.Minute)
		g.inbound()
		g.later(time.Minute)
		g.event(LifecycleEvent{Action: ActionEscalated, Status: ConversationStatusOpen, From: "sales-bot", To: g.owner, Team: "sales", Reason: "customer asked for a person"})
	} else {
		g.event(LifecycleEvent{Action: ActionOpened, Status: ConversationStatusOpen, To: g.owner, Team: "sales"})
		g.inbound()
	}
	g.exchanges(1 + g.rng.IntN(4))
	if g.rng.IntN(100) < 12 { // on to F&I
		fi := benchFI[g.rng.IntN(len(benchFI))]
		g.later(2 * time.Hour)
		g.event(LifecycleEvent{Action: ActionHandoffOffered, Status: ConversationStatusOpen, From: g.owner, To: fi, Team: "finance", Reason: "ready to sign"})
		g.later(20 * time.Minute)
		g.event(LifecycleEvent{Action: ActionHandoffAccepted, Status: ConversationStatusOpen, By: fi, From: g.owner, To: fi, Team: "finance", Reason: "ready to sign"})
		g.owner = fi
		g.exchanges(1 + g.rng.IntN(2))
	}
	if g.rng.IntN(100) < 8 {
		g.later(time.Hour)
		g.event(LifecycleEvent{Action: ActionSnoozed, Status: ConversationStatusSnoozed, Until: g.at.Add(24 * time.Hour)})
		g.later(20 * time.Hour)
		g.inbound() // wakes it
		g.exchanges(1)
	}
	if g.rng.IntN(100) < 10 {
		return // left open, or unanswered
	}
	g.later(4 * time.Hour)
	g.event(LifecycleEvent{Action: ActionResolved, Status: ConversationStatusResolved})
	if g.rng.IntN(100) < 20 {
		g.later(6 * 24 * time.Hour)
		g.inbound() // re-opens it
		g.exchanges(1 + g.rng.IntN(2))
		g.later(time.Hour)
		g.event(LifecycleEvent{Action: ActionResolved, Status: ConversationStatusResolved})
	}
	if g.rng.IntN(100) < 5 {
		g.later(30 * 24 * time.Hour)
		g.event(LifecycleEvent{Action: ActionClosed, Status: ConversationStatusClosed})
	}
}

// exchanges emits k rounds of a reply from the owner (sometimes two
// messages, sometimes none) and, mostly, the customer's answer.
func (g *timelineGen) exchanges(k int) {
	for range k {
		if g.rng.IntN(100) < 92 {
			g.later(25 * time.Minute)
			g.outbound(g.owner, RoleSalesperson, g.authorship())
			if g.rng.IntN(100) < 15 {
				g.later(2 * time.Minute)
				g.outbound(g.owner, RoleSalesperson, g.authorship())
			}
		}
		if g.rng.IntN(100) < 70 {
			g.later(3 * time.Hour)
			g.inbound()
		}
	}
}
