package main

import (
	"context"
	"flag"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/rapportcim/rapport"
	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage/memstore"
)

var screenshot = flag.String("screenshot", "", "write a screenshot of the page after the chat to this PNG file")

// chromium returns the path of a Chromium or Chrome binary, or "". The
// browser test needs one: CI installs Debian's chromium package (.ci/run)
// and sets RAPPORT_BROWSER_TEST=required so that a missing browser fails
// there instead of skipping.
func chromium(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("RAPPORT_BROWSER_TEST") == "required" {
		t.Fatal("no Chromium found, and RAPPORT_BROWSER_TEST=required")
	}
	t.Skip("no Chromium found (install Debian's chromium package to run the browser test)")
	return ""
}

// TestWidgetInBrowser drives the page in headless Chromium: a visitor fills
// the widget, ticks the SMS consent box and sends; the test then checks the
// book and the staff side the page shows.
func TestWidgetInBrowser(t *testing.T) {
	exe := chromium(t)
	book, err := rapport.New(memstore.New(nil), "example-motors", nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(newServer(book, "downtown"))
	defer srv.Close()

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.NoSandbox, // Chromium refuses to run as root with its sandbox
		chromedp.WindowSize(1000, 900),
		chromedp.UserAgent("rapport-browser-test/1.0 (HeadlessChrome)"),
	)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	ctx, cancelBrowser := chromedp.NewContext(ctx)
	defer cancelBrowser()

	err = chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible("#chat-form"),
		chromedp.WaitNotPresent(`//span[@id="disclosure" and text()="Loading the terms…"]`),
		chromedp.SendKeys("#name", "Jane Doe"),
		chromedp.SendKeys("#phone", "(212) 555-0123"),
		chromedp.SendKeys("#email", "jane.doe@example.com"),
		chromedp.Click(`input[name=preferred][value=sms]`),
		chromedp.SetValue("#best-time", "evening"),
		chromedp.Click("#sms-consent"),
		chromedp.SendKeys("#message", "Is the blue Civic still available?"),
		chromedp.Click("#send"),
		chromedp.WaitVisible("#staff"),
	)
	if err != nil {
		t.Fatal(err)
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(sel))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	allowed, decision, staffText := text("#staff-text-allowed"), text("#staff-decision"), text("#staff")
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // 100: PNG (below 100, JPEG)
	if err != nil {
		t.Fatal(err)
	}
	if *screenshot != "" {
		if err := os.WriteFile(*screenshot, png, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// The book: the customer with both addresses and the preference, the
	// message in a web-chat conversation, and the consent with its evidence.
	bg := context.Background()
	phone, _ := channel.ParseAddress("tel:+12125550123")
	cs, err := book.CustomersByAddress(bg, phone)
	if err != nil || len(cs) != 1 {
		t.Fatalf("customers holding the phone: %v, %v", cs, err)
	}
	c := cs[0]
	if c.Name.Full != "Jane Doe" || len(c.Preference.Kinds) != 1 || c.Preference.Kinds[0] != channel.KindSMS || len(c.Preference.Windows) != 7 || c.Preference.Windows[0].Start != channel.Clock(17, 0) {
		t.Errorf("customer %+v", c)
	}
	email, _ := channel.ParseAddress("mailto:jane.doe@example.com")
	if got, _ := book.CustomersByAddress(bg, email); len(got) != 1 || got[0].ID != c.ID {
		t.Errorf("customers holding the email: %v", got)
	}
	var msgs []interaction.Interaction
	for i, err := range book.CustomerTimeline(bg, c.ID, rapport.Filter{Channels: []channel.Kind{channel.KindWebChat}}) {
		if err != nil {
			t.Fatal(err)
		}
		if i.Direction == interaction.DirectionInbound {
			msgs = append(msgs, i)
		}
	}
	if len(msgs) != 1 || msgs[0].Body != "Is the blue Civic still available?" || msgs[0].Conversation.IsZero() {
		t.Fatalf("web-chat messages %+v", msgs)
	}
	ledger, err := book.ConsentLedger(bg, phone)
	if err != nil || len(ledger) != 1 {
		t.Fatalf("ledger %v, %v", ledger, err)
	}
	e := ledger[0]
	ev := e.Evidence
	if e.Action != consent.ActionGrant || e.Channel != channel.KindSMS || e.Purpose != consent.PurposeMarketing ||
		ev.Method != consent.MethodWebForm || ev.DisclosureVersion != DisclosureVersion || ev.DisclosureText != Disclosure ||
		!ev.IP.IsLoopback() || ev.UserAgent != "rapport-browser-test/1.0 (HeadlessChrome)" || !strings.HasPrefix(ev.PageURL, srv.URL) {
		t.Errorf("consent event %+v", e)
	}

	// The staff side shows the message and the same decision as the book.
	v, err := book.Check(bg, rapport.Contact{Address: phone, Channel: channel.KindSMS, Purpose: consent.PurposeMarketing, Rooftop: "downtown", Customer: c.ID})
	if err != nil {
		t.Fatal(err)
	}
	want := "no"
	if v.Allowed() {
		want = "yes"
	}
	if allowed != want || decision != v.Consent.String() || !strings.Contains(staffText, "Is the blue Civic still available?") {
		t.Errorf("staff side: allowed %q (book: %q), decision %q (book: %q)\n%s", allowed, want, decision, v.Consent, staffText)
	}
	if len(png) < 1000 {
		t.Errorf("screenshot of %d bytes", len(png))
	}
}
