package consent

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"testing"
)

// reply is one labelled line of testdata/replies.tsv.
type reply struct {
	lang, text string
	label      Signal
	line       int
}

// maxCorpusLine bounds a line of the corpus file.
const maxCorpusLine = 4096

func readCorpus(t *testing.T) []reply {
	t.Helper()
	f, err := os.Open("testdata/replies.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []reply
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, maxCorpusLine), maxCorpusLine)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) != 3 {
			t.Fatalf("replies.tsv:%d: %d columns; want 3", n, len(cols))
		}
		label := Signal(cols[1])
		if cols[1] == "none" {
			label = SignalNone
		} else if !label.Known() {
			t.Fatalf("replies.tsv:%d: unknown label %q", n, cols[1])
		}
		out = append(out, reply{lang: cols[0], label: label, text: cols[2], line: n})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// score is a precision and recall count for one label.
type score struct{ tp, fp, fn int }

func (s score) precision() float64 {
	if s.tp+s.fp == 0 {
		return 1
	}
	return float64(s.tp) / float64(s.tp+s.fp)
}

func (s score) recall() float64 {
	if s.tp+s.fn == 0 {
		return 1
	}
	return float64(s.tp) / float64(s.tp+s.fn)
}

func labelName(s Signal) string {
	if s == SignalNone {
		return "none"
	}
	return string(s)
}

// revokes reports whether a signal withdraws consent under the default
// policy: an opt-out or a revocation request.
func revokes(s Signal) bool { return s == SignalOptOut || s == SignalRevocationRequest }

// TestClassifyCorpus measures Classify on the labelled corpus of replies in
// testdata/replies.tsv (English, Spanish, French): precision and recall per
// language and label, and for "revokes" (opt-out or revocation request,
// what the default policy treats as a withdrawal, 47 CFR 64.1200(a)(10)).
// It fails below the floors; run it with -v for the table in
// BENCHMARKS.md.
func TestClassifyCorpus(t *testing.T) {
	corpus := readCorpus(t)
	if len(corpus) < 300 {
		t.Fatalf("corpus has %d replies; want at least 300", len(corpus))
	}
	type key struct{ lang, label string }
	scores := map[key]*score{}
	get := func(k key) *score {
		if scores[k] == nil {
			scores[k] = &score{}
		}
		return scores[k]
	}
	langs := map[string]int{}
	for _, r := range corpus {
		langs[r.lang]++
		got := Classify(r.text)
		if got != r.label {
			t.Logf("replies.tsv:%d %s %q: got %s, want %s", r.line, r.lang, r.text, labelName(got), labelName(r.label))
		}
		for _, lang := range []string{r.lang, "all"} {
			if got == r.label {
				get(key{lang, labelName(got)}).tp++
			} else {
				get(key{lang, labelName(got)}).fp++
				get(key{lang, labelName(r.label)}).fn++
			}
			switch g, w := revokes(got), revokes(r.label); {
			case g && w:
				get(key{lang, "revokes"}).tp++
			case g:
				get(key{lang, "revokes"}).fp++
			case w:
				get(key{lang, "revokes"}).fn++
			}
		}
	}
	// Floors: what the corpus shows Classify does today, so that a change
	// that makes it worse fails.
	floors := map[string][2]float64{ // label → {precision, recall}
		"revokes":            {0.97, 0.97},
		"opt_out":            {0.95, 0.97},
		"revocation_request": {0.90, 0.90},
		"review":             {0.85, 0.80},
		"none":               {0.90, 0.95},
	}
	labels := []string{"revokes", "opt_out", "revocation_request", "review", "opt_in", "help", "none"}
	var rows []string
	for _, lang := range []string{"en", "es", "fr", "all"} {
		for _, label := range labels {
			s, ok := scores[key{lang, label}]
			if !ok {
				continue
			}
			n := s.tp + s.fn
			rows = append(rows, fmt.Sprintf("| %s | %s | %d | %.3f | %.3f |", lang, label, n, s.precision(), s.recall()))
			if f, ok := floors[label]; ok && n > 0 && (s.precision() < f[0] || s.recall() < f[1]) {
				t.Errorf("%s %s: precision %.3f recall %.3f; floors %.2f %.2f", lang, label, s.precision(), s.recall(), f[0], f[1])
			}
		}
	}
	t.Logf("corpus: %d replies (%v)\n| language | label | replies | precision | recall |\n|---|---|---|---|---|\n%s",
		len(corpus), langs, strings.Join(rows, "\n"))
	for _, lang := range []string{"en", "es", "fr"} {
		if langs[lang] < 60 {
			t.Errorf("%s: %d replies; want at least 60", lang, langs[lang])
		}
	}
}

// TestClassifyPerSe requires recall 1.0 on the FCC's per-se revocation words
// (47 CFR 64.1200(a)(10): stop, quit, end, revoke, opt out, cancel,
// unsubscribe), and on the Spanish and French commands, alone and with the
// filler words the issue names ("now", "please", "ok", "it", "all texts",
// a trailing question).
func TestClassifyPerSe(t *testing.T) {
	words := map[string][]string{
		"en": {"stop", "quit", "end", "revoke", "opt out", "opt-out", "cancel", "unsubscribe"},
		"es": {"no más", "alto", "baja", "cancelar", "basta", "para"},
		"fr": {"arrêt", "arrête", "arrêtez", "stop", "désabonner"},
	}
	patterns := map[string][]string{
		"en": {"%s", "%s now", "%s please", "please %s", "ok %s", "OK, %s.", "%s it", "%s all texts", "%s?", "%s. Who is this?",
			"%s now please!", "%s!!", "Please %s now", "%s it please", "%s. thank you", "ok %s all texts now"},
		"es": {"%s", "%s por favor", "ya %s", "%s, gracias", "%s ya", "%s. ¿Quién es?", "¡%s!", "%s todos los mensajes"},
		"fr": {"%s", "%s svp", "%s merci", "%s s'il vous plaît", "%s maintenant", "%s. Qui est-ce?", "%s tout"},
	}
	for lang, ws := range words {
		for _, w := range ws {
			for _, p := range patterns[lang] {
				for _, text := range []string{fmt.Sprintf(p, w), strings.ToUpper(fmt.Sprintf(p, w))} {
					if got := Classify(text); got != SignalOptOut {
						t.Errorf("47 CFR 64.1200(a)(10) per se (%s): Classify(%q) = %q; want opt_out", lang, text, got)
					}
				}
			}
		}
	}
	// The corpus's per-se lines too.
	for _, r := range readCorpus(t) {
		if r.label == SignalOptOut && Classify(r.text) != SignalOptOut {
			t.Errorf("replies.tsv:%d: per-se %q not an opt-out", r.line, r.text)
		}
	}
}
