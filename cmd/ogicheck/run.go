package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/ogicheck/ogicheck/reports"
	"github.com/ogicheck/ogicheck/rules"
)

// version is set by the build (-ldflags "-X main.version=…").
var version = "dev"

// Exit statuses, decided in one place: exitStatus.
const (
	exitOK          = 0   // checked; no finding at or above --fail-on
	exitFindings    = 1   // checked; findings at or above --fail-on
	exitUsage       = 2   // usage error, found before any work
	exitUnchecked   = 3   // some input could not be checked at all
	exitFailed      = 4   // the run itself failed: a report or the store could not be written
	exitInterrupted = 130 // interrupted: what was checked was written, marked incomplete
)

// The outcomes of a run that are not failures of the run itself.
var (
	errFindings    = errors.New("findings at or above --fail-on")
	errUnchecked   = errors.New("some input could not be checked")
	errInterrupted = errors.New("interrupted")
)

// stdin is replaced in tests.
var stdin io.Reader = os.Stdin

// subcommands maps names to their functions.
var subcommands = map[string]func(ctx context.Context, args []string, stdout, stderr io.Writer) error{
	"check":   runCheck,
	"demo":    runDemo,
	"history": runHistory,
	"report":  runReport,
	"rules":   runRules,
	"scan":    runScan,
	"serve":   runServe,
	"user":    runUser,
	"worker":  runWorker,
}

func run(args []string, stdout, stderr io.Writer) int {
	if err := rules.Validate(); err != nil {
		fmt.Fprintln(stderr, "ogicheck: the rule registry is invalid:", err)
		return exitFailed
	}
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "version", "--version", "-version":
		fmt.Fprintln(stdout, "ogicheck", version)
		return exitOK
	case "help", "-h", "--help", "-help":
		usage(stdout)
		return exitOK
	}
	cmd, ok := subcommands[args[0]]
	if !ok {
		var names []string
		for n := range subcommands {
			names = append(names, n)
		}
		names = append(names, "version", "help")
		if s := suggest(args[0], names); s != "" {
			return exitStatus(usagef("ogicheck: unknown command %q: did you mean %q?", args[0], s), stderr)
		}
		return exitStatus(usagef("ogicheck: unknown command %q (commands: %s)", args[0], strings.Join(names, ", ")), stderr)
	}
	// The first Ctrl-C (or SIGTERM) stops the run, which still writes what
	// it checked; a second one ends the process at once.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		stop()
	}()
	return exitStatus(cmd(ctx, args[1:], stdout, stderr), stderr)
}

// exitStatus maps a subcommand's error to the exit status, and says what
// went wrong unless the status says it all.
func exitStatus(err error, stderr io.Writer) int {
	var ue *usageError
	switch {
	case err == nil, errors.Is(err, errHelp):
		return exitOK
	case errors.Is(err, errInterrupted):
		return exitInterrupted
	case errors.Is(err, errUnchecked):
		return exitUnchecked
	case errors.Is(err, errFindings):
		return exitFindings
	case errors.As(err, &ue):
		fmt.Fprintln(stderr, reports.Clean(err.Error()))
		return exitUsage
	}
	fmt.Fprintln(stderr, "ogicheck:", reports.Clean(err.Error()))
	return exitFailed
}

func usage(w io.Writer) {
	fmt.Fprint(w, `ogicheck checks 政府信息公开工作年度报告 (annual disclosure reports) and their sites.

Usage:
  ogicheck check [flags] FILE|DIR|-|URL ...   check report files, or crawl sites and check their reports
  ogicheck demo [flags]                       crawl simulated disclosure sites on 127.0.0.1 and check them
  ogicheck scan [flags] SITES-FILE            scan every site of a list into the store (--every, --cron: on schedule)
  ogicheck worker --db postgres://…           work the sites of scans queued in a shared PostgreSQL store
  ogicheck history [flags]                    scans, and findings new / persisting / resolved
  ogicheck report --scan latest [flags]       a stored scan in any format of check
  ogicheck rules [--lang zh|en]               list the rules
  ogicheck rules explain RULE-ID              explain a rule: doc, legal basis, examples
  ogicheck serve [--db FILE|URL] [--addr 127.0.0.1:8080]   the reviewers' app over the store
  ogicheck user add --role viewer|reviewer|admin NAME      add an account of the app
  ogicheck version

Run 'ogicheck COMMAND -h' for a command's flags. Exit status: 0 checked, no
finding at or above --fail-on; 1 findings at or above it; 2 usage error;
3 some input could not be checked at all (it is in the output with the
reason); 4 the run failed (a report could not be written); 130 interrupted
(what was checked is written, marked incomplete).
`)
}
