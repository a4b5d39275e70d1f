package cli

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gocometchat/cometchat/cometchattest"
)

// TestAPIKeyNeverPrinted runs every command with a wrong key, which the fake (as CometChat) echoes in its 401
// message, and with the right one, with --debug: the key never reaches stdout or stderr.
func TestAPIKeyNeverPrinted(t *testing.T) {
	const wrong = "wrong-KEY-0123456789abcdef"
	srv := newFake(t, cometchattest.WithAPIKey("right-KEY-fedcba9876543210"))
	seed(t, srv, 3)
	for _, args := range apiCommands {
		t.Run("wrong key "+strings.Join(args, " "), func(t *testing.T) {
			for _, extra := range [][]string{nil, {"--debug"}, {"-o", "table"}, {"-o", "csv"}} {
				res := run(t, with(fakeEnv(srv), envAPIKey, wrong), append(append([]string{}, args...), extra...)...)
				assert.Equal(t, ExitAPI, res.code, "%v: %s", extra, res.stderr)
				assert.Contains(t, res.stderr, "AUTH_ERR_APIKEY_NOT_FOUND")
				assert.NotContains(t, res.stdout+res.stderr, wrong)
				assert.NotContains(t, res.stdout+res.stderr, "wrong-KEY")
			}
			// As a flag too.
			res := run(t, with(fakeEnv(srv), envAPIKey, ""), append(append([]string{}, args...), "--api-key", wrong)...)
			assert.Equal(t, ExitAPI, res.code, res.stderr)
			assert.NotContains(t, res.stdout+res.stderr, wrong)
		})
	}
	for _, args := range apiCommands {
		t.Run("right key "+strings.Join(args, " "), func(t *testing.T) {
			res := run(t, fakeEnv(srv), append(append([]string{}, args...), "--debug")...)
			assert.NotContains(t, res.stdout+res.stderr, srv.APIKey(), "exit %d", res.code)
			assert.Contains(t, res.stderr, "level=", "--debug logs the attempts")
		})
	}
	// Errors of any kind: a server that echoes the key in a 500's body, and an import stopped by it.
	srv.InjectFault(cometchattest.Fault{Status: http.StatusInternalServerError, Times: 100,
		Body: `{"error":{"code":"ERR_MISSION_FAILED","message":"failed with key ` + srv.APIKey() + `"}}`})
	for _, args := range [][]string{{"users", "get", "u1"}, {"users", "list", "--all"}, {"users", "export", "-o", "csv"},
		{"users", "import", "--report", filepath.Join(t.TempDir(), "r.jsonl"), "../../testdata/users.csv"}} {
		res := run(t, fakeEnv(srv), args...)
		assert.NotEqual(t, ExitOK, res.code)
		assert.NotContains(t, res.stdout+res.stderr, srv.APIKey(), "%v", args)
	}
}

// TestImportStoppedByWrongKey: the import stops at the first 401 (every request would fail), exits 1 with the
// code, says how to continue, and prints no key.
func TestImportStoppedByWrongKey(t *testing.T) {
	const wrong = "wrong-KEY-0123456789abcdef"
	srv := newFake(t)
	report := filepath.Join(t.TempDir(), "r.jsonl")
	path := writeFile(t, "in.csv", csvUsers(120))
	for _, strategy := range []string{"import", "create"} {
		res := runEnv(t, context.Background(), func(*Env) {}, with(fakeEnv(srv), envAPIKey, wrong),
			"users", "import", "--strategy", strategy, "--report", report+strategy, path, "-o", "table")
		assert.Equal(t, ExitAPI, res.code, res.stderr)
		assert.Contains(t, res.stderr, "401 AUTH_ERR_APIKEY_NOT_FOUND")
		assert.Contains(t, res.stderr, "continue with: cometchat users import --resume "+report+strategy)
		assert.Contains(t, res.stdout, "import summary (stopped):")
		assert.Regexp(t, `not yet sent\s+120\n`, res.stdout)
		assert.NotContains(t, res.stdout+res.stderr, wrong)
		require.Empty(t, srv.Users())

		res = run(t, fakeEnv(srv), "users", "import", "--resume", report+strategy, "-o", "table")
		assert.Equal(t, ExitOK, res.code, res.stderr)
		assert.Regexp(t, `imported\s+120\n`, res.stdout)
		require.NoError(t, clearUsers(srv))
	}
}

func clearUsers(srv *cometchattest.Server) error {
	srv.Reset()
	return nil
}
