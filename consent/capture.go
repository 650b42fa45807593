package consent

import (
	"errors"
	"net/netip"
	"strings"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
)

// The capture helpers build a grant [Event] from the way consent was given,
// and refuse one that could not later answer the questions a regulator or a
// court asks (the ICO's list: who consented, when, how, and what they were
// told). Each returns the event, not yet appended (its ID, Tenant and
// RecordedAt are left for the Book), or the errors.Join of every problem
// found, each a *ValidationError naming the event field it concerns.

// WebForm is consent given on a web form: the dealership's site, a chat
// widget, or a lead provider's form.
type WebForm struct {
	// Address is the contact point the form collected; required.
	Address channel.Address `json:"address,omitzero"`
	// Customer is the customer the address belongs to, when known.
	Customer customer.ID `json:"customer,omitzero"`
	// Channel and Purpose are what the consent covers; required. A form
	// with one checkbox for "texts and calls about offers" gives one event
	// per channel (or one for [AllChannels]).
	Channel channel.Kind `json:"channel,omitempty"`
	Purpose Purpose      `json:"purpose,omitempty"`
	// Rooftop is the dealership the disclosure names; zero means every
	// rooftop of the tenant.
	Rooftop dealer.Rooftop `json:"rooftop,omitempty"`
	// Basis is the legal basis the disclosure establishes; required
	// (BasisExpressWritten for a TCPA-compliant marketing disclosure).
	Basis Basis `json:"basis,omitempty"`
	// At is when the form was submitted; required.
	At time.Time `json:"at,omitzero"`
	// DisclosureText is the exact wording shown, and DisclosureVersion the
	// name of its version; at least one is required.
	DisclosureText    string `json:"disclosure_text,omitempty"`
	DisclosureVersion string `json:"disclosure_version,omitempty"`
	// IP is the address the form was submitted from; required.
	IP netip.Addr `json:"ip,omitzero"`
	// UserAgent is the browser's User-Agent header; required.
	UserAgent string `json:"user_agent,omitempty"`
	// PageURL is the page the form was on.
	PageURL string `json:"page_url,omitempty"`
	// SourceSystem names the site or lead provider ("website",
	// "leads:autotrader").
	SourceSystem string `json:"source_system,omitempty"`
	// Giver is who filled in the form for the person, if not themselves.
	Giver Giver `json:"giver,omitzero"`
}

// FromWebForm returns the grant a web form records, with MethodWebForm.
// Besides [Event.Validate]'s checks it requires the disclosure (text or
// version, field "evidence.disclosure_text"), the IP address
// ("evidence.ip") and the user agent ("evidence.user_agent").
func FromWebForm(f WebForm) (Event, error) {
	e := Event{
		Subject: Subject{Address: f.Address, Customer: f.Customer},
		Channel: f.Channel, Purpose: f.Purpose, Rooftop: f.Rooftop,
		Action: ActionGrant, Basis: f.Basis, CapturedAt: f.At, Giver: f.Giver,
		Evidence: Evidence{
			Method: MethodWebForm, SourceSystem: strings.TrimSpace(f.SourceSystem),
			DisclosureText: verbatim(f.DisclosureText), DisclosureVersion: strings.TrimSpace(f.DisclosureVersion),
			IP: f.IP, UserAgent: strings.TrimSpace(f.UserAgent), PageURL: strings.TrimSpace(f.PageURL),
		},
	}
	var errs []error
	if e.Evidence.DisclosureText == "" && e.Evidence.DisclosureVersion == "" {
		errs = append(errs, problem("evidence.disclosure_text", ErrMissing, "a web form keeps what the person was shown"))
	}
	if !f.IP.IsValid() {
		errs = append(errs, problem("evidence.ip", ErrMissing, ""))
	}
	if e.Evidence.UserAgent == "" {
		errs = append(errs, problem("evidence.user_agent", ErrMissing, ""))
	}
	return finish(e, errs)
}

// CallConsent is consent given by voice on a phone call, to a staff member
// or an automated system.
type CallConsent struct {
	// Address, Customer, Channel, Purpose, Rooftop, Basis and At are as for
	// [WebForm]. Channel is what the consent covers (texts, say), not the
	// call it was given on.
	Address  channel.Address `json:"address,omitzero"`
	Customer customer.ID     `json:"customer,omitzero"`
	Channel  channel.Kind    `json:"channel,omitempty"`
	Purpose  Purpose         `json:"purpose,omitempty"`
	Rooftop  dealer.Rooftop  `json:"rooftop,omitempty"`
	Basis    Basis           `json:"basis,omitempty"`
	At       time.Time       `json:"at,omitzero"`
	// Staff is who took the consent; required.
	Staff dealer.Staff `json:"staff,omitempty"`
	// RecordingRef points at the call recording. Script is the wording read
	// to the person and ScriptVersion its version. A recording or the
	// script is required.
	RecordingRef  string `json:"recording_ref,omitempty"`
	Script        string `json:"script,omitempty"`
	ScriptVersion string `json:"script_version,omitempty"`
	// Giver is who consented for the person, if not themselves.
	Giver Giver `json:"giver,omitzero"`
}

// FromCall returns the grant a call records, with MethodCall. Besides
// [Event.Validate]'s checks it requires the staff member
// ("evidence.captured_by") and a recording reference or the script read
// ("evidence.recording_ref").
func FromCall(c CallConsent) (Event, error) {
	e := Event{
		Subject: Subject{Address: c.Address, Customer: c.Customer},
		Channel: c.Channel, Purpose: c.Purpose, Rooftop: c.Rooftop,
		Action: ActionGrant, Basis: c.Basis, CapturedAt: c.At, Giver: c.Giver,
		Evidence: Evidence{
			Method: MethodCall, CapturedBy: c.Staff, RecordingRef: strings.TrimSpace(c.RecordingRef),
			DisclosureText: verbatim(c.Script), DisclosureVersion: strings.TrimSpace(c.ScriptVersion),
		},
	}
	var errs []error
	if c.Staff == "" {
		errs = append(errs, problem("evidence.captured_by", ErrMissing, "a call names who took the consent"))
	}
	if e.Evidence.RecordingRef == "" && e.Evidence.DisclosureText == "" && e.Evidence.DisclosureVersion == "" {
		errs = append(errs, problem("evidence.recording_ref", ErrMissing, "a call keeps its recording or the script read"))
	}
	return finish(e, errs)
}

// Import is consent brought in from another system: a DMS, a previous CRM,
// a lead provider's file.
type Import struct {
	// Address, Customer, Channel, Purpose, Rooftop and Basis are as for
	// [WebForm]; Basis is what the source's value means (an opt-in flag
	// from a DMS with no disclosure behind it is BasisExpress at best).
	Address  channel.Address `json:"address,omitzero"`
	Customer customer.ID     `json:"customer,omitzero"`
	Channel  channel.Kind    `json:"channel,omitempty"`
	Purpose  Purpose         `json:"purpose,omitempty"`
	Rooftop  dealer.Rooftop  `json:"rooftop,omitempty"`
	Basis    Basis           `json:"basis,omitempty"`
	// At is when the person consented, as the source records it (not when
	// it was imported); required.
	At time.Time `json:"at,omitzero"`
	// EffectiveFrom and EffectiveTo bound the grant; implied consent needs
	// EffectiveTo (see [Event]).
	EffectiveFrom time.Time `json:"effective_from,omitzero"`
	EffectiveTo   time.Time `json:"effective_to,omitzero"`
	// SourceSystem names the system ("dms:cdk"); RawValue is its own value
	// for the consent, verbatim ("Y", "SMS_MKT=1"). Both required.
	SourceSystem string `json:"source_system,omitempty"`
	RawValue     string `json:"raw_value,omitempty"`
	// DisclosureText and DisclosureVersion are what the person was told,
	// when the source knows; DocumentRef points at a scanned form.
	DisclosureText    string `json:"disclosure_text,omitempty"`
	DisclosureVersion string `json:"disclosure_version,omitempty"`
	DocumentRef       string `json:"document_ref,omitempty"`
	// ImportedBy is the staff member who ran the import, if any.
	ImportedBy dealer.Staff `json:"imported_by,omitempty"`
}

// FromImport returns the grant an import records, with MethodImport.
// Besides [Event.Validate]'s checks (which require the source system) it
// requires the raw value ("evidence.raw_value").
func FromImport(i Import) (Event, error) {
	e := Event{
		Subject: Subject{Address: i.Address, Customer: i.Customer},
		Channel: i.Channel, Purpose: i.Purpose, Rooftop: i.Rooftop,
		Action: ActionGrant, Basis: i.Basis, CapturedAt: i.At,
		EffectiveFrom: i.EffectiveFrom, EffectiveTo: i.EffectiveTo,
		Evidence: Evidence{
			Method: MethodImport, CapturedBy: i.ImportedBy,
			SourceSystem: strings.TrimSpace(i.SourceSystem), RawValue: i.RawValue,
			DisclosureText: verbatim(i.DisclosureText), DisclosureVersion: strings.TrimSpace(i.DisclosureVersion),
			DocumentRef: strings.TrimSpace(i.DocumentRef),
		},
	}
	var errs []error
	if i.RawValue == "" {
		errs = append(errs, problem("evidence.raw_value", ErrMissing, "an import keeps the source's own value"))
	}
	return finish(e, errs)
}

// verbatim keeps the exact wording a person was shown or read, unless it is
// only white space, which shows nothing.
func verbatim(s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	return s
}

// finish joins the helper's own problems with the event's.
func finish(e Event, errs []error) (Event, error) {
	if err := e.Validate(); err != nil {
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			errs = append(errs, j.Unwrap()...)
		} else {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return Event{}, errors.Join(errs...)
	}
	return e, nil
}
