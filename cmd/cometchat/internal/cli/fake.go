package cli

import (
	"fmt"
	"net"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gocometchat/cometchat/cometchattest"
)

const fakeLong = `Serve an in-memory CometChat REST API (package cometchattest: users, auth tokens, data import, roles,
friends, blocked users, with the real API's wire format, errors and rate-limit headers) until Ctrl-C. The
data lives in memory and is gone when it stops.

It prints, on stdout, the four exports that point the other commands at it; paste them in another shell,
or redirect them to a file and source it:

  export COMETCHAT_BASE_URL=http://127.0.0.1:8080/v3
  export COMETCHAT_APP_ID=<app id> COMETCHAT_REGION=us COMETCHAT_API_KEY=<the fake's key>

COMETCHAT_BASE_URL is what points any command (and any program using the SDK) at the fake instead of
https://<app id>.api-<region>.cometchat.io/v3. The key printed is the fake's own, random unless --api-key
sets it; the fake never reads COMETCHAT_API_KEY, so it cannot print a real key.`

func newFakeCmd(env *Env) *cobra.Command {
	var addr, appID, apiKey, region, roles string
	var rateLimit, appRateLimit, userLimit int
	cmd := &cobra.Command{
		Use:   "fake [--addr HOST:PORT] [--app-id ID] [--api-key KEY] [--rate-limit N] [--user-limit N]",
		Short: "Serve an in-memory CometChat to try the other commands on (prints the exports to use it)",
		Long:  fakeLong,
		Example: `  cometchat fake                                  # then paste the exports it prints in another shell
  cometchat fake --api-key demo-key --app-id demo > fake.env &   # in the background; '. ./fake.env' to use it
  cometchat fake --user-limit 25 --rate-limit 500 # a free plan's quota and rate limit`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts := []cometchattest.ServerOption{
				cometchattest.WithAPIKey(apiKey),
				cometchattest.WithAppID(appID),
				cometchattest.WithRegion(region),
				cometchattest.WithRateLimit(rateLimit),
				cometchattest.WithAppRateLimit(appRateLimit),
				cometchattest.WithUserLimit(userLimit),
			}
			if roles != "" {
				opts = append(opts, cometchattest.WithRoles(strings.Split(roles, ",")...))
			}
			if err := checkFakeOptions(opts); err != nil {
				return &usageError{err}
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return err
			}
			srv, err := newFakeServer(append(opts, cometchattest.WithListener(ln)))
			if err != nil {
				_ = ln.Close()
				return &usageError{err}
			}
			defer srv.Close()
			fmt.Fprintf(env.Stdout, "export COMETCHAT_BASE_URL=%s\n", srv.URL())
			fmt.Fprintf(env.Stdout, "export COMETCHAT_APP_ID=%s COMETCHAT_REGION=%s COMETCHAT_API_KEY=%s\n", srv.AppID(), srv.Region(), srv.APIKey())
			fmt.Fprintf(env.Stderr, "cometchat fake: an in-memory CometChat serves on %s until Ctrl-C.\n", srv.URL())
			fmt.Fprintln(env.Stderr, "Point the other commands at it with the exports above, e.g.: cometchat users list")
			if env.OnFakeReady != nil {
				env.OnFakeReady(srv.URL())
			}
			<-cmd.Context().Done()
			fmt.Fprintln(env.Stderr, "cometchat fake: stopped; its data is gone")
			return nil
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on (127.0.0.1:0 picks a free port)")
	fs.StringVar(&appID, "app-id", "", "app id to report (default: random)")
	fs.StringVar(&apiKey, "api-key", "", "REST API key to accept (default: random)")
	fs.StringVar(&region, "region", "us", "region to report")
	fs.IntVar(&rateLimit, "rate-limit", 0, "enforced requests per sliding minute for standard and core operations (0: count only)")
	fs.IntVar(&appRateLimit, "app-rate-limit", 0, "enforced requests per sliding minute for the whole app (0: count only)")
	fs.IntVar(&userLimit, "user-limit", 0, "the plan's user quota, e.g. 25 for a free plan (0: none)")
	fs.StringVar(&roles, "roles", "", `roles to create besides "default", comma-separated`)
	return cmd
}

// checkFakeOptions builds a throwaway server with opts to find invalid ones before listening on the address.
func checkFakeOptions(opts []cometchattest.ServerOption) error {
	srv, err := newFakeServer(opts)
	if err == nil {
		srv.Close()
	}
	return err
}

// newFakeServer turns NewServer's panic on an invalid option (e.g. a bad --app-id) into an error.
func newFakeServer(opts []cometchattest.ServerOption) (srv *cometchattest.Server, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	return cometchattest.NewServer(opts...), nil
}
