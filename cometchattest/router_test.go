package cometchattest

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fuzzRoutes are the endpoints that read a body or a path argument.
var fuzzRoutes = []struct{ method, path string }{
	{http.MethodPost, "/users"},
	{http.MethodPut, "/users/fuzz"},
	{http.MethodDelete, "/users/fuzz"},
	{http.MethodDelete, "/users"},
	{http.MethodPut, "/users"},
	{http.MethodPost, "/users/fuzz/auth_tokens"},
	{http.MethodPut, "/users/fuzz/auth_tokens/tok"},
	{http.MethodPost, "/data_import/users"},
	{http.MethodGet, "/users?"},
	{http.MethodPost, "/roles"},
	{http.MethodPut, "/roles/default"},
	{http.MethodPost, "/users/fuzz/friends"},
	{http.MethodDelete, "/users/fuzz/friends"},
	{http.MethodPost, "/users/fuzz/blockedusers"},
	{http.MethodDelete, "/users/fuzz/blockedusers"},
}

// FuzzServer_Request feeds arbitrary bodies (and, for GET /users, arbitrary
// queries) to every endpoint that parses input: the fake must answer with a
// CometChat envelope and a 2xx or 4xx status, never a panic or a 5xx, and
// never a JSON null (call asserts the envelope and the nulls).
func FuzzServer_Request(f *testing.F) {
	seeds := []string{
		`{"uid":"fuzz","name":"Fuzz"}`,
		`{"uid":"A","name":"x","avatar":"Invalid:https://x/a.png","tags":[""],"metadata":"{\"a\":1}"}`,
		`{"name":"","unset":["avatar","nope"],"tags":[],"metadata":{}}`,
		`{"permanent":true}`, `{"uidsToDeactivate":["fuzz","x"]}`, `{"uidsToActivate":[]}`,
		`{"force":true}`, `{"platform":"ios","appInfo":{"v":1}}`,
		`{"users":{"a":{"uid":"a","name":"A","createdAt":"1673421419"},"b":{"uid":"c"}}}`,
		`searchKey=fu&searchIn=name,uid&perPage=0&page=-1&withTags=1&tags=a,b`,
		`{"role":"r","name":"R","settings":{"listUsers":"friendsOnly"},"metadata":[]}`, `{"unset":["settings"],"settings":[]}`,
		`{"accepted":["a","fuzz"]}`, `{"friends":["a"]}`, `{"blockedUids":["a","fuzz","a"]}`,
		`{`, `null`, `[]`, `"x"`, `{"uid":123}`, ``,
	}
	for i, s := range seeds {
		f.Add(uint8(i), s)
	}
	srv := NewServer()
	f.Cleanup(srv.Close)
	f.Fuzz(func(t *testing.T, route uint8, input string) {
		r := fuzzRoutes[int(route)%len(fuzzRoutes)]
		var resp response
		if r.method == http.MethodGet {
			resp = callRaw(t, srv, r.method, r.path+input, "")
		} else {
			resp = callRaw(t, srv, r.method, r.path, input)
		}
		require.NotZero(t, resp.status)
		assert.Less(t, resp.status, 500, "%s %s %q: %s", r.method, r.path, input, resp.raw)
		if resp.status >= 400 {
			require.NotNil(t, resp.body, "an error has a JSON envelope: %s", resp.raw)
			assert.Contains(t, resp.body, "error")
		}
	})
}

// callRaw is call for inputs that may not form a valid request line: those
// are refused by net/http before the fake sees them, and are skipped.
func callRaw(t *testing.T, srv *Server, method, path, body string) response {
	t.Helper()
	if _, err := http.NewRequest(method, srv.URL()+path, nil); err != nil ||
		strings.ContainsFunc(path, func(r rune) bool { return r <= ' ' || r == 0x7f || r == '#' }) {
		t.Skip("not a valid request line")
	}
	return call(t, srv, method, path, body)
}

func TestServer_Auth_Errors(t *testing.T) {
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

func TestServer_UnknownRoutes_404(t *testing.T) {
	srv, _ := newTestServer(t)
	createUser(t, srv, `{"uid":"a","name":"A"}`)
	for _, tc := range []struct{ method, path string }{
		{http.MethodPatch, "/users"}, {http.MethodPost, "/users/a"}, {http.MethodGet, "/users/"},
		{http.MethodGet, "/users//auth_tokens"}, {http.MethodGet, "/nope"}, {http.MethodGet, ""},
		{http.MethodGet, "/users/a/groups"}, {http.MethodPut, "/users/a/auth_tokens"},
		{http.MethodPost, "/users/a/auth_tokens/t"}, {http.MethodGet, "/users/a/auth_tokens/t/x"},
		{http.MethodGet, "/data_import/users"}, {http.MethodPost, "/data_import/groups"},
	} {
		r := call(t, srv, tc.method, tc.path, "")
		e := r.apiErr(t, http.StatusNotFound, "ERR_API_NOT_FOUND")
		assert.Equal(t, "The API endpoint is invalid. Please verify the API call.", e["message"], tc)
		assert.Equal(t, "The endpoint of the API is invalid. Please have the API call checked.", e["devMessage"], tc)
		for _, h := range []string{"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Limit-For-App", "X-RateLimit-Remaining-For-App"} {
			assert.Empty(t, r.header.Values(h), "%v: production's 404 has no %s", tc, h)
		}
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

func TestServer_Routing_OddPathsAndMethodsAre404NeverRedirectsOr405(t *testing.T) {
	srv, _ := newTestServer(t)
	createUser(t, srv, `{"uid":"a","name":"A"}`)
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	base := strings.TrimSuffix(srv.URL(), "/v3")
	for _, tc := range []struct{ method, path string }{
		{http.MethodGet, "/v3/users/"}, {http.MethodGet, "/v3//users"}, {http.MethodGet, "/v3/users//a"},
		{http.MethodGet, "/v3/users/a/"}, {http.MethodGet, "/v3/users/./a"}, {http.MethodGet, "/v3/users/../users"},
		{http.MethodGet, "/v3/users/a/.."}, {http.MethodGet, "/v3/"}, {http.MethodGet, "/"},
		{http.MethodHead, "/v3/users"}, {http.MethodHead, "/v3/users/a"}, {"get", "/v3/users"},
		{http.MethodPatch, "/v3/users/a"}, {http.MethodPost, "/v3/users/a"}, {http.MethodOptions, "/v3/users"},
		{http.MethodPut, "/v3/users/a/auth_tokens"}, {http.MethodPost, "/v3/data_import/users/x"},
	} {
		req, err := http.NewRequest(tc.method, base+tc.path, nil)
		require.NoError(t, err)
		req.Header.Set("apikey", srv.APIKey())
		resp, err := noRedirect.Do(req)
		require.NoError(t, err)
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.Equal(t, http.StatusNotFound, resp.StatusCode, "%s %s: %s", tc.method, tc.path, raw)
		assert.Empty(t, resp.Header.Get("Location"), tc)
		assert.Empty(t, resp.Header.Get("Allow"), tc)
		if tc.method != http.MethodHead {
			assert.Contains(t, string(raw), `"code":"ERR_API_NOT_FOUND"`, tc)
		}
	}
}

func TestServer_Routing_EscapedSlashStaysInItsSegment(t *testing.T) {
	srv, _ := newTestServer(t)
	e := call(t, srv, http.MethodGet, "/users/a%2Fb/auth_tokens", "").apiErr(t, http.StatusNotFound, "ERR_UID_NOT_FOUND")
	assert.Contains(t, e["message"], "UID a/b does")
	e = call(t, srv, http.MethodGet, "/users/a%2F..%2Fb", "").apiErr(t, http.StatusNotFound, "ERR_UID_NOT_FOUND")
	assert.Contains(t, e["message"], "UID a/../b does")
	createUser(t, srv, `{"uid":"a","name":"A"}`)
	call(t, srv, http.MethodGet, "/users/a/auth_tokens/x%2Fy", "").apiErr(t, http.StatusNotFound, "ERR_AUTH_TOKEN_NOT_FOUND")
	assert.Equal(t, 1, srv.RequestCountFor(http.MethodGet, "/users/a/auth_tokens/x%2Fy"), "counted under the escaped path")
}

func TestIsCleanPath(t *testing.T) {
	for path, want := range map[string]bool{
		"/v3/users": true, "/v3/users/a%2Fb": true, "/v3/users/...": true,
		"": false, "v3": false, "/": false, "/v3/": false, "//v3": false, "/v3/./users": false, "/v3/../x": false,
	} {
		assert.Equal(t, want, isCleanPath(path), path)
	}
}
