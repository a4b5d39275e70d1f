package cometchattest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gocometchat/cometchat"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// t0 is the fake clock's start: a fixed second, so expected bodies can hold exact timestamps.
var t0 = time.Unix(1700000000, 0).UTC()

// fakeClock is a settable clock for WithClock.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{now: t0} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// newTestServer starts a server with a fake clock at t0 (unless opts set another) and closes it after the test.
func newTestServer(t testing.TB, opts ...ServerOption) (*Server, *fakeClock) {
	t.Helper()
	clock := newFakeClock()
	srv := NewServer(append([]ServerOption{WithClock(clock.Now)}, opts...)...)
	t.Cleanup(srv.Close)
	return srv, clock
}

// response is a raw answer of the fake.
type response struct {
	status int
	header http.Header
	raw    string
	body   map[string]any
}

// call sends a request with the server's key (unless hdr sets "apikey", "" removing it) and checks that the
// answer is JSON without a single null.
func call(t testing.TB, srv *Server, method, path, body string, hdr ...string) response {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL()+path, strings.NewReader(body))
	require.NoError(t, err)
	if body == "" {
		req.Body = http.NoBody
		req.ContentLength = 0
	} else {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("apikey", srv.APIKey())
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i+1] == "" {
			req.Header.Del(hdr[i])
		} else {
			req.Header.Set(hdr[i], hdr[i+1])
		}
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	r := response{status: resp.StatusCode, header: resp.Header, raw: string(raw)}
	if len(raw) > 0 && resp.Header.Get("Content-Type") == "application/json" {
		require.NoError(t, json.Unmarshal(raw, &r.body), "body: %s", raw)
		assertNoNull(t, raw)
	}
	return r
}

// assertNoNull fails if any JSON value in raw is null (a string containing "null" is fine).
func assertNoNull(t testing.TB, raw []byte) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(raw))
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		require.NoError(t, err)
		require.NotNil(t, tok, "null in %s", raw)
	}
}

// data is the "data" member of a success answer as an object.
func (r response) data(t testing.TB) map[string]any {
	t.Helper()
	require.Equal(t, http.StatusOK, r.status, r.raw)
	d, ok := r.body["data"].(map[string]any)
	require.True(t, ok, "data is not an object: %s", r.raw)
	return d
}

// list is the "data" member of a list answer.
func (r response) list(t testing.TB) []any {
	t.Helper()
	require.Equal(t, http.StatusOK, r.status, r.raw)
	d, ok := r.body["data"].([]any)
	require.True(t, ok, "data is not an array: %s", r.raw)
	return d
}

// uids are the uids of a users list answer, in order.
func (r response) uids(t testing.TB) []string {
	t.Helper()
	var out []string
	for _, item := range r.list(t) {
		out = append(out, item.(map[string]any)["uid"].(string))
	}
	return out
}

// pagination is meta.pagination of a list answer.
func (r response) pagination(t testing.TB) map[string]any {
	t.Helper()
	meta, ok := r.body["meta"].(map[string]any)
	require.True(t, ok, r.raw)
	p, ok := meta["pagination"].(map[string]any)
	require.True(t, ok, r.raw)
	return p
}

// apiErr checks an error answer's status and code and returns its error object.
func (r response) apiErr(t testing.TB, status int, code string) map[string]any {
	t.Helper()
	require.Equal(t, status, r.status, r.raw)
	e, ok := r.body["error"].(map[string]any)
	require.True(t, ok, "no error object: %s", r.raw)
	require.Equal(t, code, e["code"], r.raw)
	require.Equal(t, "chat-api", e["source"])
	require.NotEmpty(t, e["message"])
	require.NotEmpty(t, e["devMessage"])
	return e
}

// detailsOf checks a validation answer and returns its details.
func (r response) detailsOf(t testing.TB) map[string]any {
	t.Helper()
	e := r.apiErr(t, http.StatusBadRequest, "ERR_BAD_REQUEST")
	d, ok := e["details"].(map[string]any)
	require.True(t, ok, "no details: %s", r.raw)
	return d
}

// createUser creates a user through the API and fails the test otherwise.
func createUser(t testing.TB, srv *Server, body string) map[string]any {
	t.Helper()
	return call(t, srv, http.MethodPost, "/users", body).data(t)
}

// tryCall sends a request and returns its status (0 on a transport error, which it reports), for goroutines
// where call's require would be wrong.
func tryCall(t testing.TB, srv *Server, method, path, body string) int {
	req, err := http.NewRequest(method, srv.URL()+path, strings.NewReader(body))
	if !assert.NoError(t, err) {
		return 0
	}
	req.Header.Set("apikey", srv.APIKey())
	resp, err := http.DefaultClient.Do(req)
	if !assert.NoError(t, err) {
		return 0
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

var epoch = time.Unix(1700000000, 0)

// setupSDK starts a fake on a fake clock at epoch and an SDK client of it. Tests using it drive the real SDK against
// the fake: any disagreement between the two about the wire format or the API's behaviour fails them.
func setupSDK(t *testing.T, opts ...ServerOption) (*Server, *cometchat.Client, *fakeClock) {
	t.Helper()
	clk := &fakeClock{now: epoch}
	srv := NewServer(append([]ServerOption{WithClock(clk.Now)}, opts...)...)
	t.Cleanup(srv.Close)
	return srv, srv.Client(cometchat.WithRetryWait(time.Millisecond, 10*time.Millisecond)), clk
}

func sdkErr(t *testing.T, err error) *cometchat.APIError {
	t.Helper()
	var apiErr *cometchat.APIError
	require.ErrorAs(t, err, &apiErr)
	return apiErr
}
