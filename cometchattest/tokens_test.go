package cometchattest

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/gocometchat/cometchat"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestServer_SDK_AuthTokens(t *testing.T) {
	srv, c, clk := setupSDK(t)
	ctx := context.Background()
	_, err := c.Users.Create(ctx, &cometchat.CreateUserParams{UID: "user_000", Name: "A"})
	require.NoError(t, err)

	first, err := c.AuthTokens.Create(ctx, "USER_000", nil)
	require.NoError(t, err)
	assert.Equal(t, "user_000", first.UID)
	assert.Regexp(t, `^user_000_1700000000[0-9a-f]{30}$`, first.Token)
	assert.True(t, first.CreatedAt.Equal(epoch))
	assert.NotContains(t, fmt.Sprintf("%v %+v %#v %s", first, first, first, first), first.Token[10:], "tokens are redacted when printed")

	clk.Advance(time.Second)
	same, err := c.AuthTokens.Create(ctx, "user_000", &cometchat.CreateAuthTokenParams{})
	require.NoError(t, err)
	assert.Equal(t, first.Token, same.Token)
	second, err := c.AuthTokens.Create(ctx, "user_000", &cometchat.CreateAuthTokenParams{Force: true})
	require.NoError(t, err)
	assert.NotEqual(t, first.Token, second.Token)

	page, err := c.AuthTokens.List(ctx, "user_000", nil)
	require.NoError(t, err)
	assert.Equal(t, []string{second.Token, first.Token}, tokenValues(page.Tokens))
	assert.Equal(t, cometchat.Pagination{Total: 2, Count: 2, PerPage: 100, CurrentPage: 1, TotalPages: 1}, page.Pagination)
	page, err = c.AuthTokens.List(ctx, "user_000", &cometchat.ListAuthTokensParams{PerPage: 1, Page: 2})
	require.NoError(t, err)
	assert.Equal(t, []string{first.Token}, tokenValues(page.Tokens))

	for range 3 {
		clk.Advance(time.Second)
		_, err := c.AuthTokens.Create(ctx, "user_000", &cometchat.CreateAuthTokenParams{Force: true})
		require.NoError(t, err)
	}
	var all []*cometchat.AuthToken
	for tok, err := range c.AuthTokens.All(ctx, "user_000", &cometchat.ListAuthTokensParams{PerPage: 2}) {
		require.NoError(t, err)
		all = append(all, tok)
	}
	assert.Equal(t, srv.Tokens("user_000"), tokenValues(all))
	assert.Equal(t, 2+3, srv.RequestCountFor(http.MethodGet, "/users/user_000/auth_tokens"), "2 List calls before, 3 pages of 2 now")

	got, err := c.AuthTokens.Get(ctx, "user_000", second.Token)
	require.NoError(t, err)
	assert.Equal(t, second.Token, got.Token)
	up, err := c.AuthTokens.Update(ctx, "user_000", second.Token, &cometchat.UpdateAuthTokenParams{
		Platform: cometchat.Ptr("ios"), UserAgent: cometchat.Ptr("App/1.0"), AppInfo: map[string]any{"version": "1.0"},
	})
	require.NoError(t, err)
	assert.Equal(t, "ios", up.Platform)
	assert.Equal(t, "App/1.0", up.UserAgent)
	assert.Equal(t, map[string]any{"version": "1.0"}, up.AppInfo)
	up, err = c.AuthTokens.Update(ctx, "user_000", second.Token, nil)
	require.NoError(t, err)
	assert.Equal(t, "ios", up.Platform, "nil params change nothing")

	require.NoError(t, c.AuthTokens.Delete(ctx, "user_000", second.Token))
	_, err = c.AuthTokens.Get(ctx, "user_000", second.Token)
	assert.ErrorIs(t, err, cometchat.ErrAuthTokenNotFound)
	assert.ErrorIs(t, c.AuthTokens.Delete(ctx, "user_000", second.Token), cometchat.ErrAuthTokenNotFound)

	require.NoError(t, c.AuthTokens.Flush(ctx, "user_000"))
	page, err = c.AuthTokens.List(ctx, "user_000", nil)
	require.NoError(t, err)
	assert.Empty(t, page.Tokens)
	assert.ErrorIs(t, c.AuthTokens.Flush(ctx, "nobody"), cometchat.ErrUIDNotFound)
	_, err = c.AuthTokens.List(ctx, "nobody", nil)
	assert.ErrorIs(t, err, cometchat.ErrUIDNotFound)
}

func tokenValues(tokens []*cometchat.AuthToken) []string {
	var out []string
	for _, t := range tokens {
		out = append(out, t.Token)
	}
	return out
}

func TestServer_AuthTokens_Lifecycle(t *testing.T) {
	srv, clock := newTestServer(t)
	createUser(t, srv, `{"uid":"user_000","name":"A"}`)

	r := call(t, srv, http.MethodPost, "/users/USER_000/auth_tokens", "")
	first := r.data(t)["authToken"].(string)
	assert.Regexp(t, `^user_000_1700000000[0-9a-f]{30}$`, first)
	assert.JSONEq(t, `{"data":{"uid":"user_000","authToken":"`+first+`","createdAt":1700000000}}`, r.raw)

	clock.Advance(time.Second)
	again := call(t, srv, http.MethodPost, "/users/user_000/auth_tokens", `{}`).data(t)
	assert.Equal(t, first, again["authToken"], "without force the newest active token comes back")
	assert.Equal(t, 1700000000.0, again["createdAt"])
	second := call(t, srv, http.MethodPost, "/users/user_000/auth_tokens", `{"force":true}`).data(t)["authToken"].(string)
	assert.NotEqual(t, first, second)
	third := call(t, srv, http.MethodPost, "/users/user_000/auth_tokens", `{"force":true}`).data(t)["authToken"].(string)
	assert.Equal(t, third, call(t, srv, http.MethodPost, "/users/user_000/auth_tokens", `{"force":false}`).data(t)["authToken"])

	r = call(t, srv, http.MethodGet, "/users/user_000/auth_tokens", "")
	assert.JSONEq(t, `{"data":[
		{"uid":"user_000","authToken":"`+third+`","createdAt":1700000001},
		{"uid":"user_000","authToken":"`+second+`","createdAt":1700000001},
		{"uid":"user_000","authToken":"`+first+`","createdAt":1700000000}],
		"meta":{"pagination":{"total":3,"count":3,"per_page":100,"current_page":1,"total_pages":1}}}`, r.raw,
		"newest first, insertion order breaking ties, no cursor")
	assert.Equal(t, []string{third, second, first}, srv.Tokens("user_000"))

	r = call(t, srv, http.MethodGet, "/users/user_000/auth_tokens?perPage=2&page=2", "")
	assert.Equal(t, first, r.list(t)[0].(map[string]any)["authToken"])
	assert.Equal(t, map[string]any{"total": 3.0, "count": 1.0, "per_page": 2.0, "current_page": 2.0, "total_pages": 2.0}, r.pagination(t))
	assert.Contains(t, call(t, srv, http.MethodGet, "/users/user_000/auth_tokens?perPage=0", "").detailsOf(t), "perPage")
	assert.Contains(t, call(t, srv, http.MethodGet, "/users/user_000/auth_tokens?page=nope", "").detailsOf(t), "page")

	r = call(t, srv, http.MethodGet, "/users/user_000/auth_tokens/"+second, "")
	assert.JSONEq(t, `{"data":{"uid":"user_000","authToken":"`+second+`","createdAt":1700000001}}`, r.raw)

	r = call(t, srv, http.MethodPut, "/users/user_000/auth_tokens/"+second, `{"platform":"ios","userAgent":"App/1.0","appInfo":{"version":"1.0","url":"https://x.io"}}`)
	assert.JSONEq(t, `{"data":{"uid":"user_000","authToken":"`+second+`","createdAt":1700000001,
		"platform":"ios","userAgent":"App/1.0","appInfo":{"version":"1.0","url":"https://x.io"}}}`, r.raw)
	d := call(t, srv, http.MethodPut, "/users/user_000/auth_tokens/"+second, `{"platform":"android"}`).data(t)
	assert.Equal(t, "android", d["platform"])
	assert.Equal(t, "App/1.0", d["userAgent"], "absent fields are unchanged")
	assert.Contains(t, call(t, srv, http.MethodPut, "/users/user_000/auth_tokens/"+second, `{"appInfo":[1]}`).detailsOf(t), "appInfo")
	assert.Contains(t, call(t, srv, http.MethodPut, "/users/user_000/auth_tokens/"+second, `{"platform":1}`).detailsOf(t), "platform")

	r = call(t, srv, http.MethodDelete, "/users/user_000/auth_tokens/"+second, "")
	assert.JSONEq(t, `{"data":{"success":true,"message":"Auth token deleted successfully."}}`, r.raw)
	for _, method := range []string{http.MethodGet, http.MethodPut, http.MethodDelete} {
		e := call(t, srv, method, "/users/user_000/auth_tokens/"+second, `{}`).apiErr(t, http.StatusNotFound, "ERR_AUTH_TOKEN_NOT_FOUND")
		assert.Equal(t, "Auth token does not exist.", e["message"])
	}

	r = call(t, srv, http.MethodDelete, "/users/user_000/auth_tokens", "")
	assert.JSONEq(t, `{"data":{"success":true,"message":"Cleared Auth Tokens successfully for uid user_000."}}`, r.raw)
	assert.Empty(t, call(t, srv, http.MethodGet, "/users/user_000/auth_tokens", "").list(t))
	fresh := call(t, srv, http.MethodPost, "/users/user_000/auth_tokens", "").data(t)["authToken"]
	assert.NotEqual(t, third, fresh, "after a flush a new token is minted")
}

func TestServer_AuthTokens_UnknownOrDeactivatedUser(t *testing.T) {
	srv, _ := newTestServer(t)
	createUser(t, srv, `{"uid":"off","name":"A","withAuthToken":true}`)
	tok := srv.Tokens("off")[0]
	call(t, srv, http.MethodDelete, "/users/off", "").data(t)
	for _, uid := range []string{"nobody", "off"} {
		for _, tc := range []struct{ method, path string }{
			{http.MethodPost, "/auth_tokens"}, {http.MethodGet, "/auth_tokens"}, {http.MethodDelete, "/auth_tokens"},
			{http.MethodGet, "/auth_tokens/" + tok}, {http.MethodPut, "/auth_tokens/" + tok}, {http.MethodDelete, "/auth_tokens/" + tok},
		} {
			e := call(t, srv, tc.method, "/users/"+uid+tc.path, "").apiErr(t, http.StatusNotFound, "ERR_UID_NOT_FOUND")
			assert.Contains(t, e["message"], "UID "+uid+" ", tc)
		}
	}
}

func TestServer_AuthTokens_CapOf100(t *testing.T) {
	srv, clock := newTestServer(t)
	createUser(t, srv, `{"uid":"a","name":"A","withAuthToken":true}`)
	oldest := srv.Tokens("a")[0]
	var minted []string
	for range 104 {
		clock.Advance(time.Second)
		minted = append(minted, call(t, srv, http.MethodPost, "/users/a/auth_tokens", `{"force":true}`).data(t)["authToken"].(string))
	}
	r := call(t, srv, http.MethodGet, "/users/a/auth_tokens?perPage=1000", "")
	assert.Equal(t, 100.0, r.pagination(t)["total"], "at most 100 active tokens")
	items := r.list(t)
	assert.Equal(t, minted[103], items[0].(map[string]any)["authToken"])
	assert.Equal(t, minted[4], items[99].(map[string]any)["authToken"])
	call(t, srv, http.MethodGet, "/users/a/auth_tokens/"+oldest, "").apiErr(t, http.StatusNotFound, "ERR_AUTH_TOKEN_NOT_FOUND")
	call(t, srv, http.MethodGet, "/users/a/auth_tokens/"+minted[3], "").apiErr(t, http.StatusNotFound, "ERR_AUTH_TOKEN_NOT_FOUND")
	call(t, srv, http.MethodGet, "/users/a/auth_tokens/"+minted[4], "").data(t)
	require.Len(t, srv.Tokens("a"), 100)
}

func TestServer_AuthTokens_ClockMovedBack(t *testing.T) {
	srv, clock := newTestServer(t)
	createUser(t, srv, `{"uid":"a","name":"A"}`)
	clock.Advance(time.Hour)
	late := call(t, srv, http.MethodPost, "/users/a/auth_tokens", `{"force":true}`).data(t)["authToken"].(string)
	clock.Advance(-30 * time.Minute)
	early := call(t, srv, http.MethodPost, "/users/a/auth_tokens", `{"force":true}`).data(t)["authToken"].(string)
	assert.Equal(t, []string{late, early}, srv.Tokens("a"), "ordered by createdAt, not by insertion")
	assert.Equal(t, late, call(t, srv, http.MethodPost, "/users/a/auth_tokens", "").data(t)["authToken"])
}
