package main

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMain lets the test binary stand in for the command: the README's tour runs it as "cometchat".
func TestMain(m *testing.M) {
	if os.Getenv("COMETCHAT_TEST_AS_COMMAND") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// tourScript is the shell block of the README's "Quick tour" section, as written.
func tourScript(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("README.md")
	require.NoError(t, err)
	m := regexp.MustCompile("(?s)## Quick tour\n.*?```sh\n(.*?)```").FindSubmatch(b)
	require.NotNil(t, m, "README.md has a Quick tour with a sh block")
	return string(m[1])
}

// TestReadmeQuickTour runs the README's quick tour as written, with bash, against "cometchat" on the PATH (this
// test binary), from an empty directory; it fails if any line fails.
func TestReadmeQuickTour(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole tour")
	}
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	// The tour's fake listens on 127.0.0.1:8080, which another program may hold: run it on a free port instead.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	script := strings.ReplaceAll(tourScript(t), "127.0.0.1:8080", addr)
	script = strings.Replace(script, "cometchat fake ", "cometchat fake --addr "+addr+" ", 1)

	self, err := os.Executable()
	require.NoError(t, err)
	bin := t.TempDir()
	wrapper := "#!/bin/sh\nCOMETCHAT_TEST_AS_COMMAND=1 exec '" + self + "' \"$@\"\n"
	require.NoError(t, os.WriteFile(filepath.Join(bin, "cometchat"), []byte(wrapper), 0o755))

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bash, "-e", "-c", script)
	cmd.Dir = t.TempDir()
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "COMETCHAT_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	out, err := cmd.CombinedOutput()
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // the tour's fake, if a line failed before "kill %1"
	}
	require.NoError(t, err, "the tour failed:\n%s", out)

	s := string(out)
	assert.Equal(t, 2, strings.Count(s, "exit status 1"), "the two lines that show exit status 1:\n%s", s)
	assert.Contains(t, s, "ERR_UID_NOT_FOUND")
	assert.Contains(t, s, "dry run: 2,000 valid, 0 invalid of 2,000 rows")
	assert.Regexp(t, `imported\s+2,000\n`, s)
	assert.Contains(t, s, "broken.csv:3: invalid: uid")
	assert.Contains(t, s, "authToken  grace_", "users create --with-auth-token prints the token")
	assert.NotContains(t, s, "demo-key\n\n", "the key shows only in the fake's own exports")
	export, err := os.ReadFile(filepath.Join(cmd.Dir, "everyone.csv"))
	require.NoError(t, err)
	assert.Equal(t, 2002, strings.Count(string(export), "\n"), "a header, ada and the 2,000 generated users (grace is deactivated)")
}
