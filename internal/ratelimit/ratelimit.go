// Package ratelimit reads what an answer says about rate limits: the X-RateLimit-* headers (and the older
// X-Rate-Limit-* spelling) and how long the server asks the client to wait (Retry-After, or the reset time).
package ratelimit

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// MaxWait bounds any wait a server can ask for, so that absurd headers cannot overflow a time.Duration.
const MaxWait = 24 * time.Hour

// Info is the rate-limit state an answer reports. Absent or malformed headers leave zero values.
type Info struct {
	Limit, Remaining       int // the operation's class
	AppLimit, AppRemaining int // the whole app
	Reset                  time.Time
}

// Header names in canonical form, so lookups skip canonicalisation.
const (
	retryAfter      = "Retry-After"
	limit           = "X-Ratelimit-Limit"
	remaining       = "X-Ratelimit-Remaining"
	appLimit        = "X-Ratelimit-Limit-For-App"
	appRemaining    = "X-Ratelimit-Remaining-For-App"
	reset           = "X-Ratelimit-Reset"
	oldLimit        = "X-Rate-Limit"
	oldLimitLimit   = "X-Rate-Limit-Limit"
	oldRemaining    = "X-Rate-Limit-Remaining"
	oldReset        = "X-Rate-Limit-Reset"
	oldAppLimit     = "X-Rate-Limit-Limit-For-App"
	oldAppRemaining = "X-Rate-Limit-Remaining-For-App"
)

// Parse reads the rate-limit headers of an answer, accepting both the X-RateLimit-* spelling CometChat sends and
// the older X-Rate-Limit-*.
func Parse(h http.Header) Info {
	info := Info{
		Limit:        headerInt(h, limit, oldLimit, oldLimitLimit),
		Remaining:    headerInt(h, remaining, oldRemaining),
		AppLimit:     headerInt(h, appLimit, oldAppLimit),
		AppRemaining: headerInt(h, appRemaining, oldAppRemaining),
	}
	if secs := headerInt(h, reset, oldReset); secs > 0 {
		info.Reset = time.Unix(int64(secs), 0)
	}
	return info
}

// headerInt returns the first of names that holds a non-negative integer.
func headerInt(h http.Header, names ...string) int {
	for _, name := range names {
		if v := h[name]; len(v) > 0 {
			if n, err := strconv.Atoi(strings.TrimSpace(v[0])); err == nil && n >= 0 {
				return n
			}
		}
	}
	return 0
}

// ServerWait returns the wait an answer asks for: Retry-After in seconds or as an HTTP date, else the rate-limit
// reset time (Unix seconds), measured from now and clamped to [0, MaxWait]. ok is false when no such header is
// present and parseable. "Retry-After: 0" and a time in the past are a zero wait with ok true: "now", not "absent".
func ServerWait(h http.Header, now time.Time) (wait time.Duration, ok bool) {
	if v := h[retryAfter]; len(v) > 0 {
		s := strings.TrimSpace(v[0])
		if secs, err := strconv.ParseInt(s, 10, 64); err == nil && secs >= 0 {
			return time.Duration(min(secs, int64(MaxWait/time.Second))) * time.Second, true
		}
		if t, err := http.ParseTime(s); err == nil {
			return clamp(t.Sub(now)), true
		}
	}
	if secs := headerInt(h, reset, oldReset); secs > 0 {
		return clamp(time.Unix(int64(secs), 0).Sub(now)), true
	}
	return 0, false
}

func clamp(d time.Duration) time.Duration { return min(max(d, 0), MaxWait) }
