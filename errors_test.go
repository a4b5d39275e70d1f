package cometchat

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/gocometchat/cometchat/internal/redact"
	"github.com/gocometchat/cometchat/internal/transport"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sentinels is every exported sentinel with the code it stands for ("" for those matched otherwise).
var sentinels = map[error]string{
	ErrUIDNotFound:       "ERR_UID_NOT_FOUND",
	ErrUIDAlreadyExists:  "ERR_UID_ALREADY_EXISTS",
	ErrBadRequest:        "ERR_BAD_REQUEST",
	ErrEmptyAPIKey:       "AUTH_ERR_EMPTY_APIKEY",
	ErrAPIKeyNotFound:    "AUTH_ERR_APIKEY_NOT_FOUND",
	ErrNoAccess:          "AUTH_ERR_NO_ACCESS",
	ErrPlanQuota:         "ERR_PLAN_QUOTA_RESTRICTION",
	ErrTooManyRequests:   "ERR_TOO_MANY_REQUESTS",
	ErrAuthTokenNotFound: "ERR_AUTH_TOKEN_NOT_FOUND",
	ErrRoleNotFound:      "ERR_ROLE_NOT_FOUND",
	ErrRoleDeleteDenied:  "ERR_ROLE_DELETE_DENIED",
	ErrAlreadyFriend:     "ERR_ALREADY_FRIEND",
	ErrNotAFriend:        "ERR_NOT_A_FRIEND",
	ErrCannotBlockSelf:   "ERR_CANNOT_BLOCK_SELF",
	ErrValidation:        "",
	ErrInvalidResponse:   "",
	ErrResponseTooLarge:  "",
}

func TestAPIError_EachCodeMatchesItsSentinelOnly(t *testing.T) {
	for sentinel, code := range sentinels {
		if code == "" {
			continue
		}
		e := &APIError{StatusCode: 400, Code: code}
		for other := range sentinels {
			assert.Equal(t, other == sentinel, errors.Is(e, other), "%s vs %v", code, other)
		}
	}
}

func TestAPIError_TooManyRequestsMatchesAny429(t *testing.T) {
	assert.ErrorIs(t, &APIError{StatusCode: 429}, ErrTooManyRequests)
	assert.ErrorIs(t, &APIError{StatusCode: 429, Code: "SOMETHING_ELSE"}, ErrTooManyRequests)
	assert.NotErrorIs(t, &APIError{StatusCode: 503}, ErrTooManyRequests)
}

func TestAPIError_FromRecordedBodies(t *testing.T) {
	m := newMock(t)
	m.on("POST", "/users").Reply(400).BodyString(`{"error":{"message":"Failed to validate the data sent with the request.","devMessage":"Failed to validate the data sent with the request.","source":"chat-api","details":{"uid":["The uid field is required."],"name":["The name field is required."]},"code":"ERR_BAD_REQUEST"}}`)
	m.on("GET", "/users/user_000").Reply(404).BodyString(`{"error":{"message":"The UID user_000 does not exist, please make sure you have created a user with UID user_000.","devMessage":"The UID user_000 does not exist, so please make sure you have created a user with UID user_000.","source":"chat-api","code":"ERR_UID_NOT_FOUND"}}`)

	_, err := m.Users.Create(context.Background(), &CreateUserParams{UID: "x", Name: "X"})
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.ErrorIs(t, err, ErrBadRequest)
	assert.Equal(t, map[string][]string{"uid": {"The uid field is required."}, "name": {"The name field is required."}}, apiErr.Details)
	assert.Equal(t, "chat-api", apiErr.Source)

	_, err = m.Users.Get(context.Background(), "user_000")
	require.ErrorAs(t, err, &apiErr)
	assert.ErrorIs(t, err, ErrUIDNotFound)
	assert.Equal(t, 404, apiErr.StatusCode)
	assert.Equal(t, "cometchat: 404 ERR_UID_NOT_FOUND: The UID user_000 does not exist, please make sure you have created a user with UID user_000.", err.Error())
	assert.Contains(t, apiErr.DevMessage, "so please")
}

func TestAPIError_NonJSONAnswers(t *testing.T) {
	tests := []struct {
		status  int
		body    string
		message string
	}{
		{502, "<html><body>502 Bad Gateway</body></html>", "Bad Gateway"},
		{504, "", "Gateway Timeout"},
		{500, `{"error":"not the envelope"}`, "Internal Server Error"},
		{418, "{", "I'm a teapot"},
		{599, "x", ""},
	}
	for _, tt := range tests {
		e := newAPIError(&transport.Response{Status: tt.status, Header: http.Header{}, Body: []byte(tt.body)}, nil)
		assert.Equal(t, tt.status, e.StatusCode)
		assert.Empty(t, e.Code)
		assert.Equal(t, tt.message, e.Message)
		assert.Equal(t, tt.body, e.Body)
		assert.Contains(t, e.Error(), fmt.Sprint(tt.status))
	}
}

func TestAPIError_BodyKeptShortAndValidUTF8(t *testing.T) {
	body := strings.Repeat("é", 3000) // 6,000 bytes; a cut at 2 KiB may fall inside a rune
	e := newAPIError(&transport.Response{Status: 502, Header: http.Header{}, Body: []byte(body)}, nil)
	assert.LessOrEqual(t, len(e.Body), maxKeptBody+3)
	assert.True(t, utf8.ValidString(e.Body))
}

func TestAPIError_RetryAfterOnlyOn429And503(t *testing.T) {
	h := http.Header{"Retry-After": {"12"}}
	for status, want := range map[int]time.Duration{429: 12 * time.Second, 503: 12 * time.Second, 500: 0, 404: 0} {
		e := newAPIError(&transport.Response{Status: status, Header: h}, nil)
		assert.Equal(t, want, e.RetryAfter, status)
	}
	e := newAPIError(&transport.Response{Status: 429, Header: http.Header{"Retry-After": {"7"}}}, nil)
	assert.Equal(t, "cometchat: 429 Too Many Requests (retry after 7s)", e.Error())
}

func TestAPIError_SecretsRedactedEverywhere(t *testing.T) {
	token := "ada_16946800001f2e3d4c5b6a79881f2e3d4c5b6a"
	red := redact.New(testKey, token, "private/surname")
	jsonForm := strings.ReplaceAll(token, "_", `\u005f`)
	body := `{"error":{"message":"The key ` + testKey + ` cannot be used","devMessage":"token ` + token + `","source":"` + testKey + `",` +
		`"code":"` + testKey + `","details":{"` + testKey + `":["` + jsonForm + ` private\/surname"]}}}` + strings.Repeat(" ", maxKeptBody-40) + testKey
	e := newAPIError(&transport.Response{Status: 403, Header: http.Header{}, Body: []byte(body)}, red)
	text := fmt.Sprintf("%v %+v %#v", e, e, *e)
	for _, secret := range []string{testKey, token, "private/surname", "private\\/surname", testKey[:maxKeptBody%40+1]} {
		if len(secret) >= 16 {
			assert.NotContains(t, text, secret)
		}
	}
	assert.Equal(t, "The key [redacted] cannot be used", e.Message)
	assert.Equal(t, map[string][]string{"[redacted]": {"[redacted] [redacted]"}}, e.Details)
	assert.NotContains(t, e.Body, testKey[:20], "no start of a secret left where the 2 KiB cut falls")
}

func TestValidationError_TextAndMatching(t *testing.T) {
	err := error(&ValidationError{Field: "tags[3]", Reason: "must not be empty or blank"})
	assert.Equal(t, "cometchat: invalid tags[3]: must not be empty or blank", err.Error())
	assert.ErrorIs(t, err, ErrValidation)
	assert.NotErrorIs(t, err, ErrBadRequest)
}

func TestRequestError_CauseKeptUnlessItHeldASecret(t *testing.T) {
	cause := &json.SyntaxError{}
	plain := redacted(redact.New(testKey), nil, "cometchat: GET /users: ", cause)
	assert.ErrorIs(t, plain, cause)

	secret := errors.New("malformed header: " + testKey)
	hidden := redacted(redact.New(testKey), ErrInvalidResponse, "cometchat: GET /users: ", secret)
	assert.NotErrorIs(t, hidden, secret, "the raw cause is not reachable")
	assert.ErrorIs(t, hidden, ErrInvalidResponse)
	assert.Equal(t, "cometchat: GET /users: malformed header: [redacted]", hidden.Error())
}

func TestErrors_FailedCallReturnsNilResultForEveryKind(t *testing.T) {
	m := newMock(t, WithMaxRetries(0))
	m.on("GET", "/users/a").Reply(404).BodyString(`{"error":{"code":"ERR_UID_NOT_FOUND"}}`)
	m.on("GET", "/users/b").Reply(200).BodyString(`not json`)
	m.on("GET", "/users/c").Reply(200).BodyString(`{"data":null}`)
	m.on("GET", "/users/d").ReplyError(errors.New("connection reset by peer"))
	for _, uid := range []string{"a", "b", "c", "d", "bad uid"} {
		u, err := m.Users.Get(context.Background(), uid)
		assert.Nil(t, u, uid)
		assert.Error(t, err, uid)
	}
}

func FuzzAPIError_AnyAnswer(f *testing.F) {
	f.Add(404, `{"error":{"code":"ERR_UID_NOT_FOUND","message":"m","details":{"uid":["x"]}}}`, "3")
	f.Add(502, "<html>", "")
	f.Add(429, `{"error":{"message":"key `+testKey+`"}}`, "Wed, 02 Dec 2026 12:00:00 GMT")
	f.Add(400, `{"error":{"details":{"a":"b","c":[1]}}}`, "-1")
	f.Fuzz(func(t *testing.T, status int, body, retryAfter string) {
		if status < 100 || status > 999 {
			return
		}
		resp := &transport.Response{Status: status, Header: http.Header{"Retry-After": {retryAfter}}, Body: []byte(body + testKey)}
		e := newAPIError(resp, redact.New(testKey))
		if e.StatusCode != status || e.RetryAfter < 0 {
			t.Fatalf("status %d, retry after %v", e.StatusCode, e.RetryAfter)
		}
		if strings.Contains(fmt.Sprintf("%+v", *e), testKey) {
			t.Fatal("the key survived")
		}
		_ = e.Error()
	})
}
