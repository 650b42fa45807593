package interaction

import (
	"testing"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/dealer"
)

func conversation(t testing.TB) Conversation {
	t.Helper()
	id, _ := ParseConversationID(conv)
	return Conversation{
		ID:                id,
		Tenant:            "acme-auto-group",
		Rooftop:           "acme-honda-downtown",
		Customer:          customerID(t, jane),
		Channel:           channel.KindSMS,
		Status:            ConversationStatusOpen,
		Owner:             "sam.sales",
		Team:              "sales-floor",
		Followers:         []dealer.Staff{"mia.manager", "bea.bdc"},
		WaitingSince:      t1,
		FirstHumanReplyAt: t1,
		LastInboundAt:     t2,
		LastOutboundAt:    t1,
		OpenedAt:          t0,
		ResolvedAt:        t1, // resolved once, then re-opened
		PendingHandoff:    &Handoff{From: "sam.sales", To: "tom.service", Team: "service", Reason: "service question", At: t2},
		CreatedAt:         t0,
		UpdatedAt:         t2,
		Revision:          7,
	}
}

func TestConversationValid(t *testing.T) {
	valid := map[string]func(*Conversation){
		"open": func(*Conversation) {},
		"pending": func(c *Conversation) {
			c.Status, c.Owner, c.Handler = ConversationStatusPending, "", "sales-bot"
			c.PendingHandoff = &Handoff{From: "sales-bot", Team: "bdc", Reason: "customer asked for a person", At: t2}
		},
		"snoozed until":       func(c *Conversation) { c.Status, c.SnoozedUntil = ConversationStatusSnoozed, t2.Add(24*time.Hour) },
		"snoozed until reply": func(c *Conversation) { c.Status = ConversationStatusSnoozed },
		"resolved":            func(c *Conversation) { c.Status, c.ResolvedAt = ConversationStatusResolved, t2 },
		"closed":              func(c *Conversation) { c.Status, c.ClosedAt, c.PendingHandoff = ConversationStatusClosed, t2, nil },
		"newer status":        func(c *Conversation) { c.Status, c.SnoozedUntil, c.ClosedAt = "archived", t2, t2 },
		"newer channel":       func(c *Conversation) { c.Channel = "telegram" },
		"minimal": func(c *Conversation) {
			*c = Conversation{Tenant: "t", Customer: customerID(t, jane), Status: ConversationStatusOpen, OpenedAt: t0}
		},
	}
	for name, mod := range valid {
		t.Run(name, func(t *testing.T) {
			c := conversation(t)
			mod(&c)
			if err := c.Validate(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestConversationValidate(t *testing.T) {
	tests := []struct {
		name  string
		mod   func(*Conversation)
		wants []want
	}{
		{"zero", func(c *Conversation) { *c = Conversation{} },
			[]want{{"tenant", ErrMissing}, {"customer", ErrMissing}, {"status", ErrMissing}, {"opened_at", ErrMissing}}},
		{"malformed", func(c *Conversation) {
			c.Rooftop, c.Channel, c.Status, c.Owner, c.Team, c.Handler = "a b", "SMS!", "Open Now", "x\ny", "t t", "b\x00"
		}, []want{{"rooftop", ErrInvalid}, {"channel", ErrInvalid}, {"status", ErrInvalid}, {"owner", ErrInvalid}, {"team", ErrInvalid}, {"handler", ErrInvalid}}},
		{"snoozed_until while open", func(c *Conversation) { c.SnoozedUntil = t2 },
			[]want{{"snoozed_until", ErrNotApplicable}}},
		{"followers", func(c *Conversation) { c.Followers = []dealer.Staff{"mia", "", "mia", "sam.sales", "b c"} },
			[]want{{"followers[1]", ErrMissing}, {"followers[2]", ErrDuplicate}, {"followers[3]", ErrDuplicate}, {"followers[4]", ErrInvalid}}},
		{"resolved without time", func(c *Conversation) { c.Status, c.ResolvedAt = ConversationStatusResolved, time.Time{} },
			[]want{{"resolved_at", ErrMissing}}},
		{"closed without time", func(c *Conversation) { c.Status = ConversationStatusClosed },
			[]want{{"closed_at", ErrMissing}}},
		{"closed_at while open", func(c *Conversation) { c.ClosedAt = t2 },
			[]want{{"closed_at", ErrNotApplicable}}},
		{"times before opening", func(c *Conversation) {
			c.Status, c.OpenedAt, c.ResolvedAt, c.ClosedAt = ConversationStatusClosed, t2, t1, t0
		}, []want{{"resolved_at", ErrInvalid}, {"closed_at", ErrInvalid}}},
		{"empty handoff", func(c *Conversation) { c.PendingHandoff = &Handoff{} },
			[]want{{"pending_handoff.to", ErrMissing}, {"pending_handoff.reason", ErrMissing}, {"pending_handoff.at", ErrMissing}}},
		{"handoff to self", func(c *Conversation) { c.PendingHandoff.To, c.PendingHandoff.Reason = "sam.sales", "a\nb" },
			[]want{{"pending_handoff.to", ErrMismatch}, {"pending_handoff.reason", ErrInvalid}}},
		{"record", func(c *Conversation) { c.UpdatedAt, c.Revision = t0.Add(-time.Second), -2 },
			[]want{{"updated_at", ErrInvalid}, {"revision", ErrInvalid}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := conversation(t)
			tt.mod(&c)
			checkProblems(t, c.Validate(), tt.wants...)
		})
	}
}
