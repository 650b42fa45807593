package rapport_test

import (
	"errors"
	"testing"

	"github.com/rapportcim/rapport"
	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/interaction"
)

// Every domain package's ValidationError has the shared shape.
var (
	_ rapport.FieldError = (*channel.ValidationError)(nil)
	_ rapport.FieldError = (*customer.ValidationError)(nil)
	_ rapport.FieldError = (*consent.ValidationError)(nil)
	_ rapport.FieldError = (*interaction.ValidationError)(nil)
	_ rapport.FieldError = (*household.ValidationError)(nil)
)

func TestFieldErrorsThroughTheBook(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		_, err := f.book.UpsertCustomer(t.Context(), customer.Customer{
			Name:       customer.Name{Given: "Jane"},
			Tags:       []string{"ok", "bad\xff"},
			Attributes: map[string]string{"trim_code": "a\x00b"},
		})
		got := map[string]bool{}
		for _, fe := range rapport.FieldErrors(err) {
			got[fe.FieldPath()] = errors.Is(fe, customer.ErrInvalidText)
		}
		for _, field := range []string{"tags[1]", "attributes.trim_code"} {
			if !got[field] {
				t.Errorf("FieldErrors(%v) has no %q wrapping customer.ErrInvalidText; got %v", err, field, got)
			}
		}
		var fe rapport.FieldError
		if !errors.As(err, &fe) {
			t.Errorf("errors.As(%v, *FieldError) found none", err)
		}
	})
	// Nested: a customer's contact point problem is reported with the
	// customer's path, not as the channel package's inner one.
	inner := &channel.ValidationError{Field: "phone", Err: channel.ErrInvalidPhone}
	outer := errors.Join(&customer.ValidationError{Field: "contact_points[0].address", Err: inner})
	fes := rapport.FieldErrors(outer)
	if len(fes) != 1 || fes[0].FieldPath() != "contact_points[0].address" || !errors.Is(fes[0], channel.ErrInvalidPhone) {
		t.Errorf("FieldErrors of a nested error = %v", fes)
	}
	if rapport.FieldErrors(errors.New("plain")) != nil || rapport.FieldErrors(nil) != nil {
		t.Error("FieldErrors of an error without fields is not nil")
	}
}
