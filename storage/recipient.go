package storage

import (
	"encoding/json"
	"fmt"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/customer"
)

// recipientDoc is the part of a customer's JSON document (the encoding of
// customer.Customer) that [RecipientOf] reads, with the same member names;
// every other member is skipped. A contact point's address is kept as
// text: RecipientOf compares it only when the contact point has a zone.
type recipientDoc struct {
	ID            customer.ID `json:"id"`
	ContactPoints []struct {
		Address string `json:"address"`
		Zone    string `json:"zone"`
	} `json:"contact_points"`
	PostalAddresses []struct {
		Region  string                `json:"region"`
		Country string                `json:"country"`
		Usage   customer.AddressUsage `json:"usage"`
	} `json:"postal_addresses"`
	Preference struct {
		Zone string `json:"zone"`
	} `json:"preference"`
}

// DecodeRecipientCustomer decodes, from a customer's stored JSON document,
// only what [RecipientOf] reads: the ID, the stated zone, the contact
// points that have a zone (their address and zone) and the postal
// addresses' region, country and usage. For a backend that serves
// [LineParts.Customers] from documents, it spares decoding the rest:
// RecipientOf gives the same Recipient, on every line, for the customer
// it returns as for the whole customer decoded with json.Unmarshal
// (FuzzDecodeRecipientCustomer holds it to that). It fails on a document
// json.Unmarshal rejects in the members it reads; one whose other members
// are malformed may decode.
func DecodeRecipientCustomer(doc []byte) (*customer.Customer, error) {
	var d recipientDoc
	if err := json.Unmarshal(doc, &d); err != nil {
		return nil, err
	}
	cu := &customer.Customer{ID: d.ID, Preference: channel.Preference{Zone: d.Preference.Zone}}
	for _, cp := range d.ContactPoints {
		if cp.Zone == "" {
			continue
		}
		var a channel.Address
		if err := a.UnmarshalText([]byte(cp.Address)); err != nil {
			return nil, fmt.Errorf("contact_points: address: %w", err)
		}
		cu.ContactPoints = append(cu.ContactPoints, customer.ContactPoint{Address: a, Zone: cp.Zone})
	}
	for _, pa := range d.PostalAddresses {
		cu.PostalAddresses = append(cu.PostalAddresses, customer.PostalAddress{Region: pa.Region, Country: pa.Country, Usage: pa.Usage})
	}
	return cu, nil
}
