package adf

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf16"
)

func readFile(t *testing.T, name string) *Document {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	d, err := Unmarshal(data, nil)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return d
}

func TestReadSpecMinimal(t *testing.T) {
	d := readFile(t, "spec-minimal.xml")
	if d.Version != "1.0" {
		t.Errorf("Version = %q, want 1.0", d.Version)
	}
	if len(d.Prospects) != 1 {
		t.Fatalf("%d prospects, want 1", len(d.Prospects))
	}
	p := d.Prospects[0]
	if p.RequestDate != "2000-03-30T15:30:20-08:00" {
		t.Errorf("RequestDate = %q", p.RequestDate)
	}
	v := p.Vehicles[0]
	if v.Year != "1999" || v.Make != "Chevrolet" || v.Model != "Blazer" {
		t.Errorf("vehicle = %q %q %q", v.Year, v.Make, v.Model)
	}
	if got := p.Customer.Contact.Names[0]; got.Part != "full" || got.Value != "John Doe" {
		t.Errorf("name = %+v", got)
	}
	if got := p.Customer.Contact.Phones[0].Value; got != "212-555-0123" {
		t.Errorf("phone = %q", got)
	}
	if p.Vendor == nil || p.Vendor.Contact.Names[0].Value != "Acura of Bellevue" {
		t.Errorf("vendor = %+v", p.Vendor)
	}
}

func TestReadKeepsRawTextAndUnknownAttributes(t *testing.T) {
	d := readFile(t, "spec-customer.xml")
	c := d.Prospects[0].Customer
	ph := c.Contact.Phones[1]
	if ph.Value != "212-555-0124\n\t\t\t " {
		t.Errorf("phone text = %q, want the raw text with its line break", ph.Value)
	}
	want := []Attr{{Name: "besttime", Value: "1"}}
	if !reflect.DeepEqual(ph.Ext.Attrs, want) {
		t.Errorf("phone extension attributes = %+v, want %+v", ph.Ext.Attrs, want)
	}
	if c.Timeframe == nil || c.Timeframe.Description != "Within 1 month" {
		t.Errorf("timeframe = %+v", c.Timeframe)
	}
	a := c.Contact.Addresses[0]
	if a.Streets[0].Line != "1" || a.Streets[0].Value != "10 first avenue" || a.Apartment != "G-17" || a.PostalCode != "98002-3903" {
		t.Errorf("address = %+v", a)
	}
}

func TestReadDeviations(t *testing.T) {
	d := readFile(t, "marketplace-utf16-label.xml")
	p := d.Prospects[0]
	if p.Vehicles[0].Status != "Used" || p.Vehicles[0].Condition != "Used" {
		t.Errorf("status/condition = %q/%q; values must be kept as sent", p.Vehicles[0].Status, p.Vehicles[0].Condition)
	}
	if got := p.Customer.Contact.Names[1].Value; got != "García" {
		t.Errorf("HTML entity: last name = %q, want García", got)
	}
	if got := p.Customer.Comments; got != "Hi,&nbsp;is this car still available? <b>Can I test drive it Saturday?</b>" {
		t.Errorf("CDATA comments = %q", got)
	}
	if got := p.Vehicles[0].Comments; got != "Listing price shown on the marketplace & includes destination" {
		t.Errorf("vehicle comments = %q", got)
	}
	if p.Vendor != nil {
		t.Errorf("vendor = %+v, want none (the lead has no vendor)", p.Vendor)
	}
	if len(p.IDs) != 2 || p.IDs[1].Source != "leadtype" || p.IDs[1].Value != "Email" {
		t.Errorf("ids = %+v", p.IDs)
	}

	d = readFile(t, "crm-two-prospects.xml")
	if len(d.Prospects) != 2 {
		t.Fatalf("%d prospects, want 2", len(d.Prospects))
	}
	p = d.Prospects[0]
	if p.Status != "new" || p.RequestDate != "20261130T101500-0500" {
		t.Errorf("capitalised names: status %q, requestdate %q", p.Status, p.RequestDate)
	}
	if p.Vehicles[0].Interest != "trade-in" || p.Vehicles[1].Interest != "buy" {
		t.Errorf("interests = %q, %q", p.Vehicles[0].Interest, p.Vehicles[1].Interest)
	}
	if got := p.Vehicles[1].Trim; got != "XLE\u00a0Hybrid" {
		t.Errorf("trim = %q", got)
	}
	ext := p.Customer.Contact.Ext.Elements
	var names []string
	for _, n := range ext {
		names = append(names, n.Name+"="+n.Children[0].Text)
	}
	if want := []string{"gender=F", "birthday=1990-04-01", "locale=en"}; !reflect.DeepEqual(names, want) {
		t.Errorf("contact extensions = %q, want %q (in order)", names, want)
	}
	if got := p.Vehicles[1].Ext.Elements; len(got) != 1 || got[0].Name != "PriceComment" {
		t.Errorf("vehicle extensions = %+v, want PriceComment kept", got)
	}
	if got := len(p.Provider.Ext.Elements); got != 3 {
		t.Errorf("provider extensions = %d, want 3", got)
	}
	if d.Prospects[1].Vendor.Contact.Phones[0].Value != "212-555-0100" {
		t.Errorf("second prospect vendor phone = %+v", d.Prospects[1].Vendor.Contact.Phones)
	}
}

func TestReadBareProspectInWrapper(t *testing.T) {
	d := readFile(t, "bare-prospect-namespaced.xml")
	if len(d.Prospects) != 1 {
		t.Fatalf("%d prospects", len(d.Prospects))
	}
	p := d.Prospects[0]
	if p.Status != "resend" || len(p.IDs) != 1 || p.IDs[0].Value != "EL-5531" {
		t.Errorf("prospect = %+v", p)
	}
	if want := []Attr{{Name: "xmlns:adf", Value: "http://www.adf.org"}}; !reflect.DeepEqual(p.Ext.Attrs, want) {
		t.Errorf("namespace declaration kept as %+v, want %+v", p.Ext.Attrs, want)
	}
}

func TestReadEncodings(t *testing.T) {
	d := readFile(t, "latin1.xml")
	p := d.Prospects[0]
	if p.Vehicles[0].Make != "Citroën" || p.Customer.Contact.Names[0].Value != "Renée François" || p.Vendor.VendorName != "Example Motors Québec" {
		t.Errorf("ISO-8859-1 text = %q, %q, %q", p.Vehicles[0].Make, p.Customer.Contact.Names[0].Value, p.Vendor.VendorName)
	}

	// Real UTF-16 (with a byte-order mark) declared as UTF-16.
	src := `<?xml version="1.0" encoding="UTF-16"?><adf><prospect><requestdate>2026-01-02</requestdate><vehicle><make>Škoda</make></vehicle></prospect></adf>`
	for _, bigEndian := range []bool{false, true} {
		var b []byte
		units := append([]uint16{0xFEFF}, utf16.Encode([]rune(src))...)
		for _, u := range units {
			if bigEndian {
				b = append(b, byte(u>>8), byte(u))
			} else {
				b = append(b, byte(u), byte(u>>8))
			}
		}
		d, err := Unmarshal(b, nil)
		if err != nil {
			t.Fatalf("UTF-16 big endian %v: %v", bigEndian, err)
		}
		if got := d.Prospects[0].Vehicles[0].Make; got != "Škoda" {
			t.Errorf("UTF-16 big endian %v: make = %q", bigEndian, got)
		}
	}
}

func TestReadErrors(t *testing.T) {
	deep := strings.Repeat("<x>", 40) + strings.Repeat("</x>", 40)
	tests := []struct {
		name string
		in   string
		opts *ReadOptions
		want error
	}{
		{"spec resend example (unquoted attribute)", "<?ADF version \"1.0\"?>\n<adf>\n<prospect status=\"resend\">\n<id sequence=1 source=”Cobalt”>38889</id>\n</prospect>\n</adf>", nil, ErrMalformed},
		{"spec option example (mismatched end tag)", "<adf><prospect><vehicle><option>\n<optionname>Sport</name>\n</option></vehicle></prospect></adf>", nil, ErrMalformed},
		{"not ADF", "<html><body>hello</body></html>", nil, ErrNoADF},
		{"empty", "", nil, ErrNoADF},
		{"truncated", "<adf><prospect>", nil, ErrMalformed},
		{"too deep", "<adf>" + deep + "</adf>", nil, ErrTooDeep},
		{"too large", "<adf>" + strings.Repeat(" ", 100) + "</adf>", &ReadOptions{MaxBytes: 50}, ErrTooLarge},
		{"DTD entity", `<!DOCTYPE adf [<!ENTITY boom "x">]><adf><prospect><requestdate>&boom;</requestdate></prospect></adf>`, nil, ErrMalformed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Unmarshal([]byte(tc.in), tc.opts)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("err %T is not a *ParseError", err)
			}
		})
	}
	_, err := Unmarshal([]byte("<adf>\n<prospect>\n<vehicle><option>\n<optionname>Sport</name>"), nil)
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line != 4 || pe.Path != "adf/prospect/vehicle/option/optionname" {
		t.Errorf("mismatched tag error = %#v, want line 4 at adf/prospect/vehicle/option/optionname", pe)
	}
}

func TestExternalDoctypeIsNotFetched(t *testing.T) {
	in := `<?xml version="1.0"?><!DOCTYPE adf SYSTEM "http://adf.example.com/adf.dtd"><adf><prospect><requestdate>2026-01-02</requestdate></prospect></adf>`
	d, err := Unmarshal([]byte(in), nil)
	if err != nil {
		t.Fatal(err)
	}
	if d.Prospects[0].RequestDate != "2026-01-02" {
		t.Errorf("requestdate = %q", d.Prospects[0].RequestDate)
	}
}

// TestRoundTrip: read → write → read gives the same Document, for every
// test file, and writing is stable (write(read(write(d))) == write(d)).
func TestRoundTrip(t *testing.T) {
	files, err := filepath.Glob("testdata/*.xml")
	if err != nil || len(files) == 0 {
		t.Fatal("no test files", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			d1 := readFile(t, filepath.Base(f))
			out, err := Marshal(d1)
			if err != nil {
				t.Fatal(err)
			}
			d2, err := Unmarshal(out, nil)
			if err != nil {
				t.Fatalf("re-read: %v\n%s", err, out)
			}
			if !reflect.DeepEqual(d1, d2) {
				t.Fatalf("round trip changed the document\nfirst:  %+v\nsecond: %+v\nwritten:\n%s", d1, d2, out)
			}
			out2, err := Marshal(d2)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out, out2) {
				t.Errorf("writing is not stable:\n%s\n---\n%s", out, out2)
			}
		})
	}
}

func TestWriteOrderAndEscaping(t *testing.T) {
	d := &Document{Version: "1.0", Prospects: []Prospect{{
		RequestDate: "2026-11-30T09:00:00-05:00",
		Vendor:      &Vendor{VendorName: "A & B Motors"},
		Customer:    &Customer{Comments: "ends with ]]> and <tags>", Contact: &Contact{Names: []Name{{Part: "full", Value: `Jo "JJ" Doe`}}}},
		Vehicles:    []Vehicle{{Interest: "buy", Year: "2026", Make: "Ford", Model: "F-150"}},
		IDs:         []ID{{Source: "Example", Value: "1"}},
	}}}
	out, err := Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	s := string(out)
	order := []string{"<?xml", "<?adf version=\"1.0\"?>", "<adf>", "<prospect>", "<id source=\"Example\">1</id>", "<requestdate>", "<vehicle interest=\"buy\">", "<customer>", "<contact>", "<comments>ends with ]]&gt; and &lt;tags&gt;</comments>", "<vendor>", "<vendorname>A &amp; B Motors</vendorname>"}
	last := -1
	for _, o := range order {
		i := strings.Index(s, o)
		if i < 0 || i < last {
			t.Fatalf("%q missing or out of DTD order in\n%s", o, s)
		}
		last = i
	}
	back, err := Unmarshal(out, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, d) {
		t.Errorf("read back %+v, want %+v", back, d)
	}

	bad := &Document{Ext: Extensions{Elements: []Node{{Name: "bad name"}}}}
	if _, err := Marshal(bad); !errors.Is(err, ErrWrite) {
		t.Errorf("invalid extension name: err = %v, want ErrWrite", err)
	}
}

func TestValidate(t *testing.T) {
	has := func(issues []Issue, path string, kind IssueKind) bool {
		for _, i := range issues {
			if i.Path == path && i.Kind == kind {
				return true
			}
		}
		return false
	}

	// A DTD-valid lead has no issues.
	valid := &Document{Prospects: []Prospect{{
		IDs:         []ID{{Sequence: "1", Source: "Example", Value: "L1"}},
		RequestDate: "2026-11-30T09:00:00-05:00",
		Vehicles:    []Vehicle{{Interest: "buy", Status: "new", Year: "2026", Make: "Ford", Model: "F-150"}},
		Customer:    &Customer{Contact: &Contact{Names: []Name{{Part: "full", Value: "Jo Doe"}}, Phones: []Phone{{Type: "voice", Value: "212-555-0123"}}}},
		Vendor:      &Vendor{VendorName: "Example Ford", Contact: &Contact{Names: []Name{{Value: "Sales"}}, Emails: []Email{{Value: "sales@example.com"}}}},
	}}}
	if issues := Validate(valid); len(issues) != 0 {
		t.Errorf("valid lead: issues %v", issues)
	}

	// The spec's own minimal example is not DTD-valid.
	issues := Validate(readFile(t, "spec-minimal.xml"))
	for _, w := range []struct {
		path string
		kind IssueKind
	}{
		{"prospect[0]/vendor/vendorname", Missing},
		{"prospect[0]/vendor/contact/email", Missing},
	} {
		if !has(issues, w.path, w.kind) {
			t.Errorf("spec-minimal: no %s issue at %s in %v", w.kind, w.path, issues)
		}
	}

	issues = Validate(readFile(t, "marketplace-utf16-label.xml"))
	for _, w := range []struct {
		path string
		kind IssueKind
	}{
		{"prospect[0]/vehicle[0]/@status", NonCanonical},
		{"prospect[0]/vehicle[0]/condition", NotAllowed},
		{"prospect[0]/vehicle[0]/odometer/@units", NonCanonical},
		{"prospect[0]/vehicle[0]/odometer", BadFormat},
		{"prospect[0]/customer/contact/phone[0]/@type", NonCanonical},
		{"prospect[0]/vendor", Missing},
	} {
		if !has(issues, w.path, w.kind) {
			t.Errorf("marketplace: no %s issue at %s in %v", w.kind, w.path, issues)
		}
	}
	for _, i := range issues {
		if i.Path == "prospect[0]/vehicle[0]/@status" {
			if i.Value != "Used" || !reflect.DeepEqual(i.Allowed, []string{"new", "used"}) {
				t.Errorf("status issue = %+v", i)
			}
			if got := i.String(); got != `prospect[0]/vehicle[0]/@status: non_canonical "Used" (DTD: new, used)` {
				t.Errorf("String() = %q", got)
			}
		}
	}

	issues = Validate(readFile(t, "crm-two-prospects.xml"))
	for _, w := range []struct {
		path string
		kind IssueKind
	}{
		{"prospect[0]/vehicle[1]/option[0]/weighting", NonCanonical},
		{"prospect[0]/vehicle[1]/PriceComment", Extension},
		{"prospect[0]/customer/contact/gender", Extension},
		{"prospect[0]/provider/form", Extension},
		{"prospect[0]/vehicle[0]/condition", NonCanonical},
		{"prospect[1]/id[0]/@source", Missing},
	} {
		if w.kind == Missing {
			if has(issues, w.path, w.kind) {
				t.Errorf("crm: unexpected %s at %s", w.kind, w.path)
			}
			continue
		}
		if !has(issues, w.path, w.kind) {
			t.Errorf("crm: no %s issue at %s in %v", w.kind, w.path, issues)
		}
	}

	if issues := Validate(&Document{}); !has(issues, "adf/prospect", Missing) {
		t.Errorf("empty document: %v", issues)
	}
	// A resend needs only its id and request date.
	resend := readFile(t, "bare-prospect-namespaced.xml")
	for _, i := range Validate(resend) {
		if i.Kind == Missing {
			t.Errorf("resend: unexpected %v", i)
		}
	}
}

func TestCanonical(t *testing.T) {
	tests := []struct {
		field, in, want string
		ok              bool
	}{
		{"vehicle@status", "Used", "used", true},
		{"vehicle@status", " NEW ", "new", true},
		{"vehicle@status", "certified", "", false},
		{"phone@type", "cell", "cellphone", true},
		{"phone@type", "phone", "voice", true},
		{"odometer@units", "miles", "mi", true},
		{"vehicle@interest", "Trade-In", "trade-in", true},
		{"condition", "Used", "", false},
		{"no-such-field", "x", "", false},
	}
	for _, tc := range tests {
		got, ok := Canonical(tc.field, tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Canonical(%q, %q) = %q, %v; want %q, %v", tc.field, tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"2000-03-30T15:30:20-08:00", "2000-03-30T23:30:20Z"},
		{"20000330T153020-0800", "2000-03-30T23:30:20Z"},
		{"20000330T153020+0100", "2000-03-30T14:30:20Z"},
		{" 2026-11-30T10:20:00Z ", "2026-11-30T10:20:00Z"},
		{"2026-11-30T10:20:00.250-05:00", "2026-11-30T15:20:00.25Z"},
		{"2026-11-30", "2026-11-30T00:00:00Z"},
	}
	for _, tc := range tests {
		got, err := ParseDate(tc.in)
		if err != nil {
			t.Errorf("ParseDate(%q): %v", tc.in, err)
			continue
		}
		if s := got.UTC().Format("2006-01-02T15:04:05.999999999Z07:00"); s != tc.want {
			t.Errorf("ParseDate(%q) = %s, want %s", tc.in, s, tc.want)
		}
	}
	for _, in := range []string{"", "yesterday", "2026-11-30T10:20:00", "30/11/2026"} {
		if _, err := ParseDate(in); !errors.Is(err, ErrBadDate) {
			t.Errorf("ParseDate(%q) err = %v, want ErrBadDate", in, err)
		}
	}
}
