package channel

import (
	"errors"
	"strings"
	"testing"
)

func TestParseEmailAccepts(t *testing.T) {
	tests := []struct {
		name, raw, addr, display, key string
	}{
		{"bare canonical", "jane.doe@example.com", "jane.doe@example.com", "", "jane.doe@example.com"},
		{"mixed case", "Jane.Doe@Example.COM", "jane.doe@example.com", "", "jane.doe@example.com"},
		{"display name", "Jane Doe <Jane.Doe@Example.COM>", "jane.doe@example.com", "Jane Doe", "jane.doe@example.com"},
		{"quoted display name with comma", `"Doe, Jane" <jane@example.com>`, "jane@example.com", "Doe, Jane", "jane@example.com"},
		{"surrounding space", "  jane@example.com \n", "jane@example.com", "", "jane@example.com"},
		{"plus tag kept in address, dropped in key", "jane+cars@example.com", "jane+cars@example.com", "", "jane@example.com"},
		{"gmail dots folded in key", "Jane.Doe+lead@gmail.com", "jane.doe+lead@gmail.com", "", "janedoe@gmail.com"},
		{"googlemail folds to gmail", "jane.doe@googlemail.com", "jane.doe@googlemail.com", "", "janedoe@gmail.com"},
		{"NFC applied to decomposed name", "Jose\u0301 <jose@example.com>", "jose@example.com", "José", "jose@example.com"},
		{"internationalized local part", "José@Example.com", "josé@example.com", "", "josé@example.com"},
		{"subdomain", "sales@store.example.co.uk", "sales@store.example.co.uk", "", "sales@store.example.co.uk"},
		{"ASCII domain with a double hyphen kept", "jane@r3--store.example.com", "jane@r3--store.example.com", "", "jane@r3--store.example.com"},
		// Internationalized domains: one canonical Unicode form.
		{"IDN", "jane@bücher.de", "jane@bücher.de", "", "jane@bücher.de"},
		{"IDN upper case", "Jane@BÜCHER.DE", "jane@bücher.de", "", "jane@bücher.de"},
		{"IDN A-label", "jane@xn--bcher-kva.de", "jane@bücher.de", "", "jane@bücher.de"},
		{"IDN A-label upper case", "JANE@XN--BCHER-KVA.DE", "jane@bücher.de", "", "jane@bücher.de"},
		{"IDN decomposed", "jane@bu\u0308cher.de", "jane@bücher.de", "", "jane@bücher.de"},
		{"IDN full-width", "jane@ｂüｃｈｅｒ．ｄｅ", "jane@bücher.de", "", "jane@bücher.de"},
		{"IDN ideographic full stop", "jane@münchen。de", "jane@münchen.de", "", "jane@münchen.de"},
		{"IDN display name", "Jane <jane@xn--mnchen-3ya.de>", "jane@münchen.de", "Jane", "jane@münchen.de"},
		{"IDN sharp s kept (non-transitional)", "jane@xn--fa-hia.de", "jane@faß.de", "", "jane@faß.de"},
		{"IDN Japanese", "jane@xn--r8jz45g.xn--zckzah", "jane@例え.テスト", "", "jane@例え.テスト"},
		{"IDN symbol, as UTS #46 lookup allows", "jane@xn--n3h.com", "jane@\u2603.com", "", "jane@\u2603.com"},
		{"IDN Devanagari with spacing marks", "jane@हिन्दी.भारत", "jane@हिन्दी.भारत", "", "jane@हिन्दी.भारत"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := ParseEmail(tt.raw)
			if err != nil {
				t.Fatalf("ParseEmail(%q): %v", tt.raw, err)
			}
			if e.AddrSpec() != tt.addr || e.Name() != tt.display || e.MatchKey() != tt.key {
				t.Errorf("got (%q, %q, key %q), want (%q, %q, key %q)", e.AddrSpec(), e.Name(), e.MatchKey(), tt.addr, tt.display, tt.key)
			}
			again, err := ParseEmail(e.String())
			if err != nil || again != e {
				t.Errorf("re-parse of %q = %v, %v", e.String(), again, err)
			}
		})
	}
}

func TestParseEmailRejects(t *testing.T) {
	tests := []struct{ name, raw, why string }{
		{"empty", "  ", "empty"},
		{"no at", "jane.example.com", "no @"},
		{"no domain dot", "jane@localhost", "top-level"},
		{"double dot", "jane..doe@example.com", "misplaced dot"},
		{"leading dot", ".jane@example.com", "misplaced dot"},
		{"empty local", "@example.com", "empty local part"},
		{"hyphen label", "jane@-example.com", "hyphen"},
		{"empty label", "jane@example..com", "empty domain label"},
		{"two addresses", "a@example.com, b@example.com", "more than one"},
		{"unbalanced", "Jane <jane@example.com", "unbalanced"},
		{"quoted local part", `"jane doe"@example.com`, "not allowed"},
		{"space inside", "jane doe@example.com", "malformed"},
		{"invalid utf8", "jane\xff@example.com", "UTF-8"},
		{"underscore in domain", "jane@exa_mple.com", "domain"},
		{"invalid A-label", "jane@xn--zz.de", "internationalized"},
		{"IDN label too long as A-label", "jane@" + strings.Repeat("ü", 60) + ".de", "internationalized"},
		{"IDN mixing directions", "jane@a\u05d0.com", "internationalized"},
		{"IDN with a disallowed character", "jane@a\u2488.com", "internationalized"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := ParseEmail(tt.raw)
			if err == nil {
				t.Fatalf("ParseEmail(%q) = %v, want error", tt.raw, e)
			}
			var ve *ValidationError
			if !errors.Is(err, ErrInvalidEmail) || !errors.As(err, &ve) || ve.Field != "email" {
				t.Errorf("error %v: want *ValidationError{Field: email} wrapping ErrInvalidEmail", err)
			}
			if !strings.Contains(err.Error(), tt.why) {
				t.Errorf("error %q does not say %q", err, tt.why)
			}
		})
	}
}

func TestParseEmailCanonicalAllocatesNothing(t *testing.T) {
	var sink Email
	allocs := testing.AllocsPerRun(100, func() {
		sink, _ = ParseEmail("jane.doe@example.com")
	})
	if allocs != 0 {
		t.Errorf("ParseEmail on canonical input allocated %v times per call, want 0", allocs)
	}
	_ = sink
}

func TestInternationalizedEmailIsOneAddress(t *testing.T) {
	u, err := ParseAddress("mailto:jane@bücher.de")
	if err != nil {
		t.Fatal(err)
	}
	a, err := ParseAddress("mailto:jane@xn--bcher-kva.de")
	if err != nil {
		t.Fatal(err)
	}
	if u != a || u.String() != "mailto:jane@bücher.de" {
		t.Fatalf("%v and %v: want one address mailto:jane@bücher.de", u, a)
	}
	e, _ := ParseEmail("jane@bücher.de")
	if e.ASCIIDomain() != "xn--bcher-kva.de" {
		t.Errorf("ASCIIDomain = %q", e.ASCIIDomain())
	}
	plain, _ := ParseEmail("jane@example.com")
	if plain.ASCIIDomain() != "example.com" || (Email{}).ASCIIDomain() != "" {
		t.Errorf("ASCIIDomain of an ASCII domain = %q", plain.ASCIIDomain())
	}
}

func TestEmailText(t *testing.T) {
	e, _ := ParseEmail(`"Jane \"JD\" Doe" <jane@example.com>`)
	if e.Name() != `Jane "JD" Doe` {
		t.Fatalf("Name = %q", e.Name())
	}
	b, _ := e.MarshalText()
	var f Email
	if err := f.UnmarshalText(b); err != nil || f != e {
		t.Fatalf("round trip of %s = %v, %v", b, f, err)
	}
	if err := f.UnmarshalText([]byte("not-an-email")); !errors.Is(err, ErrInvalidEmail) {
		t.Errorf("UnmarshalText accepted garbage: %v", err)
	}
	if e.Domain() != "example.com" || e.WithoutName().Name() != "" {
		t.Error("Domain/WithoutName")
	}
}
