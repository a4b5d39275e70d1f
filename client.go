package cometchat

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/gocometchat/cometchat/internal/pacer"
	"github.com/gocometchat/cometchat/internal/ratelimit"
	"github.com/gocometchat/cometchat/internal/redact"
	"github.com/gocometchat/cometchat/internal/retry"
	"github.com/gocometchat/cometchat/internal/transport"
	"github.com/gocometchat/cometchat/internal/wire"
)

// Regions CometChat serves. NewClient accepts any DNS label, so a region added later works without an SDK
// release.
const (
	RegionUS = "us"
	RegionEU = "eu"
	RegionIN = "in"
)

// Client calls the CometChat REST API v3 for one app. Create it with NewClient and share it: a *Client is safe
// for concurrent use, reuses connections, and holds no per-call state. Formatting it with %v, %+v or %#v never
// shows the API key.
//
// Every call, from every service and from Do, takes the same path: validate the arguments, build the request,
// send it with retries, turn a non-2xx answer into an *APIError, decode the answer.
//
// Retries (see WithMaxRetries, WithRetryWait): a 429 is retried for every method, since CometChat does not process
// a rate-limited request; 502, 503, 504, transport errors and answers cut off mid-body are retried only for GET,
// PUT and DELETE. A POST is retried after a 429 or when the connection was refused, never after it may have
// reached the server, and Go's own transports are kept from resending it too. The wait honours Retry-After
// (seconds or HTTP date) and the rate-limit reset header, otherwise it is exponential backoff with full jitter. A
// server-dictated wait longer than the maximum is not waited: the 429 comes back at once with APIError.RetryAfter
// set. Every wait ends when the context ends. When retries run out the last answer is returned as its *APIError.
type Client struct {
	// Users manages users: https://www.cometchat.com/docs/rest-api/users
	Users *UsersService
	// AuthTokens manages users' auth tokens: https://www.cometchat.com/docs/rest-api/auth-tokens
	AuthTokens *AuthTokensService
	// Roles manages the app's roles: https://www.cometchat.com/docs/rest-api/roles
	Roles *RolesService
	// Friends manages users' friendships: https://www.cometchat.com/docs/rest-api/friends
	Friends *FriendsService
	// BlockedUsers manages the users a user blocks: https://www.cometchat.com/docs/rest-api/blocked-users
	BlockedUsers *BlockedUsersService

	common  service // shared by the services, as in go-github
	appID   string
	region  string
	baseURL string              // without a trailing slash
	creds   func() *credentials // behind a func: fmt prints a func as an address whatever the verb
	timeout time.Duration       // WithTimeout
	policy  retry.Policy
	sender  *transport.Sender
	imports importWindows // pace Users.Import across its calls

	mu        sync.Mutex
	rateLimit RateLimit
}

// credentials are what holds the API key: the headers every request sends, built once, and the secrets of a
// call with no auth token in its path and no query.
type credentials struct {
	key     string
	keyOnly []string
	plain   http.Header // the headers of a request without a body
	json    http.Header // the headers of a request with a JSON body
}

// newCredentials returns a func over the credentials: a Client holds the func, so that no fmt verb applied to a
// Client, even a copied value, can print the key. The header maps are shared by concurrent requests: nothing on
// the request path writes to a request's header map.
func newCredentials(key, agent string) func() *credentials {
	cr := &credentials{key: key, keyOnly: []string{key}}
	cr.plain = http.Header{"Apikey": {key}, "Accept": {"application/json"}, "User-Agent": {agent}}
	cr.json = cr.plain.Clone()
	cr.json["Content-Type"] = []string{"application/json"}
	return func() *credentials { return cr }
}

// service is embedded by every service type, as in go-github.
type service struct{ client *Client }

// RateLimit is what an answer said about the caller's rate limits. Fields are zero when it did not say.
type RateLimit struct {
	Limit, Remaining       int       // this operation's class: X-RateLimit-Limit / -Remaining (or X-Rate-Limit*)
	AppLimit, AppRemaining int       // the whole app: X-RateLimit-Limit-For-App / -Remaining-For-App
	Reset                  time.Time // X-RateLimit-Reset / X-Rate-Limit-Reset, when sent
}

// NewClient returns a Client for the app appID in region, authenticated with apiKey (a REST API key with
// fullAccess scope: a server-side secret). It validates its arguments and options and never touches the network:
// appID must be letters, digits and hyphens (it becomes part of a hostname), region a DNS label (RegionUS,
// RegionEU and RegionIN are the known ones; upper case is folded), apiKey non-empty printable ASCII. Invalid input
// is a *ValidationError naming the argument, never showing the key.
//
// The base URL is https://{appId}.api-{region}.cometchat.io/v3 unless WithBaseURL says otherwise.
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
		creds:   newCredentials(apiKey, userAgent(o.userAgent)),
		timeout: o.timeout,
		policy:  retry.Policy{MaxRetries: o.maxRetries, WaitMin: o.retryWaitMin, WaitMax: o.retryWaitMax},
		imports: newImportWindows(),
	}
	if c.baseURL == "" {
		c.baseURL = "https://" + appID + ".api-" + region + ".cometchat.io/v3"
	}
	c.sender = transport.New(transport.Config{
		HTTPClient: o.httpClient,
		Policy:     c.policy,
		MaxBody:    o.maxBody,
		Logger:     o.logger,
		OnAnswer:   c.recordRateLimit,
	})
	c.common.client = c
	c.Users = (*UsersService)(&c.common)
	c.AuthTokens = (*AuthTokensService)(&c.common)
	c.Roles = (*RolesService)(&c.common)
	c.Friends = (*FriendsService)(&c.common)
	c.BlockedUsers = (*BlockedUsersService)(&c.common)
	return c, nil
}

func validateClientArgs(appID, region, apiKey string) error {
	if !isLabel(appID, true) {
		return invalid("appID", "must be 1 to 63 letters, digits or hyphens")
	}
	if !isLabel(region, false) {
		return invalid("region", "must be a DNS label such as us, eu or in")
	}
	if apiKey == "" || strings.TrimSpace(apiKey) != apiKey || !printableASCII(apiKey) {
		return invalid("apiKey", "must be non-empty printable ASCII without surrounding spaces")
	}
	return nil
}

// isLabel reports whether s is a DNS label: 1 to 63 letters (lower case only unless upper), digits and hyphens,
// not starting or ending with a hyphen.
func isLabel(s string, upper bool) bool {
	if len(s) == 0 || len(s) > 63 || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		if !(b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '-' || upper && b >= 'A' && b <= 'Z') {
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

// String describes the client without its API key.
func (c *Client) String() string {
	return "cometchat.Client{appID: " + c.appID + ", region: " + c.region + ", baseURL: " + c.baseURL + ", apiKey: " + redact.Mark + "}"
}

// GoString is String, so %#v never shows the API key either.
func (c *Client) GoString() string { return c.String() }

// LogValue makes slog render the client without its API key.
func (c *Client) LogValue() slog.Value { return slog.StringValue(c.String()) }

// RateLimit returns what the most recent answer to any call of this client (retried attempts included) said
// about rate limits; zero values before the first answer or when the answer did not carry the headers. Safe for
// concurrent use.
func (c *Client) RateLimit() RateLimit {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.rateLimit
}

func (c *Client) recordRateLimit(h http.Header) {
	rl := RateLimit(ratelimit.Parse(h))
	c.mu.Lock()
	c.rateLimit = rl
	c.mu.Unlock()
}

// Do sends one request to any path of the REST API (e.g. "/users/ada/conversation") through the same request path
// as every method: apikey, retries, Retry-After, size caps, redaction, *APIError. body, when non-nil, is sent as
// JSON; the whole JSON answer ({"data":…,"meta":…}) is decoded into out when out is non-nil. path starts with "/"
// and stays inside the API (no ".." segment, no scheme or host): otherwise a *ValidationError, nothing sent. The
// escape hatch for endpoints the SDK does not wrap yet.
//
// path is used as given, already escaped: escape user input in it with url.PathEscape. query may be nil. out must
// be a non-nil pointer; a 2xx answer that does not decode into it is an error matching ErrInvalidResponse, and
// any 2xx is success when out is nil. Do is safe for concurrent use.
func (c *Client) Do(ctx context.Context, method, path string, query url.Values, body, out any, opts ...RequestOption) error {
	return c.do(ctx, method, path, query, body, out, json.Unmarshal, opts)
}

// do is Do with the decoder of the answer: encoding/json's Unmarshal for the caller's out, wire.Unmarshal (the same
// result, faster) for the SDK's own types.
func (c *Client) do(ctx context.Context, method, path string, query url.Values, body, out any, decode func([]byte, any) error, opts []RequestOption) error {
	r, err := c.newRequest(ctx, method, path, query, body, out, opts)
	if err != nil {
		return err
	}
	return c.send(ctx, &r, out, decode)
}

// request is one validated call: what send puts on the wire.
type request struct {
	method string
	path   string // escaped, below the base URL, starting with "/"
	query  url.Values
	body   []byte // JSON; nil for none
	opts   requestOptions
	secret string // an auth token in the path, unescaped; "" for none
}

// newRequest validates a call and encodes its body. Nothing it rejects reaches the network.
func (c *Client) newRequest(ctx context.Context, method, path string, query url.Values, body, out any, opts []RequestOption) (request, error) {
	if ctx == nil {
		return request{}, invalid("ctx", "must not be nil")
	}
	r := request{method: method, path: path, query: query}
	if err := validateMethod(method); err != nil {
		return request{}, err
	}
	secret, err := validatePath(path)
	if err != nil {
		return request{}, err
	}
	r.secret = secret
	if out != nil {
		if v := reflect.ValueOf(out); v.Kind() != reflect.Pointer || v.IsNil() {
			return request{}, invalid("out", "must be a non-nil pointer")
		}
	}
	if r.opts, err = collectRequestOptions(opts); err != nil {
		return request{}, err
	}
	if body != nil {
		if r.body, err = encodeJSON(body); err != nil {
			return request{}, invalid("body", "must be encodable as JSON (NaN, infinities, channels and functions are not)")
		}
	}
	return r, nil
}

// send is the request path: send with retries → check → decode.
func (c *Client) send(ctx context.Context, r *request, out any, decode func([]byte, any) error) error {
	if c.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.timeout)
		defer cancel()
	}
	if ctx.Err() != nil {
		return c.failure(ctx, r, ctx.Err()) // ended already: send nothing
	}
	resp, err := c.sender.Send(ctx, c.wireRequest(r))
	if err != nil {
		return c.failure(ctx, r, err) // no answer: the context ended, the network failed, the body was unreadable
	}
	if resp.Status < 200 || resp.Status > 299 {
		return newAPIError(&resp, c.redactor(r))
	}
	if out == nil {
		return nil
	}
	if err := decode(resp.Body, out); err != nil {
		return invalidResponse(r.method, r.logPath(), resp.Status, err)
	}
	return nil
}

// wireRequest builds what the transport sends for r.
func (c *Client) wireRequest(r *request) transport.Request {
	h := c.creds().plain
	if r.body != nil {
		h = c.creds().json
	}
	if r.opts.onBehalfOf != "" {
		h = h.Clone()
		h["Onbehalfof"] = []string{r.opts.onBehalfOf}
	}
	u := c.baseURL + r.path
	if len(r.query) > 0 {
		u += "?" + r.query.Encode()
	}
	return transport.Request{
		Method:  r.method,
		URL:     u,
		Header:  h,
		Body:    r.body,
		Policy:  r.opts.policy,
		Window:  r.opts.window,
		Limit:   r.opts.limit,
		LogPath: r.logPath(),
		Secrets: c.secrets(r),
	}
}

// redactor hides r's secrets in every form a server could echo them in.
func (c *Client) redactor(r *request) *redact.Redactor { return redact.New(c.secrets(r)...) }

// secrets are what no error or log line of r may show: the API key, an auth token in the path, and the query's
// values (a search key may be personal).
func (c *Client) secrets(r *request) []string {
	if r.secret == "" && len(r.query) == 0 {
		return c.creds().keyOnly
	}
	secrets := []string{c.creds().key, r.secret}
	for _, values := range r.query {
		for _, v := range values {
			if !plainValue(v) {
				secrets = append(secrets, v)
			}
		}
	}
	return secrets
}

// plainValue reports whether a query value is a number or a boolean: nothing personal, and too common a word to
// redact from error texts.
func plainValue(v string) bool {
	if v == "true" || v == "false" {
		return true
	}
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return false
		}
	}
	return true
}

// logPath is how logs and errors name r: its path with an auth token replaced by [redacted]. The query is never
// shown: its values may be personal.
func (r *request) logPath() string { return redactPath(r.path) }

// getOne performs a call whose answer's data is one object, and converts it. A 2xx answer without the object is
// an error matching ErrInvalidResponse.
func getOne[W, T any](ctx context.Context, c *Client, method, path string, body any, convert func(*W) *T, opts ...RequestOption) (*T, error) {
	var env wire.One[W]
	if err := c.do(ctx, method, path, nil, body, &env, wire.Unmarshal, opts); err != nil {
		return nil, err
	}
	if env.Data == nil || !complete(env.Data) {
		return nil, errNoData(method, path)
	}
	return convert(env.Data), nil
}

// identified is a wire object that can tell whether it holds its identity (a user's uid, a token, a role id): an
// answer without it, such as {"data":{}}, is not the object its method returns.
type identified interface{ identified() bool }

// complete reports whether a decoded object is whole: identified, when it can tell.
func complete(v any) bool {
	id, ok := v.(identified)
	return !ok || id.identified()
}

// pacing makes every attempt of the call wait for a place in w under limit (Users.Import).
func pacing(w *pacer.Window, limit int) RequestOption {
	return func(o *requestOptions) { o.window, o.limit = w, limit }
}

// retrying replaces the client's retry policy for the call (Users.Import).
func retrying(p retry.Policy) RequestOption {
	return func(o *requestOptions) { o.policy = &p }
}
