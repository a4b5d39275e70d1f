package cometchat

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// relFuzzAnswer is what the fuzz server answers with.
type relFuzzAnswer struct {
	status  int
	body    []byte
	variant uint8
}

// relFuzzHeaderVariants is the number of header sets relFuzzWrite knows.
const relFuzzHeaderVariants = 9

// relFuzzWrite answers with a, its headers chosen by a.variant.
func relFuzzWrite(w http.ResponseWriter, a relFuzzAnswer, now time.Time) {
	h := w.Header()
	switch a.variant % relFuzzHeaderVariants {
	case 1:
		h.Set("Content-Type", "text/html; charset=utf-8")
	case 2:
		h.Set("Retry-After", "0")
		h.Set("X-RateLimit-Limit", "500")
		h.Set("X-RateLimit-Remaining", "0")
		h.Set("X-RateLimit-Reset", strconv.FormatInt(now.Unix(), 10))
	case 3:
		h.Set("Retry-After", "soon")
		h.Set("X-RateLimit-Reset", "-12")
		h.Set("X-Rate-Limit-Remaining", "x")
	case 4:
		h.Set("Retry-After", "99999999999999999999999")
	case 5:
		h.Set("Retry-After", now.Add(time.Hour).Format(http.TimeFormat))
	case 6: // a length the body does not reach: the answer is cut short
		h.Set("Content-Length", strconv.Itoa(len(a.body)+7))
	case 7: // claims gzip, is not
		h.Set("Content-Encoding", "gzip")
	case 8:
		h.Set("Content-Type", "application/json")
		h.Set("X-Rate-Limit", "9999999999999999999999")
	}
	w.WriteHeader(a.status)
	_, _ = w.Write(a.body)
}

// FuzzResponse feeds arbitrary statuses, bodies and headers to Users.Get and
// Users.List: never a panic; a non-2xx answer is always an *APIError with
// its status; a 2xx is a result or an error matching ErrInvalidResponse or
// ErrResponseTooLarge, never both; the API key never shows in an error.
func FuzzResponse(f *testing.F) {
	seeds := []struct {
		status  uint16
		body    string
		variant uint8
	}{
		{200, relUserJSON, 0},
		{200, relListJSON, 8},
		{200, `{"data":{"uid":"al`, 0},
		{200, `{"data":null}`, 0},
		{200, `{"data":[]}`, 0},
		{200, `{"data":{"uid":"a","metadata":"{\"x\":1}","createdAt":"1700000000","tags":null},"meta":{"pagination":{"total":"x"}}}`, 0},
		{200, strings.Repeat(`{"data":`, 300), 0},
		{200, `{"data":{"uid":"` + strings.Repeat("a", 600) + `"}}`, 0},
		{200, relUserJSON, 6},
		{200, relUserJSON, 7},
		{204, "", 0},
		{404, relErrorJSON("ERR_UID_NOT_FOUND", "The UID alice does not exist."), 0},
		{403, relErrorJSON("AUTH_ERR_NO_ACCESS", "The key "+relKey+" cannot be used."), 0},
		{401, `{"error":{"code":"` + relKey + `","message":"` + relKey + `","details":{"` + relKey + `":["` + relKey + `"]}}}`, 0},
		{400, `{"error":{"code":"ERR_BAD_REQUEST","details":{"tags.0":"one","uid":[1,2],"x":{"y":1}}}}`, 0},
		{400, `{"error":"flat"}`, 0},
		{429, relErrorJSON("ERR_TOO_MANY_REQUESTS", "slow"), 2},
		{429, "", 4},
		{429, "", 5},
		{502, relHTML502 + relKey, 1},
		{503, "", 3},
		{503, relKey, 6},
		{504, "\xff\xfe\x00garbage", 7},
		{302, "", 0},
		{100, relUserJSON, 0},
		{101, "", 0},
		{199, "", 0},
		{599, "\x00", 0},
	}
	for _, s := range seeds {
		f.Add(s.status, []byte(s.body), s.variant)
	}

	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	var answer relFuzzAnswer
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		mu.Lock()
		a := answer
		mu.Unlock()
		relFuzzWrite(w, a, now)
	}))
	defer srv.Close()
	c, err := NewClient("relapp", RegionUS, relKey, WithBaseURL(srv.URL+"/v3"), WithMaxRetries(1),
		WithRetryWait(time.Millisecond, 10*time.Second), WithMaxResponseBytes(512))
	if err != nil {
		f.Fatal(err)
	}
	defer c.http.CloseIdleConnections()
	c.now = func() time.Time { return now }
	c.sleepFn = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }

	f.Fuzz(func(t *testing.T, status uint16, body []byte, variant uint8) {
		a := relFuzzAnswer{status: 100 + int(status)%500, body: body, variant: variant}
		mu.Lock()
		answer = a
		mu.Unlock()
		// An informational 1xx (all but 101) is followed by the real answer:
		// Go's server sends an implicit 200 once the body is written.
		final := a.status
		if final < 200 && final != http.StatusSwitchingProtocols {
			final = http.StatusOK
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()

		u, err := c.Users.Get(ctx, "alice")
		relFuzzCheck(t, "Get", final, u != nil, err)
		page, err := c.Users.List(ctx, &ListUsersParams{SearchKey: "secret-person"})
		relFuzzCheck(t, "List", final, page != nil, err)
	})
}

// relFuzzCheck asserts the contract of one call that got status.
func relFuzzCheck(t *testing.T, call string, status int, gotResult bool, err error) {
	t.Helper()
	if err != nil {
		text := err.Error() + fmt.Sprintf(" %+v %#v", err, err)
		if strings.Contains(text, relKey) {
			t.Fatalf("%s: the API key shows in the error: %s", call, text)
		}
		if strings.Contains(text, "secret-person") {
			t.Fatalf("%s: a query value shows in the error: %s", call, text)
		}
		if gotResult {
			t.Fatalf("%s: a result beside the error %v", call, err)
		}
	}
	if status < 200 || status > 299 {
		var apiErr *APIError
		if !errors.As(err, &apiErr) {
			t.Fatalf("%s: status %d gave %v (%T), want an *APIError", call, status, err, err)
		}
		if apiErr.StatusCode != status {
			t.Fatalf("%s: APIError.StatusCode %d, want %d", call, apiErr.StatusCode, status)
		}
		if len(apiErr.Body) > 3*maxKeptBody { // each invalid byte may become a 3-byte U+FFFD
			t.Fatalf("%s: APIError.Body keeps %d bytes", call, len(apiErr.Body))
		}
		return
	}
	if err == nil {
		if !gotResult {
			t.Fatalf("%s: status %d: neither a result nor an error", call, status)
		}
		return
	}
	invalid, tooLarge := errors.Is(err, ErrInvalidResponse), errors.Is(err, ErrResponseTooLarge)
	if invalid == tooLarge {
		t.Fatalf("%s: status %d gave %v, want exactly one of ErrInvalidResponse and ErrResponseTooLarge", call, status, err)
	}
}
