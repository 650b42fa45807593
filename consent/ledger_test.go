package consent

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/rapportcim/rapport/channel"
)

const phone = "tel:+12125550123"

func TestLedgerState(t *testing.T) {
	g := grant(t, phone, t0) // express written, sms, marketing, downtown
	key := g.Key()
	implied := func(captured time.Time, until time.Time) Event {
		return with(g, func(e *Event) {
			e.ID, e.Basis, e.CapturedAt, e.EffectiveTo = testID(20), BasisImpliedPurchase, captured, until
			e.Evidence = Evidence{Method: MethodImport, SourceSystem: "dms"}
		})
	}
	express := func(captured time.Time) Event {
		return with(g, func(e *Event) {
			e.ID, e.Basis, e.CapturedAt = testID(30), BasisExpress, captured
			e.Evidence = Evidence{Method: MethodSMSKeyword, RawText: "START"}
		})
	}
	dnc := func(captured time.Time) Event {
		return with(revoke(g, captured), func(e *Event) { e.ID, e.Action = testID(40), ActionDNCRequest })
	}
	seen := func(captured time.Time) Event {
		return with(g, func(e *Event) { e.ID, e.Action, e.CapturedAt = testID(50), ActionSeen, captured })
	}
	stop := func(captured time.Time) Event {
		return with(revoke(g, captured), func(e *Event) { e.ID = testID(60) })
	}

	tests := []struct {
		name   string
		ledger Ledger
		at     time.Time
		want   ID // zero: no state
		status Status
	}{
		{"empty", nil, t0, ID{}, StatusUnknown},
		{"grant", Ledger{g}, at(day), g.ID, StatusGranted},
		{"before the grant was captured", Ledger{g}, at(-time.Second), ID{}, StatusUnknown},
		{"grant then STOP", Ledger{g, stop(at(day))}, at(2 * day), testID(60), StatusRevoked},
		{"between grant and STOP", Ledger{g, stop(at(day))}, at(day - 1), g.ID, StatusGranted},
		{"STOP then START", Ledger{g, stop(at(day)), express(at(2 * day))}, at(3 * day), testID(30), StatusGranted},
		{"out of ledger order: captured order wins", Ledger{stop(at(day)), g}, at(2 * day), testID(60), StatusRevoked},
		{"tie: later in ledger wins (revoke)", Ledger{g, stop(t0)}, at(day), testID(60), StatusRevoked},
		{"tie: later in ledger wins (grant)", Ledger{stop(t0), g}, at(day), g.ID, StatusGranted},
		{"dnc request", Ledger{g, dnc(at(day))}, at(2 * day), testID(40), StatusDNC},
		{"express grant after dnc", Ledger{dnc(at(-day)), g}, at(day), g.ID, StatusGranted},

		{"implied in its window", Ledger{implied(t0, at(10*day))}, at(day), testID(20), StatusGranted},
		{"implied ends exclusively", Ledger{implied(t0, at(10*day))}, at(10 * day), ID{}, StatusUnknown},
		{"implied after revoke does not override", Ledger{stop(at(-day)), implied(t0, at(10*day))}, at(day), testID(60), StatusRevoked},
		{"implied after dnc does not override", Ledger{dnc(at(-day)), implied(t0, at(10*day))}, at(day), testID(40), StatusDNC},
		{"implied never hides an express grant", Ledger{g, implied(at(day), at(10*day))}, at(2 * day), g.ID, StatusGranted},
		{"implied before a revoke", Ledger{implied(t0, at(10*day)), stop(at(day))}, at(2 * day), testID(60), StatusRevoked},
		{"expired implied uncovers the earlier withdrawal", Ledger{g, stop(at(day)), implied(at(2*day), at(3*day))}, at(4 * day), testID(60), StatusRevoked},
		{"unknown basis counts as implied", Ledger{stop(at(-day)), with(g, func(e *Event) { e.ID, e.Basis = testID(70), "casl_published" })}, at(day), testID(60), StatusRevoked},
		{"unknown basis alone", Ledger{with(g, func(e *Event) { e.ID, e.Basis = testID(70), "casl_published" })}, at(day), testID(70), StatusGranted},

		{"future effective_from", Ledger{with(g, func(e *Event) { e.EffectiveFrom = at(5 * day) })}, at(4 * day), ID{}, StatusUnknown},
		{"from effective_from", Ledger{with(g, func(e *Event) { e.EffectiveFrom = at(5 * day) })}, at(5 * day), g.ID, StatusGranted},
		{"backdated effective_from", Ledger{with(g, func(e *Event) { e.EffectiveFrom = at(-5 * day) })}, at(-day), g.ID, StatusGranted},

		{"seen alone", Ledger{seen(t0)}, at(day), testID(50), StatusSeen},
		{"seen after grant", Ledger{g, seen(at(day))}, at(2 * day), g.ID, StatusGranted},
		{"seen after revoke", Ledger{g, stop(at(day)), seen(at(2 * day))}, at(3 * day), testID(60), StatusRevoked},
		{"seen then grant", Ledger{seen(at(-day)), g}, at(day), g.ID, StatusGranted},

		{"unknown action is skipped", Ledger{g, with(stop(at(day)), func(e *Event) { e.Action = "suspend" })}, at(2 * day), g.ID, StatusGranted},
		{"other keys do not count", Ledger{g,
			with(stop(at(day)), func(e *Event) { e.Purpose = PurposeAll }),
			with(stop(at(day)), func(e *Event) { e.Channel = AllChannels }),
			with(stop(at(day)), func(e *Event) { e.Rooftop = "" }),
			with(stop(at(day)), func(e *Event) { e.Channel = channel.KindVoice }),
			with(stop(at(day)), func(e *Event) { e.Subject.Address = mustAddr(t, "tel:+12125550124") }),
		}, at(2 * day), g.ID, StatusGranted},
		{"extension is ignored", Ledger{g, with(stop(at(day)), func(e *Event) { e.Subject.Address = mustAddr(t, phone+";ext=9") })}, at(2 * day), testID(60), StatusRevoked},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := tt.ledger.State(key, tt.at)
			e, ok := tt.ledger.Latest(key, tt.at)
			if st.Status != tt.status || st.Event != tt.want || ok != (tt.status != StatusUnknown) || e.ID != tt.want {
				t.Fatalf("State = %+v, Latest = %v %v; want status %q resting on %v", st, e.ID, ok, tt.status, tt.want)
			}
			if ok && st != StateOf(e) {
				t.Errorf("State %+v is not StateOf(Latest) %+v", st, StateOf(e))
			}
			// Fold agrees with State on every key it returns, and has this key
			// exactly when State finds something.
			folded := tt.ledger.Fold(tt.at)
			if got, has := folded[key]; has != ok || got != st {
				t.Errorf("Fold()[key] = %+v, %v; State = %+v", got, has, st)
			}
			for k, s := range folded {
				if s2 := tt.ledger.State(k, tt.at); s2 != s {
					t.Errorf("Fold()[%v] = %+v; State = %+v", k, s, s2)
				}
			}
		})
	}
}

func TestStateFields(t *testing.T) {
	g := with(grant(t, phone, t0), func(e *Event) {
		e.Basis, e.EffectiveFrom, e.EffectiveTo = BasisImpliedInquiry, at(-day), at(180*day)
	})
	want := State{Status: StatusGranted, Basis: BasisImpliedInquiry, Method: MethodWebForm, Since: at(-day), Until: at(180 * day), Event: g.ID}
	if got := (Ledger{g}).State(g.Key(), t0); got != want {
		t.Errorf("State = %+v; want %+v", got, want)
	}
	r := revoke(g, at(day))
	want = State{Status: StatusRevoked, Method: MethodSMSKeyword, Since: at(day), Event: r.ID}
	if got := (Ledger{g, r}).State(g.Key(), at(2*day)); got != want {
		t.Errorf("State = %+v; want %+v", got, want)
	}
}

func TestFoldKeys(t *testing.T) {
	g := grant(t, phone, t0)
	email := with(g, func(e *Event) {
		e.ID, e.Subject.Address, e.Channel, e.Purpose = testID(2), mustAddr(t, "mailto:jane.doe@example.com"), channel.KindEmail, PurposeService
	})
	all := with(revoke(g, at(day)), func(e *Event) { e.ID, e.Channel, e.Purpose, e.Rooftop = testID(3), AllChannels, PurposeAll, "" })
	later := with(g, func(e *Event) { e.ID, e.CapturedAt = testID(4), at(30*day) })
	got := Ledger{g, email, all, later}.Fold(at(2 * day))
	want := map[Key]State{
		g.Key():     StateOf(g),
		email.Key(): StateOf(email),
		all.Key():   StateOf(all),
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Fold =\n%v\nwant\n%v", got, want)
	}
	if len(Ledger(nil).Fold(t0)) != 0 {
		t.Error("Fold of an empty ledger is not empty")
	}
}

func TestKeyCovers(t *testing.T) {
	q := Key{Address: mustAddr(t, phone), Channel: channel.KindSMS, Purpose: PurposeMarketing, Rooftop: "downtown"}
	ext := mustAddr(t, phone+";ext=12")
	tests := []struct {
		k    Key
		want bool
	}{
		{q, true},
		{Key{ext, channel.KindSMS, PurposeMarketing, "downtown"}, true},
		{Key{q.Address, AllChannels, PurposeAll, ""}, true},
		{Key{q.Address, AllChannels, PurposeMarketing, "downtown"}, true},
		{Key{q.Address, channel.KindSMS, PurposeAll, "downtown"}, true},
		{Key{q.Address, channel.KindSMS, PurposeMarketing, ""}, true},
		{Key{q.Address, channel.KindVoice, PurposeMarketing, "downtown"}, false},
		{Key{q.Address, channel.KindSMS, PurposeService, "downtown"}, false},
		{Key{q.Address, channel.KindSMS, PurposeMarketing, "uptown"}, false},
		{Key{mustAddr(t, "tel:+12125550124"), AllChannels, PurposeAll, ""}, false},
	}
	for _, tt := range tests {
		if got := tt.k.Covers(q); got != tt.want {
			t.Errorf("%+v.Covers(q) = %v; want %v", tt.k, got, tt.want)
		}
	}
	// A wildcard in the query matches only the same wildcard.
	if (Key{q.Address, channel.KindSMS, PurposeMarketing, "downtown"}).Covers(Key{q.Address, channel.KindSMS, PurposeMarketing, ""}) {
		t.Error("a rooftop's consent covers a query for every rooftop")
	}
}

// ledger20 is a 20-event ledger for one customer with two numbers and an
// email address, over several keys: the size the decision rules must handle
// without allocating.
func ledger20(t testing.TB) (Ledger, Key) {
	g := grant(t, phone, t0)
	other := mustAddr(t, "tel:+12125550124")
	mail := mustAddr(t, "mailto:jane.doe@example.com")
	var l Ledger
	for i := range 20 {
		e := with(g, func(e *Event) { e.ID, e.CapturedAt = testID(byte(i+1)), at(time.Duration(i)*day) })
		switch i % 5 {
		case 0:
			e = revoke(e, e.CapturedAt)
		case 1:
			e.Subject.Address = other
		case 2:
			e.Subject.Address, e.Channel, e.Purpose = mail, channel.KindEmail, PurposeService
		case 3:
			e.Action = ActionSeen
		}
		l = append(l, e)
	}
	return l, g.Key()
}

func TestLookupAllocatesNothing(t *testing.T) {
	l, k := ledger20(t)
	k.Address = mustAddr(t, phone+";ext=7") // the lookup takes the line itself
	now := at(30 * day)
	if st := l.State(k, now); st.Status != StatusGranted {
		t.Fatalf("State = %+v; want granted", st)
	}
	if n := testing.AllocsPerRun(100, func() { _ = l.State(k, now) }); n != 0 {
		t.Errorf("State allocates %v times per call", n)
	}
	if n := testing.AllocsPerRun(100, func() { _, _ = l.Latest(k, now) }); n != 0 {
		t.Errorf("Latest allocates %v times per call", n)
	}
	if n := testing.AllocsPerRun(100, func() { _ = k.Covers(k) }); n != 0 {
		t.Errorf("Covers allocates %v times per call", n)
	}
}

func BenchmarkState(b *testing.B) {
	l, k := ledger20(b)
	now := at(30 * day)
	// baseline: fold the whole ledger into a map and look the key up.
	b.Run("baseline", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = l.Fold(now)[k]
		}
	})
	b.Run("rapport", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = l.State(k, now)
		}
	})
}

func TestEnums(t *testing.T) {
	check := func(name string, list []enumValue, zero enumValue) {
		t.Helper()
		for _, v := range list {
			if !v.Known() || v.String() == "" || !isToken(v.String(), maxTokenLen) {
				t.Errorf("%s %q: Known %v", name, v, v.Known())
			}
		}
		if zero.Known() || zero.String() != "" {
			t.Errorf("zero %s is known", name)
		}
	}
	check("Action", asEnums(Actions()), ActionUnknown)
	check("Purpose", asEnums(Purposes()), PurposeUnknown)
	check("Basis", asEnums(Bases()), BasisUnknown)
	check("Method", asEnums(Methods()), MethodUnknown)
	check("Status", asEnums(Statuses()), StatusUnknown)
	if !PurposeAll.Known() || fmt.Sprint(Purposes()) != "[service marketing survey]" {
		t.Errorf("PurposeAll known %v; Purposes %v", PurposeAll.Known(), Purposes())
	}
	if AllChannels.Known() {
		t.Error("AllChannels is a channel.Kind the channel package knows; Validate's special case is stale")
	}
	for _, a := range Actions() {
		if statusOf(a) == StatusUnknown {
			t.Errorf("action %q has no status", a)
		}
	}
	for _, b := range Bases() {
		if b.Express() == b.Implied() {
			t.Errorf("basis %q: Express %v, Implied %v", b, b.Express(), b.Implied())
		}
	}
	if Basis("casl_published").Express() || Basis("casl_published").Implied() {
		t.Error("an unknown basis is classed")
	}
	if !StatusGranted.Granted() || Status("granted_maybe").Granted() || StatusSeen.Granted() {
		t.Error("Granted is wrong")
	}
}

type enumValue interface {
	Known() bool
	String() string
}

func asEnums[T enumValue](list []T) []enumValue {
	out := make([]enumValue, len(list))
	for i, v := range list {
		out[i] = v
	}
	return out
}
