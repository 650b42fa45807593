package textnorm

import "testing"

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
