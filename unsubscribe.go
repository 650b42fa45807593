package rapport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/url"
	"strings"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/storage"
)

// MaxOneClickBody is how many bytes ParseOneClick reads of a one-click
// unsubscribe request's body. RFC 8058's body is one short form field; a
// larger body is refused without being read further.
const MaxOneClickBody = 8 << 10

// ErrNotOneClick is wrapped by the *OneClickError that ParseOneClick
// returns for a request that is not an RFC 8058 one-click unsubscribe.
var ErrNotOneClick = errors.New("rapport: not a one-click unsubscribe request")

// OneClickError says what is wrong with a one-click unsubscribe request:
// Field names the part ("content_type", "body", "List-Unsubscribe") and
// Err wraps ErrNotOneClick. Match it with errors.Is and errors.As.
type OneClickError struct {
	Field string
	Err   error
}

func (e *OneClickError) Error() string {
	return "rapport: one-click unsubscribe: " + e.Field + ": " + e.Err.Error()
}

// Unwrap returns the wrapped error, which wraps ErrNotOneClick.
func (e *OneClickError) Unwrap() error { return e.Err }

func notOneClick(field, why string) error {
	return &OneClickError{Field: field, Err: fmt.Errorf("%w: %s", ErrNotOneClick, why)}
}

// ParseOneClick checks the body of an HTTPS POST to the URI of an email's
// List-Unsubscribe header: RFC 8058 one-click unsubscribe, which mail
// providers send when the recipient presses their Unsubscribe button. Such
// a request carries the form field List-Unsubscribe=One-Click, as
// application/x-www-form-urlencoded or multipart/form-data (RFC 8058
// section 3.1). contentType is the request's Content-Type header.
//
// ParseOneClick reads at most MaxOneClickBody bytes of body, never panics,
// and returns nil for a one-click request, or a *OneClickError wrapping
// ErrNotOneClick. The URI itself identifies the recipient (RFC 8058 asks
// for an opaque token in it); look the address up from it and record the
// withdrawal with Book.Unsubscribe.
func ParseOneClick(contentType string, body io.Reader) error {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return notOneClick("content_type", "not a media type")
	}
	data, err := io.ReadAll(io.LimitReader(body, MaxOneClickBody+1))
	if err != nil {
		return &OneClickError{Field: "body", Err: fmt.Errorf("%w: reading the body: %w", ErrNotOneClick, err)}
	}
	if len(data) > MaxOneClickBody {
		return notOneClick("body", fmt.Sprintf("longer than %d bytes", MaxOneClickBody))
	}
	var values []string
	switch mt {
	case "application/x-www-form-urlencoded":
		q, err := url.ParseQuery(string(data))
		if err != nil {
			return notOneClick("body", "not a form")
		}
		values = q["List-Unsubscribe"]
	case "multipart/form-data":
		boundary := params["boundary"]
		if boundary == "" {
			return notOneClick("content_type", "multipart without a boundary")
		}
		form, err := multipart.NewReader(strings.NewReader(string(data)), boundary).ReadForm(MaxOneClickBody)
		if err != nil {
			return notOneClick("body", "not a multipart form")
		}
		defer form.RemoveAll()
		values = form.Value["List-Unsubscribe"]
	default:
		return notOneClick("content_type", "neither a URL-encoded nor a multipart form")
	}
	for _, v := range values {
		if v == "One-Click" {
			return nil
		}
	}
	return notOneClick("List-Unsubscribe", "the form has no List-Unsubscribe=One-Click")
}

// Unsubscribe says who unsubscribed from email, for Book.Unsubscribe.
type Unsubscribe struct {
	// Address is the email address that unsubscribed; required.
	Address channel.Address
	// Purpose is what the person unsubscribed from; zero means every
	// purpose (an unsubscribe link in a marketing email stops the
	// marketing; set PurposeMarketing to record just that).
	Purpose consent.Purpose
	// Rooftop is the dealership location whose email it was. The
	// withdrawal binds every rooftop of the same seller (see
	// consent.Policy.Sellers).
	Rooftop dealer.Rooftop
	// At is when the request arrived; zero means now.
	At time.Time
	// PageURL is the unsubscribe URI that was posted to, kept as evidence.
	PageURL string
	// UserAgent is the User-Agent header of the request.
	UserAgent string
}

// Unsubscribe records an email unsubscribe (an RFC 8058 one-click request
// checked with ParseOneClick, or a click on an unsubscribe page): a
// revocation for u.Address's email, with consent.MethodEmailLink as
// evidence. CAN-SPAM (15 U.S.C. 7704(a)(4)) and CASL give 10 business days
// to honour it; rapport honours it at once. It returns the event as
// stored.
func (b *Book) Unsubscribe(ctx context.Context, u Unsubscribe) (_ consent.Event, err error) {
	defer b.observe(ctx, "Unsubscribe", time.Now(), &err)
	if u.Address.Scheme() != channel.SchemeMailto {
		return consent.Event{}, fail("Unsubscribe", &consent.ValidationError{Field: "subject.address", Err: fmt.Errorf("%w: an email unsubscribe needs a mailto: address", consent.ErrInvalid)})
	}
	now := b.clock()
	at := stamp(u.At)
	if at.IsZero() {
		at = now
	}
	purpose := u.Purpose
	if purpose == consent.PurposeUnknown {
		purpose = consent.PurposeAll
	}
	var out consent.Event
	err = b.backend.Update(ctx, func(tx storage.Tx) error {
		holders, err := tx.CustomersByAddress(ctx, b.tenant, u.Address.Line())
		if err != nil {
			return err
		}
		e := consent.Event{
			Subject: consent.Subject{Address: u.Address.Line(), Customer: customerOf(holders)},
			Channel: channel.KindEmail, Purpose: purpose, Rooftop: u.Rooftop,
			Action: consent.ActionRevoke, CapturedAt: at,
			Evidence: consent.Evidence{Method: consent.MethodEmailLink, PageURL: u.PageURL, UserAgent: u.UserAgent},
		}
		out, err = b.appendConsent(ctx, tx, e, now)
		return err
	})
	if err != nil {
		return consent.Event{}, fail("Unsubscribe", err)
	}
	return out, nil
}

// emailSubject returns an email's subject without the reply and forward
// prefixes mail programs add ("Re:", "RE: Fwd:", "AW:", "TR:", "RV:") and
// a leading "[External]"-style tag, so that "Re: STOP" reads as "STOP".
func emailSubject(s string) string {
	s = strings.TrimSpace(s)
	for {
		t := s
		if strings.HasPrefix(t, "[") {
			if i := strings.IndexByte(t, ']'); i > 0 && i < 24 {
				t = strings.TrimSpace(t[i+1:])
			}
		}
		if i := strings.IndexByte(t, ':'); i > 0 && i <= 4 {
			switch strings.ToLower(t[:i]) {
			case "re", "fw", "fwd", "aw", "wg", "tr", "rv", "sv", "vs", "ref", "rif":
				t = strings.TrimSpace(t[i+1:])
			}
		}
		if t == s {
			return s
		}
		s = t
	}
}

// maxReplyLines bounds how many lines of an email body emailReply reads.
const maxReplyLines = 200

// emailReply returns what the sender wrote in an email body: the lines
// above the quoted message they replied to (a "On … wrote:" attribution
// line in English, Spanish or French, an Outlook "-----Original
// Message-----" or "From:" header block, lines quoted with ">") and above
// their signature ("-- " or "Sent from my …"). A reply of "STOP" above a
// quoted marketing email is then read as the whole message it is.
func emailReply(body string) string {
	body = strings.ReplaceAll(body, "\r\n", "\n")
	lines := strings.Split(body, "\n")
	if len(lines) > maxReplyLines {
		lines = lines[:maxReplyLines]
	}
	end := len(lines)
	for i, l := range lines {
		t := strings.TrimSpace(l)
		lower := strings.ToLower(t)
		if strings.HasPrefix(t, ">") || l == "-- " || t == "--" ||
			strings.HasPrefix(lower, "-----original message") || strings.HasPrefix(lower, "-----mensaje original") ||
			strings.HasPrefix(lower, "-----message d'origine") || strings.HasPrefix(t, "________________") ||
			strings.HasPrefix(lower, "sent from my ") || strings.HasPrefix(lower, "enviado desde mi ") ||
			strings.HasPrefix(lower, "envoyé de mon ") || attribution(lower, lines, i) ||
			i > 0 && strings.TrimSpace(lines[i-1]) == "" && headerLine(lower) {
			end = i
			break
		}
	}
	return strings.TrimSpace(strings.Join(lines[:end], "\n"))
}

// attribution reports whether line i (lower-cased l) starts the
// attribution of a quoted message: "On Tue, … wrote:", "El … escribió:",
// "Le … a écrit :", possibly wrapped onto the next line.
func attribution(l string, lines []string, i int) bool {
	if !strings.HasPrefix(l, "on ") && !strings.HasPrefix(l, "el ") && !strings.HasPrefix(l, "le ") {
		return false
	}
	joined := l
	if i+1 < len(lines) {
		joined += " " + strings.ToLower(strings.TrimSpace(lines[i+1]))
	}
	for _, end := range []string{"wrote:", "escribió:", "a écrit :", "a écrit:"} {
		if strings.HasSuffix(l, end) || strings.HasSuffix(joined, end) {
			return true
		}
	}
	return false
}

// headerLine reports whether lower-cased l starts a header block of a
// forwarded or quoted message ("From: Downtown Mazda <…>").
func headerLine(l string) bool {
	for _, h := range []string{"from: ", "de: ", "de : "} {
		if strings.HasPrefix(l, h) {
			return true
		}
	}
	return false
}
