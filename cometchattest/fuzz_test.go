package cometchattest

import (
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
}

// FuzzServerRequest feeds arbitrary bodies (and, for GET /users, arbitrary
// queries) to every endpoint that parses input: the fake must answer with a
// CometChat envelope and a 2xx or 4xx status, never a panic or a 5xx, and
// never a JSON null (call asserts the envelope and the nulls).
func FuzzServerRequest(f *testing.F) {
	seeds := []string{
		`{"uid":"fuzz","name":"Fuzz"}`,
		`{"uid":"A","name":"x","avatar":"Invalid:https://x/a.png","tags":[""],"metadata":"{\"a\":1}"}`,
		`{"name":"","unset":["avatar","nope"],"tags":[],"metadata":{}}`,
		`{"permanent":true}`, `{"uidsToDeactivate":["fuzz","x"]}`, `{"uidsToActivate":[]}`,
		`{"force":true}`, `{"platform":"ios","appInfo":{"v":1}}`,
		`{"users":{"a":{"uid":"a","name":"A","createdAt":"1673421419"},"b":{"uid":"c"}}}`,
		`searchKey=fu&searchIn=name,uid&perPage=0&page=-1&withTags=1&tags=a,b`,
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
