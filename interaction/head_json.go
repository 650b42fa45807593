package interaction

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/internal/idtext"
)

// errHeadJSON is the cause of a Head that is not a JSON object.
var errHeadJSON = errors.New("interaction: head: not a JSON object")

// UnmarshalJSON reads a Head from a JSON object with Interaction's member
// names: the members a Head has are decoded as json.Unmarshal decodes them
// (names matched without regard to case, the last of repeated names
// winning, null leaving a field zero); the others are stepped over without
// being decoded, which is what makes reading heads of large records cheap.
// Through json.Unmarshal the whole input is validated first; called
// directly it checks the structure of what it steps over (strings,
// brackets) but not every literal.
//
// On an error h is left partly decoded.
func (h *Head) UnmarshalJSON(b []byte) error {
	i := skipSpace(b, 0)
	if bytes.HasPrefix(b[i:], []byte("null")) && skipSpace(b, i+4) == len(b) {
		return nil // as json.Unmarshal does with null
	}
	*h = Head{}
	if i >= len(b) || b[i] != '{' {
		return errHeadJSON
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return finishHead(b, i+1)
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return errHeadJSON
		}
		end := skipString(b, i)
		if end < 0 {
			return errHeadJSON
		}
		key := b[i+1 : end-1]
		if bytes.IndexByte(key, '\\') >= 0 {
			var k string
			if err := json.Unmarshal(b[i:end], &k); err != nil {
				return err
			}
			key = []byte(k)
		}
		i = skipSpace(b, end)
		if i >= len(b) || b[i] != ':' {
			return errHeadJSON
		}
		i = skipSpace(b, i+1)
		vend := skipValue(b, i)
		if vend < 0 {
			return errHeadJSON
		}
		if err := h.member(key, b[i:vend]); err != nil {
			return err
		}
		i = skipSpace(b, vend)
		if i >= len(b) {
			return errHeadJSON
		}
		switch b[i] {
		case ',':
			i = skipSpace(b, i+1)
		case '}':
			return finishHead(b, i+1)
		default:
			return errHeadJSON
		}
	}
}

func finishHead(b []byte, i int) error {
	if skipSpace(b, i) != len(b) {
		return errHeadJSON
	}
	return nil
}

// headNames are the JSON names of a Head's members.
var headNames = [...]string{"id", "customer", "conversation", "channel", "direction", "kind", "authorship", "occurred_at", "delivery"}

// member decodes one member of a Head's JSON object: by its name as
// Interaction's encoder writes it, else by the name it equals without
// regard to case, if any.
func (h *Head) member(key, v []byte) error {
	switch string(key) {
	case "id":
		return idValue(v, (*[16]byte)(&h.ID), &h.ID)
	case "customer":
		return idValue(v, (*[16]byte)(&h.Customer), &h.Customer)
	case "conversation":
		return idValue(v, (*[16]byte)(&h.Conversation), &h.Conversation)
	case "channel":
		return enumValue(v, &h.Channel, channelKinds)
	case "direction":
		return enumValue(v, &h.Direction, knownDirections[:])
	case "kind":
		return enumValue(v, &h.Kind, knownKinds[:])
	case "authorship":
		return enumValue(v, &h.Authorship, knownAuthorships[:])
	case "occurred_at":
		if string(v) == "null" {
			return nil
		}
		return h.OccurredAt.UnmarshalJSON(v)
	case "delivery":
		return json.Unmarshal(v, &h.Delivery)
	}
	if !foldable(key) {
		return nil // cannot equal a name in any case: stepped over
	}
	for _, n := range headNames {
		if bytes.EqualFold(key, []byte(n)) {
			return h.member([]byte(n), v)
		}
	}
	return nil
}

// foldable reports whether key might equal a member name of a Head
// without regard to case without being written exactly as it: it has an
// upper-case ASCII letter, or a byte outside ASCII (Unicode case folding
// maps some non-ASCII letters onto ASCII ones, as the Kelvin sign onto k).
// The names are lower-case ASCII, so a key with neither is one of them
// exactly or none of them.
func foldable(key []byte) bool {
	for _, c := range key {
		if c >= 0x80 || 'A' <= c && c <= 'Z' {
			return true
		}
	}
	return false
}

// idValue decodes a JSON string into an ID field (raw is the field as
// bytes): a well-formed UUID without allocating, anything else as
// textValue does (with the ID type's own error).
func idValue(v []byte, raw *[16]byte, u encoding.TextUnmarshaler) error {
	if len(v) == 38 && v[0] == '"' && v[37] == '"' {
		if id, err := idtext.ParseBytes(v[1:37]); err == nil {
			*raw = id
			return nil
		}
	}
	return textValue(v, u)
}

// channelKinds are the channel kinds this version knows.
var channelKinds = channel.Kinds()

// enumValue decodes a JSON string into an enum field: a value of known
// without allocating, anything else as textValue does.
func enumValue[T ~string, P interface {
	*T
	encoding.TextUnmarshaler
}](v []byte, dst P, known []T) error {
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
		for _, k := range known {
			if string(v[1:len(v)-1]) == string(k) {
				*dst = k
				return nil
			}
		}
	}
	return textValue(v, dst)
}

// textValue decodes a JSON string into a text-unmarshalling field, as
// json.Unmarshal does (null leaves it as it is).
func textValue(v []byte, u encoding.TextUnmarshaler) error {
	if string(v) == "null" {
		return nil
	}
	if len(v) < 2 || v[0] != '"' || bytes.IndexByte(v, '\\') >= 0 {
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return err
		}
		return u.UnmarshalText([]byte(s))
	}
	return u.UnmarshalText(v[1 : len(v)-1])
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index after the string starting at b[i] (a
// quote), or -1 when it does not end.
func skipString(b []byte, i int) int {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return -1
}

// skipValue returns the index after the JSON value starting at b[i], or -1
// when its strings or brackets do not close.
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				end := skipString(b, j)
				if end < 0 {
					return -1
				}
				j = end - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return -1
	}
	j := i
	for j < len(b) && b[j] != ',' && b[j] != '}' && b[j] != ']' && b[j] != ' ' && b[j] != '\t' && b[j] != '\n' && b[j] != '\r' {
		j++
	}
	if j == i {
		return -1
	}
	return j
}
