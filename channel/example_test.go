package channel_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/rapportcim/rapport/channel"
)

func ExampleParsePhone() {
	p, err := channel.ParsePhone("(212) 555-0123 ext. 45", "US")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.E164(), p.Extension(), p.Region())
	fmt.Println(p.National())
	fmt.Println(p.Type(), p.TimeZones())
	fmt.Println(p.Address())
	// Output:
	// +12125550123 45 US
	// (212) 555-0123 ext. 45
	// fixed_or_mobile [America/New_York]
	// tel:+12125550123;ext=45
}

func ExampleParsePhone_invalid() {
	// Seven digits are a local number: without an area code there is no way
	// to know which +1 number is meant, so it is refused, not guessed.
	_, err := channel.ParsePhone("555-0100", "US")
	fmt.Println(errors.Is(err, channel.ErrInvalidPhone))
	fmt.Println(err)
	// Output:
	// true
	// channel: phone: invalid phone number: local number without an area code
}

func ExampleParsePhone_dialledFromAbroad() {
	// The region says where the number was written: from Germany, 00 is the
	// international prefix.
	p, _ := channel.ParsePhone("001 212 555 0123", "DE")
	fmt.Println(p)
	// Output:
	// +12125550123
}

func ExampleParseEmail() {
	e, err := channel.ParseEmail("  Jane Doe <Jane.Doe+Trade@GMail.com> ")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(e.AddrSpec())
	fmt.Println(e.Name())
	fmt.Println(e.MatchKey())
	fmt.Println(e.Address())
	// Output:
	// jane.doe+trade@gmail.com
	// Jane Doe
	// janedoe@gmail.com
	// mailto:jane.doe+trade@gmail.com
}

// An internationalized domain is one address however it is written: in
// Unicode, in capitals or as the A-labels a mail header carries.
func ExampleParseEmail_internationalized() {
	for _, raw := range []string{"jane@bücher.de", "Jane@BÜCHER.DE", "jane@xn--bcher-kva.de"} {
		e, err := channel.ParseEmail(raw)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(e.Address(), e.ASCIIDomain())
	}
	// Output:
	// mailto:jane@bücher.de xn--bcher-kva.de
	// mailto:jane@bücher.de xn--bcher-kva.de
	// mailto:jane@bücher.de xn--bcher-kva.de
}

func ExampleParseAddress() {
	for _, s := range []string{"TEL:+1 (212) 555-0123", "mailto:Jane.Doe@Example.com", "webchat:7f9c2ba4", "tel:555-0100"} {
		a, err := channel.ParseAddress(s)
		if err != nil {
			fmt.Println("error:", errors.Is(err, channel.ErrInvalidAddress))
			continue
		}
		fmt.Println(a, a.Scheme(), a.Supports(channel.KindSMS))
	}
	// Output:
	// tel:+12125550123 tel true
	// mailto:jane.doe@example.com mailto false
	// webchat:7f9c2ba4 webchat false
	// error: true
}

func ExamplePreference_Allows() {
	p := channel.Preference{
		Kinds: []channel.Kind{channel.KindSMS, channel.KindEmail},
		Zone:  "America/Chicago",
		// Weekday evenings, including a late window that crosses midnight.
		Windows: []channel.Window{
			{Day: time.Monday, Start: channel.Clock(18, 0), End: channel.Clock(21, 0)},
			{Day: time.Friday, Start: channel.Clock(22, 0), End: channel.Clock(1, 0)},
		},
	}
	for _, at := range []time.Time{
		time.Date(2026, 11, 24, 0, 30, 0, 0, time.UTC), // Monday 18:30 in Chicago
		time.Date(2026, 11, 28, 6, 30, 0, 0, time.UTC), // Saturday 00:30 in Chicago
		time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC), // Tuesday 09:00 in Chicago
	} {
		ok, _ := p.Allows(at)
		fmt.Println(at.In(time.UTC).Format(time.RFC3339), ok)
	}
	fmt.Println("email rank:", p.Rank(channel.KindEmail))
	// Output:
	// 2026-11-24T00:30:00Z true
	// 2026-11-28T06:30:00Z true
	// 2026-11-24T15:00:00Z false
	// email rank: 1
}
