// Command cometchat manages the users of a CometChat app from the command line: users, their auth tokens,
// roles, friends and blocked users, and the bulk import and export of a user base. It is built on the
// github.com/gocometchat/cometchat SDK.
//
//	go install github.com/gocometchat/cometchat/cmd/cometchat@latest
//
//	cometchat fake > fake.env &       # an in-memory CometChat to try it on; prints the exports below
//	. ./fake.env                      # COMETCHAT_BASE_URL, COMETCHAT_APP_ID, COMETCHAT_REGION, COMETCHAT_API_KEY
//	cometchat users create --uid ada --name "Ada Lovelace"
//	cometchat users list
//	cometchat users import --report report.jsonl users.csv
//
// Against a real app, set COMETCHAT_APP_ID, COMETCHAT_REGION and COMETCHAT_API_KEY (a REST API key with
// fullAccess scope). "cometchat --help" and "cometchat <command> --help" say the rest. Exit status: 0 success,
// 1 CometChat said no (or some imported users did not land), 2 a usage, configuration or I/O error, or
// interrupted.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/gocometchat/cometchat/cmd/cometchat/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, cli.ProcessEnv())
	stop()
	os.Exit(code)
}
