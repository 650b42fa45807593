package dms

import (
	"fmt"
	"slices"
	"strings"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
)

// FileKind is what one export file holds.
type FileKind string

// The kinds of export file.
const (
	Customers FileKind = "customers" // the customer list
	Vehicles  FileKind = "vehicles"  // vehicles with their owners and ownership dates
	Sales     FileKind = "sales"     // vehicle sales (deals): customer, vehicle, date
	Service   FileKind = "service"   // service repair orders: customer, vehicle, dates
)

// Field is a value rapport reads from a column. The names are stable: a
// custom mapping names them.
type Field string

// The fields a mapping can fill.
const (
	CustomerNumber Field = "customer_number" // the DMS's own customer ID
	PartyType      Field = "party_type"      // I / B (Reynolds IBFlag), individual / business
	FirstName      Field = "first_name"
	MiddleName     Field = "middle_name"
	LastName       Field = "last_name" // for a business (party type B) the business name, as Reynolds stores it
	FullName       Field = "full_name"
	BusinessName   Field = "business_name"
	Email          Field = "email"
	Email2         Field = "email2"
	HomePhone      Field = "home_phone"
	CellPhone      Field = "cell_phone"
	WorkPhone      Field = "work_phone"
	Address1       Field = "address1"
	Address2       Field = "address2"
	City           Field = "city"
	Region         Field = "region" // state or province
	PostalCode     Field = "postal_code"
	Country        Field = "country"

	VIN            Field = "vin"
	Year           Field = "year"
	Make           Field = "make"
	Model          Field = "model"
	Trim           Field = "trim"
	Odometer       Field = "odometer"
	StockNumber    Field = "stock_number"
	OwnershipStart Field = "ownership_start" // when the customer became the vehicle's owner
	OwnershipEnd   Field = "ownership_end"   // when that ended (sold, traded in)

	DealNumber  Field = "deal_number"
	SaleDate    Field = "sale_date"
	SaleType    Field = "sale_type" // new / used, retail / lease, as the DMS writes it
	RONumber    Field = "ro_number"
	ROOpenDate  Field = "ro_open_date"
	ROCloseDate Field = "ro_close_date"
	Total       Field = "total"
	PayType     Field = "pay_type" // customer / warranty / internal
	Advisor     Field = "advisor"  // the service advisor's or salesperson's name
	Comments    Field = "comments"
)

// Polarity says which way a consent column reads.
type Polarity string

// The polarities of consent columns.
const (
	// Allow: "Y" means the customer may be contacted (Dealertrack
	// AllowContactByEmail).
	Allow Polarity = "allow"
	// Block: "Y" means the customer must not be contacted (DealerVault
	// Block Email, CDK doNotContact.email).
	Block Polarity = "block"
)

// ConsentFlag declares one consent column: the channel it speaks for, the
// address fields it covers and which way it reads. Each flag becomes one
// consent event per address it covers, never more: a phone flag covers
// voice only, so an SMS consent is never derived from it (the DMS did not
// ask about texts; FCC rules link the other way, from a revoked call consent
// to texts, which the consent policy applies at decision time).
type ConsentFlag struct {
	Column  string       // the header, matched as columns are
	Channel channel.Kind // the channel, or consent.AllChannels
	// Fields are the address fields the flag covers. Empty means every
	// address of the row that supports Channel (with AllChannels: every
	// address of the row).
	Fields   []Field
	Polarity Polarity
}

// Mapping declares how one export file's columns become records. The
// presets ([Preset]) cover the systems rapport knows; a custom mapping is a
// Mapping value built by hand (see Validate for the rules).
//
// Header names match ignoring case, spaces and punctuation, so
// "Block Email", "block_email" and "BLOCKEMAIL" are one column.
type Mapping struct {
	// System names the source system ("cdk", "dealertrack"); it becomes
	// the customers' external-ID system and the consent evidence's source
	// ("dms:" + System). One lower-case word.
	System string
	Kind   FileKind
	// Columns maps each field to its header.
	Columns map[Field]string
	// Consent lists the consent columns.
	Consent []ConsentFlag
	// DateLayouts are the Go time layouts dates are written in, tried in
	// order; nil means the common ones (2006-01-02, 01/02/2006, 20060102,
	// with or without a time).
	DateLayouts []string
	// Region is the ISO 3166 region phone numbers without a country code are
	// read in; "" means "US".
	Region string
}

// Validate reports whether m can read a file: a System that is one
// lower-case word, a known Kind, headers for the fields the Kind needs
// (customers: customer_number or a name field; vehicles: vin; sales:
// sale_date; service: ro_number and ro_open_date), consent flags with a
// column, a channel, a polarity and only address fields, and no header
// named twice. The error is a *ValidationError naming the field, wrapping
// ErrInvalidMapping.
func (m *Mapping) Validate() error {
	if !isWord(m.System) {
		return invalidMapping("system", "not one lower-case word")
	}
	groups, ok := requiredFields[m.Kind]
	if !ok {
		return invalidMapping("kind", "unknown file kind")
	}
	for _, g := range groups {
		if !slices.ContainsFunc(g, func(f Field) bool { return m.Columns[f] != "" }) {
			return invalidMapping("columns."+string(g[0]), "no column for a field this kind of file needs")
		}
	}
	seen := map[string]string{}
	use := func(field, header string) error {
		k := headerKey(header)
		if k == "" {
			return invalidMapping(field, "empty header")
		}
		if prev, dup := seen[k]; dup {
			return invalidMapping(field, "header also used for "+prev)
		}
		seen[k] = field
		return nil
	}
	for _, f := range sortedFields(m.Columns) {
		if !slices.Contains(allFields, f) {
			return invalidMapping("columns."+string(f), "unknown field")
		}
		if err := use("columns."+string(f), m.Columns[f]); err != nil {
			return err
		}
	}
	for i, c := range m.Consent {
		name := fmt.Sprintf("consent[%d]", i)
		if err := use(name+".column", c.Column); err != nil {
			return err
		}
		if c.Channel != consent.AllChannels && !c.Channel.Known() {
			return invalidMapping(name+".channel", "unknown channel")
		}
		if c.Polarity != Allow && c.Polarity != Block {
			return invalidMapping(name+".polarity", "neither allow nor block")
		}
		for _, f := range c.Fields {
			if !slices.Contains(addressFields, f) {
				return invalidMapping(name+".fields", "not an address field")
			}
		}
	}
	return nil
}

func invalidMapping(field, why string) error {
	return &ValidationError{Field: field, Err: fmt.Errorf("%w: %s", ErrInvalidMapping, why)}
}

// requiredFields lists, per kind of file, groups of fields of which the
// file must have at least one column each.
var requiredFields = map[FileKind][][]Field{
	Customers: {{CustomerNumber, FirstName, LastName, FullName, BusinessName}},
	Vehicles:  {{VIN}},
	Sales:     {{SaleDate}},
	Service:   {{RONumber}, {ROOpenDate}},
}

var allFields = []Field{
	CustomerNumber, PartyType, FirstName, MiddleName, LastName, FullName, BusinessName,
	Email, Email2, HomePhone, CellPhone, WorkPhone, Address1, Address2, City, Region, PostalCode, Country,
	VIN, Year, Make, Model, Trim, Odometer, StockNumber, OwnershipStart, OwnershipEnd,
	DealNumber, SaleDate, SaleType, RONumber, ROOpenDate, ROCloseDate, Total, PayType, Advisor, Comments,
}

// addressFields are the fields holding a contact address, in the order
// addresses are added to a customer.
var addressFields = []Field{CellPhone, HomePhone, WorkPhone, Email, Email2}

func sortedFields(m map[Field]string) []Field {
	out := make([]Field, 0, len(m))
	for f := range m {
		out = append(out, f)
	}
	slices.Sort(out)
	return out
}

func isWord(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// headerKey folds a header for matching: letters and digits only, lower
// case.
func headerKey(h string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(h) {
		if 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || r > 0x7f && r != 0xfeff {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// System names a DMS rapport has presets for.
type System string

// The systems with presets.
const (
	CDK         System = "cdk"
	Dealertrack System = "dealertrack"
	DealerVault System = "dealervault"
	Reynolds    System = "reynolds"
)

// Systems returns the systems [Preset] knows, in a stable order.
func Systems() []System { return []System{CDK, Dealertrack, DealerVault, Reynolds} }

// Preset returns the column mapping for an export of kind from system, as
// a new value the caller may change (add columns, set Region). The headers
// are those integrators' public code reads from each system's exports:
//
//   - CDK: Email1, HomePhone, user.sms (the texting number), MakeName,
//     DealEvent1Date (YYYY-MM-DD); consent doNotContact.ever / .sms /
//     .email, "true" meaning do not contact;
//   - Dealertrack: BuyerCustomerNumber, BuyerFirstName, PhoneNumber,
//     CellPhone, DealDate (YYYYMMDD); consent AllowContactByEmail / Phone /
//     Postal = Y/N;
//   - DealerVault: "Customer Number", "Home Phone", "Contract Date"
//     (MM/DD/YYYY); consent "Block Email" / "Block Phone" / "Block Mail" =
//     Y/N, Y meaning do not contact;
//   - Reynolds (ERA exports flattened to CSV): CustNo, IBFlag, Addr1, Zip,
//     RoNo, RoCreateDate (MM/DD/YYYY); no consent columns.
//
// A flag no address of the row can take — a postal-mail flag
// (AllowContactByPostal, Block Mail: rapport has no postal channel address
// yet), an email flag on a row without an email — is kept verbatim in the
// customer's Attributes rather than dropped. The error wraps ErrUnknownPreset.
func Preset(system System, kind FileKind) (*Mapping, error) {
	m := &Mapping{System: string(system), Kind: kind, Columns: map[Field]string{}}
	set := func(pairs ...string) {
		for i := 0; i+1 < len(pairs); i += 2 {
			m.Columns[Field(pairs[i])] = pairs[i+1]
		}
	}
	switch system {
	case CDK:
		m.DateLayouts = []string{"2006-01-02", "2006-01-02T15:04:05Z07:00", "2006-01-02 15:04:05"}
		set("customer_number", "CustomerNumber", "first_name", "user.firstName", "last_name", "user.lastName",
			"email", "Email1", "home_phone", "HomePhone", "cell_phone", "user.sms",
			"address1", "Address", "city", "City", "region", "State", "postal_code", "ZipOrPostalCode")
		m.Consent = []ConsentFlag{
			{Column: "doNotContact.ever", Channel: consent.AllChannels, Polarity: Block},
			{Column: "doNotContact.sms", Channel: channel.KindSMS, Fields: []Field{CellPhone}, Polarity: Block},
			{Column: "doNotContact.email", Channel: channel.KindEmail, Fields: []Field{Email}, Polarity: Block},
		}
		switch kind {
		case Vehicles, Sales, Service:
			set("vin", "VIN", "make", "MakeName", "model", "ModelName", "year", "Year", "odometer", "VehicleMileage")
		}
		switch kind {
		case Vehicles:
			set("ownership_start", "PurchaseDate", "ownership_end", "SoldDate")
		case Sales:
			set("sale_date", "DealEvent1Date", "deal_number", "DealNumber", "sale_type", "DealType", "advisor", "SalesPersonName")
		case Service:
			set("ro_number", "RONumber", "ro_open_date", "OpenDate", "ro_close_date", "CloseDate", "total", "TotalAmount", "pay_type", "PayType", "advisor", "ServiceAdvisorName", "comments", "Complaint")
		}
	case Dealertrack:
		m.DateLayouts = []string{"20060102", "2006-01-02", "01/02/2006"}
		set("customer_number", "BuyerCustomerNumber", "first_name", "BuyerFirstName", "last_name", "BuyerLastName",
			"email", "Email1", "home_phone", "PhoneNumber", "cell_phone", "CellPhone", "work_phone", "BusinessPhone",
			"address1", "Address1", "address2", "Address2", "city", "City", "region", "StateCode", "postal_code", "ZipCode")
		m.Consent = []ConsentFlag{
			{Column: "AllowContactByEmail", Channel: channel.KindEmail, Fields: []Field{Email, Email2}, Polarity: Allow},
			{Column: "AllowContactByPhone", Channel: channel.KindVoice, Fields: []Field{HomePhone, CellPhone, WorkPhone}, Polarity: Allow},
			{Column: "AllowContactByPostal", Channel: channel.KindPost, Polarity: Allow},
		}
		switch kind {
		case Vehicles, Sales, Service:
			set("vin", "VIN", "make", "Make", "model", "Model", "year", "ModelYear", "odometer", "Odometer", "trim", "Trim")
		}
		switch kind {
		case Vehicles:
			set("ownership_start", "PurchaseDate", "ownership_end", "DispositionDate")
		case Sales:
			set("sale_date", "DealDate", "deal_number", "DealNumber", "sale_type", "DealType", "advisor", "Salesperson1Name")
		case Service:
			set("ro_number", "RONumber", "ro_open_date", "OpenDate", "ro_close_date", "CloseDate", "total", "TotalSale", "pay_type", "PayType", "advisor", "AdvisorName", "comments", "Complaint")
		}
	case DealerVault:
		m.DateLayouts = []string{"01/02/2006", "1/2/2006", "01/02/2006 15:04", "2006-01-02"}
		set("customer_number", "Customer Number", "first_name", "First Name", "middle_name", "Middle Name", "last_name", "Last Name",
			"business_name", "Company Name", "email", "Email 1", "email2", "Email 2",
			"home_phone", "Home Phone", "cell_phone", "Cell Phone", "work_phone", "Work Phone",
			"address1", "Address Line 1", "address2", "Address Line 2", "city", "City", "region", "State", "postal_code", "Zip")
		m.Consent = []ConsentFlag{
			{Column: "Block Email", Channel: channel.KindEmail, Fields: []Field{Email, Email2}, Polarity: Block},
			{Column: "Block Phone", Channel: channel.KindVoice, Fields: []Field{HomePhone, CellPhone, WorkPhone}, Polarity: Block},
			{Column: "Block Mail", Channel: channel.KindPost, Polarity: Block},
		}
		switch kind {
		case Vehicles, Sales, Service:
			set("vin", "VIN", "make", "Make", "model", "Model", "year", "Year", "odometer", "Mileage", "trim", "Trim")
		}
		switch kind {
		case Vehicles:
			set("ownership_start", "Purchase Date", "ownership_end", "Sold Date")
		case Sales:
			set("sale_date", "Contract Date", "deal_number", "Deal Number", "sale_type", "Sale Type", "advisor", "Salesperson")
		case Service:
			set("ro_number", "RO Number", "ro_open_date", "Open Date", "ro_close_date", "Close Date", "total", "Total", "pay_type", "Pay Type", "advisor", "Service Advisor", "comments", "Complaint")
		}
	case Reynolds:
		m.DateLayouts = []string{"01/02/2006", "1/2/2006", "2006-01-02"}
		set("customer_number", "CustNo", "party_type", "IBFlag", "first_name", "FirstName", "last_name", "LastName",
			"email", "EmailAddress", "home_phone", "HomePhone", "cell_phone", "CellPhone", "work_phone", "BusinessPhone",
			"address1", "Addr1", "address2", "Addr2", "city", "City", "region", "State", "postal_code", "Zip")
		switch kind {
		case Vehicles, Sales, Service:
			set("vin", "Vin", "make", "MakeName", "model", "ModelName", "year", "Year")
		}
		switch kind {
		case Vehicles:
			set("ownership_start", "DeliveryDate", "odometer", "Mileage")
		case Sales:
			set("sale_date", "ContractDate", "deal_number", "DealNo", "sale_type", "SaleType", "advisor", "SalesmanName", "odometer", "Mileage")
		case Service:
			set("ro_number", "RoNo", "ro_open_date", "RoCreateDate", "ro_close_date", "RoCloseDate", "odometer", "MileageIn",
				"total", "TotalAmt", "pay_type", "PayType", "advisor", "AdvName", "comments", "RoCommentInfo")
		}
	default:
		return nil, &ValidationError{Field: "system", Err: ErrUnknownPreset}
	}
	switch kind {
	case Customers, Vehicles, Sales, Service:
	default:
		return nil, &ValidationError{Field: "kind", Err: ErrUnknownPreset}
	}
	return m, nil
}
