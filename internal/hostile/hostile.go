// Package hostile serves raw connections on loopback for the tests that attack the SDK with misbehaving servers:
// answers net/http would never write (101 then silence, an endless body, an echoed request, a malformed header),
// over the real network stack. Only tests import it.
package hostile

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
	"sync"
	"testing"
)

// Serve accepts connections on ln and hands each to handle until the test ends; then it closes the listener and
// every connection still open (a client's idle keep-alive included) and waits for the handlers to return.
func Serve(t testing.TB, ln net.Listener, handle func(net.Conn)) {
	t.Helper()
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		conns = map[net.Conn]bool{}
	)
	t.Cleanup(func() {
		_ = ln.Close()
		mu.Lock()
		for c := range conns {
			_ = c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns[c] = true
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				handle(c)
			}()
		}
	}()
}

// Listen serves plain TCP on 127.0.0.1 with handle until the test ends and returns "http://<address>".
func Listen(t testing.TB, handle func(net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	Serve(t, ln, handle)
	return "http://" + ln.Addr().String()
}

// ReadRequest reads one HTTP request from c and returns it with the bytes it was made of (request line, headers
// and as much of the body as was buffered).
func ReadRequest(c net.Conn) (*http.Request, string, error) {
	var raw bytes.Buffer
	req, err := http.ReadRequest(bufio.NewReader(io.TeeReader(c, &raw)))
	return req, raw.String(), err
}
