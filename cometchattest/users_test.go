package cometchattest

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gocometchat/cometchat"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func d2s(t *testing.T, r response, key string) string { return r.data(t)[key].(string) }

func TestServer_SDK_UserLifecycle(t *testing.T) {
	srv, c, clk := setupSDK(t, WithRoles("admin"))
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
	assert.Equal(t, &cometchat.ReactivateResult{Reactivated: []string{"alice_1"}, NotDeactivated: []string{"bob"}, NotFound: []string{"nobody"}}, re)
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

func seedDirectory(t *testing.T, srv *Server) {
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

func TestServer_SDK_ListUsersFilters(t *testing.T) {
	srv, c, _ := setupSDK(t, WithRoles("admin", "mod"))
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
	assert.Equal(t, cometchat.Cursor{UpdatedAt: epoch.Add(4 * time.Second), Affix: "prepend"}, normalizeCursor(page.Cursor),
		"the newest createdAt of every match, not of the page")
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

func TestServer_SDK_UsersAllPages(t *testing.T) {
	srv, c, _ := setupSDK(t)
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

	srv.InjectFault(Fault{Method: http.MethodGet, Path: "/users", Status: http.StatusBadRequest})
	var errs []error
	for u, err := range c.Users.All(ctx, nil) {
		assert.Nil(t, u)
		errs = append(errs, err)
	}
	require.Len(t, errs, 1, "one error, then the iterator stops")
	assert.ErrorIs(t, errs[0], cometchat.ErrBadRequest)
}

// BenchmarkServer_GetUser measures GET /users/{uid} throughput with keep-alive connections from parallel clients; it
// reports req/s (the fake should sustain well over 20,000 on two cores).
func BenchmarkServer_GetUser(b *testing.B) {
	srv := NewServer()
	defer srv.Close()
	const n = 1000
	users := make([]*cometchat.User, n)
	for i := range users {
		users[i] = &cometchat.User{UID: fmt.Sprintf("user_%04d", i), Name: "Bench User", Tags: []string{"a", "b"},
			Avatar: "https://assets.example.com/avatars/user.png", Metadata: map[string]any{"plan": "pro"}}
	}
	if err := srv.AddUsers(users...); err != nil {
		b.Fatal(err)
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = 256
	tr.MaxIdleConnsPerHost = 256
	client := &http.Client{Transport: tr}
	defer tr.CloseIdleConnections()
	var next atomic.Int64
	b.SetParallelism(16) // several requests in flight per core, as a test suite with parallel tests has
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := next.Add(1) % n
			req, _ := http.NewRequest(http.MethodGet, srv.URL()+"/users/"+users[i].UID, nil)
			req.Header.Set("apikey", srv.APIKey())
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
}

func TestServer_CreateUser_MinimalShape(t *testing.T) {
	srv, _ := newTestServer(t)
	r := call(t, srv, http.MethodPost, "/users", `{"uid":"Alice","name":"Alice A"}`)
	require.Equal(t, http.StatusOK, r.status)
	assert.JSONEq(t, `{"data":{"uid":"alice","name":"Alice A","role":"default","status":"offline","createdAt":1700000000}}`, r.raw)
	assert.Equal(t, "application/json", r.header.Get("Content-Type"))
}

func TestServer_CreateUser_FullShape(t *testing.T) {
	srv, _ := newTestServer(t, WithRoles("manager"))
	r := call(t, srv, http.MethodPost, "/users", `{"uid":"bob","name":"Bob","avatar":"https://a.example/b.png",
		"link":"http://b.example","role":"manager","statusMessage":"hi","metadata":{"@private":{"email":"b@x.io"},"n":12345678901234567890},
		"tags":["t1","t2"],"withAuthToken":true}`)
	d := r.data(t)
	assert.Regexp(t, `^bob_1700000000[0-9a-f]{30}$`, d["authToken"])
	delete(d, "authToken")
	assert.Equal(t, map[string]any{
		"uid": "bob", "name": "Bob", "avatar": "https://a.example/b.png", "link": "http://b.example",
		"role": "manager", "statusMessage": "hi", "status": "offline", "createdAt": 1700000000.0,
		"metadata": map[string]any{"@private": map[string]any{"email": "b@x.io"}, "n": 12345678901234567890.0},
		"tags":     []any{"t1", "t2"},
	}, d)
	assert.Contains(t, r.raw, `"avatar":"https:\/\/a.example\/b.png"`, "slashes are escaped like the real API")
	assert.Contains(t, r.raw, `12345678901234567890`, "numbers in metadata are kept as sent")
	assert.Equal(t, []string{d2s(t, r, "uid")}, []string{"bob"})
	assert.Len(t, srv.Tokens("bob"), 1)
}

func TestServer_CreateUser_EmptyStringsAreNotSent(t *testing.T) {
	srv, _ := newTestServer(t)
	r := call(t, srv, http.MethodPost, "/users", `{"uid":"a","name":"A","avatar":"","link":"","role":"","statusMessage":"","tags":[],"metadata":null}`)
	assert.JSONEq(t, `{"data":{"uid":"a","name":"A","role":"default","status":"offline","createdAt":1700000000}}`, r.raw)
}

func TestServer_CreateUser_Validation(t *testing.T) {
	long := strings.Repeat("a", 101)
	cases := []struct {
		name, body string
		want       map[string]string // field → one expected message
	}{
		{"empty body", ``, map[string]string{"uid": "The uid field is required.", "name": "The name field is required."}},
		{"empty object", `{}`, map[string]string{"uid": "The uid field is required.", "name": "The name field is required."}},
		{"bad uid chars", `{"uid":"a b","name":"A"}`, map[string]string{"uid": "The uid may only contain letters, numbers, dashes and underscores."}},
		{"non-ascii uid", `{"uid":"\u212a","name":"A"}`, map[string]string{"uid": "The uid may only contain letters, numbers, dashes and underscores."}},
		{"long uid", `{"uid":"` + long + `","name":"A"}`, map[string]string{"uid": "The uid may not be greater than 100 characters."}},
		{"blank name", `{"uid":"a","name":"  "}`, map[string]string{"name": "The name field is required."}},
		{"long name", `{"uid":"a","name":"` + strings.Repeat("😀", 101) + `"}`, map[string]string{"name": "The name may not be greater than 100 characters."}},
		{"avatar", `{"uid":"a","name":"A","avatar":"Invalid:https://x/a.png"}`, map[string]string{"avatar": "The avatar must be a valid URL."}},
		{"avatar no host", `{"uid":"a","name":"A","avatar":"https:///a.png"}`, map[string]string{"avatar": "The avatar must be a valid URL."}},
		{"link scheme", `{"uid":"a","name":"A","link":"ftp://x.io"}`, map[string]string{"link": "The link must be a valid URL."}},
		{"long link", `{"uid":"a","name":"A","link":"https://x.io/` + strings.Repeat("a", 3000) + `"}`, map[string]string{"link": "The link may not be greater than 3000 characters."}},
		{"metadata array", `{"uid":"a","name":"A","metadata":[1]}`, map[string]string{"metadata": "The metadata must be a JSON object."}},
		{"metadata huge number", `{"uid":"a","name":"A","metadata":{"x":1e400}}`, map[string]string{"metadata": "The metadata must be a JSON object."}},
		{"metadata too big", `{"uid":"a","name":"A","metadata":{"x":"` + strings.Repeat("a", 5120) + `"}}`, map[string]string{"metadata": "The metadata may not be greater than 5 KB."}},
		{"too many tags", `{"uid":"a","name":"A","tags":[` + strings.TrimSuffix(strings.Repeat(`"t",`, 26), ",") + `]}`, map[string]string{"tags": "The tags may not have more than 25 items."}},
		{"blank tag", `{"uid":"a","name":"A","tags":[" "]}`, map[string]string{"tags.0": "The tags.0 field is required."}},
		{"long tag", `{"uid":"a","name":"A","tags":["ok","` + long + `"]}`, map[string]string{"tags.1": "The tags.1 may not be greater than 100 characters."}},
		{"long role", `{"uid":"a","name":"A","role":"` + long + `"}`, map[string]string{"role": "The role may not be greater than 100 characters."}},
		{"uid type", `{"uid":5,"name":"A"}`, map[string]string{"uid": "The uid must be a string."}},
		{"tags type", `{"uid":"a","name":"A","tags":"x"}`, map[string]string{"tags": "The tags must be an array of strings."}},
		{"withAuthToken type", `{"uid":"a","name":"A","withAuthToken":"yes"}`, map[string]string{"withAuthToken": "The withAuthToken field must be true or false."}},
	}
	srv, _ := newTestServer(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := call(t, srv, http.MethodPost, "/users", tc.body).detailsOf(t)
			require.Len(t, d, len(tc.want), "%v", d)
			for field, msg := range tc.want {
				assert.Contains(t, d[field], msg, "%v", d)
			}
		})
	}
	assert.Empty(t, srv.Users(), "nothing was created")
}

func TestServer_CreateUser_MetadataMaxSizeAccepted(t *testing.T) {
	srv, _ := newTestServer(t)
	meta := `{"x":"` + strings.Repeat("a", 5120-8) + `"}` // exactly 5 KB
	require.Len(t, meta, 5120)
	createUser(t, srv, `{"uid":"a","name":"A","metadata":`+meta+`}`)
}

func TestServer_CreateUser_DuplicateUID(t *testing.T) {
	srv, _ := newTestServer(t)
	createUser(t, srv, `{"uid":"user_000","name":"A"}`)
	e := call(t, srv, http.MethodPost, "/users", `{"uid":"USER_000","name":"B"}`).apiErr(t, http.StatusBadRequest, "ERR_UID_ALREADY_EXISTS")
	assert.Equal(t, "The uid user_000 already exists. Please use another uid or try after permanently deleting the user.", e["message"])
	assert.Equal(t, "The uid user_000 already exists. Please use another uid or try recreating after permanently deleting the user.", e["devMessage"])

	call(t, srv, http.MethodDelete, "/users/user_000", "").data(t)
	call(t, srv, http.MethodPost, "/users", `{"uid":"user_000","name":"B"}`).apiErr(t, http.StatusBadRequest, "ERR_UID_ALREADY_EXISTS")
	call(t, srv, http.MethodDelete, "/users/user_000", `{"permanent":true}`).data(t)
	assert.Equal(t, "B", createUser(t, srv, `{"uid":"user_000","name":"B"}`)["name"], "a permanent delete frees the uid")
}

func TestServer_CreateUpdateUser_Roles(t *testing.T) {
	srv, _ := newTestServer(t, WithRoles("manager"))
	createUser(t, srv, `{"uid":"a","name":"A"}`)
	createUser(t, srv, `{"uid":"b","name":"B","role":"default"}`)
	createUser(t, srv, `{"uid":"c","name":"C","role":"manager"}`)
	e := call(t, srv, http.MethodPost, "/users", `{"uid":"d","name":"D","role":"admin"}`).apiErr(t, http.StatusBadRequest, "ERR_ROLE_NOT_FOUND")
	assert.Contains(t, e["message"], "admin")
	call(t, srv, http.MethodPut, "/users/a", `{"role":"admin"}`).apiErr(t, http.StatusBadRequest, "ERR_ROLE_NOT_FOUND")
	assert.Equal(t, "manager", call(t, srv, http.MethodPut, "/users/a", `{"role":"manager"}`).data(t)["role"])

	assert.Equal(t, "manager", createUser(t, srv, `{"uid":"e","name":"E","role":"Manager"}`)["role"], "role ids compare lowercased")
	call(t, srv, http.MethodPut, "/users/e", `{"role":"NOPE"}`).apiErr(t, http.StatusBadRequest, "ERR_ROLE_NOT_FOUND")

	bare, _ := newTestServer(t)
	e = call(t, bare, http.MethodPost, "/users", `{"uid":"a","name":"A","role":"anything"}`).apiErr(t, http.StatusBadRequest, "ERR_ROLE_NOT_FOUND")
	assert.Equal(t, "The role anything does not exist. Please create the role first.", e["message"], "without WithRoles only default exists, as in production")
	call(t, bare, http.MethodPost, "/roles", `{"role":"anything","name":"Anything"}`).data(t)
	assert.Equal(t, "anything", createUser(t, bare, `{"uid":"a","name":"A","role":"anything"}`)["role"], "a role created through the API")
}

func TestServer_GetUser(t *testing.T) {
	srv, _ := newTestServer(t)
	createUser(t, srv, `{"uid":"alice","name":"Alice","tags":["x"]}`)
	r := call(t, srv, http.MethodGet, "/users/ALICE", "")
	assert.JSONEq(t, `{"data":{"uid":"alice","name":"Alice","role":"default","status":"offline","tags":["x"],"createdAt":1700000000}}`, r.raw)

	e := call(t, srv, http.MethodGet, "/users/User_000", "").apiErr(t, http.StatusNotFound, "ERR_UID_NOT_FOUND")
	assert.Equal(t, "The UID user_000 does not exist, please make sure you have created a user with UID user_000.", e["message"])
	assert.Equal(t, "The UID user_000 does not exist, so please make sure you have created a user with UID user_000.", e["devMessage"])

	e = call(t, srv, http.MethodGet, "/users/a%2Fb", "").apiErr(t, http.StatusNotFound, "ERR_UID_NOT_FOUND")
	assert.Contains(t, e["message"], "UID a/b does", "an escaped slash is part of the uid")

	call(t, srv, http.MethodDelete, "/users/alice", "").data(t)
	call(t, srv, http.MethodGet, "/users/alice", "").apiErr(t, http.StatusNotFound, "ERR_UID_NOT_FOUND")
}

func TestServer_GetUser_OnBehalfOf(t *testing.T) {
	srv, _ := newTestServer(t)
	createUser(t, srv, `{"uid":"zed","name":"Zed"}`)
	createUser(t, srv, `{"uid":"amy","name":"Amy"}`)
	d := call(t, srv, http.MethodGet, "/users/zed", "", "onBehalfOf", "AMY").data(t)
	assert.Equal(t, "amy_user_zed", d["conversationId"])
	assert.Equal(t, false, d["blockedByMe"])
	assert.Equal(t, false, d["hasBlockedMe"])
	assert.NotContains(t, call(t, srv, http.MethodGet, "/users/zed", "").data(t), "conversationId")
	call(t, srv, http.MethodGet, "/users/zed", "", "onBehalfOf", "nobody").apiErr(t, http.StatusNotFound, "ERR_UID_NOT_FOUND")
	items := call(t, srv, http.MethodGet, "/users", "", "onBehalfOf", "zed").list(t)
	assert.Equal(t, "amy_user_zed", items[0].(map[string]any)["conversationId"])
	assert.NotContains(t, items[1].(map[string]any), "conversationId", "no conversation with oneself")
}

func TestServer_UpdateUser(t *testing.T) {
	srv, clock := newTestServer(t, WithRoles("r"))
	createUser(t, srv, `{"uid":"a","name":"A","avatar":"https://x.io/a.png","link":"https://x.io","metadata":{"k":1},"tags":["t"],"statusMessage":"s"}`)
	clock.Advance(time.Minute)
	r := call(t, srv, http.MethodPut, "/users/A", `{"name":"test","link":"https://foo.bar","unset":["avatar"]}`)
	assert.JSONEq(t, `{"data":{"uid":"a","name":"test","link":"https://foo.bar","role":"default","statusMessage":"s",
		"metadata":{"k":1},"status":"offline","tags":["t"],"createdAt":1700000000,"updatedAt":1700000060}}`, r.raw)

	d := call(t, srv, http.MethodPut, "/users/a", `{"tags":[],"metadata":{"n":2},"role":"r","statusMessage":""}`).data(t)
	assert.NotContains(t, d, "tags", "[] clears the tags")
	assert.NotContains(t, d, "statusMessage")
	assert.Equal(t, map[string]any{"n": 2.0}, d["metadata"], "metadata is replaced, not merged")
	assert.Equal(t, "r", d["role"])

	d = call(t, srv, http.MethodPut, "/users/a", `{"metadata":"{\"email\":\"user@email.com\"}"}`).data(t)
	assert.Equal(t, map[string]any{"email": "user@email.com"}, d["metadata"], "a JSON string is decoded")
	d = call(t, srv, http.MethodPut, "/users/a", `{"metadata":"plain"}`).data(t)
	assert.Equal(t, "plain", d["metadata"], "a string that is not an object is kept as a string")

	d = call(t, srv, http.MethodPut, "/users/a", `{"unset":["link","metadata"],"avatar":"https://x.io/b.png"}`).data(t)
	assert.NotContains(t, d, "link")
	assert.NotContains(t, d, "metadata")
	assert.Equal(t, "https://x.io/b.png", d["avatar"])

	assert.Equal(t, "test", call(t, srv, http.MethodPut, "/users/a", ``).data(t)["name"], "an empty update changes nothing")
}

func TestServer_UpdateUser_Validation(t *testing.T) {
	srv, _ := newTestServer(t)
	createUser(t, srv, `{"uid":"a","name":"A"}`)
	cases := map[string]map[string]string{
		`{"name":""}`:                 {"name": "The name field must have a value."},
		`{"avatar":""}`:               {"avatar": "The avatar must be a valid URL."},
		`{"link":"nope"}`:             {"link": "The link must be a valid URL."},
		`{"role":""}`:                 {"role": "The role field must have a value."},
		`{"tags":[""]}`:               {"tags.0": "The tags.0 field is required."},
		`{"metadata":5}`:              {"metadata": "The metadata must be a JSON object."},
		`{"unset":["avatar","name"]}`: {"unset.1": "The selected unset.1 is invalid."},
		`{"name":5}`:                  {"name": "The name must be a string."},
	}
	for body, want := range cases {
		d := call(t, srv, http.MethodPut, "/users/a", body).detailsOf(t)
		require.Len(t, d, len(want), body)
		for field, msg := range want {
			assert.Contains(t, d[field], msg, body)
		}
	}
	u, _ := srv.User("a")
	assert.True(t, u.UpdatedAt.IsZero(), "failed updates change nothing")
	call(t, srv, http.MethodPut, "/users/nobody", `{"name":"x"}`).apiErr(t, http.StatusNotFound, "ERR_UID_NOT_FOUND")
}

func TestServer_DeleteUser(t *testing.T) {
	srv, clock := newTestServer(t)
	createUser(t, srv, `{"uid":"user_000","name":"A","withAuthToken":true}`)
	clock.Advance(time.Second)

	r := call(t, srv, http.MethodDelete, "/users/USER_000", `{"permanent":false}`)
	assert.JSONEq(t, `{"data":{"deactivatedUids":["user_000"]}}`, r.raw)
	u, ok := srv.User("user_000")
	require.True(t, ok)
	assert.Equal(t, t0.Add(time.Second), u.DeactivatedAt)
	assert.True(t, u.UpdatedAt.IsZero(), "deactivation sets deactivatedAt, not updatedAt")
	call(t, srv, http.MethodDelete, "/users/user_000", "").apiErr(t, http.StatusNotFound, "ERR_UID_NOT_FOUND")

	r = call(t, srv, http.MethodDelete, "/users/user_000", `{"permanent":true}`)
	assert.JSONEq(t, `{"data":{"success":true,"message":"User with UID user_000 has been deleted successfully."}}`, r.raw)
	_, ok = srv.User("user_000")
	assert.False(t, ok)
	call(t, srv, http.MethodDelete, "/users/user_000", `{"permanent":true}`).apiErr(t, http.StatusNotFound, "ERR_UID_NOT_FOUND")
	call(t, srv, http.MethodDelete, "/users/nobody", "").apiErr(t, http.StatusNotFound, "ERR_UID_NOT_FOUND")
	call(t, srv, http.MethodDelete, "/users/a", `{"permanent":"yes"}`).detailsOf(t)

	createUser(t, srv, `{"uid":"user_000","name":"A"}`)
	assert.Empty(t, srv.Tokens("user_000"), "a permanent delete removes the tokens")
	assert.Empty(t, call(t, srv, http.MethodGet, "/users/user_000/auth_tokens", "").list(t))
}

func TestServer_DeactivateReactivateUsers(t *testing.T) {
	srv, _ := newTestServer(t)
	for _, uid := range []string{"a", "b", "c"} {
		createUser(t, srv, `{"uid":"`+uid+`","name":"N"}`)
	}
	r := call(t, srv, http.MethodDelete, "/users", `{"uidsToDeactivate":["A","b"]}`)
	assert.JSONEq(t, `{"data":{"deactivatedUids":["a","b"]}}`, r.raw, "empty buckets are omitted")
	r = call(t, srv, http.MethodDelete, "/users", `{"uidsToDeactivate":["a","C","NoSuch"]}`)
	assert.JSONEq(t, `{"data":{"deactivatedUids":["c"],"alreadyDeactivatedUids":["a"],"notFound":["NoSuch"]}}`, r.raw)

	r = call(t, srv, http.MethodPut, "/users", `{"uidsToActivate":["x"]}`)
	assert.JSONEq(t, `{"data":{"notFound":["x"]}}`, r.raw)
	createUser(t, srv, `{"uid":"d","name":"N"}`)
	r = call(t, srv, http.MethodPut, "/users", `{"uidsToActivate":["a","D","Gone"]}`)
	assert.JSONEq(t, `{"data":{"reactivatedUids":["a"],"nonDeactivatedUids":["d"],"notFound":["Gone"]}}`, r.raw)
	d := call(t, srv, http.MethodGet, "/users/a", "").data(t)
	assert.NotContains(t, d, "deactivatedAt", "reactivation clears deactivatedAt")

	for _, body := range []string{``, `{}`, `{"uidsToDeactivate":[]}`} {
		d := call(t, srv, http.MethodDelete, "/users", body).detailsOf(t)
		assert.Equal(t, []any{"The uidsToDeactivate field is required."}, d["uidsToDeactivate"])
	}
	assert.Contains(t, call(t, srv, http.MethodDelete, "/users", `{"uidsToDeactivate":["a",""]}`).detailsOf(t), "uidsToDeactivate.1")
	assert.Contains(t, call(t, srv, http.MethodPut, "/users", `{"uidsToActivate":null}`).detailsOf(t), "uidsToActivate")
	assert.Contains(t, call(t, srv, http.MethodPut, "/users", `{"uidsToActivate":"a"}`).detailsOf(t), "uidsToActivate")
}

func TestServer_ListUsers_ShapeAndOrder(t *testing.T) {
	srv, clock := newTestServer(t)
	r := call(t, srv, http.MethodGet, "/users", "")
	assert.JSONEq(t, `{"data":[],"meta":{"pagination":{"total":0,"count":0,"per_page":100,"current_page":1,"total_pages":0},
		"cursor":{"updatedAt":1700000000,"affix":"prepend"}}}`, r.raw)

	createUser(t, srv, `{"uid":"first","name":"N","tags":["t"]}`)
	createUser(t, srv, `{"uid":"second","name":"N"}`) // same second: the later insertion comes first
	clock.Advance(time.Second)
	createUser(t, srv, `{"uid":"third","name":"N"}`)
	require.NoError(t, srv.AddUsers(
		&cometchat.User{UID: "old", Name: "N", CreatedAt: t0.Add(-time.Hour)},
		&cometchat.User{UID: "future", Name: "N", CreatedAt: t0.Add(time.Hour)},
	))
	r = call(t, srv, http.MethodGet, "/users", "")
	assert.Equal(t, []string{"future", "third", "second", "first", "old"}, r.uids(t))
	assert.NotContains(t, r.list(t)[3], "tags", "tags only with withTags")
	assert.Equal(t, []any{"t"}, call(t, srv, http.MethodGet, "/users?withTags=true", "").list(t)[3].(map[string]any)["tags"])
	assert.Equal(t, []any{"t"}, call(t, srv, http.MethodGet, "/users?withTags=1", "").list(t)[3].(map[string]any)["tags"])
	assert.Equal(t, map[string]any{"total": 5.0, "count": 5.0, "per_page": 100.0, "current_page": 1.0, "total_pages": 1.0}, r.pagination(t))
	assert.NotContains(t, r.body, "cursor", "the cursor sits inside meta")
	assert.Equal(t, map[string]any{"updatedAt": 1700003600.0, "affix": "prepend"}, r.body["meta"].(map[string]any)["cursor"],
		"the newest createdAt of the list")
}

func TestServer_ListUsers_Paging(t *testing.T) {
	srv, clock := newTestServer(t)
	for i := range 5 {
		createUser(t, srv, fmt.Sprintf(`{"uid":"u%d","name":"N"}`, i))
		clock.Advance(time.Second)
	}
	r := call(t, srv, http.MethodGet, "/users?perPage=2&page=2", "")
	assert.Equal(t, []string{"u2", "u1"}, r.uids(t))
	assert.Equal(t, map[string]any{"total": 5.0, "count": 2.0, "per_page": 2.0, "current_page": 2.0, "total_pages": 3.0}, r.pagination(t))
	r = call(t, srv, http.MethodGet, "/users?perPage=2&page=3", "")
	assert.Equal(t, []string{"u0"}, r.uids(t))
	r = call(t, srv, http.MethodGet, "/users?perPage=2&page=4", "")
	assert.Empty(t, r.list(t))
	assert.Equal(t, 5.0, r.pagination(t)["total"])
	r = call(t, srv, http.MethodGet, "/users?perPage=2&page=99999999999999999999", "")
	assert.Empty(t, r.list(t), "a huge page is past the end")

	assert.Equal(t, 1000.0, call(t, srv, http.MethodGet, "/users?perPage=5000", "").pagination(t)["per_page"], "perPage is clamped")
	assert.Equal(t, 1000.0, call(t, srv, http.MethodGet, "/users?perPage=99999999999999999999", "").pagination(t)["per_page"])
	for _, q := range []string{"perPage=0", "perPage=-1", "perPage=abc", "perPage=1.5"} {
		assert.Contains(t, call(t, srv, http.MethodGet, "/users?"+q, "").detailsOf(t), "perPage", q)
	}
	for _, q := range []string{"page=0", "page=-2", "page=x"} {
		assert.Contains(t, call(t, srv, http.MethodGet, "/users?"+q, "").detailsOf(t), "page", q)
	}
	for _, q := range []string{"withTags=yes", "onlyDeactivated=2", "withDeactivated=TRUE", "status=busy", "searchIn=email"} {
		d := call(t, srv, http.MethodGet, "/users?"+q, "").detailsOf(t)
		assert.Contains(t, d, strings.Split(q, "=")[0], q)
	}
}

func TestServer_ListUsers_Filters(t *testing.T) {
	srv, clock := newTestServer(t, WithRoles("admin", "mod"))
	for _, body := range []string{
		`{"uid":"ann","name":"Zoe Ann","role":"admin","tags":["red","blue"]}`,
		`{"uid":"bob","name":"Annabel","role":"mod","tags":["blue"]}`,
		`{"uid":"carl","name":"Carl","tags":["green"]}`,
		`{"uid":"anders","name":"Dee"}`,
		`{"uid":"gone","name":"Annie"}`,
	} {
		createUser(t, srv, body)
		clock.Advance(time.Second)
	}
	call(t, srv, http.MethodDelete, "/users/gone", "").data(t)
	require.True(t, srv.SetUserStatus("CARL", cometchat.StatusAvailable))

	list := func(q string) []string {
		t.Helper()
		return call(t, srv, http.MethodGet, "/users?"+q, "").uids(t)
	}
	assert.Equal(t, []string{"anders", "bob", "ann"}, list("searchKey=AN"), "prefix on uid or name, any case")
	assert.Equal(t, []string{"bob"}, list("searchKey=an&searchIn=name"))
	assert.Equal(t, []string{"anders", "ann"}, list("searchKey=an&searchIn=uid"))
	assert.Equal(t, []string{"anders", "bob", "ann"}, list("searchKey=an&searchIn=name,uid"))
	assert.Equal(t, []string{"ann"}, list("searchKey=zoe"))
	assert.Empty(t, list("searchKey=ann%25"), "no wildcards")
	assert.Equal(t, []string{"carl"}, list("status=available"))
	assert.Equal(t, []string{"anders", "bob", "ann"}, list("status=offline"))
	assert.Equal(t, []string{"ann"}, list("role=admin"))
	assert.Equal(t, []string{"bob", "ann"}, list("roles=admin,mod"))
	assert.Equal(t, []string{"anders", "carl"}, list("roles=default"))
	assert.Equal(t, []string{"bob", "ann"}, list("tags=blue"))
	assert.Equal(t, []string{"carl", "ann"}, list("tags=red,green"), "any of the tags")
	assert.Equal(t, []string{"gone"}, list("onlyDeactivated=true"))
	assert.Equal(t, []string{"gone"}, list("onlyDeactivated=1&withDeactivated=1"))
	assert.Equal(t, []string{"gone", "anders", "carl", "bob", "ann"}, list("withDeactivated=true"))
	assert.Equal(t, []string{"anders", "carl", "bob", "ann"}, list("withDeactivated=false&onlyDeactivated=0"))
	assert.Equal(t, []string{"gone"}, list("withDeactivated=true&searchKey=annie"))
	d := call(t, srv, http.MethodGet, "/users?onlyDeactivated=true", "").list(t)[0].(map[string]any)
	assert.Equal(t, 1700000005.0, d["deactivatedAt"])
	r := call(t, srv, http.MethodGet, "/users?tags=blue&perPage=1", "")
	assert.Equal(t, 2.0, r.pagination(t)["total"])
	assert.Equal(t, 2.0, r.pagination(t)["total_pages"])
}

func TestServer_ListUsers_Large200k(t *testing.T) {
	if testing.Short() {
		t.Skip("200,000 users")
	}
	srv, _ := newTestServer(t)
	const n = 200_000
	users := make([]*cometchat.User, n)
	for i := range users {
		// Reversed creation times exercise the one-off sort of AddUsers.
		users[i] = &cometchat.User{UID: fmt.Sprintf("u%06d", i), Name: "N", CreatedAt: t0.Add(-time.Duration(i) * time.Second)}
	}
	require.NoError(t, srv.AddUsers(users...))
	r := call(t, srv, http.MethodGet, "/users?perPage=1000", "")
	assert.Equal(t, map[string]any{"total": 200000.0, "count": 1000.0, "per_page": 1000.0, "current_page": 1.0, "total_pages": 200.0}, r.pagination(t))
	assert.Equal(t, "u000000", r.uids(t)[0])
	r = call(t, srv, http.MethodGet, "/users?perPage=1000&page=200", "")
	assert.Equal(t, "u199999", r.uids(t)[999])
	assert.Empty(t, call(t, srv, http.MethodGet, "/users?perPage=1000&page=201", "").list(t))
	call(t, srv, http.MethodDelete, "/users/u000000", "").data(t)
	r = call(t, srv, http.MethodGet, "/users?perPage=1000&page=2", "") // scans: a user is deactivated
	assert.Equal(t, "u001001", r.uids(t)[0])
	assert.Equal(t, 199999.0, r.pagination(t)["total"])
	r = call(t, srv, http.MethodGet, "/users?searchKey=u19999", "")
	assert.Equal(t, 10.0, r.pagination(t)["total"])
}

// benchUsers are realistic users: every field set, "/" in URLs, tags, and about 1 KiB of nested metadata.
func benchUsers(n int) []*cometchat.User {
	users := make([]*cometchat.User, n)
	for i := range users {
		uid := fmt.Sprintf("user_%04d", i)
		users[i] = &cometchat.User{
			UID: uid, Name: "Bench User " + strconv.Itoa(i), Role: "default", StatusMessage: "In a meeting / back at 3",
			Avatar: "https://assets.example.com/avatars/v2/" + uid + ".webp", Link: "https://example.com/profiles/" + uid,
			Tags:      []string{"engineering", "berlin/office", "beta-tester"},
			CreatedAt: time.Unix(1700000000+int64(i), 0), UpdatedAt: time.Unix(1700100000+int64(i), 0),
			LastActiveAt: time.Unix(1700200000+int64(i), 0),
			Metadata: map[string]any{
				"@private": map[string]any{"email": uid + "@example.com", "contactNumber": "+49 30 1234567"},
				"profile": map[string]any{
					"title": "Senior Engineer", "department": "Platform / Infrastructure", "manager": "user_0001",
					"bio":      "Builds distributed systems, likes Go, climbing and long walks through the city. Writes at https://blog.example.com/" + uid,
					"links":    []any{"https://github.com/" + uid, "https://linkedin.com/in/" + uid},
					"skills":   []any{"go", "kubernetes", "postgres", "grpc", "terraform"},
					"location": map[string]any{"city": "Berlin", "country": "DE", "tz": "Europe/Berlin", "lat": 52.52, "lng": 13.405},
				},
				"settings": map[string]any{"theme": "dark", "notifications": map[string]any{"email": true, "push": false, "digest": "weekly"}},
				"stats":    map[string]any{"messages": 12345, "groups": 17, "since": "2019-04-01T10:00:00Z"},
			},
		}
	}
	return users
}

func benchServe(b *testing.B, srv *Server, path func(i int64) string) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = 256
	tr.MaxIdleConnsPerHost = 256
	client := &http.Client{Transport: tr}
	defer tr.CloseIdleConnections()
	var next atomic.Int64
	b.SetParallelism(16)
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest(http.MethodGet, srv.URL()+path(next.Add(1)), nil)
			req.Header.Set("apikey", srv.APIKey())
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
}

// BenchmarkServer_ListUsers measures GET /users with 100 realistic users per page (withTags) from parallel clients.
func BenchmarkServer_ListUsers(b *testing.B) {
	srv := NewServer()
	defer srv.Close()
	if err := srv.AddUsers(benchUsers(1000)...); err != nil {
		b.Fatal(err)
	}
	benchServe(b, srv, func(i int64) string { return "/users?withTags=true&perPage=100&page=" + strconv.FormatInt(i%10+1, 10) })
}

// BenchmarkServer_GetUserRealistic measures GET /users/{uid} of realistic users from parallel clients.
func BenchmarkServer_GetUserRealistic(b *testing.B) {
	srv := NewServer()
	defer srv.Close()
	if err := srv.AddUsers(benchUsers(1000)...); err != nil {
		b.Fatal(err)
	}
	benchServe(b, srv, func(i int64) string { return fmt.Sprintf("/users/user_%04d", i%1000) })
}
