package cometchattest

import (
	"net"
	"time"
)

// ServerOption configures a Server created by NewServer.
type ServerOption func(*config)

// config is what the options set; NewServer reads it once, so a Server never changes its configuration.
type config struct {
	appID, region, apiKey string
	rateLimit             int
	now                   func() time.Time
	roles                 []string
	rolesDeclared         bool
	listener              net.Listener
}

// WithRateLimit gives the server a budget of perMinute authenticated requests in any sliding 60-second window
// (measured with the WithClock clock). Past it the server answers 429 ERR_TOO_MANY_REQUESTS with Retry-After and
// X-RateLimit-Reset, and those 429s do not use budget. POST /data_import/users then has its own budget of 60
// requests per window, as documented for the real API. perMinute <= 0 turns limiting off (the default): every
// response then reports the real API's documented limits with the full amount remaining.
func WithRateLimit(perMinute int) ServerOption {
	return func(c *config) { c.rateLimit = perMinute }
}

// WithClock makes now the server's clock: it sets createdAt, updatedAt, deactivatedAt and token timestamps and
// drives the rate-limit windows, so a test can move time instead of sleeping. now must be safe for concurrent
// use; it is called without any server lock held. nil means time.Now.
func WithClock(now func() time.Time) ServerOption {
	return func(c *config) { c.now = now }
}

// WithRoles declares the app's roles. Once declared, creating, updating, importing or seeding a user with a role
// not in the list fails with 400 ERR_ROLE_NOT_FOUND; "default" always exists. Without WithRoles any role is
// accepted. Roles are compared exactly (case-sensitively).
func WithRoles(roles ...string) ServerOption {
	return func(c *config) {
		c.roles = append(c.roles, roles...)
		c.rolesDeclared = true
	}
}

// WithAPIKey fixes the REST API key the server accepts instead of a random one, e.g. to match a key already in a
// config file. An empty key keeps the random one.
func WithAPIKey(key string) ServerOption {
	return func(c *config) { c.apiKey = key }
}

// WithAppID fixes the app id the server reports instead of a random one. It must be letters, digits and hyphens
// (it is part of the real API's hostname); NewServer panics otherwise. An empty id keeps the random one.
func WithAppID(appID string) ServerOption {
	return func(c *config) { c.appID = appID }
}

// WithRegion sets the region the server reports (default "us"). It must be a DNS label; NewServer panics otherwise.
func WithRegion(region string) ServerOption {
	return func(c *config) { c.region = region }
}

// WithListener makes the server accept connections on l instead of a fresh 127.0.0.1 port, e.g. to serve on a
// fixed address for non-Go programs (see cmd/cometchat-fake). The Server owns l from then on and closes it in
// Close. URL is built from l.Addr(), so listen on an address clients can dial.
func WithListener(l net.Listener) ServerOption {
	return func(c *config) { c.listener = l }
}
