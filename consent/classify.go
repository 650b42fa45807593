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
// apostrophes, surrounding punctuation and a hyphen against a space do not
// matter: "OPT-OUT", "opt out" and "Opt Out!" are the same word. Every
// entry is one word or a few (at most 8).
type Keywords struct {
	// Language is the BCP 47 tag of the language ("en", "fr-CA"); it is
	// informational.
	Language string `json:"language,omitempty"`
	// OptOut are opt-out command words: a sentence made of them and
	// fillers only is an opt-out ("stop", "no más", "arrêt").
	OptOut []string `json:"opt_out,omitempty"`
	// OptIn are whole-message opt-in keywords.
	OptIn []string `json:"opt_in,omitempty"`
	// Help are whole-message help keywords.
	Help []string `json:"help,omitempty"`
	// Revocation are phrases of at least two words that, anywhere in a
	// message, ask not to be contacted ("stop texting", "take me off your
	// list", "no me envíes más").
	Revocation []string `json:"revocation,omitempty"`
	// Review are phrases of at least two words that always need staff to
	// read them: a preference or a question about opting out ("text me
	// instead", "how do I unsubscribe").
	Review []string `json:"review,omitempty"`
	// Polite are words that may surround a command without changing it
	// ("please", "thank you"): "Stop. Thank you" is an opt-out.
	Polite []string `json:"polite,omitempty"`
	// Fillers are other words that may surround a command without
	// changing it ("now", "ok", "it", "all texts", "ya", "maintenant"):
	// "Stop it now" and "ok stop all texts" are opt-outs.
	Fillers []string `json:"fillers,omitempty"`
	// Negations are words that negate what follows ("don't", "never"): a
	// revocation phrase right after one is not a request ("don't stop
	// texting me").
	Negations []string `json:"negations,omitempty"`
	// Questions are words that make a revocation phrase up to three words
	// after them a question about the past ("why did you stop texting
	// me?"), unless a negation comes between ("why won't you stop texting
	// me?" still asks to stop).
	Questions []string `json:"questions,omitempty"`
	// Contact are the words for contacting ("call", "text", "email",
	// "llamen", "appelez"), and Qualifiers the words that restrict when,
	// where or about what ("before", "after", "at work", "on weekends",
	// "antes", "avant"), and Limiters words like "only": together they
	// find restrictions ([SignalReview]).
	Contact    []string `json:"contact,omitempty"`
	Qualifiers []string `json:"qualifiers,omitempty"`
	Limiters   []string `json:"limiters,omitempty"`
	// Restrictors are words that start a restriction but do not negate a
	// phrase ("no" in "no calls after 6", "no me llamen antes de las 10").
	Restrictors []string `json:"restrictors,omitempty"`
}

// kind is what a vocabulary entry is, as bits: a word may be several things
// (a filler and a contact word: "texts").
type kind uint16

const (
	kOptOut kind = 1 << iota
	kOptIn
	kHelp
	kFiller // polite words and fillers
	kNegation
	kQuestion
	kContact
	kQualifier
	kLimiter
	kRestrictor
	kRevocation // a revocation phrase
	kReview     // a review phrase
)

// exclusive are the kinds no entry may combine.
const exclusive = kOptOut | kOptIn | kHelp

func (k kind) String() string {
	switch {
	case k&kOptOut != 0:
		return "opt-out"
	case k&kOptIn != 0:
		return "opt-in"
	case k&kHelp != 0:
		return "help"
	}
	return "filler"
}

// maxEntryWords bounds the words of a keyword or phrase.
const maxEntryWords = 8

// table is a classifier's folded vocabulary. It is never changed after it
// is built.
type table struct {
	// entries maps every folded entry, and every shorter prefix of a
	// multi-word entry (as whole words), to what it is; one lookup per
	// word reads a sentence.
	entries map[string]entry
	// firsts is a bit set of the signatures of the first words of
	// entries: a word whose signature is not in it is in no entry, which
	// spares most plain words a map lookup.
	firsts [1 << 16 / 64]uint64
}

// signature hashes a word's length, first and last bytes to 16 bits.
func signature(w []byte) uint16 {
	return uint16(len(w))<<11 ^ uint16(w[0])<<5 ^ uint16(w[len(w)-1])
}

// mayStart reports whether word w may begin an entry.
func (t *table) mayStart(w []byte) bool {
	h := signature(w)
	return t.firsts[h/64]&(1<<(h%64)) != 0
}

// entry is what a folded word sequence is: its kinds (none for a prefix
// only) and whether it begins a longer entry.
type entry struct {
	k      kind
	prefix bool
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

// Classifier recognizes opt-out, opt-in and help keywords, revocation
// requests and restrictions in inbound messages. The zero Classifier uses
// [DefaultKeywords]; [NewClassifier] adds words. A Classifier is immutable
// and safe for concurrent use; copying one is cheap.
type Classifier struct{ t *table }

// DefaultClassifier returns a Classifier with [DefaultKeywords] only; it is
// the same as the zero Classifier.
func DefaultClassifier() Classifier { return Classifier{t: defaultTable} }

// NewClassifier returns a Classifier with [DefaultKeywords] and the extra
// keywords given, for instance another language's:
//
//	consent.NewClassifier(consent.Keywords{Language: "pt", OptOut: []string{"PARE", "SAIR"}})
//
// It fails with a *ValidationError wrapping [ErrInvalid], naming the entry
// ("keywords[0].opt_out[1]"), when a word folds to nothing, has more than 8
// words, or already belongs to another class (a word cannot be both an
// opt-out and an opt-in), or when a revocation or review phrase has fewer
// than two words (a single word inside a sentence is never a revocation).
func NewClassifier(extra ...Keywords) (Classifier, error) {
	t, err := buildTable(append(DefaultKeywords(), extra...))
	if err != nil {
		return Classifier{}, err
	}
	return Classifier{t: t}, nil
}

func buildTable(kws []Keywords) (*table, error) {
	t := &table{entries: map[string]entry{}}
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
			name   string
			words  []string
			k      kind
			phrase bool
		}{
			{"opt_out", kw.OptOut, kOptOut, false}, {"opt_in", kw.OptIn, kOptIn, false}, {"help", kw.Help, kHelp, false},
			{"polite", kw.Polite, kFiller, false}, {"fillers", kw.Fillers, kFiller, false},
			{"negations", kw.Negations, kNegation, false}, {"questions", kw.Questions, kQuestion, false},
			{"contact", kw.Contact, kContact, false}, {"qualifiers", kw.Qualifiers, kQualifier, false},
			{"limiters", kw.Limiters, kLimiter, false}, {"restrictors", kw.Restrictors, kRestrictor, false},
			{"revocation", kw.Revocation, kRevocation, true}, {"review", kw.Review, kReview, true},
		} {
			for j, w := range l.words {
				f := string(fold(nil, w, true))
				n := strings.Count(f, " ") + 1
				old := t.entries[f].k
				switch {
				case f == "" && l.phrase, l.phrase && n < 2:
					errs = append(errs, problem(field(l.name, j), ErrInvalid, "a phrase needs two words or more"))
				case f == "":
					errs = append(errs, problem(field(l.name, j), ErrInvalid, "no letters or digits"))
				case n > maxEntryWords:
					errs = append(errs, problem(field(l.name, j), ErrInvalid, "more than 8 words"))
				case old&exclusive != 0 && l.k&exclusive != 0 && old&exclusive != l.k:
					errs = append(errs, problem(field(l.name, j), ErrInvalid, "already a "+old.String()+" word"))
				default:
					e := t.entries[f]
					e.k |= l.k
					t.entries[f] = e
					w0 := f
					if sp := strings.IndexByte(f, ' '); sp >= 0 {
						w0 = f[:sp]
					}
					h := signature([]byte(w0))
					t.firsts[h/64] |= 1 << (h % 64)
					for sp := 0; ; {
						k := strings.IndexByte(f[sp:], ' ')
						if k < 0 {
							break
						}
						sp += k
						p := t.entries[f[:sp]]
						p.prefix = true
						t.entries[f[:sp]] = p
						sp++
					}
				}
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

// Classify reads an inbound message: a text, a chat message, an email's
// subject or body, a call's transcript.
//
// The text is folded first: Unicode compatibility forms (full-width
// letters), case and accents are folded ("ARRÊT" is "arret"), apostrophes
// are dropped ("don't" is "dont"), sentence ends (. ! ? ; ¿ ¡ and line
// breaks) are kept as such, and every other run of spaces, punctuation and
// symbols becomes one space, so surrounding punctuation, spaces and emoji
// do not count ("Stop.", "STOP!!", " stop "). Then the words of each
// sentence are read, longest entry first, and:
//
//  1. When the whole message is opt-out keywords, with or without polite
//     words and fillers around them ("STOP", "Stop. Thank you", "please
//     unsubscribe", "stop it now", "ok, cancel all texts"), it is
//     [SignalOptOut] (an opt-out with any other keyword, "yes stop", is
//     still an opt-out). An opt-out keyword with only a number beside it
//     ("STOP 12345") is not the bare keyword a carrier acts on but still
//     reads as a request to stop: it is [SignalRevocationRequest].
//  2. When it is help keywords, with or without polite words, it is
//     [SignalHelp].
//  3. When it is exactly one opt-in keyword ("START", "yes"), it is
//     [SignalOptIn]. Nothing else opts in: not "yes please", not "START
//     again".
//  4. When one sentence of it is opt-out keywords and fillers ("Stop. Who
//     is this?", "No más. ¿Quién es?"), it is [SignalOptOut]: the FCC's
//     per-se words used as a reply command (47 CFR 64.1200(a)(10)).
//  5. When a sentence holds a revocation phrase as whole words ("Please
//     stop texting me", "can you take me off your list?", "no me envíes
//     más mensajes"), not right after a negation ("don't stop texting
//     me") and not asked about the past ("why did you stop texting me?"),
//     it is [SignalRevocationRequest] — unless a qualifier follows it
//     within four words ("stop texting me after 9pm", "… about
//     promotions"), which makes it a restriction.
//  6. A restriction is [SignalReview]: a revocation phrase with a
//     qualifier after it; a negation or restrictor followed within three
//     words by a contact word and, within four more, a qualifier ("don't call before
//     noon", "no me llamen antes de las 10", "ne m'appelez pas avant
//     midi"); a limiter within three words of a contact word ("only text
//     me", "solo mensajes de servicio"); or a review phrase ("text me
//     instead"). A sentence with a plain revocation elsewhere in the
//     message makes the message a revocation request.
//  7. Otherwise it is [SignalNone]. A keyword is never found inside a word
//     or a sentence: "stop by tomorrow", "this weekend", "can you cancel
//     my appointment?" and "the end of the month works" are not opt-outs.
//
// Classify reads the text sentence by sentence, up to its first
// [MaxClassifyBytes] bytes; a sentence longer than 32 words is read 32
// words at a time. Pass it only what the person wrote: the new text of an
// email reply without the quoted original, whose footer may hold an
// "Unsubscribe" line of its own.
// It allocates nothing for messages of up to 256 folded bytes.
func (c Classifier) Classify(text string) Signal {
	t := c.t
	if t == nil {
		t = defaultTable
	}
	if len(text) > MaxClassifyBytes {
		text = text[:MaxClassifyBytes]
	}
	var arr [256]byte
	b := fold(arr[:0], text, false)
	if len(b) == 0 {
		return SignalNone
	}
	var (
		toks                                   [maxTokens]token
		optOut, optIn, help, numbers, others   int
		cmd, cmdNumber, revocation, restricted bool
		single                                 kind // the kind of the only token, when there is one
		count                                  int
	)
	for i := 0; i < len(b); {
		n, next := t.sentence(b, i, toks[:])
		ts := toks[:n]
		// Whole-message counts, and this sentence's.
		var sOut, sNum, sOther int
		for _, tk := range ts {
			count++
			single = tk.k
			switch {
			case tk.k&kOptOut != 0:
				optOut++
				sOut++
			case tk.k&kOptIn != 0:
				optIn++
				sOther++
			case tk.k&kHelp != 0:
				help++
				sOther++
			case tk.k&kFiller != 0:
			case isDigits(b[tk.start:tk.end]):
				numbers++
				sNum++
			default:
				others++
				sOther++
			}
		}
		switch {
		case sOut > 0 && sOther == 0 && sNum == 0:
			cmd = true
		case sOut > 0 && sOther == 0:
			cmdNumber = true
		}
		rev, rst := scanSentence(ts)
		revocation = revocation || rev
		restricted = restricted || rst
		i = next
	}
	switch {
	case others == 0 && optOut > 0 && numbers > 0:
		return SignalRevocationRequest
	case others == 0 && optOut > 0:
		return SignalOptOut
	case others == 0 && numbers == 0 && help > 0 && optIn == 0:
		return SignalHelp
	case count == 1 && single&kOptIn != 0:
		return SignalOptIn
	case cmd:
		return SignalOptOut
	case revocation || cmdNumber:
		return SignalRevocationRequest
	case restricted:
		return SignalReview
	}
	return SignalNone
}

// MaxClassifyBytes is how much of a text [Classifier.Classify] reads: 1
// MiB, more than any message, email body or call transcript it is meant
// for.
const MaxClassifyBytes = 1 << 20

// maxTokens bounds the words of a sentence read at once.
const maxTokens = 32

// token is one entry or plain word of a folded sentence.
type token struct {
	start, end int32
	k          kind
}

// sentence reads the tokens of the sentence of b starting at i into toks,
// longest entry first, and returns how many it read and where the next
// sentence starts. It stops at the end of the sentence or when toks is
// full.
func (t *table) sentence(b []byte, i int, toks []token) (int, int) {
	n := 0
	for i < len(b) && n < len(toks) {
		end := wordEnd(b, i)
		var e entry
		if t.mayStart(b[i:end]) {
			e = t.entries[string(b[i:end])]
		}
		tk := token{start: int32(i), end: int32(end), k: e.k}
		for j := end; e.prefix && j < len(b) && b[j] == ' '; {
			next := wordEnd(b, j+1)
			var ok bool
			if e, ok = t.entries[string(b[i:next])]; !ok {
				break
			}
			if e.k != 0 {
				tk.end, tk.k = int32(next), e.k
			}
			j = next
		}
		toks[n] = tk
		n++
		i = int(tk.end)
		if i < len(b) && b[i] == '.' {
			return n, i + 1
		}
		i++
	}
	return n, i
}

// scanSentence finds, in one sentence's tokens, a revocation request and a
// restriction (see [Classifier.Classify], rules 5 and 6).
func scanSentence(ts []token) (revocation, restriction bool) {
	for i, tk := range ts {
		switch {
		case tk.k&kRevocation != 0:
			if i > 0 && ts[i-1].k&kNegation != 0 || askedBefore(ts, i) {
				continue
			}
			if qualifiedAfter(ts, i+1) {
				restriction = true
			} else {
				revocation = true
			}
		case tk.k&kReview != 0:
			restriction = true
		case tk.k&(kNegation|kRestrictor) != 0:
			for j := i + 1; j < len(ts) && j <= i+3; j++ {
				if ts[j].k&kContact != 0 && qualifiedAfter(ts, j+1) {
					restriction = true
					break
				}
			}
		case tk.k&kLimiter != 0:
			for j := max(0, i-3); j < len(ts) && j <= i+3; j++ {
				if ts[j].k&kContact != 0 {
					restriction = true
					break
				}
			}
		}
	}
	return revocation, restriction
}

// askedBefore reports whether a question word stands within three tokens
// before token i with no negation between: "why did you stop texting me".
func askedBefore(ts []token, i int) bool {
	for j := i - 1; j >= 0 && j >= i-3; j-- {
		switch {
		case ts[j].k&kNegation != 0:
			return false
		case ts[j].k&kQuestion != 0:
			return true
		}
	}
	return false
}

// qualifierReach is how many tokens after a phrase or contact word a
// qualifier may stand to restrict it: "stop texting me after 9pm" is a
// restriction, "stop texting me, I'm tired of hearing about cars" is not.
const qualifierReach = 4

// qualifiedAfter reports whether a qualifier stands among the
// qualifierReach tokens from token i.
func qualifiedAfter(ts []token, i int) bool {
	for end := min(len(ts), i+qualifierReach); i < end; i++ {
		if ts[i].k&kQualifier != 0 {
			return true
		}
	}
	return false
}

// wordEnd returns the end of the word of b starting at i.
func wordEnd(b []byte, i int) int {
	for i < len(b) && b[i] != ' ' && b[i] != '.' {
		i++
	}
	return i
}

// Separators fold emits between words.
const (
	sepNone     byte = 0
	sepWord     byte = ' '
	sepSentence byte = '.'
)

// fold appends the folded form of s to dst: lower-case letters and digits,
// accents and apostrophes dropped, compatibility forms decomposed, every
// run of characters with a sentence end in it (. ! ? ; ¿ ¡ … and line
// breaks) turned into one '.', and every other run (spaces, punctuation,
// symbols, invalid UTF-8) into one space, with none at either end. flat
// folds sentence ends to spaces too (for vocabulary entries). It works on
// plain slices (no pointer to a builder) so that a caller's stack buffer
// stays on the stack.
func fold(dst []byte, s string, flat bool) []byte {
	b, start, sep := dst, len(dst), sepNone
	end := sepSentence
	if flat {
		end = sepWord
	}
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
			case c == '.' || c == '!' || c == '?' || c == ';' || c == '\n' || c == '\r':
				sep = end
				i++
				continue
			default:
				if sep == sepNone {
					sep = sepWord
				}
				i++
				continue
			}
			if sep != sepNone && len(b) > start {
				b = append(b, sep)
			}
			b, sep = append(b, c), sepNone
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size <= 1 {
			if sep == sepNone {
				sep = sepWord
			}
			i++
			continue
		}
		if d := norm.NFKD.PropertiesString(s[i:]).Decomposition(); d != nil {
			for j := 0; j < len(d); {
				dr, n := utf8.DecodeRune(d[j:])
				b, sep = foldRune(b, start, sep, end, dr)
				j += n
			}
		} else {
			b, sep = foldRune(b, start, sep, end, r)
		}
		i += size
	}
	return b
}

// foldRune appends the folded form of r to b, whose fold output starts at
// start; sep is the separator pending, end what a sentence end folds to,
// and the new pending separator is returned.
func foldRune(b []byte, start int, sep, end byte, r rune) ([]byte, byte) {
	switch {
	case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
	case 'A' <= r && r <= 'Z':
		r += 'a' - 'A'
	case r == '\'' || r == '`' || r == '\u2018' || r == '\u2019' || r == '\u02bc':
		return b, sep // apostrophes join: "don't" is "dont"
	case r == '.' || r == '!' || r == '?' || r == ';' || r == '¿' || r == '¡' || r == '…' || r == '。' ||
		r == '\u2028' || r == '\u2029' || r == '\u0085':
		return b, end
	case r < utf8.RuneSelf:
		if sep == sepNone {
			return b, sepWord
		}
		return b, sep
	case unicode.Is(unicode.Mn, r):
		return b, sep // an accent: dropped
	case r == 'ß' || r == 'ẞ':
		b, _ = foldRune(b, start, sep, end, 's')
		return append(b, 's'), sepNone
	case unicode.IsLetter(r) || unicode.IsDigit(r):
		r = unicode.ToLower(r)
	default:
		if sep == sepNone {
			return b, sepWord
		}
		return b, sep
	}
	if sep != sepNone && len(b) > start {
		b = append(b, sep)
	}
	if r < utf8.RuneSelf {
		return append(b, byte(r)), sepNone
	}
	return utf8.AppendRune(b, r), sepNone
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
