package consent

import (
	"testing"
	"time"

	"github.com/rapportcim/rapport/channel"
)

// t0 is the fixed clock every test measures from.
var t0 = time.Date(2025, 3, 1, 15, 0, 0, 0, time.UTC)

func at(d time.Duration) time.Time { return t0.Add(d) }

const day = 24 * time.Hour

func mustAddr(t testing.TB, s string) channel.Address {
	t.Helper()
	a, err := channel.ParseAddress(s)
	if err != nil {
		t.Fatalf("ParseAddress(%q): %v", s, err)
	}
	return a
}

// testID returns a deterministic ID whose last byte is n.
func testID(n byte) ID { return ID{0x01, 0x95, 0x4f, 0x00, 0, 0, 0x70, 0, 0x80, 0, 0, 0, 0, 0, 0, n} }

// grant returns a valid express-written SMS marketing grant for addr.
func grant(t testing.TB, addr string, captured time.Time) Event {
	return Event{
		ID:         testID(1),
		Tenant:     "acme-auto",
		Subject:    Subject{Address: mustAddr(t, addr)},
		Channel:    channel.KindSMS,
		Purpose:    PurposeMarketing,
		Rooftop:    "downtown",
		Action:     ActionGrant,
		Basis:      BasisExpressWritten,
		Evidence:   Evidence{Method: MethodWebForm, DisclosureVersion: "sms-consent-2025-01"},
		CapturedAt: captured,
	}
}

// with returns e changed by f.
func with(e Event, f func(*Event)) Event {
	f(&e)
	return e
}

func revoke(e Event, captured time.Time) Event {
	return with(e, func(e *Event) {
		e.Action, e.Basis, e.CapturedAt, e.EffectiveFrom, e.EffectiveTo = ActionRevoke, "", captured, time.Time{}, time.Time{}
		e.Evidence = Evidence{Method: MethodSMSKeyword, RawText: "STOP"}
	})
}
