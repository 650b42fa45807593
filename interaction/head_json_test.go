package interaction

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/rapportcim/rapport/channel"
)

// plainHead is Head without its UnmarshalJSON: the reference decoding.
type plainHead Head

func headCases(t testing.TB) [][]byte {
	full := Interaction{ID: ID{1, 2}, Tenant: "acme", Rooftop: "downtown", Customer: customerID(t, jane), Conversation: ConversationID{3},
		Channel: channel.KindSMS, Address: mustAddress(t, "tel:+12125550123"), Direction: DirectionOutbound, Kind: KindMessage,
		Subject: `a "quoted" {subject} [with] brackets \\ and \u00e9`, Body: "line one\nline two, } ] \" tricky",
		Participants: []Participant{{Staff: "sam", Role: RoleSalesperson}}, Authorship: AuthorshipAssisted,
		OccurredAt: time.Date(2026, 11, 2, 14, 0, 0, 123000, time.UTC), Delivery: Delivery{Status: StatusFailed, Reason: "unreachable"},
		Attributes: map[string]string{"kind": "not the kind", "id": "not the id"}}
	doc, err := json.Marshal(full)
	if err != nil {
		t.Fatal(err)
	}
	newer := full
	newer.Kind, newer.Channel, newer.Direction, newer.Authorship = "hologram", "telepathy", "sideways", "ghostwritten"
	ndoc, err := json.Marshal(newer)
	if err != nil {
		t.Fatal(err)
	}
	return [][]byte{
		doc, ndoc,
		[]byte(`{}`), []byte(` null `), []byte(`{"ID":"00000000-0000-7000-0000-000000000001","KIND":"call","Kind":"email"}`),
		[]byte(`{"kind":"\u0063all","channel":null,"occurred_at":null,"delivery":null}`),
		[]byte(`{"kind":"call","extra":{"a":[1,2,{"b":"}"}]},"direction":"inbound"}`),
		[]byte(` { "kind" : "chat" , "authorship" : "human" } `),
		// Names in other cases: upper-case ASCII, and the Kelvin sign (which
		// folds onto k), raw and escaped.
		[]byte("{\"\u212aind\":\"call\",\"DIRECTION\":\"inbound\",\"Occurred_At\":\"2026-11-02T14:00:00Z\"}"),
		[]byte(`{"\u212aind":"chat","Channel":"sms"}`),
		[]byte(`{"kind":"Not A Token"}`), []byte(`{"id":42}`), []byte(`{"kind":"call"`), []byte(`{"kind":"call",}`),
		[]byte(`[1,2]`), []byte(`"x"`), []byte(``), []byte(`{"a":"unterminated}`), []byte(`{"occurred_at":"yesterday"}`),
	}
}

// compareHeads requires Head.UnmarshalJSON to give what json.Unmarshal
// gives wherever json.Unmarshal succeeds.
func compareHeads(t *testing.T, data []byte) {
	var ref plainHead
	refErr := json.Unmarshal(data, &ref)
	var got Head
	err := got.UnmarshalJSON(data)
	if refErr != nil {
		return // invalid JSON or values: Head need not agree on the error
	}
	if err != nil {
		t.Fatalf("json.Unmarshal reads %q, Head.UnmarshalJSON fails: %v", data, err)
	}
	if Head(ref) != got {
		t.Fatalf("%q:\n got %+v\nwant %+v", data, got, Head(ref))
	}
}

func TestHeadUnmarshalJSON(t *testing.T) {
	for _, c := range headCases(t) {
		compareHeads(t, c)
	}
	var h Head
	if err := h.UnmarshalJSON([]byte(`{"kind":"call"`)); err == nil {
		t.Error("an unterminated object decodes")
	}
	if err := json.Unmarshal(headCases(t)[0], &h); err != nil || h.Kind != KindMessage || h.Delivery.Status != StatusFailed || h.Authorship != AuthorshipAssisted {
		t.Errorf("through json.Unmarshal: %+v, %v", h, err)
	}
}

func FuzzHeadJSON(f *testing.F) {
	for _, c := range headCases(f) {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		compareHeads(t, data)
	})
}
