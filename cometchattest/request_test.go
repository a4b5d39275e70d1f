package cometchattest

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestServer_MalformedBodies_400(t *testing.T) {
	srv, _ := newTestServer(t)
	for _, body := range []string{`{`, `{"uid":"a",}`, `[]`, `"x"`, `42`, `{"uid":"a"} trailing`} {
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
