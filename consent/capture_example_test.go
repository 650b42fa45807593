package consent_test

import (
	"errors"
	"fmt"
	"net/netip"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
)

func ExampleFromWebForm() {
	mobile, _ := channel.ParseAddress("tel:+12125550123")
	form := consent.WebForm{
		Address: mobile, Channel: channel.KindSMS, Purpose: consent.PurposeMarketing, Rooftop: "downtown",
		Basis: consent.BasisExpressWritten, At: time.Date(2026, 11, 2, 14, 3, 0, 0, time.UTC),
		DisclosureText: "I agree to receive marketing texts from Downtown Mazda at this number. Consent is not a condition of purchase.",
		IP:             netip.MustParseAddr("192.0.2.10"), UserAgent: "Mozilla/5.0 (example)",
		PageURL: "https://www.example.com/test-drive",
	}
	e, err := consent.FromWebForm(form)
	if err != nil {
		fmt.Println(err)
		return
	}
	// The event is ready for Book.RecordConsent, which assigns its ID.
	fmt.Println(e.Action, e.Basis, e.Evidence.Method, e.Evidence.IP, e.Evidence.PageURL)

	// A form that kept no evidence of what the person was shown, or from
	// where it was sent, cannot prove consent: it is refused, field by field.
	form.DisclosureText, form.IP = "", netip.Addr{}
	_, err = consent.FromWebForm(form)
	var ve *consent.ValidationError
	for _, field := range []string{"evidence.disclosure_text", "evidence.ip"} {
		fmt.Println(field, hasField(err, field), errors.As(err, &ve) && errors.Is(err, consent.ErrMissing))
	}
	// Output:
	// grant express_written web_form 192.0.2.10 https://www.example.com/test-drive
	// evidence.disclosure_text true true
	// evidence.ip true true
}

// hasField reports whether err holds a *consent.ValidationError for field.
func hasField(err error, field string) bool {
	if ve, ok := err.(*consent.ValidationError); ok {
		return ve.Field == field
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			if hasField(e, field) {
				return true
			}
		}
	}
	return false
}
