package cometchattest

import (
	"net"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewServer_Options(t *testing.T) {
	srv := NewServer(WithAPIKey("secret"), WithAppID("My-App1"), WithRegion("eu"))
	defer srv.Close()
	assert.Equal(t, "secret", srv.APIKey())
	assert.Equal(t, "My-App1", srv.AppID())
	assert.Equal(t, "eu", srv.Region())
	assert.Equal(t, http.StatusOK, call(t, srv, http.MethodGet, "/users", "").status)

	assert.Panics(t, func() { NewServer(WithAppID("bad.id")) })
	assert.Panics(t, func() { NewServer(WithRegion("EU")) })
}

func TestWithListener_ServesAndCloses(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := NewServer(WithListener(ln))
	assert.Equal(t, "http://"+ln.Addr().String()+"/v3", srv.URL())
	assert.Equal(t, http.StatusOK, call(t, srv, http.MethodGet, "/users", "").status)
	srv.Close()
	_, err = net.Dial("tcp", ln.Addr().String())
	assert.Error(t, err, "Close closes the listener")
}
