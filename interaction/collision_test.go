package interaction

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rapportcim/rapport/dealer"
)

func TestCheckCollision(t *testing.T) {
	now := t0.Add(48 * time.Hour)
	janeID, johnID := customerID(t, jane), customerID(t, john)
	contact := func(who dealer.Staff, role Role, ago time.Duration, mod ...func(*Interaction)) Interaction {
		i := Interaction{Customer: janeID, Direction: DirectionOutbound, Kind: KindMessage, Authorship: AuthorshipHuman,
			OccurredAt: now.Add(-ago), Participants: []Participant{{Staff: who, Role: role}}}
		i.ID[15] = byte(ago / time.Minute)
		for _, m := range mod {
			m(&i)
		}
		return i
	}
	owned := func(owner dealer.Staff, s ConversationStatus) Conversation {
		c := in(t, s)
		c.ID, c.Owner = convID(t), owner
		return c
	}
	intent := Intent{Staff: "sam.sales", Customer: janeID, At: now}
	tests := []struct {
		name   string
		intent Intent
		recent []Interaction
		convs  []Conversation
		policy CollisionPolicy
		want   []CollisionWarning
	}{
		{"nothing", intent, nil, nil, CollisionPolicy{}, nil},
		{"own contacts", intent, []Interaction{contact("sam.sales", RoleSalesperson, time.Hour)}, []Conversation{owned("sam.sales", ConversationStatusOpen)}, CollisionPolicy{}, nil},
		{"another salesperson texted an hour ago", intent,
			[]Interaction{contact("tom.sales", RoleSalesperson, time.Hour)}, nil, CollisionPolicy{},
			[]CollisionWarning{{Reason: CollisionReasonRecentContactByOther, Staff: "tom.sales", At: now.Add(-time.Hour)}}},
		{"latest contact per person, newest first", intent,
			[]Interaction{
				contact("tom.sales", RoleSalesperson, 5*time.Hour),
				contact("bea.bdc", RoleBDC, 3*time.Hour),
				contact("tom.sales", RoleSalesperson, 2*time.Hour),
			}, nil, CollisionPolicy{},
			[]CollisionWarning{
				{Reason: CollisionReasonRecentContactByOther, Staff: "tom.sales", At: now.Add(-2 * time.Hour)},
				{Reason: CollisionReasonRecentContactByOther, Staff: "bea.bdc", At: now.Add(-3 * time.Hour)},
			}},
		{"outside the default window", intent, []Interaction{contact("tom.sales", RoleSalesperson, 25*time.Hour)}, nil, CollisionPolicy{}, nil},
		{"inside a longer window", intent, []Interaction{contact("tom.sales", RoleSalesperson, 25*time.Hour)}, nil, CollisionPolicy{Window: 72 * time.Hour},
			[]CollisionWarning{{Reason: CollisionReasonRecentContactByOther, Staff: "tom.sales", At: now.Add(-25 * time.Hour)}}},
		{"recent-contact check off", intent, []Interaction{contact("tom.sales", RoleSalesperson, time.Hour)}, nil, CollisionPolicy{Window: -1}, nil},
		{"automated messages are not staff contacts", intent, []Interaction{
			contact("campaigns", RoleSystem, time.Hour),
			contact("sales-bot", RoleBot, time.Hour),
			contact("tom.sales", RoleSalesperson, time.Hour, func(i *Interaction) { i.Authorship = AuthorshipAutomated }),
		}, nil, CollisionPolicy{}, nil},
		{"inbound messages and notes are not staff contacts", intent, []Interaction{
			contact("tom.sales", RoleSalesperson, time.Hour, func(i *Interaction) { i.Direction, i.Authorship = DirectionInbound, "" }),
			contact("tom.sales", RoleSalesperson, time.Hour, func(i *Interaction) { i.Direction, i.Kind = DirectionInternal, KindNote }),
		}, nil, CollisionPolicy{}, nil},
		{"an inbound call another salesperson took", intent, []Interaction{
			contact("tom.sales", RoleSalesperson, time.Hour, func(i *Interaction) {
				i.Direction, i.Kind, i.Authorship, i.Call = DirectionInbound, KindCall, "", &Call{Outcome: CallOutcomeAnswered}
			}),
		}, nil, CollisionPolicy{},
			[]CollisionWarning{{Reason: CollisionReasonRecentContactByOther, Staff: "tom.sales", At: now.Add(-time.Hour)}}},
		{"another customer", intent, []Interaction{contact("tom.sales", RoleSalesperson, time.Hour, func(i *Interaction) { i.Customer = johnID })}, nil, CollisionPolicy{}, nil},
		{"owned by someone else", intent, nil, []Conversation{owned("tom.sales", ConversationStatusSnoozed)}, CollisionPolicy{},
			[]CollisionWarning{{Reason: CollisionReasonOwnedByOther, Staff: "tom.sales", Conversation: convID(t)}}},
		{"resolved and closed conversations do not count", intent, nil,
			[]Conversation{owned("tom.sales", ConversationStatusResolved), owned("tom.sales", ConversationStatusClosed), owned("", ConversationStatusOpen)}, CollisionPolicy{}, nil},
		{"only the intended conversation", Intent{Staff: "sam.sales", Customer: janeID, At: now, Conversation: ConversationID{1}}, nil,
			[]Conversation{owned("tom.sales", ConversationStatusOpen)}, CollisionPolicy{}, nil},
		{"ownership first", intent, []Interaction{contact("bea.bdc", RoleBDC, time.Hour)}, []Conversation{owned("tom.sales", ConversationStatusOpen)}, CollisionPolicy{},
			[]CollisionWarning{
				{Reason: CollisionReasonOwnedByOther, Staff: "tom.sales", Conversation: convID(t)},
				{Reason: CollisionReasonRecentContactByOther, Staff: "bea.bdc", At: now.Add(-time.Hour)},
			}},
		{"unknown sender: everyone is someone else", Intent{Customer: janeID, At: now},
			[]Interaction{contact("sam.sales", RoleSalesperson, time.Hour)}, nil, CollisionPolicy{},
			[]CollisionWarning{{Reason: CollisionReasonRecentContactByOther, Staff: "sam.sales", At: now.Add(-time.Hour)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CheckCollision(tt.intent, tt.recent, tt.convs, tt.policy)
			if len(got.Warnings) != len(tt.want) {
				t.Fatalf("got %+v, want %+v", got.Warnings, tt.want)
			}
			for k, w := range tt.want {
				g := got.Warnings[k]
				g.Interaction = ID{} // compared through At
				if g != w {
					t.Errorf("warning %d: got %+v, want %+v", k, got.Warnings[k], w)
				}
			}
			if got.Refused || got.Err() != nil {
				t.Fatal("refused without a refusing policy")
			}
		})
	}
}

func TestCollisionRefuse(t *testing.T) {
	c := in(t, ConversationStatusOpen)
	col := CheckCollision(Intent{Staff: "tom.sales", At: t2}, nil, []Conversation{c}, CollisionPolicy{Refuse: true})
	err := col.Err()
	if !col.Refused || !errors.Is(err, ErrCollision) || !strings.Contains(err.Error(), "owned_by_other_staff (sam.sales)") {
		t.Fatalf("%+v: %v", col, err)
	}
	if col := CheckCollision(Intent{Staff: "sam.sales", At: t2}, nil, []Conversation{c}, CollisionPolicy{Refuse: true}); col.Refused || col.Err() != nil {
		t.Fatalf("refused the owner: %+v", col)
	}
}
