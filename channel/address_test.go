package channel

import (
	"encoding/json"
	"errors"
	"testing"
)

func TestParseAddress(t *testing.T) {
	tests := []struct{ in, want string }{
		{"tel:+12125550123", "tel:+12125550123"},
		{"TEL:+1 (212) 555-0123", "tel:+12125550123"},
		{"tel:+1-212-555-0123;ext=45", "tel:+12125550123;ext=45"},
		{"mailto:Jane.Doe@Example.COM", "mailto:jane.doe@example.com"},
		{"mailto:Jane Doe <jane@example.com>", "mailto:jane@example.com"},
		{"whatsapp:+1 212 555 0123", "whatsapp:+12125550123"},
		{"facebook:4410009876", "facebook:4410009876"},
		{"instagram:17841400000000000", "instagram:17841400000000000"},
		{"webchat:3f1c2e9a-session", "webchat:3f1c2e9a-session"},
		{"Telegram:someone_42", "telegram:someone_42"}, // a scheme a newer version may add: kept
	}
	for _, tt := range tests {
		a, err := ParseAddress(tt.in)
		if err != nil {
			t.Errorf("ParseAddress(%q): %v", tt.in, err)
			continue
		}
		if a.String() != tt.want {
			t.Errorf("ParseAddress(%q) = %q, want %q", tt.in, a, tt.want)
		}
		again, err := ParseAddress(a.String())
		if err != nil || again != a {
			t.Errorf("re-parse of %q = %v, %v", a, again, err)
		}
	}
}

func TestParseAddressRejects(t *testing.T) {
	tests := []struct {
		in   string
		also error
	}{
		{"", nil},
		{"+12125550123", nil}, // no scheme
		{"tel:555-0100", ErrInvalidPhone},
		{"tel:2125550123", ErrInvalidPhone}, // tel: needs international form
		{"mailto:jane", ErrInvalidEmail},
		{"facebook:", nil},
		{"webchat:has space", nil},
		{"1tel:+12125550123", nil},
	}
	for _, tt := range tests {
		_, err := ParseAddress(tt.in)
		if !errors.Is(err, ErrInvalidAddress) {
			t.Errorf("ParseAddress(%q) = %v, want ErrInvalidAddress", tt.in, err)
		}
		if tt.also != nil && !errors.Is(err, tt.also) {
			t.Errorf("ParseAddress(%q) = %v, want it to wrap %v too", tt.in, err, tt.also)
		}
	}
}

func TestAddressAccessors(t *testing.T) {
	p, _ := ParsePhone("212-555-0123 x45", "US")
	a := p.Address()
	if a.Scheme() != SchemeTel || a.Path() != "+12125550123;ext=45" {
		t.Errorf("scheme/path = %q %q", a.Scheme(), a.Path())
	}
	if a.Line().String() != "tel:+12125550123" {
		t.Errorf("Line = %q", a.Line())
	}
	if got, ok := a.Phone(); !ok || got != p {
		t.Errorf("Phone() = %v, %v", got, ok)
	}
	if !a.Supports(KindSMS) || !a.Supports(KindVoice) || a.Supports(KindEmail) {
		t.Error("tel: supports sms and voice, not email")
	}
	e, _ := ParseEmail("Jane <jane@example.com>")
	m := e.Address()
	if got, ok := m.Email(); !ok || got.AddrSpec() != "jane@example.com" || got.Name() != "" {
		t.Errorf("Email() = %v, %v", got, ok)
	}
	if !m.Supports(KindEmail) || m.Supports(KindSMS) {
		t.Error("mailto: supports email only")
	}
	if _, ok := m.Phone(); ok {
		t.Error("mailto: has no phone")
	}
	var zero Address
	if !zero.IsZero() || zero.Scheme() != "" || zero.Path() != "" || zero.Supports(KindSMS) {
		t.Error("zero Address")
	}
	// Address is comparable and usable as a map key.
	m2, _ := ParseAddress("MAILTO:JANE@EXAMPLE.COM")
	seen := map[Address]bool{m: true}
	if !seen[m2] {
		t.Error("equal addresses are not equal map keys")
	}
}

func TestAddressJSON(t *testing.T) {
	type rec struct {
		A Address `json:"a"`
		B Address `json:"b,omitzero"`
	}
	a, _ := ParseAddress("tel:+12125550123")
	b, err := json.Marshal(rec{A: a})
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"a":"tel:+12125550123"}` {
		t.Errorf("json = %s", b)
	}
	var r rec
	if err := json.Unmarshal(b, &r); err != nil || r.A != a {
		t.Errorf("unmarshal = %v, %v", r, err)
	}
	// Unmarshalling re-validates.
	if err := json.Unmarshal([]byte(`{"a":"tel:555-0100"}`), &r); !errors.Is(err, ErrInvalidPhone) {
		t.Errorf("unmarshal of an invalid number = %v", err)
	}
}

// TestUnmarshalStoredAddressWithoutMetadata: a stored address in canonical
// form is read by its form alone, so that a record stays readable when a
// newer numbering plan drops its range; other text is still validated.
func TestUnmarshalStoredAddressWithoutMetadata(t *testing.T) {
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		{"tel:+10005550123", "tel:+10005550123", true}, // rejected by today's metadata (area code 000)
		{"whatsapp:+10005550123", "whatsapp:+10005550123", true},
		{"tel:+10005550123;ext=42", "tel:+10005550123;ext=42", true},
		{"tel:+1 212 555 0123", "tel:+12125550123", true}, // not canonical: parsed and normalized
		{"TEL:+12125550123", "tel:+12125550123", true},    // not canonical: parsed
		{"tel:+0123456789", "", false},                    // no country code starts with 0
		{"tel:+1", "", false},
		{"tel:+1234567890123456", "", false},        // 16 digits
		{"whatsapp:+10005550123;ext=42", "", false}, // whatsapp has no extensions
		{"tel:+10005550123;ext=", "", false},
		{"tel:+10005550123;ext=4a", "", false},
	} {
		var a Address
		err := a.UnmarshalText([]byte(c.in))
		switch {
		case c.ok && err != nil:
			t.Errorf("UnmarshalText(%q): %v", c.in, err)
		case c.ok && a.String() != c.want:
			t.Errorf("UnmarshalText(%q) = %q, want %q", c.in, a.String(), c.want)
		case !c.ok && err == nil:
			t.Errorf("UnmarshalText(%q) = %q, want an error", c.in, a.String())
		case !c.ok && !errors.Is(err, ErrInvalidAddress):
			t.Errorf("UnmarshalText(%q): error %v does not wrap ErrInvalidAddress", c.in, err)
		}
	}
	if _, err := ParseAddress("tel:+10005550123"); !errors.Is(err, ErrInvalidPhone) {
		t.Errorf("ParseAddress still validates against the metadata: got %v, want ErrInvalidPhone", err)
	}
}
