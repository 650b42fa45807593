package adf

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// FuzzRead: Read never panics, refuses input only with its sentinels, and
// what it reads survives write → read unchanged; Validate never panics.
// The seed corpus is testdata/*.xml (real-shaped leads) plus
// testdata/fuzz/FuzzRead.
func FuzzRead(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.xml")
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		opts := &ReadOptions{MaxBytes: 1 << 16, MaxDepth: 16}
		d, err := Unmarshal(data, opts)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %T is not a *ParseError: %v", err, err)
			}
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrNoADF) && !errors.Is(err, ErrTooDeep) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("error wraps no sentinel: %v", err)
			}
			return
		}
		_ = Validate(d)
		out, err := Marshal(d)
		if err != nil {
			t.Fatalf("cannot write what was read: %v", err)
		}
		d2, err := Unmarshal(out, &ReadOptions{MaxBytes: 1 << 20, MaxDepth: 64})
		if err != nil {
			t.Fatalf("cannot re-read what was written: %v\n%s", err, out)
		}
		if !reflect.DeepEqual(d, d2) {
			t.Fatalf("round trip changed the document\nfirst:  %#v\nsecond: %#v\nwritten:\n%s", d, d2, out)
		}
	})
}
