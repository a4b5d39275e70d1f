package cometchattest

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/gocometchat/cometchat"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestServer_SDK_RateLimit(t *testing.T) {
	srv, _, clk := setupSDK(t, WithRateLimit(2))
	c := srv.Client(cometchat.WithMaxRetries(0))
	ctx := context.Background()
	_, err := c.Users.List(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, cometchat.RateLimit{Limit: 2, Remaining: 1, AppLimit: 100000, AppRemaining: 99999}, c.RateLimit())
	clk.Advance(15 * time.Second)
	_, err = c.Users.List(ctx, nil)
	require.NoError(t, err)
	_, err = c.Users.List(ctx, nil)
	assert.ErrorIs(t, err, cometchat.ErrTooManyRequests)
	e := sdkErr(t, err)
	assert.Equal(t, http.StatusTooManyRequests, e.StatusCode)
	assert.Equal(t, 45*time.Second, e.RetryAfter)
	assert.Equal(t, 0, e.RateLimit.Remaining)
	assert.Equal(t, epoch.Add(time.Minute).Unix(), e.RateLimit.Reset.Unix())

	// The SDK does not wait out a Retry-After longer than its longest wait: it gives up with the 429 at once.
	before := srv.RequestCountFor(http.MethodGet, "/users")
	_, err = srv.Client().Users.List(ctx, nil)
	assert.ErrorIs(t, err, cometchat.ErrTooManyRequests)
	assert.Equal(t, 1, srv.RequestCountFor(http.MethodGet, "/users")-before)
}

func TestServer_RateLimit_SlidingWindow(t *testing.T) {
	srv, clock := newTestServer(t, WithRateLimit(3))
	get := func() response { return call(t, srv, http.MethodGet, "/users", "") }

	r := get() // at t0
	assert.Equal(t, "3", r.header.Get("X-RateLimit-Limit"))
	assert.Equal(t, "2", r.header.Get("X-RateLimit-Remaining"))
	assert.Equal(t, "100000", r.header.Get("X-RateLimit-Limit-For-App"), "the app-wide limit is WithAppRateLimit's")
	assert.Equal(t, "99999", r.header.Get("X-RateLimit-Remaining-For-App"))
	clock.Advance(10 * time.Second)
	assert.Equal(t, "1", call(t, srv, http.MethodPost, "/users", `{"uid":"a","name":"A"}`).header.Get("X-RateLimit-Remaining"), "core operations share the budget")
	clock.Advance(10 * time.Second)
	r = call(t, srv, http.MethodGet, "/nope", "")
	r.apiErr(t, http.StatusNotFound, "ERR_API_NOT_FOUND")
	assert.Empty(t, r.header.Get("X-RateLimit-Remaining"), "404s neither count nor report")
	assert.Equal(t, "0", call(t, srv, http.MethodGet, "/users/a", "").header.Get("X-RateLimit-Remaining"))

	clock.Advance(10*time.Second + 400*time.Millisecond) // t0+30.4s: the oldest leaves at t0+60s
	for range 3 {
		r = get()
		e := r.apiErr(t, http.StatusTooManyRequests, "ERR_TOO_MANY_REQUESTS")
		assert.Equal(t, "30", r.header.Get("Retry-After"), "whole seconds, rounded up")
		assert.Equal(t, "Please retry for seconds after 30", e["message"])
		assert.Equal(t, strconv.FormatInt(t0.Unix()+60, 10), r.header.Get("X-RateLimit-Reset"))
		assert.Equal(t, "0", r.header.Get("X-RateLimit-Remaining"))
	}
	// Unauthenticated requests neither count nor are limited.
	r = call(t, srv, http.MethodGet, "/users", "", "apikey", "")
	r.apiErr(t, http.StatusUnauthorized, "AUTH_ERR_EMPTY_APIKEY")
	assert.Equal(t, "0", r.header.Get("X-RateLimit-Remaining"))

	clock.Advance(29*time.Second + 500*time.Millisecond) // t0+59.9s
	assert.Equal(t, "1", get().header.Get("Retry-After"), "never below one second")
	clock.Advance(100 * time.Millisecond) // t0+60s: the first request left; the 429s never counted
	r = get()
	require.Equal(t, http.StatusOK, r.status, r.raw)
	assert.Equal(t, "0", r.header.Get("X-RateLimit-Remaining"))
	r = get()
	r.apiErr(t, http.StatusTooManyRequests, "ERR_TOO_MANY_REQUESTS")
	assert.Equal(t, "10", r.header.Get("Retry-After"), "until the request of t0+10s leaves")
}

func TestServer_RateLimit_ImportBudget(t *testing.T) {
	srv, clock := newTestServer(t, WithRateLimit(1000))
	body := func(i int) string {
		return `{"users":{"u` + strconv.Itoa(i) + `":{"uid":"u` + strconv.Itoa(i) + `","name":"N"}}}`
	}
	for i := range 60 {
		r := call(t, srv, http.MethodPost, "/data_import/users", body(i))
		require.Equal(t, http.StatusOK, r.status, r.raw)
		assert.Equal(t, "60", r.header.Get("X-RateLimit-Limit"))
		assert.Equal(t, strconv.Itoa(59-i), r.header.Get("X-RateLimit-Remaining"))
		assert.Equal(t, strconv.Itoa(99999-i), r.header.Get("X-RateLimit-Remaining-For-App"), "the app counts every request")
		clock.Advance(time.Second / 2)
	}
	r := call(t, srv, http.MethodPost, "/data_import/users", body(60))
	e := r.apiErr(t, http.StatusTooManyRequests, "ERR_TOO_MANY_REQUESTS")
	assert.Equal(t, "30", r.header.Get("Retry-After"))
	assert.Equal(t, "Please retry for seconds after 30", e["message"])
	_, ok := srv.User("u60")
	assert.False(t, ok, "a 429'd request is not processed")

	r = call(t, srv, http.MethodGet, "/users", "")
	require.Equal(t, http.StatusOK, r.status, "other operations are not limited by the import budget")
	assert.Equal(t, "999", r.header.Get("X-RateLimit-Remaining"), "imports have their own class budget")

	clock.Advance(30 * time.Second)
	assert.Equal(t, http.StatusOK, call(t, srv, http.MethodPost, "/data_import/users", body(60)).status)
}

func TestWindow_Until_RoundsResetUp(t *testing.T) {
	w := window{limit: 1, hits: []int64{t0.Add(500 * time.Millisecond).UnixNano()}}
	secs, reset := w.until(t0.Add(time.Second).UnixNano())
	assert.Equal(t, 60, secs)
	assert.Equal(t, t0.Unix()+61, reset.Unix())
}

func TestServer_RateLimit_DefaultHeadersCountWithoutRefusing(t *testing.T) {
	srv, clock := newTestServer(t)
	check := func(method, path, body, limit, remaining, appRemaining string) {
		t.Helper()
		r := call(t, srv, method, path, body)
		assert.Equal(t, limit, r.header.Get("X-RateLimit-Limit"), path)
		assert.Equal(t, remaining, r.header.Get("X-RateLimit-Remaining"), path)
		assert.Equal(t, "100000", r.header.Get("X-RateLimit-Limit-For-App"), path)
		assert.Equal(t, appRemaining, r.header.Get("X-RateLimit-Remaining-For-App"), path)
		assert.Empty(t, r.header.Get("Retry-After"))
	}
	check(http.MethodPost, "/users", `{"uid":"a","name":"A"}`, "10000", "9999", "99999")
	check(http.MethodGet, "/users/a", "", "20000", "19999", "99998")
	check(http.MethodGet, "/users", "", "20000", "19998", "99997")
	check(http.MethodPut, "/users/a", `{}`, "20000", "19997", "99996")
	check(http.MethodDelete, "/users/a", "", "10000", "9998", "99995")
	check(http.MethodPost, "/data_import/users", `{}`, "60", "59", "99994")
	check(http.MethodGet, "/users/none", "", "20000", "19996", "99993")
	clock.Advance(time.Minute)
	check(http.MethodGet, "/users", "", "20000", "19999", "99999")
	for range 60 {
		call(t, srv, http.MethodPost, "/data_import/users", `{}`)
	}
	check(http.MethodPost, "/data_import/users", `{}`, "60", "0", "99938") // past the limit: counted, not refused
}

func TestWindow_KeepsNewestHitsOnly(t *testing.T) {
	w := newWindow(3, false)
	sec := int64(time.Second)
	for i := range int64(5) {
		w.add(i * sec)
	}
	assert.Equal(t, []int64{2 * sec, 3 * sec, 4 * sec}, []int64{w.hits[w.head], w.hits[(w.head+1)%3], w.hits[(w.head+2)%3]})
	assert.Equal(t, 0, w.remaining())
	w.prune(62 * sec) // hits at 0..2 s have left
	assert.Equal(t, 1, w.remaining(), "exact: hits dropped from the ring were older still")
	w.prune(70 * sec)
	assert.Equal(t, 3, w.remaining())
}

func TestServer_RateLimit_AppWideLimitCountsEveryClass(t *testing.T) {
	srv, clock := newTestServer(t, WithAppRateLimit(3), WithRateLimit(100))
	createUser(t, srv, `{"uid":"a","name":"A"}`)
	call(t, srv, http.MethodPost, "/data_import/users", `{"users":{"b":{"uid":"b","name":"B"}}}`).data(t)
	clock.Advance(10 * time.Second)
	r := call(t, srv, http.MethodGet, "/users/a", "")
	assert.Equal(t, "0", r.header.Get("X-RateLimit-Remaining-For-App"))
	assert.Equal(t, "98", r.header.Get("X-RateLimit-Remaining"), "create and get share the class budget; the import has its own")
	r = call(t, srv, http.MethodGet, "/users/a", "")
	r.apiErr(t, http.StatusTooManyRequests, "ERR_TOO_MANY_REQUESTS")
	assert.Equal(t, "50", r.header.Get("Retry-After"), "until the app's oldest request leaves")
	assert.Equal(t, "3", r.header.Get("X-RateLimit-Limit-For-App"))
	assert.Equal(t, "98", r.header.Get("X-RateLimit-Remaining"), "a refused request is not counted")
}
