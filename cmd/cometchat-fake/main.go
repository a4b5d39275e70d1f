// Command cometchat-fake serves the in-memory CometChat REST API of package cometchattest on a local address, for
// manual curl sessions and for testing programs not written in Go. The store lives in memory and is lost on exit.
//
//	go run ./cmd/cometchat-fake -addr 127.0.0.1:8080 -api-key secret
//	curl -H 'apikey: secret' http://127.0.0.1:8080/v3/users
//
// It stops on SIGINT or SIGTERM.
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/gocometchat/cometchat/cometchattest"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "cometchat-fake:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("cometchat-fake", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	apiKey := fs.String("api-key", "", "REST API key to accept (default: random)")
	appID := fs.String("app-id", "", "app id to report (default: random)")
	rateLimit := fs.Int("rate-limit", 0, "requests per sliding minute before 429s (0: unlimited)")
	roles := fs.String("roles", "", "comma-separated roles of the app; when set, other roles are rejected")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	opts := []cometchattest.ServerOption{
		cometchattest.WithListener(ln),
		cometchattest.WithAPIKey(*apiKey),
		cometchattest.WithAppID(*appID),
		cometchattest.WithRateLimit(*rateLimit),
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

	fmt.Printf("CometChat fake serving\n  base URL: %s\n  app id:   %s\n  region:   %s\n  API key:  %s\n",
		srv.URL(), srv.AppID(), srv.Region(), srv.APIKey())
	fmt.Printf("try: curl -H 'apikey: %s' %s/users\n", srv.APIKey(), srv.URL())

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	fmt.Println("shutting down")
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
