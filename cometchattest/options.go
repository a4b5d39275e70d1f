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
	appRateLimit          int
	userLimit             int
	now                   func() time.Time
	roles                 []string
	listener              net.Listener
}

// WithRateLimit enforces the per-class limit: standard and core operations share a budget of perMinute
// authenticated requests in any sliding 60-second window (measured with the WithClock clock), reported in
// X-RateLimit-Limit and X-RateLimit-Remaining. Past it the server answers 429 ERR_TOO_MANY_REQUESTS with
// Retry-After and X-RateLimit-Reset, and those 429s use no budget. POST /data_import/users then has its own
// enforced budget of 60 requests per window, as documented for the real API. perMinute <= 0 (the default) enforces
// nothing: requests are still counted and reported against the real API's limits (20000 per minute for standard
// operations, 10000 for core ones, 60 for data import). The app-wide limit is WithAppRateLimit's.
func WithRateLimit(perMinute int) ServerOption {
	return func(c *config) { c.rateLimit = perMinute }
}

// WithAppRateLimit enforces the app-wide limit: every request to an endpoint, whatever its class, counts against
// perMinute in a sliding 60-second window, reported in X-RateLimit-Limit-For-App and X-RateLimit-Remaining-For-App;
// past it the answer is 429 ERR_TOO_MANY_REQUESTS as with WithRateLimit. perMinute <= 0 (the default) enforces
// nothing and reports production's app limit of 100000 per minute.
func WithAppRateLimit(perMinute int) ServerOption {
	return func(c *config) { c.appRateLimit = perMinute }
}

// WithUserLimit sets the plan's user quota, as a free plan has (25 users). Creating a user (POST /users or an
// entry of POST /data_import/users) when n users exist, deactivated ones included, is refused with 402
// ERR_PLAN_QUOTA_RESTRICTION and production's message "You've exhausted the quota. The allowed limit of the feature
// Create User for your current plan free-2023-01 is <n>. Please upgrade the plan to increase the limit." AddUsers
// is not refused, but the users it adds count. n <= 0 (the default) means no quota.
func WithUserLimit(n int) ServerOption {
	return func(c *config) { c.userLimit = n }
}

// WithClock makes now the server's clock: it sets createdAt, updatedAt, deactivatedAt and token timestamps and
// drives the rate-limit windows, so a test can move time instead of sleeping. now must be safe for concurrent
// use; it is called without any server lock held. nil means time.Now.
func WithClock(now func() time.Time) ServerOption {
	return func(c *config) { c.now = now }
}

// WithRoles seeds the app's roles, as if created through POST /roles (named after their ids) when the server
// starts and again on Reset; "default" always exists besides them. The Roles API shows and changes them, and a
// user's role must be one of the app's roles, with or without WithRoles, as in production: creating, updating,
// importing or seeding a user with another role fails with 400 ERR_ROLE_NOT_FOUND. Ids are lowercased; NewServer
// panics if one is not 1–100 letters, digits, - and _, or if there would be more than 25 roles.
func WithRoles(roles ...string) ServerOption {
	return func(c *config) { c.roles = append(c.roles, roles...) }
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
