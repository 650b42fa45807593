package smshook

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/interaction"
)

// The reasons a webhook's form is refused, matched with errors.Is through
// a *ValidationError.
var (
	// ErrMissing: a required parameter is absent or empty.
	ErrMissing = errors.New("missing value")
	// ErrInvalid: a parameter's value cannot be read.
	ErrInvalid = errors.New("invalid value")
	// ErrTooLong: a parameter's value is longer than the package accepts.
	ErrTooLong = errors.New("value too long")
)

// ValidationError names the form parameter a webhook request was refused
// for. Its message never includes the parameter's value.
type ValidationError struct {
	Field string // the parameter's name as the provider posts it: "From", "MessageSid"
	Err   error  // ErrMissing, ErrInvalid, ErrTooLong, or a channel parse error
}

func (e *ValidationError) Error() string { return "smshook: " + e.Field + ": " + e.Err.Error() }

// Unwrap returns the cause.
func (e *ValidationError) Unwrap() error { return e.Err }

// FieldPath returns Field, giving ValidationError the shape of
// rapport.FieldError.
func (e *ValidationError) FieldPath() string { return e.Field }

// Limits on what a form may hold. A message body is at most 1,600
// characters at the providers (ten concatenated segments); a little more
// is accepted so that a provider's own limit is never the one hit here.
const (
	maxBody  = 4096
	maxSid   = 64
	maxField = 256
	maxMedia = 10 // providers attach at most ten media items
)

// Message is an inbound message as the provider posted it.
type Message struct {
	// Sid is the provider's message ID (MessageSid; SmsSid from older
	// integrations).
	Sid string
	// From is the sender, To the dealership's number it arrived on.
	From, To channel.Address
	// Body is the text, as sent.
	Body string
	// OptOutType is the provider's own opt-out classification ("STOP",
	// "START", "HELP"), when its opt-out handling is on.
	OptOutType string
	// Media counts the media items attached (NumMedia, 0 to 10); MediaTypes
	// are their content types (MediaContentType0…).
	Media      int
	MediaTypes []string
}

// ParseMessage reads an inbound message's form. Phone numbers without a
// country code are read in region (an ISO 3166 code such as "US"; empty
// means "US"). It returns a *ValidationError naming the first parameter at
// fault.
func ParseMessage(form url.Values, region string) (Message, error) {
	var m Message
	var err error
	if m.Sid, err = sid(form); err != nil {
		return Message{}, err
	}
	if m.From, err = address(form, "From", region); err != nil {
		return Message{}, err
	}
	if m.To, err = address(form, "To", region); err != nil {
		return Message{}, err
	}
	m.Body = form.Get("Body")
	if len(m.Body) > maxBody {
		return Message{}, &ValidationError{Field: "Body", Err: fmt.Errorf("%w: over %d bytes", ErrTooLong, maxBody)}
	}
	if !utf8.ValidString(m.Body) {
		return Message{}, &ValidationError{Field: "Body", Err: fmt.Errorf("%w: not UTF-8", ErrInvalid)}
	}
	if m.OptOutType, err = text(form, "OptOutType"); err != nil {
		return Message{}, err
	}
	if n := form.Get("NumMedia"); n != "" {
		m.Media, err = strconv.Atoi(n)
		if err != nil || m.Media < 0 || m.Media > maxMedia {
			return Message{}, &ValidationError{Field: "NumMedia", Err: fmt.Errorf("%w: not a count from 0 to %d", ErrInvalid, maxMedia)}
		}
	}
	for i := range m.Media {
		t, err := text(form, "MediaContentType"+strconv.Itoa(i))
		if err != nil {
			return Message{}, err
		}
		m.MediaTypes = append(m.MediaTypes, t)
	}
	return m, nil
}

// Status is a delivery status callback as the provider posted it.
type Status struct {
	// Sid is the provider's message ID.
	Sid string
	// Update is the receipt in rapport's terms. Its At is zero: the
	// provider does not say when (Handler.Status uses the time the
	// callback arrives).
	Update interaction.DeliveryUpdate
	// To is the recipient, when the provider names it.
	To channel.Address
}

// ParseStatus reads a status callback's form. The provider's statuses map
// to rapport's delivery lifecycle: accepted, scheduled and queued →
// queued; sending and sent → sent; delivered; read; undelivered, failed and
// canceled → failed, with the status as the reason and ErrorCode kept. It
// returns a *ValidationError naming the first parameter at fault.
func ParseStatus(form url.Values, region string) (Status, error) {
	var s Status
	var err error
	if s.Sid, err = sid(form); err != nil {
		return Status{}, err
	}
	if form.Get("To") != "" {
		if s.To, err = address(form, "To", region); err != nil {
			return Status{}, err
		}
	}
	code, err := text(form, "ErrorCode")
	if err != nil {
		return Status{}, err
	}
	raw := form.Get("MessageStatus")
	if raw == "" {
		raw = form.Get("SmsStatus")
	}
	switch raw {
	case "":
		return Status{}, &ValidationError{Field: "MessageStatus", Err: ErrMissing}
	case "accepted", "scheduled", "queued":
		s.Update.Status = interaction.StatusQueued
	case "sending", "sent":
		s.Update.Status = interaction.StatusSent
	case "delivered":
		s.Update.Status = interaction.StatusDelivered
	case "read":
		s.Update.Status = interaction.StatusRead
	case "undelivered", "failed", "canceled":
		s.Update.Status = interaction.StatusFailed
		s.Update.Reason = raw
		s.Update.ErrorCode = code
	default:
		return Status{}, &ValidationError{Field: "MessageStatus", Err: fmt.Errorf("%w: not a message status", ErrInvalid)}
	}
	return s, nil
}

func sid(form url.Values) (string, error) {
	field := "MessageSid"
	s := form.Get(field)
	if s == "" {
		field = "SmsSid"
		s = form.Get(field)
	}
	if s == "" {
		return "", &ValidationError{Field: "MessageSid", Err: ErrMissing}
	}
	if len(s) > maxSid {
		return "", &ValidationError{Field: field, Err: fmt.Errorf("%w: over %d bytes", ErrTooLong, maxSid)}
	}
	for _, r := range s {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '-' || r == '_') {
			return "", &ValidationError{Field: field, Err: fmt.Errorf("%w: only letters, digits, - and _", ErrInvalid)}
		}
	}
	return s, nil
}

// text returns a short single-line parameter, or "" when absent.
func text(form url.Values, field string) (string, error) {
	s := form.Get(field)
	if len(s) > maxField {
		return "", &ValidationError{Field: field, Err: fmt.Errorf("%w: over %d bytes", ErrTooLong, maxField)}
	}
	if !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool { return r < ' ' || r == 0x7f }) {
		return "", &ValidationError{Field: field, Err: fmt.Errorf("%w: not a line of text", ErrInvalid)}
	}
	return s, nil
}

// address reads a phone number, or a provider's channel-prefixed address
// ("whatsapp:+12125550123").
func address(form url.Values, field, region string) (channel.Address, error) {
	raw, err := text(form, field)
	if err != nil {
		return channel.Address{}, err
	}
	if raw == "" {
		return channel.Address{}, &ValidationError{Field: field, Err: ErrMissing}
	}
	if region == "" {
		region = "US"
	}
	if rest, ok := strings.CutPrefix(raw, "whatsapp:"); ok {
		p, err := channel.ParsePhone(rest, region)
		if err != nil {
			return channel.Address{}, &ValidationError{Field: field, Err: err}
		}
		a, err := channel.NewAddress(channel.SchemeWhatsApp, p.E164())
		if err != nil {
			return channel.Address{}, &ValidationError{Field: field, Err: err}
		}
		return a, nil
	}
	p, err := channel.ParsePhone(raw, region)
	if err != nil {
		return channel.Address{}, &ValidationError{Field: field, Err: err}
	}
	return p.Address(), nil
}
