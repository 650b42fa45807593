package consent

import (
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/dealer"
)

// Key is the grain consent is kept at: one line (an address without its
// telephone extension), one channel, one purpose, one rooftop. Key is
// comparable and works as a map key.
//
// A Key may hold the wildcards an event may name: [AllChannels],
// [PurposeAll] and the zero Rooftop (every rooftop). The ledger's lookups
// match keys exactly, wildcards included, as literal values; [Key.Covers]
// says which wildcard keys apply to a specific one.
type Key struct {
	// Address is compared by line: lookups apply [channel.Address.Line] to
	// both sides, so a STOP from a switchboard number covers every
	// extension behind it.
	Address channel.Address `json:"address,omitzero"`
	Channel channel.Kind    `json:"channel,omitempty"`
	Purpose Purpose         `json:"purpose,omitempty"`
	Rooftop dealer.Rooftop  `json:"rooftop,omitempty"`
}

// Covers reports whether an event filed under k applies to contact described
// by q: both are for the same line, and k's channel, purpose and rooftop are
// q's or the matching wildcard ([AllChannels], [PurposeAll], the zero
// Rooftop). A wildcard in q matches only the same wildcard in k: consent for
// one rooftop does not cover "any rooftop".
//
// Covers says nothing about which of several covering events wins, nor about
// the rule that revoking calls also revokes texts: those are decision rules.
func (k Key) Covers(q Key) bool {
	return k.Address.Line() == q.Address.Line() &&
		(k.Channel == q.Channel || k.Channel == AllChannels) &&
		(k.Purpose == q.Purpose || k.Purpose == PurposeAll) &&
		(k.Rooftop == q.Rooftop || k.Rooftop == "")
}

// State is the consent state of one [Key] at one time: the status the ledger
// folds to and the event it rests on. The zero State means nothing is
// recorded, which is never consent.
type State struct {
	// Status is the folded status; zero means nothing recorded.
	Status Status `json:"status,omitempty"`
	// Basis is the legal basis of the grant the state rests on (or the
	// basis a seen disclosure would establish); zero for withdrawals.
	Basis Basis `json:"basis,omitempty"`
	// Method is how the event the state rests on was captured: the reason
	// to show ("revoked by sms_keyword").
	Method Method `json:"method,omitempty"`
	// Since is when that event took effect ([Event.Start]).
	Since time.Time `json:"since,omitzero"`
	// Until is when a grant stops having effect; zero means never, or not a
	// grant. A withdrawal has no Until: how long a do-not-call request is
	// honored (at least 5 years) is a decision rule.
	Until time.Time `json:"until,omitzero"`
	// Event is the ID of the event the state rests on.
	Event ID `json:"event,omitzero"`
}

// StateOf returns the state that e alone leaves behind.
func StateOf(e Event) State { return stateOf(&e) }

func stateOf(e *Event) State {
	return State{
		Status: statusOf(e.Action),
		Basis:  e.Basis,
		Method: e.Evidence.Method,
		Since:  start(e),
		Until:  e.EffectiveTo,
		Event:  e.ID,
	}
}

// Ledger is a sequence of consent events of one tenant, in the order they
// were appended. It may hold the whole tenant's ledger or any part of it
// that contains every event of the keys asked about (typically the events of
// one address). It need not be sorted: events are ordered by CapturedAt, and
// ledger order only breaks ties.
//
// A Ledger's methods only read it; they are safe for concurrent use as long
// as nobody modifies the slice.
//
// # Folding rules
//
// For one key at time at, only events whose Key equals it exactly and that
// are in effect at at ([Event.InEffect]) count, and only those whose Action
// this version knows: an action from a newer version is skipped. Of those,
// the state rests on, in order of precedence:
//
//  1. the latest firm event: a revocation, a do-not-call request, or a grant
//     on an express basis ([Basis.Express]);
//  2. if there is none, the latest grant on any other basis (implied
//     consent, or a basis this version does not know);
//  3. if there is none, the latest seen event.
//
// "Latest" means greatest CapturedAt; on a tie, the one later in the ledger.
// So a later decision replaces an earlier one, a seen disclosure never hides
// a decision, and implied consent never outweighs a withdrawal, whenever it
// was captured: a do-not-call request ends an established business
// relationship even when the customer keeps buying (47 CFR 64.1200(f)(5)),
// and rapport treats every withdrawal that way. Only the person's own
// express grant overrides a withdrawal. Implied consent also never hides an
// express grant still in effect.
//
// Because events out of effect do not count, a grant that has ended
// uncovers whatever it had replaced: when a time-limited grant given after
// a STOP expires, the STOP shows again, not "nothing recorded".
type Ledger []Event

// Fold returns the state of every key that has at least one event in effect
// at time at, under the folding rules of [Ledger]. Keys are exactly as the
// events name them, wildcards included; no wildcard is expanded. The map is
// new and belongs to the caller.
func (l Ledger) Fold(at time.Time) map[Key]State {
	picks := make(map[Key]pick)
	for i := range l {
		e := &l[i]
		if !e.Action.Known() || !inEffect(e, at) {
			continue
		}
		k := keyOf(e)
		p := picks[k]
		p.add(l, i)
		picks[k] = p
	}
	out := make(map[Key]State, len(picks))
	for k, p := range picks {
		if i := p.result(); i >= 0 {
			out[k] = stateOf(&l[i])
		}
	}
	return out
}

// Latest returns the event the state of k rests on at time at, under the
// folding rules of [Ledger], and false when no event of k is in effect. k is
// matched exactly (its address by line); wildcards in k match only the same
// wildcards. Latest scans the ledger once and allocates nothing.
func (l Ledger) Latest(k Key, at time.Time) (Event, bool) {
	i := l.latest(k, at)
	if i < 0 {
		return Event{}, false
	}
	return l[i], true
}

// State returns the state of k at time at: [StateOf] the event [Ledger.Latest]
// finds, or the zero State when there is none. It allocates nothing.
func (l Ledger) State(k Key, at time.Time) State {
	i := l.latest(k, at)
	if i < 0 {
		return State{}
	}
	return stateOf(&l[i])
}

// latest returns the index of the event k's state rests on, or -1.
func (l Ledger) latest(k Key, at time.Time) int {
	k.Address = k.Address.Line()
	var p pick
	for i := range l {
		e := &l[i]
		if e.Channel != k.Channel || e.Purpose != k.Purpose || e.Rooftop != k.Rooftop ||
			e.Subject.Address.Line() != k.Address || !e.Action.Known() || !inEffect(e, at) {
			continue
		}
		p.add(l, i)
	}
	return p.result()
}

// pick tracks, for one key, the latest event of each precedence class as an
// index plus one (so the zero pick holds none).
type pick struct{ firm, weak, seen int }

// add considers event i, which is in effect and of the pick's key; events
// must be added in increasing index order so that ties go to the later one.
func (p *pick) add(l Ledger, i int) {
	e := &l[i]
	switch {
	case e.Action == ActionSeen:
		p.seen = later(l, i, p.seen)
	case e.Action.Withdraws() || e.Action == ActionGrant && e.Basis.Express():
		p.firm = later(l, i, p.firm)
	case e.Action == ActionGrant:
		p.weak = later(l, i, p.weak)
	}
}

// later returns i+1 when event i is at least as late as event cur-1 (or cur
// is 0), and cur otherwise.
func later(l Ledger, i, cur int) int {
	if cur == 0 || !l[i].CapturedAt.Before(l[cur-1].CapturedAt) {
		return i + 1
	}
	return cur
}

// result returns the index the state rests on, or -1.
func (p pick) result() int {
	switch {
	case p.firm > 0:
		return p.firm - 1
	case p.weak > 0:
		return p.weak - 1
	}
	return p.seen - 1
}
