package rapport

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/rapportcim/rapport/adf"
	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

// ErrLead is wrapped by the *LeadError ImportLead returns for a prospect it
// cannot import: no customer to attach it to (no name, email or phone that
// parses), or no Prospect at all.
var ErrLead = errors.New("lead cannot be imported")

// LeadError says why a lead was refused; Field names the ADF element.
type LeadError struct {
	Field string
	Err   error
}

// Error reads "<field>: <why>"; ImportLead's *Error adds "rapport: ImportLead: ".
func (e *LeadError) Error() string { return e.Field + ": " + e.Err.Error() }

// Unwrap returns the wrapped error (ErrLead, or a validation error).
func (e *LeadError) Unwrap() error { return e.Err }

// FieldPath returns Field (an ADF path), giving LeadError the shape of
// FieldError.
func (e *LeadError) FieldPath() string { return e.Field }

// Lead is one ADF prospect to import, with what the ADF does not say.
type Lead struct {
	// Prospect is the lead as read by adf.Read; required.
	Prospect *adf.Prospect
	// Rooftop is the dealership location the lead is for (its vendor);
	// zero means the tenant as a whole.
	Rooftop dealer.Rooftop
	// Channel is how the customer reached out; zero means email, ADF's
	// transport (a lead forwarded by a provider's email).
	Channel channel.Kind
	// Region is the ISO 3166 region phone numbers without a country code
	// are read in; "" means the customer's address country, else "US".
	Region string
	// Country decides which consent the inquiry carries: "CA" for Canada
	// (CASL implied consent by inquiry, 6 months), anything else for the
	// US rules. "" means the customer's address country, else "US".
	Country string
	// ReceivedAt is when the lead arrived; zero means its requestdate, or
	// the Book's clock when that does not parse.
	ReceivedAt time.Time
}

// ImportedLead says what ImportLead did.
type ImportedLead struct {
	// Duplicate is true when this lead (same provider, same lead ID) was
	// imported before: nothing was written, and Interaction is the
	// interaction recorded the first time.
	Duplicate bool
	// Source and LeadID are the key the lead is known by: the provider (the
	// source of its first ID, else the provider's name) and its ID (or, for
	// a lead without one, a digest of its content).
	Source, LeadID string
	// Customer is the customer the lead was attached to (created or
	// recognised by external ID or address).
	Customer Upserted[customer.Customer]
	// Vehicles are the lead's vehicles: of interest, or the customer's
	// trade-in (with the customer as owner).
	Vehicles []LeadVehicle
	// Interaction is the inbound lead interaction, with its conversation.
	Interaction Recorded
	// Consent lists the consent events the inquiry carries.
	Consent []consent.Event
	// Issues is the ADF validation report of the prospect (adf.Validate).
	Issues []adf.Issue
	// Unkept lists ADF extensions too long to keep as attributes
	// (interaction.MaxTextLen), by path; everything else is kept.
	Unkept []string
}

// LeadVehicle is one vehicle of a lead.
type LeadVehicle struct {
	Upserted[household.Vehicle]
	// Interest is the vehicle's ADF interest, canonical ("buy",
	// "trade-in", …), or as sent when not a DTD value.
	Interest string
	// VINProblem is why the VIN sent is not a valid North American VIN
	// (the VIN is kept: non-standard, or verbatim in Attributes["vin"] when
	// it is not a VIN at all); nil when it is valid or there is none.
	VINProblem error
}

// leadNamespace is the namespace of the name-based UUIDs of lead
// interactions (see ImportLead).
var leadNamespace = uuid.MustParse("6f1a3e0c-5b7d-4c1e-9a2f-3d8b7c6e5a41")

// ImportLead imports one ADF prospect, in one transaction:
//
//   - the customer is upserted as UpsertCustomer does (names by part,
//     emails, phones with their usage, the customer's IDs under their
//     source), so the same person from two providers is one customer;
//     the postal addresses are normalized into the customer's
//     PostalAddresses (one that does not normalize, and the contact's
//     extensions such as birthday or gender, are kept verbatim in its
//     Attributes as "adf.address.<i>.<part>" and "adf.<name>");
//   - each vehicle is upserted (matched by VIN): a vehicle of interest, or
//     a trade-in owned by the customer. A VIN that fails the North American
//     check is kept and flagged (household.VIN.Standard is false, and
//     LeadVehicle.VINProblem says why); text that is no VIN at all is kept
//     in the vehicle's Attributes["vin"];
//   - an inbound interaction of kind lead is recorded on the lead's channel
//     and rooftop, with the customer's comments as its body (redacted like
//     every body), the provider as Attributes["provider"], the vehicles as
//     Attributes["vehicle_of_interest"] and ["trade_in"], and every other
//     ADF extension as an "adf.<path>" attribute; it opens (or joins) the
//     customer's conversation, which starts the response clock;
//   - the consent the inquiry carries, for each address the customer gave:
//     in the US, prior express consent for service messages (the customer
//     asked to be contacted about this inquiry), never marketing: a lead is
//     not written consent; in Canada, CASL implied consent by inquiry, which
//     ends 6 months after the lead.
//
// The provider's lead ID is the key: the interaction's ID is a name-based
// UUID of the tenant, the provider and the lead ID, so importing the same
// lead again writes nothing and returns Duplicate. A prospect without an ID
// is keyed by a digest of its content.
//
// A prospect without a customer name, email or phone that parses is
// refused with a *LeadError wrapping ErrLead. The result lists the
// prospect's deviations from the ADF DTD (Issues) but they do not stop the
// import.
func (b *Book) ImportLead(ctx context.Context, l Lead) (_ ImportedLead, err error) {
	defer b.observe(ctx, "ImportLead", time.Now(), &err)
	res, err := b.importLead(ctx, l)
	if errors.Is(err, storage.ErrAlreadyExists) {
		// A concurrent import of the same lead won the race: this one now
		// finds it and reports a duplicate.
		res, err = b.importLead(ctx, l)
	}
	if err != nil {
		return ImportedLead{}, fail("ImportLead", err)
	}
	return res, nil
}

func (b *Book) importLead(ctx context.Context, l Lead) (ImportedLead, error) {
	p := l.Prospect
	if p == nil {
		return ImportedLead{}, &LeadError{Field: "prospect", Err: ErrLead}
	}
	var res ImportedLead
	res.Issues = adf.Validate(&adf.Document{Prospects: []adf.Prospect{*p}})
	res.Source, res.LeadID = leadKey(p)
	if res.LeadID == "" {
		data, err := adf.MarshalProspect(p)
		if err != nil {
			return res, &LeadError{Field: "prospect", Err: err}
		}
		sum := sha256.Sum256(data)
		res.LeadID = fmt.Sprintf("sha256:%x", sum[:12])
	}
	iid := interaction.ID(uuid.NewSHA1(leadNamespace, []byte(string(b.tenant)+"\x00"+res.Source+"\x00"+res.LeadID)))

	now := b.clock()
	country := strings.ToUpper(l.Country)
	addrCountry := ""
	if c := p.Customer; c != nil && c.Contact != nil && len(c.Contact.Addresses) > 0 {
		addrCountry, _ = customer.ParseCountry(c.Contact.Addresses[0].Country)
	}
	if country == "" {
		country = addrCountry
	}
	region := l.Region
	if region == "" {
		region = addrCountry
	}
	if region == "" || len(region) != 2 {
		region = "US"
	}
	at := stamp(l.ReceivedAt)
	if at.IsZero() {
		if t, err := adf.ParseDate(p.RequestDate); err == nil && !t.After(now) {
			at = stamp(t)
		} else {
			at = now
		}
	}
	kind := l.Channel
	if kind == channel.KindUnknown {
		kind = channel.KindEmail
	}

	cust, addrs, err := leadCustomer(p, res.Source, region)
	if err != nil {
		return res, err
	}
	cust.Tenant = b.tenant
	cust.Normalize()
	if err := cust.Validate(); err != nil {
		return res, &LeadError{Field: "customer", Err: err}
	}

	err = b.backend.Update(ctx, func(tx storage.Tx) error {
		res.Duplicate, res.Vehicles, res.Consent, res.Unkept = false, nil, nil, nil
		stored, err := tx.GetInteraction(ctx, b.tenant, iid)
		switch {
		case err == nil:
			res.Duplicate = true
			res.Interaction.Interaction = stored
			if !stored.Conversation.IsZero() {
				if conv, err := tx.GetConversation(ctx, b.tenant, stored.Conversation); err == nil {
					res.Interaction.Conversation = conv
				}
			}
			c, err := tx.GetCustomer(ctx, b.tenant, stored.Customer)
			if err != nil {
				return err
			}
			res.Customer = Upserted[customer.Customer]{Record: c, MatchedBy: []string{"lead " + res.Source + " " + res.LeadID}}
			return nil
		case !errors.Is(err, storage.ErrNotFound):
			return err
		}

		up, err := b.upsertCustomer(ctx, tx, cust, now)
		if err != nil {
			return err
		}
		res.Customer = up
		cid := up.Record.ID

		it := interaction.Interaction{
			ID:         iid,
			Rooftop:    l.Rooftop,
			Customer:   cid,
			Channel:    kind,
			Direction:  interaction.DirectionInbound,
			Kind:       interaction.KindLead,
			OccurredAt: at,
			Attributes: map[string]string{},
		}
		for _, a := range addrs {
			if a.Supports(kind) {
				it.Address = a
				break
			}
		}
		if p.Customer != nil {
			it.Body = strings.TrimSpace(p.Customer.Comments)
		}
		if key := refKey(res.Source); key != "" {
			it.ExternalRefs = map[string]string{key: res.LeadID}
		}
		if pr := p.Provider; pr != nil && pr.Name != nil && strings.TrimSpace(pr.Name.Value) != "" {
			it.Attributes["provider"] = strings.TrimSpace(pr.Name.Value)
		} else {
			it.Attributes["provider"] = res.Source
		}
		if p.Vendor != nil && strings.TrimSpace(p.Vendor.VendorName) != "" {
			it.Attributes["vendor"] = strings.TrimSpace(p.Vendor.VendorName)
		}

		var subject []string
		for i := range p.Vehicles {
			v := &p.Vehicles[i]
			lv, left, err := b.leadVehicle(ctx, tx, v, cid, at, now)
			if err != nil {
				return fmt.Errorf("vehicle[%d]: %w", i, err)
			}
			if left != nil {
				// Nothing identifies the vehicle: what was sent is kept
				// on the interaction.
				for k, val := range left {
					it.Attributes["adf.vehicle"+strconv.Itoa(i)+"."+k] = val
				}
				continue
			}
			res.Vehicles = append(res.Vehicles, lv)
			key := "vehicle_of_interest"
			if lv.Interest == "trade-in" || lv.Interest == "sell" {
				key = "trade_in"
			} else {
				subject = append(subject, strings.Join(nonEmpty(v.Year, v.Make, v.Model), " "))
			}
			if prev := it.Attributes[key]; prev != "" {
				it.Attributes[key] = prev + " " + lv.Record.ID.String()
			} else {
				it.Attributes[key] = lv.Record.ID.String()
			}
		}
		it.Subject = "Lead"
		if len(subject) > 0 {
			it.Subject = "Lead: " + strings.Join(subject, ", ")
		}
		res.Unkept = keepExtensions(p, it.Attributes)

		it, err = b.prepare(it, now)
		if err != nil {
			return err
		}
		rec, err := b.record(ctx, tx, it, "", now)
		if err != nil {
			return err
		}
		res.Interaction = rec

		for _, a := range addrs {
			e := consent.Event{
				Subject:    consent.Subject{Address: a, Customer: cid},
				Channel:    consent.AllChannels,
				Rooftop:    l.Rooftop,
				Action:     consent.ActionGrant,
				CapturedAt: at,
				Evidence: consent.Evidence{
					Method:       consent.MethodImport,
					SourceSystem: "lead:" + res.Source,
					DocumentRef:  "lead:" + res.LeadID,
				},
				Note: "given in a lead inquiry",
			}
			if country == "CA" {
				e.Purpose, e.Basis = consent.PurposeAll, consent.BasisImpliedInquiry
				e.EffectiveTo = at.AddDate(0, 6, 0)
			} else {
				e.Purpose, e.Basis = consent.PurposeService, consent.BasisExpress
			}
			e, err := b.appendConsent(ctx, tx, e, now)
			if err != nil {
				return err
			}
			res.Consent = append(res.Consent, e)
		}
		return nil
	})
	if err != nil {
		return ImportedLead{}, err
	}
	return res, nil
}

// leadKey returns the provider and ID a lead is known by: the prospect's
// first ID with its source (the provider's lead ID; the specification
// numbers IDs by sequence, and providers put theirs first), else the
// provider's name with no ID.
func leadKey(p *adf.Prospect) (source, id string) {
	for _, i := range p.IDs {
		if v := strings.TrimSpace(i.Value); v != "" {
			return strings.TrimSpace(i.Source), v
		}
	}
	if pr := p.Provider; pr != nil && pr.Name != nil {
		return strings.TrimSpace(pr.Name.Value), ""
	}
	return "", ""
}

// refKey turns a provider name into an ExternalRefs key (one word).
func refKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			b.WriteRune(r)
		case r == ' ' && b.Len() > 0:
			b.WriteByte('_')
		}
		if b.Len() >= interaction.MaxKeyLen-1 {
			break
		}
	}
	return b.String()
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// leadCustomer builds the customer of a prospect and returns the addresses
// it gave, in order.
func leadCustomer(p *adf.Prospect, source, region string) (customer.Customer, []channel.Address, error) {
	c := customer.Customer{Source: "lead:" + source}
	if p.Customer == nil || p.Customer.Contact == nil {
		return c, nil, &LeadError{Field: "customer/contact", Err: ErrLead}
	}
	ct := p.Customer.Contact
	attrs := map[string]string{}
	for _, n := range ct.Names {
		v := strings.TrimSpace(n.Value)
		if v == "" {
			continue
		}
		if typ, _ := adf.Canonical("name@type", n.Type); typ == "business" {
			c.Party = customer.PartyBusiness
		}
		part, ok := adf.Canonical("name@part", n.Part)
		if !ok {
			part = strings.ToLower(strings.TrimSpace(n.Part))
		}
		switch part {
		case "first":
			c.Name.Given = v
		case "middle":
			c.Name.Middle = v
		case "last", "surname":
			c.Name.Family = v
		case "suffix":
			c.Name.Suffix = v
		default: // full, or no part
			if c.Name.Full == "" {
				c.Name.Full = v
			} else {
				c.Aliases = append(c.Aliases, customer.Name{Full: v})
			}
		}
	}
	if c.Name.Full != "" && (c.Name.Given != "" || c.Name.Family != "") {
		// Parts and a full form: the parts are the name; the full form is
		// how the provider wrote it.
		c.Aliases = append(c.Aliases, customer.Name{Full: c.Name.Full})
		c.Name.Full = ""
	}
	var addrs []channel.Address
	seen := map[channel.Address]bool{}
	add := func(a channel.Address, cp customer.ContactPoint) {
		if seen[a.Line()] {
			return
		}
		seen[a.Line()] = true
		addrs = append(addrs, a)
		cp.Address, cp.Source = a, "lead:"+source
		c.ContactPoints = append(c.ContactPoints, cp)
	}
	for i, e := range ct.Emails {
		a, err := channel.NewAddress(channel.SchemeMailto, e.Value)
		if err != nil {
			attrs["adf.email."+strconv.Itoa(i)] = strings.TrimSpace(e.Value)
			continue
		}
		add(a, customer.ContactPoint{Primary: strings.TrimSpace(e.PreferredContact) == "1"})
	}
	for i, ph := range ct.Phones {
		typ, ok := adf.Canonical("phone@type", ph.Type)
		if !ok {
			typ = strings.ToLower(strings.TrimSpace(ph.Type))
		}
		if typ == "fax" || typ == "pager" {
			attrs["adf.phone."+typ] = strings.TrimSpace(ph.Value)
			continue
		}
		parsed, err := channel.ParsePhone(ph.Value, region)
		if err != nil {
			attrs["adf.phone."+strconv.Itoa(i)] = strings.TrimSpace(ph.Value)
			continue
		}
		cp := customer.ContactPoint{Primary: strings.TrimSpace(ph.PreferredContact) == "1"}
		switch typ {
		case "cellphone":
			cp.Usage, cp.SMS = customer.UsageMobile, customer.CapabilityUnknown
		case "home":
			cp.Usage = customer.UsageHome
		case "work", "business":
			cp.Usage = customer.UsageWork
		}
		if t := strings.TrimSpace(ph.Time); t != "" {
			attrs["adf.phone_time."+strconv.Itoa(i)] = t
		}
		add(parsed.Address(), cp)
	}
	for i, a := range ct.Addresses {
		var lines []string
		for _, s := range a.Streets {
			if v := strings.TrimSpace(s.Value); v != "" {
				lines = append(lines, v)
			}
		}
		if v := strings.TrimSpace(a.Apartment); v != "" {
			lines = append(lines, v)
		}
		pa := customer.PostalAddress{Lines: lines, Locality: strings.TrimSpace(a.City), Region: strings.TrimSpace(a.RegionCode),
			PostalCode: strings.TrimSpace(a.PostalCode), Country: strings.TrimSpace(a.Country)}
		switch typ, _ := adf.Canonical("address@type", a.Type); typ {
		case "home":
			pa.Usage = customer.AddressHome
		case "work":
			pa.Usage = customer.AddressWork
		}
		if pa.Country == "" && (pa.Region != "" || pa.PostalCode != "") {
			pa.Country = region
		}
		if norm, ok := normalizedPostal(pa); ok && len(c.PostalAddresses) < customer.MaxPostalAddresses {
			c.PostalAddresses = append(c.PostalAddresses, norm)
			continue
		}
		// Not an address the customer record can hold: kept verbatim.
		p := "adf.address." + strconv.Itoa(i) + "."
		for k, v := range map[string]string{
			"lines": strings.Join(lines, ", "), "city": a.City, "region": a.RegionCode, "postal_code": a.PostalCode, "country": a.Country,
		} {
			if v = strings.TrimSpace(v); v != "" {
				attrs[p+k] = v
			}
		}
	}
	for _, n := range ct.Ext.Elements {
		if n.Name != "" {
			attrs["adf."+strings.ToLower(n.Name)] = strings.TrimSpace(textOf(n))
		}
	}
	for _, id := range p.Customer.IDs {
		if s, v := strings.TrimSpace(id.Source), strings.TrimSpace(id.Value); s != "" && v != "" {
			c.ExternalIDs = append(c.ExternalIDs, customer.ExternalID{System: s, Value: v})
		}
	}
	if len(attrs) > 0 {
		c.Attributes = attrs
	}
	if c.Name.IsZero() && len(addrs) == 0 {
		return c, nil, &LeadError{Field: "customer/contact", Err: fmt.Errorf("%w: no name, email or phone", ErrLead)}
	}
	return c, addrs, nil
}

// textOf returns the text of an extension element: its text when it has
// only text, else its XML.
func textOf(n adf.Node) string {
	if len(n.Children) == 1 && n.Children[0].Name == "" {
		return n.Children[0].Text
	}
	var b strings.Builder
	for _, c := range n.Children {
		b.WriteString(c.XML())
	}
	return b.String()
}

// keepExtensions copies the prospect's ADF extensions (other than the
// customer contact's, which the customer keeps) into attrs as
// "adf.<path>", and returns the paths too long to keep.
func keepExtensions(p *adf.Prospect, attrs map[string]string) []string {
	var unkept []string
	put := func(path string, ext *adf.Extensions) {
		for _, a := range ext.Attrs {
			k := "adf." + path + "@" + a.Name
			if a.Elem != "" {
				k = "adf." + path + "." + a.Elem + "@" + a.Name
			}
			if len(a.Value) > interaction.MaxTextLen || len(k) > interaction.MaxKeyLen {
				unkept = append(unkept, k)
				continue
			}
			attrs[k] = a.Value
		}
		for i, n := range ext.Elements {
			name := strings.ToLower(n.Name)
			if name == "" {
				name = "text"
			}
			k := "adf." + path + "." + name
			if _, dup := attrs[k]; dup {
				k += "." + strconv.Itoa(i)
			}
			v := n.XML()
			if len(v) > interaction.MaxTextLen || len(k) > interaction.MaxKeyLen {
				unkept = append(unkept, k)
				continue
			}
			attrs[k] = v
		}
	}
	put("prospect", &p.Ext)
	for i := range p.IDs[min(1, len(p.IDs)):] {
		id := p.IDs[i+1]
		attrs["adf.prospect.id."+strconv.Itoa(i+1)] = strings.TrimSpace(id.Source) + ":" + strings.TrimSpace(id.Value)
	}
	for i := range p.Vehicles {
		put("vehicle"+strconv.Itoa(i), &p.Vehicles[i].Ext)
	}
	if c := p.Customer; c != nil {
		put("customer", &c.Ext)
		if c.Timeframe != nil {
			tf := strings.Join(nonEmpty(c.Timeframe.Text, c.Timeframe.Description, c.Timeframe.EarliestDate, c.Timeframe.LatestDate), "; ")
			if tf != "" {
				attrs["adf.customer.timeframe"] = tf
			}
		}
	}
	if pr := p.Provider; pr != nil {
		put("provider", &pr.Ext)
		if pr.Service != "" {
			attrs["adf.provider.service"] = strings.TrimSpace(pr.Service)
		}
		if pr.URL != "" {
			attrs["adf.provider.url"] = strings.TrimSpace(pr.URL)
		}
	}
	if v := p.Vendor; v != nil {
		put("vendor", &v.Ext)
	}
	return unkept
}

// leadVehicle upserts one vehicle of a lead.
// When nothing identifies the vehicle (no VIN, make or model), it stores
// nothing and returns what was sent as leftover attributes.
func (b *Book) leadVehicle(ctx context.Context, tx storage.Tx, v *adf.Vehicle, cid customer.ID, at, now time.Time) (LeadVehicle, map[string]string, error) {
	var lv LeadVehicle
	interest, ok := adf.Canonical("vehicle@interest", v.Interest)
	if !ok {
		interest = strings.TrimSpace(v.Interest)
	}
	if interest == "" {
		interest = "buy"
	}
	lv.Interest = interest
	hv := household.Vehicle{Make: strings.TrimSpace(v.Make), Model: strings.TrimSpace(v.Model), Trim: strings.TrimSpace(v.Trim)}
	attrs := map[string]string{}
	if s := strings.TrimSpace(v.VIN); s != "" {
		vin, err := household.ParseVIN(s)
		if err != nil {
			lv.VINProblem = err
			if lenient, lerr := household.ParseVINLenient(s); lerr == nil {
				vin = lenient
			} else {
				attrs["vin"] = s
			}
		}
		hv.VIN = vin
	}
	if y, err := strconv.Atoi(strings.TrimSpace(v.Year)); err == nil && y >= household.MinModelYear && y <= household.MaxModelYear {
		hv.Year = y
		if hv.VIN.Standard() && !containsInt(hv.VIN.ModelYears(), y) {
			// The VIN says another year: keep the VIN, keep the sent year
			// aside rather than store a contradiction.
			attrs["year"] = strings.TrimSpace(v.Year)
			hv.Year = 0
		}
	} else if s := strings.TrimSpace(v.Year); s != "" {
		attrs["year"] = s
	}
	if o := v.Odometer; o != nil {
		n, err := strconv.ParseInt(strings.NewReplacer(",", "", " ", "").Replace(strings.TrimSpace(o.Value)), 10, 64)
		unit, _ := adf.Canonical("odometer@units", o.Units)
		if err == nil && n >= 0 {
			hv.Odometer = household.Odometer{Value: n, Unit: household.DistanceUnit(unit), ReadAt: at}
			if unit == "" {
				hv.Odometer.Unit = household.DistanceUnitMiles
				attrs["odometer_units"] = "unstated (miles assumed)"
			}
		} else {
			attrs["odometer"] = strings.TrimSpace(o.Value)
		}
	}
	for k, s := range map[string]string{"stock": v.Stock, "status": v.Status, "interest": v.Interest, "condition": v.Condition,
		"doors": v.Doors, "bodystyle": v.BodyStyle, "transmission": v.Transmission, "comments": v.Comments, "pricecomments": v.PriceComments} {
		if s = strings.TrimSpace(s); s != "" {
			attrs[k] = s
		}
	}
	if pr := v.Price; pr != nil && strings.TrimSpace(pr.Value) != "" {
		attrs["price"] = strings.TrimSpace(pr.Value)
		if pr.Type != "" {
			attrs["price_type"] = pr.Type
		}
		if pr.Currency != "" {
			attrs["price_currency"] = pr.Currency
		}
	}
	if interest == "trade-in" || interest == "sell" {
		hv.Stakeholders = []household.Stakeholder{{Customer: cid, Role: household.StakeholderRoleOwner}}
	}
	if hv.VIN.IsZero() && hv.Make == "" && hv.Model == "" {
		if hv.Year != 0 {
			attrs["year"] = strconv.Itoa(hv.Year)
		}
		return lv, attrs, nil
	}
	if len(attrs) > 0 {
		hv.Attributes = attrs
	}
	hv, err := b.prepareVehicle(hv)
	if err != nil {
		return lv, nil, err
	}
	up, err := b.upsertVehicle(ctx, tx, hv, now)
	if err != nil {
		return lv, nil, err
	}
	lv.Upserted = up
	return lv, nil, nil
}

func containsInt(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// normalizedPostal normalizes a postal address the way the customer record
// stores it and reports whether the result is valid.
func normalizedPostal(a customer.PostalAddress) (customer.PostalAddress, bool) {
	probe := customer.Customer{Tenant: "probe", Name: customer.Name{Full: "probe"}, PostalAddresses: []customer.PostalAddress{a}}
	probe.Normalize()
	if probe.Validate() != nil {
		return a, false
	}
	return probe.PostalAddresses[0], true
}
