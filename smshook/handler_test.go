package smshook_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rapportcim/rapport"
	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/smshook"
	"github.com/rapportcim/rapport/storage/memstore"
)

const token = "test-auth-token"

const (
	jane  = "+12125550123"
	store = "+12125550100"
)

func newBook(t *testing.T) *rapport.Book {
	t.Helper()
	p := consent.US()
	p.HelpReply = "Example Motors: help at 212-555-0100. Reply STOP to opt out."
	b, err := rapport.New(memstore.New(nil), "group-a", &rapport.Options{Policies: consent.Policies{Default: p}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// post sends a signed (when sign) form to h at path and returns the
// response.
func post(t *testing.T, h http.Handler, path string, form url.Values, sign bool) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "http://hooks.example.com"+path, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if sign {
		r.Header.Set(smshook.SignatureHeader, smshook.Sign(token, "http://hooks.example.com"+path, form))
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func inbound(sid, body string) url.Values {
	return url.Values{"MessageSid": {sid}, "AccountSid": {"AC00000000000000000000000000000000"},
		"From": {jane}, "To": {store}, "Body": {body}, "NumMedia": {"0"}}
}

// messages returns the replies in a TwiML response.
func messages(t *testing.T, w *httptest.ResponseRecorder) []string {
	t.Helper()
	if w.Code != http.StatusOK {
		t.Fatalf("status %d, body %q", w.Code, w.Body)
	}
	var resp struct {
		Message []string `xml:"Message"`
	}
	if err := xml.Unmarshal(w.Body.Bytes(), &resp); err != nil {
		t.Fatalf("response %q is not TwiML: %v", w.Body, err)
	}
	return resp.Message
}

// timeline returns every interaction with the customer holding addr.
func timeline(t *testing.T, b *rapport.Book, addr string) []interaction.Interaction {
	t.Helper()
	a, err := channel.ParseAddress("tel:" + addr)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := b.CustomersByAddress(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	var out []interaction.Interaction
	for _, c := range cs {
		for i, err := range b.CustomerTimeline(context.Background(), c.ID, rapport.Filter{}) {
			if err != nil {
				t.Fatal(err)
			}
			if i.Direction != interaction.DirectionInternal { // not the conversation's lifecycle notes
				out = append(out, i)
			}
		}
	}
	return out
}

func TestInboundRecordsOncePerSid(t *testing.T) {
	b := newBook(t)
	h := smshook.New(b, token, nil).Inbound()
	form := inbound("SM0000000000000000000000000000000a", "Is the blue Civic still available?")
	for range 3 { // the first delivery and two provider retries
		if got := messages(t, post(t, h, "/sms", form, true)); len(got) != 0 {
			t.Fatalf("replies %q to a plain message", got)
		}
	}
	got := timeline(t, b, jane)
	if len(got) != 1 {
		t.Fatalf("%d interactions after three deliveries of one message, want 1", len(got))
	}
	if got[0].Body != "Is the blue Civic still available?" || got[0].ExternalRefs["provider"] != "SM0000000000000000000000000000000a" {
		t.Errorf("stored %q with refs %v", got[0].Body, got[0].ExternalRefs)
	}
}

func TestInboundSignature(t *testing.T) {
	form := inbound("SM0000000000000000000000000000000b", "hello")
	for name, set := range map[string]func(*http.Request){
		"missing": func(r *http.Request) {},
		"wrong token": func(r *http.Request) {
			r.Header.Set(smshook.SignatureHeader, smshook.Sign("other", "http://hooks.example.com/sms", form))
		},
		"other URL": func(r *http.Request) {
			r.Header.Set(smshook.SignatureHeader, smshook.Sign(token, "http://hooks.example.com/other", form))
		},
		"changed body": func(r *http.Request) {
			r.Header.Set(smshook.SignatureHeader, smshook.Sign(token, "http://hooks.example.com/sms", inbound("SM0000000000000000000000000000000b", "hi")))
		},
	} {
		t.Run(name, func(t *testing.T) {
			b := newBook(t)
			r := httptest.NewRequest(http.MethodPost, "http://hooks.example.com/sms", strings.NewReader(form.Encode()))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			set(r)
			w := httptest.NewRecorder()
			smshook.New(b, token, nil).Inbound().ServeHTTP(w, r)
			if w.Code != http.StatusForbidden {
				t.Errorf("status %d, want 403", w.Code)
			}
			if n := len(timeline(t, b, jane)); n != 0 {
				t.Errorf("%d interactions written by a refused request", n)
			}
		})
	}
}

// TestSignKnownValue checks Sign against the worked example in the
// provider's security documentation (auth token 12345).
func TestSignKnownValue(t *testing.T) {
	// The numbers are the documentation's own test vector, not a customer's.
	form := url.Values{"CallSid": {"CA1234567890ABCDE"}, "Caller": {"+14158675310"}, "Digits": {"1234"}, "From": {"+14158675310"}, "To": {"+18005551212"}}
	got := smshook.Sign("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", form)
	if want := "GvWf1cFY/Q7PnoempGyD5oXAezc="; got != want {
		t.Errorf("Sign = %s, want %s", got, want)
	}
}

func TestInboundBaseURL(t *testing.T) {
	b := newBook(t)
	h := smshook.New(b, token, &smshook.Options{BaseURL: "https://crm.example.com"}).Inbound()
	form := inbound("SM0000000000000000000000000000000c", "hello")
	r := httptest.NewRequest(http.MethodPost, "http://10.0.0.7:8080/sms?rooftop=downtown", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set(smshook.SignatureHeader, smshook.Sign(token, "https://crm.example.com/sms?rooftop=downtown", form))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	messages(t, w)
	if n := len(timeline(t, b, jane)); n != 1 {
		t.Errorf("%d interactions, want 1", n)
	}
}

func TestInboundHelpAndStop(t *testing.T) {
	b := newBook(t)
	h := smshook.New(b, token, nil).Inbound()
	got := messages(t, post(t, h, "/sms", inbound("SM0000000000000000000000000000001a", "HELP"), true))
	if len(got) != 1 || !strings.HasPrefix(got[0], "Example Motors: help") {
		t.Errorf("HELP replies %q", got)
	}
	got = messages(t, post(t, h, "/sms", inbound("SM0000000000000000000000000000001b", "STOP"), true))
	if len(got) != 1 || got[0] != smshook.DefaultConfirmation {
		t.Errorf("STOP replies %q, want the confirmation", got)
	}
	// The provider retrying the STOP gets no second confirmation.
	for range 2 {
		if got := messages(t, post(t, h, "/sms", inbound("SM0000000000000000000000000000001b", "STOP"), true)); len(got) != 0 {
			t.Errorf("retried STOP replies %q", got)
		}
	}
	a, _ := channel.ParseAddress("tel:" + jane)
	ledger, err := b.ConsentLedger(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	revokes := 0
	for _, e := range ledger {
		if e.Action == consent.ActionRevoke {
			revokes++
		}
	}
	if revokes != 1 { // none for the retries
		t.Errorf("%d revocations, want 1", revokes)
	}
	confirmations := 0
	for _, i := range timeline(t, b, jane) {
		if i.Direction == interaction.DirectionOutbound && i.Body == smshook.DefaultConfirmation {
			confirmations++
		}
	}
	if confirmations != 1 {
		t.Errorf("%d confirmations recorded, want 1", confirmations)
	}
}

func TestInboundProviderOptOutGetsNoConfirmation(t *testing.T) {
	b := newBook(t)
	form := inbound("SM0000000000000000000000000000002a", "Stop")
	form.Set("OptOutType", "STOP")
	if got := messages(t, post(t, smshook.New(b, token, nil).Inbound(), "/sms", form, true)); len(got) != 0 {
		t.Errorf("replies %q; the provider confirms its own opt-outs", got)
	}
}

func TestInboundBadRequests(t *testing.T) {
	for name, tc := range map[string]struct {
		form   url.Values
		status int
		reason string
	}{
		"no sid":       {url.Values{"From": {jane}, "To": {store}, "Body": {"hi"}}, 400, "MessageSid: missing value"},
		"bad from":     {url.Values{"MessageSid": {"SM1"}, "From": {"555-CALL-ME-NOW-PLEASE"}, "To": {store}}, 400, "From: invalid"},
		"no to":        {url.Values{"MessageSid": {"SM1"}, "From": {jane}}, 400, "To: missing value"},
		"media count":  {url.Values{"MessageSid": {"SM1"}, "From": {jane}, "To": {store}, "NumMedia": {"11"}}, 400, "NumMedia: invalid value"},
		"sid chars":    {url.Values{"MessageSid": {"SM<1>"}, "From": {jane}, "To": {store}}, 400, "MessageSid: invalid value"},
		"long body":    {url.Values{"MessageSid": {"SM1"}, "From": {jane}, "To": {store}, "Body": {strings.Repeat("x", 5000)}}, 400, "Body: value too long"},
		"huge request": {url.Values{"MessageSid": {"SM1"}, "From": {jane}, "To": {store}, "Pad": {strings.Repeat("x", 70000)}}, 413, "too large"},
	} {
		t.Run(name, func(t *testing.T) {
			b := newBook(t)
			var logs bytes.Buffer
			h := smshook.New(b, token, &smshook.Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))}).Inbound()
			w := post(t, h, "/sms", tc.form, true)
			if w.Code != tc.status || !strings.Contains(w.Body.String(), tc.reason) {
				t.Errorf("got %d %q, want %d with %q", w.Code, w.Body, tc.status, tc.reason)
			}
			for _, v := range []string{"555-CALL-ME", "2125550123", "xxxxxxxx"} {
				if strings.Contains(logs.String(), v) || strings.Contains(w.Body.String(), v) {
					t.Errorf("log or response quotes the request's data %q: %s", v, logs.String())
				}
			}
			if n := len(timeline(t, b, jane)); n != 0 {
				t.Errorf("%d interactions written by a bad request", n)
			}
		})
	}
}

func TestInboundMethodAndType(t *testing.T) {
	h := smshook.New(newBook(t), token, nil).Inbound()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/sms", nil))
	if w.Code != http.StatusMethodNotAllowed {
		t.Errorf("GET: %d", w.Code)
	}
	w = httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodPost, "/sms", strings.NewReader(`{"From":"x"}`))
	r.Header.Set("Content-Type", "application/json")
	h.ServeHTTP(w, r)
	if w.Code != http.StatusUnsupportedMediaType {
		t.Errorf("JSON: %d", w.Code)
	}
}

func TestStatusCallback(t *testing.T) {
	ctx := context.Background()
	b := newBook(t)
	to, _ := channel.ParseAddress("tel:" + jane)
	if _, err := b.RecordConsent(ctx, consent.Event{
		Subject: consent.Subject{Address: to}, Channel: channel.KindSMS, Purpose: consent.PurposeService,
		Action: consent.ActionGrant, Basis: consent.BasisExpressWritten, CapturedAt: time.Now().Add(-time.Hour),
		Evidence: consent.Evidence{Method: consent.MethodWebForm, DisclosureVersion: "sms-terms-v3"},
	}); err != nil {
		t.Fatal(err)
	}
	sent, err := b.Send(ctx, rapport.Outbound{Purpose: consent.PurposeService, Interaction: interaction.Interaction{
		Channel: channel.KindSMS, Address: to, Kind: interaction.KindMessage, Authorship: interaction.AuthorshipHuman,
		Body: "Sure, calling at 3.", ExternalRefs: map[string]string{"provider": "SM0000000000000000000000000000003a"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	h := smshook.New(b, token, nil).Status()
	status := func(path string, form url.Values) int { return post(t, h, path, form, true).Code }

	// By MessageSid among the recipient's messages.
	if c := status("/status", url.Values{"MessageSid": {"SM0000000000000000000000000000003a"}, "MessageStatus": {"delivered"}, "To": {jane}}); c != http.StatusNoContent {
		t.Fatalf("delivered: %d", c)
	}
	i, err := b.Interaction(ctx, sent.Interaction.ID)
	if err != nil || i.Delivery.Status != interaction.StatusDelivered {
		t.Fatalf("delivery %v, %v", i.Delivery, err)
	}
	// By the interaction ID in the callback URL.
	if c := status("/status?interaction="+sent.Interaction.ID.String(), url.Values{"MessageSid": {"SMother"}, "MessageStatus": {"read"}}); c != http.StatusNoContent {
		t.Fatalf("read: %d", c)
	}
	if i, _ = b.Interaction(ctx, sent.Interaction.ID); i.Delivery.Status != interaction.StatusRead {
		t.Errorf("after read: %v", i.Delivery)
	}
	if c := status("/status", url.Values{"MessageSid": {"SMunknown"}, "MessageStatus": {"delivered"}, "To": {jane}}); c != http.StatusNotFound {
		t.Errorf("unknown sid: %d", c)
	}
	if c := status("/status", url.Values{"MessageSid": {"SM1"}, "MessageStatus": {"exploded"}, "To": {jane}}); c != http.StatusBadRequest {
		t.Errorf("unknown status: %d", c)
	}
	if c := post(t, h, "/status", url.Values{"MessageSid": {"SM0000000000000000000000000000003a"}, "MessageStatus": {"failed"}, "To": {jane}}, false).Code; c != http.StatusForbidden {
		t.Errorf("unsigned: %d", c)
	}
	if i, _ = b.Interaction(ctx, sent.Interaction.ID); i.Delivery.Status != interaction.StatusRead {
		t.Errorf("an unsigned callback changed the delivery: %v", i.Delivery)
	}
}

func TestParseStatusMapsProviderStatuses(t *testing.T) {
	for raw, want := range map[string]interaction.Status{
		"accepted": interaction.StatusQueued, "queued": interaction.StatusQueued, "sending": interaction.StatusSent,
		"sent": interaction.StatusSent, "delivered": interaction.StatusDelivered, "read": interaction.StatusRead,
		"undelivered": interaction.StatusFailed, "failed": interaction.StatusFailed, "canceled": interaction.StatusFailed,
	} {
		s, err := smshook.ParseStatus(url.Values{"MessageSid": {"SM1"}, "MessageStatus": {raw}, "ErrorCode": {"30003"}}, "")
		if err != nil || s.Update.Status != want {
			t.Errorf("%s: %v, %v; want %v", raw, s.Update.Status, err, want)
		}
		if want == interaction.StatusFailed && (s.Update.Reason != raw || s.Update.ErrorCode != "30003") {
			t.Errorf("%s: reason %q code %q", raw, s.Update.Reason, s.Update.ErrorCode)
		}
	}
	_, err := smshook.ParseStatus(url.Values{"MessageSid": {"SM1"}}, "")
	var ve *smshook.ValidationError
	if !errors.As(err, &ve) || ve.Field != "MessageStatus" || !errors.Is(err, smshook.ErrMissing) {
		t.Errorf("no status: %v", err)
	}
}

// FuzzParseMessage feeds arbitrary bodies through the form decoding and
// ParseMessage: it must never panic, must refuse with a *ValidationError,
// and what it accepts must be valid addresses and a bounded body.
func FuzzParseMessage(f *testing.F) {
	f.Add("MessageSid=SM1&From=%2B12125550123&To=%2B12125550100&Body=STOP&NumMedia=0")
	f.Add("MessageSid=SM1&From=whatsapp%3A%2B12125550123&To=whatsapp%3A%2B12125550100&Body=hi&NumMedia=1&MediaContentType0=image%2Fjpeg")
	f.Fuzz(func(t *testing.T, body string) {
		form, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		m, err := smshook.ParseMessage(form, "US")
		if err != nil {
			var ve *smshook.ValidationError
			if !errors.As(err, &ve) || ve.Field == "" {
				t.Fatalf("error %v is not a *ValidationError naming a field", err)
			}
			return
		}
		if m.Sid == "" || m.From.IsZero() || m.To.IsZero() || len(m.Body) > 4096 || len(m.MediaTypes) != m.Media {
			t.Fatalf("accepted %+v", m)
		}
	})
}

func ExampleHandler_Inbound() {
	book, _ := rapport.New(memstore.New(nil), "group-a", nil)
	h := smshook.New(book, "auth-token", nil)
	mux := http.NewServeMux()
	mux.Handle("POST /sms", h.Inbound())
	mux.Handle("POST /sms/status", h.Status())

	// What the provider posts when Jane texts STOP.
	form := url.Values{"MessageSid": {"SM00000000000000000000000000000001"}, "From": {"+12125550123"}, "To": {"+12125550100"}, "Body": {"STOP"}}
	r := httptest.NewRequest(http.MethodPost, "https://crm.example.com/sms", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set(smshook.SignatureHeader, smshook.Sign("auth-token", "https://crm.example.com/sms", form))
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, r)
	body, _ := io.ReadAll(w.Result().Body)
	fmt.Println(w.Code)
	fmt.Println(string(body))
	// Output:
	// 200
	// <?xml version="1.0" encoding="UTF-8"?>
	// <Response><Message>You&#39;re unsubscribed and will get no more texts. Reply START to resubscribe.</Message></Response>
}

// TestInboundConcurrentRetries delivers one message several times at once,
// as a provider retrying a slow webhook does: it is recorded once.
func TestInboundConcurrentRetries(t *testing.T) {
	b := newBook(t)
	h := smshook.New(b, token, &smshook.Options{Rooftop: func(channel.Address) dealer.Rooftop { return "downtown" }}).Inbound()
	form := inbound("SM0000000000000000000000000000004a", "Do you have the Tacoma in red?")
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			r := httptest.NewRequest(http.MethodPost, "http://hooks.example.com/sms", strings.NewReader(form.Encode()))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			r.Header.Set(smshook.SignatureHeader, smshook.Sign(token, "http://hooks.example.com/sms", form))
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != http.StatusOK {
				t.Errorf("status %d", w.Code)
			}
		})
	}
	wg.Wait()
	got := timeline(t, b, jane)
	if len(got) != 1 || got[0].Rooftop != "downtown" {
		t.Fatalf("%d interactions (want 1), rooftop %q", len(got), got[0].Rooftop)
	}
}
