package channel

import (
	"errors"
	"testing"
)

// Every parser of outside input must never panic, must refuse with a typed
// error, and must produce values that re-parse to themselves.

func FuzzParsePhone(f *testing.F) {
	for _, s := range []string{"(212) 555-0123", "+1 212-555-0123 ext. 45", "001 212 555 0123", "tel:+1-212-555-0123;ext=9", "555-0100", "２１２５５５０１２３", "+44 20 7946 0958", "x", ""} {
		f.Add(s, "US")
	}
	f.Add("020 7946 0958", "GB")
	f.Add("0043 1 5550123", "DE")
	f.Fuzz(func(t *testing.T, raw, region string) {
		p, err := ParsePhone(raw, region)
		if err != nil {
			var ve *ValidationError
			if !errors.As(err, &ve) || !errors.Is(err, ErrInvalidPhone) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		again, err := ParsePhone(p.String(), "")
		if err != nil || again != p {
			t.Fatalf("ParsePhone(%q, %q) = %v; re-parse gives %v, %v", raw, region, p, again, err)
		}
		if e, err := ParsePhone(p.E164(), ""); err != nil || e != p.WithoutExtension() {
			t.Fatalf("E.164 %q re-parses to %v, %v", p.E164(), e, err)
		}
	})
}

func FuzzParseEmail(f *testing.F) {
	for _, s := range []string{"jane.doe@example.com", "Jane Doe <Jane.Doe@Example.COM>", `"Doe, Jane" <jane@example.com>`, "josé@example.com", "a@b", "@", "<>", "",
		"jane@bücher.de", "JANE@XN--BCHER-KVA.DE", "Jane <jane@bu\u0308cher.de>", "jane@faß.de", "jane@xn--zz.de", "jane@例え.テスト", "jane@ｅｘａｍｐｌｅ.com", "jane@münchen。de"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		e, err := ParseEmail(raw)
		if err != nil {
			var ve *ValidationError
			if !errors.As(err, &ve) || !errors.Is(err, ErrInvalidEmail) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		again, err := ParseEmail(e.String())
		if err != nil || again != e {
			t.Fatalf("ParseEmail(%q) = %#v; re-parse of %q gives %#v, %v", raw, e, e.String(), again, err)
		}
		bare, err := ParseEmail(e.AddrSpec())
		if err != nil || bare.AddrSpec() != e.AddrSpec() {
			t.Fatalf("address %q re-parses to %v, %v", e.AddrSpec(), bare, err)
		}
		// The A-label spelling of the domain is the same address.
		spec := e.AddrSpec()
		ascii := spec[:len(spec)-len(e.Domain())] + e.ASCIIDomain()
		if a, err := ParseEmail(ascii); err != nil || a != e.WithoutName() {
			t.Fatalf("A-label form %q of %q parses to %v, %v", ascii, spec, a, err)
		}
	})
}

func FuzzParseAddress(f *testing.F) {
	for _, s := range []string{"tel:+12125550123", "tel:+1-212-555-0123;ext=45", "mailto:Jane.Doe@Example.COM", "whatsapp:+12125550123", "facebook:4410009876", "webchat:abc", "telegram:x", ":", "tel:", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		a, err := ParseAddress(raw)
		if err != nil {
			var ve *ValidationError
			if !errors.As(err, &ve) || !errors.Is(err, ErrInvalidAddress) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		again, err := ParseAddress(a.String())
		if err != nil || again != a {
			t.Fatalf("ParseAddress(%q) = %q; re-parse gives %q, %v", raw, a, again, err)
		}
	})
}

// FuzzAddressUnmarshalText: reading a stored or received address never
// panics, fails only with a typed error, and what it accepts marshals back
// to text that reads as the same Address; whatever ParseAddress accepts
// reads back unchanged.
func FuzzAddressUnmarshalText(f *testing.F) {
	for _, s := range []string{"tel:+12125550123", "tel:+10005550123", "tel:+10005550123;ext=7", "whatsapp:+447700900123",
		"tel:+1 212 555 0123", "tel:+0123", "tel:+1234567890123456", "whatsapp:+1;ext=1", "mailto:jane@example.com", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		var a Address
		if err := a.UnmarshalText([]byte(raw)); err != nil {
			var ve *ValidationError
			if !errors.As(err, &ve) || !errors.Is(err, ErrInvalidAddress) {
				t.Fatalf("UnmarshalText(%q): untyped error %v", raw, err)
			}
		} else {
			text, _ := a.MarshalText()
			var again Address
			if err := again.UnmarshalText(text); err != nil || again != a {
				t.Fatalf("UnmarshalText(%q) = %q; reading its text again gives %q, %v", raw, a, again, err)
			}
		}
		if p, err := ParseAddress(raw); err == nil {
			var b Address
			if err := b.UnmarshalText([]byte(p.String())); err != nil || b != p {
				t.Fatalf("ParseAddress(%q) = %q, which UnmarshalText reads as %q, %v", raw, p, b, err)
			}
		}
	})
}
