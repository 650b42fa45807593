package adf

// Document is one ADF file: the <adf> element with its prospects. A file
// whose root is a bare <prospect> reads as a Document with one prospect.
//
// Every string field holds the text exactly as it was sent (entities and
// CDATA resolved, white space kept), so a vendor can show what its provider
// really sends; [Canonical] maps enumerated values to their DTD spelling, and
// [Validate] reports each deviation from the DTD.
type Document struct {
	// Version is the version from an <?adf version="…"?> processing
	// instruction; "" when the document has none.
	Version   string
	Prospects []Prospect
	Ext       Extensions
}

// Extensions holds what the ADF 1.0 DTD has no place for on one element, in
// document order, so that reading never drops data and writing puts it back.
type Extensions struct {
	// Attrs are attributes the DTD does not declare on this element, and
	// attributes found on its text-only children (Attr.Elem names the child,
	// by its DTD name).
	Attrs []Attr
	// Elements are child elements the DTD does not declare here, repeats of
	// an element the DTD allows once (the first one fills the field), and
	// text found between child elements (a Node with an empty Name).
	Elements []Node
}

// Attr is one attribute as sent: Name keeps its case and any prefix
// ("xmlns:x", "Besttime").
type Attr struct {
	Elem  string // for an attribute of a text-only child: that child's DTD name
	Name  string
	Value string
}

// Node is an element kept verbatim (name as sent, attributes and children in
// order), or a run of text when Name is "".
type Node struct {
	Name     string
	Attrs    []Attr
	Text     string // the text of a text node
	Children []Node
}

// Prospect is one lead.
type Prospect struct {
	Status      string // prospect@status: new (default), resend
	IDs         []ID
	RequestDate string // ISO 8601, see ParseDate
	Vehicles    []Vehicle
	Customer    *Customer
	Vendor      *Vendor
	Provider    *Provider
	Ext         Extensions
}

// ID is an identifier assigned by a party (id@source) to a prospect,
// vehicle, customer, vendor or provider.
type ID struct {
	Sequence string
	Source   string
	Value    string
	Ext      Extensions
}

// Vehicle is a vehicle of interest (or a trade-in: see Interest).
type Vehicle struct {
	Interest          string // buy (default), lease, sell, trade-in, test-drive
	Status            string // new (default), used
	IDs               []ID
	Year              string
	Make              string
	Model             string
	VIN               string
	Stock             string
	Trim              string
	Doors             string
	BodyStyle         string
	Transmission      string
	Odometer          *Odometer
	Condition         string // excellent, good, fair, poor, unknown
	ColorCombinations []ColorCombination
	ImageTag          *ImageTag
	Price             *Price
	PriceComments     string
	Options           []Option
	Finance           *Finance
	Comments          string
	Ext               Extensions
}

// Odometer is a reading with its units.
type Odometer struct {
	Status string // unknown, rolledover, replaced, original
	Units  string // km, mi
	Value  string
	Ext    Extensions
}

// ColorCombination is one acceptable interior/exterior pair, ranked by
// Preference (1 is the favourite).
type ColorCombination struct {
	InteriorColor string
	ExteriorColor string
	Preference    string
	Ext           Extensions
}

// ImageTag is a picture of the vehicle (Value is its URL).
type ImageTag struct {
	Width   string
	Height  string
	AltText string
	Value   string
	Ext     Extensions
}

// Price is a price with its kind and currency (ISO 4217).
type Price struct {
	Type       string // quote (default), offer, msrp, invoice, call, appraisal, asking
	Currency   string
	Delta      string // absolute, relative, percentage
	RelativeTo string // msrp, invoice
	Source     string
	Value      string
	Ext        Extensions
}

// Option is an option the customer wants (or does not: Weighting runs from
// -100, essential not to have, to +100, essential to have).
type Option struct {
	OptionName       string
	ManufacturerCode string
	Stock            string
	Weighting        string
	Price            *Price
	Ext              Extensions
}

// Finance is how the customer means to pay.
type Finance struct {
	Method  string // cash, finance, lease
	Amounts []Amount
	Balance *Balance
	Ext     Extensions
}

// Amount is a finance amount.
type Amount struct {
	Type     string // total (default), downpayment, monthly
	Limit    string // maximum (default), minimum, exact
	Currency string
	Value    string
	Ext      Extensions
}

// Balance is a finance or residual balance.
type Balance struct {
	Type     string // finance (default), residual
	Currency string
	Value    string
	Ext      Extensions
}

// Customer is the person or business the lead is about.
type Customer struct {
	Contact   *Contact
	IDs       []ID
	Timeframe *Timeframe
	Comments  string
	Ext       Extensions
}

// Timeframe is when the customer means to buy. The DTD declares it as
// text; the specification's examples give it children, so both are kept.
type Timeframe struct {
	Text         string // text directly inside <timeframe>
	Description  string
	EarliestDate string
	LatestDate   string
	Ext          Extensions
}

// Vendor is the dealership the lead is for.
type Vendor struct {
	IDs        []ID
	VendorName string
	URL        string
	Contact    *Contact
	Ext        Extensions
}

// Provider is the lead provider (the service that generated the lead).
type Provider struct {
	IDs     []ID
	Name    *Name
	Service string
	URL     string
	Email   *Email
	Phone   *Phone
	Contact *Contact
	Ext     Extensions
}

// Contact is how to reach a person. The DTD allows one address; senders
// repeat it, so all are kept.
type Contact struct {
	PrimaryContact string // 1 or 0 (the specification's table; not in the DTD)
	Names          []Name
	Emails         []Email
	Phones         []Phone
	Addresses      []Address
	Ext            Extensions
}

// Name is one part of a name.
type Name struct {
	Part  string // full (default), surname, first, middle, last
	Type  string // individual (default), business
	Value string
	Ext   Extensions
}

// Email is an email address.
type Email struct {
	PreferredContact string // 0 (default) or 1
	Value            string
	Ext              Extensions
}

// Phone is a phone number.
type Phone struct {
	Type             string // voice (default), fax, cellphone, pager
	Time             string // nopreference (default), morning, afternoon, evening, day
	PreferredContact string // 0 (default) or 1
	Value            string
	Ext              Extensions
}

// Address is a postal address.
type Address struct {
	Type       string // work, home, delivery
	Streets    []Street
	Apartment  string
	City       string
	RegionCode string
	PostalCode string
	Country    string // ISO 3166 alpha-2
	Ext        Extensions
}

// Street is one street line (street@line numbers them 1 to 5).
type Street struct {
	Line  string
	Value string
	Ext   Extensions
}
