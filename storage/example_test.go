package storage_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/rapportcim/rapport/storage"
)

func ExampleTimeIDCursor() {
	at := time.Date(2026, 11, 22, 15, 4, 5, 0, time.UTC)
	c := storage.TimeIDCursor("group-1", "interactions", at, [16]byte{0x01})
	t, _, _, err := storage.ParseTimeIDCursor(c, "group-1", "interactions")
	fmt.Println(t, err)
	// A cursor replayed by another tenant is refused, not obeyed.
	_, _, _, err = storage.ParseTimeIDCursor(c, "group-2", "interactions")
	fmt.Println(errors.Is(err, storage.ErrInvalidCursor))
	// Output:
	// 2026-11-22 15:04:05 +0000 UTC <nil>
	// true
}
