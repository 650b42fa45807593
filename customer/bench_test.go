package customer

import (
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/rapportcim/rapport/internal/benchcpu"
)

// names mixes what imports carry: plain ASCII, upper-case DMS exports,
// accented names in NFC and in decomposed form, and extra white space.
var names = []string{
	"Jane Doe", "JOHN SMITH", "José Núñez", "Jose\u0301 Nu\u0301n\u0303ez", "  maria   garcia ",
	"Nguyễn Văn An", "O'Brien", "Zoë Brontë", "ROBERT JOHNSON JR", "Chloé Lefèvre",
}

// BenchmarkNameKey compares the match key with norm.NFC.String on the same
// names in the same run (target: ≤ 1.3x).
func BenchmarkNameKey(b *testing.B) {
	b.Run("baseline=norm.NFC.String", func(b *testing.B) {
		b.ReportAllocs()
		defer benchcpu.Measure(b, 0)()
		for i := 0; b.Loop(); i++ {
			_ = norm.NFC.String(names[i%len(names)])
		}
	})
	b.Run("rapport=NameKey", func(b *testing.B) {
		b.ReportAllocs()
		defer benchcpu.Measure(b, 0)()
		for i := 0; b.Loop(); i++ {
			_ = NameKey(names[i%len(names)])
		}
	})
}
