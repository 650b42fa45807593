package storage

import (
	"errors"
	"testing"
	"time"

	"github.com/rapportcim/rapport/dealer"
)

func TestCursorsAreBoundToTenantAndList(t *testing.T) {
	at := time.Date(2026, 11, 22, 15, 4, 5, 123456789, time.FixedZone("EST", -5*3600))
	id := [16]byte{1, 2, 3}
	c := TimeIDCursor("a", "interactions", at, id)
	gotT, gotID, ok, err := ParseTimeIDCursor(c, "a", "interactions")
	if err != nil || !ok || gotID != id || !gotT.Equal(at.Truncate(time.Microsecond)) || gotT.Location() != time.UTC {
		t.Fatalf("round trip = %v %v %v %v", gotT, gotID, ok, err)
	}
	for _, tc := range []struct {
		name   string
		c      Cursor
		tenant dealer.Tenant
		lst    string
	}{
		{"other tenant", c, "b", "interactions"},
		{"other list", c, "a", "customers"},
		{"garbage", Cursor("not-a-cursor!"), "a", "interactions"},
		{"truncated", c[:len(c)-2], "a", "interactions"},
	} {
		if _, _, _, err := ParseTimeIDCursor(tc.c, tc.tenant, tc.lst); !errors.Is(err, ErrInvalidCursor) {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	if _, _, ok, err := ParseTimeIDCursor("", "a", "x"); ok || err != nil {
		t.Error("the empty cursor is the start")
	}
	s := SeqCursor("a", ChangesList, 42)
	if n, err := ParseSeqCursor(s, "a", ChangesList); n != 42 || err != nil {
		t.Errorf("seq = %d, %v", n, err)
	}
	if _, err := ParseSeqCursor(s, "b", ChangesList); !errors.Is(err, ErrInvalidCursor) {
		t.Errorf("seq cursor replayed in another tenant: %v", err)
	}
	if (Change{Tenant: "a", Seq: 42}).Cursor() != s {
		t.Error("Change.Cursor")
	}
	ic := IDCursor("a", "customers", id)
	if got, ok, err := ParseIDCursor(ic, "a", "customers"); got != id || !ok || err != nil {
		t.Errorf("id cursor = %v %v %v", got, ok, err)
	}
}

func TestErrorUnwrapsToSentinelAndCause(t *testing.T) {
	cause := errors.New("sqlite: UNIQUE constraint failed")
	err := E("sqlitestore.CreateCustomer", ErrAlreadyExists, cause)
	if !errors.Is(err, ErrAlreadyExists) || !errors.Is(err, cause) {
		t.Errorf("%v should match both the sentinel and the cause", err)
	}
	var se *Error
	if !errors.As(err, &se) || se.Op != "sqlitestore.CreateCustomer" {
		t.Errorf("errors.As: %v", err)
	}
	if got := E("op", nil, err); got != err {
		t.Error("an *Error is not wrapped twice")
	}
}
