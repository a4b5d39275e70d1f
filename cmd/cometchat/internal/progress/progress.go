// Package progress shows how a long task of the command line goes (an import, an export, a list of every page):
// on a terminal a bar drawn by github.com/schollz/progressbar, otherwise plain lines now and then, fit for a log.
// It writes only to the writer it is given (standard error), never to the data on standard output.
//
// A Tracker counts items (users) done out of a total, which may be unknown, and shows the rate, the time left,
// a detail line from its caller (e.g. "3 failed, 2 invalid") and, when its caller says the task is waiting for a
// rate limit, "waiting for the rate limit (N s)", so that a paced import never looks frozen.
package progress

import (
	"fmt"
	"io"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
)

// Mode is how progress is shown.
type Mode int

// The modes.
const (
	None  Mode = iota // nothing
	Plain             // a line now and then: for logs and CI
	Bar               // a bar redrawn in place: for a terminal
)

// ParseMode reads the --progress flag: "auto" (Bar when tty, else Plain), "bar", "plain" or "none".
func ParseMode(s string, tty bool) (Mode, error) {
	switch s {
	case "auto", "":
		if tty {
			return Bar, nil
		}
		return Plain, nil
	case "bar":
		return Bar, nil
	case "plain":
		return Plain, nil
	case "none":
		return None, nil
	}
	return None, fmt.Errorf("--progress must be auto, bar, plain or none, not %q", s)
}

// Options tune a Tracker. Only Label is required.
type Options struct {
	// Label says what is being done: "importing", "exporting".
	Label string
	// Unit names the items: "users" (the default).
	Unit string
	// Detail, when set, returns what to show after the counts, e.g. "3 failed, 2 invalid" ("" for nothing).
	Detail func() string
	// Waiting, when set, returns how long the task is expected to wait for a rate limit from now (0 when it is
	// not waiting); a positive value is shown as "waiting for the rate limit (N s)".
	Waiting func() time.Duration
	// AtLeast, when set, returns a lower bound of the time left for items still to do, e.g. what a rate limit
	// imposes; the time left shown is the larger of it and the estimate from the average rate so far.
	AtLeast func(left int) time.Duration
	// Interval is the time between two plain lines (default 10 s); a wait for the rate limit is announced as
	// soon as it is seen.
	Interval time.Duration
	// Tick is how often the display is refreshed without an update (default 250 ms), so that the time left
	// and a rate-limit wait stay current while nothing is done.
	Tick time.Duration
	// Now is the clock of the rate and the plain lines (default time.Now).
	Now func() time.Time
}

// Tracker shows the progress of one task. Its methods are safe for concurrent use; a nil *Tracker does nothing.
type Tracker struct {
	w    io.Writer
	mode Mode
	o    Options

	mu       sync.Mutex
	total    int // -1: unknown
	done     int
	start    time.Time
	lastLine time.Time // of the last plain line
	lastDone int       // at the last plain line
	waitSeen bool      // the last refresh saw a wait
	bar      *progressbar.ProgressBar
	desc     string // the bar's description
	stopped  bool
	quit     chan struct{}
	ticker   sync.WaitGroup
}

// New returns a Tracker writing to w in mode, or nil for None (whose methods do nothing).
func New(w io.Writer, mode Mode, o Options) *Tracker {
	if mode == None || w == nil {
		return nil
	}
	if o.Unit == "" {
		o.Unit = "users"
	}
	if o.Interval <= 0 {
		o.Interval = 10 * time.Second
	}
	if o.Tick <= 0 {
		o.Tick = 250 * time.Millisecond
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Tracker{w: w, mode: mode, o: o, total: -1}
}

// Start shows the task starting with total items to do (-1: unknown) and starts refreshing the display.
func (t *Tracker) Start(total int) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.quit != nil || t.stopped {
		return
	}
	t.total = total
	t.start = t.o.Now()
	switch {
	case t.mode == Plain:
		t.line()
	case total != 0: // progressbar needs something to do
		t.bar = t.newBar(total)
	}
	t.quit = make(chan struct{})
	t.ticker.Add(1)
	go t.tick()
}

func (t *Tracker) newBar(total int) *progressbar.ProgressBar {
	max := int64(total)
	if total < 0 {
		max = -1 // a spinner
	}
	t.desc = t.o.Label
	// The library draws the bar, the percentage and the count; the description after them carries the rate and
	// the time left computed here, which know about rate limits (the library's own estimate, from its recent
	// rate, would say a second is left while an import waits a minute for its window).
	return progressbar.NewOptions64(max,
		progressbar.OptionSetWriter(t.w),
		progressbar.OptionSetDescription(t.desc),
		progressbar.OptionShowDescriptionAtLineEnd(),
		progressbar.OptionSetWidth(30),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(false),
		progressbar.OptionSetElapsedTime(false),
		progressbar.OptionSetRenderBlankState(true),
		progressbar.OptionUseANSICodes(true),
		// No spinner goroutine of the library's (for an unknown total): this Tracker's ticker redraws, and
		// every call to the bar is made under its mutex.
		progressbar.OptionSetSpinnerChangeInterval(0),
		progressbar.OptionOnCompletion(func() { fmt.Fprintln(t.w) }),
	)
}

// Set records that done items are done. It may be less than before: a task that stopped takes back what it
// did not finish.
func (t *Tracker) Set(done int) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.stopped || done == t.done {
		return
	}
	t.done = done
	if t.bar != nil {
		t.describe()
		if t.total < 0 || done <= t.total {
			_ = t.bar.Set(done)
		}
	}
}

// Println prints line (a message for the operator) without breaking the bar.
func (t *Tracker) Println(line string) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.bar != nil && !t.stopped {
		_ = t.bar.Clear() // the line goes where the bar was, and the bar below it
		fmt.Fprintln(t.w, line)
		_ = t.bar.Add(0)
		return
	}
	fmt.Fprintln(t.w, line)
}

// Stop shows the final state and stops refreshing. The Tracker shows nothing more.
func (t *Tracker) Stop() {
	if t == nil {
		return
	}
	t.mu.Lock()
	if t.stopped {
		t.mu.Unlock()
		return
	}
	t.stopped = true
	quit := t.quit
	t.mu.Unlock()
	if quit != nil {
		close(quit)
		t.ticker.Wait()
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	switch {
	case t.bar != nil:
		t.describe()
		if t.total >= 0 && t.done >= t.total {
			_ = t.bar.Finish() // completes the line
		} else {
			_ = t.bar.Add(0)
			_ = t.bar.Exit() // keeps what was done on screen
		}
	case quit != nil && t.mode == Plain:
		t.line()
	}
}

// tick refreshes the display until Stop.
func (t *Tracker) tick() {
	defer t.ticker.Done()
	tk := time.NewTicker(t.o.Tick)
	defer tk.Stop()
	for {
		select {
		case <-t.quit:
			return
		case <-tk.C:
			t.refresh()
		}
	}
}

func (t *Tracker) refresh() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.stopped {
		return
	}
	wait := t.wait()
	waiting := wait > 0
	switch {
	case t.bar != nil:
		t.describe()
		_ = t.bar.Add(0)
	case t.mode != Plain:
	case waiting && !t.waitSeen, t.o.Now().Sub(t.lastLine) >= t.o.Interval && (t.done != t.lastDone || waiting):
		t.line()
	}
	t.waitSeen = waiting
}

func (t *Tracker) wait() time.Duration {
	if t.o.Waiting == nil {
		return 0
	}
	return t.o.Waiting()
}

// describe sets the bar's description: the label, the rate, the time left, the caller's detail and any
// rate-limit wait.
func (t *Tracker) describe() {
	desc := t.o.Label + t.stats(false)
	if desc != t.desc {
		t.desc = desc
		t.bar.Describe(desc)
	}
}

// stats is what follows the counts: ", 41 users/s, ETA 1:32, 3 failed, waiting for the rate limit (20 s)"; with
// elapsed, the time taken instead of the time left once stopped.
func (t *Tracker) stats(elapsedAtStop bool) string {
	var b strings.Builder
	now := t.o.Now()
	elapsed := now.Sub(t.start)
	if elapsed > 0 && t.done > 0 {
		rate := float64(t.done) / elapsed.Seconds()
		fmt.Fprintf(&b, ", %s %s/s", thousands(int(math.Round(rate))), t.o.Unit)
		if t.total >= 0 && !t.stopped && t.done < t.total {
			eta := time.Duration(float64(t.total-t.done) / rate * float64(time.Second))
			if t.o.AtLeast != nil {
				eta = max(eta, t.o.AtLeast(t.total-t.done))
			}
			fmt.Fprintf(&b, ", ETA %s", Clock(ceilSecond(eta)))
		}
	}
	if t.stopped && elapsedAtStop {
		fmt.Fprintf(&b, ", %s", Clock(elapsed))
	}
	if t.o.Detail != nil {
		if d := t.o.Detail(); d != "" {
			fmt.Fprintf(&b, ", %s", d)
		}
	}
	if w := t.wait(); w > 0 && !t.stopped {
		fmt.Fprintf(&b, ", %s", WaitText(w))
	}
	return b.String()
}

// line prints one plain line: "importing: 1,250/5,000 users (25%), 41 users/s, ETA 1:32, 3 failed".
func (t *Tracker) line() {
	t.lastLine, t.lastDone = t.o.Now(), t.done
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s", t.o.Label, thousands(t.done))
	if t.total >= 0 {
		fmt.Fprintf(&b, "/%s %s", thousands(t.total), t.o.Unit)
		if t.total > 0 {
			fmt.Fprintf(&b, " (%d%%)", int(100*float64(t.done)/float64(t.total)))
		}
	} else {
		fmt.Fprintf(&b, " %s", t.o.Unit)
	}
	b.WriteString(t.stats(true))
	fmt.Fprintln(t.w, b.String())
}

// ceilSecond rounds d up to a whole second, as WaitText does, so that the time left is never shown shorter than
// a wait that is part of it.
func ceilSecond(d time.Duration) time.Duration {
	if r := d % time.Second; r > 0 {
		d += time.Second - r
	}
	return d
}

// WaitText says that the task waits for a rate limit for about d: "waiting for the rate limit (42 s)".
func WaitText(d time.Duration) string {
	return fmt.Sprintf("waiting for the rate limit (%d s)", int(math.Ceil(d.Seconds())))
}

// Clock formats d as m:ss or h:mm:ss.
func Clock(d time.Duration) string {
	d = d.Round(time.Second)
	h, m, s := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, m, s)
	}
	return fmt.Sprintf("%d:%02d", m, s)
}

func thousands(n int) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}
