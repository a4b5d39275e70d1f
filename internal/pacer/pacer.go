// Package pacer keeps a client under a documented request rate: a sliding window admits a request only when fewer
// than the limit of requests still count in it. A request counts from the moment it is admitted until a full
// window after it ended, so no more than the limit can reach the server in any window, however slow the network.
package pacer

import (
	"context"
	"sync"
	"time"
)

// Window is a sliding window of length per, shared by every request to one endpoint of one client. Callers pass
// their own limit to Wait, so calls with different rates share one history. Safe for concurrent use; its clock
// is time.Now (tests run it on testing/synctest's virtual clock).
type Window struct {
	per time.Duration

	mu        sync.Mutex
	q         []*Ticket     // the requests that still count, in admission order
	notBefore time.Time     // closed until then, e.g. after a 429
	changed   chan struct{} // closed when a request ends or a hold changes, while someone waits
}

// Ticket is one admitted request; pass it to Done when the request ended.
type Ticket struct {
	end  time.Time
	done bool
}

// New returns an empty window of length per.
func New(per time.Duration) *Window { return &Window{per: per} }

// Wait blocks until a request fits in the window under limit, admits it and returns its ticket. It returns the
// context's error, admitting nothing, if ctx ends first. limit must be positive.
func (w *Window) Wait(ctx context.Context, limit int) (*Ticket, error) {
	for {
		if err := ctx.Err(); err != nil {
			return nil, err // even with room left: a request that will not be sent takes no place
		}
		w.mu.Lock()
		now := time.Now()
		w.forget(now)
		wake, full := w.notBefore, len(w.q) >= limit
		if full && w.q[0].done {
			wake = w.q[0].end.Add(w.per) // the oldest leaves then
		}
		if !wake.After(now) && !full {
			t := &Ticket{}
			w.q = append(w.q, t)
			w.mu.Unlock()
			return t, nil
		}
		if w.changed == nil {
			w.changed = make(chan struct{})
		}
		changed := w.changed
		w.mu.Unlock()
		if err := sleep(ctx, wake.Sub(now), changed); err != nil {
			return nil, err
		}
	}
}

// forget drops the requests that ended at least per ago; w.mu is held.
func (w *Window) forget(now time.Time) {
	i := 0
	for i < len(w.q) && w.q[i].done && !w.q[i].end.Add(w.per).After(now) {
		i++
	}
	w.q = w.q[i:]
}

// Done records that the ticket's request ended now.
func (w *Window) Done(t *Ticket) {
	w.mu.Lock()
	defer w.mu.Unlock()
	t.end, t.done = time.Now(), true
	w.signal()
}

// HoldUntil admits nothing before t, e.g. after the server answered 429 with a Retry-After.
func (w *Window) HoldUntil(t time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if t.After(w.notBefore) {
		w.notBefore = t
		w.signal()
	}
}

// signal wakes the waiters to look again; w.mu is held.
func (w *Window) signal() {
	if w.changed != nil {
		close(w.changed)
		w.changed = nil
	}
}

// sleep waits d (forever when d <= 0) or until changed is closed or ctx ends.
func sleep(ctx context.Context, d time.Duration, changed <-chan struct{}) error {
	var timer <-chan time.Time
	if d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		timer = t.C
	}
	select {
	case <-timer:
	case <-changed:
	case <-ctx.Done():
		return ctx.Err()
	}
	return nil
}
