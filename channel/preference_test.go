package channel

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/language"
)

func TestKindText(t *testing.T) {
	for _, k := range Kinds() {
		var got Kind
		if err := got.UnmarshalText([]byte(" " + string(k) + " ")); err != nil || got != k || !got.Known() {
			t.Errorf("Kind %q: got %q, %v", k, got, err)
		}
	}
	var k Kind
	if err := k.UnmarshalText([]byte("Telepathy")); err != nil || k != "telepathy" || k.Known() {
		t.Errorf("unknown kind should be kept lower-cased and not Known: %q, %v", k, err)
	}
	if err := k.UnmarshalText([]byte("not a kind!")); !errors.Is(err, ErrInvalidKind) {
		t.Errorf("malformed kind accepted: %v", err)
	}
	if KindUnknown.Known() {
		t.Error("zero Kind must not be Known")
	}
}

func TestInWindows(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	late := []Window{{Day: time.Friday, Start: Clock(22, 0), End: Clock(2, 0)}}
	weekday := []Window{{Day: time.Monday, Start: Clock(9, 0), End: Clock(17, 30)}}
	tests := []struct {
		name string
		ws   []Window
		at   time.Time
		want bool
	}{
		{"inside a day window", weekday, time.Date(2026, 11, 23, 9, 0, 0, 0, ny), true},
		{"end is exclusive", weekday, time.Date(2026, 11, 23, 17, 30, 0, 0, ny), false},
		{"other day", weekday, time.Date(2026, 11, 24, 10, 0, 0, 0, ny), false},
		{"crossing midnight, evening part", late, time.Date(2026, 11, 27, 23, 0, 0, 0, ny), true},
		{"crossing midnight, next morning", late, time.Date(2026, 11, 28, 1, 30, 0, 0, ny), true},
		{"crossing midnight, after end", late, time.Date(2026, 11, 28, 2, 0, 0, 0, ny), false},
		{"crossing midnight, start day morning", late, time.Date(2026, 11, 27, 1, 0, 0, 0, ny), false},
		{"Saturday window wraps to Sunday", []Window{{Day: time.Saturday, Start: Clock(23, 0), End: Clock(1, 0)}}, time.Date(2026, 11, 29, 0, 30, 0, 0, ny), true},
	}
	for _, tt := range tests {
		if got := InWindows(tt.ws, tt.at); got != tt.want {
			t.Errorf("%s: InWindows = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestPreferenceAllowsUsesZone(t *testing.T) {
	p := Preference{Zone: "America/Los_Angeles", Windows: Every(Clock(9, 0), Clock(18, 0))}
	// 17:30 UTC is 09:30 in Los Angeles in November (PST, UTC-8).
	ok, err := p.Allows(time.Date(2026, 11, 23, 17, 30, 0, 0, time.UTC))
	if err != nil || !ok {
		t.Errorf("Allows(09:30 PST) = %v, %v", ok, err)
	}
	// 16:30 UTC is 08:30 in Los Angeles: before the window.
	ok, err = p.Allows(time.Date(2026, 11, 23, 16, 30, 0, 0, time.UTC))
	if err != nil || ok {
		t.Errorf("Allows(08:30 PST) = %v, %v", ok, err)
	}
	if ok, err := (Preference{}).Allows(time.Now()); !ok || err != nil {
		t.Error("no windows means no restriction")
	}
	if _, err := (Preference{Windows: Every(0, 60)}).Allows(time.Now()); !errors.Is(err, ErrInvalidZone) {
		t.Errorf("windows without zone: %v", err)
	}
}

func TestCheckZone(t *testing.T) {
	for _, z := range []string{"America/New_York", "America/Argentina/Buenos_Aires", "Etc/GMT+5", "Etc/GMT-14", "UTC", "EST5EDT",
		"America/Port-au-Prince", "Mars/Olympus_Mons"} {
		if err := CheckZone(z); err != nil {
			t.Errorf("CheckZone(%q) = %v; the syntax is valid (whether the zone exists is not Validate's question)", z, err)
		}
	}
	for _, z := range []string{"", "Local", "America/New York", "America//Chicago", "/UTC", "UTC/", "../etc/passwd", "America/-Chicago",
		"Europe/Zürich", "America/Averyveryverylongname", strings.Repeat("Abc/", 20) + "X"} {
		if err := CheckZone(z); !errors.Is(err, ErrInvalidZone) {
			t.Errorf("CheckZone(%q) = %v, want ErrInvalidZone", z, err)
		}
	}
}

func TestPreferenceValidate(t *testing.T) {
	p := Preference{
		Kinds:   []Kind{KindSMS, KindSMS, ""},
		Windows: []Window{{Day: 9, Start: -1, End: Clock(25, 0)}},
		Zone:    "Mars/Olympus Mons",
	}
	err := p.Validate()
	for _, field := range []string{"kinds[1]", "kinds[2]", "windows[0].day", "windows[0].start", "windows[0].end", "zone"} {
		if !hasField(err, field) {
			t.Errorf("Validate() = %v; missing a problem for %s", err, field)
		}
	}
	good := Preference{Kinds: []Kind{KindSMS, KindEmail}, Zone: "America/Chicago", Windows: Every(Clock(8, 0), Clock(20, 0)), Language: language.Spanish}
	if err := good.Validate(); err != nil {
		t.Errorf("valid preference: %v", err)
	}
	if good.Rank(KindEmail) != 1 || good.Rank(KindVoice) != -1 {
		t.Error("Rank")
	}
}

func hasField(err error, field string) bool {
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else if err != nil {
		errs = []error{err}
	}
	for _, e := range errs {
		var ve *ValidationError
		if errors.As(e, &ve) && ve.Field == field {
			return true
		}
	}
	return false
}

func TestPreferenceJSONRoundTrip(t *testing.T) {
	in := Preference{
		Kinds:    []Kind{KindSMS, "carrier_pigeon", KindEmail},
		Windows:  []Window{{Day: time.Friday, Start: Clock(22, 0), End: Clock(2, 0)}, {Day: time.Sunday, Start: Clock(12, 0), End: Clock(13, 15)}},
		Zone:     "America/Denver",
		Language: language.MustParse("es-MX"),
	}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"kinds":["sms","carrier_pigeon","email"],"windows":[{"day":"friday","start":"22:00","end":"02:00"},{"day":"sunday","start":"12:00","end":"13:15"}],"zone":"America/Denver","language":"es-MX"}`
	if string(b) != want {
		t.Errorf("json =\n%s\nwant\n%s", b, want)
	}
	var out Preference
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in, out) {
		t.Errorf("round trip: %+v != %+v", out, in)
	}
	var zero Preference
	b, _ = json.Marshal(zero)
	if string(b) != `{}` {
		t.Errorf("zero preference json = %s", b)
	}
	if err := json.Unmarshal([]byte(`{"windows":[{"day":"someday","start":"08:00","end":"09:00"}]}`), &out); !errors.Is(err, ErrInvalidWindow) {
		t.Errorf("bad day accepted: %v", err)
	}
	if err := json.Unmarshal([]byte(`{"windows":[{"day":"mon","start":"8:00","end":"24:00"}]}`), &out); !errors.Is(err, ErrInvalidWindow) {
		t.Errorf("24:00 accepted: %v", err)
	}
}
