package household

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
)

// SuggestionReasonCode names why customers are suggested as one household.
// Codes are stable lower-case strings.
type SuggestionReasonCode string

// Suggestion reasons.
const (
	// ReasonSameAddress: the same street address and postal code, and the
	// same last name.
	ReasonSameAddress SuggestionReasonCode = "same_address"
	// ReasonSharedLandline: the same home phone line (not a mobile, which
	// is one person's).
	ReasonSharedLandline SuggestionReasonCode = "shared_landline"
)

// SuggestionReason is one reason for a suggestion.
type SuggestionReason struct {
	Code SuggestionReasonCode `json:"code"`
}

// String says the reason in a manager's words, without customer data.
func (r SuggestionReason) String() string {
	switch r.Code {
	case ReasonSameAddress:
		return "same street address and last name"
	case ReasonSharedLandline:
		return "share a home phone line"
	}
	return string(r.Code)
}

// Suggestion proposes that customers form a household, or join one.
type Suggestion struct {
	// Key identifies the suggestion by its members (see [SuggestionKey]):
	// a decision recorded under it applies whenever the same people are
	// suggested again.
	Key string `json:"key"`
	// Members are the customers, in ID order; at least two.
	Members []customer.ID `json:"members"`
	// Household is the household some of the members already belong to,
	// which the others would join; zero for a new household.
	Household ID `json:"household,omitzero"`
	// Address is the shared postal address when it is one of the reasons:
	// the address of the household to make.
	Address PostalAddress `json:"address,omitzero"`
	// Reasons say why, strongest first.
	Reasons []SuggestionReason `json:"reasons"`
}

// SuggestionKey returns the key of a suggestion of these members: the hex
// SHA-256 of their sorted IDs, cut to 32 characters. The order of ids does
// not matter; duplicates count once.
func SuggestionKey(ids []customer.ID) string {
	s := slices.Clone(ids)
	slices.SortFunc(s, func(a, b customer.ID) int { return bytes.Compare(a[:], b[:]) })
	s = slices.Compact(s)
	h := sha256.New()
	for _, id := range s {
		h.Write(id[:])
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// SuggestRules configure household suggestions.
type SuggestRules struct {
	// Blocked are phone lines that are never a household's landline: the
	// dealership's own numbers, typed when a customer has none.
	Blocked []channel.Address
	// MaxMembers is the most customers one address or line may link: more
	// is an office, a switchboard or a building, not a family. Zero means 6.
	MaxMembers int
}

func (r *SuggestRules) maxMembers() int {
	if r == nil || r.MaxMembers <= 0 {
		return 6
	}
	return r.MaxMembers
}

// Suggester collects customers and proposes households from the customers
// who share a street address and a last name, or a home phone line. Feed it
// every customer with [Suggester.Add], then call [Suggester.Suggestions].
// It keeps only keys, not customers. A Suggester is not safe for concurrent
// use.
type Suggester struct {
	rules     SuggestRules
	byAddress map[string][]customer.ID
	addresses map[string]PostalAddress
	byLine    map[channel.Address][]customer.ID
	member    map[customer.ID][]ID // the households each customer is an active member of
}

// NewSuggester returns an empty Suggester; rules may be nil (defaults).
func NewSuggester(rules *SuggestRules) *Suggester {
	s := &Suggester{
		byAddress: map[string][]customer.ID{},
		addresses: map[string]PostalAddress{},
		byLine:    map[channel.Address][]customer.ID{},
		member:    map[customer.ID][]ID{},
	}
	if rules != nil {
		s.rules = *rules
		s.rules.Blocked = slices.Clone(rules.Blocked)
	}
	return s
}

// Add records c, with the households it is an active member of now. Add
// keeps no reference to c.
func (s *Suggester) Add(c *customer.Customer, households []ID) {
	if len(households) > 0 {
		s.member[c.ID] = slices.Clone(households)
	}
	family := familyKey(c.Name)
	if family != "" {
		seen := map[string]bool{}
		for i, a := range c.PostalAddresses {
			if i == customer.MaxPostalAddresses {
				break
			}
			k := addressKey(a)
			if k == "" || seen[k] {
				continue
			}
			seen[k] = true
			key := family + "|" + k
			s.byAddress[key] = append(s.byAddress[key], c.ID)
			if _, ok := s.addresses[key]; !ok {
				s.addresses[key] = PostalAddress{Lines: slices.Clone(a.Lines), City: a.Locality, Region: a.Region, PostalCode: a.PostalCode, Country: a.Country}
			}
		}
	}
	for i, cp := range c.ContactPoints {
		if i == customer.MaxContactPoints {
			break
		}
		line := cp.Address.Line()
		if line.Scheme() != channel.SchemeTel || cp.Usage != customer.UsageHome || slices.Contains(s.rules.Blocked, line) {
			continue
		}
		if ids := s.byLine[line]; len(ids) == 0 || ids[len(ids)-1] != c.ID {
			s.byLine[line] = append(ids, c.ID)
		}
	}
}

// Suggestions returns the suggestions, in key order. A group is left out
// when it has more than MaxMembers customers, when all its members are
// already active members of one household, or when they belong to two or
// more different households (a person must sort that out). Groups with the
// same members are one suggestion with every reason.
func (s *Suggester) Suggestions() []Suggestion {
	limit := s.rules.maxMembers()
	byKey := map[string]*Suggestion{}
	add := func(ids []customer.ID, reason SuggestionReasonCode, addr PostalAddress) {
		ids = slices.Clone(ids)
		slices.SortFunc(ids, func(a, b customer.ID) int { return bytes.Compare(a[:], b[:]) })
		ids = slices.Compact(ids)
		if len(ids) < 2 || len(ids) > limit {
			return
		}
		hh, ok := s.target(ids)
		if !ok {
			return
		}
		key := SuggestionKey(ids)
		sg := byKey[key]
		if sg == nil {
			sg = &Suggestion{Key: key, Members: ids, Household: hh}
			byKey[key] = sg
		}
		if !slices.Contains(sg.Reasons, SuggestionReason{Code: reason}) {
			sg.Reasons = append(sg.Reasons, SuggestionReason{Code: reason})
		}
		if reason == ReasonSameAddress && sg.Address.IsZero() {
			sg.Address = addr
		}
	}
	for k, ids := range s.byAddress {
		add(ids, ReasonSameAddress, s.addresses[k])
	}
	for _, ids := range s.byLine {
		add(ids, ReasonSharedLandline, PostalAddress{})
	}
	out := make([]Suggestion, 0, len(byKey))
	for _, sg := range byKey {
		slices.SortFunc(sg.Reasons, func(a, b SuggestionReason) int { return strings.Compare(string(b.Code), string(a.Code)) })
		out = append(out, *sg)
	}
	slices.SortFunc(out, func(a, b Suggestion) int { return strings.Compare(a.Key, b.Key) })
	return out
}

// target returns the household the members would join (zero for a new
// one), or false when there is nothing to suggest: all of them already
// share a household, or they are spread over several.
func (s *Suggester) target(ids []customer.ID) (ID, bool) {
	var hh ID
	all := true
	for _, id := range ids {
		hs := s.member[id]
		switch {
		case len(hs) == 0:
			all = false
		case len(hs) > 1:
			return ID{}, false
		case hh.IsZero():
			hh = hs[0]
		case hh != hs[0]:
			return ID{}, false
		}
	}
	if all && !hh.IsZero() {
		return ID{}, false
	}
	return hh, true
}

// familyKey returns the match key of a last name: the family part, or the
// last word of an unsplit name.
func familyKey(n customer.Name) string {
	if f := customer.NameKey(n.Family); f != "" {
		return f
	}
	words := strings.Fields(customer.NameKey(n.Full))
	if len(words) < 2 {
		return ""
	}
	return words[len(words)-1]
}

// streetWords folds the common spellings of street words.
var streetWords = map[string]string{
	"street": "st", "avenue": "ave", "av": "ave", "road": "rd", "drive": "dr", "boulevard": "blvd",
	"lane": "ln", "court": "ct", "place": "pl", "terrace": "ter", "highway": "hwy", "parkway": "pkwy",
	"circle": "cir", "north": "n", "south": "s", "east": "e", "west": "w", "apartment": "apt",
	"suite": "ste", "unit": "apt", "number": "", "no": "",
}

// addressKey folds a postal address for comparison: its street lines as
// match keys with common street words abbreviated, and its postal code.
// An address without a street line or a postal code gives "": a postal
// code alone is a neighbourhood, not a home.
func addressKey(a customer.PostalAddress) string {
	if len(a.Lines) == 0 || strings.TrimSpace(a.PostalCode) == "" {
		return ""
	}
	var b strings.Builder
	for i, l := range a.Lines {
		if i == customer.MaxAddressLines {
			break
		}
		for _, w := range strings.Fields(customer.NameKey(l)) {
			if r, ok := streetWords[w]; ok {
				w = r
			}
			if w != "" {
				b.WriteString(w)
				b.WriteByte(' ')
			}
		}
	}
	if b.Len() == 0 {
		return ""
	}
	code := strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(a.PostalCode), " ", ""))
	if len(code) == 10 && code[5] == '-' {
		code = code[:5] // ZIP+4
	}
	return b.String() + "|" + code
}

// Outcome is what staff decided about a suggestion.
type Outcome string

// Outcomes, as stored.
const (
	OutcomeUnknown  Outcome = ""
	OutcomeAccepted Outcome = "accepted"
	OutcomeRejected Outcome = "rejected"
)

// Known reports whether o is an outcome this version knows.
func (o Outcome) Known() bool { return o == OutcomeAccepted || o == OutcomeRejected }

// Decision records what staff decided about a household suggestion. It is
// stored once and changed only by an erasure (see Erased): a rejected
// suggestion of the same members is not made again.
type Decision struct {
	Tenant dealer.Tenant `json:"tenant"`
	// Key is the suggestion's key (see [SuggestionKey]).
	Key     string        `json:"key"`
	Members []customer.ID `json:"members"`
	// Erased counts the members an erasure (rapport.Book.Erase) removed
	// from Members. Key stays the key of the members as decided, so once a
	// member is erased it no longer matches Members; zero means none.
	Erased  int     `json:"erased,omitempty"`
	Outcome Outcome `json:"outcome"`
	// Reasons are the reasons the suggestion gave.
	Reasons []SuggestionReason `json:"reasons,omitempty"`
	// Household is the household made or joined, for an accepted
	// suggestion.
	Household ID           `json:"household,omitzero"`
	By        dealer.Staff `json:"by,omitempty"`
	At        time.Time    `json:"at"`
	// Note is staff's reason, one line.
	Note string `json:"note,omitempty"`
}

// Validate returns every problem with d, joined, each a *ValidationError.
func (d *Decision) Validate() error {
	var errs []error
	if err := d.Tenant.Validate(); err != nil {
		errs = append(errs, invalid("tenant", err))
	}
	if len(d.Key) != 32 || strings.Trim(d.Key, "0123456789abcdef") != "" {
		errs = append(errs, problem("key", ErrInvalid, "not a suggestion key"))
	}
	switch {
	case d.Erased < 0:
		errs = append(errs, problem("erased", ErrInvalid, "negative"))
	case len(d.Members)+d.Erased < 2:
		errs = append(errs, problem("members", ErrMissing, "a suggestion has at least two members"))
	case d.Erased == 0 && d.Key != "" && SuggestionKey(d.Members) != d.Key:
		errs = append(errs, problem("key", ErrMismatch, "not the key of the members"))
	}
	if len(d.Members) > 64 {
		errs = append(errs, problem("members", ErrTooMany, "more than 64"))
	}
	if !d.Outcome.Known() {
		errs = append(errs, problem("outcome", ErrInvalid, "not accepted or rejected"))
	}
	if d.Outcome == OutcomeAccepted && d.Household.IsZero() {
		errs = append(errs, problem("household", ErrMissing, "an accepted suggestion names its household"))
	}
	if d.By != "" {
		if err := d.By.Validate(); err != nil {
			errs = append(errs, invalid("by", err))
		}
	}
	if d.At.IsZero() {
		errs = append(errs, problem("at", ErrMissing, "when"))
	}
	if len(d.Note) > 1024 || !utf8.ValidString(d.Note) || strings.ContainsAny(d.Note, "\r\n\x00") {
		errs = append(errs, problem("note", ErrInvalid, "one line of at most 1024 bytes of UTF-8"))
	}
	return errors.Join(errs...)
}
