package consent

import (
	"encoding"
	"encoding/json"
	"time"
)

// eventJSON is Event without its UnmarshalJSON: json.Unmarshal's own
// decoding of the struct.
type eventJSON Event

// UnmarshalJSON decodes an Event exactly as json.Unmarshal decodes the
// struct without this method (FuzzEventJSON holds it to that). Documents
// in the form the backends store (an object of the Event's lower-case
// member names, ASCII strings without escapes, no nulls)
// take a direct path that spares the reflection; anything else, and any
// value that fails to decode, goes through json.Unmarshal, so that errors
// are json.Unmarshal's. On an error e is left as json.Unmarshal leaves it.
func (e *Event) UnmarshalJSON(b []byte) error {
	v := *e
	if d := (eventLexer{b: b}); d.event(&v) {
		*e = v
		return nil
	}
	return json.Unmarshal(b, (*eventJSON)(e))
}

// eventLexer reads the stored form of an Event; each method reports false
// on anything outside it.
type eventLexer struct {
	b []byte
	i int
}

func (l *eventLexer) event(e *Event) bool {
	return l.object(func(key []byte) bool {
		switch string(key) {
		case "id":
			return l.text(&e.ID)
		case "tenant":
			return l.str((*string)(&e.Tenant))
		case "subject":
			return l.object(func(key []byte) bool {
				switch string(key) {
				case "address":
					return l.text(&e.Subject.Address)
				case "customer":
					return l.text(&e.Subject.Customer)
				}
				return false
			})
		case "channel":
			return l.text(&e.Channel)
		case "purpose":
			return l.text(&e.Purpose)
		case "rooftop":
			return l.str((*string)(&e.Rooftop))
		case "action":
			return l.text(&e.Action)
		case "basis":
			return l.text(&e.Basis)
		case "evidence":
			return l.object(func(key []byte) bool {
				switch string(key) {
				case "method":
					return l.text(&e.Evidence.Method)
				case "captured_by":
					return l.str((*string)(&e.Evidence.CapturedBy))
				case "source_system":
					return l.str(&e.Evidence.SourceSystem)
				case "raw_value":
					return l.str(&e.Evidence.RawValue)
				case "disclosure_text":
					return l.str(&e.Evidence.DisclosureText)
				case "disclosure_version":
					return l.str(&e.Evidence.DisclosureVersion)
				case "disclosure_hash":
					return l.str(&e.Evidence.DisclosureHash)
				case "raw_text":
					return l.str(&e.Evidence.RawText)
				}
				return false
			})
		case "captured_at":
			return l.time(&e.CapturedAt)
		case "recorded_at":
			return l.time(&e.RecordedAt)
		case "effective_from":
			return l.time(&e.EffectiveFrom)
		case "effective_to":
			return l.time(&e.EffectiveTo)
		case "channel_only":
			return l.bool(&e.ChannelOnly)
		case "giver":
			return l.object(func(key []byte) bool {
				switch string(key) {
				case "name":
					return l.str(&e.Giver.Name)
				case "relationship":
					return l.str(&e.Giver.Relationship)
				case "customer":
					return l.text(&e.Giver.Customer)
				}
				return false
			})
		case "note":
			return l.str(&e.Note)
		}
		return false
	}) && l.space() == len(l.b)
}

// object reads an object whose members member reads, given each name. A
// repeated name is read again, the last value winning, as json.Unmarshal
// does (a repeated object member decodes into the same struct).
func (l *eventLexer) object(member func(key []byte) bool) bool {
	if l.space() >= len(l.b) || l.b[l.i] != '{' {
		return false
	}
	l.i++
	if l.space() < len(l.b) && l.b[l.i] == '}' {
		l.i++
		return true
	}
	for {
		key, ok := l.raw()
		if !ok || l.space() >= len(l.b) || l.b[l.i] != ':' {
			return false
		}
		l.i++
		l.space()
		if !member(key) || l.space() >= len(l.b) {
			return false
		}
		switch l.b[l.i] {
		case ',':
			l.i++
			l.space()
		case '}':
			l.i++
			return true
		default:
			return false
		}
	}
}

// raw reads a string of printable ASCII without escapes and returns its
// content.
func (l *eventLexer) raw() ([]byte, bool) {
	if l.i >= len(l.b) || l.b[l.i] != '"' {
		return nil, false
	}
	start := l.i + 1
	for j := start; j < len(l.b); j++ {
		switch c := l.b[j]; {
		case c == '"':
			l.i = j + 1
			return l.b[start:j], true
		case c < 0x20 || c >= 0x80 || c == '\\':
			return nil, false
		}
	}
	return nil, false
}

func (l *eventLexer) str(p *string) bool {
	s, ok := l.raw()
	if ok {
		*p = string(s)
	}
	return ok
}

func (l *eventLexer) text(p encoding.TextUnmarshaler) bool {
	s, ok := l.raw()
	return ok && p.UnmarshalText(s) == nil
}

func (l *eventLexer) time(p *time.Time) bool {
	start := l.i
	_, ok := l.raw()
	return ok && p.UnmarshalJSON(l.b[start:l.i]) == nil
}

func (l *eventLexer) bool(p *bool) bool {
	switch {
	case len(l.b)-l.i >= 4 && string(l.b[l.i:l.i+4]) == "true":
		*p, l.i = true, l.i+4
	case len(l.b)-l.i >= 5 && string(l.b[l.i:l.i+5]) == "false":
		*p, l.i = false, l.i+5
	default:
		return false
	}
	return true
}

// space steps over white space and returns the position after it.
func (l *eventLexer) space() int {
	for l.i < len(l.b) && (l.b[l.i] == ' ' || l.b[l.i] == '\t' || l.b[l.i] == '\n' || l.b[l.i] == '\r') {
		l.i++
	}
	return l.i
}
