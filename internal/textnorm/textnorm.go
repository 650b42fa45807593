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

// Key returns the match key of s. Two spellings a clerk would call the same
// name ("José Núñez", "JOSE NUNEZ", " jose  nunez ", composed and decomposed
// Hangul) share a key. Keys are for matching and sorting, never for display.
//
// The key is defined as, in order:
//
//  1. invalid UTF-8 bytes dropped;
//  2. compatibility decomposition, NFKD (full-width letters, ligatures,
//     Hangul syllables into jamo);
//  3. nonspacing marks (general category Mn: diacritics) removed;
//  4. full Unicode case folding (CaseFolding.txt, statuses C and F, as
//     golang.org/x/text/cases.Fold applies it: "ß" becomes "ss", "ς" "σ");
//  5. letters (L), spacing marks (Mc, part of the spelling in Indic
//     scripts) and decimal digits (Nd) kept; white space and the
//     separators - _ . , / become word breaks; everything else (apostrophes,
//     quotes, symbols) dropped without a break, so "O'Brien" and "OBrien"
//     share "obrien";
//  6. words joined by single ASCII spaces, none leading or trailing;
//  7. canonical composition, NFC (jamo recompose into Hangul syllables).
//
// TestKeyMatchesReference checks this against a direct implementation with
// x/text's norm and cases packages over every letter, mark and digit of
// Unicode and over random mixed strings.
//
// Key works rune by rune on the decomposition instead of chaining x/text
// transformers, which would allocate buffers on every call: it allocates the
// result only (plus the composition, for the rare text that needs it), and
// nothing when s already is an ASCII key.
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
			// Hangul syllables decompose algorithmically: they are kept
			// whole, which step 7 would recompose them to anyway.
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				i++ // invalid UTF-8: skip the byte
				continue
			}
			k.rune(r)
		}
		i += n
	}
	out := b.String()
	if k.compose && !norm.NFC.IsNormalString(out) {
		out = norm.NFC.String(out)
	}
	return out
}

// keyWriter writes folded runes, dropping marks and punctuation and
// collapsing separators into single spaces.
type keyWriter struct {
	b       *strings.Builder
	space   bool // a separator is pending
	compose bool // a rune written may compose with the one before it (NFC)
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
	default:
		if r = foldRune(r); unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mc, r) {
			k.emit(r)
		}
	}
}

func (k *keyWriter) emit(r rune) {
	if k.space && k.b.Len() > 0 {
		k.b.WriteByte(' ')
	}
	k.space = false
	if r >= firstComposing && !k.compose {
		var buf [utf8.UTFMax]byte
		n := utf8.EncodeRune(buf[:], r)
		k.compose = !norm.NFC.Properties(buf[:n]).BoundaryBefore()
	}
	k.b.WriteRune(r)
}

// firstComposing is the first code point that, with nonspacing marks
// removed, can compose with the character before it in NFC (Devanagari's
// vowel signs; then Hangul jamo and other scripts' vowel signs). Below it
// every composition takes a nonspacing mark.
const firstComposing = 0x0900

// foldRune is simple Unicode case folding (CaseFolding.txt, statuses C and
// S) of one rune: the lower case of its upper case ("ς" and "Σ" give "σ",
// "ϐ" gives "β"), except for Cherokee, which folds to upper case, and for
// runes without case partners (dotless "ı" stays). The full foldings (status
// F) that survive NFKD and the removal of marks are "ß" and "ẞ", handled by
// the caller.
func foldRune(r rune) rune {
	if unicode.SimpleFold(r) == r {
		return r
	}
	if 0x13A0 <= r && r <= 0x13FD || 0xAB70 <= r && r <= 0xABBF {
		return unicode.ToUpper(r)
	}
	return unicode.ToLower(unicode.ToUpper(r))
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
