package cometchat

// Tests of Users.Import against httptest stubs, on a fake clock: the clock
// advances only when the SDK sleeps, so pacing is asserted on virtual time
// and no test waits for real. Helpers are prefixed imp.

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
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// impEpoch is where every fake clock starts.
var impEpoch = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

// impClock is a fake clock for Client.now and Client.sleepFn: time moves only
// when someone sleeps. A sleep wakes at the time its goroutine last read plus
// the wait (as a real sleep would), so goroutines sleeping together do not
// add their waits up; time never goes back.
type impClock struct {
	mu    sync.Mutex
	t     time.Time
	seen  map[uint64]time.Time // per goroutine: what Now last returned to it
	slept []time.Duration      // every positive wait asked for
	// onSleep, when set, runs before every sleep (outside the lock), e.g. to
	// cancel a context at a given point.
	onSleep func(d time.Duration)
}

func newImpClock() *impClock {
	return &impClock{t: impEpoch, seen: make(map[uint64]time.Time)}
}

// impGoID is the id of the calling goroutine (test use only).
func impGoID() uint64 {
	var buf [64]byte
	n := runtime.Stack(buf[:], false)
	f := bytes.Fields(buf[:n]) // "goroutine 123 [running]:"
	id, _ := strconv.ParseUint(string(f[1]), 10, 64)
	return id
}

func (c *impClock) Now() time.Time {
	id := impGoID()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seen[id] = c.t
	return c.t
}

func (c *impClock) Sleep(ctx context.Context, d time.Duration) error {
	if c.onSleep != nil {
		c.onSleep(d)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if d <= 0 {
		return nil
	}
	id := impGoID()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.slept = append(c.slept, d)
	base, ok := c.seen[id]
	if !ok {
		base = c.t
	}
	delete(c.seen, id)
	if wake := base.Add(d); wake.After(c.t) {
		c.t = wake
	}
	return nil
}

// Elapsed is the virtual time since impEpoch.
func (c *impClock) Elapsed() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t.Sub(impEpoch)
}

// install makes c the clock of client.
func (c *impClock) install(client *Client) {
	client.now = c.Now
	client.sleepFn = c.Sleep
}

// impRequest is one request the stub received.
type impRequest struct {
	At     time.Time // on the fake clock
	Method string
	Path   string
	Header http.Header
	Body   []byte
	Keys   []string                  // the keys of "users", in body order (data import)
	Users  map[string]map[string]any // "users" decoded (data import)
	User   map[string]any            // the body decoded (create)

	ctx context.Context // the server side's request context
}

// impAnswer answers the n-th request (from 0): a status, extra headers and a
// body. ok false means "answer as a healthy server would".
type impAnswer func(n int, req *impRequest) (status int, h http.Header, body string, ok bool)

// impServer is a stub of POST /v3/data_import/users and POST /v3/users that
// records every request on the fake clock and, by default, imports or
// creates every user. It counts requests in flight.
type impServer struct {
	t      *testing.T
	srv    *httptest.Server
	clk    *impClock
	answer impAnswer

	mu          sync.Mutex
	reqs        []*impRequest
	inFlight    int
	maxInFlight int
	// hold, when set, runs while the request counts as in flight, before
	// the answer is decided (e.g. a barrier).
	hold func(req *impRequest)
}

func newImpServer(t *testing.T, clk *impClock, answer impAnswer) *impServer {
	s := &impServer{t: t, clk: clk, answer: answer}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *impServer) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if !assert.NoError(s.t, err) {
		return
	}
	req := &impRequest{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Body: body, ctx: r.Context()}
	switch r.URL.Path {
	case "/v3/data_import/users":
		req.Keys, req.Users = impDecodeImport(s.t, body)
	case "/v3/users":
		assert.NoError(s.t, json.Unmarshal(body, &req.User))
	default:
		s.t.Errorf("unexpected request %s %s", r.Method, r.URL.Path)
		http.Error(w, "no such endpoint", http.StatusNotFound)
		return
	}
	s.mu.Lock()
	// Read the clock under the lock that orders reqs, so that reqs is in
	// the order of At even when handlers race.
	req.At = s.clk.Now()
	n := len(s.reqs)
	s.reqs = append(s.reqs, req)
	s.inFlight++
	s.maxInFlight = max(s.maxInFlight, s.inFlight)
	s.mu.Unlock()
	if s.hold != nil {
		s.hold(req)
	}
	status, h, out, ok := 0, http.Header(nil), "", false
	if s.answer != nil {
		status, h, out, ok = s.answer(n, req)
	}
	if !ok {
		status, out = http.StatusOK, impHealthy(req)
	}
	// Leave the in-flight count before answering: once the client has the
	// answer, its next request may arrive at once.
	s.mu.Lock()
	s.inFlight--
	s.mu.Unlock()
	for k, v := range h {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, out)
}

// url is the base URL for WithBaseURL.
func (s *impServer) url() string { return s.srv.URL + "/v3" }

// requests returns a copy of what was received so far.
func (s *impServer) requests() []*impRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.reqs)
}

// sentUIDs is every uid sent, in request order.
func (s *impServer) sentUIDs() []string {
	var out []string
	for _, r := range s.requests() {
		out = append(out, r.Keys...)
		if r.User != nil {
			out = append(out, fmt.Sprint(r.User["uid"]))
		}
	}
	return out
}

// impDecodeImport reads {"users": {...}} keeping the order of the keys.
func impDecodeImport(t *testing.T, body []byte) ([]string, map[string]map[string]any) {
	var env struct {
		Users json.RawMessage `json:"users"`
	}
	if !assert.NoError(t, json.Unmarshal(body, &env)) {
		return nil, nil
	}
	var users map[string]map[string]any
	assert.NoError(t, json.Unmarshal(env.Users, &users))
	dec := json.NewDecoder(bytes.NewReader(env.Users))
	_, _ = dec.Token()
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if !assert.NoError(t, err) {
			return nil, nil
		}
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		assert.NoError(t, dec.Decode(&skip))
	}
	return keys, users
}

// impHealthy is a healthy server's answer: every user imported (or created),
// as stored (uid lowercased, createdAt as a number).
func impHealthy(req *impRequest) string {
	if req.User != nil {
		out, _ := json.Marshal(map[string]any{"data": impStored(req.User)})
		return string(out)
	}
	data := make(map[string]any, len(req.Keys))
	for _, k := range req.Keys {
		data[k] = map[string]any{"success": true, "data": impStored(req.Users[k])}
	}
	out, _ := json.Marshal(map[string]any{"data": data})
	return string(out)
}

func impStored(in map[string]any) map[string]any {
	u := map[string]any{"uid": strings.ToLower(fmt.Sprint(in["uid"])), "name": in["name"], "role": "default", "status": "offline"}
	for _, f := range []string{"createdAt", "lastActiveAt"} {
		if v, ok := in[f].(string); ok {
			n, _ := strconv.ParseInt(v, 10, 64)
			u[f] = n
		}
	}
	if _, ok := u["createdAt"]; !ok {
		u["createdAt"] = impEpoch.Unix()
	}
	return u
}

// impEntries answers a data import with the given entries (raw JSON per
// key); keys not listed are imported.
func impEntries(req *impRequest, entries map[string]string) string {
	var b strings.Builder
	b.WriteString(`{"data":{`)
	for i, k := range req.Keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kj, _ := json.Marshal(k)
		b.Write(kj)
		b.WriteByte(':')
		if e, ok := entries[k]; ok {
			b.WriteString(e)
			continue
		}
		d, _ := json.Marshal(impStored(req.Users[k]))
		b.WriteString(`{"success":true,"data":` + string(d) + `}`)
	}
	b.WriteString(`}}`)
	return b.String()
}

// impErrorBody is a CometChat error envelope.
func impErrorBody(code, message string) string {
	return `{"error":{"message":"` + message + `","devMessage":"` + message + `","source":"chat-api","code":"` + code + `"}}`
}

// impNewClient is a client of srv on clk, retrying fast.
func impNewClient(t *testing.T, srv *impServer, opts ...Option) *Client {
	t.Helper()
	all := append([]Option{WithBaseURL(srv.url()), WithRetryWait(time.Millisecond, 30*time.Second)}, opts...)
	c, err := NewClient("impapp", RegionUS, "imp-secret-key", all...)
	require.NoError(t, err)
	srv.clk.install(c)
	return c
}

// impUsers makes n valid users "user-00000"...; even ones have a
// LastActiveAt, odd ones none.
func impUsers(n int) []*ImportUser {
	users := make([]*ImportUser, n)
	for i := range users {
		users[i] = &ImportUser{
			UID:       fmt.Sprintf("user-%05d", i),
			Name:      fmt.Sprintf("User %d", i),
			CreatedAt: time.Unix(1_600_000_000+int64(i), 0),
		}
		if i%2 == 0 {
			users[i].LastActiveAt = time.Unix(1_700_000_000+int64(i), 0)
		}
	}
	return users
}

// impCheckPartition asserts that every input user is in exactly one list of
// rep, that each list is in input order, and that Imported users carry the
// uids of the input (lowercased).
func impCheckPartition(t *testing.T, users []*ImportUser, rep *ImportReport) {
	t.Helper()
	require.NotNil(t, rep)
	where := make(map[int]string, len(users))
	mark := func(i int, list string) {
		if prev, dup := where[i]; dup {
			t.Errorf("users[%d] is in %s and in %s", i, prev, list)
		}
		where[i] = list
	}
	last := -1
	for _, f := range rep.Failed {
		assert.Greater(t, f.Index, last, "Failed out of input order")
		last = f.Index
		require.Less(t, f.Index, len(users))
		if users[f.Index] != nil {
			assert.Equal(t, users[f.Index].UID, f.UID)
		}
		assert.Error(t, f.Err, "users[%d] failed without an error", f.Index)
		mark(f.Index, "Failed")
	}
	last = -1
	for _, e := range rep.Existing {
		assert.Greater(t, e.Index, last, "Existing out of input order")
		last = e.Index
		assert.Equal(t, users[e.Index].UID, e.UID)
		mark(e.Index, "Existing")
	}
	// Imported has no index: match it with the input users in order.
	j := 0
	for _, u := range rep.Imported {
		require.NotNil(t, u)
		for j < len(users) && (users[j] == nil || where[j] != "" || !strings.EqualFold(users[j].UID, u.UID)) {
			j++
		}
		if !assert.Less(t, j, len(users), "imported user %q is not an input user in order", u.UID) {
			return
		}
		mark(j, "Imported")
		j++
	}
	assert.Len(t, where, len(users), "some input users are in no list")
}

// impMaxInWindow is the largest number of times in any half-open window
// [t, t+per).
func impMaxInWindow(times []time.Time, per time.Duration) int {
	ts := slices.Clone(times)
	sort.Slice(ts, func(i, j int) bool { return ts[i].Before(ts[j]) })
	best, i := 0, 0
	for j := range ts {
		for !ts[j].Before(ts[i].Add(per)) {
			i++
		}
		best = max(best, j-i+1)
	}
	return best
}

func impTimes(reqs []*impRequest) []time.Time {
	out := make([]time.Time, len(reqs))
	for i, r := range reqs {
		out[i] = r.At
	}
	return out
}

func TestImportBatchingBoundaries(t *testing.T) {
	for _, n := range []int{0, 1, 49, 50, 51, 100, 10_001} {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			clk := newImpClock()
			srv := newImpServer(t, clk, nil)
			c := impNewClient(t, srv)
			users := impUsers(n)

			rep, err := c.Users.Import(context.Background(), users)
			require.NoError(t, err)

			reqs := srv.requests()
			require.Len(t, reqs, (n+49)/50, "requests")
			for b, req := range reqs {
				want := users[b*50 : min(b*50+50, n)]
				require.Len(t, req.Keys, len(want), "users in request %d", b)
				wantKeys := make([]string, len(want))
				for i, u := range want {
					wantKeys[i] = u.UID
				}
				assert.ElementsMatch(t, wantKeys, req.Keys, "request %d holds the next users of the input", b)
				for _, u := range want {
					sent := req.Users[u.UID]
					assert.Equal(t, u.UID, sent["uid"], "key == uid")
					assert.Equal(t, u.Name, sent["name"])
					assert.Equal(t, strconv.FormatInt(u.CreatedAt.Unix(), 10), sent["createdAt"], "createdAt as a string")
					if u.LastActiveAt.IsZero() {
						assert.NotContains(t, sent, "lastActiveAt", "zero time sent")
					} else {
						assert.Equal(t, strconv.FormatInt(u.LastActiveAt.Unix(), 10), sent["lastActiveAt"])
					}
				}
			}
			assert.Empty(t, rep.Failed)
			assert.Empty(t, rep.Existing)
			require.Len(t, rep.Imported, n)
			for i, u := range rep.Imported {
				assert.Equal(t, users[i].UID, u.UID)
				assert.Equal(t, users[i].CreatedAt.Unix(), u.CreatedAt.Unix())
			}
			impCheckPartition(t, users, rep)
		})
	}
}

func TestImportRequestShape(t *testing.T) {
	clk := newImpClock()
	srv := newImpServer(t, clk, nil)
	c := impNewClient(t, srv, WithUserAgent("imp-test/1"))
	users := []*ImportUser{
		{
			UID: "Alice-1", Name: "Alice 🚀", Avatar: "https://example.com/a.png", Link: "https://example.com/alice",
			Role: "admin", StatusMessage: "hi", Metadata: map[string]any{"@private": map[string]any{"email": "a@example.com"}},
			Tags: []string{"x", "y"}, CreatedAt: time.Unix(1673421419, 0), LastActiveAt: time.Unix(1673421425, 999),
		},
		{UID: "bob", Name: "Bob"}, // no times: none sent
	}
	_, err := c.Users.Import(context.Background(), users)
	require.NoError(t, err)

	reqs := srv.requests()
	require.Len(t, reqs, 1)
	r := reqs[0]
	assert.Equal(t, http.MethodPost, r.Method)
	assert.Equal(t, "/v3/data_import/users", r.Path)
	assert.Equal(t, "imp-secret-key", r.Header.Get("apikey"))
	assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
	assert.Equal(t, "application/json", r.Header.Get("Accept"))
	assert.True(t, strings.HasPrefix(r.Header.Get("User-Agent"), "imp-test/1 cometchat-go/"))
	assert.JSONEq(t, `{"users":{
		"Alice-1":{"uid":"Alice-1","name":"Alice 🚀","avatar":"https://example.com/a.png","link":"https://example.com/alice",
			"role":"admin","statusMessage":"hi","metadata":{"@private":{"email":"a@example.com"}},"tags":["x","y"],
			"createdAt":"1673421419","lastActiveAt":"1673421425"},
		"bob":{"uid":"bob","name":"Bob"}}}`, string(r.Body))
	assert.NotContains(t, string(r.Body), `\/`, "URLs must not be escaped by the SDK")
	assert.NotContains(t, string(r.Body), `\u003c`, "HTML escaping must be off")
}

func TestImportPacingWindow(t *testing.T) {
	clk := newImpClock()
	srv := newImpServer(t, clk, nil)
	c := impNewClient(t, srv)
	users := impUsers(10_001)

	rep, err := c.Users.Import(context.Background(), users)
	require.NoError(t, err)
	require.Len(t, rep.Imported, 10_001)

	reqs := srv.requests()
	require.Len(t, reqs, 201)
	assert.Equal(t, 60, impMaxInWindow(impTimes(reqs), time.Minute), "requests in the busiest 60 s window")
	// Full speed otherwise: 60 at once, then 60 a minute later, ...
	for i, r := range reqs {
		assert.Equal(t, time.Duration(i/60)*time.Minute, r.At.Sub(impEpoch), "request %d", i)
	}
	assert.Equal(t, 3*time.Minute, clk.Elapsed())
}

func TestImportPacingSharedAcrossCalls(t *testing.T) {
	clk := newImpClock()
	srv := newImpServer(t, clk, nil)
	c := impNewClient(t, srv)

	_, err := c.Users.Import(context.Background(), impUsers(59*50))
	require.NoError(t, err)
	more := impUsers(3 * 50)
	for _, u := range more {
		u.UID = "more-" + u.UID
	}
	_, err = c.Users.Import(context.Background(), more)
	require.NoError(t, err)

	reqs := srv.requests()
	require.Len(t, reqs, 62)
	assert.Equal(t, time.Duration(0), reqs[59].At.Sub(impEpoch), "the 60th request fits in the first window")
	assert.Equal(t, time.Minute, reqs[60].At.Sub(impEpoch), "the 61st waits for the window, across Import calls")
	assert.Equal(t, 60, impMaxInWindow(impTimes(reqs), time.Minute))
}

func TestImportPacingConcurrentCalls(t *testing.T) {
	// Several Import calls on one Client share its window of 60 per minute.
	clk := newImpClock()
	srv := newImpServer(t, clk, nil)
	c := impNewClient(t, srv)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			users := impUsers(40 * 50)
			for _, u := range users {
				u.UID = fmt.Sprintf("g%d-%s", g, u.UID)
			}
			rep, err := c.Users.Import(context.Background(), users)
			assert.NoError(t, err)
			assert.Len(t, rep.Imported, len(users))
		}()
	}
	wg.Wait()
	reqs := srv.requests()
	require.Len(t, reqs, 160)
	assert.LessOrEqual(t, impMaxInWindow(impTimes(reqs), time.Minute), 60)
	assert.GreaterOrEqual(t, clk.Elapsed(), 2*time.Minute, "160 requests need three windows")
}

func TestImportPacingAfter429(t *testing.T) {
	tests := []struct {
		name   string
		header http.Header
		wait   time.Duration // at least this after the 429
	}{
		{"Retry-After", http.Header{"Retry-After": {"42"}}, 42 * time.Second},
		{"no Retry-After: the retry wait's max", nil, 30 * time.Second},
		{"Retry-After above the retry wait's max", http.Header{"Retry-After": {"90"}}, 90 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newImpClock()
			srv := newImpServer(t, clk, func(n int, _ *impRequest) (int, http.Header, string, bool) {
				if n == 2 {
					return http.StatusTooManyRequests, tt.header, impErrorBody("ERR_TOO_MANY_REQUESTS", "Please retry for seconds after 42"), true
				}
				return 0, nil, "", false
			})
			c := impNewClient(t, srv)
			users := impUsers(5 * 50)
			rep, err := c.Users.Import(context.Background(), users)
			require.NoError(t, err)
			assert.Len(t, rep.Imported, len(users), "the rate-limited batch is sent again")
			assert.Empty(t, rep.Failed)

			reqs := srv.requests()
			require.Len(t, reqs, 6)
			assert.Equal(t, reqs[2].Keys, reqs[3].Keys, "the same batch again")
			assert.GreaterOrEqual(t, reqs[3].At.Sub(reqs[2].At), tt.wait, "resent before the server's wait")
			assert.Equal(t, reqs[3].At, reqs[5].At, "after the wait, full speed again")
		})
	}
}

func TestImportRateLimitedTooOften(t *testing.T) {
	// A batch answered 429 again and again is given up after a bound and
	// reported for each of its users; the import goes on.
	clk := newImpClock()
	srv := newImpServer(t, clk, func(_ int, req *impRequest) (int, http.Header, string, bool) {
		if slices.Contains(req.Keys, "user-00000") {
			return http.StatusTooManyRequests, http.Header{"Retry-After": {"1"}}, impErrorBody("ERR_TOO_MANY_REQUESTS", "slow down"), true
		}
		return 0, nil, "", false
	})
	c := impNewClient(t, srv)
	users := impUsers(100)
	rep, err := c.Users.Import(context.Background(), users)
	require.NoError(t, err)
	assert.Len(t, srv.requests(), maxImportRateLimited+1+1)
	require.Len(t, rep.Failed, 50)
	for _, f := range rep.Failed {
		assert.ErrorIs(t, f.Err, ErrTooManyRequests)
	}
	assert.Len(t, rep.Imported, 50)
	impCheckPartition(t, users, rep)
}

func TestImportPartialBatchFailure(t *testing.T) {
	clk := newImpClock()
	srv := newImpServer(t, clk, func(_ int, req *impRequest) (int, http.Header, string, bool) {
		return http.StatusOK, nil, impEntries(req, map[string]string{
			"user-00001": `{"success":false,"error":{"code":"ERR_BAD_REQUEST","message":"The avatar must be a valid URL.","details":{"avatar":["The avatar must be a valid URL."]}}}`,
			"user-00003": `{"success":false,"error":"ERR_IMPORT_INVALID_USER_FORMAT: the user is malformed"}`,
			"user-00004": `{"success":false,"error":{"code":"ERR_UID_ALREADY_EXISTS","message":"The uid user-00004 already exists."}}`,
			"user-00005": `{"success":false}`,
			"user-00006": `{"success":true}`, // no user object: reported as sent
			"user-00051": `{"success":false,"error":{"code":"ERR_ROLE_NOT_FOUND","message":"imp-secret-key role"}}`,
		}), true
	})
	c := impNewClient(t, srv)
	users := impUsers(60)
	rep, err := c.Users.Import(context.Background(), users)
	require.NoError(t, err)
	impCheckPartition(t, users, rep)

	require.Len(t, rep.Failed, 5)
	idx := func(f ImportFailure) int { return f.Index }
	assert.Equal(t, []int{1, 3, 4, 5, 51}, []int{idx(rep.Failed[0]), idx(rep.Failed[1]), idx(rep.Failed[2]), idx(rep.Failed[3]), idx(rep.Failed[4])})

	var apiErr *APIError
	require.ErrorAs(t, rep.Failed[0].Err, &apiErr)
	assert.ErrorIs(t, rep.Failed[0].Err, ErrBadRequest)
	assert.Equal(t, "The avatar must be a valid URL.", apiErr.Message)
	assert.Equal(t, map[string][]string{"avatar": {"The avatar must be a valid URL."}}, apiErr.Details)
	assert.Zero(t, apiErr.StatusCode, "a per-user failure has no status of its own")

	require.ErrorAs(t, rep.Failed[1].Err, &apiErr)
	assert.Equal(t, "ERR_IMPORT_INVALID_USER_FORMAT: the user is malformed", apiErr.Message)
	assert.Empty(t, apiErr.Code)

	assert.ErrorIs(t, rep.Failed[2].Err, ErrUIDAlreadyExists)
	require.ErrorAs(t, rep.Failed[3].Err, &apiErr)
	assert.NotEmpty(t, apiErr.Message)
	assert.ErrorIs(t, rep.Failed[4].Err, ErrRoleNotFound)
	assert.NotContains(t, rep.Failed[4].Err.Error(), "imp-secret-key", "the API key is redacted")

	require.Len(t, rep.Imported, 55)
	assert.Equal(t, "user-00006", rep.Imported[2].UID)
	assert.True(t, users[6].CreatedAt.Equal(rep.Imported[2].CreatedAt), "a success without data reports the user as sent")
}

func TestImportEntriesKeyedByLowercaseUID(t *testing.T) {
	clk := newImpClock()
	srv := newImpServer(t, clk, func(_ int, req *impRequest) (int, http.Header, string, bool) {
		data := map[string]any{}
		for _, k := range req.Keys {
			data[strings.ToLower(k)] = map[string]any{"success": true, "data": impStored(req.Users[k])}
		}
		delete(data, "gone")
		out, _ := json.Marshal(map[string]any{"data": data})
		return http.StatusOK, nil, string(out), true
	})
	c := impNewClient(t, srv)
	users := []*ImportUser{{UID: "MixedCase", Name: "M"}, {UID: "GONE", Name: "G"}}
	rep, err := c.Users.Import(context.Background(), users)
	require.NoError(t, err)
	require.Len(t, rep.Imported, 1)
	assert.Equal(t, "mixedcase", rep.Imported[0].UID)
	require.Len(t, rep.Failed, 1)
	var apiErr *APIError
	assert.ErrorAs(t, rep.Failed[0].Err, &apiErr, "an entry missing from the answer is a failure, not a success")
}

func TestImportWholeBatchFails(t *testing.T) {
	tests := []struct {
		name   string
		status int
		header http.Header
		body   string
		is     error
	}{
		{"400", http.StatusBadRequest, nil, impErrorBody("ERR_BAD_REQUEST", "The users may not have more than 50 items."), ErrBadRequest},
		{"500", http.StatusInternalServerError, nil, impErrorBody("ERR_MISSION_FAILED", "oops"), ErrMissionFailed},
		{"502 HTML", http.StatusBadGateway, nil, "<html>bad gateway</html>", nil},
		{"503 with Retry-After", http.StatusServiceUnavailable, http.Header{"Retry-After": {"1"}}, "", nil},
		{"504", http.StatusGatewayTimeout, nil, "", nil},
		{"200 not JSON", http.StatusOK, nil, "<html>", ErrInvalidResponse},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newImpClock()
			srv := newImpServer(t, clk, func(n int, _ *impRequest) (int, http.Header, string, bool) {
				if n == 1 {
					return tt.status, tt.header, tt.body, true
				}
				return 0, nil, "", false
			})
			c := impNewClient(t, srv) // default retries: 3
			users := impUsers(150)
			rep, err := c.Users.Import(context.Background(), users)
			require.NoError(t, err, "one failed batch does not stop the import")
			impCheckPartition(t, users, rep)

			// A POST that may have reached the server is never resent.
			assert.Len(t, srv.requests(), 3)
			require.Len(t, rep.Failed, 50)
			for k, f := range rep.Failed {
				assert.Equal(t, 50+k, f.Index)
				if tt.is != nil {
					assert.ErrorIs(t, f.Err, tt.is)
				}
				var apiErr *APIError
				if tt.status != http.StatusOK && assert.ErrorAs(t, f.Err, &apiErr) {
					assert.Equal(t, tt.status, apiErr.StatusCode)
				}
			}
			assert.Len(t, rep.Imported, 100)
		})
	}
}

func TestImportStopsOnAuthErrors(t *testing.T) {
	tests := []struct {
		name   string
		status int
		code   string
		is     error
	}{
		{"401", http.StatusUnauthorized, "AUTH_ERR_APIKEY_NOT_FOUND", ErrAPIKeyNotFound},
		{"403", http.StatusForbidden, "AUTH_ERR_NO_ACCESS", ErrNoAccess},
		{"402 plan quota", http.StatusPaymentRequired, "ERR_PLAN_QUOTA_RESTRICTION", ErrPlanQuota},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newImpClock()
			srv := newImpServer(t, clk, func(n int, _ *impRequest) (int, http.Header, string, bool) {
				if n == 1 {
					return tt.status, nil, impErrorBody(tt.code, "no"), true
				}
				return 0, nil, "", false
			})
			c := impNewClient(t, srv)
			users := impUsers(200)
			var last [3]int
			rep, err := c.Users.Import(context.Background(), users, WithImportProgress(func(done, failed, total int) {
				last = [3]int{done, failed, total}
			}))
			require.ErrorIs(t, err, tt.is)
			impCheckPartition(t, users, rep)
			assert.Len(t, srv.requests(), 2, "nothing is sent after the error")
			assert.Len(t, rep.Imported, 50)
			require.Len(t, rep.Failed, 150, "the failed batch and every user not sent")
			for _, f := range rep.Failed {
				assert.ErrorIs(t, f.Err, tt.is)
			}
			assert.Equal(t, [3]int{200, 150, 200}, last)
		})
	}
}

func TestImportCallTimeoutFailsOnlyItsBatch(t *testing.T) {
	// WithTimeout bounds each call: a batch that times out fails, the import
	// goes on (only the caller's context stops it).
	clk := newImpClock()
	srv := newImpServer(t, clk, nil)
	release := make(chan struct{})
	srv.hold = func(req *impRequest) {
		if slices.Contains(req.Keys, "user-00050") {
			<-release
		}
	}
	c := impNewClient(t, srv, WithTimeout(50*time.Millisecond), WithMaxRetries(0))
	t.Cleanup(func() { close(release) })
	users := impUsers(150)
	rep, err := c.Users.Import(context.Background(), users)
	require.NoError(t, err)
	impCheckPartition(t, users, rep)
	require.Len(t, rep.Failed, 50)
	assert.ErrorIs(t, rep.Failed[0].Err, context.DeadlineExceeded)
	assert.Len(t, rep.Imported, 100)
}

func TestImportCancel(t *testing.T) {
	t.Run("between batches", func(t *testing.T) {
		clk := newImpClock()
		srv := newImpServer(t, clk, nil)
		c := impNewClient(t, srv)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		users := impUsers(500)
		calls := 0
		rep, err := c.Users.Import(ctx, users, WithImportProgress(func(done, _, _ int) {
			calls++
			if done == 150 {
				cancel()
			}
		}))
		require.ErrorIs(t, err, context.Canceled)
		impCheckPartition(t, users, rep)
		assert.Len(t, srv.requests(), 3)
		assert.Len(t, rep.Imported, 150)
		require.Len(t, rep.Failed, 350)
		for _, f := range rep.Failed {
			assert.ErrorIs(t, f.Err, context.Canceled)
		}
	})
	t.Run("while waiting for the window", func(t *testing.T) {
		clk := newImpClock()
		srv := newImpServer(t, clk, nil)
		c := impNewClient(t, srv)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		clk.onSleep = func(d time.Duration) {
			if d > 0 {
				cancel()
			}
		}
		users := impUsers(61 * 50)
		rep, err := c.Users.Import(ctx, users)
		require.ErrorIs(t, err, context.Canceled)
		impCheckPartition(t, users, rep)
		assert.Len(t, srv.requests(), 60)
		assert.Len(t, rep.Imported, 3000)
		assert.Len(t, rep.Failed, 50)
	})
	t.Run("request in flight", func(t *testing.T) {
		clk := newImpClock()
		srv := newImpServer(t, clk, nil)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		srv.hold = func(req *impRequest) {
			if slices.Contains(req.Keys, "user-00100") {
				cancel()
				<-req.ctx.Done() // the client hung up
			}
		}
		c := impNewClient(t, srv)
		users := impUsers(250)
		rep, err := c.Users.Import(ctx, users)
		require.ErrorIs(t, err, context.Canceled)
		impCheckPartition(t, users, rep)
		assert.Len(t, srv.requests(), 3)
		assert.Len(t, rep.Imported, 100)
		assert.Len(t, rep.Failed, 150, "the batch in flight may or may not have landed: failed, to be retried")
	})
	t.Run("with a cause", func(t *testing.T) {
		clk := newImpClock()
		srv := newImpServer(t, clk, nil)
		c := impNewClient(t, srv)
		cause := errors.New("shutting down")
		ctx, cancel := context.WithCancelCause(context.Background())
		cancel(cause)
		users := impUsers(10)
		rep, err := c.Users.Import(ctx, users)
		require.ErrorIs(t, err, context.Canceled)
		impCheckPartition(t, users, rep)
		assert.Empty(t, srv.requests())
		assert.Len(t, rep.Failed, 10)
	})
}

func TestImportProgress(t *testing.T) {
	clk := newImpClock()
	srv := newImpServer(t, clk, func(_ int, req *impRequest) (int, http.Header, string, bool) {
		return http.StatusOK, nil, impEntries(req, map[string]string{
			"user-00007": `{"success":false,"error":{"code":"ERR_BAD_REQUEST","message":"no"}}`,
		}), true
	})
	c := impNewClient(t, srv)
	users := impUsers(230)
	users[3].Name = "" // invalid
	users[200] = nil
	type call struct{ done, failed, total int }
	var calls []call
	rep, err := c.Users.Import(context.Background(), users, WithImportProgress(func(done, failed, total int) {
		calls = append(calls, call{done, failed, total})
	}))
	require.NoError(t, err)
	impCheckPartition(t, users, rep)

	require.NotEmpty(t, calls)
	assert.GreaterOrEqual(t, len(calls), 5, "one call per batch")
	prev := call{}
	for _, cl := range calls {
		assert.Equal(t, 230, cl.total)
		assert.GreaterOrEqual(t, cl.done, prev.done, "done went back")
		assert.GreaterOrEqual(t, cl.failed, prev.failed, "failed went back")
		assert.LessOrEqual(t, cl.failed, cl.done)
		prev = cl
	}
	assert.Equal(t, call{230, 3, 230}, calls[len(calls)-1])
	assert.Equal(t, 3, len(rep.Failed))
}

func TestImportValidation(t *testing.T) {
	long := strings.Repeat("a", 101)
	tags26 := make([]string, 26)
	for i := range tags26 {
		tags26[i] = "t" + strconv.Itoa(i)
	}
	invalid := []struct {
		user  *ImportUser
		field string
	}{
		{nil, "user"},
		{&ImportUser{Name: "no uid"}, "uid"},
		{&ImportUser{UID: "bad uid!", Name: "x"}, "uid"},
		{&ImportUser{UID: long, Name: "x"}, "uid"},
		{&ImportUser{UID: "no-name"}, "name"},
		{&ImportUser{UID: "blank-name", Name: "   "}, "name"},
		{&ImportUser{UID: "long-name", Name: strings.Repeat("é", 101)}, "name"},
		{&ImportUser{UID: "bad-avatar", Name: "x", Avatar: "Invalid:https://x/a.png"}, "avatar"},
		{&ImportUser{UID: "bad-link", Name: "x", Link: "/relative"}, "link"},
		{&ImportUser{UID: "many-tags", Name: "x", Tags: tags26}, "tags"},
		{&ImportUser{UID: "blank-tag", Name: "x", Tags: []string{"ok", " "}}, "tags[1]"},
		{&ImportUser{UID: "big-meta", Name: "x", Metadata: map[string]any{"k": strings.Repeat("m", 6000)}}, "metadata"},
		{&ImportUser{UID: "bad-meta", Name: "x", Metadata: map[string]any{"f": func() {}}}, "metadata"},
		{&ImportUser{UID: "old", Name: "x", CreatedAt: time.Unix(-5, 0)}, "createdAt"},
		{&ImportUser{UID: "epoch", Name: "x", LastActiveAt: time.Unix(0, 0)}, "lastActiveAt"},
	}
	var users []*ImportUser
	wantField := map[int]string{}
	for i, tt := range invalid {
		users = append(users, &ImportUser{UID: fmt.Sprintf("valid-%d", i), Name: "ok"}, tt.user)
		wantField[2*i+1] = tt.field
	}
	clk := newImpClock()
	srv := newImpServer(t, clk, nil)
	c := impNewClient(t, srv)
	rep, err := c.Users.Import(context.Background(), users)
	require.NoError(t, err)
	impCheckPartition(t, users, rep)

	require.Len(t, rep.Failed, len(invalid))
	for _, f := range rep.Failed {
		var ve *ValidationError
		if assert.ErrorAs(t, f.Err, &ve, "users[%d]", f.Index) {
			assert.Equal(t, wantField[f.Index], ve.Field, "users[%d]", f.Index)
		}
		assert.ErrorIs(t, f.Err, ErrValidation)
	}
	assert.Len(t, rep.Imported, len(invalid))
	for _, uid := range srv.sentUIDs() {
		assert.True(t, strings.HasPrefix(uid, "valid-"), "invalid user %q was sent", uid)
	}
	assert.Len(t, srv.sentUIDs(), len(invalid))
}

func TestImportAllInvalidSendsNothing(t *testing.T) {
	clk := newImpClock()
	srv := newImpServer(t, clk, nil)
	c := impNewClient(t, srv)
	users := []*ImportUser{nil, {UID: "x"}, nil}
	rep, err := c.Users.Import(context.Background(), users)
	require.NoError(t, err)
	assert.Empty(t, srv.requests())
	assert.Len(t, rep.Failed, 3)
	assert.Empty(t, rep.Failed[0].UID)
	assert.Equal(t, "x", rep.Failed[1].UID)
}

func TestImportDuplicateUIDs(t *testing.T) {
	users := []*ImportUser{
		{UID: "Alice", Name: "A1"},
		{UID: "bob", Name: "B1"},
		{UID: "alice", Name: "A2"},
		{UID: "carol"}, // invalid: does not claim the uid
		{UID: "ALICE", Name: "A3"},
		{UID: "Carol", Name: "C2"},
		{UID: "BOB", Name: "B2"},
	}
	for name, strategy := range map[string]ImportStrategy{"data import": ImportStrategyDataImport, "create": ImportStrategyCreate} {
		t.Run(name, func(t *testing.T) {
			clk := newImpClock()
			srv := newImpServer(t, clk, nil)
			c := impNewClient(t, srv)
			rep, err := c.Users.Import(context.Background(), users, WithImportStrategy(strategy))
			require.NoError(t, err)
			impCheckPartition(t, users, rep)
			assert.ElementsMatch(t, []string{"Alice", "bob", "Carol"}, srv.sentUIDs(), "the first valid user of each uid is sent")
			var failed []int
			for _, f := range rep.Failed {
				failed = append(failed, f.Index)
				var ve *ValidationError
				require.ErrorAs(t, f.Err, &ve)
				if f.Index == 3 {
					assert.Equal(t, "name", ve.Field)
				} else {
					assert.Equal(t, "uid", ve.Field)
				}
			}
			assert.Equal(t, []int{2, 3, 4, 6}, failed)
			require.Len(t, rep.Imported, 3)
			assert.Equal(t, "A1", rep.Imported[0].Name)
		})
	}
}

func TestImportInvalidOptions(t *testing.T) {
	clk := newImpClock()
	srv := newImpServer(t, clk, nil)
	c := impNewClient(t, srv)
	for _, tt := range []struct {
		opt   ImportOption
		field string
	}{
		{WithImportWorkers(0), "WithImportWorkers"},
		{WithImportWorkers(-3), "WithImportWorkers"},
		{WithImportRate(0), "WithImportRate"},
		{WithImportRate(-1), "WithImportRate"},
		{WithImportStrategy(ImportStrategy(7)), "WithImportStrategy"},
	} {
		rep, err := c.Users.Import(context.Background(), impUsers(3), tt.opt)
		var ve *ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, tt.field, ve.Field)
		assert.Nil(t, rep)
	}
	// A nil option is ignored.
	rep, err := c.Users.Import(context.Background(), impUsers(1), nil)
	require.NoError(t, err)
	assert.Len(t, rep.Imported, 1)
	assert.Len(t, srv.requests(), 1)
}

func TestImportCreateStrategy(t *testing.T) {
	clk := newImpClock()
	srv := newImpServer(t, clk, func(_ int, req *impRequest) (int, http.Header, string, bool) {
		switch req.User["uid"] {
		case "user-00003", "user-00017":
			return http.StatusBadRequest, nil, impErrorBody("ERR_UID_ALREADY_EXISTS", "The uid already exists."), true
		case "user-00005":
			return http.StatusBadRequest, nil, impErrorBody("ERR_BAD_REQUEST", "The avatar must be a valid URL."), true
		case "user-00008":
			return http.StatusInternalServerError, nil, impErrorBody("ERR_MISSION_FAILED", "boom"), true
		}
		return 0, nil, "", false
	})
	c := impNewClient(t, srv)
	users := impUsers(40)
	users[10].Avatar = "https://example.com/a.png"
	users[10].Tags = []string{"t"}
	var calls [][3]int
	rep, err := c.Users.Import(context.Background(), users, WithImportStrategy(ImportStrategyCreate),
		WithImportProgress(func(done, failed, total int) { calls = append(calls, [3]int{done, failed, total}) }))
	require.NoError(t, err)
	impCheckPartition(t, users, rep)

	assert.Equal(t, []ImportExisting{{3, "user-00003"}, {17, "user-00017"}}, rep.Existing)
	require.Len(t, rep.Failed, 2)
	assert.ErrorIs(t, rep.Failed[0].Err, ErrBadRequest)
	assert.ErrorIs(t, rep.Failed[1].Err, ErrMissionFailed)
	assert.Len(t, rep.Imported, 36)
	assert.Len(t, srv.requests(), 40, "one POST per user; a 500 is not retried")

	for _, r := range srv.requests() {
		assert.Equal(t, "/v3/users", r.Path)
		assert.NotContains(t, r.User, "createdAt", "POST /users keeps no history")
		if r.User["uid"] == "user-00010" {
			assert.JSONEq(t, `{"uid":"user-00010","name":"User 10","avatar":"https://example.com/a.png","tags":["t"]}`, string(r.Body))
		}
	}
	prev := [3]int{}
	for _, cl := range calls {
		assert.GreaterOrEqual(t, cl[0], prev[0])
		assert.GreaterOrEqual(t, cl[1], prev[1])
		prev = cl
	}
	assert.Equal(t, [3]int{40, 2, 40}, calls[len(calls)-1])
}

// impBarrier holds requests until `size` are in flight together (or every
// expected request has arrived), so that the most in flight at once is
// exactly what the client allows.
func impBarrier(t *testing.T, srv *impServer, size, expected int) {
	var mu sync.Mutex
	cond := sync.NewCond(&mu)
	waiting, arrived, gen := 0, 0, 0
	broken := false
	timer := time.AfterFunc(20*time.Second, func() { // a safety net against a hang, not a timing assertion
		mu.Lock()
		broken = true
		cond.Broadcast()
		mu.Unlock()
	})
	t.Cleanup(func() { timer.Stop() })
	srv.hold = func(*impRequest) {
		mu.Lock()
		defer mu.Unlock()
		arrived++
		waiting++
		if waiting >= size || arrived >= expected {
			gen++
			waiting = 0
			cond.Broadcast()
			return
		}
		for my := gen; gen == my && !broken; {
			cond.Wait()
		}
		if broken {
			t.Errorf("barrier: only %d requests in flight together, want %d", waiting, size)
		}
	}
}

func TestImportCreateWorkersBound(t *testing.T) {
	for _, tt := range []struct {
		name    string
		opts    []ImportOption
		users   int
		workers int
	}{
		{"default", nil, 64, DefaultImportWorkers},
		{"4", []ImportOption{WithImportWorkers(4)}, 40, 4},
		{"1", []ImportOption{WithImportWorkers(1)}, 5, 1},
		{"more workers than users", []ImportOption{WithImportWorkers(50)}, 7, 7},
	} {
		t.Run(tt.name, func(t *testing.T) {
			clk := newImpClock()
			srv := newImpServer(t, clk, nil)
			impBarrier(t, srv, tt.workers, tt.users)
			c := impNewClient(t, srv)
			users := impUsers(tt.users)
			rep, err := c.Users.Import(context.Background(), users,
				append([]ImportOption{WithImportStrategy(ImportStrategyCreate)}, tt.opts...)...)
			require.NoError(t, err)
			assert.Len(t, rep.Imported, tt.users)
			srv.mu.Lock()
			defer srv.mu.Unlock()
			assert.Equal(t, tt.workers, srv.maxInFlight, "most requests in flight together")
		})
	}
}

func TestImportCreatePacing(t *testing.T) {
	t.Run("one worker: exact", func(t *testing.T) {
		clk := newImpClock()
		srv := newImpServer(t, clk, nil)
		c := impNewClient(t, srv)
		users := impUsers(200)
		rep, err := c.Users.Import(context.Background(), users, WithImportStrategy(ImportStrategyCreate),
			WithImportWorkers(1), WithImportRate(30))
		require.NoError(t, err)
		assert.Len(t, rep.Imported, 200)
		reqs := srv.requests()
		require.Len(t, reqs, 200)
		assert.Equal(t, 30, impMaxInWindow(impTimes(reqs), time.Minute))
		for i, r := range reqs {
			assert.Equal(t, time.Duration(i/30)*time.Minute, r.At.Sub(impEpoch), "request %d", i)
		}
	})
	t.Run("many workers", func(t *testing.T) {
		clk := newImpClock()
		srv := newImpServer(t, clk, nil)
		c := impNewClient(t, srv)
		users := impUsers(300)
		rep, err := c.Users.Import(context.Background(), users, WithImportStrategy(ImportStrategyCreate),
			WithImportWorkers(8), WithImportRate(25))
		require.NoError(t, err)
		assert.Len(t, rep.Imported, 300)
		reqs := srv.requests()
		require.Len(t, reqs, 300)
		assert.LessOrEqual(t, impMaxInWindow(impTimes(reqs), time.Minute), 25)
		assert.GreaterOrEqual(t, clk.Elapsed(), 11*time.Minute, "300 requests at 25 a minute")
	})
	t.Run("more workers than the rate", func(t *testing.T) {
		// A request still in flight counts until it ends: with 8 workers and
		// 3 a minute, no slot is booked again before its request ended.
		clk := newImpClock()
		srv := newImpServer(t, clk, nil)
		c := impNewClient(t, srv)
		users := impUsers(40)
		rep, err := c.Users.Import(context.Background(), users, WithImportStrategy(ImportStrategyCreate),
			WithImportWorkers(8), WithImportRate(3))
		require.NoError(t, err)
		assert.Len(t, rep.Imported, 40)
		assert.LessOrEqual(t, impMaxInWindow(impTimes(srv.requests()), time.Minute), 3)
	})
	t.Run("429 holds every worker", func(t *testing.T) {
		clk := newImpClock()
		srv := newImpServer(t, clk, func(n int, _ *impRequest) (int, http.Header, string, bool) {
			if n == 0 {
				return http.StatusTooManyRequests, http.Header{"Retry-After": {"20"}}, impErrorBody("ERR_TOO_MANY_REQUESTS", "slow"), true
			}
			return 0, nil, "", false
		})
		// Retry-After is below the retry wait's max, so Users.Create would
		// retry it by itself; the import's window must see it instead.
		c := impNewClient(t, srv)
		users := impUsers(60)
		rep, err := c.Users.Import(context.Background(), users, WithImportStrategy(ImportStrategyCreate), WithImportWorkers(4))
		require.NoError(t, err)
		assert.Len(t, rep.Imported, 60)
		reqs := srv.requests()
		require.Len(t, reqs, 61)
		// Requests already on their way when the 429 came back may go at
		// once; from the resent one on, nothing goes before the wait is over.
		resent := slices.IndexFunc(reqs[1:], func(r *impRequest) bool { return r.User["uid"] == reqs[0].User["uid"] }) + 1
		require.Positive(t, resent)
		for _, r := range reqs[resent:] {
			assert.GreaterOrEqual(t, r.At.Sub(reqs[0].At), 20*time.Second)
		}
		assert.Equal(t, 20*time.Second, clk.Elapsed(), "the workers wait together, once")
	})
	t.Run("a resent request goes through the window", func(t *testing.T) {
		clk := newImpClock()
		srv := newImpServer(t, clk, func(n int, _ *impRequest) (int, http.Header, string, bool) {
			if n == 0 {
				return http.StatusTooManyRequests, http.Header{"Retry-After": {"1"}}, impErrorBody("ERR_TOO_MANY_REQUESTS", "slow"), true
			}
			return 0, nil, "", false
		})
		c := impNewClient(t, srv)
		rep, err := c.Users.Import(context.Background(), impUsers(10), WithImportStrategy(ImportStrategyCreate),
			WithImportWorkers(1), WithImportRate(5))
		require.NoError(t, err)
		assert.Len(t, rep.Imported, 10)
		reqs := srv.requests()
		require.Len(t, reqs, 11)
		assert.LessOrEqual(t, impMaxInWindow(impTimes(reqs), time.Minute), 5, "the resent request was not booked in the window")
	})
}

func TestImportCreatePacingSharedAcrossCalls(t *testing.T) {
	// Importing in chunks (one Import call each) stays under the rate.
	clk := newImpClock()
	srv := newImpServer(t, clk, nil)
	c := impNewClient(t, srv)
	users := impUsers(100)
	for chunk := range 5 {
		rep, err := c.Users.Import(context.Background(), users[chunk*20:chunk*20+20],
			WithImportStrategy(ImportStrategyCreate), WithImportRate(30), WithImportWorkers(3))
		require.NoError(t, err)
		assert.Len(t, rep.Imported, 20)
	}
	reqs := srv.requests()
	require.Len(t, reqs, 100)
	assert.LessOrEqual(t, impMaxInWindow(impTimes(reqs), time.Minute), 30)
	assert.GreaterOrEqual(t, clk.Elapsed(), 3*time.Minute)
}

func TestImportCreateStops(t *testing.T) {
	clk := newImpClock()
	srv := newImpServer(t, clk, func(n int, _ *impRequest) (int, http.Header, string, bool) {
		if n >= 10 {
			return http.StatusUnauthorized, nil, impErrorBody("AUTH_ERR_APIKEY_NOT_FOUND", "no such key"), true
		}
		return 0, nil, "", false
	})
	c := impNewClient(t, srv)
	users := impUsers(500)
	var last [3]int
	rep, err := c.Users.Import(context.Background(), users, WithImportStrategy(ImportStrategyCreate), WithImportWorkers(4),
		WithImportProgress(func(done, failed, total int) { last = [3]int{done, failed, total} }))
	require.ErrorIs(t, err, ErrAPIKeyNotFound)
	impCheckPartition(t, users, rep)
	assert.Len(t, rep.Imported, 10)
	for _, f := range rep.Failed {
		assert.ErrorIs(t, f.Err, ErrAPIKeyNotFound, "users[%d]", f.Index)
	}
	assert.Less(t, len(srv.requests()), 20, "workers stop soon after the error")
	assert.Equal(t, [3]int{500, 490, 500}, last)
}

func TestImportCreateCancel(t *testing.T) {
	clk := newImpClock()
	srv := newImpServer(t, clk, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv.hold = func(req *impRequest) {
		if req.User["uid"] == "user-00100" {
			cancel()
			<-req.ctx.Done() // the client hung up
		}
	}
	c := impNewClient(t, srv)
	users := impUsers(1000)
	rep, err := c.Users.Import(ctx, users, WithImportStrategy(ImportStrategyCreate), WithImportWorkers(4))
	require.ErrorIs(t, err, context.Canceled)
	impCheckPartition(t, users, rep)
	assert.GreaterOrEqual(t, len(rep.Imported), 100-4, "users sent before user-00100, but for the other workers'")
	for _, f := range rep.Failed {
		assert.ErrorIs(t, f.Err, context.Canceled)
	}
}

func TestImportCreateLargeRateAllocatesLittle(t *testing.T) {
	// WithImportRate(huge) must not allocate a window of that size up front.
	clk := newImpClock()
	srv := newImpServer(t, clk, nil)
	c := impNewClient(t, srv)
	rep, err := c.Users.Import(context.Background(), impUsers(3), WithImportStrategy(ImportStrategyCreate),
		WithImportRate(1<<40))
	require.NoError(t, err)
	assert.Len(t, rep.Imported, 3)
}

func TestSlidingWindowSlowRequests(t *testing.T) {
	// Whatever the order in which requests end, of any limit+1 requests the
	// last starts at least per after the first ended.
	const limit, per = 3, time.Minute
	w := newSlidingWindow(limit, per)
	now := impEpoch
	clock := func() time.Time { return now }
	type req struct{ start, end time.Time }
	var done []req
	// Requests take turns: slot 0 is slow (ends 50 s after it starts), the
	// others end at once.
	for i := range 12 {
		slot, at, err := w.reserve(context.Background(), clock)
		require.NoError(t, err)
		if at.After(now) {
			now = at
		}
		end := now
		if i%limit == 0 {
			end = now.Add(50 * time.Second)
		}
		done = append(done, req{now, end})
		w.finish(slot, end)
	}
	for i := range done {
		for j := i + limit; j < len(done); j++ {
			assert.GreaterOrEqual(t, done[j].start.Sub(done[i].end), per, "request %d starts too soon after %d ended", j, i)
		}
	}
}

func TestSlidingWindowWaitsForRequestInFlight(t *testing.T) {
	w := newSlidingWindow(1, time.Minute)
	slot, _, err := w.reserve(context.Background(), time.Now)
	require.NoError(t, err)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err = w.reserve(ctx, time.Now)
	require.ErrorIs(t, err, context.Canceled, "the only slot is in flight: reserve waits, until ctx ends")

	end := time.Now().Add(time.Hour)
	got := make(chan time.Time)
	go func() {
		_, at, err := w.reserve(context.Background(), time.Now)
		assert.NoError(t, err)
		got <- at
	}()
	w.finish(slot, end)
	assert.Equal(t, end.Add(time.Minute), <-got)
}

func TestSlidingWindowForgetsOldRequests(t *testing.T) {
	// The window keeps only the requests of the last period, whatever its
	// limit: WithImportRate(huge) costs nothing up front or over time.
	w := newSlidingWindow(1<<40, time.Minute)
	now := impEpoch
	for range 10_000 {
		id, at, err := w.reserve(context.Background(), func() time.Time { return now })
		require.NoError(t, err)
		require.Equal(t, now, at)
		w.finish(id, now)
		now = now.Add(time.Second)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	assert.LessOrEqual(t, len(w.q)-w.head, 61)
	assert.LessOrEqual(t, cap(w.q), 256)
}
