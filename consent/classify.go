package consent

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Signal is what an inbound message, or a provider's report about one, says
// about consent. The zero Signal means nothing: an ordinary message.
type Signal string

// The signals rapport knows. The strings are stable: they may be stored.
const (
	// SignalNone: the message says nothing about consent.
	SignalNone Signal = ""
	// SignalOptOut: the whole message is an opt-out keyword (STOP,
	// UNSUBSCRIBE, …), or the provider reports an opt-out. A reply of
	// "stop", "quit", "end", "revoke", "opt out", "cancel" or "unsubscribe"
	// revokes consent per se (47 CFR 64.1200(a)(10)).
	SignalOptOut Signal = "opt_out"
	// SignalOptIn: the whole message is an opt-in keyword (START, UNSTOP,
	// YES), or the provider reports one. It may only undo what an opt-out
	// keyword did: see [Reinstate].
	SignalOptIn Signal = "opt_in"
	// SignalHelp: the whole message is HELP or INFO; answer with the
	// policy's HelpReply.
	SignalHelp Signal = "help"
	// SignalRevocationRequest: the message asks, in other words, not to be
	// contacted ("please stop texting me", "take me off your list", "wrong
	// number"). The FCC presumes such wording revokes consent (rebuttable,
	// by a reasonable-person test); [Policy.OptsOut] says whether the
	// policy treats it as an opt-out or leaves it to staff.
	SignalRevocationRequest Signal = "revocation_request"
	// SignalReview: the message restricts contact without withdrawing it
	// ("don't call before noon", "only text me about service", "no me
	// llamen al trabajo"): staff must read it and record what the person
	// asked for. It is never an opt-out by itself ([Policy.OptsOut] says
	// false): a restriction silently turned into a blanket opt-out would
	// lose what the person asked for, and one ignored would break it. The
	// FCC's 10-business-day deadline for honoring a revocation (47 CFR
	// 64.1200(a)(10)) runs from receipt.
	SignalReview Signal = "review"
)

var knownSignals = [...]Signal{SignalOptOut, SignalOptIn, SignalHelp, SignalRevocationRequest, SignalReview}

// Signals returns every Signal this version knows, in a stable order.
func Signals() []Signal { return append([]Signal(nil), knownSignals[:]...) }

// Known reports whether s is one of the signals this version knows. The
// zero Signal is not known.
func (s Signal) Known() bool { return known(s, knownSignals[:]) }

// String returns the stored form of s ("" for none).
func (s Signal) String() string { return string(s) }

// ParseSignal reads a signal from text, with the rules of [ParseAction].
func ParseSignal(s string) (Signal, error) {
	t, err := parseToken("signal", s)
	return Signal(t), err
}

// UnmarshalText implements encoding.TextUnmarshaler with [ParseSignal].
func (s *Signal) UnmarshalText(b []byte) error { return unmarshalToken("signal", b, (*string)(s)) }

// Keywords are the words of one language a [Classifier] recognizes. Words
// are matched after folding (see [Classifier.Classify]), so case, accents,
// surrounding punctuation and a hyphen against a space do not matter:
// "OPT-OUT", "opt out" and "Opt Out!" are the same word.
type Keywords struct {
	// Language is the BCP 47 tag of the language ("en", "fr-CA"); it is
	// informational.
	Language string `json:"language,omitempty"`
	// OptOut are whole-message opt-out keywords; one or a few words each.
	OptOut []string `json:"opt_out,omitempty"`
	// OptIn are whole-message opt-in keywords.
	OptIn []string `json:"opt_in,omitempty"`
	// Help are whole-message help keywords.
	Help []string `json:"help,omitempty"`
	// Revocation are phrases of at least two words that, anywhere in a
	// message, ask not to be contacted ("stop texting", "take me off your
	// list").
	Revocation []string `json:"revocation,omitempty"`
	// Polite are words that may surround an opt-out or help keyword without
	// changing it ("please", "thank you"): "Stop. Thank you" is an opt-out.
	Polite []string `json:"polite,omitempty"`
}

// DefaultKeywords returns the keywords a [Classifier] always knows, as new
// values: English and French (for Canadian dealers), the union of the FCC's
// per-se revocation words, the CTIA and carrier keywords, and those of
// Twilio, AWS End User Messaging and Telnyx.
func DefaultKeywords() []Keywords {
	return []Keywords{
		{
			Language: "en",
			OptOut: []string{"STOP", "STOPALL", "STOP ALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE",
				"OPTOUT", "OPT OUT", "OPT-OUT", "REMOVE"},
			OptIn: []string{"START", "UNSTOP", "YES"},
			Help:  []string{"HELP", "INFO"},
			Revocation: []string{
				"stop texting", "stop messaging", "stop calling", "stop contacting", "stop emailing",
				"stop sending me", "stop sending texts", "stop sending messages",
				"stop the texts", "stop these texts", "stop the messages", "stop these messages",
				"quit texting", "quit messaging", "quit calling", "quit contacting",
				"no more texts", "no more text messages", "no more messages", "no more calls", "no more emails",
				"don't text", "do not text", "don't message me", "do not message", "don't call me", "do not call",
				"don't contact me", "do not contact", "don't email me", "do not email",
				"never text me", "never call me", "never contact me",
				"take me off your list", "take me off the list", "take me off this list",
				"take me off your mailing list", "take me off your contact list", "take me off your texting list",
				"take my number off",
				"remove me from your list", "remove me from the list", "remove me from this list",
				"remove me from your mailing list", "remove me from your contact list", "remove me from your texting list",
				"remove my number", "delete my number", "lose my number",
				"unsubscribe me", "opt me out", "leave me alone", "wrong number", "wrong person",
			},
			Polite: []string{"please", "pls", "plz", "thanks", "thank you", "thankyou", "thx", "ty"},
		},
		{
			Language: "fr",
			OptOut:   []string{"ARRET", "ARRÊT", "ARRETE", "TD"},
			Polite:   []string{"merci", "svp", "stp", "s'il vous plaît", "s'il te plaît"},
		},
	}
}

// class is what a vocabulary entry is.
type class uint8

const (
	classOptOut class = iota + 1
	classOptIn
	classHelp
	classPolite
)

func (c class) String() string {
	switch c {
	case classOptOut:
		return "opt-out"
	case classOptIn:
		return "opt-in"
	case classHelp:
		return "help"
	}
	return "polite"
}

// maxEntryWords bounds the words of a keyword or phrase.
const maxEntryWords = 8

// table is a classifier's folded vocabulary. It is never changed after it
// is built.
type table struct {
	words    map[string]class // keywords and polite words
	maxWords int              // the most words of any entry in words
	phrases  map[string]bool  // revocation phrases
	first    map[string]int   // first word of a phrase → the most words of phrases starting with it
}

// defaultTable is the vocabulary of DefaultKeywords, built once at start-up
// and never changed.
var defaultTable = mustTable(DefaultKeywords())

func mustTable(kws []Keywords) *table {
	t, err := buildTable(kws)
	if err != nil {
		panic(err)
	}
	return t
}

// Classifier recognizes opt-out, opt-in and help keywords and revocation
// requests in inbound messages. The zero Classifier uses [DefaultKeywords];
// [NewClassifier] adds words. A Classifier is immutable and safe for
// concurrent use; copying one is cheap.
type Classifier struct{ t *table }

// DefaultClassifier returns a Classifier with [DefaultKeywords] only; it is
// the same as the zero Classifier.
func DefaultClassifier() Classifier { return Classifier{t: defaultTable} }

// NewClassifier returns a Classifier with [DefaultKeywords] and the extra
// keywords given, for instance Spanish ones:
//
//	consent.NewClassifier(consent.Keywords{Language: "es", OptOut: []string{"ALTO", "BAJA"}})
//
// It fails with a *ValidationError wrapping [ErrInvalid], naming the entry
// ("keywords[0].opt_out[1]"), when a word folds to nothing, has more than 8
// words, or already belongs to another class (a word cannot be both an
// opt-out and an opt-in), or when a revocation phrase has fewer than two
// words (a single word inside a sentence is never a revocation).
func NewClassifier(extra ...Keywords) (Classifier, error) {
	t, err := buildTable(append(DefaultKeywords(), extra...))
	if err != nil {
		return Classifier{}, err
	}
	return Classifier{t: t}, nil
}

func buildTable(kws []Keywords) (*table, error) {
	t := &table{words: map[string]class{}, phrases: map[string]bool{}, first: map[string]int{}}
	var errs []error
	base := len(DefaultKeywords())
	for i, kw := range kws {
		field := func(list string, j int) string {
			return fmt.Sprintf("keywords[%d].%s[%d]", i-base, list, j)
		}
		if i < base {
			field = func(list string, j int) string { return fmt.Sprintf("defaults[%d].%s[%d]", i, list, j) }
		}
		for _, l := range []struct {
			name  string
			words []string
			c     class
		}{{"opt_out", kw.OptOut, classOptOut}, {"opt_in", kw.OptIn, classOptIn}, {"help", kw.Help, classHelp}, {"polite", kw.Polite, classPolite}} {
			for j, w := range l.words {
				f := string(fold(nil, w))
				n := strings.Count(f, " ") + 1
				switch old, dup := t.words[f]; {
				case f == "":
					errs = append(errs, problem(field(l.name, j), ErrInvalid, "no letters or digits"))
				case n > maxEntryWords:
					errs = append(errs, problem(field(l.name, j), ErrInvalid, "more than 8 words"))
				case dup && old != l.c:
					errs = append(errs, problem(field(l.name, j), ErrInvalid, "already a "+old.String()+" word"))
				default:
					t.words[f] = l.c
					t.maxWords = max(t.maxWords, n)
				}
			}
		}
		for j, w := range kw.Revocation {
			f := string(fold(nil, w))
			n := strings.Count(f, " ") + 1
			switch {
			case f == "" || n < 2:
				errs = append(errs, problem(field("revocation", j), ErrInvalid, "a phrase needs two words or more"))
			case n > maxEntryWords:
				errs = append(errs, problem(field("revocation", j), ErrInvalid, "more than 8 words"))
			default:
				t.phrases[f] = true
				first := f[:strings.IndexByte(f, ' ')]
				t.first[first] = max(t.first[first], n)
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return t, nil
}

// Classify reads an inbound message with the default keywords; see
// [Classifier.Classify].
func Classify(text string) Signal { return Classifier{}.Classify(text) }

// Classify reads an inbound message.
//
// The text is folded first: Unicode compatibility forms (full-width
// letters), case and accents are folded ("ARRÊT" is "arret"), apostrophes
// are dropped ("don't" is "dont"), and every other run of spaces,
// punctuation and symbols becomes one space, so surrounding punctuation,
// spaces and emoji do not count ("Stop.", "STOP!!", " stop ").
//
// Then, in order:
//
//  1. When the whole message is opt-out keywords, with or without polite
//     words around them ("STOP", "Stop. Thank you", "please unsubscribe",
//     "stop stop"), it is [SignalOptOut] (an opt-out with any other keyword,
//     "yes stop", is still an opt-out). An opt-out keyword with only a
//     number beside it ("STOP 12345") is not the bare keyword a carrier
//     acts on but still reads as a request to stop: it is
//     [SignalRevocationRequest].
//  2. When it is help keywords, with or without polite words, it is
//     [SignalHelp].
//  3. When it is exactly one opt-in keyword ("START", "yes"), it is
//     [SignalOptIn]. Nothing else opts in: not "yes please", not "START
//     again".
//  4. When a revocation phrase appears anywhere in it as whole words
//     ("Please stop texting me", "can you take me off your list?"), and
//     the word before it is not a negation ("don't stop texting me"), it
//     is [SignalRevocationRequest].
//  5. Otherwise it is [SignalNone]. A keyword is never found inside a word
//     or a sentence: "stop by tomorrow", "this weekend", "can you cancel
//     my appointment?" and "the end of the month works" are not opt-outs.
//
// Classify allocates nothing for messages of up to 256 folded bytes.
func (c Classifier) Classify(text string) Signal {
	t := c.t
	if t == nil {
		t = defaultTable
	}
	var arr [256]byte
	b := fold(arr[:0], text)
	if len(b) == 0 {
		return SignalNone
	}
	if cl, ok := t.words[string(b)]; ok {
		switch cl {
		case classOptOut:
			return SignalOptOut
		case classOptIn:
			return SignalOptIn
		case classHelp:
			return SignalHelp
		}
		return SignalNone
	}
	if s, ok := t.keywords(b); ok {
		return s
	}
	return t.phrase(b)
}

// keywords reads b as a sequence of keywords, polite words and numbers; ok
// is false when some word is none of those.
func (t *table) keywords(b []byte) (Signal, bool) {
	var optOut, optIn, help, numbers int
	var ends [maxEntryWords]int
	for i := 0; i < len(b); {
		n := tokenEnds(b, i, ends[:t.maxWords])
		matched := false
		for k := n - 1; k >= 0; k-- {
			if cl, ok := t.words[string(b[i:ends[k]])]; ok {
				switch cl {
				case classOptOut:
					optOut++
				case classOptIn:
					optIn++
				case classHelp:
					help++
				}
				i, matched = ends[k]+1, true
				break
			}
		}
		if matched {
			continue
		}
		if !isDigits(b[i:ends[0]]) {
			return SignalNone, false
		}
		numbers++
		i = ends[0] + 1
	}
	switch {
	case optOut > 0 && numbers > 0:
		return SignalRevocationRequest, true
	case optOut > 0:
		return SignalOptOut, true
	case numbers == 0 && help > 0 && optIn == 0:
		return SignalHelp, true
	}
	return SignalNone, numbers == 0
}

// phrase looks for a revocation phrase anywhere in b, as whole words.
func (t *table) phrase(b []byte) Signal {
	var ends [maxEntryWords]int
	prev := -1
	for i := 0; i < len(b); {
		end := tokenEnd(b, i)
		if most := t.first[string(b[i:end])]; most > 0 {
			n := tokenEnds(b, i, ends[:most])
			for k := n - 1; k >= 1; k-- {
				if t.phrases[string(b[i:ends[k]])] && (prev < 0 || !negation(b[prev:i-1])) {
					return SignalRevocationRequest
				}
			}
		}
		prev, i = i, end+1
	}
	return SignalNone
}

// negation reports whether a folded word negates what follows it.
func negation(w []byte) bool {
	switch string(w) {
	case "dont", "not", "never", "didnt", "doesnt", "wont", "cant", "shouldnt", "wouldnt":
		return true
	}
	return false
}

// tokenEnd returns the end of the word of b starting at i.
func tokenEnd(b []byte, i int) int {
	for i < len(b) && b[i] != ' ' {
		i++
	}
	return i
}

// tokenEnds fills ends with the ends of the words of b from i on (ends[0]
// is the end of the first word, ends[1] of the second, …) and returns how
// many it filled.
func tokenEnds(b []byte, i int, ends []int) int {
	n := 0
	for n < len(ends) && i < len(b) {
		i = tokenEnd(b, i)
		ends[n] = i
		n++
		i++
	}
	return n
}

// fold appends the folded form of s to dst: lower-case letters and digits,
// accents and apostrophes dropped, compatibility forms decomposed, and
// every other run of characters (spaces, punctuation, symbols, invalid
// UTF-8) turned into one space, with none at either end. It works on plain
// slices (no pointer to a builder) so that a caller's stack buffer stays on
// the stack.
func fold(dst []byte, s string) []byte {
	b, start, sep := dst, len(dst), false
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			// The common case, inline: ASCII letters, digits, apostrophes
			// and separators.
			switch {
			case 'A' <= c && c <= 'Z':
				c += 'a' - 'A'
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			case c == '\'' || c == '`':
				i++
				continue
			default:
				sep = true
				i++
				continue
			}
			if sep && len(b) > start {
				b = append(b, ' ')
			}
			b, sep = append(b, c), false
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size <= 1 {
			sep = true
			i++
			continue
		}
		if d := norm.NFKD.PropertiesString(s[i:]).Decomposition(); d != nil {
			for j := 0; j < len(d); {
				dr, n := utf8.DecodeRune(d[j:])
				b, sep = foldRune(b, start, sep, dr)
				j += n
			}
		} else {
			b, sep = foldRune(b, start, sep, r)
		}
		i += size
	}
	return b
}

// foldRune appends the folded form of r to b, whose fold output starts at
// start; sep says a separator is pending, and the new value is returned.
func foldRune(b []byte, start int, sep bool, r rune) ([]byte, bool) {
	switch {
	case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
	case 'A' <= r && r <= 'Z':
		r += 'a' - 'A'
	case r == '\'' || r == '`' || r == '\u2018' || r == '\u2019' || r == '\u02bc':
		return b, sep // apostrophes join: "don't" is "dont"
	case r < utf8.RuneSelf:
		return b, true
	case unicode.Is(unicode.Mn, r):
		return b, sep // an accent: dropped
	case r == 'ß' || r == 'ẞ':
		b, _ = foldRune(b, start, sep, 's')
		return append(b, 's'), false
	case unicode.IsLetter(r) || unicode.IsDigit(r):
		r = unicode.ToLower(r)
	default:
		return b, true
	}
	if sep && len(b) > start {
		b = append(b, ' ')
	}
	if r < utf8.RuneSelf {
		return append(b, byte(r)), false
	}
	return utf8.AppendRune(b, r), false
}

// FromProvider maps what a messaging provider reports to a Signal:
// optOutType is the opt-out field of an inbound webhook (Twilio's
// OptOutType: "STOP", "START" or "HELP"; also the other keywords and
// rapport's own signal names), and errorCode a send error code, of which
// Twilio's 21610 ("attempt to send to unsubscribed recipient") means the
// recipient has opted out at the provider. An opt-out error wins over the
// field; anything else is [SignalNone]. Case and surrounding space are
// ignored. FromProvider allocates nothing.
func FromProvider(optOutType, errorCode string) Signal {
	if strings.TrimSpace(errorCode) == "21610" {
		return SignalOptOut
	}
	v := strings.TrimSpace(optOutType)
	for _, w := range [...]string{"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT", "OPT-OUT", "OPT_OUT"} {
		if strings.EqualFold(v, w) {
			return SignalOptOut
		}
	}
	for _, w := range [...]string{"START", "UNSTOP", "YES", "OPTIN", "OPT-IN", "OPT_IN"} {
		if strings.EqualFold(v, w) {
			return SignalOptIn
		}
	}
	if strings.EqualFold(v, "HELP") || strings.EqualFold(v, "INFO") {
		return SignalHelp
	}
	return SignalNone
}
