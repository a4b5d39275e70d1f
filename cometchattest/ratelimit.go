package cometchattest

import (
	"net/http"
	"strconv"
	"time"
)

// Canonical header keys, assigned directly to skip canonicalisation on the hot path.
const (
	hdrLimit        = "X-Ratelimit-Limit"
	hdrRemaining    = "X-Ratelimit-Remaining"
	hdrAppLimit     = "X-Ratelimit-Limit-For-App"
	hdrAppRemaining = "X-Ratelimit-Remaining-For-App"
	hdrReset        = "X-Ratelimit-Reset"
	hdrRetryAfter   = "Retry-After"
)

// The real API's per-minute limits: documented for the operation classes, recorded (100000) for the app.
const (
	standardPerMinute = 20000
	corePerMinute     = 10000
	importPerMinute   = 60
	appPerMinute      = 100000
)

// window is a sliding 60-second window of admitted requests. It keeps the newest hits only, at most limit of
// them, oldest first in a ring: that is enough to know the exact remaining count (if the oldest kept hit is still
// inside the window, limit or more are) and, when the window is full, when its oldest hit leaves.
type window struct {
	limit    int
	limitStr string  // limit formatted, for the headers
	enforced bool    // refuse requests past limit; otherwise only count and report
	hits     []int64 // Unix nanoseconds; a ring of len(hits) <= limit slots
	head, n  int
}

func newWindow(limit int, enforced bool) window {
	return window{limit: limit, limitStr: strconv.Itoa(limit), enforced: enforced}
}

// prune drops the hits that left the window. Hits are in clock order; a clock moved backwards only delays pruning.
func (w *window) prune(now int64) {
	cut := now - int64(time.Minute)
	for w.n > 0 && w.hits[w.head] <= cut {
		w.head = (w.head + 1) % len(w.hits)
		w.n--
	}
}

// add records a hit, dropping the oldest when limit hits are kept already.
func (w *window) add(now int64) {
	if w.n == len(w.hits) {
		if w.n == w.limit {
			w.hits[w.head] = now
			w.head = (w.head + 1) % len(w.hits)
			return
		}
		grown := make([]int64, min(max(2*len(w.hits), 16), w.limit))
		for i := range w.n {
			grown[i] = w.hits[(w.head+i)%len(w.hits)]
		}
		w.hits, w.head = grown, 0
	}
	w.hits[(w.head+w.n)%len(w.hits)] = now
	w.n++
}

func (w *window) remaining() int { return w.limit - w.n }

// until is how long until the oldest kept hit leaves the window, in whole seconds (at least 1), and when.
func (w *window) until(now int64) (int, time.Time) {
	leaves := w.hits[w.head] + int64(time.Minute)
	secs := int((leaves - now + int64(time.Second) - 1) / int64(time.Second))
	reset := time.Unix(0, leaves)
	if reset.Nanosecond() != 0 {
		reset = reset.Truncate(time.Second).Add(time.Second)
	}
	return max(secs, 1), reset
}

// limiter holds the windows of the rate-limit model: one per operation class, and the app's, which counts every
// request the app makes, whatever its class.
type limiter struct {
	standard, core, imports, app window
	shared                       bool // WithRateLimit: standard and core operations share the standard window
}

func newLimiter(perMinute, appLimit int) limiter {
	l := limiter{
		standard: newWindow(standardPerMinute, false),
		core:     newWindow(corePerMinute, false),
		imports:  newWindow(importPerMinute, false),
		app:      newWindow(appPerMinute, false),
	}
	if perMinute > 0 {
		l.standard = newWindow(perMinute, true)
		l.imports.enforced = true
		l.shared = true
	}
	if appLimit > 0 {
		l.app = newWindow(appLimit, true)
	}
	return l
}

// of is the window of an operation class.
func (l *limiter) of(class opClass) *window {
	switch {
	case class == classImport:
		return &l.imports
	case class == classCore && !l.shared:
		return &l.core
	default:
		return &l.standard
	}
}

// admit counts a request to an endpoint in its class's window and the app's, and sets the rate-limit headers;
// past an enforced limit it answers 429 itself instead. It reports whether the request may proceed. A refused
// request is not counted (the real API does not process it). Requests that reached no endpoint are neither
// counted nor given rate-limit headers, as production's 404 shows.
func (s *Server) admit(w http.ResponseWriter, class opClass) bool {
	if class == classNone {
		return true
	}
	h := w.Header()
	now := s.now().UnixNano()
	s.mu.Lock()
	win, app := s.lim.of(class), &s.lim.app
	win.prune(now)
	app.prune(now)
	var full *window
	switch {
	case win.enforced && win.remaining() <= 0:
		full = win
	case app.enforced && app.remaining() <= 0:
		full = app
	default:
		win.add(now)
		app.add(now)
	}
	writeRateHeaders(h, win, app)
	var secs int
	if full != nil {
		var reset time.Time
		secs, reset = full.until(now)
		h[hdrRetryAfter] = []string{strconv.Itoa(secs)}
		h[hdrReset] = []string{strconv.FormatInt(reset.Unix(), 10)}
	}
	s.mu.Unlock()
	if full != nil {
		writeError(w, errTooManyRequests(secs))
		return false
	}
	return true
}

// setRateHeaders sets the rate-limit headers of a class without counting the request (authentication failures,
// faults); none for classNone.
func (s *Server) setRateHeaders(h http.Header, class opClass) {
	if class == classNone {
		return
	}
	now := s.now().UnixNano()
	s.mu.Lock()
	defer s.mu.Unlock()
	win, app := s.lim.of(class), &s.lim.app
	win.prune(now)
	app.prune(now)
	writeRateHeaders(h, win, app)
}

func writeRateHeaders(h http.Header, win, app *window) {
	v := []string{win.limitStr, strconv.Itoa(max(win.remaining(), 0)), app.limitStr, strconv.Itoa(max(app.remaining(), 0))}
	h[hdrLimit], h[hdrRemaining], h[hdrAppLimit], h[hdrAppRemaining] = v[0:1:1], v[1:2:2], v[2:3:3], v[3:4:4]
}
