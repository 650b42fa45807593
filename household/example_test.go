package household_test

import (
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/household"
)

func ExampleParseVIN() {
	// The worked example of 49 CFR 565.15, typed in lower case.
	v, err := household.ParseVIN(" 1g4ah59h45g118341 ")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(v, v.Standard())
	fmt.Println("WMI", v.WMI(), "check digit", v.CheckDigit(), "plant", v.Plant(), "serial", v.Serial())
	// A digit in position 7 puts the 1980–2009 cycle first.
	fmt.Println("model year", v.ModelYears())

	// A letter in position 7 puts the 2010–2039 cycle first.
	v, err = household.ParseVIN("1J9RP1A36A1644345")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("model year", v.ModelYears())
	// Output:
	// 1G4AH59H45G118341 true
	// WMI 1G4 check digit 4 plant G serial 118341
	// model year [2005 2035]
	// model year [2010 1980]
}

func ExampleParseVIN_error() {
	_, err := household.ParseVIN("1HGCM82633A004353")
	fmt.Println(err)
	fmt.Println(errors.Is(err, household.ErrInvalidVIN), errors.Is(err, household.ErrVINCheckDigit))

	_, err = household.ParseVIN("1HGCM82633AO04352")
	var ve *household.VINError
	if errors.As(err, &ve) {
		fmt.Println("position", ve.Pos, "-", ve.Detail)
	}
	// Output:
	// household: vin: invalid VIN: position 9: check digit is 3, want 5
	// true true
	// position 12 - letter O is never used in a VIN
}

func ExampleParseVINLenient() {
	for _, s := range []string{"1Q87H5L123456", "WBA71DC010CH14720", "1HGCM82633A004352"} {
		v, err := household.ParseVINLenient(s)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(v, "standard:", v.Standard())
	}
	// Output:
	// 1Q87H5L123456 standard: false
	// WBA71DC010CH14720 standard: false
	// 1HGCM82633A004352 standard: true
}

func ExampleHousehold_MembersAt() {
	ana := customer.ID{1}
	ben := customer.ID{2}
	cai := customer.ID{3}
	names := map[customer.ID]string{ana: "Ana", ben: "Ben", cai: "Cai"}
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

	h := household.Household{
		Tenant: "acme-auto-group",
		Members: []household.Member{
			{Customer: ana, Role: household.MemberRolePrimary},                         // always
			{Customer: ben, Role: household.MemberRoleSpouse, From: day(2015, 6, 20)},  // since the wedding
			{Customer: cai, Role: household.MemberRoleDependent, To: day(2024, 8, 25)}, // until college
			{Customer: cai, Role: household.MemberRoleOther, From: day(2025, 5, 30)},   // back home
		},
	}
	if err := h.Validate(); err != nil {
		log.Fatal(err)
	}
	for _, t := range []time.Time{day(2010, 1, 1), day(2020, 1, 1), day(2025, 1, 1), day(2025, 6, 1)} {
		fmt.Print(t.Year(), "-", int(t.Month()), ":")
		for _, m := range h.MembersAt(t) {
			fmt.Print(" ", names[m.Customer], " (", m.Role, ")")
		}
		fmt.Println()
	}
	// Output:
	// 2010-1: Ana (primary) Cai (dependent)
	// 2020-1: Ana (primary) Ben (spouse) Cai (dependent)
	// 2025-1: Ana (primary) Ben (spouse)
	// 2025-6: Ana (primary) Ben (spouse) Cai (other)
}

func ExampleHousehold_Validate() {
	a := customer.ID{1}
	h := household.Household{
		Tenant: "acme-auto-group",
		Members: []household.Member{
			{Customer: a, Role: household.MemberRolePrimary},
			{Customer: a, Role: household.MemberRoleSpouse},
			{Role: "grandparent"}, // unknown roles are fine; a missing customer is not
		},
	}
	err := h.Validate()
	fmt.Println(err)
	fmt.Println(errors.Is(err, household.ErrDuplicate), errors.Is(err, household.ErrMissing))
	// Output:
	// household: members[2].customer: required value missing
	// household: members[1].customer: duplicate value: same customer as members[0] at the same time
	// true true
}
