package dealer

import (
	"errors"
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want error
	}{
		{"tenant ok", Tenant("group-7").Validate(), nil},
		{"tenant empty", Tenant("").Validate(), ErrEmpty},
		{"tenant with space", Tenant("group 7").Validate(), ErrInvalid},
		{"tenant too long", Tenant(strings.Repeat("x", MaxIDLen+1)).Validate(), ErrInvalid},
		{"tenant not utf-8", Tenant("g\xff").Validate(), ErrInvalid},
		{"tenant control char", Tenant("g\x00").Validate(), ErrInvalid},
		{"zero rooftop means every rooftop", Rooftop("").Validate(), nil},
		{"rooftop ok", Rooftop("downtown-mazda").Validate(), nil},
		{"rooftop with newline", Rooftop("down\ntown").Validate(), ErrInvalid},
		{"zero staff means nobody", Staff("").Validate(), nil},
		{"staff ok", Staff("sam.sales").Validate(), nil},
		{"team with tab", Team("a\tb").Validate(), ErrInvalid},
	}
	for _, tt := range tests {
		if tt.want == nil {
			if tt.err != nil {
				t.Errorf("%s: %v", tt.name, tt.err)
			}
			continue
		}
		if !errors.Is(tt.err, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, tt.err, tt.want)
		}
	}
}
