package cometchat

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOptions_InvalidValuesAreValidationErrors(t *testing.T) {
	tests := []struct {
		name  string
		opt   Option
		field string
	}{
		{"nil http client", WithHTTPClient(nil), "httpClient"},
		{"base URL without scheme", WithBaseURL("api.example.com/v3"), "baseURL"},
		{"base URL plain http off loopback", WithBaseURL("http://api.example.com/v3"), "baseURL"},
		{"base URL with user info", WithBaseURL("https://user:pw@api.example.com/v3"), "baseURL"},
		{"base URL with query", WithBaseURL("https://api.example.com/v3?x=1"), "baseURL"},
		{"base URL with fragment", WithBaseURL("https://api.example.com/v3#x"), "baseURL"},
		{"base URL without host name", WithBaseURL("https://:443/v3"), "baseURL"},
		{"base URL ftp", WithBaseURL("ftp://api.example.com"), "baseURL"},
		{"negative retries", WithMaxRetries(-1), "maxRetries"},
		{"zero min wait", WithRetryWait(0, time.Second), "retryWait"},
		{"max below min", WithRetryWait(time.Second, time.Millisecond), "retryWait"},
		{"zero timeout", WithTimeout(0), "timeout"},
		{"blank user agent", WithUserAgent("  "), "userAgent"},
		{"user agent with a newline", WithUserAgent("app\r\nX-Evil: 1"), "userAgent"},
		{"zero max response", WithMaxResponseBytes(0), "maxResponseBytes"},
		{"negative max response", WithMaxResponseBytes(-5), "maxResponseBytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := NewClient(testAppID, testRegion, testKey, tt.opt)
			assert.Nil(t, c)
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field)
			assert.ErrorIs(t, err, ErrValidation)
		})
	}
}

func TestWithBaseURL_AcceptedForms(t *testing.T) {
	for raw, want := range map[string]string{
		"https://proxy.example.com/cometchat/v3/": "https://proxy.example.com/cometchat/v3",
		"http://127.0.0.1:8080/v3":                "http://127.0.0.1:8080/v3",
		"http://localhost:9/v3":                   "http://localhost:9/v3",
		"http://[::1]:9/v3":                       "http://[::1]:9/v3",
	} {
		c, err := NewClient(testAppID, testRegion, testKey, WithBaseURL(raw))
		require.NoError(t, err, raw)
		assert.Equal(t, want, c.baseURL, raw)
	}
}

func TestWithUserAgent_PrependedToTheSDKs(t *testing.T) {
	m := newMock(t, WithUserAgent("myapp/1.2"))
	m.on("GET", "/users/ada").Reply(200).BodyString(data(userGeorge))
	_, err := m.Users.Get(context.Background(), "ada")
	require.NoError(t, err)
	ua := m.last(t).Header.Get("User-Agent")
	assert.True(t, strings.HasPrefix(ua, "myapp/1.2 cometchat-go/"+Version+" (go"), ua)
}

func TestWithMaxRetries_Zero_OneAttemptWhateverTheFault(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMock(t, WithMaxRetries(0))
		m.on("GET", "/users/ada").Reply(503)
		_, err := m.Users.Get(context.Background(), "ada")
		var apiErr *APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, 503, apiErr.StatusCode)
		assert.Len(t, m.requests(), 1)
	})
}

func TestWithRetryWait_BoundsTheBackoff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMock(t, WithRetryWait(2*time.Second, 5*time.Second))
		m.on("GET", "/users/ada").Times(3).Reply(503)
		m.on("GET", "/users/ada").Reply(200).BodyString(data(userGeorge))
		start := time.Now()
		_, err := m.Users.Get(context.Background(), "ada")
		require.NoError(t, err)
		// Three waits, each in [2 s, min(5 s, 2 s·2ⁿ⁺¹)].
		assert.GreaterOrEqual(t, time.Since(start), 6*time.Second)
		assert.LessOrEqual(t, time.Since(start), 15*time.Second)
	})
}

func TestWithTimeout_BoundsTheWholeCall(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMock(t, WithTimeout(3*time.Second), WithRetryWait(time.Second, 2*time.Second), WithMaxRetries(100))
		m.on("GET", "/users/ada").Persist().Reply(503)
		start := time.Now()
		u, err := m.Users.Get(context.Background(), "ada")
		assert.Nil(t, u)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Equal(t, 3*time.Second, time.Since(start))
	})
}

func TestWithTimeout_ANilContextIsAnErrorNotAPanic(t *testing.T) {
	m := newMock(t, WithTimeout(time.Second))
	//lint:ignore SA1012 the point of the test
	u, err := m.Users.Get(nil, "ada") //nolint:staticcheck // the point of the test
	assert.Nil(t, u)
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "ctx", ve.Field)
	assert.Empty(t, m.requests())
}

func TestWithMaxResponseBytes_AnyAcceptedValueWorks(t *testing.T) {
	for _, n := range []int64{1 << 20, math.MaxInt64, math.MaxInt64 - 1} {
		m := newMock(t, WithMaxResponseBytes(n))
		m.on("GET", "/users/ada").Reply(200).BodyString(data(userGeorge))
		u, err := m.Users.Get(context.Background(), "ada")
		require.NoError(t, err, n)
		assert.Equal(t, "cometchat-uid-2", u.UID)
	}
}

func TestWithMaxResponseBytes_LargerAnswerIsErrResponseTooLarge(t *testing.T) {
	m := newMock(t, WithMaxResponseBytes(64))
	m.on("GET", "/users/ada").Reply(200).BodyString(data(userGeorge))
	u, err := m.Users.Get(context.Background(), "ada")
	assert.Nil(t, u)
	assert.ErrorIs(t, err, ErrResponseTooLarge)
	assert.False(t, errors.Is(err, ErrInvalidResponse))
	assert.Len(t, m.requests(), 1, "not retried")
}

func TestWithMaxResponseBytes_OversizeErrorAnswerKeepsItsAPIError(t *testing.T) {
	m := newMock(t, WithMaxResponseBytes(16))
	m.on("GET", "/users/ada").Reply(404).BodyString(`{"error":{"code":"ERR_UID_NOT_FOUND","message":"The UID ada does not exist"}}`)
	_, err := m.Users.Get(context.Background(), "ada")
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusNotFound, apiErr.StatusCode)
}

func TestOnBehalfOf_InvalidUIDIsRefusedBeforeSending(t *testing.T) {
	m := newMock(t)
	_, err := m.Users.Get(context.Background(), "ada", OnBehalfOf("bad uid"))
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "onBehalfOf", ve.Field)
	assert.Empty(t, m.requests())
}
