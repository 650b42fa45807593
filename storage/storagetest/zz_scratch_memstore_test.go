package storagetest_test

import (
	"testing"

	"github.com/rapportcim/rapport/storage"
	"github.com/rapportcim/rapport/storage/memstore"
	"github.com/rapportcim/rapport/storage/storagetest"
)

func TestScratchMemstore(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) storage.Backend {
		b := memstore.New(nil)
		t.Cleanup(func() { b.Close() })
		return b
	})
}
