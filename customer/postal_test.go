package customer

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParsePostalCode(t *testing.T) {
	tests := []struct {
		country, raw, want string
	}{
		{"US", "33101", "33101"},
		{"US", " 33101-1234 ", "33101-1234"},
		{"US", "331011234", "33101-1234"},
		{"US", "33101 1234", "33101-1234"},
		{"CA", "k1a0b6", "K1A 0B6"},
		{"CA", "K1A 0B6", "K1A 0B6"},
		{"CA", "h2x-1y4", "H2X 1Y4"},
		{"GB", " sw1a   1aa ", "SW1A 1AA"},
		{"DE", "10115", "10115"},
		{"", "  ", ""},
	}
	for _, tt := range tests {
		got, err := ParsePostalCode(tt.country, tt.raw)
		if err != nil || got != tt.want {
			t.Errorf("ParsePostalCode(%q, %q) = %q, %v; want %q", tt.country, tt.raw, got, err, tt.want)
		}
	}
	bad := []struct{ country, raw string }{
		{"US", "3310"}, {"US", "331012"}, {"US", "3310A"}, {"US", "33101-12345"},
		{"CA", "D1A 0B6"}, // D is never used
		{"CA", "W1A 0B6"}, // W never starts a code
		{"CA", "K1A 0B"}, {"CA", "K1A 0BU"}, {"CA", "11A 0B6"},
		{"GB", "SW1A_1AA"}, {"FR", strings.Repeat("1", 17)}, {"US", strings.Repeat("1", 100)},
	}
	for _, tt := range bad {
		_, err := ParsePostalCode(tt.country, tt.raw)
		var ve *ValidationError
		if !errors.As(err, &ve) || ve.Field != "postal_code" || !errors.Is(err, ErrInvalidPostalCode) {
			t.Errorf("ParsePostalCode(%q, %q) error = %v; want a postal_code ValidationError wrapping ErrInvalidPostalCode", tt.country, tt.raw, err)
		}
	}
}

func TestParseRegion(t *testing.T) {
	tests := []struct{ country, raw, want string }{
		{"US", "fl", "FL"}, {"US", "Florida", "FL"}, {"US", " FLORIDA ", "FL"}, {"US", "US-FL", "FL"},
		{"US", "district of columbia", "DC"}, {"US", "Washington", "WA"}, {"US", "Puerto Rico", "PR"},
		{"CA", "Québec", "QC"}, {"CA", "quebec", "QC"}, {"CA", "PQ", "QC"}, {"CA", "CA-ON", "ON"},
		{"CA", "Newfoundland", "NL"}, {"CA", "Colombie-Britannique", "BC"},
		{"MX", " Jalisco ", "Jalisco"}, {"", "Bavaria", "Bavaria"}, {"US", "", ""},
	}
	for _, tt := range tests {
		got, err := ParseRegion(tt.country, tt.raw)
		if err != nil || got != tt.want {
			t.Errorf("ParseRegion(%q, %q) = %q, %v; want %q", tt.country, tt.raw, got, err, tt.want)
		}
	}
	for _, tt := range []struct{ country, raw string }{{"US", "ON"}, {"CA", "FL"}, {"US", "CA-ON"}, {"US", "Floride"}, {"MX", "a\x00b"}} {
		_, err := ParseRegion(tt.country, tt.raw)
		var ve *ValidationError
		if !errors.As(err, &ve) || ve.Field != "region" || !errors.Is(err, ErrInvalidRegion) {
			t.Errorf("ParseRegion(%q, %q) error = %v; want a region ValidationError wrapping ErrInvalidRegion", tt.country, tt.raw, err)
		}
	}
}

func TestParseCountry(t *testing.T) {
	for raw, want := range map[string]string{"us": "US", "U.S.A.": "US", "United States of America": "US", "canada": "CA", "CAN": "CA", "mx": "MX", "": ""} {
		if got, err := ParseCountry(raw); err != nil || got != want {
			t.Errorf("ParseCountry(%q) = %q, %v; want %q", raw, got, err, want)
		}
	}
	for _, raw := range []string{"Mexico", "U", "12", "..."} {
		if _, err := ParseCountry(raw); !errors.Is(err, ErrInvalidCountry) {
			t.Errorf("ParseCountry(%q) error = %v; want ErrInvalidCountry", raw, err)
		}
	}
}

func TestPostalAddressNormalizeAndValidate(t *testing.T) {
	c := Customer{Name: Name{Given: "Jane"}, PostalAddresses: []PostalAddress{
		{Lines: []string{" 123  Main St ", ""}, Locality: " Miami ", Region: "florida", PostalCode: "331011234", Usage: AddressHome},
		{Lines: []string{"1 Rue Sainte-Catherine"}, Locality: "Montréal", Region: "Québec", PostalCode: "h2x1y4", Country: "Canada", Usage: AddressWork},
	}}
	c.Normalize()
	want := []PostalAddress{
		{Lines: []string{"123 Main St"}, Locality: "Miami", Region: "FL", PostalCode: "33101-1234", Country: "US", Usage: AddressHome},
		{Lines: []string{"1 Rue Sainte-Catherine"}, Locality: "Montréal", Region: "QC", PostalCode: "H2X 1Y4", Country: "CA", Usage: AddressWork},
	}
	if !reflect.DeepEqual(c.PostalAddresses, want) {
		t.Fatalf("normalized = %+v; want %+v", c.PostalAddresses, want)
	}
	if err := c.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if got := c.PostalAddresses[0].Subdivision(); got != "US-FL" {
		t.Errorf("Subdivision = %q; want US-FL", got)
	}
	if got := c.PostalAddresses[1].Subdivision(); got != "CA-QC" {
		t.Errorf("Subdivision = %q; want CA-QC", got)
	}
	if got := (PostalAddress{Region: "Bavaria", Country: "DE"}).Subdivision(); got != "" {
		t.Errorf("Subdivision of a German address = %q; want \"\"", got)
	}

	// JSON round trip keeps every field.
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var back Customer
	if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back.PostalAddresses, c.PostalAddresses) {
		t.Fatalf("round trip = %+v, %v", back.PostalAddresses, err)
	}

	// Clone copies the lines.
	cl := c.Clone()
	cl.PostalAddresses[0].Lines[0] = "changed"
	if c.PostalAddresses[0].Lines[0] != "123 Main St" {
		t.Error("Clone shares the address lines")
	}
}

func TestPostalAddressValidateNamesTheField(t *testing.T) {
	tests := []struct {
		a        PostalAddress
		field    string
		sentinel error
	}{
		{PostalAddress{Region: "ZZ", Country: "US"}, "postal_addresses[0].region", ErrInvalidRegion},
		{PostalAddress{PostalCode: "1234", Country: "US"}, "postal_addresses[0].postal_code", ErrInvalidPostalCode},
		{PostalAddress{PostalCode: "H2X 1Y4", Region: "ON", Country: "CA"}, "postal_addresses[0].postal_code", ErrInvalidPostalCode},
		{PostalAddress{Country: "Atlantis"}, "postal_addresses[0].country", ErrInvalidCountry},
		{PostalAddress{Country: "us"}, "postal_addresses[0].country", ErrInvalidCountry}, // not normalized
		{PostalAddress{}, "postal_addresses[0]", ErrMissing},
		{PostalAddress{Lines: []string{"a", "b", "c", "d", "e"}}, "postal_addresses[0].lines", ErrTooMany},
		{PostalAddress{Lines: []string{"\xff"}}, "postal_addresses[0].lines[0]", ErrInvalid},
	}
	for _, tt := range tests {
		c := Customer{Name: Name{Given: "Jane"}, PostalAddresses: []PostalAddress{tt.a}}
		err := c.Validate()
		found := false
		for _, e := range unwrapAll(err) {
			var ve *ValidationError
			if errors.As(e, &ve) && ve.Field == tt.field && errors.Is(e, tt.sentinel) {
				found = true
			}
		}
		if !found {
			t.Errorf("Validate(%+v) = %v; want %s wrapping %v", tt.a, err, tt.field, tt.sentinel)
		}
	}
}

func TestParseSubdivision(t *testing.T) {
	for raw, want := range map[string]string{"US-FL": "US-FL", "us-fl": "US-FL", "FL": "US-FL", "Florida": "US-FL", "Québec": "CA-QC",
		"ca-on": "CA-ON", "de-by": "DE-BY", "FR-75C": "FR-75C", "": ""} {
		if got, err := ParseSubdivision(raw); err != nil || got != want {
			t.Errorf("ParseSubdivision(%q) = %q, %v; want %q", raw, got, err, want)
		}
	}
	for _, raw := range []string{"US-ZZ", "Floride", "XX", "DE-B_Y", "CA-FL"} {
		_, err := ParseSubdivision(raw)
		var ve *ValidationError
		if !errors.As(err, &ve) || ve.Field != "region" || !errors.Is(err, ErrInvalidRegion) {
			t.Errorf("ParseSubdivision(%q) error = %v; want a region ValidationError wrapping ErrInvalidRegion", raw, err)
		}
	}
}

func TestMergePostalAddresses(t *testing.T) {
	stored := Customer{Name: Name{Given: "Jane"}, PostalAddresses: []PostalAddress{
		{Lines: []string{"123 Main St"}, Locality: "Miami", Region: "FL", PostalCode: "33101", Country: "US"}}}
	in := Customer{PostalAddresses: []PostalAddress{
		{Lines: []string{"123 MAIN ST."}, Locality: "miami", Region: "Florida", PostalCode: "33101", Usage: AddressHome}, // the same place
		{Lines: []string{"1 Office Park"}, Locality: "Tampa", Region: "FL", PostalCode: "33602", Country: "US", Usage: AddressWork},
	}}
	m, changed := Merge(stored, in)
	if !changed || len(m.PostalAddresses) != 2 || m.PostalAddresses[0].Usage != AddressHome || m.PostalAddresses[1].Locality != "Tampa" {
		t.Fatalf("Merge = %+v, %v; want the known address to get its usage and the new one appended", m.PostalAddresses, changed)
	}
	if _, changed := Merge(m, in); changed {
		t.Error("merging the same addresses again changes nothing")
	}
	if len(stored.PostalAddresses) != 1 || stored.PostalAddresses[0].Usage != "" {
		t.Error("Merge modified stored")
	}
}
