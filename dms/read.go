package dms

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"iter"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/interaction"
)

// Errors of this package. Match them with errors.Is.
var (
	// ErrInvalidMapping: a Mapping that cannot read a file (Mapping.Validate).
	ErrInvalidMapping = errors.New("invalid mapping")
	// ErrUnknownPreset: Preset was asked for a system or kind it has none for.
	ErrUnknownPreset = errors.New("no preset")
	// ErrMissingColumn: the file's header lacks a column the mapping needs.
	ErrMissingColumn = errors.New("column missing from header")
	// ErrMalformed: a line is not CSV (a bare quote in strict mode, …) or
	// the file is not UTF-8.
	ErrMalformed = errors.New("malformed CSV")
	// ErrTooLong: a line longer than Options.MaxLineBytes.
	ErrTooLong = errors.New("line too long")
	// ErrMissing: a row lacks a value the record needs.
	ErrMissing = errors.New("missing value")
	// ErrInvalid: a value that does not parse (a date, a year, a flag).
	ErrInvalid = errors.New("invalid value")
)

// ValidationError names the mapping field or header column at fault.
type ValidationError struct {
	Field string
	Err   error
}

func (e *ValidationError) Error() string { return "dms: " + e.Field + ": " + e.Err.Error() }

// Unwrap returns the wrapped sentinel.
func (e *ValidationError) Unwrap() error { return e.Err }

// FieldPath returns Field, giving ValidationError the shape of
// rapport.FieldError.
func (e *ValidationError) FieldPath() string { return e.Field }

// RowError is a problem with one row: Row is its record number in the file
// (the header is row 1, as RFC 7111's row= fragment counts), Field the
// mapping field or column at fault. A RowError returned by Next means the
// row was rejected; one in Row.Warnings means a value was kept verbatim in
// the record's Attributes because it did not parse. The message never
// repeats the value.
type RowError struct {
	Row   int
	Field string
	Err   error
}

func (e *RowError) Error() string {
	return fmt.Sprintf("dms: row %d: %s: %v", e.Row, e.Field, e.Err)
}

// Unwrap returns the wrapped sentinel.
func (e *RowError) Unwrap() error { return e.Err }

// FieldPath returns Field, giving RowError the shape of rapport.FieldError
// (Row says which row).
func (e *RowError) FieldPath() string { return e.Field }

// Options tune a Reader. nil means the defaults.
type Options struct {
	// File names the file in consent evidence ("customers.csv"); the
	// evidence's document reference is File + "#row=" + row (RFC 7111).
	File string
	// ExportedAt is when the DMS exported the file: the capture time of the
	// consent events read from it (the DMS records no time for a flag).
	// Zero means the time NewReader is called.
	ExportedAt time.Time
	// Zone is the time zone dates without one are read in; nil means UTC.
	Zone *time.Location
	// MaxLineBytes bounds one line of the file; 0 means 64 KiB. A longer
	// line ends the read with ErrTooLong: nothing after it can be trusted
	// to be where the header says.
	MaxLineBytes int
}

// Row is one row read into records. The records carry no IDs or tenant:
// the Book assigns them when it imports the row (it also fills the
// customer's ID into Consent subjects, Vehicle stakeholders and
// Interaction).
type Row struct {
	// Row is the record number (the header is row 1).
	Row int
	// Customer is the customer the row names; nil when the file maps no
	// customer field or the row has none of them.
	Customer *customer.Customer
	// Vehicle is the vehicle the row names; nil when none.
	Vehicle *household.Vehicle
	// Ownership is the customer's part in Vehicle: owner from the ownership
	// or sale date to the ownership end, or (for a repair order, whose
	// customer may only drive the car) a part not known; nil when the row
	// has no customer or no vehicle. Its Customer is zero until the Book
	// fills it.
	Ownership *household.Stakeholder
	// Consent holds one event per consent flag and address it covers, with
	// import evidence (system, file, row and the raw value).
	Consent []consent.Event
	// Interaction is a sale or a repair order as a past in-person visit;
	// nil for customer and vehicle files.
	Interaction *interaction.Interaction
	// Warnings lists values kept verbatim in Attributes because they did not
	// parse (a phone number too short, a VIN with an I in it); nothing read
	// is dropped.
	Warnings []*RowError
}

// Reader reads rows from a DMS export one at a time, so a file of any
// length is read in memory bounded by the longest line.
type Reader struct {
	m       Mapping
	opts    Options
	csv     *csv.Reader
	lim     *lineLimiter
	col     map[Field]int
	flags   []int    // column of each consent flag, -1 when absent
	extra   []int    // columns no field or flag reads
	headers []string // the header as read
	missing []string // mapped headers the file lacks
	row     int
	err     error
}

// NewReader reads the header of r and checks it against m: the columns of
// the fields m.Kind needs (see Mapping.Validate) must be present; other
// mapped columns and consent columns may be absent and are then not read
// (Missing lists them). It fails with a *ValidationError wrapping
// ErrInvalidMapping or ErrMissingColumn, or ErrMalformed / ErrTooLong.
// Columns m does not read are kept, by their header, in the Attributes of
// the row's customer (or vehicle, or interaction).
func NewReader(r io.Reader, m *Mapping, opts *Options) (*Reader, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	rd := &Reader{m: *m}
	if opts != nil {
		rd.opts = *opts
	}
	if rd.opts.MaxLineBytes <= 0 {
		rd.opts.MaxLineBytes = 64 << 10
	}
	if rd.opts.ExportedAt.IsZero() {
		rd.opts.ExportedAt = time.Now().UTC()
	}
	if rd.opts.Zone == nil {
		rd.opts.Zone = time.UTC
	}
	if rd.m.Region == "" {
		rd.m.Region = "US"
	}
	if rd.m.DateLayouts == nil {
		rd.m.DateLayouts = defaultLayouts
	}
	rd.lim = &lineLimiter{r: bufio.NewReaderSize(r, 64<<10), max: rd.opts.MaxLineBytes}
	rd.csv = csv.NewReader(rd.lim)
	rd.csv.FieldsPerRecord = -1
	rd.csv.LazyQuotes = true
	rd.csv.ReuseRecord = true

	head, err := rd.csv.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &ValidationError{Field: "header", Err: ErrMissingColumn}
		}
		return nil, &ValidationError{Field: "header", Err: rd.wrap(err)}
	}
	rd.headers = make([]string, len(head))
	at := make(map[string]int, len(head))
	for i, h := range head {
		if i == 0 {
			h = strings.TrimPrefix(h, "\ufeff")
		}
		rd.headers[i] = strings.TrimSpace(h)
		if _, dup := at[headerKey(h)]; !dup {
			at[headerKey(h)] = i
		}
	}
	used := make([]bool, len(head))
	rd.col = make(map[Field]int, len(rd.m.Columns))
	for _, f := range sortedFields(rd.m.Columns) {
		i, ok := at[headerKey(rd.m.Columns[f])]
		if !ok {
			rd.missing = append(rd.missing, rd.m.Columns[f])
			continue
		}
		rd.col[f] = i
		used[i] = true
	}
	for _, g := range requiredFields[rd.m.Kind] {
		if !slices.ContainsFunc(g, func(f Field) bool { _, ok := rd.col[f]; return ok }) {
			return nil, &ValidationError{Field: rd.m.Columns[g[0]], Err: ErrMissingColumn}
		}
	}
	for _, fl := range rd.m.Consent {
		i, ok := at[headerKey(fl.Column)]
		if !ok {
			i = -1
		} else {
			used[i] = true
		}
		rd.flags = append(rd.flags, i)
	}
	for i := range head {
		if !used[i] && rd.headers[i] != "" {
			rd.extra = append(rd.extra, i)
		}
	}
	rd.row = 1
	return rd, nil
}

// Missing returns the headers the mapping names that the file lacks (in
// field order); their fields are not read. Exports differ between DMS
// versions and dealer configurations, so only the columns a kind of file
// needs are required.
func (r *Reader) Missing() []string { return append([]string(nil), r.missing...) }

// Header returns the file's header as read.
func (r *Reader) Header() []string { return append([]string(nil), r.headers...) }

func (r *Reader) wrap(err error) error {
	if r.lim.tooLong {
		return ErrTooLong
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("%w: %s", ErrMalformed, pe.Err)
	}
	return err
}

// Next reads the next row. At the end of the file it returns (nil,
// io.EOF). A rejected row returns the partly read *Row (its number set)
// and a *RowError saying why; reading may go on. Any other error
// (ErrTooLong, a read error) ends the file.
func (r *Reader) Next() (*Row, error) {
	if r.err != nil {
		return nil, r.err
	}
	rec, err := r.csv.Read()
	if err != nil {
		if err == io.EOF {
			r.err = io.EOF
			return nil, io.EOF
		}
		r.row++
		var pe *csv.ParseError
		if errors.As(err, &pe) && !r.lim.tooLong && !errors.Is(pe.Err, csv.ErrFieldCount) {
			// A malformed line: the CSV reader resynchronises at the next line.
			return &Row{Row: r.row}, &RowError{Row: r.row, Field: "line", Err: r.wrap(err)}
		}
		r.err = &RowError{Row: r.row, Field: "line", Err: r.wrap(err)}
		return nil, r.err
	}
	r.row++
	return r.build(rec)
}

// All returns the rows as a sequence: each row with nil, or a rejected row
// with its *RowError; a final (nil, err) on an error that ends the file.
func (r *Reader) All() iter.Seq2[*Row, error] {
	return func(yield func(*Row, error) bool) {
		for {
			row, err := r.Next()
			if err == io.EOF {
				return
			}
			if row == nil {
				yield(nil, err)
				return
			}
			if !yield(row, err) {
				return
			}
		}
	}
}

// get returns the trimmed value of field f, "" when unmapped or absent.
func (r *Reader) get(rec []string, f Field) string {
	i, ok := r.col[f]
	if !ok || i >= len(rec) {
		return ""
	}
	return strings.TrimSpace(rec[i])
}

func (r *Reader) build(rec []string) (*Row, error) {
	row := &Row{Row: r.row}
	reject := func(f Field, err error) (*Row, error) {
		return row, &RowError{Row: r.row, Field: string(f), Err: err}
	}
	for _, v := range rec {
		if !utf8.ValidString(v) {
			return reject("line", fmt.Errorf("%w: not UTF-8", ErrMalformed))
		}
	}
	warn := func(f Field, err error) {
		row.Warnings = append(row.Warnings, &RowError{Row: r.row, Field: string(f), Err: err})
	}

	// The customer.
	c := &customer.Customer{Source: "dms:" + r.m.System}
	attrs := map[string]string{}
	keep := func(f Field, v string) { attrs[string(f)] = v }
	hasCustomer := false
	if n := r.get(rec, CustomerNumber); n != "" {
		c.ExternalIDs = []customer.ExternalID{{System: r.m.System, Value: n}}
		hasCustomer = true
	}
	business := false
	switch strings.ToUpper(r.get(rec, PartyType)) {
	case "B", "BUSINESS", "C", "COMPANY":
		business = true
		c.Party = customer.PartyBusiness
	case "I", "INDIVIDUAL", "P", "PERSON":
		c.Party = customer.PartyIndividual
	case "":
	default:
		keep(PartyType, r.get(rec, PartyType))
		warn(PartyType, ErrInvalid)
	}
	if b := r.get(rec, BusinessName); b != "" {
		c.Name.Full = b
		c.Party = customer.PartyBusiness
	} else if business {
		c.Name.Full = strings.TrimSpace(r.get(rec, FirstName) + " " + r.get(rec, LastName))
	} else {
		c.Name.Given = r.get(rec, FirstName)
		c.Name.Middle = r.get(rec, MiddleName)
		c.Name.Family = r.get(rec, LastName)
		c.Name.Full = r.get(rec, FullName)
	}
	if !c.Name.IsZero() {
		hasCustomer = true
	}
	addrOf := map[Field]channel.Address{}
	for i, f := range addressFields {
		v := r.get(rec, f)
		if v == "" {
			continue
		}
		var a channel.Address
		var err error
		usage := customer.UsageUnknown
		switch f {
		case Email, Email2:
			a, err = channel.NewAddress(channel.SchemeMailto, v)
		default:
			var p channel.Phone
			p, err = channel.ParsePhone(v, r.m.Region)
			a = p.Address()
			usage = map[Field]customer.Usage{CellPhone: customer.UsageMobile, HomePhone: customer.UsageHome, WorkPhone: customer.UsageWork}[f]
		}
		if err != nil {
			keep(f, v)
			warn(f, fmt.Errorf("%w: %w", ErrInvalid, err))
			continue
		}
		addrOf[f] = a
		hasCustomer = true
		if c.HasAddress(a) {
			continue
		}
		c.ContactPoints = append(c.ContactPoints, customer.ContactPoint{
			Address: a, Usage: usage, Rank: i + 1, Source: "dms:" + r.m.System,
		})
	}
	// The postal address, normalized; kept verbatim when it does not
	// normalize (a ZIP code with a letter in it, an unknown state).
	pa := customer.PostalAddress{
		Lines:    nonEmpty(r.get(rec, Address1), r.get(rec, Address2)),
		Locality: r.get(rec, City), Region: r.get(rec, Region), PostalCode: r.get(rec, PostalCode), Country: r.get(rec, Country),
	}
	if !pa.IsZero() {
		if pa.Country == "" && (pa.Region != "" || pa.PostalCode != "") {
			pa.Country = r.m.Region
		}
		if norm, ok := postal(pa); ok {
			c.PostalAddresses = []customer.PostalAddress{norm}
			hasCustomer = true
		} else {
			for _, f := range []Field{Address1, Address2, City, Region, PostalCode, Country} {
				if v := r.get(rec, f); v != "" {
					keep(f, v)
				}
			}
			warn(PostalCode, fmt.Errorf("%w: the postal address does not normalize", ErrInvalid))
		}
	}

	// The vehicle.
	var v *household.Vehicle
	if vin, mk, md := r.get(rec, VIN), r.get(rec, Make), r.get(rec, Model); vin != "" || mk != "" || md != "" {
		v = &household.Vehicle{Make: mk, Model: md, Trim: r.get(rec, Trim)}
		vattrs := map[string]string{}
		if vin != "" {
			parsed, err := household.ParseVINLenient(vin)
			if err != nil {
				vattrs[string(VIN)] = vin
				warn(VIN, fmt.Errorf("%w: %w", ErrInvalid, err))
			} else {
				v.VIN = parsed
				if !parsed.Standard() {
					warn(VIN, fmt.Errorf("%w: not a valid North American VIN (kept, flagged non-standard)", ErrInvalid))
				}
			}
		}
		if y := r.get(rec, Year); y != "" {
			n, err := strconv.Atoi(y)
			if err != nil || n < household.MinModelYear || n > household.MaxModelYear {
				vattrs[string(Year)] = y
				warn(Year, ErrInvalid)
			} else {
				v.Year = n
			}
		}
		if o := r.get(rec, Odometer); o != "" {
			n, err := strconv.ParseInt(strings.ReplaceAll(o, ",", ""), 10, 64)
			if err != nil || n < 0 {
				vattrs[string(Odometer)] = o
				warn(Odometer, ErrInvalid)
			} else {
				v.Odometer = household.Odometer{Value: n, Unit: household.DistanceUnitMiles}
				if r.m.Region == "CA" {
					v.Odometer.Unit = household.DistanceUnitKilometers
				}
			}
		}
		if s := r.get(rec, StockNumber); s != "" {
			vattrs[string(StockNumber)] = s
		}
		if len(vattrs) > 0 {
			v.Attributes = vattrs
		}
		if v.VIN.IsZero() && v.Make == "" && v.Model == "" {
			v = nil // only an unreadable VIN: kept on the customer instead
			for k, val := range vattrs {
				keep(Field(k), val)
			}
		}
	}
	if r.m.Kind == Vehicles && v == nil {
		return reject(VIN, ErrMissing)
	}

	// Dates.
	date := func(f Field) (time.Time, bool, error) {
		s := r.get(rec, f)
		if s == "" {
			return time.Time{}, false, nil
		}
		t, err := r.parseDate(s)
		if err != nil {
			return time.Time{}, false, err
		}
		return t, true, nil
	}
	var from, to time.Time
	for _, f := range []Field{OwnershipStart, SaleDate} {
		t, ok, err := date(f)
		if err != nil {
			if f == SaleDate && r.m.Kind == Sales {
				return reject(f, err)
			}
			keep(f, r.get(rec, f))
			warn(f, err)
			continue
		}
		if ok && from.IsZero() {
			from = t
		}
	}
	if t, ok, err := date(OwnershipEnd); err != nil {
		keep(OwnershipEnd, r.get(rec, OwnershipEnd))
		warn(OwnershipEnd, err)
	} else if ok {
		to = t
		if !from.IsZero() && !to.After(from) {
			keep(OwnershipEnd, r.get(rec, OwnershipEnd))
			warn(OwnershipEnd, fmt.Errorf("%w: not after the ownership start", ErrInvalid))
			to = time.Time{}
		}
	}
	if v != nil && !from.IsZero() && r.m.Kind != Service {
		v.PurchasedAt = from
	}

	// The interaction: a sale or a repair order.
	var it *interaction.Interaction
	switch r.m.Kind {
	case Sales:
		at, ok, _ := date(SaleDate)
		if !ok {
			return reject(SaleDate, ErrMissing)
		}
		it = r.visit(rec, at, "Vehicle sale", DealNumber, "deal")
	case Service:
		if r.get(rec, RONumber) == "" {
			return reject(RONumber, ErrMissing)
		}
		at, ok, err := date(ROOpenDate)
		if err != nil {
			return reject(ROOpenDate, err)
		}
		if !ok {
			return reject(ROOpenDate, ErrMissing)
		}
		it = r.visit(rec, at, "Service repair order", RONumber, "ro")
		if t, ok, err := date(ROCloseDate); err != nil {
			it.Attributes[string(ROCloseDate)] = r.get(rec, ROCloseDate)
			warn(ROCloseDate, err)
		} else if ok {
			it.Attributes[string(ROCloseDate)] = t.Format(time.RFC3339)
		}
	}

	// Unmapped columns, kept by header on the record the file is about.
	target := attrs
	if it != nil {
		target = it.Attributes
	} else if v != nil && r.m.Kind == Vehicles && !hasCustomer {
		if v.Attributes == nil {
			v.Attributes = map[string]string{}
		}
		target = v.Attributes
	}
	for _, i := range r.extra {
		if i < len(rec) {
			if val := strings.TrimSpace(rec[i]); val != "" {
				target[r.headers[i]] = val
			}
		}
	}

	// Consent flags.
	if hasCustomer {
		for k, fl := range r.m.Consent {
			i := r.flags[k]
			if i < 0 || i >= len(rec) {
				continue
			}
			raw := strings.TrimSpace(rec[i])
			if raw == "" {
				continue
			}
			yes, ok := parseFlag(raw)
			if !ok {
				attrs[r.headers[i]] = raw
				warn(Field(fl.Column), ErrInvalid)
				continue
			}
			evs := r.events(fl, r.headers[i], raw, yes, addrOf)
			if len(evs) == 0 {
				// No address of the row takes this channel (a postal-mail
				// flag, an email flag without an email): kept verbatim.
				attrs[r.headers[i]] = raw
			}
			row.Consent = append(row.Consent, evs...)
		}
	}

	if len(attrs) > 0 {
		c.Attributes = attrs
	}
	if hasCustomer {
		row.Customer = c
	} else if r.m.Kind == Customers {
		return reject(CustomerNumber, fmt.Errorf("%w: no customer number, name or contact address", ErrMissing))
	} else if len(attrs) > 0 && it == nil && v != nil {
		// Nothing identifies a customer; keep what was read on the vehicle.
		if v.Attributes == nil {
			v.Attributes = map[string]string{}
		}
		for k, val := range attrs {
			v.Attributes[k] = val
		}
	} else if len(attrs) > 0 && it != nil {
		for k, val := range attrs {
			it.Attributes[k] = val
		}
	}
	row.Vehicle = v
	row.Interaction = it
	if row.Customer != nil && v != nil {
		role := household.StakeholderRoleOwner
		if r.m.Kind == Service {
			// A repair order names who brought the car in, who may
			// drive it without owning it: the part is not known.
			role = household.StakeholderRoleUnknown
		}
		row.Ownership = &household.Stakeholder{Role: role, From: from, To: to}
	}
	return row, nil
}

func (r *Reader) visit(rec []string, at time.Time, subject string, number Field, prefix string) *interaction.Interaction {
	it := &interaction.Interaction{
		Direction:  interaction.DirectionInbound,
		Kind:       interaction.KindVisit,
		Channel:    channel.KindInPerson,
		Subject:    subject,
		OccurredAt: at,
		Attributes: map[string]string{},
	}
	if n := r.get(rec, number); n != "" {
		it.ExternalRefs = map[string]string{r.m.System: prefix + ":" + n}
	}
	for _, f := range []Field{SaleType, Total, PayType, Advisor, StockNumber} {
		if v := r.get(rec, f); v != "" {
			it.Attributes[string(f)] = v
		}
	}
	it.Body = r.get(rec, Comments)
	return it
}

// events turns one flag into consent events. A "may contact" value grants
// prior express consent for service messages (a number or address given in
// a transaction, which is all a DMS flag shows: never marketing consent); a
// "do not contact" value revokes every purpose.
func (r *Reader) events(fl ConsentFlag, header, raw string, yes bool, addrOf map[Field]channel.Address) []consent.Event {
	grant := yes == (fl.Polarity == Allow)
	fields := fl.Fields
	if len(fields) == 0 {
		fields = addressFields
	}
	var out []consent.Event
	seen := map[channel.Address]bool{}
	for _, f := range fields {
		a, ok := addrOf[f]
		if !ok || seen[a.Line()] {
			continue
		}
		if fl.Channel != consent.AllChannels && !a.Supports(fl.Channel) {
			continue
		}
		seen[a.Line()] = true
		e := consent.Event{
			Subject:    consent.Subject{Address: a},
			Channel:    fl.Channel,
			Purpose:    consent.PurposeAll,
			Action:     consent.ActionRevoke,
			CapturedAt: r.opts.ExportedAt,
			Evidence: consent.Evidence{
				Method:       consent.MethodImport,
				SourceSystem: "dms:" + r.m.System,
				RawValue:     header + "=" + raw,
			},
		}
		if r.opts.File != "" {
			e.Evidence.DocumentRef = r.opts.File + "#row=" + strconv.Itoa(r.row)
		}
		if grant {
			e.Action = consent.ActionGrant
			e.Purpose = consent.PurposeService
			e.Basis = consent.BasisExpress
		}
		out = append(out, e)
	}
	return out
}

// parseFlag reads a Y/N style flag.
func parseFlag(s string) (yes, ok bool) {
	switch strings.ToLower(s) {
	case "y", "yes", "true", "t", "1", "x":
		return true, true
	case "n", "no", "false", "f", "0":
		return false, true
	}
	return false, false
}

var defaultLayouts = []string{
	"2006-01-02", "01/02/2006", "1/2/2006", "20060102",
	"2006-01-02T15:04:05Z07:00", "2006-01-02 15:04:05", "01/02/2006 15:04", "01/02/2006 15:04:05",
}

func (r *Reader) parseDate(s string) (time.Time, error) {
	for _, l := range r.m.DateLayouts {
		if t, err := time.ParseInLocation(l, s, r.opts.Zone); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%w: not a date in the mapping's layouts", ErrInvalid)
}

// lineLimiter fails a read once a line grows past max bytes, so a file
// without line breaks cannot make the CSV reader buffer it whole.
type lineLimiter struct {
	r       *bufio.Reader
	max     int
	cur     int
	tooLong bool
}

var errLineTooLong = errors.New("line too long")

func (l *lineLimiter) Read(p []byte) (int, error) {
	if l.tooLong {
		return 0, errLineTooLong
	}
	// Read at most one line's worth at a time so the count stays exact.
	n, err := l.r.Read(p)
	for i := 0; i < n; i++ {
		if p[i] == '\n' {
			l.cur = 0
			continue
		}
		l.cur++
		if l.cur > l.max {
			l.tooLong = true
			return i, errLineTooLong
		}
	}
	return n, err
}

// postal normalizes a postal address the way the customer record stores it
// and reports whether the result is valid.
func postal(a customer.PostalAddress) (customer.PostalAddress, bool) {
	probe := customer.Customer{Tenant: "probe", Name: customer.Name{Full: "probe"}, PostalAddresses: []customer.PostalAddress{a}}
	probe.Normalize()
	if probe.Validate() != nil {
		return a, false
	}
	return probe.PostalAddresses[0], true
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
