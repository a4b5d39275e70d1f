package cometchat

// Checks behind BENCHMARKS.md that are not timings: connection reuse under
// concurrency, constant memory while streaming a long list, and the
// equivalence of the reflection-free query encoder with the go-querystring
// encoding it replaced. None of them asserts a duration.

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// perfUserJSON is a user as GET /users/{uid} answers it.
const perfUserJSON = `{"data":{"uid":"cometchat-uid-2","name":"George Alan",` +
	`"avatar":"https:\/\/assets.cometchat.io\/sampleapp\/v2\/users\/cometchat-uid-2.webp","status":"offline",` +
	`"role":"default","createdAt":1629869270,"updatedAt":1630308676}}`

// TestPerfConnectionReuse sends 3 waves of 32 concurrent calls through a
// client built by NewClient without WithHTTPClient, and counts the
// connections the server accepts: after the first wave has opened its
// connections, the next waves must find them idle in the pool (Go's default
// transport keeps only 2 per host and would open about 30 per wave).
func TestPerfConnectionReuse(t *testing.T) {
	maxIdle := http.DefaultTransport.(*http.Transport).MaxIdleConnsPerHost
	const waves, perWave = 3, 32
	var conns atomic.Int64
	// Every call of a wave is held until the whole wave arrived (or 5 s
	// passed), so that the first wave really needs 32 connections.
	var mu sync.Mutex
	arrived, release := 0, make(chan struct{})
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		wait := release
		if arrived++; arrived == perWave {
			arrived = 0
			close(release)
			release = make(chan struct{})
		}
		mu.Unlock()
		select {
		case <-wait:
		case <-time.After(5 * time.Second):
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(perfUserJSON))
	}))
	srv.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	c, err := NewClient("perfapp", RegionUS, "perf-key", WithBaseURL(srv.URL+"/v3"))
	require.NoError(t, err)
	defer c.http.CloseIdleConnections()

	var afterFirst int64
	for wave := range waves {
		var wg sync.WaitGroup
		for range perWave {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := c.Users.Get(context.Background(), "cometchat-uid-2")
				assert.NoError(t, err)
			}()
		}
		wg.Wait()
		if wave == 0 {
			afterFirst = conns.Load()
		}
		t.Logf("after wave %d: %d connections opened", wave+1, conns.Load())
	}
	assert.LessOrEqual(t, afterFirst, int64(perWave), "the first wave opens at most one connection per call")
	assert.LessOrEqual(t, conns.Load()-afterFirst, int64(4), "waves 2 and 3 reuse the first wave's connections")
	assert.Equal(t, maxIdle, http.DefaultTransport.(*http.Transport).MaxIdleConnsPerHost,
		"NewClient leaves http.DefaultTransport as it was")
}

// TestPerfDefaultTransportNotShared checks that NewClient clones the
// default transport instead of mutating or sharing it.
func TestPerfDefaultTransportNotShared(t *testing.T) {
	dt := http.DefaultTransport.(*http.Transport)
	before := dt.MaxIdleConnsPerHost
	c, err := NewClient("perfapp", RegionUS, "perf-key")
	require.NoError(t, err)
	assert.Equal(t, before, dt.MaxIdleConnsPerHost, "http.DefaultTransport is not mutated")
	tr, ok := c.http.Transport.(*http.Transport)
	require.True(t, ok, "the default client has an *http.Transport of its own")
	assert.NotSame(t, dt, tr, "the client's transport is a clone")
	assert.GreaterOrEqual(t, tr.MaxIdleConnsPerHost, 32)
}

// perfListServer answers GET /v3/users with total synthetic users, each page
// generated on the fly into one reused buffer, so that the server holds one
// page at a time and its memory does not grow with total.
func perfListServer(t *testing.T, total int) *httptest.Server {
	var mu sync.Mutex
	var buf []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		perPage, _ := strconv.Atoi(r.URL.Query().Get("perPage"))
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		page = max(page, 1)
		pages := (total + perPage - 1) / perPage
		mu.Lock()
		defer mu.Unlock()
		buf = append(buf[:0], `{"data":[`...)
		for i := (page - 1) * perPage; i < min(page*perPage, total); i++ {
			if i > (page-1)*perPage {
				buf = append(buf, ',')
			}
			buf = fmt.Appendf(buf, `{"uid":"user-%07d","name":"User %d","avatar":"https:\/\/example.com\/a\/%d.png",`+
				`"metadata":{"@private":{"email":"user%d@example.com"}},"status":"offline","role":"default","createdAt":%d}`,
				i, i, i, i, 1700000000-i)
		}
		buf = fmt.Appendf(buf, `],"meta":{"pagination":{"total":%d,"count":%d,"per_page":%d,"current_page":%d,"total_pages":%d}}}`,
			total, min(perPage, max(total-(page-1)*perPage, 0)), perPage, page, pages)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(buf)))
		_, _ = w.Write(buf)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// perfPeakHeap iterates Users.All over total users, 1,000 per page, and
// returns the peak live heap seen by a sampler that forces a collection
// every few milliseconds, so garbage does not count.
func perfPeakHeap(t *testing.T, total int) uint64 {
	srv := perfListServer(t, total)
	c, err := NewClient("perfapp", RegionUS, "perf-key", WithBaseURL(srv.URL+"/v3"))
	require.NoError(t, err)
	defer c.http.CloseIdleConnections()

	var peak atomic.Uint64
	sample := func() {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		if ms.HeapAlloc > peak.Load() {
			peak.Store(ms.HeapAlloc)
		}
	}
	done := make(chan struct{})
	var sampler sync.WaitGroup
	sampler.Add(1)
	go func() {
		defer sampler.Done()
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				sample()
			}
		}
	}()
	n := 0
	for u, err := range c.Users.All(context.Background(), &ListUsersParams{PerPage: 1000}) {
		require.NoError(t, err)
		if n%1000 == 999 {
			sample() // at least once per page, while the page is held
		}
		_ = u.UID
		n++
	}
	close(done)
	sampler.Wait()
	require.Equal(t, total, n, "every user is yielded once")
	return peak.Load()
}

// TestPerfAllStreamsOnePageAtATime checks that Users.All holds one page at a
// time: the peak heap while walking 200,000 users stays under 64 MiB and is
// about the same as for 20,000 users.
func TestPerfAllStreamsOnePageAtATime(t *testing.T) {
	small := perfPeakHeap(t, 20_000)
	large := perfPeakHeap(t, 200_000)
	t.Logf("peak heap: %.1f MiB for 20,000 users, %.1f MiB for 200,000 users", mib(small), mib(large))
	assert.Less(t, large, uint64(64<<20), "peak heap while walking 200,000 users")
	assert.Less(t, large, small+8<<20, "the peak does not grow with the number of users")
}

func mib(n uint64) float64 { return float64(n) / (1 << 20) }

// TestPerfMetadataShortcutKeepsLimit checks that Create and Update, which
// skip encoding the metadata a second time when their encoded body shows
// it small enough (metadataShown), still accept metadata of exactly 5 KiB
// as JSON and refuse a byte more, whatever else the body holds.
func TestPerfMetadataShortcutKeepsLimit(t *testing.T) {
	c, _ := utNewCannedClient(t, http.StatusOK, nil, `{"data":{"uid":"a","name":"A"}}`)
	ctx := context.Background()
	for _, n := range []int{16, 100, 5000, 5110, 5119, 5120, 5121, 5130} {
		m := map[string]any{"k": strings.Repeat("é", (n-8)/2) + strings.Repeat("a", (n-8)%2)} // {"k":"…"} is 8 bytes plus the value
		require.Len(t, mustJSON(t, m), n)
		for _, name := range []string{"A", strings.Repeat("N", 100)} {
			_, errCreate := c.Users.Create(ctx, &CreateUserParams{UID: "a", Name: name, Metadata: m})
			_, errUpdate := c.Users.Update(ctx, "a", &UpdateUserParams{Name: Ptr(name), Metadata: m})
			if n <= maxMetadataLen {
				assert.NoError(t, errCreate, "%d bytes", n)
				assert.NoError(t, errUpdate, "%d bytes", n)
			} else {
				utAssertValidation(t, errCreate, "metadata")
				utAssertValidation(t, errUpdate, "metadata")
			}
		}
	}
	_, err := c.Users.Create(ctx, nil)
	utAssertValidation(t, err, "params")
	_, err = c.Users.Update(ctx, "a", nil)
	utAssertValidation(t, err, "params")
}

// mustJSON encodes v as the SDK does, without the final newline.
func mustJSON(t *testing.T, v any) []byte {
	b, err := encodeBody("TEST", "/", v)
	require.NoError(t, err)
	return b[:len(b)-1]
}
