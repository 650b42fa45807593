package channel

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestParsePhoneAccepts(t *testing.T) {
	tests := []struct {
		name, raw, region    string
		e164, ext, numRegion string
	}{
		{"parenthesised national", "(212) 555-0123", "US", "+12125550123", "", "US"},
		{"dotted national", "212.555.0123", "US", "+12125550123", "", "US"},
		{"international with dashes", "+1 212-555-0123", "", "+12125550123", "", "US"},
		{"international ignores region", "+1 212-555-0123", "GB", "+12125550123", "", "US"},
		{"trunk prefix 1", "1 212 555 0123", "US", "+12125550123", "", "US"},
		{"dialled from Germany with 00", "001 212 555 0123", "DE", "+12125550123", "", "US"},
		{"dialled from UK with 00", "00 1 212 555 0123", "GB", "+12125550123", "", "US"},
		{"tel URI", "tel:+1-212-555-0123", "", "+12125550123", "", "US"},
		{"tel URI upper case", "TEL:+1-212-555-0123", "", "+12125550123", "", "US"},
		{"tel URI with ext param", "tel:+1-212-555-0123;ext=45", "", "+12125550123", "45", "US"},
		{"extension x", "212-555-0123 x45", "US", "+12125550123", "45", "US"},
		{"extension ext.", "(212) 555-0123 ext. 45", "US", "+12125550123", "45", "US"},
		{"full-width digits", "２１２−５５５−０１２３", "US", "+12125550123", "", "US"},
		{"surrounding space and punctuation", "  \"(212) 555-0123.\"  ", "US", "+12125550123", "", "US"},
		{"lower-case region", "2125550123", "us", "+12125550123", "", "US"},
		{"canonical E.164", "+12125550123", "", "+12125550123", "", "US"},
		{"Canada", "(416) 555-0123", "CA", "+14165550123", "", "CA"},
		{"Canada read as US", "416-555-0199", "US", "+14165550199", "", "CA"},
		{"Jamaica", "+1 876 555 0123", "", "+18765550123", "", "JM"},
		{"UK landline", "020 7946 0958", "GB", "+442079460958", "", "GB"},
		{"UK drama landline international", "+44 20 7946 0958", "", "+442079460958", "", "GB"},
		{"Mexico", "+52 55 5555 0123", "", "+525555550123", "", "MX"},
		{"trunk zero written after the country code", "+49 0439238", "", "+49439238", "", "DE"},
		{"same number dialled in Germany", "0439238", "DE", "+49439238", "", "DE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParsePhone(tt.raw, tt.region)
			if err != nil {
				t.Fatalf("ParsePhone(%q, %q): %v", tt.raw, tt.region, err)
			}
			if p.E164() != tt.e164 || p.Extension() != tt.ext || p.Region() != tt.numRegion {
				t.Errorf("got (%s, ext %q, %s), want (%s, ext %q, %s)", p.E164(), p.Extension(), p.Region(), tt.e164, tt.ext, tt.numRegion)
			}
			// A re-parse of the text form gives the same number.
			again, err := ParsePhone(p.String(), "")
			if err != nil || again != p {
				t.Errorf("re-parse of %q = %v, %v; want %v", p.String(), again, err, p)
			}
			again, err = ParsePhone(p.E164(), "")
			if err != nil || again != p.WithoutExtension() {
				t.Errorf("re-parse of E.164 %q = %v, %v", p.E164(), again, err)
			}
		})
	}
}

func TestParsePhoneRejects(t *testing.T) {
	tests := []struct {
		name, raw, region, why string
	}{
		{"seven digits without area code", "555-0100", "US", "without an area code"},
		{"empty", "", "US", "empty"},
		{"only punctuation", " - () ", "US", "not a phone number"},
		{"UK drama mobile range is not assigned", "07700 900123", "GB", "numbering plan"},
		{"letters", "call me", "US", "empty"},
		{"no region and no plus", "2125550123", "", "no country code"},
		{"unknown region", "2125550123", "XX", "unknown region"},
		{"too long", "+1 212 555 0123 4567 89", "", "too long"},
		{"too short", "+1 212", "", "too short"},
		{"area code 000 is unassigned", "(000) 555-0123", "US", "numbering plan"},
		{"unknown country code", "+999 1234 5678", "", "country code"},
		{"011 from the US reads 212 as Morocco", "011 212 555 0123", "US", "too short"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParsePhone(tt.raw, tt.region)
			if err == nil {
				t.Fatalf("ParsePhone(%q, %q) = %v, want error", tt.raw, tt.region, p)
			}
			if !errors.Is(err, ErrInvalidPhone) {
				t.Errorf("error %v does not wrap ErrInvalidPhone", err)
			}
			var ve *ValidationError
			if !errors.As(err, &ve) || ve.Field == "" {
				t.Errorf("error %v is not a *ValidationError naming a field", err)
			}
			if !strings.Contains(err.Error(), tt.why) {
				t.Errorf("error %q does not say %q", err, tt.why)
			}
			if digits := strings.Map(keepDigits, tt.raw); len(digits) >= 7 && strings.Contains(err.Error(), digits) {
				t.Errorf("error %q repeats the input", err)
			}
		})
	}
}

func keepDigits(r rune) rune {
	if r >= '0' && r <= '9' {
		return r
	}
	return -1
}

func TestPhoneDetails(t *testing.T) {
	p, err := ParsePhone("(212) 555-0123 ext. 45", "US")
	if err != nil {
		t.Fatal(err)
	}
	if got := p.National(); got != "(212) 555-0123 ext. 45" {
		t.Errorf("National = %q", got)
	}
	if got := p.International(); !strings.HasPrefix(got, "+1 212-555-0123") {
		t.Errorf("International = %q", got)
	}
	if got := p.Type(); got != PhoneTypeFixedOrMobile {
		t.Errorf("Type = %q, want fixed_or_mobile", got)
	}
	if got := p.TimeZones(); !slices.Equal(got, []string{"America/New_York"}) {
		t.Errorf("TimeZones = %v", got)
	}
	if got := p.String(); got != "+12125550123;ext=45" {
		t.Errorf("String = %q", got)
	}
	uk, _ := ParsePhone("020 7946 0958", "GB")
	if uk.Type() != PhoneTypeFixed || !slices.Equal(uk.TimeZones(), []string{"Europe/London"}) {
		t.Errorf("UK 020 Type = %q, zones %v; want fixed in Europe/London", uk.Type(), uk.TimeZones())
	}
	tf, _ := ParsePhone("+1 800 555 0123", "")
	if tf.Type() != PhoneTypeTollFree {
		t.Errorf("800 Type = %q, want toll_free", tf.Type())
	}
	var zero Phone
	if zero.Type() != PhoneTypeUnknown || zero.TimeZones() != nil || zero.National() != "" || !zero.IsZero() {
		t.Error("zero Phone should report nothing")
	}
}

func TestPhoneTextRoundTrip(t *testing.T) {
	p, _ := ParsePhone("212 555 0123 x7", "US")
	b, err := p.MarshalText()
	if err != nil {
		t.Fatal(err)
	}
	var q Phone
	if err := q.UnmarshalText(b); err != nil || q != p {
		t.Fatalf("round trip = %v, %v; want %v", q, err, p)
	}
	if err := q.UnmarshalText([]byte("555-0100")); !errors.Is(err, ErrInvalidPhone) {
		t.Errorf("UnmarshalText accepted an invalid number: %v", err)
	}
	if err := q.UnmarshalText(nil); err != nil || !q.IsZero() {
		t.Errorf("empty text should give the zero Phone")
	}
}
