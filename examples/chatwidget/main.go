// Command chatwidget is a chat widget a dealer can drop on a web site, and
// the small server behind it, over a rapport Book.
//
// A visitor gives a name and a phone number or an email address, picks the
// channel they prefer and the best time to reach them, may tick a box to
// get texts (the box shows the disclosure they agree to), and writes a
// message. The server records the customer (with the preference), the
// message in a web-chat conversation, and the consent with its evidence
// (consent.FromWebForm: the disclosure text and version, the visitor's IP
// address and user agent, the page). The page then shows the staff side:
// the conversation and whether the dealership may text the customer now.
//
//	go run ./examples/chatwidget                # in memory, on :8080
//	go run ./examples/chatwidget -db chat.db    # in a SQLite file
//
// With -feed-key KEY it also serves the book's change feed (package feed)
// at /api/changes to callers presenting "Authorization: Bearer KEY"; with
// -sms-token TOKEN it takes SMS provider webhooks (package smshook) signed
// with that auth token at /sms and /sms/status.
//
// Open http://localhost:8080/ in a browser. The page is plain HTML and
// JavaScript (static/), with no build step: copy widget.js and the form to
// a site and point it at this server.
package main

import (
	"context"
	"crypto/subtle"
	"embed"
	"encoding/json"
	"errors"
	"flag"
	"io/fs"
	"log"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/rapportcim/rapport"
	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/feed"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/smshook"
	"github.com/rapportcim/rapport/storage"
	"github.com/rapportcim/rapport/storage/memstore"
	"github.com/rapportcim/rapport/storage/sqlitestore"
)

//go:embed static
var static embed.FS

// Disclosure is the text shown beside the SMS consent box, and
// DisclosureVersion its name: both are kept as the consent's evidence. The
// page shows exactly this text (it reads it from /api/disclosure).
const (
	Disclosure = "By checking this box, I agree to receive marketing text messages from Example Motors " +
		"at the number provided, including messages sent by autodialer. Consent is not a condition of " +
		"purchase. Message and data rates may apply. Message frequency varies. Reply STOP to cancel, HELP for help."
	DisclosureVersion = "sms-marketing-v1"
)

func main() {
	addr := flag.String("addr", "localhost:8080", "the address to listen on")
	db := flag.String("db", "", "a SQLite file; empty means in memory")
	feedKey := flag.String("feed-key", "", "serve the change feed at /api/changes to this bearer key; empty means not at all")
	smsToken := flag.String("sms-token", "", "take SMS webhooks signed with this auth token at /sms; empty means not at all")
	flag.Parse()
	ctx := context.Background()
	var backend storage.Backend = memstore.New(nil)
	if *db != "" {
		s, err := sqlitestore.Open(ctx, *db, nil)
		if err != nil {
			log.Fatal(err)
		}
		defer s.Close()
		if err := s.Migrate(ctx); err != nil {
			log.Fatal(err)
		}
		backend = s
	}
	book, err := rapport.New(backend, "example-motors", nil)
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("chat widget on http://%s/", *addr)
	mux := http.NewServeMux()
	mux.Handle("/", newServer(book, "downtown"))
	if *feedKey != "" {
		mux.Handle("GET /api/changes", feed.Handler(func(r *http.Request) (*rapport.Book, error) {
			key, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
			if !ok || subtle.ConstantTimeCompare([]byte(key), []byte(*feedKey)) != 1 {
				return nil, errors.New("wrong key")
			}
			return book, nil
		}, nil))
	}
	if *smsToken != "" {
		h := smshook.New(book, *smsToken, &smshook.Options{Rooftop: func(channel.Address) dealer.Rooftop { return "downtown" }})
		mux.Handle("POST /sms", h.Inbound())
		mux.Handle("POST /sms/status", h.Status())
	}
	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	log.Fatal(srv.ListenAndServe())
}

// server serves the widget's page and API for one rooftop.
type server struct {
	book    *rapport.Book
	rooftop dealer.Rooftop
}

func newServer(book *rapport.Book, rooftop dealer.Rooftop) http.Handler {
	s := &server{book: book, rooftop: rooftop}
	mux := http.NewServeMux()
	files, _ := fs.Sub(static, "static") // the embedded directory exists
	mux.Handle("GET /", http.FileServerFS(files))
	mux.HandleFunc("GET /api/disclosure", func(w http.ResponseWriter, r *http.Request) {
		reply(w, http.StatusOK, map[string]string{"text": Disclosure, "version": DisclosureVersion})
	})
	mux.HandleFunc("POST /api/chat", s.chat)
	mux.HandleFunc("GET /api/staff", s.staff)
	return mux
}

// chatRequest is what the widget posts.
type chatRequest struct {
	Session    string `json:"session"`
	Name       string `json:"name"`
	Phone      string `json:"phone"`
	Email      string `json:"email"`
	Preferred  string `json:"preferred"` // sms, voice or email
	BestTime   string `json:"best_time"` // morning, afternoon or evening
	Zone       string `json:"zone"`      // the browser's IANA time zone
	SMSConsent bool   `json:"sms_consent"`
	Message    string `json:"message"`
	Page       string `json:"page"`
}

// problem is a refusal the widget shows next to a field.
type problem struct {
	Field string `json:"field"`
	Error string `json:"error"`
}

func reply(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// dealerZone is the dealership's time zone: a best time the visitor picks
// is read in it when the browser does not say where the visitor is.
const dealerZone = "America/New_York"

var bestTimes = map[string][2]int{"morning": {9, 12}, "afternoon": {12, 17}, "evening": {17, 20}}

func (s *server) chat(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	var req chatRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		reply(w, http.StatusBadRequest, problem{"", "malformed request"})
		return
	}
	session, err := channel.NewAddress(channel.SchemeWebChat, req.Session)
	if err != nil || len(req.Session) < 8 {
		reply(w, http.StatusBadRequest, problem{"session", "missing or invalid chat session"})
		return
	}
	c := customer.Customer{Name: customer.Name{Full: strings.TrimSpace(req.Name)}, Source: "website chat"}
	if c.Name.Full == "" {
		reply(w, http.StatusBadRequest, problem{"name", "please tell us your name"})
		return
	}
	c.ContactPoints = append(c.ContactPoints, customer.ContactPoint{Address: session})
	var phone channel.Address
	if strings.TrimSpace(req.Phone) != "" {
		p, err := channel.ParsePhone(req.Phone, "US")
		if err != nil {
			reply(w, http.StatusBadRequest, problem{"phone", "that does not look like a phone number"})
			return
		}
		phone = p.Address()
		c.ContactPoints = append(c.ContactPoints, customer.ContactPoint{Address: phone, Usage: customer.UsageMobile})
	}
	if strings.TrimSpace(req.Email) != "" {
		e, err := channel.ParseEmail(req.Email)
		if err != nil {
			reply(w, http.StatusBadRequest, problem{"email", "that does not look like an email address"})
			return
		}
		c.ContactPoints = append(c.ContactPoints, customer.ContactPoint{Address: e.Address()})
	}
	if len(c.ContactPoints) == 1 {
		reply(w, http.StatusBadRequest, problem{"phone", "please give a phone number or an email address"})
		return
	}
	if req.SMSConsent && phone.IsZero() {
		reply(w, http.StatusBadRequest, problem{"phone", "texts need a phone number"})
		return
	}
	switch k := channel.Kind(req.Preferred); k {
	case channel.KindSMS, channel.KindVoice, channel.KindEmail:
		c.Preference.Kinds = []channel.Kind{k}
	case "":
	default:
		reply(w, http.StatusBadRequest, problem{"preferred", "unknown channel"})
		return
	}
	if t, ok := bestTimes[req.BestTime]; ok {
		c.Preference.Windows = channel.Every(channel.Clock(t[0], 0), channel.Clock(t[1], 0))
		// The windows are in the visitor's time zone when the browser
		// gives one, else in the dealership's.
		c.Preference.Zone = dealerZone
		if _, err := time.LoadLocation(req.Zone); err == nil && req.Zone != "" && req.Zone != "Local" {
			c.Preference.Zone = req.Zone
		}
	}
	msg := strings.TrimSpace(req.Message)
	if msg == "" {
		reply(w, http.StatusBadRequest, problem{"message", "please write a message"})
		return
	}
	ctx := r.Context()
	up, err := s.book.UpsertCustomer(ctx, c)
	if err != nil {
		s.fail(w, err)
		return
	}
	if req.SMSConsent {
		ev, err := consent.FromWebForm(consent.WebForm{
			Address: phone, Customer: up.Record.ID, Channel: channel.KindSMS, Purpose: consent.PurposeMarketing,
			Rooftop: s.rooftop, Basis: consent.BasisExpressWritten, At: time.Now(),
			DisclosureText: Disclosure, DisclosureVersion: DisclosureVersion,
			IP: clientIP(r), UserAgent: r.UserAgent(), PageURL: req.Page, SourceSystem: "website chat",
		})
		if err == nil {
			_, err = s.book.RecordConsent(ctx, ev)
		}
		if err != nil {
			s.fail(w, err)
			return
		}
	}
	got, err := s.book.Receive(ctx, rapport.Inbound{From: session, Rooftop: s.rooftop, Channel: channel.KindWebChat, Body: msg})
	if err != nil {
		s.fail(w, err)
		return
	}
	reply(w, http.StatusOK, map[string]string{
		"customer": up.Record.ID.String(), "conversation": got.Interaction.Conversation.String(),
	})
}

// clientIP is the address the request came from. Behind a proxy, take it
// from the proxy's header instead, and only from a proxy you trust.
func clientIP(r *http.Request) netip.Addr {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, _ := netip.ParseAddr(host)
	return a.Unmap()
}

func (s *server) fail(w http.ResponseWriter, err error) {
	var fe rapport.FieldError
	if errors.As(err, &fe) {
		reply(w, http.StatusBadRequest, problem{fe.FieldPath(), "please check this field"})
		return
	}
	log.Printf("chatwidget: %v", err)
	reply(w, http.StatusInternalServerError, problem{"", "something went wrong; please try again"})
}

// staffView is what the staff side shows of a customer.
type staffView struct {
	Customer     string                         `json:"customer"`
	Name         string                         `json:"name"`
	Preferred    []channel.Kind                 `json:"preferred"`
	Messages     []staffMessage                 `json:"messages"`
	TextAllowed  bool                           `json:"text_allowed"`
	TextDecision string                         `json:"text_decision"`
	Consent      []consent.Event                `json:"consent"`
	Status       interaction.ConversationStatus `json:"status"`
}

type staffMessage struct {
	At        time.Time `json:"at"`
	Direction string    `json:"direction"`
	Body      string    `json:"body"`
}

// staff returns the staff side of a customer: in a real deployment it sits
// behind the dealership's login, never on the public site.
func (s *server) staff(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	var id customer.ID
	if err := id.UnmarshalText([]byte(r.URL.Query().Get("customer"))); err != nil {
		reply(w, http.StatusBadRequest, problem{"customer", "not a customer ID"})
		return
	}
	c, err := s.book.Customer(ctx, id)
	if errors.Is(err, rapport.ErrNotFound) {
		reply(w, http.StatusNotFound, problem{"customer", "no such customer"})
		return
	}
	if err != nil {
		s.fail(w, err)
		return
	}
	v := staffView{Customer: c.ID.String(), Name: c.Name.Full, Preferred: c.Preference.Kinds, TextDecision: "no phone number"}
	for i, err := range s.book.CustomerTimeline(ctx, id, rapport.Filter{}) {
		if err != nil {
			s.fail(w, err)
			return
		}
		if i.Direction == interaction.DirectionInternal {
			continue
		}
		v.Messages = append(v.Messages, staffMessage{At: i.OccurredAt, Direction: string(i.Direction), Body: i.Body})
		if v.Status == "" && !i.Conversation.IsZero() {
			if conv, err := s.book.Conversation(ctx, i.Conversation); err == nil {
				v.Status = conv.Status
			}
		}
	}
	for _, cp := range c.ContactPoints {
		if cp.Address.Scheme() != channel.SchemeTel {
			continue
		}
		verdict, err := s.book.Check(ctx, rapport.Contact{Address: cp.Address, Channel: channel.KindSMS, Purpose: consent.PurposeMarketing, Rooftop: s.rooftop, Customer: id})
		if err != nil {
			s.fail(w, err)
			return
		}
		v.TextAllowed, v.TextDecision = verdict.Allowed(), verdict.Consent.String()
		break
	}
	if v.Consent, err = s.book.CustomerConsent(ctx, id); err != nil {
		s.fail(w, err)
		return
	}
	reply(w, http.StatusOK, v)
}
