//go:build unix

package interaction

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time (user and system) the process has used so
// far. On a machine shared with other work, CPU time measures what a
// benchmark costs where wall time also counts the waits for a core.
func processCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
