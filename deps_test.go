package rapport_test

import (
	"os/exec"
	"strings"
	"testing"
)

// allowedCore lists the only modules the core may depend on (README, "Install"): the
// standard library plus these. SQL backends, examples and tests may use more.
var allowedCore = []string{
	"github.com/rapportcim/rapport",
	"github.com/google/uuid",
	"github.com/nyaruka/phonenumbers",
	"golang.org/x/text",
	// IDNA for internationalized email domains (channel.ParseEmail).
	"golang.org/x/net/idna",
	// phonenumbers' own dependency for its embedded metadata.
	"google.golang.org/protobuf",
}

// notCore are packages outside the core: they bring their own drivers.
var notCore = []string{
	"github.com/rapportcim/rapport/storage/sqlitestore",
	"github.com/rapportcim/rapport/storage/pgstore",
	"github.com/rapportcim/rapport/examples",
	"github.com/rapportcim/rapport/cmd",
}

// TestCoreDependencies guards the core's dependency list with go list -deps,
// so that a convenient import cannot quietly pull a driver, a logging
// framework or a "toolbox" module into every vendor's binary.
func TestCoreDependencies(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not available:", err)
	}
	out, err := exec.Command(goBin, "list", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var core []string
	for _, pkg := range strings.Fields(string(out)) {
		if !hasAnyPrefix(pkg, notCore) {
			core = append(core, pkg)
		}
	}
	args := append([]string{"list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}"}, core...)
	out, err = exec.Command(goBin, args...).Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if !hasAnyPrefix(dep, allowedCore) {
			t.Errorf("core package graph imports %s, which is not allowed (the README lists the core's dependencies)", dep)
		}
	}
}

func hasAnyPrefix(pkg string, prefixes []string) bool {
	for _, p := range prefixes {
		if pkg == p || strings.HasPrefix(pkg, p+"/") {
			return true
		}
	}
	return false
}
