package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/gocometchat/cometchat"
	"github.com/gocometchat/cometchat/cmd/cometchat/internal/progress"
	"github.com/gocometchat/cometchat/cmd/cometchat/internal/userimport"
)

const importLong = `Import users from a CSV or JSON Lines file ("-" for stdin), streamed in chunks, with progress on stderr
and a summary on stdout.

Input: a CSV header row naming any of uid,name,avatar,link,role,statusMessage,metadata,tags,createdAt,
lastActiveAt (in any order and case; uid and name required), or one JSON object per line with those keys.
metadata is a JSON object; tags a JSON array or a|b|c; createdAt and lastActiveAt Unix seconds or RFC 3339.
The read-only fields 'users export' also writes (status, updatedAt, deactivatedAt...) are ignored.

Strategies: import (the default) uses the data import API, 50 users a request and at most 60 requests a
minute (3,000 users a minute), and keeps createdAt and lastActiveAt; progress says when it waits for that
rate limit. create calls the create API with --workers in flight, up to --rate requests a minute: faster,
but without history. Users that already exist count as already there, so running the same input again
finishes an earlier run.

Every user is checked before sending: malformed rows, users failing CometChat's rules and repeated uids
are reported by line ("users.csv:14: invalid: avatar: ...") and never sent. --dry-run only does that, with
no configuration and no server.

The report (--report FILE, JSON Lines) records each row that did not land, with its fields, and a
checkpoint after each chunk. After a crash or Ctrl-C, --resume REPORT continues after the last checkpoint
(from any directory: the report holds the input's absolute path). --retry-from REPORT retries only the
failures, e.g. after fixing their records in the report.

Needs COMETCHAT_APP_ID, COMETCHAT_REGION and COMETCHAT_API_KEY (or the flags); COMETCHAT_BASE_URL points it
at a proxy or at 'cometchat fake' to rehearse a migration. --dry-run needs none of them.

Exit status: 0 every row landed (imported or already there); 1 some rows failed or were invalid (listed on
stderr and in the report), or CometChat stopped the import (a wrong key, the plan's quota); 2 a usage,
configuration or I/O error, or interrupted (it says how to resume).`

func newUsersImportCmd(env *Env, f *apiFlags) *cobra.Command {
	var o userimport.Options
	var mode string
	cmd := &cobra.Command{
		Use:   "import FILE [--dry-run] [--report F] [--resume REPORT] [--retry-from REPORT] [--strategy import|create]",
		Short: "Import users from a CSV or JSON Lines file, resumably",
		Long:  importLong,
		Example: `  cometchat users import --dry-run users.csv                  # check every row; needs no server
  cometchat users import --report report.jsonl users.csv      # import; what did not land goes to the report
  cometchat users import --resume report.jsonl                # after a crash or Ctrl-C: go on from the last checkpoint
  cometchat users import --retry-from report.jsonl            # retry the failures (fix their records in the report first)
  cometchat users import --strategy create --workers 16 users.jsonl
  cometchat users export -o csv | cometchat users import --format csv -   # copy users (e.g. from the fake)`,
		Args: rangeArgs(0, 1, "at most one FILE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				o.Input = args[0]
			}
			if !cmd.Flags().Changed("strategy") {
				o.Strategy = ""
			}
			o.Stdin, o.Now = env.Stdin, env.Now
			return runImport(cmd, env, f, o, mode)
		},
	}
	fs := cmd.Flags()
	fs.BoolVar(&o.DryRun, "dry-run", false, "only read and check the input; report problems by line number")
	fs.StringVar(&o.Report, "report", "", "write the rows that did not land, and checkpoints, to this JSON Lines file")
	fs.StringVar(&o.Resume, "resume", "", "continue the run of this report after its last checkpoint, retrying its failures first")
	fs.StringVar(&o.RetryFrom, "retry-from", "", "retry the pending failures of this report (appending to it)")
	fs.StringVar(&o.Strategy, "strategy", userimport.StrategyImport, "import (keeps history, 3,000 users/min) or create (faster, no history)")
	fs.IntVar(&o.Workers, "workers", 0, fmt.Sprintf("--strategy create: requests in flight (default %d)", cometchat.DefaultImportWorkers))
	fs.IntVar(&o.Rate, "rate", 0, fmt.Sprintf("--strategy create: requests per minute (default %d; a free plan allows 500)", cometchat.DefaultImportPerMinute))
	fs.IntVar(&o.Chunk, "chunk", userimport.DefaultChunk, "users read and imported at a time; a checkpoint follows each chunk")
	fs.StringVar(&o.Format, "format", "", "input format, csv or jsonl (default: from the file's extension)")
	fs.StringVar(&mode, "progress", "auto", "auto (a bar on a terminal, plain lines otherwise), bar, plain or none")
	cmd.MarkFlagsMutuallyExclusive("resume", "retry-from")
	_ = cmd.RegisterFlagCompletionFunc("strategy", cobra.FixedCompletions([]string{"import", "create"}, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions([]string{"csv", "jsonl"}, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("progress", cobra.FixedCompletions([]string{"auto", "bar", "plain", "none"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func runImport(cmd *cobra.Command, env *Env, f *apiFlags, o userimport.Options, mode string) error {
	format, err := f.format(env)
	if err != nil {
		return err
	}
	pm, err := progress.ParseMode(mode, env.StderrTTY)
	if err != nil {
		return &usageError{err}
	}
	var client *cometchat.Client
	if !o.DryRun {
		if client, err = f.client(env); err != nil {
			return err
		}
	}

	// What the progress display shows, updated by the hooks.
	var mu sync.Mutex
	var last userimport.Progress
	pace := newPace(time.Minute, env.now, client)
	label := "importing"
	if o.DryRun {
		label = "checking"
	}
	tr := progress.New(env.Stderr, pm, progress.Options{
		Label: label, Now: env.Now, Tick: env.ProgressTick, Interval: env.ProgressInterval,
		Detail: func() string {
			mu.Lock()
			defer mu.Unlock()
			var parts []string
			if last.Failed > 0 {
				parts = append(parts, userimport.Thousands(last.Failed)+" failed")
			}
			if last.Invalid > 0 {
				parts = append(parts, userimport.Thousands(last.Invalid)+" invalid")
			}
			return strings.Join(parts, ", ")
		},
		Waiting: func() time.Duration {
			mu.Lock()
			finished := last.Total >= 0 && last.Done >= last.Total
			mu.Unlock()
			if finished || o.DryRun {
				return 0
			}
			return pace.wait()
		},
		AtLeast: func(left int) time.Duration {
			if o.DryRun {
				return 0
			}
			mu.Lock()
			perRequest := 50 // the data import sends 50 users a request
			if last.Strategy == userimport.StrategyCreate {
				perRequest = 1
			}
			mu.Unlock()
			return pace.atLeast(left, perRequest)
		},
	})
	started := false
	hooks := userimport.Hooks{
		Message: func(line string) {
			if tr == nil {
				fmt.Fprintln(env.Stderr, line)
				return
			}
			tr.Println(line)
		},
		Progress: func(p userimport.Progress) {
			mu.Lock()
			last = p
			mu.Unlock()
			if !started {
				started = true
				// The SDK's pacing: the data import's 60 requests a minute, or the create strategy's --rate.
				limit := 60
				if p.Strategy == userimport.StrategyCreate {
					limit = cometchat.DefaultImportPerMinute
					if o.Rate > 0 {
						limit = o.Rate
					}
				}
				pace.setLimit(limit)
				tr.Start(p.Total)
			}
			tr.Set(p.Done)
			if env.OnImportProgress != nil {
				env.OnImportProgress(p.Done)
			}
		},
		Request: pace.done,
	}
	sum, err := userimport.Run(cmd.Context(), client, o, hooks)
	tr.Stop()
	if sum == nil {
		var oe *userimport.OptionsError
		if errors.As(err, &oe) {
			return &usageError{err}
		}
		return err
	}
	if werr := writeSummary(env.Stdout, format, sum); werr != nil && err == nil {
		err = werr
	}
	again := "cometchat users import --resume " + shellQuote(sum.Report)
	switch {
	case sum.Interrupted:
		if sum.Report != "" {
			return &exitError{ExitUsage, fmt.Errorf("interrupted with %s rows not yet sent; continue with: %s", userimport.Thousands(sum.NotSent), again)}
		}
		return &exitError{ExitUsage, errors.New("interrupted; run the same command again to continue (users already imported count as already there), and give --report next time to resume from a checkpoint")}
	case sum.Stopped != nil:
		msg := describe(sum.Stopped)
		if sum.Report != "" {
			msg += "\ncometchat: the import stopped; once that is fixed, continue with: " + again
		}
		return &exitError{ExitAPI, errors.New(msg)}
	case err != nil:
		return err
	case o.DryRun && sum.Invalid > 0:
		return &exitError{ExitAPI, fmt.Errorf("%s (listed above); nothing was sent", rowCount(sum.Invalid, "invalid row"))}
	case sum.Failed > 0 || sum.Invalid > 0:
		msg := fmt.Sprintf("%s did not land (listed above)", rowCount(sum.Failed+sum.Invalid, "row"))
		if sum.Report != "" {
			msg = fmt.Sprintf("%s did not land (see %s); fix the input or the report's records, then retry them with: cometchat users import --retry-from %s",
				rowCount(sum.Failed+sum.Invalid, "row"), sum.Report, shellQuote(sum.Report))
		}
		return &exitError{ExitAPI, errors.New(msg)}
	}
	return nil
}

// rowCount is "1 row" or "1,234 rows".
func rowCount(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return userimport.Thousands(n) + " " + noun + "s"
}

// summaryObject is the summary as JSON, CSV or JSON Lines see it.
func summaryObject(s *userimport.Summary) object {
	var o object
	o.set("input", s.Input)
	o.set("report", s.Report)
	o.set("strategy", s.Strategy)
	o = append(o, field{"dryRun", s.DryRun}, field{"rows", int64(s.Rows)}, field{"rowsKnown", s.RowsKnown},
		field{"skipped", int64(s.Skipped)}, field{"retried", int64(s.Retried)})
	if s.DryRun {
		o = append(o, field{"valid", int64(s.Valid)})
	} else {
		o = append(o, field{"imported", int64(s.Imported)}, field{"existing", int64(s.Existing)})
	}
	o = append(o, field{"failed", int64(s.Failed)}, field{"invalid", int64(s.Invalid)}, field{"notSent", int64(s.NotSent)},
		field{"interrupted", s.Interrupted}, field{"seconds", s.Elapsed.Seconds()})
	return o
}

// writeSummary prints what the import did; as a table, every row of the input is in exactly one line.
func writeSummary(w io.Writer, format string, s *userimport.Summary) error {
	if format != formatTable {
		o := summaryObject(s)
		cols := make([]column, len(o))
		for i, f := range o {
			cols[i] = column{f.key, f.key}
		}
		return writeObject(w, format, cols, o)
	}
	rate := ""
	if secs := s.Elapsed.Seconds(); secs > 0 {
		n := s.Imported + s.Existing + s.Failed + s.Invalid + s.Valid
		rate = userimport.Thousands(int(float64(n)/secs+0.5)) + " users/s"
	}
	if s.DryRun && !s.Interrupted {
		elapsed := s.Elapsed.Round(time.Millisecond)
		if elapsed == 0 {
			elapsed = s.Elapsed.Round(time.Microsecond)
		}
		_, err := fmt.Fprintf(w, "dry run: %s valid, %s invalid of %s rows (%s, %s); nothing was sent\n",
			userimport.Thousands(s.Valid), userimport.Thousands(s.Invalid), userimport.Thousands(s.Rows), elapsed, rate)
		return err
	}
	title := "import summary"
	switch {
	case s.Interrupted:
		title += " (interrupted)"
	case s.Stopped != nil:
		title += " (stopped)"
	}
	var b strings.Builder
	fmt.Fprintln(&b, title+":")
	row := func(name, value, note string) {
		line := fmt.Sprintf("  %-14s %11s", name, value)
		if note != "" {
			line += "  " + note
		}
		fmt.Fprintln(&b, line)
	}
	count := func(name string, n int, note string) { row(name, userimport.Thousands(n), note) }
	rows := "rows"
	if !s.RowsKnown {
		rows = "rows read"
	}
	what := s.Input
	if s.Input == "" {
		what = "failures retried from " + s.Report
	}
	count(rows, s.Rows, what)
	if s.Skipped > 0 {
		count("done before", s.Skipped, "by the run the report resumed")
	}
	if s.DryRun {
		count("valid", s.Valid, "")
	} else {
		count("imported", s.Imported, "")
		count("already there", s.Existing, "")
		count("failed", s.Failed, "")
	}
	count("invalid", s.Invalid, "")
	notSent := ""
	if !s.RowsKnown && (s.Interrupted || s.Stopped != nil) {
		notSent = "and the rest of stdin"
	}
	count("not yet sent", s.NotSent, notSent)
	if s.Retried > 0 && s.Input != "" {
		row("", "", fmt.Sprintf("(%s of them failures of the report, retried)", userimport.Thousands(s.Retried)))
	}
	row("time", progress.Clock(s.Elapsed), rate)
	_, err := io.WriteString(w, b.String())
	return err
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:@%+=,") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// pace estimates how long an import waits for its rate limit: from its own requests (the SDK admits at most
// limit of them in any window of per, as this counts them) and from what the server last said (a 429's reset
// time).
type pace struct {
	per    time.Duration
	now    func() time.Time
	client *cometchat.Client // nil: a dry run

	mu    sync.Mutex
	limit int
	ends  []time.Time // when the requests of the last window ended, oldest first
}

func newPace(per time.Duration, now func() time.Time, client *cometchat.Client) *pace {
	return &pace{per: per, now: now, client: client, limit: 60}
}

// setLimit sets how many requests the SDK admits in a window.
func (p *pace) setLimit(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.limit = n
}

// done records that a request ended now.
func (p *pace) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	p.forget(now)
	p.ends = append(p.ends, now)
}

func (p *pace) forget(now time.Time) {
	i := 0
	for i < len(p.ends) && !p.ends[i].Add(p.per).After(now) {
		i++
	}
	p.ends = p.ends[i:]
}

// atLeast is how long from now, at the least, the pacing makes the last request for left more users wait,
// with perRequest users a request: the window admits limit requests at once, then limit every per.
func (p *pace) atLeast(left, perRequest int) time.Duration {
	if left <= 0 {
		return 0
	}
	q := (left + perRequest - 1) / perRequest
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	p.forget(now)
	// The window as it will be: the requests that still count, then those admitted at once.
	starts := append([]time.Time(nil), p.ends...)
	for len(starts) < p.limit && q > 0 {
		starts = append(starts, now)
		q--
	}
	if q == 0 {
		return 0
	}
	starts = starts[len(starts)-p.limit:]
	k := q - 1 // the last request, counted from the first that must wait
	last := starts[k%p.limit].Add(p.per * time.Duration(1+k/p.limit))
	return max(last.Sub(now), 0)
}

// wait is how long from now the next request waits for a place in the window (0: none).
func (p *pace) wait() time.Duration {
	p.mu.Lock()
	now := p.now()
	p.forget(now)
	var w time.Duration
	if n := len(p.ends); n >= p.limit {
		w = p.ends[n-p.limit].Add(p.per).Sub(now)
	}
	p.mu.Unlock()
	if p.client != nil {
		if rl := p.client.RateLimit(); rl.Remaining == 0 && !rl.Reset.IsZero() && rl.Reset.After(now) {
			w = max(w, rl.Reset.Sub(now))
		}
	}
	return w
}
