package household

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// VIN is a vehicle identification number, stored upper-cased with
// surrounding white space removed. The zero VIN means "no VIN recorded".
//
// A VIN can only be built by [ParseVIN] or [ParseVINLenient] (or by
// unmarshaling text, which uses the latter), so a non-zero VIN always holds
// an identifier that passed one of them. [VIN.Standard] tells which: a
// standard VIN is a 17-character North American VIN whose check digit and
// model-year code are correct; a non-standard one is a pre-1981 serial or an
// identifier that only meets ISO 3779 (see ParseVINLenient).
//
// VIN is a small comparable value: == compares two VINs, and a VIN can be a
// map key. Equal text always means equal VINs, because the standard flag is a
// function of the text. A VIN is immutable and safe for concurrent use.
//
// The accessors for the sections of a VIN ([VIN.WMI], [VIN.VDS],
// [VIN.CheckDigit], [VIN.ModelYears], [VIN.Plant], [VIN.Serial]) return
// zero values for identifiers that are not 17 characters long, because
// older serials have no such sections.
type VIN struct {
	s   string // upper-case ASCII letters and digits; "" for the zero VIN
	std bool   // s passes ParseVIN
}

const (
	vinLen       = 17
	minVINLen    = 5 // shortest identifier ParseVINLenient accepts
	checkDigitAt = 8 // 0-based index of position 9
	yearCodeAt   = 9 // 0-based index of position 10

	// letterValues holds the transliteration of 49 CFR 565.15(c) for 'A'
	// to 'Z'; '.' marks I, O and Q, which no VIN uses.
	letterValues = "12345678.12345.7.923456789"
	// weights holds the weight of each of the 17 positions.
	weights = "\x08\x07\x06\x05\x04\x03\x02\x0a\x00\x09\x08\x07\x06\x05\x04\x03\x02"
	// yearLetters are the letter codes for 1980 (A) to 2000 (Y) and again
	// for 2010 to 2030; the digits 1 to 9 follow for 2001 to 2009 and 2031
	// to 2039.
	yearLetters = "ABCDEFGHJKLMNPRSTVWXY"
)

// ParseVIN parses a North American VIN strictly (49 CFR 565): after
// surrounding white space is trimmed and letters are upper-cased, it must
// be 17 characters from 0-9 and A-Z except I, O and Q; position 9 must be
// the check digit computed from the others (49 CFR 565.15(c)); and position
// 10 must be a model-year code (any letter or digit but U, Z and 0). Letters
// are never "corrected": an O is refused, not read as 0.
//
// The result is a standard VIN. On failure the error is a
// *[ValidationError] with Field "vin" wrapping a *[VINError], which carries
// the 1-based position at fault and wraps [ErrVINLength], [ErrVINCharacter],
// [ErrVINCheckDigit] or [ErrVINYearCode] (all of which wrap
// [ErrInvalidVIN]). The empty string is refused; the message never repeats
// the input.
//
// ParseVIN allocates nothing when the input is already upper-case (the VIN
// shares the input's memory) and one string otherwise.
func ParseVIN(s string) (VIN, error) {
	s = strings.TrimSpace(s)
	if len(s) != vinLen {
		if n := utf8.RuneCountInString(s); n != vinLen {
			return VIN{}, vinErr(0, ErrVINLength, lengthDetail(n, "17"))
		}
	}
	lower, err := checkChars(s, false)
	if err != nil {
		return VIN{}, err
	}
	if err := checkNorthAmerican(s); err != nil {
		return VIN{}, err
	}
	if lower {
		s = strings.ToUpper(s)
	}
	return VIN{s: s, std: true}, nil
}

// ParseVINLenient parses a vehicle identifier that may not be a standard
// North American VIN, for data about older or imported vehicles and for
// loading whatever a DMS holds. After trimming and upper-casing it accepts
//
//   - a 17-character identifier of 0-9 and A-Z except I, O and Q (ISO 3779),
//     whatever its check digit and position 10 hold;
//   - a pre-1981 manufacturer serial of 5 to 16 letters and digits; I, O and
//     Q are allowed here, because some makers used them before 1981 (GM's
//     "1Q87…" Camaro serials, for example).
//
// A 17-character identifier that would pass [ParseVIN] gives the same
// standard VIN as ParseVIN; anything else gives a VIN whose
// [VIN.Standard] is false. Errors are as for ParseVIN (only
// [ErrVINLength] and [ErrVINCharacter] can occur).
//
// Leniency has a cost: a mistyped modern VIN (one character dropped, a
// wrong check digit) is accepted as non-standard. Use ParseVIN for input
// typed by people about current vehicles, and keep ParseVINLenient for
// imports and for vehicles known to be old or from outside North America.
func ParseVINLenient(s string) (VIN, error) {
	s = strings.TrimSpace(s)
	if len(s) < minVINLen || len(s) > vinLen {
		if n := utf8.RuneCountInString(s); n < minVINLen || n > vinLen {
			return VIN{}, vinErr(0, ErrVINLength, lengthDetail(n, "5 to 17"))
		}
	}
	lower, err := checkChars(s, len(s) < vinLen)
	if err != nil {
		return VIN{}, err
	}
	std := len(s) == vinLen && checkNorthAmerican(s) == nil
	if lower {
		s = strings.ToUpper(s)
	}
	return VIN{s: s, std: std}, nil
}

// String returns the VIN upper-cased, or "" for the zero VIN.
func (v VIN) String() string { return v.s }

// IsZero reports whether v is the zero VIN (no VIN recorded).
func (v VIN) IsZero() bool { return v.s == "" }

// Standard reports whether v is a 17-character North American VIN with a
// correct check digit and model-year code, that is whether it would pass
// [ParseVIN]. It is false for the zero VIN.
func (v VIN) Standard() bool { return v.std }

// WMI returns the world manufacturer identifier, positions 1–3. When
// position 3 is '9' the maker builds fewer than 1,000 vehicles a year and
// positions 12–14 (the first three characters of [VIN.Serial]) complete its
// identifier. WMI returns "" unless v has 17 characters.
func (v VIN) WMI() string { return v.section(0, 3) }

// VDS returns the vehicle descriptor section, positions 4–8, as 49 CFR 565
// counts it (ISO 3779 counts the check digit, position 9, in the VDS too).
// It returns "" unless v has 17 characters.
func (v VIN) VDS() string { return v.section(3, 8) }

// CheckDigit returns position 9: "0" to "9" or "X" for a standard VIN, any
// letter or digit for a non-standard one. It returns "" unless v has 17
// characters.
func (v VIN) CheckDigit() string { return v.section(8, 9) }

// Plant returns position 11, the assembly plant code, or "" unless v has 17
// characters.
func (v VIN) Plant() string { return v.section(10, 11) }

// Serial returns positions 12–17, the production sequence number, or ""
// unless v has 17 characters.
func (v VIN) Serial() string { return v.section(11, 17) }

func (v VIN) section(i, j int) string {
	if len(v.s) != vinLen {
		return ""
	}
	return v.s[i:j]
}

// ModelYears returns the model years that position 10 can stand for, or nil
// when v does not have 17 characters or position 10 is not a model-year
// code (U, Z, 0). The code repeats every 30 years, so there are always two
// candidates, from the cycles 1980–2009 and 2010–2039:
//
//	A…Y (no I, O, Q, U, Z)  1980…2000 or 2010…2030
//	1…9                     2001…2009 or 2031…2039
//
// The preferred candidate comes first. Since model year 2010, passenger cars,
// multipurpose vehicles and trucks up to 4,536 kg GVWR must carry a letter in
// position 7, so a letter there puts the 2010–2039 candidate first and a
// digit puts the 1980–2009 candidate first. This rule does not hold for heavy
// trucks, buses or trailers, and makers disagree at the edges, so both
// candidates are always returned; check against another source (the vehicle
// record's Year, a decoder) before trusting the first.
//
// For a non-standard VIN position 10 may not be a year code at all (ISO 3779
// does not require one); the candidates are computed all the same.
// Each call returns a new slice.
func (v VIN) ModelYears() []int {
	if len(v.s) != vinLen {
		return nil
	}
	off := yearOffset(v.s[yearCodeAt])
	if off < 0 {
		return nil
	}
	early, late := 1980+off, 2010+off
	if c := v.s[6]; 'A' <= c && c <= 'Z' {
		return []int{late, early}
	}
	return []int{early, late}
}

// MarshalText implements encoding.TextMarshaler. The zero VIN marshals as
// the empty string.
func (v VIN) MarshalText() ([]byte, error) { return []byte(v.s), nil }

// UnmarshalText implements encoding.TextUnmarshaler. Empty text gives the
// zero VIN; anything else is parsed with [ParseVINLenient], so a stored
// non-standard VIN loads again, and the standard flag is recomputed from the
// text (a 17-character VIN with a correct check digit and year code is
// standard, whoever stored it). Decoding JSON from outside is therefore
// lenient: check [VIN.Standard], or parse with [ParseVIN] first, where that
// matters.
func (v *VIN) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*v = VIN{}
		return nil
	}
	p, err := ParseVINLenient(string(b))
	if err != nil {
		return err
	}
	*v = p
	return nil
}

// checkChars checks that s holds only ASCII letters and digits, refusing
// I, O and Q (either case) unless allowIOQ. It reports whether s holds a
// lower-case letter.
func checkChars(s string, allowIOQ bool) (lower bool, err error) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case '0' <= c && c <= '9':
		case 'a' <= c && c <= 'z':
			lower = true
			c -= 'a' - 'A'
			fallthrough
		case 'A' <= c && c <= 'Z':
			if !allowIOQ && (c == 'I' || c == 'O' || c == 'Q') {
				return false, charErr(s, i, c)
			}
		default:
			return false, charErr(s, i, c)
		}
	}
	return lower, nil
}

// checkNorthAmerican checks the check digit and the model-year code of s,
// 17 ASCII letters and digits (either case) with no I, O or Q.
func checkNorthAmerican(s string) error {
	want := checkDigit(s)
	if got := upper(s[checkDigitAt]); got != want {
		return vinErr(checkDigitAt+1, ErrVINCheckDigit, "check digit is "+string(rune(got))+", want "+string(rune(want)))
	}
	if yearOffset(upper(s[yearCodeAt])) < 0 {
		return vinErr(yearCodeAt+1, ErrVINYearCode, string(rune(upper(s[yearCodeAt])))+" is not a model-year code")
	}
	return nil
}

// checkDigit computes the check digit of s as 49 CFR 565.15(c) defines it.
func checkDigit(s string) byte {
	sum := 0
	for i := 0; i < vinLen; i++ {
		sum += charValue(s[i]) * int(weights[i])
	}
	if r := sum % 11; r != 10 {
		return byte('0' + r)
	}
	return 'X'
}

// charValue returns the transliterated value of a letter or digit (either
// case); I, O and Q (refused before this is called) count as 0.
func charValue(c byte) int {
	if '0' <= c && c <= '9' {
		return int(c - '0')
	}
	c = upper(c)
	if 'A' <= c && c <= 'Z' {
		if d := letterValues[c-'A']; d != '.' {
			return int(d - '0')
		}
	}
	return 0
}

// yearOffset returns the model year of code c (upper-case) minus 1980 in
// the first cycle, or -1 when c is not a year code.
func yearOffset(c byte) int {
	if '1' <= c && c <= '9' {
		return 20 + int(c-'0')
	}
	return strings.IndexByte(yearLetters, c)
}

func upper(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - ('a' - 'A')
	}
	return c
}

func vinErr(pos int, reason error, detail string) error {
	return &ValidationError{Field: "vin", Err: &VINError{Pos: pos, Err: reason, Detail: detail}}
}

func lengthDetail(n int, want string) string {
	if n == 0 {
		return "empty"
	}
	return "length " + strconv.Itoa(n) + ", want " + want
}

// charErr describes the refused byte c (upper-cased if it is a letter) at
// byte index i of s by its class, never echoing letters or digits of the
// input other than the refused one.
func charErr(s string, i int, c byte) error {
	pos := utf8.RuneCountInString(s[:i]) + 1
	var d string
	switch {
	case c == 'I' || c == 'O' || c == 'Q':
		d = "letter " + string(rune(c)) + " is never used in a VIN"
	case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f':
		d = "space is not allowed in a VIN"
	case c < 0x20 || c == 0x7f:
		d = "control character is not allowed in a VIN"
	case c >= utf8.RuneSelf:
		d = "non-ASCII character is not allowed in a VIN"
	default:
		d = fmt.Sprintf("punctuation %q is not allowed in a VIN", rune(c))
	}
	return vinErr(pos, ErrVINCharacter, d)
}
