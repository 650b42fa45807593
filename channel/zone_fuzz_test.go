package channel

import (
	"errors"
	"strings"
	"testing"
)

// FuzzCheckZone checks that CheckZone never panics, that every refusal wraps
// ErrInvalidZone, and that every name it accepts is a plain relative path of
// bounded length: no empty, "." or ".." component, nothing but the allowed
// bytes, so that no accepted name can reach outside a zoneinfo directory.
func FuzzCheckZone(f *testing.F) {
	for _, s := range []string{"America/New_York", "Etc/GMT+5", "UTC", "Local", "", "../../etc/passwd", "America//X", "Europe/Zürich", "a/b/c/d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		err := CheckZone(name)
		if err != nil {
			if !errors.Is(err, ErrInvalidZone) {
				t.Fatalf("CheckZone(%q) = %v, not wrapping ErrInvalidZone", name, err)
			}
			return
		}
		if name == "" || len(name) > MaxZoneLen || name == "Local" {
			t.Fatalf("CheckZone accepted %q", name)
		}
		for part := range strings.SplitSeq(name, "/") {
			if part == "" || part == "." || part == ".." || len(part) > 14 || strings.HasPrefix(part, "-") {
				t.Fatalf("CheckZone accepted %q with component %q", name, part)
			}
			if strings.Trim(part, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-+") != "" {
				t.Fatalf("CheckZone accepted %q with a byte outside the set", name)
			}
		}
	})
}
