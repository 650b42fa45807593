package interaction

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/dealer"
)

// script builds one conversation's timeline.
type script struct {
	conv ConversationID
	roof dealer.Rooftop
	seq  *uint64
	is   []Interaction
}

func newScript(seq *uint64, n byte, roof dealer.Rooftop) *script {
	s := &script{roof: roof, seq: seq}
	s.conv[15], s.conv[6] = n, 0x70
	return s
}

func (s *script) add(i Interaction) *script {
	*s.seq++
	i.ID[6] = 0x70
	i.ID[14], i.ID[15] = byte(*s.seq>>8), byte(*s.seq)
	i.Tenant, i.Rooftop, i.Conversation = "t", s.roof, s.conv
	s.is = append(s.is, i)
	return s
}

func (s *script) in(at time.Time, ch channel.Kind) *script {
	k := KindMessage
	if ch == channel.KindEmail {
		k = KindEmail
	}
	return s.add(Interaction{Channel: ch, Direction: DirectionInbound, Kind: k, OccurredAt: at})
}

func (s *script) out(at time.Time, who dealer.Staff, a Authorship) *script {
	return s.add(Interaction{Channel: channel.KindSMS, Direction: DirectionOutbound, Kind: KindMessage, Authorship: a,
		OccurredAt: at, Participants: []Participant{{Staff: who, Role: RoleSalesperson}}})
}

func (s *script) ev(at time.Time, ev LifecycleEvent) *script {
	ev.At = at
	return s.add(Interaction{Direction: DirectionInternal, Kind: KindLifecycle, OccurredAt: at, Lifecycle: &ev})
}

func opened(owner dealer.Staff, team dealer.Team) LifecycleEvent {
	return LifecycleEvent{Action: ActionOpened, Status: ConversationStatusOpen, To: owner, Team: team}
}

var (
	openedByBot = LifecycleEvent{Action: ActionOpened, Status: ConversationStatusPending, To: "sales-bot"}
	resolved    = LifecycleEvent{Action: ActionResolved, Status: ConversationStatusResolved}
)

func escalated(to dealer.Staff) LifecycleEvent {
	return LifecycleEvent{Action: ActionEscalated, Status: ConversationStatusOpen, From: "sales-bot", To: to, Team: "sales", Reason: "asked for a person"}
}

// measure feeds the scripts' interactions, conversation by conversation.
func measure(opts *MetricsOptions, ss ...*script) Metrics {
	m := NewMeter(opts)
	for _, s := range ss {
		for k := range s.is {
			m.Add(&s.is[k])
		}
	}
	return m.Result()
}

// at returns 2025-03-12 (a Wednesday) h:m in New York, plus days.
func at(days, h, m int) time.Time {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		panic(err)
	}
	return time.Date(2025, 3, 12+days, h, m, 0, 0, ny)
}

func checkSummary(t *testing.T, what string, got Summary, samples ...time.Duration) {
	t.Helper()
	want := summarize(slices.Clone(samples))
	if got != want {
		t.Errorf("%s: got %+v, want %+v (samples %v)", what, got, want, samples)
	}
}

func TestMeterResponseAndResolution(t *testing.T) {
	var seq uint64
	s := newScript(&seq, 1, "downtown").
		ev(at(0, 10, 0), opened("sam.sales", "sales")).
		in(at(0, 10, 0), channel.KindSMS).
		in(at(0, 10, 2), channel.KindSMS).               // the clock keeps its start
		out(at(0, 10, 5), "sam.sales", AuthorshipHuman). // first response: 5m
		in(at(0, 10, 10), channel.KindSMS).
		out(at(0, 10, 11), "sales-bot", AuthorshipAutomated). // answers nothing
		out(at(0, 10, 30), "sam.sales", AuthorshipAssisted).  // next response: 20m
		in(at(0, 10, 40), channel.KindSMS).
		out(at(0, 10, 50), "tom.sales", AuthorshipTemplate). // next response: 10m, by tom
		ev(at(0, 11, 0), resolved)                           // resolution: 1h
	m := measure(nil, s)
	checkSummary(t, "first", m.All.FirstResponse.Wall, 5*time.Minute)
	checkSummary(t, "next", m.All.NextResponse.Wall, 20*time.Minute, 10*time.Minute)
	checkSummary(t, "resolution", m.All.Resolution.Wall, time.Hour)
	if m.All.Inbound != 4 || m.All.Unanswered != 0 || m.Conversations != 1 || m.Ignored != 0 {
		t.Errorf("counts %+v", m.All)
	}
	checkSummary(t, "sam's next", m.ByStaff["sam.sales"].NextResponse.Wall, 20*time.Minute)
	checkSummary(t, "tom's next", m.ByStaff["tom.sales"].NextResponse.Wall, 10*time.Minute)
	checkSummary(t, "sam's resolution", m.ByStaff["sam.sales"].Resolution.Wall, time.Hour)
	checkSummary(t, "team", m.ByTeam["sales"].NextResponse.Wall, 20*time.Minute, 10*time.Minute)
	checkSummary(t, "rooftop", m.ByRooftop["downtown"].FirstResponse.Wall, 5*time.Minute)
	checkSummary(t, "channel", m.ByChannel[channel.KindSMS].FirstResponse.Wall, 5*time.Minute)
	if m.All.FirstResponse.Business.Count != 0 {
		t.Error("business hours without a calendar")
	}
}

// Time with the automated handler does not count against the person: the
// clock starts at escalation.
func TestMeterEscalation(t *testing.T) {
	tests := []struct {
		name       string
		s          func(*script) *script
		first      []time.Duration
		next       []time.Duration
		resolution []time.Duration
	}{
		{"customer waiting at escalation", func(s *script) *script {
			return s.ev(at(0, 9, 0), openedByBot).
				in(at(0, 9, 0), channel.KindWebChat).
				out(at(0, 9, 1), "sales-bot", AuthorshipAutomated).
				in(at(0, 9, 5), channel.KindWebChat).
				ev(at(0, 9, 30), escalated("sam.sales")).
				out(at(0, 9, 40), "sam.sales", AuthorshipHuman).
				ev(at(0, 10, 30), resolved)
		}, []time.Duration{10 * time.Minute}, nil, []time.Duration{time.Hour}},
		{"nothing waiting at escalation: the first message after it", func(s *script) *script {
			return s.ev(at(0, 9, 0), openedByBot).
				out(at(0, 9, 0), "sales-bot", AuthorshipAutomated).
				ev(at(0, 9, 10), escalated("sam.sales")).
				in(at(0, 9, 20), channel.KindSMS).
				out(at(0, 9, 25), "sam.sales", AuthorshipHuman)
		}, []time.Duration{5 * time.Minute}, nil, nil},
		{"opened event recorded after the first message", func(s *script) *script {
			return s.in(at(0, 9, 0), channel.KindWebChat).
				ev(at(0, 9, 0), openedByBot).
				ev(at(0, 9, 30), escalated("sam.sales")).
				out(at(0, 9, 40), "sam.sales", AuthorshipHuman)
		}, []time.Duration{10 * time.Minute}, nil, nil},
		{"no opened event, but an escalation", func(s *script) *script {
			return s.in(at(0, 9, 0), channel.KindWebChat).
				ev(at(0, 9, 30), escalated("sam.sales")).
				out(at(0, 9, 40), "sam.sales", AuthorshipHuman)
		}, []time.Duration{10 * time.Minute}, nil, nil},
		{"a person answers without escalating: not measured", func(s *script) *script {
			return s.ev(at(0, 9, 0), openedByBot).
				in(at(0, 9, 0), channel.KindWebChat).
				out(at(0, 9, 10), "sam.sales", AuthorshipHuman).
				in(at(0, 9, 20), channel.KindWebChat).
				out(at(0, 9, 25), "sam.sales", AuthorshipHuman)
		}, nil, []time.Duration{5 * time.Minute}, nil},
		{"the handler resolves it alone", func(s *script) *script {
			return s.ev(at(0, 9, 0), openedByBot).
				in(at(0, 9, 0), channel.KindWebChat).
				out(at(0, 9, 1), "sales-bot", AuthorshipAutomated).
				ev(at(0, 9, 5), resolved)
		}, nil, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var seq uint64
			m := measure(nil, tt.s(newScript(&seq, 1, "downtown")))
			checkSummary(t, "first", m.All.FirstResponse.Wall, tt.first...)
			checkSummary(t, "next", m.All.NextResponse.Wall, tt.next...)
			checkSummary(t, "resolution", m.All.Resolution.Wall, tt.resolution...)
			if m.All.Unanswered != 0 {
				t.Errorf("unanswered %d", m.All.Unanswered)
			}
		})
	}
}

// A re-opened conversation starts a new clock; the time it spent resolved
// never counts.
func TestMeterReopen(t *testing.T) {
	for _, explicit := range []bool{false, true} {
		var seq uint64
		s := newScript(&seq, 1, "downtown").
			ev(at(0, 10, 0), opened("sam.sales", "sales")).
			in(at(0, 10, 0), channel.KindSMS).
			out(at(0, 10, 5), "sam.sales", AuthorshipHuman).
			ev(at(0, 10, 30), resolved).
			in(at(1, 9, 0), channel.KindSMS) // re-opens it
		if explicit {
			s.ev(at(1, 9, 0), LifecycleEvent{Action: ActionReopened, Status: ConversationStatusOpen})
		}
		s.out(at(1, 9, 20), "sam.sales", AuthorshipHuman).
			ev(at(1, 10, 0), resolved)
		m := measure(nil, s)
		checkSummary(t, "first", m.All.FirstResponse.Wall, 5*time.Minute, 20*time.Minute)
		checkSummary(t, "next", m.All.NextResponse.Wall)
		checkSummary(t, "resolution", m.All.Resolution.Wall, 30*time.Minute, time.Hour)
	}
}

func TestMeterUnanswered(t *testing.T) {
	var seq uint64
	resolvedUnanswered := newScript(&seq, 1, "downtown").
		ev(at(0, 10, 0), opened("sam.sales", "sales")).
		in(at(0, 10, 0), channel.KindSMS).
		in(at(0, 10, 1), channel.KindEmail).
		ev(at(0, 10, 30), resolved)
	stillWaiting := newScript(&seq, 2, "downtown").
		ev(at(0, 16, 0), opened("tom.sales", "sales")).
		in(at(0, 16, 0), channel.KindSMS)
	handled := newScript(&seq, 3, "downtown").
		ev(at(0, 9, 0), openedByBot).
		in(at(0, 9, 0), channel.KindWebChat).
		ev(at(0, 9, 5), resolved)
	waitingOnBot := newScript(&seq, 4, "downtown").
		ev(at(0, 9, 0), openedByBot).
		in(at(0, 9, 0), channel.KindWebChat)
	escalatedUnanswered := newScript(&seq, 5, "downtown").
		ev(at(0, 9, 0), openedByBot).
		in(at(0, 9, 0), channel.KindWebChat).
		in(at(0, 9, 1), channel.KindWebChat).
		ev(at(0, 9, 30), escalated("sam.sales"))
	m := measure(&MetricsOptions{To: at(0, 17, 0)}, resolvedUnanswered, stillWaiting, handled, waitingOnBot, escalatedUnanswered)
	if m.All.Inbound != 7 || m.All.Unanswered != 5 || m.All.StillWaiting != 3 {
		t.Errorf("all: inbound %d unanswered %d still waiting %d", m.All.Inbound, m.All.Unanswered, m.All.StillWaiting)
	}
	if f := m.ByStaff["sam.sales"]; f.Unanswered != 4 || f.StillWaiting != 2 {
		t.Errorf("sam: %+v", f)
	}
	if f := m.ByStaff["tom.sales"]; f.Unanswered != 1 || f.StillWaiting != 1 || f.Inbound != 1 {
		t.Errorf("tom: %+v", f)
	}
	if f := m.ByStaff["sales-bot"]; f.Inbound != 4 || f.Unanswered != 0 {
		t.Errorf("bot: %+v", f)
	}
	if f := m.ByChannel[channel.KindEmail]; f.Unanswered != 1 {
		t.Errorf("email: %+v", f)
	}
}

func TestMeterBusinessHours(t *testing.T) {
	clock := mustLoad(t, Calendar{Zone: "America/New_York", Hours: weekdays9to5()})
	var seq uint64
	downtown := newScript(&seq, 1, "downtown").
		ev(at(2, 16, 30), opened("sam.sales", "sales")).
		in(at(2, 16, 30), channel.KindSMS).              // Friday 16:30
		out(at(5, 9, 30), "sam.sales", AuthorshipHuman). // Monday 09:30
		ev(at(5, 10, 0), resolved)
	uptown := newScript(&seq, 2, "uptown").
		in(at(0, 10, 0), channel.KindSMS).
		out(at(0, 10, 5), "lee.sales", AuthorshipHuman)
	m := measure(&MetricsOptions{Calendars: map[dealer.Rooftop]*BusinessClock{"downtown": clock}}, downtown, uptown)
	checkSummary(t, "wall", m.All.FirstResponse.Wall, 65*time.Hour, 5*time.Minute)
	checkSummary(t, "business", m.All.FirstResponse.Business, time.Hour)
	checkSummary(t, "business resolution", m.ByRooftop["downtown"].Resolution.Business, 1*time.Hour+30*time.Minute)
	checkSummary(t, "uptown has no calendar", m.ByRooftop["uptown"].FirstResponse.Business)
}

func TestMeterOutreach(t *testing.T) {
	var seq uint64
	s := newScript(&seq, 1, "downtown").
		ev(at(0, 10, 0), opened("sam.sales", "sales")).
		out(at(0, 10, 0), "sam.sales", AuthorshipHuman).
		out(at(0, 10, 5), "sam.sales", AuthorshipTemplate).
		in(at(0, 11, 0), channel.KindSMS). // a reply to both
		out(at(0, 12, 0), "campaigns", AuthorshipAutomated).
		in(at(3, 12, 0), channel.KindSMS) // too late: 72h
	failed := s.out(at(3, 13, 0), "sam.sales", AuthorshipHuman)
	failed.is[len(failed.is)-1].Delivery = Delivery{Status: StatusFailed, At: at(3, 13, 0), Reason: "landline"}
	s.out(at(4, 9, 0), "campaigns", AuthorshipAutomated). // window closes at day 6 09:00: before To
								out(at(6, 12, 0), "campaigns", AuthorshipAutomated) // window open at To: undecided
	loose := newScript(&seq, 0, "downtown")
	loose.add(Interaction{Channel: channel.KindEmail, Direction: DirectionOutbound, Kind: KindEmail, Authorship: AuthorshipAutomated,
		OccurredAt: at(0, 8, 0), Participants: []Participant{{Staff: "campaigns", Role: RoleSystem}}})
	loose.is[0].Conversation = ConversationID{}
	m := measure(&MetricsOptions{To: at(7, 0, 0)}, s, loose)
	want := map[Authorship]Outreach{
		AuthorshipHuman:     {Sent: 2, Failed: 1, Decided: 1, Replied: 1},
		AuthorshipTemplate:  {Sent: 1, Decided: 1, Replied: 1},
		AuthorshipAutomated: {Sent: 4, Decided: 2},
	}
	if !reflect.DeepEqual(m.All.Outbound, want) {
		t.Fatalf("got  %+v\nwant %+v", m.All.Outbound, want)
	}
	if got := m.All.Share(AuthorshipAutomated); got != 4.0/7 {
		t.Errorf("automated share %v", got)
	}
	if got := m.All.Outbound[AuthorshipHuman].ReplyRate(); got != 1 {
		t.Errorf("human reply rate %v", got)
	}
	if got := m.ByStaff["campaigns"].Outbound[AuthorshipAutomated]; got != (Outreach{Sent: 4, Decided: 2}) {
		t.Errorf("campaigns %+v", got)
	}
	if got := m.ByChannel[channel.KindEmail].Outbound[AuthorshipAutomated]; got != (Outreach{Sent: 1}) {
		t.Errorf("email %+v", got)
	}
	// Without an end, no window closes.
	m = measure(nil, s)
	if got := m.All.Outbound[AuthorshipAutomated]; got != (Outreach{Sent: 3, Decided: 1}) {
		t.Errorf("no end: %+v", got)
	}
	if (Figures{}).Share(AuthorshipHuman) != 0 || (Outreach{}).ReplyRate() != 0 {
		t.Error("rates of nothing")
	}
}

func TestMeterRangeAndOrder(t *testing.T) {
	var seq uint64
	s := newScript(&seq, 1, "downtown").
		ev(at(0, 10, 0), opened("sam.sales", "sales")).
		in(at(0, 10, 0), channel.KindSMS).
		out(at(0, 10, 5), "sam.sales", AuthorshipHuman). // before From
		in(at(1, 10, 0), channel.KindSMS).
		out(at(1, 10, 7), "sam.sales", AuthorshipHuman). // inside
		in(at(2, 9, 0), channel.KindSMS).
		in(at(1, 23, 0), channel.KindSMS).              // out of order
		out(at(2, 10, 0), "sam.sales", AuthorshipHuman) // at To: ignored
	m := measure(&MetricsOptions{From: at(1, 0, 0), To: at(2, 10, 0)}, s)
	checkSummary(t, "first", m.All.FirstResponse.Wall)
	checkSummary(t, "next", m.All.NextResponse.Wall, 7*time.Minute)
	if m.Ignored != 2 || m.All.Inbound != 2 || m.All.StillWaiting != 1 {
		t.Errorf("ignored %d inbound %d waiting %d", m.Ignored, m.All.Inbound, m.All.StillWaiting)
	}
	if !m.From.Equal(at(1, 0, 0)) || m.ReplyWindow != DefaultReplyWindow {
		t.Errorf("options %v %v", m.From, m.ReplyWindow)
	}
}

func TestMeterAnsweredCallAndHandoff(t *testing.T) {
	var seq uint64
	s := newScript(&seq, 1, "downtown").
		ev(at(0, 10, 0), opened("sam.sales", "sales")).
		in(at(0, 10, 0), channel.KindSMS).
		add(Interaction{Channel: channel.KindVoice, Direction: DirectionInbound, Kind: KindCall, OccurredAt: at(0, 10, 7),
			Call: &Call{Outcome: CallOutcomeAnswered}, Participants: []Participant{{Staff: "sam.sales", Role: RoleSalesperson}}}).
		ev(at(0, 11, 0), LifecycleEvent{Action: ActionHandoffAccepted, Status: ConversationStatusOpen, By: "fay.fi", From: "sam.sales", To: "fay.fi", Team: "finance"}).
		in(at(0, 11, 30), channel.KindSMS).
		out(at(0, 11, 45), "fay.fi", AuthorshipHuman).
		ev(at(0, 12, 0), resolved)
	m := measure(nil, s)
	checkSummary(t, "answered call", m.ByStaff["sam.sales"].FirstResponse.Wall, 7*time.Minute)
	checkSummary(t, "by channel of the message", m.ByChannel[channel.KindSMS].FirstResponse.Wall, 7*time.Minute)
	checkSummary(t, "fay", m.ByStaff["fay.fi"].NextResponse.Wall, 15*time.Minute)
	checkSummary(t, "finance", m.ByTeam["finance"].NextResponse.Wall, 15*time.Minute)
	checkSummary(t, "resolution by the owner at the end", m.ByStaff["fay.fi"].Resolution.Wall, 2*time.Hour)
	checkSummary(t, "sales resolved nothing", m.ByTeam["sales"].Resolution.Wall)
}

func TestMeterClosed(t *testing.T) {
	var seq uint64
	s := newScript(&seq, 1, "downtown").
		ev(at(0, 10, 0), opened("sam.sales", "sales")).
		in(at(0, 10, 0), channel.KindSMS).
		out(at(0, 10, 10), "sam.sales", AuthorshipHuman).
		ev(at(0, 11, 0), LifecycleEvent{Action: ActionClosed, Status: ConversationStatusClosed}).
		in(at(0, 12, 0), channel.KindSMS)
	m := measure(nil, s)
	checkSummary(t, "closing resolves", m.All.Resolution.Wall, time.Hour)
	if m.Ignored != 1 || m.All.Inbound != 1 {
		t.Errorf("%+v", m)
	}
}

func TestMeterResultIsRepeatable(t *testing.T) {
	var seq uint64
	s := newScript(&seq, 1, "downtown").
		ev(at(0, 10, 0), opened("sam.sales", "sales")).
		in(at(0, 10, 0), channel.KindSMS).
		out(at(0, 10, 9), "sam.sales", AuthorshipHuman).
		in(at(0, 10, 20), channel.KindSMS)
	m := NewMeter(&MetricsOptions{To: at(5, 0, 0)})
	for k := range s.is[:4] {
		m.Add(&s.is[k])
	}
	first, again := m.Result(), m.Result()
	if !reflect.DeepEqual(first, again) || first.All.StillWaiting != 1 {
		t.Fatalf("%+v\n%+v", first, again)
	}
	s.out(at(0, 10, 30), "sam.sales", AuthorshipHuman)
	m.Add(&s.is[4])
	after := m.Result()
	if after.All.StillWaiting != 0 || after.All.NextResponse.Wall.Count != 1 || after.All.Outbound[AuthorshipHuman] != (Outreach{Sent: 2, Decided: 2, Replied: 1}) {
		t.Fatalf("%+v", after.All)
	}
}

// Measure orders its input; the generated timeline measures the same fed
// to a Meter in order and shuffled into Measure.
func TestMeasureOrders(t *testing.T) {
	var is []Interaction
	for i := range generateTimeline(20_000, 7) {
		is = append(is, i)
	}
	opts := &MetricsOptions{To: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), Calendars: benchCalendars(t)}
	m := NewMeter(opts)
	for k := range is {
		m.Add(&is[k])
	}
	want := m.Result()
	shuffled := slices.Clone(is)
	rand.New(rand.NewPCG(1, 1)).Shuffle(len(shuffled), func(a, b int) { shuffled[a], shuffled[b] = shuffled[b], shuffled[a] })
	if got := Measure(shuffled, opts); !reflect.DeepEqual(got, want) {
		t.Fatalf("Measure differs:\n%+v\n%+v", got.All, want.All)
	}
	if want.Ignored != 0 || want.All.FirstResponse.Wall.Count == 0 || want.All.Resolution.Business.Count == 0 ||
		want.All.Unanswered == 0 || len(want.All.Outbound) != 4 || len(want.ByStaff) < 10 {
		t.Fatalf("the generated timeline misses cases: ignored %d, %d staff: %+v", want.Ignored, len(want.ByStaff), want.All)
	}
	for _, i := range is[:2000] {
		if err := i.Validate(); err != nil {
			t.Fatalf("generated interaction invalid: %v", err)
		}
	}
}

func TestSummarize(t *testing.T) {
	var ds []time.Duration
	for k := 10; k >= 1; k-- {
		ds = append(ds, time.Duration(k)*time.Second)
	}
	if got, want := summarize(ds), (Summary{Count: 10, Mean: 5500 * time.Millisecond, P50: 5 * time.Second, P90: 9 * time.Second, Max: 10 * time.Second}); got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if got := summarize([]time.Duration{3, 1}); got.P50 != 1 || got.P90 != 3 || got.Mean != 2 {
		t.Errorf("two: %+v", got)
	}
	if got := summarize([]time.Duration{7}); got != (Summary{Count: 1, Mean: 7, P50: 7, P90: 7, Max: 7}) {
		t.Errorf("one: %+v", got)
	}
	if summarize(nil) != (Summary{}) {
		t.Error("none")
	}
}

func TestMetricsJSON(t *testing.T) {
	var is []Interaction
	for i := range generateTimeline(3000, 3) {
		is = append(is, i)
	}
	m := Measure(is, &MetricsOptions{To: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Calendars: benchCalendars(t)})
	m.All.Outbound["teleport"] = Outreach{Sent: 1}
	b := roundTrip(t, m)
	var raw map[string]any
	if err := json.Unmarshal(b, &raw); err != nil || raw["by_staff"] == nil || raw["reply_window_ns"] == nil {
		t.Fatalf("%v %s", err, b[:200])
	}
}

func TestChronologicalPlacesStepsAtOneInstant(t *testing.T) {
	at := time.Date(2026, 11, 10, 14, 0, 0, 0, time.UTC)
	step := func(id byte, a Action, when time.Time) Interaction {
		return Interaction{ID: ID{id}, Kind: KindLifecycle, Direction: DirectionInternal, OccurredAt: when, Lifecycle: &LifecycleEvent{Action: a, At: when}}
	}
	msg := Interaction{ID: ID{1}, Kind: KindMessage, Direction: DirectionInbound, OccurredAt: at}
	tests := []struct {
		a, b Interaction
		want int
	}{
		{step(9, ActionOpened, at), msg, -1},                 // opened before the message it opened, whatever the IDs
		{step(9, ActionEscalated, at), msg, -1},              // handed over, then answered
		{step(0, ActionResolved, at), msg, 1},                // the last message, then resolved
		{step(0, ActionHandoffOffered, at), msg, -1},         // no rank: by ID
		{step(9, ActionOpened, at.Add(time.Second)), msg, 1}, // time first
		{msg, Interaction{ID: ID{2}, Kind: KindMessage, OccurredAt: at}, -1},
	}
	for _, tt := range tests {
		if got := Chronological(&tt.a, &tt.b); got != tt.want {
			t.Errorf("Chronological(%s %v, %s) = %d, want %d", tt.a.Kind, tt.a.ID[0], tt.b.Kind, got, tt.want)
		}
		if got := Chronological(&tt.b, &tt.a); got != -tt.want {
			t.Errorf("Chronological is not antisymmetric for %s, %s", tt.a.Kind, tt.b.Kind)
		}
	}
	// Measure orders the same way: the message that opens a bot-owned
	// conversation belongs to the bot even when its ID sorts first.
	conv := ConversationID{7}
	in := msg
	in.Conversation, in.Channel, in.Rooftop = conv, "sms", "downtown"
	opened := step(9, ActionOpened, at)
	opened.Conversation, opened.Lifecycle.To, opened.Lifecycle.Status = conv, "sales-bot", ConversationStatusPending
	m := Measure([]Interaction{in, opened}, nil)
	if m.ByStaff["sales-bot"].Inbound != 1 {
		t.Errorf("the opening message is not the bot's: %+v", m.ByStaff)
	}
	if m := Measure([]Interaction{in, opened}, &MetricsOptions{Rooftops: []dealer.Rooftop{"uptown"}}); m.All.Inbound != 0 || m.Conversations != 0 {
		t.Errorf("Rooftops does not narrow the measure: %+v", m.All)
	}
}
