package pacer

import (
	"context"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// admit runs one request of duration d through w and returns when it was admitted.
func admit(t *testing.T, w *Window, limit int, d time.Duration) time.Time {
	t.Helper()
	tk, err := w.Wait(context.Background(), limit)
	require.NoError(t, err)
	at := time.Now()
	time.Sleep(d)
	w.Done(tk)
	return at
}

func TestWindow_AdmitsLimitThenWaitsAFullWindowAfterTheOldestEnded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		w := New(time.Minute)
		var got []time.Duration
		for range 5 {
			got = append(got, admit(t, w, 2, time.Second).Sub(start))
		}
		// Requests 1 and 2 end at 1s and 2s: request 3 may start a minute after request 1 ended, 4 a minute after 2.
		assert.Equal(t, []time.Duration{0, time.Second, 61 * time.Second, 62 * time.Second, 122 * time.Second}, got)
	})
}

func TestWindow_SlowRequestCountsUntilItEnds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		w := New(time.Minute)
		slow, err := w.Wait(context.Background(), 1)
		require.NoError(t, err)
		admitted := make(chan time.Duration)
		go func() {
			admitted <- admit(t, w, 1, 0).Sub(start)
		}()
		time.Sleep(5 * time.Minute) // the slow request is still in flight: nobody else gets in
		w.Done(slow)
		assert.Equal(t, 6*time.Minute, <-admitted)
	})
}

func TestWindow_HoldUntil(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		w := New(time.Minute)
		w.HoldUntil(start.Add(58 * time.Second))
		w.HoldUntil(start.Add(10 * time.Second)) // an earlier hold does not shorten it
		assert.Equal(t, 58*time.Second, admit(t, w, 100, 0).Sub(start))
	})
}

func TestWindow_WaitEndsWithTheContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := New(time.Minute)
		_, err := w.Wait(context.Background(), 1)
		require.NoError(t, err)
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		start := time.Now()
		_, err = w.Wait(ctx, 1)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Equal(t, 3*time.Second, time.Since(start))
	})
}

func TestWindow_CallsWithDifferentLimitsShareTheHistory(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		w := New(time.Minute)
		for range 3 {
			admit(t, w, 10, 0)
		}
		// A caller allowed 3 a minute finds three requests in the window already.
		assert.Equal(t, time.Minute, admit(t, w, 3, 0).Sub(start))
	})
}

func TestWindow_ConcurrentCallersNeverExceedTheLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := New(time.Minute)
		var mu sync.Mutex
		var starts []time.Time
		var wg sync.WaitGroup
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 5 {
					tk, err := w.Wait(context.Background(), 4)
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					starts = append(starts, time.Now())
					mu.Unlock()
					time.Sleep(700 * time.Millisecond)
					w.Done(tk)
				}
			}()
		}
		wg.Wait()
		require.Len(t, starts, 40)
		for i := range starts {
			n := 0
			for _, s := range starts {
				if !s.Before(starts[i]) && s.Sub(starts[i]) < time.Minute {
					n++
				}
			}
			assert.LessOrEqual(t, n, 4, "requests starting within a minute of %v", starts[i])
		}
	})
}
