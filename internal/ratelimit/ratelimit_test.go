package ratelimit

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func header(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i < len(kv); i += 2 {
		h.Set(kv[i], kv[i+1])
	}
	return h
}

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		h    http.Header
		want Info
	}{
		{"production headers", header("X-RateLimit-Limit", "20000", "X-RateLimit-Remaining", "19999",
			"X-RateLimit-Limit-For-App", "100000", "X-RateLimit-Remaining-For-App", "99990", "X-RateLimit-Reset", "1694667984"),
			Info{20000, 19999, 100000, 99990, time.Unix(1694667984, 0)}},
		{"older spelling", header("X-Rate-Limit", "500", "X-Rate-Limit-Remaining", "3", "X-Rate-Limit-Reset", "10"),
			Info{Limit: 500, Remaining: 3, Reset: time.Unix(10, 0)}},
		{"older limit-limit", header("X-Rate-Limit-Limit", "7", "X-Rate-Limit-Limit-For-App", "8", "X-Rate-Limit-Remaining-For-App", "1"),
			Info{Limit: 7, AppLimit: 8, AppRemaining: 1}},
		{"new spelling wins", header("X-RateLimit-Limit", "1", "X-Rate-Limit", "2"), Info{Limit: 1}},
		{"malformed and negative are zero", header("X-RateLimit-Limit", "lots", "X-RateLimit-Remaining", "-4", "X-RateLimit-Reset", "0"), Info{}},
		{"spaces trimmed", header("X-RateLimit-Limit", " 12 "), Info{Limit: 12}},
		{"none", http.Header{}, Info{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Parse(tt.h))
		})
	}
}

func TestServerWait(t *testing.T) {
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		h      http.Header
		want   time.Duration
		wantOK bool
	}{
		{"seconds", header("Retry-After", "7"), 7 * time.Second, true},
		{"zero means now", header("Retry-After", "0"), 0, true},
		{"http date", header("Retry-After", now.Add(90*time.Second).Format(http.TimeFormat)), 90 * time.Second, true},
		{"date in the past", header("Retry-After", now.Add(-time.Hour).Format(http.TimeFormat)), 0, true},
		{"huge seconds capped", header("Retry-After", "99999999999999999"), MaxWait, true},
		{"huge date capped", header("Retry-After", now.AddDate(5, 0, 0).Format(http.TimeFormat)), MaxWait, true},
		{"reset header", header("X-RateLimit-Reset", "1796212830"), time.Unix(1796212830, 0).Sub(now), true},
		{"older reset header", header("X-Rate-Limit-Reset", "1796212810"), 10 * time.Second, true},
		{"retry-after wins over reset", header("Retry-After", "3", "X-RateLimit-Reset", "1796212830"), 3 * time.Second, true},
		{"garbage falls back to reset", header("Retry-After", "soon", "X-RateLimit-Reset", "1796212805"), 5 * time.Second, true},
		{"negative seconds ignored", header("Retry-After", "-5"), 0, false},
		{"none", http.Header{}, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ServerWait(tt.h, now)
			assert.Equal(t, tt.wantOK, ok)
			assert.Equal(t, tt.want, got)
		})
	}
}

func FuzzServerWait(f *testing.F) {
	f.Add("5", "1796212830")
	f.Add("Wed, 02 Dec 2026 12:00:00 GMT", "")
	f.Add("-1", "x")
	f.Fuzz(func(t *testing.T, retryAfter, reset string) {
		h := http.Header{"Retry-After": {retryAfter}, "X-Ratelimit-Reset": {reset}}
		d, _ := ServerWait(h, time.Unix(1796212800, 0))
		if d < 0 || d > MaxWait {
			t.Fatalf("wait %v out of [0, %v]", d, MaxWait)
		}
	})
}
