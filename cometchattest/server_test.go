package cometchattest

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gocometchat/cometchat"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestServer_SDK_ConcurrentClients(t *testing.T) {
	srv, c, _ := setupSDK(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			uid := fmt.Sprintf("c%02d", i)
			if _, err := c.Users.Create(ctx, &cometchat.CreateUserParams{UID: uid, Name: "N", WithAuthToken: true}); err != nil {
				errs <- err
				return
			}
			if _, err := c.Users.Get(ctx, uid); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	all := srv.Users()
	assert.Len(t, all, 50)
	assert.True(t, slices.IsSortedFunc(all, func(a, b *cometchat.User) int { return b.CreatedAt.Compare(a.CreatedAt) }))
	assert.False(t, strings.Contains(fmt.Sprintf("%+v", c), srv.APIKey()), "the client never prints the key")
}

func TestNewServer_Defaults(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	assert.Regexp(t, `^http://127\.0\.0\.1:\d+/v3$`, srv.URL())
	assert.Regexp(t, `^[0-9a-f]{16}$`, srv.AppID())
	assert.Equal(t, "us", srv.Region())
	assert.Regexp(t, `^[0-9a-f]{40}$`, srv.APIKey())
	other := NewServer()
	defer other.Close()
	assert.NotEqual(t, srv.APIKey(), other.APIKey())
	assert.NotEqual(t, srv.AppID(), other.AppID())
	srv.Close()
	srv.Close() // idempotent
}

func TestServer_ConcurrentRequests(t *testing.T) {
	srv, _ := newTestServer(t)
	const n = 50
	var wg sync.WaitGroup
	codes := make([]string, n)
	for i := range n {
		wg.Add(1)
		go func() { // only assert here: require must not stop a goroutine other than the test's
			defer wg.Done()
			uid := "user" + strconv.Itoa(i)
			assert.Equal(t, http.StatusOK, tryCall(t, srv, http.MethodPost, "/users", `{"uid":"`+uid+`","name":"N","withAuthToken":true}`))
			codes[i] = strconv.Itoa(tryCall(t, srv, http.MethodPost, "/users", `{"uid":"shared","name":"N"}`))
			// Readers and writers race on purpose, for -race.
			assert.Equal(t, http.StatusOK, tryCall(t, srv, http.MethodGet, "/users?perPage=10", ""))
			assert.Equal(t, http.StatusOK, tryCall(t, srv, http.MethodPut, "/users/"+uid, `{"tags":["x"]}`))
			assert.Equal(t, http.StatusOK, tryCall(t, srv, http.MethodPost, "/users/"+uid+"/auth_tokens", `{"force":true}`))
			assert.Equal(t, http.StatusOK, tryCall(t, srv, http.MethodGet, "/users/"+uid+"/auth_tokens", ""))
		}()
	}
	wg.Wait()
	count := map[string]int{}
	for _, c := range codes {
		count[c]++
	}
	assert.Equal(t, map[string]int{"200": 1, "400": n - 1}, count, "exactly one create of the shared uid wins")
	r := call(t, srv, http.MethodGet, "/users?perPage=1000", "")
	assert.Equal(t, float64(n+1), r.pagination(t)["total"])
	seen := map[string]bool{}
	for _, uid := range r.uids(t) {
		assert.False(t, seen[uid])
		seen[uid] = true
	}
	for i := range n {
		assert.Len(t, srv.Tokens("user"+strconv.Itoa(i)), 2)
	}
}

// waitLog records the waits the SDK logs before its retries.
type waitLog struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (l *waitLog) Enabled(context.Context, slog.Level) bool { return true }
func (l *waitLog) WithAttrs([]slog.Attr) slog.Handler       { return l }
func (l *waitLog) WithGroup(string) slog.Handler            { return l }
func (l *waitLog) Handle(_ context.Context, r slog.Record) error {
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "wait" {
			l.mu.Lock()
			l.waits = append(l.waits, a.Value.Duration())
			l.mu.Unlock()
		}
		return true
	})
	return nil
}

func TestServer_Client_RetriesFastByDefaultAndCallerOptionsWin(t *testing.T) {
	srv, _ := newTestServer(t)
	require.NoError(t, srv.AddUsers(&cometchat.User{UID: "alice", Name: "Alice"}))
	ctx := context.Background()

	logs := &waitLog{}
	srv.InjectFault(Fault{Method: http.MethodGet, Path: "/users/alice", Status: http.StatusServiceUnavailable, Times: 2})
	_, err := srv.Client(cometchat.WithLogger(slog.New(logs))).Users.Get(ctx, "alice")
	require.NoError(t, err)
	require.Len(t, logs.waits, 2)
	for _, w := range logs.waits {
		assert.LessOrEqual(t, w, 10*time.Millisecond, "the fake's client waits at most 10ms between attempts")
	}

	logs = &waitLog{}
	srv.InjectFault(Fault{Method: http.MethodGet, Path: "/users/alice", Status: http.StatusServiceUnavailable})
	_, err = srv.Client(cometchat.WithLogger(slog.New(logs)), cometchat.WithRetryWait(20*time.Millisecond, 30*time.Millisecond)).Users.Get(ctx, "alice")
	require.NoError(t, err)
	require.Len(t, logs.waits, 1)
	assert.GreaterOrEqual(t, logs.waits[0], 20*time.Millisecond, "the caller's WithRetryWait wins")

	_, err = srv.Client(cometchat.WithBaseURL("http://127.0.0.1:1/v3"), cometchat.WithMaxRetries(0)).Users.Get(ctx, "alice")
	assert.Error(t, err, "the caller's WithBaseURL wins")
}
