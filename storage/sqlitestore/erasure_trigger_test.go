package sqlitestore_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/storage"
	"github.com/rapportcim/rapport/storage/sqlitestore"
)

// TestLedgerRewriteOnlyByErasure: the engine itself refuses every change
// to a ledger row except moving it, once, to an erased key under an
// erasure record that names it; erasure records are append-only too.
func TestLedgerRewriteOnlyByErasure(t *testing.T) {
	ctx := context.Background()
	b, err := sqlitestore.Open(ctx, filepath.Join(t.TempDir(), "t.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	addr, err := channel.ParseAddress("tel:+12125550123")
	if err != nil {
		t.Fatal(err)
	}
	ev := consent.Event{ID: consent.ID{1}, Tenant: "t1", Subject: consent.Subject{Address: addr}, Channel: channel.KindSMS,
		Purpose: consent.PurposeMarketing, Action: consent.ActionRevoke, CapturedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		Evidence: consent.Evidence{Method: consent.MethodSMSKeyword, RawText: "STOP"}}
	if err := b.Update(ctx, func(tx storage.Tx) error { return tx.AppendConsent(ctx, ev) }); err != nil {
		t.Fatal(err)
	}
	refused := func(q string) {
		t.Helper()
		if err := sqlitestore.ExecWriter(t, b, q); err == nil {
			t.Errorf("%s: the engine allowed it", q)
		}
	}
	refused(`UPDATE consent_events SET address_line = 'erased:x'`) // no erasure names it
	refused(`DELETE FROM consent_events`)
	// With an erasure naming the event, only the move to an erased key passes, once.
	for _, q := range []string{
		`INSERT INTO erasures (tenant_id, id, doc) VALUES ('t1', x'02000000000000000000000000000000', x'7b7d')`,
		`INSERT INTO erased_events (tenant_id, event_id, erasure_id) VALUES ('t1', x'01000000000000000000000000000000', x'02000000000000000000000000000000')`,
	} {
		if err := sqlitestore.ExecWriter(t, b, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	refused(`UPDATE consent_events SET address_line = 'tel:+12125550199'`)
	refused(`UPDATE consent_events SET seq = seq + 100, address_line = 'erased:x'`)
	if err := sqlitestore.ExecWriter(t, b, `UPDATE consent_events SET address_line = 'erased:x', doc = x'7b7d'`); err != nil {
		t.Fatalf("the erasure's own rewrite was refused: %v", err)
	}
	refused(`UPDATE consent_events SET address_line = 'erased:y'`) // once only
	refused(`DELETE FROM consent_events`)
	refused(`UPDATE erasures SET doc = x'7b7d7d'`)
	refused(`DELETE FROM erasures`)
	refused(`DELETE FROM erased_events`)
}
