package channel

import (
	"strings"
	"testing"

	"github.com/nyaruka/phonenumbers"

	"github.com/rapportcim/rapport/internal/benchcpu"
)

// phoneCorpus mixes the shapes real imports carry: E.164, national with and
// without the trunk prefix, extensions, Canadian and Caribbean +1 numbers and
// UK numbers. E.164 alone would understate the cost (research/performance.md).
var phoneCorpus = []struct{ raw, region string }{
	{"+12125550123", "US"},
	{"(212) 555-0123", "US"},
	{"1 212 555 0199", "US"},
	{"212-555-0123 x45", "US"},
	{"+1 416 555 0123", "US"},
	{"(604) 555-0142", "CA"},
	{"+1 876 555 0123", "US"},
	{"020 7946 0958", "GB"},
	{"+44 20 7946 0123", "GB"},
	{"001 212 555 0110", "DE"},
}

func warmPhones(b *testing.B) {
	for _, c := range phoneCorpus {
		if _, err := ParsePhone(c.raw, c.region); err != nil {
			b.Fatalf("corpus entry %q: %v", c.raw, err)
		}
	}
}

// BenchmarkParsePhone compares ParsePhone with the raw library calls on the
// same corpus in the same run: Parse + Format(E164) (baseline, no validity
// check) and Parse + IsValidNumber + Format (the same work ParsePhone must do).
func BenchmarkParsePhone(b *testing.B) {
	warmPhones(b)
	b.Run("baseline=phonenumbers.Parse+Format", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			c := phoneCorpus[i%len(phoneCorpus)]
			n, err := phonenumbers.Parse(c.raw, c.region)
			if err != nil {
				b.Fatal(err)
			}
			_ = phonenumbers.Format(n, phonenumbers.E164)
		}
	})
	b.Run("baseline=phonenumbers.Parse+IsValid+Format", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			c := phoneCorpus[i%len(phoneCorpus)]
			n, err := phonenumbers.Parse(c.raw, c.region)
			if err != nil || !phonenumbers.IsValidNumber(n) {
				b.Fatal("invalid")
			}
			_ = phonenumbers.Format(n, phonenumbers.E164)
		}
	})
	b.Run("rapport=ParsePhone", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			c := phoneCorpus[i%len(phoneCorpus)]
			if _, err := ParsePhone(c.raw, c.region); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkParseEmail measures canonical input (the common case on re-import)
// and display-name input against trim + lower-case.
func BenchmarkParseEmail(b *testing.B) {
	const canonical = "jane.doe@example.com"
	b.Run("baseline=ToLower(TrimSpace)", func(b *testing.B) {
		b.ReportAllocs()
		defer benchcpu.Measure(b, 0)()
		for b.Loop() {
			_ = strings.ToLower(strings.TrimSpace(canonical))
		}
	})
	b.Run("rapport=ParseEmail/canonical", func(b *testing.B) {
		b.ReportAllocs()
		defer benchcpu.Measure(b, 0)()
		for b.Loop() {
			if _, err := ParseEmail(canonical); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("rapport=ParseEmail/mixed-case", func(b *testing.B) {
		b.ReportAllocs()
		defer benchcpu.Measure(b, 0)()
		for b.Loop() {
			if _, err := ParseEmail("Jane.Doe@Example.COM"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("rapport=ParseEmail/display-name", func(b *testing.B) {
		b.ReportAllocs()
		defer benchcpu.Measure(b, 0)()
		for b.Loop() {
			if _, err := ParseEmail("Jane Doe <Jane.Doe@Example.COM>"); err != nil {
				b.Fatal(err)
			}
		}
	})
	// Internationalized domains go through IDNA (to the A-label and back).
	for _, in := range []struct{ name, raw string }{
		{"idn-canonical", "jane@bücher.de"},
		{"idn-a-label", "jane@xn--bcher-kva.de"},
	} {
		b.Run("rapport=ParseEmail/"+in.name, func(b *testing.B) {
			b.ReportAllocs()
			defer benchcpu.Measure(b, 0)()
			for b.Loop() {
				if _, err := ParseEmail(in.raw); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
