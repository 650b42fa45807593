package feed_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/rapportcim/rapport"
	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/feed"
	"github.com/rapportcim/rapport/storage/memstore"
)

// FuzzHandlerQuery sends arbitrary query strings and Last-Event-ID headers
// to the Handler: every answer must be 200 or a 400 naming the parameter,
// never a failure of the server, and never another tenant's data.
func FuzzHandlerQuery(f *testing.F) {
	backend := memstore.New(nil)
	a, _ := rapport.New(backend, "group-a", nil)
	b, _ := rapport.New(backend, "group-b", nil)
	jane, _ := channel.ParseAddress("tel:+12125550123")
	if _, err := a.Receive(context.Background(), rapport.Inbound{From: jane, Body: "tenant A's message"}); err != nil {
		f.Fatal(err)
	}
	var aCursor rapport.Cursor
	for c, err := range a.Changes(context.Background(), "") {
		if err != nil {
			f.Fatal(err)
		}
		aCursor = c.Cursor()
	}
	h := feed.Handler(func(*http.Request) (*rapport.Book, error) { return b, nil }, &feed.Options{Poll: time.Millisecond, MaxWait: time.Millisecond})
	f.Add("limit=10", "")
	f.Add("after="+string(aCursor), "")
	f.Add("wait=1&limit=1", string(aCursor))
	f.Add("limit=99999999999999999999&wait=-0", "AAAA")
	f.Fuzz(func(t *testing.T, query, lastID string) {
		r := httptest.NewRequest(http.MethodGet, "/changes", nil)
		r.URL.RawQuery = query
		if lastID != "" {
			r.Header.Set("Last-Event-ID", lastID)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		switch w.Code {
		case http.StatusOK:
			if w.Body.Len() != 0 {
				t.Fatalf("tenant B's empty feed served %q", w.Body)
			}
		case http.StatusBadRequest:
		default:
			t.Fatalf("query %q, Last-Event-ID %q: status %d %q", query, lastID, w.Code, w.Body)
		}
	})
}
