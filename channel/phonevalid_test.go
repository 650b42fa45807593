package channel

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

// TestValidNumberMatchesLibrary compares validNumber with the library's own
// GetRegionCodeForNumber + IsValidNumber on random numbers across regions
// that share a calling code (+1, +44, +7, +61), use leading zeros (IT) or
// non-geographic codes (+800, +882), and every supported region.
func TestValidNumberMatchesLibrary(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	regions := []string{"US", "CA", "JM", "PR", "GB", "GG", "JE", "IM", "DE", "FR", "IT", "VA", "MX", "RU", "KZ", "AU", "CX", "IN", "BR", "JP", "NZ", "ZA"}
	for r := range phonenumbers.GetSupportedRegions() {
		regions = append(regions, r)
	}
	var b strings.Builder
	checked, valid := 0, 0
	for i := 0; i < 60000; i++ {
		b.Reset()
		region := regions[rng.IntN(len(regions))]
		switch rng.IntN(4) {
		case 0:
			b.WriteString("+")
			b.WriteString([]string{"1", "44", "7", "61", "39", "800", "882", "979", "52", "49"}[rng.IntN(10)])
		case 1:
			// A real example number of the region, sometimes mangled.
			if ex := phonenumbers.GetExampleNumber(region); ex != nil {
				b.WriteString(phonenumbers.Format(ex, phonenumbers.E164))
				if rng.IntN(2) == 0 {
					s := []byte(b.String())
					s[len(s)-1-rng.IntN(3)] = byte('0' + rng.IntN(10))
					b.Reset()
					b.Write(s)
				}
			}
		}
		for n := 5 + rng.IntN(9); n > 0; n-- {
			b.WriteByte(byte('0' + rng.IntN(10)))
		}
		num, err := phonenumbers.Parse(b.String(), region)
		if err != nil {
			continue
		}
		wantRegion := phonenumbers.GetRegionCodeForNumber(num)
		wantValid := phonenumbers.IsValidNumber(num)
		gotRegion, gotValid := validNumber(num)
		checked++
		if wantValid {
			valid++
		}
		if nsn := string(appendNSN(nil, num)); nsn != phonenumbers.GetNationalSignificantNumber(num) {
			t.Fatalf("%q: national significant number %q, library says %q", b.String(), nsn, phonenumbers.GetNationalSignificantNumber(num))
		}
		if wantValid {
			p, err := ParsePhone(b.String(), region)
			if err != nil || p.E164() != phonenumbers.Format(num, phonenumbers.E164) {
				t.Fatalf("%q in %s: ParsePhone = %q, %v; library formats %q", b.String(), region, p.E164(), err, phonenumbers.Format(num, phonenumbers.E164))
			}
		}
		if gotValid != wantValid || (wantValid && gotRegion != wantRegion) {
			t.Fatalf("%q in %s: got (%q, %v), library says (%q, %v)", b.String(), region, gotRegion, gotValid, wantRegion, wantValid)
		}
	}
	if checked < 30000 || valid < 1000 {
		t.Fatalf("too few cases: %d checked, %d valid", checked, valid)
	}
	t.Logf("%d numbers compared, %d valid", checked, valid)
}
