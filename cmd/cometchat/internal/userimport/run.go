// Package userimport is the engine of "cometchat users import": it streams users from a CSV or JSON Lines file
// into CometChat with Users.Import, chunk by chunk, writes what did not land to a report with checkpoints, and
// resumes or retries from such a report. It knows nothing of flags or terminals: the command wires Options and
// Hooks to its flags and its progress display.
package userimport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gocometchat/cometchat"
)

// The strategies of Options.Strategy.
const (
	StrategyImport = "import" // POST /data_import/users: keeps createdAt and lastActiveAt, 3,000 users a minute
	StrategyCreate = "create" // concurrent POST /users: faster, keeps no history
)

// DefaultChunk is how many users are read and imported at a time (one Users.Import call) unless Options.Chunk
// says otherwise.
const DefaultChunk = 1000

// Options say what one run imports, from where, and how.
type Options struct {
	// Input is the file to read, CSV or JSON Lines, or "-" for Stdin. It may be empty with RetryFrom (the report
	// holds the records) and with Resume (the report names the input).
	Input string
	// Format is "csv" or "jsonl"; empty: from Input's extension (.csv; .jsonl, .ndjson or .json), or the
	// resumed run's.
	Format string
	// Strategy is StrategyImport or StrategyCreate; empty: StrategyImport, or the resumed run's.
	Strategy string
	// Workers and Rate tune StrategyCreate (requests in flight, requests per minute); 0: the SDK's defaults.
	// The data import always sends at most 60 requests a minute, so they are refused with it.
	Workers, Rate int
	// Chunk is how many users are read and imported at a time; 0: DefaultChunk. Memory grows with it.
	Chunk int
	// DryRun only reads and validates the input, sending nothing.
	DryRun bool
	// Report is the file to append failures and checkpoints to; with RetryFrom or Resume, that report unless
	// set. A new run refuses an existing non-empty report, whose checkpoints belong to another run.
	Report string
	// RetryFrom retries the pending failures of this report (and of no input).
	RetryFrom string
	// Resume continues the run of this report: it retries the report's failures up to its last checkpoint and
	// goes on with the input after it.
	Resume string
	// Stdin is read for Input "-".
	Stdin io.Reader
	// Now is the clock of the report's run entry and the summary's elapsed time; nil: time.Now.
	Now func() time.Time
}

// Hooks let the caller watch a run. Every field may be nil. They are called from one goroutine at a time.
type Hooks struct {
	// Message receives a line for the operator, without a newline: a row that did not land
	// ("users.csv:14: invalid: avatar: must be an absolute http or https URL") or a notice.
	Message func(line string)
	// Progress receives the counts: once at the start, after every request and after every chunk.
	Progress func(Progress)
	// Request is called each time a request to CometChat has ended: one batch of 50 users with the data
	// import, one user with the create strategy. The caller can estimate the pacing from it.
	Request func()
}

// Progress is where a run stands.
type Progress struct {
	// Strategy is the run's: StrategyImport or StrategyCreate (a resumed run takes its report's).
	Strategy string
	// Total is how many rows this run handles (the input's, less those an earlier run did, plus the failures
	// it retries); -1 when unknown (standard input).
	Total int
	// Done is how many of them are handled: sent with an answer, or found invalid.
	Done int
	// The outcomes settled so far. They only grow: a chunk's outcomes are counted when its Users.Import call
	// returns, so they may lag Done by up to a chunk.
	Imported, Existing, Failed, Invalid int
}

// Summary is what a run did. Rows = Skipped + Imported + Existing + Failed + Invalid + NotSent (Valid instead
// of Imported and Existing for a dry run) whenever RowsKnown.
type Summary struct {
	Input    string // the input as named in messages ("stdin" for "-"; empty for --retry-from)
	Report   string // the report written to, if any
	Strategy string // StrategyImport or StrategyCreate
	DryRun   bool   // nothing was sent: Valid counts what would have been
	// Rows is how many rows the run accounts for: the input's records (or, retrying a report, its pending
	// failures).
	Rows int
	// RowsKnown is false when reading standard input stopped early: Rows counts what was read.
	RowsKnown bool
	Skipped   int // rows an earlier run of the resumed report had done
	Retried   int // rows that were failures of the report, retried (counted in the outcomes)
	Imported  int // created by this run
	Existing  int // already in CometChat: a re-run or resumed run finds the users it had imported
	Failed    int // CometChat refused or failed them: retrying may work
	Invalid   int // the input must be fixed (malformed, failing validation, or a repeated uid)
	Valid     int // dry run: would be sent
	NotSent   int // interrupted or stopped before they were handled: resume to send them
	// Interrupted is true when the context ended the run.
	Interrupted bool
	// Stopped holds the API's error when it stopped the run (authentication, permission, plan quota).
	Stopped error
	// Elapsed is how long the run took.
	Elapsed time.Duration
}

// Landed reports whether every row landed: imported or already there (for a dry run: valid), none left.
func (s *Summary) Landed() bool {
	return s.Failed == 0 && s.Invalid == 0 && s.NotSent == 0 && s.RowsKnown && !s.Interrupted && s.Stopped == nil
}

// OptionsError is options that do not go together or lack something: a usage error of the command line.
type OptionsError struct {
	Msg string // what is wrong, in the command line's terms ("--retry-from and --resume exclude each other")
}

// Error returns Msg.
func (e *OptionsError) Error() string { return e.Msg }

func optionsErrorf(format string, args ...any) error {
	return &OptionsError{fmt.Sprintf(format, args...)}
}

// check validates the options as the command line gives them.
func (o *Options) check() error {
	var bad []string
	need := func(ok bool, msg string) {
		if !ok {
			bad = append(bad, msg)
		}
	}
	need(o.Strategy == "" || o.Strategy == StrategyImport || o.Strategy == StrategyCreate, "--strategy must be import or create")
	need(o.Format == "" || o.Format == "csv" || o.Format == "jsonl", "--format must be csv or jsonl")
	need(o.Workers >= 0, "--workers must be positive")
	need(o.Rate >= 0, "--rate must be positive")
	need(o.Chunk >= 0 && o.Chunk <= 100_000, "--chunk must be between 1 and 100000")
	need(o.RetryFrom == "" || o.Resume == "", "--retry-from and --resume exclude each other")
	need(!o.DryRun || o.RetryFrom == "" && o.Resume == "", "--dry-run reads an input, not a report")
	need(o.RetryFrom == "" || o.Input == "", "--retry-from takes no input file: it retries the report's records")
	need(o.Input != "" || o.RetryFrom != "" || o.Resume != "", "an input file is required (or --retry-from / --resume REPORT)")
	if len(bad) > 0 {
		return &OptionsError{strings.Join(bad, "; ")}
	}
	return nil
}

// Run imports as o says, into client (nil for a dry run), telling h how it goes. The summary is nil only when
// nothing started (bad options, an unreadable input or report); otherwise it comes back with any error: the
// context's when interrupted (Summary.Interrupted), the API's when it stopped the import (Summary.Stopped), or
// an I/O error.
func Run(ctx context.Context, client *cometchat.Client, o Options, h Hooks) (*Summary, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	start := o.Now() // counting the input's rows is part of the run
	if o.Chunk == 0 {
		o.Chunk = DefaultChunk
	}
	if err := o.check(); err != nil {
		return nil, err
	}
	var prior *priorReport
	if path := o.RetryFrom + o.Resume; path != "" {
		var err error
		if prior, err = readReport(path); err != nil {
			return nil, fmt.Errorf("reading the report: %w", err)
		}
		if o.Resume != "" && prior.run != nil {
			// Resume what the report's run did, unless told otherwise.
			if o.Input == "" {
				o.Input = resolveInput(prior.run.Input, path)
			}
			if o.Format == "" && (o.Input == prior.run.Input || o.Input == resolveInput(prior.run.Input, path)) {
				o.Format = prior.run.Format
			}
			if o.Strategy == "" {
				o.Strategy = prior.run.Strategy
			}
		}
		if o.Resume != "" && o.Input == "" {
			return nil, optionsErrorf("the report names no input: give the input file")
		}
		if o.Report == "" {
			o.Report = path
		}
	}
	if o.Strategy == "" {
		o.Strategy = StrategyImport
	}
	if o.Strategy == StrategyImport && (o.Workers > 0 || o.Rate > 0) {
		return nil, optionsErrorf("--workers and --rate apply only to --strategy create (the data import always sends 60 requests a minute)")
	}
	if !o.DryRun && client == nil {
		return nil, errors.New("userimport: no client") // a bug of the caller
	}

	im := &importer{
		client: client, dryRun: o.DryRun, chunk: o.Chunk, hooks: h, seen: newUIDSet(), total: -1, strategyName: o.Strategy,
		sum: &Summary{Strategy: o.Strategy, DryRun: o.DryRun, Report: o.Report},
	}
	var src recordReader
	if o.Input != "" {
		if o.Format == "" {
			o.Format = formatOf(o.Input)
		}
		if o.Format == "" {
			return nil, optionsErrorf("cannot tell the format of %q: use --format csv or --format jsonl", o.Input)
		}
		in, closeIn, err := openInput(o.Input, o.Stdin)
		if err != nil {
			return nil, err
		}
		defer closeIn()
		if src, err = newReader(o.Format, in); err != nil {
			return nil, fmt.Errorf("%s: %w", o.Input, err)
		}
		if o.Input != "-" {
			if im.rows, err = countFile(o.Format, o.Input); err != nil {
				return nil, fmt.Errorf("%s: %w", o.Input, err)
			}
			im.rowsKnown = true
		}
	}
	switch o.Input {
	case "-":
		im.inputName = "stdin"
	case "":
		im.inputName = "input" // records come from the report
		if prior != nil && prior.run != nil && prior.run.Input != "" {
			im.inputName = prior.run.Input
		}
	default:
		im.inputName = o.Input
	}
	if o.Input != "" {
		im.sum.Input = im.inputName
	}
	if prior != nil && o.RetryFrom != "" {
		im.rows, im.rowsKnown = prior.pending, true
	}
	if !o.DryRun {
		im.strategy = cometchat.ImportStrategyDataImport
		if o.Strategy == StrategyCreate {
			im.strategy = cometchat.ImportStrategyCreate
			if o.Workers > 0 {
				im.importOpts = append(im.importOpts, cometchat.WithImportWorkers(o.Workers))
			}
			if o.Rate > 0 {
				im.importOpts = append(im.importOpts, cometchat.WithImportRate(o.Rate))
			}
		}
	}
	if o.Report != "" {
		if prior == nil {
			// A report belongs to one input: appending a new run's
			// checkpoints to another's would make --resume skip lines.
			if st, err := os.Stat(o.Report); err == nil && st.Size() > 0 {
				return nil, optionsErrorf("the report %s exists: continue it with --resume or --retry-from, or remove it", o.Report)
			}
		}
		w, err := createReport(o.Report)
		if err != nil {
			return nil, fmt.Errorf("opening the report: %w", err)
		}
		im.report = w
		defer func() {
			if err := w.close(); err != nil {
				im.message("writing the report: " + err.Error())
			}
		}()
		input := o.Input
		if input != "" && input != "-" {
			if abs, err := filepath.Abs(input); err == nil {
				input = abs
			}
		}
		if err := w.write(runEntry(input, o.Format, o.Strategy, o.Now())); err != nil {
			return nil, fmt.Errorf("writing the report: %w", err)
		}
	}

	err := im.run(ctx, src, prior, o.Resume != "")
	im.finish(o.Now().Sub(start))
	switch {
	case err != nil && ctx.Err() != nil:
		im.sum.Interrupted = true
	case err != nil && im.stopped:
		im.sum.Stopped = err
	}
	return im.sum, err
}

// resolveInput finds the input a report names: an absolute path as it is; a relative one (reports written
// before paths were stored absolute) from the current directory if it is there, else from the report's.
func resolveInput(stored, reportPath string) string {
	if stored == "" || stored == "-" || filepath.IsAbs(stored) {
		return stored
	}
	if _, err := os.Stat(stored); err == nil {
		return stored
	}
	if alt := filepath.Join(filepath.Dir(reportPath), stored); fileExists(alt) {
		return alt
	}
	return stored
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// openInput opens a file, or stdin for "-".
func openInput(name string, stdin io.Reader) (io.Reader, func(), error) {
	if name == "-" {
		if stdin == nil {
			stdin = strings.NewReader("")
		}
		return stdin, func() {}, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, err
	}
	return f, func() { _ = f.Close() }, nil
}

// countFile counts the records of the file at path.
func countFile(format, path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return countRecords(format, f)
}
