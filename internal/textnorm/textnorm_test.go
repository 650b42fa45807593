package textnorm

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

func TestKey(t *testing.T) {
	tests := map[string]string{
		"José Núñez":                   "jose nunez",
		"Jose\u0301 Nu\u0301n\u0303ez": "jose nunez",
		"  JOSE   NUNEZ  ":             "jose nunez",
		"O'Brien":                      "obrien",
		"Ｍａｒｉａ":                        "maria",
		"Straße":                       "strasse",
		"ﬁona":                         "fiona", // ligature (NFKC)
		"Nguyễn Văn An":                "nguyen van an",
		"Σίσυφος":                      "σισυφοσ",
		"Anne-Marie":                   "anne marie",
		"jose nunez":                   "jose nunez",
		"":                             "",
		"\xff":                         "",
	}
	for in, want := range tests {
		if got := Key(in); got != want {
			t.Errorf("Key(%q) = %q, want %q", in, got, want)
		}
		if got := Key(Key(in)); got != Key(in) {
			t.Errorf("Key is not idempotent on %q: %q", in, got)
		}
	}
}

func TestDisplay(t *testing.T) {
	tests := map[string]string{
		"  Jane \t Doe ": "Jane Doe",
		"Jane Doe":       "Jane Doe",
		"Jose\u0301":     "José",
		" José  Núñez ":  "José Núñez",
		"":               "",
	}
	for in, want := range tests {
		if got := Display(in); got != want {
			t.Errorf("Display(%q) = %q, want %q", in, got, want)
		}
	}
}

// referenceKey is Key's definition (see its documentation) implemented
// directly with x/text, one step after the other, allocating freely.
func referenceKey(s string) string {
	s = strings.ToValidUTF8(s, "")
	var unmarked strings.Builder
	for _, r := range norm.NFKD.String(s) {
		if !unicode.Is(unicode.Mn, r) {
			unmarked.WriteRune(r)
		}
	}
	var words []string
	var w strings.Builder
	for _, r := range cases.Fold().String(unmarked.String()) {
		if unicode.Is(unicode.Cherokee, r) {
			// CaseFolding.txt folds Cherokee to upper case (AB70; C;
			// 13A0), but x/text's Fold swaps its cases, so that
			// Fold("Ꭰ") = "ꭰ" and Fold("ꭰ") = "Ꭰ": two spellings, two
			// results. TestFoldCherokee shows it; the reference follows
			// Unicode.
			r = unicode.ToUpper(r)
		}
		switch {
		case unicode.IsLetter(r) || unicode.Is(unicode.Mc, r) || unicode.IsDigit(r):
			w.WriteRune(r)
		case unicode.IsSpace(r) || strings.ContainsRune("-_.,/", r):
			if w.Len() > 0 {
				words = append(words, w.String())
				w.Reset()
			}
		}
	}
	if w.Len() > 0 {
		words = append(words, w.String())
	}
	return norm.NFC.String(strings.Join(words, " "))
}

// forEachRune calls f for every code point of the tables.
func forEachRune(f func(rune), tables ...*unicode.RangeTable) {
	for _, t := range tables {
		for _, r16 := range t.R16 {
			for r := rune(r16.Lo); r <= rune(r16.Hi); r += rune(r16.Stride) {
				f(r)
			}
		}
		for _, r32 := range t.R32 {
			for r := rune(r32.Lo); r <= rune(r32.Hi); r += rune(r32.Stride) {
				f(r)
			}
		}
	}
}

// TestKeyMatchesReference checks Key against its definition on every
// letter, mark and decimal digit of Unicode, alone and between ASCII
// letters, and on random strings mixing scripts, marks, jamo, separators
// and punctuation.
func TestKeyMatchesReference(t *testing.T) {
	n, failures := 0, 0
	check := func(s string) {
		n++
		if got, want := Key(s), referenceKey(s); got != want && failures < 20 {
			failures++
			t.Errorf("Key(%q) = %q (%U), reference %q (%U)", s, got, []rune(got), want, []rune(want))
		}
	}
	forEachRune(func(r rune) {
		check(string(r))
		check("a" + string(r) + "b")
	}, unicode.L, unicode.M, unicode.Nd)
	if n < 2*130_000 {
		t.Fatalf("only %d inputs: the tables were not walked", n)
	}
	var pool []rune
	forEachRune(func(r rune) { pool = append(pool, r) },
		unicode.Latin, unicode.Greek, unicode.Cyrillic, unicode.Hangul, unicode.Devanagari, unicode.Tamil,
		unicode.Cherokee, unicode.Arabic, unicode.Mn, unicode.Han)
	pool = append(pool, []rune(" -_.,/'\"’\t\u00a0\u3000ßẞİıſﬁ①Ⅻ½")...)
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20_000 {
		rs := make([]rune, 1+rng.IntN(12))
		for k := range rs {
			rs[k] = pool[rng.IntN(len(pool))]
		}
		check(string(rs))
		check(norm.NFD.String(string(rs)))
	}
}

// TestKeyHangul checks every precomposed Hangul syllable against its
// decomposed jamo, alone and in a name.
func TestKeyHangul(t *testing.T) {
	for r := rune(0xAC00); r <= 0xD7A3; r++ {
		composed := string(r)
		decomposed := norm.NFD.String(composed)
		if decomposed == composed {
			t.Fatalf("%U does not decompose", r)
		}
		if k := Key(composed); k != composed || Key(decomposed) != k {
			t.Fatalf("Key(%U) = %q, Key of its jamo = %q; want both %q", r, k, Key(decomposed), composed)
		}
	}
	name := "김 민준"
	if Key(norm.NFD.String(name)) != name || Key(name) != name || Key("  김  민준 ") != name {
		t.Errorf("Hangul name keys: %q %q", Key(norm.NFD.String(name)), Key(name))
	}
}

// TestFoldCherokee shows why referenceKey corrects x/text's case folding for
// Cherokee (the only script where Fold is not idempotent), and that Key
// folds both cases of a Cherokee letter to one, as CaseFolding.txt does.
func TestFoldCherokee(t *testing.T) {
	fold := cases.Fold()
	if up, low := fold.String("Ꭰ"), fold.String("ꭰ"); up == low {
		t.Logf("x/text's Fold now folds Cherokee to one case (%q): the correction in referenceKey can go", up)
	}
	for _, s := range []string{"Ꭰ", "ꭰ"} {
		if k := Key(s); k != "Ꭰ" {
			t.Errorf("Key(%q) = %q, want %q", s, k, "Ꭰ")
		}
	}
}
