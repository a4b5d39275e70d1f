package cometchat

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
	"gopkg.in/h2non/gock.v1"
)

// TestMain fails the run if any test leaks a goroutine: an unclosed body, a wait that ignores its context.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// The unit tests fake the API one way: gock, over the client's own http.Client. Mocks live in memory (no
// socket), so tests can run inside testing/synctest bubbles on virtual time. Tests against a whole fake server
// use cometchattest (integration_test.go); tests that attack the transport with hostile servers live in
// internal/transport.

const (
	testAppID  = "app"
	testRegion = "us"
	// testKey looks like a real REST API key: 40 hex digits.
	testKey  = "0123456789abcdef0123456789abcdef01234567"
	testBase = "https://app.api-us.cometchat.io/v3"
)

// apiMock is a Client wired to gock, and the requests it sent.
type apiMock struct {
	*Client
	mu   sync.Mutex
	sent []*sentRequest
}

// sentRequest is a request as the mock received it.
type sentRequest struct {
	Method string
	Path   string // escaped, below /v3
	Query  url.Values
	Header http.Header
	Body   string
}

// newMock returns a Client (retry waits of 1–10 ms unless opts say otherwise) whose requests go to the mocks
// registered with on. At the end of the test it fails if a registered mock (not persisted) was not used up, and turns gock off. Not
// for parallel tests: gock's mocks are global.
func newMock(t *testing.T, opts ...Option) *apiMock {
	t.Helper()
	m := &apiMock{}
	gock.Intercept()
	gock.Observe(m.observe)
	t.Cleanup(func() {
		pending := 0
		for _, mock := range gock.Pending() {
			if !mock.Request().Persisted {
				pending++
			}
		}
		gock.Observe(nil)
		gock.Off()
		gock.CleanUnmatchedRequest()
		if pending > 0 {
			t.Errorf("%d mocked answers were never requested", pending)
		}
	})
	hc := &http.Client{Transport: gock.NewTransport()}
	all := append([]Option{WithHTTPClient(hc), WithRetryWait(time.Millisecond, 10*time.Millisecond)}, opts...)
	c, err := NewClient(testAppID, testRegion, testKey, all...)
	require.NoError(t, err)
	m.Client = c
	return m
}

// on registers an answer for one request: method and escaped path below /v3, matched exactly (the query is not
// matched; assert it on the sent request). Chain the answer: on("GET", "/users/ada").Reply(200).BodyString(...).
func (m *apiMock) on(method, path string) *gock.Request {
	return gock.New(testBase).AddMatcher(func(req *http.Request, _ *gock.Request) (bool, error) {
		return req.Method == method && req.URL.EscapedPath() == "/v3"+path, nil
	})
}

// observe records every request the mock transport receives, matched or not.
func (m *apiMock) observe(req *http.Request, _ gock.Mock) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent = append(m.sent, &sentRequest{
		Method: req.Method,
		Path:   strings.TrimPrefix(req.URL.EscapedPath(), "/v3"),
		Query:  req.URL.Query(),
		Header: req.Header.Clone(),
		Body:   string(body),
	})
}

// requests returns the requests sent so far.
func (m *apiMock) requests() []*sentRequest {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]*sentRequest(nil), m.sent...)
}

// last returns the last request sent; it fails the test if none was.
func (m *apiMock) last(t *testing.T) *sentRequest {
	t.Helper()
	reqs := m.requests()
	require.NotEmpty(t, reqs, "no request was sent")
	return reqs[len(reqs)-1]
}

// Answers of the real API, as recorded or documented (spec §4), with its "\/" escapes.
const (
	userBarry  = `{"uid":"cometchat-uid-6","name":"Barry Allen","link":"https:\/\/cometchat.com","avatar":"https:\/\/assets.cometchat.io\/sampleapp\/v2\/groups\/cometchat-guid-1.webp","status":"offline","role":"manager","createdAt":1638354015,"tags":["Engineer","manager"],"authToken":"cometchat-uid-6_16383540156641d37a023c75d26f4c22a21ff126"}`
	userGeorge = `{"uid":"cometchat-uid-2","name":"George Alan","avatar":"https:\/\/assets.cometchat.io\/sampleapp\/v2\/users\/cometchat-uid-2.webp","status":"offline","role":"default","createdAt":1629869270,"updatedAt":1630308676}`
)

// data wraps a JSON value in CometChat's success envelope.
func data(v string) string { return `{"data":` + v + `}` }
