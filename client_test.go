package cometchat

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// utRecordingClient returns a client for appID/region whose transport
// records every request URL and answers with a user, in memory.
func utRecordingClient(t *testing.T, appID, region string, opts ...Option) (*Client, func() []string) {
	t.Helper()
	var (
		mu   sync.Mutex
		urls []string
	)
	hc := &http.Client{Transport: utTransport(func(r *http.Request) (*http.Response, error) {
		mu.Lock()
		urls = append(urls, r.URL.String())
		mu.Unlock()
		return utResponse(r, http.StatusOK, nil, `{"data":{"uid":"alice","name":"Alice"}}`), nil
	})}
	c, err := NewClient(appID, region, setupAPIKey, append([]Option{WithHTTPClient(hc)}, opts...)...)
	require.NoError(t, err)
	return c, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), urls...)
	}
}

func TestNewClient_BaseURLFromAppIDAndRegion(t *testing.T) {
	t.Parallel()
	tests := []struct {
		appID, region, want string
	}{
		{"myapp", RegionUS, "https://myapp.api-us.cometchat.io/v3/users/alice"},
		{"2f5a1c0e-b2", RegionEU, "https://2f5a1c0e-b2.api-eu.cometchat.io/v3/users/alice"},
		{"myapp", RegionIN, "https://myapp.api-in.cometchat.io/v3/users/alice"},
		// Region is folded to lower case.
		{"myapp", "EU", "https://myapp.api-eu.cometchat.io/v3/users/alice"},
		{"myapp", "In", "https://myapp.api-in.cometchat.io/v3/users/alice"},
		// An unknown but well-formed region works without an SDK release.
		{"myapp", "ap-1", "https://myapp.api-ap-1.cometchat.io/v3/users/alice"},
	}
	for _, tt := range tests {
		t.Run(tt.appID+"/"+tt.region, func(t *testing.T) {
			t.Parallel()
			c, urls := utRecordingClient(t, tt.appID, tt.region)
			assert.Empty(t, urls(), "NewClient must not touch the network")
			_, err := c.Users.Get(context.Background(), "alice")
			require.NoError(t, err)
			assert.Equal(t, []string{tt.want}, urls())
		})
	}
}

func TestNewClient_InvalidArguments(t *testing.T) {
	t.Parallel()
	const key = setupAPIKey
	tests := []struct {
		name                  string
		appID, region, apiKey string
		field                 string
	}{
		{"empty appID", "", "us", key, "appID"},
		{"appID with dot", "my.app", "us", key, "appID"},
		{"appID with underscore", "my_app", "us", key, "appID"},
		{"appID with slash", "app/evil", "us", key, "appID"},
		{"appID with hash", "evil.com#", "us", key, "appID"},
		{"appID with space", "my app", "us", key, "appID"},
		{"appID leading hyphen", "-app", "us", key, "appID"},
		{"appID trailing hyphen", "app-", "us", key, "appID"},
		{"appID unicode", "äpp", "us", key, "appID"},
		{"appID longer than a DNS label", strings.Repeat("a", 64), "us", key, "appID"},
		{"empty region", "myapp", "", key, "region"},
		{"region with dot", "myapp", "us.evil.com", key, "region"},
		{"region with space", "myapp", "u s", key, "region"},
		{"region with slash", "myapp", "us/", key, "region"},
		{"region leading hyphen", "myapp", "-us", key, "region"},
		{"region unicode", "myapp", "üs", key, "region"},
		{"empty key", "myapp", "us", "", "apiKey"},
		{"key with leading space", "myapp", "us", " " + key, "apiKey"},
		{"key with trailing newline", "myapp", "us", key + "\n", "apiKey"},
		{"key with inner newline", "myapp", "us", key + "\r\nX-Evil: 1", "apiKey"},
		{"key with NUL", "myapp", "us", key + "\x00", "apiKey"},
		{"key non-ASCII", "myapp", "us", key + "é", "apiKey"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := NewClient(tt.appID, tt.region, tt.apiKey)
			assert.Nil(t, c)
			utAssertValidation(t, err, tt.field)
			assert.NotContains(t, err.Error(), key, "the error must never show the key")
		})
	}
}

// utAssertValidation asserts err is a *ValidationError for field matching
// ErrValidation and no API sentinel.
func utAssertValidation(t testing.TB, err error, field string) {
	t.Helper()
	require.Error(t, err)
	var ve *ValidationError
	require.True(t, errors.As(err, &ve), "want *ValidationError, got %T: %v", err, err)
	assert.Equal(t, field, ve.Field, "ValidationError.Field (reason: %s)", ve.Reason)
	assert.NotEmpty(t, ve.Reason)
	assert.ErrorIs(t, err, ErrValidation)
	assert.NotErrorIs(t, err, ErrBadRequest)
	assert.Contains(t, err.Error(), field)
}

func TestNewClient_InvalidOptions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		opt   Option
		field string
	}{
		{"nil http client", WithHTTPClient(nil), "WithHTTPClient"},
		{"negative retries", WithMaxRetries(-1), "WithMaxRetries"},
		{"zero min wait", WithRetryWait(0, time.Second), "WithRetryWait"},
		{"negative min wait", WithRetryWait(-time.Millisecond, time.Second), "WithRetryWait"},
		{"max below min", WithRetryWait(2*time.Second, time.Second), "WithRetryWait"},
		{"zero timeout", WithTimeout(0), "WithTimeout"},
		{"negative timeout", WithTimeout(-time.Second), "WithTimeout"},
		{"empty user agent", WithUserAgent(""), "WithUserAgent"},
		{"blank user agent", WithUserAgent("   "), "WithUserAgent"},
		{"user agent header injection", WithUserAgent("app\r\nX-Evil: 1"), "WithUserAgent"},
		{"user agent non-ASCII", WithUserAgent("äpp/1"), "WithUserAgent"},
		{"zero max response bytes", WithMaxResponseBytes(0), "WithMaxResponseBytes"},
		{"negative max response bytes", WithMaxResponseBytes(-1), "WithMaxResponseBytes"},
		{"base URL plain http", WithBaseURL("http://proxy.example.com/v3"), "WithBaseURL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := NewClient("myapp", RegionUS, setupAPIKey, tt.opt)
			assert.Nil(t, c)
			utAssertValidation(t, err, tt.field)
			assert.NotContains(t, err.Error(), setupAPIKey)
		})
	}
}

func TestNewClient_ValidOptions(t *testing.T) {
	t.Parallel()
	c, err := NewClient("myapp", RegionUS, setupAPIKey,
		nil, // a nil Option is ignored
		WithMaxRetries(0),
		WithRetryWait(time.Millisecond, time.Millisecond), // min == max is allowed
		WithTimeout(time.Second),
		WithUserAgent("myapp/1.2"),
		WithLogger(nil), // nil logs nothing
		WithMaxResponseBytes(1),
		WithBaseURL("https://proxy.example.com/v3"),
		WithHTTPClient(&http.Client{}),
	)
	require.NoError(t, err)
	require.NotNil(t, c)
	assert.NotNil(t, c.Users)
	assert.NotNil(t, c.AuthTokens)
}

func TestWithBaseURL_Accepted(t *testing.T) {
	t.Parallel()
	tests := []struct{ base, want string }{
		{"https://proxy.example.com/v3", "https://proxy.example.com/v3/users/alice"},
		{"https://proxy.example.com/v3/", "https://proxy.example.com/v3/users/alice"},
		{"https://proxy.example.com/cometchat/v3//", "https://proxy.example.com/cometchat/v3/users/alice"},
		{"https://proxy.example.com", "https://proxy.example.com/users/alice"},
		{"https://proxy.example.com:8443/v3", "https://proxy.example.com:8443/v3/users/alice"},
		{"http://127.0.0.1:8080/v3", "http://127.0.0.1:8080/v3/users/alice"},
		{"http://127.3.2.1/v3", "http://127.3.2.1/v3/users/alice"},
		{"http://localhost:9/v3", "http://localhost:9/v3/users/alice"},
		{"http://[::1]:9/v3", "http://[::1]:9/v3/users/alice"},
	}
	for _, tt := range tests {
		t.Run(tt.base, func(t *testing.T) {
			t.Parallel()
			c, urls := utRecordingClient(t, "myapp", RegionUS, WithBaseURL(tt.base))
			_, err := c.Users.Get(context.Background(), "alice")
			require.NoError(t, err)
			assert.Equal(t, []string{tt.want}, urls())
		})
	}
}

func TestWithBaseURL_Rejected(t *testing.T) {
	t.Parallel()
	for _, base := range []string{
		"",
		"/v3",
		"proxy.example.com/v3",
		"https://",
		"https:///v3",
		":foo",
		"mailto:ops@example.com",
		"ftp://proxy.example.com/v3",
		"ws://127.0.0.1/v3",
		"http://proxy.example.com/v3",  // plain http off loopback
		"http://10.0.0.1/v3",           // private, not loopback
		"http://localhost.evil.com/v3", // looks like localhost
		"http://127.0.0.1.nip.io/v3",   // looks like loopback
		"https://user:pw@proxy.example.com/v3",
		"https://user@proxy.example.com/v3",
		"https://proxy.example.com/v3?x=1",
		"https://proxy.example.com/v3?",
		"https://proxy.example.com/v3#frag",
	} {
		t.Run(base, func(t *testing.T) {
			t.Parallel()
			c, err := NewClient("myapp", RegionUS, setupAPIKey, WithBaseURL(base))
			assert.Nil(t, c)
			utAssertValidation(t, err, "WithBaseURL")
			assert.NotContains(t, err.Error(), "pw", "the error must not echo credentials of the URL")
		})
	}
}

// utWantUserAgent is the SDK's own User-Agent on this platform.
func utWantUserAgent() string {
	return "cometchat-go/" + Version + " (" + runtime.Version() + "; " + runtime.GOOS + "/" + runtime.GOARCH + ")"
}

func TestUserAgent_Format(t *testing.T) {
	t.Parallel()
	assert.Regexp(t, regexp.MustCompile(`^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$`), Version, "Version is semver")
	assert.Regexp(t, regexp.MustCompile(`^cometchat-go/\S+ \(go[^;]+; [a-z0-9]+/[a-z0-9]+\)$`), utWantUserAgent())

	for _, tt := range []struct {
		name string
		opts []Option
		want string
	}{
		{"default", nil, utWantUserAgent()},
		{"WithUserAgent first", []Option{WithUserAgent("myapp/1.2")}, "myapp/1.2 " + utWantUserAgent()},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			client, mux, _ := setupWith(t, tt.opts...)
			mux.HandleFunc("/users/alice", func(w http.ResponseWriter, r *http.Request) {
				testHeader(t, r, "User-Agent", tt.want)
				replyJSON(w, http.StatusOK, `{"data":{"uid":"alice","name":"Alice"}}`)
			})
			_, err := client.Users.Get(context.Background(), "alice")
			require.NoError(t, err)
		})
	}
}

// utEveryCall is one call of every method of the SDK (Import aside), with
// whether it sends a body. Each returns the call's error.
var utEveryCall = []struct {
	name    string
	hasBody bool
	call    func(context.Context, *Client) error
}{
	{"Users.Create", true, func(ctx context.Context, c *Client) error {
		_, err := c.Users.Create(ctx, &CreateUserParams{UID: "alice", Name: "Alice"})
		return err
	}},
	{"Users.Get", false, func(ctx context.Context, c *Client) error {
		_, err := c.Users.Get(ctx, "alice")
		return err
	}},
	{"Users.Update", true, func(ctx context.Context, c *Client) error {
		_, err := c.Users.Update(ctx, "alice", &UpdateUserParams{Name: Ptr("Ada")})
		return err
	}},
	{"Users.Delete soft", false, func(ctx context.Context, c *Client) error {
		return c.Users.Delete(ctx, "alice", nil)
	}},
	{"Users.Delete permanent", true, func(ctx context.Context, c *Client) error {
		return c.Users.Delete(ctx, "alice", &DeleteUserParams{Permanent: true})
	}},
	{"Users.Deactivate", true, func(ctx context.Context, c *Client) error {
		_, err := c.Users.Deactivate(ctx, "alice")
		return err
	}},
	{"Users.Reactivate", true, func(ctx context.Context, c *Client) error {
		_, err := c.Users.Reactivate(ctx, "alice")
		return err
	}},
	{"Users.List", false, func(ctx context.Context, c *Client) error {
		_, err := c.Users.List(ctx, &ListUsersParams{SearchKey: "al"})
		return err
	}},
	{"Users.All", false, func(ctx context.Context, c *Client) error {
		for _, err := range c.Users.All(ctx, nil) {
			return err
		}
		return nil
	}},
	{"AuthTokens.Create", true, func(ctx context.Context, c *Client) error {
		_, err := c.AuthTokens.Create(ctx, "alice", nil)
		return err
	}},
	{"AuthTokens.List", false, func(ctx context.Context, c *Client) error {
		_, err := c.AuthTokens.List(ctx, "alice", nil)
		return err
	}},
	{"AuthTokens.All", false, func(ctx context.Context, c *Client) error {
		for _, err := range c.AuthTokens.All(ctx, "alice", nil) {
			return err
		}
		return nil
	}},
	{"AuthTokens.Get", false, func(ctx context.Context, c *Client) error {
		_, err := c.AuthTokens.Get(ctx, "alice", "tok")
		return err
	}},
	{"AuthTokens.Update", true, func(ctx context.Context, c *Client) error {
		_, err := c.AuthTokens.Update(ctx, "alice", "tok", &UpdateAuthTokenParams{Platform: Ptr("ios")})
		return err
	}},
	{"AuthTokens.Delete", false, func(ctx context.Context, c *Client) error {
		return c.AuthTokens.Delete(ctx, "alice", "tok")
	}},
	{"AuthTokens.Flush", false, func(ctx context.Context, c *Client) error {
		return c.AuthTokens.Flush(ctx, "alice")
	}},
}

// utGenericHandler answers any request of utEveryCall with a body its
// decoder accepts: a one-item list for list endpoints, an object otherwise.
func utGenericHandler(w http.ResponseWriter, r *http.Request) {
	isList := r.Method == http.MethodGet &&
		(strings.HasSuffix(r.URL.Path, "/users") || strings.HasSuffix(r.URL.Path, "/auth_tokens"))
	if isList {
		replyJSON(w, http.StatusOK, `{"data":[{"uid":"alice","name":"Alice","authToken":"tok"}],"meta":{"pagination":{"total":1,"count":1,"per_page":100,"current_page":1,"total_pages":1}}}`)
		return
	}
	replyJSON(w, http.StatusOK, `{"data":{"uid":"alice","name":"Alice","authToken":"tok","success":true}}`)
}

func TestHeaders_EveryRequest(t *testing.T) {
	t.Parallel()
	for _, tt := range utEveryCall {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			client, mux, _ := setup(t)
			var hits atomic.Int64
			mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				testHeader(t, r, "apikey", setupAPIKey)
				testHeader(t, r, "Accept", "application/json")
				testHeader(t, r, "User-Agent", utWantUserAgent())
				testNoHeader(t, r, "onBehalfOf")
				testNoHeader(t, r, "Authorization")
				if tt.hasBody {
					testHeader(t, r, "Content-Type", "application/json")
				} else {
					testNoBody(t, r)
				}
				utGenericHandler(w, r)
			})
			require.NoError(t, tt.call(context.Background(), client))
			assert.Equal(t, int64(1), hits.Load())
		})
	}
}

func TestClient_FormattingNeverShowsKey(t *testing.T) {
	t.Parallel()
	c, err := NewClient("myapp", RegionEU, setupAPIKey, WithUserAgent("myapp/1.0"))
	require.NoError(t, err)
	value := reflect.ValueOf(c).Elem() // *c, without copying its mutex
	for _, verb := range []string{"%v", "%+v", "%#v"} {
		for name, arg := range map[string]any{
			"*Client":           c,
			"Client value (*c)": value,
			"Users":             c.Users,
			"*Users":            reflect.ValueOf(c.Users).Elem(),
			"AuthTokens":        c.AuthTokens,
			"[]*Client":         []*Client{c},
		} {
			utAssertNoKey(t, fmt.Sprintf(verb, arg), verb+" of "+name)
		}
	}
	for _, verb := range []string{"%s", "%q", "%x", "%X", "%d"} {
		utAssertNoKey(t, fmt.Sprintf(verb, c), verb+" of *Client")
	}

	var buf bytes.Buffer
	for _, h := range []slog.Handler{
		slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}),
		slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}),
	} {
		l := slog.New(h)
		l.Info("client", "client", c, "value", value.Interface(), "users", c.Users)
		l.Info("client", slog.Any("client", c), slog.Group("g", "c", c))
	}
	assert.NotEmpty(t, buf.String())
	assert.NotContains(t, buf.String(), setupAPIKey)
}

func TestWithLogger_NeverLogsKeyOrQuery(t *testing.T) {
	t.Parallel()
	var (
		mu  sync.Mutex
		buf bytes.Buffer
	)
	logger := slog.New(slog.NewJSONHandler(&utLockedWriter{mu: &mu, w: &buf}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	client, mux, _ := setupWith(t, WithLogger(logger))
	var hits atomic.Int64
	mux.HandleFunc("/users", func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			replyJSON(w, http.StatusServiceUnavailable, `{"error":{"code":"ERR_MISSION_FAILED","message":"down"}}`)
			return
		}
		replyJSON(w, http.StatusOK, specBodyListUsers)
	})
	_, err := client.Users.List(context.Background(), &ListUsersParams{SearchKey: "private-search-term"})
	require.NoError(t, err)
	assert.Equal(t, int64(2), hits.Load(), "the 503 is retried")

	mu.Lock()
	out := buf.String()
	mu.Unlock()
	assert.Contains(t, out, "503", "the failed attempt is logged with its status")
	assert.Contains(t, out, "/users", "the path is logged")
	assert.NotContains(t, out, setupAPIKey)
	assert.NotContains(t, out, "private-search-term", "query values may be personal data")
}

// utAssertNoKey asserts out is non-empty and holds the API key neither as
// text nor hex-encoded.
func utAssertNoKey(t testing.TB, out, what string) {
	t.Helper()
	assert.NotEmpty(t, out, what)
	assert.NotContains(t, out, setupAPIKey, what)
	assert.NotContains(t, strings.ToLower(out), fmt.Sprintf("%x", setupAPIKey), what+" (hex)")
}

// TestClient_ValueFormattingOtherVerbsNeverShowsKey covers the verbs that
// are not %v, %+v, %#v on a Client value: fmt's bad-verb fallback prints
// nested pointers' targets, credentials included.
func TestClient_ValueFormattingOtherVerbsNeverShowsKey(t *testing.T) {
	t.Parallel()
	c, err := NewClient("myapp", RegionEU, setupAPIKey)
	require.NoError(t, err)
	value := reflect.ValueOf(c).Elem()
	for _, verb := range []string{"%s", "%q", "%x", "%X", "%d", "%t"} {
		utAssertNoKey(t, fmt.Sprintf(verb, value), verb+" of *c")
	}
}

type utLockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (w *utLockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.w.Write(p)
}

func TestWithHTTPClient_TransportUsedCallerValueNeverMutated(t *testing.T) {
	t.Parallel()
	// The API answers every call with a redirect to another host. Following
	// it would send the apikey header there.
	var elsewhere atomic.Int64
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		t.Errorf("redirect followed: %s got apikey %q", r.URL, r.Header.Get("apikey"))
	}))
	t.Cleanup(other.Close)
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/steal", http.StatusFound)
	}))
	t.Cleanup(api.Close)

	var roundTrips atomic.Int64
	base := api.Client().Transport
	rt := utTransport(func(r *http.Request) (*http.Response, error) {
		roundTrips.Add(1)
		return base.RoundTrip(r)
	})
	jar := http.CookieJar(nil)
	hc := &http.Client{Transport: rt, Timeout: 7 * time.Second, Jar: jar}

	c, err := NewClient("myapp", RegionUS, setupAPIKey, WithHTTPClient(hc), WithBaseURL(api.URL+"/v3"), WithMaxRetries(0))
	require.NoError(t, err)
	u, err := c.Users.Get(context.Background(), "alice")
	assert.Nil(t, u)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusFound, apiErr.StatusCode)

	assert.Equal(t, int64(1), roundTrips.Load(), "the caller's transport is used")
	assert.Zero(t, elsewhere.Load(), "a redirect is never followed")
	assert.Nil(t, hc.CheckRedirect, "the caller's http.Client must not be mutated")
	assert.Equal(t, 7*time.Second, hc.Timeout)
	assert.Nil(t, hc.Jar)
	_, same := hc.Transport.(utTransport)
	assert.True(t, same, "the caller's Transport must not be replaced")
}

func TestClient_RateLimit(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	headers := make(chan http.Header, 1)
	mux.HandleFunc("/users/alice", func(w http.ResponseWriter, r *http.Request) {
		for k, v := range <-headers {
			w.Header()[k] = v
		}
		replyJSON(w, http.StatusOK, `{"data":{"uid":"alice","name":"Alice"}}`)
	})
	assert.Equal(t, RateLimit{}, client.RateLimit(), "zero before the first answer")

	get := func(h http.Header) RateLimit {
		t.Helper()
		headers <- h
		_, err := client.Users.Get(context.Background(), "alice")
		require.NoError(t, err)
		return client.RateLimit()
	}

	got := get(http.Header{
		"X-RateLimit-Limit":             {"10000"},
		"X-RateLimit-Remaining":         {"9998"},
		"X-RateLimit-Limit-For-App":     {"20000"},
		"X-RateLimit-Remaining-For-App": {"19990"},
		"X-RateLimit-Reset":             {"1694667984"},
	})
	assert.Equal(t, 10000, got.Limit)
	assert.Equal(t, 9998, got.Remaining)
	assert.Equal(t, 20000, got.AppLimit)
	assert.Equal(t, 19990, got.AppRemaining)
	utAssertUnix(t, 1694667984, got.Reset, "Reset")

	got = get(http.Header{
		"X-Rate-Limit":           {"500"},
		"X-Rate-Limit-Remaining": {"499"},
		"X-Rate-Limit-Reset":     {"1700000000"},
	})
	assert.Equal(t, 500, got.Limit, "older X-Rate-Limit spelling")
	assert.Equal(t, 499, got.Remaining)
	assert.Zero(t, got.AppLimit)
	assert.Zero(t, got.AppRemaining)
	utAssertUnix(t, 1700000000, got.Reset, "Reset")

	got = get(http.Header{"X-Ratelimit-Limit": {"not-a-number"}, "X-Ratelimit-Remaining": {"-3"}})
	assert.Equal(t, RateLimit{}, got, "malformed headers are zero")

	got = get(http.Header{})
	assert.Equal(t, RateLimit{}, got, "an answer without the headers resets to zero values")
}

func TestClient_RateLimitFromErrorAnswer(t *testing.T) {
	t.Parallel()
	client, mux, _ := setupWith(t, WithMaxRetries(0))
	mux.HandleFunc("/users/ghost", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-RateLimit-Limit", "10000")
		w.Header().Set("X-RateLimit-Remaining", "17")
		replyJSON(w, http.StatusNotFound, specErrUIDNotFound)
	})
	_, err := client.Users.Get(context.Background(), "ghost")
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 17, apiErr.RateLimit.Remaining)
	assert.Equal(t, 10000, apiErr.RateLimit.Limit)
	assert.Equal(t, 17, client.RateLimit().Remaining, "error answers update Client.RateLimit too")
}

// TestClient_ConcurrentUse shares one client between goroutines: run with
// -race. Every goroutine must get its own answer.
func TestClient_ConcurrentUse(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	var hits atomic.Int64
	mux.HandleFunc("/users/", func(w http.ResponseWriter, r *http.Request) {
		n := hits.Add(1)
		uid := strings.TrimPrefix(r.URL.Path, "/users/")
		w.Header().Set("X-RateLimit-Remaining", strconv.FormatInt(n, 10))
		replyJSON(w, http.StatusOK, `{"data":{"uid":"`+uid+`","name":"N `+uid+`"}}`)
	})
	mux.HandleFunc("/users", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		replyJSON(w, http.StatusOK, specBodyListUsers)
	})

	const workers, calls = 16, 20
	var wg sync.WaitGroup
	for g := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range calls {
				uid := fmt.Sprintf("u%d_%d", g, i)
				u, err := client.Users.Get(context.Background(), uid)
				if assert.NoError(t, err) {
					assert.Equal(t, uid, u.UID)
					assert.Equal(t, "N "+uid, u.Name)
				}
				page, err := client.Users.List(context.Background(), &ListUsersParams{PerPage: 5})
				if assert.NoError(t, err) {
					assert.Len(t, page.Users, 1)
				}
				_ = client.RateLimit()
				_ = client.String()
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, int64(workers*calls*2), hits.Load())
	assert.Positive(t, client.RateLimit().Remaining+1)
}
