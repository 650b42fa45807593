package interaction

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/dealer"
)

// newConversation returns a conversation not yet opened, owned by an
// automated handler when bot is set.
func newConversation(t testing.TB, bot bool) Conversation {
	t.Helper()
	c := Conversation{
		Tenant:   "acme-auto-group",
		Rooftop:  "acme-honda-downtown",
		Customer: customerID(t, jane),
		Channel:  channel.KindSMS,
	}
	if bot {
		c.Handler = "sales-bot"
	}
	return c
}

// in returns c in status s, opened at t0 and owned by sam.sales (or only
// by the handler when pending).
func in(t testing.TB, s ConversationStatus) Conversation {
	t.Helper()
	c := newConversation(t, s == ConversationStatusPending)
	c.Status, c.OpenedAt = s, t0
	if s != ConversationStatusPending {
		c.Owner, c.Team = "sam.sales", "sales-floor"
	}
	switch s {
	case ConversationStatusSnoozed:
		c.SnoozedUntil = t2
	case ConversationStatusResolved:
		c.ResolvedAt = t1
	case ConversationStatusClosed:
		c.ClosedAt = t1
	}
	return c
}

func withHandoff(c Conversation, to dealer.Staff, team dealer.Team) Conversation {
	c.PendingHandoff = &Handoff{From: c.Owner, To: to, Team: team, Reason: "F&I paperwork", At: t1}
	return c
}

func TestConversationLifecycle(t *testing.T) {
	at := t2
	tests := []struct {
		name  string
		conv  Conversation
		op    func(*Conversation) (LifecycleEvent, error)
		errs  []error // wanted sentinels; nil for success
		check func(t *testing.T, c Conversation, ev LifecycleEvent)
	}{
		{"open without handler is open", newConversation(t, false),
			func(c *Conversation) (LifecycleEvent, error) { return c.Open(at) }, nil,
			func(t *testing.T, c Conversation, ev LifecycleEvent) {
				if c.Status != ConversationStatusOpen || !c.OpenedAt.Equal(at) || ev.Status != ConversationStatusOpen {
					t.Fatalf("%+v %+v", c, ev)
				}
			}},
		{"open owned by a handler is pending", newConversation(t, true),
			func(c *Conversation) (LifecycleEvent, error) { return c.Open(at) }, nil,
			func(t *testing.T, c Conversation, ev LifecycleEvent) {
				if c.Status != ConversationStatusPending || ev.To != "sales-bot" || ev.Action != ActionOpened {
					t.Fatalf("%+v %+v", c, ev)
				}
			}},
		{"open twice", in(t, ConversationStatusOpen),
			func(c *Conversation) (LifecycleEvent, error) { return c.Open(at) }, []error{ErrInvalidTransition}, nil},
		{"escalate to a person", in(t, ConversationStatusPending),
			func(c *Conversation) (LifecycleEvent, error) {
				return c.Escalate("sam.sales", "sales-floor", "customer asked for a person", at)
			}, nil,
			func(t *testing.T, c Conversation, ev LifecycleEvent) {
				if c.Status != ConversationStatusOpen || c.Owner != "sam.sales" || c.Team != "sales-floor" || c.Handler != "" {
					t.Fatalf("%+v", c)
				}
				want := LifecycleEvent{Action: ActionEscalated, At: at, Status: ConversationStatusOpen, From: "sales-bot", To: "sam.sales", Team: "sales-floor", Reason: "customer asked for a person"}
				if ev != want {
					t.Fatalf("event %+v, want %+v", ev, want)
				}
			}},
		{"escalate to a team's queue", in(t, ConversationStatusPending),
			func(c *Conversation) (LifecycleEvent, error) { return c.Escalate("", "bdc", "pricing question", at) }, nil,
			func(t *testing.T, c Conversation, ev LifecycleEvent) {
				if c.Status != ConversationStatusOpen || c.Owner != "" || c.Team != "bdc" {
					t.Fatalf("%+v", c)
				}
			}},
		{"escalate without reason", in(t, ConversationStatusPending),
			func(c *Conversation) (LifecycleEvent, error) { return c.Escalate("sam.sales", "", "", at) },
			[]error{ErrInvalidTransition, ErrMissing}, nil},
		{"escalate to nobody", in(t, ConversationStatusPending),
			func(c *Conversation) (LifecycleEvent, error) { return c.Escalate("", "", "why", at) },
			[]error{ErrInvalidTransition, ErrMissing}, nil},
		{"escalate with a two-line reason", in(t, ConversationStatusPending),
			func(c *Conversation) (LifecycleEvent, error) { return c.Escalate("sam.sales", "", "a\nb", at) },
			[]error{ErrInvalidTransition, ErrInvalid}, nil},
		{"escalate to a malformed staff id", in(t, ConversationStatusPending),
			func(c *Conversation) (LifecycleEvent, error) { return c.Escalate("sam sales", "", "why", at) },
			[]error{ErrInvalidTransition, ErrInvalid}, nil},
		{"escalate an open conversation", in(t, ConversationStatusOpen),
			func(c *Conversation) (LifecycleEvent, error) { return c.Escalate("tom", "", "why", at) },
			[]error{ErrInvalidTransition}, nil},
		{"escalate at no time", in(t, ConversationStatusPending),
			func(c *Conversation) (LifecycleEvent, error) { return c.Escalate("tom", "", "why", time.Time{}) },
			[]error{ErrInvalidTransition, ErrMissing}, nil},
		{"escalate before opening", in(t, ConversationStatusPending),
			func(c *Conversation) (LifecycleEvent, error) {
				return c.Escalate("tom", "", "why", t0.Add(-time.Second))
			},
			[]error{ErrInvalidTransition, ErrInvalid}, nil},
		{"assign: previous owner follows", in(t, ConversationStatusOpen),
			func(c *Conversation) (LifecycleEvent, error) { return c.Assign("tom.sales", "", at) }, nil,
			func(t *testing.T, c Conversation, ev LifecycleEvent) {
				if c.Owner != "tom.sales" || c.Team != "sales-floor" || !slices.Equal(c.Followers, []dealer.Staff{"sam.sales"}) {
					t.Fatalf("%+v", c)
				}
				if ev.From != "sam.sales" || ev.To != "tom.sales" || ev.Status != ConversationStatusOpen {
					t.Fatalf("%+v", ev)
				}
			}},
		{"assign a follower: no longer a follower", func() Conversation {
			c := in(t, ConversationStatusOpen)
			c.Followers = []dealer.Staff{"mia.manager", "tom.sales"}
			return c
		}(),
			func(c *Conversation) (LifecycleEvent, error) { return c.Assign("tom.sales", "", at) }, nil,
			func(t *testing.T, c Conversation, ev LifecycleEvent) {
				if !slices.Equal(c.Followers, []dealer.Staff{"mia.manager", "sam.sales"}) {
					t.Fatalf("followers %v", c.Followers)
				}
			}},
		{"assign withdraws a pending handoff", withHandoff(in(t, ConversationStatusOpen), "fay.fi", ""),
			func(c *Conversation) (LifecycleEvent, error) { return c.Assign("tom.sales", "", at) }, nil,
			func(t *testing.T, c Conversation, ev LifecycleEvent) {
				if c.PendingHandoff != nil {
					t.Fatal("handoff kept")
				}
			}},
		{"assign a resolved conversation", in(t, ConversationStatusResolved),
			func(c *Conversation) (LifecycleEvent, error) { return c.Assign("tom.sales", "", at) }, nil, nil},
		{"assign the owner again", in(t, ConversationStatusOpen),
			func(c *Conversation) (LifecycleEvent, error) { return c.Assign("sam.sales", "sales-floor", at) },
			[]error{ErrInvalidTransition, ErrMismatch}, nil},
		{"assign nobody", in(t, ConversationStatusOpen),
			func(c *Conversation) (LifecycleEvent, error) { return c.Assign("", "", at) },
			[]error{ErrInvalidTransition, ErrMissing}, nil},
		{"assign a pending conversation", in(t, ConversationStatusPending),
			func(c *Conversation) (LifecycleEvent, error) { return c.Assign("sam.sales", "", at) },
			[]error{ErrInvalidTransition}, nil},
		{"offer a handoff", in(t, ConversationStatusOpen),
			func(c *Conversation) (LifecycleEvent, error) {
				return c.OfferHandoff("fay.fi", "finance", "ready to sign", at)
			}, nil,
			func(t *testing.T, c Conversation, ev LifecycleEvent) {
				want := Handoff{From: "sam.sales", To: "fay.fi", Team: "finance", Reason: "ready to sign", At: at}
				if c.PendingHandoff == nil || *c.PendingHandoff != want || c.Owner != "sam.sales" {
					t.Fatalf("%+v", c.PendingHandoff)
				}
				if ev.Action != ActionHandoffOffered || ev.From != "sam.sales" || ev.To != "fay.fi" || ev.Reason != "ready to sign" {
					t.Fatalf("%+v", ev)
				}
			}},
		{"offer a handoff while another is pending", withHandoff(in(t, ConversationStatusOpen), "fay.fi", ""),
			func(c *Conversation) (LifecycleEvent, error) { return c.OfferHandoff("tom", "", "why", at) },
			[]error{ErrInvalidTransition}, nil},
		{"offer a handoff to the owner", in(t, ConversationStatusOpen),
			func(c *Conversation) (LifecycleEvent, error) { return c.OfferHandoff("sam.sales", "", "why", at) },
			[]error{ErrInvalidTransition, ErrMismatch}, nil},
		{"offer a handoff without reason", in(t, ConversationStatusOpen),
			func(c *Conversation) (LifecycleEvent, error) { return c.OfferHandoff("fay.fi", "", "", at) },
			[]error{ErrInvalidTransition, ErrMissing}, nil},
		{"offer a handoff from pending", in(t, ConversationStatusPending),
			func(c *Conversation) (LifecycleEvent, error) { return c.OfferHandoff("fay.fi", "", "why", at) },
			[]error{ErrInvalidTransition}, nil},
		{"accept: owner changes, previous owner follows", withHandoff(in(t, ConversationStatusOpen), "fay.fi", "finance"),
			func(c *Conversation) (LifecycleEvent, error) { return c.AcceptHandoff("fay.fi", at) }, nil,
			func(t *testing.T, c Conversation, ev LifecycleEvent) {
				if c.Owner != "fay.fi" || c.Team != "finance" || c.PendingHandoff != nil || !slices.Equal(c.Followers, []dealer.Staff{"sam.sales"}) {
					t.Fatalf("%+v", c)
				}
				want := LifecycleEvent{Action: ActionHandoffAccepted, At: at, Status: ConversationStatusOpen, By: "fay.fi", From: "sam.sales", To: "fay.fi", Team: "finance", Reason: "F&I paperwork"}
				if ev != want {
					t.Fatalf("event %+v, want %+v", ev, want)
				}
			}},
		{"accept a team handoff", withHandoff(in(t, ConversationStatusSnoozed), "", "finance"),
			func(c *Conversation) (LifecycleEvent, error) { return c.AcceptHandoff("fay.fi", at) }, nil,
			func(t *testing.T, c Conversation, ev LifecycleEvent) {
				if c.Owner != "fay.fi" || c.Status != ConversationStatusSnoozed {
					t.Fatalf("%+v", c)
				}
			}},
		{"accept someone else's handoff", withHandoff(in(t, ConversationStatusOpen), "fay.fi", ""),
			func(c *Conversation) (LifecycleEvent, error) { return c.AcceptHandoff("tom.sales", at) },
			[]error{ErrInvalidTransition, ErrMismatch}, nil},
		{"accept a team handoff by the one who offered it", withHandoff(in(t, ConversationStatusOpen), "", "finance"),
			func(c *Conversation) (LifecycleEvent, error) { return c.AcceptHandoff("sam.sales", at) },
			[]error{ErrInvalidTransition, ErrMismatch}, nil},
		{"accept with no handoff", in(t, ConversationStatusOpen),
			func(c *Conversation) (LifecycleEvent, error) { return c.AcceptHandoff("fay.fi", at) },
			[]error{ErrInvalidTransition}, nil},
		{"accept by nobody", withHandoff(in(t, ConversationStatusOpen), "", "finance"),
			func(c *Conversation) (LifecycleEvent, error) { return c.AcceptHandoff("", at) },
			[]error{ErrInvalidTransition, ErrMissing}, nil},
		{"decline", withHandoff(in(t, ConversationStatusOpen), "fay.fi", ""),
			func(c *Conversation) (LifecycleEvent, error) {
				return c.DeclineHandoff("fay.fi", "not my customer", at)
			}, nil,
			func(t *testing.T, c Conversation, ev LifecycleEvent) {
				if c.Owner != "sam.sales" || c.PendingHandoff != nil || ev.Action != ActionHandoffDeclined || ev.Reason != "not my customer" || ev.To != "fay.fi" {
					t.Fatalf("%+v %+v", c, ev)
				}
			}},
		{"withdraw by the offering owner", withHandoff(in(t, ConversationStatusOpen), "fay.fi", ""),
			func(c *Conversation) (LifecycleEvent, error) { return c.DeclineHandoff("sam.sales", "", at) }, nil, nil},
		{"decline by a stranger", withHandoff(in(t, ConversationStatusOpen), "fay.fi", ""),
			func(c *Conversation) (LifecycleEvent, error) { return c.DeclineHandoff("tom.sales", "", at) },
			[]error{ErrInvalidTransition, ErrMismatch}, nil},
		{"snooze until a time", in(t, ConversationStatusOpen),
			func(c *Conversation) (LifecycleEvent, error) { return c.Snooze(at.Add(time.Hour), at) }, nil,
			func(t *testing.T, c Conversation, ev LifecycleEvent) {
				if c.Status != ConversationStatusSnoozed || !c.SnoozedUntil.Equal(at.Add(time.Hour)) || !ev.Until.Equal(at.Add(time.Hour)) {
					t.Fatalf("%+v", c)
				}
			}},
		{"snooze until the customer writes", in(t, ConversationStatusOpen),
			func(c *Conversation) (LifecycleEvent, error) { return c.Snooze(time.Time{}, at) }, nil, nil},
		{"snooze again", in(t, ConversationStatusSnoozed),
			func(c *Conversation) (LifecycleEvent, error) { return c.Snooze(at.Add(time.Hour), at) }, nil, nil},
		{"snooze into the past", in(t, ConversationStatusOpen),
			func(c *Conversation) (LifecycleEvent, error) { return c.Snooze(at, at) },
			[]error{ErrInvalidTransition, ErrInvalid}, nil},
		{"snooze a pending conversation", in(t, ConversationStatusPending),
			func(c *Conversation) (LifecycleEvent, error) { return c.Snooze(time.Time{}, at) },
			[]error{ErrInvalidTransition}, nil},
		{"wake", in(t, ConversationStatusSnoozed),
			func(c *Conversation) (LifecycleEvent, error) { return c.Wake(at) }, nil,
			func(t *testing.T, c Conversation, ev LifecycleEvent) {
				if c.Status != ConversationStatusOpen || !c.SnoozedUntil.IsZero() {
					t.Fatalf("%+v", c)
				}
			}},
		{"wake an open conversation", in(t, ConversationStatusOpen),
			func(c *Conversation) (LifecycleEvent, error) { return c.Wake(at) }, []error{ErrInvalidTransition}, nil},
		{"resolve", func() Conversation {
			c := in(t, ConversationStatusSnoozed)
			c.WaitingSince = t1
			return c
		}(),
			func(c *Conversation) (LifecycleEvent, error) { return c.Resolve(at) }, nil,
			func(t *testing.T, c Conversation, ev LifecycleEvent) {
				if c.Status != ConversationStatusResolved || !c.ResolvedAt.Equal(at) || !c.SnoozedUntil.IsZero() || !c.WaitingSince.IsZero() {
					t.Fatalf("%+v", c)
				}
			}},
		{"resolve by the handler", in(t, ConversationStatusPending),
			func(c *Conversation) (LifecycleEvent, error) { return c.Resolve(at) }, nil, nil},
		{"resolve twice", in(t, ConversationStatusResolved),
			func(c *Conversation) (LifecycleEvent, error) { return c.Resolve(at) }, []error{ErrInvalidTransition}, nil},
		{"reopen", in(t, ConversationStatusResolved),
			func(c *Conversation) (LifecycleEvent, error) { return c.Reopen(at) }, nil,
			func(t *testing.T, c Conversation, ev LifecycleEvent) {
				if c.Status != ConversationStatusOpen || !c.ResolvedAt.Equal(t1) {
					t.Fatalf("%+v", c)
				}
			}},
		{"reopen what the handler resolved: pending again", func() Conversation {
			c := in(t, ConversationStatusPending)
			c.Status, c.ResolvedAt = ConversationStatusResolved, t1
			return c
		}(),
			func(c *Conversation) (LifecycleEvent, error) { return c.Reopen(at) }, nil,
			func(t *testing.T, c Conversation, ev LifecycleEvent) {
				if c.Status != ConversationStatusPending || ev.Status != ConversationStatusPending {
					t.Fatalf("%+v", c)
				}
			}},
		{"reopen an open conversation", in(t, ConversationStatusOpen),
			func(c *Conversation) (LifecycleEvent, error) { return c.Reopen(at) }, []error{ErrInvalidTransition}, nil},
		{"close", withHandoff(in(t, ConversationStatusSnoozed), "fay.fi", ""),
			func(c *Conversation) (LifecycleEvent, error) { return c.Close(at) }, nil,
			func(t *testing.T, c Conversation, ev LifecycleEvent) {
				if c.Status != ConversationStatusClosed || !c.ClosedAt.Equal(at) || c.PendingHandoff != nil || !c.SnoozedUntil.IsZero() {
					t.Fatalf("%+v", c)
				}
			}},
		{"newer status", func() Conversation { c := in(t, ConversationStatusOpen); c.Status = "archived"; return c }(),
			func(c *Conversation) (LifecycleEvent, error) { return c.Close(at) }, []error{ErrInvalidTransition, ErrUnknownStatus}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.conv
			before := clone(c)
			ev, err := tt.op(&c)
			if tt.errs != nil {
				for _, want := range tt.errs {
					if !errors.Is(err, want) {
						t.Fatalf("error %v does not wrap %v", err, want)
					}
				}
				var te *TransitionError
				if !errors.As(err, &te) || te.Record != "conversation" {
					t.Fatalf("error %v is not a conversation *TransitionError", err)
				}
				if !reflect.DeepEqual(c, before) || ev != (LifecycleEvent{}) {
					t.Fatalf("refused change modified the conversation or returned an event: %+v %+v", c, ev)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !ev.At.Equal(at) || ev.Status != c.Status || !ev.Action.Known() {
				t.Fatalf("event %+v for conversation in %s", ev, c.Status)
			}
			if c.Tenant != "" && c.Validate() != nil {
				t.Fatalf("result invalid: %v", c.Validate())
			}
			if ev := (Interaction{Tenant: "t", Conversation: convID(t), Direction: DirectionInternal, Kind: KindLifecycle, OccurredAt: ev.At, Lifecycle: &ev}); ev.Validate() != nil {
				t.Fatalf("event does not record: %v", ev.Validate())
			}
			if tt.check != nil {
				tt.check(t, c, ev)
			}
		})
	}
}

func convID(t testing.TB) ConversationID {
	id, err := ParseConversationID(conv)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// clone deep-copies the parts of c that lifecycle methods replace.
func clone(c Conversation) Conversation {
	c.Followers = slices.Clone(c.Followers)
	if c.PendingHandoff != nil {
		h := *c.PendingHandoff
		c.PendingHandoff = &h
	}
	return c
}

func TestClosedConversationIsImmutable(t *testing.T) {
	closed := withHandoff(in(t, ConversationStatusClosed), "fay.fi", "")
	reason := "customer texted 2125550123"
	ops := map[string]func(*Conversation) (LifecycleEvent, error){
		"open":     func(c *Conversation) (LifecycleEvent, error) { return c.Open(t2) },
		"escalate": func(c *Conversation) (LifecycleEvent, error) { return c.Escalate("tom", "", reason, t2) },
		"assign":   func(c *Conversation) (LifecycleEvent, error) { return c.Assign("tom", "", t2) },
		"offer":    func(c *Conversation) (LifecycleEvent, error) { return c.OfferHandoff("tom", "", reason, t2) },
		"accept":   func(c *Conversation) (LifecycleEvent, error) { return c.AcceptHandoff("fay.fi", t2) },
		"decline":  func(c *Conversation) (LifecycleEvent, error) { return c.DeclineHandoff("fay.fi", reason, t2) },
		"snooze":   func(c *Conversation) (LifecycleEvent, error) { return c.Snooze(time.Time{}, t2) },
		"wake":     func(c *Conversation) (LifecycleEvent, error) { return c.Wake(t2) },
		"resolve":  func(c *Conversation) (LifecycleEvent, error) { return c.Resolve(t2) },
		"reopen":   func(c *Conversation) (LifecycleEvent, error) { return c.Reopen(t2) },
		"close":    func(c *Conversation) (LifecycleEvent, error) { return c.Close(t2) },
		"touch": func(c *Conversation) (LifecycleEvent, error) {
			return c.Touch(Interaction{Direction: DirectionInbound, Kind: KindMessage, Body: reason, OccurredAt: t2})
		},
	}
	for name, op := range ops {
		t.Run(name, func(t *testing.T) {
			c := clone(closed)
			_, err := op(&c)
			var te *TransitionError
			if !errors.Is(err, ErrInvalidTransition) || !errors.As(err, &te) || te.From != "closed" {
				t.Fatalf("got %v", err)
			}
			if strings.Contains(err.Error(), "2125550123") {
				t.Fatalf("error repeats the reason: %v", err)
			}
			if !reflect.DeepEqual(c, closed) {
				t.Fatal("closed conversation changed")
			}
		})
	}
}

func TestTransitionErrorMessage(t *testing.T) {
	c := in(t, ConversationStatusOpen)
	_, err := c.Escalate("tom", "", "why", t2)
	if got, want := err.Error(), "interaction: conversation: escalated from open: invalid status transition: not allowed from this status"; got != want {
		t.Fatalf("got  %q\nwant %q", got, want)
	}
	c = Conversation{}
	_, err = c.Wake(t2)
	if got := err.Error(); !strings.Contains(got, "woke from none") {
		t.Fatalf("got %q", got)
	}
}

// The human's response clock starts at escalation, not when the customer
// first wrote to the handler.
func TestEscalateRestartsWaitingSince(t *testing.T) {
	c := in(t, ConversationStatusPending)
	c.WaitingSince = t0
	if _, err := c.Escalate("sam.sales", "", "asked for a person", t2); err != nil {
		t.Fatal(err)
	}
	if !c.WaitingSince.Equal(t2) {
		t.Fatalf("WaitingSince = %v, want the escalation time", c.WaitingSince)
	}
	c = in(t, ConversationStatusPending)
	if _, err := c.Escalate("sam.sales", "", "asked for a person", t2); err != nil || !c.WaitingSince.IsZero() {
		t.Fatalf("nothing waiting: WaitingSince = %v, %v", c.WaitingSince, err)
	}
}

// The lifecycle methods never write into a Followers array another copy
// of the conversation shares.
func TestLifecycleDoesNotAlias(t *testing.T) {
	base := in(t, ConversationStatusOpen)
	base.Followers = make([]dealer.Staff, 1, 8)
	base.Followers[0] = "mia.manager"
	cp := base
	if _, err := cp.Assign("tom.sales", "", t2); err != nil {
		t.Fatal(err)
	}
	if len(base.Followers) != 1 || base.Followers[:2][1] != "" {
		t.Fatalf("original followers changed: %v", base.Followers[:2])
	}
	h := withHandoff(in(t, ConversationStatusOpen), "fay.fi", "")
	offer := h.PendingHandoff
	cp = h
	if _, err := cp.AcceptHandoff("fay.fi", t2); err != nil || h.PendingHandoff != offer || offer.To != "fay.fi" {
		t.Fatalf("original handoff changed: %+v, %v", h.PendingHandoff, err)
	}
}

func TestTouch(t *testing.T) {
	inbound := func(at time.Time) Interaction {
		return Interaction{Direction: DirectionInbound, Kind: KindMessage, OccurredAt: at}
	}
	reply := func(a Authorship, at time.Time) Interaction {
		return Interaction{Direction: DirectionOutbound, Kind: KindMessage, Authorship: a, OccurredAt: at,
			Participants: []Participant{{Staff: "sam.sales", Role: RoleSalesperson}}}
	}
	t.Run("inbound wakes a snoozed conversation", func(t *testing.T) {
		c := in(t, ConversationStatusSnoozed)
		ev, err := c.Touch(inbound(t2))
		if err != nil || ev.Action != ActionWoke || c.Status != ConversationStatusOpen || !c.SnoozedUntil.IsZero() {
			t.Fatalf("%+v %+v %v", c, ev, err)
		}
		if !c.WaitingSince.Equal(t2) || !c.LastInboundAt.Equal(t2) {
			t.Fatalf("anchors %+v", c)
		}
	})
	t.Run("inbound reopens a resolved conversation", func(t *testing.T) {
		c := in(t, ConversationStatusResolved)
		ev, err := c.Touch(inbound(t2))
		if err != nil || ev.Action != ActionReopened || ev.Status != ConversationStatusOpen || c.Status != ConversationStatusOpen {
			t.Fatalf("%+v %+v %v", c, ev, err)
		}
	})
	t.Run("outbound does not reopen", func(t *testing.T) {
		c := in(t, ConversationStatusResolved)
		ev, err := c.Touch(reply(AuthorshipHuman, t2))
		if err != nil || ev.Action != "" || c.Status != ConversationStatusResolved || !c.LastOutboundAt.Equal(t2) {
			t.Fatalf("%+v %+v %v", c, ev, err)
		}
	})
	t.Run("a note does not wake", func(t *testing.T) {
		c := in(t, ConversationStatusSnoozed)
		if ev, _ := c.Touch(Interaction{Direction: DirectionInbound, Kind: KindSurvey, OccurredAt: t2}); ev.Action != "" || c.Status != ConversationStatusSnoozed {
			t.Fatalf("%+v", c)
		}
	})
	t.Run("a person's reply answers", func(t *testing.T) {
		c := in(t, ConversationStatusOpen)
		c.Touch(inbound(t0))
		c.Touch(inbound(t1))
		if !c.WaitingSince.Equal(t0) {
			t.Fatalf("oldest unanswered message should anchor: %v", c.WaitingSince)
		}
		c.Touch(reply(AuthorshipAutomated, t1))
		if !c.WaitingSince.Equal(t0) || !c.FirstHumanReplyAt.IsZero() {
			t.Fatal("an automated reply answered")
		}
		c.Touch(reply(AuthorshipTemplate, t2))
		if !c.WaitingSince.IsZero() || !c.FirstHumanReplyAt.Equal(t2) {
			t.Fatalf("a person's template did not answer: %+v", c)
		}
	})
	t.Run("a failed reply does not answer", func(t *testing.T) {
		c := in(t, ConversationStatusOpen)
		c.Touch(inbound(t0))
		r := reply(AuthorshipHuman, t1)
		r.Delivery = Delivery{Status: StatusFailed, At: t1, Reason: "unknown subscriber"}
		c.Touch(r)
		if !c.WaitingSince.Equal(t0) {
			t.Fatal("a failed message answered")
		}
	})
	t.Run("an answered inbound call answers", func(t *testing.T) {
		c := in(t, ConversationStatusOpen)
		c.Touch(inbound(t0))
		c.Touch(Interaction{Direction: DirectionInbound, Kind: KindCall, OccurredAt: t1, Call: &Call{Outcome: CallOutcomeAnswered},
			Participants: []Participant{{Staff: "sam.sales", Role: RoleSalesperson}}})
		if !c.WaitingSince.IsZero() || !c.LastInboundAt.Equal(t1) {
			t.Fatalf("%+v", c)
		}
	})
	t.Run("a missed call waits", func(t *testing.T) {
		c := in(t, ConversationStatusOpen)
		c.Touch(Interaction{Direction: DirectionInbound, Kind: KindCall, OccurredAt: t1, Call: &Call{Outcome: CallOutcomeNoAnswer}})
		if !c.WaitingSince.Equal(t1) {
			t.Fatalf("%+v", c)
		}
	})
	t.Run("refused", func(t *testing.T) {
		for _, c := range []Conversation{in(t, ConversationStatusClosed), newConversation(t, false)} {
			if _, err := c.Touch(inbound(t2)); !errors.Is(err, ErrInvalidTransition) {
				t.Errorf("%s: %v", c.Status, err)
			}
		}
		c := in(t, ConversationStatusOpen)
		if _, err := c.Touch(inbound(time.Time{})); !errors.Is(err, ErrMissing) {
			t.Errorf("zero time: %v", err)
		}
	})
	t.Run("newer status: anchors only", func(t *testing.T) {
		c := in(t, ConversationStatusOpen)
		c.Status = "archived"
		if ev, err := c.Touch(inbound(t2)); err != nil || ev.Action != "" || !c.LastInboundAt.Equal(t2) {
			t.Fatalf("%+v %v", ev, err)
		}
	})
}

func TestSnoozeOver(t *testing.T) {
	c := in(t, ConversationStatusSnoozed) // until t2
	for _, tt := range []struct {
		at   time.Time
		want bool
	}{{t1, false}, {t2, true}, {t2.Add(time.Hour), true}} {
		if got := c.SnoozeOver(tt.at); got != tt.want {
			t.Errorf("SnoozeOver(%v) = %v", tt.at, got)
		}
	}
	c.SnoozedUntil = time.Time{}
	if c.SnoozeOver(t2.Add(time.Hour)) {
		t.Error("snoozed until the customer writes is never over")
	}
	if in(t, ConversationStatusOpen).SnoozeOver(t2) {
		t.Error("an open conversation is not snoozed")
	}
}

func TestUnacceptedHandoffs(t *testing.T) {
	a := withHandoff(in(t, ConversationStatusOpen), "fay.fi", "")
	a.PendingHandoff.At = t2
	b := withHandoff(in(t, ConversationStatusResolved), "", "finance")
	b.PendingHandoff.At = t0
	c := withHandoff(in(t, ConversationStatusClosed), "fay.fi", "")
	d := in(t, ConversationStatusOpen)
	got := UnacceptedHandoffs([]Conversation{a, b, c, d})
	if len(got) != 2 || got[0].PendingHandoff.At != t0 || got[1].PendingHandoff.At != t2 {
		t.Fatalf("got %+v", got)
	}
	if UnacceptedHandoffs(nil) != nil {
		t.Fatal("none from nothing")
	}
}

// A whole life: a bot answers, escalates to a salesperson, who hands off to
// F&I; the customer writes after resolution; the conversation is closed.
func TestConversationLife(t *testing.T) {
	c := newConversation(t, true)
	at := t0
	step := func(what string) func(LifecycleEvent, error) LifecycleEvent {
		return func(ev LifecycleEvent, err error) LifecycleEvent {
			t.Helper()
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			if err := c.Validate(); err != nil {
				t.Fatalf("%s: invalid: %v", what, err)
			}
			return ev
		}
	}
	next := func() time.Time { at = at.Add(time.Minute); return at }
	step("open")(c.Open(at))
	step("first message")(c.Touch(Interaction{Direction: DirectionInbound, Kind: KindMessage, OccurredAt: at}))
	step("escalate")(c.Escalate("sam.sales", "sales-floor", "wants a test drive", next()))
	step("offer")(c.OfferHandoff("fay.fi", "finance", "ready to sign", next()))
	step("accept")(c.AcceptHandoff("fay.fi", next()))
	step("snooze")(c.Snooze(at.Add(time.Hour), next()))
	if ev := step("customer writes")(c.Touch(Interaction{Direction: DirectionInbound, Kind: KindMessage, OccurredAt: next()})); ev.Action != ActionWoke {
		t.Fatalf("got %+v", ev)
	}
	step("resolve")(c.Resolve(next()))
	if ev := step("customer writes again")(c.Touch(Interaction{Direction: DirectionInbound, Kind: KindMessage, OccurredAt: next()})); ev.Action != ActionReopened || ev.Status != ConversationStatusOpen {
		t.Fatalf("got %+v", ev)
	}
	step("close")(c.Close(next()))
	if c.Owner != "fay.fi" || c.Team != "finance" || !slices.Equal(c.Followers, []dealer.Staff{"sam.sales"}) || c.Handler != "" {
		t.Fatalf("%+v", c)
	}
}
