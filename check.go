package rapport

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

// Contact is an intended outbound contact, as Book.Check judges it.
type Contact struct {
	// Address is where the contact would go; required.
	Address channel.Address
	// Channel is how; required (sms, voice, email, …).
	Channel channel.Kind
	// Purpose is what the message is for (required); Also lists the other purposes of
	// a message that serves several (a service reminder with a coupon is
	// service plus marketing, and is judged as marketing).
	Purpose consent.Purpose
	Also    []consent.Purpose
	// Rooftop is the dealership location the contact comes from.
	Rooftop dealer.Rooftop
	// Customer, when known, supplies the recipient's stated time zone;
	// otherwise the Book looks the address up.
	Customer customer.ID
	// Staff is who would make the contact (for collision warnings).
	Staff dealer.Staff
	// At is when; zero means now.
	At time.Time
	// Region names the recipient's state or province explicitly, when the
	// caller knows where they are: an ISO 3166-2 code ("US-FL", "CA-QC"),
	// or a US or Canadian abbreviation or name ("FL", "Québec"), read with
	// customer.ParseSubdivision; anything else makes Check fail with a
	// *customer.ValidationError for "region". It applies together with the states of the customer's postal
	// addresses and of the number's area code: each one's rules apply, so
	// the strictest wins.
	Region string
	// Registries are the results of the caller's do-not-call registry
	// scrubs for the line (consent.Listing: the registry, whether the line
	// was listed, and the date of the registry data). The Book does not
	// store them: scrubbing is the caller's list process, and the answer
	// is only as good as its date, which the policy's registry rules check
	// (a scrub older than 31 days is refused as registry_stale). A
	// telemarketing call under a policy with registry rules needs them.
	Registries []consent.Listing
	// ReassignedAt is the latest permanent disconnection of the number that
	// the FCC's Reassigned Numbers Database reported to the caller (47 CFR
	// 64.1200(m)); consent captured at or before it is void. Zero means
	// none reported (or not checked).
	ReassignedAt time.Time
	// Relationship adds what the caller knows of the established business
	// relationship outside the book (a purchase in the DMS, a lead in
	// another CRM). The Book adds what its own records show: see Check.
	Relationship consent.Relationship
	// Confirmation marks the one confirmation reply to an opt-out: a text
	// (Channel sms) to the line that opted out. On any other channel it is
	// ignored and the contact is judged as an ordinary one.
	Confirmation bool
}

// validate reports a malformed request: without an address, a channel or
// a purpose there is nothing to judge, and a refusal would look like a
// legal decision. The problems are *consent.ValidationError values
// wrapping consent.ErrMissing, joined.
func (c Contact) validate() error {
	var errs []error
	if c.Address.IsZero() {
		errs = append(errs, &consent.ValidationError{Field: "address", Err: fmt.Errorf("%w: where the contact would go", consent.ErrMissing)})
	}
	if c.Channel == channel.KindUnknown {
		errs = append(errs, &consent.ValidationError{Field: "channel", Err: fmt.Errorf("%w: how the contact would be made", consent.ErrMissing)})
	}
	if c.Purpose == consent.PurposeUnknown {
		errs = append(errs, &consent.ValidationError{Field: "purpose", Err: fmt.Errorf("%w: what the contact is for", consent.ErrMissing)})
	}
	return errors.Join(errs...)
}

// Verdict is Book.Check's answer: the consent decision and the collision
// check.
type Verdict struct {
	// Consent says whether consent law and the rooftop's policy allow the
	// contact, why, on which ledger event it rests and when it would next
	// be allowed.
	Consent consent.Decision
	// Collision warns when another member of staff contacted the customer
	// recently or owns their open conversation; Refused is set when the
	// Book's collision policy turns warnings into refusals.
	Collision interaction.Collision
}

// Allowed reports whether the contact may be made: consent allows it and no
// collision refuses it.
func (v Verdict) Allowed() bool { return v.Consent.Allowed && !v.Collision.Refused }

// Check decides whether an outbound contact may be made now (or at c.At):
// consent and revocations in the ledger for the address's line, the
// policy of the rooftop (legal basis by purpose, quiet hours in the
// recipient's time zones, frequency caps, state overrides), and the
// one opt-out confirmation. It gathers the inputs from storage and calls
// consent.Decide; the Decision says why, on which ledger event it rests and
// when the contact would next be allowed. The inputs are the state the
// backend keeps for the address's line (storage.LineStateReader, one read;
// every backend in this module has it), or, from a backend without it, the
// same records read through the Reader; the verdict is the same. For a
// campaign, CheckAll reads many lines at once.
//
// Limits are per line, whoever a send was addressed to: frequency caps, the
// one opt-out confirmation and the recent sends Decide sees count every
// outbound interaction to the address's line (extensions ignored), recorded
// for any customer — every holder of a family's shared number, c.Customer,
// and a customer who held the line before (a number that changed hands or
// was taken off a record) — so a shared number does not get a promotion
// per family member, nor a new holder one more on top of the previous
// holder's. (A backend with neither storage.LineStateReader nor
// storage.LineSendsReader cannot list a former holder's sends: on it, caps
// count the current holders' and c.Customer's.) An outbound
// interaction recorded without a consent check (RecordInteraction instead
// of Send) counts as marketing unless its Consent field names another
// purpose.
//
// State rules apply by where the recipient is: the policy's overrides and
// registry rules for the state of the number's area code (a presumption
// only), for the states and provinces of the customer's postal addresses
// other than billing addresses (customer.PostalAddress.Subdivision), and
// for c.Region all apply, so the strictest wins; the Decision's Rule and
// Region say which state's rule refused. Without c.Customer the addresses
// of every customer holding the line count.
//
// Registry rules (do-not-call registries) use c.Registries and
// c.ReassignedAt as the caller supplies them, and the established business
// relationship the book's records show, with the line's holders (or
// c.Customer): the latest purchase or lease of a vehicle in their
// households sold by a rooftop of the same seller as c.Rooftop
// (household.Vehicle.PurchasedAt and PurchasedFrom), and their latest
// inbound message, call, email or chat to such a rooftop (an inquiry),
// added to c.Relationship.
//
// The recipient's time zones are, in order: the customer's stated zone,
// else the zone of the contact point, else the zones of the phone number,
// else the policy's fallback zones; quiet hours must hold in all of them.
//
// Check also warns when another member of staff than c.Staff contacted the
// customer within the collision window, or owns the customer's open
// conversation (Verdict.Collision); the Book's CollisionPolicy can make
// such warnings refusals.
//
// A request without an address, a channel or a purpose is malformed, not
// refused: the error is a *consent.ValidationError naming the field and
// wrapping consent.ErrMissing.
func (b *Book) Check(ctx context.Context, c Contact) (_ Verdict, err error) {
	defer b.observe(ctx, "Check", time.Now(), &err)
	v, err := b.check(ctx, b.backend, c)
	return v, fail("Check", err)
}

func (b *Book) check(ctx context.Context, r storage.Reader, c Contact) (Verdict, error) {
	c, region, err := b.prepareContact(c)
	if err != nil {
		return Verdict{}, err
	}
	var st storage.LineState
	if lr, ok := r.(storage.LineStateReader); ok {
		if st, err = lr.LineState(ctx, b.tenant, b.lineQuery(c)); err != nil {
			return Verdict{}, err
		}
	} else if st, err = b.readLineState(ctx, r, b.lineQuery(c)); err != nil {
		return Verdict{}, err
	}
	return b.decide(ctx, r, c, region, st)
}

// prepareContact validates c, sets its time (now when zero, at the Book's
// precision) and reads its region.
func (b *Book) prepareContact(c Contact) (Contact, string, error) {
	if err := c.validate(); err != nil {
		return c, "", err
	}
	if c.At.IsZero() {
		c.At = b.clock()
	}
	c.At = stamp(c.At)
	region, err := customer.ParseSubdivision(c.Region)
	if err != nil {
		return c, "", err
	}
	// The one confirmation of an opt-out is a text (47 CFR 64.1200(a)(12));
	// a call or an email marked as one is judged as an ordinary contact.
	c.Confirmation = c.Confirmation && c.Channel == channel.KindSMS
	return c, region, nil
}

// lineQuery is what Check reads about c's line: the sends and staff
// contacts within the Book's lookback before c.At.
func (b *Book) lineQuery(c Contact) storage.LineQuery {
	return storage.LineQuery{Line: c.Address.Line(), Customer: c.Customer, Since: c.At.Add(-b.lookback), Until: c.At.Add(time.Microsecond)}
}

// lookback is how far back Check reads a line's sends and staff contacts:
// the longest frequency-cap period of any of ps's policies (their rules'
// caps and their state overrides' caps, so a dealership's own "two
// promotions a week" counts a week of sends), the longest confirmation
// window (the one confirmation must see the withdrawal's time and any
// earlier confirmation), and the collision window, and never less than
// capWindow.
func lookback(ps consent.Policies, col interaction.CollisionPolicy) time.Duration {
	w := max(capWindow, col.Window)
	of := func(p *consent.Policy) {
		w = max(w, p.ConfirmationWindow)
		for _, r := range p.Rules {
			w = max(w, r.Cap.Per)
		}
		for _, o := range p.Overrides {
			w = max(w, o.Cap.Per)
		}
	}
	of(&ps.Default)
	for _, p := range ps.Rooftops {
		of(&p)
	}
	return w
}

// decide judges c on the state of its line.
func (b *Book) decide(ctx context.Context, r storage.Reader, c Contact, region string, st storage.LineState) (Verdict, error) {
	return b.decideOnce(ctx, r, c, region, st, nil)
}

// relationOnce holds the established business relationship that
// decideOnce read for the first of several contacts that share their
// recipient (Customer), rooftop, time and caller-supplied Relationship and
// differ only in address, channel and purpose, as Brief's verdicts do: the
// relationship depends on nothing else, so the others reuse it.
type relationOnce struct {
	read bool
	rel  consent.Relationship
}

// decideOnce is decide, reading the relationship into once, or from it
// when already read there; nil once reads it every time.
func (b *Book) decideOnce(ctx context.Context, r storage.Reader, c Contact, region string, st storage.LineState, once *relationOnce) (Verdict, error) {
	line := c.Address.Line()
	ledger, err := b.withErased(ctx, r, line, st.Ledger)
	if err != nil {
		return Verdict{}, err
	}
	// Limits are per line: every send to it counts (st.Sends), whoever it
	// was recorded for; the contact's recipients are the customer it
	// names, else the holders.
	holders := st.Holders
	if !c.Customer.IsZero() {
		holders = []customer.ID{c.Customer}
	}
	policy := b.policies.For(c.Rooftop)
	col := b.collisions(holders, c, st)
	rel := c.Relationship
	if registryApplies(&policy, c) {
		if once != nil && once.read {
			rel = once.rel
		} else if rel, err = b.relationship(ctx, r, &policy, holders, c); err != nil {
			return Verdict{}, err
		} else if once != nil {
			once.read, once.rel = true, rel
		}
	}
	recent := slices.Clone(st.Sends)
	slices.SortFunc(recent, func(a, b consent.Send) int { return a.At.Compare(b.At) })
	d := consent.Decide(policy, consent.Ledger(ledger), consent.Request{
		Address:      line,
		Channel:      c.Channel,
		Purpose:      c.Purpose,
		Also:         c.Also,
		Rooftop:      c.Rooftop,
		At:           c.At,
		Zones:        b.zones(st.Recipients, line, policy),
		Region:       region,
		Regions:      regionsOf(st.Recipients),
		Registries:   c.Registries,
		Relationship: rel,
		ReassignedAt: stamp(c.ReassignedAt),
		Recent:       recent,
		Confirmation: c.Confirmation,
	})
	return Verdict{Consent: d, Collision: col}, nil
}

// readLineState gathers the state of q's line through the Reader's calls
// that storage.LineState names: the path for a backend without
// storage.LineStateReader.
func (b *Book) readLineState(ctx context.Context, r storage.Reader, q storage.LineQuery) (storage.LineState, error) {
	var st storage.LineState
	var err error
	if st.Ledger, err = r.ConsentByAddress(ctx, b.tenant, q.Line); err != nil {
		return st, err
	}
	if st.Holders, err = r.CustomersByAddress(ctx, b.tenant, q.Line); err != nil {
		return st, err
	}
	ids := st.Holders
	if !q.Customer.IsZero() {
		ids = []customer.ID{q.Customer}
	}
	known, err := b.holders(ctx, r, ids)
	if err != nil {
		return st, err
	}
	for k := range known {
		st.Recipients = append(st.Recipients, storage.RecipientOf(&known[k], q.Line))
	}
	senders := st.Holders
	if !q.Customer.IsZero() && !slices.Contains(senders, q.Customer) {
		senders = append(slices.Clone(senders), q.Customer)
	}
	recent, err := b.recent(ctx, r, senders, q)
	if err != nil {
		return st, err
	}
	// Every send to the line counts, whoever it was recorded for; without
	// storage.LineSendsReader only the holders' and the contact's
	// customer's sends can be found.
	ls, perLine := r.(storage.LineSendsReader)
	if perLine {
		sends, err := ls.LineSends(ctx, b.tenant, q.Line, q.Since, q.Until)
		if err != nil {
			return st, err
		}
		for _, s := range sends {
			st.Sends = append(st.Sends, s.Send)
		}
	}
	for k := range recent {
		i := &recent[k]
		if s, ok := storage.SendOf(i); ok && i.Address.Line() == q.Line && !perLine {
			st.Sends = append(st.Sends, s)
		}
		if sc, ok := i.StaffContact(); ok && slices.Contains(ids, i.Customer) {
			st.Contacts = append(st.Contacts, sc)
		}
	}
	for _, id := range ids {
		cs, err := r.ConversationsByCustomer(ctx, b.tenant, id, openStatuses...)
		if err != nil {
			return st, err
		}
		for _, cv := range cs {
			if cv.Owner != "" {
				st.Conversations = append(st.Conversations, cv)
			}
		}
	}
	return st, nil
}

// collisions checks the intended contact against other staff's recent
// contacts and the ownership of the conversations at its rooftop. A
// confirmation reply to an opt-out is exempt: it answers the customer's own
// message.
func (b *Book) collisions(holders []customer.ID, c Contact, st storage.LineState) interaction.Collision {
	if c.Confirmation || len(holders) == 0 || holders[0].IsZero() {
		return interaction.Collision{}
	}
	var convs []interaction.Conversation
	for _, cv := range st.Conversations {
		if cv.Rooftop == c.Rooftop {
			convs = append(convs, cv)
		}
	}
	return interaction.CheckContacts(interaction.Intent{Staff: c.Staff, Customer: customerOf(holders), At: c.At}, st.Contacts, convs, b.collision)
}

// customerOf names the customer of a contact when exactly one is known.
func customerOf(holders []customer.ID) customer.ID {
	if len(holders) == 1 {
		return holders[0]
	}
	return customer.ID{}
}

// zones resolves the recipient's candidate time zones.
func (b *Book) zones(recipients []storage.Recipient, line channel.Address, p consent.Policy) []*time.Location {
	var stated, point []string
	for _, r := range recipients {
		if r.Zone != "" {
			stated = appendUnique(stated, r.Zone)
		}
		for _, z := range r.LineZones {
			point = appendUnique(point, z)
		}
	}
	names := stated
	if len(names) == 0 {
		names = point
	}
	if len(names) == 0 {
		if ph, ok := line.Phone(); ok {
			names = ph.TimeZones()
		}
	}
	if len(names) == 0 {
		names = p.FallbackZones
	}
	if len(names) == 1 {
		// The common case, one zone: the same slice for every check
		// (consent.Decide only reads it).
		if l, ok := b.zoneSets.Load(names[0]); ok {
			return l.([]*time.Location)
		}
		if loc, err := b.location(names[0]); err == nil {
			locs := []*time.Location{loc}
			b.zoneSets.Store(names[0], locs)
			return locs
		}
	}
	locs := make([]*time.Location, 0, len(names))
	for _, n := range names {
		loc, err := b.location(n)
		if err != nil {
			b.log.Warn("rapport: unknown time zone ignored", "zone", n)
			continue
		}
		locs = append(locs, loc)
	}
	return locs
}

// fallbackZones loads the policy's fallback zones, skipping unknown ones.
func (b *Book) fallbackZones(p consent.Policy) []*time.Location {
	var out []*time.Location
	for _, n := range p.FallbackZones {
		if loc, err := b.location(n); err == nil {
			out = append(out, loc)
		}
	}
	return out
}

// location loads a time zone once per Book.
func (b *Book) location(name string) (*time.Location, error) {
	if l, ok := b.locs.Load(name); ok {
		return l.(*time.Location), nil
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	b.locs.Store(name, l)
	return l, nil
}

// capWindow is the least lookback: the longest cap period of the presets
// (the state caps of 24 hours).
const capWindow = 24 * time.Hour

// recent returns the interactions of the holders of an address in q's
// window, newest first.
func (b *Book) recent(ctx context.Context, r storage.Reader, holders []customer.ID, q storage.LineQuery) ([]interaction.Interaction, error) {
	var ids []customer.ID
	for _, id := range holders {
		if !id.IsZero() {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	iq := storage.InteractionQuery{Customers: ids, Since: q.Since, Until: q.Until}
	var out []interaction.Interaction
	var after storage.Cursor
	for {
		page, next, err := r.Interactions(ctx, b.tenant, iq, after, 500)
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if next == "" {
			return out, nil
		}
		after = next
	}
}

// ErrRefused is wrapped by the *RefusedError that Book.Send returns when
// the consent decision refuses a contact and no override reason was given.
var ErrRefused = errors.New("rapport: contact refused")

// RefusedError carries the verdict that refused a contact.
type RefusedError struct {
	Verdict Verdict
}

func (e *RefusedError) Error() string {
	msg := fmt.Sprintf("%v: %s", ErrRefused, e.Verdict.Consent.String())
	if err := e.Verdict.Collision.Err(); err != nil {
		msg += "; " + err.Error()
	}
	return msg
}

// Unwrap returns ErrRefused.
func (e *RefusedError) Unwrap() error { return ErrRefused }

// Outbound describes an outbound interaction for Book.Send: the interaction
// and what it is for.
type Outbound struct {
	Interaction interaction.Interaction
	Purpose     consent.Purpose
	Also        []consent.Purpose
	// Confirmation marks the one confirmation reply to an opt-out: a text
	// to the line that opted out (see Contact.Confirmation).
	Confirmation bool
	// Region, Registries, ReassignedAt and Relationship are what the caller
	// knows about where the recipient is and about the line's registry
	// listings, as in Contact: Send passes them to Check.
	Region       string
	Registries   []consent.Listing
	ReassignedAt time.Time
	Relationship consent.Relationship
	// Override, when not empty, records an outbound interaction that the
	// decision refused (a legally required notice, a reply the customer
	// asked for in person): the reason is stored with the decision.
	Override string
}

// Sent says what Book.Send did.
type Sent struct {
	Verdict Verdict
	Recorded
}

// author is the member of staff an interaction is by: its first
// participant.
func author(i interaction.Interaction) dealer.Staff {
	if len(i.Participants) > 0 {
		return i.Participants[0].Staff
	}
	return ""
}

// consentRecord is what an outbound interaction keeps of the decision it
// was made under.
func consentRecord(d consent.Decision, purpose consent.Purpose, confirmation bool, override string, at time.Time) *interaction.ConsentCheck {
	check := &interaction.ConsentCheck{
		Purpose:      string(purpose),
		Allowed:      d.Allowed,
		Policy:       d.Policy,
		Confirmation: confirmation,
		Override:     override,
		CheckedAt:    stamp(at),
	}
	for _, r := range d.Reasons() {
		check.Reasons = append(check.Reasons, string(r))
	}
	if !d.Event.IsZero() {
		check.Event = d.Event.String()
	}
	return check
}

// Send checks an outbound message or call (Book.Check) and records it, in
// one transaction, so that two replies racing for the one allowed opt-out
// confirmation cannot both pass. A refused contact is not recorded and the
// error is a *RefusedError wrapping ErrRefused, unless o.Override gives a
// reason, in which case it is recorded with the refusing decision and the
// reason. A collision (another member of staff on the same customer) is
// reported in Sent.Verdict and refuses the send only under a refusing
// CollisionPolicy. The decision is stored on the interaction (Interaction.Consent),
// so every contact can be explained afterwards.
func (b *Book) Send(ctx context.Context, o Outbound) (_ Sent, err error) {
	defer b.observe(ctx, "Send", time.Now(), &err)
	i := o.Interaction
	if i.Direction == interaction.DirectionUnknown {
		i.Direction = interaction.DirectionOutbound
	}
	if i.Direction != interaction.DirectionOutbound {
		return Sent{}, fail("Send", &interaction.ValidationError{Field: "direction", Err: fmt.Errorf("%w: Send records outbound interactions only", interaction.ErrInvalid)})
	}
	now := b.clock()
	if i.OccurredAt.IsZero() {
		i.OccurredAt = now
	}
	var sent Sent
	err = b.backend.Update(ctx, func(tx storage.Tx) error {
		sent = Sent{}
		v, err := b.check(ctx, tx, Contact{
			Address: i.Address, Channel: i.Channel, Purpose: o.Purpose, Also: o.Also,
			Rooftop: i.Rooftop, Customer: i.Customer, Staff: author(i), At: i.OccurredAt, Confirmation: o.Confirmation,
			Region: o.Region, Registries: o.Registries, ReassignedAt: o.ReassignedAt, Relationship: o.Relationship,
		})
		if err != nil {
			return err
		}
		sent.Verdict = v
		if !v.Allowed() && o.Override == "" {
			return &RefusedError{Verdict: v}
		}
		purpose := o.Purpose
		if slices.Contains(o.Also, consent.PurposeMarketing) {
			purpose = consent.PurposeMarketing
		}
		i.Consent = consentRecord(v.Consent, purpose, o.Confirmation && i.Channel == channel.KindSMS, o.Override, i.OccurredAt)
		i, err := b.prepare(i, now)
		if err != nil {
			return err
		}
		rec, err := b.record(ctx, tx, i, "", now)
		sent.Recorded = rec
		return err
	})
	if err != nil {
		var re *RefusedError
		if errors.As(err, &re) {
			return Sent{Verdict: re.Verdict}, fail("Send", err)
		}
		return Sent{}, fail("Send", err)
	}
	return sent, nil
}
