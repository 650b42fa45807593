package interaction

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// corpusMessage is one labelled message of testdata/redact/corpus.jsonl: a
// dealership text in English or Spanish, the category it was written for
// (a finding kind, "mixed", or a kind of number that is not sensitive:
// "phone", "vin", "date", "zip", "stock", "price", "mileage", "other"),
// and the sensitive numbers it holds, by kind and digits.
type corpusMessage struct {
	Lang     string        `json:"lang"`
	Category string        `json:"category"`
	Text     string        `json:"text"`
	Want     []corpusLabel `json:"want"`
}

// corpusLabel is a sensitive number of a corpus message.
type corpusLabel struct {
	Kind   FindingKind `json:"kind"`
	Digits string      `json:"digits"`
}

func loadRedactCorpus(t testing.TB) []corpusMessage {
	t.Helper()
	f, err := os.Open("testdata/redact/corpus.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var msgs []corpusMessage
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		var m corpusMessage
		dec := json.NewDecoder(strings.NewReader(sc.Text()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&m); err != nil {
			t.Fatalf("corpus line %d: %v", line, err)
		}
		msgs = append(msgs, m)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return msgs
}

// The label checks below are written apart from the code under test, so
// that a wrong label cannot agree with a wrong rule.

// labelLuhn reports whether a card number passes the Luhn check, from the
// leftmost digit: every second digit counted from the right is doubled.
func labelLuhn(d string) bool {
	sum := 0
	parity := len(d) % 2
	for i, c := range d {
		v := int(c - '0')
		if i%2 == parity {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	return sum%10 == 0
}

// labelCard: 13–19 digits, an issuer prefix of a payment network (Mir
// 2200–2204, Mastercard 2221–2720 and 5, Diners 30 and 36–39, Amex 34 and 37,
// JCB 35, Visa 4, Discover/UnionPay/Maestro 6), Luhn.
func labelCard(d string) bool {
	if len(d) < 13 || len(d) > 19 || !labelLuhn(d) {
		return false
	}
	p4, _ := strconv.Atoi(d[:4])
	p2 := p4 / 100
	return (p4 >= 2200 && p4 <= 2204) || (p4 >= 2221 && p4 <= 2720) ||
		p2 == 30 || (p2 >= 34 && p2 <= 39) || (d[0] >= '4' && d[0] <= '6')
}

// labelABA: nine digits, a Federal Reserve routing symbol prefix and the
// checksum with weights 3, 7, 1.
func labelABA(d string) bool {
	if len(d) != 9 {
		return false
	}
	prefix, _ := strconv.Atoi(d[:2])
	okPrefix := prefix <= 12 || (prefix >= 21 && prefix <= 32) || (prefix >= 61 && prefix <= 72) || prefix == 80
	weights := []int{3, 7, 1, 3, 7, 1, 3, 7, 1}
	sum := 0
	for i := range 9 {
		sum += weights[i] * int(d[i]-'0')
	}
	return okPrefix && sum%10 == 0 && d != "000000000"
}

// labelSSNOrITIN: nine digits, an SSN the SSA could issue (area not 000,
// 666 or 9xx; group not 00; serial not 0000) or an ITIN (9xx, group in
// 50–65, 70–88, 90–92, 94–99).
func labelSSNOrITIN(d string) bool {
	if len(d) != 9 {
		return false
	}
	area, _ := strconv.Atoi(d[:3])
	grp, _ := strconv.Atoi(d[3:5])
	serial, _ := strconv.Atoi(d[5:])
	if area >= 900 {
		return (grp >= 50 && grp <= 65) || (grp >= 70 && grp <= 88) || (grp >= 90 && grp <= 92) || grp >= 94
	}
	return area != 0 && area != 666 && grp != 0 && serial != 0
}

func onlyDigits(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c >= '0' && c <= '9' {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// checkLabel reports why a label is wrong, or "".
func checkLabel(m corpusMessage, kind FindingKind, digits string) string {
	if onlyDigits(digits) != digits || digits == "" {
		return "digits are not all digits"
	}
	if !strings.Contains(onlyDigits(m.Text), digits) {
		return "digits do not occur in the text"
	}
	switch kind {
	case FindingKindCard:
		if !labelCard(digits) {
			return "not a card number (length, network prefix, Luhn)"
		}
	case FindingKindRoutingNumber:
		if !labelABA(digits) {
			return "not a routing number (prefix, ABA checksum)"
		}
	case FindingKindSSN:
		if !labelSSNOrITIN(digits) {
			return "not a valid SSN or ITIN"
		}
	case FindingKindBankAccount:
		if len(digits) < 6 || len(digits) > 17 {
			return "an account number has 6 to 17 digits"
		}
	default:
		return "unknown kind"
	}
	return ""
}

// corpusScore counts, for one finding kind and language, the labelled
// numbers found (tp) and missed (fn) and the findings no label asked for
// (fp).
type corpusScore struct{ tp, fn, fp int }

func (s corpusScore) recall() float64 {
	if s.tp+s.fn == 0 {
		return 1
	}
	return float64(s.tp) / float64(s.tp+s.fn)
}

func (s corpusScore) precision() float64 {
	if s.tp+s.fp == 0 {
		return 1
	}
	return float64(s.tp) / float64(s.tp+s.fp)
}

// Floors the corpus test holds Redact to, per finding kind and language.
// Every labelled positive must be found (recall 1.0) and every finding
// must be labelled (precision 1.0); lowering a floor needs a reason in
// BENCHMARKS.md.
const (
	corpusRecallFloor    = 1.0
	corpusPrecisionFloor = 1.0
)

// TestRedactCorpus runs Redact over the labelled corpus and checks recall
// and precision per finding kind and language, and that messages written
// around numbers that are not sensitive (phones, VINs, dates, ZIP codes,
// stock numbers, prices, mileages) yield nothing. Run it with -v to print
// the table in BENCHMARKS.md.
func TestRedactCorpus(t *testing.T) {
	msgs := loadRedactCorpus(t)
	if len(msgs) < 300 {
		t.Fatalf("corpus has %d messages, want at least 300", len(msgs))
	}
	type key struct {
		kind FindingKind
		lang string
	}
	scores := make(map[key]*corpusScore)
	score := func(k FindingKind, lang string) *corpusScore {
		if scores[key{k, lang}] == nil {
			scores[key{k, lang}] = &corpusScore{}
		}
		return scores[key{k, lang}]
	}
	negatives := make(map[string]int) // category/lang → messages with no label
	langs := make(map[string]int)
	for n, m := range msgs {
		if m.Lang != "en" && m.Lang != "es" {
			t.Fatalf("message %d: language %q", n+1, m.Lang)
		}
		langs[m.Lang]++
		for _, w := range m.Want {
			if why := checkLabel(m, w.Kind, w.Digits); why != "" {
				t.Fatalf("message %d %q: label %s %s: %s", n+1, m.Text, w.Kind, w.Digits, why)
			}
		}
		if len(m.Want) == 0 {
			negatives[m.Category+"/"+m.Lang]++
		}
		out, fs := Redact(m.Text)
		checkRedaction(t, m.Text, out, fs)
		matched := make([]bool, len(m.Want))
		for _, f := range fs {
			got := onlyDigits(m.Text[f.Start:f.End])
			k := slices.IndexFunc(m.Want, func(w corpusLabel) bool { return w.Kind == f.Kind && w.Digits == got })
			if k >= 0 && !matched[k] {
				matched[k] = true
				score(f.Kind, m.Lang).tp++
				continue
			}
			score(f.Kind, m.Lang).fp++
			t.Errorf("message %d (%s, %s): unlabelled %s finding %q in %q", n+1, m.Lang, m.Category, f.Kind, out[f.Start:f.End], m.Text)
		}
		for k, w := range m.Want {
			if !matched[k] {
				score(w.Kind, m.Lang).fn++
				t.Errorf("message %d (%s): missed %s in %q, redacted to %q", n+1, m.Lang, w.Kind, m.Text, out)
			}
		}
	}
	if langs["en"] < 100 || langs["es"] < 100 {
		t.Errorf("languages %v: want at least 100 messages in each", langs)
	}
	var rows []string
	for k, s := range scores {
		rows = append(rows, fmt.Sprintf("| %s | %s | %d | %d | %d | %.3f | %.3f |", k.kind, k.lang, s.tp+s.fn, s.tp, s.fp, s.recall(), s.precision()))
		if s.recall() < corpusRecallFloor || s.precision() < corpusPrecisionFloor {
			t.Errorf("%s/%s: recall %.3f, precision %.3f; floors %.2f, %.2f", k.kind, k.lang, s.recall(), s.precision(), corpusRecallFloor, corpusPrecisionFloor)
		}
	}
	for _, kind := range FindingKinds() {
		for _, lang := range []string{"en", "es"} {
			if s := scores[key{kind, lang}]; s == nil || s.tp+s.fn < 5 {
				t.Errorf("%s/%s: fewer than 5 labelled numbers in the corpus", kind, lang)
			}
		}
	}
	slices.Sort(rows)
	t.Logf("%d messages (%d en, %d es), %d without sensitive numbers %v", len(msgs), langs["en"], langs["es"], sumValues(negatives), negatives)
	t.Log("\n| kind | lang | labelled | found | false positives | recall | precision |\n|---|---|---:|---:|---:|---:|---:|\n" + strings.Join(rows, "\n"))
}

func sumValues(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
