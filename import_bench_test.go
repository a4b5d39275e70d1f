package cometchat_test

// Benchmarks of Users.Import into the cometchattest fake. The data import's
// pacing (60 requests a minute) makes 100,000 users take 33 minutes of real
// time, so the client and the server share a fake clock that the SDK's
// sleeps advance: the benchmark measures what the SDK and the fake cost, and
// reports the virtual time the import would take against CometChat.
//
//	go test -run '^$' -bench BenchmarkImport -benchtime 1x -benchmem .
//
// Metrics: virtual-min (the import's duration at CometChat's pace),
// users/s (real throughput of SDK + fake), peak-heap-MB (heap sampled every
// millisecond during the import, above the heap before it), store-MB (what
// the fake holds at the end), reqs (requests sent; more than users/50 or
// users would mean 429s). The chunked runs empty the fake's store between
// chunks, so their peak heap is the import's own working set; the one-call
// runs hold the input, the report and the fake's 100,000 users.

import (
	"context"
	"fmt"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/gocometchat/cometchat"
	"github.com/gocometchat/cometchat/cometchattest"
)

func BenchmarkImport(b *testing.B) {
	strategies := []struct {
		name string
		s    cometchat.ImportStrategy
	}{
		{"data-import", cometchat.ImportStrategyDataImport},
		{"create", cometchat.ImportStrategyCreate},
	}
	for _, st := range strategies {
		for _, n := range []int{10_000, 100_000} {
			// Chunked as examples/import-users does: 1,000 users per call,
			// generated as they are needed, reports dropped.
			b.Run(fmt.Sprintf("%s/users=%d/chunks=1000", st.name, n), func(b *testing.B) { impBench(b, st.s, n, 1000) })
		}
		// One call with every user: the input slice and the report are held.
		b.Run(fmt.Sprintf("%s/users=100000/one-call", st.name), func(b *testing.B) { impBench(b, st.s, 100_000, 100_000) })
	}
}

func impBench(b *testing.B, strategy cometchat.ImportStrategy, n, chunk int) {
	b.ReportAllocs()
	var virtual time.Duration
	var storeBytes, peak uint64
	var reqs int
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		runtime.GC()
		base := impHeap()
		clk := cometchat.NewImpClock()
		srv := cometchattest.NewServer(cometchattest.WithClock(clk.Now), cometchattest.WithRateLimit(1<<30))
		c := srv.Client()
		clk.Install(c)
		sampler := impStartSampler()
		b.StartTimer()

		stored, sent := 0, 0
		for start := 0; start < n; start += chunk {
			users := impBenchUsers(start, min(chunk, n-start))
			rep, err := c.Users.Import(context.Background(), users, cometchat.WithImportStrategy(strategy))
			if err != nil || len(rep.Failed) > 0 {
				b.Fatalf("import: %v, %d failed", err, len(rep.Failed))
			}
			if chunk < n {
				// Empty the fake's store between chunks, so that the heap
				// shows what the import itself needs rather than the fake's
				// growing copy of every user.
				stored += len(srv.Users())
				sent += srv.RequestCount()
				srv.Reset()
			}
		}

		b.StopTimer()
		p := sampler.stop()
		peak = max(peak, p-min(base, p))
		virtual = clk.Elapsed()
		runtime.GC()
		storeBytes = impHeap() - min(base, impHeap())
		stored += len(srv.Users())
		reqs = sent + srv.RequestCount()
		if stored != n {
			b.Fatalf("%d users stored, want %d", stored, n)
		}
		srv.Close()
		b.StartTimer()
	}
	b.ReportMetric(virtual.Minutes(), "virtual-min")
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "users/s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(storeBytes)/(1<<20), "store-MB")
	b.ReportMetric(float64(reqs), "reqs")
}

// impBenchUsers makes the users start..start+n-1, with the fields a real
// migration carries.
func impBenchUsers(start, n int) []*cometchat.ImportUser {
	users := make([]*cometchat.ImportUser, n)
	for i := range users {
		k := start + i
		users[i] = &cometchat.ImportUser{
			UID:          fmt.Sprintf("bench-%07d", k),
			Name:         fmt.Sprintf("Bench User %d", k),
			Avatar:       fmt.Sprintf("https://example.com/avatars/%d.png", k),
			Metadata:     map[string]any{"plan": "free", "seq": k},
			Tags:         []string{"bench", "migrated"},
			CreatedAt:    time.Unix(1_500_000_000+int64(k), 0),
			LastActiveAt: time.Unix(1_600_000_000+int64(k), 0),
		}
	}
	return users
}

// impHeap is the live heap (objects not yet freed), without stopping the
// world.
func impHeap() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// impSampler records the highest heap seen every millisecond.
type impSampler struct {
	done chan struct{}
	wg   sync.WaitGroup
	peak uint64
}

func impStartSampler() *impSampler {
	s := &impSampler{done: make(chan struct{}), peak: impHeap()}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-s.done:
				return
			case <-t.C:
				s.peak = max(s.peak, impHeap())
			}
		}
	}()
	return s
}

func (s *impSampler) stop() uint64 {
	close(s.done)
	s.wg.Wait()
	return max(s.peak, impHeap())
}
