package rapport

import (
	"context"
	"errors"
	"iter"
	"log/slog"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/dms"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

// ImportOptions tune Book.Import. nil means the defaults.
type ImportOptions struct {
	// BatchSize is the number of rows written per transaction; 0 means 500.
	BatchSize int
	// Rooftop is the rooftop the imported sales and repair orders happened
	// at; zero means the tenant as a whole.
	Rooftop dealer.Rooftop
	// Households, when true, puts each row's vehicle in its customer's
	// household: the one household the customer is a member of, or a new
	// one with the customer as its primary member (a customer in several
	// households is ambiguous: the vehicle is left out of all of them).
	Households bool
	// Progress, when set, is called after every batch with the counts so
	// far.
	Progress func(ImportProgress)
	// Row, when set, is called with the outcome of every row, in order:
	// the report of a file too long to keep in memory.
	Row func(RowOutcome)
}

// ImportProgress counts what Book.Import has done so far.
type ImportProgress struct {
	Read      int // rows read, rejected ones included
	Written   int // rows that created or changed at least one record
	Matched   int // rows whose customer was already in the book
	Unchanged int // rows that wrote nothing: everything was already there
	Rejected  int // rows not imported (see RowOutcome.Err)
	Elapsed   time.Duration
}

// Rate returns the rows read per second so far.
func (p ImportProgress) Rate() float64 {
	if p.Elapsed <= 0 {
		return 0
	}
	return float64(p.Read) / p.Elapsed.Seconds()
}

// RowOutcome is what happened to one row.
type RowOutcome struct {
	Row int // the row's number in its file (the header is row 1)
	// Err says why the row was rejected: the reader's *dms.RowError, or the
	// validation or match error of one of its records. nil when imported.
	Err error
	// Warnings are the reader's: values kept verbatim in Attributes.
	Warnings []*dms.RowError
	// Customer is the customer the row was imported into (zero when
	// rejected); Created tells whether it was made by this row.
	Customer customer.ID
	Created  bool
	// Changes counts the records this row created or changed (customer,
	// vehicle, interaction, consent events): 0 on a re-run of the same file.
	Changes int
}

// ImportReport is the outcome of Book.Import.
type ImportReport struct {
	ImportProgress
	// Rejected lists every rejected row with why.
	RejectedRows []RowOutcome
}

// importNamespace is the namespace of the name-based UUIDs of imported
// sales and repair orders (see Import).
var importNamespace = uuid.MustParse("0b8e2f6a-9c41-4d7e-8a53-2e6f1c9d7b30")

// Import writes the rows of a DMS export (dms.Reader.All) into the book in
// batches, one transaction per batch, with the same normalization, matching
// and change records as the single-record methods:
//
//   - the customer is upserted as UpsertCustomer does (the DMS customer
//     number is a decisive external ID, else a contact address with a
//     compatible name);
//   - the vehicle is upserted as UpsertVehicle does, with the customer as
//     its owner over the row's ownership dates; a vehicle without a
//     standard VIN (which is what identifies vehicles across records) gets
//     a name-based ID of its owner and description, so a re-run finds it;
//   - consent events are appended with their import evidence, except one
//     that the ledger already shows: an event is skipped when the latest
//     event for the same address, channel, purpose and rooftop from the same
//     source system has the same action and raw value (a re-run, or a later
//     export of an unchanged flag);
//   - with ImportOptions.Households, the vehicle joins its customer's
//     household (made on first need);
//   - a sale or repair order is recorded as a past interaction whose ID is a
//     name-based UUID of the tenant, the system and the deal or RO number,
//     so it is recorded once however often the file is imported.
//
// Re-running the same file therefore writes nothing. Every row has an
// outcome (ImportOptions.Row); a rejected row — one the reader rejected, or
// whose records do not validate or match more than one customer — writes
// nothing and says why in ImportReport.RejectedRows; nothing is dropped
// silently. When a batch's transaction fails, its rows are retried one per
// transaction so that only the bad row is rejected.
//
// When the backend's transactions have storage.CustomerBatcher (sqlitestore,
// pgstore), a batch's matching lookups are read in one query per kind and
// its new customers written together, with the same records, change
// records and report as one call per record.
//
// After an import that wrote at least 10,000 rows, Import has a backend
// with storage.StatisticsUpdater (pgstore) refresh its query planner's
// statistics, so that the reads right after a large import (a campaign's
// checks) use the indexes; a failure to do so is logged, not returned.
//
// Import stops at an error that ends the file (the reader's, or the
// context's) and returns the report so far with it; the batches before were
// committed.
func (b *Book) Import(ctx context.Context, rows iter.Seq2[*dms.Row, error], opts *ImportOptions) (_ ImportReport, err error) {
	defer b.observe(ctx, "Import", time.Now(), &err)
	var o ImportOptions
	if opts != nil {
		o = *opts
	}
	if o.BatchSize <= 0 {
		o.BatchSize = 500
	}
	start := time.Now()
	var rep ImportReport
	batch := make([]batchRow, 0, o.BatchSize)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		outs, err := b.importBatch(ctx, batch, &o)
		if err != nil {
			return err
		}
		for _, out := range outs {
			rep.count(out, o.Row)
		}
		batch = batch[:0]
		rep.Elapsed = time.Since(start)
		if o.Progress != nil {
			o.Progress(rep.ImportProgress)
		}
		return nil
	}
	for row, err := range rows {
		if err != nil {
			var re *dms.RowError
			if row == nil || !errors.As(err, &re) {
				if ferr := flush(); ferr != nil {
					return rep, fail("Import", ferr)
				}
				return rep, fail("Import", err)
			}
			// Rejected by the reader: reported in order with the batch.
			batch = append(batch, batchRow{row: row, err: re})
		} else {
			batch = append(batch, batchRow{row: row})
		}
		if len(batch) == o.BatchSize {
			if err := flush(); err != nil {
				return rep, fail("Import", err)
			}
		}
	}
	if err := flush(); err != nil {
		return rep, fail("Import", err)
	}
	if su, ok := b.backend.(storage.StatisticsUpdater); ok && rep.Written >= importStatisticsRows {
		// The rows are committed whatever happens here: a failure leaves
		// the statistics to the database's own schedule, and is logged.
		if err := su.UpdateStatistics(ctx); err != nil {
			b.log.LogAttrs(ctx, slog.LevelWarn, "rapport: Import: planner statistics not updated", slog.String("tenant", string(b.tenant)), slog.Any("error", err))
		}
	}
	rep.Elapsed = time.Since(start)
	return rep, nil
}

// importStatisticsRows is how many rows an Import must write for it to
// refresh the backend's planner statistics (storage.StatisticsUpdater).
const importStatisticsRows = 10_000

func (r *ImportReport) count(out RowOutcome, report func(RowOutcome)) {
	r.Read++
	switch {
	case out.Err != nil:
		r.Rejected++
		r.RejectedRows = append(r.RejectedRows, out)
	case out.Changes > 0:
		r.Written++
	default:
		r.Unchanged++
	}
	if out.Err == nil && !out.Created && !out.Customer.IsZero() {
		r.Matched++
	}
	if report != nil {
		report(out)
	}
}

// batchRow is a row read, with the reader's rejection if any.
type batchRow struct {
	row *dms.Row
	err *dms.RowError
}

// importBatch imports rows in one transaction; when it fails, one
// transaction per row.
func (b *Book) importBatch(ctx context.Context, rows []batchRow, o *ImportOptions) ([]RowOutcome, error) {
	now := b.clock()
	prepared := make([]importRow, len(rows))
	for i, r := range rows {
		if r.err != nil {
			prepared[i] = importRow{row: r.row, err: r.err}
			continue
		}
		prepared[i] = b.prepareRow(r.row, o.Rooftop, now)
	}
	outs := make([]RowOutcome, len(rows))
	err := b.backend.Update(ctx, func(tx storage.Tx) error {
		var cb *customerBatch
		if batcher, ok := tx.(storage.CustomerBatcher); ok {
			var err error
			if cb, err = newCustomerBatch(ctx, tx, batcher, b.tenant, prepared); err != nil {
				return err
			}
		}
		for i := range prepared {
			out, err := b.importRow(ctx, tx, cb, &prepared[i], o.Households, now)
			if err != nil {
				return err
			}
			outs[i] = out
		}
		return cb.flush(ctx)
	})
	if err == nil {
		return outs, nil
	}
	if ctx.Err() != nil {
		return nil, err
	}
	// One row failed inside the batch: retry each row alone.
	for i := range prepared {
		var out RowOutcome
		err := b.backend.Update(ctx, func(tx storage.Tx) error {
			var err error
			out, err = b.importRow(ctx, tx, nil, &prepared[i], o.Households, now)
			return err
		})
		if err != nil {
			if ctx.Err() != nil {
				return nil, err
			}
			out = RowOutcome{Row: prepared[i].row.Row, Err: err, Warnings: prepared[i].row.Warnings}
		}
		outs[i] = out
	}
	return outs, nil
}

// importRow is one row, normalized and validated before any write.
type importRow struct {
	row      *dms.Row
	err      error              // set: the row is rejected
	customer *customer.Customer // nil for a vehicle row with no customer
	vehicle  *household.Vehicle
	events   []consent.Event
	it       *interaction.Interaction
}

func (b *Book) prepareRow(r *dms.Row, rooftop dealer.Rooftop, now time.Time) importRow {
	ir := importRow{row: r}
	if r.Customer == nil && (r.Vehicle == nil || r.Interaction != nil || len(r.Consent) > 0) {
		ir.err = &dms.RowError{Row: r.Row, Field: "customer", Err: dms.ErrMissing}
		return ir
	}
	if r.Customer != nil {
		c := r.Customer.Clone()
		c.Tenant = b.tenant
		c.Revision = 0
		c.Normalize()
		if err := c.Validate(); err != nil {
			ir.err = err
			return ir
		}
		ir.customer = &c
	}
	if r.Vehicle != nil {
		v := *r.Vehicle
		if r.Ownership != nil && r.Customer != nil {
			// The customer ID is filled in once known; validate with a
			// placeholder so the other rules are checked now.
			s := *r.Ownership
			s.Customer = customer.ID{1}
			v.Stakeholders = append([]household.Stakeholder{s}, v.Stakeholders...)
		}
		v, err := b.prepareVehicle(v)
		if err != nil {
			ir.err = err
			return ir
		}
		ir.vehicle = &v
	}
	for _, e := range r.Consent {
		e.Tenant = b.tenant
		e.Rooftop = rooftop
		if err := e.Validate(); err != nil {
			ir.err = err
			return ir
		}
		ir.events = append(ir.events, e)
	}
	if r.Interaction != nil {
		it := *r.Interaction
		it.Rooftop = rooftop
		key := ""
		for sys, ref := range it.ExternalRefs {
			key = sys + "\x00" + ref
		}
		if key == "" {
			ir.err = &dms.RowError{Row: r.Row, Field: "deal_number", Err: dms.ErrMissing}
			return ir
		}
		it.ID = interaction.ID(uuid.NewSHA1(importNamespace, []byte(string(b.tenant)+"\x00"+key)))
		it.Customer = customer.ID{1} // placeholder, as above
		it, err := b.prepare(it, now)
		if err != nil {
			ir.err = err
			return ir
		}
		ir.it = &it
	}
	return ir
}

// importRow writes one prepared row in tx. A row whose customer matches
// more than one stored customer is rejected before anything is written, so
// the batch goes on; any other error fails the transaction. With a
// customerBatch (nil: none), the customer is upserted through it, and its
// held creates are written before the row's other records.
func (b *Book) importRow(ctx context.Context, tx storage.Tx, cb *customerBatch, ir *importRow, households bool, now time.Time) (RowOutcome, error) {
	out := RowOutcome{Row: ir.row.Row, Warnings: ir.row.Warnings}
	if ir.err != nil {
		out.Err = ir.err
		return out, nil
	}
	var cid customer.ID
	if ir.customer != nil {
		var ct customerTx = tx
		if cb != nil {
			ct = cb
		}
		up, err := b.upsertCustomer(ctx, ct, *ir.customer, now)
		if errors.Is(err, ErrAmbiguousMatch) {
			out.Err = err
			return out, nil
		}
		if err != nil {
			return out, err
		}
		cid = up.Record.ID
		out.Customer, out.Created = cid, up.Created
		if up.Changed {
			out.Changes++
		}
	}
	if ir.vehicle != nil || len(ir.events) > 0 || ir.it != nil {
		if err := cb.flush(ctx); err != nil {
			return out, err
		}
	}
	if ir.vehicle != nil {
		v := *ir.vehicle
		v.Stakeholders = append([]household.Stakeholder(nil), v.Stakeholders...)
		if ir.row.Ownership != nil && ir.customer != nil {
			v.Stakeholders[0].Customer = cid
		}
		if !v.VIN.Standard() {
			// Only a standard VIN identifies a vehicle across records;
			// without one, the vehicle is known by its owner and
			// description, so a re-run finds it by a name-based ID.
			v.ID = household.VehicleID(uuid.NewSHA1(importNamespace, []byte(string(b.tenant)+"\x00vehicle\x00"+
				cid.String()+"\x00"+v.VIN.String()+"\x00"+v.Make+"\x00"+v.Model+"\x00"+strconv.Itoa(v.Year))))
		}
		if households && ir.customer != nil {
			name := ir.customer.Name.Family
			if name == "" {
				name = ir.customer.Name.Display()
			}
			hid, changed, err := b.householdOf(ctx, tx, cid, name, now)
			if err != nil {
				return out, err
			}
			v.Household = hid
			if changed {
				out.Changes++
			}
		}
		vu, err := b.upsertVehicle(ctx, tx, v, now)
		if err != nil {
			return out, err
		}
		if vu.Changed {
			out.Changes++
		}
	}
	if len(ir.events) > 0 {
		for _, e := range ir.events {
			e.Subject.Customer = cid
			known, err := ledgerShows(ctx, tx, b.tenant, e)
			if err != nil {
				return out, err
			}
			if known {
				continue
			}
			if _, err := b.appendConsent(ctx, tx, e, now); err != nil {
				return out, err
			}
			out.Changes++
		}
	}
	if ir.it != nil {
		it := *ir.it
		it.Customer = cid
		_, err := tx.GetInteraction(ctx, b.tenant, it.ID)
		switch {
		case err == nil: // imported before
		case errors.Is(err, storage.ErrNotFound):
			if _, err := b.record(ctx, tx, it, "", now); err != nil {
				return out, err
			}
			out.Changes++
		default:
			return out, err
		}
	}
	return out, nil
}

// ledgerShows reports whether the ledger's latest event for e's key from
// e's source system already has e's action and raw value.
func ledgerShows(ctx context.Context, tx storage.Tx, tenant dealer.Tenant, e consent.Event) (bool, error) {
	evs, err := tx.ConsentByAddress(ctx, tenant, e.Subject.Address)
	if err != nil {
		return false, err
	}
	key := e.Key()
	var latest *consent.Event
	for i := range evs {
		x := &evs[i]
		if x.Key() != key || x.Evidence.SourceSystem != e.Evidence.SourceSystem {
			continue
		}
		if latest == nil || !x.CapturedAt.Before(latest.CapturedAt) {
			latest = x
		}
	}
	return latest != nil && latest.Action == e.Action && latest.Evidence.RawValue == e.Evidence.RawValue, nil
}

// householdOf returns the household customer cid is a member of, making
// one with cid as primary member when there is none; the zero ID when cid
// is in several. changed reports a household made.
func (b *Book) householdOf(ctx context.Context, tx storage.Tx, cid customer.ID, name string, now time.Time) (household.ID, bool, error) {
	hs, err := tx.HouseholdsByMember(ctx, b.tenant, cid)
	if err != nil || len(hs) > 1 {
		return household.ID{}, false, err
	}
	if len(hs) == 1 {
		return hs[0], false, nil
	}
	h := household.Household{Tenant: b.tenant, Members: []household.Member{{Customer: cid, Role: household.MemberRolePrimary}}}
	if name != "" {
		h.Name = name + " household"
	}
	up, err := b.upsertHousehold(ctx, tx, h, now)
	if err != nil {
		return household.ID{}, false, err
	}
	return up.Record.ID, up.Changed, nil
}
