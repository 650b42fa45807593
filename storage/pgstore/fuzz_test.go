package pgstore

import (
	"bytes"
	"testing"

	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/interaction"
)

// FuzzDecodeDoc feeds arbitrary bytes to the decoder of stored documents
// (a doc column another client may have written): it never panics, and a
// document it accepts is stable, its value encoding to the same bytes
// after another decode.
func FuzzDecodeDoc(f *testing.F) {
	f.Add([]byte(`{"id":"0195935c-2a00-7000-8000-000000000001","tenant":"t","name":{"given":"Jane"}}`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		checkStable[customer.Customer](t, doc)
		checkStable[interaction.Interaction](t, doc)
		checkStable[interaction.Conversation](t, doc)
		checkStable[interaction.Commitment](t, doc)
		checkStable[consent.Event](t, doc)
		checkStable[household.Household](t, doc)
		checkStable[household.Vehicle](t, doc)
	})
}

func checkStable[T any](t *testing.T, doc []byte) {
	var v T
	if err := decodeInto(doc, &v); err != nil {
		return
	}
	once, err := encode(v)
	if err != nil {
		t.Fatalf("%T decoded from %q does not encode: %v", v, doc, err)
	}
	var w T
	if err := decodeInto(once, &w); err != nil {
		t.Fatalf("%T: its own encoding %s does not decode: %v", v, once, err)
	}
	twice, err := encode(w)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(once, twice) {
		t.Fatalf("%T is not stable:\n%s\n%s", v, once, twice)
	}
}
