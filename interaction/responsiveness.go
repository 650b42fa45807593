package interaction

import (
	"bytes"
	"cmp"
	"slices"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/customer"
)

// Responsiveness is how a customer actually answered the dealership's
// people on one channel: of the messages staff wrote them, how many they
// replied to and how fast. [CustomerResponsiveness] computes it.
type Responsiveness struct {
	// Channel is the channel measured.
	Channel channel.Kind `json:"channel"`
	// Asked counts the staff messages measured; Replied those the customer
	// replied to.
	Asked   int `json:"asked"`
	Replied int `json:"replied"`
	// Rate is Replied / Asked (0 when Asked is 0).
	Rate float64 `json:"rate"`
	// MedianReply is the median time from a staff message to the
	// customer's reply (the mean of the two middle ones for an even count);
	// zero when there is no reply.
	MedianReply time.Duration `json:"median_reply_ns,omitempty"`
	// Asks and Replies are the interactions counted: the staff messages,
	// and the replies, each oldest first.
	Asks    []ID `json:"asks,omitempty"`
	Replies []ID `json:"replies,omitempty"`
}

// Head is the part of an interaction that says who wrote to whom, how and
// when: what [CustomerResponsiveness] reads. Its fields have the JSON names
// of Interaction's, so a stored interaction's JSON decodes into a Head
// (backends read heads without decoding whole records; see
// storage.HeadReader).
type Head struct {
	ID           ID             `json:"id,omitzero"`
	Customer     customer.ID    `json:"customer,omitzero"`
	Conversation ConversationID `json:"conversation,omitzero"`
	Channel      channel.Kind   `json:"channel,omitempty"`
	Direction    Direction      `json:"direction,omitempty"`
	Kind         Kind           `json:"kind,omitempty"`
	Authorship   Authorship     `json:"authorship,omitempty"`
	OccurredAt   time.Time      `json:"occurred_at,omitzero"`
	Delivery     Delivery       `json:"delivery,omitzero"`
}

// Head returns i's head.
func (i *Interaction) Head() Head {
	return Head{ID: i.ID, Customer: i.Customer, Conversation: i.Conversation, Channel: i.Channel, Direction: i.Direction,
		Kind: i.Kind, Authorship: i.Authorship, OccurredAt: i.OccurredAt, Delivery: i.Delivery}
}

// writtenKind reports whether k is a written exchange: a message, an email
// or a chat.
func writtenKind(k Kind) bool { return k == KindMessage || k == KindEmail || k == KindChat }

// staffMessage reports whether i is a message a person at the dealership
// wrote to the customer: outbound, a message, email or chat, authored by a
// human (or drafted by software and approved by one: assisted), and not
// failed (a message that never arrived asks nothing).
func staffMessage(i *Head) bool {
	return i.Direction == DirectionOutbound && writtenKind(i.Kind) &&
		(i.Authorship == AuthorshipHuman || i.Authorship == AuthorshipAssisted) &&
		i.Delivery.Status != StatusFailed
}

// CustomerResponsiveness measures, per channel, how a customer replied to
// staff messages, from is: the heads of the customer's interactions, in any
// order.
//
// The rules, exactly:
//   - A staff message is an outbound message, email or chat whose
//     Authorship is human or assisted (not template, automated or unknown)
//     and whose delivery did not fail, that occurred in [from, to).
//   - Interactions are grouped into threads by channel and conversation (a
//     zero conversation is a thread of its own per channel), and ordered
//     by OccurredAt, then ID.
//   - A staff message is replied to when the next written interaction
//     (message, email or chat) of its thread, of either direction, is
//     inbound: the reply. If the next one is outbound (another staff
//     message, a template, an automated reminder), or there is none, it
//     was not replied to. Calls, visits, notes and other kinds are ignored.
//   - The reply time is the reply's OccurredAt minus the staff message's.
//
// The result has one entry per channel with at least one staff message,
// ordered by channel name.
func CustomerResponsiveness(is []Head, from, to time.Time) []Responsiveness {
	type thread struct {
		ch   channel.Kind
		conv ConversationID
	}
	threads := make(map[thread][]*Head)
	for k := range is {
		i := &is[k]
		if !writtenKind(i.Kind) || (i.Direction != DirectionInbound && i.Direction != DirectionOutbound) {
			continue
		}
		t := thread{i.Channel, i.Conversation}
		threads[t] = append(threads[t], i)
	}
	type acc struct {
		r             Responsiveness
		asks, replies []*Head
		delays        []time.Duration
	}
	per := make(map[channel.Kind]*acc)
	for t, list := range threads {
		slices.SortFunc(list, byTime)
		for k, i := range list {
			if !staffMessage(i) || i.OccurredAt.Before(from) || !i.OccurredAt.Before(to) {
				continue
			}
			a := per[t.ch]
			if a == nil {
				a = &acc{r: Responsiveness{Channel: t.ch}}
				per[t.ch] = a
			}
			a.asks = append(a.asks, i)
			if k+1 < len(list) && list[k+1].Direction == DirectionInbound {
				reply := list[k+1]
				a.replies = append(a.replies, reply)
				a.delays = append(a.delays, reply.OccurredAt.Sub(i.OccurredAt))
			}
		}
	}
	out := make([]Responsiveness, 0, len(per))
	for _, a := range per {
		r := a.r
		r.Asked, r.Replied = len(a.asks), len(a.replies)
		r.Asks, r.Replies = idsByTime(a.asks), idsByTime(a.replies)
		r.Rate = float64(r.Replied) / float64(r.Asked)
		r.MedianReply = median(a.delays)
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b Responsiveness) int { return cmp.Compare(a.Channel, b.Channel) })
	return out
}

// median returns the median of ds (sorting it), the mean of the two middle
// values for an even count, and zero for none.
func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	m := len(ds) / 2
	if len(ds)%2 == 1 {
		return ds[m]
	}
	return ds[m-1] + (ds[m]-ds[m-1])/2
}

func byTime(a, b *Head) int {
	if c := a.OccurredAt.Compare(b.OccurredAt); c != 0 {
		return c
	}
	return bytes.Compare(a.ID[:], b.ID[:])
}

// idsByTime returns the IDs of is, oldest first.
func idsByTime(is []*Head) []ID {
	slices.SortFunc(is, byTime)
	out := make([]ID, len(is))
	for k, i := range is {
		out[k] = i.ID
	}
	return out
}
