package cometchat

import (
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gocometchat/cometchat/internal/pacer"
	"github.com/gocometchat/cometchat/internal/retry"
)

// Defaults of the options below.
const (
	DefaultMaxRetries       = 3
	DefaultRetryWaitMin     = 500 * time.Millisecond
	DefaultRetryWaitMax     = 30 * time.Second
	DefaultMaxResponseBytes = 32 << 20
)

// Option configures a Client. Options are applied in order by NewClient, which returns the first option error
// as a *ValidationError.
type Option func(*clientOptions) error

// clientOptions holds everything an Option can set.
type clientOptions struct {
	httpClient   *http.Client
	baseURL      string
	maxRetries   int
	retryWaitMin time.Duration
	retryWaitMax time.Duration
	timeout      time.Duration
	userAgent    string
	logger       *slog.Logger
	maxBody      int64
}

func defaultOptions() clientOptions {
	return clientOptions{
		maxRetries:   DefaultMaxRetries,
		retryWaitMin: DefaultRetryWaitMin,
		retryWaitMax: DefaultRetryWaitMax,
		maxBody:      DefaultMaxResponseBytes,
	}
}

// WithHTTPClient makes the Client send through hc's Transport and honour its Timeout (a bound on each attempt).
// hc is never mutated: the Client keeps a shallow copy whose redirect policy refuses every redirect, so the API
// key is never forwarded to another location. A nil hc is a *ValidationError. Without this option the Client
// uses its own transport, cloned from http.DefaultTransport with more idle connections per host.
func WithHTTPClient(hc *http.Client) Option {
	return func(o *clientOptions) error {
		if hc == nil {
			return invalid("httpClient", "must not be nil")
		}
		o.httpClient = hc
		return nil
	}
}

// WithBaseURL sends every call to rawURL instead of https://{appId}.api-{region}.cometchat.io/v3, e.g. a
// cometchattest server or a proxy. rawURL must be an absolute https URL without user info, query or fragment;
// plain http is accepted only for loopback hosts (localhost, 127.0.0.0/8, ::1), so the API key never crosses a
// network in clear text.
func WithBaseURL(rawURL string) Option {
	return func(o *clientOptions) error {
		u, err := checkBaseURL(rawURL)
		if err != nil {
			return err
		}
		o.baseURL = u
		return nil
	}
}

func checkBaseURL(rawURL string) (string, error) {
	bad := func(reason string) (string, error) { return "", invalid("baseURL", reason) }
	u, err := url.Parse(rawURL)
	if err != nil || u.Hostname() == "" || u.Opaque != "" {
		return bad("must be an absolute http(s) URL with a host name")
	}
	switch {
	case u.User != nil:
		return bad("must not hold user info")
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return bad("must not have a query or fragment")
	case u.Scheme == "https":
	case u.Scheme == "http" && isLoopback(u.Hostname()):
	case u.Scheme == "http":
		return bad("plain http is allowed only for loopback hosts; use https")
	default:
		return bad("scheme must be https (or http for loopback)")
	}
	return strings.TrimRight(u.String(), "/"), nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// WithMaxRetries sets how many times a failed attempt is retried (so a call makes at most n+1 attempts). 0
// disables retries; negative is a *ValidationError. Default 3. See Client for what is retried.
func WithMaxRetries(n int) Option {
	return func(o *clientOptions) error {
		if n < 0 {
			return invalid("maxRetries", "must not be negative")
		}
		o.maxRetries = n
		return nil
	}
}

// WithRetryWait bounds the wait between attempts: exponential backoff with full jitter between min and max. A
// server-dictated wait (Retry-After) longer than max is not waited: the call returns the 429 at once with
// APIError.RetryAfter set. Requires 0 < min <= max. Defaults 500ms and 30s.
func WithRetryWait(min, max time.Duration) Option {
	return func(o *clientOptions) error {
		if min <= 0 || max < min {
			return invalid("retryWait", "requires 0 < min <= max")
		}
		o.retryWaitMin, o.retryWaitMax = min, max
		return nil
	}
}

// WithTimeout bounds each whole call, every retry and wait included; when it runs out the call returns an error
// matching context.DeadlineExceeded. It applies on top of the caller's context deadline. d must be positive.
// Default: no bound beyond the context.
func WithTimeout(d time.Duration) Option {
	return func(o *clientOptions) error {
		if d <= 0 {
			return invalid("timeout", "must be positive")
		}
		o.timeout = d
		return nil
	}
}

// WithUserAgent puts product (e.g. "myapp/1.2") before the SDK's own User-Agent,
// "cometchat-go/<Version> (<go version>; <os>/<arch>)". product must be non-empty printable ASCII.
func WithUserAgent(product string) Option {
	return func(o *clientOptions) error {
		if strings.TrimSpace(product) == "" || !printableASCII(product) {
			return invalid("userAgent", "must be non-empty printable ASCII")
		}
		o.userAgent = product
		return nil
	}
}

// WithLogger logs every attempt at debug level (method, path, status or error, attempt, duration) and every
// retry at info level (with the wait). Query values, headers and bodies are never logged, and error texts go
// through the same redaction as errors, so neither the API key, auth tokens nor personal data reach the log.
// nil (the default) logs nothing.
func WithLogger(l *slog.Logger) Option {
	return func(o *clientOptions) error {
		o.logger = l
		return nil
	}
}

// WithMaxResponseBytes caps how much of an answer is read (default 32 MiB). A larger answer fails the call with
// an error matching ErrResponseTooLarge, without reading it to its end. n must be positive; any positive value
// works, math.MaxInt64 included (no cap).
func WithMaxResponseBytes(n int64) Option {
	return func(o *clientOptions) error {
		if n <= 0 {
			return invalid("maxResponseBytes", "must be positive")
		}
		o.maxBody = n
		return nil
	}
}

// RequestOption adjusts one call. Invalid values are reported by the call as a *ValidationError before anything
// is sent.
type RequestOption func(*requestOptions)

// requestOptions holds what a RequestOption can set.
type requestOptions struct {
	onBehalfOf    string
	hasOnBehalfOf bool
	policy        *retry.Policy // nil: the client's
	window        *pacer.Window // nil: not paced
	limit         int
}

// OnBehalfOf makes the call on behalf of the user uid (the onBehalfOf header), which adds per-viewer fields such
// as User.ConversationID and User.BlockedByMe. It applies to Users.Get, Users.List and Users.All, and to Do.
func OnBehalfOf(uid string) RequestOption {
	return func(o *requestOptions) {
		o.onBehalfOf, o.hasOnBehalfOf = uid, true
	}
}

// collectRequestOptions applies opts and validates the result.
func collectRequestOptions(opts []RequestOption) (requestOptions, error) {
	if len(opts) == 0 {
		return requestOptions{}, nil
	}
	var ro requestOptions
	for _, opt := range opts {
		if opt != nil {
			opt(&ro)
		}
	}
	if ro.hasOnBehalfOf {
		if err := validateUID("onBehalfOf", ro.onBehalfOf); err != nil {
			return ro, err
		}
	}
	return ro, nil
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}
