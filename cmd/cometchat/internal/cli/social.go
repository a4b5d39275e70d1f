package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gocometchat/cometchat"
)

const friendsLong = `Manage friendships: they are mutual and need no request step. A user has at most 1,000 friends.

Needs COMETCHAT_APP_ID, COMETCHAT_REGION and COMETCHAT_API_KEY (or the flags), and COMETCHAT_BASE_URL for a
proxy or 'cometchat fake'.`

const blockedLong = `Manage the users a user blocks. Blocking a user already blocked, or unblocking one not blocked, succeeds.

Needs COMETCHAT_APP_ID, COMETCHAT_REGION and COMETCHAT_API_KEY (or the flags), and COMETCHAT_BASE_URL for a
proxy or 'cometchat fake'.`

func newFriendsCmd(env *Env) *cobra.Command {
	f := &apiFlags{}
	cmd := newGroup("friends", "Manage friendships: add, remove, list", friendsLong)
	addAPIFlags(cmd, f)
	add := batchCmd(env, f, "add UID FRIEND...", "Befriend UID with each FRIEND (per-friend results; exit status 1 if any failed)",
		"added", func(ctx context.Context, c *cometchat.Client, uid string, others []string) (*cometchat.BatchResult, error) {
			return c.Friends.Add(ctx, uid, others...)
		})
	remove := &cobra.Command{
		Use:   "remove UID FRIEND...",
		Short: "End UID's friendship with each FRIEND (all or nothing: every FRIEND must be a friend)",
		Args:  minArgs(2, "UID and at least one FRIEND"),
		RunE: func(cmd *cobra.Command, args []string) error {
			client, err := f.client(env)
			if err != nil {
				return err
			}
			if err := client.Friends.Remove(cmd.Context(), args[0], args[1:]...); err != nil {
				return err
			}
			fmt.Fprintf(env.Stderr, "removed %d friends of %s\n", len(args)-1, strings.ToLower(args[0]))
			return nil
		},
	}
	var search string
	list := relationListCmd(env, f, "list UID", "List UID's friends, newest friendship first", friendColumns, "no friends",
		func(ctx context.Context, c *cometchat.Client, uid string, perPage, page int) (*cometchat.UserPage, error) {
			return c.Friends.List(ctx, uid, &cometchat.ListFriendsParams{SearchKey: search, PerPage: perPage, Page: page})
		})
	list.Flags().StringVar(&search, "search", "", "only friends whose uid or name starts with this")
	cmd.AddCommand(add, remove, list)
	return cmd
}

func newBlockedCmd(env *Env) *cobra.Command {
	f := &apiFlags{}
	cmd := newGroup("blocked", "Manage blocked users: block, unblock, list", blockedLong)
	addAPIFlags(cmd, f)
	block := batchCmd(env, f, "block UID OTHER...", "Make UID block each OTHER (per-user results; exit status 1 if any failed)",
		"blocked", func(ctx context.Context, c *cometchat.Client, uid string, others []string) (*cometchat.BatchResult, error) {
			return c.BlockedUsers.Block(ctx, uid, others...)
		})
	unblock := batchCmd(env, f, "unblock UID OTHER...", "Make UID unblock each OTHER (per-user results; exit status 1 if any failed)",
		"unblocked", func(ctx context.Context, c *cometchat.Client, uid string, others []string) (*cometchat.BatchResult, error) {
			return c.BlockedUsers.Unblock(ctx, uid, others...)
		})
	list := relationListCmd(env, f, "list UID", "List the users UID blocked, oldest block first", blockedColumns, "no blocked users",
		func(ctx context.Context, c *cometchat.Client, uid string, perPage, page int) (*cometchat.UserPage, error) {
			return c.BlockedUsers.List(ctx, uid, &cometchat.ListBlockedUsersParams{PerPage: perPage, Page: page})
		})
	cmd.AddCommand(block, unblock, list)
	return cmd
}

// batchCmd is a command acting on UID and many others at once, printing one result per other user.
func batchCmd(env *Env, f *apiFlags, use, short, ok string,
	call func(ctx context.Context, c *cometchat.Client, uid string, others []string) (*cometchat.BatchResult, error)) *cobra.Command {
	return &cobra.Command{
		Use:   use,
		Short: short,
		Args:  minArgs(2, "UID and at least one other uid"),
		RunE: func(cmd *cobra.Command, args []string) error {
			client, format, err := clientAndFormat(env, f)
			if err != nil {
				return err
			}
			res, callErr := call(cmd.Context(), client, args[0], args[1:])
			if res == nil {
				return callErr
			}
			outs := batchOutcomes(args[1:], ok, res)
			if err := writeOutcomes(env.Stdout, env.Stderr, format, outs); err != nil {
				return err
			}
			if callErr != nil {
				return callErr // a batch failed as a whole: later ones were not sent
			}
			if len(res.Failed) > 0 {
				var failed []string
				for _, uid := range sortedKeys(res.Failed) {
					failed = append(failed, fmt.Sprintf("%s (%s)", uid, errorCode(res.Failed[uid])))
				}
				return &exitError{ExitAPI, fmt.Errorf("%d of %d failed: %s", len(res.Failed), len(outs), strings.Join(failed, ", "))}
			}
			return nil
		},
	}
}

// errorCode is an API error's code, or its text.
func errorCode(err error) string {
	if e, ok := apiError(err); ok && e.Code != "" {
		return e.Code
	}
	return err.Error()
}

// relationListCmd lists the users related to UID (friends, blocked users), one page or --all.
func relationListCmd(env *Env, f *apiFlags, use, short string, cols []column, empty string,
	list func(ctx context.Context, c *cometchat.Client, uid string, perPage, page int) (*cometchat.UserPage, error)) *cobra.Command {
	var p pageFlags
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Args:  exactArgs("UID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			client, format, err := clientAndFormat(env, f)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			lw := newListWriter(env.Stdout, env.Stderr, format, cols, empty)
			return listPages(ctx, env, format, &p, lw, func(page int) ([]*cometchat.User, cometchat.Pagination, error) {
				pg, err := list(ctx, client, args[0], p.size(), page)
				if err != nil {
					return nil, cometchat.Pagination{}, err
				}
				return pg.Users, pg.Pagination, nil
			}, userObject)
		},
	}
	p.add(cmd, "users")
	return cmd
}
