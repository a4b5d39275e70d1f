package cometchattest

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gocometchat/cometchat"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestServer_SDK_Import(t *testing.T) {
	srv, c, _ := setupSDK(t)
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

func TestServer_ImportUsers(t *testing.T) {
	srv, clock := newTestServer(t)
	createUser(t, srv, `{"uid":"taken","name":"T"}`)
	clock.Advance(time.Hour)
	r := call(t, srv, http.MethodPost, "/data_import/users", `{"users":{
		"u1":{"uid":"u1","name":"One","avatar":"https://x.io/1.png","metadata":{"a":1},"tags":["t"],"createdAt":"1673421419","lastActiveAt":"1673421425"},
		"U2":{"uid":"U2","name":"Two","createdAt":1673421400},
		"u3":{"uid":"u3","name":"Three"},
		"taken":{"uid":"taken","name":"T"},
		"mismatch":{"uid":"other","name":"M"},
		"nouid":{"name":"M"},
		"notobj":"u",
		"badname":{"uid":"badname","name":""},
		"badtime":{"uid":"badtime","name":"B","createdAt":"yesterday"},
		"badtype":{"uid":"badtype","name":7},
		"u2":{"uid":"u2","name":"Again"}
	}}`)
	d := r.data(t)
	require.Len(t, d, 11)
	assert.Equal(t, map[string]any{"success": true, "data": map[string]any{
		"uid": "u1", "name": "One", "avatar": "https://x.io/1.png", "metadata": map[string]any{"a": 1.0}, "tags": []any{"t"},
		"role": "default", "status": "offline", "createdAt": 1673421419.0, "lastActiveAt": 1673421425.0,
	}}, d["u1"])
	assert.Equal(t, 1673421400.0, d["U2"].(map[string]any)["data"].(map[string]any)["createdAt"], "numbers are accepted, keys echo as sent")
	assert.Equal(t, float64(t0.Add(time.Hour).Unix()), d["u3"].(map[string]any)["data"].(map[string]any)["createdAt"], "no createdAt: now")

	failed := func(key, code string) map[string]any {
		t.Helper()
		entry := d[key].(map[string]any)
		assert.Equal(t, false, entry["success"], key)
		assert.NotContains(t, entry, "data", key)
		e := entry["error"].(map[string]any)
		assert.Equal(t, code, e["code"], key)
		assert.NotEmpty(t, e["message"], key)
		return e
	}
	assert.Equal(t, "The uid taken already exists. Please use another uid or try after permanently deleting the user.", failed("taken", "ERR_UID_ALREADY_EXISTS")["message"])
	failed("u2", "ERR_UID_ALREADY_EXISTS") // U2 earlier in the request took it
	failed("mismatch", "ERR_IMPORT_INVALID_USER_FORMAT")
	failed("nouid", "ERR_IMPORT_INVALID_USER_FORMAT")
	failed("notobj", "ERR_IMPORT_INVALID_USER_FORMAT")
	e := failed("badname", "ERR_BAD_REQUEST")
	assert.Equal(t, "The name field is required.", e["message"])
	assert.Contains(t, e["details"], "name")
	assert.Contains(t, failed("badtime", "ERR_BAD_REQUEST")["details"], "createdAt")
	assert.Contains(t, failed("badtype", "ERR_BAD_REQUEST")["details"], "name")

	// Imported users keep their history and sort by it.
	r = call(t, srv, http.MethodGet, "/users", "")
	assert.Equal(t, []string{"u3", "taken", "u1", "u2"}, r.uids(t))
	u, ok := srv.User("u1")
	require.True(t, ok)
	assert.Equal(t, time.Unix(1673421425, 0).UTC(), u.LastActiveAt)
}

func TestServer_ImportUsers_Limits(t *testing.T) {
	srv, _ := newTestServer(t)
	users := func(n int) string {
		var b strings.Builder
		b.WriteString(`{"users":{`)
		for i := range n {
			if i > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, `"u%d":{"uid":"u%d","name":"N","createdAt":"1673421419"}`, i, i)
		}
		b.WriteString("}}")
		return b.String()
	}
	d := call(t, srv, http.MethodPost, "/data_import/users", users(51)).detailsOf(t)
	assert.Equal(t, []any{"The users may not have more than 50 items."}, d["users"])
	assert.Empty(t, srv.Users(), "an oversized batch imports nothing")
	for _, body := range []string{``, `{}`, `{"users":{}}`, `{"users":null}`, `{"users":[]}`, `{"users":"x"}`} {
		assert.Contains(t, call(t, srv, http.MethodPost, "/data_import/users", body).detailsOf(t), "users", body)
	}
	assert.Len(t, call(t, srv, http.MethodPost, "/data_import/users", users(50)).data(t), 50)
	assert.Len(t, srv.Users(), 50)
}

func TestServer_ImportUsers_RolesAndDuplicateKeys(t *testing.T) {
	srv, _ := newTestServer(t, WithRoles("admin"))
	d := call(t, srv, http.MethodPost, "/data_import/users", `{"users":{
		"a":{"uid":"a","name":"First"},"b":{"uid":"b","name":"B","role":"boss"},"c":{"uid":"c","name":"C","role":"admin"},
		"a":{"uid":"a","name":"Last"}}}`).data(t)
	require.Len(t, d, 3)
	assert.Equal(t, "Last", d["a"].(map[string]any)["data"].(map[string]any)["name"], "a repeated key keeps its last value")
	assert.Equal(t, "ERR_ROLE_NOT_FOUND", d["b"].(map[string]any)["error"].(map[string]any)["code"])
	assert.Equal(t, true, d["c"].(map[string]any)["success"])
}
