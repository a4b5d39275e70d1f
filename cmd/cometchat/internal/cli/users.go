package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gocometchat/cometchat"
	"github.com/gocometchat/cometchat/cmd/cometchat/internal/progress"
	"github.com/gocometchat/cometchat/cmd/cometchat/internal/userimport"
)

const usersLong = `Create, read, update, deactivate and delete the app's users, list and export them, and import a user base
from a CSV or JSON Lines file.

Every subcommand needs COMETCHAT_APP_ID, COMETCHAT_REGION and COMETCHAT_API_KEY (or --app-id, --region,
--api-key), and COMETCHAT_BASE_URL for a proxy or 'cometchat fake'; 'users import --dry-run' and 'users
generate' need none.`

func newUsersCmd(env *Env) *cobra.Command {
	f := &apiFlags{}
	cmd := newGroup("users", "Manage users: list, get, create, update, delete, deactivate, import, export", usersLong)
	addAPIFlags(cmd, f)
	cmd.AddCommand(
		newUsersListCmd(env, f),
		newUsersGetCmd(env, f),
		newUsersCreateCmd(env, f),
		newUsersUpdateCmd(env, f),
		newUsersDeleteCmd(env, f),
		newUsersActivationCmd(env, f, true),
		newUsersActivationCmd(env, f, false),
		newUsersExportCmd(env, f),
		newUsersImportCmd(env, f),
		newUsersGenerateCmd(env, f),
	)
	return cmd
}

// listFlags are the filters of users list and users export.
type listFlags struct {
	search          string
	searchIn        []string
	status          string
	role            string
	tags            []string
	withDeactivated bool
	onlyDeactivated bool
	onBehalfOf      string
	perPage         int
}

func (l *listFlags) add(cmd *cobra.Command) {
	fs := cmd.Flags()
	fs.StringVar(&l.search, "search", "", "only users whose uid or name starts with this (case-insensitive)")
	fs.StringSliceVar(&l.searchIn, "search-in", nil, "where --search looks: name, uid or both")
	fs.StringVar(&l.status, "status", "", "only users with this presence: available or offline")
	fs.StringVar(&l.role, "role", "", "only users with this role")
	fs.StringSliceVar(&l.tags, "tags", nil, "only users with any of these tags (comma-separated)")
	fs.BoolVar(&l.withDeactivated, "with-deactivated", false, "include deactivated users")
	fs.BoolVar(&l.onlyDeactivated, "only-deactivated", false, "only deactivated users")
	fs.StringVar(&l.onBehalfOf, "on-behalf-of", "", "list as this user sees it (adds conversationId, blockedByMe...)")
	cmd.MarkFlagsMutuallyExclusive("with-deactivated", "only-deactivated")
	_ = cmd.RegisterFlagCompletionFunc("status", cobra.FixedCompletions([]string{"available", "offline"}, cobra.ShellCompDirectiveNoFileComp))
}

func (l *listFlags) params(page int) *cometchat.ListUsersParams {
	return &cometchat.ListUsersParams{
		SearchKey: l.search, SearchIn: l.searchIn, Status: cometchat.UserStatus(l.status), Role: l.role,
		Tags: l.tags, WithTags: true, WithDeactivated: l.withDeactivated, OnlyDeactivated: l.onlyDeactivated,
		PerPage: l.perPage, Page: page,
	}
}

func (l *listFlags) requestOptions() []cometchat.RequestOption {
	if l.onBehalfOf == "" {
		return nil
	}
	return []cometchat.RequestOption{cometchat.OnBehalfOf(l.onBehalfOf)}
}

// pageFlags choose one page or every page of a list.
type pageFlags struct {
	page, perPage int
	all           bool
	progress      string
}

func (p *pageFlags) add(cmd *cobra.Command, what string) {
	fs := cmd.Flags()
	fs.IntVar(&p.perPage, "per-page", 0, what+" per page, 1 to 1000 (default 100; 1000 with --all)")
	fs.IntVar(&p.page, "page", 0, "the page to show, from 1 (default 1)")
	fs.BoolVar(&p.all, "all", false, "every page, one in memory at a time, with progress on stderr")
	fs.StringVar(&p.progress, "progress", "auto", "with --all: auto (a bar on a terminal, plain lines otherwise), bar, plain or none")
	cmd.MarkFlagsMutuallyExclusive("page", "all")
}

// pagesPerPage is the page size to ask for: the flag's, or 1000 when walking every page.
func (p *pageFlags) size() int {
	if p.perPage == 0 && p.all {
		return 1000
	}
	return p.perPage
}

// walk lists every page of a list through fetch (page numbers from 1), handing each item to write, with progress
// on stderr once the first page shows there is more than one. It stops after the last page (by the answer's
// total pages, or a short or empty page).
func walk[T any](ctx context.Context, env *Env, mode, label string, perPage int,
	fetch func(page int) ([]T, cometchat.Pagination, error), write func(T) error) (int, error) {
	var tr *progress.Tracker
	defer func() { tr.Stop() }()
	n := 0
	for page := 1; ; page++ {
		items, pg, err := fetch(page)
		if err != nil {
			return n, err
		}
		if page == 1 && (pg.TotalPages > 1 || pg.TotalPages == 0 && len(items) > 0 && len(items) >= perPage) {
			m, err := progress.ParseMode(mode, env.StderrTTY)
			if err != nil {
				return n, &usageError{err}
			}
			total := pg.Total
			if total <= 0 {
				total = -1 // the blocked-users list does not say
			}
			tr = progress.New(env.Stderr, m, progress.Options{Label: label, Now: env.Now,
				Tick: env.ProgressTick, Interval: env.ProgressInterval})
			tr.Start(total)
		}
		for _, it := range items {
			if err := write(it); err != nil {
				return n, err
			}
			n++
		}
		tr.Set(n)
		short := perPage > 0 && len(items) < perPage
		if len(items) == 0 || short || pg.TotalPages > 0 && page >= pg.TotalPages {
			return n, nil
		}
	}
}

// moreHint tells a person looking at one page of a table that there are more.
func moreHint(env *Env, format string, pg cometchat.Pagination) {
	if format == formatTable && pg.TotalPages > pg.CurrentPage && pg.CurrentPage > 0 {
		fmt.Fprintf(env.Stderr, "page %d of %d (%s in all): --page %d for the next, --all for every page\n",
			pg.CurrentPage, pg.TotalPages, userimport.Thousands(pg.Total), pg.CurrentPage+1)
	}
}

func newUsersListCmd(env *Env, f *apiFlags) *cobra.Command {
	var l listFlags
	var p pageFlags
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List users, newest first",
		Long: `List users, newest first: one page (100 users unless --per-page says otherwise), or every page with --all.
Filters combine. Tags are always included.`,
		Example: `  cometchat users list --search ada
  cometchat users list --tags vip,beta --all -o csv > vips.csv
  cometchat users list -o json | jq -r '.[].uid'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			client, err := f.client(env)
			if err != nil {
				return err
			}
			format, err := f.format(env)
			if err != nil {
				return err
			}
			l.perPage = p.size()
			lw := newListWriter(env.Stdout, env.Stderr, format, userColumns, "no users")
			ctx := cmd.Context()
			if !p.all {
				page, err := client.Users.List(ctx, l.params(p.page), l.requestOptions()...)
				if err != nil {
					return err
				}
				for _, u := range page.Users {
					if err := lw.add(userObject(u)); err != nil {
						return err
					}
				}
				if err := lw.close(); err != nil {
					return err
				}
				moreHint(env, format, page.Pagination)
				return nil
			}
			_, err = walk(ctx, env, p.progress, "listing", l.perPage, func(page int) ([]*cometchat.User, cometchat.Pagination, error) {
				pg, err := client.Users.List(ctx, l.params(page), l.requestOptions()...)
				if err != nil {
					return nil, cometchat.Pagination{}, err
				}
				return pg.Users, pg.Pagination, nil
			}, func(u *cometchat.User) error { return lw.add(userObject(u)) })
			if cerr := lw.close(); err == nil {
				err = cerr
			}
			return err
		},
	}
	l.add(cmd)
	p.add(cmd, "users")
	return cmd
}

func newUsersGetCmd(env *Env, f *apiFlags) *cobra.Command {
	var onBehalfOf string
	cmd := &cobra.Command{
		Use:   "get UID",
		Short: "Show a user",
		Long:  "Show a user. An unknown or deactivated uid is ERR_UID_NOT_FOUND (exit status 1).",
		Example: `  cometchat users get ada
  cometchat users get ada --on-behalf-of grace -o json`,
		Args: exactArgs("UID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			client, format, err := clientAndFormat(env, f)
			if err != nil {
				return err
			}
			var opts []cometchat.RequestOption
			if onBehalfOf != "" {
				opts = append(opts, cometchat.OnBehalfOf(onBehalfOf))
			}
			u, err := client.Users.Get(cmd.Context(), args[0], opts...)
			if err != nil {
				return err
			}
			return writeObject(env.Stdout, format, userColumns, userObject(u))
		},
	}
	cmd.Flags().StringVar(&onBehalfOf, "on-behalf-of", "", "show the user as this user sees them (adds conversationId, blockedByMe...)")
	return cmd
}

func clientAndFormat(env *Env, f *apiFlags) (*cometchat.Client, string, error) {
	format, err := f.format(env)
	if err != nil {
		return nil, "", err
	}
	client, err := f.client(env)
	return client, format, err
}

// jsonObjectFlag parses a flag holding a JSON object (--metadata).
func jsonObjectFlag(name, value string) (map[string]any, error) {
	var m map[string]any
	dec := json.NewDecoder(strings.NewReader(value))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil || m == nil || dec.More() {
		return nil, usagef("--%s must be a JSON object, e.g. '{\"plan\":\"pro\"}'", name)
	}
	return m, nil
}

func newUsersCreateCmd(env *Env, f *apiFlags) *cobra.Command {
	var p cometchat.CreateUserParams
	var metadata string
	cmd := &cobra.Command{
		Use:   "create --uid UID --name NAME",
		Short: "Create a user (optionally with an auth token for their app)",
		Long: `Create a user. The uid is lowercased by CometChat; the role must exist (see 'cometchat roles'). With
--with-auth-token the answer holds an auth token that logs the user in: it is printed, since minting it is
the point, so hand it to that user's app and nobody else.`,
		Example: `  cometchat users create --uid ada --name "Ada Lovelace" --tags engineer,founder
  cometchat users create --uid grace --name "Grace Hopper" --metadata '{"@private":{"email":"grace@example.com"}}'
  cometchat users create --uid alan --name "Alan Turing" --with-auth-token -o json | jq -r .authToken`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if cmd.Flags().Changed("metadata") {
				m, err := jsonObjectFlag("metadata", metadata)
				if err != nil {
					return err
				}
				p.Metadata = m
			}
			client, format, err := clientAndFormat(env, f)
			if err != nil {
				return err
			}
			u, err := client.Users.Create(cmd.Context(), &p)
			if err != nil {
				return err
			}
			return writeObject(env.Stdout, format, append(userColumns, column{"authToken", ""}), userObject(u))
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&p.UID, "uid", "", "the user's id: up to 100 letters, digits, - and _ (required)")
	fs.StringVar(&p.Name, "name", "", "the user's display name (required)")
	fs.StringVar(&p.Avatar, "avatar", "", "URL of the user's picture")
	fs.StringVar(&p.Link, "link", "", "URL of the user's profile")
	fs.StringVar(&p.Role, "role", "", "the user's role (default: default)")
	fs.StringVar(&p.StatusMessage, "status-message", "", "the user's status message")
	fs.StringSliceVar(&p.Tags, "tags", nil, "tags, comma-separated")
	fs.StringVar(&metadata, "metadata", "", `custom data, a JSON object ("@private" holds what only the user and the API see)`)
	fs.BoolVar(&p.WithAuthToken, "with-auth-token", false, "also mint an auth token for the user's app (printed)")
	_ = cmd.MarkFlagRequired("uid")
	_ = cmd.MarkFlagRequired("name")
	return cmd
}

func newUsersUpdateCmd(env *Env, f *apiFlags) *cobra.Command {
	var name, avatar, link, role, statusMessage, metadata string
	var tags, unset []string
	cmd := &cobra.Command{
		Use:   "update UID",
		Short: "Change some of a user's fields",
		Long: `Change the fields given, leave the others. --tags "" removes every tag, --metadata '{}' empties the
metadata, and --unset avatar,link,metadata clears those fields.`,
		Example: `  cometchat users update ada --name "Ada King" --unset avatar
  cometchat users update ada --tags engineer,countess`,
		Args: exactArgs("UID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			fs := cmd.Flags()
			p := &cometchat.UpdateUserParams{}
			str := func(flag string, v *string) *string {
				if fs.Changed(flag) {
					return v
				}
				return nil
			}
			p.Name, p.Avatar, p.Link = str("name", &name), str("avatar", &avatar), str("link", &link)
			p.Role, p.StatusMessage = str("role", &role), str("status-message", &statusMessage)
			if fs.Changed("tags") {
				p.Tags = append([]string{}, tags...)
			}
			if fs.Changed("metadata") {
				m, err := jsonObjectFlag("metadata", metadata)
				if err != nil {
					return err
				}
				p.Metadata = m
			}
			for _, u := range unset {
				p.Unset = append(p.Unset, cometchat.UserField(u))
			}
			if !fs.Changed("name") && !fs.Changed("avatar") && !fs.Changed("link") && !fs.Changed("role") &&
				!fs.Changed("status-message") && !fs.Changed("tags") && !fs.Changed("metadata") && len(unset) == 0 {
				return usagef("nothing to update: give at least one of --name, --avatar, --link, --role, --status-message, --tags, --metadata, --unset")
			}
			client, format, err := clientAndFormat(env, f)
			if err != nil {
				return err
			}
			u, err := client.Users.Update(cmd.Context(), args[0], p)
			if err != nil {
				return err
			}
			return writeObject(env.Stdout, format, userColumns, userObject(u))
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&name, "name", "", "new display name")
	fs.StringVar(&avatar, "avatar", "", "new picture URL")
	fs.StringVar(&link, "link", "", "new profile URL")
	fs.StringVar(&role, "role", "", "new role")
	fs.StringVar(&statusMessage, "status-message", "", `new status message ("" clears it)`)
	fs.StringSliceVar(&tags, "tags", nil, `new tags, comma-separated, replacing the old ones ("" removes all)`)
	fs.StringVar(&metadata, "metadata", "", "new metadata, a JSON object replacing the old one")
	fs.StringSliceVar(&unset, "unset", nil, "fields to clear: avatar, link, metadata")
	_ = cmd.RegisterFlagCompletionFunc("unset", cobra.FixedCompletions([]string{"avatar", "link", "metadata"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func newUsersDeleteCmd(env *Env, f *apiFlags) *cobra.Command {
	var permanent bool
	cmd := &cobra.Command{
		Use:   "delete UID",
		Short: "Deactivate a user, or with --permanent delete them and their data for good",
		Long: `Delete a user. Without --permanent the user is only deactivated (as 'users deactivate' does): they can no
longer log in, their data is kept, 'users reactivate' undoes it, and the uid stays taken. With --permanent
the user, their messages and conversations are gone for good and the uid is free again.`,
		Example: `  cometchat users delete ada
  cometchat users delete ada --permanent`,
		Args: exactArgs("UID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			client, err := f.client(env)
			if err != nil {
				return err
			}
			if err := client.Users.Delete(cmd.Context(), args[0], &cometchat.DeleteUserParams{Permanent: permanent}); err != nil {
				return err
			}
			if permanent {
				fmt.Fprintf(env.Stderr, "deleted user %s for good\n", strings.ToLower(args[0]))
			} else {
				fmt.Fprintf(env.Stderr, "deactivated user %s (the uid stays taken; --permanent deletes for good)\n", strings.ToLower(args[0]))
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&permanent, "permanent", false, "delete the user and their data irreversibly, freeing the uid")
	return cmd
}

// newUsersActivationCmd is users deactivate (deactivate true) or users reactivate.
func newUsersActivationCmd(env *Env, f *apiFlags, deactivate bool) *cobra.Command {
	use, short, long := "reactivate UID...", "Reactivate deactivated users",
		`Reactivate deactivated users. Users not deactivated are reported as such; unknown uids are reported as
not found, which makes the exit status 1.`
	if deactivate {
		use, short, long = "deactivate UID...", "Deactivate users: they can no longer log in; their data is kept",
			`Deactivate users: they can no longer log in or be fetched, their data is kept, and 'users reactivate'
undoes it. Users already deactivated are reported as such; unknown uids are reported as not found, which
makes the exit status 1.`
	}
	return &cobra.Command{
		Use:   use,
		Short: short,
		Long:  long,
		Args:  minArgs(1, "at least one UID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			client, format, err := clientAndFormat(env, f)
			if err != nil {
				return err
			}
			var buckets []bucket
			if deactivate {
				r, err := client.Users.Deactivate(cmd.Context(), args...)
				if err != nil {
					return err
				}
				buckets = []bucket{{"deactivatedUids", "deactivated", r.Deactivated},
					{"alreadyDeactivatedUids", "already deactivated", r.AlreadyDeactivated}, {"notFound", "not found", r.NotFound}}
			} else {
				r, err := client.Users.Reactivate(cmd.Context(), args...)
				if err != nil {
					return err
				}
				buckets = []bucket{{"reactivatedUids", "reactivated", r.Reactivated},
					{"nonDeactivatedUids", "not deactivated", r.NotDeactivated}, {"notFound", "not found", r.NotFound}}
			}
			if format == formatJSON {
				b, err := indentJSON(bucketObject(buckets...), "")
				if err != nil {
					return err
				}
				if _, err := env.Stdout.Write(append(b, '\n')); err != nil {
					return err
				}
			} else if err := writeOutcomes(env.Stdout, env.Stderr, format, bucketOutcomes(args, buckets...)); err != nil {
				return err
			}
			if nf := buckets[2].uids; len(nf) > 0 {
				return &exitError{ExitAPI, fmt.Errorf("not found: %s", strings.Join(nf, ", "))}
			}
			return nil
		},
	}
}

// exportFormat is the format of an export: -o, else the file's extension, else the usual default.
func exportFormat(env *Env, f *apiFlags, file string) (string, error) {
	if f.output == "" && file != "" {
		switch {
		case strings.HasSuffix(strings.ToLower(file), ".csv"):
			return formatCSV, nil
		case strings.HasSuffix(strings.ToLower(file), ".jsonl"), strings.HasSuffix(strings.ToLower(file), ".ndjson"):
			return formatJSONL, nil
		case strings.HasSuffix(strings.ToLower(file), ".json"):
			return formatJSON, nil
		}
	}
	return f.format(env)
}

func newUsersExportCmd(env *Env, f *apiFlags) *cobra.Command {
	var l listFlags
	var file, mode string
	cmd := &cobra.Command{
		Use:   "export [-o csv|jsonl] [--file F]",
		Short: "Write every user, streamed, as CSV or JSON Lines (what 'users import' reads)",
		Long: `Write every user (or every user the filters match), page by page with one page in memory, to stdout or
--file, with progress on stderr. The format is -o, else --file's extension (.csv, .jsonl, .json), else the
usual default. CSV and JSON Lines use the API's field names, which 'users import' reads back (it ignores
the read-only ones: status, updatedAt, deactivatedAt...). A user seen twice while pages shift is written once.`,
		Example: `  cometchat users export -o csv --file users.csv
  cometchat users export -o jsonl | gzip > users.jsonl.gz
  cometchat users export --with-deactivated --file everyone.jsonl`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) (err error) {
			format, err := exportFormat(env, f, file)
			if err != nil {
				return err
			}
			if _, err := progress.ParseMode(mode, env.StderrTTY); err != nil {
				return &usageError{err}
			}
			client, err := f.client(env)
			if err != nil {
				return err
			}
			out, name := env.Stdout, "stdout"
			if file != "" {
				fh, err := os.Create(file)
				if err != nil {
					return err
				}
				defer func() {
					if cerr := fh.Close(); err == nil && cerr != nil {
						err = cerr
					}
				}()
				out, name = fh, file
			}
			if l.perPage == 0 {
				l.perPage = 1000
			}
			lw := newListWriter(out, env.Stderr, format, userColumns, "no users")
			seen := map[string]struct{}{}
			ctx := cmd.Context()
			_, err = walk(ctx, env, mode, "exporting", l.perPage, func(page int) ([]*cometchat.User, cometchat.Pagination, error) {
				pg, err := client.Users.List(ctx, l.params(page), l.requestOptions()...)
				if err != nil {
					return nil, cometchat.Pagination{}, err
				}
				return pg.Users, pg.Pagination, nil
			}, func(u *cometchat.User) error {
				if _, dup := seen[u.UID]; dup {
					return nil
				}
				seen[u.UID] = struct{}{}
				return lw.add(userObject(u))
			})
			if cerr := lw.close(); err == nil {
				err = cerr
			}
			if err != nil {
				if file != "" {
					fmt.Fprintf(env.Stderr, "cometchat: the export stopped: %s holds the first %s users\n", file, userimport.Thousands(len(seen)))
				}
				return err
			}
			fmt.Fprintf(env.Stderr, "exported %s users to %s\n", userimport.Thousands(len(seen)), name)
			return nil
		},
	}
	l.add(cmd)
	fs := cmd.Flags()
	fs.StringVar(&file, "file", "", "write to this file instead of stdout")
	fs.IntVar(&l.perPage, "per-page", 1000, "users per request, 1 to 1000")
	fs.StringVar(&mode, "progress", "auto", "auto (a bar on a terminal, plain lines otherwise), bar, plain or none")
	return cmd
}

func newUsersGenerateCmd(env *Env, f *apiFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "generate N [-o csv|jsonl]",
		Short: "Write N synthetic users (CSV unless -o jsonl), to try 'users import' or measure it",
		Long: `Write N valid synthetic users to stdout: uids gen-0000001..., with an avatar, metadata, tags and both
timestamps, as CSV (the default) or JSON Lines. Needs no configuration.`,
		Example: `  cometchat users generate 5000 > users.csv
  cometchat users import --dry-run users.csv`,
		Args: exactArgs("N"),
		RunE: func(cmd *cobra.Command, args []string) error {
			n, err := strconv.Atoi(args[0])
			if err != nil || n < 0 {
				return usagef("N must be a number of users, not %q", args[0])
			}
			format := f.output
			switch format {
			case "":
				format = formatCSV
			case formatCSV, formatJSONL:
			default:
				return usagef("users generate writes csv or jsonl, not %q", format)
			}
			return userimport.Generate(env.Stdout, format, n)
		},
	}
}
