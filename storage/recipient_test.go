package storage_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/storage"
)

// recipientDocs are customer documents as the backends store them, and a
// few written by hand: every member RecipientOf reads, in several forms.
func recipientDocs(tb testing.TB) [][]byte {
	tb.Helper()
	addr := func(s string) channel.Address {
		a, err := channel.ParseAddress(s)
		if err != nil {
			tb.Fatal(err)
		}
		return a
	}
	cs := []customer.Customer{
		{ID: customer.ID{1}, Preference: channel.Preference{Zone: "America/New_York"},
			ContactPoints: []customer.ContactPoint{{Address: addr("tel:+12125550101")}}},
		{ID: customer.ID{2}, Name: customer.Name{Full: "Ana Example"}, Tags: []string{"vip"},
			ContactPoints: []customer.ContactPoint{
				{Address: addr("tel:+13055550102;ext=7"), Zone: "America/Chicago", Primary: true},
				{Address: addr("tel:+13055550102"), Zone: "America/Denver"},
				{Address: addr("mailto:ana@example.com"), Zone: "America/Los_Angeles"},
				{Address: addr("tel:+14165550103")},
			},
			PostalAddresses: []customer.PostalAddress{
				{Lines: []string{"1 Main St"}, Locality: "Miami", Region: "FL", Country: "US", Usage: customer.AddressHome},
				{Region: "Québec", Country: "CA", Usage: customer.AddressBilling},
				{Region: "ON"},
				{Region: "Bavaria", Country: "DE"},
			}},
		{ID: customer.ID{3}},
	}
	var docs [][]byte
	for _, c := range cs {
		doc, err := json.Marshal(c)
		if err != nil {
			tb.Fatal(err)
		}
		docs = append(docs, doc)
	}
	return append(docs,
		[]byte(`{"id":"00000000-0000-0000-0000-000000000004","contact_points":[{"address":"mailto:a@example.com","zone":"Europe/Paris"},{"address":null,"zone":"Asia/Tokyo"}],"postal_addresses":null,"preference":{"zone":"","windows":[]}}`),
		[]byte(`{"CONTACT_POINTS":[{"Address":"tel:+12125550104","Zone":"America/New_York"}],"contact_points":[{"zone":"America/Chicago","address":"tel:+12125550105"}]}`),
		[]byte(`{"contact_points":[{"address":"not an address","zone":"America/New_York"}]}`),
		[]byte(`{"postal_addresses":[{"usage":"somewhere"}]}`),
		[]byte(`{"id":7}`),
		[]byte(`[]`),
	)
}

// compareRecipient decodes doc whole and with DecodeRecipientCustomer: when
// the whole decode succeeds, the other must too, and RecipientOf must give
// the same on the line of every contact point and on an unrelated line.
func compareRecipient(t *testing.T, doc []byte) {
	var whole customer.Customer
	wholeErr := json.Unmarshal(doc, &whole)
	part, err := storage.DecodeRecipientCustomer(doc)
	if wholeErr != nil {
		return // a document the backends would report as corrupt; DecodeRecipientCustomer only must not panic
	}
	if err != nil {
		t.Fatalf("%s: DecodeRecipientCustomer: %v; json.Unmarshal accepts it", doc, err)
	}
	lines := []channel.Address{{}}
	if a, err := channel.ParseAddress("tel:+12125550199"); err == nil {
		lines = append(lines, a)
	}
	for _, cp := range whole.ContactPoints {
		lines = append(lines, cp.Address.Line())
	}
	for _, l := range lines {
		want, got := storage.RecipientOf(&whole, l), storage.RecipientOf(part, l)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s on line %v:\n got  %+v\n want %+v", doc, l, got, want)
		}
	}
}

func TestDecodeRecipientCustomer(t *testing.T) {
	for _, doc := range recipientDocs(t) {
		compareRecipient(t, doc)
	}
	// The cases must exercise both outcomes and the members read.
	c, err := storage.DecodeRecipientCustomer(recipientDocs(t)[1])
	if err != nil {
		t.Fatal(err)
	}
	line, _ := channel.ParseAddress("tel:+13055550102")
	r := storage.RecipientOf(c, line)
	want := storage.Recipient{ID: customer.ID{2}, LineZones: []string{"America/Chicago", "America/Denver"}, Regions: []string{"US-FL", "CA-ON"}}
	if !reflect.DeepEqual(r, want) {
		t.Fatalf("got %+v, want %+v", r, want)
	}
	if _, err := storage.DecodeRecipientCustomer([]byte(`{"contact_points":[{"address":"not an address","zone":"America/New_York"}]}`)); err == nil {
		t.Fatal("a zoned contact point with a malformed address decoded")
	}
}

// FuzzDecodeRecipientCustomer holds DecodeRecipientCustomer to decoding
// the whole customer with json.Unmarshal, as far as RecipientOf reads.
func FuzzDecodeRecipientCustomer(f *testing.F) {
	for _, doc := range recipientDocs(f) {
		f.Add(doc)
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		if len(doc) > 1<<16 {
			return
		}
		compareRecipient(t, doc)
	})
}
