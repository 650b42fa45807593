package storage_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/rapportcim/rapport/interaction"
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

// A backend implementing storage.HistoryReader from a query ordered by
// conversation yields each conversation's run.
func ExampleConversationRuns() {
	a, b := interaction.ConversationID{1}, interaction.ConversationID{2}
	rows := []interaction.Interaction{{Conversation: a}, {Conversation: a}, {Conversation: b}}
	for run := range storage.ConversationRuns(rows) {
		fmt.Println(run[0].Conversation == a, len(run))
	}
	// Output:
	// true 2
	// false 1
}
