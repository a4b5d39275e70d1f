package transport

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gocometchat/cometchat/internal/hostile"
	"github.com/gocometchat/cometchat/internal/pacer"
	"github.com/gocometchat/cometchat/internal/retry"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
	"golang.org/x/net/http2"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var fast = retry.Policy{MaxRetries: 3, WaitMin: time.Millisecond, WaitMax: 30 * time.Millisecond}

// roundTripFunc is a scripted in-memory server: no sockets, so it runs on synctest's virtual clock.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// script answers the i-th request with answers[i] (the last one repeats) and counts requests.
type script struct {
	mu      sync.Mutex
	answers []func(*http.Request) (*http.Response, error)
	bodies  []string
}

func (s *script) RoundTrip(r *http.Request) (*http.Response, error) {
	s.mu.Lock()
	var body []byte
	if r.Body != nil {
		body, _ = io.ReadAll(r.Body)
		_ = r.Body.Close()
	}
	s.bodies = append(s.bodies, string(body))
	a := s.answers[min(len(s.bodies), len(s.answers))-1]
	s.mu.Unlock()
	return a(r)
}

func (s *script) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.bodies)
}

func reply(status int, body string, kv ...string) func(*http.Request) (*http.Response, error) {
	return func(r *http.Request) (*http.Response, error) {
		h := http.Header{}
		for i := 0; i < len(kv); i += 2 {
			h.Set(kv[i], kv[i+1])
		}
		return &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(strings.NewReader(body)),
			ContentLength: int64(len(body)), Request: r}, nil
	}
}

func fail(err error) func(*http.Request) (*http.Response, error) {
	return func(*http.Request) (*http.Response, error) { return nil, err }
}

func newSender(rt http.RoundTripper, p retry.Policy) *Sender {
	return New(Config{HTTPClient: &http.Client{Transport: rt}, Policy: p, MaxBody: 1 << 20})
}

func get(url string) Request {
	return Request{Method: http.MethodGet, URL: url, Header: http.Header{}}
}
func post(url string) Request {
	return Request{Method: http.MethodPost, URL: url, Header: http.Header{}, Body: []byte(`{"uid":"ada"}`)}
}

func TestSend_RetriesThenReturnsTheAnswer(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &script{answers: []func(*http.Request) (*http.Response, error){
			reply(503, "busy"), reply(429, "slow down", "Retry-After", "2"), reply(200, `{"data":{}}`),
		}}
		start := time.Now()
		resp, err := newSender(s, retry.Policy{MaxRetries: 3, WaitMin: time.Second, WaitMax: 30 * time.Second}).Send(context.Background(), get("http://api/v3/users/ada"))
		require.NoError(t, err)
		assert.Equal(t, 200, resp.Status)
		assert.Equal(t, `{"data":{}}`, string(resp.Body))
		assert.Equal(t, 3, s.count())
		elapsed := time.Since(start)
		assert.GreaterOrEqual(t, elapsed, 3*time.Second, "1-2 s of backoff, then the 2 s Retry-After")
		assert.LessOrEqual(t, elapsed, 4*time.Second)
	})
}

func TestSend_RetriesRunOutReturnsTheLastAnswer(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &script{answers: []func(*http.Request) (*http.Response, error){reply(503, `{"error":{"code":"ERR_MISSION_FAILED"}}`)}}
		resp, err := newSender(s, fast).Send(context.Background(), get("http://api/v3/users"))
		require.NoError(t, err)
		assert.Equal(t, 503, resp.Status)
		assert.Contains(t, string(resp.Body), "ERR_MISSION_FAILED")
		assert.Equal(t, 4, s.count())
	})
}

func TestSend_PostBodyIdenticalOnEveryAttempt(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &script{answers: []func(*http.Request) (*http.Response, error){reply(429, ""), reply(429, ""), reply(200, "{}")}}
		_, err := newSender(s, fast).Send(context.Background(), post("http://api/v3/users"))
		require.NoError(t, err)
		assert.Equal(t, []string{`{"uid":"ada"}`, `{"uid":"ada"}`, `{"uid":"ada"}`}, s.bodies)
	})
}

func TestSend_PostNotRetriedAfterItMayHaveArrived(t *testing.T) {
	for name, answer := range map[string]func(*http.Request) (*http.Response, error){
		"503":        reply(503, ""),
		"reset":      fail(&net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}),
		"cut body":   cut(200, `{"data":{"uid":"ada"`),
		"unexpected": fail(io.ErrUnexpectedEOF),
	} {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				s := &script{answers: []func(*http.Request) (*http.Response, error){answer, reply(200, "{}")}}
				_, _ = newSender(s, fast).Send(context.Background(), post("http://api/v3/users"))
				assert.Equal(t, 1, s.count())
			})
		})
	}
}

func TestSend_RefusedConnectionRetriedEvenForPost(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		refused := fail(&net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED})
		s := &script{answers: []func(*http.Request) (*http.Response, error){refused, reply(200, "{}")}}
		resp, err := newSender(s, fast).Send(context.Background(), post("http://api/v3/users"))
		require.NoError(t, err)
		assert.Equal(t, 200, resp.Status)
		assert.Equal(t, 2, s.count())

		s = &script{answers: []func(*http.Request) (*http.Response, error){refused}}
		_, err = newSender(s, fast).Send(context.Background(), post("http://api/v3/users"))
		assert.ErrorIs(t, err, syscall.ECONNREFUSED)
		assert.Equal(t, 4, s.count())
	})
}

// cut answers with status and a body that breaks off after prefix.
func cut(status int, prefix string) func(*http.Request) (*http.Response, error) {
	return func(r *http.Request) (*http.Response, error) {
		body := io.MultiReader(strings.NewReader(prefix), errReader{io.ErrUnexpectedEOF})
		return &http.Response{StatusCode: status, Header: http.Header{}, Body: io.NopCloser(body), ContentLength: 500, Request: r}, nil
	}
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

func TestSend_CutBodyRetriedForGet(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &script{answers: []func(*http.Request) (*http.Response, error){cut(200, `{"data":[`), reply(200, `{"data":[]}`)}}
		resp, err := newSender(s, fast).Send(context.Background(), get("http://api/v3/users"))
		require.NoError(t, err)
		assert.Equal(t, `{"data":[]}`, string(resp.Body))

		s = &script{answers: []func(*http.Request) (*http.Response, error){cut(200, `{"data":[`)}}
		_, err = newSender(s, fast).Send(context.Background(), get("http://api/v3/users"))
		var be *BodyError
		require.ErrorAs(t, err, &be)
		assert.Equal(t, 200, be.Status)
		assert.False(t, be.Oversize)
		assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
		assert.Equal(t, 4, s.count())
	})
}

func TestSend_ContextEndsTheWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &script{answers: []func(*http.Request) (*http.Response, error){reply(503, "")}}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		start := time.Now()
		_, err := newSender(s, retry.Policy{MaxRetries: 5, WaitMin: time.Minute, WaitMax: time.Hour}).Send(ctx, get("http://api/v3/users"))
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Equal(t, 5*time.Second, time.Since(start))
		assert.Equal(t, 1, s.count())
	})
}

func TestSend_429AskingPastTheMaxComesBackAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &script{answers: []func(*http.Request) (*http.Response, error){reply(429, "", "Retry-After", "3600")}}
		start := time.Now()
		resp, err := newSender(s, fast).Send(context.Background(), get("http://api/v3/users"))
		require.NoError(t, err)
		assert.Equal(t, 429, resp.Status)
		assert.Equal(t, "3600", resp.Header.Get("Retry-After"))
		assert.Equal(t, 1, s.count())
		assert.Zero(t, time.Since(start))
	})
}

func TestSend_PolicyOverridePerRequest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &script{answers: []func(*http.Request) (*http.Response, error){reply(429, "", "Retry-After", "58")}}
		r := post("http://api/v3/data_import/users")
		r.Policy = &retry.Policy{MaxRetries: 2, WaitMin: time.Second, WaitMax: 2 * time.Minute}
		start := time.Now()
		resp, err := newSender(s, fast).Send(context.Background(), r)
		require.NoError(t, err)
		assert.Equal(t, 429, resp.Status)
		assert.Equal(t, 3, s.count())
		assert.Equal(t, 116*time.Second, time.Since(start))
	})
}

func TestSend_PacedCallsShareTheWindowAndItsHolds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var times []time.Time
		var mu sync.Mutex
		s := roundTripFunc(func(r *http.Request) (*http.Response, error) {
			mu.Lock()
			times = append(times, time.Now())
			n := len(times)
			mu.Unlock()
			if n == 2 {
				return reply(429, "", "Retry-After", "30")(r)
			}
			return reply(200, "{}")(r)
		})
		sender := newSender(s, fast)
		w := pacer.New(time.Minute)
		start := time.Now()
		for range 3 {
			r := post("http://api/v3/data_import/users")
			r.Window, r.Limit = w, 2
			r.Policy = &retry.Policy{MaxRetries: 3, WaitMin: time.Second, WaitMax: 2 * time.Minute}
			resp, err := sender.Send(context.Background(), r)
			require.NoError(t, err)
			assert.Equal(t, 200, resp.Status)
		}
		// 1 at 0 s; 2 at 0 s gets 429 "30 s"; its retry waits out the hold and then the window (two requests
		// ended at 0 s): 60 s; the third fits beside it (two a minute): 60 s.
		require.Len(t, times, 4)
		got := make([]time.Duration, len(times))
		for i, at := range times {
			got[i] = at.Sub(start)
		}
		assert.Equal(t, []time.Duration{0, 0, time.Minute, time.Minute}, got)
	})
}

func TestSend_MaxBody(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		body := strings.Repeat("x", 100)
		for _, tt := range []struct {
			name    string
			max     int64
			length  int64
			wantErr bool
		}{
			{"exactly the limit", 100, 100, false},
			{"one past, announced", 99, 100, true},
			{"one past, unannounced", 99, -1, true},
			{"max int64", math.MaxInt64, 100, false},
			{"max int64 unannounced", math.MaxInt64, -1, false},
		} {
			rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
				return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(body)), ContentLength: tt.length, Request: r}, nil
			})
			s := New(Config{HTTPClient: &http.Client{Transport: rt}, Policy: fast, MaxBody: tt.max})
			resp, err := s.Send(context.Background(), get("http://api/v3/users"))
			if tt.wantErr {
				var be *BodyError
				require.ErrorAs(t, err, &be, tt.name)
				assert.True(t, be.Oversize, tt.name)
				assert.ErrorIs(t, err, ErrTooLarge, tt.name)
				continue
			}
			require.NoError(t, err, tt.name)
			assert.Equal(t, body, string(resp.Body), tt.name)
		}
	})
}

func TestSend_ErrorBodyReadUpToItsCap(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &script{answers: []func(*http.Request) (*http.Response, error){reply(404, strings.Repeat("e", 200<<10))}}
		resp, err := newSender(s, fast).Send(context.Background(), get("http://api/v3/users/x"))
		require.NoError(t, err)
		assert.Equal(t, 404, resp.Status)
		assert.Len(t, resp.Body, MaxErrorBody)
	})
}

func TestSend_OnAnswerSeesEveryAttempt(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &script{answers: []func(*http.Request) (*http.Response, error){reply(503, "", "X-RateLimit-Remaining", "9"), reply(200, "{}", "X-RateLimit-Remaining", "8")}}
		var seen []string
		sender := New(Config{HTTPClient: &http.Client{Transport: s}, Policy: fast, MaxBody: 1 << 20,
			OnAnswer: func(h http.Header) { seen = append(seen, h.Get("X-RateLimit-Remaining")) }})
		_, err := sender.Send(context.Background(), get("http://api/v3/users"))
		require.NoError(t, err)
		assert.Equal(t, []string{"9", "8"}, seen)
	})
}

func TestSend_LogsAttemptsAndRetriesWithoutSecrets(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		secret := "ada_1694680000abcdefabcdef0123456789"
		s := &script{answers: []func(*http.Request) (*http.Response, error){
			fail(errors.New(`malformed HTTP response "GET /v3/users/ada/auth_tokens/` + secret + `"`)), reply(200, "{}")}}
		var buf bytes.Buffer
		sender := New(Config{HTTPClient: &http.Client{Transport: s}, Policy: fast, MaxBody: 1 << 20,
			Logger: slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))})
		r := get("http://api/v3/users/ada/auth_tokens/" + secret)
		r.LogPath, r.Secrets = "/users/ada/auth_tokens/[redacted]", []string{secret}
		_, err := sender.Send(context.Background(), r)
		require.NoError(t, err)
		out := buf.String()
		assert.NotContains(t, out, secret)
		assert.Equal(t, 2, strings.Count(out, `"msg":"cometchat: attempt"`))
		assert.Equal(t, 1, strings.Count(out, `"msg":"cometchat: retrying"`))
		assert.Contains(t, out, `"path":"/users/ada/auth_tokens/[redacted]"`)
		assert.Contains(t, out, `"status":200`)
	})
}

func TestNew_NeverMutatesTheCallersClient(t *testing.T) {
	rt := roundTripFunc(func(*http.Request) (*http.Response, error) { return nil, errors.New("unused") })
	hc := &http.Client{Transport: rt, Timeout: time.Second}
	s := New(Config{HTTPClient: hc, Policy: fast, MaxBody: 1})
	assert.Nil(t, hc.CheckRedirect)
	assert.NotNil(t, s.client.CheckRedirect)
	assert.Equal(t, time.Second, s.client.Timeout)
	_, isFunc := hc.Transport.(roundTripFunc)
	assert.True(t, isFunc)
}

func TestDefaultTransport_NotShared(t *testing.T) {
	a, b := DefaultTransport(), DefaultTransport()
	assert.NotSame(t, a, b)
	assert.Equal(t, 128, a.MaxIdleConnsPerHost)
	assert.NotEqual(t, 128, http.DefaultTransport.(*http.Transport).MaxIdleConnsPerHost)
}

// The tests below attack the real net/http stack with hostile servers on loopback.

func TestSend_RedirectNeverFollowed(t *testing.T) {
	var other atomic.Int32
	target := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { other.Add(1) }))
	defer target.Close()
	srv := httptest.NewServer(http.RedirectHandler(target.URL+"/steal", http.StatusTemporaryRedirect))
	defer srv.Close()
	resp, err := New(Config{Policy: fast, MaxBody: 1 << 20}).Send(context.Background(), get(srv.URL+"/v3/users"))
	require.NoError(t, err)
	assert.Equal(t, http.StatusTemporaryRedirect, resp.Status)
	assert.Zero(t, other.Load())
}

func TestSend_SwitchingProtocolsEndsAtOnce(t *testing.T) {
	done := make(chan struct{})
	defer close(done)
	url := hostile.Listen(t, func(c net.Conn) {
		_, _, _ = hostile.ReadRequest(c)
		_, _ = io.WriteString(c, "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: chat\r\n\r\n")
		<-done // then silence
	})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	resp, err := New(Config{Policy: fast, MaxBody: 1 << 20}).Send(ctx, get(url+"/v3/users/ada"))
	require.NoError(t, err)
	assert.Equal(t, http.StatusSwitchingProtocols, resp.Status)
	assert.NoError(t, ctx.Err(), "returned before the deadline")
}

func TestSend_StalledBodyEndsByTheDeadline(t *testing.T) {
	done := make(chan struct{})
	defer close(done)
	url := hostile.Listen(t, func(c net.Conn) {
		_, _, _ = hostile.ReadRequest(c)
		_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n{\"data\":")
		<-done
	})
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err := New(Config{Policy: fast, MaxBody: 1 << 20}).Send(ctx, get(url+"/v3/users/ada"))
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}

func TestSend_EndlessBodyStopsAtTheCap(t *testing.T) {
	url := hostile.Listen(t, func(c net.Conn) {
		_, _, _ = hostile.ReadRequest(c)
		_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
		chunk := "4000\r\n" + strings.Repeat("x", 0x4000) + "\r\n"
		for {
			if _, err := io.WriteString(c, chunk); err != nil {
				return // the client gave up
			}
		}
	})
	_, err := New(Config{Policy: fast, MaxBody: 1 << 20}).Send(context.Background(), get(url+"/v3/users"))
	assert.ErrorIs(t, err, ErrTooLarge)
}

// h2Server is an HTTP/2 server over TLS that reads each request whole and then resets its stream with
// PROTOCOL_ERROR, the reset after which Go's HTTP/2 transport replays a request it can rewind.
func h2Server(t *testing.T) (url string, client *http.Client, requests *atomic.Int32) {
	t.Helper()
	ts := httptest.NewUnstartedServer(nil)
	ts.EnableHTTP2 = true
	ts.StartTLS()
	client, cert := ts.Client(), ts.TLS.Certificates
	ts.Close()
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: cert, NextProtos: []string{"h2"}})
	require.NoError(t, err)
	requests = new(atomic.Int32)
	hostile.Serve(t, ln, func(c net.Conn) { serveReset(c, requests) })
	return "https://" + ln.Addr().String(), client, requests
}

func serveReset(c net.Conn, requests *atomic.Int32) {
	preface := make([]byte, len(http2.ClientPreface))
	if _, err := io.ReadFull(c, preface); err != nil {
		return
	}
	fr := http2.NewFramer(c, c)
	if fr.WriteSettings() != nil {
		return
	}
	for {
		f, err := fr.ReadFrame()
		if err != nil {
			return
		}
		ended := false
		switch f := f.(type) {
		case *http2.SettingsFrame:
			if !f.IsAck() {
				_ = fr.WriteSettingsAck()
			}
		case *http2.PingFrame:
			if !f.IsAck() {
				_ = fr.WritePing(true, f.Data)
			}
		case *http2.HeadersFrame:
			ended = f.StreamEnded()
		case *http2.DataFrame:
			ended = f.StreamEnded()
		}
		if ended {
			requests.Add(1)
			_ = fr.WriteRSTStream(f.Header().StreamID, http2.ErrCodeProtocol)
		}
	}
}

func TestSend_HTTP2ResetPostSentOnce(t *testing.T) {
	url, callerClient, requests := h2Server(t)
	sdkTransport := DefaultTransport()
	sdkTransport.TLSClientConfig = callerClient.Transport.(*http.Transport).TLSClientConfig.Clone()
	for name, hc := range map[string]*http.Client{
		"SDK default transport": {Transport: sdkTransport},
		"caller's transport":    callerClient,
	} {
		t.Run(name, func(t *testing.T) {
			requests.Store(0)
			for _, retries := range []int{0, 3} {
				s := New(Config{HTTPClient: hc, Policy: retry.Policy{MaxRetries: retries, WaitMin: time.Millisecond, WaitMax: time.Millisecond}, MaxBody: 1 << 20})
				_, err := s.Send(context.Background(), post(url+"/v3/users"))
				require.Error(t, err)
				assert.Equal(t, int32(1), requests.Swap(0), "MaxRetries %d: the POST reached the server once", retries)
			}
		})
	}
}

func TestSend_HTTP2ResetGetStaysBounded(t *testing.T) {
	url, hc, requests := h2Server(t)
	for _, retries := range []int{0, 3} {
		s := New(Config{HTTPClient: hc, Policy: retry.Policy{MaxRetries: retries, WaitMin: time.Millisecond, WaitMax: time.Millisecond}, MaxBody: 1 << 20})
		_, err := s.Send(context.Background(), get(url+"/v3/users"))
		require.Error(t, err)
		sent := requests.Swap(0)
		if errors.Is(err, ErrResent) {
			// Up to Go 1.26 the transport resends it on its own, without limit: the call stops at its second send
			// within one attempt.
			assert.Equal(t, int32(maxSends), sent, "MaxRetries %d", retries)
		} else {
			// From Go 1.27 the transport does not resend a request whose stream was reset with PROTOCOL_ERROR: one
			// send per attempt, and the attempts the policy allows a GET after a transport error.
			assert.Equal(t, int32(retries+1), sent, "MaxRetries %d: %v", retries, err)
		}
	}
}

func TestSend_ConnectionsReusedAfterErrorAnswers(t *testing.T) {
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/v3/missing":
			http.Error(w, `{"error":{"code":"ERR_UID_NOT_FOUND"}}`, http.StatusNotFound)
		case "/v3/busy":
			w.Header().Set("Retry-After", "3600")
			http.Error(w, strings.Repeat("x", 100<<10), http.StatusTooManyRequests) // past what is read: drained
		case "/v3/broken":
			http.Error(w, "<html>oops</html>", http.StatusInternalServerError)
		default:
			_, _ = io.WriteString(w, `{"data":{}}`)
		}
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	s := New(Config{Policy: fast, MaxBody: 1 << 20})
	for _, path := range []string{"/v3/users", "/v3/missing", "/v3/busy", "/v3/broken", "/v3/users"} {
		_, err := s.Send(context.Background(), get(srv.URL+path))
		require.NoError(t, err, path)
	}
	assert.Equal(t, int32(1), conns.Load(), "every answer, error answers included, left its connection reusable")
}
