package cometchat

// The fault suite of issue 4: every retry, timeout, size, redirect, secret
// and leak rule of the request path, each proven against an httptest server
// that misbehaves on purpose. Waits go through the Client's sleepFn hook (a
// fake that records them) unless a test is about real time, and then it
// asserts generous bounds only. RELIABILITY.md maps each fault to its test.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// relKey is the API key of every client here: distinctive, so that finding
// it anywhere it must not be is unambiguous.
const relKey = "relKEY-5ecr3t-0a1b2c3d4e5f6789"

const (
	relUserJSON = `{"data":{"uid":"alice","name":"Alice","status":"offline","role":"default","createdAt":1700000000}}`
	relListJSON = `{"data":[{"uid":"alice","name":"Alice"}],"meta":{"pagination":` +
		`{"total":1,"count":1,"per_page":100,"current_page":1,"total_pages":1}}}`
	relHTML502 = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>"
)

func relErrorJSON(code, message string) string {
	b, _ := json.Marshal(map[string]any{"error": map[string]any{
		"message": message, "devMessage": message, "source": "chat-api", "code": code,
	}})
	return string(b)
}

// relRequest is what the server saw of one request.
type relRequest struct {
	Method, Path, RawQuery string
	Header                 http.Header
	Body                   []byte
}

// relServer is an httptest server that records every request and counts the
// connections clients open to it.
type relServer struct {
	*httptest.Server
	newConns atomic.Int64
	mu       sync.Mutex
	reqs     []relRequest
}

// relNewServer starts a server whose handler h is told the 1-based number of
// the request it answers. It is closed when the test ends.
func relNewServer(t *testing.T, h func(w http.ResponseWriter, r *http.Request, n int)) *relServer {
	t.Helper()
	s := &relServer{}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.reqs = append(s.reqs, relRequest{
			Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Header: r.Header.Clone(), Body: body,
		})
		n := len(s.reqs)
		s.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(body))
		h(w, r, n)
	}))
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.newConns.Add(1)
		}
	}
	s.Start()
	t.Cleanup(s.Close)
	return s
}

func (s *relServer) base() string { return s.URL + "/v3" }

func (s *relServer) requests() []relRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]relRequest(nil), s.reqs...)
}

func (s *relServer) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.reqs)
}

// relSleeper replaces Client.sleep: it records every wait and returns at
// once (with the context's error when it ended), calling hook first.
type relSleeper struct {
	mu    sync.Mutex
	waits []time.Duration
	hook  func(n int) // n: 1-based number of this wait
}

func (s *relSleeper) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.waits = append(s.waits, d)
	n, hook := len(s.waits), s.hook
	s.mu.Unlock()
	if hook != nil {
		hook(n)
	}
	return ctx.Err()
}

func (s *relSleeper) recorded() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.waits...)
}

// relClient returns a client of baseURL whose waits are faked (see
// relSleeper). Its idle connections are closed when the test ends.
func relClient(t *testing.T, baseURL string, opts ...Option) (*Client, *relSleeper) {
	t.Helper()
	c := relRealClient(t, baseURL, opts...)
	sl := &relSleeper{}
	c.sleepFn = sl.sleep
	return c, sl
}

// relRealClient returns a client of baseURL that waits in real time.
func relRealClient(t *testing.T, baseURL string, opts ...Option) *Client {
	t.Helper()
	c, err := NewClient("relapp", RegionUS, relKey, append([]Option{WithBaseURL(baseURL)}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(c.http.CloseIdleConnections)
	return c
}

// relCtx bounds a test, so a regression fails it instead of hanging the run.
func relCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func relWrite(w http.ResponseWriter, status int, body string) {
	if strings.HasPrefix(body, "{") {
		w.Header().Set("Content-Type", "application/json")
	} else if body != "" {
		w.Header().Set("Content-Type", "text/html")
	}
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// relAPIError asserts that err is an *APIError and returns it.
func relAPIError(t *testing.T, err error) *APIError {
	t.Helper()
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	return apiErr
}

// relCutConn answers with the headers of a 200 and the first half of body,
// then closes the connection: gracefully (FIN) or, with reset, by RST.
func relCutConn(t *testing.T, w http.ResponseWriter, body string, reset bool) {
	conn, buf, err := http.NewResponseController(w).Hijack()
	if !assert.NoError(t, err) {
		return
	}
	fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
		len(body), body[:len(body)/2])
	_ = buf.Flush()
	if tc, ok := conn.(*net.TCPConn); ok && reset {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// relDropConn closes the connection without answering.
func relDropConn(t *testing.T, w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if assert.NoError(t, err) {
		_ = conn.Close()
	}
}

// relFreeAddr returns a loopback address nothing listens on.
func relFreeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	return addr
}

// relSecretsAbsent asserts that none of the secrets shows in s.
func relSecretsAbsent(t *testing.T, s string, secrets ...string) {
	t.Helper()
	for _, sec := range secrets {
		assert.NotContains(t, s, sec)
	}
}

func TestReliability429RetryAfterHonoured(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	unix := func(d time.Duration) string { return strconv.FormatInt(now.Add(d).Unix(), 10) }
	tests := []struct {
		name   string
		header http.Header
		want   time.Duration
	}{
		{"Retry-After seconds", http.Header{"Retry-After": {"7"}}, 7 * time.Second},
		{"Retry-After HTTP date", http.Header{"Retry-After": {now.Add(9 * time.Second).Format(http.TimeFormat)}}, 9 * time.Second},
		{"X-RateLimit-Reset", http.Header{"X-Ratelimit-Reset": {unix(4 * time.Second)}}, 4 * time.Second},
		{"X-Rate-Limit-Reset", http.Header{"X-Rate-Limit-Reset": {unix(5 * time.Second)}}, 5 * time.Second},
		{"Retry-After wins over reset", http.Header{"Retry-After": {"3"}, "X-Ratelimit-Reset": {unix(20 * time.Second)}}, 3 * time.Second},
		{"Retry-After 0", http.Header{"Retry-After": {"0"}}, 0},
		{"HTTP date in the past", http.Header{"Retry-After": {now.Add(-time.Hour).Format(http.TimeFormat)}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := relNewServer(t, func(w http.ResponseWriter, _ *http.Request, n int) {
				if n == 1 {
					for k, v := range tt.header {
						w.Header()[k] = v
					}
					relWrite(w, http.StatusTooManyRequests, relErrorJSON("ERR_TOO_MANY_REQUESTS", "slow down"))
					return
				}
				relWrite(w, http.StatusOK, relUserJSON)
			})
			c, sl := relClient(t, srv.base(), WithRetryWait(time.Millisecond, 10*time.Second))
			c.now = func() time.Time { return now }

			u, err := c.Users.Get(relCtx(t), "alice")
			require.NoError(t, err)
			assert.Equal(t, "alice", u.UID)
			assert.Equal(t, 2, srv.count())
			assert.Equal(t, []time.Duration{tt.want}, sl.recorded(), "the wait the server asked for")
		})
	}

	t.Run("no header: exponential backoff with full jitter", func(t *testing.T) {
		t.Parallel()
		srv := relNewServer(t, func(w http.ResponseWriter, _ *http.Request, n int) {
			if n <= 4 {
				relWrite(w, http.StatusTooManyRequests, "")
				return
			}
			relWrite(w, http.StatusOK, relUserJSON)
		})
		lo, hi := 100*time.Millisecond, 300*time.Millisecond
		c, sl := relClient(t, srv.base(), WithRetryWait(lo, hi), WithMaxRetries(4))
		_, err := c.Users.Get(relCtx(t), "alice")
		require.NoError(t, err)
		waits := sl.recorded()
		require.Len(t, waits, 4)
		for i, w := range waits {
			assert.GreaterOrEqual(t, w, lo, "wait %d", i)
			assert.LessOrEqual(t, w, min(hi, lo<<(i+1)), "wait %d", i)
		}
	})
}

// TestReliabilityJitterSpreadsFirstRetry: clients failed by one outage do
// not all retry at the same instant, not even the first time.
func TestReliabilityJitterSpreadsFirstRetry(t *testing.T) {
	t.Parallel()
	lo, hi := 100*time.Millisecond, 30*time.Second
	seen := map[time.Duration]bool{}
	for range 200 {
		w := jitter(lo, hi, 0)
		require.GreaterOrEqual(t, w, lo)
		require.LessOrEqual(t, w, 2*lo)
		seen[w] = true
	}
	assert.Greater(t, len(seen), 1, "the first retry's wait is random")
	for _, n := range []int{10, 31, 40, 70} {
		w := jitter(lo, hi, n)
		assert.GreaterOrEqual(t, w, lo, "no overflow at retry %d", n)
		assert.LessOrEqual(t, w, hi, "capped at max at retry %d", n)
	}
	assert.Equal(t, lo, jitter(lo, lo, 3), "min == max")
}

// TestReliability429RetryAfterRealClock checks that the real clock sleeps
// what Retry-After says. Not parallel: its second of sleep would hold one of
// the parallel test slots.
func TestReliability429RetryAfterRealClock(t *testing.T) {
	srv := relNewServer(t, func(w http.ResponseWriter, _ *http.Request, n int) {
		if n == 1 {
			w.Header().Set("Retry-After", "1")
			relWrite(w, http.StatusTooManyRequests, "")
			return
		}
		relWrite(w, http.StatusOK, relUserJSON)
	})
	c := relRealClient(t, srv.base(), WithRetryWait(time.Millisecond, 5*time.Second))
	start := time.Now()
	_, err := c.Users.Get(relCtx(t), "alice")
	require.NoError(t, err)
	elapsed := time.Since(start)
	assert.GreaterOrEqual(t, elapsed, 900*time.Millisecond, "Retry-After: 1 was slept")
	assert.Less(t, elapsed, 10*time.Second)
	assert.Equal(t, 2, srv.count())
}

func TestReliability429AboveMaxReturnedAtOnce(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, hdr := range []string{"120", now.Add(2 * time.Minute).Format(http.TimeFormat)} {
		for _, method := range []string{http.MethodGet, http.MethodPost} {
			t.Run(method+" "+hdr, func(t *testing.T) {
				t.Parallel()
				srv := relNewServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
					w.Header().Set("Retry-After", hdr)
					w.Header().Set("X-RateLimit-Limit", "500")
					w.Header().Set("X-RateLimit-Remaining", "0")
					relWrite(w, http.StatusTooManyRequests, relErrorJSON("ERR_TOO_MANY_REQUESTS", "Please retry for seconds after 120"))
				})
				c, sl := relClient(t, srv.base(), WithRetryWait(time.Millisecond, 30*time.Second))
				c.now = func() time.Time { return now }
				var u *User
				var err error
				if method == http.MethodGet {
					u, err = c.Users.Get(relCtx(t), "alice")
				} else {
					u, err = c.Users.Create(relCtx(t), &CreateUserParams{UID: "alice", Name: "Alice"})
				}
				assert.Nil(t, u)
				apiErr := relAPIError(t, err)
				assert.Equal(t, http.StatusTooManyRequests, apiErr.StatusCode)
				assert.Equal(t, "ERR_TOO_MANY_REQUESTS", apiErr.Code)
				assert.Equal(t, 2*time.Minute, apiErr.RetryAfter)
				assert.Equal(t, RateLimit{Limit: 500, Remaining: 0}, apiErr.RateLimit)
				assert.ErrorIs(t, err, ErrTooManyRequests)
				assert.Equal(t, 1, srv.count(), "exactly one request")
				assert.Empty(t, sl.recorded(), "nothing slept")
			})
		}
	}
}

func TestReliability5xxThenSuccessIdempotent(t *testing.T) {
	t.Parallel()
	calls := []struct {
		method string
		do     func(ctx context.Context, c *Client) error
		body   bool
	}{
		{http.MethodGet, func(ctx context.Context, c *Client) error {
			_, err := c.Users.Get(ctx, "alice")
			return err
		}, false},
		{http.MethodPut, func(ctx context.Context, c *Client) error {
			_, err := c.Users.Update(ctx, "alice", &UpdateUserParams{Name: Ptr("Ada ✓"), Tags: []string{"a", "b"}})
			return err
		}, true},
		{http.MethodDelete, func(ctx context.Context, c *Client) error {
			return c.Users.Delete(ctx, "alice", &DeleteUserParams{Permanent: true})
		}, true},
	}
	for _, status := range []int{http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout} {
		for _, call := range calls {
			t.Run(fmt.Sprintf("%s %d", call.method, status), func(t *testing.T) {
				t.Parallel()
				srv := relNewServer(t, func(w http.ResponseWriter, _ *http.Request, n int) {
					switch {
					case n <= 2 && status == http.StatusServiceUnavailable:
						relWrite(w, status, relErrorJSON("ERR_MISSION_FAILED", "try again"))
					case n <= 2:
						relWrite(w, status, relHTML502)
					default:
						relWrite(w, http.StatusOK, relUserJSON)
					}
				})
				c, sl := relClient(t, srv.base())
				require.NoError(t, call.do(relCtx(t), c))
				reqs := srv.requests()
				require.Len(t, reqs, 3)
				assert.Len(t, sl.recorded(), 2)
				for _, r := range reqs {
					assert.Equal(t, call.method, r.Method)
					assert.Equal(t, "/v3/users/alice", r.Path)
					assert.Equal(t, reqs[0].Body, r.Body, "every attempt sends the identical body")
				}
				if call.body {
					assert.NotEmpty(t, reqs[0].Body)
				}
			})
		}
	}
}

func TestReliabilityPOSTNotRetriedOn5xx(t *testing.T) {
	t.Parallel()
	for _, status := range []int{http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			t.Parallel()
			srv := relNewServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
				w.Header().Set("Retry-After", "0")
				relWrite(w, status, relErrorJSON("ERR_MISSION_FAILED", "failed"))
			})
			c, sl := relClient(t, srv.base())
			u, err := c.Users.Create(relCtx(t), &CreateUserParams{UID: "alice", Name: "Alice"})
			assert.Nil(t, u)
			assert.Equal(t, status, relAPIError(t, err).StatusCode)
			assert.Equal(t, 1, srv.count(), "a POST that may have reached the server is never repeated")
			assert.Empty(t, sl.recorded())
		})
	}
}

func TestReliabilityPOSTRetriedOn429SameBody(t *testing.T) {
	t.Parallel()
	srv := relNewServer(t, func(w http.ResponseWriter, _ *http.Request, n int) {
		switch n {
		case 1:
			w.Header().Set("Retry-After", "0")
			relWrite(w, http.StatusTooManyRequests, relErrorJSON("ERR_TOO_MANY_REQUESTS", "slow down"))
		case 2:
			relWrite(w, http.StatusTooManyRequests, "")
		default:
			relWrite(w, http.StatusOK, relUserJSON)
		}
	})
	c, sl := relClient(t, srv.base())
	params := &CreateUserParams{
		UID: "alice", Name: "Ålice <&> 🚀", Link: "https://example.com/a/b?c=d",
		Metadata: map[string]any{"@private": map[string]any{"email": "a@example.com"}, "n": 1.5},
		Tags:     []string{"x", "y"}, WithAuthToken: true,
	}
	u, err := c.Users.Create(relCtx(t), params)
	require.NoError(t, err)
	assert.Equal(t, "alice", u.UID)
	reqs := srv.requests()
	require.Len(t, reqs, 3)
	assert.Len(t, sl.recorded(), 2)
	require.NotEmpty(t, reqs[0].Body)
	for i, r := range reqs {
		assert.Equal(t, http.MethodPost, r.Method)
		assert.Equal(t, string(reqs[0].Body), string(r.Body), "attempt %d sends the identical body", i+1)
		assert.Equal(t, strconv.Itoa(len(reqs[0].Body)), r.Header.Get("Content-Length"))
		assert.Equal(t, relKey, r.Header.Get("Apikey"))
	}
}

func TestReliabilityRetriesExhaustedKeepLastError(t *testing.T) {
	t.Parallel()
	for _, maxRetries := range []int{0, 1, 3} {
		t.Run(fmt.Sprintf("503 max %d", maxRetries), func(t *testing.T) {
			t.Parallel()
			srv := relNewServer(t, func(w http.ResponseWriter, _ *http.Request, n int) {
				relWrite(w, http.StatusServiceUnavailable, relErrorJSON(fmt.Sprintf("ERR_ATTEMPT_%d", n), fmt.Sprintf("attempt %d", n)))
			})
			c, sl := relClient(t, srv.base(), WithMaxRetries(maxRetries))
			u, err := c.Users.Get(relCtx(t), "alice")
			assert.Nil(t, u)
			apiErr := relAPIError(t, err)
			last := maxRetries + 1
			assert.Equal(t, http.StatusServiceUnavailable, apiErr.StatusCode)
			assert.Equal(t, fmt.Sprintf("ERR_ATTEMPT_%d", last), apiErr.Code, "the last answer, not the first")
			assert.Equal(t, fmt.Sprintf("attempt %d", last), apiErr.Message)
			assert.NotContains(t, err.Error(), "giving up")
			assert.Equal(t, last, srv.count(), "MaxRetries+1 requests")
			assert.Len(t, sl.recorded(), maxRetries)
		})
	}
	t.Run("429 then 502 then 504", func(t *testing.T) {
		t.Parallel()
		statuses := []int{http.StatusTooManyRequests, http.StatusBadGateway, http.StatusGatewayTimeout}
		srv := relNewServer(t, func(w http.ResponseWriter, _ *http.Request, n int) {
			relWrite(w, statuses[min(n, 3)-1], relErrorJSON("ERR_MISSION_FAILED", fmt.Sprintf("attempt %d", n)))
		})
		c, _ := relClient(t, srv.base(), WithMaxRetries(2))
		_, err := c.Users.Get(relCtx(t), "alice")
		apiErr := relAPIError(t, err)
		assert.Equal(t, http.StatusGatewayTimeout, apiErr.StatusCode)
		assert.Equal(t, "attempt 3", apiErr.Message)
		assert.ErrorIs(t, err, ErrMissionFailed)
		assert.Equal(t, 3, srv.count())
	})
	t.Run("429 every time", func(t *testing.T) {
		t.Parallel()
		srv := relNewServer(t, func(w http.ResponseWriter, _ *http.Request, n int) {
			relWrite(w, http.StatusTooManyRequests, relErrorJSON("ERR_TOO_MANY_REQUESTS", fmt.Sprintf("attempt %d", n)))
		})
		c, _ := relClient(t, srv.base(), WithMaxRetries(2))
		_, err := c.Users.Create(relCtx(t), &CreateUserParams{UID: "alice", Name: "Alice"})
		apiErr := relAPIError(t, err)
		assert.Equal(t, "attempt 3", apiErr.Message)
		assert.ErrorIs(t, err, ErrTooManyRequests)
		assert.Equal(t, 3, srv.count())
	})
}

func TestReliabilityMaxRetriesZero(t *testing.T) {
	t.Parallel()
	t.Run("503", func(t *testing.T) {
		t.Parallel()
		srv := relNewServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
			relWrite(w, http.StatusServiceUnavailable, "")
		})
		c, sl := relClient(t, srv.base(), WithMaxRetries(0))
		_, err := c.Users.Get(relCtx(t), "alice")
		assert.Equal(t, http.StatusServiceUnavailable, relAPIError(t, err).StatusCode)
		assert.Equal(t, 1, srv.count())
		assert.Empty(t, sl.recorded())
	})
	t.Run("429", func(t *testing.T) {
		t.Parallel()
		srv := relNewServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
			w.Header().Set("Retry-After", "1")
			relWrite(w, http.StatusTooManyRequests, "")
		})
		c, sl := relClient(t, srv.base(), WithMaxRetries(0))
		_, err := c.Users.List(relCtx(t), nil)
		apiErr := relAPIError(t, err)
		assert.Equal(t, time.Second, apiErr.RetryAfter)
		assert.Equal(t, 1, srv.count())
		assert.Empty(t, sl.recorded())
	})
	t.Run("connection refused", func(t *testing.T) {
		t.Parallel()
		c, sl := relClient(t, "http://"+relFreeAddr(t)+"/v3", WithMaxRetries(0))
		_, err := c.Users.Get(relCtx(t), "alice")
		assert.ErrorIs(t, err, syscall.ECONNREFUSED)
		assert.Empty(t, sl.recorded())
	})
	t.Run("cut mid-body", func(t *testing.T) {
		t.Parallel()
		srv := relNewServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
			relCutConn(t, w, relUserJSON, false)
		})
		c, sl := relClient(t, srv.base(), WithMaxRetries(0))
		_, err := c.Users.Get(relCtx(t), "alice")
		assert.ErrorIs(t, err, ErrInvalidResponse)
		assert.Equal(t, 1, srv.count())
		assert.Empty(t, sl.recorded())
	})
}

func TestReliabilityContextDeadlineDuringWait(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		status  int
		header  string
		minWait time.Duration
	}{
		{"429 Retry-After 20s", http.StatusTooManyRequests, "20", time.Millisecond},
		{"503 backoff 20s", http.StatusServiceUnavailable, "", 20 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := relNewServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
				if tt.header != "" {
					w.Header().Set("Retry-After", tt.header)
				}
				relWrite(w, tt.status, "")
			})
			c := relRealClient(t, srv.base(), WithRetryWait(tt.minWait, time.Minute))
			ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
			defer cancel()
			start := time.Now()
			_, err := c.Users.Get(ctx, "alice")
			elapsed := time.Since(start)
			assert.ErrorIs(t, err, context.DeadlineExceeded)
			assert.Less(t, elapsed, 5*time.Second, "the wait ended with the context")
			assert.Equal(t, 1, srv.count(), "no attempt after the context ended")
		})
	}
	t.Run("canceled", func(t *testing.T) {
		t.Parallel()
		srv := relNewServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
			w.Header().Set("Retry-After", "20")
			relWrite(w, http.StatusTooManyRequests, "")
		})
		c := relRealClient(t, srv.base(), WithRetryWait(time.Millisecond, time.Minute))
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(100*time.Millisecond, cancel)
		start := time.Now()
		_, err := c.Users.Create(ctx, &CreateUserParams{UID: "alice", Name: "Alice"})
		assert.ErrorIs(t, err, context.Canceled)
		assert.Less(t, time.Since(start), 5*time.Second)
		assert.Equal(t, 1, srv.count())
	})
}

func TestReliabilityWithTimeout(t *testing.T) {
	t.Parallel()
	t.Run("during a retry wait", func(t *testing.T) {
		t.Parallel()
		srv := relNewServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
			w.Header().Set("Retry-After", "20")
			relWrite(w, http.StatusTooManyRequests, "")
		})
		c := relRealClient(t, srv.base(), WithRetryWait(time.Millisecond, time.Minute), WithTimeout(150*time.Millisecond))
		start := time.Now()
		_, err := c.Users.Get(context.Background(), "alice")
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Less(t, time.Since(start), 5*time.Second)
		assert.Equal(t, 1, srv.count())
	})
	t.Run("bounds the whole call, retries included", func(t *testing.T) {
		t.Parallel()
		srv := relNewServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
			relWrite(w, http.StatusServiceUnavailable, "")
		})
		c := relRealClient(t, srv.base(), WithMaxRetries(100000), WithRetryWait(10*time.Millisecond, 10*time.Millisecond),
			WithTimeout(300*time.Millisecond))
		start := time.Now()
		_, err := c.Users.Get(context.Background(), "alice")
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Less(t, time.Since(start), 5*time.Second)
		assert.Greater(t, srv.count(), 1, "it did retry")
		assert.Less(t, srv.count(), 1000)
	})
	t.Run("server that hangs", func(t *testing.T) {
		t.Parallel()
		srv := relNewServer(t, func(_ http.ResponseWriter, r *http.Request, _ int) { <-r.Context().Done() })
		c := relRealClient(t, srv.base(), WithTimeout(150*time.Millisecond))
		start := time.Now()
		_, err := c.Users.Get(context.Background(), "alice")
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Less(t, time.Since(start), 5*time.Second)
	})
}

func TestReliabilityConnectionRefused(t *testing.T) {
	t.Parallel()
	// The server comes up while the client waits to retry: the retry reaches it.
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		t.Run(method+" retried", func(t *testing.T) {
			t.Parallel()
			addr := relFreeAddr(t)
			var got atomic.Int64
			late := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				got.Add(1)
				relWrite(w, http.StatusOK, relUserJSON)
			}))
			t.Cleanup(late.Close)
			c, sl := relClient(t, "http://"+addr+"/v3")
			sl.hook = func(n int) {
				if n == 1 {
					l, err := net.Listen("tcp", addr)
					if assert.NoError(t, err) {
						late.Listener.Close()
						late.Listener = l
						late.Start()
					}
				}
			}
			var err error
			if method == http.MethodGet {
				_, err = c.Users.Get(relCtx(t), "alice")
			} else {
				_, err = c.Users.Create(relCtx(t), &CreateUserParams{UID: "alice", Name: "Alice"})
			}
			require.NoError(t, err)
			assert.Len(t, sl.recorded(), 1)
			assert.Equal(t, int64(1), got.Load())
		})
	}
	t.Run("never up", func(t *testing.T) {
		t.Parallel()
		c, sl := relClient(t, "http://"+relFreeAddr(t)+"/v3", WithMaxRetries(2))
		_, err := c.Users.Create(relCtx(t), &CreateUserParams{UID: "alice", Name: "Alice"})
		assert.ErrorIs(t, err, syscall.ECONNREFUSED)
		var apiErr *APIError
		assert.False(t, errors.As(err, &apiErr))
		assert.Len(t, sl.recorded(), 2, "MaxRetries retries")
		relSecretsAbsent(t, err.Error(), relKey)
	})
}

func TestReliabilityServerHangs(t *testing.T) {
	t.Parallel()
	t.Run("context deadline", func(t *testing.T) {
		t.Parallel()
		srv := relNewServer(t, func(_ http.ResponseWriter, r *http.Request, _ int) { <-r.Context().Done() })
		c, _ := relClient(t, srv.base())
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		start := time.Now()
		u, err := c.Users.Get(ctx, "alice")
		assert.Nil(t, u)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Less(t, time.Since(start), 5*time.Second)
		assert.Equal(t, 1, srv.count())
	})
	t.Run("per-attempt timeout of the caller's http.Client is retried", func(t *testing.T) {
		t.Parallel()
		srv := relNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
			if n <= 2 {
				<-r.Context().Done()
				return
			}
			relWrite(w, http.StatusOK, relUserJSON)
		})
		tr := &http.Transport{}
		t.Cleanup(tr.CloseIdleConnections)
		c, sl := relClient(t, srv.base(), WithHTTPClient(&http.Client{Transport: tr, Timeout: 100 * time.Millisecond}))
		u, err := c.Users.Get(relCtx(t), "alice")
		require.NoError(t, err)
		assert.Equal(t, "alice", u.UID)
		assert.Equal(t, 3, srv.count())
		assert.Len(t, sl.recorded(), 2)
	})
}

func TestReliabilityConnectionCutMidBody(t *testing.T) {
	t.Parallel()
	for _, reset := range []bool{false, true} {
		name := map[bool]string{false: "closed", true: "reset"}[reset]
		t.Run("GET retried, "+name, func(t *testing.T) {
			t.Parallel()
			srv := relNewServer(t, func(w http.ResponseWriter, _ *http.Request, n int) {
				if n == 1 {
					relCutConn(t, w, relUserJSON, reset)
					return
				}
				relWrite(w, http.StatusOK, relUserJSON)
			})
			c, sl := relClient(t, srv.base())
			u, err := c.Users.Get(relCtx(t), "alice")
			require.NoError(t, err)
			assert.Equal(t, "alice", u.UID)
			assert.Equal(t, 2, srv.count())
			assert.Len(t, sl.recorded(), 1)
		})
		t.Run("POST not retried, "+name, func(t *testing.T) {
			t.Parallel()
			srv := relNewServer(t, func(w http.ResponseWriter, _ *http.Request, n int) {
				if n == 1 {
					relCutConn(t, w, relUserJSON, reset)
					return
				}
				relWrite(w, http.StatusOK, relUserJSON)
			})
			c, sl := relClient(t, srv.base())
			u, err := c.Users.Create(relCtx(t), &CreateUserParams{UID: "alice", Name: "Alice"})
			assert.Nil(t, u)
			require.Error(t, err)
			if !reset {
				// The answer's headers arrived: the server did the write,
				// the SDK could not read what it said.
				assert.ErrorIs(t, err, ErrInvalidResponse)
			}
			assert.Equal(t, 1, srv.count(), "a POST that reached the server is never repeated")
			assert.Empty(t, sl.recorded())
		})
	}
	t.Run("dropped before answering", func(t *testing.T) {
		t.Parallel()
		srv := relNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
			if n == 1 || r.Method == http.MethodPost {
				relDropConn(t, w)
				return
			}
			relWrite(w, http.StatusOK, relUserJSON)
		})
		c, _ := relClient(t, srv.base())
		_, err := c.Users.Get(relCtx(t), "alice")
		require.NoError(t, err, "GET retried")
		assert.Equal(t, 2, srv.count())

		_, err = c.Users.Create(relCtx(t), &CreateUserParams{UID: "alice", Name: "Alice"})
		require.Error(t, err)
		var apiErr *APIError
		assert.False(t, errors.As(err, &apiErr))
		assert.Equal(t, 3, srv.count(), "POST sent once")
	})
}

func TestReliabilityHTMLBadGateway(t *testing.T) {
	t.Parallel()
	srv := relNewServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		relWrite(w, http.StatusBadGateway, relHTML502)
	})
	c, _ := relClient(t, srv.base(), WithMaxRetries(1))
	_, err := c.Users.Get(relCtx(t), "alice")
	apiErr := relAPIError(t, err)
	assert.Equal(t, http.StatusBadGateway, apiErr.StatusCode)
	assert.Empty(t, apiErr.Code)
	assert.Equal(t, "Bad Gateway", apiErr.Message)
	assert.Contains(t, apiErr.Body, "<h1>502 Bad Gateway</h1>")
	assert.Contains(t, err.Error(), "502")
	assert.NotErrorIs(t, err, ErrMissionFailed)
	assert.Equal(t, 2, srv.count())

	empty := relNewServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		w.WriteHeader(http.StatusGatewayTimeout)
	})
	c, _ = relClient(t, empty.base(), WithMaxRetries(0))
	err = c.Users.Delete(relCtx(t), "alice", nil)
	apiErr = relAPIError(t, err)
	assert.Equal(t, http.StatusGatewayTimeout, apiErr.StatusCode)
	assert.Equal(t, "Gateway Timeout", apiErr.Message)
}

func TestReliabilityTruncatedJSON(t *testing.T) {
	t.Parallel()
	bodies := map[string]string{
		"truncated":  relUserJSON[:len(relUserJSON)/2],
		"not JSON":   "<html>ok</html>",
		"empty":      "",
		"wrong type": `{"data":"alice"}`,
		"no data":    `{"data":null}`,
	}
	for name, body := range bodies {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := relNewServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
				w.Header().Set("Content-Type", "application/json")
				_, _ = io.WriteString(w, body)
			})
			c, sl := relClient(t, srv.base())
			u, err := c.Users.Get(relCtx(t), "alice")
			assert.Nil(t, u, "a failed call returns no half-filled result")
			assert.ErrorIs(t, err, ErrInvalidResponse)
			assert.Equal(t, 1, srv.count(), "a complete but malformed answer is not retried")
			assert.Empty(t, sl.recorded())
			if name != "no data" {
				page, err := c.Users.List(relCtx(t), nil)
				assert.Nil(t, page)
				assert.ErrorIs(t, err, ErrInvalidResponse)
			}
		})
	}
}

// TestReliabilityHugeBody is not parallel: reading 32 MiB under -race takes
// seconds of CPU that would slow the parallel tests.
func TestReliabilityHugeBody(t *testing.T) {
	const total = 300 << 20
	var written atomic.Int64
	done := make(chan struct{})
	srv := relNewServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		defer close(done)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(total))
		w.WriteHeader(http.StatusOK)
		prefix := `{"data":{"uid":"alice","name":"`
		n, err := io.WriteString(w, prefix)
		written.Add(int64(n))
		chunk := bytes.Repeat([]byte("a"), 64<<10)
		for err == nil && written.Load() < total {
			n, err = w.Write(chunk[:min(int64(len(chunk)), total-written.Load())])
			written.Add(int64(n))
		}
	})
	c, sl := relClient(t, srv.base())
	start := time.Now()
	u, err := c.Users.Get(relCtx(t), "alice")
	elapsed := time.Since(start)
	assert.Nil(t, u)
	assert.ErrorIs(t, err, ErrResponseTooLarge)
	assert.Less(t, elapsed, 30*time.Second)
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("the server is still writing: the client did not hang up")
	}
	assert.Less(t, written.Load(), int64(total/2), "the body was not read to its end")
	assert.Equal(t, 1, srv.count(), "an oversize answer is not retried")
	assert.Empty(t, sl.recorded())
}

func TestReliabilityMaxResponseBytes(t *testing.T) {
	t.Parallel()
	user := func(nameLen int) string {
		return `{"data":{"uid":"alice","name":"` + strings.Repeat("n", nameLen) + `"}}`
	}
	srv := relNewServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		switch r.URL.Path {
		case "/v3/users/small":
			relWrite(w, http.StatusOK, user(400))
		case "/v3/users/big":
			relWrite(w, http.StatusOK, user(600))
		default:
			relWrite(w, http.StatusBadRequest, relErrorJSON("ERR_BAD_REQUEST", strings.Repeat("m", 4000)))
		}
	})
	c, _ := relClient(t, srv.base(), WithMaxResponseBytes(512))
	u, err := c.Users.Get(relCtx(t), "small")
	require.NoError(t, err)
	assert.Len(t, u.Name, 400)

	u, err = c.Users.Get(relCtx(t), "big")
	assert.Nil(t, u)
	assert.ErrorIs(t, err, ErrResponseTooLarge)
	assert.NotErrorIs(t, err, ErrInvalidResponse)

	_, err = c.Users.Get(relCtx(t), "error")
	apiErr := relAPIError(t, err)
	assert.Equal(t, http.StatusBadRequest, apiErr.StatusCode, "an oversize error answer keeps its status")
	assert.LessOrEqual(t, len(apiErr.Body), 512)
}

func TestReliabilityCrossHostRedirect(t *testing.T) {
	t.Parallel()
	for _, status := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			t.Parallel()
			b := relNewServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
				relWrite(w, http.StatusOK, relUserJSON)
			})
			a := relNewServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
				http.Redirect(w, r, b.URL+r.URL.Path, status)
			})
			var followed atomic.Int64
			tr := &http.Transport{}
			t.Cleanup(tr.CloseIdleConnections)
			hc := &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error {
				followed.Add(1)
				return nil
			}}
			for _, opts := range [][]Option{nil, {WithHTTPClient(hc)}} {
				c, _ := relClient(t, a.base(), opts...)
				_, err := c.Users.Get(relCtx(t), "alice")
				apiErr := relAPIError(t, err)
				assert.Equal(t, status, apiErr.StatusCode)
				assert.Contains(t, err.Error(), strconv.Itoa(status))
				assert.Contains(t, err.Error(), "redirect")

				_, err = c.Users.Create(relCtx(t), &CreateUserParams{UID: "alice", Name: "Alice"})
				assert.Equal(t, status, relAPIError(t, err).StatusCode)
			}
			assert.Zero(t, b.count(), "the other host never receives a request, so never the apikey")
			assert.Equal(t, 4, a.count())
			assert.Zero(t, followed.Load(), "the caller's redirect policy is not used")
			require.NotNil(t, hc.CheckRedirect, "the caller's http.Client is not mutated")
			_ = hc.CheckRedirect(nil, nil)
			assert.Equal(t, int64(1), followed.Load())
		})
	}
}

func TestReliabilityKeyRedactedInErrors(t *testing.T) {
	t.Parallel()
	// A key with characters JSON escapes ("/" as CometChat does, and the
	// HTML-sensitive ones as Go does), so the raw body holds other forms of it.
	const key = "relK/ey<9>&Zz0123456789"
	escaped := []string{`relK\/ey<9>&Zz0123456789`, `relK\/ey\u003c9\u003e\u0026Zz0123456789`, `relK/ey\u003c9\u003e\u0026Zz0123456789`}
	jsonOf := func(v any) string {
		b, _ := json.Marshal(v)
		return string(b)
	}
	answers := map[string]struct {
		status int
		body   string
		code   string
	}{
		"no-access": {http.StatusForbidden, relErrorJSON("AUTH_ERR_NO_ACCESS",
			"The key "+key+" cannot be used to perform this operation."), "AUTH_ERR_NO_ACCESS"},
		"not-found": {http.StatusUnauthorized, jsonOf(map[string]any{"error": map[string]any{
			"code": "AUTH_ERR_APIKEY_NOT_FOUND", "message": "The key " + key + " does not exist.",
			"devMessage": "key=" + key, "source": key,
			"details": map[string]any{"apikey": []string{"unknown " + key}, key: "as a field name"},
		}}), "AUTH_ERR_APIKEY_NOT_FOUND"},
		"hostile-code": {http.StatusBadRequest, relErrorJSON("ERR_"+key, "bad"), "ERR_[redacted]"},
		"escaped":      {http.StatusInternalServerError, `{"error":{"code":"ERR_EXCEPTION","message":"` + escaped[0] + `"}}`, "ERR_EXCEPTION"},
		"html":         {http.StatusBadGateway, "<html>" + key + " " + strings.Join(escaped, " ") + "</html>", ""},
		"straddle":     {http.StatusBadGateway, strings.Repeat("x", maxKeptBody-6) + key, ""},
	}
	srv := relNewServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		a := answers[strings.TrimPrefix(r.URL.Path, "/v3/users/")]
		relWrite(w, a.status, a.body)
	})
	c, err := NewClient("relapp", RegionUS, key, WithBaseURL(srv.base()), WithMaxRetries(0))
	require.NoError(t, err)
	t.Cleanup(c.http.CloseIdleConnections)
	for uid, a := range answers {
		t.Run(uid, func(t *testing.T) {
			_, err := c.Users.Get(relCtx(t), uid)
			apiErr := relAPIError(t, err)
			assert.Equal(t, a.status, apiErr.StatusCode)
			assert.Equal(t, a.code, apiErr.Code)
			for _, s := range []string{err.Error(), fmt.Sprintf("%v %+v %#v", err, err, err),
				fmt.Sprintf("%+v %#v", *apiErr, *apiErr), apiErr.Body, apiErr.Message, apiErr.DevMessage, apiErr.Source} {
				relSecretsAbsent(t, s, append(escaped, key, key[:6])...)
			}
			for k, msgs := range apiErr.Details {
				relSecretsAbsent(t, k+strings.Join(msgs, " "), key)
			}
		})
	}
	_, err = c.Users.Get(relCtx(t), "no-access")
	assert.ErrorIs(t, err, ErrNoAccess, "redaction keeps the error matchable")
	assert.Contains(t, err.Error(), "[redacted]")
	relSecretsAbsent(t, fmt.Sprintf("%v %+v %#v %s", c, c, c, c), key)
}

func TestReliabilityAuthTokenRedacted(t *testing.T) {
	t.Parallel()
	const token = "alice_1700000000c0ffee0123456789abcdef"
	srv := relNewServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		switch r.Method {
		case http.MethodGet:
			relWrite(w, http.StatusNotFound, relErrorJSON("ERR_AUTH_TOKEN_NOT_FOUND", "Auth token "+token+" does not exist."))
		case http.MethodPut:
			relWrite(w, http.StatusOK, `{"data":{"uid":"alice","authToken":"`+token)
		case http.MethodDelete:
			relDropConn(t, w)
		case http.MethodPost:
			relWrite(w, http.StatusOK, `{"data":{"uid":"alice","name":"Alice","authToken":"`+token+`"}}`)
		}
	})
	var logs bytes.Buffer
	c, _ := relClient(t, srv.base(), WithMaxRetries(1),
		WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	ctx := relCtx(t)

	_, err := c.AuthTokens.Get(ctx, "alice", token)
	assert.ErrorIs(t, err, ErrAuthTokenNotFound)
	relSecretsAbsent(t, fmt.Sprintf("%v %+v", err, relAPIError(t, err)), token)

	_, err = c.AuthTokens.Update(ctx, "alice", token, &UpdateAuthTokenParams{Platform: Ptr("ios")})
	assert.ErrorIs(t, err, ErrInvalidResponse)
	relSecretsAbsent(t, err.Error(), token)

	err = c.AuthTokens.Delete(ctx, "alice", token)
	require.Error(t, err)
	relSecretsAbsent(t, err.Error(), token)

	u, err := c.Users.Create(ctx, &CreateUserParams{UID: "alice", Name: "Alice", WithAuthToken: true})
	require.NoError(t, err)
	assert.Equal(t, token, u.AuthToken)

	assert.Contains(t, logs.String(), "/users/alice/auth_tokens/[redacted]")
	relSecretsAbsent(t, logs.String(), token, relKey)
	for _, r := range srv.requests()[:1] {
		assert.Equal(t, "/v3/users/alice/auth_tokens/"+token, r.Path, "the real token is sent")
	}
}

// relLogLine is one JSON log record.
type relLogLine struct {
	Level   string `json:"level"`
	Msg     string `json:"msg"`
	Method  string `json:"method"`
	Path    string `json:"path"`
	Status  int    `json:"status"`
	Attempt int    `json:"attempt"`
	Wait    *int64 `json:"wait"`
}

func TestReliabilityDebugLog(t *testing.T) {
	t.Parallel()
	srv := relNewServer(t, func(w http.ResponseWriter, _ *http.Request, n int) {
		switch n {
		case 1:
			relWrite(w, http.StatusServiceUnavailable, relErrorJSON("ERR_MISSION_FAILED", "key "+relKey))
		case 2:
			w.Header().Set("Retry-After", "2")
			relWrite(w, http.StatusTooManyRequests, "")
		default:
			relWrite(w, http.StatusOK, relListJSON)
		}
	})
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, sl := relClient(t, srv.base(), WithLogger(logger), WithRetryWait(time.Millisecond, 10*time.Second))
	page, err := c.Users.List(relCtx(t), &ListUsersParams{SearchKey: "secret-person", Tags: []string{"vip-tag"}, PerPage: 10})
	require.NoError(t, err)
	require.Len(t, page.Users, 1)
	require.Len(t, sl.recorded(), 2)

	var attempts, retries []relLogLine
	for _, raw := range bytes.Split(bytes.TrimSpace(buf.Bytes()), []byte("\n")) {
		var l relLogLine
		require.NoError(t, json.Unmarshal(raw, &l), "%s", raw)
		switch l.Level {
		case "DEBUG":
			attempts = append(attempts, l)
		case "INFO":
			retries = append(retries, l)
		default:
			t.Errorf("unexpected log line %s", raw)
		}
	}
	require.Len(t, attempts, 3, "one debug line per attempt")
	for i, want := range []int{503, 429, 200} {
		assert.Equal(t, http.MethodGet, attempts[i].Method)
		assert.Equal(t, "/users", attempts[i].Path)
		assert.Equal(t, want, attempts[i].Status)
		assert.Equal(t, i+1, attempts[i].Attempt)
	}
	require.Len(t, retries, 2, "one info line per retry")
	for i, l := range retries {
		require.NotNil(t, l.Wait, "the retry line has the wait")
		assert.Equal(t, sl.recorded()[i], time.Duration(*l.Wait))
		assert.Equal(t, i+1, l.Attempt)
	}
	assert.Equal(t, 2*time.Second, time.Duration(*retries[1].Wait))
	relSecretsAbsent(t, buf.String(), relKey, "secret-person", "vip-tag", "searchKey", "perPage", "apikey", "Apikey")
	assert.Contains(t, srv.requests()[0].RawQuery, "searchKey=secret-person", "the query is sent, only not logged")

	// At info level only the retries are logged.
	var info bytes.Buffer
	srv2 := relNewServer(t, func(w http.ResponseWriter, _ *http.Request, n int) {
		if n == 1 {
			relWrite(w, http.StatusBadGateway, "")
			return
		}
		relWrite(w, http.StatusOK, relUserJSON)
	})
	c2, _ := relClient(t, srv2.base(), WithLogger(slog.New(slog.NewTextHandler(&info, nil))))
	_, err = c2.Users.Get(relCtx(t), "alice")
	require.NoError(t, err)
	assert.Equal(t, 1, strings.Count(info.String(), "\n"), info.String())
	assert.Contains(t, info.String(), "cometchat: retrying")
}

// TestReliabilityNoDefaultLogging is not parallel: it swaps os.Stderr and the
// log package's output while it runs.
func TestReliabilityNoDefaultLogging(t *testing.T) {
	r, w, err := os.Pipe()
	require.NoError(t, err)
	var stderrOut bytes.Buffer
	copied := make(chan struct{})
	go func() {
		defer close(copied)
		_, _ = io.Copy(&stderrOut, r) // concurrently, so a chatty bug cannot fill the pipe and block
	}()
	stderr, logOut, logFlags := os.Stderr, log.Writer(), log.Flags()
	os.Stderr = w
	var logged bytes.Buffer
	log.SetOutput(&logged)
	restore := sync.OnceFunc(func() {
		os.Stderr = stderr
		log.SetOutput(logOut)
		log.SetFlags(logFlags)
	})
	defer restore()

	srv := relNewServer(t, func(w http.ResponseWriter, _ *http.Request, n int) {
		switch {
		case n == 1:
			relWrite(w, http.StatusServiceUnavailable, "")
		case n == 2:
			relCutConn(t, w, relUserJSON, false)
		default:
			relWrite(w, http.StatusNotFound, relErrorJSON("ERR_UID_NOT_FOUND", "no"))
		}
	})
	c, sl := relClient(t, srv.base())
	_, err = c.Users.Get(relCtx(t), "alice")
	assert.ErrorIs(t, err, ErrUIDNotFound)
	assert.Len(t, sl.recorded(), 2)
	c2, _ := relClient(t, "http://"+relFreeAddr(t)+"/v3", WithMaxRetries(1))
	_, err = c2.Users.Get(relCtx(t), "alice")
	require.Error(t, err)

	restore()
	require.NoError(t, w.Close())
	<-copied
	require.NoError(t, r.Close())
	assert.Empty(t, stderrOut.String(), "nothing written to stderr")
	assert.Empty(t, logged.String(), "nothing written through the log package (nor slog's default)")
}

func TestReliabilityConcurrentSharedClient(t *testing.T) {
	t.Parallel()
	var seen sync.Map // "METHOD path" -> *atomic.Int64
	nth := func(r *http.Request) int64 {
		v, _ := seen.LoadOrStore(r.Method+" "+r.URL.Path, new(atomic.Int64))
		return v.(*atomic.Int64).Add(1)
	}
	srv := relNewServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		uid := strings.TrimPrefix(r.URL.Path, "/v3/users/")
		k := nth(r)
		w.Header().Set("X-RateLimit-Limit", "20000")
		w.Header().Set("X-RateLimit-Remaining", strconv.FormatInt(20000-k, 10))
		user := `{"data":{"uid":"` + uid + `","name":"N"}}`
		switch {
		case r.URL.Path == "/v3/users" && r.Method == http.MethodGet:
			relWrite(w, http.StatusOK, relListJSON)
		case r.URL.Path == "/v3/users" && r.Method == http.MethodPost:
			var body struct {
				UID string `json:"uid"`
			}
			raw, _ := io.ReadAll(r.Body)
			_ = json.Unmarshal(raw, &body)
			if v, _ := seen.LoadOrStore("create "+body.UID, new(atomic.Int64)); v.(*atomic.Int64).Add(1) == 1 && strings.HasSuffix(body.UID, "1") {
				relWrite(w, http.StatusTooManyRequests, "")
				return
			}
			relWrite(w, http.StatusOK, `{"data":{"uid":"`+body.UID+`","name":"N"}}`)
		case strings.HasSuffix(uid, "3"):
			relWrite(w, http.StatusNotFound, relErrorJSON("ERR_UID_NOT_FOUND", "no "+uid))
		case k == 1 && strings.HasSuffix(uid, "0"):
			relWrite(w, http.StatusServiceUnavailable, "")
		case k == 1 && strings.HasSuffix(uid, "2") && r.Method == http.MethodGet:
			relCutConn(t, w, user, false)
		default:
			relWrite(w, http.StatusOK, user)
		}
	})
	c, _ := relClient(t, srv.base())
	ctx := relCtx(t)
	var wg sync.WaitGroup
	for g := range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			uid := fmt.Sprintf("u%d", g)
			u, err := c.Users.Create(ctx, &CreateUserParams{UID: uid, Name: "N", Tags: []string{uid}})
			if assert.NoError(t, err, uid) {
				assert.Equal(t, uid, u.UID)
			}
			u, err = c.Users.Get(ctx, uid)
			if strings.HasSuffix(uid, "3") {
				assert.ErrorIs(t, err, ErrUIDNotFound, uid)
				assert.Nil(t, u)
			} else if assert.NoError(t, err, uid) {
				assert.Equal(t, uid, u.UID)
			}
			_, err = c.Users.Update(ctx, uid, &UpdateUserParams{Name: Ptr("M")})
			assert.Equal(t, strings.HasSuffix(uid, "3"), err != nil, "%s: %v", uid, err)
			page, err := c.Users.List(ctx, &ListUsersParams{SearchKey: uid})
			if assert.NoError(t, err) {
				assert.Len(t, page.Users, 1)
			}
			err = c.Users.Delete(ctx, uid, nil)
			assert.Equal(t, strings.HasSuffix(uid, "3"), err != nil, "%s: %v", uid, err)
			// The cut answers carry no rate-limit headers: 0 then.
			assert.Contains(t, []int{0, 20000}, c.RateLimit().Limit)
		}()
	}
	wg.Wait()
}

// relBodies counts the response bodies a transport handed out and not yet
// closed.
type relBodies struct {
	rt   http.RoundTripper
	open atomic.Int64
}

func (b *relBodies) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := b.rt.RoundTrip(r)
	if resp != nil {
		b.open.Add(1)
		resp.Body = &relBody{ReadCloser: resp.Body, b: b}
	}
	return resp, err
}

type relBody struct {
	io.ReadCloser
	b    *relBodies
	once sync.Once
}

func (rb *relBody) Close() error {
	rb.once.Do(func() { rb.b.open.Add(-1) })
	return rb.ReadCloser.Close()
}

func TestReliabilityBodiesClosed(t *testing.T) {
	t.Parallel()
	srv := relNewServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		switch strings.TrimPrefix(r.URL.Path, "/v3/users/") {
		case "ok":
			relWrite(w, http.StatusOK, relUserJSON)
		case "truncated":
			relWrite(w, http.StatusOK, relUserJSON[:20])
		case "big":
			relWrite(w, http.StatusOK, `{"data":{"uid":"big","name":"`+strings.Repeat("b", 200<<10)+`"}}`)
		case "missing":
			relWrite(w, http.StatusNotFound, relErrorJSON("ERR_UID_NOT_FOUND", "no"))
		case "bigerror":
			relWrite(w, http.StatusBadRequest, strings.Repeat("e", 300<<10))
		case "unavailable":
			relWrite(w, http.StatusServiceUnavailable, strings.Repeat("u", 100<<10))
		case "limited":
			w.Header().Set("Retry-After", "3600")
			relWrite(w, http.StatusTooManyRequests, "")
		case "wait":
			w.Header().Set("Retry-After", "1")
			relWrite(w, http.StatusTooManyRequests, "")
		case "moved":
			http.Redirect(w, r, "http://127.0.0.1:1/elsewhere", http.StatusFound)
		case "cut":
			relCutConn(t, w, relUserJSON, false)
		}
	})
	bodies := &relBodies{rt: &http.Transport{}}
	t.Cleanup(bodies.rt.(*http.Transport).CloseIdleConnections)
	c, sl := relClient(t, srv.base(), WithHTTPClient(&http.Client{Transport: bodies}), WithMaxRetries(2), WithMaxResponseBytes(100<<10))
	var cancel context.CancelFunc
	sl.hook = func(int) {
		if cancel != nil {
			cancel()
		}
	}
	for _, uid := range []string{"ok", "truncated", "big", "missing", "bigerror", "unavailable", "limited", "moved", "cut", "wait"} {
		ctx, cf := context.WithCancel(relCtx(t))
		if uid == "wait" {
			cancel = cf // the context ends during the retry wait
		}
		_, _ = c.Users.Get(ctx, uid)
		_ = c.Users.Delete(ctx, uid, nil)
		cf()
		assert.Zero(t, bodies.open.Load(), "%s: every response body is closed", uid)
	}
}

func TestReliabilityConnectionReuse(t *testing.T) {
	t.Parallel()
	srv := relNewServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		switch strings.TrimPrefix(r.URL.Path, "/v3/users/") {
		case "missing":
			relWrite(w, http.StatusNotFound, relErrorJSON("ERR_UID_NOT_FOUND", "The UID missing does not exist."))
		case "unavailable":
			relWrite(w, http.StatusServiceUnavailable, relErrorJSON("ERR_MISSION_FAILED", "later"))
		case "limited":
			w.Header().Set("Retry-After", "3600")
			relWrite(w, http.StatusTooManyRequests, "")
		case "truncated":
			relWrite(w, http.StatusOK, relUserJSON[:30])
		case "wait":
			relWrite(w, http.StatusBadGateway, "")
		default:
			relWrite(w, http.StatusOK, relUserJSON)
		}
	})
	c, sl := relClient(t, srv.base(), WithMaxRetries(2))
	ctx := relCtx(t)
	waitCtx, cancelWait := context.WithCancel(ctx)
	defer cancelWait()
	sl.hook = func(int) {}
	steps := []struct {
		uid  string
		ctx  context.Context
		want func(error) bool
	}{
		{"missing", ctx, func(err error) bool { return errors.Is(err, ErrUIDNotFound) }},
		{"unavailable", ctx, func(err error) bool { return errors.Is(err, ErrMissionFailed) }},
		{"limited", ctx, func(err error) bool { return errors.Is(err, ErrTooManyRequests) }},
		{"truncated", ctx, func(err error) bool { return errors.Is(err, ErrInvalidResponse) }},
		{"wait", waitCtx, func(err error) bool { return errors.Is(err, context.Canceled) }},
	}
	for _, s := range steps {
		if s.uid == "wait" {
			sl.mu.Lock()
			sl.hook = func(int) { cancelWait() }
			sl.mu.Unlock()
		}
		_, err := c.Users.Get(s.ctx, s.uid)
		assert.True(t, s.want(err), "%s: %v", s.uid, err)
		_, err = c.Users.Get(ctx, "alice")
		require.NoError(t, err)
		assert.Equal(t, int64(1), srv.newConns.Load(), "after %s the next call reuses the connection", s.uid)
	}
}

func TestReliabilityRateLimitInfo(t *testing.T) {
	t.Parallel()
	reset := time.Unix(1700000060, 0)
	srv := relNewServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		h := w.Header()
		if r.URL.Path == "/v3/users/old" {
			h.Set("X-Rate-Limit", "500")
			h.Set("X-Rate-Limit-Remaining", "7")
			h.Set("X-Rate-Limit-Reset", "1700000060")
			h.Set("Retry-After", "3600")
			relWrite(w, http.StatusTooManyRequests, relErrorJSON("ERR_TOO_MANY_REQUESTS", "later"))
			return
		}
		h.Set("X-RateLimit-Limit", "20000")
		h.Set("X-RateLimit-Remaining", "19999")
		h.Set("X-RateLimit-Limit-For-App", "40000")
		h.Set("X-RateLimit-Remaining-For-App", "39990")
		relWrite(w, http.StatusOK, relUserJSON)
	})
	c, _ := relClient(t, srv.base())
	assert.Equal(t, RateLimit{}, c.RateLimit(), "zero before the first answer")
	_, err := c.Users.Get(relCtx(t), "alice")
	require.NoError(t, err)
	assert.Equal(t, RateLimit{Limit: 20000, Remaining: 19999, AppLimit: 40000, AppRemaining: 39990}, c.RateLimit())

	_, err = c.Users.Get(relCtx(t), "old")
	apiErr := relAPIError(t, err)
	want := RateLimit{Limit: 500, Remaining: 7, Reset: reset}
	assert.Equal(t, want, apiErr.RateLimit)
	assert.Equal(t, want, c.RateLimit())
	assert.Equal(t, time.Hour, apiErr.RetryAfter)
}

// TestReliabilityJSONFormsRedacted checks the escaped forms secretReplacer
// covers, so a key with characters JSON escapes is redacted in raw bodies.
func TestReliabilityJSONFormsRedacted(t *testing.T) {
	t.Parallel()
	e := newAPIError(http.StatusBadGateway, nil, []byte(`a\\b <x> a\b a\\b`), time.Now(), `a\b`)
	assert.NotContains(t, e.Body, `a\b`)
	assert.NotContains(t, e.Body, `\\b`, "the escaped form is replaced whole")
}
