package consent

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/customer"
)

// eventDocs are Event documents in the stored form and around it.
func eventDocs(tb testing.TB) []string {
	tb.Helper()
	a, err := channel.ParseAddress("tel:+12125550123")
	if err != nil {
		tb.Fatal(err)
	}
	at := time.Date(2026, 3, 1, 15, 0, 0, 123456000, time.UTC)
	full, err := json.Marshal(Event{ID: ID{1, 2}, Tenant: "north-group", Subject: Subject{Address: a, Customer: customer.ID{3}},
		Channel: channel.KindSMS, Purpose: PurposeMarketing, Rooftop: "north", Action: ActionGrant, Basis: BasisExpressWritten,
		Evidence: Evidence{Method: MethodWebForm, CapturedBy: "pat", SourceSystem: "web", RawValue: "yes", DisclosureText: "I agree",
			DisclosureVersion: "v1", DisclosureHash: "abc", RawText: "YES"},
		CapturedAt: at, RecordedAt: at.Add(time.Second), EffectiveFrom: at, EffectiveTo: at.Add(time.Hour), ChannelOnly: true,
		Giver: Giver{Name: "Pat Example", Relationship: "spouse", Customer: customer.ID{4}}, Note: "at the desk"})
	if err != nil {
		tb.Fatal(err)
	}
	return []string{
		string(full),
		`{"subject":{"address":"tel:+12125550123"},"channel":"sms","purpose":"marketing","action":"grant","basis":"express_written","evidence":{"method":"web_form","ip":"203.0.113.7"},"captured_at":"2025-03-01T15:00:00Z"}`,
		`{"id":"01954f00-0000-7000-8000-000000000001","subject":{"address":"mailto:Jane@Example.com"},"channel":"all","purpose":"all","action":"suspend","captured_at":"2025-03-01T15:00:00+05:00"}`,
		`{"giver":{"name":"Pat","customer":""},"effective_to":"2026-01-01T00:00:00Z"}`,
		` { "note" : "a" , "note":"b", "channel_only": false, "subject":{"address":"tel:+12125550123"}, "subject":{"customer":"00000000-0000-0000-0000-000000000001"} } `,
		`{"Note":"upper"}`, `{"note":"caf\u00e9"}`, `{"note":"café"}`, `{"note":null}`, `{"channel":"fax"}`, `{"captured_at":"yesterday"}`,
		`{"channel_only":true}x`, `{"channel_only":truex}`, `{}`, `null`, `[]`, `{"note":"a"`, ``,
	}
}

// compareEventJSON decodes in with Event's UnmarshalJSON and with
// json.Unmarshal's own decoding of the struct: the results and the errors
// must be the same.
func compareEventJSON(t *testing.T, in string) {
	var fast, slow Event
	ferr := json.Unmarshal([]byte(in), &fast)
	serr := json.Unmarshal([]byte(in), (*eventJSON)(&slow))
	if fmt.Sprint(ferr) != fmt.Sprint(serr) || !reflect.DeepEqual(fast, slow) {
		t.Fatalf("%q:\n UnmarshalJSON: %+v (%v)\n json.Unmarshal: %+v (%v)", in, fast, ferr, slow, serr)
	}
}

func TestEventUnmarshalJSON(t *testing.T) {
	for _, in := range eventDocs(t) {
		compareEventJSON(t, in)
	}
	var e Event
	if err := json.Unmarshal([]byte(eventDocs(t)[0]), &e); err != nil || e.Giver.Name != "Pat Example" || !e.ChannelOnly || e.CapturedAt.Nanosecond() != 123456000 {
		t.Fatalf("stored form: %+v, %v", e, err)
	}
}

// FuzzEventUnmarshalJSON holds Event's UnmarshalJSON to json.Unmarshal's
// decoding of the struct.
func FuzzEventUnmarshalJSON(f *testing.F) {
	for _, in := range eventDocs(f) {
		f.Add(in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		if len(in) > 1<<16 {
			return
		}
		compareEventJSON(t, in)
	})
}
