package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gocometchat/cometchat"
)

const rolesLong = `Manage the app's roles. A user's role must be one of them; "default" always exists and cannot be deleted;
an app has at most 25 roles. Settings say whom a role's users may list and message: all or friendsOnly.

Needs COMETCHAT_APP_ID, COMETCHAT_REGION and COMETCHAT_API_KEY (or the flags), and COMETCHAT_BASE_URL for a
proxy or 'cometchat fake'.`

func newRolesCmd(env *Env) *cobra.Command {
	f := &apiFlags{}
	cmd := newGroup("roles", "Manage roles: list, get, create, update, delete", rolesLong)
	addAPIFlags(cmd, f)
	cmd.AddCommand(
		newRolesListCmd(env, f),
		newRolesGetCmd(env, f),
		newRolesCreateCmd(env, f),
		newRolesUpdateCmd(env, f),
		newRolesDeleteCmd(env, f),
	)
	return cmd
}

func newRolesListCmd(env *Env, f *apiFlags) *cobra.Command {
	var p pageFlags
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the app's roles, default first",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			client, format, err := clientAndFormat(env, f)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			lw := newListWriter(env.Stdout, env.Stderr, format, roleColumns, "no roles")
			return listPages(ctx, env, format, &p, lw, func(page int) ([]*cometchat.Role, cometchat.Pagination, error) {
				pg, err := client.Roles.List(ctx, &cometchat.ListRolesParams{PerPage: p.size(), Page: page})
				if err != nil {
					return nil, cometchat.Pagination{}, err
				}
				return pg.Roles, pg.Pagination, nil
			}, roleObject)
		},
	}
	p.add(cmd, "roles")
	return cmd
}

func newRolesGetCmd(env *Env, f *apiFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "get ROLE",
		Short: "Show a role",
		Args:  exactArgs("ROLE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			client, format, err := clientAndFormat(env, f)
			if err != nil {
				return err
			}
			r, err := client.Roles.Get(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			return writeObject(env.Stdout, format, roleColumns, roleObject(r))
		},
	}
}

// roleFlags are the fields create and update set.
type roleFlags struct {
	name, description, metadata string
	listUsers, sendMessagesTo   string
}

func (r *roleFlags) add(cmd *cobra.Command, create bool) {
	fs := cmd.Flags()
	req := ""
	if create {
		req = " (required)"
	}
	fs.StringVar(&r.name, "name", "", "the role's name, 1 to 100 characters"+req)
	fs.StringVar(&r.description, "description", "", "what the role is for, up to 255 characters")
	fs.StringVar(&r.metadata, "metadata", "", "custom data, a JSON object")
	fs.StringVar(&r.listUsers, "list-users", "", "whom the role's users may list: all or friendsOnly")
	fs.StringVar(&r.sendMessagesTo, "send-messages-to", "", "whom the role's users may message: all or friendsOnly")
	vis := cobra.FixedCompletions([]string{"all", "friendsOnly"}, cobra.ShellCompDirectiveNoFileComp)
	_ = cmd.RegisterFlagCompletionFunc("list-users", vis)
	_ = cmd.RegisterFlagCompletionFunc("send-messages-to", vis)
}

// settings is the settings the flags give, nil for none. An update replaces the settings as a whole.
func (r *roleFlags) settings(cmd *cobra.Command) *cometchat.RoleSettings {
	fs := cmd.Flags()
	if !fs.Changed("list-users") && !fs.Changed("send-messages-to") {
		return nil
	}
	return &cometchat.RoleSettings{ListUsers: cometchat.RoleVisibility(r.listUsers), SendMessagesTo: cometchat.RoleVisibility(r.sendMessagesTo)}
}

func newRolesCreateCmd(env *Env, f *apiFlags) *cobra.Command {
	var r roleFlags
	cmd := &cobra.Command{
		Use:     "create ROLE --name NAME",
		Short:   "Create a role (ROLE: up to 100 of a-z, 0-9, - and _)",
		Example: `  cometchat roles create moderator --name Moderator --list-users all --send-messages-to all`,
		Args:    exactArgs("ROLE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			p := &cometchat.CreateRoleParams{ID: args[0], Name: r.name, Description: r.description, Settings: r.settings(cmd)}
			if cmd.Flags().Changed("metadata") {
				m, err := jsonObjectFlag("metadata", r.metadata)
				if err != nil {
					return err
				}
				p.Metadata = m
			}
			client, format, err := clientAndFormat(env, f)
			if err != nil {
				return err
			}
			role, err := client.Roles.Create(cmd.Context(), p)
			if err != nil {
				return err
			}
			return writeObject(env.Stdout, format, roleColumns, roleObject(role))
		},
	}
	r.add(cmd, true)
	_ = cmd.MarkFlagRequired("name")
	return cmd
}

func newRolesUpdateCmd(env *Env, f *apiFlags) *cobra.Command {
	var r roleFlags
	var unset []string
	cmd := &cobra.Command{
		Use:   "update ROLE",
		Short: "Change some of a role's fields",
		Long: `Change the fields given, leave the others. --list-users and --send-messages-to replace the settings as a
whole; --unset description,metadata,settings clears those fields.`,
		Args: exactArgs("ROLE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			fs := cmd.Flags()
			p := &cometchat.UpdateRoleParams{Settings: r.settings(cmd)}
			if fs.Changed("name") {
				p.Name = &r.name
			}
			if fs.Changed("description") {
				p.Description = &r.description
			}
			if fs.Changed("metadata") {
				m, err := jsonObjectFlag("metadata", r.metadata)
				if err != nil {
					return err
				}
				p.Metadata = m
			}
			for _, u := range unset {
				p.Unset = append(p.Unset, cometchat.RoleField(u))
			}
			if p.Name == nil && p.Description == nil && p.Metadata == nil && p.Settings == nil && len(p.Unset) == 0 {
				return usagef("nothing to update: give at least one of --name, --description, --metadata, --list-users, --send-messages-to, --unset")
			}
			client, format, err := clientAndFormat(env, f)
			if err != nil {
				return err
			}
			role, err := client.Roles.Update(cmd.Context(), args[0], p)
			if err != nil {
				return err
			}
			return writeObject(env.Stdout, format, roleColumns, roleObject(role))
		},
	}
	r.add(cmd, false)
	cmd.Flags().StringSliceVar(&unset, "unset", nil, "fields to clear: description, metadata, settings")
	return cmd
}

func newRolesDeleteCmd(env *Env, f *apiFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "delete ROLE",
		Short: "Delete a role; its users get the default role",
		Args:  exactArgs("ROLE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			client, err := f.client(env)
			if err != nil {
				return err
			}
			if err := client.Roles.Delete(cmd.Context(), args[0]); err != nil {
				return err
			}
			fmt.Fprintf(env.Stderr, "deleted role %s\n", strings.ToLower(args[0]))
			return nil
		},
	}
}
