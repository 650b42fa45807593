package interaction

import (
	"errors"
	"strings"
	"testing"
)

// transitions is the delivery lifecycle written out in full. Rows are the
// current status, columns the reported one, in the order
// queued, sent, delivered, read, errored, failed:
//
//	A  applied
//	=  same status: no-op
//	I  late report: ignored (unchanged, no error)
//	X  refused with ErrInvalidTransition
var transitions = []struct {
	from Status
	row  string
}{
	{StatusUnknown, "AAAAAA"},
	{StatusQueued, "=AAAAA"},
	{StatusSent, "X=AAAA"},
	{StatusDelivered, "XI=AII"},
	{StatusRead, "XII=II"},
	{StatusErrored, "AAAA=A"},
	{StatusFailed, "XXXXX="},
}

var columns = []Status{StatusQueued, StatusSent, StatusDelivered, StatusRead, StatusErrored, StatusFailed}

func TestDeliveryApplyEveryPair(t *testing.T) {
	for _, tr := range transitions {
		for i, to := range columns {
			outcome := tr.row[i]
			name := show(tr.from) + "→" + string(to)
			t.Run(name, func(t *testing.T) {
				d := Delivery{Status: tr.from, At: t0, Attempts: 2}
				switch tr.from {
				case StatusUnknown:
					d = Delivery{}
				case StatusErrored, StatusFailed:
					d.Reason, d.ErrorCode = "earlier reason", "111"
				}
				u := DeliveryUpdate{Status: to, At: t1, Reason: "carrier rejected", ErrorCode: "30007"}
				got, err := d.Apply(u)
				switch outcome {
				case '=', 'I':
					if err != nil || got != d {
						t.Fatalf("got %+v, %v; want unchanged, nil", got, err)
					}
				case 'X':
					if !errors.Is(err, ErrInvalidTransition) || errors.Is(err, ErrUnknownStatus) || got != d {
						t.Fatalf("got %+v, %v; want unchanged, ErrInvalidTransition", got, err)
					}
					if !strings.HasPrefix(err.Error(), "interaction: delivery: ") {
						t.Errorf("message %q", err)
					}
				case 'A':
					if err != nil {
						t.Fatal(err)
					}
					want := Delivery{Status: to, At: t1, Attempts: d.Attempts}
					if to == StatusErrored || to == StatusFailed {
						want.Reason, want.ErrorCode = u.Reason, u.ErrorCode
					}
					switch {
					case tr.from == StatusUnknown && to != StatusFailed:
						want.Attempts = 1
					case tr.from == StatusErrored && (to == StatusQueued || to == StatusSent):
						want.Attempts = 3
					}
					if got != want {
						t.Fatalf("got %+v, want %+v", got, want)
					}
				default:
					t.Fatalf("bad table entry %q", outcome)
				}
			})
		}
	}
}

func TestDeliveryApplyUnknownStatuses(t *testing.T) {
	tests := []struct {
		name string
		from Status
		to   Status
		same bool // a no-op rather than an error
	}{
		{"none to newer", StatusUnknown, "wired", false},
		{"known to newer", StatusSent, "wired", false},
		{"newer to known", "wired", StatusDelivered, false},
		{"newer to failed", "wired", StatusFailed, false},
		{"newer to other newer", "wired", "rejected", false},
		{"newer again", "wired", "wired", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Delivery{Status: tt.from, At: t0}
			got, err := d.Apply(DeliveryUpdate{Status: tt.to, At: t1, Reason: "r"})
			if got != d {
				t.Errorf("delivery changed to %+v", got)
			}
			if tt.same {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, ErrInvalidTransition) || !errors.Is(err, ErrUnknownStatus) {
				t.Fatalf("err = %v", err)
			}
		})
	}
}

func TestDeliveryApplyBadUpdates(t *testing.T) {
	tests := []struct {
		name string
		u    DeliveryUpdate
		want error
	}{
		{"no status", DeliveryUpdate{At: t1}, ErrMissing},
		{"malformed status", DeliveryUpdate{Status: "Sent OK", At: t1}, ErrInvalid},
		{"no time", DeliveryUpdate{Status: StatusSent}, ErrMissing},
		{"failed without reason", DeliveryUpdate{Status: StatusFailed, At: t1, ErrorCode: "30007"}, ErrMissing},
		{"reason not UTF-8", DeliveryUpdate{Status: StatusErrored, At: t1, Reason: "bad \xff"}, ErrInvalid},
		{"code with a line break", DeliveryUpdate{Status: StatusSent, At: t1, ErrorCode: "1\n2"}, ErrInvalid},
	}
	for _, from := range append([]Status{StatusUnknown}, columns...) {
		for _, tt := range tests {
			t.Run(show(from)+"/"+tt.name, func(t *testing.T) {
				d := Delivery{Status: from, At: t0, Reason: "x"}
				got, err := d.Apply(tt.u)
				if !errors.Is(err, ErrInvalidTransition) || !errors.Is(err, tt.want) || got != d {
					t.Fatalf("got %+v, %v", got, err)
				}
				if strings.Contains(err.Error(), "Sent OK") {
					t.Errorf("error echoes its input: %v", err)
				}
			})
		}
	}
}

func TestDeliveryRetries(t *testing.T) {
	var d Delivery
	steps := []struct {
		u        DeliveryUpdate
		attempts int
	}{
		{DeliveryUpdate{Status: StatusQueued, At: t0}, 1},
		{DeliveryUpdate{Status: StatusErrored, At: t0, Reason: "provider timeout", ErrorCode: "20429"}, 1},
		{DeliveryUpdate{Status: StatusQueued, At: t1}, 2},
		{DeliveryUpdate{Status: StatusErrored, At: t1, Reason: "provider timeout"}, 2},
		{DeliveryUpdate{Status: StatusSent, At: t2}, 3},
		{DeliveryUpdate{Status: StatusQueued, At: t2}, -1}, // refused: already sent
		{DeliveryUpdate{Status: StatusRead, At: t2}, 3},
		{DeliveryUpdate{Status: StatusDelivered, At: t1}, 3}, // late: ignored
		{DeliveryUpdate{Status: StatusErrored, At: t1}, 3},   // stale: ignored
	}
	for i, s := range steps {
		next, err := d.Apply(s.u)
		if s.attempts < 0 {
			if !errors.Is(err, ErrInvalidTransition) {
				t.Fatalf("step %d: err = %v", i, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if next.Attempts != s.attempts {
			t.Fatalf("step %d: attempts %d, want %d", i, next.Attempts, s.attempts)
		}
		d = next
	}
	if want := (Delivery{Status: StatusRead, At: t2, Attempts: 3}); d != want {
		t.Fatalf("end: %+v, want %+v", d, want)
	}
}

func TestDeliveryFailedBeforeAnyAttempt(t *testing.T) {
	d, err := Delivery{}.Apply(DeliveryUpdate{Status: StatusFailed, At: t0, Reason: "customer opted out"})
	if err != nil || d.Attempts != 0 || d.Reason != "customer opted out" {
		t.Fatalf("got %+v, %v", d, err)
	}
	// The same failure reported again keeps the first report.
	again, err := d.Apply(DeliveryUpdate{Status: StatusFailed, At: t1, Reason: "other"})
	if err != nil || again != d {
		t.Fatalf("repeat: %+v, %v", again, err)
	}
}

func TestDeliveryValidate(t *testing.T) {
	ok := []Delivery{
		{},
		{Status: StatusSent, At: t0, Attempts: 1},
		{Status: StatusFailed, At: t0, Reason: "unknown subscriber", ErrorCode: "30005"},
		{Status: "wired", At: t0, Attempts: 1},
	}
	for _, d := range ok {
		if errs := d.validate(nil, "delivery"); errs != nil {
			t.Errorf("%+v: %v", d, errs)
		}
	}
	errs := Delivery{Status: StatusFailed, Attempts: -1, ErrorCode: "a\nb"}.validate(nil, "delivery")
	checkProblems(t, errors.Join(errs...),
		want{"delivery.at", ErrMissing},
		want{"delivery.reason", ErrMissing},
		want{"delivery.error_code", ErrInvalid},
		want{"delivery.attempts", ErrInvalid},
	)
	errs = Delivery{Status: "Sent!", At: t0}.validate(nil, "delivery")
	checkProblems(t, errors.Join(errs...), want{"delivery.status", ErrInvalid})
}
