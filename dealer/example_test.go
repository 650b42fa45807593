package dealer_test

import (
	"errors"
	"fmt"

	"github.com/rapportcim/rapport/dealer"
)

func ExampleTenant_Validate() {
	fmt.Println(dealer.Tenant("acme-auto-group").Validate())
	err := dealer.Tenant("acme auto").Validate()
	fmt.Println(errors.Is(err, dealer.ErrInvalid), err)
	// The zero Rooftop is valid: it means every rooftop of the tenant.
	fmt.Println(dealer.Rooftop("").Validate())
	// Output:
	// <nil>
	// true dealer: tenant: invalid identifier: contains space or control characters
	// <nil>
}
