package customer

import (
	"errors"
	"fmt"
	"strings"

	"github.com/rapportcim/rapport/internal/textnorm"
)

// Limits on postal addresses, so that one bad import row cannot bloat
// storage.
const (
	MaxPostalAddresses = 8
	MaxAddressLines    = 4
	// maxPostalInput bounds what the postal parsers read: no postal code,
	// region or country name is longer.
	maxPostalInput = 64
)

// AddressUsage says what a postal address is for. The zero AddressUsage
// means unknown.
type AddressUsage string

// Address usages, as stored.
const (
	AddressUsageUnknown AddressUsage = ""
	AddressHome         AddressUsage = "home"
	AddressWork         AddressUsage = "work"
	AddressBilling      AddressUsage = "billing"
)

// Known reports whether u is a usage this version knows.
func (u AddressUsage) Known() bool {
	return u == AddressHome || u == AddressWork || u == AddressBilling
}

// UnmarshalText implements encoding.TextUnmarshaler; see [parseToken].
func (u *AddressUsage) UnmarshalText(b []byte) error {
	return parseToken(b, "usage", (*string)(u))
}

// PostalAddress is where the customer can be reached by post, and where
// they live or work: consent rules that depend on the recipient's state or
// province read Region (see [PostalAddress.Subdivision]).
//
// Every field's zero value means unknown. [Customer.Normalize] puts an
// address in its stored form: Country as an ISO 3166-1 alpha-2 code ("US",
// "CA"); for the United States and Canada, Region as the two-letter postal
// abbreviation ("FL", "QC") and PostalCode as "12345", "12345-6789" or
// "K1A 0B6"; elsewhere Region and PostalCode are kept as given (trimmed,
// white space collapsed, postal code upper-cased). What cannot be
// normalized is left as it is for [Customer.Validate] to report.
type PostalAddress struct {
	// Lines are the street lines, first to last ("123 Main St", "Apt 4").
	Lines []string `json:"lines,omitempty"`
	// Locality is the city or town.
	Locality string `json:"locality,omitempty"`
	// Region is the state, province or territory.
	Region string `json:"region,omitempty"`
	// PostalCode is the ZIP or postal code.
	PostalCode string `json:"postal_code,omitempty"`
	// Country is the ISO 3166-1 alpha-2 code.
	Country string `json:"country,omitempty"`
	// Usage says what the address is for: home, work or billing.
	Usage AddressUsage `json:"usage,omitempty"`
}

// IsZero reports whether a has no field set.
func (a PostalAddress) IsZero() bool {
	return len(a.Lines) == 0 && a.Locality == "" && a.Region == "" && a.PostalCode == "" && a.Country == "" && a.Usage == ""
}

// Subdivision returns the ISO 3166-2 code of the address's state or
// province ("US-FL", "CA-QC") when its country is the United States or
// Canada and its region is one of theirs; "" otherwise. A region that is a
// US or Canadian code with no country is read as that country's: the two
// lists share no code.
func (a PostalAddress) Subdivision() string {
	country, err := ParseCountry(a.Country)
	if err != nil {
		return ""
	}
	if country == "" {
		country = regionCountry(a.Region)
	}
	if country != "US" && country != "CA" {
		return ""
	}
	r, err := ParseRegion(country, a.Region)
	if err != nil || r == "" {
		return ""
	}
	return country + "-" + r
}

// ParseSubdivision returns the ISO 3166-2 code of a state, province or
// other subdivision named by raw: an ISO 3166-2 code in any case ("us-fl",
// "DE-BY"), or a US or Canadian postal abbreviation or name ("FL",
// "Florida", "Québec"), which gives "US-FL" or "CA-QC". "" gives "".
// Anything else is a *ValidationError for field "region" wrapping
// [ErrInvalidRegion].
func ParseSubdivision(raw string) (string, error) {
	// Built only when needed: the empty region of most calls costs nothing.
	bad := func() error {
		return &ValidationError{Field: "region", Err: fmt.Errorf("%w: not an ISO 3166-2 code or a US or Canadian region", ErrInvalidRegion)}
	}
	if len(raw) > maxPostalInput {
		return "", bad()
	}
	t := strings.TrimSpace(raw)
	if t == "" {
		return "", nil
	}
	if c := regionCountry(t); c != "" {
		r, err := ParseRegion(c, t)
		if err != nil {
			return "", bad()
		}
		return c + "-" + r, nil
	}
	if len(t) >= 4 && len(t) <= 6 && t[2] == '-' && isASCIILetter(t[0]) && isASCIILetter(t[1]) {
		country := strings.ToUpper(t[:2])
		if country == "US" || country == "CA" {
			r, err := ParseRegion(country, t)
			if err != nil {
				return "", bad()
			}
			return country + "-" + r, nil
		}
		for i := 3; i < len(t); i++ {
			if !isASCIILetter(t[i]) && (t[i] < '0' || t[i] > '9') {
				return "", bad()
			}
		}
		return strings.ToUpper(t), nil
	}
	return "", bad()
}

// key identifies the place a normalized address names, whatever its usage:
// two spellings of one address a clerk would call the same share it.
func (a PostalAddress) key() string {
	var b strings.Builder
	b.WriteString(a.Country)
	b.WriteByte('|')
	b.WriteString(a.Region)
	b.WriteByte('|')
	b.WriteString(a.PostalCode)
	b.WriteByte('|')
	b.WriteString(textnorm.Key(a.Locality))
	for _, l := range a.Lines {
		b.WriteByte('|')
		b.WriteString(textnorm.Key(l))
	}
	return b.String()
}

// normalized returns a in its stored form, leaving what it cannot
// normalize as it is.
func (a PostalAddress) normalized() PostalAddress {
	lines := a.Lines[:0:0]
	for _, l := range a.Lines {
		if l = textnorm.Display(l); l != "" {
			lines = append(lines, l)
		}
	}
	a.Lines = lines
	if len(a.Lines) == 0 {
		a.Lines = nil
	}
	a.Locality = textnorm.Display(a.Locality)
	if c, err := ParseCountry(a.Country); err == nil {
		a.Country = c
	}
	if a.Country == "" {
		a.Country = regionCountry(a.Region)
	}
	if r, err := ParseRegion(a.Country, a.Region); err == nil {
		a.Region = r
	}
	if p, err := ParsePostalCode(a.Country, a.PostalCode); err == nil {
		a.PostalCode = p
	}
	return a
}

// validate adds a's problems to v under field.
func (v *validator) postal(field string, a PostalAddress) {
	if a.IsZero() {
		v.add(field, fmt.Errorf("%w: empty postal address", ErrMissing))
		return
	}
	if len(a.Lines) > MaxAddressLines {
		v.add(field+".lines", fmt.Errorf("%w: more than %d", ErrTooMany, MaxAddressLines))
	}
	for i, l := range a.Lines {
		v.text(fmt.Sprintf("%s.lines[%d]", field, i), l, true)
	}
	v.text(field+".locality", a.Locality, false)
	country, err := ParseCountry(a.Country)
	if err != nil {
		v.add(field+".country", errors.Unwrap(err))
	} else if country != a.Country {
		v.add(field+".country", fmt.Errorf("%w: not in normalized form (%q)", ErrInvalidCountry, country))
	}
	if r, err := ParseRegion(country, a.Region); err != nil {
		v.add(field+".region", errors.Unwrap(err))
	} else if r != a.Region {
		v.add(field+".region", fmt.Errorf("%w: not in normalized form", ErrInvalidRegion))
	}
	if p, err := ParsePostalCode(country, a.PostalCode); err != nil {
		v.add(field+".postal_code", errors.Unwrap(err))
	} else if p != a.PostalCode {
		v.add(field+".postal_code", fmt.Errorf("%w: not in normalized form", ErrInvalidPostalCode))
	} else if country == "CA" && p != "" && a.Region != "" && !caPostalMatches(p, a.Region) {
		v.add(field+".postal_code", fmt.Errorf("%w: not a postal code of the province", ErrInvalidPostalCode))
	}
}

// ParseCountry returns the ISO 3166-1 alpha-2 code for raw: a two-letter
// code in any case, or one of the usual spellings of the United States and
// Canada ("USA", "U.S.", "United States of America", "CAN", "Canada"). ""
// gives "". Anything else is a *ValidationError for field "country"
// wrapping [ErrInvalidCountry].
func ParseCountry(raw string) (string, error) {
	if len(raw) > maxPostalInput {
		return "", &ValidationError{Field: "country", Err: fmt.Errorf("%w: longer than %d bytes", ErrInvalidCountry, maxPostalInput)}
	}
	k := strings.ReplaceAll(textnorm.Key(raw), " ", "")
	switch k {
	case "":
		if strings.TrimSpace(raw) != "" {
			break
		}
		return "", nil
	case "us", "usa", "unitedstates", "unitedstatesofamerica":
		return "US", nil
	case "ca", "can", "canada":
		return "CA", nil
	}
	t := strings.TrimSpace(raw)
	if len(t) == 2 && isASCIILetter(t[0]) && isASCIILetter(t[1]) {
		return strings.ToUpper(t), nil
	}
	return "", &ValidationError{Field: "country", Err: fmt.Errorf("%w: not an ISO 3166-1 alpha-2 code", ErrInvalidCountry)}
}

// ParseRegion normalizes the state, province or territory raw of a country
// (an ISO 3166-1 alpha-2 code, as [ParseCountry] returns). For the United
// States and Canada it accepts the two-letter postal abbreviation, the ISO
// 3166-2 form ("US-FL") and the name in any case and with or without
// accents ("florida", "Québec", "Newfoundland"), plus the former codes PQ
// and NF, and returns the two-letter abbreviation; a region that is not
// one of the country's is a *ValidationError for field "region" wrapping
// [ErrInvalidRegion]. For other countries raw is returned trimmed, with
// white space collapsed. "" gives "".
func ParseRegion(country, raw string) (string, error) {
	if len(raw) > maxPostalInput {
		return "", &ValidationError{Field: "region", Err: fmt.Errorf("%w: longer than %d bytes", ErrInvalidRegion, maxPostalInput)}
	}
	if strings.TrimSpace(raw) == "" {
		return "", nil
	}
	if country != "US" && country != "CA" {
		d := textnorm.Display(raw)
		if strings.ContainsFunc(d, isControl) {
			return "", &ValidationError{Field: "region", Err: fmt.Errorf("%w: control characters", ErrInvalidRegion)}
		}
		return d, nil
	}
	k := textnorm.Key(raw)
	if len(k) == 5 && k[2] == '-' || len(k) == 5 && k[2] == ' ' {
		if strings.ToUpper(k[:2]) != country {
			return "", &ValidationError{Field: "region", Err: fmt.Errorf("%w: a subdivision of another country", ErrInvalidRegion)}
		}
		k = k[3:]
	}
	if code, ok := regionCodes[k]; ok && code.country == country {
		return code.code, nil
	}
	return "", &ValidationError{Field: "region", Err: fmt.Errorf("%w: not a %s state, province or territory", ErrInvalidRegion, country)}
}

// ParsePostalCode normalizes the postal code raw of a country (an ISO
// 3166-1 alpha-2 code). United States ZIP codes become "12345" or
// "12345-6789" (ZIP+4); Canadian postal codes "A1A 1A1", with the letters
// Canada Post uses. Other countries' codes are upper-cased with white
// space collapsed, and may hold only letters, digits, spaces and hyphens
// (at most 16 bytes). A code that does not fit is a *ValidationError for
// field "postal_code" wrapping [ErrInvalidPostalCode]. "" gives "".
func ParsePostalCode(country, raw string) (string, error) {
	bad := func(why string) (string, error) {
		return "", &ValidationError{Field: "postal_code", Err: fmt.Errorf("%w: %s", ErrInvalidPostalCode, why)}
	}
	if len(raw) > maxPostalInput {
		return bad(fmt.Sprintf("longer than %d bytes", maxPostalInput))
	}
	s := strings.ToUpper(strings.Join(strings.Fields(raw), " "))
	if s == "" {
		return "", nil
	}
	switch country {
	case "US":
		d := strings.NewReplacer(" ", "", "-", "").Replace(s)
		if !isDigitString(d) || len(d) != 5 && len(d) != 9 {
			return bad("not a ZIP or ZIP+4 code")
		}
		if len(d) == 9 {
			return d[:5] + "-" + d[5:], nil
		}
		return d, nil
	case "CA":
		d := strings.NewReplacer(" ", "", "-", "").Replace(s)
		if len(d) != 6 {
			return bad("not a Canadian postal code")
		}
		for i := 0; i < 6; i++ {
			c := d[i]
			if i%2 == 1 {
				if c < '0' || c > '9' {
					return bad("not a Canadian postal code")
				}
				continue
			}
			if c < 'A' || c > 'Z' || strings.IndexByte("DFIOQU", c) >= 0 || i == 0 && (c == 'W' || c == 'Z') {
				return bad("not a Canadian postal code")
			}
		}
		return d[:3] + " " + d[3:], nil
	}
	if len(s) > 16 {
		return bad("longer than 16 bytes")
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == ' ' || c == '-') {
			return bad("only letters, digits, spaces and hyphens")
		}
	}
	return s, nil
}

// caPostalMatches reports whether Canadian postal code p can belong to
// province code region: the first letter of a postal code names the
// province (Canada Post's forward sortation areas).
func caPostalMatches(p, region string) bool {
	provinces, ok := caFSA[p[0]]
	if !ok {
		return false
	}
	return strings.Contains(provinces, region)
}

// caFSA maps the first letter of a Canadian postal code to the provinces
// and territories it serves.
var caFSA = map[byte]string{
	'A': "NL", 'B': "NS", 'C': "PE", 'E': "NB", 'G': "QC", 'H': "QC", 'J': "QC",
	'K': "ON", 'L': "ON", 'M': "ON", 'N': "ON", 'P': "ON", 'R': "MB", 'S': "SK",
	'T': "AB", 'V': "BC", 'X': "NT NU", 'Y': "YT",
}

// regionCountry returns "US" or "CA" when raw is one of their region codes
// or names, "" otherwise.
func regionCountry(raw string) string {
	if len(raw) > maxPostalInput {
		return ""
	}
	if c, ok := regionCodes[textnorm.Key(raw)]; ok {
		return c.country
	}
	return ""
}

type regionCode struct{ country, code string }

// regionCodes maps the match key (textnorm.Key) of every accepted spelling
// of a US state, district or territory and a Canadian province or
// territory to its country and two-letter postal abbreviation.
var regionCodes = func() map[string]regionCode {
	m := make(map[string]regionCode, 3*len(usRegions)+3*len(caRegions))
	add := func(country string, list [][2]string) {
		for _, r := range list {
			m[strings.ToLower(r[0])] = regionCode{country, r[0]}
			for _, name := range strings.Split(r[1], "|") {
				m[textnorm.Key(name)] = regionCode{country, r[0]}
			}
		}
	}
	add("US", usRegions)
	add("CA", caRegions)
	return m
}()

// usRegions are the USPS abbreviations of the states, the District of
// Columbia and the territories, with their names ("|" separates spellings).
var usRegions = [][2]string{
	{"AL", "Alabama"}, {"AK", "Alaska"}, {"AZ", "Arizona"}, {"AR", "Arkansas"}, {"CA", "California"},
	{"CO", "Colorado"}, {"CT", "Connecticut"}, {"DE", "Delaware"}, {"DC", "District of Columbia|Washington DC|Washington D.C."},
	{"FL", "Florida"}, {"GA", "Georgia"}, {"HI", "Hawaii|Hawaiʻi"}, {"ID", "Idaho"}, {"IL", "Illinois"},
	{"IN", "Indiana"}, {"IA", "Iowa"}, {"KS", "Kansas"}, {"KY", "Kentucky"}, {"LA", "Louisiana"},
	{"ME", "Maine"}, {"MD", "Maryland"}, {"MA", "Massachusetts"}, {"MI", "Michigan"}, {"MN", "Minnesota"},
	{"MS", "Mississippi"}, {"MO", "Missouri"}, {"MT", "Montana"}, {"NE", "Nebraska"}, {"NV", "Nevada"},
	{"NH", "New Hampshire"}, {"NJ", "New Jersey"}, {"NM", "New Mexico"}, {"NY", "New York"},
	{"NC", "North Carolina"}, {"ND", "North Dakota"}, {"OH", "Ohio"}, {"OK", "Oklahoma"}, {"OR", "Oregon"},
	{"PA", "Pennsylvania"}, {"RI", "Rhode Island"}, {"SC", "South Carolina"}, {"SD", "South Dakota"},
	{"TN", "Tennessee"}, {"TX", "Texas"}, {"UT", "Utah"}, {"VT", "Vermont"}, {"VA", "Virginia"},
	{"WA", "Washington"}, {"WV", "West Virginia"}, {"WI", "Wisconsin"}, {"WY", "Wyoming"},
	{"AS", "American Samoa"}, {"GU", "Guam"}, {"MP", "Northern Mariana Islands"}, {"PR", "Puerto Rico"},
	{"VI", "Virgin Islands|U.S. Virgin Islands|US Virgin Islands"}, {"UM", "United States Minor Outlying Islands"},
}

// caRegions are Canada Post's abbreviations of the provinces and
// territories, with their English and French names and former codes.
var caRegions = [][2]string{
	{"AB", "Alberta"}, {"BC", "British Columbia|Colombie-Britannique"}, {"MB", "Manitoba"},
	{"NB", "New Brunswick|Nouveau-Brunswick"}, {"NL", "Newfoundland and Labrador|Newfoundland|Terre-Neuve-et-Labrador|NF"},
	{"NS", "Nova Scotia|Nouvelle-Écosse"}, {"NT", "Northwest Territories|Territoires du Nord-Ouest"},
	{"NU", "Nunavut"}, {"ON", "Ontario"}, {"PE", "Prince Edward Island|Île-du-Prince-Édouard"},
	{"QC", "Quebec|Québec|PQ"}, {"SK", "Saskatchewan"}, {"YT", "Yukon|Yukon Territory"},
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func isDigitString(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return len(s) > 0
}
