package channel

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"
)

// Phone is a validated telephone number: its E.164 form, an optional
// extension and the region it belongs to. Phone values are comparable; two
// Phones are equal when they denote the same number and extension.
//
// A Phone is built only by [ParsePhone] (or by unmarshalling, which calls
// it). The zero Phone means "no number".
//
// E164, Extension and Region are free; Type, National and TimeZones consult
// the numbering-plan metadata on every call.
type Phone struct {
	e164   string // "+12125550123"
	ext    string // digits only, "" when none
	region string // ISO 3166-1 alpha-2 of the number, "001" for non-geographic entities
}

// PhoneType is the kind of line a number belongs to, as the numbering plan
// of its country says. It is a hint (numbers are ported between mobile and
// fixed lines), not a guarantee that a number can receive texts. The zero
// PhoneType means unknown.
type PhoneType string

// The number types, as stored.
const (
	PhoneTypeUnknown       PhoneType = ""
	PhoneTypeFixed         PhoneType = "fixed"
	PhoneTypeMobile        PhoneType = "mobile"
	PhoneTypeFixedOrMobile PhoneType = "fixed_or_mobile" // the plan cannot tell (the US and Canada)
	PhoneTypeTollFree      PhoneType = "toll_free"
	PhoneTypePremiumRate   PhoneType = "premium_rate"
	PhoneTypeSharedCost    PhoneType = "shared_cost"
	PhoneTypeVoIP          PhoneType = "voip"
	PhoneTypePersonal      PhoneType = "personal"
	PhoneTypePager         PhoneType = "pager"
	PhoneTypeUAN           PhoneType = "uan"
	PhoneTypeVoicemail     PhoneType = "voicemail"
)

// Known reports whether t is one of the types this version knows.
func (t PhoneType) Known() bool {
	switch t {
	case PhoneTypeFixed, PhoneTypeMobile, PhoneTypeFixedOrMobile, PhoneTypeTollFree,
		PhoneTypePremiumRate, PhoneTypeSharedCost, PhoneTypeVoIP, PhoneTypePersonal,
		PhoneTypePager, PhoneTypeUAN, PhoneTypeVoicemail:
		return true
	}
	return false
}

// MaybeMobile reports whether the number may be able to receive texts: its
// type is mobile, fixed-or-mobile, VoIP or unknown. Only a delivery attempt
// (or a carrier lookup) can say for sure.
func (t PhoneType) MaybeMobile() bool {
	switch t {
	case PhoneTypeMobile, PhoneTypeFixedOrMobile, PhoneTypeVoIP, PhoneTypeUnknown:
		return true
	}
	return !t.Known()
}

// ParsePhone normalizes a telephone number as people write it.
//
// region is the ISO 3166-1 alpha-2 code ("US", "CA", "GB"; either case) of
// the place the number was written or dialled from. It decides how a number
// without a leading "+" is read: "(212) 555-0123" with region "US" is
// +12125550123, and "001 212 555 0123" with region "DE" (dialled from Germany
// with its international prefix) is the same number. region may be "" when
// the input carries its country code ("+1 212-555-0123").
//
// ParsePhone accepts punctuation, spaces, full-width digits, a "tel:" URI
// prefix, and an extension written as "x45", "ext. 45", "extension 45" or
// ";ext=45" (the extension is kept). Surrounding spaces and punctuation are
// ignored.
//
// The number must be valid for its country, not merely of a possible length:
// "555-0100" with region "US" is refused (it lacks an area code) rather than
// turned into +15550100. The error is a *ValidationError with Field "phone"
// wrapping [ErrInvalidPhone] and saying why (too short, too long, unknown
// country code, no area code, not in the numbering plan). It never includes
// the input.
//
// The E.164 form of any Phone that ParsePhone returns parses back to an equal
// Phone with region "".
//
// ParsePhone is safe for concurrent use.
func ParsePhone(raw, region string) (Phone, error) {
	s := trimPhone(raw)
	if s == "" {
		return Phone{}, invalid("phone", fmt.Errorf("%w: empty", ErrInvalidPhone))
	}
	if len(s) > 250 {
		return Phone{}, invalid("phone", fmt.Errorf("%w: longer than 250 bytes", ErrInvalidPhone))
	}
	region = strings.ToUpper(strings.TrimSpace(region))
	if region != "" && phonenumbers.GetCountryCodeForRegion(region) == 0 {
		return Phone{}, invalid("region", fmt.Errorf("%w: unknown region code", ErrInvalidPhone))
	}
	n, err := phonenumbers.Parse(s, region)
	if err != nil {
		return Phone{}, invalid("phone", fmt.Errorf("%w: %s", ErrInvalidPhone, parseReason(err, region)))
	}
	numRegion, ok := validNumber(n)
	if numRegion == "" || !ok {
		return Phone{}, invalid("phone", fmt.Errorf("%w: %s", ErrInvalidPhone, invalidReason(n, region)))
	}
	p := Phone{region: numRegion}
	// E.164 is "+", the calling code and the national significant number
	// (what phonenumbers.Format(n, E164) writes), built here without the
	// formatter; input already in that form is kept without allocating.
	// ("+490439238" is not: the 0 is a trunk prefix, and the number is
	// +49439238.)
	var buf [24]byte
	b := append(buf[:0], '+')
	b = strconv.AppendInt(b, int64(n.GetCountryCode()), 10)
	b = appendNSN(b, n)
	if string(b) == s {
		p.e164 = s
	} else {
		p.e164 = string(b)
	}
	if ext := n.GetExtension(); ext != "" {
		p.ext = ext
	}
	return p, nil
}

// trimPhone removes surrounding space and punctuation that cannot start or
// end a number, and a "tel:" scheme in any case. Leading '+' and '(' and a
// trailing ')' are kept.
func trimPhone(s string) string {
	s = strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == utf8.RuneError
	})
	if len(s) >= 4 && strings.EqualFold(s[:4], "tel:") {
		s = s[4:]
	}
	start := strings.IndexFunc(s, func(r rune) bool {
		return r == '+' || r == '＋' || r == '(' || r == '（' || unicode.IsDigit(r)
	})
	if start < 0 {
		return ""
	}
	end := strings.LastIndexFunc(s, func(r rune) bool {
		return r == ')' || r == '）' || unicode.IsDigit(r) || unicode.IsLetter(r)
	})
	if end < start {
		return ""
	}
	_, size := utf8.DecodeRuneInString(s[end:])
	return s[start : end+size]
}

func parseReason(err error, region string) string {
	switch {
	case errors.Is(err, phonenumbers.ErrInvalidCountryCode):
		if region == "" {
			return "no country code and no region given"
		}
		return "unknown country code"
	case errors.Is(err, phonenumbers.ErrTooShortNSN), errors.Is(err, phonenumbers.ErrTooShortAfterIDD):
		return "too short"
	case errors.Is(err, phonenumbers.ErrNumTooLong):
		return "too long"
	default:
		return "not a phone number"
	}
}

func invalidReason(n *phonenumbers.PhoneNumber, region string) string {
	switch phonenumbers.IsPossibleNumberWithReason(n) {
	case phonenumbers.INVALID_COUNTRY_CODE:
		return "unknown country code"
	case phonenumbers.TOO_SHORT:
		return "too short for its country"
	case phonenumbers.TOO_LONG:
		return "too long for its country"
	case phonenumbers.INVALID_LENGTH:
		return "wrong length for its country"
	case phonenumbers.IS_POSSIBLE_LOCAL_ONLY:
		return "local number without an area code"
	}
	if region != "" {
		return "not a valid number in the numbering plan (read with region " + region + ")"
	}
	return "not a valid number in the numbering plan"
}

// IsZero reports whether p is the zero Phone.
func (p Phone) IsZero() bool { return p.e164 == "" }

// E164 returns the number in E.164 form, "+12125550123", without extension.
func (p Phone) E164() string { return p.e164 }

// Extension returns the extension digits, or "".
func (p Phone) Extension() string { return p.ext }

// Region returns the ISO 3166-1 alpha-2 region the number belongs to ("US",
// "CA", "JM", "GB"), "001" for non-geographic numbers, or "" for the zero
// Phone.
func (p Phone) Region() string { return p.region }

// WithoutExtension returns p with its extension removed: the line that
// consent and inbound messages are keyed on.
func (p Phone) WithoutExtension() Phone {
	p.ext = ""
	return p
}

// String returns the text form: the E.164 number, followed by ";ext=" and the
// extension when there is one (RFC 3966 style), or "" for the zero Phone.
func (p Phone) String() string {
	if p.ext == "" {
		return p.e164
	}
	return p.e164 + ";ext=" + p.ext
}

// MarshalText implements encoding.TextMarshaler with the [Phone.String] form.
func (p Phone) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler. It re-validates: the text
// must be a number in international form (region ""), as MarshalText writes
// it. Empty text gives the zero Phone.
func (p *Phone) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*p = Phone{}
		return nil
	}
	v, err := ParsePhone(string(b), "")
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// number re-parses the canonical form. It cannot fail for a Phone built by
// ParsePhone; the zero Phone gives nil.
func (p Phone) number() *phonenumbers.PhoneNumber {
	if p.e164 == "" {
		return nil
	}
	n, err := phonenumbers.Parse(p.String(), "")
	if err != nil {
		return nil
	}
	return n
}

// Type returns the kind of line the numbering plan assigns the number to.
func (p Phone) Type() PhoneType {
	n := p.number()
	if n == nil {
		return PhoneTypeUnknown
	}
	switch phonenumbers.GetNumberType(n) {
	case phonenumbers.FIXED_LINE:
		return PhoneTypeFixed
	case phonenumbers.MOBILE:
		return PhoneTypeMobile
	case phonenumbers.FIXED_LINE_OR_MOBILE:
		return PhoneTypeFixedOrMobile
	case phonenumbers.TOLL_FREE:
		return PhoneTypeTollFree
	case phonenumbers.PREMIUM_RATE:
		return PhoneTypePremiumRate
	case phonenumbers.SHARED_COST:
		return PhoneTypeSharedCost
	case phonenumbers.VOIP:
		return PhoneTypeVoIP
	case phonenumbers.PERSONAL_NUMBER:
		return PhoneTypePersonal
	case phonenumbers.PAGER:
		return PhoneTypePager
	case phonenumbers.UAN:
		return PhoneTypeUAN
	case phonenumbers.VOICEMAIL:
		return PhoneTypeVoicemail
	}
	return PhoneTypeUnknown
}

// National returns the number formatted for display inside its own country,
// "(212) 555-0123", with " ext. 45" appended when it has an extension.
func (p Phone) National() string {
	n := p.number()
	if n == nil {
		return ""
	}
	return phonenumbers.Format(n, phonenumbers.NATIONAL)
}

// International returns the number formatted for display abroad,
// "+1 212-555-0123".
func (p Phone) International() string {
	n := p.number()
	if n == nil {
		return ""
	}
	return phonenumbers.Format(n, phonenumbers.INTERNATIONAL)
}

// TimeZones returns the IANA time zones the number's prefix maps to, most
// specific first as the metadata lists them: one zone for most US area codes
// ("America/New_York"), several for a prefix that spans zones or for a
// number the plan cannot place. It returns nil when nothing is known. The
// result is a new slice the caller may keep.
func (p Phone) TimeZones() []string {
	n := p.number()
	if n == nil {
		return nil
	}
	zones, err := phonenumbers.GetTimezonesForNumber(n)
	if err != nil {
		return nil
	}
	out := make([]string, 0, len(zones))
	for _, z := range zones {
		if z != "" && z != "Etc/Unknown" {
			out = append(out, z)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
