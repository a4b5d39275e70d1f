package cometchattest

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gocometchat/cometchat"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// seedPeople adds active users a, b, c, d (created a second apart) and a deactivated user "gone".
func seedPeople(t *testing.T, srv *Server) {
	t.Helper()
	var users []*cometchat.User
	for i, uid := range []string{"a", "b", "c", "d"} {
		users = append(users, &cometchat.User{UID: uid, Name: strings.ToUpper(uid) + " Name", CreatedAt: t0.Add(time.Duration(i) * time.Second)})
	}
	users = append(users, &cometchat.User{UID: "gone", Name: "Gone", DeactivatedAt: t0})
	require.NoError(t, srv.AddUsers(users...))
}

func TestServer_AddFriends_PerUIDResults(t *testing.T) {
	srv, _ := newTestServer(t)
	seedPeople(t, srv)
	r := call(t, srv, http.MethodPost, "/users/A/friends", `{"accepted":["B","c","a","nobody","gone","b"]}`)
	ok := map[string]any{"success": true, "message": "Created relationship with status accepted."}
	d := r.data(t)
	assert.Equal(t, map[string]any{"accepted": map[string]any{
		"b": ok, "c": ok,
		"a":      map[string]any{"success": false, "error": map[string]any{"code": "ERR_CANNOT_FORM_SELF_RELATION", "message": "A user cannot form a relationship with itself."}},
		"nobody": map[string]any{"success": false, "error": map[string]any{"code": "ERR_UID_NOT_FOUND", "message": "The UID nobody does not exist, please make sure you have created a user with UID nobody."}},
		"gone":   map[string]any{"success": false, "error": map[string]any{"code": "ERR_UID_NOT_FOUND", "message": "The UID gone does not exist, please make sure you have created a user with UID gone."}},
	}}, d, "a repeated uid keeps its first result")
	assert.Equal(t, []string{"c", "b"}, srv.Friends("a"))
	assert.Equal(t, []string{"a"}, srv.Friends("B"), "mutual")

	d = call(t, srv, http.MethodPost, "/users/b/friends", `{"accepted":["a"]}`).data(t)
	e := d["accepted"].(map[string]any)["a"].(map[string]any)["error"].(map[string]any)
	assert.Equal(t, "ERR_ALREADY_FRIEND", e["code"])
	assert.Equal(t, "The user with UID a is already a friend of the user with UID b.", e["message"])
}

func TestServer_AddFriends_LimitOf1000(t *testing.T) {
	srv, _ := newTestServer(t)
	users := []*cometchat.User{{UID: "hub", Name: "H"}, {UID: "late", Name: "L"}}
	var uids []string
	for i := range maxFriends {
		uid := fmt.Sprintf("f%04d", i)
		uids = append(uids, uid)
		users = append(users, &cometchat.User{UID: uid, Name: "F"})
	}
	require.NoError(t, srv.AddUsers(users...))
	require.NoError(t, srv.AddFriends("hub", uids...))
	require.Error(t, srv.AddFriends("hub", "late"), "the seeding helper checks the limit too")
	d := call(t, srv, http.MethodPost, "/users/hub/friends", `{"accepted":["late"]}`).data(t)
	assert.Equal(t, "ERR_FAILED_TO_ADD_FRIEND", d["accepted"].(map[string]any)["late"].(map[string]any)["error"].(map[string]any)["code"])
	d = call(t, srv, http.MethodPost, "/users/late/friends", `{"accepted":["hub","f0001"]}`).data(t)
	assert.Equal(t, false, d["accepted"].(map[string]any)["hub"].(map[string]any)["success"], "the friend's limit counts too")
	assert.Equal(t, true, d["accepted"].(map[string]any)["f0001"].(map[string]any)["success"])
}

func TestServer_FriendsAndBlocks_BatchValidation(t *testing.T) {
	srv, _ := newTestServer(t)
	seedPeople(t, srv)
	many := `["` + strings.TrimSuffix(strings.Repeat(`b","`, 26), `","`) + `"]`
	for _, tc := range []struct{ method, path, field string }{
		{http.MethodPost, "/users/a/friends", "accepted"}, {http.MethodDelete, "/users/a/friends", "friends"},
		{http.MethodPost, "/users/a/blockedusers", "blockedUids"}, {http.MethodDelete, "/users/a/blockedusers", "blockedUids"},
	} {
		for body, msg := range map[string]string{
			``:                                  "The " + tc.field + " field is required.",
			`{"` + tc.field + `":[]}`:           "The " + tc.field + " field is required.",
			`{"` + tc.field + `":"b"}`:          "The " + tc.field + " must be an array of strings.",
			`{"` + tc.field + `":` + many + `}`: "The " + tc.field + " may not have more than 25 items.",
		} {
			d := call(t, srv, tc.method, tc.path, body).detailsOf(t)
			assert.Equal(t, []any{msg}, d[tc.field], "%s %s %s", tc.method, tc.path, body)
		}
		assert.Contains(t, call(t, srv, tc.method, tc.path, `{"`+tc.field+`":["b",""]}`).detailsOf(t), tc.field+".1")
		for _, uid := range []string{"nobody", "gone"} {
			call(t, srv, tc.method, "/users/"+uid+"/"+strings.Split(tc.path, "/")[3], `{"`+tc.field+`":["b"]}`).apiErr(t, http.StatusNotFound, "ERR_UID_NOT_FOUND")
		}
	}
	for _, uid := range []string{"nobody", "gone"} {
		call(t, srv, http.MethodGet, "/users/"+uid+"/friends", "").apiErr(t, http.StatusNotFound, "ERR_UID_NOT_FOUND")
		call(t, srv, http.MethodGet, "/users/"+uid+"/blockedusers", "").apiErr(t, http.StatusNotFound, "ERR_UID_NOT_FOUND")
	}
	assert.Empty(t, srv.Friends("a"))
	assert.Empty(t, srv.Blocked("a"))
}

func TestServer_RemoveFriends_AllOrNothing(t *testing.T) {
	srv, _ := newTestServer(t)
	seedPeople(t, srv)
	require.NoError(t, srv.AddFriends("a", "b", "c"))
	e := call(t, srv, http.MethodDelete, "/users/a/friends", `{"friends":["b","d"]}`).apiErr(t, http.StatusBadRequest, "ERR_NOT_A_FRIEND")
	assert.Equal(t, "The user with UID d is not a friend of the user with UID a.", e["message"])
	assert.ElementsMatch(t, []string{"b", "c"}, srv.Friends("a"), "nothing changed")
	call(t, srv, http.MethodDelete, "/users/a/friends", `{"friends":["nobody"]}`).apiErr(t, http.StatusBadRequest, "ERR_NOT_A_FRIEND")

	r := call(t, srv, http.MethodDelete, "/users/a/friends", `{"friends":["B"]}`)
	assert.JSONEq(t, `{"data":{"success":true,"message":"Deleted the friend relations succussfully"}}`, r.raw, "the spec's typo")
	assert.Equal(t, []string{"c"}, srv.Friends("a"))
	assert.Empty(t, srv.Friends("b"), "mutual")
}

func TestServer_ListFriends_AsTheUserSeesThem(t *testing.T) {
	srv, clock := newTestServer(t)
	seedPeople(t, srv)
	require.NoError(t, srv.AddFriends("a", "b"))
	require.NoError(t, srv.AddFriends("a", "c", "d"))
	clock.Advance(time.Hour)
	call(t, srv, http.MethodPut, "/users/c", `{"avatar":"https://x.io/c.png"}`).data(t)
	require.NoError(t, srv.AddBlocks("a", "d"))

	r := call(t, srv, http.MethodGet, "/users/a/friends?perPage=2", "")
	assert.JSONEq(t, `{"data":[
		{"uid":"d","name":"D Name","role":"default","status":"offline","createdAt":1700000003,"conversationId":"a_user_d",
		 "blockedByMe":true,"hasBlockedMe":false,"blockedByMeAt":1700003600,"blockedAt":1700003600},
		{"uid":"c","name":"C Name","avatar":"https://x.io/c.png","role":"default","status":"offline","createdAt":1700000002,
		 "updatedAt":1700003600,"conversationId":"a_user_c","blockedByMe":false,"hasBlockedMe":false}],
		"meta":{"pagination":{"total":3,"count":2,"per_page":2,"current_page":1,"total_pages":2},
		"cursor":{"updatedAt":1700003600,"affix":"prepend"}}}`, r.raw, "newest friendship first")
	assert.Equal(t, []string{"b"}, call(t, srv, http.MethodGet, "/users/a/friends?perPage=2&page=2", "").uids(t))
	assert.Equal(t, []string{"b"}, call(t, srv, http.MethodGet, "/users/a/friends?searchKey=B%20N", "").uids(t), "prefix of the name")
	assert.Equal(t, []string{"c"}, call(t, srv, http.MethodGet, "/users/a/friends?searchKey=C", "").uids(t), "prefix of the uid")
	empty := call(t, srv, http.MethodGet, "/users/a/friends?searchKey=zzz", "")
	assert.Empty(t, empty.list(t))
	assert.Equal(t, 1700003600.0, empty.body["meta"].(map[string]any)["cursor"].(map[string]any)["updatedAt"], "empty: the clock's now")

	call(t, srv, http.MethodDelete, "/users/b", "").data(t)
	assert.Equal(t, []string{"d", "c"}, call(t, srv, http.MethodGet, "/users/a/friends", "").uids(t), "deactivated friends are not listed")
	assert.Contains(t, srv.Friends("a"), "b", "but stay friends")
	assert.Contains(t, call(t, srv, http.MethodGet, "/users/a/friends?page=0", "").detailsOf(t), "page")
}

func TestServer_DeleteUserPermanently_RemovesFriendshipsAndBlocks(t *testing.T) {
	srv, _ := newTestServer(t)
	seedPeople(t, srv)
	require.NoError(t, srv.AddFriends("a", "b", "c"))
	require.NoError(t, srv.AddBlocks("a", "b"))
	require.NoError(t, srv.AddBlocks("b", "a", "c"))
	call(t, srv, http.MethodDelete, "/users/b", `{"permanent":true}`).data(t)
	assert.Equal(t, []string{"c"}, srv.Friends("a"))
	assert.Empty(t, srv.Blocked("a"))
	d := call(t, srv, http.MethodGet, "/users/a", "", "onBehalfOf", "c").data(t)
	assert.Equal(t, false, d["hasBlockedMe"])

	createUser(t, srv, `{"uid":"b","name":"Back"}`)
	assert.Empty(t, srv.Friends("b"), "a recreated uid starts with no relations")
	assert.Empty(t, srv.Blocked("b"))
	d = call(t, srv, http.MethodGet, "/users/b", "", "onBehalfOf", "a").data(t)
	assert.Equal(t, false, d["blockedByMe"])
	assert.Equal(t, false, d["hasBlockedMe"])
}

func TestServer_AddFriendsAndAddBlocks_Errors(t *testing.T) {
	srv, _ := newTestServer(t)
	seedPeople(t, srv)
	assert.ErrorContains(t, srv.AddFriends("nobody", "a"), "no user nobody")
	assert.ErrorContains(t, srv.AddFriends("a", "b", "nobody"), "no user nobody")
	assert.ErrorContains(t, srv.AddBlocks("a", "A"), "itself")
	assert.Empty(t, srv.Friends("a"), "all or nothing")
	assert.Nil(t, srv.Friends("nobody"))
	assert.Nil(t, srv.Blocked("nobody"))
	require.NoError(t, srv.AddFriends("a", "gone"), "deactivated users may be seeded")
	assert.Equal(t, []string{"gone"}, srv.Friends("a"))
}
