package interaction

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
)

// DefaultCollisionWindow is the window a zero [CollisionPolicy.Window]
// stands for.
const DefaultCollisionWindow = 24 * time.Hour

// CollisionPolicy says when an intended contact collides with another
// member of staff's, and what to do about it. The zero CollisionPolicy warns
// about contacts in the last [DefaultCollisionWindow] and never refuses.
type CollisionPolicy struct {
	// Window is how far back another member of staff's contact with the
	// customer counts: zero means DefaultCollisionWindow; a negative Window
	// turns the recent-contact check off (ownership is still checked).
	// JSON carries it in nanoseconds.
	Window time.Duration `json:"window_ns,omitempty"`
	// Refuse turns every warning into a refusal: [Collision.Refused] is set
	// and [Collision.Err] returns an error.
	Refuse bool `json:"refuse,omitempty"`
}

// Intent is an intended contact with a customer, as [CheckCollision] reads
// it.
type Intent struct {
	// Staff is who intends to make the contact; zero when unknown, in which
	// case every member of staff counts as someone else.
	Staff dealer.Staff `json:"staff,omitempty"`
	// Customer is the customer to be contacted; zero when unknown, in which
	// case the interactions and conversations given are taken to be theirs.
	Customer customer.ID `json:"customer,omitzero"`
	// Conversation is the conversation the contact will belong to; zero
	// when not known, in which case every active conversation given counts.
	Conversation ConversationID `json:"conversation,omitzero"`
	// At is when the contact is to be made. Required.
	At time.Time `json:"at,omitzero"`
}

// Collision is what [CheckCollision] found: warnings, and whether the policy
// refuses the contact because of them.
type Collision struct {
	// Warnings lists the collisions: ownership first (in the order the
	// conversations were given), then recent contacts by other staff, one
	// per member of staff (their latest), newest first. Empty when none.
	Warnings []CollisionWarning `json:"warnings,omitempty"`
	// Refused is set when the policy refuses the contact: it has Refuse set
	// and there is at least one warning.
	Refused bool `json:"refused,omitempty"`
}

// CollisionWarning is one collision.
type CollisionWarning struct {
	// Reason says what collides. Required.
	Reason CollisionReason `json:"reason"`
	// Staff is the other member of staff: the one who made the recent
	// contact, or the owner of the conversation.
	Staff dealer.Staff `json:"staff,omitempty"`
	// At is when they last contacted the customer; zero for ownership.
	At time.Time `json:"at,omitzero"`
	// Interaction is their latest contact; zero for ownership.
	Interaction ID `json:"interaction,omitzero"`
	// Conversation is the conversation concerned, when known.
	Conversation ConversationID `json:"conversation,omitzero"`
}

// Err returns nil unless the contact is refused; then an error wrapping
// [ErrCollision] that names the reasons and the other staff (never the
// customer).
func (c Collision) Err() error {
	if !c.Refused {
		return nil
	}
	parts := make([]string, 0, len(c.Warnings))
	for _, w := range c.Warnings {
		parts = append(parts, string(w.Reason)+" ("+string(w.Staff)+")")
	}
	return fmt.Errorf("interaction: %w: %s", ErrCollision, strings.Join(parts, ", "))
}

// CheckCollision checks an intended contact against the customer's recent
// interactions and conversations, for a Book's Check. It is pure: the
// caller passes what it read (the customer's interactions since
// intent.At minus the window, and the customer's conversations).
//
// It warns with [CollisionReasonRecentContactByOther] for each other member
// of staff who contacted the customer within the policy's window, that is
// after intent.At − Window (later ones too): an outbound interaction of
// any kind whose first participant is that member of staff and whose
// authorship is not automated, or an inbound call they answered
// ([Interaction.Responds]). Automated messages and participants with the
// bot or system role are not staff contacts; interactions of another
// customer are ignored.
//
// It warns with [CollisionReasonOwnedByOther] for each open, pending or
// snoozed conversation of the customer (only intent.Conversation, when set)
// owned by another member of staff. Resolved and closed conversations do
// not count.
func CheckCollision(intent Intent, recent []Interaction, convs []Conversation, p CollisionPolicy) Collision {
	col := ownership(intent, convs)
	return checkContacts(intent, col, contactsOf(recent), p)
}

// StaffContact is a contact by a member of staff with a customer, as
// [CheckCollision] counts an interaction: see [Interaction.StaffContact].
type StaffContact struct {
	Staff        dealer.Staff   `json:"staff"`
	Customer     customer.ID    `json:"customer,omitzero"`
	At           time.Time      `json:"at"`
	Interaction  ID             `json:"interaction"`
	Conversation ConversationID `json:"conversation,omitzero"`
}

// StaffContact returns i as a staff contact, and whether it is one: an
// interaction whose first participant is a member of staff (not in the bot
// or system role) who sent it (outbound, not automated) or answered it
// (inbound, [Interaction.Responds]). These are the interactions
// [CheckCollision] warns about.
func (i Interaction) StaffContact() (StaffContact, bool) {
	who := i.author()
	if who == "" || !staffContact(i) {
		return StaffContact{}, false
	}
	return StaffContact{Staff: who, Customer: i.Customer, At: i.OccurredAt, Interaction: i.ID, Conversation: i.Conversation}, true
}

// contactsOf keeps the staff contacts among is, in order.
func contactsOf(is []Interaction) []StaffContact {
	var out []StaffContact
	for _, i := range is {
		if c, ok := i.StaffContact(); ok {
			out = append(out, c)
		}
	}
	return out
}

// CheckContacts is [CheckCollision] for a caller that kept only the staff
// contacts of the customer's recent interactions ([Interaction.StaffContact],
// in the same order): it gives the same Collision as CheckCollision given
// the interactions they came from.
func CheckContacts(intent Intent, contacts []StaffContact, convs []Conversation, p CollisionPolicy) Collision {
	return checkContacts(intent, ownership(intent, convs), contacts, p)
}

// ownership warns for the conversations owned by other staff.
func ownership(intent Intent, convs []Conversation) Collision {
	var col Collision
	for _, c := range convs {
		switch {
		case !intent.Conversation.IsZero() && c.ID != intent.Conversation,
			!intent.Customer.IsZero() && !c.Customer.IsZero() && c.Customer != intent.Customer,
			c.Status != ConversationStatusOpen && c.Status != ConversationStatusPending && c.Status != ConversationStatusSnoozed,
			c.Owner == "" || c.Owner == intent.Staff:
			continue
		}
		col.Warnings = append(col.Warnings, CollisionWarning{Reason: CollisionReasonOwnedByOther, Staff: c.Owner, Conversation: c.ID})
	}
	return col
}

// checkContacts adds the recent-contact warnings to col, which holds the
// ownership warnings, and decides.
func checkContacts(intent Intent, col Collision, contacts []StaffContact, p CollisionPolicy) Collision {
	window := p.Window
	if window == 0 {
		window = DefaultCollisionWindow
	}
	if window > 0 {
		since := intent.At.Add(-window)
		owned := len(col.Warnings)
		for _, i := range contacts {
			who := i.Staff
			switch {
			case who == intent.Staff,
				!intent.Customer.IsZero() && !i.Customer.IsZero() && i.Customer != intent.Customer,
				!i.At.After(since):
				continue
			}
			k := slices.IndexFunc(col.Warnings[owned:], func(w CollisionWarning) bool { return w.Staff == who })
			w := CollisionWarning{Reason: CollisionReasonRecentContactByOther, Staff: who, At: i.At, Interaction: i.Interaction, Conversation: i.Conversation}
			switch {
			case k < 0:
				col.Warnings = append(col.Warnings, w)
			case i.At.After(col.Warnings[owned+k].At):
				col.Warnings[owned+k] = w
			}
		}
		slices.SortStableFunc(col.Warnings[owned:], func(a, b CollisionWarning) int { return b.At.Compare(a.At) })
	}
	col.Refused = p.Refuse && len(col.Warnings) > 0
	return col
}

// staffContact reports whether i is a person on the dealership's side in
// contact with the customer.
func staffContact(i Interaction) bool {
	if r := i.Participants[0].Role; r == RoleBot || r == RoleSystem {
		return false
	}
	switch i.Direction {
	case DirectionOutbound:
		return i.Authorship != AuthorshipAutomated
	case DirectionInbound:
		return i.Responds()
	}
	return false
}
