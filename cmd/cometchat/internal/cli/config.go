package cli

import (
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gocometchat/cometchat"
)

// The configuration variables, each also a flag.
const (
	envAppID   = "COMETCHAT_APP_ID"
	envRegion  = "COMETCHAT_REGION"
	envAPIKey  = "COMETCHAT_API_KEY"
	envBaseURL = "COMETCHAT_BASE_URL"
)

// apiFlags are the flags of every command that calls the API: where, as whom, and how to print.
type apiFlags struct {
	appID, region, apiKey, baseURL string
	output                         string
	debug                          bool
}

// addAPIFlags gives a command group the configuration and output flags, for all its subcommands. Their defaults
// are empty on purpose: a default read from the environment would show the API key in --help.
func addAPIFlags(cmd *cobra.Command, f *apiFlags) {
	pf := cmd.PersistentFlags()
	pf.StringVar(&f.appID, "app-id", "", "the app's id (default $"+envAppID+")")
	pf.StringVar(&f.region, "region", "", "the app's region: us, eu or in (default $"+envRegion+")")
	pf.StringVar(&f.apiKey, "api-key", "", "REST API key with fullAccess scope (default $"+envAPIKey+"; prefer the variable)")
	pf.StringVar(&f.baseURL, "base-url", "", "another address for the API, e.g. a proxy or 'cometchat fake' (default $"+envBaseURL+")")
	pf.StringVarP(&f.output, "output", "o", "", "output format: table, json, jsonl or csv (default: table on a terminal, json otherwise)")
	pf.BoolVar(&f.debug, "debug", false, "log each request attempt and retry to stderr (never keys or tokens)")
	_ = cmd.RegisterFlagCompletionFunc("output", cobra.FixedCompletions(formats, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("region", cobra.FixedCompletions([]string{"us", "eu", "in"}, cobra.ShellCompDirectiveNoFileComp))
}

// format is the output format asked for, or the default for where stdout goes.
func (f *apiFlags) format(env *Env) (string, error) {
	switch {
	case f.output == "" && env.StdoutTTY:
		return formatTable, nil
	case f.output == "":
		return formatJSON, nil
	case slices.Contains(formats, f.output):
		return f.output, nil
	}
	return "", usagef("-o must be one of %s, not %q", strings.Join(formats, ", "), f.output)
}

// setting is a configuration value from its flag, else its variable.
func setting(flag, variable string, env *Env) string {
	if flag != "" {
		return flag
	}
	return strings.TrimSpace(env.getenv(variable))
}

// configError is missing or invalid configuration: exit status 2, with what to set.
type configError struct{ msg string }

// Error says what to set or fix.
func (e *configError) Error() string { return e.msg }

// client builds the SDK client the flags and the environment describe. Nothing is sent.
func (f *apiFlags) client(env *Env) (*cometchat.Client, error) {
	appID := setting(f.appID, envAppID, env)
	region := setting(f.region, envRegion, env)
	key := setting(f.apiKey, envAPIKey, env)
	base := setting(f.baseURL, envBaseURL, env)
	var missing []string
	for _, s := range []struct{ value, name string }{{appID, envAppID}, {region, envRegion}, {key, envAPIKey}} {
		if s.value == "" {
			missing = append(missing, s.name)
		}
	}
	if len(missing) > 0 {
		return nil, &configError{fmt.Sprintf("not configured: set %s (or the flags --app-id, --region, --api-key).\n"+
			"  COMETCHAT_APP_ID, COMETCHAT_REGION and COMETCHAT_API_KEY name your app; COMETCHAT_BASE_URL optionally points\n"+
			"  at a proxy or at 'cometchat fake', which serves an in-memory CometChat and prints all four to export.",
			strings.Join(missing, ", "))}
	}
	opts := []cometchat.Option{cometchat.WithUserAgent("cometchat-cli/" + strings.Fields(version())[0])}
	if base != "" {
		opts = append(opts, cometchat.WithBaseURL(base))
	}
	if f.debug {
		opts = append(opts, cometchat.WithLogger(slog.New(slog.NewTextHandler(env.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	}
	opts = append(opts, env.ClientOptions...)
	c, err := cometchat.NewClient(appID, region, key, opts...)
	var ve *cometchat.ValidationError
	if errors.As(err, &ve) {
		name := map[string]string{"appID": envAppID + " (--app-id)", "region": envRegion + " (--region)",
			"apiKey": envAPIKey + " (--api-key)", "baseURL": envBaseURL + " (--base-url)"}[ve.Field]
		if name == "" {
			name = ve.Field
		}
		return nil, &configError{fmt.Sprintf("invalid %s: %s", name, ve.Reason)}
	}
	return c, err
}
