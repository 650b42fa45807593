package consent

import (
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
)

type problemWant struct {
	field    string
	sentinel error
}

func TestEventValidate(t *testing.T) {
	base := grant(t, "tel:+12125550123", t0)
	email := mustAddr(t, "mailto:jane.doe@example.com")
	tests := []struct {
		name string
		e    Event
		want []problemWant
	}{
		{"valid grant", base, nil},
		{"valid keyword revocation", revoke(base, at(day)), nil},
		{"valid dnc request for everything", with(base, func(e *Event) {
			e.Action, e.Basis, e.Channel, e.Purpose, e.Rooftop = ActionDNCRequest, "", AllChannels, PurposeAll, ""
			e.Evidence = Evidence{Method: MethodCall, CapturedBy: "bdc.alex"}
		}), nil},
		{"valid seen with the basis it would give", with(base, func(e *Event) { e.Action = ActionSeen }), nil},
		{"valid seen without basis", with(base, func(e *Event) { e.Action, e.Basis = ActionSeen, "" }), nil},
		{"valid implied grant with window", with(base, func(e *Event) {
			e.Basis, e.Purpose, e.Channel = BasisImpliedPurchase, PurposeService, AllChannels
			e.EffectiveFrom, e.EffectiveTo = at(-30*day), at(700*day)
			e.Evidence = Evidence{Method: MethodImport, SourceSystem: "dms", RawValue: "Y"}
		}), nil},
		{"grant on a basis this version does not know", with(base, func(e *Event) { e.Basis = "casl_published" }), nil},
		{"method this version does not know", with(base, func(e *Event) { e.Evidence.Method = "carrier_portal" }), nil},
		{"express written with a signed document", with(base, func(e *Event) {
			e.Evidence = Evidence{Method: MethodInStore, DocumentRef: "docs/4711.pdf"}
		}), nil},
		{"giver by customer id", with(base, func(e *Event) { e.Giver = Giver{Customer: customer.ID{1}} }), nil},
		{"address of a scheme this version does not know", with(base, func(e *Event) {
			e.Subject.Address = mustAddr(t, "telegram:4410009876")
		}), nil},
		{"email address on all channels", with(base, func(e *Event) {
			e.Subject.Address, e.Channel = email, AllChannels
		}), nil},

		{"missing address", with(base, func(e *Event) { e.Subject.Address = channel.Address{} }), []problemWant{{"subject.address", ErrMissing}}},
		{"missing channel", with(base, func(e *Event) { e.Channel = "" }), []problemWant{{"channel", ErrMissing}}},
		{"unknown channel", with(base, func(e *Event) { e.Channel = "pager" }), []problemWant{{"channel", ErrUnknown}}},
		{"malformed channel", with(base, func(e *Event) { e.Channel = "SMS please" }), []problemWant{{"channel", ErrInvalid}}},
		{"channel the address cannot take", with(base, func(e *Event) { e.Subject.Address = email }),
			[]problemWant{{"channel", ErrUnsupportedChannel}}},
		{"missing purpose", with(base, func(e *Event) { e.Purpose = "" }), []problemWant{{"purpose", ErrMissing}}},
		{"unknown purpose", with(base, func(e *Event) { e.Purpose = "marketting" }), []problemWant{{"purpose", ErrUnknown}}},
		{"missing action", with(base, func(e *Event) { e.Action = "" }), []problemWant{{"action", ErrMissing}}},
		{"unknown action", with(base, func(e *Event) { e.Action = "suspend" }), []problemWant{{"action", ErrUnknown}}},
		{"malformed action", with(base, func(e *Event) { e.Action = "Grant" }), []problemWant{{"action", ErrInvalid}}},
		{"grant without basis", with(base, func(e *Event) { e.Basis = "" }), []problemWant{{"basis", ErrMissing}}},
		{"revocation with basis", with(revoke(base, at(day)), func(e *Event) { e.Basis = BasisExpress }),
			[]problemWant{{"basis", ErrInvalid}}},
		{"malformed basis", with(base, func(e *Event) { e.Basis = "express written" }), []problemWant{{"basis", ErrInvalid}}},
		{"missing captured_at", with(base, func(e *Event) { e.CapturedAt = time.Time{} }),
			[]problemWant{{"captured_at", ErrMissing}}},
		{"effective_to before effective_from", with(base, func(e *Event) {
			e.EffectiveFrom, e.EffectiveTo = at(10*day), at(5*day)
		}), []problemWant{{"effective_to", ErrInvalidWindow}}},
		{"effective_to at captured_at", with(base, func(e *Event) { e.EffectiveTo = t0 }),
			[]problemWant{{"effective_to", ErrInvalidWindow}}},
		{"revocation that expires", with(revoke(base, at(day)), func(e *Event) { e.EffectiveTo = at(5 * 365 * day) }),
			[]problemWant{{"effective_to", ErrInvalid}}},
		{"dnc request that expires", with(base, func(e *Event) {
			e.Action, e.Basis, e.EffectiveTo = ActionDNCRequest, "", at(day)
		}), []problemWant{{"effective_to", ErrInvalid}}},
		{"seen that expires", with(base, func(e *Event) { e.Action, e.EffectiveTo = ActionSeen, at(day) }),
			[]problemWant{{"effective_to", ErrInvalid}}},
		{"implied grant without effective_to", with(base, func(e *Event) { e.Basis = BasisImpliedInquiry }),
			[]problemWant{{"effective_to", ErrMissing}}},
		{"missing method", with(base, func(e *Event) { e.Evidence.Method = "" }),
			[]problemWant{{"evidence.method", ErrMissing}}},
		{"malformed method", with(base, func(e *Event) { e.Evidence.Method = "web form" }),
			[]problemWant{{"evidence.method", ErrInvalid}}},
		{"import without source system", with(base, func(e *Event) { e.Evidence.Method = MethodImport }),
			[]problemWant{{"evidence.source_system", ErrMissing}}},
		{"manual entry without staff", with(base, func(e *Event) { e.Evidence.Method = MethodManual }),
			[]problemWant{{"evidence.captured_by", ErrMissing}}},
		{"express written without disclosure", with(base, func(e *Event) { e.Evidence.DisclosureVersion = "" }),
			[]problemWant{{"evidence", ErrMissing}}},
		{"bad tenant", with(base, func(e *Event) { e.Tenant = "acme auto" }), []problemWant{{"tenant", ErrInvalid}}},
		{"bad rooftop", with(base, func(e *Event) { e.Rooftop = "down\ttown" }), []problemWant{{"rooftop", ErrInvalid}}},
		{"bad staff", with(base, func(e *Event) { e.Evidence.CapturedBy = "alex smith" }),
			[]problemWant{{"evidence.captured_by", ErrInvalid}}},
		{"giver without name or customer", with(base, func(e *Event) { e.Giver = Giver{Relationship: "parent"} }),
			[]problemWant{{"giver.name", ErrMissing}}},
		{"valid revocation for texts only", with(revoke(base, at(day)), func(e *Event) { e.ChannelOnly = true }), nil},
		{"channel_only on a grant", with(base, func(e *Event) { e.ChannelOnly = true }),
			[]problemWant{{"channel_only", ErrInvalid}}},
		{"channel_only on a withdrawal for all channels", with(revoke(base, at(day)), func(e *Event) {
			e.Channel, e.ChannelOnly = AllChannels, true
		}), []problemWant{{"channel_only", ErrInvalid}}},
		{"zero event", Event{}, []problemWant{
			{"subject.address", ErrMissing}, {"channel", ErrMissing}, {"purpose", ErrMissing},
			{"action", ErrMissing}, {"captured_at", ErrMissing}, {"evidence.method", ErrMissing},
		}},
		{"several problems", with(base, func(e *Event) {
			e.Subject.Address, e.Basis, e.EffectiveTo = email, "", at(-day)
		}), []problemWant{{"channel", ErrUnsupportedChannel}, {"basis", ErrMissing}, {"effective_to", ErrInvalidWindow}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.e.Validate()
			got := problems(t, err)
			if len(got) != len(tt.want) {
				t.Fatalf("Validate() = %v; want %d problems %v", err, len(tt.want), tt.want)
			}
			for i, w := range tt.want {
				if got[i].Field != w.field || !errors.Is(got[i], w.sentinel) {
					t.Errorf("problem %d = %v; want field %q wrapping %v", i, got[i], w.field, w.sentinel)
				}
				if !errors.Is(err, w.sentinel) {
					t.Errorf("errors.Is(err, %v) = false on the joined error", w.sentinel)
				}
			}
			if err != nil {
				var ve *ValidationError
				if !errors.As(err, &ve) || ve.Field != tt.want[0].field {
					t.Errorf("errors.As gives %v; want the first problem", ve)
				}
				if msg := err.Error(); strings.Contains(msg, "555") || strings.Contains(msg, "example.com") {
					t.Errorf("error leaks the address: %q", msg)
				}
			}
		})
	}
}

// problems unpacks the errors.Join that Validate returns.
func problems(t *testing.T, err error) []*ValidationError {
	t.Helper()
	if err == nil {
		return nil
	}
	j, ok := err.(interface{ Unwrap() []error })
	if !ok {
		t.Fatalf("Validate error %T is not an errors.Join", err)
	}
	var out []*ValidationError
	for _, e := range j.Unwrap() {
		ve, ok := e.(*ValidationError)
		if !ok {
			t.Fatalf("problem %T (%v) is not a *ValidationError", e, e)
		}
		if !strings.HasPrefix(ve.Error(), "consent: "+ve.Field+": ") {
			t.Errorf("message %q does not name its field", ve.Error())
		}
		out = append(out, ve)
	}
	return out
}

func TestValidateWrapsDealerErrors(t *testing.T) {
	e := with(grant(t, "tel:+12125550123", t0), func(e *Event) { e.Tenant = "acme auto" })
	err := e.Validate()
	if !errors.Is(err, ErrInvalid) || !errors.Is(err, dealer.ErrInvalid) {
		t.Fatalf("Validate() = %v; want both consent.ErrInvalid and dealer.ErrInvalid", err)
	}
}

func TestEventWindow(t *testing.T) {
	e := grant(t, "tel:+12125550123", t0)
	if !e.Start().Equal(t0) || e.InEffect(at(-time.Second)) || !e.InEffect(t0) || !e.InEffect(at(1000*day)) {
		t.Errorf("open grant: Start %v, InEffect wrong", e.Start())
	}
	e.EffectiveFrom, e.EffectiveTo = at(-day), at(day)
	for _, c := range []struct {
		at   time.Time
		want bool
	}{{at(-day - 1), false}, {at(-day), true}, {at(day - 1), true}, {at(day), false}} {
		if got := e.InEffect(c.at); got != c.want {
			t.Errorf("InEffect(%v) = %v; want %v", c.at, got, c.want)
		}
	}
	if (Event{}).InEffect(t0) {
		t.Error("the zero Event is in effect")
	}
}

func TestEventKeyUsesLine(t *testing.T) {
	e := grant(t, "tel:+12125550123;ext=45", t0)
	k := e.Key()
	want := Key{Address: mustAddr(t, "tel:+12125550123"), Channel: channel.KindSMS, Purpose: PurposeMarketing, Rooftop: "downtown"}
	if k != want {
		t.Errorf("Key() = %+v; want %+v", k, want)
	}
}

func TestEvidenceIPRoundTrip(t *testing.T) {
	// netip.Addr is the IP type: it compares with ==, and its text form
	// round-trips, including IPv6 zones.
	for _, s := range []string{"203.0.113.7", "2001:db8::1", "fe80::1%eth0"} {
		ip := netip.MustParseAddr(s)
		got := roundTrip(t, Evidence{Method: MethodWebForm, IP: ip})
		if got.IP != ip {
			t.Errorf("IP %s came back as %s", ip, got.IP)
		}
	}
}
