package consent

import (
	"time"

	"github.com/rapportcim/rapport/channel"
)

// State overrides, as data. Each function returns a new value. The facts
// and their sources are in the package documentation's table and in
// SOURCES.md; a state whose statute section the project's research does
// not give says so in its Source rather than cite one.
//
// Every override applies to marketing by text, voice and video (the
// "calls" of the TCPA), to recipients whose mailing address is in the state
// or whose number has one of the state's area codes (the state presumes
// residence from it, or rapport presumes it because the law is silent and
// presuming is stricter). Where the research cannot say whether a state's
// law covers texts, rapport applies it to texts too.
//
// Area codes are those the libphonenumber geocoding data (through
// github.com/nyaruka/phonenumbers v1.8.1) places in the state, plus overlays
// it does not yet list (Florida's 728).

// every returns the same window on every day of the week.
func every(from, to channel.TimeOfDay) []channel.Window {
	return channel.Every(from, to)
}

// weekdays returns the window from–to on the days given.
func days(from, to channel.TimeOfDay, ds ...time.Weekday) []channel.Window {
	ws := make([]channel.Window, 0, len(ds))
	for _, d := range ds {
		ws = append(ws, channel.Window{Day: d, Start: from, End: to})
	}
	return ws
}

// noSunday returns the window from–to on Monday to Saturday.
func noSunday(from, to channel.TimeOfDay) []channel.Window {
	return days(from, to, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday)
}

// stateOverride is an override for marketing by text and call in one state.
func stateOverride(name, region, source string, codes []string, hours []channel.Window) Override {
	return Override{
		Name:      name,
		Regions:   []string{region},
		AreaCodes: codes,
		Channels:  telephone(),
		Purposes:  []Purpose{PurposeMarketing},
		Hours:     hours,
		Source:    source,
	}
}

// threePerDay is the cap of the Florida, Oklahoma and Maryland laws: 3
// marketing contacts in 24 hours. The laws count per subject matter; rapport
// counts every marketing contact to the line, which is stricter.
func threePerDay() Cap { return Cap{Max: 3, Per: 24 * time.Hour} }

// Oklahoma returns the Oklahoma Telephone Solicitation Act override (15
// O.S. 775C, 2022): marketing calls and texts 08:00–20:00, at most 3 in 24
// hours.
func Oklahoma() Override {
	o := stateOverride("us-ok", "US-OK", "15 O.S. 775C", []string{"405", "539", "572", "580", "918"},
		every(channel.Clock(8, 0), channel.Clock(20, 0)))
	o.Cap = threePerDay()
	return o
}

// Maryland returns the Maryland Stop the Spam Calls Act override (2024):
// marketing calls and texts 08:00–20:00, at most 3 in 24 hours. The
// research names the Act but not its section.
func Maryland() Override {
	o := stateOverride("us-md", "US-MD", "Maryland Stop the Spam Calls Act, 2024 (section not in the research)",
		[]string{"227", "240", "301", "410", "443", "667"}, every(channel.Clock(8, 0), channel.Clock(20, 0)))
	o.Cap = threePerDay()
	return o
}

// Connecticut returns the Connecticut override (Public Act 23-98, from
// October 2023): marketing calls and texts 09:00–20:00.
func Connecticut() Override {
	return stateOverride("us-ct", "US-CT", "Conn. Public Act 23-98 (section not in the research)",
		[]string{"203", "475", "860", "959"}, every(channel.Clock(9, 0), channel.Clock(20, 0)))
}

// Texas returns the Texas override (Tex. Bus. & Com. Code 301.051; SB 140
// brings texts in from September 2025): Monday to Saturday 09:00–21:00,
// Sunday 12:00–21:00.
func Texas() Override {
	hours := append(noSunday(channel.Clock(9, 0), channel.Clock(21, 0)),
		channel.Window{Day: time.Sunday, Start: channel.Clock(12, 0), End: channel.Clock(21, 0)})
	return stateOverride("us-tx", "US-TX", "Tex. Bus. & Com. Code 301.051",
		[]string{"210", "214", "254", "281", "325", "346", "361", "409", "430", "432", "469", "512", "682",
			"713", "726", "737", "806", "817", "830", "832", "903", "915", "936", "940", "945", "956", "972", "979"},
		hours)
}

// Washington returns the Washington override (RCW 19.158.040(2)):
// marketing calls 08:00–20:00; rapport applies the hours to texts too,
// which Washington also requires consent for (RCW 19.190.060, .070).
func Washington() Override {
	return stateOverride("us-wa", "US-WA", "RCW 19.158.040(2)",
		[]string{"206", "253", "360", "425", "509", "564"}, every(channel.Clock(8, 0), channel.Clock(20, 0)))
}

// Alabama returns the Alabama override: 08:00–20:00, no solicitation on
// Sunday or a state holiday. The research gives no statute section. The
// holidays are the federal ones and Alabama's own (Robert E. Lee's
// birthday falls with Martin Luther King's; Mardi Gras, which only Baldwin
// and Mobile counties keep, is included because the county is not known);
// banning every federal holiday is stricter than a statute that names
// fewer.
func Alabama() Override {
	o := stateOverride("us-al", "US-AL", "Alabama statute (section not in the research)",
		[]string{"205", "251", "256", "334", "659", "938"}, noSunday(channel.Clock(8, 0), channel.Clock(20, 0)))
	o.Holidays = AlabamaHolidays()
	return o
}

// AlabamaHolidays returns the days the [Alabama] override bans: the federal
// holidays, Mardi Gras, Confederate Memorial Day (fourth Monday of April)
// and Jefferson Davis's birthday (first Monday of June).
func AlabamaHolidays() []Holiday {
	return append(FederalHolidays(),
		Holiday{Name: "Mardi Gras", Easter: true, EasterOffset: -47},
		Holiday{Name: "Confederate Memorial Day", Month: time.April, Weekday: time.Monday, Nth: 4},
		Holiday{Name: "Jefferson Davis's Birthday", Month: time.June, Weekday: time.Monday, Nth: 1})
}

// Louisiana returns the Louisiana override: 08:00–20:00, no solicitation on
// Sunday or a state holiday. The research gives no statute section.
func Louisiana() Override {
	o := stateOverride("us-la", "US-LA", "Louisiana statute (section not in the research)",
		[]string{"225", "318", "337", "504", "985"}, noSunday(channel.Clock(8, 0), channel.Clock(20, 0)))
	o.Holidays = LouisianaHolidays()
	return o
}

// LouisianaHolidays returns the days the [Louisiana] override bans: the
// federal holidays, Mardi Gras and Good Friday.
func LouisianaHolidays() []Holiday {
	return append(FederalHolidays(),
		Holiday{Name: "Mardi Gras", Easter: true, EasterOffset: -47},
		Holiday{Name: "Good Friday", Easter: true, EasterOffset: -2})
}

// Mississippi returns the Mississippi override: 08:00–20:00, no
// solicitation on Sunday. The research gives no statute section.
func Mississippi() Override {
	return stateOverride("us-ms", "US-MS", "Mississippi statute (section not in the research)",
		[]string{"228", "601", "662", "769"}, noSunday(channel.Clock(8, 0), channel.Clock(20, 0)))
}

// RhodeIsland returns the Rhode Island override: 09:00–18:00 on weekdays,
// no solicitation on Sunday or a holiday. The research gives weekday hours
// only, so rapport allows none on Saturday either (stricter) until a source
// for Saturday hours is added. The research gives no statute section.
func RhodeIsland() Override {
	o := stateOverride("us-ri", "US-RI", "Rhode Island statute (section not in the research)", []string{"401"},
		days(channel.Clock(9, 0), channel.Clock(18, 0), time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday))
	o.Holidays = RhodeIslandHolidays()
	return o
}

// RhodeIslandHolidays returns the days the [RhodeIsland] override bans: the
// federal holidays and Victory Day (second Monday of August).
func RhodeIslandHolidays() []Holiday {
	return append(FederalHolidays(), Holiday{Name: "Victory Day", Month: time.August, Weekday: time.Monday, Nth: 2})
}

// Pennsylvania returns the Pennsylvania override: no solicitation on a
// holiday (the federal holidays). The research lists the ban without hours
// or a statute section.
func Pennsylvania() Override {
	o := stateOverride("us-pa", "US-PA", "Pennsylvania statute (section not in the research)",
		[]string{"215", "223", "267", "272", "412", "484", "570", "582", "610", "717", "724", "814", "835", "878"}, nil)
	o.Holidays = FederalHolidays()
	return o
}

// Utah returns the Utah override: no solicitation on a holiday (the
// federal holidays). The research lists the ban without hours or a statute
// section.
func Utah() Override {
	o := stateOverride("us-ut", "US-UT", "Utah statute (section not in the research)", []string{"385", "435", "801"}, nil)
	o.Holidays = FederalHolidays()
	return o
}

// hoursOnly returns the overrides of the states the research lists with
// calling hours only: Kentucky 10:00–21:00; Massachusetts 08:00–20:00;
// Nevada 09:00–20:00; Michigan, Minnesota and New Mexico 09:00–21:00. The
// research gives no statute sections for them.
func hoursOnly() []Override {
	const src = "state statute (section not in the research)"
	return []Override{
		stateOverride("us-ky", "US-KY", src, []string{"270", "364", "502", "606", "859"}, every(channel.Clock(10, 0), channel.Clock(21, 0))),
		stateOverride("us-ma", "US-MA", src, []string{"339", "351", "413", "508", "617", "774", "781", "857", "978"},
			every(channel.Clock(8, 0), channel.Clock(20, 0))),
		stateOverride("us-nv", "US-NV", src, []string{"702", "725", "775"}, every(channel.Clock(9, 0), channel.Clock(20, 0))),
		stateOverride("us-mi", "US-MI", src, []string{"231", "248", "269", "313", "517", "586", "616", "734", "810", "906", "947", "989"},
			every(channel.Clock(9, 0), channel.Clock(21, 0))),
		stateOverride("us-mn", "US-MN", src, []string{"218", "320", "507", "612", "651", "763", "952"}, every(channel.Clock(9, 0), channel.Clock(21, 0))),
		stateOverride("us-nm", "US-NM", src, []string{"505", "575"}, every(channel.Clock(9, 0), channel.Clock(21, 0))),
	}
}

// StateOverrides returns the overrides of every US state the [US] preset
// knows, as new values, in the order of the package documentation's table:
// [Florida], [Oklahoma], [Maryland], [Connecticut], [Texas], [Washington],
// [Alabama], [Louisiana], [Mississippi], [RhodeIsland], [Pennsylvania],
// [Utah], then Kentucky, Massachusetts, Nevada, Michigan, Minnesota and New
// Mexico (hours only).
func StateOverrides() []Override {
	return append([]Override{Florida(), Oklahoma(), Maryland(), Connecticut(), Texas(), Washington(),
		Alabama(), Louisiana(), Mississippi(), RhodeIsland(), Pennsylvania(), Utah()}, hoursOnly()...)
}

// USDNC returns the rule of the US National Do Not Call Registry (47 CFR
// 64.1200(c)(2)): a marketing voice or video call to a listed number is
// refused unless the person's signed written permission (prior express
// written consent) or an established business relationship (18 months
// after a purchase, 3 after an inquiry, 64.1200(f)(5)) exempts it; the
// caller's scrub must be no more than 31 days old (64.1200(c)(2)(i)(D)).
// Texts need prior express written consent under the [US] preset, which
// exempts them, so the rule names calls only.
func USDNC() RegistryRule {
	return RegistryRule{
		Registry:       RegistryUSDNC,
		Channels:       []channel.Kind{channel.KindVoice, channel.KindVideo},
		Purposes:       []Purpose{PurposeMarketing},
		Exempt:         []Basis{BasisExpressWritten},
		PurchaseMonths: 18,
		InquiryMonths:  3,
		MaxAge:         31 * 24 * time.Hour,
		Source:         "47 CFR 64.1200(c)(2), (f)(5)",
	}
}

// CADNCL returns the rule of Canada's National Do Not Call List (CRTC
// Unsolicited Telecommunications Rules): a telemarketing call to a listed
// number is refused unless the person's express consent or an established
// business relationship (18 months after a purchase or contract, 6 after an
// inquiry) exempts it; the scrub must be no more than 31 days old.
func CADNCL() RegistryRule {
	return RegistryRule{
		Registry:       RegistryCADNCL,
		Channels:       []channel.Kind{channel.KindVoice, channel.KindVideo},
		Purposes:       []Purpose{PurposeMarketing},
		Exempt:         []Basis{BasisCASLExpress, BasisExpressWritten},
		PurchaseMonths: 18,
		InquiryMonths:  6,
		MaxAge:         31 * 24 * time.Hour,
		Source:         "CRTC Unsolicited Telecommunications Rules, Part II (National DNCL)",
	}
}
