package interaction

import (
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/customer"
)

// weekdays9to5 is Monday to Friday, 09:00–17:00.
func weekdays9to5() []channel.Window {
	var ws []channel.Window
	for d := time.Monday; d <= time.Friday; d++ {
		ws = append(ws, channel.Window{Day: d, Start: channel.Clock(9, 0), End: channel.Clock(17, 0)})
	}
	return ws
}

func mustLoad(t testing.TB, c Calendar) *BusinessClock {
	t.Helper()
	b, err := c.Load()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestBusinessDuration(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	at := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, ny) }
	office := Calendar{Zone: "America/New_York", Hours: weekdays9to5()}
	tests := []struct {
		name     string
		cal      Calendar
		from, to time.Time
		want     time.Duration
	}{
		{"inside one day", office, at(2025, 3, 12, 10, 0), at(2025, 3, 12, 11, 30), 90 * time.Minute},
		{"before opening to after closing", office, at(2025, 3, 12, 7, 0), at(2025, 3, 12, 19, 0), 8 * time.Hour},
		{"overnight", office, at(2025, 3, 12, 16, 0), at(2025, 3, 13, 10, 0), 2 * time.Hour},
		{"over the weekend", office, at(2025, 3, 14, 16, 30), at(2025, 3, 17, 9, 30), time.Hour},
		{"all weekend", office, at(2025, 3, 15, 8, 0), at(2025, 3, 16, 20, 0), 0},
		{"a full week", office, at(2025, 3, 10, 0, 0), at(2025, 3, 17, 0, 0), 40 * time.Hour},
		{"to before from", office, at(2025, 3, 12, 11, 0), at(2025, 3, 12, 10, 0), 0},
		{"instants in another zone", office, at(2025, 3, 12, 10, 0).UTC(), at(2025, 3, 12, 11, 0).In(time.FixedZone("X", 3600)), time.Hour},
		{"a dated holiday", Calendar{Zone: "America/New_York", Hours: weekdays9to5(), Holidays: []customer.Date{{Year: 2025, Month: 12, Day: 25}}},
			at(2025, 12, 24, 12, 0), at(2025, 12, 26, 12, 0), 5*time.Hour + 3*time.Hour},
		{"a yearly holiday", Calendar{Zone: "America/New_York", Hours: weekdays9to5(), Holidays: []customer.Date{{Month: 12, Day: 25}}},
			at(2026, 12, 24, 12, 0), at(2026, 12, 26, 12, 0), 5 * time.Hour}, // 2026-12-25 is a Friday
		{"a holiday of another year", Calendar{Zone: "America/New_York", Hours: weekdays9to5(), Holidays: []customer.Date{{Year: 2024, Month: 12, Day: 25}}},
			at(2025, 12, 24, 12, 0), at(2025, 12, 26, 12, 0), 16 * time.Hour},
		{"window crossing midnight", Calendar{Zone: "America/New_York", Hours: []channel.Window{{Day: time.Friday, Start: channel.Clock(22, 0), End: channel.Clock(2, 0)}}},
			at(2025, 3, 14, 23, 0), at(2025, 3, 15, 3, 0), 3 * time.Hour},
		{"window crossing midnight, counted from the next day", Calendar{Zone: "America/New_York", Hours: []channel.Window{{Day: time.Friday, Start: channel.Clock(22, 0), End: channel.Clock(2, 0)}}},
			at(2025, 3, 15, 1, 0), at(2025, 3, 15, 12, 0), time.Hour},
		{"a holiday keeps the night that started before it", Calendar{Zone: "America/New_York",
			Hours:    []channel.Window{{Day: time.Friday, Start: channel.Clock(22, 0), End: channel.Clock(2, 0)}},
			Holidays: []customer.Date{{Year: 2025, Month: 3, Day: 15}}},
			at(2025, 3, 14, 20, 0), at(2025, 3, 15, 12, 0), 4 * time.Hour},
		{"24 hours a day", Calendar{Zone: "America/New_York", Hours: channel.Every(0, 0)},
			at(2025, 3, 12, 10, 0), at(2025, 3, 14, 10, 0), 48 * time.Hour},
		{"overlapping windows count once", Calendar{Zone: "America/New_York", Hours: []channel.Window{
			{Day: time.Wednesday, Start: channel.Clock(9, 0), End: channel.Clock(13, 0)},
			{Day: time.Wednesday, Start: channel.Clock(12, 0), End: channel.Clock(17, 0)},
			{Day: time.Tuesday, Start: channel.Clock(20, 0), End: channel.Clock(10, 0)}, // into Wednesday morning
		}}, at(2025, 3, 12, 0, 0), at(2025, 3, 13, 0, 0), 17 * time.Hour},
		{"no hours: never open", Calendar{Zone: "America/New_York"}, at(2025, 3, 12, 0, 0), at(2025, 3, 19, 0, 0), 0},
		// 2025-03-09: clocks go from 02:00 to 03:00 in New York.
		{"spring forward: a night window is an hour short", Calendar{Zone: "America/New_York", Hours: []channel.Window{{Day: time.Sunday, Start: 0, End: channel.Clock(4, 0)}}},
			at(2025, 3, 8, 12, 0), at(2025, 3, 10, 0, 0), 3 * time.Hour},
		{"spring forward: the day is 23 hours", Calendar{Zone: "America/New_York", Hours: channel.Every(0, 0)},
			at(2025, 3, 9, 0, 0), at(2025, 3, 10, 0, 0), 23 * time.Hour},
		// 2025-11-02: clocks go from 02:00 back to 01:00.
		{"fall back: a night window is an hour long", Calendar{Zone: "America/New_York", Hours: []channel.Window{{Day: time.Sunday, Start: 0, End: channel.Clock(4, 0)}}},
			at(2025, 11, 1, 12, 0), at(2025, 11, 3, 0, 0), 5 * time.Hour},
		{"fall back: office hours unchanged", office, at(2025, 10, 31, 12, 0), at(2025, 11, 3, 12, 0), 8 * time.Hour},
		{"holidays are read in the calendar's zone", Calendar{Zone: "Pacific/Auckland", Hours: channel.Every(0, 0), Holidays: []customer.Date{{Year: 2025, Month: 1, Day: 1}}},
			time.Date(2024, 12, 31, 11, 0, 0, 0, time.UTC), time.Date(2025, 1, 1, 11, 0, 0, 0, time.UTC), 0}, // all of New Year's Day in Auckland (UTC+13)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.cal.BusinessDuration(tt.from, tt.to)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// TestBusinessDurationBruteForce checks Duration against counting, minute
// by minute, the minutes IsOpen reports, around both DST changes and with
// windows crossing midnight, overlapping, and a holiday.
func TestBusinessDurationBruteForce(t *testing.T) {
	b := mustLoad(t, Calendar{Zone: "America/New_York", Hours: []channel.Window{
		{Day: time.Saturday, Start: channel.Clock(22, 30), End: channel.Clock(3, 15)},
		{Day: time.Sunday, Start: channel.Clock(1, 0), End: channel.Clock(2, 30)},
		{Day: time.Monday, Start: channel.Clock(8, 0), End: channel.Clock(18, 0)},
		{Day: time.Monday, Start: channel.Clock(17, 0), End: channel.Clock(8, 30)},
		{Day: time.Wednesday, Start: channel.Clock(12, 0), End: channel.Clock(12, 0)},
	}, Holidays: []customer.Date{{Year: 2025, Month: 3, Day: 10}}})
	ny := b.Location()
	rng := rand.New(rand.NewPCG(1, 2))
	for _, base := range []time.Time{time.Date(2025, 3, 6, 0, 0, 0, 0, ny), time.Date(2025, 10, 30, 0, 0, 0, 0, ny)} {
		for range 60 {
			from := base.Add(time.Duration(rng.IntN(8*24*60)) * time.Minute)
			to := from.Add(time.Duration(rng.IntN(3*24*60)) * time.Minute)
			var want time.Duration
			for m := from; m.Before(to); m = m.Add(time.Minute) {
				if b.IsOpen(m) {
					want += time.Minute
				}
			}
			if got := b.Duration(from, to); got != want {
				t.Fatalf("Duration(%v, %v) = %v, counting minutes gives %v", from, to, got, want)
			}
		}
	}
}

func TestBusinessClockIsOpen(t *testing.T) {
	b := mustLoad(t, Calendar{Zone: "America/Chicago", Hours: []channel.Window{{Day: time.Friday, Start: channel.Clock(20, 0), End: channel.Clock(2, 0)}}})
	chi := b.Location()
	for _, tt := range []struct {
		at   time.Time
		want bool
	}{
		{time.Date(2025, 3, 14, 19, 59, 0, 0, chi), false},
		{time.Date(2025, 3, 14, 20, 0, 0, 0, chi), true},
		{time.Date(2025, 3, 15, 1, 59, 0, 0, chi), true},
		{time.Date(2025, 3, 15, 2, 0, 0, 0, chi), false},
		{time.Date(2025, 3, 15, 6, 30, 0, 0, time.UTC), true}, // 01:30 in Chicago (CDT)
	} {
		if got := b.IsOpen(tt.at); got != tt.want {
			t.Errorf("IsOpen(%v) = %v", tt.at, got)
		}
	}
}

func TestCalendarValidate(t *testing.T) {
	checkProblems(t, Calendar{}.Validate(), want{"zone", ErrMissing})
	checkProblems(t, Calendar{Zone: "Local"}.Validate(), want{"zone", ErrInvalid})
	checkProblems(t, Calendar{Zone: "Mars/Olympus Mons"}.Validate(), want{"zone", ErrInvalid})
	// A well-formed name is valid whatever the host's time zone database
	// holds; loading is what finds a zone missing.
	if err := (Calendar{Zone: "Mars/Olympus_Mons"}).Validate(); err != nil {
		t.Errorf("Validate of a well-formed zone name: %v", err)
	}
	if _, err := (Calendar{Zone: "Mars/Olympus_Mons"}).Load(); !errors.Is(err, ErrInvalid) {
		t.Errorf("Load of a zone the database lacks = %v, want ErrInvalid", err)
	}
	checkProblems(t, Calendar{
		Zone: "America/New_York",
		Hours: []channel.Window{
			{Day: 7, Start: 0, End: 60},
			{Day: time.Monday, Start: -1, End: 24 * 60},
		},
		Holidays: []customer.Date{{Year: 2025, Month: 2, Day: 30}, {Month: 12, Day: 25}, {Month: 12, Day: 25}, {}},
	}.Validate(),
		want{"hours[0].day", ErrInvalid}, want{"hours[1].start", ErrInvalid}, want{"hours[1].end", ErrInvalid},
		want{"holidays[0]", ErrInvalid}, want{"holidays[2]", ErrDuplicate}, want{"holidays[3]", ErrInvalid})
	if err := (Calendar{Zone: "Europe/Paris", Hours: weekdays9to5()}).Validate(); err != nil {
		t.Fatal(err)
	}
	if _, err := (Calendar{}).Load(); err == nil {
		t.Fatal("loaded an invalid calendar")
	}
	if _, err := (Calendar{}).BusinessDuration(t0, t1); err == nil {
		t.Fatal("measured with an invalid calendar")
	}
}
