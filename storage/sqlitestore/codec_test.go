package sqlitestore

import (
	"testing"
	"time"
)

func TestCeilMicros(t *testing.T) {
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		t    time.Time
		want int64
	}{
		{base, base.UnixMicro()},
		{base.Add(time.Microsecond), base.UnixMicro() + 1},
		{base.Add(time.Nanosecond), base.UnixMicro() + 1},
		{base.Add(-time.Nanosecond), base.UnixMicro()},
		{time.Unix(-1, 999_999_999), 0},
		{time.Unix(-1, 999_999_000), -1},
	} {
		if got := ceilMicros(tc.t); got != tc.want {
			t.Errorf("ceilMicros(%v) = %d, want %d", tc.t, got, tc.want)
		}
	}
}
