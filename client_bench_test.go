package cometchat_test

// The harness of the benchmarks that compare the SDK with the code a competent user writes by hand with net/http
// and encoding/json (users_bench_test.go): the hand-written client, the answers, and two ways to serve them.
//
//   - memory: an http.RoundTripper that answers from bytes held in memory, given to both clients as their
//     http.Client's Transport. No socket, no server: what is measured is the client's own work (building the
//     request, the SDK's retry machinery, reading the body, decoding, converting), which is what the SDK can
//     change.
//   - loopback: an httptest server on 127.0.0.1 answering the same bytes over keep-alive connections, each client
//     with its own transport (the SDK's default one; a tuned clone of http.DefaultTransport by hand). Client and
//     server share the process, so time and allocations include the server's share, the same on both sides.
//
// The answers are realistic (internal/benchdata): every field, tags, about 0.9 KiB of nested metadata per user,
// "/" escaped as "\/"; a 100-user page is 138 KB.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/gocometchat/cometchat"
	"github.com/gocometchat/cometchat/internal/benchdata"
)

const (
	benchKey   = "0123456789abcdef0123456789abcdef01234567"
	benchAgent = "cometchat-go/bench (hand-written baseline)"
	benchBase  = "https://benchapp.api.test/v3" // the memory transport's base URL: never dialled
)

// benchAPI holds the answers: a user for Get, a created user for Create, and the pages of a users list.
type benchAPI struct {
	get, created []byte
	pages        [][]byte // pages[i] is page i+1
	header       http.Header
}

// newBenchAPI makes the answers, with n pages of perPage users out of total.
func newBenchAPI(perPage, n, total int) *benchAPI {
	api := &benchAPI{get: benchdata.Got(2), created: benchdata.Created(6), pages: make([][]byte, n)}
	for i := range api.pages {
		api.pages[i] = benchdata.Page(i+1, perPage, total)
	}
	api.header = http.Header{
		"Content-Type":                  {"application/json"},
		"X-Ratelimit-Limit":             {"20000"},
		"X-Ratelimit-Remaining":         {"19999"},
		"X-Ratelimit-Limit-For-App":     {"20000"},
		"X-Ratelimit-Remaining-For-App": {"19999"},
	}
	return api
}

// answer picks the answer to req.
func (api *benchAPI) answer(req *http.Request) []byte {
	switch {
	case req.Method == http.MethodPost:
		return api.created
	case req.URL.Path == "/v3/users":
		page, _ := strconv.Atoi(req.URL.Query().Get("page"))
		return api.pages[min(max(page, 1), len(api.pages))-1]
	default:
		return api.get
	}
}

// RoundTrip serves req from memory, as a transport hands over an answer: fresh headers, the body as a reader,
// Content-Length set. It reads and closes the request body, as a transport must.
func (api *benchAPI) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_, _ = io.Copy(io.Discard, req.Body)
		_ = req.Body.Close()
	}
	body := api.answer(req)
	h := api.header.Clone()
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	return &http.Response{
		Status: "200 OK", StatusCode: http.StatusOK, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: h, Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body)), Request: req,
	}, nil
}

// server serves the answers on the loopback interface.
func (api *benchAPI) server(b *testing.B) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Apikey") != benchKey {
			http.Error(w, "no key", http.StatusUnauthorized)
			return
		}
		_, _ = io.Copy(io.Discard, r.Body)
		body := api.answer(r)
		for k, v := range api.header {
			w.Header()[k] = v
		}
		w.Header()["Content-Length"] = []string{strconv.Itoa(len(body))}
		_, _ = w.Write(body)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// benchClients are the SDK's and the hand-written client over one way of serving.
type benchClients struct {
	sdk  *cometchat.Client
	hand *handClient
}

// memoryClients returns both clients over api in memory.
func memoryClients(b *testing.B, api *benchAPI) benchClients {
	sdk, err := cometchat.NewClient("benchapp", cometchat.RegionUS, benchKey,
		cometchat.WithBaseURL(benchBase), cometchat.WithHTTPClient(&http.Client{Transport: api}))
	if err != nil {
		b.Fatal(err)
	}
	return benchClients{sdk: sdk, hand: &handClient{base: benchBase, hc: &http.Client{Transport: api}}}
}

// loopbackClients returns both clients over api served on the loopback interface: the SDK with its default
// transport, the hand-written client with a tuned clone of http.DefaultTransport.
func loopbackClients(b *testing.B, api *benchAPI) benchClients {
	srv := api.server(b)
	sdk, err := cometchat.NewClient("benchapp", cometchat.RegionUS, benchKey, cometchat.WithBaseURL(srv.URL+"/v3"))
	if err != nil {
		b.Fatal(err)
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = 256
	tr.MaxIdleConnsPerHost = 128
	b.Cleanup(tr.CloseIdleConnections)
	return benchClients{sdk: sdk, hand: &handClient{base: srv.URL + "/v3", hc: &http.Client{Transport: tr}}}
}

// handClient is the baseline: what a competent user writes by hand.
type handClient struct {
	base string
	hc   *http.Client
}

type (
	handUser   = benchdata.HandUser
	handCreate = benchdata.HandCreate
	handPage   = benchdata.HandPage
)

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

// allUsers calls each for every user of the list, page after page, until the last page.
func (h *handClient) allUsers(ctx context.Context, perPage int, each func(*handUser)) error {
	for page := 1; ; page++ {
		p, err := h.listUsers(ctx, perPage, page)
		if err != nil {
			return err
		}
		for _, u := range p.Data {
			each(u)
		}
		if len(p.Data) == 0 || page >= p.Meta.Pagination.TotalPages {
			return nil
		}
	}
}

// interleave runs the SDK's and the hand-written op in alternating blocks of block calls until each ran at least
// b.N times (and at least two blocks), and reports the ratio of their total times as sdk/hand. On a shared machine the load changes
// between two benchmarks run one after the other; blocks a few milliseconds apart see the same load, so the ratio
// holds steadier than one of two separate runs. Which side goes first alternates, so that neither always runs
// just after the other's garbage was made. ns/op is the time of one SDK call plus one hand-written call.
func interleave(b *testing.B, block int, sdk, hand func() error) {
	b.ReportAllocs()
	var sdkTime, handTime time.Duration
	for round := 0; round*block < b.N || round < 2; round++ { // at least one round each way
		if round%2 == 0 {
			sdkTime += timeBlock(b, block, sdk)
			handTime += timeBlock(b, block, hand)
		} else {
			handTime += timeBlock(b, block, hand)
			sdkTime += timeBlock(b, block, sdk)
		}
	}
	b.ReportMetric(float64(sdkTime)/float64(handTime), "sdk/hand")
}

func timeBlock(b *testing.B, n int, op func() error) time.Duration {
	start := time.Now()
	for range n {
		if err := op(); err != nil {
			b.Fatal(err)
		}
	}
	return time.Since(start)
}

// run runs op b.N times.
func run(b *testing.B, op func() error) {
	b.ReportAllocs()
	for range b.N {
		if err := op(); err != nil {
			b.Fatal(err)
		}
	}
}

var (
	allAPIOnce sync.Once
	allAPI     *benchAPI
)

// bigList is the API of the walks over 100,000 users: 100 pages of 1,000 (138 MB of answers), made once.
func bigList() *benchAPI {
	allAPIOnce.Do(func() { allAPI = newBenchAPI(allPerPage, allUsers/allPerPage, allUsers) })
	return allAPI
}
