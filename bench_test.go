package cometchat_test

// Benchmarks of the SDK against the code a competent user would write by
// hand with net/http and encoding/json, both calling the same httptest
// server in the same run, so that benchstat compares them side by side:
//
//	go test -run '^$' -bench 'Get|Create|List|Ratio' -benchmem -count 10 . | benchstat -col /impl -
//
// Every pair is named Benchmark<Op>/impl=sdk and Benchmark<Op>/impl=hand;
// BenchmarkRatio interleaves the two and reports sdk/hand directly. The
// server answers with canned, real-shaped bodies (the spec's examples, "/"
// escaped as "\/", rate-limit headers on every answer) over keep-alive
// connections, so what differs between the two is the client side only.
// BENCHMARKS.md holds the numbers.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gocometchat/cometchat"
)

const (
	benchKey     = "0123456789abcdef0123456789abcdef01234567"
	benchAgent   = "cometchat-go/bench (hand-written baseline)"
	benchPerPage = 100
)

// benchUserJSON is one user as GET /users/{uid} answers it: every field a
// real answer carries when set, "/" escaped as the real server does.
const benchUserJSON = `{"uid":"cometchat-uid-2","name":"George Alan",` +
	`"avatar":"https:\/\/assets.cometchat.io\/sampleapp\/v2\/users\/cometchat-uid-2.webp",` +
	`"link":"https:\/\/example.com\/people\/george","role":"default","statusMessage":"Out of office",` +
	`"metadata":{"@private":{"email":"george@example.com","contactNumber":"+1 555 0100"},"department":"sales"},` +
	`"status":"offline","tags":["sales","emea"],"createdAt":1629869270,"updatedAt":1630308676,"lastActiveAt":1694667984}`

// benchCreatedJSON is the spec's answer to POST /users with withAuthToken.
const benchCreatedJSON = `{"data":{"uid":"cometchat-uid-6","name":"Barry Allen","link":"https:\/\/cometchat.com",` +
	`"avatar":"https:\/\/assets.cometchat.io\/sampleapp\/v2\/groups\/cometchat-guid-1.webp","status":"offline",` +
	`"role":"manager","createdAt":1638354015,"tags":["Engineer","manager"],` +
	`"authToken":"cometchat-uid-6_16383540156641d37a023c75d26f4c22a21ff126"}}`

// benchListJSON builds a GET /users page of n users, shaped like the spec's
// list example (lists carry no tags unless asked for).
func benchListJSON(n int) string {
	var b strings.Builder
	b.WriteString(`{"data":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"uid":"cometchat-uid-%03d","name":"George Alan %d",`+
			`"avatar":"https:\/\/assets.cometchat.io\/sampleapp\/v2\/users\/cometchat-uid-%03d.webp",`+
			`"metadata":{"@private":{"email":"user%d@example.com"}},`+
			`"status":"offline","role":"default","createdAt":%d,"updatedAt":%d}`, i, i, i, i, 1629869270-i, 1630308676-i)
	}
	fmt.Fprintf(&b, `],"meta":{"pagination":{"total":%d,"count":%d,"per_page":%d,"current_page":1,"total_pages":%d},`+
		`"cursor":{"updatedAt":1694667984,"affix":"prepend"}}}`, n*25, n, n, 25)
	return b.String()
}

// benchServer is an httptest server answering Get, Create and List with
// canned bodies and the headers the real API sends.
func benchServer(b *testing.B) *httptest.Server {
	get := []byte(`{"data":` + benchUserJSON + `}`)
	created := []byte(benchCreatedJSON)
	list := []byte(benchListJSON(benchPerPage))
	headers := func(body []byte) http.Header {
		return http.Header{
			"Content-Type":                  {"application/json"},
			"Content-Length":                {strconv.Itoa(len(body))},
			"X-Ratelimit-Limit":             {"20000"},
			"X-Ratelimit-Remaining":         {"19999"},
			"X-Ratelimit-Limit-For-App":     {"20000"},
			"X-Ratelimit-Remaining-For-App": {"19999"},
		}
	}
	answer := func(w http.ResponseWriter, h http.Header, body []byte) {
		for k, v := range h {
			w.Header()[k] = v
		}
		_, _ = w.Write(body)
	}
	hGet, hCreated, hList := headers(get), headers(created), headers(list)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Apikey") != benchKey {
			http.Error(w, "no key", http.StatusUnauthorized)
			return
		}
		_, _ = io.Copy(io.Discard, r.Body)
		switch {
		case r.Method == http.MethodGet && r.URL.Path == "/v3/users":
			answer(w, hList, list)
		case r.Method == http.MethodGet:
			answer(w, hGet, get)
		case r.Method == http.MethodPost:
			answer(w, hCreated, created)
		default:
			http.Error(w, "unexpected", http.StatusNotFound)
		}
	}))
	b.Cleanup(srv.Close)
	return srv
}

func benchSDK(b *testing.B, srv *httptest.Server) *cometchat.Client {
	c, err := cometchat.NewClient("benchapp", cometchat.RegionUS, benchKey, cometchat.WithBaseURL(srv.URL+"/v3"))
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// handClient is the baseline: what a competent user writes by hand.
type handClient struct {
	base string
	hc   *http.Client
}

func newHandClient(srv *httptest.Server) *handClient {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = 256
	tr.MaxIdleConnsPerHost = 128
	return &handClient{base: srv.URL + "/v3", hc: &http.Client{Transport: tr}}
}

func (h *handClient) close() { h.hc.CloseIdleConnections() }

// handUser holds the same fields as cometchat.User, timestamps as Unix seconds.
type handUser struct {
	UID            string         `json:"uid"`
	Name           string         `json:"name"`
	Avatar         string         `json:"avatar"`
	Link           string         `json:"link"`
	Role           string         `json:"role"`
	StatusMessage  string         `json:"statusMessage"`
	Metadata       map[string]any `json:"metadata"`
	Status         string         `json:"status"`
	Tags           []string       `json:"tags"`
	AuthToken      string         `json:"authToken"`
	CreatedAt      int64          `json:"createdAt"`
	UpdatedAt      int64          `json:"updatedAt"`
	LastActiveAt   int64          `json:"lastActiveAt"`
	DeactivatedAt  int64          `json:"deactivatedAt"`
	ConversationID string         `json:"conversationId"`
	BlockedByMe    bool           `json:"blockedByMe"`
	HasBlockedMe   bool           `json:"hasBlockedMe"`
	BlockedByMeAt  int64          `json:"blockedByMeAt"`
	BlockedAt      int64          `json:"blockedAt"`
}

type handCreate struct {
	UID           string         `json:"uid"`
	Name          string         `json:"name"`
	Avatar        string         `json:"avatar,omitempty"`
	Link          string         `json:"link,omitempty"`
	Role          string         `json:"role,omitempty"`
	StatusMessage string         `json:"statusMessage,omitempty"`
	Metadata      map[string]any `json:"metadata,omitempty"`
	Tags          []string       `json:"tags,omitempty"`
	WithAuthToken bool           `json:"withAuthToken,omitempty"`
}

type handPage struct {
	Data []*handUser `json:"data"`
	Meta struct {
		Pagination struct {
			Total       int `json:"total"`
			Count       int `json:"count"`
			PerPage     int `json:"per_page"`
			CurrentPage int `json:"current_page"`
			TotalPages  int `json:"total_pages"`
		} `json:"pagination"`
		Cursor struct {
			UpdatedAt int64  `json:"updatedAt"`
			Affix     string `json:"affix"`
		} `json:"cursor"`
	} `json:"meta"`
}

// do sends one request, checks the status and decodes the body into out.
func (h *handClient) do(ctx context.Context, method, pathAndQuery string, body []byte, out any) error {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, h.base+pathAndQuery, rd)
	if err != nil {
		return err
	}
	req.Header.Set("apikey", benchKey)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", benchAgent)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := h.hc.Do(req)
	if err != nil {
		return err
	}
	defer func() {
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
	}()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		return fmt.Errorf("%s %s: %d %s", method, pathAndQuery, resp.StatusCode, msg)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

func (h *handClient) getUser(ctx context.Context, uid string) (*handUser, error) {
	var env struct {
		Data *handUser `json:"data"`
	}
	if err := h.do(ctx, http.MethodGet, "/users/"+uid, nil, &env); err != nil {
		return nil, err
	}
	return env.Data, nil
}

func (h *handClient) createUser(ctx context.Context, p *handCreate) (*handUser, error) {
	body, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	var env struct {
		Data *handUser `json:"data"`
	}
	if err := h.do(ctx, http.MethodPost, "/users", body, &env); err != nil {
		return nil, err
	}
	return env.Data, nil
}

func (h *handClient) listUsers(ctx context.Context, perPage, page int) (*handPage, error) {
	var p handPage
	q := "/users?page=" + strconv.Itoa(page) + "&perPage=" + strconv.Itoa(perPage)
	if err := h.do(ctx, http.MethodGet, q, nil, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// The operations measured, each done through the SDK and by hand; an error
// or a wrong answer fails the benchmark.

var (
	benchMeta = map[string]any{"@private": map[string]any{"email": "barry@example.com"}, "team": "flash"}
	benchTags = []string{"Engineer", "manager"}
	errWrong  = errors.New("wrong answer")
)

func sdkGet(c *cometchat.Client) error {
	u, err := c.Users.Get(context.Background(), "cometchat-uid-2")
	if err == nil && u.UID != "cometchat-uid-2" {
		err = errWrong
	}
	return err
}

func handGet(h *handClient) error {
	u, err := h.getUser(context.Background(), "cometchat-uid-2")
	if err == nil && u.UID != "cometchat-uid-2" {
		err = errWrong
	}
	return err
}

func sdkCreate(c *cometchat.Client) error {
	u, err := c.Users.Create(context.Background(), &cometchat.CreateUserParams{
		UID: "cometchat-uid-6", Name: "Barry Allen", Link: "https://cometchat.com",
		Avatar: "https://assets.cometchat.io/sampleapp/v2/groups/cometchat-guid-1.webp",
		Role:   "manager", Metadata: benchMeta, Tags: benchTags, WithAuthToken: true,
	})
	if err == nil && u.AuthToken == "" {
		err = errWrong
	}
	return err
}

func handCreateUser(h *handClient) error {
	u, err := h.createUser(context.Background(), &handCreate{
		UID: "cometchat-uid-6", Name: "Barry Allen", Link: "https://cometchat.com",
		Avatar: "https://assets.cometchat.io/sampleapp/v2/groups/cometchat-guid-1.webp",
		Role:   "manager", Metadata: benchMeta, Tags: benchTags, WithAuthToken: true,
	})
	if err == nil && u.AuthToken == "" {
		err = errWrong
	}
	return err
}

func sdkList(c *cometchat.Client) error {
	p, err := c.Users.List(context.Background(), &cometchat.ListUsersParams{PerPage: benchPerPage, Page: 1})
	if err == nil && len(p.Users) != benchPerPage {
		err = errWrong
	}
	return err
}

func handList(h *handClient) error {
	p, err := h.listUsers(context.Background(), benchPerPage, 1)
	if err == nil && len(p.Data) != benchPerPage {
		err = errWrong
	}
	return err
}

// sequential runs op b.N times.
func sequential(b *testing.B, op func() error) {
	b.ReportAllocs()
	for range b.N {
		if err := op(); err != nil {
			b.Fatal(err)
		}
	}
}

// parallel runs op b.N times from 4 goroutines per core.
func parallel(b *testing.B, op func() error) {
	b.ReportAllocs()
	b.SetParallelism(4)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := op(); err != nil {
				b.Error(err) // not Fatal: this is not the benchmark's goroutine
				return
			}
		}
	})
}

// benchPair runs the SDK's and the hand-written op, with run (sequential
// or parallel), as the sub-benchmarks impl=sdk and impl=hand against one
// server.
func benchPair(b *testing.B, run func(*testing.B, func() error), sdk func(*cometchat.Client) error, hand func(*handClient) error) {
	srv := benchServer(b)
	c, h := benchSDK(b, srv), newHandClient(srv)
	defer h.close()
	b.Run("impl=sdk", func(b *testing.B) { run(b, func() error { return sdk(c) }) })
	b.Run("impl=hand", func(b *testing.B) { run(b, func() error { return hand(h) }) })
}

func BenchmarkGet(b *testing.B)    { benchPair(b, sequential, sdkGet, handGet) }
func BenchmarkCreate(b *testing.B) { benchPair(b, sequential, sdkCreate, handCreateUser) }
func BenchmarkList(b *testing.B)   { benchPair(b, sequential, sdkList, handList) }

// BenchmarkGetParallel runs Get from 4 goroutines per core sharing one
// client, as a server handling concurrent requests does.
func BenchmarkGetParallel(b *testing.B) { benchPair(b, parallel, sdkGet, handGet) }

// BenchmarkRatio alternates blocks of SDK and hand-written calls and
// reports their time ratio (sdk/hand). On a shared machine the load of
// other processes changes between two sub-benchmarks run one after the
// other; blocks a few milliseconds long see the same load, so the ratio
// holds steadier than one computed from separate runs. ns/op is the time
// of one SDK call plus one hand-written call. GetParallel spreads each
// block over 4 goroutines per core, as BenchmarkGetParallel does.
//
// The *SameTransport pairs give the SDK the hand-written client's
// http.Client (WithHTTPClient), so that both send through one transport:
// they measure the SDK's own code, without the default transport's
// 60 s bound on waiting for response headers (a timer per request).
func BenchmarkRatio(b *testing.B) {
	srv := benchServer(b)
	c, h := benchSDK(b, srv), newHandClient(srv)
	defer h.close()
	same, err := cometchat.NewClient("benchapp", cometchat.RegionUS, benchKey,
		cometchat.WithBaseURL(srv.URL+"/v3"), cometchat.WithHTTPClient(h.hc))
	if err != nil {
		b.Fatal(err)
	}
	workers := 4 * runtime.GOMAXPROCS(0)
	ops := []struct {
		name           string
		client         *cometchat.Client
		block, workers int
		sdk            func(*cometchat.Client) error
		hand           func(*handClient) error
	}{
		{"Get", c, 100, 1, sdkGet, handGet},
		{"GetSameTransport", same, 100, 1, sdkGet, handGet},
		{"GetParallel", c, 200, workers, sdkGet, handGet},
		{"Create", c, 100, 1, sdkCreate, handCreateUser},
		{"CreateSameTransport", same, 100, 1, sdkCreate, handCreateUser},
		{"List", c, 10, 1, sdkList, handList},
	}
	for _, op := range ops {
		b.Run(op.name, func(b *testing.B) {
			sdk := func() error { return op.sdk(op.client) }
			hand := func() error { return op.hand(h) }
			var sdkTime, handTime time.Duration
			for round := 0; round*op.block < b.N; round++ {
				// Which goes first alternates, so neither always runs just
				// after the other's garbage was made.
				if round%2 == 0 {
					sdkTime += benchBlock(b, op.block, op.workers, sdk)
					handTime += benchBlock(b, op.block, op.workers, hand)
				} else {
					handTime += benchBlock(b, op.block, op.workers, hand)
					sdkTime += benchBlock(b, op.block, op.workers, sdk)
				}
			}
			b.ReportMetric(float64(sdkTime)/float64(handTime), "sdk/hand")
		})
	}
}

// benchBlock runs op n times, split over workers goroutines, and returns
// how long that took.
func benchBlock(b *testing.B, n, workers int, op func() error) time.Duration {
	start := time.Now()
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range n/workers + btoi(w < n%workers) {
				if err := op(); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	return time.Since(start)
}

func btoi(v bool) int {
	if v {
		return 1
	}
	return 0
}
