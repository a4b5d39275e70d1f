package cometchattest

import (
	"crypto/rand"
	"encoding/hex"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"time"

	"github.com/gocometchat/cometchat"
)

// Server is an in-memory CometChat REST API v3 (see the package doc for what it serves) listening on a local port. All methods are safe for concurrent use,
// also while requests are being served. Create it with NewServer and stop it with Close.
type Server struct {
	appID, region, apiKey string
	now                   func() time.Time
	seedRoles             []string // WithRoles, lowercased
	rateLimit             int      // WithRateLimit; 0: not enforced
	appRateLimit          int      // WithAppRateLimit; 0: not enforced
	userLimit             int      // WithUserLimit; 0: no quota

	ts     *httptest.Server
	url    string
	closed chan struct{} // closed by Close, so delayed faults stop waiting
	once   sync.Once

	// mu guards all the state below: the store, queued faults, rate-limit windows and request counts. It is the
	// server's only lock. Handlers decide their answer while holding it and encode it after releasing it.
	mu     sync.Mutex
	st     store
	faults []*queuedFault
	lim    limiter
	counts map[requestKey]int
	total  int
}

// NewServer starts a fake CometChat server on 127.0.0.1 (or the WithListener listener) with an empty store, a
// random app id of 16 hex digits, region "us" and a random 40-hex-digit API key, unless options say otherwise.
// It panics if an option is invalid or no port is free, as net/http/httptest does. Call Close when done.
func NewServer(opts ...ServerOption) *Server {
	cfg := config{region: "us"}
	for _, opt := range opts {
		opt(&cfg)
	}
	s := newServer(cfg)
	ln := cfg.listener
	if ln == nil {
		var err error
		if ln, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
			panic("cometchattest: NewServer: no local port: " + err.Error())
		}
	}
	s.ts = &httptest.Server{Listener: ln, Config: &http.Server{Handler: s.routes()}}
	s.ts.Start()
	s.url = s.ts.URL + "/v3"
	return s
}

func newServer(cfg config) *Server {
	if cfg.appID == "" {
		cfg.appID = randomHex(8)
	}
	if cfg.apiKey == "" {
		cfg.apiKey = randomHex(20)
	}
	if !isAppID(cfg.appID) {
		panic("cometchattest: WithAppID: " + cfg.appID + " is not letters, digits and hyphens")
	}
	if !isDNSLabel(cfg.region) {
		panic("cometchattest: WithRegion: " + cfg.region + " is not a DNS label")
	}
	s := &Server{
		appID:  cfg.appID,
		region: cfg.region,
		apiKey: cfg.apiKey,
		now:    cfg.now,
		closed: make(chan struct{}),
		counts: make(map[requestKey]int),
	}
	if s.now == nil {
		s.now = time.Now
	}
	for _, id := range cfg.roles {
		id = lowerASCII(id)
		if !isUID(id) || len(id) > maxUIDLen {
			panic("cometchattest: WithRoles: " + id + " is not 1-100 letters, digits, - and _")
		}
		if !slices.Contains(s.seedRoles, id) && id != defaultRole {
			s.seedRoles = append(s.seedRoles, id)
		}
	}
	if len(s.seedRoles)+1 > maxRoles {
		panic("cometchattest: WithRoles: more than 25 roles, \"default\" included")
	}
	s.st = newStore(s.now().Unix(), s.seedRoles)
	s.rateLimit, s.appRateLimit, s.userLimit = max(cfg.rateLimit, 0), max(cfg.appRateLimit, 0), max(cfg.userLimit, 0)
	s.lim = newLimiter(s.rateLimit, s.appRateLimit)
	return s
}

// Close stops the server: it ends delayed faults (dropping their connections), waits for the other requests in
// flight and closes the listener. The store stays readable through User, Users and Tokens. Close is idempotent.
func (s *Server) Close() {
	s.once.Do(func() { close(s.closed) })
	s.ts.Close()
}

// URL is the base URL to hand to cometchat.WithBaseURL: "http://127.0.0.1:<port>/v3", or the WithListener
// listener's address instead of 127.0.0.1:<port>.
func (s *Server) URL() string { return s.url }

// AppID is the app id the server pretends to be. The server does not check it: the real API reads it from the
// hostname, which a base URL replaces.
func (s *Server) AppID() string { return s.appID }

// Region is the region the server pretends to be in ("us" unless WithRegion says otherwise).
func (s *Server) Region() string { return s.region }

// APIKey is the only value of the apikey header the server accepts.
func (s *Server) APIKey() string { return s.apiKey }

// Client returns a new SDK client wired to this server: NewClient with the server's app id, region and key, then
// the options WithBaseURL(URL()) and WithRetryWait(time.Millisecond, 10*time.Millisecond), then opts, so opts may
// override either. The short retry wait keeps tests that inject 5xx or 429 answers fast (the SDK's own default
// waits 500 ms and more between attempts); pass cometchat.WithRetryWait to test real waits. Client panics only if
// NewClient rejects those, which is a bug in this package or in opts.
func (s *Server) Client(opts ...cometchat.Option) *cometchat.Client {
	all := make([]cometchat.Option, 0, len(opts)+2)
	all = append(all, cometchat.WithBaseURL(s.URL()), cometchat.WithRetryWait(time.Millisecond, 10*time.Millisecond))
	all = append(all, opts...)
	c, err := cometchat.NewClient(s.appID, s.region, s.apiKey, all...)
	if err != nil {
		panic("cometchattest: Client: " + err.Error())
	}
	return c
}

func randomHex(nbytes int) string {
	b := make([]byte, nbytes)
	if _, err := rand.Read(b); err != nil {
		panic("cometchattest: crypto/rand: " + err.Error())
	}
	return hex.EncodeToString(b)
}

func isAppID(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isAlnum(c) && c != '-' {
			return false
		}
	}
	return true
}

func isDNSLabel(s string) bool {
	if len(s) == 0 || len(s) > 63 || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && c != '-' {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
