package consent

import (
	"testing"
	"time"
)

// TestFederalHolidays checks the dates of 5 U.S.C. 6103(a) computed for
// several years against the calendar (the dates are from published
// calendars, not from the code).
func TestFederalHolidays(t *testing.T) {
	type date struct {
		m time.Month
		d int
	}
	want := map[int][]date{
		2024: {{1, 1}, {1, 15}, {2, 19}, {5, 27}, {6, 19}, {7, 4}, {9, 2}, {10, 14}, {11, 11}, {11, 28}, {12, 25}},
		2025: {{1, 1}, {1, 20}, {2, 17}, {5, 26}, {6, 19}, {7, 4}, {9, 1}, {10, 13}, {11, 11}, {11, 27}, {12, 25}},
		2026: {{1, 1}, {1, 19}, {2, 16}, {5, 25}, {6, 19}, {7, 4}, {9, 7}, {10, 12}, {11, 11}, {11, 26}, {12, 25}},
		2027: {{1, 1}, {1, 18}, {2, 15}, {5, 31}, {6, 19}, {7, 4}, {9, 6}, {10, 11}, {11, 11}, {11, 25}, {12, 25}},
		2030: {{1, 1}, {1, 21}, {2, 18}, {5, 27}, {6, 19}, {7, 4}, {9, 2}, {10, 14}, {11, 11}, {11, 28}, {12, 25}},
	}
	hs := FederalHolidays()
	for year, dates := range want {
		for i, h := range hs {
			m, d, ok := h.Date(year)
			if !ok || m != dates[i].m || d != dates[i].d {
				t.Errorf("5 U.S.C. 6103(a): %v in %d = %v %d (%v); want %v %d", h, year, m, d, ok, dates[i].m, dates[i].d)
			}
			if !h.On(year, dates[i].m, dates[i].d) {
				t.Errorf("%v.On(%d-%d-%d) = false", h, year, dates[i].m, dates[i].d)
			}
		}
	}
}

// TestHolidayObserved checks 5 U.S.C. 6103(b): a holiday on a Saturday is
// observed on the Friday before, one on a Sunday on the Monday after.
func TestHolidayObserved(t *testing.T) {
	tests := []struct {
		name string
		h    Holiday
		y    int
		m    time.Month
		d    int
		want bool
	}{
		{"Christmas 2022 fell on a Sunday: observed Monday 26th", ChristmasDay(), 2022, 12, 26, true},
		{"Independence Day 2026 falls on a Saturday: observed Friday 3rd", IndependenceDay(), 2026, 7, 3, true},
		{"and the day itself stays a holiday", IndependenceDay(), 2026, 7, 4, true},
		{"New Year's Day 2022 fell on a Saturday: observed Friday 31 December 2021", NewYearsDay(), 2021, 12, 31, true},
		{"a weekday holiday has no other observed day", ChristmasDay(), 2024, 12, 26, false},
		{"without Observed, only the date", Holiday{Month: 7, Day: 4}, 2026, 7, 3, false},
		{"a one-year holiday in another year", Holiday{Month: 3, Day: 2, Year: 2027}, 2026, 3, 2, false},
		{"a one-year holiday in its year", Holiday{Month: 3, Day: 2, Year: 2027}, 2027, 3, 2, true},
	}
	for _, tt := range tests {
		if got := tt.h.On(tt.y, tt.m, tt.d); got != tt.want {
			t.Errorf("%s: On = %v", tt.name, got)
		}
	}
}

// TestHolidayEaster checks days counted from Western Easter against
// published dates of Easter Sunday.
func TestHolidayEaster(t *testing.T) {
	easterSundays := map[int][2]int{2024: {3, 31}, 2025: {4, 20}, 2026: {4, 5}, 2027: {3, 28}, 2030: {4, 21}, 2038: {4, 25}, 2285: {3, 22}}
	for y, md := range easterSundays {
		m, d, _ := Holiday{Easter: true}.Date(y)
		if int(m) != md[0] || d != md[1] {
			t.Errorf("Easter %d = %v %d; want %d-%d", y, m, d, md[0], md[1])
		}
	}
	// Mardi Gras 2026 was Tuesday 17 February; Good Friday 2026 was 3 April.
	if m, d, _ := (Holiday{Easter: true, EasterOffset: -47}).Date(2026); m != time.February || d != 17 {
		t.Errorf("Mardi Gras 2026 = %v %d", m, d)
	}
	if m, d, _ := (Holiday{Easter: true, EasterOffset: -2}).Date(2026); m != time.April || d != 3 {
		t.Errorf("Good Friday 2026 = %v %d", m, d)
	}
}

func TestHolidayNth(t *testing.T) {
	// A fifth Monday that May 2026 does not have; the last Monday it has.
	if _, _, ok := (Holiday{Month: time.May, Weekday: time.Monday, Nth: 5}).Date(2026); ok {
		t.Error("fifth Monday of May 2026 found")
	}
	if _, d, ok := (Holiday{Month: time.June, Weekday: time.Monday, Nth: 5}).Date(2026); !ok || d != 29 {
		t.Errorf("fifth Monday of June 2026 = %d, %v; want 29", d, ok)
	}
	if s := ThanksgivingDay().String(); s != "Thanksgiving Day (4th Thursday of November)" {
		t.Errorf("String = %q", s)
	}
	if s := MemorialDay().String(); s != "Memorial Day (last Monday of May)" {
		t.Errorf("String = %q", s)
	}
	for _, h := range append(append(FederalHolidays(), AlabamaHolidays()...), LouisianaHolidays()...) {
		var errs []error
		h.validate(func(f string, err error, why string) { errs = append(errs, problem(f, err, why)) }, "h")
		if len(errs) > 0 {
			t.Errorf("%v: %v", h, errs)
		}
	}
}

func TestStateOverridesValid(t *testing.T) {
	seen := map[string]string{}
	for _, o := range StateOverrides() {
		if o.Source == "" || o.Name == "" || len(o.Regions) != 1 {
			t.Errorf("%s: every state override names itself, its region and its source", o.Name)
		}
		for _, c := range o.AreaCodes {
			if other, dup := seen[c]; dup {
				t.Errorf("area code %s in %s and %s", c, other, o.Name)
			}
			seen[c] = o.Name
		}
	}
	p := Policy{Overrides: StateOverrides(), Registries: []RegistryRule{USDNC(), CADNCL()}}
	if err := p.Validate(); err != nil {
		t.Error(err)
	}
}

// TestCivilDays checks the day arithmetic holidays use against the time
// package, every 3 days from 1600 to 2400.
func TestCivilDays(t *testing.T) {
	for d := time.Date(1600, 1, 1, 12, 0, 0, 0, time.UTC); d.Year() < 2400; d = d.AddDate(0, 0, 3) {
		want := int(d.Unix() / 86400)
		if d.Unix() < 0 && d.Unix()%86400 != 0 {
			want--
		}
		n := daysFromCivil(d.Year(), d.Month(), d.Day())
		if n != want {
			t.Fatalf("daysFromCivil(%v) = %d; want %d", d, n, want)
		}
		if y, m, dd := civil(n); y != d.Year() || m != d.Month() || dd != d.Day() {
			t.Fatalf("civil(%d) = %d-%d-%d; want %v", n, y, m, dd, d)
		}
		if weekdayOf(n) != d.Weekday() || daysIn(d.Year(), d.Month()) != time.Date(d.Year(), d.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day() {
			t.Fatalf("weekday or month length wrong on %v", d)
		}
	}
}
