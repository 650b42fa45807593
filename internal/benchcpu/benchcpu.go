// Package benchcpu lets benchmarks report what they cost in CPU time. On a
// machine shared with other work, wall time also counts the waits for a
// core, so wall-clock ns/op and MB/s move with the load while CPU time
// stays close to the figure an idle core would give. Benchmarks report both:
// "cpu-ns/op" and, with a size, "MB/cpu-s".
//
// CPU time is the process's (user and system, every thread: the garbage
// collector's work counts), read with getrusage where the system has it;
// elsewhere nothing is reported.
package benchcpu

import "testing"

// Measure starts measuring; the function it returns, deferred in a
// benchmark function that uses b.Loop, reports the CPU time per operation
// and, when bytes > 0 (the bytes one operation processes), the throughput
// per CPU second.
func Measure(b *testing.B, bytes int64) func() {
	start, ok := processCPU()
	return func() {
		end, ok2 := processCPU()
		if !ok || !ok2 || end <= start || b.N == 0 {
			return
		}
		b.ReportMetric(float64(end-start)/float64(b.N), "cpu-ns/op")
		if bytes > 0 {
			b.ReportMetric(float64(bytes)*float64(b.N)/(end-start).Seconds()/1e6, "MB/cpu-s")
		}
	}
}
