package rapport

// FieldError is the shape of every domain package's *ValidationError
// (channel, customer, consent, interaction, household): a problem with one
// field of a value. FieldPath is the field's JSON path in the value
// ("contact_points[1].address", "evidence.raw_text", "attributes.trim_code");
// Unwrap returns the error that wraps the package's sentinels (such as
// customer.ErrMissing or interaction.ErrInvalidText), for errors.Is.
//
// A form matches an error to its inputs with [FieldErrors], or with
// errors.As(err, &fe) for a variable fe of this interface type (which finds
// the first), without knowing which package reported it.
type FieldError interface {
	error
	FieldPath() string
	Unwrap() error
}

// FieldErrors returns the field errors inside err, in order: Validate and
// the Book report every problem at once as an errors.Join of them, often
// wrapped (in a *rapport.Error, say). Only the outermost FieldError of each
// branch is returned: a customer's "contact_points[0].address" problem is
// returned as that, not also as the channel package's "phone" problem it
// wraps. It returns nil when err holds none.
func FieldErrors(err error) []FieldError {
	var out []FieldError
	var walk func(error)
	walk = func(e error) {
		if e == nil {
			return
		}
		if fe, ok := e.(FieldError); ok {
			out = append(out, fe)
			return
		}
		switch u := e.(type) {
		case interface{ Unwrap() []error }:
			for _, x := range u.Unwrap() {
				walk(x)
			}
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		}
	}
	walk(err)
	return out
}
