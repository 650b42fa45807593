package feed_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/rapportcim/rapport"
	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/feed"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
	"github.com/rapportcim/rapport/storage/memstore"
)

// fixture is two tenants' Books on one backend and a feed handler that
// authenticates each by its API key.
type fixture struct {
	a, b *rapport.Book
	h    http.Handler
}

func newFixture(t testing.TB) fixture {
	t.Helper()
	backend := memstore.New(nil)
	t.Cleanup(func() { backend.Close() })
	books := map[string]*rapport.Book{}
	for key, tenant := range map[string]dealer.Tenant{"key-a": "group-a", "key-b": "group-b"} {
		b, err := rapport.New(backend, tenant, nil)
		if err != nil {
			t.Fatal(err)
		}
		books[key] = b
	}
	auth := func(r *http.Request) (*rapport.Book, error) {
		key, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if b := books[key]; ok && b != nil {
			return b, nil
		}
		return nil, errors.New("unknown key")
	}
	return fixture{a: books["key-a"], b: books["key-b"], h: feed.Handler(auth, &feed.Options{Poll: 10 * time.Millisecond})}
}

func receive(t testing.TB, b *rapport.Book, phone, body string) rapport.Received {
	t.Helper()
	from, err := channel.ParseAddress("tel:" + phone)
	if err != nil {
		t.Fatal(err)
	}
	r, err := b.Receive(context.Background(), rapport.Inbound{From: from, Body: body})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// get requests the feed as key and returns the response and its lines.
func get(t *testing.T, h http.Handler, key, query string) (*httptest.ResponseRecorder, []feed.Line) {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, "/changes?"+query, nil)
	if key != "" {
		r.Header.Set("Authorization", "Bearer "+key)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	var lines []feed.Line
	if w.Code == http.StatusOK {
		sc := bufio.NewScanner(strings.NewReader(w.Body.String()))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var l feed.Line
			if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
				t.Fatalf("line %q: %v", sc.Text(), err)
			}
			lines = append(lines, l)
		}
	}
	return w, lines
}

func TestLinesCarryCurrentRecords(t *testing.T) {
	f := newFixture(t)
	got := receive(t, f.a, "+12125550123", "Is the blue Civic still available?")
	w, lines := get(t, f.h, "key-a", "")
	if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "application/x-ndjson" {
		t.Fatalf("%d %s: %s", w.Code, w.Header().Get("Content-Type"), w.Body)
	}
	seen := map[storage.Entity]bool{}
	for _, l := range lines {
		seen[l.Change.Entity] = true
		if l.Change.Tenant != "group-a" || l.Cursor != l.Change.Cursor() {
			t.Errorf("line %+v", l)
		}
		switch l.Change.Entity {
		case storage.EntityInteraction:
			var i interaction.Interaction
			if err := json.Unmarshal(l.Record, &i); err != nil {
				t.Fatal(err)
			}
			if i.ID.String() == got.Interaction.ID.String() && i.Body != "Is the blue Civic still available?" {
				t.Errorf("interaction record body %q", i.Body)
			}
		case storage.EntityCustomer:
			var c customer.Customer
			if err := json.Unmarshal(l.Record, &c); err != nil || c.ID != got.Interaction.Customer {
				t.Errorf("customer record %s: %v", l.Record, err)
			}
		}
	}
	for _, e := range []storage.Entity{storage.EntityCustomer, storage.EntityInteraction, storage.EntityConversation} {
		if !seen[e] {
			t.Errorf("no %s change in %d lines", e, len(lines))
		}
	}
	// Resuming from the header's cursor reads nothing new, then the next write.
	next := w.Header().Get("Feed-Cursor")
	if next != string(lines[len(lines)-1].Cursor) {
		t.Fatalf("Feed-Cursor %q, want the last line's", next)
	}
	if _, again := get(t, f.h, "key-a", "after="+url.QueryEscape(next)); len(again) != 0 {
		t.Errorf("%d lines after the last cursor, want 0", len(again))
	}
	receive(t, f.a, "+12125550123", "Thanks!")
	if _, more := get(t, f.h, "key-a", "limit=1&after="+url.QueryEscape(next)); len(more) != 1 || more[0].Change.Entity == "" {
		t.Errorf("limit=1 after the cursor: %+v", more)
	}
}

func TestNoTenantReadsAnothersFeed(t *testing.T) {
	f := newFixture(t)
	receive(t, f.a, "+12125550123", "tenant A's secret message")
	_, aLines := get(t, f.h, "key-a", "")
	w, bLines := get(t, f.h, "key-b", "")
	if w.Code != http.StatusOK || len(bLines) != 0 || strings.Contains(w.Body.String(), "secret") {
		t.Errorf("tenant B's empty feed: %d %q", w.Code, w.Body)
	}
	// A cursor from A's feed is refused for B, not followed.
	w, _ = get(t, f.h, "key-b", "after="+url.QueryEscape(string(aLines[0].Cursor)))
	if w.Code != http.StatusBadRequest || strings.Contains(w.Body.String(), "secret") {
		t.Errorf("B with A's cursor: %d %q", w.Code, w.Body)
	}
	for _, key := range []string{"", "key-c"} {
		if w, _ := get(t, f.h, key, ""); w.Code != http.StatusUnauthorized || strings.Contains(w.Body.String(), "secret") {
			t.Errorf("key %q: %d %q", key, w.Code, w.Body)
		}
	}
}

func TestBadParameters(t *testing.T) {
	f := newFixture(t)
	for _, q := range []string{"limit=0", "limit=x", "wait=-1", "after=garbage"} {
		if w, _ := get(t, f.h, "key-a", q); w.Code != http.StatusBadRequest {
			t.Errorf("%s: %d", q, w.Code)
		}
	}
	w := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodPost, "/changes", nil)
	r.Header.Set("Authorization", "Bearer key-a")
	f.h.ServeHTTP(w, r)
	if w.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d", w.Code)
	}
}

func TestLongPollReturnsTheNextChange(t *testing.T) {
	f := newFixture(t)
	done := make(chan []feed.Line)
	go func() {
		_, lines := get(t, f.h, "key-a", "wait=30")
		done <- lines
	}()
	time.Sleep(50 * time.Millisecond) // let the request start waiting; the test holds either way
	receive(t, f.a, "+12125550123", "hello")
	if lines := <-done; len(lines) == 0 {
		t.Error("long poll returned no change")
	}
}

func TestServerSentEvents(t *testing.T) {
	f := newFixture(t)
	receive(t, f.a, "+12125550123", "first")
	existing := mustLines(t, f)
	srv := httptest.NewServer(f.h)
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	// open starts a stream and returns a function reading its next event's
	// ID and data.
	open := func(lastID string) func() (string, feed.Line) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
		req.Header.Set("Authorization", "Bearer key-a")
		req.Header.Set("Accept", "text/event-stream")
		if lastID != "" {
			req.Header.Set("Last-Event-ID", lastID)
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { resp.Body.Close() })
		if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
			t.Fatalf("Content-Type %q", ct)
		}
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(nil, 1<<20)
		return func() (string, feed.Line) {
			var id string
			for sc.Scan() {
				if v, ok := strings.CutPrefix(sc.Text(), "id: "); ok {
					id = v
				}
				if v, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
					var l feed.Line
					if err := json.Unmarshal([]byte(v), &l); err != nil {
						t.Fatal(err)
					}
					return id, l
				}
			}
			t.Fatalf("stream ended: %v", sc.Err())
			return "", feed.Line{}
		}
	}
	next := open("")
	id, l := next()
	if id != string(existing[0].Cursor) || l.Cursor != existing[0].Cursor || len(l.Record) == 0 {
		t.Fatalf("first event %q %+v", id, l)
	}
	// Reconnecting with Last-Event-ID resumes just after that change; a
	// change committed while the stream is open arrives on it.
	next = open(id)
	for _, want := range existing[1:] {
		if id, _ := next(); id != string(want.Cursor) {
			t.Fatalf("event %q, want %q", id, want.Cursor)
		}
	}
	got := receive(t, f.a, "+12125550199", "second")
	for {
		_, l := next()
		if l.Change.ID == got.Interaction.ID.String() {
			break
		}
	}
}

func mustLines(t *testing.T, f fixture) []feed.Line {
	t.Helper()
	_, lines := get(t, f.h, "key-a", "")
	return lines
}

func TestFollowResumesAfterRestart(t *testing.T) {
	f := newFixture(t)
	receive(t, f.a, "+12125550123", "one")
	var stored rapport.Cursor // what a follower keeps in its own database
	var seen []rapport.Change
	follow := func(want int) {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		err := feed.Follow(ctx, f.a, stored, func(ctx context.Context, c rapport.Change) error {
			seen = append(seen, c)
			stored = c.Cursor()
			if len(seen) == want {
				cancel() // the follower stops (a restart)
			}
			return nil
		}, &feed.FollowOptions{Poll: 10 * time.Millisecond})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Follow returned %v", err)
		}
	}
	first := len(mustLines(t, f))
	follow(first)
	receive(t, f.a, "+12125550123", "two")
	total := len(mustLines(t, f))
	follow(total)
	if len(seen) != total {
		t.Fatalf("followed %d changes, the feed has %d", len(seen), total)
	}
	for i := 1; i < len(seen); i++ {
		if seen[i].Seq <= seen[i-1].Seq {
			t.Errorf("change %d (seq %d) after seq %d: repeated or out of order", i, seen[i].Seq, seen[i-1].Seq)
		}
	}
	// An error from fn stops Follow and is returned as is.
	boom := errors.New("boom")
	if err := feed.Follow(context.Background(), f.a, "", func(context.Context, rapport.Change) error { return boom }, nil); err != boom {
		t.Errorf("Follow returned %v, want fn's error", err)
	}
}

func ExampleFollow() {
	book, err := rapport.New(memstore.New(nil), "group-a", nil)
	if err != nil {
		log.Fatal(err)
	}
	jane, _ := channel.ParseAddress("tel:+12125550123")
	if _, err := book.Receive(context.Background(), rapport.Inbound{From: jane, Body: "Is the blue Civic still available?"}); err != nil {
		log.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var stored rapport.Cursor // load it from where the follower keeps it
	err = feed.Follow(ctx, book, stored, func(ctx context.Context, c rapport.Change) error {
		fmt.Println(c.Op, c.Entity)
		if c.Entity == "interaction" {
			cancel()
		}
		stored = c.Cursor() // save it with what fn did
		return nil
	}, nil)
	fmt.Println(errors.Is(err, context.Canceled))
	// Output:
	// create customer
	// create conversation
	// create interaction
	// true
}

// A STOP's revocation is the change other systems most need to act on: its
// line carries the event itself, as the ledger holds it.
func TestConsentLinesCarryTheEvent(t *testing.T) {
	f := newFixture(t)
	r := receive(t, f.a, "+12125550123", "STOP")
	if len(r.Consent) == 0 {
		t.Fatal("STOP recorded no consent event")
	}
	stop := r.Consent[0]
	_, lines := get(t, f.h, "key-a", "")
	found := false
	for _, l := range lines {
		if l.Change.Entity != storage.EntityConsent {
			continue
		}
		var e consent.Event
		if err := json.Unmarshal(l.Record, &e); err != nil {
			t.Fatalf("consent record %s: %v", l.Record, err)
		}
		if e.ID.String() != l.Change.ID {
			t.Errorf("consent line for %s carries event %s", l.Change.ID, e.ID)
		}
		if e.ID == stop.ID {
			found = true
			if e.Action != consent.ActionRevoke || e.Subject.Address.Line() != stop.Subject.Address.Line() {
				t.Errorf("revocation record %+v", e)
			}
		}
	}
	if !found {
		t.Errorf("no line carries the revocation %s among %d lines", stop.ID, len(lines))
	}
}
