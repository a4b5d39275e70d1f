// Command cometchat-fake serves the in-memory CometChat REST API of package cometchattest on a local address, for
// manual curl sessions and for testing programs not written in Go: users, auth tokens, data import, roles, friends
// and blocked users, with the real API's wire format, errors and rate-limit headers. The store lives in memory and
// is lost on exit.
//
//	go run ./cmd/cometchat-fake -addr 127.0.0.1:8080 -api-key secret
//
// Point a program at it with the environment the SDK's examples read (the fake prints these lines on start):
//
//	export COMETCHAT_BASE_URL=http://127.0.0.1:8080/v3
//	export COMETCHAT_APP_ID=<app id> COMETCHAT_REGION=us COMETCHAT_API_KEY=secret
//
// It stops on SIGINT or SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/gocometchat/cometchat/cometchattest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	var usage usageError
	switch {
	case errors.Is(err, flag.ErrHelp):
		os.Exit(0)
	case errors.As(err, &usage):
		os.Exit(2) // the flag package has printed the error and the usage
	case err != nil:
		fmt.Fprintln(os.Stderr, "cometchat-fake:", err)
		os.Exit(1)
	}
}

// usageError is a command line the flags do not accept.
type usageError struct{ error }

func (e usageError) Unwrap() error { return e.error }

const usage = `Usage: cometchat-fake [flags]

Serves an in-memory CometChat REST API v3 (users, auth tokens, data import, roles, friends, blocked users) until
SIGINT or SIGTERM. Point a program at it with the base URL and the credentials it prints on start:

  export COMETCHAT_BASE_URL=http://<addr>/v3
  export COMETCHAT_APP_ID=<app id> COMETCHAT_REGION=<region> COMETCHAT_API_KEY=<api key>

(a Go program: cometchat.NewClient(appID, region, apiKey, cometchat.WithBaseURL(baseURL))).

Flags:
`

// run serves until ctx ends. It returns flag.ErrHelp after printing the help for -h or --help.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("cometchat-fake", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fs.PrintDefaults()
	}
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	apiKey := fs.String("api-key", "", "REST API key to accept (default: random)")
	appID := fs.String("app-id", "", "app id to report (default: random)")
	region := fs.String("region", "us", "region to report")
	rateLimit := fs.Int("rate-limit", 0, "enforced requests per sliding minute for standard and core operations (0: count only)")
	appRateLimit := fs.Int("app-rate-limit", 0, "enforced requests per sliding minute for the whole app (0: count only)")
	userLimit := fs.Int("user-limit", 0, "the plan's user quota, e.g. 25 for a free plan (0: none)")
	roles := fs.String("roles", "", "comma-separated roles to create besides \"default\"")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err}
	}
	if fs.NArg() > 0 {
		err := fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
		fmt.Fprintln(stderr, err)
		fs.Usage()
		return usageError{err}
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	opts := []cometchattest.ServerOption{
		cometchattest.WithListener(ln),
		cometchattest.WithAPIKey(*apiKey),
		cometchattest.WithAppID(*appID),
		cometchattest.WithRegion(*region),
		cometchattest.WithRateLimit(*rateLimit),
		cometchattest.WithAppRateLimit(*appRateLimit),
		cometchattest.WithUserLimit(*userLimit),
	}
	if *roles != "" {
		opts = append(opts, cometchattest.WithRoles(strings.Split(*roles, ",")...))
	}
	srv, err := newServer(opts)
	if err != nil {
		ln.Close()
		return err
	}
	defer srv.Close()

	fmt.Fprintf(stdout, "CometChat fake serving on %s. Point programs at it with:\n", srv.URL())
	fmt.Fprintf(stdout, "  export COMETCHAT_BASE_URL=%s\n", srv.URL())
	fmt.Fprintf(stdout, "  export COMETCHAT_APP_ID=%s COMETCHAT_REGION=%s COMETCHAT_API_KEY=%s\n", srv.AppID(), srv.Region(), srv.APIKey())
	fmt.Fprintf(stdout, "try: curl -H 'apikey: %s' %s/users\n", srv.APIKey(), srv.URL())

	<-ctx.Done()
	fmt.Fprintln(stdout, "shutting down")
	return nil
}

// newServer turns NewServer's panic on an invalid option (e.g. a bad -app-id) into an error for the command line.
func newServer(opts []cometchattest.ServerOption) (srv *cometchattest.Server, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	return cometchattest.NewServer(opts...), nil
}
