package consent

import (
	"strings"
	"testing"
	"time"
)

// reportCPU runs f b.N times through b.Loop and reports, besides the
// wall-clock figures, the CPU time per operation ("cpu-ns/op") and, when
// bytes is not zero, the throughput on CPU time ("cpu-MB/s").
func reportCPU(b *testing.B, bytes int, f func()) {
	b.ReportAllocs()
	if bytes > 0 {
		b.SetBytes(int64(bytes))
	}
	start, ok := cpuTime()
	for b.Loop() {
		f()
	}
	end, _ := cpuTime()
	if !ok || b.N == 0 {
		return
	}
	per := float64((end - start).Nanoseconds()) / float64(b.N)
	b.ReportMetric(per, "cpu-ns/op")
	if bytes > 0 && per > 0 {
		b.ReportMetric(float64(bytes)/per*1e3, "cpu-MB/s")
	}
}

// BenchmarkDecide compares Decide on a 20-event ledger (US policy, two
// candidate zones, a Florida region, recent sends) with the lookup it is
// built on: Ledger.State for the one exact key, which does none of the
// wildcard, linking, basis, hours or cap work.
func BenchmarkDecide(b *testing.B) {
	l, r := ledgerOf20(b)
	p := US()
	k := Key{Address: r.Address, Channel: r.Channel, Purpose: r.Purpose, Rooftop: r.Rooftop}
	b.Run("baseline", func(b *testing.B) { reportCPU(b, 0, func() { _ = l.State(k, r.At) }) })
	b.Run("rapport", func(b *testing.B) { reportCPU(b, 0, func() { _ = Decide(p, l, r) }) })
	quiet := r
	quiet.At = time.Date(2026, 6, 11, 0, 30, 0, 0, time.UTC) // 20:30 EDT: closed in Florida, NextAllowed computed
	b.Run("rapport-quiet-hours", func(b *testing.B) { reportCPU(b, 0, func() { _ = Decide(p, l, quiet) }) })
	// Thanksgiving in Alabama by the mailing address, with a registry scrub:
	// the holiday calendars are computed, and NextAllowed skips the day.
	holiday := r
	holiday.Regions = []string{"US-AL", "US-TX"}
	holiday.Registries = []Listing{{Registry: RegistryUSDNC, ScrubbedAt: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)}}
	holiday.At = time.Date(2026, 11, 26, 18, 0, 0, 0, time.UTC)
	b.Run("rapport-holiday", func(b *testing.B) { reportCPU(b, 0, func() { _ = Decide(p, l, holiday) }) })
}

// shortTexts is a mix of inbound replies: keywords, keywords with noise,
// natural-language revocations and ordinary messages.
var shortTexts = []string{
	"STOP", "Stop.", "yes", "HELP", "Stop. Thank you", "Arrêt", "please stop texting me",
	"I'll stop by tomorrow", "can you cancel my appointment?", "the end of the month works",
	"Sounds good, see you Saturday at 10", "What's the out-the-door price on the 2024 Civic?",
	"take me off your list", "ok", "Thanks!", "STOP 12345",
}

// moreTexts are short replies that exercise the rest of the vocabulary:
// Spanish and French, fillers, questions and restrictions.
var moreTexts = []string{
	"No más", "Alto por favor", "No me envíes más mensajes", "Quiero cancelar mi cita", "Para mañana a las 3",
	"Arrêtez de m'envoyer des messages", "Je veux annuler mon rendez-vous", "Ne m'appelez pas avant midi",
	"Stop it now", "ok cancel all texts", "STOP. Who is this?", "Why did you stop texting me?",
	"don't call before noon", "only text me about service", "¿Por qué dejaron de enviarme mensajes?", "Merci!",
}

// BenchmarkClassify measures Classify's throughput on short texts against
// a baseline that only compares each text with "STOP", case-insensitively:
// on the original 16 texts, and on 16 more that use the Spanish, French,
// filler and restriction vocabulary.
func BenchmarkClassify(b *testing.B) {
	for _, set := range []struct {
		name  string
		texts []string
	}{{"", shortTexts}, {"-more", moreTexts}} {
		n := 0
		for _, s := range set.texts {
			n += len(s)
		}
		b.Run("baseline"+set.name, func(b *testing.B) {
			reportCPU(b, n, func() {
				for _, s := range set.texts {
					_ = strings.EqualFold(s, "STOP")
				}
			})
		})
		b.Run("rapport"+set.name, func(b *testing.B) {
			reportCPU(b, n, func() {
				for _, s := range set.texts {
					_ = Classify(s)
				}
			})
		})
	}
}
