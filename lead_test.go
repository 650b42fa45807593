package rapport_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rapportcim/rapport"
	"github.com/rapportcim/rapport/adf"
	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/dms"
	"github.com/rapportcim/rapport/interaction"
)

func readLeads(t *testing.T, name string) *adf.Document {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("adf", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	d, err := adf.Unmarshal(data, nil)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestImportLead(t *testing.T) {
	forEachImportBackend(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		doc := readLeads(t, "marketplace-utf16-label.xml")
		lead := rapport.Lead{Prospect: &doc.Prospects[0], Rooftop: "downtown"}
		res, err := f.book.ImportLead(ctx, lead)
		if err != nil {
			t.Fatal(err)
		}
		if res.Duplicate || !res.Customer.Created || res.Source != "Marketplace" || res.LeadID != "MK-20261130-0042" {
			t.Fatalf("result = dup %v created %v key %s/%s", res.Duplicate, res.Customer.Created, res.Source, res.LeadID)
		}
		c := res.Customer.Record
		if c.Name.Given != "Maria" || c.Name.Family != "García" || len(c.ContactPoints) != 2 {
			t.Errorf("customer = %+v", c)
		}
		// The vehicle of interest, VIN valid.
		if len(res.Vehicles) != 1 {
			t.Fatalf("vehicles = %+v", res.Vehicles)
		}
		v := res.Vehicles[0]
		if v.Interest != "buy" || !v.Record.VIN.Standard() || v.VINProblem != nil || v.Record.Odometer.Value != 31250 || v.Record.Attributes["status"] != "Used" {
			t.Errorf("vehicle = %+v", v)
		}
		// The inbound lead interaction with its conversation waiting.
		it := res.Interaction.Interaction
		if it.Kind != interaction.KindLead || it.Direction != interaction.DirectionInbound || it.Channel != channel.KindEmail ||
			it.Rooftop != "downtown" || it.Customer != c.ID || it.Subject != "Lead: 2021 Honda Accord" {
			t.Errorf("interaction = %+v", it)
		}
		if !strings.Contains(it.Body, "test drive it Saturday") || it.Attributes["provider"] != "Example Marketplace" ||
			it.Attributes["vehicle_of_interest"] != v.Record.ID.String() || it.ExternalRefs["marketplace"] != "MK-20261130-0042" {
			t.Errorf("interaction details = body %q attrs %v refs %v", it.Body, it.Attributes, it.ExternalRefs)
		}
		if it.Attributes["adf.prospect.id.1"] != "leadtype:Email" {
			t.Errorf("second prospect id not kept: %v", it.Attributes)
		}
		conv := res.Interaction.Conversation
		if conv.ID.IsZero() || !res.Interaction.OpenedConversation || conv.WaitingSince.IsZero() {
			t.Errorf("conversation = %+v; the response clock must start", conv)
		}
		// Consent: service only, never marketing.
		if len(res.Consent) != 2 {
			t.Fatalf("consent = %+v", res.Consent)
		}
		for _, e := range res.Consent {
			if e.Action != consent.ActionGrant || e.Purpose != consent.PurposeService || e.Basis != consent.BasisExpress || !e.EffectiveTo.IsZero() {
				t.Errorf("event = %+v", e)
			}
		}
		mobile, _ := channel.ParsePhone("(212) 555-0142", "US")
		at := f.clock().Add(time.Hour)
		for _, tc := range []struct {
			purpose consent.Purpose
			allowed bool
		}{{consent.PurposeService, true}, {consent.PurposeMarketing, false}} {
			vd, err := f.book.Check(ctx, rapport.Contact{Address: mobile.Address(), Channel: channel.KindSMS, Purpose: tc.purpose, Rooftop: "downtown", At: at})
			if err != nil {
				t.Fatal(err)
			}
			if vd.Consent.Allowed != tc.allowed {
				t.Errorf("%s text after the lead: allowed = %v, want %v (%+v)", tc.purpose, vd.Consent.Allowed, tc.allowed, vd.Consent)
			}
		}

		// The same lead again writes nothing.
		before := countChanges(t, f.book)
		again, err := f.book.ImportLead(ctx, lead)
		if err != nil {
			t.Fatal(err)
		}
		if !again.Duplicate || again.Interaction.Interaction.ID != it.ID || again.Customer.Record.ID != c.ID {
			t.Errorf("second import = %+v", again)
		}
		if after := countChanges(t, f.book); after != before {
			t.Errorf("second import wrote %d change records", after-before)
		}

		// The same person from another provider is the same customer.
		other := adf.Prospect{
			IDs:         []adf.ID{{Source: "OtherLeads", Value: "OL-9"}},
			RequestDate: "2026-11-01T10:00:00-05:00",
			Vehicles:    []adf.Vehicle{{Year: "2015", Make: "Toyota", Model: "Camry", Interest: "Trade-In", VIN: "1HGCM82633A004353"}},
			Customer: &adf.Customer{
				Contact:  &adf.Contact{Names: []adf.Name{{Part: "full", Value: "MARIA GARCIA"}}, Emails: []adf.Email{{Value: "Maria.Garcia@example.com"}}},
				Comments: "My card is 4111 1111 1111 1111, call me",
			},
		}
		res2, err := f.book.ImportLead(ctx, rapport.Lead{Prospect: &other})
		if err != nil {
			t.Fatal(err)
		}
		if res2.Customer.Created || res2.Customer.Record.ID != c.ID {
			t.Errorf("other provider: created %v, customer %v, want %v", res2.Customer.Created, res2.Customer.Record.ID, c.ID)
		}
		tv := res2.Vehicles[0]
		if tv.Interest != "trade-in" || tv.VINProblem == nil || tv.Record.VIN.String() != "1HGCM82633A004353" || tv.Record.VIN.Standard() {
			t.Errorf("trade-in with a bad check digit = %+v", tv)
		}
		if len(tv.Record.Stakeholders) != 1 || tv.Record.Stakeholders[0].Customer != c.ID {
			t.Errorf("trade-in owner = %+v", tv.Record.Stakeholders)
		}
		if strings.Contains(res2.Interaction.Interaction.Body, "4111") || len(res2.Interaction.Interaction.Findings) == 0 {
			t.Errorf("lead comments not redacted: %q", res2.Interaction.Interaction.Body)
		}
		if res2.Interaction.Interaction.Attributes["trade_in"] != tv.Record.ID.String() {
			t.Errorf("trade-in not linked: %v", res2.Interaction.Interaction.Attributes)
		}
	})
}

func TestImportLeadCanada(t *testing.T) {
	forEachImportBackend(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		p := adf.Prospect{
			IDs:         []adf.ID{{Source: "Example CA", Value: "CA-1"}},
			RequestDate: "2026-10-30T09:00:00-04:00",
			Vehicles:    []adf.Vehicle{{Year: "2026", Make: "Honda", Model: "CR-V"}},
			Customer: &adf.Customer{Contact: &adf.Contact{
				Names:     []adf.Name{{Part: "first", Value: "Renée"}, {Part: "last", Value: "Tremblay"}},
				Phones:    []adf.Phone{{Type: "cellphone", Value: "514-555-0188"}},
				Addresses: []adf.Address{{Streets: []adf.Street{{Value: "1 rue Exemple"}}, City: "Montréal", RegionCode: "QC", PostalCode: "H2X 1Y4", Country: "CA"}},
			}},
		}
		res, err := f.book.ImportLead(ctx, rapport.Lead{Prospect: &p})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Consent) != 1 {
			t.Fatalf("consent = %+v", res.Consent)
		}
		e := res.Consent[0]
		want := time.Date(2026, 10, 30, 13, 0, 0, 0, time.UTC).AddDate(0, 6, 0)
		if e.Basis != consent.BasisImpliedInquiry || e.Purpose != consent.PurposeAll || !e.EffectiveTo.Equal(want) {
			t.Errorf("Canadian lead consent = %+v, want implied by inquiry until %v", e, want)
		}
		if pa := res.Customer.Record.PostalAddresses; len(pa) != 1 || pa[0].PostalCode != "H2X 1Y4" || pa[0].Region != "QC" || pa[0].Locality != "Montréal" {
			t.Errorf("postal address = %+v", pa)
		}
	})
}

func TestImportLeadRefused(t *testing.T) {
	forEachImportBackend(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		for name, p := range map[string]*adf.Prospect{
			"no prospect": nil,
			"no customer": {RequestDate: "2026-11-01", Vehicles: []adf.Vehicle{{Make: "Ford"}}},
			"no contact":  {Customer: &adf.Customer{Contact: &adf.Contact{Phones: []adf.Phone{{Value: "12"}}}}},
		} {
			_, err := f.book.ImportLead(ctx, rapport.Lead{Prospect: p})
			var le *rapport.LeadError
			if !errors.Is(err, rapport.ErrLead) || !errors.As(err, &le) {
				t.Errorf("%s: err = %v, want a *LeadError wrapping ErrLead", name, err)
			}
		}
		if n := countChanges(t, f.book); n != 0 {
			t.Errorf("refused leads wrote %d changes", n)
		}
	})
}

// TestImportLeadWithoutID: a lead with no ID is keyed by its content, so it
// too is imported once.
func TestImportLeadWithoutID(t *testing.T) {
	forEachImportBackend(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		doc := readLeads(t, "spec-customer.xml")
		for i := range 2 {
			res, err := f.book.ImportLead(ctx, rapport.Lead{Prospect: &doc.Prospects[0]})
			if err != nil {
				t.Fatal(err)
			}
			if res.Duplicate != (i == 1) || !strings.HasPrefix(res.LeadID, "sha256:") {
				t.Errorf("import %d: duplicate %v, key %q", i, res.Duplicate, res.LeadID)
			}
			if i == 0 && res.Customer.Record.Attributes["adf.phone.fax"] != "212-555-0125" {
				t.Errorf("fax kept as %v", res.Customer.Record.Attributes)
			}
			if pa := res.Customer.Record.PostalAddresses; i == 0 && (len(pa) != 1 || pa[0].PostalCode != "98002-3903" || len(pa[0].Lines) != 2) {
				t.Errorf("postal address = %+v", pa)
			}
		}
	})
}

// The import packages' errors have the FieldError shape too.
var (
	_ rapport.FieldError = (*adf.ParseError)(nil)
	_ rapport.FieldError = (*dms.ValidationError)(nil)
	_ rapport.FieldError = (*dms.RowError)(nil)
	_ rapport.FieldError = (*rapport.LeadError)(nil)
)
