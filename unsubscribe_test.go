package rapport

import (
	"bytes"
	"errors"
	"mime/multipart"
	"strings"
	"testing"
)

func multipartBody(t testing.TB, fields map[string]string) (string, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		if err := w.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return w.FormDataContentType(), buf.String()
}

func TestParseOneClick(t *testing.T) {
	ct, body := multipartBody(t, map[string]string{"List-Unsubscribe": "One-Click"})
	ok := []struct{ ct, body string }{
		{"application/x-www-form-urlencoded", "List-Unsubscribe=One-Click"},
		{"application/x-www-form-urlencoded; charset=utf-8", "token=abc&List-Unsubscribe=One-Click"},
		{ct, body},
	}
	for _, tt := range ok {
		if err := ParseOneClick(tt.ct, strings.NewReader(tt.body)); err != nil {
			t.Errorf("rule: RFC 8058 section 3.1 one-click body %q (%s): %v", tt.body, tt.ct, err)
		}
	}
	otherCT, other := multipartBody(t, map[string]string{"List-Unsubscribe": "yes"})
	bad := []struct{ ct, body, field string }{
		{"text/plain", "List-Unsubscribe=One-Click", "content_type"},
		{"", "List-Unsubscribe=One-Click", "content_type"},
		{"application/x-www-form-urlencoded", "List-Unsubscribe=one-click", "List-Unsubscribe"}, // the value is exact
		{"application/x-www-form-urlencoded", "", "List-Unsubscribe"},
		{"application/x-www-form-urlencoded", "%zz", "body"},
		{"application/x-www-form-urlencoded", "List-Unsubscribe=One-Click&pad=" + strings.Repeat("x", MaxOneClickBody), "body"},
		{"multipart/form-data", "x", "content_type"},
		{otherCT, other, "List-Unsubscribe"},
		{ct, "not multipart", "body"},
	}
	for _, tt := range bad {
		err := ParseOneClick(tt.ct, strings.NewReader(tt.body))
		var oe *OneClickError
		if !errors.As(err, &oe) || oe.Field != tt.field || !errors.Is(err, ErrNotOneClick) {
			t.Errorf("ParseOneClick(%q, %.40q) = %v; want a OneClickError for %s wrapping ErrNotOneClick", tt.ct, tt.body, err, tt.field)
		}
	}
}

func TestEmailReplyAndSubject(t *testing.T) {
	replies := []struct{ body, want string }{
		{"STOP", "STOP"},
		{"Unsubscribe\r\n\r\nOn Tue, Nov 10, 2026 at 9:00 AM Downtown Mazda <sales@example.com> wrote:\r\n> Reply STOP", "Unsubscribe"},
		{"stop\nOn Tue, Nov 10, 2026 at 9:00 AM Downtown Mazda\n<sales@example.com> wrote:\n> hi", "stop"},
		{"Alto\n\nEl mar, 10 nov 2026 a las 9:00, Downtown Mazda escribió:\n> Oferta", "Alto"},
		{"Arrêt\n\nLe mar. 10 nov. 2026 à 09:00, Downtown Mazda a écrit :\n> Offre", "Arrêt"},
		{"quit\n\n-----Original Message-----\nFrom: sales@example.com\nSubject: deals", "quit"},
		{"end\n\nFrom: Downtown Mazda <sales@example.com>\nSent: Tuesday", "end"},
		{"cancel\n-- \nJane Doe\n555-0100", "cancel"},
		{"stop\n\nSent from my iPhone", "stop"},
		{"> quoted only", ""},
	}
	for _, tt := range replies {
		if got := emailReply(tt.body); got != tt.want {
			t.Errorf("emailReply(%q) = %q; want %q", tt.body, got, tt.want)
		}
	}
	for in, want := range map[string]string{"Re: STOP": "STOP", "RE: Fwd: Unsubscribe": "Unsubscribe", "[EXTERNAL] Re: stop": "stop",
		"AW: Abmelden": "Abmelden", "Recall notice": "Recall notice", "Re:": ""} {
		if got := emailSubject(in); got != want {
			t.Errorf("emailSubject(%q) = %q; want %q", in, got, want)
		}
	}
}

// FuzzParseOneClick: the one-click parser reads outside input; it never
// panics and refuses with a typed error.
func FuzzParseOneClick(f *testing.F) {
	ct, body := multipartBody(f, map[string]string{"List-Unsubscribe": "One-Click"})
	f.Add("application/x-www-form-urlencoded", "List-Unsubscribe=One-Click")
	f.Add(ct, body)
	f.Add("multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n--x--\r\n")
	f.Add("text/plain", "")
	f.Fuzz(func(t *testing.T, contentType, body string) {
		err := ParseOneClick(contentType, strings.NewReader(body))
		var oe *OneClickError
		if err != nil && (!errors.As(err, &oe) || !errors.Is(err, ErrNotOneClick) || oe.Field == "") {
			t.Fatalf("untyped error %v", err)
		}
	})
}

// FuzzEmailReply: the email reply and subject readers take outside text;
// they never panic and return a part of their input.
func FuzzEmailReply(f *testing.F) {
	for _, s := range []string{"STOP", "stop\r\n\r\nOn Tue wrote:\r\n> x", "Re: Fwd: [x] stop", "-- \n", "On\n", "[", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if r := emailReply(s); len(r) > len(s) {
			t.Fatalf("emailReply grew its input: %q -> %q", s, r)
		}
		if r := emailSubject(s); !strings.Contains(s, r) {
			t.Fatalf("emailSubject(%q) = %q is not part of it", s, r)
		}
	})
}
