//go:build !race

package dms

import "testing"

// TestStreamMillionRows reads a 1,000,000-row export and checks that the
// live heap stays bounded: it is measured after every 100,000 rows and must
// stay under 16 MiB (the generated file alone is about 90 MB). The race
// detector makes this too slow, so under -race TestStreamRows reads fewer
// rows with the same bound.
func TestStreamMillionRows(t *testing.T) {
	if testing.Short() {
		t.Skip("reads a million rows")
	}
	if peak := streamRows(t, 1_000_000); peak > 16<<20 {
		t.Errorf("live heap reached %d bytes while streaming", peak)
	}
}
