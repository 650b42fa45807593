package storagetest

import (
	"fmt"
	"net/netip"
	"sync/atomic"
	"time"

	"golang.org/x/text/language"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/interaction"
)

// The fixtures are deterministic: IDs come from a counter, times from a fixed
// instant, and the data is fictional (+1 212 555-01xx, example.com).

const (
	tenantA = dealer.Tenant("tenant-a")
	tenantB = dealer.Tenant("tenant-b")

	north = dealer.Rooftop("north")
	south = dealer.Rooftop("south")

	ana = dealer.Staff("staff-ana")
	ben = dealer.Staff("staff-ben")
	cy  = dealer.Staff("staff-cy")

	sales   = dealer.Team("sales")
	service = dealer.Team("service")
	bdc     = dealer.Team("bdc")
)

// t0 is the fixtures' reference instant: UTC, at microsecond precision,
// which is what the Book writes.
var t0 = time.Date(2025, time.March, 14, 15, 9, 26, 535897000, time.UTC)

// at returns t0 plus m minutes.
func at(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }

// ids hands out record IDs from a counter, so that ID order is the order the
// IDs were handed out. It is safe for concurrent use.
type ids struct{ n atomic.Uint64 }

func (g *ids) next() [16]byte { return rawID(g.n.Add(1)) }

func (g *ids) customer() customer.ID                    { return customer.ID(g.next()) }
func (g *ids) interaction() interaction.ID              { return interaction.ID(g.next()) }
func (g *ids) conversation() interaction.ConversationID { return interaction.ConversationID(g.next()) }
func (g *ids) commitment() interaction.CommitmentID     { return interaction.CommitmentID(g.next()) }
func (g *ids) household() household.ID                  { return household.ID(g.next()) }
func (g *ids) vehicle() household.VehicleID             { return household.VehicleID(g.next()) }
func (g *ids) event() consent.ID                        { return consent.ID(g.next()) }

// rawID returns a version-7 UUID with a fixed timestamp and n in its last
// seven bytes, so that byte order (ID order) is n order.
func rawID(n uint64) [16]byte {
	id := [16]byte{0x01, 0x95, 0x93, 0x5c, 0x2a, 0x00, 0x70, 0x00, 0x80}
	for i := 15; i >= 9; i-- {
		id[i] = byte(n)
		n >>= 8
	}
	return id
}

// idNum returns the n of an ID made by rawID.
func idNum(id [16]byte) uint64 {
	var n uint64
	for _, c := range id[9:] {
		n = n<<8 | uint64(c)
	}
	return n
}

// phone returns the fictional number +1 212 555-01nn as a tel: address.
func phone(nn int) channel.Address {
	return mustAddress(fmt.Sprintf("tel:+121255501%02d", nn))
}

// email returns local@example.com as a mailto: address.
func email(local string) channel.Address { return mustAddress("mailto:" + local + "@example.com") }

func mustAddress(s string) channel.Address {
	a, err := channel.ParseAddress(s)
	if err != nil {
		panic("storagetest: bad fixture address: " + err.Error())
	}
	return a
}

// Standard North American VINs (valid check digits), and one older,
// non-standard serial.
var (
	vin1 = mustVIN("1HGCM82633A004352")     // model year 2003
	vin2 = mustVIN("1G4AH59H45G118341")     // model year 2005
	vin3 = mustVIN("1J9RP1A36A1644345")     // model year 2010
	vin4 = mustVINLenient("124379N5512345") // a pre-1981 serial
)

func mustVIN(s string) household.VIN {
	v, err := household.ParseVIN(s)
	if err != nil {
		panic("storagetest: bad fixture VIN: " + err.Error())
	}
	return v
}

func mustVINLenient(s string) household.VIN {
	v, err := household.ParseVINLenient(s)
	if err != nil {
		panic("storagetest: bad fixture VIN: " + err.Error())
	}
	return v
}

// Minimal records: the fields a valid record needs, no more. Optional
// slices, maps and pointers are nil.

func newCustomer(tenant dealer.Tenant, id customer.ID, addrs ...channel.Address) customer.Customer {
	c := customer.Customer{
		ID:        id,
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

func newInteraction(tenant dealer.Tenant, id interaction.ID, cust customer.ID, occurred time.Time) interaction.Interaction {
	return interaction.Interaction{
		ID:         id,
		Tenant:     tenant,
		Rooftop:    north,
		Customer:   cust,
		Channel:    channel.KindSMS,
		Address:    phone(1),
		Direction:  interaction.DirectionInbound,
		Kind:       interaction.KindMessage,
		Body:       "Is the blue one still available?",
		OccurredAt: occurred,
		CreatedAt:  t0,
		UpdatedAt:  t0,
	}
}

func newConversation(tenant dealer.Tenant, id interaction.ConversationID, cust customer.ID, opened time.Time) interaction.Conversation {
	return interaction.Conversation{
		ID:        id,
		Tenant:    tenant,
		Rooftop:   north,
		Customer:  cust,
		Channel:   channel.KindSMS,
		Status:    interaction.ConversationStatusOpen,
		Owner:     ana,
		OpenedAt:  opened,
		CreatedAt: opened,
		UpdatedAt: opened,
	}
}

func newCommitment(tenant dealer.Tenant, id interaction.CommitmentID, cust customer.ID, due time.Time) interaction.Commitment {
	return interaction.Commitment{
		ID:        id,
		Tenant:    tenant,
		Rooftop:   north,
		Customer:  cust,
		What:      "Call back with the trade-in value",
		Owner:     ana,
		Due:       due,
		Status:    interaction.CommitmentStatusOpen,
		CreatedAt: t0,
		UpdatedAt: t0,
	}
}

func newHousehold(tenant dealer.Tenant, id household.ID, members ...customer.ID) household.Household {
	h := household.Household{
		ID:        id,
		Tenant:    tenant,
		Name:      "Doe household",
		CreatedAt: t0,
		UpdatedAt: t0,
	}
	for i, m := range members {
		role := household.MemberRoleSpouse
		if i == 0 {
			role = household.MemberRolePrimary
		}
		h.Members = append(h.Members, household.Member{Customer: m, Role: role})
	}
	return h
}

func newVehicle(tenant dealer.Tenant, id household.VehicleID, vin household.VIN) household.Vehicle {
	return household.Vehicle{
		ID:        id,
		Tenant:    tenant,
		VIN:       vin,
		Make:      "Honda",
		Model:     "Accord",
		CreatedAt: t0,
		UpdatedAt: t0,
	}
}

func newEvent(tenant dealer.Tenant, id consent.ID, addr channel.Address, cust customer.ID, captured time.Time) consent.Event {
	return consent.Event{
		ID:         id,
		Tenant:     tenant,
		Subject:    consent.Subject{Address: addr, Customer: cust},
		Channel:    channel.KindSMS,
		Purpose:    consent.PurposeMarketing,
		Rooftop:    north,
		Action:     consent.ActionGrant,
		Basis:      consent.BasisExpress,
		Evidence:   consent.Evidence{Method: consent.MethodWebForm},
		CapturedAt: captured,
		RecordedAt: captured,
	}
}

// Fully populated records: every field set, every slice, map and pointer
// non-empty, and enum values this version does not know (written by a newer
// one), which a backend must keep verbatim.

func fullCustomer(tenant dealer.Tenant, id, referrer customer.ID) customer.Customer {
	return customer.Customer{
		ID:     id,
		Tenant: tenant,
		Party:  "cooperative",
		Name: customer.Name{
			Prefix: "Dr.", Given: "José", Middle: "Á.", Family: "Núñez", Suffix: "Jr.",
			Preferred: "Pepe", Full: "Dr. José Á. Núñez Jr.",
		},
		Aliases: []customer.Name{{Full: "JOSE NUNEZ"}, {Given: "Joe", Family: "Nunez"}},
		ContactPoints: []customer.ContactPoint{
			{
				Address: phone(23), Usage: customer.UsageMobile, Primary: true, Rank: 1,
				Verified: true, VerifiedAt: at(-90), SMS: customer.CapabilityYes, Source: "web-form",
				BestTime: []channel.Window{
					{Day: time.Monday, Start: channel.Clock(9, 0), End: channel.Clock(17, 30)},
					{Day: time.Saturday, Start: channel.Clock(22, 0), End: channel.Clock(2, 0)},
				},
				Zone: "America/New_York",
			},
			{
				Address: mustAddress("tel:+12125550124;ext=42"), Usage: customer.UsageWork, Rank: 2,
				SMS: customer.CapabilityNo, Source: "dms",
			},
			{
				Address: email("jose.nunez"), Usage: "pager", Rank: 3,
				UndeliverableAt: at(-10), UndeliverableReason: "mailbox full",
			},
			{Address: mustAddress("matrix:@jose:example.com"), Source: "chat-widget"},
		},
		Preference: channel.Preference{
			Kinds:    []channel.Kind{channel.KindSMS, "carrier_pigeon", channel.KindEmail},
			Windows:  []channel.Window{{Day: time.Tuesday, Start: channel.Clock(8, 15), End: channel.Clock(12, 0)}},
			Zone:     "America/Chicago",
			Language: language.MustParse("es-MX"),
		},
		ExternalIDs: []customer.ExternalID{
			{System: "cdk", Value: "CDK-000123"},
			{System: "vinsolutions", Value: "vs/77 a"},
		},
		LifeEvents: []customer.LifeEvent{
			{Kind: customer.LifeEventBirthday, Date: customer.Date{Year: 1980, Month: time.July, Day: 14}, Source: "dms"},
			{Kind: "lottery_win", Date: customer.Date{Month: time.February, Day: 29}, Note: "told us at delivery"},
		},
		Referrals: []customer.Referral{{Customer: referrer, Role: customer.ReferralReferredBy, At: at(-200), Note: "sister"}},
		Tags:      []string{"vip", "trade-in", "ñandú"},
		Source:    "cars.com",
		Attributes: map[string]string{
			"dms.salesperson": "0042",
			"empty":           "",
			"quote":           `she said "call me" — then left`,
		},
		CreatedAt: at(-300),
		UpdatedAt: at(-1),
	}
}

func fullInteraction(tenant dealer.Tenant, id interaction.ID, cust customer.ID, hh household.ID,
	conv interaction.ConversationID, other customer.ID) interaction.Interaction {
	return interaction.Interaction{
		ID:           id,
		Tenant:       tenant,
		Rooftop:      north,
		Customer:     cust,
		Household:    hh,
		Conversation: conv,
		Channel:      channel.KindSMS,
		Address:      phone(23),
		Via:          phone(99),
		Direction:    interaction.DirectionOutbound,
		Kind:         "hologram", // unknown to this version: any details may be attached
		Subject:      `Your "quote" — line one`,
		Body:         "Hola José,\nthe card ending ████ is on file.\tGracias 🚗",
		Participants: []interaction.Participant{
			{Staff: ana, Role: interaction.RoleSalesperson},
			{Staff: "bot-7", Role: "drone"},
		},
		Authorship: interaction.AuthorshipAssisted,
		Template:   "follow-up-v2",
		OccurredAt: at(5),
		Delivery: interaction.Delivery{
			Status: interaction.StatusErrored, At: at(6), Reason: "carrier timeout",
			ErrorCode: "30003", Attempts: 2,
		},
		Call: &interaction.Call{
			Outcome: interaction.CallOutcomeVoicemail, Duration: 95*time.Second + 123456789,
			RecordingRef: "RE0123",
		},
		Appointment: &interaction.Appointment{ScheduledFor: at(60 * 24), Purpose: "test drive", Status: "tentative"},
		Survey:      &interaction.Survey{Name: "nps", Score: 9, Scale: 10, Comment: "great service"},
		Referral:    &interaction.Referral{Referrer: other, Referred: cust},
		Post:        &interaction.Post{Platform: "dealerrater", URL: "https://example.com/r/1", Rating: 4, Scale: 5},
		Findings: []interaction.Finding{
			{Kind: interaction.FindingKindCard, Field: interaction.FindingFieldBody, Start: 29, End: 41, Last4: "4242"},
			{Kind: "passport", Field: "transcript", Start: 1, End: 2},
		},
		Flags: []interaction.Flag{
			{Reason: interaction.FlagReasonSensitiveData, FlaggedAt: at(6)},
			{
				Reason: interaction.FlagReasonPhrase, Phrase: "guarantee", FlaggedAt: at(7),
				FlaggedBy: cy, ReviewedBy: cy, ReviewedAt: at(8), Note: "fine",
			},
		},
		// Kind is unknown to this version, so it may carry a lifecycle
		// event as well as every other kind of detail.
		Lifecycle: &interaction.LifecycleEvent{
			Action: "teleported", At: at(5), Status: "escalated", By: ana,
			From: "bot-7", To: ben, Team: service, Reason: "asked for a person — ñ", Until: at(90),
		},
		Consent: &interaction.ConsentCheck{
			Purpose: "warranty", Allowed: false, Reasons: []string{"quiet_hours", "teleport_window"},
			Event: consent.ID(rawID(4242)).String(), Policy: "us", Confirmation: true,
			Override: "legally required recall notice", CheckedAt: at(4),
		},
		ExternalRefs: map[string]string{"twilio": "SM0123456789", "dealersocket": "DS-9"},
		Attributes:   map[string]string{"lead.source": "website", "empty": ""},
		CreatedAt:    at(5),
		UpdatedAt:    at(6),
	}
}

func fullConversation(tenant dealer.Tenant, id interaction.ConversationID, cust customer.ID) interaction.Conversation {
	return interaction.Conversation{
		ID:                id,
		Tenant:            tenant,
		Rooftop:           south,
		Customer:          cust,
		Channel:           "carrier_pigeon",
		Status:            "escalated",
		SnoozedUntil:      at(120),
		Owner:             ana,
		Team:              sales,
		Followers:         []dealer.Staff{ben, cy},
		Handler:           "bot-7",
		WaitingSince:      at(1),
		FirstHumanReplyAt: at(2),
		LastInboundAt:     at(3),
		LastOutboundAt:    at(4),
		OpenedAt:          at(0),
		ResolvedAt:        at(10),
		ClosedAt:          at(11),
		PendingHandoff: &interaction.Handoff{
			From: ana, To: ben, Team: service, Reason: "customer asked about service", At: at(9),
		},
		CreatedAt: at(0),
		UpdatedAt: at(11),
	}
}

func fullCommitment(tenant dealer.Tenant, id interaction.CommitmentID, cust customer.ID,
	conv interaction.ConversationID, source interaction.ID) interaction.Commitment {
	return interaction.Commitment{
		ID:           id,
		Tenant:       tenant,
		Rooftop:      south,
		Customer:     cust,
		Conversation: conv,
		Source:       source,
		What:         "Send the payoff quote — with the “final” numbers",
		Owner:        ana,
		Team:         bdc,
		Due:          at(240),
		Status:       "snoozed_forever",
		DoneAt:       at(200),
		HandedOffTo:  ben,
		CancelReason: "customer bought elsewhere",
		Callback: &interaction.Callback{
			Address:     mustAddress("tel:+12125550123;ext=4"),
			RequestedOn: "carrier_pigeon",
			Windows:     []channel.Window{{Day: time.Saturday, Start: channel.Clock(22, 0), End: channel.Clock(1, 30)}},
			Zone:        "America/Chicago",
			TakenAt:     at(3),
			Attempts:    []interaction.ID{interaction.ID(source)},
		},
		CreatedAt: at(1),
		UpdatedAt: at(2),
	}
}

func fullHousehold(tenant dealer.Tenant, id household.ID, members []customer.ID, vehicles []household.VehicleID) household.Household {
	return household.Household{
		ID:     id,
		Tenant: tenant,
		Name:   "The Núñez family",
		Members: []household.Member{
			{Customer: members[0], Role: household.MemberRolePrimary, From: at(-1000)},
			{Customer: members[1], Role: household.MemberRoleSpouse, From: at(-900), To: at(-100)},
			{Customer: members[2], Role: "grandparent"},
		},
		Vehicles: vehicles,
		Address: household.PostalAddress{
			Lines:      []string{"1 Example Plaza", "Apt 5"},
			City:       "New York",
			Region:     "NY",
			PostalCode: "10001",
			Country:    "US",
		},
		Source:     "dms-import",
		CreatedAt:  at(-1000),
		UpdatedAt:  at(-5),
		Attributes: map[string]string{"dms.household": "H-77", "empty": ""},
	}
}

func fullVehicle(tenant dealer.Tenant, id household.VehicleID, hh household.ID, owners []customer.ID) household.Vehicle {
	return household.Vehicle{
		ID:       id,
		Tenant:   tenant,
		VIN:      vin1,
		Year:     2003,
		Make:     "Honda",
		Model:    "Accord",
		Trim:     "EX-L V6",
		Odometer: household.Odometer{Value: 123456789, Unit: "furlong", ReadAt: at(-20)},
		Stakeholders: []household.Stakeholder{
			{Customer: owners[0], Role: household.StakeholderRoleOwner, From: at(-5000)},
			{Customer: owners[1], Role: "mechanic", From: at(-400), To: at(-300)},
		},
		PurchasedAt:   at(-5000),
		PurchasedFrom: north,
		WarrantyEnds:  at(-2000),
		LeaseEnds:     at(300),
		LastService:   household.Odometer{Value: 98765, Unit: "league", ReadAt: at(-90)},
		Household:     hh,
		CreatedAt:     at(-5000),
		UpdatedAt:     at(-20),
		Attributes:    map[string]string{"dms.stock": "S-1234", "empty": ""},
	}
}

func fullEvent(tenant dealer.Tenant, id consent.ID, cust, giver customer.ID) consent.Event {
	return consent.Event{
		ID:      id,
		Tenant:  tenant,
		Subject: consent.Subject{Address: mustAddress("tel:+12125550123;ext=4"), Customer: cust},
		Channel: "carrier_pigeon",
		Purpose: "warranty",
		Rooftop: south,
		Action:  "ponder",
		Basis:   "vibes",
		Evidence: consent.Evidence{
			Method:            "telepathy",
			CapturedBy:        ana,
			SourceSystem:      "web",
			RawValue:          "checked",
			DisclosureText:    "By checking this box you agree to receive texts…",
			DisclosureVersion: "2025-01",
			DisclosureHash:    "sha256:00ff",
			RawText:           "YES please",
			ReceivedOn:        phone(99),
			IP:                netip.MustParseAddr("2001:db8::1"),
			UserAgent:         "Mozilla/5.0 (example)",
			RecordingRef:      "RE9",
			DocumentRef:       "doc-1",
			ProviderRef:       "prov-1",
		},
		CapturedAt:    at(-3),
		RecordedAt:    at(-2),
		EffectiveFrom: at(-4),
		EffectiveTo:   at(60 * 24 * 365),
		Giver:         consent.Giver{Name: "María Núñez", Relationship: "spouse", Customer: giver},
		Note:          "captured at the service drive",
	}
}
