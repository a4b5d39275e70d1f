package cometchattest

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestServer_Roles_DefaultAlwaysThereAndUndeletable(t *testing.T) {
	srv, _ := newTestServer(t)
	r := call(t, srv, http.MethodGet, "/roles", "")
	assert.JSONEq(t, `{"data":[{"role":"default","name":"Default","description":"Default role","createdAt":1700000000}],
		"meta":{"pagination":{"total":1,"count":1,"per_page":100,"current_page":1,"total_pages":1}}}`, r.raw)
	e := call(t, srv, http.MethodDelete, "/roles/DEFAULT", "").apiErr(t, http.StatusBadRequest, "ERR_ROLE_DELETE_DENIED")
	assert.Contains(t, e["message"], "default")
	assert.Equal(t, []string{"default"}, srv.Roles())
}

func TestServer_Roles_CreateGetUpdateDelete(t *testing.T) {
	srv, clock := newTestServer(t)
	r := call(t, srv, http.MethodPost, "/roles", `{"role":"Manager","name":"manager","description":"This role gives an update access",
		"metadata":{"email":"managers@gmail.com"},"settings":{"listUsers":"all","sendMessagesTo":"friendsOnly"}}`)
	assert.JSONEq(t, `{"data":{"role":"manager","name":"manager","description":"This role gives an update access",
		"metadata":{"email":"managers@gmail.com"},"settings":{"listUsers":"all","sendMessagesTo":"friendsOnly"},"createdAt":1700000000}}`, r.raw,
		"the spec's example, id lowercased")
	assert.JSONEq(t, r.raw, call(t, srv, http.MethodGet, "/roles/MANAGER", "").raw)

	clock.Advance(time.Minute)
	r = call(t, srv, http.MethodPut, "/roles/manager", `{"role":"ignored","name":"Managers","settings":{"listUsers":"friendsOnly"},"unset":["description"]}`)
	assert.JSONEq(t, `{"data":{"role":"manager","name":"Managers","metadata":{"email":"managers@gmail.com"},
		"settings":{"listUsers":"friendsOnly"},"createdAt":1700000000,"updatedAt":1700000060}}`, r.raw)
	d := call(t, srv, http.MethodPut, "/roles/manager", `{"unset":["metadata","settings"],"description":"d"}`).data(t)
	assert.NotContains(t, d, "metadata")
	assert.NotContains(t, d, "settings")
	assert.Equal(t, "d", d["description"])
	d = call(t, srv, http.MethodPut, "/roles/manager", `{"metadata":[],"settings":[]}`).data(t)
	assert.Equal(t, map[string]any{}, d["metadata"], "[] is an empty object")
	assert.NotContains(t, d, "settings", "empty settings are not stored")
	assert.Equal(t, "Managers", call(t, srv, http.MethodPut, "/roles/manager", `[]`).data(t)["name"])

	createUser(t, srv, `{"uid":"ann","name":"Ann","role":"manager"}`)
	r = call(t, srv, http.MethodDelete, "/roles/manager", "")
	assert.JSONEq(t, `{"data":{"success":true,"message":"Role manager has been deleted successfully."}}`, r.raw)
	assert.Equal(t, "default", call(t, srv, http.MethodGet, "/users/ann", "").data(t)["role"], "users of a deleted role get default")
	for _, method := range []string{http.MethodGet, http.MethodPut, http.MethodDelete} {
		e := call(t, srv, method, "/roles/manager", `{}`).apiErr(t, http.StatusNotFound, "ERR_ROLE_NOT_FOUND")
		assert.Contains(t, e["message"], "manager")
	}
	call(t, srv, http.MethodPost, "/users", `{"uid":"bob","name":"Bob","role":"manager"}`).apiErr(t, http.StatusBadRequest, "ERR_ROLE_NOT_FOUND")
}

func TestServer_Roles_Validation(t *testing.T) {
	srv, _ := newTestServer(t)
	long := strings.Repeat("a", 101)
	for body, want := range map[string]map[string]string{
		`{}`:                                 {"role": "The role field is required.", "name": "The name field is required."},
		`{"role":"a b","name":"x"}`:          {"role": "The role may only contain letters, numbers, dashes and underscores."},
		`{"role":"` + long + `","name":"x"}`: {"role": "The role may not be greater than 100 characters."},
		`{"role":"a","name":" "}`:            {"name": "The name field is required."},
		`{"role":"a","name":"` + long + `"}`: {"name": "The name may not be greater than 100 characters."},
		`{"role":"a","name":"x","description":"` + strings.Repeat("é", 256) + `"}`: {"description": "The description may not be greater than 255 characters."},
		`{"role":"a","name":"x","metadata":[1]}`:                                   {"metadata": "The metadata must be an object."},
		`{"role":"a","name":"x","settings":"all"}`:                                 {"settings": "The settings must be an object."},
		`{"role":"a","name":"x","settings":{"listUsers":"some"}}`:                  {"settings.listUsers": "The selected settings.listUsers is invalid."},
		`{"role":"a","name":"x","settings":{"sendMessagesTo":true}}`:               {"settings.sendMessagesTo": "The selected settings.sendMessagesTo is invalid."},
		`{"role":5,"name":"x"}`:                                                    {"role": "The role must be a string."},
	} {
		d := call(t, srv, http.MethodPost, "/roles", body).detailsOf(t)
		require.Len(t, d, len(want), body)
		for field, msg := range want {
			assert.Contains(t, d[field], msg, body)
		}
	}
	call(t, srv, http.MethodPost, "/roles", `{"role":"a","name":"x"}`).data(t)
	for body, field := range map[string]string{`{"name":""}`: "name", `{"unset":["name"]}`: "unset.0", `{"settings":{"listUsers":"x"}}`: "settings.listUsers"} {
		assert.Contains(t, call(t, srv, http.MethodPut, "/roles/a", body).detailsOf(t), field, body)
	}
	d := call(t, srv, http.MethodPost, "/roles", `{"role":"A","name":"again"}`).detailsOf(t)
	assert.Equal(t, map[string]any{"role": []any{"The role has already been taken."}}, d)
	assert.Equal(t, []string{"default", "a"}, srv.Roles())
}

func TestServer_Roles_QuotaOf25AndPaging(t *testing.T) {
	srv, clock := newTestServer(t, WithRoles("seeded"))
	for i := 3; i <= 25; i++ {
		clock.Advance(time.Second)
		call(t, srv, http.MethodPost, "/roles", fmt.Sprintf(`{"role":"r%02d","name":"R"}`, i)).data(t)
	}
	e := call(t, srv, http.MethodPost, "/roles", `{"role":"r26","name":"R"}`).apiErr(t, http.StatusPaymentRequired, "ERR_PLAN_QUOTA_RESTRICTION")
	assert.Equal(t, "You've exhausted the quota. The allowed limit of the feature Create Role for your current plan free-2023-01 is 25. Please upgrade the plan to increase the limit.", e["message"])
	r := call(t, srv, http.MethodGet, "/roles?perPage=10&page=3", "")
	assert.Equal(t, map[string]any{"total": 25.0, "count": 5.0, "per_page": 10.0, "current_page": 3.0, "total_pages": 3.0}, r.pagination(t))
	assert.NotContains(t, r.body["meta"], "cursor")
	assert.Equal(t, "r21", r.list(t)[0].(map[string]any)["role"], "creation order")
	assert.Equal(t, []string{"default", "seeded"}, srv.Roles()[:2])
	assert.Contains(t, call(t, srv, http.MethodGet, "/roles?perPage=0", "").detailsOf(t), "perPage")

	call(t, srv, http.MethodDelete, "/roles/r25", "").data(t)
	call(t, srv, http.MethodPost, "/roles", `{"role":"r26","name":"R"}`).data(t)
	srv.Reset()
	assert.Equal(t, []string{"default", "seeded"}, srv.Roles(), "Reset restores the seeded roles")
}

func TestWithRoles_LowercasesAndRejectsInvalidIDs(t *testing.T) {
	srv, _ := newTestServer(t, WithRoles("Admin", "admin", "default"))
	assert.Equal(t, []string{"default", "admin"}, srv.Roles())
	assert.Equal(t, "admin", call(t, srv, http.MethodGet, "/roles/admin", "").data(t)["name"], "a seeded role is named after its id")
	assert.Panics(t, func() { NewServer(WithRoles("a b")) })
	many := make([]string, 25)
	for i := range many {
		many[i] = fmt.Sprintf("r%d", i)
	}
	assert.Panics(t, func() { NewServer(WithRoles(many...)) })
}
