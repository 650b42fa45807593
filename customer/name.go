package customer

import (
	"strings"

	"github.com/rapportcim/rapport/internal/textnorm"
)

// Name is a customer's name as written, in parts. Any part may be empty; a
// business or a name that arrived unsplit ("JOSE NUNEZ" from an old DMS) is
// kept whole in Full. The zero Name means no name is known.
//
// Parts are stored as given (trimmed, NFC). Use [Name.Display] to show a name
// and [Name.Key] to compare names.
type Name struct {
	Prefix    string `json:"prefix,omitempty"` // "Dr."
	Given     string `json:"given,omitempty"`
	Middle    string `json:"middle,omitempty"`
	Family    string `json:"family,omitempty"`
	Suffix    string `json:"suffix,omitempty"`    // "Jr.", "III"
	Preferred string `json:"preferred,omitempty"` // what they like to be called: "Bobby"
	Full      string `json:"full,omitempty"`      // the whole name when it is not split, or a business name
}

// IsZero reports whether no part of n is set.
func (n Name) IsZero() bool { return n == Name{} }

// Display returns the name for showing to people: Full when set, else the
// parts joined by spaces ("Dr. José A. Núñez Jr."), in NFC with white space
// collapsed. Case and accents are kept.
func (n Name) Display() string {
	if n.Full != "" {
		return textnorm.Display(n.Full)
	}
	parts := make([]string, 0, 5)
	for _, p := range [...]string{n.Prefix, n.Given, n.Middle, n.Family, n.Suffix} {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	return textnorm.Display(strings.Join(parts, " "))
}

// Key returns the match key of the name: given and family name (or Full when
// the name is not split), folded by [NameKey]. Prefixes, suffixes, middle
// names and nicknames are left out so that "José A. Núñez Jr." and
// "JOSE NUNEZ" share a key.
func (n Name) Key() string {
	if n.Given == "" && n.Family == "" {
		return NameKey(n.Full)
	}
	return NameKey(n.Given + " " + n.Family)
}

// NameKey folds a name for matching: compatibility-normalized (NFKC), case
// folded, diacritics removed, punctuation dropped and white space collapsed.
// "José Núñez", "JOSE NUNEZ" and "  jose   nuñez " share the key "jose nunez";
// "O'Brien" and "OBrien" share "obrien"; a Hangul name gives one key whether
// its syllables arrive composed or as jamo. Keys are for matching only,
// never for display. NameKey is safe for concurrent use.
//
// Precisely, the key of s is: invalid UTF-8 dropped; NFKD; nonspacing marks
// (Mn) removed; full Unicode case folding (CaseFolding.txt C and F); letters,
// spacing marks (Mc) and decimal digits kept, white space and - _ . , /
// turned into word breaks, everything else dropped; words joined by single
// spaces; NFC. The tests check this definition against x/text's norm and
// cases packages over every letter, mark and digit of Unicode.
func NameKey(s string) string { return textnorm.Key(s) }

// normalized returns n with every part trimmed and in NFC, as stored.
func (n Name) normalized() Name {
	return Name{
		Prefix:    textnorm.Display(n.Prefix),
		Given:     textnorm.Display(n.Given),
		Middle:    textnorm.Display(n.Middle),
		Family:    textnorm.Display(n.Family),
		Suffix:    textnorm.Display(n.Suffix),
		Preferred: textnorm.Display(n.Preferred),
		Full:      textnorm.Display(n.Full),
	}
}
