package interaction

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// found is an expected finding: its kind, the text it covers in the
// redacted output, and the digits left visible.
type found struct {
	kind  FindingKind
	mark  string
	last4 string
}

func TestRedactFinds(t *testing.T) {
	tests := []struct {
		name, in, out string
		want          []found
	}{
		// Social Security numbers.
		{"ssn dashed", "My SSN is 123-45-6789 thanks", "My SSN is ***-**-6789 thanks", []found{{FindingKindSSN, "***-**-6789", "6789"}}},
		{"ssn dashed, no keyword", "123-45-6789", "***-**-6789", []found{{FindingKindSSN, "***-**-6789", "6789"}}},
		{"ssn spaced", "it's 219 09 9999.", "it's *** ** 9999.", []found{{FindingKindSSN, "*** ** 9999", "9999"}}},
		{"ssn at sentence end, no space", "ssn 078-05-1120.Thanks", "ssn ***-**-1120.Thanks", []found{{FindingKindSSN, "***-**-1120", "1120"}}},
		{"ssn bare after SSN:", "SSN: 123456789", "SSN: *****6789", []found{{FindingKindSSN, "*****6789", "6789"}}},
		{"ssn bare after social security number", "my Social Security Number is 123456789", "my Social Security Number is *****6789", []found{{FindingKindSSN, "*****6789", "6789"}}},
		{"ssn bare after SS#", "SS# 123456789", "SS# *****6789", []found{{FindingKindSSN, "*****6789", "6789"}}},
		{"ssn on the next line", "ssn:\n123456789", "ssn:\n*****6789", []found{{FindingKindSSN, "*****6789", "6789"}}},
		{"ssn then a card", "123-45-6789 4111111111111111", "***-**-6789 ************1111",
			[]found{{FindingKindSSN, "***-**-6789", "6789"}, {FindingKindCard, "************1111", "1111"}}},
		{"ssn then a phone number", "SSN 123-45-6789 212-555-0123", "SSN ***-**-6789 212-555-0123", []found{{FindingKindSSN, "***-**-6789", "6789"}}},
		// Cards.
		{"visa spaced", "card 4111 1111 1111 1111 exp 12/27", "card **** **** **** 1111 exp 12/27", []found{{FindingKindCard, "**** **** **** 1111", "1111"}}},
		{"visa dashed", "4111-1111-1111-1111", "****-****-****-1111", []found{{FindingKindCard, "****-****-****-1111", "1111"}}},
		{"visa plain", "4111111111111111", "************1111", []found{{FindingKindCard, "************1111", "1111"}}},
		{"mastercard dashed", "use 5555-5555-5555-4444 please", "use ****-****-****-4444 please", []found{{FindingKindCard, "****-****-****-4444", "4444"}}},
		{"mastercard 2-series", "2223003122003222", "************3222", []found{{FindingKindCard, "************3222", "3222"}}},
		{"amex plain", "378282246310005", "***********0005", []found{{FindingKindCard, "***********0005", "0005"}}},
		{"amex 4-6-5", "Amex 3782 822463 10005", "Amex **** ****** *0005", []found{{FindingKindCard, "**** ****** *0005", "0005"}}},
		{"discover", "6011 1111 1111 1117", "**** **** **** 1117", []found{{FindingKindCard, "**** **** **** 1117", "1117"}}},
		{"jcb", "3530111333300000", "************0000", []found{{FindingKindCard, "************0000", "0000"}}},
		{"diners 14", "30569309025904", "**********5904", []found{{FindingKindCard, "**********5904", "5904"}}},
		{"visa 13", "4222222222222", "*********2222", []found{{FindingKindCard, "*********2222", "2222"}}},
		{"19 digits", "4111 1111 1111 1111 003", "**** **** **** ***1 003", []found{{FindingKindCard, "**** **** **** ***1 003", "1003"}}},
		{"card then security code", "4111111111111111 123", "************1111 123", []found{{FindingKindCard, "************1111", "1111"}}},
		{"card after a short number", "order 12 4111 1111 1111 1111", "order 12 **** **** **** 1111", []found{{FindingKindCard, "**** **** **** 1111", "1111"}}},
		{"card in parentheses", "(4111111111111111)", "(************1111)", []found{{FindingKindCard, "************1111", "1111"}}},
		{"two cards in a run", "4111 1111 1111 1111 5555 5555 5555 4444", "**** **** **** 1111 **** **** **** 4444",
			[]found{{FindingKindCard, "**** **** **** 1111", "1111"}, {FindingKindCard, "**** **** **** 4444", "4444"}}},
		{"card at the end of a long run", "1 2 3 4 5 6 7 8 9 1 2 3 4 4111 1111 1111 1111 5", "1 2 3 4 5 6 7 8 9 1 2 3 4 **** **** **** 1111 5",
			[]found{{FindingKindCard, "**** **** **** 1111", "1111"}}},
		{"cards all along a long run", strings.Repeat("4111 1111 1111 1111 ", 5) + "x", strings.Repeat("**** **** **** 1111 ", 5) + "x",
			slices.Repeat([]found{{FindingKindCard, "**** **** **** 1111", "1111"}}, 5)},
		// Bank numbers.
		{"routing", "routing 021000021", "routing *****0021", []found{{FindingKindRoutingNumber, "*****0021", "0021"}}},
		{"aba", "ABA: 011000015", "ABA: *****0015", []found{{FindingKindRoutingNumber, "*****0015", "0015"}}},
		{"routing number is", "Routing number is 122105155", "Routing number is *****5155", []found{{FindingKindRoutingNumber, "*****5155", "5155"}}},
		{"account short: masked whole", "account 12345678", "account ********", []found{{FindingKindBankAccount, "********", ""}}},
		{"account long", "acct # 000123456789", "acct # ********6789", []found{{FindingKindBankAccount, "********6789", "6789"}}},
		{"account no.", "Account No. 1234567", "Account No. *******", []found{{FindingKindBankAccount, "*******", ""}}},
		{"account number is", "my checking account number is 9876543210", "my checking account number is ******3210", []found{{FindingKindBankAccount, "******3210", "3210"}}},
		{"account, a phone-like number", "account 2125550123", "account ******0123", []found{{FindingKindBankAccount, "******0123", "0123"}}},
		{"routing and account", "routing 021000021 account 12345678", "routing *****0021 account ********",
			[]found{{FindingKindRoutingNumber, "*****0021", "0021"}, {FindingKindBankAccount, "********", ""}}},
		{"everything at once", "SSN 123-45-6789, card 4111111111111111, routing 021000021, acct 55554444",
			"SSN ***-**-6789, card ************1111, routing *****0021, acct ********",
			[]found{{FindingKindSSN, "***-**-6789", "6789"}, {FindingKindCard, "************1111", "1111"}, {FindingKindRoutingNumber, "*****0021", "0021"}, {FindingKindBankAccount, "********", ""}}},
		{"non-ASCII around", "né: 4111 1111 1111 1111 — merci", "né: **** **** **** 1111 — merci", []found{{FindingKindCard, "**** **** **** 1111", "1111"}}},
		// Typed the way people type on phones.
		{"card on two lines", "4111 1111\n1111 1111", "**** ****\n**** 1111", []found{{FindingKindCard, "**** ****\n**** 1111", "1111"}}},
		{"card, lines split with CR LF", "card:\r\n4111\r\n1111\r\n1111\r\n1111", "card:\r\n****\r\n****\r\n****\r\n1111", []found{{FindingKindCard, "****\r\n****\r\n****\r\n1111", "1111"}}},
		{"card, several spaces", "4111   1111   1111   1111", "****   ****   ****   1111", []found{{FindingKindCard, "****   ****   ****   1111", "1111"}}},
		{"card, tabs", "4111\t1111\t1111\t1111", "****\t****\t****\t1111", []found{{FindingKindCard, "****\t****\t****\t1111", "1111"}}},
		{"card, dots", "5555.5555.5555.4444", "****.****.****.4444", []found{{FindingKindCard, "****.****.****.4444", "4444"}}},
		{"card, no-break spaces", "4111\u00a01111\u00a01111\u00a01111", "****\u00a0****\u00a0****\u00a01111", []found{{FindingKindCard, "****\u00a0****\u00a0****\u00a01111", "1111"}}},
		{"card, en dashes", "4111\u20131111\u20131111\u20131111", "****\u2013****\u2013****\u20131111", []found{{FindingKindCard, "****\u2013****\u2013****\u20131111", "1111"}}},
		{"card, spaced dashes", "4111 - 1111 - 1111 - 1111", "**** - **** - **** - 1111", []found{{FindingKindCard, "**** - **** - **** - 1111", "1111"}}},
		{"card in curly quotes", "\u201c4111111111111111\u201d", "\u201c************1111\u201d", []found{{FindingKindCard, "************1111", "1111"}}},
		{"card between em dashes", "card\u20144111 1111 1111 1111\u2014thanks", "card\u2014**** **** **** 1111\u2014thanks", []found{{FindingKindCard, "**** **** **** 1111", "1111"}}},
		{"card after an ellipsis", "here\u20264111111111111111\u2026", "here\u2026************1111\u2026", []found{{FindingKindCard, "************1111", "1111"}}},
		{"card in bold", "*4111 1111 1111 1111*", "***** **** **** 1111*", []found{{FindingKindCard, "**** **** **** 1111", "1111"}}},
		{"card in double bold", "**4111111111111111**", "**************1111**", []found{{FindingKindCard, "************1111", "1111"}}},
		{"card in italics", "_4111111111111111_", "_************1111_", []found{{FindingKindCard, "************1111", "1111"}}},
		{"card struck through", "~4111111111111111~", "~************1111~", []found{{FindingKindCard, "************1111", "1111"}}},
		{"card after bold text", "a number *12* *4111111111111111*", "a number *12* *************1111*", []found{{FindingKindCard, "************1111", "1111"}}},
		{"card, bold, after another number", "call 212 *4111111111111111*", "call 212 *************1111*", []found{{FindingKindCard, "************1111", "1111"}}},
		{"card then expiry", "4111111111111111/12/27", "************1111/12/27", []found{{FindingKindCard, "************1111", "1111"}}},
		{"card then long expiry", "4111 1111 1111 1111/09/2028 cvv 123", "**** **** **** 1111/09/2028 cvv 123", []found{{FindingKindCard, "**** **** **** 1111", "1111"}}},
		{"card keyword, loose grouping", "card 41111 11111 11111 1", "card ***** ***** **111 1", []found{{FindingKindCard, "***** ***** **111 1", "1111"}}},
		{"tarjeta de crédito", "mi tarjeta de crédito es 411111 111111 1111", "mi tarjeta de crédito es ****** ****** 1111", []found{{FindingKindCard, "****** ****** 1111", "1111"}}},
		{"ssn spaced after keyword, extra spaces", "SSN  123  45  6789", "SSN  ***  **  6789", []found{{FindingKindSSN, "***  **  6789", "6789"}}},
		{"ssn dotted", "123.45.6789", "***.**.6789", []found{{FindingKindSSN, "***.**.6789", "6789"}}},
		{"ssn on a line of its own", "here:\n123 45 6789\n212 555 0123", "here:\n*** ** 6789\n212 555 0123", []found{{FindingKindSSN, "*** ** 6789", "6789"}}},
		{"ssn split after a dash", "123-45-\n6789", "***-**-\n6789", []found{{FindingKindSSN, "***-**-\n6789", "6789"}}},
		{"seguro social", "seguro social 123456789", "seguro social *****6789", []found{{FindingKindSSN, "*****6789", "6789"}}},
		{"número de seguro social", "Mi número de seguro social es: 123 456 789", "Mi número de seguro social es: *** **6 789", []found{{FindingKindSSN, "*** **6 789", "6789"}}},
		{"ssn bold after keyword", "Social: *123456789*", "Social: ******6789*", []found{{FindingKindSSN, "*****6789", "6789"}}},
		{"itin dashed", "my ITIN is 912-70-1234", "my ITIN is ***-**-1234", []found{{FindingKindSSN, "***-**-1234", "1234"}}},
		{"itin bare after keyword", "ITIN: 912701234", "ITIN: *****1234", []found{{FindingKindSSN, "*****1234", "1234"}}},
		{"account with dashes", "account 1234-5678-90", "account ****-**78-90", []found{{FindingKindBankAccount, "****-**78-90", "7890"}}},
		{"cuenta", "mi número de cuenta es 12345678", "mi número de cuenta es ********", []found{{FindingKindBankAccount, "********", ""}}},
		{"cuenta de cheques", "Cuenta de cheques: 000123456789", "Cuenta de cheques: ********6789", []found{{FindingKindBankAccount, "********6789", "6789"}}},
		{"cuenta Nº", "cuenta Nº12345678", "cuenta Nº********", []found{{FindingKindBankAccount, "********", ""}}},
		{"N° de cuenta", "N°1234567 de cuenta", "N°1234567 de cuenta", nil},
		{"número de ruta", "número de ruta 021000021", "número de ruta *****0021", []found{{FindingKindRoutingNumber, "*****0021", "0021"}}},
		{"routing transit number", "routing transit number: 021 000 021", "routing transit number: *** **0 021", []found{{FindingKindRoutingNumber, "*** **0 021", "0021"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, fs := Redact(tt.in)
			if out != tt.out {
				t.Fatalf("Redact(%q) = %q, want %q", tt.in, out, tt.out)
			}
			if len(fs) != len(tt.want) {
				t.Fatalf("got %d findings %+v, want %d", len(fs), fs, len(tt.want))
			}
			for k, w := range tt.want {
				f := fs[k]
				if f.Kind != w.kind || out[f.Start:f.End] != w.mark || f.Last4 != w.last4 || f.Field != "" {
					t.Errorf("finding %d: %+v covers %q, want %+v", k, f, out[f.Start:f.End], w)
				}
			}
			checkRedaction(t, tt.in, out, fs)
		})
	}
}

// checkRedaction checks the invariants of a redaction.
func checkRedaction(t *testing.T, in, out string, fs []Finding) {
	t.Helper()
	if len(out) != len(in) || utf8.RuneCountInString(out) != utf8.RuneCountInString(in) {
		t.Fatalf("length changed: %d bytes %d runes, was %d %d", len(out), utf8.RuneCountInString(out), len(in), utf8.RuneCountInString(in))
	}
	if utf8.ValidString(in) && !utf8.ValidString(out) {
		t.Fatal("redaction broke UTF-8")
	}
	for k := 0; k < len(in); k++ {
		if in[k] != out[k] && !(isDigit(in[k]) && out[k] == '*') {
			t.Fatalf("byte %d changed from %q to %q", k, in[k], out[k])
		}
	}
	end := 0
	for _, f := range fs {
		if f.Start < end || f.End <= f.Start || f.End > len(out) || !f.Kind.Known() {
			t.Fatalf("bad finding %+v", f)
		}
		end = f.End
		if f.Last4 != "" && (len(f.Last4) != 4 || !strings.HasSuffix(digitsOf(in[f.Start:f.End]), f.Last4)) {
			t.Fatalf("last4 %q of %+v", f.Last4, f)
		}
		if shown := digitsOf(out[f.Start:f.End]); shown != f.Last4 {
			t.Fatalf("finding %+v shows digits %q", f, shown)
		}
	}
	// Changed bytes lie inside findings.
	inside := make([]bool, len(in))
	for _, f := range fs {
		for k := f.Start; k < f.End; k++ {
			inside[k] = true
		}
	}
	for k := 0; k < len(in); k++ {
		if in[k] != out[k] && !inside[k] {
			t.Fatalf("byte %d changed outside every finding", k)
		}
	}
	if again, more := Redact(out); again != out || len(more) != 0 {
		t.Fatalf("redacting the redacted text found %+v: %q", more, again)
	}
}

func digitsOf(s string) string {
	var b strings.Builder
	for k := 0; k < len(s); k++ {
		if isDigit(s[k]) {
			b.WriteByte(s[k])
		}
	}
	return b.String()
}

// The corpora of numbers that are not sensitive: nothing may be found in
// them.
var notSensitive = map[string][]string{
	"VINs": {
		"1HGCM82633A004352", "JH4KA7650MC000000", "5YJ3E1EA7KF317000", "WBA3A5C55CF256985", "1FTFW1ET5DFC10312",
		"VIN: 2T1BURHE0JC123456", "vin 3VWFE21C04M000001 in stock", "1G1ZT53826F109149",
	},
	"phone numbers": {
		"+1 (212) 555-0123", "212-555-0123", "2125550123", "(212) 555-0123", "212.555.0123", "1-212-555-0123",
		"+12125550123", "212 555 0123", "+44 20 7946 0958", "555-0123", "call 212-555-0123 ext. 456", "12125550123",
		"212-555-0123 / 212-555-0199", "212 555 0123 212 555 0124", "1 212 555 0123 or 1 212 555 0124",
		"text me at 212-555-0123 about my account", "my cell 2125550123 and work 2125550199",
		"account manager at 2125550123", "your account rep: (212) 555-0123",
	},
	"dates": {
		"2026-11-22", "11/22/2026", "22.11.2026", "Nov 22, 2026", "20261122", "2026/11/22", "11-22-2026",
		"on 2026-11-22 at 10:30", "2026-11-22T10:30:00Z", "from 11/22/2026 to 12/01/2026",
	},
	"ZIP codes":     {"10001", "10001-1234", "New York, NY 10001", "NY 10001-1234", "zip 94105-1804"},
	"stock numbers": {"stock #A12345", "STK 123456", "Stock# 48213", "stk#P1234567", "stock 123456789", "STK-123456789"},
	"prices":        {"$32,499", "32499.00", "$32,499.99", "$1,234,567", "1234567.89", "$ 32499", "$4111111111111111", "0% APR for 72 months"},
	"mileages":      {"81,234 miles", "81234 mi", "odometer 123,456", "123456 km"},
	"invalid SSNs": {
		"000-12-3456", "666-12-3456", "900-12-3456", "987-45-4320", "912-69-1234", "912-93-1234", "123-00-4567", "123-45-0000",
		"ssn 000123456", "SSN 666123456", "ssn: 123004567", "123-45-67890", "1123-45-6789", "123-45-6789-0",
		"123-45 6789", "123456789", "1 123 45 6789", "212-123-45-6789", "123-45-6789-12 34",
	},
	"card-like": {
		"4111 1111 1111 1112", "7111111111111114", "4111 1111 1111 111", "4111-1111 1111-1111", "41111 11111 11111 1",
		"41111111111111111111", "4111111111111111a", "x4111111111111111", "4111111111111111@example.com",
		"4111111111111111.50", "3.4111111111111111",
		"2023 2024 2025 2026", "2015\n2016\n2017\n2018", "models 2029 2030 2031 2032", "3100 0000 0000 0003", "1234 5678 9012 3452",
	},
	"bank-like": {
		"routing 123456789", "021000021", "12345678", "routing 02100002", "account 12345", "account 123456789012345678",
		"acct manager 12345678", "account balance 1234567", "routing: 131000021",
		"ACC 12345678", "ACC, lane keep assist: 12345678", "acc 1234567890", "cuenta con 12345678 millas",
	},
	"typed like on phones": {
		"212.555.0123", "212\u00a0555\u00a00123", "\u201c212-555-0123\u201d", "*212-555-0123*", "_2125550123_",
		"212  555  0123", "212\n555\n0123", "2026.11.22", "22.11.2026", "22/11/2026", "$32.499", "81.234 millas",
		"\u20ac4111111111111111", "n\u00b0 4111111111111112", "4111111111111111.50", "4111111111111111-123-45",
		"10001\n1234", "C.P. 28001", "12/27", "1HGCM82633A004352/12/27", "123-45-6789/2",
	},
	"ids": {"order 123456789", "ticket #1234567890123", "ref A-12345678", "tracking 1Z999AA10123456784", "10:30", "v1.2.3"},
}

func TestRedactNoFalsePositives(t *testing.T) {
	for corpus, texts := range notSensitive {
		for _, s := range texts {
			t.Run(corpus+"/"+s, func(t *testing.T) {
				out, fs := Redact(s)
				if out != s || len(fs) != 0 {
					t.Fatalf("Redact(%q) = %q, %+v", s, out, fs)
				}
				// Inside a sentence too.
				in := "Hi, " + s + " - thanks!"
				if out, fs := Redact(in); out != in || len(fs) != 0 {
					t.Fatalf("Redact(%q) = %q, %+v", in, out, fs)
				}
			})
		}
	}
}

func TestRedactKeepsTextWithoutFindings(t *testing.T) {
	for _, s := range benchmarkMessages {
		if out, fs := Redact(s); out != s || fs != nil {
			if !strings.Contains(s, "4111") && !strings.Contains(s, "SSN") && !strings.Contains(s, "routing") {
				t.Errorf("Redact(%q) = %q, %+v", s, out, fs)
			}
		}
	}
	s := "Hi Jane, the 2024 Civic EX (stock #A12345) is $32,499. Call 212-555-0123."
	if n := testing.AllocsPerRun(100, func() { Redact(s) }); n != 0 {
		t.Errorf("Redact allocates %v times on text with nothing to redact", n)
	}
}

func TestInteractionRedact(t *testing.T) {
	i := message(t)
	i.Findings = nil
	i.Subject = "SSN 123-45-6789"
	i.Body = "card 4111 1111 1111 1111 and acct 12345678"
	fs := i.Redact()
	if i.Subject != "SSN ***-**-6789" || i.Body != "card **** **** **** 1111 and acct ********" {
		t.Fatalf("%q %q", i.Subject, i.Body)
	}
	if len(fs) != 3 || len(i.Findings) != 3 || fs[0].Field != FindingFieldSubject || fs[1].Field != FindingFieldBody || fs[2].Field != FindingFieldBody {
		t.Fatalf("%+v", i.Findings)
	}
	if err := i.Validate(); err != nil {
		t.Fatal(err)
	}
	if again := i.Redact(); len(again) != 0 || len(i.Findings) != 3 {
		t.Fatalf("second redaction found %+v", again)
	}
	var none Interaction
	if fs := none.Redact(); fs != nil || none.Findings != nil {
		t.Fatal("found something in nothing")
	}
}

// TestRedactProperties checks the invariants of Redact on texts built from
// sensitive numbers, look-alikes, keywords and punctuation, joined at
// random.
func TestRedactProperties(t *testing.T) {
	tokens := []string{
		"4111 1111 1111 1111", "4111111111111111", "5555-5555-5555-4444", "378282246310005", "3782 822463 10005",
		"123-45-6789", "219 09 9999", "123456789", "021000021", "12345678", "000123456789", "666-12-3456",
		"212-555-0123", "(212) 555-0123", "+1 212 555 0123", "10001-1234", "2026-11-22", "11/22/2026", "$32,499",
		"81,234", "1HGCM82633A004352", "STK 123456", "***-**-6789", "**** 1111",
		"SSN", "ssn:", "SS#", "social security number", "routing", "ABA", "account", "acct #", "number is", "no.",
		"the", "card", "call", "and", "é", "—", " ", " ", "  ", "-", ",", ".", ":", "#", "\n", "1", "22", "333", "4444",
		"*", "**", "_", "~", "\t", "\u00a0", "\u201c", "\u201d", "\u2026", "\u2013", "/12/27", "/09/2028", "912-70-1234",
		"cuenta", "número de ruta", "seguro social", "tarjeta", "ITIN", "ACC", "4111.1111.1111.1111", "4111\n1111",
	}
	rng := rand.New(rand.NewPCG(3, 4))
	total := 0
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(24) {
			b.WriteString(tokens[rng.IntN(len(tokens))])
			if rng.IntN(3) > 0 {
				b.WriteByte(' ')
			}
		}
		in := b.String()
		out, fs := Redact(in)
		checkRedaction(t, in, out, fs)
		total += len(fs)
	}
	if total < 1000 {
		t.Fatalf("only %d findings: the generator misses cases", total)
	}
}
