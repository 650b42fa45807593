package interaction

import (
	"slices"
	"strings"
)

// maxTokenLen bounds the stored form of every enum of this package.
const maxTokenLen = 32

// Direction says which way an interaction went. The zero Direction means
// unknown.
//
// Values persist as the stable lower-case strings below. A value read from
// storage or JSON that this version does not know (written by a newer
// version) is kept as it is, so it survives a read-modify-write;
// [Direction.Known] tells the two apart.
type Direction string

// The values of Direction this version knows. The strings are stable: they are
// stored.
const (
	DirectionUnknown  Direction = ""
	DirectionInbound  Direction = "inbound"  // from the customer to the dealership
	DirectionOutbound Direction = "outbound" // from the dealership to the customer
	DirectionInternal Direction = "internal" // inside the dealership: a note, a transfer between staff; the customer sees nothing
)

var knownDirections = [...]Direction{DirectionInbound, DirectionOutbound, DirectionInternal}

// Directions returns every Direction this version knows, in a stable order.
func Directions() []Direction { return append([]Direction(nil), knownDirections[:]...) }

// Known reports whether d is one of the values this version of rapport
// knows. The zero Direction is not known.
func (d Direction) Known() bool { return slices.Contains(knownDirections[:], d) }

// String returns the stored form of d ("" for unknown).
func (d Direction) String() string { return string(d) }

// ParseDirection reads a direction from text, ignoring surrounding space and
// case. The empty string gives [DirectionUnknown]. A well-formed value this version
// does not know is returned as it is, with no error (see [Direction.Known]); an
// error wrapping [ErrInvalid] is returned only for text that cannot be a
// direction (anything but lower-case ASCII letters, digits, '_' and '-', or
// more than 32 bytes).
func ParseDirection(s string) (Direction, error) {
	v, err := parseToken("direction", s)
	return Direction(v), err
}

// UnmarshalText implements encoding.TextUnmarshaler with [ParseDirection].
func (d *Direction) UnmarshalText(b []byte) error {
	v, err := ParseDirection(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Kind says what sort of touch an interaction is, independently of the
// [channel.Kind] it went through (an email on the email channel, a chat on
// webchat or WhatsApp, a call on voice). The zero Kind means unknown.
//
// Values persist as the stable lower-case strings below. A value read from
// storage or JSON that this version does not know (written by a newer
// version) is kept as it is, so it survives a read-modify-write;
// [Kind.Known] tells the two apart.
type Kind string

// The values of Kind this version knows. The strings are stable: they are
// stored.
const (
	KindUnknown       Kind = ""
	KindMessage       Kind = "message" // a text message: SMS, MMS, WhatsApp, Messenger, Instagram
	KindCall          Kind = "call"    // a phone or video call; details in [Interaction.Call]
	KindEmail         Kind = "email"
	KindChat          Kind = "chat"           // a live web chat session
	KindVisit         Kind = "visit"          // the customer came in; [Interaction.Appointment] names the appointment kept, if any
	KindAppointment   Kind = "appointment"    // an appointment was set, confirmed, moved or cancelled; details in [Interaction.Appointment]
	KindNote          Kind = "note"           // a note written by staff, usually [DirectionInternal]
	KindSurvey        Kind = "survey"         // a survey answer (CSAT, NPS); details in [Interaction.Survey]
	KindFeedback      Kind = "feedback"       // unsolicited feedback: a compliment or a complaint
	KindReview        Kind = "review"         // a public online review; details in [Interaction.Post]
	KindReferral      Kind = "referral"       // a referral of a new customer; details in [Interaction.Referral]
	KindSocialMention Kind = "social_mention" // a public social-media post about the dealership; details in [Interaction.Post]
	KindLifecycle     Kind = "lifecycle"      // a step in a conversation's lifecycle (escalated, handed off, resolved…), always [DirectionInternal]; details in [Interaction.Lifecycle]
	KindLead          Kind = "lead"           // a sales lead from a lead provider or a web form (an ADF prospect), usually [DirectionInbound]
)

var knownKinds = [...]Kind{KindMessage, KindCall, KindEmail, KindChat, KindVisit, KindAppointment, KindNote, KindSurvey, KindFeedback, KindReview, KindReferral, KindSocialMention, KindLifecycle, KindLead}

// Kinds returns every Kind this version knows, in a stable order.
func Kinds() []Kind { return append([]Kind(nil), knownKinds[:]...) }

// Known reports whether k is one of the values this version of rapport
// knows. The zero Kind is not known.
func (k Kind) Known() bool { return slices.Contains(knownKinds[:], k) }

// String returns the stored form of k ("" for unknown).
func (k Kind) String() string { return string(k) }

// ParseKind reads a kind from text, ignoring surrounding space and
// case. The empty string gives [KindUnknown]. A well-formed value this version
// does not know is returned as it is, with no error (see [Kind.Known]); an
// error wrapping [ErrInvalid] is returned only for text that cannot be a
// kind (anything but lower-case ASCII letters, digits, '_' and '-', or
// more than 32 bytes).
func ParseKind(s string) (Kind, error) {
	v, err := parseToken("kind", s)
	return Kind(v), err
}

// UnmarshalText implements encoding.TextUnmarshaler with [ParseKind].
func (k *Kind) UnmarshalText(b []byte) error {
	v, err := ParseKind(string(b))
	if err != nil {
		return err
	}
	*k = v
	return nil
}

// Role is the part a member of the dealership's staff, or an automated
// handler, plays in an interaction. The zero Role means unknown.
//
// Roles name the dealership's side only: the customer is named by
// [Interaction.Customer] and [Interaction.Address], and [Direction] says
// whether the customer or the dealership spoke.
//
// Values persist as the stable lower-case strings below. A value read from
// storage or JSON that this version does not know (written by a newer
// version) is kept as it is, so it survives a read-modify-write;
// [Role.Known] tells the two apart.
type Role string

// The values of Role this version knows. The strings are stable: they are
// stored.
const (
	RoleUnknown        Role = ""
	RoleSalesperson    Role = "salesperson"
	RoleBDC            Role = "bdc"     // business development centre: the team that answers leads and sets appointments
	RoleManager        Role = "manager" // a sales, service or general manager
	RoleServiceAdvisor Role = "service_advisor"
	RoleFI             Role = "fi"     // finance and insurance
	RoleBot            Role = "bot"    // an automated handler: chat bot, AI agent, auto-responder
	RoleSystem         Role = "system" // rapport or the integrator's software acting on no one's behalf: reminders, receipts
)

var knownRoles = [...]Role{RoleSalesperson, RoleBDC, RoleManager, RoleServiceAdvisor, RoleFI, RoleBot, RoleSystem}

// Roles returns every Role this version knows, in a stable order.
func Roles() []Role { return append([]Role(nil), knownRoles[:]...) }

// Known reports whether r is one of the values this version of rapport
// knows. The zero Role is not known.
func (r Role) Known() bool { return slices.Contains(knownRoles[:], r) }

// String returns the stored form of r ("" for unknown).
func (r Role) String() string { return string(r) }

// ParseRole reads a role from text, ignoring surrounding space and
// case. The empty string gives [RoleUnknown]. A well-formed value this version
// does not know is returned as it is, with no error (see [Role.Known]); an
// error wrapping [ErrInvalid] is returned only for text that cannot be a
// role (anything but lower-case ASCII letters, digits, '_' and '-', or
// more than 32 bytes).
func ParseRole(s string) (Role, error) {
	v, err := parseToken("role", s)
	return Role(v), err
}

// UnmarshalText implements encoding.TextUnmarshaler with [ParseRole].
func (r *Role) UnmarshalText(b []byte) error {
	v, err := ParseRole(string(b))
	if err != nil {
		return err
	}
	*r = v
	return nil
}

// Authorship says who wrote the words of an outbound (or internal)
// interaction, so that metrics can compare response rates of personal
// messages with templated and automated ones. The zero Authorship means
// unknown.
//
// Values persist as the stable lower-case strings below. A value read from
// storage or JSON that this version does not know (written by a newer
// version) is kept as it is, so it survives a read-modify-write;
// [Authorship.Known] tells the two apart.
type Authorship string

// The values of Authorship this version knows. The strings are stable: they are
// stored.
const (
	AuthorshipUnknown   Authorship = ""
	AuthorshipHuman     Authorship = "human"     // written by a person for this customer
	AuthorshipTemplate  Authorship = "template"  // a template sent by a person, with at most its placeholders filled; [Interaction.Template] names it
	AuthorshipAutomated Authorship = "automated" // sent by software with no person involved: a campaign, a reminder, a bot
	AuthorshipAssisted  Authorship = "assisted"  // drafted by software (a template or an AI suggestion) and edited or approved by a person
)

var knownAuthorships = [...]Authorship{AuthorshipHuman, AuthorshipTemplate, AuthorshipAutomated, AuthorshipAssisted}

// Authorships returns every Authorship this version knows, in a stable order.
func Authorships() []Authorship { return append([]Authorship(nil), knownAuthorships[:]...) }

// Known reports whether a is one of the values this version of rapport
// knows. The zero Authorship is not known.
func (a Authorship) Known() bool { return slices.Contains(knownAuthorships[:], a) }

// String returns the stored form of a ("" for unknown).
func (a Authorship) String() string { return string(a) }

// ParseAuthorship reads a authorship from text, ignoring surrounding space and
// case. The empty string gives [AuthorshipUnknown]. A well-formed value this version
// does not know is returned as it is, with no error (see [Authorship.Known]); an
// error wrapping [ErrInvalid] is returned only for text that cannot be a
// authorship (anything but lower-case ASCII letters, digits, '_' and '-', or
// more than 32 bytes).
func ParseAuthorship(s string) (Authorship, error) {
	v, err := parseToken("authorship", s)
	return Authorship(v), err
}

// UnmarshalText implements encoding.TextUnmarshaler with [ParseAuthorship].
func (a *Authorship) UnmarshalText(b []byte) error {
	v, err := ParseAuthorship(string(b))
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// Status is the delivery status of an outbound interaction. The zero
// Status means none recorded. [Delivery.Apply] holds the rules for moving
// between statuses.
//
// Values persist as the stable lower-case strings below. A value read from
// storage or JSON that this version does not know (written by a newer
// version) is kept as it is, so it survives a read-modify-write;
// [Status.Known] tells the two apart.
type Status string

// The values of Status this version knows. The strings are stable: they are
// stored.
const (
	StatusUnknown   Status = ""
	StatusQueued    Status = "queued"    // waiting to be handed to the provider
	StatusSent      Status = "sent"      // the provider accepted or sent it
	StatusDelivered Status = "delivered" // the provider confirmed delivery to the handset, inbox or app
	StatusRead      Status = "read"      // a read receipt arrived
	StatusErrored   Status = "errored"   // a retryable error: it may be queued or sent again
	StatusFailed    Status = "failed"    // a permanent failure, with a reason; terminal
)

var knownStatuses = [...]Status{StatusQueued, StatusSent, StatusDelivered, StatusRead, StatusErrored, StatusFailed}

// Statuses returns every Status this version knows, in a stable order.
func Statuses() []Status { return append([]Status(nil), knownStatuses[:]...) }

// Known reports whether s is one of the values this version of rapport
// knows. The zero Status is not known.
func (s Status) Known() bool { return slices.Contains(knownStatuses[:], s) }

// String returns the stored form of s ("" for unknown).
func (s Status) String() string { return string(s) }

// ParseStatus reads a delivery status from text, ignoring surrounding space and
// case. The empty string gives [StatusUnknown]. A well-formed value this version
// does not know is returned as it is, with no error (see [Status.Known]); an
// error wrapping [ErrInvalid] is returned only for text that cannot be a
// delivery status (anything but lower-case ASCII letters, digits, '_' and '-', or
// more than 32 bytes).
func ParseStatus(s string) (Status, error) {
	v, err := parseToken("status", s)
	return Status(v), err
}

// UnmarshalText implements encoding.TextUnmarshaler with [ParseStatus].
func (s *Status) UnmarshalText(b []byte) error {
	v, err := ParseStatus(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// CallOutcome says how a call ended. The zero CallOutcome means unknown.
//
// Values persist as the stable lower-case strings below. A value read from
// storage or JSON that this version does not know (written by a newer
// version) is kept as it is, so it survives a read-modify-write;
// [CallOutcome.Known] tells the two apart.
type CallOutcome string

// The values of CallOutcome this version knows. The strings are stable: they are
// stored.
const (
	CallOutcomeUnknown   CallOutcome = ""
	CallOutcomeAnswered  CallOutcome = "answered"  // someone answered and the parties spoke
	CallOutcomeNoAnswer  CallOutcome = "no_answer" // it rang out, or an inbound call was missed
	CallOutcomeBusy      CallOutcome = "busy"
	CallOutcomeVoicemail CallOutcome = "voicemail" // a voicemail was left (outbound) or recorded (inbound)
	CallOutcomeFailed    CallOutcome = "failed"    // the call could not be placed or dropped before connecting
)

var knownCallOutcomes = [...]CallOutcome{CallOutcomeAnswered, CallOutcomeNoAnswer, CallOutcomeBusy, CallOutcomeVoicemail, CallOutcomeFailed}

// CallOutcomes returns every CallOutcome this version knows, in a stable order.
func CallOutcomes() []CallOutcome { return append([]CallOutcome(nil), knownCallOutcomes[:]...) }

// Known reports whether c is one of the values this version of rapport
// knows. The zero CallOutcome is not known.
func (c CallOutcome) Known() bool { return slices.Contains(knownCallOutcomes[:], c) }

// String returns the stored form of c ("" for unknown).
func (c CallOutcome) String() string { return string(c) }

// ParseCallOutcome reads a call outcome from text, ignoring surrounding space and
// case. The empty string gives [CallOutcomeUnknown]. A well-formed value this version
// does not know is returned as it is, with no error (see [CallOutcome.Known]); an
// error wrapping [ErrInvalid] is returned only for text that cannot be a
// call outcome (anything but lower-case ASCII letters, digits, '_' and '-', or
// more than 32 bytes).
func ParseCallOutcome(s string) (CallOutcome, error) {
	v, err := parseToken("outcome", s)
	return CallOutcome(v), err
}

// UnmarshalText implements encoding.TextUnmarshaler with [ParseCallOutcome].
func (c *CallOutcome) UnmarshalText(b []byte) error {
	v, err := ParseCallOutcome(string(b))
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// ConversationStatus is where a conversation stands. The zero
// ConversationStatus means unknown.
//
// Values persist as the stable lower-case strings below. A value read from
// storage or JSON that this version does not know (written by a newer
// version) is kept as it is, so it survives a read-modify-write;
// [ConversationStatus.Known] tells the two apart.
type ConversationStatus string

// The values of ConversationStatus this version knows. The strings are stable: they are
// stored.
const (
	ConversationStatusUnknown  ConversationStatus = ""
	ConversationStatusOpen     ConversationStatus = "open"     // a person on the dealership's side owns it
	ConversationStatusPending  ConversationStatus = "pending"  // an automated handler owns it ([Conversation.Handler]); no person has taken it yet
	ConversationStatusSnoozed  ConversationStatus = "snoozed"  // set aside until [Conversation.SnoozedUntil], or until the customer writes
	ConversationStatusResolved ConversationStatus = "resolved" // done for now; a new inbound message re-opens it
	ConversationStatusClosed   ConversationStatus = "closed"   // final: never re-opened or changed again; new traffic starts a new conversation
)

var knownConversationStatuses = [...]ConversationStatus{ConversationStatusOpen, ConversationStatusPending, ConversationStatusSnoozed, ConversationStatusResolved, ConversationStatusClosed}

// ConversationStatuses returns every ConversationStatus this version knows, in a stable order.
func ConversationStatuses() []ConversationStatus {
	return append([]ConversationStatus(nil), knownConversationStatuses[:]...)
}

// Known reports whether c is one of the values this version of rapport
// knows. The zero ConversationStatus is not known.
func (c ConversationStatus) Known() bool { return slices.Contains(knownConversationStatuses[:], c) }

// String returns the stored form of c ("" for unknown).
func (c ConversationStatus) String() string { return string(c) }

// ParseConversationStatus reads a conversation status from text, ignoring surrounding space and
// case. The empty string gives [ConversationStatusUnknown]. A well-formed value this version
// does not know is returned as it is, with no error (see [ConversationStatus.Known]); an
// error wrapping [ErrInvalid] is returned only for text that cannot be a
// conversation status (anything but lower-case ASCII letters, digits, '_' and '-', or
// more than 32 bytes).
func ParseConversationStatus(s string) (ConversationStatus, error) {
	v, err := parseToken("status", s)
	return ConversationStatus(v), err
}

// UnmarshalText implements encoding.TextUnmarshaler with [ParseConversationStatus].
func (c *ConversationStatus) UnmarshalText(b []byte) error {
	v, err := ParseConversationStatus(string(b))
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// CommitmentStatus is where a commitment stands. The zero
// CommitmentStatus means unknown.
//
// Values persist as the stable lower-case strings below. A value read from
// storage or JSON that this version does not know (written by a newer
// version) is kept as it is, so it survives a read-modify-write;
// [CommitmentStatus.Known] tells the two apart.
type CommitmentStatus string

// The values of CommitmentStatus this version knows. The strings are stable: they are
// stored.
const (
	CommitmentStatusUnknown   CommitmentStatus = ""
	CommitmentStatusOpen      CommitmentStatus = "open"       // promised and not yet kept
	CommitmentStatusDone      CommitmentStatus = "done"       // kept, at [Commitment.DoneAt]
	CommitmentStatusHandedOff CommitmentStatus = "handed_off" // passed to another member of staff ([Commitment.HandedOffTo]), who carries it under a new commitment
	CommitmentStatusCancelled CommitmentStatus = "cancelled"  // no longer needed, for [Commitment.CancelReason]
)

var knownCommitmentStatuses = [...]CommitmentStatus{CommitmentStatusOpen, CommitmentStatusDone, CommitmentStatusHandedOff, CommitmentStatusCancelled}

// CommitmentStatuses returns every CommitmentStatus this version knows, in a stable order.
func CommitmentStatuses() []CommitmentStatus {
	return append([]CommitmentStatus(nil), knownCommitmentStatuses[:]...)
}

// Known reports whether c is one of the values this version of rapport
// knows. The zero CommitmentStatus is not known.
func (c CommitmentStatus) Known() bool { return slices.Contains(knownCommitmentStatuses[:], c) }

// String returns the stored form of c ("" for unknown).
func (c CommitmentStatus) String() string { return string(c) }

// ParseCommitmentStatus reads a commitment status from text, ignoring surrounding space and
// case. The empty string gives [CommitmentStatusUnknown]. A well-formed value this version
// does not know is returned as it is, with no error (see [CommitmentStatus.Known]); an
// error wrapping [ErrInvalid] is returned only for text that cannot be a
// commitment status (anything but lower-case ASCII letters, digits, '_' and '-', or
// more than 32 bytes).
func ParseCommitmentStatus(s string) (CommitmentStatus, error) {
	v, err := parseToken("status", s)
	return CommitmentStatus(v), err
}

// UnmarshalText implements encoding.TextUnmarshaler with [ParseCommitmentStatus].
func (c *CommitmentStatus) UnmarshalText(b []byte) error {
	v, err := ParseCommitmentStatus(string(b))
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// AppointmentStatus is where an appointment stands. The zero
// AppointmentStatus means unknown.
//
// Values persist as the stable lower-case strings below. A value read from
// storage or JSON that this version does not know (written by a newer
// version) is kept as it is, so it survives a read-modify-write;
// [AppointmentStatus.Known] tells the two apart.
type AppointmentStatus string

// The values of AppointmentStatus this version knows. The strings are stable: they are
// stored.
const (
	AppointmentStatusUnknown   AppointmentStatus = ""
	AppointmentStatusScheduled AppointmentStatus = "scheduled"
	AppointmentStatusConfirmed AppointmentStatus = "confirmed" // the customer confirmed they will come
	AppointmentStatusShowed    AppointmentStatus = "showed"    // the customer came
	AppointmentStatusNoShow    AppointmentStatus = "no_show"   // the customer did not come
	AppointmentStatusCancelled AppointmentStatus = "cancelled"
)

var knownAppointmentStatuses = [...]AppointmentStatus{AppointmentStatusScheduled, AppointmentStatusConfirmed, AppointmentStatusShowed, AppointmentStatusNoShow, AppointmentStatusCancelled}

// AppointmentStatuses returns every AppointmentStatus this version knows, in a stable order.
func AppointmentStatuses() []AppointmentStatus {
	return append([]AppointmentStatus(nil), knownAppointmentStatuses[:]...)
}

// Known reports whether a is one of the values this version of rapport
// knows. The zero AppointmentStatus is not known.
func (a AppointmentStatus) Known() bool { return slices.Contains(knownAppointmentStatuses[:], a) }

// String returns the stored form of a ("" for unknown).
func (a AppointmentStatus) String() string { return string(a) }

// ParseAppointmentStatus reads a appointment status from text, ignoring surrounding space and
// case. The empty string gives [AppointmentStatusUnknown]. A well-formed value this version
// does not know is returned as it is, with no error (see [AppointmentStatus.Known]); an
// error wrapping [ErrInvalid] is returned only for text that cannot be a
// appointment status (anything but lower-case ASCII letters, digits, '_' and '-', or
// more than 32 bytes).
func ParseAppointmentStatus(s string) (AppointmentStatus, error) {
	v, err := parseToken("status", s)
	return AppointmentStatus(v), err
}

// UnmarshalText implements encoding.TextUnmarshaler with [ParseAppointmentStatus].
func (a *AppointmentStatus) UnmarshalText(b []byte) error {
	v, err := ParseAppointmentStatus(string(b))
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// FindingKind names the sort of sensitive data found in, and redacted
// from, an interaction's text. The zero FindingKind means unknown.
//
// Values persist as the stable lower-case strings below. A value read from
// storage or JSON that this version does not know (written by a newer
// version) is kept as it is, so it survives a read-modify-write;
// [FindingKind.Known] tells the two apart.
type FindingKind string

// The values of FindingKind this version knows. The strings are stable: they are
// stored.
const (
	FindingKindUnknown       FindingKind = ""
	FindingKindSSN           FindingKind = "ssn"            // a US Social Security number (or ITIN)
	FindingKindCard          FindingKind = "card"           // a payment card number
	FindingKindBankAccount   FindingKind = "bank_account"   // a bank account number
	FindingKindRoutingNumber FindingKind = "routing_number" // a bank routing (ABA) number
)

var knownFindingKinds = [...]FindingKind{FindingKindSSN, FindingKindCard, FindingKindBankAccount, FindingKindRoutingNumber}

// FindingKinds returns every FindingKind this version knows, in a stable order.
func FindingKinds() []FindingKind { return append([]FindingKind(nil), knownFindingKinds[:]...) }

// Known reports whether f is one of the values this version of rapport
// knows. The zero FindingKind is not known.
func (f FindingKind) Known() bool { return slices.Contains(knownFindingKinds[:], f) }

// String returns the stored form of f ("" for unknown).
func (f FindingKind) String() string { return string(f) }

// ParseFindingKind reads a finding kind from text, ignoring surrounding space and
// case. The empty string gives [FindingKindUnknown]. A well-formed value this version
// does not know is returned as it is, with no error (see [FindingKind.Known]); an
// error wrapping [ErrInvalid] is returned only for text that cannot be a
// finding kind (anything but lower-case ASCII letters, digits, '_' and '-', or
// more than 32 bytes).
func ParseFindingKind(s string) (FindingKind, error) {
	v, err := parseToken("kind", s)
	return FindingKind(v), err
}

// UnmarshalText implements encoding.TextUnmarshaler with [ParseFindingKind].
func (f *FindingKind) UnmarshalText(b []byte) error {
	v, err := ParseFindingKind(string(b))
	if err != nil {
		return err
	}
	*f = v
	return nil
}

// FlagReason says why an interaction was flagged for a manager's review.
// The zero FlagReason means unknown.
//
// Values persist as the stable lower-case strings below. A value read from
// storage or JSON that this version does not know (written by a newer
// version) is kept as it is, so it survives a read-modify-write;
// [FlagReason.Known] tells the two apart.
type FlagReason string

// The values of FlagReason this version knows. The strings are stable: they are
// stored.
const (
	FlagReasonUnknown       FlagReason = ""
	FlagReasonManual        FlagReason = "manual"         // a person flagged it
	FlagReasonPhrase        FlagReason = "phrase"         // it contains a watched phrase ([Flag.Phrase])
	FlagReasonSensitiveData FlagReason = "sensitive_data" // sensitive data was found and redacted (see [Interaction.Findings])
	// FlagReasonConsent: an inbound message says something about consent
	// that staff must judge (a restriction such as "don't call before
	// noon", or a request to stop that the policy leaves to review), by
	// [Flag.Due].
	FlagReasonConsent FlagReason = "consent"
)

var knownFlagReasons = [...]FlagReason{FlagReasonManual, FlagReasonPhrase, FlagReasonSensitiveData, FlagReasonConsent}

// FlagReasons returns every FlagReason this version knows, in a stable order.
func FlagReasons() []FlagReason { return append([]FlagReason(nil), knownFlagReasons[:]...) }

// Known reports whether f is one of the values this version of rapport
// knows. The zero FlagReason is not known.
func (f FlagReason) Known() bool { return slices.Contains(knownFlagReasons[:], f) }

// String returns the stored form of f ("" for unknown).
func (f FlagReason) String() string { return string(f) }

// ParseFlagReason reads a flag reason from text, ignoring surrounding space and
// case. The empty string gives [FlagReasonUnknown]. A well-formed value this version
// does not know is returned as it is, with no error (see [FlagReason.Known]); an
// error wrapping [ErrInvalid] is returned only for text that cannot be a
// flag reason (anything but lower-case ASCII letters, digits, '_' and '-', or
// more than 32 bytes).
func ParseFlagReason(s string) (FlagReason, error) {
	v, err := parseToken("reason", s)
	return FlagReason(v), err
}

// UnmarshalText implements encoding.TextUnmarshaler with [ParseFlagReason].
func (f *FlagReason) UnmarshalText(b []byte) error {
	v, err := ParseFlagReason(string(b))
	if err != nil {
		return err
	}
	*f = v
	return nil
}

// Action names a step in a conversation's lifecycle: what a
// [LifecycleEvent] records. The zero Action means unknown.
//
// Values persist as the stable lower-case strings below. A value read from
// storage or JSON that this version does not know (written by a newer
// version) is kept as it is, so it survives a read-modify-write;
// [Action.Known] tells the two apart.
type Action string

// The values of Action this version knows, with the [Conversation] method
// that produces each. The strings are stable: they are stored.
const (
	ActionUnknown         Action = ""
	ActionOpened          Action = "opened"           // [Conversation.Open]: the first touch opened it, open or pending
	ActionEscalated       Action = "escalated"        // [Conversation.Escalate]: an automated handler passed it to a person or team, with a reason
	ActionAssigned        Action = "assigned"         // [Conversation.Assign]: a person or team was made owner directly
	ActionHandoffOffered  Action = "handoff_offered"  // [Conversation.OfferHandoff]: the owner offered it to someone else, with a reason
	ActionHandoffAccepted Action = "handoff_accepted" // [Conversation.AcceptHandoff]: the offer was taken; the previous owner became a follower
	ActionHandoffDeclined Action = "handoff_declined" // [Conversation.DeclineHandoff]: the offer was declined or withdrawn; the owner keeps it
	ActionSnoozed         Action = "snoozed"          // [Conversation.Snooze]: set aside until a time, or until the customer writes
	ActionWoke            Action = "woke"             // [Conversation.Wake] or [Conversation.Touch]: back to open from snoozed
	ActionResolved        Action = "resolved"         // [Conversation.Resolve]: done for now
	ActionReopened        Action = "reopened"         // [Conversation.Reopen] or [Conversation.Touch]: a resolved conversation became active again
	ActionClosed          Action = "closed"           // [Conversation.Close]: final
)

var knownActions = [...]Action{ActionOpened, ActionEscalated, ActionAssigned, ActionHandoffOffered, ActionHandoffAccepted, ActionHandoffDeclined, ActionSnoozed, ActionWoke, ActionResolved, ActionReopened, ActionClosed}

// Actions returns every Action this version knows, in a stable order.
func Actions() []Action { return append([]Action(nil), knownActions[:]...) }

// Known reports whether a is one of the values this version of rapport
// knows. The zero Action is not known.
func (a Action) Known() bool { return slices.Contains(knownActions[:], a) }

// String returns the stored form of a ("" for unknown).
func (a Action) String() string { return string(a) }

// ParseAction reads a lifecycle action from text, ignoring surrounding space and
// case. The empty string gives [ActionUnknown]. A well-formed value this version
// does not know is returned as it is, with no error (see [Action.Known]); an
// error wrapping [ErrInvalid] is returned only for text that cannot be a
// lifecycle action (anything but lower-case ASCII letters, digits, '_' and '-', or
// more than 32 bytes).
func ParseAction(s string) (Action, error) {
	v, err := parseToken("action", s)
	return Action(v), err
}

// UnmarshalText implements encoding.TextUnmarshaler with [ParseAction].
func (a *Action) UnmarshalText(b []byte) error {
	v, err := ParseAction(string(b))
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// CollisionReason says why an intended contact collides with another
// member of staff's (see [CheckCollision]). The zero CollisionReason means
// unknown.
//
// Values persist as the stable lower-case strings below. A value read from
// storage or JSON that this version does not know (written by a newer
// version) is kept as it is, so it survives a read-modify-write;
// [CollisionReason.Known] tells the two apart.
type CollisionReason string

// The values of CollisionReason this version knows. The strings are stable: they are
// stored.
const (
	CollisionReasonUnknown              CollisionReason = ""
	CollisionReasonRecentContactByOther CollisionReason = "recent_contact_by_other_staff" // another member of staff contacted the customer within the policy's window
	CollisionReasonOwnedByOther         CollisionReason = "owned_by_other_staff"          // the customer's conversation is owned by another member of staff
)

var knownCollisionReasons = [...]CollisionReason{CollisionReasonRecentContactByOther, CollisionReasonOwnedByOther}

// CollisionReasons returns every CollisionReason this version knows, in a stable order.
func CollisionReasons() []CollisionReason {
	return append([]CollisionReason(nil), knownCollisionReasons[:]...)
}

// Known reports whether r is one of the values this version of rapport
// knows. The zero CollisionReason is not known.
func (r CollisionReason) Known() bool { return slices.Contains(knownCollisionReasons[:], r) }

// String returns the stored form of r ("" for unknown).
func (r CollisionReason) String() string { return string(r) }

// ParseCollisionReason reads a collision reason from text, ignoring surrounding space and
// case. The empty string gives [CollisionReasonUnknown]. A well-formed value this version
// does not know is returned as it is, with no error (see [CollisionReason.Known]); an
// error wrapping [ErrInvalid] is returned only for text that cannot be a
// collision reason (anything but lower-case ASCII letters, digits, '_' and '-', or
// more than 32 bytes).
func ParseCollisionReason(s string) (CollisionReason, error) {
	v, err := parseToken("reason", s)
	return CollisionReason(v), err
}

// UnmarshalText implements encoding.TextUnmarshaler with [ParseCollisionReason].
func (r *CollisionReason) UnmarshalText(b []byte) error {
	v, err := ParseCollisionReason(string(b))
	if err != nil {
		return err
	}
	*r = v
	return nil
}

// parseToken trims and lower-cases s and checks that the result is a
// stored enum token.
func parseToken(field, s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if !isToken(s, maxTokenLen) {
		return "", problem(field, ErrInvalid, "not a lower-case token of letters, digits, '_' and '-' of at most 32 bytes")
	}
	return s, nil
}

// isToken reports whether s is empty or a stored enum token: lower-case
// ASCII letters, digits, '_' and '-', at most max bytes.
func isToken(s string, max int) bool {
	if len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}
