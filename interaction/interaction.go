package interaction

import (
	"cmp"
	"errors"
	"net/url"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/household"
)

// Interaction is one touch between the dealership and a customer, or about a
// customer: a message, call, email, chat, visit, appointment, note, survey
// answer, piece of feedback, review, referral or social-media mention.
//
// The fields that only some kinds use are pointers (Call, Appointment,
// Survey, Referral, Post); nil means "not applicable or not recorded".
// Every other zero value means unknown or unset. Validate says which fields
// are required.
//
// An Interaction is a plain value: it is not safe to modify it while another
// goroutine reads it, but any number of goroutines may call its methods,
// which only read, at once.
type Interaction struct {
	// ID is assigned when the interaction is first stored; zero until then.
	ID ID `json:"id,omitzero"`
	// Tenant owns the record. Required.
	Tenant dealer.Tenant `json:"tenant"`
	// Rooftop is the dealership location concerned; zero when not named.
	Rooftop dealer.Rooftop `json:"rooftop,omitempty"`
	// Customer is the customer the interaction is with or about; zero when
	// not (yet) known, as for a review by a stranger.
	Customer customer.ID `json:"customer,omitzero"`
	// Household is the household the interaction concerns, when it concerns
	// one as a whole (a note about a family's second car); zero otherwise.
	Household household.ID `json:"household,omitzero"`
	// Conversation is the conversation the interaction belongs to; zero when
	// none (a visit, a review, an imported call).
	Conversation ConversationID `json:"conversation,omitzero"`
	// Channel is the channel it went through; zero when none or unknown (an
	// internal note). A conversation may span channels, so Channel may differ
	// from the conversation's.
	Channel channel.Kind `json:"channel,omitempty"`
	// Address is the customer's contact point used (the number texted, the
	// email address written to); zero when none. When both are set and this
	// version knows them, Address must support Channel.
	Address channel.Address `json:"address,omitzero"`
	// Via is the dealership's contact point used: the rooftop's number, the
	// inbox's address, the web chat widget. Zero when none or unknown; when
	// set, it must support Channel as Address must.
	Via channel.Address `json:"via,omitzero"`
	// Direction says which way it went. Required.
	Direction Direction `json:"direction,omitempty"`
	// Kind says what sort of touch it is. Required.
	Kind Kind `json:"kind,omitempty"`
	// Subject is an email's subject line, or a title; one line.
	Subject string `json:"subject,omitempty"`
	// Body is the text: a message, an email body, a call summary or
	// transcript, a note, a review. Sensitive data in it is redacted before
	// it is stored; Findings says where.
	Body string `json:"body,omitempty"`
	// Participants lists the dealership's side: the staff and automated
	// handlers who took part, each with the part they played. The first one
	// is the one who wrote, placed or took the interaction; the customer is
	// never listed (see [Role]). Each staff member appears once.
	Participants []Participant `json:"participants,omitempty"`
	// Authorship says who wrote the words of an outbound or internal
	// interaction; it does not apply to inbound ones, whose author is the
	// customer.
	Authorship Authorship `json:"authorship,omitempty"`
	// Template names the template used (the integrator's name or ID for
	// it), when one was; it does not apply to inbound interactions or with
	// [AuthorshipHuman].
	Template string `json:"template,omitempty"`
	// OccurredAt is when it happened: when the message was sent or
	// received, the call started, the visit began. Required.
	OccurredAt time.Time `json:"occurred_at,omitzero"`
	// Delivery is the delivery state of an outbound message; zero for
	// everything else. It does not apply to inbound or internal
	// interactions.
	Delivery Delivery `json:"delivery,omitzero"`
	// Call holds a call's details; only for [KindCall].
	Call *Call `json:"call,omitempty"`
	// Appointment holds the appointment that was set or changed
	// ([KindAppointment]) or kept ([KindVisit]); nil for a walk-in visit.
	Appointment *Appointment `json:"appointment,omitempty"`
	// Survey holds a survey answer; only for [KindSurvey] and
	// [KindFeedback].
	Survey *Survey `json:"survey,omitempty"`
	// Referral says who referred whom; only for [KindReferral].
	Referral *Referral `json:"referral,omitempty"`
	// Post describes a public review or social-media post; only for
	// [KindReview] and [KindSocialMention].
	Post *Post `json:"post,omitempty"`
	// Lifecycle is the conversation lifecycle step this interaction records
	// in the timeline (escalated, handed off, resolved…); only for
	// [KindLifecycle], where it is required. Such an interaction is
	// [DirectionInternal], names its Conversation, and has OccurredAt equal
	// to Lifecycle.At.
	Lifecycle *LifecycleEvent `json:"lifecycle,omitempty"`
	// Consent is the consent decision an outbound contact was made under,
	// as rapport.Book.Send recorded it; nil when none was checked.
	Consent *ConsentCheck `json:"consent,omitempty"`
	// Findings lists the sensitive data found and redacted from Subject and
	// Body. Findings never overlap.
	Findings []Finding `json:"findings,omitempty"`
	// Flags lists the reasons the interaction was flagged for review, and
	// the reviews made.
	Flags []Flag `json:"flags,omitempty"`
	// ExternalRefs maps a system or provider ("twilio", "sendgrid",
	// "dealersocket") to its ID for this interaction (a message SID, a call
	// ID, an activity ID), so callbacks and re-imports find it. Keys are one
	// word of at most MaxKeyLen bytes; values are non-empty single lines.
	ExternalRefs map[string]string `json:"external_refs,omitempty"`
	// Attributes keeps fields from other systems that rapport has no place
	// for. Keys are one word of at most MaxKeyLen bytes; values are valid
	// UTF-8 of at most MaxTextLen bytes.
	Attributes map[string]string `json:"attributes,omitempty"`
	// CreatedAt and UpdatedAt are set by the Book; zero until stored.
	CreatedAt time.Time `json:"created_at,omitzero"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
	// Revision is incremented by the storage layer on every write and used
	// for optimistic concurrency; zero until stored.
	Revision int64 `json:"revision,omitempty"`
}

// Participant is one member of the dealership's staff, or one automated
// handler, taking part in an interaction.
type Participant struct {
	// Staff names the person or handler. Required.
	Staff dealer.Staff `json:"staff"`
	// Role is the part they played; zero when unknown.
	Role Role `json:"role,omitempty"`
}

// Call holds the details of a phone or video call.
type Call struct {
	// Outcome says how it ended; zero when unknown.
	Outcome CallOutcome `json:"outcome,omitempty"`
	// Duration is the talk time, or the length of the voicemail; zero when
	// unknown, and always zero for no_answer, busy and failed calls. Never
	// negative. JSON carries it in nanoseconds.
	Duration time.Duration `json:"duration_ns,omitempty"`
	// RecordingRef locates the recording (a provider's recording ID or a
	// URL); empty when there is none. rapport stores the reference, never
	// the audio.
	RecordingRef string `json:"recording_ref,omitempty"`
}

// Appointment is an appointment as an interaction records it: the one set,
// confirmed, moved or cancelled by an appointment interaction, or the one
// kept by a visit.
type Appointment struct {
	// ScheduledFor is when the appointment is, or was, due to start.
	// Required.
	ScheduledFor time.Time `json:"scheduled_for,omitzero"`
	// Purpose is a short label: "test drive", "service", "delivery",
	// "appraisal"; one line.
	Purpose string `json:"purpose,omitempty"`
	// Status is the appointment's status as of this interaction; zero when
	// unknown.
	Status AppointmentStatus `json:"status,omitempty"`
}

// Survey is a survey answer.
type Survey struct {
	// Name identifies the survey or question ("nps", "sales_csat",
	// "service visit 2025"); one line, optional.
	Name string `json:"name,omitempty"`
	// Score is the answer on a scale from 0 (or 1) to Scale: an NPS answer
	// runs 0–10 (Scale 10), a CSAT answer 1–5 (Scale 5). When Scale is zero
	// no score was given (a comment only) and Score must be zero.
	Score int `json:"score,omitempty"`
	Scale int `json:"scale,omitempty"`
	// Comment is the customer's free-text answer.
	Comment string `json:"comment,omitempty"`
}

// Referral says who referred whom. At least one of the two is known, and
// they differ.
type Referral struct {
	// Referrer is the customer who made the referral; zero when unknown
	// ("a friend told me").
	Referrer customer.ID `json:"referrer,omitzero"`
	// Referred is the customer referred; zero when not yet on record.
	Referred customer.ID `json:"referred,omitzero"`
}

// Post describes a public post about the dealership: an online review or a
// social-media mention.
type Post struct {
	// Platform names the site or network as a lower-case token: "google",
	// "dealerrater", "cars_com", "yelp", "facebook", "instagram", "x".
	// Required.
	Platform string `json:"platform"`
	// URL links to the post; an absolute http or https URL, or empty.
	URL string `json:"url,omitempty"`
	// Rating is the star rating, from 1 to Scale; zero when the post has
	// none. Scale is the platform's top rating (5 on most); zero when there
	// is no rating.
	Rating int `json:"rating,omitempty"`
	Scale  int `json:"scale,omitempty"`
}

// The text fields a [Finding] can point into.
const (
	FindingFieldBody    = "body"
	FindingFieldSubject = "subject"
)

// Finding is one piece of sensitive data found in an interaction's text and
// redacted from it. rapport never stores the data itself: only where the
// redaction mark is and, for recognition, at most the last four digits.
type Finding struct {
	// Kind says what was found. Required.
	Kind FindingKind `json:"kind"`
	// Field names the text holding it: [FindingFieldBody] or
	// [FindingFieldSubject]. Required; another well-formed name, written by
	// a newer version, is kept unchecked.
	Field string `json:"field"`
	// Start and End are byte offsets into the redacted text: the redaction
	// mark is text[Start:End]. 0 <= Start < End <= len(text), on character
	// boundaries.
	Start int `json:"start"`
	End   int `json:"end"`
	// Last4 is the last four digits of the number ("card ending 4242"), or
	// empty. Never more than four digits.
	Last4 string `json:"last4,omitempty"`
}

// Flag is one reason an interaction was flagged for a manager's review, and
// the review, once made.
type Flag struct {
	// Reason says why it was flagged. Required.
	Reason FlagReason `json:"reason"`
	// Phrase is the watched phrase that matched (the rule, as configured,
	// not the customer's words); required for [FlagReasonPhrase].
	Phrase string `json:"phrase,omitempty"`
	// FlaggedAt is when it was flagged. Required.
	FlaggedAt time.Time `json:"flagged_at,omitzero"`
	// FlaggedBy is who flagged it; zero when it was flagged automatically.
	FlaggedBy dealer.Staff `json:"flagged_by,omitempty"`
	// Due is when the review must be made by; zero means no deadline. A
	// [FlagReasonConsent] flag has one: a request about consent must be
	// honoured within 10 business days of receipt (47 CFR 64.1200(a)(10),
	// (d)(3)). Not before FlaggedAt.
	Due time.Time `json:"due,omitzero"`
	// ReviewedBy and ReviewedAt record the review: both zero while the flag
	// awaits review, both set once it is reviewed. ReviewedAt is not before
	// FlaggedAt.
	ReviewedBy dealer.Staff `json:"reviewed_by,omitempty"`
	ReviewedAt time.Time    `json:"reviewed_at,omitzero"`
	// Note is the flagger's or reviewer's comment.
	Note string `json:"note,omitempty"`
}

// Conversational reports whether k is a kind of touch that asks for, or
// gives, an answer: a message, call, email, chat or lead (a lead asks for
// an answer: the time to answer it is the dealership's speed to lead). Only
// these open conversations, start and stop response clocks, and count as
// replies in [Meter]'s figures.
func (k Kind) Conversational() bool {
	return k == KindMessage || k == KindCall || k == KindEmail || k == KindChat || k == KindLead
}

// Responds reports whether i is a person on the dealership's side answering
// the customer, the event that stops a response clock ([Meter],
// [Conversation.Touch]):
//
//   - an outbound message, call, email or chat ([Kind.Conversational]) whose
//     [Authorship] is human, assisted or template (a person wrote it,
//     approved it or chose to send it; automated and unknown authorship do
//     not count), unless its delivery errored or failed (the customer never
//     got it), and, for a call, unless its outcome says nobody was reached
//     (no_answer, busy, failed; a voicemail counts);
//   - an inbound call answered by a person: its outcome is answered and its
//     first participant's role is neither bot nor system.
func (i Interaction) Responds() bool {
	if !i.Kind.Conversational() {
		return false
	}
	switch i.Direction {
	case DirectionOutbound:
		switch i.Authorship {
		case AuthorshipHuman, AuthorshipAssisted, AuthorshipTemplate:
		default:
			return false
		}
		if i.Delivery.Status == StatusFailed || i.Delivery.Status == StatusErrored {
			return false
		}
		if i.Kind == KindCall && i.Call != nil {
			switch i.Call.Outcome {
			case CallOutcomeNoAnswer, CallOutcomeBusy, CallOutcomeFailed:
				return false
			}
		}
		return true
	case DirectionInbound:
		return i.Kind == KindCall && i.Call != nil && i.Call.Outcome == CallOutcomeAnswered &&
			len(i.Participants) > 0 && i.Participants[0].Role != RoleBot && i.Participants[0].Role != RoleSystem
	}
	return false
}

// awaitsAnswer reports whether i is the customer reaching out in a way that
// asks for an answer: an inbound conversational interaction that is not
// itself answered (a missed call, a voicemail, a message).
func (i Interaction) awaitsAnswer() bool {
	return i.Direction == DirectionInbound && i.Kind.Conversational() && !i.Responds()
}

// author returns the staff member who wrote, placed or took i: its first
// participant, or zero.
func (i Interaction) author() dealer.Staff {
	if len(i.Participants) == 0 {
		return ""
	}
	return i.Participants[0].Staff
}

// Validate reports every problem with i, as errors.Join of *ValidationError
// values (nil when i is valid). Each wraps one of this package's sentinels;
// for a malformed tenant, rooftop or staff identifier, also the dealer
// package's.
//
// Tenant, Direction, Kind and OccurredAt are required. Enum values must be
// well-formed tokens, but values this version does not know (written by a
// newer version) are accepted, and the rules that depend on them are
// skipped: an interaction of an unknown kind may carry any details. For the
// kinds this version knows, details of another kind are refused
// ([ErrNotApplicable]): call data on a message, a survey on a call.
//
// Validate never repeats the body, subject, addresses or other customer text
// in its errors.
func (i Interaction) Validate() error {
	var errs []error
	errs = checkTenant(errs, i.Tenant)
	errs = checkRooftop(errs, i.Rooftop)
	errs = checkToken(errs, "channel", string(i.Channel))
	if i.Channel != channel.KindWebForm { // a form carries whatever address the person typed in
		errs = checkVia(errs, "address", i.Address, i.Channel)
	}
	errs = checkVia(errs, "via", i.Via, i.Channel)
	errs = checkRequiredToken(errs, "direction", string(i.Direction))
	errs = checkRequiredToken(errs, "kind", string(i.Kind))
	errs = checkLine(errs, "subject", i.Subject, MaxTextLen)
	errs = checkText(errs, "body", i.Body, MaxBodyLen)
	errs = i.checkParticipants(errs)
	errs = checkToken(errs, "authorship", string(i.Authorship))
	errs = checkLine(errs, "template", i.Template, MaxTextLen)
	inbound := i.Direction == DirectionInbound
	if inbound && i.Authorship != AuthorshipUnknown {
		errs = append(errs, problem("authorship", ErrNotApplicable, "inbound interactions are written by the customer"))
	}
	if i.Template != "" {
		switch {
		case inbound:
			errs = append(errs, problem("template", ErrNotApplicable, "inbound interaction"))
		case i.Authorship == AuthorshipHuman:
			errs = append(errs, problem("template", ErrMismatch, "authorship is human"))
		}
	}
	if i.OccurredAt.IsZero() {
		errs = append(errs, invalid("occurred_at", ErrMissing))
	}
	errs = i.Delivery.validate(errs, "delivery")
	if i.Delivery != (Delivery{}) && (inbound || i.Direction == DirectionInternal) {
		errs = append(errs, problem("delivery", ErrNotApplicable, string(i.Direction)+" interaction"))
	}
	if i.Call != nil {
		errs = i.checkKind(errs, "call", KindCall)
		errs = i.Call.validate(errs, "call")
	}
	if i.Appointment != nil {
		errs = i.checkKind(errs, "appointment", KindAppointment, KindVisit)
		errs = i.Appointment.validate(errs, "appointment")
	}
	if i.Survey != nil {
		errs = i.checkKind(errs, "survey", KindSurvey, KindFeedback)
		errs = i.Survey.validate(errs, "survey")
	}
	if i.Referral != nil {
		errs = i.checkKind(errs, "referral", KindReferral)
		errs = i.Referral.validate(errs, "referral")
	}
	if i.Post != nil {
		errs = i.checkKind(errs, "post", KindReview, KindSocialMention)
		errs = i.Post.validate(errs, "post")
	}
	if i.Lifecycle != nil {
		errs = i.checkKind(errs, "lifecycle", KindLifecycle)
		errs = i.Lifecycle.validate(errs, "lifecycle")
	}
	if i.Kind == KindLifecycle {
		if i.Lifecycle == nil {
			errs = append(errs, problem("lifecycle", ErrMissing, "kind is lifecycle"))
		}
		if i.Direction != DirectionInternal && i.Direction.Known() {
			errs = append(errs, problem("direction", ErrMismatch, "a lifecycle step is internal"))
		}
		if i.Conversation.IsZero() {
			errs = append(errs, problem("conversation", ErrMissing, "a lifecycle step belongs to a conversation"))
		}
	}
	errs = i.checkFindings(errs)
	for n, f := range i.Flags {
		errs = f.validate(errs, "flags["+strconv.Itoa(n)+"]")
	}
	errs = checkMap(errs, "external_refs", i.ExternalRefs, true)
	errs = checkMap(errs, "attributes", i.Attributes, false)
	errs = checkRecord(errs, i.CreatedAt, i.UpdatedAt, i.Revision)
	errs = checkAllText(errs, i)
	return errors.Join(errs...)
}

// checkRequiredToken checks an enum value that must not be zero.
func checkRequiredToken(errs []error, field, tok string) []error {
	if tok == "" {
		return append(errs, invalid(field, ErrMissing))
	}
	return checkToken(errs, field, tok)
}

// checkVia checks that a (if set) can carry contact of kind k, when this
// version knows both.
func checkVia(errs []error, field string, a channel.Address, k channel.Kind) []error {
	if a.IsZero() || !k.Known() || !a.Scheme().Known() || a.Supports(k) {
		return errs
	}
	return append(errs, problem(field, ErrMismatch, "a "+string(a.Scheme())+": address cannot carry channel "+string(k)))
}

// checkKind refuses details that do not apply to i's kind, when this
// version knows the kind.
func (i Interaction) checkKind(errs []error, field string, kinds ...Kind) []error {
	if !i.Kind.Known() || slices.Contains(kinds, i.Kind) {
		return errs
	}
	return append(errs, problem(field, ErrNotApplicable, "kind is "+string(i.Kind)))
}

func (i Interaction) checkParticipants(errs []error) []error {
	seen := make(map[dealer.Staff]int, len(i.Participants))
	for n, p := range i.Participants {
		field := "participants[" + strconv.Itoa(n) + "]"
		if p.Staff == "" {
			errs = append(errs, invalid(field+".staff", ErrMissing))
		} else {
			errs = checkStaff(errs, field+".staff", p.Staff)
			if first, dup := seen[p.Staff]; dup {
				errs = append(errs, problem(field+".staff", ErrDuplicate, "same as participants["+strconv.Itoa(first)+"]"))
			} else {
				seen[p.Staff] = n
			}
		}
		errs = checkToken(errs, field+".role", string(p.Role))
	}
	return errs
}

func (c Call) validate(errs []error, prefix string) []error {
	errs = checkToken(errs, prefix+".outcome", string(c.Outcome))
	switch {
	case c.Duration < 0:
		errs = append(errs, problem(prefix+".duration_ns", ErrInvalid, "negative"))
	case c.Duration > 0 && (c.Outcome == CallOutcomeNoAnswer || c.Outcome == CallOutcomeBusy || c.Outcome == CallOutcomeFailed):
		errs = append(errs, problem(prefix+".duration_ns", ErrMismatch, "a call with outcome "+string(c.Outcome)+" has no talk time"))
	}
	return checkLine(errs, prefix+".recording_ref", c.RecordingRef, MaxTextLen)
}

func (a Appointment) validate(errs []error, prefix string) []error {
	if a.ScheduledFor.IsZero() {
		errs = append(errs, invalid(prefix+".scheduled_for", ErrMissing))
	}
	errs = checkLine(errs, prefix+".purpose", a.Purpose, MaxTextLen)
	return checkToken(errs, prefix+".status", string(a.Status))
}

func (s Survey) validate(errs []error, prefix string) []error {
	errs = checkLine(errs, prefix+".name", s.Name, MaxTextLen)
	errs = checkScore(errs, prefix, "score", s.Score, s.Scale, 0)
	return checkText(errs, prefix+".comment", s.Comment, MaxBodyLen)
}

// checkScore checks a score or rating against its scale: with a zero scale
// the score must be zero; otherwise min <= score <= scale, or, when min is
// 1, a zero score meaning "none".
func checkScore(errs []error, prefix, name string, score, scale, min int) []error {
	switch {
	case scale < 0:
		errs = append(errs, problem(prefix+".scale", ErrInvalid, "negative"))
	case scale == 0 && score != 0:
		errs = append(errs, problem(prefix+".scale", ErrMissing, "a "+name+" needs a scale"))
	case scale > 0 && (score < 0 || score > scale || (score < min && score != 0)):
		errs = append(errs, problem(prefix+"."+name, ErrOutOfRange, "outside "+strconv.Itoa(max(min, 0))+".."+strconv.Itoa(scale)))
	}
	return errs
}

func (r Referral) validate(errs []error, prefix string) []error {
	switch {
	case r.Referrer.IsZero() && r.Referred.IsZero():
		errs = append(errs, problem(prefix, ErrMissing, "neither referrer nor referred is known"))
	case r.Referrer == r.Referred:
		errs = append(errs, problem(prefix+".referred", ErrMismatch, "same customer as the referrer"))
	}
	return errs
}

func (p Post) validate(errs []error, prefix string) []error {
	if p.Platform == "" {
		errs = append(errs, invalid(prefix+".platform", ErrMissing))
	} else if !isToken(p.Platform, 64) {
		errs = append(errs, problem(prefix+".platform", ErrInvalid, "not a lower-case token of letters, digits, '_' and '-' of at most 64 bytes"))
	}
	if p.URL != "" {
		n := len(errs)
		if errs = checkLine(errs, prefix+".url", p.URL, MaxTextLen); len(errs) == n {
			u, err := url.Parse(p.URL)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				errs = append(errs, problem(prefix+".url", ErrInvalid, "not an absolute http or https URL"))
			}
		}
	}
	return checkScore(errs, prefix, "rating", p.Rating, p.Scale, 1)
}

func (i Interaction) checkFindings(errs []error) []error {
	type span struct{ start, end, idx int }
	spans := map[string][]span{}
	for n, f := range i.Findings {
		field := "findings[" + strconv.Itoa(n) + "]"
		errs = checkRequiredToken(errs, field+".kind", string(f.Kind))
		var text string
		switch f.Field {
		case FindingFieldBody:
			text = i.Body
		case FindingFieldSubject:
			text = i.Subject
		default:
			errs = checkRequiredToken(errs, field+".field", f.Field)
		}
		if f.Last4 != "" && !isDigits(f.Last4, 4) {
			errs = append(errs, problem(field+".last4", ErrInvalid, "not four digits"))
		}
		if f.Start < 0 || f.End <= f.Start {
			errs = append(errs, problem(field+".end", ErrInvalid, "not after start, or start negative"))
			continue
		}
		if f.Field != FindingFieldBody && f.Field != FindingFieldSubject {
			continue
		}
		if f.End > len(text) {
			errs = append(errs, problem(field+".end", ErrOutOfRange, "past the end of the "+f.Field))
			continue
		}
		if !boundary(text, f.Start) || !boundary(text, f.End) {
			errs = append(errs, problem(field, ErrInvalid, "offsets split a character"))
			continue
		}
		spans[f.Field] = append(spans[f.Field], span{f.Start, f.End, n})
	}
	for _, name := range []string{FindingFieldBody, FindingFieldSubject} {
		s := spans[name]
		slices.SortFunc(s, func(a, b span) int { return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(a.idx, b.idx)) })
		for k := 1; k < len(s); k++ {
			if s[k].start < s[k-1].end {
				a, b := min(s[k].idx, s[k-1].idx), max(s[k].idx, s[k-1].idx)
				errs = append(errs, problem("findings["+strconv.Itoa(b)+"]", ErrInvalid, "overlaps findings["+strconv.Itoa(a)+"]"))
			}
		}
	}
	return errs
}

// boundary reports whether offset n of s starts a character (or is its end).
func boundary(s string, n int) bool { return n == len(s) || utf8.RuneStart(s[n]) }

func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func (f Flag) validate(errs []error, prefix string) []error {
	errs = checkRequiredToken(errs, prefix+".reason", string(f.Reason))
	errs = checkLine(errs, prefix+".phrase", f.Phrase, MaxTextLen)
	if f.Reason == FlagReasonPhrase && f.Phrase == "" {
		errs = append(errs, problem(prefix+".phrase", ErrMissing, "a phrase flag names its phrase"))
	}
	if f.FlaggedAt.IsZero() {
		errs = append(errs, invalid(prefix+".flagged_at", ErrMissing))
	}
	errs = checkStaff(errs, prefix+".flagged_by", f.FlaggedBy)
	errs = checkStaff(errs, prefix+".reviewed_by", f.ReviewedBy)
	switch {
	case f.ReviewedBy != "" && f.ReviewedAt.IsZero():
		errs = append(errs, problem(prefix+".reviewed_at", ErrMissing, "reviewed_by is set"))
	case f.ReviewedBy == "" && !f.ReviewedAt.IsZero():
		errs = append(errs, problem(prefix+".reviewed_by", ErrMissing, "reviewed_at is set"))
	}
	errs = checkOrder(errs, prefix+".reviewed_at", f.FlaggedAt, f.ReviewedAt, "flagged_at")
	errs = checkOrder(errs, prefix+".due", f.FlaggedAt, f.Due, "flagged_at")
	return checkText(errs, prefix+".note", f.Note, MaxBodyLen)
}

// ConsentCheck records the consent decision an outbound contact was made
// under, so that every contact can be explained afterwards. Its values are
// the consent package's stable strings (this package does not import
// consent).
type ConsentCheck struct {
	// Purpose is what the contact was for (a consent.Purpose: "service",
	// "marketing", …); a message that mixed purposes records "marketing".
	Purpose string `json:"purpose"`
	// Allowed is the decision.
	Allowed bool `json:"allowed"`
	// Reasons are the decision's reason codes ("granted", "quiet_hours", …).
	Reasons []string `json:"reasons,omitempty"`
	// Event is the ID of the ledger event the decision rests on, or "".
	Event string `json:"event,omitempty"`
	// Policy names the policy applied ("us", "canada", …).
	Policy string `json:"policy,omitempty"`
	// Confirmation marks the one confirmation reply to an opt-out.
	Confirmation bool `json:"confirmation,omitempty"`
	// Override is the reason a refused contact was made anyway (a legally
	// required notice); "" when the decision allowed it.
	Override string `json:"override,omitempty"`
	// CheckedAt is the time the decision was made for.
	CheckedAt time.Time `json:"checked_at,omitzero"`
}
