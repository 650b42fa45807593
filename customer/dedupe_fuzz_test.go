package customer_test

import (
	"testing"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/customer"
)

// FuzzCompareDuplicates feeds imported-looking names, phone numbers, emails,
// DMS IDs and postal codes to the duplicate scorer: it must not panic, must
// not depend on the order of its arguments, and its score and tier must
// follow from its reasons.
func FuzzCompareDuplicates(f *testing.F) {
	f.Add("Robert", "Núñez", "Jr.", "+1 212 555 0123", "Jane.Doe+x@gmail.com", "C100", "10001-1234",
		"BOB NUNEZ JR", "", "", "(212) 555-0123", "janedoe@googlemail.com", "C100", "10001")
	f.Add("J", "Smith", "", "212 555 0132", "noemail@example.com", "n/a", "",
		"John", "Smith", "Sr", "212-555-0123", "none@none.com", "0", "SW1A 1AA")
	f.Add("", "", "", "", "", "", "", "", "", "", "", "", "", "")
	f.Fuzz(func(t *testing.T, g1, f1, s1, p1, e1, x1, z1, g2, f2, s2, p2, e2, x2, z2 string) {
		build := func(id byte, given, family, suffix, phone, email, ext, zip string) customer.Customer {
			c := customer.Customer{ID: customer.ID{id}, PostalAddresses: []customer.PostalAddress{{PostalCode: zip}}}
			if family == "" && suffix == "" {
				c.Name = customer.Name{Full: given}
			} else {
				c.Name = customer.Name{Given: given, Family: family, Suffix: suffix}
			}
			if p, err := channel.ParsePhone(phone, "US"); err == nil {
				c.ContactPoints = append(c.ContactPoints, customer.ContactPoint{Address: p.Address(), Usage: customer.UsageMobile})
			}
			if e, err := channel.ParseEmail(email); err == nil {
				c.ContactPoints = append(c.ContactPoints, customer.ContactPoint{Address: e.Address()})
			}
			if ext != "" {
				c.ExternalIDs = []customer.ExternalID{{System: "cdk", Value: ext}}
			}
			return c
		}
		a := build(1, g1, f1, s1, p1, e1, x1, z1)
		b := build(2, g2, f2, s2, p2, e2, x2, z2)
		c := customer.CompareDuplicates(&a, &b, nil)
		d := customer.CompareDuplicates(&b, &a, nil)
		if c.A != a.ID || c.B != b.ID || d.A != c.A || d.B != c.B {
			t.Fatalf("pair order: %v %v / %v %v", c.A, c.B, d.A, d.B)
		}
		if c.Score != d.Score || c.Tier != d.Tier || len(c.Reasons) != len(d.Reasons) {
			t.Fatalf("not symmetric: %+v vs %+v", c, d)
		}
		sum, against := 0, false
		for _, r := range c.Reasons {
			sum += r.Weight
			against = against || r.Weight < 0
			if r.String() == "" {
				t.Fatalf("reason %q has no words", r.Code)
			}
		}
		if sum != c.Score {
			t.Fatalf("score %d, reasons sum to %d", c.Score, sum)
		}
		if c.Tier == customer.TierSafe && against {
			t.Fatalf("safe tier with evidence against: %+v", c)
		}
		if c.Tier == customer.TierNone && c.Score >= 6 {
			t.Fatalf("score %d without a tier", c.Score)
		}
	})
}
