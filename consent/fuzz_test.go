package consent

import (
	"encoding/json"
	"errors"
	"testing"
)

// Every parser of outside input must never panic, must refuse with a typed
// error, and must produce values that read back as themselves.

func FuzzParseAction(f *testing.F) {
	for _, s := range []string{"grant", " REVOKE ", "dnc_request", "suspend", "opt out", "", "ÄRGER"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		// ParseAction stands for all five enum parsers: they share parseToken.
		a, err := ParseAction(s)
		if err != nil {
			var ve *ValidationError
			if !errors.As(err, &ve) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		again, err := ParseAction(a.String())
		if err != nil || again != a {
			t.Fatalf("ParseAction(%q) = %q; re-parse gives %q, %v", s, a, again, err)
		}
	})
}

func FuzzEventJSON(f *testing.F) {
	f.Add(`{"subject":{"address":"tel:+12125550123"},"channel":"sms","purpose":"marketing","action":"grant","basis":"express_written","evidence":{"method":"web_form","ip":"203.0.113.7"},"captured_at":"2025-03-01T15:00:00Z"}`)
	f.Add(`{"id":"01954f00-0000-7000-8000-000000000001","subject":{"address":"mailto:Jane@Example.com"},"channel":"all","purpose":"all","action":"suspend","captured_at":"2025-03-01T15:00:00+05:00"}`)
	f.Add(`{"giver":{"name":"Pat","customer":""},"effective_to":"2026-01-01T00:00:00Z"}`)
	f.Add(`{}`)
	f.Fuzz(func(t *testing.T, in string) {
		var e Event
		if err := json.Unmarshal([]byte(in), &e); err != nil {
			return
		}
		_ = e.Validate() // must not panic
		_ = e.Key()
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatalf("Marshal of an unmarshalled event: %v", err)
		}
		var again Event
		if err := json.Unmarshal(b, &again); err != nil {
			t.Fatalf("re-read of %s: %v", b, err)
		}
		b2, err := json.Marshal(again)
		if err != nil || string(b2) != string(b) {
			t.Fatalf("not stable:\n%s\n%s", b, b2)
		}
	})
}
