package customer

import (
	"errors"
	"testing"
)

// FuzzPostal checks the postal parsers on outside input: they never panic,
// refuse with a typed error naming the field, and what they return parses
// back to itself (normalization is idempotent).
func FuzzPostal(f *testing.F) {
	for _, s := range [][3]string{
		{"US", "33101-1234", "Florida"}, {"us", "331011234", "fl"}, {"Canada", "k1a0b6", "Québec"},
		{"CA", "H2X 1Y4", "PQ"}, {"GB", "sw1a 1aa", "England"}, {"", "", "US-FL"}, {"USA", "3310", "ZZ"},
	} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, country, code, region string) {
		c, err := ParseCountry(country)
		if err != nil {
			var ve *ValidationError
			if !errors.As(err, &ve) || ve.Field != "country" || !errors.Is(err, ErrInvalidCountry) {
				t.Fatalf("ParseCountry(%q): untyped error %v", country, err)
			}
			return
		}
		if again, err := ParseCountry(c); err != nil || again != c {
			t.Fatalf("ParseCountry(%q) = %q; again %q, %v", country, c, again, err)
		}
		if p, err := ParsePostalCode(c, code); err != nil {
			var ve *ValidationError
			if !errors.As(err, &ve) || ve.Field != "postal_code" || !errors.Is(err, ErrInvalidPostalCode) {
				t.Fatalf("ParsePostalCode(%q, %q): untyped error %v", c, code, err)
			}
		} else if again, err := ParsePostalCode(c, p); err != nil || again != p {
			t.Fatalf("ParsePostalCode(%q, %q) = %q; again %q, %v", c, code, p, again, err)
		}
		if r, err := ParseRegion(c, region); err != nil {
			var ve *ValidationError
			if !errors.As(err, &ve) || ve.Field != "region" || !errors.Is(err, ErrInvalidRegion) {
				t.Fatalf("ParseRegion(%q, %q): untyped error %v", c, region, err)
			}
		} else if again, err := ParseRegion(c, r); err != nil || again != r {
			t.Fatalf("ParseRegion(%q, %q) = %q; again %q, %v", c, region, r, again, err)
		}
		if sd, err := ParseSubdivision(region); err != nil {
			var ve *ValidationError
			if !errors.As(err, &ve) || ve.Field != "region" || !errors.Is(err, ErrInvalidRegion) {
				t.Fatalf("ParseSubdivision(%q): untyped error %v", region, err)
			}
		} else if again, err := ParseSubdivision(sd); err != nil || again != sd {
			t.Fatalf("ParseSubdivision(%q) = %q; again %q, %v", region, sd, again, err)
		}
		a := PostalAddress{Lines: []string{"1 Main St"}, Country: country, PostalCode: code, Region: region}.normalized()
		if b := a.normalized(); b.Country != a.Country || b.Region != a.Region || b.PostalCode != a.PostalCode {
			t.Fatalf("normalized is not idempotent: %+v then %+v", a, b)
		}
	})
}
