package consent

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/rapportcim/rapport/channel"
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

// FuzzPolicyJSON reads a tenant's policy as JSON (it is kept with the
// tenant's settings, outside rapport's control): reading, validating and
// deciding under any policy must not panic, and what is read writes back
// the same.
func FuzzPolicyJSON(f *testing.F) {
	f.Add(`{"name":"t","rules":[{"channels":["sms"],"purposes":["marketing"],"bases":["express_written"],"hours":[{"day":1,"start":480,"end":1260}]}],"overrides":[{"name":"us-al","regions":["US-AL"],"holidays":[{"month":11,"weekday":4,"nth":4},{"easter":true,"easter_offset":-47},{"month":7,"day":4,"observed":true}]}]}`)
	f.Add(`{"registries":[{"registry":"us_dnc","channels":["voice"],"exempt":["express_written"],"purchase_months":18,"inquiry_months":3,"max_age":2678400000000000}],"sellers":[{"name":"a","rooftops":["x","y"]}]}`)
	f.Add(`{"overrides":[{"regions":["US-TX"],"hours":[{"day":0,"start":720,"end":1260}],"holidays":[{"month":2,"day":31},{"month":13,"weekday":9,"nth":-7,"year":-1}]}]}`)
	f.Add(`{}`)
	addr, err := channel.ParseAddress("tel:+12145550123")
	if err != nil {
		f.Fatal(err)
	}
	chi, err := time.LoadLocation("America/Chicago")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, in string) {
		var p Policy
		if err := json.Unmarshal([]byte(in), &p); err != nil {
			return
		}
		if err := p.Validate(); err != nil {
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("untyped error %v", err)
			}
		}
		for _, at := range []time.Time{time.Date(2026, 11, 26, 18, 0, 0, 0, time.UTC), time.Date(2026, 6, 14, 3, 0, 0, 0, time.UTC)} {
			_ = Decide(p, nil, Request{Address: addr, Channel: channel.KindSMS, Purpose: PurposeMarketing, At: at,
				Zones: []*time.Location{chi}, Regions: []string{"US-AL", "US-TX"}})
		}
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatalf("Marshal of an unmarshalled policy: %v", err)
		}
		var again Policy
		if err := json.Unmarshal(b, &again); err != nil {
			t.Fatalf("re-read of %s: %v", b, err)
		}
		if b2, err := json.Marshal(again); err != nil || string(b2) != string(b) {
			t.Fatalf("not stable:\n%s\n%s", b, b2)
		}
	})
}
