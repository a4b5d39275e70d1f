package cometchat

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gocometchat/cometchat/internal/hostile"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewClient_BaseURLFromAppIDAndRegion(t *testing.T) {
	c, err := NewClient("Abc-123", "EU", testKey)
	require.NoError(t, err)
	assert.Equal(t, "https://Abc-123.api-eu.cometchat.io/v3", c.baseURL)
	for _, region := range []string{RegionUS, RegionEU, RegionIN, "ap1"} {
		_, err := NewClient(testAppID, region, testKey)
		assert.NoError(t, err, region)
	}
}

func TestNewClient_InvalidArgumentsNameTheArgumentNeverTheKey(t *testing.T) {
	secretish := "sk_live_" + testKey + " "
	tests := []struct {
		appID, region, key, field string
	}{
		{"", "us", testKey, "appID"},
		{"app.evil.com", "us", testKey, "appID"},
		{"app/x", "us", testKey, "appID"},
		{strings.Repeat("a", 64), "us", testKey, "appID"},
		{"app", "", testKey, "region"},
		{"app", "us.evil", testKey, "region"},
		{"app", "-us", testKey, "region"},
		{"app", "us", "", "apiKey"},
		{"app", "us", secretish, "apiKey"},
		{"app", "us", "key\nwith-newline", "apiKey"},
	}
	for _, tt := range tests {
		c, err := NewClient(tt.appID, tt.region, tt.key)
		assert.Nil(t, c)
		var ve *ValidationError
		require.ErrorAs(t, err, &ve, tt)
		assert.Equal(t, tt.field, ve.Field)
		if tt.key != "" {
			assert.NotContains(t, err.Error(), strings.TrimSpace(tt.key))
		}
	}
}

func TestClient_FormattingNeverShowsTheKey(t *testing.T) {
	c, err := NewClient(testAppID, testRegion, testKey)
	require.NoError(t, err)
	value := reflect.ValueOf(c).Elem().Interface() // a Client value, as a careless caller might print it
	var out []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
		out = append(out, fmt.Sprintf(verb, c), fmt.Sprintf(verb, value))
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("client", "c", c)
	slog.New(slog.NewTextHandler(&buf, nil)).Info("client", "c", c)
	out = append(out, buf.String())
	for _, s := range out {
		assert.NotContains(t, s, testKey)
		assert.NotContains(t, s, fmt.Sprintf("%x", testKey))
	}
	assert.Contains(t, c.String(), "appID: app")
}

func TestClient_HeadersOnEveryRequest(t *testing.T) {
	m := newMock(t)
	m.on("GET", "/users/ada").Reply(200).BodyString(data(userGeorge))
	m.on("POST", "/users").Reply(200).BodyString(data(userBarry))
	_, err := m.Users.Get(context.Background(), "ada", OnBehalfOf("Grace"))
	require.NoError(t, err)
	_, err = m.Users.Create(context.Background(), &CreateUserParams{UID: "ada", Name: "Ada"})
	require.NoError(t, err)

	get, post := m.requests()[0], m.requests()[1]
	for _, r := range []*sentRequest{get, post} {
		assert.Equal(t, testKey, r.Header.Get("apikey"))
		assert.Equal(t, "application/json", r.Header.Get("Accept"))
		assert.Regexp(t, `^cometchat-go/\S+ \(go\S+; \w+/\w+\)$`, r.Header.Get("User-Agent"))
	}
	assert.Equal(t, "Grace", get.Header.Get("onBehalfOf"))
	assert.Empty(t, get.Header.Get("Content-Type"), "no body, no content type")
	assert.Equal(t, "application/json", post.Header.Get("Content-Type"))
	assert.Empty(t, post.Header.Get("onBehalfOf"))
}

func TestClient_Do_ReachesAnyPath(t *testing.T) {
	m := newMock(t)
	m.on("POST", "/users/ada/conversation").Reply(200).BodyString(`{"data":{"conversationId":"ada_user_bob","note":"<b>"}}`)
	var out struct {
		Data struct {
			ConversationID string `json:"conversationId"`
		} `json:"data"`
	}
	query := url.Values{"withTags": {"true"}}
	err := m.Do(context.Background(), http.MethodPost, "/users/ada/conversation", query,
		map[string]string{"text": "<b>hi</b> & bye"}, &out, OnBehalfOf("bob"))
	require.NoError(t, err)
	assert.Equal(t, "ada_user_bob", out.Data.ConversationID)
	r := m.last(t)
	assert.Equal(t, `{"text":"<b>hi</b> & bye"}`, r.Body, "JSON without HTML escaping")
	assert.Equal(t, query, r.Query)
	assert.Equal(t, "bob", r.Header.Get("onBehalfOf"))
}

func TestClient_Do_NilOutAcceptsAny2xx(t *testing.T) {
	m := newMock(t)
	m.on("DELETE", "/users/ada").Reply(200).BodyString("not json at all")
	m.on("DELETE", "/users/bob").Reply(204)
	require.NoError(t, m.Do(context.Background(), http.MethodDelete, "/users/ada", nil, nil, nil))
	require.NoError(t, m.Do(context.Background(), http.MethodDelete, "/users/bob", nil, nil, nil))
}

func TestClient_Do_UndecodableAnswerIsErrInvalidResponse(t *testing.T) {
	m := newMock(t)
	m.on("GET", "/users").Reply(200).BodyString(`{"data":[`)
	var out map[string]any
	err := m.Do(context.Background(), http.MethodGet, "/users", nil, nil, &out)
	assert.ErrorIs(t, err, ErrInvalidResponse)
	assert.Contains(t, err.Error(), "GET /users (status 200)")
	assert.Len(t, m.requests(), 1, "a complete but malformed body is not retried")
}

func TestClient_Do_ArgumentsValidatedBeforeSending(t *testing.T) {
	m := newMock(t)
	var out map[string]any
	tests := []struct {
		name, method, path string
		body, out          any
		field              string
	}{
		{"relative path", "GET", "users", nil, nil, "path"},
		{"dot dot", "GET", "/users/../roles", nil, nil, "path"},
		{"escaped dot dot", "GET", "/users/%2e%2E/roles", nil, nil, "path"},
		{"host smuggled", "GET", "//evil.example.com/v3/users", nil, nil, "path"},
		{"query in path", "GET", "/users?perPage=5", nil, nil, "path"},
		{"fragment", "GET", "/users#x", nil, nil, "path"},
		{"space", "GET", "/users/a b", nil, nil, "path"},
		{"bad escape", "GET", "/users/%zz", nil, nil, "path"},
		{"method", "TRACE", "/users", nil, nil, "method"},
		{"lower-case method", "get", "/users", nil, nil, "method"},
		{"NaN body", "POST", "/users", map[string]float64{"x": nan()}, nil, "body"},
		{"channel body", "POST", "/users", make(chan int), nil, "body"},
		{"out not a pointer", "GET", "/users", nil, out, "out"},
		{"out nil pointer", "GET", "/users", nil, (*map[string]any)(nil), "out"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := m.Do(context.Background(), tt.method, tt.path, nil, tt.body, tt.out)
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field)
		})
	}
	//lint:ignore SA1012 the point of the test
	err := m.Do(nil, "GET", "/users", nil, nil, nil) //nolint:staticcheck // the point of the test
	assert.ErrorIs(t, err, ErrValidation)
	assert.Empty(t, m.requests())
}

func nan() float64 { zero := 0.0; return zero / zero }

func TestClient_Retries429ThenSucceeds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMock(t, WithRetryWait(time.Second, 30*time.Second))
		m.on("POST", "/users").Reply(429).SetHeader("Retry-After", "7").BodyString(`{"error":{"code":"ERR_TOO_MANY_REQUESTS"}}`)
		m.on("POST", "/users").Reply(200).BodyString(data(userBarry))
		start := time.Now()
		u, err := m.Users.Create(context.Background(), &CreateUserParams{UID: "cometchat-uid-6", Name: "Barry Allen"})
		require.NoError(t, err)
		assert.Equal(t, "cometchat-uid-6", u.UID)
		assert.Equal(t, 7*time.Second, time.Since(start))
		reqs := m.requests()
		require.Len(t, reqs, 2)
		assert.Equal(t, reqs[0].Body, reqs[1].Body, "the same body on every attempt")
	})
}

func TestClient_PostNotRetriedOn5xx(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMock(t)
		m.on("POST", "/users").Reply(503)
		u, err := m.Users.Create(context.Background(), &CreateUserParams{UID: "ada", Name: "Ada"})
		assert.Nil(t, u)
		var apiErr *APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, 503, apiErr.StatusCode)
		assert.Len(t, m.requests(), 1)
	})
}

func TestClient_RetriesRunOutReturnTheLastAnswer(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMock(t)
		m.on("GET", "/users/ada").Times(3).Reply(503)
		m.on("GET", "/users/ada").Reply(502).BodyString(`<html>bad gateway</html>`)
		_, err := m.Users.Get(context.Background(), "ada")
		var apiErr *APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, 502, apiErr.StatusCode, "the last answer, not a generic giving-up error")
		assert.Equal(t, "Bad Gateway", apiErr.Message)
		assert.Contains(t, apiErr.Body, "bad gateway")
		assert.Len(t, m.requests(), 4)
	})
}

func TestClient_429AskingPastTheMaxComesBackAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMock(t)
		m.on("GET", "/users/ada").Reply(429).SetHeader("Retry-After", "3600").SetHeader("X-RateLimit-Remaining", "0")
		start := time.Now()
		_, err := m.Users.Get(context.Background(), "ada")
		assert.ErrorIs(t, err, ErrTooManyRequests)
		var apiErr *APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, time.Hour, apiErr.RetryAfter)
		assert.Equal(t, 0, apiErr.RateLimit.Remaining)
		assert.Zero(t, time.Since(start))
		assert.Len(t, m.requests(), 1)
	})
}

func TestClient_ContextDeadlineEndsTheWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMock(t, WithRetryWait(time.Minute, time.Hour))
		m.on("GET", "/users/ada").Reply(503)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		start := time.Now()
		_, err := m.Users.Get(ctx, "ada")
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Equal(t, 10*time.Second, time.Since(start))
		assert.Len(t, m.requests(), 1)
	})
}

func TestClient_ContextCauseIsKept(t *testing.T) {
	m := newMock(t)
	cause := errors.New("shutting down")
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(cause)
	_, err := m.Users.Get(ctx, "ada")
	assert.ErrorIs(t, err, context.Canceled)
	assert.ErrorIs(t, err, cause)
	assert.Empty(t, m.requests())
}

func TestClient_RedirectIsNeverFollowed(t *testing.T) {
	m := newMock(t)
	m.on("GET", "/users/ada").Reply(307).SetHeader("Location", "https://evil.example.com/steal")
	_, err := m.Users.Get(context.Background(), "ada")
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 307, apiErr.StatusCode)
	assert.Contains(t, apiErr.Message, "redirect not followed")
	assert.Len(t, m.requests(), 1)
}

func TestClient_RateLimitFromTheLastAnswer(t *testing.T) {
	m := newMock(t)
	assert.Equal(t, RateLimit{}, m.RateLimit())
	m.on("GET", "/users/ada").Reply(200).BodyString(data(userGeorge)).
		SetHeader("X-RateLimit-Limit", "20000").SetHeader("X-RateLimit-Remaining", "19999").
		SetHeader("X-RateLimit-Limit-For-App", "100000").SetHeader("X-RateLimit-Remaining-For-App", "99998")
	m.on("GET", "/users/bob").Reply(404).SetHeader("X-Rate-Limit", "500").SetHeader("X-Rate-Limit-Remaining", "7").
		SetHeader("X-Rate-Limit-Reset", "1796212800")
	_, err := m.Users.Get(context.Background(), "ada")
	require.NoError(t, err)
	assert.Equal(t, RateLimit{Limit: 20000, Remaining: 19999, AppLimit: 100000, AppRemaining: 99998}, m.RateLimit())
	_, err = m.Users.Get(context.Background(), "bob")
	want := RateLimit{Limit: 500, Remaining: 7, Reset: time.Unix(1796212800, 0)}
	assert.Equal(t, want, m.RateLimit(), "error answers count too, older spelling read")
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, want, apiErr.RateLimit)
}

func TestClient_ConcurrentUseOfOneClient(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMock(t)
		m.on("GET", "/users/ada").Persist().Reply(200).BodyString(data(userGeorge))
		m.on("GET", "/users/ghost").Persist().Reply(404).BodyString(`{"error":{"code":"ERR_UID_NOT_FOUND"}}`)
		var wg sync.WaitGroup
		errs := make(chan error, 64)
		for i := range 64 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				uid, want := "ada", error(nil)
				if i%2 == 1 {
					uid, want = "ghost", ErrUIDNotFound
				}
				u, err := m.Users.Get(context.Background(), uid)
				switch {
				case want == nil && (err != nil || u.UID != "cometchat-uid-2"):
					errs <- fmt.Errorf("get %s: %v", uid, err)
				case want != nil && (!errors.Is(err, want) || u != nil):
					errs <- fmt.Errorf("get %s: %v", uid, err)
				}
				_ = m.RateLimit()
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
	})
}

func TestClient_WithHTTPClientNeverMutatesTheCallersClient(t *testing.T) {
	rt := http.DefaultTransport
	hc := &http.Client{Transport: rt, Timeout: 5 * time.Second}
	_, err := NewClient(testAppID, testRegion, testKey, WithHTTPClient(hc))
	require.NoError(t, err)
	assert.Nil(t, hc.CheckRedirect)
	assert.Equal(t, rt, hc.Transport)
	assert.Equal(t, 5*time.Second, hc.Timeout)
}

func TestClient_LogsAttemptsAndRetriesWithoutSecrets(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var buf bytes.Buffer
		m := newMock(t, WithLogger(slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))))
		token := "ada_16946800001f2e3d4c5b6a79881f2e3d4c5b6a"
		m.on("GET", "/users/ada/auth_tokens/"+token).Reply(503)
		m.on("GET", "/users/ada/auth_tokens/"+token).Reply(200).BodyString(data(`{"uid":"ada","authToken":"` + token + `"}`))
		m.on("GET", "/users").Reply(200).BodyString(data(`[]`))
		_, err := m.AuthTokens.Get(context.Background(), "ada", token)
		require.NoError(t, err)
		_, err = m.Users.List(context.Background(), &ListUsersParams{SearchKey: "lovelace-private"})
		require.NoError(t, err)
		out := buf.String()
		for _, secret := range []string{testKey, token, "lovelace-private"} {
			assert.NotContains(t, out, secret)
		}
		assert.Equal(t, 3, strings.Count(out, `"msg":"cometchat: attempt"`))
		assert.Equal(t, 1, strings.Count(out, `"msg":"cometchat: retrying"`))
		assert.Contains(t, out, `"path":"/users/ada/auth_tokens/[redacted]"`)
	})
}

func TestClient_LogsNothingWithoutALogger(t *testing.T) {
	var std, def bytes.Buffer
	log.SetOutput(&std)
	defer log.SetOutput(os.Stderr)
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&def, &slog.HandlerOptions{Level: slog.LevelDebug})))
	defer slog.SetDefault(old)
	synctest.Test(t, func(t *testing.T) {
		m := newMock(t)
		m.on("GET", "/users/ada").Reply(503)
		m.on("GET", "/users/ada").Reply(200).BodyString(data(userGeorge))
		_, err := m.Users.Get(context.Background(), "ada")
		require.NoError(t, err)
	})
	assert.Empty(t, std.String())
	assert.Empty(t, def.String())
}

// The tests below attack the client with hostile servers on loopback (real sockets, real net/http).

// attack serves each connection of a raw TCP listener with handle, once it has read a request, and returns the
// base URL to use.
func attack(t *testing.T, handle func(c net.Conn, req *http.Request, raw string)) string {
	t.Helper()
	return hostile.Listen(t, func(c net.Conn) {
		if req, raw, err := hostile.ReadRequest(c); err == nil {
			handle(c, req, raw)
		}
	}) + "/v3"
}

func TestClient_EchoedRequestInATransportErrorIsRedacted(t *testing.T) {
	token := "ada_16946800001f2e3d4c5b6a79881f2e3d4c5b6a"
	echo := func(c net.Conn, _ *http.Request, raw string) {
		// An echo service: the request comes back as the answer, and net/http's error quotes its first line.
		_, _ = io.WriteString(c, raw)
	}
	malformedHeader := func(c net.Conn, req *http.Request, _ string) {
		_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\n"+req.Header.Get("apikey")+" "+req.URL.String()+"\r\n\r\n")
	}
	for name, handle := range map[string]func(net.Conn, *http.Request, string){"echoed request line": echo, "malformed header line": malformedHeader} {
		t.Run(name, func(t *testing.T) {
			var logs bytes.Buffer
			c, err := NewClient(testAppID, testRegion, testKey, WithBaseURL(attack(t, handle)), WithMaxRetries(1),
				WithRetryWait(time.Millisecond, time.Millisecond),
				WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
			require.NoError(t, err)
			_, err = c.AuthTokens.Get(context.Background(), "ada", token)
			require.Error(t, err)
			_, err2 := c.Users.List(context.Background(), &ListUsersParams{SearchKey: "private-surname"})
			require.Error(t, err2)
			for _, text := range []string{err.Error(), fmt.Sprintf("%+v", err), err2.Error(), fmt.Sprintf("%#v", err2), logs.String()} {
				assert.NotContains(t, text, testKey)
				assert.NotContains(t, text, token)
				assert.NotContains(t, text, "private-surname")
			}
			for _, e := range []error{err, err2} {
				for u := errors.Unwrap(e); u != nil; u = errors.Unwrap(u) {
					assert.NotContains(t, u.Error(), testKey, "no unwrapped cause holds the key")
				}
			}
		})
	}
}

func TestClient_EchoedKeyInAnAnswerOverHTTP2IsRedacted(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		key := r.Header.Get("apikey")
		_, _ = io.WriteString(w, `{"error":{"code":"AUTH_ERR_APIKEY_NOT_FOUND","message":"The key `+key+` does not exist.","devMessage":"`+
			strings.ReplaceAll(key, "0", `\u0030`)+`","details":{"`+key+`":["`+r.URL.RawQuery+`"]}}}`)
	}))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	defer srv.Close()
	c, err := NewClient(testAppID, testRegion, testKey, WithBaseURL(srv.URL+"/v3"), WithHTTPClient(srv.Client()))
	require.NoError(t, err)
	_, err = c.Users.List(context.Background(), &ListUsersParams{SearchKey: "private-surname"})
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.ErrorIs(t, err, ErrAPIKeyNotFound)
	text := fmt.Sprintf("%v %+v %#v", err, apiErr, *apiErr)
	assert.NotContains(t, text, testKey)
	assert.NotContains(t, text, "private-surname")
	assert.Contains(t, apiErr.Message, "The key [redacted] does not exist.")
}

func TestClient_SwitchingProtocolsAnswerEndsTheCall(t *testing.T) {
	done := make(chan struct{})
	defer close(done)
	base := attack(t, func(c net.Conn, _ *http.Request, _ string) {
		_, _ = io.WriteString(c, "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: chat\r\n\r\n")
		<-done
	})
	c, err := NewClient(testAppID, testRegion, testKey, WithBaseURL(base), WithTimeout(5*time.Second))
	require.NoError(t, err)
	start := time.Now()
	u, err := c.Users.Get(context.Background(), "ada")
	assert.Nil(t, u)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusSwitchingProtocols, apiErr.StatusCode)
	assert.Less(t, time.Since(start), 5*time.Second, "ended before the timeout")
}

// FuzzClient_AnyAnswer: whatever status, headers and body the server sends, a call never panics, returns a result
// or an error (never both, never neither), turns every non-2xx into an *APIError with that status, turns every
// unusable 2xx into an error matching exactly one of ErrInvalidResponse and ErrResponseTooLarge, and shows the API
// key nowhere.
func FuzzClient_AnyAnswer(f *testing.F) {
	f.Add(200, data(userGeorge), "", "application/json")
	f.Add(404, `{"error":{"code":"ERR_UID_NOT_FOUND","message":"`+testKey+`"}}`, "", "application/json")
	f.Add(429, "", "Wed, 02 Dec 2026 12:00:00 GMT", "")
	f.Add(101, "", "", "")
	f.Add(302, "<html>", "", "text/html")
	f.Add(200, `{"data":{"uid":`, "", "")
	f.Add(204, "", "", "")
	f.Fuzz(func(t *testing.T, status int, body, retryAfter, contentType string) {
		if status < 100 || status > 599 {
			return
		}
		m := newMock(t, WithMaxRetries(0), WithMaxResponseBytes(1<<10))
		reply := m.on("GET", "/users/ada").Reply(status).BodyString(body)
		if retryAfter != "" {
			reply.SetHeader("Retry-After", retryAfter)
		}
		if contentType != "" {
			reply.SetHeader("Content-Type", contentType)
		}
		u, err := m.Users.Get(context.Background(), "ada")
		if (u == nil) == (err == nil) {
			t.Fatalf("result %v and error %v", u, err)
		}
		if err == nil {
			return
		}
		if strings.Contains(fmt.Sprintf("%v %+v", err, err), testKey) {
			t.Fatalf("the key in %v", err)
		}
		var apiErr *APIError
		if status < 200 || status > 299 {
			if !errors.As(err, &apiErr) || apiErr.StatusCode != status {
				t.Fatalf("status %d: %v", status, err)
			}
			return
		}
		if errors.Is(err, ErrInvalidResponse) == errors.Is(err, ErrResponseTooLarge) {
			t.Fatalf("status %d: %v matches neither or both", status, err)
		}
	})
}
