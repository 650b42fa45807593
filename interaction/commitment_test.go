package interaction

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/dealer"
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
		"callback": func(c *Commitment) {
			c.Callback = &Callback{Address: mustAddress(t, "tel:+12125550123"), Windows: channel.Every(channel.Clock(17, 0), channel.Clock(19, 0)), Zone: "America/New_York"}
		},
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
		{"callback without a number, windows without a zone, an empty attempt", func(c *Commitment) {
			c.Callback = &Callback{Windows: channel.Every(channel.Clock(17, 0), channel.Clock(19, 0)), Attempts: []ID{{}}}
		}, []want{{"callback.address", ErrMissing}, {"callback.windows", channel.ErrInvalidZone}, {"callback.attempts[0]", ErrMissing}}},
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

func TestCommitmentTransitions(t *testing.T) {
	tests := []struct {
		name   string
		status CommitmentStatus
		op     func(*Commitment) error
		errs   []error
		check  func(t *testing.T, c Commitment)
	}{
		{"done", CommitmentStatusOpen, func(c *Commitment) error { return c.Done(t1) }, nil,
			func(t *testing.T, c Commitment) {
				if c.Status != CommitmentStatusDone || !c.DoneAt.Equal(t1) {
					t.Fatalf("%+v", c)
				}
			}},
		{"done at no time", CommitmentStatusOpen, func(c *Commitment) error { return c.Done(time.Time{}) }, []error{ErrInvalidTransition, ErrMissing}, nil},
		{"done twice", CommitmentStatusDone, func(c *Commitment) error { return c.Done(t1) }, []error{ErrInvalidTransition}, nil},
		{"cancel", CommitmentStatusOpen, func(c *Commitment) error { return c.Cancel("customer bought elsewhere") }, nil,
			func(t *testing.T, c Commitment) {
				if c.Status != CommitmentStatusCancelled || c.CancelReason != "customer bought elsewhere" {
					t.Fatalf("%+v", c)
				}
			}},
		{"cancel without reason", CommitmentStatusOpen, func(c *Commitment) error { return c.Cancel("") }, []error{ErrInvalidTransition, ErrMissing}, nil},
		{"cancel with two lines", CommitmentStatusOpen, func(c *Commitment) error { return c.Cancel("a\nb") }, []error{ErrInvalidTransition, ErrInvalid}, nil},
		{"cancel a kept promise", CommitmentStatusDone, func(c *Commitment) error { return c.Cancel("x") }, []error{ErrInvalidTransition}, nil},
		{"hand off to the owner", CommitmentStatusOpen, func(c *Commitment) error { _, err := c.HandOff("sam.sales"); return err }, []error{ErrInvalidTransition, ErrMismatch}, nil},
		{"hand off to nobody", CommitmentStatusOpen, func(c *Commitment) error { _, err := c.HandOff(""); return err }, []error{ErrInvalidTransition, ErrMissing}, nil},
		{"hand off to a malformed id", CommitmentStatusOpen, func(c *Commitment) error { _, err := c.HandOff("a b"); return err }, []error{ErrInvalidTransition, ErrInvalid}, nil},
		{"hand off a cancelled one", CommitmentStatusCancelled, func(c *Commitment) error { _, err := c.HandOff("tom"); return err }, []error{ErrInvalidTransition}, nil},
		{"newer status", "delegated", func(c *Commitment) error { return c.Done(t1) }, []error{ErrInvalidTransition, ErrUnknownStatus}, nil},
		{"no status", "", func(c *Commitment) error { return c.Done(t1) }, []error{ErrInvalidTransition}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := commitment(t)
			c.Status = tt.status
			switch tt.status {
			case CommitmentStatusDone:
				c.DoneAt = t1
			case CommitmentStatusCancelled:
				c.CancelReason = "moved away"
			}
			before := c
			err := tt.op(&c)
			if tt.errs != nil {
				var te *TransitionError
				if !errors.As(err, &te) || te.Record != "commitment" {
					t.Fatalf("not a *TransitionError: %v", err)
				}
				for _, want := range tt.errs {
					if !errors.Is(err, want) {
						t.Fatalf("%v does not wrap %v", err, want)
					}
				}
				if c != before {
					t.Fatal("refused change modified the commitment")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if err := c.Validate(); err != nil {
				t.Fatal(err)
			}
			tt.check(t, c)
		})
	}
}

func TestCommitmentHandOff(t *testing.T) {
	c := commitment(t)
	next, err := c.HandOff("fay.fi")
	if err != nil {
		t.Fatal(err)
	}
	if c.Status != CommitmentStatusHandedOff || c.HandedOffTo != "fay.fi" || c.Validate() != nil {
		t.Fatalf("%+v", c)
	}
	want := Commitment{Tenant: c.Tenant, Rooftop: c.Rooftop, Customer: c.Customer, Conversation: c.Conversation, Source: c.Source,
		What: c.What, Owner: "fay.fi", Team: c.Team, Due: c.Due, Status: CommitmentStatusOpen}
	if next != want {
		t.Fatalf("got  %+v\nwant %+v", next, want)
	}
	if err := next.Validate(); err != nil {
		t.Fatal(err)
	}
	// A callback request is handed off with its details, copied.
	cb := commitment(t)
	cb.Callback = &Callback{Address: mustAddress(t, "tel:+12125550123"), Attempts: []ID{{1}}}
	n2, err := cb.HandOff("fay.fi")
	if err != nil || n2.Callback == nil || n2.Callback == cb.Callback || !slices.Equal(n2.Callback.Attempts, cb.Callback.Attempts) || n2.Callback.Address != cb.Callback.Address {
		t.Fatalf("callback after hand-off: %+v, %v", n2.Callback, err)
	}
	n2.Callback.Attempts[0] = ID{2}
	if cb.Callback.Attempts[0] != (ID{1}) {
		t.Error("the handed-off callback shares its attempts with the old one")
	}
}

func TestCommitmentDueSoon(t *testing.T) {
	c := Commitment{Status: CommitmentStatusOpen, Due: t2}
	for _, tt := range []struct {
		name   string
		at     time.Time
		within time.Duration
		want   bool
	}{
		{"well before", t0, time.Minute, false},
		{"just within", t1, time.Minute, true},
		{"at the due instant", t2, time.Minute, true},
		{"overdue", t2.Add(time.Second), time.Hour, false},
	} {
		if got := c.DueSoon(tt.at, tt.within); got != tt.want {
			t.Errorf("%s: got %v", tt.name, got)
		}
	}
	if (Commitment{Status: CommitmentStatusDone, Due: t2}).DueSoon(t1, time.Hour) || (Commitment{Status: CommitmentStatusOpen}).DueSoon(t1, time.Hour) {
		t.Error("done or undated commitment due soon")
	}
}

func TestCommitmentLists(t *testing.T) {
	mk := func(owner string, team, roof string, due time.Time, s CommitmentStatus) Commitment {
		return Commitment{Owner: dealer.Staff(owner), Team: dealer.Team(team), Rooftop: dealer.Rooftop(roof), Due: due, Status: s, What: owner}
	}
	now := t0.Add(10 * time.Hour)
	cs := []Commitment{
		mk("sam", "sales", "downtown", now.Add(-time.Hour), CommitmentStatusOpen),       // overdue
		mk("tom", "sales", "uptown", now.Add(-3*time.Hour), CommitmentStatusOpen),       // overdue, most
		mk("fay", "finance", "downtown", now.Add(30*time.Minute), CommitmentStatusOpen), // due soon
		mk("sam", "sales", "downtown", now.Add(10*time.Minute), CommitmentStatusOpen),   // due soon, first
		mk("sam", "", "", now.Add(-5*time.Hour), CommitmentStatusDone),                  // kept
		mk("", "bdc", "uptown", now.Add(48*time.Hour), CommitmentStatusOpen),            // later
	}
	whats := func(cs []Commitment) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.What+"@"+c.Due.Sub(now).String())
		}
		return out
	}
	if got, want := whats(OverdueCommitments(cs, now)), []string{"tom@-3h0m0s", "sam@-1h0m0s"}; !slices.Equal(got, want) {
		t.Errorf("overdue %v, want %v", got, want)
	}
	if got, want := whats(CommitmentsDueSoon(cs, now, time.Hour)), []string{"sam@10m0s", "fay@30m0s"}; !slices.Equal(got, want) {
		t.Errorf("due soon %v, want %v", got, want)
	}
	byOwner := CommitmentsByOwner(cs)
	if len(byOwner["sam"]) != 3 || len(byOwner[""]) != 1 || len(byOwner) != 4 {
		t.Errorf("by owner %v", byOwner)
	}
	byTeam := CommitmentsByTeam(OverdueCommitments(cs, now))
	if len(byTeam) != 1 || len(byTeam["sales"]) != 2 {
		t.Errorf("by team %v", byTeam)
	}
	byRooftop := CommitmentsByRooftop(cs)
	if len(byRooftop["downtown"]) != 3 || len(byRooftop["uptown"]) != 2 || len(byRooftop[""]) != 1 {
		t.Errorf("by rooftop %v", byRooftop)
	}
	if OverdueCommitments(nil, now) != nil {
		t.Error("overdue from nothing")
	}
}
