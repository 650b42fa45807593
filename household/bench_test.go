package household

import (
	"strings"
	"testing"
)

// The corpus is the valid test vectors; the "lower" runs use them
// lower-cased, which costs ParseVIN one allocation for the upper-cased copy.
//
// The baseline does the least any VIN parser must: trim and upper-case the
// input (strings.ToUpper returns its input without allocating when it is
// already upper-case), so the difference is the cost of validation.
func BenchmarkParseVIN(b *testing.B) {
	upper := make([]string, len(validVINs))
	lower := make([]string, len(validVINs))
	for i, tc := range validVINs {
		upper[i] = tc.vin
		lower[i] = strings.ToLower(tc.vin)
	}
	var sink VIN
	var sinkStr string
	for _, corpus := range []struct {
		name string
		in   []string
	}{{"upper", upper}, {"lower", lower}} {
		in := corpus.in
		b.Run(corpus.name+"/baseline", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				sinkStr = strings.ToUpper(strings.TrimSpace(in[i%len(in)]))
			}
		})
		b.Run(corpus.name+"/rapport", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				v, err := ParseVIN(in[i%len(in)])
				if err != nil {
					b.Fatal(err)
				}
				sink = v
			}
		})
		b.Run(corpus.name+"/rapport-lenient", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				v, err := ParseVINLenient(in[i%len(in)])
				if err != nil {
					b.Fatal(err)
				}
				sink = v
			}
		})
	}
	_, _ = sink, sinkStr
}
