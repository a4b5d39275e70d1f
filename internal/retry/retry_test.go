package retry

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/url"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

var policy = Policy{MaxRetries: 3, WaitMin: time.Second, WaitMax: 30 * time.Second}

var (
	refused = &url.Error{Op: "Post", URL: "https://x", Err: &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}}
	reset   = &url.Error{Op: "Post", URL: "https://x", Err: &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}}
	badCert = &url.Error{Op: "Get", URL: "https://x", Err: &tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}}
)

func TestDecide(t *testing.T) {
	tests := []struct {
		name string
		a    Attempt
		want Decision
	}{
		{"200 is final", Attempt{Method: "GET", Status: 200}, Decision{}},
		{"404 is final", Attempt{Method: "GET", Status: 404}, Decision{}},
		{"500 is final", Attempt{Method: "GET", Status: 500}, Decision{}},
		{"429 GET with Retry-After", Attempt{Method: "GET", Status: 429, ServerWait: 7 * time.Second, HasServerWait: true}, Decision{true, 7 * time.Second}},
		{"429 POST is retried", Attempt{Method: "POST", Status: 429, ServerWait: 2 * time.Second, HasServerWait: true}, Decision{true, 2 * time.Second}},
		{"429 Retry-After 0 means now", Attempt{Method: "POST", Status: 429, HasServerWait: true}, Decision{true, 0}},
		{"429 asking past the max goes back", Attempt{Method: "GET", Status: 429, ServerWait: time.Minute, HasServerWait: true}, Decision{}},
		{"429 without a wait backs off", Attempt{Method: "GET", Status: 429}, Decision{true, time.Second}},
		{"503 GET honours Retry-After", Attempt{Method: "GET", Status: 503, ServerWait: 4 * time.Second, HasServerWait: true}, Decision{true, 4 * time.Second}},
		{"503 Retry-After capped at max", Attempt{Method: "PUT", Status: 503, ServerWait: time.Hour, HasServerWait: true}, Decision{true, 30 * time.Second}},
		{"502 DELETE", Attempt{Method: "DELETE", Status: 502, Jitter: 0.5}, Decision{true, 1500 * time.Millisecond}},
		{"504 PUT second retry", Attempt{Method: "PUT", N: 1, Status: 504, Jitter: 0.5}, Decision{true, 2500 * time.Millisecond}},
		{"503 POST is final", Attempt{Method: "POST", Status: 503}, Decision{}},
		{"retries exhausted", Attempt{Method: "GET", N: 3, Status: 503}, Decision{}},
		{"reset GET", Attempt{Method: "GET", Err: reset}, Decision{true, time.Second}},
		{"reset POST is final", Attempt{Method: "POST", Err: reset}, Decision{}},
		{"refused POST", Attempt{Method: "POST", Err: refused}, Decision{true, time.Second}},
		{"cut body GET", Attempt{Method: "GET", Status: 200, Err: io.ErrUnexpectedEOF, BodyCut: true}, Decision{true, time.Second}},
		{"cut body POST is final", Attempt{Method: "POST", Status: 200, Err: io.ErrUnexpectedEOF, BodyCut: true}, Decision{}},
		{"oversize body is final", Attempt{Method: "GET", Status: 200, Err: io.ErrShortBuffer, Oversize: true}, Decision{}},
		{"bad certificate is final", Attempt{Method: "GET", Err: badCert}, Decision{}},
		{"context end is final", Attempt{Method: "GET", Err: context.DeadlineExceeded}, Decision{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Decide(policy, tt.a))
		})
	}
}

func TestDecide_NoRetriesWhenDisabled(t *testing.T) {
	p := Policy{MaxRetries: 0, WaitMin: time.Millisecond, WaitMax: time.Second}
	for _, a := range []Attempt{{Method: "GET", Status: 503}, {Method: "GET", Status: 429}, {Method: "POST", Err: refused}} {
		assert.False(t, Decide(p, a).Retry)
	}
}

func TestBackoff(t *testing.T) {
	lo, hi := time.Second, 30*time.Second
	tests := []struct {
		n      int
		jitter float64
		want   time.Duration
	}{
		{0, 0, lo},
		{0, 0.999999999, 2*time.Second - time.Nanosecond},
		{1, 1, 4 * time.Second},
		{3, 1, 16 * time.Second},
		{4, 1, hi},
		{63, 1, hi},
		{1000, 0.5, lo + (hi-lo)/2},
	}
	for _, tt := range tests {
		got := Backoff(lo, hi, tt.n, tt.jitter)
		assert.InDelta(t, float64(tt.want), float64(got), float64(time.Microsecond), "n=%d jitter=%v", tt.n, tt.jitter)
	}
	assert.Equal(t, 5*time.Millisecond, Backoff(5*time.Millisecond, 5*time.Millisecond, 2, 0.7))
}

func TestIdempotent(t *testing.T) {
	for _, m := range []string{"GET", "PUT", "DELETE", "HEAD", "OPTIONS"} {
		assert.True(t, Idempotent(m), m)
	}
	for _, m := range []string{"POST", "PATCH", "get", ""} {
		assert.False(t, Idempotent(m), m)
	}
}

func TestPermanentAndRefused(t *testing.T) {
	assert.True(t, Permanent(badCert))
	assert.True(t, Permanent(context.Canceled))
	assert.True(t, Permanent(&url.Error{Op: "Get", URL: "x", Err: errors.New(`unsupported protocol scheme "ftp"`)}))
	assert.False(t, Permanent(reset))
	assert.True(t, Refused(refused))
	assert.False(t, Refused(reset))
	assert.False(t, Refused(errors.New("dial")))
}

func FuzzBackoff(f *testing.F) {
	f.Add(int64(time.Second), int64(30*time.Second), 3, 0.5)
	f.Fuzz(func(t *testing.T, lo, hi int64, n int, jitter float64) {
		if lo <= 0 || hi < lo || n < 0 || !(jitter >= 0 && jitter < 1) {
			return
		}
		got := Backoff(time.Duration(lo), time.Duration(hi), n, jitter)
		if got < time.Duration(lo) || got > time.Duration(hi) {
			t.Fatalf("Backoff(%d, %d, %d, %v) = %d out of bounds", lo, hi, n, jitter, got)
		}
	})
}
