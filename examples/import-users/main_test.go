package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gocometchat/cometchat"
	"github.com/gocometchat/cometchat/cometchattest"
)

type toolResult struct {
	code           int
	stdout, stderr string
}

// runTool runs the program with args against the environment env (nil: no
// COMETCHAT_* at all, so the embedded fake).
func runTool(t *testing.T, ctx context.Context, env map[string]string, onProgress func(int), args ...string) toolResult {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(ctx, args, environment{
		getenv: func(k string) string { return env[k] }, stdin: strings.NewReader(""),
		stdout: &stdout, stderr: &stderr, now: time.Now, onProgress: onProgress,
	})
	return toolResult{code, stdout.String(), stderr.String()}
}

// fakeEnv points the program at srv.
func fakeEnv(srv *cometchattest.Server) map[string]string {
	return map[string]string{
		"COMETCHAT_APP_ID": srv.AppID(), "COMETCHAT_REGION": srv.Region(),
		"COMETCHAT_API_KEY": srv.APIKey(), "COMETCHAT_BASE_URL": srv.URL(),
	}
}

func newFake(t *testing.T) *cometchattest.Server {
	srv := cometchattest.NewServer()
	t.Cleanup(srv.Close)
	return srv
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
	return path
}

// csvUsers is a CSV input of n valid users u0001...
func csvUsers(n int) string {
	var b strings.Builder
	b.WriteString("uid,name,createdAt\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "u%04d,User %d,%d\n", i, i, 1_600_000_000+i)
	}
	return b.String()
}

func readEntries(t *testing.T, path string) []entry {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var out []entry
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var e entry
		require.NoError(t, json.Unmarshal(sc.Bytes(), &e), "report line %q", sc.Text())
		out = append(out, e)
	}
	require.NoError(t, sc.Err())
	return out
}

func failuresOf(entries []entry) map[int]entry {
	out := map[int]entry{}
	for _, e := range entries {
		switch e.Type {
		case entryFailure:
			out[e.Line] = e
		case entryResolved:
			delete(out, e.Line)
		}
	}
	return out
}

// assertLandedOnce asserts the store holds exactly the uids given.
func assertLandedOnce(t *testing.T, srv *cometchattest.Server, uids []string) {
	t.Helper()
	count := map[string]int{}
	for _, u := range srv.Users() {
		count[u.UID]++
	}
	for _, uid := range uids {
		assert.Equal(t, 1, count[strings.ToLower(uid)], "user %s", uid)
	}
	assert.Len(t, count, len(uids), "users stored")
}

func uidsOf(from, to int) []string {
	var out []string
	for i := from; i <= to; i++ {
		out = append(out, fmt.Sprintf("u%04d", i))
	}
	return out
}

func TestSampleDryRun(t *testing.T) {
	res := runTool(t, context.Background(), nil, nil, "--dry-run", "testdata/users.csv")
	assert.Equal(t, exitFailures, res.code)
	assert.Contains(t, res.stdout, "dry run: 18 valid, 2 invalid")
	assert.Contains(t, res.stderr, "testdata/users.csv:14: invalid: avatar: must be an absolute http or https URL")
	assert.Contains(t, res.stderr, `testdata/users.csv:18: invalid: createdAt: must be Unix seconds or an RFC 3339 time, not "not-a-date"`)
	assert.NotContains(t, res.stderr, "in-memory fake", "a dry run needs no server")
}

func TestSampleIntoEmbeddedFake(t *testing.T) {
	res := runTool(t, context.Background(), nil, nil, "testdata/users.csv")
	assert.Equal(t, exitFailures, res.code, res.stderr)
	assert.Contains(t, res.stderr, "in-memory fake")
	assert.Regexp(t, `imported\s+18\n`, res.stdout)
	assert.Regexp(t, `invalid\s+2\n`, res.stdout)
}

func TestSampleIntoServer(t *testing.T) {
	srv := newFake(t)
	res := runTool(t, context.Background(), fakeEnv(srv), nil, "testdata/users.csv")
	assert.Equal(t, exitFailures, res.code, res.stderr)
	assert.Len(t, srv.Users(), 18)

	ada, ok := srv.User("ada")
	require.True(t, ok)
	assert.Equal(t, time.Unix(1467331200, 0).UTC(), ada.CreatedAt)
	assert.Equal(t, time.Date(2024, 5, 1, 9, 30, 0, 0, time.UTC).Unix(), ada.LastActiveAt.Unix(), "RFC 3339")
	assert.Equal(t, []string{"engineer", "founder"}, ada.Tags)
	assert.Equal(t, map[string]any{"@private": map[string]any{"email": "ada@example.com"}}, ada.Metadata)
	alan, _ := srv.User("alan")
	assert.Equal(t, []string{"engineer", "cryptography"}, alan.Tags, "tags as a JSON array")
	grace, _ := srv.User("grace")
	assert.Equal(t, time.Date(2016, 7, 3, 10, 0, 0, 0, time.UTC).Unix(), grace.CreatedAt.Unix())
	_, ok = srv.User("badavatar")
	assert.False(t, ok, "an invalid user is never sent")
}

func TestMalformedCSV(t *testing.T) {
	input := "uid,name,metadata,tags,createdAt\n" + // line 1
		"ok1,One,,,\n" + // 2
		"bad-count,Two\n" + // 3: too few fields
		`bad-quote,"unterminated,,,` + "\n" + // 4: bad quoting, may swallow what follows
		"\n" // 5
	input2 := "uid,name,metadata,tags,createdAt\n" + // 1
		"ok1,One,,,\n" + // 2
		"bad-count,Two\n" + // 3
		`bad-meta,Three,{not json},,` + "\n" + // 4
		`bad-tags,Four,,"[1,2]",` + "\n" + // 5
		"bad-time,Five,,,yesterday\n" + // 6
		"bad uid,Six,,,\n" + // 7
		"\"multi\nline\",Seven,,,\n" + // 8-9: a quoted newline: an invalid uid starting on line 8
		"ok2,Eight,\"{\"\"a\"\":1}\",x|y,2020-01-02T03:04:05Z\n" // 10
	srv := newFake(t)
	report := filepath.Join(t.TempDir(), "r.jsonl")
	path := writeFile(t, "in.csv", input2)
	res := runTool(t, context.Background(), fakeEnv(srv), nil, "--report", report, path)
	assert.Equal(t, exitFailures, res.code, res.stderr)
	assertLandedOnce(t, srv, []string{"ok1", "ok2"})

	fails := failuresOf(readEntries(t, report))
	want := map[int]struct{ code, field string }{
		3: {codeMalformed, ""},
		4: {codeMalformed, "metadata"},
		5: {codeMalformed, "tags"},
		6: {codeMalformed, "createdAt"},
		7: {codeInvalid, "uid"},
		8: {codeInvalid, "uid"},
	}
	require.Len(t, fails, len(want), "%v", fails)
	for line, w := range want {
		e, ok := fails[line]
		if assert.True(t, ok, "line %d not reported", line) {
			assert.Equal(t, w.code, e.Code, "line %d", line)
			assert.Equal(t, w.field, e.Field, "line %d", line)
			assert.Equal(t, kindInvalid, e.Kind)
			assert.Contains(t, res.stderr, fmt.Sprintf("in.csv:%d: invalid: ", line))
		}
	}
	assert.Equal(t, []any{"bad-count", "Two"}, fails[3].Raw, "what was read of a malformed row")
	ok2, _ := srv.User("ok2")
	assert.EqualValues(t, 1, ok2.Metadata["a"])
	assert.Equal(t, []string{"x", "y"}, ok2.Tags)

	// Broken quoting: reported, and reading goes on.
	path = writeFile(t, "quote.csv", input+"ok3,Three,,,\n")
	res = runTool(t, context.Background(), fakeEnv(srv), nil, path)
	assert.Equal(t, exitFailures, res.code)
	assert.Contains(t, res.stderr, "quote.csv:4: invalid: ")
}

func TestMalformedJSONL(t *testing.T) {
	input := `{"uid":"ok1","name":"One","tags":["a"],"metadata":{"k":1},"createdAt":1600000000}` + "\n" + // 1
		`{"uid":"bad-json","name":` + "\n" + // 2
		`["not","an","object"]` + "\n" + // 3
		"\n" + // 4: blank lines are skipped
		`{"uid":"typo","nmae":"x"}` + "\n" + // 5
		`{"uid":"num-name","name":42}` + "\n" + // 6
		`{"uid":12345,"name":"Numeric uid","createdAt":"2020-01-02T03:04:05Z","lastActiveAt":"1600000001"}` + "\n" + // 7
		`{"uid":"two","name":"x"} {"uid":"three"}` + "\n" + // 8
		`{"uid":"` + strings.Repeat("x", maxLine) + `"}` + "\n" + // 9: too long
		`{"uid":"ok2","name":"Two","tags":"x|y","metadata":"{\"k\":2}"}` // 10, no final newline
	srv := newFake(t)
	report := filepath.Join(t.TempDir(), "r.jsonl")
	path := writeFile(t, "in.jsonl", input)
	res := runTool(t, context.Background(), fakeEnv(srv), nil, "--report", report, path)
	assert.Equal(t, exitFailures, res.code, res.stderr)
	assertLandedOnce(t, srv, []string{"ok1", "12345", "ok2"})

	fails := failuresOf(readEntries(t, report))
	for _, line := range []int{2, 3, 5, 6, 8, 9} {
		e, ok := fails[line]
		if assert.True(t, ok, "line %d not reported", line) {
			assert.Equal(t, codeMalformed, e.Code, "line %d", line)
		}
	}
	assert.Len(t, fails, 6)
	assert.Equal(t, `{"uid":"bad-json","name":`, fails[2].Raw)
	ok2, _ := srv.User("ok2")
	assert.Equal(t, []string{"x", "y"}, ok2.Tags)
	num, _ := srv.User("12345")
	assert.Equal(t, time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC).Unix(), num.CreatedAt.Unix())
}

func TestDuplicateUIDs(t *testing.T) {
	input := csvUsers(6) + "U0002,Again,\n" + "u0007,Seven,\n" + "u0007,Seven again,\n"
	srv := newFake(t)
	report := filepath.Join(t.TempDir(), "r.jsonl")
	// Chunks of 2: the repeats are in other chunks than the first use.
	res := runTool(t, context.Background(), fakeEnv(srv), nil, "--chunk", "2", "--report", report, writeFile(t, "in.csv", input))
	assert.Equal(t, exitFailures, res.code)
	assertLandedOnce(t, srv, uidsOf(1, 7))
	u2, _ := srv.User("u0002")
	assert.Equal(t, "User 2", u2.Name, "the first use wins")

	fails := failuresOf(readEntries(t, report))
	require.Len(t, fails, 2)
	assert.Equal(t, codeDuplicate, fails[8].Code)
	assert.Contains(t, fails[8].Error, "repeats the uid of line 3")
	assert.Equal(t, codeDuplicate, fails[10].Code)
	assert.Contains(t, res.stderr, "in.csv:8: invalid: uid: repeats the uid of line 3")

	// Retrying an unchanged repeat fails again; once its uid is changed in
	// the report, it lands.
	res = runTool(t, context.Background(), fakeEnv(srv), nil, "--retry-from", report)
	assert.Equal(t, exitFailures, res.code)
	assert.Len(t, failuresOf(readEntries(t, report)), 2)

	fixed := strings.Replace(readFile(t, report), `"record":{"name":"Again","uid":"U0002"}`, `"record":{"name":"Again","uid":"u0002-b"}`, -1)
	require.NotEqual(t, readFile(t, report), fixed, "the report holds the record to edit")
	require.NoError(t, os.WriteFile(report, []byte(fixed), 0o644))
	res = runTool(t, context.Background(), fakeEnv(srv), nil, "--retry-from", report)
	assert.Equal(t, exitFailures, res.code, "line 10 is still a repeat")
	assertLandedOnce(t, srv, append(uidsOf(1, 7), "u0002-b"))
	assert.Len(t, failuresOf(readEntries(t, report)), 1)
}

func readFile(t *testing.T, path string) string {
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(b)
}

func TestReportRoundTrip(t *testing.T) {
	srv := newFake(t)
	// The second batch of the data import fails as a whole (a 500: not
	// retried, as a POST may have landed), one user has a bad avatar.
	srv.InjectFault(cometchattest.Fault{Method: http.MethodPost, Path: "/data_import/users"}) // answered normally
	srv.InjectFault(cometchattest.Fault{Method: http.MethodPost, Path: "/data_import/users", Status: http.StatusInternalServerError})
	var b strings.Builder
	b.WriteString("uid,name,createdAt,avatar\n")
	for i := 1; i <= 120; i++ {
		fmt.Fprintf(&b, "u%04d,User %d,%d,\n", i, i, 1_600_000_000+i)
	}
	b.WriteString("bad,Bad Avatar,,ftp://x/y.png\n") // line 122
	path := writeFile(t, "in.csv", b.String())
	report := filepath.Join(t.TempDir(), "failures.jsonl")

	res := runTool(t, context.Background(), fakeEnv(srv), nil, "--report", report, path)
	assert.Equal(t, exitFailures, res.code, res.stderr)
	assert.Contains(t, res.stderr, "--retry-from "+report)
	fails := failuresOf(readEntries(t, report))
	require.Len(t, fails, 51, "a whole batch and the bad avatar")
	for line := 52; line <= 101; line++ {
		e := fails[line]
		assert.Equal(t, kindFailed, e.Kind, "line %d", line)
		assert.Equal(t, "ERR_MISSION_FAILED", e.Code)
		assert.Equal(t, http.StatusInternalServerError, e.Status)
		assert.Equal(t, fmt.Sprintf("u%04d", line-1), e.UID)
		assert.Equal(t, e.UID, e.Record["uid"], "the original record is in the report")
	}
	assert.Equal(t, codeInvalid, fails[122].Code)
	assert.Regexp(t, `failed\s+50\n`, res.stdout)
	assert.Len(t, srv.Users(), 70)

	// Retry just those: the batch lands, the bad avatar fails again.
	res = runTool(t, context.Background(), fakeEnv(srv), nil, "--retry-from", report)
	assert.Equal(t, exitFailures, res.code, res.stderr)
	assert.Regexp(t, `retried\s+51\n`, res.stdout)
	assert.Regexp(t, `imported\s+50\n`, res.stdout)
	fails = failuresOf(readEntries(t, report))
	require.Len(t, fails, 1)
	assert.Contains(t, res.stderr, "in.csv:122: invalid again: avatar")

	// Fix it in the report and retry: everything landed.
	fixed := strings.ReplaceAll(readFile(t, report), "ftp://x/y.png", "https://example.com/y.png")
	require.NoError(t, os.WriteFile(report, []byte(fixed), 0o644))
	res = runTool(t, context.Background(), fakeEnv(srv), nil, "--retry-from", report)
	assert.Equal(t, exitOK, res.code, res.stderr)
	assert.Empty(t, failuresOf(readEntries(t, report)))
	assertLandedOnce(t, srv, append(uidsOf(1, 120), "bad"))

	// Nothing left: a retry does nothing and succeeds.
	res = runTool(t, context.Background(), fakeEnv(srv), nil, "--retry-from", report)
	assert.Equal(t, exitOK, res.code, res.stderr)
}

func TestResumeAfterCrash(t *testing.T) {
	for _, tt := range []struct {
		strategy string
		users    int
		chunk    string
	}{
		{"import", 2500, "500"}, // at most 50 requests per run: no wait for the 60/min window
		{"create", 5000, "1000"},
	} {
		t.Run(tt.strategy, func(t *testing.T) {
			srv := newFake(t)
			// An early batch fails, so that resuming must retry failures
			// before the checkpoint as well as go on after it.
			failPath := "/data_import/users"
			if tt.strategy == "create" {
				failPath = "/users"
			}
			srv.InjectFault(cometchattest.Fault{Method: http.MethodPost, Path: failPath, Status: http.StatusBadGateway, Times: 3})
			input := csvUsers(tt.users) + "bad uid,Invalid,\n"
			path := writeFile(t, "in.csv", input)
			report := filepath.Join(t.TempDir(), "r.jsonl")

			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			crashAt := tt.users/2 + 100 // in the middle of a chunk
			res := runTool(t, ctx, fakeEnv(srv), func(n int) {
				if n >= crashAt {
					cancel()
				}
			}, "--strategy", tt.strategy, "--chunk", tt.chunk, "--report", report, path)
			require.Equal(t, exitError, res.code, res.stderr)
			assert.Contains(t, res.stderr, "interrupted; continue with: import-users --resume "+report)

			entries := readEntries(t, report)
			checkpoint := 0
			for _, e := range entries {
				if e.Type == entryCheckpoint {
					checkpoint = e.Line
				}
			}
			require.Positive(t, checkpoint)
			assert.Less(t, checkpoint, crashAt+1, "no checkpoint for the chunk cut off")
			assert.GreaterOrEqual(t, len(srv.Users()), checkpoint-1-150, "what was done before the crash landed")

			// Resume (input, format and strategy come from the report).
			res = runTool(t, context.Background(), fakeEnv(srv), nil, "--resume", report)
			assert.Equal(t, exitFailures, res.code, res.stderr) // the invalid line
			assertLandedOnce(t, srv, uidsOf(1, tt.users))
			assert.Regexp(t, fmt.Sprintf(`skipped \(done\)\s+%s\n`, thousands(checkpoint-1)), res.stdout)
			fails := failuresOf(readEntries(t, report))
			require.Len(t, fails, 1, "only the invalid line is left: %v", fails)
			assert.Equal(t, codeInvalid, fails[tt.users+2].Code)

			// A plain re-run of the whole input also resumes: everything is
			// already there.
			res = runTool(t, context.Background(), fakeEnv(srv), nil, "--strategy", tt.strategy, path)
			assert.Equal(t, exitFailures, res.code)
			assert.Regexp(t, fmt.Sprintf(`already there\s+%s\n`, thousands(tt.users)), res.stdout)
			assert.Regexp(t, `imported\s+0\n`, res.stdout)
			assertLandedOnce(t, srv, uidsOf(1, tt.users))
		})
	}
}

func TestResumeBeforeFirstCheckpoint(t *testing.T) {
	srv := newFake(t)
	path := writeFile(t, "in.csv", csvUsers(300))
	report := filepath.Join(t.TempDir(), "r.jsonl")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	res := runTool(t, ctx, fakeEnv(srv), func(n int) {
		if n >= 100 {
			cancel()
		}
	}, "--report", report, path)
	require.Equal(t, exitError, res.code)
	res = runTool(t, context.Background(), fakeEnv(srv), nil, "--resume", report)
	assert.Equal(t, exitOK, res.code, res.stderr)
	assertLandedOnce(t, srv, uidsOf(1, 300))
}

func TestExitCodes(t *testing.T) {
	srv := newFake(t)
	good := writeFile(t, "good.csv", csvUsers(10))
	bad := writeFile(t, "bad.csv", csvUsers(3)+"x y,Bad,\n")
	noExt := writeFile(t, "users.txt", csvUsers(1))
	for _, tt := range []struct {
		name string
		env  map[string]string
		args []string
		code int
		err  string
	}{
		{"all landed", fakeEnv(srv), []string{good}, exitOK, ""},
		{"again: already there", fakeEnv(srv), []string{good}, exitOK, ""},
		{"again, create", fakeEnv(srv), []string{"--strategy", "create", good}, exitOK, ""},
		{"some invalid", fakeEnv(srv), []string{bad}, exitFailures, "bad.csv:5: invalid: uid"},
		{"dry run clean", nil, []string{"--dry-run", good}, exitOK, ""},
		{"dry run problems", nil, []string{"--dry-run", bad}, exitFailures, ""},
		{"no input", nil, nil, exitError, "an input file is required"},
		{"unknown flag", nil, []string{"--nope", good}, exitError, "flag provided but not defined"},
		{"bad strategy", nil, []string{"--strategy", "fast", good}, exitError, "--strategy must be import or create"},
		{"bad workers", nil, []string{"--workers", "0", good}, exitError, "--workers must be positive"},
		{"two inputs", nil, []string{good, bad}, exitError, "one input file at most"},
		{"missing file", nil, []string{filepath.Join(t.TempDir(), "none.csv")}, exitError, "no such file"},
		{"unknown format", nil, []string{noExt}, exitError, "use --format"},
		{"format given", fakeEnv(srv), []string{"--format", "csv", noExt}, exitOK, ""},
		{"unknown column", nil, []string{writeFile(t, "col.csv", "uid,name,email\n")}, exitError, `unknown column "email"`},
		{"missing report", nil, []string{"--retry-from", filepath.Join(t.TempDir(), "none.jsonl")}, exitError, "reading the report"},
		{"retry and resume", nil, []string{"--retry-from", "a", "--resume", "b"}, exitError, "exclude each other"},
		{"partial env", map[string]string{"COMETCHAT_APP_ID": "x"}, []string{good}, exitError, "set all of"},
		{"wrong key", func() map[string]string { e := fakeEnv(srv); e["COMETCHAT_API_KEY"] = "wrong"; return e }(),
			[]string{good}, exitError, "AUTH_ERR_APIKEY_NOT_FOUND"},
		{"wrong key, create", func() map[string]string { e := fakeEnv(srv); e["COMETCHAT_API_KEY"] = "wrong"; return e }(),
			[]string{"--strategy", "create", good}, exitError, "AUTH_ERR_APIKEY_NOT_FOUND"},
		{"help", nil, []string{"-h"}, exitOK, "usage: import-users"},
		{"report exists", nil, []string{"--report", writeFile(t, "old.jsonl", `{"type":"checkpoint","line":9}`+"\n"), good},
			exitError, "continue it with --resume"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := runTool(t, context.Background(), tt.env, nil, tt.args...)
			assert.Equal(t, tt.code, res.code, "stderr: %s", res.stderr)
			assert.Contains(t, res.stderr, tt.err)
		})
	}
}

func TestDryRunReport(t *testing.T) {
	// A dry run lists the problems in the report, without checkpoints: it
	// imported nothing, so there is nothing to resume after.
	report := filepath.Join(t.TempDir(), "r.jsonl")
	res := runTool(t, context.Background(), nil, nil, "--dry-run", "--report", report, "testdata/users.csv")
	assert.Equal(t, exitFailures, res.code)
	entries := readEntries(t, report)
	require.Len(t, entries, 3)
	assert.Equal(t, entryRun, entries[0].Type)
	assert.Equal(t, 14, entries[1].Line)
	assert.Equal(t, "BadAvatar", entries[1].UID)
	assert.Equal(t, 18, entries[2].Line)
}

func TestGenerate(t *testing.T) {
	for _, format := range []string{"csv", "jsonl"} {
		t.Run(format, func(t *testing.T) {
			res := runTool(t, context.Background(), nil, nil, "--generate", "2000", "--format", format)
			require.Equal(t, exitOK, res.code, res.stderr)
			path := writeFile(t, "gen."+format, res.stdout)

			res = runTool(t, context.Background(), nil, nil, "--dry-run", path)
			assert.Equal(t, exitOK, res.code, res.stderr)
			assert.Contains(t, res.stdout, "dry run: 2,000 valid, 0 invalid")

			srv := newFake(t)
			res = runTool(t, context.Background(), fakeEnv(srv), nil, "--strategy", "create", "--rate", "1000000", path)
			assert.Equal(t, exitOK, res.code, res.stderr)
			assert.Len(t, srv.Users(), 2000)
			u, ok := srv.User("gen-0000007")
			require.True(t, ok)
			assert.Equal(t, []string{"generated", "bench"}, u.Tags)
		})
	}
}

func TestProgressDisplay(t *testing.T) {
	path := writeFile(t, "in.csv", csvUsers(3000))
	// A clock that moves a second per reading: renders are due often.
	var tick time.Time
	now := func() time.Time { tick = tick.Add(time.Second); return tick }
	for _, tt := range []struct {
		tty  bool
		want []string
	}{
		{false, []string{"progress: ", " checked (", "% of the input)", "/s", "ETA "}},
		{true, []string{"\r\x1b[2K", "█", "checked", "ETA ", "\n"}},
	} {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), []string{"--dry-run", "--chunk", "500", path}, environment{
			getenv: func(string) string { return "" }, stdout: &stdout, stderr: &stderr, tty: tt.tty, now: now,
		})
		assert.Equal(t, exitOK, code)
		for _, w := range tt.want {
			assert.Contains(t, stderr.String(), w, "tty=%v", tt.tty)
		}
		if !tt.tty {
			assert.NotContains(t, stderr.String(), "\r", "plain lines when not a terminal")
		}
	}
	// Importing, on a terminal.
	srv := newFake(t)
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"--chunk", "500", "--progress", "bar", path}, environment{
		getenv: func(k string) string { return fakeEnv(srv)[k] }, stdout: &stdout, stderr: &stderr, now: now,
	})
	assert.Equal(t, exitOK, code, stderr.String())
	assert.Contains(t, stderr.String(), "3,000 users")
	assert.Contains(t, stderr.String(), "100.0%")

	// --progress none prints nothing.
	res := runTool(t, context.Background(), nil, nil, "--dry-run", "--progress", "none", path)
	assert.Empty(t, res.stderr)
}

func TestInputFormats(t *testing.T) {
	assert.Equal(t, "csv", formatOf("a/USERS.CSV"))
	assert.Equal(t, "jsonl", formatOf("x.jsonl"))
	assert.Equal(t, "jsonl", formatOf("x.ndjson"))
	assert.Equal(t, "", formatOf("x.txt"))

	// A BOM and columns in any order, any case.
	r, err := newCSVReader(strings.NewReader("\uFEFFName,UID,createdat\nAda,ada,2020-01-02T03:04:05+02:00\n"))
	require.NoError(t, err)
	rec, err := r.Next()
	require.NoError(t, err)
	require.NoError(t, rec.Err)
	assert.Equal(t, 2, rec.Line)
	assert.Equal(t, &cometchat.ImportUser{UID: "ada", Name: "Ada", CreatedAt: rec.User.CreatedAt}, rec.User)
	assert.Equal(t, time.Date(2020, 1, 2, 1, 4, 5, 0, time.UTC).Unix(), rec.User.CreatedAt.Unix())

	// stdin needs --format.
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"--dry-run", "--format", "jsonl", "-"}, environment{
		getenv: func(string) string { return "" }, stdin: strings.NewReader(`{"uid":"a","name":"A"}` + "\n"),
		stdout: &stdout, stderr: &stderr, now: time.Now,
	})
	assert.Equal(t, exitOK, code, stderr.String())
	assert.Contains(t, stdout.String(), "1 valid")
}
