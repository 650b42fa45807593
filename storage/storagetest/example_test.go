package storagetest_test

import (
	"testing"

	"github.com/rapportcim/rapport/storage"
	"github.com/rapportcim/rapport/storage/memstore"
	"github.com/rapportcim/rapport/storage/storagetest"
)

// A backend runs the whole conformance suite from one test function: the
// factory returns a fresh, empty backend for each check and registers its
// cleanup. (This example has no output to check: Run needs the *testing.T
// of a real test, such as memstore's TestConformance.)
func ExampleRun() {
	conformance := func(t *testing.T) {
		storagetest.Run(t, func(t *testing.T) storage.Backend {
			b := memstore.New(nil)
			t.Cleanup(func() { b.Close() })
			return b
		})
	}
	_ = conformance
}
