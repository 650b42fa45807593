package interaction

import (
	"encoding"
	"encoding/json"
	"errors"
	"testing"
)

// enumCase exercises one enum type through a uniform interface.
type enumCase struct {
	name  string
	field string
	known []string
	parse func(string) (string, bool, error)               // value, Known, error
	text  func() (encoding.TextUnmarshaler, func() string) // a fresh value and a reader of it
}

func enumOf[T ~string, P interface {
	*T
	encoding.TextUnmarshaler
}](name, field string, list func() []T, parse func(string) (T, error), known func(T) bool) enumCase {
	var ks []string
	for _, v := range list() {
		ks = append(ks, string(v))
	}
	return enumCase{
		name: name, field: field, known: ks,
		parse: func(s string) (string, bool, error) { v, err := parse(s); return string(v), known(v), err },
		text: func() (encoding.TextUnmarshaler, func() string) {
			var v T
			return P(&v), func() string { return string(v) }
		},
	}
}

var enumCases = []enumCase{
	enumOf("Direction", "direction", Directions, ParseDirection, Direction.Known),
	enumOf("Kind", "kind", Kinds, ParseKind, Kind.Known),
	enumOf("Role", "role", Roles, ParseRole, Role.Known),
	enumOf("Authorship", "authorship", Authorships, ParseAuthorship, Authorship.Known),
	enumOf("Status", "status", Statuses, ParseStatus, Status.Known),
	enumOf("CallOutcome", "outcome", CallOutcomes, ParseCallOutcome, CallOutcome.Known),
	enumOf("ConversationStatus", "status", ConversationStatuses, ParseConversationStatus, ConversationStatus.Known),
	enumOf("CommitmentStatus", "status", CommitmentStatuses, ParseCommitmentStatus, CommitmentStatus.Known),
	enumOf("AppointmentStatus", "status", AppointmentStatuses, ParseAppointmentStatus, AppointmentStatus.Known),
	enumOf("FindingKind", "kind", FindingKinds, ParseFindingKind, FindingKind.Known),
	enumOf("FlagReason", "reason", FlagReasons, ParseFlagReason, FlagReason.Known),
	enumOf("Action", "action", Actions, ParseAction, Action.Known),
	enumOf("CollisionReason", "reason", CollisionReasons, ParseCollisionReason, CollisionReason.Known),
}

func TestEnums(t *testing.T) {
	for _, c := range enumCases {
		t.Run(c.name, func(t *testing.T) {
			if len(c.known) == 0 {
				t.Fatal("no known values")
			}
			seen := map[string]bool{}
			for _, k := range c.known {
				if seen[k] {
					t.Errorf("%q listed twice", k)
				}
				seen[k] = true
				if !isToken(k, maxTokenLen) || k == "" {
					t.Errorf("%q is not a stored token", k)
				}
				if v, known, err := c.parse(k); v != k || !known || err != nil {
					t.Errorf("parse(%q) = %q, %v, %v", k, v, known, err)
				}
			}
			// The zero value: unknown, parsed from empty text.
			if v, known, err := c.parse("  "); v != "" || known || err != nil {
				t.Errorf("parse(blank) = %q, %v, %v", v, known, err)
			}
			// Case and surrounding space are ignored.
			k := c.known[0]
			if v, _, err := c.parse(" " + upper(k) + "\t"); v != k || err != nil {
				t.Errorf("parse(upper %q) = %q, %v", k, v, err)
			}
			// A well-formed value from a newer version is kept verbatim.
			if v, known, err := c.parse("teleport_v2"); v != "teleport_v2" || known || err != nil {
				t.Errorf("parse(teleport_v2) = %q, %v, %v", v, known, err)
			}
			// Text that cannot be a token is refused, without being echoed.
			for _, bad := range []string{"tele port", "teleport!", "téléport", "a234567890123456789012345678901234"} {
				v, _, err := c.parse(bad)
				var ve *ValidationError
				if v != "" || !errors.Is(err, ErrInvalid) || !errors.As(err, &ve) || ve.Field != c.field {
					t.Errorf("parse(%q) = %q, %v", bad, v, err)
				}
			}
			// UnmarshalText (and so JSON) uses the parser.
			u, get := c.text()
			if err := u.UnmarshalText([]byte("Teleport")); err != nil || get() != "teleport" {
				t.Errorf("UnmarshalText: %q, %v", get(), err)
			}
			if err := u.UnmarshalText([]byte("no way")); err == nil || get() != "teleport" {
				t.Errorf("UnmarshalText(bad): %q, %v; want error and value unchanged", get(), err)
			}
			if err := json.Unmarshal([]byte(`"`+k+`"`), u); err != nil || get() != k {
				t.Errorf("json: %q, %v", get(), err)
			}
		})
	}
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

func TestListsAreCopies(t *testing.T) {
	l := Statuses()
	l[0] = "mutated"
	if Statuses()[0] != StatusQueued {
		t.Fatal("Statuses returned the package's own array")
	}
}

func TestTerminal(t *testing.T) {
	for _, s := range append(Statuses(), StatusUnknown, "teleport") {
		if got, want := s.Terminal(), s == StatusRead || s == StatusFailed; got != want {
			t.Errorf("Status(%q).Terminal() = %v", s, got)
		}
	}
	for _, s := range append(ConversationStatuses(), ConversationStatusUnknown, "teleport") {
		if got, want := s.Terminal(), s == ConversationStatusClosed; got != want {
			t.Errorf("ConversationStatus(%q).Terminal() = %v", s, got)
		}
	}
	for _, s := range append(CommitmentStatuses(), CommitmentStatusUnknown, "teleport") {
		if got, want := s.Terminal(), s != CommitmentStatusOpen && s.Known(); got != want {
			t.Errorf("CommitmentStatus(%q).Terminal() = %v", s, got)
		}
	}
}
