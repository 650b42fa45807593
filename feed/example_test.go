package feed_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/rapportcim/rapport"
	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/feed"
	"github.com/rapportcim/rapport/storage/memstore"
)

func ExampleHandler() {
	book, err := rapport.New(memstore.New(nil), "group-a", nil)
	if err != nil {
		log.Fatal(err)
	}
	// Each API key belongs to one tenant: the function returns that
	// tenant's Book, and the handler serves nothing else.
	keys := map[string]*rapport.Book{"key-for-group-a": book}
	h := feed.Handler(func(r *http.Request) (*rapport.Book, error) {
		if b, ok := keys[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]; ok {
			return b, nil
		}
		return nil, errors.New("unknown key")
	}, nil)

	jane, _ := channel.ParseAddress("tel:+12125550123")
	if _, err := book.Receive(context.Background(), rapport.Inbound{From: jane, Body: "Is the blue Civic still available?"}); err != nil {
		log.Fatal(err)
	}
	r := httptest.NewRequest(http.MethodGet, "/changes?limit=1", nil)
	r.Header.Set("Authorization", "Bearer key-for-group-a")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	var line struct {
		Change rapport.Change
		Record struct{ Tenant string }
	}
	if err := json.Unmarshal(w.Body.Bytes(), &line); err != nil {
		log.Fatal(err)
	}
	fmt.Println(w.Code, w.Header().Get("Content-Type"))
	fmt.Println(line.Change.Op, line.Change.Entity, line.Record.Tenant)
	// Output:
	// 200 application/x-ndjson
	// create customer group-a
}
