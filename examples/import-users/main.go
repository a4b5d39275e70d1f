// Command import-users shows Users.Import, the SDK's bulk migration: it builds a few hundred users (one of them
// invalid, one repeating a uid), imports them in chunks with progress, and prints what did not land and why.
//
//	go run ./examples/import-users
//
// With no environment it imports into an embedded cometchattest server (nothing is kept); with
// COMETCHAT_APP_ID, COMETCHAT_REGION and COMETCHAT_API_KEY set, into that app.
//
// To migrate a real user base from a CSV or JSON Lines file (streamed, with a dry run, a report with
// checkpoints, --resume after a crash and --retry-from for the failures), use the command line built on the
// same call, which this example used to be:
//
//	go install github.com/gocometchat/cometchat/cmd/cometchat@latest
//	cometchat users import --help
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/gocometchat/cometchat"
	"github.com/gocometchat/cometchat/cometchattest"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "import-users:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer) error {
	client, cleanup, err := newClient()
	if err != nil {
		return err
	}
	defer cleanup()

	// The users to migrate, e.g. read from your database. CreatedAt and LastActiveAt keep their history.
	var users []*cometchat.ImportUser
	since := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 1; i <= 240; i++ {
		users = append(users, &cometchat.ImportUser{
			UID: fmt.Sprintf("example-%03d", i), Name: fmt.Sprintf("Example User %d", i),
			Tags: []string{"imported"}, CreatedAt: since.Add(time.Duration(i) * time.Hour),
		})
	}
	users[41].Avatar = "not a URL"                // refused before sending: a *ValidationError
	users[99].UID = strings.ToUpper(users[7].UID) // repeats an earlier uid (compared case-insensitively): not sent

	// Import in chunks so that memory stays flat for millions of users; the Client paces every call
	// (at most 60 requests of 50 users a minute), so the chunks together stay under the limit.
	const chunk = 100
	imported, failed := 0, 0
	for start := 0; start < len(users); start += chunk {
		part := users[start:min(start+chunk, len(users))]
		report, err := client.Users.Import(ctx, part, cometchat.WithImportProgress(func(done, failedSoFar, total int) {
			fmt.Fprintf(out, "  chunk at %d: %d/%d done, %d failed\n", start, done, total, failedSoFar)
		}))
		if report != nil {
			imported += len(report.Imported)
			failed += len(report.Failed)
			for _, f := range report.Failed {
				var ve *cometchat.ValidationError
				switch {
				case errors.As(f.Err, &ve):
					fmt.Fprintf(out, "users[%d] %s: invalid, not sent: %v\n", start+f.Index, f.UID, f.Err)
				case errors.Is(f.Err, cometchat.ErrUIDAlreadyExists):
					fmt.Fprintf(out, "users[%d] %s: already in CometChat\n", start+f.Index, f.UID)
				default:
					fmt.Fprintf(out, "users[%d] %s: %v\n", start+f.Index, f.UID, f.Err) // an *APIError: retrying may work
				}
			}
		}
		if err != nil { // stopped early (context, a wrong key, the plan's quota): the report holds what was done
			return err
		}
	}
	fmt.Fprintf(out, "imported %d of %d users, %d did not land\n", imported, len(users), failed)
	return nil
}

// newClient connects to the app the environment names, or to an embedded fake server.
func newClient() (*cometchat.Client, func(), error) {
	appID, region, key := os.Getenv("COMETCHAT_APP_ID"), os.Getenv("COMETCHAT_REGION"), os.Getenv("COMETCHAT_API_KEY")
	if appID == "" && region == "" && key == "" {
		srv := cometchattest.NewServer()
		return srv.Client(), srv.Close, nil
	}
	var opts []cometchat.Option
	if base := os.Getenv("COMETCHAT_BASE_URL"); base != "" {
		opts = append(opts, cometchat.WithBaseURL(base))
	}
	client, err := cometchat.NewClient(appID, region, key, opts...)
	return client, func() {}, err
}
