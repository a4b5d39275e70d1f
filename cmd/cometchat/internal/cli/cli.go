// Package cli is the cometchat command line: the commands, their flags and help, configuration, output formats
// and exit statuses, built with github.com/spf13/cobra on the cometchat SDK. Run is the whole program; package
// main only hands it the process.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/gocometchat/cometchat"
)

// Exit statuses.
const (
	ExitOK    = 0 // success
	ExitAPI   = 1 // CometChat said no: not found, already exists, quota...; or an import where some users did not land
	ExitUsage = 2 // usage, configuration or I/O error, or interrupted
)

// Env is what a run takes from its process, so that tests can give their own.
type Env struct {
	// Args are the arguments after the program name.
	Args []string
	// Getenv reads the environment (COMETCHAT_*); nil reads nothing.
	Getenv func(string) string
	// Stdin is read by "users import -".
	Stdin io.Reader
	// Stdout gets the data.
	Stdout io.Writer
	// Stderr gets messages, progress and errors.
	Stderr io.Writer
	// StdoutTTY chooses the default output format (a table on a terminal, JSON otherwise); StderrTTY the
	// progress display (a bar on a terminal, plain lines otherwise).
	StdoutTTY, StderrTTY bool
	// Now is the clock of progress, rate-limit waits and summaries; nil: time.Now.
	Now func() time.Time
	// ClientOptions are added to every client's options (tests shorten the retry waits with them).
	ClientOptions []cometchat.Option
	// ProgressTick and ProgressInterval tune the progress display (tests make them short); zero: the defaults.
	ProgressTick, ProgressInterval time.Duration
	// OnImportProgress, when set, is called with the rows "users import" has handled (tests interrupt there).
	OnImportProgress func(done int)
	// OnFakeReady, when set, is called with the base URL once "fake" serves.
	OnFakeReady func(baseURL string)
}

func (e *Env) getenv(key string) string {
	if e.Getenv == nil {
		return ""
	}
	return e.Getenv(key)
}

func (e *Env) now() time.Time {
	if e.Now == nil {
		return time.Now()
	}
	return e.Now()
}

// exitError ends the program with code after printing err (if any).
type exitError struct {
	code int
	err  error
}

// Error is the error's text.
func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

// Unwrap returns the error printed.
func (e *exitError) Unwrap() error { return e.err }

// usageError is a command line the commands do not accept: exit status 2, with a pointer to the help.
type usageError struct{ err error }

// Error is the error's text.
func (e *usageError) Error() string { return e.err.Error() }

// Unwrap returns the error.
func (e *usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error { return &usageError{fmt.Errorf(format, args...)} }

// Run runs the command line of env until it is done or ctx ends, and returns the exit status.
func Run(ctx context.Context, env Env) int {
	if env.Stdout == nil {
		env.Stdout = io.Discard
	}
	if env.Stderr == nil {
		env.Stderr = io.Discard
	}
	root := newRoot(&env)
	root.SetArgs(env.Args)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return ExitOK
	}
	return report(env.Stderr, cmd, ctx, err)
}

// report prints err for the operator and returns its exit status.
func report(stderr io.Writer, cmd *cobra.Command, ctx context.Context, err error) int {
	code := ExitUsage
	var exit *exitError
	var usage *usageError
	switch {
	case errors.As(err, &exit):
		code = exit.code
		if exit.err == nil {
			return code
		}
		err = exit.err
	case isAPIError(err):
		code = ExitAPI
	case ctx.Err() != nil:
		fmt.Fprintln(stderr, "cometchat: interrupted")
		return ExitUsage
	}
	fmt.Fprintln(stderr, describe(err))
	if errors.As(err, &usage) || isCobraUsage(err) {
		path := "cometchat"
		if cmd != nil {
			path = cmd.CommandPath()
		}
		fmt.Fprintf(stderr, "Run '%s --help' for usage.\n", path)
	}
	return code
}

// isCobraUsage tells cobra's own command-line errors (unknown command or flag, wrong arguments).
func isCobraUsage(err error) bool {
	msg := err.Error()
	for _, s := range []string{"unknown command", "unknown flag", "unknown shorthand flag", "flag needs an argument",
		"invalid argument", "required flag", "accepts ", "requires at least", "requires at most", "requires exactly", "if any flags in the group"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// describe is err as the operator reads it: "cometchat: ..." and, for an API error, the code, the message and
// the per-field details.
func describe(err error) string {
	msg := err.Error()
	if !strings.HasPrefix(msg, "cometchat: ") {
		msg = "cometchat: " + msg
	}
	if e, ok := apiError(err); ok && len(e.Details) > 0 {
		var b strings.Builder
		b.WriteString(msg)
		fields := make([]string, 0, len(e.Details))
		for f := range e.Details {
			fields = append(fields, f)
		}
		sort.Strings(fields)
		for _, f := range fields {
			fmt.Fprintf(&b, "\n  %s: %s", f, strings.Join(e.Details[f], " "))
		}
		return b.String()
	}
	return msg
}

func apiError(err error) (*cometchat.APIError, bool) {
	var e *cometchat.APIError
	ok := errors.As(err, &e)
	return e, ok
}

func isAPIError(err error) bool {
	_, ok := apiError(err)
	return ok
}

// version is the tool's version: the module's when built by go install, else "devel".
func version() string {
	v := "devel"
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		v = info.Main.Version
	}
	return v + " (SDK cometchat-go " + cometchat.Version + ")"
}

const rootLong = `cometchat manages the users of a CometChat app from the command line: users, their auth tokens, roles,
friends and blocked users, and the bulk import and export of a whole user base. It is built on the
github.com/gocometchat/cometchat Go SDK.

Configuration, from the environment or the flags of the same names:
  COMETCHAT_APP_ID    --app-id    the app's id (CometChat dashboard, API & Auth Keys)
  COMETCHAT_REGION    --region    the app's region: us, eu or in
  COMETCHAT_API_KEY   --api-key   a REST API key with fullAccess scope. A secret: prefer the variable, as a
                                  flag shows in the process list. cometchat never prints it.
  COMETCHAT_BASE_URL  --base-url  optional: another address for the API, e.g. a proxy or 'cometchat fake'

Try it without an account: 'cometchat fake' serves an in-memory CometChat on 127.0.0.1:8080 and prints the
four exports that point the other commands at it.

Output (-o): table, json, jsonl or csv; a table on a terminal, JSON otherwise. JSON keys and CSV columns are
the API's own field names (uid, name, authToken, createdAt as Unix seconds...), so output pipes back into
the API, jq recipes from its docs work, and 'users import' reads what 'users export' writes.

Exit status: 0 success; 1 CometChat said no (not found, already exists, quota...: its code and message on
stderr), or an import where some users did not land; 2 a usage, configuration or I/O error, or interrupted.`

// newRoot builds the command tree for env.
func newRoot(env *Env) *cobra.Command {
	root := &cobra.Command{
		Use:           "cometchat",
		Short:         "Manage a CometChat app's users, auth tokens, roles, friends and blocks",
		Long:          rootLong,
		Version:       version(),
		SilenceErrors: true,
		SilenceUsage:  true,
		Args:          cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return cmd.Help()
		},
	}
	root.SetIn(env.Stdin)
	root.SetOut(env.Stdout)
	root.SetErr(env.Stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &usageError{err} })
	root.AddCommand(
		newUsersCmd(env),
		newTokensCmd(env),
		newRolesCmd(env),
		newFriendsCmd(env),
		newBlockedCmd(env),
		newFakeCmd(env),
	)
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() == "completion" {
			// An unknown shell is a usage error, not a help page.
			c.Args = cobra.ArbitraryArgs
			c.RunE = newGroup("", "", "").RunE
		}
	}
	return root
}

// newGroup is a command that only holds subcommands: without one it shows its help; an unknown one is a usage
// error.
func newGroup(use, short, long string) *cobra.Command {
	return &cobra.Command{
		Use:   use,
		Short: short,
		Long:  long,
		Args:  cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usagef("unknown command %q for %q", args[0], cmd.CommandPath())
			}
			return cmd.Help()
		},
	}
}

// exactArgs, rangeArgs and minArgs are cobra's argument checks, reported as usage errors naming the arguments.
func exactArgs(names ...string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != len(names) {
			return usagef("%s takes %s (got %d arguments)", cmd.CommandPath(), strings.Join(names, " "), len(args))
		}
		return nil
	}
}

func minArgs(n int, names string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < n {
			return usagef("%s takes %s", cmd.CommandPath(), names)
		}
		return nil
	}
}

func rangeArgs(lo, hi int, names string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < lo || len(args) > hi {
			return usagef("%s takes %s", cmd.CommandPath(), names)
		}
		return nil
	}
}

// isTerminal reports whether f is a terminal (not merely a character device such as /dev/null).
func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// ProcessEnv returns the Env of this process: its arguments, environment and standard streams.
func ProcessEnv() Env {
	return Env{
		Args: os.Args[1:], Getenv: os.Getenv,
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
		StdoutTTY: isTerminal(os.Stdout), StderrTTY: isTerminal(os.Stderr),
	}
}
