package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rapportcim/rapport/feed"
	"github.com/rapportcim/rapport/interaction"
)

// binary is the rapport command built once for the tests.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "rapport-cli")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "rapport")
	goBin, err := exec.LookPath("go")
	if err != nil {
		panic("the CLI tests build the command and need the go tool: " + err.Error())
	}
	build := exec.Command(goBin, "build", "-o", binary, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		panic("building rapport: " + err.Error())
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// runCLI runs the built command in dir with a fresh environment and
// returns its output and exit status.
func runCLI(t *testing.T, dir string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = dir
	cmd.Env = []string{"RAPPORT_DB=" + filepath.Join(dir, "book.db"), "RAPPORT_TENANT=group-a"}
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		code = ee.ExitCode()
	default:
		t.Fatal(err)
	}
	return out.String(), errOut.String(), code
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestImportTimelineCheckFeedStats(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "customers.jsonl"), `{"name":{"given":"Jane","family":"Doe"},"contact_points":[{"address":"tel:+12125550123","usage":"mobile"}]}
{"name":{"given":"Sam","family":"Roe"},"contact_points":[{"address":"mailto:sam@example.com"}]}
{"name":{"given":"Nobody"},"contact_points":[{"address":"tel:12"}]}
`)
	out, errOut, code := runCLI(t, dir, "import", "-every", "1", "customers.jsonl")
	if code != 0 || !strings.Contains(out, "3 rows: 2 written, 0 matched, 0 unchanged, 1 rejected") {
		t.Fatalf("import: exit %d\n%s%s", code, out, errOut)
	}
	// Not a terminal: plain progress lines on stderr.
	if n := strings.Count(errOut, "import: "); n != 3 || !strings.Contains(errOut, "rows/s") {
		t.Errorf("progress lines:\n%s", errOut)
	}
	f, err := os.Open(filepath.Join(dir, "customers.jsonl.rejected.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil || len(rows) != 2 || rows[1][0] != "3" || !strings.Contains(rows[1][2], "phone") {
		t.Errorf("report %v, %v", rows, err)
	}
	// Again: everything matched, nothing written.
	if out, _, code := runCLI(t, dir, "import", "customers.jsonl"); code != 0 || !strings.Contains(out, "0 written, 2 matched, 2 unchanged, 1 rejected") {
		t.Errorf("re-import: exit %d: %s", code, out)
	}
	// A DMS export and an ADF lead from the packages' test files.
	csvFile, _ := filepath.Abs("../../dms/testdata/cdk-customers.csv")
	if out, errOut, code := runCLI(t, dir, "import", "-system", "cdk", csvFile); code != 0 || !strings.Contains(out, "2 rows: 2 written") {
		t.Errorf("DMS import: exit %d: %s%s", code, out, errOut)
	}
	adfFile, _ := filepath.Abs("../../adf/testdata/crm-two-prospects.xml")
	if out, errOut, code := runCLI(t, dir, "import", "-rooftop", "downtown", adfFile); code != 0 || !strings.Contains(out, "2 rows: 2 written") {
		t.Errorf("ADF import: exit %d: %s%s", code, out, errOut)
	}

	// Check: no consent to text Jane for marketing → exit 3 with the reason.
	out, _, code = runCLI(t, dir, "check", "-address", "tel:+12125550123", "-purpose", "marketing")
	if code != 3 || !strings.Contains(out, "refused (no_consent)") {
		t.Errorf("check: exit %d: %s", code, out)
	}

	// The feed as JSON lines, with records; resuming after the last cursor prints nothing.
	out, _, code = runCLI(t, dir, "feed")
	var last feed.Line
	lines := strings.Split(strings.TrimSpace(out), "\n")
	for _, l := range lines {
		if err := json.Unmarshal([]byte(l), &last); err != nil {
			t.Fatalf("feed line %q: %v", l, err)
		}
	}
	if code != 0 || len(lines) < 4 || last.Cursor == "" {
		t.Fatalf("feed: exit %d, %d lines", code, len(lines))
	}
	if out, _, code := runCLI(t, dir, "feed", "-after", string(last.Cursor)); code != 0 || out != "" {
		t.Errorf("feed after the last cursor: exit %d: %q", code, out)
	}

	// The timeline of a lead's customer, human-readable and JSON.
	var leadCustomer string
	for _, l := range lines {
		var fl feed.Line
		json.Unmarshal([]byte(l), &fl)
		if fl.Change.Entity == "interaction" {
			var i interaction.Interaction
			if err := json.Unmarshal(fl.Record, &i); err == nil && i.Kind == interaction.KindLead {
				leadCustomer = i.Customer.String()
			}
		}
	}
	if leadCustomer == "" {
		t.Fatal("no lead interaction in the feed")
	}
	out, _, code = runCLI(t, dir, "timeline", "-customer", leadCustomer)
	if code != 0 || !strings.Contains(out, "inbound") || !strings.Contains(out, "lead") {
		t.Errorf("timeline: exit %d: %s", code, out)
	}
	out, _, code = runCLI(t, dir, "timeline", "-json", "-customer", leadCustomer)
	var i interaction.Interaction
	if err := json.Unmarshal([]byte(strings.SplitN(out, "\n", 2)[0]), &i); code != 0 || err != nil || i.Customer.String() != leadCustomer {
		t.Errorf("timeline -json: exit %d, %v: %s", code, err, out)
	}

	out, _, code = runCLI(t, dir, "stats")
	if code != 0 || !strings.Contains(out, "customer records") || !strings.Contains(out, "tenant") {
		t.Errorf("stats: exit %d: %s", code, out)
	}
	out, _, code = runCLI(t, dir, "stats", "-json")
	var st struct{ Records map[string]int }
	if err := json.Unmarshal([]byte(out), &st); code != 0 || err != nil || st.Records["customer"] < 4 {
		t.Errorf("stats -json: exit %d, %v: %s", code, err, out)
	}
	// Another tenant sees none of it.
	out, _, _ = runCLI(t, dir, "feed", "-tenant", "group-b")
	if out != "" {
		t.Errorf("tenant group-b's feed: %q", out)
	}
}

func TestUsageErrors(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{},
		{"bogus"},
		{"import"},
		{"import", "-nosuchflag", "x.jsonl"},
		{"import", "file.txt"},
		{"import", "-format", "dms", "x.csv"},
		{"timeline"},
		{"timeline", "-customer", "not-an-id"},
		{"check"},
		{"check", "-address", "tel:+12125550123", "-purpose", "world-domination"},
		{"feed", "extra"},
		{"help", "bogus"},
	} {
		_, errOut, code := runCLI(t, dir, args...)
		if code != 2 || errOut == "" {
			t.Errorf("rapport %q: exit %d, stderr %q; want 2 with a message", args, code, errOut)
		}
	}
	for _, args := range [][]string{{"help"}, {"help", "import"}, {"import", "-h"}} {
		out, errOut, code := runCLI(t, dir, args...)
		if code != 0 || !strings.Contains(out+errOut, "usage") && !strings.Contains(out+errOut, "Usage") {
			t.Errorf("rapport %q: exit %d\n%s%s", args, code, out, errOut)
		}
	}
	// A runtime failure (a missing file) is exit 1.
	if _, errOut, code := runCLI(t, dir, "import", "missing.jsonl"); code != 1 || !strings.Contains(errOut, "missing.jsonl") {
		t.Errorf("missing file: exit %d: %s", code, errOut)
	}
}
