package interaction

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/dealer"
)

// message returns a valid outbound text message with every general field
// set.
func message(t testing.TB) Interaction {
	t.Helper()
	body := "Hi Jane, got your SSN [redacted] - please don't text it. Card ending [redacted] noted."
	ssn := strings.Index(body, "[redacted]")
	card := strings.LastIndex(body, "[redacted]")
	id, _ := ParseID(ixn)
	cid, _ := ParseConversationID(conv)
	return Interaction{
		ID:           id,
		Tenant:       "acme-auto-group",
		Rooftop:      "acme-honda-downtown",
		Customer:     customerID(t, jane),
		Household:    householdID(t, house),
		Conversation: cid,
		Channel:      channel.KindSMS,
		Address:      mustAddress(t, "tel:+12125550123"),
		Via:          mustAddress(t, "tel:+12125550199"),
		Direction:    DirectionOutbound,
		Kind:         KindMessage,
		Body:         body,
		Participants: []Participant{{Staff: "sam.sales", Role: RoleSalesperson}, {Staff: "mia.manager", Role: RoleManager}},
		Authorship:   AuthorshipAssisted,
		Template:     "sensitive-data-warning-v2",
		OccurredAt:   t0,
		Delivery:     Delivery{Status: StatusDelivered, At: t1, Attempts: 1},
		Findings: []Finding{
			{Kind: FindingKindSSN, Field: FindingFieldBody, Start: ssn, End: ssn + len("[redacted]")},
			{Kind: FindingKindCard, Field: FindingFieldBody, Start: card, End: card + len("[redacted]"), Last4: "4242"},
		},
		Flags: []Flag{
			{Reason: FlagReasonSensitiveData, FlaggedAt: t1},
			{Reason: FlagReasonPhrase, Phrase: "best price", FlaggedAt: t1, FlaggedBy: "mia.manager", ReviewedBy: "gm", ReviewedAt: t2, Note: "fine"},
		},
		ExternalRefs: map[string]string{"twilio": "SM0123456789abcdef0123456789abcdef"},
		Attributes:   map[string]string{"campaign": "spring service\nevent"},
		CreatedAt:    t0,
		UpdatedAt:    t2,
		Revision:     3,
	}
}

func TestInteractionValid(t *testing.T) {
	valid := map[string]func(*Interaction){
		"message": func(*Interaction) {},
		"minimal": func(i *Interaction) {
			*i = Interaction{Tenant: "t", Direction: DirectionInbound, Kind: KindNote, OccurredAt: t0}
		},
		"inbound": func(i *Interaction) {
			i.Direction, i.Authorship, i.Template, i.Delivery = DirectionInbound, "", "", Delivery{}
		},
		"internal": func(i *Interaction) { i.Direction, i.Kind, i.Delivery = DirectionInternal, KindNote, Delivery{} },
		"call": func(i *Interaction) {
			i.Kind, i.Channel, i.Delivery = KindCall, channel.KindVoice, Delivery{}
			i.Call = &Call{Outcome: CallOutcomeAnswered, Duration: 95 * time.Second, RecordingRef: "RE0123"}
		},
		"missed call": func(i *Interaction) {
			i.Kind, i.Channel, i.Direction, i.Authorship, i.Template, i.Delivery = KindCall, channel.KindVoice, DirectionInbound, "", "", Delivery{}
			i.Call = &Call{Outcome: CallOutcomeNoAnswer}
		},
		"visit for an appointment": func(i *Interaction) {
			i.Kind, i.Channel, i.Address, i.Via, i.Delivery = KindVisit, channel.KindInPerson, channel.Address{}, channel.Address{}, Delivery{}
			i.Appointment = &Appointment{ScheduledFor: t0, Purpose: "test drive", Status: AppointmentStatusShowed}
		},
		"walk-in": func(i *Interaction) {
			i.Kind, i.Channel, i.Address, i.Via = KindVisit, "", channel.Address{}, channel.Address{}
		},
		"nps 0":   func(i *Interaction) { i.Kind, i.Survey = KindSurvey, &Survey{Name: "nps", Score: 0, Scale: 10} },
		"csat":    func(i *Interaction) { i.Kind, i.Survey = KindFeedback, &Survey{Score: 5, Scale: 5, Comment: "great"} },
		"comment": func(i *Interaction) { i.Kind, i.Survey = KindSurvey, &Survey{Comment: "ok"} },
		"referral": func(i *Interaction) {
			i.Kind, i.Referral = KindReferral, &Referral{Referrer: customerID(t, jane), Referred: customerID(t, john)}
		},
		"referral without referrer": func(i *Interaction) { i.Kind, i.Referral = KindReferral, &Referral{Referred: customerID(t, john)} },
		"review": func(i *Interaction) {
			i.Kind, i.Post = KindReview, &Post{Platform: "dealerrater", URL: "https://www.example.com/review/1", Rating: 5, Scale: 5}
		},
		"mention": func(i *Interaction) { i.Kind, i.Post = KindSocialMention, &Post{Platform: "instagram"} },
		"email": func(i *Interaction) {
			i.Kind, i.Channel, i.Subject = KindEmail, channel.KindEmail, "Your SSN [redacted]"
			i.Address, i.Via = mustAddress(t, "mailto:jane@example.com"), mustAddress(t, "mailto:sales@example.com")
			i.Findings = append(i.Findings, Finding{Kind: FindingKindSSN, Field: FindingFieldSubject, Start: 9, End: 19})
		},
		// Values from a newer version are storable.
		"newer kind with any details": func(i *Interaction) {
			i.Kind, i.Call, i.Survey = "video_tour", &Call{}, &Survey{Score: 1, Scale: 5}
		},
		"newer enums": func(i *Interaction) {
			i.Direction, i.Channel, i.Authorship = "broadcast", "telegram", "ai_generated"
			i.Participants[0].Role = "porter"
			i.Delivery.Status = "wired"
			i.Findings[0].Kind, i.Findings[1].Field = "passport", "transcript"
			i.Flags[0].Reason = "sentiment"
		},
		"newer address scheme":     func(i *Interaction) { i.Address = mustAddress(t, "telegram:12345") },
		"unknown participant role": func(i *Interaction) { i.Participants[1].Role = "" },
	}
	for name, mod := range valid {
		t.Run(name, func(t *testing.T) {
			i := message(t)
			mod(&i)
			if err := i.Validate(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestInteractionValidateReportsEveryProblem(t *testing.T) {
	i := Interaction{
		Tenant:       "acme group",
		Rooftop:      "r\x00",
		Channel:      channel.KindEmail,
		Address:      mustAddress(t, "tel:+12125550123"),
		Via:          mustAddress(t, "mailto:sales@example.com"),
		Direction:    DirectionInbound,
		Kind:         "Message!",
		Subject:      "two\nlines",
		Body:         "bad \xff utf-8",
		Participants: []Participant{{Staff: "sam"}, {}, {Staff: "sam", Role: "Boss Man"}},
		Authorship:   AuthorshipHuman,
		Template:     "t",
		Delivery:     Delivery{Status: StatusSent, At: t0},
		Call:         &Call{Duration: -time.Second},
		Revision:     -1,
		CreatedAt:    t1,
		UpdatedAt:    t0,
	}
	err := i.Validate()
	checkProblems(t, err,
		want{"tenant", ErrInvalid},
		want{"rooftop", ErrInvalid},
		want{"address", ErrMismatch},
		want{"kind", ErrInvalid},
		want{"subject", ErrInvalid},
		want{"body", ErrInvalid},
		want{"participants[1].staff", ErrMissing},
		want{"participants[2].staff", ErrDuplicate},
		want{"participants[2].role", ErrInvalid},
		want{"authorship", ErrNotApplicable},
		want{"template", ErrNotApplicable},
		want{"occurred_at", ErrMissing},
		want{"delivery", ErrNotApplicable},
		want{"call.duration_ns", ErrInvalid},
		want{"updated_at", ErrInvalid},
		want{"revision", ErrInvalid},
	)
	// The dealer package's sentinels show through too.
	if !errors.Is(err, dealer.ErrInvalid) {
		t.Error("tenant problem does not wrap dealer.ErrInvalid")
	}
	// Customer text never appears in the messages.
	for _, s := range []string{"+12125550123", "sales@example.com", "lines", "utf-8", "acme"} {
		if strings.Contains(err.Error(), s) {
			t.Errorf("error repeats %q: %v", s, err)
		}
	}
	var ve *ValidationError
	if !errors.As(err, &ve) || ve.Field != "tenant" {
		t.Errorf("errors.As found %+v first", ve)
	}
}

func TestInteractionRules(t *testing.T) {
	tests := []struct {
		name  string
		mod   func(*Interaction)
		wants []want
	}{
		{"zero", func(i *Interaction) { *i = Interaction{} },
			[]want{{"tenant", ErrMissing}, {"direction", ErrMissing}, {"kind", ErrMissing}, {"occurred_at", ErrMissing}}},
		{"via cannot carry channel", func(i *Interaction) { i.Via = mustAddress(t, "whatsapp:+12125550199") },
			[]want{{"via", ErrMismatch}}},
		{"template on a human message", func(i *Interaction) { i.Authorship = AuthorshipHuman },
			[]want{{"template", ErrMismatch}}},
		{"delivery on a note", func(i *Interaction) { i.Direction, i.Kind = DirectionInternal, KindNote },
			[]want{{"delivery", ErrNotApplicable}}},
		{"call data on a message", func(i *Interaction) { i.Call = &Call{Outcome: CallOutcomeAnswered} },
			[]want{{"call", ErrNotApplicable}}},
		{"talk time on an unanswered call", func(i *Interaction) {
			i.Kind, i.Delivery, i.Call = KindCall, Delivery{}, &Call{Outcome: CallOutcomeBusy, Duration: time.Second}
		}, []want{{"call.duration_ns", ErrMismatch}}},
		{"malformed call", func(i *Interaction) {
			i.Kind, i.Call = KindCall, &Call{Outcome: "Picked Up", RecordingRef: "a\tb"}
		}, []want{{"call.outcome", ErrInvalid}, {"call.recording_ref", ErrInvalid}}},
		{"appointment on a survey", func(i *Interaction) {
			i.Kind, i.Appointment = KindSurvey, &Appointment{Status: "Moved!"}
		}, []want{{"appointment", ErrNotApplicable}, {"appointment.scheduled_for", ErrMissing}, {"appointment.status", ErrInvalid}}},
		{"score above scale", func(i *Interaction) { i.Kind, i.Survey = KindSurvey, &Survey{Score: 11, Scale: 10} },
			[]want{{"survey.score", ErrOutOfRange}}},
		{"negative score", func(i *Interaction) { i.Kind, i.Survey = KindSurvey, &Survey{Score: -1, Scale: 10} },
			[]want{{"survey.score", ErrOutOfRange}}},
		{"score without scale", func(i *Interaction) { i.Kind, i.Survey = KindSurvey, &Survey{Score: 4} },
			[]want{{"survey.scale", ErrMissing}}},
		{"negative scale", func(i *Interaction) { i.Kind, i.Survey = KindSurvey, &Survey{Scale: -5} },
			[]want{{"survey.scale", ErrInvalid}}},
		{"survey on a message", func(i *Interaction) { i.Survey = &Survey{} },
			[]want{{"survey", ErrNotApplicable}}},
		{"empty referral", func(i *Interaction) { i.Kind, i.Referral = KindReferral, &Referral{} },
			[]want{{"referral", ErrMissing}}},
		{"self referral", func(i *Interaction) {
			i.Kind, i.Referral = KindReferral, &Referral{Referrer: customerID(t, jane), Referred: customerID(t, jane)}
		}, []want{{"referral.referred", ErrMismatch}}},
		{"referral on a review", func(i *Interaction) {
			i.Kind, i.Referral = KindReview, &Referral{Referred: customerID(t, jane)}
		}, []want{{"referral", ErrNotApplicable}}},
		{"bad post", func(i *Interaction) {
			i.Kind, i.Post = KindReview, &Post{URL: "javascript:alert(1)", Rating: 6, Scale: 5}
		}, []want{{"post.platform", ErrMissing}, {"post.url", ErrInvalid}, {"post.rating", ErrOutOfRange}}},
		{"post platform not a token", func(i *Interaction) {
			i.Kind, i.Post = KindReview, &Post{Platform: "Google Reviews", URL: "/relative"}
		}, []want{{"post.platform", ErrInvalid}, {"post.url", ErrInvalid}}},
		{"rating without scale", func(i *Interaction) { i.Kind, i.Post = KindReview, &Post{Platform: "google", Rating: 4} },
			[]want{{"post.scale", ErrMissing}}},
		{"post on a message", func(i *Interaction) { i.Post = &Post{Platform: "google"} },
			[]want{{"post", ErrNotApplicable}}},
		{"bad findings", func(i *Interaction) {
			i.Findings = []Finding{
				{},
				{Kind: FindingKindCard, Field: FindingFieldBody, Start: 5, End: 5, Last4: "42"},
				{Kind: FindingKindCard, Field: FindingFieldBody, Start: 0, End: len(i.Body) + 1},
				{Kind: FindingKindCard, Field: "Body", Start: 0, End: 1, Last4: "12345"},
			}
		}, []want{
			{"findings[0].kind", ErrMissing}, {"findings[0].field", ErrMissing}, {"findings[0].end", ErrInvalid},
			{"findings[1].last4", ErrInvalid}, {"findings[1].end", ErrInvalid},
			{"findings[2].end", ErrOutOfRange},
			{"findings[3].field", ErrInvalid}, {"findings[3].last4", ErrInvalid},
		}},
		{"overlapping findings", func(i *Interaction) {
			i.Findings = append(i.Findings, Finding{Kind: FindingKindBankAccount, Field: FindingFieldBody, Start: i.Findings[0].Start + 1, End: i.Findings[0].End + 2})
		}, []want{{"findings[2]", ErrInvalid}}},
		{"finding splits a character", func(i *Interaction) {
			i.Body = "é[x]"
			i.Findings = []Finding{{Kind: FindingKindSSN, Field: FindingFieldBody, Start: 1, End: 5}}
		}, []want{{"findings[0]", ErrInvalid}}},
		{"finding past the subject", func(i *Interaction) {
			i.Findings = []Finding{{Kind: FindingKindSSN, Field: FindingFieldSubject, Start: 0, End: 1}}
		}, []want{{"findings[0].end", ErrOutOfRange}}},
		{"bad flags", func(i *Interaction) {
			i.Flags = []Flag{
				{},
				{Reason: FlagReasonPhrase, FlaggedAt: t1, ReviewedBy: "gm"},
				{Reason: FlagReasonManual, FlaggedAt: t2, ReviewedAt: t1, FlaggedBy: "bad staff"},
			}
		}, []want{
			{"flags[0].reason", ErrMissing}, {"flags[0].flagged_at", ErrMissing},
			{"flags[1].phrase", ErrMissing}, {"flags[1].reviewed_at", ErrMissing},
			{"flags[2].flagged_by", ErrInvalid}, {"flags[2].reviewed_by", ErrMissing}, {"flags[2].reviewed_at", ErrInvalid},
		}},
		{"bad maps", func(i *Interaction) {
			i.ExternalRefs = map[string]string{"": "x", "twilio": "", "bandwidth": "a\nb", "has space": "x"}
			i.Attributes = map[string]string{"ok": "\xff"}
		}, []want{
			{"external_refs", ErrInvalid}, // the empty key
			{"external_refs", ErrInvalid}, // the key with a space
			{"external_refs.twilio", ErrMissing},
			{"external_refs.bandwidth", ErrInvalid},
			{"attributes.ok", ErrInvalid},
		}},
		{"too long", func(i *Interaction) { i.Body = strings.Repeat("a", MaxBodyLen+1) },
			[]want{{"body", ErrInvalid}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			i := message(t)
			tt.mod(&i)
			checkProblems(t, i.Validate(), tt.wants...)
		})
	}
}

func TestLifecycleRecordValidate(t *testing.T) {
	record := func(mod func(*Interaction)) Interaction {
		ev := LifecycleEvent{Action: ActionEscalated, At: t1, Status: ConversationStatusOpen, From: "sales-bot", To: "sam.sales", Team: "sales", Reason: "asked for a person"}
		i := Interaction{Tenant: "t", Conversation: convID(t), Direction: DirectionInternal, Kind: KindLifecycle, OccurredAt: t1, Lifecycle: &ev}
		if mod != nil {
			mod(&i)
		}
		return i
	}
	if err := record(nil).Validate(); err != nil {
		t.Fatal(err)
	}
	if err := record(func(i *Interaction) { i.Lifecycle.Action, i.Lifecycle.Reason, i.Lifecycle.Until = "parked", "", t2 }).Validate(); err != nil {
		t.Fatalf("newer action refused: %v", err)
	}
	tests := []struct {
		name  string
		mod   func(*Interaction)
		wants []want
	}{
		{"no event", func(i *Interaction) { i.Lifecycle = nil }, []want{{"lifecycle", ErrMissing}}},
		{"not internal", func(i *Interaction) { i.Direction = DirectionOutbound }, []want{{"direction", ErrMismatch}}},
		{"no conversation", func(i *Interaction) { i.Conversation = ConversationID{} }, []want{{"conversation", ErrMissing}}},
		{"on a message", func(i *Interaction) { i.Kind = KindMessage }, []want{{"lifecycle", ErrNotApplicable}}},
		{"empty event", func(i *Interaction) { *i.Lifecycle = LifecycleEvent{} }, []want{{"lifecycle.action", ErrMissing}, {"lifecycle.at", ErrMissing}}},
		{"malformed event", func(i *Interaction) {
			i.Lifecycle.Status, i.Lifecycle.By, i.Lifecycle.From, i.Lifecycle.To, i.Lifecycle.Team = "Open!", "a b", "c d", "e f", "g h"
		}, []want{{"lifecycle.status", ErrInvalid}, {"lifecycle.by", ErrInvalid}, {"lifecycle.from", ErrInvalid}, {"lifecycle.to", ErrInvalid}, {"lifecycle.team", ErrInvalid}}},
		{"escalation without reason", func(i *Interaction) { i.Lifecycle.Reason = "" }, []want{{"lifecycle.reason", ErrMissing}}},
		{"two-line reason", func(i *Interaction) { i.Lifecycle.Reason = "a\nb" }, []want{{"lifecycle.reason", ErrInvalid}}},
		{"until on an escalation", func(i *Interaction) { i.Lifecycle.Until = t2 }, []want{{"lifecycle.until", ErrNotApplicable}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkProblems(t, record(tt.mod).Validate(), tt.wants...)
		})
	}
}

func TestResponds(t *testing.T) {
	out := func(k Kind, a Authorship) Interaction {
		return Interaction{Direction: DirectionOutbound, Kind: k, Authorship: a}
	}
	person := []Participant{{Staff: "sam", Role: RoleSalesperson}}
	tests := []struct {
		name string
		i    Interaction
		want bool
	}{
		{"human message", out(KindMessage, AuthorshipHuman), true},
		{"assisted email", out(KindEmail, AuthorshipAssisted), true},
		{"template chat", out(KindChat, AuthorshipTemplate), true},
		{"automated message", out(KindMessage, AuthorshipAutomated), false},
		{"unknown authorship", out(KindMessage, ""), false},
		{"newer authorship", out(KindMessage, "ai_agent"), false},
		{"a note", out(KindNote, AuthorshipHuman), false},
		{"failed", func() Interaction { i := out(KindMessage, AuthorshipHuman); i.Delivery.Status = StatusFailed; return i }(), false},
		{"errored", func() Interaction {
			i := out(KindMessage, AuthorshipHuman)
			i.Delivery.Status = StatusErrored
			return i
		}(), false},
		{"call answered", func() Interaction {
			i := out(KindCall, AuthorshipHuman)
			i.Call = &Call{Outcome: CallOutcomeAnswered}
			return i
		}(), true},
		{"voicemail left", func() Interaction {
			i := out(KindCall, AuthorshipHuman)
			i.Call = &Call{Outcome: CallOutcomeVoicemail}
			return i
		}(), true},
		{"call not answered", func() Interaction {
			i := out(KindCall, AuthorshipHuman)
			i.Call = &Call{Outcome: CallOutcomeNoAnswer}
			return i
		}(), false},
		{"inbound call a person took", Interaction{Direction: DirectionInbound, Kind: KindCall, Call: &Call{Outcome: CallOutcomeAnswered}, Participants: person}, true},
		{"inbound call the IVR took", Interaction{Direction: DirectionInbound, Kind: KindCall, Call: &Call{Outcome: CallOutcomeAnswered}, Participants: []Participant{{Staff: "ivr", Role: RoleBot}}}, false},
		{"missed inbound call", Interaction{Direction: DirectionInbound, Kind: KindCall, Call: &Call{Outcome: CallOutcomeNoAnswer}, Participants: person}, false},
		{"inbound message", Interaction{Direction: DirectionInbound, Kind: KindMessage}, false},
	}
	for _, tt := range tests {
		if got := tt.i.Responds(); got != tt.want {
			t.Errorf("%s: Responds() = %v", tt.name, got)
		}
	}
}
