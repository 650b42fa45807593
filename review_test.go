package rapport

import (
	"testing"
	"time"
)

func TestReviewDeadline(t *testing.T) {
	var zones []*time.Location
	for _, n := range []string{"America/New_York", "Pacific/Honolulu"} {
		loc, err := time.LoadLocation(n)
		if err != nil {
			t.Skip("no time zone database")
		}
		zones = append(zones, loc)
	}
	tests := []struct {
		name     string
		at, want time.Time
		zones    []*time.Location
	}{
		{"Wednesday, across Thanksgiving (5 U.S.C. 6103)", time.Date(2026, 11, 18, 15, 0, 0, 0, time.UTC), time.Date(2026, 12, 3, 15, 0, 0, 0, time.UTC), zones},
		// Sunday evening in the US is Monday in UTC: counted from Sunday,
		// the tenth business day is the second Friday, not a Monday.
		{"Sunday evening in the US", time.Date(2026, 10, 19, 1, 0, 0, 0, time.UTC), time.Date(2026, 10, 31, 1, 0, 0, 0, time.UTC), zones},
		{"the same instant on the UTC calendar alone", time.Date(2026, 10, 19, 1, 0, 0, 0, time.UTC), time.Date(2026, 11, 2, 1, 0, 0, 0, time.UTC), nil},
		{"Christmas and New Year on Saturdays, observed on Friday 24 and 31 December", time.Date(2027, 12, 22, 12, 0, 0, 0, time.UTC), time.Date(2028, 1, 7, 12, 0, 0, 0, time.UTC), zones},
	}
	for _, tt := range tests {
		if got := reviewDeadline(tt.at, tt.zones); !got.Equal(tt.want) || got.Location() != time.UTC {
			t.Errorf("rule: 10 business days (47 CFR 64.1200(a)(10)); %s: reviewDeadline(%v) = %v; want %v", tt.name, tt.at, got, tt.want)
		}
	}
}
