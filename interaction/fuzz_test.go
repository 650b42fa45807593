package interaction

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
	"time"
	"unicode/utf8"
)

// Every parser of outside input must never panic, must refuse with a typed
// error, and must produce values that re-parse to themselves.

func FuzzParseEnums(f *testing.F) {
	for _, s := range []string{"inbound", " Delivered ", "SOCIAL_MENTION", "teleport", "no way", "", "é", "a-b_c9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, c := range enumCases {
			v, known, err := c.parse(s)
			if err != nil {
				var ve *ValidationError
				if !errors.As(err, &ve) || !errors.Is(err, ErrInvalid) || v != "" {
					t.Fatalf("%s: untyped error %v (value %q)", c.name, err, v)
				}
				continue
			}
			if !isToken(v, maxTokenLen) {
				t.Fatalf("%s: parse(%q) = %q, not a token", c.name, s, v)
			}
			again, knownAgain, err := c.parse(v)
			if err != nil || again != v || knownAgain != known {
				t.Fatalf("%s: %q re-parses to %q, %v", c.name, v, again, err)
			}
		}
	})
}

func FuzzParseIDs(f *testing.F) {
	for _, s := range []string{jane, "01956D2E-1A2B-7C3D-8E4F-5A6B7C8D9E01", "", "x", "urn:uuid:01956d2e-1a2b-7c3d-8e4f-5a6b7c8d9e01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		check := func(name, got string, err error, parse func(string) (string, error)) {
			if err != nil {
				var ve *ValidationError
				if !errors.As(err, &ve) || !errors.Is(err, ErrInvalidID) {
					t.Fatalf("%s: untyped error %v", name, err)
				}
				return
			}
			again, err := parse(got)
			if err != nil || again != got {
				t.Fatalf("%s: %q re-parses to %q, %v", name, got, again, err)
			}
		}
		parseID := func(s string) (string, error) { id, err := ParseID(s); return id.String(), err }
		parseConv := func(s string) (string, error) { id, err := ParseConversationID(s); return id.String(), err }
		parseCmt := func(s string) (string, error) { id, err := ParseCommitmentID(s); return id.String(), err }
		for name, p := range map[string]func(string) (string, error){"ID": parseID, "ConversationID": parseConv, "CommitmentID": parseCmt} {
			got, err := p(s)
			check(name, got, err, p)
		}
	})
}

// FuzzInteractionJSON checks that every interaction read from JSON that
// validates writes back to JSON that reads as the same interaction, and
// still validates.
func FuzzInteractionJSON(f *testing.F) {
	f.Add([]byte(`{"tenant":"t","direction":"inbound","kind":"message","occurred_at":"2025-03-14T15:00:00Z","channel":"sms","address":"tel:+12125550123","body":"hi"}`))
	f.Add([]byte(`{"tenant":"t","direction":"outbound","kind":"call","occurred_at":"2025-03-14T15:00:00-05:00","call":{"outcome":"answered","duration_ns":95000000000},"participants":[{"staff":"sam","role":"bdc"}]}`))
	f.Add([]byte(`{"tenant":"t","direction":"inbound","kind":"message","occurred_at":"2025-03-14T15:00:00Z","body":"ssn [redacted]","findings":[{"kind":"ssn","field":"body","start":4,"end":14,"last4":"6789"}],"flags":[{"reason":"sensitive_data","flagged_at":"2025-03-14T15:00:01Z"}]}`))
	f.Add([]byte(`{"tenant":"t","direction":"warp","kind":"hologram","occurred_at":"2025-03-14T15:00:00Z","attributes":{"a":""},"external_refs":{"x":"y"}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var i Interaction
		if json.Unmarshal(b, &i) != nil || i.Validate() != nil {
			return
		}
		out, err := json.Marshal(i)
		if err != nil {
			t.Fatalf("valid interaction does not marshal: %v", err)
		}
		var again Interaction
		if err := json.Unmarshal(out, &again); err != nil {
			t.Fatalf("own output %s does not unmarshal: %v", out, err)
		}
		if err := again.Validate(); err != nil {
			t.Fatalf("re-read interaction is invalid: %v", err)
		}
		if out2, _ := json.Marshal(again); !bytes.Equal(out, out2) {
			t.Fatalf("JSON not stable:\n%s\n%s", out, out2)
		}
	})
}

// FuzzDeliveryApply checks Apply's invariants on arbitrary updates: it never
// panics, refuses only with ErrInvalidTransition, leaves the delivery
// unchanged or moves it to the update's status, never lowers Attempts, and
// turns a valid delivery into a valid one.
func FuzzDeliveryApply(f *testing.F) {
	f.Add("sent", 1, "delivered", "", int64(60))
	f.Add("errored", 1, "queued", "timeout", int64(60))
	f.Add("read", 2, "delivered", "", int64(-60))
	f.Add("failed", 0, "sent", "", int64(0))
	f.Add("", 0, "failed", "opted out", int64(1))
	f.Add("wired", 1, "sent", "", int64(1))
	f.Fuzz(func(t *testing.T, from string, attempts int, to, reason string, offset int64) {
		d := Delivery{Status: Status(from), Attempts: attempts}
		if from != "" {
			d.At = t0
		}
		if d.Status == StatusFailed || d.Status == StatusErrored {
			d.Reason = "earlier"
		}
		var at time.Time
		if offset != 0 {
			at = t0.Add(time.Duration(offset) * time.Second)
		}
		got, err := d.Apply(DeliveryUpdate{Status: Status(to), At: at, Reason: reason})
		if err != nil {
			if !errors.Is(err, ErrInvalidTransition) || got != d {
				t.Fatalf("error %v, delivery %+v", err, got)
			}
			return
		}
		if got != d && (got.Status != Status(to) || !got.At.Equal(at)) {
			t.Fatalf("%+v became %+v on %q", d, got, to)
		}
		if got.Attempts < d.Attempts {
			t.Fatalf("attempts fell from %d to %d", d.Attempts, got.Attempts)
		}
		if d.validate(nil, "d") == nil && got.validate(nil, "d") != nil {
			t.Fatalf("%+v became invalid %+v: %v", d, got, got.validate(nil, "d"))
		}
	})
}

// FuzzRedact checks Redact's invariants on arbitrary text: it never
// panics; the redacted text has the same length in bytes and in runes, and
// differs only by digits turned into '*' inside findings; findings are in
// order, do not overlap, lie inside the text and show at most their last
// four digits; redacting the redacted text finds nothing new; and the
// findings validate on an interaction.
func FuzzRedact(f *testing.F) {
	for _, s := range []string{
		"SSN 123-45-6789", "card 4111 1111 1111 1111 exp 12/27", "routing 021000021 account 12345678",
		"call 212-555-0123", "VIN 1HGCM82633A004352", "$32,499", "4111111111111111 123", "**** 1111 2345",
		"ss#123456789", "acct:1234567890123", "3782 822463 10005", "000-12-3456", "",
		"4111 1111\n1111 1111", "\u201c4111111111111111\u201d", "*4111 1111 1111 1111*", "4111111111111111/08/28",
		"seguro social 123456789", "ITIN 912-70-1234", "número de cuenta 1234-5678-90", "ACC 12345678",
	} {
		f.Add(s)
	}
	for _, s := range benchmarkMessages {
		f.Add(s)
	}
	for _, m := range loadRedactCorpus(f) {
		f.Add(m.Text)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, fs := Redact(s)
		checkRedaction(t, s, out, fs)
		if !utf8.ValidString(s) || len(s) > MaxBodyLen {
			return
		}
		i := Interaction{Tenant: "t", Direction: DirectionInbound, Kind: KindMessage, OccurredAt: t0, Body: s}
		i.Redact()
		if errs := i.checkFindings(nil); errs != nil {
			t.Fatalf("findings do not validate: %v", errs)
		}
	})
}
