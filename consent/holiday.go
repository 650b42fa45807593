package consent

import (
	"fmt"
	"time"
)

// Holiday is a day on which an [Override] allows no contact at all, whatever
// its weekly hours say: a state that bans telephone solicitation on legal
// holidays lists them here. A Holiday is a rule for computing a date in any
// year, so a calendar is plain data that never needs updating for a new
// year. It is one of three forms:
//
//   - a fixed date: Month and Day (Independence Day, 4 July);
//   - the Nth Weekday of Month, or the last one when Nth is -1
//     (Thanksgiving Day, the fourth Thursday of November; Memorial Day,
//     the last Monday of May);
//   - a number of days from Western Easter Sunday: Month and Day zero,
//     Nth zero, Easter true, EasterOffset days (Good Friday is -2, Mardi
//     Gras -47).
//
// Year, when not zero, limits the holiday to one year (a day a governor
// proclaims). Observed adds the weekday a fixed-date holiday is observed on
// when it falls at a weekend (Friday for a Saturday, Monday for a Sunday,
// as 5 U.S.C. 6103(b) moves federal holidays): both days are then
// holidays, the stricter reading of a statute that bans solicitation on "a
// legal holiday".
type Holiday struct {
	// Name is how people call the day ("Thanksgiving Day").
	Name string `json:"name,omitempty"`
	// Month is the month of a fixed date or of the Nth weekday.
	Month time.Month `json:"month,omitempty"`
	// Day is the day of the month of a fixed date, 1 to 31; zero for the
	// other forms.
	Day int `json:"day,omitempty"`
	// Weekday and Nth name the Nth Weekday of Month: Nth 1 to 5, or -1 for
	// the last one. Nth zero means not this form.
	Weekday time.Weekday `json:"weekday,omitempty"`
	Nth     int          `json:"nth,omitempty"`
	// Easter, with EasterOffset, names a day relative to Western Easter
	// Sunday.
	Easter       bool `json:"easter,omitempty"`
	EasterOffset int  `json:"easter_offset,omitempty"`
	// Observed also makes the weekday a fixed-date holiday is observed on
	// a holiday when the date falls on a Saturday (the Friday before) or a
	// Sunday (the Monday after).
	Observed bool `json:"observed,omitempty"`
	// Year limits the holiday to one year; zero means every year.
	Year int `json:"year,omitempty"`
}

// Date returns the month and day of h in year, and false when h does not
// fall in that year (a one-year holiday of another year, an Nth weekday
// the month does not have, or an invalid Holiday). It does not include the
// observed day; see [Holiday.On]. It allocates nothing and reads no time
// zone: dates are civil dates.
func (h Holiday) Date(year int) (time.Month, int, bool) {
	n, ok := h.day(year)
	if !ok {
		return 0, 0, false
	}
	_, m, d := civil(n)
	return m, d, true
}

// day returns the day number (days since 1 January 1970) of h in year.
func (h Holiday) day(year int) (int, bool) {
	if h.Year != 0 && h.Year != year {
		return 0, false
	}
	switch {
	case h.Easter:
		if h.Month != 0 || h.EasterOffset < -100 || h.EasterOffset > 100 {
			return 0, false
		}
		m, d := easter(year)
		n := daysFromCivil(year, m, d) + h.EasterOffset
		if y, _, _ := civil(n); y != year {
			return 0, false
		}
		return n, true
	case h.Nth != 0:
		if h.Month < time.January || h.Month > time.December || h.Weekday < time.Sunday || h.Weekday > time.Saturday {
			return 0, false
		}
		if h.Nth == -1 {
			last := daysFromCivil(year, h.Month, daysIn(year, h.Month))
			return last - (int(weekdayOf(last))-int(h.Weekday)+7)%7, true
		}
		if h.Nth < 1 || h.Nth > 5 {
			return 0, false
		}
		first := daysFromCivil(year, h.Month, 1)
		d := 1 + (int(h.Weekday)-int(weekdayOf(first))+7)%7 + 7*(h.Nth-1)
		if d > daysIn(year, h.Month) {
			return 0, false
		}
		return first + d - 1, true
	}
	if h.Month < time.January || h.Month > time.December || h.Day < 1 || h.Day > daysIn(year, h.Month) {
		return 0, false
	}
	return daysFromCivil(year, h.Month, h.Day), true
}

// On reports whether the civil date year-month-day is h, or the day h is
// observed on when h.Observed is set. The observed day of a 1 January that
// falls on a Saturday is 31 December of the year before; On accounts for
// it. It allocates nothing.
func (h Holiday) On(year int, month time.Month, day int) bool {
	return h.onDay(year, daysFromCivil(year, month, day))
}

// onDay is On for day number n, which falls in year.
func (h Holiday) onDay(year, n int) bool {
	for _, y := range [2]int{year, year + 1} {
		x, ok := h.day(y)
		if !ok {
			continue
		}
		if x == n {
			return true
		}
		if !h.Observed || h.Nth != 0 || h.Easter {
			continue
		}
		switch weekdayOf(x) {
		case time.Saturday:
			x--
		case time.Sunday:
			x++
		default:
			continue
		}
		if x == n {
			return true
		}
	}
	return false
}

// validate reports the problems with h, for field f.
func (h Holiday) validate(add func(string, error, string), f string) {
	forms := 0
	if h.Day != 0 {
		forms++
	}
	if h.Nth != 0 {
		forms++
	}
	if h.Easter {
		forms++
	}
	switch {
	case forms != 1:
		add(f, ErrInvalid, "a holiday is a fixed date, an Nth weekday or a day from Easter")
	case h.Day != 0 && (h.Month < time.January || h.Month > time.December || h.Day < 1 || h.Day > daysIn(2024, h.Month)):
		add(f+".day", ErrInvalid, "not a date")
	case h.Nth != 0 && (h.Month < time.January || h.Month > time.December || h.Weekday < time.Sunday ||
		h.Weekday > time.Saturday || h.Nth < -1 || h.Nth > 5):
		add(f+".nth", ErrInvalid, "not an Nth weekday of a month (1 to 5, or -1 for the last)")
	case h.Easter && (h.Month != 0 || h.EasterOffset < -100 || h.EasterOffset > 100):
		add(f+".easter_offset", ErrInvalid, "more than 100 days from Easter, or a month given")
	}
	if h.Year < 0 || h.Year > 9999 {
		add(f+".year", ErrInvalid, "not a year")
	}
}

// holidayOn reports whether any of hs falls on day number n, in month of
// year. Holidays of other months are skipped without computing them (an
// observed day may fall in the month before or after).
func holidayOn(hs []Holiday, year int, month time.Month, n int) bool {
	for i := range hs {
		h := &hs[i]
		if !h.Easter && h.Month != month && (!h.Observed || h.Month%12+1 != month && month%12+1 != h.Month) {
			continue
		}
		if h.onDay(year, n) {
			return true
		}
	}
	return false
}

// easter returns the date of Western Easter Sunday in year (the anonymous
// Gregorian algorithm, Meeus/Jones/Butcher).
func easter(year int) (time.Month, int) {
	a := year % 19
	b, c := year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return time.Month(month), day
}

func daysIn(year int, m time.Month) int {
	switch m {
	case time.February:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// daysFromCivil returns the number of days from 1 January 1970 to the
// civil date y-m-d (proleptic Gregorian; Howard Hinnant's algorithm).
func daysFromCivil(y int, m time.Month, d int) int {
	if m <= time.February {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (int(m) + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// civil is the inverse of daysFromCivil.
func civil(n int) (int, time.Month, int) {
	n += 719468
	era := n / 146097
	if n < 0 && n%146097 != 0 {
		era--
	}
	doe := n - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return y, time.Month(m), d
}

// weekdayOf returns the weekday of day number n (1 January 1970 was a
// Thursday).
func weekdayOf(n int) time.Weekday {
	w := (n + int(time.Thursday)) % 7
	if w < 0 {
		w += 7
	}
	return time.Weekday(w)
}

// The federal holidays of 5 U.S.C. 6103(a), as data. Each function returns a
// new value.

// NewYearsDay is 1 January, observed on the nearest weekday.
func NewYearsDay() Holiday {
	return Holiday{Name: "New Year's Day", Month: time.January, Day: 1, Observed: true}
}

// MartinLutherKingDay is the third Monday of January.
func MartinLutherKingDay() Holiday {
	return Holiday{Name: "Birthday of Martin Luther King, Jr.", Month: time.January, Weekday: time.Monday, Nth: 3}
}

// WashingtonsBirthday is the third Monday of February.
func WashingtonsBirthday() Holiday {
	return Holiday{Name: "Washington's Birthday", Month: time.February, Weekday: time.Monday, Nth: 3}
}

// MemorialDay is the last Monday of May.
func MemorialDay() Holiday {
	return Holiday{Name: "Memorial Day", Month: time.May, Weekday: time.Monday, Nth: -1}
}

// Juneteenth is 19 June, observed on the nearest weekday.
func Juneteenth() Holiday {
	return Holiday{Name: "Juneteenth National Independence Day", Month: time.June, Day: 19, Observed: true}
}

// IndependenceDay is 4 July, observed on the nearest weekday.
func IndependenceDay() Holiday {
	return Holiday{Name: "Independence Day", Month: time.July, Day: 4, Observed: true}
}

// LaborDay is the first Monday of September.
func LaborDay() Holiday {
	return Holiday{Name: "Labor Day", Month: time.September, Weekday: time.Monday, Nth: 1}
}

// ColumbusDay is the second Monday of October.
func ColumbusDay() Holiday {
	return Holiday{Name: "Columbus Day", Month: time.October, Weekday: time.Monday, Nth: 2}
}

// VeteransDay is 11 November, observed on the nearest weekday.
func VeteransDay() Holiday {
	return Holiday{Name: "Veterans Day", Month: time.November, Day: 11, Observed: true}
}

// ThanksgivingDay is the fourth Thursday of November.
func ThanksgivingDay() Holiday {
	return Holiday{Name: "Thanksgiving Day", Month: time.November, Weekday: time.Thursday, Nth: 4}
}

// ChristmasDay is 25 December, observed on the nearest weekday.
func ChristmasDay() Holiday {
	return Holiday{Name: "Christmas Day", Month: time.December, Day: 25, Observed: true}
}

// FederalHolidays returns the eleven legal public holidays of 5 U.S.C.
// 6103(a), in calendar order, as a new slice.
func FederalHolidays() []Holiday {
	return []Holiday{NewYearsDay(), MartinLutherKingDay(), WashingtonsBirthday(), MemorialDay(), Juneteenth(),
		IndependenceDay(), LaborDay(), ColumbusDay(), VeteransDay(), ThanksgivingDay(), ChristmasDay()}
}

// String describes h for logs and errors: "Thanksgiving Day (4th Thursday
// of November)".
func (h Holiday) String() string {
	var rule string
	switch {
	case h.Easter:
		rule = fmt.Sprintf("Easter %+d days", h.EasterOffset)
	case h.Nth == -1:
		rule = fmt.Sprintf("last %s of %s", h.Weekday, h.Month)
	case h.Nth != 0:
		rule = fmt.Sprintf("%s %s of %s", ordinal(h.Nth), h.Weekday, h.Month)
	default:
		rule = fmt.Sprintf("%d %s", h.Day, h.Month)
	}
	if h.Year != 0 {
		rule += fmt.Sprintf(" %d", h.Year)
	}
	if h.Name == "" {
		return rule
	}
	return h.Name + " (" + rule + ")"
}

func ordinal(n int) string {
	switch n {
	case 1:
		return "1st"
	case 2:
		return "2nd"
	case 3:
		return "3rd"
	}
	return fmt.Sprintf("%dth", n)
}
