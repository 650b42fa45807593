package household

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
)

// Test vectors: VINs whose check digits are known to be valid under the
// 49 CFR 565.15 algorithm (published examples, each recomputed by hand).
var validVINs = []struct {
	vin   string
	check string
	years []int
}{
	{"1M8GDM9AXKP042788", "X", []int{1989, 2019}}, // check digit X
	{"1HGCM82633A004352", "3", []int{2003, 2033}},
	{"11111111111111111", "1", []int{2001, 2031}}, // repdigit
	{"1G4AH59H45G118341", "4", []int{2005, 2035}}, // 49 CFR 565.15 worked example
	{"1J9RP1A36A1644345", "6", []int{2010, 1980}}, // low-volume maker; letter in position 7
	{"JN1DA31D63T505967", "6", []int{2003, 2033}},
	{"2NKWL00X16M149834", "1", []int{2006, 2036}},
	{"2GTEK19R7V1511644", "7", []int{1997, 2027}}, // ADF 1.0 spec's vehicle example
}

func TestParseVINValid(t *testing.T) {
	for _, tc := range validVINs {
		for _, in := range []string{tc.vin, strings.ToLower(tc.vin), "  " + tc.vin + "\t\n"} {
			v, err := ParseVIN(in)
			if err != nil {
				t.Errorf("ParseVIN(%q): %v", in, err)
				continue
			}
			if v.String() != tc.vin {
				t.Errorf("ParseVIN(%q) = %q, want %q", in, v, tc.vin)
			}
			if !v.Standard() || v.IsZero() {
				t.Errorf("ParseVIN(%q): Standard %v, IsZero %v", in, v.Standard(), v.IsZero())
			}
			if got := v.CheckDigit(); got != tc.check {
				t.Errorf("ParseVIN(%q).CheckDigit() = %q, want %q", in, got, tc.check)
			}
			if got := v.ModelYears(); !slices.Equal(got, tc.years) {
				t.Errorf("ParseVIN(%q).ModelYears() = %v, want %v", in, got, tc.years)
			}
			l, err := ParseVINLenient(in)
			if err != nil || l != v {
				t.Errorf("ParseVINLenient(%q) = %#v, %v; want %#v", in, l, err, v)
			}
		}
	}
}

func TestParseVINInvalid(t *testing.T) {
	tests := []struct {
		in     string
		reason error
		pos    int
		msg    string // the full error text
	}{
		// Check digit failures, including "valid" VINs copied between public
		// test suites that do not pass.
		{"1XPTD40X0JD456115", ErrVINCheckDigit, 9, "household: vin: invalid VIN: position 9: check digit is 0, want 6"},
		{"1HGCM82633A004353", ErrVINCheckDigit, 9, "household: vin: invalid VIN: position 9: check digit is 3, want 5"},
		{"12345678912345678", ErrVINCheckDigit, 9, ""},
		{"5TFEV54198X063405", ErrVINCheckDigit, 9, ""},
		{"1G1ZT53806F109149", ErrVINCheckDigit, 9, ""},
		{"1GNDT13W5V2200000", ErrVINCheckDigit, 9, ""},
		{"1hgcm82633a004353", ErrVINCheckDigit, 9, ""},
		{"1M8GDM9A1KP042788", ErrVINCheckDigit, 9, "household: vin: invalid VIN: position 9: check digit is 1, want X"},
		{"1M8GDM9AAKP042788", ErrVINCheckDigit, 9, "household: vin: invalid VIN: position 9: check digit is A, want X"},
		// I, O and Q never appear.
		{"IHGCM82633A004352", ErrVINCharacter, 1, "household: vin: invalid VIN: position 1: letter I is never used in a VIN"},
		{"1HGCM82633AO04352", ErrVINCharacter, 12, "household: vin: invalid VIN: position 12: letter O is never used in a VIN"},
		{"1HGCM82633A0Q4352", ErrVINCharacter, 13, "household: vin: invalid VIN: position 13: letter Q is never used in a VIN"},
		{"1hgcm82633a0q4352", ErrVINCharacter, 13, "household: vin: invalid VIN: position 13: letter Q is never used in a VIN"},
		{"1HGCM82633A00435i", ErrVINCharacter, 17, ""},
		// Other characters.
		{"1HGCM-2633A004352", ErrVINCharacter, 6, "household: vin: invalid VIN: position 6: punctuation '-' is not allowed in a VIN"},
		{"1HGCM 2633A004352", ErrVINCharacter, 6, "household: vin: invalid VIN: position 6: space is not allowed in a VIN"},
		{"1HGCM\x002633A004352", ErrVINCharacter, 6, "household: vin: invalid VIN: position 6: control character is not allowed in a VIN"},
		{"1HGCMé633A004352", ErrVINCharacter, 6, "household: vin: invalid VIN: position 6: non-ASCII character is not allowed in a VIN"},
		{"1HGCM8263é3A004352", ErrVINLength, 0, "household: vin: invalid VIN: length 18, want 17"},
		// Year code (the check digit is right).
		{"WBA71DC010CH14720", ErrVINYearCode, 10, "household: vin: invalid VIN: position 10: 0 is not a model-year code"},
		// Lengths.
		{"", ErrVINLength, 0, "household: vin: invalid VIN: empty"},
		{"   ", ErrVINLength, 0, "household: vin: invalid VIN: empty"},
		{"1HGCM82633A00435", ErrVINLength, 0, "household: vin: invalid VIN: length 16, want 17"},
		{"1HGCM82633A0043521", ErrVINLength, 0, "household: vin: invalid VIN: length 18, want 17"},
		{"1Q87H5L123456", ErrVINLength, 0, ""},
	}
	for _, tc := range tests {
		v, err := ParseVIN(tc.in)
		if err == nil {
			t.Errorf("ParseVIN(%q) = %q, want error", tc.in, v)
			continue
		}
		if !v.IsZero() {
			t.Errorf("ParseVIN(%q) returned non-zero VIN %q with error", tc.in, v)
		}
		if !errors.Is(err, ErrInvalidVIN) || !errors.Is(err, tc.reason) {
			t.Errorf("ParseVIN(%q) = %v, want errors.Is %v and ErrInvalidVIN", tc.in, err, tc.reason)
		}
		var ve *ValidationError
		if !errors.As(err, &ve) || ve.Field != "vin" {
			t.Errorf("ParseVIN(%q): %v is not a *ValidationError for vin", tc.in, err)
		}
		var vinErr *VINError
		if !errors.As(err, &vinErr) || vinErr.Pos != tc.pos {
			t.Errorf("ParseVIN(%q): want *VINError at position %d, got %#v", tc.in, tc.pos, vinErr)
		}
		if tc.msg != "" && err.Error() != tc.msg {
			t.Errorf("ParseVIN(%q) error\n got %q\nwant %q", tc.in, err, tc.msg)
		}
		// Never echo the VIN.
		if len(strings.TrimSpace(tc.in)) > 4 && strings.Contains(strings.ToUpper(err.Error()), strings.ToUpper(strings.TrimSpace(tc.in))[:5]) {
			t.Errorf("ParseVIN(%q): error %q repeats the input", tc.in, err)
		}
	}
}

func TestParseVINAllCharacterPositions(t *testing.T) {
	const good = "1HGCM82633A004352"
	for pos := 1; pos <= 17; pos++ {
		for _, c := range "IOQioq" {
			in := good[:pos-1] + string(c) + good[pos:]
			for name, parse := range map[string]func(string) (VIN, error){"strict": ParseVIN, "lenient": ParseVINLenient} {
				_, err := parse(in)
				var ve *VINError
				if !errors.As(err, &ve) || ve.Pos != pos || !errors.Is(err, ErrVINCharacter) {
					t.Errorf("%s(%q) = %v, want character error at position %d", name, in, err, pos)
					continue
				}
				want := "letter " + strings.ToUpper(string(c)) + " is never used in a VIN"
				if ve.Detail != want {
					t.Errorf("%s(%q): detail %q, want %q", name, in, ve.Detail, want)
				}
			}
		}
	}
}

func TestParseVINLenient(t *testing.T) {
	tests := []struct {
		in       string
		want     string
		standard bool
	}{
		{"1HGCM82633A004352", "1HGCM82633A004352", true},
		{" 1hgcm82633a004352 ", "1HGCM82633A004352", true},
		{"1HGCM82633A004353", "1HGCM82633A004353", false}, // wrong check digit
		{"WBA71DC010CH14720", "WBA71DC010CH14720", false}, // ISO 3779: year code 0
		{"5TFEV54198X063405", "5TFEV54198X063405", false},
		{"1Q87H5L123456", "1Q87H5L123456", false}, // pre-1981 GM serial, Q allowed
		{"0f02h100001", "0F02H100001", false},     // pre-1981 Ford serial
		{"12345", "12345", false},
		{"1234567890ABCDEF", "1234567890ABCDEF", false},
	}
	for _, tc := range tests {
		v, err := ParseVINLenient(tc.in)
		if err != nil {
			t.Errorf("ParseVINLenient(%q): %v", tc.in, err)
			continue
		}
		if v.String() != tc.want || v.Standard() != tc.standard {
			t.Errorf("ParseVINLenient(%q) = %q standard %v, want %q standard %v", tc.in, v, v.Standard(), tc.want, tc.standard)
		}
		if _, err := ParseVIN(tc.in); (err == nil) != tc.standard {
			t.Errorf("ParseVIN(%q) error %v, but lenient standard = %v", tc.in, err, tc.standard)
		}
	}

	bad := []struct {
		in     string
		reason error
		pos    int
	}{
		{"", ErrVINLength, 0},
		{"1234", ErrVINLength, 0},
		{"1HGCM82633A0043521", ErrVINLength, 0},
		{"1HGCM82633AO04352", ErrVINCharacter, 12}, // 17 characters: ISO 3779 forbids O too
		{"1Q87-5L123456", ErrVINCharacter, 5},
		{"1Q87 5L123456", ErrVINCharacter, 5},
		{"ÀBCDE", ErrVINCharacter, 1},
		{"ÀÀÀÀÀÀÀÀÀÀ", ErrVINCharacter, 1}, // 20 bytes, 10 characters
	}
	for _, tc := range bad {
		_, err := ParseVINLenient(tc.in)
		var ve *VINError
		if !errors.As(err, &ve) || ve.Pos != tc.pos || !errors.Is(err, tc.reason) || !errors.Is(err, ErrInvalidVIN) {
			t.Errorf("ParseVINLenient(%q) = %v, want %v at position %d", tc.in, err, tc.reason, tc.pos)
		}
	}
}

func TestVINSections(t *testing.T) {
	v, err := ParseVIN("1G4AH59H45G118341")
	if err != nil {
		t.Fatal(err)
	}
	got := []string{v.WMI(), v.VDS(), v.CheckDigit(), v.Plant(), v.Serial()}
	want := []string{"1G4", "AH59H", "4", "G", "118341"}
	if !slices.Equal(got, want) {
		t.Errorf("sections = %q, want %q", got, want)
	}
	if got := v.WMI() + v.VDS() + v.CheckDigit() + "5" + v.Plant() + v.Serial(); got != v.String() {
		t.Errorf("sections rejoined = %q, want %q", got, v)
	}

	// Non-17-character identifiers have no sections.
	old, err := ParseVINLenient("1Q87H5L123456")
	if err != nil {
		t.Fatal(err)
	}
	var zero VIN
	for _, v := range []VIN{old, zero} {
		if s := v.WMI() + v.VDS() + v.CheckDigit() + v.Plant() + v.Serial(); s != "" || v.ModelYears() != nil {
			t.Errorf("%q: sections %q, years %v; want none", v, s, v.ModelYears())
		}
	}
	if !zero.IsZero() || zero.Standard() || zero.String() != "" {
		t.Errorf("zero VIN: IsZero %v Standard %v String %q", zero.IsZero(), zero.Standard(), zero)
	}

	// A non-standard 17-character VIN still has sections; its year code may
	// be no year code at all.
	iso, _ := ParseVINLenient("WBA71DC010CH14720")
	if iso.WMI() != "WBA" || iso.ModelYears() != nil {
		t.Errorf("WBA71DC010CH14720: WMI %q, years %v", iso.WMI(), iso.ModelYears())
	}
	na, _ := ParseVINLenient("5TFEV54198X063405") // wrong check digit, year code 8
	if got := na.ModelYears(); !slices.Equal(got, []int{2008, 2038}) {
		t.Errorf("5TFEV54198X063405: years %v", got)
	}
}

func TestModelYearCodes(t *testing.T) {
	// Every code of the table in 49 CFR 565.15 / auto-standards.md §2.
	codes := "ABCDEFGHJKLMNPRSTVWXY123456789"
	for i, c := range codes {
		early := 1980 + i
		for _, pos7 := range []byte{'5', 'L'} {
			// Build a VIN with this year code and position 7, then fix
			// its check digit.
			b := []byte("1HGCM82633A004352")
			b[6], b[9] = pos7, byte(c)
			b[8] = checkDigit(string(b))
			v, err := ParseVIN(string(b))
			if err != nil {
				t.Fatalf("%s: %v", b, err)
			}
			want := []int{early, early + 30}
			if pos7 == 'L' {
				want = []int{early + 30, early}
			}
			if got := v.ModelYears(); !slices.Equal(got, want) {
				t.Errorf("%s: ModelYears() = %v, want %v", b, got, want)
			}
		}
	}
	for _, c := range "UZ0IOQ" {
		if off := yearOffset(byte(c)); off != -1 {
			t.Errorf("yearOffset(%q) = %d, want -1", c, off)
		}
	}
}

func TestVINText(t *testing.T) {
	for _, in := range []string{"1M8GDM9AXKP042788", "WBA71DC010CH14720", "1Q87H5L123456", "1HGCM82633A004353"} {
		v, err := ParseVINLenient(in)
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != `"`+in+`"` {
			t.Errorf("json.Marshal(%q) = %s", in, b)
		}
		var got VIN
		if err := json.Unmarshal(b, &got); err != nil || got != v {
			t.Errorf("json round trip of %q: %#v, %v; want %#v", in, got, err, v)
		}
	}

	var v VIN
	if err := v.UnmarshalText(nil); err != nil || !v.IsZero() {
		t.Errorf("UnmarshalText(empty) = %#v, %v", v, err)
	}
	// Text from a newer or foreign writer is re-validated, and the standard
	// flag recomputed.
	if err := v.UnmarshalText([]byte("1hgcm82633a004352")); err != nil || !v.Standard() || v.String() != "1HGCM82633A004352" {
		t.Errorf("UnmarshalText(lower) = %#v, %v", v, err)
	}
	err := json.Unmarshal([]byte(`"1HGCM82633AO04352"`), &v)
	if !errors.Is(err, ErrVINCharacter) {
		t.Errorf("json.Unmarshal(O in VIN) = %v, want ErrVINCharacter", err)
	}

	// As a map key.
	m := map[VIN]int{}
	a, _ := ParseVIN("1hgcm82633a004352")
	b, _ := ParseVIN("1HGCM82633A004352")
	m[a]++
	m[b]++
	if m[b] != 2 {
		t.Errorf("map[VIN]: equal VINs are different keys")
	}
}

func TestParseVINAllocs(t *testing.T) {
	if testing.CoverMode() != "" {
		t.Skip("coverage instrumentation allocates")
	}
	upper := "1HGCM82633A004352"
	if n := testing.AllocsPerRun(100, func() { _, _ = ParseVIN(upper) }); n != 0 {
		t.Errorf("ParseVIN(upper-case) allocates %v times, want 0", n)
	}
	if n := testing.AllocsPerRun(100, func() { _, _ = ParseVINLenient(upper) }); n != 0 {
		t.Errorf("ParseVINLenient(upper-case) allocates %v times, want 0", n)
	}
	lower := "1hgcm82633a004352"
	if n := testing.AllocsPerRun(100, func() { _, _ = ParseVIN(lower) }); n > 1 {
		t.Errorf("ParseVIN(lower-case) allocates %v times, want at most 1", n)
	}
}

func TestVINErrorText(t *testing.T) {
	tests := []struct {
		e    *VINError
		want string
	}{
		{&VINError{Pos: 9, Err: ErrVINCheckDigit, Detail: "check digit is 4, want 6"}, "invalid VIN: position 9: check digit is 4, want 6"},
		{&VINError{Pos: 9, Err: ErrVINCheckDigit}, "invalid VIN: position 9: check digit mismatch"},
		{&VINError{Err: ErrVINLength}, "invalid VIN: wrong length"},
		{&VINError{}, "invalid VIN"},
	}
	for _, tc := range tests {
		if got := tc.e.Error(); got != tc.want {
			t.Errorf("%#v.Error() = %q, want %q", tc.e, got, tc.want)
		}
		if !errors.Is(tc.e, ErrInvalidVIN) {
			t.Errorf("%#v does not wrap ErrInvalidVIN", tc.e)
		}
	}
}
