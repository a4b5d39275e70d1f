// Package retry is the SDK's retry policy as a pure function: given what happened to one attempt, it says
// whether to try again and how long to wait first. It does no I/O and reads no clock, so a table tests it.
package retry

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// Policy bounds the retries of one call.
type Policy struct {
	MaxRetries int           // retries after the first attempt; 0 disables retrying
	WaitMin    time.Duration // backoff bounds; a server-dictated wait above WaitMax is not waited
	WaitMax    time.Duration
}

// Attempt is what one attempt of a call ended with.
type Attempt struct {
	Method string // the request's method
	N      int    // retries made before this attempt: 0 for the first attempt
	Status int    // the answer's status; 0 when there was no answer
	// Err is why there was no usable answer: a transport failure, or a failure reading the answer's body
	// (see BodyCut). nil when Status holds an answer.
	Err error
	// BodyCut reports that an answer came but its body was cut off by the network: the server did process the
	// request, so only an idempotent call may try again.
	BodyCut bool
	// Oversize reports that an answer came but was larger than the client accepts: final.
	Oversize bool
	// ServerWait is the wait the answer asked for (Retry-After or the reset time), when HasServerWait.
	ServerWait    time.Duration
	HasServerWait bool
	// Jitter is a random number in [0, 1) that spreads the backoff; the caller draws it so that this package
	// stays pure.
	Jitter float64
}

// Decision is what to do after an attempt.
type Decision struct {
	Retry bool
	Wait  time.Duration // before the next attempt, when Retry
}

// Decide applies the policy to an attempt:
//   - A 429 is retried for every method: CometChat does not process a rate-limited request. A server-dictated
//     wait longer than WaitMax is not waited: the 429 goes back to the caller at once.
//   - 502, 503 and 504, transport failures and bodies cut off mid-way are retried only for idempotent methods.
//     A POST may have reached the server; it is retried only when the connection was never made.
//   - Permanent failures (a bad certificate, an unsupported scheme, an invalid header) and every other status
//     are final.
//
// The wait is the server's (429 and 503, capped at WaitMax) or exponential backoff with full jitter.
func Decide(p Policy, a Attempt) Decision {
	if a.N >= p.MaxRetries || !retryable(p, a) {
		return Decision{}
	}
	wait := Backoff(p.WaitMin, p.WaitMax, a.N, a.Jitter)
	if a.HasServerWait && (a.Status == http.StatusTooManyRequests || a.Status == http.StatusServiceUnavailable) {
		wait = min(a.ServerWait, p.WaitMax)
	}
	return Decision{Retry: true, Wait: wait}
}

func retryable(p Policy, a Attempt) bool {
	if a.Err != nil {
		switch {
		case a.Oversize:
			return false
		case a.BodyCut:
			return Idempotent(a.Method)
		case Permanent(a.Err):
			return false
		case Idempotent(a.Method):
			return true
		}
		return Refused(a.Err)
	}
	switch a.Status {
	case http.StatusTooManyRequests:
		return !a.HasServerWait || a.ServerWait <= p.WaitMax
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return Idempotent(a.Method)
	}
	return false
}

// Idempotent reports whether a request with this method may be repeated after it may have reached the server.
// CometChat's PUT and DELETE endpoints set state rather than add to it; POST creates.
func Idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

// Permanent reports whether a transport failure will happen again on every attempt (as go-retryablehttp's
// default policy classifies them: certificate errors, unsupported schemes, invalid headers, redirect loops), or
// is the end of the call's context.
func Permanent(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	retry, _ := retryablehttp.DefaultRetryPolicy(context.Background(), nil, err)
	return !retry
}

// Refused reports whether err is a failure to connect: the request never left, so even a POST may be sent again.
func Refused(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// Backoff is exponential backoff with full jitter: retry n (from 0) waits min + jitter·(min(max, min·2ⁿ⁺¹) − min).
// The first retry is spread too, so that clients failed by one outage do not come back at the same instant.
func Backoff(lo, hi time.Duration, n int, jitter float64) time.Duration {
	ceil := hi
	if n < 32 && lo<<(n+1) > 0 && lo<<(n+1) < hi {
		ceil = lo << (n + 1)
	}
	if ceil <= lo {
		return lo
	}
	return lo + time.Duration(jitter*float64(ceil-lo))
}
