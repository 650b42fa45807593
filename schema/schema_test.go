package schema_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/rapportcim/rapport"
	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/internal/schemagen"
	"github.com/rapportcim/rapport/schema"
	"github.com/rapportcim/rapport/storage/memstore"
)

// TestSchemasMatchGoTypes fails when the committed schema files and the Go
// types have drifted apart (a field added, renamed or retyped on another
// branch).
func TestSchemasMatchGoTypes(t *testing.T) {
	want, err := schemagen.Files()
	if err != nil {
		t.Fatal(err)
	}
	committed, err := fs.Glob(schema.FS, "*.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range committed {
		if _, ok := want[name]; !ok {
			t.Errorf("schema/%s is committed but no record type generates it: delete it, or run go generate ./schema", name)
		}
	}
	for name, data := range want {
		got, err := fs.ReadFile(schema.FS, name)
		if err != nil {
			t.Errorf("schema/%s is missing: run go generate ./schema and commit the result", name)
			continue
		}
		if !bytes.Equal(got, data) {
			t.Errorf("schema/%s does not match the Go types (they changed since it was generated): run go generate ./schema and commit the result", name)
		}
	}
}

// compile compiles every committed schema with the validator.
func compile(t *testing.T) map[string]*jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	names, _ := fs.Glob(schema.FS, "*.json")
	for _, name := range names {
		data, _ := fs.ReadFile(schema.FS, name)
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := c.AddResource(schemagen.IDBase+name, doc); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	out := map[string]*jsonschema.Schema{}
	for _, name := range names {
		s, err := c.Compile(schemagen.IDBase + name)
		if err != nil {
			t.Fatalf("compile %s: %v", name, err)
		}
		out[name] = s
	}
	return out
}

func validate(t *testing.T, s *jsonschema.Schema, what string, v any) {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(doc); err != nil {
		t.Errorf("%s does not validate: %v\n%s", what, err, data)
	}
}

// records builds records the way the package examples do — through a Book
// on memstore — and returns each under its schema file name.
func records(t *testing.T) map[string][]any {
	t.Helper()
	ctx := context.Background()
	var n uint64
	now := time.Date(2026, 11, 10, 19, 0, 0, 0, time.UTC)
	book, err := rapport.New(memstore.New(nil), "example-group", &rapport.Options{
		Now: func() time.Time { return now },
		NewID: func() ([16]byte, error) {
			n++
			var id [16]byte
			binary.BigEndian.PutUint64(id[8:], n)
			return id, nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]any{}
	add := func(file string, v any) { out[file] = append(out[file], v) }

	phone, _ := channel.ParsePhone("(212) 555-0123", "US")
	email, _ := channel.NewAddress(channel.SchemeMailto, "jane.doe@example.com")
	store, _ := channel.ParseAddress("tel:+12125550100")
	c, err := book.UpsertCustomer(ctx, customer.Customer{
		Party: customer.PartyIndividual,
		Name:  customer.Name{Given: "Jane", Family: "Doe"},
		ContactPoints: []customer.ContactPoint{
			{Address: phone.Address(), Usage: customer.UsageMobile, Primary: true, SMS: customer.CapabilityYes,
				BestTime: []channel.Window{{Day: time.Monday, Start: channel.Clock(9, 0), End: channel.Clock(17, 0)}}, Zone: "America/New_York"},
			{Address: email, Usage: customer.UsageHome},
		},
		ExternalIDs: []customer.ExternalID{{System: "dms", Value: "C-10042"}},
		LifeEvents:  []customer.LifeEvent{{Kind: customer.LifeEventBirthday, Note: "from the DMS"}},
		PostalAddresses: []customer.PostalAddress{{Lines: []string{"1 Example St"}, Locality: "Springfield", Region: "IL",
			PostalCode: "62701", Country: "US", Usage: customer.AddressHome}},
		Tags:       []string{"vip"},
		Attributes: map[string]string{"Customer Since": "2019"},
	})
	if err != nil {
		t.Fatal(err)
	}
	add("customer.json", c.Record)

	ev, err := book.RecordConsent(ctx, consent.Event{
		Subject: consent.Subject{Address: phone.Address(), Customer: c.Record.ID}, Channel: channel.KindSMS,
		Purpose: consent.PurposeMarketing, Action: consent.ActionGrant, Basis: consent.BasisExpressWritten,
		CapturedAt: now.Add(-time.Hour),
		Evidence:   consent.Evidence{Method: consent.MethodWebForm, DisclosureVersion: "sms-terms-v3", PageURL: "https://dealer.example.com/form"},
	})
	if err != nil {
		t.Fatal(err)
	}
	add("consent_event.json", ev)

	r, err := book.Receive(ctx, rapport.Inbound{From: phone.Address(), To: store, Rooftop: "downtown", Body: "Is the CX-5 still there? STOP"})
	if err != nil {
		t.Fatal(err)
	}
	add("interaction.json", r.Interaction)
	add("conversation.json", r.Conversation)
	for _, e := range r.Consent {
		add("consent_event.json", e)
	}
	call, err := book.RecordInteraction(ctx, interaction.Interaction{
		Customer: c.Record.ID, Channel: channel.KindVoice, Address: phone.Address(), Kind: interaction.KindCall,
		Direction: interaction.DirectionOutbound, Authorship: interaction.AuthorshipHuman, OccurredAt: now.Add(-30 * time.Minute),
		Call: &interaction.Call{Outcome: interaction.CallOutcomeAnswered, Duration: 4 * time.Minute},
		Body: "Card 4111 1111 1111 1111 for the deposit", ExternalRefs: map[string]string{"twilio": "CA0001"},
	})
	if err != nil {
		t.Fatal(err)
	}
	add("interaction.json", call.Interaction)

	cm, err := book.Commitments().Make(ctx, interaction.Commitment{
		Customer: c.Record.ID, Conversation: r.Conversation.ID, What: "Send the trade-in appraisal", Owner: "sam", Due: now.Add(24 * time.Hour),
	})
	if err != nil {
		t.Fatal(err)
	}
	add("commitment.json", cm)

	vin, _ := household.ParseVIN("1HGCM82633A004352")
	v, err := book.UpsertVehicle(ctx, household.Vehicle{VIN: vin, Year: 2003, Make: "Honda", Model: "Accord",
		Odometer:     household.Odometer{Value: 31250, Unit: household.DistanceUnitMiles},
		Stakeholders: []household.Stakeholder{{Customer: c.Record.ID, Role: household.StakeholderRoleOwner, From: now.Add(-48 * time.Hour)}}})
	if err != nil {
		t.Fatal(err)
	}
	add("vehicle.json", v.Record)
	h, err := book.UpsertHousehold(ctx, household.Household{Name: "Doe household",
		Members:  []household.Member{{Customer: c.Record.ID, Role: household.MemberRolePrimary}},
		Vehicles: []household.VehicleID{v.Record.ID}})
	if err != nil {
		t.Fatal(err)
	}
	add("household.json", h.Record)

	for ch, err := range book.Changes(ctx, "") {
		if err != nil {
			t.Fatal(err)
		}
		add("change.json", ch)
	}
	return out
}

// TestRecordsValidate validates real JSON of every record type against its
// schema with an independent validator.
func TestRecordsValidate(t *testing.T) {
	schemas := compile(t)
	recs := records(t)
	for _, r := range schemagen.Records() {
		vs := recs[r.File]
		if len(vs) == 0 {
			t.Errorf("no %s record was made to validate", r.File)
		}
		for i, v := range vs {
			validate(t, schemas[r.File], fmt.Sprintf("%s record %d", r.File, i), v)
		}
	}
}

// TestSchemasRefuse: the schemas are not "anything goes": a wrong type, an
// unknown property or a malformed ID fail; an enum value from a newer
// version passes.
func TestSchemasRefuse(t *testing.T) {
	schemas := compile(t)
	recs := records(t)
	base, _ := json.Marshal(recs["interaction.json"][0])
	tests := []struct {
		name string
		edit func(m map[string]any)
		ok   bool
	}{
		{"unchanged", func(map[string]any) {}, true},
		{"newer kind", func(m map[string]any) { m["kind"] = "video_walkaround" }, true},
		{"kind not a token", func(m map[string]any) { m["kind"] = "Not A Kind!" }, false},
		{"occurred_at not a time", func(m map[string]any) { m["occurred_at"] = "yesterday" }, false},
		{"id not a UUID", func(m map[string]any) { m["id"] = "42" }, false},
		{"unknown property", func(m map[string]any) { m["mood"] = "happy" }, false},
		{"body not a string", func(m map[string]any) { m["body"] = 7 }, false},
		{"tenant missing", func(m map[string]any) { delete(m, "tenant") }, false},
	}
	for _, tc := range tests {
		var m map[string]any
		if err := json.Unmarshal(base, &m); err != nil {
			t.Fatal(err)
		}
		tc.edit(m)
		data, _ := json.Marshal(m)
		doc, _ := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		err := schemas["interaction.json"].Validate(doc)
		if (err == nil) != tc.ok {
			t.Errorf("%s: validation error = %v, want ok=%v", tc.name, err, tc.ok)
		}
	}
	if !strings.Contains(string(base), `"tenant"`) {
		t.Fatalf("interaction JSON has no tenant: %s", base)
	}
}
