package cometchattest

import (
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gocometchat/cometchat"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewServerDefaults(t *testing.T) {
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

func TestServerOptions(t *testing.T) {
	srv := NewServer(WithAPIKey("secret"), WithAppID("My-App1"), WithRegion("eu"))
	defer srv.Close()
	assert.Equal(t, "secret", srv.APIKey())
	assert.Equal(t, "My-App1", srv.AppID())
	assert.Equal(t, "eu", srv.Region())
	assert.Equal(t, http.StatusOK, call(t, srv, http.MethodGet, "/users", "").status)

	assert.Panics(t, func() { NewServer(WithAppID("bad.id")) })
	assert.Panics(t, func() { NewServer(WithRegion("EU")) })
}

func TestWithListener(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := NewServer(WithListener(ln))
	assert.Equal(t, "http://"+ln.Addr().String()+"/v3", srv.URL())
	assert.Equal(t, http.StatusOK, call(t, srv, http.MethodGet, "/users", "").status)
	srv.Close()
	_, err = net.Dial("tcp", ln.Addr().String())
	assert.Error(t, err, "Close closes the listener")
}

func TestAuthErrors(t *testing.T) {
	srv, _ := newTestServer(t)
	r := call(t, srv, http.MethodGet, "/users", "", "apikey", "")
	e := r.apiErr(t, http.StatusUnauthorized, "AUTH_ERR_EMPTY_APIKEY")
	assert.NotContains(t, e, "details")
	assert.Equal(t, "20000", r.header.Get("X-RateLimit-Limit"), "rate-limit headers on errors too")

	r = call(t, srv, http.MethodGet, "/users/a", "", "apikey", "wrong-key")
	e = r.apiErr(t, http.StatusUnauthorized, "AUTH_ERR_APIKEY_NOT_FOUND")
	assert.Contains(t, e["message"], "The key wrong-key ")

	// Unknown routes still need a key: authentication comes first.
	call(t, srv, http.MethodGet, "/nope", "", "apikey", "").apiErr(t, http.StatusUnauthorized, "AUTH_ERR_EMPTY_APIKEY")
}

func TestUnknownRoutes(t *testing.T) {
	srv, _ := newTestServer(t)
	createUser(t, srv, `{"uid":"a","name":"A"}`)
	for _, tc := range []struct{ method, path string }{
		{http.MethodPatch, "/users"}, {http.MethodPost, "/users/a"}, {http.MethodGet, "/users/"},
		{http.MethodGet, "/users//auth_tokens"}, {http.MethodGet, "/nope"}, {http.MethodGet, ""},
		{http.MethodGet, "/users/a/friends"}, {http.MethodPut, "/users/a/auth_tokens"},
		{http.MethodPost, "/users/a/auth_tokens/t"}, {http.MethodGet, "/users/a/auth_tokens/t/x"},
		{http.MethodGet, "/data_import/users"}, {http.MethodPost, "/data_import/groups"},
	} {
		r := call(t, srv, tc.method, tc.path, "")
		e := r.apiErr(t, http.StatusNotFound, "ERR_API_NOT_FOUND")
		assert.Equal(t, "The API endpoint is invalid. Please verify the API call.", e["message"], tc)
		assert.NotEmpty(t, r.header.Get("X-RateLimit-Remaining"), tc)
	}
	// Outside /v3.
	resp, err := http.Get(strings.TrimSuffix(srv.URL(), "/v3") + "/v2/users")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	req, _ := http.NewRequest(http.MethodGet, strings.TrimSuffix(srv.URL(), "/v3")+"/v3x/users", nil)
	req.Header.Set("apikey", srv.APIKey())
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
}

func TestDefaultRateLimitHeaders(t *testing.T) {
	srv, _ := newTestServer(t)
	check := func(method, path, body, limit string) {
		t.Helper()
		r := call(t, srv, method, path, body)
		assert.Equal(t, limit, r.header.Get("X-RateLimit-Limit"), path)
		assert.Equal(t, limit, r.header.Get("X-RateLimit-Remaining"), path)
		assert.Equal(t, "20000", r.header.Get("X-RateLimit-Limit-For-App"), path)
		assert.Equal(t, "20000", r.header.Get("X-RateLimit-Remaining-For-App"), path)
		assert.Empty(t, r.header.Get("Retry-After"))
	}
	check(http.MethodPost, "/users", `{"uid":"a","name":"A"}`, "10000")
	check(http.MethodGet, "/users/a", "", "20000")
	check(http.MethodGet, "/users", "", "20000")
	check(http.MethodPut, "/users/a", `{}`, "20000")
	check(http.MethodDelete, "/users/a", "", "10000")
	check(http.MethodPost, "/data_import/users", `{}`, "60")
	check(http.MethodGet, "/users/none", "", "20000")
}

func TestAddUsers(t *testing.T) {
	srv, _ := newTestServer(t)
	created := time.Unix(1600000000, 0).UTC()
	meta := map[string]any{"k": "v"}
	tags := []string{"a"}
	err := srv.AddUsers(
		&cometchat.User{UID: "Seed", Name: "S", Avatar: "https://x.io/a.png", Link: "https://x.io", Role: "r",
			StatusMessage: "m", Metadata: meta, Status: cometchat.StatusAvailable, Tags: tags,
			CreatedAt: created, UpdatedAt: created.Add(time.Hour), LastActiveAt: created.Add(2 * time.Hour),
			AuthToken: "seed_tok"},
		&cometchat.User{UID: "off", Name: "O", DeactivatedAt: created.Add(time.Minute)},
	)
	require.NoError(t, err)
	meta["k"], tags[0] = "changed", "changed" // the server copied them

	r := call(t, srv, http.MethodGet, "/users/seed", "")
	assert.JSONEq(t, `{"data":{"uid":"seed","name":"S","avatar":"https://x.io/a.png","link":"https://x.io","role":"r",
		"statusMessage":"m","metadata":{"k":"v"},"status":"available","tags":["a"],"createdAt":1600000000,
		"updatedAt":1600003600,"lastActiveAt":1600007200}}`, r.raw)
	call(t, srv, http.MethodGet, "/users/off", "").apiErr(t, http.StatusNotFound, "ERR_UID_NOT_FOUND")
	assert.Equal(t, []string{"off"}, call(t, srv, http.MethodGet, "/users?onlyDeactivated=true", "").uids(t))
	assert.Equal(t, []string{"seed_tok"}, srv.Tokens("SEED"))
	d := call(t, srv, http.MethodGet, "/users/seed/auth_tokens/seed_tok", "").data(t)
	assert.Equal(t, 1600000000.0, d["createdAt"])

	u, ok := srv.User("SEED")
	require.True(t, ok)
	assert.Equal(t, &cometchat.User{UID: "seed", Name: "S", Avatar: "https://x.io/a.png", Link: "https://x.io", Role: "r",
		StatusMessage: "m", Metadata: map[string]any{"k": "v"}, Status: cometchat.StatusAvailable, Tags: []string{"a"},
		CreatedAt: created, UpdatedAt: created.Add(time.Hour), LastActiveAt: created.Add(2 * time.Hour)}, u)
	u.Tags[0] = "mine" // snapshots are the caller's
	u2, _ := srv.User("seed")
	assert.Equal(t, []string{"a"}, u2.Tags)

	all := srv.Users()
	require.Len(t, all, 2)
	assert.Equal(t, "off", all[0].UID)
	assert.Equal(t, created.Add(time.Minute), all[0].DeactivatedAt)
	assert.Equal(t, "default", all[0].Role)
	assert.Equal(t, cometchat.StatusOffline, all[0].Status)

	for name, bad := range map[string]*cometchat.User{
		"duplicate":    {UID: "SEED", Name: "x"},
		"invalid uid":  {UID: "a b", Name: "x"},
		"missing name": {UID: "x"},
		"bad metadata": {UID: "x", Name: "x", Metadata: map[string]any{"f": func() {}}},
		"nil":          nil,
	} {
		err := srv.AddUsers(&cometchat.User{UID: "fine", Name: "F"}, bad)
		assert.Error(t, err, name)
		_, ok := srv.User("fine")
		assert.False(t, ok, "%s: all or nothing", name)
	}
	assert.ErrorContains(t, srv.AddUsers(&cometchat.User{UID: "x", Name: "x"}, &cometchat.User{UID: "X", Name: "y"}), "repeated")

	roled, _ := newTestServer(t, WithRoles("admin"))
	assert.Error(t, roled.AddUsers(&cometchat.User{UID: "x", Name: "x", Role: "boss"}))
	assert.NoError(t, roled.AddUsers(&cometchat.User{UID: "x", Name: "x", Role: "admin"}))
}

func TestAddUsersDefaultsCreatedAtToClock(t *testing.T) {
	srv, _ := newTestServer(t)
	require.NoError(t, srv.AddUsers(&cometchat.User{UID: "a", Name: "A"}))
	u, _ := srv.User("a")
	assert.Equal(t, t0, u.CreatedAt)
}

func TestSetUserStatusAndLookups(t *testing.T) {
	srv, _ := newTestServer(t)
	assert.False(t, srv.SetUserStatus("nobody", cometchat.StatusAvailable))
	_, ok := srv.User("nobody")
	assert.False(t, ok)
	assert.Nil(t, srv.Tokens("nobody"))
	createUser(t, srv, `{"uid":"a","name":"A"}`)
	assert.True(t, srv.SetUserStatus("A", cometchat.StatusAvailable))
	assert.Equal(t, "available", call(t, srv, http.MethodGet, "/users/a", "").data(t)["status"])
	assert.NotNil(t, srv.Tokens("a"))
	assert.Empty(t, srv.Tokens("a"))
}

func TestRequestCountsAndReset(t *testing.T) {
	srv, _ := newTestServer(t, WithRateLimit(5))
	createUser(t, srv, `{"uid":"a","name":"A"}`)
	call(t, srv, http.MethodGet, "/users/a", "")
	call(t, srv, http.MethodGet, "/users/a", "", "apikey", "")
	call(t, srv, http.MethodPut, "/users/a", `{}`)
	srv.InjectFault(Fault{Path: "/users/b", Status: 500})
	call(t, srv, http.MethodGet, "/users/b", "")
	assert.Equal(t, 5, srv.RequestCount())
	assert.Equal(t, 2, srv.RequestCountFor(http.MethodGet, "/users/a"))
	assert.Equal(t, 3, srv.RequestCountFor("", "/users/a"))
	assert.Equal(t, 1, srv.RequestCountFor(http.MethodPost, "/users"))
	assert.Equal(t, 1, srv.RequestCountFor("", "/users/b"))
	assert.Equal(t, 0, srv.RequestCountFor(http.MethodGet, "/users"))

	srv.InjectFault(Fault{Status: 500})
	srv.Reset()
	assert.Equal(t, 0, srv.RequestCount())
	assert.Empty(t, srv.Users())
	r := call(t, srv, http.MethodGet, "/users", "")
	assert.Equal(t, http.StatusOK, r.status, "faults are forgotten")
	assert.Equal(t, "4", r.header.Get("X-RateLimit-Remaining"), "windows are forgotten")
	assert.Equal(t, 1, srv.RequestCount())
}

func TestConcurrentCreate(t *testing.T) {
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
