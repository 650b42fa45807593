package consent

import (
	"time"

	"github.com/rapportcim/rapport/channel"
)

// Allowed hours are weekly windows ([channel.Window]) read in each of the
// recipient's possible time zones. A time is open when it is inside one
// window of every set in every zone; the next open time is found by moving
// forward to the next window opening of whichever set and zone is closed,
// until all agree. Window openings are computed on the local calendar with
// time.Date, so they fall at the right instant across daylight-saving
// changes.

// horizon bounds the search for the next open time: every weekly window
// recurs within a week, and holidays close at most a few days in a row, so
// a search that has not converged by then never will (the windows do not
// overlap in all zones).
const horizon = 22 * 24 * time.Hour

// hoursSet is one source of allowed hours: the rule's or an override's
// weekly windows (none: any time of day) and holidays.
type hoursSet struct {
	ws     []channel.Window
	hs     []Holiday
	o      int    // the override's index, -1 for the rule
	region string // the region that selected the override
}

// closedAt returns the index of a set that is closed at t in some zone, and
// whether it is closed for a holiday; an override's set is named before
// the rule's. It returns -1 when every set is open in every zone.
func closedAt(sets []hoursSet, zones []*time.Location, t time.Time) (int, bool) {
	first, firstHoliday := -1, false
	for _, z := range zones {
		if z == nil {
			continue
		}
		day, min := clock(t, z)
		for i := range sets {
			closed, holiday := sets[i].closed(t, z, day, min)
			if !closed {
				continue
			}
			if sets[i].o >= 0 {
				return i, holiday
			}
			if first < 0 {
				first, firstHoliday = i, holiday
			}
		}
	}
	return first, firstHoliday
}

// closed reports whether set s is closed at t in zone z (whose weekday and
// minute are day and min), and whether for a holiday.
func (s *hoursSet) closed(t time.Time, z *time.Location, day time.Weekday, min channel.TimeOfDay) (bool, bool) {
	if len(s.hs) > 0 {
		n := localDay(t, z)
		y, m, _ := civil(n)
		if holidayOn(s.hs, y, m, n) {
			return true, true
		}
	}
	return len(s.ws) > 0 && !inWindows(s.ws, day, min), false
}

// localDay returns the day number (days since 1 January 1970) of t's date
// in zone z.
func localDay(t time.Time, z *time.Location) int {
	_, off := t.In(z).Zone()
	local := t.Unix() + int64(off)
	days := local / 86400
	if local%86400 < 0 {
		days--
	}
	return int(days)
}

// clock returns the weekday and minute of the day of t in zone z, with one
// look-up of z's offset (Weekday, Hour and Minute would do three).
func clock(t time.Time, z *time.Location) (time.Weekday, channel.TimeOfDay) {
	_, off := t.In(z).Zone()
	local := t.Unix() + int64(off)
	days, secs := local/86400, local%86400
	if secs < 0 {
		days, secs = days-1, secs+86400
	}
	// 1 January 1970 was a Thursday.
	wd := (days + int64(time.Thursday)) % 7
	if wd < 0 {
		wd += 7
	}
	return time.Weekday(wd), channel.TimeOfDay(secs / 60)
}

// inWindows is channel.InWindows for a weekday and minute already computed:
// a window that crosses midnight belongs to the day it starts on.
func inWindows(ws []channel.Window, day time.Weekday, min channel.TimeOfDay) bool {
	for _, w := range ws {
		if w.Start < w.End {
			if w.Day == day && w.Start <= min && min < w.End {
				return true
			}
			continue
		}
		if w.Day == day && min >= w.Start || (w.Day+1)%7 == day && min < w.End {
			return true
		}
	}
	return false
}

// nextOpen returns the earliest time at or after t that is open in every
// set and zone, or the zero time when there is none within the horizon. A
// holiday moves the search to the next local midnight, a closed window to
// its next opening.
func nextOpen(sets []hoursSet, zones []*time.Location, t time.Time) time.Time {
	limit := t.Add(horizon)
	for t.Before(limit) {
		moved := false
		for i := range sets {
			s := &sets[i]
			for _, z := range zones {
				if z == nil {
					continue
				}
				day, min := clock(t, z)
				closed, holiday := s.closed(t, z, day, min)
				if !closed {
					continue
				}
				if holiday {
					y, m, d := t.In(z).Date()
					t, moved = time.Date(y, m, d+1, 0, 0, 0, 0, z), true
					continue
				}
				next, ok := nextOpening(s.ws, t.In(z))
				if !ok {
					return time.Time{}
				}
				t, moved = next, true
			}
		}
		if !moved {
			return t
		}
	}
	return time.Time{}
}

// nextOpening returns the first window opening of ws strictly after lt, in
// lt's location, and false when ws has no window.
func nextOpening(ws []channel.Window, lt time.Time) (time.Time, bool) {
	y, m, dd := lt.Date()
	loc := lt.Location()
	var best time.Time
	for d := 0; d <= 7; d++ {
		wd := time.Date(y, m, dd+d, 12, 0, 0, 0, loc).Weekday()
		for _, w := range ws {
			if w.Day != wd {
				continue
			}
			o := time.Date(y, m, dd+d, w.Start.Hour(), w.Start.Minute(), 0, 0, loc)
			if o.After(lt) && (best.IsZero() || o.Before(best)) {
				best = o
			}
		}
		if !best.IsZero() {
			return best, true
		}
	}
	return time.Time{}, false
}
