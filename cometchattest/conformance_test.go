package cometchattest_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gocometchat/cometchat"
	"github.com/gocometchat/cometchat/cometchattest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The conformance suite drives the real SDK against the fake: any disagreement between the two about the wire
// format or the API's behaviour fails here.

var epoch = time.Unix(1700000000, 0)

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// setup starts a fake on a fake clock and a client that does not wait long between retries.
func setup(t *testing.T, opts ...cometchattest.ServerOption) (*cometchattest.Server, *cometchat.Client, *clock) {
	t.Helper()
	clk := &clock{now: epoch}
	srv := cometchattest.NewServer(append([]cometchattest.ServerOption{cometchattest.WithClock(clk.Now)}, opts...)...)
	t.Cleanup(srv.Close)
	return srv, srv.Client(cometchat.WithRetryWait(time.Millisecond, 10*time.Millisecond)), clk
}

func apiError(t *testing.T, err error) *cometchat.APIError {
	t.Helper()
	var apiErr *cometchat.APIError
	require.ErrorAs(t, err, &apiErr)
	return apiErr
}

func TestConformanceUserLifecycle(t *testing.T) {
	srv, c, clk := setup(t)
	ctx := context.Background()

	u, err := c.Users.Create(ctx, &cometchat.CreateUserParams{
		UID: "Alice_1", Name: "Alice 👩", Avatar: "https://x.io/a.png", Link: "https://x.io/alice", Role: "admin",
		StatusMessage: "hi", Metadata: map[string]any{"@private": map[string]any{"email": "a@x.io"}},
		Tags: []string{"t1", "t2"}, WithAuthToken: true,
	})
	require.NoError(t, err)
	assert.Equal(t, "alice_1", u.UID, "the server lowercases uids")
	assert.Equal(t, "Alice 👩", u.Name)
	assert.Equal(t, "https://x.io/a.png", u.Avatar, "\\/ escapes decode")
	assert.Equal(t, "https://x.io/alice", u.Link)
	assert.Equal(t, "admin", u.Role)
	assert.Equal(t, "hi", u.StatusMessage)
	assert.Equal(t, map[string]any{"@private": map[string]any{"email": "a@x.io"}}, u.Metadata)
	assert.Equal(t, []string{"t1", "t2"}, u.Tags)
	assert.Equal(t, cometchat.StatusOffline, u.Status)
	assert.True(t, u.CreatedAt.Equal(epoch))
	assert.True(t, u.UpdatedAt.IsZero())
	assert.Equal(t, srv.Tokens("alice_1"), []string{u.AuthToken})

	got, err := c.Users.Get(ctx, "ALICE_1")
	require.NoError(t, err)
	assert.Empty(t, got.AuthToken)
	assert.Equal(t, []string{"t1", "t2"}, got.Tags)

	_, err = c.Users.Create(ctx, &cometchat.CreateUserParams{UID: "bob", Name: "Bob"})
	require.NoError(t, err)
	viewed, err := c.Users.Get(ctx, "alice_1", cometchat.OnBehalfOf("bob"))
	require.NoError(t, err)
	assert.Equal(t, "alice_1_user_bob", viewed.ConversationID)

	clk.Advance(time.Minute)
	up, err := c.Users.Update(ctx, "alice_1", &cometchat.UpdateUserParams{
		Name: cometchat.Ptr("Alice B"), Metadata: map[string]any{"k": "v"}, Tags: []string{},
		Unset: []cometchat.UserField{cometchat.UserFieldAvatar},
	})
	require.NoError(t, err)
	assert.Equal(t, "Alice B", up.Name)
	assert.Empty(t, up.Avatar)
	assert.Empty(t, up.Tags)
	assert.Equal(t, map[string]any{"k": "v"}, up.Metadata)
	assert.Equal(t, "https://x.io/alice", up.Link, "absent fields are unchanged")
	assert.True(t, up.UpdatedAt.Equal(epoch.Add(time.Minute)))
	up, err = c.Users.Update(ctx, "alice_1", &cometchat.UpdateUserParams{Unset: []cometchat.UserField{cometchat.UserFieldLink, cometchat.UserFieldMetadata}})
	require.NoError(t, err)
	assert.Empty(t, up.Link)
	assert.Nil(t, up.Metadata)

	require.NoError(t, c.Users.Delete(ctx, "alice_1", nil))
	_, err = c.Users.Get(ctx, "alice_1")
	assert.ErrorIs(t, err, cometchat.ErrUIDNotFound)
	_, err = c.Users.Create(ctx, &cometchat.CreateUserParams{UID: "alice_1", Name: "Again"})
	assert.ErrorIs(t, err, cometchat.ErrUIDAlreadyExists)
	assert.ErrorIs(t, c.Users.Delete(ctx, "alice_1", &cometchat.DeleteUserParams{}), cometchat.ErrUIDNotFound)

	re, err := c.Users.Reactivate(ctx, "alice_1", "bob", "Nobody")
	require.NoError(t, err)
	assert.Equal(t, &cometchat.ReactivateResult{Reactivated: []string{"alice_1"}, NotDeactivated: []string{"bob"}, NotFound: []string{"Nobody"}}, re)
	de, err := c.Users.Deactivate(ctx, "alice_1", "bob")
	require.NoError(t, err)
	assert.Equal(t, []string{"alice_1", "bob"}, de.Deactivated)
	de, err = c.Users.Deactivate(ctx, "bob", "ghost")
	require.NoError(t, err)
	assert.Equal(t, &cometchat.DeactivateResult{AlreadyDeactivated: []string{"bob"}, NotFound: []string{"ghost"}}, de)

	require.NoError(t, c.Users.Delete(ctx, "alice_1", &cometchat.DeleteUserParams{Permanent: true}))
	_, ok := srv.User("alice_1")
	assert.False(t, ok)
	assert.ErrorIs(t, c.Users.Delete(ctx, "alice_1", &cometchat.DeleteUserParams{Permanent: true}), cometchat.ErrUIDNotFound)
	_, err = c.Users.Create(ctx, &cometchat.CreateUserParams{UID: "alice_1", Name: "Fresh"})
	require.NoError(t, err, "a permanent delete frees the uid")
	assert.Empty(t, srv.Tokens("alice_1"))
}

func seedDirectory(t *testing.T, srv *cometchattest.Server) {
	t.Helper()
	at := func(s int) time.Time { return epoch.Add(time.Duration(s) * time.Second) }
	require.NoError(t, srv.AddUsers(
		&cometchat.User{UID: "ann", Name: "Zoe Ann", Role: "admin", Tags: []string{"red", "blue"}, CreatedAt: at(1)},
		&cometchat.User{UID: "bob", Name: "Annabel", Role: "mod", Tags: []string{"blue"}, CreatedAt: at(2)},
		&cometchat.User{UID: "carl", Name: "Carl", Tags: []string{"green"}, CreatedAt: at(3), Status: cometchat.StatusAvailable},
		&cometchat.User{UID: "anders", Name: "Dee", CreatedAt: at(4)},
		&cometchat.User{UID: "gone", Name: "Annie", CreatedAt: at(5), DeactivatedAt: at(6)},
	))
}

func TestConformanceListFilters(t *testing.T) {
	srv, c, _ := setup(t)
	seedDirectory(t, srv)
	ctx := context.Background()
	list := func(p *cometchat.ListUsersParams) []string {
		t.Helper()
		page, err := c.Users.List(ctx, p)
		require.NoError(t, err)
		var uids []string
		for _, u := range page.Users {
			uids = append(uids, u.UID)
		}
		return uids
	}
	assert.Equal(t, []string{"anders", "carl", "bob", "ann"}, list(nil))
	assert.Equal(t, []string{"anders", "bob", "ann"}, list(&cometchat.ListUsersParams{SearchKey: "AN"}))
	assert.Equal(t, []string{"bob"}, list(&cometchat.ListUsersParams{SearchKey: "an", SearchIn: []string{"name"}}))
	assert.Equal(t, []string{"anders", "ann"}, list(&cometchat.ListUsersParams{SearchKey: "an", SearchIn: []string{"uid"}}))
	assert.Equal(t, []string{"anders", "bob", "ann"}, list(&cometchat.ListUsersParams{SearchKey: "an", SearchIn: []string{"name", "uid"}}))
	assert.Equal(t, []string{"carl"}, list(&cometchat.ListUsersParams{Status: cometchat.StatusAvailable}))
	assert.Equal(t, []string{"anders", "bob", "ann"}, list(&cometchat.ListUsersParams{Status: cometchat.StatusOffline}))
	assert.Equal(t, []string{"ann"}, list(&cometchat.ListUsersParams{Role: "admin"}))
	assert.Equal(t, []string{"bob", "ann"}, list(&cometchat.ListUsersParams{Roles: []string{"admin", "mod"}}))
	assert.Equal(t, []string{"carl", "ann"}, list(&cometchat.ListUsersParams{Tags: []string{"red", "green"}}))
	assert.Equal(t, []string{"gone"}, list(&cometchat.ListUsersParams{OnlyDeactivated: true}))
	assert.Equal(t, []string{"gone", "anders", "carl", "bob", "ann"}, list(&cometchat.ListUsersParams{WithDeactivated: true}))

	page, err := c.Users.List(ctx, &cometchat.ListUsersParams{Tags: []string{"blue"}})
	require.NoError(t, err)
	for _, u := range page.Users {
		assert.Nil(t, u.Tags, "no tags without WithTags")
	}
	page, err = c.Users.List(ctx, &cometchat.ListUsersParams{Tags: []string{"blue"}, WithTags: true})
	require.NoError(t, err)
	assert.Equal(t, []string{"blue"}, page.Users[0].Tags)
	assert.Equal(t, []string{"red", "blue"}, page.Users[1].Tags)

	page, err = c.Users.List(ctx, &cometchat.ListUsersParams{PerPage: 3, Page: 2})
	require.NoError(t, err)
	assert.Equal(t, cometchat.Pagination{Total: 4, Count: 1, PerPage: 3, CurrentPage: 2, TotalPages: 2}, page.Pagination)
	assert.Equal(t, "ann", page.Users[0].UID)
	assert.Equal(t, cometchat.Cursor{UpdatedAt: epoch, Affix: "prepend"}, normalizeCursor(page.Cursor))
	gone, err := c.Users.List(ctx, &cometchat.ListUsersParams{OnlyDeactivated: true})
	require.NoError(t, err)
	assert.True(t, gone.Users[0].DeactivatedAt.Equal(epoch.Add(6*time.Second)))

	empty, err := c.Users.List(ctx, &cometchat.ListUsersParams{SearchKey: "zzz"})
	require.NoError(t, err)
	assert.Empty(t, empty.Users)
	assert.Equal(t, cometchat.Pagination{PerPage: 100, CurrentPage: 1}, empty.Pagination)

	_, err = c.Users.List(ctx, &cometchat.ListUsersParams{PerPage: 1001})
	assert.ErrorIs(t, err, cometchat.ErrValidation, "the SDK checks perPage bounds itself")
}

func normalizeCursor(c cometchat.Cursor) cometchat.Cursor {
	c.UpdatedAt = time.Unix(c.UpdatedAt.Unix(), 0)
	return c
}

func TestConformanceUsersAll(t *testing.T) {
	srv, c, _ := setup(t)
	ctx := context.Background()
	var seeds []*cometchat.User
	for i := range 250 {
		seeds = append(seeds, &cometchat.User{UID: fmt.Sprintf("u%03d", i), Name: "N", CreatedAt: epoch.Add(time.Duration(i) * time.Second)})
	}
	require.NoError(t, srv.AddUsers(seeds...))

	var uids []string
	for u, err := range c.Users.All(ctx, &cometchat.ListUsersParams{PerPage: 100}) {
		require.NoError(t, err)
		uids = append(uids, u.UID)
	}
	require.Len(t, uids, 250)
	assert.Equal(t, "u249", uids[0])
	assert.Equal(t, "u000", uids[249])
	assert.Equal(t, 3, srv.RequestCountFor(http.MethodGet, "/users"))

	before := srv.RequestCount()
	n := 0
	for _, err := range c.Users.All(ctx, &cometchat.ListUsersParams{PerPage: 10, Page: 2}) {
		require.NoError(t, err)
		if n++; n == 15 {
			break
		}
	}
	assert.Equal(t, 2, srv.RequestCount()-before, "breaking out stops fetching")

	srv.InjectFault(cometchattest.Fault{Method: http.MethodGet, Path: "/users", Status: http.StatusBadRequest})
	var errs []error
	for u, err := range c.Users.All(ctx, nil) {
		assert.Nil(t, u)
		errs = append(errs, err)
	}
	require.Len(t, errs, 1, "one error, then the iterator stops")
	assert.ErrorIs(t, errs[0], cometchat.ErrBadRequest)
}

func TestConformanceErrors(t *testing.T) {
	srv, c, _ := setup(t)
	ctx := context.Background()
	_, err := c.Users.Create(ctx, &cometchat.CreateUserParams{UID: "a", Name: "A"})
	require.NoError(t, err)

	_, err = c.Users.Get(ctx, "Nobody")
	assert.ErrorIs(t, err, cometchat.ErrUIDNotFound)
	e := apiError(t, err)
	assert.Equal(t, http.StatusNotFound, e.StatusCode)
	assert.Equal(t, "ERR_UID_NOT_FOUND", e.Code)
	assert.Contains(t, e.Message, "nobody")
	assert.Equal(t, "chat-api", e.Source)
	assert.Equal(t, 20000, e.RateLimit.Limit)

	_, err = c.Users.Create(ctx, &cometchat.CreateUserParams{UID: "A", Name: "A"})
	assert.ErrorIs(t, err, cometchat.ErrUIDAlreadyExists)
	assert.Equal(t, http.StatusBadRequest, apiError(t, err).StatusCode)

	_, err = c.AuthTokens.Get(ctx, "a", "a_1700000000deadbeef")
	assert.ErrorIs(t, err, cometchat.ErrAuthTokenNotFound)
	_, err = c.AuthTokens.Create(ctx, "nobody", nil)
	assert.ErrorIs(t, err, cometchat.ErrUIDNotFound)

	wrong, err := cometchat.NewClient(srv.AppID(), srv.Region(), "wrong-key", cometchat.WithBaseURL(srv.URL()))
	require.NoError(t, err)
	_, err = wrong.Users.Get(ctx, "a")
	assert.ErrorIs(t, err, cometchat.ErrAPIKeyNotFound)
	assert.Equal(t, http.StatusUnauthorized, apiError(t, err).StatusCode)

	// The server's own validation, behind the SDK's: Details come through.
	_, err = c.Users.List(ctx, &cometchat.ListUsersParams{Status: "busy", SearchIn: []string{"email"}})
	assert.ErrorIs(t, err, cometchat.ErrBadRequest)
	e = apiError(t, err)
	assert.Equal(t, http.StatusBadRequest, e.StatusCode)
	assert.Equal(t, map[string][]string{"status": {"The selected status is invalid."}, "searchIn": {"The selected searchIn is invalid."}}, e.Details)

	_, rc, _ := setup(t, cometchattest.WithRoles("admin"))
	_, err = rc.Users.Create(ctx, &cometchat.CreateUserParams{UID: "x", Name: "X", Role: "boss"})
	e = apiError(t, err)
	assert.Equal(t, "ERR_ROLE_NOT_FOUND", e.Code)
	srv.InjectFault(cometchattest.Fault{Method: http.MethodPost, Path: "/users", Status: http.StatusBadRequest,
		Body: `{"error":{"message":"Failed to validate the data sent with the request.","devMessage":"d","source":"chat-api",` +
			`"details":{"uid":["The uid field is required."],"tags.0":["The tags.0 field is required."]},"code":"ERR_BAD_REQUEST"}}`})
	_, err = c.Users.Create(ctx, &cometchat.CreateUserParams{UID: "b", Name: "B"})
	assert.ErrorIs(t, err, cometchat.ErrBadRequest)
	assert.Equal(t, map[string][]string{"uid": {"The uid field is required."}, "tags.0": {"The tags.0 field is required."}}, apiError(t, err).Details)

	srv.InjectFault(cometchattest.Fault{Status: http.StatusForbidden})
	_, err = c.Users.Get(ctx, "a")
	assert.ErrorIs(t, err, cometchat.ErrNoAccess)
	srv.InjectFault(cometchattest.Fault{Status: http.StatusPaymentRequired})
	_, err = c.Users.Create(ctx, &cometchat.CreateUserParams{UID: "c", Name: "C"})
	assert.ErrorIs(t, err, cometchat.ErrPlanQuota)

	// Not JSON: still a typed error with the status.
	noRetry := srv.Client(cometchat.WithMaxRetries(0))
	srv.InjectFault(cometchattest.Fault{Status: http.StatusBadGateway, Body: "<html>502 Bad Gateway</html>"})
	_, err = noRetry.Users.Get(ctx, "a")
	e = apiError(t, err)
	assert.Equal(t, http.StatusBadGateway, e.StatusCode)
	assert.Empty(t, e.Code)

	// Idempotent calls are retried over 5xx.
	srv.InjectFault(cometchattest.Fault{Method: http.MethodGet, Path: "/users/a", Status: http.StatusServiceUnavailable, Times: 2})
	before := srv.RequestCountFor(http.MethodGet, "/users/a")
	_, err = c.Users.Get(ctx, "a")
	require.NoError(t, err)
	assert.Equal(t, 3, srv.RequestCountFor(http.MethodGet, "/users/a")-before)

	// A slow server and the caller's deadline.
	srv.InjectFault(cometchattest.Fault{Delay: time.Hour})
	tctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	_, err = c.Users.Get(tctx, "a")
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}

func TestConformanceRateLimit(t *testing.T) {
	srv, _, clk := setup(t, cometchattest.WithRateLimit(2))
	c := srv.Client(cometchat.WithMaxRetries(0))
	ctx := context.Background()
	_, err := c.Users.List(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, cometchat.RateLimit{Limit: 2, Remaining: 1, AppLimit: 2, AppRemaining: 1}, c.RateLimit())
	clk.Advance(15 * time.Second)
	_, err = c.Users.List(ctx, nil)
	require.NoError(t, err)
	_, err = c.Users.List(ctx, nil)
	assert.ErrorIs(t, err, cometchat.ErrTooManyRequests)
	e := apiError(t, err)
	assert.Equal(t, http.StatusTooManyRequests, e.StatusCode)
	assert.Equal(t, 45*time.Second, e.RetryAfter)
	assert.Equal(t, 0, e.RateLimit.Remaining)
	assert.Equal(t, epoch.Add(time.Minute).Unix(), e.RateLimit.Reset.Unix())

	// With retries the SDK waits for the window (the fake's clock does not move by itself, so only check that
	// a default client gives up quickly with the 429 rather than sleeping 45 s).
	start := time.Now()
	_, err = srv.Client(cometchat.WithRetryWait(time.Millisecond, 10*time.Millisecond)).Users.List(ctx, nil)
	assert.ErrorIs(t, err, cometchat.ErrTooManyRequests)
	assert.Less(t, time.Since(start), 5*time.Second)
}

func TestConformanceAuthTokens(t *testing.T) {
	srv, c, clk := setup(t)
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

func TestConformanceImport(t *testing.T) {
	srv, c, _ := setup(t)
	ctx := context.Background()
	_, err := c.Users.Create(ctx, &cometchat.CreateUserParams{UID: "taken", Name: "T"})
	require.NoError(t, err)

	var users []*cometchat.ImportUser
	for i := range 120 {
		users = append(users, &cometchat.ImportUser{
			UID: fmt.Sprintf("Imp%03d", i), Name: "Imported", Tags: []string{"migrated"},
			CreatedAt: time.Unix(1600000000+int64(i), 0), LastActiveAt: time.Unix(1650000000, 0),
		})
	}
	users[10].Name = ""                                              // invalid: never sent
	users[20] = &cometchat.ImportUser{UID: "TAKEN", Name: "T"}       // the server refuses it
	users[30] = &cometchat.ImportUser{UID: "imp000", Name: "Repeat"} // repeats users[0] case-insensitively
	var progress [][3]int
	report, err := c.Users.Import(ctx, users, cometchat.WithImportProgress(func(done, failed, total int) {
		progress = append(progress, [3]int{done, failed, total})
	}))
	require.NoError(t, err)
	require.Len(t, report.Imported, 117)
	require.Len(t, report.Failed, 3)
	assert.Equal(t, []int{10, 20, 30}, []int{report.Failed[0].Index, report.Failed[1].Index, report.Failed[2].Index})
	assert.ErrorIs(t, report.Failed[0].Err, cometchat.ErrValidation)
	assert.ErrorIs(t, report.Failed[1].Err, cometchat.ErrUIDAlreadyExists)
	assert.Equal(t, "TAKEN", report.Failed[1].UID)
	assert.Equal(t, "imp000", report.Imported[0].UID)
	assert.True(t, report.Imported[0].CreatedAt.Equal(time.Unix(1600000000, 0)))
	assert.Equal(t, [3]int{120, 3, 120}, progress[len(progress)-1])
	assert.LessOrEqual(t, srv.RequestCountFor(http.MethodPost, "/data_import/users"), 3, "batches of up to 50")

	u, ok := srv.User("imp119")
	require.True(t, ok)
	assert.Equal(t, time.Unix(1600000119, 0).UTC(), u.CreatedAt)
	assert.Equal(t, time.Unix(1650000000, 0).UTC(), u.LastActiveAt)
	assert.Equal(t, []string{"migrated"}, u.Tags)
	page, err := c.Users.List(ctx, &cometchat.ListUsersParams{PerPage: 2})
	require.NoError(t, err)
	assert.Equal(t, "taken", page.Users[0].UID, "created now, newer than every imported user")
	assert.Equal(t, "imp119", page.Users[1].UID)

	// The create strategy resumes over users already there.
	more := []*cometchat.ImportUser{{UID: "imp001", Name: "X"}, {UID: "fresh", Name: "F"}}
	report, err = c.Users.Import(ctx, more, cometchat.WithImportStrategy(cometchat.ImportStrategyCreate))
	require.NoError(t, err)
	assert.Len(t, report.Imported, 1)
	assert.Equal(t, []cometchat.ImportExisting{{Index: 0, UID: "imp001"}}, report.Existing)
}

func TestConformanceConcurrentClients(t *testing.T) {
	srv, c, _ := setup(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			uid := fmt.Sprintf("c%02d", i)
			if _, err := c.Users.Create(ctx, &cometchat.CreateUserParams{UID: uid, Name: "N", WithAuthToken: true}); err != nil {
				errs <- err
				return
			}
			if _, err := c.Users.Get(ctx, uid); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	all := srv.Users()
	assert.Len(t, all, 50)
	assert.True(t, slices.IsSortedFunc(all, func(a, b *cometchat.User) int { return b.CreatedAt.Compare(a.CreatedAt) }))
	assert.False(t, strings.Contains(fmt.Sprintf("%+v", c), srv.APIKey()), "the client never prints the key")
}
