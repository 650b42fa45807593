package interaction

import (
	"errors"
	"slices"
	"strconv"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/customer"
)

// Calendar is a rooftop's business calendar: its weekly opening hours and
// its holidays, in its own time zone. Metrics use it to count response and
// resolution times in business hours ([Meter]). Calendar is the stored,
// JSON form; [Calendar.Load] checks it and returns the [BusinessClock] that
// does the counting.
//
// The zero Calendar is not usable: Zone is required. A Calendar with no
// Hours is valid and never open.
type Calendar struct {
	// Zone is the IANA time zone the hours and holidays are read in
	// ("America/Chicago"). Required; "Local" is refused, so that a
	// calendar means the same on every machine.
	Zone string `json:"zone"`
	// Hours are the weekly opening hours, with the semantics of
	// [channel.Window]: a window whose End is at or before its Start
	// crosses midnight and belongs to the day it starts on ({Friday
	// 20:00–02:00}); Start == End means 24 hours from Start. Windows may
	// overlap; overlapping time counts once.
	Hours []channel.Window `json:"hours,omitempty"`
	// Holidays are dates, in Zone, on which the business is closed: the
	// windows that start on those dates do not count. A date without a year
	// ("--12-25") is a holiday every year. Each date is listed once.
	Holidays []customer.Date `json:"holidays,omitempty"`
}

// Validate reports every problem with c, as errors.Join of *ValidationError
// values (nil when c is valid): a missing Zone ([ErrMissing]), a zone name
// that is not an IANA name by its syntax (channel.CheckZone) or "Local", a
// window with a day outside Sunday–Saturday or a time outside 00:00–23:59,
// a holiday that is not a date ([ErrInvalid]), a holiday listed twice
// ([ErrDuplicate]). It reads no time zone database: whether the zone
// exists is found when the calendar is loaded ([Calendar.Load]).
func (c Calendar) Validate() error {
	var errs []error
	switch {
	case c.Zone == "":
		errs = append(errs, invalid("zone", ErrMissing))
	case channel.CheckZone(c.Zone) != nil:
		errs = append(errs, problem("zone", ErrInvalid, "not an IANA time zone name"))
	}
	for n, w := range c.Hours {
		field := "hours[" + strconv.Itoa(n) + "]"
		if w.Day < time.Sunday || w.Day > time.Saturday {
			errs = append(errs, problem(field+".day", ErrInvalid, "not a day of the week"))
		}
		if w.Start < 0 || w.Start >= 24*60 {
			errs = append(errs, problem(field+".start", ErrInvalid, "not a time of day"))
		}
		if w.End < 0 || w.End >= 24*60 {
			errs = append(errs, problem(field+".end", ErrInvalid, "not a time of day"))
		}
	}
	seen := make(map[customer.Date]int, len(c.Holidays))
	for n, d := range c.Holidays {
		field := "holidays[" + strconv.Itoa(n) + "]"
		if first, dup := seen[d]; dup {
			errs = append(errs, problem(field, ErrDuplicate, "same as holidays["+strconv.Itoa(first)+"]"))
			continue
		}
		seen[d] = n
		if d.IsZero() || !d.Valid() {
			errs = append(errs, problem(field, ErrInvalid, "not a date"))
		}
	}
	return errors.Join(errs...)
}

func (c Calendar) location() (*time.Location, error) {
	if c.Zone == "" {
		return nil, invalid("zone", ErrMissing)
	}
	loc, err := time.LoadLocation(c.Zone)
	if err != nil || c.Zone == "Local" {
		return nil, problem("zone", ErrInvalid, "not in the time zone database")
	}
	return loc, nil
}

// Load checks c (see [Calendar.Validate]) and returns the BusinessClock that
// counts its business hours. Loading reads the time zone database (a zone
// it lacks is an error for the field "zone"): load once and keep the
// clock.
func (c Calendar) Load() (*BusinessClock, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	loc, err := c.location()
	if err != nil {
		return nil, err
	}
	b := &BusinessClock{loc: loc}
	for _, w := range c.Hours {
		end := w.End
		if end <= w.Start {
			end += 24 * 60
		}
		b.days[w.Day] = append(b.days[w.Day], span{int32(w.Start), int32(end)})
	}
	for d := range b.days {
		slices.SortFunc(b.days[d], func(x, y span) int { return int(x.start - y.start) })
	}
	for _, h := range c.Holidays {
		if b.holidays == nil {
			b.holidays = make(map[customer.Date]struct{}, len(c.Holidays))
		}
		b.holidays[h] = struct{}{}
	}
	return b, nil
}

// BusinessDuration returns the business time between from and to: see
// [BusinessClock.Duration]. It loads the calendar on every call; to measure
// many durations, [Calendar.Load] once.
func (c Calendar) BusinessDuration(from, to time.Time) (time.Duration, error) {
	b, err := c.Load()
	if err != nil {
		return 0, err
	}
	return b.Duration(from, to), nil
}

// BusinessClock counts time only while a business is open, by a [Calendar].
// Build it with [Calendar.Load]. A BusinessClock is immutable: any number of
// goroutines may use one at once.
type BusinessClock struct {
	loc *time.Location
	// days holds, per weekday, the windows starting that day as minutes
	// after local midnight, end up to 48 h for windows crossing midnight;
	// sorted by start.
	days     [7][]span
	holidays map[customer.Date]struct{}
}

type span struct{ start, end int32 }

// Location returns the calendar's time zone.
func (b *BusinessClock) Location() *time.Location { return b.loc }

// Duration returns how much of [from, to) falls inside the opening hours:
// each window is placed on the wall clock of the calendar's zone (so on a
// day the clocks go forward a 09:00–17:00 window lasts 8 real hours, and a
// 00:00–04:00 window 3), windows starting on a holiday are skipped, and
// overlapping windows count once. Zero when to is not after from.
func (b *BusinessClock) Duration(from, to time.Time) time.Duration {
	if !to.After(from) {
		return 0
	}
	var total time.Duration
	covered := from // time already counted up to here
	first, last := b.dayIndex(from), b.dayIndex(to)
	for day := first - 1; day <= last; day++ {
		spans := b.spans(day)
		if len(spans) == 0 {
			continue
		}
		y, m, d := civil(day)
		for _, sp := range spans {
			s := time.Date(y, m, d, 0, int(sp.start), 0, 0, b.loc)
			if !s.Before(to) {
				break
			}
			e := time.Date(y, m, d, 0, int(sp.end), 0, 0, b.loc)
			if s.Before(covered) {
				s = covered
			}
			if e.After(to) {
				e = to
			}
			if e.After(s) {
				total += e.Sub(s)
				covered = e
			}
		}
	}
	return total
}

// IsOpen reports whether t falls inside the opening hours (see
// [BusinessClock.Duration]).
func (b *BusinessClock) IsOpen(t time.Time) bool {
	today := b.dayIndex(t)
	for day := today - 1; day <= today; day++ {
		y, m, d := civil(day)
		for _, sp := range b.spans(day) {
			s := time.Date(y, m, d, 0, int(sp.start), 0, 0, b.loc)
			e := time.Date(y, m, d, 0, int(sp.end), 0, 0, b.loc)
			if !t.Before(s) && t.Before(e) {
				return true
			}
		}
	}
	return false
}

// dayIndex returns the number of the day, in the calendar's zone, that t
// falls on: days since 1970-01-01.
func (b *BusinessClock) dayIndex(t time.Time) int64 {
	y, m, d := t.In(b.loc).Date()
	return floorDiv(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix(), 86400)
}

// spans returns the windows that start on day (a dayIndex), none on a
// holiday.
func (b *BusinessClock) spans(day int64) []span {
	wd := (day%7 + 7 + 4) % 7 // 1970-01-01 was a Thursday
	spans := b.days[wd]
	if len(spans) == 0 || b.holidays == nil {
		return spans
	}
	y, m, d := civil(day)
	if _, ok := b.holidays[customer.Date{Year: y, Month: m, Day: d}]; ok {
		return nil
	}
	if _, ok := b.holidays[customer.Date{Month: m, Day: d}]; ok {
		return nil
	}
	return spans
}

// civil returns the date of a dayIndex.
func civil(day int64) (int, time.Month, int) {
	return time.Unix(day*86400, 0).UTC().Date()
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}
