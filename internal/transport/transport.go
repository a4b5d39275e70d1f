// Package transport sends one API request with retries: go-retryablehttp drives the attempts, the pure policy of
// internal/retry decides after each one, and a RoundTripper of this package reads every answer whole (within a
// size cap, and never past the call's context) before anyone looks at it. It closes go-retryablehttp's known gaps:
// the last answer is handed back rather than dropped, server-dictated waits are capped, a POST is never repeated
// once it may have reached the server (at the HTTP/2 layer either), and one caller's failure does not close every
// other caller's idle connections.
package transport

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"sync/atomic"
	"time"

	"github.com/gocometchat/cometchat/internal/pacer"
	"github.com/gocometchat/cometchat/internal/ratelimit"
	"github.com/gocometchat/cometchat/internal/redact"
	"github.com/gocometchat/cometchat/internal/retry"
	"github.com/hashicorp/go-retryablehttp"
)

// Size limits of what is read from an answer.
const (
	// MaxErrorBody bounds how much of a non-2xx answer is read.
	MaxErrorBody = 64 << 10
	// maxDrain bounds how much of an unread body is read before closing it, so that its connection can be
	// reused; a longer body is abandoned with its connection.
	maxDrain = 64 << 10
)

// Config configures a Sender.
type Config struct {
	// HTTPClient is the caller's client; it is never mutated. nil: the SDK's own, over DefaultTransport.
	HTTPClient *http.Client
	Policy     retry.Policy
	MaxBody    int64        // cap on a 2xx body; must be positive
	Logger     *slog.Logger // nil logs nothing
	// OnAnswer, when set, is called with the headers of every answer, retried ones included.
	OnAnswer func(http.Header)
}

// Sender sends requests. It is safe for concurrent use and holds no per-call state.
type Sender struct {
	client *http.Client
	policy retry.Policy
	logger *slog.Logger
}

// New returns a Sender for cfg.
func New(cfg Config) *Sender {
	var hc http.Client
	if cfg.HTTPClient != nil {
		hc = *cfg.HTTPClient // a shallow copy: the caller's value is never mutated
	}
	next := hc.Transport
	switch {
	case next != nil:
	case cfg.HTTPClient == nil:
		next = DefaultTransport()
	default:
		next = http.DefaultTransport // what the caller's client would use
	}
	// The wrapper has no CloseIdleConnections: go-retryablehttp calls it after every call that fails, which on a
	// shared client would close every other caller's idle connections, exactly when the API is struggling.
	hc.Transport = &reader{next: next, maxBody: cfg.MaxBody, onAnswer: cfg.OnAnswer}
	// Go forwards custom headers such as apikey to a redirect's target: never follow one.
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &Sender{client: &hc, policy: cfg.Policy, logger: cfg.Logger}
}

// DefaultTransport clones http.DefaultTransport (never mutating the shared one) and keeps enough idle
// connections to the single API host that concurrent calls reuse them (Go keeps 2 per host by default), with an
// idle timeout below common load balancers' 60 s and a bound on how long a server may take to start answering.
func DefaultTransport() *http.Transport {
	var t *http.Transport
	if dt, ok := http.DefaultTransport.(*http.Transport); ok {
		t = dt.Clone()
	} else { // replaced by a test or a mocking library: start from net/http's defaults
		t = &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			ForceAttemptHTTP2:     true,
			TLSHandshakeTimeout:   10 * time.Second,
			ExpectContinueTimeout: time.Second,
		}
	}
	t.MaxIdleConns = 256
	t.MaxIdleConnsPerHost = 128
	t.IdleConnTimeout = 55 * time.Second
	t.ResponseHeaderTimeout = 60 * time.Second
	return t
}

// Request is one API call.
type Request struct {
	Method string
	URL    string
	Header http.Header // sent on every attempt
	Body   []byte      // nil: no body
	// Policy overrides the Sender's retry policy for this call when non-nil.
	Policy *retry.Policy
	// Window, when non-nil, paces every attempt of the call: each waits for a place under Limit, and a 429 with
	// a server-dictated wait closes the window for everyone sharing it until the wait is over.
	Window *pacer.Window
	Limit  int
	// LogPath names the call in log lines; it must hold no secret.
	LogPath string
	// Secrets are hidden from the error texts of log lines (see internal/redact).
	Secrets []string
}

// Response is the answer that ended a call: any status, with its body read (a 2xx body whole, a non-2xx body up
// to MaxErrorBody bytes, a 1xx body not at all).
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// ErrTooLarge is matched by the error of a call whose 2xx answer was larger than Config.MaxBody.
var ErrTooLarge = errors.New("body exceeds the size limit")

// BodyError is an answer whose body could not be read whole: too large (Oversize) or cut off by the network.
type BodyError struct {
	Status   int
	Oversize bool
	Err      error
}

// Error is the read error's text.
func (e *BodyError) Error() string { return e.Err.Error() }

// bodyError returns the *BodyError in err's chain, or nil.
func bodyError(err error) *BodyError {
	var be *BodyError
	if errors.As(err, &be) {
		return be
	}
	return nil
}

// Unwrap returns the read error (ErrTooLarge when Oversize).
func (e *BodyError) Unwrap() error { return e.Err }

// Send performs r: attempts and waits as the policy decides, until an answer ends the call or the context does.
// A non-nil error means no answer ended the call: the context ended, the network failed, or the answer's body
// could not be read (a *BodyError). Errors never carry the request URL.
func (s *Sender) Send(ctx context.Context, r Request) (Response, error) {
	c := &call{r: r, policy: s.policy, logger: s.logger}
	if r.Policy != nil {
		c.policy = *r.Policy
	}
	if r.Window != nil {
		ctx = context.WithValue(ctx, callKey{}, c) // for reader.RoundTrip
	}
	if retry.Idempotent(r.Method) { // what Go's transport can resend on its own: see getConn
		ctx, c.cancel = context.WithCancelCause(ctx)
		defer c.cancel(nil)
		c.trace.GetConn = c.getConn
		ctx = httptrace.WithClientTrace(ctx, &c.trace)
	}
	body := r.Body
	if body == nil && !retry.Idempotent(r.Method) {
		body = []byte{} // see below: a POST without a body would be replayable by HTTP/2
	}
	var raw any // nil: no body; retryablehttp rewinds a []byte for every attempt
	if body != nil {
		raw = body
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, r.Method, r.URL, raw)
	if err != nil {
		return Response{}, unwrapURL(err)
	}
	req.Header = r.Header
	if !retry.Idempotent(r.Method) {
		// Without GetBody Go's HTTP/2 transport cannot replay the request after a stream reset (it does so on
		// its own otherwise, up to 6 times): a POST that may have reached the server is sent once. Only the
		// policy's attempts resend it, and only when it cannot have been processed (a 429, a refused dial).
		req.GetBody = nil
	}
	rc := &retryablehttp.Client{
		HTTPClient:     s.client,
		RetryWaitMin:   c.policy.WaitMin,
		RetryWaitMax:   c.policy.WaitMax,
		RetryMax:       c.policy.MaxRetries,
		CheckRetry:     c.checkRetry,
		Backoff:        c.backoff,
		RequestLogHook: c.sent,
		// Hand back the last answer (and the last error) instead of a generic "giving up".
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
	resp, err := rc.Do(req)
	if err != nil {
		if resp != nil {
			_ = resp.Body.Close()
		}
		if errors.Is(context.Cause(ctx), ErrResent) {
			return Response{}, ErrResent
		}
		return Response{}, unwrapURL(err)
	}
	return answer(resp), nil
}

// answer turns the response that ended the call into a Response. reader put its body in memory; the http.Client
// may have wrapped it (a Timeout), in which case it is read again.
func answer(resp *http.Response) Response {
	defer resp.Body.Close()
	body, ok := resp.Body.(*memBody)
	if !ok {
		data, _ := io.ReadAll(resp.Body) // from memory: cannot fail
		body = &memBody{data: data}
	}
	return Response{Status: resp.StatusCode, Header: resp.Header, Body: body.data}
}

// unwrapURL drops *url.Error's URL, whose query may hold personal data.
func unwrapURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// call is the state of one Send across its attempts. A paced call travels to reader.RoundTrip in the request's
// context.
type call struct {
	r      Request
	policy retry.Policy
	logger *slog.Logger
	cancel context.CancelCauseFunc // ends the call: see getConn
	trace  httptrace.ClientTrace

	n       int           // attempts made
	started time.Time     // when the current attempt was sent
	wait    time.Duration // the wait Decide chose after the current attempt
	sends   atomic.Int32  // connections the current attempt asked for
}

// callKey is the context key of a call.
type callKey struct{}

// ErrResent is the error of a call whose connection failed before an answer came and that Go's transport would
// have sent once more within one attempt (see getConn).
var ErrResent = errors.New("the connection failed before an answer came, twice in one attempt")

// maxSends is how many times one attempt may be sent by Go's transport: the attempt and one resend.
const maxSends = 2

// getConn is httptrace's GetConn hook: Go's transport asks for a connection before every send. It resends a
// request whose connection failed before an answer (a stale keep-alive connection, an HTTP/2 stream the server
// refused or reset) when it can rewind the body: for a bodiless request to an HTTP/2 server that resets every
// stream, without limit. Past maxSends within one attempt the call is cancelled before the transport gets a
// connection, and fails with ErrResent. A POST needs no such bound: without GetBody Go cannot resend it once its
// body was read.
func (c *call) getConn(string) {
	if c.sends.Add(1) > maxSends {
		c.cancel(ErrResent)
	}
}

// sent is retryablehttp's RequestLogHook: an attempt starts.
func (c *call) sent(retryablehttp.Logger, *http.Request, int) {
	c.started = time.Now()
	c.sends.Store(0)
}

// checkRetry is retryablehttp's CheckRetry, called once after every attempt (the SDK sets no response handler):
// it describes the attempt to the pure policy and remembers the wait for backoff.
func (c *call) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	a := retry.Attempt{Method: c.r.Method, N: c.n, Jitter: rand.Float64()}
	if resp != nil {
		a.Status = resp.StatusCode
		a.ServerWait, a.HasServerWait = ratelimit.ServerWait(resp.Header, time.Now())
	}
	if err != nil {
		a.Err = unwrapURL(err)
		if be := bodyError(err); be != nil {
			a.Status, a.BodyCut, a.Oversize = be.Status, !be.Oversize, be.Oversize
		}
	}
	c.n++
	c.logAttempt(ctx, a)
	d := retry.Decide(c.policy, a)
	c.wait = d.Wait
	return d.Retry, nil
}

// backoff is retryablehttp's Backoff: the wait checkRetry chose. retryablehttp waits it, ending with the context.
func (c *call) backoff(_, _ time.Duration, _ int, resp *http.Response) time.Duration {
	if c.logs(context.Background(), slog.LevelInfo) {
		attrs := []slog.Attr{slog.Duration("wait", c.wait)}
		if resp != nil {
			attrs = append(attrs, slog.Int("status", resp.StatusCode))
		}
		c.log(context.Background(), slog.LevelInfo, "cometchat: retrying", attrs...)
	}
	return c.wait
}

// logAttempt logs one attempt at debug level: its status, or its error with the call's secrets redacted.
func (c *call) logAttempt(ctx context.Context, a retry.Attempt) {
	if !c.logs(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{slog.Duration("duration", time.Since(c.started))}
	if a.Status != 0 {
		attrs = append(attrs, slog.Int("status", a.Status))
	}
	if a.Err != nil {
		attrs = append(attrs, slog.String("error", redact.New(c.r.Secrets...).String(a.Err.Error())))
	}
	c.log(ctx, slog.LevelDebug, "cometchat: attempt", attrs...)
}

func (c *call) logs(ctx context.Context, level slog.Level) bool {
	return c.logger != nil && c.logger.Enabled(ctx, level)
}

// log writes msg with the call's method, path and attempt number, then attrs.
func (c *call) log(ctx context.Context, level slog.Level, msg string, attrs ...slog.Attr) {
	base := []slog.Attr{slog.String("method", c.r.Method), slog.String("path", c.r.LogPath), slog.Int("attempt", c.n)}
	c.logger.LogAttrs(ctx, level, msg, append(base, attrs...)...)
}

// reader is the RoundTripper under the SDK's http.Client: it paces attempts of paced calls and reads every
// answer's body into memory before the retry engine sees the answer, so that a body cut off mid-way is a failed
// attempt like any other and nobody downstream holds a connection open.
type reader struct {
	next     http.RoundTripper
	maxBody  int64
	onAnswer func(http.Header)
}

// RoundTrip waits for a place in a paced call's window, sends req with the next transport and returns the answer with
// its body in memory.
func (t *reader) RoundTrip(req *http.Request) (*http.Response, error) {
	var window *pacer.Window
	if c, _ := req.Context().Value(callKey{}).(*call); c != nil && c.r.Window != nil {
		window = c.r.Window
		ticket, err := window.Wait(req.Context(), c.r.Limit)
		if err != nil {
			if req.Body != nil {
				_ = req.Body.Close()
			}
			return nil, err
		}
		defer window.Done(ticket)
	}
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	if t.onAnswer != nil {
		t.onAnswer(resp.Header)
	}
	if window != nil && resp.StatusCode == http.StatusTooManyRequests {
		if wait, ok := ratelimit.ServerWait(resp.Header, time.Now()); ok {
			window.HoldUntil(time.Now().Add(wait))
		}
	}
	body, err := t.read(req.Context(), resp)
	if err != nil {
		return nil, err
	}
	resp.Body = &memBody{data: body}
	resp.ContentLength = int64(len(body))
	return resp, nil
}

// memBody is an answer's body once in memory.
type memBody struct {
	data []byte
	off  int
}

func (b *memBody) Read(p []byte) (int, error) {
	if b.off >= len(b.data) {
		return 0, io.EOF
	}
	n := copy(p, b.data[b.off:])
	b.off += n
	return n, nil
}

func (b *memBody) Close() error { return nil }

// read reads resp's body and closes it. Reading ends when ctx does, whatever the answer: a server that stalls
// mid-body, or answers 101 Switching Protocols and goes silent, cannot hold the call past its deadline.
func (t *reader) read(ctx context.Context, resp *http.Response) ([]byte, error) {
	body := resp.Body
	stop := context.AfterFunc(ctx, func() { _ = body.Close() })
	defer func() {
		stop()
		_ = body.Close()
	}()
	switch {
	case resp.StatusCode < 200: // 1xx: no body (a 101's is the raw connection)
		return nil, nil
	case resp.StatusCode > 299:
		data, _ := io.ReadAll(io.LimitReader(body, min(MaxErrorBody, t.maxBody)))
		_, _ = io.Copy(io.Discard, io.LimitReader(body, maxDrain))
		return data, nil
	}
	data, err := readAll(body, resp.ContentLength, t.maxBody)
	switch {
	case errors.Is(err, ErrTooLarge):
		return nil, &BodyError{Status: resp.StatusCode, Oversize: true, Err: err}
	case err != nil && ctx.Err() != nil:
		return nil, ctx.Err()
	case err != nil:
		return nil, &BodyError{Status: resp.StatusCode, Err: err}
	}
	return data, nil
}

// readAll reads r to its end, failing with ErrTooLarge as soon as more than limit bytes came. size is the
// announced length (-1 when unknown): a buffer of that size is allocated up front when it is within the limit,
// so that a large answer is not copied through doubling buffers.
func readAll(r io.Reader, size, limit int64) ([]byte, error) {
	if size > limit {
		return nil, ErrTooLarge
	}
	if size >= 0 { // announced: one buffer of that size
		buf := make([]byte, size)
		if _, err := io.ReadFull(r, buf); err != nil {
			return nil, err
		}
		return buf, nil
	}
	var buf bytes.Buffer
	n, err := buf.ReadFrom(io.LimitReader(r, limit))
	if err != nil {
		return nil, err
	}
	if n == limit { // exactly at the limit, or more to come: one more byte tells
		var one [1]byte
		if _, err := io.ReadFull(r, one[:]); err == nil {
			return nil, ErrTooLarge
		}
	}
	return buf.Bytes(), nil
}
