package cli

import (
	"context"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gocometchat/cometchat"
	"github.com/gocometchat/cometchat/cometchattest"
)

// apiCommands is one invocation of every command that calls the API, for tests that run them all.
var apiCommands = [][]string{
	{"users", "list"},
	{"users", "list", "--all"},
	{"users", "get", "ada"},
	{"users", "create", "--uid", "zed", "--name", "Zed"},
	{"users", "update", "ada", "--name", "Ada King"},
	{"users", "delete", "ada"},
	{"users", "deactivate", "ada", "grace"},
	{"users", "reactivate", "ada"},
	{"users", "export", "-o", "csv"},
	{"users", "import", "../../testdata/users.csv"},
	{"tokens", "create", "ada"},
	{"tokens", "list", "ada"},
	{"tokens", "get", "ada", "ada_1700000000aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
	{"tokens", "update", "ada", "ada_1700000000aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "--platform", "ios"},
	{"tokens", "delete", "ada", "ada_1700000000aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
	{"tokens", "flush", "ada"},
	{"roles", "list"},
	{"roles", "get", "default"},
	{"roles", "create", "mod", "--name", "Moderator"},
	{"roles", "update", "default", "--description", "Everyone"},
	{"roles", "delete", "mod"},
	{"friends", "add", "ada", "grace"},
	{"friends", "remove", "ada", "grace"},
	{"friends", "list", "ada"},
	{"blocked", "block", "ada", "grace"},
	{"blocked", "unblock", "ada", "grace"},
	{"blocked", "list", "ada"},
}

func TestNoConfigurationSaysWhatToSet(t *testing.T) {
	for _, args := range apiCommands {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			res := run(t, nil, args...)
			assert.Equal(t, ExitUsage, res.code)
			assert.Empty(t, res.stdout)
			for _, want := range []string{"not configured", envAppID, envRegion, envAPIKey, envBaseURL, "cometchat fake"} {
				assert.Contains(t, res.stderr, want)
			}
		})
	}
	// Partial configuration names what is missing.
	res := run(t, map[string]string{envAppID: "app"}, "users", "list")
	assert.Equal(t, ExitUsage, res.code)
	assert.Contains(t, res.stderr, "set COMETCHAT_REGION, COMETCHAT_API_KEY")
	// Flags configure as the variables do.
	srv := newFake(t)
	res = run(t, nil, "users", "list", "--app-id", srv.AppID(), "--region", srv.Region(), "--api-key", srv.APIKey(), "--base-url", srv.URL())
	assert.Equal(t, ExitOK, res.code, res.stderr)
	assert.Equal(t, "[]\n", res.stdout)
	// An invalid value names its variable.
	res = run(t, with(fakeEnv(srv), envBaseURL, "http://example.com/v3"), "users", "list")
	assert.Equal(t, ExitUsage, res.code)
	assert.Contains(t, res.stderr, "invalid COMETCHAT_BASE_URL (--base-url): plain http is allowed only for loopback hosts")
}

func TestNeedsNoConfiguration(t *testing.T) {
	for _, args := range [][]string{
		{"--help"}, {}, {"--version"}, {"users", "--help"}, {"users"}, {"fake", "--help"},
		{"users", "import", "--dry-run", "../../testdata/users.csv", "--progress", "none"},
		{"users", "generate", "3"}, {"completion", "bash"},
	} {
		res := run(t, nil, args...)
		want := ExitOK
		if len(args) > 1 && args[1] == "import" {
			want = ExitAPI // the sample has two invalid rows on purpose
		}
		assert.Equal(t, want, res.code, "%v: %s", args, res.stderr)
		assert.NotContains(t, res.stderr, "not configured", "%v", args)
	}
}

func TestHelpTellsANewcomerWhatTheyNeed(t *testing.T) {
	res := run(t, nil, "--help")
	require.Equal(t, ExitOK, res.code)
	for _, want := range []string{envAppID, envRegion, envAPIKey, envBaseURL, "cometchat fake", "Exit status", "-o"} {
		assert.Contains(t, res.stdout, want)
	}
	res = run(t, nil, "fake", "--help")
	require.Equal(t, ExitOK, res.code, "fake --help is a success")
	assert.Contains(t, res.stdout, "export COMETCHAT_BASE_URL=http://127.0.0.1:8080/v3")
	assert.Contains(t, res.stdout, "COMETCHAT_BASE_URL is what points")
	for _, args := range [][]string{{"users", "--help"}, {"tokens", "--help"}, {"roles", "--help"}, {"friends", "--help"}, {"blocked", "--help"}} {
		res := run(t, nil, args...)
		assert.Equal(t, ExitOK, res.code)
		assert.Contains(t, res.stdout, envBaseURL, "%v", args)
		assert.Contains(t, res.stdout, "cometchat fake", "%v", args)
	}
	res = run(t, nil, "users", "import", "--help")
	for _, want := range []string{"--resume", "--retry-from", "--dry-run", "Exit status", "uid,name,avatar", envBaseURL, "cometchat fake"} {
		assert.Contains(t, res.stdout, want)
	}
}

func TestUsageErrorsExitTwo(t *testing.T) {
	srv := newFake(t)
	env := fakeEnv(srv)
	for _, tt := range []struct {
		args []string
		err  string
	}{
		{[]string{"nope"}, `unknown command "nope"`},
		{[]string{"users", "nope"}, `unknown command "nope" for "cometchat users"`},
		{[]string{"users", "list", "--nope"}, "unknown flag: --nope"},
		{[]string{"users", "get"}, "takes UID"},
		{[]string{"users", "get", "a", "b"}, "takes UID"},
		{[]string{"users", "list", "-o", "yaml"}, "-o must be one of table, json, jsonl, csv"},
		{[]string{"users", "list", "--page", "2", "--all"}, "if any flags in the group"},
		{[]string{"users", "create", "--uid", "x"}, `required flag(s) "name" not set`},
		{[]string{"users", "create", "--uid", "x", "--name", "X", "--metadata", "[1]"}, "--metadata must be a JSON object"},
		{[]string{"users", "update", "ada"}, "nothing to update"},
		{[]string{"users", "get", "no/slash"}, "cometchat: invalid uid"}, // the SDK's validation: nothing sent
		{[]string{"users", "list", "--per-page", "5000"}, "invalid perPage"},
		{[]string{"users", "import", "--strategy", "fast", "x.csv"}, "--strategy must be import or create"},
		{[]string{"users", "import", "--workers", "4", "../../testdata/users.csv"}, "apply only to --strategy create"},
		{[]string{"users", "import", "a.csv", "b.csv"}, "at most one FILE"},
		{[]string{"users", "import"}, "an input file is required"},
		{[]string{"users", "import", "--progress", "fancy", "x.csv"}, "--progress must be"},
		{[]string{"users", "generate", "many"}, "N must be a number"},
		{[]string{"tokens", "update", "ada", "tok"}, "nothing to update"},
		{[]string{"fake", "--app-id", "bad id"}, "WithAppID"},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			res := run(t, env, tt.args...)
			assert.Equal(t, ExitUsage, res.code, res.stderr)
			assert.Contains(t, res.stderr, tt.err)
			assert.Empty(t, res.stdout)
			assert.Equal(t, 0, srv.RequestCount(), "nothing sent")
		})
	}
	res := run(t, env, "users", "list", "--nope")
	assert.Contains(t, res.stderr, "Run 'cometchat users list --help' for usage.")
}

func TestAPIRefusalsExitOne(t *testing.T) {
	srv := newFake(t, cometchattest.WithUserLimit(2))
	env := fakeEnv(srv)
	seed(t, srv, 2)
	for _, tt := range []struct {
		args []string
		err  string
	}{
		{[]string{"users", "get", "nobody"}, "cometchat: 404 ERR_UID_NOT_FOUND: The UID nobody does not exist"},
		{[]string{"users", "create", "--uid", "u1", "--name", "Again"}, "400 ERR_UID_ALREADY_EXISTS"},
		{[]string{"users", "create", "--uid", "u3", "--name", "Three"}, "402 ERR_PLAN_QUOTA_RESTRICTION: You've exhausted the quota"},
		{[]string{"users", "create", "--uid", "u3", "--name", "Three", "--role", "nope"}, "ERR_ROLE_NOT_FOUND"},
		{[]string{"tokens", "get", "u1", "u1_1700000000aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}, "ERR_AUTH_TOKEN_NOT_FOUND"},
		{[]string{"roles", "delete", "default"}, "ERR_ROLE_DELETE_DENIED"},
		{[]string{"friends", "remove", "u1", "u2"}, "ERR_NOT_A_FRIEND"},
		{[]string{"users", "deactivate", "u1", "ghost"}, "not found: ghost"},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			res := run(t, env, tt.args...)
			assert.Equal(t, ExitAPI, res.code, res.stderr)
			assert.Contains(t, res.stderr, tt.err)
		})
	}
	// Per-field details of a rejected body are shown.
	srv.InjectFault(cometchattest.Fault{Method: http.MethodPost, Path: "/users", Status: http.StatusBadRequest,
		Body: `{"error":{"code":"ERR_BAD_REQUEST","message":"Failed to validate the data sent with the request.","details":{"name":["The name field is required."]}}}`})
	res := run(t, env, "users", "create", "--uid", "x", "--name", "X")
	assert.Equal(t, ExitAPI, res.code)
	assert.Contains(t, res.stderr, "400 ERR_BAD_REQUEST: Failed to validate the data sent with the request.\n  name: The name field is required.")
}

func TestNetworkFailureExitsTwo(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close()) // nothing listens there now
	srv := newFake(t)
	res := runEnv(t, context.Background(), func(e *Env) {
		e.ClientOptions = append(e.ClientOptions, cometchat.WithMaxRetries(0))
	}, with(fakeEnv(srv), envBaseURL, "http://"+addr+"/v3"), "users", "get", "ada")
	assert.Equal(t, ExitUsage, res.code)
	assert.Contains(t, res.stderr, "cometchat: GET /users/ada")
}

func TestInterruptedExitsTwo(t *testing.T) {
	srv := newFake(t)
	srv.InjectFault(cometchattest.Fault{Path: "/users", Delay: time.Minute})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res := runEnv(t, ctx, func(*Env) {}, fakeEnv(srv), "users", "list")
	assert.Equal(t, ExitUsage, res.code)
	assert.Contains(t, res.stderr, "interrupted")
}

func TestUsersLifecycle(t *testing.T) {
	srv := newFake(t, cometchattest.WithRoles("admin"))
	env := fakeEnv(srv)

	res := run(t, env, "users", "create", "--uid", "Ada", "--name", "Ada Lovelace", "--tags", "engineer,founder",
		"--avatar", "https://example.com/ada.png", "--role", "admin", "--status-message", "Counting",
		"--metadata", `{"@private":{"email":"ada@example.com"},"n":1}`)
	require.Equal(t, ExitOK, res.code, res.stderr)
	u := decodeJSON[map[string]any](t, res.stdout)
	assert.Equal(t, "ada", u["uid"])
	assert.Equal(t, []any{"engineer", "founder"}, u["tags"])
	assert.Equal(t, map[string]any{"@private": map[string]any{"email": "ada@example.com"}, "n": float64(1)}, u["metadata"])
	assert.NotContains(t, u, "authToken")
	assert.IsType(t, float64(0), u["createdAt"], "Unix seconds, as the API")

	res = run(t, env, "users", "update", "ada", "--name", "Ada King", "--unset", "avatar", "--tags", "")
	require.Equal(t, ExitOK, res.code, res.stderr)
	u = decodeJSON[map[string]any](t, res.stdout)
	assert.Equal(t, "Ada King", u["name"])
	assert.NotContains(t, u, "avatar")
	stored, _ := srv.User("ada")
	assert.Empty(t, stored.Tags, `--tags "" removes every tag`)
	assert.Equal(t, "Counting", stored.StatusMessage, "fields not given are left alone")

	res = run(t, env, "users", "get", "ada", "-o", "jsonl")
	require.Equal(t, ExitOK, res.code)
	assert.Equal(t, 1, strings.Count(res.stdout, "\n"))

	res = run(t, env, "users", "deactivate", "ada", "ada")
	require.Equal(t, ExitOK, res.code, res.stderr)
	assert.JSONEq(t, `{"deactivatedUids":["ada"],"alreadyDeactivatedUids":[],"notFound":[]}`, res.stdout)
	res = run(t, env, "users", "deactivate", "ada", "-o", "csv")
	assert.Equal(t, "uid,result,code,message\nada,already deactivated,,\n", res.stdout)
	res = run(t, env, "users", "reactivate", "ada", "nobody")
	assert.Equal(t, ExitAPI, res.code)
	assert.JSONEq(t, `{"reactivatedUids":["ada"],"nonDeactivatedUids":[],"notFound":["nobody"]}`, res.stdout)
	assert.Contains(t, res.stderr, "not found: nobody")

	res = run(t, env, "users", "delete", "ada")
	require.Equal(t, ExitOK, res.code)
	assert.Empty(t, res.stdout)
	assert.Contains(t, res.stderr, "deactivated user ada")
	res = run(t, env, "users", "delete", "ada", "--permanent")
	require.Equal(t, ExitOK, res.code, res.stderr)
	_, ok := srv.User("ada")
	assert.False(t, ok)

	res = run(t, env, "users", "create", "--uid", "grace", "--name", "Grace", "--with-auth-token", "-o", "json")
	require.Equal(t, ExitOK, res.code)
	u = decodeJSON[map[string]any](t, res.stdout)
	assert.Equal(t, srv.Tokens("grace")[0], u["authToken"], "minting is the point: the token is printed")
}

func TestListPagesAndFilters(t *testing.T) {
	srv := newFake(t)
	env := fakeEnv(srv)
	seed(t, srv, 25)
	srv.SetUserStatus("u3", cometchat.StatusAvailable)

	res := run(t, env, "users", "list", "--per-page", "10")
	require.Equal(t, ExitOK, res.code, res.stderr)
	assert.Len(t, decodeJSON[[]map[string]any](t, res.stdout), 10)
	assert.Empty(t, res.stderr, "no hint outside a table")

	res = runEnv(t, context.Background(), func(e *Env) { e.StdoutTTY = true }, env, "users", "list", "--per-page", "10", "--page", "2")
	require.Equal(t, ExitOK, res.code)
	assert.Regexp(t, `^UID\s+NAME\s+ROLE\s+TAGS\s+STATUS\s+CREATED\s+LAST ACTIVE\n`, res.stdout, "a table on a terminal")
	assert.Contains(t, res.stdout, "u15  ")
	assert.Contains(t, res.stderr, "page 2 of 3 (25 in all): --page 3 for the next, --all for every page")

	res = run(t, env, "users", "list", "--status", "available")
	assert.Equal(t, []map[string]any{{"uid": "u3", "name": "User 3", "role": "default", "status": "available", "createdAt": float64(1704067203)}},
		decodeJSON[[]map[string]any](t, res.stdout))
	res = run(t, env, "users", "list", "--search", "u2", "-o", "jsonl")
	assert.Equal(t, 7, strings.Count(res.stdout, "\n"), "u2 and u20..u25")

	// --all: every page, progress on stderr, never in the data.
	res = runEnv(t, context.Background(), func(e *Env) { e.ProgressInterval = time.Nanosecond }, env,
		"users", "list", "--all", "--per-page", "4", "-o", "csv")
	require.Equal(t, ExitOK, res.code, res.stderr)
	rows := readCSV(t, res.stdout)
	assert.Len(t, rows, 26)
	assert.Equal(t, "uid", rows[0][0])
	assert.Contains(t, res.stderr, "listing: 0/25 users (0%)")
	assert.Contains(t, res.stderr, "listing: 25/25 users (100%)")
	assert.NotContains(t, res.stdout, "listing")

	res = run(t, env, "users", "list", "--all", "--progress", "none")
	assert.Len(t, decodeJSON[[]map[string]any](t, res.stdout), 25)
	assert.Empty(t, res.stderr)

	res = run(t, env, "users", "list", "--search", "zzz", "-o", "table")
	assert.Empty(t, res.stdout)
	assert.Equal(t, "no users\n", res.stderr)

	// Deactivated users, search fields, and a viewer's fields.
	require.Equal(t, ExitOK, run(t, env, "users", "deactivate", "u1", "u2").code)
	res = run(t, env, "users", "list", "--only-deactivated", "-o", "jsonl")
	assert.Equal(t, 2, strings.Count(res.stdout, "\n"))
	assert.Contains(t, res.stdout, `"deactivatedAt":`)
	res = run(t, env, "users", "list", "--with-deactivated", "--all", "--progress", "none")
	assert.Len(t, decodeJSON[[]map[string]any](t, res.stdout), 25)
	res = run(t, env, "users", "export", "--with-deactivated", "-o", "jsonl", "--progress", "none")
	assert.Equal(t, 25, strings.Count(res.stdout, "\n"))
	res = run(t, env, "users", "list", "--search", "user 1", "--search-in", "name", "-o", "jsonl")
	assert.Equal(t, 10, strings.Count(res.stdout, "\n"), "User 1, User 10..19, less the deactivated u1")
	require.NoError(t, srv.AddBlocks("u5", "u6"))
	res = run(t, env, "users", "get", "u6", "--on-behalf-of", "u5")
	v := decodeJSON[map[string]any](t, res.stdout)
	assert.Equal(t, "u5_user_u6", v["conversationId"])
	assert.Equal(t, true, v["blockedByMe"])
	res = run(t, env, "users", "list", "--search", "u6", "--on-behalf-of", "u5", "-o", "csv")
	assert.Contains(t, res.stdout, "u6,User 6")
	res = run(t, env, "users", "list", "--on-behalf-of", "ghost")
	assert.Equal(t, ExitAPI, res.code)
}

func TestOutputFormats(t *testing.T) {
	srv := newFake(t)
	env := fakeEnv(srv)
	require.NoError(t, srv.AddUsers(
		&cometchat.User{UID: "ada", Name: "Ada, Countess", Tags: []string{"a", "b"}, Metadata: map[string]any{"k": "v&w"},
			CreatedAt: time.Unix(1467331200, 0)},
		&cometchat.User{UID: "bob", Name: `Bob "B"`, Avatar: "https://example.com/b.png?x=1&y=2", CreatedAt: time.Unix(1467331100, 0)},
	))
	for _, tt := range []struct {
		format string
		tty    bool
		get    string // users get ada
		list   string // users list
	}{
		{"json", false,
			"{\n  \"uid\": \"ada\",\n  \"name\": \"Ada, Countess\",\n  \"role\": \"default\",\n  \"metadata\": {\n    \"k\": \"v&w\"\n  },\n  \"status\": \"offline\",\n  \"tags\": [\n    \"a\",\n    \"b\"\n  ],\n  \"createdAt\": 1467331200\n}\n",
			"[\n  {\n    \"uid\": \"ada\",\n    \"name\": \"Ada, Countess\",\n    \"role\": \"default\",\n    \"metadata\": {\n      \"k\": \"v&w\"\n    },\n    \"status\": \"offline\",\n    \"tags\": [\n      \"a\",\n      \"b\"\n    ],\n    \"createdAt\": 1467331200\n  },\n  {\n    \"uid\": \"bob\",\n    \"name\": \"Bob \\\"B\\\"\",\n    \"avatar\": \"https://example.com/b.png?x=1&y=2\",\n    \"role\": \"default\",\n    \"status\": \"offline\",\n    \"createdAt\": 1467331100\n  }\n]\n"},
		{"jsonl", false,
			`{"uid":"ada","name":"Ada, Countess","role":"default","metadata":{"k":"v&w"},"status":"offline","tags":["a","b"],"createdAt":1467331200}` + "\n",
			`{"uid":"ada","name":"Ada, Countess","role":"default","metadata":{"k":"v&w"},"status":"offline","tags":["a","b"],"createdAt":1467331200}` + "\n" +
				`{"uid":"bob","name":"Bob \"B\"","avatar":"https://example.com/b.png?x=1&y=2","role":"default","status":"offline","createdAt":1467331100}` + "\n"},
		{"csv", false,
			"uid,name,avatar,link,role,statusMessage,metadata,tags,status,createdAt,updatedAt,lastActiveAt,deactivatedAt\n" +
				`ada,"Ada, Countess",,,default,,"{""k"":""v&w""}",a|b,offline,1467331200,,,` + "\n",
			"uid,name,avatar,link,role,statusMessage,metadata,tags,status,createdAt,updatedAt,lastActiveAt,deactivatedAt\n" +
				`ada,"Ada, Countess",,,default,,"{""k"":""v&w""}",a|b,offline,1467331200,,,` + "\n" +
				`bob,"Bob ""B""",https://example.com/b.png?x=1&y=2,,default,,,,offline,1467331100,,,` + "\n"},
		{"table", false,
			"uid        ada\nname       Ada, Countess\nrole       default\nmetadata   {\"k\":\"v&w\"}\nstatus     offline\ntags       a,b\ncreatedAt  2016-07-01 00:00:00Z\n",
			"UID  NAME           ROLE     TAGS  STATUS   CREATED               LAST ACTIVE\n" +
				"ada  Ada, Countess  default  a,b   offline  2016-07-01 00:00:00Z  \n" +
				"bob  Bob \"B\"        default        offline  2016-06-30 23:58:20Z  \n"},
		{"", true, // the default on a terminal: a table
			"uid        ada\nname       Ada, Countess\nrole       default\nmetadata   {\"k\":\"v&w\"}\nstatus     offline\ntags       a,b\ncreatedAt  2016-07-01 00:00:00Z\n", ""},
		{"", false, // the default for scripts: JSON
			"{\n  \"uid\": \"ada\",\n  \"name\": \"Ada, Countess\",\n  \"role\": \"default\",\n  \"metadata\": {\n    \"k\": \"v&w\"\n  },\n  \"status\": \"offline\",\n  \"tags\": [\n    \"a\",\n    \"b\"\n  ],\n  \"createdAt\": 1467331200\n}\n", ""},
	} {
		t.Run(tt.format+map[bool]string{true: " tty"}[tt.tty], func(t *testing.T) {
			args := []string{"users", "get", "ada"}
			if tt.format != "" {
				args = append(args, "-o", tt.format)
			}
			res := runEnv(t, context.Background(), func(e *Env) { e.StdoutTTY = tt.tty }, env, args...)
			require.Equal(t, ExitOK, res.code, res.stderr)
			assert.Equal(t, tt.get, res.stdout)
			if tt.list == "" {
				return
			}
			res = run(t, env, "users", "list", "-o", tt.format)
			require.Equal(t, ExitOK, res.code, res.stderr)
			assert.Equal(t, tt.list, res.stdout)
		})
	}
	// Empty lists: an empty array, a header alone, nothing.
	res := run(t, env, "users", "list", "--search", "none", "-o", "json")
	assert.Equal(t, "[]\n", res.stdout)
	res = run(t, env, "users", "list", "--search", "none", "-o", "csv")
	assert.Equal(t, "uid,name,avatar,link,role,statusMessage,metadata,tags,status,createdAt,updatedAt,lastActiveAt,deactivatedAt\n", res.stdout)
	res = run(t, env, "users", "list", "--search", "none", "-o", "jsonl")
	assert.Empty(t, res.stdout)
}

func TestTokens(t *testing.T) {
	srv := newFake(t)
	env := fakeEnv(srv)
	seed(t, srv, 1)

	res := run(t, env, "tokens", "create", "u1")
	require.Equal(t, ExitOK, res.code, res.stderr)
	tok := decodeJSON[map[string]any](t, res.stdout)["authToken"].(string)
	assert.Equal(t, srv.Tokens("u1"), []string{tok}, "tokens create prints the token it mints")

	res = run(t, env, "tokens", "create", "u1", "--force", "-o", "table")
	require.Equal(t, ExitOK, res.code)
	tokens := srv.Tokens("u1")
	require.Len(t, tokens, 2)
	minted := tokens[0]
	if minted == tok {
		minted = tokens[1]
	}
	assert.Regexp(t, `authToken\s+`+minted+"\n", res.stdout)

	for _, args := range [][]string{{"tokens", "list", "u1"}, {"tokens", "list", "u1", "--all", "-o", "csv"},
		{"tokens", "get", "u1", tokens[0]}, {"tokens", "update", "u1", tokens[0], "--platform", "ios", "--app-info", `{"v":"5"}`}} {
		res := run(t, env, args...)
		require.Equal(t, ExitOK, res.code, "%v: %s", args, res.stderr)
		for _, tok := range tokens {
			assert.NotContains(t, res.stdout, tok, "%v shows tokens redacted", args)
		}
		assert.Contains(t, res.stdout, "…[redacted]")
		assert.Contains(t, res.stdout, tokens[0][:len("u1_")+4])
		res = run(t, env, append(args, "--reveal")...)
		require.Equal(t, ExitOK, res.code)
		assert.Contains(t, res.stdout, tokens[0], "%v --reveal shows them", args)
	}
	res = run(t, env, "tokens", "get", "u1", tokens[0])
	assert.Equal(t, "ios", decodeJSON[map[string]any](t, res.stdout)["platform"])

	res = run(t, env, "tokens", "delete", "u1", tokens[0])
	require.Equal(t, ExitOK, res.code)
	assert.Equal(t, []string{tokens[1]}, srv.Tokens("u1"))
	assert.NotContains(t, res.stderr, tokens[0])
	res = run(t, env, "tokens", "flush", "u1")
	require.Equal(t, ExitOK, res.code)
	assert.Empty(t, srv.Tokens("u1"))
	assert.Contains(t, res.stderr, "revoked every auth token of u1")
}

func TestRoles(t *testing.T) {
	srv := newFake(t)
	env := fakeEnv(srv)
	res := run(t, env, "roles", "create", "Mod", "--name", "Moderator", "--description", "keeps order",
		"--list-users", "all", "--send-messages-to", "friendsOnly", "--metadata", `{"level":2}`)
	require.Equal(t, ExitOK, res.code, res.stderr)
	r := decodeJSON[map[string]any](t, res.stdout)
	assert.Equal(t, "mod", r["role"])
	assert.Equal(t, map[string]any{"listUsers": "all", "sendMessagesTo": "friendsOnly"}, r["settings"])

	res = run(t, env, "roles", "update", "mod", "--unset", "description", "--name", "Mods")
	require.Equal(t, ExitOK, res.code, res.stderr)
	r = decodeJSON[map[string]any](t, res.stdout)
	assert.Equal(t, "Mods", r["name"])
	assert.NotContains(t, r, "description")

	res = run(t, env, "roles", "list", "-o", "csv")
	rows := readCSV(t, res.stdout)
	require.Len(t, rows, 3)
	res = run(t, env, "roles", "list", "--all", "--per-page", "1", "-o", "jsonl", "--progress", "none")
	assert.Equal(t, 2, strings.Count(res.stdout, "\n"), "every page")
	res = run(t, env, "roles", "create", "extra", "--name", "Extra")
	require.Equal(t, ExitOK, res.code)
	res = run(t, env, "roles", "list", "-o", "csv")
	rows = readCSV(t, res.stdout)
	require.Len(t, rows, 4)
	assert.Equal(t, []string{"role", "name", "description", "metadata", "settings", "createdAt", "updatedAt"}, rows[0])
	assert.Equal(t, "default", rows[1][0])
	res = run(t, env, "roles", "get", "mod", "-o", "table")
	assert.Contains(t, res.stdout, `settings   {"listUsers":"all","sendMessagesTo":"friendsOnly"}`)

	res = run(t, env, "roles", "delete", "mod")
	require.Equal(t, ExitOK, res.code)
	assert.Equal(t, []string{"default", "extra"}, srv.Roles())
	res = run(t, env, "roles", "get", "mod")
	assert.Equal(t, ExitAPI, res.code)
	assert.Contains(t, res.stderr, "ERR_ROLE_NOT_FOUND")
}

func TestFriendsAndBlocks(t *testing.T) {
	srv := newFake(t)
	env := fakeEnv(srv)
	seed(t, srv, 4)

	res := run(t, env, "friends", "add", "u1", "u2", "U3")
	require.Equal(t, ExitOK, res.code, res.stderr)
	assert.JSONEq(t, `{"u2":{"success":true,"result":"added"},"u3":{"success":true,"result":"added"}}`, res.stdout)
	assert.Equal(t, []string{"u2", "u3"}, sortedStrings(srv.Friends("u1")))

	res = run(t, env, "friends", "add", "u1", "u2", "u4", "ghost", "-o", "csv")
	assert.Equal(t, ExitAPI, res.code)
	rows := readCSV(t, res.stdout)
	assert.Equal(t, []string{"uid", "result", "code", "message"}, rows[0])
	assert.Equal(t, []string{"u2", "failed", "ERR_ALREADY_FRIEND"}, rows[1][:3])
	assert.Equal(t, []string{"u4", "added", "", ""}, rows[2])
	assert.Equal(t, "ERR_UID_NOT_FOUND", rows[3][2])
	assert.Contains(t, res.stderr, "2 of 3 failed: ghost (ERR_UID_NOT_FOUND), u2 (ERR_ALREADY_FRIEND)")

	res = run(t, env, "friends", "list", "u1", "-o", "jsonl")
	require.Equal(t, ExitOK, res.code)
	assert.Equal(t, 3, strings.Count(res.stdout, "\n"))
	assert.Contains(t, res.stdout, `"conversationId":"u1_user_u2"`)
	res = run(t, env, "friends", "list", "u1", "--search", "u4", "--all", "-o", "jsonl")
	assert.Equal(t, 1, strings.Count(res.stdout, "\n"))
	res = run(t, env, "friends", "remove", "u1", "u2")
	require.Equal(t, ExitOK, res.code, res.stderr)
	assert.Equal(t, []string{"u3", "u4"}, sortedStrings(srv.Friends("u1")))

	res = run(t, env, "blocked", "block", "u1", "u2", "u3")
	require.Equal(t, ExitOK, res.code, res.stderr)
	res = run(t, env, "blocked", "list", "u1", "--all")
	require.Equal(t, ExitOK, res.code, res.stderr)
	list := decodeJSON[[]map[string]any](t, res.stdout)
	require.Len(t, list, 2)
	assert.Equal(t, true, list[0]["blockedByMe"])
	res = run(t, env, "blocked", "unblock", "u1", "u2", "-o", "table")
	require.Equal(t, ExitOK, res.code)
	assert.Equal(t, "UID  RESULT\nu2   unblocked\n", res.stdout, "no code or message columns without a failure")
	assert.Equal(t, []string{"u3"}, srv.Blocked("u1"))
	res = run(t, env, "blocked", "block", "u1", "u1")
	assert.Equal(t, ExitUsage, res.code, "the SDK refuses blocking oneself before sending")
}

func sortedStrings(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestCompletion(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		res := run(t, nil, "completion", shell)
		assert.Equal(t, ExitOK, res.code, shell)
		assert.Contains(t, res.stdout, "cometchat", shell)
	}
	res := run(t, nil, "completion", "tcsh")
	assert.Equal(t, ExitUsage, res.code)
	// Flag values complete too.
	res = run(t, nil, "__complete", "users", "list", "-o", "")
	assert.Contains(t, res.stdout, "jsonl")
}

func TestFake(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan string, 1)
	done := make(chan result, 1)
	env, stdout, stderr := testEnv(nil, "fake", "--addr", "127.0.0.1:0", "--app-id", "demo", "--user-limit", "1", "--roles", "Admin")
	env.OnFakeReady = func(url string) { ready <- url }
	go func() {
		code := Run(ctx, env)
		done <- result{code, stdout.String(), stderr.String()}
	}()
	var url string
	select {
	case url = <-ready:
	case <-time.After(10 * time.Second):
		t.Fatal("the fake did not start")
	}
	// The exports on stdout, as lines a shell can source.
	vars := map[string]string{}
	for _, m := range regexp.MustCompile(`(COMETCHAT_[A-Z_]+)=(\S+)`).FindAllStringSubmatch(stdout.String(), -1) {
		vars[m[1]] = m[2]
	}
	assert.Equal(t, url, vars[envBaseURL])
	assert.Equal(t, "demo", vars[envAppID])
	require.Len(t, vars, 4)
	assert.Regexp(t, `^export COMETCHAT_BASE_URL=\S+\nexport COMETCHAT_APP_ID=demo COMETCHAT_REGION=us COMETCHAT_API_KEY=\S+\n$`, stdout.String())

	res := run(t, vars, "users", "create", "--uid", "ada", "--name", "Ada", "--role", "admin")
	assert.Equal(t, ExitOK, res.code, res.stderr)
	res = run(t, vars, "users", "create", "--uid", "bob", "--name", "Bob")
	assert.Equal(t, ExitAPI, res.code, "--user-limit 1")

	cancel()
	select {
	case res := <-done:
		assert.Equal(t, ExitOK, res.code, res.stderr)
		assert.Contains(t, res.stderr, "until Ctrl-C")
	case <-time.After(10 * time.Second):
		t.Fatal("the fake did not stop")
	}
	// It never takes its key from the environment, so it cannot print a real one.
	res = runEnv(t, ctx, func(*Env) {}, map[string]string{envAPIKey: "real-secret-key"}, "fake", "--addr", "127.0.0.1:0")
	assert.NotContains(t, res.stdout+res.stderr, "real-secret-key")
	res = run(t, nil, "fake", "--addr", "not an address")
	assert.Equal(t, ExitUsage, res.code)
}
