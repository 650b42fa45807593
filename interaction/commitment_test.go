package interaction

import (
	"testing"
	"time"
)

func commitment(t testing.TB) Commitment {
	t.Helper()
	id, _ := ParseCommitmentID(cmt)
	cid, _ := ParseConversationID(conv)
	src, _ := ParseID(ixn)
	return Commitment{
		ID:           id,
		Tenant:       "acme-auto-group",
		Rooftop:      "acme-honda-downtown",
		Customer:     customerID(t, jane),
		Conversation: cid,
		Source:       src,
		What:         "Call back with the trade-in number",
		Owner:        "sam.sales",
		Team:         "sales-floor",
		Due:          t2,
		Status:       CommitmentStatusOpen,
		CreatedAt:    t0,
		UpdatedAt:    t0,
		Revision:     1,
	}
}

func TestCommitmentValid(t *testing.T) {
	valid := map[string]func(*Commitment){
		"open":       func(*Commitment) {},
		"team only":  func(c *Commitment) { c.Owner = "" },
		"done":       func(c *Commitment) { c.Status, c.DoneAt = CommitmentStatusDone, t1 },
		"handed off": func(c *Commitment) { c.Status, c.HandedOffTo = CommitmentStatusHandedOff, "tom.service" },
		"cancelled":  func(c *Commitment) { c.Status, c.CancelReason = CommitmentStatusCancelled, "customer bought elsewhere" },
		"newer status": func(c *Commitment) {
			c.Status, c.DoneAt, c.HandedOffTo, c.CancelReason = "delegated", t1, "tom", "x"
		},
	}
	for name, mod := range valid {
		t.Run(name, func(t *testing.T) {
			c := commitment(t)
			mod(&c)
			if err := c.Validate(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestCommitmentValidate(t *testing.T) {
	tests := []struct {
		name  string
		mod   func(*Commitment)
		wants []want
	}{
		{"zero", func(c *Commitment) { *c = Commitment{} }, []want{
			{"tenant", ErrMissing}, {"customer", ErrMissing}, {"what", ErrMissing},
			{"owner", ErrMissing}, {"due", ErrMissing}, {"status", ErrMissing},
		}},
		{"malformed", func(c *Commitment) {
			c.Tenant, c.What, c.Owner, c.Team, c.Status = "a\tb", "two\nlines", "x y", "t\x00", "Open?"
		}, []want{{"tenant", ErrInvalid}, {"what", ErrInvalid}, {"owner", ErrInvalid}, {"team", ErrInvalid}, {"status", ErrInvalid}}},
		{"done without time", func(c *Commitment) { c.Status = CommitmentStatusDone },
			[]want{{"done_at", ErrMissing}}},
		{"handed off to nobody", func(c *Commitment) { c.Status = CommitmentStatusHandedOff },
			[]want{{"handed_off_to", ErrMissing}}},
		{"handed off to the owner", func(c *Commitment) { c.Status, c.HandedOffTo = CommitmentStatusHandedOff, c.Owner },
			[]want{{"handed_off_to", ErrMismatch}}},
		{"cancelled without reason", func(c *Commitment) { c.Status = CommitmentStatusCancelled },
			[]want{{"cancel_reason", ErrMissing}}},
		{"outcomes on an open commitment", func(c *Commitment) {
			c.DoneAt, c.HandedOffTo, c.CancelReason = t1, "tom", "x"
		}, []want{{"done_at", ErrNotApplicable}, {"handed_off_to", ErrNotApplicable}, {"cancel_reason", ErrNotApplicable}}},
		{"record", func(c *Commitment) { c.UpdatedAt, c.Revision = t0.Add(-time.Second), -1 },
			[]want{{"updated_at", ErrInvalid}, {"revision", ErrInvalid}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := commitment(t)
			tt.mod(&c)
			checkProblems(t, c.Validate(), tt.wants...)
		})
	}
}

func TestCommitmentOverdue(t *testing.T) {
	tests := []struct {
		name   string
		status CommitmentStatus
		due    time.Time
		at     time.Time
		want   bool
	}{
		{"before due", CommitmentStatusOpen, t1, t0, false},
		{"at the due instant", CommitmentStatusOpen, t1, t1, false},
		{"after due", CommitmentStatusOpen, t1, t1.Add(time.Nanosecond), true},
		{"after due in another zone", CommitmentStatusOpen, t1, t2.In(time.FixedZone("EST", -5*3600)), true},
		{"no due time", CommitmentStatusOpen, time.Time{}, t2, false},
		{"done", CommitmentStatusDone, t1, t2, false},
		{"handed off", CommitmentStatusHandedOff, t1, t2, false},
		{"cancelled", CommitmentStatusCancelled, t1, t2, false},
		{"unknown status", "", t1, t2, false},
		{"newer status", "delegated", t1, t2, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Commitment{Status: tt.status, Due: tt.due}
			if got := c.Overdue(tt.at); got != tt.want {
				t.Fatalf("Overdue = %v, want %v", got, tt.want)
			}
		})
	}
}
