package cometchat

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/h2non/gock.v1"
)

// utCodeSentinel is one sentinel matched by an API error code, with the
// status the spec gives that code (§2).
type utCodeSentinel struct {
	name   string
	err    error
	code   string
	status int
}

// utCodeSentinels lists every code of the spec's error table (§2, and the
// data import's of §7) with its sentinel.
var utCodeSentinels = []utCodeSentinel{
	{"ErrBadRequest", ErrBadRequest, "ERR_BAD_REQUEST", 400},
	{"ErrUIDAlreadyExists", ErrUIDAlreadyExists, "ERR_UID_ALREADY_EXISTS", 400},
	{"ErrEmptyAPIKey", ErrEmptyAPIKey, "AUTH_ERR_EMPTY_APIKEY", 401},
	{"ErrAPIKeyNotFound", ErrAPIKeyNotFound, "AUTH_ERR_APIKEY_NOT_FOUND", 401},
	{"ErrEmptyAppID", ErrEmptyAppID, "AUTH_ERR_EMPTY_APPID", 401},
	{"ErrInvalidAppID", ErrInvalidAppID, "AUTH_ERR_INVALID_APPID", 401},
	{"ErrPlanQuota", ErrPlanQuota, "ERR_PLAN_QUOTA_RESTRICTION", 402},
	{"ErrNoAccess", ErrNoAccess, "AUTH_ERR_NO_ACCESS", 403},
	{"ErrUIDNotFound", ErrUIDNotFound, "ERR_UID_NOT_FOUND", 404},
	{"ErrAuthTokenNotFound", ErrAuthTokenNotFound, "ERR_AUTH_TOKEN_NOT_FOUND", 404},
	{"ErrAPINotFound", ErrAPINotFound, "ERR_API_NOT_FOUND", 404},
	{"ErrTooManyRequests", ErrTooManyRequests, "ERR_TOO_MANY_REQUESTS", 429},
	{"ErrMissionFailed", ErrMissionFailed, "ERR_MISSION_FAILED", 500},
	{"ErrOperationFailed", ErrOperationFailed, "ERR_OPERATION_FAILED", 500},
	{"ErrException", ErrException, "ERR_EXCEPTION", 500},
	{"ErrUIDDeleteFailed", ErrUIDDeleteFailed, "ERR_UID_DELETE_FAILED", 500},
	{"ErrAuthTokenDeleteFailed", ErrAuthTokenDeleteFailed, "ERR_AUTH_TOKEN_DELETE_FAILED", 500},
	{"ErrAuthTokensDeleteFailed", ErrAuthTokensDeleteFailed, "ERR_AUTH_TOKENS_DELETE_FAILED", 500},
	{"ErrRoleNotFound", ErrRoleNotFound, "ERR_ROLE_NOT_FOUND", 400},
	{"ErrPlanRestriction", ErrPlanRestriction, "ERR_PLAN_RESTRICTION", 403},
	{"ErrSubscriptionExpired", ErrSubscriptionExpired, "ERR_SUBSCRIPTION_EXPIRED", 403},
	{"ErrInvalidAPIVersion", ErrInvalidAPIVersion, "ERR_INVALID_API_VERSION", 400},
	{"ErrBadErrorResponse", ErrBadErrorResponse, "ERR_BAD_ERROR_RESPONSE", 500},
	{"ErrWSUserCreationFailed", ErrWSUserCreationFailed, "ERR_WS_USER_CREATION_FAILED", 500},
	{"ErrWSUserUpdationFailed", ErrWSUserUpdationFailed, "ERR_WS_USER_UPDATION_FAILED", 500},
	{"ErrImportInvalidUserFormat", ErrImportInvalidUserFormat, "ERR_IMPORT_INVALID_USER_FORMAT", 400},
}

// utOtherSentinels are the exported sentinels no API error code matches.
var utOtherSentinels = map[string]error{
	"ErrValidation":       ErrValidation,
	"ErrInvalidResponse":  ErrInvalidResponse,
	"ErrResponseTooLarge": ErrResponseTooLarge,
}

// utAllSentinels is every exported Err* sentinel by name.
func utAllSentinels() map[string]error {
	all := make(map[string]error, len(utCodeSentinels)+len(utOtherSentinels))
	for _, s := range utCodeSentinels {
		all[s.name] = s.err
	}
	for name, err := range utOtherSentinels {
		all[name] = err
	}
	return all
}

// TestSentinels_TableCoversEveryExportedSentinel parses the package's
// source, so a sentinel added later without a row here fails this test.
func TestSentinels_TableCoversEveryExportedSentinel(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	var declared []string
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		require.NoError(t, err)
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.VAR {
				continue
			}
			for _, spec := range gd.Specs {
				for _, id := range spec.(*ast.ValueSpec).Names {
					if strings.HasPrefix(id.Name, "Err") && id.IsExported() {
						declared = append(declared, id.Name)
					}
				}
			}
		}
	}
	sort.Strings(declared)
	var tabled []string
	for name := range utAllSentinels() {
		tabled = append(tabled, name)
	}
	sort.Strings(tabled)
	assert.Equal(t, declared, tabled, "every exported Err* sentinel must be in utCodeSentinels or utOtherSentinels")

	texts := map[string]string{}
	for name, err := range utAllSentinels() {
		require.NotNil(t, err, name)
		msg := err.Error()
		assert.NotEmpty(t, msg, name)
		if other, dup := texts[msg]; dup {
			t.Errorf("%s and %s have the same text %q", name, other, msg)
		}
		texts[msg] = name
	}
}

func TestAPIError_EveryCodeMatchesItsSentinelOnly(t *testing.T) {
	t.Parallel()
	for _, tt := range utCodeSentinels {
		t.Run(tt.code, func(t *testing.T) {
			t.Parallel()
			client, mux, _ := setupWith(t, WithMaxRetries(0))
			body := fmt.Sprintf(`{"error":{"message":"msg of %[1]s","devMessage":"dev of %[1]s","source":"chat-api","code":%[1]q}}`, tt.code)
			mux.HandleFunc("/users/user_000", func(w http.ResponseWriter, r *http.Request) {
				replyJSON(w, tt.status, body)
			})
			u, err := client.Users.Get(context.Background(), "user_000")
			assert.Nil(t, u)
			require.Error(t, err)

			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.status, apiErr.StatusCode)
			assert.Equal(t, tt.code, apiErr.Code)
			assert.Equal(t, "msg of "+tt.code, apiErr.Message)
			assert.Equal(t, "dev of "+tt.code, apiErr.DevMessage)
			assert.Equal(t, "chat-api", apiErr.Source)
			assert.Equal(t, body, apiErr.Body)

			for name, s := range utAllSentinels() {
				if s == tt.err {
					assert.ErrorIs(t, err, s, "%s must match %s", tt.code, name)
				} else {
					assert.NotErrorIs(t, err, s, "%s must not match %s", tt.code, name)
				}
			}
			// Wrapping keeps the match.
			assert.ErrorIs(t, fmt.Errorf("creating user: %w", err), tt.err)
		})
	}
}

func TestAPIError_MatchesByCodeWhateverTheStatus(t *testing.T) {
	t.Parallel()
	client, mux, _ := setupWith(t, WithMaxRetries(0))
	mux.HandleFunc("/users/user_000", func(w http.ResponseWriter, r *http.Request) {
		replyJSON(w, http.StatusBadRequest, specErrUIDNotFound) // a 404 code on a 400
	})
	_, err := client.Users.Get(context.Background(), "user_000")
	assert.ErrorIs(t, err, ErrUIDNotFound)
	assert.NotErrorIs(t, err, ErrBadRequest, "matching is by code, not by status")
}

func TestAPIError_SpecBodies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		body        string
		status      int
		sentinel    error
		code, msg   string
		wantDetails map[string][]string
	}{
		{specErrUIDAlreadyExists, 400, ErrUIDAlreadyExists, "ERR_UID_ALREADY_EXISTS",
			"The uid user_000 already exists. Please use another uid or try after permanently deleting the user.", nil},
		{specErrUIDNotFound, 404, ErrUIDNotFound, "ERR_UID_NOT_FOUND",
			"The UID user_000 does not exist, please make sure you have created a user with UID user_000.", nil},
		{specErrBadRequest, 400, ErrBadRequest, "ERR_BAD_REQUEST",
			"Failed to validate the data sent with the request.",
			map[string][]string{"uid": {"The uid field is required."}, "name": {"The name field is required."}}},
		{specErrNoAccess, 403, ErrNoAccess, "AUTH_ERR_NO_ACCESS",
			"The key 1234567890 cannot be used to perform this operation. Please use API key with a correct scope to perform the operation.", nil},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			t.Parallel()
			client, mux, _ := setupWith(t, WithMaxRetries(0))
			mux.HandleFunc("/users", func(w http.ResponseWriter, r *http.Request) {
				replyJSON(w, tt.status, tt.body)
			})
			u, err := client.Users.Create(context.Background(), &CreateUserParams{UID: "user_000", Name: "User"})
			assert.Nil(t, u)
			require.ErrorIs(t, err, tt.sentinel)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.status, apiErr.StatusCode)
			assert.Equal(t, tt.code, apiErr.Code)
			assert.Equal(t, tt.msg, apiErr.Message)
			assert.Equal(t, "chat-api", apiErr.Source)
			assert.Equal(t, tt.wantDetails, apiErr.Details)
			assert.Zero(t, apiErr.RetryAfter)

			// Error() names the status, the code and the message.
			msg := err.Error()
			assert.Contains(t, msg, strconv.Itoa(tt.status))
			assert.Contains(t, msg, tt.code)
			assert.Contains(t, msg, tt.msg)
		})
	}
}

func TestAPIError_TooManyRequestsByStatusWithAnyBody(t *testing.T) {
	t.Parallel()
	for name, body := range map[string]string{
		"empty":        ``,
		"html":         `<html><body><h1>429 Too Many Requests</h1></body></html>`,
		"plain":        `slow down`,
		"json no code": `{"error":{"message":"slow down"}}`,
		"other json":   `{"message":"Too Many Attempts."}`,
		"spec code":    `{"error":{"message":"Too many requests","source":"chat-api","code":"ERR_TOO_MANY_REQUESTS"}}`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			client, mux, _ := setupWith(t, WithMaxRetries(0))
			mux.HandleFunc("/users/user_000", func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(http.StatusTooManyRequests)
				_, _ = w.Write([]byte(body))
			})
			_, err := client.Users.Get(context.Background(), "user_000")
			assert.ErrorIs(t, err, ErrTooManyRequests)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, http.StatusTooManyRequests, apiErr.StatusCode)
			assert.Contains(t, err.Error(), "429")
			for sname, s := range utAllSentinels() {
				if s != ErrTooManyRequests {
					assert.NotErrorIs(t, err, s, "a 429 must not match %s", sname)
				}
			}
		})
	}
}

func TestAPIError_DetailsForms(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		details string
		want    map[string][]string
	}{
		{"arrays", `{"uid":["The uid field is required."],"tags.0":["The tags.0 field is required."]}`,
			map[string][]string{"uid": {"The uid field is required."}, "tags.0": {"The tags.0 field is required."}}},
		{"single strings", `{"avatar":"The avatar must be a valid URL.","name":["The name field must have a value."]}`,
			map[string][]string{"avatar": {"The avatar must be a valid URL."}, "name": {"The name field must have a value."}}},
		{"odd values are skipped", `{"uid":5,"name":["ok"],"x":{"y":1}}`, map[string][]string{"name": {"ok"}}},
		{"not an object", `"oops"`, nil},
		{"empty object", `{}`, nil},
		{"null", `null`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			client, mux, _ := setupWith(t, WithMaxRetries(0))
			mux.HandleFunc("/users", func(w http.ResponseWriter, r *http.Request) {
				replyJSON(w, http.StatusBadRequest, `{"error":{"message":"Failed to validate the data sent with the request.","source":"chat-api","code":"ERR_BAD_REQUEST","details":`+tt.details+`}}`)
			})
			_, err := client.Users.Create(context.Background(), &CreateUserParams{UID: "a", Name: "A"})
			require.ErrorIs(t, err, ErrBadRequest, "odd details must not lose the code")
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			if tt.want == nil {
				assert.Empty(t, apiErr.Details)
			} else {
				assert.Equal(t, tt.want, apiErr.Details)
			}
		})
	}
}

func TestAPIError_RetryAfter(t *testing.T) {
	t.Parallel()
	date := func(d time.Duration) func(time.Time) string {
		return func(now time.Time) string { return now.Add(d).UTC().Format(http.TimeFormat) }
	}
	unix := func(d time.Duration) func(time.Time) string {
		return func(now time.Time) string { return strconv.FormatInt(now.Add(d).Unix(), 10) }
	}
	fixed := func(v string) func(time.Time) string { return func(time.Time) string { return v } }
	tests := []struct {
		name   string
		status int
		header map[string]func(now time.Time) string // built when the server answers
		want   time.Duration
	}{
		{"Retry-After seconds", 429, map[string]func(time.Time) string{"Retry-After": fixed("7")}, 7 * time.Second},
		{"Retry-After HTTP date", 429, map[string]func(time.Time) string{"Retry-After": date(90 * time.Second)}, 90 * time.Second},
		{"X-RateLimit-Reset", 429, map[string]func(time.Time) string{"X-RateLimit-Reset": unix(60 * time.Second)}, 60 * time.Second},
		{"X-Rate-Limit-Reset", 429, map[string]func(time.Time) string{"X-Rate-Limit-Reset": unix(45 * time.Second)}, 45 * time.Second},
		{"Retry-After wins over reset", 429, map[string]func(time.Time) string{"Retry-After": fixed("7"), "X-RateLimit-Reset": unix(60 * time.Second)}, 7 * time.Second},
		{"503 Retry-After", 503, map[string]func(time.Time) string{"Retry-After": fixed("12")}, 12 * time.Second},
		{"date in the past", 429, map[string]func(time.Time) string{"Retry-After": date(-time.Hour)}, 0},
		{"no header", 429, nil, 0},
		{"garbage", 429, map[string]func(time.Time) string{"Retry-After": fixed("soon")}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			client, mux, _ := setupWith(t, WithMaxRetries(0))
			// One fixed clock for the server and the client: the waits are
			// exact however long the answer takes under load.
			now := time.Now().Truncate(time.Second)
			client.now = func() time.Time { return now }
			mux.HandleFunc("/users/user_000", func(w http.ResponseWriter, r *http.Request) {
				for k, v := range tt.header {
					w.Header().Set(k, v(now))
				}
				replyJSON(w, tt.status, `{"error":{"message":"Too many requests","source":"chat-api","code":"ERR_TOO_MANY_REQUESTS"}}`)
			})
			_, err := client.Users.Get(context.Background(), "user_000")
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.want, apiErr.RetryAfter)
		})
	}
}

func TestAPIError_NonJSONBodies(t *testing.T) {
	t.Parallel()
	const html = `<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>`
	tests := []struct {
		name   string
		status int
		ctype  string
		body   string
	}{
		{"HTML 502 from a proxy", 502, "text/html", html},
		{"empty 503", 503, "", ""},
		{"empty 500", 500, "", ""},
		{"plain 404 from a router", 404, "text/plain", "404 page not found"},
		{"JSON of another shape", 500, "application/json", `{"message":"Internal Server Error"}`},
		{"truncated JSON error", 400, "application/json", `{"error":{"code":"ERR_BAD_REQ`},
		{"error not an object", 400, "application/json", `{"error":"ERR_BAD_REQUEST"}`},
		{"binary", 504, "application/octet-stream", "\x00\xff\xfe garbage \xc3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			client, mux, _ := setupWith(t, WithMaxRetries(0))
			mux.HandleFunc("/users/user_000", func(w http.ResponseWriter, r *http.Request) {
				if tt.ctype != "" {
					w.Header().Set("Content-Type", tt.ctype)
				}
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			})
			u, err := client.Users.Get(context.Background(), "user_000")
			assert.Nil(t, u)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr, "any non-2xx answer is an *APIError")
			assert.Equal(t, tt.status, apiErr.StatusCode)
			assert.Empty(t, apiErr.Code)
			assert.NotEmpty(t, apiErr.Message, "the status text stands in for the message")
			assert.Contains(t, err.Error(), strconv.Itoa(tt.status))
			assert.True(t, strings.HasPrefix(err.Error(), "cometchat: "), err.Error())
			if tt.name == "HTML 502 from a proxy" {
				assert.Contains(t, apiErr.Body, "nginx", "Body keeps the raw answer for debugging")
			}
			for name, s := range utAllSentinels() {
				assert.NotErrorIs(t, err, s, "a body without a code must not match %s", name)
			}
		})
	}
}

func TestAPIError_LongBodyIsBounded(t *testing.T) {
	t.Parallel()
	client, mux, _ := setupWith(t, WithMaxRetries(0))
	long := strings.Repeat("<p>overloaded</p>", 1<<16) // about 1 MiB
	mux.HandleFunc("/users/user_000", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte(long))
	})
	_, err := client.Users.Get(context.Background(), "user_000")
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusBadGateway, apiErr.StatusCode)
	assert.Less(t, len(apiErr.Body), 64<<10, "APIError.Body keeps only the start of the answer")
	assert.Less(t, len(err.Error()), 4<<10, "Error() stays short")
}

func TestInvalidResponse_2xxBodies(t *testing.T) {
	t.Parallel()
	for name, body := range map[string]string{
		"truncated JSON":  `{"data":{"uid":"user_000","name":"Us`,
		"truncated list":  `{"data":[{"uid":"a"},`,
		"HTML":            `<html><body>OK</body></html>`,
		"empty":           ``,
		"wrong data type": `{"data":"user_000"}`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			client, mux, _ := setupWith(t, WithMaxRetries(0))
			mux.HandleFunc("/users/user_000", func(w http.ResponseWriter, r *http.Request) {
				replyJSON(w, http.StatusOK, body)
			})
			mux.HandleFunc("/users", func(w http.ResponseWriter, r *http.Request) {
				replyJSON(w, http.StatusOK, body)
			})
			ctx := context.Background()
			u, err := client.Users.Get(ctx, "user_000")
			assert.Nil(t, u)
			assert.ErrorIs(t, err, ErrInvalidResponse)
			var apiErr *APIError
			assert.False(t, errors.As(err, &apiErr), "a 2xx is not an *APIError")

			u, err = client.Users.Create(ctx, &CreateUserParams{UID: "user_000", Name: "U"})
			assert.Nil(t, u)
			assert.ErrorIs(t, err, ErrInvalidResponse)

			if name != "wrong data type" {
				page, err := client.Users.List(ctx, nil)
				assert.Nil(t, page)
				assert.ErrorIs(t, err, ErrInvalidResponse)
			}
		})
	}
}

// TestInvalidResponse_ConnectionCutMidBody: the server promises more bytes
// than it sends and hangs up.
func TestInvalidResponse_ConnectionCutMidBody(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	var hits atomic.Int64
	cut := func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		hj, ok := w.(http.Hijacker)
		if !assert.True(t, ok) {
			return
		}
		conn, buf, err := hj.Hijack()
		if !assert.NoError(t, err) {
			return
		}
		defer conn.Close()
		_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{\"data\":{\"uid\":\"user_000\"")
		_ = buf.Flush()
	}
	mux.HandleFunc("/users/user_000", cut)
	mux.HandleFunc("/users", cut)

	u, err := client.Users.Get(context.Background(), "user_000")
	assert.Nil(t, u)
	assert.ErrorIs(t, err, ErrInvalidResponse)

	before := hits.Load()
	u, err = client.Users.Create(context.Background(), &CreateUserParams{UID: "user_000", Name: "U"})
	assert.Nil(t, u)
	assert.ErrorIs(t, err, ErrInvalidResponse)
	assert.Equal(t, before+1, hits.Load(), "a POST that reached the server is not retried")
}

func TestResponseTooLarge(t *testing.T) {
	t.Parallel()
	client, mux, _ := setupWith(t, WithMaxResponseBytes(256), WithMaxRetries(0))
	mux.HandleFunc("/users/user_000", func(w http.ResponseWriter, r *http.Request) {
		replyJSON(w, http.StatusOK, `{"data":{"uid":"user_000","name":"`+strings.Repeat("x", 4096)+`"}}`)
	})
	u, err := client.Users.Get(context.Background(), "user_000")
	assert.Nil(t, u)
	assert.ErrorIs(t, err, ErrResponseTooLarge)
	assert.NotErrorIs(t, err, ErrInvalidResponse)
}

// utKeyEchoBodies are error answers echoing the caller's API key, as
// CometChat does in AUTH_ERR_NO_ACCESS and AUTH_ERR_APIKEY_NOT_FOUND.
var utKeyEchoBodies = map[string]struct {
	status int
	body   string
	err    error
}{
	"AUTH_ERR_NO_ACCESS (spec body)": {403, strings.ReplaceAll(specErrNoAccess, "1234567890", setupAPIKey), ErrNoAccess},
	"AUTH_ERR_APIKEY_NOT_FOUND":      {401, `{"error":{"message":"The API key ` + setupAPIKey + ` does not exist.","devMessage":"The key ` + setupAPIKey + ` was not found for the app utapp.","source":"chat-api","code":"AUTH_ERR_APIKEY_NOT_FOUND","details":{"apikey":["` + setupAPIKey + ` is invalid"]}}}`, ErrAPIKeyNotFound},
	"non-JSON echo":                  {401, `<html>bad key ` + setupAPIKey + `</html>`, nil},
}

func TestAPIError_EchoedKeyIsRedacted(t *testing.T) {
	t.Parallel()
	for name, tt := range utKeyEchoBodies {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			client, mux, _ := setupWith(t, WithMaxRetries(0))
			mux.HandleFunc("/users/user_000", func(w http.ResponseWriter, r *http.Request) {
				replyJSON(w, tt.status, tt.body)
			})
			_, err := client.Users.Get(context.Background(), "user_000")
			require.Error(t, err)
			if tt.err != nil {
				assert.ErrorIs(t, err, tt.err, "redaction must keep the code")
			}
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.status, apiErr.StatusCode)

			for what, s := range map[string]string{
				"Error()":    err.Error(),
				"Message":    apiErr.Message,
				"DevMessage": apiErr.DevMessage,
				"Body":       apiErr.Body,
				"Details":    fmt.Sprint(apiErr.Details),
				"%v":         fmt.Sprintf("%v", err),
				"%+v":        fmt.Sprintf("%+v", err),
				"%#v":        fmt.Sprintf("%#v", err),
				"%#v value":  fmt.Sprintf("%#v", *apiErr),
				"%+v value":  fmt.Sprintf("%+v", *apiErr),
			} {
				assert.NotContains(t, s, setupAPIKey, what)
			}
			if tt.err != nil {
				assert.Contains(t, apiErr.Message, "[redacted]", "the message keeps its sense")
			}
		})
	}
}

func TestAPIError_KeyInCodeIsRedacted(t *testing.T) {
	t.Parallel()
	client, mux, _ := setupWith(t, WithMaxRetries(0))
	mux.HandleFunc("/users/user_000", func(w http.ResponseWriter, r *http.Request) {
		replyJSON(w, http.StatusUnauthorized, `{"error":{"message":"denied","source":"chat-api","code":"`+setupAPIKey+`"}}`)
	})
	_, err := client.Users.Get(context.Background(), "user_000")
	require.Error(t, err)
	assert.NotContains(t, err.Error(), setupAPIKey)
	assert.NotContains(t, fmt.Sprintf("%#v", err), setupAPIKey)
}

func TestAPIError_ErrorText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err  *APIError
		want []string
	}{
		{&APIError{StatusCode: 404, Code: "ERR_UID_NOT_FOUND", Message: "The UID x does not exist."},
			[]string{"404", "ERR_UID_NOT_FOUND", "The UID x does not exist."}},
		{&APIError{StatusCode: 502, Message: "Bad Gateway"}, []string{"502"}},
		{&APIError{StatusCode: 429, Code: "ERR_TOO_MANY_REQUESTS", Message: "slow", RetryAfter: 7 * time.Second},
			[]string{"429", "ERR_TOO_MANY_REQUESTS", "slow"}},
		{&APIError{Code: "ERR_BAD_REQUEST", Message: "per-user import failure"}, []string{"ERR_BAD_REQUEST", "per-user import failure"}},
	}
	for _, tt := range tests {
		msg := tt.err.Error()
		assert.True(t, strings.HasPrefix(msg, "cometchat: "), msg)
		for _, w := range tt.want {
			assert.Contains(t, msg, w)
		}
	}
	// Is works on a bare value too, without a request.
	assert.ErrorIs(t, &APIError{StatusCode: 429}, ErrTooManyRequests)
	assert.ErrorIs(t, &APIError{StatusCode: 404, Code: "ERR_UID_NOT_FOUND"}, ErrUIDNotFound)
	assert.NotErrorIs(t, &APIError{StatusCode: 404}, ErrUIDNotFound)
	assert.NotErrorIs(t, &APIError{StatusCode: 400}, ErrValidation)
	assert.NotErrorIs(t, &APIError{Code: "ERR_UID_NOT_FOUND"}, errors.New("ERR_UID_NOT_FOUND"))
}

func TestValidationError_Text(t *testing.T) {
	t.Parallel()
	err := error(&ValidationError{Field: "tags[3]", Reason: "must not be empty or blank"})
	assert.Equal(t, "cometchat: invalid tags[3]: must not be empty or blank", err.Error())
	assert.ErrorIs(t, err, ErrValidation)
	for _, s := range utCodeSentinels {
		assert.NotErrorIs(t, err, s.err, s.name)
	}
	assert.NotErrorIs(t, err, ErrInvalidResponse)
}

func TestContext_Canceled(t *testing.T) {
	t.Parallel()

	t.Run("before the call", func(t *testing.T) {
		t.Parallel()
		client, mux, _ := setup(t)
		mux.HandleFunc("/users/user_000", func(w http.ResponseWriter, r *http.Request) {
			replyJSON(w, http.StatusOK, `{"data":{"uid":"user_000"}}`)
		})
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		u, err := client.Users.Get(ctx, "user_000")
		assert.Nil(t, u)
		assert.ErrorIs(t, err, context.Canceled)
		assert.NotErrorIs(t, err, context.DeadlineExceeded)
	})

	t.Run("while the server answers", func(t *testing.T) {
		t.Parallel()
		client, mux, _ := setup(t)
		ctx, cancel := context.WithCancel(context.Background())
		release := make(chan struct{})
		t.Cleanup(func() { close(release) }) // runs before the server closes
		var hits atomic.Int64
		mux.HandleFunc("/users/user_000", func(w http.ResponseWriter, r *http.Request) {
			hits.Add(1)
			cancel() // the caller gives up while the request is in flight
			select {
			case <-r.Context().Done():
			case <-release:
			}
		})
		u, err := client.Users.Get(ctx, "user_000")
		assert.Nil(t, u)
		assert.ErrorIs(t, err, context.Canceled)
		assert.Equal(t, int64(1), hits.Load(), "a canceled call is not retried")
	})

	t.Run("between pages of All", func(t *testing.T) {
		t.Parallel()
		client, mux, _ := setup(t)
		var hits atomic.Int64
		mux.HandleFunc("/users", func(w http.ResponseWriter, r *http.Request) {
			hits.Add(1)
			replyJSON(w, http.StatusOK, `{"data":[{"uid":"a"}],"meta":{"pagination":{"total":3,"count":1,"per_page":1,"current_page":`+r.URL.Query().Get("page")+`,"total_pages":3}}}`)
		})
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var errs []error
		n := 0
		for u, err := range client.Users.All(ctx, nil) {
			n++
			if err != nil {
				errs = append(errs, err)
				continue
			}
			assert.NotNil(t, u)
			cancel()
		}
		require.Len(t, errs, 1, "the context error is yielded once")
		assert.ErrorIs(t, errs[0], context.Canceled)
		assert.Equal(t, 2, n)
	})
}

func TestContext_Deadline(t *testing.T) {
	t.Parallel()
	for _, viaOption := range []bool{false, true} {
		t.Run(fmt.Sprintf("WithTimeout=%v", viaOption), func(t *testing.T) {
			t.Parallel()
			var opts []Option
			ctx := context.Background()
			if viaOption {
				opts = append(opts, WithTimeout(50*time.Millisecond))
			} else {
				deadlineCtx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
				defer cancel()
				ctx = deadlineCtx
			}
			client, mux, _ := setupWith(t, opts...)
			release := make(chan struct{})
			t.Cleanup(func() { close(release) })
			mux.HandleFunc("/users/user_000", func(w http.ResponseWriter, r *http.Request) {
				select { // hang until the client gives up
				case <-r.Context().Done():
				case <-release:
				}
			})
			u, err := client.Users.Get(ctx, "user_000")
			assert.Nil(t, u)
			assert.ErrorIs(t, err, context.DeadlineExceeded)
			assert.NotErrorIs(t, err, context.Canceled)
		})
	}
}

func TestTransportError_IsWrappedWithoutSecrets(t *testing.T) {
	t.Parallel()
	hc := &http.Client{Transport: utTransport(func(r *http.Request) (*http.Response, error) {
		return nil, errors.New("dial tcp: connection refused")
	})}
	client, err := NewClient(setupAppID, RegionUS, setupAPIKey, WithHTTPClient(hc), WithMaxRetries(0))
	require.NoError(t, err)
	page, err := client.Users.List(context.Background(), &ListUsersParams{SearchKey: "private-search-term"})
	assert.Nil(t, page)
	require.Error(t, err)
	var apiErr *APIError
	assert.False(t, errors.As(err, &apiErr), "no answer: not an *APIError")
	assert.Contains(t, err.Error(), "connection refused")
	assert.NotContains(t, err.Error(), setupAPIKey)
	assert.NotContains(t, err.Error(), "private-search-term", "the query may hold personal data")
}

// TestAPIError_Gock maps answers of the production host, mocked by gock on a
// dedicated http.Client, to their sentinels.
func TestAPIError_Gock(t *testing.T) {
	// Not parallel: gock's mock registry is global.
	t.Cleanup(gock.Off)
	hc := &http.Client{}
	gock.InterceptClient(hc)
	t.Cleanup(func() { gock.RestoreClient(hc) })

	gock.New("https://myapp.api-us.cometchat.io").
		Get("/v3/users/user_000").
		Reply(http.StatusNotFound).
		SetHeader("Content-Type", "application/json").
		SetHeader("X-RateLimit-Remaining", "42").
		BodyString(specErrUIDNotFound)
	gock.New("https://myapp.api-us.cometchat.io").
		Post("/v3/users").
		Reply(http.StatusTooManyRequests).
		SetHeader("Retry-After", "30").
		BodyString(`<html>rate limited</html>`)

	c, err := NewClient("myapp", RegionUS, setupAPIKey, WithHTTPClient(hc), WithRetryWait(time.Millisecond, 5*time.Millisecond))
	require.NoError(t, err)

	u, err := c.Users.Get(context.Background(), "user_000")
	assert.Nil(t, u)
	assert.ErrorIs(t, err, ErrUIDNotFound)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 42, apiErr.RateLimit.Remaining)

	// A Retry-After beyond the retry wait's max comes back at once.
	u, err = c.Users.Create(context.Background(), &CreateUserParams{UID: "user_000", Name: "U"})
	assert.Nil(t, u)
	assert.ErrorIs(t, err, ErrTooManyRequests)
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 30*time.Second, apiErr.RetryAfter)
	assert.True(t, gock.IsDone())
}
