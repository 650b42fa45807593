package interaction

import (
	"slices"
	"testing"
	"time"

	"github.com/rapportcim/rapport/channel"
)

// TestCustomerResponsivenessByHand checks the reply-rate computation
// against figures worked out by hand for a small fixed history.
func TestCustomerResponsivenessByHand(t *testing.T) {
	t0 := time.Date(2026, 11, 2, 14, 0, 0, 0, time.UTC)
	var n uint64
	next := func() ID {
		n++
		var id ID
		id[15], id[6] = byte(n), 0x70
		return id
	}
	sms1, mail1, mail2 := ConversationID{1}, ConversationID{2}, ConversationID{3}
	msg := func(ch channel.Kind, conv ConversationID, dir Direction, auth Authorship, at time.Duration) Interaction {
		k := KindMessage
		if ch == channel.KindEmail {
			k = KindEmail
		}
		return Interaction{ID: next(), Channel: ch, Conversation: conv, Direction: dir, Kind: k, Authorship: auth, OccurredAt: t0.Add(at)}
	}
	out := func(ch channel.Kind, conv ConversationID, at time.Duration) Interaction {
		return msg(ch, conv, DirectionOutbound, AuthorshipHuman, at)
	}
	in := func(ch channel.Kind, conv ConversationID, at time.Duration) Interaction {
		return msg(ch, conv, DirectionInbound, "", at)
	}
	sms, email := channel.KindSMS, channel.KindEmail
	h := []Interaction{
		out(sms, sms1, -2*time.Hour),   // 0: before the window: not counted
		in(sms, sms1, -time.Hour),      // 1
		out(sms, sms1, 0),              // 2: O1, replied by 3 after 10m
		in(sms, sms1, 10*time.Minute),  // 3
		out(sms, sms1, time.Hour),      // 4: O2, not replied (5 comes first)
		out(sms, sms1, 65*time.Minute), // 5: O3, replied by 6 after 30m
		in(sms, sms1, 95*time.Minute),  // 6
		msg(sms, sms1, DirectionOutbound, AuthorshipTemplate, 2*time.Hour), // 7: a template: not counted
		in(sms, sms1, 121*time.Minute),                                     // 8: answers the template, no staff message
		out(sms, sms1, 4*time.Hour),                                        // 9: failed delivery: not counted
		out(sms, sms1, 5*time.Hour),                                        // 10: O5, replied by 12 after 2h (the call between is ignored)
		{ID: next(), Channel: channel.KindVoice, Conversation: sms1, Direction: DirectionOutbound, Kind: KindCall, Authorship: AuthorshipHuman, OccurredAt: t0.Add(6 * time.Hour)},
		in(sms, sms1, 7*time.Hour),    // 12
		out(sms, sms1, 8*time.Hour),   // 13: O6, never replied
		out(email, mail1, 0),          // 14: E1, replied by 15 after 3h
		in(email, mail1, 3*time.Hour), // 15
		msg(email, mail1, DirectionOutbound, AuthorshipAssisted, 24*time.Hour), // 16: E2 (assisted counts), replied by 18 after 5h
		in(email, mail2, 25*time.Hour),                                         // 17: another conversation: not a reply to E2
		in(email, mail1, 29*time.Hour),                                         // 18
		out(email, mail1, 40*time.Hour),                                        // 19: after the window's end: not counted
	}
	h[9].Delivery = Delivery{Status: StatusFailed, Reason: "unreachable"}
	// Shuffled input: the function orders by time itself.
	var shuffled []Head
	for k := range h {
		shuffled = append(shuffled, h[len(h)-1-k].Head())
	}
	got := CustomerResponsiveness(shuffled, t0.Add(-time.Hour), t0.Add(39*time.Hour))
	want := []Responsiveness{
		{Channel: email, Asked: 2, Replied: 2, Rate: 1, MedianReply: 4 * time.Hour, // (3h + 5h) / 2
			Asks: []ID{h[14].ID, h[16].ID}, Replies: []ID{h[15].ID, h[18].ID}},
		{Channel: sms, Asked: 5, Replied: 3, Rate: 0.6, MedianReply: 30 * time.Minute, // of 10m, 30m, 2h
			Asks: []ID{h[2].ID, h[4].ID, h[5].ID, h[10].ID, h[13].ID}, Replies: []ID{h[3].ID, h[6].ID, h[12].ID}},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d channels, want %d: %+v", len(got), len(want), got)
	}
	for k := range want {
		g, w := got[k], want[k]
		if g.Channel != w.Channel || g.Asked != w.Asked || g.Replied != w.Replied || g.Rate != w.Rate || g.MedianReply != w.MedianReply ||
			!slices.Equal(g.Asks, w.Asks) || !slices.Equal(g.Replies, w.Replies) {
			t.Errorf("channel %s:\n got %+v\nwant %+v", w.Channel, g, w)
		}
	}
	if got := CustomerResponsiveness(nil, t0, t0.Add(time.Hour)); len(got) != 0 {
		t.Errorf("no history gives no channels: %+v", got)
	}
}
