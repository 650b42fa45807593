package rapport_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rapportcim/rapport"
	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage/memstore"
)

// TestLogsCarryNoCustomerData runs the Book's main calls, succeeding and
// failing, with customer data in every argument, and checks that the log
// names each call and never quotes a name, address or message.
func TestLogsCarryNoCustomerData(t *testing.T) {
	ctx := context.Background()
	var logs bytes.Buffer
	var mu sync.Mutex
	ops := map[string]rapport.Operation{}
	book, err := rapport.New(memstore.New(nil), "group-a", &rapport.Options{
		Logger: slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Observe: func(_ context.Context, op rapport.Operation) {
			mu.Lock()
			defer mu.Unlock()
			ops[op.Name] = op
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	phone, _ := channel.ParsePhone("(212) 555-0123", "US")
	email, _ := channel.ParseEmail("jane.doe@example.com")
	up, err := book.UpsertCustomer(ctx, customer.Customer{
		Name: customer.Name{Given: "Janeth", Family: "Doefield"},
		ContactPoints: []customer.ContactPoint{
			{Address: phone.Address(), Usage: customer.UsageMobile}, {Address: email.Address()},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := book.Receive(ctx, rapport.Inbound{From: phone.Address(), Body: "Janeth here, is the red Tacoma still on the lot?"}); err != nil {
		t.Fatal(err)
	}
	_, err = book.Send(ctx, rapport.Outbound{Purpose: consent.PurposeMarketing, Interaction: interaction.Interaction{
		Channel: channel.KindSMS, Address: phone.Address(), Kind: interaction.KindMessage,
		Authorship: interaction.AuthorshipTemplate, Body: "Doefield family: holiday deals inside!",
	}})
	if !errors.Is(err, rapport.ErrRefused) {
		t.Fatalf("Send without consent: %v", err)
	}
	_, err = book.RecordInteraction(ctx, interaction.Interaction{Customer: up.Record.ID, Body: "Call Janeth at 212-555-0123 about the Tacoma", Kind: "not-a-kind"})
	if err == nil {
		t.Fatal("an invalid interaction was recorded")
	}
	if _, err := book.Check(ctx, rapport.Contact{Address: email.Address(), Channel: channel.KindEmail, Purpose: consent.PurposeMarketing}); err != nil {
		t.Fatal(err)
	}

	out := logs.String()
	for _, secret := range []string{"Janeth", "Doefield", "555-0123", "5550123", "jane.doe", "example.com", "Tacoma", "holiday"} {
		if strings.Contains(out, secret) {
			t.Errorf("the log quotes customer data %q:\n%s", secret, out)
		}
	}
	for name, outcome := range map[string]string{
		"UpsertCustomer": "ok", "Receive": "ok", "Send": "refused", "RecordInteraction": "invalid", "Check": "ok",
	} {
		if !strings.Contains(out, `"op":"`+name+`"`) {
			t.Errorf("no log record for %s:\n%s", name, out)
		}
		op, ok := ops[name]
		if !ok || op.Outcome != outcome || op.Start.IsZero() || op.Duration < 0 || (outcome == "ok") != (op.Err == nil) {
			t.Errorf("observed %s: %+v, want outcome %s", name, op, outcome)
		}
	}
}

// TestObserveSeesCancellation checks the outcome of a cancelled call.
func TestObserveSeesCancellation(t *testing.T) {
	var got rapport.Operation
	book, err := rapport.New(memstore.New(nil), "group-a", &rapport.Options{
		Observe: func(_ context.Context, op rapport.Operation) { got = op },
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	phone, _ := channel.ParsePhone("+1 212 555 0199", "US")
	_, err = book.Receive(ctx, rapport.Inbound{From: phone.Address(), Body: "hi", At: time.Now()})
	if !errors.Is(err, context.Canceled) || got.Name != "Receive" || got.Outcome != "canceled" {
		t.Errorf("Receive on a cancelled context: %v, observed %+v", err, got)
	}
}

// BenchmarkObserve measures what observation adds to a call: Receive on
// memstore with no Logger or Observer (the baseline), and with an Observer
// and a Logger at Debug level writing JSON to io.Discard.
func BenchmarkObserve(b *testing.B) {
	for _, bc := range []struct {
		name string
		opts *rapport.Options
	}{
		{"baseline", nil},
		{"observed", &rapport.Options{
			Logger:  slog.New(slog.NewJSONHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelDebug})),
			Observe: func(context.Context, rapport.Operation) {},
		}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			book, err := rapport.New(memstore.New(nil), "group-a", bc.opts)
			if err != nil {
				b.Fatal(err)
			}
			phone, _ := channel.ParsePhone("+1 212 555 0123", "US")
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := book.Receive(ctx, rapport.Inbound{From: phone.Address(), Body: "Is it still available?"}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
