package cometchattest

import (
	"encoding/json"
	"io"
	"net/http"
	"time"
)

// Fault makes the server misbehave on purpose, for testing code that must survive it.
type Fault struct {
	Method string        // "" matches any method
	Path   string        // path below /v3, e.g. "/users" or "/users/alice"; "" matches any
	Times  int           // how many matching requests it answers; 0 means 1
	Status int           // answer with this status; 0: answer normally after Delay
	Body   string        // "" with a Status: a CometChat error envelope fitting the status
	Header http.Header   // extra response headers, e.g. Retry-After
	Delay  time.Duration // wait before answering
}

type queuedFault struct {
	f    Fault
	left int
}

// InjectFault queues f. Faults are checked before authentication and rate limiting and use no budget; the
// earliest-injected matching fault answers, and is used up after Times matching requests. Path is compared with
// the request path below /v3 as sent (still percent-encoded, without the query); Method case-sensitively.
// An empty Body gets the envelope fitting the status: 400 ERR_BAD_REQUEST, 401 AUTH_ERR_APIKEY_NOT_FOUND,
// 402 ERR_PLAN_QUOTA_RESTRICTION, 403 AUTH_ERR_NO_ACCESS, 404 ERR_API_NOT_FOUND, 429 ERR_TOO_MANY_REQUESTS,
// 5xx ERR_MISSION_FAILED (other 4xx: ERR_BAD_REQUEST); a non-empty Body is sent as is, as application/json when it
// is valid JSON and text/plain otherwise, unless Header sets Content-Type. The response carries the rate-limit
// headers (nothing counted), then Header on top. A Delay ends early when the client gives up (nothing is answered)
// or the server closes (the connection is dropped), so Close never hangs on it.
// It panics if Status is neither 0 nor 200–599, or Times or Delay is negative: a bug in the calling test.
func (s *Server) InjectFault(f Fault) {
	if f.Status != 0 && (f.Status < 200 || f.Status > 599) || f.Times < 0 || f.Delay < 0 {
		panic("cometchattest: InjectFault: invalid Fault")
	}
	left := f.Times
	if left == 0 {
		left = 1
	}
	f.Header = f.Header.Clone()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &queuedFault{f: f, left: left})
}

// takeFault uses up one answer of the earliest queued fault matching the request.
func (s *Server) takeFault(method, path string) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, q := range s.faults {
		if (q.f.Method == "" || q.f.Method == method) && (q.f.Path == "" || q.f.Path == path) {
			q.left--
			if q.left == 0 {
				s.faults = append(s.faults[:i], s.faults[i+1:]...)
			}
			return q.f, true
		}
	}
	return Fault{}, false
}

// serveFault lets the earliest matching queued fault act on the request: it waits out the delay and writes the
// fault's answer. It reports whether the request is finished.
func (s *Server) serveFault(w http.ResponseWriter, r *http.Request, path string, class opClass) bool {
	f, ok := s.takeFault(r.Method, path)
	if !ok {
		return false
	}
	if f.Delay > 0 {
		t := time.NewTimer(f.Delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return true // nobody is listening any more
		case <-s.closed:
			panic(http.ErrAbortHandler) // drop the connection, like a server going away
		}
	}
	if f.Status == 0 {
		return false
	}
	h := w.Header()
	s.setRateHeaders(h, class)
	for k, v := range f.Header {
		h[http.CanonicalHeaderKey(k)] = v
	}
	switch {
	case f.Body != "":
		if h.Get("Content-Type") == "" {
			if json.Valid([]byte(f.Body)) {
				h.Set("Content-Type", "application/json")
			} else {
				h.Set("Content-Type", "text/plain; charset=utf-8")
			}
		}
		w.WriteHeader(f.Status)
		_, _ = io.WriteString(w, f.Body)
	case f.Status >= 400:
		writeError(w, faultError(f.Status))
	default:
		w.WriteHeader(f.Status)
	}
	return true
}

// requestKey names what RequestCountFor counts.
type requestKey struct{ method, path string }

func (s *Server) countRequest(method, path string) {
	s.mu.Lock()
	s.total++
	s.counts[requestKey{method, path}]++
	s.mu.Unlock()
}

// RequestCount is the number of requests the server has received since it started or was Reset, whatever their
// outcome (faults, auth failures and 429s included).
func (s *Server) RequestCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.total
}

// RequestCountFor is the number of requests received for method and path (the path below /v3 as sent, as in
// Fault.Path, without the query), whatever their outcome. An empty method counts every method.
func (s *Server) RequestCountFor(method, path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if method != "" {
		return s.counts[requestKey{method, path}]
	}
	n := 0
	for k, c := range s.counts {
		if k.path == path {
			n += c
		}
	}
	return n
}
