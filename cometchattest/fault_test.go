package cometchattest

import (
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestServer_InjectFault_DefaultEnvelopes(t *testing.T) {
	srv, _ := newTestServer(t)
	for status, code := range map[int]string{
		400: "ERR_BAD_REQUEST", 401: "AUTH_ERR_APIKEY_NOT_FOUND", 402: "ERR_PLAN_QUOTA_RESTRICTION",
		403: "AUTH_ERR_NO_ACCESS", 404: "ERR_API_NOT_FOUND", 409: "ERR_BAD_REQUEST", 429: "ERR_TOO_MANY_REQUESTS",
		500: "ERR_MISSION_FAILED", 502: "ERR_MISSION_FAILED", 503: "ERR_MISSION_FAILED",
	} {
		srv.InjectFault(Fault{Status: status})
		r := call(t, srv, http.MethodGet, "/users", "")
		e := r.apiErr(t, status, code)
		assert.NotContains(t, e, "details")
		assert.Equal(t, "20000", r.header.Get("X-RateLimit-Limit"), "faults carry the rate-limit headers")
	}
	assert.Equal(t, http.StatusOK, call(t, srv, http.MethodGet, "/users", "").status, "each fault answered once")
}

func TestServer_InjectFault_BodyAndHeader(t *testing.T) {
	srv, _ := newTestServer(t)
	srv.InjectFault(Fault{Status: 502, Body: "<html>Bad Gateway</html>"})
	r := call(t, srv, http.MethodGet, "/users", "")
	assert.Equal(t, 502, r.status)
	assert.Equal(t, "<html>Bad Gateway</html>", r.raw)
	assert.Equal(t, "text/plain; charset=utf-8", r.header.Get("Content-Type"))

	srv.InjectFault(Fault{Status: 429, Body: `{"error":{"code":"X"}}`, Header: http.Header{"Retry-After": {"7"}, "X-Ratelimit-Remaining": {"0"}}})
	r = call(t, srv, http.MethodGet, "/users", "")
	assert.Equal(t, 429, r.status)
	assert.Equal(t, "X", r.body["error"].(map[string]any)["code"])
	assert.Equal(t, "application/json", r.header.Get("Content-Type"))
	assert.Equal(t, "7", r.header.Get("Retry-After"))
	assert.Equal(t, "0", r.header.Get("X-RateLimit-Remaining"), "Header overrides the computed ones")

	srv.InjectFault(Fault{Status: 503, Body: "down", Header: http.Header{"Content-Type": {"text/html"}}})
	assert.Equal(t, "text/html", call(t, srv, http.MethodGet, "/users", "").header.Get("Content-Type"))

	srv.InjectFault(Fault{Status: 204})
	r = call(t, srv, http.MethodGet, "/users", "")
	assert.Equal(t, 204, r.status)
	assert.Empty(t, r.raw)
}

func TestServer_InjectFault_TimesAndMatching(t *testing.T) {
	srv, _ := newTestServer(t)
	createUser(t, srv, `{"uid":"alice","name":"A"}`)
	srv.InjectFault(Fault{Method: http.MethodGet, Path: "/users/alice", Times: 2, Status: 500})
	srv.InjectFault(Fault{Path: "/users/alice", Status: 503}) // queued behind the first
	call(t, srv, http.MethodPut, "/users/alice", `{}`).apiErr(t, 503, "ERR_MISSION_FAILED")
	call(t, srv, http.MethodGet, "/users", "").list(t)
	call(t, srv, http.MethodGet, "/users/bob", "").apiErr(t, 404, "ERR_UID_NOT_FOUND")
	call(t, srv, http.MethodGet, "/users/alice", "").apiErr(t, 500, "ERR_MISSION_FAILED")
	call(t, srv, http.MethodGet, "/users/alice", "").apiErr(t, 500, "ERR_MISSION_FAILED")
	call(t, srv, http.MethodGet, "/users/alice", "").data(t)

	srv.InjectFault(Fault{Path: "/users/x%2Fy", Status: 500})
	call(t, srv, http.MethodGet, "/users/x%2Fy?withTags=true", "").apiErr(t, 500, "ERR_MISSION_FAILED")

	srv.InjectFault(Fault{Method: http.MethodPost, Status: 500})
	srv.InjectFault(Fault{Status: 400})
	call(t, srv, http.MethodGet, "/users", "").apiErr(t, 400, "ERR_BAD_REQUEST")
	call(t, srv, http.MethodPost, "/users", `{}`).apiErr(t, 500, "ERR_MISSION_FAILED")
}

func TestServer_InjectFault_BeforeAuthAndBudget(t *testing.T) {
	srv, _ := newTestServer(t, WithRateLimit(1))
	srv.InjectFault(Fault{Status: 500, Times: 3})
	for range 3 {
		call(t, srv, http.MethodGet, "/users", "", "apikey", "").apiErr(t, 500, "ERR_MISSION_FAILED")
	}
	r := call(t, srv, http.MethodGet, "/users", "")
	assert.Equal(t, http.StatusOK, r.status, "faults use no budget")
	assert.Equal(t, "0", r.header.Get("X-RateLimit-Remaining"))
}

func TestServer_InjectFault_DelayThenNormal(t *testing.T) {
	srv, _ := newTestServer(t)
	srv.InjectFault(Fault{Delay: 50 * time.Millisecond})
	start := time.Now()
	r := call(t, srv, http.MethodGet, "/users", "")
	assert.GreaterOrEqual(t, time.Since(start), 50*time.Millisecond)
	assert.Equal(t, http.StatusOK, r.status)

	srv.InjectFault(Fault{Delay: 20 * time.Millisecond, Status: 503})
	call(t, srv, http.MethodGet, "/users", "").apiErr(t, 503, "ERR_MISSION_FAILED")
}

func TestServer_InjectFault_DelayEndsWithClientContext(t *testing.T) {
	srv, _ := newTestServer(t)
	srv.InjectFault(Fault{Delay: time.Hour})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL()+"/users", nil)
	req.Header.Set("apikey", srv.APIKey())
	start := time.Now()
	_, err := http.DefaultClient.Do(req)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	done := make(chan struct{})
	go func() { srv.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close hung on a delayed fault whose client left")
	}
	assert.Less(t, time.Since(start), 5*time.Second)
}

func TestServer_InjectFault_DelayEndsWithClose(t *testing.T) {
	srv := NewServer()
	srv.InjectFault(Fault{Delay: time.Hour, Status: 500})
	errc := make(chan error, 1)
	go func() {
		req, _ := http.NewRequest(http.MethodGet, srv.URL()+"/users", nil)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			_, err = io.ReadAll(resp.Body)
			resp.Body.Close()
		}
		errc <- err
	}()
	require.Eventually(t, func() bool { return srv.RequestCount() == 1 }, 5*time.Second, time.Millisecond)
	done := make(chan struct{})
	go func() { srv.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close hung on a delayed fault")
	}
	assert.Error(t, <-errc, "the connection is dropped")
}

func TestServer_InjectFault_PanicsOnNonsense(t *testing.T) {
	srv, _ := newTestServer(t)
	assert.Panics(t, func() { srv.InjectFault(Fault{Status: 99}) })
	assert.Panics(t, func() { srv.InjectFault(Fault{Status: 600}) })
	assert.Panics(t, func() { srv.InjectFault(Fault{Times: -1}) })
	assert.Panics(t, func() { srv.InjectFault(Fault{Delay: -1}) })
}
