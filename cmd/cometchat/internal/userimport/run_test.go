package userimport

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gocometchat/cometchat"
	"github.com/gocometchat/cometchat/cometchattest"
)

func writeInput(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
	return path
}

func csvUsers(n int) string {
	var b strings.Builder
	b.WriteString("uid,name,createdAt\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "u%04d,User %d,%d\n", i, i, 1_600_000_000+i)
	}
	return b.String()
}

// TestProgressNeverGoesBack: with users that already exist (which the SDK's data import counts as failed until
// the chunk's report says otherwise), the progress's counts only grow and end as the summary's.
func TestProgressNeverGoesBack(t *testing.T) {
	srv := cometchattest.NewServer()
	defer srv.Close()
	var existing []*cometchat.User
	for i := 1; i <= 300; i += 3 {
		existing = append(existing, &cometchat.User{UID: fmt.Sprintf("u%04d", i), Name: "old"})
	}
	require.NoError(t, srv.AddUsers(existing...))
	path := writeInput(t, "in.csv", csvUsers(300)+"bad uid,x,\n")

	var seen []Progress
	requests := 0
	sum, err := Run(context.Background(), srv.Client(), Options{Input: path, Chunk: 120}, Hooks{
		Progress: func(p Progress) { seen = append(seen, p) },
		Request:  func() { requests++ },
	})
	require.NoError(t, err)
	require.NotEmpty(t, seen)
	assert.Equal(t, Progress{Strategy: StrategyImport, Total: 301}, seen[0], "a first report before anything is sent")
	for i := 1; i < len(seen); i++ {
		prev, cur := seen[i-1], seen[i]
		assert.GreaterOrEqual(t, cur.Done, prev.Done, "done at %d", i)
		assert.GreaterOrEqual(t, cur.Failed, prev.Failed, "failed at %d", i)
		assert.GreaterOrEqual(t, cur.Invalid, prev.Invalid, "invalid at %d", i)
		assert.Zero(t, cur.Failed, "users already there are never counted as failures")
		assert.Equal(t, 301, cur.Total)
	}
	last := seen[len(seen)-1]
	assert.Equal(t, Progress{Strategy: StrategyImport, Total: 301, Done: 301, Imported: 200, Existing: 100, Invalid: 1}, last)
	assert.Equal(t, 8, requests, "one per batch of 50: chunks of 120 users to send make 3+3+2 batches")
	assert.Equal(t, 301, sum.Rows)
	assert.Equal(t, 200, sum.Imported)
	assert.Equal(t, 100, sum.Existing)
	assert.False(t, sum.Landed())
}

func TestSummaryOfStdinCutOff(t *testing.T) {
	srv := cometchattest.NewServer()
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var last Progress
	sum, err := Run(ctx, srv.Client(), Options{Input: "-", Format: "csv", Chunk: 200, Stdin: strings.NewReader(csvUsers(500))}, Hooks{
		Progress: func(p Progress) {
			assert.Equal(t, -1, p.Total, "stdin: unknown total")
			last = p
			if p.Done >= 100 {
				cancel()
			}
		},
	})
	require.ErrorIs(t, err, context.Canceled)
	assert.True(t, sum.Interrupted)
	assert.False(t, sum.RowsKnown, "the rest of stdin was not read")
	assert.Equal(t, "stdin", sum.Input)
	assert.Equal(t, sum.Rows, sum.Imported+sum.NotSent, "what was read adds up")
	assert.Less(t, sum.Rows, 500)
	assert.Equal(t, sum.Imported, last.Done, "progress ends without the users the interruption left unsent")
}

func TestStoppedByQuota(t *testing.T) {
	srv := cometchattest.NewServer(cometchattest.WithUserLimit(120))
	defer srv.Close()
	path := writeInput(t, "in.csv", csvUsers(300))
	for _, strategy := range []string{StrategyImport, StrategyCreate} {
		srv.Reset()
		sum, err := Run(context.Background(), srv.Client(), Options{Input: path, Strategy: strategy, Chunk: 100}, Hooks{})
		if strategy == StrategyImport {
			// The data import reports the quota per user: nothing stops, the users past it fail.
			require.NoError(t, err)
			assert.Equal(t, 120, sum.Imported)
			assert.Equal(t, 180, sum.Failed)
			continue
		}
		require.ErrorIs(t, err, cometchat.ErrPlanQuota, strategy)
		assert.Equal(t, err, sum.Stopped)
		assert.Equal(t, 120, sum.Imported)
		assert.Zero(t, sum.Failed, "the requests in flight that met the quota too are not sent, not failed")
		assert.Equal(t, 180, sum.NotSent)
	}
}

func TestResolveInput(t *testing.T) {
	dir := t.TempDir()
	input := filepath.Join(dir, "users.csv")
	require.NoError(t, os.WriteFile(input, []byte("uid,name\n"), 0o644))
	report := filepath.Join(dir, "r.jsonl")
	assert.Equal(t, input, resolveInput(input, report), "absolute: as it is")
	assert.Equal(t, input, resolveInput("users.csv", report), "relative, from an older report: beside the report")
	assert.Equal(t, "-", resolveInput("-", report))
	assert.Equal(t, "gone.csv", resolveInput("gone.csv", report), "not found anywhere: as stored, for the error")
}

func TestCountRecords(t *testing.T) {
	for _, tt := range []struct {
		format, in string
		want       int
	}{
		{"csv", "", 0},
		{"csv", "uid,name\n", 0},
		{"csv", "uid,name\na,A\nb,B", 2},
		{"csv", "uid,name\n\"multi\nline\",A\nbad,\"unterminated\n", 2},
		{"jsonl", "{}\n\n  \n{}\n{}", 3},
		{"jsonl", strings.Repeat("x", maxLine+10) + "\n{}\n", 2},
	} {
		n, err := countRecords(tt.format, strings.NewReader(tt.in))
		require.NoError(t, err)
		assert.Equal(t, tt.want, n, "%s %q", tt.format, tt.in)
		// The reader yields as many.
		if tt.in == "" {
			continue
		}
		r, err := newReader(tt.format, strings.NewReader(tt.in))
		require.NoError(t, err)
		got := 0
		for {
			if _, err := r.Next(); err != nil {
				break
			}
			got++
		}
		assert.Equal(t, tt.want, got, "reader %s %q", tt.format, tt.in)
	}
}

func TestGenerate(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, Generate(&b, "csv", 2))
	assert.Equal(t, strings.Join(Columns, ",")+"\n", strings.SplitAfter(b.String(), "\n")[0])
	assert.Equal(t, 3, strings.Count(b.String(), "\n"))
	assert.Error(t, Generate(&b, "xml", 1))
}

func TestOptionsErrors(t *testing.T) {
	for _, o := range []Options{
		{Input: "a.csv", Strategy: "fast"},
		{Input: "a.csv", Format: "xml"},
		{Input: "a.csv", Chunk: 200_000},
		{RetryFrom: "r", Resume: "r"},
		{RetryFrom: "r", DryRun: true},
		{RetryFrom: "r", Input: "a.csv"},
		{},
		{Input: "a.csv", Workers: 3},
		{Input: "users.txt", DryRun: true},
	} {
		_, err := Run(context.Background(), nil, o, Hooks{})
		var oe *OptionsError
		assert.ErrorAs(t, err, &oe, "%+v", o)
	}
	_, err := Run(context.Background(), nil, Options{Input: filepath.Join(t.TempDir(), "none.csv"), DryRun: true}, Hooks{})
	require.Error(t, err)
	var oe *OptionsError
	assert.False(t, errors.As(err, &oe), "a missing file is an I/O error, not a usage one")
}

func TestFailureEntries(t *testing.T) {
	rec := &record{Line: 3, Fields: map[string]any{"uid": "x"}, User: &cometchat.ImportUser{UID: "x"}}
	e := failureEntry(rec, kindFailed, &cometchat.APIError{StatusCode: http.StatusBadGateway})
	assert.Equal(t, "HTTP_BAD_GATEWAY", e.Code, "an answer that was not CometChat JSON")
	e = failureEntry(rec, kindFailed, context.DeadlineExceeded)
	assert.Equal(t, "ERR_REQUEST_FAILED", e.Code)
	assert.Equal(t, "1,234", Thousands(1234))
}
