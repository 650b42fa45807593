package customer_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/customer"
)

func tel(t testing.TB, s string) channel.Address {
	t.Helper()
	p, err := channel.ParsePhone(s, "US")
	if err != nil {
		t.Fatal(err)
	}
	return p.Address()
}

func mail(t testing.TB, s string) channel.Address {
	t.Helper()
	e, err := channel.ParseEmail(s)
	if err != nil {
		t.Fatal(err)
	}
	return e.Address()
}

func person(id byte, given, family string, cps ...customer.ContactPoint) customer.Customer {
	return customer.Customer{ID: customer.ID{id}, Name: customer.Name{Given: given, Family: family}, ContactPoints: cps}
}

func postal(code string) []customer.PostalAddress {
	if code == "" {
		return nil
	}
	return []customer.PostalAddress{{PostalCode: code, Country: "US"}}
}

func mobile(a channel.Address) customer.ContactPoint {
	return customer.ContactPoint{Address: a, Usage: customer.UsageMobile}
}

func home(a channel.Address) customer.ContactPoint {
	return customer.ContactPoint{Address: a, Usage: customer.UsageHome}
}

func codes(c customer.Candidate) []customer.ReasonCode {
	var out []customer.ReasonCode
	for _, r := range c.Reasons {
		out = append(out, r.Code)
	}
	slices.Sort(out)
	return out
}

func TestCompareDuplicates(t *testing.T) {
	m1, m2 := tel(t, "+1 212 555 0123"), tel(t, "+1 212 555 0132")
	land := tel(t, "+1 212 555 0150")
	e1 := mail(t, "Jane.Doe+cars@gmail.com")
	e1b := mail(t, "janedoe@googlemail.com")
	withSuffix := func(c customer.Customer, s string) customer.Customer { c.Name.Suffix = s; return c }
	withDMS := func(c customer.Customer, v string) customer.Customer {
		c.ExternalIDs = []customer.ExternalID{{System: "cdk", Value: v}}
		return c
	}
	tests := []struct {
		name         string
		a, b         customer.Customer
		postA, postB string
		tier         customer.Tier
		codes        []customer.ReasonCode
	}{
		{
			name:  "same mobile, email match key and name",
			a:     person(1, "Jane", "Doe", mobile(m1), customer.ContactPoint{Address: e1}),
			b:     person(2, "JANE", "DOE", mobile(m1), customer.ContactPoint{Address: e1b}),
			tier:  customer.TierSafe,
			codes: []customer.ReasonCode{customer.ReasonSameEmail, customer.ReasonSameMobile, customer.ReasonSameName},
		},
		{
			name:  "nickname with same mobile and postal code",
			a:     person(1, "Robert", "Núñez", mobile(m1)),
			b:     person(2, "Bob", "Nunez", mobile(m1)),
			postA: "10001", postB: "10001-1234",
			tier:  customer.TierLikely,
			codes: []customer.ReasonCode{customer.ReasonNickname, customer.ReasonSameMobile, customer.ReasonSamePostalCode},
		},
		{
			name:  "same DMS ID and name",
			a:     withDMS(person(1, "Ana", "Lopez"), "C1001"),
			b:     withDMS(person(2, "Ana", "Lopez", mobile(m2)), "C1001"),
			tier:  customer.TierLikely,
			codes: []customer.ReasonCode{customer.ReasonSameExternalID, customer.ReasonSameName},
		},
		{
			name:  "same DMS ID, name and mobile",
			a:     withDMS(person(1, "Ana", "Lopez", mobile(m1)), "C1001"),
			b:     withDMS(person(2, "Ana", "Lopez", mobile(m1)), "C1001"),
			tier:  customer.TierSafe,
			codes: []customer.ReasonCode{customer.ReasonSameExternalID, customer.ReasonSameMobile, customer.ReasonSameName},
		},
		{
			name:  "transposed digits and same name",
			a:     person(1, "Jane", "Doe", mobile(m1)),
			b:     person(2, "Jane", "Doe", mobile(m2)),
			tier:  customer.TierPossible,
			codes: []customer.ReasonCode{customer.ReasonSameName, customer.ReasonTransposedDigits},
		},
		{
			name:  "father and son: same name and landline, different suffixes",
			a:     withSuffix(person(1, "John", "Smith", home(land)), "Sr."),
			b:     withSuffix(person(2, "John", "Smith", home(land)), "JR"),
			postA: "10001", postB: "10001",
			tier: customer.TierNone,
			// The postal code only counts when the names agree.
			codes: []customer.ReasonCode{customer.ReasonDifferentSuffix, customer.ReasonSameName, customer.ReasonSamePhone},
		},
		{
			name:  "spouses sharing a mobile",
			a:     person(1, "Jane", "Doe", mobile(m1)),
			b:     person(2, "John", "Doe", mobile(m1)),
			tier:  customer.TierNone,
			codes: []customer.ReasonCode{customer.ReasonDifferentGivenName, customer.ReasonSameMobile},
		},
		{
			name:  "two customer numbers in one DMS",
			a:     withDMS(person(1, "Jane", "Doe", mobile(m1)), "C1"),
			b:     withDMS(person(2, "Jane", "Doe", mobile(m1)), "C2"),
			tier:  customer.TierNone,
			codes: []customer.ReasonCode{customer.ReasonDifferentExternalID, customer.ReasonSameMobile, customer.ReasonSameName},
		},
		{
			name:  "typo in the last name with the same mobile and email",
			a:     person(1, "Jane", "Smith", mobile(m1), customer.ContactPoint{Address: e1}),
			b:     person(2, "Jane", "Simth", mobile(m1), customer.ContactPoint{Address: e1}),
			tier:  customer.TierLikely,
			codes: []customer.ReasonCode{customer.ReasonNameTypo, customer.ReasonSameEmail, customer.ReasonSameMobile},
		},
		{
			name:  "unsplit name from an old DMS",
			a:     customer.Customer{ID: customer.ID{1}, Name: customer.Name{Full: "JOSE NUNEZ JR"}, ContactPoints: []customer.ContactPoint{mobile(m1)}},
			b:     withSuffix(person(2, "José", "Núñez", mobile(m1)), "Jr."),
			tier:  customer.TierLikely,
			codes: []customer.ReasonCode{customer.ReasonSameMobile, customer.ReasonSameName},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.a.PostalAddresses = postal(tt.postA)
			tt.b.PostalAddresses = postal(tt.postB)
			c := customer.CompareDuplicates(&tt.a, &tt.b, nil)
			if c.Tier != tt.tier {
				t.Errorf("tier = %v (score %d, reasons %v), want %v", c.Tier, c.Score, c.Reasons, tt.tier)
			}
			if got := codes(c); !slices.Equal(got, tt.codes) {
				t.Errorf("reasons = %v, want %v", got, tt.codes)
			}
			sum := 0
			for _, r := range c.Reasons {
				sum += r.Weight
			}
			if sum != c.Score {
				t.Errorf("score %d is not the sum of the reasons' weights %d", c.Score, sum)
			}
			// Symmetric: the order of the arguments does not matter.
			d := customer.CompareDuplicates(&tt.b, &tt.a, nil)
			if d.A != c.A || d.B != c.B || d.Score != c.Score || d.Tier != c.Tier {
				t.Errorf("reversed: %+v, want %+v", d, c)
			}
		})
	}
}

func TestGuardsBlockPlaceholders(t *testing.T) {
	store := tel(t, "+1 212 555 0100")
	rules := customer.DefaultDuplicateRules()
	rules.Guards.Addresses = []channel.Address{store}
	for _, tc := range []struct {
		name string
		cp   customer.ContactPoint
		ext  string
	}{
		{name: "dealership number", cp: mobile(store)},
		{name: "dealership number with an extension", cp: home(tel(t, "+1 212 555 0100 ext. 12"))},
		{name: "noemail@", cp: customer.ContactPoint{Address: mail(t, "noemail@example.com")}},
		{name: "no.email@", cp: customer.ContactPoint{Address: mail(t, "No.Email@example.org")}},
		{name: "none@none.com", cp: customer.ContactPoint{Address: mail(t, "none@none.com")}},
		{name: "anything at a placeholder domain", cp: customer.ContactPoint{Address: mail(t, "jane@noemail.com")}},
		{name: "repeated digits", cp: mobile(tel(t, "+1 212 555 5555"))},
		{name: "placeholder DMS ID", cp: mobile(tel(t, "+1 212 555 0177")), ext: "N/A"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := person(1, "Jane", "Doe", tc.cp)
			b := person(2, "Jane", "Doe", tc.cp)
			if tc.ext != "" {
				a.ContactPoints, b.ContactPoints = nil, nil
				a.ExternalIDs = []customer.ExternalID{{System: "cdk", Value: tc.ext}}
				b.ExternalIDs = []customer.ExternalID{{System: "cdk", Value: tc.ext}}
			}
			c := customer.CompareDuplicates(&a, &b, &rules)
			if got, want := codes(c), []customer.ReasonCode{customer.ReasonSameName}; !slices.Equal(got, want) {
				t.Errorf("reasons = %v, want only %v", got, want)
			}
			if c.Tier != customer.TierPossible {
				t.Errorf("tier = %v, want possible (the name alone)", c.Tier)
			}
		})
	}
}

// TestGuardsBlocksAddress: the exported checks agree with what the finder
// leaves out (above), and leave real values alone.
func TestGuardsBlocksAddress(t *testing.T) {
	store := tel(t, "+1 212 555 0100")
	g := customer.DefaultGuards()
	g.Addresses = []channel.Address{store}
	for _, tc := range []struct {
		a    channel.Address
		want bool
	}{
		{store, true},
		{tel(t, "+1 212 555 0100 ext. 12"), true}, // compared as lines
		{mail(t, "noemail@example.com"), true},
		{mail(t, "No.Email@example.org"), true},
		{mail(t, "jane@noemail.com"), true},
		{tel(t, "+1 212 555 5555"), true},
		{tel(t, "+1 212 555 0101"), false},
		{mail(t, "jane.doe@example.com"), false},
		{mail(t, "noemailplease@example.com"), false},
	} {
		if got := g.BlocksAddress(tc.a); got != tc.want {
			t.Errorf("BlocksAddress(%v) = %v, want %v", tc.a, got, tc.want)
		}
	}
	for v, want := range map[string]bool{"0": true, " N/A ": true, "tbd": true, "C0001234": false, "": false} {
		if got := g.BlocksExternalID(v); got != want {
			t.Errorf("BlocksExternalID(%q) = %v, want %v", v, got, want)
		}
	}
}

func TestSharedValuesAreNotEvidence(t *testing.T) {
	kiosk := customer.ContactPoint{Address: mail(t, "showroom@dealer.example.com")}
	family := home(tel(t, "+1 212 555 0150"))
	f := customer.NewDuplicateFinder(nil)
	// Five different people used the showroom kiosk's email (more than the
	// default shared limit of 4); two of them are one person.
	names := [][2]string{{"Ann", "Lee"}, {"Ann", "Lee"}, {"Raj", "Patel"}, {"Li", "Wei"}, {"Sam", "Ortiz"}}
	for i, n := range names {
		c := person(byte(i+1), n[0], n[1], kiosk)
		if err := f.Add(&c); err != nil {
			t.Fatal(err)
		}
	}
	// A family of three share a landline; two records are one person.
	for i, n := range []string{"Maria", "Maria", "Jose"} {
		c := person(byte(i+10), n, "Garcia", family)
		if err := f.Add(&c); err != nil {
			t.Fatal(err)
		}
	}
	got := f.Candidates(customer.TierPossible)
	if len(got) != 1 {
		t.Fatalf("candidates = %+v, want only the two Maria Garcia records", got)
	}
	c := got[0]
	if c.A != (customer.ID{10}) || c.B != (customer.ID{11}) {
		t.Errorf("pair = %v, %v; want the Maria Garcia records", c.A, c.B)
	}
	i := slices.IndexFunc(c.Reasons, func(r customer.Reason) bool { return r.Code == customer.ReasonSamePhone })
	if i < 0 || c.Reasons[i].Holders != 3 || c.Reasons[i].Weight >= 5 {
		t.Errorf("reasons = %+v, want a same_phone reason held by 3 customers, weighing less than a private line", c.Reasons)
	}
	if st := f.Stats(); st.SharedValues != 1 || st.Customers != 8 {
		t.Errorf("stats = %+v, want 8 customers and 1 shared value (the kiosk email)", st)
	}
}

func TestDuplicateFinderBoundsComparisons(t *testing.T) {
	// 2,000 customers with one last name and postal code and one
	// shared-looking first name: without blocking bounds this is two
	// million pairs.
	f := customer.NewDuplicateFinder(&customer.DuplicateRules{MaxComparisons: 20, Window: 30})
	for i := range 2000 {
		c := customer.Customer{ID: customer.ID{byte(i >> 8), byte(i), 1}, Name: customer.Name{Given: fmt.Sprintf("Kim%d", i%7), Family: "Lee"}, PostalAddresses: postal("10001")}
		if err := f.Add(&c); err != nil {
			t.Fatal(err)
		}
	}
	f.Candidates(customer.TierPossible)
	st := f.Stats()
	if st.MostComparisons > 20 {
		t.Errorf("a customer took part in %d comparisons, want at most 20", st.MostComparisons)
	}
	if st.Compared > 2000*20/2 {
		t.Errorf("%d pairs compared, want at most %d", st.Compared, 2000*20/2)
	}
	if st.Capped == 0 {
		t.Errorf("no customer reached the comparison budget: the test does not exercise it")
	}
}

func TestIsNickname(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"Bob", "Robert", true},
		{"bobby", "ROB", true},
		{"Steven", "Stephen", true},
		{"Alex", "Alejandro", true},
		{"Alex", "Alexandra", true},
		{"Alejandro", "Alexandra", false},
		{"Pepe", "José", true},
		{"Robert", "Robert", false},
		{"Robert", "William", false},
		{"", "Bob", false},
	} {
		if got := customer.IsNickname(tc.a, tc.b); got != tc.want {
			t.Errorf("IsNickname(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestReasonStringsHoldNoCustomerData(t *testing.T) {
	m := tel(t, "+1 212 555 0123")
	a := person(1, "Jane", "Doe", mobile(m))
	a.ExternalIDs = []customer.ExternalID{{System: "cdk", Value: "C77"}}
	b := person(2, "Janet", "Doe", mobile(m))
	b.ExternalIDs = []customer.ExternalID{{System: "cdk", Value: "C77"}}
	c := customer.CompareDuplicates(&a, &b, nil)
	if len(c.Reasons) == 0 {
		t.Fatal("no reasons")
	}
	for _, r := range c.Reasons {
		s := r.String()
		for _, data := range []string{"555", "0123", "Jane", "Doe", "C77"} {
			if strings.Contains(s, data) {
				t.Errorf("reason %q repeats customer data %q", s, data)
			}
		}
	}
}

// TestDuplicateFinderLongKeys adds customers whose match keys hold more
// text than the finder keeps in one part of its store (256 KiB), among
// ordinary ones, and checks that every pair is scored as CompareDuplicates
// scores it alone.
func TestDuplicateFinderLongKeys(t *testing.T) {
	long := strings.Repeat("7", 300_000)
	m := tel(t, "+1 212 555 0123")
	var cs []customer.Customer
	for i := range 6 {
		c := person(byte(10+i), "Jane", fmt.Sprintf("Doe%d", i/2), mobile(tel(t, fmt.Sprintf("+1 312 555 01%02d", 40+i))))
		switch i / 2 {
		case 0: // a long external ID in a system spelt two ways
			c.ExternalIDs = []customer.ExternalID{{System: []string{" CDK", "cdk "}[i%2], Value: long + "1"}}
		case 1: // an ordinary pair: one mobile
			c.ContactPoints = append(c.ContactPoints, mobile(m))
			c.PostalAddresses = postal("10001")
		case 2: // a long last name and one postal code
			c.Name.Family = long
			c.PostalAddresses = postal("60601")
		}
		cs = append(cs, c)
	}
	f := customer.NewDuplicateFinder(nil)
	for i := range cs {
		if err := f.Add(&cs[i]); err != nil {
			t.Fatal(err)
		}
	}
	got := f.Candidates(customer.TierPossible)
	if len(got) != 3 {
		t.Fatalf("%d candidates, want the 3 pairs: %+v", len(got), got)
	}
	for _, c := range got {
		i, j := int(c.A[0])-10, int(c.B[0])-10
		if i/2 != j/2 {
			t.Errorf("candidate %d–%d pairs customers of different pairs", i, j)
			continue
		}
		if want := customer.CompareDuplicates(&cs[i], &cs[j], nil); !slices.EqualFunc(c.Reasons, want.Reasons, func(a, b customer.Reason) bool { return a == b }) || c.Score != want.Score || c.Tier != want.Tier {
			t.Errorf("candidate %d–%d = %+v, want %+v as scored alone", i, j, c, want)
		}
		if i/2 == 0 && !slices.ContainsFunc(c.Reasons, func(r customer.Reason) bool {
			return r.Code == customer.ReasonSameExternalID && r.System == "cdk"
		}) {
			t.Errorf("long external-ID pair: reasons %v, want the same customer number in cdk", c.Reasons)
		}
	}
}
