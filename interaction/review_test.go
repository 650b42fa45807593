package interaction

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rapportcim/rapport/dealer"
)

func TestReviewPhrasesMatch(t *testing.T) {
	r, err := NewReviewPhrases(nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(r.Phrases(), DefaultReviewPhrases()) {
		t.Fatalf("defaults %v", r.Phrases())
	}
	tests := []struct {
		name, text string
		want       []string
	}{
		{"a promise", "I promise you'll love it", []string{"promise"}},
		{"whole words only", "No promises, but guaranteed trade-in values are waived... not waiver", []string{"guaranteed"}},
		{"case and punctuation", "We GUARANTEE it!!!", []string{"guarantee"}},
		{"a phrase across space and lines", "ok, I'll   waive\nthe fee.", []string{"waive", "I'll waive the fee"}},
		{"a typographic apostrophe", "I’ll waive the fee", []string{"waive", "I'll waive the fee"}},
		{"no credit check", "NO-CREDIT-CHECK financing!", []string{"no credit check"}},
		{"phrase at the very start and end", "guarantee", []string{"guarantee"}},
		{"nothing", "See you Saturday at 10:30.", nil},
		{"inside a longer word", "the guaranteeing party", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := r.Match(tt.text); !slices.Equal(got, tt.want) {
				t.Fatalf("Match(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
	custom, err := NewReviewPhrases([]string{"Zéro Frais", "lawyer"})
	if err != nil {
		t.Fatal(err)
	}
	if got := custom.Match("ZÉRO frais, sans avocat"); !slices.Equal(got, []string{"Zéro Frais"}) {
		t.Fatalf("non-ASCII: %q", got)
	}
}

func TestNewReviewPhrasesRefuses(t *testing.T) {
	_, err := NewReviewPhrases([]string{"ok", "", "two\nlines", "!!!", "OK!", strings.Repeat("x", MaxTextLen+1)})
	checkProblems(t, err,
		want{"phrases[1]", ErrMissing}, want{"phrases[2]", ErrInvalid}, want{"phrases[3]", ErrInvalid},
		want{"phrases[4]", ErrDuplicate}, want{"phrases[5]", ErrInvalid})
}

func TestReviewFlags(t *testing.T) {
	r, _ := NewReviewPhrases(nil)
	i := message(t)
	i.Flags, i.Subject = nil, "Your guaranteed price"
	i.Body = "I'll waive the fee, promise."
	got := ReviewFlags(i, r, t2)
	want := []Flag{
		{Reason: FlagReasonSensitiveData, FlaggedAt: t2},
		{Reason: FlagReasonPhrase, Phrase: "guaranteed", FlaggedAt: t2},
		{Reason: FlagReasonPhrase, Phrase: "promise", FlaggedAt: t2},
		{Reason: FlagReasonPhrase, Phrase: "waive", FlaggedAt: t2},
		{Reason: FlagReasonPhrase, Phrase: "I'll waive the fee", FlaggedAt: t2},
	}
	if !slices.Equal(got, want) {
		t.Fatalf("got  %+v\nwant %+v", got, want)
	}
	for _, f := range got {
		if errs := f.validate(nil, "flag"); errs != nil {
			t.Fatal(errs)
		}
	}
	i.Flags = got
	if again := ReviewFlags(i, r, t2.Add(time.Hour)); len(again) != 0 {
		t.Fatalf("flagged twice: %+v", again)
	}
	// The customer's words are not checked; sensitive data always is.
	in := message(t)
	in.Flags, in.Direction, in.Authorship, in.Template, in.Delivery = nil, DirectionInbound, "", "", Delivery{}
	in.Body = "can you guarantee it?"
	if got := ReviewFlags(in, r, t2); len(got) != 1 || got[0].Reason != FlagReasonSensitiveData {
		t.Fatalf("inbound: %+v", got)
	}
	in.Findings = nil
	if got := ReviewFlags(in, r, t2); got != nil {
		t.Fatalf("clean inbound: %+v", got)
	}
	i.Flags = nil
	if got := ReviewFlags(i, nil, t2); len(got) != 1 {
		t.Fatalf("no phrases: %+v", got)
	}
}

func TestFlagReview(t *testing.T) {
	f := Flag{Reason: FlagReasonPhrase, Phrase: "guarantee", FlaggedAt: t1, Note: "check this"}
	if err := f.Review("mia.manager", "talked to Sam", t2); err != nil {
		t.Fatal(err)
	}
	if !f.Reviewed() || f.ReviewedBy != "mia.manager" || !f.ReviewedAt.Equal(t2) || f.Note != "check this\n\ntalked to Sam" {
		t.Fatalf("%+v", f)
	}
	if errs := f.validate(nil, "f"); errs != nil {
		t.Fatal(errs)
	}
	err := f.Review("gm", "again", t2)
	var te *TransitionError
	if !errors.Is(err, ErrInvalidTransition) || !errors.As(err, &te) || te.Record != "flag" || te.From != "reviewed" {
		t.Fatalf("second review: %v", err)
	}
	for name, tt := range map[string]struct {
		by   string
		at   time.Time
		want error
	}{
		"nobody":         {"", t2, ErrMissing},
		"malformed":      {"a b", t2, ErrInvalid},
		"no time":        {"mia", time.Time{}, ErrMissing},
		"before flagged": {"mia", t0, ErrInvalid},
	} {
		f := Flag{Reason: FlagReasonManual, FlaggedAt: t1}
		if err := f.Review(dealerStaff(tt.by), "", tt.at); !errors.Is(err, tt.want) || !errors.Is(err, ErrInvalidTransition) || f.Reviewed() {
			t.Errorf("%s: %v", name, err)
		}
	}
	f = Flag{Reason: FlagReasonManual, FlaggedAt: t1}
	if err := f.Review("mia", "", t1); err != nil || f.Note != "" {
		t.Fatalf("%+v %v", f, err)
	}
	i := message(t)
	if !i.AwaitingReview() {
		t.Fatal("message has an unreviewed flag")
	}
	i.Flags = i.Flags[1:]
	if i.AwaitingReview() {
		t.Fatal("all flags reviewed")
	}
}

func dealerStaff(s string) dealer.Staff { return dealer.Staff(s) }
