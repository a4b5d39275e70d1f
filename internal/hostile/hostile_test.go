package hostile

import (
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestListen_ServesRawBytesAndReadsTheRequest(t *testing.T) {
	var got string
	url := Listen(t, func(c net.Conn) {
		req, raw, err := ReadRequest(c)
		if err != nil {
			return
		}
		got = req.Method + " " + req.URL.Path + " " + strings.SplitN(raw, "\r\n", 2)[0]
		_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
	})
	resp, err := http.Get(url + "/v3/users")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	require.NoError(t, resp.Body.Close())
	assert.Equal(t, "ok", string(body))
	assert.Equal(t, "GET /v3/users GET /v3/users HTTP/1.1", got)
}

func TestServe_ClosesConnectionsStillOpenWhenTheTestEnds(t *testing.T) {
	done := make(chan struct{})
	t.Run("server that never answers", func(t *testing.T) {
		url := Listen(t, func(c net.Conn) {
			_, _ = io.Copy(io.Discard, c) // until the connection is closed
			close(done)
		})
		c, err := net.Dial("tcp", strings.TrimPrefix(url, "http://"))
		require.NoError(t, err)
		t.Cleanup(func() { _ = c.Close() })
		_, err = io.WriteString(c, "GET / HTTP/1.1\r\n")
		require.NoError(t, err)
	})
	<-done // the handler returned: its connection was closed by the cleanup
}
