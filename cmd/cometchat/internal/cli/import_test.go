package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gocometchat/cometchat"
	"github.com/gocometchat/cometchat/cometchattest"
)

const sample = "../../testdata/users.csv" // 20 rows, two of them invalid on purpose

// summary is the JSON summary of users import.
type summary struct {
	Input       string  `json:"input"`
	Report      string  `json:"report"`
	Strategy    string  `json:"strategy"`
	DryRun      bool    `json:"dryRun"`
	Rows        int     `json:"rows"`
	RowsKnown   bool    `json:"rowsKnown"`
	Skipped     int     `json:"skipped"`
	Retried     int     `json:"retried"`
	Imported    int     `json:"imported"`
	Existing    int     `json:"existing"`
	Valid       int     `json:"valid"`
	Failed      int     `json:"failed"`
	Invalid     int     `json:"invalid"`
	NotSent     int     `json:"notSent"`
	Interrupted bool    `json:"interrupted"`
	Seconds     float64 `json:"seconds"`
}

// addsUp asserts that every row is in exactly one line of the summary.
func (s summary) addsUp(t *testing.T) {
	t.Helper()
	assert.True(t, s.RowsKnown, "rows known")
	assert.Equal(t, s.Rows, s.Skipped+s.Imported+s.Existing+s.Valid+s.Failed+s.Invalid+s.NotSent, "the summary adds up: %+v", s)
}

// importRun runs users import with args (JSON summary) and decodes the summary.
func importRun(t *testing.T, ctx context.Context, vars map[string]string, onProgress func(int), args ...string) (result, summary) {
	t.Helper()
	res := runEnv(t, ctx, func(e *Env) { e.OnImportProgress = onProgress }, vars, append([]string{"users", "import", "-o", "json"}, args...)...)
	var s summary
	if strings.HasPrefix(res.stdout, "{") {
		require.NoError(t, json.Unmarshal([]byte(res.stdout), &s), res.stdout)
	}
	return res, s
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

func uidsOf(from, to int) []string {
	var out []string
	for i := from; i <= to; i++ {
		out = append(out, fmt.Sprintf("u%04d", i))
	}
	return out
}

// entry is a line of the report.
type entry struct {
	Type   string         `json:"type"`
	Line   int            `json:"line"`
	UID    string         `json:"uid"`
	Kind   string         `json:"kind"`
	Code   string         `json:"code"`
	Status int            `json:"status"`
	Field  string         `json:"field"`
	Error  string         `json:"error"`
	Record map[string]any `json:"record"`
	Raw    any            `json:"raw"`
	Input  string         `json:"input"`
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

// failuresOf returns the pending failures of a report by line.
func failuresOf(entries []entry) map[int]entry {
	out := map[int]entry{}
	for _, e := range entries {
		switch e.Type {
		case "failure":
			out[e.Line] = e
		case "resolved":
			delete(out, e.Line)
		}
	}
	return out
}

func lastCheckpoint(entries []entry) int {
	cp := 0
	for _, e := range entries {
		if e.Type == "checkpoint" {
			cp = e.Line
		}
	}
	return cp
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

func TestImportSampleDryRun(t *testing.T) {
	res := run(t, nil, "users", "import", "--dry-run", sample, "-o", "table")
	assert.Equal(t, ExitAPI, res.code, "the sample has two invalid rows on purpose")
	assert.Contains(t, res.stdout, "dry run: 18 valid, 2 invalid of 20 rows")
	assert.Contains(t, res.stderr, sample+":14: invalid: avatar: must be an absolute http or https URL")
	assert.Contains(t, res.stderr, sample+`:18: invalid: createdAt: must be Unix seconds or an RFC 3339 time, not "not-a-date"`)
	assert.Contains(t, res.stderr, "cometchat: 2 invalid rows (listed above); nothing was sent")

	_, s := importRun(t, context.Background(), nil, nil, "--dry-run", sample)
	assert.Equal(t, summary{Input: sample, Strategy: "import", DryRun: true, Rows: 20, RowsKnown: true, Valid: 18, Invalid: 2, Seconds: s.Seconds}, s)
}

func TestImportSampleIntoServer(t *testing.T) {
	srv := newFake(t)
	res, s := importRun(t, context.Background(), fakeEnv(srv), nil, sample)
	assert.Equal(t, ExitAPI, res.code, res.stderr)
	assert.Equal(t, 18, s.Imported)
	assert.Equal(t, 2, s.Invalid)
	s.addsUp(t)
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

	// Again: everyone is already there.
	res, s = importRun(t, context.Background(), fakeEnv(srv), nil, sample)
	assert.Equal(t, ExitAPI, res.code)
	assert.Equal(t, 18, s.Existing)
	assert.Zero(t, s.Imported)
}

func TestImportMalformedCSV(t *testing.T) {
	input := "uid,name,metadata,tags,createdAt\n" + // 1
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
	path := writeFile(t, "in.csv", input)
	res, s := importRun(t, context.Background(), fakeEnv(srv), nil, "--report", report, path)
	assert.Equal(t, ExitAPI, res.code, res.stderr)
	assertLandedOnce(t, srv, []string{"ok1", "ok2"})
	assert.Equal(t, 8, s.Rows)
	s.addsUp(t)

	fails := failuresOf(readEntries(t, report))
	want := map[int]struct{ code, field string }{
		3: {"ERR_MALFORMED_RECORD", ""},
		4: {"ERR_MALFORMED_RECORD", "metadata"},
		5: {"ERR_MALFORMED_RECORD", "tags"},
		6: {"ERR_MALFORMED_RECORD", "createdAt"},
		7: {"ERR_VALIDATION", "uid"},
		8: {"ERR_VALIDATION", "uid"},
	}
	require.Len(t, fails, len(want), "%v", fails)
	for line, w := range want {
		e, ok := fails[line]
		if assert.True(t, ok, "line %d not reported", line) {
			assert.Equal(t, w.code, e.Code, "line %d", line)
			assert.Equal(t, w.field, e.Field, "line %d", line)
			assert.Equal(t, "invalid", e.Kind)
			assert.Contains(t, res.stderr, fmt.Sprintf("in.csv:%d: invalid: ", line))
		}
	}
	assert.Equal(t, []any{"bad-count", "Two"}, fails[3].Raw, "what was read of a malformed row")
	ok2, _ := srv.User("ok2")
	assert.EqualValues(t, 1, ok2.Metadata["a"])
	assert.Equal(t, []string{"x", "y"}, ok2.Tags)

	// Broken quoting: reported, and reading goes on.
	broken := "uid,name,metadata,tags,createdAt\nok1,One,,,\nbad-count,Two\n" + `bad-quote,"unterminated,,,` + "\n\nok3,Three,,,\n"
	res, s = importRun(t, context.Background(), fakeEnv(srv), nil, writeFile(t, "quote.csv", broken))
	assert.Equal(t, ExitAPI, res.code)
	assert.Contains(t, res.stderr, "quote.csv:4: invalid: ")
	s.addsUp(t)
}

func TestImportMalformedJSONL(t *testing.T) {
	input := `{"uid":"ok1","name":"One","tags":["a"],"metadata":{"k":1},"createdAt":1600000000}` + "\n" + // 1
		`{"uid":"bad-json","name":` + "\n" + // 2
		`["not","an","object"]` + "\n" + // 3
		"\n" + // 4: blank lines are skipped
		`{"uid":"typo","nmae":"x"}` + "\n" + // 5
		`{"uid":"num-name","name":42}` + "\n" + // 6
		`{"uid":12345,"name":"Numeric uid","createdAt":"2020-01-02T03:04:05Z","lastActiveAt":"1600000001","status":"offline"}` + "\n" + // 7
		`{"uid":"two","name":"x"} {"uid":"three"}` + "\n" + // 8
		`{"uid":"` + strings.Repeat("x", 1<<20) + `"}` + "\n" + // 9: too long
		`{"uid":"ok2","name":"Two","tags":"x|y","metadata":"{\"k\":2}"}` // 10, no final newline
	srv := newFake(t)
	report := filepath.Join(t.TempDir(), "r.jsonl")
	path := writeFile(t, "in.jsonl", input)
	res, s := importRun(t, context.Background(), fakeEnv(srv), nil, "--report", report, path)
	assert.Equal(t, ExitAPI, res.code, res.stderr)
	assertLandedOnce(t, srv, []string{"ok1", "12345", "ok2"})
	assert.Equal(t, 9, s.Rows, "the blank line is no row")
	s.addsUp(t)

	fails := failuresOf(readEntries(t, report))
	for _, line := range []int{2, 3, 5, 6, 8, 9} {
		e, ok := fails[line]
		if assert.True(t, ok, "line %d not reported", line) {
			assert.Equal(t, "ERR_MALFORMED_RECORD", e.Code, "line %d", line)
		}
	}
	assert.Len(t, fails, 6)
	assert.Equal(t, `{"uid":"bad-json","name":`, fails[2].Raw)
	num, _ := srv.User("12345")
	assert.Equal(t, time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC).Unix(), num.CreatedAt.Unix())
}

func TestImportDuplicateUIDs(t *testing.T) {
	input := csvUsers(6) + "U0002,Again,\n" + "u0007,Seven,\n" + "u0007,Seven again,\n"
	srv := newFake(t)
	report := filepath.Join(t.TempDir(), "r.jsonl")
	// Chunks of 2: the repeats are in other chunks than the first use.
	res, _ := importRun(t, context.Background(), fakeEnv(srv), nil, "--chunk", "2", "--report", report, writeFile(t, "in.csv", input))
	assert.Equal(t, ExitAPI, res.code)
	assertLandedOnce(t, srv, uidsOf(1, 7))
	u2, _ := srv.User("u0002")
	assert.Equal(t, "User 2", u2.Name, "the first use wins")

	fails := failuresOf(readEntries(t, report))
	require.Len(t, fails, 2)
	assert.Equal(t, "ERR_DUPLICATE_UID", fails[8].Code)
	assert.Contains(t, fails[8].Error, "repeats the uid of line 3")
	assert.Equal(t, "ERR_DUPLICATE_UID", fails[10].Code)
	assert.Contains(t, res.stderr, "in.csv:8: invalid: uid: repeats the uid of line 3")

	// Retrying an unchanged repeat fails again; once its uid is changed in the report, it lands.
	res, _ = importRun(t, context.Background(), fakeEnv(srv), nil, "--retry-from", report)
	assert.Equal(t, ExitAPI, res.code)
	assert.Len(t, failuresOf(readEntries(t, report)), 2)

	fixed := strings.ReplaceAll(readFile(t, report), `"record":{"name":"Again","uid":"U0002"}`, `"record":{"name":"Again","uid":"u0002-b"}`)
	require.NotEqual(t, readFile(t, report), fixed, "the report holds the record to edit")
	require.NoError(t, os.WriteFile(report, []byte(fixed), 0o644))
	res, _ = importRun(t, context.Background(), fakeEnv(srv), nil, "--retry-from", report)
	assert.Equal(t, ExitAPI, res.code, "line 10 is still a repeat")
	assertLandedOnce(t, srv, append(uidsOf(1, 7), "u0002-b"))
	assert.Len(t, failuresOf(readEntries(t, report)), 1)
}

func TestImportReportRoundTrip(t *testing.T) {
	srv := newFake(t)
	// The second batch of the data import fails as a whole (a 500: not retried, as a POST may have landed), one
	// user has a bad avatar.
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

	res, s := importRun(t, context.Background(), fakeEnv(srv), nil, "--report", report, path)
	assert.Equal(t, ExitAPI, res.code, res.stderr)
	assert.Contains(t, res.stderr, "cometchat users import --retry-from "+report)
	fails := failuresOf(readEntries(t, report))
	require.Len(t, fails, 51, "a whole batch and the bad avatar")
	for line := 52; line <= 101; line++ {
		e := fails[line]
		assert.Equal(t, "failed", e.Kind, "line %d", line)
		assert.Equal(t, "ERR_MISSION_FAILED", e.Code)
		assert.Equal(t, http.StatusInternalServerError, e.Status)
		assert.Equal(t, fmt.Sprintf("u%04d", line-1), e.UID)
		assert.Equal(t, e.UID, e.Record["uid"], "the original record is in the report")
	}
	assert.Equal(t, "ERR_VALIDATION", fails[122].Code)
	assert.Equal(t, 50, s.Failed)
	s.addsUp(t)
	assert.Len(t, srv.Users(), 70)

	// Retry just those: the batch lands, the bad avatar fails again.
	res, s = importRun(t, context.Background(), fakeEnv(srv), nil, "--retry-from", report)
	assert.Equal(t, ExitAPI, res.code, res.stderr)
	assert.Equal(t, 51, s.Retried)
	assert.Equal(t, 51, s.Rows, "retrying, the rows are the report's failures")
	assert.Equal(t, 50, s.Imported)
	s.addsUp(t)
	require.Len(t, failuresOf(readEntries(t, report)), 1)
	assert.Contains(t, res.stderr, "in.csv:122: invalid again: avatar")

	// Fix it in the report and retry: everything landed.
	fixed := strings.ReplaceAll(readFile(t, report), "ftp://x/y.png", "https://example.com/y.png")
	require.NoError(t, os.WriteFile(report, []byte(fixed), 0o644))
	res, _ = importRun(t, context.Background(), fakeEnv(srv), nil, "--retry-from", report)
	assert.Equal(t, ExitOK, res.code, res.stderr)
	assert.Empty(t, failuresOf(readEntries(t, report)))
	assertLandedOnce(t, srv, append(uidsOf(1, 120), "bad"))

	// Nothing left: a retry does nothing and succeeds.
	res, s = importRun(t, context.Background(), fakeEnv(srv), nil, "--retry-from", report)
	assert.Equal(t, ExitOK, res.code, res.stderr)
	assert.Zero(t, s.Rows)
}

// TestImportResumeAfterCrash: 5,000 users, a crash in the middle of a chunk, a resume from another directory:
// nothing lost or duplicated, and the interrupted run's summary adds up.
func TestImportResumeAfterCrash(t *testing.T) {
	for _, tt := range []struct {
		strategy string
		users    int
		chunk    string
	}{
		{"import", 2500, "500"}, // at most 50 requests per run: no wait for the SDK's 60/min window
		{"create", 5000, "1000"},
	} {
		t.Run(tt.strategy, func(t *testing.T) {
			srv := newFake(t)
			// An early batch fails, so that resuming must retry failures before the checkpoint as well as go on
			// after it.
			failPath := "/data_import/users"
			if tt.strategy == "create" {
				failPath = "/users"
			}
			srv.InjectFault(cometchattest.Fault{Method: http.MethodPost, Path: failPath, Status: http.StatusBadGateway, Times: 3})
			dir := t.TempDir()
			path := filepath.Join(dir, "in.csv")
			require.NoError(t, os.WriteFile(path, []byte(csvUsers(tt.users)+"bad uid,Invalid,\n"), 0o644))
			t.Chdir(dir)
			report := "r.jsonl" // relative, as an operator types it

			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			crashAt := tt.users/2 + 100 // in the middle of a chunk
			res, s := importRun(t, ctx, fakeEnv(srv), func(n int) {
				if n >= crashAt {
					cancel()
				}
			}, "--strategy", tt.strategy, "--chunk", tt.chunk, "--report", report, "in.csv")
			require.Equal(t, ExitUsage, res.code, res.stderr)
			assert.Contains(t, res.stderr, "continue with: cometchat users import --resume r.jsonl")
			assert.True(t, s.Interrupted)
			assert.Equal(t, tt.users+1, s.Rows)
			s.addsUp(t)
			assert.Positive(t, s.NotSent)

			entries := readEntries(t, filepath.Join(dir, report))
			assert.Equal(t, path, entries[0].Input, "the report names the input by its absolute path")
			checkpoint := lastCheckpoint(entries)
			require.Positive(t, checkpoint)
			assert.Less(t, checkpoint, crashAt+1, "no checkpoint for the chunk cut off")
			assert.GreaterOrEqual(t, len(srv.Users()), checkpoint-1-150, "what was done before the crash landed")

			// Resume from another directory (input, format and strategy come from the report).
			t.Chdir(t.TempDir())
			res, s = importRun(t, context.Background(), fakeEnv(srv), nil, "--resume", filepath.Join(dir, report))
			assert.Equal(t, ExitAPI, res.code, res.stderr) // the invalid line
			assertLandedOnce(t, srv, uidsOf(1, tt.users))
			assert.Equal(t, tt.strategy, s.Strategy)
			assert.Equal(t, checkpoint-1-3*50*boolInt(tt.strategy == "import")-3*boolInt(tt.strategy == "create"), s.Skipped,
				"the rows up to the checkpoint, less the failures retried")
			s.addsUp(t)
			assert.Zero(t, s.NotSent)
			fails := failuresOf(readEntries(t, filepath.Join(dir, report)))
			require.Len(t, fails, 1, "only the invalid line is left: %v", fails)
			assert.Equal(t, "ERR_VALIDATION", fails[tt.users+2].Code)

			// A plain re-run of the whole input also resumes: everything is already there.
			res, s = importRun(t, context.Background(), fakeEnv(srv), nil, "--strategy", tt.strategy, path)
			assert.Equal(t, ExitAPI, res.code)
			assert.Equal(t, tt.users, s.Existing)
			assert.Zero(t, s.Imported)
			assertLandedOnce(t, srv, uidsOf(1, tt.users))
		})
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestImportResumeBeforeFirstCheckpoint(t *testing.T) {
	srv := newFake(t)
	path := writeFile(t, "in.csv", csvUsers(300))
	report := filepath.Join(t.TempDir(), "r.jsonl")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	res, s := importRun(t, ctx, fakeEnv(srv), func(n int) {
		if n >= 100 {
			cancel()
		}
	}, "--report", report, path)
	require.Equal(t, ExitUsage, res.code)
	s.addsUp(t)
	res, s = importRun(t, context.Background(), fakeEnv(srv), nil, "--resume", report)
	assert.Equal(t, ExitOK, res.code, res.stderr)
	s.addsUp(t)
	assertLandedOnce(t, srv, uidsOf(1, 300))
}

// TestImportInterruptedSummary: the interrupted run's summary, as a person reads it, has a line for the rows not
// yet sent and adds up to the input's rows.
func TestImportInterruptedSummary(t *testing.T) {
	srv := newFake(t)
	path := writeFile(t, "in.csv", csvUsers(1000)+"bad uid,x,\n")
	report := filepath.Join(t.TempDir(), "r.jsonl")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	res := runEnv(t, ctx, func(e *Env) {
		e.OnImportProgress = func(n int) {
			if n >= 420 {
				cancel()
			}
		}
	}, fakeEnv(srv), "users", "import", "--chunk", "200", "--report", report, path, "-o", "table")
	require.Equal(t, ExitUsage, res.code, res.stderr)
	assert.Contains(t, res.stdout, "import summary (interrupted):")
	nums := map[string]int{}
	for _, m := range regexp.MustCompile(`(?m)^  ([a-z ]+?)\s+([\d,]+)`).FindAllStringSubmatch(res.stdout, -1) {
		n, err := strconv.Atoi(strings.ReplaceAll(m[2], ",", ""))
		require.NoError(t, err)
		nums[m[1]] = n
	}
	assert.Equal(t, 1001, nums["rows"])
	assert.Contains(t, nums, "not yet sent")
	assert.Equal(t, nums["rows"], nums["imported"]+nums["already there"]+nums["failed"]+nums["invalid"]+nums["not yet sent"], res.stdout)
	assert.Contains(t, res.stderr, "rows not yet sent; continue with: cometchat users import --resume "+report)
}

// TestImportWaitingForRateLimit: while the SDK waits for a rate limit (here the server's 429 asking for 30 s),
// progress says so; Ctrl-C then stops the wait at once and the summary says what is left.
func TestImportWaitingForRateLimit(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	srv := newFake(t, cometchattest.WithClock(clock))
	srv.InjectFault(cometchattest.Fault{Method: http.MethodPost, Path: "/data_import/users", Status: http.StatusTooManyRequests,
		Header: http.Header{"Retry-After": {"30"}, "X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {strconv.FormatInt(now.Add(30*time.Second).Unix(), 10)}}})
	path := writeFile(t, "in.csv", csvUsers(100))
	report := filepath.Join(t.TempDir(), "r.jsonl")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	env, stdout, stderr := testEnv(fakeEnv(srv), "users", "import", "--progress", "plain", "--report", report, path)
	env.Now = clock
	env.ProgressInterval = time.Hour // only the start, the wait and the end make a line
	done := make(chan int, 1)
	go func() { done <- Run(ctx, env) }()
	require.Eventually(t, func() bool { return strings.Contains(stderr.String(), "waiting for the rate limit (30 s)") },
		10*time.Second, time.Millisecond, stderr.String())
	cancel()
	var code int
	select {
	case code = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the import did not stop")
	}
	assert.Equal(t, ExitUsage, code)
	lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	assert.Equal(t, "importing: 0/100 users (0%)", lines[0], "the first plain line comes at once")
	assert.Equal(t, "importing: 0/100 users (0%), waiting for the rate limit (30 s)", lines[1])
	var s summary
	require.NoError(t, json.Unmarshal([]byte(stdout.String()), &s))
	assert.Equal(t, 100, s.NotSent)
	s.addsUp(t)
	assert.Contains(t, stderr.String(), "continue with: cometchat users import --resume "+report)
}

func TestImportExitCodes(t *testing.T) {
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
		{"all landed", fakeEnv(srv), []string{good}, ExitOK, ""},
		{"again: already there", fakeEnv(srv), []string{good}, ExitOK, ""},
		{"again, create", fakeEnv(srv), []string{"--strategy", "create", good}, ExitOK, ""},
		{"some invalid", fakeEnv(srv), []string{bad}, ExitAPI, "bad.csv:5: invalid: uid"},
		{"dry run clean", nil, []string{"--dry-run", good}, ExitOK, ""},
		{"dry run problems", nil, []string{"--dry-run", bad}, ExitAPI, "1 invalid row (listed above)"},
		{"no configuration", nil, []string{good}, ExitUsage, "not configured"},
		{"missing file", fakeEnv(srv), []string{filepath.Join(t.TempDir(), "none.csv")}, ExitUsage, "no such file"},
		{"unknown format", fakeEnv(srv), []string{noExt}, ExitUsage, "use --format"},
		{"format given", fakeEnv(srv), []string{"--format", "csv", noExt}, ExitOK, ""},
		{"unknown column", fakeEnv(srv), []string{writeFile(t, "col.csv", "uid,name,email\n")}, ExitUsage, `unknown column "email"`},
		{"missing report", fakeEnv(srv), []string{"--retry-from", filepath.Join(t.TempDir(), "none.jsonl")}, ExitUsage, "reading the report"},
		{"retry and resume", fakeEnv(srv), []string{"--retry-from", "a", "--resume", "b"}, ExitUsage, "[resume retry-from]"},
		{"report exists", fakeEnv(srv), []string{"--report", writeFile(t, "old.jsonl", `{"type":"checkpoint","line":9}`+"\n"), good},
			ExitUsage, "continue it with --resume"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, _ := importRun(t, context.Background(), tt.env, nil, append([]string{"--progress", "none"}, tt.args...)...)
			assert.Equal(t, tt.code, res.code, "stderr: %s", res.stderr)
			assert.Contains(t, res.stderr, tt.err)
		})
	}
}

func TestImportDryRunReport(t *testing.T) {
	// A dry run lists the problems in the report, without checkpoints: it imported nothing, so there is
	// nothing to resume after.
	report := filepath.Join(t.TempDir(), "r.jsonl")
	res, _ := importRun(t, context.Background(), nil, nil, "--dry-run", "--report", report, sample)
	assert.Equal(t, ExitAPI, res.code)
	entries := readEntries(t, report)
	require.Len(t, entries, 3)
	assert.Equal(t, "run", entries[0].Type)
	assert.Equal(t, 14, entries[1].Line)
	assert.Equal(t, "BadAvatar", entries[1].UID)
	assert.Equal(t, 18, entries[2].Line)
}

func TestGenerateAndImport(t *testing.T) {
	for _, format := range []string{"csv", "jsonl"} {
		t.Run(format, func(t *testing.T) {
			res := run(t, nil, "users", "generate", "2000", "-o", format)
			require.Equal(t, ExitOK, res.code, res.stderr)
			path := writeFile(t, "gen."+format, res.stdout)

			_, s := importRun(t, context.Background(), nil, nil, "--dry-run", path)
			assert.Equal(t, 2000, s.Valid)
			assert.Zero(t, s.Invalid)

			srv := newFake(t)
			res, s = importRun(t, context.Background(), fakeEnv(srv), nil, "--strategy", "create", "--rate", "1000000", path)
			assert.Equal(t, ExitOK, res.code, res.stderr)
			assert.Equal(t, 2000, s.Imported)
			assert.Len(t, srv.Users(), 2000)
			u, ok := srv.User("gen-0000007")
			require.True(t, ok)
			assert.Equal(t, []string{"generated", "bench"}, u.Tags)
		})
	}
}

func TestImportProgressDisplay(t *testing.T) {
	path := writeFile(t, "in.csv", csvUsers(3000))
	// A clock that moves a second per reading: plain lines are due often.
	var mu = make(chan struct{}, 1)
	tick := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	now := func() time.Time {
		mu <- struct{}{}
		defer func() { <-mu }()
		tick = tick.Add(time.Second)
		return tick
	}
	srv := newFake(t)
	for _, tt := range []struct {
		name string
		args []string
		tty  bool
		want []string
	}{
		{"plain dry run", []string{"--dry-run"}, false, []string{"checking: 0/3,000 users (0%)", "checking: 3,000/3,000 users (100%)", "users/s"}},
		{"bar dry run", []string{"--dry-run"}, true, []string{"checking", "3000/3000", "100%"}},
		{"bar import", []string{"--progress", "bar"}, false, []string{"importing", "3000/3000", "100%"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := runEnv(t, context.Background(), func(e *Env) {
				e.Now, e.StderrTTY, e.ProgressInterval = now, tt.tty, time.Second
			}, fakeEnv(srv), append([]string{"users", "import", "--chunk", "500", path}, tt.args...)...)
			assert.Equal(t, ExitOK, res.code, res.stderr)
			for _, w := range tt.want {
				assert.Contains(t, res.stderr, w)
			}
			assert.NotContains(t, res.stdout, "users/s", "progress never goes to stdout")
			if tt.tty {
				assert.Contains(t, res.stderr, "\x1b[", "a bar redrawn in place")
			} else if !strings.Contains(tt.name, "bar") {
				assert.NotContains(t, res.stderr, "\r", "plain lines when not a terminal")
			}
		})
	}
	res := run(t, nil, "users", "import", "--dry-run", "--progress", "none", path)
	assert.Empty(t, res.stderr, "--progress none")
}

func TestImportStdinAndFormats(t *testing.T) {
	res := runEnv(t, context.Background(), func(e *Env) {
		e.Stdin = strings.NewReader(`{"uid":"a","name":"A"}` + "\n" + `{"uid":"b","name":"B","updatedAt":1700000000}` + "\n")
	}, nil, "users", "import", "--dry-run", "--format", "jsonl", "-", "-o", "json")
	assert.Equal(t, ExitOK, res.code, res.stderr)
	s := decodeJSON[summary](t, res.stdout)
	assert.Equal(t, 2, s.Valid)
	assert.Equal(t, "stdin", s.Input)
	s.addsUp(t)
	assert.Contains(t, res.stderr, "checking: 0 users", "stdin: the total is unknown")

	// A BOM and columns in any order, any case, and the read-only columns of an export ignored.
	res, s2 := importRun(t, context.Background(), nil, nil, "--dry-run",
		writeFile(t, "bom.csv", "\uFEFFName,UID,createdat,Status,UpdatedAt\nAda,ada,2020-01-02T03:04:05+02:00,offline,1\n"))
	assert.Equal(t, ExitOK, res.code, res.stderr)
	assert.Equal(t, 1, s2.Valid)
}

// TestExportImportRoundTrip: what users export writes, users import reads back, into another app, whatever the
// format; paging shifts do not duplicate anyone.
func TestExportImportRoundTrip(t *testing.T) {
	from := newFake(t, cometchattest.WithRoles("admin"))
	require.NoError(t, from.AddUsers(
		&cometchat.User{UID: "ada", Name: "Ada, Countess", Avatar: "https://example.com/a.png?x=1&y=2", Link: "https://example.com/ada",
			Role: "admin", StatusMessage: "Counting", Tags: []string{"engineer", "a|b", " spaced "},
			Metadata:  map[string]any{"@private": map[string]any{"email": "ada@example.com"}, "n": json.Number("1.5")},
			CreatedAt: time.Unix(1467331200, 0), LastActiveAt: time.Unix(1714555800, 0)},
		&cometchat.User{UID: "bob", Name: `Bob "Quoted"` + "\nNewline", CreatedAt: time.Unix(1467331300, 0)},
	))
	seed(t, from, 57)
	for _, format := range []string{"csv", "jsonl"} {
		t.Run(format, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "users."+format)
			res := runEnv(t, context.Background(), func(e *Env) { e.ProgressInterval = time.Nanosecond },
				fakeEnv(from), "users", "export", "--file", file, "--per-page", "10", "--progress", "plain")
			require.Equal(t, ExitOK, res.code, res.stderr)
			assert.Empty(t, res.stdout)
			assert.Contains(t, res.stderr, "exporting: 59/59 users (100%)")
			assert.Contains(t, res.stderr, "exported 59 users to "+file)

			to := newFake(t, cometchattest.WithRoles("admin"))
			res, s := importRun(t, context.Background(), fakeEnv(to), nil, file)
			require.Equal(t, ExitOK, res.code, res.stderr)
			assert.Equal(t, 59, s.Imported)
			for _, want := range from.Users() {
				got, ok := to.User(want.UID)
				require.True(t, ok, want.UID)
				assert.Equal(t, want.Name, got.Name)
				assert.Equal(t, want.Avatar, got.Avatar)
				assert.Equal(t, want.Link, got.Link)
				assert.Equal(t, want.Role, got.Role)
				assert.Equal(t, want.StatusMessage, got.StatusMessage)
				assert.Equal(t, want.Tags, got.Tags)
				assert.Equal(t, want.CreatedAt, got.CreatedAt, "history kept")
				assert.Equal(t, want.LastActiveAt, got.LastActiveAt)
				assert.Equal(t, fmt.Sprint(want.Metadata), fmt.Sprint(got.Metadata))
			}
		})
	}
	// Streamed to stdout and piped into import.
	res := run(t, fakeEnv(from), "users", "export", "-o", "csv")
	require.Equal(t, ExitOK, res.code)
	to := newFake(t, cometchattest.WithRoles("admin"))
	res2 := runEnv(t, context.Background(), func(e *Env) { e.Stdin = strings.NewReader(res.stdout) },
		fakeEnv(to), "users", "import", "--format", "csv", "-")
	assert.Equal(t, ExitOK, res2.code, res2.stderr)
	assert.Len(t, to.Users(), 59)
	// JSON, and users created while paging are not written twice.
	res = run(t, fakeEnv(from), "users", "export", "-o", "json", "--per-page", "7")
	require.Equal(t, ExitOK, res.code)
	assert.Len(t, decodeJSON[[]map[string]any](t, res.stdout), 59)
}

func TestExportShiftingPagesWritesEachUserOnce(t *testing.T) {
	srv := newFake(t)
	seed(t, srv, 30)
	env := fakeEnv(srv)
	// A user created between the first and second page shifts every later page by one (newest first).
	created := false
	res := runEnv(t, context.Background(), func(e *Env) {
		e.ClientOptions = append(e.ClientOptions, cometchat.WithHTTPClient(&http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			if r.URL.Query().Get("page") == "2" && !created {
				created = true
				require.NoError(t, srv.AddUsers(&cometchat.User{UID: "late", Name: "Late", CreatedAt: time.Now()}))
			}
			return http.DefaultTransport.RoundTrip(r)
		})}))
	}, env, "users", "export", "-o", "jsonl", "--per-page", "10", "--progress", "none")
	require.Equal(t, ExitOK, res.code, res.stderr)
	uids := map[string]int{}
	for _, line := range strings.Split(strings.TrimSpace(res.stdout), "\n") {
		uids[decodeJSON[map[string]any](t, line)["uid"].(string)]++
	}
	for uid, n := range uids {
		assert.Equal(t, 1, n, uid)
	}
	assert.Len(t, uids, 30, "u1..u30, each once")
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestPaceEstimate: the SDK admits at most limit requests in any window; the estimate of the wait is when the
// oldest of the last limit requests leaves it.
func TestPaceEstimate(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	p := newPace(time.Minute, func() time.Time { return now }, nil)
	p.setLimit(3)
	assert.Zero(t, p.wait())
	for range 3 {
		p.done()
		now = now.Add(10 * time.Second)
	}
	assert.Equal(t, 30*time.Second, p.wait(), "the first request ended 30 s ago")
	now = now.Add(30 * time.Second)
	assert.Zero(t, p.wait(), "it left the window")
	p.done()
	assert.Equal(t, 10*time.Second, p.wait(), "now the second is the oldest of the last three")

	// The time the pacing imposes on what is left: 3 requests a minute.
	assert.Zero(t, p.atLeast(0, 50))
	assert.Equal(t, 10*time.Second, p.atLeast(50, 50), "one request: when the oldest leaves")
	assert.Equal(t, time.Minute, p.atLeast(150, 50), "three: when the newest leaves, a minute from now")
	assert.Equal(t, 70*time.Second, p.atLeast(151, 50), "four: a window later than the first")
	now = now.Add(time.Hour)
	assert.Zero(t, p.atLeast(150, 50), "an empty window admits three at once")
	assert.Equal(t, time.Minute, p.atLeast(4, 1), "the fourth a window later")
}
