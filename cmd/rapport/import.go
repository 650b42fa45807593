package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/rapportcim/rapport"
	"github.com/rapportcim/rapport/adf"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/dms"
	"github.com/schollz/progressbar/v3"
)

var importCmd = &command{
	name:  "import",
	args:  "[-format adf|dms|jsonl] [-system S -kind K] [-rooftop R] [-report FILE] FILE",
	short: "import leads (ADF XML), DMS exports (CSV) or customers (JSON lines)",
	long: `Import reads FILE into the book and prints a summary of the rows written
(a record created or changed), matched (the customer was already in the
book) and rejected. Rejected rows, with the reason, go to a CSV report
(-report; default FILE.rejected.csv, written only when a row is rejected).
Importing the same file again writes nothing.

The format is -format, else FILE's extension: .xml or .adf for ADF leads
(Book.ImportLead, one per prospect), .csv for a DMS export (Book.Import,
with the preset of -system and -kind), .jsonl or .ndjson for JSON lines,
one customer record per line, in the form the schema package describes
(Book.UpsertCustomer).

On a terminal, progress is a bar with the rate and the time left; otherwise
a line every -every rows.`,
	flags: func(fs *flag.FlagSet) func(context.Context, *env, []string) error {
		format := fs.String("format", "", "adf, dms or jsonl; empty means by FILE's extension")
		system := fs.String("system", "", "DMS export: the system (cdk, dealertrack, dealervault, reynolds)")
		kind := fs.String("kind", "customers", "DMS export: the file kind (customers, vehicles, sales, service)")
		rooftop := fs.String("rooftop", "", "the rooftop the records are for")
		report := fs.String("report", "", "where rejected rows go; empty means FILE.rejected.csv")
		every := fs.Int("every", 1000, "without a terminal, print progress every this many rows")
		return func(ctx context.Context, e *env, args []string) error {
			if len(args) != 1 {
				return usagef("want one FILE, got %d arguments", len(args))
			}
			if *every < 1 {
				return usagef("-every must be at least 1")
			}
			file := args[0]
			f := strings.ToLower(*format)
			if f == "" {
				switch strings.ToLower(filepath.Ext(file)) {
				case ".xml", ".adf":
					f = "adf"
				case ".csv":
					f = "dms"
				case ".jsonl", ".ndjson":
					f = "jsonl"
				default:
					return usagef("cannot tell the format of %s: give -format", file)
				}
			}
			var m *dms.Mapping
			switch f {
			case "adf", "jsonl":
			case "dms":
				if *system == "" {
					return usagef("a DMS export needs -system (%s)", systemNames())
				}
				var err error
				if m, err = dms.Preset(dms.System(*system), dms.FileKind(*kind)); err != nil {
					return usagef("-system %s -kind %s: %v", *system, *kind, err)
				}
			default:
				return usagef("-format %s: want adf, dms or jsonl", *format)
			}
			if err := dealer.Rooftop(*rooftop).Validate(); err != nil {
				return usagef("-rooftop: %v", err)
			}
			in, err := os.Open(file)
			if err != nil {
				return err
			}
			defer in.Close()
			book, closeBook, err := e.open(ctx)
			if err != nil {
				return err
			}
			defer closeBook()
			imp := &importer{book: book, rooftop: dealer.Rooftop(*rooftop), file: file}
			imp.progress = newProgress(e, in, *every)
			switch f {
			case "adf":
				err = imp.adf(ctx, imp.progress.reader)
			case "dms":
				err = imp.dms(ctx, imp.progress.reader, m)
			case "jsonl":
				err = imp.jsonl(ctx, imp.progress.reader)
			}
			imp.progress.finish()
			s := imp.sum
			fmt.Fprintf(e.stdout, "%d rows: %d written, %d matched, %d unchanged, %d rejected\n", s.read, s.written, s.matched, s.unchanged, len(imp.rejected))
			if len(imp.rejected) > 0 {
				path := *report
				if path == "" {
					path = file + ".rejected.csv"
				}
				if werr := writeReport(path, imp.rejected); werr != nil {
					return errors.Join(err, werr)
				}
				fmt.Fprintf(e.stdout, "rejected rows: %s\n", path)
			}
			return err
		}
	},
}

func systemNames() string {
	var s []string
	for _, x := range dms.Systems() {
		s = append(s, string(x))
	}
	return strings.Join(s, ", ")
}

type sums struct{ read, written, matched, unchanged int }

type rejection struct {
	row    int
	id     string
	reason string
}

type importer struct {
	book     *rapport.Book
	rooftop  dealer.Rooftop
	file     string
	progress *progress
	sum      sums
	rejected []rejection
}

// perRecord reports whether err is about one record (the row is rejected
// and the import goes on) rather than the book or the run.
func perRecord(err error) bool {
	var fe rapport.FieldError
	return errors.As(err, &fe) || errors.Is(err, rapport.ErrLead) || errors.Is(err, rapport.ErrAmbiguousMatch) ||
		errors.Is(err, rapport.ErrConflict) || errors.Is(err, rapport.ErrAlreadyExists)
}

func (imp *importer) adf(ctx context.Context, r io.Reader) error {
	doc, err := adf.Read(r, nil)
	if err != nil {
		return fmt.Errorf("reading ADF: %w", err)
	}
	for i := range doc.Prospects {
		res, err := imp.book.ImportLead(ctx, rapport.Lead{Prospect: &doc.Prospects[i], Rooftop: imp.rooftop})
		imp.sum.read++
		switch {
		case err != nil && perRecord(err):
			imp.rejected = append(imp.rejected, rejection{row: i + 1, id: prospectID(&doc.Prospects[i]), reason: err.Error()})
		case err != nil:
			return err
		case res.Duplicate:
			imp.sum.unchanged++
		case res.Customer.Created:
			imp.sum.written++
		default:
			imp.sum.written++
			imp.sum.matched++
		}
		imp.progress.rows(imp.sum.read, imp.sum, len(imp.rejected))
	}
	return nil
}

// prospectID names a prospect in the report: its first ID.
func prospectID(p *adf.Prospect) string {
	if len(p.IDs) > 0 {
		return p.IDs[0].Source + ":" + p.IDs[0].Value
	}
	return ""
}

func (imp *importer) dms(ctx context.Context, r io.Reader, m *dms.Mapping) error {
	rd, err := dms.NewReader(r, m, &dms.Options{File: filepath.Base(imp.file)})
	if err != nil {
		return fmt.Errorf("reading the DMS export: %w", err)
	}
	rep, err := imp.book.Import(ctx, rd.All(), &rapport.ImportOptions{
		Rooftop: imp.rooftop,
		Progress: func(p rapport.ImportProgress) {
			imp.progress.rows(p.Read, sums{p.Read, p.Written, p.Matched, p.Unchanged}, p.Rejected)
		},
	})
	imp.sum = sums{rep.Read, rep.Written, rep.Matched, rep.Unchanged}
	for _, o := range rep.RejectedRows {
		imp.rejected = append(imp.rejected, rejection{row: o.Row, reason: o.Err.Error()})
	}
	return err
}

// maxLine bounds one JSON line.
const maxLine = 1 << 20

func (imp *importer) jsonl(ctx context.Context, r io.Reader) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	line := 0
	for sc.Scan() {
		line++
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		imp.sum.read++
		var c customer.Customer
		err := json.Unmarshal(sc.Bytes(), &c)
		if err != nil {
			imp.rejected = append(imp.rejected, rejection{row: line, reason: "not a customer record: " + err.Error()})
			imp.progress.rows(imp.sum.read, imp.sum, len(imp.rejected))
			continue
		}
		res, err := imp.book.UpsertCustomer(ctx, c)
		switch {
		case err != nil && perRecord(err):
			imp.rejected = append(imp.rejected, rejection{row: line, id: c.ID.String(), reason: err.Error()})
		case err != nil:
			return err
		case res.Created:
			imp.sum.written++
		case res.Changed:
			imp.sum.written++
			imp.sum.matched++
		default:
			imp.sum.matched++
			imp.sum.unchanged++
		}
		imp.progress.rows(imp.sum.read, imp.sum, len(imp.rejected))
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return fmt.Errorf("line %d: longer than %d bytes", line+1, maxLine)
		}
		return err
	}
	return nil
}

func writeReport(path string, rs []rejection) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	w.Write([]string{"row", "id", "reason"})
	for _, r := range rs {
		w.Write([]string{strconv.Itoa(r.row), r.id, r.reason})
	}
	w.Flush()
	return errors.Join(w.Error(), f.Close())
}

// progress shows how an import goes: a bar over the file's bytes (with
// the rate and the time left) on a terminal, else a plain line every
// `every` rows on stderr.
type progress struct {
	reader io.Reader
	bar    *progressbar.ProgressBar
	count  *countingReader
	size   int64
	every  int
	next   int
	start  time.Time
	w      io.Writer
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func newProgress(e *env, f *os.File, every int) *progress {
	p := &progress{every: every, next: every, start: time.Now(), w: e.stderr}
	if fi, err := f.Stat(); err == nil {
		p.size = fi.Size()
	}
	p.count = &countingReader{r: f}
	p.reader = p.count
	if e.stderrTerminal {
		p.bar = progressbar.NewOptions64(p.size,
			progressbar.OptionSetWriter(e.stderr),
			progressbar.OptionShowBytes(true),
			progressbar.OptionSetDescription("importing"),
			progressbar.OptionShowElapsedTimeOnFinish(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
		p.reader = io.TeeReader(p.count, p.bar)
	}
	return p
}

// rows is told the counts after a row or a batch.
func (p *progress) rows(n int, s sums, rejected int) {
	if p.bar != nil {
		p.bar.Describe(fmt.Sprintf("%d rows, %d rejected", n, rejected))
		return
	}
	if n < p.next {
		return
	}
	p.next = (n/p.every + 1) * p.every
	elapsed := time.Since(p.start)
	rate := float64(n) / max(elapsed.Seconds(), 1e-9)
	eta := "unknown"
	if done := p.count.n; done > 0 && p.size > done {
		eta = (time.Duration(float64(elapsed) * float64(p.size-done) / float64(done))).Round(time.Second).String()
	}
	fmt.Fprintf(p.w, "import: %d rows (%d written, %d matched, %d rejected), %.0f rows/s, %d%% of the file, ETA %s\n",
		n, s.written, s.matched, rejected, rate, percent(p.count.n, p.size), eta)
}

func percent(done, size int64) int64 {
	if size <= 0 {
		return 100
	}
	return min(100, done*100/size)
}

func (p *progress) finish() {
	if p.bar != nil {
		p.bar.Finish()
	}
}
