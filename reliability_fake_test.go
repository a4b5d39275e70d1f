package cometchat_test

// Faults injected into the cometchattest fake server: the SDK's retry
// policy against the same server its users test with.

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gocometchat/cometchat"
	"github.com/gocometchat/cometchat/cometchattest"
)

// relFake starts a fake server holding the user alice and returns it with a
// client of it. Both are closed when the test ends.
func relFake(t *testing.T, opts ...cometchat.Option) (*cometchattest.Server, *cometchat.Client) {
	t.Helper()
	srv := cometchattest.NewServer()
	t.Cleanup(srv.Close)
	c := srv.Client(opts...)
	_, err := c.Users.Create(context.Background(), &cometchat.CreateUserParams{UID: "alice", Name: "Alice"})
	require.NoError(t, err)
	return srv, c
}

// TestFakeReliability429ThenSuccess is not parallel: it sleeps the second
// that Retry-After asks for.
func TestFakeReliability429ThenSuccess(t *testing.T) {
	srv, c := relFake(t, cometchat.WithRetryWait(time.Millisecond, 5*time.Second))
	srv.InjectFault(cometchattest.Fault{Method: http.MethodGet, Path: "/users/alice", Status: http.StatusTooManyRequests,
		Header: http.Header{"Retry-After": {"1"}}})
	start := time.Now()
	u, err := c.Users.Get(context.Background(), "alice")
	require.NoError(t, err)
	assert.Equal(t, "alice", u.UID)
	assert.GreaterOrEqual(t, time.Since(start), 900*time.Millisecond, "Retry-After was honoured")
	assert.Equal(t, 2, srv.RequestCountFor(http.MethodGet, "/users/alice"))
	assert.Positive(t, c.RateLimit().Limit, "the rate-limit headers of the last answer")
}

func TestFakeReliability429AboveMax(t *testing.T) {
	t.Parallel()
	srv, c := relFake(t)
	srv.InjectFault(cometchattest.Fault{Method: http.MethodPost, Path: "/users", Status: http.StatusTooManyRequests,
		Header: http.Header{"Retry-After": {"3600"}}})
	_, err := c.Users.Create(context.Background(), &cometchat.CreateUserParams{UID: "bob", Name: "Bob"})
	var apiErr *cometchat.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.ErrorIs(t, err, cometchat.ErrTooManyRequests)
	assert.Equal(t, time.Hour, apiErr.RetryAfter)
	assert.Equal(t, 2, srv.RequestCountFor(http.MethodPost, "/users"), "alice's create and one attempt for bob")
}

func TestFakeReliability503ThenSuccess(t *testing.T) {
	t.Parallel()
	srv, c := relFake(t, cometchat.WithRetryWait(time.Millisecond, 10*time.Millisecond))
	srv.InjectFault(cometchattest.Fault{Method: http.MethodPut, Path: "/users/alice", Status: http.StatusServiceUnavailable, Times: 2})
	u, err := c.Users.Update(context.Background(), "alice", &cometchat.UpdateUserParams{Name: cometchat.Ptr("Ada")})
	require.NoError(t, err)
	assert.Equal(t, "Ada", u.Name)
	assert.Equal(t, 3, srv.RequestCountFor(http.MethodPut, "/users/alice"))

	// A POST is not repeated after a 503: the user is not created twice, nor at all here.
	srv.InjectFault(cometchattest.Fault{Method: http.MethodPost, Path: "/users", Status: http.StatusServiceUnavailable})
	_, err = c.Users.Create(context.Background(), &cometchat.CreateUserParams{UID: "bob", Name: "Bob"})
	assert.ErrorIs(t, err, cometchat.ErrMissionFailed)
	assert.Equal(t, 2, srv.RequestCountFor(http.MethodPost, "/users"))
	_, found := srv.User("bob")
	assert.False(t, found)
}

func TestFakeReliabilityRetriesExhausted(t *testing.T) {
	t.Parallel()
	srv, c := relFake(t, cometchat.WithRetryWait(time.Millisecond, 10*time.Millisecond), cometchat.WithMaxRetries(2))
	srv.InjectFault(cometchattest.Fault{Method: http.MethodGet, Path: "/users/alice", Status: http.StatusBadGateway, Times: 10})
	_, err := c.Users.Get(context.Background(), "alice")
	var apiErr *cometchat.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusBadGateway, apiErr.StatusCode)
	assert.Equal(t, "ERR_MISSION_FAILED", apiErr.Code)
	assert.Equal(t, 3, srv.RequestCountFor(http.MethodGet, "/users/alice"))
}

func TestFakeReliabilityDelayLongerThanTimeout(t *testing.T) {
	t.Parallel()
	srv, c := relFake(t, cometchat.WithTimeout(200*time.Millisecond))
	srv.InjectFault(cometchattest.Fault{Method: http.MethodGet, Path: "/users/alice", Delay: time.Minute})
	start := time.Now()
	_, err := c.Users.Get(context.Background(), "alice")
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), 5*time.Second)

	u, err := c.Users.Get(context.Background(), "alice")
	require.NoError(t, err, "the fault is used up and the client still works")
	assert.Equal(t, "alice", u.UID)
}

func TestFakeReliabilityRateLimitBudget(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	srv := cometchattest.NewServer(cometchattest.WithRateLimit(2), cometchattest.WithClock(func() time.Time { return now }))
	t.Cleanup(srv.Close)
	c := srv.Client()
	for range 2 {
		_, err := c.Users.List(context.Background(), nil)
		require.NoError(t, err)
	}
	// The budget is spent and the clock stands still: the server asks for
	// about a minute, above the default maximum wait, so the 429 comes back
	// at once for the caller to decide.
	_, err := c.Users.List(context.Background(), nil)
	var apiErr *cometchat.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.ErrorIs(t, err, cometchat.ErrTooManyRequests)
	assert.Greater(t, apiErr.RetryAfter, cometchat.DefaultRetryWaitMax)
	assert.Equal(t, 0, apiErr.RateLimit.Remaining)
	assert.Equal(t, 3, srv.RequestCount())
}

func TestFakeReliabilityWrongKeyRedacted(t *testing.T) {
	t.Parallel()
	srv := cometchattest.NewServer()
	t.Cleanup(srv.Close)
	const wrong = "wrongKEY0123456789abcdef"
	c, err := cometchat.NewClient(srv.AppID(), srv.Region(), wrong, cometchat.WithBaseURL(srv.URL()))
	require.NoError(t, err)
	_, err = c.Users.Get(context.Background(), "alice")
	assert.ErrorIs(t, err, cometchat.ErrAPIKeyNotFound)
	var apiErr *cometchat.APIError
	require.True(t, errors.As(err, &apiErr))
	for _, s := range []string{err.Error(), apiErr.Message, apiErr.DevMessage, apiErr.Body} {
		assert.NotContains(t, s, wrong, "the fake echoes the key, like CometChat; the SDK redacts it")
	}
}
