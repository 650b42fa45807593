package sqlitestore_test

import (
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage/sqlitestore"
)

const tenant dealer.Tenant = "acme-group"

var t0 = time.Date(2025, 3, 14, 15, 9, 26, 535897000, time.UTC)

// newTestBackend opens a migrated database in a fresh temporary directory,
// closed when the test ends.
func newTestBackend(t testing.TB, opts *sqlitestore.Options) *sqlitestore.Backend {
	t.Helper()
	ctx := t.Context()
	b, err := sqlitestore.Open(ctx, filepath.Join(t.TempDir(), "r.db"), opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { b.Close() })
	if err := b.Migrate(ctx); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	return b
}

// seqID returns a deterministic ID whose byte order follows n.
func seqID(prefix byte, n uint64) [16]byte {
	var id [16]byte
	id[0] = prefix
	for i := range 8 {
		id[15-i] = byte(n >> (8 * i))
	}
	id[6] = 0x70 | id[6]&0x0f // version 7
	id[8] = 0x80 | id[8]&0x3f // RFC 4122 variant
	return id
}

// areaCodes lists the NANP area codes whose 555-0100 and 555-0199 numbers
// the phone parser accepts (fictional lines in real area codes), found once.
var areaCodes = sync.OnceValue(func() []int {
	var out []int
	for a := 200; a <= 999; a++ {
		_, err1 := channel.ParseAddress(fmt.Sprintf("tel:+1%03d5550100", a))
		_, err2 := channel.ParseAddress(fmt.Sprintf("tel:+1%03d5550199", a))
		if err1 == nil && err2 == nil {
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		panic("no area code accepts 555-01xx numbers")
	}
	return out
})

// testPhone returns a fictional 555-01xx number: line 0100+n%100 in the
// (n/100)th area code, cycling through the area codes (a few hundred, so
// tens of thousands of distinct numbers).
func testPhone(n int) channel.Address {
	codes := areaCodes()
	a, err := channel.ParseAddress(fmt.Sprintf("tel:+1%03d55501%02d", codes[(n/100)%len(codes)], n%100))
	if err != nil {
		panic(err)
	}
	return a
}

func testCustomer(n uint64, addrs ...channel.Address) customer.Customer {
	c := customer.Customer{
		ID:        customer.ID(seqID(1, n)),
		Tenant:    tenant,
		Party:     customer.PartyIndividual,
		Name:      customer.Name{Given: "Jane", Family: "Doe"},
		Source:    "walk-in",
		CreatedAt: t0,
		UpdatedAt: t0,
	}
	for i, a := range addrs {
		c.ContactPoints = append(c.ContactPoints, customer.ContactPoint{Address: a, Rank: i + 1})
	}
	return c
}

func testInteraction(n uint64, cust customer.ID, occurred time.Time) interaction.Interaction {
	return interaction.Interaction{
		ID:         interaction.ID(seqID(2, n)),
		Tenant:     tenant,
		Rooftop:    "north",
		Customer:   cust,
		Channel:    channel.KindSMS,
		Address:    testPhone(1),
		Direction:  interaction.DirectionInbound,
		Kind:       interaction.KindMessage,
		Body:       "Is the blue one still available?",
		OccurredAt: occurred,
		CreatedAt:  t0,
		UpdatedAt:  t0,
	}
}

func testOptOut(n uint64, addr channel.Address, cust customer.ID, at time.Time) consent.Event {
	return consent.Event{
		ID:         consent.ID(seqID(3, n)),
		Tenant:     tenant,
		Subject:    consent.Subject{Address: addr, Customer: cust},
		Channel:    channel.KindSMS,
		Purpose:    consent.PurposeAll,
		Action:     consent.ActionRevoke,
		Evidence:   consent.Evidence{Method: consent.MethodSMSKeyword, RawText: "STOP"},
		CapturedAt: at,
		RecordedAt: at,
	}
}
