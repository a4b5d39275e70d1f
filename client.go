package cometchat

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// Regions CometChat serves. NewClient accepts any DNS label, so a region
// added later works without an SDK release.
const (
	RegionUS = "us"
	RegionEU = "eu"
	RegionIN = "in"
)

// Client calls the CometChat REST API v3 for one app. Create it with
// NewClient and share it: a *Client is safe for concurrent use, reuses
// connections, and holds no per-call state. Formatting it with %v, %+v or
// %#v never shows the API key.
//
// Every call goes through one request path: validate the arguments, build
// the URL (each path segment escaped), send with retries, turn a non-2xx
// answer into an *APIError, and decode the answer's "data".
//
// Retries (see WithMaxRetries, WithRetryWait): a 429 is retried for every
// method, since CometChat does not process a rate-limited request; 502, 503,
// 504, transport errors and answers cut off mid-body are retried only for
// GET, PUT and DELETE. A POST is retried after a 429 or when the connection
// was refused, never after it may have reached the server. The wait honours
// Retry-After (seconds or HTTP date) and the rate-limit reset header,
// otherwise it is exponential backoff with full jitter. A server-dictated
// wait longer than the maximum is not slept: the 429 comes back at once with
// APIError.RetryAfter set. Every wait ends when the context ends. When
// retries run out the last answer is returned as its *APIError.
type Client struct {
	// Users manages users: https://www.cometchat.com/docs/rest-api/users
	Users *UsersService
	// AuthTokens manages users' auth tokens:
	// https://www.cometchat.com/docs/rest-api/auth-tokens
	AuthTokens *AuthTokensService

	common  service // shared by the services, so they cost no allocation
	appID   string
	region  string
	baseURL string              // without a trailing slash
	creds   func() *credentials // a func, so no fmt verb can print the key
	http    *http.Client        // the caller's (copied) or our own; its transport holds the connections
	sender  *http.Client        // http behind keepIdle: what retryablehttp sends with
	opts    clientOptions

	mu        sync.Mutex
	rateLimit RateLimit
	imports   *importPacers // pace Users.Import across calls
	now       func() time.Time
	sleepFn   func(context.Context, time.Duration) error // tests replace the clock
}

// credentials hold the API key. The Client reaches them through a func:
// fmt prints a func as an address whatever the verb, while a pointer field
// is dereferenced by %s and %q of a Client value.
type credentials struct {
	key       string
	keyHeader []string
	userAgent []string
}

// service is embedded by every service type, as in go-github.
type service struct{ client *Client }

// RateLimit is what the most recent answer said about the caller's rate
// limits. Fields are zero when the answer did not carry them.
type RateLimit struct {
	Limit, Remaining       int       // this operation's class: X-RateLimit-Limit / -Remaining (or X-Rate-Limit*)
	AppLimit, AppRemaining int       // the whole app: X-RateLimit-Limit-For-App / -Remaining-For-App
	Reset                  time.Time // X-RateLimit-Reset / X-Rate-Limit-Reset, when sent
}

// NewClient returns a Client for the app appID in region, authenticated with
// apiKey (a REST API key with fullAccess scope: a server-side secret). It
// validates its arguments and options and never touches the network: appID
// must be letters, digits and hyphens (it becomes part of a hostname),
// region a DNS label (RegionUS, RegionEU and RegionIN are the known ones;
// upper case is folded), apiKey non-empty printable ASCII. Invalid input is a
// *ValidationError naming the argument, never showing the key.
//
// The base URL is https://{appId}.api-{region}.cometchat.io/v3 unless
// WithBaseURL says otherwise.
func NewClient(appID, region, apiKey string, opts ...Option) (*Client, error) {
	region = strings.ToLower(region)
	if err := validateClientArgs(appID, region, apiKey); err != nil {
		return nil, err
	}
	o := defaultOptions()
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	c := &Client{
		appID:   appID,
		region:  region,
		baseURL: o.baseURL,
		creds:   credentialsFunc(apiKey, userAgent(o.userAgent)),
		http:    httpClient(o.httpClient),
		opts:    o,
		imports: newImportPacers(),
		now:     time.Now,
	}
	if c.baseURL == "" {
		c.baseURL = "https://" + appID + ".api-" + region + ".cometchat.io/v3"
	}
	c.sender = keepingIdle(c.http)
	c.common.client = c
	c.Users = (*UsersService)(&c.common)
	c.AuthTokens = (*AuthTokensService)(&c.common)
	return c, nil
}

func credentialsFunc(key, ua string) func() *credentials {
	cr := &credentials{key: key, keyHeader: []string{key}, userAgent: []string{ua}}
	return func() *credentials { return cr }
}

func validateClientArgs(appID, region, apiKey string) error {
	if !isLabel(appID, true) {
		return &ValidationError{Field: "appID", Reason: "must be 1 to 63 letters, digits or hyphens"}
	}
	if !isLabel(region, false) {
		return &ValidationError{Field: "region", Reason: "must be a DNS label such as us, eu or in"}
	}
	if apiKey == "" || strings.TrimSpace(apiKey) != apiKey || !printableASCII(apiKey) {
		return &ValidationError{Field: "apiKey", Reason: "must be non-empty printable ASCII without surrounding spaces"}
	}
	return nil
}

// isLabel reports whether s is a DNS label: 1 to 63 letters (lower case
// only unless upper), digits and hyphens, not starting or ending with a hyphen.
func isLabel(s string, upper bool) bool {
	if len(s) == 0 || len(s) > 63 || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		ok := b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '-' || upper && b >= 'A' && b <= 'Z'
		if !ok {
			return false
		}
	}
	return true
}

func userAgent(product string) string {
	ua := "cometchat-go/" + Version + " (" + runtime.Version() + "; " + runtime.GOOS + "/" + runtime.GOARCH + ")"
	if product != "" {
		ua = product + " " + ua
	}
	return ua
}

// httpClient returns the http.Client the SDK sends with: a shallow copy of
// the caller's (never mutated) or one over a transport of our own, both
// refusing redirects: Go forwards custom headers such as apikey to the
// redirect target, so following one could hand the key to another host.
func httpClient(hc *http.Client) *http.Client {
	if hc == nil {
		return &http.Client{Transport: defaultTransport(), CheckRedirect: refuseRedirect}
	}
	cp := *hc
	cp.CheckRedirect = refuseRedirect
	return &cp
}

func refuseRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// keepIdle hides its transport's CloseIdleConnections. retryablehttp calls
// that after every call that fails (a timeout, a decoding error, a transport
// error): on a shared Client one caller's failure would close every other
// caller's idle connections, and a busy backend would reconnect (TLS
// included) exactly when the API is struggling.
type keepIdle struct{ http.RoundTripper }

// keepingIdle returns a shallow copy of hc whose transport ignores
// CloseIdleConnections.
func keepingIdle(hc *http.Client) *http.Client {
	cp := *hc
	rt := cp.Transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	cp.Transport = keepIdle{rt}
	return &cp
}

// defaultTransport clones http.DefaultTransport (never mutating the shared
// one) and keeps enough idle connections to the single API host that
// concurrent calls reuse them (Go's default keeps 2 per host), with an idle
// timeout below common load balancers' 60 s, and a bound on how long a
// server may take to start answering.
func defaultTransport() http.RoundTripper {
	var t *http.Transport
	if dt, ok := http.DefaultTransport.(*http.Transport); ok {
		t = dt.Clone()
	} else {
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

// String describes the client without its API key.
func (c *Client) String() string {
	return "cometchat.Client{appID: " + c.appID + ", region: " + c.region + ", baseURL: " + c.baseURL + ", apiKey: " + redacted + "}"
}

// GoString is String, so %#v never shows the API key either.
func (c *Client) GoString() string { return c.String() }

// LogValue makes slog render the client without its API key.
func (c *Client) LogValue() slog.Value { return slog.StringValue(c.String()) }

// RateLimit returns what the most recent answer to any call of this client
// said about rate limits; zero values before the first answer or when the
// answer did not carry the headers. Safe for concurrent use.
func (c *Client) RateLimit() RateLimit {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.rateLimit
}

func (c *Client) recordRateLimit(h http.Header) {
	rl := parseRateLimit(h)
	c.mu.Lock()
	c.rateLimit = rl
	c.mu.Unlock()
}

// call describes one API call.
type call struct {
	method     string
	path       string // escaped, below the base URL, starting with "/"
	query      string // encoded, without "?"
	body       []byte // JSON, nil for none
	onBehalfOf string
	paced      bool // 429s are returned, not retried: the caller paces (Import)
}

// newCall builds a call whose body is v encoded as JSON (HTML escaping off);
// nil v sends no body. It is small enough to be inlined, so that the call
// stays on the caller's stack when the caller keeps it there.
func newCall(method, path string, v any) (*call, error) {
	body, err := encodeBody(method, path, v)
	return &call{method: method, path: path, body: body}, err
}

// bodyEncoder is scratch space for encoding request bodies.
type bodyEncoder struct {
	buf bytes.Buffer
	enc *json.Encoder // writes to buf, HTML escaping off
}

// bodyEncoders pools the scratch space only. The body a request sends is a
// copy of exactly its size that is never pooled: the transport may still be
// reading it after the response came back.
var bodyEncoders = sync.Pool{New: func() any {
	e := new(bodyEncoder)
	e.enc = json.NewEncoder(&e.buf)
	e.enc.SetEscapeHTML(false)
	return e
}}

// maxPooledBody bounds the scratch buffers kept in the pool, so that one
// huge body does not pin its memory.
const maxPooledBody = 64 << 10

// encodeBody encodes the body of a call to method and path: v as JSON
// followed by a newline, as json.Encoder writes it; nil for a nil v.
func encodeBody(method, path string, v any) ([]byte, error) {
	if v == nil {
		return nil, nil
	}
	e := bodyEncoders.Get().(*bodyEncoder)
	defer func() {
		if e.buf.Cap() <= maxPooledBody {
			bodyEncoders.Put(e)
		}
	}()
	e.buf.Reset()
	if err := e.enc.Encode(v); err != nil {
		return nil, fmt.Errorf("cometchat: encoding %s %s body: %w", method, path, err)
	}
	return bytes.Clone(e.buf.Bytes()), nil
}

// pathOf joins escaped segments: pathOf("users", uid) is "/users/<uid>".
func pathOf(segments ...string) string {
	n := 0
	for _, s := range segments {
		n += 1 + len(s)
	}
	var b strings.Builder
	b.Grow(n) // enough unless a segment needs escaping
	for _, s := range segments {
		b.WriteByte('/')
		b.WriteString(url.PathEscape(s))
	}
	return b.String()
}

// idempotent reports whether a call may be repeated after it may have
// reached the server.
func (cl *call) idempotent() bool { return cl.method != http.MethodPost }

// secret returns the auth token in cl's path (/users/{uid}/auth_tokens/{token},
// still escaped), or "". An auth token logs a user in: it must not reach a
// log line or an error.
func (cl *call) secret() string {
	if seg := tokenPathSegments(cl.path); seg != nil {
		return seg[4]
	}
	return ""
}

// tokenPathSegments splits a path holding an auth token into "", "users",
// uid, "auth_tokens", token and what follows; nil for any other path.
func tokenPathSegments(path string) []string {
	if !strings.Contains(path, "/auth_tokens/") {
		return nil // the common case, without splitting
	}
	seg := strings.SplitN(path, "/", 6)
	if len(seg) < 5 || seg[1] != "users" || seg[3] != "auth_tokens" || seg[4] == "" {
		return nil
	}
	return seg
}

// logPath is cl.path with an auth token in it replaced by [redacted]: the
// path that log lines and errors show. The query is never shown: its values
// (a search key) may be personal.
func (cl *call) logPath() string {
	seg := tokenPathSegments(cl.path)
	if seg == nil {
		return cl.path
	}
	seg[4] = redacted
	return strings.Join(seg, "/")
}

// secrets are the strings no error of cl may contain: the API key and the
// auth token of its path, as sent and unescaped.
func (c *Client) secrets(cl *call) []string {
	tok := cl.secret()
	if tok == "" {
		return []string{c.creds().key}
	}
	out := []string{c.creds().key, tok}
	if u, err := url.PathUnescape(tok); err == nil && u != tok {
		out = append(out, u)
	}
	return out
}

// getData performs cl and decodes the answer's envelope into a new
// envelope[D].
func getData[D any](ctx context.Context, c *Client, cl *call) (*envelope[D], error) {
	return getDataInto(ctx, c, cl, new(envelope[D]))
}

// getDataInto is getData into a prepared envelope.
func getDataInto[D any](ctx context.Context, c *Client, cl *call, env *envelope[D]) (*envelope[D], error) {
	if err := c.do(ctx, cl, env); err != nil {
		return nil, err
	}
	return env, nil
}

// decoder is what a call decodes a 2xx answer into (an *envelope[D]). It is
// an interface rather than a func so that passing the envelope costs no
// closure allocation.
type decoder interface {
	// decode reads the whole value from r, starting from zero: an attempt
	// cut off mid-body must leave nothing behind for the next one.
	decode(r io.Reader) error
}

// do performs cl through the retry engine. out decodes a 2xx body; nil
// discards it (any 2xx is success). It returns an *APIError for a non-2xx
// answer, a wrapped context error when ctx ends, and a wrapped transport or
// decoding error otherwise.
func (c *Client) do(ctx context.Context, cl *call, out decoder) error {
	if c.opts.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.opts.timeout)
		defer cancel()
	}
	req, err := c.newRequest(ctx, cl)
	if err != nil {
		return err
	}
	a := c.newAttempt(ctx, cl, out)
	defer a.release()
	req.SetResponseHandler(a.handler)
	if _, err := a.rc.Do(req); err != nil {
		return a.failure(err)
	}
	if a.apiErr != nil {
		return a.apiErr
	}
	return nil
}

func (c *Client) newRequest(ctx context.Context, cl *call) (*retryablehttp.Request, error) {
	u := c.baseURL + cl.path
	if cl.query != "" {
		u = c.baseURL + cl.path + "?" + cl.query // one allocation, not two
	}
	// A []byte, which retryablehttp rewinds for every attempt as a
	// *bytes.Reader: the transport knows that type is in memory and sends
	// it with the headers in one write (a reader type of its own would cost
	// a separate write of the headers).
	var body any
	if cl.body != nil {
		body = cl.body
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, cl.method, u, body)
	if err != nil {
		return nil, wrapTransport(cl.method, cl.logPath(), unwrapURLError(err))
	}
	// Canonical keys assigned directly: Header.Set would canonicalise them
	// on every call.
	h := req.Header
	cr := c.creds()
	h["Apikey"] = cr.keyHeader
	h["Accept"] = jsonHeader
	h["User-Agent"] = cr.userAgent
	if cl.body != nil {
		h["Content-Type"] = jsonHeader
	}
	if cl.onBehalfOf != "" {
		h["Onbehalfof"] = []string{cl.onBehalfOf}
	}
	return req, nil
}

var jsonHeader = []string{"application/json"}

// attempt is the state of one call across its attempts: the retryablehttp
// client that runs it, with the policy hooks bound to this attempt so that
// they see the call. Attempts are pooled: binding the four hooks (method
// values) and the client struct would otherwise cost five allocations per
// call. Nothing outlives the call: every hook runs inside rc.Do.
type attempt struct {
	rc      retryablehttp.Client
	handler retryablehttp.ResponseHandlerFunc // a.handle
	logHook retryablehttp.RequestLogHook      // a.sent
	attemptState
}

// attemptState is what an attempt knows about its call; release zeroes it.
type attemptState struct {
	c   *Client
	cl  call // a copy, so that the caller's call need not escape to the heap
	ctx context.Context
	out decoder

	n       int       // attempts made
	started time.Time // when the current attempt was sent
	handled bool      // handle ran on the current answer
	apiErr  *APIError // the final non-2xx answer

	body  cappedReader     // the 2xx body being decoded
	drain io.LimitedReader // the body being drained before it is closed
}

var attempts = sync.Pool{New: func() any { return bindAttempt() }}

// bindAttempt makes an attempt for the pool, binding its hooks once.
func bindAttempt() *attempt {
	a := new(attempt)
	a.rc.CheckRetry = a.checkRetry
	a.rc.Backoff = a.backoff
	a.rc.ErrorHandler = a.giveUp
	a.handler = a.handle
	a.logHook = a.sent
	return a
}

// newAttempt takes an attempt from the pool and sets it up for cl.
func (c *Client) newAttempt(ctx context.Context, cl *call, out decoder) *attempt {
	a := attempts.Get().(*attempt)
	a.attemptState = attemptState{c: c, cl: *cl, ctx: ctx, out: out}
	a.rc.HTTPClient = c.sender
	a.rc.RetryWaitMin = c.opts.retryWaitMin
	a.rc.RetryWaitMax = c.opts.retryWaitMax
	a.rc.RetryMax = c.opts.maxRetries
	a.rc.RequestLogHook = nil
	if c.opts.logger != nil {
		a.rc.RequestLogHook = a.logHook
	}
	return a
}

// release returns a to the pool, keeping nothing of its call.
func (a *attempt) release() {
	a.attemptState = attemptState{}
	a.rc.HTTPClient = nil
	attempts.Put(a)
}

// checkRetry is the retry policy. retryablehttp calls it after every attempt
// and, when it said "stop", again after handle has read the answer. It says
// "stop" on the last attempt itself, so that the last answer goes through
// handle like any other instead of retryablehttp's failure path.
func (a *attempt) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if a.handled {
		a.handled = false
		if ctx.Err() != nil {
			return false, ctx.Err()
		}
		be, ok := err.(*bodyError) // handle returns it unwrapped
		return a.retriesLeft() && ok && be.retryable() && a.cl.idempotent(), nil
	}
	a.n++
	if resp != nil {
		a.c.recordRateLimit(resp.Header)
	}
	a.logAttempt(resp, err)
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if !a.retriesLeft() {
		return false, nil
	}
	if err != nil {
		return a.retryTransport(ctx, err), nil
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests:
		wait, _ := parseServerWait(resp.Header, a.c.now())
		return !a.cl.paced && wait <= a.c.opts.retryWaitMax, nil
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return a.cl.idempotent(), nil
	}
	return false, nil
}

// retriesLeft reports whether another attempt may follow the current one.
func (a *attempt) retriesLeft() bool { return a.n <= a.c.opts.maxRetries }

// retryTransport decides on a failure to get an answer. Idempotent calls are
// retried unless the failure is permanent (bad certificate, bad scheme...,
// as retryablehttp classifies them); a POST only when the connection was
// never made, so the server cannot have seen it.
func (a *attempt) retryTransport(ctx context.Context, err error) bool {
	retry, _ := retryablehttp.DefaultRetryPolicy(ctx, nil, err)
	if !retry || a.cl.idempotent() {
		return retry
	}
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// backoff waits before the next attempt: what the server asked for on a 429
// or 503 (checkRetry already refused waits above max), else exponential
// backoff with full jitter between min and max. It waits itself, through
// Client.sleep (one clock for retries and Import, which tests replace), and
// gives retryablehttp nothing left to wait; when the context ended during
// the wait it gives a wait that cannot end first, so that retryablehttp
// returns the context's error without another attempt.
func (a *attempt) backoff(lo, hi time.Duration, n int, resp *http.Response) time.Duration {
	wait := jitter(lo, hi, n)
	if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		if d, ok := parseServerWait(resp.Header, a.c.now()); ok {
			wait = min(d, hi)
		}
	}
	a.logRetry(resp, wait)
	_ = a.c.sleep(a.ctx, wait)
	if a.ctx.Err() != nil {
		return maxRetryAfter
	}
	return 0
}

// jitter returns a random wait in [min, min(max, min*2^(n+1))], n counting
// retries from 0. The first retry is spread too: clients failed by the same
// outage must not all come back at the same instant.
func jitter(lo, hi time.Duration, n int) time.Duration {
	ceil := hi
	if n++; n < 32 && lo<<n > 0 && lo<<n < hi {
		ceil = lo << n
	}
	if ceil <= lo {
		return lo
	}
	return lo + rand.N(ceil-lo+1)
}

// handle reads the answer that ends the call: a 2xx is decoded straight
// from the response stream, anything else becomes a.apiErr. It always
// closes the body.
func (a *attempt) handle(resp *http.Response) error {
	a.handled = true
	defer a.closeBody(resp.Body)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		a.apiErr = a.readAPIError(resp)
		return nil
	}
	if a.out == nil {
		return nil
	}
	a.body = cappedReader{r: resp.Body, left: a.c.opts.maxBody}
	if err := a.out.decode(&a.body); err != nil {
		return &bodyError{decodeErr: err, readErr: a.body.err, status: resp.StatusCode}
	}
	return nil
}

// giveUp is retryablehttp's ErrorHandler, called when the policy said stop
// with an error (the context ended) or an attempt failed without an answer
// to hand to handle (a transport error, a body that could not be read). It
// closes the answer's body, if any. An answer that ends the call normally,
// the last one when retries ran out included, goes through handle instead
// (see checkRetry), so it becomes its *APIError; the fallback below keeps
// that true should retryablehttp ever give up on its own.
func (a *attempt) giveUp(resp *http.Response, err error, _ int) (*http.Response, error) {
	if resp != nil {
		if err == nil && !a.handled {
			err = a.readAPIError(resp)
		}
		a.closeBody(resp.Body)
	}
	a.handled = false
	return nil, err
}

// failure turns what retryablehttp returned into the SDK's error.
func (a *attempt) failure(err error) error {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr
	}
	var be *bodyError
	if errors.As(err, &be) {
		return be.wrap(&a.cl)
	}
	if ctxErr := a.ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
		err = fmt.Errorf("%w (%v)", ctxErr, unwrapURLError(err))
	}
	return wrapTransport(a.cl.method, a.cl.logPath(), unwrapURLError(err))
}

// unwrapURLError drops *url.Error's URL, whose query may hold personal data.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// readAPIError reads at most maxErrorBody bytes of a non-2xx answer.
func (a *attempt) readAPIError(resp *http.Response) *APIError {
	c := a.c
	body, _ := io.ReadAll(io.LimitReader(resp.Body, min(maxErrorBody, c.opts.maxBody)))
	return newAPIError(resp.StatusCode, resp.Header, body, c.now(), c.secrets(&a.cl)...)
}

// maxDrain bounds how much of a body is read before closing it so that its
// connection can be reused; a longer body is abandoned with its connection.
const maxDrain = 64 << 10

// closeBody drains up to maxDrain bytes of body and closes it. The limit
// reader lives in the attempt, so draining allocates nothing.
func (a *attempt) closeBody(body io.ReadCloser) {
	a.drain = io.LimitedReader{R: body, N: maxDrain}
	_, _ = io.Copy(io.Discard, &a.drain)
	a.drain.R = nil
	_ = body.Close()
}

// cappedReader fails once more than left bytes were read, and records the
// underlying read error so a body cut off mid-way can be told from one that
// is complete but malformed.
type cappedReader struct {
	r    io.Reader
	left int64
	err  error
}

var errTooLarge = errors.New("body exceeds the size limit")

func (c *cappedReader) Read(p []byte) (int, error) {
	if c.left < 0 {
		return 0, errTooLarge
	}
	if int64(len(p)) > c.left+1 {
		p = p[:c.left+1]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	if c.left < 0 {
		return n, errTooLarge
	}
	if err != nil && err != io.EOF {
		c.err = err
	}
	return n, err
}

// bodyError is a 2xx answer whose body could not be read or decoded.
type bodyError struct {
	decodeErr error
	readErr   error // non-nil when the connection failed mid-body
	status    int
}

func (e *bodyError) Error() string { return e.decodeErr.Error() }

// retryable reports whether the body was cut off by the network, so an
// idempotent call may try again.
func (e *bodyError) retryable() bool { return e.readErr != nil }

func (e *bodyError) wrap(cl *call) error {
	kind := ErrInvalidResponse
	if errors.Is(e.decodeErr, errTooLarge) {
		kind = ErrResponseTooLarge
	}
	cause := e.decodeErr
	if e.readErr != nil {
		cause = unwrapURLError(e.readErr)
	}
	return fmt.Errorf("%w: %s %s (status %d): %w", kind, cl.method, cl.logPath(), e.status, cause)
}

// sent records when an attempt starts, for the duration in the log.
func (a *attempt) sent(retryablehttp.Logger, *http.Request, int) { a.started = time.Now() }

// logAttempt logs one attempt at debug level: its status, or its error.
func (a *attempt) logAttempt(resp *http.Response, err error) {
	if !a.logs(slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{slog.Duration("duration", time.Since(a.started))}
	if resp != nil {
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
	} else if err != nil {
		attrs = append(attrs, slog.String("error", unwrapURLError(err).Error()))
	}
	a.log(slog.LevelDebug, "cometchat: attempt", attrs...)
}

// logRetry logs a retry at info level, with the wait before it.
func (a *attempt) logRetry(resp *http.Response, wait time.Duration) {
	if !a.logs(slog.LevelInfo) {
		return
	}
	attrs := []slog.Attr{slog.Duration("wait", wait)}
	if resp != nil {
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
	}
	a.log(slog.LevelInfo, "cometchat: retrying", attrs...)
}

// logs reports whether the client logs at level, so that callers build
// their attributes only when they will be written.
func (a *attempt) logs(level slog.Level) bool {
	l := a.c.opts.logger
	return l != nil && l.Enabled(a.ctx, level)
}

// log writes msg with the call's method, path (auth token redacted, no
// query) and attempt number, then attrs.
func (a *attempt) log(level slog.Level, msg string, attrs ...slog.Attr) {
	base := []slog.Attr{
		slog.String("method", a.cl.method),
		slog.String("path", a.cl.logPath()),
		slog.Int("attempt", a.n),
	}
	a.c.opts.logger.LogAttrs(a.ctx, level, msg, append(base, attrs...)...)
}

// sleep waits d or until ctx ends, whichever is first.
func (c *Client) sleep(ctx context.Context, d time.Duration) error {
	if c.sleepFn != nil {
		return c.sleepFn(ctx, d)
	}
	if ctx.Err() != nil {
		return contextErr(ctx)
	}
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return contextErr(ctx)
	case <-t.C:
		return nil
	}
}

// contextErr is ctx's error, with its cause when the context was cancelled
// with one, so that errors.Is matches both.
func contextErr(ctx context.Context) error {
	err, cause := ctx.Err(), context.Cause(ctx)
	if err == nil || cause == nil || errors.Is(cause, err) {
		return cause
	}
	return fmt.Errorf("%w: %w", err, cause)
}
