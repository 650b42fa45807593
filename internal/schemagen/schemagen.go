// Package schemagen generates the JSON Schemas (draft 2020-12) under schema/
// from the Go record types, by reflection over their fields and json tags.
//
// It is hand-written rather than built on a schema library because the
// records' JSON is shaped by things a generic generator does not know:
// identifiers and addresses that marshal as text (with their own forms),
// "omitzero", enums that keep values from newer versions, and a few types
// with their own MarshalJSON. Every Go type it cannot map is an error, so a
// new kind of field cannot slip into the schema as "anything".
package schemagen

import (
	"bytes"
	"encoding"
	"encoding/json"
	"fmt"
	"net/netip"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
	"golang.org/x/text/language"
)

// Record is one generated schema: the file it goes to and the type.
type Record struct {
	File  string // file name under schema/, e.g. "customer.json"
	Title string
	Type  reflect.Type
}

// Records lists the record types with a schema, in file order.
func Records() []Record {
	return []Record{
		{"customer.json", "Customer", reflect.TypeFor[customer.Customer]()},
		{"consent_event.json", "Consent event", reflect.TypeFor[consent.Event]()},
		{"interaction.json", "Interaction", reflect.TypeFor[interaction.Interaction]()},
		{"conversation.json", "Conversation", reflect.TypeFor[interaction.Conversation]()},
		{"commitment.json", "Commitment", reflect.TypeFor[interaction.Commitment]()},
		{"household.json", "Household", reflect.TypeFor[household.Household]()},
		{"vehicle.json", "Vehicle", reflect.TypeFor[household.Vehicle]()},
		{"change.json", "Change record", reflect.TypeFor[storage.Change]()},
	}
}

// IDBase is the base of every schema's $id.
const IDBase = "https://github.com/rapportcim/rapport/schema/"

// Files returns every schema file's content, keyed by file name. The output
// is deterministic: keys sorted, two-space indented, ending in a newline.
func Files() (map[string][]byte, error) {
	out := map[string][]byte{}
	for _, r := range Records() {
		g := &gen{defs: map[string]any{}}
		root, err := g.object(r.Type)
		if err != nil {
			return nil, fmt.Errorf("schemagen: %s: %w", r.File, err)
		}
		root["$schema"] = "https://json-schema.org/draft/2020-12/schema"
		root["$id"] = IDBase + r.File
		root["title"] = r.Title
		root["description"] = fmt.Sprintf("JSON form of %s, generated from the Go type by go generate ./schema; do not edit.", r.Type.String())
		if len(g.defs) > 0 {
			root["$defs"] = g.defs
		}
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(root); err != nil {
			return nil, err
		}
		out[r.File] = b.Bytes()
	}
	return out, nil
}

type gen struct {
	defs map[string]any
}

var (
	textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()
	jsonMarshaler = reflect.TypeFor[json.Marshaler]()
)

const uuidPattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"

// textForms describes the text form of the types that marshal as text.
var textForms = map[reflect.Type]map[string]any{
	reflect.TypeFor[time.Time]():                  {"type": "string", "format": "date-time"},
	reflect.TypeFor[netip.Addr]():                 {"type": "string", "description": "an IPv4 or IPv6 address"},
	reflect.TypeFor[channel.Address]():            {"type": "string", "pattern": "^[a-z][a-z0-9+.-]*:.+$", "description": "a normalized contact point as a URN: tel:+12125550123, mailto:jane@example.com, whatsapp:…, webchat:…"},
	reflect.TypeFor[channel.Phone]():              {"type": "string", "description": "a phone number in E.164 form, optionally with ;ext=…"},
	reflect.TypeFor[channel.Email]():              {"type": "string", "description": "an email address, optionally with a display name"},
	reflect.TypeFor[language.Tag]():               {"type": "string", "description": "a BCP 47 language tag"},
	reflect.TypeFor[channel.TimeOfDay]():          {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"},
	reflect.TypeFor[customer.Date]():              {"type": "string", "description": "a calendar date, YYYY-MM-DD, or --MM-DD when the year is unknown"},
	reflect.TypeFor[household.VIN]():              {"type": "string", "pattern": "^[0-9A-Z]+$", "description": "a vehicle identification number, upper case"},
	reflect.TypeFor[customer.ID]():                {"type": "string", "pattern": uuidPattern},
	reflect.TypeFor[consent.ID]():                 {"type": "string", "pattern": uuidPattern},
	reflect.TypeFor[interaction.ID]():             {"type": "string", "pattern": uuidPattern},
	reflect.TypeFor[interaction.ConversationID](): {"type": "string", "pattern": uuidPattern},
	reflect.TypeFor[interaction.CommitmentID]():   {"type": "string", "pattern": uuidPattern},
	reflect.TypeFor[household.ID]():               {"type": "string", "pattern": uuidPattern},
	reflect.TypeFor[household.VehicleID]():        {"type": "string", "pattern": uuidPattern},
}

// customJSON holds the schemas of types with their own MarshalJSON.
var customJSON = map[reflect.Type]func() map[string]any{
	reflect.TypeFor[channel.Window](): func() map[string]any {
		days := []any{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}
		tod := textForms[reflect.TypeFor[channel.TimeOfDay]()]
		return map[string]any{
			"type":                 "object",
			"description":          "a weekly contact window; an end before its start runs past midnight",
			"properties":           map[string]any{"day": map[string]any{"enum": days}, "start": tod, "end": tod},
			"required":             []string{"day", "end", "start"},
			"additionalProperties": false,
		}
	},
}

// enumValues lists the values each enum type of the records knows. Enums
// keep values from newer versions (see the root package's conventions), so
// the schema lists these and also accepts any other well-formed token.
func enumValues() map[reflect.Type][]string {
	m := map[reflect.Type][]string{}
	add := func(t reflect.Type, vals any) {
		v := reflect.ValueOf(vals)
		var s []string
		for i := range v.Len() {
			s = append(s, v.Index(i).String())
		}
		m[t] = s
	}
	add(reflect.TypeFor[channel.Kind](), channel.Kinds()) // a consent event's "all" (consent.AllChannels) matches the token pattern
	add(reflect.TypeFor[customer.Party](), []customer.Party{customer.PartyIndividual, customer.PartyBusiness})
	add(reflect.TypeFor[customer.Usage](), []customer.Usage{customer.UsageMobile, customer.UsageHome, customer.UsageWork, customer.UsageOther})
	add(reflect.TypeFor[customer.AddressUsage](), []customer.AddressUsage{customer.AddressHome, customer.AddressWork, customer.AddressBilling})
	add(reflect.TypeFor[customer.Capability](), []customer.Capability{customer.CapabilityYes, customer.CapabilityNo})
	add(reflect.TypeFor[customer.LifeEventKind](), []customer.LifeEventKind{customer.LifeEventBirthday, customer.LifeEventPurchaseAnniversary,
		customer.LifeEventJobChange, customer.LifeEventMove, customer.LifeEventMarriage, customer.LifeEventNewChild,
		customer.LifeEventGraduation, customer.LifeEventRetirement, customer.LifeEventLeaseEnd, customer.LifeEventOther})
	add(reflect.TypeFor[customer.ReferralRole](), []customer.ReferralRole{customer.ReferralReferredBy, customer.ReferralReferred})
	add(reflect.TypeFor[consent.Action](), consent.Actions())
	add(reflect.TypeFor[consent.Purpose](), append(consent.Purposes(), consent.PurposeAll))
	add(reflect.TypeFor[consent.Basis](), consent.Bases())
	add(reflect.TypeFor[consent.Method](), consent.Methods())
	add(reflect.TypeFor[interaction.Direction](), interaction.Directions())
	add(reflect.TypeFor[interaction.Kind](), interaction.Kinds())
	add(reflect.TypeFor[interaction.Role](), interaction.Roles())
	add(reflect.TypeFor[interaction.Authorship](), interaction.Authorships())
	add(reflect.TypeFor[interaction.Status](), interaction.Statuses())
	add(reflect.TypeFor[interaction.CallOutcome](), interaction.CallOutcomes())
	add(reflect.TypeFor[interaction.ConversationStatus](), interaction.ConversationStatuses())
	add(reflect.TypeFor[interaction.CommitmentStatus](), interaction.CommitmentStatuses())
	add(reflect.TypeFor[interaction.AppointmentStatus](), interaction.AppointmentStatuses())
	add(reflect.TypeFor[interaction.FindingKind](), interaction.FindingKinds())
	add(reflect.TypeFor[interaction.FlagReason](), interaction.FlagReasons())
	add(reflect.TypeFor[interaction.Action](), interaction.Actions())
	add(reflect.TypeFor[household.MemberRole](), household.MemberRoles())
	add(reflect.TypeFor[household.StakeholderRole](), household.StakeholderRoles())
	add(reflect.TypeFor[household.DistanceUnit](), []household.DistanceUnit{household.DistanceUnitMiles, household.DistanceUnitKilometers})
	add(reflect.TypeFor[storage.Entity](), []storage.Entity{storage.EntityCustomer, storage.EntityConsent, storage.EntityInteraction,
		storage.EntityConversation, storage.EntityCommitment, storage.EntityHousehold, storage.EntityVehicle})
	add(reflect.TypeFor[storage.Op](), []storage.Op{storage.OpCreate, storage.OpUpdate, storage.OpDelete})
	return m
}

// defName names a struct type in $defs: "customer.ContactPoint".
func defName(t reflect.Type) string {
	pkg := t.PkgPath()
	return pkg[strings.LastIndexByte(pkg, '/')+1:] + "." + t.Name()
}

// schema returns the schema of a value of type t.
func (g *gen) schema(t reflect.Type) (map[string]any, error) {
	if s, ok := textForms[t]; ok {
		return s, nil
	}
	if f, ok := customJSON[t]; ok {
		name := defName(t)
		if _, done := g.defs[name]; !done {
			g.defs[name] = f()
		}
		return map[string]any{"$ref": "#/$defs/" + name}, nil
	}
	if t.Implements(jsonMarshaler) || reflect.PointerTo(t).Implements(jsonMarshaler) {
		return nil, fmt.Errorf("%s has its own MarshalJSON: describe it in customJSON", t)
	}
	if t.Implements(textMarshaler) {
		return nil, fmt.Errorf("%s marshals as text: describe its form in textForms", t)
	}
	if vals, ok := enumValues()[t]; ok {
		// Lists written out here (for types without a list function) must
		// hold only values the type itself knows.
		if known, ok := t.MethodByName("Known"); ok {
			for _, v := range vals {
				if !known.Func.Call([]reflect.Value{reflect.ValueOf(v).Convert(t)})[0].Bool() {
					return nil, fmt.Errorf("%s: %q is not a value the type knows", t, v)
				}
			}
		}
		enum := make([]any, 0, len(vals)+1)
		enum = append(enum, "")
		for _, v := range vals {
			enum = append(enum, v)
		}
		return map[string]any{
			"type":        "string",
			"description": "one of the listed values (\"\" means unknown), or a value from a newer version",
			"anyOf": []any{
				map[string]any{"enum": enum},
				map[string]any{"pattern": "^[a-z0-9][a-z0-9_-]{0,31}$"},
			},
		}, nil
	}
	if _, ok := t.MethodByName("Known"); ok && t.Kind() == reflect.String {
		return nil, fmt.Errorf("%s is an enum (it has Known): list its values in enumValues", t)
	}
	switch t.Kind() {
	case reflect.String:
		return map[string]any{"type": "string"}, nil
	case reflect.Bool:
		return map[string]any{"type": "boolean"}, nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}, nil
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}, nil
	case reflect.Pointer:
		return g.schema(t.Elem())
	case reflect.Slice:
		items, err := g.schema(t.Elem())
		if err != nil {
			return nil, err
		}
		return map[string]any{"type": "array", "items": items}, nil
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			return nil, fmt.Errorf("%s: map keys must be strings", t)
		}
		vals, err := g.schema(t.Elem())
		if err != nil {
			return nil, err
		}
		return map[string]any{"type": "object", "additionalProperties": vals}, nil
	case reflect.Struct:
		name := defName(t)
		if _, done := g.defs[name]; !done {
			g.defs[name] = nil // placeholder against recursion
			s, err := g.object(t)
			if err != nil {
				return nil, err
			}
			g.defs[name] = s
		}
		return map[string]any{"$ref": "#/$defs/" + name}, nil
	}
	return nil, fmt.Errorf("%s: no JSON Schema for kind %s", t, t.Kind())
}

// object returns the schema of struct type t: its exported fields by json
// name; a field without omitempty or omitzero is always written, so it is
// required (and may be null when it is a nil slice, map or pointer).
func (g *gen) object(t reflect.Type) (map[string]any, error) {
	props := map[string]any{}
	var required []string
	for f := range t.Fields() {
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			return nil, fmt.Errorf("%s.%s: embedded fields are not supported", t, f.Name)
		}
		if name == "" {
			name = f.Name
		}
		s, err := g.schema(f.Type)
		if err != nil {
			return nil, fmt.Errorf("%s.%s: %w", t, f.Name, err)
		}
		omit := slices.Contains(strings.Split(opts, ","), "omitempty") || slices.Contains(strings.Split(opts, ","), "omitzero")
		if !omit {
			required = append(required, name)
			switch f.Type.Kind() {
			case reflect.Slice, reflect.Map, reflect.Pointer:
				s = map[string]any{"anyOf": []any{s, map[string]any{"type": "null"}}}
			}
		}
		props[name] = s
	}
	sort.Strings(required)
	out := map[string]any{
		"type":                 "object",
		"properties":           props,
		"additionalProperties": false,
	}
	if len(required) > 0 {
		out["required"] = required
	}
	return out, nil
}
