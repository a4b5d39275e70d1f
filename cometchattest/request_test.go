package cometchattest

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestServer_MalformedBodies_400(t *testing.T) {
	srv, _ := newTestServer(t)
	for _, body := range []string{`{`, `{"uid":"a",}`, `[1]`, `["x"]`, `"x"`, `42`, `{"uid":"a"} trailing`} {
		r := call(t, srv, http.MethodPost, "/users", body)
		e := r.apiErr(t, http.StatusBadRequest, "ERR_BAD_REQUEST")
		assert.NotContains(t, e, "details", body)
	}
	for _, tc := range []struct{ method, path string }{
		{http.MethodPut, "/users/a"}, {http.MethodDelete, "/users/a"}, {http.MethodDelete, "/users"},
		{http.MethodPut, "/users"}, {http.MethodPost, "/users/a/auth_tokens"}, {http.MethodPost, "/data_import/users"},
	} {
		call(t, srv, tc.method, tc.path, `{"x":`).apiErr(t, http.StatusBadRequest, "ERR_BAD_REQUEST")
	}
}

func TestServer_OversizedBody_413(t *testing.T) {
	srv, _ := newTestServer(t)
	body := `{"uid":"a","name":"A","statusMessage":"` + strings.Repeat("x", maxBodyBytes) + `"}`
	r := call(t, srv, http.MethodPost, "/users", body)
	e := r.apiErr(t, http.StatusRequestEntityTooLarge, "ERR_BAD_REQUEST")
	assert.Contains(t, e["message"], "larger than")
	_, ok := srv.User("a")
	assert.False(t, ok)
}

func TestServer_EmptyArrayBodyCountsAsEmptyObject(t *testing.T) {
	srv, _ := newTestServer(t)
	for _, body := range []string{`[]`, `[ ]`, " [\n] "} {
		d := call(t, srv, http.MethodPost, "/users", body).detailsOf(t)
		assert.Equal(t, []any{"The uid field is required."}, d["uid"], "%q is {}: validation runs", body)
	}
	createUser(t, srv, `{"uid":"a","name":"A","withAuthToken":true}`)
	tok := srv.Tokens("a")[0]
	for _, tc := range []struct{ method, path string }{
		{http.MethodPut, "/users/a"}, {http.MethodPost, "/users/a/auth_tokens"}, {http.MethodPut, "/users/a/auth_tokens/" + tok},
		{http.MethodDelete, "/users/a/auth_tokens/" + tok}, {http.MethodDelete, "/users/a"},
	} {
		call(t, srv, tc.method, tc.path, `[]`).data(t)
	}
	d := createUser(t, srv, `{"uid":"b","name":"B","metadata":[]}`)
	assert.Equal(t, map[string]any{}, d["metadata"], "an empty array is an empty object wherever an object goes")
	tok = call(t, srv, http.MethodPost, "/users/b/auth_tokens", `[]`).data(t)["authToken"].(string)
	d = call(t, srv, http.MethodPut, "/users/b/auth_tokens/"+tok, `{"appInfo":[]}`).data(t)
	assert.Equal(t, map[string]any{}, d["appInfo"])
}

func TestIsEmptyArray(t *testing.T) {
	for raw, want := range map[string]bool{`[]`: true, "[ \t]": true, `[1]`: false, `{}`: false, `[`: false, ``: false} {
		assert.Equal(t, want, isEmptyArray([]byte(raw)), raw)
	}
}
