package rapport

import (
	"context"
	"iter"
	"runtime"
	"sync"
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
// While the caller ranges over one batch's results, the next batches are
// read and judged on other goroutines, up to GOMAXPROCS+1 batches at a
// time; the results still come in the order of contacts, and contacts
// itself is ranged over on the caller's goroutine. A campaign of one batch
// starts no goroutine. When the caller stops ranging, or a read fails, the
// batches under way are cancelled and waited for before CheckAll returns:
// no goroutine outlives it.
//
// It yields one Checked per contact, in order, as the caller ranges. A
// malformed contact (see Check) yields its Checked with a zero Verdict and
// the error, and the sequence goes on; a failure to read (ctx's error
// among them) yields a final (zero, err) pair and stops. Nothing is
// recorded: a campaign records what it sends with Send, which checks again
// in the sending transaction.
func (b *Book) CheckAll(ctx context.Context, contacts iter.Seq[Contact]) iter.Seq2[Checked, error] {
	return func(yield func(Checked, error) bool) {
		start := time.Now()
		var err error
		defer func() { b.observe(ctx, "CheckAll", start, &err) }()
		p := newCheckPipeline(ctx, b, runtime.GOMAXPROCS(0)+1)
		defer p.stop()
		batch := make([]Contact, 0, checkBatch)
		for c := range contacts {
			if batch = append(batch, c); len(batch) == checkBatch {
				if !p.push(batch, yield, &err) {
					return
				}
				batch = make([]Contact, 0, checkBatch)
			}
		}
		if len(batch) > 0 && len(p.queue) == 0 {
			// The campaign's only batch: judged here, without a goroutine.
			cb := &checkedBatch{batch: batch}
			p.judge(cb)
			p.yield(cb, yield, &err)
			return
		}
		if len(batch) > 0 && !p.push(batch, yield, &err) {
			return
		}
		for len(p.queue) > 0 {
			if !p.next(yield, &err) {
				return
			}
		}
	}
}

// checkPipeline runs CheckAll's batches on goroutines, at most depth at a
// time, and hands their results back in order.
type checkPipeline struct {
	b      *Book
	ctx    context.Context // cancelled by stop
	cancel context.CancelFunc
	depth  int
	queue  []*checkedBatch // under way, oldest first
	wg     sync.WaitGroup
}

// checkedBatch is one batch's results: each contact's Checked and error
// (a malformed contact's), and the error that failed the batch, if any,
// after the first n results; done is closed when they are set.
type checkedBatch struct {
	batch   []Contact
	results []Checked
	errs    []error
	n       int
	err     error
	done    chan struct{}
}

func newCheckPipeline(ctx context.Context, b *Book, depth int) *checkPipeline {
	ctx, cancel := context.WithCancel(ctx)
	return &checkPipeline{b: b, ctx: ctx, cancel: cancel, depth: max(depth, 1)}
}

// push starts judging batch, first yielding the oldest batch's results when
// depth batches are under way; it reports whether to go on (err is set
// when a batch failed).
func (p *checkPipeline) push(batch []Contact, yield func(Checked, error) bool, err *error) bool {
	if len(p.queue) == p.depth && !p.next(yield, err) {
		return false
	}
	cb := &checkedBatch{batch: batch, done: make(chan struct{})}
	p.queue = append(p.queue, cb)
	p.wg.Go(func() {
		defer close(cb.done)
		p.judge(cb)
	})
	return true
}

// next waits for the oldest batch under way and yields its results.
func (p *checkPipeline) next(yield func(Checked, error) bool, err *error) bool {
	cb := p.queue[0]
	p.queue = p.queue[1:]
	<-cb.done
	return p.yield(cb, yield, err)
}

// yield yields a judged batch's results in order; it reports whether to go
// on, and sets err when the batch failed.
func (p *checkPipeline) yield(cb *checkedBatch, yield func(Checked, error) bool, err *error) bool {
	for k := range cb.n {
		if !yield(cb.results[k], cb.errs[k]) {
			return false
		}
	}
	if cb.err != nil {
		*err = cb.err
		yield(Checked{}, cb.err)
		return false
	}
	return true
}

// stop cancels the batches under way and waits for them.
func (p *checkPipeline) stop() {
	p.cancel()
	p.wg.Wait()
}

// judge reads the lines of cb's contacts and judges each, as Check
// would: a malformed contact gets its error in its place; a failure to
// read fails the batch, and a failure to decide fails it after the
// contacts before.
func (p *checkPipeline) judge(cb *checkedBatch) {
	b, ctx := p.b, p.ctx
	type item struct {
		c      Contact
		region string
	}
	cb.results, cb.errs = make([]Checked, len(cb.batch)), make([]error, len(cb.batch))
	items := make([]item, len(cb.batch))
	qs := make([]storage.LineQuery, 0, len(cb.batch))
	for k, c := range cb.batch {
		cb.results[k].Contact = c
		it := &items[k]
		var err error
		if it.c, it.region, err = b.prepareContact(c); err != nil {
			cb.errs[k] = fail("CheckAll", err)
			continue
		}
		qs = append(qs, b.lineQuery(it.c))
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
		cb.err = fail("CheckAll", err)
		return
	}
	n := 0
	for k, it := range items {
		cb.n = k
		if cb.errs[k] != nil {
			continue
		}
		v, err := b.decide(ctx, b.backend, it.c, it.region, sts[n])
		n++
		if err != nil {
			cb.err = fail("CheckAll", err)
			return
		}
		cb.results[k].Verdict = v
	}
	cb.n = len(cb.batch)
}
