package rapport_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rapportcim/rapport"
	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/dms"
	"github.com/rapportcim/rapport/household"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
)

// TestImportBatchMatchesFallback imports the same generated exports —
// customers with repeated customer numbers, family phone numbers and
// emails shared by several customers (some with the same name, so matched,
// some not), consent flags, rows the reader rejects, then a re-run, sales
// with vehicles into households, and a later export with changed emails — into two books on fresh backends of each kind: one whose
// transactions offer storage.CustomerBatcher (batched lookups and creates)
// and one with it hidden (one lookup and one create per record). Every
// row's outcome, every report, and the stored records and change feed must
// be identical.
func TestImportBatchMatchesFallback(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, 11))
	first, sales, later := batchCustomers(r, 160, false), batchSales(r, 60), batchCustomers(rand.New(rand.NewPCG(seed, 12)), 160, true)
	opens := []struct {
		name string
		open func(t *testing.T) storage.Backend
	}{}
	for _, be := range backends {
		opens = append(opens, struct {
			name string
			open func(t *testing.T) storage.Backend
		}{be.name, be.open})
	}
	if os.Getenv("RAPPORT_PG_DSN") != "" {
		opens = append(opens, struct {
			name string
			open func(t *testing.T) storage.Backend
		}{"pgstore", func(t *testing.T) storage.Backend { return openPG(t) }})
	} else {
		t.Run("pgstore", func(t *testing.T) { t.Skip("RAPPORT_PG_DSN is not set") })
	}
	for _, be := range opens {
		t.Run(be.name, func(t *testing.T) {
			fast := be.open(t)
			if be.name == "memstore" {
				// memstore has no per-statement cost to save and does not
				// offer the capability: check the Book's batching against
				// it with the capability made of single-record calls.
				fast = batcherBackend{fast}
			}
			err := fast.Update(context.Background(), func(tx storage.Tx) error {
				if _, ok := tx.(storage.CustomerBatcher); !ok {
					t.Errorf("%T's transactions do not implement storage.CustomerBatcher", fast)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			var results [2][]any
			for k, backend := range []storage.Backend{fast, fallbackBackend{be.open(t)}} {
				var seq uint64
				book, err := rapport.New(backend, "group-1", &rapport.Options{
					Now: func() time.Time { return exportedAt.Add(time.Hour) },
					NewID: func() ([16]byte, error) {
						seq++
						return idAt(seq), nil
					},
				})
				if err != nil {
					t.Fatal(err)
				}
				for _, step := range []struct {
					system dms.System
					kind   dms.FileKind
					csv    string
					opts   *rapport.ImportOptions
				}{
					{dms.DealerVault, dms.Customers, first, &rapport.ImportOptions{BatchSize: 23}},
					{dms.DealerVault, dms.Customers, first, &rapport.ImportOptions{BatchSize: 50}},
					{dms.Dealertrack, dms.Sales, sales, &rapport.ImportOptions{BatchSize: 9, Rooftop: "downtown", Households: true}},
					{dms.DealerVault, dms.Customers, later, nil},
				} {
					var outs []rapport.RowOutcome
					step.opts = cloneImportOptions(step.opts)
					step.opts.Row = func(o rapport.RowOutcome) { outs = append(outs, o) }
					rep := importCSV(t, book, step.system, step.kind, step.csv, step.opts)
					rep.Elapsed = 0
					results[k] = append(results[k], rep, outs)
				}
				results[k] = append(results[k], bookState(t, backend, "group-1"))
			}
			for i := range results[0] {
				if !reflect.DeepEqual(results[0][i], results[1][i]) {
					t.Errorf("result %d differs between the batched import (shown first) and the one-by-one import:\n%s", i, firstDifference(results[0][i], results[1][i]))
				}
			}
			// The generated files exercise matching, rejection and updates.
			rep0, rerun, rep3 := results[0][0].(rapport.ImportReport), results[0][2].(rapport.ImportReport), results[0][6].(rapport.ImportReport)
			if rep0.Matched == 0 || rep0.Rejected == 0 || rep0.Written < 50 || rerun.Unchanged < rerun.Read/2 || rep3.Written == 0 || rep3.Matched == 0 {
				t.Errorf("the generated exports do not exercise the import: first %+v, re-run %+v, later %+v",
					rep0.ImportProgress, rerun.ImportProgress, rep3.ImportProgress)
			}
			ambiguous := false
			for _, o := range rep0.RejectedRows {
				ambiguous = ambiguous || errors.Is(o.Err, rapport.ErrAmbiguousMatch)
			}
			if !ambiguous {
				t.Errorf("no row of the first export was ambiguous: %v", rep0.RejectedRows)
			}
		})
	}
}

func cloneImportOptions(o *rapport.ImportOptions) *rapport.ImportOptions {
	if o == nil {
		return &rapport.ImportOptions{}
	}
	c := *o
	return &c
}

func importCSV(t *testing.T, b *rapport.Book, system dms.System, kind dms.FileKind, csv string, opts *rapport.ImportOptions) rapport.ImportReport {
	t.Helper()
	return importFrom(t, b, system, kind, "generated.csv", strings.NewReader(csv), opts)
}

// batchCustomers is a DealerVault customer export of n rows drawn from 90
// people in 30 families: customer numbers repeat (the same person exported
// twice), a family shares its home number and sometimes an email, a few
// rows carry a number the reader rejects, and some lack the customer
// number (matched by address alone). later changes people's emails.
func batchCustomers(r *rand.Rand, n int, later bool) string {
	var b strings.Builder
	b.WriteString("Customer Number,First Name,Middle Name,Last Name,Company Name,Email 1,Email 2,Home Phone,Cell Phone,Work Phone,Address Line 1,Address Line 2,City,State,Zip,Block Email,Block Phone,Block Mail,Customer Since\n")
	given := []string{"Ana", "Ben", "Chloé", "Dev", "Eli", "Fay"}
	yn := []string{"Y", "N", ""}
	for range n {
		k := r.IntN(90)
		family := k % 30
		number := fmt.Sprintf("V-%d", k)
		if r.IntN(8) == 0 {
			number = ""
		}
		first := given[k%len(given)]
		if r.IntN(10) == 0 {
			first = given[r.IntN(len(given))] // another name on the family's number
		}
		email := fmt.Sprintf("p%d@example.com", k)
		switch {
		case later && r.IntN(3) == 0:
			email = fmt.Sprintf("p%d.new@example.com", k)
		case r.IntN(6) == 0:
			email = fmt.Sprintf("family%d@example.com", family)
		case r.IntN(6) == 0:
			email = ""
		}
		home := fmt.Sprintf("%d-555-%04d", batchAreas[family%len(batchAreas)], 100+family)
		cell := fmt.Sprintf("%d-555-%04d", batchAreas[(k+7)%len(batchAreas)], 100+k)
		if r.IntN(30) == 0 {
			cell = "555-01"
		}
		fmt.Fprintf(&b, "%s,%s,,Family%d,,%s,,%s,%s,,,,,,,%s,%s,,\n", number, first, family, email, home, cell, yn[r.IntN(3)], yn[r.IntN(3)])
	}
	return b.String()
}

// batchSales is a Dealertrack sales export of n deals by people of
// batchCustomers (found by their cell number), some deals repeated.
func batchSales(r *rand.Rand, n int) string {
	var b strings.Builder
	b.WriteString("DealNumber,DealDate,BuyerCustomerNumber,BuyerFirstName,BuyerLastName,Email1,PhoneNumber,CellPhone,Address1,City,StateCode,ZipCode,AllowContactByEmail,AllowContactByPhone,AllowContactByPostal,VIN,Make,Model,ModelYear,Odometer,DealType,Salesperson1Name,FIManager\n")
	given := []string{"Ana", "Ben", "Chloé", "Dev", "Eli", "Fay"}
	models := []string{"Accord", "Camry", "Civic", "Corolla"}
	for range n {
		k := r.IntN(90)
		deal := 1000 + r.IntN(n)
		cell := fmt.Sprintf("%d-555-%04d", batchAreas[(k+7)%len(batchAreas)], 100+k)
		fmt.Fprintf(&b, "D-%d,202601%02d,C-%d,%s,Family%d,,,%s,,,,,Y,N,Y,,Honda,%s,20%02d,%d,Used,Pat Example,\n",
			deal, 1+deal%28, k, given[k%len(given)], k%30, cell, models[k%len(models)], 10+k%15, 1000*k)
	}
	return b.String()
}

// bookState reads everything an import writes for the tenant: customers,
// interactions, the households and vehicles of every customer, the consent
// ledger of every customer address, and the change feed.
func bookState(t *testing.T, b storage.Backend, tenant dealer.Tenant) map[string]any {
	t.Helper()
	ctx := context.Background()
	var cs []customer.Customer
	var is []interaction.Interaction
	var changes []storage.Change
	for after := storage.Cursor(""); ; {
		page, next, err := b.ListCustomers(ctx, tenant, after, 100)
		if err != nil {
			t.Fatal(err)
		}
		cs = append(cs, page...)
		if after = next; next == "" {
			break
		}
	}
	for after := storage.Cursor(""); ; {
		page, next, err := b.Interactions(ctx, tenant, storage.InteractionQuery{}, after, 100)
		if err != nil {
			t.Fatal(err)
		}
		is = append(is, page...)
		if after = next; next == "" {
			break
		}
	}
	for after := storage.Cursor(""); ; {
		page, next, err := b.Changes(ctx, tenant, after, 200)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		changes, after = append(changes, page...), next
	}
	households := map[household.ID]household.Household{}
	vehicles := map[household.VehicleID]household.Vehicle{}
	ledgers := map[string][]consent.Event{}
	for _, c := range cs {
		hs, err := b.HouseholdsByMember(ctx, tenant, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range hs {
			h, err := b.GetHousehold(ctx, tenant, id)
			if err != nil {
				t.Fatal(err)
			}
			households[id] = h
			for _, vid := range h.Vehicles {
				v, err := b.GetVehicle(ctx, tenant, vid)
				if err != nil {
					t.Fatal(err)
				}
				vehicles[vid] = v
			}
		}
		for _, cp := range c.ContactPoints {
			es, err := b.ConsentByAddress(ctx, tenant, cp.Address)
			if err != nil {
				t.Fatal(err)
			}
			ledgers[cp.Address.String()] = es
		}
	}
	if len(cs) < 50 || len(changes) < 100 || len(vehicles) == 0 || len(is) == 0 {
		t.Fatalf("the import stored too little to compare: %d customers, %d interactions, %d vehicles, %d changes", len(cs), len(is), len(vehicles), len(changes))
	}
	return map[string]any{"customers": cs, "interactions": is, "changes": changes, "households": households, "vehicles": vehicles, "consent": ledgers}
}

// batchAreas are the area codes of batchCustomers' fictional 555-01xx
// numbers.
var batchAreas = []int{212, 213, 214, 215, 216, 217, 218, 219, 224, 225, 228, 229, 231, 234, 239, 240, 248, 251, 252, 253}

// batcherBackend gives the transactions of the backend it wraps a
// storage.CustomerBatcher made of their single-record calls.
type batcherBackend struct{ storage.Backend }

func (b batcherBackend) Update(ctx context.Context, fn func(tx storage.Tx) error) error {
	return b.Backend.Update(ctx, func(tx storage.Tx) error { return fn(batcherTx{tx}) })
}

type batcherTx struct{ storage.Tx }

func (x batcherTx) CustomersByAddresses(ctx context.Context, tenant dealer.Tenant, lines []channel.Address) (map[channel.Address][]customer.ID, error) {
	out := map[channel.Address][]customer.ID{}
	for _, l := range lines {
		ids, err := x.CustomersByAddress(ctx, tenant, l)
		if err != nil {
			return nil, err
		}
		if len(ids) > 0 {
			out[l] = ids
		}
	}
	return out, nil
}

func (x batcherTx) CustomersByExternalIDs(ctx context.Context, tenant dealer.Tenant, keys []storage.ExternalKey) (map[storage.ExternalKey][]customer.ID, error) {
	out := map[storage.ExternalKey][]customer.ID{}
	for _, k := range keys {
		ids, err := x.CustomersByExternalID(ctx, tenant, k.System, k.Value)
		if err != nil {
			return nil, err
		}
		if len(ids) > 0 {
			out[k] = ids
		}
	}
	return out, nil
}

func (x batcherTx) CreateCustomers(ctx context.Context, cs []customer.Customer) error {
	for _, c := range cs {
		if err := x.CreateCustomer(ctx, c); err != nil {
			return err
		}
	}
	return nil
}
