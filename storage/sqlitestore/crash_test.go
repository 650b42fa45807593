//go:build unix

package sqlitestore_test

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rapportcim/rapport/channel"
	"github.com/rapportcim/rapport/consent"
	"github.com/rapportcim/rapport/customer"
	"github.com/rapportcim/rapport/interaction"
	"github.com/rapportcim/rapport/storage"
	"github.com/rapportcim/rapport/storage/sqlitestore"
)

// The crash test's child process is this test binary, run with
// -test.run=^TestCrashChild$ and these variables set.
const (
	envCrashChild = "RAPPORT_CRASH_CHILD" // the database path
	envCrashBase  = "RAPPORT_CRASH_BASE"  // the first record number to write
	envCrashSync  = "RAPPORT_CRASH_SYNC"  // the Synchronous option
	envCrashKills = "RAPPORT_CRASH_KILLS" // how many kills the parent makes (default 20)
	envCrashSeed  = "RAPPORT_CRASH_SEED"  // the parent's RNG seed (default: from the clock, logged)
)

// TestCrashSafety checks that an acknowledged write survives kill -9: a
// child process writes opt-outs and interactions in a loop, each pair in
// one Update, and reports each commit ("ACK …") once Update has returned;
// the parent kills it with SIGKILL at a random moment, reopens the file,
// and checks that every acknowledged opt-out and interaction is there, that
// every pair is whole (atomicity) and that PRAGMA integrity_check is ok.
// The children alternate between SynchronousFull and SynchronousNormal:
// both must survive a process crash (only power loss tells them apart).
//
// RAPPORT_CRASH_KILLS=500 runs a longer campaign; RAPPORT_CRASH_SEED
// replays one.
func TestCrashSafety(t *testing.T) {
	if os.Getenv(envCrashChild) != "" {
		t.Skip("running as the crash child")
	}
	if testing.Short() {
		t.Skip("spawns processes; skipped with -short")
	}
	kills := 20
	if v := os.Getenv(envCrashKills); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("%s=%q: want a positive number", envCrashKills, v)
		}
		kills = n
	}
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv(envCrashSeed); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("%s=%q: %v", envCrashSeed, v, err)
		}
		seed = n
	}
	t.Logf("crash campaign: %d kills, seed %d (replay with %s=%d)", kills, seed, envCrashSeed, seed)
	rng := rand.New(rand.NewPCG(seed, 0x5eed))

	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "crash.db")
	b, err := sqlitestore.Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	b.Close()

	var acked, total int
	start := time.Now()
	for k := range kills {
		sync := sqlitestore.SynchronousFull
		if k%2 == 1 {
			sync = sqlitestore.SynchronousNormal
		}
		delay := time.Duration(5+rng.IntN(146)) * time.Millisecond
		acks := runCrashChild(t, path, uint64(k)*1_000_000, sync, delay, k%4 == 3)
		acked += len(acks)
		total = verifyCrash(t, path, acks)
		if t.Failed() {
			t.Fatalf("kill %d (synchronous %s, %v after ready) lost acknowledged data", k, sync, delay)
		}
		t.Logf("kill %2d: synchronous=%-6s after %3dms: %3d acknowledged, all present", k, sync, delay.Milliseconds(), len(acks))
	}
	t.Logf("%d kills in %v: %d acknowledged writes, all present; %d pairs committed in all (some never acknowledged: killed before the ACK); integrity_check ok every time",
		kills, time.Since(start).Round(time.Millisecond), acked, total)
	if acked == 0 {
		t.Error("no child acknowledged a write: the test exercised nothing")
	}
}

// ack is one acknowledged commit of the child.
type ack struct {
	n           uint64
	event       consent.ID
	interaction interaction.ID
}

// runCrashChild runs one child, kills it with SIGKILL delay after it is
// ready (the database open and the fixtures built: starting a test binary
// takes longer than the kill window) or, with afterAck, delay after its
// first acknowledged commit, and returns what it acknowledged.
func runCrashChild(t *testing.T, path string, base uint64, sync sqlitestore.Synchronous, delay time.Duration, afterAck bool) []ack {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(),
		envCrashChild+"="+path,
		envCrashBase+"="+strconv.FormatUint(base, 10),
		envCrashSync+"="+string(sync))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready := make(chan struct{})
	acked := make(chan struct{}) // closed at the first ACK
	done := make(chan []ack)
	go func() {
		var acks []ack
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			f := strings.Fields(sc.Text())
			switch {
			case len(f) == 1 && f[0] == "READY":
				close(ready)
			case len(f) == 4 && f[0] == "ACK":
				n, err1 := strconv.ParseUint(f[1], 10, 64)
				e, err2 := consent.ParseID(f[2])
				i, err3 := interaction.ParseID(f[3])
				if err1 == nil && err2 == nil && err3 == nil {
					acks = append(acks, ack{n, e, i})
					if len(acks) == 1 {
						close(acked)
					}
				}
			}
		}
		done <- acks
	}()
	select {
	case <-ready:
	case <-time.After(30 * time.Second):
		t.Error("crash child not ready after 30s")
	}
	if afterAck {
		// On a loaded machine (or under -race) a child may not commit
		// within the kill window; these kills count from its first
		// acknowledged commit, so that the campaign always kills children
		// that have acknowledged writes.
		select {
		case <-acked:
		case <-time.After(30 * time.Second):
			t.Error("crash child acknowledged nothing in 30s")
		}
	}
	time.Sleep(delay)
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatalf("kill: %v", err)
	}
	acks := <-done
	err = cmd.Wait()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("crash child ended with %v, not by SIGKILL", err)
	}
	return acks
}

// verifyCrash reopens the database after a kill and checks it; it returns
// the number of interactions stored.
func verifyCrash(t *testing.T, path string, acks []ack) int {
	t.Helper()
	ctx := t.Context()
	b, err := sqlitestore.Open(ctx, path, nil)
	if err != nil {
		t.Fatalf("reopen after kill: %v", err)
	}
	defer b.Close()
	if got := sqlitestore.IntegrityCheck(t, b); got != "ok" {
		t.Errorf("PRAGMA integrity_check after kill: %q, want ok", got)
	}
	for _, a := range acks {
		i, err := b.GetInteraction(ctx, tenant, a.interaction)
		if err != nil {
			t.Errorf("acknowledged interaction %d (%v) after kill: %v", a.n, a.interaction, err)
			continue
		}
		if i.Revision != 1 {
			t.Errorf("interaction %d: revision %d, want 1", a.n, i.Revision)
		}
		events, err := b.ConsentByAddress(ctx, tenant, crashPhone(a.n))
		if err != nil {
			t.Errorf("ConsentByAddress for acknowledged opt-out %d: %v", a.n, err)
			continue
		}
		if !slices.ContainsFunc(events, func(e consent.Event) bool { return e.ID == a.event }) {
			t.Errorf("acknowledged opt-out %d (%v) missing after kill", a.n, a.event)
		}
	}
	// Each commit wrote one event, one interaction and two changes: a torn
	// transaction would break these counts.
	counts := sqlitestore.RowCounts(t, b)
	if counts["consent_events"] != counts["interactions"] || counts["changes"] != 2*counts["interactions"] {
		t.Errorf("after kill: %v rows; want as many events as interactions and two changes per pair", counts)
	}
	return int(counts["interactions"])
}

// crashPhone is the fictional number of crash record n: a 555-01xx line.
func crashPhone(n uint64) channel.Address { return testPhone(int(n % 1_000_000)) }

// TestCrashChild is the child process of TestCrashSafety; it does nothing
// unless RAPPORT_CRASH_CHILD is set.
func TestCrashChild(t *testing.T) {
	path := os.Getenv(envCrashChild)
	if path == "" {
		t.Skip("only run by TestCrashSafety")
	}
	base, err := strconv.ParseUint(os.Getenv(envCrashBase), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	b, err := sqlitestore.Open(ctx, path, &sqlitestore.Options{Synchronous: sqlitestore.Synchronous(os.Getenv(envCrashSync))})
	if err != nil {
		t.Fatal(err)
	}
	cust := customer.ID(seqID(1, 1))
	crashPhone(base) // warm up the phone fixtures (slow under -race)
	fmt.Fprintln(os.Stdout, "READY")
	for n := base; ; n++ {
		e := testOptOut(n, crashPhone(n), cust, t0.Add(time.Duration(n)*time.Second))
		i := testInteraction(n, cust, t0.Add(time.Duration(n)*time.Second))
		err := b.Update(ctx, func(tx storage.Tx) error {
			if err := tx.AppendConsent(ctx, e); err != nil {
				return err
			}
			return tx.CreateInteraction(ctx, i)
		})
		if err != nil {
			t.Fatalf("Update %d: %v", n, err)
		}
		// os.Stdout is unbuffered: the line is in the pipe when Fprintf
		// returns.
		fmt.Fprintf(os.Stdout, "ACK %d %s %s\n", n, e.ID, i.ID)
	}
}
