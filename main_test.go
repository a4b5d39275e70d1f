package cometchat

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's test run when goroutines outlive its tests.
// A response body left open, a server never closed or a retry wait that
// ignores its context all leave goroutines behind (a connection's read and
// write loops, a handler, a timer), so this is the leak check for every test
// of the package.
//
// No goroutine is ignored: tests close their servers (httptest.Server.Close
// closes the server side of every connection, so the client's idle
// connection goroutines end too) and the reliability tests also close their
// clients' idle connections.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
