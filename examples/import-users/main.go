// Command import-users migrates an existing user base into CometChat with
// Users.Import: it streams users from a CSV or JSON Lines file, shows
// progress, writes a report of what did not land, and can resume after a
// crash or retry just the failures.
//
//	go run ./examples/import-users examples/import-users/testdata/users.csv
//	go run ./examples/import-users --dry-run users.csv
//	go run ./examples/import-users --report failures.jsonl users.csv
//	go run ./examples/import-users --retry-from failures.jsonl
//	go run ./examples/import-users --resume failures.jsonl
//	go run ./examples/import-users --strategy create --workers 16 users.jsonl
//	go run ./examples/import-users --generate 100000 > big.csv
//
// Without COMETCHAT_APP_ID, COMETCHAT_REGION and COMETCHAT_API_KEY it
// imports into an in-memory cometchattest server (nothing is kept); with
// them, into that CometChat app (COMETCHAT_BASE_URL optionally replaces the
// API's URL, e.g. for a proxy).
//
// Input: a header row uid,name,avatar,link,role,statusMessage,metadata,tags,
// createdAt,lastActiveAt (any order and subset; uid and name required), or
// one JSON object per line with the same keys. metadata is a JSON object;
// tags a JSON array or "a|b|c"; createdAt and lastActiveAt Unix seconds or
// RFC 3339. Users that already exist count as already there, so re-running
// the same input resumes.
//
// Exit status: 0 when every user landed (imported or already there), 1 when
// some failed or were invalid (see the report), 2 on a usage, I/O or
// authentication error, or when interrupted.
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
	"syscall"
	"time"

	"github.com/gocometchat/cometchat"
	"github.com/gocometchat/cometchat/cometchattest"
)

// Exit statuses.
const (
	exitOK       = 0
	exitFailures = 1
	exitError    = 2
)

// environment is what run takes from the process, so tests can supply it.
type environment struct {
	getenv         func(string) string
	stdin          io.Reader
	stdout, stderr io.Writer
	tty            bool // stderr is a terminal
	now            func() time.Time
	// onProgress, when set, is called with the users processed so far by
	// this run (tests cancel the context there to simulate a crash).
	onProgress func(users int)
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	env := environment{
		getenv: os.Getenv, stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr,
		tty: isTerminal(os.Stderr), now: time.Now,
	}
	os.Exit(run(ctx, os.Args[1:], env))
}

// isTerminal reports whether f is a terminal (a character device), without
// any dependency.
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

type options struct {
	input, format, strategy   string
	workers, rate, chunk      int
	dryRun                    bool
	report, retryFrom, resume string
	generate                  int
	progress                  string
	set                       map[string]bool // flags given on the command line
}

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("import-users", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.format, "format", "", "input format: csv or jsonl (default: from the file's extension)")
	fs.StringVar(&o.strategy, "strategy", "import", "import: POST /data_import/users, keeps createdAt and lastActiveAt, 3,000 users/min;\n"+
		"create: POST /users with concurrent workers, faster, keeps no history")
	fs.IntVar(&o.workers, "workers", cometchat.DefaultImportWorkers, "requests in flight with --strategy create")
	fs.IntVar(&o.rate, "rate", cometchat.DefaultImportPerMinute, "requests per minute with --strategy create")
	fs.IntVar(&o.chunk, "chunk", 1000, "users read and imported at a time (one Users.Import call)")
	fs.BoolVar(&o.dryRun, "dry-run", false, "only read and validate the input; report problems by line number")
	fs.StringVar(&o.report, "report", "", "append a JSON Lines report of failures and checkpoints to this file")
	fs.StringVar(&o.retryFrom, "retry-from", "", "retry the pending failures of this report (appending to it)")
	fs.StringVar(&o.resume, "resume", "", "continue a run after its report's last checkpoint, retrying its failures")
	fs.IntVar(&o.generate, "generate", 0, "write this many synthetic users to stdout (in --format, default csv) and exit")
	fs.StringVar(&o.progress, "progress", "auto", "auto (a bar on a terminal, plain lines otherwise), bar, plain or none")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: import-users [flags] <users.csv | users.jsonl | ->")
		fmt.Fprintln(stderr, "       import-users --retry-from report.jsonl | --resume report.jsonl [input]")
		fmt.Fprintln(stderr, "       import-users --generate N [--format csv|jsonl] > users.csv")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	o.set = map[string]bool{}
	fs.Visit(func(f *flag.Flag) { o.set[f.Name] = true })
	switch fs.NArg() {
	case 0:
	case 1:
		o.input = fs.Arg(0)
	default:
		return nil, errors.New("one input file at most")
	}
	var bad []string
	check := func(ok bool, msg string) {
		if !ok {
			bad = append(bad, msg)
		}
	}
	check(o.strategy == "import" || o.strategy == "create", "--strategy must be import or create")
	check(o.format == "" || o.format == "csv" || o.format == "jsonl", "--format must be csv or jsonl")
	check(o.workers > 0, "--workers must be positive")
	check(o.rate > 0, "--rate must be positive")
	check(o.chunk > 0 && o.chunk <= 100_000, "--chunk must be between 1 and 100000")
	check(o.generate >= 0, "--generate must not be negative")
	check(o.progress == "auto" || o.progress == "bar" || o.progress == "plain" || o.progress == "none",
		"--progress must be auto, bar, plain or none")
	check(o.retryFrom == "" || o.resume == "", "--retry-from and --resume exclude each other")
	check(!o.dryRun || o.retryFrom == "" && o.resume == "", "--dry-run reads an input, not a report")
	check(o.retryFrom == "" || o.input == "", "--retry-from takes no input file: it retries the report's records")
	check(o.generate > 0 || o.input != "" || o.retryFrom != "" || o.resume != "", "an input file is required")
	if len(bad) > 0 {
		return nil, errors.New(strings.Join(bad, "; "))
	}
	return o, nil
}

// run is the whole program; it returns the exit status.
func run(ctx context.Context, args []string, env environment) int {
	if env.now == nil {
		env.now = time.Now
	}
	o, err := parseFlags(args, env.stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintln(env.stderr, "import-users:", err)
		return exitError
	}
	if o.generate > 0 {
		format := o.format
		if format == "" {
			format = "csv"
		}
		if err := generate(env.stdout, format, o.generate); err != nil {
			fmt.Fprintln(env.stderr, "import-users:", err)
			return exitError
		}
		return exitOK
	}
	code, err := importUsers(ctx, o, env)
	if err != nil {
		fmt.Fprintln(env.stderr, "import-users:", err)
	}
	return code
}

// importUsers wires the input, the client, the report and the importer.
func importUsers(ctx context.Context, o *options, env environment) (int, error) {
	var prior *priorReport
	if path := o.retryFrom + o.resume; path != "" {
		var err error
		if prior, err = readReport(path); err != nil {
			return exitError, fmt.Errorf("reading the report: %w", err)
		}
		if o.resume != "" && prior.run != nil {
			// Resume what the report's run did, unless told otherwise.
			if o.input == "" {
				o.input = prior.run.Input
			}
			if o.format == "" && o.input == prior.run.Input {
				o.format = prior.run.Format
			}
			if !o.set["strategy"] && prior.run.Strategy != "" {
				o.strategy = prior.run.Strategy
			}
		}
		if o.resume != "" && o.input == "" {
			return exitError, errors.New("the report names no input: give the input file")
		}
		if o.report == "" {
			o.report = path
		}
	}

	var src recordReader
	var size int64
	if o.input != "" {
		in, closeIn, n, err := openInput(o.input, env.stdin)
		if err != nil {
			return exitError, err
		}
		defer closeIn()
		size = n
		if o.format == "" {
			o.format = formatOf(o.input)
		}
		if o.format == "" {
			return exitError, fmt.Errorf("cannot tell the format of %q: use --format csv or --format jsonl", o.input)
		}
		if src, err = newReader(o.format, in); err != nil {
			return exitError, fmt.Errorf("%s: %w", o.input, err)
		}
	}

	im := &importer{
		dryRun: o.dryRun, chunk: o.chunk, stderr: env.stderr, inputName: o.input, onProgress: env.onProgress,
		seen: newUIDSet(),
	}
	switch o.input {
	case "-":
		im.inputName = "stdin"
	case "":
		im.inputName = "input" // records come from the report
		if prior != nil && prior.run != nil && prior.run.Input != "" {
			im.inputName = prior.run.Input
		}
	}
	if !o.dryRun {
		client, note, cleanup, err := newClient(env)
		if err != nil {
			return exitError, err
		}
		defer cleanup()
		if note != "" {
			fmt.Fprintln(env.stderr, "import-users:", note)
		}
		im.client = client
		im.strategy = cometchat.ImportStrategyDataImport
		if o.strategy == "create" {
			im.strategy = cometchat.ImportStrategyCreate
			im.importOpts = append(im.importOpts, cometchat.WithImportWorkers(o.workers), cometchat.WithImportRate(o.rate))
		}
	}
	if o.report != "" {
		if prior == nil {
			// A report belongs to one input: appending a new run's
			// checkpoints to another's would make --resume skip lines.
			if st, err := os.Stat(o.report); err == nil && st.Size() > 0 {
				return exitError, fmt.Errorf("the report %s exists: continue it with --resume or --retry-from, or remove it", o.report)
			}
		}
		w, err := createReport(o.report)
		if err != nil {
			return exitError, fmt.Errorf("opening the report: %w", err)
		}
		im.report = w
		defer func() {
			if err := w.close(); err != nil {
				fmt.Fprintln(env.stderr, "import-users: writing the report:", err)
			}
		}()
		if err := w.write(runEntry(o.input, o.format, o.strategy, env.now())); err != nil {
			return exitError, fmt.Errorf("writing the report: %w", err)
		}
	}
	switch o.progress {
	case "auto":
		im.prog = newProgress(env.stderr, env.tty, env.now, size)
	case "bar", "plain":
		im.prog = newProgress(env.stderr, o.progress == "bar", env.now, size)
	}
	if o.dryRun && im.prog != nil {
		im.prog.label = "checked"
	}

	start := env.now()
	err := im.run(ctx, src, prior, o.resume != "")
	im.prog.done()
	im.summary(env.stdout, env.now().Sub(start))
	switch {
	case err != nil && ctx.Err() != nil:
		if o.report != "" {
			return exitError, fmt.Errorf("interrupted; continue with: import-users --resume %s", o.report)
		}
		return exitError, errors.New("interrupted; run again to continue (users already imported count as already there)")
	case err != nil:
		return exitError, fmt.Errorf("stopped: %w", err)
	case im.stats.failed > 0 || im.stats.invalid > 0:
		if o.report != "" && !o.dryRun {
			fmt.Fprintf(env.stderr, "import-users: some users did not land; fix the input or retry with: import-users --retry-from %s\n", o.report)
		}
		return exitFailures, nil
	}
	return exitOK, nil
}

// openInput opens a file, or stdin for "-", and says how big it is (0 when
// unknown).
func openInput(name string, stdin io.Reader) (io.Reader, func(), int64, error) {
	if name == "-" {
		return stdin, func() {}, 0, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, 0, err
	}
	var size int64
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
		size = st.Size()
	}
	return f, func() { _ = f.Close() }, size, nil
}

// newClient connects to the CometChat app named by the environment, or, when
// none is, to an in-memory fake.
func newClient(env environment) (client *cometchat.Client, note string, cleanup func(), err error) {
	appID, region, key := env.getenv("COMETCHAT_APP_ID"), env.getenv("COMETCHAT_REGION"), env.getenv("COMETCHAT_API_KEY")
	base := env.getenv("COMETCHAT_BASE_URL")
	ua := cometchat.WithUserAgent("import-users")
	if appID == "" && region == "" && key == "" {
		if base != "" {
			return nil, "", nil, errors.New("COMETCHAT_BASE_URL needs COMETCHAT_APP_ID, COMETCHAT_REGION and COMETCHAT_API_KEY")
		}
		srv := cometchattest.NewServer()
		note = "COMETCHAT_APP_ID, COMETCHAT_REGION and COMETCHAT_API_KEY are not set: importing into an in-memory fake CometChat (nothing is kept)"
		return srv.Client(ua), note, srv.Close, nil
	}
	if appID == "" || region == "" || key == "" {
		return nil, "", nil, errors.New("set all of COMETCHAT_APP_ID, COMETCHAT_REGION and COMETCHAT_API_KEY (or none, to use an in-memory fake)")
	}
	opts := []cometchat.Option{ua}
	if base != "" {
		opts = append(opts, cometchat.WithBaseURL(base))
	}
	client, err = cometchat.NewClient(appID, region, key, opts...)
	if err != nil {
		return nil, "", nil, err
	}
	return client, "", func() {}, nil
}
