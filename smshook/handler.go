package smshook

import (
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/rapportcim/rapport"
	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/interaction"
)

// SignatureHeader is the header the provider signs its requests in.
const SignatureHeader = "X-Twilio-Signature"

// DefaultMaxBody bounds a webhook's request body when Options.MaxBody is
// zero: far above what a provider posts (a 1,600-character message and its
// parameters), far below what could tie up the server.
const DefaultMaxBody = 64 << 10

// DefaultConfirmation is the opt-out confirmation text when
// Options.Confirmation is empty.
const DefaultConfirmation = "You're unsubscribed and will get no more texts. Reply START to resubscribe."

// Options configure a Handler. The zero Options (or nil) means the
// defaults.
type Options struct {
	// BaseURL is the scheme and host the provider posts to, as configured
	// at the provider ("https://crm.example.com"), for a server behind a
	// proxy or load balancer. The signed URL is BaseURL followed by the
	// request's path and query. Empty means the URL the request reached
	// this server with (https when it came over TLS, else http, and the
	// Host header); forwarding headers are never trusted.
	BaseURL string
	// Rooftop returns the rooftop a dealership number belongs to; nil means
	// the zero rooftop for every number.
	Rooftop func(to channel.Address) dealer.Rooftop
	// Region reads phone numbers without a country code; empty means "US".
	Region string
	// MaxBody bounds the request body in bytes; zero means DefaultMaxBody.
	MaxBody int64
	// Confirmation is the text of the one confirmation an opt-out by
	// keyword may get; empty means DefaultConfirmation. A message the
	// provider classified itself (OptOutType) gets none: the provider's
	// opt-out handling sends its own.
	Confirmation string
	// Window is how far back a retry or a status callback is looked for
	// among the customer's messages; zero means 72 hours.
	Window time.Duration
	// Logger receives one line per refused or failed request: the status,
	// the reason (a field name, never its value) and the MessageSid. nil
	// means none.
	Logger *slog.Logger
}

// Handler serves one account's webhooks into a Book. It is safe for
// concurrent use.
type Handler struct {
	book  *rapport.Book
	token []byte
	o     Options
	log   *slog.Logger
	locks sync.Map // MessageSid → *sync.Mutex, held while a delivery of that message is handled
}

// New returns a Handler recording into book, verifying signatures with the
// account's auth token. It panics if book is nil or authToken is empty: a
// webhook that accepts unsigned requests is a programming error, not a
// configuration to run with.
func New(book *rapport.Book, authToken string, opts *Options) *Handler {
	if book == nil || authToken == "" {
		panic("smshook: New needs a Book and an auth token")
	}
	h := &Handler{book: book, token: []byte(authToken)}
	if opts != nil {
		h.o = *opts
	}
	if h.o.MaxBody <= 0 {
		h.o.MaxBody = DefaultMaxBody
	}
	if h.o.Confirmation == "" {
		h.o.Confirmation = DefaultConfirmation
	}
	if h.o.Window <= 0 {
		h.o.Window = 72 * time.Hour
	}
	h.log = h.o.Logger
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	return h
}

// Sign returns the signature a provider sends for a POST to fullURL with
// form: the base64 HMAC-SHA1, keyed with authToken, of fullURL followed by
// each parameter's name and value, sorted by name (and by value for a
// repeated name).
func Sign(authToken, fullURL string, form url.Values) string {
	mac := hmac.New(sha1.New, []byte(authToken))
	mac.Write([]byte(fullURL))
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		vs := slices.Clone(form[k])
		sort.Strings(vs)
		for _, v := range vs {
			mac.Write([]byte(k))
			mac.Write([]byte(v))
		}
	}
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// httpError is a refusal: the status and a reason safe to show and log.
type httpError struct {
	status int
	reason string
}

// read checks the method, bounds and parses the body, and verifies the
// signature. It never writes the book.
func (h *Handler) read(w http.ResponseWriter, r *http.Request) (url.Values, *httpError) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		return nil, &httpError{http.StatusMethodNotAllowed, "POST only"}
	}
	if ct, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || ct != "application/x-www-form-urlencoded" {
		return nil, &httpError{http.StatusUnsupportedMediaType, "Content-Type must be application/x-www-form-urlencoded"}
	}
	r.Body = http.MaxBytesReader(w, r.Body, h.o.MaxBody)
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, &httpError{http.StatusRequestEntityTooLarge, "request body too large"}
		}
		return nil, &httpError{http.StatusBadRequest, "malformed form"}
	}
	sig := r.Header.Get(SignatureHeader)
	want := Sign(string(h.token), h.url(r), r.PostForm)
	if sig == "" || !hmac.Equal([]byte(sig), []byte(want)) {
		return nil, &httpError{http.StatusForbidden, "missing or invalid " + SignatureHeader}
	}
	return r.PostForm, nil
}

// url is the URL the provider signed.
func (h *Handler) url(r *http.Request) string {
	if h.o.BaseURL != "" {
		return h.o.BaseURL + r.URL.RequestURI()
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + r.URL.RequestURI()
}

func (h *Handler) refuse(w http.ResponseWriter, r *http.Request, e *httpError, sid string) {
	h.log.LogAttrs(r.Context(), slog.LevelWarn, "smshook: request refused",
		slog.String("path", r.URL.Path), slog.Int("status", e.status), slog.String("reason", e.reason), slog.String("sid", sid))
	http.Error(w, e.reason, e.status)
}

// lock serializes the deliveries of one message in this process, so that
// a retry racing the first delivery finds what it wrote.
func (h *Handler) lock(sid string) func() {
	m, _ := h.locks.LoadOrStore(sid, new(sync.Mutex))
	mu := m.(*sync.Mutex)
	mu.Lock()
	return func() {
		mu.Unlock()
		h.locks.CompareAndDelete(sid, mu)
	}
}

// response is TwiML: an empty <Response/> or one reply message.
type response struct {
	XMLName xml.Name `xml:"Response"`
	Message []string `xml:"Message"`
}

func reply(w http.ResponseWriter, texts ...string) {
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	out, _ := xml.Marshal(response{Message: texts}) // strings always marshal
	w.Write([]byte(xml.Header))
	w.Write(out)
}

// Inbound returns the handler for inbound messages: mount it where the
// provider's messaging webhook posts. See the package documentation.
func (h *Handler) Inbound() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		form, herr := h.read(w, r)
		if herr != nil {
			h.refuse(w, r, herr, "")
			return
		}
		m, err := ParseMessage(form, h.o.Region)
		if err != nil {
			h.refuse(w, r, &httpError{http.StatusBadRequest, reason(err)}, "")
			return
		}
		ctx := r.Context()
		defer h.lock(m.Sid)()
		dup, err := h.find(ctx, m.From, m.Sid, interaction.DirectionInbound)
		if err != nil {
			h.fail(w, r, err, m.Sid)
			return
		}
		if !dup.IsZero() {
			reply(w)
			return
		}
		var rooftop dealer.Rooftop
		if h.o.Rooftop != nil {
			rooftop = h.o.Rooftop(m.To)
		}
		res, err := h.book.Receive(ctx, rapport.Inbound{
			From: m.From, To: m.To, Rooftop: rooftop, Body: m.Body,
			OptOutType: m.OptOutType, ProviderRef: m.Sid,
		})
		if err != nil {
			h.fail(w, r, err, m.Sid)
			return
		}
		var texts []string
		switch {
		case res.Reply != "":
			texts = append(texts, res.Reply)
		case !res.ConfirmUntil.IsZero() && m.OptOutType == "":
			_, err := h.book.Send(ctx, rapport.Outbound{
				Purpose: consent.PurposeService, Confirmation: true,
				Interaction: interaction.Interaction{
					Rooftop: rooftop, Channel: channel.KindSMS, Address: m.From, Via: m.To,
					Kind: interaction.KindMessage, Authorship: interaction.AuthorshipAutomated, Body: h.o.Confirmation,
				},
			})
			switch {
			case err == nil:
				texts = append(texts, h.o.Confirmation)
			case errors.Is(err, rapport.ErrRefused):
				// The line had its one confirmation already.
			default:
				h.fail(w, r, err, m.Sid)
				return
			}
		}
		reply(w, texts...)
	})
}

// Status returns the handler for delivery status callbacks: mount it where
// the provider's status callback URL points. The interaction is found by
// an "interaction" query parameter in that URL (its ID, which the signature
// covers; the simplest for a sender that records the message with
// rapport.Book.Send before handing it to the provider), else by the
// MessageSid among the recipient's outbound messages of the last
// Options.Window (Interaction.ExternalRefs["provider"]). A callback for no
// known message gets 404.
func (h *Handler) Status() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		form, herr := h.read(w, r)
		if herr != nil {
			h.refuse(w, r, herr, "")
			return
		}
		s, err := ParseStatus(form, h.o.Region)
		if err != nil {
			h.refuse(w, r, &httpError{http.StatusBadRequest, reason(err)}, "")
			return
		}
		ctx := r.Context()
		var id interaction.ID
		if q := r.URL.Query().Get("interaction"); q != "" {
			if err := id.UnmarshalText([]byte(q)); err != nil {
				h.refuse(w, r, &httpError{http.StatusBadRequest, "interaction: invalid ID"}, s.Sid)
				return
			}
		} else if !s.To.IsZero() {
			if id, err = h.find(ctx, s.To, s.Sid, interaction.DirectionOutbound); err != nil {
				h.fail(w, r, err, s.Sid)
				return
			}
		}
		if id.IsZero() {
			h.refuse(w, r, &httpError{http.StatusNotFound, "no message with that MessageSid"}, s.Sid)
			return
		}
		s.Update.At = time.Now() // the provider posts the callback as the status changes
		if _, err := h.book.UpdateDelivery(ctx, id, s.Update); err != nil {
			var ve *interaction.ValidationError
			var te *interaction.TransitionError
			switch {
			case errors.Is(err, rapport.ErrNotFound):
				h.refuse(w, r, &httpError{http.StatusNotFound, "no message with that ID"}, s.Sid)
			case errors.As(err, &ve) || errors.As(err, &te) || errors.Is(err, interaction.ErrInvalidTransition):
				// A receipt the lifecycle refuses (after a terminal
				// failure) is answered 200: a retry would be refused too.
				h.log.LogAttrs(ctx, slog.LevelInfo, "smshook: status not applied", slog.String("sid", s.Sid), slog.String("status", string(s.Update.Status)))
				w.WriteHeader(http.StatusNoContent)
			default:
				h.fail(w, r, err, s.Sid)
			}
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
}

// find returns the interaction recorded for the provider message sid with
// the customer on line addr in the last Window, or the zero ID.
func (h *Handler) find(ctx context.Context, addr channel.Address, sid string, dir interaction.Direction) (interaction.ID, error) {
	holders, err := h.book.CustomersByAddress(ctx, addr)
	if err != nil {
		return interaction.ID{}, err
	}
	since := time.Now().Add(-h.o.Window)
	for _, c := range holders {
		for i, err := range h.book.CustomerTimeline(ctx, c.ID, rapport.Filter{Since: since}) {
			if err != nil {
				return interaction.ID{}, err
			}
			if i.Direction == dir && i.ExternalRefs["provider"] == sid {
				return i.ID, nil
			}
		}
	}
	return interaction.ID{}, nil
}

// fail answers a failure of the Book: 400 for a record the Book refuses
// (naming the field), 503 when the request was cancelled, else 500 (the
// provider retries; the retry is recorded once).
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error, sid string) {
	var fe rapport.FieldError
	switch {
	case errors.As(err, &fe):
		h.refuse(w, r, &httpError{http.StatusBadRequest, "invalid " + fe.FieldPath()}, sid)
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		h.refuse(w, r, &httpError{http.StatusServiceUnavailable, "request cancelled"}, sid)
	default:
		h.log.LogAttrs(r.Context(), slog.LevelError, "smshook: book failed", slog.String("sid", sid), slog.String("op", op(err)))
		http.Error(w, "internal error", http.StatusInternalServerError)
	}
}

// op names the Book call that failed, without the error's text (which may
// quote a record).
func op(err error) string {
	var be *rapport.Error
	if errors.As(err, &be) {
		return be.Op
	}
	return "unknown"
}

// reason is a parse error's text: the field and the sentinel, never the
// value.
func reason(err error) string {
	var ve *ValidationError
	if errors.As(err, &ve) {
		var fe rapport.FieldError
		cause := ve.Err
		if errors.As(cause, &fe) {
			return ve.Field + ": invalid"
		}
		return ve.Field + ": " + cause.Error()
	}
	return "malformed request"
}
