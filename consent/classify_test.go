package consent

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		rule string
		text string
		want Signal
	}{
		// Opt-out keywords, whole message.
		{"FCC per se: stop", "STOP", SignalOptOut},
		{"FCC per se: quit", "quit", SignalOptOut},
		{"FCC per se: end", "End", SignalOptOut},
		{"FCC per se: revoke", "REVOKE", SignalOptOut},
		{"FCC per se: opt out", "opt out", SignalOptOut},
		{"FCC per se: cancel", "Cancel", SignalOptOut},
		{"FCC per se: unsubscribe", "UNSUBSCRIBE", SignalOptOut},
		{"Twilio: stopall", "STOPALL", SignalOptOut},
		{"Telnyx: stop all", "Stop all", SignalOptOut},
		{"Twilio 2025: optout", "OPTOUT", SignalOptOut},
		{"AWS: opt-out with a hyphen", "OPT-OUT", SignalOptOut},
		{"AWS: remove", "remove", SignalOptOut},
		{"AWS (Canadian French): arret", "ARRET", SignalOptOut},
		{"Canadian French: arrêt with its accent", "Arrêt", SignalOptOut},
		{"Canadian French: td", "TD", SignalOptOut},
		{"Twilio Proxy: arrete", "arrête", SignalOptOut},
		{"surrounding punctuation: Stop.", "Stop.", SignalOptOut},
		{"surrounding punctuation: STOP!!", "STOP!!", SignalOptOut},
		{"surrounding space", " stop ", SignalOptOut},
		{"surrounding quotes and newlines", "\n\"Stop\"\r\n", SignalOptOut},
		{"an emoji after the keyword", "STOP 🛑", SignalOptOut},
		{"full-width letters fold", "ＳＴＯＰ", SignalOptOut},
		{"inner spaces collapse", "stop   all", SignalOptOut},
		{"opt_out with an underscore", "opt_out", SignalOptOut},

		// Politeness.
		{"research (p2pu #593): 'Stop. Thank you' is an opt-out", "Stop. Thank you", SignalOptOut},
		{"a keyword with please", "STOP please", SignalOptOut},
		{"please before the keyword", "Please unsubscribe.", SignalOptOut},
		{"French politeness", "Arrêt, merci", SignalOptOut},
		{"French politeness in several words", "arrêt s'il vous plaît", SignalOptOut},
		{"a repeated keyword", "stop stop STOP", SignalOptOut},
		{"an opt-out with an opt-in keyword is still an opt-out", "yes stop", SignalOptOut},
		{"politeness alone is nothing", "thank you", SignalNone},

		// Numbers.
		{"research (cht-core #476): 'STOP 12345' is not the bare keyword, but reads as a request to stop", "STOP 12345", SignalRevocationRequest},
		{"a number alone is nothing", "12345", SignalNone},
		{"help with a number is not help", "help 2", SignalNone},

		// Opt-in.
		{"Twilio opt-in: start", "START", SignalOptIn},
		{"Twilio opt-in: unstop", "unstop", SignalOptIn},
		{"Twilio opt-in: yes", "Yes!", SignalOptIn},
		{"only an exact opt-in keyword opts in: not 'yes please'", "yes please", SignalNone},
		{"only an exact opt-in keyword opts in: not 'start again'", "start again", SignalNone},
		{"only an exact opt-in keyword opts in: not two of them", "yes yes", SignalNone},
		{"no other inbound message opts in", "Sounds good, see you Saturday", SignalNone},

		// Help.
		{"CTIA: help", "HELP", SignalHelp},
		{"CTIA: info", "info?", SignalHelp},
		{"help with please", "help please", SignalHelp},
		{"help with an opt-in keyword is nothing", "help start", SignalNone},

		// Never a word inside a sentence.
		{"never a substring: stop by tomorrow", "I'll stop by tomorrow", SignalNone},
		{"never a substring: stop by", "stop by tomorrow", SignalNone},
		{"never a substring: weekend", "I'll come in this weekend", SignalNone},
		{"never a word in a sentence: cancel my appointment", "can you cancel my appointment?", SignalNone},
		{"never a word in a sentence: the end of the month", "the end of the month works", SignalNone},
		{"never a word in a sentence: a friend", "my friend wants a quote", SignalNone},
		{"never a word in a sentence: Spoke #1016", "We have got to STOP this terrible bill", SignalNone},
		{"never a word in a sentence: stop at the store", "I'll stop by the store at the end of the day", SignalNone},
		{"never a word in a sentence: remove the mats", "can you remove the floor mats", SignalNone},
		{"a keyword inside a word: stopping", "stopping", SignalNone},
		{"empty", "", SignalNone},
		{"punctuation only", "?!…", SignalNone},

		// Natural-language revocations.
		{"FCC reasonable means: please stop texting me", "please stop texting me", SignalRevocationRequest},
		{"FCC reasonable means: take me off your list", "Take me off your list!", SignalRevocationRequest},
		{"FCC reasonable means: no more texts", "no more texts", SignalRevocationRequest},
		{"FCC reasonable means: don't text me again", "Don't text me again", SignalRevocationRequest},
		{"FCC reasonable means: a curly apostrophe", "don’t text me again", SignalRevocationRequest},
		{"FCC reasonable means: stop messaging me", "stop messaging me", SignalRevocationRequest},
		{"FCC per se: unsubscribe with a filler word", "unsubscribe me", SignalOptOut},
		{"FCC reasonable means: remove me from your list", "Please remove me from your list, thanks", SignalRevocationRequest},
		{"FCC reasonable means: leave me alone", "leave me alone", SignalRevocationRequest},
		{"FCC reasonable means: inside a longer message", "I already bought a car, please stop texting me", SignalRevocationRequest},
		{"FCC reasonable means: a do-not-call request", "put me on your do not call list", SignalRevocationRequest},
		{"a reassigned number: wrong number", "Wrong number", SignalRevocationRequest},
		{"a negated phrase is not a request", "please don't stop texting me, I like the updates", SignalNone},
		{"a phrase needs its whole words: stop texts is not 'stop texting'", "stop textingg", SignalNone},
		{"take me off the schedule is not a revocation", "take me off the schedule for tomorrow", SignalNone},

		// 47 CFR 64.1200(a)(10): per-se words as a reply command, with fillers.
		{"FCC per se with fillers: stop now", "Stop now", SignalOptOut},
		{"FCC per se with fillers: ok stop it", "ok, stop it", SignalOptOut},
		{"FCC per se with fillers: cancel all texts", "cancel all texts", SignalOptOut},
		{"FCC per se with a trailing question", "STOP. Who is this?", SignalOptOut},
		{"FCC per se as a question", "end?", SignalOptOut},
		{"a negated command is not one", "don't stop", SignalNone},
		{"an email subject: RE: STOP", "RE: STOP", SignalOptOut},
		{"an email subject: Re: cancel my appointment", "Re: cancel my appointment", SignalNone},
		{"a command in one sentence, a statement in another", "Cancel, I'll reschedule next week", SignalNone},

		// Questions and statements that merely contain the word.
		{"a question about the past is not a revocation", "Why did you stop texting me?", SignalNone},
		{"a rhetorical question is one", "why won't you stop texting me?", SignalRevocationRequest},
		{"stop by at 3", "stop by at 3", SignalNone},

		// Restrictions are for staff (SignalReview), never a blanket opt-out.
		{"restriction: don't call before noon", "don't call before noon", SignalReview},
		{"restriction: a revocation phrase with a qualifier", "stop texting me after 9pm", SignalReview},
		{"restriction: a limiter", "only text me about service", SignalReview},
		{"restriction: a preference", "text me instead", SignalReview},
		{"a plain revocation in another sentence wins", "Stop texting me. Only call about service", SignalRevocationRequest},
		{"an explicit per-se command wins over a restriction", "STOP. don't call before noon", SignalOptOut},
		{"don't text me at all is a revocation, not a restriction", "don't text me at all", SignalRevocationRequest},
		{"a qualifier far from the phrase does not restrict it", "please stop texting me, I'm tired of hearing about cars", SignalRevocationRequest},

		// Spanish.
		{"Spanish: no más", "No más", SignalOptOut},
		{"Spanish: alto por favor", "Alto por favor", SignalOptOut},
		{"Spanish: baja", "BAJA", SignalOptOut},
		{"Spanish: cancelar", "cancelar", SignalOptOut},
		{"Spanish: no me envíes más mensajes", "no me envíes más mensajes", SignalRevocationRequest},
		{"Spanish: para is a word too", "Para mañana a las 3", SignalNone},
		{"Spanish: cancelar mi cita", "Quiero cancelar mi cita", SignalNone},
		{"Spanish: a question about the past", "¿Por qué dejaron de enviarme mensajes?", SignalNone},
		{"Spanish: a restriction", "No me llamen antes de las 10", SignalReview},

		// French.
		{"French: arrêtez de m'envoyer", "Arrêtez de m'envoyer des messages", SignalRevocationRequest},
		{"French: a negated phrase", "N'arrêtez pas de m'envoyer les offres", SignalNone},
		{"French: annuler mon rendez-vous", "Je veux annuler mon rendez-vous", SignalNone},
		{"French: a restriction", "Ne m'appelez pas avant midi", SignalReview},
	}
	for _, tt := range tests {
		if got := Classify(tt.text); got != tt.want {
			t.Errorf("%s: Classify(%q) = %q; want %q", tt.rule, tt.text, got, tt.want)
		}
	}
}

func TestNewClassifier(t *testing.T) {
	c, err := NewClassifier(Keywords{
		Language:   "pt",
		OptOut:     []string{"PARE", "SAIR", "chega já"},
		OptIn:      []string{"VOLTAR"},
		Help:       []string{"AJUDA"},
		Revocation: []string{"não me mande", "não quero mensagens"},
		Polite:     []string{"por favor", "obrigado"},
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		rule string
		text string
		want Signal
	}{
		{"configurable words: an extra opt-out keyword", "Pare", SignalOptOut},
		{"configurable words: several words", "Chega já!", SignalOptOut},
		{"configurable words: extra politeness", "sair, obrigado", SignalOptOut},
		{"configurable words: an extra opt-in keyword", "VOLTAR", SignalOptIn},
		{"configurable words: an extra help keyword", "ajuda por favor", SignalHelp},
		{"configurable words: an extra phrase", "Por favor não me mande mais nada", SignalRevocationRequest},
		{"the defaults stay", "STOP", SignalOptOut},
		{"the defaults stay: Spanish", "alto", SignalOptOut},
		{"the default classifier does not know them", "pare", SignalNone},
	}
	for _, tt := range tests {
		cl := c
		if strings.HasPrefix(tt.rule, "the default") {
			cl = DefaultClassifier()
		}
		if got := cl.Classify(tt.text); got != tt.want {
			t.Errorf("%s: Classify(%q) = %q; want %q", tt.rule, tt.text, got, tt.want)
		}
	}

	_, err = NewClassifier(Keywords{
		OptOut:     []string{"yes", "!!", "a b c d e f g h i"},
		Revocation: []string{"spam"},
	})
	got := problems(t, err)
	want := []string{"keywords[0].opt_out[0]", "keywords[0].opt_out[1]", "keywords[0].opt_out[2]", "keywords[0].revocation[0]"}
	if len(got) != len(want) {
		t.Fatalf("NewClassifier errors = %v; want %v", err, want)
	}
	for i, p := range got {
		if p.Field != want[i] || !errors.Is(p, ErrInvalid) {
			t.Errorf("problem %d = %v; want %s", i, p, want[i])
		}
	}
}

func TestFromProvider(t *testing.T) {
	tests := []struct {
		rule      string
		optOut    string
		errorCode string
		want      Signal
	}{
		{"Twilio OptOutType STOP", "STOP", "", SignalOptOut},
		{"Twilio OptOutType START", "START", "", SignalOptIn},
		{"Twilio OptOutType HELP", "help", "", SignalHelp},
		{"provider field with space and case", " Stop ", "", SignalOptOut},
		{"rapport's own names", "opt_out", "", SignalOptOut},
		{"Twilio error 21610: the recipient opted out", "", "21610", SignalOptOut},
		{"an opt-out error wins over the field", "START", "21610", SignalOptOut},
		{"other errors mean nothing", "", "30003", SignalNone},
		{"nothing", "", "", SignalNone},
		{"an unknown field value", "MAYBE", "", SignalNone},
	}
	for _, tt := range tests {
		if got := FromProvider(tt.optOut, tt.errorCode); got != tt.want {
			t.Errorf("%s: FromProvider(%q, %q) = %q; want %q", tt.rule, tt.optOut, tt.errorCode, got, tt.want)
		}
	}
	if n := testing.AllocsPerRun(100, func() { _ = FromProvider(" stop ", "") }); n != 0 {
		t.Errorf("FromProvider allocates %v", n)
	}
}

func TestSignals(t *testing.T) {
	for _, s := range Signals() {
		got, err := ParseSignal(strings.ToUpper(string(s)))
		if !s.Known() || err != nil || got != s {
			t.Errorf("signal %q: %q, %v", s, got, err)
		}
	}
	if SignalNone.Known() || Signal("maybe").Known() {
		t.Error("unknown signals are known")
	}
	roundTrip(t, struct{ S Signal }{"maybe"})
	roundTrip(t, DefaultKeywords())
}

func TestClassifyAllocatesNothing(t *testing.T) {
	for _, s := range []string{"STOP", "Stop. Thank you", "please stop texting me", "I'll stop by tomorrow at the end of the day", "Arrêt", "STOP 12345",
		"don't call before noon", "No me envíes más mensajes", strings.Repeat("word ", 50)} {
		if n := testing.AllocsPerRun(100, func() { _ = Classify(s) }); n != 0 {
			t.Errorf("Classify(%q) allocates %v times", s, n)
		}
	}
}

func FuzzClassify(f *testing.F) {
	for _, s := range []string{"STOP", " stop ", "Stop. Thank you", "stop by tomorrow", "please stop texting me",
		"ARRÊT", "ＳＴＯＰ", "don't stop texting me", "STOP 12345", "yes", "\xff\xfe", "s\u0301top", "opt-out!", "",
		"don't call before noon", "¿Por qué dejaron de enviarme mensajes?", "No más. ¿Quién es?", "Ne m'appelez pas avant midi"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Classify(s)
		if got != SignalNone && !got.Known() {
			t.Fatalf("Classify(%q) = unknown signal %q", s, got)
		}
		// Surrounding space and punctuation never matter.
		if again := Classify(" \t\"" + s + "\"!? "); again != got {
			t.Fatalf("Classify(%q) = %q but with punctuation around it %q", s, got, again)
		}
		// Nor does ASCII case.
		if isASCII(s) {
			if up := Classify(strings.ToUpper(s)); up != got {
				t.Fatalf("Classify(%q) = %q but upper-cased %q", s, got, up)
			}
		}
		// A keyword never hides inside a longer word.
		if utf8.ValidString(s) && got == SignalOptOut {
			if x := Classify("x" + strings.TrimSpace(s) + "x"); x == SignalOptOut && !strings.ContainsAny(s, " .,!?;:-_\t\n") {
				t.Fatalf("Classify(%q) = opt-out inside a word", "x"+s+"x")
			}
		}
		// Folding is idempotent.
		b := fold(nil, s, false)
		if again := fold(nil, string(b), false); string(again) != string(b) {
			t.Fatalf("fold(%q) = %q, refolded %q", s, b, again)
		}
	})
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
