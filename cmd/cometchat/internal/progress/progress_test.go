package progress

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// clock is a settable clock safe for the ticker goroutine.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func TestParseMode(t *testing.T) {
	for _, tt := range []struct {
		in   string
		tty  bool
		want Mode
	}{{"auto", true, Bar}, {"auto", false, Plain}, {"", false, Plain}, {"bar", false, Bar}, {"plain", true, Plain}, {"none", true, None}} {
		got, err := ParseMode(tt.in, tt.tty)
		require.NoError(t, err)
		assert.Equal(t, tt.want, got, "%q tty=%v", tt.in, tt.tty)
	}
	_, err := ParseMode("fancy", true)
	assert.ErrorContains(t, err, "--progress must be auto, bar, plain or none")
}

func TestNoneDoesNothing(t *testing.T) {
	var out bytes.Buffer
	tr := New(&out, None, Options{Label: "x"})
	assert.Nil(t, tr)
	tr.Start(10)
	tr.Set(5)
	tr.Println("hello")
	tr.Stop()
	assert.Empty(t, out.String())
}

func TestPlainLines(t *testing.T) {
	out := &syncBuffer{}
	c := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	var mu sync.Mutex
	var wait time.Duration
	detail := ""
	tr := New(out, Plain, Options{
		Label: "importing", Now: c.now, Interval: 10 * time.Second, Tick: time.Hour, // refresh() by hand
		Detail:  func() string { mu.Lock(); defer mu.Unlock(); return detail },
		Waiting: func() time.Duration { mu.Lock(); defer mu.Unlock(); return wait },
	})
	tr.Start(5000)
	assert.Equal(t, "importing: 0/5,000 users (0%)\n", out.String(), "the first line comes at once")

	c.add(5 * time.Second)
	tr.Set(250)
	tr.refresh()
	assert.Equal(t, 1, strings.Count(out.String(), "\n"), "no line before the interval")

	c.add(5 * time.Second)
	mu.Lock()
	detail = "3 failed"
	mu.Unlock()
	tr.refresh()
	require.Equal(t, 2, strings.Count(out.String(), "\n"))
	assert.Contains(t, out.String(), "importing: 250/5,000 users (5%), 25 users/s, ETA 3:10, 3 failed\n")

	// A wait for the rate limit is said as soon as it is seen, not at the next interval.
	mu.Lock()
	wait = 42 * time.Second
	mu.Unlock()
	tr.refresh()
	require.Equal(t, 3, strings.Count(out.String(), "\n"))
	tr.refresh()
	require.Equal(t, 3, strings.Count(out.String(), "\n"), "once per wait")
	assert.Contains(t, out.String(), "importing: 250/5,000 users (5%), 25 users/s, ETA 3:10, 3 failed, waiting for the rate limit (42 s)\n")
	// While it lasts, a line every interval even without progress.
	c.add(10 * time.Second)
	tr.refresh()
	require.Equal(t, 4, strings.Count(out.String(), "\n"))

	tr.Println("users.csv:14: invalid: avatar")
	tr.Set(5000)
	tr.Stop()
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	assert.Equal(t, "users.csv:14: invalid: avatar", lines[len(lines)-2])
	assert.Equal(t, "importing: 5,000/5,000 users (100%), 250 users/s, 0:20, 3 failed", lines[len(lines)-1], "no wait shown once done")
	assert.NotContains(t, out.String(), "\r")
	tr.Stop() // twice is fine
	tr.Set(1)
	assert.Len(t, strings.Split(strings.TrimSpace(out.String()), "\n"), len(lines), "nothing after Stop")
}

func TestPlainUnknownTotal(t *testing.T) {
	var out syncBuffer
	c := &clock{t: time.Unix(0, 0)}
	tr := New(&out, Plain, Options{Label: "checking", Now: c.now, Unit: "rows"})
	tr.Start(-1)
	c.add(2 * time.Second)
	tr.Set(10)
	tr.Stop()
	assert.Equal(t, "checking: 0 rows\nchecking: 10 rows, 5 rows/s, 0:02\n", out.String())
}

func TestBar(t *testing.T) {
	out := &syncBuffer{}
	var mu sync.Mutex
	var wait time.Duration
	tr := New(out, Bar, Options{Label: "importing", Tick: time.Hour,
		Waiting: func() time.Duration { mu.Lock(); defer mu.Unlock(); return wait }})
	tr.Start(100)
	tr.Set(50)
	mu.Lock()
	wait = 58 * time.Second
	mu.Unlock()
	tr.refresh()
	require.Contains(t, out.String(), "waiting for the rate limit (58 s)", "the bar says it waits instead of freezing")
	tr.Println("a message")
	mu.Lock()
	wait = 0
	mu.Unlock()
	tr.Set(100)
	tr.Stop()
	s := out.String()
	assert.Contains(t, s, "\x1b[", "drawn in place")
	assert.Contains(t, s, "50/100")
	assert.Contains(t, s, "100/100")
	assert.Contains(t, s, "users/s")
	assert.Contains(t, s, "a message\n")
	assert.True(t, strings.HasSuffix(s, "\n"), "the line is ended")

	// Stopped early: what was done stays on screen.
	out2 := &syncBuffer{}
	tr = New(out2, Bar, Options{Label: "exporting"})
	tr.Start(10)
	tr.Set(3)
	tr.Stop()
	assert.Contains(t, out2.String(), "3/10")

	// Nothing to do: no bar (the library refuses a total of 0).
	out3 := &syncBuffer{}
	tr = New(out3, Bar, Options{Label: "x"})
	tr.Start(0)
	tr.Stop()
	assert.Empty(t, out3.String())
}

func TestFormatting(t *testing.T) {
	assert.Equal(t, "waiting for the rate limit (1 s)", WaitText(300*time.Millisecond))
	assert.Equal(t, "0:05", Clock(5*time.Second))
	assert.Equal(t, "1:02:03", Clock(time.Hour+2*time.Minute+3*time.Second))
	assert.Equal(t, "1,234,567", thousands(1234567))
	assert.Equal(t, "-1,000", thousands(-1000))
}

// TestTimeLeftKnowsTheRateLimit: early in a paced import the average rate says seconds are left; the pacing's
// lower bound says a minute, and wins.
func TestTimeLeftKnowsTheRateLimit(t *testing.T) {
	var out syncBuffer
	c := &clock{t: time.Unix(0, 0)}
	tr := New(&out, Plain, Options{Label: "importing", Now: c.now, Tick: time.Hour,
		AtLeast: func(left int) time.Duration {
			assert.Equal(t, 2000, left)
			return 59*time.Second + time.Millisecond
		}})
	tr.Start(5000)
	c.add(time.Second)
	tr.Set(3000)
	c.add(10 * time.Second)
	tr.refresh()
	assert.Contains(t, out.String(), "importing: 3,000/5,000 users (60%), 273 users/s, ETA 1:00\n", "rounded up, never below the wait")
	tr.Stop()
}

func TestBarUnknownTotalAndMessages(t *testing.T) {
	out := &syncBuffer{}
	tr := New(out, Bar, Options{Label: "importing", Tick: time.Millisecond})
	tr.Start(-1)
	tr.Set(10)
	tr.Println("stdin:3: invalid: uid")
	tr.Set(20)
	tr.Stop()
	s := out.String()
	assert.Contains(t, s, "\x1b[2K\rstdin:3: invalid: uid\n", "a message starts on a cleared line")
	assert.Contains(t, s, "importing")
}
