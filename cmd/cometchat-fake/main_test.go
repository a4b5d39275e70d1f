package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRun_RejectsBadFlags(t *testing.T) {
	ctx := context.Background()
	assert.ErrorContains(t, run(ctx, []string{"-addr", "127.0.0.1:0", "-app-id", "bad id"}, io.Discard, io.Discard), "WithAppID")
	assert.ErrorContains(t, run(ctx, []string{"-addr", "127.0.0.1:0", "-roles", "a b"}, io.Discard, io.Discard), "WithRoles")
	assert.Error(t, run(ctx, []string{"-no-such-flag"}, io.Discard, io.Discard))
	assert.Error(t, run(ctx, []string{"-addr", "not an address"}, io.Discard, io.Discard))
	assert.ErrorContains(t, run(ctx, []string{"extra"}, io.Discard, io.Discard), "unexpected arguments")
}

func TestRun_HelpSaysHowToPointProgramsAtIt(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), []string{"--help"}, io.Discard, &out)
	assert.True(t, errors.Is(err, flag.ErrHelp))
	for _, want := range []string{"COMETCHAT_BASE_URL=", "COMETCHAT_APP_ID=", "COMETCHAT_REGION=", "COMETCHAT_API_KEY=", "-user-limit", "-app-rate-limit", "-roles"} {
		assert.Contains(t, out.String(), want)
	}
}

// TestMain_HelpExitsZero runs the built command: --help is a success, a bad flag is not.
func TestMain_HelpExitsZero(t *testing.T) {
	if os.Getenv("COMETCHAT_FAKE_MAIN") != "" {
		os.Args = append([]string{"cometchat-fake"}, strings.Fields(os.Getenv("COMETCHAT_FAKE_MAIN"))...)
		main()
		return
	}
	for args, code := range map[string]int{"--help": 0, "-h": 0, "-no-such-flag": 2, "extra": 2, "-addr nonsense": 1} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestMain_HelpExitsZero$")
		cmd.Env = append(os.Environ(), "COMETCHAT_FAKE_MAIN="+args)
		err := cmd.Run()
		got := 0
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			got = exit.ExitCode()
		} else {
			require.NoError(t, err)
		}
		assert.Equal(t, code, got, args)
	}
}

// lockedBuffer is a bytes.Buffer safe to read while run writes to it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestRun_ServesWithTheOptionsAndPrintsTheExports(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	out := &lockedBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-api-key", "secret", "-app-id", "app1", "-region", "eu",
			"-user-limit", "1", "-roles", "Admin,mod"}, out, io.Discard)
	}()
	base := regexp.MustCompile(`COMETCHAT_BASE_URL=(\S+)`)
	require.Eventually(t, func() bool { return base.MatchString(out.String()) }, 10*time.Second, time.Millisecond)
	url := base.FindStringSubmatch(out.String())[1]
	assert.Contains(t, out.String(), "export COMETCHAT_APP_ID=app1 COMETCHAT_REGION=eu COMETCHAT_API_KEY=secret")

	do := func(method, path, body string) (int, map[string]any) {
		req, err := http.NewRequest(method, url+path, strings.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("apikey", "secret")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		var v map[string]any
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&v))
		return resp.StatusCode, v
	}
	status, v := do(http.MethodGet, "/roles", "")
	require.Equal(t, http.StatusOK, status)
	assert.Len(t, v["data"], 3)
	status, _ = do(http.MethodPost, "/users", `{"uid":"a","name":"A","role":"admin"}`)
	assert.Equal(t, http.StatusOK, status)
	status, v = do(http.MethodPost, "/users", `{"uid":"b","name":"B"}`)
	assert.Equal(t, http.StatusPaymentRequired, status, "-user-limit 1")
	assert.Equal(t, "ERR_PLAN_QUOTA_RESTRICTION", v["error"].(map[string]any)["code"])

	cancel()
	select {
	case err := <-done:
		assert.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("run did not stop")
	}
}
