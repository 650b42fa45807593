package interaction

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/internal/benchcpu"
)

// benchmarkMessages is a corpus of realistic dealership messages, both
// ways: prices, mileages, stock numbers, VINs, phone numbers, dates, times
// and ZIP codes, and, rarely (3 in 64), sensitive numbers.
var benchmarkMessages = []string{
	"Hi Jane, this is Sam from Acme Honda. Thanks for your interest in the 2024 Civic EX! Are you free for a test drive this Saturday at 10:30?",
	"Yes, Saturday works. Is it still $32,499?",
	"It is! Stock #A12345, 12,345 miles, one owner. I'll have it pulled up front for you.",
	"Great, see you then. What's the address again?",
	"We're at 1200 Main St, New York, NY 10001. Parking is in the back. Call me at 212-555-0123 if you get lost.",
	"Your service appointment is confirmed for 11/22/2026 at 8:00 AM. Reply C to confirm or R to reschedule.",
	"C",
	"Thanks! Your 2019 CR-V (VIN 5J6RW2H85KL012345) is due for its 30,000 mile service.",
	"How much is the 30k service?",
	"The 30,000 mile service is $489.95 and includes oil, filters, rotation and a multi-point inspection. About 2.5 hours.",
	"Can I get a loaner?",
	"Loaners are first come, first served. I've reserved one for you, a 2025 Accord LX.",
	"Hi, I saw the 2023 Tacoma TRD Off-Road on your site, stock STK 123456. Can you do $38,000 out the door?",
	"Let me check with my manager. The listed price is $41,995 with 28,410 miles. We have $1,500 in reconditioning in it.",
	"Ok let me know. My trade is a 2017 F-150 XLT with 81,234 miles, VIN 1FTEW1EG4HFA12345.",
	"Thanks. Can you send a few photos of the trade? Front, back, both sides, odometer and any damage.",
	"Sent 6 pics to your email.",
	"Got them, thank you! Our appraiser will have a number for you by 4 pm today.",
	"We can offer $24,750 for your trade. That puts you at $17,245 plus tax, title and fees on the Tacoma.",
	"What would my payment be for 72 months with $3,000 down?",
	"At 6.49% APR for 72 months with $3,000 down it's about $289/month, subject to credit approval.",
	"Can I fill out the credit app online?",
	"Yes: https://www.example.com/finance/apply?dealer=10001. It takes about 5 minutes.",
	"Done. My SSN is 123-45-6789 if you need it",
	"Please don't text your social security number! I've redacted it. Our F&I manager will call you from 212-555-0199.",
	"Hi Jane, just following up on the Civic. We had two other people ask about it today. Still interested?",
	"Yes, I'll be in at 2:30.",
	"Perfect. Ask for Sam at the front desk.",
	"Reminder: your vehicle is ready for pickup. Total due is $612.40. We close at 7 PM.",
	"Can I pay over the phone? Card is 4111 1111 1111 1111 exp 12/27",
	"For your security we can't take card numbers by text. Please call 212-555-0142 or pay at pickup.",
	"Your 2022 Pilot is in bay 7. The technician found a nail in the right rear tire; patch is $35. Approve?",
	"Yes approve",
	"Thanks, it'll be ready in about 45 minutes.",
	"Do you have any 2025 Odyssey Touring in Platinum White? I'm in zip 10001-1234.",
	"We have 3 in transit arriving 2026-11-22 and one on the lot, stock #B77812, MSRP $48,330.",
	"Can you hold the one on the lot with a deposit?",
	"Absolutely, a $500 refundable deposit holds it for 48 hours.",
	"Here's my routing 021000021 and account 12345678 for the ACH deposit",
	"Please don't send bank details by text - I've removed them. Use the secure link we emailed you.",
	"Happy birthday from all of us at Acme Honda! Enjoy a free car wash on your next visit.",
	"STOP",
	"You have been unsubscribed and will receive no more messages. Reply START to resubscribe.",
	"Your lease on the 2022 Accord ends 03/15/2026 with 4,321 miles remaining. Let's talk about your options!",
	"What's the buyout?",
	"The residual is $18,560 plus a $350 purchase option fee. We can also get you into a new 2026 Accord for around $329/month.",
	"Thanks for visiting Acme Honda today! How would you rate your experience from 1 to 10?",
	"9. Sam was great, the wait in finance was long though.",
	"Thank you for the feedback! I've shared it with our F&I team.",
	"Is the service department open on Sunday?",
	"Service is open Mon-Fri 7:00-19:00 and Sat 8:00-16:00, closed Sundays.",
	"Your recall appointment (campaign 24V-123) is set for Tuesday at 9:15.",
	"Can my wife drop it off instead? Her number is (212) 555-0177.",
	"Of course, I've added her as a contact on the repair order RO 558812.",
	"We found your car's key fob battery low, replaced at no charge.",
	"Hey it's Tom, I'm covering for Sam today. The Civic is washed and ready.",
	"Heading over now, ETA 20 min",
	"Your 2024 Civic paperwork is ready. Bring your license and proof of insurance, policy number 77-1234-5566.",
	"Welcome to the Acme family! Your first oil change is on us at 5,000 miles or 6 months.",
	"Check out our Black Friday event: 0.9% APR on select 2025 models through 11/30. Details at example.com/deals.",
	"Do you price match? Another dealer quoted me $31,200 on the same Civic.",
	"Send me the quote and I'll see what I can do. We can't guarantee anything until my manager reviews it.",
	"My odometer reads 36,012 and the check engine light came on this morning.",
	"Sorry to hear that! Can you bring it in tomorrow at 7:30? It may be covered under the 36k warranty.",
}

// redactCorpus returns the messages repeated to about size bytes, and
// their total length.
func redactCorpus(size int) ([]string, int64) {
	var msgs []string
	var n int64
	for int(n) < size {
		for _, m := range benchmarkMessages {
			msgs = append(msgs, m)
			n += int64(len(m))
		}
	}
	return msgs, n
}

// sensitiveRE is what a typical regexp-based redactor runs (and it is
// less careful than Redact: no validity rules, no keywords).
var sensitiveRE = regexp.MustCompile(`\b\d{3}-\d{2}-\d{4}\b|\b(?:\d[ -]?){12,18}\d\b|(?i:routing|account|acct)\D{0,12}\d{6,17}`)

// BenchmarkRedact measures Redact against baselines over the same text, on
// three corpora of about 1 MB each: the realistic messages above (few
// sensitive numbers), the labelled corpus of testdata/redact (more than
// half of its messages hold one, typed in every shape Redact reads, in
// English and Spanish), and a worst case of nothing but digit groups that
// look like card numbers and fail the Luhn check.
func BenchmarkRedact(b *testing.B) {
	realistic, realisticSize := redactCorpus(1 << 20)
	labelled, labelledSize := labelledCorpus(b, 1<<20)
	digits := []string{strings.Repeat("4111 1111 1111 1112 ", 1<<20/20)}
	for _, c := range []struct {
		name string
		msgs []string
		size int64
	}{
		{"realistic", realistic, realisticSize},
		{"labelled", labelled, labelledSize},
		{"digit-groups", digits, int64(len(digits[0]))},
	} {
		msgs := c.msgs
		b.Run(c.name+"/baseline/ToLower", func(b *testing.B) {
			b.SetBytes(c.size)
			b.ReportAllocs()
			defer benchcpu.Measure(b, c.size)()
			for b.Loop() {
				for _, m := range msgs {
					_ = strings.ToLower(m)
				}
			}
		})
		b.Run(c.name+"/baseline/IndexAny-digits", func(b *testing.B) {
			b.SetBytes(c.size)
			b.ReportAllocs()
			defer benchcpu.Measure(b, c.size)()
			n := 0
			for b.Loop() {
				for _, m := range msgs {
					for s := m; ; {
						k := strings.IndexAny(s, "0123456789")
						if k < 0 {
							break
						}
						n++
						s = s[k+1:]
					}
				}
			}
			_ = n
		})
		b.Run(c.name+"/baseline/regexp", func(b *testing.B) {
			b.SetBytes(c.size)
			b.ReportAllocs()
			defer benchcpu.Measure(b, c.size)()
			for b.Loop() {
				for _, m := range msgs {
					_ = sensitiveRE.FindAllStringIndex(m, -1)
				}
			}
		})
		b.Run(c.name+"/rapport", func(b *testing.B) {
			b.SetBytes(c.size)
			b.ReportAllocs()
			defer benchcpu.Measure(b, c.size)()
			for b.Loop() {
				for _, m := range msgs {
					_, _ = Redact(m)
				}
			}
		})
	}
}

// labelledCorpus returns the messages of the labelled corpus repeated to
// about size bytes, and their total length.
func labelledCorpus(b *testing.B, size int) ([]string, int64) {
	var msgs []string
	var n int64
	corpus := loadRedactCorpus(b)
	for int(n) < size {
		for _, m := range corpus {
			msgs = append(msgs, m.Text)
			n += int64(len(m.Text))
		}
	}
	return msgs, n
}

// metricsCorpus returns the generated timeline for the metrics benchmarks:
// 1M interactions (100k with -short).
func metricsCorpus(b *testing.B) []Interaction {
	n := 1_000_000
	if testing.Short() {
		n = 100_000
	}
	is := make([]Interaction, 0, n)
	for i := range generateTimeline(n, 42) {
		is = append(is, i)
	}
	return is
}

func benchCalendars(b testing.TB) map[dealer.Rooftop]*BusinessClock {
	hours := []channel.Window{{Day: time.Saturday, Start: channel.Clock(9, 0), End: channel.Clock(18, 0)}}
	for d := time.Monday; d <= time.Friday; d++ {
		hours = append(hours, channel.Window{Day: d, Start: channel.Clock(8, 30), End: channel.Clock(20, 0)})
	}
	out := make(map[dealer.Rooftop]*BusinessClock)
	for k, r := range benchRooftops {
		zone := []string{"America/New_York", "America/Chicago", "America/Los_Angeles"}[k]
		out[r] = mustLoad(b, Calendar{Zone: zone, Hours: hours})
	}
	return out
}

func BenchmarkMetrics(b *testing.B) {
	is := metricsCorpus(b)
	opts := &MetricsOptions{
		From:      time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		To:        time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		Calendars: benchCalendars(b),
	}
	perInteraction := func(b *testing.B) {
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(is)), "ns/interaction")
	}
	b.Run("baseline/map-per-conversation", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			last := make(map[ConversationID]time.Time)
			for k := range is {
				if t := is[k].OccurredAt; t.After(last[is[k].Conversation]) {
					last[is[k].Conversation] = t
				}
			}
		}
		perInteraction(b)
	})
	b.Run("meter/wall-clock", func(b *testing.B) {
		b.ReportAllocs()
		o := *opts
		o.Calendars = nil
		for b.Loop() {
			m := NewMeter(&o)
			for k := range is {
				m.Add(&is[k])
			}
			_ = m.Result()
		}
		perInteraction(b)
	})
	b.Run("meter/business-hours", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			m := NewMeter(opts)
			for k := range is {
				m.Add(&is[k])
			}
			_ = m.Result()
		}
		perInteraction(b)
	})
	b.Run("Measure", func(b *testing.B) {
		shuffled := slices.Clone(is)
		slices.SortFunc(shuffled, func(x, y Interaction) int { return bytes.Compare(y.ID[:], x.ID[:]) })
		b.ReportAllocs()
		for b.Loop() {
			_ = Measure(shuffled, opts)
		}
		perInteraction(b)
	})
}

func BenchmarkBusinessDuration(b *testing.B) {
	clock := benchCalendars(b)["downtown"]
	from := time.Date(2025, 3, 14, 16, 30, 0, 0, time.UTC)
	for _, d := range []time.Duration{20 * time.Minute, 20 * time.Hour, 30 * 24 * time.Hour} {
		b.Run(d.String(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = clock.Duration(from, from.Add(d))
			}
		})
	}
}
