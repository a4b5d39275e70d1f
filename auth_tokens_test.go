package cometchat

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/h2non/gock.v1"
)

// specBodyToken is a token object as §5 describes it (uid, authToken,
// createdAt), with the token of the spec's create-user example.
const specBodyToken = `{"data":{"uid":"cometchat-uid-6","authToken":"cometchat-uid-6_16383540156641d37a023c75d26f4c22a21ff126","createdAt":1638354015}}`

func TestAuthTokensCreate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		params *CreateAuthTokenParams
		want   string
	}{
		{"forced", &CreateAuthTokenParams{Force: true}, `{"force":true}`},
		{"not forced", &CreateAuthTokenParams{}, `{}`},
		{"nil params", nil, `{}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			client, mux, _ := setup(t)
			mux.HandleFunc("/users/cometchat-uid-6/auth_tokens", func(w http.ResponseWriter, r *http.Request) {
				testMethod(t, r, http.MethodPost)
				testQuery(t, r, nil)
				testJSONBody(t, r, tt.want)
				replyJSON(w, http.StatusOK, specBodyToken)
			})
			tok, err := client.AuthTokens.Create(context.Background(), "cometchat-uid-6", tt.params)
			require.NoError(t, err)
			assert.Equal(t, "cometchat-uid-6", tok.UID)
			assert.Equal(t, specAuthToken, tok.Token)
			utAssertUnix(t, 1638354015, tok.CreatedAt, "CreatedAt")
			assert.Empty(t, tok.Platform)
			assert.Empty(t, tok.UserAgent)
			assert.Nil(t, tok.AppInfo)
		})
	}
}

func TestAuthTokensList(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		params *ListAuthTokensParams
		want   url.Values
	}{
		{"nil params", nil, nil},
		{"zero params", &ListAuthTokensParams{}, nil},
		{"paged", &ListAuthTokensParams{PerPage: 10, Page: 2}, url.Values{"perPage": {"10"}, "page": {"2"}}},
		{"per page only", &ListAuthTokensParams{PerPage: 1000}, url.Values{"perPage": {"1000"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			client, mux, _ := setup(t)
			mux.HandleFunc("/users/user_000/auth_tokens", func(w http.ResponseWriter, r *http.Request) {
				testMethod(t, r, http.MethodGet)
				testNoBody(t, r)
				testQuery(t, r, tt.want)
				replyJSON(w, http.StatusOK, `{"data":[
					{"uid":"user_000","authToken":"user_000_1694667984aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","createdAt":1694667984,"platform":"ios","userAgent":"MyApp\/1.0 (iPhone)","appInfo":{"version":"1.0","build":42}},
					{"uid":"user_000","authToken":"user_000_1694660000bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb","createdAt":1694660000}],
					"meta":{"pagination":{"total":2,"count":2,"per_page":100,"current_page":1,"total_pages":1}}}`)
			})
			page, err := client.AuthTokens.List(context.Background(), "user_000", tt.params)
			require.NoError(t, err)
			require.Len(t, page.Tokens, 2)
			first := page.Tokens[0]
			assert.Equal(t, "user_000", first.UID)
			assert.Equal(t, "user_000_1694667984aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", first.Token)
			utAssertUnix(t, 1694667984, first.CreatedAt, "CreatedAt")
			assert.Equal(t, "ios", first.Platform)
			assert.Equal(t, "MyApp/1.0 (iPhone)", first.UserAgent)
			assert.Equal(t, map[string]any{"version": "1.0", "build": float64(42)}, first.AppInfo)
			assert.Empty(t, page.Tokens[1].Platform)
			assert.Nil(t, page.Tokens[1].AppInfo)
			assert.Equal(t, Pagination{Total: 2, Count: 2, PerPage: 100, CurrentPage: 1, TotalPages: 1}, page.Pagination)
		})
	}
}

func TestAuthTokensGet_EscapedPath(t *testing.T) {
	t.Parallel()
	tests := []struct {
		token, wantEscaped string
	}{
		{specAuthToken, specAuthToken},
		// Tokens are opaque: whatever they hold is escaped as one segment.
		{"ab%cd?x#y", "ab%25cd%3Fx%23y"},
		{"tök", "t%C3%B6k"},
		{"...", "..."},
		{"a;b,c", "a%3Bb%2Cc"},
	}
	for _, tt := range tests {
		t.Run(tt.token, func(t *testing.T) {
			t.Parallel()
			client, mux, _ := setup(t)
			mux.HandleFunc("/users/user_000/auth_tokens/", func(w http.ResponseWriter, r *http.Request) {
				testMethod(t, r, http.MethodGet)
				testNoBody(t, r)
				testQuery(t, r, nil)
				assert.Equal(t, "/users/user_000/auth_tokens/"+tt.wantEscaped, r.URL.EscapedPath())
				assert.Equal(t, "/users/user_000/auth_tokens/"+tt.token, r.URL.Path, "the server reads the token back unchanged")
				replyJSON(w, http.StatusOK, `{"data":{"uid":"user_000","authToken":"`+strings.ReplaceAll(tt.token, `\`, `\\`)+`","createdAt":1694667984,"platform":"web","userAgent":"Mozilla\/5.0"}}`)
			})
			tok, err := client.AuthTokens.Get(context.Background(), "user_000", tt.token)
			require.NoError(t, err)
			assert.Equal(t, tt.token, tok.Token)
			assert.Equal(t, "web", tok.Platform)
			assert.Equal(t, "Mozilla/5.0", tok.UserAgent)
		})
	}
}

func TestAuthTokensGet_NotFound(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/users/user_000/auth_tokens/nope", func(w http.ResponseWriter, r *http.Request) {
		replyJSON(w, http.StatusNotFound, `{"error":{"message":"Auth token does not exist.","devMessage":"Auth token does not exist.","source":"chat-api","code":"ERR_AUTH_TOKEN_NOT_FOUND"}}`)
	})
	tok, err := client.AuthTokens.Get(context.Background(), "user_000", "nope")
	assert.Nil(t, tok)
	assert.ErrorIs(t, err, ErrAuthTokenNotFound)
	assert.NotErrorIs(t, err, ErrUIDNotFound)
}

func TestAuthTokensUpdate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		params *UpdateAuthTokenParams
		want   string
	}{
		{"nil params", nil, `{}`},
		{"nothing set", &UpdateAuthTokenParams{}, `{}`},
		{"platform only", &UpdateAuthTokenParams{Platform: Ptr("android")}, `{"platform":"android"}`},
		{"everything", &UpdateAuthTokenParams{
			Platform: Ptr("ios"), UserAgent: Ptr("MyApp/1.0 (iPhone)"), AppInfo: map[string]any{"version": "1.0"},
		}, `{"platform":"ios","userAgent":"MyApp/1.0 (iPhone)","appInfo":{"version":"1.0"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			client, mux, _ := setup(t)
			mux.HandleFunc("/users/user_000/auth_tokens/"+specAuthToken, func(w http.ResponseWriter, r *http.Request) {
				testMethod(t, r, http.MethodPut)
				testQuery(t, r, nil)
				testJSONBody(t, r, tt.want)
				replyJSON(w, http.StatusOK, `{"data":{"uid":"user_000","authToken":"`+specAuthToken+`","createdAt":1638354015,"platform":"ios","userAgent":"MyApp\/1.0 (iPhone)","appInfo":{"version":"1.0"}}}`)
			})
			tok, err := client.AuthTokens.Update(context.Background(), "user_000", specAuthToken, tt.params)
			require.NoError(t, err)
			assert.Equal(t, "ios", tok.Platform)
			assert.Equal(t, "MyApp/1.0 (iPhone)", tok.UserAgent)
			assert.Equal(t, map[string]any{"version": "1.0"}, tok.AppInfo)
		})
	}
}

// TestAuthTokensUpdate_EmptyAppInfoReplaces: the SDK documents "a non-nil
// AppInfo replaces the stored one", as a non-nil empty Metadata does for
// Users.Update, so a non-nil empty AppInfo must be sent as {}.
func TestAuthTokensUpdate_EmptyAppInfoReplaces(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/users/user_000/auth_tokens/tok", func(w http.ResponseWriter, r *http.Request) {
		testJSONBody(t, r, `{"appInfo":{}}`)
		replyJSON(w, http.StatusOK, `{"data":{"uid":"user_000","authToken":"tok"}}`)
	})
	_, err := client.AuthTokens.Update(context.Background(), "user_000", "tok", &UpdateAuthTokenParams{AppInfo: map[string]any{}})
	require.NoError(t, err)
}

func TestAuthTokensDelete(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	var hits atomic.Int64
	mux.HandleFunc("/users/user_000/auth_tokens/"+specAuthToken, func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		testMethod(t, r, http.MethodDelete)
		testQuery(t, r, nil)
		testNoBody(t, r)
		replyJSON(w, http.StatusOK, `{"data":{"success":true,"message":"Auth token deleted successfully."}}`)
	})
	require.NoError(t, client.AuthTokens.Delete(context.Background(), "user_000", specAuthToken))
	assert.Equal(t, int64(1), hits.Load())
}

func TestAuthTokensFlush(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	var hits atomic.Int64
	mux.HandleFunc("/users/user_000/auth_tokens", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		testMethod(t, r, http.MethodDelete)
		testQuery(t, r, nil)
		testNoBody(t, r)
		replyJSON(w, http.StatusOK, specBodyFlushTokens)
	})
	require.NoError(t, client.AuthTokens.Flush(context.Background(), "user_000"))
	assert.Equal(t, int64(1), hits.Load())
}

func TestAuthTokensFlush_NotFound(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/users/ghost/auth_tokens", func(w http.ResponseWriter, r *http.Request) {
		replyJSON(w, http.StatusNotFound, specErrUIDNotFound)
	})
	assert.ErrorIs(t, client.AuthTokens.Flush(context.Background(), "ghost"), ErrUIDNotFound)
}

// utAssertNoToken asserts that out shows neither the token nor its secret
// tail (everything past the uid and the creation time).
func utAssertNoToken(t testing.TB, out, token, what string) {
	t.Helper()
	assert.NotEmpty(t, out, what)
	assert.NotContains(t, out, token, what)
	if len(token) > 24 {
		assert.NotContains(t, out, token[len(token)-16:], what+" (token tail)")
	}
}

func TestAuthToken_FormattingNeverShowsToken(t *testing.T) {
	t.Parallel()
	for _, token := range []string{
		specAuthToken,
		"user_000_1694667984aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		"short-secret-token", // too short to keep a prefix
		"user_000_1694667984",
	} {
		t.Run(token, func(t *testing.T) {
			t.Parallel()
			tok := AuthToken{
				UID: "cometchat-uid-6", Token: token, CreatedAt: time.Unix(1638354015, 0),
				Platform: "ios", UserAgent: "MyApp/1.0", AppInfo: map[string]any{"v": "1"},
			}
			page := &AuthTokenPage{Tokens: []*AuthToken{&tok}}
			args := map[string]any{
				"value":   tok,
				"pointer": &tok,
				"page":    page,
				"*page":   *page,
				"slice":   []AuthToken{tok},
				"struct":  struct{ T AuthToken }{tok},
				"map":     map[string]*AuthToken{"t": &tok},
			}
			for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X"} {
				for name, arg := range args {
					out := fmt.Sprintf(verb, arg)
					utAssertNoToken(t, out, token, verb+" of "+name)
					if verb == "%x" || verb == "%X" {
						assert.NotContains(t, strings.ToLower(out), fmt.Sprintf("%x", token), verb+" of "+name+" (hex)")
					}
				}
			}
			for name, s := range map[string]string{"String": tok.String(), "GoString": tok.GoString()} {
				utAssertNoToken(t, s, token, name)
				assert.Contains(t, s, "cometchat-uid-6", "%s still names the user", name)
				assert.True(t, utf8.ValidString(s), "%s is valid UTF-8", name)
			}
			assert.Contains(t, tok.String(), "[redacted]")

			var buf bytes.Buffer
			for _, h := range []slog.Handler{slog.NewTextHandler(&buf, nil), slog.NewJSONHandler(&buf, nil)} {
				l := slog.New(h)
				l.Info("token", "tok", tok, "ptr", &tok)
				l.Info("token", slog.Any("tok", tok), slog.Group("g", slog.Any("t", &tok)))
			}
			l := slog.New(slog.NewTextHandler(&buf, nil))
			l.Info("page", "page", page, "tokens", page.Tokens)
			utAssertNoToken(t, buf.String(), token, "slog")
			assert.Equal(t, slog.KindGroup, tok.LogValue().Kind())
			utAssertNoToken(t, tok.LogValue().String(), token, "LogValue")
		})
	}
}

// TestAuthToken_RedactionKeepsValidUTF8: tokens are opaque, so String must
// not cut one inside a multi-byte character.
func TestAuthToken_RedactionKeepsValidUTF8(t *testing.T) {
	t.Parallel()
	for _, token := range []string{"ünïcödé-tøken-sécret-ünïcödé-tøken-sécret", "ü_ééééééééééééééééééééééé"} {
		tok := AuthToken{UID: "u", Token: token}
		for name, s := range map[string]string{"String": tok.String(), "GoString": tok.GoString(), "LogValue": tok.LogValue().String()} {
			assert.True(t, utf8.ValidString(s), "%s of %q is %q", name, token, s)
			utAssertNoToken(t, s, token, name)
		}
	}
}

// TestAuthTokenPage_SlogJSONNeverShowsToken: slog's JSON handler encodes
// values that are not LogValuers with encoding/json, so logging a page (or
// a slice) of tokens reaches the Token field without going through
// AuthToken.LogValue.
func TestAuthTokenPage_SlogJSONNeverShowsToken(t *testing.T) {
	t.Parallel()
	tok := &AuthToken{UID: "cometchat-uid-6", Token: specAuthToken}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("page", "page", &AuthTokenPage{Tokens: []*AuthToken{tok}})
	utAssertNoToken(t, buf.String(), specAuthToken, "slog JSON of a page")
}

func TestAuthToken_ZeroValueFormatting(t *testing.T) {
	t.Parallel()
	var tok AuthToken
	assert.NotPanics(t, func() {
		_ = tok.String()
		_ = tok.GoString()
		_ = tok.LogValue()
		_ = fmt.Sprintf("%v %+v %#v", tok, &tok, tok)
	})
	var nilTok *AuthToken
	assert.NotPanics(t, func() { _ = fmt.Sprintf("%v %+v", nilTok, nilTok) })
}

// TestAuthTokens_LogAndErrorsNeverShowToken: the token is a path segment of
// Get, Update and Delete. WithLogger promises that auth tokens never reach
// the log, and error messages are routinely logged by callers.
func TestAuthTokens_LogAndErrorsNeverShowToken(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&utLockedWriter{mu: new(sync.Mutex), w: &buf}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	client, mux, _ := setupWith(t, WithLogger(logger), WithMaxRetries(1))
	mux.HandleFunc("/users/user_000/auth_tokens/", func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			replyJSON(w, http.StatusServiceUnavailable, ``) // retried: logged twice
			return
		}
		replyJSON(w, http.StatusOK, `{"data":{"uid":"user_000","authToken":"x"}}`)
	})
	_, err := client.AuthTokens.Get(ctx, "user_000", specAuthToken)
	require.Error(t, err)
	_, err = client.AuthTokens.Update(ctx, "user_000", specAuthToken, nil)
	require.NoError(t, err)
	require.NoError(t, client.AuthTokens.Delete(ctx, "user_000", specAuthToken))
	utAssertNoToken(t, buf.String(), specAuthToken, "log")

	// Errors: a transport failure and a truncated answer.
	hc := &http.Client{Transport: utTransport(func(r *http.Request) (*http.Response, error) {
		if r.Method == http.MethodGet {
			return nil, errors.New("connection reset by peer")
		}
		return utResponse(r, http.StatusOK, nil, `{"data":`), nil
	})}
	offline, err := NewClient(setupAppID, RegionUS, setupAPIKey, WithHTTPClient(hc), WithMaxRetries(0))
	require.NoError(t, err)
	_, getErr := offline.AuthTokens.Get(ctx, "user_000", specAuthToken)
	require.Error(t, getErr)
	_, updErr := offline.AuthTokens.Update(ctx, "user_000", specAuthToken, nil)
	require.ErrorIs(t, updErr, ErrInvalidResponse)
	utAssertNoToken(t, getErr.Error(), specAuthToken, "Get transport error")
	utAssertNoToken(t, updErr.Error(), specAuthToken, "Update decoding error")
}

// TestAuthTokens_Gock runs create and flush against the production host
// name through gock, on a dedicated intercepted http.Client.
func TestAuthTokens_Gock(t *testing.T) {
	// Not parallel: gock's mock registry is global.
	t.Cleanup(gock.Off)
	hc := &http.Client{}
	gock.InterceptClient(hc)
	t.Cleanup(func() { gock.RestoreClient(hc) })

	var created []byte
	gock.New("https://myapp.api-in.cometchat.io").
		Post("/v3/users/cometchat-uid-6/auth_tokens").
		MatchHeader("apikey", "^"+setupAPIKey+"$").
		MatchHeader("Content-Type", "^application/json$").
		AddMatcher(func(r *http.Request, _ *gock.Request) (bool, error) {
			b, err := io.ReadAll(r.Body)
			created = b
			return true, err
		}).
		Reply(http.StatusOK).
		SetHeader("Content-Type", "application/json").
		BodyString(utEscapeSlashes(specBodyToken))
	gock.New("https://myapp.api-in.cometchat.io").
		Delete("/v3/users/cometchat-uid-6/auth_tokens").
		MatchHeader("apikey", "^"+setupAPIKey+"$").
		AddMatcher(func(r *http.Request, _ *gock.Request) (bool, error) {
			return r.Body == nil || r.ContentLength == 0, nil // no body on flush
		}).
		Reply(http.StatusOK).
		SetHeader("Content-Type", "application/json").
		BodyString(specBodyFlushTokens)

	c, err := NewClient("myapp", RegionIN, setupAPIKey, WithHTTPClient(hc), WithMaxRetries(0))
	require.NoError(t, err)
	tok, err := c.AuthTokens.Create(context.Background(), "cometchat-uid-6", &CreateAuthTokenParams{Force: true})
	require.NoError(t, err)
	assert.Equal(t, specAuthToken, tok.Token)
	utAssertUnix(t, 1638354015, tok.CreatedAt, "CreatedAt")
	testJSONBytes(t, created, `{"force":true}`)

	require.NoError(t, c.AuthTokens.Flush(context.Background(), "cometchat-uid-6"))
	assert.True(t, gock.IsDone(), "every mock was called")
	assert.False(t, gock.HasUnmatchedRequest(), "no request went unmatched")
}
