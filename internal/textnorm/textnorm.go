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
//
// Key works rune by rune on the compatibility decomposition (NFKD) instead of
// chaining x/text transformers, which would allocate buffers on every call:
// it allocates the result only, and nothing when s already is a key.
func Key(s string) string {
	if IsASCII(s) && isASCIIKey(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	k := keyWriter{b: &b}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			k.rune(rune(c))
			i++
			continue
		}
		p := norm.NFKD.PropertiesString(s[i:])
		n := p.Size()
		if n == 0 {
			n = 1 // invalid UTF-8: skip the byte
			i += n
			continue
		}
		if d := p.Decomposition(); d != nil {
			for j := 0; j < len(d); {
				r, size := utf8.DecodeRune(d[j:])
				k.rune(r)
				j += size
			}
		} else {
			r, _ := utf8.DecodeRuneInString(s[i:])
			k.rune(r)
		}
		i += n
	}
	return b.String()
}

// keyWriter writes folded runes, dropping marks and punctuation and
// collapsing separators into single spaces.
type keyWriter struct {
	b     *strings.Builder
	space bool // a separator is pending
}

func (k *keyWriter) rune(r rune) {
	switch {
	case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
		k.emit(r)
	case 'A' <= r && r <= 'Z':
		k.emit(r + 'a' - 'A')
	case r == ' ' || r == '-' || r == '_' || r == '.' || r == ',' || r == '/' || unicode.IsSpace(r):
		k.space = true
	case r < utf8.RuneSelf:
		// other ASCII punctuation (apostrophes, quotes) is dropped without a
		// gap: "O'Brien" and "OBrien" share a key.
	case unicode.Is(unicode.Mn, r):
		// a diacritic: dropped
	case r == 'ß' || r == 'ẞ':
		k.emit('s')
		k.emit('s')
	case r == 'ς':
		k.emit('σ')
	case unicode.IsLetter(r) || unicode.IsDigit(r):
		k.emit(unicode.ToLower(r))
	}
}

func (k *keyWriter) emit(r rune) {
	if k.space && k.b.Len() > 0 {
		k.b.WriteByte(' ')
	}
	k.space = false
	k.b.WriteRune(r)
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
