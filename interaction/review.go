package interaction

import (
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/rapportcim/rapport/dealer"
)

// DefaultReviewPhrases returns the phrases watched when none are
// configured: promises and offers a manager should see before a customer
// holds the dealership to them. The result is a new slice.
func DefaultReviewPhrases() []string {
	return []string{
		"guarantee",
		"guaranteed",
		"promise",
		"waive",
		"I'll waive the fee",
		"no credit check",
		"everyone is approved",
		"off the books",
	}
}

// ReviewPhrases is a compiled list of watched phrases: words or phrases
// whose appearance in what the dealership writes flags the interaction for
// a manager's review ([ReviewFlags]). Build it with [NewReviewPhrases]. A
// ReviewPhrases is immutable: any number of goroutines may use one at once.
//
// Phrases match whole words, ignoring case, punctuation and the amount of
// space between words: "I'll waive the fee" matches "i'll WAIVE the
// fee!", and "I’ll waive the fee" with a typographic apostrophe;
// "guarantee" does not match "guaranteed" (list both to watch both), nor
// "waive" "waiver".
type ReviewPhrases struct {
	phrases []string // as configured
	norm    []string // normalized, padded with spaces
}

// NewReviewPhrases compiles phrases (nil or empty: [DefaultReviewPhrases]).
// It reports every problem, as errors.Join of *ValidationError values
// naming "phrases[n]": an empty phrase ([ErrMissing]); one that is not a
// line of at most MaxTextLen bytes of UTF-8 or has no letter or digit
// ([ErrInvalid]); one that matches the same text as an earlier one
// ([ErrDuplicate]).
func NewReviewPhrases(phrases []string) (*ReviewPhrases, error) {
	if len(phrases) == 0 {
		phrases = DefaultReviewPhrases()
	}
	r := &ReviewPhrases{phrases: make([]string, 0, len(phrases)), norm: make([]string, 0, len(phrases))}
	var errs []error
	seen := make(map[string]int, len(phrases))
	for n, p := range phrases {
		field := "phrases[" + strconv.Itoa(n) + "]"
		if p == "" {
			errs = append(errs, invalid(field, ErrMissing))
			continue
		}
		if e := checkLine(nil, field, p, MaxTextLen); e != nil {
			errs = append(errs, e...)
			continue
		}
		norm := normalizeWords(p)
		switch first, dup := seen[norm]; {
		case norm == " ":
			errs = append(errs, problem(field, ErrInvalid, "no letter or digit"))
		case dup:
			errs = append(errs, problem(field, ErrDuplicate, "same as phrases["+strconv.Itoa(first)+"]"))
		default:
			seen[norm] = n
			r.phrases = append(r.phrases, p)
			r.norm = append(r.norm, norm)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return r, nil
}

// Phrases returns the phrases, as configured, in order. The result is a new
// slice.
func (r *ReviewPhrases) Phrases() []string { return append([]string(nil), r.phrases...) }

// Match returns the phrases that appear in text, as configured, in the
// order they were configured; nil when none does.
func (r *ReviewPhrases) Match(text string) []string {
	if len(r.norm) == 0 {
		return nil
	}
	norm := normalizeWords(text)
	var out []string
	for k, p := range r.norm {
		if strings.Contains(norm, p) {
			out = append(out, r.phrases[k])
		}
	}
	return out
}

// normalizeWords returns the words of s, lower-cased, separated by single
// spaces and with a space before and after: " i'll waive the fee ". A word
// is a run of letters and digits, with apostrophes (' or ’) inside it.
func normalizeWords(s string) string {
	b := make([]byte, 1, len(s)+2)
	b[0] = ' '
	prevWord := false
	for k := 0; k < len(s); {
		c, size := rune(s[k]), 1
		if c >= utf8.RuneSelf {
			c, size = utf8.DecodeRuneInString(s[k:])
		}
		switch {
		case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
			b = append(b, byte(c))
			prevWord = true
		case 'A' <= c && c <= 'Z':
			b = append(b, byte(c)+'a'-'A')
			prevWord = true
		case c >= utf8.RuneSelf && (unicode.IsLetter(c) || unicode.IsDigit(c)):
			b = utf8.AppendRune(b, unicode.ToLower(c))
			prevWord = true
		case (c == '\'' || c == '’') && prevWord && k+size < len(s) && isWordRune(s[k+size:]):
			b = append(b, '\'')
		default:
			if b[len(b)-1] != ' ' {
				b = append(b, ' ')
			}
			prevWord = false
		}
		k += size
	}
	if b[len(b)-1] != ' ' {
		b = append(b, ' ')
	}
	return string(b)
}

// isWordRune reports whether s starts with a letter or digit.
func isWordRune(s string) bool {
	c, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLetter(c) || unicode.IsDigit(c)
}

// ReviewFlags returns the flags interaction i should get automatically, at
// time at, that it does not have yet (so calling it again adds nothing):
//
//   - [FlagReasonSensitiveData] when i has Findings (sensitive data was
//     found and redacted; run [Interaction.Redact] first);
//   - [FlagReasonPhrase], one per watched phrase found in the Subject or
//     Body of an outbound or internal interaction (the dealership's own
//     words; what customers write is not checked), with Phrase set to the
//     phrase as configured. A nil phrases checks no phrase.
//
// The flags have no FlaggedBy (they are automatic) and are not reviewed.
// Append them to i.Flags.
func ReviewFlags(i Interaction, phrases *ReviewPhrases, at time.Time) []Flag {
	has := func(reason FlagReason, phrase string) bool {
		for _, f := range i.Flags {
			if f.Reason == reason && f.Phrase == phrase {
				return true
			}
		}
		return false
	}
	var out []Flag
	if len(i.Findings) > 0 && !has(FlagReasonSensitiveData, "") {
		out = append(out, Flag{Reason: FlagReasonSensitiveData, FlaggedAt: at})
	}
	if phrases == nil || (i.Direction != DirectionOutbound && i.Direction != DirectionInternal) {
		return out
	}
	text := i.Body
	if i.Subject != "" {
		text = i.Subject + "\n" + i.Body
	}
	for _, p := range phrases.Match(text) {
		if !has(FlagReasonPhrase, p) {
			out = append(out, Flag{Reason: FlagReasonPhrase, Phrase: p, FlaggedAt: at})
		}
	}
	return out
}

// Reviewed reports whether the flag has been reviewed.
func (f Flag) Reviewed() bool { return f.ReviewedBy != "" || !f.ReviewedAt.IsZero() }

// AwaitingReview reports whether i has a flag not yet reviewed.
func (i Interaction) AwaitingReview() bool {
	for _, f := range i.Flags {
		if !f.Reviewed() {
			return true
		}
	}
	return false
}

// Review records a manager's review of the flag: by (required) reviewed it
// at at (required, not before FlaggedAt), with note, optional, appended to
// any note the flag has, after a blank line. A flag is reviewed once: a
// second review is refused. Errors are *[TransitionError] values wrapping
// [ErrInvalidTransition] (and [ErrMissing] or [ErrInvalid] for a bad
// argument); f is then unchanged.
func (f *Flag) Review(by dealer.Staff, note string, at time.Time) error {
	from := "unreviewed"
	if f.Reviewed() {
		return refusal("flag", "reviewed", "reviewed", "already reviewed")
	}
	switch {
	case by == "":
		return refusal("flag", from, "reviewed", "who reviewed it is required", ErrMissing)
	case by.Validate() != nil:
		return refusal("flag", from, "reviewed", "malformed staff identifier", ErrInvalid)
	case at.IsZero():
		return refusal("flag", from, "reviewed", "no time", ErrMissing)
	case !f.FlaggedAt.IsZero() && at.Before(f.FlaggedAt):
		return refusal("flag", from, "reviewed", "before it was flagged", ErrInvalid)
	case checkText(nil, "note", f.Note+"\n\n"+note, MaxBodyLen) != nil:
		return refusal("flag", from, "reviewed", "the note is not UTF-8 of at most 1 MiB", ErrInvalid)
	}
	switch {
	case note == "":
	case f.Note == "":
		f.Note = note
	default:
		f.Note += "\n\n" + note
	}
	f.ReviewedBy, f.ReviewedAt = by, at
	return nil
}
