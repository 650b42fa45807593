package consent

import (
	"errors"
	"strings"
	"testing"
)

func TestParseEnums(t *testing.T) {
	parsers := map[string]func(string) (string, error){
		"action":  func(s string) (string, error) { v, err := ParseAction(s); return string(v), err },
		"purpose": func(s string) (string, error) { v, err := ParsePurpose(s); return string(v), err },
		"basis":   func(s string) (string, error) { v, err := ParseBasis(s); return string(v), err },
		"method":  func(s string) (string, error) { v, err := ParseMethod(s); return string(v), err },
		"status":  func(s string) (string, error) { v, err := ParseStatus(s); return string(v), err },
	}
	for field, parse := range parsers {
		for in, want := range map[string]string{
			"":                      "",
			"  ":                    "",
			" DNC_Request ":         "dnc_request",
			"teleport":              "teleport",
			"opt-out":               "opt-out",
			strings.Repeat("a", 32): strings.Repeat("a", 32),
		} {
			if got, err := parse(in); err != nil || got != want {
				t.Errorf("Parse %s(%q) = %q, %v; want %q", field, in, got, err, want)
			}
		}
		for _, in := range []string{"opt out", "stop!", "ärger", strings.Repeat("a", 33), "a\x00"} {
			_, err := parse(in)
			var ve *ValidationError
			if !errors.As(err, &ve) || ve.Field != field || !errors.Is(err, ErrInvalid) {
				t.Errorf("Parse %s(%q) error = %v; want a *ValidationError for %q wrapping ErrInvalid", field, in, err, field)
			}
		}
	}
}

func TestID(t *testing.T) {
	id, err := NewID()
	if err != nil || id.IsZero() {
		t.Fatalf("NewID() = %v, %v", id, err)
	}
	back, err := ParseID(strings.ToUpper(id.String()))
	if err != nil || back != id {
		t.Errorf("ParseID(upper case) = %v, %v; want %v", back, err, id)
	}
	if z, err := ParseID(""); err != nil || !z.IsZero() || z.String() != "" {
		t.Errorf(`ParseID("") = %v, %v`, z, err)
	}
	_, err = ParseID("01954f00-0000-7000-8000-00000000000")
	var ve *ValidationError
	if !errors.Is(err, ErrInvalidID) || !errors.As(err, &ve) || ve.Field != "id" {
		t.Errorf("ParseID(short) = %v", err)
	}
}
