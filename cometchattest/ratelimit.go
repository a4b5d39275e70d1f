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

// The real API's documented per-minute limits, reported when the fake does not limit.
const (
	standardPerMinute = 20000
	corePerMinute     = 10000
)

var (
	valStandard = []string{strconv.Itoa(standardPerMinute)}
	valCore     = []string{strconv.Itoa(corePerMinute)}
	valImport   = []string{strconv.Itoa(importPerMinute)}
)

// window is a sliding 60-second window of admitted requests, oldest first.
type window struct {
	limit int
	hits  []int64 // Unix nanoseconds
	head  int
}

func (w *window) prune(now int64) {
	cut := now - int64(time.Minute)
	for w.head < len(w.hits) && w.hits[w.head] <= cut {
		w.head++
	}
	if w.head > 0 && w.head*2 >= len(w.hits) { // compact once half the slice is dead
		n := copy(w.hits, w.hits[w.head:])
		w.hits = w.hits[:n]
		w.head = 0
	}
}

func (w *window) remaining() int { return w.limit - (len(w.hits) - w.head) }

// until is how long until the oldest admitted request leaves the window, in whole seconds (at least 1), and when.
func (w *window) until(now int64) (int, time.Time) {
	leaves := w.hits[w.head] + int64(time.Minute)
	secs := int((leaves - now + int64(time.Second) - 1) / int64(time.Second))
	reset := time.Unix(0, leaves)
	if reset.Nanosecond() != 0 {
		reset = reset.Truncate(time.Second).Add(time.Second)
	}
	return max(secs, 1), reset
}

// admit counts an authenticated request against its budget and sets the rate-limit headers; past the budget it
// answers 429 itself. It reports whether the request may proceed. A refused request is not counted (the real API
// does not process it).
func (s *Server) admit(w http.ResponseWriter, class opClass) bool {
	e, ok := s.admitHeaders(w.Header(), class)
	if !ok {
		writeError(w, e)
	}
	return ok
}

func (s *Server) admitHeaders(h http.Header, class opClass) (apiError, bool) {
	if s.rateLimit == 0 {
		setDefaultRateHeaders(h, class)
		return apiError{}, true
	}
	now := s.now().UnixNano()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.appWin.prune(now)
	s.impWin.prune(now)
	win := &s.appWin
	if class == classImport {
		win = &s.impWin
	}
	if win.remaining() <= 0 {
		secs, reset := win.until(now)
		s.writeRateHeaders(h, class)
		h[hdrRetryAfter] = []string{strconv.Itoa(secs)}
		h[hdrReset] = []string{strconv.FormatInt(reset.Unix(), 10)}
		return errTooManyRequests(secs), false
	}
	win.hits = append(win.hits, now)
	s.writeRateHeaders(h, class)
	return apiError{}, true
}

// setRateHeaders sets the rate-limit headers without counting the request (unauthenticated requests, faults).
func (s *Server) setRateHeaders(h http.Header, class opClass) {
	if s.rateLimit == 0 {
		setDefaultRateHeaders(h, class)
		return
	}
	now := s.now().UnixNano()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.appWin.prune(now)
	s.impWin.prune(now)
	s.writeRateHeaders(h, class)
}

// writeRateHeaders reports the windows; it runs under s.mu after pruning. Standard and core operations share the
// one configured budget, so their pair equals the app pair; imports report their own window first.
func (s *Server) writeRateHeaders(h http.Header, class opClass) {
	win := &s.appWin
	if class == classImport {
		win = &s.impWin
	}
	h[hdrLimit] = []string{strconv.Itoa(win.limit)}
	h[hdrRemaining] = []string{strconv.Itoa(max(win.remaining(), 0))}
	h[hdrAppLimit] = []string{strconv.Itoa(s.appWin.limit)}
	h[hdrAppRemaining] = []string{strconv.Itoa(max(s.appWin.remaining(), 0))}
}

func setDefaultRateHeaders(h http.Header, class opClass) {
	v := valStandard
	switch class {
	case classCore:
		v = valCore
	case classImport:
		v = valImport
	}
	h[hdrLimit] = v
	h[hdrRemaining] = v
	h[hdrAppLimit] = valStandard
	h[hdrAppRemaining] = valStandard
}
