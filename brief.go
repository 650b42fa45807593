package rapport

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

// BriefOptions configure [Book.Brief] and [Book.HouseholdBrief]. The zero
// BriefOptions (or nil) means the defaults.
type BriefOptions struct {
	// Rooftop is the dealership location asking: the consent verdicts use
	// its policy and its collision checks. Zero means the tenant-wide
	// policy.
	Rooftop dealer.Rooftop
	// Staff is who is looking: another member of staff's recent contact
	// shows as a collision in the verdicts.
	Staff dealer.Staff
	// Window is how far back responsiveness, feedback and the household
	// timeline look; zero means DefaultBriefWindow.
	Window time.Duration
	// MinAsked is how many staff messages a channel needs in the window
	// before the evidence can recommend it (Brief.UseNow); zero means
	// DefaultBriefMinAsked.
	MinAsked int
	// MaxFeedback is how many feedback items (the newest) a brief lists;
	// zero means DefaultBriefMaxFeedback.
	MaxFeedback int
	// Opportunities are the thresholds of the vehicle opportunities; the
	// zero value means household's documented defaults and no brands (so
	// no off-brand opportunity).
	Opportunities household.OpportunityRules
}

// Defaults of BriefOptions.
const (
	DefaultBriefWindow      = 180 * 24 * time.Hour
	DefaultBriefMinAsked    = 3
	DefaultBriefMaxFeedback = 20
)

func (o *BriefOptions) withDefaults() BriefOptions {
	var out BriefOptions
	if o != nil {
		out = *o
	}
	if out.Window <= 0 {
		out.Window = DefaultBriefWindow
	}
	if out.MinAsked <= 0 {
		out.MinAsked = DefaultBriefMinAsked
	}
	if out.MaxFeedback <= 0 {
		out.MaxFeedback = DefaultBriefMaxFeedback
	}
	return out
}

// Source names a stored record an item of a brief came from, for a UI to
// link to: its kind ("customer", "interaction", "conversation",
// "commitment", "household", "vehicle", "consent", as in the change feed)
// and its ID.
type Source struct {
	Entity string `json:"entity"`
	ID     string `json:"id"`
}

func src(e storage.Entity, id fmt.Stringer) Source { return Source{Entity: string(e), ID: id.String()} }

// Brief is what a front-line employee needs to know about a customer at
// the moment of contact, derived from stored records only. Every item names
// the records it came from (Sources).
type Brief struct {
	// At is when the brief was made; Since the start of its window.
	At    time.Time `json:"at"`
	Since time.Time `json:"since"`
	// Customer is who the customer is.
	Customer customer.Customer `json:"customer"`
	// Channels compares, per channel, how the customer actually responds
	// with what they stated: the channels of their stated preference in
	// its order, then the others with evidence or a usable address, by
	// name.
	Channels []ChannelBrief `json:"channels,omitempty"`
	// UseNow is the channel the evidence says to use now: of the channels
	// with at least MinAsked staff messages in the window and a reply, the
	// one with the best reply rate (then the shorter median reply, then
	// the stated rank, then the name) on which some address of the
	// customer may be contacted for service now. Zero when the evidence
	// does not say (too few messages, no reply, or no such channel
	// allowed): rapport does not guess.
	UseNow channel.Kind `json:"use_now,omitempty"`
	// Reach says, per usable address (one not marked undeliverable) and
	// channel, what consent allows right now, for service and for
	// marketing.
	Reach []Reach `json:"reach,omitempty"`
	// Conversations are the customer's open, pending and snoozed
	// conversations, oldest first, with who owns them.
	Conversations []ConversationItem `json:"conversations,omitempty"`
	// Commitments are the open commitments to the customer (callback
	// requests among them), overdue ones first, each group by due time.
	Commitments []CommitmentItem `json:"commitments,omitempty"`
	// Feedback is what the customer said about the dealership in the
	// window, newest first, at most MaxFeedback items: surveys (scores and
	// comments), feedback, reviews, social mentions, and the referrals they
	// made.
	Feedback []FeedbackItem `json:"feedback,omitempty"`
	// Referred lists the customers this one referred, from the customer
	// record's referrals (role referred).
	Referred []customer.Referral `json:"referred,omitempty"`
	// Households are the customer's households, each with every vehicle,
	// its stakeholders and its opportunities.
	Households []HouseholdItem `json:"households,omitempty"`
	// Sources is the customer record.
	Sources []Source `json:"sources"`
}

// ChannelBrief sets how a customer responds on a channel beside what they
// stated.
type ChannelBrief struct {
	Channel channel.Kind `json:"channel"`
	// StatedRank is the channel's place in the customer's stated
	// preference (0 = most preferred), or -1 when not ranked.
	StatedRank int `json:"stated_rank"`
	// Observed is the evidence (see interaction.CustomerResponsiveness);
	// zero Asked when there is none in the window.
	Observed interaction.Responsiveness `json:"observed"`
	// Sources are the staff messages and replies measured.
	Sources []Source `json:"sources,omitempty"`
}

// Reach is what consent allows now on one address and channel.
type Reach struct {
	Address channel.Address `json:"address"`
	Channel channel.Kind    `json:"channel"`
	// Service and Marketing are Book.Check's verdicts for a contact now
	// from BriefOptions.Rooftop by BriefOptions.Staff, with their reasons.
	Service   Verdict `json:"service"`
	Marketing Verdict `json:"marketing"`
	// Sources are the customer record and the ledger events the decisions
	// rest on.
	Sources []Source `json:"sources"`
}

// ConversationItem is an open conversation and who owns it
// (Conversation.Owner and Team).
type ConversationItem struct {
	Conversation interaction.Conversation `json:"conversation"`
	Sources      []Source                 `json:"sources"`
}

// CommitmentItem is an open commitment; Overdue says it is past due.
type CommitmentItem struct {
	Commitment interaction.Commitment `json:"commitment"`
	Overdue    bool                   `json:"overdue,omitempty"`
	// Sources are the commitment, the interaction it was made in and the
	// unanswered callback attempts.
	Sources []Source `json:"sources"`
}

// FeedbackItem is one thing the customer said about the dealership: an
// interaction of kind survey, feedback, review, social_mention, or a
// referral they made.
type FeedbackItem struct {
	Interaction interaction.Interaction `json:"interaction"`
	Sources     []Source                `json:"sources"`
}

// HouseholdItem is a household in a brief.
type HouseholdItem struct {
	Household household.Household `json:"household"`
	// Members are the household's members with their names.
	Members  []MemberItem  `json:"members,omitempty"`
	Vehicles []VehicleItem `json:"vehicles,omitempty"`
	Sources  []Source      `json:"sources"`
}

// MemberItem is a member of a household, named.
type MemberItem struct {
	Member household.Member `json:"member"`
	Name   string           `json:"name,omitempty"`
}

// VehicleItem is a vehicle with its stakeholders (named) and the
// opportunities its facts give (household.Opportunities).
type VehicleItem struct {
	Vehicle       household.Vehicle       `json:"vehicle"`
	Stakeholders  []StakeholderItem       `json:"stakeholders,omitempty"`
	Opportunities []household.Opportunity `json:"opportunities,omitempty"`
	Sources       []Source                `json:"sources"`
}

// StakeholderItem is a person with a part in a vehicle, named.
type StakeholderItem struct {
	Stakeholder household.Stakeholder `json:"stakeholder"`
	Name        string                `json:"name,omitempty"`
}

// feedbackKinds are the kinds a brief lists as feedback.
var feedbackKinds = []interaction.Kind{interaction.KindSurvey, interaction.KindFeedback,
	interaction.KindReview, interaction.KindSocialMention, interaction.KindReferral}

// Brief returns what an employee needs to know about the customer now, from
// stored records only: who they are; how they actually respond per channel
// over the window beside their stated preference, and the channel the
// evidence says to use now; what each usable address and channel allows
// now (Book.Check's verdicts for service and marketing); their open
// conversations and who owns them; their open and overdue commitments
// (callback requests among them); their recent feedback, survey scores and
// comments, reviews, social mentions and referrals; and their households
// with every vehicle, its stakeholders and its opportunities. Every item
// names the records it came from.
//
// It fails with ErrNotFound for an unknown customer, and with ErrCorrupt
// when a record it needs cannot be decoded.
func (b *Book) Brief(ctx context.Context, id customer.ID, opts *BriefOptions) (Brief, error) {
	o := opts.withDefaults()
	br, err := b.brief(ctx, id, &o, b.clock(), true)
	return br, fail("Brief", err)
}

// names caches customers' display names for a brief.
type names map[customer.ID]string

func (b *Book) name(ctx context.Context, ns names, id customer.ID) (string, error) {
	if n, ok := ns[id]; ok {
		return n, nil
	}
	c, err := b.backend.GetCustomer(ctx, b.tenant, id)
	if err != nil {
		if errors.Is(err, storage.ErrNotFound) {
			ns[id] = ""
			return "", nil
		}
		return "", err
	}
	ns[id] = c.Name.Display()
	return ns[id], nil
}

func (b *Book) brief(ctx context.Context, id customer.ID, o *BriefOptions, now time.Time, withHouseholds bool) (Brief, error) {
	c, err := b.backend.GetCustomer(ctx, b.tenant, id)
	if err != nil {
		return Brief{}, err
	}
	br := Brief{At: now, Since: now.Add(-o.Window), Customer: c, Sources: []Source{src(storage.EntityCustomer, id)}}
	// The consent verdicts read other records than the rest: they are
	// judged beside it.
	var (
		reachErr error
		wg       sync.WaitGroup
	)
	wg.Go(func() { br.Reach, reachErr = b.reach(ctx, c, o, now) })
	defer wg.Wait()
	q := storage.InteractionQuery{Customers: []customer.ID{id}, Since: br.Since, Until: now.Add(time.Microsecond)}
	heads, err := b.heads(ctx, q)
	if err != nil {
		return Brief{}, err
	}
	// The heads say when the newest feedback items are: only that stretch
	// of the timeline is read whole.
	var said []interaction.Interaction
	if oldest, n := newestOf(heads, feedbackKinds, o.MaxFeedback); n > 0 {
		q.Kinds, q.Since = feedbackKinds, oldest
		if said, _, err = b.backend.Interactions(ctx, b.tenant, q, "", o.MaxFeedback); err != nil {
			return Brief{}, err
		}
	}
	if wg.Wait(); reachErr != nil {
		return Brief{}, reachErr
	}
	br.Channels = channelBriefs(c, heads, br.Reach, br.Since, now)
	br.UseNow = useNow(br.Channels, br.Reach, o.MinAsked)
	convs, err := b.backend.ConversationsByCustomer(ctx, b.tenant, id,
		interaction.ConversationStatusOpen, interaction.ConversationStatusPending, interaction.ConversationStatusSnoozed)
	if err != nil {
		return Brief{}, err
	}
	for _, cv := range convs {
		br.Conversations = append(br.Conversations, ConversationItem{Conversation: cv, Sources: []Source{src(storage.EntityConversation, cv.ID)}})
	}
	if br.Commitments, err = b.openCommitmentItems(ctx, "Brief", storage.CommitmentQuery{Customer: id}, now); err != nil {
		return Brief{}, err
	}
	for _, i := range said {
		if i.Kind != interaction.KindReferral || i.Referral == nil || i.Referral.Referrer == id || i.Referral.Referrer.IsZero() {
			br.Feedback = append(br.Feedback, FeedbackItem{Interaction: i, Sources: []Source{src(storage.EntityInteraction, i.ID)}})
		}
	}
	for _, r := range c.Referrals {
		if r.Role == customer.ReferralReferred {
			br.Referred = append(br.Referred, r)
		}
	}
	if withHouseholds {
		hids, err := b.backend.HouseholdsByMember(ctx, b.tenant, id)
		if err != nil {
			return Brief{}, err
		}
		ns := names{id: c.Name.Display()}
		for _, hid := range hids {
			h, err := b.householdItem(ctx, hid, o, now, ns)
			if err != nil {
				return Brief{}, err
			}
			br.Households = append(br.Households, h)
		}
	}
	return br, nil
}

// window reads every interaction matching q, newest first.
func (b *Book) window(ctx context.Context, q storage.InteractionQuery) ([]interaction.Interaction, error) {
	return readAll(func(after storage.Cursor) ([]interaction.Interaction, storage.Cursor, error) {
		return b.backend.Interactions(ctx, b.tenant, q, after, maxPage)
	})
}

// maxPage is the largest page the storage contract serves.
const maxPage = 1000

// readAll reads every page of a list; any error, a damaged record's
// included, fails it.
func readAll[T any](read func(after storage.Cursor) ([]T, storage.Cursor, error)) ([]T, error) {
	var out []T
	var after storage.Cursor
	for {
		page, next, err := read(after)
		if err != nil {
			return nil, err
		}
		if out == nil && next == "" {
			return page, nil // one page: no copy
		}
		out = append(out, page...)
		if next == "" {
			return out, nil
		}
		after = next
	}
}

// newestOf returns how many of the heads (newest first) are of one of the
// kinds, up to max, and when the last of those occurred.
func newestOf(heads []interaction.Head, kinds []interaction.Kind, max int) (time.Time, int) {
	var oldest time.Time
	n := 0
	for k := range heads {
		if n == max {
			break
		}
		if slices.Contains(kinds, heads[k].Kind) {
			oldest, n = heads[k].OccurredAt, n+1
		}
	}
	return oldest, n
}

// heads reads the heads of every interaction matching q, newest first,
// through the backend's storage.HeadReader when it has one, else from whole
// records.
func (b *Book) heads(ctx context.Context, q storage.InteractionQuery) ([]interaction.Head, error) {
	if hr, ok := b.backend.(storage.HeadReader); ok {
		return readAll(func(after storage.Cursor) ([]interaction.Head, storage.Cursor, error) {
			return hr.InteractionHeads(ctx, b.tenant, q, after, maxPage)
		})
	}
	is, err := b.window(ctx, q)
	hs := make([]interaction.Head, len(is))
	for k := range is {
		hs[k] = is[k].Head()
	}
	return hs, err
}

// reach checks every usable address of c on each channel it supports
// (tel: SMS, unless the contact point says it cannot take texts, and
// voice; mailto: email; whatsapp: WhatsApp), for service and marketing.
// Each verdict is the one Book.Check gives: the lines' states are read
// once for all of them (one storage.LineStateReader batch, as CheckAll
// reads a campaign's), and the relationship registry rules need once, as
// every contact names the same customer, rooftop and time.
func (b *Book) reach(ctx context.Context, c customer.Customer, o *BriefOptions, now time.Time) ([]Reach, error) {
	var (
		out      []Reach
		contacts []Contact
	)
	for _, cp := range c.ContactPoints {
		if cp.Undeliverable() {
			continue
		}
		for _, k := range []channel.Kind{channel.KindSMS, channel.KindVoice, channel.KindEmail, channel.KindWhatsApp} {
			if !cp.Address.Supports(k) || (k == channel.KindSMS && cp.SMS == customer.CapabilityNo) {
				continue
			}
			out = append(out, Reach{Address: cp.Address, Channel: k, Sources: []Source{src(storage.EntityCustomer, c.ID)}})
			for _, p := range []consent.Purpose{consent.PurposeService, consent.PurposeMarketing} {
				contacts = append(contacts, Contact{Address: cp.Address, Channel: k, Purpose: p,
					Rooftop: o.Rooftop, Customer: c.ID, Staff: o.Staff, At: now})
			}
		}
	}
	if len(contacts) == 0 {
		return nil, nil
	}
	regions := make([]string, len(contacts))
	var (
		lines []channel.Address
		qs    []storage.LineQuery
	)
	for k := range contacts {
		var err error
		if contacts[k], regions[k], err = b.prepareContact(contacts[k]); err != nil {
			return nil, err
		}
		if l := contacts[k].Address.Line(); !slices.Contains(lines, l) {
			lines, qs = append(lines, l), append(qs, b.lineQuery(contacts[k]))
		}
	}
	sts, err := b.lineStates(ctx, qs)
	if err != nil {
		return nil, err
	}
	var once relationOnce
	for k := range contacts {
		st := sts[slices.Index(lines, contacts[k].Address.Line())]
		v, err := b.decideOnce(ctx, b.backend, contacts[k], regions[k], st, &once)
		if err != nil {
			return nil, err
		}
		r := &out[k/2]
		if contacts[k].Purpose == consent.PurposeService {
			r.Service = v
		} else {
			r.Marketing = v
		}
		if !v.Consent.Event.IsZero() {
			s := src(storage.EntityConsent, v.Consent.Event)
			if !slices.Contains(r.Sources, s) {
				r.Sources = append(r.Sources, s)
			}
		}
	}
	return out, nil
}

// lineStates reads the states of the lines of qs, in order: in one batch
// through the backend's storage.LineStateReader, else line by line through
// the Reader calls it stands for.
func (b *Book) lineStates(ctx context.Context, qs []storage.LineQuery) ([]storage.LineState, error) {
	if lr, ok := b.backend.(storage.LineStateReader); ok {
		return lr.LineStates(ctx, b.tenant, qs)
	}
	sts := make([]storage.LineState, len(qs))
	for k := range qs {
		var err error
		if sts[k], err = b.readLineState(ctx, b.backend, qs[k]); err != nil {
			return nil, err
		}
	}
	return sts, nil
}

// channelBriefs lines up the stated preference, the evidence and the
// reachable channels.
func channelBriefs(c customer.Customer, is []interaction.Head, reach []Reach, since, now time.Time) []ChannelBrief {
	observed := interaction.CustomerResponsiveness(is, since, now.Add(time.Microsecond))
	var kinds []channel.Kind
	add := func(k channel.Kind) {
		if k != channel.KindUnknown && !slices.Contains(kinds, k) {
			kinds = append(kinds, k)
		}
	}
	for _, k := range c.Preference.Kinds {
		add(k)
	}
	stated := len(kinds)
	for _, r := range observed {
		add(r.Channel)
	}
	for _, r := range reach {
		add(r.Channel)
	}
	slices.Sort(kinds[stated:])
	out := make([]ChannelBrief, 0, len(kinds))
	for _, k := range kinds {
		cb := ChannelBrief{Channel: k, StatedRank: c.Preference.Rank(k), Observed: interaction.Responsiveness{Channel: k}}
		if i := slices.IndexFunc(observed, func(r interaction.Responsiveness) bool { return r.Channel == k }); i >= 0 {
			cb.Observed = observed[i]
			for _, id := range cb.Observed.Asks {
				cb.Sources = append(cb.Sources, src(storage.EntityInteraction, id))
			}
			for _, id := range cb.Observed.Replies {
				cb.Sources = append(cb.Sources, src(storage.EntityInteraction, id))
			}
		}
		out = append(out, cb)
	}
	return out
}

// useNow picks the channel the evidence recommends (see Brief.UseNow).
func useNow(cs []ChannelBrief, reach []Reach, minAsked int) channel.Kind {
	var best *ChannelBrief
	rank := func(r int) int {
		if r < 0 {
			return int(^uint(0) >> 1)
		}
		return r
	}
	for k := range cs {
		c := &cs[k]
		if c.Observed.Asked < minAsked || c.Observed.Replied == 0 || !slices.ContainsFunc(reach, func(r Reach) bool {
			return r.Channel == c.Channel && r.Service.Allowed()
		}) {
			continue
		}
		if best == nil || cmp.Or(
			-cmp.Compare(c.Observed.Rate, best.Observed.Rate),
			cmp.Compare(c.Observed.MedianReply, best.Observed.MedianReply),
			cmp.Compare(rank(c.StatedRank), rank(best.StatedRank)),
			cmp.Compare(c.Channel, best.Channel)) < 0 {
			best = c
		}
	}
	if best == nil {
		return channel.KindUnknown
	}
	return best.Channel
}

// openCommitmentItems lists the open commitments matching q, overdue ones
// first, each group by due time.
func (b *Book) openCommitmentItems(ctx context.Context, op string, q storage.CommitmentQuery, now time.Time) ([]CommitmentItem, error) {
	q.Statuses = []interaction.CommitmentStatus{interaction.CommitmentStatusOpen}
	var out []CommitmentItem
	for cm, err := range pages(op, func(after storage.Cursor) ([]interaction.Commitment, storage.Cursor, error) {
		return b.backend.Commitments(ctx, b.tenant, q, after, listPage)
	}) {
		if err != nil {
			return nil, err
		}
		out = append(out, commitmentItem(cm, now))
	}
	slices.SortStableFunc(out, overdueFirst)
	return out, nil
}

// overdueFirst orders commitment items overdue first, then by due time.
func overdueFirst(x, y CommitmentItem) int {
	if x.Overdue != y.Overdue {
		if x.Overdue {
			return -1
		}
		return 1
	}
	return x.Commitment.Due.Compare(y.Commitment.Due)
}

func commitmentItem(cm interaction.Commitment, now time.Time) CommitmentItem {
	it := CommitmentItem{Commitment: cm, Overdue: cm.Overdue(now), Sources: []Source{src(storage.EntityCommitment, cm.ID)}}
	if !cm.Source.IsZero() {
		it.Sources = append(it.Sources, src(storage.EntityInteraction, cm.Source))
	}
	if cm.Callback != nil {
		for _, a := range cm.Callback.Attempts {
			it.Sources = append(it.Sources, src(storage.EntityInteraction, a))
		}
	}
	return it
}

// householdItem reads a household with its members' names and its
// vehicles, their stakeholders and opportunities.
func (b *Book) householdItem(ctx context.Context, id household.ID, o *BriefOptions, now time.Time, ns names) (HouseholdItem, error) {
	h, err := b.backend.GetHousehold(ctx, b.tenant, id)
	if err != nil {
		return HouseholdItem{}, err
	}
	it := HouseholdItem{Household: h, Sources: []Source{src(storage.EntityHousehold, id)}}
	for _, m := range h.Members {
		n, err := b.name(ctx, ns, m.Customer)
		if err != nil {
			return HouseholdItem{}, err
		}
		it.Members = append(it.Members, MemberItem{Member: m, Name: n})
	}
	for _, vid := range h.Vehicles {
		v, err := b.backend.GetVehicle(ctx, b.tenant, vid)
		if err != nil {
			return HouseholdItem{}, err
		}
		vi := VehicleItem{Vehicle: v, Opportunities: household.Opportunities(v, now, o.Opportunities),
			Sources: []Source{src(storage.EntityVehicle, vid)}}
		for _, s := range v.Stakeholders {
			n, err := b.name(ctx, ns, s.Customer)
			if err != nil {
				return HouseholdItem{}, err
			}
			vi.Stakeholders = append(vi.Stakeholders, StakeholderItem{Stakeholder: s, Name: n})
		}
		it.Vehicles = append(it.Vehicles, vi)
	}
	return it, nil
}

// HouseholdView is the brief of a household: every member's brief items
// merged, one timeline, and the opportunities of each vehicle.
type HouseholdView struct {
	// At is when the view was made; Since the start of its window.
	At    time.Time `json:"at"`
	Since time.Time `json:"since"`
	// Household is the household with its members (named) and vehicles,
	// their stakeholders and opportunities.
	Household HouseholdItem `json:"household"`
	// Members are the members' own briefs, in the household's order,
	// without their households (they are this view's).
	Members []Brief `json:"members,omitempty"`
	// Conversations, Commitments and Feedback merge the members' items:
	// conversations oldest first, commitments overdue first then by due
	// time, feedback newest first.
	Conversations []ConversationItem `json:"conversations,omitempty"`
	Commitments   []CommitmentItem   `json:"commitments,omitempty"`
	Feedback      []FeedbackItem     `json:"feedback,omitempty"`
	// Timeline is every interaction of the members or of the household in
	// the window, newest first (each once).
	Timeline []interaction.Interaction `json:"timeline,omitempty"`
}

// HouseholdBrief returns the view of a household: its members' briefs
// (Book.Brief, with the same options) and their items merged, one
// timeline of the members' and the household's interactions over the
// window, and every vehicle with its stakeholders and opportunities.
//
// It fails with ErrNotFound for an unknown household, and with ErrCorrupt
// when a record it needs cannot be decoded. A member whose customer record
// is gone (erased or merged away) is listed by ID without a brief.
func (b *Book) HouseholdBrief(ctx context.Context, id household.ID, opts *BriefOptions) (HouseholdView, error) {
	v, err := b.householdBrief(ctx, id, opts)
	return v, fail("HouseholdBrief", err)
}

func (b *Book) householdBrief(ctx context.Context, id household.ID, opts *BriefOptions) (HouseholdView, error) {
	o := opts.withDefaults()
	now := b.clock()
	v := HouseholdView{At: now, Since: now.Add(-o.Window)}
	var err error
	if v.Household, err = b.householdItem(ctx, id, &o, now, names{}); err != nil {
		return HouseholdView{}, err
	}
	var members []customer.ID
	for _, m := range v.Household.Household.Members {
		if slices.Contains(members, m.Customer) {
			continue
		}
		members = append(members, m.Customer)
		br, err := b.brief(ctx, m.Customer, &o, now, false)
		if errors.Is(err, storage.ErrNotFound) {
			continue
		}
		if err != nil {
			return HouseholdView{}, err
		}
		v.Members = append(v.Members, br)
		v.Conversations = append(v.Conversations, br.Conversations...)
		v.Commitments = append(v.Commitments, br.Commitments...)
		v.Feedback = append(v.Feedback, br.Feedback...)
	}
	slices.SortStableFunc(v.Conversations, func(x, y ConversationItem) int {
		return x.Conversation.OpenedAt.Compare(y.Conversation.OpenedAt)
	})
	slices.SortStableFunc(v.Commitments, overdueFirst)
	slices.SortStableFunc(v.Feedback, func(x, y FeedbackItem) int {
		return y.Interaction.OccurredAt.Compare(x.Interaction.OccurredAt)
	})
	if v.Timeline, err = b.window(ctx, storage.InteractionQuery{Customers: members, Household: id,
		Since: v.Since, Until: now.Add(time.Microsecond)}); err != nil {
		return HouseholdView{}, err
	}
	return v, nil
}
