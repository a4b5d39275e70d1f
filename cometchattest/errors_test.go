package cometchattest

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/gocometchat/cometchat"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestServer_SDK_Errors(t *testing.T) {
	srv, c, _ := setupSDK(t)
	ctx := context.Background()
	_, err := c.Users.Create(ctx, &cometchat.CreateUserParams{UID: "a", Name: "A"})
	require.NoError(t, err)

	_, err = c.Users.Get(ctx, "Nobody")
	assert.ErrorIs(t, err, cometchat.ErrUIDNotFound)
	e := sdkErr(t, err)
	assert.Equal(t, http.StatusNotFound, e.StatusCode)
	assert.Equal(t, "ERR_UID_NOT_FOUND", e.Code)
	assert.Contains(t, e.Message, "nobody")
	assert.Equal(t, "chat-api", e.Source)
	assert.Equal(t, 20000, e.RateLimit.Limit)

	_, err = c.Users.Create(ctx, &cometchat.CreateUserParams{UID: "A", Name: "A"})
	assert.ErrorIs(t, err, cometchat.ErrUIDAlreadyExists)
	assert.Equal(t, http.StatusBadRequest, sdkErr(t, err).StatusCode)

	_, err = c.AuthTokens.Get(ctx, "a", "a_1700000000deadbeef")
	assert.ErrorIs(t, err, cometchat.ErrAuthTokenNotFound)
	_, err = c.AuthTokens.Create(ctx, "nobody", nil)
	assert.ErrorIs(t, err, cometchat.ErrUIDNotFound)

	wrong, err := cometchat.NewClient(srv.AppID(), srv.Region(), "wrong-key", cometchat.WithBaseURL(srv.URL()))
	require.NoError(t, err)
	_, err = wrong.Users.Get(ctx, "a")
	assert.ErrorIs(t, err, cometchat.ErrAPIKeyNotFound)
	assert.Equal(t, http.StatusUnauthorized, sdkErr(t, err).StatusCode)

	// The server's own validation, behind the SDK's (which refuses these values): Details come through.
	err = c.Do(ctx, http.MethodGet, "/users", url.Values{"status": {"busy"}, "searchIn": {"email"}}, nil, nil)
	assert.ErrorIs(t, err, cometchat.ErrBadRequest)
	e = sdkErr(t, err)
	assert.Equal(t, http.StatusBadRequest, e.StatusCode)
	assert.Equal(t, map[string][]string{"status": {"The selected status is invalid."}, "searchIn": {"The selected searchIn is invalid."}}, e.Details)

	_, rc, _ := setupSDK(t, WithRoles("admin"))
	_, err = rc.Users.Create(ctx, &cometchat.CreateUserParams{UID: "x", Name: "X", Role: "boss"})
	e = sdkErr(t, err)
	assert.Equal(t, "ERR_ROLE_NOT_FOUND", e.Code)
	srv.InjectFault(Fault{Method: http.MethodPost, Path: "/users", Status: http.StatusBadRequest,
		Body: `{"error":{"message":"Failed to validate the data sent with the request.","devMessage":"d","source":"chat-api",` +
			`"details":{"uid":["The uid field is required."],"tags.0":["The tags.0 field is required."]},"code":"ERR_BAD_REQUEST"}}`})
	_, err = c.Users.Create(ctx, &cometchat.CreateUserParams{UID: "b", Name: "B"})
	assert.ErrorIs(t, err, cometchat.ErrBadRequest)
	assert.Equal(t, map[string][]string{"uid": {"The uid field is required."}, "tags.0": {"The tags.0 field is required."}}, sdkErr(t, err).Details)

	srv.InjectFault(Fault{Status: http.StatusForbidden})
	_, err = c.Users.Get(ctx, "a")
	assert.ErrorIs(t, err, cometchat.ErrNoAccess)
	srv.InjectFault(Fault{Status: http.StatusPaymentRequired})
	_, err = c.Users.Create(ctx, &cometchat.CreateUserParams{UID: "c", Name: "C"})
	assert.ErrorIs(t, err, cometchat.ErrPlanQuota)

	// Not JSON: still a typed error with the status.
	noRetry := srv.Client(cometchat.WithMaxRetries(0))
	srv.InjectFault(Fault{Status: http.StatusBadGateway, Body: "<html>502 Bad Gateway</html>"})
	_, err = noRetry.Users.Get(ctx, "a")
	e = sdkErr(t, err)
	assert.Equal(t, http.StatusBadGateway, e.StatusCode)
	assert.Empty(t, e.Code)

	// Idempotent calls are retried over 5xx.
	srv.InjectFault(Fault{Method: http.MethodGet, Path: "/users/a", Status: http.StatusServiceUnavailable, Times: 2})
	before := srv.RequestCountFor(http.MethodGet, "/users/a")
	_, err = c.Users.Get(ctx, "a")
	require.NoError(t, err)
	assert.Equal(t, 3, srv.RequestCountFor(http.MethodGet, "/users/a")-before)

	// A slow server and the caller's deadline.
	srv.InjectFault(Fault{Delay: time.Hour})
	tctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	_, err = c.Users.Get(tctx, "a")
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}

func TestFaultError_EnvelopeFitsStatus(t *testing.T) {
	for status, code := range map[int]string{400: "ERR_BAD_REQUEST", 401: "AUTH_ERR_APIKEY_NOT_FOUND", 402: "ERR_PLAN_QUOTA_RESTRICTION",
		403: "AUTH_ERR_NO_ACCESS", 404: "ERR_API_NOT_FOUND", 418: "ERR_BAD_REQUEST", 429: "ERR_TOO_MANY_REQUESTS", 504: "ERR_MISSION_FAILED"} {
		e := faultError(status)
		assert.Equal(t, status, e.status)
		assert.Equal(t, code, e.body.Code)
		assert.Equal(t, "chat-api", e.body.Source)
		assert.NotEmpty(t, e.body.Message)
		assert.NotEmpty(t, e.body.DevMessage)
	}
}

func TestDetails_FirstIsTheSmallestField(t *testing.T) {
	var d details
	assert.Empty(t, d.first())
	d.add("tags.0", "t")
	d.add("name", "n")
	assert.Equal(t, "n", d.first())
}
