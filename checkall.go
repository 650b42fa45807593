package rapport

import (
	"context"
	"iter"
	"time"

	"github.com/rapportcim/rapport/storage"
)

// checkBatch is how many contacts CheckAll reads the lines of at once.
const checkBatch = 500

// Checked is one contact judged by Book.CheckAll: the contact as given and
// its verdict.
type Checked struct {
	Contact Contact
	Verdict Verdict
}

// CheckAll judges every contact of a campaign as Check does, reading the
// lines of up to 500 contacts at a time in one call of the backend's
// storage.LineStateReader (one snapshot per batch; every backend in this
// module has it), or through the Reader calls Check makes when the backend
// lacks it. Each contact's verdict is the one Check would give on the same
// records.
//
// It yields one Checked per contact, in order, as the caller ranges. A
// malformed contact (see Check) yields its Checked with a zero Verdict and
// the error, and the sequence goes on; a failure to read yields a final
// (zero, err) pair and stops. Nothing is recorded: a campaign records what
// it sends with Send, which checks again in the sending transaction.
func (b *Book) CheckAll(ctx context.Context, contacts iter.Seq[Contact]) iter.Seq2[Checked, error] {
	return func(yield func(Checked, error) bool) {
		start := time.Now()
		var err error
		defer func() { b.observe(ctx, "CheckAll", start, &err) }()
		batch := make([]Contact, 0, checkBatch)
		more := true
		for c := range contacts {
			if batch = append(batch, c); len(batch) == checkBatch {
				if more, err = b.checkBatch(ctx, batch, yield); !more {
					return
				}
				batch = batch[:0]
			}
		}
		if len(batch) > 0 {
			_, err = b.checkBatch(ctx, batch, yield)
		}
	}
}

// checkBatch judges a batch of contacts for CheckAll and yields the
// results; it reports whether to go on, and the error that stopped it.
func (b *Book) checkBatch(ctx context.Context, batch []Contact, yield func(Checked, error) bool) (bool, error) {
	type item struct {
		c      Contact
		region string
		err    error
	}
	items := make([]item, len(batch))
	qs := make([]storage.LineQuery, 0, len(batch))
	for k, c := range batch {
		it := &items[k]
		if it.c, it.region, it.err = b.prepareContact(c); it.err == nil {
			qs = append(qs, b.lineQuery(it.c))
		}
	}
	var sts []storage.LineState
	var err error
	if lr, ok := b.backend.(storage.LineStateReader); ok {
		sts, err = lr.LineStates(ctx, b.tenant, qs)
	} else {
		sts = make([]storage.LineState, len(qs))
		for k := range qs {
			if sts[k], err = b.readLineState(ctx, b.backend, qs[k]); err != nil {
				break
			}
		}
	}
	if err != nil {
		err = fail("CheckAll", err)
		yield(Checked{}, err)
		return false, err
	}
	n := 0
	for k, it := range items {
		if it.err != nil {
			if !yield(Checked{Contact: batch[k]}, fail("CheckAll", it.err)) {
				return false, nil
			}
			continue
		}
		v, err := b.decide(ctx, b.backend, it.c, it.region, sts[n])
		n++
		if err != nil {
			err = fail("CheckAll", err)
			yield(Checked{}, err)
			return false, err
		}
		if !yield(Checked{Contact: batch[k], Verdict: v}, nil) {
			return false, nil
		}
	}
	return true, nil
}
