package cometchat

// Tests of Users.Import. Everything runs inside testing/synctest bubbles: pacing, 429 waits, slow answers and
// timeouts happen on the bubble's virtual clock, so the tests measure exact request times without waiting.
// Helpers are prefixed imp.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/h2non/gock.v1"
)

// The endpoints the two strategies call.
const (
	impDataImportPath = "/data_import/users"
	impCreatePath     = "/users"
)

// impRequest is a request the import server received.
type impRequest struct {
	At    time.Duration             // when it arrived, since the server started (virtual time)
	Body  string                    // as sent
	UIDs  []string                  // data import: the keys of "users", sorted; create: the uid
	Users map[string]map[string]any // data import: "users" decoded
	User  map[string]any            // create: the body decoded
}

// has reports whether the request carries uid.
func (r *impRequest) has(uid string) bool { return slices.Contains(r.UIDs, uid) }

// impAnswer is how the server answers one request. A zero Status is a healthy answer: every user imported (or
// created) as CometChat stores it.
type impAnswer struct {
	Status int
	Header http.Header
	Body   string
	Delay  time.Duration // before answering, on the virtual clock; ended by the request's context
}

// impServer answers one endpoint of the import through the mock, recording each request on the virtual clock
// and how many are in flight together.
type impServer struct {
	start  time.Time
	answer func(n int, r *impRequest) impAnswer // n counts requests from 0; called one at a time

	mu          sync.Mutex
	reqs        []*impRequest
	inFlight    int
	maxInFlight int
}

// impServe makes m answer POST path with answer (nil: always healthy). count > 0 expects exactly count requests
// (the mock fails the test otherwise); otherwise any number is accepted. Requests whose context ended before they
// reached the mock are not recorded: a real transport would not have sent them. answer runs on the goroutine that
// sent the request: it must not call t.FailNow (require).
func impServe(t *testing.T, m *apiMock, path string, count int, answer func(n int, r *impRequest) impAnswer) *impServer {
	t.Helper()
	s := &impServer{start: time.Now(), answer: answer}
	mock := m.on(http.MethodPost, path)
	if count > 0 {
		mock.Times(count)
	} else {
		mock.Persist()
		// A persistent mock is never done: switch it off before newMock's check for unused answers.
		t.Cleanup(mock.Mock.Disable)
	}
	mock.Reply(http.StatusOK).Map(func(res *http.Response) *http.Response { return s.respond(t, res) })
	return s
}

func (s *impServer) respond(t *testing.T, res *http.Response) *http.Response {
	req := res.Request
	if req.Context().Err() != nil {
		return res // gock fails the request with the context's error
	}
	body, err := io.ReadAll(req.Body)
	assert.NoError(t, err)
	r := &impRequest{At: time.Since(s.start), Body: string(body)}
	if strings.HasSuffix(req.URL.Path, impDataImportPath) {
		var env struct {
			Users map[string]map[string]any `json:"users"`
		}
		assert.NoError(t, json.Unmarshal(body, &env), "a data import body")
		r.Users = env.Users
		r.UIDs = slices.Sorted(maps.Keys(env.Users))
	} else {
		assert.NoError(t, json.Unmarshal(body, &r.User), "a create body")
		r.UIDs = []string{fmt.Sprint(r.User["uid"])}
	}

	s.mu.Lock()
	n := len(s.reqs)
	s.reqs = append(s.reqs, r)
	s.inFlight++
	s.maxInFlight = max(s.maxInFlight, s.inFlight)
	var a impAnswer
	if s.answer != nil {
		a = s.answer(n, r)
	}
	s.mu.Unlock()

	if a.Delay > 0 {
		timer := time.NewTimer(a.Delay)
		select {
		case <-timer.C:
		case <-req.Context().Done():
		}
		timer.Stop()
	}
	s.mu.Lock()
	s.inFlight--
	s.mu.Unlock()

	if a.Status == 0 {
		a.Status, a.Body = http.StatusOK, impHealthy(r, nil)
	}
	res.StatusCode = a.Status
	res.Status = strconv.Itoa(a.Status) + " " + http.StatusText(a.Status)
	res.Header = http.Header{"Content-Type": {"application/json"}}
	for k, v := range a.Header {
		res.Header[k] = v
	}
	res.Body = io.NopCloser(strings.NewReader(a.Body))
	res.ContentLength = int64(len(a.Body))
	return res
}

// requests returns the requests received so far, in arrival order.
func (s *impServer) requests() []*impRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.reqs)
}

// times returns when each request arrived.
func (s *impServer) times() []time.Duration {
	var out []time.Duration
	for _, r := range s.requests() {
		out = append(out, r.At)
	}
	return out
}

// sentUIDs returns every uid sent, in request order.
func (s *impServer) sentUIDs() []string {
	var out []string
	for _, r := range s.requests() {
		out = append(out, r.UIDs...)
	}
	return out
}

// most returns the most requests that were in flight together.
func (s *impServer) most() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.maxInFlight
}

// impHealthy is a healthy server's answer to r: every user stored (uid lowercased, role "default" unless given,
// timestamps as numbers). entries replaces the entries of the uids it names (data import only); an empty string
// leaves the uid out of the answer.
func impHealthy(r *impRequest, entries map[string]string) string {
	if r.User != nil {
		out, _ := json.Marshal(map[string]any{"data": impStored(r.User)})
		return string(out)
	}
	var b strings.Builder
	b.WriteString(`{"data":{`)
	first := true
	for _, uid := range r.UIDs {
		entry, replaced := entries[uid]
		if replaced && entry == "" {
			continue
		}
		if !replaced {
			stored, _ := json.Marshal(impStored(r.Users[uid]))
			entry = `{"success":true,"message":"User imported successfully.","data":` + string(stored) + `}`
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		key, _ := json.Marshal(uid)
		b.Write(key)
		b.WriteByte(':')
		b.WriteString(entry)
	}
	b.WriteString(`}}`)
	return b.String()
}

// impStored is a user as CometChat stores what was sent.
func impStored(sent map[string]any) map[string]any {
	u := maps.Clone(sent)
	u["uid"] = strings.ToLower(fmt.Sprint(sent["uid"]))
	if _, ok := u["role"]; !ok {
		u["role"] = "default"
	}
	u["status"] = "offline"
	for _, f := range []string{"createdAt", "lastActiveAt"} {
		if s, ok := sent[f].(string); ok {
			n, _ := strconv.ParseInt(s, 10, 64)
			u[f] = n
		}
	}
	if _, ok := u["createdAt"]; !ok {
		u["createdAt"] = time.Now().Unix()
	}
	return u
}

// impErrorBody is CometChat's error envelope.
func impErrorBody(code, message string) string {
	return `{"error":{"message":"` + message + `","devMessage":"` + message + `","source":"chat-api","code":"` + code + `"}}`
}

// impUsers makes n valid users prefix00000, prefix00001, ...; even ones have a LastActiveAt, odd ones none.
func impUsers(prefix string, n int) []*ImportUser {
	users := make([]*ImportUser, n)
	for i := range users {
		users[i] = &ImportUser{
			UID:       fmt.Sprintf("%s%05d", prefix, i),
			Name:      fmt.Sprintf("User %d", i),
			CreatedAt: time.Unix(1_600_000_000+int64(i), 0),
		}
		if i%2 == 0 {
			users[i].LastActiveAt = time.Unix(1_700_000_000+int64(i), 0)
		}
	}
	return users
}

// impUIDs returns the uids of users.
func impUIDs(users []*ImportUser) []string {
	out := make([]string, len(users))
	for i, u := range users {
		out[i] = u.UID
	}
	return out
}

// impCheckReport asserts the report's invariant: every input user is in exactly one bucket (Imported, Failed,
// Existing); Failed and Existing are in input order with the input's uids, each failure with an error; Imported
// holds the other users, in input order.
func impCheckReport(t *testing.T, users []*ImportUser, rep *ImportReport) {
	t.Helper()
	require.NotNil(t, rep, "the report")
	bucket := make(map[int]string, len(users))
	put := func(i int, name string) {
		if prev, dup := bucket[i]; dup {
			t.Errorf("users[%d] is in %s and in %s", i, prev, name)
		}
		bucket[i] = name
	}
	last := -1
	for _, f := range rep.Failed {
		require.True(t, f.Index > last && f.Index < len(users), "Failed[].Index %d out of order or range", f.Index)
		last = f.Index
		if users[f.Index] != nil {
			assert.Equal(t, users[f.Index].UID, f.UID, "Failed uid of users[%d]", f.Index)
		} else {
			assert.Empty(t, f.UID)
		}
		assert.Error(t, f.Err, "users[%d] failed without an error", f.Index)
		put(f.Index, "Failed")
	}
	last = -1
	for _, e := range rep.Existing {
		require.True(t, e.Index > last && e.Index < len(users), "Existing[].Index %d out of order or range", e.Index)
		last = e.Index
		assert.Equal(t, users[e.Index].UID, e.UID, "Existing uid of users[%d]", e.Index)
		put(e.Index, "Existing")
	}
	// Imported carries no index: the imported users are the others, in input order.
	var rest []int
	for i := range users {
		if _, ok := bucket[i]; !ok {
			rest = append(rest, i)
		}
	}
	require.Len(t, rep.Imported, len(rest), "Imported holds every user neither failed nor existing")
	for k, u := range rep.Imported {
		require.NotNil(t, u, "Imported[%d]", k)
		require.NotNil(t, users[rest[k]], "a nil input user was imported")
		assert.True(t, strings.EqualFold(users[rest[k]].UID, u.UID), "Imported[%d] is %q, want users[%d] %q", k, u.UID, rest[k], users[rest[k]].UID)
	}
	assert.Equal(t, len(users), len(rep.Imported)+len(rep.Failed)+len(rep.Existing))
}

// impMaxInWindow is the most times that fall in any half-open window [t, t+per).
func impMaxInWindow(times []time.Duration, per time.Duration) int {
	ts := slices.Sorted(slices.Values(times))
	best, i := 0, 0
	for j := range ts {
		for ts[j] >= ts[i]+per {
			i++
		}
		best = max(best, j-i+1)
	}
	return best
}

// impRange returns from, from+1, ..., to-1.
func impRange(from, to int) []int {
	out := make([]int, 0, to-from)
	for i := from; i < to; i++ {
		out = append(out, i)
	}
	return out
}

// impFailedIndexes returns the indexes of the failed users.
func impFailedIndexes(rep *ImportReport) []int {
	var out []int
	for _, f := range rep.Failed {
		out = append(out, f.Index)
	}
	return out
}

func TestUsersService_Import_BatchesOfAtMost50InInputOrder(t *testing.T) {
	for _, n := range []int{0, 1, 49, 50, 51, 100, 101} {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				m := newMock(t)
				batches := (n + 49) / 50
				s := impServe(t, m, impDataImportPath, batches, nil)
				// uids count down, so that input order differs from sorted order.
				users := make([]*ImportUser, n)
				for i := range users {
					users[i] = &ImportUser{UID: fmt.Sprintf("u%03d", n-i), Name: "User", CreatedAt: time.Unix(1_600_000_000+int64(i), 0)}
				}

				rep, err := m.Users.Import(context.Background(), users)
				require.NoError(t, err)
				impCheckReport(t, users, rep)

				reqs := s.requests()
				require.Len(t, reqs, batches)
				assert.Len(t, m.requests(), batches)
				for b, r := range reqs {
					want := users[b*50 : min(b*50+50, n)]
					assert.ElementsMatch(t, impUIDs(want), r.UIDs, "request %d holds the next users of the input", b)
				}
				assert.Empty(t, rep.Failed)
				assert.Empty(t, rep.Existing)
				require.Len(t, rep.Imported, n)
				for i, u := range rep.Imported {
					assert.Equal(t, users[i].UID, u.UID)
					assert.Equal(t, users[i].CreatedAt.Unix(), u.CreatedAt.Unix(), "history kept")
				}
			})
		})
	}
}

func TestUsersService_Import_SendsTheDataImportShape(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMock(t)
		s := impServe(t, m, impDataImportPath, 1, nil)
		users := []*ImportUser{
			{
				UID: "Alice-1", Name: "Alice <&> 🚀", Avatar: "https://example.com/a.png", Link: "https://example.com/alice",
				Role: "admin", StatusMessage: "hi", Metadata: map[string]any{"@private": map[string]any{"email": "a@example.com"}},
				Tags: []string{"x", "y"}, CreatedAt: time.Unix(1673421419, 0).In(time.FixedZone("UTC+5", 5*3600)),
				LastActiveAt: time.Unix(1673421425, 999_999_999),
			},
			{UID: "bob", Name: "Bob"}, // zero times: not sent
		}

		rep, err := m.Users.Import(context.Background(), users)
		require.NoError(t, err)
		impCheckReport(t, users, rep)
		require.Len(t, s.requests(), 1)

		r := m.last(t)
		assert.Equal(t, http.MethodPost, r.Method)
		assert.Equal(t, impDataImportPath, r.Path)
		assert.Empty(t, r.Query)
		assert.Equal(t, testKey, r.Header.Get("apikey"))
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
		assert.JSONEq(t, `{"users":{
			"Alice-1":{"uid":"Alice-1","name":"Alice <&> 🚀","avatar":"https://example.com/a.png","link":"https://example.com/alice",
				"role":"admin","statusMessage":"hi","metadata":{"@private":{"email":"a@example.com"}},"tags":["x","y"],
				"createdAt":"1673421419","lastActiveAt":"1673421425"},
			"bob":{"uid":"bob","name":"Bob"}}}`, r.Body)
		assert.NotContains(t, r.Body, "withAuthToken")
		assert.Contains(t, r.Body, `"Alice <&> 🚀"`, "no HTML escaping")
		assert.Contains(t, r.Body, `"https://example.com/a.png"`, "no escaped slashes")
	})
}

func TestUsersService_Import_ReportsTheUsersAsStored(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMock(t)
		impServe(t, m, impDataImportPath, 1, func(_ int, r *impRequest) impAnswer {
			// A recorded user, with its "\/" escapes, as the entry's data.
			return impAnswer{Status: http.StatusOK, Body: `{"data":{"cometchat-uid-6":{"success":true,"data":` + userBarry + `}}}`}
		})
		users := []*ImportUser{{UID: "cometchat-uid-6", Name: "Barry"}}

		rep, err := m.Users.Import(context.Background(), users)
		require.NoError(t, err)
		impCheckReport(t, users, rep)
		require.Len(t, rep.Imported, 1)
		u := rep.Imported[0]
		assert.Equal(t, "cometchat-uid-6", u.UID)
		assert.Equal(t, "Barry Allen", u.Name, "the user as the server stored it, not as sent")
		assert.Equal(t, "https://assets.cometchat.io/sampleapp/v2/groups/cometchat-guid-1.webp", u.Avatar)
		assert.Equal(t, "https://cometchat.com", u.Link)
		assert.Equal(t, "manager", u.Role)
		assert.Equal(t, StatusOffline, u.Status)
		assert.Equal(t, []string{"Engineer", "manager"}, u.Tags)
		assert.Equal(t, time.Unix(1638354015, 0).UTC(), u.CreatedAt)
	})
}

func TestUsersService_Import_NeverMoreThan60RequestsPerMinute(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMock(t)
		s := impServe(t, m, impDataImportPath, 121, nil)
		users := impUsers("u", 120*50+1)

		rep, err := m.Users.Import(context.Background(), users)
		require.NoError(t, err)
		impCheckReport(t, users, rep)
		assert.Len(t, rep.Imported, len(users))

		times := s.times()
		require.Len(t, times, 121)
		assert.Equal(t, 60, impMaxInWindow(times, time.Minute), "requests in the busiest 60 s window")
		// Full speed otherwise: 60 at once, 60 a minute later, the last one a minute after that.
		for i, at := range times {
			assert.Equal(t, time.Duration(i/60)*time.Minute, at, "request %d", i)
		}
	})
}

func TestUsersService_Import_WindowSharedBySuccessiveCalls(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMock(t)
		s := impServe(t, m, impDataImportPath, 62, nil)
		first, second := impUsers("a", 59*50), impUsers("b", 3*50)

		rep, err := m.Users.Import(context.Background(), first)
		require.NoError(t, err)
		impCheckReport(t, first, rep)
		rep, err = m.Users.Import(context.Background(), second)
		require.NoError(t, err)
		impCheckReport(t, second, rep)

		times := s.times()
		require.Len(t, times, 62)
		assert.Equal(t, time.Duration(0), times[59], "the 60th request fits in the first window")
		assert.Equal(t, time.Minute, times[60], "the 61st waits for the window, across Import calls")
		assert.Equal(t, time.Minute, times[61])
		assert.Equal(t, 60, impMaxInWindow(times, time.Minute))
	})
}

// impImport is one Import call of impConcurrently: its input and report.
type impImport struct {
	in  []*ImportUser
	rep *ImportReport
}

// impConcurrently runs one Import of n users per client, all at once, and checks that each succeeded.
func impConcurrently(t *testing.T, clients []*Client, n int) []impImport {
	t.Helper()
	imports := make([]impImport, len(clients))
	errs := make([]error, len(clients))
	var wg sync.WaitGroup
	for g, c := range clients {
		imports[g].in = impUsers(fmt.Sprintf("g%d-", g), n)
		wg.Go(func() { imports[g].rep, errs[g] = c.Users.Import(context.Background(), imports[g].in) })
	}
	wg.Wait()
	for g, imp := range imports {
		require.NoError(t, errs[g], "import %d", g)
		impCheckReport(t, imp.in, imp.rep)
	}
	return imports
}

func TestUsersService_Import_WindowSharedByConcurrentCalls(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMock(t)
		s := impServe(t, m, impDataImportPath, 160, nil)
		clients := []*Client{m.Client, m.Client, m.Client, m.Client}
		for g, imp := range impConcurrently(t, clients, 40*50) {
			assert.Len(t, imp.rep.Imported, len(imp.in), "import %d", g)
		}

		times := s.times()
		require.Len(t, times, 160)
		assert.Equal(t, 60, impMaxInWindow(times, time.Minute))
		assert.Equal(t, 2*time.Minute, slices.Max(times), "160 requests take three windows, no more")
	})
}

func TestUsersService_Import_WindowPerClient(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMock(t)
		s := impServe(t, m, impDataImportPath, 120, nil)
		other, err := NewClient(testAppID, testRegion, testKey, WithHTTPClient(&http.Client{Transport: gock.NewTransport()}))
		require.NoError(t, err)
		impConcurrently(t, []*Client{m.Client, other}, 60*50)

		times := s.times()
		require.Len(t, times, 120)
		assert.Equal(t, time.Duration(0), slices.Max(times), "each Client has its own 60 requests a minute")
	})
}

// imp429 is a rate-limited answer with header.
func imp429(header http.Header) impAnswer {
	return impAnswer{Status: http.StatusTooManyRequests, Header: header,
		Body: impErrorBody("ERR_TOO_MANY_REQUESTS", "Please retry for seconds after 58")}
}

func TestUsersService_Import_Retries429AfterTheServersWait(t *testing.T) {
	for _, tt := range []struct {
		name   string
		header func() http.Header
		wait   time.Duration // exactly, when exact
		exact  bool
	}{
		{"Retry-After", func() http.Header { return http.Header{"Retry-After": {"42"}} }, 42 * time.Second, true},
		{"Retry-After of 2 minutes, above the client's retry wait", func() http.Header { return http.Header{"Retry-After": {"120"}} }, 2 * time.Minute, true},
		{"Retry-After: 0 means now", func() http.Header { return http.Header{"Retry-After": {"0"}} }, 0, true},
		{"Retry-After as a date", func() http.Header {
			return http.Header{"Retry-After": {time.Now().Add(30 * time.Second).UTC().Format(http.TimeFormat)}}
		}, 30 * time.Second, true},
		{"rate-limit reset", func() http.Header {
			return http.Header{"X-Ratelimit-Reset": {strconv.FormatInt(time.Now().Add(20*time.Second).Unix(), 10)}}
		}, 20 * time.Second, true},
		{"no wait given: the client's backoff", func() http.Header { return nil }, time.Second, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				m := newMock(t)
				s := impServe(t, m, impDataImportPath, 6, func(n int, _ *impRequest) impAnswer {
					if n == 2 {
						return imp429(tt.header())
					}
					return impAnswer{}
				})
				users := impUsers("u", 5*50)

				rep, err := m.Users.Import(context.Background(), users)
				require.NoError(t, err)
				impCheckReport(t, users, rep)
				assert.Len(t, rep.Imported, len(users), "the rate-limited batch is sent again")

				reqs := s.requests()
				require.Len(t, reqs, 6)
				assert.Equal(t, reqs[2].UIDs, reqs[3].UIDs, "the same batch again")
				assert.Equal(t, reqs[2].Body, reqs[3].Body)
				waited := reqs[3].At - reqs[2].At
				if tt.exact {
					assert.Equal(t, tt.wait, waited, "resent after the server's wait")
				} else {
					assert.Positive(t, waited)
					assert.Less(t, waited, tt.wait, "an absent wait is not the longest wait")
				}
				assert.Equal(t, reqs[3].At, reqs[5].At, "after the wait, full speed again")
			})
		})
	}
}

func TestUsersService_Import_429HoldsTheWindowForEveryImportOfTheClient(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMock(t)
		refused := false
		s := impServe(t, m, impDataImportPath, 3+1+2+2, func(_ int, r *impRequest) impAnswer {
			if r.has("a00100") && !refused {
				refused = true
				return imp429(http.Header{"Retry-After": {"42"}})
			}
			return impAnswer{}
		})
		a, b := impUsers("a", 5*50), impUsers("b", 2*50)

		var repA *ImportReport
		var errA error
		done := make(chan struct{})
		go func() {
			defer close(done)
			repA, errA = m.Users.Import(context.Background(), a)
		}()
		synctest.Wait() // the third batch of a was refused: a waits the server's 42 s
		require.Len(t, s.requests(), 3)

		repB, errB := m.Users.Import(context.Background(), b)
		<-done
		require.NoError(t, errA)
		require.NoError(t, errB)
		impCheckReport(t, a, repA)
		impCheckReport(t, b, repB)
		assert.Len(t, repA.Imported, len(a))
		assert.Len(t, repB.Imported, len(b))

		reqs := s.requests()
		require.Len(t, reqs, 8)
		for _, r := range reqs[3:] {
			assert.Equal(t, 42*time.Second, r.At, "nothing goes before the server's wait is over, from any import of the Client")
		}
		assert.True(t, slices.ContainsFunc(reqs[3:], func(r *impRequest) bool { return r.has("b00000") }))
	})
}

func TestUsersService_Import_429WaitOverTwoMinutesFailsTheBatch(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMock(t)
		s := impServe(t, m, impDataImportPath, 3, func(n int, _ *impRequest) impAnswer {
			if n == 1 {
				return imp429(http.Header{"Retry-After": {"121"}})
			}
			return impAnswer{}
		})
		users := impUsers("u", 3*50)

		rep, err := m.Users.Import(context.Background(), users)
		require.NoError(t, err, "a refused batch does not stop the import")
		impCheckReport(t, users, rep)
		require.Len(t, rep.Failed, 50)
		for k, f := range rep.Failed {
			assert.Equal(t, 50+k, f.Index)
			require.ErrorIs(t, f.Err, ErrTooManyRequests)
			var apiErr *APIError
			require.ErrorAs(t, f.Err, &apiErr)
			assert.Equal(t, http.StatusTooManyRequests, apiErr.StatusCode)
			assert.Equal(t, 121*time.Second, apiErr.RetryAfter)
		}
		assert.Len(t, rep.Imported, 100)

		times := s.times()
		require.Len(t, times, 3, "a wait over 2 minutes is not waited for a retry")
		assert.Equal(t, 121*time.Second, times[2], "the next batch still waits for the server's wait")
	})
}

func TestUsersService_Import_429RetriedAtMost10Times(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMock(t, WithMaxRetries(1)) // the import allows at least 10 retries, whatever the client's
		s := impServe(t, m, impDataImportPath, 11+1, func(_ int, r *impRequest) impAnswer {
			if r.has("u00000") {
				return imp429(http.Header{"Retry-After": {"1"}})
			}
			return impAnswer{}
		})
		users := impUsers("u", 2*50)

		rep, err := m.Users.Import(context.Background(), users)
		require.NoError(t, err)
		impCheckReport(t, users, rep)
		assert.Equal(t, impRange(0, 50), impFailedIndexes(rep))
		for _, f := range rep.Failed {
			assert.ErrorIs(t, f.Err, ErrTooManyRequests)
		}
		assert.Len(t, rep.Imported, 50)

		times := s.times()
		require.Len(t, times, 12, "the first attempt and 10 retries, then the next batch")
		assert.Equal(t, 10*time.Second, times[10])
		assert.Equal(t, 11*time.Second, times[11], "the next batch waits for the last answer's Retry-After")
	})
}

func TestUsersService_Import_PartialBatchFailure(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMock(t)
		impServe(t, m, impDataImportPath, 2, func(_ int, r *impRequest) impAnswer {
			return impAnswer{Status: http.StatusOK, Body: impHealthy(r, map[string]string{
				"u00001":  `{"success":false,"error":{"code":"ERR_BAD_REQUEST","message":"The avatar must be a valid URL.","details":{"avatar":["The avatar must be a valid URL."]}}}`,
				"u00003":  `{"success":false,"error":"ERR_IMPORT_INVALID_USER_FORMAT: the user is malformed"}`,
				"u00004":  `{"success":false,"error":{"code":"ERR_UID_ALREADY_EXISTS","message":"The uid u00004 already exists."}}`,
				"u00005":  `{"success":false}`,
				"User-06": `{"success":true,"message":"User imported successfully."}`,
				"u00007":  `{"success":false,"code":"ERR_ROLE_NOT_FOUND","message":"The role ghost does not exist."}`,
				"u00008":  "",
				"u00051":  `{"success":false,"error":{"code":"ERR_BAD_REQUEST","message":"key ` + testKey + ` echoed"}}`,
			})}
		})
		users := impUsers("u", 60)
		users[6].UID = "User-06"
		users[6].Tags = []string{"kept"}

		rep, err := m.Users.Import(context.Background(), users)
		require.NoError(t, err, "per-user failures do not fail the import")
		impCheckReport(t, users, rep)
		require.Equal(t, []int{1, 3, 4, 5, 7, 8, 51}, impFailedIndexes(rep))
		errOf := func(i int) error { return rep.Failed[slices.Index(impFailedIndexes(rep), i)].Err }
		apiErrOf := func(i int) *APIError {
			var apiErr *APIError
			require.ErrorAs(t, errOf(i), &apiErr, "users[%d]", i)
			assert.Zero(t, apiErr.StatusCode, "a per-user failure has no status of its own")
			return apiErr
		}

		assert.ErrorIs(t, errOf(1), ErrBadRequest)
		assert.Equal(t, "The avatar must be a valid URL.", apiErrOf(1).Message)
		assert.Equal(t, map[string][]string{"avatar": {"The avatar must be a valid URL."}}, apiErrOf(1).Details)

		assert.Empty(t, apiErrOf(3).Code, "an error given as a string")
		assert.Equal(t, "ERR_IMPORT_INVALID_USER_FORMAT: the user is malformed", apiErrOf(3).Message)

		assert.ErrorIs(t, errOf(4), ErrUIDAlreadyExists)
		assert.NotEmpty(t, apiErrOf(5).Message, "a failure without a reason still says so")
		assert.ErrorIs(t, errOf(7), ErrRoleNotFound, "a flat code and message")
		assert.Equal(t, "The role ghost does not exist.", apiErrOf(7).Message)

		assert.ErrorIs(t, errOf(8), ErrInvalidResponse, "a uid missing from the answer")
		var apiErr *APIError
		assert.False(t, errors.As(errOf(8), &apiErr))

		assert.ErrorIs(t, errOf(51), ErrBadRequest)
		assert.NotContains(t, errOf(51).Error(), testKey, "the API key is redacted")
		assert.NotContains(t, apiErrOf(51).Message, testKey)

		require.Len(t, rep.Imported, 53)
		sent := rep.Imported[2] // users 0, 2, then 6
		assert.Equal(t, "user-06", sent.UID, "a success without data reports the user as sent, its uid as stored")
		assert.Equal(t, "User 6", sent.Name)
		assert.Equal(t, []string{"kept"}, sent.Tags)
		assert.True(t, users[6].CreatedAt.Equal(sent.CreatedAt))
	})
}

func TestUsersService_Import_EntriesKeyedAsSentOrLowercased(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMock(t)
		impServe(t, m, impDataImportPath, 1, func(_ int, r *impRequest) impAnswer {
			data := map[string]any{}
			for _, uid := range r.UIDs {
				key := uid
				if uid != "AsSent" {
					key = strings.ToLower(uid)
				}
				data[key] = map[string]any{"success": true, "data": impStored(r.Users[uid])}
			}
			out, err := json.Marshal(map[string]any{"data": data})
			assert.NoError(t, err)
			return impAnswer{Status: http.StatusOK, Body: string(out)}
		})
		users := []*ImportUser{{UID: "MixedCase", Name: "M"}, {UID: "AsSent", Name: "A"}, {UID: "lower", Name: "L"}}

		rep, err := m.Users.Import(context.Background(), users)
		require.NoError(t, err)
		impCheckReport(t, users, rep)
		require.Len(t, rep.Imported, 3)
		assert.Equal(t, "mixedcase", rep.Imported[0].UID)
		assert.Equal(t, "assent", rep.Imported[1].UID)
	})
}

func TestUsersService_Import_WholeBatchFailureFailsItsUsersOnly(t *testing.T) {
	for _, tt := range []struct {
		name   string
		answer impAnswer
		status int   // of the *APIError; 0: no answer could be used
		is     error // matched by each failure, when set
	}{
		{"400", impAnswer{Status: http.StatusBadRequest, Body: impErrorBody("ERR_BAD_REQUEST", "The users may not have more than 50 items.")}, http.StatusBadRequest, ErrBadRequest},
		{"500", impAnswer{Status: http.StatusInternalServerError, Body: impErrorBody("ERR_MISSION_FAILED", "oops")}, http.StatusInternalServerError, nil},
		{"502 HTML", impAnswer{Status: http.StatusBadGateway, Body: "<html>bad gateway</html>"}, http.StatusBadGateway, nil},
		{"503 with Retry-After", impAnswer{Status: http.StatusServiceUnavailable, Header: http.Header{"Retry-After": {"1"}}}, http.StatusServiceUnavailable, nil},
		{"504", impAnswer{Status: http.StatusGatewayTimeout}, http.StatusGatewayTimeout, nil},
		{"200 not JSON", impAnswer{Status: http.StatusOK, Body: "<html>"}, 0, ErrInvalidResponse},
		{"200 without data", impAnswer{Status: http.StatusOK, Body: `{"meta":{}}`}, 0, ErrInvalidResponse},
	} {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				m := newMock(t) // retries 3 times what it may retry
				s := impServe(t, m, impDataImportPath, 3, func(n int, _ *impRequest) impAnswer {
					if n == 1 {
						return tt.answer
					}
					return impAnswer{}
				})
				users := impUsers("u", 3*50)

				rep, err := m.Users.Import(context.Background(), users)
				require.NoError(t, err, "one failed batch does not stop the import")
				impCheckReport(t, users, rep)
				assert.Len(t, s.requests(), 3, "a POST that may have reached the server is not sent again")
				require.Equal(t, impRange(50, 100), impFailedIndexes(rep))
				for _, f := range rep.Failed {
					if tt.is != nil {
						assert.ErrorIs(t, f.Err, tt.is)
					}
					var apiErr *APIError
					if tt.status != 0 && assert.ErrorAs(t, f.Err, &apiErr) {
						assert.Equal(t, tt.status, apiErr.StatusCode)
					}
				}
				assert.Len(t, rep.Imported, 100, "the batches after it still go")
			})
		})
	}
}

func TestUsersService_Import_NetworkFailures(t *testing.T) {
	t.Run("a broken connection fails its batch only", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			m := newMock(t)
			m.on(http.MethodPost, impDataImportPath).ReplyError(errors.New("connection reset by peer"))
			s := impServe(t, m, impDataImportPath, 1, nil)
			users := impUsers("u", 2*50)

			rep, err := m.Users.Import(context.Background(), users)
			require.NoError(t, err)
			impCheckReport(t, users, rep)
			require.Equal(t, impRange(0, 50), impFailedIndexes(rep))
			var apiErr *APIError
			assert.False(t, errors.As(rep.Failed[0].Err, &apiErr), "no answer came")
			assert.Contains(t, rep.Failed[0].Err.Error(), "connection reset by peer")
			assert.Len(t, m.requests(), 2, "a POST whose connection broke may have reached the server: not sent again")
			assert.Len(t, s.requests(), 1)
			assert.Len(t, rep.Imported, 50)
		})
	})
	t.Run("a refused connection is retried", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			m := newMock(t)
			m.on(http.MethodPost, impDataImportPath).ReplyError(&net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")})
			s := impServe(t, m, impDataImportPath, 1, nil)
			users := impUsers("u", 50)

			rep, err := m.Users.Import(context.Background(), users)
			require.NoError(t, err)
			impCheckReport(t, users, rep)
			assert.Len(t, rep.Imported, 50)
			assert.Len(t, m.requests(), 2, "the request never left: sent again")
			assert.Len(t, s.requests(), 1)
		})
	})
}

func TestUsersService_Import_StopsOnAuthAndQuotaErrors(t *testing.T) {
	for _, tt := range []struct {
		name   string
		status int
		code   string
		is     error
	}{
		{"401", http.StatusUnauthorized, "AUTH_ERR_APIKEY_NOT_FOUND", ErrAPIKeyNotFound},
		{"403", http.StatusForbidden, "AUTH_ERR_NO_ACCESS", ErrNoAccess},
		{"402 plan quota", http.StatusPaymentRequired, "ERR_PLAN_QUOTA_RESTRICTION", ErrPlanQuota},
	} {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				m := newMock(t)
				s := impServe(t, m, impDataImportPath, 2, func(n int, _ *impRequest) impAnswer {
					if n == 1 {
						return impAnswer{Status: tt.status, Body: impErrorBody(tt.code, "no")}
					}
					return impAnswer{}
				})
				users := impUsers("u", 4*50)
				var last [3]int
				rep, err := m.Users.Import(context.Background(), users, WithImportProgress(func(done, failed, total int) {
					last = [3]int{done, failed, total}
				}))

				require.ErrorIs(t, err, tt.is, "the import stopped")
				var apiErr *APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, tt.status, apiErr.StatusCode)
				impCheckReport(t, users, rep)
				assert.Len(t, s.requests(), 2, "nothing is sent after the error")
				assert.Len(t, rep.Imported, 50, "the report holds what was done")
				require.Equal(t, impRange(50, 200), impFailedIndexes(rep), "the failed batch and every user not sent")
				for _, f := range rep.Failed {
					assert.ErrorIs(t, f.Err, tt.is)
				}
				assert.Equal(t, [3]int{200, 150, 200}, last)
			})
		})
	}
}

func TestUsersService_Import_ContextEndsTheImport(t *testing.T) {
	// impCheckEnded asserts a report of an import the context ended: done users imported, every other one failed
	// with the context's error.
	impCheckEnded := func(t *testing.T, users []*ImportUser, rep *ImportReport, err error, done int, want ...error) {
		t.Helper()
		for _, w := range want {
			require.ErrorIs(t, err, w)
		}
		impCheckReport(t, users, rep)
		assert.Len(t, rep.Imported, done, "the report holds what was done")
		require.Equal(t, impRange(done, len(users)), impFailedIndexes(rep))
		for _, f := range rep.Failed {
			for _, w := range want {
				assert.ErrorIs(t, f.Err, w, "users[%d]", f.Index)
			}
		}
	}

	t.Run("between batches", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			m := newMock(t)
			s := impServe(t, m, impDataImportPath, 3, nil)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			users := impUsers("u", 10*50)
			rep, err := m.Users.Import(ctx, users, WithImportProgress(func(done, _, _ int) {
				if done == 150 {
					cancel()
				}
			}))
			impCheckEnded(t, users, rep, err, 150, context.Canceled)
			assert.Len(t, s.requests(), 3, "nothing is sent after the cancel")
		})
	})
	t.Run("while waiting for the window", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			m := newMock(t)
			s := impServe(t, m, impDataImportPath, 60, nil)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			users := impUsers("u", 61*50)
			var rep *ImportReport
			var err error
			done := make(chan struct{})
			go func() {
				defer close(done)
				rep, err = m.Users.Import(ctx, users)
			}()
			synctest.Wait() // 60 requests sent; the 61st waits for the window
			start := time.Now()
			cancel()
			<-done
			assert.Zero(t, time.Since(start), "the wait for the window ends with the context")
			impCheckEnded(t, users, rep, err, 60*50, context.Canceled)
			assert.Len(t, s.requests(), 60)
		})
	})
	t.Run("while a request is in flight", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			m := newMock(t)
			s := impServe(t, m, impDataImportPath, 3, func(int, *impRequest) impAnswer { return impAnswer{Delay: time.Second} })
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			time.AfterFunc(2500*time.Millisecond, cancel) // during the third request
			users := impUsers("u", 5*50)
			rep, err := m.Users.Import(ctx, users)
			// The batch in flight may or may not have landed: failed, to be sent again.
			impCheckEnded(t, users, rep, err, 100, context.Canceled)
			assert.Len(t, s.requests(), 3)
		})
	})
	t.Run("deadline", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			m := newMock(t)
			s := impServe(t, m, impDataImportPath, 2, func(int, *impRequest) impAnswer { return impAnswer{Delay: time.Second} })
			ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
			defer cancel()
			users := impUsers("u", 5*50)
			rep, err := m.Users.Import(ctx, users)
			impCheckEnded(t, users, rep, err, 50, context.DeadlineExceeded)
			assert.Len(t, s.requests(), 2)
		})
	})
	t.Run("cancelled with a cause before the import", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			m := newMock(t)
			s := impServe(t, m, impDataImportPath, -1, nil)
			cause := errors.New("shutting down")
			ctx, cancel := context.WithCancelCause(context.Background())
			cancel(cause)
			users := impUsers("u", 2*50)
			rep, err := m.Users.Import(ctx, users)
			impCheckEnded(t, users, rep, err, 0, context.Canceled, cause)
			// The first batch still reaches the client's RoundTripper, which a real transport refuses to send with
			// an ended context (gock's does not): the server records only requests with a live context.
			assert.Empty(t, s.requests())
		})
	})
}

func TestUsersService_Import_WithTimeoutFailsOnlyItsBatch(t *testing.T) {
	// WithTimeout bounds each call: a batch that times out fails, and the import goes on (only the caller's
	// context stops it).
	synctest.Test(t, func(t *testing.T) {
		m := newMock(t, WithTimeout(5*time.Second))
		s := impServe(t, m, impDataImportPath, 3, func(_ int, r *impRequest) impAnswer {
			if r.has("u00050") {
				return impAnswer{Delay: time.Hour}
			}
			return impAnswer{}
		})
		users := impUsers("u", 3*50)

		rep, err := m.Users.Import(context.Background(), users)
		require.NoError(t, err)
		impCheckReport(t, users, rep)
		require.Equal(t, impRange(50, 100), impFailedIndexes(rep))
		for _, f := range rep.Failed {
			assert.ErrorIs(t, f.Err, context.DeadlineExceeded)
		}
		assert.Len(t, rep.Imported, 100)
		times := s.times()
		require.Len(t, times, 3)
		assert.Equal(t, 5*time.Second, times[2], "the next batch goes when the call timed out")
	})
}

func TestUsersService_Import_Progress(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMock(t)
		impServe(t, m, impDataImportPath, 5, func(_ int, r *impRequest) impAnswer {
			return impAnswer{Status: http.StatusOK, Body: impHealthy(r, map[string]string{
				"u00007": `{"success":false,"error":{"code":"ERR_BAD_REQUEST","message":"no"}}`,
			})}
		})
		users := impUsers("u", 230)
		users[3].Name = "" // invalid: failed before anything is sent
		users[200] = nil
		var calls [][3]int
		rep, err := m.Users.Import(context.Background(), users, WithImportProgress(func(done, failed, total int) {
			calls = append(calls, [3]int{done, failed, total})
		}))
		require.NoError(t, err)
		impCheckReport(t, users, rep)
		assert.Equal(t, []int{3, 7, 200}, impFailedIndexes(rep))

		// 228 users sent in batches of 50, 50, 50, 50, 28; the invalid ones count from the start. The final call
		// would repeat the last one: it is not made twice.
		assert.Equal(t, [][3]int{{52, 3, 230}, {102, 3, 230}, {152, 3, 230}, {202, 3, 230}, {230, 3, 230}}, calls)
	})
}

func TestUsersService_Import_ProgressFinalCallWithoutRequests(t *testing.T) {
	for _, tt := range []struct {
		name  string
		users []*ImportUser
		want  [3]int
	}{
		{"no users", nil, [3]int{0, 0, 0}},
		{"all invalid", []*ImportUser{nil, {UID: "x"}, {Name: "y"}}, [3]int{3, 3, 3}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := newMock(t)
			var calls [][3]int
			rep, err := m.Users.Import(context.Background(), tt.users, WithImportProgress(func(done, failed, total int) {
				calls = append(calls, [3]int{done, failed, total})
			}))
			require.NoError(t, err)
			impCheckReport(t, tt.users, rep)
			assert.Equal(t, [][3]int{tt.want}, calls)
			assert.Empty(t, m.requests())
		})
	}
}

func TestUsersService_Import_ValidatesBeforeSending(t *testing.T) {
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
		{&ImportUser{UID: strings.Repeat("a", 101), Name: "x"}, "uid"},
		{&ImportUser{UID: "no-name"}, "name"},
		{&ImportUser{UID: "blank-name", Name: "   "}, "name"},
		{&ImportUser{UID: "long-name", Name: strings.Repeat("é", 101)}, "name"},
		{&ImportUser{UID: "bad-avatar", Name: "x", Avatar: "Invalid:https://x/a.png"}, "avatar"},
		{&ImportUser{UID: "bad-link", Name: "x", Link: "/relative"}, "link"},
		{&ImportUser{UID: "bad-role", Name: "x", Role: "no such role!"}, "role"},
		{&ImportUser{UID: "many-tags", Name: "x", Tags: tags26}, "tags"},
		{&ImportUser{UID: "blank-tag", Name: "x", Tags: []string{"ok", " "}}, "tags[1]"},
		{&ImportUser{UID: "big-meta", Name: "x", Metadata: map[string]any{"k": strings.Repeat("m", 6000)}}, "metadata"},
		{&ImportUser{UID: "bad-meta", Name: "x", Metadata: map[string]any{"f": func() {}}}, "metadata"},
		{&ImportUser{UID: "before-1970", Name: "x", CreatedAt: time.Unix(-5, 0)}, "createdAt"},
		{&ImportUser{UID: "at-epoch", Name: "x", LastActiveAt: time.Unix(0, 0)}, "lastActiveAt"},
	}
	var users []*ImportUser
	var validUIDs []string
	wantField := map[int]string{}
	for i, tt := range invalid {
		validUIDs = append(validUIDs, fmt.Sprintf("valid-%d", i))
		users = append(users, &ImportUser{UID: validUIDs[i], Name: "ok"}, tt.user)
		wantField[2*i+1] = tt.field
	}
	synctest.Test(t, func(t *testing.T) {
		m := newMock(t)
		s := impServe(t, m, impDataImportPath, 1, nil)

		rep, err := m.Users.Import(context.Background(), users)
		require.NoError(t, err)
		impCheckReport(t, users, rep)
		require.Len(t, rep.Failed, len(invalid))
		for _, f := range rep.Failed {
			var ve *ValidationError
			if assert.ErrorAs(t, f.Err, &ve, "users[%d]", f.Index) {
				assert.Equal(t, wantField[f.Index], ve.Field, "users[%d]", f.Index)
			}
			assert.ErrorIs(t, f.Err, ErrValidation)
			// The same check is open to callers, e.g. for a dry run.
			assert.Equal(t, f.Err, users[f.Index].Validate(), "users[%d]", f.Index)
		}
		assert.Len(t, rep.Imported, len(invalid))
		assert.ElementsMatch(t, validUIDs, s.sentUIDs(), "only the valid users are sent")
	})
}

func TestImportUser_Validate(t *testing.T) {
	valid := &ImportUser{
		UID: "Ada_1-x", Name: "Ada", Avatar: "https://example.com/a.png", Link: "http://example.com", Role: "admin",
		Metadata: map[string]any{"a": 1}, Tags: []string{"t"}, CreatedAt: time.Unix(1, 0), LastActiveAt: time.Unix(2, 0),
	}
	assert.NoError(t, valid.Validate())
	assert.NoError(t, (&ImportUser{UID: "a", Name: "b"}).Validate(), "zero times are not sent")

	var ve *ValidationError
	require.ErrorAs(t, (*ImportUser)(nil).Validate(), &ve)
	assert.Equal(t, "user", ve.Field)
}

func TestUsersService_Import_RepeatedUIDsFailCaseInsensitively(t *testing.T) {
	users := []*ImportUser{
		{UID: "Alice", Name: "A1"},
		{UID: "bob", Name: "B1"},
		{UID: "alice", Name: "A2"},
		{UID: "carol"}, // invalid: does not claim the uid
		{UID: "ALICE", Name: "A3"},
		{UID: "Carol", Name: "C2"},
		{UID: "BOB", Name: "B2"},
	}
	for _, tt := range []struct {
		name     string
		strategy ImportStrategy
		path     string
		requests int
	}{
		{"data import", ImportStrategyDataImport, impDataImportPath, 1},
		{"create", ImportStrategyCreate, impCreatePath, 3},
	} {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				m := newMock(t)
				s := impServe(t, m, tt.path, tt.requests, nil)

				rep, err := m.Users.Import(context.Background(), users, WithImportStrategy(tt.strategy))
				require.NoError(t, err)
				impCheckReport(t, users, rep)
				assert.ElementsMatch(t, []string{"Alice", "bob", "Carol"}, s.sentUIDs(), "the first valid user of each uid is sent")
				require.Equal(t, []int{2, 3, 4, 6}, impFailedIndexes(rep))
				for _, f := range rep.Failed {
					var ve *ValidationError
					require.ErrorAs(t, f.Err, &ve)
					if f.Index == 3 {
						assert.Equal(t, "name", ve.Field)
					} else {
						assert.Equal(t, "uid", ve.Field)
					}
				}
				assert.Contains(t, rep.Failed[0].Err.Error(), "users[0]", "names the user it repeats")
				assert.Contains(t, rep.Failed[3].Err.Error(), "users[1]")
				require.Len(t, rep.Imported, 3)
				assert.Equal(t, "A1", rep.Imported[0].Name)
			})
		})
	}
}

func TestUsersService_Import_AllInvalidSendsNothing(t *testing.T) {
	m := newMock(t)
	users := []*ImportUser{nil, {UID: "x"}, nil}
	rep, err := m.Users.Import(context.Background(), users)
	require.NoError(t, err)
	impCheckReport(t, users, rep)
	assert.Empty(t, m.requests())
	assert.Equal(t, []int{0, 1, 2}, impFailedIndexes(rep))
	assert.Empty(t, rep.Imported)
}

func TestUsersService_Import_RefusesInvalidOptions(t *testing.T) {
	create := WithImportStrategy(ImportStrategyCreate)
	for _, tt := range []struct {
		name  string
		opts  []ImportOption
		field string
	}{
		// Options that apply to one strategy are refused for the other.
		{"workers with the default strategy", []ImportOption{WithImportWorkers(4)}, "importWorkers"},
		{"rate with the default strategy", []ImportOption{WithImportRate(100)}, "importRate"},
		{"rate with the data import named", []ImportOption{WithImportRate(100), WithImportStrategy(ImportStrategyDataImport)}, "importRate"},
		{"the first create-only option is named", []ImportOption{WithImportRate(100), WithImportWorkers(4)}, "importRate"},
		{"zero workers", []ImportOption{create, WithImportWorkers(0)}, "importWorkers"},
		{"negative workers", []ImportOption{WithImportWorkers(-3), create}, "importWorkers"},
		{"zero rate", []ImportOption{create, WithImportRate(0)}, "importRate"},
		{"negative rate", []ImportOption{create, WithImportRate(-1)}, "importRate"},
		{"unknown strategy", []ImportOption{WithImportStrategy(ImportStrategy(7))}, "importStrategy"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := newMock(t)
			rep, err := m.Users.Import(context.Background(), impUsers("u", 3), tt.opts...)
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			assert.ErrorIs(t, err, ErrValidation)
			assert.Equal(t, tt.field, ve.Field)
			assert.Nil(t, rep)
			assert.Empty(t, m.requests())
		})
	}
}

func TestUsersService_Import_NilContext(t *testing.T) {
	m := newMock(t)
	//lint:ignore SA1012 the nil context is what is tested
	rep, err := m.Users.Import(nil, impUsers("u", 3))
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "ctx", ve.Field)
	assert.Nil(t, rep)
	assert.Empty(t, m.requests())
}

func TestUsersService_Import_IgnoresNilOptions(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMock(t)
		impServe(t, m, impDataImportPath, 1, nil)
		users := impUsers("u", 3)
		rep, err := m.Users.Import(context.Background(), users, nil, WithImportStrategy(ImportStrategyDataImport), nil)
		require.NoError(t, err)
		impCheckReport(t, users, rep)
		assert.Len(t, rep.Imported, 3)
	})
}

// impCreate is the option of the create strategy.
var impCreate = WithImportStrategy(ImportStrategyCreate)

func TestUsersService_Import_Create_SendsTheCreateShape(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMock(t)
		s := impServe(t, m, impCreatePath, 2, nil)
		users := []*ImportUser{
			{
				UID: "Alice-1", Name: "Alice", Avatar: "https://example.com/a.png", Link: "https://example.com/alice",
				Role: "admin", StatusMessage: "hi", Metadata: map[string]any{"plan": "gold"}, Tags: []string{"x"},
				CreatedAt: time.Unix(1673421419, 0), LastActiveAt: time.Unix(1673421425, 0),
			},
			{UID: "bob", Name: "Bob"},
		}

		rep, err := m.Users.Import(context.Background(), users, impCreate)
		require.NoError(t, err)
		impCheckReport(t, users, rep)
		require.Len(t, rep.Imported, 2)
		assert.Equal(t, "alice-1", rep.Imported[0].UID, "the user as the server stored it")
		assert.Equal(t, "default", rep.Imported[1].Role)

		bodies := map[string]string{}
		for _, r := range s.requests() {
			bodies[r.UIDs[0]] = r.Body
		}
		// POST /users keeps no history, and never asks for an auth token.
		assert.JSONEq(t, `{"uid":"Alice-1","name":"Alice","avatar":"https://example.com/a.png","link":"https://example.com/alice",
			"role":"admin","statusMessage":"hi","metadata":{"plan":"gold"},"tags":["x"]}`, bodies["Alice-1"])
		assert.JSONEq(t, `{"uid":"bob","name":"Bob"}`, bodies["bob"])
		for _, r := range m.requests() {
			assert.Equal(t, http.MethodPost, r.Method)
			assert.Equal(t, impCreatePath, r.Path)
			assert.Equal(t, testKey, r.Header.Get("apikey"))
		}
	})
}

func TestUsersService_Import_Create_Outcomes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMock(t)
		s := impServe(t, m, impCreatePath, 40, func(_ int, r *impRequest) impAnswer {
			switch r.UIDs[0] {
			case "u00003", "u00017":
				return impAnswer{Status: http.StatusBadRequest, Body: impErrorBody("ERR_UID_ALREADY_EXISTS", "The uid already exists.")}
			case "u00005":
				return impAnswer{Status: http.StatusBadRequest, Body: impErrorBody("ERR_BAD_REQUEST", "The avatar must be a valid URL.")}
			case "u00008":
				return impAnswer{Status: http.StatusInternalServerError, Body: impErrorBody("ERR_MISSION_FAILED", "boom")}
			case "u00009":
				return impAnswer{Status: http.StatusServiceUnavailable}
			case "u00011":
				return impAnswer{Status: http.StatusOK, Body: `{"data":null}`}
			}
			return impAnswer{}
		})
		users := impUsers("u", 40)

		rep, err := m.Users.Import(context.Background(), users, impCreate)
		require.NoError(t, err, "failures of single users do not stop the import")
		impCheckReport(t, users, rep)
		assert.Equal(t, []ImportExisting{{Index: 3, UID: "u00003"}, {Index: 17, UID: "u00017"}}, rep.Existing,
			"a uid already there is no failure: a re-run resumes")
		require.Equal(t, []int{5, 8, 9, 11}, impFailedIndexes(rep))
		assert.ErrorIs(t, rep.Failed[0].Err, ErrBadRequest)
		for k, status := range []int{http.StatusInternalServerError, http.StatusServiceUnavailable} {
			var apiErr *APIError
			require.ErrorAs(t, rep.Failed[1+k].Err, &apiErr)
			assert.Equal(t, status, apiErr.StatusCode)
		}
		assert.ErrorIs(t, rep.Failed[3].Err, ErrInvalidResponse, "a success without the user")
		assert.Len(t, rep.Imported, 34)
		assert.Len(t, s.requests(), 40, "one POST per user; a 5xx is not retried")
	})
}

// impInFlight answers every request after delay.
func impInFlight(delay time.Duration) func(int, *impRequest) impAnswer {
	return func(int, *impRequest) impAnswer { return impAnswer{Delay: delay} }
}

func TestUsersService_Import_Create_WorkersBound(t *testing.T) {
	for _, tt := range []struct {
		name    string
		opts    []ImportOption
		users   int
		workers int // the most requests in flight together
	}{
		{"default", nil, 64, DefaultImportWorkers},
		{"4", []ImportOption{WithImportWorkers(4)}, 40, 4},
		{"1", []ImportOption{WithImportWorkers(1)}, 5, 1},
		{"more workers than users", []ImportOption{WithImportWorkers(50)}, 7, 7},
	} {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				m := newMock(t)
				s := impServe(t, m, impCreatePath, tt.users, impInFlight(time.Second))
				users := impUsers("u", tt.users)
				start := time.Now()

				rep, err := m.Users.Import(context.Background(), users, append([]ImportOption{impCreate}, tt.opts...)...)
				require.NoError(t, err)
				impCheckReport(t, users, rep)
				assert.Len(t, rep.Imported, tt.users)
				assert.Equal(t, tt.workers, s.most(), "the most requests in flight together")
				rounds := (tt.users + tt.workers - 1) / tt.workers
				assert.Equal(t, time.Duration(rounds)*time.Second, time.Since(start), "every worker busy")
			})
		})
	}
}

func TestUsersService_Import_Create_PacedAtTheRate(t *testing.T) {
	t.Run("one worker", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			m := newMock(t)
			s := impServe(t, m, impCreatePath, 100, nil)
			users := impUsers("u", 100)
			rep, err := m.Users.Import(context.Background(), users, impCreate, WithImportWorkers(1), WithImportRate(30))
			require.NoError(t, err)
			impCheckReport(t, users, rep)
			times := s.times()
			require.Len(t, times, 100)
			assert.Equal(t, 30, impMaxInWindow(times, time.Minute))
			for i, at := range times {
				assert.Equal(t, time.Duration(i/30)*time.Minute, at, "request %d", i)
			}
		})
	})
	t.Run("many workers", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			m := newMock(t)
			s := impServe(t, m, impCreatePath, 300, nil)
			users := impUsers("u", 300)
			rep, err := m.Users.Import(context.Background(), users, impCreate, WithImportWorkers(8), WithImportRate(25))
			require.NoError(t, err)
			impCheckReport(t, users, rep)
			times := s.times()
			require.Len(t, times, 300)
			assert.Equal(t, 25, impMaxInWindow(times, time.Minute))
			assert.Equal(t, 11*time.Minute, slices.Max(times), "300 requests at 25 a minute, no slower")
		})
	})
	t.Run("a request counts until a window after it ended", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			m := newMock(t)
			s := impServe(t, m, impCreatePath, 12, impInFlight(10*time.Second))
			users := impUsers("u", 12)
			rep, err := m.Users.Import(context.Background(), users, impCreate, WithImportWorkers(8), WithImportRate(3))
			require.NoError(t, err)
			impCheckReport(t, users, rep)
			times := s.times()
			require.Len(t, times, 12)
			for i, at := range times {
				assert.Equal(t, time.Duration(i/3)*70*time.Second, at, "request %d: 3 at a time, 60 s after the last ended", i)
			}
		})
	})
	t.Run("a huge rate", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			m := newMock(t)
			s := impServe(t, m, impCreatePath, 3, nil)
			users := impUsers("u", 3)
			rep, err := m.Users.Import(context.Background(), users, impCreate, WithImportRate(1<<40))
			require.NoError(t, err)
			impCheckReport(t, users, rep)
			assert.Len(t, rep.Imported, 3)
			assert.Equal(t, time.Duration(0), slices.Max(s.times()))
		})
	})
	t.Run("the default rate", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			m := newMock(t)
			s := impServe(t, m, impCreatePath, DefaultImportPerMinute+1, nil)
			users := impUsers("u", DefaultImportPerMinute+1)
			rep, err := m.Users.Import(context.Background(), users, impCreate)
			require.NoError(t, err)
			impCheckReport(t, users, rep)
			times := s.times()
			assert.Equal(t, DefaultImportPerMinute, impMaxInWindow(times, time.Minute))
			assert.Equal(t, time.Minute, slices.Max(times))
		})
	})
}

func TestUsersService_Import_Create_WindowSharedByCallsWithDifferentRates(t *testing.T) {
	// One window per Client, whatever rate each call asks for: a call at 31 a minute right after one at 30 finds
	// 30 requests in the window, and has room for one more.
	synctest.Test(t, func(t *testing.T) {
		m := newMock(t)
		s := impServe(t, m, impCreatePath, 35, nil)
		a, b := impUsers("a", 30), impUsers("b", 5)
		rep, err := m.Users.Import(context.Background(), a, impCreate, WithImportRate(30))
		require.NoError(t, err)
		impCheckReport(t, a, rep)
		rep, err = m.Users.Import(context.Background(), b, impCreate, WithImportRate(31))
		require.NoError(t, err)
		impCheckReport(t, b, rep)

		times := s.times()
		require.Len(t, times, 35)
		assert.Equal(t, time.Duration(0), times[30], "the 31st fits a rate of 31")
		for i := 31; i < 35; i++ {
			assert.Equal(t, time.Minute, times[i], "request %d waits for the window the first call filled", i)
		}
	})
}

func TestUsersService_Import_Create_WindowSharedBySuccessiveCalls(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMock(t)
		s := impServe(t, m, impCreatePath, 100, nil)
		users := impUsers("u", 100)
		for chunk := range 5 {
			part := users[chunk*20 : chunk*20+20]
			rep, err := m.Users.Import(context.Background(), part, impCreate, WithImportRate(30), WithImportWorkers(3))
			require.NoError(t, err)
			impCheckReport(t, part, rep)
		}
		times := s.times()
		require.Len(t, times, 100)
		for i, at := range times {
			assert.Equal(t, time.Duration(i/30)*time.Minute, at, "request %d", i)
		}
	})
}

func TestUsersService_Import_StrategiesHaveSeparateWindows(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMock(t)
		imports := impServe(t, m, impDataImportPath, 61, nil)
		creates := impServe(t, m, impCreatePath, 5, nil)
		users := impUsers("u", 60*50)
		rep, err := m.Users.Import(context.Background(), users)
		require.NoError(t, err)
		impCheckReport(t, users, rep)

		more := impUsers("v", 5)
		rep, err = m.Users.Import(context.Background(), more, impCreate, WithImportRate(5))
		require.NoError(t, err)
		impCheckReport(t, more, rep)
		assert.Equal(t, time.Duration(0), slices.Max(creates.times()), "the data import's full window does not hold creates")

		last := impUsers("w", 1)
		rep, err = m.Users.Import(context.Background(), last)
		require.NoError(t, err)
		impCheckReport(t, last, rep)
		assert.Equal(t, time.Minute, slices.Max(imports.times()), "nor do creates count in the data import's window")
	})
}

func TestUsersService_Import_Create_429HoldsEveryWorker(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMock(t)
		s := impServe(t, m, impCreatePath, 61, func(n int, _ *impRequest) impAnswer {
			if n == 0 {
				return imp429(http.Header{"Retry-After": {"20"}})
			}
			return impAnswer{}
		})
		users := impUsers("u", 60)
		rep, err := m.Users.Import(context.Background(), users, impCreate, WithImportWorkers(4))
		require.NoError(t, err)
		impCheckReport(t, users, rep)
		assert.Len(t, rep.Imported, 60)

		reqs := s.requests()
		require.Len(t, reqs, 61)
		// Requests admitted before the 429 came back may go at once; the refused one is sent again when the
		// server's wait is over, and nothing is sent later than that: the workers waited together, once.
		resent := slices.IndexFunc(reqs[1:], func(r *impRequest) bool { return r.UIDs[0] == reqs[0].UIDs[0] }) + 1
		require.Positive(t, resent)
		assert.Equal(t, 20*time.Second, reqs[resent].At)
		for _, r := range reqs {
			assert.True(t, r.At == 0 || r.At == 20*time.Second, "a request at %v", r.At)
		}
		assert.Equal(t, 20*time.Second, reqs[60].At)
	})
}

func TestUsersService_Import_Create_StopsOnFatalErrors(t *testing.T) {
	for _, tt := range []struct {
		name   string
		status int
		code   string
		is     error
	}{
		{"401", http.StatusUnauthorized, "AUTH_ERR_APIKEY_NOT_FOUND", ErrAPIKeyNotFound},
		{"403", http.StatusForbidden, "AUTH_ERR_NO_ACCESS", ErrNoAccess},
		{"402 plan quota", http.StatusPaymentRequired, "ERR_PLAN_QUOTA_RESTRICTION", ErrPlanQuota},
	} {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				m := newMock(t)
				s := impServe(t, m, impCreatePath, -1, func(n int, _ *impRequest) impAnswer {
					if n >= 10 {
						return impAnswer{Status: tt.status, Body: impErrorBody(tt.code, "no")}
					}
					return impAnswer{}
				})
				users := impUsers("u", 500)
				var last [3]int
				rep, err := m.Users.Import(context.Background(), users, impCreate, WithImportWorkers(4),
					WithImportProgress(func(done, failed, total int) { last = [3]int{done, failed, total} }))

				require.ErrorIs(t, err, tt.is, "the import stopped")
				var apiErr *APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, tt.status, apiErr.StatusCode)
				impCheckReport(t, users, rep)
				assert.Len(t, rep.Imported, 10, "the report holds what was done")
				assert.Len(t, rep.Failed, 490)
				for _, f := range rep.Failed {
					assert.ErrorIs(t, f.Err, tt.is, "users[%d]", f.Index)
				}
				assert.Equal(t, [3]int{500, 490, 500}, last)
				// Workers finish the requests under way; the feeding stops (its select may still hand out a few
				// more users as it sees the stop).
				assert.Less(t, len(s.requests()), 50, "the import stops soon after the error")
			})
		})
	}
}

func TestUsersService_Import_Create_ContextEndsTheImport(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMock(t)
		s := impServe(t, m, impCreatePath, -1, impInFlight(time.Second))
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		time.AfterFunc(2500*time.Millisecond, cancel) // during the third round of 4 requests
		users := impUsers("u", 100)

		rep, err := m.Users.Import(ctx, users, impCreate, WithImportWorkers(4))
		require.ErrorIs(t, err, context.Canceled)
		impCheckReport(t, users, rep)
		assert.Len(t, rep.Imported, 8, "two rounds of 4 were done")
		assert.Len(t, rep.Failed, 92, "the requests cut off may or may not have landed: failed, to be sent again")
		for _, f := range rep.Failed {
			assert.ErrorIs(t, f.Err, context.Canceled, "users[%d]", f.Index)
		}
		assert.Len(t, s.requests(), 12, "nothing is sent after the cancel")
		assert.Equal(t, 2500*time.Millisecond, time.Since(s.start), "the import returns when cancelled")
	})
}

func TestUsersService_Import_Create_WithTimeoutFailsOnlyItsUser(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMock(t, WithTimeout(5*time.Second))
		impServe(t, m, impCreatePath, 10, func(_ int, r *impRequest) impAnswer {
			if r.has("u00004") {
				return impAnswer{Delay: time.Hour}
			}
			return impAnswer{}
		})
		users := impUsers("u", 10)
		rep, err := m.Users.Import(context.Background(), users, impCreate, WithImportWorkers(2))
		require.NoError(t, err)
		impCheckReport(t, users, rep)
		require.Equal(t, []int{4}, impFailedIndexes(rep))
		assert.ErrorIs(t, rep.Failed[0].Err, context.DeadlineExceeded)
		assert.Len(t, rep.Imported, 9)
	})
}

func TestUsersService_Import_Create_ProgressSerializedAndMonotonic(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMock(t)
		impServe(t, m, impCreatePath, 200, func(_ int, r *impRequest) impAnswer {
			if strings.HasSuffix(r.UIDs[0], "7") {
				return impAnswer{Status: http.StatusBadRequest, Body: impErrorBody("ERR_BAD_REQUEST", "no")}
			}
			if strings.HasSuffix(r.UIDs[0], "3") {
				return impAnswer{Status: http.StatusBadRequest, Body: impErrorBody("ERR_UID_ALREADY_EXISTS", "there")}
			}
			return impAnswer{Delay: time.Second}
		})
		users := impUsers("u", 200)
		var inside sync.Mutex // never contended if calls are serialized
		var calls [][3]int    // appended without a lock: the race detector sees calls that are not serialized
		rep, err := m.Users.Import(context.Background(), users, impCreate, WithImportWorkers(8),
			WithImportProgress(func(done, failed, total int) {
				if !inside.TryLock() {
					t.Error("progress called while another call was running")
					return
				}
				defer inside.Unlock()
				calls = append(calls, [3]int{done, failed, total})
			}))
		require.NoError(t, err)
		impCheckReport(t, users, rep)
		assert.Len(t, rep.Failed, 20)
		assert.Len(t, rep.Existing, 20)

		require.NotEmpty(t, calls)
		prev := [3]int{}
		for _, c := range calls {
			assert.Equal(t, 200, c[2])
			assert.Greater(t, c[0], prev[0], "done went back or repeated: %v after %v", c, prev)
			assert.GreaterOrEqual(t, c[1], prev[1], "failed went back: %v after %v", c, prev)
			prev = c
		}
		assert.Equal(t, [3]int{200, 20, 200}, calls[len(calls)-1], "existing users count as done, not failed")
	})
}

// BenchmarkUsersService_Import measures what the SDK costs per imported user, against gock answers prepared in
// advance (gock's own matching is included in the figures). Benchmarks cannot run on synctest's virtual clock,
// so no run may wait for a window: a data import of 3,000 users (60 requests, the most a minute allows) on a
// fresh Client per iteration, and the create strategy at a rate that never blocks.
//
//	go test -run '^$' -bench BenchmarkUsersService_Import -benchmem .
func BenchmarkUsersService_Import(b *testing.B) {
	b.Run("data-import/users=3000", func(b *testing.B) {
		users := impBenchUsers(60 * 50)
		answers := make([][]byte, 60)
		for k := range answers {
			data := map[string]any{}
			for _, u := range users[k*50 : k*50+50] {
				data[u.UID] = map[string]any{"success": true, "data": map[string]any{
					"uid": u.UID, "name": u.Name, "avatar": u.Avatar, "metadata": u.Metadata, "tags": u.Tags,
					"role": "default", "status": "offline", "createdAt": u.CreatedAt.Unix(), "lastActiveAt": u.LastActiveAt.Unix(),
				}}
			}
			answers[k], _ = json.Marshal(map[string]any{"data": data})
		}
		var n int // requests answered; the data import sends its batches one after another
		hc := impBenchMock(b, impDataImportPath, func() []byte {
			body := answers[n%len(answers)]
			n++
			return body
		})
		impBenchRun(b, len(users), func() *Client { return impBenchClient(b, hc) }, func(c *Client) (*ImportReport, error) {
			return c.Users.Import(context.Background(), users)
		})
	})
	b.Run("create/users=10000", func(b *testing.B) {
		users := impBenchUsers(10_000)
		// Every answer is the same stored user: the SDK decodes it all the same.
		answer := []byte(data(userGeorge))
		hc := impBenchMock(b, impCreatePath, func() []byte { return answer })
		c := impBenchClient(b, hc)
		impBenchRun(b, len(users), func() *Client { return c }, func(c *Client) (*ImportReport, error) {
			return c.Users.Import(context.Background(), users, impCreate, WithImportRate(1<<30))
		})
	})
}

// impBenchRun runs import b.N times on the Client client returns (made outside the timer) and reports the
// allocations and bytes per user.
func impBenchRun(b *testing.B, users int, client func() *Client, run func(*Client) (*ImportReport, error)) {
	var before, after runtime.MemStats
	var mallocs, bytes uint64
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		c := client()
		runtime.ReadMemStats(&before)
		b.StartTimer()
		rep, err := run(c)
		b.StopTimer()
		runtime.ReadMemStats(&after)
		if err != nil || len(rep.Imported) != users {
			b.Fatalf("import: %v, %d of %d imported", err, len(rep.Imported), users)
		}
		mallocs += after.Mallocs - before.Mallocs
		bytes += after.TotalAlloc - before.TotalAlloc
		b.StartTimer()
	}
	b.ReportMetric(float64(mallocs)/float64(b.N*users), "allocs/user")
	b.ReportMetric(float64(bytes)/float64(b.N*users), "B/user")
}

// impBenchMock intercepts POST path with gock for the benchmark, answering each request with answer().
func impBenchMock(b *testing.B, path string, answer func() []byte) *http.Client {
	gock.Intercept()
	b.Cleanup(gock.Off)
	gock.New(testBase).Persist().AddMatcher(func(req *http.Request, _ *gock.Request) (bool, error) {
		return req.Method == http.MethodPost && req.URL.EscapedPath() == "/v3"+path, nil
	}).Reply(http.StatusOK).Map(func(res *http.Response) *http.Response {
		body := answer()
		res.Body = io.NopCloser(bytes.NewReader(body))
		res.ContentLength = int64(len(body))
		return res
	})
	return &http.Client{Transport: gock.NewTransport()}
}

func impBenchClient(b *testing.B, hc *http.Client) *Client {
	c, err := NewClient(testAppID, testRegion, testKey, WithHTTPClient(hc))
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// impBenchUsers makes n users with the fields a real migration carries.
func impBenchUsers(n int) []*ImportUser {
	users := make([]*ImportUser, n)
	for i := range users {
		users[i] = &ImportUser{
			UID:          fmt.Sprintf("bench-%07d", i),
			Name:         fmt.Sprintf("Bench User %d", i),
			Avatar:       fmt.Sprintf("https://example.com/avatars/%d.png", i),
			Metadata:     map[string]any{"plan": "free", "seq": i},
			Tags:         []string{"bench", "migrated"},
			CreatedAt:    time.Unix(1_500_000_000+int64(i), 0),
			LastActiveAt: time.Unix(1_600_000_000+int64(i), 0),
		}
	}
	return users
}
