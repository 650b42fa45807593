package interaction

import (
	"bytes"
	"cmp"
	"math"
	"slices"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/dealer"
)

// DefaultReplyWindow is the reply window a zero
// [MetricsOptions.ReplyWindow] stands for.
const DefaultReplyWindow = 48 * time.Hour

// MetricsOptions configures a [Meter].
type MetricsOptions struct {
	// From and To bound the measured range [From, To): each figure counts
	// the events inside it (see [Meter] for which event dates each figure).
	// A zero From means no lower bound; a zero To no upper bound, in which
	// case no reply window is ever closed (see [Outreach]).
	From, To time.Time
	// ReplyWindow is how soon the customer's next message must follow an
	// outbound one for it to count as a reply; zero means
	// DefaultReplyWindow.
	ReplyWindow time.Duration
	// Rooftops narrows the measure to interactions at these rooftops; none
	// means all.
	Rooftops []dealer.Rooftop
	// Calendars holds each rooftop's business clock, for the figures in
	// business hours; interactions naming no rooftop use the one under the
	// zero Rooftop. A rooftop with no clock gets no business-hours figures
	// (their Count stays below the wall-clock Count).
	Calendars map[dealer.Rooftop]*BusinessClock
}

// Metrics is the result of a [Meter]: the figures for everything, and for
// each member of staff, team, rooftop and channel. The zero key of each map
// collects what names none (an unassigned conversation, an interaction with
// no channel).
type Metrics struct {
	// From, To and ReplyWindow are the options the figures were measured
	// with (ReplyWindow after defaulting).
	From        time.Time     `json:"from,omitzero"`
	To          time.Time     `json:"to,omitzero"`
	ReplyWindow time.Duration `json:"reply_window_ns"`
	// All holds the figures over everything measured; ByStaff, ByTeam,
	// ByRooftop and ByChannel split them (see [Meter] for what each figure
	// is attributed to). A group with nothing measured is absent.
	All       Figures                    `json:"all"`
	ByStaff   map[dealer.Staff]Figures   `json:"by_staff,omitempty"`
	ByTeam    map[dealer.Team]Figures    `json:"by_team,omitempty"`
	ByRooftop map[dealer.Rooftop]Figures `json:"by_rooftop,omitempty"`
	ByChannel map[channel.Kind]Figures   `json:"by_channel,omitempty"`
	// Conversations counts the conversations whose interactions were fed.
	Conversations int `json:"conversations"`
	// Ignored counts the interactions fed that were not measured: at or
	// after To, with a zero OccurredAt, earlier than the interaction fed
	// before them in their conversation, or on a conversation already
	// closed.
	Ignored int `json:"ignored,omitempty"`
}

// Figures are the measurements of one group (everything, one member of
// staff, one team, one rooftop or one channel). See [Meter] for the exact
// definitions.
type Figures struct {
	// FirstResponse, NextResponse and Resolution are the response and
	// resolution times, in wall-clock time and in business hours.
	FirstResponse Times `json:"first_response"`
	NextResponse  Times `json:"next_response"`
	Resolution    Times `json:"resolution"`
	// Inbound counts the customer's messages, emails, chats and calls that
	// asked for an answer and arrived in the range.
	Inbound int `json:"inbound,omitempty"`
	// Unanswered counts those (owed to a person) no person answered: the
	// conversation was resolved or closed first, or the range ended first.
	// StillWaiting counts the latter only.
	Unanswered   int `json:"unanswered,omitempty"`
	StillWaiting int `json:"still_waiting,omitempty"`
	// Outbound counts the dealership's messages, emails, chats and calls
	// sent in the range, by authorship (the zero Authorship: not recorded),
	// with their replies.
	Outbound map[Authorship]Outreach `json:"outbound,omitempty"`
}

// OutboundTotal returns the number of outbound interactions counted, of
// every authorship.
func (f Figures) OutboundTotal() int {
	n := 0
	for _, o := range f.Outbound {
		n += o.Sent
	}
	return n
}

// Share returns the share of outbound interactions with authorship a, from
// 0 to 1; 0 when there were none.
func (f Figures) Share(a Authorship) float64 {
	total := f.OutboundTotal()
	if total == 0 {
		return 0
	}
	return float64(f.Outbound[a].Sent) / float64(total)
}

// Times is a duration measured on two clocks.
type Times struct {
	// Wall is measured in elapsed real time.
	Wall Summary `json:"wall"`
	// Business counts only the rooftop's opening hours ([BusinessClock]);
	// samples of rooftops without a calendar are left out.
	Business Summary `json:"business"`
}

// Summary describes a set of durations. All fields are zero when Count is.
// Percentiles use the nearest-rank method: P50 is the smallest sample such
// that at least half of the samples are at most it (so, for an even count,
// the lower of the two middle samples); P90 likewise for 90%. Mean is the
// arithmetic mean, rounded to the nanosecond.
type Summary struct {
	Count int           `json:"count"`             // number of samples
	Mean  time.Duration `json:"mean_ns,omitempty"` // arithmetic mean
	P50   time.Duration `json:"p50_ns,omitempty"`  // median (nearest rank)
	P90   time.Duration `json:"p90_ns,omitempty"`  // 90th percentile (nearest rank)
	Max   time.Duration `json:"max_ns,omitempty"`  // largest sample
}

// Outreach counts the outbound interactions of one authorship and the
// customer's replies to them.
type Outreach struct {
	// Sent counts them all, failed ones included.
	Sent int `json:"sent"`
	// Failed counts those whose delivery failed or errored: the customer
	// never got them, so they are left out of the reply rate.
	Failed int `json:"failed,omitempty"`
	// Decided counts the others whose fate is known: a reply came, or the
	// reply window closed before the end of the range. Replied counts those
	// that got a reply.
	Decided int `json:"decided,omitempty"`
	Replied int `json:"replied,omitempty"`
}

// ReplyRate returns Replied / Decided, from 0 to 1; 0 when nothing is
// decided.
func (o Outreach) ReplyRate() float64 {
	if o.Decided == 0 {
		return 0
	}
	return float64(o.Replied) / float64(o.Decided)
}

// Meter measures response times, resolution times, unanswered messages and
// outreach by authorship over a stream of interactions, without holding
// them: it keeps a small state per conversation and the samples it
// measured. Feed it with [Meter.Add], then read [Meter.Result]; [Measure]
// does both for a slice.
//
// # Input
//
// Add each interaction of every conversation measured, in timeline order
// within each conversation (non-decreasing OccurredAt; conversations may
// interleave), including the [KindLifecycle] interactions that record the
// conversation's lifecycle ([Interaction.Lifecycle]), and including the
// interactions before From of every conversation active in the range
// (from its opening, or at least from its latest opening or re-opening
// before From), so that clocks running at From are known. Interactions at
// or after To are ignored. The time of a lifecycle step is the
// OccurredAt of its interaction.
//
// Only conversational interactions (messages, calls, emails and chats:
// [Kind.Conversational]) and lifecycle steps count; notes, visits, surveys
// and the rest are skipped, as are interactions with no Conversation
// except for the outbound counts.
//
// # Episodes and the person's clock
//
// A conversation's life is cut into episodes: the first starts when it
// opens ([ActionOpened], else its first interaction), each next one when
// it is re-opened ([ActionReopened], or an inbound message on a resolved
// conversation); an episode ends when the conversation is resolved or
// closed. The time a conversation spends resolved belongs to no episode
// and never counts.
//
// An episode is a person's from its start when the conversation is open,
// or from its escalation ([ActionEscalated]) when it started pending
// (owned by an automated handler). Until then nothing is measured against
// people: the handler's replies answer nothing, and the customer's
// messages wait "on the handler". A person replying to a pending
// conversation without an escalation event takes it over at that moment
// (an implicit escalation): that reply yields no response-time sample.
//
// # Response times
//
// In a person's episode, the response clock starts when the customer
// reaches out and nothing is waiting: an inbound message, email or chat,
// or a call no person answered; later inbound ones while it runs do not
// restart it (the oldest unanswered message anchors it). At escalation, the
// clock starts at the escalation time if the customer wrote anything
// during the handler's time, else at the first inbound message after it.
// The clock stops at the first response by a person ([Interaction.Responds]:
// a message, email, chat or call with human, assisted or template
// authorship that reached the customer, or an inbound call a person
// answered), which gives one sample: the first response of its episode is
// a FirstResponse sample, every later one a NextResponse sample. The clock
// keeps running while the conversation is snoozed. A response with no
// clock running (a person writing first) gives no sample.
//
// Each sample is dated by the response, attributed to the member of staff
// who responded (its first participant), the conversation's team at that
// moment, the conversation's rooftop, and the channel of the message that
// started the clock.
//
// # Resolution time
//
// From the start of a person's episode (its start, or its escalation) to
// its resolution ([ActionResolved], or [ActionClosed] when not resolved
// first). Dated by the resolution; attributed to the owner and team at
// that moment, the rooftop, and the conversation's channel (that of its
// first message, email, chat or call). Episodes the handler resolved
// without escalating give no sample.
//
// # Unanswered
//
// Inbound counts every inbound message, email, chat or unanswered call
// dated in the range, attributed to the owner (the handler while pending)
// when it arrived. Unanswered counts those, of a person's episode (or
// escalated to one), that no response followed before the episode ended
// or the range ended (then StillWaiting too), dated by their arrival and
// attributed to the owner and team when the episode or range ended.
// Messages the handler received and resolved without escalating are not
// unanswered.
//
// # Outreach
//
// Every outbound message, email, chat and call dated in the range is
// counted in Outbound under its [Authorship], attributed to its first
// participant, the conversation's team, the rooftop and its own channel.
// It got a reply when the customer's next inbound message, email, chat or
// call in the conversation arrives within the reply window after it
// (several outbound messages before one reply all get it). Outbound
// interactions outside any conversation are counted but never decided.
//
// # Business hours
//
// Every duration is also measured in business hours, with the business
// clock of the conversation's rooftop ([MetricsOptions.Calendars],
// [BusinessClock.Duration]): the same start and stop, counting only
// opening hours.
//
// A Meter is not safe for concurrent use.
type Meter struct {
	opts    MetricsOptions
	convs   map[ConversationID]*convState
	all     acc
	staff   map[dealer.Staff]*acc
	team    map[dealer.Team]*acc
	rooftop map[dealer.Rooftop]*acc
	channel map[channel.Kind]*acc
	ignored int
}

// NewMeter returns a Meter measuring with opts; a nil opts means the zero
// MetricsOptions (everything, with no business hours).
func NewMeter(opts *MetricsOptions) *Meter {
	m := &Meter{
		convs:   make(map[ConversationID]*convState),
		staff:   make(map[dealer.Staff]*acc),
		team:    make(map[dealer.Team]*acc),
		rooftop: make(map[dealer.Rooftop]*acc),
		channel: make(map[channel.Kind]*acc),
	}
	if opts != nil {
		m.opts = *opts
	}
	if m.opts.ReplyWindow <= 0 {
		m.opts.ReplyWindow = DefaultReplyWindow
	}
	return m
}

// Measure feeds a Meter with is, in [Chronological] order, and returns its
// result. is itself is not modified.
func Measure(is []Interaction, opts *MetricsOptions) Metrics {
	// Sort compact keys, not the interactions: far fewer bytes to move and
	// to bring into cache.
	type key struct {
		sec  int64
		nsec int32
		idx  int32
		rank int8
		id   ID
	}
	keys := make([]key, len(is))
	for k := range is {
		t := is[k].OccurredAt
		keys[k] = key{sec: t.Unix(), nsec: int32(t.Nanosecond()), idx: int32(k), rank: instantRank(&is[k]), id: is[k].ID}
	}
	slices.SortFunc(keys, func(a, b key) int {
		switch {
		case a.sec != b.sec:
			return cmp.Compare(a.sec, b.sec)
		case a.nsec != b.nsec:
			return cmp.Compare(a.nsec, b.nsec)
		case a.rank != b.rank:
			return cmp.Compare(a.rank, b.rank)
		}
		if c := bytes.Compare(a.id[:], b.id[:]); c != 0 {
			return c
		}
		return cmp.Compare(a.idx, b.idx)
	})
	m := NewMeter(opts)
	for _, k := range keys {
		m.Add(&is[k.idx])
	}
	return m.Result()
}

// Chronological orders interactions in time as a [Meter] wants them: by
// OccurredAt; at the same instant, a lifecycle step that starts or hands
// over the conversation (opened, reopened, woke, escalated, assigned,
// handoff_accepted) before everything else, and a step that ends it or
// sets it aside (resolved, closed, snoozed) after everything else; then by
// ID. So the message that opens a conversation owned by an automated
// handler belongs to the handler, whatever order the IDs of the message
// and of its "opened" step happen to have.
func Chronological(a, b *Interaction) int {
	if c := a.OccurredAt.Compare(b.OccurredAt); c != 0 {
		return c
	}
	if c := cmp.Compare(instantRank(a), instantRank(b)); c != 0 {
		return c
	}
	return bytes.Compare(a.ID[:], b.ID[:])
}

// instantRank places an interaction among those at the same instant: -1
// for the steps that open or hand over a conversation, 1 for those that
// end it or set it aside, 0 for the rest.
func instantRank(i *Interaction) int8 {
	if i.Kind != KindLifecycle || i.Lifecycle == nil {
		return 0
	}
	switch i.Lifecycle.Action {
	case ActionOpened, ActionReopened, ActionWoke, ActionEscalated, ActionAssigned, ActionHandoffAccepted:
		return -1
	case ActionResolved, ActionClosed, ActionSnoozed:
		return 1
	}
	return 0
}

// owed is an inbound message waiting for an answer.
type owed struct {
	at time.Time
	ch channel.Kind
}

// sent is an outbound interaction waiting for the customer's next message.
type sent struct {
	at  time.Time
	out [5]*Outreach // in the groups it was counted in
}

// convState is what a Meter knows of one conversation.
type convState struct {
	last     time.Time // latest OccurredAt fed
	status   ConversationStatus
	implicit bool // opened by its first interaction, no opened event seen (yet)
	human    bool // the current episode is a person's
	owner    dealer.Staff
	handler  dealer.Staff
	team     dealer.Team
	rooftop  dealer.Rooftop
	channel  channel.Kind // of its first conversational interaction

	episode   time.Time // start of the person's resolution clock; zero when none
	responded bool      // the episode's first response was made
	clock     time.Time // start of the response clock; zero when stopped
	clockCh   channel.Kind
	owed      []owed // owed to a person
	botOwed   []owed // received while pending
	awaiting  []sent
}

// acc accumulates the figures of one group.
type acc struct {
	first, next, resolution      samples
	inbound, unanswered, waiting int
	out                          [len(knownAuthorships) + 1]Outreach // zero Authorship first, then the known ones
	newer                        map[Authorship]*Outreach
}

type samples struct{ wall, business []time.Duration }

func (a *acc) outreach(au Authorship) *Outreach {
	if au == AuthorshipUnknown {
		return &a.out[0]
	}
	for k, v := range knownAuthorships {
		if v == au {
			return &a.out[k+1]
		}
	}
	if a.newer == nil {
		a.newer = make(map[Authorship]*Outreach)
	}
	o := a.newer[au]
	if o == nil {
		o = new(Outreach)
		a.newer[au] = o
	}
	return o
}

func accFor[K comparable](m map[K]*acc, k K) *acc {
	a := m[k]
	if a == nil {
		a = new(acc)
		m[k] = a
	}
	return a
}

// groups returns the accumulators of everything and of the staff member,
// team, rooftop and channel given.
func (m *Meter) groups(s dealer.Staff, t dealer.Team, r dealer.Rooftop, c channel.Kind) [5]*acc {
	return [5]*acc{&m.all, accFor(m.staff, s), accFor(m.team, t), accFor(m.rooftop, r), accFor(m.channel, c)}
}

func (m *Meter) inRange(t time.Time) bool {
	return m.opts.From.IsZero() || !t.Before(m.opts.From)
}

// Add feeds one interaction: see [Meter] for the order expected. It takes
// a pointer to avoid copying the interaction; it neither modifies nor keeps
// it.
func (m *Meter) Add(i *Interaction) {
	if len(m.opts.Rooftops) > 0 && !slices.Contains(m.opts.Rooftops, i.Rooftop) {
		return
	}
	t := i.OccurredAt
	if t.IsZero() || (!m.opts.To.IsZero() && !t.Before(m.opts.To)) {
		m.ignored++
		return
	}
	if i.Conversation.IsZero() {
		if i.Direction == DirectionOutbound && i.Kind.Conversational() && m.inRange(t) {
			for _, g := range m.groups(i.author(), "", i.Rooftop, i.Channel) {
				o := g.outreach(i.Authorship)
				o.Sent++
				if undelivered(i) {
					o.Failed++
				}
			}
		}
		return
	}
	st := m.convs[i.Conversation]
	if st == nil {
		st = &convState{}
		m.convs[i.Conversation] = st
	}
	if t.Before(st.last) || st.status == ConversationStatusClosed {
		m.ignored++
		return
	}
	st.last = t
	if st.rooftop == "" {
		st.rooftop = i.Rooftop
	}
	if i.Kind == KindLifecycle {
		if i.Lifecycle != nil {
			m.lifecycle(st, i.Lifecycle, t)
		}
		return
	}
	if !i.Kind.Conversational() {
		return
	}
	if st.channel == "" {
		st.channel = i.Channel
	}
	switch i.Direction {
	case DirectionInbound:
		m.inbound(st, i, t)
	case DirectionOutbound:
		m.outbound(st, i, t)
	}
}

func undelivered(i *Interaction) bool {
	return i.Delivery.Status == StatusFailed || i.Delivery.Status == StatusErrored
}

// open starts the first episode of a conversation opened by its first
// interaction.
func (m *Meter) open(st *convState, t time.Time) {
	if st.status != ConversationStatusUnknown {
		return
	}
	st.status, st.implicit, st.human, st.episode = ConversationStatusOpen, true, true, t
}

func (m *Meter) lifecycle(st *convState, ev *LifecycleEvent, t time.Time) {
	switch ev.Action {
	case ActionOpened:
		if st.status != ConversationStatusUnknown && !st.implicit {
			return
		}
		st.implicit = false
		st.team = ev.Team
		if ev.Status == ConversationStatusPending {
			// Whatever came first belongs to the handler.
			st.status, st.human, st.episode, st.clock = ConversationStatusPending, false, time.Time{}, time.Time{}
			st.owner, st.handler = "", ev.To
			st.botOwed = append(st.botOwed, st.owed...)
			st.owed = st.owed[:0]
			return
		}
		if st.status == ConversationStatusUnknown {
			st.status, st.human, st.episode = ConversationStatusOpen, true, t
		}
		st.owner = ev.To
	case ActionEscalated:
		switch {
		case st.status == ConversationStatusPending, st.status == ConversationStatusUnknown:
			m.escalate(st, t)
		case st.implicit && !st.responded && st.status != ConversationStatusResolved:
			// No opened event was recorded, but an escalation says a
			// handler had it: its time does not count.
			st.botOwed = append(st.botOwed, st.owed...)
			st.owed, st.clock = st.owed[:0], time.Time{}
			m.escalate(st, t)
		}
		st.implicit = false
		st.owner = ev.To
		if ev.Team != "" {
			st.team = ev.Team
		}
	case ActionAssigned, ActionHandoffAccepted:
		st.owner = ev.To
		if ev.Team != "" {
			st.team = ev.Team
		}
	case ActionSnoozed:
		if st.status == ConversationStatusOpen {
			st.status = ConversationStatusSnoozed
		}
	case ActionWoke:
		if st.status == ConversationStatusSnoozed {
			st.status = ConversationStatusOpen
		}
	case ActionResolved:
		m.resolve(st, t)
	case ActionReopened:
		if st.status == ConversationStatusResolved {
			m.reopen(st, t, ev.Status == ConversationStatusPending)
		}
	case ActionClosed:
		m.resolve(st, t)
		st.status = ConversationStatusClosed
	}
}

// escalate hands a pending conversation to a person at t.
func (m *Meter) escalate(st *convState, t time.Time) {
	st.status, st.human, st.handler, st.episode, st.responded = ConversationStatusOpen, true, "", t, false
	if len(st.botOwed) > 0 {
		st.clock, st.clockCh = t, st.botOwed[0].ch
		st.owed = append(st.owed, st.botOwed...)
		st.botOwed = st.botOwed[:0]
	}
}

// resolve ends the current episode at t (if it is not over).
func (m *Meter) resolve(st *convState, t time.Time) {
	if st.status == ConversationStatusResolved || st.status == ConversationStatusClosed {
		return
	}
	if st.human && !st.episode.IsZero() && m.inRange(t) {
		m.sample(m.groups(st.owner, st.team, st.rooftop, st.channel), (*acc).resolutionSamples, st, st.episode, t)
	}
	m.finish(st, false, nil)
	st.status, st.episode, st.clock, st.implicit = ConversationStatusResolved, time.Time{}, time.Time{}, false
	st.botOwed = st.botOwed[:0]
}

// finish counts the messages still owed to a person as unanswered (and, at
// the end of the range, still waiting), and forgets them unless into is
// set; into, when set, collects the counts instead of the accumulators.
func (m *Meter) finish(st *convState, atEnd bool, into map[*acc]*acc) {
	for _, o := range st.owed {
		if !m.inRange(o.at) {
			continue
		}
		for _, g := range m.groups(st.owner, st.team, st.rooftop, o.ch) {
			if into != nil {
				g = accFor(into, g)
			}
			g.unanswered++
			if atEnd {
				g.waiting++
			}
		}
	}
	if into == nil {
		st.owed = st.owed[:0]
	}
}

// reopen starts a new episode at t.
func (m *Meter) reopen(st *convState, t time.Time, pending bool) {
	st.responded, st.clock = false, time.Time{}
	if pending || (st.handler != "" && st.owner == "") {
		st.status, st.human, st.episode = ConversationStatusPending, false, time.Time{}
		return
	}
	st.status, st.human, st.episode = ConversationStatusOpen, true, t
}

func (m *Meter) inbound(st *convState, i *Interaction, t time.Time) {
	m.open(st, t)
	switch st.status {
	case ConversationStatusResolved:
		m.reopen(st, t, false)
	case ConversationStatusSnoozed:
		st.status = ConversationStatusOpen
	}
	// The customer's next message answers every outbound one waiting.
	for _, s := range st.awaiting {
		replied := t.Sub(s.at) <= m.opts.ReplyWindow
		for _, o := range s.out {
			o.Decided++
			if replied {
				o.Replied++
			}
		}
	}
	st.awaiting = st.awaiting[:0]
	if i.Responds() {
		m.respond(st, i, t)
		return
	}
	if m.inRange(t) {
		who := st.owner
		if !st.human {
			who = st.handler
		}
		for _, g := range m.groups(who, st.team, st.rooftop, i.Channel) {
			g.inbound++
		}
	}
	o := owed{at: t, ch: i.Channel}
	if !st.human {
		st.botOwed = append(st.botOwed, o)
		return
	}
	st.owed = append(st.owed, o)
	if st.clock.IsZero() {
		st.clock, st.clockCh = t, i.Channel
	}
}

func (m *Meter) outbound(st *convState, i *Interaction, t time.Time) {
	m.open(st, t)
	if m.inRange(t) {
		gs := m.groups(i.author(), st.team, st.rooftop, i.Channel)
		s := sent{at: t}
		for k, g := range gs {
			o := g.outreach(i.Authorship)
			o.Sent++
			s.out[k] = o
			if undelivered(i) {
				o.Failed++
			}
		}
		if !undelivered(i) {
			st.awaiting = append(st.awaiting, s)
		}
	}
	if i.Responds() {
		m.respond(st, i, t)
	}
}

// respond records a person's response at t.
func (m *Meter) respond(st *convState, i *Interaction, t time.Time) {
	if st.status == ConversationStatusResolved {
		return // a follow-up after resolution: nothing is waiting
	}
	if !st.human {
		// An implicit escalation: the reply answers what was waiting, and
		// is not measured.
		st.status, st.human, st.handler, st.episode, st.responded = ConversationStatusOpen, true, "", t, true
		st.botOwed = st.botOwed[:0]
		return
	}
	if st.clock.IsZero() {
		return
	}
	if m.inRange(t) {
		pick := (*acc).firstSamples
		if st.responded {
			pick = (*acc).nextSamples
		}
		m.sample(m.groups(i.author(), st.team, st.rooftop, st.clockCh), pick, st, st.clock, t)
	}
	st.responded, st.clock = true, time.Time{}
	st.owed = st.owed[:0]
}

func (a *acc) firstSamples() *samples      { return &a.first }
func (a *acc) nextSamples() *samples       { return &a.next }
func (a *acc) resolutionSamples() *samples { return &a.resolution }

// sample adds the duration from start to stop to the samples pick selects
// in each group.
func (m *Meter) sample(gs [5]*acc, pick func(*acc) *samples, st *convState, start, stop time.Time) {
	wall := stop.Sub(start)
	var business time.Duration
	clock := m.opts.Calendars[st.rooftop]
	if clock != nil {
		business = clock.Duration(start, stop)
	}
	for _, g := range gs {
		s := pick(g)
		s.wall = append(s.wall, wall)
		if clock != nil {
			s.business = append(s.business, business)
		}
	}
}

// Result returns the figures measured so far, counting what is still
// waiting at the end of the range. It does not change what the Meter
// holds: more interactions may be added, and Result called again.
func (m *Meter) Result() Metrics {
	// What is still owed, and the outbound messages whose reply window
	// closed before To, are counted into extra, not into the accumulators.
	extra := make(map[*acc]*acc)
	pending := make(map[*Outreach]int)
	for _, st := range m.convs {
		m.finish(st, true, extra)
		if m.opts.To.IsZero() {
			continue
		}
		for _, s := range st.awaiting {
			if s.at.Add(m.opts.ReplyWindow).Before(m.opts.To) {
				for _, o := range s.out {
					pending[o]++
				}
			}
		}
	}
	fig := func(a *acc) Figures {
		f := a.figures()
		if e := extra[a]; e != nil {
			f.Unanswered += e.unanswered
			f.StillWaiting += e.waiting
		}
		for au, o := range f.Outbound {
			o.Decided += pending[a.outreach(au)]
			f.Outbound[au] = o
		}
		return f
	}
	res := Metrics{
		From:          m.opts.From,
		To:            m.opts.To,
		ReplyWindow:   m.opts.ReplyWindow,
		All:           fig(&m.all),
		Conversations: len(m.convs),
		Ignored:       m.ignored,
	}
	res.ByStaff = figuresOf(m.staff, fig)
	res.ByTeam = figuresOf(m.team, fig)
	res.ByRooftop = figuresOf(m.rooftop, fig)
	res.ByChannel = figuresOf(m.channel, fig)
	return res
}

func figuresOf[K comparable](m map[K]*acc, fig func(*acc) Figures) map[K]Figures {
	if len(m) == 0 {
		return nil
	}
	out := make(map[K]Figures, len(m))
	for k, a := range m {
		out[k] = fig(a)
	}
	return out
}

func (a *acc) figures() Figures {
	f := Figures{
		FirstResponse: a.first.times(),
		NextResponse:  a.next.times(),
		Resolution:    a.resolution.times(),
		Inbound:       a.inbound,
		Unanswered:    a.unanswered,
		StillWaiting:  a.waiting,
	}
	add := func(au Authorship, o Outreach) {
		if o == (Outreach{}) {
			return
		}
		if f.Outbound == nil {
			f.Outbound = make(map[Authorship]Outreach)
		}
		f.Outbound[au] = o
	}
	add(AuthorshipUnknown, a.out[0])
	for k, au := range knownAuthorships {
		add(au, a.out[k+1])
	}
	for au, o := range a.newer {
		add(au, *o)
	}
	return f
}

func (s *samples) times() Times {
	return Times{Wall: summarize(s.wall), Business: summarize(s.business)}
}

// summarize sorts ds in place and describes it.
func summarize(ds []time.Duration) Summary {
	n := len(ds)
	if n == 0 {
		return Summary{}
	}
	slices.Sort(ds)
	var sum float64
	for _, d := range ds {
		sum += float64(d)
	}
	rank := func(p float64) time.Duration {
		k := int(math.Ceil(p*float64(n))) - 1
		return ds[max(k, 0)]
	}
	return Summary{
		Count: n,
		Mean:  time.Duration(math.Round(sum / float64(n))),
		P50:   rank(0.5),
		P90:   rank(0.9),
		Max:   ds[n-1],
	}
}
