// Command rapport works on a book of customer interaction records from the
// command line: import leads and DMS exports, read a customer's or a
// household's timeline, ask whether a contact is allowed now, follow the
// change feed, and count what the book holds.
//
// Usage:
//
//	rapport <command> [flags] [arguments]
//
// The commands are import, timeline, check, feed and stats; "rapport help
// <command>" or "rapport <command> -h" explains each. Every command takes
// -db (a SQLite file, created when missing, or a postgres:// DSN; default
// $RAPPORT_DB, else rapport.db) and -tenant (default $RAPPORT_TENANT, else
// "default").
//
// Exit status: 0 on success, 1 when the command failed, 2 for a usage error
// (an unknown command or flag, a missing argument), 3 when check refuses
// the contact.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/rapportcim/rapport"
	"github.com/rapportcim/rapport/dealer"
	"github.com/rapportcim/rapport/storage"
	"github.com/rapportcim/rapport/storage/pgstore"
	"github.com/rapportcim/rapport/storage/sqlitestore"
)

// Exit statuses.
const (
	exitOK      = 0
	exitFailed  = 1
	exitUsage   = 2
	exitRefused = 3
)

// errUsage marks a usage error: the message is printed with the command's
// usage, and the exit status is 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// errRefused is check's answer "no": exit status 3, nothing more printed.
var errRefused = errors.New("contact refused")

// command is one subcommand.
type command struct {
	name, args, short, long string
	flags                   func(fs *flag.FlagSet) func(ctx context.Context, env *env, args []string) error
}

// env is what a command runs with.
type env struct {
	stdout, stderr io.Writer
	stderrTerminal bool
	db, tenant     string
}

var commands = []*command{importCmd, timelineCmd, checkCmd, feedCmd, statsCmd}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr, isTerminal(os.Stderr)))
}

// isTerminal reports whether f is a character device (a terminal) rather
// than a file or a pipe.
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

func mainUsage(w io.Writer) {
	fmt.Fprint(w, `rapport works on a book of customer interaction records.

Usage:

	rapport <command> [flags] [arguments]

The commands are:

`)
	for _, c := range commands {
		fmt.Fprintf(w, "\t%-9s %s\n", c.name, c.short)
	}
	fmt.Fprint(w, `
Use "rapport help <command>" for more information about a command.

Every command takes -db (a SQLite file, created when missing, or a
postgres:// DSN; default $RAPPORT_DB, else rapport.db) and -tenant (the
tenant whose records are read and written; default $RAPPORT_TENANT, else
"default").

Exit status: 0 on success, 1 when the command failed, 2 for a usage error,
3 when check refuses the contact.
`)
}

// run runs the command line args and returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, terminal bool) int {
	if len(args) == 0 {
		mainUsage(stderr)
		return exitUsage
	}
	name := args[0]
	if name == "help" || name == "-h" || name == "-help" || name == "--help" {
		if len(args) > 1 && name == "help" {
			if c := lookup(args[1]); c != nil {
				fs := c.flagSet(stdout)
				fs.Usage()
				return exitOK
			}
			fmt.Fprintf(stderr, "rapport help %s: unknown command\n", args[1])
			return exitUsage
		}
		mainUsage(stdout)
		return exitOK
	}
	c := lookup(name)
	if c == nil {
		fmt.Fprintf(stderr, "rapport %s: unknown command\nRun 'rapport help' for usage.\n", name)
		return exitUsage
	}
	fs := c.flagSet(stderr)
	e := &env{stdout: stdout, stderr: stderr, stderrTerminal: terminal}
	fs.StringVar(&e.db, "db", envOr("RAPPORT_DB", "rapport.db"), "the book: a SQLite file, or a postgres:// DSN")
	fs.StringVar(&e.tenant, "tenant", envOr("RAPPORT_TENANT", "default"), "the tenant whose records are read and written")
	runFn := c.flags(fs)
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage // the flag package printed the error and the usage
	}
	err := runFn(ctx, e, fs.Args())
	var ue *usageError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "rapport %s: %s\n", c.name, ue.msg)
		fmt.Fprintf(stderr, "usage: rapport %s %s\nRun 'rapport help %s' for details.\n", c.name, c.args, c.name)
		return exitUsage
	case errors.Is(err, errRefused):
		return exitRefused
	default:
		fmt.Fprintf(stderr, "rapport %s: %v\n", c.name, err)
		return exitFailed
	}
}

func lookup(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return nil
}

func (c *command) flagSet(w io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("rapport "+c.name, flag.ContinueOnError)
	fs.SetOutput(w)
	fs.Usage = func() {
		fmt.Fprintf(w, "usage: rapport %s %s\n\n%s\n\nFlags:\n", c.name, c.args, strings.TrimSpace(c.long))
		fs.PrintDefaults()
	}
	return fs
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// open opens the book the -db and -tenant flags name, migrating its
// schema. The returned function closes it.
func (e *env) open(ctx context.Context) (*rapport.Book, func() error, error) {
	var backend interface {
		storage.Backend
		Migrate(context.Context) error
		Close() error
	}
	var err error
	if strings.HasPrefix(e.db, "postgres://") || strings.HasPrefix(e.db, "postgresql://") {
		backend, err = pgstore.Open(ctx, e.db, nil)
	} else {
		backend, err = sqlitestore.Open(ctx, e.db, nil)
	}
	if err != nil {
		return nil, nil, err
	}
	if err := backend.Migrate(ctx); err != nil {
		backend.Close()
		return nil, nil, err
	}
	book, err := rapport.New(backend, dealer.Tenant(e.tenant), nil)
	if err != nil {
		backend.Close()
		if errors.Is(err, rapport.ErrTenant) {
			return nil, nil, usagef("-tenant: %v", err)
		}
		return nil, nil, err
	}
	return book, backend.Close, nil
}
