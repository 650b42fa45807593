package adf

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strings"
	"unicode/utf8"
)

// ErrWrite is wrapped by Write when a Document cannot be written as XML: an
// element or attribute name in its extensions that is not an XML name, or a
// Version that is not digits and dots.
var ErrWrite = errors.New("cannot write document")

// Write writes d as UTF-8 ADF XML: an XML declaration, the <?adf version?>
// instruction when d.Version is set, then the elements in the order of the
// ADF 1.0 DTD, indented. Values are written as they are held (use
// [Canonical] first to write DTD spellings); empty values and nil elements
// are left out; each element's extensions follow its DTD children, in order.
//
// Reading what Write wrote gives a Document equal to d whenever d came from
// Read: read → write → read is the identity on the second read.
func Write(w io.Writer, d *Document) error {
	if err := checkNames(d); err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	wr := &writer{w: bw}
	wr.raw(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	if d.Version != "" {
		wr.raw(`<?adf version="` + d.Version + `"?>` + "\n")
	}
	wr.open("adf", nil, &d.Ext)
	for i := range d.Prospects {
		wr.prospect(&d.Prospects[i])
	}
	wr.close("adf", &d.Ext)
	wr.raw("\n")
	return bw.Flush()
}

// Marshal is Write into a byte slice.
func Marshal(d *Document) ([]byte, error) {
	var b bytes.Buffer
	if err := Write(&b, d); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

type writer struct {
	w     *bufio.Writer
	depth int
}

func (w *writer) raw(s string) { w.w.WriteString(s) }

func (w *writer) indent() {
	w.w.WriteByte('\n')
	for range w.depth {
		w.w.WriteByte('\t')
	}
}

// attrs writes the named attributes that are set, then the element's
// extension attributes (those not belonging to a child).
func (w *writer) attrs(named [][2]string, ext *Extensions) {
	for _, a := range named {
		if a[1] != "" {
			w.attr(a[0], a[1])
		}
	}
	if ext != nil {
		for _, a := range ext.Attrs {
			if a.Elem == "" {
				w.attr(a.Name, a.Value)
			}
		}
	}
}

func (w *writer) attr(name, value string) {
	w.raw(" " + name + `="`)
	escape(w.w, value, true)
	w.raw(`"`)
}

func (w *writer) open(name string, named [][2]string, ext *Extensions) {
	if w.depth > 0 {
		w.indent()
	}
	w.raw("<" + name)
	w.attrs(named, ext)
	w.raw(">")
	w.depth++
}

// close writes the extension elements, then the end tag.
func (w *writer) close(name string, ext *Extensions) {
	for i := range ext.Elements {
		w.indent()
		writeNode(w.w, &ext.Elements[i])
	}
	w.depth--
	w.indent()
	w.raw("</" + name + ">")
}

// leaf writes a text-only child when it has a value or attributes, with the
// attributes parent's extensions keep for it.
func (w *writer) leaf(name, value string, parent *Extensions) {
	var attrs []Attr
	for _, a := range parent.Attrs {
		if a.Elem == name {
			attrs = append(attrs, a)
		}
	}
	if value == "" && len(attrs) == 0 {
		return
	}
	w.indent()
	w.raw("<" + name)
	for _, a := range attrs {
		w.attr(a.Name, a.Value)
	}
	w.raw(">")
	escape(w.w, value, false)
	w.raw("</" + name + ">")
}

// text writes a text element with attributes (name, phone, price, …).
func (w *writer) text(name string, named [][2]string, value string, ext *Extensions) {
	w.indent()
	w.raw("<" + name)
	w.attrs(named, ext)
	w.raw(">")
	escape(w.w, value, false)
	for i := range ext.Elements { // none from Read; kept if a caller adds some
		writeNode(w.w, &ext.Elements[i])
	}
	w.raw("</" + name + ">")
}

func (w *writer) prospect(p *Prospect) {
	w.open("prospect", [][2]string{{"status", p.Status}}, &p.Ext)
	for i := range p.IDs {
		w.id(&p.IDs[i])
	}
	w.leaf("requestdate", p.RequestDate, &p.Ext)
	for i := range p.Vehicles {
		w.vehicle(&p.Vehicles[i])
	}
	if c := p.Customer; c != nil {
		w.open("customer", nil, &c.Ext)
		if c.Contact != nil {
			w.contact(c.Contact)
		}
		for i := range c.IDs {
			w.id(&c.IDs[i])
		}
		if tf := c.Timeframe; tf != nil {
			w.open("timeframe", nil, &tf.Ext)
			if tf.Text != "" {
				w.indent()
				escape(w.w, tf.Text, false)
			}
			w.leaf("description", tf.Description, &tf.Ext)
			w.leaf("earliestdate", tf.EarliestDate, &tf.Ext)
			w.leaf("latestdate", tf.LatestDate, &tf.Ext)
			w.close("timeframe", &tf.Ext)
		}
		w.leaf("comments", c.Comments, &c.Ext)
		w.close("customer", &c.Ext)
	}
	if v := p.Vendor; v != nil {
		w.open("vendor", nil, &v.Ext)
		for i := range v.IDs {
			w.id(&v.IDs[i])
		}
		w.leaf("vendorname", v.VendorName, &v.Ext)
		w.leaf("url", v.URL, &v.Ext)
		if v.Contact != nil {
			w.contact(v.Contact)
		}
		w.close("vendor", &v.Ext)
	}
	if pr := p.Provider; pr != nil {
		w.open("provider", nil, &pr.Ext)
		for i := range pr.IDs {
			w.id(&pr.IDs[i])
		}
		if pr.Name != nil {
			w.name(pr.Name)
		}
		w.leaf("service", pr.Service, &pr.Ext)
		w.leaf("url", pr.URL, &pr.Ext)
		if pr.Email != nil {
			w.email(pr.Email)
		}
		if pr.Phone != nil {
			w.phone(pr.Phone)
		}
		if pr.Contact != nil {
			w.contact(pr.Contact)
		}
		w.close("provider", &pr.Ext)
	}
	w.close("prospect", &p.Ext)
}

func (w *writer) id(id *ID) {
	w.text("id", [][2]string{{"sequence", id.Sequence}, {"source", id.Source}}, id.Value, &id.Ext)
}

func (w *writer) vehicle(v *Vehicle) {
	w.open("vehicle", [][2]string{{"interest", v.Interest}, {"status", v.Status}}, &v.Ext)
	for i := range v.IDs {
		w.id(&v.IDs[i])
	}
	w.leaf("year", v.Year, &v.Ext)
	w.leaf("make", v.Make, &v.Ext)
	w.leaf("model", v.Model, &v.Ext)
	w.leaf("vin", v.VIN, &v.Ext)
	w.leaf("stock", v.Stock, &v.Ext)
	w.leaf("trim", v.Trim, &v.Ext)
	w.leaf("doors", v.Doors, &v.Ext)
	w.leaf("bodystyle", v.BodyStyle, &v.Ext)
	w.leaf("transmission", v.Transmission, &v.Ext)
	if o := v.Odometer; o != nil {
		w.text("odometer", [][2]string{{"status", o.Status}, {"units", o.Units}}, o.Value, &o.Ext)
	}
	w.leaf("condition", v.Condition, &v.Ext)
	for i := range v.ColorCombinations {
		cc := &v.ColorCombinations[i]
		w.open("colorcombination", nil, &cc.Ext)
		w.leaf("interiorcolor", cc.InteriorColor, &cc.Ext)
		w.leaf("exteriorcolor", cc.ExteriorColor, &cc.Ext)
		w.leaf("preference", cc.Preference, &cc.Ext)
		w.close("colorcombination", &cc.Ext)
	}
	if it := v.ImageTag; it != nil {
		w.text("imagetag", [][2]string{{"width", it.Width}, {"height", it.Height}, {"alttext", it.AltText}}, it.Value, &it.Ext)
	}
	if v.Price != nil {
		w.price(v.Price)
	}
	w.leaf("pricecomments", v.PriceComments, &v.Ext)
	for i := range v.Options {
		o := &v.Options[i]
		w.open("option", nil, &o.Ext)
		w.leaf("optionname", o.OptionName, &o.Ext)
		w.leaf("manufacturercode", o.ManufacturerCode, &o.Ext)
		w.leaf("stock", o.Stock, &o.Ext)
		w.leaf("weighting", o.Weighting, &o.Ext)
		if o.Price != nil {
			w.price(o.Price)
		}
		w.close("option", &o.Ext)
	}
	if f := v.Finance; f != nil {
		w.open("finance", nil, &f.Ext)
		w.leaf("method", f.Method, &f.Ext)
		for i := range f.Amounts {
			a := &f.Amounts[i]
			w.text("amount", [][2]string{{"type", a.Type}, {"limit", a.Limit}, {"currency", a.Currency}}, a.Value, &a.Ext)
		}
		if b := f.Balance; b != nil {
			w.text("balance", [][2]string{{"type", b.Type}, {"currency", b.Currency}}, b.Value, &b.Ext)
		}
		w.close("finance", &f.Ext)
	}
	w.leaf("comments", v.Comments, &v.Ext)
	w.close("vehicle", &v.Ext)
}

func (w *writer) price(p *Price) {
	w.text("price", [][2]string{
		{"type", p.Type}, {"currency", p.Currency}, {"delta", p.Delta},
		{"relativeto", p.RelativeTo}, {"source", p.Source},
	}, p.Value, &p.Ext)
}

func (w *writer) contact(c *Contact) {
	w.open("contact", [][2]string{{"primarycontact", c.PrimaryContact}}, &c.Ext)
	for i := range c.Names {
		w.name(&c.Names[i])
	}
	for i := range c.Emails {
		w.email(&c.Emails[i])
	}
	for i := range c.Phones {
		w.phone(&c.Phones[i])
	}
	for i := range c.Addresses {
		a := &c.Addresses[i]
		w.open("address", [][2]string{{"type", a.Type}}, &a.Ext)
		for j := range a.Streets {
			s := &a.Streets[j]
			w.text("street", [][2]string{{"line", s.Line}}, s.Value, &s.Ext)
		}
		w.leaf("apartment", a.Apartment, &a.Ext)
		w.leaf("city", a.City, &a.Ext)
		w.leaf("regioncode", a.RegionCode, &a.Ext)
		w.leaf("postalcode", a.PostalCode, &a.Ext)
		w.leaf("country", a.Country, &a.Ext)
		w.close("address", &a.Ext)
	}
	w.close("contact", &c.Ext)
}

func (w *writer) name(n *Name) {
	w.text("name", [][2]string{{"part", n.Part}, {"type", n.Type}}, n.Value, &n.Ext)
}

func (w *writer) email(e *Email) {
	w.text("email", [][2]string{{"preferredcontact", e.PreferredContact}}, e.Value, &e.Ext)
}

func (w *writer) phone(p *Phone) {
	w.text("phone", [][2]string{{"type", p.Type}, {"time", p.Time}, {"preferredcontact", p.PreferredContact}}, p.Value, &p.Ext)
}

type byteWriter interface {
	io.Writer
	io.ByteWriter
	io.StringWriter
}

// writeNode writes an extension node compactly (no added white space, which
// would change its text on the next read).
func writeNode(w byteWriter, n *Node) {
	if n.Name == "" {
		escape(w, n.Text, false)
		return
	}
	w.WriteString("<" + n.Name)
	for _, a := range n.Attrs {
		w.WriteString(" " + a.Name + `="`)
		escape(w, a.Value, true)
		w.WriteByte('"')
	}
	w.WriteByte('>')
	for i := range n.Children {
		writeNode(w, &n.Children[i])
	}
	w.WriteString("</" + n.Name + ">")
}

// escape writes s as XML character data (or an attribute value): markup
// characters become entities, carriage returns (and in attributes, all line
// breaks and tabs) become character references so that they survive XML's
// line-end and attribute normalization, and characters XML cannot carry
// become U+FFFD.
func escape(w byteWriter, s string, attr bool) {
	last := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		var esc string
		switch {
		case r == '&':
			esc = "&amp;"
		case r == '<':
			esc = "&lt;"
		case r == '>':
			esc = "&gt;"
		case r == '"' && attr:
			esc = "&quot;"
		case r == '\r':
			esc = "&#xD;"
		case r == '\n' && attr:
			esc = "&#xA;"
		case r == '\t' && attr:
			esc = "&#x9;"
		case r == '\n' || r == '\t':
		case !isXMLChar(r) || (r == utf8.RuneError && size == 1):
			esc = "\uFFFD"
		}
		if esc != "" {
			w.WriteString(s[last:i])
			w.WriteString(esc)
			last = i + size
		}
		i += size
	}
	w.WriteString(s[last:])
}

func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

// checkNames refuses a Document that would not write as well-formed XML.
func checkNames(d *Document) error {
	for _, c := range d.Version {
		if c != '.' && (c < '0' || c > '9') {
			return &ParseError{Path: "adf", Err: ErrWrite}
		}
	}
	var bad bool
	var walkNode func(n *Node)
	walkNode = func(n *Node) {
		if n.Name != "" && !isXMLName(n.Name) {
			bad = true
		}
		for _, a := range n.Attrs {
			if !isXMLName(a.Name) {
				bad = true
			}
		}
		for i := range n.Children {
			walkNode(&n.Children[i])
		}
	}
	walkExt(d, func(e *Extensions) {
		for _, a := range e.Attrs {
			if !isXMLName(a.Name) {
				bad = true
			}
		}
		for i := range e.Elements {
			walkNode(&e.Elements[i])
		}
	})
	if bad {
		return &ParseError{Path: "adf", Err: ErrWrite}
	}
	return nil
}

// isXMLName reports whether s is an XML name (ASCII-strict for the first
// character's punctuation, permissive for letters), optionally prefixed.
func isXMLName(s string) bool {
	if s == "" || strings.Count(s, ":") > 1 {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_' || r == ':' || r >= 0x80 && r != utf8.RuneError && isXMLChar(r) && r != 0xFFFD && !isSpaceRune(r),
			'a' <= r && r <= 'z', 'A' <= r && r <= 'Z':
		case i > 0 && (r == '-' || r == '.' || '0' <= r && r <= '9'):
		default:
			return false
		}
	}
	return s[0] != ':' && s[len(s)-1] != ':'
}

func isSpaceRune(r rune) bool {
	return r == 0x85 || r == 0xA0 || r >= 0x2000 && r <= 0x200A || r == 0x3000
}

// XML returns n as XML text, compactly (a text node as escaped text).
func (n Node) XML() string {
	var b strings.Builder
	writeNode(&b, &n)
	return b.String()
}

// MarshalProspect writes one prospect alone (no XML declaration), in the
// form Write gives it; the Book uses it to derive a stable key for a lead
// that carries no ID.
func MarshalProspect(p *Prospect) ([]byte, error) {
	var b bytes.Buffer
	bw := bufio.NewWriter(&b)
	if err := checkNames(&Document{Prospects: []Prospect{*p}}); err != nil {
		return nil, err
	}
	w := &writer{w: bw}
	w.prospect(p)
	if err := bw.Flush(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
