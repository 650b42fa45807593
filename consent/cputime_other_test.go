//go:build !unix

package consent

import "time"

// cpuTime is not available here; the benchmarks then report wall-clock
// time only.
func cpuTime() (time.Duration, bool) { return 0, false }
