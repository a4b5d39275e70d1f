package cometchattest

import (
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/gocometchat/cometchat"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestServer_BlockUsers_RecordedAnswerAndPerUIDResults(t *testing.T) {
	srv, _ := newTestServer(t)
	require.NoError(t, srv.AddUsers(&cometchat.User{UID: "user_000", Name: "A"}, &cometchat.User{UID: "user_001", Name: "B"},
		&cometchat.User{UID: "gone", Name: "G", DeactivatedAt: t0}))
	// Recorded (block_user/block_user.yaml and unblock_user.yaml).
	r := call(t, srv, http.MethodPost, "/users/user_000/blockedusers", `{"blockedUids":["user_001"]}`)
	assert.Equal(t, `{"data":{"user_001":{"success":true,"message":"The user with UID user_000 has blocked user with UID user_001 successfully."}}}`, r.raw)
	assert.Equal(t, []string{"user_001"}, srv.Blocked("user_000"))
	r = call(t, srv, http.MethodDelete, "/users/user_000/blockedusers", `{"blockedUids":["user_001"]}`)
	assert.Equal(t, `{"data":{"user_001":{"success":true,"message":"The user with UID user_000 has unblocked user with UID user_001 successfully."}}}`, r.raw)
	assert.Empty(t, srv.Blocked("user_000"))

	for _, method := range []string{http.MethodPost, http.MethodDelete} {
		d := call(t, srv, method, "/users/user_000/blockedusers", `{"blockedUids":["USER_000","nobody","gone","User_001"]}`).data(t)
		assert.Equal(t, map[string]any{"code": "ERR_CANNOT_BLOCK_SELF", "message": "A user cannot block itself."}, d["user_000"].(map[string]any)["error"], method)
		assert.Equal(t, false, d["user_000"].(map[string]any)["success"])
		assert.Equal(t, "ERR_UID_NOT_FOUND", d["nobody"].(map[string]any)["error"].(map[string]any)["code"], method)
		assert.Equal(t, "ERR_UID_NOT_FOUND", d["gone"].(map[string]any)["error"].(map[string]any)["code"], method)
		assert.Equal(t, true, d["user_001"].(map[string]any)["success"], "%s: lowercased", method)
	}
}

func TestServer_BlockUsers_AgainKeepsTimeAndUnblockNotBlockedSucceeds(t *testing.T) {
	srv, clock := newTestServer(t)
	seedPeople(t, srv)
	call(t, srv, http.MethodPost, "/users/a/blockedusers", `{"blockedUids":["b"]}`).data(t)
	clock.Advance(time.Hour)
	d := call(t, srv, http.MethodPost, "/users/a/blockedusers", `{"blockedUids":["b"]}`).data(t)
	assert.Equal(t, true, d["b"].(map[string]any)["success"])
	assert.Equal(t, float64(t0.Unix()), call(t, srv, http.MethodGet, "/users/b", "", "onBehalfOf", "a").data(t)["blockedByMeAt"])
	d = call(t, srv, http.MethodDelete, "/users/a/blockedusers", `{"blockedUids":["c"]}`).data(t)
	assert.Equal(t, true, d["c"].(map[string]any)["success"])
}

func TestServer_GetUser_OnBehalfOfReportsBlocks(t *testing.T) {
	srv, clock := newTestServer(t)
	seedPeople(t, srv)
	require.NoError(t, srv.AddBlocks("a", "b"))
	clock.Advance(time.Minute)
	require.NoError(t, srv.AddBlocks("c", "a"))

	d := call(t, srv, http.MethodGet, "/users/b", "", "onBehalfOf", "a").data(t)
	assert.Equal(t, map[string]any{"uid": "b", "name": "B Name", "role": "default", "status": "offline", "createdAt": 1700000001.0,
		"conversationId": "a_user_b", "blockedByMe": true, "hasBlockedMe": false, "blockedByMeAt": 1700000000.0, "blockedAt": 1700000000.0}, d)
	d = call(t, srv, http.MethodGet, "/users/a", "", "onBehalfOf", "b").data(t)
	assert.Equal(t, []any{false, true, 1700000000.0}, []any{d["blockedByMe"], d["hasBlockedMe"], d["blockedAt"]})
	assert.NotContains(t, d, "blockedByMeAt")
	d = call(t, srv, http.MethodGet, "/users/c", "", "onBehalfOf", "a").data(t)
	assert.Equal(t, []any{false, true, 1700000060.0}, []any{d["blockedByMe"], d["hasBlockedMe"], d["blockedAt"]})
	d = call(t, srv, http.MethodGet, "/users/d", "", "onBehalfOf", "a").data(t)
	assert.Equal(t, []any{false, false}, []any{d["blockedByMe"], d["hasBlockedMe"]})
	assert.NotContains(t, d, "blockedAt")

	items := call(t, srv, http.MethodGet, "/users", "", "onBehalfOf", "a").list(t)
	byUID := map[string]map[string]any{}
	for _, it := range items {
		byUID[it.(map[string]any)["uid"].(string)] = it.(map[string]any)
	}
	assert.Equal(t, true, byUID["b"]["blockedByMe"])
	assert.Equal(t, true, byUID["c"]["hasBlockedMe"])
	assert.Equal(t, false, byUID["a"]["blockedByMe"], "oneself")
	assert.NotContains(t, byUID["a"], "conversationId")
}

func TestServer_ListBlockedUsers_RecordedQuirks(t *testing.T) {
	srv, _ := newTestServer(t)
	// The recording (block_user/list_block_users.yaml): user_000 blocked user_001 … user_024, listed 5 per page.
	users := []*cometchat.User{{UID: "user_000", Name: "user_000", CreatedAt: time.Unix(1694665800, 0)}}
	var blocked []string
	for i := 1; i <= 24; i++ {
		uid := fmt.Sprintf("user_%03d", i)
		blocked = append(blocked, uid)
		users = append(users, &cometchat.User{UID: uid, Name: uid, CreatedAt: time.Unix(1694665786+int64(i), 0)})
	}
	require.NoError(t, srv.AddUsers(users...))
	for i := len(blocked) - 1; i >= 0; i -= 6 { // blocked in four calls, newest uids first
		from := max(i-5, 0)
		var body []byte
		body = fmt.Appendf(body, `{"blockedUids":["%s"`, blocked[i])
		for j := i - 1; j >= from; j-- {
			body = fmt.Appendf(body, `,"%s"`, blocked[j])
		}
		body = append(body, "]}"...)
		call(t, srv, http.MethodPost, "/users/user_000/blockedusers", string(body)).data(t)
	}
	for page := 1; page <= 5; page++ {
		r := call(t, srv, http.MethodGet, "/users/user_000/blockedusers?perPage=5&page="+strconv.Itoa(page), "[]")
		count := min(5, 24-(page-1)*5)
		pages := page + 1
		if count < 5 {
			pages = page
		}
		assert.Equal(t, map[string]any{"total": 0.0, "count": float64(count), "per_page": 5.0, "current_page": float64(page),
			"total_pages": float64(pages)}, r.pagination(t), "page %d", page)
		assert.Equal(t, map[string]any{"updatedAt": 1694665810.0, "affix": "prepend"}, r.body["meta"].(map[string]any)["cursor"])
		items := r.list(t)
		require.Len(t, items, count)
		first := items[0].(map[string]any)
		assert.Equal(t, map[string]any{"uid": first["uid"], "name": first["uid"], "status": "offline", "role": "default",
			"blockedByMe": true, "blockedByMeAt": 1700000000.0, "blockedAt": 1700000000.0, "createdAt": first["createdAt"],
			"conversationId": "user_000_user_" + first["uid"].(string)}, first, "exactly the recorded keys")
	}
	var all []string
	for page := 1; page <= 5; page++ {
		all = append(all, call(t, srv, http.MethodGet, "/users/user_000/blockedusers?perPage=5&page="+strconv.Itoa(page), "").uids(t)...)
	}
	assert.Equal(t, srv.Blocked("user_000"), all, "oldest block first, the seeding helper agrees")
	assert.Equal(t, []string{"user_024", "user_023", "user_022", "user_021", "user_020", "user_019"}, all[:6], "the first call's order")

	r := call(t, srv, http.MethodGet, "/users/user_000/blockedusers?perPage=5&page=9", "")
	assert.Empty(t, r.list(t))
	assert.Equal(t, 9.0, r.pagination(t)["total_pages"], "an empty page is short")
	assert.Contains(t, call(t, srv, http.MethodGet, "/users/user_000/blockedusers?perPage=x", "").detailsOf(t), "perPage")
}
