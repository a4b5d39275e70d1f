package cometchattest

import (
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gocometchat/cometchat"
)

// BenchmarkServerGet measures GET /users/{uid} throughput with keep-alive connections from parallel clients; it
// reports req/s (the fake should sustain well over 20,000 on two cores).
func BenchmarkServerGet(b *testing.B) {
	srv := NewServer()
	defer srv.Close()
	const n = 1000
	users := make([]*cometchat.User, n)
	for i := range users {
		users[i] = &cometchat.User{UID: fmt.Sprintf("user_%04d", i), Name: "Bench User", Tags: []string{"a", "b"},
			Avatar: "https://assets.example.com/avatars/user.png", Metadata: map[string]any{"plan": "pro"}}
	}
	if err := srv.AddUsers(users...); err != nil {
		b.Fatal(err)
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = 256
	tr.MaxIdleConnsPerHost = 256
	client := &http.Client{Transport: tr}
	defer tr.CloseIdleConnections()
	var next atomic.Int64
	b.SetParallelism(16) // several requests in flight per core, as a test suite with parallel tests has
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := next.Add(1) % n
			req, _ := http.NewRequest(http.MethodGet, srv.URL()+"/users/"+users[i].UID, nil)
			req.Header.Set("apikey", srv.APIKey())
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
}
