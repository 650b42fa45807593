package consent

import (
	"encoding/json"
	"errors"
	"net/netip"
	"reflect"
	"testing"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
)

// roundTrip marshals v, unmarshals it into a new T, checks the two are
// deeply equal, and returns the copy.
func roundTrip[T any](t *testing.T, v T) T {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("Marshal(%#v): %v", v, err)
	}
	var got T
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("Unmarshal(%s): %v", b, err)
	}
	if !reflect.DeepEqual(got, v) {
		t.Fatalf("round trip through %s\n got %#v\nwant %#v", b, got, v)
	}
	return got
}

// fullEvent sets every field, with enum values this version does not know
// where an enum allows them.
func fullEvent(t *testing.T) Event {
	return Event{
		ID:      testID(7),
		Tenant:  "acme-auto",
		Subject: Subject{Address: mustAddr(t, "tel:+12125550123;ext=45"), Customer: customer.ID{0x01, 0x95, 9}},
		Channel: "pager",
		Purpose: "loyalty",
		Rooftop: "downtown",
		Action:  "suspend",
		Basis:   "casl_published",
		Evidence: Evidence{
			Method:            "carrier_portal",
			CapturedBy:        "bdc.alex",
			SourceSystem:      "website",
			RawValue:          "Y",
			DisclosureText:    "I agree to receive texts from Acme Auto. Consent is not a condition of purchase.",
			DisclosureVersion: "sms-consent-2025-01",
			DisclosureHash:    "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
			RawText:           "Stop texting me please",
			ReceivedOn:        mustAddr(t, "tel:+12125550188"),
			IP:                netip.MustParseAddr("2001:db8::7"),
			UserAgent:         "Mozilla/5.0",
			PageURL:           "https://example.com/test-drive",
			RecordingRef:      "calls/2025/03/01/abc.wav",
			DocumentRef:       "docs/4711.pdf",
			ProviderRef:       "SM0123456789abcdef",
			CASL: CASLDisclosure{Purposes: "offers by text", SoughtBy: "Maple Motors Ltd.",
				Contact: "100 Example Road, Toronto ON; +1 416 555 0123", Withdrawal: "Reply STOP to withdraw consent."},
		},
		CapturedAt:    at(0),
		RecordedAt:    at(3),
		EffectiveFrom: at(-day),
		EffectiveTo:   at(700 * day),
		ChannelOnly:   true,
		Giver:         Giver{Name: "Pat Doe", Relationship: "parent", Customer: customer.ID{0x01, 0x95, 10}},
		Note:          "asked at the service desk",
	}
}

func TestJSONRoundTrip(t *testing.T) {
	full := fullEvent(t)
	known := grant(t, "mailto:jane.doe@example.com", t0)
	known.Channel = channel.KindEmail
	t.Run("Event", func(t *testing.T) {
		got := roundTrip(t, full)
		if got.Action.Known() || got.Action != "suspend" || got.Purpose != "loyalty" || got.Basis != "casl_published" {
			t.Errorf("unknown enum values not kept: %+v", got)
		}
		roundTrip(t, known)
		roundTrip(t, Event{})
	})
	t.Run("Ledger", func(t *testing.T) { roundTrip(t, Ledger{full, known, revoke(known, at(day))}) })
	t.Run("Subject", func(t *testing.T) { roundTrip(t, full.Subject); roundTrip(t, Subject{}) })
	t.Run("Evidence", func(t *testing.T) { roundTrip(t, full.Evidence); roundTrip(t, Evidence{}) })
	t.Run("CASLDisclosure", func(t *testing.T) { roundTrip(t, full.Evidence.CASL); roundTrip(t, CASLDisclosure{}) })
	t.Run("registry facts", func(t *testing.T) {
		roundTrip(t, []Listing{{Registry: RegistryUSDNC, Listed: true, ScrubbedAt: at(-day)}, {Registry: "us_tx_dnc"}})
		roundTrip(t, Relationship{LastPurchase: at(-400 * day), LastInquiry: at(-30 * day)})
		roundTrip(t, Relationship{})
		roundTrip(t, append(FederalHolidays(), Holiday{Name: "Mardi Gras", Easter: true, EasterOffset: -47}, Holiday{Month: 3, Day: 2, Year: 2027}))
		roundTrip(t, []Seller{{Name: "north", Rooftops: []dealer.Rooftop{"downtown", "midtown"}}})
		roundTrip(t, []RegistryRule{USDNC(), CADNCL()})
	})
	t.Run("Giver", func(t *testing.T) { roundTrip(t, full.Giver); roundTrip(t, Giver{}) })
	t.Run("Key", func(t *testing.T) { roundTrip(t, full.Key()); roundTrip(t, Key{}) })
	t.Run("State", func(t *testing.T) {
		roundTrip(t, StateOf(full))
		roundTrip(t, State{Status: "paused", Basis: "x", Method: "y"})
		roundTrip(t, State{})
	})
	t.Run("ID", func(t *testing.T) { roundTrip(t, testID(9)); roundTrip(t, ID{}) })
	t.Run("enums", func(t *testing.T) {
		type enums struct {
			Action  Action
			Purpose Purpose
			Basis   Basis
			Method  Method
			Status  Status
		}
		roundTrip(t, enums{ActionDNCRequest, PurposeAll, BasisCASLExpress, MethodProviderSignal, StatusDNC})
		roundTrip(t, enums{"teleport", "teleport", "teleport", "teleport", "teleport"})
		roundTrip(t, enums{})
	})
}

// TestEventJSONForm pins the stored form: snake_case names, optional fields
// left out.
func TestEventJSONForm(t *testing.T) {
	e := revoke(grant(t, "tel:+12125550123", t0), at(day))
	e.Evidence.ReceivedOn = mustAddr(t, "tel:+12125550188")
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"id":"01954f00-0000-7000-8000-000000000001","tenant":"acme-auto",` +
		`"subject":{"address":"tel:+12125550123"},"channel":"sms","purpose":"marketing","rooftop":"downtown",` +
		`"action":"revoke","evidence":{"method":"sms_keyword","raw_text":"STOP","received_on":"tel:+12125550188"},` +
		`"captured_at":"2025-03-02T15:00:00Z"}`
	if string(b) != want {
		t.Errorf("JSON form\n got %s\nwant %s", b, want)
	}
}

func TestJSONNormalizesAndRejects(t *testing.T) {
	var e Event
	in := `{"subject":{"address":"TEL:+1 (212) 555-0123"},"channel":"SMS","purpose":" Marketing ","action":"GRANT"}`
	if err := json.Unmarshal([]byte(in), &e); err != nil {
		t.Fatal(err)
	}
	if e.Subject.Address.String() != "tel:+12125550123" || e.Channel != channel.KindSMS || e.Purpose != PurposeMarketing || e.Action != ActionGrant {
		t.Errorf("not normalized: %+v", e)
	}
	err := json.Unmarshal([]byte(`{"action":"grant now!"}`), &e)
	var ve *ValidationError
	if !errors.As(err, &ve) || ve.Field != "action" || !errors.Is(err, ErrInvalid) {
		t.Errorf("malformed action: %v", err)
	}
	err = json.Unmarshal([]byte(`{"id":"not-a-uuid"}`), &e)
	if !errors.Is(err, ErrInvalidID) {
		t.Errorf("malformed id: %v", err)
	}
}
