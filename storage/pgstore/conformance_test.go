package pgstore_test

import (
	"testing"

	"github.com/rapportcim/rapport/storage"
	"github.com/rapportcim/rapport/storage/storagetest"
)

// TestConformance runs the storage conformance suite against a fresh,
// migrated schema per check.
func TestConformance(t *testing.T) {
	needServer(t)
	storagetest.Run(t, func(t *testing.T) storage.Backend {
		return newTestBackend(t, nil)
	})
}
