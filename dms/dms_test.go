package dms

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/interaction"
)

var exported = time.Date(2026, 11, 30, 6, 0, 0, 0, time.UTC)

type result struct {
	rows     []*Row
	rejected []*RowError
}

func readAll(t *testing.T, system System, kind FileKind, file string) result {
	t.Helper()
	m, err := Preset(system, kind)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := NewReader(f, m, &Options{File: file, ExportedAt: exported})
	if err != nil {
		t.Fatal(err)
	}
	var res result
	for row, err := range r.All() {
		if err != nil {
			var re *RowError
			if !errors.As(err, &re) || row == nil {
				t.Fatalf("fatal error: %v", err)
			}
			res.rejected = append(res.rejected, re)
			continue
		}
		res.rows = append(res.rows, row)
	}
	return res
}

func phone(t *testing.T, s string) channel.Address {
	t.Helper()
	p, err := channel.ParsePhone(s, "US")
	if err != nil {
		t.Fatal(err)
	}
	return p.Address()
}

func email(t *testing.T, s string) channel.Address {
	t.Helper()
	a, err := channel.NewAddress(channel.SchemeMailto, s)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// findEvent returns the events for address a and channel k.
func findEvents(evs []consent.Event, a channel.Address, k channel.Kind) []consent.Event {
	var out []consent.Event
	for _, e := range evs {
		if e.Subject.Address == a && e.Channel == k {
			out = append(out, e)
		}
	}
	return out
}

func TestDealertrackSales(t *testing.T) {
	res := readAll(t, Dealertrack, Sales, "dealertrack-sales.csv")
	if len(res.rows) != 3 || len(res.rejected) != 1 {
		t.Fatalf("%d rows, %d rejected; want 3 and 1", len(res.rows), len(res.rejected))
	}
	rej := res.rejected[0]
	if rej.Row != 4 || rej.Field != string(SaleDate) || !errors.Is(rej, ErrMissing) {
		t.Errorf("rejected = %v, want row 4 sale_date missing", rej)
	}

	r := res.rows[0]
	if r.Row != 2 {
		t.Errorf("first row number = %d, want 2 (the header is row 1)", r.Row)
	}
	c := r.Customer
	if c.Name.Given != "Maria" || c.Name.Family != "Garcia" || c.ExternalID("dealertrack") != "C-501" {
		t.Errorf("customer = %+v", c)
	}
	if len(c.ContactPoints) != 3 {
		t.Errorf("contact points = %+v, want cell, home and email", c.ContactPoints)
	}
	if len(c.PostalAddresses) != 1 || c.PostalAddresses[0].Lines[0] != "1 Example St" || c.PostalAddresses[0].PostalCode != "10001" ||
		c.PostalAddresses[0].Region != "NY" || c.PostalAddresses[0].Country != "US" {
		t.Errorf("postal address = %+v", c.PostalAddresses)
	}
	if c.Attributes["AllowContactByPostal"] != "Y" {
		t.Errorf("postal flag not kept verbatim: %v", c.Attributes)
	}
	// AllowContactByEmail=Y grants service email consent; AllowContactByPhone=N
	// revokes voice on both phones; no SMS event is derived from the phone flag.
	em := findEvents(r.Consent, email(t, "maria.garcia@example.com"), channel.KindEmail)
	if len(em) != 1 || em[0].Action != consent.ActionGrant || em[0].Purpose != consent.PurposeService || em[0].Basis != consent.BasisExpress {
		t.Errorf("email events = %+v", em)
	}
	for _, p := range []string{"212-555-0142", "212-555-0143"} {
		ev := findEvents(r.Consent, phone(t, p), channel.KindVoice)
		if len(ev) != 1 || ev[0].Action != consent.ActionRevoke || ev[0].Purpose != consent.PurposeAll {
			t.Errorf("voice events for %s = %+v", p, ev)
		}
	}
	for _, e := range r.Consent {
		if e.Channel == channel.KindSMS {
			t.Errorf("SMS event derived from a phone flag: %+v", e)
		}
		if err := e.Validate(); err != nil {
			t.Errorf("event %+v: %v", e, err)
		}
		if e.Evidence.Method != consent.MethodImport || e.Evidence.SourceSystem != "dms:dealertrack" ||
			e.Evidence.DocumentRef != "dealertrack-sales.csv#row=2" || !e.CapturedAt.Equal(exported) {
			t.Errorf("evidence = %+v at %v", e.Evidence, e.CapturedAt)
		}
	}
	if got := em[0].Evidence.RawValue; got != "AllowContactByEmail=Y" {
		t.Errorf("raw value = %q", got)
	}
	if len(r.Consent) != 3 {
		t.Errorf("%d events, want 3 (email grant, two voice revocations)", len(r.Consent))
	}

	v := r.Vehicle
	if v.VIN.String() != "1HGCM82633A004352" || !v.VIN.Standard() || v.Year != 2003 || v.Make != "Honda" || v.Odometer.Value != 31250 {
		t.Errorf("vehicle = %+v", v)
	}
	want := time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC)
	if !v.PurchasedAt.Equal(want) || r.Ownership == nil || !r.Ownership.From.Equal(want) || r.Ownership.Role != household.StakeholderRoleOwner {
		t.Errorf("purchase %v, ownership %+v", v.PurchasedAt, r.Ownership)
	}
	it := r.Interaction
	if it.Kind != interaction.KindVisit || !it.OccurredAt.Equal(want) || it.ExternalRefs["dealertrack"] != "deal:D-1001" ||
		it.Attributes["sale_type"] != "Used" || it.Attributes["FIManager"] != "Lee Example" {
		t.Errorf("sale = %+v", it)
	}

	// An invalid check digit is kept, flagged non-standard, with a warning.
	r = res.rows[1]
	if r.Vehicle.VIN.String() != "1HGCM82633A004353" || r.Vehicle.VIN.Standard() {
		t.Errorf("bad-check-digit VIN = %v standard=%v", r.Vehicle.VIN, r.Vehicle.VIN.Standard())
	}
	if !hasWarning(r, VIN) {
		t.Errorf("no VIN warning: %v", r.Warnings)
	}
	// Values that do not parse are kept verbatim, with a warning each.
	r = res.rows[2]
	for _, f := range []Field{Email, HomePhone, "AllowContactByEmail"} {
		if !hasWarning(r, f) {
			t.Errorf("row %d: no warning for %s in %v", r.Row, f, r.Warnings)
		}
	}
	if r.Customer.Attributes["email"] != "not-an-email" || r.Customer.Attributes["home_phone"] != "555" || r.Customer.Attributes["AllowContactByEmail"] != "maybe" {
		t.Errorf("unparsed values not kept: %v", r.Customer.Attributes)
	}
	for _, w := range r.Warnings {
		if strings.Contains(w.Error(), "not-an-email") {
			t.Errorf("warning repeats the value: %v", w)
		}
	}
}

func hasWarning(r *Row, f Field) bool {
	for _, w := range r.Warnings {
		if w.Field == string(f) && errors.Is(w, ErrInvalid) {
			return true
		}
	}
	return false
}

func TestDealerVaultBlockPolarity(t *testing.T) {
	res := readAll(t, DealerVault, Customers, "dealervault-customers.csv")
	if len(res.rows) != 2 || len(res.rejected) != 1 {
		t.Fatalf("%d rows, %d rejected", len(res.rows), len(res.rejected))
	}
	if re := res.rejected[0]; re.Row != 4 || !errors.Is(re, ErrMissing) {
		t.Errorf("empty row rejection = %v", re)
	}
	r := res.rows[0]
	if r.Customer.Name.Given != "Renée" || r.Customer.Attributes["Customer Since"] != "2019" || r.Customer.Attributes["Block Mail"] != "N" {
		t.Errorf("customer = %+v", r.Customer)
	}
	// Block Email = N: not blocked → a service grant.
	em := findEvents(r.Consent, email(t, "renee@example.com"), channel.KindEmail)
	if len(em) != 1 || em[0].Action != consent.ActionGrant {
		t.Errorf("Block Email=N events = %+v", em)
	}
	// Block Phone = Y: a revocation per phone, voice only.
	for _, p := range []string{"212-555-0101", "212-555-0102"} {
		ev := findEvents(r.Consent, phone(t, p), channel.KindVoice)
		if len(ev) != 1 || ev[0].Action != consent.ActionRevoke {
			t.Errorf("Block Phone=Y events for %s = %+v", p, ev)
		}
		if sms := findEvents(r.Consent, phone(t, p), channel.KindSMS); len(sms) != 0 {
			t.Errorf("SMS derived from the phone flag: %+v", sms)
		}
	}
	b := res.rows[1].Customer
	if b.Party != customer.PartyBusiness || b.Name.Full != "Example Fleet LLC" {
		t.Errorf("business = %+v", b)
	}
	if em := findEvents(res.rows[1].Consent, email(t, "fleet@example.com"), channel.KindEmail); len(em) != 1 || em[0].Action != consent.ActionRevoke {
		t.Errorf("Block Email=Y events = %+v", em)
	}
}

func TestCDKDoNotContact(t *testing.T) {
	res := readAll(t, CDK, Customers, "cdk-customers.csv")
	if len(res.rows) != 2 {
		t.Fatalf("%d rows", len(res.rows))
	}
	r := res.rows[0]
	// doNotContact.sms=true revokes texts on the SMS number only.
	sms := findEvents(r.Consent, phone(t, "212-555-0112"), channel.KindSMS)
	if len(sms) != 1 || sms[0].Action != consent.ActionRevoke {
		t.Errorf("doNotContact.sms events = %+v", sms)
	}
	if got := findEvents(r.Consent, phone(t, "212-555-0111"), channel.KindSMS); len(got) != 0 {
		t.Errorf("SMS flag applied to the home phone: %+v", got)
	}
	// doNotContact.ever=false grants service consent on every address, for
	// all channels; doNotContact.email=false grants email.
	all := 0
	for _, e := range r.Consent {
		if e.Channel == consent.AllChannels {
			all++
			if e.Action != consent.ActionGrant || e.Purpose != consent.PurposeService {
				t.Errorf("ever=false event = %+v", e)
			}
		}
	}
	if all != 3 {
		t.Errorf("%d all-channel events, want one per address (3)", all)
	}
	// doNotContact.ever=true revokes everything on every address.
	r = res.rows[1]
	for _, a := range []channel.Address{phone(t, "212-555-0113"), email(t, "dana@example.com")} {
		ev := findEvents(r.Consent, a, consent.AllChannels)
		if len(ev) != 1 || ev[0].Action != consent.ActionRevoke || ev[0].Purpose != consent.PurposeAll {
			t.Errorf("ever=true events for %v = %+v", a, ev)
		}
	}
}

func TestReynoldsService(t *testing.T) {
	res := readAll(t, Reynolds, Service, "reynolds-service.csv")
	if len(res.rows) != 2 || len(res.rejected) != 1 {
		t.Fatalf("%d rows, %d rejected", len(res.rows), len(res.rejected))
	}
	if re := res.rejected[0]; re.Row != 4 || re.Field != string(ROOpenDate) || !errors.Is(re, ErrInvalid) {
		t.Errorf("rejection = %v", re)
	}
	r := res.rows[0]
	it := r.Interaction
	if it.ExternalRefs["reynolds"] != "ro:R-9001" || it.Body != "Customer states brake noise" ||
		it.Attributes["pay_type"] != "C" || it.Attributes["ro_close_date"] != "2026-11-03T00:00:00Z" || it.Attributes["DeptType"] != "S" {
		t.Errorf("repair order = %+v", it)
	}
	if !it.OccurredAt.Equal(time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("opened at %v", it.OccurredAt)
	}
	if r.Ownership == nil || r.Ownership.Role != household.StakeholderRoleUnknown {
		t.Errorf("repair-order customer's part = %+v, want not known", r.Ownership)
	}
	if r.Vehicle.Odometer.Value != 120500 || r.Vehicle.PurchasedAt != (time.Time{}) {
		t.Errorf("vehicle = %+v (a repair order is not a purchase)", r.Vehicle)
	}
	if pa := r.Customer.PostalAddresses; len(pa) != 1 || pa[0].PostalCode != "45402-0000" || pa[0].Locality != "Dayton" {
		t.Errorf("ZIP+4 without its hyphen: postal address = %+v", pa)
	}
	b := res.rows[1].Customer
	if b.Party != customer.PartyBusiness || b.Name.Full != "EXAMPLE DELIVERY CO" {
		t.Errorf("IBFlag=B customer = %+v", b.Name)
	}
	if len(res.rows[1].Consent) != 0 {
		t.Errorf("Reynolds preset has no consent columns, got %+v", res.rows[1].Consent)
	}
}

func TestPostalAddressKeptVerbatim(t *testing.T) {
	m, _ := Preset(DealerVault, Customers)
	in := "Customer Number,Address Line 1,City,State,Zip\nV-9,1 Example St,Springfield,Atlantis,6270X\n"
	r, err := NewReader(strings.NewReader(in), m, nil)
	if err != nil {
		t.Fatal(err)
	}
	row, err := r.Next()
	if err != nil {
		t.Fatal(err)
	}
	c := row.Customer
	if len(c.PostalAddresses) != 0 || c.Attributes["region"] != "Atlantis" || c.Attributes["postal_code"] != "6270X" || !hasWarning(row, PostalCode) {
		t.Errorf("an address that does not normalize: %+v, attributes %v, warnings %v", c.PostalAddresses, c.Attributes, row.Warnings)
	}
}

func TestCustomMapping(t *testing.T) {
	m := &Mapping{
		System: "acme-dms",
		Kind:   Vehicles,
		Columns: map[Field]string{
			CustomerNumber: "Owner ID", LastName: "Owner", VIN: "Serial",
			Make: "Brand", Model: "Line", OwnershipStart: "From", OwnershipEnd: "Until",
		},
		Consent: []ConsentFlag{
			{Column: "Text OK", Channel: channel.KindSMS, Fields: []Field{CellPhone}, Polarity: Allow},
		},
		DateLayouts: []string{"02.01.2006"},
	}
	in := "owner id;OWNER;serial;brand;line;from;until;color\n" // header case and spacing differ
	in = strings.ReplaceAll(in, ";", ",")
	in += "O-1,Example,1G4AH59H45G118341,Buick,LeSabre,01.02.2005,15.03.2012,Silver\n"
	in += "O-2,Sample,,,,01.02.2005,,Red\n"
	r, err := NewReader(strings.NewReader(in), m, &Options{ExportedAt: exported})
	if err != nil {
		t.Fatal(err)
	}
	row, err := r.Next()
	if err != nil {
		t.Fatal(err)
	}
	own := row.Ownership
	if own == nil || !own.From.Equal(time.Date(2005, 2, 1, 0, 0, 0, 0, time.UTC)) || !own.To.Equal(time.Date(2012, 3, 15, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("ownership = %+v", own)
	}
	if row.Customer.ExternalID("acme-dms") != "O-1" || row.Customer.Attributes["color"] != "Silver" {
		t.Errorf("customer = %+v", row.Customer)
	}
	if _, err := r.Next(); !errors.Is(err, ErrMissing) {
		t.Errorf("row without a vehicle: err = %v, want ErrMissing", err)
	}
	if _, err := r.Next(); err != io.EOF {
		t.Errorf("end: err = %v, want io.EOF", err)
	}

	// A header missing a mapped column.
	_, err = NewReader(strings.NewReader("Owner ID,Owner\n"), m, nil)
	var ve *ValidationError
	if !errors.As(err, &ve) || !errors.Is(err, ErrMissingColumn) || ve.Field != "Serial" {
		t.Errorf("missing column: err = %v", err)
	}
	// Other mapped columns may be missing; Missing lists them.
	r, err = NewReader(strings.NewReader("Serial,Brand\n"), m, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(r.Missing(), ","); got != "Owner ID,Owner,Line,Until,From" {
		t.Errorf("Missing() = %q", got)
	}
}

func TestMappingValidate(t *testing.T) {
	base := func() *Mapping {
		return &Mapping{System: "x", Kind: Customers, Columns: map[Field]string{CustomerNumber: "ID"}}
	}
	tests := []struct {
		name  string
		edit  func(*Mapping)
		field string
	}{
		{"system", func(m *Mapping) { m.System = "Has Space" }, "system"},
		{"kind", func(m *Mapping) { m.Kind = "invoices" }, "kind"},
		{"needs a column", func(m *Mapping) { m.Kind = Service }, "columns.ro_number"},
		{"unknown field", func(m *Mapping) { m.Columns["shoe_size"] = "Shoe" }, "columns.shoe_size"},
		{"header twice", func(m *Mapping) { m.Columns[Email] = "id" }, "columns.email"},
		{"flag channel", func(m *Mapping) { m.Consent = []ConsentFlag{{Column: "F", Channel: "pigeon", Polarity: Allow}} }, "consent[0].channel"},
		{"flag polarity", func(m *Mapping) { m.Consent = []ConsentFlag{{Column: "F", Channel: channel.KindSMS}} }, "consent[0].polarity"},
		{"flag fields", func(m *Mapping) {
			m.Consent = []ConsentFlag{{Column: "F", Channel: channel.KindSMS, Polarity: Block, Fields: []Field{VIN}}}
		}, "consent[0].fields"},
	}
	if err := base().Validate(); err != nil {
		t.Fatalf("base mapping: %v", err)
	}
	for _, tc := range tests {
		m := base()
		tc.edit(m)
		err := m.Validate()
		var ve *ValidationError
		if !errors.As(err, &ve) || ve.Field != tc.field || !errors.Is(err, ErrInvalidMapping) {
			t.Errorf("%s: err = %v, want field %s", tc.name, err, tc.field)
		}
	}
	for _, s := range Systems() {
		for _, k := range []FileKind{Customers, Vehicles, Sales, Service} {
			m, err := Preset(s, k)
			if err != nil {
				t.Fatalf("Preset(%s, %s): %v", s, k, err)
			}
			if err := m.Validate(); err != nil {
				t.Errorf("Preset(%s, %s) does not validate: %v", s, k, err)
			}
		}
	}
	if _, err := Preset("autosoft", Customers); !errors.Is(err, ErrUnknownPreset) {
		t.Errorf("unknown preset: %v", err)
	}
}

func TestMalformedAndTooLong(t *testing.T) {
	m, _ := Preset(DealerVault, Customers)
	in := "Customer Number,First Name\nV-1,A\"b\"c\nV-2,\xff\xfe\nV-3,Ok\n"
	r, err := NewReader(strings.NewReader(in), &Mapping{System: "x", Kind: Customers, Columns: map[Field]string{CustomerNumber: "Customer Number", FirstName: "First Name"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for row, err := range r.All() {
		switch {
		case err != nil:
			got = append(got, "rejected")
			if !errors.Is(err, ErrMalformed) {
				t.Errorf("row %d: err = %v, want ErrMalformed", row.Row, err)
			}
		default:
			got = append(got, row.Customer.Name.Given)
		}
	}
	if strings.Join(got, ",") != "A\"b\"c,rejected,Ok" {
		t.Errorf("rows = %q", got)
	}

	long := "Customer Number,First Name\nV-1," + strings.Repeat("x", 200) + "\nV-2,B\n"
	r, err = NewReader(strings.NewReader(long), m, &Options{MaxLineBytes: 100})
	if err == nil {
		_, err = r.Next()
	}
	if !errors.Is(err, ErrTooLong) && !errors.Is(err, ErrMissingColumn) {
		t.Errorf("long line: err = %v, want ErrTooLong", err)
	}
	m2 := &Mapping{System: "x", Kind: Customers, Columns: map[Field]string{CustomerNumber: "Customer Number"}}
	r, err = NewReader(strings.NewReader(long), m2, &Options{MaxLineBytes: 100})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Next(); !errors.Is(err, ErrTooLong) {
		t.Errorf("long line: err = %v, want ErrTooLong", err)
	}
	if _, err := r.Next(); !errors.Is(err, ErrTooLong) {
		t.Errorf("after a long line: err = %v, want ErrTooLong again", err)
	}
}
