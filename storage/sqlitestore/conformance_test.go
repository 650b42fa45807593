package sqlitestore_test

import (
	"testing"

	"github.com/rapportcim/rapport/storage"
	"github.com/rapportcim/rapport/storage/sqlitestore"
	"github.com/rapportcim/rapport/storage/storagetest"
)

// TestConformance runs the storage conformance suite against a fresh,
// migrated database file per check.
func TestConformance(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) storage.Backend {
		// NORMAL keeps the suite quick; TestCrashSafety covers durability.
		return newTestBackend(t, &sqlitestore.Options{Synchronous: sqlitestore.SynchronousNormal})
	})
}
