package cometchat_test

// The SDK end to end against cometchattest, the in-memory CometChat: every service, over real HTTP on loopback.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/gocometchat/cometchat"
	"github.com/gocometchat/cometchat/cometchattest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newServer(t *testing.T, opts ...cometchattest.ServerOption) (*cometchattest.Server, *cometchat.Client) {
	t.Helper()
	srv := cometchattest.NewServer(opts...)
	t.Cleanup(srv.Close)
	return srv, srv.Client()
}

func TestIntegration_UserLifecycle(t *testing.T) {
	ctx := context.Background()
	srv, c := newServer(t)
	ada, err := c.Users.Create(ctx, &cometchat.CreateUserParams{
		UID: "Ada", Name: "Ada Lovelace", Avatar: "https://example.com/ada.png",
		Metadata: map[string]any{"@private": map[string]any{"email": "ada@example.com"}}, Tags: []string{"math"}, WithAuthToken: true,
	})
	require.NoError(t, err)
	assert.Equal(t, "ada", ada.UID)
	assert.Equal(t, "default", ada.Role)
	assert.NotEmpty(t, ada.AuthToken)
	assert.Equal(t, []string{ada.AuthToken}, srv.Tokens("ada"))

	_, err = c.Users.Create(ctx, &cometchat.CreateUserParams{UID: "ada", Name: "Again"})
	assert.ErrorIs(t, err, cometchat.ErrUIDAlreadyExists)

	got, err := c.Users.Get(ctx, "ADA")
	require.NoError(t, err)
	assert.Equal(t, "ada@example.com", got.Metadata["@private"].(map[string]any)["email"])

	up, err := c.Users.Update(ctx, "ada", &cometchat.UpdateUserParams{
		Name: cometchat.Ptr("Ada King"), Tags: []string{}, Unset: []cometchat.UserField{cometchat.UserFieldAvatar},
	})
	require.NoError(t, err)
	assert.Equal(t, "Ada King", up.Name)
	assert.Empty(t, up.Avatar)
	assert.Empty(t, up.Tags)
	assert.False(t, up.UpdatedAt.IsZero())

	for _, uid := range []string{"grace", "hedy"} {
		_, err := c.Users.Create(ctx, &cometchat.CreateUserParams{UID: uid, Name: uid})
		require.NoError(t, err)
	}
	de, err := c.Users.Deactivate(ctx, "Grace", "hedy", "ghost", "GRACE")
	require.NoError(t, err)
	assert.Equal(t, &cometchat.DeactivateResult{Deactivated: []string{"grace", "hedy"}, NotFound: []string{"ghost"}}, de)
	_, err = c.Users.Get(ctx, "grace")
	assert.ErrorIs(t, err, cometchat.ErrUIDNotFound)
	re, err := c.Users.Reactivate(ctx, "grace", "ada")
	require.NoError(t, err)
	assert.Equal(t, &cometchat.ReactivateResult{Reactivated: []string{"grace"}, NotDeactivated: []string{"ada"}}, re)

	var uids []string
	for u, err := range c.Users.All(ctx, &cometchat.ListUsersParams{PerPage: 1, WithDeactivated: true}) {
		require.NoError(t, err)
		uids = append(uids, u.UID)
	}
	assert.ElementsMatch(t, []string{"ada", "grace", "hedy"}, uids)

	require.NoError(t, c.Users.Delete(ctx, "ada", &cometchat.DeleteUserParams{Permanent: true}))
	_, ok := srv.User("ada")
	assert.False(t, ok)
	assert.Nil(t, srv.Tokens("ada"), "a permanent delete takes the tokens with it")
}

func TestIntegration_AuthTokenRotation(t *testing.T) {
	ctx := context.Background()
	_, c := newServer(t)
	_, err := c.Users.Create(ctx, &cometchat.CreateUserParams{UID: "ada", Name: "Ada"})
	require.NoError(t, err)
	first, err := c.AuthTokens.Create(ctx, "ada", nil)
	require.NoError(t, err)
	same, err := c.AuthTokens.Create(ctx, "ada", nil)
	require.NoError(t, err)
	assert.Equal(t, first.Token, same.Token, "without Force the newest active token comes back")
	fresh, err := c.AuthTokens.Create(ctx, "ada", &cometchat.CreateAuthTokenParams{Force: true})
	require.NoError(t, err)
	assert.NotEqual(t, first.Token, fresh.Token)

	upd, err := c.AuthTokens.Update(ctx, "ada", fresh.Token, &cometchat.UpdateAuthTokenParams{
		Platform: cometchat.Ptr("ios"), AppInfo: map[string]any{"version": "2.1"},
	})
	require.NoError(t, err)
	assert.Equal(t, "ios", upd.Platform)
	assert.Equal(t, map[string]any{"version": "2.1"}, upd.AppInfo)

	for tok, err := range c.AuthTokens.All(ctx, "ada", &cometchat.ListAuthTokensParams{PerPage: 1}) {
		require.NoError(t, err)
		if tok.Token != fresh.Token {
			require.NoError(t, c.AuthTokens.Delete(ctx, "ada", tok.Token))
		}
	}
	page, err := c.AuthTokens.List(ctx, "ada", nil)
	require.NoError(t, err)
	require.Len(t, page.Tokens, 1)
	assert.Equal(t, fresh.Token, page.Tokens[0].Token)
	_, err = c.AuthTokens.Get(ctx, "ada", first.Token)
	assert.ErrorIs(t, err, cometchat.ErrAuthTokenNotFound)

	require.NoError(t, c.AuthTokens.Flush(ctx, "ada"))
	page, err = c.AuthTokens.List(ctx, "ada", nil)
	require.NoError(t, err)
	assert.Empty(t, page.Tokens)
}

func TestIntegration_Roles(t *testing.T) {
	ctx := context.Background()
	srv, c := newServer(t)
	_, err := c.Users.Create(ctx, &cometchat.CreateUserParams{UID: "mod", Name: "Mod", Role: "moderator"})
	assert.ErrorIs(t, err, cometchat.ErrRoleNotFound, "a user's role must exist, as in production")

	r, err := c.Roles.Create(ctx, &cometchat.CreateRoleParams{
		ID: "Moderator", Name: "Moderator", Description: "keeps the peace",
		Settings: &cometchat.RoleSettings{ListUsers: cometchat.VisibilityAll, SendMessagesTo: cometchat.VisibilityFriendsOnly},
	})
	require.NoError(t, err)
	assert.Equal(t, "moderator", r.ID)
	u, err := c.Users.Create(ctx, &cometchat.CreateUserParams{UID: "mod", Name: "Mod", Role: "moderator"})
	require.NoError(t, err)
	assert.Equal(t, "moderator", u.Role)

	r, err = c.Roles.Update(ctx, "moderator", &cometchat.UpdateRoleParams{
		Name: cometchat.Ptr("Mods"), Unset: []cometchat.RoleField{cometchat.RoleFieldDescription},
	})
	require.NoError(t, err)
	assert.Equal(t, "Mods", r.Name)
	assert.Empty(t, r.Description)

	var ids []string
	for role, err := range c.Roles.All(ctx, &cometchat.ListRolesParams{PerPage: 1}) {
		require.NoError(t, err)
		ids = append(ids, role.ID)
	}
	assert.Equal(t, []string{"default", "moderator"}, ids)

	assert.ErrorIs(t, c.Roles.Delete(ctx, "default"), cometchat.ErrRoleDeleteDenied)
	require.NoError(t, c.Roles.Delete(ctx, "moderator"))
	_, err = c.Roles.Get(ctx, "moderator")
	assert.ErrorIs(t, err, cometchat.ErrRoleNotFound)
	assert.Equal(t, []string{"default"}, srv.Roles())
}

func TestIntegration_RolesQuota(t *testing.T) {
	ctx := context.Background()
	_, c := newServer(t)
	var err error
	for i := 1; i <= 25 && err == nil; i++ {
		_, err = c.Roles.Create(ctx, &cometchat.CreateRoleParams{ID: fmt.Sprint("r", i), Name: "R"})
	}
	assert.ErrorIs(t, err, cometchat.ErrPlanQuota, "25 roles per app, default included")
}

func TestIntegration_FriendsAndBlocks(t *testing.T) {
	ctx := context.Background()
	srv, c := newServer(t)
	users := []*cometchat.User{{UID: "ada", Name: "Ada"}, {UID: "grace", Name: "Grace"}, {UID: "hedy", Name: "Hedy"}}
	for i := range 30 {
		users = append(users, &cometchat.User{UID: fmt.Sprintf("fan_%02d", i), Name: "Fan"})
	}
	require.NoError(t, srv.AddUsers(users...))

	fans := make([]string, 30)
	for i := range fans {
		fans[i] = fmt.Sprintf("fan_%02d", i)
	}
	res, err := c.Friends.Add(ctx, "ada", append([]string{"Grace", "ghost"}, fans...)...)
	require.NoError(t, err)
	assert.Len(t, res.Succeeded, 31, "grace and the fans, over two batches")
	assert.ErrorIs(t, res.Failed["ghost"], cometchat.ErrUIDNotFound)
	assert.Len(t, res.Failed, 1)

	res, err = c.Friends.Add(ctx, "grace", "ada")
	require.NoError(t, err)
	assert.ErrorIs(t, res.Failed["ada"], cometchat.ErrAlreadyFriend, "friendship is mutual")

	page, err := c.Friends.List(ctx, "ada", &cometchat.ListFriendsParams{SearchKey: "gra"})
	require.NoError(t, err)
	require.Len(t, page.Users, 1)
	assert.Equal(t, "ada_user_grace", page.Users[0].ConversationID)
	n := 0
	for _, err := range c.Friends.All(ctx, "ada", &cometchat.ListFriendsParams{PerPage: 7}) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 31, n)

	err = c.Friends.Remove(ctx, "ada", "hedy")
	assert.ErrorIs(t, err, cometchat.ErrNotAFriend)
	require.NoError(t, c.Friends.Remove(ctx, "ada", "grace"))
	assert.NotContains(t, srv.Friends("grace"), "ada")

	blocked, err := c.BlockedUsers.Block(ctx, "ada", "hedy", "grace")
	require.NoError(t, err)
	assert.Equal(t, []string{"hedy", "grace"}, blocked.Succeeded)
	seen, err := c.Users.Get(ctx, "ada", cometchat.OnBehalfOf("hedy"))
	require.NoError(t, err)
	assert.True(t, seen.HasBlockedMe)
	assert.False(t, seen.BlockedByMe)
	seen, err = c.Users.Get(ctx, "hedy", cometchat.OnBehalfOf("ada"))
	require.NoError(t, err)
	assert.True(t, seen.BlockedByMe)
	assert.False(t, seen.BlockedByMeAt.IsZero())

	bpage, err := c.BlockedUsers.List(ctx, "ada", &cometchat.ListBlockedUsersParams{PerPage: 1})
	require.NoError(t, err)
	assert.Equal(t, -1, bpage.Pagination.Total, "the server's total is always 0: unknown")
	assert.Equal(t, "hedy", bpage.Users[0].UID, "oldest block first")
	var all []string
	for u, err := range c.BlockedUsers.All(ctx, "ada", &cometchat.ListBlockedUsersParams{PerPage: 1}) {
		require.NoError(t, err)
		all = append(all, u.UID)
	}
	assert.Equal(t, []string{"hedy", "grace"}, all)

	un, err := c.BlockedUsers.Unblock(ctx, "ada", "hedy")
	require.NoError(t, err)
	assert.Equal(t, []string{"hedy"}, un.Succeeded)
	assert.Equal(t, []string{"grace"}, srv.Blocked("ada"))

	_, err = c.BlockedUsers.Block(ctx, "ada", "ADA")
	assert.ErrorIs(t, err, cometchat.ErrValidation, "refused before sending")
}

func TestIntegration_ImportBothStrategies(t *testing.T) {
	ctx := context.Background()
	srv, c := newServer(t)
	created := time.Date(2021, 3, 4, 5, 6, 7, 0, time.UTC)
	var users []*cometchat.ImportUser
	for i := range 120 {
		users = append(users, &cometchat.ImportUser{UID: fmt.Sprint("u", i), Name: "User", CreatedAt: created})
	}
	users = append(users, &cometchat.ImportUser{UID: "U1", Name: "Repeat"}, nil, &cometchat.ImportUser{UID: "bad uid", Name: "x"})
	rep, err := c.Users.Import(ctx, users)
	require.NoError(t, err)
	assert.Len(t, rep.Imported, 120)
	assert.Len(t, rep.Failed, 3)
	u, ok := srv.User("u7")
	require.True(t, ok)
	assert.Equal(t, created, u.CreatedAt, "history kept")
	assert.Equal(t, 3, srv.RequestCountFor(http.MethodPost, "/data_import/users"), "batches of 50")

	again := []*cometchat.ImportUser{{UID: "u1", Name: "Again"}, {UID: "new", Name: "New"}}
	rep, err = c.Users.Import(ctx, again, cometchat.WithImportStrategy(cometchat.ImportStrategyCreate))
	require.NoError(t, err)
	assert.Equal(t, []cometchat.ImportExisting{{Index: 0, UID: "u1"}}, rep.Existing)
	require.Len(t, rep.Imported, 1)
	assert.Equal(t, "new", rep.Imported[0].UID)
}

func TestIntegration_FaultsRetriedAndReported(t *testing.T) {
	ctx := context.Background()
	srv, c := newServer(t)
	require.NoError(t, srv.AddUsers(&cometchat.User{UID: "ada", Name: "Ada"}))
	srv.InjectFault(cometchattest.Fault{Method: http.MethodGet, Path: "/users/ada", Status: http.StatusServiceUnavailable, Times: 2})
	u, err := c.Users.Get(ctx, "ada")
	require.NoError(t, err)
	assert.Equal(t, "ada", u.UID)
	assert.Equal(t, 3, srv.RequestCountFor(http.MethodGet, "/users/ada"))

	srv.InjectFault(cometchattest.Fault{Method: http.MethodPost, Path: "/users", Status: http.StatusBadGateway})
	_, err = c.Users.Create(ctx, &cometchat.CreateUserParams{UID: "grace", Name: "Grace"})
	var apiErr *cometchat.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusBadGateway, apiErr.StatusCode)
	assert.Equal(t, 1, srv.RequestCountFor(http.MethodPost, "/users"), "a POST is not retried after a 5xx")

	srv.InjectFault(cometchattest.Fault{Path: "/users/ada", Status: http.StatusTooManyRequests, Header: http.Header{"Retry-After": {"3600"}}})
	_, err = c.Users.Get(ctx, "ada")
	require.ErrorAs(t, err, &apiErr)
	assert.ErrorIs(t, err, cometchat.ErrTooManyRequests)
	assert.Equal(t, time.Hour, apiErr.RetryAfter)
}

func TestIntegration_RateLimitAndQuota(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	srv, c := newServer(t, cometchattest.WithRateLimit(3), cometchattest.WithUserLimit(2), cometchattest.WithClock(clock))
	for _, uid := range []string{"a", "b"} {
		_, err := c.Users.Create(ctx, &cometchat.CreateUserParams{UID: uid, Name: uid})
		require.NoError(t, err)
	}
	_, err := c.Users.Create(ctx, &cometchat.CreateUserParams{UID: "c", Name: "c"})
	assert.ErrorIs(t, err, cometchat.ErrPlanQuota)
	var apiErr *cometchat.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Contains(t, apiErr.Message, "The allowed limit of the feature Create User for your current plan free-2023-01 is 2.")

	_, err = c.Users.Get(ctx, "a")
	assert.ErrorIs(t, err, cometchat.ErrTooManyRequests, "the budget of 3 is spent; the wait is past the max")
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 0, apiErr.RateLimit.Remaining)
	assert.Equal(t, 3, apiErr.RateLimit.Limit)
	assert.Equal(t, 100000, apiErr.RateLimit.AppLimit)
	assert.Greater(t, apiErr.RetryAfter, time.Duration(0))

	mu.Lock()
	now = now.Add(time.Minute)
	mu.Unlock()
	_, err = c.Users.Get(ctx, "a")
	require.NoError(t, err)
	assert.Equal(t, 2, c.RateLimit().Remaining)
	_ = srv
}

func TestIntegration_DoReachesWhatTheSDKDoesNotWrap(t *testing.T) {
	ctx := context.Background()
	srv, c := newServer(t)
	require.NoError(t, srv.AddUsers(&cometchat.User{UID: "ada", Name: "Ada"}))
	var out struct {
		Data []struct {
			UID string `json:"uid"`
		} `json:"data"`
		Meta struct {
			Pagination struct {
				Total int `json:"total"`
			} `json:"pagination"`
		} `json:"meta"`
	}
	require.NoError(t, c.Do(ctx, http.MethodGet, "/users", url.Values{"searchKey": {"ad"}}, nil, &out))
	require.Len(t, out.Data, 1)
	assert.Equal(t, "ada", out.Data[0].UID)
	assert.Equal(t, 1, out.Meta.Pagination.Total)

	err := c.Do(ctx, http.MethodGet, "/users/ada/conversations", nil, nil, nil)
	var apiErr *cometchat.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "ERR_API_NOT_FOUND", apiErr.Code)

	err = c.Do(ctx, http.MethodGet, "/users/../roles", nil, nil, nil)
	assert.True(t, errors.Is(err, cometchat.ErrValidation))
}
