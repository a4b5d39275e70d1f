package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gocometchat/cometchat"
)

const tokensLong = `Manage the auth tokens that log a user in from their app: mint, list, show, annotate, revoke one, or
revoke them all (log the user out everywhere).

Tokens are secrets. 'tokens create' prints the token it mints, since that is its point; every other
subcommand shows tokens redacted (ada_1694…[redacted]) unless --reveal is given.

Needs COMETCHAT_APP_ID, COMETCHAT_REGION and COMETCHAT_API_KEY (or the flags), and COMETCHAT_BASE_URL for a
proxy or 'cometchat fake'.`

func newTokensCmd(env *Env) *cobra.Command {
	f := &apiFlags{}
	cmd := newGroup("tokens", "Manage users' auth tokens: create, list, get, update, delete, flush", tokensLong)
	addAPIFlags(cmd, f)
	cmd.AddCommand(
		newTokensCreateCmd(env, f),
		newTokensListCmd(env, f),
		newTokensGetCmd(env, f),
		newTokensUpdateCmd(env, f),
		newTokensDeleteCmd(env, f),
		newTokensFlushCmd(env, f),
	)
	return cmd
}

func newTokensCreateCmd(env *Env, f *apiFlags) *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:   "create UID",
		Short: "Mint an auth token for a user (printed: hand it to that user's app only)",
		Long: `Get an auth token for a user's app. Without --force CometChat returns the user's newest token if they
have one; with --force it mints a new one (e.g. for a new device, or to rotate after a leak). The token is
printed: it logs the user in, so hand it to that user's app and nobody else.`,
		Example: `  cometchat tokens create ada
  cometchat tokens create ada --force -o json | jq -r .authToken`,
		Args: exactArgs("UID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			client, format, err := clientAndFormat(env, f)
			if err != nil {
				return err
			}
			t, err := client.AuthTokens.Create(cmd.Context(), args[0], &cometchat.CreateAuthTokenParams{Force: force})
			if err != nil {
				return err
			}
			return writeObject(env.Stdout, format, tokenColumns, tokenObject(t, true))
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "mint a new token even if the user has one")
	return cmd
}

func newTokensListCmd(env *Env, f *apiFlags) *cobra.Command {
	var p pageFlags
	var reveal bool
	cmd := &cobra.Command{
		Use:   "list UID",
		Short: "List a user's auth tokens, newest first (redacted unless --reveal)",
		Args:  exactArgs("UID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			client, format, err := clientAndFormat(env, f)
			if err != nil {
				return err
			}
			lw := newListWriter(env.Stdout, env.Stderr, format, tokenColumns, "no auth tokens")
			ctx := cmd.Context()
			fetch := func(page int) ([]*cometchat.AuthToken, cometchat.Pagination, error) {
				pg, err := client.AuthTokens.List(ctx, args[0], &cometchat.ListAuthTokensParams{PerPage: p.size(), Page: page})
				if err != nil {
					return nil, cometchat.Pagination{}, err
				}
				return pg.Tokens, pg.Pagination, nil
			}
			return listPages(ctx, env, format, &p, lw, fetch, func(t *cometchat.AuthToken) object { return tokenObject(t, reveal) })
		},
	}
	p.add(cmd, "tokens")
	cmd.Flags().BoolVar(&reveal, "reveal", false, "print the tokens themselves (secrets that log the user in)")
	return cmd
}

// listPages prints one page of a list (p.page) or, with p.all, every page.
func listPages[T any](ctx context.Context, env *Env, format string, p *pageFlags, lw listWriter,
	fetch func(page int) ([]T, cometchat.Pagination, error), view func(T) object) error {
	if !p.all {
		items, pg, err := fetch(p.page)
		if err != nil {
			return err
		}
		for _, it := range items {
			if err := lw.add(view(it)); err != nil {
				return err
			}
		}
		if err := lw.close(); err != nil {
			return err
		}
		if format == formatTable && pg.TotalPages > pg.CurrentPage && pg.CurrentPage > 0 {
			fmt.Fprintf(env.Stderr, "page %d of %d: --page %d for the next, --all for every page\n", pg.CurrentPage, pg.TotalPages, pg.CurrentPage+1)
		}
		return nil
	}
	_, err := walk(ctx, env, p.progress, "listing", p.size(), fetch, func(it T) error { return lw.add(view(it)) })
	if cerr := lw.close(); err == nil {
		err = cerr
	}
	return err
}

func newTokensGetCmd(env *Env, f *apiFlags) *cobra.Command {
	var reveal bool
	cmd := &cobra.Command{
		Use:   "get UID TOKEN",
		Short: "Show one auth token (redacted unless --reveal); an unknown or revoked one is ERR_AUTH_TOKEN_NOT_FOUND",
		Args:  exactArgs("UID", "TOKEN"),
		RunE: func(cmd *cobra.Command, args []string) error {
			client, format, err := clientAndFormat(env, f)
			if err != nil {
				return err
			}
			t, err := client.AuthTokens.Get(cmd.Context(), args[0], args[1])
			if err != nil {
				return err
			}
			return writeObject(env.Stdout, format, tokenColumns, tokenObject(t, reveal))
		},
	}
	cmd.Flags().BoolVar(&reveal, "reveal", false, "print the token itself")
	return cmd
}

func newTokensUpdateCmd(env *Env, f *apiFlags) *cobra.Command {
	var platform, userAgent, appInfo string
	var reveal bool
	cmd := &cobra.Command{
		Use:     "update UID TOKEN",
		Short:   "Record the device a token is used on (platform, user agent, app info)",
		Example: `  cometchat tokens update ada "$TOKEN" --platform ios --app-info '{"version":"5.2.0"}'`,
		Args:    exactArgs("UID", "TOKEN"),
		RunE: func(cmd *cobra.Command, args []string) error {
			fs := cmd.Flags()
			p := &cometchat.UpdateAuthTokenParams{}
			if fs.Changed("platform") {
				p.Platform = &platform
			}
			if fs.Changed("user-agent") {
				p.UserAgent = &userAgent
			}
			if fs.Changed("app-info") {
				m, err := jsonObjectFlag("app-info", appInfo)
				if err != nil {
					return err
				}
				p.AppInfo = m
			}
			if p.Platform == nil && p.UserAgent == nil && p.AppInfo == nil {
				return usagef("nothing to update: give --platform, --user-agent or --app-info")
			}
			client, format, err := clientAndFormat(env, f)
			if err != nil {
				return err
			}
			t, err := client.AuthTokens.Update(cmd.Context(), args[0], args[1], p)
			if err != nil {
				return err
			}
			return writeObject(env.Stdout, format, tokenColumns, tokenObject(t, reveal))
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&platform, "platform", "", "the device's platform, e.g. ios, android, web")
	fs.StringVar(&userAgent, "user-agent", "", "the app's user agent")
	fs.StringVar(&appInfo, "app-info", "", "anything about the app, a JSON object")
	fs.BoolVar(&reveal, "reveal", false, "print the token itself")
	return cmd
}

func newTokensDeleteCmd(env *Env, f *apiFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "delete UID TOKEN",
		Short: "Revoke one auth token",
		Args:  exactArgs("UID", "TOKEN"),
		RunE: func(cmd *cobra.Command, args []string) error {
			client, err := f.client(env)
			if err != nil {
				return err
			}
			if err := client.AuthTokens.Delete(cmd.Context(), args[0], args[1]); err != nil {
				return err
			}
			fmt.Fprintf(env.Stderr, "revoked an auth token of %s\n", strings.ToLower(args[0]))
			return nil
		},
	}
}

func newTokensFlushCmd(env *Env, f *apiFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "flush UID",
		Short: "Revoke every auth token of a user: log them out everywhere",
		Args:  exactArgs("UID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			client, err := f.client(env)
			if err != nil {
				return err
			}
			if err := client.AuthTokens.Flush(cmd.Context(), args[0]); err != nil {
				return err
			}
			fmt.Fprintf(env.Stderr, "revoked every auth token of %s\n", strings.ToLower(args[0]))
			return nil
		},
	}
}
