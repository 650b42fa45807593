package adf

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// IssueKind classifies a deviation from the ADF 1.0 DTD.
type IssueKind string

// The kinds of Issue.
const (
	// Missing: an element or attribute the DTD requires is absent or empty.
	Missing IssueKind = "missing"
	// NotAllowed: a value outside the DTD's enumeration.
	NotAllowed IssueKind = "not_allowed"
	// NonCanonical: a value the DTD allows, spelled another way ("Used"
	// for "used", "cell" for "cellphone"); Canonical gives the DTD form.
	NonCanonical IssueKind = "non_canonical"
	// BadFormat: a date, number, currency or country code that does not
	// have the form the specification gives.
	BadFormat IssueKind = "bad_format"
	// Extension: an element or attribute the DTD has no place for (kept in
	// the Ext field of the element that holds it).
	Extension IssueKind = "extension"
)

// Issue is one deviation from the ADF 1.0 DTD, at a path such as
// "prospect[0]/vehicle[1]/@status" or "prospect[0]/customer/contact/phone[2]".
type Issue struct {
	Path    string
	Kind    IssueKind
	Value   string   // the value as sent (for NotAllowed, NonCanonical, BadFormat, Extension attributes)
	Allowed []string // the DTD's values, for NotAllowed and NonCanonical
}

// String describes the issue for a person, e.g.
// `prospect[0]/vehicle[0]/@status: non_canonical "Used" (DTD: new, used)`.
// It repeats the value as sent; do not log it where lead data must not go.
func (i Issue) String() string {
	s := i.Path + ": " + string(i.Kind)
	if i.Value != "" {
		s += " " + strconv.Quote(i.Value)
	}
	if len(i.Allowed) > 0 {
		s += " (DTD: " + strings.Join(i.Allowed, ", ") + ")"
	}
	return s
}

// enumerations of the ADF 1.0 DTD (specification appendix), keyed by
// "element@attribute" or by element for an enumerated text value.
var enums = map[string][]string{
	"prospect@status":        {"new", "resend"},
	"vehicle@interest":       {"buy", "lease", "sell", "trade-in", "test-drive"},
	"vehicle@status":         {"new", "used"},
	"odometer@status":        {"unknown", "rolledover", "replaced", "original"},
	"odometer@units":         {"km", "mi"},
	"condition":              {"excellent", "good", "fair", "poor", "unknown"},
	"price@type":             {"quote", "offer", "msrp", "invoice", "call", "appraisal", "asking"},
	"price@delta":            {"absolute", "relative", "percentage"},
	"price@relativeto":       {"msrp", "invoice"},
	"amount@type":            {"total", "downpayment", "monthly"},
	"amount@limit":           {"maximum", "minimum", "exact"},
	"balance@type":           {"finance", "residual"},
	"name@part":              {"full", "surname", "first", "middle", "last"},
	"name@type":              {"individual", "business"},
	"email@preferredcontact": {"0", "1"},
	"phone@type":             {"voice", "fax", "cellphone", "pager"},
	"phone@time":             {"nopreference", "morning", "afternoon", "evening", "day"},
	"phone@preferredcontact": {"0", "1"},
	"address@type":           {"work", "home", "delivery"},
	"contact@primarycontact": {"0", "1"},
	"finance/method":         {"cash", "finance", "lease"},
}

// aliases are spellings real senders use for a DTD value.
var aliases = map[string]map[string]string{
	"phone@type":     {"phone": "voice", "cell": "cellphone", "mobile": "cellphone", "cellular": "cellphone"},
	"odometer@units": {"miles": "mi", "mile": "mi", "kilometers": "km", "kilometres": "km"},
	"vehicle@interest": {
		"tradein": "trade-in", "trade in": "trade-in", "trade": "trade-in",
		"testdrive": "test-drive", "test drive": "test-drive", "purchase": "buy",
	},
	"name@part": {"firstname": "first", "lastname": "last", "middlename": "middle"},
}

// Canonical returns the DTD spelling of value for field ("vehicle@status",
// "phone@type", "condition", …; see the DTD table in the package doc): the
// value itself when it is canonical, a case or spelling variant mapped to its
// DTD form ("Used" → "used", "cell" → "cellphone"), and ok=false when the
// value is not one of the field's values in any spelling (or the field has
// no enumeration). Leading and trailing white space is ignored.
func Canonical(field, value string) (canon string, ok bool) {
	vals, known := enums[field]
	if !known || vals == nil {
		return "", false
	}
	v := strings.TrimSpace(value)
	for _, c := range vals {
		if strings.EqualFold(v, c) {
			return c, true
		}
	}
	if c, ok := aliases[field][strings.ToLower(v)]; ok {
		return c, true
	}
	return "", false
}

// Validate reports every deviation of d from the ADF 1.0 DTD (and from the
// formats the specification prescribes for dates, years, currencies and
// country codes), in document order. A nil or empty result means d is valid.
// Validation is apart from Read so that a lead that deviates is still read,
// and the report can tell a vendor "your provider sends X".
func Validate(d *Document) []Issue {
	v := &validator{}
	if len(d.Prospects) == 0 {
		v.add("adf/prospect", Missing, "")
	}
	v.ext("adf", &d.Ext)
	for i := range d.Prospects {
		v.prospect(fmt.Sprintf("prospect[%d]", i), &d.Prospects[i])
	}
	return v.issues
}

type validator struct{ issues []Issue }

func (v *validator) add(path string, k IssueKind, value string, allowed ...string) {
	v.issues = append(v.issues, Issue{Path: path, Kind: k, Value: value, Allowed: allowed})
}

// enum checks an enumerated value; "" is fine (absent means the default or
// "implied").
func (v *validator) enum(path, field, value string) {
	if value == "" {
		return
	}
	vals := enums[field]
	if slices.Contains(vals, value) {
		return
	}
	if _, ok := Canonical(field, value); ok {
		v.add(path, NonCanonical, value, vals...)
		return
	}
	v.add(path, NotAllowed, value, vals...)
}

func (v *validator) required(path, value string) {
	if strings.TrimSpace(value) == "" {
		v.add(path, Missing, "")
	}
}

func (v *validator) ext(path string, e *Extensions) {
	for _, a := range e.Attrs {
		p := path + "/@" + a.Name
		if a.Elem != "" {
			p = path + "/" + a.Elem + "/@" + a.Name
		}
		v.add(p, Extension, a.Value)
	}
	for _, n := range e.Elements {
		if n.Name == "" {
			v.add(path+"/text()", Extension, n.Text)
			continue
		}
		v.add(path+"/"+n.Name, Extension, "")
	}
}

func (v *validator) prospect(path string, p *Prospect) {
	v.enum(path+"/@status", "prospect@status", p.Status)
	v.ext(path, &p.Ext)
	v.ids(path, p.IDs)
	v.required(path+"/requestdate", p.RequestDate)
	if p.RequestDate != "" {
		if _, err := ParseDate(p.RequestDate); err != nil {
			v.add(path+"/requestdate", BadFormat, p.RequestDate)
		}
	}
	// A resend carries only its id and request date (specification p.6).
	resend, _ := Canonical("prospect@status", p.Status)
	if resend == "resend" && len(p.Vehicles) == 0 && p.Customer == nil && p.Vendor == nil {
		return
	}
	if len(p.Vehicles) == 0 {
		v.add(path+"/vehicle", Missing, "")
	}
	for i := range p.Vehicles {
		v.vehicle(fmt.Sprintf("%s/vehicle[%d]", path, i), &p.Vehicles[i])
	}
	if p.Customer == nil {
		v.add(path+"/customer", Missing, "")
	} else {
		c := p.Customer
		cp := path + "/customer"
		v.ext(cp, &c.Ext)
		if c.Contact == nil {
			v.add(cp+"/contact", Missing, "")
		} else {
			v.contact(cp+"/contact", c.Contact)
		}
		v.ids(cp, c.IDs)
		if tf := c.Timeframe; tf != nil {
			tp := cp + "/timeframe"
			v.ext(tp, &tf.Ext)
			for _, d := range [][2]string{{"earliestdate", tf.EarliestDate}, {"latestdate", tf.LatestDate}} {
				if d[1] != "" {
					if _, err := ParseDate(d[1]); err != nil {
						v.add(tp+"/"+d[0], BadFormat, d[1])
					}
				}
			}
		}
	}
	if p.Vendor == nil {
		v.add(path+"/vendor", Missing, "")
	} else {
		vp := path + "/vendor"
		v.ext(vp, &p.Vendor.Ext)
		v.ids(vp, p.Vendor.IDs)
		v.required(vp+"/vendorname", p.Vendor.VendorName)
		if p.Vendor.Contact == nil {
			v.add(vp+"/contact", Missing, "")
		} else {
			v.contact(vp+"/contact", p.Vendor.Contact)
		}
	}
	if pr := p.Provider; pr != nil {
		pp := path + "/provider"
		v.ext(pp, &pr.Ext)
		v.ids(pp, pr.IDs)
		if pr.Name == nil {
			v.add(pp+"/name", Missing, "")
		} else {
			v.name(pp+"/name", pr.Name)
		}
		if pr.Email != nil {
			v.email(pp+"/email", pr.Email)
		}
		if pr.Phone != nil {
			v.phone(pp+"/phone", pr.Phone)
		}
		if pr.Contact != nil {
			v.contact(pp+"/contact", pr.Contact)
		}
	}
}

func (v *validator) ids(path string, ids []ID) {
	for i := range ids {
		ip := fmt.Sprintf("%s/id[%d]", path, i)
		v.ext(ip, &ids[i].Ext)
		// The DTD leaves @source implied; the specification's table says
		// it is required, and without it an ID cannot be told apart.
		v.required(ip+"/@source", ids[i].Source)
		if s := ids[i].Sequence; s != "" {
			if n, err := strconv.Atoi(s); err != nil || n < 1 {
				v.add(ip+"/@sequence", BadFormat, s)
			}
		}
	}
}

func (v *validator) vehicle(path string, vh *Vehicle) {
	v.enum(path+"/@interest", "vehicle@interest", vh.Interest)
	v.enum(path+"/@status", "vehicle@status", vh.Status)
	v.ext(path, &vh.Ext)
	v.ids(path, vh.IDs)
	v.required(path+"/year", vh.Year)
	if y := strings.TrimSpace(vh.Year); y != "" {
		if n, err := strconv.Atoi(y); err != nil || len(y) != 4 || n < 1886 {
			v.add(path+"/year", BadFormat, vh.Year)
		}
	}
	v.required(path+"/make", vh.Make)
	v.required(path+"/model", vh.Model)
	if o := vh.Odometer; o != nil {
		op := path + "/odometer"
		v.ext(op, &o.Ext)
		v.enum(op+"/@status", "odometer@status", o.Status)
		v.enum(op+"/@units", "odometer@units", o.Units)
		if _, err := strconv.ParseUint(strings.TrimSpace(o.Value), 10, 64); err != nil {
			v.add(op, BadFormat, o.Value)
		}
	}
	v.enum(path+"/condition", "condition", vh.Condition)
	for i := range vh.ColorCombinations {
		cc := &vh.ColorCombinations[i]
		cp := fmt.Sprintf("%s/colorcombination[%d]", path, i)
		v.ext(cp, &cc.Ext)
		if cc.InteriorColor == "" && cc.ExteriorColor == "" {
			v.add(cp+"/exteriorcolor", Missing, "")
		}
		v.required(cp+"/preference", cc.Preference)
		if p := cc.Preference; p != "" {
			if n, err := strconv.Atoi(strings.TrimSpace(p)); err != nil || n < 1 {
				v.add(cp+"/preference", BadFormat, p)
			}
		}
	}
	if it := vh.ImageTag; it != nil {
		v.ext(path+"/imagetag", &it.Ext)
	}
	if vh.Price != nil {
		v.price(path+"/price", vh.Price)
	}
	for i := range vh.Options {
		o := &vh.Options[i]
		op := fmt.Sprintf("%s/option[%d]", path, i)
		v.ext(op, &o.Ext)
		v.required(op+"/optionname", o.OptionName)
		if w := strings.TrimSpace(o.Weighting); w != "" {
			n, err := strconv.Atoi(w)
			switch {
			case err != nil || n < -100 || n > 100:
				v.add(op+"/weighting", BadFormat, o.Weighting)
			case strings.HasPrefix(w, "+"):
				v.add(op+"/weighting", NonCanonical, o.Weighting)
			}
		}
		if o.Price != nil {
			v.price(op+"/price", o.Price)
		}
	}
	if f := vh.Finance; f != nil {
		fp := path + "/finance"
		v.ext(fp, &f.Ext)
		v.required(fp+"/method", f.Method)
		if _, ok := Canonical("finance/method", f.Method); f.Method != "" && !ok {
			// The DTD leaves method free text; the specification lists
			// these three.
			v.add(fp+"/method", NotAllowed, f.Method, enums["finance/method"]...)
		}
		if len(f.Amounts) == 0 {
			v.add(fp+"/amount", Missing, "")
		}
		for i := range f.Amounts {
			a := &f.Amounts[i]
			ap := fmt.Sprintf("%s/amount[%d]", fp, i)
			v.ext(ap, &a.Ext)
			v.enum(ap+"/@type", "amount@type", a.Type)
			v.enum(ap+"/@limit", "amount@limit", a.Limit)
			v.currency(ap+"/@currency", a.Currency)
		}
		if b := f.Balance; b != nil {
			bp := fp + "/balance"
			v.ext(bp, &b.Ext)
			v.enum(bp+"/@type", "balance@type", b.Type)
			v.currency(bp+"/@currency", b.Currency)
		}
	}
}

func (v *validator) price(path string, p *Price) {
	v.ext(path, &p.Ext)
	v.enum(path+"/@type", "price@type", p.Type)
	v.enum(path+"/@delta", "price@delta", p.Delta)
	v.enum(path+"/@relativeto", "price@relativeto", p.RelativeTo)
	v.currency(path+"/@currency", p.Currency)
}

func (v *validator) currency(path, c string) {
	if c != "" && !isUpper(c, 3) {
		v.add(path, BadFormat, c)
	}
}

func isUpper(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

func (v *validator) contact(path string, c *Contact) {
	v.ext(path, &c.Ext)
	v.enum(path+"/@primarycontact", "contact@primarycontact", c.PrimaryContact)
	if len(c.Names) == 0 {
		v.add(path+"/name", Missing, "")
	}
	for i := range c.Names {
		v.name(fmt.Sprintf("%s/name[%d]", path, i), &c.Names[i])
	}
	if len(c.Emails) == 0 && len(c.Phones) == 0 {
		v.add(path+"/email", Missing, "")
	}
	if len(c.Emails) > 1 {
		for i := 1; i < len(c.Emails); i++ {
			v.add(fmt.Sprintf("%s/email[%d]", path, i), Extension, "")
		}
	}
	for i := range c.Emails {
		v.email(fmt.Sprintf("%s/email[%d]", path, i), &c.Emails[i])
	}
	for i := range c.Phones {
		v.phone(fmt.Sprintf("%s/phone[%d]", path, i), &c.Phones[i])
	}
	if len(c.Addresses) > 1 {
		for i := 1; i < len(c.Addresses); i++ {
			v.add(fmt.Sprintf("%s/address[%d]", path, i), Extension, "")
		}
	}
	for i := range c.Addresses {
		a := &c.Addresses[i]
		ap := fmt.Sprintf("%s/address[%d]", path, i)
		v.ext(ap, &a.Ext)
		v.enum(ap+"/@type", "address@type", a.Type)
		if len(a.Streets) == 0 {
			v.add(ap+"/street", Missing, "")
		}
		if len(a.Streets) > 5 {
			v.add(ap+"/street[5]", Extension, "")
		}
		for j := range a.Streets {
			v.ext(fmt.Sprintf("%s/street[%d]", ap, j), &a.Streets[j].Ext)
		}
		if c := strings.TrimSpace(a.Country); c != "" && !isUpper(c, 2) {
			if isUpper(strings.ToUpper(c), 2) {
				v.add(ap+"/country", NonCanonical, a.Country)
			} else {
				v.add(ap+"/country", BadFormat, a.Country)
			}
		}
	}
}

func (v *validator) name(path string, n *Name) {
	v.ext(path, &n.Ext)
	v.enum(path+"/@part", "name@part", n.Part)
	v.enum(path+"/@type", "name@type", n.Type)
	v.required(path, n.Value)
}

func (v *validator) email(path string, e *Email) {
	v.ext(path, &e.Ext)
	v.enum(path+"/@preferredcontact", "email@preferredcontact", e.PreferredContact)
	v.required(path, e.Value)
}

func (v *validator) phone(path string, p *Phone) {
	v.ext(path, &p.Ext)
	v.enum(path+"/@type", "phone@type", p.Type)
	v.enum(path+"/@time", "phone@time", p.Time)
	v.enum(path+"/@preferredcontact", "phone@preferredcontact", p.PreferredContact)
	v.required(path, p.Value)
}

// ParseDate parses an ADF date: the four ISO 8601 forms of the
// specification (CCYYMMDDThhmmss±hhmm and CCYY-MM-DDThh:mm:ss±hh:mm), with
// "Z" for UTC, fractional seconds, or no seconds as senders write them, and a
// bare date (CCYY-MM-DD or CCYYMMDD, taken as midnight UTC). A time without a
// zone is refused: the instant would be a guess. White space around the value
// is ignored.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, &ParseError{Err: ErrBadDate}
}

var dateLayouts = []string{
	"2006-01-02T15:04:05Z07:00",
	"2006-01-02T15:04:05.999999999Z07:00",
	"20060102T150405-0700",
	"20060102T150405Z0700",
	"2006-01-02T15:04:05-0700",
	"2006-01-02T15:04Z07:00",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02",
	"20060102",
}

// walkExt calls f for the Extensions of every element of d.
func walkExt(d *Document, f func(*Extensions)) {
	f(&d.Ext)
	ids := func(ids []ID) {
		for i := range ids {
			f(&ids[i].Ext)
		}
	}
	contact := func(c *Contact) {
		if c == nil {
			return
		}
		f(&c.Ext)
		for i := range c.Names {
			f(&c.Names[i].Ext)
		}
		for i := range c.Emails {
			f(&c.Emails[i].Ext)
		}
		for i := range c.Phones {
			f(&c.Phones[i].Ext)
		}
		for i := range c.Addresses {
			f(&c.Addresses[i].Ext)
			for j := range c.Addresses[i].Streets {
				f(&c.Addresses[i].Streets[j].Ext)
			}
		}
	}
	for i := range d.Prospects {
		p := &d.Prospects[i]
		f(&p.Ext)
		ids(p.IDs)
		for j := range p.Vehicles {
			vh := &p.Vehicles[j]
			f(&vh.Ext)
			ids(vh.IDs)
			if vh.Odometer != nil {
				f(&vh.Odometer.Ext)
			}
			for k := range vh.ColorCombinations {
				f(&vh.ColorCombinations[k].Ext)
			}
			if vh.ImageTag != nil {
				f(&vh.ImageTag.Ext)
			}
			if vh.Price != nil {
				f(&vh.Price.Ext)
			}
			for k := range vh.Options {
				f(&vh.Options[k].Ext)
				if vh.Options[k].Price != nil {
					f(&vh.Options[k].Price.Ext)
				}
			}
			if fi := vh.Finance; fi != nil {
				f(&fi.Ext)
				for k := range fi.Amounts {
					f(&fi.Amounts[k].Ext)
				}
				if fi.Balance != nil {
					f(&fi.Balance.Ext)
				}
			}
		}
		if c := p.Customer; c != nil {
			f(&c.Ext)
			contact(c.Contact)
			ids(c.IDs)
			if c.Timeframe != nil {
				f(&c.Timeframe.Ext)
			}
		}
		if vd := p.Vendor; vd != nil {
			f(&vd.Ext)
			ids(vd.IDs)
			contact(vd.Contact)
		}
		if pr := p.Provider; pr != nil {
			f(&pr.Ext)
			ids(pr.IDs)
			if pr.Name != nil {
				f(&pr.Name.Ext)
			}
			if pr.Email != nil {
				f(&pr.Email.Ext)
			}
			if pr.Phone != nil {
				f(&pr.Phone.Ext)
			}
			contact(pr.Contact)
		}
	}
}
