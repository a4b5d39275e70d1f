package cometchat

// Shared helpers of the root package's unit tests. Any _test.go file of
// package cometchat may use them; they never touch the network (httptest on
// loopback, or RoundTrippers answering in memory).
//
// Servers:
//
//	setup(t)                   -> (client, mux, serverURL)
//	    An httptest server whose API sits below setupBasePath ("/v3"). Register
//	    handlers on mux with paths below it ("/users", "/users/alice", ...). A
//	    request outside setupBasePath fails the test (the SDK lost the base
//	    path). The client has WithBaseURL(serverURL+"/v3"),
//	    WithRetryWait(1ms, 5ms) and the key setupAPIKey.
//	setupWith(t, opts...)      -> same, opts appended after setup's own options
//	                              (so they win, e.g. WithMaxRetries(0)).
//
// Request assertions, for handlers (they use assert, never require, because
// handlers run outside the test goroutine):
//
//	testMethod(t, r, "GET")
//	testHeader(t, r, "onBehalfOf", "bob")   exactly one value, equal
//	testNoHeader(t, r, "Content-Type")
//	testQuery(t, r, url.Values{...})         exact; nil means "no query at all"
//	testJSONBody(t, r, `{"uid":"a"}`)        semantic JSON equality, Content-Type
//	                                         application/json, no null anywhere,
//	                                         no unexpected or missing keys
//	testJSONBytes(t, body, want)             the same checks on raw bytes
//	testNoBody(t, r)                         no body and no Content-Type
//
// Answers:
//
//	replyJSON(w, status, body)               writes body with Content-Type JSON
//
// In-memory clients (no server at all):
//
//	utTransport                              an http.RoundTripper from a func
//	utNewOfflineClient(t, opts...)           -> (client, *atomic.Int64): every
//	                                         request fails the test and is counted;
//	                                         use it to prove validation sends nothing
//	utNewCannedClient(t, status, h, body, opts...) -> (client, *atomic.Int64):
//	                                         answers every request with that response
//	utResponse(req, status, h, body)         builds an *http.Response
//
// Spec fixtures: the specBody* constants hold response bodies copied
// verbatim from ../shared/spec/users-api.md.

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// setupAPIKey is the key of every test client: distinctive, so a test can
// assert it never shows up in an error, a log line or a formatted value.
const setupAPIKey = "ut-SECRET-k3y-5f3a9c0e7b"

// setupAppID is the app id of every test client.
const setupAppID = "utapp"

// setupBasePath is the path prefix the test server mounts the API under. It
// is non-empty so that an SDK building absolute paths ("/users" instead of
// base+"/users") fails every test.
const setupBasePath = "/v3"

// setup starts a test server and returns a client wired to it, the mux to
// register handlers on (paths below /v3) and the server's URL (without /v3).
// The server is closed when the test ends.
func setup(t testing.TB) (client *Client, mux *http.ServeMux, serverURL string) {
	t.Helper()
	return setupWith(t)
}

// setupWith is setup with extra client options applied after setup's own.
func setupWith(t testing.TB, opts ...Option) (client *Client, mux *http.ServeMux, serverURL string) {
	t.Helper()
	mux = http.NewServeMux()
	api := http.NewServeMux()
	api.Handle(setupBasePath+"/", http.StripPrefix(setupBasePath, mux))
	api.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("request %s %s is outside the base path %q: the SDK dropped the base URL's path",
			r.Method, r.URL.Path, setupBasePath)
		http.Error(w, "base path not preserved", http.StatusTeapot)
	})
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)

	all := append([]Option{
		WithBaseURL(srv.URL + setupBasePath),
		WithRetryWait(time.Millisecond, 5*time.Millisecond),
	}, opts...)
	client, err := NewClient(setupAppID, RegionUS, setupAPIKey, all...)
	require.NoError(t, err)
	return client, mux, srv.URL
}

// testMethod asserts the request's method.
func testMethod(t testing.TB, r *http.Request, want string) {
	t.Helper()
	assert.Equal(t, want, r.Method, "HTTP method of %s", r.URL.Path)
}

// testHeader asserts that the request carries header name exactly once,
// with the value want.
func testHeader(t testing.TB, r *http.Request, name, want string) {
	t.Helper()
	assert.Equal(t, []string{want}, r.Header.Values(name), "header %q", name)
}

// testNoHeader asserts that the request does not carry header name.
func testNoHeader(t testing.TB, r *http.Request, name string) {
	t.Helper()
	assert.Empty(t, r.Header.Values(name), "header %q must not be sent", name)
}

// testQuery asserts the request's query exactly: every parameter and value,
// nothing more. nil or empty want means no query at all.
func testQuery(t testing.TB, r *http.Request, want url.Values) {
	t.Helper()
	got := r.URL.Query()
	if len(want) == 0 {
		assert.Empty(t, r.URL.RawQuery, "no query expected")
		return
	}
	assert.Equal(t, want, got, "query %q", r.URL.RawQuery)
}

// testNoBody asserts the request has no body and no Content-Type.
func testNoBody(t testing.TB, r *http.Request) {
	t.Helper()
	b, err := io.ReadAll(r.Body)
	assert.NoError(t, err)
	assert.Empty(t, string(b), "request body")
	testNoHeader(t, r, "Content-Type")
}

// testJSONBody reads the request body and asserts it is JSON equal to want
// (see testJSONBytes), sent with Content-Type application/json.
func testJSONBody(t testing.TB, r *http.Request, want string) {
	t.Helper()
	testHeader(t, r, "Content-Type", "application/json")
	b, err := io.ReadAll(r.Body)
	if !assert.NoError(t, err) {
		return
	}
	testJSONBytes(t, b, want)
}

// testJSONBytes asserts that got is JSON semantically equal to want: it
// names every unexpected and every missing key by its path, fails on any
// null in got (the SDK must omit what the caller did not set) and then
// compares the whole documents.
func testJSONBytes(t testing.TB, got []byte, want string) {
	t.Helper()
	var g, w any
	if !assert.NoError(t, json.Unmarshal(got, &g), "body is not JSON: %s", got) {
		return
	}
	require.NoError(t, json.Unmarshal([]byte(want), &w), "the test's expected JSON is invalid: %s", want)
	for _, p := range utJSONNulls(g, "$") {
		t.Errorf("body holds null at %s: %s", p, got)
	}
	extra, missing := utJSONKeyDiff(g, w, "$")
	for _, p := range extra {
		t.Errorf("body holds unexpected key %s: %s", p, got)
	}
	for _, p := range missing {
		t.Errorf("body lacks key %s: %s", p, got)
	}
	assert.JSONEq(t, want, string(got))
}

// utJSONNulls returns the paths of every null in v.
func utJSONNulls(v any, path string) []string {
	switch v := v.(type) {
	case nil:
		return []string{path}
	case map[string]any:
		var out []string
		for _, k := range utSortedKeys(v) {
			out = append(out, utJSONNulls(v[k], path+"."+k)...)
		}
		return out
	case []any:
		var out []string
		for i, e := range v {
			out = append(out, utJSONNulls(e, fmt.Sprintf("%s[%d]", path, i))...)
		}
		return out
	}
	return nil
}

// utJSONKeyDiff returns the object keys present in got and not in want
// (extra), and the reverse (missing), recursively.
func utJSONKeyDiff(got, want any, path string) (extra, missing []string) {
	switch g := got.(type) {
	case map[string]any:
		w, ok := want.(map[string]any)
		if !ok {
			return nil, nil // a type mismatch: JSONEq reports it
		}
		for _, k := range utSortedKeys(g) {
			wv, ok := w[k]
			if !ok {
				extra = append(extra, path+"."+k)
				continue
			}
			e, m := utJSONKeyDiff(g[k], wv, path+"."+k)
			extra, missing = append(extra, e...), append(missing, m...)
		}
		for _, k := range utSortedKeys(w) {
			if _, ok := g[k]; !ok {
				missing = append(missing, path+"."+k)
			}
		}
	case []any:
		w, ok := want.([]any)
		if !ok {
			return nil, nil
		}
		for i := range min(len(g), len(w)) {
			e, m := utJSONKeyDiff(g[i], w[i], fmt.Sprintf("%s[%d]", path, i))
			extra, missing = append(extra, e...), append(missing, m...)
		}
	}
	return extra, missing
}

func utSortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// replyJSON answers with status and body as application/json.
func replyJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// utTransport is an http.RoundTripper implemented by a function.
type utTransport func(*http.Request) (*http.Response, error)

func (f utTransport) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// utResponse builds the response a utTransport returns for req.
func utResponse(req *http.Request, status int, h http.Header, body string) *http.Response {
	if h == nil {
		h = http.Header{}
	}
	if h.Get("Content-Type") == "" && body != "" {
		h.Set("Content-Type", "application/json")
	}
	return &http.Response{
		Status:        fmt.Sprintf("%d %s", status, http.StatusText(status)),
		StatusCode:    status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        h,
		Body:          io.NopCloser(strings.NewReader(body)),
		ContentLength: int64(len(body)),
		Request:       req,
	}
}

// utNewOfflineClient returns a client whose every request fails the test.
// The counter says how many requests were attempted: assert it is 0 to
// prove that a call was refused before anything was sent.
func utNewOfflineClient(t testing.TB, opts ...Option) (*Client, *atomic.Int64) {
	t.Helper()
	var n atomic.Int64
	hc := &http.Client{Transport: utTransport(func(r *http.Request) (*http.Response, error) {
		n.Add(1)
		t.Errorf("no request may be sent, got %s %s", r.Method, r.URL.Path)
		return nil, fmt.Errorf("offline test client: request refused")
	})}
	all := append([]Option{WithHTTPClient(hc), WithMaxRetries(0)}, opts...)
	c, err := NewClient(setupAppID, RegionUS, setupAPIKey, all...)
	require.NoError(t, err)
	return c, &n
}

// utNewCannedClient returns a client that answers every request in memory
// with status, header h and body, without retries. The counter says how
// many requests were sent.
func utNewCannedClient(t testing.TB, status int, h http.Header, body string, opts ...Option) (*Client, *atomic.Int64) {
	t.Helper()
	var n atomic.Int64
	hc := &http.Client{Transport: utTransport(func(r *http.Request) (*http.Response, error) {
		n.Add(1)
		if r.Body != nil {
			_, _ = io.Copy(io.Discard, r.Body)
			_ = r.Body.Close()
		}
		return utResponse(r, status, h.Clone(), body), nil
	})}
	all := append([]Option{WithHTTPClient(hc), WithMaxRetries(0)}, opts...)
	c, err := NewClient(setupAppID, RegionUS, setupAPIKey, all...)
	require.NoError(t, err)
	return c, &n
}

// Response bodies copied verbatim from ../shared/spec/users-api.md.
const (
	// §4 List — GET /users.
	specBodyListUsers = `{"data":[{"uid":"cometchat-uid-2","name":"George Alan","avatar":"https://assets.cometchat.io/sampleapp/v2/users/cometchat-uid-2.webp","status":"offline","role":"default","createdAt":1629869270,"updatedAt":1630308676}],
 "meta":{"pagination":{"total":25,"count":5,"per_page":5,"current_page":1,"total_pages":5},"cursor":{"updatedAt":1694667984,"affix":"prepend"}}}`

	// §4 Create — POST /users.
	specBodyCreateUser = `{"data":{"uid":"cometchat-uid-6","name":"Barry Allen","link":"https://cometchat.com","avatar":"https://assets.cometchat.io/sampleapp/v2/groups/cometchat-guid-1.webp","status":"offline","role":"manager","createdAt":1638354015,"tags":["Engineer","manager"],"authToken":"cometchat-uid-6_16383540156641d37a023c75d26f4c22a21ff126"}}`

	// specAuthToken is the auth token of specBodyCreateUser.
	specAuthToken = "cometchat-uid-6_16383540156641d37a023c75d26f4c22a21ff126"

	// §4 Delete — permanent, and soft.
	specBodyDeletePermanent = `{"data":{"success":true,"message":"User with UID user_000 has been deleted successfully."}}`
	specBodyDeleteSoft      = `{"data":{"deactivatedUids":["user_000"]}}`

	// §4 Reactivate with empty buckets omitted.
	specBodyReactivateNotFound = `{"data":{"notFound":["x"]}}`

	// §5 Flush.
	specBodyFlushTokens = `{"data":{"success":true,"message":"Cleared Auth Tokens successfully for uid user_000."}}`

	// §2 real error bodies.
	specErrUIDAlreadyExists = `{"error":{"message":"The uid user_000 already exists. Please use another uid or try after permanently deleting the user.","devMessage":"The uid user_000 already exists. Please use another uid or try recreating after permanently deleting the user.","source":"chat-api","code":"ERR_UID_ALREADY_EXISTS"}}`
	specErrUIDNotFound      = `{"error":{"message":"The UID user_000 does not exist, please make sure you have created a user with UID user_000.","devMessage":"The UID user_000 does not exist, so please make sure you have created a user with UID user_000.","source":"chat-api","code":"ERR_UID_NOT_FOUND"}}`
	specErrBadRequest       = `{"error":{"message":"Failed to validate the data sent with the request.","devMessage":"Failed to validate the data sent with the request.","source":"chat-api","details":{"uid":["The uid field is required."],"name":["The name field is required."]},"code":"ERR_BAD_REQUEST"}}`
	specErrNoAccess         = `{"error":{"message":"The key 1234567890 cannot be used to perform this operation. Please use API key with a correct scope to perform the operation.","devMessage":"The 1234567890 key does not have enough clearance. To perform the operation, please use the API key with the correct scope.","source":"chat-api","code":"AUTH_ERR_NO_ACCESS"}}`
)

// utEscapeSlashes rewrites a JSON body the way the real server sends it,
// with every "/" escaped as "\/" (§1's JSON quirk).
func utEscapeSlashes(body string) string { return strings.ReplaceAll(body, "/", `\/`) }

// utAssertUnix asserts that got is the instant of Unix seconds want.
func utAssertUnix(t testing.TB, want int64, got time.Time, field string) {
	t.Helper()
	assert.False(t, got.IsZero(), "%s must be set", field)
	assert.Equal(t, want, got.Unix(), "%s", field)
}
