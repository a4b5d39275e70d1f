package cometchattest

import (
	"net/http"
	"testing"
	"time"

	"github.com/gocometchat/cometchat"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestServer_AddUsers(t *testing.T) {
	srv, _ := newTestServer(t, WithRoles("r"))
	created := time.Unix(1600000000, 0).UTC()
	meta := map[string]any{"k": "v"}
	tags := []string{"a"}
	err := srv.AddUsers(
		&cometchat.User{UID: "Seed", Name: "S", Avatar: "https://x.io/a.png", Link: "https://x.io", Role: "r",
			StatusMessage: "m", Metadata: meta, Status: cometchat.StatusAvailable, Tags: tags,
			CreatedAt: created, UpdatedAt: created.Add(time.Hour), LastActiveAt: created.Add(2 * time.Hour),
			AuthToken: "seed_tok"},
		&cometchat.User{UID: "off", Name: "O", DeactivatedAt: created.Add(time.Minute)},
	)
	require.NoError(t, err)
	meta["k"], tags[0] = "changed", "changed" // the server copied them

	r := call(t, srv, http.MethodGet, "/users/seed", "")
	assert.JSONEq(t, `{"data":{"uid":"seed","name":"S","avatar":"https://x.io/a.png","link":"https://x.io","role":"r",
		"statusMessage":"m","metadata":{"k":"v"},"status":"available","tags":["a"],"createdAt":1600000000,
		"updatedAt":1600003600,"lastActiveAt":1600007200}}`, r.raw)
	call(t, srv, http.MethodGet, "/users/off", "").apiErr(t, http.StatusNotFound, "ERR_UID_NOT_FOUND")
	assert.Equal(t, []string{"off"}, call(t, srv, http.MethodGet, "/users?onlyDeactivated=true", "").uids(t))
	assert.Equal(t, []string{"seed_tok"}, srv.Tokens("SEED"))
	d := call(t, srv, http.MethodGet, "/users/seed/auth_tokens/seed_tok", "").data(t)
	assert.Equal(t, 1600000000.0, d["createdAt"])

	u, ok := srv.User("SEED")
	require.True(t, ok)
	assert.Equal(t, &cometchat.User{UID: "seed", Name: "S", Avatar: "https://x.io/a.png", Link: "https://x.io", Role: "r",
		StatusMessage: "m", Metadata: map[string]any{"k": "v"}, Status: cometchat.StatusAvailable, Tags: []string{"a"},
		CreatedAt: created, UpdatedAt: created.Add(time.Hour), LastActiveAt: created.Add(2 * time.Hour)}, u)
	u.Tags[0] = "mine" // snapshots are the caller's
	u2, _ := srv.User("seed")
	assert.Equal(t, []string{"a"}, u2.Tags)

	all := srv.Users()
	require.Len(t, all, 2)
	assert.Equal(t, "off", all[0].UID)
	assert.Equal(t, created.Add(time.Minute), all[0].DeactivatedAt)
	assert.Equal(t, "default", all[0].Role)
	assert.Equal(t, cometchat.StatusOffline, all[0].Status)

	for name, bad := range map[string]*cometchat.User{
		"duplicate":    {UID: "SEED", Name: "x"},
		"invalid uid":  {UID: "a b", Name: "x"},
		"missing name": {UID: "x"},
		"bad metadata": {UID: "x", Name: "x", Metadata: map[string]any{"f": func() {}}},
		"nil":          nil,
	} {
		err := srv.AddUsers(&cometchat.User{UID: "fine", Name: "F"}, bad)
		assert.Error(t, err, name)
		_, ok := srv.User("fine")
		assert.False(t, ok, "%s: all or nothing", name)
	}
	assert.ErrorContains(t, srv.AddUsers(&cometchat.User{UID: "x", Name: "x"}, &cometchat.User{UID: "X", Name: "y"}), "repeated")

	roled, _ := newTestServer(t, WithRoles("admin"))
	assert.Error(t, roled.AddUsers(&cometchat.User{UID: "x", Name: "x", Role: "boss"}))
	assert.NoError(t, roled.AddUsers(&cometchat.User{UID: "x", Name: "x", Role: "admin"}))
}

func TestServer_AddUsers_CreatedAtDefaultsToClock(t *testing.T) {
	srv, _ := newTestServer(t)
	require.NoError(t, srv.AddUsers(&cometchat.User{UID: "a", Name: "A"}))
	u, _ := srv.User("a")
	assert.Equal(t, t0, u.CreatedAt)
}

func TestServer_SetUserStatus_AndLookups(t *testing.T) {
	srv, _ := newTestServer(t)
	assert.False(t, srv.SetUserStatus("nobody", cometchat.StatusAvailable))
	_, ok := srv.User("nobody")
	assert.False(t, ok)
	assert.Nil(t, srv.Tokens("nobody"))
	createUser(t, srv, `{"uid":"a","name":"A"}`)
	assert.True(t, srv.SetUserStatus("A", cometchat.StatusAvailable))
	assert.Equal(t, "available", call(t, srv, http.MethodGet, "/users/a", "").data(t)["status"])
	assert.NotNil(t, srv.Tokens("a"))
	assert.Empty(t, srv.Tokens("a"))
}

func TestServer_RequestCount_AndReset(t *testing.T) {
	srv, _ := newTestServer(t, WithRateLimit(5))
	createUser(t, srv, `{"uid":"a","name":"A"}`)
	call(t, srv, http.MethodGet, "/users/a", "")
	call(t, srv, http.MethodGet, "/users/a", "", "apikey", "")
	call(t, srv, http.MethodPut, "/users/a", `{}`)
	srv.InjectFault(Fault{Path: "/users/b", Status: 500})
	call(t, srv, http.MethodGet, "/users/b", "")
	assert.Equal(t, 5, srv.RequestCount())
	assert.Equal(t, 2, srv.RequestCountFor(http.MethodGet, "/users/a"))
	assert.Equal(t, 3, srv.RequestCountFor("", "/users/a"))
	assert.Equal(t, 1, srv.RequestCountFor(http.MethodPost, "/users"))
	assert.Equal(t, 1, srv.RequestCountFor("", "/users/b"))
	assert.Equal(t, 0, srv.RequestCountFor(http.MethodGet, "/users"))

	srv.InjectFault(Fault{Status: 500})
	srv.Reset()
	assert.Equal(t, 0, srv.RequestCount())
	assert.Empty(t, srv.Users())
	r := call(t, srv, http.MethodGet, "/users", "")
	assert.Equal(t, http.StatusOK, r.status, "faults are forgotten")
	assert.Equal(t, "4", r.header.Get("X-RateLimit-Remaining"), "windows are forgotten")
	assert.Equal(t, 1, srv.RequestCount())
}
