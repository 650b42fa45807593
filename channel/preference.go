package channel

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/text/language"
)

// Preference is how a customer wants to be reached: channels in order of
// preference, the weekly windows when contact is welcome, in the customer's
// own time zone, and the language to use. The zero Preference means nothing
// is known: no ranking, any time (subject to law, which is the consent
// package's business), no language.
type Preference struct {
	// Kinds ranks channels, most preferred first. A kind not listed is
	// acceptable but less preferred than every listed one.
	Kinds []Kind `json:"kinds,omitempty"`
	// Windows are the weekly times contact is welcome, read in Zone. None
	// means no stated restriction.
	Windows []Window `json:"windows,omitempty"`
	// Zone is the IANA time zone the windows are in ("America/Chicago").
	// "" means unknown; windows then cannot be evaluated.
	Zone string `json:"zone,omitempty"`
	// Language is the preferred language; the zero Tag (und) means unknown.
	Language language.Tag `json:"language,omitzero"`
}

// Rank returns the position of k in p.Kinds (0 = most preferred), or -1
// when k is not ranked.
func (p Preference) Rank(k Kind) int {
	for i, c := range p.Kinds {
		if c == k {
			return i
		}
	}
	return -1
}

// Validate reports every problem with p: unknown or repeated kinds, bad
// windows, a zone the system's time zone database does not have, or windows
// without a zone. It returns nil when p is usable.
func (p Preference) Validate() error {
	var errs []error
	seen := make(map[Kind]bool, len(p.Kinds))
	for i, k := range p.Kinds {
		field := fmt.Sprintf("kinds[%d]", i)
		switch {
		case k == KindUnknown:
			errs = append(errs, invalid(field, fmt.Errorf("%w: empty", ErrInvalidKind)))
		case seen[k]:
			errs = append(errs, invalid(field, fmt.Errorf("%w: ranked twice", ErrInvalidKind)))
		}
		seen[k] = true
	}
	for i, w := range p.Windows {
		errs = append(errs, w.problems(fmt.Sprintf("windows[%d]", i))...)
	}
	if p.Zone != "" {
		if err := CheckZone(p.Zone); err != nil {
			errs = append(errs, invalid("zone", err))
		}
	} else if len(p.Windows) > 0 {
		errs = append(errs, invalid("zone", fmt.Errorf("%w: windows need a zone", ErrInvalidZone)))
	}
	return errors.Join(errs...)
}

// MaxZoneLen bounds the length of a time zone name.
const MaxZoneLen = 64

// CheckZone checks the syntax of an IANA time zone name ("America/New_York",
// "Etc/GMT+5", "UTC"), without consulting a time zone database: a record's
// validity does not depend on the host's tzdata. The name is one to
// MaxZoneLen bytes of slash-separated components, each 1 to 14 ASCII
// letters, digits, '.', '_', '-' or '+', not starting with '-' and not "."
// or ".."; "Local" (Go's name for the host's zone) is refused. Whether the
// zone exists is for whoever loads it (time.LoadLocation) to find out. The
// error wraps ErrInvalidZone.
func CheckZone(name string) error {
	if name == "" || len(name) > MaxZoneLen {
		return fmt.Errorf("%w: empty or longer than %d bytes", ErrInvalidZone, MaxZoneLen)
	}
	if name == "Local" {
		return fmt.Errorf("%w: Local names the host's zone, not a place", ErrInvalidZone)
	}
	for part := range strings.SplitSeq(name, "/") {
		if part == "" || len(part) > 14 || part == "." || part == ".." || part[0] == '-' {
			return fmt.Errorf("%w: malformed component", ErrInvalidZone)
		}
		for i := 0; i < len(part); i++ {
			c := part[i]
			if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-' || c == '+') {
				return fmt.Errorf("%w: character %q", ErrInvalidZone, c)
			}
		}
	}
	return nil
}

// Allows reports whether t falls inside one of p's windows, read in p.Zone.
// With no windows it reports true (no stated restriction). It returns an
// error wrapping [ErrInvalidZone] when there are windows but the zone is
// unknown or cannot be loaded.
func (p Preference) Allows(t time.Time) (bool, error) {
	if len(p.Windows) == 0 {
		return true, nil
	}
	if p.Zone == "" {
		return false, invalid("zone", fmt.Errorf("%w: windows need a zone", ErrInvalidZone))
	}
	loc, err := time.LoadLocation(p.Zone)
	if err != nil {
		return false, invalid("zone", fmt.Errorf("%w: not in the time zone database", ErrInvalidZone))
	}
	return InWindows(p.Windows, t.In(loc)), nil
}

// InWindows reports whether the wall-clock time of t (in t's own location)
// falls inside any of ws. A window that crosses midnight belongs to the day
// it starts on: {Friday 22:00–02:00} contains Saturday 01:30.
func InWindows(ws []Window, t time.Time) bool {
	day := t.Weekday()
	min := TimeOfDay(t.Hour()*60 + t.Minute())
	for _, w := range ws {
		if w.Start < w.End {
			if w.Day == day && w.Start <= min && min < w.End {
				return true
			}
			continue
		}
		// Crosses midnight (End <= Start): the evening part on Day, the
		// morning part on the next day.
		if w.Day == day && min >= w.Start {
			return true
		}
		if (w.Day+1)%7 == day && min < w.End {
			return true
		}
	}
	return false
}

// Window is a weekly period: from Start on Day until End, in some time zone
// given by its context. End at or before Start means the window crosses
// midnight into the next day; Start == End means the whole 24 hours from
// Start.
type Window struct {
	Day   time.Weekday `json:"day"`
	Start TimeOfDay    `json:"start"`
	End   TimeOfDay    `json:"end"`
}

// Every returns one window per day of the week from start to end.
func Every(start, end TimeOfDay) []Window {
	ws := make([]Window, 7)
	for d := range ws {
		ws[d] = Window{Day: time.Weekday(d), Start: start, End: end}
	}
	return ws
}

func (w Window) problems(field string) []error {
	var errs []error
	if w.Day < time.Sunday || w.Day > time.Saturday {
		errs = append(errs, invalid(field+".day", fmt.Errorf("%w: not a weekday", ErrInvalidWindow)))
	}
	if !w.Start.valid() {
		errs = append(errs, invalid(field+".start", fmt.Errorf("%w: not a time of day", ErrInvalidWindow)))
	}
	if !w.End.valid() {
		errs = append(errs, invalid(field+".end", fmt.Errorf("%w: not a time of day", ErrInvalidWindow)))
	}
	return errs
}

type windowJSON struct {
	Day   string    `json:"day"`
	Start TimeOfDay `json:"start"`
	End   TimeOfDay `json:"end"`
}

// MarshalJSON writes the day as its lower-case English name:
// {"day":"friday","start":"22:00","end":"02:00"}.
func (w Window) MarshalJSON() ([]byte, error) {
	return json.Marshal(windowJSON{Day: strings.ToLower(w.Day.String()), Start: w.Start, End: w.End})
}

// UnmarshalJSON reads the form MarshalJSON writes; day names are
// case-insensitive and may be abbreviated to three letters.
func (w *Window) UnmarshalJSON(b []byte) error {
	var v windowJSON
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	d, ok := parseWeekday(v.Day)
	if !ok {
		return invalid("day", fmt.Errorf("%w: not a weekday", ErrInvalidWindow))
	}
	*w = Window{Day: d, Start: v.Start, End: v.End}
	return nil
}

func parseWeekday(s string) (time.Weekday, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if len(s) < 3 {
		return 0, false
	}
	for d := time.Sunday; d <= time.Saturday; d++ {
		name := strings.ToLower(d.String())
		if s == name || s == name[:3] {
			return d, true
		}
	}
	return 0, false
}

// TimeOfDay is a wall-clock time as minutes after midnight, 0 to 1439. Its
// text form is "HH:MM" (24-hour).
type TimeOfDay int

// Clock returns the TimeOfDay h:m.
func Clock(h, m int) TimeOfDay { return TimeOfDay(h*60 + m) }

// Hour returns the hour, 0–23.
func (t TimeOfDay) Hour() int { return int(t) / 60 }

// Minute returns the minute, 0–59.
func (t TimeOfDay) Minute() int { return int(t) % 60 }

func (t TimeOfDay) valid() bool { return t >= 0 && t < 24*60 }

// String returns "HH:MM".
func (t TimeOfDay) String() string { return fmt.Sprintf("%02d:%02d", t.Hour(), t.Minute()) }

// MarshalText implements encoding.TextMarshaler.
func (t TimeOfDay) MarshalText() ([]byte, error) {
	if !t.valid() {
		return nil, invalid("time_of_day", fmt.Errorf("%w: not a time of day", ErrInvalidWindow))
	}
	return []byte(t.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler. It accepts "H:MM" and
// "HH:MM" from 00:00 to 23:59.
func (t *TimeOfDay) UnmarshalText(b []byte) error {
	var h, m int
	s := string(b)
	bad := invalid("time_of_day", fmt.Errorf("%w: want HH:MM", ErrInvalidWindow))
	i := strings.IndexByte(s, ':')
	if i < 1 || i > 2 || len(s)-i != 3 {
		return bad
	}
	for _, c := range s[:i] {
		if c < '0' || c > '9' {
			return bad
		}
		h = h*10 + int(c-'0')
	}
	for _, c := range s[i+1:] {
		if c < '0' || c > '9' {
			return bad
		}
		m = m*10 + int(c-'0')
	}
	if h > 23 || m > 59 {
		return bad
	}
	*t = Clock(h, m)
	return nil
}
