// Package textnorm holds rapport's Unicode normalization: display forms (NFC,
// trimmed, inner white space collapsed) and match keys (NFKC, case-folded,
// diacritics stripped). Every function is safe for concurrent use: the
// stateful x/text transformers are built per call, and only stateless values
// (norm forms) live in package variables.
package textnorm

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// NFC returns s in Unicode normalization form C. Already-normalized input
// (all ASCII text is) is returned without allocating.
func NFC(s string) string { return norm.NFC.String(s) }

// IsASCII reports whether s holds only ASCII bytes.
func IsASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// Display returns the display form of a name or label: NFC, with leading and
// trailing white space removed and every inner run of white space replaced by
// one ASCII space. Case and accents are kept.
func Display(s string) string {
	if IsASCII(s) {
		return collapseSpaceASCII(s)
	}
	return collapseSpace(norm.NFC.String(s))
}

// Key returns the match key of s: NFKC compatibility mapping (full-width
// letters, ligatures), case folding, diacritics removed, punctuation other
// than letters, digits and spaces dropped, and white space collapsed. Two
// spellings a clerk would call the same name ("José Núñez", "JOSE NUNEZ",
// " jose  nunez ") share a key. Keys are for matching and sorting, never for
// display.
func Key(s string) string {
	if IsASCII(s) {
		return keyASCII(s)
	}
	t := transform.Chain(norm.NFKD, runes.Remove(runes.In(unicode.Mn)), cases.Fold(), norm.NFC)
	folded, _, err := transform.String(t, s)
	if err != nil {
		folded = strings.ToLower(s)
	}
	var b strings.Builder
	b.Grow(len(folded))
	space := false
	for _, r := range folded {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		case unicode.IsSpace(r) || r == '-' || r == '_' || r == '.' || r == ',' || r == '/':
			space = true
		}
		// other punctuation (apostrophes, quotes) is dropped without a gap:
		// "O'Brien" and "OBrien" share a key.
	}
	return b.String()
}

// keyASCII is Key for ASCII input, with one allocation at most and none when
// s already is a key.
func keyASCII(s string) string {
	if isASCIIKey(s) {
		return s
	}
	b := make([]byte, 0, len(s))
	space := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
			fallthrough
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			if space && len(b) > 0 {
				b = append(b, ' ')
			}
			space = false
			b = append(b, c)
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' ||
			c == '-' || c == '_' || c == '.' || c == ',' || c == '/':
			space = true
		}
	}
	return string(b)
}

func isASCIIKey(s string) bool {
	prevSpace := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			prevSpace = false
		case c == ' ':
			if prevSpace {
				return false
			}
			prevSpace = true
		default:
			return false
		}
	}
	return !prevSpace || s == ""
}

func collapseSpaceASCII(s string) string {
	clean := true
	prevSpace := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		isSpace := c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
		if isSpace && (prevSpace || c != ' ') {
			clean = false
			break
		}
		prevSpace = isSpace
	}
	if clean && !prevSpace || s == "" {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

func collapseSpace(s string) string {
	return strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ")
}
