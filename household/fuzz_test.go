package household

import (
	"strings"
	"testing"
)

// FuzzParseVIN checks that neither parser panics, that every accepted VIN
// re-parses from its String() to an equal value, and that the two parsers
// agree: ParseVIN accepts exactly what ParseVINLenient marks standard.
func FuzzParseVIN(f *testing.F) {
	for _, tc := range validVINs {
		f.Add(tc.vin)
	}
	for _, s := range []string{
		"", " ", "1hgcm82633a004352", " 1HGCM82633A004352\n", "1HGCM82633A004353",
		"IHGCM82633A004352", "1HGCM82633AO04352", "1HGCM82633A0Q4352", "WBA71DC010CH14720",
		"5TFEV54198X063405", "1Q87H5L123456", "12345", "1234", "1HGCM8263é3A004352", "ÀÀÀÀÀÀÀÀÀÀ",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		strict, serr := ParseVIN(s)
		lenient, lerr := ParseVINLenient(s)
		if serr == nil {
			if !strict.Standard() || len(strict.String()) != vinLen {
				t.Fatalf("ParseVIN(%q) = %q, standard %v", s, strict, strict.Standard())
			}
			if lerr != nil || lenient != strict {
				t.Fatalf("ParseVIN(%q) = %#v but ParseVINLenient = %#v, %v", s, strict, lenient, lerr)
			}
			again, err := ParseVIN(strict.String())
			if err != nil || again != strict {
				t.Fatalf("ParseVIN(%q) = %#v; re-parse gives %#v, %v", s, strict, again, err)
			}
			if len(strict.ModelYears()) != 2 || len(strict.CheckDigit()) != 1 {
				t.Fatalf("%q: years %v, check digit %q", strict, strict.ModelYears(), strict.CheckDigit())
			}
		} else if !strict.IsZero() {
			t.Fatalf("ParseVIN(%q) returned %#v with error %v", s, strict, serr)
		}
		if lerr != nil {
			if !lenient.IsZero() {
				t.Fatalf("ParseVINLenient(%q) returned %#v with error %v", s, lenient, lerr)
			}
			return
		}
		if lenient.Standard() != (serr == nil) {
			t.Fatalf("%q: lenient standard %v, strict error %v", s, lenient.Standard(), serr)
		}
		str := lenient.String()
		if str != strings.ToUpper(strings.TrimSpace(s)) || len(str) < minVINLen || len(str) > vinLen {
			t.Fatalf("ParseVINLenient(%q) = %q", s, str)
		}
		again, err := ParseVINLenient(str)
		if err != nil || again != lenient {
			t.Fatalf("ParseVINLenient(%q) = %#v; re-parse gives %#v, %v", s, lenient, again, err)
		}
		text, _ := lenient.MarshalText()
		var back VIN
		if err := back.UnmarshalText(text); err != nil || back != lenient {
			t.Fatalf("text round trip of %#v: %#v, %v", lenient, back, err)
		}
		_ = lenient.WMI() + lenient.VDS() + lenient.CheckDigit() + lenient.Plant() + lenient.Serial()
		_ = lenient.ModelYears()
	})
}
