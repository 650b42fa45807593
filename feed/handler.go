package feed

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/rapportcim/rapport"
)

// Authenticate decides who is calling: it returns the Book of the caller's
// tenant, or an error to refuse the request with 401 Unauthorized. It is
// the caller's own scheme (an API key, a session, mutual TLS); the Handler
// never serves a change the returned Book cannot read.
type Authenticate func(r *http.Request) (*rapport.Book, error)

// Options configure a Handler. nil means the defaults.
type Options struct {
	// Poll is how often a waiting request looks for new changes; zero
	// means DefaultPoll.
	Poll time.Duration
	// MaxWait bounds how long a JSON lines request waits for a first
	// change (its "wait" parameter); zero means 30 seconds.
	MaxWait time.Duration
	// MaxStream bounds how long one Server-Sent Events stream stays open
	// (the client reconnects with Last-Event-ID); zero means 10 minutes.
	MaxStream time.Duration
	// Logger receives one line per failed request, without record data;
	// nil means none.
	Logger *slog.Logger
}

// keepAlive is how long a Server-Sent Events stream may stay silent before
// the Handler writes a comment to keep it open.
const keepAlive = 15 * time.Second

// MaxLimit is the most changes one JSON lines response holds.
const MaxLimit = 1000

// Handler serves GET requests for the change feed of the caller's tenant:
//
//	GET /changes?after=CURSOR&limit=N&wait=SECONDS
//
// answers with up to limit changes after the cursor (the empty cursor is
// the beginning; limit defaults to and is capped at MaxLimit) as JSON lines
// (Content-Type application/x-ndjson), one [Line] per line. When there is
// no change yet it waits up to wait seconds (default 0, capped by
// Options.MaxWait) for one: long polling. The response's Feed-Cursor header
// is the cursor to pass next (the last line's, or the one given).
//
// A request with "Accept: text/event-stream" gets Server-Sent Events
// instead: each change is an event with the Line as data and its cursor as
// the event ID, and the stream stays open, sending changes as they are
// committed, until the client leaves or Options.MaxStream passes. A client
// reconnecting sends Last-Event-ID, which takes the place of "after".
//
// Errors: 401 when Authenticate refuses, 400 for a malformed parameter or
// a cursor that is not from this tenant's feed, 405 for a method other
// than GET or HEAD, 500 when the book fails.
func Handler(auth Authenticate, opts *Options) http.Handler {
	if auth == nil {
		panic("feed: Handler needs an Authenticate function")
	}
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.Poll <= 0 {
		o.Poll = DefaultPoll
	}
	if o.MaxWait <= 0 {
		o.MaxWait = 30 * time.Second
	}
	if o.MaxStream <= 0 {
		o.MaxStream = 10 * time.Minute
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return &handler{auth: auth, o: o}
}

type handler struct {
	auth Authenticate
	o    Options
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "GET only", http.StatusMethodNotAllowed)
		return
	}
	book, err := h.auth(r)
	if err != nil || book == nil {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	q := r.URL.Query()
	after := rapport.Cursor(q.Get("after"))
	if id := r.Header.Get("Last-Event-ID"); id != "" {
		after = rapport.Cursor(id)
	}
	limit := MaxLimit
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			http.Error(w, "limit: not a positive number", http.StatusBadRequest)
			return
		}
		limit = min(n, MaxLimit)
	}
	var wait time.Duration
	if s := q.Get("wait"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			http.Error(w, "wait: not a number of seconds", http.StatusBadRequest)
			return
		}
		wait = min(time.Duration(n)*time.Second, h.o.MaxWait)
	}
	if strings.Contains(r.Header.Get("Accept"), "text/event-stream") {
		h.stream(w, r, book, after)
		return
	}
	h.lines(w, r, book, after, limit, wait)
}

// Read returns up to limit changes of book after the cursor, in commit
// order, each with its record's current JSON: what one JSON lines response
// of the Handler holds (limit <= 0: every change). It reads what is
// committed now and does not wait.
func Read(ctx context.Context, book *rapport.Book, after rapport.Cursor, limit int) ([]Line, error) {
	var out []Line
	for c, err := range book.Changes(ctx, after) {
		if err != nil {
			return nil, err
		}
		rec, err := record(ctx, book, c)
		if err != nil {
			return nil, err
		}
		out = append(out, Line{Cursor: c.Cursor(), Change: c, Record: rec})
		if len(out) == limit {
			break
		}
	}
	return out, nil
}

func (h *handler) lines(w http.ResponseWriter, r *http.Request, book *rapport.Book, after rapport.Cursor, limit int, wait time.Duration) {
	ctx := r.Context()
	deadline := time.Now().Add(wait)
	var lines []Line
	for {
		var err error
		if lines, err = Read(ctx, book, after, limit); err != nil {
			h.fail(w, r, err)
			return
		}
		if len(lines) > 0 || !time.Now().Before(deadline) {
			break
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(min(h.o.Poll, time.Until(deadline))):
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	next := after
	for _, l := range lines {
		if err := enc.Encode(l); err != nil {
			h.fail(w, r, err)
			return
		}
		next = l.Cursor
	}
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Feed-Cursor", string(next))
	w.Write(buf.Bytes())
}

func (h *handler) stream(w http.ResponseWriter, r *http.Request, book *rapport.Book, after rapport.Cursor) {
	ctx, cancel := context.WithTimeout(r.Context(), h.o.MaxStream)
	defer cancel()
	rc := http.NewResponseController(w)
	// The first page is read before the headers go out, so that a bad
	// cursor still gets its 400.
	lines, err := Read(ctx, book, after, MaxLimit)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	var idle time.Duration // since the last write
	for {
		for _, l := range lines {
			data, err := json.Marshal(l)
			if err != nil {
				h.o.Logger.LogAttrs(ctx, slog.LevelError, "feed: encoding a change", slog.String("tenant", string(book.Tenant())))
				return
			}
			if _, err := w.Write([]byte("id: " + string(l.Cursor) + "\nevent: change\ndata: " + string(data) + "\n\n")); err != nil {
				return
			}
			after = l.Cursor
		}
		if len(lines) > 0 {
			idle = 0
		} else if idle += h.o.Poll; idle >= keepAlive {
			// A comment line keeps proxies from closing an idle stream.
			if _, err := w.Write([]byte(": keep-alive\n\n")); err != nil {
				return
			}
			idle = 0
		}
		if err := rc.Flush(); err != nil {
			return
		}
		if len(lines) < MaxLimit {
			select {
			case <-ctx.Done():
				return
			case <-time.After(h.o.Poll):
			}
		}
		if lines, err = Read(ctx, book, after, MaxLimit); err != nil {
			if ctx.Err() == nil {
				h.o.Logger.LogAttrs(ctx, slog.LevelError, "feed: reading changes", slog.String("tenant", string(book.Tenant())), slog.String("op", op(err)))
			}
			return
		}
	}
}

func (h *handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, rapport.ErrInvalidCursor):
		http.Error(w, "after: not a cursor of this feed", http.StatusBadRequest)
	case r.Context().Err() != nil:
		// The client left.
	default:
		h.o.Logger.LogAttrs(r.Context(), slog.LevelError, "feed: reading changes", slog.String("op", op(err)))
		http.Error(w, "internal error", http.StatusInternalServerError)
	}
}

// op names the Book call that failed, without the error's text.
func op(err error) string {
	var be *rapport.Error
	if errors.As(err, &be) {
		return be.Op
	}
	return "unknown"
}
