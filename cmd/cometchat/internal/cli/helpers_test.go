package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gocometchat/cometchat"
	"github.com/gocometchat/cometchat/cometchattest"
)

// result is what one run of the command line did.
type result struct {
	code           int
	stdout, stderr string
}

// syncBuffer is a bytes.Buffer safe to write from several goroutines (progress draws from its own) and to read
// while a run goes on.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// fastRetries makes the client's retries wait 1–10 ms, as cometchattest's own clients do.
var fastRetries = []cometchat.Option{cometchat.WithRetryWait(time.Millisecond, 10*time.Millisecond)}

// testEnv is an Env reading vars, with buffers for its output and fast retries.
func testEnv(vars map[string]string, args ...string) (Env, *syncBuffer, *syncBuffer) {
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	return Env{
		Args:          args,
		Getenv:        func(k string) string { return vars[k] },
		Stdin:         strings.NewReader(""),
		Stdout:        stdout,
		Stderr:        stderr,
		ClientOptions: fastRetries,
		ProgressTick:  time.Millisecond,
	}, stdout, stderr
}

// run runs the command line with args against the environment vars (nil: no COMETCHAT_* at all).
func run(t *testing.T, vars map[string]string, args ...string) result {
	t.Helper()
	return runEnv(t, context.Background(), func(*Env) {}, vars, args...)
}

// runEnv is run with a context and a chance to adjust the Env.
func runEnv(t *testing.T, ctx context.Context, adjust func(*Env), vars map[string]string, args ...string) result {
	t.Helper()
	env, stdout, stderr := testEnv(vars, args...)
	adjust(&env)
	code := Run(ctx, env)
	return result{code, stdout.String(), stderr.String()}
}

// fakeEnv points the command line at srv.
func fakeEnv(srv *cometchattest.Server) map[string]string {
	return map[string]string{
		envAppID: srv.AppID(), envRegion: srv.Region(), envAPIKey: srv.APIKey(), envBaseURL: srv.URL(),
	}
}

func newFake(t *testing.T, opts ...cometchattest.ServerOption) *cometchattest.Server {
	t.Helper()
	srv := cometchattest.NewServer(opts...)
	t.Cleanup(srv.Close)
	return srv
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
	return path
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(b)
}

// seed adds users u1..un to srv.
func seed(t *testing.T, srv *cometchattest.Server, n int) {
	t.Helper()
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	var users []*cometchat.User
	for i := 1; i <= n; i++ {
		users = append(users, &cometchat.User{UID: fmt.Sprintf("u%d", i), Name: fmt.Sprintf("User %d", i),
			CreatedAt: base.Add(time.Duration(i) * time.Second)})
	}
	require.NoError(t, srv.AddUsers(users...))
}

// decodeJSON decodes a run's stdout.
func decodeJSON[T any](t *testing.T, s string) T {
	t.Helper()
	var v T
	require.NoError(t, json.Unmarshal([]byte(s), &v), "stdout: %q", s)
	return v
}

func readCSV(t *testing.T, s string) [][]string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(s)).ReadAll()
	require.NoError(t, err, "stdout: %q", s)
	return rows
}

// with returns a copy of vars with key set to value.
func with(vars map[string]string, key, value string) map[string]string {
	out := make(map[string]string, len(vars)+1)
	for k, v := range vars {
		out[k] = v
	}
	out[key] = value
	return out
}
