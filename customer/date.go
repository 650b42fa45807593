package customer

import (
	"fmt"
	"strconv"
	"time"
)

// Date is a calendar date with an optional year, for dates that are not
// instants: birthdays, anniversaries. A zero Year means the year is unknown
// (a birthday given as "--07-14"); the zero Date means no date.
type Date struct {
	Year  int        // 0 = unknown
	Month time.Month // 1–12
	Day   int        // 1–31
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// Valid reports whether d is a real calendar date (29 February is valid
// without a year).
func (d Date) Valid() bool {
	if d.Month < time.January || d.Month > time.December || d.Day < 1 || d.Year < 0 || d.Year > 9999 {
		return false
	}
	y := d.Year
	if y == 0 {
		y = 2000 // a leap year, so --02-29 is accepted
	}
	return time.Date(y, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Day() == d.Day
}

// Next returns the first occurrence of the month and day at or after from,
// at midnight in loc. 29 February falls on 1 March in other years. The zero
// Date gives the zero time.
func (d Date) Next(from time.Time, loc *time.Location) time.Time {
	if d.IsZero() {
		return time.Time{}
	}
	from = from.In(loc)
	start := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, loc)
	for y := from.Year(); ; y++ {
		t := time.Date(y, d.Month, d.Day, 0, 0, 0, 0, loc)
		if !t.Before(start) {
			return t
		}
	}
}

// String returns ISO 8601: "1984-07-14", or "--07-14" when the year is
// unknown, or "" for the zero Date.
func (d Date) String() string {
	switch {
	case d.IsZero():
		return ""
	case d.Year == 0:
		return fmt.Sprintf("--%02d-%02d", int(d.Month), d.Day)
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// ParseDate reads the forms [Date.String] writes. Errors wrap [ErrInvalid].
func ParseDate(s string) (Date, error) {
	bad := &ValidationError{Field: "date", Err: fmt.Errorf("%w: want YYYY-MM-DD or --MM-DD", ErrInvalid)}
	var d Date
	switch {
	case s == "":
		return Date{}, nil
	case len(s) == 7 && s[:2] == "--" && s[4] == '-':
		m, err1 := atoi(s[2:4])
		day, err2 := atoi(s[5:7])
		if err1 != nil || err2 != nil {
			return Date{}, bad
		}
		d = Date{Month: time.Month(m), Day: day}
	case len(s) == 10 && s[4] == '-' && s[7] == '-':
		y, err0 := atoi(s[:4])
		m, err1 := atoi(s[5:7])
		day, err2 := atoi(s[8:10])
		if err0 != nil || err1 != nil || err2 != nil || y == 0 {
			return Date{}, bad
		}
		d = Date{Year: y, Month: time.Month(m), Day: day}
	default:
		return Date{}, bad
	}
	if !d.Valid() {
		return Date{}, bad
	}
	return d, nil
}

// atoi parses ASCII digits only (no sign).
func atoi(s string) (int, error) {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, strconv.ErrSyntax
		}
	}
	return strconv.Atoi(s)
}

// MarshalText implements encoding.TextMarshaler.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler with [ParseDate].
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}
