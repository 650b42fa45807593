package dms

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzReader: reading any bytes with each system's sales preset never
// panics, fails only with this package's typed errors, and every consent
// event it produces is valid for the ledger. The seed corpus is
// testdata/*.csv plus testdata/fuzz/FuzzReader.
func FuzzReader(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.csv")
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, s := range Systems() {
			m, err := Preset(s, Sales)
			if err != nil {
				t.Fatal(err)
			}
			r, err := NewReader(bytes.NewReader(data), m, &Options{File: "f.csv", ExportedAt: exported, MaxLineBytes: 4096})
			if err != nil {
				var ve *ValidationError
				if !errors.As(err, &ve) {
					t.Fatalf("%s: header error %T: %v", s, err, err)
				}
				continue
			}
			for row, err := range r.All() {
				if err != nil {
					var re *RowError
					if !errors.As(err, &re) {
						t.Fatalf("%s: row error %T: %v", s, err, err)
					}
					if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrMissing) && !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrTooLong) {
						t.Fatalf("%s: row error wraps no sentinel: %v", s, err)
					}
					continue
				}
				for _, e := range row.Consent {
					if err := e.Validate(); err != nil {
						t.Fatalf("%s row %d: invalid consent event: %v", s, row.Row, err)
					}
				}
				if row.Interaction == nil || row.Interaction.OccurredAt.IsZero() {
					t.Fatalf("%s row %d: a sale without its date", s, row.Row)
				}
			}
		}
	})
}
