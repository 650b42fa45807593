package textnorm

import "testing"

// FuzzKey checks Key against its definition (referenceKey) on arbitrary
// text, including invalid UTF-8, and that a key is its own key.
func FuzzKey(f *testing.F) {
	for _, s := range []string{"José Núñez", "Jose\u0301 Nu\u0301n\u0303ez", "김민준", "\u1100\u1175\u11b7", "ΣΊΣΥΦΟΣ", "ᏣᎳᎩ ꮳꮃꭹ",
		"Straße ẞ", "O'Brien", "Ｍａｒｉａ", "ﬁona", "हिन्दी", "கொ", "\xff", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k := Key(s)
		if want := referenceKey(s); k != want {
			t.Fatalf("Key(%q) = %q, reference %q", s, k, want)
		}
		if again := Key(k); again != k {
			t.Fatalf("Key(%q) = %q, but Key(%q) = %q", s, k, k, again)
		}
	})
}
