package rapport

import (
	"context"
	"iter"
	"time"

	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

// reviewBusinessDays is how long staff have to act on a message about
// consent that the Book flags for review: a revocation, and a
// company-specific do-not-call request, must be honoured within a
// reasonable time not exceeding 10 business days of receipt (47 CFR
// 64.1200(a)(10) and (d)(3), as amended by FCC 24-24).
const reviewBusinessDays = 10

// reviewDeadline returns the deadline of a consent review for a message
// received at at: the same wall-clock time, 10 business days later.
// Business days are Monday to Friday except the federal legal public
// holidays of 5 U.S.C. 6103 (consent.FederalHolidays, with the weekday a
// weekend holiday is observed on). Days are counted on the calendar of
// each of zones (the policy's fallback zones: everywhere the dealership
// and its customers may be) and the earliest deadline wins, so that no
// reading of "business day" gives a later one; with no zones, on the UTC
// calendar.
func reviewDeadline(at time.Time, zones []*time.Location) time.Time {
	if len(zones) == 0 {
		zones = []*time.Location{time.UTC}
	}
	holidays := consent.FederalHolidays()
	var earliest time.Time
	for _, loc := range zones {
		t := at.In(loc)
		for n := 0; n < reviewBusinessDays; {
			t = t.AddDate(0, 0, 1)
			if businessDay(t, holidays) {
				n++
			}
		}
		if earliest.IsZero() || t.Before(earliest) {
			earliest = t
		}
	}
	return earliest.UTC()
}

// businessDay reports whether t's date is a weekday that is not a holiday.
func businessDay(t time.Time, holidays []consent.Holiday) bool {
	if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	y, m, d := t.Date()
	for _, h := range holidays {
		if h.On(y, m, d) {
			return false
		}
	}
	return true
}

// Consent yields the inbound messages flagged for a consent review
// (interaction.FlagReasonConsent) that nobody has reviewed yet, at the
// given rooftops (all when none is given), newest first: restrictions such
// as "don't call before noon" and requests to stop that the policy leaves
// to staff (see Book.Receive). Each flag's Due is its deadline; record
// what the person asked for (Book.RecordConsent) and then the review
// (Reviews.Complete).
func (rs Reviews) Consent(ctx context.Context, rooftops ...dealer.Rooftop) iter.Seq2[interaction.Interaction, error] {
	return rs.b.consentReviews(ctx, "Reviews.Consent", time.Time{}, rooftops)
}

// OverdueConsent yields the consent reviews (see Reviews.Consent) whose
// deadline passed before at without a review, newest first: each is a
// request the dealership has not honoured within the 10 business days the
// FCC allows (47 CFR 64.1200(a)(10)). A zero at means now.
func (rs Reviews) OverdueConsent(ctx context.Context, at time.Time, rooftops ...dealer.Rooftop) iter.Seq2[interaction.Interaction, error] {
	if at.IsZero() {
		at = rs.b.clock()
	}
	return rs.b.consentReviews(ctx, "Reviews.OverdueConsent", at, rooftops)
}

// consentReviews yields the interactions awaiting a consent review, only
// those overdue at overdue when it is not zero.
func (b *Book) consentReviews(ctx context.Context, op string, overdue time.Time, rooftops []dealer.Rooftop) iter.Seq2[interaction.Interaction, error] {
	all := b.interactions(ctx, op, storage.InteractionQuery{Rooftops: rooftops, AwaitingReview: true})
	return func(yield func(interaction.Interaction, error) bool) {
		for i, err := range all {
			if err != nil {
				yield(interaction.Interaction{}, err)
				return
			}
			if pendingConsentReview(i, overdue) && !yield(i, nil) {
				return
			}
		}
	}
}

// pendingConsentReview reports whether i has a consent flag not yet
// reviewed, due before overdue when overdue is not zero.
func pendingConsentReview(i interaction.Interaction, overdue time.Time) bool {
	for _, f := range i.Flags {
		if f.Reason != interaction.FlagReasonConsent || !f.ReviewedAt.IsZero() {
			continue
		}
		if overdue.IsZero() || !f.Due.IsZero() && f.Due.Before(overdue) {
			return true
		}
	}
	return false
}
