package interaction

import (
	"encoding/json"
	"errors"
	"testing"
)

func TestIDs(t *testing.T) {
	type idCase struct {
		name  string
		field string
		newID func() (string, bool, error)
		parse func(string) (string, bool, error)
	}
	cases := []idCase{
		{"ID", "id",
			func() (string, bool, error) { id, err := NewID(); return id.String(), id.IsZero(), err },
			func(s string) (string, bool, error) { id, err := ParseID(s); return id.String(), id.IsZero(), err }},
		{"ConversationID", "conversation_id",
			func() (string, bool, error) { id, err := NewConversationID(); return id.String(), id.IsZero(), err },
			func(s string) (string, bool, error) {
				id, err := ParseConversationID(s)
				return id.String(), id.IsZero(), err
			}},
		{"CommitmentID", "commitment_id",
			func() (string, bool, error) { id, err := NewCommitmentID(); return id.String(), id.IsZero(), err },
			func(s string) (string, bool, error) {
				id, err := ParseCommitmentID(s)
				return id.String(), id.IsZero(), err
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, zero, err := c.newID()
			if err != nil || zero || len(s) != 36 {
				t.Fatalf("new: %q, zero %v, %v", s, zero, err)
			}
			if got, _, err := c.parse(s); err != nil || got != s {
				t.Fatalf("parse(%q) = %q, %v", s, got, err)
			}
			if got, _, err := c.parse("01956D2E-1A2B-7C3D-8E4F-5A6B7C8D9E01"); err != nil || got != jane {
				t.Errorf("upper case: %q, %v", got, err)
			}
			if got, zero, err := c.parse(""); err != nil || !zero || got != "" {
				t.Errorf("empty: %q, %v, %v", got, zero, err)
			}
			for _, bad := range []string{"x", "01956d2e1a2b7c3d8e4f5a6b7c8d9e01", "{01956d2e-1a2b-7c3d-8e4f-5a6b7c8d9e0}", "01956d2e-1a2b-7c3d-8e4f-5a6b7c8d9e0g"} {
				_, _, err := c.parse(bad)
				var ve *ValidationError
				if !errors.Is(err, ErrInvalidID) || !errors.As(err, &ve) || ve.Field != c.field {
					t.Errorf("parse(%q): %v", bad, err)
				}
			}
		})
	}
}

func TestIDTextForms(t *testing.T) {
	var v struct {
		A ID             `json:"a"`
		B ConversationID `json:"b"`
		C CommitmentID   `json:"c"`
		Z ID             `json:"z"`
	}
	in := `{"a":"` + ixn + `","b":"` + conv + `","c":"` + cmt + `","z":""}`
	if err := json.Unmarshal([]byte(in), &v); err != nil {
		t.Fatal(err)
	}
	if v.A.String() != ixn || v.B.String() != conv || v.C.String() != cmt || !v.Z.IsZero() {
		t.Fatalf("got %+v", v)
	}
	out, err := json.Marshal(v)
	if err != nil || string(out) != in {
		t.Fatalf("marshal: %s, %v", out, err)
	}
	if err := json.Unmarshal([]byte(`{"b":"nope"}`), &v); !errors.Is(err, ErrInvalidID) {
		t.Fatalf("bad id: %v", err)
	}
}
