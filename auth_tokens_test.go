package cometchat

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Auth tokens as §5 of users-api.md describes them, with the token of the spec's create-user example.
const (
	specToken       = "cometchat-uid-6_16383540156641d37a023c75d26f4c22a21ff126"
	tokenCreated    = `{"uid":"cometchat-uid-6","authToken":"` + specToken + `","createdAt":1638354015}`
	tokenWithDevice = `{"uid":"cometchat-uid-6","authToken":"` + specToken + `","createdAt":1638354015,"platform":"ios","userAgent":"MyApp\/1.0 (iPhone; iOS 17.0)","appInfo":{"version":"1.0","build":42,"store":"https:\/\/apps.apple.com"}}`
	tokenFlushed    = `{"data":{"success":true,"message":"Cleared Auth Tokens successfully for uid user_000."}}`
	tokenNotFound   = `{"error":{"message":"Auth token does not exist.","devMessage":"Auth token does not exist.","source":"chat-api","code":"ERR_AUTH_TOKEN_NOT_FOUND"}}`
	uidNotFound     = `{"error":{"message":"The UID user_000 does not exist, please make sure you have created a user with UID user_000.","devMessage":"The UID user_000 does not exist, so please make sure you have created a user with UID user_000.","source":"chat-api","code":"ERR_UID_NOT_FOUND"}}`
)

// tokensPage is a list answer holding tokens with the given authToken values.
func tokensPage(tokens []string, page, totalPages int) string {
	items := make([]string, len(tokens))
	for i, tok := range tokens {
		items[i] = `{"uid":"alice","authToken":"` + tok + `","createdAt":` + strconv.Itoa(1694667984-i) + `}`
	}
	return `{"data":[` + strings.Join(items, ",") + `],"meta":{"pagination":{"total":` + strconv.Itoa(totalPages*len(tokens)) +
		`,"count":` + strconv.Itoa(len(tokens)) + `,"per_page":` + strconv.Itoa(len(tokens)) + `,"current_page":` + strconv.Itoa(page) +
		`,"total_pages":` + strconv.Itoa(totalPages) + `}}}`
}

func TestAuthTokensService_Create_SendsForceOnlyWhenSet(t *testing.T) {
	tests := []struct {
		name   string
		params *CreateAuthTokenParams
		want   string
	}{
		{"nil params", nil, `{}`},
		{"not forced", &CreateAuthTokenParams{}, `{}`},
		{"forced", &CreateAuthTokenParams{Force: true}, `{"force":true}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMock(t)
			m.on("POST", "/users/cometchat-uid-6/auth_tokens").Reply(200).BodyString(data(tokenCreated))

			tok, err := m.AuthTokens.Create(context.Background(), "cometchat-uid-6", tt.params)
			require.NoError(t, err)

			req := m.last(t)
			assert.Equal(t, http.MethodPost, req.Method)
			assert.Equal(t, "/users/cometchat-uid-6/auth_tokens", req.Path)
			assert.Empty(t, req.Query)
			assert.Equal(t, "application/json", req.Header.Get("Content-Type"))
			assert.Equal(t, testKey, req.Header.Get("Apikey"))
			assert.JSONEq(t, tt.want, req.Body)
			assert.Len(t, m.requests(), 1)

			assert.Equal(t, &AuthToken{UID: "cometchat-uid-6", Token: specToken, CreatedAt: time.Unix(1638354015, 0).UTC()}, tok)
		})
	}
}

func TestAuthTokensService_Create_Errors(t *testing.T) {
	m := newMock(t)
	m.on("POST", "/users/user_000/auth_tokens").Reply(404).BodyString(uidNotFound)

	tok, err := m.AuthTokens.Create(context.Background(), "user_000", &CreateAuthTokenParams{Force: true})
	assert.Nil(t, tok)
	require.ErrorIs(t, err, ErrUIDNotFound)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 404, apiErr.StatusCode)
	assert.Equal(t, "ERR_UID_NOT_FOUND", apiErr.Code)
	assert.Len(t, m.requests(), 1, "a POST that reached the server is not sent again")
}

func TestAuthTokensService_List_SendsPagingQuery(t *testing.T) {
	tests := []struct {
		name   string
		params *ListAuthTokensParams
		want   url.Values
	}{
		{"nil params", nil, url.Values{}},
		{"zero params", &ListAuthTokensParams{}, url.Values{}},
		{"per page and page", &ListAuthTokensParams{PerPage: 10, Page: 2}, url.Values{"perPage": {"10"}, "page": {"2"}}},
		{"largest page", &ListAuthTokensParams{PerPage: 1000}, url.Values{"perPage": {"1000"}}},
		{"page only", &ListAuthTokensParams{Page: 7}, url.Values{"page": {"7"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMock(t)
			m.on("GET", "/users/alice/auth_tokens").Reply(200).BodyString(tokensPage([]string{"t1"}, 1, 1))

			_, err := m.AuthTokens.List(context.Background(), "alice", tt.params)
			require.NoError(t, err)
			req := m.last(t)
			assert.Equal(t, http.MethodGet, req.Method)
			assert.Equal(t, "/users/alice/auth_tokens", req.Path)
			assert.Equal(t, tt.want, req.Query)
			assert.Empty(t, req.Body)
			assert.Empty(t, req.Header.Get("Content-Type"), "no body, no content type")
		})
	}
}

func TestAuthTokensService_List_DecodesTokensAndPagination(t *testing.T) {
	m := newMock(t)
	m.on("GET", "/users/cometchat-uid-6/auth_tokens").Reply(200).BodyString(`{"data":[` + tokenWithDevice + `,` +
		`{"uid":"cometchat-uid-6","authToken":"cometchat-uid-6_1638000000aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","createdAt":1638000000}],` +
		`"meta":{"pagination":{"total":2,"count":2,"per_page":100,"current_page":1,"total_pages":1}}}`)

	page, err := m.AuthTokens.List(context.Background(), "cometchat-uid-6", nil)
	require.NoError(t, err)
	require.Len(t, page.Tokens, 2)
	assert.Equal(t, &AuthToken{
		UID: "cometchat-uid-6", Token: specToken, CreatedAt: time.Unix(1638354015, 0).UTC(),
		Platform: "ios", UserAgent: "MyApp/1.0 (iPhone; iOS 17.0)",
		AppInfo: map[string]any{"version": "1.0", "build": float64(42), "store": "https://apps.apple.com"},
	}, page.Tokens[0])
	assert.Equal(t, &AuthToken{
		UID: "cometchat-uid-6", Token: "cometchat-uid-6_1638000000aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		CreatedAt: time.Unix(1638000000, 0).UTC(),
	}, page.Tokens[1], "absent fields stay zero")
	assert.Equal(t, Pagination{Total: 2, Count: 2, PerPage: 100, CurrentPage: 1, TotalPages: 1}, page.Pagination)
}

func TestAuthTokensService_List_EmptyPageIsNotAnError(t *testing.T) {
	m := newMock(t)
	m.on("GET", "/users/alice/auth_tokens").Reply(200).
		BodyString(`{"data":[],"meta":{"pagination":{"total":0,"count":0,"per_page":100,"current_page":1,"total_pages":0}}}`)

	page, err := m.AuthTokens.List(context.Background(), "alice", nil)
	require.NoError(t, err)
	assert.Empty(t, page.Tokens)
	assert.Equal(t, Pagination{PerPage: 100, CurrentPage: 1}, page.Pagination)
}

// TestAuthTokensService_AppInfoDecodesLeniently: the OpenAPI file types appInfo as a string, so it may come back as a
// string holding JSON. It is decoded as user metadata is; a value that is not an object never fails the answer.
func TestAuthTokensService_AppInfoDecodesLeniently(t *testing.T) {
	tests := []struct {
		name    string
		appInfo string
		want    map[string]any
	}{
		{"object", `{"version":"1.0","build":42}`, map[string]any{"version": "1.0", "build": float64(42)}},
		{"string holding an object", `"{\"version\":\"1.0\",\"build\":42}"`, map[string]any{"version": "1.0", "build": float64(42)}},
		{"string holding an object with escaped slashes", `"{\"store\":\"https:\\\/\\\/apps.apple.com\"}"`, map[string]any{"store": "https://apps.apple.com"}},
		{"empty object", `{}`, map[string]any{}},
		{"string holding an empty object", `"{}"`, map[string]any{}},
		{"string not holding JSON", `"ios 17"`, nil},
		{"empty string", `""`, nil},
		{"string holding an array", `"[1,2]"`, nil},
		{"array", `[1,2]`, nil},
		{"number", `42`, nil},
		{"boolean", `true`, nil},
		{"null", `null`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			item := `{"uid":"alice","authToken":"alice_1694667984abcdef0123456789","createdAt":1694667984,"platform":"web","appInfo":` + tt.appInfo + `}`
			m := newMock(t)
			m.on("GET", "/users/alice/auth_tokens").Reply(200).
				BodyString(`{"data":[` + item + `],"meta":{"pagination":{"total":1,"count":1,"per_page":100,"current_page":1,"total_pages":1}}}`)
			m.on("GET", "/users/alice/auth_tokens/alice_1694667984abcdef0123456789").Reply(200).BodyString(data(item))

			page, err := m.AuthTokens.List(context.Background(), "alice", nil)
			require.NoError(t, err, "appInfo never fails the page")
			require.Len(t, page.Tokens, 1)
			assert.Equal(t, tt.want, page.Tokens[0].AppInfo)
			assert.Equal(t, "web", page.Tokens[0].Platform, "the other fields still decode")
			assert.Equal(t, "alice_1694667984abcdef0123456789", page.Tokens[0].Token)

			tok, err := m.AuthTokens.Get(context.Background(), "alice", "alice_1694667984abcdef0123456789")
			require.NoError(t, err, "appInfo never fails the answer")
			assert.Equal(t, tt.want, tok.AppInfo)
			assert.Equal(t, "web", tok.Platform)
		})
	}
}

// TestAuthTokensService_AnswerWithoutDataIsInvalidResponse: a 2xx answer without the data a method returns is an
// error matching ErrInvalidResponse, never an empty success.
func TestAuthTokensService_AnswerWithoutDataIsInvalidResponse(t *testing.T) {
	calls := map[string]struct {
		method, path string
		call         func(c *Client) (any, error)
	}{
		"List": {"GET", "/users/alice/auth_tokens", func(c *Client) (any, error) {
			return c.AuthTokens.List(context.Background(), "alice", nil)
		}},
		"Create": {"POST", "/users/alice/auth_tokens", func(c *Client) (any, error) {
			return c.AuthTokens.Create(context.Background(), "alice", nil)
		}},
		"Get": {"GET", "/users/alice/auth_tokens/" + specToken, func(c *Client) (any, error) {
			return c.AuthTokens.Get(context.Background(), "alice", specToken)
		}},
		"Update": {"PUT", "/users/alice/auth_tokens/" + specToken, func(c *Client) (any, error) {
			return c.AuthTokens.Update(context.Background(), "alice", specToken, &UpdateAuthTokenParams{Platform: Ptr("ios")})
		}},
	}
	for name, c := range calls {
		for body, answer := range answersWithoutData(name == "List") {
			t.Run(name+"/"+body, func(t *testing.T) {
				m := newMock(t)
				m.on(c.method, c.path).Reply(200).BodyString(answer)

				got, err := c.call(m.Client)
				assert.Nil(t, got)
				require.ErrorIs(t, err, ErrInvalidResponse)
				var apiErr *APIError
				assert.False(t, errors.As(err, &apiErr), "a 2xx answer is not an *APIError")
				assert.NotErrorIs(t, err, ErrValidation)
				assertNoSecret(t, err.Error(), specToken)
			})
		}
	}
}

func TestAuthTokensService_All_WalksEveryPage(t *testing.T) {
	m := newMock(t)
	m.on("GET", "/users/alice/auth_tokens").Reply(200).BodyString(tokensPage([]string{"t1", "t2"}, 1, 3))
	m.on("GET", "/users/alice/auth_tokens").Reply(200).BodyString(tokensPage([]string{"t3", "t4"}, 2, 3))
	m.on("GET", "/users/alice/auth_tokens").Reply(200).BodyString(tokensPage([]string{"t5"}, 3, 3))
	params := &ListAuthTokensParams{PerPage: 2}

	var got []string
	for tok, err := range m.AuthTokens.All(context.Background(), "alice", params) {
		require.NoError(t, err)
		got = append(got, tok.Token)
	}
	assert.Equal(t, []string{"t1", "t2", "t3", "t4", "t5"}, got)
	reqs := m.requests()
	require.Len(t, reqs, 3)
	for i, req := range reqs {
		assert.Equal(t, http.MethodGet, req.Method)
		assert.Equal(t, "/users/alice/auth_tokens", req.Path)
		assert.Equal(t, url.Values{"perPage": {"2"}, "page": {strconv.Itoa(i + 1)}}, req.Query)
	}
	assert.Equal(t, ListAuthTokensParams{PerPage: 2}, *params, "the caller's params are not changed")
}

func TestAuthTokensService_All_StartsAtPageAndStopsWhenTheLoopBreaks(t *testing.T) {
	m := newMock(t)
	m.on("GET", "/users/alice/auth_tokens").Reply(200).BodyString(tokensPage([]string{"t3"}, 3, 9))
	m.on("GET", "/users/alice/auth_tokens").Reply(200).BodyString(tokensPage([]string{"t4"}, 4, 9))

	var got []string
	for tok, err := range m.AuthTokens.All(context.Background(), "alice", &ListAuthTokensParams{Page: 3}) {
		require.NoError(t, err)
		got = append(got, tok.Token)
		if len(got) == 2 {
			break
		}
	}
	assert.Equal(t, []string{"t3", "t4"}, got)
	reqs := m.requests()
	require.Len(t, reqs, 2, "no page is fetched after the loop breaks")
	assert.Equal(t, "3", reqs[0].Query.Get("page"))
	assert.Equal(t, "4", reqs[1].Query.Get("page"))
}

func TestAuthTokensService_All_YieldsAFailureOnceAndStops(t *testing.T) {
	m := newMock(t)
	m.on("GET", "/users/alice/auth_tokens").Reply(200).BodyString(tokensPage([]string{"t1"}, 1, 3))
	m.on("GET", "/users/alice/auth_tokens").Reply(404).BodyString(uidNotFound) // the user was deleted meanwhile

	var toks []*AuthToken
	var errs []error
	for tok, err := range m.AuthTokens.All(context.Background(), "alice", nil) {
		toks, errs = append(toks, tok), append(errs, err)
	}
	require.Len(t, errs, 2)
	assert.NoError(t, errs[0])
	assert.Equal(t, "t1", toks[0].Token)
	assert.Nil(t, toks[1])
	assert.ErrorIs(t, errs[1], ErrUIDNotFound)
	assert.Len(t, m.requests(), 2, "page 3 is never asked for")
}

func TestAuthTokensService_All_AnswerWithoutDataYieldsInvalidResponse(t *testing.T) {
	m := newMock(t)
	m.on("GET", "/users/alice/auth_tokens").Reply(200).BodyString(`{"data":null}`)

	n := 0
	for tok, err := range m.AuthTokens.All(context.Background(), "alice", nil) {
		n++
		assert.Nil(t, tok)
		assert.ErrorIs(t, err, ErrInvalidResponse)
	}
	assert.Equal(t, 1, n, "the failure is yielded once")
}

// TestAuthTokensService_RejectsInvalidUIDAndPagingBeforeSending: List and All check the uid and the paging; Create
// and Flush the uid.
func TestAuthTokensService_RejectsInvalidUIDAndPagingBeforeSending(t *testing.T) {
	tests := []struct {
		name   string
		uid    string
		params *ListAuthTokensParams
		field  string
	}{
		{"empty uid", "", nil, "uid"},
		{"uid with a slash", "a/b", nil, "uid"},
		{"uid with a space", "a b", nil, "uid"},
		{"uid with a dot segment", "..", nil, "uid"},
		{"uid too long", strings.Repeat("a", 101), nil, "uid"},
		{"negative per page", "alice", &ListAuthTokensParams{PerPage: -1}, "perPage"},
		{"per page above 1000", "alice", &ListAuthTokensParams{PerPage: 1001}, "perPage"},
		{"negative page", "alice", &ListAuthTokensParams{Page: -1}, "page"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMock(t)
			page, err := m.AuthTokens.List(context.Background(), tt.uid, tt.params)
			assert.Nil(t, page)
			requireValidationField(t, err, tt.field)

			n := 0
			for tok, err := range m.AuthTokens.All(context.Background(), tt.uid, tt.params) {
				n++
				assert.Nil(t, tok)
				requireValidationField(t, err, tt.field)
			}
			assert.Equal(t, 1, n)

			if tt.field == "uid" {
				requireValidationField(t, m.AuthTokens.Flush(context.Background(), tt.uid), "uid")
				tok, err := m.AuthTokens.Create(context.Background(), tt.uid, &CreateAuthTokenParams{Force: true})
				assert.Nil(t, tok)
				requireValidationField(t, err, "uid")
			}
			assert.Empty(t, m.requests())
		})
	}
}

// TestAuthTokensService_TokenIsEscapedAsOnePathSegment: tokens are opaque; whatever they hold is sent as one
// escaped path segment, read back unchanged by the server.
func TestAuthTokensService_TokenIsEscapedAsOnePathSegment(t *testing.T) {
	tests := []struct{ token, escaped string }{
		{specToken, specToken},
		{"ab%cd", "ab%25cd"},
		{"100%", "100%25"},
		{"tök€n", "t%C3%B6k%E2%82%ACn"},
		{"a?b#c", "a%3Fb%23c"},
		{"a;b,c", "a%3Bb%2Cc"},
		{"...", "..."},
		{".x", ".x"},
	}
	calls := map[string]struct {
		method string
		call   func(c *Client, token string) error
		body   string
	}{
		"Get": {"GET", func(c *Client, token string) error {
			_, err := c.AuthTokens.Get(context.Background(), "user_000", token)
			return err
		}, ""},
		"Update": {"PUT", func(c *Client, token string) error {
			_, err := c.AuthTokens.Update(context.Background(), "user_000", token, &UpdateAuthTokenParams{Platform: Ptr("web")})
			return err
		}, `{"platform":"web"}`},
		"Delete": {"DELETE", func(c *Client, token string) error {
			return c.AuthTokens.Delete(context.Background(), "user_000", token)
		}, ""},
	}
	for name, c := range calls {
		for _, tt := range tests {
			t.Run(name+"/"+tt.token, func(t *testing.T) {
				answer, _ := json.Marshal(tt.token)
				m := newMock(t)
				m.on(c.method, "/users/user_000/auth_tokens/"+tt.escaped).Reply(200).
					BodyString(data(`{"uid":"user_000","authToken":` + string(answer) + `,"createdAt":1694667984,"platform":"web"}`))

				require.NoError(t, c.call(m.Client, tt.token))
				req := m.last(t)
				assert.Equal(t, c.method, req.Method)
				assert.Equal(t, "/users/user_000/auth_tokens/"+tt.escaped, req.Path)
				assert.Empty(t, req.Query)
				if c.body == "" {
					assert.Empty(t, req.Body)
				} else {
					assert.JSONEq(t, c.body, req.Body)
				}
				assert.Len(t, m.requests(), 1)
			})
		}
	}
}

func TestAuthTokensService_Get_DecodesTheToken(t *testing.T) {
	m := newMock(t)
	m.on("GET", "/users/cometchat-uid-6/auth_tokens/"+specToken).Reply(200).BodyString(data(tokenWithDevice))

	tok, err := m.AuthTokens.Get(context.Background(), "cometchat-uid-6", specToken)
	require.NoError(t, err)
	assert.Equal(t, &AuthToken{
		UID: "cometchat-uid-6", Token: specToken, CreatedAt: time.Unix(1638354015, 0).UTC(),
		Platform: "ios", UserAgent: "MyApp/1.0 (iPhone; iOS 17.0)",
		AppInfo: map[string]any{"version": "1.0", "build": float64(42), "store": "https://apps.apple.com"},
	}, tok)
	req := m.last(t)
	assert.Equal(t, http.MethodGet, req.Method)
	assert.Empty(t, req.Body)
}

func TestAuthTokensService_Get_NotFound(t *testing.T) {
	tests := map[string]struct {
		answer string
		is     error
		isNot  error
	}{
		"unknown token": {tokenNotFound, ErrAuthTokenNotFound, ErrUIDNotFound},
		"unknown user":  {uidNotFound, ErrUIDNotFound, ErrAuthTokenNotFound},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			m := newMock(t)
			m.on("GET", "/users/user_000/auth_tokens/nope").Reply(404).BodyString(tt.answer)

			tok, err := m.AuthTokens.Get(context.Background(), "user_000", "nope")
			assert.Nil(t, tok)
			assert.ErrorIs(t, err, tt.is)
			assert.NotErrorIs(t, err, tt.isNot)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, 404, apiErr.StatusCode)
			assert.Equal(t, "chat-api", apiErr.Source)
			assert.Len(t, m.requests(), 1, "a 404 is not retried")
		})
	}
}

// TestAuthTokensService_TokenPath_RejectsUnsafeTokensBeforeSending: a token that could leave its path segment, or
// that is no printable text, is a *ValidationError and nothing is sent.
func TestAuthTokensService_TokenPath_RejectsUnsafeTokensBeforeSending(t *testing.T) {
	rejected := map[string]string{
		"empty":          "",
		"dot":            ".",
		"dot dot":        "..",
		"slash":          "a/b",
		"traversal":      "../../users",
		"leading slash":  "/tok",
		"backslash":      `a\b`,
		"space":          "a b",
		"tab":            "a\tb",
		"newline":        "a\nb",
		"header split":   "tok\r\nX-Evil: 1",
		"NUL":            "a\x00b",
		"DEL":            "a\x7fb",
		"invalid UTF-8":  "a\xffb",
		"no-break space": "a\u00a0b",
		"too long":       strings.Repeat("t", 1025),
	}
	for name, token := range rejected {
		t.Run(name, func(t *testing.T) {
			m := newMock(t)
			ctx := context.Background()
			got, err := m.AuthTokens.Get(ctx, "alice", token)
			assert.Nil(t, got)
			requireValidationField(t, err, "token")
			got, err = m.AuthTokens.Update(ctx, "alice", token, &UpdateAuthTokenParams{Platform: Ptr("ios")})
			assert.Nil(t, got)
			requireValidationField(t, err, "token")
			requireValidationField(t, m.AuthTokens.Delete(ctx, "alice", token), "token")
			assert.Empty(t, m.requests())
		})
	}
}

func TestAuthTokensService_TokenPath_AcceptsTheLongestToken(t *testing.T) {
	token := strings.Repeat("t", 1024)
	m := newMock(t)
	m.on("DELETE", "/users/alice/auth_tokens/"+token).Reply(200).BodyString(`{"data":{"success":true}}`)

	require.NoError(t, m.AuthTokens.Delete(context.Background(), "alice", token))
	assert.Len(t, m.requests(), 1)
}

func TestAuthTokensService_TokenPath_ValidatesTheUIDFirst(t *testing.T) {
	m := newMock(t)
	for _, uid := range []string{"", "a/b", "ali ce", strings.Repeat("u", 101)} {
		_, err := m.AuthTokens.Get(context.Background(), uid, specToken)
		requireValidationField(t, err, "uid")
		_, err = m.AuthTokens.Update(context.Background(), uid, specToken, nil)
		requireValidationField(t, err, "uid")
		requireValidationField(t, m.AuthTokens.Delete(context.Background(), uid, specToken), "uid")
	}
	assert.Empty(t, m.requests())
}

// TestAuthTokensService_Update_SendsOnlyTheFieldsSet: nil fields are not sent; a non-nil AppInfo, even empty, is
// sent and replaces the stored one; a non-nil empty string is sent.
func TestAuthTokensService_Update_SendsOnlyTheFieldsSet(t *testing.T) {
	tests := []struct {
		name   string
		params *UpdateAuthTokenParams
		want   string
	}{
		{"nil params", nil, `{}`},
		{"nothing set", &UpdateAuthTokenParams{}, `{}`},
		{"platform only", &UpdateAuthTokenParams{Platform: Ptr("android")}, `{"platform":"android"}`},
		{"user agent only", &UpdateAuthTokenParams{UserAgent: Ptr("MyApp/2.0")}, `{"userAgent":"MyApp/2.0"}`},
		{"empty platform is sent", &UpdateAuthTokenParams{Platform: Ptr("")}, `{"platform":""}`},
		{"empty app info replaces", &UpdateAuthTokenParams{AppInfo: map[string]any{}}, `{"appInfo":{}}`},
		{"everything", &UpdateAuthTokenParams{
			Platform: Ptr("ios"), UserAgent: Ptr("MyApp/1.0 (iPhone)"), AppInfo: map[string]any{"version": "1.0", "beta": true},
		}, `{"platform":"ios","userAgent":"MyApp/1.0 (iPhone)","appInfo":{"version":"1.0","beta":true}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMock(t)
			m.on("PUT", "/users/cometchat-uid-6/auth_tokens/"+specToken).Reply(200).BodyString(data(tokenWithDevice))

			tok, err := m.AuthTokens.Update(context.Background(), "cometchat-uid-6", specToken, tt.params)
			require.NoError(t, err)
			req := m.last(t)
			assert.Equal(t, http.MethodPut, req.Method)
			assert.Equal(t, "/users/cometchat-uid-6/auth_tokens/"+specToken, req.Path)
			assert.Empty(t, req.Query)
			assert.Equal(t, "application/json", req.Header.Get("Content-Type"))
			assert.JSONEq(t, tt.want, req.Body)

			assert.Equal(t, "ios", tok.Platform)
			assert.Equal(t, "MyApp/1.0 (iPhone; iOS 17.0)", tok.UserAgent)
			assert.Equal(t, map[string]any{"version": "1.0", "build": float64(42), "store": "https://apps.apple.com"}, tok.AppInfo)
			assert.Equal(t, specToken, tok.Token)
		})
	}
}

// TestAuthTokensService_Update_SendsTextAsGiven: CometChat stores what it receives, so "<", ">" and "&" are not
// HTML-escaped in the body.
func TestAuthTokensService_Update_SendsTextAsGiven(t *testing.T) {
	m := newMock(t)
	m.on("PUT", "/users/alice/auth_tokens/"+specToken).Reply(200).BodyString(data(tokenCreated))

	_, err := m.AuthTokens.Update(context.Background(), "alice", specToken, &UpdateAuthTokenParams{
		UserAgent: Ptr("Agent <x> & y"), AppInfo: map[string]any{"note": "<b>"},
	})
	require.NoError(t, err)
	body := m.last(t).Body
	assert.Contains(t, body, `"Agent <x> & y"`)
	assert.Contains(t, body, `"<b>"`)
}

func TestAuthTokensService_Update_DoesNotChangeTheParams(t *testing.T) {
	m := newMock(t)
	m.on("PUT", "/users/alice/auth_tokens/"+specToken).Reply(200).BodyString(data(tokenCreated))
	params := &UpdateAuthTokenParams{Platform: Ptr("ios"), AppInfo: map[string]any{"v": "1"}}

	_, err := m.AuthTokens.Update(context.Background(), "alice", specToken, params)
	require.NoError(t, err)
	assert.Equal(t, "ios", *params.Platform)
	assert.Nil(t, params.UserAgent)
	assert.Equal(t, map[string]any{"v": "1"}, params.AppInfo)
}

func TestAuthTokensService_Delete_SendsNoBody(t *testing.T) {
	m := newMock(t)
	m.on("DELETE", "/users/user_000/auth_tokens/"+specToken).Reply(200).
		BodyString(`{"data":{"success":true,"message":"Auth token deleted successfully."}}`)

	require.NoError(t, m.AuthTokens.Delete(context.Background(), "user_000", specToken))
	req := m.last(t)
	assert.Equal(t, http.MethodDelete, req.Method)
	assert.Equal(t, "/users/user_000/auth_tokens/"+specToken, req.Path)
	assert.Empty(t, req.Query)
	assert.Empty(t, req.Body)
	assert.Empty(t, req.Header.Get("Content-Type"))
	assert.Len(t, m.requests(), 1)
}

func TestAuthTokensService_Delete_NotFound(t *testing.T) {
	m := newMock(t)
	m.on("DELETE", "/users/user_000/auth_tokens/"+specToken).Reply(404).BodyString(tokenNotFound)

	err := m.AuthTokens.Delete(context.Background(), "user_000", specToken)
	assert.ErrorIs(t, err, ErrAuthTokenNotFound)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "Auth token does not exist.", apiErr.Message)
}

func TestAuthTokensService_Flush_SendsNoBody(t *testing.T) {
	m := newMock(t)
	m.on("DELETE", "/users/user_000/auth_tokens").Reply(200).BodyString(tokenFlushed)

	require.NoError(t, m.AuthTokens.Flush(context.Background(), "user_000"))
	req := m.last(t)
	assert.Equal(t, http.MethodDelete, req.Method)
	assert.Equal(t, "/users/user_000/auth_tokens", req.Path)
	assert.Empty(t, req.Query)
	assert.Empty(t, req.Body)
	assert.Len(t, m.requests(), 1)
}

func TestAuthTokensService_Flush_UnknownUser(t *testing.T) {
	m := newMock(t)
	m.on("DELETE", "/users/ghost/auth_tokens").Reply(404).BodyString(uidNotFound)

	err := m.AuthTokens.Flush(context.Background(), "ghost")
	assert.ErrorIs(t, err, ErrUIDNotFound)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 404, apiErr.StatusCode)
}

// echoingTokens are tokens the SDK accepts, each with what makes an echo of it hard to redact: JSON escapes (`"`,
// `\u003c`), a `%` escaped in a path.
var echoingTokens = []string{
	"alice_1700000000c0ffee0123456789abcdef",
	`alice_1700000000<c0ffee>&"0123456789`,
	"alice_1700000000%c0ffee%0123456789",
}

// TestAuthTokensService_ErrorAnswerNeverShowsTheToken: a 404 may echo the token of the path, raw or JSON-escaped;
// the token appears in no field of the error.
func TestAuthTokensService_ErrorAnswerNeverShowsTheToken(t *testing.T) {
	for _, token := range echoingTokens {
		t.Run(token, func(t *testing.T) {
			goJSON, php := jsonInner(token), phpJSONInner(token)
			answer := `{"error":{"message":"Auth token ` + goJSON + ` does not exist.","devMessage":"Token ` + php + ` (` + url.PathEscape(token) + `)",` +
				`"source":"chat-api","code":"ERR_AUTH_TOKEN_NOT_FOUND","details":{"` + php + `":["` + goJSON + ` is unknown"]}},"echo":"` + php + `"}`
			path := "/users/alice/auth_tokens/" + url.PathEscape(token)
			m := newMock(t)
			m.on("GET", path).Reply(404).BodyString(answer)
			m.on("PUT", path).Reply(404).BodyString(answer)
			m.on("DELETE", path).Reply(404).BodyString(answer)

			_, getErr := m.AuthTokens.Get(context.Background(), "alice", token)
			_, updErr := m.AuthTokens.Update(context.Background(), "alice", token, &UpdateAuthTokenParams{Platform: Ptr("ios")})
			delErr := m.AuthTokens.Delete(context.Background(), "alice", token)
			for name, err := range map[string]error{"Get": getErr, "Update": updErr, "Delete": delErr} {
				require.ErrorIs(t, err, ErrAuthTokenNotFound, "%s: redaction keeps the error matchable", name)
				var apiErr *APIError
				require.ErrorAs(t, err, &apiErr)
				assertNoSecret(t, err.Error(), token)
				assertNoSecret(t, fmt.Sprintf("%v %+v %#v", err, *apiErr, *apiErr), token)
				assertNoSecret(t, apiErr.Body, token)
				for k, msgs := range apiErr.Details {
					assertNoSecret(t, k+" "+strings.Join(msgs, " "), token)
				}
				assert.Contains(t, apiErr.Message, "[redacted]", name)
			}
		})
	}
}

// TestAuthTokensService_TransportFailureNeverShowsTheToken: a network failure's text (net/http quotes the URL)
// never shows the token of the path.
func TestAuthTokensService_TransportFailureNeverShowsTheToken(t *testing.T) {
	for _, token := range append(echoingTokens, "alice_1700000000tökenétrange0123456789") {
		t.Run(token, func(t *testing.T) {
			path := "/users/alice/auth_tokens/" + url.PathEscape(token)
			m := newMock(t, WithMaxRetries(0))
			m.on("GET", path).ReplyError(fmt.Errorf("read tcp 10.0.0.1:443: connection reset by peer (request for %s, token %s)", path, token))
			m.on("DELETE", path).ReplyError(errors.New("connection reset by peer"))

			tok, err := m.AuthTokens.Get(context.Background(), "alice", token)
			assert.Nil(t, tok)
			require.Error(t, err)
			assert.NotErrorIs(t, err, ErrValidation)
			assertNoSecret(t, err.Error(), token)
			assertNoSecret(t, fmt.Sprintf("%+v %#v", err, err), token)
			assert.Contains(t, err.Error(), "/users/alice/auth_tokens/[redacted]", "the call is named, its token redacted")

			err = m.AuthTokens.Delete(context.Background(), "alice", token)
			require.Error(t, err)
			assertNoSecret(t, err.Error(), token)
		})
	}
}

// TestAuthTokensService_LogsNeverShowTheToken: WithLogger's lines name a call by its path with the token redacted,
// retries included.
func TestAuthTokensService_LogsNeverShowTheToken(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		for _, token := range echoingTokens {
			var logs bytes.Buffer
			logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			path := "/users/alice/auth_tokens/" + url.PathEscape(token)
			m := newMock(t, WithLogger(logger))
			m.on("GET", path).Reply(503).BodyString(`{"error":{"message":"Token ` + jsonInner(token) + ` unavailable","code":"ERR_MISSION_FAILED"}}`)
			m.on("GET", path).Reply(200).BodyString(data(`{"uid":"alice","authToken":` + strconv.Quote(token) + `}`))
			m.on("PUT", path).Reply(404).BodyString(tokenNotFound)
			m.on("DELETE", path).Reply(200).BodyString(`{"data":{"success":true}}`)

			_, err := m.AuthTokens.Get(context.Background(), "alice", token)
			require.NoError(t, err)
			_, err = m.AuthTokens.Update(context.Background(), "alice", token, &UpdateAuthTokenParams{Platform: Ptr("ios")})
			require.ErrorIs(t, err, ErrAuthTokenNotFound)
			require.NoError(t, m.AuthTokens.Delete(context.Background(), "alice", token))

			assert.Contains(t, logs.String(), "retrying")
			assert.Contains(t, logs.String(), "/users/alice/auth_tokens/[redacted]")
			assertNoSecret(t, logs.String(), token)
			assert.Len(t, m.requests(), 4)
		}
	})
}

// TestAuthTokensService_UnusableAnswerNeverShowsTheToken: a 2xx answer that is cut off, malformed or without data is
// named by its call with the token redacted.
func TestAuthTokensService_UnusableAnswerNeverShowsTheToken(t *testing.T) {
	for _, answer := range []string{`{"data":{"uid":"alice","authToken":"` + specToken, `{"data":null}`, `{"data":[]}`, `not json ` + specToken} {
		t.Run(answer, func(t *testing.T) {
			m := newMock(t)
			m.on("PUT", "/users/alice/auth_tokens/"+specToken).Reply(200).BodyString(answer)

			tok, err := m.AuthTokens.Update(context.Background(), "alice", specToken, &UpdateAuthTokenParams{Platform: Ptr("ios")})
			assert.Nil(t, tok)
			require.ErrorIs(t, err, ErrInvalidResponse)
			assertNoSecret(t, err.Error(), specToken)
			assert.Contains(t, err.Error(), "/users/alice/auth_tokens/[redacted]")
		})
	}
}

func TestAuthTokensService_CancelledContext(t *testing.T) {
	m := newMock(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()

	tok, err := m.AuthTokens.Get(ctx, "alice", specToken)
	assert.Nil(t, tok)
	assert.ErrorIs(t, err, context.Canceled)
	assertNoSecret(t, err.Error(), specToken)
	page, err := m.AuthTokens.List(ctx, "alice", nil)
	assert.Nil(t, page)
	assert.ErrorIs(t, err, context.Canceled)
}

// unencodable are values encoding/json refuses: the security issue's NaN and its relatives.
var unencodable = map[string]map[string]any{
	"NaN":                 {"v": math.NaN()},
	"+Inf":                {"v": math.Inf(1)},
	"-Inf":                {"v": math.Inf(-1)},
	"nested NaN":          {"device": map[string]any{"scores": []any{1.0, math.NaN()}}},
	"channel":             {"v": make(chan int)},
	"function":            {"v": func() {}},
	"complex number":      {"v": complex(1, 2)},
	"invalid json.Number": {"v": json.Number("not-a-number")},
	"invalid RawMessage":  {"v": json.RawMessage(`{`)},
	"failing Marshaler":   {"v": failingMarshaler{}},
	"cycle":               cyclic(),
}

type failingMarshaler struct{}

func (failingMarshaler) MarshalJSON() ([]byte, error) { return nil, errors.New("cannot encode") }

func cyclic() map[string]any {
	m := map[string]any{}
	m["self"] = m
	return m
}

// TestUnencodableParams_AreValidationErrorsAndSendNothing pins a security issue: AuthTokens.Update with an AppInfo
// that cannot be encoded (a NaN) returned an error naming the raw path, token included, and not a
// *ValidationError. Unencodable input is a *ValidationError with no request sent, for every params type, and the
// error text shows no token.
func TestUnencodableParams_AreValidationErrorsAndSendNothing(t *testing.T) {
	calls := map[string]struct {
		field string
		call  func(c *Client, v map[string]any) (any, error)
	}{
		"AuthTokens.Update": {"appInfo", func(c *Client, v map[string]any) (any, error) {
			return c.AuthTokens.Update(context.Background(), "alice", specToken, &UpdateAuthTokenParams{Platform: Ptr("ios"), AppInfo: v})
		}},
		"Users.Create": {"metadata", func(c *Client, v map[string]any) (any, error) {
			return c.Users.Create(context.Background(), &CreateUserParams{UID: "alice", Name: "Alice", Metadata: v})
		}},
		"Users.Update": {"metadata", func(c *Client, v map[string]any) (any, error) {
			return c.Users.Update(context.Background(), "alice", &UpdateUserParams{Name: Ptr("Alice"), Metadata: v})
		}},
		"Roles.Create": {"metadata", func(c *Client, v map[string]any) (any, error) {
			return c.Roles.Create(context.Background(), &CreateRoleParams{ID: "manager", Name: "Manager", Metadata: v})
		}},
		"Roles.Update": {"metadata", func(c *Client, v map[string]any) (any, error) {
			return c.Roles.Update(context.Background(), "manager", &UpdateRoleParams{Name: Ptr("Manager"), Metadata: v})
		}},
		"Client.Do": {"body", func(c *Client, v map[string]any) (any, error) {
			return nil, c.Do(context.Background(), http.MethodPut, "/users/alice/auth_tokens/"+specToken, nil, v, nil)
		}},
		"Client.Do with a struct body": {"body", func(c *Client, v map[string]any) (any, error) {
			body := struct {
				AppInfo map[string]any `json:"appInfo"`
			}{v}
			return nil, c.Do(context.Background(), http.MethodPut, "/users/alice/auth_tokens/"+specToken, nil, body, new(map[string]any))
		}},
	}
	for name, c := range calls {
		for what, v := range unencodable {
			t.Run(name+"/"+what, func(t *testing.T) {
				m := newMock(t)
				got, err := c.call(m.Client, v)
				assert.Nil(t, got)
				requireValidationField(t, err, c.field)
				assertNoSecret(t, err.Error(), specToken)
				assert.NotContains(t, err.Error(), "auth_tokens", "the error does not name the path")
				assert.Empty(t, m.requests())
			})
		}
	}
}

// CometChat's PHP server escapes non-ASCII text as \uXXXX: the token must be redacted in that form too.
func TestAuthTokensService_ErrorAnswerNeverShowsTheToken_PHPEscapedUnicode(t *testing.T) {
	const token = "alice_1700000000tökenétrange0123456789"
	m := newMock(t)
	m.on("GET", "/users/alice/auth_tokens/alice_1700000000t%C3%B6ken%C3%A9trange0123456789").Reply(404).
		BodyString(`{"error":{"message":"Auth token ` + phpJSONInner(token) + ` does not exist.","source":"chat-api","code":"ERR_AUTH_TOKEN_NOT_FOUND"}}`)
	_, err := m.AuthTokens.Get(context.Background(), "alice", token)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assertNoSecret(t, err.Error(), token)
	assertNoSecret(t, apiErr.Body, token)
	assertNoSecret(t, fmt.Sprintf("%+v", apiErr), token)
}
