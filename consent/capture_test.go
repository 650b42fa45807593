package consent

import (
	"errors"
	"net/netip"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rapportcim/rapport/channel"
)

func TestFromWebForm(t *testing.T) {
	valid := WebForm{
		Address: mustAddr(t, nyPhone), Channel: channel.KindSMS, Purpose: PurposeMarketing, Rooftop: "downtown",
		Basis: BasisExpressWritten, At: noon,
		DisclosureText:    "By checking this box I agree to receive marketing texts from Acme Auto at this number, sent by automated means. Consent is not a condition of purchase.",
		DisclosureVersion: "sms-consent-2026-01", IP: netip.MustParseAddr("203.0.113.7"),
		UserAgent: " Mozilla/5.0 ", PageURL: "https://example.com/test-drive", SourceSystem: "website",
	}
	e, err := FromWebForm(valid)
	if err != nil {
		t.Fatal(err)
	}
	want := Event{
		Subject: Subject{Address: valid.Address}, Channel: channel.KindSMS, Purpose: PurposeMarketing, Rooftop: "downtown",
		Action: ActionGrant, Basis: BasisExpressWritten, CapturedAt: noon,
		Evidence: Evidence{Method: MethodWebForm, SourceSystem: "website", DisclosureText: valid.DisclosureText,
			DisclosureVersion: "sms-consent-2026-01", IP: valid.IP, UserAgent: "Mozilla/5.0", PageURL: "https://example.com/test-drive"},
	}
	if !reflect.DeepEqual(e, want) {
		t.Errorf("FromWebForm =\n%+v\nwant\n%+v", e, want)
	}
	roundTrip(t, valid)

	tests := []struct {
		rule   string
		change func(*WebForm)
		fields []string
	}{
		{"ICO: what they were told: the disclosure is required", func(f *WebForm) { f.DisclosureText, f.DisclosureVersion = " ", "" },
			[]string{"evidence.disclosure_text", "evidence"}},
		{"a disclosure version alone is enough", func(f *WebForm) { f.DisclosureText = "" }, nil},
		{"how: the IP address is required", func(f *WebForm) { f.IP = netip.Addr{} }, []string{"evidence.ip"}},
		{"how: the user agent is required", func(f *WebForm) { f.UserAgent = "" }, []string{"evidence.user_agent"}},
		{"who: the address is required", func(f *WebForm) { f.Address = channel.Address{} }, []string{"subject.address"}},
		{"when: the time is required", func(f *WebForm) { f.At = time.Time{} },
			[]string{"captured_at"}},
		{"a grant needs its legal basis", func(f *WebForm) { f.Basis = "" }, []string{"basis"}},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			f := valid
			tt.change(&f)
			_, err := FromWebForm(f)
			checkFields(t, err, tt.fields)
		})
	}
}

func TestFromCall(t *testing.T) {
	valid := CallConsent{
		Address: mustAddr(t, nyPhone), Channel: channel.KindSMS, Purpose: PurposeService, Basis: BasisExpress, At: noon,
		Staff: "bdc.alex", RecordingRef: "calls/2026/06/10/abc.wav", ScriptVersion: "verbal-sms-v2",
	}
	e, err := FromCall(valid)
	if err != nil {
		t.Fatal(err)
	}
	if e.Evidence.Method != MethodCall || e.Evidence.CapturedBy != "bdc.alex" || e.Evidence.RecordingRef != valid.RecordingRef ||
		e.Evidence.DisclosureVersion != "verbal-sms-v2" || e.Action != ActionGrant {
		t.Errorf("FromCall = %+v", e)
	}
	roundTrip(t, valid)
	tests := []struct {
		rule   string
		change func(*CallConsent)
		fields []string
	}{
		{"who took it: the staff member is required", func(c *CallConsent) { c.Staff = "" }, []string{"evidence.captured_by"}},
		{"what they were told: a recording or the script is required", func(c *CallConsent) { c.RecordingRef, c.ScriptVersion = "", "" },
			[]string{"evidence.recording_ref"}},
		{"the script alone is enough", func(c *CallConsent) {
			c.RecordingRef, c.ScriptVersion, c.Script = "", "", "May we text you about your service?"
		}, nil},
		{"express written consent by voice needs the recording or the script", func(c *CallConsent) {
			c.Basis, c.RecordingRef, c.ScriptVersion = BasisExpressWritten, "", ""
		}, []string{"evidence.recording_ref", "evidence"}},
		{"a staff identifier must be valid", func(c *CallConsent) { c.Staff = "alex smith" }, []string{"evidence.captured_by"}},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			c := valid
			tt.change(&c)
			_, err := FromCall(c)
			checkFields(t, err, tt.fields)
		})
	}
}

func TestFromImport(t *testing.T) {
	valid := Import{
		Address: mustAddr(t, mail), Channel: channel.KindEmail, Purpose: PurposeMarketing, Basis: BasisImpliedPurchase,
		At: noon, EffectiveFrom: noon.AddDate(0, -1, 0), EffectiveTo: noon.AddDate(2, -1, 0),
		SourceSystem: "dms:cdk", RawValue: "EMAIL_OK=Y", ImportedBy: "admin.sam",
	}
	e, err := FromImport(valid)
	if err != nil {
		t.Fatal(err)
	}
	if e.Evidence.Method != MethodImport || e.Evidence.SourceSystem != "dms:cdk" || e.Evidence.RawValue != "EMAIL_OK=Y" ||
		!e.EffectiveTo.Equal(valid.EffectiveTo) || e.Evidence.CapturedBy != "admin.sam" {
		t.Errorf("FromImport = %+v", e)
	}
	roundTrip(t, valid)
	tests := []struct {
		rule   string
		change func(*Import)
		fields []string
	}{
		{"an import names its source system", func(i *Import) { i.SourceSystem = " " }, []string{"evidence.source_system"}},
		{"an import keeps the source's own value", func(i *Import) { i.RawValue = "" }, []string{"evidence.raw_value"}},
		{"implied consent expires", func(i *Import) { i.EffectiveTo = time.Time{} }, []string{"effective_to"}},
		{"a channel the address cannot take", func(i *Import) { i.Channel = channel.KindSMS }, []string{"channel"}},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			i := valid
			tt.change(&i)
			_, err := FromImport(i)
			checkFields(t, err, tt.fields)
		})
	}
}

func checkFields(t *testing.T, err error, want []string) {
	t.Helper()
	var got []string
	for _, p := range problems(t, err) {
		got = append(got, p.Field)
		if !errors.Is(p, ErrMissing) && !errors.Is(p, ErrInvalid) && !errors.Is(p, ErrUnsupportedChannel) {
			t.Errorf("problem %v wraps no sentinel", p)
		}
		if strings.Contains(p.Error(), "555") || strings.Contains(p.Error(), "example.com") {
			t.Errorf("error leaks customer data: %v", p)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("problems %v; want %v", got, want)
	}
}
